"""Migrations keep what was in the database meaning the same thing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.channels.webchat import inbox_keys
from bot.db.base import utcnow
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.services.messaging.conversations import conversation_key, load_conversation
from bot.services.messaging.inbound import dedupe_key
from bot.services.messaging.sealing import Sealer
from bot.services.school import audit


async def _fresh(engine) -> None:
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))


async def test_0006_marks_whoever_has_messages_held(db_url: str, tmp_path) -> None:
    """Messages held before the flag existed still go out when their person writes again."""
    url = db_url if db_url.startswith("postgresql") else f"sqlite+inline:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    try:
        await _fresh(engine)
        await upgrade(engine, "0005")
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO conversations (channel, external_id, state, data, updated_at) VALUES "
                "('wechat', 'oKNOWN', 'menu', '{}', CURRENT_TIMESTAMP), "
                "('wechat', 'oQUIET', 'menu', '{}', CURRENT_TIMESTAMP)"))
            await conn.execute(text(
                "INSERT INTO outbox (channel, address, kind, text, options, priority, due_at, state, attempts, "
                "last_error, created_at) VALUES "
                "('wechat', 'oKNOWN', 'reminder', 'a', '[]', 0, CURRENT_TIMESTAMP, 'undeliverable', 1, "
                "'window closed: 45015', CURRENT_TIMESTAMP), "
                "('wechat', 'oNEW', 'notice', 'b', '[]', 0, CURRENT_TIMESTAMP, 'undeliverable', 1, "
                "'window closed: 45015', CURRENT_TIMESTAMP), "
                "('wechat', 'oNEW', 'notice', 'c', '[]', 0, CURRENT_TIMESTAMP, 'undeliverable', 1, "
                "'window closed: 45015', CURRENT_TIMESTAMP), "
                "('wechat', 'oQUIET', 'notice', 'd', '[]', 0, CURRENT_TIMESTAMP, 'undeliverable', 8, "
                "'HTTP 502', CURRENT_TIMESTAMP)"))
        await upgrade(engine, "0006")
        async with engine.connect() as conn:
            rows = dict((await conn.execute(text("SELECT external_id, held FROM conversations"))).all())
        assert rows == {"oKNOWN": True, "oNEW": True, "oQUIET": False}
    finally:
        if engine.dialect.name == "postgresql":  # leave the shared test schema as the other tests expect it
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()


async def test_0008_rekeys_senders_rows_with_the_server_key(db_url: str, tmp_path) -> None:
    """Conversations, message records, web inboxes and queued replies keep working, no longer naming anyone."""
    url = db_url if db_url.startswith("postgresql") else f"sqlite+inline:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    sealer = Sealer("migration-key")
    now = utcnow()
    try:
        await _fresh(engine)
        await upgrade(engine, "0006")
        async with engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO conversations (channel, external_id, state, data, crisis_level, crisis_at, updated_at, "
                "held) VALUES ('wechat', 'oOLD', 'thread_answer', :data, 'red', :now, :now, true)"),
                {"data": json.dumps(sealer.seal_stored({"thread": "K7M2QX9P"})), "now": now})
            await conn.execute(text(
                "INSERT INTO inbound_records (channel, dedupe_key, replies, created_at) VALUES "
                "('web', 'student-1:c1', '[]', :now), ('web', 'student-1:c0', '[]', :old)"),
                {"now": now, "old": now - timedelta(days=2)})
            await conn.execute(text(
                "INSERT INTO webchat_messages (user_id, kind, text, options, case_id, created_at) VALUES "
                "('demo-counsellor', 'page', '【心桥预警】', '[]', NULL, :now)"), {"now": now})
            await conn.execute(text(
                "INSERT INTO outbox (channel, address, kind, text, options, priority, due_at, state, attempts, "
                "created_at) VALUES ('telegram', '99', 'reply', '你的编号是 K7M2QX9P', '[]', 100, :now, "
                "'pending', 0, :now)"), {"now": now})
        with pytest.raises(RuntimeError, match="server key"):
            await upgrade(engine)  # converting senders' rows needs the key: refused, nothing changed
        await upgrade(engine, secret_key="migration-key")
        async with engine.connect() as conn:
            convs = (await conn.execute(text("SELECT channel, sender_key, state, held FROM conversations"))).all()
            records = (await conn.execute(text("SELECT dedupe_key, expires_at FROM inbound_records"))).all()
            inbox = (await conn.execute(text("SELECT user_key, kind FROM webchat_messages"))).all()
            queued = (await conn.execute(text("SELECT address, text, sealed FROM outbox"))).one()
        assert [tuple(c) for c in convs] == [("wechat", conversation_key(sealer, "wechat", "oOLD"), "thread_answer",
                                              True)]
        assert [r[0] for r in records] == [dedupe_key(sealer, "web", "student-1:c1")]  # the old one purged
        assert [tuple(m) for m in inbox] == [(inbox_keys(sealer, "demo-counsellor")[0], "page")]
        assert queued[:2] == (None, "") and sealer.unseal_json(queued[2])["address"] == "99"
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            conv = await load_conversation(session=session, channel="wechat", external_id="oOLD", now=utcnow(),
                                           sealer=sealer)
        assert (conv.state, conv.data, conv.crisis_level) == ("thread_answer", {"thread": "K7M2QX9P"}, "red")
    finally:
        if engine.dialect.name == "postgresql":
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()


async def test_0009_keeps_old_audit_entries_and_scopes_new_ones(db_url: str, tmp_path) -> None:
    """Entries from before 0009 stay readable (no school, no address); new ones are found by school."""
    url = db_url if db_url.startswith("postgresql") else f"sqlite+inline:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    try:
        await _fresh(engine)
        await upgrade(engine, "0008", secret_key="k")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO schools (name, timezone, created_at) VALUES "
                                    "('一中', 'Asia/Shanghai', :now), ('二中', 'Asia/Shanghai', :now)"),
                               {"now": utcnow()})
            await conn.execute(text("INSERT INTO audit_entries (at, actor, action, target) VALUES "
                                    "(:now, 'cli', 'invite.create', 'person:1')"), {"now": utcnow()})
        await upgrade(engine, secret_key="k")
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            audit.record(session, actor="person:2", action="case.view", target="case:5", school_id=1,
                         address="127.0.0.1")
            audit.record(session, actor="person:9", action="case.view", target="case:6", school_id=2)
        async with sessions() as session:
            old = await audit.entries(session, action_prefix="invite.")
            first = await audit.entries(session, school_id=1)
            by_target = await audit.entries(session, target="case:6")
        assert [(e.actor, e.school_id, e.address) for e in old] == [("cli", None, None)]
        assert [(e.target, e.address) for e in first] == [("case:5", "127.0.0.1")]
        assert [e.school_id for e in by_target] == [2]
    finally:
        if engine.dialect.name == "postgresql":
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()


async def test_0013_people_keep_their_rows_and_invites_their_codes(db_url: str, tmp_path) -> None:
    """People and invite codes from before 0013 are kept (no phone, no QR yet) and still bind; the new
    columns are written by the roster import and the invite sheet; downgrading drops only them."""
    url = db_url if db_url.startswith("postgresql") else f"sqlite+inline:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    now = utcnow()
    try:
        await _fresh(engine)
        await upgrade(engine, "0009", secret_key="k")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO schools (name, timezone, created_at) VALUES "
                                    "('一中', 'Asia/Shanghai', :now)"), {"now": now})
            await conn.execute(text("INSERT INTO people (school_id, name, roles, created_at) VALUES "
                                    "(1, '陈老师', 'counsellor', :now)"), {"now": now})
            await conn.execute(text("INSERT INTO invite_codes (code, person_id, expires_at, created_at) VALUES "
                                    "('OLDCODE2', 1, :later, :now)"), {"now": now, "later": now + timedelta(days=3)})
        await upgrade(engine, secret_key="k")
        async with engine.begin() as conn:
            row = (await conn.execute(text("SELECT name, phone FROM people"))).one()
            assert tuple(row) == ("陈老师", None)
            assert (await conn.execute(text("SELECT qr_url FROM invite_codes"))).scalar_one() is None
            await conn.execute(text("UPDATE people SET phone = '13812345678'"))
            await conn.execute(text("UPDATE invite_codes SET qr_url = 'http://weixin.qq.com/q/x'"))
        from bot.services.school.people import bind

        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            assert (await bind(session=session, channel="wecom", external_id="chen", code="OLDCODE2")).name == "陈老师"

        def down(connection) -> None:
            from alembic import command

            from bot.db.migrate import alembic_config

            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0009")

        async with engine.begin() as conn:
            await conn.run_sync(down)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT name FROM people"))).scalar_one() == "陈老师"
            assert (await conn.execute(text("SELECT code FROM invite_codes"))).scalar_one() == "OLDCODE2"
    finally:
        if engine.dialect.name == "postgresql":
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()


async def test_0011_adds_students_files_and_keeps_cases(db_url: str, tmp_path) -> None:
    """A case from before 0011 keeps its subject and names no student; files can be written after it."""
    url = db_url if db_url.startswith("postgresql") else f"sqlite+inline:///{tmp_path / 'old11.db'}"
    engine = make_engine(url)
    try:
        await _fresh(engine)
        await upgrade(engine, "0009", secret_key="k")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO schools (name, timezone, created_at) VALUES "
                                    "('一中', 'Asia/Shanghai', :now)"), {"now": utcnow()})
            await conn.execute(text("INSERT INTO cases (school_id, level, status, subject, source, created_at, "
                                    "updated_at) VALUES (1, 'yellow', 'new', '同桌小李', 'concern', :now, :now)"),
                               {"now": utcnow()})
        await upgrade(engine, secret_key="k")
        async with engine.begin() as conn:
            row = (await conn.execute(text("SELECT subject, student_id FROM cases"))).one()
            assert tuple(row) == ("同桌小李", None)
            await conn.execute(text("INSERT INTO students (school_id, name, number, attention_reason, created_at, "
                                    "updated_at) VALUES (1, '李明', '', '', :now, :now)"), {"now": utcnow()})
            await conn.execute(text("UPDATE cases SET student_id = 1"))
            assert (await conn.execute(text("SELECT count(*) FROM cases WHERE student_id = 1"))).scalar_one() == 1
    finally:
        if engine.dialect.name == "postgresql":
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()


async def test_0010_adds_console_accounts_beside_existing_people(db_url: str, tmp_path) -> None:
    """People from before 0010 get accounts and sessions; downgrading removes only the new tables."""
    from alembic import command
    from sqlalchemy import inspect, select

    from bot.db.migrate import alembic_config
    from bot.db.models import Person
    from bot.services.school import accounts
    from bot.services.school.console_sessions import live_session, open_session

    url = db_url if db_url.startswith("postgresql") else f"sqlite+inline:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    try:
        await _fresh(engine)
        await upgrade(engine, "0009", secret_key="k")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO schools (name, timezone, created_at) "
                                    "VALUES ('一中', 'Asia/Shanghai', :n)"), {"n": utcnow()})
            await conn.execute(text("INSERT INTO people (school_id, name, roles, created_at) "
                                    "VALUES (1, '陈老师', 'counsellor', :n)"), {"n": utcnow()})
        await upgrade(engine, secret_key="k")
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            chen = (await session.execute(select(Person))).scalar_one()
            link = await accounts.password_link(session=session, person=chen)
            await accounts.set_password(session=session, secret=link, password="a long password")
            done = await accounts.sign_in(session=session, school_id=1, name="陈老师", password="a long password",
                                          require_2fa=False)
            secret = await open_session(session=session, person=done.person, second_factor=True, address="::1")
        async with sessions() as session:
            assert await live_session(session=session, secret=secret, touch=False) is not None

        def down(connection) -> None:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0009")

        async with engine.begin() as conn:
            await conn.run_sync(down)
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert "people" in tables and not tables & {"accounts", "account_tokens", "console_sessions", "case_shares"}
    finally:
        if engine.dialect.name == "postgresql":
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()
