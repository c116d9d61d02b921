"""`taxonomy diff [OLD] [NEW]`: every change between two versions of the taxonomy, classified by whom it breaks."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxonomy.errors import TaxonomyError

DIFF_FORMATS = ("text", "json", "markdown")  # diff's own shapes; any other name goes to the shared REPORTERS
SETTINGS = {"fail-on", "code"}


@dataclass(frozen=True)
class DiffOptions:
    format: str | tuple[str, ...] = "text"  # one or several: NAME (terminal / --output-file) or NAME:FILE
    output_file: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config: str | None = None
    code: tuple[str, ...] = ()


def format_choices() -> list[str]:
    from taxonomy.reporters import REPORTERS

    return [*DIFF_FORMATS, *sorted(set(REPORTERS) - set(DIFF_FORMATS))]


def _section(section: Mapping[str, Any], source: str | None) -> tuple[str | None, tuple[str, ...]]:
    from taxonomy.fuzzy import did_you_mean

    for key in section:
        if key not in SETTINGS:
            raise TaxonomyError(f"unknown setting `diff.{key}`{did_you_mean(key, SETTINGS)}", file=source)
    fail_on = section.get("fail-on")
    if fail_on is not None and fail_on not in ("breaking", "risky", "none"):
        raise TaxonomyError(f"`diff.fail-on` must be breaking, risky or none; got {fail_on!r}", file=source)
    code = section.get("code", [])
    if isinstance(code, str):
        code = [code]
    if not isinstance(code, list) or not all(isinstance(p, str) for p in code):
        raise TaxonomyError("`diff.code` must be a list of paths", file=source)
    return fail_on, tuple(code)


def _load(side: Any) -> Any:
    from taxonomy.diff.gitsource import GitSource
    from taxonomy.loader import load

    try:
        return load(side.path, source=side.source)
    except TaxonomyError as exc:
        if isinstance(side.source, GitSource):  # the path alone would point at the working tree's file
            exc.message = f"{exc.message} (in {side.label})"
        raise


def diff(old: str | None, new: str | None, options: DiffOptions) -> int:
    from taxonomy.commands.shared import taxonomy_path
    from taxonomy.config import load_config
    from taxonomy.diff import gitsource
    from taxonomy.diff.changes import compare
    from taxonomy.diff.outcome import decide
    from taxonomy.diff.review import review, usage_from_code
    from taxonomy.engine import validate_selectors

    config = load_config(options.config).with_cli(select=options.select, ignore=options.ignore)
    validate_selectors(config)
    configured_fail_on, configured_code = _section(config.section("diff"), config.source)
    fail_on = options.fail_on or configured_fail_on or "breaking"
    routes(options.format, options.output_file)  # a bad --format fails before any git or file work

    def default() -> Path:
        return taxonomy_path(None, config)

    notices: list[str] = []
    if old is None and new is None:
        repo = gitsource.Repo.find()
        path = default()
        repo.relative(path)
        commit, label = gitsource.default_base(repo)
        old_side = gitsource.Side(path, gitsource.GitSource(repo, commit, label), label)
    else:
        old_side = gitsource.resolve(old, default)
    new_side = gitsource.resolve(new, default)
    if new is None:
        new_side = dataclasses.replace(new_side, label=f"working tree ({new_side.label})")
    old_loaded, new_loaded = _load(old_side), _load(new_side)
    for side, loaded in ((old_side, old_loaded), (new_side, new_loaded)):
        problems = [f for f in loaded.findings if f.code.startswith("SCH")]
        if problems:
            notices.append(
                f"{side.label} has {len(problems)} schema problem{'s' if len(problems) != 1 else ''}; "
                "`taxonomy lint` lists them"
            )

    code_paths = options.code or configured_code
    usage = None
    if code_paths:
        usage, code_notices = usage_from_code(code_paths, config)
        notices.extend(code_notices)
    changes = compare(old_loaded.taxonomy, new_loaded.taxonomy)
    outcome = decide(review(changes, new_loaded.taxonomy, usage), config, fail_on, old_side.label, new_side.label)
    files = tuple(dict.fromkeys((*old_loaded.taxonomy.files, *new_loaded.taxonomy.files)))
    outcome = dataclasses.replace(outcome, files=files, notices=tuple(notices))
    _emit(outcome, options)
    return outcome.exit_code


def routes(formats: str | tuple[str, ...], output_file: str | None) -> list[tuple[str, str | None]]:
    """(format, file or None for the terminal) for each --format; at most one goes to the terminal."""
    from taxonomy.fuzzy import did_you_mean

    choices = format_choices()
    routed: list[tuple[str, str | None]] = []
    for spec in [formats] if isinstance(formats, str) else list(formats or ("text",)):
        name, sep, path = spec.partition(":")
        if name not in choices:
            raise TaxonomyError(
                f"unknown format {name!r}{did_you_mean(name, choices)}; use one of {', '.join(choices)}"
            )
        if sep and not path:
            raise TaxonomyError(f"format {spec!r} names no file; write {name}:FILE or leave out the colon")
        routed.append((name, path or None))
    bare = [i for i, (_name, path) in enumerate(routed) if path is None]
    if len(bare) > 1:
        raise TaxonomyError(
            "only one format can go to the terminal (or --output-file)",
            hint="send the others to files: --format markdown:comment.md",
        )
    if output_file:
        if not bare:
            raise TaxonomyError("--output-file given, but every format already names its file")
        routed[bare[0]] = (routed[bare[0]][0], output_file)
    paths = [path for _name, path in routed if path]
    if len(paths) != len(set(paths)):
        raise TaxonomyError("two formats would write to the same file")
    return routed


def _emit(outcome: Any, options: DiffOptions) -> None:
    from taxonomy.atomic import write_atomic
    from taxonomy.diff.render import FORMATS
    from taxonomy.reporters import Report, renderer, use_color

    report = Report("diff", outcome.findings, outcome.files, outcome.exit_code, outcome.notices, outcome.extra())
    routed = routes(options.format, options.output_file)
    # Files first, then the terminal: a report on screen means every file is written.
    for name, path in sorted(routed, key=lambda route: route[1] is None):
        color = path is None and use_color(sys.stdout)
        # diff's own formats read the changes; the shared ones read the findings
        own = name in DIFF_FORMATS
        text = FORMATS[name](outcome, color=color) if own else renderer(name)(report, color=color)
        if path:
            write_atomic(path, text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
