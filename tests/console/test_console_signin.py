"""Signing in: passwords from a one-time link, sessions, CSRF, the lockout, TOTP."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pyotp
from sqlalchemy import select

from bot.app import App
from bot.db.models import AuditEntry, ConsoleSession
from tests.console.helpers import PASSWORD, Browser, csrf_of, give_password, person


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


async def _sessions(app: App) -> list[ConsoleSession]:
    async with app.sessions() as session:
        return list((await session.execute(select(ConsoleSession).order_by(ConsoleSession.id))).scalars())


async def test_five_failures_lock_for_fifteen_minutes_and_log_no_password(app: App, browser, caplog) -> None:
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    b = browser()
    for n in range(4):
        r = await b.sign_in(chen, password=f"wrong-{n}-秘密口令")
        assert r.status_code == 401 and "姓名或密码不对" in r.text
    r = await b.sign_in(chen, password="wrong-4-秘密口令")
    assert r.status_code == 429 and "锁定 15 分钟" in r.text
    r = await b.sign_in(chen)  # the right password, but locked
    assert r.status_code == 429
    assert "秘密口令" not in caplog.text and PASSWORD not in caplog.text
    assert "locked" in caplog.text
    async with app.sessions() as session:
        entries = [(e.action, e.actor) for e in (await session.execute(select(AuditEntry))).scalars()]
    assert ("console.signin_locked", f"person:{chen.id}") in entries
    assert sum(1 for a, _ in entries if a == "console.signin_failed") == 4
    assert sum(1 for a, _ in entries if a == "console.signin_locked") == 2  # the fifth, and one while locked
    from bot.db.models import Account
    async with app.sessions() as session, session.begin():
        account = await session.get(Account, chen.id)
        assert account is not None and account.locked_until is not None
        account.locked_until = account.locked_until - timedelta(minutes=15)  # the quarter hour has passed
    r = await b.sign_in(chen)
    assert r.status_code == 303


async def test_unknown_name_and_member_cannot_sign_in(app: App, browser) -> None:
    b = browser()
    await b.get("/console/signin")
    r = await b.post("/console/signin", {"name": "没有这个人", "password": PASSWORD})
    assert r.status_code == 401
    member = await person(app, "李小雨")
    r = await b.sign_in(member)
    assert r.status_code == 401
    assert not await _sessions(app)


async def test_csrf_missing_or_forged_is_refused_and_writes_nothing(app: App, browser, chat) -> None:
    await chat.say("student-1", "我今晚就从楼顶跳下去")
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    b = browser()
    await b.get("/console/signin")
    r = await b.post("/console/signin", {"name": chen.name, "password": PASSWORD}, csrf="")
    assert r.status_code == 403 and "页面已过期" in r.text
    fresh = browser()  # a sign-in form posted without ever loading the page (no pre-cookie)
    r = await fresh.client.post("/console/signin", data={"name": chen.name, "password": PASSWORD, "csrf": "x"})
    assert r.status_code == 403
    await b.sign_in(chen)
    await b.get("/console/cases/1")
    for token in ("", "0" * 64, b.token[:-1] + ("0" if b.token[-1] != "0" else "1")):
        r = await b.post("/console/cases/1/ack", csrf=token)
        assert r.status_code == 403, token
    other = browser()
    await other.get("/console/signin")  # another browser's pre-sign-in token is not this session's
    r = await b.post("/console/cases/1/ack", csrf=other.token)
    assert r.status_code == 403
    async with app.sessions() as session:
        from bot.db.models import Case
        case = await session.get(Case, 1)
        assert case is not None and case.acknowledged_by_id is None
    r = await b.client.post("/console/cases/1/ack", headers={"X-CSRF-Token": b.token}, data={})
    assert r.status_code == 303, "htmx may send the token as a header"


async def test_idle_absolute_and_revoked_sessions_end(app: App, browser) -> None:
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    b = browser()
    await b.sign_in(chen)
    assert (await b.get("/console/")).status_code == 200
    async with app.sessions() as session, session.begin():
        row = (await session.execute(select(ConsoleSession))).scalar_one()
        row.seen_at = row.seen_at - timedelta(minutes=31)
    r = await b.get("/console/")
    assert r.status_code == 303 and "expired=1" in r.headers["location"]
    polled = await b.client.get("/console/queue/rows", headers={"HX-Request": "true"})
    assert polled.status_code == 401 and polled.headers["HX-Redirect"].startswith("/console/signin")
    await b.sign_in(chen)
    async with app.sessions() as session, session.begin():
        row = (await session.execute(select(ConsoleSession).order_by(ConsoleSession.id.desc()).limit(1))).scalar_one()
        row.created_at, row.expires_at = row.created_at - timedelta(hours=12), row.expires_at - timedelta(hours=12)
    assert (await b.get("/console/")).status_code == 303
    await b.sign_in(chen)
    assert (await b.get("/console/")).status_code == 200
    await give_password(app, chen, "another password 新的")  # a password change signs every browser out
    assert (await b.get("/console/")).status_code == 303
    await b.sign_in(chen, "another password 新的")
    r = await b.post("/console/signout")
    assert r.status_code == 303
    assert (await b.get("/console/")).status_code == 303


async def test_polling_does_not_keep_an_idle_session_alive(app: App, browser) -> None:
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    b = browser()
    await b.sign_in(chen)
    async with app.sessions() as session, session.begin():
        row = (await session.execute(select(ConsoleSession))).scalar_one()
        row.seen_at = row.seen_at - timedelta(minutes=29)
        seen = row.seen_at
    assert (await b.get("/console/queue/rows")).status_code == 200
    async with app.sessions() as session:
        assert (await session.execute(select(ConsoleSession))).scalar_one().seen_at == seen


async def test_password_link_is_one_time_and_checked(app: App, browser) -> None:
    from bot.services.school import accounts
    chen = await person(app, "陈老师")
    async with app.sessions() as session, session.begin():
        secret = await accounts.password_link(session=session, person=chen)
    b = browser()
    page = await b.get(f"/console/password/{secret}")
    assert page.status_code == 200 and chen.name in page.text and page.headers["referrer-policy"] == "no-referrer"
    r = await b.post(f"/console/password/{secret}", {"password": "short", "password2": "short"})
    assert r.status_code == 400 and "太短" in r.text
    r = await b.post(f"/console/password/{secret}", {"password": PASSWORD, "password2": PASSWORD + "x"})
    assert r.status_code == 400
    r = await b.post(f"/console/password/{secret}", {"password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 303
    assert (await b.get(f"/console/password/{secret}")).status_code == 404
    assert (await b.get("/console/password/not-a-real-link")).status_code == 404
    from bot.db.models import Account, AccountToken
    async with app.sessions() as session:
        account = await session.get(Account, chen.id)
        tokens = list((await session.execute(select(AccountToken.digest))).scalars())
    assert account is not None and account.password_hash and account.password_hash.startswith("$argon2id$")
    assert secret not in tokens and PASSWORD not in account.password_hash
    assert (await b.sign_in(chen)).status_code == 303


async def test_totp_enrolment_and_second_factor(app: App, browser) -> None:
    leader = await person(app, "刘校长")
    await give_password(app, leader)
    app.settings.console_require_2fa = True
    try:
        b = browser()
        r = await b.sign_in(leader)
        assert r.headers["location"] == "/console/enrol"
        assert (await b.get("/console/")).status_code == 303, "no case page before the second factor"
        page = await b.get("/console/enrol")
        assert 'src="data:image/svg+xml;base64,' in page.text
        import re
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)  # type: ignore[union-attr]
        sealed = re.search(r'name="enrol" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        r = await b.post("/console/enrol", {"enrol": sealed, "code": "000000"})
        assert r.status_code == 400
        r = await b.post("/console/enrol", {"enrol": sealed, "code": pyotp.TOTP(secret).now()})
        assert r.status_code == 303
        assert (await b.get("/console/")).status_code == 200
        await b.post("/console/signout")
        b2 = browser()
        r = await b2.sign_in(leader)
        assert r.headers["location"] == "/console/totp"
        assert (await b2.get("/console/")).status_code == 303
        page = await b2.get("/console/enrol")
        assert page.status_code == 303, "a second enrolment is no way around the code"
        r = await b2.post("/console/totp", {"code": "123456"})
        assert r.status_code == 401
        code = pyotp.TOTP(secret).at(__import__("time").time() + 30)  # the next step's code (the last one is used)
        r = await b2.post("/console/totp", {"code": code})
        assert r.status_code == 303
        assert (await b2.get("/console/")).status_code == 200
        r = await b2.post("/console/signout")
        b3 = browser()
        await b3.sign_in(leader)
        r = await b3.post("/console/totp", {"code": code})
        assert r.status_code == 401, "each code is taken once"
        from bot.services.school import accounts
        async with app.sessions() as session, session.begin():
            assert await accounts.reset_totp(session=session, person=leader)  # a lost phone
        r = await browser().sign_in(leader)
        assert r.headers["location"] == "/console/enrol", "enrols again (required for a leader here)"
    finally:
        app.settings.console_require_2fa = False


async def test_secure_cookie_behind_https(app: App, browser) -> None:
    chen = await person(app, "陈老师")
    await give_password(app, chen)
    app.settings.public_url = "https://xinqiao.school.example"
    try:
        plain = browser()
        await plain.get("/console/signin")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi(clock=False)),
                                     base_url="https://xinqiao.test") as client:
            r = await Browser(client, app).sign_in(chen)
        assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]
        r = await plain.post("/console/signin", {"name": chen.name, "password": PASSWORD})
        assert r.status_code == 403, "over plain http the Secure cookie never comes back"
    finally:
        app.settings.public_url = ""
    assert csrf_of('<input name="csrf" value="a&amp;b">') == "a&b"
