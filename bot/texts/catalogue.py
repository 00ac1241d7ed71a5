"""All catalogues as one set of keys (`menu.GREETING`, `bind.REFUSED.used`), and a school's overrides.

A school writes <data_dir>/texts.toml, one table per flow:

    [menu]
    GREETING = "你好，这里是{school_name}的心桥。请选择："

    [bind.REFUSED]
    used = "这个邀请码已经用过了，请向心理老师要一个新的。"

`read` parses and validates it (unknown key, a label, wrong type, a placeholder set other than the
default's, bad braces, bad TOML: each named with the file, the line where it can be found, and the
key); `check` runs the safe-reply rules on every crisis text as it would be served (defaults plus
overrides) and the words other code reads back (MUST_KEEP); `load` does both and applies the file,
or raises TextsError and applies nothing. Labels (OPT_*, LABELS) are never overridable: a command
matches them, buttons already queued carry them, and members are taught them.
"""

from __future__ import annotations

import copy
import difflib
import logging
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from bot.config import Settings
from bot.texts import (
    bind,
    cases,
    channels,
    checkin,
    console,
    console_schedules,
    console_school,
    console_students,
    counsellor,
    crisis,
    mailbox,
    menu,
    paging,
    reminders,
    report,
    safe_rules,
    school,
    student_chat,
    students,
    training,
)
from bot.texts.problems import Problem, TextsError, line_of

log = logging.getLogger(__name__)

CATALOGUES: tuple[ModuleType, ...] = (menu, bind, mailbox, report, checkin, training, counsellor, cases, crisis,
                                      paging, reminders, channels, school,
                                      students, student_chat, console, console_school, console_students,
                                      console_schedules)
FILE_NAME = "texts.toml"


@dataclass(frozen=True)
class Entry:
    """One overridable text: where it lives and its default."""

    key: str
    module: ModuleType
    name: str
    item: str | None  # the key inside a dict of texts
    default: str

    @property
    def flow(self) -> str:
        """The catalogue's name."""
        return self.key.split(".", 1)[0]

    @property
    def crisis(self) -> bool:
        """A fixed crisis text: reworded only if it passes the safe-reply rules."""
        return safe_rules.is_crisis(self.key)


def flow_name(module: ModuleType) -> str:
    """`bot.texts.menu` -> `menu`."""
    return module.__name__.rpartition(".")[2]


def _is_label(module: ModuleType, name: str) -> bool:
    return name.startswith("OPT_") or name in getattr(module, "LABELS", ()) or name in ("LABELS", "MUST_KEEP")


def _collect() -> tuple[dict[str, Entry], set[str]]:
    entries: dict[str, Entry] = {}
    fixed: set[str] = set()
    for module in CATALOGUES:
        flow = flow_name(module)
        for name, value in vars(module).items():
            if not name.isupper() or name.startswith("_") or isinstance(value, ModuleType):
                continue
            key = f"{flow}.{name}"
            texts = isinstance(value, str) or (isinstance(value, dict) and value and all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()))
            if _is_label(module, name) or not texts:
                fixed.add(key)
                if isinstance(value, dict):
                    fixed.update(f"{key}.{k}" for k in value)
            elif isinstance(value, str):
                entries[key] = Entry(key, module, name, None, value)
            else:
                for item, text in value.items():
                    entries[f"{key}.{item}"] = Entry(f"{key}.{item}", module, name, item, text)
    return entries, fixed


ENTRIES, FIXED = _collect()  # the defaults, as the modules hold them at import
TABLES = {e.key.rpartition(".")[0] for e in ENTRIES.values() if e.item is not None}
_DEFAULT_DICTS = {(e.module, e.name): copy.copy(getattr(e.module, e.name)) for e in ENTRIES.values() if e.item}


def fields(text: str) -> set[str]:
    """The placeholders of a text (`{case_id}` -> case_id); ValueError on unbalanced braces."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def entries(flow: str | None = None) -> list[Entry]:
    """Every overridable text, in catalogue order (of one flow when given)."""
    return [e for e in ENTRIES.values() if flow is None or e.flow == flow]


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and key not in ENTRIES:
            out += _flatten(value, key) if value else [(key, value)]
        else:
            out.append((key, value))
    return out


def _why_unknown(key: str) -> str:
    close = difflib.get_close_matches(key, list(ENTRIES), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    flow = key.split(".", 1)[0]
    if flow not in {flow_name(m) for m in CATALOGUES}:
        flows = ", ".join(flow_name(m) for m in CATALOGUES)
        return f"unknown catalogue {flow!r}: the catalogues are {flows}{hint}"
    return f"unknown key: no such text (`xinqiao texts list {flow}` lists them){hint}"


def validate(overrides: dict[str, Any], source: str = "", file: str = "") -> tuple[dict[str, str], list[Problem]]:
    """The overrides as key -> text, and every problem with them (keys, types, placeholders)."""
    good: dict[str, str] = {}
    problems: list[Problem] = []

    def bad(key: str, reason: str) -> None:
        problems.append(Problem(key, reason, file, line_of(source, key)))

    for key, value in _flatten(overrides):
        entry = ENTRIES.get(key)
        if entry is None:
            if key in FIXED:
                bad(key, "a label or word list a command matches: not overridable (reword the texts around it)")
            elif key in TABLES:
                bad(key, f"wrong type: a table of texts ([{key}] with its keys), not {type(value).__name__}")
            else:
                bad(key, _why_unknown(key))
            continue
        if not isinstance(value, str):
            bad(key, f"wrong type: a text (a string) is needed, not {type(value).__name__}")
            continue
        if not value.strip() and entry.default.strip():
            bad(key, "empty: a person would read nothing")
            continue
        try:
            got = fields(value)
        except ValueError as exc:
            bad(key, f"bad braces ({exc}): write a literal brace as {{{{ or }}}}")
            continue
        want = fields(entry.default)
        if got != want:
            missing, extra = sorted(want - got), sorted(got - want)
            parts = ([f"missing {', '.join('{' + f + '}' for f in missing)}"] if missing else []) + \
                    ([f"unknown {', '.join('{' + f + '}' for f in extra)}"] if extra else [])
            need = ", ".join("{" + f + "}" for f in sorted(want)) or "none"
            bad(key, f"placeholders must be the default's ({need}): {'; '.join(parts)}")
            continue
        good[key] = value
    return good, problems


def parse(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """The usable overrides of a texts.toml, and every problem (file, line, key) with the rest."""
    file = str(path)
    try:
        raw = path.read_bytes()
        source = raw.decode("utf-8")
    except OSError as exc:
        return {}, [Problem("", f"cannot read: {exc.strerror}", file)]
    except UnicodeDecodeError as exc:
        return {}, [Problem("", "not UTF-8 text (save the file as UTF-8)", file, raw[: exc.start].count(b"\n") + 1)]
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        return {}, [Problem("", f"not valid TOML: {exc}", file, int(m.group(1)) if m else None)]
    return validate(data, source, file)


def read(path: Path) -> dict[str, str]:
    """The overrides of a texts.toml, validated; TextsError naming the file, line and key of each problem."""
    good, problems = parse(path)
    if problems:
        raise TextsError(problems)
    return good


def check(overrides: dict[str, str], settings: Settings, *, path: Path | None = None) -> list[Problem]:
    """The safe-reply rules on every crisis text as served (an override, else the default), and MUST_KEEP."""
    file = str(path) if path else ""
    source = path.read_text(encoding="utf-8") if path and path.exists() else ""
    problems: list[Problem] = []
    keep = {key: words for module in CATALOGUES for key, words in getattr(module, "MUST_KEEP", {}).items()}
    for entry in ENTRIES.values():
        text = overrides.get(entry.key, entry.default)
        found = safe_rules.template_violations(text, entry.key, settings) if entry.crisis else []
        found += [f"must keep 「{word}」 (other code reads it back)"
                  for word in keep.get(entry.key, ()) if word not in text]
        if found:
            where = (file, line_of(source, entry.key)) if entry.key in overrides else ("(default)", None)
            problems += [Problem(entry.key, why, *where) for why in found]
    return problems


def apply(overrides: dict[str, str]) -> None:
    """Every text back to its default, then the overrides (keys as validated)."""
    for (module, name), default in _DEFAULT_DICTS.items():
        live = getattr(module, name)
        live.clear()
        live.update(default)
    for entry in ENTRIES.values():
        if entry.item is None:
            setattr(entry.module, entry.name, entry.default)
    for key, text in overrides.items():
        entry = ENTRIES[key]
        if entry.item is None:
            setattr(entry.module, entry.name, text)
        else:
            getattr(entry.module, entry.name)[entry.item] = text


def path_of(settings: Settings) -> Path:
    """Where a school's overrides live."""
    return settings.data_dir / FILE_NAME


def load(settings: Settings) -> int:
    """Apply the school's texts.toml (if any) after checking it whole; TextsError and nothing applied if bad."""
    apply({})
    path = path_of(settings)
    if not path.exists():
        return 0
    overrides = read(path)
    problems = check(overrides, settings, path=path)
    if problems:
        raise TextsError(problems)
    apply(overrides)
    log.info("texts: %d overrides from %s", len(overrides), path)
    return len(overrides)
