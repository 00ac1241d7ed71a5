"""A serving worker opens its database connections before its first message, not during a burst."""

from __future__ import annotations

from bot.db.engine import make_engine, warm_pool


async def test_warm_pool_opens_every_pooled_connection(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert engine.pool.checkedin() == 0  # type: ignore[attr-defined]
        opened = await warm_pool(engine)
        assert opened == engine.pool.size() >= 1  # type: ignore[attr-defined]
        # all of them wait, open, in the pool; none is left checked out
        assert engine.pool.checkedin() == opened  # type: ignore[attr-defined]
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
