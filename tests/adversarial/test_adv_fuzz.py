"""Fuzzing every reader with near-valid input: only TaxonomyError (exit 2) may stop a run, nothing else.

Profiles (tests/conftest.py): `ci` (default, 100 examples a test) and `long` (HYPOTHESIS_PROFILE=long, 20,000 a
test: the tests below add up to more than 100,000), run by hand:

    HYPOTHESIS_PROFILE=long python -m pytest -q tests/adversarial/test_adv_fuzz.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import csv_exports, json_exports, source_snippets, taxonomy_texts

from taxonomy.config import Config
from taxonomy.errors import TaxonomyError
from taxonomy.scan.languages import SUFFIXES
from taxonomy.scan.scanner import FileOutcome, scan_source
from taxonomy.scan.signatures import build

ADAPTERS = sorted({spec: language for _suffix, (language, spec) in SUFFIXES.items()}.items())
SIGS = build()


def _lint_and_format(text: str) -> None:
    """What `taxonomy lint` and `taxonomy fmt` do with one file, minus the printing."""
    from taxonomy.engine import run_checks
    from taxonomy.fmt import FmtOptions, format_text
    from taxonomy.lintcontext import LintContext
    from taxonomy.loader import load
    from taxonomy.yamlsource import parse

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "taxonomy.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            loaded = load(path)
        except TaxonomyError:
            return
        config = Config(root=Path(folder))
        ctx = LintContext(loaded.taxonomy, config, {d.display: d.data for d in loaded.documents})
        for finding in run_checks("lint", ctx, config):
            assert finding.span is None or finding.span.line >= 1
        try:
            after = format_text(text.replace("\r\n", "\n"), "taxonomy.yaml", options=FmtOptions())
        except TaxonomyError:
            return
        assert parse(after, "taxonomy.yaml") == parse(text, "taxonomy.yaml"), "fmt changed the data"


@given(text=taxonomy_texts())
def test_taxonomy_documents(text: str) -> None:
    _lint_and_format(text)


@pytest.mark.parametrize(("spec", "language"), ADAPTERS)
@given(data=st.data())
def test_source_snippets(spec: str, language: str, data: st.DataObject) -> None:
    text = data.draw(source_snippets(sorted(SIGS.methods(language))))
    outcome = scan_source(text.encode("utf-8", "surrogatepass"), FileOutcome("f", language), spec, SIGS)
    for site in outcome.sites:
        assert site.line >= 1 and site.column >= 1


def _export_pipeline(text: str, name: str) -> None:
    """Read an export as drift and init do; what init renders from it must be a valid taxonomy."""
    from taxonomy.bootstrap import Sources, render
    from taxonomy.commands.init import _check
    from taxonomy.driftcontext import DriftContext
    from taxonomy.engine import run_checks
    from taxonomy.export import merge, parse_export
    from taxonomy.loader import load

    try:
        export = parse_export(text, name)
    except TaxonomyError:
        return
    rendered = render(Sources(export=export))
    if rendered.items:
        _check(rendered.text, "taxonomy.yaml")  # RuntimeError when init would write an invalid file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "taxonomy.yaml"
        path.write_text("version: 1\nevents:\n  signed_up: {description: d}\n", encoding="utf-8")
        taxonomy = load(path).taxonomy
    ctx = DriftContext(taxonomy, merge([export]), (export,), Config(root=Path(".")))
    run_checks("drift", ctx, Config(root=Path(".")))


@given(text=json_exports())
def test_json_exports(text: str) -> None:
    _export_pipeline(text, "export.json")


@given(named=csv_exports())
def test_csv_exports(named: tuple[str, str]) -> None:
    name, text = named
    _export_pipeline(text, name)


def test_regression_a_subnormal_float_survives_fmt() -> None:
    """Found by fuzzing: ruamel rewrote 2.225073858507e-311 as ...506e-311; fmt refused with an internal error."""
    _lint_and_format("version: 1\nworkspace: null\nevents:\n  signed_up: [2.225073858507e-311]\n")


def test_regression_an_empty_name_in_a_rest_list() -> None:
    """Found by fuzzing: {"events": [""]} made init write an event with no name (an internal error)."""
    from taxonomy.export import parse_export

    with pytest.raises(TaxonomyError, match="is an empty name"):
        parse_export('{"events": [""]}', "events.json")


@pytest.mark.parametrize("key", ["False", "0x1F", "NULL", "1_000", "~", "2026-01-01", "1.5", "yes"])
def test_regression_keys_that_yaml_would_read_as_other_types(key: str) -> None:
    """Found by the long fuzzing run: fmt turned the event `False` into `false` (another name): an internal error.

    Keys are names; fmt now keeps them as the strings written (quoting them where plain would read otherwise)."""
    _lint_and_format(f"version: 1\nevents:\n  {key}: {{description: x}}\n")
    _lint_and_format("? False\nversion: 1\nconventions: {}\n")  # the example hypothesis found


def test_regression_a_yaml_1_1_directive() -> None:
    """Found by the long fuzzing run: under `%YAML 1.1` ruamel reads `owner: N` as false (the loader: "N"), so fmt
    would have changed the data (an internal error). fmt now refuses such a file with exit 2."""
    text = "%YAML 1.1\n---\nversion: 1\nevents:\n  signed_up:\n    description: d\n    owner: N\n"
    _lint_and_format(text)
    from taxonomy.fmt import format_text

    with pytest.raises(TaxonomyError, match=r"YAML 1\.1"):
        format_text(text, "taxonomy.yaml")
