"""Conversation state at rest: sealed, still readable when saved before sealing, safe when unreadable."""

from __future__ import annotations

from datetime import timedelta

from bot.db.base import utcnow
from bot.db.models import Conversation
from bot.services.conversations import load_conversation, save_conversation
from bot.services.sealing import Sealer


async def test_saved_sealed_plain_and_unreadable(app) -> None:
    now, idle = utcnow(), timedelta(minutes=30)
    async with app.sessions() as session, session.begin():
        session.add_all([
            Conversation(channel="web", external_id="old", state="report_signs", data={"who": "后排的小张"},
                         updated_at=now),
            Conversation(channel="web", external_id="rekeyed", state="report_signs",
                         data={"sealed": Sealer("another key").seal_json({"who": "x"})}, updated_at=now),
        ])
    async with app.sessions() as session, session.begin():
        old = await load_conversation(session=session, channel="web", external_id="old", now=now, idle=idle,
                                      sealer=app.sealer)
        rekeyed = await load_conversation(session=session, channel="web", external_id="rekeyed", now=now, idle=idle,
                                          sealer=app.sealer)
        assert (old.state, old.data) == ("report_signs", {"who": "后排的小张"})  # saved before sealing
        assert (rekeyed.state, rekeyed.data) == ("menu", {})  # unreadable: back to the menu, not a crash
        await save_conversation(session=session, conv=old, sealer=app.sealer)
    async with app.sessions() as session, session.begin():
        row = await session.get(Conversation, ("web", "old"))
        assert set(row.data) == {"sealed"} and "小张" not in str(row.data)
        again = await load_conversation(session=session, channel="web", external_id="old", now=now, idle=idle,
                                        sealer=app.sealer)
        assert again.data == {"who": "后排的小张"}
