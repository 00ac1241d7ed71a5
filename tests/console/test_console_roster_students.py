"""The console's import page takes the students kind (from the registry): preview, apply, re-import unchanged."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.db.models import AuditEntry, Student
from tests.console.test_console_school import _signed_in, _upload

CLASSES = "名称,类型,年级,班主任\r\n初一(1)班,班级,7,\r\n".encode("gbk")
STUDENTS = ("姓名*,班级*,学号,监护人1姓名,监护人1关系,监护人1电话\r\n李明,初一(1)班,01,王芳,母亲,13800000000\r\n"
            "李明,初一(1)班,02,,,\r\n张三,初一(9)班,,,,\r\n").encode("gbk")


def _tokens(text: str) -> tuple[str, str]:
    return (text.split('name="csrf" value="')[1].split('"')[0], text.split('name="token" value="')[1].split('"')[0])


async def test_students_are_imported_from_the_console(app: App, browser) -> None:
    b, _ = await _signed_in(app, browser, "admin")
    page = await b.get("/console/school/import")
    assert 'value="students"' in page.text
    r = await _upload(b, CLASSES)
    b.token, token = _tokens(r.text)
    assert (await b.post("/console/school/import/apply", {"kind": "classes", "token": token, "name": "c.csv"})
            ).status_code == 200
    await b.get("/console/school/import")
    r = await _upload(b, STUDENTS, name="students.csv", kind="students")
    assert r.status_code == 400 and "<td>4</td>" in r.text and "初一(9)班" in r.text
    r = await _upload(b, STUDENTS.rsplit(b"\r\n", 2)[0] + b"\r\n", name="students.csv", kind="students")
    assert r.status_code == 200 and r.text.count('class="act-add"') == 2
    b.token, token = _tokens(r.text)
    applied = await b.post("/console/school/import/apply", {"kind": "students", "token": token, "name": "s.csv"})
    assert applied.status_code == 200 and 'id="applied"' in applied.text
    async with app.sessions() as session:
        assert sorted((await session.execute(select(Student.number))).scalars()) == ["01", "02"]
        actors = set((await session.execute(select(AuditEntry.actor).where(
            AuditEntry.action == "student.add"))).scalars())
        assert len(actors) == 1 and next(iter(actors)).startswith("person:")  # the admin, not "cli"
        assert (await session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "roster.import.students"))).scalar_one() == 1
