"""The command line: builds options and calls a command function that returns the exit code.

Only click is imported at start-up; each command imports what it needs when it runs.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from taxonomy import __version__
from taxonomy.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, TaxonomyError
from taxonomy.reporters_table import REPORTERS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
# One of each, shared by the options: making one looks up its name's translation on disk (click calls gettext).
ANY_PATH, FILE, FOLDER = click.Path(), click.Path(dir_okay=False), click.Path(file_okay=False)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="taxonomy", message="%(prog)s %(version)s")
def cli() -> None:
    """An event-taxonomy registry and data-schema linter for Braze.

    One taxonomy file (taxonomy.yaml) lists every custom event, attribute and purchase; these commands hold
    the file, the code and the Braze workspace against it. Exit codes: 0 clean, 1 findings, 2 bad input or
    usage, 3 internal error.
    """


def report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that reports findings."""
    options = [
        click.option(
            "--format",
            "-f",
            "fmt",
            multiple=True,
            default=("text",),
            show_default=True,
            metavar="FORMAT[:FILE]",
            callback=_check_formats,
            help=f"Output format: {', '.join(sorted(REPORTERS))}. Repeatable; FORMAT:FILE writes that one to FILE.",
        ),
        click.option("--output-file", "-o", type=FILE, help="Write the report to this file."),
        click.option(
            "--baseline",
            type=FILE,
            help="Fail only on findings this baseline file does not accept; list the fixed ones.",
        ),
        click.option(
            "--write-baseline",
            type=FILE,
            metavar="FILE",
            help="Record every current finding in FILE (keyed by code, entity and file; not by line) and exit 0.",
        ),
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            help="Only these codes, prefixes or names (comma-separated, repeatable).",
        ),
        click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes, prefixes or names."),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info", "never"]),
            help="Lowest severity that fails the run (default: warning).",
        ),
        click.option(
            "--config",
            type=FILE,
            help="Settings file (default: .taxonomy.toml or [tool.taxonomy] in pyproject.toml, searched upwards).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_formats(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    for spec in value:
        name = spec.partition(":")[0]
        if name not in REPORTERS:
            raise click.BadParameter(f"{name!r} is not one of {', '.join(sorted(REPORTERS))}.")
    return value


def _report_options(kwargs: dict[str, Any]) -> Any:
    from taxonomy.commands.shared import ReportOptions

    return ReportOptions(
        format=kwargs.pop("fmt"),
        output_file=kwargs.pop("output_file"),
        select=kwargs.pop("select"),
        ignore=kwargs.pop("ignore"),
        fail_on=kwargs.pop("fail_on"),
        config=kwargs.pop("config"),
        baseline=kwargs.pop("baseline"),
        write_baseline=kwargs.pop("write_baseline"),
    )


@cli.command(context_settings=CONTEXT)
@click.argument("file", required=False, type=ANY_PATH)
@click.option("--fix", is_flag=True, help="Apply the safe fixes findings offer (never renames), then report the rest.")
@report_options
def lint(file: str | None, fix: bool, **kwargs: Any) -> int:
    """Check the taxonomy file: schema, naming, Braze limits, warehouse rules, near-duplicates.

    FILE defaults to taxonomy.yaml (or .yml) in the current folder.
    """
    from taxonomy.commands.lint import lint as run

    return run(file, _report_options(kwargs), fix=fix)


@cli.command("rules", context_settings=CONTEXT)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_(fmt: str) -> int:
    """List every check with its code, name and default severity."""
    from taxonomy.commands.rules import list_rules

    return list_rules(fmt)


@cli.command("rule", context_settings=CONTEXT)
@click.argument("code")
def rule_(code: str) -> int:
    """Explain one check (by code or name): what it catches, a bad and a good example."""
    from taxonomy.commands.rules import explain

    return explain(code)


@cli.command("diff", context_settings=CONTEXT)
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "--format",
    "-f",
    "fmt",
    multiple=True,
    default=("text",),
    show_default=True,
    metavar="FORMAT[:FILE]",
    help="text, json, markdown list the changes; "
    f"{', '.join(sorted(set(REPORTERS) - {'text', 'json', 'markdown'})) or 'the shared formats'} report them as "
    "findings (DIF codes). Repeatable; FORMAT:FILE writes that one to FILE.",
)
@click.option("--output-file", "-o", type=FILE, help="Write the report to this file.")
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "risky", "none"]),
    help="Lowest category that fails the run (default: breaking).",
)
@click.option("--code", multiple=True, metavar="PATHS", help="Source paths: removals nothing sends are downgraded.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes (DIF001 breaking ... DIF005).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes, e.g. DIF003 to hide safe changes.")
@click.option("--config", type=FILE, help="Settings file (default: searched upwards).")
def diff_(old: str | None, new: str | None, fmt: tuple[str, ...], **kwargs: Any) -> int:
    """Every change between two versions of the taxonomy, classified breaking / risky / safe.

    OLD and NEW are each a file, REV:path (git), or a git revision (the taxonomy file at that revision).
    With one argument, NEW is the working tree; with none, OLD is the merge base with the upstream branch
    (or HEAD when there is none). Exit 1 when a change reaches --fail-on.
    """
    from taxonomy.commands.diff import DiffOptions, diff

    return diff(old, new, DiffOptions(format=fmt, **kwargs))


@cli.command(context_settings=CONTEXT)
@click.argument("exports", nargs=-1, metavar="EXPORT...", type=FILE)
@click.option("--taxonomy", "-t", "taxonomy_file", type=ANY_PATH, help="The taxonomy file (default: taxonomy.yaml).")
@click.option("--code", "code_paths", multiple=True, type=ANY_PATH, help="Also scan these source paths.")
@report_options
def drift(exports: tuple[str, ...], taxonomy_file: str | None, code_paths: tuple[str, ...], **kwargs: Any) -> int:
    """Compare the taxonomy with what Braze holds.

    EXPORT is a snapshot from `taxonomy pull`, a saved REST body (GET /custom_attributes, /events,
    /events/list, /purchases/product_list) or a dashboard "Export all" CSV; give several to combine them.
    Without EXPORT, `exports` of [drift] in .taxonomy.toml is used.
    """
    from taxonomy.commands.drift import drift as run

    return run(exports, taxonomy_file, code_paths, _report_options(kwargs))


@cli.command(context_settings=CONTEXT)
@click.option(
    "--instance", metavar="URL", help="REST endpoint, e.g. https://rest.iad-01.braze.com (or BRAZE_REST_ENDPOINT)."
)
@click.option("--output", "-o", type=FILE, help="Snapshot file (default: braze-export.json).")
@click.option("--workspace", help="Workspace name to record (default: the taxonomy's `workspace`).")
@click.option("--taxonomy", "-t", type=FILE, help="Taxonomy file to read `workspace` from.")
@click.option("--timeout", type=click.FloatRange(min=0.01), help="Seconds to wait for each response (default: 30).")
@click.option("--retries", type=click.IntRange(min=0), help="Retries on 429, 5xx and network errors (default: 4).")
@click.option(
    "--max-backoff", type=click.FloatRange(min=0), help="Longest wait between retries, seconds (default: 60)."
)
@click.option("--max-pages", type=click.IntRange(min=1), help="Most pages read per endpoint (default: 2000).")
@click.option("--legacy-events", is_flag=True, help="Read event names from /events/list instead of /events.")
@click.option("--allow-insecure-http", is_flag=True, help="Allow an http:// instance (local test servers only).")
@click.option("--verbose", "-v", is_flag=True, help="Log every request (the key is never shown).")
@click.option("--config", type=FILE, help="Settings file (default: .taxonomy.toml, searched upwards).")
def pull(**kwargs: Any) -> int:
    """Fetch custom attributes, events and products from the Braze REST API into a snapshot file.

    The REST API key is read from the BRAZE_API_KEY environment variable only. The snapshot is written
    atomically: on any failure the previous file is left as it was.
    """
    from taxonomy.commands.pull import PullOptions
    from taxonomy.commands.pull import pull as run

    return run(PullOptions(**kwargs))


@cli.command(context_settings=CONTEXT)
@click.argument("exports", nargs=-1, metavar="[EXPORT]...", type=FILE)
@click.option("--code", "code_paths", multiple=True, type=ANY_PATH, help="Also take names from a scan of these paths.")
@click.option("--output", "-o", default="taxonomy.yaml", show_default=True, type=ANY_PATH, help="File to write.")
@click.option("--workspace", help="The Braze workspace the taxonomy describes (default: the snapshot's).")
@click.option("--schema", metavar="URL", help="Schema location for the editor modeline.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--config", type=FILE, help="Settings file (for the code scan).")
def init(
    exports: tuple[str, ...],
    code_paths: tuple[str, ...],
    output: str,
    workspace: str | None,
    schema: str | None,
    force: bool,
    config: str | None,
) -> int:
    """Write a starter taxonomy from what Braze holds and/or what the code sends.

    EXPORT is a snapshot from `taxonomy pull`, a saved REST body or a dashboard CSV. Items Braze has are
    active (blocklisted ones removed); items only the code sends are planned; every description is a TODO.
    """
    from taxonomy.commands.init import init as run

    return run(exports, code_paths, output, workspace, schema, force, config)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=ANY_PATH)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output-file", "-o", type=FILE, help="Write the output to this file.")
@click.option("--config", type=FILE, help="Settings file (default: searched upwards).")
@click.option("--no-cache", is_flag=True, help="Do not read or write .taxonomy-cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), help="Worker processes (0: automatic).")
def scan(paths: tuple[str, ...], fmt: str, output_file: str | None, config: str | None, no_cache: bool,
         jobs: int | None) -> int:  # fmt: skip
    """List every Braze SDK call site in source code: events, purchases, attributes, identify, flush.

    PATHS are files or folders (default: the current folder); .gitignore and [scan] include/exclude apply.
    """
    from taxonomy.commands.scan import scan as run

    return run(paths, fmt, output_file, config, no_cache, jobs)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=ANY_PATH)
@click.option("--taxonomy", "taxonomy_file", type=FILE, help="The taxonomy file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .taxonomy-cache/.")
@report_options
def check(paths: tuple[str, ...], taxonomy_file: str | None, no_cache: bool, **kwargs: Any) -> int:
    """Hold the code's SDK call sites against the taxonomy: undeclared, unused, wrong properties and types.

    PATHS default to the project root (the settings file's folder, else the taxonomy file's); only a scan of the
    whole project reports items that are never sent. Silence one line with `// taxonomy: ignore[CODE]`.
    """
    from taxonomy.commands.check import check as run

    return run(paths, taxonomy_file, _report_options(kwargs), no_cache)


@cli.command("fmt", context_settings=CONTEXT)
@click.argument("file", required=False, type=FILE)
@click.option("--check", is_flag=True, help="Write nothing: show the diff and exit 1 if a file would change.")
@click.option("--config", type=FILE, help="Settings file (default: searched upwards).")
def fmt_(file: str | None, check: bool, config: str | None) -> int:
    """Rewrite the taxonomy (and its includes) in the canonical layout; comments and order are kept.

    Key order inside items, indentation and quoting are fixed; comments, blank lines, flow or block style and the
    order of names stay as written (`[fmt] sort` sorts names or enum values).
    """
    from taxonomy.commands.fmt import fmt as run

    return run(file, check, config)


@cli.command("docs", context_settings=CONTEXT)
@click.argument("file", required=False, type=FILE)
@click.option("--output", "-o", type=FOLDER, help="Folder to write (default: taxonomy-docs).")
@click.option(
    "--code", "code_paths", multiple=True, type=ANY_PATH, help="Show where each item is sent: scan these paths."
)
@click.option(
    "--export",
    "exports",
    multiple=True,
    type=FILE,
    help="Show each item's state in Braze (a snapshot, REST JSON or CSV export).",
)
@click.option("--config", type=FILE, help="Settings file (default: searched upwards).")
def docs_(
    file: str | None, output: str | None, code_paths: tuple[str, ...], exports: tuple[str, ...], config: str | None
) -> int:
    """Write the catalogue: a self-contained HTML page (search, filters) and a Markdown version.

    Every event, attribute and product with its description, owner, status, properties and types; deprecated
    items point at their replacement; with --code, where each is sent; with --export, its state in Braze.
    Open DIR/index.html from disk: it needs no server and no network.
    """
    from taxonomy.commands.docs import docs as run

    return run(file, output, config, code_paths, exports)


def _redact(text: str) -> str:
    """The Braze API key never reaches the terminal, whatever failed."""
    secret = os.environ.get("BRAZE_API_KEY", "").strip()  # pull strips it: the stripped form is what may leak
    if len(secret) < 4:
        return text
    from taxonomy.commands.pull import redact

    return redact(text, secret)


def run() -> NoReturn:
    """The process entry point (`taxonomy`, `python -m taxonomy`): `main`, without the cyclic garbage collector and
    without the interpreter's tear-down. A command is one short run that makes many long-lived records (a scan's
    call sites, a taxonomy's nodes): the collector would only walk them again and again (10 ms after a 20k-file
    scan), and the tear-down would free them one by one (25-50 ms, a tenth of a re-scan). Every file a command
    writes is closed (and its workers stopped) before `main` returns; what is left to do is flush the output."""
    gc.disable()
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # (closed, or its reader went away: nothing more to say)
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="taxonomy", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("taxonomy: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except TaxonomyError as exc:
        click.echo(_redact(f"taxonomy: error: {exc}"), err=True)
        code = EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error worth a message
        code = 0
    except Exception as exc:
        import platform

        if os.environ.get("TAXONOMY_DEBUG"):
            import traceback

            click.echo(_redact(traceback.format_exc()), err=True)
        click.echo(
            _redact(
                f"taxonomy: internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug in taxonomy {__version__} (Python {platform.python_version()}, {platform.system()}). "
                "Please report it with the command you ran; set TAXONOMY_DEBUG=1 to see the traceback."
            ),
            err=True,
        )
        code = EXIT_INTERNAL
    sys.exit(code if isinstance(code, int) else 0)
