"""Read YAML into plain dicts and lists that remember where every key and value was written.

PyYAML's C composer does the parsing (fast, and libyaml refuses nesting deeper than 1,000 levels on its own);
this module turns its node tree into data, refusing duplicate keys and alias expansions that would blow up.
ruamel.yaml is used where a file is rewritten (fmt, fix), because only it keeps comments.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from taxonomy.errors import TaxonomyError
from taxonomy.findings import Span
from taxonomy.paths import read_regular

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

# An alias may repeat a subtree, but the expanded document may not exceed this many nodes (billion laughs).
MAX_EXPANDED_NODES = 5_000_000
MERGE_TAG = "tag:yaml.org,2002:merge"


class YMap(dict[str, Any]):
    """A mapping with the position of each key and of each value."""

    __slots__ = ("key_spans", "span", "value_spans")

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.key_spans: dict[str, Span] = {}
        self.value_spans: dict[str, Span] = {}


class YList(list[Any]):
    """A sequence with the position of each item."""

    __slots__ = ("item_spans", "span")

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.item_spans: list[Span] = []


def read_text(path: Path, display: str, limit: int | None = None) -> str:
    """A file's text: UTF-8 (a BOM is fine), CRLF is fine; anything else (or more than `limit` bytes) is an error."""
    try:
        raw = read_regular(path, limit)
    except FileNotFoundError:
        raise TaxonomyError("file not found", file=display) from None
    except IsADirectoryError:
        raise TaxonomyError("is a directory, not a taxonomy file", file=display) from None
    except PermissionError:
        raise TaxonomyError("permission denied", file=display) from None
    except OSError as exc:
        raise TaxonomyError(f"cannot read: {exc.strerror}", file=display) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise TaxonomyError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            file=display,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise TaxonomyError("contains a NUL byte: this is not a text file", file=display, line=line)
    return text


def parse(text: str, display: str) -> Any:
    """Parse YAML text into YMap / YList / scalars. Raises TaxonomyError with line:column on bad input."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "maximum nesting depth" in problem:
            problem = "nested too deeply (more than 1,000 levels)"
        raise TaxonomyError(
            f"invalid YAML: {problem}",
            file=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"invalid YAML: {exc}", file=display) from None
    except RecursionError:
        raise TaxonomyError("invalid YAML: nested too deeply", file=display) from None
    if node is None:
        return None
    return _Builder(display).build(node)


def _span(display: str, node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(display, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Builder:
    def __init__(self, display: str) -> None:
        self.display = display
        self.done: dict[int, tuple[Any, int]] = {}  # id(node) -> (value, expanded size), shares alias targets

    def build(self, root: yaml.Node) -> Any:
        try:
            value, _ = self._node(root)
        except RecursionError:
            raise TaxonomyError("invalid YAML: nested too deeply", file=self.display) from None
        return value

    def _budget(self, size: int, node: yaml.Node) -> None:
        if size > MAX_EXPANDED_NODES:
            mark = node.start_mark
            raise TaxonomyError(
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (an alias bomb?)",
                file=self.display,
                line=mark.line + 1,
                column=mark.column + 1,
                hint="use fewer nested anchors and aliases",
            )

    def _node(self, node: yaml.Node) -> tuple[Any, int]:
        key = id(node)
        if key in self.done:
            return self.done[key]
        if isinstance(node, yaml.ScalarNode):
            result = (self._scalar(node), 1)
        elif isinstance(node, yaml.SequenceNode):
            result = self._sequence(node)
        elif isinstance(node, yaml.MappingNode):
            result = self._mapping(node)
        else:  # pragma: no cover - PyYAML has no other node kinds
            raise TaxonomyError("unsupported YAML node", file=self.display)
        self.done[key] = result
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            value = _constructor.construct_object(node)
        except yaml.YAMLError as exc:
            mark = node.start_mark
            raise TaxonomyError(
                f"invalid YAML value: {getattr(exc, 'problem', None) or exc}",
                file=self.display,
                line=mark.line + 1,
                column=mark.column + 1,
            ) from None
        if isinstance(value, (datetime.date, datetime.datetime)):
            return node.value  # keep dates as written: JSON has no date type
        if isinstance(value, bytes):
            return node.value
        return value

    def _sequence(self, node: yaml.SequenceNode) -> tuple[YList, int]:
        out = YList(_span(self.display, node))
        size = 1
        for child in node.value:
            value, child_size = self._node(child)
            size += child_size
            out.append(value)
            out.item_spans.append(_span(self.display, child))
        self._budget(size, node)
        return out, size

    def _mapping(self, node: yaml.MappingNode) -> tuple[YMap, int]:
        out = YMap(_span(self.display, node))
        size = 1
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                raise TaxonomyError(
                    "a mapping key must be a plain name, not a list or mapping",
                    file=self.display,
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            name = str(key_node.value)  # names stay as written: `on:` is the event "on", not True
            if name in out:
                first = out.key_spans[name]
                mark = key_node.start_mark
                raise TaxonomyError(
                    f"duplicate key {name!r} (first defined at line {first.line})",
                    file=self.display,
                    line=mark.line + 1,
                    column=mark.column + 1,
                    hint="each name may appear once; merge the two entries or rename one",
                )
            value, child_size = self._node(value_node)
            size += child_size
            out[name] = value
            out.key_spans[name] = _span(self.display, key_node)
            out.value_spans[name] = _span(self.display, value_node)
        for merge in merges:  # `<<: *defaults`: keys written here win over merged ones
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in sources:
                value, child_size = self._node(source)
                if not isinstance(value, YMap):
                    mark = source.start_mark
                    raise TaxonomyError(
                        "`<<` merges only mappings",
                        file=self.display,
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
                size += child_size
                for name, item in value.items():
                    if name not in out:
                        out[name] = item
                        out.key_spans[name] = value.key_spans[name]
                        out.value_spans[name] = value.value_spans[name]
        self._budget(size, node)
        return out, size


def load_file(path: Path, display: str) -> Any:
    return parse(read_text(path, display), display)
