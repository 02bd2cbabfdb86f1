"""/impact, its CSV and its JSON under load, each beside a bare Flask process (issue 23).

The service is served by gunicorn (``harness.Gunicorn``) and ``bench/bare_app.py``, a Flask app
with one route and nothing else, by a gunicorn of its own with the same workers, in the same
run: each row loads the service and the bare process in alternating one-second slices with wrk
(``load_generator.wrk_pair``) and prints their ratio. The rows:

- app floor: the app's own bare endpoint (``bench/wsgi_bench.py``: every hook of the app, no
  database, no template) at the page's size and empty, against the bare Flask process: the
  most any page of the app could reach;
- repeated: the same URL again and again (served from the answer cache, by ETag);
- 304: a revalidation with the ETag (no database while the version is held);
- fresh: the page for another period or measure on every request (with a counter, so no
  address repeats): the answer cache cannot help. The parts a period shares with its other
  measures (its totals, lifecycle table, the lists) are rendered once per version, as for a
  real visitor; the breakdowns and the series are rendered every time.

The CSV and JSON are files (``charter.public.open_data_files``): every request reads the file as
a first one would; the first request, which builds them, is timed.

The data: verified returns for 8 quarters for ``FIGURE_ORGANISATIONS`` organisations of the
register and the summary rebuilt (/impact reads only the summary rows, so its cost does not grow
with the register). Standalone, it builds its own database at ``--organisations``:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/impact_bench.py [--organisations 500] [--seconds 5]

(it DROPS every table of that database); ``bench/run.py`` (``make bench``) runs it at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench import harness, load_generator
from bench.impact_scaling import add_figures
from charter.extensions import db
from charter.models import Measure, Organisation
from charter.services.domain.schemes import current_scheme
from charter.services.read_models.impact import build, figures

FIGURE_ORGANISATIONS = 2000
PAGE = "/c/shropshire/impact"
CSV = "/c/shropshire/impact.csv"
JSON = "/c/shropshire/impact.json"


def prepare(organisations: int = FIGURE_ORGANISATIONS) -> list[str]:
    """Figures for the first ``organisations`` of the register, rebuilt; returns the page's
    address for every period and measure there is (what the fresh rows cycle through)."""
    scheme = current_scheme()
    first = db.session.scalar(select(func.min(Organisation.id)))
    last = db.session.scalar(
        select(Organisation.id).order_by(Organisation.id).offset(organisations - 1).limit(1)
    ) or db.session.scalar(select(func.max(Organisation.id)))
    add_figures(first, scheme.id, last)
    result = build.rebuild()
    db.session.commit()
    print(f"/impact: figures for {last - first + 1:,} organisations, {result.cells:,} cells")
    codes = db.session.scalars(
        select(Measure.code).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
    ).all()
    periods = [period.key for period in figures.available_periods()]
    return [f"{PAGE}?period={period}&measure={code}" for period in periods for code in codes]


def _size(url: str) -> tuple[int, str | None]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        size, etag = len(response.read()), response.headers.get("ETag")
    print(f"first request for {url}: {time.perf_counter() - started:.2f} s, {size:,} bytes")
    return size, etag


# The app's own floor: its bare endpoint (bench/wsgi_bench.py: every hook of the app, no
# database, no template) against the bare Flask process, at the page's size and empty.
FLOOR = "/_bench/bare/{size}"

ROWS = (
    # (name, path, revalidate, fresh paths)
    ("app floor", FLOOR, False, None),
    ("app floor, empty", FLOOR, True, None),
    ("impact", PAGE, False, None),
    ("impact 304", PAGE, True, None),
    ("impact fresh", PAGE, False, "pages"),
    # Files (open_data_files): every request reads the built file as a first one would, so
    # there is no "fresh" apart from building it, timed on the first request below.
    ("impact.csv", CSV, False, None),
    ("impact.csv 304", CSV, True, None),
    ("impact.json", JSON, False, None),
    ("impact.json 304", JSON, True, None),
)


def measure(pages: list[str], seconds: float, port: int) -> dict:
    """{row: (service, bare, ratio)}, printed as they are measured."""
    results = {}
    if not load_generator.have_wrk():
        print("(wrk not found: apt-get install wrk for /impact under load)")
        return results
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="charter-open-data-"))
        server = stack.enter_context(harness.Gunicorn(port, env={"OPEN_DATA_DIR": folder}))
        bare = stack.enter_context(harness.Gunicorn(port + 1, app="bench.bare_app:app"))
        answers = {path: _size(server.url(path)) for path in (PAGE, CSV, JSON)}
        server.warm_up([PAGE, CSV, JSON, *pages[:40], FLOOR.format(size=0)])
        bare.warm_up([f"/bare/{size}" for size, _etag in answers.values()])
        print(
            f"\n{'/impact (vs bare Flask)':22} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} | "
            f"{'bare req/s':>10} {'p50 ms':>7} {'p99 ms':>7} | ratio   bytes"
        )
        for name, path, revalidate, fresh in ROWS:
            if path == FLOOR:
                size = 0 if revalidate else answers[PAGE][0]
                path, etag, revalidate = FLOOR.format(size=size), None, False
            else:
                size, etag = answers[path]
                size = 0 if revalidate else size  # a 304 has no body: against an empty answer
            service, baseline = load_generator.wrk_pair(
                server.url(path),
                bare.url(f"/bare/{size}"),
                seconds,
                headers={"If-None-Match": etag} if revalidate else None,
                fresh=fresh is not None,
                paths=pages if fresh == "pages" else fresh,
            )
            ratio = service["rps"] / baseline["rps"] if baseline["rps"] else 0
            results[name] = (service, baseline, ratio)
            print(
                f"{name:22} {service['rps']:>8.0f} {service['p50']:>7.1f} {service['p99']:>7.1f}"
                f" | {baseline['rps']:>10.0f} {baseline['p50']:>7.1f} {baseline['p99']:>7.1f}"
                f" | {ratio:.3f} {size:>7}"
                + (f"  ({service['errors']} non-2xx/3xx)" if service["errors"] else ""),
                flush=True,
            )
    return results


def run(app, seconds: float, port: int) -> dict:
    """In ``app``'s database as it stands (``bench/run.py`` after its sizes)."""
    with app.app_context():
        pages = prepare()
        db.session.remove()
    return measure(pages, seconds, port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--port", type=int, default=5150)
    args = parser.parse_args()
    from bench.generate import grow_to

    app = harness.bench_app()
    harness.rebuild_schema(app)
    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        seconds = grow_to(args.organisations)
        print(f"{args.organisations:,} organisations generated in {seconds:.1f} s")
        db.session.remove()
    run(app, args.seconds, args.port)


if __name__ == "__main__":
    main()
