"""Shared fixtures: a real database (SQLite always, PostgreSQL when XINQIAO_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from bot.app import App
from bot.config import Settings
from bot.db.engine import make_engine
from bot.db.migrate import upgrade
from keywords import Triager
from tests.channels import Everywhere, everywhere
from tests.fakes.serve import serving
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.weixin_api import FakeWeixin

PG_URL = os.environ.get("XINQIAO_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def triager(tmp_path_factory: pytest.TempPathFactory) -> Triager:
    """The shipped lexicon, loaded once for the whole run."""
    return Triager.load(cache_dir=tmp_path_factory.mktemp("jieba"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def run() -> None:
        engine = make_engine(f"sqlite+inline:///{path}")
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(run())
    return path


@pytest.fixture(scope="session")
def pg_ready() -> bool:
    """Reset the PostgreSQL schema once and migrate it."""
    if not PG_URL:
        return False

    async def run() -> None:
        engine = make_engine(PG_URL)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(run())
    return True


async def _truncate_pg() -> None:
    engine = make_engine(PG_URL)
    async with engine.begin() as conn:
        rows = await conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"))
        tables = ", ".join(f'"{r[0]}"' for r in rows)
        if tables:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A clean database for one test."""
    if request.param == "postgresql":
        request.getfixturevalue("pg_ready")
        asyncio.run(_truncate_pg())
        return PG_URL
    path = tmp_path / "xinqiao.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+inline:///{path}"


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Settings pointing at the test database and a private data dir."""
    return Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="test-secret-key",
                    school_numbers="校心理热线 0371-00000000")


@pytest.fixture
async def app(settings: Settings, triager: Triager) -> AsyncIterator[App]:
    """The demo school, ready."""
    bot = App(settings, triager=triager)
    await bot.prepare(demo=True)
    bot.checkins_on_tick = False  # a run on a Friday afternoon must not get this week's ask; tests drive the clock
    yield bot
    await bot.close()


class Chat:
    """Talks to the web chat API like the page does, then lets deliveries finish."""

    def __init__(self, client: httpx.AsyncClient, app: App) -> None:
        self.client = client
        self.app = app
        self._ids = itertools.count(1)

    async def post(self, user: str, text: str, client_id: str | None = None) -> httpx.Response:
        """POST one message; returns the raw response."""
        body = {"user": user, "text": text, "client_id": client_id or f"c{next(self._ids)}"}
        response = await self.client.post("/chat/api/messages", json=body)
        await self.app.settle()
        return response

    async def say(self, user: str, text: str, client_id: str | None = None) -> list[dict[str, Any]]:
        """POST one message; returns the replies (and fails on a non-200)."""
        response = await self.post(user, text, client_id)
        assert response.status_code == 200, response.text
        return response.json()["replies"]

    async def inbox(self, user: str, after: int = 0) -> list[dict[str, Any]]:
        """Everything pushed to the user (after a tick and the sends it handed to their lanes)."""
        await self.app.tick()
        await self.app.settle()
        response = await self.client.get("/chat/api/inbox", params={"user": user, "after": after})
        assert response.status_code == 200, response.text
        return response.json()["messages"]


@pytest.fixture
async def chat(app: App) -> AsyncIterator[Chat]:
    """A chat client on the in-process ASGI app."""
    transport = httpx.ASGITransport(app=app.asgi(clock=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://xinqiao.test") as client:
        yield Chat(client, app)


@pytest.fixture(scope="session")
def platform_fakes() -> Iterator[tuple[tuple[FakeWeixin, str], tuple[FakeTelegram, str]]]:
    """The WeChat/WeCom and Telegram API fakes, served on loopback for the whole run."""
    weixin, telegram = FakeWeixin(), FakeTelegram()
    with serving(weixin.app()) as wx_base, serving(telegram.app()) as tg_base:
        yield (weixin, wx_base), (telegram, tg_base)


@pytest.fixture
async def every(tmp_path: Path, db_url: str, triager: Triager, platform_fakes) -> AsyncIterator[Everywhere]:
    """The demo school with every channel on (WeChat in safe mode), and a client that talks as each."""
    weixin, telegram = platform_fakes
    async with everywhere(tmp_path, db_url, triager, weixin, telegram) as client:
        yield client


def run_cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `xinqiao …` as a separate process, as an admin would."""
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def cli_env(tmp_path: Path, db_url: str) -> dict[str, str]:
    """The environment of a CLI run on the test database."""
    return dict(os.environ, XINQIAO_DATA_DIR=str(tmp_path / "data"), XINQIAO_DATABASE_URL=db_url,
                XINQIAO_SECRET_KEY="cli-test", COLUMNS="200")
