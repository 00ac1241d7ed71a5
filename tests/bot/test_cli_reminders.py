"""`xinqiao training|checkins|period|reminders` and `cases follow-up`, as an admin runs them; a reminder
that falls due while the server is down is delivered once when it comes back."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from bot.db.base import utcnow
from bot.db.engine import make_engine
from bot.db.models import TrainingSession
from tests.conftest import run_cli as _run
from tests.server import Server, server_env


def _started(cli_env: dict[str, str], session_id: int) -> None:
    """Move a session's start into the past (add refuses a past start)."""

    async def run() -> None:
        engine = make_engine(cli_env["XINQIAO_DATABASE_URL"])
        async with engine.begin() as conn:
            await conn.execute(update(TrainingSession).where(TrainingSession.id == session_id)
                               .values(starts_at=utcnow() - timedelta(hours=1)))
        await engine.dispose()

    asyncio.run(run())


def test_training_commands(cli_env: dict[str, str], app) -> None:
    start = (utcnow() + timedelta(days=3)).astimezone().replace(microsecond=0).isoformat()
    added = _run(["training", "add", "--title", "倾听与回应", "--at", start, "--place", "302 教室",
                  "--audience", "class", "--remind", "24h,1h"], cli_env)
    assert added.returncode == 0, added.stderr
    sid = added.stdout.strip()
    assert sid.isdigit() and "1 members" in added.stderr
    listed = _run(["training", "list"], cli_env)
    assert "倾听与回应" in listed.stdout and "0/0/1" in listed.stdout
    pending = _run(["reminders", "list", "--pending"], cli_env)
    assert pending.stdout.count(f"training:{sid}") == 2
    early = _run(["training", "attend", sid, "李小雨"], cli_env)
    assert early.returncode == 2 and "has not started" in early.stderr
    _started(cli_env, int(sid))
    attend = _run(["training", "attend", sid, "李小雨"], cli_env)
    assert attend.returncode == 0, attend.stderr
    shown = _run(["training", "show", sid], cli_env)
    assert "李小雨（班级心理委员）" in shown.stdout and "yes" in shown.stdout
    stranger = _run(["training", "attend", sid, "王晓晴"], cli_env)
    assert stranger.returncode == 2 and "not in this session's audience" in stranger.stderr
    assert _run(["training", "cancel", sid], cli_env).returncode == 0
    again = _run(["training", "cancel", sid], cli_env)
    assert again.returncode == 2 and "already cancelled" in again.stderr
    assert f"training:{sid}" not in _run(["reminders", "list", "--pending"], cli_env).stdout
    for args, message in (
        (["training", "add", "--title", "t", "--at", "tomorrow", "--place", "p"], "ISO 8601"),
        (["training", "add", "--title", "t", "--at", start, "--place", "p", "--link", "l"], "exactly one"),
        (["training", "add", "--title", "t", "--at", start, "--place", "p", "--audience", "grade"], "grade:N"),
        (["training", "add", "--title", "t", "--at", start, "--place", "p", "--remind", "1d"], "--remind"),
        (["training", "add", "--title", "t", "--at", "2020-01-01T10:00", "--place", "p"], "future"),
        (["training", "show", "999"], "no training session"),
    ):
        bad = _run(args, cli_env)
        assert bad.returncode == 2 and message in bad.stderr, (args, bad.stderr)


def test_period_checkins_and_follow_up_commands(cli_env: dict[str, str], app) -> None:
    listed = _run(["period", "list"], cli_env)
    assert "期末考试周" in listed.stdout and "寒假开学第一周" in listed.stdout  # the demo's examples
    added = _run(["period", "add", "--name", "运动会周", "--from", "2027-04-12", "--to", "2027-04-18",
                  "--checkin", "Mon,Thu 16:00"], cli_env)
    assert added.returncode == 0, added.stderr
    period_id = added.stdout.split("#")[1].split(":")[0]
    removed = _run(["period", "remove", period_id], cli_env)
    assert removed.returncode == 0 and "运动会周" in removed.stdout, removed.stderr
    assert "运动会周" not in _run(["period", "list"], cli_env).stdout
    for args, message in (
        (["period", "remove", period_id], "no key period"),
        (["checkins", "rule", "--deadline", "Sun 25:00"], "schedule"),
        (["period", "add", "--name", "x", "--from", "2027-04-12", "--to", "2027-04-01"], "before"),
        (["period", "add", "--name", "x", "--from", "2027-04-12", "--to", "2027-04-13", "--checkin", "Fun 9:00"],
         "days are"),
        (["period", "add", "--name", "x", "--from", "someday", "--to", "2027-04-13"], "YYYY-MM-DD"),
        (["checkins", "rule", "--ask", "Friday"], "schedule"),
    ):
        bad = _run(args, cli_env)
        assert bad.returncode == 2 and message in bad.stderr, (args, bad.stderr)
    rule = _run(["checkins", "rule", "--ask", "Thu 17:00"], cli_env)
    assert "ask Thu 17:00, due Sun 20:00" in rule.stdout
    assert "no check-in was asked" in _run(["checkins", "show", "--week", "2020-W01"], cli_env).stdout
    missing = _run(["cases", "follow-up", "99", "明天"], cli_env)
    assert missing.returncode == 1


def test_reminder_due_while_the_server_was_down_is_sent_once(tmp_path: Path, db_url: str) -> None:
    env = server_env(tmp_path / "data", db_url, XINQIAO_QUIET_HOURS="")  # due now, whatever the hour
    server = Server(env)
    server.wait_up()  # seeds the demo school
    server.kill()
    # due 20 s from now: a CLI run takes 3-6 s on this shared machine under load (a 3 s margin failed)
    due = utcnow() + timedelta(seconds=20)
    added = _run(["training", "add", "--title", "危机干预复训", "--at", (due + timedelta(hours=1)).isoformat(),
                  "--place", "礼堂", "--remind", "1h"], env)
    assert added.returncode == 0, added.stderr
    time.sleep(max(0.0, (due - utcnow()).total_seconds()) + 1)  # the reminder falls due with nobody running
    server = Server(env)
    try:
        up = server.wait_up()
        got: list = []
        while not got and time.monotonic() - up < 10:
            got = [m for m in server.inbox("demo-member") if "危机干预复训" in m["text"]]
            time.sleep(0.2)
        assert got and got[0]["kind"] == "reminder"
        time.sleep(2.5)
        assert len([m for m in server.inbox("demo-member") if "危机干预复训" in m["text"]]) == 1
    finally:
        server.stop()


def test_group_grades_and_an_empty_audience_warns(cli_env: dict[str, str], app) -> None:
    listed = _run(["group", "list"], cli_env)
    assert listed.returncode == 0 and "初二(3)班" in listed.stdout and "│ 8 " in listed.stdout
    start = (utcnow() + timedelta(days=3)).astimezone().replace(microsecond=0).isoformat()
    empty = _run(["training", "add", "--title", "t", "--at", start, "--place", "p", "--audience", "grade:5"], cli_env)
    assert empty.returncode == 0 and "warning" in empty.stderr and "reaches nobody" in empty.stderr
    assert _run(["group", "set", "初二(3)班", "--grade", "5"], cli_env).returncode == 0
    reached = _run(["training", "add", "--title", "t", "--at", start, "--place", "p", "--audience", "grade:5"],
                   cli_env)
    assert "1 members" in reached.stderr and "warning" not in reached.stderr
    bad = _run(["group", "set", "不存在的班", "--grade", "5"], cli_env)
    assert bad.returncode == 2 and "no class or dorm" in bad.stderr


def test_cli_times_and_widths(cli_env: dict[str, str], app) -> None:
    start = (utcnow() + timedelta(days=3)).astimezone().replace(microsecond=0).isoformat()
    assert _run(["training", "add", "--title", "倾听与回应", "--at", start, "--place", "302"], cli_env).returncode == 0
    narrow = _run(["reminders", "list"], dict(cli_env, COLUMNS="80"))
    lines = narrow.stdout.splitlines()
    assert narrow.returncode == 0 and lines and max(len(line) for line in lines) <= 80, narrow.stdout
    assert "training:1" in narrow.stdout and "school time (Asia/Shanghai)" in narrow.stdout
    for week in ("48", "2026-48", "2026W48", "2026-W60"):
        bad = _run(["checkins", "show", "--week", week], cli_env)
        assert bad.returncode == 2 and "ISO week" in bad.stderr, week
    assert _run(["checkins", "show", "--week", "2026-W48"], cli_env).returncode == 0
    assert "created (Asia/Shanghai)" in _run(["cases", "list"], cli_env).stdout
