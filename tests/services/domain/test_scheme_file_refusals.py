"""A bad scheme file is refused with the line it is about and what is wrong (issue 21): one row
per rule of the scheme-file features, each a change to one of the councils' files, the message
it gets, and the line the message must name (where ``marker`` is in the changed file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from charter.services.domain.scheme_lines import line_of
from charter.services.domain.schemes import SchemeFileError, parse_scheme
from tests.factories import make_user

SCHEMES = Path(__file__).resolve().parents[3] / "schemes"
SHROPSHIRE = "supporting-the-local-economy.toml"
WORCESTERSHIRE = "worcestershire.toml"
CHESHIRE_WEST = "cheshire-west-and-chester.toml"
WARWICKSHIRE = "warwickshire.toml"
# A self-assessment for the tests only (Warwickshire's document gives none).
SELF_ASSESSMENT = """
[self_assessment]
name = "A self-assessment"

[[self_assessment.questions]]
code = "Q1"
theme = "NP1"
text = "A question"
answers = [{ text = "Not started", score = 0 }, { text = "Embedded", score = 2 }]

[[self_assessment.levels]]
name = "Starting"
from_score = 0

[[self_assessment.levels]]
name = "Leading"
from_score = 2
"""
FIRST_PAIR = 'parts = [{ label = "Initiatives", unit = "count" }, { label = "Participants", unit = "count" }]'  # noqa: E501
ACHIEVEMENT = 'unit = "achievement"\nreporting = "organisation"'
FREQUENCIES = 'frequencies = ["quarterly", "annually"]'


def _text(name: str) -> str:
    text = (SCHEMES / name).read_text(encoding="utf-8")
    return text + SELF_ASSESSMENT if name == WARWICKSHIRE else text


# (file, old, new, message, marker: the changed file's line the message names; default new)
CASES = [
    (SHROPSHIRE, 'unit = "weeks"', 'unit = "fortnights"', "unit 'fortnights' must be one of", None),
    (SHROPSHIRE, 'toms_ref = "NT18"', 'toms_ref = "NT 18"', "must be a National TOMs code", None),
    (SHROPSHIRE, 'toms_ref = "NT18"', 'toms_ref = "NT18"\nreference = "NT18"',
     "give 'reference' only", None),
    (SHROPSHIRE, 'toms_ref = "NT18"', 'toms_ref = "NT18"\nrefrence = "NT18"',
     "unknown key 'refrence'", "refrence"),
    (SHROPSHIRE, "[award]\n", '[award]\nname = " "\n', r"\[award\]: 'name' cannot be empty",
     "name ="),
    (SHROPSHIRE, "period_months = 3", "period_months = 5", "'period_months' must be 1, 3, 6", None),
    (WARWICKSHIRE, 'region = "west-midlands"', 'region = "West Midlands"',
     r"\[charter\]: 'region' must be one of the ONS regions, written \"north-east\"", None),
    (CHESHIRE_WEST, 'region = "north-west"', 'region = "cheshire"',
     r"'region' must be one of the ONS regions.*not \"cheshire\"", None),
    (WORCESTERSHIRE, 'region = "west-midlands"', "region = 4", r"'region' must be text", None),
    (SHROPSHIRE, 'slug = "shropshire"', 'slug = "Shropshire"', r"'slug' must be lower-case", None),
    (SHROPSHIRE, "audit_share_percent = 10", "audit_share_percent = -1",
     "'audit_share_percent' must be a whole number", None),
    (SHROPSHIRE, 'reporting = "per_contract"', 'reporting = "per_contract', "not valid TOML", None),
    (SHROPSHIRE, 'code = "LE1"', f'code = "{"L" * 31}"', "'code' must be 1 to 30 characters", None),
    (SHROPSHIRE, 'title = "Total spent in the local', f'title = "{"x" * 300}', "'title' must be text of 1 to 300", None),  # noqa: E501
    (SHROPSHIRE, 'title = "Buy local', f'title = "{"x" * 200}', "'title' must be 200 characters or fewer", None),  # noqa: E501
    (WORCESTERSHIRE, FIRST_PAIR, 'parts = [{ label = "Initiatives", unit = "count" }]',
     "a pair needs 'parts', two figures", None),
    (WORCESTERSHIRE, FIRST_PAIR,
     'parts = [{ label = "Initiatives", unit = "count" }, { label = "Events", unit = "pair" }]',
     "part 2's unit 'pair' must be one of", None),
    (WORCESTERSHIRE, FIRST_PAIR,
     'parts = [{ label = "Initiatives", unit = "count" }, { label = "Initiatives", unit = "count" }]',  # noqa: E501
     "the two parts need different labels", None),
    (WORCESTERSHIRE, 'unit = "count"', 'unit = "count"\nparts = []', "only a pair has 'parts'",
     "parts = []"),
    (WORCESTERSHIRE, ACHIEVEMENT, 'unit = "achievement"\nreporting = "per_contract"',
     "an achievement cannot be reported per contract", 'reporting = "per_contract"'),
    (WORCESTERSHIRE, ACHIEVEMENT, 'unit = "achievement"\nproxy_value = 10\nreporting = "organisation"',  # noqa: E501
     "has no single figure to monetise", "proxy_value"),
    (WORCESTERSHIRE, "Train [#] number", "Train [n] number", r"has '\[n\]': write \[#\]", None),
    (WORCESTERSHIRE, FREQUENCIES, 'frequencies = ["quarterly", "weekly"]',
     "'frequencies' must list, once each", None),
    (WORCESTERSHIRE, 'frequencies = ["annually"]', 'frequencies = ["annually", "annually"]',
     "'frequencies' must list, once each", None),
    (WORCESTERSHIRE, 'measurement = "Record the number of staff trained', 'measure_ment = "Record',
     "unknown key 'measure_ment'", None),
    (WORCESTERSHIRE, 'theme = "CD"', 'theme = "XX"', "theme 'XX' is not one of", None),
    (CHESHIRE_WEST, 'priorities = ["FAIRER", "ECONOMY", "CHILDREN", "ADULTS"]',
     'priorities = ["FAIRER", "WEALTH"]', "priority 'WEALTH' is not one of", None),
    (CHESHIRE_WEST, 'code = "GROWTH"', 'code = "JOBS"', "code 'JOBS' is used twice", None),
    (CHESHIRE_WEST, 'title = "Tackle the climate emergency"', 'title = ""',
     "priority 1: 'title' cannot be empty", None),
    (CHESHIRE_WEST, "\nover = 100000", "\nfrom = 100000", "band 2 overlaps band 1",
     "^[[weighting_bands]]\nfrom = 100000"),
    (CHESHIRE_WEST, "percent = 5", "percent = 0", "'percent' must be a weighting above 0", None),
    (CHESHIRE_WEST, "\nover = 100000", "\nover = 100000\nfrom = 100000",
     "either 'from' .* or 'over'", "^[[weighting_bands]]\nover"),
    (CHESHIRE_WEST, "up_to = 100000", "up_to = 40000", "'up_to' must be above 'from'", None),
    (CHESHIRE_WEST, "applies = true", 'applies = "yes"',
     r"\[service_credits\]: 'applies' must be true or false", None),
    (CHESHIRE_WEST, "contracts_over = 100000", "contracts_over = -5",
     "'contracts_over' must be a number of pounds", None),
    (CHESHIRE_WEST, '"Commitment to fair working practices",', '"",',
     "minimum standard 4 must be text", "^minimum_standards = ["),
    (CHESHIRE_WEST, 'reference = "NT10"', 'reference = "PPN002"',
     'must be a National TOMs code, like "NT18", or a PPN 002', None),
    (WARWICKSHIRE, 'theme = "NP1"\ntext', 'theme = "NP9"\ntext',
     "question 1: theme 'NP9' is not one of", 'theme = "NP9"'),
    (WARWICKSHIRE, 'answers = [{ text = "Not started", score = 0 }, ',
     'answers = [{ text = "Not started", score = -1 }, ', "answer 1's score must be a whole", None),
    (WARWICKSHIRE, ', { text = "Embedded", score = 2 }]', "]", "'answers' must list at least two",
     '^answers = [{ text = "Not started", score = 0 }]'),
    (WARWICKSHIRE, "\nfrom_score = 0", "\nfrom_score = 1", "'from_score' must be 0", None),
    (WARWICKSHIRE, "from_score = 2", "from_score = 3", "above the best total the answers give",
     None),
    (WARWICKSHIRE, 'text = "A question"', 'texts = "A question"', "unknown key 'texts'", None),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "message", "marker"), CASES)
def test_a_bad_file_is_refused_with_its_line_and_what_is_wrong(name, old, new, message, marker):
    original = _text(name)
    assert old in original, old
    text = original.replace(old, new, 1)
    if (marker or "").startswith("^"):  # the marker's first line in the file
        position = text.index(marker[1:])
    else:
        position = text.index(marker or new.strip("\n"), original.index(old))
    line = text.count("\n", 0, position) + 1

    with pytest.raises(SchemeFileError) as refused:
        parse_scheme(text)

    assert re.search(message, str(refused.value)), str(refused.value)
    assert re.search(rf"\bline {line}\b", str(refused.value)), (line, str(refused.value))


def test_a_scheme_with_an_award_needs_a_core_measure_and_one_without_needs_none():
    text = _text(SHROPSHIRE).replace("core = true", "core = false")
    first = text.count("\n", 0, text.index("[[measures]]")) + 1
    with pytest.raises(
        SchemeFileError, match=rf"line {first}: .*at least one measure must be core"
    ):
        parse_scheme(text)
    assert not any(m["core"] for m in parse_scheme(_text(CHESHIRE_WEST))["measures"])


def test_every_file_is_good_before_it_is_changed():
    for name in (SHROPSHIRE, WORCESTERSHIRE, CHESHIRE_WEST, WARWICKSHIRE):
        parse_scheme(_text(name))


def test_a_good_self_assessment_is_kept_as_written():
    content = parse_scheme(_text(WARWICKSHIRE))

    assert content["self_assessment"] == {
        "name": "A self-assessment",
        "questions": [
            {
                "code": "Q1",
                "theme": "NP1",
                "text": "A question",
                "answers": [{"text": "Not started", "score": 0}, {"text": "Embedded", "score": 2}],
            }
        ],
        "levels": [{"name": "Starting", "from_score": 0}, {"name": "Leading", "from_score": 2}],
    }


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("measures", 1, "unit"), 6),
        (("measures", 1, "parts", 1), 8),  # inside an inline value: the key's line
        (("measures", 1, "title"), 5),  # a key left out: its table's header
        (("pledges", "frequencies"), 2),
        (("summary",), None),
    ],
)
def test_the_line_of_a_path(path, line):
    text = (
        '[pledges]\nfrequencies = ["annually"]\n'
        '[[measures]]\ncode = "A"\n[[measures]]\nunit = """x\ny"""\n'
        "parts = [\n  1,\n  2,\n]\n"
    )
    assert line_of(text, path) == line


def test_the_command_names_the_file_and_the_line(app, db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(_text(CHESHIRE_WEST).replace("percent = 5", "percent = 500"))

    result = app.test_cli_runner().invoke(args=["charter", "load-scheme", str(bad)])

    assert result.exit_code != 0
    assert "bad.toml: line " in result.output and "'percent' must be a weighting" in result.output


def test_creating_a_charter_from_a_bad_file_names_the_line(app, db, tmp_path):
    make_user("lead@council.example", role="member")
    db.session.commit()
    bad = tmp_path / "bad.toml"
    text = _text(WORCESTERSHIRE).replace('slug = "worcestershire"', 'slug = "Worcs"')
    bad.write_text(text)
    line = text.count("\n", 0, text.index('slug = "Worcs"')) + 1

    result = app.test_cli_runner().invoke(
        args=["charter", "create-charter", str(bad), "--administrator", "lead@council.example"]
    )

    assert result.exit_code != 0
    assert f"bad.toml: line {line}: [charter]: 'slug' must be lower-case" in result.output
