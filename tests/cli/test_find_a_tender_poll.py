"""The scheduled poll of the Find a Tender API (services/domain/notices_poll.py), against a real
HTTP server on loopback imitating ``/api/1.0/ocdsReleasePackages`` (fts_api_server.py): it walks
``links.next`` page by page from the high-water mark, keeps only the releases of commissioners'
buyers, imports them by the ordinary import, and moves the mark only when the walk reaches its
last page; a 429, a 503 or a page that is not JSON stops the run, keeps the pages before it,
and the next run asks for that page again."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from charter.models import AwardedSupplier, NoticeImport, NoticePoll, NoticeRelease
from charter.services.domain import notices_poll
from tests.cli.fts_api_server import LITERAL_1E9999, Failure, Page, fts_api
from tests.cli.notice_server import FIXTURES
from tests.factories import make_commissioner, make_organisation

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # 12:00 in London too (GMT)
SINCE = "2026-12-05T12:00:00"
ACTOR = "scheduled notices poll"
TELFORD = json.loads((FIXTURES / "invented-telford-award.json").read_text())["releases"][0]
TELFORD_OCID = TELFORD["ocid"]
OTHER_OCID = "ocds-h6vhtk-0f0f0f"


def _other_buyer() -> dict:
    """The same award published by a buyer that is no commissioner's."""
    release = copy.deepcopy(TELFORD)
    release["ocid"], release["id"] = OTHER_OCID, "000123-2026"
    release["buyer"] = {"id": "GB-PPON-PXYZ-1234-ABCD", "name": "Elsewhere Council"}
    buyer = next(p for p in release["parties"] if "buyer" in p["roles"])
    buyer.update(id="GB-PPON-PXYZ-1234-ABCD", name="Elsewhere Council")
    buyer["identifier"] = {"scheme": "GB-PPON", "id": "PXYZ-1234-ABCD"}
    return release


@pytest.fixture
def api(app, db, scheme):
    make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    make_organisation(
        scheme=scheme, name="Severn Valley Security", identifier="09876543", status="signatory"
    )
    db.session.commit()
    with fts_api() as api:
        app.config.update(
            FIND_A_TENDER_POLL_URL=api.url,
            FIND_A_TENDER_POLL_SINCE=SINCE,
            NOTICES_URL_TIMEOUT_SECONDS=1,
            NOTICES_URL_DEADLINE_SECONDS=2,
        )
        yield api


def _run(now=NOW):
    [result] = notices_poll.poll(now, actor_label=ACTOR)
    return result


def _state(db) -> NoticePoll:
    db.session.expire_all()
    return db.session.scalar(select(NoticePoll).where(NoticePoll.source == "find-a-tender/award"))


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _ocids(db) -> set[str]:
    return set(db.session.scalars(select(NoticeRelease.ocid)))


def test_the_walk_follows_the_cursors_and_keeps_only_commissioners_buyers(db, api):
    api.pages = {
        "": [Page([_other_buyer()], next_cursor="MTAwMA==")],
        "MTAwMA==": [Page([TELFORD], next_cursor="MjAwMA==")],
        "MjAwMA==": [Page([])],
    }

    result = _run()

    assert (result.pages, result.releases, result.kept, result.new_releases) == (3, 2, 1, 1)
    assert result.finished and result.error is None
    first, *rest = api.requests
    # The window: from the mark less an hour's overlap to when the run started, UK time.
    assert first == {
        "stages": "award",
        "limit": "100",
        "updatedFrom": "2026-12-05T11:00:00",
        "updatedTo": "2026-12-06T12:00:00",
    }
    assert [r.get("cursor") for r in rest] == ["MTAwMA==", "MjAwMA=="]
    assert _ocids(db) == {TELFORD_OCID}  # the other buyer's release is not kept
    award = db.session.scalar(select(AwardedSupplier).where(AwardedSupplier.ocid == TELFORD_OCID))
    assert award.status == "proposed"
    # Only the page that held a commissioner's release is an import.
    assert [i.actor_label for i in db.session.scalars(select(NoticeImport))] == [ACTOR]
    state = _state(db)
    assert (state.updated_from, state.window_to, state.next_url) == (
        "2026-12-06T12:00:00",
        None,
        None,
    )
    assert state.last_success_at is not None and state.last_error is None


def test_another_buyers_release_with_1e9999_does_not_stop_the_walk(db, api):
    other = _other_buyer()
    other["awards"][0]["value"]["amount"] = LITERAL_1E9999
    api.pages = {"": [Page([other, TELFORD])]}

    result = _run()

    assert result.finished and result.error is None and result.kept == 1
    assert _ocids(db) == {TELFORD_OCID}

    # The same literal in a commissioner's release refuses its page, as in a file.
    mine = copy.deepcopy(TELFORD)
    mine["id"] += "-2"
    mine["awards"][0]["value"]["amount"] = LITERAL_1E9999
    api.pages = {"": [Page([mine])]}
    refused = _run(NOW + timedelta(hours=1))
    assert "1E+9999, a number that cannot be kept exactly" in refused.error
    assert _state(db).updated_from == "2026-12-06T12:00:00"


def test_a_second_run_with_nothing_new_imports_nothing(db, api):
    api.pages = {"": [Page([TELFORD])]}
    assert _run().finished
    imports, releases = _count(db, NoticeImport), _count(db, NoticeRelease)

    api.pages = {"": [Page([TELFORD, _other_buyer()])]}  # the overlap repeats what was read
    again = _run(NOW + timedelta(hours=1))
    api.pages = {"": [Page([])]}
    empty = _run(NOW + timedelta(hours=2))

    assert (again.new_releases, empty.new_releases, empty.releases) == (0, 0, 0)
    assert _count(db, NoticeRelease) == releases
    assert _count(db, NoticeImport) == imports + 1  # the repeated page, storing nothing new
    assert [r["updatedFrom"] for r in api.requests] == [
        "2026-12-05T11:00:00",
        "2026-12-06T11:00:00",
        "2026-12-06T12:00:00",
    ]
    assert _state(db).updated_from == "2026-12-06T14:00:00"


@pytest.mark.parametrize(
    "failure, says",
    [
        (Failure(429), "answered 429 Too Many Requests"),
        (Failure(503, b"Service unavailable"), "answered 503 Service Unavailable"),
        (Failure(200, b"<html>not json", "application/json"), "is not valid JSON"),
        (Failure(200, b"<!doctype html>", "text/html"), "sent text/html, not JSON"),
    ],
)
def test_a_failed_page_keeps_the_mark_and_is_asked_again_next_run(db, api, failure, says):
    api.pages = {
        "": [Page([TELFORD], next_cursor="MTAwMA==")],
        "MTAwMA==": [failure, Page([_other_buyer()])],
    }

    result = _run()

    assert not result.finished and result.pages == 1
    assert says in result.error and "cursor=MTAwMA==" in result.error
    state = _state(db)
    assert state.updated_from == SINCE  # the mark did not move
    assert state.next_url.endswith("?cursor=MTAwMA==")
    assert says in state.last_error
    assert _ocids(db) == {TELFORD_OCID}  # the page before the failure is kept

    later = _run(NOW + timedelta(hours=1))

    assert later.finished and later.pages == 1
    assert api.requests[-1] == {"cursor": "MTAwMA=="}  # resumed where it stopped
    state = _state(db)
    # The window is the one that was being walked, not the later run's.
    assert state.updated_from == "2026-12-06T12:00:00" and state.last_error is None


def test_a_run_fetches_at_most_its_pages_and_the_next_run_carries_on(app, db, api):
    app.config.update(FIND_A_TENDER_POLL_PAGES=1)
    api.pages = {
        "": [Page([_other_buyer()], next_cursor="MTAwMA==")],
        "MTAwMA==": [Page([TELFORD])],
    }

    first = _run()
    assert (first.pages, first.finished, first.error) == (1, False, None)
    assert _state(db).updated_from == SINCE
    assert _ocids(db) == set()

    second = _run(NOW + timedelta(minutes=60))
    assert (second.pages, second.finished) == (1, True)
    assert _ocids(db) == {TELFORD_OCID}
    assert _state(db).updated_from == "2026-12-06T12:00:00"


@pytest.mark.parametrize(
    ("elsewhere", "error"),
    [
        (
            "http://example.invalid/api/1.0/ocdsReleasePackages?cursor=MTAwMA==",
            "names a next page on another host",
        ),
        ("http://[::1/api/1.0/ocdsReleasePackages", "names a next page that is not a web address"),
    ],
)
def test_a_next_link_to_another_host_is_not_followed(db, api, elsewhere, error):
    api.pages = {"": [Page([TELFORD], next_url=elsewhere)]}

    result = _run()

    assert error in result.error
    assert _ocids(db) == set()  # the page naming it is not imported either
    assert _state(db).updated_from == SINCE
    assert len(api.requests) == 1


def test_a_cursor_the_api_no_longer_knows_starts_the_window_again(db, api):
    api.pages = {
        "": [Page([], next_cursor="MTAwMA==")],
        "MTAwMA==": [Failure(503), Failure(400, b"Invalid cursor")],
    }
    assert "503" in _run().error
    assert "400" in _run(NOW + timedelta(hours=1)).error  # the resumed page refused outright
    state = _state(db)
    assert state.next_url is None and state.updated_from == SINCE

    api.pages = {"": [Page([TELFORD])]}
    assert _run(NOW + timedelta(hours=2)).finished
    assert api.requests[-1]["updatedFrom"] == "2026-12-05T11:00:00"
    assert api.requests[-1]["updatedTo"] == "2026-12-06T14:00:00"


def test_the_scheduler_walks_the_api_only_when_it_is_set(app, db, api, caplog):
    from charter.scheduler import build_scheduler, poll_find_a_tender

    app.config.update(NOTICES_POLL_MINUTES=20)
    assert build_scheduler(app).get_job("poll_find_a_tender").trigger.interval == timedelta(
        minutes=20
    )
    api.pages = {"": [Page([TELFORD])]}
    with caplog.at_level("INFO", logger="charter.scheduler"):
        poll_find_a_tender(app)
    assert "Find a Tender (award): 1 pages, 1 releases, 1 for commissioners' buyers" in caplog.text
    app.config.update(FIND_A_TENDER_POLL_URL=None)
    assert build_scheduler(app).get_job("poll_find_a_tender") is None
