"""One logging filter that keeps secrets and stored values out of every log line, at every level.

Installed by the app at start (App() and the CLI) as a wrapper of the log record factory, so it sees
every record of every logger before any handler does, whoever configured the handlers (uvicorn
configures its own after we start). It redacts:

- the configured secrets (platform secrets, tokens, AES keys, the server key) wherever they appear;
- `secret=`, `corpsecret=` and `access_token=` values in URLs (httpx logs request URLs at INFO);
- Telegram's `bot<token>` URL path;
- the message of a database error in a traceback: drivers quote the values they were given
  (asyncpg's DETAIL "Failing row contains (...)", "invalid input for query argument $1: '...'"), and
  those values are a note's text. The type, SQLSTATE and the statement (placeholders only, engines are
  created with hide_parameters=True) stay.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Iterable
from typing import Any

_URL_SECRETS = re.compile(r"((?:corp)?secret|access_token)=[^&\s\"'#<>]+", re.IGNORECASE)
_TELEGRAM_PATH = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")
_DB_MODULES = ("sqlalchemy", "asyncpg", "sqlite3", "psycopg")
MIN_SECRET = 8  # shorter configured values would blank out ordinary words; real secrets are longer
HIDDEN = "[redacted]"


def _is_db_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return module.split(".")[0] in _DB_MODULES


def _db_error_text(exc: BaseException) -> str:
    """What may be said of a database error: its type, SQLSTATE and statement, never its message."""
    parts = ["message withheld (database errors quote stored values)"]
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None)
    if sqlstate:
        parts.append(f"sqlstate {sqlstate}")
    if orig is not None:
        parts.append(f"driver error {type(orig).__module__}.{type(orig).__name__}")
    statement = getattr(exc, "statement", None)
    if statement:
        parts.append("statement: " + " ".join(str(statement).split())[:300])
    return "; ".join(parts)


def format_exception(exc_info: Any) -> str:
    """A traceback as logging prints it, with every database error's message withheld."""
    _type, value, tb = exc_info
    if value is None:
        return "".join(traceback.format_exception(_type, value, tb)).rstrip("\n")
    te = traceback.TracebackException(type(value), value, tb, compact=True)
    seen: set[int] = set()
    stack: list[tuple[traceback.TracebackException, BaseException]] = [(te, value)]
    while stack:  # the exception and its causes and contexts
        node, exc = stack.pop()
        if id(exc) in seen:
            continue
        seen.add(id(exc))
        if _is_db_error(exc):
            node._str = _db_error_text(exc)  # type: ignore[attr-defined]  # what format_exception_only prints
        if node.__cause__ is not None and exc.__cause__ is not None:
            stack.append((node.__cause__, exc.__cause__))
        if node.__context__ is not None and exc.__context__ is not None:
            stack.append((node.__context__, exc.__context__))
    return "".join(te.format()).rstrip("\n")


class RedactSecrets(logging.Filter):
    """Redacts secrets in a record's message, arguments, traceback and stack, in place."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, values: Iterable[str]) -> None:
        """Redact these values too (values shorter than MIN_SECRET are ignored)."""
        with self._lock:
            known = set(self._secrets) | {v for v in values if v and len(v) >= MIN_SECRET}
            self._secrets = tuple(sorted(known, key=len, reverse=True))  # longest first: no partial leftovers

    def redact(self, text: str) -> str:
        """The text with every secret replaced."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, HIDDEN)
        text = _URL_SECRETS.sub(lambda m: f"{m.group(1)}={HIDDEN}", text)
        return _TELEGRAM_PATH.sub("/bot" + HIDDEN, text)

    def _arg(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, BaseException) and _is_db_error(value):
            return f"{type(value).__name__}: {_db_error_text(value)}"
        text = str(value)
        redacted = self.redact(text)
        return value if redacted == text else redacted  # keep the type when nothing was secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record; never drop it."""
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        else:
            record.msg = self._arg(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._arg(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = format_exception(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


FILTER = RedactSecrets()
_installed = False
_install_lock = threading.Lock()


def install(secrets: Iterable[str]) -> RedactSecrets:
    """Redact these secrets (and the URL patterns) in every log record from now on; idempotent."""
    global _installed
    FILTER.add(secrets)
    with _install_lock:
        if not _installed:
            previous = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                FILTER.filter(record)
                return record

            logging.setLogRecordFactory(factory)
            _installed = True
    return FILTER
