"""What the admin panel says: section texts, list pages, cards, prompts and reports."""

from collections.abc import Sequence
from html import escape

from bot.db.models import FreeJoinRequest, Plan, Subscription, User, VipToken
from bot.parsing import format_price, format_wait_time
from bot.services.pagination import Page
from bot.services.stats import Stats
from bot.texts import display_name, format_dt

# Button labels.
BTN_SECTION_VIP = "VIP"
BTN_SECTION_FREE = "Free"
BTN_SECTION_USERS = "Users"
BTN_SECTION_STATS = "Stats"
BTN_SECTION_BROADCAST = "Broadcast"
BTN_ISSUE_TOKEN = "Issue token"
BTN_SUBSCRIBERS = "Subscribers"
BTN_NEW_PLAN = "New plan"
BTN_EXTEND = "Extend"
BTN_REVOKE = "Revoke"
BTN_SAVE = "Save"
BTN_CANCEL = "Cancel"
BTN_SEND = "Send"
BTN_SET_WAIT = "Set wait time"
BTN_PENDING = "Pending requests"
BTN_APPROVE_ALL = "Approve all now"
BTN_SEARCH = "Search"
BTN_BAN = "Ban"
BTN_UNBAN = "Unban"

ADMIN_PANEL = "🛠 <b>Admin panel</b>\nChoose a section."
NO_PLANS = "There are no active plans yet. Create one with “New plan”."
CHOOSE_PLAN = "🎟 Choose the plan for the new token:"
PLAN_GONE = "This plan no longer exists."
SUBSCRIPTION_GONE = "This subscription no longer exists."
SUBSCRIPTION_NOT_ACTIVE = "This subscription is no longer active."
USER_GONE = "This user no longer exists."
ASK_PLAN_NAME = "Send the name of the new plan (up to 32 characters), or /cancel."
ASK_PLAN_DAYS = "Send the duration in days (1–3650), or /cancel."
ASK_PLAN_PRICE = "Send the price, e.g. 9.99 (0 for free), or /cancel."
ASK_WAIT = "Send the new wait time: 30m, 2h, 1d or a number of minutes (0 to 30 days), or /cancel."
ASK_SEARCH = "Send a username or a numeric user id, or /cancel."
ASK_BROADCAST = "Send the text to broadcast to every user, or /cancel."
SEND_TEXT = "Please send text."
BROADCAST_CANCELLED = "Broadcast cancelled."
PLAN_CANCELLED = "Plan creation cancelled."
CANNOT_BAN_ADMIN = "Administrators cannot be banned."
USER_BANNED = "User banned."
USER_UNBANNED = "User unbanned."
REVOKED = "Subscription revoked."
DIALOG_ENDED = "This dialog has already ended."


def invalid_input(error: str, prompt: str) -> str:
    return f"⚠️ {escape(error, quote=False)}\n{prompt}"


def plan_line(plan: Plan) -> str:
    return (
        f"• <b>{escape(plan.name, quote=False)}</b> — {plan.days} days, "
        f"{format_price(plan.price_cents)}"
    )


def vip_panel(plans: Sequence[Plan], active_subscribers: int) -> str:
    lines = [plan_line(plan) for plan in plans] or ["No plans yet."]
    return (
        "💎 <b>VIP</b>\nPlans:\n"
        + "\n".join(lines)
        + f"\n\nActive subscribers: {active_subscribers}"
    )


def token_issued(token: VipToken, link: str) -> str:
    return (
        f"🎟 Token for <b>{escape(token.plan.name, quote=False)}</b> ({token.plan.days} days), "
        f"valid until {format_dt(token.expires_at)}:\n<code>{escape(token.token)}</code>\n"
        f"Link: {escape(link)}"
    )


def subscribers_page(page: Page[Subscription]) -> str:
    header = f"💎 <b>Active subscribers</b> ({page.total}), page {page.number + 1}/{page.pages}"
    if not page.items:
        return f"{header}\nNo active subscribers."
    lines = [
        f"{page.offset + index}. {display_name(sub.user)} — "
        f"{escape(sub.plan.name, quote=False)} — until {format_dt(sub.ends_at)}"
        for index, sub in enumerate(page.items, start=1)
    ]
    return header + "\n" + "\n".join(lines)


def subscription_card(subscription: Subscription) -> str:
    return (
        f"💎 <b>Subscription #{subscription.id}</b>\n"
        f"User: {display_name(subscription.user)}, id {subscription.user_id}\n"
        f"Plan: {escape(subscription.plan.name, quote=False)}\n"
        f"Started: {format_dt(subscription.starts_at)}\n"
        f"Ends: {format_dt(subscription.ends_at)}\n"
        f"Status: {subscription.status.value}"
    )


def new_plan_summary(name: str, days: int, price_cents: int) -> str:
    return (
        "🆕 <b>New plan</b>\n"
        f"Name: {escape(name, quote=False)}\nDays: {days}\nPrice: {format_price(price_cents)}\n"
        "Save it?"
    )


def plan_created(plan: Plan) -> str:
    return f"✅ Plan <b>{escape(plan.name, quote=False)}</b> created."


def free_panel(wait_seconds: int, pending: int) -> str:
    return (
        "🆓 <b>Free channel</b>\n"
        f"Wait before approval: {format_wait_time(wait_seconds)}\n"
        f"Pending requests: {pending}"
    )


def wait_set(wait_seconds: int) -> str:
    return f"✅ Wait time set to {format_wait_time(wait_seconds)}."


def pending_page(page: Page[FreeJoinRequest]) -> str:
    header = f"🆓 <b>Pending requests</b> ({page.total}), page {page.number + 1}/{page.pages}"
    if not page.items:
        return f"{header}\nNo pending requests."
    lines = [
        f"{page.offset + index}. {display_name(request.user)} — "
        f"approve at {format_dt(request.approve_after)}"
        for index, request in enumerate(page.items, start=1)
    ]
    return header + "\n" + "\n".join(lines)


def approved_all(count: int) -> str:
    return f"✅ Approved {count} pending request{'s' if count != 1 else ''}."


def users_page(page: Page[User]) -> str:
    header = f"👥 <b>Users</b> ({page.total}), page {page.number + 1}/{page.pages}"
    if not page.items:
        return f"{header}\nNo users yet."
    lines = [
        f"{page.offset + index}. {display_name(user)} — id {user.id}"
        + (" · banned" if user.banned else "")
        for index, user in enumerate(page.items, start=1)
    ]
    return header + "\n" + "\n".join(lines)


def search_results(query: str, users: Sequence[User]) -> str:
    quoted = escape(query, quote=False)
    if not users:
        return f"🔎 No users match “{quoted}”."
    return f"🔎 Users matching “{quoted}”: {len(users)}"


def user_card(user: User) -> str:
    lines = [
        f"👤 <b>{display_name(user)}</b>",
        f"ID: <code>{user.id}</code>",
        f"Role: {user.role.value} · Language: {escape(user.language or '-', quote=False)}",
        f"Created: {format_dt(user.created_at)}",
        f"Last seen: {format_dt(user.last_seen_at)}",
        f"Banned: {_yes_no(user.banned)} · Blocked the bot: {_yes_no(user.blocked_bot)}",
        "",
        "<b>Subscriptions</b>",
    ]
    lines += [
        f"• {escape(sub.plan.name, quote=False)} — {sub.status.value}, "
        f"{format_dt(sub.starts_at)} → {format_dt(sub.ends_at)}"
        for sub in user.subscriptions
    ] or ["none"]
    lines += ["", "<b>Free requests</b>"]
    lines += [
        f"• {request.status.value}, requested {format_dt(request.requested_at)}, "
        f"approve after {format_dt(request.approve_after)}"
        for request in user.free_requests
    ] or ["none"]
    return "\n".join(lines)


def stats(data: Stats) -> str:
    per_plan = [
        f"• {escape(name, quote=False)}: {count}" for name, count in data.active_vip_by_plan
    ]
    return "\n".join(
        [
            "📊 <b>Statistics</b>",
            f"Users: {data.users_total}",
            f"Active VIP: {data.active_vip_total}",
            *per_plan,
            f"Pending free requests: {data.pending_free}",
            f"Tokens in the last 7 days: issued {data.tokens_issued}, "
            f"redeemed {data.tokens_redeemed}",
        ]
    )


def broadcast_preview(text: str, recipients: int) -> str:
    # ``text`` is the admin's message as HTML (``Message.html_text``), already escaped.
    return f"📣 <b>Preview</b>\n\n{text}\n\nRecipients: {recipients}"


def broadcast_sending(recipients: int) -> str:
    return f"📣 Sending to {recipients} users…"


def broadcast_report(sent: int, failed: int) -> str:
    return f"📣 Broadcast finished: sent {sent}, failed {failed}."


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
