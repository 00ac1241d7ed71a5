"""The figures of `make eval-triage`, and that a held-out set shows figures only, never its lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from keywords.evaluate import DataError, load_rows, score

ROOT = Path(__file__).resolve().parents[2]


def test_score_counts_red_urgent_and_false_alarm() -> None:
    rows = [{"text": "a", "accept": ["red"]}, {"text": "b", "accept": ["red"]},
            {"text": "c", "accept": ["orange", "red"]}, {"text": "d", "accept": ["none"]},
            {"text": "e", "accept": ["none", "yellow"]}, {"text": "f", "accept": ["yellow", "orange"]}]
    s = score(rows, ["red", "orange", "yellow", "orange", "yellow", "none"])
    assert (s.red_lines, s.red_recall) == (2, 0.5)
    assert (s.urgent_lines, s.urgent_recall) == (3, 2 / 3)
    assert (s.none_lines, s.false_alarm) == (2, 0.5)
    assert s.accepted == 2 / 6


@pytest.mark.parametrize("content, message", [
    ("not json\n", "not JSON"),
    ('{"text": "x"}\n', "needs a string 'text'"),
    ('{"text": "x", "accept": ["purple"]}\n', "needs a string 'text'"),
])
def test_bad_labelled_line_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"text": "ok", "accept": ["none"]}\n' + content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        load_rows(path)
    assert f"{path}:2:" in str(info.value)


def test_bad_case_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.tsv"
    path.write_text("# comment\npurple\tx\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"cases.tsv:2: a case is"):
        load_rows(path)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_triage.py"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_heldout_prints_figures_never_lines(tmp_path: Path) -> None:
    secret = "这一行只在留出集里出现我不想活了"
    path = tmp_path / "heldout_check.jsonl"
    path.write_text(json.dumps({"id": "h1", "text": secret, "level": "red", "accept": ["red"]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    out = _run("--heldout", str(path), "--misses", "--only", "heldout_check.jsonl,cases.tsv")
    assert out.returncode == 0, out.stderr
    assert "heldout_check.jsonl" in out.stdout and "red recall  0.000 (1)" in out.stdout
    assert secret not in out.stdout and "h1" not in out.stdout
    assert "misses (0)" in out.stdout  # the other set still lists its misses


def test_heldout_option_wants_a_heldout_file(tmp_path: Path) -> None:
    path = tmp_path / "tune.jsonl"
    path.write_text("", encoding="utf-8")
    out = _run("--heldout", str(path))
    assert out.returncode != 0 and "heldout" in out.stderr
