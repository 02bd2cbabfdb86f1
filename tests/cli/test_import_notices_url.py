"""`flask charter import-notices --url URL`: a release package fetched from a real HTTP server on
loopback (tests/cli/notice_server.py) is imported as the same file would be, and importing it
again changes nothing; a server that sends too much, answers 404, is slow or trickles, or sends
something other than JSON, is refused with a sentence naming the URL, and nothing of it is
kept (the other sources are still imported)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from charter.models import AwardedSupplier, NoticeEvent, NoticeImport, NoticeRecord, NoticeRelease
from tests.cli.notice_server import FIXTURES, notice_server
from tests.factories import make_commissioner, make_organisation

TELFORD_OCID = "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b"


@pytest.fixture
def runner(app):
    app.config.update(NOTICES_URL_TIMEOUT_SECONDS=1, NOTICES_URL_DEADLINE_SECONDS=2)
    return app.test_cli_runner()


@pytest.fixture
def server():
    with notice_server() as base:
        yield base


def _import(runner, *args):
    return runner.invoke(args=["charter", "import-notices", *args])


def _counts(db) -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (NoticeImport, NoticeRelease, NoticeRecord, AwardedSupplier)
    }


def test_a_package_at_a_url_is_imported_as_its_file_would_be(runner, db, scheme, server):
    telford = make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")
    severn = make_organisation(
        scheme=scheme, name="Severn Valley Security", identifier="09876543", status="signatory"
    )
    tender = f"{server}/fixtures/cf-telford-and-wrekin.json"
    award = f"{server}/fixtures/invented-telford-award.json"

    result = _import(runner, "--url", tender, "--url", award)

    assert result.exit_code == 0, result.output
    assert f"Imported {tender}: 1 releases, 1 new" in result.output
    imports = list(db.session.scalars(select(NoticeImport).order_by(NoticeImport.id)))
    assert [i.source for i in imports] == [tender, award]
    # What the file itself would give: the same digest as the fixture's bytes.
    assert (
        imports[0].sha256
        == hashlib.sha256((FIXTURES / "cf-telford-and-wrekin.json").read_bytes()).hexdigest()
    )
    proposed = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == severn.id)
    )
    assert proposed.status == "proposed" and proposed.commissioner_id == telford.id
    before = _counts(db)

    again = _import(runner, "--url", award, tender)  # an http argument is a URL too

    assert again.exit_code == 0, again.output
    assert "1 releases, 0 new; 0 records compiled" in again.output
    assert _counts(db) == {**before, "notice_imports": before["notice_imports"] + 2}


def test_a_gzipped_answer_and_a_redirect_are_followed(runner, db, server):
    result = _import(runner, "--url", f"{server}/gzipped", "--url", f"{server}/moved")
    assert result.exit_code == 0, result.output
    assert _counts(db)["notice_releases"] == 1
    assert _counts(db)["notice_records"] == 1


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/declared-too-large", "is 1,000,000,000 bytes, larger than the 65,536 bytes one file"),
        ("/endless", "is larger than the 65,536 bytes one file may be"),
        ("/gzip-bomb", "is larger than the 65,536 bytes one file may be"),
        ("/missing.json", "answered 404 Not Found, not a release package"),
        ("/slow", "did not answer within 1 seconds"),
        ("/trickle", "took longer than 2 seconds to download"),
        ("/html", "sent text/html, not JSON (application/json)"),
        ("/not-json", "is not valid JSON"),
    ],
    ids=lambda v: v.strip("/") if v.startswith("/") else None,
)
def test_a_bad_server_is_refused_naming_the_url_and_keeps_nothing(
    app, runner, db, server, path, message
):
    app.config["NOTICES_MAX_FILE_BYTES"] = 64 * 1024
    good = f"{server}/fixtures/cf-bath.json"

    result = _import(runner, "--url", f"{server}{path}", "--url", good)

    assert result.exit_code == 1
    assert f"Not imported: {server}{path}: " in result.output
    assert message in result.output
    assert "nothing was imported" in result.output
    assert "1 of 2 files were not imported" in result.output
    # The good package is kept; nothing of the bad one, not even its import row.
    assert [i.source for i in db.session.scalars(select(NoticeImport))] == [good]
    assert _counts(db)["notice_releases"] == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/package.json", "is not an http or https address"),
        ("http:///package.json", "is not an http or https address"),
        ("file:///etc/passwd", "is not an http or https address"),
        ("http://127.0.0.1:9/package.json", "could not be fetched"),
    ],
)
def test_an_address_that_cannot_be_fetched_is_refused(runner, db, url, message):
    result = _import(runner, "--url", url)
    assert result.exit_code == 1
    assert f"Not imported: {url}: {message}" in result.output
    assert _counts(db)["notice_imports"] == 0


def test_no_file_and_no_url_is_a_usage_error(runner):
    result = _import(runner)
    assert result.exit_code == 2
    assert "Give at least one FILE or --url URL." in result.output


def test_the_import_is_audited_under_its_url(runner, db, server):
    url = f"{server}/fixtures/cf-telford-and-wrekin.json"
    assert _import(runner, "--url", url).exit_code == 0
    event = db.session.scalar(select(NoticeEvent).where(NoticeEvent.action == "imported"))
    assert event.detail.startswith(f"{url}: 1 releases, 1 new")
    record = db.session.scalar(select(NoticeRecord).where(NoticeRecord.ocid == TELFORD_OCID))
    assert record is not None


def test_the_scheduler_polls_no_url_unless_one_is_set(app):
    from charter.scheduler import build_scheduler

    assert app.config["NOTICES_POLL_URL"] is None
    assert build_scheduler(app).get_job("poll_notices") is None
    app.config.update(NOTICES_POLL_URL="https://example.org/package.json", NOTICES_POLL_MINUTES=15)
    job = build_scheduler(app).get_job("poll_notices")
    assert job.trigger.interval.total_seconds() == 15 * 60


def test_the_scheduled_poll_imports_as_the_command_does(app, db, server, caplog):
    from charter.scheduler import poll_notices

    url = f"{server}/fixtures/cf-telford-and-wrekin.json"
    app.config.update(
        NOTICES_POLL_URL=url, NOTICES_URL_TIMEOUT_SECONDS=1, NOTICES_URL_DEADLINE_SECONDS=2
    )
    with caplog.at_level("INFO", logger="charter.scheduler"):
        poll_notices(app)
        poll_notices(app)  # again: nothing new
    assert _counts(db)["notice_releases"] == 1
    assert [i.actor_label for i in db.session.scalars(select(NoticeImport))] == [
        "scheduled notices poll",
        "scheduled notices poll",
    ]
    assert f"Published notices imported: {url}: 1 releases, 0 new" in caplog.text


def test_a_refused_poll_is_logged_and_keeps_nothing(app, db, server, caplog):
    from charter.scheduler import poll_notices

    app.config.update(NOTICES_POLL_URL=f"{server}/html")
    with caplog.at_level("INFO", logger="charter.scheduler"):
        poll_notices(app)
    assert "Published notices not imported: " in caplog.text
    assert "sent text/html, not JSON" in caplog.text
    assert _counts(db)["notice_imports"] == 0
