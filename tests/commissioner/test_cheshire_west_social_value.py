"""Cheshire West and Chester's Social Value Policy through the pages (issue 21, done means): a
contract records its weighting at award from the real scheme file's bands; the council's
contract manager accepts an alternative commitment of equal value and refuses one of lower
value (the accept refused first, saying both values), then records a service credit; the
administrators' report shows committed, delivered, substituted and credited per contract, in
CSV and Excel."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from charter.extensions import db
from charter.models import CommitmentAlternative, ContractCommitment, ServiceCredit
from tests.commissioner.monitoring_helpers import make_period, outbox
from tests.commissioner.social_value_helpers import (
    add_commitment,
    load_cheshire_west,
    record_contract,
    set_proxies,
    supplier_and_council,
)
from tests.factories import make_user, sign_in, submit


def _alternatives():
    db.session.expire_all()
    return list(
        db.session.scalars(select(CommitmentAlternative).order_by(CommitmentAlternative.id))
    )


def _propose(member, supplier, contract, original_code, data):
    original = db.session.scalar(
        select(ContractCommitment)
        .join(ContractCommitment.measure)
        .where(ContractCommitment.contract_id == contract.id)
        .where(ContractCommitment.measure.has(code=original_code))
    )
    url = (
        f"/organisations/{supplier.slug}/contracts/{contract.id}/commitments/"
        f"{original.id}/alternative"
    )
    return submit(member, url, data)


def test_a_contract_manager_decides_alternatives_records_a_credit_and_the_report_shows_it(app):
    scheme = load_cheshire_west()
    set_proxies(scheme)
    supplier, member, council, manager = supplier_and_council(app, scheme)

    # Weighting at award: 10% above £100,000, from the Cheshire West bands.
    contract = record_contract(member, supplier, council, "120000", title="Highways")
    assert contract.award_weighting == Decimal("10")
    assert contract.award_weighting_charter_id == scheme.charter_id
    add_commitment(member, supplier, contract, "CW1", "20")  # 20 weeks x £100 = £2,000
    add_commitment(member, supplier, contract, "CW3", "5")  # 5 placements x £200 = £1,000

    supplier_page = member.get(f"/organisations/{supplier.slug}/contracts/{contract.id}")
    text = supplier_page.get_data(as_text=True)
    assert "Social value weighting at award" in text
    assert "<strong>10%</strong>" in text
    assert "Cheshire West and Chester Council Social Value Policy 2021-25" in text

    # An alternative of equal value: 40 weeks of training at £50 = £2,000.
    response = _propose(
        member, supplier, contract, "CW1",
        {"measure": "CW2", "target_value": "40", "reason": "No apprentice vacancies this year"},
    )  # fmt: skip
    assert response.status_code == 302
    (proposed_email,) = outbox("proposed an alternative commitment")
    assert proposed_email.to_address == "cara@cheshirewestandchester.example"
    assert "Cheshire West and Chester Council" in proposed_email.body
    # One of lower value: £500 spent locally at £1.50 = £750, against £1,000.
    response = _propose(
        member, supplier, contract, "CW3",
        {"measure": "CW5", "target_value": "500", "reason": "Placements scheme closed"},
    )  # fmt: skip
    assert response.status_code == 302
    equal, lower = _alternatives()

    page = f"/commissioner/contracts/{contract.id}"
    db.session.expire_all()
    version = {"version": str(contract.version_id)}
    assert submit(manager, f"{page}/confirm", version, form_url=page).status_code == 302
    shown = manager.get(page).get_data(as_text=True)
    assert "CW1 £2,000, CW2 £2,000, by the proxy values in force today" in shown
    assert "CW3 £1,000, CW5 £750, by the proxy values in force today" in shown

    accepted = submit(manager, f"{page}/alternatives/{equal.id}/accept", form_url=page)
    assert accepted.status_code == 302
    refused_accept = submit(manager, f"{page}/alternatives/{lower.id}/accept", form_url=page)
    assert refused_accept.status_code == 302
    shown = manager.get(page).get_data(as_text=True)
    assert (
        "The alternative cannot be accepted: CW5 is worth £750 by the proxy values in force, "
        "less than the £1,000 of the CW3 commitment it would replace"
    ) in shown
    assert _alternatives()[1].status == "proposed"  # nothing changed

    response = submit(
        manager,
        f"{page}/alternatives/{lower.id}/refuse",
        {"reason": "Worth less than the placements promised"},
    )
    assert response.status_code == 302
    equal, lower = _alternatives()
    assert (equal.status, equal.original_value, equal.alternative_value) == (
        "accepted", Decimal("2000"), Decimal("2000")
    )  # fmt: skip
    assert (lower.status, lower.original_value, lower.alternative_value) == (
        "refused", Decimal("1000"), Decimal("750")
    )  # fmt: skip
    # Both stay on the record: the original marked substituted, the alternative naming it.
    rows = {
        c.id: c
        for c in db.session.scalars(
            select(ContractCommitment).where(ContractCommitment.contract_id == contract.id)
        )
    }
    original, substitute = rows[equal.original_id], rows[equal.substitute_id]
    assert original.substituted_at is not None
    assert substitute.replaces_id == original.id and substitute.target_value == 40
    assert substitute.measure_id == equal.measure_id
    assert rows[lower.original_id].substituted_at is None
    assert lower.substitute_id is None and len(rows) == 3
    (accepted_email,) = outbox("accepted your alternative")
    (refused_email,) = outbox("refused your alternative")
    assert "Worth less than the placements promised" in refused_email.body
    assert "worth £1,000 and the alternative £750" in refused_email.body
    assert "Cheshire West and Chester Council" in accepted_email.body

    # A service credit against the contract (over £100,000: the policy's credits apply).
    response = submit(
        manager,
        f"{page}/service-credits/new",
        {
            "amount": "1500.50",
            "reason": "Placements not delivered in the first quarter",
            "period_start": ["1", "4", "2026"],
            "period_end": ["30", "6", "2026"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    (credit,) = db.session.scalars(select(ServiceCredit))
    assert credit.amount == Decimal("1500.50")
    (credit_email,) = outbox("applied a service credit")
    assert "£1,500.50" in credit_email.body
    text = member.get(f"/organisations/{supplier.slug}/contracts/{contract.id}").get_data(
        as_text=True
    )
    assert "Service credits" in text and "£1,500.50" in text
    assert "Placements not delivered in the first quarter" in text
    assert "Substituted" in text

    # The contract managers' own report no longer counts the substituted commitment as owed.
    managers_report = manager.get("/commissioner/report.csv?period=2026-27").get_data(as_text=True)
    owed = {row["Measure"] for row in csv.DictReader(io.StringIO(managers_report))}
    assert {"CW2", "CW3"} <= owed and "CW1" not in owed

    # A verified figure for the alternative: delivered to date.
    make_period(supplier, scheme, 5, {contract: {"CW2": "12"}}, status="verified")

    admin = app.test_client()
    make_user(email="ada@cheshirewestandchester.example", full_name="Ada Admin", role="admin")
    sign_in(admin, "ada@cheshirewestandchester.example")
    shown = admin.get("/admin/contract-social-value").get_data(as_text=True)
    assert "£1,500.50" in shown and "1 accepted, 1 refused" in shown and "10%" in shown
    report = admin.get("/admin/contract-social-value.csv?table=contracts")
    assert report.status_code == 200
    (row,) = list(csv.DictReader(io.StringIO(report.get_data(as_text=True))))
    assert row == {
        "Supplier": "Deeside Works",
        "Contract": "Highways",
        "Reference": "CW-HIG",
        "Commissioner": "Cheshire West and Chester Council",
        "Value (£)": "120000.00",
        "Weighting at award (%)": "10.00",
        "Commitments made at tender": "2",
        "Alternatives accepted": "1",
        "Commitments delivered in full": "0",
        "Commitments substituted": "1",
        "Alternatives refused": "1",
        "Service credits (£)": "1500.50",
    }
    commitments = admin.get("/admin/contract-social-value.csv?table=commitments")
    by_measure = {
        r["Measure"]: (r["Committed"], r["Delivered to date"], r["Status"])
        for r in csv.DictReader(io.StringIO(commitments.get_data(as_text=True)))
    }
    assert by_measure == {
        "CW1": ("20.00", "0", "Substituted"),
        "CW2": ("40.00", "12.00", "Alternative to CW1"),
        "CW3": ("5.00", "0", "Committed at tender"),
    }
    workbook = admin.get("/admin/contract-social-value.xlsx")
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.data))
    assert book.sheetnames == ["Contracts", "Commitments"]
    sheet = list(book["Contracts"].values)
    assert sheet[0][-1] == "Service credits (£)"
    assert sheet[1][5] == 10 and sheet[1][-1] == 1500.5 and sheet[1][9] == 1
    assert len(list(book["Commitments"].values)) == 4


def test_an_alternative_to_a_measure_without_a_proxy_value_cannot_be_accepted(app):
    scheme = load_cheshire_west()
    set_proxies(scheme)
    supplier, member, council, manager = supplier_and_council(app, scheme)
    contract = record_contract(member, supplier, council, "80000")
    add_commitment(member, supplier, contract, "CW1", "20")
    response = _propose(
        member, supplier, contract, "CW1",
        {"measure": "CW4", "target_value": "30", "reason": "Activities instead"},
    )  # fmt: skip
    assert response.status_code == 302
    (alternative,) = _alternatives()
    page = f"/commissioner/contracts/{contract.id}"
    assert "Cannot be compared: CW4 has no proxy value in force today" in manager.get(
        page
    ).get_data(as_text=True)
    submit(manager, f"{page}/alternatives/{alternative.id}/accept", form_url=page)
    shown = manager.get(page).get_data(as_text=True)
    assert re.search(r"Cannot compare the two commitments: CW4 has no proxy value in force", shown)
    assert _alternatives()[0].status == "proposed"
    assert not outbox("accepted your alternative")
    # £80,000: 5% at award, and below the £100,000 service credits apply over.
    db.session.expire_all()
    assert contract.award_weighting == Decimal("5")
    assert "Service credits" not in manager.get(page).get_data(as_text=True)
    assert manager.get(f"{page}/service-credits/new").status_code == 404
