"""A closed account, across every page the permission matrix visits: its sessions have ended
(every signed-in page sends it to sign in), and its name and email address appear on no page,
for any role; the audit trail reads "Former member"."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent
from charter.services.domain import account_closing
from tests.permissions.levels import ROLES, SIGN_IN
from tests.permissions.matrix_helpers import ROUTES
from tests.permissions.world_helpers import build_world, client_for, outcome, url_for_rule


def test_a_closed_account_is_gone_from_every_page(app):
    world = build_world(app)
    person = world.users["contributor"]
    owner_client = client_for(app, world.users["member"])
    members_page = owner_client.get(f"/organisations/{world.params['slug']}/members")
    name, email = person.full_name, person.email
    assert name in members_page.get_data(as_text=True)  # shown before it closes
    db.session.add(
        AuditEvent(
            organisation_id=db.session.scalar(
                select(AuditEvent.organisation_id).order_by(AuditEvent.id).limit(1)
            ),
            actor_id=person.id,
            actor_label=name,
            trigger="submit_plan",
            from_state="signatory",
            to_state="plan_submitted",
        )
    )
    db.session.commit()
    closed_client = client_for(app, person)  # signed in before it closes

    account_closing.close_account(person, reason=account_closing.REASON_OWN_REQUEST)
    db.session.commit()

    assert set(
        db.session.scalars(select(AuditEvent.actor_label).where(AuditEvent.actor_id == person.id))
    ) == {account_closing.FORMER_MEMBER}
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))
    seen, problems = 0, []
    for rule in rules:
        if "GET" not in rule.methods or rule.endpoint not in ROUTES:
            continue
        if rule.endpoint in ("static", "public.show_static"):
            continue
        url = url_for_rule(rule, world.params)
        if ROUTES[rule.endpoint]["anonymous"] == SIGN_IN:
            got = outcome(closed_client.get(url))
            if got != SIGN_IN:
                problems.append(f"{url}: the closed account's session still works ({got})")
        for role in ROLES:
            body = client_for(app, world.users[role]).get(url).data
            seen += 1
            for leaked in (name, email):
                if leaked.encode() in body:
                    problems.append(f"{url} as {role} shows {leaked!r}")
    assert problems == [], "\n".join(problems)
    assert seen > 300
