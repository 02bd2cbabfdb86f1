"""The full open-data exports are files built after each change and served whole (issue 23):
Content-Length, a strong ETag, Last-Modified, ranges, 304s and a gzip twin; built on demand once
when missing; a searched export is still streamed."""

from __future__ import annotations

import csv
import gzip
import io
import json
import threading
import time
from pathlib import Path

import pytest

from charter.branding import held_charters
from charter.extensions import db
from charter.models import Organisation
from charter.public import open_data_files
from charter.scheduler import build_scheduler
from tests.factories import make_organisation

EXPORTS = {
    "register.csv": "text/csv; charset=utf-8",
    "register.json": "application/json",
    "impact.csv": "text/csv; charset=utf-8",
    "impact.json": "application/json",
}


def url(name: str) -> str:
    return f"/c/shropshire/{name}"


@pytest.fixture
def register(scheme):
    for n in range(30):
        make_organisation(scheme=scheme, name=f"Whole File Firm {n:02d}", status="signatory")


def built_files(app) -> list[Path]:
    """The files built (not the lock files or temporary files, whose names start with a dot)."""
    found = Path(app.config["OPEN_DATA_DIR"]).rglob("*")
    return sorted(p for p in found if p.is_file() and not p.name.startswith("."))


@pytest.mark.parametrize("name", EXPORTS)
def test_a_full_export_is_a_file_with_its_length_and_validators(app, client, register, name):
    response = client.get(url(name))
    assert response.status_code == 200
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body)
    assert response.headers["Content-Type"] == EXPORTS[name]
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["ETag"].startswith('"')  # strong: the bytes are exact
    assert response.headers["Last-Modified"]
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "Content-Encoding" not in response.headers
    assert 'rel="license"' in response.headers["Link"]
    if name.endswith(".json"):
        json.loads(body)
    else:
        assert next(csv.reader(io.StringIO(body.decode())))
    if name.endswith(".csv"):
        stem = name.removesuffix(".csv")
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="social-value-{stem}.csv"'
        )
    else:
        assert "Content-Disposition" not in response.headers  # not the file's name on disk
    if name == "register.csv":
        assert "Whole File Firm 29" in body.decode()
    # On disk: the file, its gzip twin and its headers, nothing half-written.
    assert len(built_files(app)) == 3
    left = Path(app.config["OPEN_DATA_DIR"]).rglob(f".{name.split('.')[0]}-*")
    assert not list(left)


@pytest.mark.parametrize("name", EXPORTS)
def test_ranges_are_served_from_the_same_bytes(client, register, name):
    whole = client.get(url(name))
    body, etag = whole.get_data(), whole.headers["ETag"]
    first = client.get(url(name), headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.get_data() == body[:100]
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(body)}"
    assert first.headers["Content-Length"] == "100"
    rest = client.get(url(name), headers={"Range": "bytes=100-", "If-Range": etag})
    assert rest.status_code == 206
    assert first.get_data() + rest.get_data() == body
    tail = client.get(url(name), headers={"Range": "bytes=-10"})
    assert tail.get_data() == body[-10:]
    outside = client.get(url(name), headers={"Range": f"bytes={len(body) + 10}-"})
    assert outside.status_code == 416
    # A range of another version's file gets the whole of this one.
    moved = client.get(url(name), headers={"Range": "bytes=0-9", "If-Range": '"another"'})
    assert moved.status_code == 200
    assert moved.get_data() == body


@pytest.mark.parametrize("name", EXPORTS)
def test_a_revalidation_is_a_304_that_reads_only_the_version(
    app, client, register, name, query_counter
):
    first = client.get(url(name))
    with query_counter() as counter:
        again = client.get(url(name), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert counter.value == 1
    app.config["REGISTER_VERSION_TTL"] = 60
    client.get(url(name))  # the versions held from here
    with query_counter() as counter:
        held = client.get(url(name), headers={"If-None-Match": first.headers["ETag"]})
        whole = client.get(url(name))
    assert held.status_code == 304
    assert whole.get_data() == first.get_data()
    assert counter.value == 0
    since = client.get(url(name), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("name", EXPORTS)
def test_a_client_that_accepts_gzip_gets_the_twin(client, register, name):
    plain = client.get(url(name))
    packed = client.get(url(name), headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"]
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    refused = client.get(url(name), headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    revalidated = client.get(
        url(name),
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]},
    )
    assert revalidated.status_code == 304


def test_a_change_builds_a_new_file_and_removes_the_old(app, client, register):
    before = client.get(url("register.csv"))
    files = built_files(app)
    assert client.get(url("register.csv")).get_data() == before.get_data()
    assert built_files(app) == files  # served again, not rebuilt
    organisation = db.session.query(Organisation).filter_by(name="Whole File Firm 00").one()
    organisation.name = "Renamed Whole Firm"
    db.session.commit()
    after = client.get(url("register.csv"), headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Renamed Whole Firm" in after.get_data(as_text=True)
    assert not set(files) & set(built_files(app))  # the old version's three files are gone
    assert len(built_files(app)) == 3


def test_a_searched_export_is_still_streamed_and_not_kept(app, client, register):
    response = client.get(url("register.csv") + "?q=whole+file+firm+01")
    assert response.status_code == 200
    assert response.is_streamed
    assert "Whole File Firm 01" in response.get_data(as_text=True)
    assert built_files(app) == []
    assert client.get(url("register.csv") + "?district=nowhere&standing=bad").status_code == 400


def test_the_scheduled_job_builds_what_changed_and_only_that(app, register, scheme):
    assert open_data_files.build_stale() == len(EXPORTS) * len(held_charters())
    assert open_data_files.build_stale() == 0
    make_organisation(scheme=scheme, name="One More Firm", status="signatory")
    # The register moved (both register files); /impact did not.
    assert open_data_files.build_stale() == 2
    job = build_scheduler(app).get_job("build_open_data")
    assert job.trigger.interval.total_seconds() == 60


def test_a_missing_file_is_built_once_however_many_ask(app, register, monkeypatch):
    export = open_data_files.EXPORTS["register.csv"]
    charter = held_charters()[0]
    writes = []
    write = open_data_files._write

    def slow_write(*args):
        writes.append(args)
        time.sleep(0.2)  # the others arrive while it is being built
        write(*args)

    monkeypatch.setattr(open_data_files, "_write", slow_write)
    version = open_data_files._version(export, charter)
    paths, errors = [], []

    def ask():
        try:
            with app.app_context():
                paths.append(open_data_files.build(export, charter, version))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(writes) == 1
    assert len(set(paths)) == 1 and paths[0].exists()


def test_what_a_builder_killed_mid_build_left_is_cleared(app, client, register):
    folder = Path(app.config["OPEN_DATA_DIR"]) / "shropshire"
    folder.mkdir(parents=True)
    leftover = folder / ".register-3-0123456789abcdef.csv.tmpabc"
    leftover.write_text("name,slug\nhalf a ro")
    assert client.get(url("register.csv")).status_code == 200
    assert not leftover.exists()
    assert (folder / ".register.csv.lock").exists()  # the lock file stays, for the next build
