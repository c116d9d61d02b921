"""A real HTTP server on 127.0.0.1 that speaks the Braze export endpoints, with faults on demand.

Faults are queued per endpoint (`server.fault("/events", "429", "500")`: the next two requests to /events
fail that way) or made permanent (`server.always("/events", "429")`).
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SECRET = "sk-test-9f8e7d6c5b4a-SECRET"


@dataclass
class Recorded:
    path: str
    query: dict[str, list[str]]
    authorization: str | None


@dataclass
class FakeBraze:
    key: str = SECRET
    attributes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    page_size: int = 50  # cursor endpoints
    numbered_size: int = 250  # /events/list and /purchases/product_list
    slow_seconds: float = 2.0
    echo_key_on_401: bool = True  # worse than Braze: tests that an echoed key is still redacted
    requests: list[Recorded] = field(default_factory=list)
    queued: dict[str, list[str]] = field(default_factory=dict)
    permanent: dict[str, str] = field(default_factory=dict)

    def fault(self, endpoint: str, *faults: str) -> None:
        self.queued.setdefault(endpoint, []).extend(faults)

    def always(self, endpoint: str, fault: str) -> None:
        self.permanent[endpoint] = fault

    def take_fault(self, endpoint: str) -> str | None:
        queue = self.queued.get(endpoint)
        if queue:
            return queue.pop(0)
        return self.permanent.get(endpoint)

    def count(self, endpoint: str) -> int:
        return sum(1 for r in self.requests if r.path == endpoint)


def _cursor(offset: int) -> str:
    return base64.b64encode(f"skip:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.b64decode(cursor).decode().split(":", 1)[1])


def _handler(state: FakeBraze, base: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def handle(self) -> None:
            with contextlib.suppress(OSError):  # the client gave up (timeout test) or we hung up on purpose
                super().handle()

        def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(body).encode()
            self.send_raw(status, payload, headers, "application/json")

        def send_raw(self, status: int, payload: bytes, headers: dict[str, str] | None, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            endpoint = parts.path.rstrip("/") or "/"
            query = parse_qs(parts.query)
            auth = self.headers.get("Authorization")
            state.requests.append(Recorded(endpoint, query, auth))
            if auth != f"Bearer {state.key}":
                shown = auth.removeprefix("Bearer ") if (auth and state.echo_key_on_401) else "?"
                self.send_json(401, {"message": f"Invalid API key: {shown}"})
                return
            fault = state.take_fault(endpoint)
            if fault and self.apply(fault, endpoint):
                return
            if endpoint in ("/custom_attributes", "/events"):
                self.cursor_page(endpoint, query, fault)
            elif endpoint in ("/events/list", "/purchases/product_list"):
                self.numbered_page(endpoint, query, fault)
            else:
                self.send_json(404, {"message": "not found"})

        def apply(self, fault: str, endpoint: str) -> bool:
            """Send a faulty answer; False for faults that only change paging."""
            if fault == "429":
                self.send_json(429, {"message": "rate limited"}, {"Retry-After": "0"})
            elif fault == "429-long":
                self.send_json(429, {"message": "rate limited"}, {"Retry-After": "3600"})
            elif fault == "500":
                self.send_json(500, {"message": "internal"})
            elif fault == "503-html":
                self.send_raw(503, b"<html>down</html>", None, "text/html")
            elif fault == "html":
                self.send_raw(200, b"<!doctype html><html><body>Sign in</body></html>", None, "text/html")
            elif fault == "truncated":
                self.send_raw(200, b'{"message": "success", "attributes": [{"name": "a"', None, "application/json")
            elif fault == "cut":  # promises more bytes than it sends, then hangs up
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b'{"message": "succ')
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
            elif fault == "reset":  # RST instead of an answer
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
            elif fault == "slow":
                time.sleep(state.slow_seconds)
                self.send_json(200, {"message": "success", endpoint.strip("/").split("/")[-1]: []})
            elif fault == "403":
                self.send_json(403, {"message": "missing permission"})
            elif fault == "redirect":
                self.send_raw(302, b"", {"Location": "https://example.com/"}, "text/plain")
            elif fault == "no-list":
                self.send_json(200, {"message": "something else"})
            else:
                return False
            return True

        def cursor_page(self, endpoint: str, query: dict[str, list[str]], fault: str | None) -> None:
            items = state.attributes if endpoint == "/custom_attributes" else state.events
            key = "attributes" if endpoint == "/custom_attributes" else "events"
            start = _offset(query.get("cursor", [None])[0])
            page = items[start : start + state.page_size]
            headers: dict[str, str] = {}
            following: int | None = start + state.page_size if start + state.page_size < len(items) else None
            if fault == "loop":
                following = start  # the same cursor again, forever
            elif fault == "endless":
                following = start + state.page_size
            elif fault == "other-host":
                headers["Link"] = f'<https://evil.example.com{endpoint}/?cursor={_cursor(1)}>; rel="next"'
            if following is not None and "Link" not in headers:
                headers["Link"] = f'<{base[0]}{endpoint}/?cursor={_cursor(following)}>; rel="next"'
            self.send_json(200, {"message": "success", key: page}, headers)

        def numbered_page(self, endpoint: str, query: dict[str, list[str]], fault: str | None) -> None:
            names = [e["name"] for e in state.events] if endpoint == "/events/list" else state.products
            key = "events" if endpoint == "/events/list" else "products"
            page = int(query.get("page", ["0"])[0])
            if fault == "repeat":
                page = 0
            rows = names[page * state.numbered_size : (page + 1) * state.numbered_size]
            if fault == "endless":
                rows = [f"generated_{page}_{i}" for i in range(3)]
            self.send_json(200, {"message": "success", key: rows})

    return Handler


class Running:
    def __init__(self, state: FakeBraze) -> None:
        self.state = state
        base: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, base))
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}"
        base.append(self.url)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(state: FakeBraze) -> Iterator[Running]:
    running = Running(state)
    try:
        yield running
    finally:
        running.stop()
