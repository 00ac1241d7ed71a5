"""The admin's side: `xinqiao user set-password | sessions | revoke`, `audit list`, `triage corrections`."""

from __future__ import annotations

import json

from bot.app import App
from bot.db.base import utcnow
from tests.conftest import run_cli
from tests.console.helpers import PASSWORD, person


async def test_link_sign_in_correct_list_and_revoke(app: App, chat, browser, cli_env) -> None:
    await chat.say("student-1", "匿名心理信箱")
    await chat.say("student-1", "最近压力很大，晚上睡不着")
    done = run_cli(["user", "set-password", "陈老师"], cli_env)
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip().splitlines()[-1]
    assert "/console/password/" in link
    path = link[link.index("/console/"):]
    b = browser()
    assert (await b.get(path)).status_code == 200
    assert (await b.post(path, {"password": PASSWORD, "password2": PASSWORD})).status_code == 303
    chen = await person(app, "陈老师")
    assert (await b.sign_in(chen)).status_code == 303
    await b.get("/console/cases/1")
    r = await b.post("/console/cases/1/level", {"level": "orange", "reason": "学生说想伤害自己"})
    assert r.status_code == 303

    out = run_cli(["triage", "corrections", "--since", utcnow().astimezone(app.settings.zone).date().isoformat()],
                  cli_env)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert lines and lines[0]["text"] == "最近压力很大，晚上睡不着" and lines[0]["accept"] == ["orange"]
    assert lines[0]["triage_level"] != "orange" and lines[0]["reason"] == "学生说想伤害自己"
    assert run_cli(["triage", "corrections", "--since", "yesterday"], cli_env).returncode == 2

    listed = run_cli(["user", "sessions", "陈老师"], cli_env)
    assert listed.returncode == 0 and "live" in listed.stdout
    audit = run_cli(["audit", "list", "--case", "1"], cli_env)
    assert audit.returncode == 0 and "case.view" in audit.stdout and "case.level" in audit.stdout
    assert "睡不着" not in audit.stdout, "no message text in the audit trail"
    mine = run_cli(["audit", "list", "--person", "陈老师", "--since", "2026-01-01"], cli_env)
    assert "console.signin" in mine.stdout
    revoked = run_cli(["user", "revoke", "陈老师"], cli_env)
    assert revoked.returncode == 0 and "revoked 1" in revoked.stdout
    assert (await b.get("/console/")).status_code == 303
    reset = run_cli(["user", "reset-totp", "陈老师"], cli_env)
    assert reset.returncode == 0 and "was not on" in reset.stdout
    assert run_cli(["user", "set-password", "李小雨"], cli_env).returncode == 2
    assert run_cli(["user", "set-password", "没有这个人"], cli_env).returncode == 2
