"""A second charter for the public pages' tests: a row with its words, no scheme."""

from __future__ import annotations

from charter.models import Charter


def new_charter(slug: str = "worcestershire", area: str = "Worcestershire") -> Charter:
    return Charter(
        slug=slug,
        name=f"{area} Commercial Social Value Charter",
        service_name=f"{area} Social Value Charter",
        running_body=f"{area} County Council",
        area=area,
        description=f"The social value {area} asks of its suppliers.",
    )
