"""Students (学生): 姓名, 班级, 寝室, 学号, 班主任, 监护人1姓名/关系/电话, 监护人2 …, 监护人3 …. Classes,
dorms and head teachers must be imported first. Every student is written by the one service call,
students.add_or_update_student (name plus class identify a student, the 学号 tells two of one name
apart); the plan mirrors its matching so that the dry run says what the apply does. Empty guardian
cells leave a student's guardians as they are (an import never deletes); any guardian given replaces them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Group, Guardian, Person, Student
from bot.services.school.grades import grade_from_name
from bot.services.school.roster_import.base import Column, KindPlan, Problem, Row, RowPlan, change
from bot.services.students.errors import StudentError
from bot.services.students.guardians import GuardianIn, checked
from bot.services.students.students import add_or_update_student
from bot.services.students.viewer import Viewer
from bot.texts import school as texts

NAME = "students"
TITLE = "学生"
GUARDIANS = 3
COLUMNS = (
    Column("name", "姓名", required=True, aliases=("名字", "学生姓名"), example="李明", limit=50),
    Column("class", "班级", required=True, aliases=("所在班级", "班级名称"), example="初二(3)班"),
    Column("dorm", "寝室", aliases=("宿舍",), example="男生宿舍 3-101"),
    Column("number", "学号", aliases=("学籍号",), example="20240301", limit=32),
    Column("head_teacher", "班主任", example="王老师"),
    *[c for n in range(1, GUARDIANS + 1) for c in (
        Column(f"g{n}_name", f"监护人{n}姓名", aliases=(f"监护人{n}",), example="王芳" if n == 1 else "", limit=50),
        Column(f"g{n}_relation", f"监护人{n}关系", example="母亲" if n == 1 else "", limit=20),
        Column(f"g{n}_phone", f"监护人{n}电话", aliases=(f"监护人{n}手机",), example="13800000000" if n == 1 else "",
               limit=40))],
)
EXAMPLES = (
    ("李明", "初二(3)班", "男生宿舍 3-101", "20240301", "王老师", "王芳", "母亲", "13800000000", "李强", "父亲",
     "13900000000", "", "", ""),
    ("张小红", "初二(3)班", "", "", "", "张伟", "父亲", "0371-12345678", "", "", "", "", "", ""),
)


def _guardians(values: dict[str, str]) -> tuple[list[GuardianIn] | None, list[str]]:
    """The row's guardians validated (None when it gives none), and the reasons it is bad."""
    given, reasons = [], []
    for n in range(1, GUARDIANS + 1):
        name, relation, phone = (values.get(f"g{n}_{k}", "") for k in ("name", "relation", "phone"))
        if not (name or relation or phone):
            continue
        try:
            given += checked([GuardianIn(name=name, relation=relation, phone=phone)])
        except StudentError as exc:
            reasons.append(texts.ROW_GUARDIAN.format(n=n, reason=exc.message))
    return (given or None), reasons


async def plan(*, session: AsyncSession, school_id: int, rows: list[Row], actor: str) -> KindPlan:
    """Plan the rows against the school's classes, dorms, staff and students (one read of each)."""
    groups = list((await session.execute(select(Group).where(Group.school_id == school_id))).scalars())
    classes = {g.name: g for g in groups if g.kind == "class"}
    dorms = {g.name: g for g in groups if g.kind == "dorm"}
    group_names = {g.id: g.name for g in groups}
    people = {p.name: p for p in (await session.execute(select(Person).where(Person.school_id == school_id))).scalars()}
    person_names = {p.id: p.name for p in people.values()}
    students = list((await session.execute(select(Student).where(
        Student.school_id == school_id, Student.erased_at.is_(None)).order_by(Student.id))).scalars())
    by_key: dict[tuple[str, int | None], list[Student]] = {}
    for s in students:
        by_key.setdefault((s.name, s.class_id), []).append(s)
    kept: dict[int, list[tuple[str, str, str]]] = {}
    if students:
        for g in (await session.execute(select(Guardian).join(Student, Student.id == Guardian.student_id).where(
                Student.school_id == school_id).order_by(Guardian.id))).scalars():
            kept.setdefault(g.student_id, []).append((g.name, g.relation, g.phone))
    result = KindPlan()
    seen: dict[tuple[str, str], list[tuple[int, str]]] = {}
    claimed: set[int] = set()
    writes: list[tuple[dict[str, object], list[GuardianIn] | None]] = []
    for number, v in rows:
        name, class_name = " ".join(v["name"].split()), " ".join(v["class"].split())
        student_no, dorm_name = v.get("number", "").strip(), " ".join(v.get("dorm", "").split())
        teacher_name = " ".join(v.get("head_teacher", "").split())
        group, dorm = classes.get(class_name), dorms.get(dorm_name) if dorm_name else None
        guardians, reasons = _guardians(v)
        for row, other in seen.get((name, class_name), []):
            if not student_no or not other:
                reasons.insert(0, texts.ROW_SAME_STUDENT.format(row=row))
                break
            if other == student_no:
                reasons.insert(0, texts.ROW_DUPLICATE.format(row=row, column="姓名、班级和学号"))
                break
        if group is None:
            reasons.append(texts.ROW_UNKNOWN_CLASS.format(name=class_name))
        if dorm_name and dorm is None:
            reasons.append(texts.ROW_UNKNOWN_DORM.format(name=dorm_name))
        teacher = people.get(teacher_name) if teacher_name else None
        if teacher_name and teacher is None:
            reasons.append(texts.ROW_UNKNOWN_TEACHER.format(name=teacher_name))
        seen.setdefault((name, class_name), []).append((number, student_no))
        same = [s for s in by_key.get((name, group.id), []) if s.id not in claimed] if group is not None else []
        if student_no:
            same = [s for s in same if s.number == student_no] or [s for s in same if not s.number][:1]
        elif len(same) > 1:
            reasons.append(StudentError("ambiguous", name=name, choices="、".join(
                f"学号 {s.number}" if s.number else "（无学号）" for s in same)).message)
        if reasons:
            result.problems.append(Problem(number, "；".join(reasons)))
            continue
        assert group is not None
        args: dict[str, object] = {"name": name, "class_name": class_name, "number": student_no,
                                   "dorm_name": dorm_name or None}
        label = name + (f"（学号 {student_no}）" if student_no else "")
        if not same:
            args["head_teacher"] = teacher_name or None
            writes.append((args, guardians))
            result.rows.append(RowPlan(number, "add", label, tuple(x for x in (class_name, dorm_name) if x)))
            continue
        existing = same[0]
        claimed.add(existing.id)
        diffs = []
        if student_no and existing.number != student_no:
            diffs.append(change("学号", existing.number, student_no))
        if dorm is not None and existing.dorm_id != dorm.id:
            diffs.append(change("寝室", group_names.get(existing.dorm_id or 0, ""), dorm.name))
        if teacher is not None and existing.head_teacher_id != teacher.id:
            diffs.append(change("班主任", person_names.get(existing.head_teacher_id or 0, ""), teacher.name))
            args["head_teacher"] = teacher.name
        grade = group.grade or grade_from_name(class_name) or existing.grade
        if grade != existing.grade:
            diffs.append(change("年级", existing.grade, grade))
        new_guardians = [(g.name, g.relation, g.phone) for g in guardians] if guardians is not None else None
        if new_guardians is not None and new_guardians != kept.get(existing.id, []):
            diffs.append(change("监护人", "、".join(f"{g[0]}（{g[1]}）" for g in kept.get(existing.id, [])),
                                "、".join(f"{g[0]}（{g[1]}）" for g in new_guardians)))
        if diffs:
            writes.append((args, guardians))
        result.rows.append(RowPlan(number, "change" if diffs else "same", label, tuple(diffs)))

    async def apply(session: AsyncSession) -> None:
        viewer = Viewer.cli()
        if actor.startswith("person:") and actor[7:].isdigit():
            person = await session.get(Person, int(actor[7:]))
            viewer = Viewer(person=person) if person is not None else viewer
        for args, guardians in writes:
            await add_or_update_student(session=session, school_id=school_id, guardians=guardians, viewer=viewer,
                                        **args)  # type: ignore[arg-type]

    result.apply = apply
    return result
