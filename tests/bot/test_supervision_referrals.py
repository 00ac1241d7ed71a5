"""The referrals section of the figures for supervision, on the seeded term of test_supervision plus referrals
seeded here; the expected counts are made from the seed itself; the small-count rule by grade; every format."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from bot.db.models import Assessment, Case, Consent, Referral, Student
from bot.services.supervision import export
from bot.services.supervision.labels import grade_name
from tests.bot import test_supervision
from tests.bot.test_supervision import NOW, ZONE, Seeded, in_term, masked, section

seeded = test_supervision.seeded  # the seeded term, shared

# grade, consent, emergency, sent, feedback received, feedback due, return assessment, made on
REFERRALS = [
    (8, True, False, True, True, date(2026, 11, 1), True, datetime(2026, 10, 1, 10, tzinfo=ZONE)),
    (8, True, False, True, False, date(2026, 12, 1), False, datetime(2026, 10, 15, 10, tzinfo=ZONE)),  # overdue
    (8, False, True, True, False, date(2027, 1, 5), False, datetime(2026, 11, 1, 10, tzinfo=ZONE)),  # not yet due
    (10, True, False, False, False, None, False, datetime(2026, 11, 20, 10, tzinfo=ZONE)),
    (None, True, False, True, True, date(2026, 12, 10), False, datetime(2026, 12, 1, 10, tzinfo=ZONE)),
    (8, True, False, True, False, date(2026, 12, 19), False, datetime(2026, 12, 2, 10, tzinfo=ZONE)),  # overdue
    (10, True, False, True, False, date(2026, 8, 30), False, datetime(2026, 8, 20, 10, tzinfo=ZONE)),  # before
]
NAMES = ("赵同学", "钱同学", "孙同学", "李同学", "周同学", "吴同学", "郑同学")


async def _seed_referrals(seeded: Seeded) -> None:
    async with seeded.sessions() as session, session.begin():
        case = Case(school_id=seeded.school_id, level="orange", source="concern", status="monitoring",
                    created_at=datetime(2026, 9, 2, tzinfo=ZONE))
        session.add(case)
        await session.flush()
        for name, (grade, consent, emergency, sent, feedback, due, back, at) in zip(NAMES, REFERRALS, strict=True):
            student = Student(school_id=seeded.school_id, name=name, grade=grade, created_at=at)
            session.add(student)
            await session.flush()
            consent_id = assessment_id = None
            if consent:
                row = Consent(school_id=seeded.school_id, student_id=student.id, guardian_name="家长", relation="母亲",
                              given_at=at, how="电话")
                session.add(row)
                await session.flush()
                consent_id = row.id
            if back:
                done = Assessment(school_id=seeded.school_id, case_id=case.id, participants=["陈老师"],
                                  held_at=at + timedelta(days=40), level="yellow", recommendation="校内辅导",
                                  kind="return")
                session.add(done)
                await session.flush()
                assessment_id = done.id
            session.add(Referral(school_id=seeded.school_id, student_id=student.id, consent_id=consent_id,
                                 emergency_reason="120 急救" if emergency else "", state="sent" if sent else "planned",
                                 sent_at=at + timedelta(days=1) if sent else None, feedback_due_on=due,
                                 feedback="建议门诊复诊" if feedback else "",
                                 feedback_at=at + timedelta(days=20) if feedback else None,
                                 return_assessment_id=assessment_id, created_at=at))


def _expected() -> tuple[list[int], dict[str, list[int]]]:
    today = NOW.date()
    school = [0] * 7
    by_grade: dict[str, list[int]] = {}
    for grade, consent, emergency, sent, feedback, due, back, at in REFERRALS:
        if not in_term(at):
            continue
        overdue = not feedback and due is not None and due < today
        flags = [1, consent, emergency, sent, feedback, overdue, back]
        row = by_grade.setdefault(grade_name(grade), [0] * 7)
        for i, flag in enumerate(flags):
            school[i] += int(flag)
            row[i] += int(flag)
    return school, by_grade


async def test_referrals_counted_by_school_and_grade_with_the_small_count_rule(seeded: Seeded) -> None:
    await _seed_referrals(seeded)
    made = await seeded.compute()
    school, by_grade = _expected()
    assert school == [6, 5, 1, 5, 2, 2, 1]  # the seed read by hand, so that the loop above is checked too
    first = section(made, "referrals")
    assert first.title == "转介：监护人同意与反馈" and first.rows == [["全校", *school]]
    second = section(made, "referrals_by_grade")
    assert second.below_school
    assert second.rows == [[name, *(masked(n) for n in by_grade[name])] for name in ("初二", "高一", "未定年级")
                           ] + [["合计", *school]]
    assert second.rows[0][1:3] == [4, 3]  # 初二: four referrals, three with consent, exact
    assert second.rows[1][1:] == ["<3"] * 7  # 高一: one referral in the term, and zeros, are all "<3"


async def test_referrals_in_every_format_without_names(seeded: Seeded) -> None:
    await _seed_referrals(seeded)
    made = await seeded.compute()
    school, _ = _expected()
    book = load_workbook(io.BytesIO(export.to_xlsx(made)))
    sheet = book["转介"]
    assert sheet["A1"].value == "转介：监护人同意与反馈" and "测试中学" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:3] == ["范围", "转介", "已记录监护人同意"]
    assert [c.value for c in sheet[5]] == ["全校", *school]
    assert "转介按年级" in book.sheetnames and any(r[1] == "转介：按年级" for r in book["说明"].values)
    as_json = json.loads(export.to_json(made))
    assert next(s for s in as_json["sections"] if s["key"] == "referrals")["rows"] == [["全校", *school]]
    text = export.to_csv(made).decode("utf-8-sig")
    assert "转介：监护人同意与反馈" in text and "转介：按年级" in text
    for blob in (text, json.dumps(as_json, ensure_ascii=False)):
        assert not any(name in blob for name in NAMES) and "家长" not in blob
