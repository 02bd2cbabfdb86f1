"""A copy of your information: a person's ZIP holds their records and nobody else's; an owner's
adds the organisation's records and evidence; a large copy is built later and its link emailed;
bad, expired and other people's links get a clear page; an administrator can make one."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, DataExport, Membership, OutboxEmail
from charter.models.base import utcnow
from charter.services.domain import data_exports
from charter.services.infrastructure.evidence import commit_stored
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.services.infrastructure.storage_helpers import PDF_BYTES, make_line, store


@pytest.fixture
def world(app, scheme):
    """Pat owns Alder Ltd and helps at Birch CIC, which Rita owns; Quinn helps at Alder."""
    pat = make_user(email="pat@example.com", full_name="Pat Shared")
    quinn = make_user(email="quinn@example.com", full_name="Quinn Colleague")
    rita = make_user(email="rita@example.com", full_name="Rita Elsewhere")
    alder = make_organisation(pat, scheme, name="Alder Ltd", status="signatory")
    birch = make_organisation(rita, scheme, name="Birch CIC", status="signatory")
    db.session.add_all(
        [
            Membership(user_id=quinn.id, organisation_id=alder.id, role="contributor"),
            Membership(user_id=pat.id, organisation_id=birch.id, role="contributor"),
        ]
    )
    for organisation, person in ((alder, pat), (alder, quinn), (birch, rita), (birch, pat)):
        db.session.add(
            AuditEvent(
                organisation_id=organisation.id,
                actor_id=person.id,
                actor_label=person.full_name,
                trigger="sign",
                from_state="registered",
                to_state="signatory",
            )
        )
    for person in (pat, quinn, rita):
        db.session.add(
            OutboxEmail(to_address=person.email, subject=f"For {person.full_name}", body="Hi")
        )
    db.session.commit()
    alder_file = store(make_line(alder), alder, quinn, name="alder-report.pdf")
    commit_stored(alder_file)
    birch_file = store(make_line(birch), birch, rita, name="birch-report.pdf")
    commit_stored(birch_file)
    return {"pat": pat, "quinn": quinn, "rita": rita, "alder": alder, "birch": birch}


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(response.data))


def _ask(client) -> DataExport:
    response = submit(client, "/account/your-information", {})
    assert response.status_code == 302
    return db.session.scalars(select(DataExport).order_by(DataExport.id.desc())).first()


def test_a_shared_member_gets_their_records_and_nobody_elses(app, world):
    client = app.test_client()
    sign_in(client, "pat@example.com")
    export = _ask(client)
    page = client.get("/account/your-information").get_data(as_text=True)
    assert "Download the ZIP file" in page
    archive = _zip(client.get(f"/account/your-information/{data_exports.token_for(export)}"))
    names = set(archive.namelist())
    alder, birch = world["alder"], world["birch"]
    assert f"organisations/{alder.slug}/records.json" in names
    assert not any(birch.slug in name for name in names)  # Pat does not own Birch
    assert any(n.endswith("alder-report.pdf") for n in names)
    assert not any(n.endswith("birch-report.pdf") for n in names)
    evidence = next(n for n in names if n.endswith("alder-report.pdf"))
    assert archive.read(evidence) == PDF_BYTES

    mine = json.loads(archive.read("your-information.json"))
    assert mine["account"]["email"] == "pat@example.com"
    assert "password_hash" not in mine["account"]
    assert {m["organisation"] for m in mine["memberships"]} == {"Alder Ltd", "Birch CIC"}
    events = mine["what_you_did"]["audit_events"]
    assert {e["organisation_id"] for e in events} == {alder.id, birch.id}
    assert all(e["actor_id"] == world["pat"].id for e in events)
    assert [e["subject"] for e in mine["emails_sent_to_you"]] == ["For Pat Shared"]

    everything = "".join(
        archive.read(n).decode("utf-8", "replace") for n in names if not n.endswith(".pdf")
    )
    for other in ("Quinn Colleague", "quinn@example.com", "Rita Elsewhere", "rita@example.com"):
        assert other not in everything, other
    records = json.loads(archive.read(f"organisations/{alder.slug}/records.json"))
    uploaded = records["evidence_files"][0]
    assert uploaded["original_name"] == "alder-report.pdf"
    assert uploaded["uploaded_by_id"] is None  # Quinn uploaded it: someone else, left out


def test_a_contributor_gets_no_organisation_records(app, world):
    client = app.test_client()
    sign_in(client, "quinn@example.com")
    export = _ask(client)
    archive = _zip(client.get(f"/account/your-information/{data_exports.token_for(export)}"))
    assert not any(n.startswith("organisations/") for n in archive.namelist())


def test_bad_expired_and_other_peoples_links_get_a_clear_page(app, world):
    client = app.test_client()
    sign_in(client, "pat@example.com")
    export = _ask(client)
    token = data_exports.token_for(export)

    broken = client.get(f"/account/your-information/{token[:-3]}xyz")
    assert broken.status_code == 404
    assert "This link does not work" in broken.get_data(as_text=True)

    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(f"/account/your-information/{token}")
    assert expired.status_code == 410
    assert "This link has expired" in expired.get_data(as_text=True)

    db.session.delete(export)
    db.session.commit()
    assert client.get(f"/account/your-information/{token}").status_code == 410

    other = _ask(client)
    rita = app.test_client()
    sign_in(rita, "rita@example.com")
    response = rita.get(f"/account/your-information/{data_exports.token_for(other)}")
    assert response.status_code == 403
    assert "asked for by someone else" in response.get_data(as_text=True)

    anonymous = app.test_client().get(f"/account/your-information/{token}")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


def test_a_large_copy_is_built_later_and_its_link_emailed(app, world):
    app.config["DATA_EXPORT_INLINE_MAX_BYTES"] = 0
    client = app.test_client()
    sign_in(client, "pat@example.com")
    export = _ask(client)
    assert export.status == "queued"
    assert "Being prepared" in client.get("/account/your-information").get_data(as_text=True)
    preparing = client.get(f"/account/your-information/{data_exports.token_for(export)}")
    assert preparing.status_code == 409

    result = app.test_cli_runner().invoke(args=["charter", "build-exports"])
    assert "Built 1 copies" in result.output
    email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject == "Your copy of the information is ready")
    )
    assert email.to_address == "pat@example.com"
    link = next(line for line in email.body.splitlines() if "/account/your-information/" in line)
    archive = _zip(client.get(link.replace("http://localhost", "")))
    assert "your-information.json" in archive.namelist()


def test_an_administrator_makes_a_copy_for_a_person_who_wrote_in(app, world):
    make_user(email="admin@example.com", full_name="Ada Admin", role="admin")
    client = app.test_client()
    sign_in(client, "admin@example.com")
    found = client.get("/admin/people?email=PAT@example.com")
    assert found.status_code == 302
    person_url = found.headers["Location"]
    assert "Pat Shared" in client.get(person_url).get_data(as_text=True)
    submit(client, f"{person_url}/copy", {}, form_url=person_url)
    export = db.session.scalars(select(DataExport)).one()
    assert export.subject_id == world["pat"].id
    archive = _zip(client.get(f"/account/your-information/{data_exports.token_for(export)}"))
    mine = json.loads(archive.read("your-information.json"))
    assert mine["account"]["email"] == "pat@example.com"
    # Pat cannot fetch the administrator's copy with its link.
    pat = app.test_client()
    sign_in(pat, "pat@example.com")
    assert pat.get(f"/account/your-information/{data_exports.token_for(export)}").status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter the email address of the person’s account"),
        ("not-an-email", "Enter an email address in the correct format"),
        ("nobody@example.com", "No account has this email address"),
    ],
)
def test_finding_a_person_explains_what_is_wrong(app, world, query, message):
    make_user(email="admin@example.com", full_name="Ada Admin", role="admin")
    client = app.test_client()
    sign_in(client, "admin@example.com")
    response = client.get(f"/admin/people?email={query}")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
