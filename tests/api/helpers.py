"""Fetching API responses and checking them against the OpenAPI document's own schemas."""

from __future__ import annotations

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from charter.api.openapi import OPENAPI

DOCUMENT_URI = "urn:charter-api:openapi"
_registry = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(OPENAPI))


def response_schema(path: str, status: int) -> dict:
    """The documented JSON schema of ``path``'s GET response for ``status``, its $refs
    resolved within the document."""
    responses = OPENAPI["paths"][path]["get"]["responses"]
    assert str(status) in responses, f"{status} is not documented for GET {path}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    return {"$id": DOCUMENT_URI + "/response", **_rebase(schema)}


def _rebase(schema: dict) -> dict:
    # A $ref such as "#/components/schemas/X" names a place in the whole document.
    ref = schema.get("$ref")
    return {**schema, "$ref": DOCUMENT_URI + ref} if ref and ref.startswith("#") else schema


def validate(body, path: str, status: int) -> None:
    validator = Draft202012Validator(
        response_schema(path, status), registry=_registry, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def get_json(client, url: str, path: str, status: int = 200):
    """GET ``url``, expect ``status`` with a JSON body valid against the schema documented for
    ``path`` (an OpenAPI path template, e.g. "/organisations/{slug}"), and return the body."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    validate(body, path, status)
    return body
