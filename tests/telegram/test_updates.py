"""The update factory: what users do, as the Telegram updates a real Dispatcher handles."""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher, F, Router
from aiogram.filters import (
    JOIN_TRANSITION,
    ChatMemberUpdatedFilter,
    Command,
    CommandObject,
    CommandStart,
)
from aiogram.types import ChatJoinRequest, ChatMemberUpdated, Message

from replay.telegram import OfflineTelegram, TgChat
from tests.telegram.conftest import ALICE, BOB, CHANNEL

GROUP = TgChat(-2001, "supergroup", title="Friends")


async def test_a_text_message_comes_from_the_user_in_their_chat(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, "hello")

    message = update.message
    assert message is not None
    assert message.text == "hello"
    assert message.from_user is not None
    assert (message.from_user.id, message.from_user.username) == (ALICE.id, "alice")
    assert message.from_user.language_code == "en"
    assert (message.chat.id, message.chat.type) == (ALICE.id, "private")
    assert message.entities is None


async def test_a_users_message_is_kept_in_the_world(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, "remember me")

    assert update.message is not None
    stored = tg.world.message(ALICE.id, update.message.message_id)
    assert stored is not None
    assert (stored.text, stored.sender, stored.from_bot) == ("remember me", ALICE, False)


async def test_user_and_bot_messages_share_one_id_sequence_per_chat(
    tg: OfflineTelegram,
) -> None:
    first = tg.updates.message(ALICE, "hi")
    reply = await tg.bot.send_message(ALICE.id, "hello")
    second = tg.updates.message(ALICE, "bye")

    assert first.message is not None
    assert second.message is not None
    assert [first.message.message_id, reply.message_id, second.message.message_id] == [1, 2, 3]


async def test_update_ids_count_up(tg: OfflineTelegram) -> None:
    updates = [
        tg.updates.message(ALICE, "one"),
        tg.updates.join_request(BOB, CHANNEL),
        tg.updates.chat_member(BOB, CHANNEL, "member"),
    ]

    assert [update.update_id for update in updates] == [1, 2, 3]


async def test_updates_are_bound_to_the_bot(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "pick")
    stored = tg.world.message(ALICE.id, sent.message_id)
    assert stored is not None

    message = tg.updates.message(ALICE, "hi")
    callback = tg.updates.callback_query(ALICE, stored, "data")
    request = tg.updates.join_request(ALICE, CHANNEL)

    assert message.bot is tg.bot
    assert message.message is not None
    assert message.message.bot is tg.bot
    assert callback.callback_query is not None
    assert callback.callback_query.bot is tg.bot
    assert callback.callback_query.message is not None
    assert callback.callback_query.message.bot is tg.bot
    assert request.chat_join_request is not None
    assert request.chat_join_request.bot is tg.bot


async def test_a_command_carries_a_bot_command_entity(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, "/start TOKEN123")

    assert update.message is not None
    assert update.message.entities is not None
    (entity,) = update.message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, len("/start"))


async def test_commands_and_deep_links_reach_command_filters(tg: OfflineTelegram) -> None:
    seen: list[tuple[str, Any]] = []
    router = Router()

    @router.message(CommandStart(deep_link=True))
    async def deep_link(message: Message, command: CommandObject) -> None:
        seen.append(("deep_link", command.args))

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        seen.append(("start", command.args))

    @router.message(Command("help"))
    async def help_(message: Message) -> None:
        seen.append(("help", None))

    dp = Dispatcher()
    dp.include_router(router)

    await dp.feed_update(tg.bot, tg.updates.message(ALICE, "/start"))
    await dp.feed_update(tg.bot, tg.updates.message(ALICE, "/start TOKEN123"))
    await dp.feed_update(tg.bot, tg.updates.message(ALICE, "/help@replay_bot"))

    assert seen == [("start", None), ("deep_link", "TOKEN123"), ("help", None)]


async def test_a_callback_query_carries_the_pressed_message(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "pick")
    stored = tg.world.message(ALICE.id, sent.message_id)
    assert stored is not None

    update = tg.updates.callback_query(ALICE, stored, "pick:1")

    callback = update.callback_query
    assert callback is not None
    assert (callback.data, callback.from_user.id) == ("pick:1", ALICE.id)
    assert isinstance(callback.message, Message)
    assert (callback.message.message_id, callback.message.text) == (sent.message_id, "pick")
    assert callback.id.startswith("cbq-")


async def test_callback_query_ids_are_unique(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "pick")
    stored = tg.world.message(ALICE.id, sent.message_id)
    assert stored is not None

    first = tg.updates.callback_query(ALICE, stored, "x").callback_query
    second = tg.updates.callback_query(ALICE, stored, "x").callback_query

    assert first is not None
    assert second is not None
    assert first.id != second.id


async def test_a_join_request_is_remembered_by_the_world(tg: OfflineTelegram) -> None:
    update = tg.updates.join_request(ALICE, CHANNEL, invite_link="https://t.me/+abc")

    request = update.chat_join_request
    assert isinstance(request, ChatJoinRequest)
    assert (request.chat.id, request.from_user.id, request.user_chat_id) == (
        CHANNEL.id,
        ALICE.id,
        ALICE.id,
    )
    assert request.invite_link is not None
    assert request.invite_link.invite_link == "https://t.me/+abc"
    assert (CHANNEL.id, ALICE.id) in tg.world.join_requests


async def test_a_join_request_reaches_its_handler(tg: OfflineTelegram) -> None:
    router = Router()

    @router.chat_join_request()
    async def decide(request: ChatJoinRequest) -> None:
        await request.approve()

    dp = Dispatcher()
    dp.include_router(router)

    await dp.feed_update(tg.bot, tg.updates.join_request(ALICE, CHANNEL))

    assert tg.session.calls[-1].method == "approveChatJoinRequest"
    assert tg.world.member_status(CHANNEL.id, ALICE.id) == "member"


async def test_a_chat_member_update_carries_the_old_and_new_status(
    tg: OfflineTelegram,
) -> None:
    joined = tg.updates.chat_member(ALICE, CHANNEL, "member")
    kicked = tg.updates.chat_member(ALICE, CHANNEL, "kicked", by=BOB)

    first = joined.chat_member
    second = kicked.chat_member
    assert isinstance(first, ChatMemberUpdated)
    assert isinstance(second, ChatMemberUpdated)
    assert (first.old_chat_member.status, first.new_chat_member.status) == ("left", "member")
    assert (second.old_chat_member.status, second.new_chat_member.status) == ("member", "kicked")
    assert second.from_user.id == BOB.id
    assert second.new_chat_member.user.id == ALICE.id
    assert tg.world.member_status(CHANNEL.id, ALICE.id) == "kicked"


async def test_a_chat_member_update_reaches_a_status_filter(tg: OfflineTelegram) -> None:
    joined: list[int] = []
    router = Router()

    @router.chat_member(ChatMemberUpdatedFilter(member_status_changed=JOIN_TRANSITION))
    async def on_join(event: ChatMemberUpdated) -> None:
        joined.append(event.new_chat_member.user.id)

    dp = Dispatcher()
    dp.include_router(router)

    await dp.feed_update(tg.bot, tg.updates.chat_member(ALICE, CHANNEL, "member"))
    await dp.feed_update(tg.bot, tg.updates.chat_member(BOB, CHANNEL, "kicked"))

    assert joined == [ALICE.id]


async def test_a_contact_message(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, contact={"phone_number": "+4912345", "user_id": ALICE.id})

    message = update.message
    assert message is not None
    assert message.contact is not None
    assert (message.contact.phone_number, message.contact.first_name) == ("+4912345", "Alice")
    assert message.contact.user_id == ALICE.id
    assert message.text is None


async def test_a_photo_message_with_a_caption(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, caption="my cat", photo=True)

    message = update.message
    assert message is not None
    assert message.photo is not None
    assert message.caption == "my cat"
    stored = tg.world.message(ALICE.id, message.message_id)
    assert stored is not None
    assert stored.kind == "photo"


async def test_a_document_message(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, document="invoice.pdf")

    assert update.message is not None
    assert update.message.document is not None
    assert update.message.document.file_name == "invoice.pdf"


async def test_a_location_message(tg: OfflineTelegram) -> None:
    update = tg.updates.message(ALICE, location={"latitude": 52.52, "longitude": 13.405})

    assert update.message is not None
    assert update.message.location is not None
    assert (update.message.location.latitude, update.message.location.longitude) == (
        52.52,
        13.405,
    )


async def test_media_messages_reach_content_type_filters(tg: OfflineTelegram) -> None:
    kinds: list[str] = []
    router = Router()

    @router.message(F.photo)
    async def photo(message: Message) -> None:
        kinds.append("photo")

    @router.message(F.document)
    async def document(message: Message) -> None:
        kinds.append("document")

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        kinds.append("contact")

    @router.message(F.location)
    async def location(message: Message) -> None:
        kinds.append("location")

    dp = Dispatcher()
    dp.include_router(router)

    for update in (
        tg.updates.message(ALICE, photo=True),
        tg.updates.message(ALICE, document="a.txt"),
        tg.updates.message(ALICE, contact={}),
        tg.updates.message(ALICE, location={}),
    ):
        await dp.feed_update(tg.bot, update)

    assert kinds == ["photo", "document", "contact", "location"]


async def test_a_message_in_a_group(tg: OfflineTelegram) -> None:
    tg.world.add_chat(GROUP)

    update = tg.updates.message(BOB, "hi all", chat=GROUP)

    assert update.message is not None
    assert (update.message.chat.id, update.message.chat.type) == (GROUP.id, "supergroup")
    assert update.message.chat.title == "Friends"
    assert tg.world.messages(BOB.id) == []


async def test_a_reply_carries_the_replied_message(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "What is your name?")
    question = tg.world.message(ALICE.id, sent.message_id)
    assert question is not None

    update = tg.updates.message(ALICE, "Alice", reply_to=question)

    assert update.message is not None
    assert update.message.reply_to_message is not None
    assert update.message.reply_to_message.text == "What is your name?"
