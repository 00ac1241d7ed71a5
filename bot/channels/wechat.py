"""WeChat Official Account (服务号): the /wechat callback and the customer-service message API.

The callback answers within the request (a passive reply carries the immediate answer); anything
later goes through the outbox and the customer-service API. Plaintext, compatible and safe (AES)
modes; signatures, timestamps, nonces, size and XXE are checked before anything is parsed or written.
"""

from __future__ import annotations

import hmac
import re
import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from wechatpy.utils import WeChatSigner

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

CHANNEL = "wechat"


def signature(token: str, timestamp: str, nonce: str) -> str:
    """WeChat's callback signature: sha1 of the sorted token, timestamp and nonce."""
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return signer.signature


class WeChatChannel:
    """Sends pushes with the customer-service message API; the access token is cached and shared."""

    name = CHANNEL
    answers_inline = True

    def __init__(self, settings: Settings, router: Router, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._settings = settings
        self._router = router
        self._sessions = sessions
        self.api = WeixinApi(settings.wechat_api_base, "/cgi-bin/token", {
            "grant_type": "client_credential", "appid": settings.wechat_app_id,
            "secret": settings.wechat_app_secret})

    async def send(self, push: Outbound) -> Delivery:
        """One customer-service text message; 45015 (outside the 48-hour window) holds it for later."""
        return await self.api.post("/cgi-bin/message/custom/send", {
            "touser": push.address, "msgtype": "text", "text": {"content": with_options(push.text, push.options)}})

    def routes(self, serving: Serving) -> list[Route]:
        """GET and POST /wechat."""
        return _routes(self._settings, self._router, self._sessions)

    async def start(self) -> None:
        """Nothing runs on its own: the platform calls back."""

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.api.close()


def make(wiring: Wiring) -> WeChatChannel | None:
    """The adapter when its settings are complete, else None."""
    return WeChatChannel(wiring.settings, wiring.router, wiring.sessions) if wiring.settings.wechat_on else None


SCENE_BIND = "bind:"  # the scene of an invite's QR code (bot/channels/wechat_qr.py): bind:<code>
_SCENE_CODE = re.compile(r"(?:qrscene_)?bind:([A-Za-z0-9]{6,12})")


def scene_code(msg: Callback) -> str | None:
    """The invite code a subscribe or SCAN event carries from a parametrised QR code, if any."""
    if msg.type != "event" or msg.event not in ("subscribe", "scan"):
        return None
    m = _SCENE_CODE.fullmatch(msg.key.strip())
    return m.group(1) if m else None


def _inbound(msg: Callback) -> Inbound | None:
    """The router's event for a message, or None when it gets no answer from the router."""
    if msg.type == "text":
        return Inbound(CHANNEL, msg.source, msg.content, msg.dedupe_key)
    if (code := scene_code(msg)) is not None:  # an invite's QR code scanned: the bind flow, as `绑定 <code>`
        return Inbound(CHANNEL, msg.source, f"绑定 {code}", msg.dedupe_key)
    if msg.type == "event" and msg.event == "subscribe":
        return Inbound(CHANNEL, msg.source, OPT_MENU, msg.dedupe_key)
    if msg.type == "event" and msg.event == "click":
        return Inbound(CHANNEL, msg.source, msg.key or OPT_MENU, msg.dedupe_key)
    return None


def _routes(settings: Settings, router: Router, sessions: async_sessionmaker[AsyncSession]) -> list[Route]:
    """GET and POST /wechat."""
    envelope = (Envelope(settings.wechat_token, settings.wechat_aes_key, settings.wechat_app_id)
                if settings.wechat_aes_key else None)

    def signed(request: Request) -> tuple[str, str]:
        q = request.query_params
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        expected = signature(settings.wechat_token, timestamp, nonce)
        if not hmac.compare_digest(expected, q.get("signature", "")):
            raise Refused(403, "bad signature")
        check_timestamp(timestamp)
        return timestamp, nonce

    async def verify(request: Request) -> Response:
        try:
            signed(request)
        except Refused as refused:
            return refusal(CHANNEL, refused)
        return PlainTextResponse(request.query_params.get("echostr", ""))

    async def receive(request: Request) -> Response:
        try:
            timestamp, nonce = signed(request)
            body = await read_body(request)
            check_xml(body)
            aes = request.query_params.get("encrypt_type") == "aes"
            if envelope is not None and not aes:  # safe mode: a plaintext push is not WeChat's
                raise Refused(403, "plaintext push while an EncodingAESKey is set (safe mode)")
            if aes:
                if envelope is None:
                    raise Refused(403, "safe mode without an EncodingAESKey")
                body = envelope.open(body, request.query_params.get("msg_signature", ""), timestamp, nonce)
            msg = parse_callback(body)
        except Refused as refused:
            return refusal(CHANNEL, refused)
        inbound = _inbound(msg)
        try:
            replies = await route_signed(router, sessions, CHANNEL, inbound, nonce)
        except Refused as refused:
            return refusal(CHANNEL, refused)
        if inbound is not None:
            text = replies_text(replies)
            if msg.type == "event" and msg.event == "subscribe":
                text = T.WECHAT_GREETING.format(school=settings.school_name) + "\n\n" + text
        elif msg.type in ("image", "voice", "video", "shortvideo", "location", "link"):
            text = T.WECHAT_TYPE_PLEASE
        else:
            return PlainTextResponse("success")  # unsubscribe, view and other events: nothing to say
        if not text:
            return PlainTextResponse("success")
        xml = text_reply(msg, text, int(time.time()))
        if envelope is not None:
            xml = envelope.seal(xml, nonce, timestamp)
        return Response(xml, media_type="application/xml")

    return [Route("/wechat", verify, methods=["GET"]), Route("/wechat", receive, methods=["POST"])]
