"""Console test helpers: staff with passwords, a browser-like client that signs in and submits forms."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
from sqlalchemy import select

from bot.app import App
from bot.db.models import Identity, Person, School
from bot.services.school import accounts

PASSWORD = "correct horse 电池"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def person(app: App, name_start: str) -> Person:
    """A person of the demo school by the start of their name."""
    async with app.sessions() as session:
        return (await session.execute(select(Person).where(Person.name.startswith(name_start)))).scalars().one()


async def add_person(app: App, name: str, roles: str, *, school_id: int | None = None, group_id: int | None = None,
                     web_id: str | None = None) -> Person:
    """Another person (in the demo school or another), optionally bound to the web chat."""
    async with app.sessions() as session, session.begin():
        p = Person(school_id=school_id or app.school_id, name=name, roles=roles, group_id=group_id)
        session.add(p)
        await session.flush()
        if web_id:
            session.add(Identity(person_id=p.id, channel="web", external_id=web_id))
        return p


async def other_school(app: App) -> int:
    """A second school's id."""
    async with app.sessions() as session, session.begin():
        school = School(name="第二中学", timezone="Asia/Shanghai")
        session.add(school)
        await session.flush()
        return school.id


async def give_password(app: App, who: Person, password: str = PASSWORD) -> None:
    """What `xinqiao user set-password` and the link page do, in one step."""
    async with app.sessions() as session, session.begin():
        secret = await accounts.password_link(session=session, person=who)
        await accounts.set_password(session=session, secret=secret, password=password)


def csrf_of(page: str) -> str:
    """The CSRF token of a page's first form."""
    found = CSRF.search(page)
    assert found, page[:500]
    return html.unescape(found.group(1))


class Browser:
    """An httpx client on the ASGI app that keeps cookies and submits the forms' tokens."""

    def __init__(self, client: httpx.AsyncClient, app: App) -> None:
        self.client, self.app = client, app
        self.token = ""

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        response = await self.client.get(path, **kw)
        if "text/html" in response.headers.get("content-type", "") and CSRF.search(response.text):
            self.token = csrf_of(response.text)
        return response

    async def post(self, path: str, data: dict[str, str] | None = None, csrf: str | None = None,
                   **kw: Any) -> httpx.Response:
        body = dict(data or {})
        body.setdefault("csrf", self.token if csrf is None else csrf)
        response = await self.client.post(path, data=body, **kw)
        await self.app.settle()
        if "text/html" in response.headers.get("content-type", "") and CSRF.search(response.text):
            self.token = csrf_of(response.text)
        return response

    async def sign_in(self, who: Person, password: str = PASSWORD) -> httpx.Response:
        await self.get("/console/signin")
        response = await self.post("/console/signin", {"name": who.name, "password": password})
        if response.status_code == 303:
            await self.get(response.headers["location"])
        return response


def page_wait(driver: Any, seconds: float = 20) -> Any:
    """A WebDriverWait that polls through a page being replaced: while a form's answer loads, Chromium may
    report the element read a moment before as stale, or as a node that 'does not belong to the document'
    (a plain WebDriverException), and the condition is simply read again. A real failure still ends in
    the wait's timeout."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.1,
                         ignored_exceptions=(StaleElementReferenceException, WebDriverException))
