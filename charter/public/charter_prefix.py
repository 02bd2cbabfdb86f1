"""Which charter a public page is about: the slug after /c/ in its address (issue 20).

Each charter's register, organisation pages, /impact, open data, /verify, badges and information
pages live under ``/c/<charter_slug>/``. The public blueprint reads the slug once per request
(``url_value_preprocessor``) into ``g.charter``, and puts it back into every address it builds
(``url_defaults``), the pattern Flask documents for language codes: inside a charter's page
``url_for("public.show_register")`` names that charter's register, and anywhere else (an
organisation's dashboard, an email, the service-wide footer) the default charter's, so templates
and views name endpoints as before.

``g.charter`` (None outside /c/) is a ``CharterFacts`` the process holds (charter.branding):
finding it costs no query, so the register's cached answers (ETag, 304) stay free of one. An
unknown slug is read again once, in case another process has just created that charter, and is
otherwise a 404 that lists the charters there are.
"""

from __future__ import annotations

from flask import abort, current_app, g, has_request_context, make_response, render_template

from charter.acting_charter import act_in, charter_named, leave
from charter.branding import CharterFacts, held_charters, read_again
from charter.public import bp

# The variable in a charter's pages' rules: "/c/<charter_slug>/register".
_SLUG = "charter_slug"


charter_for_slug = charter_named


def default_charter_facts() -> CharterFacts | None:
    charters = held_charters()
    if not charters:
        # None held: perhaps one was made since without this process seeing it (a bulk insert,
        # another process). Until there is one this reads again each time: an empty service.
        read_again()
        charters = held_charters()
    return charters[0] if charters else None


def page_charter() -> CharterFacts | None:
    """The charter this page is about: the one its address names, else the default one."""
    charter = g.get("charter") if has_request_context() else None
    return charter or default_charter_facts()


def page_charter_id() -> int:
    """The id of the charter this page is about; 0 (no charter's) before any charter exists."""
    charter = page_charter()
    return charter.id if charter is not None else 0


def shown_charter() -> CharterFacts | None:
    """The charter a page's header and footer speak for: its own, or off the charters' pages
    the only one there is. With several, a page outside /c/ (the service home, an account page)
    speaks for none of them."""
    charter = g.get("charter") if has_request_context() else None
    if charter is not None:
        return charter
    charters = held_charters()
    return charters[0] if len(charters) == 1 else None


@bp.app_url_value_preprocessor
def _forget_charter(endpoint, values) -> None:  # noqa: ARG001
    """Every request starts without a charter: ``g`` outlives a request where an app context
    stays pushed (tests, the benchmarks), and a page outside /c/ must not inherit one."""
    g.pop("charter", None)


@bp.url_value_preprocessor
def _pull_charter(endpoint, values) -> None:  # noqa: ARG001
    if not values or _SLUG not in values:
        return
    slug = values.pop(_SLUG)
    charter = charter_for_slug(slug)
    if charter is None:
        page = render_template("errors/charter-not-found.html", slug=slug, charters=held_charters())
        abort(make_response(page, 404))
    g.charter = charter
    # Its pages mean each organisation's signing of this charter (charter.acting_charter).
    act_in(charter.id)


bp.teardown_request(leave)


@bp.url_defaults
def _add_charter(endpoint, values) -> None:
    if _SLUG in values or not current_app.url_map.is_endpoint_expecting(endpoint, _SLUG):
        return
    charter = page_charter()
    if charter is not None:
        values[_SLUG] = charter.slug
