"""The realistic answers: what the common Bot API methods return and do to the world."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BufferedInputFile,
    ChatFullInfo,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    FSInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    MessageId,
)

from replay.telegram import OfflineTelegram
from tests.telegram.conftest import ALICE, BOB, CHANNEL


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=label.lower()) for label in labels]
        ]
    )


# -- sendMessage -------------------------------------------------------------------------


async def test_send_message_keeps_the_text_a_person_sees(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message(ALICE.id, "<b>Hello</b> &amp; <i>welcome</i>")

    assert message.text == "Hello & welcome"
    stored = tg.world.message(ALICE.id, message.message_id)
    assert stored is not None
    assert stored.text == "Hello & welcome"


async def test_send_message_without_parse_mode_keeps_the_markup(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message(ALICE.id, "<b>literal</b>", parse_mode=None)

    assert message.text == "<b>literal</b>"


async def test_message_ids_count_up_in_each_chat(tg: OfflineTelegram) -> None:
    first = await tg.bot.send_message(ALICE.id, "one")
    second = await tg.bot.send_message(ALICE.id, "two")
    other = await tg.bot.send_message(BOB.id, "one for Bob")

    assert (first.message_id, second.message_id) == (1, 2)
    assert other.message_id == 1


async def test_a_sent_message_is_from_the_bot_in_the_target_chat(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message(ALICE.id, "hi")

    assert message.from_user is not None
    assert message.from_user.id == tg.bot.id
    assert message.from_user.is_bot
    assert message.chat.id == ALICE.id
    assert message.chat.type == "private"
    assert message.chat.first_name == "Alice"


async def test_send_message_keeps_the_inline_keyboard(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message(ALICE.id, "pick", reply_markup=keyboard("Yes", "No"))

    assert message.reply_markup is not None
    assert message.reply_markup.model_dump() == keyboard("Yes", "No").model_dump()
    stored = tg.world.message(ALICE.id, message.message_id)
    assert stored is not None
    assert [button.text for button in stored.buttons] == ["Yes", "No"]


async def test_a_returned_message_is_bound_to_the_bot(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message(ALICE.id, "hi")

    assert message.bot is tg.bot


async def test_a_message_to_a_channel_username_lands_in_the_channel(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message("@replaynews", "news")

    assert message.chat.id == CHANNEL.id
    assert message.chat.title == "Replay News"


async def test_an_unknown_username_is_chat_not_found(tg: OfflineTelegram) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await tg.bot.send_message("@nobody_here", "hello?")


# -- editing -----------------------------------------------------------------------------


async def test_edit_message_text_changes_the_world(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "before")

    edited = await tg.bot.edit_message_text(
        "<b>after</b>", chat_id=ALICE.id, message_id=sent.message_id
    )

    assert not isinstance(edited, bool)
    assert edited.text == "after"
    assert edited.edit_date is not None
    stored = tg.world.message(ALICE.id, sent.message_id)
    assert stored is not None
    assert (stored.text, stored.edited) == ("after", True)


async def test_editing_a_missing_message_is_a_bad_request(tg: OfflineTelegram) -> None:
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await tg.bot.edit_message_text("text", chat_id=ALICE.id, message_id=99)


async def test_an_identical_edit_is_message_is_not_modified(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "same", reply_markup=keyboard("Ok"))

    with pytest.raises(TelegramBadRequest, match="message is not modified") as raised:
        await tg.bot.edit_message_text(
            "same", chat_id=ALICE.id, message_id=sent.message_id, reply_markup=keyboard("Ok")
        )

    # The exact wording bots test for (`"message is not modified" in error.message`).
    assert raised.value.message.startswith("Bad Request: message is not modified")


async def test_editing_the_text_without_a_keyboard_removes_it(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "pick", reply_markup=keyboard("Yes"))

    edited = await tg.bot.edit_message_text("done", chat_id=ALICE.id, message_id=sent.message_id)

    assert not isinstance(edited, bool)
    assert edited.reply_markup is None
    stored = tg.world.message(ALICE.id, sent.message_id)
    assert stored is not None
    assert stored.buttons == []


async def test_edit_message_reply_markup_replaces_only_the_keyboard(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "pick", reply_markup=keyboard("Yes"))

    edited = await tg.bot.edit_message_reply_markup(
        chat_id=ALICE.id, message_id=sent.message_id, reply_markup=keyboard("Undo")
    )

    assert not isinstance(edited, bool)
    assert edited.text == "pick"
    assert edited.reply_markup is not None
    assert edited.reply_markup.model_dump() == keyboard("Undo").model_dump()


async def test_an_inline_message_edit_answers_true(tg: OfflineTelegram) -> None:
    result = await tg.bot.edit_message_text("inline", inline_message_id="inline-1")

    assert result is True


# -- deleting ----------------------------------------------------------------------------


async def test_a_deleted_message_is_gone_from_the_world(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "oops")

    assert await tg.bot.delete_message(ALICE.id, sent.message_id) is True

    assert tg.world.message(ALICE.id, sent.message_id) is None
    assert tg.world.messages(ALICE.id) == []


async def test_deleting_a_message_twice_fails(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "oops")
    await tg.bot.delete_message(ALICE.id, sent.message_id)

    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await tg.bot.delete_message(ALICE.id, sent.message_id)


async def test_a_message_in_a_channel_can_be_deleted_by_username(tg: OfflineTelegram) -> None:
    # Regression: the call record read the chat id with int("@replaynews") and crashed.
    sent = await tg.bot.send_message(CHANNEL.id, "post")

    assert await tg.bot.delete_message("@replaynews", sent.message_id) is True

    view = tg.session.calls[-1].message
    assert view is not None
    assert (view.chat_id, view.action) == (CHANNEL.id, "deleted")


# -- callback answers --------------------------------------------------------------------


async def test_answer_callback_query_succeeds_and_records_the_alert(tg: OfflineTelegram) -> None:
    result = await tg.bot.answer_callback_query("cbq-1", text="Saved", show_alert=True)

    assert result is True
    call = tg.session.calls[-1]
    assert call.method == "answerCallbackQuery"
    assert call.params == {"callback_query_id": "cbq-1", "text": "Saved", "show_alert": True}


# -- files -------------------------------------------------------------------------------


async def test_send_document_records_the_file_name_and_size(tg: OfflineTelegram) -> None:
    upload = BufferedInputFile(b"id,name\n1,Al", filename="report.csv")

    message = await tg.bot.send_document(ALICE.id, upload, caption="<b>Report</b>")

    assert tg.session.calls[-1].params["document"] == "<file report.csv, 12 bytes>"
    assert message.document is not None
    assert (message.document.file_name, message.document.file_size) == ("report.csv", 12)
    assert message.document.mime_type == "text/csv"
    assert message.caption == "Report"


async def test_send_photo_from_disk_records_the_file_name_and_size(
    tg: OfflineTelegram, tmp_path: Path
) -> None:
    picture = tmp_path / "cat.jpg"
    picture.write_bytes(b"\xff\xd8" + b"\0" * 98)

    message = await tg.bot.send_photo(ALICE.id, FSInputFile(picture))

    assert tg.session.calls[-1].params["photo"] == "<file cat.jpg, 100 bytes>"
    assert message.photo is not None
    assert message.photo[-1].file_size == 100
    stored = tg.world.message(ALICE.id, message.message_id)
    assert stored is not None
    assert stored.kind == "photo"


async def test_a_file_sent_by_id_keeps_its_id(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_document(ALICE.id, "BQACAgIAAxkBAAI")

    assert tg.session.calls[-1].params["document"] == "BQACAgIAAxkBAAI"
    assert message.document is not None
    assert message.document.file_id == "BQACAgIAAxkBAAI"


async def test_a_media_group_answers_one_message_per_item(tg: OfflineTelegram) -> None:
    # Regression: the generic fallback answered an empty list, so `messages[0]` failed.
    media = [
        InputMediaPhoto(media=BufferedInputFile(b"abc", filename="a.jpg"), caption="<b>A</b>"),
        InputMediaDocument(media=BufferedInputFile(b"abcd", filename="b.pdf")),
    ]

    messages = await tg.bot.send_media_group(ALICE.id, media)

    assert [m.message_id for m in messages] == [1, 2]
    assert messages[0].photo is not None
    assert messages[0].caption == "A"
    assert messages[1].document is not None
    assert messages[1].document.file_name == "b.pdf"
    assert messages[0].media_group_id == messages[1].media_group_id is not None
    recorded = tg.session.calls[-1].params["media"]
    assert [item["media"] for item in recorded] == [
        "<file a.jpg, 3 bytes>",
        "<file b.pdf, 4 bytes>",
    ]


async def test_a_poll_answers_with_its_options(tg: OfflineTelegram) -> None:
    # Regression: the options were echoed as sent (strings), which do not validate as a Poll.
    message = await tg.bot.send_poll(ALICE.id, "Tea or coffee?", ["Tea", "Coffee"])

    assert message.poll is not None
    assert message.poll.question == "Tea or coffee?"
    assert [option.text for option in message.poll.options] == ["Tea", "Coffee"]


# -- invite links ------------------------------------------------------------------------


async def test_invite_links_are_unique_and_keep_their_limit(tg: OfflineTelegram) -> None:
    first = await tg.bot.create_chat_invite_link(CHANNEL.id, member_limit=1)
    second = await tg.bot.create_chat_invite_link(CHANNEL.id, name="promo")

    assert first.invite_link != second.invite_link
    assert first.invite_link.startswith("https://t.me/+")
    assert first.member_limit == 1
    assert second.name == "promo"
    assert first.creator.id == tg.bot.id
    assert [link["invite_link"] for link in tg.world.invite_links] == [
        first.invite_link,
        second.invite_link,
    ]


async def test_invite_links_are_the_same_in_every_run(tg: OfflineTelegram) -> None:
    other_run = OfflineTelegram.attach()

    ours = await tg.bot.create_chat_invite_link(CHANNEL.id)
    theirs = await other_run.bot.create_chat_invite_link(CHANNEL.id)

    assert ours.invite_link == theirs.invite_link


async def test_a_revoked_invite_link_says_so(tg: OfflineTelegram) -> None:
    link = await tg.bot.create_chat_invite_link(CHANNEL.id)

    revoked = await tg.bot.revoke_chat_invite_link(CHANNEL.id, link.invite_link)

    assert revoked.is_revoked
    with pytest.raises(TelegramBadRequest, match="INVITE_HASH_EXPIRED"):
        await tg.bot.revoke_chat_invite_link(CHANNEL.id, "https://t.me/+unknown")


# -- join requests and members -----------------------------------------------------------


async def test_approving_a_join_request_makes_a_member(tg: OfflineTelegram) -> None:
    tg.updates.join_request(ALICE, CHANNEL)

    assert await tg.bot.approve_chat_join_request(CHANNEL.id, ALICE.id) is True

    assert (CHANNEL.id, ALICE.id) not in tg.world.join_requests
    assert tg.world.member_status(CHANNEL.id, ALICE.id) == "member"
    member = await tg.bot.get_chat_member(CHANNEL.id, ALICE.id)
    assert isinstance(member, ChatMemberMember)


async def test_declining_a_join_request_leaves_the_user_out(tg: OfflineTelegram) -> None:
    tg.updates.join_request(ALICE, CHANNEL)

    assert await tg.bot.decline_chat_join_request(CHANNEL.id, ALICE.id) is True

    assert (CHANNEL.id, ALICE.id) not in tg.world.join_requests
    assert tg.world.member_status(CHANNEL.id, ALICE.id) == "left"


async def test_a_banned_user_shows_as_kicked(tg: OfflineTelegram) -> None:
    tg.world.set_member_status(CHANNEL.id, ALICE.id, "member")

    assert await tg.bot.ban_chat_member(CHANNEL.id, ALICE.id) is True

    member = await tg.bot.get_chat_member(CHANNEL.id, ALICE.id)
    assert isinstance(member, ChatMemberBanned)
    assert member.user.id == ALICE.id


async def test_unbanning_a_banned_user_lets_them_rejoin(tg: OfflineTelegram) -> None:
    await tg.bot.ban_chat_member(CHANNEL.id, ALICE.id)

    await tg.bot.unban_chat_member(CHANNEL.id, ALICE.id, only_if_banned=True)

    assert isinstance(await tg.bot.get_chat_member(CHANNEL.id, ALICE.id), ChatMemberLeft)


async def test_unban_only_if_banned_leaves_a_member_alone(tg: OfflineTelegram) -> None:
    tg.world.set_member_status(CHANNEL.id, ALICE.id, "member")

    await tg.bot.unban_chat_member(CHANNEL.id, ALICE.id, only_if_banned=True)

    assert tg.world.member_status(CHANNEL.id, ALICE.id) == "member"


async def test_unban_of_a_member_removes_them_as_telegram_does(tg: OfflineTelegram) -> None:
    # Telegram: "if the user is a member of the chat they will also be removed from the chat".
    tg.world.set_member_status(CHANNEL.id, ALICE.id, "member")

    await tg.bot.unban_chat_member(CHANNEL.id, ALICE.id)

    assert tg.world.member_status(CHANNEL.id, ALICE.id) == "left"


async def test_the_bot_is_an_administrator_of_every_chat(tg: OfflineTelegram) -> None:
    member = await tg.bot.get_chat_member(CHANNEL.id, tg.bot.id)

    assert member.status == "administrator"


async def test_get_chat_member_count_counts_present_members(tg: OfflineTelegram) -> None:
    tg.world.set_member_status(CHANNEL.id, ALICE.id, "member")
    tg.world.set_member_status(CHANNEL.id, BOB.id, "kicked")

    assert await tg.bot.get_chat_member_count(CHANNEL.id) == 1


# -- chats and copies --------------------------------------------------------------------


async def test_get_chat_answers_full_info_with_the_title(tg: OfflineTelegram) -> None:
    chat = await tg.bot.get_chat(CHANNEL.id)

    assert isinstance(chat, ChatFullInfo)
    assert (chat.id, chat.type, chat.title) == (CHANNEL.id, "channel", "Replay News")
    assert chat.username == "replaynews"


async def test_get_chat_of_a_user_is_their_private_chat(tg: OfflineTelegram) -> None:
    chat = await tg.bot.get_chat(BOB.id)

    assert (chat.type, chat.first_name, chat.last_name) == ("private", "Bob", "Builder")


async def test_copy_message_makes_a_new_message_in_the_target_chat(tg: OfflineTelegram) -> None:
    original = tg.world.add_message(ALICE.id, ALICE, text="look at this")

    copied = await tg.bot.copy_message(BOB.id, ALICE.id, original.message_id)

    assert isinstance(copied, MessageId)
    stored = tg.world.message(BOB.id, copied.message_id)
    assert stored is not None
    assert stored.text == "look at this"
    assert stored.from_bot
    view = tg.session.calls[-1].message
    assert view is not None
    assert (view.chat_id, view.text, view.action) == (BOB.id, "look at this", "sent")


async def test_copy_message_with_a_new_caption_shows_it_without_markup(
    tg: OfflineTelegram,
) -> None:
    photo = await tg.bot.send_photo(ALICE.id, "photo-id", caption="old")

    copied = await tg.bot.copy_message(
        BOB.id, ALICE.id, photo.message_id, caption="<b>new</b> caption"
    )

    stored = tg.world.message(BOB.id, copied.message_id)
    assert stored is not None
    assert (stored.kind, stored.caption) == ("photo", "new caption")


async def test_copy_message_between_channels_by_username(tg: OfflineTelegram) -> None:
    post = await tg.bot.send_message(CHANNEL.id, "post")

    copied = await tg.bot.copy_message("@replaynews", "@replaynews", post.message_id)

    assert copied.message_id == post.message_id + 1


async def test_copying_a_missing_message_is_a_bad_request(tg: OfflineTelegram) -> None:
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await tg.bot.copy_message(BOB.id, ALICE.id, 42)


async def test_forward_message_returns_the_forwarded_message(tg: OfflineTelegram) -> None:
    original = tg.world.add_message(ALICE.id, ALICE, text="fwd me")

    forwarded = await tg.bot.forward_message(BOB.id, ALICE.id, original.message_id)

    assert (forwarded.chat.id, forwarded.text) == (BOB.id, "fwd me")


async def test_get_me_is_the_bot_itself(tg: OfflineTelegram) -> None:
    me = await tg.bot.get_me()

    assert (me.id, me.username, me.is_bot) == (tg.bot.id, "replay_bot", True)
