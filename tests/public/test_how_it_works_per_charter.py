"""Each charter's /how-it-works describes that charter (issue 21), from its own scheme file:
its principles, minimum standards, themes, pledges, weighting bands and service credits, and
how its action plan works; Shropshire's still speaks of core measures and its Charter Mark."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app

from charter.extensions import db
from charter.services.domain.schemes import load_scheme_text


@pytest.fixture
def councils(app, scheme):
    root = Path(current_app.root_path).parent / "schemes"
    for name in ("worcestershire", "cheshire-west-and-chester", "warwickshire"):
        load_scheme_text((root / f"{name}.toml").read_text(encoding="utf-8"))
    db.session.commit()


def text_of(client, slug: str) -> str:
    response = client.get(f"/c/{slug}/how-it-works")
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


@pytest.mark.parametrize(
    ("slug", "present", "absent"),
    [
        (
            "cheshire-west-and-chester",
            [
                "Commitment to eradicate modern slavery",
                "Minimum standards, affirmed every year",
                "a target for at least one",
                "Jobs",
                "10% of the award score for contracts over £100,000",
                "the Council would reserve the right to reduce contractual payments",
            ],
            ["Charter Mark", "core measure"],
        ),
        (
            "worcestershire",
            [
                "Purpose-Driven Commissioning",
                "chooses pledges from the charter",
                "Diversity and Inclusion",
            ],
            ["Charter Mark", "Minimum standards"],
        ),
        ("warwickshire", ["The charter has not set its measures yet."], ["Charter Mark"]),
        ("shropshire", ["Charter Mark", "a target for each core measure"], ["Minimum standards"]),
    ],
)
def test_each_charter_s_page_describes_it(client, councils, slug, present, absent):
    page = text_of(client, slug)
    for words in present:
        assert words in page, (slug, words)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    for words in absent:
        assert words not in main, (slug, words)
