"""One-time VIP tokens: issuing and redeeming."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.clock import utcnow
from bot.db.models import Plan, Subscription, VipToken
from bot.services.subscriptions import grant_subscription

TOKEN_TTL = timedelta(days=7)
# Deep-link payloads allow at most 64 characters of [A-Za-z0-9_-].
MAX_TOKEN_LENGTH = 64


class RedeemStatus(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class RedeemResult:
    status: RedeemStatus
    token: VipToken | None = None
    subscription: Subscription | None = None


def new_token() -> str:
    """A fresh unguessable token that fits in a ``/start`` deep link (16 characters)."""
    return secrets.token_urlsafe(12)


async def issue_token(
    session: AsyncSession,
    *,
    plan: Plan,
    creator_id: int | None,
    token: str,
    ttl: timedelta = TOKEN_TTL,
) -> VipToken:
    """Store a new token for ``plan``, valid for ``ttl``."""
    now = utcnow()
    vip_token = VipToken(
        token=token, plan=plan, created_by=creator_id, created_at=now, expires_at=now + ttl
    )
    session.add(vip_token)
    await session.flush()
    return vip_token


async def redeem_token(session: AsyncSession, *, token: str, user_id: int) -> RedeemResult:
    """Redeem ``token`` for ``user_id``: grant or extend their subscription on success.

    Unknown, already used and expired tokens give distinct statuses so the user is told why.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return RedeemResult(RedeemStatus.INVALID)
    statement = select(VipToken).where(VipToken.token == token).options(joinedload(VipToken.plan))
    vip_token = (await session.execute(statement)).scalar_one_or_none()
    if vip_token is None:
        return RedeemResult(RedeemStatus.INVALID)
    if vip_token.redeemed_at is not None:
        return RedeemResult(RedeemStatus.USED, vip_token)
    now = utcnow()
    if vip_token.expires_at <= now:
        return RedeemResult(RedeemStatus.EXPIRED, vip_token)
    # A conditional update, so two users racing for one token cannot both win.
    claimed = await session.execute(
        update(VipToken)
        .where(VipToken.id == vip_token.id, VipToken.redeemed_at.is_(None))
        .values(redeemed_by=user_id, redeemed_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return RedeemResult(RedeemStatus.USED, vip_token)
    subscription = await grant_subscription(session, user_id=user_id, plan=vip_token.plan)
    return RedeemResult(RedeemStatus.OK, vip_token, subscription)
