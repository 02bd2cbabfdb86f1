"""`flask charter import-notices`: real Contracts Finder notices (tests/fixtures/ocds/README.md)
and invented award notices for the same processes become stored releases, compiled records and
awarded suppliers; importing again changes nothing; a bad file is refused naming the file and
keeps nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from charter.models import (
    AwardedSupplier,
    BuyerIdentifier,
    NoticeEvent,
    NoticeImport,
    NoticeRecord,
    NoticeRelease,
)
from tests.factories import make_commissioner, make_organisation

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"
REAL = sorted(str(p) for p in FIXTURES.glob("cf-*.json"))
TELFORD_TENDER = str(FIXTURES / "cf-telford-and-wrekin.json")
TELFORD_AWARD = str(FIXTURES / "invented-telford-award.json")
DEVON_AWARD = str(FIXTURES / "invented-devon-award.json")
TELFORD_OCID = "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def telford(app):
    return make_commissioner("Telford and Wrekin Council", org_id="GB-LAE-TFW")


@pytest.fixture
def severn(app, scheme):
    return make_organisation(
        scheme=scheme, name="Severn Valley Security", identifier="09876543", status="signatory"
    )


def _import(runner, *files):
    return runner.invoke(args=["charter", "import-notices", *files])


def _counts(db) -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (NoticeRelease, NoticeRecord, AwardedSupplier)
    }


def test_real_notices_are_stored_and_compiled(runner, db):
    result = _import(runner, *REAL)

    assert result.exit_code == 0, result.output
    assert _counts(db) == {"notice_releases": 4, "notice_records": 4, "awarded_suppliers": 0}
    record = db.session.scalar(select(NoticeRecord).where(NoticeRecord.ocid == TELFORD_OCID))
    compiled = json.loads(record.compiled)
    assert compiled["tender"]["title"] == "United Kingdom-Telford: Security services"
    assert record.notice_url.startswith("https://www.contractsfinder.service.gov.uk/")
    assert db.session.scalar(select(func.count()).select_from(NoticeImport)) == 4
    assert "Imported" in result.output and "1 releases, 1 new" in result.output


def test_a_later_award_compiles_into_the_record_and_is_proposed(runner, db, telford, severn):
    assert _import(runner, TELFORD_TENDER).exit_code == 0
    result = _import(runner, TELFORD_AWARD)

    assert result.exit_code == 0, result.output
    record = db.session.scalar(select(NoticeRecord).where(NoticeRecord.ocid == TELFORD_OCID))
    compiled = json.loads(record.compiled)
    assert record.release_count == 2
    assert compiled["tender"]["title"] == "United Kingdom-Telford: Security services"
    assert [a["id"] for a in compiled["awards"]] == ["1", "2", "3"]

    rows = {
        row.supplier_name: row
        for row in db.session.scalars(select(AwardedSupplier).order_by(AwardedSupplier.id))
    }
    # The cancelled award is nobody's; a supplier with no identifier is never matched by name.
    assert set(rows) == {"Severn Valley Security Ltd", "Wrekin Guarding Ltd", "Ironbridge Patrols"}
    proposed = rows["Severn Valley Security Ltd"]
    assert proposed.status == "proposed"
    assert proposed.organisation_id == severn.id and proposed.commissioner_id == telford.id
    assert proposed.value == Decimal("184250.50") and proposed.currency == "GBP"
    assert str(proposed.start_date) == "2027-01-01" and str(proposed.end_date) == "2028-12-31"
    assert proposed.title == "Security services for council buildings"
    assert rows["Wrekin Guarding Ltd"].status == "unmatched"
    assert "GB-COH-05550123" in rows["Wrekin Guarding Ltd"].unmatched_reason
    assert rows["Ironbridge Patrols"].unmatched_reason == (
        "The notice gives no identifier for the supplier"
    )
    actions = list(db.session.scalars(select(NoticeEvent.action).order_by(NoticeEvent.id)))
    assert actions.count("imported") == 2
    assert sorted(a for a in actions if a != "imported") == ["matched", "unmatched", "unmatched"]


def test_importing_again_changes_nothing(runner, db, telford, severn):
    assert _import(runner, TELFORD_TENDER, TELFORD_AWARD).exit_code == 0
    before = _counts(db)
    records_before = {r.ocid: r.compiled for r in db.session.scalars(select(NoticeRecord))}
    events_before = db.session.scalar(
        select(func.count()).select_from(NoticeEvent).where(NoticeEvent.action != "imported")
    )

    result = _import(runner, TELFORD_AWARD, TELFORD_TENDER)

    assert result.exit_code == 0, result.output
    assert "1 releases, 0 new; 0 records compiled" in result.output
    assert _counts(db) == before
    assert {r.ocid: r.compiled for r in db.session.scalars(select(NoticeRecord))} == (
        records_before
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(NoticeEvent).where(NoticeEvent.action != "imported")
        )
        == events_before
    )


def test_awards_for_no_commissioner_and_no_organisation_are_not_kept(runner, db, telford):
    result = _import(runner, DEVON_AWARD)

    assert result.exit_code == 0, result.output
    assert _counts(db)["awarded_suppliers"] == 0
    assert _counts(db)["notice_records"] == 1


def test_a_buyer_identifier_added_later_matches_on_match_notices(runner, db, severn, scheme):
    shropshire = make_commissioner("Telford & Wrekin (as published)")
    assert _import(runner, TELFORD_AWARD).exit_code == 0
    row = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.organisation_id == severn.id)
    )
    assert row.status == "unmatched" and "not a commissioner" in row.unmatched_reason

    shropshire_id = shropshire.id
    db.session.add(BuyerIdentifier(commissioner_id=shropshire_id, identifier="GB-LAE-TFW"))
    db.session.commit()
    result = runner.invoke(args=["charter", "match-notices"])

    assert result.exit_code == 0, result.output
    row = db.session.get(AwardedSupplier, row.id)
    assert row.status == "proposed" and row.commissioner_id == shropshire_id


# --- bad files -------------------------------------------------------------------------------


def _release(**changes):
    release = json.loads((FIXTURES / "invented-telford-award.json").read_text())["releases"][0]
    release.update(changes)
    return release


def _package_text(*releases) -> str:
    return json.dumps({"uri": "https://example.com/p.json", "version": "1.1", "releases": releases})


BAD_FILES = [
    ("not json", "this is not JSON {", "is not valid JSON"),
    ("empty", "", "is not valid JSON"),
    ("a list", "[1, 2, 3]", "is not a release package: it is not a JSON object"),
    ("no releases", '{"uri": "x"}', "has no releases"),
    ("record package", '{"records": []}', "is a record package"),
    ("release not an object", '{"releases": [1]}', "release 1 is not a JSON object"),
    (
        "wrong schema",
        _package_text(_release(tag="award", awards="not a list")),
        f"release 1 (ocid {TELFORD_OCID}, id {_release()['id']}) does not follow the OCDS 1.1 "
        "release schema with the UK extension: awards:",
    ),
    (
        "a UK extension field of the wrong type",
        _package_text(_release(awards=[{**_release()["awards"][0], "aboveThreshold": "yes"}])),
        "release schema with the UK extension: awards/0/aboveThreshold:",
    ),
    (
        "a code not in a closed codelist",
        _package_text(
            _release(awards=[{**_release()["awards"][0], "mainProcurementCategory": "it"}])
        ),
        f"release 1 (ocid {TELFORD_OCID}, id {_release()['id']}) does not follow the OCDS 1.1 "
        'release schema with the UK extension: awards/0/mainProcurementCategory: "it" is not a '
        "code of the closed codelist procurementCategory",
    ),
    (
        "missing ocid",
        _package_text({k: v for k, v in _release().items() if k != "ocid"}),
        "'ocid' is a required property",
    ),
    (
        "1e9999",
        _package_text(_release()).replace("184250.5", "1e9999"),
        "release 1/awards/0/value/amount is 1E+9999, a number that cannot be kept exactly",
    ),
    (
        "a 5,000-digit integer",
        _package_text(_release()).replace("184250.5", "9" * 5000),
        "is not valid JSON",
    ),
    ("OCDS 1.0", _package_text(_release()).replace('"1.1"', '"1.0"'), "uses OCDS version 1.0"),
    (
        "a date too long",
        _package_text(_release(date="2026-11-30T09:00:00Z" + "0" * 30)),
        "release 1's date is longer than 40 characters",
    ),
    (
        "an id too long",
        _package_text(_release(id="r" * 201)),
        "release 1's id is longer than 200 characters",
    ),
    (
        "nested too deep",
        _package_text(_release()).replace('"language": "en"', '"language": ' + "[" * 40 + "]" * 40),
        "release 1 is nested deeper than 32 levels",
    ),
    (
        "a NUL character",
        _package_text(_release(language="en\u0000")),
        "release 1/language holds a NUL character",
    ),
    (
        "a giant array in a release",
        _package_text(_release(tag=["award"] * 60_000)),
        "release 1 is larger than one release may be",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [(t, m) for _n, t, m in BAD_FILES], ids=[n for n, _t, _m in BAD_FILES]
)
def test_a_bad_file_is_refused_naming_it_and_keeps_nothing(runner, db, tmp_path, text, message):
    bad = tmp_path / "bad.json"
    bad.write_text(text)

    result = _import(runner, TELFORD_TENDER, str(bad))

    assert result.exit_code == 1
    assert f"Not imported: {bad}: " in result.output
    assert message in result.output
    assert "1 of 2 files were not imported" in result.output
    # The good file is kept; nothing of the bad one.
    assert _counts(db) == {"notice_releases": 1, "notice_records": 1, "awarded_suppliers": 0}
    assert db.session.scalar(select(func.count()).select_from(NoticeImport)) == 1


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(app, runner, db, tmp_path):
    app.config["NOTICES_MAX_FILE_BYTES"] = 1000
    result = _import(runner, TELFORD_TENDER)

    assert result.exit_code == 1
    assert "bytes, larger than the 1,000 bytes one file may be" in result.output
    assert _counts(db)["notice_releases"] == 0


def test_more_releases_than_a_file_may_hold_is_refused(app, runner, db, tmp_path):
    app.config["NOTICES_MAX_RELEASES"] = 2
    many = tmp_path / "many.json"
    many.write_text(_package_text(*(_release(id=f"r{n}") for n in range(3))))

    result = _import(runner, str(many))

    assert result.exit_code == 1
    assert "has more than 2 releases" in result.output
    assert _counts(db)["notice_releases"] == 0


def test_a_release_id_imported_before_with_other_content_is_refused(runner, db, tmp_path):
    assert _import(runner, TELFORD_AWARD).exit_code == 0
    changed = tmp_path / "changed.json"
    changed.write_text(_package_text(_release(language="cy")))

    result = _import(runner, str(changed))

    assert result.exit_code == 1
    assert "was imported before with other content" in result.output
    assert _counts(db)["notice_releases"] == 1


def test_a_missing_file_is_refused(runner, db, tmp_path):
    result = _import(runner, str(tmp_path / "nowhere.json"))
    assert result.exit_code == 1
    assert "nowhere.json: cannot be read" in result.output


def test_a_file_larger_than_a_batch_is_stored_and_compiled_whole(runner, db, tmp_path, monkeypatch):
    monkeypatch.setattr("charter.services.domain.published_notices.BATCH", 2)
    many = tmp_path / "many.json"
    many.write_text(_package_text(*(_release(ocid=f"ocds-test-{n}", id=f"r{n}") for n in range(5))))

    result = _import(runner, str(many))

    assert result.exit_code == 0, result.output
    assert "5 releases, 5 new; 5 records compiled" in result.output
    assert _counts(db) == {"notice_releases": 5, "notice_records": 5, "awarded_suppliers": 0}


@pytest.mark.parametrize(
    ("uri", "kept"),
    [
        ("https://www.find-tender.service.gov.uk/Notice/001234-2026", True),
        ("javascript:alert(document.cookie)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/notice", False),
        ("https://example.com/\u0000", False),
        ("https://" + "x" * 1000, False),
        ("https://[find-tender/notice", False),  # urlsplit raises: an unclosed IPv6 host
        ("https://example.com:99999/notice", False),  # a port past 65535
    ],
)
def test_only_a_web_address_becomes_the_notice_link(runner, db, tmp_path, uri, kept):
    package = tmp_path / "package.json"
    package.write_text(json.dumps({"uri": uri, "version": "1.1", "releases": [_release()]}))

    assert _import(runner, str(package)).exit_code == 0
    record = db.session.scalar(select(NoticeRecord))
    assert record.notice_url == (uri if kept else None)


def test_a_deactivated_commissioner_is_matched_to_nothing(runner, db, telford, severn):
    telford.is_active = False
    db.session.commit()

    assert _import(runner, TELFORD_AWARD).exit_code == 0

    row = db.session.scalar(
        select(AwardedSupplier).where(AwardedSupplier.supplier_name == "Severn Valley Security Ltd")
    )
    assert row.status == "unmatched" and row.commissioner_id is None
    assert "not a commissioner on the list" in row.unmatched_reason
