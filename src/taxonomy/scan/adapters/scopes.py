"""Nearest-declaration lookup for names declared more than once in a file (Swift, Objective-C, Dart).

The engine's `ctx.bindings` holds one initializer per name, or None when the name is declared twice or is also a
parameter. For those names an adapter records every declaration with the byte range of its scope; the use then
reads the innermost declaration whose scope contains it (a local `final braze = MockBraze()` shadows the
file-level `final braze = BrazePlugin()`).
"""

from __future__ import annotations

from tree_sitter import Node

Init = Node | str | None  # an initializer node, or a receiver path (a declaration typed `Braze.User`)


class Scopes:
    def __init__(self) -> None:
        self._declarations: dict[str, list[tuple[int, int, Init]]] = {}

    def add(self, name: str, scope: Node | None, init: Init, whole: int) -> None:
        start, end = (scope.start_byte, scope.end_byte) if scope is not None else (0, whole)
        self._declarations.setdefault(name, []).append((start, end, init))

    def resolve(self, name: str, use: Node) -> tuple[bool, Init]:
        """(found, initializer) of the innermost declaration of `name` whose scope contains `use`."""
        best: tuple[int, Init] | None = None
        for start, end, init in self._declarations.get(name, ()):
            if start <= use.start_byte < end and (best is None or end - start < best[0]):
                best = (end - start, init)
        return (True, best[1]) if best is not None else (False, None)
