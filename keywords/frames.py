"""How frames take hits (news, stories, games, a cleared worry): whose wish a hit follows, what a framed
finding becomes, and whether a sentence of a long message was framed by the whole message."""

from __future__ import annotations

from dataclasses import replace

from keywords.matcher import Hit
from keywords.verdict import RANK, Evidence, Verdict

# A hit right after one's own wish or intent (我也想跳楼) is not framed by the news before it.
_WILL = ("wish", "intend")
_WILL_GAP = 2
# right before a wish or an intent, these make it not the sender's: a question about it, a character's
_NOT_ONES_OWN = ("why", "story", "game")
# frames that take what they span, wished or not: a worry checked and found harmless (concepts_context.txt), a
# helper asking what to do if they ever notice it (find_if, concepts_procedure.txt)
CLEARED = frozenset({"cleared", "cleared_strong", "checked", "explained", "find_if"})

# A hit a frame of the whole message took: its span in the original text, and whether a cleared worry took it.
FramedSpan = tuple[int, int, bool]


def willed(hit: Hit, by_concept: dict[str, list[Hit]]) -> bool:
    """Whether a hit follows a wish or an intent, not asked about (他们为什么要跳崖 is a question) and not a
    character's (主角要跳下悬崖, 男主想死: the wish of someone in the story or the game)."""
    before = [y for c in _NOT_ONES_OWN for y in by_concept.get(c, ())]
    return any(hit.start - _WILL_GAP <= w.end <= hit.start and not any(
        w.start - _WILL_GAP <= y.end <= w.start for y in before) for c in _WILL for w in by_concept.get(c, ()))


def unframe(findings: list[Evidence], term_findings: dict[tuple[int, int], list[int]],
            framed: dict[tuple[int, int], str]) -> list[Evidence]:
    """Findings of framed hits: dropped (play) or at most yellow (report), marked as framed."""
    changed: dict[int, Evidence | None] = {}
    for span, how in framed.items():
        for i in term_findings.get(span, ()):
            ev = findings[i]
            if how == "play":
                changed[i] = None
            elif RANK[ev.level] > RANK["yellow"]:
                changed[i] = replace(ev, level="yellow", framed=how)
    out = [changed.get(i, ev) for i, ev in enumerate(findings)]
    return [ev for ev in out if ev is not None]


def framed_whole(segment: Verdict, offset: int, end: int, framed: list[FramedSpan]) -> bool:
    """Whether every urgent rule finding of a sentence (offset to end of the original text) lies on a hit a frame
    of the whole message took; or, when the model alone raised the sentence, whether it holds a hit of a worry
    the member cleared (其实是, 虚惊一场): the model does not read the answer in the next sentence."""
    urgent = [ev for ev in segment.evidence if RANK[ev.level] >= RANK["orange"] and ev.concept != "model"]
    if not urgent:
        return any(cleared and f_start < end and offset < f_end for f_start, f_end, cleared in framed)
    return all(
        any(f_start < ev.end + offset and ev.start + offset < f_end for f_start, f_end, _ in framed)
        for ev in urgent)
