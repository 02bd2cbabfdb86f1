"""An organisation's register page reads the organisation, its signings and what every page
shows (its Mark, signature, plan, contracts) in one statement (``read_models.organisation_page``)
and its public record in one more; only what it holds adds statements: a Mark's history, a
plan's targets and figures, published figures. Each part says what the domain says."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from charter.extensions import db
from charter.services.domain import contracts, marks, organisations, plans, signings
from charter.services.domain.charter_commissioners import set_taking_part
from charter.services.domain.progress import measure_progress
from tests.factories import make_approved_plan, make_commissioner, make_contract, make_return
from tests.public.register_helpers import make_holder, make_signatory

TARGETS = {"LE1": ("0", "1000"), "LE4": ("1", "3")}


@pytest.fixture
def holder(scheme):
    """A holder with an approved plan (one target of two met), a verified return it publishes,
    a contract that counts and one that does not (its commissioner takes no part)."""
    organisation, mark = make_holder(scheme, "Hawthorn Homes")
    signings.signing_of(organisation).publishes_figures = True
    db.session.commit()
    measures = make_approved_plan(organisation, scheme, TARGETS)
    make_return(organisation, measures, 1, {"LE1": "1500", "LE4": "2"})
    make_contract(organisation, make_commissioner("Shire Council"), value="12500.50")
    elsewhere = make_commissioner("Elsewhere")
    set_taking_part(elsewhere, signings.signing_of(organisation).charter_id, False)
    db.session.commit()
    make_contract(organisation, elsewhere, value="99")
    return organisation, mark


def _statements(client, query_counter, slug: str) -> tuple[int, str]:
    with query_counter() as counter:
        response = client.get(f"/c/shropshire/register/{slug}")
        html = response.get_data(as_text=True)
    return counter.value, html


def test_a_page_says_what_the_domain_says(client, holder):
    organisation, mark = holder
    html = client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
    charter_id = signings.signing_of(organisation).charter_id
    signature, signed_scheme = organisations.latest_signature_of(organisation, charter_id)
    assert marks.current_mark(organisation).certificate_number == mark.certificate_number
    assert mark.certificate_number in html
    assert f"{signed_scheme.name}, version {signed_scheme.version}" in html
    progress = measure_progress(organisation)
    met = sum(1 for p in progress if p.is_met)
    assert (met, len(progress)) == (1, 2)
    assert "1 of 2 targets in its action plan met" in html
    assert contracts.contract_summary(organisation) == (1, Decimal("12500.50"))
    assert "1 contract won from public-sector commissioners, worth £12,500.50" in html
    assert plans.approved_plan(organisation) is not None
    assert signature.signed_at == datetime(2026, 5, 1, 10, 30)


@pytest.mark.parametrize("kind", ["signatory", "holder"])
def test_a_page_reads_one_statement_and_its_record_and_one_for_each_thing_it_holds(
    client, scheme, holder, query_counter, kind
):
    not_on_register, _html = _statements(client, query_counter, "no-such-organisation")
    if kind == "signatory":
        slug = make_signatory(scheme, "Rowan Removals").slug
        # its record (lapses, suspensions): the look-up that found nothing read everything else
        expected = not_on_register + 1
    else:
        slug = holder[0].slug
        # its record; its Marks and their events; the plan's targets, the charter's measures
        # (two) and the figures counted against them; its published figures
        expected = not_on_register + 8
    count, html = _statements(client, query_counter, slug)
    assert "Rowan Removals" in html or "Hawthorn Homes" in html
    assert count == expected


def test_another_page_in_the_same_version_keeps_the_charter_s_measures(
    client, holder, query_counter
):
    """Which measures shape the counted figures changes only with a scheme, which moves the
    version: a page rendered afresh in the same version reads them from the first."""
    slug = holder[0].slug
    first, _html = _statements(client, query_counter, slug)
    again, html = _statements(client, query_counter, f"{slug}?another=address")
    assert again == first - 2
    assert "1 of 2 targets in its action plan met" in html


def test_psycopg_keeps_the_pages_statement_parsed(client, holder, monkeypatch):
    """The page's statement (over 6 KB) is longer than psycopg keeps parsed by default, and was
    parsed again on every page: ``connection_settings.keep_parsed_statements``."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's")
    from psycopg import _queries

    organisation, _mark = holder
    parsed_afresh = []
    parse = _queries._query2pg_nocache
    monkeypatch.setattr(
        _queries,
        "_query2pg_nocache",
        lambda query, encoding: parsed_afresh.append(len(query)) or parse(query, encoding),
    )
    assert client.get(f"/c/shropshire/register/{organisation.slug}").status_code == 200
    assert parsed_afresh == []
    assert _queries.MAX_CACHED_STATEMENT_LENGTH > 6 * 1024
