"""The demo's story across charters (issue 20 and 21): each charter's staff, organisations that
signed two or three charters, each charter's own features and Worcestershire's pledges. Checks
of ``demo_story`` (registered there), kept apart to keep each file short."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    Charter,
    Contract,
    ContractCommitment,
    EvidenceFile,
    Measure,
    Organisation,
    ReturnLine,
    Scheme,
    Signature,
    Signing,
    StaffRole,
)
from tests.cli.demo_story import DEMO_CHARTERS, check, returns_of
from workflows.lifecycle import stage


@check
def three_charters_each_with_its_own_staff(now: datetime) -> None:
    charters = dict(db.session.execute(select(Charter.slug, Charter.id)).all())
    assert set(DEMO_CHARTERS) <= set(charters)
    assert min(charters.values()) == charters["shropshire"]  # the default: created first
    for slug in DEMO_CHARTERS:
        roles = db.session.scalars(
            select(StaffRole.role).where(
                StaffRole.charter_id == charters[slug], StaffRole.removed_at.is_(None)
            )
        ).all()
        assert {"administrator", "assessor"} <= set(roles), slug


@check
def organisations_signed_two_or_three_charters(now: datetime) -> None:
    signed = defaultdict(dict)
    for name, slug, status, mark_status in db.session.execute(
        select(Organisation.name, Charter.slug, Signing.status, Signing.mark_status)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .join(Charter, Charter.id == Signing.charter_id)
    ):
        signed[name][slug] = stage(status, mark_status)
    assert signed["Severn Valley Builders Ltd"] == {
        "shropshire": "accredited",
        "worcestershire": "signatory",
        # Its plan under Cheshire West's charter was approved by that charter's assessor.
        "cheshire-west-and-chester": "monitoring",
    }
    assert signed["Wrekin Care Partnership CIC"] == {
        "shropshire": "accredited",
        "worcestershire": "plan_submitted",
    }
    # Its plan approved by Worcestershire's assessor: it reports its pledges.
    assert signed["Malvern Hills Catering Ltd"] == {"worcestershire": "monitoring"}
    assert sorted(len(charters) for charters in signed.values())[-3:] == [1, 2, 3]
    # Each further signing is under its own charter's scheme, with its signature.
    for signing in db.session.scalars(select(Signing)):
        scheme_charter = db.session.scalar(
            select(Scheme.charter_id).where(Scheme.id == signing.scheme_id)
        )
        assert scheme_charter == signing.charter_id
    signatures = db.session.execute(
        select(Charter.slug, func.count(Signature.id))
        .join(Scheme, Scheme.charter_id == Charter.id)
        .join(Signature, Signature.scheme_id == Scheme.id)
        .group_by(Charter.slug)
    ).all()
    assert dict(signatures)["worcestershire"] == 3
    assert dict(signatures)["cheshire-west-and-chester"] == 1


@check
def each_charter_uses_its_own_features(now: datetime) -> None:
    """What charter/demo/charter_features.py makes, as its docstring says."""
    from charter.models import CommitmentAlternative, ServiceCredit, StandardsDeclaration

    declaration = db.session.scalar(select(StandardsDeclaration))
    assert declaration.declared_at < now and declaration.lapses_on > now.date()
    cheshire = db.session.scalar(select(Contract).where(Contract.reference == "CWAC-2026-0871"))
    assert cheshire.award_weighting == 10 and cheshire.confirmation_status == "confirmed"
    assert [a.status for a in db.session.scalars(select(CommitmentAlternative))] == ["proposed"]
    assert [c.contract_id for c in db.session.scalars(select(ServiceCredit))] == [cheshire.id]
    pledged = db.session.scalars(
        select(ContractCommitment.pledge_numbers)
        .join(Contract, Contract.id == ContractCommitment.contract_id)
        .where(Contract.reference == "WCC-2026-0412")
    ).all()
    assert sorted(pledged) == [[], ["2", "30"], ["4"], ["40"]]
    signed = select(func.count(Signing.id)).join(Charter, Charter.id == Signing.charter_id)
    assert db.session.scalar(signed.where(Charter.slug == "warwickshire")) == 1


@check
def worcestershires_pledges_are_reported_and_verified(now: datetime) -> None:
    """Malvern Hills Catering's returns report its pledges (charter/demo/pledge_returns.py):
    sent and verified by Worcestershire's assessor, a count and a pair per contract, a
    percentage and an achievement (with its evidence file) for the whole organisation."""
    from charter.models import ContractFigure

    returns = returns_of("Malvern Hills Catering Ltd")
    assert returns and all(r.status in ("draft", "submitted", "verified") for r in returns)
    assert all(
        r.status == "draft" for r in returns if r.period_end >= (now - timedelta(days=3)).date()
    )
    worcestershire = db.session.scalar(select(Charter.id).where(Charter.slug == "worcestershire"))
    assessors = set(
        db.session.scalars(
            select(StaffRole.user_id).where(
                StaffRole.charter_id == worcestershire, StaffRole.role == "assessor"
            )
        )
    )
    found = {}
    for r in returns:
        if r.status != "verified":
            continue
        assert r.verified_by_id in assessors and r.submitted_at < r.verified_at < now
        for line, code, unit in db.session.execute(
            select(ReturnLine, Measure.code, Measure.unit)
            .join(Measure, Measure.id == ReturnLine.measure_id)
            .where(ReturnLine.return_id == r.id)
        ):
            found.setdefault(code, (line, unit))
    assert {code: unit for code, (_, unit) in found.items()} == {
        "CD2": "count",
        "EE1": "percent",
        "ES1": "pair",
        "DI2": "achievement",
    }
    achievement = found["DI2"][0]
    assert achievement.achieved and achievement.achieved_on < now.date()
    assert db.session.scalar(
        select(func.count()).where(EvidenceFile.return_line_id == achievement.id)
    )
    for code in ("CD2", "ES1"):  # per contract: the figure is the contract's
        (figure,) = db.session.scalars(
            select(ContractFigure).where(ContractFigure.return_line_id == found[code][0].id)
        )
        assert figure.value is not None
        assert (figure.second_value is not None) == (code == "ES1")
