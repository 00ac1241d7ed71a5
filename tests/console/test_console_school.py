"""The school pages of the console (issue 17): the roster import (upload, preview, apply), the duty grid and its
forms, the figures for supervision with their downloads, and who may open which."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.app import App
from bot.console import routes_school
from bot.db.models import AuditEntry, DutySlot, Group
from bot.services.crisis.roster import Roster
from tests.console.helpers import add_person, give_password, person

CLASSES_GBK = ("名称,类型,年级,班主任\r\n初一(1)班,班级,7,\r\n初一(2)班,班级,7,\r\n,班级,7,\r\n"
               "初一(1)班,班级,7,\r\n").encode("gbk")
CLASSES_GOOD = "名称,类型,年级,班主任\r\n初一(1)班,班级,7,\r\n初一(2)班,班级,7,\r\n".encode("gbk")


async def _signed_in(app: App, browser, roles: str, name: str | None = None):
    who = await add_person(app, name or f"测试{roles}", roles)
    await give_password(app, who)
    b = browser()
    await b.sign_in(who)
    return b, who


async def _upload(b, data: bytes, name: str = "classes.csv", kind: str = "classes", csrf: str | None = None):
    return await b.client.post("/console/school/import", data={"csrf": b.token if csrf is None else csrf,
                                                               "kind": kind},
                               files={"file": (name, data, "text/csv")})


async def _groups(app: App) -> list[str]:
    async with app.sessions() as session:
        return sorted((await session.execute(select(Group.name))).scalars())


async def _audits(app: App, action: str) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(AuditEntry)
                                      .where(AuditEntry.action == action))).scalar_one()


async def test_import_preview_shows_bad_rows_then_the_fixed_file_applies(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    page = await b.get("/console/school/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    before = await _groups(app)
    r = await _upload(b, CLASSES_GBK)
    assert r.status_code == 400
    assert 'id="problems"' in r.text and "<td>4</td>" in r.text and "<td>5</td>" in r.text
    assert "apply-form" not in r.text and await _groups(app) == before
    r = await _upload(b, CLASSES_GOOD)
    assert r.status_code == 200 and 'id="apply-form"' in r.text and "gb" in r.text.lower()
    assert r.text.count('class="act-add"') == 2 and await _groups(app) == before
    b.token = r.text.split('name="csrf" value="')[1].split('"')[0]
    token = r.text.split('name="token" value="')[1].split('"')[0]
    applied = await b.post("/console/school/import/apply", {"kind": "classes", "token": token, "name": "classes.csv"})
    assert applied.status_code == 200 and 'id="applied"' in applied.text
    assert applied.text.count('class="act-add"') == 2  # the apply did what the preview showed
    assert set(await _groups(app)) - set(before) == {"初一(1)班", "初一(2)班"}
    assert await _audits(app, "roster.import.classes") == 1
    assert not list((app.settings.data_dir / "uploads").glob("roster-*"))  # the file is gone after the apply
    again = await b.post("/console/school/import/apply", {"kind": "classes", "token": token, "name": "x.csv"})
    assert again.status_code == 400 and "已过期" in again.text
    r = await _upload(b, CLASSES_GOOD)  # the same file again changes nothing
    assert r.status_code == 200 and 'class="act-add"' not in r.text and "不会改变" in r.text


async def test_import_refuses_bad_uploads_clearly(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    await b.get("/console/school/import")
    assert (await _upload(b, b"")).status_code == 400
    r = await _upload(b, b"\x00\x01garbage", name="photo.png")
    assert r.status_code == 400 and 'id="import-error"' in r.text
    assert (await _upload(b, CLASSES_GOOD, kind="nonsense")).status_code == 400
    assert (await _upload(b, CLASSES_GOOD, csrf="forged")).status_code == 403
    big = b"a" * (routes_school.UPLOAD_MAX + 100 * 1024)
    r = await _upload(b, big)
    assert r.status_code == 413 and "MB" in r.text
    r = await b.client.post("/console/school/import", data={"csrf": b.token, "kind": "classes"})
    assert r.status_code == 415
    bad_token = await b.post("/console/school/import/apply", {"kind": "classes", "token": "../../secret.key"})
    assert bad_token.status_code == 400


async def test_templates_download_with_chinese_columns(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    r = await b.get("/console/school/import/template/staff.csv")
    assert r.status_code == 200 and "姓名" in r.content.decode("utf-8-sig")
    r = await b.get("/console/school/import/template/classes.xlsx")
    book = load_workbook(io.BytesIO(r.content))
    assert "名称" in str(book.active["A1"].value)
    assert (await b.get("/console/school/import/template/nope.csv")).status_code == 404


@pytest.mark.parametrize(("roles", "imp", "duty", "figures"), [
    ("admin", 200, 200, 200), ("leader", 403, 200, 200), ("counsellor", 403, 200, 403),
    ("head_teacher", 403, 403, 403)])
async def test_who_may_open_which_school_page(app: App, browser, roles: str, imp: int, duty: int,
                                              figures: int) -> None:
    b, _ = await _signed_in(app, browser, roles)
    assert (await b.get("/console/school/import")).status_code == imp
    assert (await b.get("/console/school/duty")).status_code == duty
    assert (await b.get("/console/school/figures")).status_code == figures
    assert (await b.get("/console/school/figures/export.csv")).status_code == figures
    if roles != "admin":
        r = await b.post("/console/school/duty/slot", {"days": "all", "from": "00:00", "to": "24:00", "person": ""})
        assert r.status_code == 403


async def test_duty_grid_shows_gaps_red_and_the_forms_change_it(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    chen, zhang = await person(app, "陈老师"), await person(app, "张老师")
    async with app.sessions() as session, session.begin():
        await session.execute(DutySlot.__table__.delete())
    page = await b.get("/console/school/duty")
    assert page.status_code == 200 and 'class="part gap"' in page.text and 'id="gap-summary"' in page.text
    r = await b.post("/console/school/duty/slot", {"days": "all", "from": "00:00", "to": "24:00",
                                                   "person": str(chen.id), "backup": str(zhang.id)})
    assert r.status_code == 303
    page = await b.get("/console/school/duty")
    assert 'class="part gap"' not in page.text and "每个时段都有人值班" in page.text
    assert "陈老师" in page.text and await _audits(app, "duty.set") == 1
    async with app.sessions() as session:
        roster = await Roster.load(session=session, school_id=app.school_id, zone=app.settings.zone)
        assert roster.gaps(roster_now(), 14) == []
    r = await b.post("/console/school/duty/slot", {"days": "5", "from": "12:00", "to": "14:00", "person": ""})
    assert r.status_code == 303 and await _audits(app, "duty.clear") == 1
    page = await b.get("/console/school/duty")
    assert "12:00–14:00" in page.text and 'class="part gap"' in page.text
    r = await b.post("/console/school/duty/override", {"first": "2030-01-02", "last": "2030-01-01",
                                                       "person": str(zhang.id)})
    assert r.status_code == 400 and "早于" in r.text
    r = await b.post("/console/school/duty/slot", {"days": "all", "from": "8点", "to": "24:00",
                                                   "person": str(chen.id)})
    assert r.status_code == 400 and "HH:MM" in r.text
    member = await person(app, "李小雨")
    r = await b.post("/console/school/duty/slot", {"days": "all", "from": "08:00", "to": "09:00",
                                                   "person": str(member.id)})
    assert r.status_code == 400
    today = roster_now().astimezone(app.settings.zone).date()
    r = await b.post("/console/school/duty/override", {"first": str(today), "last": str(today + timedelta(days=9)),
                                                       "person": str(zhang.id), "note": "考试周"})
    assert r.status_code == 303 and await _audits(app, "duty.override") == 1
    page = await b.get("/console/school/duty")
    assert "考试周" in page.text and 'class="part override"' in page.text


def roster_now():
    from bot.db.base import utcnow
    return utcnow()


async def test_counsellor_sees_the_grid_without_forms(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "counsellor")
    page = await b.get("/console/school/duty")
    assert page.status_code == 200 and "slot-form" not in page.text


async def test_figures_page_tables_charts_and_downloads(app: App, browser, chat) -> None:
    await chat.say("student-1", "我今晚就从楼顶跳下去")
    b, _ = await _signed_in(app, browser, "leader", name="测试组长")
    page = await b.get("/console/school/figures")
    assert page.status_code == 200 and 'id="section-reports_by_source"' in page.text
    assert 'id="section-referrals"' in page.text and "转介：监护人同意与反馈" in page.text
    assert 'data-chart-option="' in page.text and "echarts-5.6.0.min.js" in page.text
    assert "<script>" not in page.text and "测试组长" not in page.text.split("<main")[1].split("</nav>")[-1]
    assert await _audits(app, "report.supervision") >= 1
    month = await b.get("/console/school/figures?kind=month")
    assert month.status_code == 200 and "月" in month.text
    bad = await b.get("/console/school/figures?kind=term&from=2026-10-01&to=2026-09-01")
    assert bad.status_code == 400 and "早于开始" in bad.text
    assert (await b.get("/console/school/figures?from=notadate")).status_code == 400
    assert (await b.get("/console/school/figures?kind=year")).status_code == 400
    for fmt in ("csv", "xlsx", "json"):
        r = await b.get(f"/console/school/figures/export.{fmt}?kind=month")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert await _audits(app, "report.export") == 3
    data = json.loads((await b.get("/console/school/figures/export.json")).content)
    assert any(s["key"] == "reports_by_source" for s in data["sections"])
    book = load_workbook(io.BytesIO((await b.get("/console/school/figures/export.xlsx")).content))
    assert len(book.sheetnames) > 3
    assert (await b.get("/console/school/figures/export.pdf")).status_code == 404
    assert (await b.get("/console/school/figures/export.csv?from=2026-10-01&to=2026-09-01")).status_code == 400


async def test_figures_page_masks_small_counts_below_the_school(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "leader", name="测试组长")
    page = await b.get("/console/school/figures")
    section = page.text.split('id="section-committee_bound"')[1].split("</section>")[0]
    assert "&lt;3" in section  # the demo class has one bound member: shown as <3


async def test_doctor_page_lines_and_the_key_backup_form(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    page = await b.get("/console/school/doctor")
    assert page.status_code == 200 and 'class="check bad"' in page.text and 'class="check ok"' in page.text
    key_line = [li for li in page.text.split("<li ") if "密钥备份" in li][0]
    assert 'check bad' in key_line and "怎么办" in key_line
    r = await b.post("/console/school/doctor/confirm-key", {})
    assert r.status_code == 303 and await _audits(app, "doctor.key_backup_confirmed") == 1
    page = await b.get("/console/school/doctor?done=key")
    key_line = [li for li in page.text.split("<li ") if "密钥备份" in li][0]
    assert 'check ok' in key_line and 'id="done"' in page.text
    assert (await b.post("/console/school/doctor/confirm-key", {}, csrf="forged")).status_code == 403
    leader, _ = await _signed_in(app, browser, "leader", name="测试组长")
    assert (await leader.get("/console/school/doctor")).status_code == 200
    assert "key-form" not in (await leader.get("/console/school/doctor")).text
    assert (await leader.post("/console/school/doctor/confirm-key", {})).status_code == 403
    c, _ = await _signed_in(app, browser, "counsellor", name="测试心理")
    assert (await c.get("/console/school/doctor")).status_code == 403


async def test_invites_issue_codes_and_print_the_sheet(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    await add_person(app, "新来的委员", "member_class")
    page = await b.get("/console/school/invites")
    assert page.status_code == 200 and 'id="counts"' in page.text
    r = await b.post("/console/school/invites/issue", {})
    assert r.status_code == 303 and "issued=" in r.headers["location"]
    issued = int(r.headers["location"].split("issued=")[1])
    assert issued >= 1 and await _audits(app, "invite.create") == issued
    again = await b.post("/console/school/invites/issue", {})
    assert again.headers["location"].endswith("issued=0")  # everyone has one now
    sheet = await b.get("/console/school/invites/sheet")
    assert sheet.status_code == 200 and "新来的委员" in sheet.text and "<svg" in sheet.text
    assert "@media print" in sheet.text
    assert "'sha256-" in sheet.headers["content-security-policy"] and "script-src 'self'" in \
        sheet.headers["content-security-policy"]
    assert await _audits(app, "invite.sheet") == 1
    leader, _ = await _signed_in(app, browser, "leader", name="测试组长")
    assert (await leader.get("/console/school/invites/sheet")).status_code == 403
    assert (await leader.post("/console/school/invites/issue", {})).status_code == 403


async def test_import_reads_xlsx_and_refuses_a_formula(app: App, browser) -> None:
    from openpyxl import Workbook

    b, _ = await _signed_in(app, browser, "admin")
    await b.get("/console/school/import")
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "类型", "年级", "班主任"])
    sheet.append(["高一(5)班", "班级", "10", ""])
    sheet.append(["=HYPERLINK(\"x\")", "班级", "10", ""])
    out = io.BytesIO()
    book.save(out)
    r = await _upload(b, out.getvalue(), name="班级.xlsx")
    assert r.status_code == 400 and "<td>3</td>" in r.text and "apply-form" not in r.text
    assert "高一(5)班" not in await _groups(app)


async def test_training_add_cancel_and_attendance_ticks(app: App, browser) -> None:
    from bot.db.base import utcnow
    from bot.db.models import TrainingParticipant
    from bot.services.schedule import training

    b, _ = await _signed_in(app, browser, "counsellor", name="测试心理")
    page = await b.get("/console/school/training")
    assert page.status_code == 200 and 'id="training-form"' in page.text
    soon = (utcnow() + timedelta(days=3)).astimezone(app.settings.zone).strftime("%Y-%m-%dT%H:%M")
    r = await b.post("/console/school/training/add", {"title": "倾听技巧", "when": soon, "place": "302 教室",
                                                      "audience": "all", "remind": "24h,1h"})
    assert r.status_code == 303 and await _audits(app, "training.add") == 1
    page = await b.get("/console/school/training")
    assert "倾听技巧" in page.text and "302 教室" in page.text
    past = (utcnow() - timedelta(days=3)).astimezone(app.settings.zone).strftime("%Y-%m-%d %H:%M")
    r = await b.post("/console/school/training/add", {"title": "旧的", "when": past, "place": "x", "audience": "all"})
    assert r.status_code == 400 and "将来" in r.text
    r = await b.post("/console/school/training/add", {"title": "无地点", "when": soon, "audience": "all"})
    assert r.status_code == 400 and "地点" in r.text
    r = await b.post("/console/school/training/add", {"title": "x", "when": "明天", "place": "x", "audience": "all"})
    assert r.status_code == 400
    future_id = int(page.text.split('id="training-')[1].split('"')[0])
    r = await b.post(f"/console/school/training/{future_id}/cancel", {})
    assert r.status_code == 303 and await _audits(app, "training.cancel") == 1
    assert (await b.post(f"/console/school/training/{future_id}/cancel", {})).status_code == 400
    async with app.sessions() as session, session.begin():
        held = await training.add_session(session=session, school_id=app.school_id, title="已举行", place="礼堂",
                                          starts_at=utcnow() - timedelta(days=1), link="", audience="all",
                                          remind=[3600], zone=app.settings.zone, now=utcnow() - timedelta(days=2))
        held_id = held.id
    page = await b.get(f"/console/school/training/{held_id}/attendance")
    ids = [int(x.split('"')[0]) for x in page.text.split('name="present" value="')[1:]]
    assert len(ids) >= 2
    r = await b.client.post(f"/console/school/training/{held_id}/attendance",
                            content=f"csrf={b.token}&present={ids[0]}".encode(),
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 303 and await _audits(app, "training.attendance") == 1
    async with app.sessions() as session:
        marks = dict((await session.execute(select(TrainingParticipant.person_id, TrainingParticipant.attended)
                                            .where(TrainingParticipant.session_id == held_id))).all())
    assert marks[ids[0]] is True and all(marks[i] is False for i in ids[1:])
    r = await b.client.post(f"/console/school/training/{held_id}/attendance",
                            content=f"csrf={b.token}&present=99999".encode(),
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    r = await b.client.post(f"/console/school/training/{held_id}/attendance",
                            content=f"csrf=forged&present={ids[0]}".encode(),
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 403
    head, _ = await _signed_in(app, browser, "head_teacher", name="测试班主任")
    assert (await head.get("/console/school/training")).status_code == 403
