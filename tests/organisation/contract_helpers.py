"""Helpers for the contract pages' tests: their addresses, a measure by code, row counts and the
forms' answers."""

from __future__ import annotations

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import ContractCommitment, Measure


def contracts_url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}/contracts{rest}"


def row_count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def scheme_measure(scheme, code: str) -> Measure:
    return db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == code)
    )


def add_commitment(contract, scheme, target_value=1) -> None:
    """An LE1 commitment on ``contract``, added straight to the session (not committed)."""
    db.session.add(
        ContractCommitment(
            contract_id=contract.id,
            measure_id=scheme_measure(scheme, "LE1").id,
            target_value=target_value,
        )
    )


def contract_data(chosen, /, **changes) -> dict:
    data = {
        "commissioner": str(chosen.id),
        "title": "Highways maintenance, north",
        "reference": "SC-2026-014",
        "value": "12,500.50",
        "start_date": ["1", "4", "2026"],
        "end_date": ["31", "3", "2028"],
    }
    data.update(changes)
    return data


def change_data(contract, chosen, /, **changes) -> dict:
    """The change form's answers: ``contract_data`` and the contract's version as the page
    showed it (the form refuses a change without one)."""
    return contract_data(chosen, version=str(contract.version_id), **changes)


def commitment_data(**changes) -> dict:
    data = {"measure": "LE1", "target_value": "50000", "notes": "Section 4 of the tender"}
    data.update(changes)
    return data
