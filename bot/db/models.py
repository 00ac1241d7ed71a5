"""Every model, importable from one place (Alembic reads Base.metadata from here)."""

from bot.db.base import Base
from bot.db.models_cases import Case, CaseEvent, Report, SealedAddress, Thread, ThreadMessage
from bot.db.models_console import Account, AccountToken, CaseShare, ConsoleSession
from bot.db.models_escalation import Escalation, EscalationPolicy, Page
from bot.db.models_messaging import (
    CallbackNonce,
    Conversation,
    InboundRecord,
    OutboxMessage,
    RateCounter,
    SendSlot,
    WebChatMessage,
    Worker,
)
from bot.db.models_people import AuditEntry, DutyOverride, DutySlot, Group, Identity, InviteCode, Person, School
from bot.db.models_reminders import (
    CheckinRound,
    CheckinRule,
    KeyPeriod,
    TrainingParticipant,
    TrainingSession,
)
from bot.db.models_students import (
    Assessment,
    Consent,
    Contact,
    Guardian,
    Institution,
    Measure,
    Plan,
    Referral,
    Student,
    StudentEvent,
)

__all__ = [
    "Account", "AccountToken", "AuditEntry", "Base", "CallbackNonce", "Case", "CaseEvent", "CaseShare",
    "CheckinRound", "CheckinRule", "ConsoleSession", "Conversation",
    "DutyOverride", "DutySlot", "Escalation", "EscalationPolicy", "Group", "Identity", "InboundRecord",
    "InviteCode", "KeyPeriod", "OutboxMessage", "Page", "Person", "RateCounter", "Report", "School",
    "SealedAddress", "SendSlot", "Thread", "ThreadMessage", "TrainingParticipant", "TrainingSession",
    "WebChatMessage", "Worker",
    "Assessment", "Consent", "Contact", "Guardian", "Institution", "Measure", "Plan", "Referral", "Student",
    "StudentEvent",
]
