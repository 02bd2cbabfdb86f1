"""The service as people meet it: a real server process on loopback, with its own database.

The browser tests drive Debian's Chromium (no browser download) against ``flask run`` in a
subprocess, on a free port, on a database of its own built through the migrations and the demo
data, so the journeys start from the same organisations, returns and applications as the demo.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path
    database_url: str  # for the journeys to read what the demo data holds

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_database_url(workdir: Path) -> str:
    """A database for the served app alone: never the one the rest of the suite truncates.

    On PostgreSQL (DATABASE_URL names one), a sibling database ``<name>_browser`` is dropped
    and created afresh; otherwise a SQLite file in ``workdir``.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        return f"sqlite:///{workdir / 'browser.db'}"
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    name = f"{parsed.database}_browser"
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )


def _run(args: list[str], env: dict, log: Path) -> None:
    with log.open("a") as out:
        subprocess.run(
            [sys.executable, "-m", "tests.travel", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=600,
        )


def start_server(workdir: Path) -> LiveServer:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = browser_database_url(workdir)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SHOW_OUTBOX": "1",  # the journeys follow emailed links from /dev/emails
        "SERVICE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "EVIDENCE_DIR": str(workdir / "evidence"),
        "CHARTER_ENV": "development",
        "TRUSTED_HOSTS": f"127.0.0.1:{port},127.0.0.1",
    }
    log = workdir / "server.log"
    _run(["db", "upgrade"], env, log)
    _run(["charter", "load-scheme"], env, log)
    _run(["charter", "demo-data"], env, log)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.travel",  # the date the suite runs on (CHARTER_TEST_TODAY), if set
            "flask",
            "--app",
            "wsgi",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-reload",
            "--no-debugger",
            "--with-threads",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(url, process, log, database_url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: see {log}\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the server did not answer within 30 seconds: see {log}")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None
