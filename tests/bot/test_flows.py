"""Every flow end to end through the web chat API, on each test database."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.db.models import Case, Report, SealedAddress, Thread
from bot.services.school.people import create_invite


def _code(text: str) -> str:
    m = re.search(r"查看 ([A-Z0-9]{8})", text)
    assert m, text
    return m.group(1)


async def test_menu_by_role(chat) -> None:
    anyone = (await chat.say("student-1", "你好"))[0]["options"]
    assert anyone == ["匿名心理信箱", "求助热线", "绑定心理委员"]  # binding last, never first
    member = (await chat.say("demo-member", "菜单"))[0]["options"]
    assert "报告同学情况" in member and "本周周报" in member and "绑定心理委员" not in member
    counsellor = (await chat.say("demo-counsellor", "菜单"))[0]["options"]
    assert counsellor[0] == "待处理"


async def test_unknown_input_reasks_and_numbers_work(chat) -> None:
    await chat.say("student-1", "菜单")
    replies = await chat.say("student-1", "2")
    assert "12356" in replies[0]["text"]
    staff = await chat.say("demo-counsellor", "abc")
    assert "帮助" in staff[0]["text"] and staff[0]["options"]


async def test_hotline(chat, settings) -> None:
    text = (await chat.say("student-1", "求助热线"))[0]["text"]
    assert "12356" in text and "110" in text and "120" in text and settings.school_numbers in text


async def test_bind_with_invite_code(chat, app) -> None:
    async with app.sessions() as session, session.begin():
        _, code = await create_invite(session=session, school_id=app.school_id, name="赵同学",
                                      role="member_class", group="初一(1)班")
    await chat.say("tg-like-user", "绑定")
    replies = await chat.say("tg-like-user", "WRONG123")
    assert "不存在" in replies[0]["text"]
    replies = await chat.say("tg-like-user", code)
    assert "绑定成功" in replies[0]["text"] and "班级心理委员" in replies[0]["text"]
    assert "报告同学情况" in (await chat.say("tg-like-user", "菜单"))[0]["options"]
    used = await chat.say("someone-else", f"绑定 {code}")
    assert "已经用过" in used[0]["text"]


async def test_concern_report_opens_case_and_links_next(chat, app) -> None:
    await chat.say("demo-member", "报告同学情况")
    await chat.say("demo-member", "同桌小李")
    await chat.say("demo-member", "1")
    await chat.say("demo-member", "学业压力")
    await chat.say("demo-member", "完成")
    confirm = await chat.say("demo-member", "最近上课总是发呆，成绩下降")
    assert "同桌小李" in confirm[0]["text"] and "情绪低落、学业压力" in confirm[0]["text"]
    done = await chat.say("demo-member", "确认提交")
    assert "报告已提交" in done[0]["text"]
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
        assert (case.level, case.subject, case.source) == ("yellow", "同桌小李", "concern")
    # a second report about the same student joins the open case and raises it
    for text in ("报告同学情况", "同桌小李", "自伤痕迹", "完成", "无", "确认提交"):
        last = await chat.say("demo-member", text)
    assert "12356" in last[0]["text"]
    async with app.sessions() as session:
        cases = (await session.execute(select(Case))).scalars().all()
        assert len(cases) == 1 and cases[0].level == "orange"
        assert (await session.execute(select(func.count(Report.id)))).scalar_one() == 2
    pages = await chat.inbox("demo-counsellor")
    assert [p["kind"] for p in pages] == ["page"] and pages[0]["case_id"] == cases[0].id


async def test_red_report_mid_flow_is_filed_and_paged(chat, app) -> None:
    await chat.say("demo-dorm", "报告同学情况")
    await chat.say("demo-dorm", "室友阿杰")
    replies = await chat.say("demo-dorm", "他刚才说今晚要从宿舍楼顶跳下去")
    text = replies[0]["text"]
    assert text.startswith("如有紧急危险，请立即拨打110/120") and "12356" in text
    assert "不要替同学保守这个秘密" in text
    pages = await chat.inbox("demo-counsellor")
    assert len(pages) == 1 and pages[0]["kind"] == "page" and "红色" in pages[0]["text"]
    assert "室友阿杰" in pages[0]["text"] and "女生宿舍" in pages[0]["text"]
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
        assert case.level == "red" and case.subject == "室友阿杰"


async def test_anonymous_note_thread_both_ways(chat, app) -> None:
    await chat.say("student-1", "匿名心理信箱")
    received = await chat.say("student-1", "和室友闹矛盾了，很难受")
    code = _code(received[0]["text"])
    await chat.say("student-1", "回复时通知我")
    replied = await chat.say("demo-counsellor", f"回复 {code} 你好，我是陈老师，愿意多说说吗？")
    assert "已回复" in replied[0]["text"]
    pushed = await chat.inbox("student-1")
    assert pushed[-1]["kind"] == "reply" and "陈老师" in pushed[-1]["text"]
    view = await chat.say("student-1", f"查看 {code}")
    assert "【心理老师】你好" in view[0]["text"]
    sent = await chat.say("student-1", "谢谢老师，我想周三来找你")
    assert "已发送" in sent[0]["text"]
    notices = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert notices and code in notices[-1]["text"]
    async with app.sessions() as session:
        report = (await session.execute(select(Report))).scalar_one()
        assert report.reporter_id is None and report.kind == "mailbox"


async def test_no_push_deletes_sealed_address(chat, app) -> None:
    await chat.say("student-2", "匿名心理信箱")
    code = _code((await chat.say("student-2", "最近睡不着"))[0]["text"])
    await chat.say("student-2", "不用通知，我自己查看")
    async with app.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(SealedAddress))).scalar_one() == 0
    replied = await chat.say("demo-counsellor", f"回复 {code} 我们聊聊")
    assert "不接收通知" in replied[0]["text"]
    assert await chat.inbox("student-2") == []
    assert "我们聊聊" in (await chat.say("student-2", f"查看 {code}"))[0]["text"]


async def test_counsellor_commands(chat, app) -> None:
    await chat.say("student-3", "我不想活了")
    pages = await chat.inbox("demo-counsellor")
    case_id = pages[0]["case_id"]
    pending = await chat.say("demo-counsellor", "待处理")
    assert f"#{case_id}" in pending[0]["text"] and f"收到 {case_id}" in pending[0]["options"]
    assert "已确认接手" in (await chat.say("demo-counsellor", f"收到 {case_id}"))[0]["text"]
    assert "陈老师" in (await chat.say("demo-backup", f"收到 {case_id}"))[0]["text"]
    assert "已记录" in (await chat.say("demo-counsellor", f"记录 {case_id} 已联系班主任"))[0]["text"]
    bad = await chat.say("demo-counsellor", f"结案 {case_id} maybe")
    assert "resolved" in bad[0]["text"]
    assert "没有找到案例 #999" in (await chat.say("demo-counsellor", "收到 999"))[0]["text"]
    refused = await chat.say("demo-counsellor", f"结案 {case_id} referred 已转介医院")
    assert "还没有转介记录" in refused[0]["text"] and "转介同意" in refused[0]["text"]  # issue 16: a referral first
    closed = await chat.say("demo-counsellor", f"结案 {case_id} resolved 已与学生谈话")
    assert "已结案" in closed[0]["text"]
    async with app.sessions() as session:
        case = await session.get(Case, case_id)
        thread = (await session.execute(select(Thread))).scalar_one()
        assert (case.status, case.outcome) == ("closed", "resolved") and thread.closed_at is not None
    # students cannot use staff commands: their text is just text
    assert "只有" not in (await chat.say("student-3", "收到 1"))[0]["text"]


async def test_weekly_checkin_zero_report(chat, app) -> None:
    await chat.say("demo-member", "本周周报")
    replies = await chat.say("demo-member", "无异常")
    assert "零报告" in replies[0]["text"]
    async with app.sessions() as session:
        report = (await session.execute(select(Report))).scalar_one()
        assert (report.kind, report.level) == ("checkin", "none")


async def test_cancel_and_timeout(chat, app) -> None:
    await chat.say("demo-member", "报告同学情况")
    assert "已取消" in (await chat.say("demo-member", "取消"))[0]["text"]
    await chat.say("demo-member", "报告同学情况")
    from datetime import timedelta

    from bot.db.base import utcnow
    from bot.db.models import Conversation
    from bot.services.messaging.conversations import conversation_key
    async with app.sessions() as session, session.begin():
        conv = await session.get(Conversation, ("web", conversation_key(app.sealer, "web", "demo-member")))
        assert utcnow() + timedelta(minutes=30) < conv.idle_until <= utcnow() + timedelta(minutes=31)
        conv.idle_until = utcnow() - timedelta(seconds=1)
    replies = await chat.say("demo-member", "小王")
    assert "回到主菜单" in replies[0]["text"]


async def test_distress_at_menu_is_offered_to_mailbox(chat, app) -> None:
    offer = await chat.say("student-4", "最近压力好大，晚上睡不着")
    assert "匿名心理信箱" in offer[0]["text"]
    filed = await chat.say("student-4", "放进匿名信箱")
    assert _code(filed[0]["text"])
    async with app.sessions() as session:
        assert (await session.execute(select(Report.text))).scalar_one() == "最近压力好大，晚上睡不着"


async def test_no_text_promises_what_the_system_does_not_do(chat, app) -> None:
    from bot.texts import checkin, training

    assert "之后发给" not in training.LEAVE and "会看到" not in checkin.NOTED
    await chat.say("demo-member", "本周周报")
    replies = await chat.say("demo-member", "班上有个同学最近情绪很低落，上课总发呆")
    assert "案例 #" in replies[0]["text"]  # said to reach a counsellor: it does, as a report
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
        assert case.source == "concern" and case.level == "yellow"
    pending = await chat.say("demo-counsellor", "待处理")
    assert f"#{case.id}" in pending[0]["text"]
