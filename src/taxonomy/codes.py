"""The one table of codes.

Every check registers itself with `@rule(...)`: a code (a family prefix and three digits, never reused),
a dotted name, the default severity, and the function whose docstring is the rule's user documentation
(what it catches, a bad example, a good example). `taxonomy rule CODE` prints that docstring.

FAMILIES lists the modules that define rules, so that listing every rule imports them all; commands import
only the families they run.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from taxonomy.findings import Entity, Finding, Fix, Severity, Span

# prefix -> (family title, module that defines its rules)
FAMILIES: dict[str, tuple[str, str]] = {
    "SCH": ("schema: the file's structure and references", "taxonomy.checks.schema"),
    "DIF": ("diff: changes between two versions, by whom they break", "taxonomy.checks.diff"),
    "DRF": ("drift: the taxonomy against what Braze holds", "taxonomy.checks.drift"),
    "COD": ("code: SDK call sites against the taxonomy", "taxonomy.checks.code"),
    "FMT": ("layout: what `taxonomy fmt` and `lint --fix` keep tidy", "taxonomy.checks.layout"),
    "NAM": ("naming: case styles and the object-action grammar", "taxonomy.checks.naming"),
    "BRZ": ("braze: platform limits, reserved and standard names", "taxonomy.checks.braze"),
    "WHS": ("warehouse: table and column names per dialect", "taxonomy.checks.warehouse"),
    "DUP": ("duplicates: the same or nearly the same name twice", "taxonomy.checks.duplicates"),
    "USR": ("user rules: declared in a rules file or the taxonomy's `rules:`", "taxonomy.userrules"),
    "SUP": ("suppressions: `lint: {ignore: [...]}` that match nothing or name no rule", "taxonomy.suppress"),
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    scope: str  # which command runs it: lint | check | drift | diff | meta
    fixable: bool = False

    def finding(
        self,
        message: str,
        span: Span | None = None,
        entity: Entity | None = None,
        *,
        fix: Fix | None = None,
        data: Iterable[tuple[str, str]] = (),
    ) -> Finding:
        return Finding(self.code, message, self.severity, span, entity, fix, tuple(data))


@dataclass(frozen=True)
class Check:
    """A registered check: its rule, and the function that yields its findings from a context."""

    rule: Rule
    run: Callable[[Any], Iterable[Finding]]

    def __call__(self, ctx: Any) -> Iterable[Finding]:
        return self.run(ctx)

    def finding(
        self,
        message: str,
        span: Span | None = None,
        entity: Entity | None = None,
        *,
        fix: Fix | None = None,
        data: Iterable[tuple[str, str]] = (),
    ) -> Finding:
        return self.rule.finding(message, span, entity, fix=fix, data=data)


REGISTRY: dict[str, Rule] = {}
CHECKS: dict[str, Check] = {}
_BY_NAME: dict[str, Rule] = {}


def rule(
    code: str, name: str, *, severity: str = "error", scope: str = "lint", fixable: bool = False
) -> Callable[[Callable[[Any], Iterable[Finding]]], Check]:
    """Register the decorated check function; its docstring is the rule's documentation.

    scope says which command runs it (lint, check, drift, diff); checks whose findings are produced elsewhere
    (by the loader, the scanner) simply yield nothing.
    """
    if not re.fullmatch(r"[A-Z]{3}\d{3}", code):
        raise RuntimeError(f"bad code {code!r}: three capital letters and three digits")

    def register(func: Callable[[Any], Iterable[Finding]]) -> Check:
        if code in REGISTRY and REGISTRY[code].name != name:
            raise RuntimeError(f"code {code} is registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        summary = doc.splitlines()[0] if doc else name
        entry = Rule(code, name, Severity.parse(severity), summary, doc, scope, fixable)
        REGISTRY[code] = entry
        _BY_NAME[name] = entry
        check = Check(entry, func)
        CHECKS[code] = check
        return check

    return register


def checks_for(scope: str) -> list[Check]:
    """Every registered check of one scope, in code order."""
    return [CHECKS[code] for code in sorted(CHECKS) if CHECKS[code].rule.scope == scope]


def load_all() -> dict[str, Rule]:
    for _title, module in FAMILIES.values():
        importlib.import_module(module)
    return REGISTRY


def get(code: str) -> Rule:
    """A registered rule by code (e.g. SCH001) or dotted name (e.g. schema.unknown-key)."""
    load_all()
    wanted = code.strip()
    found = REGISTRY.get(wanted.upper()) or _BY_NAME.get(wanted.lower())
    if found is None:
        raise KeyError(wanted)
    return found


def matches(selector: str, found: Rule) -> bool:
    """A selector is a code, a code prefix (SCH, SCH0), a dotted name, or a name prefix (schema, schema.*)."""
    sel = selector.strip()
    if not sel:
        return False
    if sel.upper() == "ALL":
        return True
    if found.code.startswith(sel.upper()):
        return True
    name = sel.lower().removesuffix(".*").removesuffix("*")
    return found.name == name or found.name.startswith(name.rstrip(".") + ".")
