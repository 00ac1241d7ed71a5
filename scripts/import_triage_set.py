"""Import labelled lines written for the project into a tuning set (tests/keywords/data/<name>.jsonl).

Usage: python scripts/import_triage_set.py OUT.jsonl IN.jsonl [IN.jsonl ...]

Every line is checked: JSON with a non-empty `text`, `level` one of the guide's levels, `category`
one of its categories, `style`, and `accept` as the guide defines it for the level (red: red; orange:
orange or red; yellow: yellow or orange; none: none, or none and yellow on a borderline line). An
`accept` outside the guide is set to the guide's for its level, and counted. Lines that repeat a line
already in the repo (any labelled set, held-out ones included: compared by a hash of the folded text,
never printed) or an earlier input line are dropped. Ids keep their writer's prefix. A bad line is
reported with its file and line number and the import stops without writing anything.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keywords.verdict import CATEGORIES, LEVELS  # noqa: E402

DATA = ROOT / "tests" / "keywords" / "data"
GUIDE_ACCEPT = {"red": [["red"]], "orange": [["orange", "red"]], "yellow": [["yellow", "orange"]],
                "none": [["none"], ["none", "yellow"]]}
STYLES = {"chat", "report", "checkin", "post", "note"}


def key(text: str) -> str:
    """A hash of the text folded for comparison (width, case, spaces and punctuation ignored)."""
    folded = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def check(path: Path, lineno: int, raw: str) -> tuple[dict, bool]:
    """The row of one input line, and whether its accept was set to the guide's."""
    where = f"{path}:{lineno}"
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise SystemExit(f"{where}: a line is one JSON object")
    text, level, category = row.get("text"), row.get("level"), row.get("category")
    if not isinstance(text, str) or not text.strip():
        raise SystemExit(f"{where}: empty or missing text")
    if level not in LEVELS:
        raise SystemExit(f"{where}: level {level!r} is not one of {', '.join(LEVELS)}")
    if category not in CATEGORIES:
        raise SystemExit(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
    if row.get("style") not in STYLES:
        raise SystemExit(f"{where}: style {row.get('style')!r} is not one of {', '.join(sorted(STYLES))}")
    if not isinstance(row.get("id"), str) or not row["id"]:
        raise SystemExit(f"{where}: missing id")
    fixed = row.get("accept") not in GUIDE_ACCEPT[level]
    accept = GUIDE_ACCEPT[level][0] if fixed else row["accept"]
    return {"id": row["id"], "text": text, "level": level, "category": category, "style": row["style"],
            "accept": accept}, fixed


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    out, inputs = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    seen = {key(json.loads(line)["text"]) for p in sorted(DATA.glob("*.jsonl")) if p != out
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()}
    rows, fixed, repeats = [], 0, 0
    ids: set[str] = set()
    for path in inputs:
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            row, was_fixed = check(path, lineno, raw)
            if row["id"] in ids:
                raise SystemExit(f"{path}:{lineno}: id {row['id']!r} repeats")
            k = key(row["text"])
            if k in seen:
                repeats += 1
                continue
            seen.add(k)
            ids.add(row["id"])
            fixed += was_fixed
            rows.append(row)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {out}: {len(rows)} lines; {repeats} repeats dropped; {fixed} accept lists set to the guide's")


if __name__ == "__main__":
    main()
