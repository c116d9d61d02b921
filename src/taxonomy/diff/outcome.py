"""Reviewed changes -> findings (one per change, DIF family) under the user's policy, and the exit code.

The same findings feed every format: diff's own text / json / markdown read the changes next to them, the shared
reporters (sarif, github, ...) read the findings only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from taxonomy.checks.diff import accepted, breaking, risky, safe, stale_acceptance
from taxonomy.codes import Check
from taxonomy.config import Config
from taxonomy.diff.changes import Change
from taxonomy.diff.review import Acceptance, Review, Reviewed
from taxonomy.engine import apply_policy
from taxonomy.findings import Entity, Finding, Severity

FAIL_ON: dict[str, Severity | None] = {"breaking": Severity.ERROR, "risky": Severity.WARNING, "none": None}
_BY_CATEGORY: dict[str, Check] = {"breaking": breaking, "risky": risky, "safe": safe}


@dataclass(frozen=True)
class Entry:
    change: Change
    finding: Finding
    accepted: Acceptance | None = None


@dataclass(frozen=True)
class Outcome:
    old_label: str
    new_label: str
    entries: tuple[Entry, ...]
    stale: tuple[tuple[Acceptance, Finding], ...]
    fail_on: str
    exit_code: int
    files: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=())

    @property
    def findings(self) -> tuple[Finding, ...]:
        found = [e.finding for e in self.entries] + [f for _a, f in self.stale]
        return tuple(sorted(found, key=Finding.sort_key))

    def counts(self) -> dict[str, int]:
        out = {"breaking": 0, "risky": 0, "safe": 0, "accepted": 0}
        for entry in self.entries:
            out["accepted" if entry.accepted else entry.change.category] += 1
        return out

    def extra(self) -> dict[str, Any]:
        return {"old": self.old_label, "new": self.new_label, "fail_on": self.fail_on, **self.counts()}


def change_message(change: Change) -> str:
    values = "" if change.field == "" else f" ({old_new(change)})"  # presence: the id says added or removed
    return f"{change.id} {change.dotted}{values}: {change.reason}"


def old_new(change: Change) -> str:
    """`type: integer -> string`, `enum: + platinum`, `enum: - bronze`; `added` / `removed` for presence."""
    if change.field == "":
        return "added" if change.old is None else "removed"
    if change.old is None:
        return f"{change.field}: + {show(change.new)}"
    if change.new is None:
        return f"{change.field}: - {show(change.old)}"
    return f"{change.field}: {show(change.old)} -> {show(change.new)}"


def show(value: Any) -> str:
    """A value as a reviewer reads it: strings bare, lists in brackets, nothing as `-`."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return text
    return str(value)


def _finding(entry: Reviewed) -> Finding:
    change = entry.change
    data = [("change", change.id), ("category", change.category), ("path", change.dotted)]
    entity = Entity(change.entity_kind, change.entity_name)
    if entry.accepted is not None:
        data.append(("accepted", entry.accepted.reason))
        message = f"{change_message(change)} (accepted: {entry.accepted.reason or 'no reason given'})"
        return accepted.finding(message, change.span, entity, data=data)
    message = change_message(change) + (f"; {change.note}" if change.note else "")
    return _BY_CATEGORY[change.category].finding(message, change.span, entity, data=data)


def decide(review: Review, config: Config, fail_on: str, old_label: str, new_label: str) -> Outcome:
    """Findings under the policy (--select / --ignore / severity), and whether the run fails."""
    if fail_on not in FAIL_ON:
        from taxonomy.errors import TaxonomyError

        raise TaxonomyError(f"--fail-on must be one of breaking, risky, none; got {fail_on!r}")
    entries: list[Entry] = []
    for reviewed in review.entries:
        kept = apply_policy([_finding(reviewed)], config)
        if kept:
            entries.append(Entry(reviewed.change, kept[0], reviewed.accepted))
    stale: list[tuple[Acceptance, Finding]] = []
    for acceptance in review.stale:
        finding = stale_acceptance.finding(
            f"accepted change {acceptance.change} {acceptance.entity} matches no change between {old_label} and "
            f"{new_label}: fix the id or entity, or remove the entry once the change has shipped",
            acceptance.span,
            None,
            data=[("change", acceptance.change), ("path", acceptance.entity)],
        )
        kept = apply_policy([finding], config)
        if kept:
            stale.append((acceptance, kept[0]))
    threshold = FAIL_ON[fail_on]
    findings = [e.finding for e in entries] + [f for _a, f in stale]
    failed = threshold is not None and any(f.severity >= threshold for f in findings)
    return Outcome(old_label, new_label, tuple(entries), tuple(stale), fail_on, 1 if failed else 0)
