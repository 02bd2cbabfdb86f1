"""The one version check and the one field that carries a version (issue 19): a page that
changes a versioned row must post the version it showed; missing, malformed or old is refused
the same way for every row, as the 409 page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from wtforms import Form

from charter.form_fields import STALE_PAGE_MESSAGE, VersionField
from charter.models import Application, Contract, MonitoringReturn, Organisation
from charter.services.domain.refusals import Refused
from charter.services.domain.versions import Stale, check_version, parse_version

CURRENT = 3
MISSING = object()  # the version not posted at all

# (posted, the check passes)
CHECKED = [
    (None, False),
    ("", False),
    ("   ", False),
    ("abc", False),
    ("0", False),
    ("-1", False),
    ("2.0", False),
    ("١", False),  # an Arabic-Indic digit: a digit to int(), not to a reader
    (str(2**31), False),
    (True, False),
    ("2", False),  # the page showed an older version
    (2, False),
    ("3", True),  # the version the row is at
    (" 3 ", True),
    (3, True),
]


@pytest.mark.parametrize("model", [Contract, Application, MonitoringReturn, Organisation])
@pytest.mark.parametrize(("posted", "passes"), CHECKED)
def test_one_rule_for_every_versioned_row(model, posted, passes):
    row = model(version_id=CURRENT)
    if passes:
        check_version(row, posted)
        return
    with pytest.raises(Stale) as refused:
        check_version(row, posted)
    # A stale page and a lost race at commit are one event: both are the 409 page.
    assert isinstance(refused.value, StaleDataError)
    assert not isinstance(refused.value, Refused)


def test_a_row_with_its_own_words_gives_them_to_the_409_page():
    with pytest.raises(Stale) as refused:
        check_version(Contract(version_id=CURRENT), "1")
    assert "The contract changed while you were looking at it" in refused.value.page_message
    with pytest.raises(Stale) as refused:
        check_version(Application(version_id=CURRENT), "1")
    assert not hasattr(refused.value, "page_message")  # the general words (charter/errors.py)


class _Page(Form):
    version = VersionField(message="Open it again")


# (posted, the field's data, a form error)
POSTED = [
    (MISSING, None, True),
    ("", None, True),
    ("abc", None, True),
    ("0", 0, False),  # well formed; no row is at version 0, so the check refuses it (409)
    ("-1", None, True),
    ("1e3", None, True),
    (str(2**31), None, True),
    ("2", 2, False),  # an old version: the check refuses it (409), not the form
    (str(CURRENT), CURRENT, False),
    (f" {CURRENT} ", CURRENT, False),
]


@pytest.mark.parametrize(("posted", "data", "error"), POSTED)
def test_the_version_field(posted, data, error):
    form = _Page(MultiDict({} if posted is MISSING else {"version": posted}))
    assert form.validate() is not error
    assert form.version.data == data
    assert form.version.errors == (["Open it again"] if error else [])


@pytest.mark.parametrize(("posted", "data", "error"), POSTED)
def test_the_field_and_the_check_refuse_together_all_but_the_current_version(posted, data, error):
    form = _Page(MultiDict({} if posted is MISSING else {"version": posted}))
    form.validate()
    row = Contract(version_id=CURRENT)
    if data == CURRENT:
        check_version(row, form.version.data)
    else:
        with pytest.raises(Stale):
            check_version(row, form.version.data)


def test_the_field_shows_the_version_it_was_given():
    form = _Page(version=CURRENT)
    assert f'value="{CURRENT}"' in form.version()
    assert 'type="hidden"' in form.version()
    assert _Page().version._value() == ""


def test_the_default_message_says_the_page_is_out_of_date():
    class Plain(Form):
        version = VersionField()

    form = Plain(MultiDict())
    assert not form.validate()
    assert form.version.errors == [STALE_PAGE_MESSAGE]


@pytest.mark.parametrize(
    ("posted", "expected"),
    [(None, None), ("7", 7), (7, 7), (-7, None), (2**31, None), (False, None), ("07", 7)],
)
def test_parse_version(posted, expected):
    assert parse_version(posted) == expected
