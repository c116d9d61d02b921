"""`taxonomy pull` against a real HTTP server on 127.0.0.1 that implements the Braze contract and its faults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Result, run_cli, write
from fakebraze import SECRET, FakeBraze, Running, serve

from taxonomy.errors import TaxonomyError
from taxonomy.export import read_export
from taxonomy.export.api import BrazeClient, PullSettings, check_instance

OLD = '{"old": "snapshot, must survive a failed pull"}\n'


def _attributes(n: int) -> list[dict[str, object]]:
    return [
        {
            "name": f"attr_{i:03d}",
            "description": None,
            "data_type": "Number" if i % 2 else "String (Automatically Detected)",
            "array_length": None,
            "status": "Active",
            "tag_names": [],
        }
        for i in range(n)
    ]


def _events(n: int) -> list[dict[str, object]]:
    return [
        {
            "name": f"event_{i:03d}",
            "description": "x",
            "included_in_analytics_report": False,
            "status": "Active",
            "tag_names": ["t", None],
        }
        for i in range(n)
    ]


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server is local: a proxy from the developer's environment must not get in between."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def braze() -> Iterator[Running]:
    state = FakeBraze(attributes=_attributes(120), events=_events(60), products=["p1", "p2", "p3", "p4", "p5"])
    state.numbered_size = 2
    yield from serve(state)


def pull(server: Running, out: Path, *extra: str, key: str | None = SECRET) -> Result:
    env = {"BRAZE_API_KEY": key if key is not None else ""}
    args = ["pull", "--instance", server.url, "--allow-insecure-http", "-o", str(out), "--max-backoff", "0"]
    return run_cli(*args, "--timeout", "5", "--retries", "3", *extra, env=env)


def assert_no_secret(result: Result, *files: Path) -> None:
    assert SECRET not in result.out + result.err
    for file in files:
        if file.exists():
            assert SECRET not in file.read_text(encoding="utf-8")


def test_pull_pages_through_every_endpoint_and_writes_a_valid_snapshot(braze: Running, tmp_path: Path) -> None:
    out = tmp_path / "braze-export.json"
    result = pull(braze, out, "--workspace", "shop-production")
    assert result.code == 0, result.err
    assert "120 attributes, 60 events, 5 products" in result.err
    export = read_export(out)  # validates against schema/snapshot.schema.json
    assert export.workspace == "shop-production"
    assert [a.name for a in export.attributes] == [f"attr_{i:03d}" for i in range(120)]
    assert export.attributes[0].type == "string" and export.attributes[1].type == "number"
    assert len(export.events) == 60 and export.events[0].tags == ("t",)
    assert [p.name for p in export.products] == ["p1", "p2", "p3", "p4", "p5"]
    state = braze.state
    assert state.count("/custom_attributes") == 3 and state.count("/events") == 2
    assert state.count("/purchases/product_list") == 4  # 2 + 2 + 1 names, then an empty page
    assert {r.authorization for r in state.requests} == {f"Bearer {SECRET}"}
    assert json.loads(out.read_text())["endpoints"] == {
        "/custom_attributes": 3,
        "/events": 2,
        "/purchases/product_list": 4,
    }
    assert_no_secret(result, out)


def test_legacy_events_use_page_numbers(braze: Running, tmp_path: Path) -> None:
    out = tmp_path / "snap.json"
    braze.state.numbered_size = 25
    result = pull(braze, out, "--legacy-events")
    assert result.code == 0, result.err
    assert braze.state.count("/events") == 0 and braze.state.count("/events/list") == 4
    assert len(read_export(out).events) == 60


@pytest.mark.parametrize(
    "faults", [("429", "429", "429"), ("500", "503-html"), ("cut",), ("reset",), ("cut", "500", "reset")]
)
def test_transient_failures_are_retried(braze: Running, tmp_path: Path, faults: tuple[str, ...]) -> None:
    out = tmp_path / "snap.json"
    braze.state.fault("/events", *faults)
    result = pull(braze, out)
    assert result.code == 0, result.err
    assert braze.state.count("/events") == 2 + len(faults)
    assert_no_secret(result, out)


@pytest.mark.parametrize(
    ("endpoint", "fault", "message"),
    [
        ("/custom_attributes", "429", "failed after 4 attempts: HTTP 429"),
        ("/events", "500", "failed after 4 attempts: HTTP 500"),
        ("/events", "reset", "failed after 4 attempts: connection failed"),
        ("/custom_attributes", "truncated", "not JSON"),
        ("/events", "html", "not JSON (text/html)"),
        ("/custom_attributes", "loop", "cursor it had already given"),
        ("/events", "other-host", "another host"),
        ("/custom_attributes", "403", "give the key the `custom_attributes.get` permission"),
        ("/events", "redirect", "does not follow redirects"),
        ("/events", "no-list", "no `events` list (Braze said 'something else')"),
        ("/purchases/product_list", "repeat", "returned page 1 again as page 2"),
    ],
)
def test_failures_stop_with_a_clear_message_and_keep_the_old_snapshot(
    braze: Running, tmp_path: Path, endpoint: str, fault: str, message: str
) -> None:
    out = write(tmp_path / "snap.json", OLD)
    braze.state.always(endpoint, fault)
    result = pull(braze, out)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert out.read_text() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["snap.json"]  # no temp file left behind
    assert_no_secret(result, out)


def test_endless_pages_stop_at_max_pages(braze: Running, tmp_path: Path) -> None:
    out = tmp_path / "snap.json"
    braze.state.always("/events", "endless")
    result = pull(braze, out, "--max-pages", "5")
    assert result.code == 2
    assert "still had more pages after 5" in result.err
    assert braze.state.count("/events") == 5
    assert not out.exists()
    braze.state.permanent.clear()
    braze.state.always("/purchases/product_list", "endless")
    result = pull(braze, out, "--max-pages", "4")
    assert result.code == 2 and "/purchases/product_list still had more pages after 4" in result.err


def test_a_slow_server_times_out(tmp_path: Path) -> None:
    state = FakeBraze(slow_seconds=1.5)
    state.always("/custom_attributes", "slow")
    for server in serve(state):
        out = tmp_path / "snap.json"
        result = pull(server, out, "--timeout", "0.2", "--retries", "1")
        assert result.code == 2
        assert "failed after 2 attempts: no answer within 0.2s" in result.err
        assert not out.exists()


def test_a_wrong_key_is_a_clear_401_and_never_shown(braze: Running, tmp_path: Path) -> None:
    out = tmp_path / "snap.json"
    wrong = "sk-wrong-key-0000-SECRET"
    result = pull(braze, out, "--verbose", key=wrong)
    assert result.code == 2
    assert "Braze rejected the API key (HTTP 401)" in result.err
    assert "[REDACTED]" in result.err  # the fake server echoes the key back; it is masked
    assert wrong not in result.out + result.err
    assert "GET http://127.0.0.1" in result.err  # --verbose logs requests
    assert not out.exists()


def test_every_output_of_every_fault_is_free_of_the_key(braze: Running, tmp_path: Path) -> None:
    for fault in ("429", "500", "truncated", "html", "loop", "other-host", "403", "redirect", "cut", "reset"):
        braze.state.permanent.clear()
        braze.state.always("/events", fault)
        out = tmp_path / f"{fault}.json"
        result = pull(braze, out, "--verbose", "--retries", "1")
        assert result.code == 2, fault
        assert_no_secret(result, out)


def test_retry_after_is_honoured_but_capped(braze: Running) -> None:
    braze.state.fault("/custom_attributes", "429", "429-long", "500")
    delays: list[float] = []
    settings = PullSettings(instance=braze.url, max_backoff=3.0, retries=5)
    with BrazeClient(settings, SECRET, sleep=delays.append) as client:
        rows, pages = client.cursor_pages("/custom_attributes", "attributes")
    assert len(rows) == 120 and pages == 3
    assert delays == [0.0, 3.0, 3.0]  # Retry-After 0, Retry-After 3600 capped, backoff 2**2 capped


def test_backoff_doubles_without_retry_after(braze: Running) -> None:
    braze.state.fault("/events", "500", "500", "500")
    delays: list[float] = []
    with BrazeClient(PullSettings(instance=braze.url, max_backoff=60), SECRET, sleep=delays.append) as client:
        client.cursor_pages("/events", "events")
    assert delays == [1.0, 2.0, 4.0]


def test_plain_http_is_refused_without_the_flag(braze: Running, tmp_path: Path) -> None:
    result = run_cli("pull", "--instance", braze.url, "-o", str(tmp_path / "s.json"), env={"BRAZE_API_KEY": SECRET})
    assert result.code == 2
    assert "refusing to send the API key over plain HTTP" in result.err
    assert braze.state.requests == []


def test_missing_key_and_instance_are_usage_errors(braze: Running, tmp_path: Path) -> None:
    result = pull(braze, tmp_path / "s.json", key=None)
    assert result.code == 2 and "BRAZE_API_KEY is not set" in result.err
    result = run_cli("pull", env={"BRAZE_API_KEY": SECRET, "BRAZE_REST_ENDPOINT": ""}, cwd=tmp_path)
    assert result.code == 2 and "no Braze instance given" in result.err


def test_instance_from_the_environment(braze: Running, tmp_path: Path) -> None:
    env = {"BRAZE_API_KEY": SECRET, "BRAZE_REST_ENDPOINT": braze.url + "/"}
    result = run_cli("pull", "--allow-insecure-http", "--max-backoff", "0", env=env, cwd=tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "braze-export.json").is_file()


def test_pull_settings_from_config(braze: Running, tmp_path: Path) -> None:
    write(tmp_path / ".taxonomy.toml", f'[pull]\ninstance = "{braze.url}"\noutput = "x.json"\nworkspace = "w"\n')
    result = run_cli("pull", "--allow-insecure-http", env={"BRAZE_API_KEY": SECRET}, cwd=tmp_path)
    assert result.code == 0, result.err
    assert read_export(tmp_path / "x.json").workspace == "w"
    write(tmp_path / ".taxonomy.toml", "[pull]\ninstanse = 'x'\n")
    result = run_cli("pull", env={"BRAZE_API_KEY": SECRET}, cwd=tmp_path)
    assert result.code == 2 and "unknown setting `pull.instanse` (did you mean `instance`?)" in result.err


def test_workspace_defaults_to_the_taxonomys(braze: Running, tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\nworkspace: shop-staging\n")
    env = {"BRAZE_API_KEY": SECRET}
    result = run_cli("pull", "--instance", braze.url, "--allow-insecure-http", env=env, cwd=tmp_path)
    assert result.code == 0, result.err
    assert read_export(tmp_path / "braze-export.json").workspace == "shop-staging"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("rest.iad-01.braze.com", "must be a URL"),
        ("ftp://rest.iad-01.braze.com", "must be a URL"),
        ("https://user:pw@rest.iad-01.braze.com", "must not contain credentials"),
        ("https://rest.iad-01.braze.com/?x=1", "query or fragment"),
        ("http://rest.iad-01.braze.com", "refusing"),
    ],
)
def test_bad_instance_urls(url: str, message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        check_instance(url)


def test_instance_url_is_normalised() -> None:
    assert check_instance(" https://rest.iad-01.braze.com/ ") == "https://rest.iad-01.braze.com"
    assert check_instance("http://127.0.0.1:8080", allow_insecure_http=True) == "http://127.0.0.1:8080"


def test_redact_masks_plain_and_url_encoded_forms() -> None:
    from taxonomy.commands.pull import redact

    assert redact("a sk/+key= b sk%2F%2Bkey%3D c", "sk/+key=") == "a [REDACTED] b [REDACTED] c"
    assert redact("abc", "") == "abc"


def test_a_key_that_cannot_be_a_header_is_refused_without_showing_it() -> None:
    with pytest.raises(TaxonomyError) as caught:
        BrazeClient(PullSettings(instance="https://x.example"), "abc\ndef-SECRET")
    assert "SECRET" not in str(caught.value)


def test_an_unwritable_output_is_refused_before_any_request(braze: Running, tmp_path: Path) -> None:
    result = pull(braze, tmp_path / "missing" / "snap.json")
    assert result.code == 2 and "is not a folder" in result.err
    result = pull(braze, tmp_path)
    assert result.code == 2 and "is a directory" in result.err
    assert braze.state.requests == []


def test_killing_pull_midway_leaves_the_old_snapshot(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    from conftest import SRC

    state = FakeBraze(attributes=_attributes(3), slow_seconds=30)
    state.always("/events", "slow")
    for server in serve(state):
        out = write(tmp_path / "snap.json", OLD)
        env = {**os.environ, "PYTHONPATH": str(SRC), "BRAZE_API_KEY": SECRET}
        args = ["pull", "--instance", server.url, "--allow-insecure-http", "-o", str(out), "--timeout", "60"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "taxonomy", *args],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            for _ in range(600):  # until the slow request has arrived (bounded: 60 s)
                if state.count("/events"):
                    break
                time.sleep(0.1)
            assert state.count("/events") == 1
        finally:
            proc.kill()
            _out, err = proc.communicate(timeout=30)
        assert out.read_text() == OLD
        assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.json"]
        assert SECRET.encode() not in err


def test_a_key_with_surrounding_white_space_is_still_redacted(tmp_path: Path) -> None:
    state = FakeBraze(key="sk-other-key-1234")
    for server in serve(state):
        result = pull(server, tmp_path / "s.json", key=f"  {SECRET}\n")
        assert result.code == 2 and "HTTP 401" in result.err
        assert SECRET not in result.out + result.err
        assert state.requests[0].authorization == f"Bearer {SECRET}"  # sent stripped
