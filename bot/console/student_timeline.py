"""A student's file timeline in staff words: each line's head and text."""

from __future__ import annotations

from bot.console import texts
from bot.services.students import (
    assessments,
    attention,
    contacts,
    file_timeline,
    referrals,
)


class _Blank(dict):  # a line's detail lacking a field reads as blank, never a crash
    def __missing__(self, key: str) -> str:
        return ""


def describe(line: file_timeline.Line) -> tuple[str, str]:
    """A timeline line in staff words: its head and its text (escaped by the template: a note is only text)."""
    d = line.detail
    head = texts.TIMELINE_KINDS.get(line.kind, line.kind).format_map(_Blank(d))
    k = line.kind
    if k == "case_opened":
        body = texts.LEVEL_NAMES.get(d.get("level", ""), "") + ("（" + texts.SOURCE_MAILBOX + "）"
                                                              if d.get("source") == "mailbox" else "")
    elif k == "case_closed":
        body = texts.OUTCOME_NAMES.get(d.get("outcome") or "", "")
    elif k in ("follow_up_due", "case_follow_up_set", "measure_due", "review_due", "feedback_due"):
        body = " ".join(x for x in (d.get("text", ""), str(d.get("on") or "")) if x)
    elif k == "case_note":
        body = str(d.get("text", ""))
    elif k == "attention":
        before = attention.LEVEL_NAMES.get(d.get("from") or "", texts.ATTENTION_NONE)
        body = f"{before} → {attention.LEVEL_NAMES.get(d.get('to', ''), '')}：{d.get('reason', '')}"
    elif k == "plan":
        body = "；".join(d.get("goals", [])) + f"（{texts.STUDENT_PLAN_REVIEW} {d.get('review_on', '')}）"
    elif k == "assessment":
        body = (f"{assessments.LEVEL_NAMES.get(d.get('level', ''), '')} · "
                f"{assessments.RECOMMENDATION_NAMES.get(d.get('recommendation', ''), '')} · "
                f"{'、'.join(d.get('participants', []))}：{d.get('reasons', '')}")
    elif k == "consent":
        body = " ".join(str(x) for x in (d.get("guardian"), d.get("relation"),
                                         referrals.HOW_NAMES.get(d.get("how", ""), ""), d.get("note")) if x)
    elif k == "referral":
        body = texts.REFERRAL_STATE_NAMES.get(d.get("state", ""), "")
    elif k == "referral_feedback":
        body = str(d.get("feedback", ""))
    elif k == "contact":
        body = " ".join(str(x) for x in (contacts.HOW_NAMES.get(d.get("how", ""), ""), d.get("guardian"),
                                         d.get("summary"), d.get("next_step"), d.get("next_on")) if x)
    else:
        body = ""
    return head, body


