"""The lifecycle machine: what is declared and the permission matrix."""

from __future__ import annotations

import pytest

from tests.workflows.lifecycle_helpers import (
    ACTOR_KINDS,
    EXPECTED,
    SPEC,
    Recorder,
    actor,
    data_for,
    organisation_ready_for,
    state,
)
from workflows import lifecycle
from workflows.lifecycle import (
    ASSESSOR,
    MEMBER,
    Forbidden,
    fire,
)

# --- what is declared ---------------------------------------------------------------------


def test_every_trigger_is_declared_and_nothing_else():
    assert set(lifecycle.TRIGGERS) == set(EXPECTED)
    for machine in (lifecycle.DUTIES, lifecycle.MARK):
        declared = {name for name, (_, of, _) in SPEC.items() if of == machine}
        assert set(lifecycle.MACHINES[machine].events) == declared
        assert {t.name for t in lifecycle.TRIGGERS.values() if t.machine == machine} == declared


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_trigger_has_its_people_sources_destination_and_words(name):
    trig = lifecycle.TRIGGERS[name]
    kinds, sources, dest = EXPECTED[name]
    assert set(trig.actor_kinds) == kinds
    assert set(trig.sources) == sources
    if trig.pairs:
        assert dict(trig.pairs) == SPEC[name][2]
    else:
        assert trig.dest == dest
    assert trig.label and trig.label[0].islower()  # fits "You cannot {label} while ..."
    assert trig.past and trig.past[0].isupper()


@pytest.mark.parametrize("state", lifecycle.STATES)
def test_triggers_available_from_each_state_match_the_specification(state):
    expected = {name for name, (_, sources, _) in EXPECTED.items() if state in sources}
    assert {t.name for t in lifecycle.triggers_from(state)} == expected


def test_triggers_from_can_be_narrowed_to_one_kind_of_actor():
    assert [t.name for t in lifecycle.triggers_from("under_assessment", ASSESSOR)] == [
        "request_information",
        "award_mark",
        "refuse_mark",
    ]
    # Withdrawing is the duties' trigger: an application under assessment is the Mark's state.
    assert {t.name for t in lifecycle.triggers_from("under_assessment", MEMBER)} == set()
    assert "withdraw" in {t.name for t in lifecycle.triggers_from("monitoring", MEMBER)}


# --- the permission matrix -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ACTOR_KINDS)
@pytest.mark.parametrize("trigger", sorted(EXPECTED))
def test_permission_matrix(trigger, kind):
    org = organisation_ready_for(trigger)
    before = (org.status, org.mark_status)
    record = Recorder()
    allowed = kind in EXPECTED[trigger][0]
    if allowed:
        source = state(org, trigger)
        new_state = fire(org, trigger, actor(kind), record=record, **data_for(trigger))
        # lift returns to the remembered state; reinstate to accredited outside the window
        expected_dest = SPEC[trigger][2][source] or {"reinstate_mark": "accredited"}.get(
            trigger, "monitoring"
        )
        assert new_state == state(org, trigger) == expected_dest
        assert len(record.records) == 1
    else:
        with pytest.raises(Forbidden) as refused:
            fire(org, trigger, actor(kind), record=record, **data_for(trigger))
        assert lifecycle.TRIGGERS[trigger].label in refused.value.reason
        assert (org.status, org.mark_status) == before
        assert record.records == []
