"""Conversation state at rest: keyed by a keyed hash, sealed (crisis memory included), still readable when
saved before sealing, safe when unreadable; the only time kept is the idle expiry, to the minute."""

from __future__ import annotations

from datetime import timedelta

from bot.db.base import utcnow
from bot.db.models import Conversation
from bot.services.messaging.conversations import conversation_key, load_conversation, save_conversation
from bot.services.messaging.sealing import Sealer


async def test_saved_sealed_plain_and_unreadable(app) -> None:
    now, idle = utcnow(), timedelta(minutes=30)
    old_key, rekeyed_key = conversation_key(app.sealer, "web", "old"), conversation_key(app.sealer, "web", "rekeyed")
    async with app.sessions() as session, session.begin():
        session.add_all([
            Conversation(channel="web", sender_key=old_key, state="report_signs", data={"who": "后排的小张"},
                         idle_until=now + idle),
            Conversation(channel="web", sender_key=rekeyed_key, state="report_signs",
                         data={"sealed": Sealer("another key").seal_json({"who": "x"})}, idle_until=now + idle),
        ])
    async with app.sessions() as session, session.begin():
        old = await load_conversation(session=session, channel="web", external_id="old", now=now, sealer=app.sealer)
        rekeyed = await load_conversation(session=session, channel="web", external_id="rekeyed", now=now,
                                          sealer=app.sealer)
        assert (old.state, old.data) == ("report_signs", {"who": "后排的小张"})  # saved before sealing
        assert (rekeyed.state, rekeyed.data) == ("menu", {})  # unreadable: back to the menu, not a crash
        old.crisis_level, old.crisis_at = "red", now
        await save_conversation(session=session, conv=old, sealer=app.sealer, idle=idle)
    async with app.sessions() as session, session.begin():
        row = await session.get(Conversation, ("web", old_key))
        assert set(row.data) == {"sealed"} and "小张" not in str(row.data)
        assert row.idle_until.second == row.idle_until.microsecond == 0  # to the minute
        assert now + idle <= row.idle_until < now + idle + timedelta(minutes=1)
        again = await load_conversation(session=session, channel="web", external_id="old", now=now, sealer=app.sealer)
        assert again.data == {"who": "后排的小张"} and (again.crisis_level, again.crisis_at) == ("red", now)
        later = await load_conversation(session=session, channel="web", external_id="old", now=now + timedelta(
            hours=25), sealer=app.sealer)
        assert later.state == "menu" and later.crisis_level is None  # idle expired; crisis memory after a day


async def test_a_menu_conversation_keeps_no_time(chat, app) -> None:
    await chat.say("timeless", "你好")
    async with app.sessions() as session:
        row = await session.get(Conversation, ("web", conversation_key(app.sealer, "web", "timeless")))
    assert row.state == "menu" and row.idle_until is None
