"""The JSON Schemas (2020-12) of the API's responses: the components of its OpenAPI document.
Tests validate every response against them."""

from __future__ import annotations

from charter.models.organisation import ORGANISATION_SIZES, ORGANISATION_TYPES
from charter.models.scheme import UNITS
from charter.services.domain.marks import STANDING_LABELS
from charter.services.domain.regions import REGIONS
from charter.services.read_models.register_query import PUBLIC_STATUS_LABELS


def schema_ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def error_doc(description: str) -> dict:
    return {"description": description, "content": json_content(schema_ref("Error"))}


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

NOT_FOUND = error_doc("Not found: unknown, or not on the public register")
BAD_PARAMETER = error_doc("A parameter is not valid; `error.parameter` names it")


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
            "status_label": {
                "type": "string",
                "description": "The status in words, e.g. 'Charter Mark holder' or 'Charter "
                "signatory — Charter Mark expired on 24 October 2028'",
            },
            "signed_on": {**_nullable(DATE), "description": "Latest signature of the charter"},
            "charter_mark": _nullable(schema_ref("CharterMarkSummary")),
            "links": LINKS,
            "published_figures": {
                "type": "array",
                "description": "Only on a single organisation, and only when it has agreed to "
                "publish them: its verified figures per measure and period.",
                "items": schema_ref("PublishedMeasure"),
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
            "data": {"type": "array", "items": schema_ref("Organisation")},
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
        "properties": {"data": schema_ref("Organisation")},
        "additionalProperties": False,
    },
    "Certificate": {
        "type": "object",
        "required": [
            "certificate_number",
            "holder",
            "awarded_on",
            "expires_on",
            "charter",
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
            "charter": {
                "description": "The charter the Mark belongs to",
                "type": "object",
                "required": ["slug", "name"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                "additionalProperties": False,
            },
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
    "Charter": {
        "type": "object",
        "required": ["slug", "name", "running_body", "area", "region", "description", "links"],
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "name": {"type": "string"},
            "running_body": {
                "type": "string",
                "description": "The council or partnership that runs it and issues its Marks",
            },
            "area": {"type": "string"},
            "region": {
                "type": ["object", "null"],
                "description": "The ONS region its area is in; null where none is given",
                "required": ["slug", "name", "impact"],
                "properties": {
                    "slug": {"type": "string", "enum": list(REGIONS)},
                    "name": {"type": "string", "enum": list(REGIONS.values())},
                    "impact": {
                        **URL,
                        "description": "What the region's charters deliver together",
                    },
                },
                "additionalProperties": False,
            },
            "description": {"type": "string"},
            "links": {
                "type": "object",
                "required": ["html", "register", "organisations"],
                "properties": {
                    "html": {**URL, "description": "The charter's home page"},
                    "register": {**URL, "description": "Its register's page"},
                    "organisations": {**URL, "description": "Its organisations in the API"},
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    },
    "CharterList": {
        "type": "object",
        "required": ["data"],
        "properties": {"data": {"type": "array", "items": schema_ref("Charter")}},
        "additionalProperties": False,
    },
    "CertificateResponse": {
        "type": "object",
        "required": ["data"],
        "properties": {"data": schema_ref("Certificate")},
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
            "renewal_runs_from_expiry",
            "issuer",
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
            "renewal_runs_from_expiry": {
                "type": "boolean",
                "description": "Whether a renewal awarded before the current Mark expires runs "
                "from that expiry date (no days lost) rather than from the award date",
            },
            "issuer": {
                "type": "object",
                "description": "Who runs the charter and issues its Charter Marks, as printed "
                "on every certificate",
                "required": ["name", "members"],
                "properties": {
                    "name": {"type": "string"},
                    "members": {"type": ["string", "null"]},
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    },
    "SchemeResponse": {
        "type": "object",
        "required": ["data"],
        "properties": {"data": schema_ref("Scheme")},
        "additionalProperties": False,
    },
    "OpenAPIDocument": {
        "type": "object",
        "required": ["openapi", "info", "paths"],
        "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\."}},
    },
}
