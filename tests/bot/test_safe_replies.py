"""Every crisis text follows docs/SAFE_REPLIES.md; the tests read the rules as checks.

The rules live in bot/texts/safe_rules.py, shared with `xinqiao texts check` and the server's check
of a school's texts.toml: the replies the bot really sends are checked against the same rules.
"""

from __future__ import annotations

import re

import pytest

from bot.config import Settings
from bot.texts import catalogue
from bot.texts import crisis as crisis_texts
from bot.texts.safe_rules import AVOID, METHOD_WORDS, PLATITUDE, SECRECY, first_sentence, violations

_first_sentence = first_sentence
__all__ = ["AVOID", "METHOD_WORDS", "PLATITUDE", "SECRECY", "_first_sentence"]  # test_outage reads them here


@pytest.mark.parametrize("level", ["red", "orange"])
async def test_student_crisis_reply_rules(chat, level: str) -> None:
    message = "我今晚就从楼顶跳下去" if level == "red" else "我真的不想活了"
    reply = (await chat.say("student-9", message))[0]["text"]
    first = _first_sentence(reply)
    assert "12356" in first
    if level == "red":
        assert "110" in first and "120" in first  # rule 1
        assert "离开" in reply and "大人" in reply and "心理老师已经收到通知" in reply  # rule 2
    else:
        assert "心理老师" in first  # rule 1
        assert "你现在有伤害自己或结束生命的想法吗？" in reply  # rule 4
    assert not METHOD_WORDS.search(reply)  # rule 3
    assert not SECRECY.search(reply) and "安全最重要" in reply  # rule 5
    assert "听起来你现在真的很难受" in reply and not PLATITUDE.search(reply)  # rule 7
    assert not AVOID.search(reply)  # rule 8
    assert "走了过来" in reply and "帮助是有用的" in reply  # rule 9
    assert violations(reply, f"crisis.STUDENT.{level}", chat.app.settings) == []  # the shared rule, on the real reply


@pytest.mark.parametrize("level, message", [("red", "同桌说他今晚要去跳河"), ("orange", "同桌说他不想活了")])
async def test_member_crisis_reply_rules(chat, level: str, message: str) -> None:
    await chat.say("demo-member", "菜单")
    reply = (await chat.say("demo-member", message))[0]["text"]
    first = _first_sentence(reply)
    assert "12356" in first
    assert ("110" in first) if level == "red" else ("心理老师" in first)
    assert "告诉班主任或心理老师" in reply and "110/120" in reply and "不要替同学保守这个秘密" in reply  # rule 6
    assert not METHOD_WORDS.search(reply) and not SECRECY.search(reply) and not AVOID.search(reply)
    assert violations(reply, f"crisis.MEMBER.{level}", chat.app.settings) == []


async def test_method_question_is_a_signal_and_never_answered(chat) -> None:
    reply = (await chat.say("student-8", "吃多少片安眠药会死"))[0]["text"]
    assert "12356" in _first_sentence(reply)
    assert not METHOD_WORDS.search(reply)


async def test_same_reply_every_time(chat) -> None:
    first = (await chat.say("student-5", "我真的不想活了"))[0]["text"]
    second = (await chat.say("student-6", "我真的不想活了"))[0]["text"]
    assert re.sub(r"[A-Z0-9]{8}", "CODE", first) == re.sub(r"[A-Z0-9]{8}", "CODE", second)  # rule 13


async def test_just_kidding_keeps_resources_and_case(chat, app) -> None:
    await chat.say("student-7", "我想死")
    denial = await chat.say("student-7", "开玩笑的")
    assert "你现在安全吗" in denial[0]["text"] and "开玩笑吧" not in denial[0]["text"]  # rule 11
    later = await chat.say("student-7", "求助热线")
    assert all("12356" in r["text"] for r in later)  # rule 1: resources stay visible
    menu = await chat.say("student-7", "菜单")
    assert "12356" in menu[-1]["text"] and "110/120" in menu[-1]["text"]
    from sqlalchemy import select

    from bot.db.models import Case, CaseEvent
    async with app.sessions() as session:
        case = (await session.execute(select(Case))).scalar_one()
        kinds = [e.kind for e in (await session.execute(select(CaseEvent))).scalars()]
        assert case.status != "closed" and "sender_denied" in kinds  # rule 11, 12


async def test_every_urgent_message_pages_a_person(chat) -> None:
    await chat.say("student-10", "我割得太深了，现在全是血")
    pages = await chat.inbox("demo-counsellor")
    assert len(pages) == 1 and pages[0]["kind"] == "page"  # rule 12
    assert "student-10" not in pages[0]["text"]


def test_texts_avoid_words() -> None:
    for text in [*crisis_texts.STUDENT.values(), *crisis_texts.MEMBER.values(), crisis_texts.DENIAL_CHECK,
                 crisis_texts.FOOTER]:
        assert not AVOID.search(text) and not METHOD_WORDS.search(text) and not SECRECY.search(text)


def test_every_default_crisis_text_passes_its_rule() -> None:
    """The check `xinqiao texts check` and the server run, on the defaults: nothing to report."""
    settings = Settings(secret_key="k")
    assert [str(p) for p in catalogue.check({}, settings)] == []
    crisis_keys = [e.key for e in catalogue.entries() if e.crisis]
    assert {"crisis.STUDENT.red", "crisis.CLOSING", "crisis.OUTAGE.orange", "menu.HOTLINE"} <= set(crisis_keys)


@pytest.mark.parametrize("answer, level", [("有", "red"), ("想过", "red"), ("没有", None), ("是的", "red")])
async def test_answer_to_the_direct_question_is_heard(chat, answer: str, level: str | None) -> None:
    await chat.say("student-11", "我真的不想活了")
    reply = (await chat.say("student-11", answer))[0]["text"]
    assert "没看懂" not in reply and "没有看懂" not in reply  # rule 4
    first = _first_sentence(reply)
    assert "12356" in first  # rule 1
    if level == "red":
        assert "110" in first and "离开" in reply and "大人" in reply  # rule 2: a yes is handled as red
    else:
        assert "心理老师" in first and "110/120" in reply
    assert not METHOD_WORDS.search(reply) and not SECRECY.search(reply) and not AVOID.search(reply)  # 3, 5, 8
    assert not PLATITUDE.search(reply)  # rule 7
    assert violations(reply, "crisis.STUDENT.red" if level else "crisis.ANSWER_NO", chat.app.settings) == []
    await chat.say("student-12", "我真的不想活了")
    again = (await chat.say("student-12", answer))[0]["text"]
    assert re.sub(r"[A-Z0-9]{8}", "CODE", again) == re.sub(r"[A-Z0-9]{8}", "CODE", reply)  # rule 13


def test_answer_texts_avoid_words() -> None:
    for text in [crisis_texts.ANSWER_NO, *crisis_texts.ANSWER_MEANING.values(), crisis_texts.ANSWER_NOTICE]:
        assert not AVOID.search(text) and not METHOD_WORDS.search(text) and not SECRECY.search(text)


async def test_closing_message_is_told_warmly_with_resources(chat) -> None:
    texts = []
    for user in ("student-13", "student-14"):
        first = (await chat.say(user, "我真的不想活了"))[0]["text"]
        pages = [m for m in await chat.inbox("demo-counsellor") if m["kind"] == "page"]
        case_id = pages[-1]["case_id"]
        await chat.say("demo-counsellor", f"收到 {case_id}")
        await chat.say("demo-counsellor", f"结案 {case_id} 已解决")
        closing = (await chat.inbox(user))[-1]["text"]
        assert closing != first
        first_sentence = _first_sentence(closing)
        assert "12356" in first_sentence and "心理老师" in first_sentence and "110/120" in first_sentence  # rule 1
        assert "7天" in closing and "查看" in closing and "匿名心理信箱" in closing  # rule 14: how to write again
        assert not METHOD_WORDS.search(closing) and not SECRECY.search(closing) and not AVOID.search(closing)
        assert not PLATITUDE.search(closing)
        texts.append(re.sub(r"[A-Z0-9]{8}", "CODE", closing))
        assert violations(closing, "crisis.CLOSING", chat.app.settings) == []
    assert texts[0] == texts[1]  # rule 13


def test_closing_text_avoids_words() -> None:
    assert not AVOID.search(crisis_texts.CLOSING) and not METHOD_WORDS.search(crisis_texts.CLOSING)
    assert not SECRECY.search(crisis_texts.CLOSING)
