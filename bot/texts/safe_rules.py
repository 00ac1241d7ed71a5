"""The safe-reply rules (docs/SAFE_REPLIES.md) as checks: the test suite and `xinqiao texts check` share them.

Each crisis text has its rule: what its first sentence must name (rule 1: resources first), what it
must say (rules 2, 4, 5, 6, 7, 9, 11, 14) and which words it must never use (rules 3, 5, 7, 8). A
token in braces is the school's number from the settings ({hotline}, {emergency}), so a school with
its own hotline is checked against its own numbers. Every other text of the crisis catalogue must at
least avoid the method, secrecy and avoided words.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from bot.config import Settings
from bot.texts.fill import fill

METHOD_WORDS = re.compile(r"(安眠药|农药|刀片|绳子|烧炭|上吊|跳楼|跳河|楼顶|天台|割腕|片药|多少片|几楼|多高|药量)")
AVOID = re.compile(r"(自杀成功|自杀失败|犯|流行|激增|解决办法|一了百了)")
SECRECY = re.compile(r"(保密|不会告诉|不告诉任何人|绝对安全|我们不会联系)")
PLATITUDE = re.compile(r"(生命可贵|想开点|别想太多|有什么大不了|开玩笑吧|是不是在开玩笑|你应该)")
NEVER = {"a method (rule 3)": METHOD_WORDS, "a promise of secrecy (rule 5)": SECRECY,
         "words to avoid (rule 8)": AVOID}
NEVER_ALL = {**NEVER, "a platitude or doubt (rule 7)": PLATITUDE}
SAMPLE = {"code": "K7M2QX9P", "case_id": 12, "text": "没有", "meaning": "", "excerpt": "……"}


def first_sentence(text: str) -> str:
    """Up to the first 。！？."""
    return re.split(r"[。！？]", text, maxsplit=1)[0]


@dataclass(frozen=True)
class Rule:
    """What one crisis text must and must not say."""

    first: tuple[str, ...] = ()  # named in the first sentence
    says: tuple[str, ...] = ()  # said somewhere
    never: tuple[str, ...] = tuple(NEVER)  # names in NEVER_ALL


_ALL = tuple(NEVER_ALL)
_CARE = ("听起来你现在真的很难受", "安全最重要", "帮助是有用的")  # rules 7, 5, 9
_PEER = ("告诉班主任或心理老师", "{emergency}", "不要替同学保守这个秘密")  # rule 6
RULES: dict[str, Rule] = {
    "crisis.STUDENT.red": Rule(first=("{hotline}", "{emergency}"),
                               says=("离开", "大人", "心理老师已经收到通知", *_CARE, "走了过来"), never=_ALL),
    "crisis.STUDENT.orange": Rule(first=("{hotline}", "心理老师"),
                                  says=("你现在有伤害自己或结束生命的想法吗？", *_CARE, "走了过来"), never=_ALL),
    "crisis.MEMBER.red": Rule(first=("{hotline}", "{emergency}"), says=_PEER),
    "crisis.MEMBER.orange": Rule(first=("{hotline}", "心理老师"), says=_PEER),
    "crisis.DENIAL_CHECK": Rule(says=("你现在安全吗",), never=_ALL),  # rule 11
    "crisis.FOOTER": Rule(says=("{hotline}", "{emergency}")),  # rule 1: the resources stay visible
    "crisis.ANSWER_NO": Rule(first=("{hotline}", "心理老师"), says=("{emergency}",), never=_ALL),
    "crisis.CLOSING": Rule(first=("{hotline}", "心理老师", "{emergency}"), says=("7天", "查看", "匿名心理信箱"),
                           never=_ALL),  # rule 14
    "crisis.OUTAGE.red": Rule(first=("{hotline}", "{emergency}"), says=_CARE, never=_ALL),
    "crisis.OUTAGE.orange": Rule(first=("{hotline}", "心理老师"), says=_CARE, never=_ALL),
    "crisis.BUSY": Rule(says=("{hotline}", "{emergency}")),
    "menu.HOTLINE": Rule(says=("{hotline}", "{emergency}")),
}
CRISIS_FLOWS = ("crisis",)  # every text of these catalogues is a crisis text (RULES or, at least, NEVER)


def is_crisis(key: str) -> bool:
    """Whether a key is one of the fixed crisis texts (reworded only if it passes its rule)."""
    return key in RULES or key.split(".", 1)[0] in CRISIS_FLOWS


def _token(token: str, settings: Settings) -> str:
    return fill(token, settings) if token.startswith("{") else token


def filled(template: str, settings: Settings) -> str:
    """The text as a reader gets it: the school's numbers, and a sample for everything else."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return fill(template, settings, **{n: SAMPLE.get(n, "……") for n in names - {"emergency", "hotline", "school"}})


def violations(text: str, key: str, settings: Settings) -> list[str]:
    """What a filled crisis text breaks of its rule (empty when it passes)."""
    rule = RULES.get(key, Rule())
    found = []
    first = first_sentence(text)
    for token in rule.first:
        if _token(token, settings) not in first:
            found.append(f"the first sentence must name {_token(token, settings)} (rule 1: resources first)")
    for token in rule.says:
        if _token(token, settings) not in text:
            found.append(f"must say 「{_token(token, settings)}」")
    for name in rule.never:
        if m := NEVER_ALL[name].search(text):
            found.append(f"uses 「{m.group(0)}」: {name}")
    return found


def template_violations(template: str, key: str, settings: Settings) -> list[str]:
    """violations() of a catalogue text, filled as a reader would get it."""
    return violations(filled(template, settings), key, settings)
