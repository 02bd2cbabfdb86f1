"""Bulk-generate a register of any size for the benchmarks: organisations in a realistic mix of
lifecycle states (about 10% Charter Mark holders), with signatures, applications, Charter Marks
and the audit rows the feed reads, in the current scheme's districts and sectors.

COPY on PostgreSQL, executemany on SQLite; ids are assigned here, so no row is read back. 100,000
organisations take well under a minute. Deterministic for a given seed and size.

The charter dimension (issue 20), behind ``charters=True`` (``bench/charters_bench.py``): every
charter with a current scheme (load the other scheme files first: ``load_charters``) gets
signings, shaped like the demo's. Nine organisations in ten sign the first (default) charter,
the tenth one of the others; then, by the organisation's place in a cycle of 40 (``EXTRA``),
45% sign one more charter and 7.5% two more: 1.6 signings an organisation, 160,000 at 100,000.
Each signing has its own state, signature and audit row; Marks only under a scheme with an
award (the shipped Worcestershire, Cheshire West and Warwickshire schemes award none, so their
holding states become monitoring). Commissioners: ``COMMISSIONERS_PER_CHARTER`` of each
charter's own, and one shared by each pair of neighbouring charters (taking part in both), with
a contract per signed organisation, with a shared commissioner where it signed two charters so
the contract counts in both. Without ``charters`` the rows are exactly those of before.

    DATABASE_URL=... .venv/bin/python bench/generate.py 50000   # adds rows up to 50,000
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from bench.charter_mix import (
    SIGNING_ID_STRIDE,
    charters_of,
    commissioner_rows,
    contract,
    current_schemes,
)
from charter.extensions import db
from charter.models import Organisation, Scheme
from charter.services.read_models import register_version
from workflows.states import split_stage

# Share of organisations in each state (sums to 1): most work towards the Mark, ~10% hold it.
STATE_MIX = {
    "registered": 0.08,
    "signatory": 0.20,
    "plan_submitted": 0.08,
    "monitoring": 0.38,
    "under_assessment": 0.03,
    "information_requested": 0.02,
    "accredited": 0.09,
    "renewal_due": 0.01,
    "lapsed": 0.05,
    "suspended": 0.01,
    "withdrawn": 0.05,
}
HOLDING = {"accredited", "renewal_due"}
UNSIGNED = {"registered"}
PLACES = """
Severn Wrekin Ludlow Clee Marches Stiperstones Mortimer Corve Teme Onny Ironbridge Ercall
Hodnet Longmynd Caradoc Bridgnorth Much Wenlock Oswestry Whitchurch Market Drayton Church
Stretton Cleobury Shifnal Albrighton Ellesmere Wem Craven Bishop's Castle Highley
""".split()  # noqa: SIM905 (one word each, shorter than a list)
TRADES = """
Builders Joinery Catering Care Logistics Digital Engineering Training Cleaning Roofing
Plumbing Electrical Consulting Landscapes Print Foods Dairy Transport Security Design
Heritage Crafts Surveyors Fabrication Interiors Software Recruitment Media Ecology
""".split()  # noqa: SIM905 (one word each, shorter than a list)
SUFFIXES = ("Ltd", "Ltd", "Ltd", "CIC", "Trust", "LLP", "Co-operative", "& Sons")
TYPES = (("business", 0.75), ("vcse", 0.18), ("public", 0.07))
SIZES = ("micro", "small", "medium", "large")
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def certificate(n: int) -> str:
    digits = []
    for _ in range(8):
        n, r = divmod(n, len(CERTIFICATE_ALPHABET))
        digits.append(CERTIFICATE_ALPHABET[r])
    return "CM-" + "".join(reversed(digits))


def _pick(rng: random.Random, weighted) -> str:
    x, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if x < total:
            return value
    return weighted[-1][0]


def signing_id(oid: int, place: int) -> int:
    """The id of organisation ``oid``'s signing number ``place`` (0: its first, whose id is its
    own, as before the charter dimension)."""
    return place * SIGNING_ID_STRIDE + oid


def _state(rng: random.Random, states, scheme: Scheme) -> str:
    state = _pick(rng, states)
    if not scheme.has_award and state in HOLDING | {"under_assessment", "information_requested"}:
        return "monitoring"  # no Mark to hold or apply for under this scheme
    return state


def _rows(start: int, end: int, schemes: list[Scheme], seed: int):
    """Row tuples for organisations start..end-1 (ids start+1..end) and their history, signed
    to the charters of ``schemes`` (one: the default charter only, as before)."""
    rng = random.Random(seed * 1_000_003 + start)
    now = datetime(2026, 11, 1, 9)
    today = date.today()
    states = list(STATE_MIX.items())
    orgs, signings, signatures, applications, marks, audits = [], [], [], [], [], []
    contracts = []
    for n in range(start, end):
        oid = n + 1
        places = charters_of(n, len(schemes))
        home = schemes[places[0]]
        name = (
            f"{rng.choice(PLACES)} {rng.choice(TRADES)} {rng.choice(SUFFIXES)} {n:06d}"
            if rng.random() < 0.5
            else f"{rng.choice(TRADES)} of {rng.choice(PLACES)} {rng.choice(SUFFIXES)} {n:06d}"
        )
        state = _state(rng, states, home)
        signed_at = now - timedelta(days=rng.randrange(30, 1500), minutes=rng.randrange(600))
        orgs.append(
            (
                oid,
                f"org-{n:06d}",
                name,
                _pick(rng, TYPES),
                rng.choice(SIZES),
                rng.choice(home.sectors),
                f"{rng.randrange(1, 200)} High Street",
                rng.choice(PLACES),
                f"SY{rng.randrange(1, 25)} {rng.randrange(1, 9)}AB",
                rng.choice(home.districts),
                "GB-COH",
                f"{n:08d}",
                f"GB-COH-{n:08d}",
                1,
                signed_at - timedelta(days=3),
            )
        )
        # The further signings draw from a generator of their own: the first signing's rows
        # are the same with or without the charter dimension.
        more = random.Random(seed * 7_000_003 + n)
        out = (signings, signatures, applications, marks, audits)
        for place, index in enumerate(places):
            scheme = schemes[index]
            if place:
                state = _state(more, states, scheme)
                signed_at = now - timedelta(days=more.randrange(30, 900), minutes=n % 600)
            _signing_rows(
                (oid, n, place), scheme, state, signed_at, today, rng if place == 0 else more, out
            )
        if len(schemes) > 1 and state not in UNSIGNED:
            contracts.append(contract(oid, places, len(schemes), now))
    return orgs, signings, signatures, applications, marks, audits, contracts


def _signing_rows(who, scheme, state, signed_at, today, rng, out) -> None:
    """One signing's rows: the signing, its signature and audit row, and a holder's
    application and Mark (id ``sid`` too; certificate numbers unique across charters)."""
    oid, n, place = who
    sid = signing_id(oid, place)
    signings, signatures, applications, marks, audits = out
    route = None if state in UNSIGNED else "working_towards"
    duties, mark_state = split_stage(state)
    signings.append(
        (
            sid,
            oid,
            scheme.charter_id,
            scheme.id,
            route,
            False,
            signed_at - timedelta(days=3),
            duties,
            mark_state,
            "monitoring" if state == "suspended" else None,
            1,
            signed_at,
        )
    )
    if state in UNSIGNED:
        return
    signatures.append(
        (oid, scheme.id, "Sam Signer", "Director", True, "working_towards", "[]", signed_at)
    )
    audits.append((oid, sid, "Bench data", "sign", "registered", "signatory", signed_at))
    if state in HOLDING:
        awarded = today - timedelta(days=rng.randrange(30, 600))
        if state == "renewal_due":
            awarded = today - timedelta(days=700)
        awarded_at = datetime.combine(awarded, datetime.min.time())
        applications.append((sid, oid, sid, scheme.id, False, "awarded", awarded_at, "{}", 1))
        marks.append(
            (
                oid,
                sid,
                sid,
                scheme.id,
                certificate(n + place * SIGNING_ID_STRIDE),
                awarded,
                awarded + timedelta(days=730),
                "valid",
                awarded_at,
            )
        )
        audits.append(
            (oid, sid, "Bench data", "award_mark", "under_assessment", "accredited", awarded_at)
        )


COLUMNS = {
    "organisations": "id, slug, name, organisation_type, size, sector, address_line_1, town, "
    "postcode, district, identifier_scheme, identifier, org_id, version_id, created_at",
    # A generated organisation's signing has its id: the rows that belong to it name it.
    "signings": "id, organisation_id, charter_id, scheme_id, route, publishes_figures, created_at, "
    "status, mark_status, status_before_suspension, version_id, status_changed_at",
    "signatures": "organisation_id, scheme_id, signatory_name, signatory_role, has_authority, "
    "route, accepted_principles, signed_at",
    "applications": "id, organisation_id, signing_id, scheme_id, is_renewal, status, "
    "submitted_at, snapshot, version_id",
    "charter_marks": "organisation_id, signing_id, application_id, scheme_id, certificate_number, "
    "awarded_on, expires_on, status, status_changed_at",
    "audit_events": "organisation_id, signing_id, actor_label, trigger, from_state, to_state, "
    "created_at",
    "commissioners": "id, name, org_id, is_active, created_at",
    "charter_commissioners": "charter_id, commissioner_id, created_at",
    "contracts": "id, organisation_id, commissioner_id, title, value, start_date, end_date, "
    "created_at, confirmation_status, version_id",
}


def _load(table: str, rows: list[tuple], dialect: str, raw) -> None:
    copy_rows(table, COLUMNS[table], rows, dialect, raw)


def load_tables(tables: dict[str, list[tuple]], columns: dict[str, str]) -> None:
    """Each table's rows (``columns``: its columns, as listed) written in one transaction. On
    PostgreSQL a table whose ids were given then has its sequence moved past them, and each is
    analysed for the planner."""
    dialect = db.engine.dialect.name
    connection = db.engine.raw_connection()
    try:
        raw = connection.driver_connection
        for table, rows in tables.items():
            copy_rows(table, columns[table], rows, dialect, raw)
        raw.commit()
    finally:
        connection.close()
    if dialect != "postgresql":
        return
    for table in tables:
        if columns[table].startswith("id,"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            )
    db.session.execute(text(f"ANALYZE {', '.join(tables)}"))
    db.session.commit()


def copy_rows(table: str, columns: str, rows: list[tuple], dialect: str, raw) -> None:
    """Rows by COPY on PostgreSQL, executemany on SQLite, on the driver's connection ``raw``."""
    if not rows:
        return
    if dialect == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns.split(","))
        # sqlite3 takes no Decimal: its text, which a NUMERIC column stores as a number.
        rows = [tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in rows]
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _settle(raw) -> None:
    """What autovacuum would do soon after a bulk load, done before measuring: statistics for
    the planner, and the visibility map that lets the register's index-only scans skip the
    table. VACUUM can mark a page all-visible only when no older snapshot is open (autovacuum's
    own ANALYZE of the new rows often is), so it is repeated until the organisations' pages are;
    then a CHECKPOINT writes the load's pages now rather than during the measurements."""
    raw.autocommit = True
    try:
        for _ in range(10):
            raw.execute(
                "VACUUM (ANALYZE) organisations, signings, signatures, charter_marks, "
                "applications, contracts, commissioners, charter_commissioners"
            )
            pages, visible = raw.execute(
                "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'organisations'"
            ).fetchone()
            if visible >= pages * 0.99:
                break
            time.sleep(1)
        superuser = raw.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
        if superuser:
            raw.execute("CHECKPOINT")
    finally:
        raw.autocommit = False


def grow_to(target: int, *, seed: int = 2026, chunk: int = 20_000, charters: bool = False) -> float:
    """Add organisations until there are ``target``; returns seconds taken. ``charters``: sign
    them to every charter with a current scheme (the module docstring), not the default only."""
    started = time.perf_counter()
    schemes = current_schemes()
    schemes = schemes if charters else schemes[:1]
    have = db.session.scalar(select(func.count(Organisation.id))) or 0
    db.session.commit()
    dialect = db.engine.dialect.name
    connection = db.engine.raw_connection()
    try:
        raw = connection.driver_connection
        if charters and have == 0:
            commissioners, taking_part = commissioner_rows(schemes)
            _load("commissioners", commissioners, dialect, raw)
            _load("charter_commissioners", taking_part, dialect, raw)
        for start in range(have, target, chunk):
            orgs, signings, signatures, applications, marks, audits, contracts = _rows(
                start, min(start + chunk, target), schemes, seed
            )
            for table, rows in (
                ("organisations", orgs),
                ("signings", signings),
                ("signatures", signatures),
                ("applications", applications),
                ("charter_marks", marks),
                ("audit_events", audits),
                ("contracts", contracts),
            ):
                _load(table, rows, dialect, raw)
        if dialect == "postgresql":
            with raw.cursor() as cursor:
                for table in ("organisations", "signings", "applications", "commissioners"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('contracts', 'id'), "
                    "(SELECT coalesce(max(id), 1) FROM contracts))"
                )
        raw.commit()
        if dialect == "postgresql":
            db.session.commit()  # its snapshot, taken while generating, would hold VACUUM back
            _settle(raw)
    finally:
        connection.close()
    register_version.bump(db.session)  # raw writes: say the register changed
    db.session.commit()
    return time.perf_counter() - started


def main() -> None:
    from bench.charter_mix import load_charters
    from bench.harness import bench_app

    target = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    charters = "--charters" in sys.argv
    app = bench_app()
    with app.app_context():
        if charters:
            load_charters()
        seconds = grow_to(target, charters=charters)
        print(f"{target:,} organisations in {seconds:.1f} s")


if __name__ == "__main__":
    main()
