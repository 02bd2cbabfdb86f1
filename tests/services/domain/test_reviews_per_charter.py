"""The scheduled reviews run once per charter, acting in it (issue 20): an organisation that
signed two charters is reviewed under each, and a review moves the signing of the charter it is
run for, never the organisation's other signing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from charter.models import MonitoringReturn, Signing
from charter.models.assessment import MARK_EXPIRED, MARK_SUSPENDED, MARK_VALID, CharterMark
from charter.models.duties import AnnualConfirmation
from charter.models.signing import acting_in
from charter.services.domain import reviews, signings
from charter.services.domain.reviews.marks_jobs import open_renewal_windows
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_approved_plan, make_mark, make_organisation, set_stage
from tests.public.charter_helpers import second_charter_text
from tests.services.domain.review_helpers import TARGETS, open_return
from workflows.states import stage

TODAY = date(2026, 12, 6)


def _statuses(db, organisation) -> dict[int, str]:
    """Each signing's stage (workflows.states.stage), by charter."""
    db.session.expire_all()
    return {
        charter_id: stage(duties, mark)
        for charter_id, duties, mark in db.session.execute(
            select(Signing.charter_id, Signing.status, Signing.mark_status).where(
                Signing.organisation_id == organisation.id
            )
        )
    }


def _holder_of_the_second_charter_it_signed(db, scheme):
    """Signed Worcestershire first (monitoring), then Shropshire, whose Mark it holds and which
    expires within Shropshire's renewal window."""
    worcestershire = load_scheme_text(second_charter_text()).scheme
    organisation = make_organisation(scheme=worcestershire, status="monitoring")
    set_stage(signings.start(organisation, scheme), "accredited")
    db.session.commit()
    with acting_in(scheme.charter_id):
        make_mark(organisation, scheme, awarded_on=TODAY - timedelta(days=700))
    return organisation, worcestershire


def test_a_review_moves_the_signing_of_the_charter_it_runs_for(db, scheme):
    organisation, worcestershire = _holder_of_the_second_charter_it_signed(db, scheme)

    counts = reviews.JOBS["open_renewal_windows"](TODAY)

    assert counts["renewals_opened"] == 1, counts
    assert _statuses(db, organisation) == {
        scheme.charter_id: "renewal_due",
        worcestershire.charter_id: "monitoring",
    }


def test_without_a_charter_acting_a_review_would_move_the_first_signing(db, scheme):
    """Why the reviews run per charter: run for no charter, the job finds the Shropshire Mark
    but the organisation's lifecycle is its first signing's (Worcestershire's), which cannot
    open a renewal, so it is skipped and nothing moves."""
    organisation, worcestershire = _holder_of_the_second_charter_it_signed(db, scheme)

    counts = open_renewal_windows(TODAY)

    assert counts["renewals_opened"] == 0, counts
    assert _statuses(db, organisation) == {
        scheme.charter_id: "accredited",
        worcestershire.charter_id: "monitoring",
    }


def test_each_signing_has_its_own_returns_for_the_same_period(db, scheme):
    """Monitored under two charters from the same day, an organisation owes a return for the
    same quarter under each: the reviews open both (the unique rule is per signing)."""
    worcestershire = load_scheme_text(second_charter_text()).scheme
    organisation = make_organisation(scheme=scheme, status="monitoring")
    signings.start(organisation, worcestershire).status = "monitoring"
    db.session.commit()
    for each in (scheme, worcestershire):
        with acting_in(each.charter_id):
            make_approved_plan(organisation, each, TARGETS, decided_at=datetime(2026, 1, 5, 9))

    counts = reviews.JOBS["open_monitoring_periods"](date(2026, 7, 6))

    opened = db.session.execute(
        select(Signing.charter_id, MonitoringReturn.period_start)
        .join(Signing, Signing.id == MonitoringReturn.signing_id)
        .where(MonitoringReturn.organisation_id == organisation.id)
        .order_by(Signing.charter_id, MonitoringReturn.period_start)
    ).all()
    starts = [date(2026, 1, 1), date(2026, 4, 1)]
    assert opened == [(scheme.charter_id, s) for s in starts] + [
        (worcestershire.charter_id, s) for s in starts
    ], counts
    # Run again: nothing more to open under either.
    assert reviews.JOBS["open_monitoring_periods"](date(2026, 7, 6))["returns_opened"] == 0


def _holder_under_both(db, scheme):
    """A Worcestershire Mark awarded 100 days ago and a Shropshire Mark awarded earlier."""
    worcestershire = load_scheme_text(second_charter_text()).scheme
    organisation = make_organisation(scheme=worcestershire, status="accredited")
    set_stage(signings.start(organisation, scheme), "accredited")
    db.session.commit()
    with acting_in(worcestershire.charter_id):
        theirs = make_mark(organisation, worcestershire, awarded_on=TODAY - timedelta(days=100))
    return organisation, worcestershire, theirs


def _mark_statuses(db, *marks) -> list[str]:
    db.session.expire_all()
    return [db.session.get(CharterMark, m.id).status for m in marks]


def test_a_mark_expires_though_the_organisation_holds_a_newer_one_of_another_charter(db, scheme):
    """Which Mark is a signing's latest is asked within the signing: the Worcestershire Mark,
    awarded later, is not a renewal of the Shropshire one and does not keep it from expiring."""
    organisation, worcestershire, theirs = _holder_under_both(db, scheme)
    with acting_in(scheme.charter_id):
        ours = make_mark(organisation, scheme, awarded_on=TODAY - timedelta(days=800))
    assert ours.expires_on < TODAY

    counts = reviews.JOBS["expire_marks"](TODAY)

    assert counts["expired"] == 1, counts
    assert _mark_statuses(db, ours, theirs) == [MARK_EXPIRED, MARK_VALID]
    assert _statuses(db, organisation) == {
        scheme.charter_id: "monitoring",
        worcestershire.charter_id: "accredited",
    }


def test_suspending_one_charters_mark_leaves_the_others_in_force(db, scheme):
    organisation, worcestershire, theirs = _holder_under_both(db, scheme)
    with acting_in(scheme.charter_id):
        ours = make_mark(organisation, scheme, awarded_on=TODAY - timedelta(days=200))
        measures = make_approved_plan(organisation, scheme, TARGETS)
        open_return(organisation, measures, date(2026, 4, 30))

    counts = reviews.JOBS["suspend_marks_for_missed_returns"](TODAY)

    assert counts["suspended"] == 1, counts
    assert _mark_statuses(db, ours, theirs) == [MARK_SUSPENDED, MARK_VALID]
    assert _statuses(db, organisation) == {
        scheme.charter_id: "mark_suspended",
        worcestershire.charter_id: "accredited",
    }


def test_a_duty_missed_under_another_charter_does_not_keep_a_mark_suspended(db, scheme):
    """Shropshire's suspension has no cause left; a confirmation Worcestershire still waits
    for is Worcestershire's business: the Shropshire Mark is reinstated."""
    organisation, worcestershire, theirs = _holder_under_both(db, scheme)
    with acting_in(scheme.charter_id):
        set_stage(signings.signing_of(organisation), "mark_suspended")
        ours = make_mark(organisation, scheme, awarded_on=TODAY - timedelta(days=200))
        ours.status = MARK_SUSPENDED
    db.session.add(
        AnnualConfirmation(
            organisation_id=organisation.id,
            signing_id=db.session.scalar(
                select(Signing.id).where(
                    Signing.organisation_id == organisation.id,
                    Signing.charter_id == worcestershire.charter_id,
                )
            ),
            anniversary=TODAY - timedelta(days=90),
            closes_on=TODAY - timedelta(days=30),
        )
    )
    db.session.commit()

    counts = reviews.JOBS["reinstate_marks"](TODAY)

    assert counts["reinstated"] == 1, counts
    assert _mark_statuses(db, ours, theirs) == [MARK_VALID, MARK_VALID]
    assert _statuses(db, organisation)[scheme.charter_id] == "accredited"
