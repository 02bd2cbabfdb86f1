"""The release schema's references are resolved once (schema.inline_definitions) so each
release's check is quicker: the checks must find exactly what the schema as published (OCDS
1.1.5 patched with the UK extension as published) finds, on good and broken releases alike.
A UK field of the wrong type is refused, though OCDS 1.1.5 alone lets it through."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from charter.services.infrastructure.ocds import schema

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ocds"
UK_PATCH = schema.UK_EXTENSION


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
    core = json.loads(schema.RELEASE_SCHEMA.read_text())
    published = Draft4Validator(schema.merge_patch(core, json.loads(UK_PATCH.read_text())))
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
