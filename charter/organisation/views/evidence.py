"""Download an evidence file: members of its organisation, assessors and admins only."""

from __future__ import annotations

from flask import abort, send_file
from flask_login import login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models import EvidenceFile
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.services.infrastructure.evidence import download_name
from charter.services.infrastructure.storage import evidence_storage


@bp.get("/<slug>/evidence/<int:evidence_id>")
@login_required
@verified_required
def download_evidence(slug: str, evidence_id: int):
    organisation, _membership = organisation_for_member(slug)
    evidence = db.session.get(EvidenceFile, evidence_id)
    if evidence is None or evidence.organisation_id != organisation.id:
        abort(404)
    # Streamed from the store only after the checks above (see storage.py for why not a
    # presigned URL).
    stream = evidence_storage().open(evidence.stored_name)
    if stream is None:
        abort(404)
    response = send_file(
        stream,
        mimetype=evidence.content_type,
        as_attachment=True,
        download_name=download_name(evidence),
        etag=evidence.sha256,
    )
    if response.status_code == 200:
        # A stream from the bucket has no size of its own; the row knows it.
        response.content_length = evidence.size
    # Uploaded content is never to be run or rendered by the browser as if it were ours,
    # nor kept in a shared cache.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
