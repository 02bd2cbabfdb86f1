"""Loading scheme files into versioned Scheme rows, each a version of one charter's scheme (the
file's [charter] table says which: charter_file.py, charters.py)."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Charter, Measure, Principle, Scheme
from charter.models.scheme import BETTER, REPORTING, UNITS
from charter.models.signing import acting_charter
from charter.services.domain import signings
from charter.services.domain.charter_file import charter_table, running_body_as_issuer
from charter.services.domain.charters import charter_for_scheme, default_charter_id
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
    the [charter] table's own words are ``charter_file.charter_table``'s)."""
    return scheme_content(read_toml(text))


def scheme_content(data: dict) -> dict:
    out = {key: require(data, key, kind, "scheme") for key, kind in SCHEME_FIELDS.items()}
    out["summary"] = out["summary"].strip()
    monitoring = require(data, "monitoring", dict, "scheme")
    award = require(data, "award", dict, "scheme")
    for key in MONITORING_WHOLE_NUMBERS:
        out[key] = require(monitoring, key, int, "[monitoring]")
    for key in AWARD_WHOLE_NUMBERS:
        out[key] = require(award, key, int, "[award]")
    parse_duties(data, out)
    parse_disclosure(data, out)
    out["all_core_measures_met"] = require(award, "all_core_measures_met", bool, "[award]")
    out["moderation_required"] = bool(award.get("moderation_required", False))
    require_percentage(out["min_share_of_targets_met"], "[award]", "min_share_of_targets_met")
    if out["period_months"] not in (1, 3, 6, 12):
        raise SchemeFileError("[monitoring]: 'period_months' must be 1, 3, 6 or 12")
    out.update(_contract_monitoring_rules(award))
    charter = charter_table(data)
    out.update(running_body_as_issuer(charter) if charter else issuer_table(data))
    renewal = award.get("renewal_runs_from_expiry", True)
    if not isinstance(renewal, bool):
        raise SchemeFileError("[award]: 'renewal_runs_from_expiry' must be true or false")
    out["renewal_runs_from_expiry"] = renewal
    out.update(contract_rules(data))
    plausibility = plausibility_table(data)
    if plausibility:
        # Only when the file has the table: a file without it keeps its content hash.
        out["plausibility"] = plausibility
    register = data.get("register", {})
    publish = register.get("publish_new_signatories", "after_check")
    if publish not in ("after_check", "at_once"):
        raise SchemeFileError(
            '[register]: \'publish_new_signatories\' must be "after_check" or "at_once"'
        )
    out["publish_new_signatories"] = publish

    out["principles"] = [
        {
            "code": code,
            "title": require(p, "title", str, where),
            "description": require(p, "description", str, where),
        }
        for where, p, code in _coded_entries(data, "principles", "principle")
    ]
    if not out["principles"]:
        raise SchemeFileError("scheme: at least one principle is needed")
    out["measures"] = [
        _parse_measure(m, where, code)
        for where, m, code in _coded_entries(data, "measures", "measure")
    ]
    if not any(m["core"] for m in out["measures"]):
        raise SchemeFileError("scheme: at least one measure must be core")
    return out


def _coded_entries(data: dict, key: str, label: str):
    """Each entry of the scheme's list ``key``, with where it stands ("measure 3") for messages
    and its code, which must not be used twice."""
    codes = set()
    for i, entry in enumerate(require(data, key, list, "scheme"), start=1):
        where = f"{label} {i}"
        code = require(entry, "code", str, where)
        if code in codes:
            raise SchemeFileError(f"{where}: code '{code}' is used twice")
        codes.add(code)
        yield where, entry, code


def _parse_measure(m: dict, where: str, code: str) -> dict:
    unit = require(m, "unit", str, where)
    if unit not in UNITS:
        raise SchemeFileError(f"{where}: unit '{unit}' must be one of {', '.join(UNITS)}")
    proxy = m.get("proxy_value")
    if proxy is not None:
        try:
            proxy = str(Decimal(str(proxy)))
        except InvalidOperation as exc:
            raise SchemeFileError(f"{where}: 'proxy_value' must be a number") from exc
        if Decimal(proxy) < 0:
            raise SchemeFileError(f"{where}: 'proxy_value' cannot be negative")
    reporting = require(m, "reporting", str, where)
    if reporting not in REPORTING:
        raise SchemeFileError(
            f'{where} ({code}): \'reporting\' must be "per_contract" or "organisation", '
            f'not "{reporting}"'
        )
    if reporting == "per_contract" and unit == "percent":
        raise SchemeFileError(
            f"{where} ({code}): a percentage cannot be reported per contract, because "
            'percentages of different contracts do not add up; use "organisation"'
        )
    better = m.get("better", "higher")
    if better not in BETTER:
        raise SchemeFileError(f'{where} ({code}): \'better\' must be "higher" or "lower"')
    backwards = m.get("allow_backwards_with_reason", False)
    if not isinstance(backwards, bool):
        raise SchemeFileError(
            f"{where} ({code}): 'allow_backwards_with_reason' must be true or false"
        )
    return {
        "code": code,
        "reporting": reporting,
        "better": better,
        "allow_backwards_with_reason": backwards,
        "toms_ref": m.get("toms_ref"),
        "title": require(m, "title", str, where),
        "unit": unit,
        "core": require(m, "core", bool, where),
        "evidence_guidance": require(m, "evidence_guidance", str, where),
        "proxy_value": proxy,
    }


def _contract_monitoring_rules(award: dict) -> dict:
    """require_confirmed_contract (default true) and require_endorsed_figures (a percentage,
    default 0), both optional in [award]."""
    confirmed = award.get("require_confirmed_contract", True)
    if not isinstance(confirmed, bool):
        raise SchemeFileError("[award]: 'require_confirmed_contract' must be true or false")
    endorsed = award.get("require_endorsed_figures", 0)
    if isinstance(endorsed, bool) or not isinstance(endorsed, int | float):
        raise SchemeFileError(
            "[award]: 'require_endorsed_figures' must be a percentage from 0 to 100, like 50"
        )
    require_percentage(endorsed, "[award]", "require_endorsed_figures")
    return {"require_confirmed_contract": confirmed, "require_endorsed_figures": str(endorsed)}


# [contracts]: optional; without it, contracts start on or after 1 January 2000, end at most 15
# years from today and are worth under £10bn (charter.services.domain.contract_rules says why).
def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def load_scheme_text(text: str) -> LoadResult:
    """Add a new scheme version unless the current one has the same content, to the charter the
    file names (created if new) or, for a file without [charter], the only charter. Does not
    commit."""
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
    )
    scheme.principles = [Principle(position=i, **p) for i, p in enumerate(content["principles"])]
    scheme.measures = [
        Measure(
            position=i,
            code=m["code"],
            toms_ref=m["toms_ref"],
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
