"""The learned second opinion: reproducible training, raises only, says it is the model's, and stays
out of procedure questions, negated and framed thoughts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keywords import Triager
from keywords.lexicon import load_lexicon
from keywords.model import GramIndex, Head, Model, load_model, ngram_set, train

EXAMPLES = [("我在玩蓝鲸游戏", 1, 1.0), ("蓝鲸任务第四十天", 1, 1.0), ("我们在玩捉迷藏", 0, 1.0),
            ("今天玩游戏很开心", 0, 1.0), ("蓝鲸的任务我做完了", 1, 1.0), ("周末去公园玩", 0, 1.0)] * 3


def test_training_is_reproducible(tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    Model(train(EXAMPLES), train(EXAMPLES)).dump(one)
    Model(train(list(EXAMPLES)), train(list(EXAMPLES))).dump(two)
    assert one.read_bytes() == two.read_bytes()
    model = load_model(one)
    assert model is not None and model.urgent.score("蓝鲸任务")[0] > model.urgent.score("去公园")[0]


def test_model_file_of_other_ngrams_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    head = {"bias": 0, "threshold": 0.5, "weights": {}}
    path.write_text(json.dumps({"ngrams": [1], "urgent": head}), encoding="utf-8")
    with pytest.raises(ValueError, match="n-grams"):
        load_model(path)


@pytest.fixture(scope="module")
def with_model(tmp_path_factory: pytest.TempPathFactory) -> Triager:
    weights = {"蓝鲸": 6.0, "自杀": 6.0, "不想": -20.0, "想活": -20.0, "跳下": -20.0}
    red = Head({"任务": 8.0, "不想": -20.0}, -3.0, 0.9)
    return Triager(load_lexicon(), tmp_path_factory.mktemp("jieba"), Model(Head(weights, -3.0, 0.9), red))


def test_model_raises_with_evidence_that_says_so(with_model: Triager, tmp_path: Path) -> None:
    text = "我最近在玩蓝鲸"
    verdict = with_model.triage(text)
    assert verdict.level == "orange"
    ev = verdict.evidence[0]
    assert ev.concept == "model" and "learned model" in (ev.rule or "") and "score" in (ev.rule or "")
    assert text[ev.start:ev.end] == ev.text == "蓝鲸"
    assert Triager(load_lexicon(), tmp_path).triage(text).level == "none"  # the rules alone see nothing


def test_red_head_raises_orange_to_red(with_model: Triager) -> None:
    verdict = with_model.triage("今天是蓝鲸任务最后一天")
    assert verdict.level == "red"
    assert verdict.evidence[0].concept == "model" and verdict.evidence[0].level == "red"


def test_model_never_lowers_a_rule(with_model: Triager) -> None:
    assert with_model.triage("我今晚就从楼顶跳下去").level == "red"
    assert with_model.triage("我真的不想活了").level == "orange"


@pytest.mark.parametrize("text, level", [
    ("如果同学说想自杀，心理委员应该怎么办？", "none"),  # a procedure question
    ("我没有想自杀，只是压力大", "yellow"),  # a negated thought
    ("小说里的主角最后自杀了", "none"),  # a story
])
def test_model_stays_out_of_muted_messages(with_model: Triager, text: str, level: str) -> None:
    assert with_model.triage(text).level == level


def test_heads_scored_from_the_ngram_set_score_as_read_one_by_one() -> None:
    head = Head({"蓝鲸": 2.0, "鲸任": 1.5, "任务": 0.7, "不想": -1.0, "想活": 0.4, "活了": 2.0}, -1.0, 0.6)
    for text in ["蓝鲸任务", "我不想活了", "蓝鲸任务，不想活了，蓝鲸", "去公园", "", "鲸"]:
        one, two = head.score(text), head.score_set(text, ngram_set(text))
        assert abs(one[0] - two[0]) < 1e-12, text
        if two[0] >= head.threshold:
            assert one[1] == two[1], text


def test_heads_scored_from_the_gram_index_score_as_from_the_ngram_set() -> None:
    urgent = Head({"蓝鲸": 2.0, "鲸任": 1.5, "任务": 0.7, "不想": -1.0, "想活": 0.4, "活了": 2.0, "鲸": 9.0}, -1.0, 0.6)
    red = Head({"活了": 1.0, "不想活": 3.0, "公园": 0.0}, -2.0, 0.5)
    model = Model(urgent, red, Head({}, 0.3, 0.4))
    index = GramIndex(model)
    for text in ["蓝鲸任务", "我不想活了", "蓝鲸任务，不想活了，蓝鲸", "去公园", "", "鲸", "活了活了不想活"]:
        found = index.found(text)
        for head, by_index in zip(model.heads, (index.urgent, index.red, index.distress), strict=True):
            assert head is not None and by_index is not None
            one, two = head.score_set(text, ngram_set(text)), by_index.score(text, found)
            assert abs(one[0] - two[0]) < 1e-12 and one[1] == two[1], text
    assert GramIndex(Model(Head({}, 0.0, 0.5))).found("蓝鲸任务") == set()


def test_distress_head_raises_none_to_yellow_only(tmp_path: Path) -> None:
    lexicon = load_lexicon()
    urgent = Head({"鲸": -5.0}, -6.0, 0.9)
    distress = Head({"作业": 8.0}, -3.0, 0.8)
    triager = Triager(lexicon, tmp_path, Model(urgent, None, distress))
    verdict = triager.triage("我的作业本是蓝色的")
    assert verdict.level == "yellow" and verdict.categories == ("distress",)
    assert verdict.evidence[0].concept == "model" and "yellow score" in (verdict.evidence[0].rule or "")
    assert triager.triage("我真的不想活了").level == "orange"  # never lowered, never raised past yellow


def test_the_model_does_not_read_openers(tmp_path: Path) -> None:
    urgent = Head({"不该": 9.0, "该说": 9.0}, -3.0, 0.9)
    triager = Triager(load_lexicon(), tmp_path, Model(urgent))
    assert triager.triage("有件事不知道该不该说").level == "none"
    assert triager.triage("我觉得我不该活着说话").level in ("orange", "red")  # the same n-grams elsewhere count
