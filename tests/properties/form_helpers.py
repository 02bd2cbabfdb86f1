"""Finding every form in the service and the fields it sends, by reading the pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class FormSpec:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values seen
    counts: dict[str, int] = field(default_factory=dict)  # name -> inputs with that name


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self._current: FormSpec | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            action = urlsplit(attributes.get("action") or self.page_url).path
            self._current = FormSpec(action=action)
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag in ("input", "textarea", "select") and attributes.get("name"):
            name = attributes["name"]
            values = self._current.fields.setdefault(name, [])
            if attributes.get("type") not in ("radio", "checkbox"):
                self._current.counts[name] = self._current.counts.get(name, 0) + 1
            if attributes.get("value") is not None:
                values.append(attributes["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and attributes.get("value") is not None:
            self._current.fields[self._select].append(attributes["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_on(page_url: str, html: str) -> list[FormSpec]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def merge(forms: list[FormSpec]) -> dict[str, FormSpec]:
    """One spec per action, with every field and value seen on any page."""
    merged: dict[str, FormSpec] = {}
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for form in forms:
        for name, seen in form.fields.items():
            values[form.action][name].update(seen)
            counts[form.action][name] = max(1, form.counts.get(name, 1))
    for action, fields in values.items():
        merged[action] = FormSpec(
            action=action,
            fields={name: sorted(seen) for name, seen in fields.items()},
            counts=counts[action],
        )
    return merged
