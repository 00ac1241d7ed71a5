"""Issue 16 through the real router: a member's report matched to a classmate (confirm, several, none,
a red one paged first), an anonymous note linked only by the student's choice, the counsellors' quick
steps (家访, 评估, 转介同意) with their bad input, closing as referred, and a due measure's reminder sent
once across a restart."""

from __future__ import annotations

import itertools
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select, update

from bot.app import App
from bot.db.base import utcnow
from bot.db.models import Case, CaseEvent, Consent, Identity, Measure, OutboxMessage, Person, Referral, StudentEvent
from bot.services.students import plans, privacy, students
from bot.services.students.errors import StudentError
from bot.services.students.guardians import GuardianIn
from bot.services.students.plans import MeasureIn
from bot.services.students.viewer import Viewer
from tests.bot.dump import dump
from tests.conftest import Chat

SH = ZoneInfo("Asia/Shanghai")
REPORT = ("报告同学情况", "李明", "情绪低落", "完成", "他最近一直不说话")


async def _student(app: App, name: str, klass: str, number: str = "", guardians=None) -> int:
    async with app.sessions() as session, session.begin():
        saved = await students.add_or_update_student(session=session, school_id=app.school_id, name=name,
                                                     class_name=klass, number=number, guardians=guardians)
        return saved.student.id


async def _case(app: App) -> Case:
    async with app.sessions() as session:
        return (await session.execute(select(Case).order_by(Case.id.desc()).limit(1))).scalar_one()


async def test_report_asks_which_classmate_and_links_on_yes(chat, app) -> None:
    mine = await _student(app, "李明", "初二(3)班")
    await _student(app, "李明", "初二(5)班")  # same name, another class: not the member's classmate
    for text in REPORT:
        await chat.say("demo-member", text)
    replies = await chat.say("demo-member", "确认提交")
    assert "报告已提交" in replies[0]["text"] and replies[-1]["text"].startswith("是初二(3)班的李明吗？")
    assert replies[-1]["options"] == ["是的", "不是"]
    assert (await _case(app)).student_id is None  # filed before the answer
    assert "已记下" in (await chat.say("demo-member", "是的"))[0]["text"]
    assert (await _case(app)).student_id == mine


async def test_several_of_one_name_ask_which_and_none_files_unmatched(chat, app) -> None:
    await _student(app, "李明", "初二(3)班", number="01")
    second = await _student(app, "李明", "初二(3)班", number="02")
    for text in REPORT:
        await chat.say("demo-member", text)
    replies = await chat.say("demo-member", "确认提交")
    assert "哪位同学" in replies[-1]["text"] and "都不是" in replies[-1]["options"]
    labels = replies[-1]["options"]
    assert any("学号 02" in o for o in labels)
    again = await chat.say("demo-member", "我也不确定")  # kept with the case, asked again
    assert again[0]["options"] == labels
    await chat.say("demo-member", next(o for o in labels if "学号 02" in o))
    assert (await _case(app)).student_id == second
    for text in ("报告同学情况", "后排的小张", "情绪低落", "完成", "无"):
        await chat.say("demo-member", text)
    replies = await chat.say("demo-member", "确认提交")
    assert len(replies) == 1 and "报告已提交" in replies[0]["text"]  # nobody fits: filed as written
    assert (await _case(app)).student_id is None


async def test_red_report_pages_before_the_name_is_confirmed(chat, app) -> None:
    mine = await _student(app, "李明", "初二(3)班")
    for text in ("报告同学情况", "李明", "情绪低落", "完成"):
        await chat.say("demo-member", text)
    replies = await chat.say("demo-member", "他刚才说今晚要从宿舍楼顶跳下去")  # filed at once, not at 确认
    assert "110/120" in replies[0]["text"] and "是初二(3)班的李明吗？" in replies[-1]["text"]
    pages = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "page"]
    assert pages and (await _case(app)).student_id is None  # paged while the question waits
    await chat.say("demo-member", "是的")
    assert (await _case(app)).student_id == mine


async def test_anonymous_note_stays_unlinked_unless_the_student_chooses(chat, app) -> None:
    mine = await _student(app, "李明", "初二(3)班")
    await chat.say("student-9", "匿名心理信箱")
    first = await chat.say("student-9", "我是初二(3)班的李明，最近睡不着")
    code = first[0]["text"].split("你的编号是 ")[1][:8]
    await chat.say("student-9", "不用通知，我自己查看")
    assert (await _case(app)).student_id is None  # named in the note, never linked by the system
    view = await chat.say("student-9", f"查看 {code}")
    assert "告诉老师我是谁" in view[0]["options"]
    warn = await chat.say("student-9", "告诉老师我是谁")
    assert "不再匿名" in warn[0]["text"] and warn[0]["options"] == ["确定告诉老师", "继续匿名"]
    assert "继续匿名" in (await chat.say("student-9", "继续匿名"))[0]["text"]
    assert (await _case(app)).student_id is None
    await chat.say("student-9", "告诉老师我是谁")
    assert "姓名和班级" in (await chat.say("student-9", "确定告诉老师"))[0]["text"]
    assert "姓名和班级" in (await chat.say("student-9", "李明"))[0]["text"]  # asked again
    done = await chat.say("student-9", "李明 初二(3)班")
    assert "老师现在知道你是李明" in done[0]["text"]
    case = await _case(app)
    assert case.student_id == mine
    async with app.sessions() as session:
        events = (await session.execute(select(CaseEvent).where(CaseEvent.kind == "identity_told"))).scalars().all()
        assert [e.detail["by"] for e in events] == ["student"]
        assert (await session.execute(select(StudentEvent.kind).where(StudentEvent.student_id == mine))).scalars().all()
    notices = [m["text"] for m in await chat.inbox("demo-counsellor") if "选择告诉你身份" in m["text"]]
    assert notices and "已关联到学生档案" in notices[0]
    refused = await chat.say("demo-counsellor", f"结案 {case.id} 已转介")
    assert "还没有转介记录" in refused[0]["text"]


async def test_counsellor_quick_steps_and_closing_as_referred(chat, app, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    mine = await _student(app, "李明", "初二(3)班", guardians=[GuardianIn("王芳", "母亲", "13800000000")])
    for text in REPORT:
        await chat.say("demo-member", text)
    await chat.say("demo-member", "确认提交")
    case = await _case(app)
    cid = case.id
    await chat.say("demo-counsellor", f"收到 {cid}")
    # not linked yet: consent needs the student's file
    assert "还没有关联学生档案" in (await chat.say("demo-counsellor", f"转介同意 {cid} 母亲 电话"))[0]["text"]
    await chat.say("demo-member", "是的")
    refused = await chat.say("demo-counsellor", f"结案 {cid} 已转介")
    assert "还没有转介记录" in refused[0]["text"]
    assert "用法：家访" in (await chat.say("demo-counsellor", "家访"))[0]["text"]
    visit = await chat.say("demo-counsellor", f"家访 {cid} 与母亲面谈，家长同意带孩子就医")
    assert "已记录" in visit[0]["text"] and "李明的档案" in visit[0]["text"]
    bad = await chat.say("demo-counsellor", f"评估 {cid} 紫 睡眠差")
    assert "风险等级请写" in bad[0]["text"] and "用法：评估" in bad[0]["text"]
    ok = await chat.say("demo-counsellor", f"评估 {cid} 橙 转介 睡眠差、成绩骤降")
    assert "风险橙色" in ok[0]["text"] and "建议转介" in ok[0]["text"] and "转介同意" in ok[0]["text"]
    assert "已建立转介记录" in ok[0]["text"]  # the recommendation opened the referral
    how = await chat.say("demo-counsellor", f"转介同意 {cid} 母亲 微信")
    assert "同意方式请写" in how[0]["text"]
    nobody = await chat.say("demo-counsellor", f"转介同意 {cid} 舅舅 电话")
    assert "没有监护人「舅舅」" in nobody[0]["text"]
    async with app.sessions() as session:  # refused: nothing half-written
        assert (await session.execute(select(func.count(Consent.id)))).scalar_one() == 0
        assert (await session.execute(select(func.count(Referral.id)))).scalar_one() == 1  # opened by 评估
    consent = await chat.say("demo-counsellor", f"转介同意 {cid} 母亲 电话 同意去市精神卫生中心")
    assert "王芳（母亲）电话同意转介" in consent[0]["text"]
    closed = await chat.say("demo-counsellor", f"结案 {cid} 已转介 家长带孩子就医")
    assert "已结案（已转介）" in closed[0]["text"]
    async with app.sessions() as session:
        kinds = [e.kind for e in (await session.execute(
            select(CaseEvent).where(CaseEvent.case_id == cid).order_by(CaseEvent.id))).scalars()]
    assert {"student_linked", "contact", "assessment", "consent", "referral_opened", "closed"} <= set(kinds)
    # a member cannot use them: their text is just text
    assert "已记录" not in (await chat.say("demo-member", f"家访 {cid} 随便写"))[0]["text"]
    shown = "".join(r["text"] for r in await chat.say("demo-counsellor", f"案例 {cid}"))
    assert "记录评估（橙色" in shown and "建立转介记录" in shown and "其他记录" not in shown
    assert "睡眠差" not in shown  # the case's timeline names the step, the file holds the content
    for secret in ("家长同意带孩子就医", "睡眠差、成绩骤降", "同意去市精神卫生中心", "13800000000"):
        assert secret not in caplog.text  # file contents never in a log line
    assert mine


async def test_overdue_measures_show_in_pending(chat, app) -> None:
    today = utcnow().astimezone(SH).date()
    sid = await _student(app, "李明", "初二(3)班")
    async with app.sessions() as session, session.begin():
        counsellor = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        await plans.write_plan(session=session, school_id=app.school_id, student_id=sid, goals=["恢复睡眠"],
                               review_on=today, viewer=Viewer(counsellor), zone=SH,
                               measures=[MeasureIn("每周谈话一次", "陈老师", today)])
        await session.execute(update(Measure).values(due_on=today - timedelta(days=2)))
    pending = await chat.say("demo-counsellor", "待处理")
    text = "".join(r["text"] for r in pending)
    assert "学生档案逾期 1 项" in text and "李明（一生一策措施" in text and "每周谈话" not in text


async def test_due_measure_reminds_once_across_a_restart(app, settings, triager) -> None:
    today = utcnow().astimezone(SH).date()
    sid = await _student(app, "李明", "初二(3)班")
    async with app.sessions() as session, session.begin():
        teacher = Person(school_id=app.school_id, name="赵老师", roles="head_teacher")
        session.add(teacher)
        await session.flush()
        session.add(Identity(person_id=teacher.id, channel="web", external_id="ht-zhao"))
        counsellor = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        await plans.write_plan(session=session, school_id=app.school_id, student_id=sid, goals=["恢复睡眠"],
                               review_on=today + timedelta(days=20), viewer=Viewer(counsellor), zone=SH,
                               measures=[MeasureIn("每周谈话一次", "赵老师", today + timedelta(days=1))])
    due = datetime.combine(today + timedelta(days=1), datetime.min.time(), SH).replace(hour=8, minute=1)
    await app.delivery.run_once(now=due - timedelta(hours=2))  # not yet
    async with app.sessions() as session:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.ref.like("measure:%")))).scalar_one()
        assert row.state == "pending" and row.due_at.astimezone(SH).strftime("%H:%M") == "08:00"
    await app.close()
    again = App(settings, triager=triager)
    await again.prepare(demo=True)
    try:
        await again.delivery.run_once(now=due)
        await again.delivery.run_once(now=due + timedelta(minutes=5))
        transport = httpx.ASGITransport(app=again.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            chat = Chat(client, again)
            chat._ids = itertools.count(100)
            inbox = [m for m in await chat.inbox("ht-zhao") if m["kind"] == "reminder"]
            assert len(inbox) == 1 and "今天到期" in inbox[0]["text"] and "每周谈话" not in inbox[0]["text"]
            tasks = await chat.say("ht-zhao", "我的措施")
            assert "每周谈话一次" in tasks[0]["text"] and "李明" in tasks[0]["text"]
            done = await chat.say("ht-zhao", tasks[0]["options"][0])
            assert "已标记完成" in done[0]["text"]
            assert "没有负责" in (await chat.say("ht-zhao", "我的措施"))[0]["text"]
    finally:
        await again.close()


async def test_erase_removes_the_person_everywhere_and_keeps_the_counts(chat, app) -> None:
    sid = await _student(app, "欧阳小雪", "初二(3)班", guardians=[GuardianIn("欧阳建国", "父亲", "13912345678")])
    for text in ("报告同学情况", "欧阳小雪", "情绪低落", "完成", "欧阳小雪这几天在宿舍一直哭"):
        await chat.say("demo-member", text)
    await chat.say("demo-member", "确认提交")
    await chat.say("demo-member", "是的")
    cid = (await _case(app)).id
    await chat.say("demo-counsellor", f"收到 {cid}")
    await chat.say("demo-counsellor", f"记录 {cid} 欧阳小雪的父亲已到校")
    await chat.say("demo-counsellor", f"家访 {cid} 与父亲面谈，父亲说家里最近有变故")
    await chat.say("demo-counsellor", f"评估 {cid} 黄 校内辅导 家庭变故后情绪低落")
    await chat.inbox("demo-counsellor")
    async with app.sessions() as session:
        counsellor = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        with pytest.raises(StudentError, match="未结案"):
            await privacy.erase_student(session=session, school_id=app.school_id, student_id=sid,
                                        viewer=Viewer(counsellor))
    await chat.say("demo-counsellor", f"结案 {cid} 已解决")
    await chat.inbox("demo-counsellor")
    async with app.sessions() as session, session.begin():
        before = await privacy.counts(session=session, school_id=app.school_id)
        await privacy.erase_student(session=session, school_id=app.school_id, student_id=sid,
                                    viewer=Viewer(counsellor))
    async with app.sessions() as session:
        after = await privacy.counts(session=session, school_id=app.school_id)
        case = await session.get(Case, cid)
    assert {k: v for k, v in after.items() if k != "erased"} == {k: v for k, v in before.items() if k != "erased"}
    assert after["contacts"] == 1 and after["assessments"] == 1 and case.level == "yellow"  # the counts stay
    cells = await dump(app.engine)
    for secret in ("欧阳", "13912345678", "一直哭", "已到校", "家里最近有变故", "家庭变故后"):
        found = [(c.table, c.column) for c in cells if secret in c.text]
        assert not found, (secret, found)


async def test_dorm_member_matches_by_dorm_and_unmatched_disclosure_is_kept_for_the_counsellor(chat, app) -> None:
    async with app.sessions() as session, session.begin():
        saved = await students.add_or_update_student(session=session, school_id=app.school_id, name="王小红",
                                                     class_name="初一(2)班", dorm_name="女生宿舍 5-302")
        sid = saved.student.id
    for text in ("报告同学情况", "王小红", "情绪低落", "完成", "无"):
        await chat.say("demo-dorm", text)
    replies = await chat.say("demo-dorm", "确认提交")
    assert replies[-1]["text"].startswith("是初一(2)班的王小红吗？")
    assert "心理老师会核实" in (await chat.say("demo-dorm", "不是"))[0]["text"]
    assert (await _case(app)).student_id is None
    await chat.say("student-12", "匿名心理信箱")
    first = await chat.say("student-12", "最近睡不着")
    code = first[0]["text"].split("你的编号是 ")[1][:8]
    await chat.say("student-12", "回复时通知我")
    await chat.say("student-12", f"查看 {code}")
    await chat.say("student-12", "告诉老师我是谁")
    await chat.say("student-12", "确定告诉老师")
    done = await chat.say("student-12", "张晓 初三(9)班")  # nobody of that name there: told, not linked
    assert "老师现在知道你是张晓" in done[0]["text"]
    assert (await _case(app)).student_id is None
    notices = [m["text"] for m in await chat.inbox("demo-counsellor") if "选择告诉你身份" in m["text"]]
    assert notices and "没有找到这位同学" in notices[0] and "张晓（初三(9)班）" in notices[0]
    assert sid


async def test_counsellor_links_in_chat_and_refers_in_an_emergency(chat, app) -> None:
    await _student(app, "李明", "初二(3)班")
    other = await _student(app, "李明", "初二(5)班")
    for text in ("报告同学情况", "后排的同学", "情绪低落", "完成", "无", "确认提交"):
        await chat.say("demo-member", text)
    cid = (await _case(app)).id
    several = await chat.say("demo-counsellor", f"关联 {cid} 李明")
    assert "有几位学生叫李明" in several[0]["text"] and "用法：关联" in several[0]["text"]
    linked = await chat.say("demo-counsellor", f"关联 {cid} 李明 初二(5)班")
    assert "初二(5)班 李明" in linked[0]["text"] and (await _case(app)).student_id == other
    assert "已取消关联" in (await chat.say("demo-counsellor", f"取消关联 {cid}"))[0]["text"]
    assert (await _case(app)).student_id is None
    await chat.say("demo-counsellor", f"关联 {cid} 李明 初二(5)班")
    assert "用法：紧急转介" in (await chat.say("demo-counsellor", "紧急转介"))[0]["text"]
    sent = await chat.say("demo-counsellor", f"紧急转介 {cid} 联系不上家长，学生有生命危险，已拨打120")
    assert "已通知危机干预小组负责人" in sent[0]["text"]
    told = [m["text"] for m in await chat.inbox("demo-leader") if "紧急转介" in m["text"]]
    assert len(told) == 1 and "李明的个人档案有更新" in told[0] and "120" not in told[0]
    await chat.say("student-30", "匿名心理信箱")
    await chat.say("student-30", "最近很烦")
    note = await _case(app)
    refused = await chat.say("demo-counsellor", f"关联 {note.id} 李明 初二(3)班")
    assert "匿名来信不能由系统或老师关联" in refused[0]["text"] and (await _case(app)).student_id is None
