"""The catalogue as Markdown: for a wiki, a pull request, or a README."""

from __future__ import annotations

from taxonomy.docs import BRAZE_STATES, KINDS, Catalogue, Entry, Field

TITLES = {"event": "Events", "attribute": "Attributes", "product": "Products"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(catalogue: Catalogue) -> str:
    lines = [f"# {catalogue.title}", ""]
    if catalogue.description:
        lines += [catalogue.description, ""]
    counts = ", ".join(f"{len(catalogue.of_kind(k))} {TITLES[k].lower()}" for k in KINDS)
    lines += [f"{counts}; generated from `{catalogue.source}`.", ""]
    for kind in KINDS:
        entries = catalogue.of_kind(kind)
        lines += [f"## {TITLES[kind]}", ""]
        if not entries:
            lines += ["None.", ""]
        for entry in entries:
            lines += _entry(entry)
        if kind == "product" and catalogue.purchase_fields:
            lines += ["### Purchase properties", "", *_table(catalogue.purchase_fields), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _entry(entry: Entry) -> list[str]:
    name = f"~~`{entry.name}`~~" if entry.status in ("deprecated", "removed") else f"`{entry.name}`"
    lines = [f"### {name}", ""]
    if entry.status in ("deprecated", "removed"):
        replaced = f" Use `{entry.renamed_to}` instead." if entry.renamed_to else ""
        reason = f" {entry.reason}" if entry.reason else ""
        lines += [f"> **{entry.status.capitalize()}.**{replaced}{reason}", ""]
    lines += [entry.description or "_No description._", ""]
    facts = [f"status: {entry.status}", f"owner: {entry.owner or '—'}"]
    if entry.type:
        facts.append(f"type: `{entry.type}`" + (f" ({'; '.join(entry.constraints)})" if entry.constraints else ""))
    if entry.platforms:
        facts.append("platforms: " + ", ".join(entry.platforms))
    if entry.tags:
        facts.append("tags: " + ", ".join(entry.tags))
    if entry.braze is not None:
        facts.append(f"Braze: {BRAZE_STATES[entry.braze]}")
    facts.append(f"declared in `{entry.declared_at}`")
    lines += ["- " + fact for fact in facts]
    if entry.usage is not None:
        sent = ", ".join(f"`{f}:{line}`" for f, line in entry.usage) or "nowhere found"
        lines.append(f"- sent from: {sent}")
    lines.append("")
    if entry.fields:
        lines += [*_table(entry.fields), ""]
    return lines


def _table(fields: tuple[Field, ...]) -> list[str]:
    rows = ["| Property | Type | Required | Description |", "|---|---|---|---|"]
    for f in fields:
        kind = f"`{f.type}`" + (f" ({_cell('; '.join(f.constraints))})" if f.constraints else "")
        rows.append(f"| `{f.path}` | {kind} | {'yes' if f.required else ''} | {_cell(f.description)} |")
    return rows
