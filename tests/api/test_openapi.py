"""The OpenAPI document: served, well-formed, and describing every route the API has."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from charter.api import bp
from charter.api.openapi import OPENAPI
from tests.api.helpers import get_json

CATCH_ALL = "api.unknown_path"


def test_document_is_served_as_json(client):
    body = get_json(client, "/api/v1/openapi.json", "/openapi.json")
    assert body == OPENAPI
    assert body["openapi"].startswith("3.1.")


def test_every_api_route_is_documented(app):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != CATCH_ALL
    ]
    assert len(rules) == 6
    for rule in rules:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix(bp.url_prefix))
        assert path in OPENAPI["paths"], f"{rule.rule} is not in the OpenAPI document"
        assert set(rule.methods) - {"HEAD", "OPTIONS"} == {"GET"}
        assert set(OPENAPI["paths"][path]) == {"get"}
        documented = {p["name"] for p in OPENAPI["paths"][path]["get"].get("parameters", [])}
        assert set(rule.arguments) <= documented


def test_every_schema_is_valid_json_schema_and_every_ref_resolves():
    for schema in OPENAPI["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    text = repr(OPENAPI)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in OPENAPI["components"]["schemas"]


def test_every_operation_documents_json_responses():
    for path, item in OPENAPI["paths"].items():
        responses = item["get"]["responses"]
        assert "200" in responses, path
        for status, response in responses.items():
            if status == "304":  # a revalidated cache entry: no body
                assert "content" not in response
                continue
            assert "application/json" in response["content"]


def test_unknown_path_under_the_api_is_a_json_404(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", ["/api/v1/organisations", "/api/v1/scheme", "/api/v1/nothing"])
def test_other_methods_are_a_json_405(client, url):
    response = client.post(url)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_errors_are_not_cached(client):
    response = client.get("/api/v1/organisations?limit=0")
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_other_methods_outside_the_api_are_not_json(client):
    response = client.put("/c/shropshire/register")
    assert response.status_code == 405
    assert response.mimetype != "application/json"
