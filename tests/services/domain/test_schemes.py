import pytest

from charter.services.domain.schemes import SchemeFileError, load_scheme_text, parse_scheme
from tests.services.domain.scheme_text_helpers import DEFAULT, without_charter


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


def test_the_default_scheme_says_how_each_measure_is_reported_and_its_contract_rules(app, db):
    scheme = load_scheme_text(DEFAULT.read_text()).scheme
    reporting = {m.code: m.reporting for m in scheme.measures}
    assert {code for code, how in reporting.items() if how == "per_contract"} == {
        f"LE{n}" for n in range(1, 8)
    }
    assert {code for code, how in reporting.items() if how == "organisation"} == {
        f"LE{n}" for n in range(8, 13)
    }
    assert scheme.require_confirmed_contract is True
    assert scheme.require_endorsed_figures == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('reporting = "per_contract"\n', "", 1), "measure 1: 'reporting'"),
        (
            lambda t: t.replace('reporting = "per_contract"', 'reporting = "contract"', 1),
            'LE1.*must be "per_contract" or "organisation", not "contract"',
        ),
        (
            lambda t: t.replace(
                'unit = "percent"\ncore = true\nreporting = "organisation"',
                'unit = "percent"\ncore = true\nreporting = "per_contract"',
                1,
            ),
            "LE8.*percentage cannot be reported per contract",
        ),
        (
            lambda t: t.replace("require_endorsed_figures = 0", "require_endorsed_figures = 120"),
            "'require_endorsed_figures' must be between 0 and 100",
        ),
        (
            lambda t: t.replace("require_endorsed_figures = 0", 'require_endorsed_figures = "all"'),
            "'require_endorsed_figures' must be a percentage",
        ),
        (
            lambda t: t.replace(
                "require_confirmed_contract = true", "require_confirmed_contract = 1"
            ),
            "'require_confirmed_contract' must be true or false",
        ),
    ],
)
def test_contract_monitoring_settings_are_validated_at_load(change, message):
    text = change(DEFAULT.read_text())
    assert text != DEFAULT.read_text()
    with pytest.raises(SchemeFileError, match=message):
        parse_scheme(text)


def test_contract_monitoring_settings_default_when_absent(app, db):
    text = DEFAULT.read_text().replace("require_confirmed_contract = true\n", "")
    text = text.replace("require_endorsed_figures = 0\n", "")
    content = parse_scheme(text)
    assert content["require_confirmed_contract"] is True
    assert content["require_endorsed_figures"] == "0"
    scheme = load_scheme_text(
        DEFAULT.read_text().replace("require_endorsed_figures = 0", "require_endorsed_figures = 50")
    ).scheme
    assert scheme.require_endorsed_figures == 50


# The councils' source documents, where a checkout has them beside it (../shared/seeds).
SEEDS = [DEFAULT.parents[2] / "shared" / "seeds", DEFAULT.parents[3] / "shared" / "seeds"]
SHROPSHIRE_PROPOSAL = "004_c94ad31bc1c7676b.txt"


def test_the_default_scheme_names_its_issuer_as_the_shropshire_proposal_does(app, db):
    scheme = load_scheme_text(DEFAULT.read_text()).scheme
    assert scheme.issuer_name == "Social Value Group"
    assert scheme.issuer == "Social Value Group"
    assert scheme.issuer_members == (
        "representatives from the Local Authority, Health, Police & Crime Commissioner's "
        "Office, Housing and the Voluntary & Community Sector"
    )
    assert scheme.renewal_runs_from_expiry is True
    seeds = [folder / SHROPSHIRE_PROPOSAL for folder in SEEDS]
    for seed in [path for path in seeds if path.exists()][:1]:  # quoted, never invented
        text = seed.read_text()
        assert f"A {scheme.issuer_name} consisting of {scheme.issuer_members}" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('name = "Social Value Group"\n', ""), "'name' is missing"),
        (
            lambda t: t.replace("[issuer]\n", "").replace('name = "Social Value Group"\n', ""),
            "scheme: 'issuer' is missing",
        ),
        (
            lambda t: t.replace('name = "Social Value Group"', 'name = "  "'),
            "'name' cannot be empty",
        ),
        (
            lambda t: t.replace('name = "Social Value Group"', f'name = "{"x" * 201}"'),
            "'name' must be 200 characters or fewer",
        ),
        (lambda t: t.replace('members = "representatives', "members = 3 #"), "must be text"),
        (
            lambda t: t.replace("renewal_runs_from_expiry = true", "renewal_runs_from_expiry = 1"),
            "'renewal_runs_from_expiry' must be true or false",
        ),
    ],
)
def test_the_issuer_and_renewal_settings_are_validated_at_load(change, message):
    # A file written before charters were data names its issuer in [issuer].
    text = change(without_charter())
    assert text != without_charter()
    with pytest.raises(SchemeFileError, match=message):
        parse_scheme(text)


def test_renewal_runs_from_expiry_is_on_unless_the_file_turns_it_off(app, db):
    text = DEFAULT.read_text()
    absent = parse_scheme(text.replace("renewal_runs_from_expiry = true\n", ""))
    assert absent["renewal_runs_from_expiry"] is True
    off = load_scheme_text(
        text.replace("renewal_runs_from_expiry = true", "renewal_runs_from_expiry = false")
    ).scheme
    assert off.renewal_runs_from_expiry is False
    members = parse_scheme(text.replace('members = "representatives', 'members = "" #'))
    assert members["issuer_members"] is None


PLAUSIBILITY = "[plausibility]\ncontract_share = 100\nsize_band = true\nmedian_multiple = 10\n"


def test_plausibility_thresholds_come_from_the_file_and_default_when_absent(app, db):
    from decimal import Decimal

    scheme = load_scheme_text(DEFAULT.read_text()).scheme
    assert (
        scheme.plausibility_contract_share,
        scheme.plausibility_size_band,
        scheme.plausibility_median_multiple,
    ) == (Decimal(100), True, Decimal(10))
    changed = DEFAULT.read_text().replace(
        PLAUSIBILITY, "[plausibility]\ncontract_share = 150\nsize_band = false\n"
    )
    scheme = load_scheme_text(changed).scheme
    assert (
        scheme.plausibility_contract_share,
        scheme.plausibility_size_band,
        scheme.plausibility_median_multiple,
    ) == (Decimal(150), False, Decimal(10))
    without = DEFAULT.read_text().replace(PLAUSIBILITY, "")
    assert "plausibility" not in parse_scheme(without)
    scheme = load_scheme_text(without).scheme
    assert scheme.plausibility_median_multiple == Decimal(10)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("contract_share = 0", "'contract_share' must be a number from 1 to 10000"),
        ('median_multiple = "ten"', "'median_multiple' must be a number from 1 to 10000"),
        ("size_band = 1", "'size_band' must be true or false"),
    ],
)
def test_plausibility_thresholds_are_validated_at_load(table, message):
    text = DEFAULT.read_text().replace(PLAUSIBILITY, f"[plausibility]\n{table}\n")
    with pytest.raises(SchemeFileError, match=message):
        parse_scheme(text)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda t: t.replace("protection_percent = 20", "protection_percent = 120"),
            "'protection_percent' must be between 0 and 100",
        ),
        (
            lambda t: t.replace("min_organisations = 3", "min_organisations = 0"),
            "'min_organisations' must be a whole number, 1 or more",
        ),
        (
            lambda t: t.replace("protection_percent = 20", "protection_percent = 12.5"),
            "'protection_percent' must be a whole number",
        ),
    ],
)
def test_disclosure_settings_are_validated_at_load(change, message):
    text = change(DEFAULT.read_text())
    assert text != DEFAULT.read_text()
    with pytest.raises(SchemeFileError, match=message):
        parse_scheme(text)


def test_disclosure_settings_default_when_absent(app, db):
    text = DEFAULT.read_text()
    absent = parse_scheme(
        text.replace("min_organisations = 3\n", "").replace("protection_percent = 20\n", "")
    )
    assert (absent["disclosure_min_organisations"], absent["disclosure_protection_percent"]) == (
        3,
        20,
    )
    scheme = load_scheme_text(text.replace("min_organisations = 3", "min_organisations = 5")).scheme
    assert (scheme.disclosure_min_organisations, scheme.disclosure_protection_percent) == (5, 20)


def test_new_signatories_are_published_after_a_check_unless_the_file_says_at_once(app, db):
    text = DEFAULT.read_text()
    assert load_scheme_text(text).scheme.publish_new_signatories == "after_check"
    absent = parse_scheme(text.replace('publish_new_signatories = "after_check"\n', ""))
    assert absent["publish_new_signatories"] == "after_check"
    at_once = text.replace(
        'publish_new_signatories = "after_check"', 'publish_new_signatories = "at_once"'
    )
    assert parse_scheme(at_once)["publish_new_signatories"] == "at_once"
    wrong = text.replace(
        'publish_new_signatories = "after_check"', 'publish_new_signatories = "yes"'
    )
    with pytest.raises(SchemeFileError, match="'publish_new_signatories' must be"):
        parse_scheme(wrong)
