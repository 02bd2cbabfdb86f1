"""Signing the charter: the organisation commits to the scheme's principles and chooses a route.

Plain functions: they add to the session; the view commits once.
"""

from __future__ import annotations

from charter.extensions import db
from charter.models import Organisation, Scheme, Signature, User
from charter.models.base import utcnow
from charter.services import notices
from charter.services.domain import publishing, register_entries, signings
from charter.services.domain.lifecycle import actor_for, transition
from charter.services.domain.schemes import current_scheme, principles_of
from charter.services.domain.text import clean_text
from charter.services.domain.versions import check_version
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

PUBLISH_MISSING = "an answer to whether to publish your verified figures"
NO_SCHEME_MESSAGE = (
    "The charter is not open for signing yet, because no scheme has been published. "
    "Try again later."
)


def scheme_to_sign(organisation: Organisation) -> Scheme | None:
    """The scheme version the organisation would sign now: the current version of its own
    scheme, or the current scheme when it has none yet."""
    scheme_id = signings.scheme_id_of(organisation)
    if scheme_id is not None:
        own = db.session.get(Scheme, scheme_id)
        if own is not None:
            return current_scheme(own.slug) or own
    return current_scheme()


def can_sign_from(state: str) -> bool:
    return any(t.name == "sign" for t in lifecycle.triggers_from(state))


def signing_refusal(organisation: Organisation, scheme: Scheme | None) -> str | None:
    """Why the organisation cannot sign the charter now, in plain words; None if it can."""
    if scheme is None:
        return NO_SCHEME_MESSAGE
    if can_sign_from(organisation.status):
        return None
    if organisation.status == lifecycle.SUSPENDED:
        return (
            f"{organisation.name} is suspended, so it cannot sign the charter. "
            "Contact the scheme team if you have questions."
        )
    stage = lifecycle.STATE_LABELS.get(organisation.status, organisation.status)
    return (
        f"{organisation.name} has already signed the charter. Its current stage is ‘{stage}’, "
        "so there is nothing more to sign."
    )


def sign_charter(
    organisation: Organisation, user: User, answers: dict, version: int | None
) -> Signature:
    """Sign the charter for ``organisation`` from the journey's ``answers``; not committed.

    ``answers`` holds ``scheme_id``, ``principles`` (codes ticked), ``signatory_name``,
    ``signatory_role``, ``has_authority``, ``route`` and ``publishes_figures`` (True or False:
    the organisation's consent to publish its verified figures, recorded as decided when it
    signs). ``version`` is the version of the organisation's signing (its lifecycle) when the
    person was shown their answers: if it has changed since, they were looking at something
    out of date, so charter.services.domain.versions.Stale (a StaleDataError) is raised and
    nothing is done.
    The lifecycle guard refuses (TransitionRefused and its subclasses) an incomplete signature,
    a person who is not a member, or an organisation that cannot sign from its state.
    """
    check_version(signings.required_signing_of(organisation), version)
    scheme = scheme_to_sign(organisation)
    if scheme is None:
        raise TransitionRefused(NO_SCHEME_MESSAGE)
    publishes = answers.get("publishes_figures")
    if not isinstance(publishes, bool):
        # Not a lifecycle guard: the consent is the organisation's, not the signature's.
        raise TransitionRefused("The charter cannot be signed yet.", [PUBLISH_MISSING])
    codes = [p.code for p in principles_of(scheme)]
    # Ticks given against another version of the scheme were not given to these principles.
    ticked = (
        set(answers.get("principles") or ()) if answers.get("scheme_id") == scheme.id else set()
    )
    signature = Signature(
        organisation_id=organisation.id,
        scheme_id=scheme.id,
        signed_by_id=user.id,
        signatory_name=clean_text(answers.get("signatory_name") or ""),
        signatory_role=clean_text(answers.get("signatory_role") or ""),
        has_authority=answers.get("has_authority") is True,
        route=answers.get("route") or "",
        accepted_principles=[code for code in codes if code in ticked],
        signed_at=utcnow(),
    )
    was_on_register = register_entries.is_on_register(organisation)
    # The signature joins the session only once the machine has accepted it.
    transition(
        organisation,
        "sign",
        actor_for(user, organisation),
        signature=signature,
        principle_codes=codes,
    )
    signing = signings.start(organisation, scheme)
    signing.route = signature.route
    signing.scheme_id = scheme.id
    register_entries.on_signing(organisation, scheme, was_on_register)
    publishing.decide(
        organisation, publishes, signature.signed_at, actor_id=user.id, actor_label=user.full_name
    )
    db.session.add(signature)
    db.session.flush()  # its id makes the reference quoted in the email
    notices.signing.signed(organisation, signature, scheme, user)
    return signature
