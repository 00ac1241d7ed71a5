"""Several pages waiting for one person on a rate-limited channel, as one message (a digest)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.db.models import OutboxMessage
from bot.services.crisis.paging import ACK_OPTION, excerpt
from bot.services.school import console_links
from bot.texts import paging as T

MAX_CASES = 10  # pages in one digest; more wait for the next one (and the limit's next slot)
MAX_OPTIONS = 5


def _fields(text: str) -> dict[str, str]:
    """The labelled lines of a page (paging.PAGE_TEXT: 来源, 摘要), or the first line as its gist."""
    fields = dict(line.split("：", 1) for line in text.splitlines() if "：" in line)
    if T.FIELD_GIST not in fields:
        fields[T.FIELD_GIST] = next((line for line in text.splitlines() if line.strip()), "")
    return fields


def digest(rows: Sequence[OutboxMessage], levels: dict[int, str]) -> tuple[str, list[str]]:
    """The digest's text and options: every case once, in the order given, with how to acknowledge each."""
    seen: dict[int, OutboxMessage] = {}
    for row in rows:
        if row.case_id is not None:
            seen.setdefault(row.case_id, row)
    ids = list(seen)
    kinds = {levels.get(case_id, "") for case_id in ids}
    what = T.DIGEST_WHAT.get(kinds.pop(), T.DIGEST_URGENT) if len(kinds) == 1 else T.DIGEST_URGENT
    head = T.DIGEST_HEAD if all(row.kind == "page" for row in rows) else T.DIGEST_HEAD_NEWS
    lines = [head.format(count=len(ids), what=what, ids=" ".join(f"#{i}" for i in ids))]
    for case_id, row in seen.items():
        level = T.LEVEL_NAMES.get(levels.get(case_id, ""), T.DIGEST_LEVEL)
        if row.kind != "page":
            first = next((line for line in row.text.splitlines() if line.strip()), "")
            lines.append(T.DIGEST_LINE.format(case_id=case_id, level=level, where=T.DIGEST_NEWS,
                                              gist=excerpt(first, 60)))
            _link(lines, case_id)
            continue
        fields = _fields(row.text)
        lines.append(T.DIGEST_LINE.format(case_id=case_id, level=level,
                                          where=fields.get(T.FIELD_SOURCE, T.DIGEST_CASE),
                                          gist=excerpt(fields[T.FIELD_GIST], 30)))
        _link(lines, case_id)
    options = [o for row in seen.values() for o in row.options][:MAX_OPTIONS]
    unacked = [case_id for case_id, row in seen.items() if row.options]
    if unacked:
        lines.append(T.DIGEST_ACK.format(each="".join(f"「{ACK_OPTION.format(case_id=c)}」" for c in unacked)))
    return "\n".join(lines), options


def _link(lines: list[str], case_id: int) -> None:
    """Each case of a digest keeps its console link (XINQIAO_PUBLIC_URL set), as its own page would carry."""
    if url := console_links.case_url(case_id):
        lines.append(T.DIGEST_LINK.format(url=url))
