"""Any query string on any public page: never a 5xx, and a streamed body always completes.

Public pages are every GET route the permission matrix opens to anonymous people.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_mark, make_organisation
from tests.permissions.levels import OK
from tests.permissions.matrix_helpers import ROUTES
from tests.permissions.world_helpers import url_for_rule
from tests.properties.strategies_helpers import query_strings

EXAMPLES = 60


def test_no_query_string_on_a_public_page_is_a_server_error(app, scheme):
    holder = make_organisation(scheme=scheme, status="accredited", name="Acorn Builders")
    mark = make_mark(holder, scheme)
    make_organisation(scheme=scheme, status="signatory", name="Birch Catering")
    params = {
        "slug": holder.slug,
        "certificate_number": mark.certificate_number,
        "number": mark.certificate_number,
        "filename": "js/init.js",
        "anything": "organisations",
        "token": "x",
        "charter_slug": "shropshire",
    }
    urls = sorted(
        url_for_rule(rule, params)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and ROUTES.get(rule.endpoint, {}).get("anonymous") == OK
        and not rule.endpoint.startswith("auth.")
    )
    assert len(urls) >= 15

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(url=st.sampled_from(urls), query=query_strings())
    def check(url, query):
        client = app.test_client()
        response = client.get(url, query_string=query)
        body = response.get_data()  # a stream that breaks off raises here
        assert response.status_code < 500, (url, query, body[:500])

    check()
