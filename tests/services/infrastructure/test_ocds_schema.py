"""The release schema's references are resolved once (schema.inline_definitions) so each
release's check is quicker: the checks must find exactly what the profile as built (OCDS 1.1.5
patched with the UK extension and its dependencies, by ProfileBuilder) finds, on good and
broken releases alike. A UK field of the wrong type, or a code outside a closed codelist of the
UK extension or its dependencies, is refused, though OCDS 1.1.5 alone lets it through; the
shipped profile is what ProfileBuilder builds from the shipped sources."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from charter.services.infrastructure.ocds import schema

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ocds"


def _releases() -> list[dict]:
    found = []
    for path in sorted(FIXTURES.glob("*.json")):
        found += json.loads(path.read_text())["releases"]
    return found


def _changed(name: str, changes) -> list[dict]:
    original = json.loads((FIXTURES / name).read_text())["releases"][0]
    cases = []
    for path, value in changes:
        release = copy.deepcopy(original)
        target = release
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        cases.append(release)
    return cases


# UK extension fields (uk_extension/release-schema.json) of the wrong type.
UK_BROKEN = [
    ("invented-telford-award.json", ("awards", 0, "aboveThreshold"), "yes"),
    ("invented-telford-award.json", ("awards", 0, "value", "amountGross"), "221100.60"),
    ("invented-telford-award.json", ("parties", 1, "details"), {"vcse": "true"}),
    (
        "invented-telford-termination.json",
        ("contracts", 0, "terminationRationaleClassification"),
        "mutualAgreement",
    ),
    ("invented-telford-termination.json", ("contracts", 0, "documents", 0, "noticeType"), 11),
]
UK_GOOD = [
    ("invented-telford-award.json", ("awards", 0, "aboveThreshold"), True),
    ("invented-telford-award.json", ("awards", 0, "value", "amountGross"), 221100.6),
    ("invented-telford-award.json", ("parties", 1, "details"), {"vcse": True}),
    (
        "invented-telford-termination.json",
        ("contracts", 0, "terminationRationaleClassifications"),
        [{"id": "mutualAgreement"}],
    ),
]


def _uk(cases) -> list[dict]:
    return [release for name, path, value in cases for release in _changed(name, [(path, value)])]


def _broken() -> list[dict]:
    award = json.loads((FIXTURES / "invented-telford-award.json").read_text())["releases"][0]
    cases = []
    for path, value in [
        (("awards", 0, "value", "amount"), "184250.50"),
        (("parties",), {}),
        (("awards", 0, "suppliers", 0, "id"), []),
        (("buyer", "identifier"), "GB-LAE-TFW"),
        (("tag",), "award"),
        (("awards", 0, "contractPeriod", "startDate"), 20270101),
    ]:
        release = copy.deepcopy(award)
        target = release
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        cases.append(release)
    return cases


def _errors(validator, release) -> list[tuple[list, str]]:
    return sorted((list(map(str, e.path)), e.message) for e in validator.iter_errors(release))


@pytest.mark.parametrize("release", _releases() + _broken() + _uk(UK_BROKEN) + _uk(UK_GOOD))
def test_the_inlined_schema_finds_what_the_published_one_finds(release):
    published = Draft4Validator(json.loads(schema.PROFILE_SCHEMA.read_text()))
    assert _errors(schema._validator(), release) == _errors(published, release)


def test_the_broken_releases_are_broken():
    assert all(schema.problems(release) for release in _broken())


@pytest.mark.parametrize("case", UK_BROKEN, ids=lambda case: "/".join(map(str, case[1])))
def test_a_uk_field_of_the_wrong_type_is_refused_though_ocds_alone_allows_it(case):
    [release] = _uk([case])
    core = Draft4Validator(json.loads(schema.RELEASE_SCHEMA.read_text()))
    assert not list(core.iter_errors(release))
    found = schema.problems(release)
    assert found and found[0].startswith("/".join(map(str, case[1])))


@pytest.mark.parametrize("case", UK_GOOD, ids=lambda case: "/".join(map(str, case[1])))
def test_uk_fields_of_the_right_type_pass(case):
    [release] = _uk([case])
    assert schema.problems(release) == []


def test_releases_are_compiled_by_the_uk_extensions_merge_rules():
    """``wholeListMerge``: a later release's list replaces the earlier one whole."""
    earlier, later = (
        {
            "ocid": "ocds-h6vhtk-000001",
            "id": f"00000{n}-2026",
            "date": f"2026-12-0{n}T09:00:00Z",
            "tag": ["contractAmendment"],
            "initiationType": "tender",
            "contracts": [
                {
                    "id": "1",
                    "awardID": "1",
                    "amendments": [{"id": "1", "rationaleClassifications": codes}],
                }
            ],
        }
        for n, codes in ((1, [{"id": "a"}, {"id": "b"}]), (2, [{"id": "c"}]))
    )
    compiled = schema.compile_releases([earlier, later])
    assert compiled["contracts"][0]["amendments"][0]["rationaleClassifications"] == [{"id": "c"}]


# Codes of closed codelists (the UK extension's and its dependencies'): (fixture, path, value,
# the codelist named). Real Contracts Finder notices and the invented UK notices alike.
CLOSED_CODES = [
    (
        "invented-telford-termination.json",
        ("contracts", 0, "implementation", "performanceFailures"),
        [{"id": "1", "penaltyType": "fined"}],
        "contracts/0/implementation/performanceFailures/0/penaltyType",
        "penaltyType",
    ),
    (
        "invented-telford-award.json",
        ("awards", 0, "mainProcurementCategory"),
        "software",
        "awards/0/mainProcurementCategory",
        "procurementCategory",
    ),
    (
        "cf-telford-and-wrekin.json",
        ("bids",),
        {"details": [{"id": "1", "status": "accepted"}]},
        "bids/details/0/status",
        "bidStatus",
    ),
    (
        "cf-devon.json",
        ("tender", "techniques"),
        {"frameworkAgreement": {"method": "sometimes"}},
        "tender/techniques/frameworkAgreement/method",
        "frameworkAgreementMethod",
    ),
    (
        "cf-bath.json",
        ("tender", "techniques"),
        {"dynamicPurchasingSystem": {"type": "semi-open"}},
        "tender/techniques/dynamicPurchasingSystem/type",
        "dynamicPurchasingSystemType",
    ),
]
# The same fields with one of their codes, and open codelists with a code of the publisher's own.
CODES_ACCEPTED = [
    (
        "invented-telford-termination.json",
        ("contracts", 0, "implementation", "performanceFailures"),
        [{"id": "1", "penaltyType": "imposed"}],
    ),
    ("invented-telford-award.json", ("awards", 0, "mainProcurementCategory"), "services"),
    ("cf-telford-and-wrekin.json", ("bids",), {"details": [{"id": "1", "status": "valid"}]}),
    ("cf-darlington.json", ("tender", "techniques"), {"dynamicPurchasingSystem": {"type": "open"}}),
    # documentType is open (the UK extension adds codes to it): an unknown code passes.
    (
        "invented-telford-termination.json",
        ("contracts", 0, "documents", 0, "documentType"),
        "a-council-s-own",
    ),
]


@pytest.mark.parametrize("case", CLOSED_CODES, ids=lambda case: case[4])
def test_a_code_not_in_a_closed_codelist_is_refused_naming_the_field_and_codelist(case):
    name, path, value, field, codelist = case
    [release] = _changed(name, [(path, value)])
    assert not list(
        Draft4Validator(json.loads(schema.RELEASE_SCHEMA.read_text())).iter_errors(release)
    )

    found = schema.problems(release)

    assert len(found) == 1
    assert found[0].startswith(f"{field}: ")
    assert found[0].endswith(f"is not a code of the closed codelist {codelist}")


@pytest.mark.parametrize("case", CODES_ACCEPTED, ids=lambda case: "/".join(map(str, case[1])))
def test_codes_in_the_codelists_and_open_codelists_own_codes_pass(case):
    name, path, value = case
    [release] = _changed(name, [(path, value)])
    assert schema.problems(release) == []


def test_every_real_and_invented_fixture_follows_the_profile():
    assert [schema.problems(release) for release in _releases()] == [[]] * len(_releases())


def test_the_shipped_profile_is_what_profilebuilder_builds_from_the_shipped_sources(tmp_path):
    """tools/build_uk_profile.py, offline: the standard, the nine dependencies and the UK
    extension are read from the package; its output must be the shipped uk_profile/."""
    root = Path(__file__).resolve().parents[3]
    built = subprocess.run(
        [sys.executable, str(root / "tools" / "build_uk_profile.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9"},
    )
    assert built.returncode == 0, built.stderr
    shipped = schema.PROFILE_DIR

    def built_files(folder: Path) -> list[str]:
        return sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != "README.md"
        )

    names = built_files(shipped)
    assert names == built_files(tmp_path)
    for name in names:
        assert (tmp_path / name).read_text() == (shipped / name).read_text(), name
    assert {"release-schema.json", "codelists/penaltyType.csv"} <= set(names)
