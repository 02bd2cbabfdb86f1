"""Open data that arrives whole: a client reading at 1 MB/s beside two full-speed ones (issue 23).

Builds the register at ``--organisations`` (it DROPS every table of DATABASE_URL), builds the
open-data files as the scheduler would (``open_data_files.build_stale``), serves the app with
the shipped ``gunicorn.conf.py`` (its workers and threads, its 60 s worker timeout) and then,
side by side on loopback:

- a slow client reading ``register.json`` at ``--rate`` bytes a second, plain (it asks for no
  compression, so it takes longer than the worker timeout when the file is large);
- a slow client reading the same at the same rate with ``Accept-Encoding: gzip``;
- two full-speed clients downloading it again and again (plain, up to ``FAST_DOWNLOADS`` each)
  while the slow ones read.

Each client checks that it received ``Content-Length`` bytes; a client cut off (the worker
killed by its timeout, the connection closed early) resumes with ``Range`` and ``If-Range``, as
curl's ``-C -`` or a browser's download manager would, and the cut is counted. Every download
is then parsed as JSON. Printed: time, bytes, Content-Length, cuts, and whether it parsed, per
client; every download of a kind must show the same Content-Length. Bounded: ``--limit``
seconds in all.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/open_data_download.py [--organisations 100000] [--rate 1e6]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import runpy
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness
from bench.generate import grow_to
from bench.published_figures import DEFAULT_SHARE, add_published_figures
from charter.extensions import db
from charter.public import open_data_files

PATH = "/c/shropshire/register.json"
CHUNK = 64 * 1024
# Full-speed downloads per fast client, at most.
FAST_DOWNLOADS = 20
_PARSING = threading.Lock()


class Download:
    """One whole download over HTTP/1.1, resumed with a range after each cut."""

    def __init__(self, port: int, rate: float | None, compressed: bool, deadline: float):
        self.port, self.rate, self.compressed, self.deadline = port, rate, compressed, deadline
        self.body = bytearray()
        self.content_length: int | None = None
        self.etag: str | None = None
        self.encoding: str | None = None
        self.cuts = 0
        self.statuses: list[int] = []
        self.seconds = 0.0
        self.error: str | None = None
        self.size = 0
        self.organisations: int | None = None

    def run(self) -> Download:
        started = time.perf_counter()
        while time.perf_counter() < self.deadline:
            try:
                if self._attempt(started):
                    break
            except (OSError, http.client.HTTPException) as error:
                self.cuts += 1
                self.error = f"{type(error).__name__}: {error}"
        self.seconds = time.perf_counter() - started
        # Checked at once and let go: a body is ~50-125 MB, and the fast clients download many.
        self.size = len(self.body)
        self.organisations = self.parsed()
        self.body = bytearray()
        return self

    def _attempt(self, started: float) -> bool:
        """One request; True when the body is whole."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Accept-Encoding": "gzip" if self.compressed else "identity"}
        if self.body:
            headers["Range"] = f"bytes={len(self.body)}-"
            headers["If-Range"] = self.etag
        try:
            connection.request("GET", PATH, headers=headers)
            response = connection.getresponse()
            self.statuses.append(response.status)
            if response.status == 200:
                self.body.clear()  # a whole answer (first, or the file changed meanwhile)
                self.content_length = int(response.headers["Content-Length"])
                self.etag = response.headers["ETag"]
                self.encoding = response.headers.get("Content-Encoding")
            elif response.status != 206:
                raise http.client.HTTPException(f"status {response.status}")
            while chunk := response.read(CHUNK):
                self.body += chunk
                if self.rate:
                    ahead = len(self.body) / self.rate - (time.perf_counter() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        finally:
            connection.close()
        if len(self.body) < self.content_length:
            # The connection ended before Content-Length: a cut the client can see.
            self.cuts += 1
            return False
        return True

    def parsed(self) -> int | None:
        """Organisations in the document, or None if it does not parse (one parse at a time:
        a parsed 100,000-organisation document takes ~0.5 GB)."""
        with _PARSING:
            try:
                data = bytes(self.body)
                if self.encoding == "gzip":
                    data = gzip.decompress(data)
                return len(json.loads(data)["organisations"])
            except (ValueError, KeyError, EOFError, OSError):
                return None


def shipped_worker_class() -> str:
    """The worker class and threads ``gunicorn.conf.py`` gives, as gunicorn reads them."""
    settings = runpy.run_path(str(harness.ROOT / "gunicorn.conf.py"))
    threads = settings.get("threads", 1)
    return f"{settings['worker_class']}, {threads} thread{'s' if threads != 1 else ''} each"


def side_by_side(port: int, rate: float, limit: float) -> dict[str, list[Download]]:
    deadline = time.perf_counter() + limit
    slow_done = threading.Event()
    results: dict[str, list[Download]] = {
        "slow plain": [],
        "slow gzip": [],
        "fast 1": [],
        "fast 2": [],
    }

    def slow(name: str, compressed: bool) -> None:
        results[name].append(Download(port, rate, compressed, deadline).run())

    def fast(name: str) -> None:
        while (
            not slow_done.is_set()
            and time.perf_counter() < deadline
            and len(results[name]) < FAST_DOWNLOADS
        ):
            results[name].append(Download(port, None, False, deadline).run())

    slow_threads = [
        threading.Thread(target=slow, args=("slow plain", False)),
        threading.Thread(target=slow, args=("slow gzip", True)),
    ]
    fast_threads = [threading.Thread(target=fast, args=(f"fast {n}",)) for n in (1, 2)]
    for thread in slow_threads + fast_threads:
        thread.start()
    for thread in slow_threads:
        thread.join()
    slow_done.set()
    for thread in fast_threads:
        thread.join()
    return results


def report(results: dict[str, list[Download]]) -> None:
    print(
        f"\n{'client':12} {'downloads':>9} {'s (each)':>16} {'bytes':>12} {'Content-Length':>14} "
        f"{'cuts':>4} {'statuses':>14}  parsed (organisations)"
    )
    lengths: dict[str | None, set] = {}
    for name, downloads in results.items():
        for download in downloads:
            lengths.setdefault(download.encoding, set()).add(download.content_length)
        seconds = ", ".join(f"{d.seconds:.1f}" for d in downloads[:4])
        last = downloads[-1] if downloads else None
        if last is None:
            print(f"{name:12} none")
            continue
        parsed = [d.organisations for d in downloads]
        statuses = sorted({s for d in downloads for s in d.statuses})
        print(
            f"{name:12} {len(downloads):>9} {seconds:>16} {last.size:>12,} "
            f"{last.content_length or 0:>14,} {sum(d.cuts for d in downloads):>4} "
            f"{','.join(map(str, statuses)):>14}  "
            + ("all" if all(p is not None for p in parsed) else "NOT ALL")
            + f" ({parsed[-1]})"
            + (f"  last error: {last.error}" if last.error else "")
        )
    for encoding, values in lengths.items():
        print(
            f"Content-Length ({encoding or 'identity'}): "
            + ("the same every time" if len(values) == 1 else f"DIFFERS: {sorted(values)}")
            + f" ({', '.join(f'{v:,}' for v in sorted(values))})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=1e6, help="the slow clients' bytes/s")
    parser.add_argument("--limit", type=float, default=600, help="seconds in all, at most")
    parser.add_argument("--port", type=int, default=5160)
    parser.add_argument(
        "--published-share",
        type=float,
        default=DEFAULT_SHARE,
        help="organisations publishing verified figures in the demo's shape (0 for none)",
    )
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="charter-open-data-")
    try:
        app = harness.bench_app()
        app.config["OPEN_DATA_DIR"] = folder
        harness.rebuild_schema(app)
        with app.app_context():
            print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
            seconds = grow_to(args.organisations)
            print(f"{args.organisations:,} organisations generated in {seconds:.1f} s", flush=True)
            published, seconds = add_published_figures(args.published_share)
            print(
                f"{published:,} of them publish verified figures in the demo's shape (added in "
                f"{seconds:.1f} s)",
                flush=True,
            )
            started = time.perf_counter()
            built = open_data_files.build_stale()
            print(
                f"{built} open-data files built in {time.perf_counter() - started:.1f} s "
                "(as the scheduler's job would)",
                flush=True,
            )
            for path in sorted(Path(folder).rglob("register-*.json*")):
                print(f"  {path.name}: {path.stat().st_size:,} bytes")
            db.session.remove()
        with harness.Gunicorn(args.port, shipped=True, env={"OPEN_DATA_DIR": folder}) as server:
            print(
                f"gunicorn.conf.py as shipped: {len(server.worker_pids())} workers "
                f"({shipped_worker_class()}), 60 s worker timeout; slow clients at "
                f"{args.rate / 1e6:g} MB/s",
                flush=True,
            )
            results = side_by_side(args.port, args.rate, args.limit)
        report(results)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the built files: 140 MB at 100,000


if __name__ == "__main__":
    main()
