"""User rules: extra naming and completeness rules declared in YAML, Spectral-style, without Python.

A rule set is a mapping with `extends` (shipped packs under rules/packs/, or other rule files) and `rules`
(id -> rule, or id -> off | error | warning | info to switch a rule off or change its severity; the id may be a
rule from an extended pack or a built-in code such as NAM002). It is read from the file named by `[lint] rules`
in the config and from the taxonomy's top-level `rules:` section (which wins on equal ids).

    rules:
      event-owner:
        description: Every event names the team that owns it.
        given: events                  # events | attributes | properties | purchase_properties | products, or a list
        match: "checkout_*"            # optional glob on the name
        then: {field: owner, function: required-field}
        severity: error
        message: "{kind} `{name}` has no owner"

Every finding of a user rule has the code USR001; the rule's id is in the message and in `data` ("rule").
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from taxonomy import codes, naming
from taxonomy.codes import rule
from taxonomy.config import Config
from taxonomy.errors import TaxonomyError
from taxonomy.findings import Entity, Finding, Severity, Span
from taxonomy.lintcontext import LintContext
from taxonomy.model import Item, Property, Taxonomy, walk_properties
from taxonomy.yamlsource import YList, YMap

KINDS = ("events", "attributes", "properties", "purchase_properties", "products")
FUNCTIONS = ("casing", "pattern", "not-pattern", "max-length", "enum", "required-field")
LEVELS = ("off", "error", "warning", "info")
_RULE_KEYS = {"description", "given", "match", "exclude", "then", "severity", "message"}
_THEN_KEYS = {"field", "function", "functionOptions"}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


@dataclass(frozen=True)
class UserRule:
    id: str
    given: tuple[str, ...]
    function: str
    options: Mapping[str, Any]
    severity: Severity
    source: str  # the file that defines it (a pack: "pack:recommended")
    field: str | None = None
    match: str | None = None
    exclude: str | None = None
    message: str | None = None
    description: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[UserRule, ...] = ()
    builtin_off: tuple[str, ...] = ()  # built-in codes switched off by a rule set
    builtin_severity: Mapping[str, Severity] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def ids(self) -> set[str]:
        return {r.id for r in self.rules}

    def configure(self, config: Config) -> Config:
        """Built-in rules switched off or re-levelled in a rule set; command-line --select/--ignore still apply."""
        if not self.builtin_off and not self.builtin_severity:
            return config
        severity = {**self.builtin_severity, **config.severity}
        return replace(config, ignore=config.ignore + self.builtin_off, severity=severity)


# ------------------------------------------------------------------------------------------------- loading


def packs() -> dict[str, Path]:
    """Shipped packs: name -> file (rules/packs/<name>.yaml)."""
    from taxonomy.resources import rules_dir

    folder = rules_dir() / "packs"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def load_ruleset(taxonomy: Taxonomy, config: Config) -> RuleSet:
    """The project's rules: the config's `[lint] rules` file, then the taxonomy's `rules:` section."""
    merged: dict[str, UserRule | str] = {}
    sources: list[str] = []
    setting = config.section("lint").get("rules")
    if setting is not None:
        if not isinstance(setting, str) or not setting:
            raise TaxonomyError("[lint] rules must be the path of a rules file", file=config.source)
        path = config.root / setting
        _load_file(path, merged, sources, ())
    section = taxonomy.sections.get("rules")
    if isinstance(section, YMap):
        _load_document(section, taxonomy.path, taxonomy.path, Path(taxonomy.path).parent, merged, sources, ())
    return _finish(merged, tuple(sources))


def load_pack(name: str) -> RuleSet:
    """One shipped pack on its own (for `taxonomy rules`)."""
    merged: dict[str, UserRule | str] = {}
    sources: list[str] = []
    _load_extends(name, None, Path("."), merged, sources, ())
    return _finish(merged, tuple(sources))


def _finish(merged: dict[str, UserRule | str], sources: tuple[str, ...]) -> RuleSet:
    rules = tuple(r for r in merged.values() if isinstance(r, UserRule))
    off: list[str] = []
    severity: dict[str, Severity] = {}
    for key, value in merged.items():
        if isinstance(value, str) and key.startswith("builtin:"):
            code = key.removeprefix("builtin:")
            if value == "off":
                off.append(code)
            else:
                severity[code] = Severity.parse(value)
    return RuleSet(rules, tuple(off), severity, sources)


def _load_file(path: Path, merged: dict[str, UserRule | str], sources: list[str], chain: tuple[Path, ...]) -> None:
    from taxonomy.paths import display_path
    from taxonomy.yamlsource import load_file

    resolved = path.resolve()
    shown = display_path(path)
    if resolved in chain:
        raise TaxonomyError(f"rules files extend each other in a cycle ({shown})", file=shown)
    data = load_file(path, shown)
    if data is None:
        return
    if not isinstance(data, YMap):
        raise TaxonomyError("a rules file is a mapping with `extends` and `rules`", file=shown, line=1, column=1)
    _load_document(data, shown, shown, path.parent, merged, sources, (*chain, resolved))


def _load_document(
    data: YMap,
    shown: str,
    source: str,
    folder: Path,
    merged: dict[str, UserRule | str],
    sources: list[str],
    chain: tuple[Path, ...],
) -> None:
    from taxonomy.fuzzy import did_you_mean

    for key in data:
        if key not in ("extends", "rules", "description"):
            span = data.key_spans[key]
            raise TaxonomyError(
                f"unknown key `{key}` in a rule set{did_you_mean(key, ['extends', 'rules', 'description'])}",
                file=span.file,
                line=span.line,
                column=span.column,
                hint="a rule set has `extends:` (packs or files) and `rules:` (id -> rule)",
            )
    extends = data.get("extends")
    if isinstance(extends, str):
        extends = [extends]
    if extends is not None:
        if not isinstance(extends, list):
            _fail("`extends` must be a pack name or a list of them", data.value_spans["extends"])
        spans = extends.item_spans if isinstance(extends, YList) else []
        for position, target in enumerate(extends):
            span = spans[position] if position < len(spans) else data.value_spans["extends"]
            if not isinstance(target, str) or not target:
                _fail("each `extends` entry is a pack name or a rules file path", span)
            _load_extends(target, span, folder, merged, sources, chain)
    sources.append(source)
    rules = data.get("rules")
    if rules is None:
        return
    if not isinstance(rules, YMap):
        _fail("`rules` must be a mapping of rule id -> rule", data.value_spans["rules"])
    for rule_id, body in rules.items():
        key_span = rules.key_spans[rule_id]
        value_span = rules.value_spans[rule_id]
        if not _ID.fullmatch(rule_id):
            _fail(f"rule id `{rule_id}` must be letters, digits, `-`, `_`, `.` or `:`", key_span)
        if isinstance(body, str) or body is False:
            level = "off" if body is False else body.strip().lower()
            if level not in LEVELS:
                _fail(f"rule `{rule_id}`: `{body}` is not one of {', '.join(LEVELS)}", value_span)
            _switch(rule_id, level, key_span, merged)
            continue
        merged[rule_id] = _parse_rule(rule_id, body, key_span, value_span, source)


def _switch(rule_id: str, level: str, span: Span, merged: dict[str, UserRule | str]) -> None:
    from taxonomy.fuzzy import did_you_mean

    existing = merged.get(rule_id)
    if isinstance(existing, UserRule):
        if level == "off":
            del merged[rule_id]
        else:
            merged[rule_id] = replace(existing, severity=Severity.parse(level))
        return
    try:
        builtin = codes.get(rule_id)
    except KeyError:
        known = [k for k, v in merged.items() if isinstance(v, UserRule)] + list(codes.load_all())
        _fail(
            f"rule `{rule_id}` is set to `{level}` but no extended pack, file or built-in check defines it"
            f"{did_you_mean(rule_id, known)}",
            span,
        )
    merged[f"builtin:{builtin.code}"] = level


def _load_extends(
    target: str,
    span: Span | None,
    folder: Path,
    merged: dict[str, UserRule | str],
    sources: list[str],
    chain: tuple[Path, ...],
) -> None:
    from taxonomy.fuzzy import did_you_mean
    from taxonomy.yamlsource import load_file

    shipped = packs()
    looks_like_path = "/" in target or target.endswith((".yaml", ".yml"))
    if not looks_like_path:
        name = target.removeprefix("taxonomy:")
        if name not in shipped:
            message = f"no shipped rule pack `{target}`{did_you_mean(name, shipped)}"
            if span is None:
                raise TaxonomyError(message, hint=f"shipped packs: {', '.join(shipped) or 'none'}")
            _fail(message + f" (shipped: {', '.join(shipped)})", span)
        path = shipped[name]
        if path.resolve() in chain:
            raise TaxonomyError(f"rule packs extend each other in a cycle ({name})")
        data = load_file(path, f"rules/packs/{path.name}")
        if isinstance(data, YMap):
            _load_document(
                data, f"rules/packs/{path.name}", f"pack:{name}", path.parent, merged, sources, (*chain, path.resolve())
            )
        return
    path = folder / target
    if not path.is_file():
        if span is None:
            raise TaxonomyError(f"rules file {target!r} not found")
        _fail(f"rules file {target!r} not found", span)
    _load_file(path, merged, sources, chain)


def _fail(message: str, span: Span) -> Any:
    raise TaxonomyError(message, file=span.file, line=span.line, column=span.column)


def _parse_rule(rule_id: str, body: Any, key_span: Span, value_span: Span, source: str) -> UserRule:
    from taxonomy.fuzzy import did_you_mean

    if not isinstance(body, YMap):
        _fail(
            f"rule `{rule_id}` must be a mapping (given, then, severity, message) or one of {', '.join(LEVELS)}",
            value_span,
        )
    for key in body:
        if key not in _RULE_KEYS:
            _fail(f"unknown key `{key}` in rule `{rule_id}`{did_you_mean(key, _RULE_KEYS)}", body.key_spans[key])

    def at(key: str) -> Span:
        found: Span = body.value_spans.get(key, key_span)
        return found

    given = body.get("given")
    given_list = [given] if isinstance(given, str) else given
    if not isinstance(given_list, list) or not given_list:
        _fail(f"rule `{rule_id}` needs `given`: one or more of {', '.join(KINDS)}", at("given"))
    for kind in given_list:
        if kind not in KINDS:
            _fail(
                f"rule `{rule_id}`: `given` {kind!r} is not one of {', '.join(KINDS)}{did_you_mean(str(kind), KINDS)}",
                at("given"),
            )
    then = body.get("then")
    if not isinstance(then, YMap):
        _fail(f"rule `{rule_id}` needs `then: {{function: ..., functionOptions: ...}}`", at("then"))
    for key in then:
        if key not in _THEN_KEYS:
            _fail(
                f"unknown key `{key}` in `then` of rule `{rule_id}`{did_you_mean(key, _THEN_KEYS)}", then.key_spans[key]
            )
    function = then.get("function")
    if function not in FUNCTIONS:
        _fail(
            f"rule `{rule_id}`: `function` must be one of {', '.join(FUNCTIONS)}"
            f"{did_you_mean(str(function), FUNCTIONS)}",
            then.value_spans.get("function", at("then")),
        )
    options = then.get("functionOptions") or {}
    if not isinstance(options, dict):
        _fail(f"rule `{rule_id}`: `functionOptions` must be a mapping", then.value_spans["functionOptions"])
    field_name = then.get("field")
    if field_name is not None and not isinstance(field_name, str):
        _fail(f"rule `{rule_id}`: `field` must be a key name such as owner", then.value_spans["field"])
    _check_options(rule_id, function, options, field_name, then.value_spans.get("functionOptions", at("then")))
    severity = body.get("severity", "warning")
    if severity not in ("error", "warning", "info"):
        _fail(f"rule `{rule_id}`: `severity` must be error, warning or info", at("severity"))
    match = body.get("match")
    if match is not None and not isinstance(match, str):
        _fail(f"rule `{rule_id}`: `match` must be a glob such as `checkout_*`", at("match"))
    exclude = body.get("exclude")
    if exclude is not None and not isinstance(exclude, str):
        _fail(f"rule `{rule_id}`: `exclude` must be a glob such as `ecommerce.*`", at("exclude"))
    message = body.get("message")
    if message is not None and not isinstance(message, str):
        _fail(f"rule `{rule_id}`: `message` must be text", at("message"))
    description = body.get("description")
    return UserRule(
        id=rule_id,
        given=tuple(given_list),
        function=function,
        options=dict(options),
        severity=Severity.parse(severity),
        source=source,
        field=field_name,
        match=match,
        exclude=exclude,
        message=message,
        description=description if isinstance(description, str) else None,
        span=key_span,
    )


def _check_options(rule_id: str, function: str, options: dict[str, Any], field_name: Any, span: Span) -> None:
    def need(key: str, kind: type | tuple[type, ...], what: str) -> None:
        value = options.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            _fail(f"rule `{rule_id}`: `{function}` needs `functionOptions: {{{key}: {what}}}`", span)

    if function == "casing":
        need("type", str, "snake_case")
        style = options["type"]
        if style not in naming.STYLES:
            _fail(f"rule `{rule_id}`: casing type {style!r} is not one of {', '.join(naming.STYLES)}", span)
    elif function in ("pattern", "not-pattern"):
        need("match", str, "REGEX")
        try:
            re.compile(options["match"])
        except re.error as exc:
            _fail(f"rule `{rule_id}`: invalid regular expression: {exc}", span)
    elif function == "max-length":
        need("max", int, "N")
    elif function == "enum":
        need("values", list, "[a, b]")
    elif function == "required-field" and not field_name:
        _fail(f"rule `{rule_id}`: required-field needs `then: {{field: description}}`", span)


# ------------------------------------------------------------------------------------------------- running


@dataclass(frozen=True)
class _Target:
    kind: str  # singular, for messages: event, attribute, property, purchase property, product
    name: str
    node: Item | Property
    span: Span
    entity: Entity


def _targets(taxonomy: Taxonomy, kind: str) -> Iterator[_Target]:
    if kind == "events":
        for e in taxonomy.events.values():
            yield _Target("event", e.name, e, e.span, Entity("event", e.name))
    elif kind == "attributes":
        for a in taxonomy.attributes.values():
            yield _Target("attribute", a.name, a, a.span, Entity("attribute", a.name))
    elif kind == "products":
        for p in taxonomy.products.values():
            yield _Target("product", p.name, p, p.span, Entity("product", p.name))
    elif kind == "properties":
        for e in taxonomy.events.values():
            for path, prop in walk_properties(e.properties):
                yield _Target("property", path, prop, prop.span, Entity("event", e.name))
    elif kind == "purchase_properties":
        for path, prop in walk_properties(taxonomy.purchase_properties):
            yield _Target("purchase property", path, prop, prop.span, Entity("purchase_property", path.split(".")[0]))


def _values(target: _Target, field_name: str | None) -> tuple[list[str], Span] | None:
    """The strings a rule tests: the name, or a field's value(s). None when the field is absent."""
    if field_name is None:
        # properties are named by their dotted path; the test reads the key itself
        key = target.name.rsplit(".", 1)[-1] if target.kind.endswith("property") else target.name
        return [key], target.span
    value = getattr(target.node, field_name, None)
    span = target.node.at(field_name) if field_name in target.node.fields else target.span
    if value is None or value == () or value == "":
        return None
    items = list(value) if isinstance(value, tuple) else [value]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in items], span


def _problem(rule_: UserRule, values: list[str]) -> tuple[str, str] | None:
    """(the failing value, why) or None."""
    options = rule_.options
    for value in values:
        if rule_.function == "casing" and not naming.matches_style(value, options["type"]):
            return value, f"is not {options['type']}"
        if rule_.function == "pattern" and not re.search(options["match"], value):
            return value, f"does not match `{options['match']}`"
        if rule_.function == "not-pattern" and re.search(options["match"], value):
            return value, f"matches `{options['match']}`"
        if rule_.function == "max-length" and len(value) > options["max"]:
            return value, f"is {len(value)} characters long (at most {options['max']})"
        if rule_.function == "enum" and value not in [str(v) for v in options["values"]]:
            return value, f"is not one of {', '.join(str(v) for v in options['values'])}"
    return None


def evaluate(taxonomy: Taxonomy, ruleset: RuleSet) -> Iterator[Finding]:
    for rule_ in ruleset.rules:
        for kind in rule_.given:
            for target in _targets(taxonomy, kind):
                if rule_.match and not fnmatch.fnmatchcase(target.name, rule_.match):
                    continue
                if rule_.exclude and fnmatch.fnmatchcase(target.name, rule_.exclude):
                    continue
                found = _values(target, rule_.field)
                if found is None:
                    if rule_.function == "required-field":
                        problem = f"has no `{rule_.field}`"
                        span = target.span
                    else:
                        continue
                else:
                    values, span = found
                    if rule_.function == "required-field":
                        continue
                    detail = _problem(rule_, values)
                    if detail is None:
                        continue
                    value, reason = detail
                    problem = f"`{rule_.field}` `{value}` {reason}" if rule_.field else reason
                default = f"{target.kind} `{target.name}` {problem}"
                text = _format(rule_.message, target, rule_, problem) if rule_.message else default
                yield Finding(
                    user_rule.rule.code,
                    f"{text} [{rule_.id}]",
                    rule_.severity,
                    span,
                    target.entity,
                    None,
                    (("rule", rule_.id), ("source", rule_.source)),
                )


def _format(template: str, target: _Target, rule_: UserRule, problem: str) -> str:
    values = {
        "name": target.name,
        "kind": target.kind,
        "field": rule_.field or "name",
        "rule": rule_.id,
        "problem": problem,
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template  # a message with other braces is shown as written


def rule_id_of(finding: Finding) -> str | None:
    return dict(finding.data).get("rule")


@rule("USR001", "user.rule", severity="warning")
def user_rule(ctx: LintContext) -> Iterator[Finding]:
    """A rule from your own rule set (a `[lint] rules` file, the taxonomy's `rules:` section, or a shipped pack).

    Each user rule's id is shown in brackets after the message and kept in the finding's data; its severity is the
    one the rule declares. Switch one rule off in your rule set (`rules: {event-owner: off}`), suppress it on an
    item by id (`lint: {ignore: [event-owner]}`), or turn them all off with `--ignore USR001`.

    Bad (with `extends: [recommended]`):
        events:
          product_viewed: {}
    Good:
        events:
          product_viewed: {description: User opened a product page., owner: catalogue}
    """
    ruleset = ctx.user_rules if ctx.user_rules is not None else load_ruleset(ctx.taxonomy, ctx.config)
    return evaluate(ctx.taxonomy, ruleset)
