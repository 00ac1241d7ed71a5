"""`xinqiao duty …` and `xinqiao policy …`: the roster and the chains an admin sets, with clear errors."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.db.models import Escalation
from tests.conftest import run_cli as _run


def test_duty_set_show_check_and_override(cli_env: dict[str, str], app) -> None:
    shown = _run(["duty", "show", "--at", "2026-12-02T03:00"], cli_env)
    assert shown.returncode == 0, shown.stderr
    assert "陈老师（心理教师） (backup 张老师（备班心理教师）" in shown.stdout
    assert _run(["duty", "check"], cli_env).returncode == 0  # the demo is covered around the clock

    night = _run(["duty", "set", "--days", "mon-fri", "--from", "22:00", "--to", "07:00", "--person", "张老师",
                  "--backup", "刘校长"], cli_env)
    assert night.returncode == 0, night.stderr
    # 2026-12-02 is a Wednesday: 03:00 falls in Tuesday night's range, which runs past midnight
    shown = _run(["duty", "show", "--at", "2026-12-02T03:00"], cli_env)
    assert "张老师（备班心理教师） (backup 刘校长" in shown.stdout
    day = _run(["duty", "set", "--days", "sat,sun", "--from", "08:00", "--to", "20:00", "--person", "nobody"],
               cli_env)
    assert day.returncode == 2 and "nobody called 'nobody'" in day.stderr
    ambiguous = _run(["duty", "set", "--days", "sat", "--from", "08:00", "--to", "20:00", "--person", "刘"], cli_env)
    assert ambiguous.returncode == 0  # a unique start of a name is enough
    bad_time = _run(["duty", "set", "--days", "mon", "--from", "25:00", "--to", "20:00", "--person", "刘"], cli_env)
    assert bad_time.returncode == 2 and "HH:MM" in bad_time.stderr
    bad_days = _run(["duty", "set", "--days", "funday", "--from", "08:00", "--to", "20:00", "--person", "刘"],
                    cli_env)
    assert bad_days.returncode == 2 and "mon-fri" in bad_days.stderr

    override = _run(["duty", "override", "--from", "2026-12-05", "--to", "2026-12-06", "--person", "刘校长",
                     "--note", "期末考试周"], cli_env)
    assert override.returncode == 0, override.stderr
    shown = _run(["duty", "show", "--at", "2026-12-05T23:00"], cli_env)
    assert "刘校长（危机干预小组组长） (backup —, from the override)" in shown.stdout
    backwards = _run(["duty", "override", "--from", "2026-12-07", "--to", "2026-12-06", "--person", "刘"], cli_env)
    assert backwards.returncode == 2 and "before" in backwards.stderr


def test_duty_check_reports_gaps(cli_env: dict[str, str], app) -> None:
    cleared = _run(["duty", "clear", "--days", "sat,sun", "--from", "23:00", "--to", "07:00"], cli_env)
    assert cleared.returncode == 0, cleared.stderr
    checked = _run(["duty", "check", "--days", "14"], cli_env)
    assert checked.returncode == 1
    gaps = [line for line in checked.stdout.splitlines() if line.startswith("gap")]
    # Sat 23:00 -> Mon 07:00 loses two nights: Sat 23-24, Sun 00-07, Sun 23-24, Mon 00-07, twice in 14 days
    assert len(gaps) >= 4 and "Sat 23:00" in checked.stdout and "Mon 07:00" in checked.stdout
    assert "gap(s) with nobody on duty" in checked.stderr
    refill = _run(["duty", "set", "--days", "sat,sun", "--from", "23:00", "--to", "07:00", "--person", "张"], cli_env)
    assert refill.returncode == 0
    assert _run(["duty", "check"], cli_env).returncode == 0


def test_policy_show_and_set(cli_env: dict[str, str], app) -> None:
    shown = _run(["policy", "show"], cli_env)
    assert shown.returncode == 0, shown.stderr
    assert "on_duty" in shown.stdout and "10m" in shown.stdout and "4h" in shown.stdout
    ok = _run(["policy", "set", "red", "--steps", "on_duty:30s,张老师（备班心理教师）:1m,leaders:2m",
               "--repeat-every", "1m"], cli_env)
    assert ok.returncode == 0, ok.stderr
    assert "on_duty:30s,张老师（备班心理教师）:1m,leaders:2m --repeat-every 1m" in ok.stdout
    for args, message in (
        (["policy", "set", "yellow", "--steps", "on_duty:5m"], "only red and orange"),
        (["policy", "set", "red", "--steps", "on_duty:5x"], "30s, 5m, 2h"),
        (["policy", "set", "red", "--steps", "on_duty"], "<target>:<wait>"),
        (["policy", "set", "red", "--steps", "王老师:5m"], "neither one of"),
        (["policy", "set", "red", "--steps", "on_duty:5m", "--repeat-every", "0m"], "positive"),
    ):
        bad = _run(args, cli_env)
        assert bad.returncode == 2 and message in bad.stderr, (args, bad.stderr)


async def test_policy_set_applies_to_new_cases(cli_env: dict[str, str], chat, app) -> None:
    assert _run(["policy", "set", "orange", "--steps", "leaders:45m"], cli_env).returncode == 0
    await chat.say("s1", "我真的不想活了")
    async with app.sessions() as session:
        esc = (await session.execute(select(Escalation))).scalar_one()
    assert esc.steps == [{"target": "leaders", "wait": 2700}] and esc.repeat_every is None
    listed = json.loads(_run(["cases", "list", "--json"], cli_env).stdout)
    assert listed[0]["late"] is False
    shown = _run(["cases", "show", "1"], cli_env)
    assert "escalation_started" in shown.stdout and "paged" in shown.stdout
