"""shown_on: the one way a view shows a domain refusal on its form (issue 19)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from charter.models import Contract
from charter.refusals_on_forms import show_error, shown_on
from charter.services.domain.contracts import ContractRefused
from charter.services.domain.organisations import MembershipRefused
from charter.services.domain.versions import Stale, check_version
from workflows.states import Forbidden, TransitionRefused


class _Form(Form):
    title = StringField()
    commissioner = StringField()


def _validated() -> _Form:
    form = _Form(MultiDict({"title": "A", "commissioner": "1"}))
    assert form.validate()
    return form


def test_nothing_refused():
    form = _validated()
    with shown_on(form, "commissioner") as refused:
        pass
    assert not refused and form.errors == {}


@pytest.mark.parametrize(
    ("refusal", "field"),
    [
        (ContractRefused("Enter a shorter title", "title"), "title"),  # the field it names
        (ContractRefused("Select the commissioner"), "commissioner"),  # else the view's
        (ContractRefused("Not on this form", "reference"), "commissioner"),
        (MembershipRefused("Already a member"), "commissioner"),
    ],
)
def test_a_refusal_goes_on_a_field_and_in_the_summary(refusal, field):
    form = _validated()
    with shown_on(form, "commissioner") as refused:
        raise refusal
    assert refused and refused.message == str(refusal)
    assert form.errors == {field: [str(refusal)]}


def test_the_view_may_name_the_field_itself():
    form = _validated()
    with shown_on(form, form.title) as refused:
        raise MembershipRefused("No")
    assert refused and form.title.errors == ["No"]


def _not_now():
    raise TransitionRefused("Not now")


def _not_you():
    raise Forbidden("Not you")


def _stale():
    check_version(Contract(version_id=2), "1")


@pytest.mark.parametrize("raise_it", [_not_now, _not_you, _stale])
def test_what_is_not_about_the_form_goes_on_to_the_error_pages(raise_it):
    form = _validated()
    with pytest.raises((TransitionRefused, Stale)), shown_on(form, "title"):
        raise_it()
    assert form.errors == {}


def test_show_error_adds_to_what_validation_found():
    form = _Form(MultiDict({"title": "A"}))
    form.validate()
    show_error(form, "title", "Also this")
    assert form.errors == {"title": ["Also this"]}
