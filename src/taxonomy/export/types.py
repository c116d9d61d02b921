"""Braze's free-form words (data types, statuses) normalised through rules/braze-export.yaml."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, cast

from taxonomy.resources import load_rule_pack

_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "(Automatically Detected)", "(Forced)", ...
_SPACES = re.compile(r"[\s_\-]+")


@functools.cache
def vocabulary() -> Mapping[str, Any]:
    return cast(Mapping[str, Any], load_rule_pack("braze-export.yaml"))


def fold(text: str) -> str:
    """Lower case, `_` / `-` / runs of white space as one space, trimmed: how words are compared."""
    return _SPACES.sub(" ", text.strip().lower()).strip()


def normalise_data_type(raw: str | None) -> str | None:
    """`"String (Automatically Detected)"` -> `"string"`; None for absent or unknown strings.

    Any number of trailing parenthesised notes is dropped, case and spacing are ignored.
    """
    if raw is None:
        return None
    text = raw
    while True:
        stripped = _NOTE.sub("", text)
        if stripped == text:
            break
        text = stripped
    found = vocabulary()["data_types"].get(fold(text))
    return cast(str | None, found)


def is_detected(raw: str | None) -> bool:
    """Whether Braze inferred the type from the first value (rather than a type forced in the dashboard)."""
    return raw is not None and "automatically detected" in raw.lower()


def normalise_status(raw: str | None) -> str:
    """`"Blocklisted"` -> `"blocklisted"`; absent -> `"active"`; an unknown word is kept, lower-cased."""
    if raw is None or not raw.strip():
        return "active"
    word = fold(raw)
    return cast(str, vocabulary()["statuses"].get(word, word))


def compatible(exported: str, declared_type: str, items: str | None) -> bool:
    """Whether a taxonomy type accepts values of an exported type (number takes integer and float)."""
    declared = "array_of_objects" if declared_type == "array" and items == "object" else declared_type
    return declared in vocabulary()["compatible"].get(exported, ())


def describe(exported: str) -> str:
    return "array of objects" if exported == "array_of_objects" else exported
