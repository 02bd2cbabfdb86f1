"""The demo's contract managers and what they have done: after the organisations, their
contracts and returns are built, four commissioners get a contract manager each, who has
confirmed most of the contracts recorded against them, disputed a few (one since corrected),
endorsed most figures in the returns sent and queried some (some answered).

A separate step with its own seeded generator, so the organisations' histories stay as they
were; dates are back-dated from the contracts' and returns' own.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    Commissioner,
    Contract,
    ContractFigure,
    ContractManager,
    ContractMonitoringEvent,
    Measure,
    Membership,
    MonitoringReturn,
    ReturnLine,
    User,
)
from charter.models.contract import CONTRACT_CONFIRMED, CONTRACT_DISPUTED, CONTRACT_UNCONFIRMED
from charter.models.monitoring import FIGURE_ENDORSED, FIGURE_QUERIED, RETURN_DRAFT
from charter.services.domain.contract_monitoring import contract_subject
from charter.services.domain.organisations import slugify
from charter.services.read_models.contract_monitoring import period_label

SEED = 7007
DEMO_DOMAIN = "demo.example"
# (commissioner, contract manager's name): the commissioners most demo contracts come from.
MANAGERS = [
    ("Shropshire Council", "Rhian Pritchard"),
    ("Telford & Wrekin Council", "Martin Doyle"),
    ("NHS Shropshire, Telford and Wrekin", "Sunita Patel"),
    ("West Mercia Police", "Gwen Harris"),
]
DISPUTES = [
    "Our records show this contract ends a year earlier than recorded here. Check the end "
    "date against the contract award letter.",
    "The value recorded is the framework ceiling, not the call-off value awarded to you. "
    "Record the call-off value.",
    "We cannot find this reference in our contracts register. Check it against the purchase "
    "order or award letter.",
]
QUERIES = [
    "This is well above what our contract monitoring shows for the quarter. Which suppliers "
    "does it include?",
    "Our monitoring report shows fewer people employed on this contract. Does this include "
    "staff on other contracts?",
    "Please send the supplier spend report behind this figure.",
]
ANSWERS = [
    "It includes two local subcontractors we started using this quarter; the spend report is "
    "attached to the return.",
    "You are right: two staff also work on another contract. The figure for this contract "
    "alone is lower, and we will correct it in the next return.",
]


def manager_email(commissioner_name: str) -> str:
    return f"contracts@{slugify(commissioner_name)}.{DEMO_DOMAIN}"


def manager_accounts() -> list[tuple[str, str]]:
    """(email, what for) of the demo contract managers in the database."""
    wanted = {manager_email(name): name for name, _ in MANAGERS}
    emails = db.session.scalars(
        select(User.email).where(User.email.in_(wanted)).order_by(User.email)
    )
    return [(email, f"Contract manager: {wanted[email]}") for email in emails]


def build_contract_monitoring(now: datetime, password_hash: str) -> Counter:
    """Make the contract managers and their decisions; counts of what was made."""
    rng = random.Random(SEED)
    counts: Counter = Counter()
    by_name = {
        c.name: c
        for c in db.session.scalars(
            select(Commissioner).where(Commissioner.name.in_([n for n, _ in MANAGERS]))
        )
    }
    managers: dict[int, User] = {}
    for name, full_name in MANAGERS:
        commissioner = by_name.get(name)
        if commissioner is None:
            continue
        started = now - timedelta(days=3 * 365)
        user = User(
            email=manager_email(name),
            full_name=full_name,
            password_hash=password_hash,
            email_verified_at=started,
            created_at=started,
            password_changed_at=started,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(
            ContractManager(commissioner_id=commissioner.id, user_id=user.id, created_at=started)
        )
        managers[commissioner.id] = user
        counts["contract managers"] += 1
    _contracts(rng, now, managers, counts)
    _figures(rng, now, managers, counts)
    db.session.flush()
    return counts


def _event(contract: Contract, action: str, actor: User, when: datetime, **fields) -> None:
    db.session.add(
        ContractMonitoringEvent(
            organisation_id=contract.organisation_id,
            commissioner_id=contract.commissioner_id,
            contract_id=contract.id,
            actor_id=actor.id,
            actor_label=actor.full_name,
            action=action,
            subject=fields.pop("subject", contract_subject(contract)),
            created_at=when,
            **fields,
        )
    )


def _contracts(rng: random.Random, now: datetime, managers: dict, counts: Counter) -> None:
    contracts = db.session.scalars(
        select(Contract)
        .where(Contract.commissioner_id.in_(managers))
        .order_by(Contract.created_at, Contract.id)
    )
    for contract in contracts:
        manager = managers[contract.commissioner_id]
        when = contract.created_at + timedelta(days=rng.randint(3, 25), hours=rng.randint(1, 6))
        roll = rng.random()
        if when >= now - timedelta(days=2) or roll < 0.15:
            counts["contracts waiting for confirmation"] += 1
            continue
        if roll < 0.25:
            reason = rng.choice(DISPUTES)
            contract.confirmation_status = CONTRACT_DISPUTED
            contract.dispute_reason = reason
            contract.disputed_by_id = manager.id
            contract.disputed_at = when
            _event(contract, "contract_disputed", manager, when, detail=reason)
            corrected_at = when + timedelta(days=rng.randint(2, 9))
            owner = _owner_of(contract)
            if not counts["corrected contracts"] and owner is not None and corrected_at < now:
                # One supplier has corrected theirs: back on the contract manager's work list.
                contract.confirmation_status = CONTRACT_UNCONFIRMED
                _event(contract, "contract_corrected", owner, corrected_at, detail=reason)
                counts["corrected contracts"] += 1
                continue
            counts["disputed contracts"] += 1
            continue
        contract.confirmation_status = CONTRACT_CONFIRMED
        contract.confirmed_by_id = manager.id
        contract.confirmed_at = when
        _event(contract, "contract_confirmed", manager, when)
        counts["confirmed contracts"] += 1


def _figures(rng: random.Random, now: datetime, managers: dict, counts: Counter) -> None:
    """Endorse or query the figures of confirmed contracts in sent returns, period by period.
    Nothing happens where the returns hold no per-contract figures."""
    rows = db.session.execute(
        select(ContractFigure, Contract, MonitoringReturn, Measure)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(
            Contract.commissioner_id.in_(managers),
            Contract.confirmation_status == CONTRACT_CONFIRMED,
            MonitoringReturn.status != RETURN_DRAFT,
            MonitoringReturn.submitted_at.is_not(None),
        )
        .order_by(Contract.id, MonitoringReturn.period_start, Measure.position, ContractFigure.id)
    ).all()
    periods: dict[tuple[int, int], list] = {}
    for figure, contract, ret, measure in rows:
        periods.setdefault((contract.id, ret.id), []).append((figure, contract, ret, measure))
    for figures in periods.values():
        _, contract, ret, _ = figures[0]
        manager = managers[contract.commissioner_id]
        when = ret.submitted_at + timedelta(days=rng.randint(5, 30), hours=rng.randint(1, 6))
        roll = rng.random()
        if when >= now - timedelta(days=1) or roll < 0.2:
            counts["periods waiting for endorsement"] += 1
            continue
        if roll < 0.3:
            figure, _, _, measure = rng.choice(figures)
            comment = rng.choice(QUERIES)
            figure.endorsement_status = FIGURE_QUERIED
            figure.query_comment = comment
            figure.queried_by_id = manager.id
            figure.queried_at = when
            subject = f"{measure.code} {measure.title}, {contract_subject(contract)}, "
            subject += period_label(ret.period_start, ret.period_end)
            _event(
                contract,
                "figure_queried",
                manager,
                when,
                subject=subject,
                detail=comment,
                contract_figure_id=figure.id,
                return_id=ret.id,
            )
            counts["queried figures"] += 1
            answered_at = when + timedelta(days=rng.randint(2, 10))
            if rng.random() < 0.5 and answered_at < now:
                answer = rng.choice(ANSWERS)
                figure.supplier_response = answer
                figure.responded_at = answered_at
                owner = _owner_of(contract)
                if owner is not None:
                    _event(
                        contract,
                        "figure_query_answered",
                        owner,
                        answered_at,
                        subject=subject,
                        detail=answer,
                        contract_figure_id=figure.id,
                        return_id=ret.id,
                    )
            continue
        for figure, *_ in figures:
            figure.endorsement_status = FIGURE_ENDORSED
            figure.endorsed_by_id = manager.id
            figure.endorsed_at = when
        period = period_label(ret.period_start, ret.period_end)
        _event(
            contract,
            "figures_endorsed",
            manager,
            when,
            subject=f"{contract_subject(contract)}, {period}",
            detail=f"{len(figures)} figure{'s' if len(figures) != 1 else ''} endorsed",
            return_id=ret.id,
        )
        counts["endorsed figures"] += len(figures)


def _owner_of(contract: Contract) -> User | None:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == contract.organisation_id, Membership.role == "owner")
    )
