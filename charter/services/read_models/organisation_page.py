"""An organisation's public page on a charter's register, read in one statement where it took
seven: the organisation, a row for each of its signings (kept on it), and, through its signing
of the page's charter, its current Charter Mark, its latest signature of the charter and the
scheme signed, its approved action plan and the day its first was approved, and its contracts'
count and value (issue 23: a freshly rendered page was the slowest public page).

Each part is the domain's own SQL (``marks.current_mark_id``, ``latest_signature_id``,
``approved_plan_id``, ``first_approval``, ``contract_totals``), used here as a subquery
correlated to the row, so the page and the rest of the service cannot disagree. The entities
joined are aliases: a subquery naming the same table would otherwise be correlated to the
joined row rather than read whole. The statement is built once, with the slug and the charter
as bound parameters: building it per request (each comparison through the ORM's operators,
and each alias proxying every column: the scheme has fifty) cost more than running it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import ActionPlan, Organisation, Scheme, Signature, Signing
from charter.models.assessment import CharterMark
from charter.models.signing import keep_signings
from charter.services.domain import marks, organisations, plans, register_entries, signings
from charter.services.domain.charter_commissioners import contract_totals, summarised

_MARK = aliased(CharterMark, name="page_mark")
_SIGNATURE = aliased(Signature, name="page_signature")
_SCHEME = aliased(Scheme, name="page_scheme")
_PLAN = aliased(ActionPlan, name="page_plan")
_SIGNINGS = aliased(Signing, name="page_signings")
_ACTING = aliased(Signing, name="page_signing")


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    signing: Signing
    mark: CharterMark | None
    signature: Signature | None
    signed_scheme: Scheme | None
    plan: ActionPlan | None
    plan_start: date | None
    contract_count: int
    contract_value: Decimal


def read(slug: str, charter_id: int) -> OrganisationPage | None:
    """The page of the organisation ``slug`` on charter ``charter_id``'s register (the charter
    acting), or None where it is not on that register."""
    rows = db.session.execute(_page_statement(), {"slug": slug, "charter_id": charter_id}).all()
    if not rows:
        return None
    organisation, _held, mark, signature, scheme, plan, first_approved, count, value = rows[0]
    keep_signings(organisation, [row[1] for row in rows])
    signing = signings.signing_of(organisation)
    if signing is None:  # on the register means signed: a guard, not a case
        return None
    count, value = summarised(count, value)
    return OrganisationPage(
        organisation=organisation,
        signing=signing,
        mark=mark,
        signature=signature,
        signed_scheme=scheme,
        plan=plan,
        plan_start=plans.day_of(first_approved),
        contract_count=count,
        contract_value=value,
    )


@cache
def _page_statement() -> Select:
    """A row for each of the organisation's signings (all kept on it), each with the page's
    facts for its signing of the charter (``acting``)."""
    charter_id = bindparam("charter_id")
    held, acting = _SIGNINGS, _ACTING
    mark, signature, scheme, plan = _MARK, _SIGNATURE, _SCHEME, _PLAN
    organisation_id, signing_id = Organisation.id, acting.id
    totals = contract_totals(organisation_id, charter_id)
    return (
        select(
            Organisation,
            held,
            mark,
            signature,
            scheme,
            plan,
            plans.first_approval(organisation_id, signing_id).scalar_subquery(),
            totals.with_only_columns(totals.selected_columns["count"]).scalar_subquery(),
            totals.with_only_columns(totals.selected_columns["value"]).scalar_subquery(),
        )
        .join(
            acting,
            and_(acting.organisation_id == Organisation.id, acting.charter_id == charter_id),
        )
        .outerjoin(mark, mark.id == marks.current_mark_id(organisation_id, signing_id))
        .outerjoin(
            signature,
            signature.id == organisations.latest_signature_id(organisation_id, charter_id),
        )
        .outerjoin(scheme, scheme.id == signature.scheme_id)
        .outerjoin(plan, plan.id == plans.approved_plan_id(organisation_id, signing_id))
        .join(held, held.organisation_id == Organisation.id)
        .where(
            Organisation.slug == bindparam("slug"),
            register_entries.on_register_clause(charter_id),
        )
        .order_by(held.id)
    )
