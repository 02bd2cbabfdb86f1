"""Public checks of a Charter Mark: the verification page and the embeddable badge."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import Response, g, redirect, render_template, request, url_for
from markupsafe import escape

from charter.branding import charter_with_id
from charter.caching import cached_by_register
from charter.public import bp
from charter.public.forms.verify import VerificationForm
from charter.services.domain import marks, register_entries
from charter.services.domain.standing import states_of
from charter.services.read_models import certificate_checks

# Badge colours by standing: green, yellow, grey, red (GOV.UK palette, WCAG-contrast text).
BADGE_COLOURS = {
    marks.VALID: ("#00703c", "#ffffff"),
    marks.RENEWAL_DUE: ("#ffdd00", "#0b0c0c"),
    marks.EXPIRED: ("#505a5f", "#ffffff"),
    marks.SUSPENDED: ("#d4351c", "#ffffff"),
    marks.REVOKED: ("#d4351c", "#ffffff"),
    marks.LAPSED: ("#505a5f", "#ffffff"),
}
BADGE_TEXT = {
    marks.VALID: "Valid",
    marks.RENEWAL_DUE: "Renewal due",
    marks.EXPIRED: "Expired",
    marks.SUSPENDED: "Suspended",
    marks.REVOKED: "Revoked",
    marks.LAPSED: "Not in force",
}
UNKNOWN_COLOURS = ("#505a5f", "#ffffff")
# A badge for a current mark may be cached for an hour; any other answer changes sooner.
LONG_CACHE = "public, max-age=3600"
SHORT_CACHE = "public, max-age=300"
BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@bp.get("/c/<charter_slug>/verify")
def start_verification():
    form = VerificationForm(request.args)
    if "certificate_number" in request.args and form.validate():
        return redirect(
            url_for("public.verify_certificate", certificate_number=form.certificate_number.data)
        )
    if "certificate_number" not in request.args:
        form = VerificationForm(formdata=None)
    return render_template("public/verify-start.html", form=form)


# A certificate's page shows the mark, its scheme and its holder: the register's own data.
@bp.get("/c/<charter_slug>/verify/<certificate_number>")
@cached_by_register
def verify_certificate(certificate_number: str):
    found = certificate_checks.certificate_check(certificate_number)
    if found is None:
        return render_template(
            "public/verify-not-found.html",
            certificate_number=marks.normalise_certificate_number(certificate_number),
        ), 404
    mark, scheme, organisation = found
    home = charter_with_id(scheme.charter_id) or g.charter
    if mark.certificate_number != certificate_number or home != g.charter:
        # One address per certificate, whatever case or spacing was typed, under its charter.
        return redirect(
            url_for(
                "public.verify_certificate",
                certificate_number=mark.certificate_number,
                charter_slug=home.slug,
            )
        )
    standing = marks.standing(mark, scheme=scheme, states=states_of(organisation))
    newer = marks.current_mark(organisation) if mark.status == "superseded" else None
    return render_template(
        "public/verify.html",
        mark=mark,
        organisation=organisation,
        scheme=scheme,
        standing=standing,
        standing_label=marks.STANDING_LABELS[standing],
        standing_description=marks.standing_description(standing, states_of(organisation)),
        standing_tag_class=marks.STANDING_TAG_CLASSES[standing],
        holds_mark=standing in marks.HOLDING_STANDINGS,
        newer_mark=newer,
        today=date.today(),
        on_register=register_entries.is_on_register(organisation),
    )


def badge_svg(status_text: str, colours: tuple[str, str]) -> str:
    """A flat two-part badge. No scripts and no external references: it is an image."""
    label = "Social Value Charter Mark"
    label_width = 178
    status_width = 12 + 7 * len(status_text)
    width = label_width + status_width
    background, foreground = colours
    status = escape(status_text)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="24" '
        f'viewBox="0 0 {width} 24" role="img" aria-label="{escape(label)}: {status}">'
        f"<title>{escape(label)}: {status}</title>"
        f'<rect width="{label_width}" height="24" fill="#1d70b8"/>'
        f'<rect x="{label_width}" width="{status_width}" height="24" fill="{background}"/>'
        '<g font-family="Arial, Helvetica, sans-serif" font-size="12" font-weight="bold">'
        f'<text x="8" y="16" fill="#ffffff">{escape(label)}</text>'
        f'<text x="{label_width + 6}" y="16" fill="{foreground}">{status}</text>'
        "</g></svg>"
    )


def _badge_response(svg: str, status: int, cache_control: str) -> Response:
    response = Response(svg, status=status, mimetype="image/svg+xml")
    response.set_etag(hashlib.sha256(svg.encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Content-Security-Policy"] = BADGE_CSP
    if status == 200:
        response.make_conditional(request)
    return response


@bp.get("/c/<charter_slug>/badge/<certificate_number>.svg")
@cached_by_register(max_age=None)
def show_badge(certificate_number: str):
    standing = certificate_checks.standing_by_number(certificate_number)
    if standing is None:
        return _badge_response(badge_svg("Unknown certificate", UNKNOWN_COLOURS), 404, SHORT_CACHE)
    cache = LONG_CACHE if standing == marks.VALID else SHORT_CACHE
    return _badge_response(badge_svg(BADGE_TEXT[standing], BADGE_COLOURS[standing]), 200, cache)
