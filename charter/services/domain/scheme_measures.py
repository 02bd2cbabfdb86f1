"""A scheme file's [[measures]], and how each is checked: its unit or kind of value, how it is
reported, its reference in a shared framework, its theme, and, for a toolkit of pledges
(Worcestershire's), the pledge a supplier fills in and how often it reports.

Kinds of value (charter.models.scheme.UNITS): one figure in a unit (a count, pounds, a
percentage, FTE, hours, weeks), a ``pair`` of related figures named by ``parts``, or an
``achievement``: yes or no, with evidence and a date. The reference is a National TOMs code
("NT18", written only where the council's own document quotes it: the TOMs measure texts and
proxy values are licensed for non-commercial use with no derivatives and are not copied here) or
a government standard reporting metric ("PPN002:<metric>", Procurement Policy Note 002, 2025,
Open Government Licence v3.0). Measures of two charters with the same reference are the same
figure, reported once.

Keys a file adds after the first scheme files were written go into the content (and so its hash)
only when given, so an older file keeps its hash and does not load as a new version.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from charter.models.scheme import (
    ACHIEVEMENT,
    BETTER,
    FIGURE_UNITS,
    FREQUENCIES,
    PAIR,
    REPORTED_PER_CONTRACT,
    REPORTING,
    UNITS,
)
from charter.services.domain.scheme_settings import SchemeFileError, require

TOMS_CODE = re.compile(r"(?:NT\d{1,3}[a-z]?|C19-\d{1,2})")
PPN_002_METRIC = re.compile(r"PPN002:[A-Za-z0-9][A-Za-z0-9.\-]{0,39}")
# Anything in square brackets in a pledge must be the [#] a supplier replaces with its number.
BRACKETED = re.compile(r"\[[^\]]*\]?")
PART_LABEL_LENGTH = 100
TITLE_LENGTH = 300  # Measure.title
KEYS = frozenset(
    {
        "code",
        "toms_ref",
        "reference",
        "title",
        "unit",
        "parts",
        "core",
        "reporting",
        "better",
        "allow_backwards_with_reason",
        "evidence_guidance",
        "proxy_value",
        "theme",
        "pledge",
        "measurement",
        "frequencies",
    }
)


def parse_measure(
    m: dict, index: int, code: str, themes: set[str], frequencies: list[str] | None
) -> dict:
    """The checked content of measure ``index`` (from 0); ``themes`` are the scheme's theme
    codes, ``frequencies`` its [pledges] default."""
    at = ("measures", index)
    where = f"measure {index + 1}"  # for what is missing; the rest name the code as well
    named = f"{where} ({code})"
    unknown = sorted(set(m) - KEYS)
    if unknown:
        raise SchemeFileError(
            f"{named}: unknown key '{unknown[0]}'; the keys are {', '.join(sorted(KEYS))}",
            (*at, unknown[0]),
        )
    unit = require(m, "unit", str, where, at)
    if unit not in UNITS:
        raise SchemeFileError(
            f"{named}: unit '{unit}' must be one of {', '.join(UNITS)}", (*at, "unit")
        )
    reporting = require(m, "reporting", str, where, at)
    if reporting not in REPORTING:
        raise SchemeFileError(
            f'{named}: \'reporting\' must be "per_contract" or "organisation", not "{reporting}"',
            (*at, "reporting"),
        )
    parts = _parts(m, unit, named, at)
    units = [p["unit"] for p in parts] if parts else [unit]
    if reporting == REPORTED_PER_CONTRACT and ("percent" in units or unit == ACHIEVEMENT):
        what = "an achievement" if unit == ACHIEVEMENT else "a percentage"
        raise SchemeFileError(
            f"{named}: {what} cannot be reported per contract, because the figures of "
            'different contracts are added up; use "organisation"',
            (*at, "reporting"),
        )
    better = m.get("better", "higher")
    if better not in BETTER:
        raise SchemeFileError(f'{named}: \'better\' must be "higher" or "lower"', (*at, "better"))
    backwards = m.get("allow_backwards_with_reason", False)
    if not isinstance(backwards, bool):
        raise SchemeFileError(
            f"{named}: 'allow_backwards_with_reason' must be true or false",
            (*at, "allow_backwards_with_reason"),
        )
    core = m.get("core", False)
    if not isinstance(core, bool):
        raise SchemeFileError(f"{named}: 'core' must be true or false", (*at, "core"))
    guidance = m.get("evidence_guidance", "")
    if not isinstance(guidance, str):
        raise SchemeFileError(
            f"{named}: 'evidence_guidance' must be text, in quotes", (*at, "evidence_guidance")
        )
    out = {
        "code": code,
        "reporting": reporting,
        "better": better,
        "allow_backwards_with_reason": backwards,
        "toms_ref": None,
        "title": _title(m, where, named, at),
        "unit": unit,
        "core": core,
        "evidence_guidance": guidance,
        "proxy_value": _proxy(m, unit, named, at),
    }
    out.update(_reference(m, named, at))
    optional = {
        "parts": parts,
        "theme": _theme(m, themes, named, at),
        **_pledge(m, named, at, frequencies),
    }
    out.update({key: value for key, value in optional.items() if value is not None})
    return out


def _title(m: dict, where: str, named: str, at: tuple) -> str:
    title = require(m, "title", str, where, at)
    if not title.strip() or len(title) > TITLE_LENGTH:
        raise SchemeFileError(
            f"{named}: 'title' must be text of 1 to {TITLE_LENGTH} characters (it has "
            f"{len(title)})",
            (*at, "title"),
        )
    return title


def _proxy(m: dict, unit: str, where: str, at: tuple) -> str | None:
    proxy = m.get("proxy_value")
    if proxy is None:
        return None
    if unit in (PAIR, ACHIEVEMENT):
        raise SchemeFileError(
            f"{where}: a {unit} has no single figure to monetise: leave out 'proxy_value'",
            (*at, "proxy_value"),
        )
    try:
        proxy = str(Decimal(str(proxy)))
    except InvalidOperation as exc:
        raise SchemeFileError(
            f"{where}: 'proxy_value' must be a number", (*at, "proxy_value")
        ) from exc
    if Decimal(proxy) < 0:
        raise SchemeFileError(f"{where}: 'proxy_value' cannot be negative", (*at, "proxy_value"))
    return proxy


def _reference(m: dict, where: str, at: tuple) -> dict:
    """toms_ref (older files: a National TOMs code) or reference (a TOMs code or a PPN 002
    metric); not both. A TOMs code is kept as toms_ref too, which pages show."""
    if "toms_ref" in m and "reference" in m:
        raise SchemeFileError(
            f"{where}: give 'reference' only; 'toms_ref' is the older name for a National TOMs "
            "reference",
            (*at, "toms_ref"),
        )
    key = "reference" if "reference" in m else "toms_ref"
    value = m.get(key)
    if value is None:
        return {}
    if not isinstance(value, str):
        raise SchemeFileError(f"{where}: '{key}' must be text, in quotes", (*at, key))
    if TOMS_CODE.fullmatch(value):
        return {"toms_ref": value}
    if key == "reference" and PPN_002_METRIC.fullmatch(value):
        return {"reference": value}
    raise SchemeFileError(
        f"{where}: '{key}' must be a National TOMs code, like \"NT18\""
        + (
            ', or a PPN 002 standard reporting metric, like "PPN002:1a"'
            if key == "reference"
            else ""
        )
        + f', not "{value}"',
        (*at, key),
    )


def _parts(m: dict, unit: str, where: str, at: tuple) -> list[dict] | None:
    parts = m.get("parts")
    if unit != PAIR:
        if parts is not None:
            raise SchemeFileError(
                f"{where}: only a pair has 'parts' (unit = \"{PAIR}\")", (*at, "parts")
            )
        return None
    if not isinstance(parts, list) or len(parts) != 2:
        raise SchemeFileError(
            f"{where}: a pair needs 'parts', two figures like "
            '[{ label = "Events hosted", unit = "count" }, { label = "Total attendance", '
            'unit = "count" }]',
            (*at, "parts"),
        )
    out = []
    for i, part in enumerate(parts):
        part_at = (*at, "parts", i)
        if not isinstance(part, dict) or set(part) != {"label", "unit"}:
            raise SchemeFileError(
                f"{where}: part {i + 1} must be {{ label = ..., unit = ... }}", part_at
            )
        label, part_unit = part["label"], part["unit"]
        if not isinstance(label, str) or not label.strip() or len(label) > PART_LABEL_LENGTH:
            raise SchemeFileError(
                f"{where}: part {i + 1}'s 'label' must be text of 1 to {PART_LABEL_LENGTH} "
                "characters",
                part_at,
            )
        if part_unit not in FIGURE_UNITS:
            raise SchemeFileError(
                f"{where}: part {i + 1}'s unit '{part_unit}' must be one of "
                f"{', '.join(u for u in UNITS if u in FIGURE_UNITS)}",
                part_at,
            )
        out.append({"label": label.strip(), "unit": part_unit})
    if out[0]["label"] == out[1]["label"]:
        raise SchemeFileError(f"{where}: the two parts need different labels", (*at, "parts"))
    return out


def _theme(m: dict, themes: set[str], where: str, at: tuple) -> str | None:
    theme = m.get("theme")
    if theme is None:
        return None
    if theme not in themes:
        known = ", ".join(sorted(themes)) or "none: add [[themes]]"
        raise SchemeFileError(
            f"{where}: theme '{theme}' is not one of the scheme's themes ({known})",
            (*at, "theme"),
        )
    return theme


def _pledge(m: dict, where: str, at: tuple, default: list[str] | None) -> dict:
    pledge, measurement = m.get("pledge"), m.get("measurement")
    if pledge is None:
        for key in ("measurement", "frequencies"):
            if key in m:
                raise SchemeFileError(
                    f"{where}: '{key}' belongs to a pledge: give the 'pledge' too", (*at, key)
                )
        return {}
    for key, value in (("pledge", pledge), ("measurement", measurement)):
        if not isinstance(value, str) or not value.strip():
            raise SchemeFileError(f"{where}: a pledge needs '{key}', as text", (*at, key))
    wrong = [b for b in BRACKETED.findall(pledge) if b != "[#]"]
    if wrong:
        raise SchemeFileError(
            f"{where}: the pledge has '{wrong[0]}': write [#] where the supplier puts its number",
            (*at, "pledge"),
        )
    frequencies = frequencies_of(m.get("frequencies", default), where, (*at, "frequencies"))
    if frequencies is None:
        raise SchemeFileError(
            f"{where}: a pledge needs 'frequencies' (or [pledges] frequencies for every pledge)",
            at,
        )
    return {
        "pledge": pledge.strip(),
        "measurement": measurement.strip(),
        "frequencies": frequencies,
    }


def frequencies_of(value, where: str, at: tuple) -> list[str] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or not value
        or any(f not in FREQUENCIES for f in value)
        or len(set(value)) != len(value)
    ):
        raise SchemeFileError(
            f"{where}: 'frequencies' must list, once each, some of {', '.join(FREQUENCIES)}",
            at,
        )
    return value
