"""The minimum standards declaration (issue 21): where a charter's scheme lists minimum standards
(Cheshire West and Chester's: "Before the Council applies any social value requirements to any
procurement process, it would expect the minimum standards from all bidders"), an owner of each
signatory affirms them, once a year.

The rules, decided here (docs/scheme-files.md, "Minimum standards and the self-assessment"):

- A declaration holds for a year: it **lapses** on the anniversary of the day it was made
  (``lapses_on``) unless an owner declares again first. Declaring again at any time starts a
  new year from that day; every declaration is kept, with its date, who made it and the
  statements as they were shown.
- From ``WARN_DAYS`` before it lapses the dashboard shows a dated warning, and the scheduled
  review emails the members once (charter.services.domain.reviews.standards_jobs); after it, the
  dashboard says when it lapsed.
- **What it blocks**: the first social value requirement a signatory meets is its action plan,
  so an action plan cannot be sent (``plans.submit``) while the signing has no declaration in
  force. A lapsed declaration does not change the organisation's lifecycle: it only stops the
  next plan until renewed.
- A charter whose scheme lists no minimum standards asks nothing and shows nothing of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Organisation, User
from charter.models.declarations import StandardsDeclaration
from charter.services.domain import confirmations, signings
from charter.services.domain.marks import add_months
from charter.services.domain.schemes import scheme_of
from workflows import lifecycle
from workflows.lifecycle import Forbidden, TransitionRefused

WARN_DAYS = 30

# The declaration's standing on a day.
NONE, IN_FORCE, DUE, LAPSED = "none", "in_force", "due", "lapsed"


@dataclass(frozen=True)
class Standing:
    """What the organisation's pages say about its declaration on ``today``."""

    standards: list[str]
    state: str
    latest: StandardsDeclaration | None
    warn_from: date | None = None

    @property
    def in_force(self) -> bool:
        return self.state in (IN_FORCE, DUE)


def standards_of(organisation: Organisation) -> list[str]:
    """The minimum standards of the scheme the organisation signed (empty: none asked)."""
    scheme = scheme_of(organisation)
    return list(scheme.minimum_standards or []) if scheme is not None else []


def latest(organisation: Organisation) -> StandardsDeclaration | None:
    return db.session.scalar(
        select(StandardsDeclaration)
        .where(signings.belongs(StandardsDeclaration, organisation))
        .order_by(StandardsDeclaration.declared_at.desc(), StandardsDeclaration.id.desc())
        .limit(1)
    )


def standing(organisation: Organisation, today: date | None = None) -> Standing | None:
    """The declaration's standing, or None where the scheme asks for none."""
    standards = standards_of(organisation)
    if not standards:
        return None
    today = today or date.today()
    found = latest(organisation)
    if found is None:
        return Standing(standards, NONE, None)
    warn_from = found.lapses_on - timedelta(days=WARN_DAYS)
    if today >= found.lapses_on:
        state = LAPSED
    elif today >= warn_from:
        state = DUE
    else:
        state = IN_FORCE
    return Standing(standards, state, found, warn_from)


def may_declare(organisation: Organisation) -> str | None:
    """Why the organisation cannot declare now (None: it can)."""
    if organisation.status in (lifecycle.REGISTERED, lifecycle.LAPSED, lifecycle.WITHDRAWN):
        return "Sign the charter before you declare the minimum standards."
    if organisation.status not in confirmations.CONFIRMING_STATES:
        return (
            "You cannot declare the minimum standards while the organisation is "
            f"‘{lifecycle.STATE_LABELS.get(organisation.status, organisation.status)}’."
        )
    return None


def declare(organisation: Organisation, user: User, today: date | None = None):
    """An owner declares that the organisation meets the minimum standards; it holds for a
    year from today. Not committed."""
    standards = standards_of(organisation)
    if not standards:
        raise TransitionRefused("This charter asks for no minimum standards declaration.")
    if not confirmations.is_owner(user, organisation):
        raise Forbidden("Only an owner of the organisation can declare the minimum standards.")
    refusal = may_declare(organisation)
    if refusal:
        raise TransitionRefused(refusal)
    today = today or date.today()
    signing = signings.required_signing_of(organisation)
    declaration = StandardsDeclaration(
        organisation_id=organisation.id,
        signing_id=signing.id,
        scheme_id=signing.scheme_id,
        standards=standards,
        declared_by_id=user.id,
        lapses_on=add_months(today, 12),
    )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def require_in_force(organisation: Organisation, today: date | None = None) -> None:
    """Refuse a social value requirement (an action plan sent) while the scheme's minimum
    standards are not declared, or their declaration has lapsed."""
    found = standing(organisation, today)
    if found is None or found.in_force:
        return
    if found.state == LAPSED:
        raise TransitionRefused(
            "Your declaration of the charter's minimum standards lapsed on "
            f"{format_date(found.latest.lapses_on)}. An owner must declare them again before you "
            "send your action plan."
        )
    raise TransitionRefused(
        "An owner must declare that the organisation meets the charter's minimum standards "
        "before you send your action plan."
    )
