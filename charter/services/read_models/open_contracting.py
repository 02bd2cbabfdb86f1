"""A charter's social value as open contracting data (issue 22, docs/ocds.md): an OCDS 1.1
release package with one release per contract recorded from a published notice, under that
notice's ``ocid``, carrying the contract's verified, endorsed social value per measure and
period in the ``socialValue`` extension (``charter/services/infrastructure/ocds/
social_value_extension/``). Anyone can join it to the national contract data by ``ocid`` and the
parties' org-ids.

What goes out is no more than the service already publishes, and only where it already does:

- the organisation is on the charter's public register (``register_entries.on_register_clause``:
  a public state, its entry published, not hidden) and has agreed to publish its figures (its
  signing's ``publishes_figures``, the consent the register's and the API's figures follow);
- the figure counts (``plausibility.counts``: its return verified, a flagged figure checked by an
  assessor), and its contract manager endorsed it on a contract they confirmed;
- the contract was accepted from a published notice (so it has an ``ocid``).

Each such figure is that organisation's own, as its register page and the API publish its
totals. Published per contract, it also tells how much of a commissioner's cell on /impact comes
from it, so the impact build counts these same figures as known (``published_clause``, used by
``impact.build``): disclosure control protects what is left, as it does for the register's
figures. Commitments made at tender are not published: the consent asked is for verified
figures.

Numbers are JSON numbers written exactly (Numeric(14, 2) always fits a double's 15 digits; a
value that would not is refused, never rounded).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import (
    Commissioner,
    Contract,
    ContractFigure,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    Signing,
)
from charter.models.contract import CONTRACT_CONFIRMED
from charter.models.monitoring import FIGURE_ENDORSED
from charter.models.published_notice import AWARD_ACCEPTED, AwardedSupplier
from charter.models.scheme import Scheme
from charter.models.signing import REGISTER_PUBLISHED
from charter.services.domain.plausibility import counts
from workflows import lifecycle

EXTENSION_NAME = "Social value"
PUBLISHER_SCHEME = "GB-CHARTER-MARK"


def published_clause():
    """SQL: this per-contract figure goes out in the open contracting file. For a query over
    ContractFigure joined to its ReturnLine, MonitoringReturn, Measure and Contract (the impact
    build's commissioner cells, and the file itself)."""
    signing, scheme = aliased(Signing), aliased(Scheme)
    consenting_on_register = exists(
        select(signing.id)
        .join(scheme, scheme.charter_id == signing.charter_id)
        .where(
            signing.organisation_id == MonitoringReturn.organisation_id,
            scheme.id == Measure.scheme_id,
            signing.publishes_figures.is_(True),
            signing.register_entry == REGISTER_PUBLISHED,
            signing.status.in_(lifecycle.PUBLIC_STATES),
        )
    )
    award = aliased(AwardedSupplier)
    from_notice = exists(
        select(award.id).where(award.contract_id == Contract.id, award.status == AWARD_ACCEPTED)
    )
    return and_(
        counts(),
        ContractFigure.value.is_not(None),
        ContractFigure.endorsement_status == FIGURE_ENDORSED,
        Contract.confirmation_status == CONTRACT_CONFIRMED,
        from_notice,
        consenting_on_register,
    )


class NotExact(ValueError):
    """A figure a JSON number cannot carry exactly (never rounded: the file is not built)."""


def json_number(value: Decimal) -> int | float:
    """``value`` as a JSON number that reads back as the same decimal."""
    number: int | float = int(value) if value == value.to_integral_value() else float(value)
    if Decimal(repr(number)) != value:
        raise NotExact(f"{value} cannot be written exactly as a JSON number")
    return number


@dataclass
class PublishedContract:
    id: int
    award_id: str
    title: str
    supplier: dict
    figures: list[dict] = field(default_factory=list)
    # Each figure's amount as stored, beside its JSON number (the CSV writes it as it is).
    amounts: list[Decimal] = field(default_factory=list)


@dataclass
class Process:
    ocid: str
    buyer: dict
    contracts: dict[int, PublishedContract] = field(default_factory=dict)
    latest: datetime | None = None
    latest_end: date | None = None


def _rows(charter_id: int):
    return db.session.execute(
        select(
            AwardedSupplier.ocid,
            AwardedSupplier.award_id,
            AwardedSupplier.buyer_identifier,
            Contract.id,
            Contract.title,
            Organisation.name,
            Organisation.identifier_scheme,
            Organisation.identifier,
            Organisation.ppon,
            Organisation.slug,
            Commissioner.name,
            Commissioner.org_id,
            Measure.code,
            Measure.title,
            Measure.unit,
            MonitoringReturn.period_start,
            MonitoringReturn.period_end,
            ContractFigure.value,
            ContractFigure.endorsed_at,
        )
        .select_from(ContractFigure)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(Scheme, Scheme.id == Measure.scheme_id)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .join(
            AwardedSupplier,
            and_(
                AwardedSupplier.contract_id == Contract.id,
                AwardedSupplier.status == AWARD_ACCEPTED,
            ),
        )
        .where(Scheme.charter_id == charter_id, published_clause())
        .order_by(
            AwardedSupplier.ocid,
            Contract.id,
            Measure.position,
            Measure.code,
            MonitoringReturn.period_end,
        )
    )


def _supplier(name, scheme, identifier, ppon, slug) -> dict:
    """The organisation as an OCDS party: its org-id (the notice matched it by one), with its
    PPON as an additional identifier."""
    identifiers = []
    if identifier and scheme and scheme != "none":
        identifiers.append({"scheme": scheme, "id": identifier})
    if ppon:
        identifiers.append({"scheme": "GB-PPON", "id": ppon})
    party: dict = {"name": name, "roles": ["supplier"]}
    if identifiers:
        party["id"] = f"{identifiers[0]['scheme']}-{identifiers[0]['id']}"
        party["identifier"] = identifiers[0]
        if identifiers[1:]:
            party["additionalIdentifiers"] = identifiers[1:]
    else:
        party["id"] = f"{PUBLISHER_SCHEME}-organisation-{slug}"
    return party


def _buyer(name, org_id, published_keys) -> dict:
    """The commissioner as the notice's buyer: the first identifier the notice gave it (so the
    party joins to the notice's), else its org-id on the managed list."""
    keys = [k for k in (published_keys or "").split(", ") if k]
    return {"id": keys[0] if keys else (org_id or name), "name": name, "roles": ["buyer"]}


def contract_key(charter_slug: str, contract_id: int) -> str:
    """The contract's id in the file (the charter's own: a notice's award can have several)."""
    return f"{charter_slug}-contract-{contract_id}"


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + ("" if moment.tzinfo else "Z")


def releases(charter_id: int, charter_slug: str, charter_name: str, charter_url: str) -> list:
    """One release per ocid with published figures, oldest ocid first. A release's id carries
    a digest of its content: a changed figure is a new release, as OCDS asks."""
    return [
        release_of(process, charter_slug, charter_name, charter_url)
        for process in processes(charter_id)
    ]


def processes(charter_id: int) -> list[Process]:
    """The published figures grouped by ocid and contract, in the file's order: what the JSON
    and the CSV (``open_contracting_table``) are both written from."""
    processes: dict[str, Process] = {}
    for row in _rows(charter_id):
        (ocid, award_id, buyer_keys, contract_id, title, *organisation) = row[:10]
        commissioner_name, commissioner_org_id = row[10:12]
        code, measure_title, unit, start, end, value, endorsed_at = row[12:]
        process = processes.setdefault(
            ocid, Process(ocid, _buyer(commissioner_name, commissioner_org_id, buyer_keys))
        )
        contract = process.contracts.setdefault(
            contract_id, PublishedContract(contract_id, award_id, title, _supplier(*organisation))
        )
        contract.figures.append(
            {
                "measure": {"id": code, "title": measure_title, "unit": unit},
                "period": {"startDate": start.isoformat(), "endDate": end.isoformat()},
                "amount": json_number(value),
            }
        )
        contract.amounts.append(value)
        if endorsed_at is not None and (process.latest is None or endorsed_at > process.latest):
            process.latest = endorsed_at
        if process.latest_end is None or end > process.latest_end:
            process.latest_end = end
    return list(processes.values())


def release_of(process: Process, charter_slug: str, charter_name: str, charter_url: str) -> dict:
    parties = {process.buyer["id"]: process.buyer}
    awards: dict[str, dict] = {}
    contracts = []
    for contract in process.contracts.values():
        supplier = contract.supplier
        parties.setdefault(supplier["id"], supplier)
        award = awards.setdefault(contract.award_id, {"id": contract.award_id, "suppliers": []})
        reference = {"id": supplier["id"], "name": supplier["name"]}
        if reference not in award["suppliers"]:
            award["suppliers"].append(reference)
        contracts.append(
            {
                "id": contract_key(charter_slug, contract.id),
                "awardID": contract.award_id,
                "title": contract.title,
                "socialValue": {
                    "charter": {"name": charter_name, "uri": charter_url},
                    "figures": contract.figures,
                },
            }
        )
    body = {
        "ocid": process.ocid,
        "tag": ["implementation"],
        "initiationType": "tender",
        "language": "en",
        "parties": list(parties.values()),
        "buyer": {"id": process.buyer["id"], "name": process.buyer["name"]},
        "awards": list(awards.values()),
        "contracts": contracts,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    # When the newest figure was endorsed (else, for a figure endorsed before the service kept
    # the time, the end of its latest period).
    release_date = (
        _iso(process.latest) if process.latest else f"{process.latest_end.isoformat()}T00:00:00Z"
    )
    return {
        "ocid": process.ocid,
        "id": f"{process.ocid}-{charter_slug}-social-value-{digest}",
        "date": release_date,
        **{k: v for k, v in body.items() if k != "ocid"},
    }
