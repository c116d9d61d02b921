"""Pure name functions: split a name into words, detect and apply a naming style, normalise for warehouses.

Only ASCII letters and digits make up words; every other character (spaces, `_`, `-`, `.`, `$`, non-ASCII letters)
separates them. That keeps every function here total and idempotent on any text, which the property tests check.
Style names are those the schema's `conventions` accept; a user regex arrives as "regex:<pattern>".
"""

from __future__ import annotations

import functools
import re

STYLES = ("snake_case", "camelCase", "PascalCase", "kebab-case", "Title Case", "lower case", "SCREAMING_SNAKE_CASE")
REGEX_PREFIX = "regex:"

# What a name in each style looks like, in full. Strict on acronyms (`userId`, not `userID`) so that a name a style
# accepts is exactly what that style's formatter writes.
_STYLE_PATTERNS = {
    "snake_case": r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*",
    "camelCase": r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)*",
    "PascalCase": r"(?:[A-Z][a-z0-9]+)+",
    "kebab-case": r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*",
    "Title Case": r"[A-Z0-9][a-z0-9]*(?: [A-Z0-9][a-z0-9]*)*",
    "lower case": r"[a-z][a-z0-9]*(?: [a-z0-9]+)*",
    "SCREAMING_SNAKE_CASE": r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*",
}
_COMPILED = {style: re.compile(pattern) for style, pattern in _STYLE_PATTERNS.items()}
_RUN = re.compile(r"[A-Za-z0-9]+")
# Inside a mixed-case run: an acronym before a capitalised word (HTTP|Server), a word, or a trailing acronym.
_CAMEL_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+")


def words(name: str) -> list[str]:
    """The name's words, lower-cased: `AddToCart`, `add_to_cart`, `Add To Cart` -> ["add", "to", "cart"]."""
    return list(_words(name))


@functools.lru_cache(maxsize=1 << 16)  # property names repeat across thousands of events
def _words(name: str) -> tuple[str, ...]:
    out: list[str] = []
    for run in _RUN.findall(name):
        if not any(c.islower() for c in run):
            out.append(run.lower())  # ALL_CAPS or digits: one word per run
        else:
            out.extend(word.lower() for word in _CAMEL_WORD.findall(run))
    return tuple(out)


def is_regex_style(style: str) -> bool:
    return style.startswith(REGEX_PREFIX)


@functools.lru_cache(maxsize=64)
def _user_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None  # the schema reports an invalid regex; here it simply matches nothing


def matches_style(name: str, style: str) -> bool:
    """Is `name` written in `style` (a style name, or "regex:<pattern>" matched in full)?"""
    if is_regex_style(style):
        compiled = _user_pattern(style[len(REGEX_PREFIX) :])
        return compiled is not None and compiled.fullmatch(name) is not None
    compiled_style = _COMPILED.get(style)
    return compiled_style is not None and compiled_style.fullmatch(name) is not None


def detect_styles(name: str) -> list[str]:
    """Every named style `name` is written in (a one-word lower-case name fits several)."""
    return [style for style in STYLES if _COMPILED[style].fullmatch(name)]


def to_style(name: str, style: str) -> str:
    """`name` rewritten in `style`. A regex style has no formatter: the name comes back unchanged."""
    if style not in _COMPILED:
        return name
    result = _join(words(name), style)
    # Joining can merge words (camelCase of ["0", "a"] is "0A", which reads back as one word); settle on the fixed
    # point so that formatting twice changes nothing. Two rounds always suffice; the bound is a guard.
    for _ in range(4):
        again = _join(words(result), style)
        if again == result:
            break
        result = again
    return result


def _join(parts: list[str], style: str) -> str:
    if style == "snake_case":
        return "_".join(parts)
    if style == "SCREAMING_SNAKE_CASE":
        return "_".join(p.upper() for p in parts)
    if style == "kebab-case":
        return "-".join(parts)
    if style == "camelCase":
        return "".join([parts[0], *(p.capitalize() for p in parts[1:])]) if parts else ""
    if style == "PascalCase":
        return "".join(p.capitalize() for p in parts)
    if style == "Title Case":
        return " ".join(p.capitalize() for p in parts)
    return " ".join(parts)  # lower case


@functools.lru_cache(maxsize=1 << 16)
def warehouse_name(name: str) -> str:
    """How loaders map a name to a table or column: lower snake_case (`Signed Up`, `signedUp` -> `signed_up`)."""
    return "_".join(_words(name))


@functools.lru_cache(maxsize=1 << 16)
def squash(name: str) -> str:
    """The name ignoring case and separators (`Signed-Up`, `signed_up`, `signedUp` -> `signedup`)."""
    return "".join(_RUN.findall(name)).lower()
