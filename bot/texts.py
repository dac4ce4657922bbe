"""Everything the bot says to users, plus the formatting helpers shared with the admin texts.

Scenarios press buttons by label and match replies by phrase, so the labels and the phrases
that tell outcomes apart are constants here. Anything a user typed is escaped, since messages
are sent with ``parse_mode=HTML``.
"""

from datetime import datetime
from html import escape

from bot.db.models import FreeJoinRequest, Subscription, User
from bot.parsing import format_wait_time

# Button labels.
BTN_VIP = "VIP"
BTN_FREE = "Free"
BTN_STATUS = "Status"
BTN_BACK = "Back"
BTN_PREV = "Prev"
BTN_NEXT = "Next"

DEFAULT_WELCOME_TEXT = "👋 Welcome! This bot manages access to our VIP and Free channels."
MENU_HINT = "Choose a section below."
BANNED = "🚫 You are banned from this bot."
ADMIN_ONLY = "⛔ This command is for administrators only."
CANCELLED = "Cancelled."
NOTHING_TO_CANCEL = "Nothing to cancel."
FALLBACK = "I did not understand that. Send /start to open the menu."

TOKEN_INVALID = "❌ This token is not valid. Check the link or ask an administrator for a new one."
TOKEN_USED = "❌ This token has already been used."
TOKEN_EXPIRED = "⌛ This token has expired. Ask an administrator for a new one."
VIP_GRANTED = "✅ VIP access granted"
INVITE_LINK_FAILED = "We could not create your invite link right now; please try /vip later."

VIP_JOIN_APPROVED = "✅ Your request to join the VIP channel was approved."
VIP_JOIN_DECLINED = (
    "❌ Your request to join the VIP channel was declined: you have no active VIP subscription."
    " Ask an administrator for a token."
)
FREE_APPROVED = "✅ Your request to join the Free channel was approved. Welcome!"
SUBSCRIPTION_REVOKED = "🚫 Your VIP subscription was revoked by an administrator."


def format_dt(value: datetime) -> str:
    """A naive UTC datetime as ``2025-01-31 12:00 UTC``."""
    return value.strftime("%Y-%m-%d %H:%M UTC")


def display_name(user: User) -> str:
    """``First Last (@username)``, escaped for HTML."""
    name = escape(user.full_name, quote=False)
    return f"{name} (@{escape(user.username, quote=False)})" if user.username else name


def button_name(user: User) -> str:
    """``First Last (@username)`` for a button label (plain text, not HTML)."""
    return f"{user.full_name} (@{user.username})" if user.username else user.full_name


def main_menu(welcome_text: str, first_name: str) -> str:
    return f"{welcome_text}\n\nHi, {escape(first_name, quote=False)}! {MENU_HINT}"


def vip_granted(subscription: Subscription, invite_link: str | None) -> str:
    text = (
        f"{VIP_GRANTED}: plan <b>{escape(subscription.plan.name, quote=False)}</b> "
        f"until {format_dt(subscription.ends_at)}."
    )
    if invite_link is None:
        return f"{text}\n{INVITE_LINK_FAILED}"
    return f"{text}\nYour personal invite link to the VIP channel (one join): {invite_link}"


def vip_status(subscription: Subscription | None) -> str:
    if subscription is None:
        return (
            "💎 You have no active VIP subscription. VIP access is by invitation: "
            "ask an administrator for a token."
        )
    text = (
        f"💎 VIP: plan <b>{escape(subscription.plan.name, quote=False)}</b>, "
        f"active until {format_dt(subscription.ends_at)}."
    )
    if subscription.invite_link:
        text += f"\nYour invite link: {subscription.invite_link}"
    return text


def free_status(request: FreeJoinRequest | None, wait_seconds: int) -> str:
    if request is None:
        return (
            "🆓 Ask to join the Free channel and your request will be approved automatically "
            f"after {format_wait_time(wait_seconds)}."
        )
    return (
        "🆓 Your request to join the Free channel is pending; it will be approved at "
        f"{format_dt(request.approve_after)}."
    )


def free_queued(request: FreeJoinRequest, wait_seconds: int) -> str:
    return (
        "⏳ Your request to join the Free channel is queued. It will be approved at "
        f"{format_dt(request.approve_after)} (in {format_wait_time(wait_seconds)})."
    )


def free_already_queued(request: FreeJoinRequest) -> str:
    return (
        "⏳ You already have a pending request to join the Free channel. It will be approved at "
        f"{format_dt(request.approve_after)}."
    )


def subscription_reminder(subscription: Subscription) -> str:
    return (
        f"⏰ Your VIP subscription (plan <b>{escape(subscription.plan.name, quote=False)}</b>) "
        f"ends at {format_dt(subscription.ends_at)}. Ask an administrator for a new token "
        "to extend it."
    )


def subscription_expired(subscription: Subscription) -> str:
    return (
        f"⌛ Your VIP subscription (plan <b>{escape(subscription.plan.name, quote=False)}</b>) "
        "has expired, and you were removed from the VIP channel."
    )


def subscription_extended(subscription: Subscription) -> str:
    return f"💎 Your VIP subscription was extended until {format_dt(subscription.ends_at)}."
