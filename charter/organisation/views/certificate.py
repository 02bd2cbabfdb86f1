"""The organisation's Charter Mark certificate: a printable page and a PDF."""

from __future__ import annotations

from flask import abort, make_response, render_template, url_for
from flask_login import login_required

from charter.auth.decorators import verified_required
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.services.domain import marks
from charter.services.infrastructure.certificate_pdf import CertificateDetails, certificate_pdf


def _certificate(slug: str):
    organisation, membership = organisation_for_member(slug)
    mark = marks.current_mark(organisation)
    if mark is None:
        abort(404)
    scheme = marks.scheme_of_mark(mark)
    standing = marks.standing(mark, scheme=scheme)
    verify_url = url_for(
        "public.verify_certificate", certificate_number=mark.certificate_number, _external=True
    )
    return organisation, membership, mark, scheme, standing, verify_url


@bp.get("/<slug>/certificate")
@login_required
@verified_required
def show_certificate(slug: str):
    organisation, membership, mark, scheme, standing, verify_url = _certificate(slug)
    return render_template(
        "organisation/certificate.html",
        organisation=organisation,
        membership=membership,
        mark=mark,
        scheme=scheme,
        standing=standing,
        standing_label=marks.STANDING_LABELS[standing],
        standing_description=marks.STANDING_DESCRIPTIONS[standing],
        standing_tag_class=marks.STANDING_TAG_CLASSES[standing],
        verify_url=verify_url,
    )


@bp.get("/<slug>/certificate.pdf")
@login_required
@verified_required
def download_certificate_pdf(slug: str):
    organisation, _membership, mark, scheme, standing, verify_url = _certificate(slug)
    details = CertificateDetails(
        organisation_name=organisation.name,
        district=organisation.district,
        certificate_number=mark.certificate_number,
        scheme_name=scheme.name,
        scheme_version=scheme.version,
        awarded_on=mark.awarded_on,
        expires_on=mark.expires_on,
        standing_label=marks.STANDING_LABELS[standing],
        verify_url=verify_url,
    )
    response = make_response(certificate_pdf(details))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="charter-mark-{mark.certificate_number}.pdf"'
    )
    # The standing printed on it changes over time: do not let a cache keep an old one.
    response.headers["Cache-Control"] = "private, no-store"
    return response


# For any page that shows a mark (the dashboard among them): its standing today, in words.
@bp.app_template_filter("mark_standing_label")
def mark_standing_label(mark) -> str:
    return marks.STANDING_LABELS[marks.standing(mark)]


@bp.app_template_filter("mark_standing_tag")
def mark_standing_tag(mark) -> str:
    return marks.STANDING_TAG_CLASSES[marks.standing(mark)]
