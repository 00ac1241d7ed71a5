"""Load and validate the triage lexicon: concept files, rules and spelling variants.

Concept files (``*.txt``) hold one term a line under a header naming the concept::

    ## ideation_words  orange  suicide  想死、不想活：死的愿望
    不想活
    死  !b      # "!b": must stand as a word of its own (jieba), so 死机 does not count

Levels: red, orange, yellow (a finding by itself), part (only inside rules), none (a trap: hits
inside its span are dropped), cap (a message with it is at most yellow: a procedure question),
frame (news, a story, a game: only inside frame rules), aside (openers and hedges such as 有件事不知道该不该说:
the rules ignore them and the learned model does not read them).
Rules may also be frames (report, play): see FRAME_LEVELS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from keywords.verdict import CATEGORIES

CONCEPT_LEVELS = ("red", "orange", "yellow", "part", "none", "cap", "frame", "aside")
# Rule-only levels: a frame rule (news, story, game) makes the hits it frames about someone else or
# play. report: those hits count at most yellow; play: they do not count. The frame is the rule's
# hits of concepts whose level is "frame"; all its other hits are the ones framed.
FRAME_LEVELS = ("report", "play")
DATA_DIR = Path(__file__).parent / "data"


class LexiconError(ValueError):
    """A lexicon file is wrong; the message names the file and line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line


@dataclass
class Concept:
    """A named set of terms with a level and a category."""

    name: str
    level: str
    category: str
    note: str
    source: str
    terms: dict[str, bool] = field(default_factory=dict)  # term -> needs a word boundary


@dataclass(frozen=True)
class Step:
    """One element of a rule sequence: any of several concepts."""

    concepts: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """`name level category : expr`; expr is conjuncts joined by &, each a sequence a ~N b."""

    name: str
    level: str
    category: str
    conjuncts: tuple[tuple[tuple[Step, ...], tuple[int, ...]], ...]
    source: str
    text: str


@dataclass
class Lexicon:
    """Everything the triager needs, validated."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    variants: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    negators: tuple[str, ...] = ()

    def term_owner(self) -> dict[str, str]:
        """Return term -> concept name."""
        return {t: c.name for c in self.concepts.values() for t in c.terms}


_HEADER = re.compile(r"^##\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$")
_RULE = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s*:\s*(.+)$")


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip() if not line.lstrip().startswith("##") else line.strip()


def load_concepts(path: Path, lexicon: Lexicon, owners: dict[str, tuple[str, int]]) -> None:
    """Add the concepts of one file, checking levels, categories and duplicate terms."""
    current: Concept | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        if line.startswith("##"):
            m = _HEADER.match(line)
            if not m:
                raise LexiconError(path, lineno, "a concept header is '## name level category note'")
            name, level, category, note = m.groups()
            if level not in CONCEPT_LEVELS:
                raise LexiconError(path, lineno, f"unknown level {level!r} (one of {', '.join(CONCEPT_LEVELS)})")
            if category not in CATEGORIES and category != "-":
                raise LexiconError(path, lineno, f"unknown category {category!r}")
            existing = lexicon.concepts.get(name)
            if existing and (existing.level, existing.category) != (level, category):
                raise LexiconError(path, lineno, f"concept {name!r} already defined with another level")
            current = existing or Concept(name, level, category, note, f"{path}:{lineno}")
            lexicon.concepts[name] = current
            continue
        if current is None:
            raise LexiconError(path, lineno, "a term before any '## concept' header")
        body = _strip_comment(raw)
        flags = set(re.findall(r"!(\w+)", body))
        term = re.sub(r"!\w+", "", body).strip()
        if not term:
            raise LexiconError(path, lineno, "empty term")
        if any(ch.isspace() for ch in term):
            # messages are matched after normalisation, which folds spaces away: a term with one never matches
            # (and the word list handed to jieba takes one word per line, a space separating its frequency)
            raise LexiconError(path, lineno, f"a term holds no space: {term!r}")
        unknown = flags - {"b"}
        if unknown:
            raise LexiconError(path, lineno, f"unknown flag !{sorted(unknown)[0]}")
        if term in owners:
            first = owners[term]
            raise LexiconError(path, lineno, f"duplicate term {term!r} (first at {first[0]}:{first[1]})")
        owners[term] = (str(path), lineno)
        current.terms[term] = "b" in flags or len(term) == 1


# '*' in a rule step: any concept whose hits say something (a finding level or a part), for frames that take
# everything between their ends (a worry, then the member's answer that clears it).
ANY = "*"
_ANY_LEVELS = ("red", "orange", "yellow", "part")


def _names(piece: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The concept names of one rule step ('a|b'; '*' expands to every concept loaded so far that says something)."""
    names = [c.strip() for c in piece.split("|")]
    if ANY in names:
        names = [c for c in names if c != ANY] + [c.name for c in lexicon.concepts.values() if c.level in _ANY_LEVELS]
    return tuple(dict.fromkeys(names))


def load_rules(path: Path, lexicon: Lexicon) -> None:
    """Add the rules of one file; every concept a rule names must exist (or be made by a rule)."""
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = _strip_comment(raw)
        if not line:
            continue
        m = _RULE.match(line)
        if not m:
            raise LexiconError(path, lineno, "a rule is 'name level category : a ~N b & c|d'")
        name, level, category, expr = m.groups()
        if level not in CONCEPT_LEVELS + FRAME_LEVELS:
            raise LexiconError(path, lineno, f"unknown level {level!r}")
        if category not in CATEGORIES and category != "-":
            raise LexiconError(path, lineno, f"unknown category {category!r}")
        conjuncts = []
        for part in expr.split("&"):
            pieces = re.split(r"~(\d+)", part.strip())
            steps = tuple(Step(_names(p, lexicon)) for p in pieces[0::2])
            gaps = tuple(int(g) for g in pieces[1::2])
            for step in steps:
                for c in step.concepts:
                    if not c or not re.fullmatch(r"[a-z_0-9]+", c):
                        raise LexiconError(path, lineno, f"bad concept name {c!r} in rule")
                    known = c in lexicon.concepts or any(r.name == c for r in lexicon.rules) or c == name
                    if not known:
                        raise LexiconError(path, lineno, f"rule names unknown concept {c!r}")
            conjuncts.append((steps, gaps))
        lexicon.rules.append(Rule(name, level, category, tuple(conjuncts), f"{path}:{lineno}", expr.strip()))


def load_variants(path: Path, lexicon: Lexicon) -> None:
    """Add spelling variants: `regex => replacement` (a group named w limits what is replaced)."""
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("  #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if "=>" not in line:
            raise LexiconError(path, lineno, "a variant is 'regex => replacement'")
        pattern, replacement = (s.strip() for s in line.split("=>", 1))
        if not pattern or not replacement:
            raise LexiconError(path, lineno, "empty pattern or replacement")
        try:
            lexicon.variants.append((re.compile(pattern), replacement))
        except re.error as exc:
            raise LexiconError(path, lineno, f"bad regex: {exc}") from exc


def load_lexicon(data_dir: Path = DATA_DIR, extra: list[Path] | None = None) -> Lexicon:
    """Load the shipped lexicon and any per-school additions, validating everything."""
    lexicon = Lexicon()
    owners: dict[str, tuple[str, int]] = {}
    for path in sorted(data_dir.glob("concepts_*.txt")):
        load_concepts(path, lexicon, owners)
    for path in extra or []:
        if not path.exists():
            raise LexiconError(path, 0, "file not found")
        load_concepts(path, lexicon, owners)
    load_rules(data_dir / "rules.txt", lexicon)
    load_variants(data_dir / "variants.txt", lexicon)
    neg = lexicon.concepts.get("negation")
    lexicon.negators = tuple(neg.terms) if neg else ()
    return lexicon
