"""Call signatures as data: rules/sdk/<platform>.yaml (+ optional packs, + wrappers declared in config).

A signature says: this method, on a receiver matching one of these patterns, in these languages, is a call site of
this kind and op; the name / properties / value / product / currency / price / quantity are these arguments (by
position, by label, or either). Receiver patterns are dotted paths of the normalised receiver expression, where
`*` is one segment, `**` any number of segments, and a trailing `()` marks a call (`braze.getUser()`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from taxonomy.errors import TaxonomyError

KINDS = ("event", "purchase", "attribute", "standard_attribute", "identify", "flush")
OPS: dict[str, tuple[str, ...]] = {
    "event": ("log",),
    "purchase": ("log",),
    "attribute": ("set", "unset", "increment", "array_add", "array_remove", "location", "nested"),
    "standard_attribute": ("set",),
    "identify": ("change_user",),
    "flush": ("flush",),
}
DEFAULT_OP = {kind: ops[0] for kind, ops in OPS.items()}
ROLES = ("name", "properties", "value", "product", "currency", "price", "quantity")
STANDARD_KEYS = (
    "first_name",
    "last_name",
    "email",
    "gender",
    "dob",
    "country",
    "home_city",
    "language",
    "phone",
    "email_subscribe",
    "push_subscribe",
)

ArgRef = int | str  # a position (0-based) or a label


@dataclass(frozen=True, eq=False)
class Signature:
    sdk: str
    method: str
    kind: str
    op: str
    languages: frozenset[str]
    receivers: tuple[str, ...]  # patterns as written
    bare: bool  # a call without a receiver matches (named imports, wrappers declared as functions)
    args: Mapping[str, tuple[ArgRef, ...]]
    standard: str | None = None  # canonical key of a standard attribute
    expand: str | None = None  # "attributes": each literal key of `properties` is also an attribute call site
    via: str | None = None  # the declared wrapper, as the user wrote it

    def describe(self) -> tuple[object, ...]:
        """A stable description (cache keys must not depend on set ordering or object identity)."""
        args = tuple(sorted((role, tuple(map(str, refs))) for role, refs in self.args.items()))
        return (self.sdk, self.method, self.kind, self.op, tuple(sorted(self.languages)), self.receivers,
                self.bare, args, self.standard, self.expand, self.via)  # fmt: skip

    def matches_receiver(self, receiver: str | None) -> bool:
        if receiver is None or receiver == "":
            return self.bare
        pattern = _compile_receivers(self.receivers)  # (on first use: a scan compiles only its platforms' ones)
        return pattern is not None and pattern.fullmatch(receiver) is not None


@dataclass(frozen=True, eq=False)
class SignatureSet:
    """Every enabled signature, indexed by method name, and what the prefilter searches for."""

    by_method: Mapping[str, tuple[Signature, ...]]
    modules: Mapping[str, Mapping[str, str]]  # language -> import source -> receiver name it binds
    payloads: frozenset[str]  # languages whose /users/track payload literals are call sites
    needles: tuple[bytes, ...] = field(default=())

    def lookup(self, method: str, receiver: str | None, language: str) -> Signature | None:
        for sig in self.by_method.get(method, ()):
            if language in sig.languages and sig.matches_receiver(receiver):
                return sig
        return None

    def methods(self, language: str) -> frozenset[str]:
        return _methods(self, language)

    def prefilter(self, language: str) -> tuple[bytes, ...]:
        """The prefilter's needles for one language: its method names, plus the payload keys where payloads count."""
        return _prefilter(self, language)


@functools.cache
def _methods(sigs: SignatureSet, language: str) -> frozenset[str]:
    return frozenset(m for m, group in sigs.by_method.items() if any(language in s.languages for s in group))


@functools.cache
def _prefilter(sigs: SignatureSet, language: str) -> tuple[bytes, ...]:
    needles = {n for group in sigs.by_method.values() for s in group if language in s.languages for n in needles_of(s)}
    if language in sigs.payloads:
        needles.update(PAYLOAD_NEEDLES)
    return tuple(sorted(needles))


PAYLOAD_NEEDLES = (b"external_id", b"user_alias", b"braze_id")


def needles_of(sig: Signature) -> set[bytes]:
    """What a file must contain to hold this call: the method name (a Swift name qualified by its first label,
    `set(email:)`, needs `set(email:`). A property assignment (`email=`) needs the longest literal segment of each
    receiver pattern instead (`sharedInstance` for `Appboy.sharedInstance().user`): receivers resolve within one
    file, and `email` alone would make half of all files worth parsing."""
    if not sig.method.endswith("="):
        return {sig.method.rstrip(")").encode()}
    out: set[bytes] = set()
    for pattern in sig.receivers:
        literal = [seg.rstrip("()[]") for seg in pattern.split(".") if "*" not in seg]
        out.add((max(literal, key=len, default="") or sig.method.rstrip("=")).encode())
    return out or {sig.method.rstrip("=").encode()}


@functools.cache
def _compile_receivers(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """(Signatures of one platform share a few receiver lists: each is compiled once.)"""
    parts = []
    for pattern in patterns:
        if not pattern:
            continue
        segments = pattern.split(".")
        out = ""
        for index, segment in enumerate(segments):
            last = index == len(segments) - 1
            if segment == "**":
                out += r"(?:[^.]+\.)*" if not last else r"(?:[^.]+(?:\.[^.]+)*)?"
                continue
            piece = r"[^.]+" if segment == "*" else re.escape(segment)
            out += piece + ("" if last else r"\.")
        parts.append(out)
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


def _arg_refs(value: Any, where: str) -> tuple[ArgRef, ...]:
    items = value if isinstance(value, list) else [value]
    refs: list[ArgRef] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise TaxonomyError(f"{where}: an argument is a position (0, 1, ...) or a label, got {item!r}")
        refs.append(item)
    return tuple(refs)


def parse_call(
    raw: Mapping[str, Any],
    *,
    where: str,
    sdk: str,
    languages: Sequence[str],
    groups: Mapping[str, Sequence[str]],
    via: str | None = None,
) -> Signature:
    """One `calls:` entry of a signatures file (or one wrapper from config) -> a Signature."""
    known = {"method", "receiver", "kind", "op", "args", "standard", "expand", "languages", "bare"}
    for key in raw:
        if key not in known:
            from taxonomy.fuzzy import did_you_mean

            raise TaxonomyError(f"{where}: unknown key `{key}`{did_you_mean(str(key), known)}")
    method = raw.get("method")
    if not isinstance(method, str) or not method:
        raise TaxonomyError(f"{where}: `method` is required")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise TaxonomyError(f"{where}: `kind` must be one of {', '.join(KINDS)}; got {kind!r}")
    op = raw.get("op", DEFAULT_OP[kind])
    if op not in OPS[kind]:
        raise TaxonomyError(f"{where}: op {op!r} is not one of {', '.join(OPS[kind])} for kind {kind}")
    receiver = raw.get("receiver", [])
    receiver_list = [receiver] if isinstance(receiver, str) else list(receiver or [])
    patterns: list[str] = []
    for item in receiver_list:
        patterns.extend(groups.get(item, [item]))  # a group name, or a pattern itself
    args_raw = raw.get("args", {}) or {}
    if not isinstance(args_raw, Mapping):
        raise TaxonomyError(f"{where}: `args` must be a table of role -> position or label")
    args: dict[str, tuple[ArgRef, ...]] = {}
    for role, ref in args_raw.items():
        if role not in ROLES:
            raise TaxonomyError(f"{where}: unknown argument role `{role}` (use {', '.join(ROLES)})")
        args[role] = _arg_refs(ref, f"{where}: args.{role}")
    standard = raw.get("standard")
    if kind == "standard_attribute" and standard not in STANDARD_KEYS:
        raise TaxonomyError(f"{where}: `standard` must be one of {', '.join(STANDARD_KEYS)}")
    langs = raw.get("languages", languages)
    return Signature(
        sdk=sdk,
        method=method,
        kind=kind,
        op=op,
        languages=frozenset([langs] if isinstance(langs, str) else langs),
        receivers=tuple(patterns),
        bare=bool(raw.get("bare", not patterns)),
        args=args,
        standard=standard if isinstance(standard, str) else None,
        expand=raw.get("expand"),
        via=via,
    )


def parse_file(data: Any, where: str) -> tuple[list[Signature], dict[str, dict[str, str]], set[str]]:
    if not isinstance(data, Mapping):
        raise TaxonomyError(f"{where}: a signatures file is a mapping")
    sdk = str(data.get("sdk", "braze"))
    languages = list(data.get("languages", []))
    groups = {str(k): list(v) for k, v in (data.get("receivers") or {}).items()}
    sigs = [
        parse_call(call, where=f"{where}: calls[{i}]", sdk=sdk, languages=languages, groups=groups)
        for i, call in enumerate(data.get("calls") or [])
    ]
    # `types:` (typed languages): a variable / parameter declared with that type reads as the receiver given;
    # kept in the same table as `modules:` (import source -> receiver), which never holds a bare type name.
    bound = {**(data.get("modules") or {}), **(data.get("types") or {})}
    modules = {lang: {str(k): str(v) for k, v in bound.items()} for lang in languages}
    payloads = set(languages) if data.get("payloads") else set()
    return sigs, modules, payloads


def build(packs: Sequence[str] = (), wrappers: Sequence[Signature] = ()) -> SignatureSet:
    """The built-in platforms, the packs asked for, and the user's wrappers."""
    return _build(tuple(packs), tuple(wrappers))


@functools.cache
def _build(packs: tuple[str, ...], wrappers: tuple[Signature, ...]) -> SignatureSet:
    from taxonomy.resources import load_rule_pack

    all_sigs: list[Signature] = list(wrappers)  # the user's declarations win over the built-in ones
    modules: dict[str, dict[str, str]] = {}
    payloads: set[str] = set()
    for name in (*platform_files(), *(f"packs/{p}" for p in packs)):
        sigs, mods, pays = parse_file(load_rule_pack(f"sdk/{name}.yaml"), f"rules/sdk/{name}.yaml")
        all_sigs.extend(sigs)
        for lang, table in mods.items():
            modules.setdefault(lang, {}).update(table)
        payloads |= pays
    by_method: dict[str, list[Signature]] = {}
    for sig in all_sigs:
        by_method.setdefault(sig.method, []).append(sig)
    needles = {n for sig in all_sigs for n in needles_of(sig)}
    if payloads:
        needles.update(PAYLOAD_NEEDLES)
    return SignatureSet(
        by_method={m: tuple(s) for m, s in by_method.items()},
        modules=modules,
        payloads=frozenset(payloads),
        needles=tuple(sorted(needles)),
    )


def available_packs() -> tuple[str, ...]:
    """The optional packs shipped in rules/sdk/packs/ (off unless `[scan] packs` names them)."""
    from taxonomy.resources import rules_dir

    return tuple(sorted(p.stem for p in (rules_dir() / "sdk" / "packs").glob("*.yaml")))


def platform_files() -> tuple[str, ...]:
    """Every rules/sdk/<platform>.yaml shipped (packs live in rules/sdk/packs/ and are opt-in)."""
    from taxonomy.resources import rules_dir

    folder = rules_dir() / "sdk"
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))
