"""Callback data factories, one per kind of button.

Prefixes are short because Telegram allows 64 bytes of callback data. Main menu buttons use
``menu``; every admin button uses a prefix starting with ``a``.
"""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuAction(StrEnum):
    HOME = "home"
    VIP = "vip"
    FREE = "free"
    STATUS = "status"


class MenuCb(CallbackData, prefix="menu"):
    """The user's main menu."""

    action: MenuAction


class AdminSection(StrEnum):
    HOME = "home"
    VIP = "vip"
    FREE = "free"
    USERS = "users"
    STATS = "stats"
    BROADCAST = "broadcast"


class AdminCb(CallbackData, prefix="adm"):
    """Open an admin panel section (``home`` is the main admin panel, the Back target)."""

    section: AdminSection


class VipAction(StrEnum):
    ISSUE = "issue"
    NEW_PLAN = "new_plan"


class VipCb(CallbackData, prefix="avip"):
    action: VipAction


class IssueTokenCb(CallbackData, prefix="atok"):
    """Issue a token for one plan."""

    plan_id: int


class SubscribersCb(CallbackData, prefix="asubs"):
    """A page of the active subscribers list."""

    page: int = 0


class SubscriptionAction(StrEnum):
    SHOW = "show"
    EXTEND = "extend"
    REVOKE = "revoke"


class SubscriptionCb(CallbackData, prefix="asub"):
    """Show, extend or revoke one subscription; ``from_card`` re-renders the user card."""

    action: SubscriptionAction
    subscription_id: int
    from_card: bool = False


class PlanDraftAction(StrEnum):
    SAVE = "save"
    CANCEL = "cancel"


class PlanDraftCb(CallbackData, prefix="aplan"):
    action: PlanDraftAction


class FreeAction(StrEnum):
    SET_WAIT = "set_wait"
    APPROVE_ALL = "approve_all"


class FreeCb(CallbackData, prefix="afree"):
    action: FreeAction


class PendingCb(CallbackData, prefix="apend"):
    """A page of pending free join requests."""

    page: int = 0


class UsersCb(CallbackData, prefix="ausers"):
    """A page of the user list."""

    page: int = 0


class UserSearchCb(CallbackData, prefix="afind"):
    """Start a user search dialog."""


class UserAction(StrEnum):
    SHOW = "show"
    BAN = "ban"
    UNBAN = "unban"


class UserCb(CallbackData, prefix="auser"):
    action: UserAction
    user_id: int


class BroadcastAction(StrEnum):
    SEND = "send"
    CANCEL = "cancel"


class BroadcastCb(CallbackData, prefix="abc"):
    action: BroadcastAction
