"""Issue 20's journey through HTTP, each person on their own pages: a new organisation signs
Shropshire's charter, then Cheshire West and Chester's; each charter's assessor approves its
plan; one contract, with a hospital that takes part in both charters, is confirmed once by its
contract manager; one Shropshire return gives a figure of NT10 (weeks of apprenticeships) on
that contract; it appears in both charters' progress and in both charters' /impact.

Two more organisations that signed both give the same measure, so each charter's figure is
built from three organisations and shown (the disclosure threshold is 3)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter, Contract, ContractManager, Measure, ReturnLine, Signing
from charter.services.domain import returns, signings
from charter.services.domain.charter_commissioners import set_taking_part
from charter.services.domain.periods import next_period, period_containing
from charter.services.domain.schemes import load_scheme_text
from charter.services.read_models.impact.periods import year_of
from tests.factories import (
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
    sign_in,
    submit,
)
from tests.organisation.contract_helpers import contract_data, contracts_url
from tests.organisation.plan_helpers import (
    core_codes,
    fill_core_targets,
    plans_of,
    start_plan,
    submit_plan,
    target_data,
)
from tests.organisation.return_helpers import (
    PER_CONTRACT,
    PLAUSIBLE,
    add_link,
    line_of,
    line_url,
    returns_of,
    send,
)
from tests.organisation.signing_helpers import SIGNATORY, VERSION_RE, codes_of
from tests.services.read_models.test_impact_per_charter import a_return

CW = "cheshire-west-and-chester"
HOSPITAL = "Countess of Chester Hospital"


@pytest.fixture
def cheshire_west(app, scheme):
    root = Path(current_app.root_path).parent / "schemes"
    loaded = load_scheme_text((root / f"{CW}.toml").read_text(encoding="utf-8")).scheme
    db.session.commit()
    return loaded


def as_(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    return client


def sign(client, organisation, scheme, charter: str = ""):
    """The signing journey, acting in ``charter`` (by its address) or the first."""
    suffix = f"?charter={charter}" if charter else ""
    base = f"/organisations/{organisation.slug}/sign-the-charter"
    for name, data in (
        ("principles", {"principles": codes_of(scheme)}),
        ("signatory", SIGNATORY),
        ("route", {"route": "working_towards"}),
        # Not published on the register: were it, disclosure control would withhold the
        # totals below, which would give away the other two organisations' part.
        ("publish-figures", {"publish": "no"}),
    ):
        response = submit(client, f"{base}/{name}{suffix}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    check = client.get(f"{base}/check-your-answers{suffix}").get_data(as_text=True)
    version = VERSION_RE.search(check).group(1)
    signed = submit(client, f"{base}/check-your-answers{suffix}", {"version": version})
    assert signed.status_code == 302, signed.get_data(as_text=True)[:2000]


def decide_plan(client, organisation):
    plan = plans_of(organisation)[-1]
    url = f"/assessor/plans/{plan.id}"
    decided = submit(
        client, f"{url}/decision", {"decision": "approve", "comment": ""}, form_url=url
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)[:2000]


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def statuses(organisation) -> dict[int, str]:
    db.session.expire_all()
    rows = select(Signing.charter_id, Signing.status).where(
        Signing.organisation_id == organisation.id
    )
    return dict(db.session.execute(rows).all())


def impact_figure(client, charter: str, code: str, period: str):
    document = client.get(f"/c/{charter}/impact.json").get_json()
    return next(
        f
        for f in document["figures"]
        if f["measure_code"] == code and f["period"] == period and f["breakdown"] == "all"
    )


def test_one_contract_and_one_return_count_for_both_charters(app, scheme, cheshire_west):
    shropshire, cw = scheme.charter_id, cheshire_west.charter_id
    owner = make_user(email="owner@two-charters.example")
    shropshire_assessor = make_user(email="assessor@shropshire.example", role="assessor")
    cw_assessor = make_user(
        email="assessor@cw.example", role="assessor", charter=db.session.get(Charter, cw)
    )
    hospital = make_commissioner(HOSPITAL)
    set_taking_part(hospital, cw, True)
    manager = make_user(email="manager@hospital.example")
    db.session.add(ContractManager(commissioner_id=hospital.id, user_id=manager.id))
    db.session.commit()
    organisation = make_organisation(owner=owner, name="Two Charters Ltd")
    member = as_(app, owner)

    # 1. It signs Shropshire's charter, then Cheshire West's (offered on its dashboard).
    started = submit(
        member, f"/organisations/{organisation.slug}/charters/shropshire",
        form_url=f"/organisations/{organisation.slug}",
    )  # fmt: skip
    assert started.status_code == 302, started.get_data(as_text=True)[:1000]
    sign(member, organisation, scheme)
    joined = submit(
        member, f"/organisations/{organisation.slug}/charters/{CW}",
        form_url=f"/organisations/{organisation.slug}",
    )  # fmt: skip
    assert joined.status_code == 302, joined.get_data(as_text=True)[:1000]
    sign(member, organisation, cheshire_west, CW)
    assert statuses(organisation) == {shropshire: "signatory", cw: "signatory"}

    # 2. A plan under each, each judged by that charter's assessor.
    start_plan(member, organisation)
    fill_core_targets(member, organisation, scheme)
    assert submit_plan(member, organisation).status_code == 302
    decide_plan(as_(app, shropshire_assessor), organisation)
    cw_plan = f"/organisations/{organisation.slug}/action-plan"
    assert submit(member, f"{cw_plan}/start?charter={CW}", form_url=f"{cw_plan}?charter={CW}")
    # Cheshire West's minimum standards are declared before any social value requirement.
    standards = f"/organisations/{organisation.slug}/minimum-standards?charter={CW}"
    assert submit(member, standards, {"declare": "y"}).status_code == 302
    filled = submit(member, f"{cw_plan}/measures/CW1?charter={CW}", target_data())
    assert filled.status_code == 302, filled.get_data(as_text=True)[:2000]
    assert submit(member, f"{cw_plan}/check-your-answers?charter={CW}").status_code == 302
    decide_plan(as_(app, cw_assessor), organisation)
    assert statuses(organisation) == {shropshire: "monitoring", cw: "monitoring"}

    # 3. One contract with the hospital, recorded once and confirmed once by its manager.
    data = contract_data(hospital, title="Ward refurbishment", value="80,000")
    data["start_date"] = ["1", "1", str(date.today().year - 1)]
    assert submit(member, contracts_url(organisation, "/new"), data).status_code == 302
    assert submit(member, contracts_url(organisation, "/new/check-your-answers")).status_code == 302
    contract = db.session.scalar(
        select(Contract).where(Contract.organisation_id == organisation.id)
    )
    manager_client = as_(app, manager)
    confirmed = submit(
        manager_client,
        f"/commissioner/contracts/{contract.id}/confirm",
        {"version": str(contract.version_id)},
        form_url=f"/commissioner/contracts/{contract.id}",
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).confirmation_status == "confirmed"
    for charter in ("", f"?charter={CW}"):
        listed = text_of(member.get(contracts_url(organisation, charter)).get_data(as_text=True))
        assert "Ward refurbishment" in listed and "£80,000" in listed, charter

    # 4. One Shropshire return gives 10 weeks of apprenticeships (LE5, NT10) on it; verified.
    today = next_period(period_containing(date.today(), 3), 3).end + timedelta(days=1)
    returns.ensure_returns(organisation, today)
    db.session.commit()
    first = returns_of(organisation)[0]
    for code in core_codes(scheme):
        figure = "10" if code == "LE5" else PLAUSIBLE.get(code, "1200")
        data = {"narrative": "On the ward refurbishment"}
        if code in PER_CONTRACT:
            data[f"figure_{contract.id}"] = figure
        else:
            data["actual_value"] = figure
        filled = submit(member, line_url(organisation, first, code), data)
        assert filled.status_code == 302, (code, filled.get_data(as_text=True)[:3000])
        assert add_link(member, organisation, first, code).status_code == 302
    assert send(member, organisation, returns_of(organisation)[0]).status_code == 302
    sent = returns_of(organisation)[0]
    assessor = as_(app, shropshire_assessor)
    decisions = {"version": str(sent.version_id)}
    lines = db.session.scalars(select(ReturnLine).where(ReturnLine.return_id == sent.id))
    for line in lines:
        decisions[f"decision_{line.id}"] = "accepted"
        decisions[f"comment_{line.id}"] = ""
    review = f"/assessor/returns/{sent.id}"
    verified = submit(assessor, f"{review}/decision", decisions, form_url=review)
    assert verified.status_code == 302, verified.get_data(as_text=True)[:3000]
    assert returns_of(organisation)[0].status == "verified"
    assert line_of(sent, "LE5").actual_value == Decimal("10")

    # Two more organisations that signed both charters give the same measure.
    for weeks in ("5", "6"):
        other = make_organisation(scheme=scheme, status="monitoring")
        signings.start(other, cheshire_west).status = "monitoring"
        db.session.commit()
        le5_measure = db.session.scalar(
            select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == "LE5")
        )
        a_return(
            other,
            signings.signing_id_of(other),
            le5_measure,
            {make_contract(other, hospital): weeks},
            period=(first.period_start, first.period_end),
        )

    # 5. Both charters' progress and /impact show it.
    shropshire_page = member.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    cw_page = member.get(f"/organisations/{organisation.slug}?charter={CW}").get_data(as_text=True)
    assert "Weeks of apprenticeships" in cw_page
    cw_progress = text_of(cw_page.split("Weeks of apprenticeships", 1)[1][:900])
    assert "10 weeks" in cw_progress and "(1 verified period)" in cw_progress, cw_progress
    shropshire_progress = text_of(
        shropshire_page.split("Weeks of apprenticeships on contract", 1)[1][:900]
    )
    assert "10 weeks" in shropshire_progress, shropshire_progress

    runner = app.test_cli_runner()
    result = runner.invoke(args=["charter", "rebuild-impact"])
    assert result.exit_code == 0, result.output
    public = app.test_client()
    year_key = year_of(first.period_end).key
    for charter, code in (("shropshire", "LE5"), (CW, "CW1")):
        figure = impact_figure(public, charter, code, year_key)
        assert Decimal(figure["value"]) == Decimal("21"), (charter, figure)
