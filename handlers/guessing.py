"""Invite and thread codes are not guessable by trying: repeated failures make the sender wait."""

from __future__ import annotations

from bot.events import Reply
from bot.services.messaging import guesses
from bot.texts import bind as T
from bot.texts.fill import fill
from bot.texts.menu import OPT_HOTLINE, OPT_MENU
from handlers.base import Context, Result, State


async def refused(ctx: Context, what: str) -> Result | None:
    """The reply to a sender who must wait before trying another code (counted too), or None when they may try."""
    minutes = await guesses.wait_minutes(session=ctx.session, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                         external_id=ctx.inbound.sender, now=ctx.now)
    if not minutes:
        return None
    await failed(ctx, what)
    return Result([Reply(fill(T.WAIT, ctx.settings, minutes=minutes), (OPT_HOTLINE, OPT_MENU))], State.MENU)


async def failed(ctx: Context, what: str) -> None:
    """Count a code that did not work, or was not tried because the sender must wait (what: invite, thread)."""
    await guesses.record_failure(session=ctx.session, sealer=ctx.sealer, channel=ctx.inbound.channel,
                                 external_id=ctx.inbound.sender, what=what, now=ctx.now)
