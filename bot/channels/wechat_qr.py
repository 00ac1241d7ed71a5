"""The invite sheet's QR codes from the Official Account: a temporary parametrised QR code per invite
(scene `bind:<code>`); scanning it subscribes (or, for a follower, sends SCAN) and bot/channels/wechat.py
binds the person. Used by `xinqiao invite sheet` when the Official Account is configured."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.channels.wechat import SCENE_BIND
from bot.channels.weixin_api import WeixinApi
from bot.config import Settings

SceneQr = Callable[[str, int], Awaitable[str]]


def invite_qr(settings: Settings) -> tuple[SceneQr, WeixinApi] | None:
    """(a function code, seconds -> the QR's URL, the API to close), or None when WeChat is not configured."""
    if not settings.wechat_on:
        return None
    api = WeixinApi(settings.wechat_api_base, "/cgi-bin/token", {
        "grant_type": "client_credential", "appid": settings.wechat_app_id, "secret": settings.wechat_app_secret})

    async def qr(code: str, seconds: int) -> str:
        return await api.scene_qr(SCENE_BIND + code, seconds)

    return qr, api
