"""`taxonomy pull`: fetch what the Braze workspace holds into a snapshot file (written atomically)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from taxonomy.errors import TaxonomyError

KEY_VARIABLE = "BRAZE_API_KEY"
ENDPOINT_VARIABLE = "BRAZE_REST_ENDPOINT"
DEFAULT_OUTPUT = "braze-export.json"
# [pull] settings in .taxonomy.toml: key -> type
CONFIG_KEYS: dict[str, type] = {
    "instance": str,
    "output": str,
    "workspace": str,
    "timeout": float,
    "retries": int,
    "max-backoff": float,
    "max-pages": int,
    "legacy-events": bool,
}


@dataclass(frozen=True)
class PullOptions:
    instance: str | None = None
    output: str | None = None
    workspace: str | None = None
    taxonomy: str | None = None
    timeout: float | None = None
    retries: int | None = None
    max_backoff: float | None = None
    max_pages: int | None = None
    legacy_events: bool = False
    allow_insecure_http: bool = False
    verbose: bool = False
    config: str | None = None


def redact(text: str, secret: str | None) -> str:
    """The key, and its URL-encoded form, replaced wherever it appears."""
    if not secret or len(secret) < 4:
        return text
    from urllib.parse import quote

    for form in {secret, quote(secret, safe="")}:
        text = text.replace(form, "[REDACTED]")
    return text


def pull_settings(section: Mapping[str, Any], source: str | None) -> dict[str, Any]:
    """The [pull] table, checked: unknown keys and wrong types are errors."""
    from taxonomy.fuzzy import did_you_mean

    out: dict[str, Any] = {}
    for key, value in section.items():
        wanted = CONFIG_KEYS.get(key)
        if wanted is None:
            raise TaxonomyError(f"unknown setting `pull.{key}`{did_you_mean(key, CONFIG_KEYS)}", file=source)
        ok = isinstance(value, wanted) and not (wanted is not bool and isinstance(value, bool))
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok or (wanted in (int, float) and value < 0):
            raise TaxonomyError(
                f"`pull.{key}` must be a {'non-negative ' if wanted in (int, float) else ''}"
                f"{wanted.__name__}; got {value!r}",
                file=source,
            )
        out[key] = value
    return out


def pull(options: PullOptions) -> int:
    from taxonomy.config import load_config

    config = load_config(options.config)
    saved = pull_settings(config.section("pull"), config.source)
    secret = os.environ.get(KEY_VARIABLE, "").strip()

    def log(message: str) -> None:
        if options.verbose:
            sys.stderr.write(redact(f"taxonomy: {message}\n", secret))
            sys.stderr.flush()

    try:
        return _pull(options, saved, secret, config, log)
    except TaxonomyError as exc:
        # Braze (or a proxy) may echo the key in an error body; the CLI redacts too, but only the raw variable
        exc.message = redact(exc.message, secret)
        exc.hint = redact(exc.hint, secret) if exc.hint else exc.hint
        raise
    except Exception:
        if options.verbose and not isinstance(sys.exc_info()[1], TaxonomyError):
            import traceback

            sys.stderr.write(redact(traceback.format_exc(), secret))
        raise


def _pull(options: PullOptions, saved: dict[str, Any], secret: str, config: Any, log: Any) -> int:
    from datetime import datetime, timezone
    from pathlib import Path

    from taxonomy.atomic import write_atomic
    from taxonomy.export.api import BrazeClient, PullSettings, check_instance
    from taxonomy.export.jsonpos import parse
    from taxonomy.export.snapshot import render, validate
    from taxonomy.paths import display_path

    instance = options.instance or os.environ.get(ENDPOINT_VARIABLE) or saved.get("instance")
    if not instance:
        raise TaxonomyError(
            "no Braze instance given",
            hint=f"pass --instance https://rest.iad-01.braze.com, or set {ENDPOINT_VARIABLE}",
        )
    if not secret:
        raise TaxonomyError(
            f"{KEY_VARIABLE} is not set",
            hint="export the REST API key (permissions custom_attributes.get, events.get, purchases.product_list) "
            f"as {KEY_VARIABLE}; it is never accepted on the command line",
        )
    settings = PullSettings(
        instance=check_instance(instance, allow_insecure_http=options.allow_insecure_http),
        timeout=_pick(options.timeout, saved.get("timeout"), 30.0),
        retries=int(_pick(options.retries, saved.get("retries"), 4)),
        max_backoff=_pick(options.max_backoff, saved.get("max-backoff"), 60.0),
        max_pages=int(_pick(options.max_pages, saved.get("max-pages"), 2000)),
        legacy_events=options.legacy_events or bool(saved.get("legacy-events", False)),
    )
    output = options.output or saved.get("output") or DEFAULT_OUTPUT
    folder = Path(output).parent
    if Path(output).is_dir() or not folder.is_dir():
        what = (
            "is a directory" if Path(output).is_dir() else f"cannot be written: {display_path(folder)} is not a folder"
        )
        raise TaxonomyError(f"the snapshot file {display_path(output)} {what}", hint="pass --output FILE")
    workspace = options.workspace or saved.get("workspace") or _taxonomy_workspace(options.taxonomy, config)
    with BrazeClient(settings, secret, log=log) as client:
        fetched = client.fetch()
    text = render(
        workspace=workspace,
        instance=settings.instance,
        fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        attributes=fetched.attributes,
        events=fetched.events,
        products=fetched.products,
        endpoints=fetched.pages,
    )
    text = redact(text, secret)  # Braze never echoes it, but a snapshot is committed: be sure
    validate(parse(text, "(snapshot from Braze)"))  # what Braze sent must make a valid snapshot
    write_atomic(output, text)
    sys.stderr.write(
        f"taxonomy: wrote {display_path(output)}: {len(fetched.attributes)} attributes, {len(fetched.events)} events, "
        f"{len(fetched.products)} products ({fetched.requests} requests)\n"
    )
    return 0


def _pick(*values: Any) -> Any:
    return next(v for v in values if v is not None)


def _taxonomy_workspace(explicit: str | None, config: Any) -> str | None:
    """The taxonomy's `workspace`, when a taxonomy is at hand; pull works without one."""
    from pathlib import Path

    from taxonomy.loader import find_taxonomy, load

    try:
        path = Path(explicit) if explicit else config.taxonomy or find_taxonomy()
        workspace: str | None = load(path).taxonomy.workspace
    except TaxonomyError:
        if explicit:
            raise
        return None
    return workspace
