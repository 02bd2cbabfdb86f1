"""The annual confirmation's jobs.

- annual_review_of_signatories: on the anniversary of signing, open the year's confirmation and
  remind the members (a reminder: those who turned reminders off do not get it).
- enforce_annual_confirmations: the scheme's warning days before the window closes, a dated
  warning to every member; after it closes, a signatory lapses and a holder's Charter Mark is
  suspended until the owner confirms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Organisation, Scheme
from charter.models.assessment import MARK_SUSPENDED, MARK_VALID
from charter.models.duties import AnnualConfirmation
from charter.models.schedule import ScheduledNotice
from charter.models.signing import Signing
from charter.services import notices
from charter.services.domain import duties, signings
from charter.services.domain.confirmations import (
    CONFIRMING_STATES,
    last_anniversary,
    latest_signatures,
)
from charter.services.domain.lifecycle import AuditRows, system_actor, transition
from charter.services.domain.marks import add_months
from charter.services.domain.reviews.common import (
    give_notices,
    lifecycles,
    load_organisations,
    run_in_batches,
    try_transition,
)
from charter.services.infrastructure.bulk_insert import insert_ignoring, update_versioned
from workflows import lifecycle

STEP_COUNTS = {
    "warning": "warned",
    "lapse": "lapsed",
    "suspend_mark": "suspended",
    "noted": "noted",
}


def annual_review_of_signatories(today: date) -> dict:
    """Open the annual confirmation of each signatory whose anniversary of signing has come,
    once per anniversary, and remind its members."""
    counts: Counter = Counter()
    a_year_ago = add_months(today, -12)
    signed = latest_signatures()
    rows = db.session.execute(
        select(Organisation.id, signed.c.signed_at, Scheme.confirmation_window_days)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .join(
            signed,
            and_(
                signed.c.organisation_id == Organisation.id,
                signed.c.charter_id == Signing.charter_id,
            ),
        )
        .join(Scheme, Scheme.id == Signing.scheme_id)
        .where(
            Signing.status.in_(CONFIRMING_STATES),
            signings.in_acting_charter(),
            signed.c.signed_at < datetime.combine(a_year_ago + timedelta(days=1), time.min),
            ~exists().where(
                AnnualConfirmation.signing_id == Signing.id,
                AnnualConfirmation.anniversary > a_year_ago,
            ),
        )
        .order_by(Organisation.id)
    ).all()
    due = []
    for org_id, signed_at, window in rows:
        anniversary = last_anniversary(signed_at.date(), today)
        if anniversary is not None and anniversary > a_year_ago:
            # The window runs from the day the owner is asked: a confirmation opened late (the
            # scheduler was down, or this duty is new) still gives the whole window.
            opened = max(anniversary, today)
            due.append((org_id, anniversary, opened + timedelta(days=window)))

    def act(batch: Sequence[tuple[int, date, date]]) -> Counter:
        signing_of = signings.signing_ids_of(o for o, _, _ in batch)
        opened = {
            org_id
            for (org_id,) in insert_ignoring(
                AnnualConfirmation,
                [
                    {"organisation_id": o, "signing_id": signing_of[o], "anniversary": a}
                    | {"closes_on": c}
                    for o, a, c in batch
                ],
                ["signing_id", "anniversary"],
                (AnnualConfirmation.organisation_id,),
            )
        }
        # Keyed by the signing: an organisation that signed two charters is asked under each.
        given = give_notices(
            [
                (o, "annual_review", f"signing:{signing_of[o]}:{a.year}")
                for o, a, _ in batch
                if o in opened
            ]
        )
        organisations = load_organisations(o for o, _, _ in batch if o in opened)
        recipients = notices.recipients_of(organisations)
        messages = []
        for org_id, anniversary, closes_on in batch:
            if ("annual_review", f"signing:{signing_of[org_id]}:{anniversary.year}") not in given:
                continue
            organisation = organisations[org_id]
            messages += notices.confirmations.due(
                recipients[org_id], organisation, anniversary, closes_on
            )
        notices.queue_bulk(messages)
        return Counter(reminded=len(given))

    run_in_batches(due, act, counts, key=lambda row: row[0])
    return {"reminded": 0, "skipped": 0, **counts}


def enforce_annual_confirmations(today: date) -> dict:
    """Warn before the window closes; after it closes, lapse a signatory or suspend a
    holder's Charter Mark. Each once per confirmation."""
    counts: Counter = Counter()
    warn_days = db.session.scalar(select(func.max(Scheme.warning_days_before_sanction))) or 0
    missed_key = "confirmation_missed"
    rows = db.session.execute(
        select(
            AnnualConfirmation.id,
            AnnualConfirmation.organisation_id,
            AnnualConfirmation.closes_on,
            Scheme.warning_days_before_sanction,
        )
        .join(Signing, Signing.id == AnnualConfirmation.signing_id)
        .join(Scheme, Scheme.id == Signing.scheme_id)
        .where(
            AnnualConfirmation.confirmed_at.is_(None),
            AnnualConfirmation.closes_on <= today + timedelta(days=warn_days),
            Signing.status.in_(CONFIRMING_STATES),
            signings.in_acting_charter(),
            ~exists().where(
                ScheduledNotice.kind == missed_key,
                ScheduledNotice.subject_key
                == duties.subject_key("confirmation", AnnualConfirmation.id),
            ),
        )
        .order_by(AnnualConfirmation.organisation_id, AnnualConfirmation.id)
    ).all()
    work = [
        (cid, oid, closes_on, "missed" if closes_on < today else "warning")
        for cid, oid, closes_on, warn in rows
        if closes_on < today or closes_on - timedelta(days=warn) <= today
    ]

    def act(batch) -> Counter:
        done: Counter = Counter()
        organisations = load_organisations(oid for _, oid, _, _ in batch)
        to_give, suspended, acted = [], [], []
        audit_rows = AuditRows()
        for cid, oid, closes_on, step in batch:
            organisation = organisations[oid]
            if step == "warning":
                to_give.append((oid, "confirmation_warning", f"confirmation:{cid}"))
                acted.append((organisation, closes_on, step, cid))
                continue
            reason = (
                f"The annual confirmation of the charter commitment was not given by "
                f"{format_date(closes_on)}."
            )
            trigger = lifecycle.missed_duty_sanction(organisation.status, organisation.mark_status)
            already = organisation.mark_status == lifecycle.MARK_SUSPENDED
            if trigger is None and not already:
                continue  # under assessment: decided once the assessment ends
            # (A Mark already suspended: the confirmation is one more cause, noted.)
            if trigger and not try_transition(
                lambda o=organisation, t=trigger, r=reason: transition(
                    o, t, system_actor(), reason=r, record=audit_rows
                ),
                done,
            ):
                continue
            if trigger == "suspend_mark":
                suspended.append(organisation.id)
            to_give.append((oid, missed_key, f"confirmation:{cid}"))
            acted.append((organisation, closes_on, trigger or "noted", cid))
        update_versioned(lifecycles(organisations.values()))  # one UPDATE, not one per organisation
        audit_rows.flush()
        duties.set_marks(suspended, MARK_VALID, MARK_SUSPENDED)
        given = give_notices(to_give)
        recipients = notices.recipients_of(o.id for o, _, _, _ in acted)
        messages = []
        for organisation, closes_on, step, cid in acted:
            kind = "confirmation_warning" if step == "warning" else missed_key
            if (kind, f"confirmation:{cid}") not in given:
                continue
            holder = organisation.mark_status in lifecycle.HELD
            done[STEP_COUNTS[step]] += 1
            if step == "warning":
                messages += notices.confirmations.warning(
                    recipients[organisation.id], organisation, closes_on, holder=holder
                )
            else:
                messages += notices.confirmations.missed(
                    recipients[organisation.id], organisation, closes_on, holder=holder, step=step
                )
        notices.queue_bulk(messages)
        return done

    run_in_batches(work, act, counts, key=lambda row: row[1])
    return {"warned": 0, "lapsed": 0, "suspended": 0, "skipped": 0, **counts}
