"""Loading scheme files into versioned Scheme rows, each a version of one charter's scheme (the
file's [charter] table says which: charter_file.py, charters.py)."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Charter, Measure, Principle, Priority, Scheme, Theme
from charter.models.signing import acting_charter
from charter.services.domain import signings
from charter.services.domain.charter_file import charter_table, running_body_as_issuer
from charter.services.domain.charters import charter_for_scheme, default_charter_id
from charter.services.domain.scheme_features import DEFAULT_AWARD_NAME, NO_AWARD_RULE, features
from charter.services.domain.scheme_lines import on_its_line
from charter.services.domain.scheme_measures import parse_measure
from charter.services.domain.scheme_settings import (
    DUTY_DEFAULTS,
    PLAUSIBILITY_DEFAULTS,
    SchemeFileError,
    contract_rules,
    issuer_table,
    parse_disclosure,
    parse_duties,
    plausibility_columns,
    plausibility_table,
    require,
    require_percentage,
)

__all__ = ["LoadResult", "SchemeFileError", "load_scheme_file", "load_scheme_text", "parse_scheme"]


@dataclass(frozen=True)
class LoadResult:
    scheme: Scheme
    created: bool


SCHEME_FIELDS = {
    "slug": str,
    "name": str,
    "area": str,
    "summary": str,
    "districts": list,
    "sectors": list,
}
MONITORING_WHOLE_NUMBERS = (
    "period_months",
    "return_due_days",
    "reminder_days_before_due",
    "grace_period_days",
)
CODE_LENGTH = 30  # Principle.code, Measure.code
PRINCIPLE_TITLE_LENGTH = 200  # Principle.title
AWARD_WHOLE_NUMBERS = (
    "min_verified_returns",
    "min_share_of_targets_met",
    "validity_months",
    "renewal_window_days",
    "reapply_wait_days",
    "appeal_window_days",
)


def read_toml(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeFileError(f"not valid TOML: {exc}") from exc


def parse_scheme(text: str) -> dict:
    """Validate a scheme file's text and return its normalised content (the scheme version's:
    the [charter] table's own words are ``charter_file.charter_table``'s). A refusal names the
    line it is about."""
    with on_its_line(text):
        return scheme_content(read_toml(text))


def scheme_content(data: dict) -> dict:
    out = {key: require(data, key, kind, "scheme") for key, kind in SCHEME_FIELDS.items()}
    out["summary"] = out["summary"].strip()
    monitoring = require(data, "monitoring", dict, "scheme")
    for key in MONITORING_WHOLE_NUMBERS:
        out[key] = require(monitoring, key, int, "[monitoring]", ("monitoring",))
    if out["period_months"] not in (1, 3, 6, 12):
        raise SchemeFileError(
            "[monitoring]: 'period_months' must be 1, 3, 6 or 12", ("monitoring", "period_months")
        )
    parse_duties(data, out)
    parse_disclosure(data, out)
    feature_content = features(data)
    out.update(_award_rule(data) if "award" in data else NO_AWARD_RULE)
    charter = charter_table(data)
    out.update(running_body_as_issuer(charter) if charter else issuer_table(data))
    out.update(contract_rules(data))
    plausibility = plausibility_table(data)
    if plausibility:
        # Only when the file has the table: a file without it keeps its content hash.
        out["plausibility"] = plausibility
    register = data.get("register", {})
    publish = register.get("publish_new_signatories", "after_check")
    if publish not in ("after_check", "at_once"):
        raise SchemeFileError(
            '[register]: \'publish_new_signatories\' must be "after_check" or "at_once"',
            ("register", "publish_new_signatories"),
        )
    out["publish_new_signatories"] = publish
    out.update(feature_content)

    out["principles"] = [
        {
            "code": code,
            "title": _principle_title(p, where, at),
            "description": require(p, "description", str, where, at),
        }
        for where, at, p, code in _coded_entries(data, "principles", "principle")
    ]
    if not out["principles"]:
        raise SchemeFileError("scheme: at least one principle is needed", ("principles",))
    themes = {t["code"] for t in out.get("themes", [])}
    frequencies = out.get("pledge_frequencies")
    out["measures"] = [
        parse_measure(m, at[1], code, themes, frequencies)
        for _where, at, m, code in _coded_entries(data, "measures", "measure")
    ]
    if out.get("has_award", True) and not any(m["core"] for m in out["measures"]):
        # The award rule judges the core measures; a charter without an award needs none.
        raise SchemeFileError("scheme: at least one measure must be core", ("measures",))
    return out


def _principle_title(principle: dict, where: str, at: tuple) -> str:
    title = require(principle, "title", str, where, at)
    if len(title) > PRINCIPLE_TITLE_LENGTH:
        raise SchemeFileError(
            f"{where}: 'title' must be {PRINCIPLE_TITLE_LENGTH} characters or fewer (it has "
            f"{len(title)})",
            (*at, "title"),
        )
    return title


def _award_rule(data: dict) -> dict:
    award = require(data, "award", dict, "scheme")
    at = ("award",)
    out = {key: require(award, key, int, "[award]", at) for key in AWARD_WHOLE_NUMBERS}
    out["all_core_measures_met"] = require(award, "all_core_measures_met", bool, "[award]", at)
    out["moderation_required"] = bool(award.get("moderation_required", False))
    require_percentage(
        out["min_share_of_targets_met"],
        "[award]",
        "min_share_of_targets_met",
        ("award", "min_share_of_targets_met"),
    )
    out.update(_contract_monitoring_rules(award))
    renewal = award.get("renewal_runs_from_expiry", True)
    if not isinstance(renewal, bool):
        raise SchemeFileError(
            "[award]: 'renewal_runs_from_expiry' must be true or false",
            ("award", "renewal_runs_from_expiry"),
        )
    out["renewal_runs_from_expiry"] = renewal
    return out


def _coded_entries(data: dict, key: str, label: str):
    """Each entry of the scheme's list ``key``, with where it stands ("measure 3") for messages,
    its path in the file and its code, which must not be used twice."""
    codes = set()
    for i, entry in enumerate(require(data, key, list, "scheme")):
        where, at = f"{label} {i + 1}", (key, i)
        if not isinstance(entry, dict):
            raise SchemeFileError(f"{where} must be a table, [[{key}]]", at)
        code = require(entry, "code", str, where, at)
        if not code or len(code) > CODE_LENGTH:
            raise SchemeFileError(
                f"{where}: 'code' must be 1 to {CODE_LENGTH} characters", (*at, "code")
            )
        if code in codes:
            raise SchemeFileError(f"{where}: code '{code}' is used twice", (*at, "code"))
        codes.add(code)
        yield where, at, entry, code


def _contract_monitoring_rules(award: dict) -> dict:
    """require_confirmed_contract (default true) and require_endorsed_figures (a percentage,
    default 0), both optional in [award]."""
    confirmed = award.get("require_confirmed_contract", True)
    if not isinstance(confirmed, bool):
        raise SchemeFileError(
            "[award]: 'require_confirmed_contract' must be true or false",
            ("award", "require_confirmed_contract"),
        )
    endorsed = award.get("require_endorsed_figures", 0)
    at = ("award", "require_endorsed_figures")
    if isinstance(endorsed, bool) or not isinstance(endorsed, int | float):
        raise SchemeFileError(
            "[award]: 'require_endorsed_figures' must be a percentage from 0 to 100, like 50", at
        )
    require_percentage(endorsed, "[award]", "require_endorsed_figures", at)
    return {"require_confirmed_contract": confirmed, "require_endorsed_figures": str(endorsed)}


# [contracts]: optional; without it, contracts start on or after 1 January 2000, end at most 15
# years from today and are worth under £10bn (charter.services.domain.contract_rules says why).
def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def load_scheme_text(text: str) -> LoadResult:
    """Add a new scheme version unless the current one has the same content, to the charter the
    file names (created if new) or, for a file without [charter], the only charter. Does not
    commit. A refusal names the line it is about."""
    with on_its_line(text):
        data = read_toml(text)
        content = scheme_content(data)
        charter = charter_for_scheme(charter_table(data), content["slug"])
    digest = content_hash(content)
    current = current_scheme(content["slug"])
    if current is not None and current.content_hash == digest:
        return LoadResult(current, created=False)
    latest = db.session.scalar(
        select(func.max(Scheme.version)).where(Scheme.slug == content["slug"])
    )
    if current is not None:
        current.is_current = False
    scheme = Scheme(
        charter_id=charter.id,
        slug=content["slug"],
        version=(latest or 0) + 1,
        name=content["name"],
        area=content["area"],
        summary=content["summary"],
        is_current=True,
        content_hash=digest,
        districts=content["districts"],
        sectors=content["sectors"],
        monitoring_period_months=content["period_months"],
        return_due_days=content["return_due_days"],
        reminder_days_before_due=content["reminder_days_before_due"],
        grace_period_days=content["grace_period_days"],
        min_verified_returns=content["min_verified_returns"],
        award_all_core_met=content["all_core_measures_met"],
        award_min_share_met=Decimal(content["min_share_of_targets_met"]),
        validity_months=content["validity_months"],
        renewal_window_days=content["renewal_window_days"],
        reapply_wait_days=content["reapply_wait_days"],
        appeal_window_days=content["appeal_window_days"],
        moderation_required=content["moderation_required"],
        require_confirmed_contract=content["require_confirmed_contract"],
        require_endorsed_figures=Decimal(content["require_endorsed_figures"]),
        issuer_name=content["issuer_name"],
        issuer_members=content["issuer_members"],
        renewal_runs_from_expiry=content["renewal_runs_from_expiry"],
        contract_earliest_start=date.fromisoformat(content["contract_earliest_start"]),
        contract_end_years_ahead=content["contract_end_years_ahead"],
        contract_max_value=Decimal(content["contract_max_value"]),
        disclosure_min_organisations=content["disclosure_min_organisations"],
        disclosure_protection_percent=content["disclosure_protection_percent"],
        publish_new_signatories=content["publish_new_signatories"],
        **{key: content[key] for key in DUTY_DEFAULTS},
        **plausibility_columns(content.get("plausibility") or PLAUSIBILITY_DEFAULTS),
        **_feature_columns(content),
    )
    scheme.principles = [Principle(position=i, **p) for i, p in enumerate(content["principles"])]
    themes = _themes(scheme, content)
    scheme.measures = [
        Measure(
            position=i,
            code=m["code"],
            toms_ref=m["toms_ref"],
            reference=m.get("reference") or m["toms_ref"],
            parts=m.get("parts"),
            pledge=m.get("pledge"),
            measurement=m.get("measurement"),
            frequencies=m.get("frequencies"),
            theme=themes.get(m.get("theme")),
            title=m["title"],
            unit=m["unit"],
            reporting=m["reporting"],
            better=m["better"],
            allow_backwards_with_reason=m["allow_backwards_with_reason"],
            is_core=m["core"],
            evidence_guidance=m["evidence_guidance"],
            proxy_value=Decimal(m["proxy_value"]) if m["proxy_value"] is not None else None,
        )
        for i, m in enumerate(content["measures"])
    ]
    db.session.add(scheme)
    db.session.flush()
    return LoadResult(scheme, created=True)


def _feature_columns(content: dict) -> dict:
    has_award = content.get("has_award", True)
    credits = content.get("service_credits", {})
    over = credits.get("contracts_over")
    return {
        "has_award": has_award,
        "award_name": content.get("award_name", DEFAULT_AWARD_NAME) if has_award else None,
        "minimum_standards": content.get("minimum_standards"),
        "weighting_bands": content.get("weighting_bands"),
        "service_credits": credits.get("applies", False),
        "service_credits_over": Decimal(over) if over is not None else None,
        "service_credits_terms": credits.get("terms"),
        "self_assessment": content.get("self_assessment"),
    }


def _themes(scheme: Scheme, content: dict) -> dict[str, Theme]:
    """The scheme's priorities and themes as rows; the themes by code, for their measures."""
    priorities = {
        p["code"]: Priority(position=i, **p) for i, p in enumerate(content.get("priorities", []))
    }
    scheme.priorities = list(priorities.values())
    themes = {
        t["code"]: Theme(
            position=i,
            code=t["code"],
            title=t["title"],
            description=t.get("description"),
            priorities=[priorities[code] for code in t.get("priorities", [])],
        )
        for i, t in enumerate(content.get("themes", []))
    }
    scheme.themes = list(themes.values())
    return themes


def load_scheme_file(path: str | Path) -> LoadResult:
    return load_scheme_text(Path(path).read_text(encoding="utf-8"))


def current_scheme(slug: str | None = None, *, charter: Charter | None = None) -> Scheme | None:
    """The current version of ``slug``, or else of the most recently loaded scheme of
    ``charter``, by default the charter acting now (charter.models.signing.acting_charter),
    else the default charter (the one existing URLs serve). One query."""
    query = select(Scheme).where(Scheme.is_current.is_(True))
    if slug:
        query = query.where(Scheme.slug == slug)
    else:
        charter_id = charter.id if charter is not None else acting_charter.get()
        query = query.where(Scheme.charter_id == (charter_id or default_charter_id()))
    return db.session.scalar(query.order_by(Scheme.loaded_at.desc(), Scheme.id.desc()).limit(1))


def principles_of(scheme: Scheme) -> list[Principle]:
    return list(
        db.session.scalars(
            select(Principle).where(Principle.scheme_id == scheme.id).order_by(Principle.position)
        )
    )


def measures_of(scheme: Scheme) -> list[Measure]:
    return list(
        db.session.scalars(
            select(Measure).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
        )
    )


def scheme_of(organisation) -> Scheme | None:
    """The scheme version the organisation signed under, or the current one before it signs."""
    scheme_id = signings.scheme_id_of(organisation)
    if scheme_id is not None:
        return db.session.get(Scheme, scheme_id)
    return current_scheme()
