"""One way for a view to show a domain refusal on its form (issue 19).

A service refuses with a :class:`charter.services.domain.refusals.Refused` (``ContractRefused``,
``MembershipRefused``, ...). A view that has validated its form and calls the service writes::

    with shown_on(form, "email") as refused:
        organisations.invite_member(organisation, form.email.data, current_user)
    if not refused:
        db.session.commit()
        flash("Invitation sent", "success")
        return redirect(...)
    return render_template(..., form=form)

The refusal's message goes on the field it names (``refusal.field``, when the service knows it
and the form has it) or else on the field the view names, and into the error summary: the page
is shown again with the person's answers. Nothing is committed, as the view commits only when
nothing was refused; the session is not rolled back here, so what the page shows (loaded
eagerly, some relationships ``lazy="raise"``) is still there to show, and the request's end
discards it.

What is not caught, on purpose:

* ``workflows.states.TransitionRefused`` (``Forbidden``, ...): the organisation's state or the
  person's role does not allow the action at all, so there is nothing to correct on the form;
  it goes on to the 403/409 page (charter/errors.py). It is the workflow's refusal, kept in
  ``workflows`` (which must not import ``charter``), registered with Flask alongside this one.
* :class:`charter.services.domain.versions.Stale`: the page was out of date: the 409 page.

Views that answer a refusal with a flash and a redirect (a button, no form to show again) keep
their ``except``; they catch ``Refused`` where one call may raise several kinds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from wtforms import Field, Form

from charter.services.domain.refusals import Refused


class Refusal:
    """What :func:`shown_on` caught: false while nothing was refused; then ``message``."""

    def __init__(self) -> None:
        self.message: str | None = None

    def __bool__(self) -> bool:
        return self.message is not None


def show_error(form: Form, field: str | Field, message: str) -> None:
    """Add ``message`` to ``field`` (a name or the field) after validation, so the page and the
    error summary show it."""
    target = form[field] if isinstance(field, str) else field
    target.errors = [*target.errors, message]
    form._errors = None  # Form.errors is cached: worked out again with this one


@contextmanager
def shown_on(form: Form, field: str | Field) -> Iterator[Refusal]:
    """Run the block; a :class:`Refused` raised in it is shown on ``form`` (on the refusal's
    own field if the form has it, else on ``field``). The value is true once
    something was refused: commit, flash and redirect only when it is not."""
    refusal = Refusal()
    try:
        yield refusal
    except Refused as refused:
        refusal.message = str(refused)
        named = refused.field
        show_error(form, named if named and named in form else field, refusal.message)
