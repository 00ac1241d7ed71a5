"""Bad input never costs a message and is never a 500, on every channel (issue 12, points 9 and 10)."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from bot.db.models import Case, Conversation, OutboxMessage, WebChatMessage
from bot.safe_input import clean_text, numbers_in, whole_number
from bot.services.messaging.conversations import conversation_key
from tests.channels import message, push_xml

RED = "我今晚就从楼顶跳下去"
SURROGATE = "\udfff"


async def red_cases(every) -> int:
    async with every.app.sessions() as session:
        return (await session.execute(select(func.count(Case.id)).where(Case.level == "red"))).scalar_one()


async def pages(every) -> int:
    async with every.app.sessions() as session:
        return (await session.execute(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "page"))).scalar_one()


async def send(every, channel: str, text: str, sender: str = "s1"):
    """One message on a channel; returns the response and its reply text."""
    if channel == "web":
        body = json.dumps({"user": sender, "text": text, "client_id": f"c{time.time_ns()}"})  # \udfff escaped
        r = await every.client.post("/chat/api/messages", content=body, headers={"content-type": "application/json"})
        return r, "\n".join(x["text"] for x in r.json()["replies"]) if r.status_code == 200 else ""
    if channel == "wechat":
        r = await every.wechat("o" + sender, text)
        return r, every.wechat_reply(r) if r.status_code == 200 else ""
    if channel == "wecom":
        r = await every.wecom("u" + sender, text)
        return r, every.wecom_reply(r) if r.status_code == 200 else ""
    chat_id = 7_000_000 + sum(map(ord, sender))
    r = await every.telegram(chat_id, text)
    await every.app.delivery.run_once()
    return r, ""


CHANNELS = ["web", "wechat", "wecom", "telegram"]


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_red_note_with_a_lone_surrogate_is_filed(every, channel) -> None:
    response, reply = await send(every, channel, RED + SURROGATE + "，再见了")
    assert response.status_code == 200, response.text
    assert await red_cases(every) == 1 and await pages(every) >= 1
    if channel != "telegram":  # Telegram's reply goes out through the outbox
        assert "12356" in reply


@pytest.mark.parametrize("body", [
    RED.encode() + b"\xed\xbf\xbf",  # the surrogate as bytes (not UTF-8)
    RED.encode() + b"&#xDFFF;",  # as a character reference XML forbids
    RED.encode() + b"&#99999999999999999999;",  # a reference beyond Unicode
    RED.encode() + b"\x01\x0b\xff",  # control characters XML forbids, a stray byte
])
async def test_a_red_wechat_note_with_characters_xml_cannot_hold_is_filed(every, body) -> None:
    xml = push_xml(message("oSTUDENT", "PLACEHOLDER", 901)).replace(b"PLACEHOLDER", body)
    response = await every.wechat_raw(xml)
    assert "12356" in every.wechat_reply(response)
    assert await red_cases(every) == 1


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("number", ["²", "①", "٣", "1" * 4301, "９" * 30])
async def test_odd_digits_at_a_prompt_with_options_are_a_reprompt(every, channel, number) -> None:
    first, _ = await send(every, channel, "菜单")
    assert first.status_code == 200
    response, reply = await send(every, channel, number)
    assert response.status_code == 200, response.text
    if channel != "telegram":  # at the menu, text that is no option gets the warm offer to file it
        assert "请选择" in reply or "放进匿名信箱" in reply


async def test_fullwidth_digits_pick_an_option(every) -> None:
    await send(every, "web", "菜单")
    _, reply = await send(every, "web", "２")  # the second option: 求助热线
    assert "12356" in reply


async def test_a_member_typing_thousands_of_digits_for_signs_is_asked_again(every) -> None:
    for text in ("报告同学情况", "同桌小李"):
        assert (await send(every, "web", text, sender="demo-member"))[0].status_code == 200
    response, reply = await send(every, "web", "1" * 5000, sender="demo-member")
    assert response.status_code == 200 and "你注意到了哪些情况" in reply
    response, reply = await send(every, "web", "1" * 5000 + ",2", sender="demo-member")  # the long run is skipped
    assert response.status_code == 200 and reply.startswith("已选：") and "、" not in reply.split("。")[0]
    response, reply = await send(every, "web", "1，３", sender="demo-member")
    assert response.status_code == 200 and reply.startswith("已选：") and reply.split("。")[0].count("、") == 2


@pytest.mark.parametrize("path", ["/chat/api/messages", "/telegram"])
async def test_json_nested_a_thousand_deep_is_refused_with_a_reason(every, path) -> None:
    before = await every.rows()
    deep = b'{"user": "u1", "text": "hi", "client_id": "1", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    if path == "/telegram":
        response = await every.telegram_raw(b'{"update_id": 5, "message": ' + b"[" * 1000 + b"]" * 1000 + b"}")
    else:
        response = await every.client.post(path, content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "nested" in response.text
    assert await every.rows() == before


@pytest.mark.parametrize("after, status", [("²", 400), ("①", 400), (str(2**64), 400), ("1" * 5000, 400),
                                           ("-1", 400), (str(2**40), 200), (str(2**63 - 1), 200), ("０", 200)])
async def test_inbox_after(every, after, status) -> None:
    response = await every.client.get("/chat/api/inbox", params={"user": "demo-counsellor", "after": after})
    assert response.status_code == status, response.text
    if status == 400:
        assert "after" in response.json()["error"]


@pytest.mark.parametrize("user", ["alice\n", "alice\r\n", " alice", "alice\x00"])
async def test_a_web_user_id_with_whitespace_is_refused(every, user) -> None:
    before = await every.rows()
    response = await every.client.post("/chat/api/messages", json={"user": user, "text": "菜单", "client_id": "1"})
    assert response.status_code == 400 and "user" in response.json()["error"]
    response = await every.client.get("/chat/api/inbox", params={"user": user})
    assert response.status_code == 400
    assert await every.rows() == before


async def test_a_client_id_with_a_trailing_newline_is_refused(every) -> None:
    response = await every.client.post("/chat/api/messages", json={"user": "u1", "text": RED, "client_id": "c1\n"})
    assert response.status_code == 400 and await red_cases(every) == 0


async def test_a_wechat_sender_with_a_trailing_newline_is_the_same_sender(every) -> None:
    for n, source in enumerate(["oALICE", "oALICE\n", "  oALICE "]):
        assert (await every.wechat_raw(push_xml(message(source, "菜单", 950 + n)))).status_code == 200
    async with every.app.sessions() as session:
        keys = (await session.execute(select(Conversation.sender_key).where(
            Conversation.channel == "wechat"))).scalars().all()
    assert keys == [conversation_key(every.app.sealer, "wechat", "oALICE")]


MALFORMED_XML = [
    b"",
    b"<xml/>",
    b"<xml></xml>",
    b"not xml at all",
    b"<xml><FromUserName>oA</FromUserName>",  # cut short
    b"<other><FromUserName>oA</FromUserName><MsgType>text</MsgType></other>",
    push_xml({"ToUserName": "gh", "CreateTime": 1, "MsgType": "text", "Content": RED, "MsgId": 1}),  # no sender
    push_xml({"ToUserName": "gh", "FromUserName": "", "CreateTime": 1, "MsgType": "text", "Content": RED}),
    push_xml({"ToUserName": "gh", "FromUserName": "oA", "CreateTime": 1, "MsgType": "text", "Content": RED}),
    push_xml({"ToUserName": "gh", "FromUserName": "oA", "CreateTime": "soon", "MsgType": "text", "MsgId": 1}),
    push_xml({"ToUserName": "gh", "FromUserName": "oA", "CreateTime": 1, "MsgType": "event"}),  # no Event
    push_xml({"ToUserName": "gh", "FromUserName": "oA", "CreateTime": 1}),  # no MsgType
    push_xml({"ToUserName": "gh", "FromUserName": "o" * 500, "CreateTime": 1, "MsgType": "text", "MsgId": 1}),
    b"<xml><FromUserName><a>oA</a></FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>",
]


@pytest.mark.parametrize("channel", ["wechat", "wecom"])
@pytest.mark.parametrize("xml", MALFORMED_XML)
async def test_signed_but_malformed_weixin_callbacks_write_nothing(every, channel, xml) -> None:
    before = await every.rows()
    response = await (every.wechat_raw(xml) if channel == "wechat" else every.wecom_raw(xml))
    assert response.status_code in (200, 400) and (response.status_code == 400 or response.text == "success")
    after = await every.rows()
    assert after == before or (response.status_code == 200 and set(after.items()) ^ set(before.items()) <= {
        ("callback_nonces", before["callback_nonces"]), ("callback_nonces", before["callback_nonces"] + 1)})


@pytest.mark.parametrize("update", [
    b"", b"null", b"[]", b"5", b'"update"', b'{"update_id": true}', b'{"update_id": 1.5}',
    b'{"update_id": 99999999999999999999999}', b'{"update_id": "7"}',
    b'{"update_id": 7, "message": "\\u6211\\u60f3\\u6b7b"}',
    b'{"update_id": 7, "message": {"text": "hi"}}',
    b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": "x", "text": "hi"}}',
    b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": "x", "type": "private"}, "text": "hi"}}',
    b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": 1e400, "type": "private"}}}',
    b'{"update_id": 7, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": 5}}',
    b'{"update_id": 7, "callback_query": "x"}',
    b'{"update_id": 7, "callback_query": {"id": "q", "from": {"id": 1, "is_bot": false, "first_name": "u"}, '
    b'"chat_instance": "c", "data": 5, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}}}}',
    b'\xff\xfe',
])
async def test_signed_but_malformed_telegram_updates_write_nothing(every, update) -> None:
    before = await every.rows()
    response = await every.telegram_raw(update)
    assert response.status_code in (200, 400), response.text
    assert await every.rows() == before


def test_safe_number_parsing() -> None:
    assert [whole_number(t) for t in ("2", " 12 ", "０３", "²", "①", "٣", "1" * 4301, "", "-1", "1.0")] == [
        2, 12, 3, None, None, None, None, None, None, None]
    assert whole_number(str(2**63 - 1), max_digits=19) == 2**63 - 1
    assert numbers_in("1,２、" + "9" * 4301 + " ③") == [1, 2]
    assert clean_text("a\udfffb\ud83d") == "a\ufffdb\ufffd" and clean_text("\ud83d\ude00") == "😀"


async def test_inbox_after_beyond_32_bits_reads_on_postgresql_too(every) -> None:
    await send(every, "web", RED, sender="s9")
    await every.app.tick()
    await every.app.settle()  # a tick hands sends to their lanes; the page is in the inbox once they finish
    response = await every.client.get("/chat/api/inbox", params={"user": "demo-counsellor", "after": "0"})
    assert response.json()["messages"]
    async with every.app.sessions() as session:
        newest = (await session.execute(select(func.max(WebChatMessage.id)))).scalar_one()
    response = await every.client.get("/chat/api/inbox", params={"user": "demo-counsellor", "after": str(2**33)})
    assert response.status_code == 200 and response.json()["messages"] == [] and newest < 2**33
