"""`xinqiao backup` and `xinqiao restore`: the database, and a reminder that the key is kept apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

from bot.config import Settings
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from bot.services.messaging.sealing import Sealer
from bot.services.school import backup as svc

out = Console()
err = Console(stderr=True)
KEY_NOTE = ("密钥不在备份里，也不应放在一起：它在 {where}。没有它，匿名回复地址、会话数据和存下的回复都无法读取；"
            "请把密钥另外妥善保管（例如离线保存），恢复时放回数据目录或 XINQIAO_SECRET_KEY。")


def _settings() -> Settings:
    from bot.cli.common import load_settings

    return load_settings()


def _key_where(settings: Settings) -> str:
    return "环境变量 XINQIAO_SECRET_KEY" if settings.secret_key else str((settings.data_dir / "secret.key").resolve())


def _fail(exc: svc.BackupError) -> typer.Exit:
    err.print(f"[red]{exc}[/red]")
    return typer.Exit(1)


def backup_command(
    to: Path = typer.Option(None, "--to", help="directory for the backup file (default: <data dir>/backups)"),  # noqa: B008
) -> None:
    """Back up the database (SQLite online backup; PostgreSQL pg_dump -Fc)."""
    settings = _settings()
    target_dir = to or settings.data_dir / "backups"
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    url = settings.db_url
    try:
        if url.startswith("sqlite"):
            target = target_dir / f"xinqiao-{stamp}.db"
            svc.sqlite_copy(source=Path(url.split(":///", 1)[1]), target=target)
        else:
            target = target_dir / f"xinqiao-{stamp}.dump"
            svc.pg_dump(url=url, target=target)
    except svc.BackupError as exc:
        raise _fail(exc) from exc
    target.chmod(0o600)
    out.print(f"备份已写入 {target}（{target.stat().st_size} 字节）")
    out.print(KEY_NOTE.format(where=_key_where(settings)))


async def _restore(settings: Settings, source: Path) -> tuple[int, int]:
    kind = svc.kind_of(source)
    url = settings.db_url
    if kind != ("sqlite" if url.startswith("sqlite") else "postgresql"):
        raise svc.BackupError(f"{source} 是 {kind} 的备份，而 XINQIAO_DATABASE_URL 指向另一种数据库")
    engine = make_engine(url)
    try:
        filled = await svc.filled_tables(engine=engine)
        if filled:
            named = "，".join(f"{t} {n} 行" for t, n in sorted(filled.items())[:5])
            raise svc.BackupError(f"目标数据库不是空的（{named}）：恢复只写入空数据库，请换一个新的数据库或数据目录"
                                  "（在新机器上先 restore，再启动 serve：serve 会建好学校，数据库就不再是空的）")
        await engine.dispose()
        if kind == "sqlite":
            svc.sqlite_copy(source=source, target=Path(url.split(":///", 1)[1]))
        else:
            svc.pg_restore(url=url, source=source)
        await upgrade(engine)  # a backup from an older version gets the newer schema
        async with make_sessionmaker(engine)() as session:
            return await svc.key_check(session=session, sealer=Sealer(settings.key))
    finally:
        await engine.dispose()


def restore_command(file: Path = typer.Argument(..., help="a file written by `xinqiao backup`")) -> None:  # noqa: B008
    """Restore a backup into an empty database, then check that the key opens its sealed rows."""
    settings = _settings()
    settings.ensure_data_dir()
    try:
        tried, opened = asyncio.run(_restore(settings, file))
    except svc.BackupError as exc:
        raise _fail(exc) from exc
    if tried and not opened:
        err.print(f"[red]数据已恢复，但密钥（{_key_where(settings)}）打不开备份里的 {tried} 条加密数据："
                  "请放回备份时使用的密钥，否则匿名回复无法送达、会话数据无法读取。恢复未完成。[/red]")
        raise typer.Exit(1)
    if tried:
        out.print(f"恢复完成：密钥打开了备份里的加密数据（检查 {tried} 条，{opened} 条可读）。")
    else:
        out.print("恢复完成。备份里没有加密数据，无法检查密钥；请确认数据目录里的密钥就是备份时的那一把。")
