"""The Braze API key never appears in anything the tool prints or writes.

A distinctive fake key is used in every run; stdout, stderr (with --verbose and TAXONOMY_DEBUG=1), the snapshot,
report files and anything else left in the folder are all searched for it: plain, stripped, and URL-encoded.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import run_cli, write
from hostile import VALID, assert_handled, run_bounded, tree_files
from test_adv_pull import _send, hostile_server

KEY = "zz-FAKE-braze-key/with+odd=chars-4b1d"
FORMS = (KEY, quote(KEY, safe=""), KEY.strip())


def leaked(text: str | bytes) -> bool:
    data = text.encode() if isinstance(text, str) else text
    return any(form.encode() in data for form in FORMS)


def assert_nowhere(result_text: str, folder: Path) -> None:
    assert not leaked(result_text), result_text
    for name, data in tree_files(folder).items():
        assert not leaked(data), f"the key is in {name}"


def _echo_everywhere(conn: socket.socket, port: int) -> None:
    """A server worse than Braze: it echoes the key in the body, a header and the next-page link."""
    link = f'<http://127.0.0.1:{port}/custom_attributes?cursor={quote(KEY, safe="")}>; rel="next"\r\n'
    body = json.dumps({"attributes": [{"name": f"attr {KEY}", "description": KEY}], "message": KEY}).encode()
    _send(conn, "200 OK", body, headers=f"Link: {link}X-Echo: {KEY}\r\n")


def _reject(conn: socket.socket, port: int) -> None:
    _send(conn, "401 Unauthorized", json.dumps({"message": f"invalid key {KEY}"}).encode())


@pytest.mark.parametrize("padding", ["", "  ", "\n"], ids=["plain", "spaces", "newline"])
@pytest.mark.parametrize("server", [_echo_everywhere, _reject], ids=["echo", "401"])
def test_pull_never_shows_the_key(tmp_path: Path, padding: str, server: Callable[[socket.socket, int], None]) -> None:
    with hostile_server(server) as port:
        result = run_bounded(
            "pull",
            "--instance",
            f"http://127.0.0.1:{port}",
            "--allow-insecure-http",
            "--verbose",
            "--retries",
            "0",
            "--max-pages",
            "3",
            "--timeout",
            "2",
            cwd=tmp_path,
            env={"BRAZE_API_KEY": padding + KEY + padding, "TAXONOMY_DEBUG": "1"},
            timeout=60,
        )
    assert_handled(result, (0, 2))
    assert_nowhere(result.out + result.err, tmp_path)


def test_an_internal_error_carrying_the_key_is_redacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug whose message holds the key (say, a library echoing a header): the traceback and message are redacted,
    also when the variable has white space around it (pull strips it; the crash handler once did not)."""
    from taxonomy.export import api

    def boom(self: object) -> object:
        raise RuntimeError(f"unexpected header value {KEY!r}")

    monkeypatch.setattr(api.BrazeClient, "fetch", boom)
    result = run_cli(
        "pull",
        "--instance",
        "https://rest.iad-01.braze.com",
        "--verbose",
        cwd=tmp_path,
        env={"BRAZE_API_KEY": f" {KEY}\n", "TAXONOMY_DEBUG": "1"},
    )
    assert result.code == 3 and "Traceback" in result.err  # TAXONOMY_DEBUG shows it ...
    assert "[REDACTED]" in result.err  # ... with the key masked
    assert_nowhere(result.out + result.err, tmp_path)


def test_non_https_is_refused_unless_allowed(tmp_path: Path) -> None:
    result = run_cli("pull", "--instance", "http://rest.iad-01.braze.com", cwd=tmp_path, env={"BRAZE_API_KEY": KEY})
    assert_handled(result, (2,), mention="--allow-insecure-http")
    assert_nowhere(result.out + result.err, tmp_path)


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "taxonomy.yaml", "--format", "json", "--output-file", "report.json"],
        ["lint", "taxonomy.yaml", "--write-baseline", "baseline.json"],
        ["docs", "taxonomy.yaml"],
        ["fmt", "taxonomy.yaml"],
    ],
    ids=["report", "baseline", "docs", "fmt"],
)
def test_other_commands_never_write_the_key_from_the_environment(tmp_path: Path, argv: list[str]) -> None:
    """The key lives only in the environment: nothing but pull reads it, nothing writes it."""
    write(tmp_path / "taxonomy.yaml", VALID + "  BadName: {type: string}\n")
    result = run_cli(*argv, cwd=tmp_path, env={"BRAZE_API_KEY": KEY, "TAXONOMY_DEBUG": "1"})
    assert_handled(result, (0, 1))
    assert_nowhere(result.out + result.err, tmp_path)
