"""The soak's figures, read from the database once everything has settled: lost, doubled, time to first page."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.config import normalise_database_url
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import CaseEvent, Identity, InboundRecord, OutboxMessage, Page, Person, Report, Thread, ThreadMessage
from bot.services.messaging.inbound import dedupe_key
from bot.services.messaging.sealing import Sealer

SETTLE_SECONDS = 240
_MARKER = re.compile(r"#(S\d+)")


@dataclass
class Sent:
    """One message the soak sent (and retried until answered)."""

    marker: str
    channel: str
    key: str
    red: bool
    flood: bool
    at: float  # wall clock, when it was first sent


async def _state(url: str, counsellor: str) -> dict[str, Any]:
    engine = make_engine(normalise_database_url(url))
    try:
        async with make_sessionmaker(engine)() as s:
            person_id = (await s.execute(select(Person.id).where(Person.name == counsellor))).scalar_one()
            keys = {(c, k) for c, k in (await s.execute(select(InboundRecord.channel, InboundRecord.dedupe_key)))}
            reports = [(t, c) for t, c in (await s.execute(
                select(Report.text, Report.case_id).where(Report.kind == "mailbox")))]
            # A further message from a sender in their note's thread (the flood's, mostly) is filed there.
            in_threads = [(t, c) for t, c in (await s.execute(
                select(ThreadMessage.text, Thread.case_id).join(Thread, Thread.id == ThreadMessage.thread_id)
                .where(ThreadMessage.author == "student")))]
            first: dict[int, datetime] = dict((await s.execute(  # type: ignore[arg-type]
                select(OutboxMessage.case_id, func.min(OutboxMessage.sent_at))
                .where(OutboxMessage.kind == "page", OutboxMessage.state == "sent", OutboxMessage.channel == "web",
                       OutboxMessage.person_id == person_id).group_by(OutboxMessage.case_id))).all())
            doubled_pages = (await s.execute(
                select(Page.case_id).where(Page.person_id == person_id, Page.channel == "web", Page.step == 0,
                                           Page.round == 0, Page.reason == "step")
                .group_by(Page.case_id).having(func.count(Page.id) > 1))).scalars().all()
            wechat_bound = bool((await s.execute(select(Identity.id).where(
                Identity.person_id == person_id, Identity.channel == "wechat"))).first())
            wechat_pages = dict((await s.execute(
                select(OutboxMessage.state, func.count(OutboxMessage.id))
                .where(OutboxMessage.kind == "page", OutboxMessage.channel == "wechat")
                .group_by(OutboxMessage.state))).all())
            replayed = (await s.execute(select(func.count(CaseEvent.id)).where(
                CaseEvent.kind == "replayed_from_spool"))).scalar_one()
    finally:
        await engine.dispose()
    return {"replayed": replayed, "keys": keys, "reports": reports, "in_threads": in_threads,
            "first": first, "doubled_pages": list(doubled_pages),
            "wechat_bound": wechat_bound, "wechat_pages": wechat_pages}


def _case_of(state: dict[str, Any]) -> tuple[dict[str, int], Counter[str]]:
    """Each red message's case (filed as a report, or as a message in its sender's thread), and how many
    times each was filed (a report and a thread message of one note count once; twice in either is doubled)."""
    cases: dict[str, int] = {}
    count: Counter[str] = Counter()
    for source in ("reports", "in_threads"):
        seen: Counter[str] = Counter()
        for text, case_id in state[source]:
            m = _MARKER.search(text or "")
            if m and case_id is not None:
                cases.setdefault(m.group(1), case_id)
                seen[m.group(1)] += 1
        for marker, n in seen.items():
            count[marker] = max(count[marker], n)
    return cases, count


async def report(url: str, soak: Any, log: Any, counsellor: str = "陈老师（心理教师）", secret: str = "soak") -> None:
    """Wait until every red message has a case with a delivered page (or SETTLE_SECONDS), then print."""
    reds = [m for m in soak.sent if m.red]
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        state = await _state(url, counsellor)
        cases, _count = _case_of(state)
        paged = sum(1 for m in reds if cases.get(m.marker) in state["first"])
        async with httpx.AsyncClient() as client:
            try:
                healthy = (await client.get(soak.base + "/healthz", timeout=10)).status_code == 200
            except httpx.HTTPError:
                healthy = False
        if (paged == len(reds) and healthy) or time.monotonic() > deadline:
            break
        await asyncio.sleep(2)
    cases, count = _case_of(state)
    sealer = Sealer(secret)  # a message's record is kept under a keyed hash of its platform id
    lost_messages = [m for m in soak.sent if (m.channel, dedupe_key(sealer, m.channel, m.key)) not in state["keys"]]
    lost_reports = [m for m in reds if m.marker not in cases]
    doubled_reports = [marker for marker, n in count.items() if n > 1]
    unpaged = [m for m in reds if cases.get(m.marker) not in state["first"]]
    real = [(state["first"][cases[m.marker]].timestamp() - m.at) for m in reds
            if not m.flood and cases.get(m.marker) in state["first"]]
    real.sort()
    print()
    print(f"sent {len(soak.sent)} messages ({sum(m.channel == 'wechat' for m in soak.sent)} WeChat pushes, "
          f"{sum(m.channel == 'web' for m in soak.sent)} web chat), {len(reds)} red "
          f"({sum(m.flood for m in reds)} of them one sender's flood); {soak.failures} attempts failed and were "
          f"retried, {soak.unanswered} never answered, {soak.red_without_resources} red answers without 12356")
    print(f"reports: expected {len(reds)}, found {len(cases)} "
          "(distinct red messages filed: as a report, or in their sender's thread)")
    print(f"pages to the on-duty counsellor (web): expected {len(reds)}, found {len(reds) - len(unpaged)}; "
          f"WeChat pages by state {state['wechat_pages']} (counsellor bound on WeChat: {state['wechat_bound']})")
    lost = len(lost_messages) + len(lost_reports) + len(unpaged)
    doubled = len(doubled_reports) + len(state["doubled_pages"])
    print(f"lost {lost} (messages unrecorded {len(lost_messages)}, red unfiled {len(lost_reports)}, "
          f"red unpaged {len(unpaged)}); doubled {doubled} (reports {len(doubled_reports)}, "
          f"first pages {len(state['doubled_pages'])})")
    if real:
        p99 = real[max(0, int(len(real) * 0.99) - 1)]
        print(f"real red message -> first page delivered: p50 {statistics.median(real):.2f} s, p99 {p99:.2f} s, "
              f"longest {real[-1]:.2f} s ({len(real)} messages)")
    for name, start, end in soak.phases:  # a red message sent during a fault or within 30 s after it
        hit = sorted(state["first"][cases[m.marker]].timestamp() - m.at for m in reds
                     if not m.flood and start <= m.at <= end + 30 and cases.get(m.marker) in state["first"])
        if hit:
            print(f"  sent during '{name}' or the 30 s after: {len(hit)} real red, longest {hit[-1]:.2f} s, "
                  f"p50 {statistics.median(hit):.2f} s")
    calm = sorted(state["first"][cases[m.marker]].timestamp() - m.at for m in reds
                  if not m.flood and cases.get(m.marker) in state["first"]
                  and not any(s <= m.at <= e + 30 for _n, s, e in soak.phases))
    if calm:
        print(f"  sent with no fault near: {len(calm)} real red, longest {calm[-1]:.2f} s, "
              f"p50 {statistics.median(calm):.2f} s")
    print(f"/healthz: slowest answer {soak.health_max:.2f} s; most messages spooled at once {soak.spooled_max}; "
          f"cases filed by the spool's replay {state['replayed']}")
    log("done")
