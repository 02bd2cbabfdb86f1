"""The four councils' scheme files (issue 21): each loads with `flask charter load-scheme`, on
SQLite and PostgreSQL, with what its charter needs stored on its scheme version; and what each
file quotes is in its council's document, word for word, where a checkout has the documents
beside it (../shared/seeds)."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from charter.models import Measure, Scheme, Theme
from charter.services.domain.scheme_features import weighting_for
from charter.services.domain.schemes import load_scheme_text
from tests.services.domain.test_scheme_file_refusals import SELF_ASSESSMENT

SCHEMES = Path(__file__).resolve().parents[3] / "schemes"
FILES = {
    "shropshire": "supporting-the-local-economy.toml",
    "worcestershire": "worcestershire.toml",
    "cheshire-west-and-chester": "cheshire-west-and-chester.toml",
    "warwickshire": "warwickshire.toml",
}
SEEDS = next(
    (p for p in (SCHEMES.parents[1] / "shared" / "seeds", SCHEMES.parents[2] / "shared" / "seeds")
     if p.exists()),
    None,
)  # fmt: skip
SEED_FILES = {
    "worcestershire": ("000_143ab7e032e96af9.txt", "001_2846ed62c492e920.txt"),
    "cheshire-west-and-chester": ("003_5dc777972350c492.txt",),
    "warwickshire": ("002_9a29d4282e379834.txt",),
}


def _load_all(app, db) -> dict[str, Scheme]:
    runner = app.test_cli_runner()
    for name in FILES.values():
        result = runner.invoke(args=["charter", "load-scheme", str(SCHEMES / name)])
        assert result.exit_code == 0, result.output
        assert "as version 1" in result.output
    schemes = db.session.scalars(
        select(Scheme).options(
            selectinload(Scheme.charter),
            selectinload(Scheme.measures).selectinload(Measure.theme),
            selectinload(Scheme.themes).selectinload(Theme.priorities),
            selectinload(Scheme.priorities),
        )
    )
    return {scheme.charter.slug: scheme for scheme in schemes}


def test_every_council_file_loads_into_its_own_charter(app, db):
    schemes = _load_all(app, db)

    assert set(schemes) == set(FILES)
    shropshire = schemes["shropshire"]
    assert (shropshire.has_award, shropshire.award_name) == (True, "Charter Mark")
    for slug in ("worcestershire", "cheshire-west-and-chester", "warwickshire"):
        assert (schemes[slug].has_award, schemes[slug].award_name) == (False, None)
    # Shropshire's measures keep their TOMs codes, now their shared references too.
    assert {m.code: m.reference for m in shropshire.measures}["LE1"] == "NT18"
    assert all(m.reference == m.toms_ref for m in shropshire.measures)
    assert (shropshire.themes, shropshire.service_credits, shropshire.weighting_bands) == (
        [], False, None
    )  # fmt: skip


def test_worcestershire_has_its_toolkit_of_pledges(app, db):
    scheme = _load_all(app, db)["worcestershire"]

    assert [t.title for t in scheme.themes] == [
        "Community Development",
        "Diversity and Inclusion",
        "Environmental Sustainability",
        "Economic Empowerment",
        "Education and Knowledge Sharing",
    ]
    measures = {m.code: m for m in scheme.measures}
    assert all(m.pledge and m.measurement and m.theme is not None for m in measures.values())
    assert not any(m.is_core for m in measures.values())
    events = next(m for m in measures.values() if m.pledge.startswith("Host Local Events"))
    assert events.unit == "pair" and events.theme.code == "EE"
    assert events.parts == [
        {"label": "Events hosted", "unit": "count"},
        {"label": "Total attendance from local businesses", "unit": "count"},
    ]
    assert "[#]" in events.pledge and events.frequencies == ["quarterly", "annually"]
    kinds = {m.unit for m in measures.values()}
    assert {"count", "GBP", "percent", "pair", "achievement"} <= kinds
    leader = next(m for m in measures.values() if m.unit == "achievement")
    assert leader.title.startswith("Completion of assessment for Disability Confident")
    fund = next(m for m in measures.values() if m.unit == "GBP")
    assert fund.frequencies == ["annually"]


def test_cheshire_west_has_themes_mapped_to_its_priorities_and_its_rules(app, db):
    scheme = _load_all(app, db)["cheshire-west-and-chester"]

    served = {t.code: [p.code for p in t.priorities] for t in scheme.themes}
    assert served["ENVIRONMENT"] == ["CLIMATE", "ECONOMY", "CHILDREN", "NEIGHBOURHOODS", "ADULTS"]
    assert served["SOCIAL"] == [
        "FAIRER", "ECONOMY", "CHILDREN", "NEIGHBOURHOODS", "ADULTS", "COUNCIL"
    ]  # fmt: skip
    assert len(scheme.priorities) == 7 and len(scheme.minimum_standards) == 4
    assert scheme.service_credits and scheme.service_credits_over == Decimal(100000)
    bands = scheme.weighting_bands
    assert weighting_for(bands, Decimal("49999.99")) is None
    assert weighting_for(bands, Decimal(50000)) == 5
    assert weighting_for(bands, Decimal(100000)) == 5
    assert weighting_for(bands, Decimal("100000.01")) == 10
    references = {m.code: m.reference for m in scheme.measures}
    assert references["CW1"] == "NT10" and references["CW5"] is None


def test_warwickshire_switches_service_credits_on_and_invents_no_measures(app, db):
    scheme = _load_all(app, db)["warwickshire"]

    assert scheme.service_credits and scheme.service_credits_over is None
    assert "will be considered" in scheme.service_credits_terms
    assert scheme.measures == [] and scheme.self_assessment is None
    assert [t.code for t in scheme.themes] == ["NP1", "NP2", "NP3"]


def _words(text: str) -> str:
    text = text.replace("**", "").replace("\u2019", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", text).strip()


def _quoted(slug: str) -> list[str]:
    """What a council's file quotes: the summary (sentence by sentence), the charter's
    description, principles, themes, priorities, pledges and their measurements and
    indicators, minimum standards and the service credit terms."""
    data = tomllib.loads((SCHEMES / FILES[slug]).read_text(encoding="utf-8"))
    quoted = [data["charter"]["description"], *data.get("minimum_standards", [])]
    quoted += [sentence + "." for sentence in _words(data["summary"]).rstrip(".").split(". ")]
    for principle in data["principles"]:
        quoted += [principle["title"], principle["description"]]
    for theme in data.get("themes", []):
        quoted += [theme["title"], *theme.get("description", "").split("; ")]
    quoted += [p["title"] for p in data.get("priorities", [])]
    for measure in data["measures"]:
        if "pledge" in measure:
            quoted += [measure["pledge"], measure["measurement"], measure["title"]]
    quoted.append(data.get("service_credits", {}).get("terms", ""))
    return [q for q in quoted if q]


@pytest.mark.skipif(SEEDS is None, reason="the councils' documents are not beside this checkout")
@pytest.mark.parametrize("slug", sorted(SEED_FILES))
def test_what_each_file_quotes_is_in_its_councils_document(slug):
    document = _words(" ".join((SEEDS / name).read_text() for name in SEED_FILES[slug]))
    lowered = document.lower()
    for quote in _quoted(slug):
        # Titles are quoted with the document's words; only a heading's capitals may differ.
        assert _words(quote).lower() in lowered, quote


def test_a_self_assessment_is_stored_with_its_scheme_version(app, db):
    text = (SCHEMES / FILES["warwickshire"]).read_text(encoding="utf-8") + SELF_ASSESSMENT
    scheme = load_scheme_text(text).scheme
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(Scheme, scheme.id).self_assessment
    assert stored["name"] == "A self-assessment"
    assert [level["from_score"] for level in stored["levels"]] == [0, 2]
