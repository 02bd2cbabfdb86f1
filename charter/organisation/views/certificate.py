"""The organisation's Charter Mark certificate: a printable page and a tagged PDF, issued only
while the Mark is in force; otherwise the page says why there is none, with the date."""

from __future__ import annotations

from flask import abort, make_response, render_template
from flask_login import login_required

from charter.auth.decorators import verified_required
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.services.domain import marks
from charter.services.domain.standing import states_of
from charter.services.infrastructure.certificate_pdf import pdf_from_html, qr_code_data_uri
from charter.services.read_models import certificate_issue, public_standing


def _certificate(slug: str):
    organisation, membership = organisation_for_member(slug)
    certificate = certificate_issue.certificate_of(organisation)
    if certificate is None:
        abort(404)
    return certificate, membership


def _page(certificate, membership, status: int = 200):
    page = render_template(
        "organisation/certificate.html",
        certificate=certificate,
        organisation=certificate.organisation,
        membership=membership,
        mark=certificate.mark,
        scheme=certificate.scheme,
        qr_code=qr_code_data_uri(certificate.verify_url) if certificate.is_issued else None,
    )
    return make_response(page, status)


@bp.get("/<slug>/certificate")
@login_required
@verified_required
def show_certificate(slug: str):
    certificate, membership = _certificate(slug)
    return _page(certificate, membership)


@bp.get("/<slug>/certificate.pdf")
@login_required
@verified_required
def download_certificate_pdf(slug: str):
    certificate, membership = _certificate(slug)
    if not certificate.is_issued:
        # Refused: the certificate page, saying why there is no certificate and since when.
        response = _page(certificate, membership, status=409)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    html = render_template(
        "organisation/certificate-pdf.html",
        certificate=certificate,
        qr_code=qr_code_data_uri(certificate.verify_url),
    )
    response = make_response(pdf_from_html(html))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="charter-mark-{certificate.mark.certificate_number}.pdf"'
    )
    # The standing printed on it changes over time: do not let a cache keep an old one.
    response.headers["Cache-Control"] = "private, no-store"
    return response


# For any page that shows a mark (the dashboard among them): its standing today, in words, for
# its holder's state (a suspended or lapsed organisation's Mark is not in force).
@bp.app_template_filter("mark_standing_label")
def mark_standing_label(mark, organisation=None) -> str:
    states = states_of(organisation) if organisation is not None else None
    return marks.STANDING_LABELS[marks.standing(mark, states=states)]


@bp.app_template_filter("mark_standing_tag")
def mark_standing_tag(mark, organisation=None) -> str:
    states = states_of(organisation) if organisation is not None else None
    return marks.STANDING_TAG_CLASSES[marks.standing(mark, states=states)]


@bp.app_template_filter("mark_certificate_issued")
def mark_certificate_issued(mark, organisation=None) -> bool:
    """Whether the mark's certificate may be downloaded today (the dashboard's link)."""
    states = states_of(organisation) if organisation is not None else None
    return certificate_issue.may_issue(mark, states=states)


@bp.app_template_filter("register_standing")
def register_standing(organisation, mark) -> str:
    """What the public register says of the organisation today (the dashboard's line)."""
    return public_standing.label(states_of(organisation), public_standing.facts(mark))
