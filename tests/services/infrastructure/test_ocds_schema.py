"""The release schema's references are resolved once (schema.inline_definitions) so each
release's check is quicker: the checks must find exactly what the schema as published finds,
on good and broken releases alike."""

from __future__ import annotations

import copy
import json
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


@pytest.mark.parametrize("release", _releases() + _broken())
def test_the_inlined_schema_finds_what_the_published_one_finds(release):
    published = Draft4Validator(json.loads(schema.RELEASE_SCHEMA.read_text()))
    assert _errors(schema._validator(), release) == _errors(published, release)


def test_the_broken_releases_are_broken():
    assert all(schema.problems(release) for release in _broken())
