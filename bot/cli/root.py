"""The `xinqiao` command (also `python -m bot`)."""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import os

import typer
from rich.console import Console

from bot.cli.audit import audit_app
from bot.cli.backup import backup_command, restore_command
from bot.cli.cases import cases_app
from bot.cli.checkins import checkins_app
from bot.cli.common import load_settings, texts_ok
from bot.cli.doctor import doctor_app
from bot.cli.duty import duty_app
from bot.cli.group import group_app
from bot.cli.institutions import institutions_app
from bot.cli.invite import invite_app
from bot.cli.period import period_app
from bot.cli.policy import policy_app
from bot.cli.reminders import reminders_app
from bot.cli.report import report_app
from bot.cli.roster import roster_app
from bot.cli.student_plans import students_app  # the students group, with the file's commands
from bot.cli.texts import texts_app
from bot.cli.training import training_app
from bot.cli.triage import triage_app
from bot.cli.user import user_app

app = typer.Typer(help="心桥 xinqiao: crisis reporting and triage bot for schools.", no_args_is_help=True,
                  add_completion=False)
app.add_typer(invite_app, name="invite")
app.add_typer(cases_app, name="cases")
app.add_typer(duty_app, name="duty")
app.add_typer(policy_app, name="policy")
app.add_typer(training_app, name="training")
app.add_typer(checkins_app, name="checkins")
app.add_typer(period_app, name="period")
app.add_typer(reminders_app, name="reminders")
app.add_typer(group_app, name="group")
app.add_typer(report_app, name="report")
app.add_typer(texts_app, name="texts")
app.add_typer(roster_app, name="roster")
app.add_typer(doctor_app, name="doctor")
app.add_typer(students_app, name="students")
app.add_typer(institutions_app, name="institutions")
app.add_typer(triage_app, name="triage")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
err = Console(stderr=True)
WEBCHAT_SAYS = {
    "off": "web chat: off (XINQIAO_WEBCHAT=on turns it on; /chat answers 404)",
    "on": "web chat: ON at /chat, senders known by per-browser tokens, staff refused",
    "demo": "web chat: DEMO at /chat, anyone types any user name (the demo users are bound, staff included)",
}
WEBCHAT_WARNS = {
    "on": "[bold red]WARNING: the web chat is on outside the demo (XINQIAO_WEBCHAT=on): anyone who reaches /chat "
          "can write anonymous notes. Expose it only if the school wants that (deploy/nginx.conf).[/bold red]",
    "demo": "[bold red]WARNING: the DEMO web chat is on outside the demo (XINQIAO_WEBCHAT=demo): anyone who reaches "
            "/chat can act as any user, counsellors included, close cases and read every page. Never expose it; "
            "use XINQIAO_WEBCHAT=on or off.[/bold red]",
}


def setup_logging() -> None:
    """The server's log (each worker process calls this too): INFO and up, and fatal signals' tracebacks."""
    faulthandler.enable()  # a SIGBUS (an unwritable SQLite -shm) or SIGSEGV leaves a traceback in the log
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # the one-second tick is not news


def _serve(demo: bool, host: str | None, port: int | None, workers: int = 1) -> None:
    import uvicorn

    from bot.app import App

    settings = load_settings()
    setup_logging()
    texts_ok(settings)  # a bad texts.toml: every problem named, and the server does not start
    bot = App(settings)
    host, port = host or settings.host, port or settings.port
    chat = settings.webchat_mode(demo=demo)
    err.print(f"xinqiao on http://{host}:{port}" + (f"  (chat: http://{host}:{port}/chat)" if chat != "off" else ""))
    channels = sorted(c for c in bot.channels if c != "web" or chat != "off")
    err.print(f"database: {settings.db_url.split('@')[-1]}  channels on: {', '.join(channels)}")
    err.print(WEBCHAT_SAYS[chat])
    if chat != "off" and not demo:
        err.print(WEBCHAT_WARNS[chat])
    if workers == 1:
        uvicorn.run(bot.asgi(demo=demo), host=host, port=port, log_level="warning")
        return
    if settings.telegram_on and settings.telegram_mode == "polling":
        err.print("[red]Telegram polling needs one worker (use XINQIAO_TELEGRAM_MODE=webhook with --workers)[/red]")
        raise typer.Exit(2)
    os.environ["XINQIAO_SERVE_DEMO"] = "1" if demo else "0"
    uvicorn.run("bot.asgi:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning")


@app.command()
def serve(
    demo: bool = typer.Option(False, "--demo", help="seed the demo school once"),
    host: str = typer.Option(None, help="address to listen on (default XINQIAO_HOST)"),
    port: int = typer.Option(None, help="port (default XINQIAO_PORT)"),
    workers: int = typer.Option(1, "--workers", min=1, max=16, help="worker processes (each runs the scheduler; "
                                                                      "safe: due rows are claimed once)"),
) -> None:
    """Migrate the database and run the bot (web chat, webhooks, scheduler)."""
    _serve(demo, host, port, workers)


@app.command()
def demo(
    host: str = typer.Option(None, help="address to listen on"),
    port: int = typer.Option(None, help="port"),
) -> None:
    """Serve with the demo school (the same as `serve --demo`)."""
    _serve(True, host, port)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from bot.cli.common import migrated_engine

    settings = load_settings()

    async def run() -> None:
        async with migrated_engine(settings):
            pass

    asyncio.run(run())
    err.print("database is up to date")


def main() -> None:
    """Entry point of the console script: files this process creates are private (umask 0077)."""
    os.umask(0o077)
    app()
