"""`Triager.triage(text) -> Verdict`: normalise, match, apply rules, weigh."""

from __future__ import annotations

import heapq
from dataclasses import replace
from pathlib import Path

from keywords.frames import CLEARED, FramedSpan, framed_whole, unframe, willed
from keywords.lexicon import DATA_DIR, FRAME_LEVELS, Lexicon, load_lexicon
from keywords.matcher import Hit, Matcher
from keywords.model import Model, load_model
from keywords.normalise import Normalised, normalise, prepare
from keywords.patterns import any_substitution, substitution_gate
from keywords.pinyin import PinyinReader
from keywords.rule_index import RuleIndex, can_fire
from keywords.rules import apply_rule, is_negated
from keywords.second_opinion import SecondOpinion
from keywords.segmenter import Segmenter, default_cache_dir
from keywords.segments import SEGMENT_MIN_CHARS, long_message
from keywords.verdict import RANK, Evidence, Verdict

_FINDING_LEVELS = ("red", "orange", "yellow")
_NEGATABLE = ("suicide", "self_harm")
# Parts that only hold a finding together (a time, an intent, a person, a degree, a negation): a sentence
# of a long message with nothing else is not graded alone by the segment stage.
_SCAFFOLD = frozenset({"soon", "week_day", "intend", "wish", "me", "target_other", "degree", "negation", "go"})
_READ_FIRST = {"red": 0, "orange": 1, "yellow": 2, "part": 3}
PINYIN_TABLE = DATA_DIR / "pinyin.tsv"
_NONE = Verdict("none")  # immutable: one for every message without a finding


class Triager:
    """Loaded once (lexicon, automaton, jieba); triage is then pure and repeatable."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path | None = None, model: Model | None = None) -> None:
        self.lexicon = lexicon
        words = sorted({t for c in lexicon.concepts.values() for t in c.terms if len(t) > 1})
        boundary_chars = {ch for c in lexicon.concepts.values()
                          for term, checked in c.terms.items() if checked for ch in term}
        self.segmenter = Segmenter(words, boundary_chars, cache_dir)
        self.matcher = Matcher(lexicon, self.segmenter)
        self._variant_trigger = any_substitution(lexicon.variants)
        self._variant_gate = substitution_gate(lexicon.variants)
        # pinyin read with the terms of findings and parts, the riskier concepts' first where two read the
        # same (safety first: xiang si is 想死, never the trap 香死; a trap still applies to what is read)
        by_risk = sorted((c for c in lexicon.concepts.values() if c.level in _READ_FIRST),
                         key=lambda c: _READ_FIRST[c.level])
        self._pinyin = PinyinReader(PINYIN_TABLE, (t for c in by_risk for t in c.terms))
        prepare()
        self.opinion = SecondOpinion(lexicon, model)
        self._rules = RuleIndex(lexicon)

    @property
    def model(self) -> Model | None:
        """The learned model, if one was loaded."""
        return self.opinion.model

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR, extra: list[Path] | None = None,
             cache_dir: Path | None = None, model: bool = True) -> Triager:
        """Load and validate the lexicon (plus per-school files), and the model file if any; build a triager."""
        learned = load_model(data_dir / "model.json") if model else None
        return cls(load_lexicon(data_dir, extra), cache_dir if cache_dir else default_cache_dir(), learned)

    def triage(self, text: str) -> Verdict:
        """Grade one message red / orange / yellow / none, with the evidence.

        A long message (keywords.segments) is also graded sentence by sentence, each with its own
        frames, and takes the highest level: a risk buried among ordinary news is found.
        """
        framed: list[FramedSpan] = []
        verdict = self._triage_text(text, gated=False, framed=framed) or _NONE  # never None when not gated
        if verdict.level == "red" or len(text) < SEGMENT_MIN_CHARS:  # most messages: too short to cut
            return verdict
        spans = long_message(text)
        if not spans:
            return verdict
        return self._by_segments(text, spans, verdict, framed)

    def _triage_text(self, text: str, gated: bool, framed: list[FramedSpan] | None = None
                     ) -> Verdict | None:
        """The verdict of one text as a whole; gated, None when the rules find nothing in it and its only
        terms are scaffolding (times, intent, persons, degree, negation): the model is not asked about
        a sentence with nothing to go on. Alone, a short ordinary sentence such as 周四周五按计划进行了
        期中复习 reads to it like the short crisis notes it learned from. `framed` collects the spans (in
        the original text) of the hits a frame took."""
        norm = self.normalised(text)
        verdict, muted, hits = self._by_rules(norm, gated, framed)
        if gated and verdict.level == "none" and all(h[0] in _SCAFFOLD for h in hits):
            return None
        if self.opinion.model is None or muted or verdict.level == "red":
            return verdict
        return self.opinion.weigh(norm, verdict)

    def _by_segments(self, text: str, spans: list[tuple[int, int]], verdict: Verdict,
                     framed: list[FramedSpan]) -> Verdict:
        """The segment stage: each sentence in which the rules find something is graded alone (rules, its own
        frames, the model); an orange or red sentence above the whole message's level raises it, its
        evidence first (spans in the original text). It never lowers the whole message's level, and
        never raises to yellow: alone, an ordinary sentence of a long check-in (要出国, 流了点血) reads
        to the distress head like the short notes it learned from, and the whole message judges yellow.
        A sentence whose urgent findings a frame of the whole message took (a lesson named in the sentence
        before, everyone laughing after it) does not raise it either: the frame reads across sentences."""
        best: Verdict | None = None
        best_start = 0
        for start, end in spans:
            segment = self._triage_text(text[start:end], gated=True)
            if segment is not None and segment.urgent and RANK[segment.level] > RANK[verdict.level] and (
                    best is None or RANK[segment.level] > RANK[best.level]) and not (
                    framed and framed_whole(segment, start, end, framed)):
                best, best_start = segment, start
                if segment.level == "red":
                    break
        if best is None:
            return verdict
        moved = tuple(replace(ev, start=ev.start + best_start, end=ev.end + best_start) for ev in best.evidence)
        cats = (*best.categories, *(c for c in verdict.categories if c not in best.categories))
        return Verdict(best.level, cats, (*moved, *verdict.evidence))

    def _by_rules(self, norm: Normalised, gated: bool = True, framed: list[FramedSpan] | None = None
                  ) -> tuple[Verdict, bool, list[Hit]]:
        """The rules' verdict, whether the model must stay out (a trap, a frame, a negation, a cap), and
        the terms found (not gated, none when nothing can come of them: they are not needed then)."""
        matches = self.matcher.matches(norm.text)
        if not gated:
            # Most messages: parts only, no rule can start from every concept matched, no cap, no trap.
            # The candidates are some of these matches, so grading them would find nothing either
            # (grade's fast path, on a superset): the hits are not built at all.
            rules = self._rules
            bit = rules.bit
            found = 0
            for _end, (_term, concept, _length) in matches:
                found |= bit[concept]
            if not found & rules.quiet_bits and not rules.startable(found):
                return _NONE, False, []
        hits, trapped = self.matcher.candidates_and_traps(norm.text, matches)
        if not hits:
            return _NONE, trapped, hits
        verdict, muted = self.grade(norm, hits, framed)
        muted = muted or (trapped and verdict.level == "none")
        if verdict.level == "none" or not self.matcher.needs_check(hits):
            return verdict, muted, hits
        checked = self.matcher.check(norm.text, hits)
        if len(checked) == len(hits):
            return verdict, muted, hits
        if framed is not None:
            framed.clear()
        verdict, muted = self.grade(norm, checked, framed)
        return verdict, muted or (trapped and verdict.level == "none"), hits

    def normalised(self, text: str) -> Normalised:
        """The text as the lexicon matches it: folded, spelling variants and pinyin read (keywords.normalise)."""
        return normalise(text, self.lexicon.variants, self._variant_trigger, self._variant_gate, self._pinyin)

    def model_text(self, norm: Normalised) -> str:
        """What the model reads (SecondOpinion.model_text)."""
        return self.opinion.model_text(norm)

    def grade(self, norm: Normalised, hits: list[Hit], framed_out: list[FramedSpan] | None = None
              ) -> tuple[Verdict, bool]:
        """Weigh the hits of a normalised message: terms, frames, rules, negation, caps.

        Also says whether the message is muted for the model: a procedure question, a negated
        thought or a framed one (news, story, game) is the rules' to judge.
        """
        # Fast path: parts only (no finding-level term), and no rule can start from every concept found
        # (before negation, so a superset of what the rules will see): nothing can come of it.
        rules = self._rules
        bit = rules.bit
        found = 0
        for h in hits:
            found |= bit[h[0]]
        if not found & rules.finding_bits and not rules.startable(found):
            return _NONE, bool(found & rules.cap_bits)
        by_concept: dict[str, list[Hit]] = {}
        findings: list[Evidence] = []
        term_findings: dict[tuple[int, int], list[int]] = {}
        capped = False
        concepts = self.lexicon.concepts
        for h in hits:
            concept = concepts[h[0]]
            level = concept.level
            capped = capped or level == "cap"
            if level in _FINDING_LEVELS:
                ev = self._evidence(norm, concept.name, level, concept.category, h[1], h[2], None)
                term_findings.setdefault((h[1], h[2]), []).append(len(findings))
                findings.append(ev)
                negated = ev.negated
            else:  # a part: only whether it is negated matters, no evidence to build
                negated = self._negated(norm, concept.category, h[1])
            if not negated:
                by_concept.setdefault(h[0], []).append(h)
        framed: dict[tuple[int, int], str] = {}
        cleared_spans: set[tuple[int, int]] = set()  # the hits a cleared worry took
        # Rules run in file order; one that fires can enable later rules that name it.
        needs = rules.needs
        present = 0
        for c in by_concept:
            present |= bit[c]
        pending = list(rules.startable(present))
        if not pending and not findings:
            return _NONE, capped
        queued = set(pending)
        while pending:
            index = heapq.heappop(pending)
            rule = self.lexicon.rules[index]
            if rule.level in FRAME_LEVELS:
                for group in apply_rule(norm.text, rule, by_concept):
                    # a worry cleared by the member's answer takes what was said before it, wished or not
                    cleared = any(h.concept in CLEARED for h in group)
                    for h in group:
                        frame = self.lexicon.concepts.get(h.concept)
                        if frame is not None and frame.level == "frame":
                            continue
                        if (cleared or not willed(h, by_concept)) and h in by_concept.get(h.concept, ()):
                            framed[(h.start, h.end)] = rule.level
                            if cleared:
                                cleared_spans.add((h.start, h.end))
                            by_concept[h.concept].remove(h)
                continue
            released = False  # whether this rule's name has been added and the rules naming it queued
            for group in apply_rule(norm.text, rule, by_concept):
                capped = capped or rule.level == "cap"
                start, end = min(h.start for h in group), max(h.end for h in group)
                if rule.level in _FINDING_LEVELS:
                    ev = self._evidence(norm, rule.name, rule.level, rule.category, start, end, rule.text)
                    findings.append(ev)
                    negated = ev.negated
                else:  # a part: only whether it is negated matters, no evidence to build
                    negated = self._negated(norm, rule.category, start)
                if not negated:
                    by_concept.setdefault(rule.name, []).append(Hit(rule.name, start, end, norm.text[start:end]))
                    if released:  # the same name again: nothing more can be queued for it
                        continue
                    released = True
                    present |= bit[rule.name]
                    for later in rules.rules_by_name.get(rule.name, ()):
                        if later > index and later not in queued and can_fire(present, needs[later]):
                            queued.add(later)
                            heapq.heappush(pending, later)
        if framed:
            findings = unframe(findings, term_findings, framed)
            if framed_out is not None:
                framed_out.extend((*norm.span(start, end), (start, end) in cleared_spans) for start, end in framed)
        muted = capped or bool(framed) or any(ev.negated for ev in findings)
        return self._weigh(findings, capped), muted

    def _negated(self, norm: Normalised, category: str, start: int) -> bool:
        """Whether a thought of suicide or self-harm at start is negated (我没有想自杀)."""
        return category in _NEGATABLE and is_negated(norm.text, start, self.lexicon.negators)

    def _evidence(self, norm: Normalised, concept: str, level: str, category: str,
                  start: int, end: int, rule: str | None) -> Evidence:
        """The evidence of a term or rule found at [start, end) of the normalised text."""
        negated = self._negated(norm, category, start)
        o_start, o_end = norm.span(start, end)
        return Evidence(concept, level, category, o_start, o_end, norm.original[o_start:o_end], rule, negated)

    @staticmethod
    def _weigh(findings: list[Evidence], capped: bool) -> Verdict:
        if not findings:
            return _NONE
        level = "none"
        cats: dict[str, int] = {}
        for ev in findings:
            lv = "yellow" if ev.negated else ev.level
            cat = "distress" if ev.negated else ev.category
            if RANK[lv] > RANK[level]:
                level = lv
            cats[cat] = max(cats.get(cat, 0), RANK[lv])
        if capped and level in ("orange", "yellow"):
            # A question about procedure is one step less urgent; a red combination stays red.
            level = "yellow" if level == "orange" else "none"
        ordered = sorted(cats, key=lambda c: -cats[c])
        evidence = tuple(sorted(findings, key=lambda e: (-RANK[e.level], e.start)))
        return Verdict(level, tuple(ordered), evidence)
