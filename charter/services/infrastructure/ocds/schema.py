"""The OCDS profile Find a Tender publishes under, for checking each release and for the merge
rules that compile an ``ocid``'s releases into one record: the OCDS 1.1 release schema (1.1.5,
Apache 2.0, open-contracting/standard; see ``schema/README.md``) patched by the nine extensions
the UK extension depends on and by the UK extension itself (MIT, Cabinet Office; see
``uk_extension/README.md``), with their codelists. It is built by ocdsextensionregistry's
ProfileBuilder (``tools/build_uk_profile.py``) into ``uk_profile/`` and shipped, so the service
reads one file and fetches nothing. A UK field of the wrong type (``aboveThreshold`` that is
not a boolean) refuses the release, and so does a code that is not in a closed codelist (a
``penaltyType``, a bid's ``status``, an award's ``mainProcurementCategory``): the profile gives
each closed codelist's field its codes as an ``enum``, as OCDS's own schema does.

Compiling uses ocdsmerge's Merger, the merger ocdskit's ``compile`` command runs, given the
shipped schema's path so its merge rules are read from disk, never fetched. (ocdskit's own
``merge`` helper is not called: it registers a global sqlite3 adapter for every dict and
writes a temporary file per call.) Format checks (dates, URIs) are not made: the schema's
structure and types are, as the OCDS validator's structural checks do.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import ocdsmerge
from jsonschema import Draft4Validator
from ocdsmerge.exceptions import OCDSMergeError

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA = SCHEMA_DIR / "release-schema.json"
PROFILE_DIR = Path(__file__).resolve().parent / "uk_profile"
PROFILE_SCHEMA = PROFILE_DIR / "release-schema.json"
# How many of a release's problems a message names.
PROBLEMS_SHOWN = 3


class CompileFailed(ValueError):
    """The releases of one ocid cannot be merged (e.g. a field an object in one, a list in
    another)."""


@cache
def release_schema() -> dict[str, Any]:
    """The OCDS 1.1.5 release schema patched with the UK extension and its dependencies, with
    closed codelists as enums (do not change it)."""
    return json.loads(PROFILE_SCHEMA.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft4Validator:
    return Draft4Validator(inline_definitions(release_schema()))


def inline_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each ``{"$ref": "#/definitions/X"}`` replaced by definition X itself
    (recursively; a definition that refers back to itself keeps its ``$ref``). Draft 4 ignores
    a ``$ref``'s sibling keywords, so the schema validates exactly as before; resolving the
    references once here, not on every release, halves the time each release's check takes."""
    definitions = schema.get("definitions", {})

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.removeprefix("#/definitions/")
            if name in definitions and name not in seen:
                return inline(definitions[name], (*seen, name))
            return node
        return {key: inline(value, seen) for key, value in node.items()}

    return inline(schema, ())


@cache
def _merger() -> ocdsmerge.Merger:
    return ocdsmerge.Merger(schema=copy.deepcopy(release_schema()))


def problems(release: dict[str, Any]) -> list[str]:
    """What in ``release`` breaks the release schema, as "path: message", the first few."""
    found = sorted(_validator().iter_errors(release), key=lambda e: list(map(str, e.path)))
    out = []
    for error in found[:PROBLEMS_SHOWN]:
        where = "/".join(str(p) for p in error.path) or "the release"
        codelist = _codelist(error) if error.validator == "enum" else None
        if codelist:
            message = f"{_shown(error.instance)} is not a code of the closed codelist {codelist}"
        else:
            message = error.message if len(error.message) <= 120 else error.message[:117] + "..."
        out.append(f"{where}: {message}")
    return out


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _codelist(error) -> str | None:
    """The closed codelist whose codes an ``enum`` error's field must take (the field's own
    ``codelist``, or its parent's when the field is an item of a list of codes)."""
    node: Any = _validator().schema
    nodes = [node]
    for key in list(error.schema_path)[:-1]:
        node = node[key]
        nodes.append(node)
    for candidate in (nodes[-1], nodes[-2] if len(nodes) > 1 else None):
        if isinstance(candidate, dict) and isinstance(candidate.get("codelist"), str):
            return candidate["codelist"].removesuffix(".csv")
    return None


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of one ocid's releases (latest date wins, field by field)."""
    try:
        return _merger().create_compiled_release(releases)
    except OCDSMergeError as error:
        raise CompileFailed(str(error)[:300]) from error
