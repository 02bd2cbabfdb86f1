"""Which line of a scheme file a validation error is about.

tomllib gives the line of a syntax error but parses to plain dicts and lists, which remember no
position, so a file that parses but breaks a rule ("measure 12: unit 'GPB' must be one of ...")
would leave a council to hunt for measure 12 among thirty. Each ``SchemeFileError`` carries the
path of what it is about (``("measures", 11, "unit")``), and ``line_of`` finds that path's line
by reading the file's headers and keys once: ``[table]``, ``[[array.of.tables]]`` (counted, so
the twelfth ``[[measures]]`` is index 11) and ``key = value``. A path inside an inline value (the
second priority of ``priorities = [...]``) or a key the file left out gives the line of the
nearest thing the file has: the key, else its table's header.

A library that keeps positions (tomlkit) could answer this too, but it would be a second TOML
parser with its own reading of the file beside tomllib's, for the one lookup these few dozen
lines do; scheme files are written by hand in the subset of TOML this reads (docs/charters.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from charter.services.domain.scheme_settings import SchemeFileError

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r'^\s*((?:[A-Za-z0-9_-]+|"[^"]*")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*=')

Path = tuple[str | int, ...]


def _names(dotted: str) -> list[str]:
    return [part.strip().strip('"') for part in dotted.split(".")]


def positions(text: str) -> dict[Path, int]:
    """Every header's and key's path in the file, with its line (from 1)."""
    found: dict[Path, int] = {}
    counts: dict[Path, int] = {}
    table: Path = ()
    open_brackets = 0
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        if open_brackets:
            open_brackets += _brackets(line)
            continue
        header = _HEADER.match(line)
        if header:
            *parents, name = _names(header.group(2))
            table = (*_resolve(parents, counts), name)
            if header.group(1) == "[[":
                found.setdefault(table, number)  # the array's first table stands for it
                counts[table] = counts.get(table, -1) + 1
                table = (*table, counts[table])
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        found.setdefault((*table, *_names(key.group(1))), number)
        value = line[key.end() :]
        for quotes in ('"""', "'''"):
            if value.count(quotes) % 2:
                in_string = quotes
        if not in_string:
            open_brackets = max(_brackets(value), 0)
    return found


def _resolve(names: list[str], counts: dict[Path, int]) -> Path:
    """A header's parent tables, with the current index of each array of tables among them."""
    path: Path = ()
    for name in names:
        path = (*path, name)
        if path in counts:
            path = (*path, counts[path])
    return path


def _brackets(value: str) -> int:
    """Brackets opened and not closed on a line, outside strings and comments."""
    value = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", value).split("#", 1)[0]
    return value.count("[") + value.count("{") - value.count("]") - value.count("}")


def line_of(text: str, path: Path) -> int | None:
    """The line of ``path``, or of the nearest enclosing thing the file has; None for a path
    the file has nothing of (a top-level key left out)."""
    found = positions(text)
    while path:
        if path in found:
            return found[path]
        path = path[:-1]
    return None


@contextmanager
def on_its_line(text: str) -> Iterator[None]:
    """A SchemeFileError about a part of ``text`` says which line that is; tomllib's own errors
    name theirs already."""
    try:
        yield
    except SchemeFileError as exc:
        line = line_of(text, exc.at) if exc.at else None
        if line is None:
            raise
        raise SchemeFileError(f"line {line}: {exc}", exc.at) from exc
