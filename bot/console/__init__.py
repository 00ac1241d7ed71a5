"""The staff web console at /console: server-rendered pages on the same Starlette app, calling services only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.console import (
    routes_auth,
    routes_cases,
    routes_duty,
    routes_figures,
    routes_history,
    routes_people,
    routes_readiness,
    routes_schedules,
    routes_school,
    routes_student_tasks,
    routes_students,
    routes_training,
)
from bot.console.context import PREFIX, Console
from bot.console.pages import HERE, error_page

__all__ = ["Console", "mount"]


async def _not_found(_request: Request) -> Response:
    return error_page("unknown")


def mount(console: Console) -> Mount:
    """Every console route under /console, its static files (vendored htmx with its licence) included."""
    routes = [*routes_auth.routes(console), *routes_cases.routes(console), *routes_history.routes(console),
              *routes_people.routes(console),
              *routes_school.routes(console), *routes_duty.routes(console),
              *routes_figures.routes(console), *routes_readiness.routes(console),
              *routes_training.routes(console),
              *routes_schedules.routes(console),
              *routes_students.routes(console), *routes_student_tasks.routes(console),
              Mount("/static", StaticFiles(directory=HERE / "static"), name="console-static"),
              Route("/{rest:path}", _not_found, methods=["GET", "POST"])]
    return Mount(PREFIX, routes=routes)
