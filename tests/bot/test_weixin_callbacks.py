"""WeChat and WeCom callbacks (issue 12, points 3, 5 and 11): safe mode takes only encrypted pushes, the
URL check is as fresh as a push, retries are known by sender and MsgId, replies are XML whatever they say."""

from __future__ import annotations

import time
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.channels.weixin_xml import Callback, cdata, parse_callback, render, text_reply
from bot.db.models import Case, Identity, InboundRecord, Person
from tests.channels import WC_TOKEN, message, push_xml, sha1

RED = "我今晚就从楼顶跳下去"


async def count(every, model) -> int:
    async with every.app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_safe_mode_refuses_plaintext_pushes_and_writes_nothing(every) -> None:
    before = await every.rows()
    plain = push_xml(message("oSTUDENT", RED, 11))
    assert (await every.wechat_raw(plain, encrypt=False)).status_code == 403
    assert (await every.wechat_raw(plain, encrypt=False, encrypt_type="raw")).status_code == 403
    assert (await every.wechat_raw(plain, encrypt=False, encrypt_type="aes")).status_code == 403  # no Encrypt
    assert await every.rows() == before
    assert "12356" in every.wechat_reply(await every.wechat_raw(plain))  # the same push, encrypted


async def test_the_url_check_checks_its_timestamp_like_a_push(every) -> None:
    def check(ts: str) -> dict[str, str]:
        return every.wechat_params(timestamp=ts) | {"echostr": "echo-42"}

    fresh = await every.client.get("/wechat", params=check(str(int(time.time()))))
    assert fresh.status_code == 200 and fresh.text == "echo-42"
    for ts in (str(int(time.time()) - 330), str(int(time.time()) + 330), "soon", "1" * 5000, ""):
        assert (await every.client.get("/wechat", params=check(ts))).status_code == 403
    stale = str(int(time.time()) - 330)  # WeCom's URL check too
    response = await every.client.get("/wecom", params={"msg_signature": sha1(WC_TOKEN, stale, "n", "eA=="),
                                                        "timestamp": stale, "nonce": "n", "echostr": "eA=="})
    assert response.status_code == 403


async def test_the_same_msgid_from_two_senders_is_two_messages(every) -> None:
    first = every.wechat_reply(await every.wechat("oALICE", "菜单", 77))
    other = every.wechat_reply(await every.wechat("oBOB", RED, 77))  # MsgIds repeat across senders
    assert "12356" in other and "12356" not in first
    assert await count(every, Case) == 1
    retry = every.wechat_reply(await every.wechat("oBOB", RED, 77))  # WeChat's retry: the same reply, no new case
    assert retry == other and await count(every, Case) == 1
    assert every.wechat_reply(await every.wechat("oALICE", "菜单", 77)) == first
    assert "12356" in every.wecom_reply(await every.wecom("zhang", RED, 77))  # and on WeCom
    assert await count(every, Case) == 2 and await count(every, InboundRecord) == 3


def test_the_key_composition() -> None:
    text = Callback(type="text", source="oA", target="gh", create_time="5", msg_id="77")
    event = Callback(type="event", source="oA", target="gh", create_time="5", event="click")
    assert text.dedupe_key == "msg:oA:77" and event.dedupe_key == "event:oA:5:click"


async def test_a_pending_list_with_cdata_breakers_and_odd_characters_is_xml(every) -> None:
    async with every.app.sessions() as session, session.begin():
        chen = (await session.execute(select(Person).where(Person.name.startswith("陈老师")))).scalar_one()
        session.add(Identity(person_id=chen.id, channel="wecom", external_id="chen"))
    note = RED + "]]><x/>\ufffe]]]>"  # within the 30 characters 待处理 shows
    response = await every.web("s1", note)
    assert response.status_code == 200
    pending = every.wecom_reply(await every.wecom("chen", "待处理"))  # parsed by ElementTree: must be XML
    assert "]]><x/>]]]>" in pending and "\ufffe" not in pending
    code = response.json()["replies"][0]["options"][0].split()[1]
    view = every.wechat_reply(await every.wechat("oSTUDENT", f"查看 {code}"))  # the thread, read on WeChat
    assert "]]><x/>]]]>" in view and "\ufffe" not in view


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cdata_parses_back_to_the_text(text: str) -> None:
    xml = render([("Content", text), ("CreateTime", 5)])
    root = ElementTree.fromstring(xml.encode("utf-8", "surrogatepass"))
    legal = "".join(c for c in text if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                    or c > "\uffff")
    assert root.findtext("Content") == legal.replace("\r\n", "\n").replace("\r", "\n")
    assert cdata(text).startswith("<![CDATA[")


def test_a_passive_reply_round_trips() -> None:
    callback = parse_callback(push_xml(message("oA", "hi", 1) | {"AgentID": "1000002"}))
    reply = ElementTree.fromstring(text_reply(callback, "a]]>b\x01c\x0bd", 99))
    assert {e.tag: e.text for e in reply} == {"ToUserName": "oA", "FromUserName": "gh_xinqiao", "CreateTime": "99",
                                              "MsgType": "text", "Content": "a]]>bcd", "AgentID": "1000002"}
