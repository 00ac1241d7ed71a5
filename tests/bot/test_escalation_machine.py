"""The escalation state machine's transitions: each leaves only the states it is drawn from."""

from __future__ import annotations

import pytest

from bot.db.models import Escalation
from bot.services.crisis import escalation_machine as machine
from bot.services.crisis.escalation_machine import EscalationState, IllegalTransition

ENDED = (EscalationState.DONE, EscalationState.EXHAUSTED, EscalationState.SUPERSEDED)


def _chain(state: EscalationState) -> Escalation:
    return Escalation(id=1, case_id=1, level="red", steps=[], summary="", step_index=0, round=0, version=0,
                      state=state.value)


def test_the_states_are_the_stored_values() -> None:
    assert [s.value for s in EscalationState] == ["active", "acknowledged", "done", "exhausted", "superseded"]
    assert set(machine.LIVE) == {"active", "acknowledged"}


@pytest.mark.parametrize("state", list(machine.LIVE))
def test_finish_ends_a_live_chain(state: EscalationState) -> None:
    esc = _chain(state)
    machine.finish(esc=esc)
    assert esc.state == EscalationState.DONE and esc.next_due_at is None


@pytest.mark.parametrize("state", ENDED)
def test_an_ended_chain_is_neither_finished_nor_held(state: EscalationState) -> None:
    for transition in (machine.finish, machine.hold):
        with pytest.raises(IllegalTransition, match=state.value):
            transition(esc=_chain(state))


def test_hold_takes_an_active_chain_to_acknowledged() -> None:
    esc = _chain(EscalationState.ACTIVE)
    machine.hold(esc=esc)
    assert esc.state == EscalationState.ACKNOWLEDGED


@pytest.mark.parametrize("state", [EscalationState.ACKNOWLEDGED, *ENDED])
async def test_only_an_active_chain_fires_repeats_exhausts_or_pages_everyone(state: EscalationState) -> None:
    esc = _chain(state)
    with pytest.raises(IllegalTransition):
        machine.exhaust(session=None, case=None, esc=esc, now=None)  # type: ignore[arg-type]
    for transition in (machine.fire_step, machine.repeat_round):
        with pytest.raises(IllegalTransition):
            await transition(session=None, case=None, esc=esc, zone=None, now=None)  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition):
        await machine.chain_reached_nobody(session=None, case=None, esc=esc, now=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("state", [EscalationState.ACTIVE, *ENDED])
async def test_only_an_acknowledged_chain_times_out(state: EscalationState) -> None:
    with pytest.raises(IllegalTransition):
        await machine.ack_timed_out(session=None, case=None, esc=_chain(state), now=None)  # type: ignore[arg-type]
