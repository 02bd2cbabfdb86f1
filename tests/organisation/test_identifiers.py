"""Organisation identifiers and postcodes: the formats of each org-id list."""

import pytest

from charter.services.domain.identifiers import (
    IDENTIFIER_SCHEMES,
    InvalidIdentifier,
    make_org_id,
    normalise_identifier,
    normalise_postcode,
)


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        ("GB-COH", "01234567", "01234567"),
        ("GB-COH", "1234567", "01234567"),
        ("GB-COH", "123456", "00123456"),
        ("GB-COH", "sc 123456", "SC123456"),
        ("GB-COH", " NI012345 ", "NI012345"),
        ("GB-CHC", "123456", "123456"),
        ("GB-CHC", "1 123 456", "1123456"),
        ("GB-CHC", "12345678", "12345678"),
        ("GB-SC", "sc012345", "SC012345"),
        ("GB-MPR", "12345r", "12345R"),
        ("GB-MPR", "IP12345R", "IP12345R"),
        ("GB-MPR", "7", "7"),
        ("GB-LAE", "shr", "SHR"),
        ("GB-LAE", "TELW", "TELW"),
    ],
)
def test_valid_identifiers_are_normalised(scheme, raw, expected):
    assert normalise_identifier(scheme, raw) == expected


@pytest.mark.parametrize(
    ("scheme", "raw"),
    [
        ("GB-COH", "12345"),
        ("GB-COH", "123456789"),
        ("GB-COH", "S1234567"),
        ("GB-COH", "SC12345"),
        ("GB-COH", "ABC12345"),
        ("GB-CHC", "12345"),
        ("GB-CHC", "123456789"),
        ("GB-CHC", "SC123456"),
        ("GB-SC", "123456"),
        ("GB-SC", "SC12345"),
        ("GB-SC", "SC1234567"),
        ("GB-MPR", "ABC123"),
        ("GB-MPR", "1234567"),
        ("GB-MPR", "R"),
        ("GB-LAE", "SH"),
        ("GB-LAE", "SHROP"),
        ("GB-LAE", "SH1"),
    ],
)
def test_badly_formed_identifiers_are_refused_with_the_expected_format(scheme, raw):
    with pytest.raises(InvalidIdentifier) as refusal:
        normalise_identifier(scheme, raw)
    assert str(refusal.value) == IDENTIFIER_SCHEMES[scheme].format_message
    assert "like" in str(refusal.value)


def test_a_missing_identifier_asks_for_it_by_name():
    with pytest.raises(InvalidIdentifier, match="Enter your Companies House number"):
        normalise_identifier("GB-COH", "  ")


def test_an_unknown_list_is_refused():
    with pytest.raises(InvalidIdentifier):
        normalise_identifier("XI-ABC", "123")


def test_org_id_joins_list_and_identifier():
    assert make_org_id("GB-COH", "01234567") == "GB-COH-01234567"
    assert make_org_id("none", None) is None
    assert make_org_id("GB-CHC", "") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sy1 1aa", "SY1 1AA"),
        ("SY11AA", "SY1 1AA"),
        ("  sy2   6nd ", "SY2 6ND"),
        ("tf1 5aa", "TF1 5AA"),
        ("ec1a1bb", "EC1A 1BB"),
        ("w1a 0ax", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "SY1", "SY1 1A", "12345", "SY1 1AAA", "QY1 1AA", "SY1 1CA", "SY1-1AA", None]
)
def test_unreal_postcodes_are_refused(raw):
    assert normalise_postcode(raw) is None
