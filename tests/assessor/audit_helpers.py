"""Helpers for the audit page tests: holders with verified figures, drawn for audit."""

from __future__ import annotations

from datetime import date

from charter.extensions import db
from charter.models.duties import MarkAudit
from tests.factories import make_mark, make_organisation, make_return, make_user, signing_id_for
from tests.services.domain.review_helpers import monitored


def audited_holder(scheme, assessor, year: int = 2027, returns: int = 1) -> MarkAudit:
    organisation = make_organisation(owner=make_user(), scheme=scheme)
    measures = monitored(organisation, scheme, status="accredited")
    for quarter in range(1, returns + 1):
        make_return(organisation, measures, quarter, {"LE1": str(1000 * quarter)})
    mark = make_mark(organisation, scheme, awarded_on=date(2026, 1, 10))
    audit = MarkAudit(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        year=year,
        certificate_number=mark.certificate_number,
        assessor_id=assessor.id,
    )
    db.session.add(audit)
    db.session.commit()
    return audit
