"""Real processes for the production smoke test: a PostgreSQL database of its own, an SMTP
server (aiosmtpd) collecting mail, gunicorn started and stopped, and a small browser that
speaks HTTP to it through a pretend TLS-terminating proxy."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes, policy
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CHECKOUT = Path(__file__).resolve().parents[2]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def scratch_database(base_url: str, suffix: str) -> str:
    """An empty database beside the one ``base_url`` names; its URL.

    Made once and emptied on later runs (every schema of its own dropped, and public made
    again, so that what a restore brought last time, the test database's demo_snapshot schema
    included, is gone): CREATE DATABASE can take most of a minute on a busy disk.
    """
    import psycopg

    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") + suffix
    server = base_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    if exists:
        with psycopg.connect(f"{server}/{name}", autocommit=True) as conn:
            schemas = conn.execute(
                "SELECT nspname FROM pg_namespace "
                "WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
            ).fetchall()
            for (schema,) in schemas:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            conn.execute("CREATE SCHEMA public")
    return base_url.rsplit("/", 1)[0] + "/" + name


class Mailbox:
    """aiosmtpd on loopback keeping every message it is given."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):  # noqa: ARG002  (aiosmtpd's hook)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpts, m in self.messages if address in rcpts]

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


def run_flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Gunicorn:
    def __init__(self, env: dict, port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.log = open(self.log_path, "wb")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=CHECKOUT,
            env={**self.env, "PORT": str(self.port)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn did not start:\n" + self.log_path.read_text())

    def stop(self) -> int:
        """SIGTERM, as a process manager would; the exit status after a graceful stop."""
        assert self.process is not None
        self.process.terminate()
        try:
            return self.process.wait(timeout=40)
        finally:
            self.log.close()

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


class Browser:
    """Cookies kept by name (Secure ones too: a real browser sends them because it talks
    HTTPS to the proxy; we stand in for the proxy with X-Forwarded-Proto)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        # As a browser on https://127.0.0.1 would send (Flask-WTF checks the Referer on HTTPS).
        all_headers = {
            "X-Forwarded-Proto": "https",
            "Host": "127.0.0.1",
            "Referer": f"https://127.0.0.1{path}",
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                if "1970" in (morsel["expires"] or "") or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        conn.close()
        return response, data

    def get(self, path: str):
        return self.request("GET", path)

    @staticmethod
    def token_in(page: bytes) -> str:
        match = CSRF_RE.search(page.decode())
        assert match, "no form on the page"
        return match.group(1)

    def csrf(self, path: str) -> str:
        _response, data = self.get(path)
        return self.token_in(data)

    def post_form(self, path: str, fields: dict):
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def submit(self, path: str, fields: dict | None = None, form_path: str | None = None):
        return self.post_form(path, {**(fields or {}), "csrf_token": self.csrf(form_path or path)})

    def upload(self, path: str, form_path: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        token = self.csrf(form_path)
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
                f"{token}\r\n--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


def production_env(**settings: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVIDENCE_", "MAIL_"))}
    env.update(settings)
    return env
