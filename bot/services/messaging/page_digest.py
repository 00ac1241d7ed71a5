"""Several pages waiting for one person on a rate-limited channel, as one message (a digest)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.db.models import OutboxMessage
from bot.services.crisis.paging import ACK_OPTION, LEVEL_NAMES, excerpt

MAX_CASES = 10  # pages in one digest; more wait for the next one (and the limit's next slot)
MAX_OPTIONS = 5
HEAD = "【心桥预警】{count} 个新的{what}案例：{ids}"
HEAD_NEWS = "【心桥预警】{count} 个{what}案例有新消息：{ids}"  # when a notice to a thread's holder is among them
LINE = "#{case_id} {level}｜{where}｜{gist}"
NEWS = "新消息"  # the `where` of a notice's line: its gist is the notice's first line (with the thread code)
ACK = "请逐个确认接手：回复{each}（只回复「收到」确认的是最新的一个）。回复「待处理」可看全部待处理的案例。"
WHAT = {"red": "红色", "orange": "橙色"}


def _fields(text: str) -> dict[str, str]:
    """The labelled lines of a page (paging.PAGE_TEXT: 来源, 摘要), or the first line as its gist."""
    fields = dict(line.split("：", 1) for line in text.splitlines() if "：" in line)
    if "摘要" not in fields:
        fields["摘要"] = next((line for line in text.splitlines() if line.strip()), "")
    return fields


def digest(rows: Sequence[OutboxMessage], levels: dict[int, str]) -> tuple[str, list[str]]:
    """The digest's text and options: every case once, in the order given, with how to acknowledge each."""
    seen: dict[int, OutboxMessage] = {}
    for row in rows:
        if row.case_id is not None:
            seen.setdefault(row.case_id, row)
    ids = list(seen)
    kinds = {levels.get(case_id, "") for case_id in ids}
    what = WHAT.get(kinds.pop(), "紧急") if len(kinds) == 1 else "紧急"
    head = HEAD if all(row.kind == "page" for row in rows) else HEAD_NEWS
    lines = [head.format(count=len(ids), what=what, ids=" ".join(f"#{i}" for i in ids))]
    for case_id, row in seen.items():
        level = LEVEL_NAMES.get(levels.get(case_id, ""), "预警")
        if row.kind != "page":
            first = next((line for line in row.text.splitlines() if line.strip()), "")
            lines.append(LINE.format(case_id=case_id, level=level, where=NEWS, gist=excerpt(first, 60)))
            continue
        fields = _fields(row.text)
        lines.append(LINE.format(case_id=case_id, level=level, where=fields.get("来源", "案例"),
                                 gist=excerpt(fields["摘要"], 30)))
    options = [o for row in seen.values() for o in row.options][:MAX_OPTIONS]
    unacked = [case_id for case_id, row in seen.items() if row.options]
    if unacked:
        lines.append(ACK.format(each="".join(f"「{ACK_OPTION.format(case_id=c)}」" for c in unacked)))
    return "\n".join(lines), options
