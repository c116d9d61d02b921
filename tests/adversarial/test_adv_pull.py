"""`taxonomy pull` against a hostile HTTP server on 127.0.0.1 that this test starts.

The server answers slowly, drips its body a byte at a time, resets connections, loops its cursor, answers 429
forever, sends HTML, truncated JSON, an endless body, a redirect, a header of megabytes. Every run ends within the
timeout and the memory ceiling with exit 2, a message that says what happened, the old snapshot intact and the API
key nowhere in the output.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile import assert_handled, run_bounded

KEY = "hostile-KEY-5f3a9c1e7b"
OLD_SNAPSHOT = '{"old": "snapshot, must survive"}\n'


def _send(conn: socket.socket, status: str, body: bytes, headers: str = "", ctype: str = "application/json") -> None:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    conn.sendall((head + headers + "\r\n").encode() + body)


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close -> RST


def _slow(conn: socket.socket, port: int) -> None:
    time.sleep(3)
    _send(conn, "200 OK", b'{"attributes": []}')


def _drip(conn: socket.socket, port: int) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(100_000):
        conn.sendall(b" ")
        time.sleep(0.2)


def _loop(conn: socket.socket, port: int) -> None:
    link = f'<http://127.0.0.1:{port}/custom_attributes?cursor=same>; rel="next"\r\n'
    _send(conn, "200 OK", b'{"attributes": [{"name": "a"}]}', headers=f"Link: {link}")


def _always_429(conn: socket.socket, port: int) -> None:
    _send(conn, "429 Too Many Requests", b'{"message": "slow down"}', headers="Retry-After: 0\r\n")


def _html(conn: socket.socket, port: int) -> None:
    _send(conn, "200 OK", b"<html><body>Login</body></html>", ctype="text/html")


def _truncated(conn: socket.socket, port: int) -> None:
    body = b'{"attributes": [{"name": "a", "data'
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n" + body)
    _reset(conn)


def _bad_json(conn: socket.socket, port: int) -> None:
    _send(conn, "200 OK", b'{"attributes": [{"name": "a", "data_type": ')


def _endless(conn: socket.socket, port: int) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b'{"name": "a", "data_type": "String"},' * 2000
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    opening = b'{"attributes": ['
    conn.sendall(b"%x\r\n%s\r\n" % (len(opening), opening))
    while True:
        conn.sendall(frame)


def _redirect(conn: socket.socket, port: int) -> None:
    _send(conn, "302 Found", b"", headers="Location: http://evil.example/steal\r\n")


def _other_host(conn: socket.socket, port: int) -> None:
    link = '<http://evil.example/custom_attributes?cursor=x>; rel="next"\r\n'
    _send(conn, "200 OK", b'{"attributes": []}', headers=f"Link: {link}")


def _huge_header(conn: socket.socket, port: int) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Junk: " + b"j" * 5_000_000 + b"\r\n\r\n")


def _echo_key(conn: socket.socket, port: int) -> None:
    _send(conn, "500 Internal Server Error", b'{"message": "bad key ' + KEY.encode() + b'"}')


MODES: dict[str, tuple[Callable[[socket.socket, int], None], str]] = {
    "slow": (_slow, "no answer within"),
    "drip": (_drip, "no answer within"),
    "reset": (lambda conn, port: _reset(conn), "connection failed"),
    "loop-cursor": (_loop, "cursor it had already given"),
    "429-forever": (_always_429, "HTTP 429"),
    "html": (_html, "not JSON (text/html)"),
    "truncated": (_truncated, "GET /custom_attributes failed"),
    "bad-json": (_bad_json, "not JSON"),
    "endless-body": (_endless, "more than 32 MB"),
    "redirect": (_redirect, "does not follow redirects"),
    "other-host": (_other_host, "another host"),
    "huge-header": (_huge_header, "GET /custom_attributes"),
    "echo-key": (_echo_key, "HTTP 500"),
}


@contextlib.contextmanager
def hostile_server(handler: Callable[[socket.socket, int], None]) -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(32)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            conn.settimeout(30)
            conn.recv(65536)
            handler(conn, port)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.parametrize("mode", sorted(MODES))
def test_hostile_server(tmp_path: Path, mode: str) -> None:
    handler, expected = MODES[mode]
    snapshot = tmp_path / "braze-export.json"
    snapshot.write_text(OLD_SNAPSHOT)
    with hostile_server(handler) as port:
        result = run_bounded(
            "pull",
            "--instance",
            f"http://127.0.0.1:{port}",
            "--allow-insecure-http",
            "--timeout",
            "1",
            "--retries",
            "2",
            "--max-backoff",
            "0",
            "--max-pages",
            "50",
            "--verbose",
            cwd=tmp_path,
            env={"BRAZE_API_KEY": KEY, "TAXONOMY_DEBUG": "1"},
            timeout=90,
        )
    assert_handled(result, (2,), mention=expected)
    assert KEY not in result.out + result.err
    assert snapshot.read_text() == OLD_SNAPSHOT
    assert [p.name for p in tmp_path.iterdir()] == ["braze-export.json"]  # no temp file left behind


def test_plain_http_is_refused_before_connecting(tmp_path: Path) -> None:
    """Without --allow-insecure-http the key is never sent over http://: the server sees no request at all."""
    seen: list[int] = []
    with hostile_server(lambda conn, port: seen.append(port)) as port:
        result = run_bounded(
            "pull", "--instance", f"http://127.0.0.1:{port}", cwd=tmp_path, env={"BRAZE_API_KEY": KEY}, timeout=60
        )
    assert_handled(result, (2,), mention="refusing to send the API key over plain HTTP")
    assert not seen and not (tmp_path / "braze-export.json").exists()
