"""The reference deployment, run for real on one machine: a load balancer, two app hosts, a
PostgreSQL primary and streaming replica, Redis, an S3-compatible store, an SMTP server, the
mail worker and the scheduler, each its own process (docs/deployment.md draws it).

    make cluster                      # start it, run the fault runs, tear it down
    .venv/bin/python bench/cluster.py --faults kill-host,restart-primary --duration 60
    .venv/bin/python bench/cluster.py --serve   # start it and wait (Ctrl+C tears it down)

  HAProxy        127.0.0.1:5720  health checks on /readyz; a second backend checked on /healthz
                                 takes over only when no host is ready (a shared dependency is
                                 down), so the app answers with its own pages, not HAProxy's
  app hosts      127.0.0.2:5730, 127.0.0.3:5730: gunicorn with the shipped gunicorn.conf.py
  PostgreSQL     primary 127.0.0.1:5433, hot standby 5434 (bench/pg_pair.py: initdb,
                 pg_basebackup), made afresh in a temporary directory
  Redis          127.0.0.1:5721 (the sign-in throttle shared by the hosts)
  object store   moto's S3 server on 5722, reached through HAProxy on 5723 (so that "the store
                 is down" can be made without losing what moto holds in memory)
  SMTP           bench/cluster_mailbox.py on 5724, writing what it accepts to a file
  mail worker, scheduler: `flask charter mail-worker`, `flask charter scheduler`

Everything listens on loopback and is stopped, and its directory removed, on the way out. Needs
Debian's haproxy, redis-server and postgresql packages: if haproxy is missing the command
installs it when run as root (`apt-get install -y haproxy`), or says what to run.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pg_pair import PostgresPair, missing_reason

CHECKOUT = Path(__file__).resolve().parents[1]
BALANCER_PORT = 5720
REDIS_PORT = 5721
MOTO_PORT = 5722
STORE_PORT = 5723
SMTP_PORT = 5724
APP_PORT = 5730
APP_HOSTS = ("127.0.0.2", "127.0.0.3")
BUCKET = "evidence"
S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
}
# In memory only: the throttle's counts need not outlive the run.
REDIS_OPTIONS = ("--save", "", "--appendonly", "no")
PACKAGES = {"haproxy": "haproxy", "redis-server": "redis-server"}


def ensure_packages() -> None:
    """Install what is missing from Debian's packages (as root), or say what to run."""
    missing = [package for program, package in PACKAGES.items() if not shutil.which(program)]
    if not missing:
        return
    command = ["apt-get", "install", "-y", *missing]
    if os.geteuid() != 0:
        raise SystemExit(f"Missing {', '.join(missing)}: run `sudo {' '.join(command)}`")
    print(f"Installing {', '.join(missing)} from Debian's packages...", flush=True)
    subprocess.run(command, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def wait_for_port(host: str, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout} s")


def http_get(host: str, port: int, path: str, timeout: float = 5) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class Cluster:
    def __init__(self, work: Path | None = None, web_concurrency: int = 2):
        self.work = work or Path(tempfile.mkdtemp(prefix="charter-cluster-"))
        self.web_concurrency = web_concurrency
        self.processes: dict[str, subprocess.Popen] = {}
        self.pair: PostgresPair | None = None
        self.env: dict[str, str] = {}
        self.database_url = ""
        self.replica_url: str | None = None
        # Kept across restarts (a failover's), so sessions and forms stay valid.
        self.secret_key = secrets.token_hex(32)

    # --- processes ----------------------------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "ab")  # noqa: SIM115  (the child keeps it)
        process = subprocess.Popen(
            command,
            cwd=CHECKOUT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
        log.close()
        self.processes[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop a process and its children (gunicorn's workers) at once."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=CHECKOUT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    # --- the topology -------------------------------------------------------------------

    def start(self) -> Cluster:
        reason = missing_reason()
        if reason:
            raise SystemExit(reason)
        ensure_packages()
        print(f"Cluster in {self.work}", flush=True)
        self.pair = PostgresPair(5433, 5434).start()  # a directory of its own
        self.pair.create_database("charter")
        self.database_url = self.pair.primary_url("charter")
        self.replica_url = self.pair.replica_url("charter")
        self.spawn(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), *REDIS_OPTIONS],
            env=dict(os.environ),
        )
        self.spawn(
            "moto",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(MOTO_PORT)],
            env={**os.environ, **S3_CREDENTIALS},
        )
        self.start_mailbox()
        self.env = self.app_env()
        print("Migrating and loading the scheme...", flush=True)
        self.flask("db", "upgrade")
        self.flask("charter", "load-scheme")
        for port in (REDIS_PORT, MOTO_PORT):
            wait_for_port("127.0.0.1", port)
        self.write_balancer_config()
        self.spawn("haproxy", ["haproxy", "-db", "-f", str(self.work / "haproxy.cfg")])
        wait_for_port("127.0.0.1", STORE_PORT)
        self.make_bucket()
        self.flask("charter", "check-config")
        self.pair.wait_replayed()
        for number, host in enumerate(APP_HOSTS, start=1):
            self.start_app(number, host)
        self.start_workers()
        self.wait_ready()
        return self

    def start_workers(self) -> None:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        self.spawn("mail-worker", [*flask, "charter", "mail-worker"])
        self.spawn("scheduler", [*flask, "charter", "scheduler"])

    def app_env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("EVIDENCE_", "MAIL_", "DATABASE_", "REPLICA_", "WEB_"))
        }
        env.update(S3_CREDENTIALS)
        env.update(
            {
                "CHARTER_ENV": "production",
                "SECRET_KEY": self.secret_key,
                "SERVICE_URL": "https://127.0.0.1",
                "TRUSTED_HOSTS": "127.0.0.1",
                "DATABASE_URL": self.database_url,
                "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{REDIS_PORT}/0",
                "EVIDENCE_STORAGE": "s3",
                "EVIDENCE_S3_BUCKET": BUCKET,
                "EVIDENCE_S3_ENDPOINT_URL": f"http://127.0.0.1:{STORE_PORT}",
                "EVIDENCE_S3_REGION": S3_CREDENTIALS["AWS_DEFAULT_REGION"],
                "EVIDENCE_STAGING_DIR": str(self.work / "staging"),
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(SMTP_PORT),
                "MAIL_TIMEOUT_SECONDS": "5",
                "MAIL_WORKER_POLL_SECONDS": "1",
                # A fault run waits for the outbox to empty: retries seconds apart, not minutes.
                "MAIL_RETRY_BASE_SECONDS": "2",
                "MAIL_RETRY_MAX_SECONDS": "5",
                "MAIL_MAX_ATTEMPTS": "100",
                "PROXY_COUNT": "1",
                "WEB_CONCURRENCY": str(self.web_concurrency),
                "CHARTER_INSTANCE_DIR": str(self.work / "instance"),
                "LOG_FORMAT": "json",
            }
        )
        if self.replica_url:
            env["DATABASE_REPLICA_URL"] = self.replica_url
        return env

    def start_app(self, number: int, host: str, prefix: list[str] | None = None) -> None:
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
        self.spawn(
            f"app{number}",
            [*(prefix or []), *gunicorn],
            env={**self.env, "GUNICORN_BIND": f"{host}:{APP_PORT}"},
        )

    def start_mailbox(self) -> None:
        self.spawn(
            "smtp",
            [sys.executable, str(CHECKOUT / "bench" / "cluster_mailbox.py"), *self.mailbox_args()],
            env=dict(os.environ),
        )
        wait_for_port("127.0.0.1", SMTP_PORT)

    def mailbox_args(self) -> list[str]:
        return ["--port", str(SMTP_PORT), "--log", str(self.work / "mailbox.jsonl")]

    def make_bucket(self) -> None:
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{STORE_PORT}",
            region_name=S3_CREDENTIALS["AWS_DEFAULT_REGION"],
            aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(
            Bucket=BUCKET,
            CreateBucketConfiguration={"LocationConstraint": S3_CREDENTIALS["AWS_DEFAULT_REGION"]},
        )

    def write_balancer_config(self) -> None:
        template = (CHECKOUT / "bench" / "haproxy.cfg").read_text()
        self.write_unavailable_page()
        config = template.format(
            work=self.work,
            balancer_port=BALANCER_PORT,
            store_port=STORE_PORT,
            moto_port=MOTO_PORT,
            app1=f"{APP_HOSTS[0]}:{APP_PORT}",
            app2=f"{APP_HOSTS[1]}:{APP_PORT}",
        )
        (self.work / "haproxy.cfg").write_text(config)

    def write_unavailable_page(self) -> None:
        """The app's own 503 page, for HAProxy to send when no host is even alive."""
        from charter import create_app
        from config import Config

        class PageConfig(Config):
            SQLALCHEMY_DATABASE_URI = self.database_url
            REPLICA_DATABASE_URI = None

        app = create_app(PageConfig)
        with app.test_request_context("/"):
            from flask import render_template

            body = render_template("errors/503.html")
            app.extensions["sqlalchemy"].session.remove()
            app.extensions["sqlalchemy"].engine.dispose()
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n"
            "Cache-Control: no-store\r\nRetry-After: 5\r\nConnection: close\r\n"
            # So the fault runs can tell HAProxy's 503 (no host alive) from the app's.
            "X-Charter-Balancer: no host alive\r\n"
            f"Content-Length: {len(body.encode())}\r\n\r\n"
        )
        (self.work / "503.http").write_text(head + body)

    def balancer(self, command: str) -> str:
        """A command on HAProxy's runtime API (its admin socket)."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.work / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def ready_hosts(self) -> int:
        """How many app hosts HAProxy's /readyz checks count as up."""
        stats = self.balancer("show stat")
        return sum(
            1 for line in stats.splitlines() if line.startswith("app,app") and ",UP," in line
        )

    def wait_ready(self, hosts: int = 2, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready_hosts() >= hosts:
                return
            for name, process in self.processes.items():
                if process.poll() is not None:
                    log = (self.work / f"{name}.log").read_text()[-3000:]
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{log}")
            time.sleep(0.5)
        stats = self.balancer("show stat")
        raise TimeoutError(f"{hosts} hosts not ready after {timeout} s:\n{stats}")

    def worker_memory(self) -> dict[str, list[int]]:
        """Each app host's gunicorn workers' resident memory, in MiB."""
        memory = {}
        for name, process in self.processes.items():
            if not name.startswith("app"):
                continue
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            sizes = []
            for pid in pids:
                status = Path(f"/proc/{pid}/status")
                if status.exists():
                    rss = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS"))
                    sizes.append(round(int(rss.split()[1]) / 1024))
            memory[name] = sizes
        return memory

    def stop(self, keep_logs: bool = False) -> None:
        for name in list(self.processes)[::-1]:
            self.kill(name, signal.SIGTERM)
        if self.pair is not None:
            self.pair.stop()
        if keep_logs:
            print(f"Logs kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", action="store_true", help="start it and wait for Ctrl+C")
    parser.add_argument("--faults", default="all", help="comma-separated, or 'all' or 'none'")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per fault")
    parser.add_argument("--owners", type=int, default=4)
    parser.add_argument("--visitors", type=int, default=4)
    parser.add_argument("--web-concurrency", type=int, default=2, help="workers per app host")
    parser.add_argument("--keep", action="store_true", help="leave the directory (logs)")
    args = parser.parse_args()

    from bench.cluster_faults import FAULTS, run_faults

    names = list(FAULTS) if args.faults == "all" else [n for n in args.faults.split(",") if n]
    unknown = [name for name in names if name not in FAULTS and name != "none"]
    if unknown:
        parser.error(f"unknown faults {unknown}; known: {', '.join(FAULTS)}")
    cluster = Cluster(web_concurrency=args.web_concurrency)
    try:
        cluster.start()
        print(f"Serving on http://127.0.0.1:{BALANCER_PORT}/ (2 hosts ready)", flush=True)
        if args.serve:
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
            return 0
        names = [name for name in names if name != "none"]
        return run_faults(cluster, names, args.duration, args.owners, args.visitors)
    finally:
        cluster.stop(keep_logs=args.keep)


if __name__ == "__main__":
    sys.exit(main())
