"""The services point one way, and this test keeps them so (docs/architecture.md).

Read from the source files' syntax trees, not by importing them, so a deferred import inside a
function counts as much as one at the top of a module:

- the domain does not import the read models (they read what the domain wrote);
- the infrastructure imports neither the domain nor the notices (it is what they stand on);
- the notices use of the domain only ``periods`` (the domain calls them, not the reverse);
- ``workflows/`` imports nothing of ``charter`` (the lifecycle is plain Python);
- the domain builds no links and renders nothing: no ``url_for``, ``render_template``,
  ``request`` or ``test_request_context`` (emails and their links are ``notices``'), and of
  Flask it uses at most ``current_app`` for settings.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "charter.services.domain"
READ_MODELS = "charter.services.read_models"
INFRASTRUCTURE = "charter.services.infrastructure"
NOTICES = "charter.services.notices"

# (package whose modules are checked, forbidden import prefixes)
FORBIDDEN_IMPORTS = [
    (DOMAIN, (READ_MODELS,)),
    (INFRASTRUCTURE, (DOMAIN, NOTICES)),
    ("workflows", ("charter",)),
]
REQUEST_NAMES = {"url_for", "render_template", "request", "test_request_context"}
FLASK_IN_DOMAIN = {"current_app"}

# Imports against the rule that are still to be moved: empty this list, never add to it.
WAITING: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def imports_of(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module imported, names imported from it) for every import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def import_violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in modules_of(package):
        for line, module, names in imports_of(path):
            # ``from charter.services import read_models`` imports the package itself.
            targets = [module, *(f"{module}.{name}" for name in names)]
            for prefix in forbidden:
                if any(under(t, prefix) for t in targets):
                    where = str(path.relative_to(ROOT))
                    if (where, module) not in WAITING:
                        out.append(f"{where}:{line} imports {module}")
    return out


def request_violations(path: Path) -> list[str]:
    where = str(path.relative_to(ROOT))
    out = []
    for line, module, names in imports_of(path):
        if under(module, "flask"):
            out += [
                f"{where}:{line} imports {name} from {module}"
                for name in names
                if name not in FLASK_IN_DOMAIN
            ]
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in REQUEST_NAMES - {"request"}:
            out.append(f"{where}:{node.lineno} uses .{node.attr}")
        if isinstance(node, ast.Name) and node.id in REQUEST_NAMES - {"request"}:
            out.append(f"{where}:{node.lineno} uses {node.id}")
    return out


@pytest.mark.parametrize(
    ("package", "forbidden"), FORBIDDEN_IMPORTS, ids=[p for p, _ in FORBIDDEN_IMPORTS]
)
def test_no_import_runs_against_the_layers(package, forbidden):
    assert import_violations(package, forbidden) == []


def test_notices_use_of_the_domain_only_its_vocabulary_of_periods():
    """The domain calls the notices: were they to call back, the two would be one tangle."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules_of(NOTICES)
        for line, module, names in imports_of(path)
        if under(module, DOMAIN)
        and module != f"{DOMAIN}.periods"
        and not (module == DOMAIN and names == ["periods"])
    ]
    assert found == []


def test_the_domain_builds_no_links_and_renders_nothing():
    found = [v for path in modules_of(DOMAIN) for v in request_violations(path)]
    assert found == []


def test_the_checks_see_what_they_look_for(tmp_path, monkeypatch):
    """A forbidden import, deferred or relative, and a link built in the domain are found."""
    domain = tmp_path / "charter" / "services" / "domain"
    domain.mkdir(parents=True)
    (domain / "__init__.py").write_text("")
    (domain / "bad.py").write_text(
        "def f():\n"
        "    from ..read_models import progress\n"
        "    from flask import url_for, current_app\n"
        "    return url_for('x')\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert import_violations(DOMAIN, (READ_MODELS,)) == [
        "charter/services/domain/bad.py:2 imports charter.services.read_models"
    ]
    assert request_violations(domain / "bad.py") == [
        "charter/services/domain/bad.py:3 imports url_for from flask",
        "charter/services/domain/bad.py:4 uses url_for",
    ]


def test_nothing_waits_that_is_already_moved():
    """An entry in WAITING whose import is gone is removed from the list."""
    still = set()
    for where, module in WAITING:
        if any(m == module for _, m, _ in imports_of(ROOT / where)):
            still.add((where, module))
    assert still == WAITING
