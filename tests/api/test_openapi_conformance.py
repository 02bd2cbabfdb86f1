"""Schemathesis against /api/v1/openapi.json, in process (WSGI): every response the API gives
to generated requests (valid and invalid) matches the document, and none is a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import make_mark, make_organisation

EXAMPLES = 80
# "A request the document allows must succeed" cannot hold for an opaque cursor: any string
# fits its schema, and only one this API made is valid (anything else is a documented 400).
# Every other check runs: no 5xx, documented status codes, content types, headers and bodies.
EXCLUDED_CHECKS = [positive_data_acceptance]


def test_every_api_response_matches_the_openapi_document(app, scheme):
    holder = make_organisation(scheme=scheme, status="accredited", name="Acorn Builders")
    make_mark(holder, scheme)
    make_organisation(scheme=scheme, status="signatory", name="Birch Catering")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cases = st.one_of(
        schema.as_strategy(GenerationMode.POSITIVE),
        schema.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def check(case):
        case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)

    check()
