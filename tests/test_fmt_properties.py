"""Property tests of `taxonomy fmt`: idempotent, the same model before and after, every comment kept.

Taxonomies are generated as data and then written out by hand in random styles (key order, indentation, flow
or block, plain / single / double quotes, comments between keys and at line ends), so that the formatter
meets the layouts people write, not only its own.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from taxonomy.errors import TaxonomyError
from taxonomy.fmt import FmtOptions, format_text
from taxonomy.loader import load
from taxonomy.model import STATUSES, TYPES

TRICKY = ["yes", "no", "on", "off", "null", "~", "true", "1.0", "0x1F", "1_000", "2020-01-01", "1:20", "-", "it's"]
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet="abcXYZ 019.,:#-_'\"{}[]!&*?|>%@é/", min_size=1, max_size=12),
)
names = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.sampled_from(["on", "yes", "null", "1"]))


def _property() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.sampled_from([t for t in TYPES if t != "array"])},
        optional={
            "required": st.booleans(),
            "description": texts,
            "enum": st.lists(st.from_regex(r"[a-z]{1,5}", fullmatch=True), min_size=1, max_size=4, unique=True),
            "minimum": st.integers(-5, 100),
        },
    )


def _item(typed: bool) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "description": texts,
        "owner": texts,
        "status": st.sampled_from(STATUSES),
        "reason": texts,
        "platforms": st.lists(st.sampled_from(["ios", "android", "web"]), max_size=3, unique=True),
        "tags": st.lists(names, max_size=2, unique=True),
    }
    if typed:
        return st.fixed_dictionaries({"type": st.sampled_from(["string", "integer", "boolean"])}, optional=optional)
    optional["properties"] = st.dictionaries(names, _property(), max_size=3)
    return st.fixed_dictionaries({}, optional=optional)


taxonomies = st.fixed_dictionaries(
    {"version": st.just(1)},
    optional={
        "workspace": texts,
        "events": st.dictionaries(names, _item(False), min_size=1, max_size=3),
        "attributes": st.dictionaries(names, _item(True), max_size=2),
    },
)


class Writer:
    """Writes data as YAML in styles drawn from hypothesis; every comment is `# cN`, unique."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.indent = draw(st.sampled_from([2, 3, 4]))
        self.comments = 0

    def comment(self) -> str:
        self.comments += 1
        return f"# c{self.comments}"

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        text = str(value)
        styles = ["single", "double"]
        if re.fullmatch(r"[a-z][a-z0-9_ .]*", text) and yaml.safe_load(f"k: {text}") == {"k": text}:
            styles.append("plain")
        style = self.draw(st.sampled_from(styles))
        if style == "plain":
            return text
        if style == "single":
            return "'" + text.replace("'", "''") + "'"
        return json.dumps(text, ensure_ascii=False)

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self.scalar(k)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        return self.scalar(value)

    def block(self, value: dict[str, Any], depth: int) -> list[str]:
        pad = " " * (self.indent * depth)
        keys = self.draw(st.permutations(list(value)))
        lines = []
        for key in keys:
            if self.draw(st.booleans()):
                lines.append(pad + self.comment())
            if self.draw(st.integers(0, 4)) == 0:
                lines.append("")
            child = value[key]
            head = f"{pad}{self.scalar(key)}:"
            if isinstance(child, dict) and child and self.draw(st.booleans()):
                lines.append(head)
                lines.extend(self.block(child, depth + 1))
            elif isinstance(child, list) and child and self.draw(st.booleans()):
                lines.append(head)
                dash = " " * (self.indent * depth + self.draw(st.sampled_from([0, self.indent])))
                lines.extend(f"{dash}- {self.scalar(v)}" for v in child)
            else:
                eol = f"  {self.comment()}" if self.draw(st.booleans()) else ""
                lines.append(f"{head} {self.flow(child)}{eol}")
        return lines


@st.composite
def written(draw: Any) -> tuple[str, int]:
    data = draw(taxonomies)
    writer = Writer(draw)
    lines = [writer.comment(), *writer.block(data, 0)]
    return "\n".join(lines) + "\n", writer.comments


def _plain(value: Any) -> Any:
    """A model as plain data without positions: spans say where, not what."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("span", "fields", "section_spans", "path", "files")
        }
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _unordered(value: Any) -> Any:
    """Lists of named things (properties) as mappings by name: for comparing when only order may differ."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        if all(isinstance(v, dict) and "name" in v for v in value):
            return {v["name"]: _unordered(v) for v in value}
        return [_unordered(v) for v in value]
    return value


def _model(text: str) -> tuple[Any, list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "taxonomy.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load(path)
    findings = sorted((f.code, str(f.entity)) for f in loaded.findings)
    return _plain(loaded.taxonomy), findings


@given(written())
def test_fmt_is_idempotent_keeps_the_model_and_every_comment(case: tuple[str, int]) -> None:
    text, comments = case
    try:
        before = _model(text)
    except TaxonomyError:
        assume(False)  # e.g. a generated name clash after quoting: not the formatter's business
        raise
    once = format_text(text)
    assert format_text(once) == once
    assert _model(once) == before
    for number in range(1, comments + 1):
        assert len(re.findall(rf"# c{number}\b", once)) == 1, f"# c{number} lost or doubled:\n{text}\n---\n{once}"


@given(written())
def test_sorting_is_idempotent_and_keeps_names(case: tuple[str, int]) -> None:
    text, comments = case
    try:
        before = _model(text)[0]
    except TaxonomyError:
        assume(False)
        raise
    options = FmtOptions(sort=frozenset({"events", "attributes", "properties"}))
    once = format_text(text, options=options)
    assert format_text(once, options=options) == once
    after = _model(once)[0]
    assert _unordered(after) == _unordered(before)  # only the order changed
    assert list(after["events"]) == sorted(after["events"])
    for number in range(1, comments + 1):
        assert len(re.findall(rf"# c{number}\b", once)) == 1, f"# c{number} lost or doubled"
