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
by a later notice: a later notice publishing other value or dates for an accepted one proposes
them as an amendment, and one saying its contract was terminated proposes the end (a
termination supersedes any change the same notice publishes).

What the notice says is read by award_facts.py.
"""

from __future__ import annotations

import difflib
import re

from sqlalchemy import select

from charter.extensions import db
from charter.models import Commissioner, Organisation
from charter.models.base import utcnow
from charter.models.published_notice import (
    AMENDMENT_DECLINED,
    AMENDMENT_PROPOSED,
    AWARD_ACCEPTED,
    AWARD_NAME_MATCH,
    AWARD_PROPOSED,
    AWARD_UNMATCHED,
    TERMINATION_ACCEPTED,
    TERMINATION_DECLINED,
    TERMINATION_PROPOSED,
    AwardedSupplier,
    BuyerIdentifier,
    NoticeEvent,
)
from charter.services.domain.award_facts import AwardFacts, identifier_key

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
    """Who may be matched: each organisation's org-id and PPON, and each commissioner's org-id
    and buyer identifiers, read once for a whole import (a few queries, not a few per award).
    The lowest id wins where two rows share an identifier."""

    def __init__(self) -> None:
        self.organisations: dict[str, int] = {}
        for org_id, row_id in db.session.execute(
            select(Organisation.org_id, Organisation.id)
            .where(Organisation.org_id.is_not(None))
            .order_by(Organisation.id)
        ):
            self.organisations.setdefault(identifier_key(org_id), row_id)
        # Its PPON, as notices publish it ("GB-PPON-PABC-1234-DEFG"): ppon.py.
        for ppon, row_id in db.session.execute(
            select(Organisation.ppon, Organisation.id)
            .where(Organisation.ppon.is_not(None))
            .order_by(Organisation.id)
        ):
            self.organisations.setdefault(identifier_key("GB-PPON-" + ppon), row_id)
        self.commissioners: dict[str, int] = {}
        # A deactivated commissioner is offered to no one (contracts.add_contract refuses it).
        commissioner_keys = select(Commissioner.org_id, Commissioner.id).where(
            Commissioner.org_id.is_not(None), Commissioner.is_active.is_(True)
        )
        buyer_keys = (
            select(BuyerIdentifier.identifier, BuyerIdentifier.commissioner_id)
            .join(Commissioner, Commissioner.id == BuyerIdentifier.commissioner_id)
            .where(Commissioner.is_active.is_(True))
        )
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


Existing = dict[tuple[str, str, str], AwardedSupplier]


def existing_rows(ocids: list[str]) -> Existing:
    """The awarded suppliers already kept for ``ocids``, by (ocid, award id, supplier key): an
    import reads them once per batch of records, not once per award."""
    return {
        (row.ocid, row.award_id, row.supplier_key): row
        for row in db.session.scalars(
            select(AwardedSupplier).where(AwardedSupplier.ocid.in_(ocids))
        )
    }


def apply(
    facts: AwardFacts,
    notice_url: str | None,
    directory: Directory,
    *,
    import_id: int | None,
    actor_label: str,
    existing: Existing | None = None,
) -> str | None:
    """Keep, update or propose one awarded supplier; returns what happened ("proposed",
    "name_match", "unmatched", "unchanged", None: not this service's) and audits any change of
    standing. ``existing``: the rows already kept for the facts' ocid (``existing_rows``), when
    the caller read them for a batch; else the row is looked up."""
    organisation_id = directory.organisation_id(facts.supplier_identifiers)
    commissioner_id = directory.commissioner_id(facts.buyer_keys)
    key = (facts.ocid, facts.award_id, facts.supplier_key)
    if existing is not None:
        row = existing.get(key)
    else:
        row = db.session.scalar(
            select(AwardedSupplier).where(
                AwardedSupplier.ocid == facts.ocid,
                AwardedSupplier.award_id == facts.award_id,
                AwardedSupplier.supplier_key == facts.supplier_key,
            )
        )
    if row is None and organisation_id is None and commissioner_id is None:
        return None
    if row is not None and row.status == AWARD_ACCEPTED and facts.terminated:
        return _termination(row, facts, import_id=import_id, actor_label=actor_label)
    if row is not None and row.status == AWARD_ACCEPTED:
        return _amendment(row, facts, import_id=import_id, actor_label=actor_label)
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
        if existing is not None:  # the same supplier twice in one record is one row
            existing[key] = row
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


def _terms_text(value, start, end) -> str:
    return f"£{value:,} from {start.isoformat()} to {end.isoformat()}"


def _amendment(
    row: AwardedSupplier, facts: AwardFacts, *, import_id: int | None, actor_label: str
) -> str:
    """A later notice publishing other value or dates for an accepted award proposes them as
    an amendment, once: the same change already proposed or declined is not proposed again."""
    published = (facts.value, facts.start_date, facts.end_date)
    if row.contract_id is None or None in published or facts.currency not in (None, "GBP"):
        return "unchanged"
    if published == (row.value, row.start_date, row.end_date):
        return "unchanged"
    already = (row.amendment_value, row.amendment_start_date, row.amendment_end_date)
    if already == published and row.amendment_status in (AMENDMENT_PROPOSED, AMENDMENT_DECLINED):
        return "unchanged"
    row.amendment_status = AMENDMENT_PROPOSED
    row.amendment_value, row.amendment_start_date, row.amendment_end_date = published
    row.amendment_currency = facts.currency
    row.updated_at = utcnow()
    db.session.add(
        NoticeEvent(
            action="amendment",
            import_id=import_id,
            awarded_supplier_id=row.id,
            organisation_id=row.organisation_id,
            actor_label=actor_label,
            detail=f"{facts.ocid} award {facts.award_id}: "
            f"{_terms_text(row.value, row.start_date, row.end_date)} published as "
            f"{_terms_text(*published)}",
        )
    )
    return "amendment"


def _termination(
    row: AwardedSupplier, facts: AwardFacts, *, import_id: int | None, actor_label: str
) -> str:
    """A later notice saying an accepted award's contract was terminated proposes its end,
    once: the same termination already proposed, accepted or declined is not proposed again
    (a notice correcting the date proposes it anew)."""
    if row.contract_id is None:
        return "unchanged"
    answered = (TERMINATION_PROPOSED, TERMINATION_ACCEPTED, TERMINATION_DECLINED)
    if row.termination_status in answered and row.termination_date == facts.termination_date:
        return "unchanged"
    row.termination_status = TERMINATION_PROPOSED
    row.termination_date = facts.termination_date
    row.termination_reason = facts.termination_reason
    row.updated_at = utcnow()
    ended = facts.termination_date.isoformat() if facts.termination_date else "no date given"
    db.session.add(
        NoticeEvent(
            action="termination",
            import_id=import_id,
            awarded_supplier_id=row.id,
            organisation_id=row.organisation_id,
            actor_label=actor_label,
            detail=f"{facts.ocid} award {facts.award_id}: contract terminated ({ended}"
            + (f", {facts.termination_reason})" if facts.termination_reason else ")"),
        )
    )
    return "termination"
