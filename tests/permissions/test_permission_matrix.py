"""Every route in the URL map, for every role, gives the outcome the matrix expects.

GET is tried for every role. POST is tried only for the roles the matrix refuses (a refused
request changes nothing, so the order does not matter); what an allowed POST does is each
feature's own tests' business. A route added without a line in matrix_helpers.ROUTES fails.
"""

from __future__ import annotations

from charter.models import ContractManager  # noqa: F401  (the role exists: see world_helpers)
from tests.permissions.matrix_helpers import OK, ROLES, ROUTES
from tests.permissions.world_helpers import build_world, client_for, outcome, url_for_rule


def test_every_route_has_an_entry_and_every_entry_a_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    assert sorted(endpoints - set(ROUTES)) == [], "add these routes to matrix_helpers.ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "these routes no longer exist"


def test_every_role_gets_the_expected_outcome_on_every_route(app):
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF is tested on its own; here, who may act
    world = build_world(app)
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))
    tried, mismatches = 0, []
    for method in ("GET", "POST"):
        for rule in rules:
            if method not in rule.methods or rule.endpoint not in ROUTES:
                continue
            url = url_for_rule(rule, world.params)
            for role in ROLES:
                expected = ROUTES[rule.endpoint][role]
                if method == "POST" and expected == OK:
                    continue
                client = client_for(app, world.users[role])
                got = outcome(client.open(url, method=method))
                tried += 1
                if got != expected:
                    mismatches.append(f"{method} {url} as {role}: expected {expected}, got {got}")

    assert mismatches == [], "\n".join(mismatches)
    assert tried > 500
