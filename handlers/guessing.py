"""Invite and thread codes are not guessable by trying: repeated failures make the sender wait."""

from __future__ import annotations

from bot.events import Reply
from bot.services.messaging import guesses
from handlers.base import Context, Result, State
from handlers.crisis import fill

WAIT = ("尝试的次数太多了。为了保护大家的信息安全，请{minutes}分钟后再试。"
        "如果你现在有危险，请马上拨打{emergency}，也可以拨打心理援助热线{hotline}。")


async def refused(ctx: Context, what: str) -> Result | None:
    """The reply to a sender who must wait before trying another code (counted too), or None when they may try."""
    minutes = await guesses.wait_minutes(session=ctx.session, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                         external_id=ctx.inbound.sender, now=ctx.now)
    if not minutes:
        return None
    await failed(ctx, what)
    return Result([Reply(fill(WAIT, ctx.settings, minutes=minutes), ("求助热线", "菜单"))], State.MENU)


async def failed(ctx: Context, what: str) -> None:
    """Count a code that did not work, or was not tried because the sender must wait (what: invite, thread)."""
    await guesses.record_failure(session=ctx.session, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                 external_id=ctx.inbound.sender, what=what, now=ctx.now)
