"""Figures for supervision on a seeded term (a fake clock: every row has its own time), checked against
counts made here from the seed itself; the small-count rule; the XLSX read back with openpyxl."""

from __future__ import annotations

import io
import json
import math
import statistics
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import (
    AuditEntry,
    Case,
    CaseEvent,
    CheckinRound,
    Escalation,
    Group,
    Identity,
    Page,
    Person,
    Report,
    TrainingParticipant,
    TrainingSession,
)
from bot.services.school.schools import ensure_school
from bot.services.supervision import export, figures
from bot.services.supervision.period import Period, PeriodError, choose
from tests.conftest import run_cli

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 20, 12, 0, tzinfo=ZONE)
TERM = Period(date(2026, 9, 1), date(2027, 1, 31), "2026-2027学年秋季学期")
GROUPS = {"初二(1)班": ("class", 8), "初二(2)班": ("class", 8), "高一(1)班": ("class", 10),
          "女生宿舍 5-302": ("dorm", None)}
MEMBERS = {"甲": "初二(1)班", "乙": "初二(1)班", "丙": "初二(2)班", "丁": "高一(1)班", "戊": "高一(1)班",
           "己": "高一(1)班", "庚": "女生宿舍 5-302"}
BOUND = ("甲", "丁", "戊")
# kind, level, categories, reporter (None: anonymous), when
REPORTS = [
    ("concern", "red", ["suicide"], "甲", datetime(2026, 9, 10, 9, tzinfo=ZONE)),
    ("concern", "orange", ["self_harm"], "丁", datetime(2026, 10, 3, 9, tzinfo=ZONE)),
    ("concern", "orange", ["self_harm", "bullying"], "戊", datetime(2026, 10, 4, 9, tzinfo=ZONE)),
    ("concern", "yellow", ["distress"], "己", datetime(2026, 10, 5, 9, tzinfo=ZONE)),
    ("concern", "yellow", ["distress"], "丁", datetime(2026, 11, 5, 9, tzinfo=ZONE)),
    ("concern", "yellow", ["family"], "丙", datetime(2026, 11, 6, 9, tzinfo=ZONE)),
    ("mailbox", "red", ["suicide"], None, datetime(2026, 11, 7, 23, tzinfo=ZONE)),
    ("mailbox", "orange", ["abuse"], None, datetime(2026, 11, 8, 9, tzinfo=ZONE)),
    ("mailbox", "yellow", ["distress"], None, datetime(2026, 11, 9, 9, tzinfo=ZONE)),
    ("mailbox", "none", [], None, datetime(2026, 11, 10, 9, tzinfo=ZONE)),
    ("concern", "red", ["suicide"], "甲", datetime(2026, 8, 31, 23, 59, tzinfo=ZONE)),  # the day before the term
    ("mailbox", "red", ["suicide"], None, datetime(2027, 2, 1, 0, 0, tzinfo=ZONE)),  # the day after
]
# level, minutes to acknowledge (None: never), the furthest step paged (0-based), repeat pages
CHAINS = [("red", 3, 0, False), ("red", 7, 1, False), ("red", 12, 2, False), ("red", 30, 2, True),
          ("red", None, 2, True), ("orange", 20, 0, False), ("orange", 75, 1, False), ("orange", None, 2, False)]
STEPS = [{"target": "on_duty", "wait": 300}, {"target": "backup", "wait": 300}, {"target": "leaders", "wait": 600}]
# four weekly rounds asked of every member: who answered in each (inside the round); 戊 also answers round 3 late
ANSWERS = {0: ("甲", "乙", "丁", "戊", "己"), 1: ("甲", "丁", "戊"), 2: ("甲", "乙", "丙", "丁", "戊", "己", "庚"),
           3: ("丁",)}
# follow-up date, the note after it was set (None: never), set on
FOLLOWUPS = [(date(2026, 10, 10), datetime(2026, 10, 10, 16, tzinfo=ZONE)),
             (date(2026, 10, 12), datetime(2026, 10, 13, 9, tzinfo=ZONE)),
             (date(2026, 11, 2), None),
             (date(2026, 12, 25), None)]  # not due yet on the fake clock


class Seeded:
    def __init__(self, sessions, school_id: int, people: dict[str, int]) -> None:
        self.sessions, self.school_id, self.people = sessions, school_id, people

    async def compute(self, period: Period = TERM) -> figures.Figures:
        async with self.sessions() as session, session.begin():
            return await figures.compute(session=session, school_id=self.school_id, period=period, zone=ZONE,
                                         now=NOW)


def section(made: figures.Figures, key: str):
    return next(s for s in made.sections if s.key == key)


def masked(n: int) -> int | str:
    return "<3" if n < 3 else n


@pytest.fixture
async def seeded(db_url: str) -> AsyncIterator[Seeded]:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        school = await ensure_school(session=session, name="测试中学", timezone="Asia/Shanghai")
        groups = {}
        for name, (kind, grade) in GROUPS.items():
            groups[name] = Group(school_id=school.id, name=name, kind=kind, grade=grade)
            session.add(groups[name])
        await session.flush()
        people = {}
        for name, group in MEMBERS.items():
            role = "member_dorm" if GROUPS[group][0] == "dorm" else "member_class"
            people[name] = Person(school_id=school.id, name=name, roles=role, group_id=groups[group].id)
            session.add(people[name])
        counsellor = Person(school_id=school.id, name="陈老师", roles="counsellor")
        session.add(counsellor)
        await session.flush()
        for name in BOUND:
            session.add(Identity(person_id=people[name].id, channel="web", external_id=f"w-{name}"))
        for kind, level, categories, who, at in REPORTS:
            person = people.get(who) if who else None
            session.add(Report(school_id=school.id, kind=kind, reporter_id=person.id if person else None,
                               group_id=person.group_id if person else None, level=level, categories=categories,
                               created_at=at))
        start = datetime(2026, 9, 20, 22, tzinfo=ZONE)
        for i, (level, minutes, furthest, repeat) in enumerate(CHAINS):
            at = start + timedelta(days=i)
            case = Case(school_id=school.id, level=level, source="mailbox", status="acknowledged", created_at=at,
                        acknowledged_at=at + timedelta(minutes=minutes) if minutes is not None else None,
                        acknowledged_by_id=counsellor.id if minutes is not None else None)
            session.add(case)
            await session.flush()
            esc = Escalation(case_id=case.id, level=level, steps=STEPS, state="done", created_at=at)
            session.add(esc)
            await session.flush()
            for step in range(furthest + 1):
                session.add(Page(case_id=case.id, escalation_id=esc.id, person_id=counsellor.id, channel="web",
                                 step=step, reason="step", state="sent", created_at=at))
            if repeat:
                session.add(Page(case_id=case.id, escalation_id=esc.id, person_id=counsellor.id, channel="web",
                                 step=3, round=1, reason="repeat", state="sent", created_at=at))
        closed = [("resolved", 9, 15), ("resolved", 10, 1), ("referred", 11, 20), ("false_report", 12, 1),
                  ("resolved", 8, 20)]  # the last closed before the term
        for outcome, month, day in closed:
            at = datetime(2026, month, day, 10, tzinfo=ZONE)
            session.add(Case(school_id=school.id, level="yellow", source="concern", status="closed", outcome=outcome,
                             created_at=at - timedelta(days=3), closed_at=at))
        for on, done in FOLLOWUPS:  # one case each
            follow_case = Case(school_id=school.id, level="yellow", source="concern", status="monitoring",
                               created_at=datetime(2026, 8, 1, tzinfo=ZONE))
            session.add(follow_case)
            await session.flush()
            set_at = datetime.combine(on - timedelta(days=3), datetime.min.time(), ZONE)
            session.add(CaseEvent(case_id=follow_case.id, kind="follow_up_set", at=set_at,
                                  detail={"on": on.isoformat()}))
            if done is not None:
                session.add(CaseEvent(case_id=follow_case.id, kind="note", at=done, detail={}))
        for week, who in ANSWERS.items():
            asked = datetime(2026, 11, 6, 16, tzinfo=ZONE) + timedelta(weeks=week)
            session.add(CheckinRound(school_id=school.id, asked_at=asked, deadline_at=asked + timedelta(days=2),
                                     grace_until=asked + timedelta(days=2, hours=12), week=f"2026-W{45 + week}",
                                     members=[p.id for p in people.values()], state="closed"))
            for name in who:
                session.add(Report(school_id=school.id, kind="checkin", reporter_id=people[name].id,
                                   group_id=people[name].group_id, level="none", categories=[],
                                   created_at=asked + timedelta(hours=2)))
            if week == 3:
                session.add(Report(school_id=school.id, kind="checkin", reporter_id=people["戊"].id,
                                   group_id=people["戊"].group_id, level="none", categories=[],
                                   created_at=asked + timedelta(days=3)))  # after the round closed
        # three sessions: two held (one for all, one for grade 10), one cancelled; one still to come
        sessions_seed = [("心理委员培训一", "all", datetime(2026, 10, 15, 16, tzinfo=ZONE), "scheduled",
                          {"甲": True, "乙": False, "丙": True, "丁": True, "戊": True, "己": None, "庚": False}),
                         ("高一专题", "grade:10", datetime(2026, 11, 20, 16, tzinfo=ZONE), "scheduled",
                          {"丁": True, "戊": True, "己": False}),
                         ("取消的培训", "all", datetime(2026, 11, 25, 16, tzinfo=ZONE), "cancelled", {"甲": None}),
                         ("下次培训", "all", datetime(2026, 12, 28, 16, tzinfo=ZONE), "scheduled", {"甲": None})]
        for title, audience, at, state, parts in sessions_seed:
            ts = TrainingSession(school_id=school.id, title=title, starts_at=at, audience=audience, state=state,
                                 attendance_taken=state == "scheduled" and at < NOW)
            session.add(ts)
            await session.flush()
            for name, attended in parts.items():
                session.add(TrainingParticipant(session_id=ts.id, person_id=people[name].id, attended=attended,
                                                answer="leave" if attended is None else "attend"))
        ids = {name: p.id for name, p in people.items()}
        school_id = school.id
    yield Seeded(sessions, school_id, ids)
    await engine.dispose()


def in_term(at: datetime) -> bool:
    return date(2026, 9, 1) <= at.astimezone(ZONE).date() <= date(2027, 1, 31)


async def test_reports_by_source_level_category_and_grade(seeded: Seeded) -> None:
    made = await seeded.compute()
    term_reports = [(k, lv, c, who) for k, lv, c, who, at in REPORTS if in_term(at)]
    checkins = sum(len(who) for who in ANSWERS.values()) + 1  # every check-in row, the late one too
    by_source = {row[0]: row[1:] for row in section(made, "reports_by_source").rows}
    concern = Counter(lv for k, lv, _c, _w in term_reports if k == "concern")
    assert by_source["心理委员报告"] == [concern["red"], concern["orange"], concern["yellow"], concern["none"],
                                        sum(concern.values())]
    assert by_source["心理信箱"] == [1, 1, 1, 1, 4]
    assert by_source["周报"] == [0, 0, 0, checkins, checkins]
    assert by_source["合计"][-1] == len(term_reports) + checkins
    by_category = {(row[0], row[1]): row[2:] for row in section(made, "reports_by_category").rows}
    assert by_category[("心理委员报告", "自伤")] == [0, 2, 0, 0, 2]
    assert by_category[("心理委员报告", "欺凌")] == [0, 1, 0, 0, 1]  # one report, two categories
    assert by_category[("心理信箱", "无风险内容")] == [0, 0, 0, 1, 1]
    grade_of = {"甲": "初二", "乙": "初二", "丙": "初二", "丁": "高一", "戊": "高一", "己": "高一", "庚": "未定年级"}
    expected: Counter[tuple[str, str]] = Counter()
    for _kind, level, _c, who in term_reports:
        expected[(grade_of[who] if who else "不分年级（匿名信箱）", level)] += 1
    grade_rows = {row[0]: row[1:] for row in section(made, "reports_by_grade").rows}
    high_one = [expected[("高一", lv)] + 0 for lv in ("red", "orange", "yellow", "none")]
    high_one[3] += sum(1 for who in ANSWERS.values() for name in who if grade_of[name] == "高一") + 1  # 戊's late one
    assert grade_rows["高一"] == [masked(n) for n in high_one] + [masked(sum(high_one))]
    assert grade_rows["高一"][0] == "<3" and grade_rows["高一"][3] == 10  # small counts masked, others exact
    assert grade_rows["全校"][-1] == by_source["合计"][-1]  # the school's row is exact


async def test_cases_acknowledgement_and_steps(seeded: Seeded) -> None:
    made = await seeded.compute()
    closed = {row[0]: row[1] for row in section(made, "cases_closed").rows}
    assert closed == {"已解决": 2, "已转介": 1, "误报": 1, "重复": 0, "合计": 4}
    opened = {row[0]: row[1:] for row in section(made, "cases_opened").rows}
    assert opened["红色"] == [0, 5, 5] and opened["橙色"] == [0, 3, 3]
    ack = {row[0]: row[1:] for row in section(made, "acknowledgement").rows}
    for level, name in (("red", "红色"), ("orange", "橙色")):
        chains = [c for c in CHAINS if c[0] == level]
        minutes = sorted(m for _l, m, _f, _r in chains if m is not None)
        p90 = minutes[math.ceil(0.9 * len(minutes)) - 1]
        passed = [sum(1 for _l, _m, furthest, repeat in chains if furthest >= k or repeat) for k in (1, 2, 3)]
        assert ack[name] == [len(chains), len(minutes), len(chains) - len(minutes),
                             round(statistics.median(minutes), 1), round(float(p90), 1), *passed]
    assert ack["红色"][3:] == [9.5, 30.0, 4, 3, 2]


async def test_followups_checkins_training_and_committee(seeded: Seeded) -> None:
    made = await seeded.compute()
    assert section(made, "followups").rows == [[3, 1, 1, 1, "33%"]]
    checkins = {row[0]: row[1:] for row in section(made, "checkins").rows}
    for group in ("初二(1)班", "高一(1)班"):
        mine = [name for name, g in MEMBERS.items() if g == group]
        done = sum(1 for who in ANSWERS.values() for name in who if name in mine)  # 戊's late answer is not counted
        asked = len(ANSWERS) * len(mine)
        assert checkins[group] == [4, asked, done, f"{100 * done / asked:.0f}%"]
    assert checkins["高一(1)班"][1:3] == [12, 9]
    assert checkins["初二(2)班"] == [4, 4, "<3", "—"]  # a small count hides the rate too
    total = sum(len(who) for who in ANSWERS.values())
    assert checkins["全校"] == [4, 28, total, f"{100 * total / 28:.0f}%"]
    sessions = section(made, "training_sessions").rows
    assert [row[1] for row in sessions] == ["心理委员培训一", "高一专题"]  # cancelled and future ones left out
    assert sessions[0][3:7] == [7, 4, 1, 2]  # all members: exact; 己 took leave; 乙 庚 missed
    assert sessions[1][3:7] == [3, "<3", "<3", "<3"]  # a grade's session: below the school level
    by_class = {row[0]: row[1:] for row in section(made, "training_by_class").rows}
    assert by_class["高一(1)班"] == [6, 4, "67%"] and by_class["初二(2)班"] == ["<3", "<3", "—"]
    assert by_class["全校"] == [10, 6, "60%"]
    per_member = dict(section(made, "training_per_member").rows)
    assert per_member == {"全部出席": 4, "部分出席": 0, "从未出席": 3}  # 甲丙丁戊; 乙 己 庚
    bound = {row[0]: row[2:] for row in section(made, "committee_bound").rows}
    assert bound["初二(1)班"] == ["<3", "<3"] and bound["高一(1)班"] == [3, "<3"] and bound["全校"] == [7, 3]
    assert [row[0] for row in section(made, "committee_none").rows] == ["初二(2)班", "女生宿舍 5-302"]


async def test_no_personal_name_anywhere_and_the_xlsx_reads_back(seeded: Seeded) -> None:
    made = await seeded.compute()
    blob = json.dumps(made.as_dict(), ensure_ascii=False) + export.to_csv(made).decode("utf-8-sig")
    for name in [*MEMBERS, "陈老师"]:
        assert name not in blob
    book = load_workbook(io.BytesIO(export.to_xlsx(made)))
    assert book.sheetnames[0] == "说明" and "报告来源与级别" in book.sheetnames and "预警确认时间" in book.sheetnames
    assert "测试中学" in book["说明"]["A1"].value and "2026-09-01 至 2027-01-31" in book["说明"]["A2"].value
    sheet = book["报告来源与级别"]
    assert sheet["A1"].value == "报告数量：按来源和级别" and "测试中学" in sheet["A2"].value
    assert [c.value for c in sheet[4]] == ["来源", "红色", "橙色", "黄色", "无风险", "合计"]
    assert [c.value for c in sheet[6]] == ["心理信箱", 1, 1, 1, 1, 4]
    grades = book["报告按年级"]
    high_one = next(r for r in grades.iter_rows(min_row=5, values_only=True) if r[0] == "高一")
    assert high_one[1] == "<3" and high_one[4] == 10
    none = book["无绑定的班级"]
    assert [r[0] for r in none.iter_rows(min_row=5, values_only=True)] == ["初二(2)班", "女生宿舍 5-302"]
    async with seeded.sessions() as session:
        audited = (await session.execute(select(AuditEntry).where(AuditEntry.action == "report.supervision"))).scalars()
        assert [a.target for a in audited] == ["period:2026-09-01..2027-01-31"]


async def test_a_month_counts_only_its_own_days(seeded: Seeded) -> None:
    made = await seeded.compute(Period(date(2026, 11, 1), date(2026, 11, 30), "2026年11月"))
    by_source = {row[0]: row[1:] for row in section(made, "reports_by_source").rows}
    assert by_source["心理委员报告"][-1] == 2 and by_source["心理信箱"][-1] == 4
    assert section(made, "cases_closed").rows[-1] == ["合计", 1]


def test_periods_and_bad_ranges() -> None:
    assert choose("term", date(2026, 12, 2), None, None).first == date(2026, 9, 1)
    assert choose("term", date(2027, 3, 2), None, None).first == date(2027, 2, 1)
    assert choose("month", date(2026, 2, 10), None, None).last == date(2026, 2, 28)
    with pytest.raises(PeriodError, match="早于开始"):
        choose("month", date(2026, 12, 2), "2026-12-05", "2026-12-01")
    with pytest.raises(PeriodError, match="不是日期"):
        choose("term", date(2026, 12, 2), "2026-02-30", None)


def test_cli_writes_each_format_and_refuses_bad_ranges(tmp_path, cli_env: dict[str, str]) -> None:
    bad = run_cli(["report", "term", "--from", "2026-12-05", "--to", "2026-12-01"], cli_env)
    assert bad.returncode == 2 and "早于开始" in bad.stderr
    assert run_cli(["report", "month", "--from", "12/05"], cli_env).returncode == 2
    for fmt in ("xlsx", "csv", "json"):
        target = tmp_path / f"r.{fmt}"
        done = run_cli(["report", "term", "--out", str(target)], cli_env)
        assert done.returncode == 0, done.stderr
        assert target.stat().st_size > 100
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["sections"][0]["key"] == "reports_by_source"
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "说明"


def test_a_name_that_looks_like_a_formula_stays_text_in_the_xlsx() -> None:
    from bot.services.supervision.table import Section

    made = figures.Figures(school="测试中学", period=TERM, generated_at=NOW, zone=ZONE,
                           sections=[Section("committee_none", "没有已绑定心理委员的班级和寝室", ["班级或寝室", "类型"],
                                             rows=[["=HYPERLINK(\"x\")", "班级"]])])
    cell = load_workbook(io.BytesIO(export.to_xlsx(made)))["无绑定的班级"]["A5"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"
