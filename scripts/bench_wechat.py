"""`make bench-wechat`: encrypted WeChat pushes at `xinqiao serve` on PostgreSQL over loopback.

A second process (this one) starts `xinqiao serve --demo` on a scratch PostgreSQL database with the
Official Account in safe (AES) mode, builds pushes exactly as WeChat does (signature, AES framing,
one student per push, one push in ten a crisis that files a report, one in twenty a retry of an
earlier MsgId), and sends them open-loop at 50, 100 and 200 pushes a second for 10 s each. It prints
the rate achieved, p50 and p99 callback latency, and checks that every report was filed exactly once.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import xmltodict
from wechatpy.crypto import WeChatCrypto

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("XINQIAO_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "xinqiao_bench_wechat"
TOKEN, APP_ID = "bench-token", "wx-bench"
AES_KEY = base64.b64encode(hashlib.sha256(b"bench").digest()).decode()[:43]
RATES = [int(r) for r in os.environ.get("BENCH_RATES", "50,100,200").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
CRISIS = ["我今晚就从楼顶跳下去", "药我已经攒够了，今晚全吃掉", "我已经写好遗书了"]
CHAT = ["菜单", "求助热线", "你好", "今天好累啊", "考试好紧张", "谢谢"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pushes:
    """Builds signed, encrypted pushes; remembers which MsgIds are crises."""

    def __init__(self) -> None:
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        self.ids = itertools.count(10_000)
        self.crisis_ids: set[int] = set()
        self.sent_ids: list[tuple[int, str, str]] = []

    def build(self, n: int) -> list[tuple[dict[str, str], bytes, bool]]:
        out = []
        for i in range(n):
            retry = i % 20 == 19 and self.sent_ids
            if retry:
                msg_id, openid, text = self.sent_ids[-7]
            else:
                msg_id = next(self.ids)
                openid = f"oBENCH{msg_id}"
                text = CRISIS[msg_id % 3] if msg_id % 10 == 0 else CHAT[msg_id % len(CHAT)]
                if msg_id % 10 == 0:
                    self.crisis_ids.add(msg_id)
                self.sent_ids.append((msg_id, openid, text))
            ts, nonce = str(int(time.time())), f"{msg_id}-{i}-{time.time_ns()}"
            xml = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{openid}]]>"
                   f"</FromUserName><CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                   f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")
            framed = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, ts))["xml"]
            body = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{framed['Encrypt']}]]>"
                    f"</Encrypt></xml>").encode()
            sig = hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest()
            params = {"signature": sig, "timestamp": ts, "nonce": nonce, "openid": openid, "encrypt_type": "aes",
                      "msg_signature": framed["MsgSignature"]}
            out.append((params, body, bool(retry)))
        return out


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> bytes:
    """One HTTP/1.1 request on a kept-alive connection; returns the response body."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    return body if status == 200 else b""


async def run_rate(port: int, pushes: Pushes, rate: int) -> tuple[float, list[float], int]:
    """Send open-loop at a rate over kept-alive connections (raw HTTP/1.1: a light client, so that the
    machine's two cores measure the server, not the client); latency counts from each push's slot."""
    batch = pushes.build(int(rate * SECONDS))
    requests = []
    for params, body, _retry in batch:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        requests.append(f"POST /wechat?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (item := await queue.get()) is not None:
                slot, request = item
                try:
                    ok = b"<Encrypt>" in await _exchange(reader, writer, request)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                latencies.append((time.perf_counter() - slot) * 1000)
                errors += not ok
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(64)]
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    for i, request in enumerate(requests):
        slot = start + i / rate
        await asyncio.sleep(max(0.0, slot - time.perf_counter()))
        queue.put_nowait((slot, request))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    achieved = len(requests) / (time.perf_counter() - start)
    return achieved, latencies, errors


def cpu_seconds(root: int) -> float:
    """User+system CPU time of a process and its descendants (Linux /proc; 0.0 elsewhere)."""
    try:
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime+stime
    except OSError:
        return 0.0
    family, grew = {root}, True
    while grew:
        grew = False
        for pid, (ppid, _ticks) in stats.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    return sum(stats[pid][1] for pid in family if pid in stats) / os.sysconf("SC_CLK_TCK")


async def counts(url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(url)
    try:
        reports = await conn.fetchval("SELECT count(*) FROM reports WHERE kind = 'mailbox'")
        inbound = await conn.fetchval("SELECT count(*) FROM inbound_records WHERE channel = 'wechat'")
    finally:
        await conn.close()
    return reports, inbound


async def scratch(create: bool) -> bool:
    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if create:
            await conn.execute(f"CREATE DATABASE {DB}")
    finally:
        await conn.close()
    return True


def main() -> None:
    if not asyncio.run(scratch(create=True)):
        print("PostgreSQL is not reachable at " + PG_ADMIN.split("@")[-1] + ": bench-wechat needs it")
        sys.exit(1)
    db_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + DB
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XINQIAO_DATA_DIR=tmp, XINQIAO_DATABASE_URL=db_url, XINQIAO_SECRET_KEY="bench",
                   XINQIAO_WECHAT_TOKEN=TOKEN, XINQIAO_WECHAT_APP_ID=APP_ID, XINQIAO_WECHAT_APP_SECRET="s",
                   XINQIAO_WECHAT_AES_KEY=AES_KEY, XINQIAO_WECHAT_API_BASE="http://127.0.0.1:9")
        server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--demo", "--port", str(port),
                                   "--workers", WORKERS], env=env,
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("xinqiao serve did not come up")
                time.sleep(0.2)
            pushes = Pushes()
            asyncio.run(run_rate(port, pushes, 20))  # warm up (jieba, connections)
            print(f"encrypted WeChat pushes at xinqiao serve --workers {WORKERS} (PostgreSQL, loopback), "
                  f"{SECONDS:g} s per rate; "
                  "10% crises that file a report, 5% retries of an earlier MsgId")
            for rate in RATES:
                cpu_before = cpu_seconds(server.pid)
                achieved, lat, errors = asyncio.run(run_rate(port, pushes, rate))
                cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / len(lat)
                ordered = sorted(lat)
                p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
                print(f"  offered {rate:4d}/s  achieved {achieved:6.1f}/s  p50 {statistics.median(ordered):6.1f} ms"
                      f"  p99 {p99:7.1f} ms  max {ordered[-1]:7.1f} ms  errors {errors}  "
                      f"server CPU {cpu_ms:4.1f} ms a push", flush=True)
            time.sleep(1)
            reports, inbound = asyncio.run(counts(db_url.replace("postgresql://", "postgres://")))
            expected = len(pushes.crisis_ids)
            unique = len({m for m, _o, _t in pushes.sent_ids})
            print(f"  reports filed {reports} for {expected} crisis pushes; inbound records {inbound} for {unique} "
                  f"MsgIds: {'none lost, none doubled' if (reports, inbound) == (expected, unique) else 'MISMATCH'}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            asyncio.run(scratch(create=False))


if __name__ == "__main__":
    main()
