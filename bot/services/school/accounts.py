"""Staff accounts for the console: one-time password links, argon2id passwords, the lockout, TOTP."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import Account, AccountToken, ConsoleSession, Person
from bot.db.models_people import STAFF_ROLES
from bot.services.messaging.sealing import Sealer

log = logging.getLogger(__name__)
LINK_VALID = timedelta(hours=24)
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
PASSWORD_MIN, PASSWORD_MAX = 10, 128
TOTP_ISSUER = "心桥 xinqiao"
HASHER = PasswordHasher()  # argon2id with the library's current parameters
# A hash to verify against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = HASHER.hash(secrets.token_hex(16))


class AccountError(Exception):
    """A sign-in or account step refused; reason names the text to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def digest(secret: str) -> str:
    """What is kept of a link or session secret: its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def is_staff(person: Person) -> bool:
    """Only staff have console accounts."""
    return bool(person.role_set & STAFF_ROLES)


async def account_of(*, session: AsyncSession, person: Person) -> Account:
    """The person's account row, created empty on first use."""
    account = await session.get(Account, person.id)
    if account is None:
        account = Account(person_id=person.id, totp_on=False, totp_last_step=0, failed=0)
        session.add(account)
        await session.flush()
    return account


async def password_link(*, session: AsyncSession, person: Person, now: datetime | None = None) -> str:
    """A new one-time secret for choosing a password (earlier unused ones stop working); only its hash is kept."""
    if not is_staff(person):
        raise AccountError("not_staff")
    now = now or utcnow()
    await session.execute(update(AccountToken).where(AccountToken.person_id == person.id,
                                                     AccountToken.used_at.is_(None)).values(used_at=now))
    secret = secrets.token_urlsafe(32)
    session.add(AccountToken(person_id=person.id, digest=digest(secret), purpose="password",
                             expires_at=now + LINK_VALID, created_at=now))
    await account_of(session=session, person=person)
    return secret


async def person_of_link(*, session: AsyncSession, secret: str, now: datetime | None = None) -> Person:
    """The person a valid, unused, unexpired link belongs to; AccountError('link') otherwise."""
    now = now or utcnow()
    token = (await session.execute(select(AccountToken).where(
        AccountToken.digest == digest(secret)))).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at < now:
        raise AccountError("link")
    person = await session.get(Person, token.person_id)
    if person is None:
        raise AccountError("link")
    return person


def check_password_rules(password: str) -> None:
    """Long enough, not too long (argon2 takes any length; a form field must not)."""
    if len(password) < PASSWORD_MIN:
        raise AccountError("short")
    if len(password) > PASSWORD_MAX:
        raise AccountError("long")


async def set_password(*, session: AsyncSession, secret: str, password: str, now: datetime | None = None) -> Person:
    """Use a link: store the argon2id hash, end the link, revoke every session of the person, unlock."""
    now = now or utcnow()
    check_password_rules(password)
    person = await person_of_link(session=session, secret=secret, now=now)
    token = (await session.execute(select(AccountToken).where(AccountToken.digest == digest(secret))
                                   .with_for_update())).scalar_one()
    if token.used_at is not None:
        raise AccountError("link")
    token.used_at = now
    account = await account_of(session=session, person=person)
    account.password_hash, account.password_set_at = await asyncio.to_thread(HASHER.hash, password), now
    account.failed, account.locked_until = 0, None
    await revoke_sessions(session=session, person_id=person.id, now=now)
    return person


async def revoke_sessions(*, session: AsyncSession, person_id: int, now: datetime | None = None) -> int:
    """End every live session of a person; return how many."""
    result = await session.execute(update(ConsoleSession).where(
        ConsoleSession.person_id == person_id, ConsoleSession.revoked_at.is_(None)).values(revoked_at=now or utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SignIn:
    """A password that matched: whether a TOTP code is still needed."""

    person: Person
    needs_code: bool
    must_enrol: bool  # a leader or admin without TOTP when the school requires it


def needs_second_factor(person: Person, require_2fa: bool) -> bool:
    """Leaders and admins must use TOTP when the school requires it."""
    return require_2fa and bool(person.role_set & {"leader", "admin"})


async def sign_in(*, session: AsyncSession, school_id: int, name: str, password: str, require_2fa: bool,
                  now: datetime | None = None) -> SignIn:
    """Check a name and password; five failures lock the account for 15 minutes (logged, never the password)."""
    now = now or utcnow()
    person = (await session.execute(select(Person).where(Person.school_id == school_id,
                                                         Person.name == name))).scalar_one_or_none()
    account = await session.get(Account, person.id, with_for_update=True) if person is not None else None
    if person is None or account is None or account.password_hash is None or not is_staff(person):
        await _verify(_DUMMY, password)
        raise AccountError("wrong")
    if account.locked_until is not None and account.locked_until > now:
        raise AccountError("locked")
    if not await _verify(account.password_hash, password):
        account.failed += 1
        if account.failed >= MAX_FAILURES:
            account.failed, account.locked_until = 0, now + LOCK_FOR
            log.warning("console: account of person %s locked for %d minutes after %d failed sign-ins",
                        person.id, LOCK_FOR.seconds // 60, MAX_FAILURES)
            raise AccountError("locked")
        log.info("console: failed sign-in for person %s (%d of %d)", person.id, account.failed, MAX_FAILURES)
        raise AccountError("wrong")
    account.failed, account.locked_until = 0, None
    if HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = await asyncio.to_thread(HASHER.hash, password)
    must_enrol = needs_second_factor(person, require_2fa) and not account.totp_on
    return SignIn(person=person, needs_code=account.totp_on, must_enrol=must_enrol)


async def _verify(hashed: str, password: str) -> bool:
    """argon2 costs tens of milliseconds of CPU: off the event loop, so webhooks and pages are not held up."""

    def check() -> bool:
        try:
            return HASHER.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def new_totp_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def totp_uri(secret: str, person: Person) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=f"{person.name}#{person.id}", issuer_name=TOTP_ISSUER)


async def enable_totp(*, session: AsyncSession, person: Person, secret: str, code: str, sealer: Sealer,
                      now: datetime | None = None) -> None:
    """Turn TOTP on once the person has typed a code from the new secret."""
    account = await account_of(session=session, person=person)
    step = _matching_step(secret, code, now or utcnow())
    if step is None:
        raise AccountError("code")
    account.totp_sealed, account.totp_on, account.totp_last_step = sealer.seal_json(secret), True, step


async def check_totp(*, session: AsyncSession, person: Person, code: str, sealer: Sealer,
                     now: datetime | None = None) -> None:
    """A code from the person's authenticator, each one taken once; wrong codes count towards the lock."""
    now = now or utcnow()
    account = await session.get(Account, person.id, with_for_update=True)
    if account is None or not account.totp_on or account.totp_sealed is None:
        raise AccountError("code")
    if account.locked_until is not None and account.locked_until > now:
        raise AccountError("locked")
    secret = sealer.unseal_json(account.totp_sealed)
    step = _matching_step(str(secret), code, now) if secret else None
    if step is None or step <= account.totp_last_step:
        account.failed += 1
        if account.failed >= MAX_FAILURES:
            account.failed, account.locked_until = 0, now + LOCK_FOR
            log.warning("console: account of person %s locked after %d wrong codes", person.id, MAX_FAILURES)
            raise AccountError("locked")
        raise AccountError("code")
    account.totp_last_step, account.failed = step, 0


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (30 s) whose code this is, one step either side allowed; None if none."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    base = int(now.timestamp()) // 30
    for step in (base, base - 1, base + 1):
        if secrets.compare_digest(totp.at(step * 30), code):
            return step
    return None


async def reset_totp(*, session: AsyncSession, person: Person, now: datetime | None = None) -> bool:
    """Turn a lost authenticator off (the person enrols again) and end their sessions; False if it was off."""
    account = await account_of(session=session, person=person)
    was_on = account.totp_on
    account.totp_on, account.totp_sealed, account.totp_last_step = False, None, 0
    await revoke_sessions(session=session, person_id=person.id, now=now)
    return was_on
