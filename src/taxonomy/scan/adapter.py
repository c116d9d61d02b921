"""The contract between the shared engine and one language's adapter.

An adapter turns one file's bytes into a `FileScan`: the calls it saw (method, normalised receiver, arguments as
`Value`s), the object/dict literals that may be /users/track payloads, and the constants the file defines (for
other files to resolve names against). The engine decides what is a call site, from the signatures; the tree-sitter
driver may leave out early the calls no signature could take (a known method on a receiver none accepts), before
reading their arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from taxonomy.scan.records import RawCall, Value
from taxonomy.scan.signatures import SignatureSet


@dataclass
class FileScan:
    calls: list[RawCall] = field(default_factory=list)
    payloads: list[tuple[int, int, Value]] = field(default_factory=list)  # line, column, object literal
    constants: dict[str, Value] = field(default_factory=dict)  # dotted name -> literal value, for the project
    imports: dict[str, str] = field(default_factory=dict)  # local name -> module it comes from (a resolution hint)
    error: tuple[int, int] | None = None  # first syntax error (line, column)
    partial: bool = True  # the parser recovered from the error: calls elsewhere were still read


class ParseGaveUp(ValueError):
    """A parse stopped at its time limit: the file is skipped with this reason."""


class Adapter(Protocol):
    language: str

    def scan(self, source: bytes, sigs: SignatureSet) -> FileScan:
        """Calls whose method name is one of `sigs.methods(language)`, payload literals, constants."""
        ...

    def constants(self, source: bytes) -> dict[str, Value]:
        """Only the constants (used for files that define names other files send)."""
        ...
