"""Aho-Corasick automata (pyahocorasick) built so that a search step is short.

pyahocorasick keeps a node's children in the order they were added and looks a character up by
scanning them, so at the root, where a search returns after every miss, the order matters: the
keys are added with the prefixes that most keys share first, a fair stand-in for the characters a
text holds most. The order changes no match, only how long a search takes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import ahocorasick

_DEPTH = 2  # levels ordered: the root and its children, where the children lists are long


def build(values: Mapping[str, object]) -> ahocorasick.Automaton | None:
    """An automaton of every key with its value; None for no key (pyahocorasick cannot search then)."""
    if not values:
        return None
    shared = Counter(key[:i] for key in values for i in range(1, min(len(key), _DEPTH) + 1))
    automaton = ahocorasick.Automaton()
    for key in sorted(values, key=lambda k: ([(-shared[k[:i]], k[:i]) for i in range(1, min(len(k), _DEPTH) + 1)], k)):
        automaton.add_word(key, values[key])
    automaton.make_automaton()
    return automaton
