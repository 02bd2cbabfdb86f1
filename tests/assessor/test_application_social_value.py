"""The social value an application shows: monetised only where the scheme sets a proxy, and at
the proxy recorded when the organisation applied."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure
from tests.assessor.application_helpers import OPTIONAL_CODE, application_url, applied


def test_monetised_social_value_only_where_the_scheme_sets_a_proxy(
    assessor_client, organisation, scheme, member
):
    proxies = {"LE1": Decimal("0.30"), OPTIONAL_CODE: Decimal("1.50")}
    for measure in db.session.scalars(select(Measure).where(Measure.code.in_(proxies))):
        measure.proxy_value = proxies[measure.code]
    db.session.commit()
    application = applied(organisation, scheme, member)
    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    # Each achieved 60 (two verified returns of 30): 60 × 0.30 = 18; 60 × 1.50 = 90.
    assert "£0.30 per £ (the scheme&#39;s proxy value)" in html
    assert "£1.50 per £ (the scheme&#39;s proxy value)" in html
    assert html.count("No proxy value set") == len(application.snapshot["targets"]) - 2
    total = re.search(r'id="social-value-total"><strong>([^<]+)<', html).group(1)
    assert total == "£108"
    assert "£18" in html and "£90" in html


def test_a_proxy_changed_after_applying_leaves_the_application_figures_as_they_were(
    assessor_client, organisation, scheme, member
):
    le1 = db.session.scalar(select(Measure).where(Measure.code == "LE1"))
    le1.proxy_value = Decimal("0.30")
    db.session.commit()
    application = applied(organisation, scheme, member)
    recorded = dict(application.snapshot)

    le1.proxy_value = Decimal("5.00")  # a new value in force today
    db.session.commit()

    html = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert "£0.30 per £ (the scheme&#39;s proxy value)" in html
    assert "£5.00" not in html
    db.session.refresh(application)
    assert application.snapshot == recorded
