"""The offline Telegram layer: the real aiogram Bot and Dispatcher, with no network."""

from replay.telegram.calls import ApiCall, MessageView
from replay.telegram.failures import ERROR_KINDS, ScriptedFailure
from replay.telegram.guard import network_guard
from replay.telegram.offline import OFFLINE_TOKEN, OfflineTelegram
from replay.telegram.session import OfflineSession
from replay.telegram.updates import UpdateFactory
from replay.telegram.world import Button, StoredMessage, TgChat, TgUser, World

__all__ = [
    "ERROR_KINDS",
    "OFFLINE_TOKEN",
    "ApiCall",
    "Button",
    "MessageView",
    "OfflineSession",
    "OfflineTelegram",
    "ScriptedFailure",
    "StoredMessage",
    "TgChat",
    "TgUser",
    "UpdateFactory",
    "World",
    "network_guard",
]
