"""A charter's social value as open contracting data, through HTTP: a contract accepted from a
published notice, confirmed by its commissioner, with a verified figure its contract manager
endorsed, from an organisation on the register that publishes its figures, is in
/c/<charter>/open-contracting.json under the notice's ocid, and the package validates against
OCDS 1.1.5 patched with the service's social value extension. Anything short of that (no
consent, a hidden entry, an unendorsed or unverified figure, an unconfirmed contract) leaves it
out, and the impact build counts what the file publishes as known (disclosure control)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4
from sqlalchemy import select

from charter.extensions import db
from charter.models import ImpactCell, ReturnLine
from charter.models.impact import DIMENSION_COMMISSIONER
from charter.services.domain.signings import signing_of
from charter.services.infrastructure.ocds import SOCIAL_VALUE_EXTENSION_DIR
from charter.services.infrastructure.ocds.schema import SCHEMA_DIR
from charter.services.read_models.impact import build
from charter.services.read_models.open_contracting import NotExact, json_number
from tests.public.open_contracting_helpers import OCID, make_published

URL = "/c/shropshire/open-contracting.json"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def _merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch, as OCDS applies an extension's release-schema.json."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _package_validator() -> Draft4Validator:
    release = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    patch = json.loads((SOCIAL_VALUE_EXTENSION_DIR / "release-schema.json").read_text())
    patched = _merge_patch(release, patch)
    registry = Registry().with_resource(RELEASE_SCHEMA_URL, DRAFT4.create_resource(patched))
    package = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text())
    return Draft4Validator(package, registry=registry)


@pytest.fixture
def published(app, scheme, member):
    return make_published(scheme, member)


def test_the_contracts_figures_are_published_under_its_ocid(client, published):
    contract = published[1]
    response = client.get(URL)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "open-government-licence" in response.headers["Link"]
    package = response.get_json()
    (release,) = package["releases"]
    assert release["ocid"] == OCID
    assert release["id"].startswith(f"{OCID}-shropshire-social-value-")
    assert release["date"] == "2027-04-20T10:00:00Z"
    supplier = next(p for p in release["parties"] if p["roles"] == ["supplier"])
    assert supplier["id"] == "GB-COH-09876543"
    assert supplier["additionalIdentifiers"] == [{"scheme": "GB-PPON", "id": "PWLK-4821-TRNV"}]
    assert release["buyer"]["id"] == "GB-LAE-TFW"
    (published_contract,) = release["contracts"]
    assert published_contract["id"] == f"shropshire-contract-{contract.id}"
    assert published_contract["awardID"] == "1"
    assert published_contract["socialValue"]["figures"] == [
        {
            "measure": {
                "id": "LE1",
                "title": published_contract["socialValue"]["figures"][0]["measure"]["title"],
                "unit": "GBP",
            },
            "period": {"startDate": "2027-01-01", "endDate": "2027-03-31"},
            "amount": 1250.5,
        }
    ]
    # Exactly the figure: 1250.5 reads back as 1250.50.
    assert Decimal(repr(published_contract["socialValue"]["figures"][0]["amount"])) == Decimal(
        "1250.50"
    )


def test_the_package_validates_against_ocds_and_the_extension(client, published):
    package = client.get(URL).get_json()
    validator = _package_validator()
    assert list(validator.iter_errors(package)) == []
    assert package["extensions"] == [
        "http://localhost/open-contracting/social-value-extension/extension.json"
    ]
    # The extension does constrain: a figure that is not a number breaks it.
    broken = copy.deepcopy(package)
    broken["releases"][0]["contracts"][0]["socialValue"]["figures"][0]["amount"] = "1250.50"
    assert [e.message for e in validator.iter_errors(broken)] == [
        "'1250.50' is not of type 'number'"
    ]


def test_the_extension_files_are_served(client):
    for name in ("extension.json", "release-schema.json"):
        response = client.get(f"/open-contracting/social-value-extension/{name}")
        assert response.status_code == 200
        assert response.get_json() == json.loads((SOCIAL_VALUE_EXTENSION_DIR / name).read_text())
    assert client.get("/open-contracting/social-value-extension/..%2Fschema").status_code == 404
    assert client.get("/open-contracting/social-value-extension/README.md").status_code == 404


def _no_consent(organisation, contract, monitoring_return, figure):
    signing_of(organisation).publishes_figures = False


def _hidden(organisation, contract, monitoring_return, figure):
    signing_of(organisation).register_entry = "hidden"


def _not_endorsed(organisation, contract, monitoring_return, figure):
    figure.endorsement_status = "queried"


def _unverified(organisation, contract, monitoring_return, figure):
    monitoring_return.status = "submitted"


def _unconfirmed(organisation, contract, monitoring_return, figure):
    contract.confirmation_status = "unconfirmed"


def _flagged_unchecked(organisation, contract, monitoring_return, figure):
    db.session.get(ReturnLine, figure.return_line_id).flag_reasons = ["above the contract value"]


@pytest.mark.parametrize(
    "change",
    [_no_consent, _hidden, _not_endorsed, _unverified, _unconfirmed, _flagged_unchecked],
    ids=lambda f: f.__name__.strip("_"),
)
def test_anything_short_of_published_leaves_it_out(client, published, change):
    change(*published)
    db.session.commit()
    response = client.get(URL)
    assert response.status_code == 404
    assert "No social value" in response.get_data(as_text=True)


def test_the_impact_build_counts_the_published_figures_as_known(app, published):
    build.rebuild()
    db.session.commit()
    cells = db.session.scalars(
        select(ImpactCell).where(
            ImpactCell.dimension == DIMENSION_COMMISSIONER,
            ImpactCell.dimension_value == "Telford and Wrekin Council",
        )
    ).all()
    assert cells
    assert all(cell.published_total == Decimal("1250.50") for cell in cells)
    assert all(cell.published_organisations == 1 for cell in cells)

    signing_of(published[0]).publishes_figures = False
    db.session.commit()
    build.rebuild()
    db.session.commit()
    cells = db.session.scalars(
        select(ImpactCell).where(ImpactCell.dimension == DIMENSION_COMMISSIONER)
    ).all()
    assert all(cell.published_total == 0 for cell in cells)


@pytest.mark.parametrize(
    ("value", "number"),
    [("1250.50", 1250.5), ("1000.00", 1000), ("999999999999.99", 999999999999.99), ("0.01", 0.01)],
)
def test_figures_are_written_as_exact_json_numbers(value, number):
    written = json_number(Decimal(value))
    assert written == number and Decimal(repr(written)) == Decimal(value)


def test_a_figure_a_double_cannot_hold_is_refused_not_rounded():
    with pytest.raises(NotExact):
        json_number(Decimal("12345678901234567.89"))
