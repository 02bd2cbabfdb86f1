"""A real HTTP server on loopback imitating the Find a Tender API's
``GET /api/1.0/ocdsReleasePackages`` (docs/ocds.md, "A scheduled poll"): release packages of a
page each, the next page named by ``links.next`` as a whole URL with a ``cursor``, as the API
documents them (find-tender.service.gov.uk/apidocumentation/1.0/GET-ocdsReleasePackages).

A test scripts it: ``api.pages[cursor]`` (``""`` for the first page of a window) is a list of
answers, each given once and the last one repeated: a package (a dict of releases and the next
cursor) or a failure (a status, a body that is not JSON). Every request's query is recorded.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PATH = "/api/1.0/ocdsReleasePackages"
LITERAL_1E9999 = "(the number 1e9999)"  # a value written as the bare literal 1e9999


@dataclass
class Page:
    releases: list[dict]
    next_cursor: str | None = None
    next_url: str | None = None  # a next link as given, instead of one on this server


@dataclass
class Failure:
    status: int
    body: bytes = b"Too many requests"
    content_type: str = "text/plain"


@dataclass
class Api:
    base: str = ""
    pages: dict[str, list[Page | Failure]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.base + PATH

    def answer(self, cursor: str) -> Page | Failure:
        answers = self.pages.get(cursor) or [Failure(400, b"Invalid cursor")]
        return answers.pop(0) if len(answers) > 1 else answers[0]


def package(api: Api, page: Page) -> bytes:
    body: dict = {
        "uri": api.url,
        "version": "1.1",
        "publishedDate": "2026-12-06T09:00:00Z",
        "publisher": {"name": "Charter Mark tests (an imitation of Find a Tender)"},
        "license": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "releases": page.releases,
    }
    if page.next_cursor:
        body["links"] = {"next": f"{api.url}?cursor={page.next_cursor}"}
    elif page.next_url:
        body["links"] = {"next": page.next_url}
    # The literal the live feed has (docs/ocds.md), which json.dumps cannot write.
    return json.dumps(body).replace(f'"{LITERAL_1E9999}"', "1e9999").encode()


def _handler(api: Api):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            api.requests.append(query)
            if parts.path != PATH:
                return self._send(404, b"Not found", "text/plain")
            answer = api.answer(query.get("cursor", ""))
            if isinstance(answer, Failure):
                return self._send(answer.status, answer.body, answer.content_type)
            self._send(200, package(api, answer), "application/json; charset=utf-8")

        def _send(self, status: int, body: bytes, content_type: str):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def fts_api():
    """An Api to script, served on loopback until the block ends."""
    api = Api()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
