"""Issue 14, points 1-3: the answer to the bot's own question and every later word reach the thread."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db.models import Case, CaseEvent, Report, ThreadMessage
from handlers.answers import NO, OTHER, YES, classify


def _code(text: str) -> str:
    m = re.search(r"查看 ([A-Z0-9]{8})", text)
    assert m, text
    return m.group(1)


async def _thread_texts(app) -> list[tuple[str, str]]:
    async with app.sessions() as session:
        rows = (await session.execute(select(ThreadMessage).order_by(ThreadMessage.id))).scalars()
        return [(m.author, m.text) for m in rows]


@pytest.mark.parametrize("text, kind", [
    ("有", YES), ("是的", YES), ("想过", YES), ("有时候会想", YES), ("嗯", YES), ("现在没有，以前有过", YES),
    ("没有", NO), ("没有。", NO), ("我没有想过", NO), ("不会", NO), ("我没事", NO),
    ("不知道", OTHER), ("我不想说", OTHER), ("最近考试压力很大，爸妈总吵架，我一个人在房间里哭", OTHER),
])
def test_classify_answers(text: str, kind: str) -> None:
    assert classify(text) == kind


@pytest.mark.parametrize("answer", ["有", "是的", "想过", "有时候会想"])
async def test_yes_to_the_direct_question_is_red(chat, app, answer: str) -> None:
    first = await chat.say("student-20", "我真的不想活了")
    assert "你现在有伤害自己或结束生命的想法吗？" in first[0]["text"]
    code = _code(first[0]["text"])
    before = await chat.inbox("demo-counsellor")
    replies = await chat.say("student-20", answer)
    text = replies[0]["text"]
    assert "没有看懂" not in text
    assert text.startswith("如果你现在有危险，请马上拨打110/120") and "离开" in text and "12356" in text
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
        assert case.level == "red" and case.status != "closed"
        answers = [e.detail for e in (await session.execute(select(CaseEvent))).scalars() if e.kind == "direct_answer"]
        assert answers == [{"answer": "yes"}]
    assert ("student", answer) in await _thread_texts(app)
    pushed = (await chat.inbox("demo-counsellor"))[len(before):]
    assert any(m["kind"] == "page" and "红色" in m["text"] for m in pushed)  # paged now, as red
    assert any(answer in m["text"] and code in m["text"] and "肯定" in m["text"] for m in pushed)


async def test_no_to_the_direct_question_is_recorded_and_case_stays_open(chat, app) -> None:
    await chat.say("student-21", "我真的不想活了")
    replies = await chat.say("student-21", "没有")
    text = replies[0]["text"]
    assert "没有看懂" not in text and "12356" in text and "心理老师会看到" in text
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
        assert case.level == "orange" and case.status != "closed"
        kinds = [(e.kind, e.detail) for e in (await session.execute(select(CaseEvent))).scalars()]
        assert ("direct_answer", {"answer": "no"}) in kinds
    assert ("student", "没有") in await _thread_texts(app)
    notices = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "notice"]
    assert any("没有" in m["text"] and "否定" in m["text"] for m in notices)


async def test_answer_after_tapping_hotline_still_counts(chat, app) -> None:
    await chat.say("student-22", "我真的不想活了")
    await chat.say("student-22", "求助热线")
    replies = await chat.say("student-22", "有")
    assert "离开" in replies[0]["text"]
    async with app.sessions() as session:
        assert (await session.execute(select(Case.level))).scalar_one() == "red"


async def test_text_while_push_choice_pending_joins_the_thread(chat, app) -> None:
    await chat.say("student-23", "匿名心理信箱")
    received = await chat.say("student-23", "和室友闹矛盾了")
    code = _code(received[0]["text"])
    more = await chat.say("student-23", "她们都不理我")
    assert set(more[0]["options"]) == {"回复时通知我", "不用通知，我自己查看"} and code in more[0]["text"]
    even_more = await chat.say("student-23", "我每天都很孤单，觉得活着没意思")  # orange: the case rises
    assert "12356" in even_more[0]["text"]
    texts = [t for _a, t in await _thread_texts(app)]
    assert texts == ["和室友闹矛盾了", "她们都不理我", "我每天都很孤单，觉得活着没意思"]
    async with app.sessions() as session:
        cases = (await session.execute(select(Case))).scalars().all()
        assert len(cases) == 1 and cases[0].level == "orange"
    assert any(m["kind"] == "page" for m in await chat.inbox("demo-counsellor"))


async def test_text_at_menu_within_idle_window_joins_the_thread(chat, app) -> None:
    await chat.say("student-24", "匿名心理信箱")
    code = _code((await chat.say("student-24", "最近睡不着"))[0]["text"])
    await chat.say("student-24", "回复时通知我")
    later = await chat.say("student-24", "还有，我不想上学")
    assert code in later[0]["text"] and "没有看懂" not in later[0]["text"]
    async with app.sessions() as session:
        assert (await session.execute(select(Report))).scalars().all().__len__() == 1
    assert [t for _a, t in await _thread_texts(app)] == ["最近睡不着", "还有，我不想上学"]


async def test_plain_text_at_menu_gets_a_warm_answer_and_one_tap_files_it(chat, app) -> None:
    warm = await chat.say("student-25", "我有件事想跟老师说说")  # triage: none
    assert "没有看懂" not in warm[0]["text"]
    assert "匿名心理信箱" in warm[0]["text"] and "热线" in warm[0]["text"] and "心理老师" in warm[0]["text"]
    assert "放进匿名信箱" in warm[0]["options"]
    kept = await chat.say("student-25", "是关于我同桌的")
    assert "放进匿名信箱" in kept[0]["options"]
    filed = await chat.say("student-25", "放进匿名信箱")
    assert _code(filed[0]["text"])
    async with app.sessions() as session:
        assert (await session.execute(select(Report.text))).scalar_one() == "我有件事想跟老师说说\n是关于我同桌的"


async def test_member_text_while_a_choice_is_pending_is_kept_in_the_report(chat, app) -> None:
    for text in ("报告同学情况", "同桌小李", "他这几天总是一个人"):
        replies = await chat.say("demo-member", text)
    assert "完成" in replies[0]["options"] and "记下" in replies[0]["text"]
    for text in ("情绪低落", "完成", "上课发呆"):
        replies = await chat.say("demo-member", text)
    replies = await chat.say("demo-member", "还不吃午饭")
    assert "确认提交" in replies[0]["options"] and "还不吃午饭" in replies[0]["text"]
    await chat.say("demo-member", "确认提交")
    async with app.sessions() as session:
        report = (await session.execute(select(Report))).scalar_one()
        assert report.text == "他这几天总是一个人\n上课发呆\n还不吃午饭"


async def test_thanks_at_the_menu_is_answered_without_an_offer(chat) -> None:
    replies = await chat.say("student-26", "谢谢")
    assert "不客气" in replies[0]["text"] and "匿名心理信箱" in replies[0]["options"]
