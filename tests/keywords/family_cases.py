"""The checks each round of concept families makes on its examples (tests/keywords/test_round*.py).

round_tests(CASES, EVERYDAY) gives a round's three tests: each (family file, example, level) example is
graded so by the rules alone; emptying the family file takes each of its examples below its level; each
everyday sentence stays below orange by the rules alone and with the learned model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from keywords import RANK, Triager

from .test_families import _without


def round_tests(cases: list[tuple[str, str, str]], everyday: list[str]) -> tuple[Callable[..., None], ...]:
    """The three tests of a round, parametrised over its examples and everyday sentences."""

    @pytest.mark.parametrize(("family", "text", "level"), cases)
    def graded_by_the_rules(rules: Triager, family: str, text: str, level: str) -> None:
        assert rules.triage(text).level == level, (family, text)

    @pytest.mark.parametrize("family", sorted({family for family, _, _ in cases}))
    def emptying_the_family_loses_its_examples(family: str, tmp_path: Path) -> None:
        without = _without(family, tmp_path)
        for fam, text, level in cases:
            if fam == family:
                assert RANK[without.triage(text).level] < RANK[level], (family, text)

    @pytest.mark.parametrize("text", everyday)
    def everyday_stays_below_orange(triager: Triager, rules: Triager, text: str) -> None:
        assert RANK[rules.triage(text).level] < RANK["orange"], text
        assert RANK[triager.triage(text).level] < RANK["orange"], text

    return graded_by_the_rules, emptying_the_family_loses_its_examples, everyday_stays_below_orange
