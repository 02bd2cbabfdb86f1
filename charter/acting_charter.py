"""Which charter a request acts in, for the organisation's lifecycle, scheme and register entry
(charter.models.signing.acting_charter): one wiring for every blueprint that needs it.

An organisation may sign several charters; each signing has its own lifecycle, plan, returns
and Marks. Its pages act on one signing: the charter named by ``?charter=<slug>`` in their
address, kept in every address they build (``url_defaults``), or without it the first charter
the organisation signed. A charter's staff act in their charter. The variable is set before the
view and put back after it (``teardown_request``), so nothing outlives the request.

Emails and the links in them follow the same charter: a review run for a charter, or a page
acting in one, sends emails signed by that charter's running body, linking to that signing's
pages (``acting_charter_facts``).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, request

from charter.branding import CharterFacts, charter_with_id, held_charters, read_again
from charter.models.signing import acting_charter

PARAM = "charter"


def charter_named(slug: str) -> CharterFacts | None:
    """The charter with this slug, as the process holds it (read again once if unknown)."""
    found = next((c for c in held_charters() if c.slug == slug), None)
    if found is None:
        read_again()
        found = next((c for c in held_charters() if c.slug == slug), None)
    return found


def named_charter() -> CharterFacts | None:
    """The charter this request's address names (``?charter=``), if any."""
    return g.get("named_charter")


def acting_charter_facts() -> CharterFacts | None:
    """The charter acting now, as addresses and emails name it: the one the address names, or
    (in a staff page, a review, a command) the one acting, once the service has several."""
    charter = g.get("named_charter")
    if charter is None:
        charter_id = acting_charter.get()
        if charter_id is not None and len(held_charters()) > 1:
            charter = charter_with_id(charter_id)
    return charter


def act_in(charter_id: int | None) -> None:
    """Act in ``charter_id`` until the request ends."""
    g.acting_token = acting_charter.set(charter_id)


def leave(_exc=None) -> None:
    """Put the acting charter back as it was before the request (a ``teardown_request``)."""
    token = g.pop("acting_token", None)
    if token is not None:
        acting_charter.reset(token)


def acts_in_named_charter(bp: Blueprint) -> None:
    """``bp``'s pages act in the charter ``?charter=`` names (404 for an unknown one), and keep
    it in the addresses they build."""

    @bp.before_request
    def _act_in_named_charter():
        g.pop("named_charter", None)
        slug = request.args.get(PARAM)
        if slug is None:
            return
        charter = charter_named(slug)
        if charter is None:
            abort(404)
        g.named_charter = charter
        act_in(charter.id)

    @bp.url_defaults
    def _keep_charter(endpoint, values) -> None:  # noqa: ARG001
        charter = acting_charter_facts()
        if charter is not None and PARAM not in values:
            values[PARAM] = charter.slug

    bp.teardown_request(leave)


def acts_in(bp: Blueprint, charter_id_of) -> None:
    """``bp``'s pages act in the charter ``charter_id_of()`` returns (a staff member's); one
    chosen by ``?charter=`` stays in the addresses the pages build."""

    @bp.before_request
    def _act():
        g.pop("named_charter", None)
        charter_id = charter_id_of()
        act_in(charter_id)
        slug = request.args.get(PARAM)
        if slug:
            charter = charter_named(slug)
            if charter is not None and charter.id == charter_id:
                g.named_charter = charter

    @bp.url_defaults
    def _keep_charter(endpoint, values) -> None:  # noqa: ARG001
        charter = g.get("named_charter")
        if charter is not None and PARAM not in values:
            values[PARAM] = charter.slug

    bp.teardown_request(leave)
