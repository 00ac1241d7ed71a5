"""Students: add or update (the roster import calls add_or_update_student too), find by name plus class,
match a reported name in a member's class or dorm, link and unlink a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Case, Group, Student, StudentEvent
from bot.services.crisis.cases import add_event
from bot.services.school import audit
from bot.services.school.grades import grade_from_name
from bot.services.school.people import find_person, get_or_create_group
from bot.services.students.errors import StudentError
from bot.services.students.guardians import GuardianIn, checked, replace_guardians
from bot.services.students.viewer import Viewer

LINK_HOW = ("reporter", "counsellor", "student")  # who confirmed that a case is about the student


@dataclass(frozen=True)
class Saved:
    """A student written, and whether it was new."""

    student: Student
    created: bool


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > 50:
        raise StudentError("name")
    return name


async def add_or_update_student(*, session: AsyncSession, school_id: int, name: str, class_name: str,
                                number: str = "", dorm_name: str | None = None, grade: int | None = None,
                                head_teacher: str | None = None, guardians: list[GuardianIn] | None = None,
                                viewer: Viewer | None = None, now: datetime | None = None) -> Saved:
    """Add a student, or update the one with this name, class (and number when given); guardians replace.

    Everything is checked before anything is written; several students of this name in the class without
    a number to tell them apart is refused (ambiguous).
    """
    viewer = viewer or Viewer.cli()
    viewer.require_roster_access()  # the roster import (an admin) too; opening the file is another rule
    now = now or utcnow()
    name, class_name, number = _name(name), " ".join(class_name.split()), number.strip()[:32]
    if not class_name:
        raise StudentError("no_class")
    checked_guardians = checked(guardians) if guardians is not None else None
    teacher_id = None
    if head_teacher:
        try:
            teacher_id = (await find_person(session=session, school_id=school_id, ref=head_teacher)).id
        except ValueError as exc:
            raise StudentError("responsible", ref=head_teacher) from exc
    existing = (await session.execute(select(Group).where(
        Group.school_id == school_id, Group.name == class_name))).scalar_one_or_none()
    same = list((await session.execute(select(Student).where(
        Student.school_id == school_id, Student.name == name, Student.class_id == existing.id,
        Student.erased_at.is_(None)))).scalars()) if existing is not None else []
    if number:
        same = [s for s in same if s.number == number] or [s for s in same if not s.number][:1]
    elif len(same) > 1 and existing is not None:
        raise StudentError("ambiguous", name=name, choices=_choices(same, {existing.id: existing.name}))
    # every check done: from here on, only writes
    group = existing or await get_or_create_group(session=session, school_id=school_id, name=class_name,
                                                  kind="class")
    student = same[0] if same else None
    created = student is None
    if student is None:
        student = Student(school_id=school_id, name=name, class_id=group.id, created_at=now)
        session.add(student)
    student.number = number or student.number
    student.grade = grade if grade is not None else (group.grade or grade_from_name(class_name) or student.grade)
    if dorm_name:
        student.dorm_id = (await get_or_create_group(session=session, school_id=school_id,
                                                     name=" ".join(dorm_name.split()), kind="dorm")).id
    if teacher_id is not None:
        student.head_teacher_id = teacher_id
    student.updated_at = now
    await session.flush()
    if checked_guardians is not None:
        await replace_guardians(session=session, student_id=student.id, guardians=checked_guardians)
    audit.record(session, actor=viewer.actor, action="student.add" if created else "student.update",
                 target=f"student:{student.id}", school_id=school_id, address=viewer.address)
    return Saved(student=student, created=created)


def _choices(students: list[Student], groups: dict[int, str]) -> str:
    return "、".join(label(s, groups) for s in students)


def label(student: Student, groups: dict[int, str]) -> str:
    """`初二(3)班 李明` (with the number when there is one): how a student is named to staff."""
    where = groups.get(student.class_id or 0, "")
    return f"{where} {student.name}" + (f"（学号 {student.number}）" if student.number else "")


async def group_names(*, session: AsyncSession, school_id: int) -> dict[int, str]:
    """Every group's name by id."""
    return {g.id: g.name for g in (await session.execute(select(Group).where(Group.school_id == school_id))).scalars()}


async def get_student(*, session: AsyncSession, school_id: int, student_id: int) -> Student:
    """The school's student, or StudentError('unknown') (another school's student is unknown here)."""
    student = await session.get(Student, student_id)
    if student is None or student.school_id != school_id:
        raise StudentError("unknown")
    return student


async def list_students(*, session: AsyncSession, school_id: int, name: str | None = None,
                        class_name: str | None = None, viewer: Viewer | None = None) -> list[Student]:
    """The school's students (not erased), by class and name; optionally of one name and class.

    viewer: who is reading the list (audited as student.list; the role rule applies); none for a lookup.
    """
    if viewer is not None:
        viewer.require_file_access()
        audit.record(session, actor=viewer.actor, action="student.list", target=f"school:{school_id}",
                     school_id=school_id, address=viewer.address)
    query = select(Student).where(Student.school_id == school_id, Student.erased_at.is_(None))
    if name:
        query = query.where(Student.name == name.strip())
    if class_name:
        query = query.join(Group, Group.id == Student.class_id).where(Group.name == class_name.strip())
    return list((await session.execute(query.order_by(Student.class_id, Student.name, Student.id))).scalars())


async def resolve_student(*, session: AsyncSession, school_id: int, ref: str) -> Student:
    """A student by id (`12`, `#12`), or by `name` / `name class` / `name class number`; one, or a clear refusal."""
    ref = " ".join(ref.split())
    if ref.lstrip("#").isdigit():
        return await get_student(session=session, school_id=school_id, student_id=int(ref.lstrip("#")))
    parts = ref.split(" ")
    found = await list_students(session=session, school_id=school_id, name=parts[0],
                                class_name=parts[1] if len(parts) > 1 else None)
    if len(parts) > 2:
        found = [s for s in found if s.number == parts[2]]
    if not found:
        raise StudentError("unknown")
    if len(found) > 1:
        raise StudentError("ambiguous", name=parts[0],
                           choices=_choices(found, await group_names(session=session, school_id=school_id)))
    return found[0]


async def match_in_group(*, session: AsyncSession, school_id: int, group_id: int | None, text: str) -> list[Student]:
    """Students of the class or dorm whose name the reporter wrote (李明, 李明同学); exact names first."""
    words = " ".join(text.split())
    if group_id is None or not words:
        return []
    candidates = list((await session.execute(select(Student).where(
        Student.school_id == school_id, Student.erased_at.is_(None),
        or_(Student.class_id == group_id, Student.dorm_id == group_id)).order_by(Student.id))).scalars())
    exact = [s for s in candidates if s.name == words]
    if exact:
        return exact
    return [s for s in candidates if len(s.name) >= 2 and s.name in words]


async def link_case(*, session: AsyncSession, school_id: int, case_id: int, student_id: int, viewer: Viewer,
                    how: str = "counsellor", now: datetime | None = None) -> Case:
    """Say the case is about the student (the reporter's answer, a counsellor, or the student's own choice).

    A mailbox note is linked only by the student's own choice (how='student'), never by the system or staff.
    """
    now = now or utcnow()
    if how != "reporter" and how != "student":
        viewer.require_file_access()
    case = await session.get(Case, case_id)
    if case is None or case.school_id != school_id:
        raise StudentError("unknown_case", case_id=case_id)
    if case.source == "mailbox" and how != "student":
        raise StudentError("mailbox_link")
    student = await get_student(session=session, school_id=school_id, student_id=student_id)
    if student.erased_at is not None:
        raise StudentError("erased")
    case.student_id = student.id
    add_event(session=session, case=case, kind="student_linked", actor_id=viewer.person_id, now=now,
              detail={"student_id": student.id, "how": how})
    session.add(StudentEvent(student_id=student.id, kind="case_linked", at=now, actor_id=viewer.person_id,
                             detail={"case_id": case.id, "how": how}))
    audit.record(session, actor=viewer.actor if how != "student" else "student", action="student.link_case",
                 target=f"case:{case.id}", school_id=school_id, address=viewer.address)
    return case


async def unlink_case(*, session: AsyncSession, school_id: int, case_id: int, viewer: Viewer,
                      now: datetime | None = None) -> Case:
    """Take a wrong link off a case (a counsellor); the file keeps a line saying so."""
    viewer.require_file_access()
    now = now or utcnow()
    case = await session.get(Case, case_id)
    if case is None or case.school_id != school_id:
        raise StudentError("unknown_case", case_id=case_id)
    if case.student_id is not None:
        session.add(StudentEvent(student_id=case.student_id, kind="case_unlinked", at=now, actor_id=viewer.person_id,
                                 detail={"case_id": case.id}))
        add_event(session=session, case=case, kind="student_unlinked", actor_id=viewer.person_id, now=now,
                  detail={"student_id": case.student_id})
        audit.record(session, actor=viewer.actor, action="student.unlink_case", target=f"case:{case.id}",
                     school_id=school_id, address=viewer.address)
        case.student_id = None
    return case


async def cases_of(*, session: AsyncSession, school_id: int, student_id: int) -> list[Case]:
    """The cases linked to the student, oldest first."""
    return list((await session.execute(select(Case).where(
        Case.school_id == school_id, Case.student_id == student_id).order_by(Case.id))).scalars())


async def record_disclosure(*, session: AsyncSession, school_id: int, case_id: int, name: str, class_name: str,
                            now: datetime | None = None) -> Student | None:
    """The student of an anonymous note chose, in their thread, to tell who they are: recorded as their choice,
    and the case linked when exactly one student of that name is in that class (else the counsellor checks)."""
    now = now or utcnow()
    found = [s for s in await list_students(session=session, school_id=school_id, name=name, class_name=class_name)]
    student = found[0] if len(found) == 1 else None
    add_event(session=session, case=case_id, kind="identity_told", now=now,
              detail={"by": "student", "name": name[:50], "class": class_name[:50],
                      "student_id": student.id if student else None})
    if student is not None:
        await link_case(session=session, school_id=school_id, case_id=case_id, student_id=student.id,
                        viewer=Viewer.cli(), how="student", now=now)
        session.add(StudentEvent(student_id=student.id, kind="identity_told", at=now, detail={"case_id": case_id}))
    return student
