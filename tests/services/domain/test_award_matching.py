"""How identifiers and names are compared when matching awards in published notices."""

from __future__ import annotations

import pytest

from charter.services.domain.award_facts import identifier_key, party_identifiers
from charter.services.domain.award_matching import name_key


@pytest.mark.parametrize(
    ("published", "key"),
    [
        ("GB-COH-01234567", "GB-COH-01234567"),
        ("gb-coh-01234567", "GB-COH-01234567"),
        ("GB-COH-1234567", "GB-COH-01234567"),  # published without its leading zero
        ("GB-COH-SC123456", "GB-COH-SC123456"),
        (" GB-PPON- ABCD-1234 ", "GB-PPON-ABCD-1234"),
        ("sid4gov.cabinetoffice.gov.uk/jK8y8FA9", "SID4GOV.CABINETOFFICE.GOV.UK/JK8Y8FA9"),
    ],
)
def test_identifier_keys(published, key):
    assert identifier_key(published) == key


@pytest.mark.parametrize(
    ("party", "identifiers"),
    [
        ({"identifier": {"scheme": "GB-COH", "id": "01234567"}}, ["GB-COH-01234567"]),
        ({"identifier": {"scheme": "GB-COH", "id": "GB-COH-01234567"}}, ["GB-COH-01234567"]),
        ({"identifier": {"scheme": "", "id": ""}}, []),  # Contracts Finder's empty identifier
        ({"identifier": {"scheme": "GB-COH", "id": 1234567}}, ["GB-COH-01234567"]),
        (
            {
                "identifier": {"scheme": "GB-CHC", "id": "1123456"},
                "additionalIdentifiers": [{"scheme": "GB-COH", "id": "01234567"}],
            },
            ["GB-CHC-1123456", "GB-COH-01234567"],
        ),
        ({"id": "GB-PPON-ABCD-1234-EFGH"}, ["GB-PPON-ABCD-1234-EFGH"]),  # Find a Tender
        ({"id": "8130c4404b180f94c332e29fd4de6c39"}, []),  # a publisher's own key
        ({"id": "cf-party-4f1c", "name": "Ironbridge Patrols"}, []),  # never a name
    ],
)
def test_party_identifiers(party, identifiers):
    assert party_identifiers(party) == identifiers


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Severn Builders Ltd", "SEVERN BUILDERS LIMITED", True),
        ("Wrekin Care Partnership C.I.C.", "Wrekin Care Partnership CIC", True),
        ("Smith & Sons", "Smith and Sons Ltd", True),
        ("The Ludlow Larder", "Ludlow Larder", True),
        ("Severn Builders", "Severn Valley Builders", False),
    ],
)
def test_name_keys(one, other, same):
    assert (name_key(one) == name_key(other)) is same
