"""HTTP caching of the public register, its open data and the API, from the register's version.

A public answer depends on the register's data, on today's date (a Charter Mark's standing
changes with it), on the URL and on the release of the code. The ETag is built from those, so a
browser, a proxy or an API client that revalidates gets a 304 for the cost of one primary-key
lookup (none while the process holds the version), before anything is queried or rendered; and
the finished answer is kept in memory under that ETag for the next person who asks.
``Cache-Control`` allows a short reuse without asking. Signed-in people, and a request with a
message waiting to be shown, get a fresh page and no shared caching.

An organisation's own page, a certificate check and a badge are cached the same way; the
organisation's page on the *pages* version, which also moves with plans, returns and contracts.

The reads of a public answer run in autocommit on PostgreSQL: no ``BEGIN`` and ``ROLLBACK``
round trips around them. On a loaded machine each round trip waits for the database process to
be scheduled, and they were a third of a rendered register page's time. Under PostgreSQL's
READ COMMITTED each statement already saw its own snapshot, so nothing read changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import cache, wraps
from pathlib import Path

from flask import Flask, current_app, make_response, request, session
from flask_login import current_user
from markupsafe import Markup, escape

from charter.extensions import db
from charter.services.read_models import register_version
from charter.services.read_models.impact import version as impact_version

PUBLIC_MAX_AGE = 60
# Answers up to this size are kept in memory per register version (a register page is ~20 kB).
MAX_STORED_BYTES = 64 * 1024
# /impact's answers are fewer (a period and a measure per page, ~50 kB) and its CSV and JSON
# larger (every figure: ~0.4 and ~1.1 MB for a county's charter). Up to IMPACT_ANSWERS of them
# per charter, each up to 4 MiB.
IMPACT_ANSWERS = 128
STORED_BYTES = {"register": MAX_STORED_BYTES, "pages": MAX_STORED_BYTES, "impact": 4 << 20}
# Parts of /impact's answers kept per version apart from the answers (fragments, values): a
# handful per period and per measure of a charter.
PARTS = 512
_VERSIONED_PARTS = "charter.versioned_parts"


def release(app: Flask) -> str:
    """Changes when the code or templates change, so a deploy does not answer 304 for a page
    that now renders differently. The same in every worker of a release."""
    if "release" not in app.extensions:
        app.extensions["release"] = app.config.get("RELEASE") or _code_digest(app.root_path)
    return app.extensions["release"]


@cache
def _code_digest(root_path: str) -> str:
    root = Path(root_path).parent
    digest = hashlib.sha256()
    for folder in ("charter", "templates", "workflows"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html") and path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _shared() -> bool:
    """Whether this answer is the same for everyone: not signed in, no message waiting."""
    return not current_user.is_authenticated and "_flashes" not in session


def _autocommit_reads() -> None:
    """Before a public answer's first query: take the connection in autocommit (PostgreSQL
    only, and only if the session has not begun already). Views behind ``cached_by_register``
    only read."""
    session = db.session()
    if session.in_transaction() or db.engine.dialect.name != "postgresql":
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def register_version_for_request() -> register_version.RegisterVersion:
    """Read once per request (kept in the request's environ: ``g`` can outlive a request when
    an app context stays pushed, as in tests and the benchmarks)."""
    key = "charter.register_version"
    if key not in request.environ:
        state = register_version.held()
        if state is None:
            if request.environ.get(_READ_ONLY):
                _autocommit_reads()
            state = register_version.current()
        request.environ[key] = state
    return request.environ[key]


_READ_ONLY = "charter.read_only"


def _last_modified(changed_at: datetime | None) -> datetime:
    # Answers also change at midnight (a mark's standing), so never older than today's start.
    midnight = datetime.combine(date.today(), time.min)
    stamp = max(changed_at or midnight, midnight)
    return stamp.replace(tzinfo=UTC, microsecond=0)


def cached_by_register(
    view: Callable | None = None, *, max_age: int | None = PUBLIC_MAX_AGE, scope: str = "register"
):
    """Answer 304 when the register has not changed since the client's copy; otherwise run the
    view and label a 200 with ETag, Last-Modified and a short public max-age (``max_age=None``
    keeps the view's own ``Cache-Control``). ``scope="pages"`` keys it on the pages version,
    for an organisation's page, which shows its plan, returns and contracts too;
    ``scope="impact"`` on the page's charter's /impact version (its page, CSV and JSON)."""
    if view is None:
        return lambda view: cached_by_register(view, max_age=max_age, scope=scope)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "GET" or not _shared():
            return view(*args, **kwargs)
        request.environ[_READ_ONLY] = True
        version, changed_at, store, parts = _versioned(scope)
        request.environ[_VERSIONED_PARTS] = (version, parts)
        parts = (
            release(current_app),
            scope,
            str(version),
            date.today().isoformat(),
            request.full_path,
        )
        etag = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
        last_modified = _last_modified(changed_at)
        if request.if_none_match:
            fresh = request.if_none_match.contains_weak(etag)
        else:
            fresh = (
                request.if_modified_since is not None and request.if_modified_since >= last_modified
            )
        if fresh:
            response = current_app.response_class(status=304)
            if max_age is None:
                stored = store.peek(version, ("response", etag))
                control = _header(stored[1], "Cache-Control") if stored else None
                if control:
                    response.headers["Cache-Control"] = control
        else:
            stored = store.peek(version, ("response", etag))
            if stored is not None:
                # Kept with its validators and caching: served as it was first sent.
                body, headers = stored
                return current_app.response_class(body, headers=headers)
            _autocommit_reads()
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
            if max_age is None:
                # The view's validators give way to the version's (below).
                response.headers.pop("ETag", None)
        response.set_etag(etag, weak=True)
        response.last_modified = last_modified
        if max_age is not None:
            response.headers["Cache-Control"] = f"public, max-age={max_age}"
        if not fresh:
            _store(store, version, etag, response, STORED_BYTES[scope])
        return response

    return wrapper


Cache = register_version.VersionCache


def _versioned(scope: str) -> tuple[int, datetime | None, Cache, Cache]:
    """The version an answer of ``scope`` is keyed on, when it moved, its answers' cache and
    the cache of their parts (apart for /impact: a stream of new addresses, every period and
    measure asked for, does not push out the parts they share)."""
    if scope == "impact":
        # Per charter: the one the address names (every /impact is under /c/<slug>/). Imported
        # here: the public blueprint's views import this module.
        from charter.public.charter_prefix import page_charter

        charter = page_charter()
        charter_id = charter.id if charter is not None else 0
        if impact_version.held() is None:
            _autocommit_reads()
        version, changed_at = impact_version.current(charter_id)
        answers = register_version.cache(f"impact-{charter_id}", IMPACT_ANSWERS)
        parts = register_version.cache(f"impact-{charter_id}-parts", PARTS)
        return version, changed_at, answers, parts
    state = register_version_for_request()
    store = register_version.cache(scope)
    if scope == "pages":
        return state.pages_version, state.pages_changed_at, store, store
    return state.version, state.changed_at, store, store


def versioned_part(key, compute, *, only_kept: bool = False):
    """``compute()`` once per version of the answer being made (``cached_by_register``'s scope)
    and key in this process, then reused; computed afresh outside such an answer (a signed-in
    person's page) or for a key of None, or with ``only_kept`` not at all (None). For what many
    addresses of one page share: /impact's periods, its totals for a period, its figures."""
    found = request.environ.get(_VERSIONED_PARTS) if key is not None else None
    if found is None:
        return None if only_kept else compute()
    version, store = found
    return store.get(version, ("part", key), compute)


def versioned_fragment(key, caller):
    """``{% call versioned_fragment(key) %}...{% endcall %}``: the block rendered once per
    version of the answer being made and key (``versioned_part``)."""
    return versioned_part(key, caller)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def _store(
    store: register_version.VersionCache, version: int, etag: str, response, limit: int
) -> None:
    """Keep a small finished answer, so the next person asking for the same URL before the
    register changes is served from memory (streamed exports are never kept)."""
    if response.is_streamed:
        return
    body = response.get_data()
    if len(body) <= limit:
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "set-cookie"]
        store.put(version, ("response", etag), (body, headers))


# Stands for the search text in a cached search form (``cached_fragment(key, text=...)``):
# private-use characters, which HTML escaping leaves as they are. The text is put in after the
# slot is found, so a search for the slot itself is shown as typed.
TEXT_SLOT = "\ue000text\ue000"


def cached_fragment(key, caller, text=None):
    """``{% call cached_fragment(key) %}...{% endcall %}``: the block rendered once per register
    version and key in this process, then reused. For parts that depend only on the register
    and the query, such as the register's search form: its GOV.UK macros (each re-imports its
    sub-macros on every call) cost most of the page's rendering. A key of None renders afresh.

    ``text``: what a person typed (a new search each time), left out of the key. The block
    renders ``TEXT_SLOT`` where it goes, and the kept fragment gets it, escaped, on each use: a
    new search then costs a string replacement, not the form's macros (3.8 ms of a 20 ms page at
    100,000 organisations)."""
    if key is None:
        return caller()
    version = register_version_for_request().version
    fragment = register_version.cache().get(version, ("fragment", key), caller)
    if text is None:
        return fragment
    return Markup(str(fragment).replace(TEXT_SLOT, str(escape(text))))


# Layout fragments kept per process (header and footer variants): a handful of keys.
LAYOUT_FRAGMENTS = 64


def layout_fragment(key, caller):
    """``{% call layout_fragment(key) %}...{% endcall %}``: a part of the layout that depends
    only on ``key`` (and the code), rendered once per process: the header as an anonymous
    visitor sees it and the footer. Its GOV.UK macros cost ~0.3 ms of every page. A key of None
    (a signed-in person's header, with their name and a CSRF token) renders afresh."""
    if key is None:
        return caller()
    store = current_app.extensions.setdefault("layout_fragments", {})
    key = (request.script_root, *key)
    found = store.get(key)
    if found is None:
        found = caller()
        if len(store) < LAYOUT_FRAGMENTS:
            store[key] = found
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.globals["cached_fragment"] = cached_fragment
    app.jinja_env.globals["text_slot"] = TEXT_SLOT
    app.jinja_env.globals["layout_fragment"] = layout_fragment
    app.jinja_env.globals["versioned_fragment"] = versioned_fragment
