"""The combined pages for a region's charters (issue 21: Warwickshire's regional taskforce is
"exploring opportunities to collectively capture the level and impact of social value activity
across the membership"; issue 20: "the charters of a region or partnership"), through HTTP.

Shropshire's charter is in the West Midlands and Cheshire West's in the North West (their scheme
files' [charter] tables). Shropshire's LE5 and Cheshire West's CW1 are both NT10 (weeks of
apprenticeships): every charter's page adds them up, each region's page its own charters'."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import Charter, ImpactBuild, ImpactCell, Measure
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from charter.services.read_models.impact.periods import year_of
from tests.factories import make_commissioner, make_contract, make_organisation
from tests.services.read_models.impact_helpers import contributor, rebuild
from tests.services.read_models.test_impact_per_charter import Q2, a_return

YEAR = year_of(Q2[1]).key
WEST_MIDLANDS = "/charters/impact?region=west-midlands"


@pytest.fixture
def cheshire_west(app, scheme):
    root = Path(current_app.root_path).parent / "schemes"
    text = (root / "cheshire-west-and-chester.toml").read_text(encoding="utf-8")
    loaded = load_scheme_text(text).scheme
    db.session.commit()
    return loaded


@pytest.fixture
def figures(scheme, cheshire_west):
    """Three Shropshire signatories with 10, 20 and 30 weeks of LE5, three Cheshire West ones
    with 1, 2 and 3 weeks of CW1, verified, and the summary rows rebuilt."""
    commissioner = make_commissioner("Countess of Chester Hospital")
    for weeks in ("10", "20", "30"):
        organisation, measures = contributor(scheme, "Shrewsbury")
        contract = make_contract(organisation, commissioner)
        a_return(
            organisation, signings.signing_id_of(organisation), measures["LE5"], {contract: weeks}
        )
    cw1 = db.session.scalar(
        select(Measure).where(Measure.scheme_id == cheshire_west.id, Measure.code == "CW1")
    )
    for weeks in ("1", "2", "3"):
        organisation = make_organisation(scheme=cheshire_west, status="monitoring")
        contract = make_contract(organisation, commissioner)
        a_return(organisation, signings.signing_id_of(organisation), cw1, {contract: weeks})
    rebuild()


def total(scope: str, code: str = "NT10") -> tuple[Decimal, int] | None:
    found = db.session.execute(
        select(ImpactCell.total, ImpactCell.organisations).where(
            ImpactCell.charter_id.is_(None),
            ImpactCell.scope == scope,
            ImpactCell.period_key == YEAR,
            ImpactCell.measure_code == code,
            ImpactCell.dimension == "all",
        )
    ).first()
    return tuple(found) if found else None


def text_of(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_the_regions_come_from_the_charters_files(scheme, cheshire_west):
    regions = dict(db.session.execute(select(Charter.slug, Charter.region)).all())
    assert regions == {"shropshire": "west-midlands", "cheshire-west-and-chester": "north-west"}


def test_the_rebuild_adds_up_every_charter_and_each_region(figures):
    assert total("all") == (Decimal(66), 6)
    assert total("region:west-midlands") == (Decimal(60), 3)
    assert total("region:north-west") == (Decimal(6), 3)
    built = set(
        db.session.scalars(select(ImpactBuild.scope).where(ImpactBuild.charter_id.is_(None)))
    )
    assert built == {"all", "region:west-midlands", "region:north-west"}


def test_a_charter_moved_out_of_its_region_leaves_it_at_the_next_rebuild(figures, cheshire_west):
    charter = db.session.get(Charter, cheshire_west.charter_id)
    charter.region = "west-midlands"
    db.session.commit()
    rebuild()
    assert total("region:west-midlands") == (Decimal(66), 6)
    assert total("region:north-west") is None


def test_the_region_s_page_shows_its_charters_figures_and_says_what_it_covers(client, figures):
    response = client.get(f"{WEST_MIDLANDS}&period={YEAR}")
    assert response.status_code == 200
    page = text_of(response)
    assert "What the charters in the West Midlands deliver together" in page
    covers = page.split('id="covers">', 1)[1].split("</p>", 1)[0]
    assert "Social Value Charter for Shropshire" in covers and "(Shropshire)" in covers
    assert "Cheshire" not in covers
    assert "1 April 2026 to 31 March 2027" in covers
    row = page.split("NT10", 1)[1].split("</tr>", 1)[0]
    assert "60 weeks" in row and ">3<" in row
    # The choices: every charter, and each region with its charters.
    assert 'value="west-midlands" checked' in page and 'value="north-west"' in page
    assert "Cheshire West and Chester Council" in page.split('value="north-west"')[1]
    every = text_of(client.get(f"/charters/impact?period={YEAR}"))
    assert "66 weeks" in every.split("NT10", 1)[1].split("</tr>", 1)[0]


def test_a_region_s_figures_are_withheld_under_the_strictest_of_its_charters_rules(
    client, figures, scheme, cheshire_west
):
    # Shropshire's scheme asking for 4 organisations leaves the North West's figures alone.
    scheme.disclosure_min_organisations = 4
    db.session.commit()
    rebuild()
    north_west = f"/charters/impact?region=north-west&period={YEAR}"
    assert "6 weeks" in text_of(client.get(north_west)).split("NT10", 1)[1]
    west_midlands = text_of(client.get(f"{WEST_MIDLANDS}&period={YEAR}"))
    assert "fewer than 4" in west_midlands.split("NT10", 1)[1].split("</tr>", 1)[0]
    assert "60 weeks" not in west_midlands
    cheshire_west.disclosure_min_organisations = 4
    db.session.commit()
    rebuild()
    page = text_of(client.get(north_west))
    assert "fewer than 4" in page.split("NT10", 1)[1].split("</tr>", 1)[0]
    assert "6 weeks" not in page


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("atlantis", "There is no region ‘atlantis’: choose a region from the list"),
        ("london", "No charter on this service is in London: choose a region from the list"),
        ("south-east", "No charter on this service is in the South East"),
        ("WEST-MIDLANDS", "There is no region ‘WEST-MIDLANDS’"),
    ],
)
@pytest.mark.parametrize(
    "address", ["/charters/impact", "/charters/impact.csv", "/charters/impact.json"]
)
def test_an_unknown_region_is_a_404_with_a_message(
    client, scheme, cheshire_west, address, region, message
):
    # The charters and their regions, no figures: a region is refused before any is read.
    response = client.get(f"{address}?region={region}")
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


def test_the_csv_and_json_honour_the_region(client, figures):
    document = json.loads(client.get("/charters/impact.json?region=north-west").data)
    assert document["region"] == {"slug": "north-west", "name": "North West"}
    assert [c["slug"] for c in document["charters"]] == ["cheshire-west-and-chester"]
    headline = [
        f
        for f in document["figures"]
        if f["period"] == YEAR and f["measure_code"] == "NT10" and f["breakdown"] == "all"
    ]
    assert [(f["value"], f["organisations"]) for f in headline] == [("6.00", 3)]
    every = json.loads(client.get("/charters/impact.json").data)
    assert every["region"] is None and len(every["charters"]) == 2
    csv = client.get("/charters/impact.csv?region=west-midlands")
    assert csv.status_code == 200 and "west-midlands" in csv.headers["Content-Disposition"]
    line = next(
        row for row in csv.get_data(as_text=True).splitlines() if row.startswith(f"{YEAR},")
    )
    assert ",NT10," in line and ",60.00," in line


def test_a_region_s_page_costs_what_every_charter_s_does(client, figures, query_counter):
    def count(address: str) -> int:
        with query_counter() as counter:
            assert client.get(address).status_code == 200
        return counter.value

    every = count(f"/charters/impact?period={YEAR}")
    region = count(f"{WEST_MIDLANDS}&period={YEAR}")
    assert region == every <= 9  # the version, the cells, the periods, the build, the measures
    assert count(f"{WEST_MIDLANDS}&period={YEAR}") <= 1  # answered from memory


def test_the_combined_register_narrows_to_a_region(client, scheme, cheshire_west, query_counter):
    make_organisation(scheme=scheme, name="Shropshire Only Ltd", status="signatory")
    make_organisation(scheme=cheshire_west, name="Chester Only Ltd", status="signatory")
    both = make_organisation(scheme=scheme, name="Both Regions Ltd", status="monitoring")
    signings.start(both, cheshire_west).status = "monitoring"
    db.session.commit()
    with query_counter() as counter:
        response = client.get("/charters/register?region=north-west")
    assert response.status_code == 200 and counter.value <= 6
    page = text_of(response)
    assert "Signatories of the charters in the North West" in page
    assert "Chester Only Ltd" in page and "Both Regions Ltd" in page
    assert "Shropshire Only Ltd" not in page
    assert "2 organisations" in page
    assert 'option value="north-west" selected' in page
    searched = text_of(client.get("/charters/register?region=west-midlands&q=only"))
    assert "Shropshire Only Ltd" in searched and "Chester Only Ltd" not in searched
    unknown = client.get("/charters/register?region=atlantis")
    assert unknown.status_code == 404
    assert "There is no region ‘atlantis’" in unknown.get_data(as_text=True)


def test_the_service_home_links_each_region_s_pages(client, scheme, cheshire_west):
    page = text_of(client.get("/"))
    assert (
        'href="/charters/impact?region=west-midlands">What the charters in the West Midlands '
        "deliver together</a> (Shropshire)" in page
    )
    assert 'href="/charters/register?region=north-west">their signatories</a>' in page
