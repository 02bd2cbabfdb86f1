"""Worcestershire's real scheme file for the pledge and value-kind tests: the charter loaded
beside Shropshire's (the default), a supplier that signed it alone, in monitoring, and a
commissioner taking part in it.

The supplier's signing is put in monitoring directly, with an approved plan naming the measures
its returns report: signing Worcestershire's charter through the pages stops at "signatory"
while the plan guard asks for a core measure, which this toolkit has none of (the lead's part).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from charter.extensions import db
from charter.models import ActionPlan, Charter, Measure, PlanTarget
from charter.models.base import utcnow
from charter.services.domain.schemes import load_scheme_file
from charter.services.domain.signings import signing_of
from tests.factories import make_commissioner, make_organisation, signing_id_for

SCHEMES = Path(__file__).resolve().parents[2] / "schemes"
WORCESTERSHIRE = "worcestershire"


def load_worcestershire():
    loaded = load_scheme_file(SCHEMES / "worcestershire.toml").scheme
    db.session.commit()
    return loaded


def worcestershire_supplier(owner, scheme, status="signatory"):
    """An organisation in Worcester whose one signing is of Worcestershire's charter."""
    organisation = make_organisation(
        owner=owner, scheme=scheme, status=status, district="Worcester", town="Worcester"
    )
    signing_of(organisation).route = "working_towards"
    db.session.commit()
    return organisation


def worcestershire_council(scheme):
    return make_commissioner(
        "Worcestershire County Council",
        org_id="GB-LAE-WOC",
        charter=db.session.get(Charter, scheme.charter_id),
    )


def measures_of(scheme) -> dict[str, Measure]:
    return {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }


def monitor(organisation, scheme, codes, *, decided_at=None) -> ActionPlan:
    """The signing in monitoring, its plan approved naming ``codes`` (what returns report)."""
    organisation.status = "monitoring"
    decided_at = decided_at or utcnow()
    measures = measures_of(scheme)
    plan = ActionPlan(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        revision=1,
        status="approved",
        submitted_at=decided_at - timedelta(days=7),
        decided_at=decided_at,
    )
    plan.targets = [
        PlanTarget(
            measure_id=measures[code].id,
            baseline=0,
            target_value=1,
            target_date=decided_at.date() + timedelta(days=400),
            approach="As pledged at tender.",
        )
        for code in codes
    ]
    db.session.add(plan)
    db.session.commit()
    return plan


def url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}{rest}?charter={WORCESTERSHIRE}"
