"""Random audits: the draw is reproducible from its published seed and the sorted list,
draws round(share × holders), never an organisation audited that year, assigns an assessor who
is not a member, and its concerns reach a suspension only through an administrator."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Membership, Organisation
from charter.models.duties import AuditDraw, MarkAudit
from charter.services.domain import audits, reviews
from tests.factories import make_mark, make_organisation, make_user, signing_id_for
from tests.services.domain.review_helpers import monitored
from workflows.lifecycle import Forbidden

TODAY = date(2027, 1, 4)


def holders(scheme, count: int) -> list[Organisation]:
    out = []
    for _ in range(count):
        organisation = make_organisation(owner=make_user(), scheme=scheme, status="accredited")
        make_mark(organisation, scheme, awarded_on=date(2026, 3, 1))
        out.append(organisation)
    return out


def test_the_same_seed_and_list_give_the_same_sample():
    numbers = [f"CM-{n:08d}" for n in range(40)]
    first = audits.draw_sample("seed-1", numbers, 4)
    assert audits.draw_sample("seed-1", list(reversed(numbers)), 4) == first
    assert len(first) == 4 and set(first) <= set(numbers)
    assert audits.draw_sample("seed-2", numbers, 4) != first
    # Anyone can check it with SHA-256 alone.
    by_hand = sorted(numbers, key=lambda n: hashlib.sha256(f"seed-1:{n}".encode()).hexdigest())
    assert first == by_hand[:4]


@pytest.mark.parametrize(
    ("share", "eligible", "drawn"), [(10, 15, 2), (10, 14, 1), (10, 4, 0), (10, 5, 1), (25, 7, 2)]
)
def test_the_sample_is_round_share_times_holders(share, eligible, drawn):
    assert audits.sample_size(share, eligible) == drawn


def test_the_draw_is_published_before_it_is_drawn_then_drawn_once(app, scheme):
    holders(scheme, 15)
    assessor = make_user(role="assessor")

    first = reviews.run_job("draw_audits", TODAY)
    assert first == {"published": 1, "drawn": 0, "audits_assigned": 0}
    draw = db.session.scalar(select(AuditDraw))
    assert draw.draw_on == TODAY + timedelta(days=audits.NOTICE_DAYS) and draw.seed

    assert reviews.run_job("draw_audits", draw.draw_on - timedelta(days=1))["drawn"] == 0
    drawn = reviews.run_job("draw_audits", draw.draw_on)
    again = reviews.run_job("draw_audits", draw.draw_on)

    assert drawn["drawn"] == 1 and again["drawn"] == 0
    db.session.expire_all()
    draw = db.session.get(AuditDraw, draw.id)
    assert len(draw.eligible_numbers) == 15 and len(draw.drawn_numbers) == 2
    assert draw.drawn_numbers == audits.draw_sample(draw.seed, draw.eligible_numbers, 2)
    rows = db.session.scalars(select(MarkAudit)).all()
    assert sorted(a.certificate_number for a in rows) == sorted(draw.drawn_numbers)
    assert {a.assessor_id for a in rows} == {assessor.id}


def test_an_organisation_audited_that_year_is_never_drawn(app, scheme):
    audited, *others = holders(scheme, 3)
    db.session.add(
        MarkAudit(
            organisation_id=audited.id,
            signing_id=signing_id_for(audited.id),
            year=TODAY.year,
            certificate_number="CM-AAAAAAAA",
        )
    )
    db.session.commit()
    eligible = {org_id for _, org_id in audits.eligible_holders(TODAY.year)}
    assert audited.id not in eligible
    assert {o.id for o in others} == eligible


def test_the_assessor_is_never_a_member_of_the_organisation(app, scheme):
    [organisation] = holders(scheme, 1)
    insider = make_user(role="assessor")
    outsider = make_user(role="assessor")
    db.session.add(Membership(user_id=insider.id, organisation_id=organisation.id))
    db.session.commit()
    for _ in range(3):
        assert audits.assign([organisation.id]) == {organisation.id: outsider.id}


def test_concerns_reach_a_suspension_only_through_an_administrator(app, scheme):
    [organisation] = holders(scheme, 1)
    monitored(organisation, scheme, status="accredited")
    assessor = make_user(role="assessor")
    audit = MarkAudit(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        year=TODAY.year,
        certificate_number="CM-AAAAAAAA",
        assessor_id=assessor.id,
    )
    db.session.add(audit)
    db.session.commit()

    audits.record_outcome(audit, assessor, concerns=True, reason="Invoices do not match")
    db.session.commit()
    assert audit.status == "referred"
    assert db.session.get(Organisation, organisation.id).mark_status == "accredited"

    with pytest.raises(Forbidden):
        audits.decide_referral(audit, assessor, "suspend", "Because")
    admin = make_user(role="admin")
    audits.decide_referral(audit, admin, "suspend", "Invoices do not match the figures")
    db.session.commit()

    assert db.session.get(Organisation, organisation.id).status == "suspended"
    assert audit.status == "closed" and audit.admin_action == "suspend"


def test_the_draw_job_statements_do_not_grow_with_the_holders(app, scheme, query_counter):
    make_user(role="assessor")
    counts = []
    for year, size in ((2027, 5), (2028, 25)):
        holders(scheme, size if year == 2027 else size - 5)
        reviews.run_job("draw_audits", date(year, 1, 1))
        with query_counter() as statements:
            reviews.run_job("draw_audits", date(year, 1, 20))
        counts.append(statements.value)
    assert db.session.scalar(select(func.count()).select_from(MarkAudit)) > 0
    assert counts[0] == counts[1]
