"""The ASGI app as a factory, for `xinqiao serve --workers N` (each worker builds its own App)."""

from __future__ import annotations

import faulthandler
import os

from starlette.applications import Starlette

from bot.app import App
from bot.config import Settings


def create_app() -> Starlette:
    """One worker's app; XINQIAO_SERVE_DEMO=1 seeds the demo (once, whichever worker gets there first)."""
    faulthandler.enable()  # a fatal signal in a worker leaves a traceback in the log
    return App(Settings()).asgi(demo=os.environ.get("XINQIAO_SERVE_DEMO") == "1")
