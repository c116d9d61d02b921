"""The canonical layout of a taxonomy file, written through ruamel.yaml so that comments survive.

What `taxonomy fmt` changes: key order inside items (KEY_ORDER below; other mappings follow the schema's
order), indentation (2 spaces, list dashes indented under their key), quoting (a quoted value made of
words that reads back the same becomes plain, others get double quotes), comment lines indented like the line
below them, one final newline. What it keeps: comments, blank lines, the order of names as written (unless
`[fmt] sort` asks otherwise), flow (`{...}`) or block style as written, anchors and merges (mappings that
use them keep their key order), line endings (CRLF stays CRLF) and a byte-order mark.

The same round-trip writer applies `Fix` edits for `taxonomy lint --fix` (see `apply_fixes`).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from taxonomy.errors import TaxonomyError
from taxonomy.findings import Fix

# The one place that says in which order keys are written inside each kind of item. Keys not listed here (a
# newer schema, a typo) keep their written order after the known ones. tests/test_fmt.py checks that every
# list names exactly the keys the schema defines, so a new schema key cannot be forgotten here.
KEY_ORDER: dict[str, tuple[str, ...]] = {
    # what it is, who owns it, its lifecycle, then where it is sent and its payload
    "event": (
        "description",
        "owner",
        "tags",
        "status",
        "renamed_to",
        "reason",
        "platforms",
        "warehouse_name",
        "lint",
        "properties",
        "examples",
    ),
    # the type first (it is what the value is), then the identity fields an event starts with
    "attribute": (
        "type",
        "items",
        "enum",
        "pattern",
        "minimum",
        "maximum",
        "min_length",
        "max_length",
        "max_items",
        "description",
        "owner",
        "tags",
        "status",
        "renamed_to",
        "reason",
        "platforms",
        "warehouse_name",
        "lint",
        "properties",
        "examples",
    ),
    "product": ("description", "owner", "tags", "status", "renamed_to", "reason", "platforms", "lint"),
    "property": (
        "type",
        "items",
        "required",
        "enum",
        "pattern",
        "minimum",
        "maximum",
        "min_length",
        "max_length",
        "max_items",
        "description",
        "warehouse_name",
        "lint",
        "properties",
        "examples",
    ),
}

# What `[fmt] sort` may name: these mappings are sorted by name, `enums` sorts enum values.
SORTABLE = ("events", "attributes", "products", "properties", "enums")
FMT_KEYS = {"sort"}

BOM = "\ufeff"


@dataclass(frozen=True)
class FmtOptions:
    sort: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, section: Mapping[str, Any], shown: str | None = None) -> FmtOptions:
        """Read and check the `[fmt]` table of the settings."""
        from taxonomy.fuzzy import did_you_mean

        for key in section:
            if key not in FMT_KEYS:
                raise TaxonomyError(f"unknown setting `fmt.{key}`{did_you_mean(key, FMT_KEYS)}", file=shown)
        sort = section.get("sort", [])
        if not isinstance(sort, list) or not all(isinstance(s, str) for s in sort):
            raise TaxonomyError(f"`fmt.sort` must be a list of {', '.join(SORTABLE)}", file=shown)
        for name in sort:
            if name not in SORTABLE:
                raise TaxonomyError(
                    f"`fmt.sort` cannot sort `{name}`{did_you_mean(name, SORTABLE)}",
                    file=shown,
                    hint=f"choose from {', '.join(SORTABLE)}",
                )
        return cls(sort=frozenset(sort))


# ---------------------------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Layout:
    """How the file was written on disk, restored on the way out."""

    bom: bool
    crlf: bool


def decode(raw: bytes, display: str) -> tuple[str, Layout]:
    """Bytes -> text with \\n line ends, and the BOM / CRLF facts to restore."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TaxonomyError("not valid UTF-8", file=display, hint="save the file as UTF-8") from None
    bom = text.startswith(BOM)
    text = text.removeprefix(BOM)
    crlf = "\r\n" in text
    return text.replace("\r\n", "\n"), Layout(bom, crlf)


def encode(text: str, layout: Layout) -> bytes:
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return ((BOM if layout.bom else "") + text).encode("utf-8")


# ---------------------------------------------------------------------------------------------- yaml


class _Emitter(Emitter):
    """Where a value must be quoted, double quotes (they say the same in every YAML reader)."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


class _Representer(RoundTripRepresenter):
    def represent_scalar_float(self, data: Any) -> Any:
        """ruamel rewrites a float with the digits it was written with; a subnormal such as 2.225073858507e-311
        cannot hold that many, so the rewrite would change the value: then write Python's exact shortest form."""
        node = super().represent_scalar_float(data)
        try:
            same = float(node.value) == float(data)
        except ValueError:  # .inf, .nan and friends are kept as written
            same = True
        if not same:
            mantissa, e, exponent = repr(float(data)).partition("e")
            node.value = (mantissa if "." in mantissa else mantissa + ".0") + (f"e{exponent}" if e else "")
        return node


_Representer.add_representer(ScalarFloat, _Representer.represent_scalar_float)


class _Constructor(RoundTripConstructor):
    def construct_mapping(self, node: Any, maptyp: Any, deep: bool = False) -> Any:  # type: ignore[override]
        """Keys are names, as the loader reads them: `False:`, `0x1F:` or `NULL:` stay the strings written, never a
        bool, int or None that would be written back as `false`, `31` or `null` (another name)."""
        for key_node, _value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != MERGE_TAG:
                key_node.tag = STR_TAG
        return super().construct_mapping(node, maptyp, deep)


MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Emitter = _Emitter
    yaml.Representer = _Representer
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True  # then canonicalised by _requote, which knows what the loader will read
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap: long descriptions stay on their line
    yaml.allow_duplicate_keys = False
    return yaml


_YAML11 = re.compile(r"^%YAML\s+1\.[01]\b", re.MULTILINE)


def parse(text: str, display: str) -> Any:
    directive = _YAML11.search(text)
    if directive:
        # ruamel's YAML 1.1 reads `y` / `n` as booleans where the loader reads strings: a rewrite could change data
        line = text.count("\n", 0, directive.start()) + 1
        raise TaxonomyError(
            "cannot rewrite a `%YAML 1.1` document", file=display, line=line, column=1, hint="remove the directive"
        )
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise TaxonomyError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            file=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except RecursionError:
        # ruamel.yaml's round-trip constructor recurses a few frames per level: ~250 levels exhaust the stack
        raise TaxonomyError(
            "nested too deeply to rewrite (more than about 200 levels)", file=display, hint="flatten the file"
        ) from None


def dump(data: Any, *, explicit_start: bool = False) -> str:
    yaml = _yaml()
    yaml.explicit_start = explicit_start
    out = io.StringIO()
    yaml.dump(data, out)
    return reindent_comments(out.getvalue()).rstrip("\n") + "\n"


_BLOCK_SCALAR = re.compile(r"(?:^|[:\-]\s)\s*[|>][-+0-9]*\s*(?:#.*)?$")


def reindent_comments(text: str) -> str:
    """A comment on a line of its own is indented like the line after it (blank lines between are skipped).

    Lines inside a block scalar (`|` or `>`) are text, not comments, and are left alone.
    """
    lines = text.split("\n")
    block_indent: int | None = None  # inside a block scalar whose header line had this indentation
    out: list[str] = []
    pending: list[int] = []  # indexes in `out` of comment lines waiting for the next content line
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                out.append(line)
                continue
            block_indent = None
        if stripped.startswith("#"):
            pending.append(len(out))
            out.append(stripped)
            continue
        if stripped:
            for index in pending:
                out[index] = " " * indent + out[index]
            pending = []
            if _BLOCK_SCALAR.search(stripped):
                block_indent = indent
        out.append(line)
    return "\n".join(out)


def _explicit_start(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith("---")
    return False


def format_text(
    text: str, display: str = "<text>", *, fragment: bool = False, options: FmtOptions | None = None
) -> str:
    """The canonical form of one taxonomy document (text with \\n line ends)."""
    data = parse(text, display)
    if data is None:
        return text  # an empty include file: nothing to lay out
    canonicalise(data, fragment=fragment, options=options or FmtOptions())
    return dump(data, explicit_start=_explicit_start(text))


def canonicalise(data: Any, *, fragment: bool = False, options: FmtOptions | None = None) -> None:
    """Reorder keys, sort what is configured, and settle quoting, in place."""
    from taxonomy.resources import load_schema

    schema = load_schema()
    root = {**schema["$defs"]["fragment"], "$defs": schema["$defs"]} if fragment else schema
    _walk(data, root, None, schema, options or FmtOptions(), "")
    _requote(data)


# ---------------------------------------------------------------------------------------------- key order


def _resolve(node: Any, schema: Mapping[str, Any]) -> tuple[Any, str | None]:
    """Follow a `$ref` (and pick the mapping branch of an anyOf), returning the node and its $defs name."""
    name = None
    for _ in range(10):
        if not isinstance(node, Mapping):
            return node, name
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            node = schema["$defs"][name]
            continue
        for key in ("anyOf", "oneOf"):
            branches = node.get(key)
            if isinstance(branches, list):
                objects = [b for b in branches if isinstance(b, Mapping) and ("properties" in b or "$ref" in b)]
                if objects:
                    node = objects[0]
                    break
        else:
            return node, name
    return node, name


def _child_schema(node: Any, key: Any) -> Any:
    if not isinstance(node, Mapping):
        return None
    props = node.get("properties")
    if isinstance(props, Mapping) and key in props:
        return props[key]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else None


def _walk(data: Any, node: Any, name: str | None, schema: Mapping[str, Any], options: FmtOptions, key: str) -> None:
    node, ref_name = _resolve(node, schema)
    name = ref_name or name
    if isinstance(data, CommentedMap):
        for child_key in list(data):
            _walk(data[child_key], _child_schema(node, child_key), None, schema, options, str(child_key))
        order = _order_of(node, name)
        if order is not None:
            _reorder(data, _sorted_keys(data, order))
        if _sorts_names(node, options):
            _reorder(data, sorted(data, key=lambda k: str(k)))
    elif isinstance(data, CommentedSeq):
        items = node.get("items") if isinstance(node, Mapping) else None
        for item in data:
            _walk(item, items, None, schema, options, "")
        if key == "enum" and "enums" in options.sort:
            sort_sequence(data)


def _order_of(node: Any, name: str | None) -> tuple[str, ...] | None:
    if name in KEY_ORDER:
        return KEY_ORDER[name]
    props = node.get("properties") if isinstance(node, Mapping) else None
    return tuple(props) if isinstance(props, Mapping) and props else None


_TABLES = {"#/$defs/event": "events", "#/$defs/attribute": "attributes", "#/$defs/product": "products"}
_TABLES["#/$defs/property"] = "properties"


def _sorts_names(node: Any, options: FmtOptions) -> bool:
    """`[fmt] sort = ["events", ...]`: is this mapping (by its schema) a table of names that should be sorted?"""
    extra = node.get("additionalProperties") if isinstance(node, Mapping) else None
    ref = extra.get("$ref") if isinstance(extra, Mapping) else None
    return isinstance(ref, str) and _TABLES.get(ref) in options.sort


def _sorted_keys(data: CommentedMap, order: tuple[str, ...]) -> list[Any]:
    rank = {k: i for i, k in enumerate(order)}
    return [k for _, _, k in sorted((rank.get(k, len(order)), i, k) for i, k in enumerate(data))]


def sort_sequence(data: CommentedSeq) -> None:
    """Sort a list of scalars (enum values) in place: by type, then value; comments inside are dropped."""
    values = list(data)
    if not all(isinstance(v, (str, int, float, bool)) for v in values):
        return
    ordered = sorted(values, key=lambda v: (type(v).__name__, v))
    if ordered != values:
        data[:] = ordered


# ---------------------------------------------------------------------------------------------- comments
#
# ruamel.yaml stores a comment (and blank lines) after the value it follows: the comment above key `b` lives
# in the slot of key `a`, or deep inside `a`'s value when that is a block mapping or list. Moving keys
# therefore splits each such tail into its end-of-line part (stays with its key) and the lines after it
# (stay in front of the key that followed), and rebuilds the tails for the new order.


def _tail_slot(parent: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) whose comment slot holds what follows `parent[key]`."""
    value = parent[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        parent = value
        key = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = parent[key]
    return parent, key


def _slot_index(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _take_tail(parent: Any, key: Any) -> CommentToken | None:
    """Detach and return the comment token that follows `parent[key]`."""
    container, at = _tail_slot(parent, key)
    entry = container.ca.items.get(at)
    index = _slot_index(container)
    token = entry[index] if entry and len(entry) > index else None
    if not isinstance(token, CommentToken):
        return None
    entry[index] = None
    return token


def _put_tail(parent: Any, key: Any, text: str, token: CommentToken | None = None) -> None:
    """Attach `text` after `parent[key]`, reusing `token` (it keeps the end-of-line comment's column)."""
    if not text:
        if token is not None:
            token.value = ""  # a flow mapping may hold the same token: empty it there too
        return
    container, at = _tail_slot(parent, key)
    index = _slot_index(container)
    entry = container.ca.items.setdefault(at, [None, None, None, None])
    if token is None:
        token = CommentToken(text, CommentMark(0 if text.startswith("\n") else 2), None)
    token.value = text  # in place: a flow mapping may hold the same token
    entry[index] = token


def _put_before(data: CommentedMap, key: Any, text: str) -> None:
    """Comment lines in front of a key that became the first of its mapping."""
    if text:
        entry = data.ca.items.setdefault(key, [None, None, None, None])
        entry[1] = [*(entry[1] or []), CommentToken(text, CommentMark(0), None)]


def _split_tail(text: str) -> tuple[str, str]:
    """(the rest of the value's own line, end-of-line comment included; the lines after it)."""
    own, newline, rest = text.partition("\n")
    return own + newline, rest


def _join_tail(own: str, after: str) -> str:
    if after:
        return (own or "\n") + after
    return own if own.strip() else ""


def _own_keys(data: CommentedMap) -> list[Any]:
    """Keys written in this mapping, without those a `<<` merge brings in."""
    own = getattr(data, "_ok", None)
    return [k for k in data if own is None or k in own]


def _anchored(data: Any) -> bool:
    anchor = getattr(data, "anchor", None)
    return getattr(anchor, "value", None) is not None


def _reorder(data: CommentedMap, new_order: list[Any]) -> None:
    old_order = list(data)
    if new_order == old_order or data.merge or _anchored(data):
        # a mapping with `<<: *anchor`, or one with an anchor that others may merge, keeps its written order:
        # moving keys would inline merged ones or disturb those that merge it
        return
    tokens: dict[Any, CommentToken | None] = {}
    eol: dict[Any, str] = {}
    before: dict[Any, str] = {}  # comment lines written in front of a key (other than the first)
    trailing = ""
    for i, key in enumerate(old_order):
        token = tokens[key] = _take_tail(data, key)
        own, rest = _split_tail(token.value if token is not None else "")
        eol[key] = own
        if i + 1 < len(old_order):
            before[old_order[i + 1]] = rest
        else:
            trailing = rest
    values = [(key, data[key]) for key in new_order]
    comments = {key: data.ca.items.pop(key, None) for key in old_order}
    for key in old_order:
        del data[key]
    for key, value in values:
        data[key] = value
        if comments[key] is not None:
            data.ca.items[key] = comments[key]
    _put_before(data, new_order[0], before.get(new_order[0], "").lstrip("\n"))
    for i, key in enumerate(new_order):
        after = before.get(new_order[i + 1], "") if i + 1 < len(new_order) else trailing
        _put_tail(data, key, _join_tail(eol[key], after), tokens[key])


# ---------------------------------------------------------------------------------------------- quoting


# Plain only for text that looks like words: regexes, templates and anything with YAML punctuation stay quoted.
_WORDS = re.compile(r"[\w(][\w .,;:/()'+\-?!]*", re.UNICODE)


@functools.cache
def _reads_as_string(text: str) -> bool:
    """True when `text` reads as words and, written plain, is read back as this same string by both YAML readers."""
    import yaml

    if not _WORDS.fullmatch(text) or text != text.strip():
        return False
    try:
        pyyaml = yaml.load(f"k: {text}\n", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        ruamel = YAML(typ="safe", pure=True).load(f"k: {text}\n")
    except Exception:
        return False
    return bool(pyyaml == {"k": text} and ruamel == {"k": text})


def _requote(data: Any) -> None:
    """Quoted strings become plain when they read back the same, else double-quoted."""

    def fix(value: Any) -> Any:
        if isinstance(value, (SingleQuotedScalarString, DoubleQuotedScalarString)):
            text = str(value)
            return PlainScalarString(text) if _reads_as_string(text) else DoubleQuotedScalarString(text)
        return value

    _map_scalars(data, fix)


def _map_scalars(data: Any, fix: Callable[[Any], Any]) -> None:
    if isinstance(data, CommentedMap):
        for key in _own_keys(data):
            new_key = fix(key)
            value = data[key]
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _map_scalars(value, fix)
            else:
                data[key] = fix(value)
            if new_key is not key and new_key == key and not data.merge and not _anchored(data):
                _rename_key(data, key, new_key)
    elif isinstance(data, CommentedSeq):
        for i, value in enumerate(data):
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _map_scalars(value, fix)
            else:
                data[i] = fix(value)


def _rename_key(data: CommentedMap, old: Any, new: Any) -> None:
    """Replace a key object by an equal one of another style (quoting), keeping position and comments."""
    position = list(data).index(old)
    value = data[old]
    comment = data.ca.items.pop(old, None)
    del data[old]
    data.insert(position, new, value)
    if comment is not None:
        data.ca.items[new] = comment


# ---------------------------------------------------------------------------------------------- fixes


@dataclass(frozen=True)
class Applied:
    fix: Fix
    changed: bool
    note: str = ""


def apply_fixes(data: Any, fixes: Iterable[Fix]) -> list[Applied]:
    """Apply `Fix` edits to a round-trip document in place; each says whether it changed anything.

    Actions: `set` (the value at `path`, creating the last key if missing), `delete` (the key at `path`),
    `sort` (the list at `path`). A path that no longer leads anywhere is skipped, never guessed at.
    """
    results = []
    for fix in fixes:
        results.append(_apply(data, fix))
    return results


def _apply(data: Any, fix: Fix) -> Applied:
    if not fix.path:
        return Applied(fix, False, "no path")
    *parents, last = fix.path
    node = data
    for step in parents:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return Applied(fix, False, "the place no longer exists")
    if fix.action == "set":
        if isinstance(node, CommentedMap):
            if last in node and node[last] == fix.value:
                return Applied(fix, False, "already set")
            if last in node:
                node[last] = _plain(fix.value)
            else:
                _insert_key(node, last, _plain(fix.value))
            return Applied(fix, True)
        if isinstance(node, CommentedSeq) and isinstance(last, int) and last < len(node):
            node[last] = _plain(fix.value)
            return Applied(fix, True)
        return Applied(fix, False, "not a mapping")
    if fix.action == "delete":
        if isinstance(node, CommentedMap) and last in node:
            del node[last]
            return Applied(fix, True)
        return Applied(fix, False, "already gone")
    if fix.action == "sort":
        target = node.get(last) if isinstance(node, CommentedMap) else None
        if isinstance(target, CommentedSeq):
            before = list(target)
            sort_sequence(target)
            return Applied(fix, list(target) != before)
        return Applied(fix, False, "not a list")
    return Applied(fix, False, f"unknown action {fix.action!r}")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _plain(v)
        return out
    if isinstance(value, (list, tuple)):
        return CommentedSeq(_plain(v) for v in value)
    return value


def _insert_key(node: CommentedMap, key: Any, value: Any) -> None:
    """Add a key at the end of a mapping; blank lines/comments that followed the old last key follow the new one."""
    if not len(node):
        node[key] = value
        return
    last = list(node)[-1]
    token = _take_tail(node, last)
    own, rest = _split_tail(token.value if token is not None else "")
    _put_tail(node, last, _join_tail(own, ""), token)
    node[key] = value
    _put_tail(node, key, _join_tail("", rest))
