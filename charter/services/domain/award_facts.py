"""What an award in a published notice says (issue 22): each supplier of each award that
happened in a compiled OCDS record, with its identifiers, the buyer's, and the contract's title,
value and dates, read without trusting the notice's shape (publishers leave out, null or
mistype fields; a missing field is None, never a guess).

Identifiers are compared as keys (``identifier_key``): an org-id as "SCHEME-ID", spaces and case
aside. Names are never identifiers here: a supplier without one has none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

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
    # A termination notice (Find a Tender's UK11) marks the award's contract "terminated",
    # with the date it ended and a reason code where it gives them.
    terminated: bool = False
    termination_date: date | None = None
    termination_reason: str | None = None


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


def _period(value: Any) -> tuple[date | None, date | None]:
    if not isinstance(value, dict):
        return None, None
    return _date(value.get("startDate")), _date(value.get("endDate"))


def _signed(award: dict, contracts: list) -> dict:
    """The contract signed for the award, if the notices have one (a cancelled one is not)."""
    return next(
        (
            c
            for c in contracts
            if isinstance(c, dict)
            and c.get("awardID") == award.get("id")
            and c.get("status") != "cancelled"
        ),
        {},
    )


def _termination(signed: dict) -> tuple[bool, date | None, str | None]:
    """Whether the signed contract is terminated, the date it ended and the reason code. The
    UK profile puts the end in ``implementation.endDate`` (an extension field, so read
    defensively); no date published is None, never the notice's own date."""
    if signed.get("status") != "terminated":
        return False, None, None
    implementation = signed.get("implementation")
    ended = _date(implementation.get("endDate")) if isinstance(implementation, dict) else None
    rationale = signed.get("terminationRationaleClassification")
    reason = _text(rationale.get("id")) if isinstance(rationale, dict) else ""
    return True, ended, reason[:200] or None


def _terms(
    award: dict, signed: dict
) -> tuple[Decimal | None, str | None, date | None, date | None]:
    """Value, currency and dates: the contract signed for the award where the notices have one
    (a contract change notice changes the contract's, not the award's), else the award's."""
    value, currency = _amount(signed.get("value"))
    if value is None:
        value, currency = _amount(award.get("value"))
    start, end = _period(signed.get("period"))
    if start is None or end is None:
        start, end = _period(award.get("contractPeriod"))
    return value, currency, start, end


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
        signed = _signed(award, contracts)
        value, currency, start, end = _terms(award, signed)
        terminated, termination_date, termination_reason = _termination(signed)
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
                    terminated=terminated,
                    termination_date=termination_date,
                    termination_reason=termination_reason,
                )
            )
    return found
