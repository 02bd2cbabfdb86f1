"""Build the OCDS profile Find a Tender publishes under, from the files shipped in the package,
with ocdsextensionregistry's ProfileBuilder (the Open Contracting Partnership's own tool for
it), so that checking an imported release never fetches anything:

    python tools/build_uk_profile.py [OUTPUT_DIR]   # default: the package's uk_profile/

It reads OCDS 1.1.5 (``schema/``, with its codelists), the nine extensions the UK extension
depends on (``uk_dependencies/``, as its ``extension.json`` names them) and the UK extension
(``uk_extension/``), each from disk, and writes ``release-schema.json`` (the release schema
patched by every extension, dependencies first) and ``codelists/`` (the standard's codelists
with the extensions' new ones and their ``+``/``-`` changes applied). In the schema, each field
whose codelist is closed (``"openCodelist": false``) gets the patched codelist's codes as its
``enum``, as OCDS's own schema writes its closed codelists, so a release with another code is
refused like any other schema error. The test suite builds it again and compares, so the
shipped profile is always what the shipped sources make.

ocdsextensionregistry is a development dependency only: it brings requests-cache and its
dependencies, which the service does not need at run time to read two files.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

from ocdsextensionregistry import ProfileBuilder
from ocdsextensionregistry.extension_version import ExtensionVersion

OCDS = Path(__file__).resolve().parents[1] / "charter" / "services" / "infrastructure" / "ocds"
STANDARD_TAG = "1__1__5"
# The UK extension's `dependencies`, in its order; then the UK extension itself.
DEPENDENCIES = (
    "ocds_awardCriteria_extension",
    "ocds_bid_extension",
    "ocds_communication_extension",
    "ocds_location_extension",
    "ocds_otherRequirements_extension",
    "ocds_performance_failures_extension",
    "ocds_subcontracting_extension",
    "ocds_suitability_extension",
    "ocds_techniques_extension",
)


def _local_extension(folder: Path) -> ExtensionVersion:
    """An extension read from a folder: its files given to ProfileBuilder, so nothing is
    downloaded (``remote`` reads the files it was given)."""
    version = ExtensionVersion(
        {"Id": None, "Date": None, "Version": None, "Base URL": None, "Download URL": None}
    )
    version.base_url = folder.as_uri() + "/"
    version._files = {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in (".json", ".csv")
    }
    return version


def _standard_zip() -> bytes:
    """OCDS 1.1.5's schema folder as the ZIP ProfileBuilder reads a standard from."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard/", "")
        for path in sorted((OCDS / "schema").rglob("*")):
            if path.is_file() and path.suffix in (".json", ".csv"):
                name = path.relative_to(OCDS / "schema").as_posix()
                archive.writestr(f"standard/schema/{name}", path.read_bytes())
    return buffer.getvalue()


class LocalProfileBuilder(ProfileBuilder):
    def __init__(self, folders: list[Path]) -> None:
        super().__init__(STANDARD_TAG, [], standard_base_url=_standard_zip())
        self._folders = folders

    def extensions(self):
        for folder in self._folders:
            yield _local_extension(folder)


def builder() -> LocalProfileBuilder:
    folders = [OCDS / "uk_dependencies" / name for name in DEPENDENCIES]
    return LocalProfileBuilder([*folders, OCDS / "uk_extension"])


def _close_codelists(node, codes: dict[str, list[str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _close_codelists(item, codes)
        return
    if not isinstance(node, dict):
        return
    name = node.get("codelist")
    if isinstance(name, str) and node.get("openCodelist") is False:
        if name not in codes:
            raise SystemExit(f"{name} is a closed codelist no extension ships")
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        target = node["items"] if "array" in types and "items" in node else node
        target["enum"] = [*codes[name], *([None] if "null" in types and target is node else [])]
    for value in node.values():
        _close_codelists(value, codes)


def build(output: Path) -> None:
    profile = builder()
    schema = profile.patched_release_schema()
    codelists = {codelist.name: codelist for codelist in profile.patched_codelists()}
    _close_codelists(schema, {name: list(c.codes) for name, c in codelists.items()})
    (output / "codelists").mkdir(parents=True, exist_ok=True)
    (output / "release-schema.json").write_text(
        json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for name, codelist in sorted(codelists.items()):
        fields = list(dict.fromkeys(key for row in codelist.rows for key in row))
        with (output / "codelists" / name).open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(codelist.rows)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OCDS / "uk_profile")
