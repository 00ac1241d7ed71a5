"""Binding a channel to a committee member or staff account with a one-time invite code."""

from __future__ import annotations

import re

from bot.events import Reply
from bot.services.school.people import BindError
from bot.services.school.people import bind as bind_identity
from bot.texts import bind as T
from bot.texts.bind import OPT_BIND_WORD
from bot.texts.menu import OPT_CANCEL, OPT_MENU
from handlers import guessing
from handlers.base import Command, Context, Flow, Result, State

ROLE_NAMES = T.ROLE_NAMES  # the catalogue's own dict (an override changes it in place), for code using the old name
_CODE = re.compile(r"^[A-Za-z0-9]{6,12}$")


def start(ctx: Context) -> Result:
    """Ask for the invite code."""
    return Result([Reply(T.ASK_CODE, (OPT_CANCEL,))], State.BIND_CODE)


async def _bind(ctx: Context, code: str) -> Result:
    wait = await guessing.refused(ctx, "invite")
    if wait is not None:
        return wait
    if not _CODE.fullmatch(code):  # not shaped like a code: a slip, not a guess
        return Result([Reply(T.REFUSED["unknown"], (OPT_CANCEL,))], State.BIND_CODE)
    try:
        person = await bind_identity(session=ctx.session, channel=ctx.inbound.channel,
                                     external_id=ctx.inbound.sender, code=code, now=ctx.now,
                                     staff=ctx.inbound.staff)
    except BindError as err:
        if err.reason in ("unknown", "used", "expired"):  # a code that is not theirs to use
            await guessing.failed(ctx, "invite")
        retry = err.reason in ("unknown",)
        return Result([Reply(T.REFUSED[err.reason], (OPT_CANCEL,) if retry else (OPT_MENU,))],
                      State.BIND_CODE if retry else State.MENU)
    roles = "、".join(T.ROLE_NAMES.get(r, r) for r in sorted(person.role_set))
    return Result([Reply(T.BOUND.format(name=person.name, roles=roles), (OPT_MENU,))], State.MENU)


async def code_step(ctx: Context) -> Result:
    """The code typed after the prompt."""
    return await _bind(ctx, ctx.text.strip())


async def _bind_command(ctx: Context, m: re.Match[str]) -> Result:
    return await _bind(ctx, m.group(1))


async def _start_command(ctx: Context, _m: re.Match[str]) -> Result:
    return start(ctx)


FLOW = Flow(
    name="bind",
    steps={State.BIND_CODE: code_step},
    commands=(Command(re.compile(rf"^\s*{OPT_BIND_WORD}\s*([A-Za-z0-9]+)\s*$"), _bind_command),
              Command(re.compile(rf"^\s*({OPT_BIND_WORD}|/bind)\s*$", re.I), _start_command)),
)
