"""Real servers on loopback for the delivery tests: an aiosmtpd SMTP server and an HTTP server
that answers like GOV.UK Notify's API (checking the client's signed token as Notify does)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models import OutboxEmail

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
NOTIFY_API_KEY = f"charter_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
REPOSITORY = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue(count: int = 1, *, prefix: str = "person", headers=None) -> list[int]:
    """Commit ``count`` queued emails and return their ids."""
    emails = [
        OutboxEmail(
            to_address=f"{prefix}{i}@example.com",
            subject=f"Subject {i}",
            body=f"Hello {i}.\nhttps://charter.example/{i}\n",
            headers=headers,
        )
        for i in range(count)
    ]
    db.session.add_all(emails)
    db.session.commit()
    return [email.id for email in emails]


class RecordingHandler:
    """Accepts mail, keeps every message; fails the first ``fail_first`` with 451, refuses
    the addresses in ``refuse`` with 550; waits ``delay`` seconds per message."""

    def __init__(self, *, fail_first: int = 0, refuse: frozenset[str] = frozenset(), delay=0.0):
        self.fail_first = fail_first
        self.refuse = refuse
        self.delay = delay
        self.messages: list[EmailMessage] = []
        self.attempts = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.attempts += 1
            if self.fail_first > 0:
                self.fail_first -= 1
                return "451 4.3.0 Mailbox busy, try again later"
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 Message accepted for delivery"

    def received_by(self) -> dict[str, int]:
        """How many messages each address received."""
        counts: dict[str, int] = {}
        with self.lock:
            for message in self.messages:
                counts[message["To"]] = counts.get(message["To"], 0) + 1
        return counts


def _authenticator(username: str, password: str):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data == LoginPassword(
            username.encode(), password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return check


def tls_certificate(directory: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1; its certificate is
    written to ``directory / "cert.pem"`` for the client to trust (SSL_CERT_FILE)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@contextmanager
def smtp_server(
    app,
    handler: RecordingHandler | None = None,
    *,
    login: tuple[str, str] | None = None,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
):
    """An SMTP server on loopback, and ``app`` configured to send through it. ``starttls``
    makes the server insist on STARTTLS; ``implicit_tls`` makes it speak TLS from the start."""
    handler = handler or RecordingHandler()
    kwargs = {}
    if login:
        kwargs = {"authenticator": _authenticator(*login), "auth_require_tls": False}
    if starttls:
        kwargs.update(tls_context=starttls, require_starttls=True)
    if implicit_tls:
        kwargs.update(ssl_context=implicit_tls)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_TIMEOUT_SECONDS=10,
        MAIL_USE_STARTTLS=False,
        MAIL_USE_SSL=False,
    )
    try:
        yield handler
    finally:
        controller.stop()


class NotifyState:
    """What the fake Notify received, and what it answers next: ``answers`` is a list of
    (status, body) used in turn, then 201 for everything after."""

    def __init__(self, answers=None):
        self.answers = list(answers or [])
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def next_answer(self, payload: dict) -> tuple[int, dict]:
        with self.lock:
            self.requests.append(payload)
            if self.answers:
                return self.answers.pop(0)
        return 201, {
            "id": str(uuid.uuid4()),
            "reference": payload.get("reference"),
            "content": {"subject": payload["personalisation"]["subject"], "body": "..."},
            "template": {"id": payload["template_id"], "version": 1, "uri": "..."},
            "uri": "...",
        }


def notify_error(status: int, error: str, message: str) -> tuple[int, dict]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


def _notify_handler(state: NotifyState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            except jwt.PyJWTError:
                self._answer(*notify_error(403, "AuthError", "Invalid token: signature"))
                return
            if claims.get("iss") != SERVICE_ID or self.path != "/v2/notifications/email":
                self._answer(*notify_error(403, "AuthError", "Invalid token: iss"))
                return
            if not {"email_address", "template_id"} <= payload.keys():
                self._answer(*notify_error(400, "ValidationError", "email_address is required"))
                return
            self._answer(*state.next_answer(payload))

    return Handler


@contextmanager
def notify_server(app, answers=None):
    """An HTTP server on loopback answering like Notify, and ``app`` configured to use it."""
    state = NotifyState(answers)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _notify_handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        MAIL_BACKEND="notify",
        NOTIFY_API_KEY=NOTIFY_API_KEY,
        NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
        NOTIFY_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}",
        MAIL_TIMEOUT_SECONDS=10,
    )
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def states(*ids: int) -> list[str]:
    db.session.expire_all()
    return [db.session.get(OutboxEmail, email_id).status for email_id in ids]


def worker_database(directory: Path, emails: int = 3) -> str:
    """A SQLite file with the schema and ``emails`` queued emails, for a worker process (the
    suite's in-memory database cannot be shared with one). Returns its URL."""
    url = f"sqlite:///{directory / 'worker.db'}"
    engine = create_engine(url)
    db.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(
            OutboxEmail(to_address=f"person{i}@example.com", subject=f"Subject {i}", body="Hi")
            for i in range(emails)
        )
        session.commit()
    engine.dispose()
    return url


def start_worker_process(database_url: str, smtp_port: int) -> subprocess.Popen:
    """``flask charter mail-worker`` in a process of its own, sending to ``smtp_port``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
    }
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "flask", "--app", "wsgi"),
            *("charter", "mail-worker", "--poll-seconds", "0.2"),
        ],
        cwd=REPOSITORY,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
