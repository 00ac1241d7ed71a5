"""What the WeChat and WeCom server APIs share: JSON posts with an access token and their error codes."""

from __future__ import annotations

import json
from typing import Any

import httpx

from bot.channels.access_token import AccessToken
from bot.events import Delivery

REFRESH_CODES = (40001, 40014, 42001)  # the access token was refused: fetch a new one and try once more
BUSY_CODES = (-1, 45009, 45033, 45047)  # the platform is busy or we sent too much: try later
WINDOW_CODE = 45015  # WeChat: outside the 48-hour customer-service window
QR_MAX_SECONDS = 30 * 24 * 3600  # a temporary QR code lives at most 30 days


async def fetch_token(http: httpx.AsyncClient, url: str, params: dict[str, str]) -> tuple[str, float]:
    """GET a token endpoint; (token, lifetime in seconds) or RuntimeError naming the error code."""
    data = (await http.get(url, params=params)).json()
    if "access_token" not in data:
        raise RuntimeError(f"token refused: errcode {data.get('errcode')}")
    return str(data["access_token"]), float(data.get("expires_in", 7200))


async def post_message(http: httpx.AsyncClient, token: AccessToken, url: str, payload: dict[str, Any]) -> Delivery:
    """POST a message; refresh the token once if refused; map the answer to a Delivery."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")  # the APIs want UTF-8, not \\u escapes
    for attempt in range(2):
        try:
            current = await token.get()
            r = await http.post(url, params={"access_token": current}, content=body,
                                headers={"Content-Type": "application/json; charset=utf-8"})
        except (httpx.HTTPError, RuntimeError, ValueError) as exc:
            return Delivery(ok=False, retry_after=0, error=f"{type(exc).__name__}: {exc}"[:200])
        if r.status_code >= 500:
            return Delivery(ok=False, retry_after=0, error=f"HTTP {r.status_code}")
        try:
            data: dict[str, Any] = r.json()
        except ValueError:
            return Delivery(ok=False, retry_after=0, error=f"HTTP {r.status_code}: not JSON")
        code = int(data.get("errcode", 0))
        if code == 0:
            return Delivery(ok=True)
        if code in REFRESH_CODES and attempt == 0:
            token.invalidate(current)
            continue
        error = f"{code} {data.get('errmsg', '')}".strip()
        if code == WINDOW_CODE:
            return Delivery(ok=False, error=error, window_closed=True)
        if code in BUSY_CODES:
            return Delivery(ok=False, retry_after=30, error=error)
        return Delivery(ok=False, error=error)
    return Delivery(ok=False, retry_after=0, error="access token refused twice")


class ApiError(RuntimeError):
    """An API call that did not give what was asked; the message names the error code."""


async def call_json(http: httpx.AsyncClient, token: AccessToken, url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST a JSON request and return the answer; refresh the token once if refused; ApiError otherwise."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    for attempt in range(2):
        try:
            current = await token.get()
            r = await http.post(url, params={"access_token": current}, content=body,
                                headers={"Content-Type": "application/json; charset=utf-8"})
            data: dict[str, Any] = r.json()
        except (httpx.HTTPError, RuntimeError, ValueError) as exc:
            raise ApiError(f"{type(exc).__name__}: {exc}"[:200]) from exc
        code = int(data.get("errcode", 0))
        if code in REFRESH_CODES and attempt == 0:
            token.invalidate(current)
            continue
        if code:
            raise ApiError(f"errcode {code} {data.get('errmsg', '')}".strip())
        return data
    raise ApiError("access token refused twice")


class WeixinApi:
    """One WeChat-family server API: an HTTP client and its shared access token."""

    def __init__(self, base: str, token_path: str, token_params: dict[str, str]) -> None:
        self.base = base.rstrip("/")
        self.http = httpx.AsyncClient(timeout=10)
        self.token = AccessToken(lambda: fetch_token(self.http, f"{self.base}{token_path}", token_params))

    async def post(self, path: str, payload: dict[str, Any]) -> Delivery:
        """POST a message to a path of the API."""
        return await post_message(self.http, self.token, f"{self.base}{path}", payload)

    async def scene_qr(self, scene: str, expire_seconds: int) -> str:
        """A temporary parametrised QR code (qrcode/create, QR_STR_SCENE): the URL its image encodes.

        Scanning it sends the account a subscribe event (EventKey `qrscene_<scene>`) or, for a follower,
        a SCAN event (EventKey `<scene>`). WeChat keeps a temporary code at most 30 days.
        """
        data = await call_json(self.http, self.token, f"{self.base}/cgi-bin/qrcode/create", {
            "expire_seconds": max(60, min(expire_seconds, QR_MAX_SECONDS)), "action_name": "QR_STR_SCENE",
            "action_info": {"scene": {"scene_str": scene}}})
        if not data.get("url"):
            raise ApiError("qrcode/create gave no url")
        return str(data["url"])

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.http.aclose()
