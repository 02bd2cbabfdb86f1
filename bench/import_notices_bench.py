"""Time `flask charter import-notices` on generated release packages and measure its peak
memory (issue 22): releases/s and peak resident memory at each size (10,000 and 100,000 by
default).

Each size gets a fresh database built by the migrations (a SQLite file in a temporary folder, or
DATABASE_URL's PostgreSQL database, whose tables are DROPPED), with the default scheme, one
commissioner (Telford and Wrekin, GB-LAE-TFW) and 200 organisations with Companies House
numbers. The package is shaped like the test fixtures (tests/fixtures/ocds/invented-*.json):
one ocid per release, an award with a supplier identified by a Companies House number; every
tenth buyer is the commissioner and every hundredth supplier an organisation, so the import
does each kind of work (stored only; waiting for an administrator; proposed).

The import runs as its own process, as an operator would run it; its peak memory is that
process's ru_maxrss (os.wait4), and the app alone (`flask routes`) is measured the same way for
comparison.

    .venv/bin/python bench/import_notices_bench.py --sizes 10000,100000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/scratch \\
        .venv/bin/python bench/import_notices_bench.py --sizes 10000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import bench_app, rebuild_schema  # noqa: E402
from charter.extensions import db  # noqa: E402

FLASK = str(ROOT / ".venv" / "bin" / "flask")
ORGANISATIONS = 200


def _release(n: int) -> dict:
    ocid = f"ocds-b5fd17-bench-{n:08d}"
    supplier_number = f"{(n // 100) % ORGANISATIONS + 1:08d}" if n % 100 == 0 else f"9{n:07d}"
    buyer = (
        {"id": "GB-LAE-TFW", "name": "Telford and Wrekin Council"}
        if n % 10 == 0
        else {"id": f"GB-LAE-X{n % 500:03d}", "name": f"Council {n % 500}"}
    )
    supplier = {"id": f"GB-COH-{supplier_number}", "name": f"Supplier {supplier_number} Ltd"}
    return {
        "ocid": ocid,
        "id": f"{ocid}-award-1",
        "date": "2026-11-28T09:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "language": "en",
        "parties": [
            {**buyer, "roles": ["buyer"]},
            {
                **supplier,
                "identifier": {"scheme": "GB-COH", "id": supplier_number},
                "roles": ["supplier"],
            },
        ],
        "buyer": buyer,
        "tender": {"id": f"T{n}", "title": f"Services lot {n}", "status": "complete"},
        "awards": [
            {
                "id": "1",
                "title": f"Services lot {n}",
                "status": "active",
                "date": "2026-11-28T00:00:00Z",
                "value": {"amount": 10000 + n % 90000, "currency": "GBP"},
                "suppliers": [supplier],
                "contractPeriod": {
                    "startDate": "2027-01-01T00:00:00Z",
                    "endDate": "2028-12-31T23:59:59Z",
                },
            }
        ],
    }


def write_package(path: Path, size: int) -> None:
    """The package written a release at a time (never the whole list in memory)."""
    with path.open("w") as out:
        out.write('{"uri": "https://www.contractsfinder.service.gov.uk/Notice/bench", ')
        out.write('"version": "1.1", "publishedDate": "2026-11-28T09:00:00Z", ')
        out.write('"publisher": {"name": "bench"}, "releases": [')
        for n in range(size):
            out.write(("," if n else "") + json.dumps(_release(n)))
        out.write("]}")


def prepare(url: str) -> None:
    from charter.models import Commissioner, Organisation

    app = bench_app(url)
    rebuild_schema(app)
    with app.app_context():
        db.session.add(Commissioner(name="Telford and Wrekin Council", org_id="GB-LAE-TFW"))
        for n in range(1, ORGANISATIONS + 1):
            db.session.add(
                Organisation(
                    name=f"Supplier {n:08d}",
                    slug=f"supplier-{n}",
                    organisation_type="business",
                    size="small",
                    sector="Construction",
                    address_line_1="1 High Street",
                    town="Telford",
                    postcode="TF3 4JA",
                    district="Telford",
                    identifier_scheme="GB-COH",
                    identifier=f"{n:08d}",
                    org_id=f"GB-COH-{n:08d}",
                    status="signatory",
                )
            )
        db.session.commit()


def run_measured(args: list[str], env: dict) -> tuple[float, float, str]:
    """Seconds, peak resident MiB and output of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="import-notices-bench-"))
    print(f"{'releases':>9} {'seconds':>8} {'releases/s':>10} {'peak MiB':>9}  (app alone MiB)")
    for size in sizes:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch / f'bench-{size}.db'}"
        prepare(url)
        package = scratch / f"package-{size}.json"
        write_package(package, size)
        env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi"}
        _s, app_mib, _out = run_measured([FLASK, "routes"], env)
        seconds, peak_mib, output = run_measured(
            [FLASK, "charter", "import-notices", str(package)], env
        )
        print(
            f"{size:>9,} {seconds:>8.1f} {size / seconds:>10,.0f} {peak_mib:>9.0f}  ({app_mib:.0f})"
        )
        print(f"          {output.splitlines()[-1]}")
        package.unlink()


if __name__ == "__main__":
    main()
