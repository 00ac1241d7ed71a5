"""The students kind of the roster import: UTF-8 and GBK files with bad rows, through add_or_update_student;
the dry run and the apply agree, re-import is a no-op, a changed row updates, one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import AuditEntry, Guardian, Student
from bot.services.school.roster_import.template import template_bytes
from tests.bot import test_roster_import
from tests.bot.test_roster_import import Db, fixture, good_classes
from tests.conftest import run_cli

STAFF = "姓名,角色,手机\n赵老师,班主任,\n".encode()
db = test_roster_import.db  # the shared fixture
GOOD_ROWS = 4  # the header and the three good rows of the fixtures


async def _setup(db: Db) -> None:
    assert (await db.run("classes", good_classes())).applied  # creates 王老师 as 初二(1)班's head teacher
    assert (await db.run("staff", STAFF)).applied


async def _state(db: Db) -> tuple[list, list, int, int]:
    async with db.sessions() as session:
        students = [(s.name, s.number, s.class_id, s.dorm_id, s.grade, s.head_teacher_id) for s in
                    (await session.execute(select(Student).order_by(Student.id))).scalars()]
        guardians = [(g.student_id, g.name, g.relation, g.phone) for g in
                     (await session.execute(select(Guardian).order_by(Guardian.id))).scalars()]
        audits = (await session.execute(select(func.count()).select_from(AuditEntry))).scalar_one()
        adds = (await session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "student.add"))).scalar_one()
        return students, guardians, audits, adds


@pytest.mark.parametrize(("name", "encoding"), [("students_utf8.csv", "utf-8"), ("students_gbk.csv", "gbk")])
async def test_every_bad_row_says_why_and_nothing_is_written(db: Db, name: str, encoding: str) -> None:
    await _setup(db)
    before = await _state(db)
    preview = await db.run("students", fixture(name), dry_run=True)
    assert preview.encoding == encoding
    reasons = {p.row: p.reason for p in preview.problems}
    assert set(reasons) == {5, 6, 7, 8, 9, 10, 11}
    assert "未知的班级" in reasons[5] and "初五(9)班" in reasons[5]
    assert "电话未知" in reasons[6] and "监护人1" in reasons[6]
    assert "第 4 行" in reasons[7] and "学号" in reasons[7]  # the same name in one class, no 学号
    assert "缺少姓名" in reasons[8]
    assert "未知的寝室" in reasons[9] and "女生宿舍 9-999" in reasons[9]
    assert "钱老师" in reasons[10]
    assert "关系" in reasons[11]
    # two of one name in one class told apart by their 学号 are two students
    assert [(r.row, r.action, r.key) for r in preview.rows] == [
        (2, "add", "李明（学号 01）"), (3, "add", "李明（学号 02）"), (4, "add", "张小红")]
    applied = await db.run("students", fixture(name))
    assert not applied.applied and await _state(db) == before  # one bad row: nothing at all
    assert [(p.row, p.reason) for p in applied.problems] == [(p.row, p.reason) for p in preview.problems]


async def test_dry_run_and_apply_agree_reimport_is_a_no_op_and_a_changed_row_updates(db: Db) -> None:
    await _setup(db)
    good = b"\r\n".join(fixture("students_gbk.csv").splitlines()[:GOOD_ROWS])
    dry = await db.run("students", good, dry_run=True)
    before = await _state(db)
    done = await db.run("students", good)
    assert done.applied and [(r.row, r.action, r.key, r.detail) for r in dry.rows] == [
        (r.row, r.action, r.key, r.detail) for r in done.rows]
    students, guardians, audits, adds = await _state(db)
    assert len(students) == 3 and adds == before[3] + 3 and audits == before[2] + 4  # each student and the import
    assert [(s[0], s[1], s[4]) for s in students] == [("李明", "01", 8), ("李明", "02", 8), ("张小红", "", 8)]
    assert students[0][3] is not None and students[0][5] is not None and students[2][5] is not None
    first = {g[0] for g in guardians}
    assert len(first) == 3 and len(guardians) == 4
    assert (min(first), "李强", "父亲", "13900000000") in guardians  # dashes dropped, as the service stores it
    assert any(g[1:] == ("张伟", "父亲", "037112345678") for g in guardians)

    again = await db.run("students", good)
    assert again.applied and again.count("same") == 3 and again.count("add") == again.count("change") == 0
    after = await _state(db)
    assert after[:2] == (students, guardians) and after[2] == audits + 1  # only the import's own entry

    changed = good.replace("0371-12345678".encode("gbk"), "13512345678".encode("gbk"))
    changed += "\r\n李明,初二(1)班,,,,,,,,,".encode("gbk")  # no 学号: two 李明 in the class, which one?
    refused = await db.run("students", changed, dry_run=True)
    assert [p.row for p in refused.problems] == [5] and "学号" in refused.problems[0].reason
    fixed = changed.rsplit(b"\r\n", 1)[0]
    updated = await db.run("students", fixed)
    assert updated.count("change") == 1 and updated.count("same") == 2
    assert "监护人" in updated.lines()[0] and "张小红" in updated.lines()[0]
    students2, guardians2, _a, _adds = await _state(db)
    assert students2 == students and len(guardians2) == len(guardians)  # updated, never duplicated
    assert any(g[1:] == ("张伟", "父亲", "13512345678") for g in guardians2)


async def test_a_number_added_later_updates_the_same_student(db: Db) -> None:
    await _setup(db)
    await db.run("students", "姓名,班级\n张小红,初二(2)班\n".encode())
    preview = await db.run("students", "姓名,班级,学号,寝室\n张小红,初二(2)班,07,男生宿舍 3-101\n".encode())
    assert preview.count("change") == 1 and "学号：（空） → 07" in preview.lines()[0]
    students, *_ = await _state(db)
    assert [(s[0], s[1]) for s in students] == [("张小红", "07")]


async def test_templates_import_as_they_are(db: Db) -> None:
    await _setup(db)
    for fmt in ("csv", "xlsx"):
        preview = await db.run("students", template_bytes("students", fmt), name=f"t.{fmt}", dry_run=True)
        assert not preview.problems and preview.count("add") == 2, preview.problems


def test_cli_imports_students(tmp_path: Path, cli_env: dict[str, str]) -> None:
    classes = tmp_path / "classes.csv"
    classes.write_bytes(good_classes())
    assert run_cli(["roster", "import", str(classes), "--kind", "classes"], cli_env).returncode == 0
    staff = tmp_path / "staff.csv"
    staff.write_bytes(STAFF)
    assert run_cli(["roster", "import", str(staff), "--kind", "staff"], cli_env).returncode == 0
    bad = tmp_path / "students.csv"
    bad.write_bytes(fixture("students_gbk.csv"))
    refused = run_cli(["roster", "import", str(bad), "--kind", "students"], cli_env)
    assert refused.returncode == 1 and "第 5 行 有问题" in refused.stdout, refused.stderr
    good = tmp_path / "good.csv"
    good.write_bytes(b"\r\n".join(fixture("students_gbk.csv").splitlines()[:GOOD_ROWS]))
    dry = run_cli(["roster", "import", str(good), "--kind", "students", "--dry-run"], cli_env)
    assert dry.returncode == 0 and "新增 3" in dry.stdout and "未写入" in dry.stdout, dry.stderr
    done = run_cli(["roster", "import", str(good), "--kind", "students"], cli_env)
    assert done.returncode == 0 and "已导入" in done.stdout, done.stderr
    again = run_cli(["roster", "import", str(good), "--kind", "students"], cli_env)
    assert "不变 3" in again.stdout
    listed = run_cli(["students", "list", "--class", "初二(1)班", "--json"], cli_env)
    assert listed.returncode == 0 and listed.stdout.count("李明") == 2, listed.stderr
