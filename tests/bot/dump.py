"""An attacker's view of the database: every table, every column, every value, with the times hidden in it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncEngine

_ISO = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)?")
_FERNET = re.compile(r"gAAAAA[A-Za-z0-9_-]{40,}={0,2}")


@dataclass(frozen=True)
class Cell:
    """One value of one row of one table, as text, with the row it came from."""

    table: str
    column: str
    text: str
    row: dict[str, Any]


async def dump(engine: AsyncEngine) -> list[Cell]:
    """Every value of every column of every table (reflected, as an attacker with a backup would see it)."""
    meta = MetaData()
    async with engine.connect() as conn:
        await conn.run_sync(meta.reflect)
        cells = []
        for table in meta.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                plain = dict(row)
                cells += [Cell(table.name, column, "" if value is None else str(value), plain)
                          for column, value in plain.items()]
    return cells


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def times_in(value: Any) -> list[datetime]:
    """Every time readable without a key in a value: datetimes, ISO strings, and Fernet tokens' clear timestamps."""
    if isinstance(value, datetime):
        return [_aware(value)]
    text = str(value)
    found = []
    for m in _ISO.finditer(text):
        try:
            found.append(_aware(datetime.fromisoformat(m.group(0).replace("Z", "+00:00"))))
        except ValueError:
            pass
    for m in _FERNET.finditer(text):
        token = m.group(0)
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            continue
        if raw[:1] == b"\x80" and len(raw) > 9:
            found.append(datetime.fromtimestamp(int.from_bytes(raw[1:9], "big"), UTC))
    return found


def derived(channel: str, address: str) -> set[str]:
    """What anyone can compute from an address without the server key: hashes and encodings of the usual forms."""
    forms = {address, f"{channel}:{address}", f"{channel}\n{address}", f"{channel}{address}", f"{channel}/{address}"}
    out = set()
    for form in forms:
        data = form.encode()
        out.add(form)
        for name in ("md5", "sha1", "sha224", "sha256", "sha512", "blake2b"):
            digest = hashlib.new(name, data)
            out |= {digest.hexdigest(), digest.hexdigest().upper(), digest.hexdigest()[:32], digest.hexdigest()[:16]}
            out.add(base64.b64encode(digest.digest()).decode().rstrip("="))
            out.add(base64.urlsafe_b64encode(digest.digest()).decode().rstrip("="))
        out |= {base64.b64encode(data).decode().rstrip("="), base64.urlsafe_b64encode(data).decode().rstrip("="),
                data.hex()}
    return {d for d in out if len(d) >= 6}
