"""The fallback counts deliveries: a chain whose every page failed pages everyone, not no one."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select, update

from bot.db.models import Identity, Page
from bot.events import Delivery, Outbound
from bot.services.crisis.policies import parse_policy, set_policy
from tests.bot.test_escalation import RED, events, fire


@dataclass
class FailingChannel:
    """A channel fake that fails every send, asking to be retried after retry_after seconds (0: backoff)."""

    name: str
    retry_after: float = 0
    pushes: list[Outbound] = field(default_factory=list)

    async def send(self, push: Outbound) -> Delivery:
        self.pushes.append(push)
        return Delivery(ok=False, retry_after=self.retry_after, error="HTTP 502")


@pytest.mark.parametrize(("retry_after", "steps", "until"), [
    (0, "on_duty:1m,backup:1m", 120),  # each page fails four times and is given up
    (30, "on_duty:20s,backup:20s", 45),  # still failing, between retries, when the last step is done
], ids=["undeliverable", "still-retrying"])
async def test_every_delivery_failing_pages_everyone(chat, app, retry_after, steps, until) -> None:
    app.channels["down"] = down = FailingChannel("down", retry_after=retry_after)
    async with app.sessions() as session, session.begin():
        await set_policy(session=session, school_id=app.school_id, policy=parse_policy("red", steps, None))
        await session.execute(update(Identity).where(Identity.external_id.in_(["demo-counsellor", "demo-backup"]))
                              .values(channel="down"))
    await chat.say("s1", RED)
    for seconds in range(3, until + 1, 3):
        await fire(app, seconds=seconds)
    assert len(down.pushes) >= 2  # both steps were tried
    assert "nobody_reached" in await events(app) and "escalation_exhausted" in await events(app)
    leader = [m for m in await chat.inbox("demo-leader") if m["kind"] == "page"]
    assert len(leader) == 1 and "值班链上没有人收到预警" in leader[0]["text"]  # the leader is in no step
    async with app.sessions() as session:
        reasons = sorted(set((await session.execute(select(Page.reason))).scalars()))
    assert reasons == ["fallback", "step"]
