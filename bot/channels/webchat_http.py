"""The web chat's HTTP guards: JSON bodies only, read with a limit, security headers, per-browser tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from bot.services.messaging.sealing import Sealer

# Headers of every API answer: nothing to frame, sniff, cache or refer.
API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_BEARER = re.compile(r"^Bearer ([A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22})$")


class BadRequest(Exception):
    """A request refused with a status and a reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason

    def response(self) -> JSONResponse:
        """The refusal as the API answers it."""
        return api_json({"error": self.reason}, status=self.status)


def api_json(body: Any, status: int = 200) -> JSONResponse:
    """A JSON answer with the API's security headers."""
    return JSONResponse(body, status_code=status, headers=API_HEADERS)


def api_json_with(body: Any, *, status: int, headers: dict[str, str]) -> JSONResponse:
    """A JSON answer with the API's security headers and more (Retry-After)."""
    return JSONResponse(body, status_code=status, headers={**API_HEADERS, **headers})


def page_response(html: str) -> HTMLResponse:
    """The chat page with a policy that runs only its own inline script and style (by hash)."""
    return HTMLResponse(html, headers={**API_HEADERS, "Content-Security-Policy": page_policy(html)})


def page_policy(html: str) -> str:
    """A Content-Security-Policy allowing the page's own inline script and style, nothing else."""
    def hashes(tag: str) -> str:
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)
        return " ".join("'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
                        for b in blocks) or "'none'"
    return (f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; "
            "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


async def read_json(request: Request, limit: int) -> Any:
    """The request's JSON body; BadRequest 415 unless Content-Type is application/json, 413 as soon as
    more than limit bytes have arrived (the rest is never read), 400 unless it is JSON."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise BadRequest(415, "Content-Type must be application/json")
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BadRequest(413, "request body too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(413, "request body too large")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except RecursionError as exc:  # nested thousands deep
        raise BadRequest(400, "body must be JSON nested less deeply") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(400, "body must be JSON") from exc


class Tokens:
    """Per-browser sender tokens: random, signed with the server key, issued only by this server."""

    def __init__(self, sealer: Sealer) -> None:
        self._key = sealer.keyed("webchat-token-signing").encode()

    def _sign(self, address: str) -> str:
        digest = hmac.new(self._key, address.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:22]

    def issue(self) -> str:
        """A new token: 32 random characters (192 bits), a dot, their signature."""
        address = secrets.token_urlsafe(24)
        return f"{address}.{self._sign(address)}"

    def address(self, request: Request) -> str:
        """The sender address of the request's `Authorization: Bearer <token>`; BadRequest 401 otherwise."""
        m = _BEARER.match(request.headers.get("authorization", ""))
        if m is None:
            raise BadRequest(401, "send the token from POST /chat/api/token as Authorization: Bearer <token>")
        address, signature = m.group(1).split(".")
        if not hmac.compare_digest(signature, self._sign(address)):
            raise BadRequest(401, "this token was not issued by this server")
        return address
