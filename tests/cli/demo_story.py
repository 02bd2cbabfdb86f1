"""What the demo data holds on every date it is built: the story the tests, the browser journeys
and the README's demo accounts rely on.

The demo is built relative to the day it is loaded, so a situation that happens to be there
today (a return waiting for the assessor, one queried, one not sent) may be gone next week.
Each check here takes the moment the demo was built; ``test_demo.py`` runs them on today's
build and ``test_demo_dates.py`` on builds dated across two years.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from charter.demo.builder import demo_organisations
from charter.extensions import db
from charter.models import (
    Application,
    AuditEvent,
    CharterMark,
    Commissioner,
    Contract,
    ContractCommitment,
    EvidenceFile,
    EvidenceLink,
    InformationRequest,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    Scheme,
    Signature,
    Signing,
    StaffRole,
)
from charter.models.duties import AUDIT_DOCUMENTS_REQUESTED, AnnualConfirmation, MarkAudit
from charter.models.monitoring import RETURN_DRAFT, RETURN_SUBMITTED
from charter.services.domain.periods import Period, sanction_date
from charter.services.domain.returns import MONITORED_STATES
from workflows.lifecycle import DUTIES, DUTY_STATES, MARK, MARK_STATES, TRIGGERS

CHECKS = []
PLEDGED_CONTRACT = "WCC-2026-0412"  # Malvern Hills Catering's, with Worcestershire's pledges
# What `make db` loads, in its order; the checks expect the charters of the first three.
SCHEME_FILES = [
    Path(__file__).resolve().parents[2] / "schemes" / name
    for name in (
        "supporting-the-local-economy.toml",
        "worcestershire.toml",
        "cheshire-west-and-chester.toml",
        "warwickshire.toml",
    )
]


def check(function):
    CHECKS.append(function)
    return function


def organisation(name: str) -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.name == name))
    assert found is not None, name
    return found


def returns_of(name: str) -> list[MonitoringReturn]:
    return list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(MonitoringReturn.organisation_id == organisation(name).id)
            .order_by(MonitoringReturn.period_start)
        )
    )


def organisations_with(trigger: str) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    select(AuditEvent.organisation_id).where(AuditEvent.trigger == trigger)
                )
            )
            .order_by(Organisation.name)
        )
    )


def returns_to_send():
    """Organisations still monitored with a return not sent yet, each with that return's period,
    Wem Community Food Hub's first: it has one unless sending it now would be too late to keep
    its standing (a few days a quarter); a holder whose Mark was suspended for a missed return
    still has its returns to send on every date."""
    return (
        select(Organisation, MonitoringReturn.period_start, MonitoringReturn.period_end)
        .join(MonitoringReturn, MonitoringReturn.organisation_id == Organisation.id)
        .join(Signing, Signing.id == MonitoringReturn.signing_id)
        .where(Signing.status.in_(MONITORED_STATES), MonitoringReturn.status == RETURN_DRAFT)
        .order_by(
            (Organisation.name != "Wem Community Food Hub"),
            Organisation.name,
            MonitoringReturn.period_start,
        )
        .limit(1)
    )


def return_to_send(session=None) -> tuple[Organisation, Period]:
    row = (session or db.session).execute(returns_to_send()).first()
    assert row is not None, "no organisation still monitored has a return to send"
    return row[0], Period(row[1], row[2])


@check
def every_lifecycle_state_is_represented(now: datetime) -> None:
    present = set(db.session.scalars(select(Signing.status).distinct()))
    assert present == set(DUTY_STATES)
    marks = set(db.session.scalars(select(Signing.mark_status).distinct()))
    # Every state of the Mark but information asked for about a renewal.
    assert marks == set(MARK_STATES) - {"renewal_information_requested"}
    # Shropshire's 40, one that signed Worcestershire's charter only and one Warwickshire's.
    assert db.session.scalar(select(func.count(Organisation.id))) == 42


@check
def every_audit_trail_is_consistent_and_in_the_past(now: datetime) -> None:
    trails = defaultdict(list)
    for event in db.session.scalars(
        select(AuditEvent).order_by(AuditEvent.created_at, AuditEvent.id)
    ):
        trails[event.organisation_id].append(event)
    signed = defaultdict(list)
    for signing in db.session.scalars(select(Signing)):
        signed[signing.organisation_id].append(signing)
    for each in db.session.scalars(select(Organisation)):
        trail = trails[each.id]
        # An audit row names the organisation, not the signing: each moves one of the
        # organisation's signings on from the state that signing was in, in the lifecycle
        # its trigger moves (the duties, or the Mark).
        states = [{DUTIES: "registered", MARK: "no_mark"} for _ in signed[each.id]]
        for event in trail:
            trigger = TRIGGERS.get(event.trigger)
            machine = trigger.machine if trigger else MARK
            if trigger is None and event.from_state not in MARK_STATES:
                machine = DUTIES
            moved = [s for s in states if s[machine] == event.from_state]
            assert moved, (each.name, event.trigger)
            moved[0][machine] = event.to_state
            assert each.created_at < event.created_at < now
        assert sorted((s[DUTIES], s[MARK]) for s in states) == sorted(
            (s.status, s.mark_status) for s in signed[each.id]
        ), each.name
        if trail:
            assert max(s.status_changed_at for s in signed[each.id]) == trail[-1].created_at
    # Spread over time, not all written a moment ago.
    oldest = db.session.scalar(select(func.min(AuditEvent.created_at)))
    assert oldest < now - timedelta(days=2 * 365)


@check
def one_annual_confirmation_is_waiting(now: datetime) -> None:
    [(name, confirmation)] = db.session.execute(
        select(Organisation.name, AnnualConfirmation)
        .join(AnnualConfirmation, AnnualConfirmation.organisation_id == Organisation.id)
        .where(AnnualConfirmation.confirmed_at.is_(None))
    ).all()
    expected = {r["name"] for r in demo_organisations() if r.get("annual_confirmation")}
    assert {name} == expected
    assert confirmation.anniversary <= now.date() < confirmation.closes_on


@check
def signatures_are_kept_and_back_dated(now: datetime) -> None:
    signed = db.session.scalars(select(AuditEvent).where(AuditEvent.trigger == "sign")).all()
    signatures = db.session.scalars(select(Signature)).all()
    assert len(signatures) == len(signed)
    assert {s.signed_at for s in signatures} == {e.created_at for e in signed}
    assert all(s.signed_at < now for s in signatures)


@check
def monitored_organisations_have_contracts(now: datetime) -> None:
    monitored = organisations_with("approve_plan")
    assert len(monitored) > 15
    for each in monitored:
        contracts = db.session.scalars(
            select(Contract).where(Contract.organisation_id == each.id)
        ).all()
        assert 1 <= len(contracts) <= 3, each.name
        for contract in contracts:
            assert 20_000 <= contract.value <= 2_000_000 and contract.start_date < contract.end_date
            assert contract.created_at < now
            commitments = db.session.scalar(
                select(func.count()).where(ContractCommitment.contract_id == contract.id)
            )
            # Malvern Hills Catering's four pledges from Worcestershire's toolkit, one of each
            # kind of value (charter/demo/charter_features.py); three at most elsewhere.
            assert 1 <= commitments <= (4 if contract.reference == PLEDGED_CONTRACT else 3)


@check
def returns_in_every_state_and_verified_ones_complete(now: datetime) -> None:
    verified = db.session.scalars(
        select(MonitoringReturn).where(MonitoringReturn.status == "verified")
    ).all()
    assert len(verified) > 20
    assessors = set(
        db.session.scalars(select(StaffRole.user_id).where(StaffRole.role == "assessor"))
    )
    for monitoring_return in verified:
        assert monitoring_return.verified_by_id in assessors
        assert monitoring_return.submitted_at < monitoring_return.verified_at < now
        lines = db.session.execute(
            select(ReturnLine, Measure.unit)
            .join(Measure, Measure.id == ReturnLine.measure_id)
            .where(ReturnLine.return_id == monitoring_return.id)
        ).all()
        assert lines
        for line, unit in lines:
            # Its value: a figure, a pair's two, an achievement's yes or no.
            if unit == "achievement":
                assert line.achieved is not None
            else:
                assert line.actual_value is not None
                assert (unit == "pair") == (line.second_value is not None)
            assert line.narrative
            links = db.session.scalar(
                select(func.count()).where(EvidenceLink.return_line_id == line.id)
            )
            files = db.session.scalar(
                select(func.count()).where(EvidenceFile.return_line_id == line.id)
            )
            assert links + files >= 1
    statuses = set(db.session.scalars(select(MonitoringReturn.status).distinct()))
    assert statuses == {"draft", "submitted", "queried", "verified"}


@check
def a_monitored_organisation_has_a_return_to_send(now: datetime) -> None:
    found, period = return_to_send()
    assert found.status in MONITORED_STATES and period.end < now.date()
    if found.name != "Wem Community Food Hub":
        # Only on the days when Wem's latest return would already be past its sanction date.
        wem = returns_of("Wem Community Food Hub")
        assert wem and all(r.status != RETURN_DRAFT for r in wem)
        grace = db.session.scalar(select(Scheme.grace_period_days).where(Scheme.is_current))
        assert now.date() >= sanction_date(wem[-1].due_date, grace)


@check
def ludlow_larder_has_exactly_one_return_waiting_for_the_assessor(now: datetime) -> None:
    statuses = [r.status for r in returns_of("Ludlow Larder Catering Ltd")]
    assert statuses.count(RETURN_SUBMITTED) == 1, statuses
    assert set(statuses) <= {RETURN_SUBMITTED, RETURN_DRAFT, "verified"}, statuses
    waiting = next(r for r in returns_of("Ludlow Larder Catering Ltd") if r.status == "submitted")
    assert waiting.submitted_at < now


@check
def coalbrookdale_has_a_queried_return(now: datetime) -> None:
    statuses = [r.status for r in returns_of("Coalbrookdale Woodland Trust")]
    assert "queried" in statuses, statuses


@check
def plans_and_applications_wait_for_the_assessors(now: datetime) -> None:
    assert organisation("Whitchurch Dairy Supplies Ltd").status == "plan_submitted"
    waiting = db.session.scalar(
        select(func.count(Application.id)).where(Application.status == "open")
    )
    assert waiting >= 2
    requested = db.session.scalars(
        select(Application).where(Application.status == "information_requested")
    ).all()
    assert requested
    for application in requested:
        request = db.session.scalar(
            select(InformationRequest).where(InformationRequest.application_id == application.id)
        )
        assert request.answer is None and request.requested_at < now


@check
def holders_hold_valid_unique_certificates(now: datetime) -> None:
    from charter.services.domain.marks import current_mark, standing
    from charter.services.domain.progress import measure_progress

    holders = db.session.scalars(
        select(Organisation)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(
            Signing.status == "monitoring", Signing.mark_status.in_(("accredited", "renewal_due"))
        )
    ).all()
    assert "Severn Valley Builders Ltd" in {h.name for h in holders}
    for holder in holders:
        mark = current_mark(holder)
        assert mark is not None and mark.status == "valid", holder.name
        assert mark.awarded_on <= now.date() < mark.expires_on, holder.name
        assert standing(mark, now.date()) in ("valid", "renewal_due")
        progress = measure_progress(holder, now.date())
        assert progress and all(p.is_met for p in progress), holder.name
    numbers = db.session.scalars(select(CharterMark.certificate_number)).all()
    assert len(numbers) == len(set(numbers))
    statuses = set(db.session.scalars(select(CharterMark.status).distinct()))
    assert statuses == {"valid", "expired", "revoked", "suspended"}


@check
def a_holder_waits_to_send_its_audit_documents(now: datetime) -> None:
    waiting = db.session.scalars(
        select(Organisation.name)
        .join(MarkAudit, MarkAudit.organisation_id == Organisation.id)
        .where(MarkAudit.status == AUDIT_DOCUMENTS_REQUESTED)
    ).all()
    assert waiting == ["Church Stretton Accountancy LLP"]


@check
def shropshire_council_has_confirmed_contracts_with_figures(now: datetime) -> None:
    from charter.models import ContractFigure

    council = db.session.scalar(
        select(Commissioner).where(Commissioner.name == "Shropshire Council")
    )
    figures = db.session.scalar(
        select(func.count(ContractFigure.id))
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .where(Contract.commissioner_id == council.id, Contract.confirmation_status == "confirmed")
    )
    assert figures > 0


@check
def one_new_signatory_awaits_an_administrators_check(now: datetime):
    """The administrators' list of register entries to check has one to publish; everyone
    else's entry was checked."""
    from charter.models import Signing
    from charter.models.signing import REGISTER_AWAITING_CHECK

    awaiting = db.session.scalars(
        select(Organisation)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(Signing.register_entry == REGISTER_AWAITING_CHECK)
    ).all()
    assert len(awaiting) == 1 and awaiting[0].status == "signatory"


DEMO_CHARTERS = ("shropshire", "worcestershire", "cheshire-west-and-chester")


# The checks across charters live in their own module; importing it registers them here.
from tests.cli import demo_story_charters  # noqa: E402, F401
