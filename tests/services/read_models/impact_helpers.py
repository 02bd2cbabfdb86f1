"""Helpers for the impact tests: organisations with verified figures, and a rebuild."""

from __future__ import annotations

from charter.extensions import db
from charter.services.read_models.impact import build
from tests.factories import make_approved_plan, make_organisation, make_return

TARGETS = {"LE1": ("0", "1000"), "LE4": ("1", "3"), "LE8": ("50", "100")}


def contributor(scheme, district: str, **fields):
    """A monitoring signatory in ``district`` with an approved plan; returns (org, measures)."""
    organisation = make_organisation(
        scheme=scheme, status="monitoring", district=district, **fields
    )
    return organisation, make_approved_plan(organisation, scheme, TARGETS)


def verified(organisation, measures, quarter: int, **values):
    """A verified return for ``quarter`` of 2026 with figures by measure code."""
    return make_return(organisation, measures, quarter, {k: str(v) for k, v in values.items()})


def rebuild():
    result = build.rebuild()
    db.session.commit()
    return result
