"""A real HTTP server on loopback serving release packages (the fixtures in tests/fixtures/ocds)
and the ways a server can fail: too large (declared or not), 404, slow, trickling, not JSON,
gzipped. For `flask charter import-notices --url` (test_import_notices_url.py)."""

from __future__ import annotations

import gzip
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ocds"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stop = threading.Event()

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type="application/json", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, pieces, pause: float = 0.0):
        """A body of unknown length (chunked), piece by piece."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for piece in pieces:
                if self.stop.is_set():
                    return
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.flush()
                time.sleep(pause)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/fixtures/") and (FIXTURES / name).is_file():
            self._send(200, (FIXTURES / name).read_bytes(), "application/json; charset=utf-8")
        elif path == "/gzipped":
            body = gzip.compress((FIXTURES / "cf-telford-and-wrekin.json").read_bytes())
            self._send(200, body, Content_Encoding="gzip")
        elif path == "/declared-too-large":
            # Says it is large, then sends little: refused on the header, before reading.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            self.wfile.write(b'{"releases": [')
        elif path == "/endless":
            # No length given, and more than any limit: refused as it arrives.
            self._stream(iter(lambda: b" " * 8192, None))
        elif path == "/gzip-bomb":
            body = gzip.compress(b" " * (8 * 1024 * 1024))
            self._send(200, body, Content_Encoding="gzip")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"{}")
        elif path == "/trickle":
            self._stream(iter(lambda: b" ", None), pause=0.05)
        elif path == "/html":
            self._send(200, b"<!doctype html><title>Find a Tender</title>", "text/html")
        elif path == "/not-json":
            self._send(200, b"this is not JSON", "application/json")
        elif path == "/moved":
            self._send(302, b"", Location="/fixtures/cf-telford-and-wrekin.json")
        else:
            self._send(404, b"Not found", "text/plain")


@contextmanager
def notice_server():
    """The server's base URL, e.g. http://127.0.0.1:40123."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    _Handler.stop.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        _Handler.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()
