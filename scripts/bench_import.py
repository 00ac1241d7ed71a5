"""`make bench-import`: a 50,000-row committee-member file (CSV in GBK, and XLSX) through the roster import.

Times the dry run, the import (one transaction) and the re-import (no change) on a scratch SQLite
file, or on XINQIAO_BENCH_DATABASE_URL (PostgreSQL: a scratch database, its schema is dropped).
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db.engine import make_engine, make_sessionmaker  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.services.school.roster_import.run import run_import  # noqa: E402
from bot.services.school.schools import ensure_school  # noqa: E402

ROWS = int(os.environ.get("ROWS", "50000"))
CLASSES = 1000


def files() -> tuple[bytes, bytes, bytes]:
    classes = "名称,类型,年级\n" + "".join(f"初{'一二三'[i % 3]}({i})班,班级,\n" for i in range(CLASSES))
    rows = [(f"学生{i:05d}", f"初{'一二三'[(i % CLASSES) % 3]}({i % CLASSES})班", "班级心理委员") for i in range(ROWS)]
    members_csv = ("姓名,班级或寝室,角色\n" + "".join(",".join(r) + "\n" for r in rows)).encode("gbk")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["姓名", "班级或寝室", "角色"])
    for r in rows:
        sheet.append(list(r))
    buf = io.BytesIO()
    book.save(buf)
    return classes.encode("utf-8"), members_csv, buf.getvalue()


async def main() -> None:
    url = os.environ.get("XINQIAO_BENCH_DATABASE_URL") or f"sqlite+inline:///{tempfile.mkdtemp()}/bench.db"
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    sessions = make_sessionmaker(engine)
    classes, members_csv, members_xlsx = files()

    async def run(kind: str, data: bytes, name: str, dry_run: bool) -> tuple[float, str]:
        start = time.perf_counter()
        async with sessions() as session, session.begin():
            school = await ensure_school(session=session, name="测试学校", timezone="Asia/Shanghai")
            preview = await run_import(session=session, school_id=school.id, kind=kind, data=data, name=name,
                                       dry_run=dry_run)
        return time.perf_counter() - start, preview.summary

    await run("classes", classes, "classes.csv", False)
    print(f"{engine.dialect.name}, {ROWS:,} members in {CLASSES} classes "
          f"(CSV {len(members_csv) / 1e6:.1f} MB GBK, XLSX {len(members_xlsx) / 1e6:.1f} MB)")
    for label, data, name, dry in (("dry run, CSV (GBK)", members_csv, "m.csv", True),
                                   ("dry run, XLSX", members_xlsx, "m.xlsx", True),
                                   ("import, CSV (one transaction)", members_csv, "m.csv", False),
                                   ("re-import, CSV (no change)", members_csv, "m.csv", False),
                                   ("re-import, XLSX (no change)", members_xlsx, "m.xlsx", False)):
        seconds, summary = await run("members", data, name, dry)
        print(f"  {label:32s} {seconds:6.2f} s   {summary}")
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
