"""Baseline (ratchet): accept today's findings, fail only on new ones, say which accepted ones are gone.

A finding is known by what it is about, never by where it is: (code, entity, file). Moving a call site or a
taxonomy entry to another line keeps it baselined; a second occurrence of the same thing in the same file is
new (each entry counts its occurrences). The same identity gives SARIF and GitLab their stable fingerprints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.findings import Finding, Severity
from taxonomy.paths import display_path, read_regular
from taxonomy.reporters import Report

VERSION = 1
SETTINGS = {"file"}

Identity = tuple[str, str, str, str, str]  # command, code, entity kind, entity name (or message), file


def identity(finding: Finding, command: str = "") -> Identity:
    """What a finding is about: its code, entity and file. A finding without an entity is known by its message."""
    if finding.entity is not None:
        return (command, finding.code, finding.entity.kind, finding.entity.name, finding.file or "")
    return (command, finding.code, "", finding.message, finding.file or "")


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One stable id per finding: a hash of its identity and its occurrence number among equal identities."""
    seen: Counter[Identity] = Counter()
    out = []
    for finding in findings:
        key = identity(finding)
        seen[key] += 1
        digest = hashlib.sha256("\0".join(key[1:]).encode("utf-8")).hexdigest()[:32]
        out.append(f"{digest}:{seen[key]}")
    return out


def configured(options_path: str | None, section: Mapping[str, Any], root: Path, source: str | None) -> str | None:
    """The baseline file: --baseline, else `[baseline] file` in the settings (relative to the settings file)."""
    from taxonomy.fuzzy import did_you_mean

    for key in section:
        if key not in SETTINGS:
            raise TaxonomyError(f"unknown setting `baseline.{key}`{did_you_mean(key, SETTINGS)}", file=source)
    if options_path:
        return options_path
    value = section.get("file")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise TaxonomyError("`baseline.file` must be a path", file=source)
    return display_path(root / value)


def _entry(key: Identity, count: int, message: str) -> dict[str, Any]:
    command, code, kind, name, file = key
    return {
        "command": command,
        "code": code,
        "file": file or None,
        "entity": {"kind": kind, "name": name} if kind else None,
        "message": message,
        "count": count,
    }


def _key(entry: Any, where: str) -> tuple[Identity, int]:
    try:
        entity = entry["entity"]
        name = entity["name"] if entity else entry["message"]
        kind = entity["kind"] if entity else ""
        key = (entry["command"], entry["code"], kind, name, entry["file"] or "")
        count = entry.get("count", 1)
        if not all(isinstance(part, str) for part in key) or not isinstance(count, int) or count < 1:
            raise TypeError
    except (KeyError, TypeError, AttributeError):
        raise TaxonomyError(
            "not a taxonomy baseline entry", file=where, hint="write the file with --write-baseline"
        ) from None
    return key, count


def read(path: str) -> tuple[Counter[Identity], dict[Identity, str]]:
    """The accepted findings in a baseline file: identity -> count, and identity -> message (for people)."""
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(
            "baseline file not found", file=path, hint=f"create it with --write-baseline {path}"
        ) from None
    except OSError as exc:
        raise TaxonomyError(f"cannot read baseline: {exc.strerror}", file=path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        raise TaxonomyError(f"invalid baseline JSON: {exc}", file=path, line=line, column=column) from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise TaxonomyError(
            f"not a version {VERSION} taxonomy baseline", file=path, hint="write it again with --write-baseline"
        )
    counts: Counter[Identity] = Counter()
    messages: dict[Identity, str] = {}
    for entry in data["findings"]:
        key, count = _key(entry, path)
        counts[key] += count
        messages.setdefault(key, str(entry.get("message", "")))
    return counts, messages


def write(path: str, report: Report) -> int:
    """Record every finding of `report`; entries of other commands already in the file are kept."""
    kept: Counter[Identity] = Counter()
    messages: dict[Identity, str] = {}
    if Path(path).exists():
        old, old_messages = read(path)
        for key, count in old.items():
            if key[0] != report.command:
                kept[key] = count
                messages[key] = old_messages[key]
    for finding in report.findings:
        key = identity(finding, report.command)
        kept[key] += 1
        messages.setdefault(key, finding.message)
    entries = [_entry(key, kept[key], messages[key]) for key in sorted(kept)]
    document = {"version": VERSION, "tool": "taxonomy", "findings": entries}
    from taxonomy.atomic import write_atomic

    write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return sum(kept[key] for key in kept if key[0] == report.command)


def apply(report: Report, path: str, fail_on: Severity | None) -> Report:
    """Hide the findings the baseline accepts; report the accepted ones that no longer occur as removable."""
    accepted, messages = read(path)
    left = Counter(accepted)
    new: list[Finding] = []
    for finding in report.findings:
        key = identity(finding, report.command)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    checked = set(report.files)
    fixed = [
        _entry(key, count, messages[key])
        for key, count in sorted(left.items())
        if count > 0 and key[0] == report.command and (not key[4] or not checked or key[4] in checked)
    ]
    known = len(report.findings) - len(new)
    notices = list(report.notices)
    if known:
        notices.append(f"{known} known finding{'s' if known != 1 else ''} hidden by the baseline {path}")
    if fixed:
        count = sum(entry["count"] for entry in fixed)
        shown = "; ".join(_describe(entry) for entry in fixed)
        notices.append(
            f"{count} baselined finding{'s are' if count != 1 else ' is'} fixed and can be removed from {path} "
            f"(rewrite it with --write-baseline {path}): {shown}"
        )
    code = report.exit_code
    if code == 1:
        from taxonomy.engine import exit_code

        code = exit_code(new, fail_on)
    extra = {**report.extra, "baseline": {"file": path, "known": known, "fixed": fixed}}
    return dataclasses.replace(report, findings=tuple(new), exit_code=code, notices=tuple(notices), extra=extra)


def _describe(entry: Mapping[str, Any]) -> str:
    entity = entry["entity"]
    about = f"{entity['kind']} `{entity['name']}`" if entity else repr(entry["message"])
    where = f" in {entry['file']}" if entry["file"] else ""
    times = f" (x{entry['count']})" if entry["count"] > 1 else ""
    return f"{entry['code']} {about}{where}{times}"
