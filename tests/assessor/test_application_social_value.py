"""The social value an application shows: every measure with a proxy value in force on the day
the organisation applied (flows and stocks, from the proxy history as /impact uses it, else the
scheme's own value), monetised at the value recorded in the snapshot."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure, ProxyValue
from tests.assessor.application_helpers import OPTIONAL_CODE, application_url, applied

APPLIED_ON = date(2026, 12, 1)  # the day applied() takes the snapshot


def _total(html: str) -> str:
    return re.search(r'id="social-value-total"><strong>([^<]+)<', html).group(1)


def _history(scheme, code: str, *values: tuple[date, str | None]) -> None:
    for effective_from, value in values:
        db.session.add(
            ProxyValue(
                scheme_slug=scheme.slug,
                measure_code=code,
                effective_from=effective_from,
                value=None if value is None else Decimal(value),
            )
        )
    db.session.commit()


def test_monetised_social_value_where_the_scheme_sets_a_proxy(
    assessor_client, organisation, scheme, member
):
    proxies = {"LE1": Decimal("0.30"), OPTIONAL_CODE: Decimal("1.50")}
    for measure in db.session.scalars(select(Measure).where(Measure.code.in_(proxies))):
        measure.proxy_value = proxies[measure.code]
    db.session.commit()
    application = applied(organisation, scheme, member)
    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    # Each achieved 60 (two verified returns of 30): 60 × 0.30 = 18; 60 × 1.50 = 90.
    assert "£0.30 per £, in force on 1 December 2026" in html
    assert "£1.50 per £, in force on 1 December 2026" in html
    assert html.count("No proxy value in force on ") == (len(application.snapshot["targets"]) - 2)
    assert _total(html) == "£108"
    assert "£18" in html and "£90" in html


def test_a_stock_is_monetised_with_the_proxy_in_force_from_the_history(
    assessor_client, organisation, scheme, member
):
    """The issue: LE4 (FTE) showed "No proxy value set" while /impact monetised it at £14,500
    per FTE. The value in force on the day of applying counts, not a later one."""
    _history(
        scheme,
        "LE4",
        (date(2026, 1, 1), "12000"),
        (date(2026, 6, 1), "14500"),
        (date(2027, 6, 1), "20000"),  # after the application: not used
    )
    application = applied(organisation, scheme, member)

    [recorded] = application.snapshot["proxy_values"]
    assert recorded["code"] == "LE4"
    assert (recorded["proxy_value"], recorded["in_force_on"]) == ("14500.00", "2026-12-01")
    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    # LE4 is a stock: the latest verified figure, 30 FTE, × £14,500.
    assert "£14,500 per FTE, in force on 1 December 2026" in html
    assert _total(html) == "£435,000"
    assert "No proxy value in force" in html  # the other measures
    assert "No proxy value set" not in html


def test_a_proxy_withdrawn_before_applying_is_not_used(
    assessor_client, organisation, scheme, member
):
    _history(scheme, "LE4", (date(2026, 1, 1), "14500"), (date(2026, 11, 1), None))
    le4 = db.session.scalar(select(Measure).where(Measure.code == "LE4"))
    le4.proxy_value = Decimal("9999")  # the history wins over the scheme's own column
    db.session.commit()
    application = applied(organisation, scheme, member)
    assert application.snapshot["proxy_values"] == []
    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert _total(html) == "£0"


def test_a_proxy_changed_after_applying_leaves_the_application_figures_as_they_were(
    assessor_client, organisation, scheme, member
):
    le1 = db.session.scalar(select(Measure).where(Measure.code == "LE1"))
    le1.proxy_value = Decimal("0.30")
    db.session.commit()
    application = applied(organisation, scheme, member)
    recorded = dict(application.snapshot)

    le1.proxy_value = Decimal("5.00")  # a new value in force today
    _history(scheme, "LE1", (APPLIED_ON, "5.00"))
    db.session.commit()

    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert "£0.30 per £, in force on 1 December 2026" in html
    assert "£5.00" not in html
    db.session.refresh(application)
    assert application.snapshot == recorded


def test_an_older_snapshot_without_the_day_says_when_it_was_taken(
    assessor_client, organisation, scheme, member
):
    application = applied(organisation, scheme, member)
    le1 = next(t for t in application.snapshot["targets"] if t["code"] == "LE1")
    application.snapshot = {
        **application.snapshot,
        "taken_at": "2026-03-04T10:00:00",
        "proxy_values": [
            {"measure_id": le1["measure_id"], "code": "LE1", "proxy_value": "0.50"},
        ],
    }
    db.session.commit()
    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert "£0.50 per £, in force on 4 March 2026" in html
    assert _total(html) == "£30"
