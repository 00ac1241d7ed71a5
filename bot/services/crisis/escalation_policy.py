"""Every knob of escalation, in one place: the default chains, the waits, the timeouts, the fallback.

A school's own chain per level is stored by `xinqiao policy set` (policies.py); what is here applies
to every school and is changed only here.
"""

from __future__ import annotations

from datetime import timedelta

# The levels that page, and who a step may name besides a person (by name).
PAGED_LEVELS = ("red", "orange")
ROLE_TARGETS = ("on_duty", "backup", "leaders", "head_teacher")

# A level's chain when the school set none: steps "target:wait" and an optional repeat interval.
DEFAULTS = {
    "red": ("on_duty:5m,backup:5m,leaders:10m", "10m"),
    "orange": ("on_duty:60m,backup:3h,leaders:4h", None),
}

# After the first acknowledgement: these levels keep a timer, and a case of theirs with no note or
# status change for ACK_TIMEOUT re-pages its holder (again every ACK_TIMEOUT); the others are done.
WATCHED_AFTER_ACK = ("red",)
ACK_TIMEOUT = timedelta(minutes=30)

# The chain reached nobody (no page delivered when its last step is done, or no step could queue one):
# page every member of staff with these roles, once per chain, and on every repeat that reaches nobody.
FALLBACK_ROLES = ("counsellor", "leader")

# The auditor fires any step more than AUDIT_LATE overdue, flagged late and logged as an error.
AUDIT_LATE = timedelta(seconds=60)

# Due chains claimed per pass of the tick.
BATCH = 100
