"""The scheme-file features that other councils' charters need (issue 21), and how each is
checked: whether the charter awards a mark and its name, themes and the priorities they serve,
a default reporting frequency for a toolkit's pledges, minimum standards, the social value
weighting at award by contract value, service credits, and an optional self-assessment.

Each is optional, and goes into the scheme's content (and so its hash) only when the file gives
it, so a file written before these existed keeps its hash and does not load as a new version.
What a file gives is what the council wrote: nothing here fills in a question, a band or a
level the file left out (docs/scheme-files.md).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from charter.services.domain.scheme_measures import frequencies_of
from charter.services.domain.scheme_settings import SchemeFileError, require

DEFAULT_AWARD_NAME = "Charter Mark"
AWARD_NAME_LENGTH = 100
STATEMENT_LENGTH = 1000
# A scheme without an award has none of the award rule's settings; its columns hold these.
NO_AWARD_RULE = {
    "min_verified_returns": 0,
    "min_share_of_targets_met": 0,
    "validity_months": 0,
    "renewal_window_days": 0,
    "reapply_wait_days": 0,
    "appeal_window_days": 0,
    "all_core_measures_met": False,
    "moderation_required": False,
    "renewal_runs_from_expiry": False,
    "require_confirmed_contract": False,
    "require_endorsed_figures": "0",
}


def features(data: dict) -> dict:
    """The content of every feature the file gives, checked."""
    out: dict = {}
    award = data.get("award")
    if award is None:
        out["has_award"] = False
    elif "name" in award:
        out["award_name"] = _text(award, "name", "[award]", ("award",), AWARD_NAME_LENGTH)
    if "priorities" in data:
        out["priorities"] = _priorities(data)
    if "themes" in data:
        out["themes"] = _themes(data, {p["code"] for p in out.get("priorities", [])})
    if "pledges" in data:
        pledges = _table(data, "pledges", {"frequencies"})
        out["pledge_frequencies"] = frequencies_of(
            require(pledges, "frequencies", list, "[pledges]", ("pledges",)),
            "[pledges]",
            ("pledges", "frequencies"),
        )
    if "minimum_standards" in data:
        out["minimum_standards"] = _statements(data)
    if "weighting_bands" in data:
        out["weighting_bands"] = _bands(data)
    if "service_credits" in data:
        out["service_credits"] = _service_credits(data)
    if "self_assessment" in data:
        out["self_assessment"] = _self_assessment(data, {t["code"] for t in out.get("themes", [])})
    return out


def award_words(text: str, award: str | None = DEFAULT_AWARD_NAME) -> str:
    """``text``, written about the "Charter Mark", naming ``award`` instead (unchanged for a
    charter without one: leaving out what is about an award is its caller's part)."""
    if award is None or award == DEFAULT_AWARD_NAME:
        return text
    return text.replace(DEFAULT_AWARD_NAME, award)


def weighting_for(bands: list[dict] | None, value: Decimal) -> Decimal | None:
    """The social value weighting (percent) at award for a contract of ``value``, or None when
    no band covers it."""
    for band in bands or []:
        lower = Decimal(band["from"] if "from" in band else band["over"])
        above = value >= lower if "from" in band else value > lower
        if above and ("up_to" not in band or value <= Decimal(band["up_to"])):
            return Decimal(band["percent"])
    return None


def _table(data: dict, key: str, keys: set[str]) -> dict:
    table = data[key]
    if not isinstance(table, dict):
        raise SchemeFileError(f"scheme: '{key}' must be a table, [{key}]", (key,))
    _known(table, keys, f"[{key}]", (key,))
    return table


def _known(table: dict, keys: set[str], where: str, at: tuple) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise SchemeFileError(
            f"{where}: unknown key '{unknown[0]}'; the keys are {', '.join(sorted(keys))}",
            (*at, unknown[0]),
        )


def _text(table: dict, key: str, where: str, at: tuple, longest: int, required=True):
    if key not in table and not required:
        return None
    value = require(table, key, str, where, at).strip()
    if not value:
        raise SchemeFileError(f"{where}: '{key}' cannot be empty", (*at, key))
    if len(value) > longest:
        raise SchemeFileError(
            f"{where}: '{key}' must be {longest} characters or fewer (it has {len(value)})",
            (*at, key),
        )
    return value


def _number(table: dict, key: str, where: str, at: tuple) -> str:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SchemeFileError(
            f"{where}: '{key}' must be a number of pounds, 0 or more, like 100000", (*at, key)
        )
    return str(Decimal(str(value)))


def _entries(data: dict, key: str, label: str, keys: set[str], at: tuple = ()):
    """Each entry of the array of tables ``key``, with its label, path and code (unique)."""
    entries = data[key]
    if not isinstance(entries, list) or not entries:
        raise SchemeFileError(f"{label}s: give at least one [[{key}]]", (*at, key))
    codes: set[str] = set()
    for i, entry in enumerate(entries):
        where, path = f"{label} {i + 1}", (*at, key, i)
        if not isinstance(entry, dict):
            raise SchemeFileError(f"{where} must be a table, [[{key}]]", path)
        _known(entry, keys, where, path)
        code = _text(entry, "code", where, path, 30)
        if code in codes:
            raise SchemeFileError(f"{where}: code '{code}' is used twice", (*path, "code"))
        codes.add(code)
        yield where, path, entry, code


def _priorities(data: dict) -> list[dict]:
    return [
        {"code": code, "title": _text(p, "title", where, path, 300)}
        for where, path, p, code in _entries(data, "priorities", "priority", {"code", "title"})
    ]


def _themes(data: dict, priorities: set[str]) -> list[dict]:
    themes = []
    keys = {"code", "title", "description", "priorities"}
    for where, path, t, code in _entries(data, "themes", "theme", keys):
        theme = {"code": code, "title": _text(t, "title", where, path, 200)}
        description = _text(t, "description", where, path, STATEMENT_LENGTH, required=False)
        if description:
            theme["description"] = description
        if "priorities" in t:
            served = t["priorities"]
            if not isinstance(served, list) or len(set(map(str, served))) != len(served):
                raise SchemeFileError(
                    f"{where}: 'priorities' must list priority codes, once each",
                    (*path, "priorities"),
                )
            unknown = [p for p in served if p not in priorities]
            if unknown:
                raise SchemeFileError(
                    f"{where}: priority '{unknown[0]}' is not one of the [[priorities]] "
                    f"({', '.join(sorted(priorities)) or 'none given'})",
                    (*path, "priorities"),
                )
            theme["priorities"] = served
        themes.append(theme)
    return themes


def _statements(data: dict) -> list[str]:
    statements = data["minimum_standards"]
    at = ("minimum_standards",)
    if not isinstance(statements, list) or not statements:
        raise SchemeFileError("scheme: 'minimum_standards' must list at least one statement", at)
    out = []
    for i, statement in enumerate(statements):
        if not isinstance(statement, str) or not statement.strip():
            raise SchemeFileError(f"minimum standard {i + 1} must be text, not empty", at)
        if len(statement) > STATEMENT_LENGTH:
            raise SchemeFileError(
                f"minimum standard {i + 1} must be {STATEMENT_LENGTH} characters or fewer", at
            )
        out.append(statement.strip())
    if len(set(out)) != len(out):
        raise SchemeFileError("scheme: a minimum standard is listed twice", at)
    return out


def _bands(data: dict) -> list[dict]:
    bands = []
    keys = {"from", "over", "up_to", "percent"}
    for i, band in enumerate(_list_of_tables(data, "weighting_bands")):
        where, at = f"weighting band {i + 1}", ("weighting_bands", i)
        _known(band, keys, where, at)
        if ("from" in band) == ("over" in band):
            raise SchemeFileError(
                f"{where}: give the contract value it starts at, either 'from' (that value "
                "included) or 'over' (above it)",
                at,
            )
        lower = "from" if "from" in band else "over"
        out = {lower: _number(band, lower, where, at)}
        if "up_to" in band:
            out["up_to"] = _number(band, "up_to", where, at)
            if Decimal(out["up_to"]) <= Decimal(out[lower]):
                raise SchemeFileError(f"{where}: 'up_to' must be above '{lower}'", (*at, "up_to"))
        percent = band.get("percent")
        if (
            isinstance(percent, bool)
            or not isinstance(percent, int | float)
            or not 0 < percent <= 100
        ):
            raise SchemeFileError(
                f"{where}: 'percent' must be a weighting above 0 and at most 100",
                (*at, "percent"),
            )
        out["percent"] = str(percent)
        bands.append(out)
    _no_overlap(bands)
    return bands


def _no_overlap(bands: list[dict]) -> None:
    def start(band):
        return Decimal(band.get("from", band.get("over"))), "over" in band

    ordered = sorted(range(len(bands)), key=lambda i: start(bands[i]))
    for before, after in pairwise(ordered):
        up_to = bands[before].get("up_to")
        lower, exclusive = start(bands[after])
        if up_to is None or lower < Decimal(up_to) or (lower == Decimal(up_to) and not exclusive):
            raise SchemeFileError(
                f"weighting band {after + 1} overlaps band {before + 1}: a contract value "
                "must fall in one band at most",
                ("weighting_bands", after),
            )


def _list_of_tables(data: dict, key: str) -> list[dict]:
    entries = data[key]
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, dict) for e in entries)
    ):
        raise SchemeFileError(f"scheme: '{key}' must be one or more [[{key}]] tables", (key,))
    return entries


def _service_credits(data: dict) -> dict:
    table = _table(data, "service_credits", {"applies", "contracts_over", "terms"})
    where, at = "[service_credits]", ("service_credits",)
    out = {"applies": require(table, "applies", bool, where, at)}
    if "contracts_over" in table:
        out["contracts_over"] = _number(table, "contracts_over", where, at)
    terms = _text(table, "terms", where, at, STATEMENT_LENGTH, required=False)
    if terms:
        out["terms"] = terms
    return out


def _self_assessment(data: dict, themes: set[str]) -> dict:
    table = _table(data, "self_assessment", {"name", "questions", "levels"})
    at = ("self_assessment",)
    name = _text(table, "name", "[self_assessment]", at, 200)
    for key in ("questions", "levels"):
        require(table, key, list, "[self_assessment]", at)
    questions, best = [], 0
    keys = {"code", "theme", "text", "answers"}
    for where, path, q, code in _entries(table, "questions", "question", keys, at):
        theme = require(q, "theme", str, where, path)
        if theme not in themes:
            raise SchemeFileError(
                f"{where}: theme '{theme}' is not one of the scheme's [[themes]] "
                f"({', '.join(sorted(themes)) or 'none given'})",
                (*path, "theme"),
            )
        answers = _answers(q, where, path)
        best += max(a["score"] for a in answers)
        text = _text(q, "text", where, path, STATEMENT_LENGTH)
        questions.append({"code": code, "theme": theme, "text": text, "answers": answers})
    return {"name": name, "questions": questions, "levels": _levels(table, best)}


def _answers(question: dict, where: str, at: tuple) -> list[dict]:
    answers = question.get("answers")
    if not isinstance(answers, list) or len(answers) < 2:
        raise SchemeFileError(
            f"{where}: 'answers' must list at least two, like [{{ text = \"Not started\", "
            "score = 0 }, ...]",
            (*at, "answers"),
        )
    out = []
    for i, answer in enumerate(answers):
        if not isinstance(answer, dict) or set(answer) != {"text", "score"}:
            raise SchemeFileError(
                f"{where}: answer {i + 1} must be {{ text = ..., score = ... }}", (*at, "answers")
            )
        score = answer["score"]
        if isinstance(score, bool) or not isinstance(score, int) or score < 0:
            raise SchemeFileError(
                f"{where}: answer {i + 1}'s score must be a whole number, 0 or more",
                (*at, "answers"),
            )
        text = answer["text"]
        if not isinstance(text, str) or not text.strip():
            raise SchemeFileError(f"{where}: answer {i + 1} needs its text", (*at, "answers"))
        out.append({"text": text.strip(), "score": score})
    if len({a["text"] for a in out}) != len(out):
        raise SchemeFileError(f"{where}: two answers have the same text", (*at, "answers"))
    return out


def _levels(table: dict, best: int) -> list[dict]:
    """Levels by total score, from 0 up, each reachable (at most the best total)."""
    levels = []
    for i, level in enumerate(table["levels"]):
        where, at = f"level {i + 1}", ("self_assessment", "levels", i)
        if not isinstance(level, dict):
            raise SchemeFileError(f"{where} must be a table, [[self_assessment.levels]]", at)
        _known(level, {"name", "from_score"}, where, at)
        name = _text(level, "name", where, at, 100)
        start = require(level, "from_score", int, where, at)
        previous = levels[-1]["from_score"] if levels else None
        if (previous is None and start != 0) or (previous is not None and start <= previous):
            raise SchemeFileError(
                f"{where}: 'from_score' must be "
                + ("0, so every total has a level" if previous is None else f"above {previous}"),
                (*at, "from_score"),
            )
        if start > best:
            raise SchemeFileError(
                f"{where}: 'from_score' {start} is above the best total the answers give ({best})",
                (*at, "from_score"),
            )
        levels.append({"name": name, "from_score": start})
    if not levels or len({lvl["name"] for lvl in levels}) != len(levels):
        raise SchemeFileError(
            "[self_assessment]: give at least one level, each with its own name",
            ("self_assessment", "levels"),
        )
    return levels
