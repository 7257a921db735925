"""A fake third-party platform for tests: a real HTTP server on 127.0.0.1 that records every
request and answers through a handler the test (or a platform module in tests/fakes/) supplies.
The handler checks the request as the platform would (signature, token, path) and answers in the
platform's documented shapes, errors included.

    def handle(req: FakeRequest) -> FakeReply: ...
    with FakeServer(handle) as fake:
        settings_base = fake.url          # e.g. http://127.0.0.1:54321
        ...
        assert fake.requests[0].path == "/api/v2/order/get_order_list"
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeRequest:
    method: str
    path: str                      # without the query string
    query: dict[str, str]          # first value of each parameter
    headers: dict[str, str]        # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


@dataclass
class FakeReply:
    status: int = 200
    body: Any = None               # dict/list -> JSON; bytes/str sent as they are
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, bytes):
            return self.body, headers
        if isinstance(self.body, str):
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            return self.body.encode(), headers
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(self.body, ensure_ascii=False).encode(), headers


def json_reply(body: Any, status: int = 200, **headers: str) -> FakeReply:
    return FakeReply(status, body, dict(headers))


class FakeServer:
    """Start with `with FakeServer(handler) as fake:`; `fake.url` is its base URL."""

    def __init__(self, handler: Callable[[FakeRequest], FakeReply]):
        self.handler = handler
        self.requests: list[FakeRequest] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = FakeRequest(
                    self.command, parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                    {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                with outer._lock:
                    outer.requests.append(request)
                try:
                    reply = outer.handler(request)
                except Exception as error:  # a bug in the fake must show in the test, not hang it
                    reply = FakeReply(599, {"fake_server_error": repr(error)})
                body, headers = reply.encoded()
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, *args):  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
