"""`xinqiao doctor`: every line red on a new install, green once the school is ready; channels probed for real
(the platform fakes on loopback); the key's confirmation audited and bound to the key."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from bot.channels.probes import ChannelStatus, probe_all
from bot.config import Settings
from bot.db.models import AuditEntry
from bot.services.school import doctor
from keywords import Triager
from tests.conftest import run_cli


async def _checks(app: App, settings: Settings, statuses) -> dict[str, doctor.Check]:
    async with app.sessions() as session, session.begin():
        found = await doctor.run_checks(session=session, school_id=1, settings=settings, statuses=statuses)
    lines = {}
    for c in found:
        lines.setdefault(c.title, c)
        if not c.ok:
            lines[c.title] = c
    return lines


async def test_red_on_a_new_school_green_when_ready(tmp_path: Path, db_url: str, triager: Triager,
                                                    platform_fakes) -> None:
    (weixin, wx_base), (telegram, tg_base) = platform_fakes
    bare = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="doctor-key")
    app = App(bare, triager=triager)
    await app.prepare(demo=False)
    db_file = tmp_path / "xinqiao.db"
    try:
        if db_file.exists():  # SQLite: the test's copy is world-readable, which the doctor calls red
            db_file.chmod(0o644)
            loose = await _checks(app, bare, [])
            assert not loose["数据库设置"].ok and "权限 0o644" in loose["数据库设置"].found
            db_file.chmod(0o600)
        red = await _checks(app, bare, await probe_all(bare))
        assert [c.ok for c in red.values()] == [False, False, False, False, False, False, True]
        assert "没有配置任何消息渠道" in red["消息渠道"].found
        assert "无人值班" in red["值班表"].found and "duty set" in red["值班表"].fix
        assert "还没有导入班级" in red["班级心理委员"].found
        assert "默认值" in red["危机求助电话"].found
        assert "confirm-key-backup" in red["密钥备份"].fix
        assert "没有备份" in red["数据库备份"].found
        assert all(c.line().startswith("✗") and "→" in c.line() for c in red.values() if not c.ok)
    finally:
        await app.close()

    ready = Settings(data_dir=tmp_path / "data", database_url=db_url, secret_key="doctor-key",
                     school_counsellor_phone="0371-88886666", wechat_token="t", wechat_app_id=weixin.app_id,
                     wechat_app_secret=weixin.secret, wechat_api_base=wx_base, telegram_token=telegram.token,
                     telegram_api_base=tg_base)
    app = App(ready, triager=triager)
    await app.prepare(demo=True)  # the demo: on duty around the clock, its class and dorm have bound members
    try:
        async with app.sessions() as session, session.begin():
            doctor.confirm_key_backup(session, school_id=1, key=ready.key)
        backups = ready.data_dir / "backups"
        backups.mkdir(parents=True, exist_ok=True)
        (backups / "xinqiao-20261202-033000.db").write_bytes(b"SQLite format 3\x00")
        statuses = await probe_all(ready)
        assert {(s.name, s.configured, s.reachable) for s in statuses} == {
            ("wechat", True, True), ("telegram", True, True), ("wecom", False, False)}
        green = await _checks(app, ready, statuses)
        assert all(c.ok for c in green.values()), [c.line() for c in green.values() if not c.ok]
        assert green["消息渠道"].line().startswith("✓") and "wechat、telegram" in green["消息渠道"].found

        old = time.time() - 25 * 3600
        os.utime(backups / "xinqiao-20261202-033000.db", (old, old))
        rekeyed = Settings(**{**ready.model_dump(), "secret_key": "another-key"})
        down = [ChannelStatus("wechat", True, False, "RuntimeError: token refused: errcode 40125"),
                ChannelStatus("telegram", True, True)]
        again = await _checks(app, rekeyed, down)
        assert not again["数据库备份"].ok and "超过 24 小时" in again["数据库备份"].found
        assert not again["密钥备份"].ok and "换过" in again["密钥备份"].found
        assert not again["消息渠道"].ok and "40125" in again["消息渠道"].found
        members_only = await _checks(app, ready, [ChannelStatus("wechat", True, True)])
        assert "老师收不到" in members_only["消息渠道"].found  # pages need WeCom or Telegram
    finally:
        await app.close()


def test_cli_exit_codes_and_the_audited_confirmation(tmp_path: Path, cli_env: dict[str, str], db_url: str) -> None:
    first = run_cli(["doctor"], cli_env)
    assert first.returncode == 1 and "✗ 密钥备份" in first.stdout and "项需要处理" in first.stdout
    confirmed = run_cli(["doctor", "confirm-key-backup"], cli_env)
    assert confirmed.returncode == 0 and "已记录" in confirmed.stdout
    assert run_cli(["backup"], cli_env).returncode == 0
    second = run_cli(["doctor"], cli_env)
    assert "✓ 密钥备份" in second.stdout and "✓ 数据库备份" in second.stdout and second.returncode == 1

    async def audited() -> list[str]:
        from bot.db.engine import make_engine, make_sessionmaker

        engine = make_engine(db_url)
        async with make_sessionmaker(engine)() as session:
            rows = (await session.execute(select(AuditEntry.action, AuditEntry.actor))).all()
        await engine.dispose()
        return [f"{actor}:{action}" for action, actor in rows]

    import asyncio

    assert "cli:doctor.key_backup_confirmed" in asyncio.run(audited())
