"""Where the service's non-Python files are, in a checkout and in an installed copy.

In a checkout, templates/, migrations/ and schemes/ sit beside the charter package, where the
developers' guide wants them. `pip install .` copies them *into* the package
(site-packages/charter/templates and so on, mapped in pyproject.toml), because an installed
copy must not scatter directories named "templates" across site-packages. So look inside the
package first, then beside it. Files that already live in the package (static/, the demo
TOML files, common_passwords.txt) need no lookup.

The instance folder (SQLite database, local evidence) is the checkout's instance/ when run
from a checkout, and otherwise CHARTER_INSTANCE_DIR or ./instance in the working directory:
an installed package directory is no place for data.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """``templates``, ``migrations`` or ``schemes``: the installed copy's, else the checkout's."""
    for candidate in (PACKAGE_DIR / name, CHECKOUT_DIR / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no {name}/ directory beside or inside {PACKAGE_DIR}")


def is_checkout() -> bool:
    return (CHECKOUT_DIR / "pyproject.toml").is_file() and (CHECKOUT_DIR / "wsgi.py").is_file()


def instance_dir() -> Path:
    configured = os.environ.get("CHARTER_INSTANCE_DIR")
    if configured:
        return Path(configured).resolve()
    if is_checkout():
        return CHECKOUT_DIR / "instance"
    return Path.cwd() / "instance"
