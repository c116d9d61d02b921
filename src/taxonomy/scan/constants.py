"""Constants: names that a call site's file does not define are looked up among the constants of every parsed file
of the same language family; when none defines them, a second pass follows the imports, then reads only the files
whose bytes define the missing names, and collects their constants. A name still unknown (or defined twice with
different values) stays dynamic, with its expression.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from taxonomy.scan.languages import FAMILIES, SUFFIXES
from taxonomy.scan.records import CallSite, Value
from taxonomy.scan.scanner import FileOutcome, referenced_roots
from taxonomy.scan.settings import ScanSettings

if TYPE_CHECKING:
    from taxonomy.scan.cache import File, ScanCache

_AMBIGUOUS = Value("dynamic", expr="(defined more than once)")


def constant_table(outcomes: Any) -> dict[str, dict[str, Value]]:
    """family -> dotted name -> value, from every file that was parsed (ambiguous names marked dynamic)."""
    table: dict[str, dict[str, Value]] = {}
    for outcome in outcomes:
        family = table.setdefault(FAMILIES.get(outcome.language, outcome.language), {})
        for name, value in outcome.constants.items():
            known = family.get(name)
            if known is None:
                family[name] = value
            elif known.literal != value.literal or known.type != value.type:
                family[name] = _AMBIGUOUS
    return table


def _missing(outcomes: Any, table: dict[str, dict[str, Value]]) -> dict[str, dict[str, set[str]]]:
    """family -> root name of a constant reference nobody defined yet -> absolute paths of the files using it."""
    missing: dict[str, dict[str, set[str]]] = {}
    for absolute, outcome in outcomes:
        family = FAMILIES.get(outcome.language, outcome.language)
        for site in outcome.sites:
            for part in site.pending:
                if part.startswith("r:"):
                    ref = part[2:]
                    if ref not in outcome.constants and ref not in table.get(family, {}):
                        missing.setdefault(family, {}).setdefault(ref.split(".", 1)[0], set()).add(absolute)
    return missing


def imported_definers(absolute: str, outcome: FileOutcome) -> list[str]:
    """The files that the imports of `outcome`'s file point at for the constants it uses but does not define: those
    the second pass will read unless a parsed file defines the names (so a runner may start on them early)."""
    family = FAMILIES.get(outcome.language, outcome.language)
    roots = referenced_roots(outcome)
    return [path for root in sorted(roots) for path in _module_files_of(family, outcome.imports.get(root), absolute)]


def _module_files_of(family: str, module: str | None, importer: str) -> list[str]:
    return _module_files(family, module, os.path.dirname(importer)) if module else []


_JS_SUFFIXES = ("", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.tsx", "/index.js")


@functools.lru_cache(maxsize=4096)  # (the files of a folder often import the same modules)
def _module_files(family: str, module: str, folder: str) -> list[str]:
    """Files an import of `module` from a file in `folder` may point at (JS relative paths, Python dotted modules)."""
    found: list[str] = []
    if family == "js" and module.startswith("."):
        base = os.path.normpath(os.path.join(folder, module))
        found = [base + suffix for suffix in _JS_SUFFIXES if os.path.isfile(base + suffix)]
    elif family == "python" and module:
        level = len(module) - len(module.lstrip("."))
        parts = module.lstrip(".").split(".") if module.lstrip(".") else []
        if level:
            bases = [os.path.normpath(os.path.join(folder, *[".."] * (level - 1)))]
        else:  # absolute import: try every ancestor folder as the import root
            bases, current = [], folder
            while True:
                bases.append(current)
                parent = os.path.dirname(current)
                if parent == current:
                    break
                current = parent
        for base in bases:
            stem = os.path.join(base, *parts)
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                if parts and os.path.isfile(candidate):
                    found.append(candidate)
            if found:
                break
    return found


def second_pass(
    files: list[File],
    outcomes: dict[str, FileOutcome],
    table: dict[str, dict[str, Value]],
    settings: ScanSettings,
    cache: ScanCache | None,
    constants_of: Callable[[str, bytes], dict[str, Value]],
) -> None:
    """`constants_of(adapter spec, source)`: the constants a file defines (see runner.Runner.constants)."""
    missing = _missing(outcomes.items(), table)
    if not missing:
        return
    by_suffix = {suffix: spec for suffix, (_lang, spec) in SUFFIXES.items()}
    relative: dict[str, str] = {}  # (made on first need: a dict of every file costs a big tree ~10 ms)
    done: set[str] = set()

    def collect(absolute: str, family: str, data: bytes | None = None) -> None:
        done.add(absolute)
        outcome = outcomes.get(absolute)
        if outcome is not None and (outcome.parsed or outcome.skipped):
            return
        suffix = os.path.splitext(absolute)[1].lower()
        spec = by_suffix.get(suffix)
        if spec is None:
            return
        try:
            if data is None:
                with open(absolute, "rb") as handle:
                    data = handle.read(settings.max_size + 1)
            if len(data) > settings.max_size:
                return
            constants = constants_of(spec, data)
        except (OSError, ValueError, RecursionError):
            return
        target = table.setdefault(family, {})
        for name, value in constants.items():
            known = target.get(name)
            target[name] = value if known is None or known == value else _AMBIGUOUS
        if constants and not relative:
            relative.update((path, rel) for path, rel, _suffix in files)
        if constants and absolute in relative:
            if outcome is None:
                outcome = outcomes[absolute] = FileOutcome(relative[absolute], SUFFIXES[suffix][0])
            outcome.constants = constants
            if cache is not None:
                from taxonomy.scan.payload import encode

                cache.put(absolute, encode(outcome))

    # 1. Follow the imports: `import { Events } from "./events"`, `from shop.events import SIGNED_UP`.
    for family, names in missing.items():
        for name, importers in names.items():
            for importer in importers:
                for path in _module_files_of(family, outcomes[importer].imports.get(name), importer):
                    if path not in done:
                        collect(path, family)
    missing = _missing(outcomes.items(), table)
    if not missing:
        return
    # 2. Otherwise (languages without file imports: Kotlin, Swift, ...), files whose bytes define a missing name.
    patterns = {family: _definition_pattern(set(names)) for family, names in missing.items()}
    for absolute, _rel, suffix in files:
        language, _spec = SUFFIXES[suffix]
        family = FAMILIES.get(language, language)
        if family not in patterns or absolute in done:
            continue
        outcome = outcomes.get(absolute)
        if outcome is not None and (outcome.parsed or outcome.skipped):
            continue
        try:
            with open(absolute, "rb") as handle:
                data = handle.read(settings.max_size + 1)
        except OSError:
            continue
        if patterns[family].search(data):
            collect(absolute, family, data)


def _definition_pattern(names: set[str]) -> re.Pattern[bytes]:
    """Bytes that look like a definition of one of `names` (`NAME =`, `NAME: "x"`, `object NAME {`, `enum NAME {`,
    `#define NAME`), not a mere use: files that only import a name are not parsed for it."""
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names))
    return re.compile(rb"\b(?:" + alternatives + rb")\b\s*(?:[:=]|\{|<)|define\s+(?:" + alternatives + rb")\b")


def resolve(site: CallSite, local: dict[str, Value], project: dict[str, Value]) -> CallSite:
    if not site.pending:
        return site
    parts: list[str] = []
    for part in site.pending:
        if part.startswith("s:"):
            parts.append(part[2:])
            continue
        ref = part[2:]
        value = local.get(ref) or project.get(ref)
        if value is None or value.type != "string":
            return site._replace(pending=())
        parts.append(str(value.literal))
    return site._replace(name="".join(parts), pending=())
