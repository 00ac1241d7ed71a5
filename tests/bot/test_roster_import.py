"""The roster import: UTF-8 and GBK files with bad rows, the dry run and the apply agreeing, re-import a no-op."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import AuditEntry, Group, Person
from bot.services.school.roster_import.reading import ImportFileError, read_sheet
from bot.services.school.roster_import.run import Preview, run_import
from bot.services.school.roster_import.template import template_bytes
from bot.services.school.schools import ensure_school
from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "roster"


class Db:
    def __init__(self, sessions) -> None:
        self.sessions = sessions

    async def run(self, kind: str, data: bytes, name: str = "f.csv", dry_run: bool = False) -> Preview:
        async with self.sessions() as session, session.begin():
            school = await ensure_school(session=session, name="测试学校", timezone="Asia/Shanghai")
            return await run_import(session=session, school_id=school.id, kind=kind, data=data, name=name,
                                    dry_run=dry_run)

    async def snapshot(self) -> tuple[list, list, int]:
        async with self.sessions() as session:
            groups = [(g.name, g.kind, g.grade) for g in
                      (await session.execute(select(Group).order_by(Group.name))).scalars()]
            people = [(p.name, p.roles, p.group_id, p.phone) for p in
                      (await session.execute(select(Person).order_by(Person.name))).scalars()]
            audits = (await session.execute(select(func.count()).select_from(AuditEntry))).scalar_one()
            return groups, people, audits


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Db]:
    engine = make_engine(db_url)
    yield Db(make_sessionmaker(engine))
    await engine.dispose()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def good_classes() -> bytes:
    return ("名称,类型,年级,班主任\n初二(1)班,班级,8,王老师\n初二(2)班,班级,初二,赵老师\n初二(3)班,,,\n"
            "男生宿舍 3-101,寝室,,\n").encode()


async def test_bad_rows_are_named_with_their_row_and_nothing_is_written(db: Db) -> None:
    before = await db.snapshot()
    preview = await db.run("classes", fixture("classes_utf8_bom.csv"))
    assert not preview.applied and preview.encoding == "utf-8-sig"
    reasons = {p.row: p.reason for p in preview.problems}
    assert set(reasons) == {6, 7, 8, 9}
    assert "与第 2 行重复" in reasons[6]  # the same class twice
    assert "年级" in reasons[7] and "十五" in reasons[7]
    assert "类型" in reasons[8] and "教室" in reasons[8]
    assert "王老师" in reasons[9] and "第 2 行" in reasons[9]  # one head teacher, two classes
    assert await db.snapshot() == before  # one bad row: nothing at all


async def test_gbk_members_file_is_read_and_every_bad_row_says_why(db: Db) -> None:
    await db.run("classes", good_classes())
    preview = await db.run("members", fixture("members_gbk.csv"), dry_run=True)
    assert preview.encoding == "gbk"
    reasons = {p.row: p.reason for p in preview.problems}
    assert "重复" in reasons[5] and "第 2 行" in reasons[5]
    assert "缺少姓名" in reasons[6]
    assert "未知的班级或寝室" in reasons[7] and "初五(9)班" in reasons[7]
    assert "公式" in reasons[8]
    assert "不符" in reasons[9]  # a dorm member's role for a class
    assert "班长" in reasons[10]
    assert [(r.row, r.action, r.key) for r in preview.rows] == [(2, "add", "李小雨"), (3, "add", "张明"),
                                                                (4, "add", "周婷")]
    lines = preview.lines()
    assert lines[0].startswith("第 5 行 有问题") and any("第 2 行 新增：李小雨" in line for line in lines)


async def test_staff_phones_and_roles(db: Db) -> None:
    preview = await db.run("staff", fixture("staff_utf8.csv"), dry_run=True)
    reasons = {p.row: p.reason for p in preview.problems}
    assert set(reasons) == {5, 6} and "12345" in reasons[5] and "厨师" in reasons[6]
    fixed = b"\n".join(fixture("staff_utf8.csv").splitlines()[:4])
    applied = await db.run("staff", fixed)
    assert applied.applied and applied.count("add") == 3
    _groups, people, _ = await db.snapshot()
    assert ("陈老师", "counsellor", None, "13812345678") in people
    assert ("刘校长", "admin,leader", None, "0371-12345678") in people


async def test_dry_run_and_apply_agree_reimport_is_a_no_op_and_a_changed_row_updates(db: Db) -> None:
    await db.run("classes", good_classes())
    members = "姓名,班级或寝室,角色\n李小雨,初二(1)班,班级心理委员\n张明,初二(2)班,\n周婷,男生宿舍 3-101,\n".encode()
    dry = await db.run("members", members, dry_run=True)
    before = await db.snapshot()
    done = await db.run("members", members)
    assert [(r.row, r.action, r.key, r.detail) for r in dry.rows] == [
        (r.row, r.action, r.key, r.detail) for r in done.rows]
    groups, people, audits = await db.snapshot()
    assert len(people) == len(before[1]) + 3 and audits == before[2] + 4  # one entry per person and the import
    again = await db.run("members", members)
    assert again.count("same") == 3 and again.count("add") == again.count("change") == 0
    assert (await db.snapshot())[:2] == (groups, people)
    moved = members.replace("张明,初二(2)班".encode(), "张明,初二(3)班".encode())
    changed = await db.run("members", moved)
    assert changed.count("change") == 1 and changed.count("same") == 2
    assert "初二(2)班 → 初二(3)班" in changed.lines()[0]
    _g, after, _a = await db.snapshot()
    assert len(after) == len(people)  # updated, never duplicated
    regrade = good_classes().replace("初二(3)班,,,".encode(), "初二(3)班,班级,7,钱老师".encode())
    preview = await db.run("classes", regrade)
    assert preview.count("change") == 1
    assert "年级：8 → 7" in preview.lines()[0] and "钱老师（新建）" in preview.lines()[0]


async def test_xlsx_with_a_formula_and_the_templates_import_as_they_are(db: Db) -> None:
    for kind in ("classes", "staff", "members"):
        for fmt in ("csv", "xlsx"):
            preview = await db.run(kind, template_bytes(kind, fmt), name=f"t.{fmt}", dry_run=True)
            assert preview.rows and not preview.problems, (kind, fmt, preview.lines())
        await db.run(kind, template_bytes(kind, "xlsx"), name="t.xlsx")
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "班级或寝室"])
    sheet.append(["赵一", "初二(3)班"])
    sheet.append(["钱二", "=B2"])
    sheet.append([None, None])
    sheet.append(["孙三", "初二(3)班"])
    buf = io.BytesIO()
    book.save(buf)
    preview = await db.run("members", buf.getvalue(), name="m.xlsx", dry_run=True)
    assert [p.row for p in preview.problems] == [3] and "公式" in preview.problems[0].reason
    assert [r.row for r in preview.rows] == [2, 5]  # spreadsheet row numbers, the empty row skipped


@pytest.mark.parametrize(("name", "data", "says"), [
    ("r.pdf", b"%PDF-1.4", "只能导入 CSV"),
    ("r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "旧版 Excel"),
    ("r.xlsx", b"name,class\n", "不是 Excel 工作簿"),
    ("r.csv", b"PK\x03\x04rest", "不是文本"),
    ("r.csv", b"", "空的"),
    ("r.csv", b"\n\n ,, \n", "空的"),
    ("r.csv", "姓名,班级或寝室\n".encode(), "没有数据行"),
    ("r.csv", "名字\n张三\n".encode("gbk"), "缺少必填列 班级或寝室"),
    ("r.csv", bytes([0x81, 0x20, 0xff, 0xfe, 0x41]) * 3, "编码"),
])
async def test_files_that_cannot_be_imported_get_a_clear_message(db: Db, name: str, data: bytes, says: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        await db.run("members", data, name=name)
    assert says in str(caught.value) and name in str(caught.value)


def test_encodings_from_excel() -> None:
    text = "姓名,班级或寝室\n李小雨,初二(1)班\n"
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        sheet = read_sheet(text.encode(encoding), "m.csv")
        assert sheet.header == ["姓名", "班级或寝室"] and sheet.rows[0][1][0].text == "李小雨"
    utf16 = read_sheet(text.replace(",", "\t").encode("utf-16"), "m.txt")  # Excel's "Unicode text"
    assert utf16.rows[0][1][1].text == "初二(1)班"


def test_cli_dry_run_then_import(tmp_path: Path, cli_env: dict[str, str]) -> None:
    classes = tmp_path / "classes.csv"
    classes.write_bytes(good_classes())
    dry = run_cli(["roster", "import", str(classes), "--kind", "classes", "--dry-run"], cli_env)
    assert dry.returncode == 0 and "新增 4" in dry.stdout and "未写入" in dry.stdout, dry.stderr
    done = run_cli(["roster", "import", str(classes), "--kind", "classes"], cli_env)
    assert done.returncode == 0 and "已导入" in done.stdout
    again = run_cli(["roster", "import", str(classes), "--kind", "classes"], cli_env)
    assert "不变 4" in again.stdout
    bad = tmp_path / "members.csv"
    bad.write_bytes(fixture("members_gbk.csv"))
    refused = run_cli(["roster", "import", str(bad), "--kind", "members"], cli_env)
    assert refused.returncode == 1 and "第 7 行 有问题" in refused.stdout and "未导入任何内容" in refused.stderr
    template = tmp_path / "t.xlsx"
    assert run_cli(["roster", "template", "members", "--out", str(template)], cli_env).returncode == 0
    assert template.read_bytes().startswith(b"PK")


async def test_fifty_thousand_members_in_one_transaction(db: Db, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("measured on PostgreSQL by make bench-import")
    import time

    classes = "名称\n" + "".join(f"初一({i})班\n" for i in range(200))
    await db.run("classes", classes.encode())
    rows = "".join(f"学生{i:05d},初一({i % 200})班\n" for i in range(50_000))
    data = ("姓名,班级或寝室\n" + rows).encode("gbk")
    start = time.perf_counter()
    done = await db.run("members", data)
    took = time.perf_counter() - start
    assert done.applied and done.count("add") == 50_000 and not done.problems
    again = await db.run("members", data)
    assert again.count("same") == 50_000
    assert took < 60, f"50,000 rows took {took:.1f} s"
