"""Issue 14, point 11: head teachers have a menu of their own."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Case
from bot.services.school.people import create_invite


async def _head_teacher(chat, app, user: str = "ht-1") -> None:
    async with app.sessions() as session, session.begin():
        _p, code = await create_invite(session=session, school_id=app.school_id, name="周老师（班主任）",
                                       role="head_teacher", group="初二(3)班")
    assert "绑定成功" in (await chat.say(user, f"绑定 {code}"))[0]["text"]


async def test_head_teacher_menu_report_and_shared_cases(chat, app) -> None:
    await _head_teacher(chat, app)
    menu = (await chat.say("ht-1", "菜单"))[0]["options"]
    assert menu[:3] == ["报告同学情况", "班级案例", "我的跟进"] and "绑定心理委员" not in menu
    assert "目前没有和你共享的案例" in (await chat.say("ht-1", "班级案例"))[0]["text"]
    for text in ("报告同学情况", "小张", "情绪低落", "完成", "这周上课一直趴着", "确认提交"):
        done = await chat.say("ht-1", text)
    assert "报告已提交" in done[0]["text"]
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
    assert case.subject == "小张" and case.group_id is not None
    shared = await chat.say("ht-1", "班级案例")
    assert f"#{case.id}" in shared[0]["text"] and "小张" in shared[0]["text"] and "未接手" in shared[0]["text"]
    await chat.say("demo-counsellor", f"收到 {case.id}")
    assert "陈老师" in (await chat.say("ht-1", "班级案例"))[0]["text"]
    assert "没有需要你跟进" in (await chat.say("ht-1", "我的跟进"))[0]["text"]
    assert "班级案例" in (await chat.say("ht-1", "帮助"))[0]["text"]
    assert "班主任" in (await chat.say("student-60", "班级案例"))[0]["text"]  # not for students
    mistyped = await chat.say("ht-1", f"收到 {case.id}")  # an adult's command, not a note to file
    assert "帮助" in mistyped[0]["text"] and "放进匿名信箱" not in mistyped[0]["options"]
