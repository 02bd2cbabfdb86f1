"""Only what pyproject.toml cannot say (all metadata and dependencies are there).

The developers' guide keeps templates/, migrations/ and schemes/ beside the charter package.
An installed copy carries them inside it (site-packages/charter/templates...), found at run
time by charter/resources.py; here each of their folders becomes a data-only package mapped
to the checkout's folder. Packages are found, not listed, so a new one is never left out.
"""

import os

from setuptools import find_packages, setup

RESOURCES = ("templates", "migrations", "schemes")
# Files inside the package that are not Python (static/govuk is there once `make assets` ran).
PACKAGE_DATA = {
    "charter": ["static/**/*", "demo/*.toml"],
    "charter.services.domain": ["common_passwords.txt"],
    # The OCDS release schema, so checking and compiling notices never fetches it.
    "charter.services.infrastructure.ocds": [
        "schema/*.json",
        "schema/README.md",
        "schema/codelists/*.csv",
        # The UK extension, the extensions it depends on, and the profile built from them that
        # releases are checked against (uk_profile/README.md).
        "uk_extension/*.json",
        "uk_extension/README.md",
        "uk_extension/LICENSE",
        "uk_extension/codelists/*.csv",
        "uk_dependencies/README.md",
        "uk_dependencies/*/*.json",
        "uk_dependencies/*/LICENSE",
        "uk_dependencies/*/codelists/*.csv",
        "uk_profile/*.json",
        "uk_profile/README.md",
        "uk_profile/codelists/*.csv",
        # The social value extension the open contracting data names (served by the app).
        "social_value_extension/*.json",
        "social_value_extension/README.md",
    ],
}


def resource_packages() -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    packages, package_dir, package_data = [], {}, {}
    for top in RESOURCES:
        for root, subdirs, _files in os.walk(top):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            package = "charter." + root.replace(os.sep, ".")
            packages.append(package)
            package_dir[package] = root
            package_data[package] = ["*"]
    return packages, package_dir, package_data


extra_packages, extra_dirs, extra_data = resource_packages()
setup(
    packages=find_packages(include=["charter", "charter.*", "workflows", "workflows.*"])
    + extra_packages,
    package_dir=extra_dirs,
    package_data={**PACKAGE_DATA, **extra_data},
    include_package_data=False,
    py_modules=["config", "wsgi"],
)
