"""Issue 14, points 6-9 and 12: a counsellor can work a case from chat."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from bot.db.base import utcnow
from bot.db.models import Case, ThreadMessage
from bot.services.schedule.schedule_text import parse_day


def _code(text: str) -> str:
    m = re.search(r"查看 ([A-Z0-9]{8})", text)
    assert m, text
    return m.group(1)


async def test_thread_code_in_page_ack_and_pending_and_reply_by_case_id(chat, app) -> None:
    code = _code((await chat.say("student-40", "我真的不想活了"))[0]["text"])
    page = (await chat.inbox("demo-counsellor"))[0]
    case_id = page["case_id"]
    assert code in page["text"]
    pending = await chat.say("demo-counsellor", "待处理")
    assert code in pending[0]["text"] and "未接手" in pending[0]["text"] and "已开" in pending[0]["text"]
    assert f"收到 {case_id}" in pending[0]["options"]
    acked = await chat.say("demo-counsellor", f"收到 {case_id}")
    assert code in acked[0]["text"]
    pending = await chat.say("demo-counsellor", "待处理")
    assert "陈老师" in pending[0]["text"] and f"案例 {case_id}" in pending[0]["options"]
    replied = await chat.say("demo-counsellor", f"回复 {case_id} 你好，我是陈老师")
    assert "已回复" in replied[0]["text"] and code in replied[0]["text"]
    assert "陈老师" in (await chat.inbox("student-40"))[-1]["text"]


async def test_staff_view_never_takes_the_students_seat(chat, app) -> None:
    await chat.say("student-41", "匿名心理信箱")
    code = _code((await chat.say("student-41", "最近睡不着"))[0]["text"])
    view = await chat.say("demo-counsellor", f"查看 {code}")
    assert "【学生】最近睡不着" in view[0]["text"] and "【你】" not in view[0]["text"]
    await chat.say("demo-counsellor", "好的我看看")
    async with app.sessions() as session:
        rows = (await session.execute(select(ThreadMessage))).scalars().all()
        assert [(r.author, r.text) for r in rows] == [("student", "最近睡不着")]


async def test_case_command_shows_the_case_whole(chat, app) -> None:
    long_detail = "他这周一直不说话。" * 200  # longer than one message: split, never cut
    for text in ("报告同学情况", "同桌小李", "情绪低落", "完成", long_detail, "确认提交"):
        await chat.say("demo-member", text)
    async with app.sessions() as session:
        case_id = (await session.execute(select(Case.id))).scalar_one()
    await chat.say("demo-counsellor", f"收到 {case_id}")
    await chat.say("demo-counsellor", f"记录 {case_id} 已联系班主任")
    replies = await chat.say("demo-counsellor", f"案例 {case_id}")
    whole = "".join(r["text"] for r in replies).replace("\n", "")
    assert len(replies) > 1 and long_detail in whole
    assert "李小雨" in whole and "班级心理委员" in whole and "初二(3)班" in whole  # who to ask
    assert "陈老师" in whole and "确认接手" in whole and "记录：已联系班主任" in whole and "北京时间" in whole
    assert "acknowledged" not in whole and "{" not in whole
    assert f"结案 {case_id}" in replies[-1]["options"] and f"跟进 {case_id}" in replies[-1]["options"]
    assert "没有找到案例 #999" in (await chat.say("demo-counsellor", "案例 999"))[0]["text"]


async def test_help_lists_the_commands_for_the_role(chat) -> None:
    staff = await chat.say("demo-counsellor", "帮助")
    assert "案例 <案例号>" in staff[0]["text"] and "待处理" in staff[0]["options"]
    member = await chat.say("demo-member", "帮助")
    assert "报告同学情况" in member[0]["text"] and "案例 <案例号>" not in member[0]["text"]
    student = await chat.say("student-42", "帮助")
    assert "匿名心理信箱" in student[0]["options"] and "报告同学情况" not in student[0]["text"]


def test_dates_as_people_write_them() -> None:
    wednesday = date(2026, 12, 2)
    assert parse_day("下周一", wednesday) == date(2026, 12, 7)
    assert parse_day("12/05", wednesday) == date(2026, 12, 5)
    assert parse_day("明天", wednesday) == date(2026, 12, 3)
    assert parse_day("周五", wednesday) == date(2026, 12, 4)


async def test_follow_up_on_a_weekend_asks_once_to_confirm(chat, app) -> None:
    code = _code((await chat.say("student-43", "我真的不想活了"))[0]["text"])
    assert code
    case_id = (await chat.inbox("demo-counsellor"))[0]["case_id"]
    today = utcnow().date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    asked = await chat.say("demo-counsellor", f"跟进 {case_id} {saturday.isoformat()}")
    assert "周末" in asked[0]["text"] and f"跟进 {case_id} {saturday.isoformat()} 确认" in asked[0]["options"]
    done = await chat.say("demo-counsellor", asked[0]["options"][0])
    assert "观察中" in done[0]["text"]
    monday = await chat.say("demo-counsellor", f"跟进 {case_id} 下周一")
    assert "观察中" in monday[0]["text"]
