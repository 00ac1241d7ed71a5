"""Normalisation never raises and every evidence span indexes the original text (hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from keywords import Triager
from keywords.lexicon import load_lexicon
from keywords.normalise import (
    _collapse,
    _collapse_all,
    _is_symbol,
    _join_spaced,
    _join_spaced_all,
    _one_to_one,
    _to_simplified,
    _width_fold,
    normalise,
)
from keywords.patterns import any_substitution, substitution_gate

RISKY = st.sampled_from(["自杀", "想死", "不想活了", "跳楼", "割腕", "安眠药", "今晚", "紫砂", "zisha", "死", "笑死"])
NOISE = st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
MESSAGES = st.lists(st.one_of(RISKY, NOISE, st.sampled_from([" ", "、", "。。。", "😭", "ｚ", "\x00"])),
                    max_size=12).map("".join)


@given(st.text(max_size=200))
def test_normalise_never_raises(text: str) -> None:
    n = normalise(text)
    assert len(n.text) == len(n.starts) == len(n.ends)
    for s, e in zip(n.starts, n.ends, strict=True):
        assert 0 <= s < e <= len(text)


@settings(max_examples=300, deadline=None)
@given(MESSAGES)
def test_evidence_spans_index_the_original(triager: Triager, text: str) -> None:
    verdict = triager.triage(text)
    for ev in verdict.evidence:
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start:ev.end] == ev.text
        assert ev.text.strip()


def test_spaced_and_full_width() -> None:
    assert normalise("自 杀").text == "自杀"
    assert normalise("活 着 没 意 思").text == "活着没意思"
    assert normalise("ＡＢＣ").text == "abc"
    assert normalise("我不想，活着真好").text == "我不想，活着真好"


# Text shaped like chat: CJK with the separators and marks the fast paths look at.
SHAPED = st.text(alphabet=st.sampled_from(list("自杀活着没意思好的我你 \t\u3000、，,。.!！?？…*_-~|/\n😭Ａa1")),
                 max_size=40)


@given(SHAPED)
def test_fast_paths_change_nothing_the_full_passes_would_change(text: str) -> None:
    chars, starts, ends = list(text), list(range(len(text))), list(range(1, len(text) + 1))
    assert _join_spaced(chars, starts, ends) == _join_spaced_all(chars, starts, ends)
    assert _collapse(chars, starts, ends) == _collapse_all(chars, starts, ends)


@given(st.text(max_size=60))
def test_plain_fast_path_of_width_folding(text: str) -> None:
    folded, starts, ends = _width_fold(text)
    slow = [(unicodedata.normalize("NFKC", ch).lower(), i) for i, ch in enumerate(text) if not _is_symbol(ch)]
    expected = [(f, i) for part, i in slow for f in part if not _is_symbol(f)]
    assert list(zip(folded, starts, strict=True)) == expected


@given(st.one_of(SHAPED, st.text(max_size=30)))
def test_one_to_one_fast_path_agrees_with_the_full_passes(text: str) -> None:
    fast = _one_to_one(text)
    if fast is None:
        return
    chars, starts, ends = _width_fold(text)
    chars = _to_simplified(chars)
    chars, starts, ends = _collapse_all(*_join_spaced_all(chars, starts, ends))
    assert fast == "".join(chars)
    assert list(range(len(text))) == starts and list(range(1, len(text) + 1)) == ends


VARIANTS = load_lexicon().variants
TRIGGER, GATE = any_substitution(VARIANTS), substitution_gate(VARIANTS)
SLANG = st.lists(st.sampled_from(["想", "要", "去", "自", "紫砂", "霍", "鼠", "噶", "嘎", "了", "掉", "s", "h", "hai",
                                  "zs", "zisha", "si", "4", "bxhl", "jinwan", "的念头", " ", "，", "a", "壶", "我"]),
                 max_size=8).map("".join)


@given(st.one_of(SLANG, st.text(max_size=20)))
def test_the_substitution_gate_never_shuts_out_a_substitution(text: str) -> None:
    assert GATE is not None
    if TRIGGER is not None and TRIGGER.search(text):
        assert GATE.search(text), text


def test_the_substitution_gate_gives_up_on_what_may_match_anything() -> None:
    import re
    assert substitution_gate([(re.compile("a*"), "b")]) is None
    assert substitution_gate([(re.compile("(?i)zs"), "b")]) is None
    assert substitution_gate([(re.compile(r"\w+"), "b")]) is None
    gate = substitution_gate([(re.compile("(?<=想)(?P<w>s|[噶嘎])(?![a-z])"), "死"), (re.compile("x?y{1,2}"), "z")])
    assert gate is not None and all(gate.search(c) for c in "s噶嘎xy") and not gate.search("想死a")
