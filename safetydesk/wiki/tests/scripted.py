"""A scripted MediaWiki Action API on 127.0.0.1 (real HTTP) for tests of how Safetydesk meets
faults the real wiki cannot be made to show (maxlag, 500s, hangs) or extensions Debian does not
ship (CentralAuth): each request gets the next of its answers, and every request is kept.

    with scripted_wiki(TOKENS, (200, {}, {"block": {...}})) as (api_url, seen):
        ...
"""

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (status, headers, body): a dict body is sent as JSON, bytes as they are, a float sleeps that long.
Answer = tuple[int, dict[str, str], Any]
MAXLAG = (
    200,
    {"Retry-After": "7"},
    {"error": {"code": "maxlag", "info": "Waiting for a database server: 9 seconds lagged."}},
)
TOKENS = (200, {}, {"query": {"tokens": {"csrftoken": "abc+\\", "logintoken": "def+\\"}}})


@contextmanager
def scripted_wiki(*answers: Answer) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    queue = list(answers)
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def answer(self, params: dict[str, Any]) -> None:
            seen.append({**params, "_method": self.command, "_agent": self.headers.get("User-Agent", "")})
            status, headers, body = queue.pop(0) if queue else (500, {}, b"no more answers")
            if isinstance(body, float):
                threading.Event().wait(body)
                body = {}
            raw = json.dumps(body).encode() if isinstance(body, dict) else body
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self.answer(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self.answer(dict(urllib.parse.parse_qsl(self.rfile.read(length).decode())))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/w/api.php", seen
    finally:
        server.shutdown()
        server.server_close()
