"""The admin panel: one parent router with the guard, one sub-router per section."""

from aiogram import F, Router
from aiogram.enums import ChatType

from bot.handlers.admin import broadcast, free, panel, plans, profile, stats, users, vip
from bot.middlewares import AdminGuardMiddleware


def create_router(admin_ids: frozenset[int]) -> Router:
    """Build the admin routers; everyone not in ``admin_ids`` gets the same refusal.

    The guard is an inner middleware on the parent, so it runs only once an admin handler has
    matched (other users' ordinary messages pass through untouched) and it covers every
    section's messages and button presses.
    """
    router = Router(name="admin")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    guard = AdminGuardMiddleware(admin_ids)
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    router.include_routers(
        panel.create_router(),
        vip.create_router(),
        plans.create_router(),
        free.create_router(),
        users.create_router(),
        stats.create_router(),
        broadcast.create_router(),
        profile.create_router(),
    )
    return router
