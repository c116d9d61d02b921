"""The catalogue as one self-contained HTML page: inline CSS and JS, no network, works from file://.

Every entry is rendered on the server side (the page reads fine without JavaScript); the small script only
hides what the search box and the filters exclude.
"""

from __future__ import annotations

import re
from html import escape
from importlib import resources

from taxonomy import __version__
from taxonomy.docs import BRAZE_STATES, KINDS, Catalogue, Entry, Field

TITLES = {"event": "Events", "attribute": "Attributes", "product": "Products"}


def render_html(catalogue: Catalogue) -> str:
    template = resources.files("taxonomy.docs").joinpath("template.html").read_text(encoding="utf-8")
    counts = ", ".join(f"{len(catalogue.of_kind(k))} {TITLES[k].lower()}" for k in KINDS)
    subtitle = escape(catalogue.description + " · " if catalogue.description else "") + escape(
        f"{counts} · from {catalogue.source}"
    )
    replacements = {
        "VERSION": escape(__version__),
        "TITLE": escape(catalogue.title),
        "SUBTITLE": subtitle,
        "FILTERS": _filters(catalogue),
        "SECTIONS": "\n".join(_section(catalogue, kind) for kind in KINDS),
    }
    # one pass over the template: text from the taxonomy that happens to contain {{...}} is never expanded
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: replacements[m.group(1)], template)


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    rows = [f'<option value="">{escape(label)}</option>']
    rows += [f'<option value="{escape(v)}">{escape(text)}</option>' for v, text in options]
    return f'<select data-filter="{name}" id="filter-{name}" aria-label="{escape(label)}">{"".join(rows)}</select>'


def _filters(catalogue: Catalogue) -> str:
    selects = [
        _select("kind", "Every kind", [(k, TITLES[k]) for k in KINDS]),
        _select("status", "Every status", [(s, s) for s in catalogue.statuses]),
        _select("owner", "Every owner", [(o, o) for o in catalogue.owners]),
        _select("platform", "Every platform", [(p, p) for p in catalogue.platforms]),
    ]
    if catalogue.has_braze:
        selects.append(_select("braze", "Any Braze state", [(k, v) for k, v in BRAZE_STATES.items()]))
    return "\n".join(selects)


def _section(catalogue: Catalogue, kind: str) -> str:
    entries = catalogue.of_kind(kind)
    body = "\n".join(_entry(e, catalogue) for e in entries)
    extra = ""
    if kind == "product" and catalogue.purchase_fields:
        extra = "<h3>Purchase properties</h3>\n" + _table(catalogue.purchase_fields)
    return (
        f'<section data-kind="{kind}" id="{kind}s">\n<h2>{TITLES[kind]} <small>({len(entries)})</small></h2>\n'
        f"{body}\n{extra}</section>"
    )


def _entry(entry: Entry, catalogue: Catalogue) -> str:
    badges = [f'<span class="badge {escape(entry.status)}">{escape(entry.status)}</span>']
    if entry.braze is not None:
        badges.append(f'<span class="badge {escape(entry.braze)}">{escape(BRAZE_STATES[entry.braze])}</span>')
    parts = [
        f'<h3><code>{escape(entry.name)}</code> <span class="kind">{entry.kind}</span> {" ".join(badges)}</h3>',
    ]
    if entry.status in ("deprecated", "removed"):
        target = escape(entry.renamed_to)
        link = f'<a href="#{escape(entry.kind)}-{target}"><code>{target}</code></a>'
        replaced = f" Use {link} instead." if entry.renamed_to else ""
        reason = f" {escape(entry.reason)}" if entry.reason else ""
        parts.append(f'<p class="replaced"><strong>{entry.status.capitalize()}.</strong>{replaced}{reason}</p>')
    parts.append(f'<p class="desc">{escape(entry.description) or "<em>No description.</em>"}</p>')
    meta = [f"owner: <strong>{escape(entry.owner) or '—'}</strong>"]
    if entry.type:
        constraints = f" ({escape('; '.join(entry.constraints))})" if entry.constraints else ""
        meta.append(f"type: <code>{escape(entry.type)}</code>{constraints}")
    if entry.platforms:
        meta.append("platforms: " + "".join(f'<span class="chip">{escape(p)}</span>' for p in entry.platforms))
    if entry.tags:
        meta.append("tags: " + "".join(f'<span class="chip">{escape(t)}</span>' for t in entry.tags))
    meta.append(f"declared in <code>{escape(entry.declared_at)}</code>")
    parts.append(f'<div class="meta">{"".join(f"<span>{m}</span>" for m in meta)}</div>')
    if entry.fields:
        parts.append(_table(entry.fields))
    if entry.usage is not None:
        if entry.usage:
            items = "".join(f"<li><code>{escape(f)}:{line}</code></li>" for f, line in entry.usage)
            parts.append(f'<div class="meta">sent from code:</div><ul class="usage">{items}</ul>')
        else:
            parts.append('<div class="meta">sent from code: <strong>nowhere found</strong></div>')
    data = {
        "kind": entry.kind,
        "name": entry.name,
        "status": entry.status,
        "owner": entry.owner,
        "platform": " ".join(entry.platforms),
        "search": entry.search_text,
    }
    if entry.braze is not None:
        data["braze"] = entry.braze
    attrs = " ".join(f'data-{k}="{escape(v)}"' for k, v in data.items())
    return (
        f'<article class="entry {escape(entry.status)}" id="{escape(entry.anchor)}" {attrs}>\n'
        + "\n".join(parts)
        + "\n</article>"
    )


def _table(fields: tuple[Field, ...]) -> str:
    rows = [
        '<table><colgroup><col class="c-name"><col class="c-type"><col class="c-req"><col></colgroup>'
        "<thead><tr><th>Property</th><th>Type</th><th></th><th>Description</th></tr></thead><tbody>"
    ]
    for f in fields:
        pad = "&nbsp;" * 4 * f.depth
        constraints = f"<br><small>{escape('; '.join(f.constraints))}</small>" if f.constraints else ""
        required = '<td class="req">required</td>' if f.required else "<td></td>"
        rows.append(
            f"<tr><td>{pad}<code>{escape(f.path)}</code></td><td><code>{escape(f.type)}</code>{constraints}</td>"
            f"{required}<td>{escape(f.description)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)
