"""Database layer: models, engine and schema helpers."""

from bot.db.engine import create_engine_and_sessionmaker, create_schema
from bot.db.models import (
    Base,
    FreeJoinRequest,
    Plan,
    RequestStatus,
    Role,
    Setting,
    Subscription,
    SubscriptionStatus,
    User,
    VipToken,
)

__all__ = [
    "Base",
    "FreeJoinRequest",
    "Plan",
    "RequestStatus",
    "Role",
    "Setting",
    "Subscription",
    "SubscriptionStatus",
    "User",
    "VipToken",
    "create_engine_and_sessionmaker",
    "create_schema",
]
