"""Rendering console pages: Jinja2 with autoescape, security headers, error pages, bounded form bodies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.console import texts
from handlers.staff_text import ago, zone_name

HERE = Path(__file__).parent
BODY_MAX = 32 * 1024  # a form is small; anything larger is refused before it is parsed
STATUS = {"bad": 400, "forbidden": 403, "csrf": 403, "unknown": 404, "method": 405, "too_large": 413,
          "media": 415, "busy": 503}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}



def clock(moment: datetime, zone: ZoneInfo) -> str:
    """`2026-12-01 14:03` in school time."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
env.globals.update(t=texts, clock=clock, ago=ago, zone_name=zone_name)


class FormError(Exception):
    """A request the console refuses before doing anything: reason is a key of texts.ERRORS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page with the console's security headers."""
    return HTMLResponse(env.get_template(template).render(**context), status_code=status, headers=HEADERS)


def error_page(reason: str, detail: str = "", staff: Any = None) -> HTMLResponse:
    """The refusal page: a clear title and reason, never a trace."""
    title, text = texts.ERRORS[reason]
    return render("error.html", status=STATUS[reason], title=title, text=detail or text, staff=staff)


def redirect(url: str) -> Response:
    """303 to a page of the console (htmx follows it too)."""
    response = RedirectResponse(url, status_code=303)
    response.headers.update(HEADERS)
    return response


async def read_form(request: Request, limits: dict[str, int] | None = None) -> dict[str, str]:
    """An urlencoded form of at most BODY_MAX bytes, each field at most its limit (FormError otherwise)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    declared = request.headers.get("content-length", "")
    if not kind and declared in ("", "0"):
        kind = "application/x-www-form-urlencoded"  # an empty POST (a button, the token in a header)
    if kind != "application/x-www-form-urlencoded":
        raise FormError("media")
    if declared.isdigit() and int(declared) > BODY_MAX:
        raise FormError("too_large")
    body = await read_body(request)
    if body is None:
        raise FormError("too_large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=50)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormError("bad") from exc
    form: dict[str, str] = {}
    for key, value in pairs:
        value = value.replace("\x00", "")
        limit = (limits or {}).get(key, 200)
        if len(value) > limit:
            raise FormError("too_large", texts.ACTION_ERRORS["too_long"].format(max=limit))
        form[key] = value
    return form


async def read_body(request: Request, limit: int = BODY_MAX) -> bytes | None:
    """The request's body, or None as soon as it passes limit bytes (the rest is not read)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def as_form(request: Request, fields: Iterable[tuple[str, str]], scope: dict[str, Any]) -> Request:
    """The request again with fields as its urlencoded body, scope's entries added to its scope: a body read and
    checked by a view of its own (an upload, many ticks) goes on to view() as an ordinary form (CSRF and all)."""
    body = urlencode(list(fields)).encode("utf-8")
    inner = {**request.scope, **scope}
    inner["headers"] = [(k, v) for k, v in request.scope["headers"] if k not in (b"content-type", b"content-length")]
    inner["headers"] += [(b"content-type", b"application/x-www-form-urlencoded"),
                         (b"content-length", str(len(body)).encode())]
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return Request(inner, receive)


def client_address(request: Request) -> str | None:
    """The peer's address, for the audit trail."""
    return request.client.host if request.client else None
