"""Fixtures shared by the bot's tests: a fake WeChat/WeCom API served on loopback, and an app on WeCom."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.config import Settings
from bot.db.models import Identity, Person
from keywords import Triager
from tests.fakes.serve import serving
from tests.fakes.weixin_api import FakeWeixin

WECOM_AES_KEY = base64.b64encode(hashlib.sha256(b"xinqiao-wecom").digest()).decode()[:43]


@pytest.fixture(scope="module")
def weixin() -> Iterator[tuple[FakeWeixin, str]]:
    """The fake API, served once per test module (a module may define its own with other ids)."""
    fake = FakeWeixin()
    with serving(fake.app()) as base:
        yield fake, base


@asynccontextmanager
async def wecom_app(tmp_path: Path, db_url: str, triager: Triager, weixin: tuple[FakeWeixin, str],
                    addresses: dict[str, str]) -> AsyncIterator[App]:
    """The demo school on WeCom against the fake, each named person (name prefix -> WeCom user id) bound."""
    fake, base = weixin
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="k", wecom_corp_id=fake.corp_id,
                        wecom_agent_id="1000002", wecom_secret=fake.corp_secret, wecom_token="t",
                        wecom_aes_key=WECOM_AES_KEY, wecom_api_base=base)
    app = App(settings, triager=triager)
    await app.prepare(demo=True)
    app.checkins_on_tick = False
    async with app.sessions() as session, session.begin():
        for name, address in addresses.items():
            person = (await session.execute(select(Person).where(Person.name.startswith(name)))).scalar_one()
            session.add(Identity(person_id=person.id, channel="wecom", external_id=address))
    try:
        yield app
    finally:
        await app.close()
