"""The API's OpenAPI 3.1 document. Schemas are JSON Schema 2020-12, so tests validate every
response against them: a change to a response that the document does not follow fails."""

from __future__ import annotations

from charter.models.organisation import ORGANISATION_SIZES, ORGANISATION_TYPES
from charter.models.scheme import UNITS
from charter.services.domain.marks import STANDING_LABELS
from charter.services.read_models.register import PUBLIC_STATUS_LABELS, STANDING_FILTERS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _error(description: str) -> dict:
    return {"description": description, "content": _json(_ref("Error"))}


DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
LINKS = {
    "type": "object",
    "required": ["self", "html"],
    "properties": {
        "self": {**URL, "description": "This resource in the API"},
        "html": {**URL, "description": "The human-readable page on the register"},
    },
    "additionalProperties": False,
}
STANDINGS = {"type": "string", "enum": list(STANDING_LABELS)}

NOT_FOUND = _error("Not found: unknown, or not on the public register")
BAD_PARAMETER = _error("A parameter is not valid; `error.parameter` names it")


def _string_query(name: str, description: str, **schema) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": ["invalid_parameter", "not_found", "method_not_allowed"],
                    },
                    "message": {"type": "string"},
                    "parameter": {"type": "string"},
                },
                "additionalProperties": False,
            }
        },
        "additionalProperties": False,
    },
    "CharterMarkSummary": {
        "type": "object",
        "required": ["certificate_number", "awarded_on", "expires_on", "standing"],
        "properties": {
            "certificate_number": {"type": "string", "pattern": "^CM-[0-9A-Z]{8}$"},
            "awarded_on": DATE,
            "expires_on": DATE,
            "standing": STANDINGS,
        },
        "additionalProperties": False,
    },
    "Organisation": {
        "type": "object",
        "description": "An organisation on the public register.",
        "required": [
            "slug",
            "name",
            "org_id",
            "type",
            "size",
            "sector",
            "town",
            "district",
            "status",
            "status_label",
            "signed_on",
            "charter_mark",
            "links",
        ],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "org_id": {
                "type": ["string", "null"],
                "description": "org-id.guide identifier, e.g. GB-COH-01234567",
            },
            "type": {"type": "string", "enum": list(ORGANISATION_TYPES)},
            "size": {"type": "string", "enum": list(ORGANISATION_SIZES)},
            "sector": {"type": "string"},
            "town": {"type": "string"},
            "district": {"type": "string"},
            "status": {"type": "string", "enum": list(PUBLIC_STATUS_LABELS)},
            "status_label": {"type": "string", "enum": list(PUBLIC_STATUS_LABELS.values())},
            "signed_on": {**_nullable(DATE), "description": "Latest signature of the charter"},
            "charter_mark": _nullable(_ref("CharterMarkSummary")),
            "links": LINKS,
            "published_figures": {
                "type": "array",
                "description": "Only on a single organisation, and only when it has agreed to "
                "publish them: its verified figures per measure and period.",
                "items": _ref("PublishedMeasure"),
            },
        },
        "additionalProperties": False,
    },
    "PublishedMeasure": {
        "type": "object",
        "required": ["measure_code", "measure_title", "unit", "figures"],
        "properties": {
            "measure_code": {"type": "string"},
            "measure_title": {"type": "string"},
            "unit": {"type": "string"},
            "figures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["period_start", "period_end", "value"],
                    "properties": {
                        "period_start": DATE,
                        "period_end": DATE,
                        "value": {"type": "string", "description": "A decimal number, as text"},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    },
    "OrganisationList": {
        "type": "object",
        "required": ["data", "links"],
        "properties": {
            "data": {"type": "array", "items": _ref("Organisation")},
            "links": {
                "type": "object",
                "required": ["self", "next"],
                "properties": {
                    "self": URL,
                    "next": {
                        **_nullable(URL),
                        "description": "The next page, or null on the last page",
                    },
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    },
    "OrganisationResponse": {
        "type": "object",
        "required": ["data"],
        "properties": {"data": _ref("Organisation")},
        "additionalProperties": False,
    },
    "Certificate": {
        "type": "object",
        "required": [
            "certificate_number",
            "holder",
            "awarded_on",
            "expires_on",
            "scheme",
            "standing",
            "standing_label",
            "links",
        ],
        "properties": {
            "certificate_number": {"type": "string"},
            "holder": {
                "description": "The holder, or null when it is no longer on the public register",
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["name", "slug", "links"],
                        "properties": {
                            "name": {"type": "string"},
                            "slug": {"type": "string"},
                            "links": LINKS,
                        },
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ],
            },
            "awarded_on": DATE,
            "expires_on": DATE,
            "scheme": {
                "type": "object",
                "required": ["name", "version"],
                "properties": {"name": {"type": "string"}, "version": {"type": "integer"}},
                "additionalProperties": False,
            },
            "standing": STANDINGS,
            "standing_label": {"type": "string", "enum": list(STANDING_LABELS.values())},
            "links": LINKS,
        },
        "additionalProperties": False,
    },
    "CertificateResponse": {
        "type": "object",
        "required": ["data"],
        "properties": {"data": _ref("Certificate")},
        "additionalProperties": False,
    },
    "Scheme": {
        "type": "object",
        "required": [
            "name",
            "version",
            "area",
            "principles",
            "measures",
            "award_rule",
            "validity_months",
        ],
        "properties": {
            "name": {"type": "string"},
            "version": {"type": "integer", "minimum": 1},
            "area": {"type": "string"},
            "principles": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "title", "description"],
                    "properties": {
                        "code": {"type": "string"},
                        "title": {"type": "string"},
                        "description": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
            "measures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "toms_ref", "title", "unit", "is_core", "proxy_value"],
                    "properties": {
                        "code": {"type": "string"},
                        "toms_ref": {
                            "type": ["string", "null"],
                            "description": "National TOMs reference, e.g. NT1",
                        },
                        "title": {"type": "string"},
                        "unit": {"type": "string", "enum": list(UNITS)},
                        "is_core": {"type": "boolean"},
                        "proxy_value": {
                            "type": ["number", "null"],
                            "description": "Proxy value in £ per unit, set by the scheme",
                        },
                    },
                    "additionalProperties": False,
                },
            },
            "award_rule": {
                "type": "object",
                "required": [
                    "min_verified_returns",
                    "all_core_measures_met",
                    "min_share_of_targets_met",
                ],
                "properties": {
                    "min_verified_returns": {"type": "integer", "minimum": 0},
                    "all_core_measures_met": {"type": "boolean"},
                    "min_share_of_targets_met": {
                        "type": "number",
                        "minimum": 0,
                        "maximum": 100,
                        "description": "Percentage of all targets that must be met",
                    },
                },
                "additionalProperties": False,
            },
            "validity_months": {"type": "integer", "minimum": 1},
        },
        "additionalProperties": False,
    },
    "SchemeResponse": {
        "type": "object",
        "required": ["data"],
        "properties": {"data": _ref("Scheme")},
        "additionalProperties": False,
    },
    "OpenAPIDocument": {
        "type": "object",
        "required": ["openapi", "info", "paths"],
        "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\."}},
    },
}

_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The organisation's slug, as in /register/{slug}",
    "schema": {"type": "string"},
}
_NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "Certificate number, e.g. CM-7K3F9QX2; case, spaces and hyphens are ignored",
    "schema": {"type": "string"},
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Social Value Charter register API",
        "version": "1.0.0",
        "description": "Read-only, public data about the Social Value Charter: the register of "
        "signatories and Charter Mark holders, certificate checks and the current scheme. "
        "No sign-in; responses may be cached for 5 minutes.",
        "license": {
            "name": "Open Government Licence v3.0",
            "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        },
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/organisations": {
            "get": {
                "operationId": "listOrganisations",
                "summary": "Organisations on the public register, by name",
                "description": "Keyset pagination: follow `links.next` until it is null.",
                "parameters": [
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
                        "content": _json(_ref("OrganisationList")),
                    },
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
                        "content": _json(_ref("OrganisationResponse")),
                    },
                    "404": NOT_FOUND,
                },
            }
        },
        "/certificates/{number}": {
            "get": {
                "operationId": "showCertificate",
                "summary": "Check a Charter Mark certificate's standing today",
                "parameters": [_NUMBER],
                "responses": {
                    "200": {
                        "description": "The certificate",
                        "content": _json(_ref("CertificateResponse")),
                    },
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
                        "content": _json(_ref("SchemeResponse")),
                    },
                    "404": _error("No scheme has been loaded"),
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
                        "content": _json(_ref("OpenAPIDocument")),
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
