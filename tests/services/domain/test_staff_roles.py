"""Staff roles per charter (charter.services.domain.staff): who may act as what in which
charter, appointing and removing, the last administrator kept, and the roles read once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter, OutboxEmail, StaffRole
from charter.services.domain import staff
from charter.services.domain.charter_file import charter_table
from charter.services.domain.charters import create_charter
from charter.services.domain.schemes import read_toml
from tests.factories import make_user
from tests.services.domain.scheme_text_helpers import another_charter


@pytest.fixture
def charters(scheme):
    shropshire = db.session.get(Charter, scheme.charter_id)
    worcestershire = create_charter(charter_table(read_toml(another_charter())))
    db.session.commit()
    return shropshire, worcestershire


def test_a_role_is_held_in_one_charter_only(charters):
    shropshire, worcestershire = charters
    lead = make_user(email="lead@example.com", role="administrator", charter=worcestershire)
    assert staff.roles_in(lead, worcestershire) == {"administrator"}
    assert staff.is_administrator(lead, worcestershire)
    assert not staff.is_staff(lead, shropshire) and not staff.is_assessor(lead, worcestershire)
    assert staff.is_staff_anywhere(lead)
    assert staff.roles_in(None, shropshire) == frozenset()


@pytest.mark.parametrize(
    ("held", "appointing", "message"),
    [
        ("assessor", "assessor", "is already an assessor of this charter"),
        ("administrator", "administrator", "is already an administrator of this charter"),
        ("administrator", "assessor", "Administrators cannot also be assessors"),
        ("assessor", "administrator", "Administrators cannot also be assessors"),
    ],
)
def test_one_role_per_person_per_charter(charters, held, appointing, message):
    shropshire, _ = charters
    make_user(email="sam@example.com", full_name="Sam Staff", role=held)
    with pytest.raises(staff.StaffChangeRefused, match=message):
        staff.candidate("sam@example.com", appointing, shropshire)


def test_the_same_person_may_be_staff_of_two_charters(charters):
    shropshire, worcestershire = charters
    boss = make_user(email="boss@example.com", full_name="Bo Boss", role="administrator")
    person = make_user(email="pat@example.com", full_name="Pat Person", role="assessor")
    staff.appoint("pat@example.com", "administrator", worcestershire, appointed_by=boss)
    db.session.commit()
    assert staff.roles_in(person, shropshire) == {"assessor"}
    assert staff.roles_in(person, worcestershire) == {"administrator"}
    email = db.session.scalar(select(OutboxEmail))
    assert (
        email.subject == f"You have been appointed as an administrator of the {worcestershire.name}"
    )
    assert f"Bo Boss has appointed you as an administrator of the {worcestershire.name}" in (
        email.body
    )


def test_the_last_administrator_of_a_charter_stays(charters):
    shropshire, _ = charters
    only = make_user(email="only@example.com", full_name="Olu Only", role="administrator")
    with pytest.raises(staff.StaffChangeRefused, match="You are the charter's only administrator"):
        staff.remove(only, "administrator", shropshire, removed_by=only)

    # With two, one may go, themselves included; the one left may not, whoever asks.
    second = make_user(email="second@example.com", role="administrator")
    staff.remove(only, "administrator", shropshire, removed_by=only)
    db.session.commit()
    with pytest.raises(staff.StaffChangeRefused, match="They are the charter's only"):
        staff.remove(second, "administrator", shropshire, removed_by=only)
    assert staff.is_administrator(second, shropshire)


def test_removing_keeps_the_row_and_a_person_may_be_appointed_again(charters):
    shropshire, _ = charters
    boss = make_user(email="boss@example.com", role="administrator")
    person = make_user(email="pat@example.com", role="assessor")
    staff.remove(person, "assessor", shropshire, removed_by=boss)
    db.session.commit()
    assert not staff.is_assessor(person, shropshire)
    staff.appoint("pat@example.com", "assessor", shropshire, appointed_by=boss)
    db.session.commit()
    rows = db.session.scalars(select(StaffRole).where(StaffRole.user_id == person.id)).all()
    assert [(row.removed_by_id, row.removed_at is None) for row in rows] == [
        (boss.id, False),
        (None, True),
    ]
    assert staff.is_assessor(person, shropshire)


def test_roles_are_read_once_with_the_user(charters, query_counter):
    shropshire, _ = charters
    person_id = make_user(email="pat@example.com", role="assessor").id
    shropshire_id = shropshire.id
    db.session.expunge_all()
    loaded = staff.user_with_roles(person_id)
    with query_counter() as count:
        for _ in range(5):
            assert staff.is_assessor(loaded, shropshire_id)
            assert not staff.is_administrator(loaded, shropshire_id)
    assert count.value == 0
