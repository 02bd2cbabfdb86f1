"""The benchmarks' generator with its charter dimension (bench/charter_mix.py, issue 20) makes
what bench/charters_bench.py says it measures, so the bench cannot rot unseen: at 200
organisations (five cycles of 40), 320 signings over the four shipped charters, organisations
that signed one, two and three, commissioners taking part in two charters with a contract that
counts in both, Marks only where the scheme has an award; and the reviews bench's data per
signing. Without the dimension the generator makes what it always made: one charter."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from bench.charter_mix import COMMISSIONERS_PER_CHARTER, load_charters
from bench.generate import grow_to
from bench.reviews_scaling import MONITORED, add_review_data
from charter.extensions import db
from charter.models import (
    ActionPlan,
    AnnualConfirmation,
    Charter,
    CharterCommissioner,
    CharterMark,
    Commissioner,
    Contract,
    Membership,
    Organisation,
    Scheme,
    Signing,
)
from charter.services.domain import periods

ORGANISATIONS = 200


def _signings_per_organisation() -> Counter:
    rows = db.session.execute(
        select(Signing.organisation_id, func.count()).group_by(Signing.organisation_id)
    ).all()
    return Counter(count for _organisation, count in rows)


@pytest.fixture
def four_charters(app, scheme):
    load_charters()
    grow_to(ORGANISATIONS, charters=True)
    return {c.slug: c.id for c in db.session.scalars(select(Charter).order_by(Charter.id))}


def test_signings_spread_over_four_charters_as_claimed(four_charters):
    assert len(four_charters) == 4
    assert db.session.scalar(select(func.count(Organisation.id))) == ORGANISATIONS
    # Per cycle of 40: 18 sign two charters, 3 sign three, 19 one; 1.6 signings each.
    assert _signings_per_organisation() == {1: 95, 2: 90, 3: 15}
    assert db.session.scalar(select(func.count(Signing.id))) == 320
    per_charter = dict(
        db.session.execute(
            select(Signing.charter_id, func.count()).group_by(Signing.charter_id)
        ).all()
    )
    assert set(per_charter) == set(four_charters.values())
    # Nine in ten sign Shropshire's (the default) first; the tenth another charter.
    first = db.session.execute(
        select(Signing.charter_id, func.count())
        .where(Signing.id == Organisation.id)
        .group_by(Signing.charter_id)
    ).all()
    assert dict(first)[four_charters["shropshire"]] == 180
    assert sum(count for _charter, count in first) == ORGANISATIONS
    # Every signing is under its own charter's current scheme.
    mismatched = db.session.scalar(
        select(func.count())
        .select_from(Signing)
        .join(Scheme, Scheme.id == Signing.scheme_id)
        .where(Scheme.charter_id != Signing.charter_id)
    )
    assert mismatched == 0


def test_marks_only_where_the_scheme_awards_one_each_in_its_signing(four_charters):
    rows = db.session.execute(
        select(Scheme.has_award, Signing.organisation_id, CharterMark.organisation_id)
        .join(Signing, Signing.id == CharterMark.signing_id)
        .join(Scheme, Scheme.id == Signing.scheme_id)
    ).all()
    assert rows, "the default charter's holders hold Marks"
    assert all(has_award for has_award, _signing_org, _mark_org in rows)
    assert all(signing_org == mark_org for _award, signing_org, mark_org in rows)
    numbers = db.session.scalars(select(CharterMark.certificate_number)).all()
    assert len(numbers) == len(set(numbers))


def test_commissioners_take_part_in_two_charters_and_a_contract_counts_in_both(four_charters):
    taking_part = Counter(db.session.scalars(select(CharterCommissioner.commissioner_id)))
    assert sorted(Counter(taking_part.values()).items()) == [
        (1, 4 * COMMISSIONERS_PER_CHARTER),
        (2, 4),
    ]
    assert db.session.scalar(select(func.count(Commissioner.id))) == len(taking_part)
    shared = [cid for cid, charters in taking_part.items() if charters == 2]
    # A contract with a shared commissioner, whose organisation signed both of its charters.
    counted_in_both = 0
    for organisation_id, commissioner_id in db.session.execute(
        select(Contract.organisation_id, Contract.commissioner_id).where(
            Contract.commissioner_id.in_(shared)
        )
    ):
        charters = set(
            db.session.scalars(
                select(CharterCommissioner.charter_id).where(
                    CharterCommissioner.commissioner_id == commissioner_id
                )
            )
        )
        signed = set(
            db.session.scalars(
                select(Signing.charter_id).where(Signing.organisation_id == organisation_id)
            )
        )
        counted_in_both += charters <= signed
    assert counted_in_both > 0


def test_the_reviews_data_is_per_signing(four_charters):
    add_review_data(periods.period_containing(date.today(), 3).start)
    # One owner per organisation, whatever the charters it signed.
    owners = db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.role == "owner")
    )
    assert owners == ORGANISATIONS
    monitored = db.session.scalar(
        select(func.count()).select_from(Signing).where(Signing.status.in_(MONITORED))
    )
    plans = db.session.execute(select(ActionPlan.signing_id, ActionPlan.organisation_id)).all()
    assert len(plans) == monitored
    assert len({signing for signing, _org in plans}) == monitored
    further = db.session.scalar(
        select(func.count())
        .select_from(AnnualConfirmation)
        .join(Signing, Signing.id == AnnualConfirmation.signing_id)
        .where(Signing.id != Signing.organisation_id)
    )
    assert further > 0, "further signings are asked for their confirmations too"


def test_without_the_dimension_one_charter_as_before(app, scheme):
    load_charters()
    grow_to(ORGANISATIONS)
    assert _signings_per_organisation() == {1: ORGANISATIONS}
    charters = set(db.session.scalars(select(Signing.charter_id)))
    assert charters == {scheme.charter_id}
    assert db.session.scalar(select(func.count(Commissioner.id))) == 0
    assert db.session.scalar(select(func.count(Contract.id))) == 0
