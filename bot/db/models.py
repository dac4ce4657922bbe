"""The bot's tables as SQLAlchemy 2 typed ORM classes.

Timestamps are naive UTC set from :func:`bot.clock.utcnow` in Python (never a server default),
and enums are stored as short strings, so the schema behaves the same on SQLite and PostgreSQL.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.clock import utcnow


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


def _str_enum(enum: type[StrEnum], name: str) -> Enum:
    # Store the values ("active"), not the member names ("ACTIVE"), and skip native enum
    # types and CHECK constraints so both backends hold a plain VARCHAR.
    return Enum(
        enum,
        name=name,
        native_enum=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128))
    last_name: Mapped[str | None] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[Role] = mapped_column(_str_enum(Role, "user_role"), default=Role.USER)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    banned: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)

    subscriptions: Mapped[list["Subscription"]] = relationship(
        back_populates="user", order_by="Subscription.starts_at"
    )
    free_requests: Mapped[list["FreeJoinRequest"]] = relationship(
        back_populates="user", order_by="FreeJoinRequest.requested_at"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    days: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VipToken(Base):
    __tablename__ = "vip_tokens"
    __table_args__ = (
        Index("ix_vip_tokens_created_at", "created_at"),
        Index("ix_vip_tokens_redeemed_at", "redeemed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime())
    redeemed_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    redeemed_at: Mapped[datetime | None] = mapped_column(DateTime())

    plan: Mapped[Plan] = relationship()


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("ix_subscriptions_user_status", "user_id", "status"),
        Index("ix_subscriptions_status_ends_at", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime())
    ends_at: Mapped[datetime] = mapped_column(DateTime())
    status: Mapped[SubscriptionStatus] = mapped_column(
        _str_enum(SubscriptionStatus, "subscription_status"), default=SubscriptionStatus.ACTIVE
    )
    invite_link: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime())

    user: Mapped[User] = relationship(back_populates="subscriptions")
    plan: Mapped[Plan] = relationship()


class FreeJoinRequest(Base):
    __tablename__ = "free_join_requests"
    __table_args__ = (
        Index("ix_free_join_requests_user_chat_status", "user_id", "chat_id", "status"),
        Index("ix_free_join_requests_status_approve_after", "status", "approve_after"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    requested_at: Mapped[datetime] = mapped_column(DateTime())
    approve_after: Mapped[datetime] = mapped_column(DateTime())
    status: Mapped[RequestStatus] = mapped_column(
        _str_enum(RequestStatus, "request_status"), default=RequestStatus.PENDING
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime())

    user: Mapped[User] = relationship(back_populates="free_requests")


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
