"""Fixtures of the triage tests: the shipped lexicon without the learned model."""

from __future__ import annotations

import pytest

from keywords import Triager


@pytest.fixture(scope="session")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Triager:
    """The shipped lexicon without the learned model."""
    return Triager.load(cache_dir=tmp_path_factory.mktemp("jieba"), model=False)
