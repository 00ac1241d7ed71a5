"""Is each configured channel reachable? One real call per platform, the one its adapter makes first:
an access token (WeChat, WeCom) or getMe (Telegram). Used by `xinqiao doctor`; nothing is sent."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import Bot
from telegram.error import TelegramError

from bot.channels.weixin_api import WeixinApi
from bot.config import Settings

TIMEOUT = 10.0


@dataclass(frozen=True)
class ChannelStatus:
    """A channel: configured, reachable, and what the platform said."""

    name: str
    configured: bool
    reachable: bool
    detail: str = ""


async def _token(name: str, base: str, path: str, params: dict[str, str]) -> ChannelStatus:
    api = WeixinApi(base, path, params)
    try:
        await asyncio.wait_for(api.token.get(), TIMEOUT)
        return ChannelStatus(name, True, True)
    except (RuntimeError, ValueError, OSError, TimeoutError) as exc:
        return ChannelStatus(name, True, False, f"{type(exc).__name__}: {exc}"[:200])
    except Exception as exc:  # noqa: BLE001 - httpx errors and the like: reported, never raised
        return ChannelStatus(name, True, False, f"{type(exc).__name__}: {exc}"[:200])
    finally:
        await api.close()


async def _telegram(settings: Settings) -> ChannelStatus:
    base = settings.telegram_api_base.rstrip("/")
    bot = Bot(settings.telegram_token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
    try:
        me = await asyncio.wait_for(bot.get_me(), TIMEOUT)
        return ChannelStatus("telegram", True, True, f"@{me.username}" if me.username else "")
    except (TelegramError, TimeoutError, OSError) as exc:
        return ChannelStatus("telegram", True, False, f"{type(exc).__name__}: {exc}"[:200])


async def probe_all(settings: Settings) -> list[ChannelStatus]:
    """Every messaging channel: those configured are called once, concurrently."""
    checks = []
    if settings.wechat_on:
        checks.append(_token("wechat", settings.wechat_api_base, "/cgi-bin/token", {
            "grant_type": "client_credential", "appid": settings.wechat_app_id, "secret": settings.wechat_app_secret}))
    if settings.wecom_on:
        checks.append(_token("wecom", settings.wecom_api_base, "/cgi-bin/gettoken", {
            "corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_secret}))
    if settings.telegram_on:
        checks.append(_telegram(settings))
    found = list(await asyncio.gather(*checks))
    on = {s.name for s in found}
    found += [ChannelStatus(name, False, False) for name in ("wechat", "wecom", "telegram") if name not in on]
    return found
