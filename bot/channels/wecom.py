"""WeCom (企业微信) self-built app for counsellors and leaders: the /wecom callback and message/send.

Callbacks are always encrypted (EncodingAESKey); the URL check decrypts the echostr. Staff commands
(收到, 回复, 待处理 …) arrive as text and get a passive encrypted reply; pages and notices go out with
message/send, at most 30 a minute to one person (WeCom silently drops more): the delivery worker
counts that in the database for every process (services/send_budget.py) and the rest wait their turn.
"""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.base import Serving, Wiring
from bot.channels.callback_guard import Refused, check_timestamp, check_xml, read_body, refusal, route_signed
from bot.channels.text import replies_text, with_options
from bot.channels.weixin_api import WeixinApi
from bot.channels.weixin_xml import Callback, Envelope, parse_callback, text_reply
from bot.config import Settings
from bot.events import Delivery, Inbound, Outbound
from bot.router import Router
from bot.texts import channels as T
from bot.texts.menu import OPT_MENU

CHANNEL = "wecom"
PER_PERSON_PER_MINUTE = 30


class WeComChannel:
    """Sends app text messages with message/send; the worker keeps within WeCom's per-person limit."""

    name = CHANNEL
    answers_inline = True
    per_person_per_minute = PER_PERSON_PER_MINUTE

    def __init__(self, settings: Settings, router: Router, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._settings = settings
        self._router = router
        self._sessions = sessions
        self._agent_id = settings.wecom_agent_id
        self.api = WeixinApi(settings.wecom_api_base, "/cgi-bin/gettoken", {
            "corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_secret})

    async def send(self, push: Outbound) -> Delivery:
        """One app text message."""
        return await self.api.post("/cgi-bin/message/send", {
            "touser": push.address, "msgtype": "text", "agentid": int(self._agent_id),
            "text": {"content": with_options(push.text, push.options)}})

    def routes(self, serving: Serving) -> list[Route]:
        """GET and POST /wecom."""
        return _routes(self._settings, self._router, self._sessions)

    async def start(self) -> None:
        """Nothing runs on its own: the platform calls back."""

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.api.close()


def make(wiring: Wiring) -> WeComChannel | None:
    """The adapter when its settings are complete, else None."""
    return WeComChannel(wiring.settings, wiring.router, wiring.sessions) if wiring.settings.wecom_on else None


def _inbound(msg: Callback) -> Inbound | None:
    if msg.type == "text":
        return Inbound(CHANNEL, msg.source, msg.content, msg.dedupe_key)
    if msg.type == "event" and msg.event in ("subscribe", "enter_agent"):
        return Inbound(CHANNEL, msg.source, OPT_MENU, msg.dedupe_key)
    if msg.type == "event" and msg.event == "click":
        return Inbound(CHANNEL, msg.source, msg.key or OPT_MENU, msg.dedupe_key)
    return None


def _routes(settings: Settings, router: Router, sessions: async_sessionmaker[AsyncSession]) -> list[Route]:
    """GET (URL check) and POST /wecom."""
    envelope = Envelope(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)

    async def verify(request: Request) -> Response:
        q = request.query_params
        try:
            check_timestamp(q.get("timestamp", ""))
            echo = envelope.echo(q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""),
                                 q.get("echostr", ""))
        except Refused as refused:
            return refusal(CHANNEL, refused)
        return PlainTextResponse(echo)

    async def receive(request: Request) -> Response:
        q = request.query_params
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        try:
            body = await read_body(request)
            check_xml(body)
            xml = envelope.open(body, q.get("msg_signature", ""), timestamp, nonce)
            check_timestamp(timestamp)
            msg = parse_callback(xml)
        except Refused as refused:
            return refusal(CHANNEL, refused)
        inbound = _inbound(msg)
        try:
            replies = await route_signed(router, sessions, CHANNEL, inbound, nonce)
        except Refused as refused:
            return refusal(CHANNEL, refused)
        if inbound is not None:
            text = replies_text(replies)
        elif msg.type in ("image", "voice", "video", "location", "link", "file"):
            text = T.WECOM_TYPE_PLEASE
        else:
            return PlainTextResponse("success")
        if not text:
            return PlainTextResponse("success")
        reply = text_reply(msg, text, int(time.time()))
        return Response(envelope.seal(reply, nonce, timestamp), media_type="application/xml")

    return [Route("/wecom", verify, methods=["GET"]), Route("/wecom", receive, methods=["POST"])]
