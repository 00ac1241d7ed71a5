"""`xinqiao backup` and `xinqiao restore`: a fresh data dir reads the counsellor's reply afterwards."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
from sqlalchemy import text

from bot.app import App
from bot.config import Settings
from bot.db.engine import make_engine
from tests.conftest import Chat, run_cli


async def _empty_pg(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def test_backup_then_restore_into_a_fresh_data_dir(chat, app, settings, tmp_path: Path, db_url: str,
                                                        triager) -> None:
    await chat.say("student-1", "匿名心理信箱")
    received = await chat.say("student-1", "和室友闹矛盾了，很难受")
    code = re.search(r"[A-Z0-9]{8}", received[0]["text"]).group(0)  # type: ignore[union-attr]
    await chat.say("student-1", "回复时通知我")
    await chat.say("demo-counsellor", f"回复 {code} 你好，我是陈老师，愿意多说说吗？")
    env = dict(os.environ, XINQIAO_DATA_DIR=str(settings.data_dir), XINQIAO_DATABASE_URL=db_url,
               XINQIAO_SECRET_KEY=settings.secret_key)
    pg = db_url.startswith("postgresql")
    if pg:
        missing = run_cli(["backup", "--to", str(tmp_path / "none")], dict(env, PATH=str(tmp_path)))
        assert missing.returncode == 1 and "找不到 pg_dump" in missing.stderr, missing.stderr

    done = run_cli(["backup", "--to", str(tmp_path / "backups")], env)
    assert done.returncode == 0, done.stderr
    assert "密钥不在备份里" in done.stdout
    (file,) = list((tmp_path / "backups").iterdir())
    assert settings.secret_key.encode() not in file.read_bytes()  # the key is never copied into a backup

    refused = run_cli(["restore", str(file)], env)  # the live, non-empty database
    assert refused.returncode == 1 and "不是空的" in refused.stderr, refused.stderr
    await app.engine.dispose()

    def fresh(name: str) -> tuple[dict[str, str], str]:
        url = db_url if pg else f"sqlite+inline:///{tmp_path / name / 'xinqiao.db'}"
        return dict(env, XINQIAO_DATA_DIR=str(tmp_path / name), XINQIAO_DATABASE_URL=url), url

    if pg:
        await _empty_pg(db_url)
    wrong_env, _ = fresh("wrong-key")
    wrong = run_cli(["restore", str(file)], dict(wrong_env, XINQIAO_SECRET_KEY="another-key"))
    assert wrong.returncode == 1 and "打不开" in wrong.stderr, wrong.stderr

    if pg:
        await _empty_pg(db_url)
    good_env, url = fresh("restored")
    restored = run_cli(["restore", str(file)], good_env)
    assert restored.returncode == 0 and "恢复完成：密钥打开了" in restored.stdout, restored.stderr

    again = App(Settings(data_dir=tmp_path / "restored", database_url=url, secret_key=settings.secret_key,
                         webchat="demo"),
                triager=triager)
    await again.prepare()
    try:
        transport = httpx.ASGITransport(app=again.asgi(clock=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            view = await Chat(client, again).say("student-1", f"查看 {code}", "after-restore")
        assert "你好，我是陈老师" in view[0]["text"]
    finally:
        await again.close()
