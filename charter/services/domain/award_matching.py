"""Who an award in a published notice is for: its suppliers matched to organisations, its buyer
to a commissioner on the managed list, both by identifier and never by name alone (two firms
may share a name; an identifier names one).

An awarded supplier whose organisation and commissioner are both known is proposed to the
organisation; one where either is missing waits on the administrators' page with the reason.
When the commissioner is known but no organisation has the supplier's identifier (or the
notice gives none), an organisation whose name is the same or nearly the same (legal forms and
punctuation aside) is offered it to claim, with a warning that only the name matched.
An award where neither is known is none of this service's business (the Find a Tender feed
has every buyer in the country) and is not kept. Accepted and declined ones are never changed
by a later notice.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from charter.extensions import db
from charter.models import Commissioner, Organisation
from charter.models.base import utcnow
from charter.models.published_notice import (
    AWARD_NAME_MATCH,
    AWARD_PROPOSED,
    AWARD_UNMATCHED,
    AwardedSupplier,
    BuyerIdentifier,
    NoticeEvent,
)

# An award a notice says did not happen is not proposed to anyone.
_NOT_AWARDED = {"cancelled", "unsuccessful"}
# A party id that is itself a UK org-id (org-id.guide: GB or XI, a list code, the identifier),
# as Find a Tender's "GB-PPON-..." ids are; other publishers' party ids are their own keys.
_ORG_ID = re.compile(r"^(GB|XI)-[A-Z]{2,6}-.+$")
_KEY_LENGTH = 300
_MAX_VALUE = Decimal("1e12")  # Numeric(14, 2)


def identifier_key(value: str) -> str:
    """How identifiers are compared: spaces removed, upper case. A Companies House number
    published without its leading zeros ("GB-COH-1234567") is the same 8-character number."""
    key = re.sub(r"\s+", "", value).upper()
    if key.startswith("GB-COH-") and key[7:].isdigit() and len(key) < 15:
        key = "GB-COH-" + key[7:].zfill(8)
    return key


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def party_identifiers(party: dict[str, Any]) -> list[str]:
    """The org-ids a party carries ("SCHEME-ID"), from its identifier and additional ones."""
    found = []
    identifiers = [party.get("identifier"), *(party.get("additionalIdentifiers") or [])]
    for identifier in identifiers:
        if not isinstance(identifier, dict):
            continue
        scheme, id_ = _text(identifier.get("scheme")), _text(str(identifier.get("id") or ""))
        if not scheme or not id_:
            continue
        # Some publishers repeat the scheme in the id ("GB-COH" and "GB-COH-01234567").
        id_key = identifier_key(id_)
        if id_key.startswith(identifier_key(scheme) + "-"):
            found.append(identifier_key(id_key))
        else:
            found.append(identifier_key(f"{scheme}-{id_}"))
    party_id = _text(str(party.get("id") or ""))
    if _ORG_ID.match(identifier_key(party_id)):
        found.append(identifier_key(party_id))
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class AwardFacts:
    """One supplier of one award, as the compiled record publishes it."""

    ocid: str
    award_id: str
    supplier_key: str
    supplier_name: str
    supplier_identifiers: list[str]
    buyer_name: str
    buyer_keys: list[str]
    title: str
    value: Decimal | None
    currency: str | None
    start_date: date | None
    end_date: date | None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def _amount(value: Any) -> tuple[Decimal | None, str | None]:
    """The amount only where Numeric(14, 2) holds it exactly; else None (shown as "see the
    notice"), never rounded."""
    if not isinstance(value, dict):
        return None, None
    currency = _text(value.get("currency"))[:3] or None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None, currency
    try:
        exact = Decimal(repr(amount))
    except InvalidOperation:
        return None, currency
    if abs(exact) >= _MAX_VALUE or exact != exact.quantize(Decimal("0.01")):
        return None, currency
    return exact.quantize(Decimal("0.01")), currency


def _period(award: dict, contracts: list) -> tuple[date | None, date | None]:
    period = award.get("contractPeriod")
    if not isinstance(period, dict):
        for contract in contracts:
            if isinstance(contract, dict) and contract.get("awardID") == award.get("id"):
                period = contract.get("period")
                break
    if not isinstance(period, dict):
        return None, None
    return _date(period.get("startDate")), _date(period.get("endDate"))


def _supplier_key(supplier: dict, identifiers: list[str]) -> str:
    key = identifiers[0] if identifiers else _text(str(supplier.get("id") or ""))
    key = key or "name:" + _text(supplier.get("name"))
    if len(key) > _KEY_LENGTH:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def awards_in(compiled: dict[str, Any]) -> list[AwardFacts]:
    """Every supplier of every award that happened, in a compiled release."""
    parties = {str(p.get("id")): p for p in compiled.get("parties") or [] if isinstance(p, dict)}
    buyer = compiled.get("buyer") if isinstance(compiled.get("buyer"), dict) else {}
    # OCDS 1.1 describes a party once, in ``parties``; 1.0 publishers put it inline.
    buyer_party = {**buyer, **parties.get(str(buyer.get("id")), {})}
    buyer_keys = party_identifiers(buyer_party) + party_identifiers(buyer)
    for raw in (buyer.get("id"), buyer_party.get("id")):
        if _text(str(raw or "")):
            buyer_keys.append(identifier_key(str(raw)))
    buyer_keys = list(dict.fromkeys(buyer_keys))
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    contracts = compiled.get("contracts") or []
    found = []
    for award in compiled.get("awards") or []:
        if not isinstance(award, dict) or award.get("status") in _NOT_AWARDED:
            continue
        value, currency = _amount(award.get("value"))
        start, end = _period(award, contracts)
        for supplier in award.get("suppliers") or []:
            if not isinstance(supplier, dict):
                continue
            party = {**supplier, **parties.get(str(supplier.get("id")), {})}
            identifiers = list(
                dict.fromkeys(party_identifiers(party) + party_identifiers(supplier))
            )
            found.append(
                AwardFacts(
                    ocid=compiled["ocid"],
                    award_id=_text(str(award.get("id") or "")) or "-",
                    supplier_key=_supplier_key(supplier, identifiers),
                    supplier_name=_text(party.get("name")) or "(no name published)",
                    supplier_identifiers=identifiers,
                    buyer_name=_text(buyer_party.get("name")) or "(no name published)",
                    buyer_keys=buyer_keys,
                    title=_text(award.get("title")) or _text(tender.get("title")) or "(untitled)",
                    value=value,
                    currency=currency,
                    start_date=start,
                    end_date=end,
                )
            )
    return found


# Words that say what kind of body it is, not which: "Severn Builders Ltd" is "Severn Builders".
_LEGAL_FORMS = {"the", "ltd", "limited", "plc", "llp", "lp", "cic", "cio", "co", "company", "uk"}
# How alike two names must be (difflib's ratio) to be offered as a near match.
NEAR_NAME = 0.92


def name_key(name: str) -> str:
    """A name as compared for a near match: case, punctuation and legal forms aside."""
    text = name.casefold().replace("&", " and ").replace(".", "")  # "C.I.C." is "cic"
    words = re.sub(r"[^a-z0-9 ]+", " ", text).split()
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


class Directory:
    """Who may be matched: each organisation's org-id and each commissioner's org-id and buyer
    identifiers, read once for a whole import (two queries, not two per award). The lowest id
    wins where two rows share an identifier."""

    def __init__(self) -> None:
        self.organisations: dict[str, int] = {}
        for org_id, row_id in db.session.execute(
            select(Organisation.org_id, Organisation.id)
            .where(Organisation.org_id.is_not(None))
            .order_by(Organisation.id)
        ):
            self.organisations.setdefault(identifier_key(org_id), row_id)
        self.commissioners: dict[str, int] = {}
        commissioner_keys = select(Commissioner.org_id, Commissioner.id).where(
            Commissioner.org_id.is_not(None)
        )
        buyer_keys = select(BuyerIdentifier.identifier, BuyerIdentifier.commissioner_id)
        for key, row_id in db.session.execute(
            commissioner_keys.union_all(buyer_keys).order_by("id")
        ):
            self.commissioners.setdefault(identifier_key(key), row_id)
        # Names only for offering a near match, never for proposing.
        self.names: dict[str, int] = {}
        self.organisation_names: dict[int, str] = {}
        for name, row_id in db.session.execute(
            select(Organisation.name, Organisation.id).order_by(Organisation.id)
        ):
            self.organisation_names[row_id] = name
            if len(name_key(name)) >= 4:
                self.names.setdefault(name_key(name), row_id)

    def organisation_id(self, identifiers: list[str]) -> int | None:
        return next((self.organisations[k] for k in identifiers if k in self.organisations), None)

    def commissioner_id(self, keys: list[str]) -> int | None:
        return next((self.commissioners[k] for k in keys if k in self.commissioners), None)

    def organisation_by_name(self, name: str) -> int | None:
        """The organisation whose name is the same or nearly the same, if one is."""
        key = name_key(name)
        if len(key) < 4:
            return None
        if key in self.names:
            return self.names[key]
        near = difflib.get_close_matches(key, self.names, n=1, cutoff=NEAR_NAME)
        return self.names[near[0]] if near else None


def _unmatched_reason(facts: AwardFacts, organisation_id, commissioner_id) -> str | None:
    if organisation_id is None and not facts.supplier_identifiers:
        return "The notice gives no identifier for the supplier"
    if organisation_id is None:
        return "No organisation has the supplier's identifier " + facts.supplier_identifiers[0]
    if commissioner_id is None:
        return "The buyer is not a commissioner on the list (add its identifier)"
    return None


def apply(
    facts: AwardFacts,
    notice_url: str | None,
    directory: Directory,
    *,
    import_id: int | None,
    actor_label: str,
) -> str | None:
    """Keep, update or propose one awarded supplier; returns what happened ("proposed",
    "name_match", "unmatched", "unchanged", None: not this service's) and audits any change of
    standing."""
    organisation_id = directory.organisation_id(facts.supplier_identifiers)
    commissioner_id = directory.commissioner_id(facts.buyer_keys)
    row = db.session.scalar(
        select(AwardedSupplier).where(
            AwardedSupplier.ocid == facts.ocid,
            AwardedSupplier.award_id == facts.award_id,
            AwardedSupplier.supplier_key == facts.supplier_key,
        )
    )
    if row is None and organisation_id is None and commissioner_id is None:
        return None
    if row is not None and row.status not in (AWARD_UNMATCHED, AWARD_PROPOSED, AWARD_NAME_MATCH):
        return "unchanged"
    status = AWARD_PROPOSED if organisation_id and commissioner_id else AWARD_UNMATCHED
    reason = _unmatched_reason(facts, organisation_id, commissioner_id)
    if organisation_id is None and commissioner_id is not None:
        by_name = directory.organisation_by_name(facts.supplier_name)
        if by_name is not None:
            status, organisation_id = AWARD_NAME_MATCH, by_name
            reason = (
                f"Offered to {directory.organisation_names[by_name]} to claim: only the name "
                f"matched. {reason}"
            )
    fields = {
        "supplier_name": facts.supplier_name,
        "supplier_identifier": ", ".join(facts.supplier_identifiers) or None,
        "buyer_name": facts.buyer_name,
        "buyer_identifier": ", ".join(facts.buyer_keys) or None,
        "title": facts.title,
        "value": facts.value,
        "currency": facts.currency,
        "start_date": facts.start_date,
        "end_date": facts.end_date,
        "notice_url": notice_url,
        "unmatched_reason": reason,
        "status": status,
        "organisation_id": organisation_id,
        "commissioner_id": commissioner_id,
    }
    if row is None:
        row = AwardedSupplier(
            ocid=facts.ocid, award_id=facts.award_id, supplier_key=facts.supplier_key, **fields
        )
        db.session.add(row)
        changed = True
    else:
        before = (row.status, row.organisation_id, row.commissioner_id)
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        changed = before != (status, fields["organisation_id"], fields["commissioner_id"])
    if not changed:
        return "unchanged"
    db.session.flush()
    db.session.add(
        NoticeEvent(
            action={AWARD_PROPOSED: "matched", AWARD_NAME_MATCH: "name_matched"}.get(
                status, "unmatched"
            ),
            import_id=import_id,
            awarded_supplier_id=row.id,
            organisation_id=row.organisation_id,
            actor_label=actor_label,
            detail=f"{facts.ocid} award {facts.award_id}: {facts.supplier_name}"
            + (f" ({row.unmatched_reason})" if row.unmatched_reason else ""),
        )
    )
    return status
