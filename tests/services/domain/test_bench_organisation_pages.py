"""The benchmarks' register is shaped like the demo's where an organisation's page reads it
(bench/published_figures.py, bench/action_plans.py, issue 23): every signing being monitored,
and every suspended one, has one approved plan with a target for each measure its published
figures report, so a measured page shows progress as the demo's pages do; growing the
register again gives only the new organisations theirs."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.action_plans import WITH_PLAN, add_approved_plans
from bench.generate import grow_to
from bench.published_figures import MEASURES, add_published_figures
from charter.extensions import db
from charter.models import ActionPlan, Organisation, PlanTarget, Signing


def _plans_by_signing() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(ActionPlan.signing_id, func.count())
            .where(ActionPlan.status == "approved")
            .group_by(ActionPlan.signing_id)
        ).all()
    )


def test_each_monitored_signing_has_one_approved_plan_and_its_page_shows_progress(
    app, client, scheme
):
    grow_to(200)
    add_published_figures()
    made, _seconds = add_approved_plans()
    monitored = set(db.session.scalars(select(Signing.id).where(Signing.status.in_(WITH_PLAN))))
    assert made == len(monitored) > 0
    assert _plans_by_signing() == dict.fromkeys(monitored, 1)
    targets = db.session.execute(
        select(PlanTarget.plan_id, func.count()).group_by(PlanTarget.plan_id)
    ).all()
    assert {count for _plan, count in targets} == {MEASURES}

    # One that publishes its figures: its page shows them and its progress against the plan.
    slug = db.session.scalar(
        select(Organisation.slug)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(Signing.publishes_figures.is_(True), Signing.status == "monitoring")
        .order_by(Organisation.id)
        .limit(1)
    )
    page = client.get(f"/c/shropshire/register/{slug}").get_data(as_text=True)
    assert "Verified figures" in page
    assert f"of {MEASURES} targets in its action plan met" in page

    assert add_approved_plans()[0] == 0, "a second call adds nothing"
    grow_to(240)
    more, _seconds = add_approved_plans()
    newer = db.session.scalar(
        select(func.count())
        .select_from(Signing)
        .where(Signing.status.in_(WITH_PLAN), Signing.organisation_id > 200)
    )
    assert more == newer and len(_plans_by_signing()) == len(monitored) + newer
