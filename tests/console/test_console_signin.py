"""Signing in: passwords from a one-time link, sessions, CSRF, the lockout, TOTP."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import select

from bot.app import App
from bot.db.models import AuditEntry, ConsoleSession
from tests.console.helpers import PASSWORD, csrf_of, give_password, person


async def test_sign_in_then_the_queue(app: App, browser) -> None:
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    b = browser()
    r = await b.sign_in(chen)
    assert r.status_code == 303 and r.headers["location"] == "/console/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Secure" not in cookie
    page = await b.get("/console/")
    assert page.status_code == 200 and "待处理案例" in page.text
    assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]
    async with app.sessions() as session:
        actions = [e.action for e in (await session.execute(select(AuditEntry))).scalars()]
    assert "console.signin" in actions
