"""The one base of the domain's refusals: what a person asked for cannot be done, and the
message says why in words for them.

Each service keeps its own class (``ContractRefused``, ``MembershipRefused``, ...: they are the
vocabulary the views and tests speak), and every one subclasses :class:`Refused`, so a view
shows any of them the same way: :func:`charter.refusals_on_forms.shown_on` puts the message on
the form field it is about (``field``, when the service knows it), or on the field the view
names. ``Refused`` is a ``ValueError`` because most of them began as one: code that caught
``ValueError`` around a parse still does.

Two refusals stand apart, on purpose:

* ``workflows.states.TransitionRefused`` (and its ``Forbidden``): the organisation's state or
  the person's role does not allow the action. ``workflows`` must not import ``charter`` (see
  tests/test_layers.py), so it cannot subclass this; it is registered alongside it instead,
  with Flask: charter/errors.py shows it as the 403/409 page, as there is nothing on the form
  to correct (see charter/refusals_on_forms.py).
* :class:`charter.services.domain.versions.Stale`: the page was out of date. It is not about
  what was typed, so it is the 409 page, like SQLAlchemy's lost race it subclasses.
"""

from __future__ import annotations


class Refused(ValueError):
    """An action refused for a reason the person can act on; ``str(refusal)`` is the message,
    ``field`` the form field it is about (None: the view decides)."""

    field: str | None = None

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field
