"""The admin CLI: invite codes, cases as JSON, triage lines; bad input gets a clear error."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.conftest import run_cli as _run


def test_invite_and_cases(cli_env: dict[str, str], chat) -> None:
    ok = _run(["invite", "create", "--name", "赵同学", "--role", "member_dorm", "--group", "5-303"], cli_env)
    assert ok.returncode == 0, ok.stderr
    assert "绑定 " in ok.stdout
    bad = _run(["invite", "create", "--name", "x", "--role", "wizard"], cli_env)
    assert bad.returncode == 2 and "unknown role" in bad.stderr
    no_group = _run(["invite", "create", "--name", "x", "--role", "member_class"], cli_env)
    assert no_group.returncode == 2 and "--group" in no_group.stderr


async def test_cases_list_and_show(cli_env: dict[str, str], chat) -> None:
    await chat.say("anon-1", "我真的不想活了")
    await chat.say("demo-counsellor", "收到 1")
    listed = _run(["cases", "list", "--json"], cli_env)
    assert listed.returncode == 0, listed.stderr
    cases = json.loads(listed.stdout)
    assert cases[0]["id"] == 1 and cases[0]["level"] == "orange" and cases[0]["status"] == "acknowledged"
    assert "created_at" in cases[0]
    shown = _run(["cases", "show", "1", "--json"], cli_env)
    detail = json.loads(shown.stdout)
    kinds = [e["kind"] for e in detail["events"]]
    assert kinds[:4] == ["opened", "mailbox_note", "escalation_started", "paged"] and "acknowledged" in kinds
    assert "anon-1" not in listed.stdout + shown.stdout
    plain = _run(["cases", "show", "1"], cli_env).stdout
    assert "anon-1" not in plain and "(Asia/Shanghai)" in plain  # school time, zone named
    local = datetime.fromisoformat(detail["created_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{local:%Y-%m-%d %H:%M}" in plain
    missing = _run(["cases", "show", "99"], cli_env)
    assert missing.returncode == 1 and "no case #99" in missing.stderr


def test_triage_cli(tmp_path: Path) -> None:
    env = dict(os.environ, XINQIAO_DATA_DIR=str(tmp_path))
    lines = '{"id": 7, "text": "我想死"}\nnot json\n[1]\n{"text": 3}\n{"text": "今天天气很好"}\n'
    out = _run(["triage"], env, lines)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[0]["id"] == 7 and rows[0]["triage"]["level"] == "orange"
    assert rows[0]["triage"]["evidence"][0]["span"] == [1, 3]
    assert "error" in rows[1] and "error" in rows[2] and "error" in rows[3]
    assert rows[4]["triage"]["level"] == "none"
    readable = _run(["triage", "--text", "我今晚就从楼顶跳下去"], env)
    assert "level: red" in readable.stdout


def test_bad_setting_is_named(tmp_path: Path) -> None:
    env = dict(os.environ, XINQIAO_DATA_DIR=str(tmp_path), XINQIAO_TIMEZONE="Mars/Base")
    out = _run(["migrate"], env)
    assert out.returncode == 2 and "XINQIAO_TIMEZONE" in out.stderr
    env = dict(os.environ, XINQIAO_DATA_DIR=str(tmp_path), XINQIAO_DATABASE_URL="mysql://x")
    out = _run(["migrate"], env)
    assert out.returncode == 2 and "XINQIAO_DATABASE_URL" in out.stderr
