"""Quality on the labelled sets in tests/keywords/data and on our own cases, with confusion tables.

Every labelled file has targets here. EXPECTED lists the files that must be present: a file on it
that goes missing fails (no skip). When the held-out set is committed as data/heldout.jsonl, add it
to EXPECTED; until then it is measured whenever it is present, with the issue's targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from keywords import Triager
from keywords.evaluate import confusion, load_rows, score

DATA = Path(__file__).with_name("data")
OWN = Path(__file__).with_name("cases.tsv")


@dataclass(frozen=True)
class Targets:
    """Lower bounds (accepted, recalls) and an upper bound (false alarm); None: not measured."""

    accepted: float | None = None
    red_recall: float | None = None
    urgent_recall: float | None = None
    false_alarm: float | None = None


TARGETS = {
    "dev.jsonl": Targets(accepted=1.0, red_recall=1.0, urgent_recall=1.0, false_alarm=0.0),
    "psysuicide_valid.jsonl": Targets(urgent_recall=0.90, false_alarm=0.03),
    "tune.jsonl": Targets(accepted=0.90, red_recall=0.95, urgent_recall=0.98, false_alarm=0.02),
    "tune2.jsonl": Targets(accepted=0.90, red_recall=0.95, urgent_recall=0.98, false_alarm=0.025),
    # tune3 scored accepted 0.858, red 0.812, urgent 0.908, false alarm 0.101 on arrival; tuned on since
    # (the model is trained on it): in-sample floors. Its false alarms are the open part (long check-ins).
    # The segment stage (round 4) lifted it to 0.952 / 0.990 / 0.993 / 0.052 in-sample.
    "tune3.jsonl": Targets(accepted=0.945, red_recall=0.985, urgent_recall=0.985, false_alarm=0.055),
    # The held-out sets (never read while tuning) are asserted at floors just under what the triage reaches
    # now, so a change that loses ground fails. The issue's targets (accepted 0.90, red recall 0.95, urgent
    # recall 0.98, false alarm 0.02) are met only in part: accepted on both sets; ISSUE_TARGETS records them.
    # tune4 (1,400 lines by two further writers, mostly long reports, check-ins and posts; chats and notes on abuse,
    # threats and farewells) scored 0.893 / 0.908 / 0.939 / 0.056 on arrival; tuned on since: in-sample floors.
    "tune4.jsonl": Targets(accepted=0.94, red_recall=0.99, urgent_recall=0.99, false_alarm=0.03),
    # tune5 (1,397 lines by two further writers: check-ins and reports with the risk inside ordinary news; the
    # red/orange and orange/yellow boundaries in every style) scored on arrival 0.894 / 0.986 / 0.971 / 0.041
    # (check-ins) and 0.948 / 0.943 / 0.957 / 0.029; tuned on since: in-sample floors.
    "tune5.jsonl": Targets(accepted=0.94, red_recall=0.985, urgent_recall=0.99, false_alarm=0.015),
    # tune6 (1,438 lines by three further writers: notes, chats and posts saying the risk indirectly; long reports
    # and check-ins, many with an alarming-sounding harmless detail; the boundaries between levels) scored on
    # arrival 0.917 / 0.889 / 0.926 / 0.041 (the first writer's 480) and 0.880 / 0.968 / 0.965 / 0.099 (the first
    # 440 of the other two); tuned on since: in-sample floors.
    "tune6.jsonl": Targets(accepted=0.96, red_recall=0.995, urgent_recall=0.995, false_alarm=0.015),
    # tune7 (957 lines by two further writers: younger voices, chats and notes; long reports and check-ins whose
    # alarming detail is harmless) scored on arrival 0.910 / 0.948 / 0.965 / 0.072 (rules alone 0.818 / 0.776 /
    # 0.834 / 0.068); tuned on from round 10.
    # Round 10 tuned on it (rules and model): 0.957 / 0.996 / 0.998 / 0.028 in-sample.
    "tune7.jsonl": Targets(accepted=0.955, red_recall=0.99, urgent_recall=0.995, false_alarm=0.03),
    # tune8 (637 lines by two further writers, written in round 10: member reports pairing a worry checked and found
    # harmless with one checked and found real; posts and chats, threats with means or a time) scored on arrival
    # with the code of round 10's second pass 0.862 / 0.938 / 0.959 / 0.283 (rules alone 0.808 / 0.775 / 0.868 /
    # 0.245): the cleared worries told without a marker the rules can read are the open part.
    # Round 10 tuned on it: 0.920 / 1.000 / 0.997 / 0.214 in-sample (the cleared worries of w31- stay the open part).
    "tune8.jsonl": Targets(accepted=0.915, red_recall=0.995, urgent_recall=0.99, false_alarm=0.22),
    # Round 6 (tune4 in the model, the widened families, time words unweighted) raised held-out to 0.935 /
    # 0.945 / 0.937 / 0.016 and held-out 2 to 0.955 / 0.941 / 0.977 / 0.024.
    # Round 7 (tune5 in the model, the families of the out-of-fold misses): 0.939 / 0.952 / 0.939 / 0.012 and
    # 0.960 / 0.966 / 0.977 / 0.024.
    # Round 8 (tune6 in the model, the families of its misses and of the out-of-fold misses): 0.943 / 0.970 /
    # 0.941 / 0.012 and 0.958 / 0.941 / 0.980 / 0.024 (three red lines fewer, one urgent more).
    # Round 9 (the families of the rules-alone misses, pinyin read as characters, bare everyday words out of the
    # orange and red concepts): 0.943 / 0.970 / 0.941 / 0.012 and 0.966 / 0.949 / 0.983 / 0.015.
    # Round 10 (tune7 and tune8 in the model, 60,000 n-grams a head; cleared worries, attempts told by their
    # effects, threats with a named act or an address): 0.946 / 0.970 / 0.944 / 0.012 and 0.967 / 0.975 / 0.977 / 0.015.
    "heldout.jsonl": Targets(accepted=0.94, red_recall=0.965, urgent_recall=0.94, false_alarm=0.02),
    "heldout2.jsonl": Targets(accepted=0.96, red_recall=0.97, urgent_recall=0.975, false_alarm=0.02),
    # heldout3: written after every tuning round by a sixth writer and scored once, at merge, by the lead
    # (never by whoever tunes): accepted 0.919, red 0.905, urgent 0.925, false alarm 0.051 (posts and
    # long check-ins carry the false alarms). Its floors sit just under that first score, raised where the
    # segment stage for long messages (round 4) lifted it: 0.923 / 0.915 / 0.933 / 0.051.
    # Round 6: 0.941 / 0.943 / 0.972 / 0.045. Round 7: 0.939 / 0.934 / 0.969 / 0.045 (two red lines fewer).
    # Round 8: 0.941 / 0.943 / 0.961 / 0.045 (two red lines more, three urgent fewer). Round 9: 0.943 / 0.948 / 0.964 /
    # 0.040.
    # Round 10: 0.953 / 0.972 / 0.979 / 0.040.
    "heldout3.jsonl": Targets(accepted=0.95, red_recall=0.965, urgent_recall=0.975, false_alarm=0.045),
    # heldout4: a seventh writer, written this round from the guide alone, scored on arrival before any tuning of
    # the round: 0.870 / 0.873 / 0.890 / 0.038; at the round's merge 0.883 / 0.893 / 0.930 / 0.025.
    # Round 7: 0.898 / 0.920 / 0.940 / 0.025. Round 8: 0.898 / 0.913 / 0.947 / 0.031 (one red line fewer, two
    # urgent more, one false alarm more). Round 9: 0.903 / 0.920 / 0.947 / 0.025.
    # Round 10: 0.900 / 0.907 / 0.933 / 0.019 (three red lines and four urgent fewer than round 9, three false alarms
    # fewer: the one held-out set the retrained model lost ground on).
    "heldout4.jsonl": Targets(accepted=0.895, red_recall=0.905, urgent_recall=0.93, false_alarm=0.025),
    # heldout5: an eighth writer, written after every change of round 6 and scored once, at merge, by the lead:
    # 0.908 / 0.879 / 0.912 / 0.030 (the code before round 6: 0.880 / 0.823 / 0.867 / 0.037).
    # Round 7: 0.926 / 0.911 / 0.936 / 0.030. Round 8: 0.926 / 0.911 / 0.928 / 0.030. Round 9: 0.930 / 0.927 / 0.928 /
    # 0.022.
    # Round 10: 0.954 / 0.960 / 0.952 / 0.022.
    "heldout5.jsonl": Targets(accepted=0.95, red_recall=0.955, urgent_recall=0.945, false_alarm=0.03),
    # heldout6: a ninth writer, written at the start of round 8 from the guide alone and scored on arrival, before
    # any change of the round: 0.914 / 0.935 / 0.958 / 0.028 (rules alone 0.795 / 0.694 / 0.786 / 0.021); at the
    # round's merge 0.927 / 0.944 / 0.967 / 0.028 (rules alone 0.808 / 0.704 / 0.809 / 0.021). Round 9: 0.929 / 0.944 /
    # 0.972 / 0.028 (rules alone 0.818 / 0.741 / 0.828 / 0.021).
    # Round 10: 0.933 / 0.963 / 0.977 / 0.028.
    "heldout6.jsonl": Targets(accepted=0.93, red_recall=0.96, urgent_recall=0.97, false_alarm=0.03),
    # heldout7: four further writers (short chats and notes saying the risk indirectly; long member reports, half of
    # the harmless ones about a worry checked and cleared; the categories other than suicide, younger voices; the
    # level boundaries), written at the start of round 10 from the guide alone and scored on arrival with the code
    # of round 9: 0.896 / 0.941 / 0.946 / 0.092 (rules alone 0.826 / 0.791 / 0.856 / 0.079; the reports' false
    # alarms 0.267).
    # At the round's merge: 0.914 / 0.954 / 0.958 / 0.075 (rules alone 0.835 / 0.795 / 0.858 / 0.071).
    "heldout7.jsonl": Targets(accepted=0.91, red_recall=0.95, urgent_recall=0.955, false_alarm=0.08),
    # heldout8: two further writers (an even mix of styles and categories; member reports and check-ins, and long
    # hesitant mailbox notes), written during round 10 from the guide alone and scored once, after the round's model:
    # 0.931 / 0.958 / 0.992 / 0.067 (rules alone 0.889 / 0.883 / 0.962 / 0.058); the code of round 9 on it: 0.923 /
    # 0.967 / 0.992 / 0.058 (one red line more, one false alarm fewer). A last pass of rules after it: unchanged.
    "heldout8.jsonl": Targets(accepted=0.925, red_recall=0.95, urgent_recall=0.99, false_alarm=0.07),
}
ISSUE_TARGETS = Targets(accepted=0.90, red_recall=0.95, urgent_recall=0.98, false_alarm=0.02)
EXPECTED = ["dev.jsonl", "psysuicide_valid.jsonl", "tune.jsonl", "tune2.jsonl", "tune3.jsonl", "tune4.jsonl",
            "tune5.jsonl", "tune6.jsonl", "tune7.jsonl", "tune8.jsonl", "heldout.jsonl", "heldout2.jsonl",
            "heldout3.jsonl", "heldout4.jsonl", "heldout5.jsonl", "heldout6.jsonl", "heldout7.jsonl",
            "heldout8.jsonl"]
MEASURED = sorted(set(EXPECTED) | {p.name for p in DATA.glob("*.jsonl")})


def test_every_labelled_file_has_targets() -> None:
    assert set(MEASURED) <= set(TARGETS), set(MEASURED) - set(TARGETS)


@pytest.mark.parametrize("name", MEASURED)
def test_labelled_set(triager: Triager, name: str) -> None:
    path = DATA / name
    assert path.exists(), f"{path} is expected (EXPECTED in {__file__}) but missing"
    rows = load_rows(path)
    predicted = [triager.triage(r["text"]).level for r in rows]
    scores = score(rows, predicted)
    print(f"\n{name}: {scores.line()}\n{confusion(rows, predicted)}")
    want = TARGETS[name]
    for field in ("accepted", "red_recall", "urgent_recall"):
        bound, got = getattr(want, field), getattr(scores, field)
        if bound is not None:
            assert got is not None and got >= bound, (name, field, got, bound)
    if want.false_alarm is not None:
        assert scores.false_alarm is not None and scores.false_alarm <= want.false_alarm, (name, scores.false_alarm)


def test_dev_every_red_line_red(triager: Triager) -> None:
    for r in load_rows(DATA / "dev.jsonl"):
        level = triager.triage(r["text"]).level
        assert level in r["accept"], (r["id"], r["text"], level)


def test_own_cases(triager: Triager) -> None:
    rows = load_rows(OWN)
    wrong = [(r["level"], level, r["text"]) for r in rows
             if (level := triager.triage(r["text"]).level) not in r["accept"]]
    assert not wrong, wrong
