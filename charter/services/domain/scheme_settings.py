"""The settings tables of a scheme file, and how each is checked: what a council may write in
[contracts], [issuer], [duties], [plausibility] and [disclosure], and the defaults when a table
or a key is left out (older scheme files keep loading, with their content hash unchanged where
a table is new). ``schemes`` reads the principles, measures and award rule and calls these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from charter.services.domain.refusals import Refused
from charter.services.domain.units import FIGURE_COLUMN_MAX


class SchemeFileError(Refused):
    """The scheme file is not valid; the message says where. ``at`` is the path of the table,
    entry or key it is about (``("measures", 2, "unit")``), from which the loader finds its line
    in the file (scheme_lines.py)."""

    def __init__(self, message: str = "", at: tuple = ()):
        super().__init__(message)
        self.at = at


KIND_WORDS = {
    str: "text, in quotes",
    int: "a whole number",
    bool: "true or false",
    list: "a list, in [ ]",
    dict: "a table",
}


def require(data: dict, key: str, kind: type, where: str, at: tuple = ()):
    """``data[key]``, which the file must give, of ``kind``; ``at`` is the path of ``data``."""
    if key not in data:
        raise SchemeFileError(f"{where}: '{key}' is missing", at)
    value = data[key]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise SchemeFileError(
            f"{where}: '{key}' must be {KIND_WORDS.get(kind, kind.__name__)}", (*at, key)
        )
    return value


# The scheme file's top-level fields, and the whole numbers its [monitoring] and [award] need.
def require_percentage(value, where: str, key: str, at: tuple = ()) -> None:
    if not 0 <= value <= 100:
        raise SchemeFileError(f"{where}: '{key}' must be between 0 and 100", at)


CONTRACT_DEFAULTS = {
    "earliest_start": date(2000, 1, 1),
    "latest_end_years_ahead": 15,
    "max_value": 10_000_000_000,
}


def contract_rules(data: dict) -> dict:
    contracts = data.get("contracts", {})
    if not isinstance(contracts, dict):
        raise SchemeFileError("scheme: 'contracts' must be a table", ("contracts",))
    values = {key: contracts.get(key, default) for key, default in CONTRACT_DEFAULTS.items()}
    earliest = values["earliest_start"]
    if not isinstance(earliest, date) or hasattr(earliest, "hour"):
        raise SchemeFileError(
            "[contracts]: 'earliest_start' must be a date, like 2000-01-01",
            ("contracts", "earliest_start"),
        )
    years = values["latest_end_years_ahead"]
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 100:
        raise SchemeFileError(
            "[contracts]: 'latest_end_years_ahead' must be a whole number from 1 to 100",
            ("contracts", "latest_end_years_ahead"),
        )
    ceiling = values["max_value"]
    if (
        isinstance(ceiling, bool)
        or not isinstance(ceiling, int | float)
        or not 1 < ceiling <= FIGURE_COLUMN_MAX  # the Numeric(14, 2) value column
    ):
        raise SchemeFileError(
            "[contracts]: 'max_value' must be a number of pounds above 1 and at most "
            f"{FIGURE_COLUMN_MAX}",
            ("contracts", "max_value"),
        )
    return {
        "contract_earliest_start": earliest.isoformat(),
        "contract_end_years_ahead": years,
        "contract_max_value": str(Decimal(str(ceiling))),
    }


ISSUER_NAME_LENGTH = 200


def issuer_table(data: dict) -> dict:
    """[issuer]: who runs the charter and issues its Charter Marks, printed on every
    certificate; ``name`` is needed, ``members`` (who it is made up of) is optional."""
    issuer = require(data, "issuer", dict, "scheme")
    name = require(issuer, "name", str, "[issuer]", ("issuer",)).strip()
    at = ("issuer", "name")
    if not name:
        raise SchemeFileError("[issuer]: 'name' cannot be empty: certificates name the issuer", at)
    if len(name) > ISSUER_NAME_LENGTH:
        raise SchemeFileError(
            f"[issuer]: 'name' must be {ISSUER_NAME_LENGTH} characters or fewer", at
        )
    members = issuer.get("members")
    if members is not None and not isinstance(members, str):
        raise SchemeFileError("[issuer]: 'members' must be text", ("issuer", "members"))
    return {"issuer_name": name, "issuer_members": (members or "").strip() or None}


DUTY_DEFAULTS = {
    "warning_days_before_sanction": 28,
    "confirmation_window_days": 60,
    "audit_share_percent": 10,
}


def parse_duties(data: dict, out: dict) -> None:
    """[duties]: optional, so older scheme files keep loading with the defaults."""
    duties = data.get("duties", {})
    if not isinstance(duties, dict):
        raise SchemeFileError("scheme: 'duties' must be a table", ("duties",))
    for key, default in DUTY_DEFAULTS.items():
        value = duties.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SchemeFileError(
                f"[duties]: '{key}' must be a whole number, 0 or more", ("duties", key)
            )
        out[key] = value
    at = ("duties", "audit_share_percent")
    require_percentage(out["audit_share_percent"], "[duties]", "audit_share_percent", at)


PLAUSIBILITY_DEFAULTS = {"contract_share": 100, "size_band": True, "median_multiple": 10}


def plausibility_table(data: dict) -> dict:
    """[plausibility]: optional thresholds for flagging figures out of line
    (charter.services.domain.plausibility); what the file leaves out has its default."""
    table = data.get("plausibility")
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise SchemeFileError("scheme: 'plausibility' must be a table", ("plausibility",))
    out = dict(PLAUSIBILITY_DEFAULTS)
    for key in ("contract_share", "median_multiple"):
        value = table.get(key, out[key])
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 10000:
            raise SchemeFileError(
                f"[plausibility]: '{key}' must be a number from 1 to 10000", ("plausibility", key)
            )
        out[key] = str(value)
    size_band = table.get("size_band", True)
    if not isinstance(size_band, bool):
        raise SchemeFileError(
            "[plausibility]: 'size_band' must be true or false", ("plausibility", "size_band")
        )
    out["size_band"] = size_band
    return out


DISCLOSURE_DEFAULTS = {"min_organisations": 3, "protection_percent": 20}


def parse_disclosure(data: dict, out: dict) -> None:
    """[disclosure]: optional (older scheme files keep the defaults). A public figure from
    fewer than ``min_organisations`` is withheld, and every withheld figure must be uncertain
    by at least ``protection_percent`` of its upper end, whatever is published beside it."""
    disclosure = data.get("disclosure", {})
    if not isinstance(disclosure, dict):
        raise SchemeFileError("scheme: 'disclosure' must be a table", ("disclosure",))
    for key, default in DISCLOSURE_DEFAULTS.items():
        value = disclosure.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SchemeFileError(
                f"[disclosure]: '{key}' must be a whole number, 1 or more", ("disclosure", key)
            )
        out[f"disclosure_{key}"] = value
    require_percentage(
        out["disclosure_protection_percent"],
        "[disclosure]",
        "protection_percent",
        ("disclosure", "protection_percent"),
    )


def plausibility_columns(plausibility: dict) -> dict:
    return {
        "plausibility_contract_share": Decimal(str(plausibility["contract_share"])),
        "plausibility_size_band": plausibility["size_band"],
        "plausibility_median_multiple": Decimal(str(plausibility["median_multiple"])),
    }
