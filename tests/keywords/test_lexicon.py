"""The lexicon is validated on load, with the file and line named; schools add terms without code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from keywords import LexiconError, Triager
from keywords.lexicon import DATA_DIR, load_lexicon


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.parametrize("content, message", [
    ("## extra  purple  suicide  x\n词\n", "unknown level"),
    ("## extra  orange  sadness  x\n词\n", "unknown category"),
    ("## extra  orange  suicide  x\n不想活\n", "duplicate term"),
    ("## extra  orange  suicide  x\n!b\n", "empty term"),
    ("## extra  orange  suicide  x\n约好了 一起走\n", "holds no space"),
    ("词\n", "before any"),
])
def test_bad_extra_file_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "school.txt"
    extra.write_text("# our school\n" + content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(extra=[extra])
    assert message in str(info.value)
    assert f"{extra}:" in str(info.value)
    assert info.value.line >= 2


def test_rule_naming_unknown_concept(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    with (data / "rules.txt").open("a", encoding="utf-8") as f:
        f.write("broken  red  suicide : ideation & no_such_concept\n")
    with pytest.raises(LexiconError, match="unknown concept 'no_such_concept'") as info:
        load_lexicon(data)
    assert "rules.txt:" in str(info.value)


def test_school_terms_without_code(tmp_path: Path) -> None:
    extra = tmp_path / "school.txt"
    extra.write_text("## school_places  part  suicide  our school's high places\n科技楼天井\n"
                     "## school_slang  orange  suicide  local slang for wanting to die\n去见阎王\n", encoding="utf-8")
    triager = Triager.load(extra=[extra], cache_dir=tmp_path / "cache", model=False)
    assert triager.triage("我想去见阎王").level == "orange"
    # the rules alone: the learned model may know the phrase, the school file is what the rules add
    assert Triager.load(cache_dir=tmp_path / "cache", model=False).triage("我想去见阎王").level == "none"


def test_cut_down_jieba_dictionary_lives_in_the_cache_dir(tmp_path) -> None:
    from keywords import Triager

    triager = Triager.load(cache_dir=tmp_path)
    triager.segmenter.warm()
    built = list(tmp_path.glob("jieba-boundary-*.txt"))
    assert len(built) == 1
    words = {line.split()[0] for line in built[0].read_text(encoding="utf-8").splitlines()}
    assert "杀毒" in words and "死机" in words  # words that decide a boundary stay
    assert "天气" not in words  # words that cannot touch a checked term go
    assert triager.triage("电脑死机了，杀毒软件也打不开").level == "none"
    assert triager.triage("我想死").level in ("orange", "red")
    again = Triager.load(cache_dir=tmp_path)  # a second start reuses the generated file
    again.segmenter.warm()
    assert list(tmp_path.glob("jieba-boundary-*.txt")) == built
