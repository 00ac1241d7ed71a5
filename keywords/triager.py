"""`Triager.triage(text) -> Verdict`: normalise, match, apply rules, weigh."""

from __future__ import annotations

import heapq
import re
from dataclasses import replace
from pathlib import Path

from keywords.lexicon import DATA_DIR, FRAME_LEVELS, Lexicon, load_lexicon
from keywords.matcher import Hit, Matcher
from keywords.model import GramIndex, Head, Model, load_model
from keywords.normalise import Normalised, any_substitution, normalise, prepare, substitution_gate
from keywords.rules import apply_rule, is_negated
from keywords.segmenter import Segmenter, default_cache_dir
from keywords.segments import SEGMENT_MIN_CHARS, long_message
from keywords.verdict import RANK, Evidence, Verdict

_FINDING_LEVELS = ("red", "orange", "yellow")
_NEGATABLE = ("suicide", "self_harm")
# A hit right after one's own wish or intent (我也想跳楼) is not framed by the news before it.
_WILL = ("wish", "intend")
_WILL_GAP = 2
_FIRST_RULES_CACHE = 16384
# Parts that only hold a finding together (a time, an intent, a person, a degree, a negation): a sentence
# of a long message with nothing else is not graded alone by the segment stage.
_SCAFFOLD = frozenset({"soon", "intend", "wish", "me", "target_other", "degree", "negation", "go"})
_NONE = Verdict("none")  # immutable: one for every message without a finding
_URGENT = ("orange", "red")  # Verdict.urgent
_COMMON = frozenset("我你他她它的了是不要在有也可和说想就都还会能这那个么吗呢吧啊")


def _can_fire(present: int, needs: tuple[int, tuple[int, ...]]) -> bool:
    """Whether every step of a rule has a concept present: all of its one-concept steps' bits, and one
    bit of each step of several concepts."""
    required, any_of = needs
    if present & required != required:
        return False
    for mask in any_of:
        if not present & mask:
            return False
    return True


class Triager:
    """Loaded once (lexicon, automaton, jieba); triage is then pure and repeatable."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path | None = None, model: Model | None = None) -> None:
        self.lexicon = lexicon
        self.model = model
        self._grams = GramIndex(model) if model is not None else None
        self._grams_of = model
        words = sorted({t for c in lexicon.concepts.values() for t in c.terms if len(t) > 1})
        boundary_chars = {ch for c in lexicon.concepts.values()
                          for term, checked in c.terms.items() if checked for ch in term}
        self.segmenter = Segmenter(words, boundary_chars, cache_dir)
        self.matcher = Matcher(lexicon, self.segmenter)
        self._variant_trigger = any_substitution(lexicon.variants)
        self._variant_gate = substitution_gate(lexicon.variants)
        prepare()
        asides = sorted({t.lower() for c in lexicon.concepts.values() if c.level == "aside" for t in c.terms},
                        key=lambda t: (-len(t), t))
        self._aside = re.compile("|".join(re.escape(t) for t in asides)) if asides else None
        # Every aside holds one of these (the rarest character of each): a class search before the regex.
        counts: dict[str, int] = {}
        for t in asides:
            for ch in set(t):
                counts[ch] = counts.get(ch, 0) + 1
        aside_chars = sorted({min(t, key=lambda ch: (ch in _COMMON, counts[ch], ch)) for t in asides})
        self._aside_chars = re.compile(f"[{''.join(re.escape(ch) for ch in aside_chars)}]") if asides else None
        # Rules by the concepts their first step starts with: a message only tries the rules it can fire.
        self._rules_by_first: dict[str, list[int]] = {}
        # Every concept and rule name is a bit; a rule can fire only when each of its steps has a bit
        # present (a necessary condition, checked before the rule is queued: most are never tried).
        # A rule's name that fires queues the later rules that name it in any step.
        self._bit: dict[str, int] = {}
        names = [*lexicon.concepts, *(r.name for r in lexicon.rules)]
        for name in names:
            self._bit.setdefault(name, 1 << len(self._bit))
        self._names = list(self._bit)  # bit k is self._names[k]
        self._rules_by_name: dict[str, list[int]] = {}
        self._first_rules: dict[int, tuple[int, ...]] = {}
        self._finding_bits = sum(self._bit[c.name] for c in lexicon.concepts.values() if c.level in _FINDING_LEVELS)
        self._cap_bits = sum(self._bit[c.name] for c in lexicon.concepts.values() if c.level == "cap")
        # A match of any of these makes a message more than "nothing can come of it": a finding, a cap, a trap.
        self._quiet_bits = self._finding_bits | self._cap_bits | sum(
            self._bit[c.name] for c in lexicon.concepts.values() if c.level == "none")
        self._rule_masks: list[tuple[int, ...]] = []
        for i, rule in enumerate(lexicon.rules):
            for concept in rule.conjuncts[0][0][0].concepts:
                self._rules_by_first.setdefault(concept, []).append(i)
            masks = []
            for steps, _gaps in rule.conjuncts:
                for step in steps:
                    m = 0
                    for concept in step.concepts:
                        m |= self._bit[concept]
                        if concept in self._rules_by_name or any(r.name == concept for r in lexicon.rules):
                            self._rules_by_name.setdefault(concept, [])
                            if i not in self._rules_by_name[concept]:
                                self._rules_by_name[concept].append(i)
                    masks.append(m)
            self._rule_masks.append(tuple(masks))
        # The same test, faster: the steps of one concept give bits that must all be present (one
        # comparison), and only the steps of several concepts are tested one by one.
        self._rule_needs: list[tuple[int, tuple[int, ...]]] = [
            (sum({m for m in masks if m and not m & (m - 1)}), tuple(m for m in masks if not m or m & (m - 1)))
            for masks in self._rule_masks]

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
        framed: list[tuple[int, int]] = []
        verdict = self._triage_text(text, gated=False, framed=framed) or _NONE  # never None when not gated
        if verdict.level == "red" or len(text) < SEGMENT_MIN_CHARS:  # most messages: too short to cut
            return verdict
        spans = long_message(text)
        if not spans:
            return verdict
        return self._by_segments(text, spans, verdict, framed)

    def _triage_text(self, text: str, gated: bool, framed: list[tuple[int, int]] | None = None) -> Verdict | None:
        """The verdict of one text as a whole; gated, None when the rules find nothing in it and its only
        terms are scaffolding (times, intent, persons, degree, negation): the model is not asked about
        a sentence with nothing to go on. Alone, a short ordinary sentence such as 周四周五按计划进行了
        期中复习 reads to it like the short crisis notes it learned from. `framed` collects the spans (in
        the original text) of the hits a frame took."""
        norm = normalise(text, self.lexicon.variants, self._variant_trigger, self._variant_gate)
        verdict, muted, hits = self._by_rules(norm, gated, framed)
        if gated and verdict.level == "none" and all(h[0] in _SCAFFOLD for h in hits):
            return None
        if self.model is None or muted or verdict.level == "red":
            return verdict
        return self._second_opinion(norm, verdict, self.model)

    def _by_segments(self, text: str, spans: list[tuple[int, int]], verdict: Verdict,
                     framed: list[tuple[int, int]]) -> Verdict:
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
                    framed and self._framed_whole(segment, start, framed)):
                best, best_start = segment, start
                if segment.level == "red":
                    break
        if best is None:
            return verdict
        moved = tuple(replace(ev, start=ev.start + best_start, end=ev.end + best_start) for ev in best.evidence)
        cats = (*best.categories, *(c for c in verdict.categories if c not in best.categories))
        return Verdict(best.level, cats, (*moved, *verdict.evidence))

    @staticmethod
    def _framed_whole(segment: Verdict, offset: int, framed: list[tuple[int, int]]) -> bool:
        """Whether every urgent rule finding of a sentence lies on a hit a frame of the whole message took."""
        urgent = [ev for ev in segment.evidence if RANK[ev.level] >= RANK["orange"] and ev.concept != "model"]
        return bool(urgent) and all(
            any(f_start < ev.end + offset and ev.start + offset < f_end for f_start, f_end in framed)
            for ev in urgent)

    def _by_rules(self, norm: Normalised, gated: bool = True, framed: list[tuple[int, int]] | None = None
                  ) -> tuple[Verdict, bool, list[Hit]]:
        """The rules' verdict, whether the model must stay out (a trap, a frame, a negation, a cap), and
        the terms found (not gated, none when nothing can come of them: they are not needed then)."""
        matches = self.matcher.matches(norm.text)
        if not gated:
            # Most messages: parts only, no rule can start from every concept matched, no cap, no trap.
            # The candidates are some of these matches, so grading them would find nothing either
            # (grade's fast path, on a superset): the hits are not built at all.
            bit = self._bit
            found = 0
            for _end, (_term, concept, _length) in matches:
                found |= bit[concept]
            if not found & self._quiet_bits:
                first = self._first_rules.get(found)
                if not (first if first is not None else self._startable(found)):
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

    def _second_opinion(self, norm: Normalised, verdict: Verdict, model: Model) -> Verdict:
        """The model may raise below orange to orange, orange to red, and none to yellow; its evidence
        says it is the model's. The text's weighted n-grams are found once (one automaton for every
        head); a head is scored only when needed."""
        text = self.model_text(norm)
        if self._grams is None or self._grams_of is not model:  # the model was replaced after loading
            self._grams, self._grams_of = GramIndex(model), model
        grams = self._grams
        found = grams.found(text)
        if verdict.level not in _URGENT:
            scored = grams.urgent.score(text, found)
            raised = self._raise(norm, verdict, model.urgent, scored, "orange") if scored[1] is not None else verdict
            if raised is verdict:
                if verdict.level == "none" and grams.distress is not None:
                    scored = grams.distress.score(text, found)
                    if scored[1] is None:  # most messages: below the threshold
                        return verdict
                    return self._raise(norm, verdict, grams.distress.head, scored, "yellow")
                return verdict
            verdict = raised
        if verdict.level == "orange" and grams.red is not None:
            verdict = self._raise(norm, verdict, grams.red.head, grams.red.score(text, found), "red")
        return verdict

    def model_text(self, norm: Normalised) -> str:
        """What the model reads: the text with openers and hedges blanked (same length, spans kept)."""
        text = norm.text
        if self._aside is None or self._aside_chars is None or not self._aside_chars.search(text):
            return text  # most messages: no character that opens an aside
        return self._aside.sub(lambda m: " " * len(m.group()), text)

    @staticmethod
    def _raise(norm: Normalised, verdict: Verdict, head: Head, scored: tuple[float, tuple[int, int] | None],
               level: str) -> Verdict:
        score, span = scored
        if score < head.threshold or span is None:
            return verdict
        start, end = norm.span(*span)
        category = verdict.categories[0] if verdict.categories else ("distress" if level == "yellow" else "suicide")
        ev = Evidence("model", level, category, start, end, norm.original[start:end],
                      f"learned model, not a rule: {level} score {score:.2f} >= {head.threshold:.2f}")
        cats = (category, *(c for c in verdict.categories if c != category))
        return Verdict(level, cats, (ev, *verdict.evidence))

    def grade(self, norm: Normalised, hits: list[Hit], framed_out: list[tuple[int, int]] | None = None
              ) -> tuple[Verdict, bool]:
        """Weigh the hits of a normalised message: terms, frames, rules, negation, caps.

        Also says whether the message is muted for the model: a procedure question, a negated
        thought or a framed one (news, story, game) is the rules' to judge.
        """
        # Fast path: parts only (no finding-level term), and no rule can start from every concept found
        # (before negation, so a superset of what the rules will see): nothing can come of it.
        bit = self._bit
        found = 0
        for h in hits:
            found |= bit[h[0]]
        if not found & self._finding_bits and not self._startable(found):
            return _NONE, bool(found & self._cap_bits)
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
                negated = concept.category in _NEGATABLE and is_negated(norm.text, h[1], self.lexicon.negators)
            if not negated:
                by_concept.setdefault(h[0], []).append(h)
        framed: dict[tuple[int, int], str] = {}
        # Rules run in file order; one that fires can enable later rules that name it.
        needs = self._rule_needs
        present = 0
        for c in by_concept:
            present |= bit[c]
        pending = list(self._startable(present))
        if not pending and not findings:
            return _NONE, capped
        queued = set(pending)
        while pending:
            index = heapq.heappop(pending)
            rule = self.lexicon.rules[index]
            if rule.level in FRAME_LEVELS:
                for group in apply_rule(norm.text, rule, by_concept):
                    for h in group:
                        frame = self.lexicon.concepts.get(h.concept)
                        if frame is not None and frame.level == "frame":
                            continue
                        if not self._willed(h, by_concept) and h in by_concept.get(h.concept, ()):
                            framed[(h.start, h.end)] = rule.level
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
                    negated = rule.category in _NEGATABLE and is_negated(norm.text, start, self.lexicon.negators)
                if not negated:
                    by_concept.setdefault(rule.name, []).append(Hit(rule.name, start, end, norm.text[start:end]))
                    if released:  # the same name again: nothing more can be queued for it
                        continue
                    released = True
                    present |= bit[rule.name]
                    for later in self._rules_by_name.get(rule.name, ()):
                        if later > index and later not in queued and _can_fire(present, needs[later]):
                            queued.add(later)
                            heapq.heappush(pending, later)
        if framed:
            findings = self._unframe(findings, term_findings, framed)
            if framed_out is not None:
                framed_out.extend(norm.span(start, end) for start, end in framed)
        muted = capped or bool(framed) or any(ev.negated for ev in findings)
        return self._weigh(findings, capped), muted

    def _startable(self, present: int) -> tuple[int, ...]:
        """The rules a set of concepts (as bits) can start, in file order: those whose first step has one
        of them and each of whose steps has a concept present. Depends on the set only: kept (bounded)."""
        first = self._first_rules.get(present)
        if first is None:
            needs, names, by_first = self._rule_needs, self._names, self._rules_by_first
            found: set[int] = set()
            rest = present
            while rest:  # the concepts present, lowest bit first
                low = rest & -rest
                rest ^= low
                found.update(i for i in by_first.get(names[low.bit_length() - 1], ())
                             if _can_fire(present, needs[i]))
            first = tuple(sorted(found))
            if len(self._first_rules) >= _FIRST_RULES_CACHE:
                self._first_rules.pop(next(iter(self._first_rules)))
            self._first_rules[present] = first
        return first

    @staticmethod
    def _willed(hit: Hit, by_concept: dict[str, list[Hit]]) -> bool:
        """Whether a hit follows a wish or an intent, not asked about (他们为什么要跳崖 is a question)."""
        whys = by_concept.get("why", ())
        return any(hit.start - _WILL_GAP <= w.end <= hit.start and not any(
            w.start - _WILL_GAP <= y.end <= w.start for y in whys) for c in _WILL for w in by_concept.get(c, ()))

    @staticmethod
    def _unframe(findings: list[Evidence], term_findings: dict[tuple[int, int], list[int]],
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

    def _evidence(self, norm: Normalised, concept: str, level: str, category: str,
                  start: int, end: int, rule: str | None) -> Evidence:
        """The evidence of a term or rule found at [start, end) of the normalised text."""
        negated = category in _NEGATABLE and is_negated(norm.text, start, self.lexicon.negators)
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
