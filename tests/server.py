"""A real `xinqiao serve` in a subprocess on loopback, for tests that kill or double it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path, db_url: str, **extra: str) -> dict[str, str]:
    """The environment of a server (and of CLI runs against the same database)."""
    return dict(os.environ, XINQIAO_DATA_DIR=str(data_dir), XINQIAO_DATABASE_URL=db_url,
                XINQIAO_SECRET_KEY="server-test", **extra)


class Server:
    """One `xinqiao serve --demo` process."""

    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["XINQIAO_DATA_DIR"]) / f"serve-{self.port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--demo", "--port", str(self.port)],
                                         env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait_up(self, timeout: float = 60) -> float:
        """Wait until /healthz answers 200; return when (monotonic)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return time.monotonic()
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "server did not come up:\n" + self.log.read_text()
            time.sleep(0.1)

    def say(self, user: str, text: str, client_id: str) -> list[dict[str, Any]]:
        """POST one chat message; return the replies."""
        r = httpx.post(self.base + "/chat/api/messages", json={"user": user, "text": text, "client_id": client_id},
                       timeout=20)
        assert r.status_code == 200, r.text
        return r.json()["replies"]

    def inbox(self, user: str) -> list[dict[str, Any]]:
        """Everything pushed to a web chat user."""
        r = httpx.get(self.base + "/chat/api/inbox", params={"user": user}, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["messages"]

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """A clean stop."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
