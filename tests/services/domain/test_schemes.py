from pathlib import Path

import pytest

from charter.services.domain.schemes import SchemeFileError, load_scheme_text, parse_scheme

DEFAULT = Path(__file__).resolve().parents[3] / "schemes" / "supporting-the-local-economy.toml"


def test_default_scheme_has_core_economic_measures_with_toms_references():
    content = parse_scheme(DEFAULT.read_text())
    refs = {m["toms_ref"] for m in content["measures"]}
    assert {"NT1", "NT10", "NT18", "NT19", "NT41", "NT61"} <= refs
    assert all(m["proxy_value"] is None for m in content["measures"]), "no proxy invented"
    assert content["name"] == "Supporting the local economy"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('unit = "weeks"', 'unit = "fortnights"', 1), "unit 'fortnights'"),
        (
            lambda t: t.replace("min_share_of_targets_met = 75", "min_share_of_targets_met = 175"),
            "between 0 and 100",
        ),
        (lambda t: t.replace('code = "P2"', 'code = "P1"'), "used twice"),
        (lambda t: t.replace("period_months = 3", "period_months = 5"), "1, 3, 6 or 12"),
        (lambda t: t + "\n[[[", "not valid TOML"),
    ],
)
def test_invalid_scheme_files_are_refused_with_the_reason(change, message):
    with pytest.raises(SchemeFileError, match=message):
        parse_scheme(change(DEFAULT.read_text()))


def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_kept(app, db):
    text = DEFAULT.read_text()
    first = load_scheme_text(text)
    again = load_scheme_text(text)
    changed = load_scheme_text(text.replace("grace_period_days = 60", "grace_period_days = 45"))
    db.session.commit()

    assert first.created and not again.created and again.scheme.id == first.scheme.id
    assert changed.created and changed.scheme.version == 2
    assert changed.scheme.grace_period_days == 45
    assert first.scheme.is_current is False and first.scheme.grace_period_days == 60
