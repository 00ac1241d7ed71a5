"""After a member's report is filed (and paged, when urgent): is it this student of their class or dorm?

The report never waits for the answer: it is filed first; the answer only links the case to the student
(是初二(3)班的李明吗？). Nobody fits: it stays filed as written. Several fit: the member picks one.
"""

from __future__ import annotations

from bot.db.models import Student
from bot.events import Reply
from bot.services.crisis.cases import add_event
from bot.services.students.errors import StudentError
from bot.services.students.students import group_names, link_case, match_in_group
from bot.services.students.viewer import Viewer
from bot.texts import student_chat as ST
from bot.texts.student_chat import OPT_NO, OPT_NONE, OPT_YES
from handlers.base import Context, Flow, Result, State


def _labels(found: list[Student], groups: dict[int, str]) -> list[str]:
    labels = []
    for s in found:
        extra = f"，{groups[s.dorm_id]}" if s.dorm_id in groups else ""
        extra += f"，学号 {s.number}" if s.number else ""
        labels.append(ST.MATCH_LABEL.format(name=s.name, where=groups.get(s.class_id or 0, ""), extra=extra))
    return labels


async def ask(ctx: Context, result: Result, who: str) -> Result:
    """Add the name check to a filed report's replies when the name fits students of the reporter's group."""
    assert ctx.who is not None
    case_id = result.crisis_case or result.data.get("case")
    if not case_id:
        return result
    person = ctx.who.person
    found = await match_in_group(session=ctx.session, school_id=ctx.school_id, group_id=person.group_id, text=who)
    if not found:
        return result
    groups = await group_names(session=ctx.session, school_id=ctx.school_id)
    labels = _labels(found, groups)
    data: dict[str, object] = {"who": who, "case": case_id, "students": [s.id for s in found], "labels": labels}
    if len(found) == 1:
        question = Reply(ST.MATCH_ONE.format(where=groups.get(found[0].class_id or 0, ""), name=found[0].name),
                         (OPT_YES, OPT_NO))
    else:
        question = Reply(ST.MATCH_MANY.format(where=groups.get(person.group_id or 0, "")),
                         tuple(labels) + (OPT_NONE,))
    data["question"] = question.text
    result.replies = list(result.replies) + [question]
    result.state, result.data = State.REPORT_MATCH, data
    return result


async def match_step(ctx: Context) -> Result:
    """The member's answer: link the case to the student they mean, or leave it as written."""
    data = dict(ctx.data)
    ids, labels = list(data.get("students") or []), list(data.get("labels") or [])
    choice = ctx.text.strip()
    picked = None
    if choice == OPT_YES and len(ids) == 1:
        picked = ids[0]
    elif choice in labels:
        picked = ids[labels.index(choice)]
    elif choice in (OPT_NO, OPT_NONE):
        add_event(session=ctx.session, case=int(data["case"]), kind="student_not_matched", now=ctx.now,
                  actor_id=ctx.who.person.id if ctx.who else None)
        return Result([Reply(ST.MATCH_UNLINKED, ("菜单",))], State.MENU)
    if picked is None:
        if choice:  # what they wrote meanwhile is kept with the case, and the question asked again
            add_event(session=ctx.session, case=int(data["case"]), kind="reporter_added", now=ctx.now,
                      actor_id=ctx.who.person.id if ctx.who else None, detail={"text": choice[:2000]})
        options = (OPT_YES, OPT_NO) if len(ids) == 1 else tuple(labels) + (OPT_NONE,)
        return Result([Reply(str(data.get("question") or ST.MATCH_UNLINKED), options)], State.REPORT_MATCH, data)
    assert ctx.who is not None
    try:
        await link_case(session=ctx.session, school_id=ctx.school_id, case_id=int(data["case"]), student_id=picked,
                        viewer=Viewer(ctx.who.person), how="reporter", now=ctx.now)
    except StudentError:
        return Result([Reply(ST.MATCH_UNLINKED, ("菜单",))], State.MENU)
    return Result([Reply(ST.MATCH_LINKED, ("菜单",))], State.MENU)


FLOW = Flow(name="report_match", steps={State.REPORT_MATCH: match_step})
