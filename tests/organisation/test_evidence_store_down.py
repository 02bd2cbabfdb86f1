"""An evidence store that cannot be reached: an upload gets a 503 page that says the file was not
saved, and nothing is kept (no row, nothing staged); the file already stored is served again
when the store is back. The store is moto's S3 server; "down" is an endpoint nothing listens on."""

from __future__ import annotations

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import EvidenceFile
from tests.organisation.return_helpers import open_returns, upload
from tests.s3_helpers import free_port


def test_an_upload_while_the_store_is_down_is_refused_and_keeps_nothing(
    s3_app, member_client, organisation, scheme, tmp_path
):
    first, _ = open_returns(organisation, scheme)
    assert upload(member_client, organisation, first, "LE1").status_code == 302
    stored = db.session.scalar(select(EvidenceFile))
    download = f"/organisations/{organisation.slug}/evidence/{stored.id}"
    working_store = s3_app.config["EVIDENCE_S3_ENDPOINT_URL"]

    s3_app.config["EVIDENCE_S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"
    response = upload(member_client, organisation, first, "LE2", name="second.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Sorry, files cannot be uploaded or downloaded at the moment" in page
    assert "it has not been saved" in page
    assert response.headers["Retry-After"] == "5"
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 1
    assert list((tmp_path / "staging").glob("*")) == []
    assert member_client.get(download).status_code == 503

    s3_app.config["EVIDENCE_S3_ENDPOINT_URL"] = working_store
    response = member_client.get(download)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
