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


def triage_command(
    text: str = typer.Option(None, "--text", help="triage one message and print a readable verdict"),
    extra: list[str] = typer.Option(None, "--extra", help="an extra term file (repeatable)"),  # noqa: B008
) -> None:
    """Triage messages: JSON lines on stdin (objects with `text`), or one `--text`."""
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
