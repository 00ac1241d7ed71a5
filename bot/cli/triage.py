"""`xinqiao triage`: JSON lines in, JSON lines out with a triage object; or one --text, highlighted."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.text import Text

from keywords import LexiconError, Triager

LEVEL_STYLE = {"red": "bold red", "orange": "bold dark_orange", "yellow": "yellow", "none": "green"}


def _load(extra: list[str]) -> Triager:
    from pathlib import Path

    from bot.config import Settings

    settings = Settings()
    paths = settings.extra_lexicon_paths + [Path(p) for p in extra]
    try:
        return Triager.load(extra=paths, cache_dir=settings.data_dir / "cache")
    except LexiconError as exc:
        Console(stderr=True).print(f"[red]lexicon error: {exc}[/red]")
        raise typer.Exit(2) from exc


triage_app = typer.Typer(help="Triage messages, and export counsellors' level corrections.")


@triage_app.callback(invoke_without_command=True)
def triage_command(
    ctx: typer.Context,
    text: str = typer.Option(None, "--text", help="triage one message and print a readable verdict"),
    extra: list[str] = typer.Option(None, "--extra", help="an extra term file (repeatable)"),  # noqa: B008
) -> None:
    """Triage messages: JSON lines on stdin (objects with `text`), or one `--text`."""
    if ctx.invoked_subcommand is not None:
        return
    triager = _load(extra or [])
    if text is not None:
        _print_verdict(triager, text)
        return
    for lineno, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            _emit({"line": lineno, "error": f"not JSON: {exc.msg}"})
            continue
        if not isinstance(obj, dict):
            _emit({"line": lineno, "error": "each line must be a JSON object"})
            continue
        if not isinstance(obj.get("text"), str):
            _emit({**obj, "error": "the object needs a string field 'text'"})
            continue
        obj["triage"] = triager.triage(obj["text"]).as_dict()
        _emit(obj)


@triage_app.command("corrections")
def corrections_command(
    since: str = typer.Option(..., "--since", help="corrections made on or after this date (YYYY-MM-DD, school time)"),
) -> None:
    """Counsellors' level corrections as labelled JSON lines (the format of the tuning sets), for improving triage."""
    from datetime import date, datetime, time

    from bot.cli.common import load_settings, run_in_session
    from bot.services.crisis.corrections import corrections
    from bot.services.school import audit

    settings = load_settings()
    try:
        start = datetime.combine(date.fromisoformat(since), time.min, settings.zone)
    except ValueError as exc:
        Console(stderr=True).print(f"[red]--since {since!r}: write a date as YYYY-MM-DD[/red]")
        raise typer.Exit(2) from exc

    async def work(session, school_id):
        lines = await corrections(session=session, school_id=school_id, since=start)
        audit.record(session, actor="cli", action="triage.corrections_export", target=f"lines:{len(lines)}",
                     school_id=school_id)
        return lines

    for line in run_in_session(settings, work):
        _emit(line)


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _print_verdict(triager: Triager, text: str) -> None:
    verdict = triager.triage(text)
    out = Console()
    out.print(Text(f"level: {verdict.level}", style=LEVEL_STYLE[verdict.level]),
              f" categories: {', '.join(verdict.categories) or '-'}")
    shown = Text(text)
    for ev in verdict.evidence:
        shown.stylize("reverse " + LEVEL_STYLE.get(ev.level, "yellow"), ev.start, ev.end)
    out.print(shown)
    for ev in verdict.evidence:
        why = ev.rule or "term"
        neg = " (negated)" if ev.negated else ""
        out.print(f"  [{ev.start}:{ev.end}] {ev.text!r} -> {ev.concept} {ev.level}/{ev.category}{neg}  ({why})",
                  markup=False, highlight=False)
