"""A serving worker does before its first message what a burst would otherwise wait for."""

from __future__ import annotations

import asyncio
import gc

import pytest

from bot.app import App
from bot.db.engine import make_engine, warm_pool
from keywords import Triager


async def test_warm_pool_opens_every_pooled_connection(db_url: str) -> None:
    engine = make_engine(db_url, pool_size=3)
    try:
        assert engine.pool.checkedin() == 0  # type: ignore[attr-defined]
        opened = await warm_pool(engine)
        assert opened == engine.pool.size() == (1 if db_url.startswith("sqlite") else 3)  # type: ignore[attr-defined]
        # all of them wait, open, in the pool; none is left checked out
        assert engine.pool.checkedin() == opened  # type: ignore[attr-defined]
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_a_full_pool_makes_the_next_transaction_wait_rather_than_open_more(db_url: str) -> None:
    engine = make_engine(db_url, pool_size=2)

    async def checkout():
        return await engine.connect()

    held = [await checkout() for _ in range(engine.pool.size())]  # type: ignore[attr-defined]
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(checkout(), timeout=0.3)
        waiting = asyncio.create_task(checkout())
        await asyncio.sleep(0.05)
        await held.pop().close()  # a connection comes back: the waiting transaction gets it
        held.append(await asyncio.wait_for(waiting, timeout=5))
        assert engine.pool.checkedout() == engine.pool.size()  # type: ignore[attr-defined]
    finally:
        for conn in held:
            await conn.close()
        await engine.dispose()


async def test_ready_to_serve_opens_the_pool_loads_the_dictionary_and_freezes_startup_objects(
        settings, tmp_path) -> None:
    app = App(settings, triager=Triager.load(cache_dir=tmp_path / "jieba"))
    await app.prepare()
    assert not app.triager.segmenter.loaded
    try:
        await app.ready_to_serve()
        assert app.triager.segmenter.loaded
        assert app.engine.pool.checkedin() == app.engine.pool.size()  # type: ignore[attr-defined]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        await app.close()
