"""Property tests for every export reader and normaliser: data types, statuses, CSV headers, Link headers,
Retry-After, positioned JSON, CSV and REST round trips, and init's YAML scalars."""

from __future__ import annotations

import csv
import io
import json
import string

from hypothesis import given
from hypothesis import strategies as st

from taxonomy.bootstrap import scalar
from taxonomy.errors import TaxonomyError
from taxonomy.export import parse_export
from taxonomy.export.api import parse_link_next, retry_after
from taxonomy.export.braze_csv import match_headers
from taxonomy.export.jsonpos import parse as parse_json
from taxonomy.export.types import fold, normalise_data_type, normalise_status, vocabulary
from taxonomy.yamlsource import parse as parse_yaml

KNOWN_TYPES = sorted(vocabulary()["data_types"])
NOTES = st.sampled_from(["", " (Automatically Detected)", " (Forced)", "(automatically detected)", "  (x) (y)"])


def _vary_case(text: str, flags: list[bool]) -> str:
    return "".join(
        ch.upper() if flag else ch.lower() for ch, flag in zip(text, flags + [False] * len(text), strict=False)
    )


@given(st.sampled_from(KNOWN_TYPES), st.lists(st.booleans(), max_size=30), NOTES, st.sampled_from([" ", "_", "-"]))
def test_known_data_types_normalise_whatever_their_case_spacing_and_notes(
    word: str, flags: list[bool], note: str, sep: str
) -> None:
    raw = "  " + _vary_case(word.replace(" ", sep), flags) + note
    assert normalise_data_type(raw) == vocabulary()["data_types"][word]


@given(st.text(max_size=60))
def test_any_data_type_string_normalises_to_a_known_type_or_none(raw: str) -> None:
    found = normalise_data_type(raw)
    assert found is None or found in vocabulary()["compatible"]


@given(st.text(max_size=40))
def test_status_is_total_and_lower_case(raw: str) -> None:
    status = normalise_status(raw)
    assert status == status.lower() and status == status.strip()
    if not raw.strip():
        assert status == "active"


ALIASES = [(field, alias) for field, names in vocabulary()["csv_headers"].items() for alias in names]


@given(
    st.lists(st.sampled_from(ALIASES), min_size=1, max_size=6, unique_by=lambda pair: pair[0]),
    st.lists(st.booleans(), max_size=30),
    st.sampled_from([" ", "_", "-", "  "]),
    st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=8).map(lambda s: "zz" + s), max_size=3),
    st.randoms(use_true_random=False),
)
def test_csv_headers_match_case_insensitively_wherever_they_are(
    picked: list[tuple[str, str]], flags: list[bool], sep: str, noise: list[str], rnd: object
) -> None:
    headers = [" " + _vary_case(alias.replace(" ", sep), flags) + " " for _field, alias in picked] + noise
    rnd.shuffle(headers)  # type: ignore[attr-defined]
    found = match_headers(headers)
    assert set(found) == {field for field, _alias in picked}
    for field, alias in picked:
        assert fold(headers[found[field]]) == fold(alias)


@given(st.sampled_from(ALIASES), st.sampled_from(ALIASES))
def test_two_headers_for_one_field_are_refused(first: tuple[str, str], second: tuple[str, str]) -> None:
    headers = [first[1], second[1]]
    if first[0] == second[0]:
        try:
            match_headers(headers)
        except ValueError as exc:
            assert "both give" in str(exc)
        else:
            raise AssertionError("duplicate column accepted")
    else:
        assert set(match_headers(headers)) == {first[0], second[0]}


URLS = st.builds(
    lambda host, cursor: f"https://{host}.braze.com/custom_attributes/?cursor={cursor}",
    st.text(alphabet=string.ascii_lowercase + "-", min_size=1, max_size=12),
    st.text(alphabet=string.ascii_letters + string.digits + "=+/", min_size=1, max_size=20),
)
REL_FORMS = st.sampled_from(['rel="next"', "rel=next", 'REL="Next"', 'rel="prefetch next"', ' rel = "next" '])


@given(URLS, REL_FORMS, st.lists(st.sampled_from(['rel="prev"', 'title="x"', 'rel="last"']), max_size=2), st.booleans())
def test_link_header_next_is_found_among_other_links(url: str, rel: str, others: list[str], split: bool) -> None:
    other = ", ".join(f"<https://h/{i}>; {o}" for i, o in enumerate(others))
    mine = f"<{url}>; {rel}"
    values = [other, mine] if split and other else [", ".join(x for x in (other, mine) if x)]
    assert parse_link_next(values) == url


@given(st.lists(st.sampled_from(['rel="prev"', 'rel="last"', 'rel="nextish"', "rel=first"]), max_size=3), URLS)
def test_link_header_without_next_is_none(rels: list[str], url: str) -> None:
    assert parse_link_next(", ".join(f"<{url}>; {r}" for r in rels)) is None


@given(st.text(max_size=200))
def test_link_header_parsing_never_crashes(value: str) -> None:
    found = parse_link_next(value)
    assert found is None or isinstance(found, str)


@given(st.integers(min_value=0, max_value=10**9))
def test_retry_after_seconds(seconds: int) -> None:
    assert retry_after(str(seconds)) == float(seconds)


@given(st.text(max_size=40))
def test_retry_after_never_crashes_and_is_never_negative(value: str) -> None:
    found = retry_after(value)
    assert found is None or found >= 0


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@given(JSON, st.sampled_from([None, 1, 2]))
def test_positioned_json_decodes_like_the_standard_library(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    doc = parse_json(text, "x.json")
    assert doc.data == json.loads(text)
    if isinstance(doc.data, (dict, list)):
        line, column = doc.at(doc.data)
        assert text.splitlines()[line - 1][column - 1] in "{["


NAMES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s.strip()
)
STATUSES = st.sampled_from(["Active", "Blocklisted", "active", "BLOCKLISTED", ""])


@given(
    st.lists(st.tuples(NAMES, STATUSES, st.sampled_from(KNOWN_TYPES)), max_size=20, unique_by=lambda r: r[0]),
    st.sampled_from([",", ";"]),
)
def test_csv_round_trip(rows: list[tuple[str, str, str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Attribute Name", "Data Type", "Status"])
    writer.writerows([(name, data_type, status) for name, status, data_type in rows])
    export = parse_export(buffer.getvalue(), "attributes.csv")
    assert [a.name for a in export.attributes] == [name for name, _s, _t in rows]
    assert [a.status for a in export.attributes] == [normalise_status(s) for _n, s, _t in rows]
    assert all(a.type is not None for a in export.attributes)


@given(st.lists(st.tuples(NAMES, STATUSES, st.text(max_size=20)), max_size=20, unique_by=lambda r: r[0]))
def test_rest_round_trip(rows: list[tuple[str, str, str]]) -> None:
    body = {
        "message": "success",
        "attributes": [
            {"name": n, "status": s, "data_type": t, "array_length": None, "tag_names": [None, "x"]} for n, s, t in rows
        ],
    }
    export = parse_export(json.dumps(body, indent=1), "a.json")
    assert [(a.name, a.data_type) for a in export.attributes] == [(n, t) for n, _s, t in rows]


@given(st.text(max_size=300))
def test_any_text_export_is_an_export_or_a_clear_error(text: str) -> None:
    try:
        parse_export(text, "x.csv")
    except TaxonomyError as exc:
        assert exc.message


@given(st.one_of(NAMES, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)))
def test_init_scalars_read_back_as_the_same_string(name: str) -> None:
    loaded = parse_yaml(f"key: {scalar(name)}\n{scalar(name)}: 1\n", "t.yaml")
    assert loaded["key"] == name
    assert name in loaded


FIELD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=600),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
ITEM_KEYS = [
    "name",
    "description",
    "status",
    "tag_names",
    "data_type",
    "array_length",
    "included_in_analytics_report",
    "extra",
]


@given(
    st.sampled_from(["attribute", "event", "product"]),
    st.one_of(st.dictionaries(st.sampled_from(ITEM_KEYS), FIELD_VALUES, max_size=8), FIELD_VALUES),
)
def test_the_fast_snapshot_item_check_never_accepts_what_the_schema_rejects(kind: str, item: object) -> None:
    from taxonomy.export.snapshot import _validators, item_ok

    _envelope, validators = _validators()
    if item_ok(kind, item):
        assert list(validators[kind].iter_errors(item)) == []


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)


@given(
    st.lists(
        st.tuples(
            NAMES,
            st.sampled_from([*KNOWN_TYPES, "Weird", None]),
            STATUSES,
            st.one_of(st.none(), TEXT),
            st.lists(TEXT, max_size=3),
            st.one_of(st.none(), st.integers(0, 1000)),
        ),
        max_size=12,
        unique_by=lambda r: r[0],
    ),
    st.lists(st.tuples(NAMES, STATUSES, st.one_of(st.none(), TEXT)), max_size=12, unique_by=lambda r: r[0]),
    st.lists(NAMES, max_size=5, unique=True),
    st.one_of(st.none(), NAMES),
)
def test_init_from_any_export_passes_the_schema(
    attributes: list[tuple[str, str | None, str, str | None, list[str], int | None]],
    events: list[tuple[str, str, str | None]],
    products: list[str],
    workspace: str | None,
) -> None:
    from taxonomy.bootstrap import Sources, render
    from taxonomy.loader import validate

    body = [
        {
            "attributes": [
                {"name": n, "data_type": t, "status": s, "description": d, "tag_names": tags, "array_length": length}
                for n, t, s, d, tags, length in attributes
            ]
        },
        {"events": [{"name": n, "status": s, "description": d} for n, s, d in events]},
        {"products": products},
    ]
    export = parse_export(json.dumps(body), "x.json")
    text = render(Sources(export=export, workspace=workspace)).text
    data = parse_yaml(text, "t.yaml")
    assert validate(data, "t.yaml") == []
    assert set(data.get("attributes") or {}) == {a[0] for a in attributes}
    assert set(data.get("events") or {}) == {e[0] for e in events}


@given(st.lists(st.sampled_from(["a", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\\\ud800", "\\u00e9"]), max_size=6))
def test_json_with_any_surrogate_escapes_is_read_or_refused_cleanly(parts: list[str]) -> None:
    text = '{"events": ["x' + "".join(parts) + '"]}'
    try:
        export = parse_export(text, "e.json")
    except TaxonomyError as exc:
        assert "lone surrogate" in exc.message
    else:
        export.events[0].name.encode("utf-8")  # printable and writable
