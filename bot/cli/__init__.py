"""The `xinqiao` command (also `python -m bot`): one module per command group beside this one.

The typer app is assembled in bot/cli/root.py; shared helpers (load_settings, run_in_session) are in
bot/cli/common.py, so no command module imports the package root.
"""

from __future__ import annotations


def main() -> None:
    """Run the console script."""
    from bot.cli.root import main as run

    run()
