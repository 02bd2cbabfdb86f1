"""The administrators' page of published-notice imports and the Find a Tender poll, through
HTTP (docs/ocds.md): empty, it says what to do; it lists recent imports with their awards
matched and waiting and the files refused; a charter's administrators see only their own
commissioners' awards; a service administrator polls now (CSRF, audited) against a real HTTP
server on loopback imitating the API, and the poll's counts, mark and errors are shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from charter.extensions import db as _db
from charter.models import NoticeEvent, NoticeImport, NoticePoll
from charter.services.domain import charter_commissioners, notices_poll, published_notices
from charter.services.domain.charters import default_charter
from config import TestConfig
from tests.cli.fts_api_server import Failure, Page, fts_api
from tests.factories import make_commissioner, make_organisation, make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"
TELFORD = json.loads((FIXTURES / "invented-telford-award.json").read_text())["releases"][0]


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _section(page, heading: str) -> str:
    """The text from an h2 to the next h2."""
    start = next(h for h in page.select("h2") if _text(h) == heading)
    parts = []
    for sibling in start.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(_text(sibling))
    return " ".join(parts)


def _source(cell: str) -> str:
    """The file's name in a "File or address, when and by whom" cell."""
    return Path(cell.split(" ")[0]).name


def _rows(page, label: str) -> list[list[str]]:
    region = page.select_one(f'[aria-label="{label}"]')
    return [[_text(td) for td in tr.select("td")] for tr in region.select("tbody tr")]


@pytest.fixture
def charter_admin(app, scheme):
    return make_user(email="charter-admin@example.com", role="administrator")


@pytest.fixture
def imported(db, scheme):
    """Telford (taking part in the default charter) and Devon (in none) on the list; Telford's
    award to a signatory and to two unknown suppliers, Devon's to an unknown supplier."""
    make_organisation(
        scheme=scheme, name="Severn Valley Security", identifier="09876543", status="signatory"
    )
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    devon = make_commissioner("Devon County Council", org_id="GB-LAE-DEV")
    charter_commissioners.set_taking_part(devon, default_charter().id, False)
    for name in ("cf-telford-and-wrekin.json", "invented-telford-award.json"):
        published_notices.import_file(str(FIXTURES / name), actor_label="import-notices command")
    published_notices.import_file(
        str(FIXTURES / "invented-devon-award.json"), actor_label="import-notices command"
    )
    _db.session.commit()


def test_empty_it_says_what_to_do(client_request, admin_user):
    client_request.sign_in(admin_user)

    page = client_request.get("admin.show_notice_imports")

    assert _text(page.select_one("h1")) == "Published notices: imports and the Find a Tender poll"
    poll = _section(page, "The Find a Tender poll")
    assert "The poll is off" in poll and "FIND_A_TENDER_POLL_URL" in poll
    assert "flask charter import-notices FILE|URL" in poll
    assert not page.select(f'form[action$="{"/notice-imports/poll"}"]')  # nothing to poll
    assert "Nothing has been imported yet" in _section(page, "Recent imports")
    assert "No award is waiting for a match" in _section(page, "Awards waiting for a match")


def test_imports_are_listed_with_their_awards_matched_and_waiting(
    client_request, admin_user, imported
):
    client_request.sign_in(admin_user)

    page = client_request.get("admin.show_notice_imports")

    rows = _rows(page, "Recent imports")
    assert [(_source(r[0]), r[1], r[2], r[3], r[4]) for r in rows] == [
        # newest first: Devon's award waits (its supplier is no organisation)
        ("invented-devon-award.json", "1 (1)", "0", "1", "Imported"),
        # Telford's award: one supplier proposed, two waiting
        ("invented-telford-award.json", "1 (1)", "1", "2", "Imported"),
        ("cf-telford-and-wrekin.json", "1 (1)", "1", "2", "Imported"),
    ]
    waiting = _section(page, "Awards waiting for a match")
    assert "3 awards waiting" in waiting
    assert page.select_one('a[href$="/admin/published-notices"]') is not None


def test_a_charter_s_administrator_sees_only_its_commissioners_awards(
    client_request, charter_admin, imported
):
    client_request.sign_in(charter_admin)

    page = client_request.get("admin.show_notice_imports")

    intro = _text(page.select_one("main"))
    assert "You see the awards whose buyer is one of" in intro
    rows = _rows(page, "Recent imports")
    assert [(_source(r[0]), r[2], r[3]) for r in rows] == [
        ("invented-devon-award.json", "0", "0"),  # Devon is not this charter's commissioner
        ("invented-telford-award.json", "1", "2"),
        ("cf-telford-and-wrekin.json", "1", "2"),
    ]
    waiting = _rows(page, "Awards waiting for a match")
    assert len(waiting) == 2
    # The buyer with the identifier it published under (what to add to its record), and no
    # Value column here: the table of every award waiting has one (one macro, a switch).
    assert all(row[2].startswith("Telford and Wrekin Council") for row in waiting)
    assert all(len(row) == 4 for row in waiting)
    assert "Devon" not in _section(page, "Awards waiting for a match")
    # The poll is the service's: no button for a charter's administrator.
    assert not page.select('form[action$="/notice-imports/poll"]')


def test_a_refused_file_is_listed_with_why_and_keeps_nothing(app, db, client_request, admin_user):
    bad = FIXTURES.parent.parent / "fixtures" / "ocds" / "cf-bath.json"
    release = json.loads(bad.read_text())["releases"][0]
    release["bids"] = {"details": [{"id": "1", "status": "accepted"}]}
    path = Path(app.instance_path) / "bad-codes.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": "1.1", "releases": [release]}))
    try:
        result = app.test_cli_runner().invoke(args=["charter", "import-notices", str(path)])
    finally:
        path.unlink()
    assert result.exit_code == 1
    client_request.sign_in(admin_user)

    page = client_request.get("admin.show_notice_imports")

    [row] = _rows(page, "Recent imports")
    assert row[0].startswith(f"{path} ") and row[0].endswith(", import-notices command")
    assert row[1:4] == ["0", "0", "0"]
    assert row[4] == f"Refused Why {path} was refused"
    # The reason, below the table where the row's link leads.
    link = page.select_one('[aria-label="Recent imports"] a')
    why = _text(page.select_one(link["href"]))
    assert why.startswith(f"{path} (")
    assert f"release 1 (ocid {release['ocid']}, id {release['id']})" in why
    assert 'bids/details/0/status: "accepted" is not a code of the closed codelist bidStatus' in why
    assert db.session.scalar(select(NoticeImport.id)) is None  # nothing of it kept


@pytest.fixture
def api(app, db, scheme):
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    make_organisation(
        scheme=scheme, name="Severn Valley Security", identifier="09876543", status="signatory"
    )
    since = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    with fts_api() as api:
        app.config.update(
            FIND_A_TENDER_POLL_URL=api.url,
            FIND_A_TENDER_POLL_SINCE=since,
            NOTICES_URL_TIMEOUT_SECONDS=1,
            NOTICES_URL_DEADLINE_SECONDS=2,
        )
        yield api


def test_a_service_administrator_polls_now_and_it_is_audited(db, client_request, admin_user, api):
    api.pages = {"": [Page([TELFORD], next_cursor="Mg==")], "Mg==": [Page([])]}
    client_request.sign_in(admin_user)
    before = client_request.get("admin.show_notice_imports")
    assert "The poll has not run yet" in _section(before, "The Find a Tender poll")

    page = client_request.post(
        "admin.poll_notices_now",
        _form_page="/admin/notice-imports",
        _follow_redirects=True,
        _expected_status=200,
    )

    assert "Find a Tender (award): 2 pages, 1 releases, 1 for commissioners’ buyers, 1 new" in (
        _text(page).replace("'", "’")
    )
    poll = _section(page, "The Find a Tender poll")
    assert "2 pages, 1 release, 1 for commissioners’ buyers, 1 new" in poll
    assert "Errors None" in poll
    [row] = _rows(page, "Recent imports")
    assert row[0].endswith(", an administrator's poll now")
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "polled"))
    assert event.actor_id == admin_user.id and "1 new; up to date" in event.detail


def test_a_page_the_api_refuses_is_shown_as_the_poll_s_error(db, client_request, admin_user, api):
    api.pages = {"": [Failure(503, b"Service unavailable")]}
    client_request.sign_in(admin_user)

    page = client_request.post(
        "admin.poll_notices_now",
        _form_page="/admin/notice-imports",
        _follow_redirects=True,
        _expected_status=200,
    )

    poll = _section(page, "The Find a Tender poll")
    assert "Stopped" in poll and "503" in poll
    assert "The next run asks for that page again" in poll
    state = db.session.scalar(select(NoticePoll))
    assert state.last_run_pages == 0 and state.last_error


def test_poll_now_without_the_form_s_token_is_refused_and_fetches_nothing(
    client_request, admin_user, api
):
    client_request.sign_in(admin_user)

    response = client_request.client.post("/admin/notice-imports/poll")

    assert response.status_code == 400
    assert api.requests == []


def test_poll_now_when_the_poll_is_off_says_so_and_fetches_nothing(
    app, db, client_request, admin_user
):
    app.config.update(FIND_A_TENDER_POLL_URL=None)
    client_request.sign_in(admin_user)
    client_request.get("admin.show_notice_imports")

    page = client_request.post(
        "admin.poll_notices_now",
        _form_page="/admin/notice-imports",
        _follow_redirects=True,
        _expected_status=200,
    )

    assert "The Find a Tender poll is off" in _text(page)
    assert db.session.scalar(select(NoticePoll.id)) is None
    assert db.session.scalar(select(NoticeEvent.id)) is None


@pytest.mark.skipif(
    make_url(TestConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() != "postgresql",
    reason="the advisory lock is PostgreSQL's (SQLite runs in one process)",
)
def test_poll_now_while_another_poll_runs_fetches_nothing_and_says_so(
    db, client_request, admin_user, api
):
    """Another process (the scheduler's poll) holds the poll's lock: poll now tells the
    administrator, fetches no page and leaves the walk where the other run takes it."""
    api.pages = {"": [Page([TELFORD], next_cursor="Mg==")], "Mg==": [Page([])]}
    client_request.sign_in(admin_user)
    lock = {"key": notices_poll.POLL_LOCK_KEY}
    with db.engine.connect() as other_process:
        assert other_process.execute(text("SELECT pg_try_advisory_lock(:key)"), lock).scalar()
        other_process.commit()
        try:
            page = client_request.post(
                "admin.poll_notices_now",
                _form_page="/admin/notice-imports",
                _follow_redirects=True,
                _expected_status=200,
            )
        finally:
            other_process.execute(text("SELECT pg_advisory_unlock(:key)"), lock)
            other_process.commit()

    assert "another poll was running" in _text(page)
    assert api.requests == []
    assert db.session.scalar(select(NoticePoll.id)) is None
    # Released: the next poll goes ahead.
    client_request.post(
        "admin.poll_notices_now",
        _form_page="/admin/notice-imports",
        _follow_redirects=True,
        _expected_status=200,
    )
    assert len(api.requests) == 2
