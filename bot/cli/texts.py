"""`xinqiao texts list | check`: the texts a school may override in <data_dir>/texts.toml, and checking such a file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from bot.cli.common import load_settings
from bot.texts import catalogue

texts_app = typer.Typer(help="The texts people read: list the keys, check a school's texts.toml.",
                        no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


@texts_app.command("list")
def list_command(flow: str = typer.Argument(None, help="only this catalogue (menu, bind, mailbox, crisis …)")) -> None:
    """Every overridable text with its default, as TOML to copy into texts.toml (crisis texts marked)."""
    flows = [catalogue.flow_name(m) for m in catalogue.CATALOGUES]
    if flow is not None and flow not in flows:
        err.print(f"unknown catalogue {flow!r}: the catalogues are {', '.join(flows)}", style="red", markup=False)
        raise typer.Exit(2)
    table = None
    # the plain texts of a catalogue first, then its tables: TOML allows each table header once
    for entry in sorted(catalogue.entries(flow), key=lambda e: (flows.index(e.flow), e.item is not None)):
        name = entry.name if entry.item is None else entry.item
        where = entry.flow if entry.item is None else f"{entry.flow}.{entry.name}"
        if where != table:
            out.print(f"\n[{where}]", markup=False)
            table = where
        if entry.crisis:
            out.print("# crisis text: a rewording must pass the safe-reply rules (xinqiao texts check)", markup=False)
        key = name if name.isascii() and name.replace("_", "").isalnum() else _toml(name)
        out.print(f"{key} = {_toml(entry.default)}", markup=False)


@texts_app.command("check")
def check_command(
    file: Path = typer.Argument(None, help="the overrides to check (default: <data_dir>/texts.toml)"),  # noqa: B008
) -> None:
    """Check the defaults plus an override file: keys, placeholders, and the safe-reply rules; exit 1 on any failure."""
    settings = load_settings()
    path = file or catalogue.path_of(settings)
    overrides: dict[str, str] = {}
    problems: list[catalogue.Problem] = []
    if file is not None and not file.exists():
        err.print(f"{file}: no such file", style="red", markup=False)
        raise typer.Exit(2)
    if path.exists():
        overrides, problems = catalogue.parse(path)
    problems += catalogue.check(overrides, settings, path=path if path.exists() else None)
    for problem in problems:
        out.print(str(problem), markup=False)
    checked = sum(1 for e in catalogue.entries() if e.crisis)
    source = f"{path} ({len(overrides)} overrides)" if path.exists() else "the defaults (no texts.toml)"
    if problems:
        err.print(f"{len(problems)} problem(s) in {source}: the server refuses this file", style="red", markup=False)
        raise typer.Exit(1)
    out.print(f"ok: {source}; {checked} crisis texts pass the safe-reply rules", markup=False)
