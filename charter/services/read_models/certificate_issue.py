"""An organisation's Charter Mark certificate: whether one may be issued today, and what it says.

A certificate (the page that reads as one, and the PDF) is issued only for a Mark in force:
valid, or valid with its renewal due. For a suspended, revoked or expired Mark the certificate
page says why there is none, with the date. Whether a Mark is in force is decided in one place,
``standing_for_certificate``, so the public standing can take it over without touching the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from charter.branding import charter_with_id
from charter.formatting import format_date
from charter.models import Organisation
from charter.models.assessment import MARK_REVOKED, CharterMark
from charter.models.scheme import Scheme
from charter.services.domain import marks
from charter.services.domain.standing import States, states_of
from charter.services.notices import links
from workflows import lifecycle


def standing_for_certificate(
    mark: CharterMark, scheme: Scheme, today: date, states: States | None
) -> str:
    """The Mark's standing on ``today`` for its holder's state (the one standing function,
    ``charter.services.domain.standing``): the one call that decides whether a certificate is
    issued."""
    return marks.standing(mark, today=today, scheme=scheme, states=states)


@dataclass(frozen=True)
class Withheld:
    """Why no certificate is issued, in words for the organisation's members."""

    title: str  # "Your Charter Mark was revoked on 3 March 2026"
    explanation: str
    what_to_do: str
    reason: str | None = None  # the administrators' reason, for a revocation


@dataclass(frozen=True)
class Certificate:
    organisation: Organisation
    mark: CharterMark
    scheme: Scheme
    standing: str
    standing_on: date
    verify_url: str
    withheld: Withheld | None

    @property
    def is_issued(self) -> bool:
        return self.withheld is None

    @property
    def standing_label(self) -> str:
        return marks.STANDING_LABELS[self.standing]

    @property
    def standing_tag_class(self) -> str:
        return marks.STANDING_TAG_CLASSES[self.standing]

    @property
    def standing_description(self) -> str:
        return marks.standing_description(self.standing, states_of(self.organisation))


def verification_url(certificate_number: str, charter_id: int | None = None) -> str:
    """The certificate's public check page, absolute: built from SERVICE_URL, never from the
    request's Host, the same whether a page or the CLI asks; under the charter of the Mark's
    scheme (``charter_id``), else the default charter."""
    charter = charter_with_id(charter_id)
    return links.link(
        "public.verify_certificate",
        certificate_number=certificate_number,
        charter_slug=charter.slug if charter else None,
    )


def certificate_of(organisation: Organisation, today: date | None = None) -> Certificate | None:
    """The certificate of the organisation's current Mark as it stands on ``today``; None if it
    has never held one."""
    mark = marks.current_mark(organisation)
    if mark is None:
        return None
    today = today or date.today()
    scheme = marks.scheme_of_mark(mark)
    standing = standing_for_certificate(mark, scheme, today, states_of(organisation))
    return Certificate(
        organisation=organisation,
        mark=mark,
        scheme=scheme,
        standing=standing,
        standing_on=today,
        verify_url=verification_url(mark.certificate_number, scheme.charter_id),
        withheld=None
        if standing in marks.HOLDING_STANDINGS
        else _withheld(organisation, mark, standing),
    )


def may_issue(mark: CharterMark, today: date | None = None, states: States | None = None) -> bool:
    """Whether a certificate may be issued for ``mark`` today (for links to the PDF)."""
    today = today or date.today()
    standing = standing_for_certificate(mark, marks.scheme_of_mark(mark), today, states)
    return standing in marks.HOLDING_STANDINGS


def _withheld(organisation: Organisation, mark: CharterMark, standing: str) -> Withheld:
    changed_on = format_date(mark.status_changed_at.date())
    number = mark.certificate_number
    if mark.status == MARK_REVOKED:
        return Withheld(
            title=f"Your Charter Mark was revoked on {changed_on}",
            explanation=f"The scheme administrators revoked the Charter Mark with certificate "
            f"{number} on {changed_on}, so {organisation.name} does not hold it and there is "
            "no certificate to download.",
            what_to_do="You are still a charter signatory. To hold the Charter Mark again, "
            "apply for it from your dashboard once your verified monitoring returns show the "
            "measures are met.",
            reason=mark.revoked_reason,
        )
    if standing == marks.LAPSED:
        return Withheld(
            title="Your commitment to the charter has lapsed",
            explanation=f"{organisation.name}'s commitment to the charter lapsed, so the Charter "
            f"Mark with certificate {number} is not in force and there is no certificate to "
            "download.",
            what_to_do="Sign the charter again from your dashboard; the certificate can be "
            "downloaded again while the Charter Mark is valid.",
        )
    if standing == marks.SUSPENDED:
        if organisation.mark_status == lifecycle.MARK_SUSPENDED:
            return Withheld(
                title=f"Your Charter Mark has been suspended since {changed_on}",
                explanation=f"The Charter Mark with certificate {number} was suspended on "
                f"{changed_on} because a reporting duty (a monitoring return or the annual "
                "confirmation) was not met. There is no certificate to download while it is "
                "suspended.",
                what_to_do="Send the overdue monitoring return, or give the annual "
                "confirmation, from your dashboard. Once it is verified the Charter Mark is "
                "reinstated and you can download the certificate again.",
            )
        return Withheld(
            title=f"Your Charter Mark has been suspended since {changed_on}",
            explanation=f"The scheme administrators suspended the Charter Mark with certificate "
            f"{number} on {changed_on}. There is no certificate to download while it is "
            "suspended.",
            what_to_do="We will email you when the suspension is lifted; you can then download "
            "the certificate again.",
        )
    # Expired: by the scheduled review, or past its date and not yet marked so.
    return Withheld(
        title=f"Your Charter Mark expired after {format_date(mark.expires_on)}",
        explanation=f"The Charter Mark with certificate {number} was valid until "
        f"{format_date(mark.expires_on)}, so {organisation.name} does not hold it any more "
        "and there is no certificate to download.",
        what_to_do="You are still a charter signatory. To hold the Charter Mark again, apply "
        "for it from your dashboard once you have the verified monitoring returns it needs.",
    )
