"""A holder's reporting duties, and the dated warning everyone gets before a sanction.

- warn_before_sanctions: the scheme's number of days before a signatory would lapse, or a
  holder's Charter Mark would be suspended, for a return never sent, one warning naming the
  date. Everyone who is a member gets it (a warning cannot be turned off).
- suspend_marks_for_missed_returns: a holder whose return is overdue past the grace period and
  was never sent has its Charter Mark suspended by the system; it stays a signatory.
- reinstate_marks: a system suspension whose causes are all met is lifted (also done at once
  when the return is verified; this catches the rest, e.g. after an administrator's suspension
  of a system-suspended organisation was lifted).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import and_, or_

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Organisation, Signing
from charter.models.assessment import MARK_SUSPENDED, MARK_VALID
from charter.services import notices
from charter.services.domain import duties
from charter.services.domain.lifecycle import AuditRows, system_actor, transition
from charter.services.domain.reviews.common import (
    MissedReturn,
    at_risk,
    give_notices,
    lifecycles,
    load_organisations,
    never_sent,
    run_in_batches,
    scheme_bounds,
    try_transition,
)
from charter.services.infrastructure.bulk_insert import update_versioned
from workflows import lifecycle

WARNING = "sanction_warning"


def warn_before_sanctions(today: date) -> dict:
    """One dated warning per never-sent return, from the scheme's warning days before the
    organisation would lapse or its Charter Mark be suspended, until that day."""
    counts: Counter = Counter()
    low, high, warn = scheme_bounds()
    missed = [
        m
        for m in never_sent(
            at_risk(),
            due_after=today - timedelta(days=high + 1),
            due_before=today + timedelta(days=warn - low),
            notice=WARNING,
        )
        if m.sanction_on - timedelta(days=m.warning_days) <= today < m.sanction_on
    ]

    def act(batch: Sequence[MissedReturn]) -> Counter:
        given = give_notices([(m.organisation_id, WARNING, m.key) for m in batch])
        batch = [m for m in batch if (WARNING, m.key) in given]
        organisations = load_organisations(m.organisation_id for m in batch)
        recipients = notices.recipients_of(organisations)
        messages = []
        for m in batch:
            organisation = organisations[m.organisation_id]
            messages += notices.returns.sanction_warning(
                recipients[organisation.id],
                organisation,
                m,
                holder=lifecycle.missed_duty_sanction(organisation.status, organisation.mark_status)
                == lifecycle.SUSPEND_MARK,
            )
        notices.queue_bulk(messages)
        return Counter(warned=len(batch))

    run_in_batches(missed, act, counts, key=lambda m: m.organisation_id)
    return {"warned": 0, "skipped": 0, **counts}


def suspend_marks_for_missed_returns(today: date) -> dict:
    """Suspend the Charter Mark of a holder with a return overdue past the grace period and
    never sent. A mark already suspended by the system records the further missed return."""
    counts: Counter = Counter()
    low, _, _ = scheme_bounds()
    missed = [
        m
        for m in never_sent(
            # Holders, and Marks already suspended (each further missed return is noted).
            or_(
                at_risk(lifecycle.SUSPEND_MARK),
                and_(
                    Signing.status == lifecycle.MONITORING,
                    Signing.mark_status == lifecycle.MARK_SUSPENDED,
                ),
            ),
            due_after=date.min,
            due_before=today - timedelta(days=low),
            notice=duties.MISSED_RETURN_NOTICE,
        )
        if m.sanction_on <= today
    ]
    by_organisation: dict[int, list[MissedReturn]] = defaultdict(list)
    for m in missed:
        by_organisation[m.organisation_id].append(m)

    def act(batch: Sequence[int]) -> Counter:
        done: Counter = Counter()
        organisations = load_organisations(batch)
        audit_rows = AuditRows()
        suspended, noted = [], []
        for org_id in batch:
            organisation, oldest = organisations[org_id], by_organisation[org_id][0]
            sanction = lifecycle.missed_duty_sanction(organisation.status, organisation.mark_status)
            if sanction == lifecycle.SUSPEND_MARK:
                reason = (
                    f"The monitoring return for {oldest.period_label} was due on "
                    f"{format_date(oldest.due_date)} and was not sent within the grace period."
                )
                fired = try_transition(
                    lambda o=organisation, r=reason: transition(
                        o, "suspend_mark", system_actor(), reason=r, record=audit_rows
                    ),
                    done,
                )
                if not fired:
                    continue
                suspended.append(organisation)
            elif organisation.mark_status != lifecycle.MARK_SUSPENDED:
                done["skipped"] += 1
                continue
            noted.append(organisation)
        update_versioned(lifecycles(organisations.values()))  # one UPDATE, not one per organisation
        audit_rows.flush()
        duties.set_marks([o.id for o in suspended], MARK_VALID, MARK_SUSPENDED)
        given = give_notices(
            [
                (o.id, duties.MISSED_RETURN_NOTICE, m.key)
                for o in noted
                for m in by_organisation[o.id]
            ]
        )
        recipients = notices.recipients_of(o.id for o in noted)
        messages = []
        for organisation in noted:
            fresh = [
                m
                for m in by_organisation[organisation.id]
                if (duties.MISSED_RETURN_NOTICE, m.key) in given
            ]
            if not fresh:
                continue
            messages += notices.marks.suspended_for_missed_returns(
                recipients[organisation.id],
                organisation,
                fresh,
                already=organisation not in suspended,
            )
        notices.queue_bulk(messages)
        done["suspended"] += len(suspended)
        return done

    run_in_batches(list(by_organisation), act, counts)
    return {"suspended": 0, "skipped": 0, **counts}


def reinstate_marks(today: date) -> dict:
    """Lift each system suspension whose causes are all met (returns verified, confirmation
    given) and whose mark has not expired meanwhile."""
    counts: Counter = Counter()
    rows = db.session.execute(duties.reinstatable(today).order_by(Organisation.id)).all()

    def act(batch) -> Counter:
        done: Counter = Counter()
        organisations = load_organisations(org_id for org_id, _, _ in batch)
        audit_rows = AuditRows()
        reinstated = []
        for org_id, expires_on, window in batch:
            organisation = organisations[org_id]
            if try_transition(
                lambda o=organisation, e=expires_on, w=window: duties.reinstate(
                    o, e, w, today, record=audit_rows
                ),
                done,
            ):
                reinstated.append(organisation)
        update_versioned(lifecycles(organisations.values()))  # one UPDATE, not one per organisation
        audit_rows.flush()
        duties.set_marks([o.id for o in reinstated], MARK_SUSPENDED, MARK_VALID)
        notices.marks.in_force_again(reinstated)
        done["reinstated"] += len(reinstated)
        return done

    run_in_batches(rows, act, counts, key=lambda row: row[0])
    return {"reinstated": 0, "skipped": 0, **counts}
