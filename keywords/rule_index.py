"""Which rules a set of concepts can fire: every concept and rule name as a bit, each rule's steps as masks.

A rule can fire only when each of its steps has a concept present (a necessary condition, checked
before the rule is queued: most rules are never tried). Rules are indexed by the concepts their first
step starts with, and a rule's name that fires queues the later rules that name it in any step.
"""

from __future__ import annotations

from keywords.lexicon import Lexicon

_FINDING_LEVELS = ("red", "orange", "yellow")
_FIRST_RULES_CACHE = 16384


def can_fire(present: int, needs: tuple[int, tuple[int, ...]]) -> bool:
    """Whether every step of a rule has a concept present: all of its one-concept steps' bits, and one
    bit of each step of several concepts."""
    required, any_of = needs
    if present & required != required:
        return False
    for mask in any_of:
        if not present & mask:
            return False
    return True


class RuleIndex:
    """The bits of a lexicon's concepts and rules, and the rules each set of bits can start."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.bit: dict[str, int] = {}
        for name in [*lexicon.concepts, *(r.name for r in lexicon.rules)]:
            self.bit.setdefault(name, 1 << len(self.bit))
        self._names = list(self.bit)  # bit k is self._names[k]
        concepts = lexicon.concepts.values()
        self.finding_bits = sum(self.bit[c.name] for c in concepts if c.level in _FINDING_LEVELS)
        self.cap_bits = sum(self.bit[c.name] for c in concepts if c.level == "cap")
        # A match of any of these makes a message more than "nothing can come of it": a finding, a cap, a trap.
        traps = sum(self.bit[c.name] for c in concepts if c.level == "none")
        self.quiet_bits = self.finding_bits | self.cap_bits | traps
        rule_names = {r.name for r in lexicon.rules}
        self._by_first: dict[str, list[int]] = {}
        self.rules_by_name: dict[str, list[int]] = {}
        # Per rule: the bits its one-concept steps need all together (one comparison), and the masks of its
        # steps of several concepts, tested one by one.
        self.needs: list[tuple[int, tuple[int, ...]]] = []
        for i, rule in enumerate(lexicon.rules):
            for concept in rule.conjuncts[0][0][0].concepts:
                self._by_first.setdefault(concept, []).append(i)
            masks = []
            for steps, _gaps in rule.conjuncts:
                for step in steps:
                    m = 0
                    for concept in step.concepts:
                        m |= self.bit[concept]
                        if concept in rule_names and i not in self.rules_by_name.setdefault(concept, []):
                            self.rules_by_name[concept].append(i)
                    masks.append(m)
            self.needs.append((sum({m for m in masks if m and not m & (m - 1)}),
                               tuple(m for m in masks if not m or m & (m - 1))))
        self._first_rules: dict[int, tuple[int, ...]] = {}

    def startable(self, present: int) -> tuple[int, ...]:
        """The rules a set of concepts (as bits) can start, in file order: those whose first step has one
        of them and each of whose steps has a concept present. Depends on the set only: kept (bounded)."""
        first = self._first_rules.get(present)
        if first is None:
            needs, names, by_first = self.needs, self._names, self._by_first
            found: set[int] = set()
            rest = present
            while rest:  # the concepts present, lowest bit first
                low = rest & -rest
                rest ^= low
                found.update(i for i in by_first.get(names[low.bit_length() - 1], ()) if can_fire(present, needs[i]))
            first = tuple(sorted(found))
            if len(self._first_rules) >= _FIRST_RULES_CACHE:
                self._first_rules.pop(next(iter(self._first_rules)))
            self._first_rules[present] = first
        return first
