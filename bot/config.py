"""All settings in one class: environment variables with the prefix XINQIAO_ (or a .env file)."""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.db.sqlite_inline import DRIVER as SQLITE_INLINE
from bot.services.schedule.quiet import QuietHours


def normalise_database_url(url: str) -> str:
    """Accept sqlite://, postgresql://, postgres:// and postgresql+asyncpg://.

    SQLite runs inline on the event loop (bot/db/sqlite_inline.py); sqlite+aiosqlite:// from older
    settings means the same database.
    """
    for prefix in (SQLITE_INLINE + "://", "sqlite+aiosqlite://", "sqlite://"):
        if url.startswith(prefix):
            return SQLITE_INLINE + "://" + url[len(prefix):]
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    raise ValueError(f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:// or postgresql://")


WEBCHAT_MODES = ("demo", "on", "off")
PRIVATE_FILES = ("xinqiao.db", "xinqiao.db-wal", "xinqiao.db-shm", "secret.key")


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions off a path of ours (not one another user owns)."""
    try:
        st = path.stat()
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            path.chmod(mode)
    except FileNotFoundError:
        pass


def read_or_create_key(path: Path) -> str:
    """The server key in this file, created on first use: never readable by others, never half written.

    The key is written to a temporary file created 0600 (O_CREAT|O_EXCL), synced, then linked to its
    name: the name appears only complete and private. A link, not a rename, because a rename would
    replace a key another worker starting at the same moment has already used; when the link finds
    one there, that one is the key.
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(48))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process created it first: theirs is the key
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


class Settings(BaseSettings):
    """xinqiao's settings; every one is listed in deploy/.env.example."""

    model_config = SettingsConfigDict(env_prefix="XINQIAO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="SQLite file, keys and caches")
    database_url: str = Field(default="", description="default: a SQLite file in the data dir")
    secret_key: str = Field(default="", description="generated into the data dir on first run if unset")
    school_name: str = "心桥示范学校"
    timezone: str = "Asia/Shanghai"
    hotline: str = "12356"
    emergency_numbers: str = "110/120"
    school_counsellor_phone: str = "学校心理辅导室（教学楼三楼）"
    school_numbers: str = ""
    lexicon_extra: str = Field(default="", description="extra triage term files, separated by commas")
    student_roster: Path | None = Field(default=None, description="the school's students, one a line: name[,class]")
    database_pool_size: int = Field(default=10, ge=1, le=100,
                                    description="PostgreSQL connections per worker, all opened at start")
    database_wait_seconds: float = Field(default=3.0, gt=0, le=30,
                                         description="how long a message waits for the database before it is spooled")
    host: str = "127.0.0.1"
    port: int = 8080
    conversation_timeout_minutes: int = 30
    mailbox_daily_limit: int = 20
    wechat_token: str = ""
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_aes_key: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"
    wecom_corp_id: str = ""
    wecom_agent_id: str = ""
    wecom_secret: str = ""
    wecom_token: str = ""
    wecom_aes_key: str = ""
    wecom_api_base: str = "https://qyapi.weixin.qq.com"
    telegram_token: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    telegram_mode: str = "polling"
    telegram_webhook_secret: str = ""
    quiet_hours: str = Field(default="22:00-07:00", description="no non-urgent push to a student then; empty: off")
    webchat: str = Field(default="", description="demo | on | off; empty: demo with `serve --demo`, else off")
    webchat_tokens_per_hour: int = Field(default=300, ge=1, description="web chat tokens one client address may get "
                                         "in an hour (a school behind one NAT shares it); messages are never limited")
    public_url: str = Field(default="", description="where staff reach this server (https://…): console links")
    console_require_2fa: bool = Field(default=False, description="leaders and admins must use TOTP in the console")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("telegram_mode")
    @classmethod
    def _telegram_mode(cls, value: str) -> str:
        if value not in ("polling", "webhook"):
            raise ValueError("use polling or webhook")
        return value

    @field_validator("webchat")
    @classmethod
    def _webchat(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in WEBCHAT_MODES + ("",):
            raise ValueError("use demo, on or off (or leave it empty: demo with --demo, off otherwise)")
        return value

    def webchat_mode(self, *, demo: bool) -> str:
        """The web chat's mode: demo (typed names, demo users), on (per-browser tokens) or off."""
        return self.webchat or ("demo" if demo else "off")

    @field_validator("wechat_aes_key", "wecom_aes_key")
    @classmethod
    def _aes_key(cls, value: str) -> str:
        if value and len(value) != 43:
            raise ValueError("an EncodingAESKey is 43 characters, as the admin console shows it")
        return value

    @property
    def wechat_on(self) -> bool:
        """The Official Account is configured (token, app id and secret)."""
        return bool(self.wechat_token and self.wechat_app_id and self.wechat_app_secret)

    @property
    def wecom_on(self) -> bool:
        """The WeCom app is configured."""
        return bool(self.wecom_corp_id and self.wecom_agent_id and self.wecom_secret and self.wecom_token
                    and self.wecom_aes_key)

    @property
    def telegram_on(self) -> bool:
        """The Telegram bot is configured (webhook mode also needs its secret)."""
        return bool(self.telegram_token) and (self.telegram_mode == "polling" or bool(self.telegram_webhook_secret))

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        QuietHours.parse(value, ZoneInfo("UTC"))  # raises ValueError with the reason
        return value

    @field_validator("database_url")
    @classmethod
    def _known_db(cls, value: str) -> str:
        return normalise_database_url(value) if value else value

    @cached_property
    def zone(self) -> ZoneInfo:
        """The school's time zone."""
        return ZoneInfo(self.timezone)

    @cached_property
    def quiet(self) -> QuietHours | None:
        """Quiet hours in the school's time zone, or None when turned off."""
        return QuietHours.parse(self.quiet_hours, self.zone)

    @property
    def db_url(self) -> str:
        """The async SQLAlchemy URL to use."""
        if self.database_url:
            return self.database_url
        return f"{SQLITE_INLINE}:///{(self.data_dir / 'xinqiao.db').resolve()}"

    def ensure_data_dir(self) -> None:
        """Create the data dir (0700) and keep it and our files in it private (0600).

        A data dir or database file left group- or world-readable by an older version is tightened.
        """
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        _tighten(self.data_dir, 0o700)
        for name in PRIVATE_FILES:
            _tighten(self.data_dir / name, 0o600)

    @property
    def configured_secrets(self) -> list[str]:
        """Every secret value set: the log filter redacts them (bot/redact.py)."""
        return [v for v in (self.secret_key, self.wechat_token, self.wechat_app_secret, self.wechat_aes_key,
                            self.wecom_secret, self.wecom_token, self.wecom_aes_key, self.telegram_token,
                            self.telegram_webhook_secret) if v]

    @cached_property
    def key(self) -> str:
        """The server secret: from the environment, else read or generated in the data dir."""
        if self.secret_key:
            return self.secret_key
        self.ensure_data_dir()
        return read_or_create_key(self.data_dir / "secret.key")

    @cached_property
    def student_names(self) -> tuple[str, ...]:
        """Students' names from the roster file (UTF-8 or GBK, as Excel saves it): the first field a line."""
        if self.student_roster is None:
            return ()
        raw = self.student_roster.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gbk")
        names = (line.replace("\t", ",").split(",", 1)[0].strip() for line in text.splitlines())
        return tuple(n for n in names if len(n) >= 2 and n != "姓名")

    @field_validator("student_roster", mode="before")
    @classmethod
    def _roster_readable(cls, value: object) -> object:
        if value in ("", None):
            return None
        if not Path(str(value)).is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @property
    def extra_lexicon_paths(self) -> list[Path]:
        """Per-school triage term files."""
        return [Path(p.strip()) for p in self.lexicon_extra.split(",") if p.strip()]
