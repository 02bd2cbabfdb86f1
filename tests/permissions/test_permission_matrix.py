"""Every route in the URL map, for every role, gives the outcome the matrix expects: on the
default charter's rows, and again on the second charter's (issue 20: no leak across charters).

GET is tried for every role. POST is tried only for the roles the matrix refuses (a refused
request changes nothing, so the order does not matter); what an allowed POST does is each
feature's own tests' business. A route added without a line in matrix_helpers.ROUTES fails.
"""

from __future__ import annotations

from charter.models import ContractManager  # noqa: F401  (the role exists: see world_helpers)
from tests.permissions.levels import OK, ROLES
from tests.permissions.matrix_helpers import ROUTES, on_second_charters_rows
from tests.permissions.world_helpers import build_world, client_for, outcome, url_for_rule


def test_every_route_has_an_entry_and_every_entry_a_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    assert sorted(endpoints - set(ROUTES)) == [], "add these routes to matrix_helpers.ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "these routes no longer exist"


def _try(app, world, rules, params, expected_of) -> tuple[int, list[str]]:
    tried, mismatches = 0, []
    for method in ("GET", "POST"):
        for rule in rules:
            if method not in rule.methods or rule.endpoint not in ROUTES:
                continue
            url = url_for_rule(rule, params)
            for role in ROLES:
                expected = expected_of(rule.endpoint)[role]
                if method == "POST" and expected == OK:
                    continue
                client = client_for(app, world.users[role])
                got = outcome(client.open(url, method=method))
                tried += 1
                if got != expected:
                    mismatches.append(f"{method} {url} as {role}: expected {expected}, got {got}")
    return tried, mismatches


def test_every_role_gets_the_expected_outcome_on_every_route(app):
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF is tested on its own; here, who may act
    world = build_world(app)
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))

    tried, mismatches = _try(app, world, rules, world.params, ROUTES.__getitem__)

    assert mismatches == [], "\n".join(mismatches)
    assert tried > 500


def test_each_charter_s_staff_see_its_own_rows_and_nothing_of_the_other_s(app):
    """The routes whose address names a row, with the second charter's rows: an organisation
    that signed it alone, its plan, return, application, Mark, audit, appeal, contract, and a
    commissioner taking part in it only. A route whose row that world lacks (evidence files,
    say) is left to the first test."""
    app.config["WTF_CSRF_ENABLED"] = False
    world = build_world(app)
    rules = [
        rule
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))
        if rule.arguments and all(world.second_params[name] != "0" for name in rule.arguments)
    ]

    tried, mismatches = _try(app, world, rules, world.second_params, on_second_charters_rows)

    assert mismatches == [], "\n".join(mismatches)
    assert tried > 400
    covered = {rule.endpoint.split(".")[0] for rule in rules}
    assert {"admin", "assessor", "organisation", "commissioner"} <= covered
