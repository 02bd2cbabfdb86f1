"""Pieces the benchmarks share: a scratch database, gunicorn on loopback, in-process
timing with query counts, and the scan types of each query's plan (EXPLAIN)."""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from charter import create_app  # noqa: E402
from charter.extensions import db  # noqa: E402
from config import Config  # noqa: E402

# Tables that grow with the register: a sequential scan of one of these is what must not happen.
BIG_TABLES = {"organisations", "signatures", "applications", "charter_marks", "audit_events"}


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to a scratch database (PostgreSQL for the headline figures).")
    return Config.SQLALCHEMY_DATABASE_URI if "://" not in url else _normalise(url)


def _normalise(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def bench_app(url: str | None = None):
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = _normalise(url or database_url())
        SERVER_NAME = "localhost"
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


def baseline_url() -> str:
    """A second scratch database beside DATABASE_URL (its name + ``_baseline``; created if need
    be), which keeps the smallest size while the first grows: the same page at both sizes can
    then be timed turn about, in the same seconds of a shared machine."""
    from sqlalchemy import create_engine, make_url, text

    url = make_url(_normalise(database_url()))
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return "sqlite://"
        path = Path(url.database)
        return url.set(
            database=str(path.with_name(f"{path.stem}_baseline{path.suffix}"))
        ).render_as_string(hide_password=False)
    name = f"{url.database}_baseline"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def rebuild_schema(app) -> None:
    """Drop every table and build the schema through the migrations, with the default scheme."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from charter.services.domain.schemes import load_scheme_file

    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        upgrade()
        load_scheme_file(app.config["DEFAULT_SCHEME_FILE"])
        db.session.commit()


# --- in process --------------------------------------------------------------------------------


@contextmanager
def statements():
    """Collects (statement, parameters) of every query run inside the block."""
    seen: list[tuple[str, object]] = []

    def before(_conn, _cursor, statement, parameters, _context, _executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


_fresh = iter(range(10**9))


def fresh(url: str) -> str:
    """The URL with a parameter the service ignores, so it is rendered, not served from memory."""
    return f"{url}{'&' if '?' in url else '?'}bench={next(_fresh)}"


def time_in_process(client, url: str, repeat: int, headers=None) -> dict:
    """Median time of ``repeat`` requests after two warm-ups, queries and statements of one.
    Each request renders afresh (except revalidations, which must name the same URL), and
    pushes its own application context, as under gunicorn (see ``without_app_context``)."""

    def one(target=url):
        response = client.get(target if headers else fresh(target), headers=headers)
        return response, response.get_data()

    def timed() -> list[float]:
        for _ in range(2):
            one()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            one()
            times.append(time.perf_counter() - started)
        return times

    times = without_app_context(timed)
    # The ETag of the URL itself (not of a fresh one), for the revalidations.
    etag = without_app_context(lambda: client.get(url, headers=headers).headers.get("ETag"))
    with statements() as seen:
        response, body = without_app_context(one)
    return {
        "status": response.status_code,
        "median_ms": statistics.median(times) * 1000,
        "queries": len(seen),
        "statements": seen,
        "bytes": len(body),
        "etag": etag,
    }


def without_app_context(function, *args):
    """``function(*args)`` in a thread of its own, where no application context is pushed. A
    request made where its app's context is already pushed reuses that context, and so keeps
    its database session and connection from one request to the next; under gunicorn each
    request pushes and tears down its own, and so does each request made from here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def medians_turn_about(requests: list, repeat: int) -> list[float]:
    """Median milliseconds of each request (a callable), timed in turns: each round runs every
    request once, in an order that alternates, so all see the same moments of the machine.
    Timed one after another, minutes apart, two sizes' medians moved ±40% between runs."""
    for request in requests:
        for _ in range(2):
            request()
    times: list[list[float]] = [[] for _ in requests]
    order = list(range(len(requests)))
    for _ in range(repeat):
        for index in order:
            started = time.perf_counter()
            requests[index]()
            times[index].append(time.perf_counter() - started)
        order.reverse()
    return [statistics.median(each) * 1000 for each in times]


def scan_types(statements_seen) -> list[str]:
    """'Index Scan organisations', 'Seq Scan schemes'... for every SELECT seen, from EXPLAIN."""
    if db.engine.dialect.name != "postgresql":
        return ["(EXPLAIN on PostgreSQL only)"]
    found: list[str] = []
    with db.engine.connect() as connection:
        for statement, parameters in statements_seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.exec_driver_sql(
                "EXPLAIN (FORMAT JSON) " + statement, parameters
            ).scalar()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            _walk(plan[0]["Plan"], found)
    return sorted(set(found))


def _walk(node: dict, found: list[str]) -> None:
    if "Relation Name" in node:
        kind = node["Node Type"]
        found.append(f"{kind} {node['Relation Name']}")
    for child in node.get("Plans", []):
        _walk(child, found)


def sequential_scans_of_big_tables(scans: list[str]) -> list[str]:
    return [s for s in scans if s.startswith("Seq Scan") and s.split()[-1] in BIG_TABLES]


# --- gunicorn and wrk ---------------------------------------------------------------------------


class Gunicorn:
    def __init__(
        self,
        port: int,
        workers: int = 2,
        timeout: int = 120,
        url: str | None = None,
        app: str = "bench.wsgi_bench:app",
        shipped: bool = False,
        env: dict | None = None,
    ):
        """``shipped``: gunicorn.conf.py as it is (its workers, timeout and recycling), given
        only the address, as a host would run it; ``env`` is added to the environment."""
        self.port = port
        self.app = app
        self.shipped = shipped
        self.extra_env = env or {}
        self.database_url = _normalise(url or database_url())
        self.workers = workers
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.log = open(f"/tmp/bench-gunicorn-{port}.log", "w")  # noqa: SIM115

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = dict(os.environ, DATABASE_URL=self.database_url, **self.extra_env)
        if self.shipped:
            env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
            conf = str(ROOT / "gunicorn.conf.py")
            command = [str(gunicorn), "-c", conf, "--chdir", str(ROOT), self.app]
        else:
            command = self._command(gunicorn)
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=2).read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: see {self.log.name}")

    def _command(self, gunicorn: Path) -> list[str]:
        return [
            str(gunicorn),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            str(self.timeout),
            # gunicorn.conf.py recycles a worker every ~2,000 requests: at the bare
            # endpoint's rate that restarted each worker every second or two, and a restart
            # on a loaded machine takes seconds, so the figures measured restarts.
            "--max-requests",
            "0",
            "--chdir",
            str(ROOT),
            self.app,
        ]

    def __exit__(self, *exc):
        if self.process:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log.close()

    def warm_up(self, paths, rounds: int = 8) -> None:
        """Each worker imports, compiles templates and fills its caches before timing starts.
        Requests go four at a time: one at a time, the same idle worker took nearly all of
        them, and the other rendered its first pages (~260 ms each, compiling templates)
        during the first measurement."""

        def get(path: str) -> None:
            with urllib.request.urlopen(self.url(path), timeout=120) as response:
                response.read()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(get, [path for _ in range(rounds) for path in paths]))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []


def download(url: str, pids: list[int]) -> dict:
    """Time to fetch a whole export over HTTP, its size, and the workers' peak memory."""
    peak = {"rss": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            total = 0
            for pid in pids:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    total = max(total, int(re.search(r"VmRSS:\s+(\d+)", status).group(1)))
                except (OSError, AttributeError):
                    pass
            peak["rss"] = max(peak["rss"], total)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    size = 0
    with urllib.request.urlopen(url, timeout=600) as response:
        while chunk := response.read(1 << 16):
            size += len(chunk)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return {"seconds": seconds, "bytes": size, "peak_rss_mib": peak["rss"] / 1024}
