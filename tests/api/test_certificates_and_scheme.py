"""GET /api/v1/certificates/<number> and /api/v1/scheme."""

from __future__ import annotations

from charter.extensions import db
from tests.api.helpers import get_json
from tests.factories import make_mark
from tests.public.register_helpers import make_holder, make_signatory

CERTIFICATE = "/certificates/{number}"
SCHEME = "/scheme"


def test_certificate_of_a_public_holder(client, scheme):
    holder, mark = make_holder(scheme, "Acorn Care")
    body = get_json(client, f"/api/v1/certificates/{mark.certificate_number}", CERTIFICATE)
    data = body["data"]
    assert data["certificate_number"] == mark.certificate_number
    assert data["holder"]["name"] == "Acorn Care"
    assert data["holder"]["slug"] == holder.slug
    assert data["awarded_on"] == mark.awarded_on.isoformat()
    assert data["expires_on"] == mark.expires_on.isoformat()
    assert data["scheme"] == {"name": scheme.name, "version": scheme.version}
    assert data["standing"] == "valid"
    assert data["standing_label"] == "Valid"


def test_certificate_number_as_typed(client, scheme):
    _holder, mark = make_holder(scheme, "Acorn Care")
    typed = mark.certificate_number.lower().replace("cm-", "cm ")
    body = get_json(client, f"/api/v1/certificates/{typed}", CERTIFICATE)
    assert body["data"]["certificate_number"] == mark.certificate_number


def test_revoked_certificate_says_so(client, scheme):
    organisation = make_signatory(scheme, "Revoked Ltd", status="monitoring")
    mark = make_mark(organisation, scheme, status="revoked")
    data = get_json(client, f"/api/v1/certificates/{mark.certificate_number}", CERTIFICATE)["data"]
    assert data["standing"] == "revoked"
    assert data["standing_label"] == "Revoked"


def test_holder_off_the_register_is_not_named(client, scheme):
    organisation, mark = make_holder(scheme, "Gone Away Ltd")
    organisation.status = "withdrawn"
    db.session.commit()
    body = get_json(client, f"/api/v1/certificates/{mark.certificate_number}", CERTIFICATE)
    assert body["data"]["holder"] is None
    assert "Gone Away" not in str(body)
    assert organisation.slug not in str(body)


def test_unknown_certificate_is_a_json_404(client, scheme):
    for number in ("CM-22222222", "not-a-number"):
        body = get_json(client, f"/api/v1/certificates/{number}", CERTIFICATE, 404)
        assert body["error"]["code"] == "not_found"


def test_the_current_scheme(client, scheme):
    data = get_json(client, "/api/v1/scheme", SCHEME)["data"]
    assert data["name"] == scheme.name
    assert data["version"] == scheme.version
    assert data["area"] == scheme.area
    assert data["principles"]
    assert {"code", "title", "description"} == set(data["principles"][0])
    assert any(measure["is_core"] for measure in data["measures"])
    assert any(measure["toms_ref"] for measure in data["measures"])
    assert data["award_rule"]["min_verified_returns"] == scheme.min_verified_returns
    assert data["award_rule"]["all_core_measures_met"] is scheme.award_all_core_met
    assert data["award_rule"]["min_share_of_targets_met"] == float(scheme.award_min_share_met)
    assert data["validity_months"] == scheme.validity_months
    assert data["renewal_runs_from_expiry"] is scheme.renewal_runs_from_expiry
    assert data["issuer"] == {"name": scheme.issuer, "members": scheme.issuer_members}


def test_no_scheme_loaded_is_a_json_404(client):
    body = get_json(client, "/api/v1/scheme", SCHEME, 404)
    assert body["error"]["code"] == "not_found"
