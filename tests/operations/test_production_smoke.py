"""The production path end to end, on this machine: gunicorn with two workers and
CHARTER_ENV=production on PostgreSQL, evidence in S3 (moto's server), mail over SMTP
(aiosmtpd). A person signs up, confirms their address from the email, registers an
organisation and uploads evidence that comes back byte for byte; another organisation's member
gets a 404; then everything stops cleanly."""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

import pytest

from tests.operations.smoke_helpers import (
    Browser,
    Gunicorn,
    Mailbox,
    production_env,
    run_flask,
    scratch_database,
)
from tests.s3_helpers import S3_CREDENTIALS, free_port, new_bucket, s3_client

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"), reason="the production path runs on PostgreSQL"
)

PASSWORD = "a long and unusual passphrase 42"
ORGANISATION = {
    "name": "Smoke Test Builders",
    "organisation_type": "business",
    "size": "small",
    "sector": "Construction",
    "address_line_1": "1 Castle Street",
    "town": "Shrewsbury",
    "postcode": "SY1 1AA",
    "district": "Shrewsbury",
    "website": "https://smoke.example.co.uk",
    "identifier_scheme": "GB-COH",
    "companies_house_number": "7654321",
}


@pytest.fixture
def stack(tmp_path, moto_endpoint):
    database_url = scratch_database(DATABASE_URL, "_smoke")
    smtp_port, web_port = free_port(), free_port()
    bucket = new_bucket(moto_endpoint)
    env = production_env(
        CHARTER_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        SERVICE_URL="https://127.0.0.1",
        TRUSTED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        EVIDENCE_STORAGE="s3",
        EVIDENCE_S3_BUCKET=bucket,
        EVIDENCE_S3_ENDPOINT_URL=moto_endpoint,
        EVIDENCE_STAGING_DIR=str(tmp_path / "staging"),
        CHARTER_INSTANCE_DIR=str(tmp_path / "instance"),
        PROXY_COUNT="1",
        WEB_CONCURRENCY="2",
        **S3_CREDENTIALS,
    )
    run_flask(env, "db", "upgrade")
    run_flask(env, "charter", "load-scheme")
    assert "Refused" not in run_flask(env, "charter", "check-config")
    mailbox = Mailbox(smtp_port)
    mailbox.start()
    server = Gunicorn(env, web_port, tmp_path / "gunicorn.log")
    server.start()
    try:
        yield {
            "env": env,
            "server": server,
            "mailbox": mailbox,
            "port": web_port,
            "bucket": bucket,
            "database_url": database_url,
            "endpoint": moto_endpoint,
        }
    finally:
        if server.process and server.process.poll() is None:
            server.stop()
        mailbox.stop()


def direct_app(database_url: str):
    """The same database, reached as an operator would, to set up what HTTP cannot yet."""
    from charter import create_app
    from config import TestConfig

    class SmokeConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    return create_app(SmokeConfig)


def open_a_return(database_url: str, name: str):
    """The organisation moves on to monitoring with an approved plan; its returns open."""
    from sqlalchemy import select

    from charter.extensions import db
    from charter.models import Organisation
    from charter.services.domain.schemes import current_scheme
    from tests.factories import make_organisation, make_user
    from tests.organisation.return_helpers import open_returns

    app = direct_app(database_url)
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        [first, *_] = open_returns(organisation, current_scheme())
        outsider = make_user(email="outsider@example.com", password=PASSWORD)
        make_organisation(owner=outsider, scheme=current_scheme())
        result = organisation.slug, first.id
        db.session.remove()
        db.engine.dispose()
    return result


def evidence_row(database_url: str):
    from sqlalchemy import select

    from charter.extensions import db
    from charter.models import EvidenceFile

    app = direct_app(database_url)
    with app.app_context():
        [row] = db.session.scalars(select(EvidenceFile)).all()
        result = row.id, row.stored_name
        db.session.remove()
        db.engine.dispose()
    return result


def test_sign_up_register_upload_and_download_on_the_production_stack(stack, tmp_path):
    browser = Browser(stack["port"])
    email = "sam.smoke@example.com"

    # Sign up; the mail worker's job delivers the confirmation over SMTP; its link works.
    response, _ = browser.submit(
        "/create-account",
        {
            "full_name": "Sam Smoke",
            "email": email,
            "password": PASSWORD,
            "confirm_password": PASSWORD,
        },
    )
    assert response.status == 302
    run_flask(stack["env"], "charter", "send-emails")
    [message] = stack["mailbox"].to(email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/verify-email/\S+)", body)
    assert link, body
    # Followed in the browser that signed up, the link's first use signs the person in.
    response, _ = browser.get(link.group(1))
    assert response.status == 302 and response.headers["Location"].endswith("/organisations/")

    # Register an organisation, through "Check your answers".
    response, _ = browser.submit("/organisations/new", ORGANISATION)
    assert response.status == 302
    response, _ = browser.submit("/organisations/new/check-your-answers")
    assert response.status == 302
    slug, return_id = open_a_return(stack["database_url"], ORGANISATION["name"])

    # Evidence goes to the bucket and comes back byte for byte.
    content = b"%PDF-1.4\n" + os.urandom(300_000) + b"\n%%EOF\n"
    line_page = f"/organisations/{slug}/returns/{return_id}/measures/LE1"
    response, _ = browser.upload(line_page + "/evidence", line_page, "spend.pdf", content)
    assert response.status == 302
    evidence_id, stored_name = evidence_row(stack["database_url"])
    stored = s3_client(stack["endpoint"]).get_object(
        Bucket=stack["bucket"], Key=f"evidence/{stored_name}"
    )
    assert stored["Body"].read() == content
    assert stored["ServerSideEncryption"] == "AES256"
    url = f"/organisations/{slug}/evidence/{evidence_id}"
    response, data = browser.get(url)
    assert response.status == 200
    assert data == content
    assert "max-age=" in response.headers["Strict-Transport-Security"]

    outsider = Browser(stack["port"])
    response, _ = outsider.submit(
        "/sign-in", {"email": "outsider@example.com", "password": PASSWORD}
    )
    assert response.status == 302
    response, _ = outsider.get(url)
    assert response.status == 404

    # Everything stops cleanly: gunicorn exits 0 with its workers gone.
    workers = stack["server"].worker_pids()
    assert len(workers) == 2
    assert stack["server"].stop() == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)

    # The logs are JSON lines with request ids, and name nobody.
    log = (tmp_path / "gunicorn.log").read_text()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(
        line.get("route") == "/organisations/<slug>/evidence/<int:evidence_id>" for line in lines
    )
    assert all("request_id" in line for line in lines if line["logger"] == "charter.access")
    assert email not in log and "outsider@example.com" not in log
