"""A second charter for the tests: a row with its words and no scheme (``new_charter``), or
Shropshire's scheme file as another charter's (``second_charter_text``), to load."""

from __future__ import annotations

import re
from pathlib import Path

from flask import current_app

from charter.models import Charter

WORCESTERSHIRE = "worcestershire"


def new_charter(slug: str = "worcestershire", area: str = "Worcestershire") -> Charter:
    return Charter(
        slug=slug,
        name=f"{area} Commercial Social Value Charter",
        service_name=f"{area} Social Value Charter",
        running_body=f"{area} County Council",
        area=area,
        description=f"The social value {area} asks of its suppliers.",
    )


def second_charter_text(districts: str | None = None) -> str:
    """Shropshire's scheme file as another charter's: its own slug, name and running body."""
    text = Path(current_app.config["DEFAULT_SCHEME_FILE"]).read_text(encoding="utf-8")
    text = text.replace('slug = "supporting-the-local-economy"', 'slug = "worcestershire-test"')
    text = text.replace('slug = "shropshire"', f'slug = "{WORCESTERSHIRE}"')
    text = text.replace(
        'name = "Social Value Charter for Shropshire"',
        'name = "Worcestershire Commercial Social Value Charter"',
    )
    text = text.replace(
        'running_body = "Social Value Group"', 'running_body = "Worcestershire County Council"'
    )
    if districts is not None:
        text = re.sub(r"(?s)\ndistricts = \[.*?\]", f"\ndistricts = {districts}", text, count=1)
    return text
