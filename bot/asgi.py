"""The ASGI app as a factory, for `xinqiao serve --workers N` (each worker builds its own App)."""

from __future__ import annotations

import os

from starlette.applications import Starlette

from bot.app import App
from bot.config import Settings


def create_app() -> Starlette:
    """One worker's app; XINQIAO_SERVE_DEMO=1 seeds the demo (once, whichever worker gets there first)."""
    os.umask(0o077)  # inherited from `xinqiao serve` already; also when run by another ASGI server
    from bot.cli.root import setup_logging

    setup_logging()
    return App(Settings()).asgi(demo=os.environ.get("XINQIAO_SERVE_DEMO") == "1")
