"""The student's answer to the bot's own direct question (docs/SAFE_REPLIES.md rule 4).

After an orange reply the bot asks 你现在有伤害自己或结束生命的想法吗？. Whatever comes back goes into
the thread; this module only reads whether it is a yes, a no, or something else (a story). When in
doubt it reads a short answer as a yes: a yes is handled as red, and a person looks at it either way.
"""

from __future__ import annotations

import re

YES, NO, OTHER = "yes", "no", "other"

_NOISE = re.compile(r"[\s，,。.！!？?、~…·：:；;\"'“”‘’（）()\[\]【】]+")
_PARTICLES = re.compile(r"[啊呀吧呢哦噢啦嘛呗哈诶欸额呃唉哎]+$")
# A plain no, as a whole answer: 没有, 没想过, 我没有这样的想法, 不会, 现在没有, 还好…
_NO = re.compile(
    r"^(我|老师)?(现在|目前|暂时|真的|应该|其实|还)?"
    r"(没有|没|从来没有|从来没|从没有|从没|并没有|并没|不|不会|不想|不是)"
    r"(有|会|过)?(这样|这种|那样|那种|这个|那个)?(的)?(想法|念头|打算|想过|想|这么想)?(过)?(的)?$"
    r"|^(还好|没事|我没事|放心|不用担心|no|nope)$",
    re.I,
)
# A yes anywhere in a short answer, or these phrases at any length.
_YES_SHORT = re.compile(r"(有|是|对|嗯|恩|会|想|确实|经常|一直|总是|偶尔|yes|yeah|ok)", re.I)
_YES_ANY = re.compile(r"(想过|会想|有时候|有时|有过|有这个想法|有这种想法|有这样的想法|有点想|有一点想|念头)")
# Not an answer either way: it goes to the counsellor as it is.
_UNSURE = re.compile(r"(不知道|不清楚|说不清|不好说|不想说|不想回答|不要问|别问)")
SHORT = 12


def classify(text: str) -> str:
    """Whether an answer to the direct question is a yes, a no, or something else."""
    flat = _PARTICLES.sub("", _NOISE.sub("", text))
    if not flat:
        return OTHER
    if _NO.match(flat):
        return NO
    if _UNSURE.search(flat) and not _YES_ANY.search(flat):
        return OTHER
    if _YES_ANY.search(flat) or (len(flat) <= SHORT and _YES_SHORT.search(flat)):
        return YES
    return OTHER
