"""Scheme files carry their charter: loading one creates the charter or adds a version to it, a
file without [charter] goes to the only charter, and every [charter] field is checked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.models import Charter, Scheme
from charter.services.domain.charter_file import charter_table
from charter.services.domain.charters import contact_email_of, default_charter
from charter.services.domain.schemes import (
    SchemeFileError,
    current_scheme,
    load_scheme_text,
    read_toml,
)
from tests.services.domain.scheme_text_helpers import (
    SEEDS,
    another_charter,
    charter_line,
    default_text,
    without_charter,
)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_default_file_creates_shropshires_charter_in_the_proposals_words(app, db):
    scheme = load_scheme_text(default_text()).scheme
    charter = db.session.get(Charter, scheme.charter_id)
    assert (charter.slug, charter.name, charter.service_name, charter.area) == (
        "shropshire",
        "Social Value Charter for Shropshire",
        "Social Value Charter Mark",
        "Shropshire",
    )
    # One concept: the running body is the issuer the certificates print.
    assert (charter.running_body, charter.running_body_members) == (
        scheme.issuer_name,
        scheme.issuer_members,
    )
    assert charter.contact_email is None and charter.website is None
    proposal = next((path.read_text() for path in SEEDS if path.exists()), None)
    if proposal is not None:  # quoted, never invented
        assert f"A {charter.running_body} consisting of {charter.running_body_members}" in proposal
        assert f"the development of a {charter.name}." in proposal
        assert f"proposed {charter.service_name} will be awarded" in proposal
        assert charter.description.removeprefix("A ") in proposal


def test_loading_again_adds_versions_to_the_same_charter_and_updates_its_words(app, db):
    first = load_scheme_text(default_text()).scheme
    changed = charter_line("contact_email", '"socialvalue@shropshire.gov.uk"')
    changed = changed.replace("validity_months = 24", "validity_months = 36")
    second = load_scheme_text(changed).scheme
    assert second.version == 2 and second.charter_id == first.charter_id
    assert _count(db, Charter) == 1
    assert db.session.get(Charter, first.charter_id).contact_email == (
        "socialvalue@shropshire.gov.uk"
    )


def test_a_file_without_a_charter_loads_into_the_only_one(app, db):
    load_scheme_text(default_text())
    older = without_charter().replace("validity_months = 24", "validity_months = 36")
    scheme = load_scheme_text(older).scheme
    assert scheme.version == 2 and scheme.charter_id == default_charter().id
    assert scheme.issuer_name == "Social Value Group"


def test_a_file_without_a_charter_is_refused_when_there_is_none_or_several(app, db):
    with pytest.raises(SchemeFileError, match="no charter yet to load it into"):
        load_scheme_text(without_charter())
    load_scheme_text(default_text())
    load_scheme_text(another_charter())
    with pytest.raises(SchemeFileError, match=r"several charters \(shropshire, worcestershire\)"):
        load_scheme_text(without_charter().replace("validity_months = 24", "validity_months = 1"))


def test_several_charters_side_by_side_and_existing_urls_keep_the_first(app, db):
    shropshire = load_scheme_text(default_text()).scheme
    worcestershire = load_scheme_text(another_charter()).scheme
    assert worcestershire.charter_id != shropshire.charter_id
    assert [c.slug for c in db.session.scalars(select(Charter).order_by(Charter.id))] == [
        "shropshire",
        "worcestershire",
    ]
    # Loaded later, the other charter's scheme does not become the default charter's.
    assert current_scheme() == shropshire
    other = db.session.get(Charter, worcestershire.charter_id)
    assert current_scheme(charter=other) == worcestershire
    assert default_charter().slug == "shropshire"


def test_a_scheme_cannot_move_to_another_charter(app, db):
    load_scheme_text(default_text())
    moved = charter_line("slug", '"worcestershire"')
    with pytest.raises(SchemeFileError, match="belongs to the charter 'shropshire'"):
        load_scheme_text(moved)
    assert _count(db, Scheme) == 1


def test_the_contact_is_the_charters_or_the_services_placeholder(app, db):
    charter = db.session.get(Charter, load_scheme_text(default_text()).scheme.charter_id)
    assert contact_email_of(charter) == app.config["SERVICE_CONTACT_EMAIL"]
    charter.contact_email = "socialvalue@shropshire.gov.uk"
    assert contact_email_of(charter) == "socialvalue@shropshire.gov.uk"


LONG = "x" * 201


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("slug", '"Shropshire"', "'slug' must be lower-case letters and digits"),
        ("slug", '"shrop--shire"', "words joined by single hyphens"),
        ("slug", '"-shropshire"', 'not "-shropshire"'),
        ("slug", f'"{"a" * 51}"', "'slug' must be 50 characters or fewer"),
        ("slug", "3", "'slug' must be text, in quotes"),
        ("name", '"   "', "'name' cannot be empty"),
        ("name", f'"{LONG}"', r"'name' must be 200 characters or fewer \(it has 201\)"),
        ("service_name", f'"{"x" * 101}"', "'service_name' must be 100 characters or fewer"),
        ("running_body", '""', "'running_body' cannot be empty"),
        ("running_body", f'"{LONG}"', "'running_body' must be 200 characters or fewer"),
        ("running_body_members", f'"{"x" * 1001}"', "must be 1000 characters or fewer"),
        ("running_body_members", "[1]", "'running_body_members' must be text"),
        ("area", f'"{LONG}"', "'area' must be 200 characters or fewer"),
        ("description", f'"{"x" * 1001}"', "'description' must be 1000 characters or fewer"),
        ("contact_email", '"socialvalue"', "'contact_email' must be an email address"),
        ("contact_email", '"a@b@c.gov.uk"', 'not "a@b@c.gov.uk"'),
        ("contact_email", f'"{"a" * 250}@x.uk"', "'contact_email' must be 254 characters"),
        ("website", '"www.shropshire.gov.uk"', "'website' must be a web address starting https"),
        ("website", '"https://localhost"', 'not "https://localhost"'),
        ("website", f'"https://x.uk/{"a" * 490}"', "'website' must be 500 characters or fewer"),
        ("colour", '"blue"', "unknown key 'colour'; the keys are slug, name, service_name"),
    ],
)
def test_every_charter_field_is_checked_with_a_clear_message(key, value, message):
    with pytest.raises(SchemeFileError, match=message):
        charter_table(read_toml(charter_line(key, value)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('slug = "shropshire"\n', ""), r"\[charter\]: 'slug' is missing"),
        (lambda t: t.replace('area = "Shropshire"\n', ""), r"\[charter\]: 'area' is missing"),
        (
            lambda t: t.replace("[charter]\n", '[issuer]\nname = "Group"\n\n[charter]\n'),
            r"\[charter\] and \[issuer\] both name who runs the charter",
        ),
        (lambda t: t.replace("[charter]\n", "charter = 3\n[other]\n"), "'charter' must be a table"),
    ],
)
def test_a_charter_table_missing_a_field_or_doubling_the_issuer_is_refused(change, message):
    with pytest.raises(SchemeFileError, match=message):
        charter_table(read_toml(change(default_text())))


def test_optional_fields_are_kept_in_full_when_given():
    text = charter_line("website", '"https://www.shropshire.gov.uk/social-value"')
    text = charter_line("contact_email", '" socialvalue@shropshire.gov.uk "', text)
    fields = charter_table(read_toml(text))
    assert fields["website"] == "https://www.shropshire.gov.uk/social-value"
    assert fields["contact_email"] == "socialvalue@shropshire.gov.uk"
    assert len(fields["description"]) > 200  # no cutting short


def test_a_new_running_body_is_a_new_version_and_old_certificates_keep_theirs(app, db):
    first = load_scheme_text(default_text()).scheme
    second = load_scheme_text(charter_line("running_body", '"Shropshire Council"')).scheme
    assert second.version == 2
    assert (first.issuer, second.issuer) == ("Social Value Group", "Shropshire Council")
    assert default_charter().running_body == "Shropshire Council"
