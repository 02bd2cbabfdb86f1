"""The API's OpenAPI 3.1 document: its paths and parameters. The response schemas are JSON
Schema 2020-12 (``openapi_schemas``), so tests validate every response against them: a change to
a response that the document does not follow fails."""

from __future__ import annotations

from charter.api.openapi_schemas import (
    BAD_PARAMETER,
    NOT_FOUND,
    SCHEMAS,
    error_doc,
    json_content,
    schema_ref,
)
from charter.models.organisation import ORGANISATION_TYPES
from charter.services.read_models.register_query import STANDING_FILTERS


def _string_query(name: str, description: str, **schema) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The organisation's slug, as in /c/{charter}/register/{slug}",
    "schema": {"type": "string"},
}
_NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "Certificate number, e.g. CM-7K3F9QX2; case, spaces and hyphens are ignored",
    "schema": {"type": "string"},
}

_CHARTER = {
    "name": "charter",
    "in": "query",
    "required": False,
    "description": "A charter's slug (see /charters): only its organisations or certificates. "
    "An unknown slug is a 400",
    "schema": {"type": "string"},
}

# Register answers carry an ETag; a client sending it back in If-None-Match gets this.
NOT_MODIFIED = {"description": "Not modified since the response whose ETag was sent"}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Social Value Charter register API",
        "version": "1.0.0",
        "description": "Read-only, public data about the social value charters this service "
        "hosts: the charters, each one's register of signatories and Charter Mark holders, "
        "certificate checks and the current scheme. "
        "No sign-in; responses may be cached for 5 minutes, then revalidated with their ETag.",
        "license": {
            "name": "Open Government Licence v3.0",
            "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        },
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/charters": {
            "get": {
                "operationId": "listCharters",
                "summary": "The charters this service hosts, each with its register",
                "responses": {
                    "200": {
                        "description": "Every charter, the first (the default) first",
                        "content": json_content(schema_ref("CharterList")),
                    },
                    "304": NOT_MODIFIED,
                },
            }
        },
        "/organisations": {
            "get": {
                "operationId": "listOrganisations",
                "summary": "Organisations on the public register, by name",
                "description": "Keyset pagination: follow `links.next` until it is null.",
                "parameters": [
                    _CHARTER,
                    _string_query("q", "Part of the name, ignoring case"),
                    _string_query("district", "Exact district, e.g. Shrewsbury"),
                    _string_query(
                        "type", "Organisation type (empty: any)", enum=["", *ORGANISATION_TYPES]
                    ),
                    _string_query("sector", "Exact sector, e.g. Construction"),
                    _string_query(
                        "standing",
                        "holders: Charter Mark holders; signatories: working towards it "
                        "(empty: any)",
                        enum=["", *STANDING_FILTERS],
                    ),
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "Organisations per page",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
                    },
                    _string_query("cursor", "Opaque: taken from `links.next`"),
                ],
                "responses": {
                    "200": {
                        "description": "A page of organisations",
                        "content": json_content(schema_ref("OrganisationList")),
                    },
                    "304": NOT_MODIFIED,
                    "400": BAD_PARAMETER,
                },
            }
        },
        "/organisations/{slug}": {
            "get": {
                "operationId": "showOrganisation",
                "summary": "One organisation on the public register",
                "parameters": [_SLUG],
                "responses": {
                    "200": {
                        "description": "The organisation",
                        "content": json_content(schema_ref("OrganisationResponse")),
                    },
                    "404": NOT_FOUND,
                },
            }
        },
        "/certificates/{number}": {
            "get": {
                "operationId": "showCertificate",
                "summary": "Check a Charter Mark certificate's standing today",
                "parameters": [_NUMBER, _CHARTER],
                "responses": {
                    "200": {
                        "description": "The certificate",
                        "content": json_content(schema_ref("CertificateResponse")),
                    },
                    "304": NOT_MODIFIED,
                    "400": BAD_PARAMETER,
                    "404": NOT_FOUND,
                },
            }
        },
        "/scheme": {
            "get": {
                "operationId": "showScheme",
                "summary": "The current scheme: principles, measures and the award rule",
                "responses": {
                    "200": {
                        "description": "The current scheme",
                        "content": json_content(schema_ref("SchemeResponse")),
                    },
                    "304": NOT_MODIFIED,
                    "404": error_doc("No scheme has been loaded"),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "showOpenAPI",
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "The OpenAPI 3.1 document",
                        "content": json_content(schema_ref("OpenAPIDocument")),
                    }
                },
            }
        },
    },
    "components": {
        "schemas": SCHEMAS,
        "responses": {"NotFound": NOT_FOUND, "BadParameter": BAD_PARAMETER},
    },
}
