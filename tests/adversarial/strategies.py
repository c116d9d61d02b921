"""Hypothesis strategies for hostile-but-plausible input: taxonomy documents, SDK-ish source code, Braze exports.

Each strategy builds something close to valid (so it gets past the first parser and reaches the checks), then
mixes in the mistakes people and tools make: wrong types, odd names, unicode, YAML tricks, truncation, noise.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import strategies as st

# ------------------------------------------------------------------------------------------- names and scalars

NAME_PIECES = ["signed_up", "Signed Up", "cart", "$revenue", "user.id", "a" * 60, "é", "日本", "on", "null", "yes",
               "0x1F", "1e3", "-", "", " ", "__proto__", "constructor", "time", "price", "a b", "x\ty", "'", '"',
               "#", ":", "{", "[", "*a", "&a", "!!str", "%", "@", "`"]  # fmt: skip
names = st.one_of(
    st.sampled_from(NAME_PIECES),
    st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    st.text(min_size=1, max_size=12),
)
TYPES = ["string", "number", "integer", "boolean", "time", "array", "object", "String", "int", "list", "any", ""]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)


def _property() -> st.SearchStrategy[Any]:
    fields = st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(st.sampled_from(TYPES), scalars),
            "required": st.one_of(st.booleans(), scalars),
            "enum": st.one_of(st.lists(scalars, max_size=4), scalars),
            "minimum": scalars,
            "maximum": scalars,
            "description": st.one_of(st.text(max_size=30), scalars),
            "items": st.one_of(st.sampled_from(TYPES), scalars),
            "max_items": scalars,
            "properties": st.dictionaries(names, st.just({"type": "string"}), max_size=2),
        },
    )
    return st.one_of(fields, scalars)


def _item() -> st.SearchStrategy[Any]:
    fields = st.fixed_dictionaries(
        {},
        optional={
            "description": st.one_of(st.text(max_size=40), scalars),
            "owner": st.one_of(names, scalars),
            "status": st.one_of(st.sampled_from(["planned", "active", "deprecated", "removed", "Active"]), scalars),
            "replaced_by": names,
            "platforms": st.lists(st.sampled_from(["ios", "android", "web", "flutter", "tv"]), max_size=3),
            "properties": st.dictionaries(names, _property(), max_size=4),
            "type": st.one_of(st.sampled_from(TYPES), scalars),
            "enum": st.lists(scalars, max_size=3),
            "tags": st.lists(names, max_size=2),
        },
    )
    return st.one_of(fields, scalars, st.lists(scalars, max_size=2))


taxonomy_data = st.fixed_dictionaries(
    {"version": st.one_of(st.just(1), scalars)},
    optional={
        "workspace": st.one_of(names, scalars),
        "conventions": st.fixed_dictionaries(
            {},
            optional={
                "events": st.sampled_from(["snake_case", "camelCase", "Title Case", "kebab", ""]),
                "attributes": st.sampled_from(["snake_case", "camelCase", "PascalCase"]),
                "warehouses": st.lists(st.sampled_from(["snowflake", "bigquery", "redshift", "oracle"]), max_size=2),
            },
        ),
        "events": st.dictionaries(names, _item(), max_size=5),
        "attributes": st.dictionaries(names, _item(), max_size=5),
        "purchases": st.fixed_dictionaries(
            {},
            optional={
                "products": st.dictionaries(names, _item(), max_size=3),
                "properties": st.dictionaries(names, _property(), max_size=3),
            },
        ),
        "include": st.lists(st.sampled_from(["missing.yaml", "*.yaml", "../x.yaml", ""]), max_size=1),
    },
)

YAML_TRICKS = ["", "\n", "---\n", "...\n", "%YAML 1.1\n---\n", "# comment\n", "\ufeff", "\t", "&a ", "*a", "<<: *a\n",
               "!!binary ", "!!python/object:os.system ", "? ", "- ", "|\n  x\n", ">-\n  y\n", "\r\n", "\x00", "\x85",
               "key: value\nkey: again\n", "{", "}", "[", "]", "'", '"']  # fmt: skip


def _to_yaml(data: Any) -> str:
    import yaml

    try:
        return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None))
    except (yaml.YAMLError, ValueError):  # pragma: no cover - safe_dump refuses little
        return "version: 1\n"


@st.composite
def taxonomy_texts(draw: st.DrawFn) -> str:
    """A taxonomy file: generated data dumped as YAML, sometimes spliced with YAML tricks or cut short."""
    text = _to_yaml(draw(taxonomy_data))
    if draw(st.booleans()):
        lines = text.split("\n")
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            at = draw(st.integers(min_value=0, max_value=len(lines)))
            lines.insert(at, draw(st.sampled_from(YAML_TRICKS)) + draw(st.text(max_size=5)))
        text = "\n".join(lines)
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


# ------------------------------------------------------------------------------------------- source code

RECEIVERS = ["braze", "Braze", "appboy", "Appboy", "braze.getUser()", "Braze.getInstance(context)",
             "Braze.getInstance(ctx).currentUser", "Braze.shared", "AppDelegate.braze", "BrazePlugin()", "self.braze",
             "[Appboy sharedInstance]", "logger", "window.braze", "this.braze", "Braze.Instance", "_braze"]  # fmt: skip
ARGS = ['"signed_up"', "'added_to_cart'", "`tmpl_${x}`", "EVENT_NAME", "Events.SIGNED_UP", "name", '"a" + b',
        "{plan: 'pro', n: 1}", "mapOf(\"k\" to 1)", "[\"k\": 1]", "@{@\"k\": @1}", "{'k': 1}", "null", "nil",
        "None", "1.5", "-3", '"USD"', "true", "new BrazeProperties()", "f(x)", "...args", "$x", "() => 1",
        '"é日本"', '"\\u0000"', "#\"raw\"#"]  # fmt: skip
NOISE = ["\n", " ", ";", "(", ")", "{", "}", "[", "]", ",", ".", "?.", "!!", "//", "/*", "*/", "#", '"', "'", "`",
         "import braze\n", "from braze import x\n", "import com.braze.Braze\n", "@import BrazeKit;\n", "const ",
         "val ", "let ", "static final String E = \"e\";\n", "object Events { const val E = \"e\" }\n",
         "enum E: String { case a = \"a\" }\n", "def f(:\n", "\\", "\t", "${", "}}", "\r\n", "\ufeff"]  # fmt: skip


@st.composite
def source_snippets(draw: st.DrawFn, methods: list[str]) -> str:
    """SDK-call-like fragments (receiver.method(args)) for one language's method names, mixed with noise."""
    parts: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        kind = draw(st.integers(min_value=0, max_value=3))
        if kind == 0:
            parts.append(draw(st.sampled_from(NOISE)))
        elif kind == 1:
            parts.append(draw(st.text(max_size=6)))
        else:
            receiver = draw(st.sampled_from(RECEIVERS))
            method = draw(st.sampled_from(methods or ["logCustomEvent"]))
            args = draw(st.lists(st.sampled_from(ARGS), max_size=4))
            label = draw(st.sampled_from(["", "name: ", "properties: ", "_ ", "eventName = "]))
            close = draw(st.sampled_from([")", ");", ")\n", "", "))", ") {"]))
            parts.append(f"{receiver}.{method}({label}{', '.join(args)}{close}\n")
    return "".join(parts)


# ------------------------------------------------------------------------------------------- exports

STATUSES = ["Active", "Blocklisted", "Deleted", "active", "", "Unknown", None]
DATA_TYPES = ["String", "Number", "Boolean", "Time", "Array", "Object", "String (Automatically Detected)",
              "Number (Automatically Detected)", "Object Array", "", None, 3]  # fmt: skip


def _row(kind: str) -> st.SearchStrategy[Any]:
    common = {
        "name": st.one_of(names, scalars),
        "description": st.one_of(st.none(), st.text(max_size=20), scalars),
        "status": st.one_of(st.sampled_from(STATUSES), scalars),
        "tag_names": st.one_of(st.lists(st.one_of(names, st.none()), max_size=2), scalars),
    }
    if kind == "attributes":
        common["data_type"] = st.one_of(st.sampled_from(DATA_TYPES), scalars)
        common["array_length"] = st.one_of(st.none(), st.integers(-5, 10**6), scalars)
    else:
        common["included_in_analytics_report"] = st.one_of(st.booleans(), scalars)
    row = st.fixed_dictionaries({"name": common.pop("name")}, optional=common)
    return st.one_of(row, row, scalars)


rest_bodies = st.one_of(
    st.builds(lambda rows: {"attributes": rows, "message": "success"}, st.lists(_row("attributes"), max_size=5)),
    st.builds(lambda rows: {"events": rows, "message": "success"}, st.lists(_row("events"), max_size=5)),
    st.builds(lambda rows: {"events": rows}, st.lists(st.one_of(names, scalars), max_size=5)),
    st.builds(lambda rows: {"products": rows}, st.lists(st.one_of(names, scalars), max_size=5)),
)


@st.composite
def snapshots(draw: st.DrawFn) -> dict[str, Any]:
    body: dict[str, Any] = {
        "$schema": "https://event-taxonomy.dev/schema/snapshot.schema.json",
        "format": draw(st.sampled_from(["taxonomy-braze-snapshot", "other"])),
        "version": draw(st.one_of(st.just(1), scalars)),
        "workspace": draw(st.one_of(names, st.none())),
        "instance": draw(st.sampled_from(["https://rest.iad-01.braze.com", "http://x", "", "not a url"])),
        "fetched_at": draw(st.sampled_from(["2026-01-01T00:00:00Z", "yesterday", ""])),
        "endpoints": draw(st.dictionaries(st.sampled_from(["/events", "/custom_attributes"]), scalars, max_size=2)),
        "attributes": draw(st.lists(_row("attributes"), max_size=4)),
        "events": draw(st.lists(_row("events"), max_size=4)),
        "products": draw(st.lists(st.one_of(names, scalars), max_size=3)),
    }
    for key in draw(st.lists(st.sampled_from(sorted(body)), max_size=2)):
        body.pop(key, None)
    return body


CSV_HEADERS = ["Name", "Event Name", "Attribute Name", "Product Name", "Data Type", "Array Length", "Status",
               "Description", "Tags", "Blocklisted", "Unknown", "", "\ufeffName", "name", "DATA TYPE"]  # fmt: skip


@st.composite
def csv_exports(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, CSV text): dashboard-like headers and rows with hostile cells, sometimes cut short."""
    headers = draw(st.lists(st.sampled_from(CSV_HEADERS), min_size=1, max_size=5))
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(
                    names,
                    st.sampled_from(["Array", "inf", "1e400", "-1", "nan", "2.5", "Yes", "", "a,b", '"', "\n"]),
                ),
                max_size=6,
            ),
            max_size=5,
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(headers)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    name = draw(st.sampled_from(["events.csv", "custom_attributes.csv", "products.csv", "export.csv"]))
    return name, text


@st.composite
def json_exports(draw: st.DrawFn) -> str:
    data = draw(st.one_of(rest_bodies, snapshots()))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text
