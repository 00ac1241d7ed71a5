"""`make soak`: a long run at `xinqiao serve --workers 2` with faults injected; nothing lost, nothing doubled.

DURATION (default 20m; 90s, 3m, 1200 also work) at SOAK_RATE messages a second (default 20), one in ten
a red crisis, half signed WeChat pushes (plaintext mode, signed as WeChat does) and half web chat
posts, each from a new sender. SQLite in a scratch data dir by default; XINQIAO_SOAK_DATABASE_URL
(PostgreSQL, an empty database of your own) runs it behind a loopback proxy instead. The on-duty
counsellor is bound on the web chat and WeChat, whose API is the in-tree fake. Faults, as shares of
the duration: at 10% the WeChat API answers 502 for 20 s and then hangs (timeouts) for 20 s; at 40%
the database is cut for 30 s (a held SQLite write lock, or the proxy stopped); at 65% a worker is
SIGKILLed; at 80% one sender floods 200 red notes. A sender whose request fails retries it (new nonce,
same MsgId or client id) like the platforms do. Printed afterwards (scripts/soak_figures.py): sent,
reports and pages expected and found, lost, doubled, and the time from each real red message to its
first page delivered.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.soak_figures import Sent, report  # noqa: E402
from tests.fakes.serve import serving  # noqa: E402
from tests.fakes.tcp_proxy import TcpProxy  # noqa: E402
from tests.fakes.weixin_api import FakeWeixin  # noqa: E402
from tests.server import free_port  # noqa: E402

TOKEN, APP_ID, SECRET = "soak-token", "wx-soak", "soak-secret"
COUNSELLOR = "陈老师（心理教师）"  # the demo's on-duty counsellor
RED = ["我今晚就从楼顶跳下去", "药我已经攒够了，今晚全吃掉", "我已经写好遗书了，明天就不在了"]
CHAT = ["你好", "求助热线", "谢谢", "菜单"]
HOLD_LOCK = ("import sqlite3, sys, time\ndb = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
             "db.execute('BEGIN IMMEDIATE')\ntime.sleep(float(sys.argv[2]))\ndb.execute('ROLLBACK')\n")


def seconds(text: str) -> float:
    """90, 90s, 3m, 1h."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m:
        sys.exit(f"DURATION {text!r}: write 1200, 90s, 20m or 1h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


@dataclass
class Soak:
    base: str
    sent: list[Sent] = field(default_factory=list)
    failures: int = 0  # attempts that failed and were retried
    unanswered: int = 0  # messages that never got a 200 after every retry
    red_without_resources: int = 0
    health_max: float = 0.0
    spooled_max: int = 0
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    phases: list[tuple[str, float, float]] = field(default_factory=list)  # fault, wall clock from, to

    def phase(self, name: str, seconds: float) -> None:
        self.phases.append((name, time.time(), time.time() + seconds))

    def wechat_request(self, openid: str, text: str, msg_id: int) -> tuple[dict[str, str], bytes]:
        ts, nonce = str(int(time.time())), f"{msg_id}-{time.time_ns()}"
        sig = hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest()
        xml = (f"<xml><ToUserName><![CDATA[gh_soak]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
               f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]>"
               f"</Content><MsgId>{msg_id}</MsgId></xml>")
        return {"signature": sig, "timestamp": ts, "nonce": nonce, "openid": openid}, xml.encode()

    async def one(self, client: httpx.AsyncClient, n: int, red: bool, flood: bool = False) -> None:
        marker = f"S{n}"
        text = f"{RED[n % 3]} #{marker}" if red else f"{CHAT[n % len(CHAT)]} #{marker}"
        wechat = n % 2 == 0 and not flood
        user = "flood-sender" if flood else f"{'oSOAK' if wechat else 'soak-'}{n}"
        key = f"msg:{user}:{n}" if wechat else f"{user}:{marker}"  # as the channels record them
        item = Sent(marker=marker, channel="wechat" if wechat else "web", key=key, red=red, flood=flood,
                    at=time.time())
        self.sent.append(item)
        for attempt in range(5):
            try:
                if wechat:
                    params, body = self.wechat_request(user, text, n)
                    r = await client.post("/wechat", params=params, content=body, timeout=15)
                    answer = r.text
                else:
                    r = await client.post("/chat/api/messages", json={"user": user, "text": text, "client_id": marker},
                                          timeout=15)
                    answer = r.text
                if r.status_code == 200:
                    self.red_without_resources += red and "12356" not in answer
                    return
            except httpx.HTTPError:
                pass
            self.failures += 1
            await asyncio.sleep(1 + attempt)
        self.unanswered += 1

    async def health(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        while not stop.is_set():
            start = time.monotonic()
            try:
                body = (await client.get("/healthz", timeout=20)).json()
                self.spooled_max = max(self.spooled_max, int(body.get("spooled") or 0))
            except (httpx.HTTPError, ValueError):
                pass
            self.health_max = max(self.health_max, time.monotonic() - start)
            await asyncio.sleep(1)


async def empty_schema(url: str) -> None:
    """The soak's PostgreSQL database starts empty (its public schema is dropped: use a scratch database)."""
    from sqlalchemy import text

    from bot.config import normalise_database_url
    from bot.db.engine import make_engine

    engine = make_engine(normalise_database_url(url))
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def workers_of(pid: int) -> list[int]:
    """The uvicorn worker processes of a server (children running multiprocessing's spawn_main)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid and b"spawn_main" in cmd:
                found.append(int(entry))
    return sorted(found)


async def faults(duration: float, fake: FakeWeixin, cut, restore, server: subprocess.Popen, soak: Soak,
                 client: httpx.AsyncClient, log) -> None:  # type: ignore[no-untyped-def]
    start = time.monotonic()

    async def at(share: float) -> None:
        await asyncio.sleep(max(0.0, start + duration * share - time.monotonic()))

    chosen = set(os.environ.get("SOAK_FAULTS", "channel,db,kill,flood").split(","))
    await at(0.10)
    if "channel" in chosen:
        await channel_faults(fake, soak, log)
    await at(0.40)
    if "db" in chosen:
        log("fault: database cut for 30 s")
        cut()
        soak.phase("database cut", 30)
        await asyncio.sleep(30)
        restore()
    await at(0.65)
    victims = workers_of(server.pid)
    if "kill" in chosen and victims:
        log(f"fault: SIGKILL worker {victims[0]} of {victims}")
        os.kill(victims[0], signal.SIGKILL)
        soak.phase("worker killed", 10)
    await at(0.80)
    if "flood" in chosen:
        log("fault: one sender floods 200 red notes")
        soak.phase("flood", 15)
        base = 10_000_000
        for batch in range(10):
            await asyncio.gather(*(soak.one(client, base + batch * 20 + i, red=True, flood=True) for i in range(20)))


async def channel_faults(fake: FakeWeixin, soak: Soak, log) -> None:  # type: ignore[no-untyped-def]
    log("fault: WeChat API answers 502 for 20 s, then hangs for 20 s")
    fake.failing = "502"
    soak.phase("WeChat API 502", 20)
    await asyncio.sleep(20)
    fake.failing = "hang"
    soak.phase("WeChat API hangs", 20)
    await asyncio.sleep(20)
    fake.failing = ""


async def drive(duration: float, rate: float, soak: Soak, fake: FakeWeixin, cut, restore,  # type: ignore[no-untyped-def]
                server: subprocess.Popen, log) -> None:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=soak.base, limits=limits) as client:
        stop = asyncio.Event()
        health = asyncio.create_task(soak.health(client, stop))
        injected = asyncio.create_task(faults(duration, fake, cut, restore, server, soak, client, log))
        tasks = []
        start = time.monotonic()
        total = int(duration * rate)
        for i in range(total):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            n = i + 1
            tasks.append(asyncio.create_task(soak.one(client, n, red=n % 10 == 0)))
            if n % int(rate * 30) == 0:
                log(f"  {n}/{total} sent, {soak.failures} retried, health max {soak.health_max:.1f} s")
        await asyncio.gather(*tasks, injected)
        stop.set()
        await health


def main() -> None:
    duration = seconds(os.environ.get("DURATION", "20m"))
    rate = float(os.environ.get("SOAK_RATE", "20"))
    pg_url = os.environ.get("XINQIAO_SOAK_DATABASE_URL", "")
    began = time.monotonic()

    def log(text: str) -> None:
        print(f"[{time.monotonic() - began:7.1f} s] {text}", flush=True)

    fake = FakeWeixin(app_id=APP_ID, secret=SECRET)
    with tempfile.TemporaryDirectory() as tmp, serving(fake.app()) as api:
        proxy = None
        if pg_url:
            from urllib.parse import urlsplit, urlunsplit

            asyncio.run(empty_schema(pg_url))
            parts = urlsplit(pg_url)
            proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
            auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
            db_url = urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{proxy.port}"))
            cut, restore = proxy.cut, proxy.restore
        else:
            db_url = f"sqlite:///{tmp}/xinqiao.db"
            holder: list[subprocess.Popen] = []
            cut = lambda: holder.append(subprocess.Popen(  # noqa: E731
                [sys.executable, "-c", HOLD_LOCK, f"{tmp}/xinqiao.db", "30"]))
            restore = lambda: [p.wait() for p in holder]  # noqa: E731
        env = dict(os.environ, XINQIAO_DATA_DIR=tmp, XINQIAO_DATABASE_URL=db_url, XINQIAO_SECRET_KEY="soak",
                   XINQIAO_WECHAT_TOKEN=TOKEN, XINQIAO_WECHAT_APP_ID=APP_ID, XINQIAO_WECHAT_APP_SECRET=SECRET,
                   XINQIAO_WECHAT_API_BASE=api, XINQIAO_QUIET_HOURS="", XINQIAO_DATABASE_POOL_SIZE="5")
        port = free_port()
        with open(Path(tmp) / "serve.log", "wb") as out:
            server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--demo", "--workers", "2", "--port",
                                       str(port)], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        soak = Soak(base=f"http://127.0.0.1:{port}")
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(soak.base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("xinqiao serve did not come up:\n" + (Path(tmp) / "serve.log").read_text()[-3000:])
                time.sleep(0.3)
            code = subprocess.run([sys.executable, "-m", "bot", "invite", "create", "--name", COUNSELLOR,
                                   "--role", "counsellor"], env=env, cwd=ROOT, capture_output=True, text=True)
            invite = re.search(r"绑定 ([A-Z0-9]{8})", code.stdout + code.stderr)
            if invite:
                params, body = soak.wechat_request("oCOUNSELLOR", f"绑定 {invite.group(1)}", 999_999_999)
                httpx.post(soak.base + "/wechat", params=params, content=body, timeout=10)
            log(f"xinqiao serve --workers 2 on {'PostgreSQL' if pg_url else 'SQLite'}; "
                f"{duration:g} s at {rate:g}/s; counsellor bound on WeChat: {bool(invite)}")
            asyncio.run(drive(duration, rate, soak, fake, cut, restore, server, log))
            log("traffic done; waiting for the spool, deliveries and pages to settle")
            asyncio.run(report(db_url, soak, log, COUNSELLOR))
            kept = Path(tempfile.gettempdir()) / "xinqiao-soak-serve.log"
            shutil.copy(Path(tmp) / "serve.log", kept)
            log(f"the server's log: {kept}")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
            if proxy is not None:
                proxy.close()


if __name__ == "__main__":
    main()
