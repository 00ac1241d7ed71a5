"""Telegram with python-telegram-bot: long polling (development) or a webhook at /telegram.

Updates become router events (update_id de-duplicates them); the router queues its replies in the
message's own transaction, and they and every later push go out through the outbox, options as an
inline keyboard; a button press comes back as a callback query carrying the option. 429 answers
give the outbox their retry_after.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.channels.base import Serving, Wiring
from bot.config import Settings
from bot.events import Delivery, Inbound, Outbound, Reply
from bot.router import Router
from bot.safe_input import BadJSON, load_json
from bot.texts import channels as T

log = logging.getLogger(__name__)
CHANNEL = "telegram"
MAX_UPDATE = 1024 * 1024
POLL_TIMEOUT = 20


def _callback_data(option: str) -> str:
    """An option as callback data (Telegram allows 64 bytes)."""
    data = option.encode("utf-8")[:64]
    return data.decode("utf-8", errors="ignore")


def _update(data: Any, bot: Bot) -> Update | None:
    """An update from its JSON, or None when it is not one (PTB trusts the shape: it is checked here first)."""
    if not isinstance(data, dict) or not _whole(data.get("update_id")):
        return None
    for name in ("message", "callback_query", "edited_message"):
        if name in data and not isinstance(data[name], dict):
            return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # a signed but malformed update (a field of the wrong type, a missing chat …)
        return None


def _whole(value: Any) -> bool:
    """A JSON integer that fits 64 bits (update and chat ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) < value < 2**63


def _chat_id(message: Any) -> str | None:
    """The chat a message came from, as an address; None when the update does not carry a usable one."""
    chat = getattr(message, "chat", None)
    chat_id = getattr(chat, "id", None)
    return str(chat_id) if _whole(chat_id) else None


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _pause(failures: int, what: str, exc: Exception) -> int:
    """Log a failed call to Telegram and wait 2, 4, 8 … (at most 60) seconds; return the new count."""
    log.warning("telegram %s (%s); trying again", what, type(exc).__name__)
    await asyncio.sleep(min(2 ** (failures + 1), 60))
    return failures + 1


class TelegramChannel:
    """The bot: receives updates (polling or webhook) and sends pushes."""

    name = CHANNEL
    answers_inline = False  # the router queues the replies; they go out with sendMessage

    def __init__(self, settings: Settings, router: Router, poll_timeout: int = POLL_TIMEOUT) -> None:
        base = settings.telegram_api_base.rstrip("/")
        self.bot = Bot(settings.telegram_token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
        self._settings = settings
        self._router = router
        self._poll_timeout = poll_timeout
        self._task: asyncio.Task[None] | None = None
        self._init_lock = asyncio.Lock()
        self._initialized = False

    async def start(self) -> None:
        """Connect in the background (a Telegram outage must not stop the bot), then poll if polling."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        """Stop polling and release the HTTP client."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.bot.shutdown()

    async def _ready(self) -> None:
        async with self._init_lock:
            if not self._initialized:
                await self.bot.initialize()
                self._initialized = True

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._ready()
                if self._settings.telegram_mode == "polling":
                    await self.bot.delete_webhook()
                break
            except TelegramError as exc:
                failures = await _pause(failures, "not reachable", exc)
        if self._settings.telegram_mode == "polling":
            await self._poll()

    async def _poll(self) -> None:
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(offset=offset, timeout=self._poll_timeout,
                                                     read_timeout=self._poll_timeout + 10)
                failures = 0
            except TelegramError as exc:
                failures = await _pause(failures, "polling failed", exc)
                continue
            for update in updates:
                try:
                    await self.handle(update)
                except Exception:  # one bad update must not stop polling
                    log.exception("telegram update %s failed", update.update_id)
                offset = update.update_id + 1

    async def handle(self, update: Update) -> None:
        """Route one update (the router queues the replies)."""
        await self._ready()
        query = update.callback_query
        if query is not None and query.message is not None:
            chat_id, text = _chat_id(query.message), query.data if isinstance(query.data, str) else None
            if chat_id is None or text is None:
                return
            choice: str | None = text
            try:
                await self.bot.answer_callback_query(query.id)
            except TelegramError:
                log.warning("answerCallbackQuery failed for update %s", update.update_id)
        elif update.message is not None:
            chat_id, text, choice = _chat_id(update.message), update.message.text, None
            if chat_id is None or not isinstance(text, str | None):  # malformed: nothing to answer
                return
            if text is None:  # a photo, a sticker, a voice message …
                await self._show(chat_id, await self._router.say(
                    channel=CHANNEL, address=chat_id, replies=[Reply(T.TELEGRAM_TYPE_PLEASE)],
                    ref=f"update:{update.update_id}"))
                return
        else:
            return
        # The router queues the replies in the message's own transaction; what it gives back is to send now.
        await self._show(chat_id, await self._router.handle(
            Inbound(CHANNEL, chat_id, text, f"update:{update.update_id}", choice)))

    async def _show(self, chat_id: str, replies: list[Reply]) -> None:
        """Send what the router gave back to show directly (its fixed answer while the database is away)."""
        for reply in replies:
            await self.send(Outbound(address=chat_id, kind="reply", text=reply.text, options=list(reply.options)))

    async def send(self, push: Outbound) -> Delivery:
        """One message; options as an inline keyboard, one button a row."""
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(o, callback_data=_callback_data(o))]
                                       for o in push.options]) if push.options else None
        try:
            await self._ready()
            await self.bot.send_message(chat_id=int(push.address), text=push.text[:4096], reply_markup=markup)
        except RetryAfter as exc:
            # the timedelta behind RetryAfter.retry_after (reading the attribute itself warns until PTB 23)
            wait = getattr(exc, "_retry_after", None) or exc.retry_after
            return Delivery(ok=False, retry_after=_seconds(wait), error="429 Too Many Requests")
        except (Forbidden, BadRequest) as exc:  # blocked by the user, chat gone: retrying will not help
            return Delivery(ok=False, error=f"{type(exc).__name__}: {exc.message}"[:200])
        except (TimedOut, NetworkError) as exc:
            return Delivery(ok=False, retry_after=0, error=f"{type(exc).__name__}: {exc.message}"[:200])
        return Delivery(ok=True)

    def routes(self, serving: Serving) -> list[Route]:
        """POST /telegram in webhook mode; the secret token header is compared in constant time."""
        secret = self._settings.telegram_webhook_secret.encode("utf-8")

        async def webhook(request: Request) -> Response:
            given = request.headers.get("x-telegram-bot-api-secret-token", "").encode("utf-8")
            if not secret or not hmac.compare_digest(given, secret):
                return PlainTextResponse("forbidden", status_code=403)
            body = await request.body()
            if len(body) > MAX_UPDATE:
                return PlainTextResponse("too large", status_code=413)
            try:
                update = _update(load_json(body), self.bot)
            except BadJSON as exc:
                return PlainTextResponse(str(exc), status_code=400)
            if update is None:
                return PlainTextResponse("not an update", status_code=400)
            await self.handle(update)
            return JSONResponse({})

        return [Route("/telegram", webhook, methods=["POST"])] if self._settings.telegram_mode == "webhook" else []


def make(wiring: Wiring) -> TelegramChannel | None:
    """The bot when a token is set, else None."""
    return TelegramChannel(wiring.settings, wiring.router) if wiring.settings.telegram_on else None
