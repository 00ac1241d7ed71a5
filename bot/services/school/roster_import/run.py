"""Preview and apply a roster file: the dry run and the import run the same plan; the import is one
transaction and writes nothing when any row is bad."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.school import audit
from bot.services.school.roster_import.base import Problem, RowPlan, map_columns, rows_of
from bot.services.school.roster_import.kinds import KINDS
from bot.services.school.roster_import.reading import ImportFileError, read_sheet
from bot.texts import school as texts


@dataclass
class Preview:
    """What a file does (or did): every row's plan and every bad row, and whether it was applied."""

    kind: str
    title: str
    encoding: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        """How many rows add, change or leave alone."""
        return sum(1 for r in self.rows if r.action == action)

    @property
    def summary(self) -> str:
        """One line: rows, added, changed, unchanged, bad."""
        return texts.SUMMARY.format(kind_title=self.title, rows=len(self.rows) + len(self.problems),
                                    added=self.count("add"), changed=self.count("change"),
                                    unchanged=self.count("same"), bad=len(self.problems))

    def lines(self, *, unchanged: bool = False) -> list[str]:
        """The bad rows first, then every added and changed row (and the unchanged when asked)."""
        out = [texts.BAD_LINE.format(row=p.row, reason=p.reason) for p in sorted(self.problems, key=lambda p: p.row)]
        for r in self.rows:
            if r.action != "same" or unchanged:
                detail = f"（{'；'.join(r.detail)}）" if r.detail else ""
                out.append(texts.ROW_LINE.format(row=r.row, action=texts.ACTIONS[r.action], key=r.key, detail=detail))
        return out

    def as_dict(self) -> dict[str, object]:
        """The preview as JSON-ready data (for the console and `--json`)."""
        return {"kind": self.kind, "applied": self.applied, "encoding": self.encoding,
                "added": self.count("add"), "changed": self.count("change"), "unchanged": self.count("same"),
                "rows": [{"row": r.row, "action": r.action, "key": r.key, "detail": list(r.detail)} for r in self.rows],
                "problems": [{"row": p.row, "reason": p.reason} for p in self.problems]}


def kind_module(kind: str):  # noqa: ANN201 - a kind module (groups, staff, members …)
    """The module of a kind; ImportFileError naming the kinds otherwise."""
    if kind not in KINDS:
        raise ImportFileError(texts.UNKNOWN_KIND.format(kind=kind, kinds="、".join(KINDS)))
    return KINDS[kind]


async def run_import(*, session: AsyncSession, school_id: int, kind: str, data: bytes, name: str,
                     dry_run: bool, actor: str = "cli", address: str | None = None) -> Preview:
    """Plan a roster file and, unless a dry run or a row is bad, apply it in the session's transaction."""
    module = kind_module(kind)
    sheet = read_sheet(data, name)
    found, missing = map_columns(sheet, module.COLUMNS)
    if missing:
        raise ImportFileError(texts.MISSING_COLUMNS.format(
            name=name, missing="、".join(c.header for c in missing), row=sheet.header_row,
            found="、".join(h for h in sheet.header if h) or "（空）", kind=kind))
    rows, problems = rows_of(sheet, found)
    planned = await module.plan(session=session, school_id=school_id, rows=rows, actor=actor)
    preview = Preview(kind=kind, title=module.TITLE, encoding=sheet.encoding, rows=planned.rows,
                      problems=sorted(problems + planned.problems, key=lambda p: p.row))
    if dry_run or preview.problems:
        return preview
    assert planned.apply is not None
    await planned.apply(session)
    audit.record(session, actor=actor, action=f"roster.import.{kind}", school_id=school_id, address=address,
                 target=f"added:{preview.count('add')},changed:{preview.count('change')}")
    preview.applied = True
    return preview
