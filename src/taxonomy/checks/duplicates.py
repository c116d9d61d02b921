"""Near-duplicate names: the same name spelt twice (error) and names one typo or one plural apart (warning).

Compared among siblings only: events with events, attributes with attributes, products with products, the
properties of one event, purchase properties, the keys of one nested object. A typo is one edit (OSA distance)
apart without case and separators, so candidates are blocked by length (within one character) and scored in C by
rapidfuzz's `process.extract`; 5,000 event names take about a second on a busy machine. Property names repeat
across events, so their pairs are computed once over the distinct names and looked up per event.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from taxonomy import naming
from taxonomy.checks.names import Name, all_names
from taxonomy.codes import rule
from taxonomy.errors import TaxonomyError
from taxonomy.findings import Finding
from taxonomy.lintcontext import LintContext
from taxonomy.model import Item
from taxonomy.resources import load_rule_pack

DEFAULT_SIMILARITY = 85.0
MIN_TYPO_WORD = 5  # `cart` / `card` are different words; `prodcut` / `product` is a typo
_DIGITS = re.compile(r"\d+")


def similarity_threshold(ctx: LintContext) -> float:
    """`[lint] similarity = 85` (50-100): the rapidfuzz ratio a pair must reach to be a DUP002 candidate."""
    value = ctx.config.section("lint").get("similarity", DEFAULT_SIMILARITY)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 50 <= value <= 100:
        raise TaxonomyError(f"[lint] similarity must be a number from 50 to 100; got {value!r}", file=ctx.config.source)
    return float(value)


def _groups(ctx: LintContext) -> dict[tuple[str, str, str], list[Name]]:
    """Sibling groups: (kind, owner, parent path) -> names in file order."""
    groups: dict[tuple[str, str, str], list[Name]] = defaultdict(list)
    for name in all_names(ctx.taxonomy):
        if name.kind in ("event", "attribute", "product", "purchase_property"):
            groups[(name.kind, "", "")].append(name)
        else:
            groups[(name.kind, f"{name.entity.kind}:{name.entity.name}", name.parent)].append(name)
    return groups


def _where(name: Name) -> str:
    return f"{name.span.file}:{name.span.line}"


def _order(name: Name) -> tuple[str, int, int]:
    return (name.span.file, name.span.line, name.span.column)


@rule("DUP001", "duplicate.same-name")
def same_name(ctx: LintContext) -> Iterator[Finding]:
    """Two names differ only in case or separators: `signed_up`, `signedUp`, `Signed Up`, `signed-up`.

    Braze is case sensitive and creates one event or attribute per spelling, so segments and reports split
    silently. Compared among siblings (events, attributes, products, the properties of one event, the keys of
    one object). The later name is reported, pointing at the first.

    Bad:
        attributes:
          loyalty_points: {type: integer}
          loyaltyPoints: {type: integer}
    Good:
        attributes:
          loyalty_points: {type: integer}
    """
    for names in _groups(ctx).values():
        if len(names) < 2:
            continue
        first_of: dict[str, Name] = {}
        for name in sorted(names, key=_order):
            key = naming.squash(name.name)
            first = first_of.setdefault(key, name)
            if first is name or _renamed(first, name):
                continue
            yield same_name.finding(
                f"{name.describe()} differs from `{first.name}` ({_where(first)}) only in case or separators;"
                " Braze would record two different names: keep one spelling",
                name.span,
                name.entity,
                data=(("duplicate_of", first.name),),
            )


@rule("DUP002", "duplicate.similar-name", severity="warning")
def similar_name(ctx: LintContext) -> Iterator[Finding]:
    """Two names are one typo, or one plural, apart: `product_viewed` and `prodcut_viewed`, `coupon` and `coupons`.

    Usually a misspelling that would create a second event or attribute. Compared among siblings, ignoring case
    and separators. Candidates reach `[lint] similarity` (default 85, a rapidfuzz ratio 0-100); a candidate is
    reported when one word differs by a single slip (an inserted, missing, wrong or swapped letter, in a word of
    five letters or more: `prodcut`, `viewd`) or by a plural. Names that differ only in their numbers
    (`level_1_completed`, `level_2_completed`) or in two real words (`plan_renamed`, `loan_renamed`) are fine.
    The likely typo is reported (its rarest word is used less across the taxonomy), with a "did you mean".
    Intentional pairs can be suppressed on the item: `lint: {ignore: [DUP002], reason: ...}`.

    Bad:
        events:
          product_viewed: {}
          prodcut_viewed: {}
    Good:
        events:
          product_viewed: {}
    """
    threshold = similarity_threshold(ctx)
    groups = _groups(ctx)
    usage = Counter(word for name in all_names(ctx.taxonomy) for word in naming.words(name.name))
    # Properties and nested keys reuse a small pool of names: score that pool once.
    pooled = {_spaced(n.name) for key, names in groups.items() if key[1] for n in names}
    pool_pairs = similar_pairs(pooled, threshold)
    for key, names in groups.items():
        if len(names) < 2:
            continue
        by_key: dict[str, Name] = {}
        for name in sorted(names, key=_order):
            by_key.setdefault(_spaced(name.name), name)
        pairs = pool_pairs if key[1] else similar_pairs(by_key, threshold)
        for left, right, reason in _present(pairs, by_key):
            first, second = _typo_last(by_key[left], by_key[right], usage)
            if naming.squash(first.name) == naming.squash(second.name) or _renamed(first, second):
                continue
            yield similar_name.finding(
                f"{second.describe()} is {reason} `{first.name}` ({_where(first)}): did you mean `{first.name}`?",
                second.span,
                second.entity,
                data=(("similar_to", first.name),),
            )


def _present(pairs: dict[str, list[tuple[str, str]]], by_key: dict[str, Name]) -> Iterator[tuple[str, str, str]]:
    for left in by_key:
        for right, reason in pairs.get(left, ()):
            if right in by_key and left < right:
                yield left, right, reason


def _typo_last(a: Name, b: Name, usage: Counter[str]) -> tuple[Name, Name]:
    """(the intended name, the likely typo): the typo's rarest word is used less across the taxonomy
    (`prodcut` appears once, `product` everywhere); on a tie, the later name is reported."""
    first, second = sorted((a, b), key=_order)

    def rarity(name: Name) -> int:
        return min((usage[w] for w in naming.words(name.name)), default=0)

    return (second, first) if rarity(first) < rarity(second) else (first, second)


def _renamed(first: Name, second: Name) -> bool:
    """A deprecated item renamed to the other is the intended pair, not a typo."""
    a, b = first.node, second.node
    return isinstance(a, Item) and isinstance(b, Item) and (a.renamed_to == b.name or b.renamed_to == a.name)


@functools.cache
def _plurals() -> dict[str, str]:
    data = load_rule_pack("naming.yaml").get("irregular_plurals") or {}
    return {str(plural): str(singular) for singular, plural in data.items()}


def singular(word: str) -> str:
    irregular = _plurals().get(word)
    if irregular:
        return irregular
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _spaced(name: str) -> str:
    """The comparison key: the name's words, lower case, one space apart (`Items-Count` -> `items count`)."""
    return " ".join(naming.words(name))


def _singular_key(key: str) -> str:
    return " ".join(singular(w) for w in key.split(" "))


def one_typo(left: str, right: str) -> bool:
    """One slip of the keyboard apart: one word differs by one insertion, deletion, substitution or swap of two
    neighbouring letters (and is at least MIN_TYPO_WORD long), or, when the word counts differ, the whole names do."""
    from rapidfuzz.distance import OSA

    a, b = left.split(" "), right.split(" ")
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return (
            len(diff) == 1
            and max(len(diff[0][0]), len(diff[0][1])) >= MIN_TYPO_WORD
            and OSA.distance(diff[0][0], diff[0][1]) <= 1
        )
    return OSA.distance(left.replace(" ", ""), right.replace(" ", "")) <= 1


def similar_pairs(keys: Iterable[str], threshold: float) -> dict[str, list[tuple[str, str]]]:
    """key -> [(other key, reason)] for every pair of distinct keys (see `_spaced`) that look like one name.

    Plurals are found by equal singular forms. Typos are one edit apart once separators are dropped, so their
    lengths differ by at most one: keys sorted by that length are scored only against the next lengths' window,
    by rapidfuzz's OSA distance in C (`process.extract` with a cut-off of 1), then confirmed word by word
    (`one_typo`) and against the `threshold` ratio.
    """
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    ordered = sorted(set(keys), key=lambda k: (len(k.replace(" ", "")), k))
    squashed = [k.replace(" ", "") for k in ordered]
    lengths = [len(k) for k in squashed]
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add(a: str, b: str, reason: str) -> None:
        out[a].append((b, reason))
        out[b].append((a, reason))

    by_singular: dict[str, str] = {}
    for key in ordered:
        plain = _singular_key(key)
        other = by_singular.setdefault(plain, key)
        if other != key:
            add(other, key, "the singular or plural of")
    for index, key in enumerate(ordered):
        flat = squashed[index]
        if len(flat) < MIN_TYPO_WORD:
            continue
        end = bisect.bisect_right(lengths, len(flat) + 1, lo=index + 1)
        if end <= index + 1:
            continue
        window = squashed[index + 1 : end]
        for _choice, _distance, position in process.extract(
            flat, window, scorer=OSA.distance, score_cutoff=1, limit=None
        ):
            other = ordered[index + 1 + position]
            if flat == window[position]:
                continue  # equal without separators: DUP001
            if _DIGITS.sub("#", key) == _DIGITS.sub("#", other):
                continue  # level_1 / level_2: numbered on purpose
            if _singular_key(key) == _singular_key(other):
                continue  # already reported as singular / plural
            if not one_typo(key, other) or fuzz.ratio(key, other) < threshold:
                continue  # `plan renamed` / `loan renamed`: alike, but two real words
            add(key, other, "very similar to")
    return out
