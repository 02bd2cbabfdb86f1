"""Contracts won from public-sector commissioners, their social value commitments, and the
managed list of commissioners.

Functions add to the session and never commit. A refusal an organisation can act on is a
:class:`TransitionRefused` (shown as a 409 page, nothing saved); a bad answer on a form is a
:class:`ContractRefused`, which the view shows against the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import (
    CharterCommissioner,
    Commissioner,
    Contract,
    ContractCommitment,
    Measure,
    Organisation,
    User,
)
from charter.services import notices
from charter.services.domain import award_weighting, contract_monitoring, signings
from charter.services.domain.charter_commissioners import contract_totals, counts_for, summarised
from charter.services.domain.contract_rules import ContractRules
from charter.services.domain.identifiers import (
    IDENTIFIER_SCHEMES,
    InvalidIdentifier,
    normalise_identifier,
)
from charter.services.domain.refusals import Refused
from charter.services.domain.returns import figures
from charter.services.domain.schemes import scheme_of
from charter.services.domain.social_value_record import keep_record
from charter.services.domain.text import clean_text, has_visible_name, name_message
from charter.services.domain.versions import check_version
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

# From signing onwards; a suspension keeps the state it interrupted. Registered, lapsed and
# withdrawn organisations have no current signature, so they record nothing.
RECORDING_STATES = tuple(lifecycle.SUSPENDABLE)

DUPLICATE_COMMISSIONER_MESSAGE = "A commissioner with this name already exists"
ORG_ID_FORMAT_MESSAGE = "Enter the org-id in the correct format, like GB-LAE-SHR or GB-NHS-RXW"
# org-id.guide lists not checked in detail here: a country, a list code and an identifier.
_OTHER_ORG_ID = re.compile(r"^[A-Z]{2}-[A-Z]{2,4}-[A-Za-z0-9]+$")


class ContractRefused(Refused):
    """An answer that cannot be saved; the message says why, in GOV.UK style, and ``field``
    which answer it is about (None: the commissioner)."""


# --- commissioners ----------------------------------------------------------------------------


def normalise_org_id(value: str | None) -> str | None:
    """A commissioner's org-id as stored, None when blank, or InvalidIdentifier.

    Lists this service knows (Companies House, local authorities, ...) are checked with their
    own format; any other list only by the shape of an org-id.
    """
    compact = re.sub(r"\s+", "", value or "")
    if not compact:
        return None
    parts = compact.split("-", 2)
    if len(parts) == 3:
        prefix = f"{parts[0]}-{parts[1]}".upper()
        if prefix in IDENTIFIER_SCHEMES:
            return f"{prefix}-{normalise_identifier(prefix, parts[2])}"
        candidate = f"{prefix}-{parts[2]}"
        if _OTHER_ORG_ID.match(candidate):
            return candidate
    raise InvalidIdentifier(ORG_ID_FORMAT_MESSAGE)


def commissioners() -> list[Commissioner]:
    """Every commissioner, active first, by name."""
    return list(
        db.session.scalars(
            select(Commissioner).order_by(
                Commissioner.is_active.desc(), func.lower(Commissioner.name), Commissioner.id
            )
        )
    )


def active_commissioners() -> list[Commissioner]:
    return list(
        db.session.scalars(
            select(Commissioner)
            .where(Commissioner.is_active.is_(True))
            .order_by(func.lower(Commissioner.name), Commissioner.id)
        )
    )


def commissioner_name_taken(name: str, *, except_id: int | None = None) -> bool:
    query = select(Commissioner.id).where(func.lower(Commissioner.name) == name.strip().lower())
    if except_id is not None:
        query = query.where(Commissioner.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def _visible(text: str, noun: str, field: str | None) -> str:
    """``text`` cleaned (text.py), or ContractRefused when nothing visible is left."""
    if not has_visible_name(text):
        raise ContractRefused(name_message(noun), field)
    return clean_text(text) or ""


def add_commissioner(name: str, org_id: str | None, charter_id: int | None = None) -> Commissioner:
    """A new commissioner on the service's list, taking part in ``charter_id`` (the charter
    of the administrator who adds it)."""
    name = _visible(name, "name", None)
    if commissioner_name_taken(name):
        raise ContractRefused(DUPLICATE_COMMISSIONER_MESSAGE)
    commissioner = Commissioner(name=name, org_id=org_id, is_active=True)
    db.session.add(commissioner)
    if charter_id is not None:
        db.session.flush()
        db.session.add(CharterCommissioner(charter_id=charter_id, commissioner_id=commissioner.id))
    return commissioner


def update_commissioner(commissioner: Commissioner, name: str, org_id: str | None) -> None:
    name = _visible(name, "name", None)
    if commissioner_name_taken(name, except_id=commissioner.id):
        raise ContractRefused(DUPLICATE_COMMISSIONER_MESSAGE)
    commissioner.name = name
    commissioner.org_id = org_id


def set_commissioner_active(commissioner: Commissioner, active: bool) -> None:
    """Deactivating only stops organisations choosing it; contracts already won keep it."""
    commissioner.is_active = active


# --- who may record ---------------------------------------------------------------------------


def can_record_contracts(organisation: Organisation) -> bool:
    status = organisation.status
    if status == lifecycle.SUSPENDED:
        status = organisation.status_before_suspension
    return status in RECORDING_STATES


def require_recording(organisation: Organisation) -> None:
    if not can_record_contracts(organisation):
        label = lifecycle.STATE_LABELS.get(organisation.status, organisation.status)
        raise TransitionRefused(
            "You can record contracts once your organisation has signed the charter. "
            f"{organisation.name} is ‘{label}’."
        )


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    commitment_count: int


def contracts_of(organisation: Organisation) -> list[ContractRow]:
    """Every contract, newest start first, with its commissioner and number of commitments, in
    one query whatever the number of contracts."""
    counts = (
        select(func.count(ContractCommitment.id))
        .where(ContractCommitment.contract_id == Contract.id)
        .correlate(Contract)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Contract, counts)
        .options(joinedload(Contract.commissioner))
        .where(Contract.organisation_id == organisation.id)
        .order_by(Contract.start_date.desc(), Contract.id.desc())
    ).all()
    return [ContractRow(contract, count) for contract, count in rows]


def contract_of(organisation: Organisation, contract_id: int) -> Contract | None:
    """The contract only if it belongs to ``organisation``: another one's ids are not found."""
    return db.session.scalar(
        select(Contract)
        .options(
            joinedload(Contract.commissioner),
            joinedload(Contract.confirmed_by),
            joinedload(Contract.disputed_by),
        )
        .where(Contract.id == contract_id, Contract.organisation_id == organisation.id)
    )


def commitments_of(contract: Contract) -> list[ContractCommitment]:
    return list(
        db.session.scalars(
            select(ContractCommitment)
            .join(Measure, ContractCommitment.measure_id == Measure.id)
            .options(joinedload(ContractCommitment.measure))
            .where(ContractCommitment.contract_id == contract.id)
            .order_by(Measure.position, ContractCommitment.id)
        )
    )


def measures_for(organisation: Organisation) -> list[Measure]:
    """The measures of the scheme the organisation signed under."""
    scheme_id = signings.scheme_id_of(organisation)
    if scheme_id is None:
        return []
    return list(
        db.session.scalars(
            select(Measure).where(Measure.scheme_id == scheme_id).order_by(Measure.position)
        )
    )


def has_public_sector_contract(organisation: Organisation) -> bool:
    """Every commissioner on the list is a public-sector body, active or not; its contracts
    count for the charters it takes part in."""
    found = db.session.scalar(
        select(Contract.id)
        .where(Contract.organisation_id == organisation.id, counts_for(organisation))
        .limit(1)
    )
    return found is not None


def contract_summary(organisation: Organisation) -> tuple[int, Decimal]:
    """The contracts that count for the organisation's signing acting now: how many, and
    their value."""
    signing = signings.signing_of(organisation)
    if signing is None:
        return summarised(0, None)
    totals = contract_totals(organisation.id, signing.charter_id)
    return summarised(*db.session.execute(totals).one())


# --- recording --------------------------------------------------------------------------------


def _check_terms(organisation: Organisation, start: date, end: date, value: Decimal) -> None:
    """The scheme's [contracts] rules, checked again whoever calls (contract_rules.py)."""
    rules = ContractRules.of(scheme_of(organisation))
    for field, message in rules.problems(start, end, value, date.today()).items():
        raise ContractRefused(message, field)


def _check_commissioner(commissioner: Commissioner) -> None:
    if not commissioner.is_active:
        raise ContractRefused("Select the commissioner who awarded the contract")


def add_contract(
    organisation: Organisation,
    user: User,
    *,
    commissioner: Commissioner,
    title: str,
    reference: str | None,
    value: Decimal,
    start_date: date,
    end_date: date,
) -> Contract:
    require_recording(organisation)
    _check_terms(organisation, start_date, end_date, value)
    _check_commissioner(commissioner)
    title = _visible(title, "contract title", "title")
    contract = Contract(
        organisation_id=organisation.id,
        commissioner_id=commissioner.id,
        title=title,
        reference=reference or None,
        value=value,
        start_date=start_date,
        end_date=end_date,
        created_by_id=user.id,
    )
    award_weighting.record(contract, organisation)
    db.session.add(contract)
    db.session.flush()
    notices.contracts.recorded(contract, organisation)
    return contract


def update_contract(
    organisation: Organisation,
    contract: Contract,
    *,
    commissioner: Commissioner,
    title: str,
    reference: str | None,
    value: Decimal,
    start_date: date,
    end_date: date,
    user: User | None = None,
    version: int | None,
) -> str | None:
    """Save the supplier's changes. ``version`` is the contract's version the form showed: a
    contract confirmed or disputed since (or a version missing) is refused (409, see
    charter.services.domain.versions) rather than silently overwritten.
    A disputed contract, or a confirmed one whose reference, value, dates or commissioner
    changed, goes back to the commissioner; returns the monitoring action recorded, if any."""
    require_recording(organisation)
    check_version(contract, version)
    before = contract_monitoring.terms_of(contract)
    _check_terms(organisation, start_date, end_date, value)
    title = _visible(title, "contract title", "title")
    # A contract keeps a commissioner deactivated since; it cannot move to another inactive one.
    if commissioner.id != contract.commissioner_id and not commissioner.is_active:
        raise ContractRefused("Select the commissioner who awarded the contract")
    if (commissioner.id, value) != (contract.commissioner_id, contract.value):
        contract.commissioner_id, contract.value = commissioner.id, value
        award_weighting.record(contract, organisation)
    contract.title = title
    contract.reference = reference or None
    contract.start_date = start_date
    contract.end_date = end_date
    return contract_monitoring.after_supplier_edit(contract, before, user)


def remove_contract(organisation: Organisation, contract: Contract) -> None:
    require_recording(organisation)
    if figures.contract_has_figures(contract.id):  # the figures would lose their contract
        raise TransitionRefused(figures.CONTRACT_HAS_FIGURES)
    keep_record(contract_id=contract.id)
    # Bulk deletes: the relationships are lazy="raise", so no cascade through the session.
    db.session.execute(
        delete(ContractCommitment).where(ContractCommitment.contract_id == contract.id)
    )
    db.session.execute(delete(Contract).where(Contract.id == contract.id))


def commitment_for(contract: Contract, measure: Measure) -> ContractCommitment | None:
    return db.session.scalar(
        select(ContractCommitment).where(
            ContractCommitment.contract_id == contract.id,
            ContractCommitment.measure_id == measure.id,
        )
    )


def duplicate_commitment_message(measure: Measure) -> str:
    return f"This contract already has a commitment for {measure.code}"


def add_commitment(
    organisation: Organisation,
    contract: Contract,
    measure: Measure,
    *,
    target_value: Decimal,
    notes: str | None,
) -> ContractCommitment:
    require_recording(organisation)
    if measure.scheme_id != signings.scheme_id_of(organisation):
        raise ContractRefused("Select a measure from the list")
    if target_value < 0:
        raise ContractRefused("Target must be 0 or more")
    if measure.unit == "percent" and target_value > 100:
        raise ContractRefused("Target must be 100 or less")
    if commitment_for(contract, measure) is not None:
        raise ContractRefused(duplicate_commitment_message(measure))
    commitment = ContractCommitment(
        contract_id=contract.id,
        measure_id=measure.id,
        target_value=target_value,
        notes=notes or None,
    )
    db.session.add(commitment)
    return commitment


def remove_commitment(organisation: Organisation, contract: Contract, commitment_id: int) -> bool:
    """Whether a commitment of this contract was removed (another contract's id is ignored)."""
    require_recording(organisation)
    keep_record(commitment_id=commitment_id)
    done = db.session.execute(
        delete(ContractCommitment).where(
            ContractCommitment.id == commitment_id,
            ContractCommitment.contract_id == contract.id,
        )
    )
    return done.rowcount == 1
