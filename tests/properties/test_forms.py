"""Every form, filled with hostile values: never a 5xx, and a refusal saves nothing.

The forms are found by reading every page each role can open in the demo world (the
permission matrix's world), so a new form is covered without a line here. Each example posts
one form as a role that may use it; a response that is not a redirect is a refusal (an error
message, a 400 or a 409), and then no table may have changed.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.extensions import db
from tests.permissions.levels import OK, ROLES
from tests.permissions.matrix_helpers import ROUTES
from tests.permissions.world_helpers import (
    build_world,
    client_for,
    url_for_rule,
    worlds_by_state,
)
from tests.properties.form_helpers import forms_on, merge
from tests.properties.strategies_helpers import ANY_TEXT, committed_writes

EXAMPLES = 120
# Posting these ends the sessions the other examples use; what they do is tested elsewhere.
SKIPPED_ACTIONS = ("/sign-out", "/account/sign-out-everywhere")


def _discover(app, worlds):
    """(role, form) for every POST form on every page a role may open."""
    found = []
    for index, world in enumerate(worlds):
        found += _discover_in(app, world, first_world=index == 0)
    by_action = merge([form for _user, form in found])
    users = {form.action: user for user, form in found}
    return [(users[action], spec) for action, spec in sorted(by_action.items())]


def _may_hold_a_form(rule, first_world: bool) -> bool:
    """Pages of public data and files hold no forms; a page without variables is the same in
    every world, so it is read once."""
    if rule.endpoint.startswith(("public.", "api.")) or rule.endpoint == "static":
        return False
    if rule.endpoint.endswith(("_pdf", "_csv", "_json")) or "download" in rule.endpoint:
        return False
    return first_world or bool(rule.arguments)


def _discover_in(app, world, *, first_world: bool):
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = url_for_rule(rule, world.params)
        if not _may_hold_a_form(rule, first_world):
            continue
        for role in ROLES:
            if ROUTES[rule.endpoint][role] != OK:
                continue
            response = client_for(app, world.users[role]).get(url)
            body = response.get_data()  # read to the end, streamed or not
            if response.status_code != 200 or "html" not in (response.content_type or ""):
                continue
            for form in forms_on(url, body.decode()):
                try:
                    endpoint = adapter.match(form.action, method="POST")[0]
                except Exception:  # noqa: BLE001  (a form to another site is not ours)
                    continue
                if form.action not in SKIPPED_ACTIONS and ROUTES[endpoint][role] == OK:
                    found.append((world.users[role], form))
            break  # one role per page is enough to find its forms
    return found


def test_no_form_input_is_a_server_error_or_saves_on_refusal(app):
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own tests; here, the fields
    app.config["RATELIMIT_ENABLED"] = False
    started = time.monotonic()
    world = build_world(app)
    forms = _discover(app, worlds_by_state(world))
    assert len(forms) >= 30, [spec.action for _user, spec in forms]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(data=st.data())
    def check(data):
        user, spec = data.draw(st.sampled_from(forms), label="form")
        payload = {}
        for name, seen in spec.fields.items():
            value = st.one_of(*([st.sampled_from(seen)] if seen else []), ANY_TEXT)
            count = spec.counts.get(name, 1)
            # Usually as many values as the page has boxes (a date has three); sometimes not.
            sizes = st.one_of(st.just(count), st.integers(min_value=0, max_value=count + 1))
            payload[name] = data.draw(
                sizes.flatmap(lambda n, value=value: st.lists(value, min_size=n, max_size=n)),
                label=name,
            )
        if user is not None:
            db.session.refresh(user)
        with committed_writes() as writes:
            response = client_for(app, user).post(spec.action, data=payload)
            body = response.get_data()
        assert response.status_code < 500, (spec.action, user, payload, body[:500])
        if response.status_code not in (301, 302, 303):
            assert writes == [], (spec.action, user, payload)

    check()
    print(f"forms: {len(forms)}, {EXAMPLES} examples in {time.monotonic() - started:.1f}s")
