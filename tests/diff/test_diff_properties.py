"""Properties: a taxonomy compared with itself has no changes; swapping the two sides mirrors every change."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from taxonomy.diff.changes import KINDS, Change, _unit_words, compare, units_in
from taxonomy.loader import load
from taxonomy.model import Taxonomy

NAMES = st.sampled_from(["signed_up", "order_completed", "order_done", "x", "cart_viewed"])
KEYS = st.sampled_from(["plan", "price", "source", "city"])
DESCRIPTIONS = st.none() | st.sampled_from(["Time in seconds.", "Time in ms.", "Total in EUR.", "A thing."])
SCALAR_TYPES = st.sampled_from(["string", "integer", "float", "boolean", "time"])
ENUMS = st.none() | st.lists(st.sampled_from(["a", "b", "c", 1, 2]), min_size=1, max_size=3, unique=True)
BOUNDS = st.none() | st.integers(min_value=0, max_value=3)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v is not False}


@st.composite
def typespecs(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    kind = draw(st.sampled_from(["scalar", "scalar", "array", "object"]) if depth < 1 else SCALAR_TYPES.map(str))
    spec: dict[str, Any]
    if kind == "object":
        spec = {"type": "object", "properties": draw(st.dictionaries(KEYS, typespecs(depth + 1), max_size=2))}
    elif kind == "array":
        spec = {
            "type": "array",
            "items": draw(st.sampled_from([None, "string", "object"])),
            "max_items": draw(st.none() | st.integers(1, 3)),
        }
    else:
        scalar = draw(SCALAR_TYPES) if kind == "scalar" else kind
        spec = {
            "type": scalar,
            "enum": draw(ENUMS),
            "minimum": draw(BOUNDS),
            "max_length": draw(st.none() | st.integers(1, 4)),
        }
        spec["pattern"] = draw(st.none() | st.sampled_from(["^a", "^b"]))
    spec["description"] = draw(DESCRIPTIONS)
    return _drop_none(spec)


@st.composite
def properties(draw: st.DrawFn) -> dict[str, Any]:
    spec = draw(typespecs())
    spec["required"] = draw(st.booleans())
    spec["warehouse_name"] = draw(st.none() | st.sampled_from(["col_a", "col_b"]))
    return _drop_none(spec)


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(["planned", "active", "deprecated", "removed"]))
    return _drop_none(
        {
            "description": draw(DESCRIPTIONS),
            "owner": draw(st.none() | st.sampled_from(["growth", "crm"])),
            "tags": draw(st.none() | st.lists(st.sampled_from(["funnel", "revenue"]), unique=True, min_size=1)),
            "platforms": draw(
                st.none() | st.lists(st.sampled_from(["web", "ios", "android"]), unique=True, min_size=1)
            ),
            "status": status,
            "reason": "because" if status in ("deprecated", "removed") else None,
        }
    )


@st.composite
def taxonomies(draw: st.DrawFn) -> dict[str, Any]:
    events = draw(
        st.dictionaries(NAMES, st.tuples(items(), st.dictionaries(KEYS, properties(), max_size=3)), max_size=3)
    )
    attributes = draw(st.dictionaries(NAMES, st.tuples(items(), typespecs()), max_size=3))
    return {
        "version": 1,
        "events": {name: {**item, "properties": props} for name, (item, props) in events.items()},
        "attributes": {name: {**item, **spec} for name, (item, spec) in attributes.items()},
        "purchases": {
            "products": draw(st.dictionaries(NAMES, items(), max_size=2)),
            "properties": draw(st.dictionaries(KEYS, properties(), max_size=2)),
        },
    }


def _load(data: dict[str, Any]) -> Taxonomy:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "taxonomy.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        loaded = load(path)
    assert not loaded.findings, loaded.findings  # the strategy draws valid taxonomies only
    return loaded.taxonomy


@given(taxonomies())
def test_a_taxonomy_has_no_changes_with_itself(data: dict[str, Any]) -> None:
    taxonomy = _load(data)
    assert compare(taxonomy, taxonomy) == []


@given(taxonomies(), taxonomies())
def test_swapping_the_sides_mirrors_every_change(a_data: dict[str, Any], b_data: dict[str, Any]) -> None:
    a, b = _load(a_data), _load(b_data)
    forward, backward = compare(a, b), compare(b, a)
    # Same edits, old and new swapped: added <-> removed, tightened <-> loosened, ...
    assert Counter(c.key() for c in forward) == Counter(c.mirror_key() for c in backward)
    back: dict[Any, list[Change]] = {}
    for change in backward:
        back.setdefault(change.mirror_key(), []).append(change)
    for change in forward:
        partner = back[change.key()].pop()
        assert partner.id in KINDS[change.id].inverse, (change, partner)


@given(
    st.text(max_size=60), st.sampled_from(sorted(_unit_words()[0])), st.text(alphabet=" .,;()", min_size=1, max_size=3)
)
def test_units_are_found_whatever_surrounds_them(prefix: str, word: str, gap: str) -> None:
    dimension, unit = _unit_words()[0][word]
    text = f"{prefix}{gap}{word}{gap}"
    assert unit in units_in(text).get(dimension, frozenset())
    if text.isascii():  # case does not matter (non-ASCII case mappings can change the length)
        assert units_in(text.upper()) == units_in(text)


@settings(max_examples=40)  # three loads per example; the mirror test above covers the comparison itself
@given(taxonomies(), taxonomies())
def test_accepting_every_reported_change_passes_and_leaves_nothing_stale(
    a_data: dict[str, Any], b_data: dict[str, Any]
) -> None:
    from taxonomy.config import Config
    from taxonomy.diff.outcome import decide
    from taxonomy.diff.review import review

    a, b = _load(a_data), _load(b_data)
    changes = compare(a, b)
    accepted = sorted({(c.id, c.dotted) for c in changes})
    b_accepting = _load(
        {**b_data, "accepted_changes": [{"change": i, "entity": e, "ticket": "T-1"} for i, e in accepted]}
    )
    reviewed = review(compare(a, b_accepting), b_accepting)
    assert reviewed.stale == ()
    assert all(entry.accepted is not None for entry in reviewed.entries)
    assert decide(reviewed, Config(), "risky", "a", "b").exit_code == 0
