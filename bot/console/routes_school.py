"""Running a school in the console (issue 17): the roster import (upload, dry run, apply). It calls the same
service as the CLI (roster_import.run); every change is audited. The duty roster lives in routes_duty, the
figures for supervision in routes_figures; they share `require` and the form limits here."""

from __future__ import annotations

import re
import secrets
import time as clock_time
from email import policy
from email.parser import BytesParser
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import texts
from bot.console.context import Console, Ctx, view
from bot.console.pages import HEADERS, FormError, as_form, error_page, read_body, render
from bot.services.crisis.access import Refused
from bot.services.school.roster_import.kinds import KINDS
from bot.services.school.roster_import.reading import ImportFileError
from bot.services.school.roster_import.run import Preview, run_import
from bot.services.school.roster_import.template import template_bytes
from bot.texts import school as school_texts

UPLOAD_MAX = 5 * 1024 * 1024  # a roster of 50,000 rows fits; larger is refused (413) before it is parsed
UPLOAD_KEEP = 3600  # seconds an uploaded file waits for its apply step
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
UPLOAD_SCOPE = "xq_upload"
LIMITS = {"csrf": 100, "kind": 16, "token": 64, "name": 200, "days": 8, "from": 5, "to": 5, "person": 12,
          "backup": 12, "first": 10, "last": 10, "note": 200}
SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls", ".txt"}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def require(ctx: Ctx, roles: set[str]) -> None:
    if not ctx.staff.role_set & roles:
        raise Refused("forbidden")



def _upload_dir(ctx: Ctx) -> Path:
    folder = ctx.console.settings.data_dir / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = clock_time.time() - UPLOAD_KEEP
    for old in folder.glob("roster-*"):  # an abandoned preview's file does not stay
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    return folder


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]] | None:
    """The fields and files of a multipart/form-data body (stdlib parser); None when it is not one."""
    message = BytesParser(policy=policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1")
                                                         + b"\r\n\r\n" + body)
    if not message.is_multipart():
        return None
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or len(fields) + len(files) > 20:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            filename = filename.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            files[name] = (Path(filename.replace("\\", "/")).name[:200], bytes(payload))
        else:
            fields[name] = bytes(payload).decode("utf-8", "replace")[:300]
    return fields, files


def upload_view(console: Console, handler):  # noqa: ANN001, ANN201 - a view endpoint for one file upload
    """view() for a multipart form: the body is bounded and parsed here; its plain fields go on to view() as an
    ordinary form (so CSRF, the session and the transaction work as everywhere), the file rides in the scope."""
    inner = view(console, handler, limits=LIMITS)

    async def endpoint(request: Request) -> Response:
        kind = request.headers.get("content-type", "")
        if kind.split(";")[0].strip().lower() != "multipart/form-data":
            return error_page("media")
        too_large = texts.IMPORT_ERRORS["too_large"].format(mb=UPLOAD_MAX // (1024 * 1024))
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > UPLOAD_MAX + 64 * 1024:
            return error_page("too_large", too_large)
        body = await read_body(request, UPLOAD_MAX + 64 * 1024)
        if body is None:
            return error_page("too_large", too_large)
        parsed = _parse_multipart(kind, body)
        if parsed is None:
            return error_page("bad")
        fields, files = parsed
        return await inner(as_form(request, fields.items(), {UPLOAD_SCOPE: files}))

    return endpoint


def _import_page(ctx: Ctx, *, status: int = 200, **extra: object) -> Response:
    kinds = {name: module.TITLE for name, module in KINDS.items()}
    context: dict[str, object] = {"kinds": kinds, "mb": UPLOAD_MAX // (1024 * 1024), "actions": school_texts.ACTIONS,
                                   "preview": None, "error": "", "token": "", "kind": "", "name": "", **extra}
    return render("school_import.html", status=status, **ctx.page(**context))


async def import_page(ctx: Ctx) -> Response:
    require(ctx, {"admin"})
    return _import_page(ctx)


async def template(ctx: Ctx) -> Response:
    require(ctx, {"admin"})
    kind, fmt = ctx.request.path_params["kind"], ctx.request.path_params["fmt"]
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise Refused("unknown")
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="roster-{kind}.{fmt}"'}
    return Response(template_bytes(kind, fmt), media_type=FORMATS[fmt], headers=headers)


def _kind(ctx: Ctx) -> str:
    kind = ctx.form.get("kind", "")
    if kind not in KINDS:
        raise FormError("bad", texts.IMPORT_ERRORS["kind"])
    return kind


async def _run(ctx: Ctx, kind: str, data: bytes, name: str, dry_run: bool) -> Preview | str:
    try:
        return await run_import(session=ctx.session, school_id=ctx.staff.school_id, kind=kind, data=data, name=name,
                                dry_run=dry_run, actor=f"person:{ctx.staff.id}", address=ctx.address)
    except ImportFileError as err:
        return str(err)


async def import_preview(ctx: Ctx) -> Response:
    require(ctx, {"admin"})
    kind = _kind(ctx)
    files: dict[str, tuple[str, bytes]] = ctx.request.scope.get(UPLOAD_SCOPE, {})
    name, data = files.get("file", ("", b""))
    if not name:
        return _import_page(ctx, status=400, error=texts.IMPORT_ERRORS["no_file"], kind=kind)
    if not data:
        return _import_page(ctx, status=400, error=texts.IMPORT_ERRORS["empty"], kind=kind)
    result = await _run(ctx, kind, data, name, dry_run=True)
    if isinstance(result, str):
        return _import_page(ctx, status=400, error=result, kind=kind)
    token = ""
    if not result.problems:
        token = secrets.token_urlsafe(24)
        suffix = Path(name).suffix.lower()
        path = _upload_dir(ctx) / f"roster-{ctx.staff.id}-{kind}-{token}{suffix if suffix in SUFFIXES else ''}"
        path.write_bytes(data)
        path.chmod(0o600)
    ctx.audit("roster.preview", target=f"{kind}:rows:{len(result.rows) + len(result.problems)}")
    return _import_page(ctx, status=200 if not result.problems else 400, preview=result, token=token, kind=kind,
                        name=name)


async def import_apply(ctx: Ctx) -> Response:
    require(ctx, {"admin"})
    kind, token, name = _kind(ctx), ctx.form.get("token", ""), ctx.form.get("name", "")
    folder = _upload_dir(ctx)
    found = [p for p in folder.glob(f"roster-{ctx.staff.id}-{kind}-{token}*")] if TOKEN.fullmatch(token) else []
    if len(found) != 1:
        return _import_page(ctx, status=400, error=texts.IMPORT_ERRORS["expired"], kind=kind)
    path = found[0]
    data = path.read_bytes()
    try:
        result = await _run(ctx, kind, data, name or path.name, dry_run=False)
    finally:
        path.unlink(missing_ok=True)
    if isinstance(result, str):
        return _import_page(ctx, status=400, error=result, kind=kind)
    return _import_page(ctx, status=200 if result.applied else 400, preview=result, kind=kind, name=name)


def routes(console: Console) -> list[Route]:
    """The roster import pages."""
    return [
        Route("/school/import", view(console, import_page), methods=["GET"]),
        Route("/school/import", upload_view(console, import_preview), methods=["POST"]),
        Route("/school/import/apply", view(console, import_apply, limits=LIMITS), methods=["POST"]),
        Route("/school/import/template/{kind}.{fmt}", view(console, template), methods=["GET"]),
    ]
