"""Organisations that publish their own figures (on the register and the API) are known parts
of every total they are in: a district of 3 organisations, 2 of them publishing, would give
the third one's figure away, so it is withheld like a small one."""

from __future__ import annotations

from tests.services.read_models.impact_helpers import contributor, rebuild, verified

QUARTER = "2026-Q2"


def _district(scheme, district: str, publishing: int, others: int, amount: int) -> None:
    for number in range(publishing + others):
        organisation, measures = contributor(
            scheme, district, publishes_figures=number < publishing
        )
        verified(organisation, measures, 2, LE1=amount + number)


def _ludlow(client) -> dict:
    rows = client.get("/c/shropshire/impact.json").get_json()["figures"]
    return next(
        r
        for r in rows
        if r["period"] == QUARTER
        and r["breakdown"] == "district"
        and r["breakdown_value"] == "Ludlow"
    )


def test_a_cell_of_three_with_two_publishing_is_withheld(client, scheme):
    _district(scheme, "Ludlow", publishing=2, others=1, amount=500)
    _district(scheme, "Shrewsbury", publishing=0, others=4, amount=100)
    _district(scheme, "Wem", publishing=0, others=3, amount=50)
    rebuild()

    ludlow = _ludlow(client)

    assert ludlow["suppressed"] and ludlow["value"] is None
    assert ludlow["suppression"] == "complementary"


def test_a_cell_of_three_none_publishing_is_shown(client, scheme):
    _district(scheme, "Ludlow", publishing=0, others=3, amount=500)
    _district(scheme, "Shrewsbury", publishing=0, others=4, amount=100)
    rebuild()

    assert _ludlow(client)["value"] == "1503.00"
