"""Migrations keep what was in the database meaning the same thing."""

from __future__ import annotations

from sqlalchemy import text

from bot.db.engine import make_engine
from bot.db.migrate import upgrade


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
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = dict((await conn.execute(text("SELECT external_id, held FROM conversations"))).all())
        assert rows == {"oKNOWN": True, "oNEW": True, "oQUIET": False}
    finally:
        if engine.dialect.name == "postgresql":  # leave the shared test schema as the other tests expect it
            await _fresh(engine)
            await upgrade(engine)
        await engine.dispose()
