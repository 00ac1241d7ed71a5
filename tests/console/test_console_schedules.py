"""Schedules in the console (issue 17 item 3): the escalation policies, the key periods and the weekly check-in
rule; who may see and who may change them, each change shown and audited, each bad input refused with nothing
written, a forged CSRF token refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.db.models import AuditEntry, CheckinRule, EscalationPolicy, KeyPeriod
from bot.services.crisis import policies
from tests.console.helpers import add_person, give_password, person

PAGES = ("/console/school/policies", "/console/school/periods", "/console/school/checkins")


async def _signed_in(app: App, browser, roles: str, name: str | None = None):
    who = await add_person(app, name or f"测试{roles}", roles)
    await give_password(app, who)
    b = browser()
    await b.sign_in(who)
    return b, who


async def _audits(app: App, action: str) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(AuditEntry)
                                      .where(AuditEntry.action == action))).scalar_one()


async def _policy_rows(app: App) -> list[tuple[str, list, int | None]]:
    async with app.sessions() as session:
        rows = (await session.execute(select(EscalationPolicy).order_by(EscalationPolicy.level))).scalars()
        return [(r.level, r.steps, r.repeat_every) for r in rows]


async def _periods(app: App) -> list[tuple[str, date, date, str | None]]:
    async with app.sessions() as session:
        rows = (await session.execute(select(KeyPeriod).order_by(KeyPeriod.id))).scalars()
        return [(p.name, p.starts_on, p.ends_on, p.checkin) for p in rows]


async def _rule(app: App) -> tuple[str, str, int] | None:
    async with app.sessions() as session:
        rule = await session.get(CheckinRule, app.school_id)
        return (rule.ask, rule.deadline, rule.grace_hours) if rule else None


@pytest.mark.parametrize(("roles", "status", "forms"), [
    ("admin", 200, True), ("leader", 200, False), ("counsellor", 200, False), ("head_teacher", 403, False)])
async def test_who_may_open_and_change_the_schedule_pages(app: App, browser, roles: str, status: int,
                                                          forms: bool) -> None:
    b, _ = await _signed_in(app, browser, roles)
    for path in PAGES:
        page = await b.get(path)
        assert page.status_code == status, path
        if status == 200:
            assert ('id="policy-form-red"' in page.text or 'id="period-form"' in page.text
                    or 'id="checkin-form"' in page.text) is forms
            assert "预警策略" in page.text and "重点时期" in page.text and "每周报告规则" in page.text  # the nav
    if roles != "admin":
        await b.get("/console/security")  # a page every signed-in person may open: a good CSRF token
        before = (await _policy_rows(app), await _periods(app), await _rule(app))
        r = await b.post("/console/school/policies", {"level": "red", "steps": "on_duty:1m", "repeat": ""})
        assert r.status_code == 403
        r = await b.post("/console/school/periods/add", {"name": "考试周", "from": "2030-01-01", "to": "2030-01-05"})
        assert r.status_code == 403
        r = await b.post("/console/school/checkins", {"ask": "Thu 16:00", "deadline": "Sat 20:00", "grace": "6"})
        assert r.status_code == 403
        assert (await _policy_rows(app), await _periods(app), await _rule(app)) == before
        assert await _audits(app, "console.refused_forbidden") >= 3


async def test_policies_show_the_defaults_and_a_change_is_stored_shown_and_audited(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    page = await b.get("/console/school/policies")
    red = page.text.split('id="policy-red"')[1].split("</section>")[0]
    assert "值班老师" in red and "备班老师" in red and "分管领导" in red and "10m" in red
    assert 'id="policy-orange"' in page.text and "yellow" not in page.text  # only the paged levels
    chen = await person(app, "陈老师")
    r = await b.post("/console/school/policies", {"level": "orange", "steps": f"on_duty:30m, {chen.name}:2h",
                                                  "repeat": "1h"})
    assert r.status_code == 303 and r.headers["location"].endswith("done=policy")
    async with app.sessions() as session:
        stored = await policies.current(session=session, school_id=app.school_id, level="orange")
    assert stored.steps == (("on_duty", 1800), (chen.name, 7200)) and stored.repeat_every == 3600
    page = await b.get("/console/school/policies?done=policy")
    orange = page.text.split('id="policy-orange"')[1].split("</section>")[0]
    assert 'id="done"' in page.text and chen.name in orange and "30m" in orange and "2h" in orange
    assert await _audits(app, "policy.set") == 1
    async with app.sessions() as session:
        entry = (await session.execute(select(AuditEntry).where(AuditEntry.action == "policy.set"))).scalar_one()
    assert entry.target.startswith("policy:orange")


@pytest.mark.parametrize(("form", "says"), [
    ({"level": "yellow", "steps": "on_duty:5m"}, "只有红色和橙色"),
    ({"level": "red", "steps": ""}, "至少写一个步骤"),
    ({"level": "red", "steps": "on_duty"}, "对象:等待时间"),
    ({"level": "red", "steps": "on_duty:5x"}, "5x"),
    ({"level": "red", "steps": "on_duty:0m"}, "大于 0"),
    ({"level": "red", "steps": "on_duty:5m,nobody_here:5m"}, "nobody_here"),
    ({"level": "red", "steps": "on_duty:5m", "repeat": "often"}, "often"),
])
async def test_a_bad_policy_is_refused_with_its_reason_and_nothing_written(app: App, browser, form: dict,
                                                                          says: str) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    await b.get("/console/school/policies")
    before = await _policy_rows(app)
    r = await b.post("/console/school/policies", {"repeat": "", **form})
    assert r.status_code == 400 and says in r.text
    assert await _policy_rows(app) == before and await _audits(app, "policy.set") == 0


async def test_key_periods_add_and_remove_shown_and_audited(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    page = await b.get("/console/school/periods")
    assert page.status_code == 200
    before = await _periods(app)
    r = await b.post("/console/school/periods/add", {"name": "模拟考试周", "from": "2030-01-07", "to": "2030-01-11",
                                                    "checkin": "Mon,Wed,Fri 16:00"})
    assert r.status_code == 303
    after = await _periods(app)
    assert after[len(before):] == [("模拟考试周", date(2030, 1, 7), date(2030, 1, 11), "Mon,Wed,Fri 16:00")]
    page = await b.get("/console/school/periods?done=period_add")
    assert "模拟考试周" in page.text and "2030-01-11" in page.text and 'id="done"' in page.text
    assert await _audits(app, "period.add") == 1
    r = await b.post("/console/school/periods/add", {"name": "寒假", "from": "2030-01-20", "to": "2030-02-20"})
    assert r.status_code == 303 and (await _periods(app))[-1][3] is None
    page = await b.get("/console/school/periods")
    assert "按每周规则" in page.text
    async with app.sessions() as session:
        first = (await session.execute(select(KeyPeriod.id).where(KeyPeriod.name == "模拟考试周"))).scalar_one()
    r = await b.post(f"/console/school/periods/{first}/remove", {})
    assert r.status_code == 303 and await _audits(app, "period.remove") == 1
    assert [p[0] for p in await _periods(app)][len(before):] == ["寒假"]
    page = await b.get("/console/school/periods")
    assert "模拟考试周" not in page.text
    assert (await b.post(f"/console/school/periods/{first}/remove", {})).status_code == 404
    assert (await b.post("/console/school/periods/abc/remove", {})).status_code == 404
    assert await _audits(app, "period.remove") == 1


@pytest.mark.parametrize(("form", "says"), [
    ({"name": "考试周", "from": "2030-01-10", "to": "2030-01-09"}, "早于第一天"),
    ({"name": "", "from": "2030-01-10", "to": "2030-01-12"}, "请填写名称"),
    ({"name": "考试周", "from": "not a day", "to": "2030-01-12"}, "YYYY-MM-DD"),
    ({"name": "考试周", "from": "2030-01-10", "to": "2030-13-40"}, "YYYY-MM-DD"),
    ({"name": "考试周", "from": "2030-01-10", "to": "2030-01-12", "checkin": "every day"}, "Fri 16:00"),
    ({"name": "考试周", "from": "2030-01-10", "to": "2030-01-12", "checkin": "Fri 25:00"}, "Fri 16:00"),
])
async def test_a_bad_key_period_is_refused_with_its_reason_and_nothing_written(app: App, browser, form: dict,
                                                                              says: str) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    await b.get("/console/school/periods")
    before = await _periods(app)
    r = await b.post("/console/school/periods/add", form)
    assert r.status_code == 400 and says in r.text
    assert await _periods(app) == before and await _audits(app, "period.add") == 0


async def test_checkin_rule_shown_changed_and_audited(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    page = await b.get("/console/school/checkins")
    assert page.status_code == 200 and "Fri 16:00" in page.text and "Sun 20:00" in page.text
    r = await b.post("/console/school/checkins", {"ask": "Thu 15:30", "deadline": "Sat 20:00", "grace": "6"})
    assert r.status_code == 303
    assert await _rule(app) == ("Thu 15:30", "Sat 20:00", 6)
    page = await b.get("/console/school/checkins?done=checkins")
    rule = page.text.split('id="rule"')[1].split("</p>")[0]
    assert "Thu 15:30" in rule and "Sat 20:00" in rule and "6 小时" in rule and 'id="done"' in page.text
    assert await _audits(app, "checkins.rule") == 1
    b2, _ = await _signed_in(app, browser, "counsellor")
    page = await b2.get("/console/school/checkins")
    assert "Thu 15:30" in page.text and 'id="checkin-form"' not in page.text


@pytest.mark.parametrize(("form", "says"), [
    ({"ask": "Friday at four", "deadline": "Sun 20:00", "grace": "12"}, "Fri 16:00"),
    ({"ask": "Fri 16:00", "deadline": "Sun 24:30", "grace": "12"}, "Fri 16:00"),
    ({"ask": "Fri 16:00", "deadline": "", "grace": "12"}, "Fri 16:00"),
    ({"ask": "Fri 16:00", "deadline": "Sun 20:00", "grace": "0"}, "1 到 168"),
    ({"ask": "Fri 16:00", "deadline": "Sun 20:00", "grace": "200"}, "1 到 168"),
    ({"ask": "Fri 16:00", "deadline": "Sun 20:00", "grace": "-3"}, "1 到 168"),
    ({"ask": "Fri 16:00", "deadline": "Sun 20:00", "grace": "十二"}, "1 到 168"),
])
async def test_a_bad_checkin_rule_is_refused_with_its_reason_and_nothing_written(app: App, browser, form: dict,
                                                                                says: str) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    await b.get("/console/school/checkins")
    before = await _rule(app)
    r = await b.post("/console/school/checkins", form)
    assert r.status_code == 400 and says in r.text
    assert await _rule(app) == before and await _audits(app, "checkins.rule") == 0


async def test_a_forged_csrf_token_is_refused_on_every_form(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    await b.get("/console/school/periods")
    await b.post("/console/school/periods/add", {"name": "考试周", "from": "2030-01-07", "to": "2030-01-11"})
    async with app.sessions() as session:
        period_id = (await session.execute(select(KeyPeriod.id))).scalars().first()
    before = (await _policy_rows(app), await _periods(app), await _rule(app))
    for path, form in [("/console/school/policies", {"level": "red", "steps": "on_duty:1m"}),
                       ("/console/school/periods/add", {"name": "假期", "from": "2030-02-01", "to": "2030-02-02"}),
                       (f"/console/school/periods/{period_id}/remove", {}),
                       ("/console/school/checkins", {"ask": "Thu 16:00", "deadline": "Sat 20:00", "grace": "6"})]:
        r = await b.post(path, form, csrf="forged")
        assert r.status_code == 403, path
        r = await b.post(path, form, csrf="")
        assert r.status_code == 403, path
    assert (await _policy_rows(app), await _periods(app), await _rule(app)) == before
    for action in ("policy.set", "period.remove", "checkins.rule"):
        assert await _audits(app, action) == 0
