"""Naming: the case style of every name, and the object-action grammar of event names."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from taxonomy import codes, naming
from taxonomy.checks.names import all_names, status_of
from taxonomy.codes import rule
from taxonomy.engine import enabled
from taxonomy.findings import Finding
from taxonomy.lintcontext import LintContext
from taxonomy.resources import load_rule_pack

_LEGACY = ("deprecated", "removed")  # names already sent: renaming them is a migration, not a lint fix


@functools.cache
def _words_pack() -> dict[str, Any]:
    pack: dict[str, Any] = dict(load_rule_pack("naming.yaml"))
    for key in ("irregular_past", "not_past", "particles", "verbs", "prepositions"):
        pack[key] = frozenset(pack.get(key) or ())
    pack["past_of"] = dict(pack.get("past_of") or {})
    return pack


def _recommended_prefix() -> str:
    return str(load_rule_pack("braze.yaml")["ecommerce"]["prefix"])


@rule("NAM001", "naming.case-style")
def case_style(ctx: LintContext) -> Iterator[Finding]:
    """A name is not written in the style the taxonomy's `conventions` set for its kind.

    Braze is case sensitive: `AddToCart` on iOS and `add_to_cart` on web are two events. `conventions` names one
    style per kind: `events`, `attributes` (also nested keys), `properties` (event and purchase properties),
    `products`. Styles: snake_case, camelCase, PascalCase, kebab-case, "Title Case", "lower case",
    SCREAMING_SNAKE_CASE, or `{pattern: REGEX}` matched in full. Recommended `ecommerce.*` events and their
    properties are exempt (Braze fixes those names); deprecated and removed items are skipped (their names are
    already in your data). The message gives the name rewritten in the expected style.

    Bad:
        conventions: {events: snake_case}
        events:
          AddToCart: {description: User added a product to the cart.}
    Good:
        conventions: {events: snake_case}
        events:
          add_to_cart: {description: User added a product to the cart.}
    """
    conventions = ctx.taxonomy.conventions
    prefix = _recommended_prefix()
    braze = load_rule_pack("braze.yaml")
    dollar = tuple(braze["forbidden_prefixes"]) if enabled(codes.get("BRZ002"), ctx.config) else ()
    nested_bad = tuple(braze["nested_key_forbidden_characters"]) if enabled(codes.get("BRZ006"), ctx.config) else ()
    for name in all_names(ctx.taxonomy):
        style: str | None = getattr(conventions, name.convention)
        if style is None or naming.matches_style(name.name, style):
            continue
        if (dollar and name.name.startswith(dollar)) or (
            nested_bad and name.kind == "nested" and any(c in name.name for c in nested_bad)
        ):
            continue  # BRZ002 / BRZ006 report these names, with the rename
        if name.entity.kind == "event" and name.entity.name.startswith(prefix):
            continue
        if status_of(name, ctx.taxonomy) in _LEGACY:
            continue
        where = f"conventions.{name.convention}"
        if naming.is_regex_style(style):
            pattern = style[len(naming.REGEX_PREFIX) :]
            message = f"{name.describe()} does not match the pattern `{pattern}` set in {where}"
            yield case_style.finding(message, name.span, name.entity)
            continue
        better = naming.to_style(name.name, style)
        hint = f": rename it to `{better}`" if better and better != name.name else ""
        yield case_style.finding(
            f"{name.describe()} is not {style} ({where}){hint}",
            name.span,
            name.entity,
            data=(("suggestion", better),) if hint else (),
        )


def is_past_tense(word: str) -> bool:
    pack = _words_pack()
    if word in pack["irregular_past"]:
        return True
    return len(word) > 3 and word.endswith("ed") and word not in pack["not_past"]


def past_of(word: str) -> str:
    """A best guess at the past tense, for suggestions (irregular forms come from rules/naming.yaml)."""
    known: dict[str, str] = _words_pack()["past_of"]
    if word in known:
        return known[word]
    if word.endswith("ing") and len(word) > 5:
        return past_of(word[:-3])
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ied"
    return word + "ed"


def _action_index(parts: list[str]) -> int:
    """Where the action word is: the last word, or the one before a particle (`signed_up`, `logged_in`)."""
    particles = _words_pack()["particles"]
    if len(parts) >= 3 and parts[-1] in particles:
        return len(parts) - 2
    return len(parts) - 1


@rule("NAM002", "naming.object-action")
def object_action(ctx: LintContext) -> Iterator[Finding]:
    """An event name is not an object then a past-tense action, with `conventions: {event_grammar: object_action}`.

    Object-action names (`product_viewed`, `Product Viewed`, `order_completed`) sort by object, read the same on
    every platform and say that something happened. The check looks at the words of the name in any style: at least
    two words, the action last (a trailing particle is fine: `account_signed_up`) and in the past tense (-ed, or an
    irregular form from rules/naming.yaml such as `sent`, `reset`). Recommended `ecommerce.*` events, deprecated and
    removed events are skipped.

    Bad:
        events:
          view_product: {description: User opened a product page.}
          checkout_start: {description: User opened the checkout.}
    Good:
        events:
          product_viewed: {description: User opened a product page.}
          checkout_started: {description: User opened the checkout.}
    """
    conventions = ctx.taxonomy.conventions
    if conventions.event_grammar != "object_action":
        return
    style = conventions.events if conventions.events and not naming.is_regex_style(conventions.events) else None
    prefix = _recommended_prefix()
    for event in ctx.taxonomy.events.values():
        if event.name.startswith(prefix) or event.status in ("deprecated", "removed"):
            continue
        parts = naming.words(event.name)
        message = _grammar_problem(event.name, parts, style or naming.detect_styles(event.name)[:1] or ["snake_case"])
        if message:
            yield object_action.finding(message, event.span, _entity(event.name))


def is_base_verb(word: str) -> bool:
    pack = _words_pack()
    return word in pack["verbs"] or word in pack["past_of"]


def _grammar_problem(name: str, parts: list[str], style: str | list[str]) -> str | None:
    chosen = style if isinstance(style, str) else style[0]
    pack = _words_pack()

    def spell(words: list[str]) -> str:
        return naming.to_style(" ".join(words), chosen)

    if len(parts) < 2:
        word = parts[0] if parts else name
        action = word if is_past_tense(word) else past_of(word) if is_base_verb(word) else None
        example = spell(["item", action]) if action else spell([word, "completed"])
        return (
            f"event `{name}` is one word; object_action names are an object then a past-tense action (e.g. `{example}`)"
        )
    index = _action_index(parts)
    if parts[index] in pack["particles"] and index == len(parts) - 1 and len(parts) == 2:
        index = 0  # `signed_up`: the action is the first word and the object is missing
    action = parts[index]
    if is_past_tense(action):
        if index == 0:
            example = spell(["account", *parts])
            return f"event `{name}` has no object before its action: name what it happened to (e.g. `{example}`)"
        return None
    first = parts[0]
    if is_base_verb(first) or is_past_tense(first):
        particles = [w for w in parts[1:] if w in pack["particles"]][-1:]
        objects = [w for w in parts[1:] if w not in pack["prepositions"] and w not in pack["particles"]]
        verb = first if is_past_tense(first) else past_of(first)
        if not objects:
            return (
                f"event `{name}` has no object and its action is not in the past tense"
                f" (e.g. `{spell(['account', verb, *particles])}`)"
            )
        return f"event `{name}` puts the action first; object_action names end with it: `{spell([*objects, verb])}`"
    if is_base_verb(action):
        fixed = [*parts[:index], past_of(action), *parts[index + 1 :]]
        return (
            f"event `{name}`: the action `{action}` is not in the past tense; object_action names say what happened:"
            f" `{spell(fixed)}`"
        )
    return (
        f"event `{name}` does not end with a past-tense action (such as `viewed`, `added`, `sent`):"
        " object_action names are an object then what happened to it"
    )


def _entity(name: str) -> Any:
    from taxonomy.findings import Entity

    return Entity("event", name)
