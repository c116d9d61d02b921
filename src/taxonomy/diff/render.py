"""diff's own formats: text (grouped by category), json (the change list), markdown (a pull-request comment).

Like every reporter they decide nothing: the outcome already holds the changes, their findings and the exit code.
"""

from __future__ import annotations

import json
from typing import Any

from taxonomy.diff.changes import CATEGORIES
from taxonomy.diff.outcome import Entry, Outcome, old_new, show

_COLORS = {"breaking": "31", "risky": "33", "safe": "32", "accepted": "2", "stale": "33"}
_TITLES = {"breaking": "Breaking", "risky": "Risky", "safe": "Safe"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _where(entry: Entry) -> str:
    span = entry.finding.span
    return f"{span.file}:{span.line}" if span else ""


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def render_text(outcome: Outcome, *, color: bool = False) -> str:
    lines = [_paint(f"taxonomy diff: {outcome.old_label} -> {outcome.new_label}", "1", color)]
    for notice in outcome.notices:
        lines.append(_paint(f"note: {notice}", "2", color))
    groups: dict[str, list[Entry]] = {c: [] for c in (*CATEGORIES, "accepted")}
    for entry in outcome.entries:
        groups["accepted" if entry.accepted else entry.change.category].append(entry)
    for group, entries in groups.items():
        if not entries:
            continue
        title = _TITLES.get(group, "Accepted")
        lines.append("")
        lines.append(_paint(f"{title} ({len(entries)})", f"1;{_COLORS[group]}", color))
        id_width = max(len(e.change.id) for e in entries)
        for entry in entries:
            change = entry.change
            head = f"  {_paint(change.id.ljust(id_width), _COLORS[group], color)}  {change.dotted}  {old_new(change)}"
            where = _where(entry)
            lines.append(f"{head}  {_paint(where, '2', color)}" if where else head)
            if entry.accepted is not None:
                lines.append(f"      accepted: {entry.accepted.reason or 'no reason given'}")
            else:
                lines.append(_paint(f"      {change.reason}", "2", color))
            if change.note:
                lines.append(f"      note: {change.note}")
    if outcome.stale:
        lines.append("")
        lines.append(_paint(f"Stale acceptances ({len(outcome.stale)})", f"1;{_COLORS['stale']}", color))
        for acceptance, finding in outcome.stale:
            where = f"{finding.span.file}:{finding.span.line}" if finding.span else ""
            lines.append(f"  {acceptance.change}  {acceptance.entity}  {_paint(where, '2', color)}".rstrip())
            lines.append(_paint("      matches no change: fix the id or entity, or remove the entry", "2", color))
    lines.append("")
    lines.append(_summary(outcome, color))
    return "\n".join(lines) + "\n"


def _summary(outcome: Outcome, color: bool) -> str:
    counts = outcome.counts()
    if not outcome.entries and not outcome.stale:
        return _paint("No changes.", "32", color)
    parts = [f"{counts[c]} {c}" for c in ("breaking", "risky", "safe", "accepted") if counts[c]]
    if outcome.stale:
        parts.append(f"{len(outcome.stale)} stale acceptance{'s' if len(outcome.stale) != 1 else ''}")
    total = _plural(len(outcome.entries), "change")
    verdict = (
        f"fails on {outcome.fail_on} (exit 1)."
        if outcome.exit_code
        else f"nothing at or above --fail-on {outcome.fail_on}."
        if outcome.fail_on != "none"
        else "--fail-on none."
    )
    return _paint(f"{total} ({', '.join(parts) or 'none'}); {verdict}", "1", color)


def change_dict(entry: Entry) -> dict[str, Any]:
    change = entry.change
    out: dict[str, Any] = {
        "id": change.id,
        "category": change.category,
        "entity": {"kind": change.entity_kind, "name": change.entity_name, "path": change.dotted},
        "old": change.old,
        "new": change.new,
        "reason": change.reason,
    }
    # Present only when they apply, so that a plain diff is exactly the six keys above.
    if entry.accepted is not None:
        out["accepted"] = entry.accepted.reason
    if change.category_override is not None:
        out["downgraded_from"] = change.kind.category
    if change.note:
        out["note"] = change.note
    return out


def render_json(outcome: Outcome, *, color: bool = False) -> str:
    document: dict[str, Any] = {"version": 1, "changes": [change_dict(e) for e in outcome.entries]}
    if outcome.stale:
        document["stale_acceptances"] = [{"id": a.change, "entity": a.entity} for a, _f in outcome.stale]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(value: Any) -> str:
    text = show(value)
    return "–" if value is None else f"`{_cell(text).replace('`', 'ˋ')}`"


_MARKS = {"breaking": "🔴 breaking", "risky": "🟡 risky", "safe": "🟢 safe"}


def render_markdown(outcome: Outcome, *, color: bool = False) -> str:
    counts = outcome.counts()
    lines = [
        f"### Taxonomy changes: `{outcome.old_label}` → `{outcome.new_label}`",
        "",
        "| Breaking | Risky | Safe | Accepted |",
        "|---:|---:|---:|---:|",
        f"| {counts['breaking']} | {counts['risky']} | {counts['safe']} | {counts['accepted']} |",
        "",
    ]
    if not outcome.entries and not outcome.stale:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    if outcome.entries:
        lines += ["| Category | Change | Entity | Old | New | Why |", "|---|---|---|---|---|---|"]
        order = {c: i for i, c in enumerate((*CATEGORIES,))}
        for entry in sorted(outcome.entries, key=lambda e: (e.accepted is not None, order[e.change.category])):
            change = entry.change
            mark = "✅ accepted" if entry.accepted is not None else _MARKS[change.category]
            why = change.reason + (f" **Accepted:** {entry.accepted.reason}" if entry.accepted else "")
            if change.note:
                why += f" *Note:* {change.note}"
            field = f" `{change.field}`" if change.field else ""
            lines.append(
                f"| {mark} | `{change.id}` | `{_cell(change.dotted)}`{field} | {_code(change.old)} | "
                f"{_code(change.new)} | {_cell(why)} |"
            )
    if outcome.stale:
        lines += ["", "**Stale acceptances** (they match no change: fix or remove them):", ""]
        lines += [f"- `{a.change}` `{_cell(a.entity)}`" for a, _f in outcome.stale]
    lines.append("")
    verdict = "❌ fails" if outcome.exit_code else "passes"
    lines.append(f"<sub>taxonomy diff {verdict} with `--fail-on {outcome.fail_on}`.</sub>")
    return "\n".join(lines) + "\n"


FORMATS = {"text": render_text, "json": render_json, "markdown": render_markdown}
