"""Who is acting on a file (a person or the admin CLI), for the role rule and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.models import Person
from bot.db.models_people import CASE_ROLES
from bot.services.students.errors import Forbidden


@dataclass(frozen=True)
class Viewer:
    """A person (console, chat) or the school admin at the CLI; address: the client's, over HTTP."""

    person: Person | None
    address: str | None = None

    @classmethod
    def cli(cls) -> Viewer:
        """The admin at the server's CLI (the school's own operator)."""
        return cls(person=None)

    @property
    def actor(self) -> str:
        """How the audit trail names them."""
        return f"person:{self.person.id}" if self.person else "cli"

    @property
    def person_id(self) -> int | None:
        """Their person id, none at the CLI."""
        return self.person.id if self.person else None

    @property
    def opens_files(self) -> bool:
        """Counsellors and leaders (and the CLI) open and change files."""
        return self.person is None or bool(self.person.role_set & set(CASE_ROLES))

    def require_roster_access(self) -> None:
        """Raise Forbidden unless this viewer keeps the roster (the admin too: students and guardians, no file)."""
        if self.person is not None and not self.person.role_set & {*CASE_ROLES, "admin"}:
            raise Forbidden()

    def require_file_access(self) -> None:
        """Raise Forbidden unless this viewer opens files."""
        if not self.opens_files:
            raise Forbidden()
