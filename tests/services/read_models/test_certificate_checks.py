"""Certificate checks and badges find a mark by its number, in any case or spacing, with what
they show of it in one query."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models.assessment import CharterMark
from charter.services.domain import marks
from charter.services.read_models import certificate_checks
from tests.factories import make_mark


def test_a_certificate_is_found_in_any_case_or_spacing(app, organisation, scheme):
    mark = make_mark(organisation, scheme)
    found = certificate_checks.certificate_check(mark.certificate_number.lower())
    assert (found.mark.id, found.scheme.id, found.organisation.id) == (
        mark.id,
        mark.scheme_id,
        mark.organisation_id,
    )
    assert certificate_checks.certificate_check("CM-22222222") is None
    assert certificate_checks.certificate_check("nonsense") is None
    assert certificate_checks.standing_by_number(mark.certificate_number.lower()) == marks.standing(
        mark
    )
    assert certificate_checks.standing_by_number("CM-22222222") is None
    assert certificate_checks.standing_by_number("nonsense") is None
    assert db.session.scalar(select(CharterMark.id).where(CharterMark.id == mark.id))
