"""Write keywords/data/pinyin.tsv from Pinyin2Hanzi's tables (MIT licence, keywords/data/pinyin_LICENSE.txt).

Usage: pip install Pinyin2Hanzi==0.1.1 (not a dependency of the project), then
python scripts/build_pinyin_table.py. Each line is a syllable and the characters read so, most frequent
first (by how often a sentence starts with them, hmm_start.json); the project reads only this file.
"""

from __future__ import annotations

import json
from pathlib import Path

import Pinyin2Hanzi  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "keywords" / "data" / "pinyin.tsv"
HEADER = ["# Pinyin syllables and the characters read so, most frequent first (as the first character of a",
          "# sentence), from Pinyin2Hanzi 0.1.1 (hmm_py2hz.json, hmm_start.json; MIT licence: pinyin_LICENSE.txt).",
          "# Regenerate with scripts/build_pinyin_table.py."]


def main() -> None:
    data = Path(Pinyin2Hanzi.__file__).parent / "data"
    py2hz = json.loads((data / "hmm_py2hz.json").read_text(encoding="utf-8"))
    start = json.loads((data / "hmm_start.json").read_text(encoding="utf-8"))["data"]
    lines = list(HEADER)
    for syllable in sorted(py2hz):
        chars = sorted(set(py2hz[syllable]), key=lambda c: (-start.get(c, 0.0), c))
        lines.append(f"{syllable}\t{''.join(chars)}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(lines) - len(HEADER)} syllables)")


if __name__ == "__main__":
    main()
