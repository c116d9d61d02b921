"""taxonomy.yaml (and its includes) -> JSON Schema findings + the immutable model.

Wrong types and unknown keys are findings (exit 1) so that one typo does not hide everything else; a file that
cannot be read or parsed, a duplicate key, an include cycle or escape stops with a TaxonomyError (exit 2).
"""

from __future__ import annotations

import functools
import glob
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.findings import Entity, Finding, Fix, Span
from taxonomy.model import (
    STATUSES,
    Attribute,
    Conventions,
    Event,
    Product,
    Property,
    Suppression,
    Taxonomy,
)
from taxonomy.paths import display_path
from taxonomy.yamlsource import YList, YMap, parse, read_text

DEFAULT_NAMES = ("taxonomy.yaml", "taxonomy.yml")
# A taxonomy of thousands of events is a few MB; far more would exhaust memory as a tree of positioned nodes.
MAX_BYTES = 10_000_000
# Top-level keys the model reads itself; any other key the schema allows is kept in Taxonomy.sections.
_MODELLED = {
    "version",
    "workspace",
    "description",
    "conventions",
    "warehouses",
    "include",
    "events",
    "attributes",
    "purchases",
}


class FileSource:
    """Where the taxonomy files are read from: the disk here; `taxonomy diff` reads a git revision instead."""

    def read_text(self, path: Path, display: str) -> str:
        return read_text(path, display, MAX_BYTES)

    def glob(self, pattern: Path) -> list[Path]:
        return sorted(Path(p) for p in glob.glob(str(pattern), recursive=True))

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()


DISK = FileSource()


@dataclass(frozen=True)
class Document:
    display: str
    path: Path
    data: YMap
    is_root: bool


@dataclass(frozen=True)
class Loaded:
    taxonomy: Taxonomy
    findings: tuple[Finding, ...]
    documents: tuple[Document, ...]


def find_taxonomy(start: Path | None = None) -> Path:
    """taxonomy.yaml or taxonomy.yml in the working folder."""
    folder = start or Path.cwd()
    for name in DEFAULT_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise TaxonomyError(
        f"no taxonomy.yaml in {display_path(folder)}",
        hint="pass the file (taxonomy lint path/to/taxonomy.yaml), set `taxonomy` in .taxonomy.toml,"
        " or create one with `taxonomy init`",
    )


def load(path: str | Path, *, source: FileSource = DISK) -> Loaded:
    """Load the root file and its includes, validate each against the schema, build the model."""
    root = Path(path)
    documents = _read_tree(root, source)
    findings: list[Finding] = []
    for doc in documents:
        findings.extend(validate(doc.data, doc.display, fragment=not doc.is_root))
    taxonomy, merge_findings = _build(documents)
    findings.extend(merge_findings)
    return Loaded(taxonomy, tuple(findings), tuple(documents))


def load_document(path: Path, display: str, *, allow_empty: bool = False, source: FileSource = DISK) -> YMap:
    data = parse(source.read_text(path, display), display)
    if data is None:
        if allow_empty:
            return YMap(Span(display, 1, 1))
        raise TaxonomyError("the file is empty", file=display, hint="start it with `version: 1`")
    if not isinstance(data, YMap):
        raise TaxonomyError(
            "the top level must be a mapping (keys such as version, events, attributes)",
            file=display,
            line=getattr(data, "span", Span(display, 1, 1)).line,
            column=1,
        )
    return data


# ---------------------------------------------------------------------------------------------- includes


def _read_tree(root: Path, source: FileSource) -> list[Document]:
    base = _resolve(root).parent
    documents: list[Document] = []
    seen: set[Path] = set()

    def visit(path: Path, chain: tuple[Path, ...], is_root: bool) -> None:
        resolved = _resolve(path)
        display = display_path(path)
        if resolved in chain:
            cycle = " -> ".join(display_path(p) for p in (*chain[chain.index(resolved) :], resolved))
            raise TaxonomyError(f"include cycle: {cycle}", file=display)
        if resolved in seen:
            return
        seen.add(resolved)
        data = load_document(path, display, allow_empty=not is_root, source=source)
        documents.append(Document(display, path, data, is_root))
        for target, _span in _includes(data, path.parent, base, source):
            visit(target, (*chain, resolved), False)

    visit(root, (), True)
    return documents


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except RuntimeError:  # Python < 3.13 raises it for a symlink loop
        raise TaxonomyError("symlink loop: the link points back at itself", file=display_path(path)) from None


def _includes(data: YMap, folder: Path, base: Path, source: FileSource) -> Iterator[tuple[Path, Span]]:
    entries = data.get("include")
    if not isinstance(entries, YList):
        return  # a wrong shape is a schema finding
    for entry, span in zip(entries, entries.item_spans, strict=False):
        if not isinstance(entry, str) or not entry:
            continue
        pattern = folder / entry
        matches = source.glob(pattern) if glob.has_magic(entry) else [pattern]
        if not matches:
            raise TaxonomyError(
                f"include {entry!r} matches no file", file=span.file, line=span.line, column=span.column
            )
        for match in matches:
            try:
                _resolve(match).relative_to(base)
            except ValueError:
                raise TaxonomyError(
                    f"include {entry!r} points outside the taxonomy's folder",
                    file=span.file,
                    line=span.line,
                    column=span.column,
                    hint="keep included files in the taxonomy's folder or below it",
                ) from None
            if not source.is_file(match):
                what = "is a directory" if source.is_dir(match) else "does not exist"
                raise TaxonomyError(
                    f"included file {entry!r} {what}", file=span.file, line=span.line, column=span.column
                )
            yield match, span


# ---------------------------------------------------------------------------------------------- schema


@functools.cache
def _validators() -> tuple[Any, Any]:
    import jsonschema

    from taxonomy.resources import load_schema

    schema = load_schema()
    cls = jsonschema.Draft202012Validator
    fragment = {**schema["$defs"]["fragment"], "$defs": schema["$defs"]}
    return cls(schema, format_checker=cls.FORMAT_CHECKER), cls(fragment, format_checker=cls.FORMAT_CHECKER)


def validate(data: YMap, display: str, *, fragment: bool = False) -> list[Finding]:
    """JSON Schema findings, each at the line and column of the offending key or value."""
    root_validator, fragment_validator = _validators()
    validator = fragment_validator if fragment else root_validator
    findings: list[Finding] = []
    for error in validator.iter_errors(data):
        findings.extend(_schema_findings(error, data, display))
    return sorted(set(findings), key=Finding.sort_key)


def _schema_findings(error: Any, doc: YMap, display: str) -> Iterator[Finding]:
    from jsonschema.exceptions import best_match

    from taxonomy.checks.schema import invalid_value, missing_key, unknown_key
    from taxonomy.fuzzy import did_you_mean

    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = best_match(error.context)
        if deepest.validator not in ("enum", "const"):
            error = deepest  # else: say what the whole anyOf accepts, below
    path = list(error.absolute_path)
    container, key = _locate(doc, path)
    entity = _entity_of(path)
    where = _describe(path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for name in error.instance:
            if name in allowed:
                continue
            span = error.instance.key_spans.get(name) if isinstance(error.instance, YMap) else None
            hint = did_you_mean(name, allowed)
            yield unknown_key.finding(
                f"unknown key `{name}` in {where}{hint}", span or _span_at(container, key, doc), entity
            )
        return
    if kind == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        condition = " when status is deprecated or removed" if "then" in error.schema_path else ""
        span = _span_at(container, key, doc, key_span=True)
        for name in missing:
            fix = Fix("add `reason: TODO`", (*path, name), "TODO") if name == "reason" and condition else None
            yield missing_key.finding(f"{where} is missing `{name}`{condition}", span, entity, fix=fix)
        return
    if kind == "propertyNames":
        yield invalid_value.finding(f"an empty name in {where}", _span_at(container, key, doc), entity)
        return
    field = str(path[-1]) if path and isinstance(path[-1], str) else where
    message = f"`{field}` {_reason(error, did_you_mean)}" if path else _reason(error, did_you_mean)
    fix = _type_alias_fix(error, path)
    if fix is not None and "did you mean" not in message:
        message += f" (did you mean `{fix.value}`?)"
    yield invalid_value.finding(message, _span_at(container, key, doc), entity, fix=fix)


def _type_alias_fix(error: Any, path: list[Any]) -> Fix | None:
    """`type: int` -> `integer` (rules/type-aliases.yaml): a safe fix, offered only where the result is valid."""
    from taxonomy.resources import load_rule_pack

    value = error.instance
    if error.validator != "enum" or not path or path[-1] not in ("type", "items") or not isinstance(value, str):
        return None
    aliases = load_rule_pack("type-aliases.yaml")["aliases"]
    canonical = value.lower() if value.lower() in error.validator_value else aliases.get(value.lower())
    if canonical not in error.validator_value or canonical == value:
        return None
    return Fix(f"`{value}` -> `{canonical}`", tuple(path), canonical)


def _reason(error: Any, did_you_mean: Any) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "enum":
        allowed = ", ".join(str(v) for v in expected)
        hint = did_you_mean(str(value), [str(v) for v in expected]) if isinstance(value, str) else ""
        return f"must be one of {allowed}; got {_show(value)}{hint}"
    if kind == "const":
        return f"must be {_show(expected)}; got {_show(value)}"
    if kind == "type":
        wanted = expected if isinstance(expected, str) else " or ".join(expected)
        return f"must be {_article(wanted)}; got {_type_name(value)} {_show(value)}"
    if kind in ("anyOf", "oneOf"):
        options = [str(v) for sub in expected if isinstance(sub, dict) for v in sub.get("enum", ())]
        names = ", ".join(options)
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        return f"must be one of {names}, or {{pattern: REGEX}}; got {_show(value)}{hint}"
    if kind == "format" and expected == "regex":
        return f"is not a valid regular expression: {_show(value)}"
    if kind == "uniqueItems":
        return "lists a value more than once"
    if kind in ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"):
        return f"{error.message}"
    return str(error.message)


def _article(wanted: str) -> str:
    names = {
        "object": "a mapping",
        "array": "a list",
        "string": "a string",
        "boolean": "true or false",
        "integer": "a whole number",
        "number": "a number",
        "null": "empty",
    }
    return " or ".join(names.get(part.strip(), part) for part in wanted.split(" or "))


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "the boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "the string" if isinstance(value, str) else "the number"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _locate(doc: YMap, path: list[Any]) -> tuple[Any, Any]:
    """The container that holds the value at `path`, and its key (or index) there."""
    container: Any = None
    key: Any = None
    node: Any = doc
    for step in path:
        container, key = node, step
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return container, key


def _span_at(container: Any, key: Any, doc: YMap, *, key_span: bool = False) -> Span:
    if isinstance(container, YMap) and isinstance(key, str):
        spans = container.key_spans if key_span else container.value_spans
        if key in spans:
            return spans[key]
    if isinstance(container, YList) and isinstance(key, int) and key < len(container.item_spans):
        return container.item_spans[key]
    return Span(doc.span.file, doc.span.line, doc.span.column)


def _entity_of(path: list[Any]) -> Entity | None:
    if len(path) >= 2 and path[0] == "events":
        return Entity("event", str(path[1]))
    if len(path) >= 2 and path[0] == "attributes":
        return Entity("attribute", str(path[1]))
    if len(path) >= 3 and path[0] == "purchases" and path[1] == "products":
        return Entity("product", str(path[2]))
    if len(path) >= 3 and path[0] == "purchases" and path[1] == "properties":
        return Entity("purchase_property", str(path[2]))
    return None


def _describe(path: list[Any]) -> str:
    """A human name for the place at `path`: "event `signed_up`", "property `plan` of event `x`"."""
    if not path:
        return "the top level"
    entity = _entity_of(path)
    if entity is None:
        return f"`{'.'.join(str(p) for p in path)}`"
    depth = 2 if path[0] in ("events", "attributes") else 3
    rest = [str(p) for p in path[depth:]]
    label = f"{entity.kind.replace('_', ' ')} `{entity.name}`"
    props = [rest[i + 1] for i in range(len(rest) - 1) if rest[i] == "properties"]
    if props and rest[-2:-1] == ["properties"]:
        return f"property `{'.'.join(props)}` of {label}"
    if props:
        return f"`{rest[-1]}` of property `{'.'.join(props)}` of {label}"
    if rest:
        return f"`{rest[-1]}` of {label}"
    return label


# ---------------------------------------------------------------------------------------------- model


def _build(documents: list[Document]) -> tuple[Taxonomy, list[Finding]]:
    from taxonomy.checks.schema import duplicate_name

    root = documents[0].data
    findings: list[Finding] = []
    events: dict[str, Event] = {}
    attributes: dict[str, Attribute] = {}
    products: dict[str, Product] = {}
    purchase_props: dict[str, Property] = {}

    def merge(table: dict[str, Any], kind: str, section: Any, make: Any) -> None:
        if not isinstance(section, YMap):
            return
        for name, value in section.items():
            span = section.key_spans[name]
            if name in table:
                first = table[name].span
                findings.append(
                    duplicate_name.finding(
                        f"{kind.replace('_', ' ')} `{name}` is already declared in {first.file}:{first.line}",
                        span,
                        Entity(kind, name),
                    )
                )
                continue
            table[name] = make(name, value, span)

    for doc in documents:
        data = doc.data
        merge(events, "event", data.get("events"), _event)
        merge(attributes, "attribute", data.get("attributes"), _attribute)
        purchases = data.get("purchases")
        if isinstance(purchases, YMap):
            merge(products, "product", purchases.get("products"), _product)
            merge(purchase_props, "purchase_property", purchases.get("properties"), _property)

    conventions = root.get("conventions")
    version = root.get("version")
    taxonomy = Taxonomy(
        path=documents[0].display,
        version=version if isinstance(version, int) and not isinstance(version, bool) else 1,
        workspace=_str(root, "workspace"),
        conventions=_conventions(conventions) if isinstance(conventions, YMap) else Conventions(),
        warehouses=_strings(root, "warehouses"),
        events=events,
        attributes=attributes,
        products=products,
        purchase_properties=tuple(purchase_props.values()),
        files=tuple(doc.display for doc in documents),
        sections={k: v for k, v in root.items() if k not in _MODELLED},
        section_spans={k: root.key_spans[k] for k in root if k not in _MODELLED},
        fields=dict(root.value_spans),
    )
    return taxonomy, findings


def _str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _number(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_map(value: Any, span: Span) -> YMap:
    return value if isinstance(value, YMap) else YMap(span)


def _suppressions(data: Mapping[str, Any]) -> tuple[Suppression, ...]:
    lint = data.get("lint")
    if not isinstance(lint, YMap):
        return ()
    codes = _strings(lint, "ignore")
    return (
        (Suppression(codes=codes, reason=_str(lint, "reason"), span=lint.value_spans.get("ignore", lint.span)),)
        if codes
        else ()
    )


def _common(name: str, data: YMap, span: Span) -> dict[str, Any]:
    status = _str(data, "status")
    return {
        "name": name,
        "span": span,
        "description": _str(data, "description"),
        "owner": _str(data, "owner"),
        "tags": _strings(data, "tags"),
        "platforms": _strings(data, "platforms"),
        "status": status if status in STATUSES else "active",
        "renamed_to": _str(data, "renamed_to"),
        "reason": _str(data, "reason"),
        "warehouse_name": _str(data, "warehouse_name"),
        "suppressions": _suppressions(data),
        "fields": dict(data.value_spans),
    }


def _typespec(data: YMap) -> dict[str, Any]:
    from taxonomy.model import TYPES

    kind = _str(data, "type")
    enum = data.get("enum")
    items = _str(data, "items")
    props = data.get("properties")
    return {
        "type": kind if kind in TYPES else "string",
        "enum": tuple(v for v in enum if isinstance(v, (str, int, float, bool))) if isinstance(enum, list) else None,
        "pattern": _str(data, "pattern"),
        "minimum": _number(data, "minimum"),
        "maximum": _number(data, "maximum"),
        "min_length": _int(data, "min_length"),
        "max_length": _int(data, "max_length"),
        "items": items if items else ("string" if kind == "array" else None),
        "max_items": _int(data, "max_items"),
        "properties": _properties(props),
    }


def _properties(section: Any) -> tuple[Property, ...]:
    if not isinstance(section, YMap):
        return ()
    return tuple(_property(name, value, section.key_spans[name]) for name, value in section.items())


def _property(name: str, value: Any, span: Span) -> Property:
    data = _as_map(value, span)
    required = data.get("required")
    return Property(
        name=name,
        span=span,
        required=required is True,
        description=_str(data, "description"),
        warehouse_name=_str(data, "warehouse_name"),
        suppressions=_suppressions(data),
        fields=dict(data.value_spans),
        **_typespec(data),
    )


def _event(name: str, value: Any, span: Span) -> Event:
    data = _as_map(value, span)
    return Event(**_common(name, data, span), properties=_properties(data.get("properties")))


def _attribute(name: str, value: Any, span: Span) -> Attribute:
    data = _as_map(value, span)
    return Attribute(**_common(name, data, span), **_typespec(data))


def _product(name: str, value: Any, span: Span) -> Product:
    return Product(**_common(name, _as_map(value, span), span))


def _conventions(data: YMap) -> Conventions:
    def style(key: str) -> str | None:
        value = data.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, YMap) and isinstance(value.get("pattern"), str):
            return f"regex:{value['pattern']}"
        return None

    return Conventions(
        events=style("events"),
        attributes=style("attributes"),
        properties=style("properties"),
        products=style("products"),
        event_grammar=_str(data, "event_grammar"),
        fields=dict(data.value_spans),
    )
