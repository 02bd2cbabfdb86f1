"""Scheme file texts for the tests: the default file, the same file as it was written before
charters were data (an [issuer] table, no [charter]), and the default file for another charter."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[3] / "schemes" / "supporting-the-local-economy.toml"
ISSUER_TABLE = (
    "[issuer]\n"
    'name = "Social Value Group"\n'
    "members = \"representatives from the Local Authority, Health, Police & Crime Commissioner's"
    ' Office, Housing and the Voluntary & Community Sector"\n'
)
# The Shropshire proposal, where a checkout has the councils' documents beside it.
SEEDS = [
    folder / "shared" / "seeds" / "004_c94ad31bc1c7676b.txt"
    for folder in (DEFAULT.parents[2], DEFAULT.parents[3])
]
_CHARTER_TABLE = re.compile(r"^\[charter\]\n(?:[a-z_]+ = .*\n)+", re.MULTILINE)


def default_text() -> str:
    return DEFAULT.read_text(encoding="utf-8")


def without_charter(text: str | None = None) -> str:
    """The file with its [charter] table taken out and the running body as [issuer] again."""
    text = default_text() if text is None else text
    changed, found = _CHARTER_TABLE.subn(ISSUER_TABLE, text)
    assert found == 1, "the default scheme file has one [charter] table"
    return changed


def charter_line(key: str, value: str, text: str | None = None) -> str:
    """The file with ``key = value`` (TOML, written as given) in its [charter] table, in place of
    the key's line if it has one."""
    text = default_text() if text is None else text
    table = _CHARTER_TABLE.search(text)
    assert table is not None
    lines = [line for line in table.group(0).splitlines() if not line.startswith(f"{key} = ")]
    lines.append(f"{key} = {value}")
    return text[: table.start()] + "\n".join(lines) + "\n" + text[table.end() :]


def another_charter(slug: str = "worcestershire", scheme_slug: str = "worcestershire-pledges"):
    """The default file as another charter's scheme: its own charter slug and scheme slug."""
    text = charter_line("slug", f'"{slug}"')
    text = charter_line("name", f'"Charter {slug}"', text)
    return text.replace('slug = "supporting-the-local-economy"', f'slug = "{scheme_slug}"', 1)
