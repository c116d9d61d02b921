"""Which files are source, in which language, scanned by which adapter.

Adding a platform: one line per suffix here (language name, "module:ADAPTER"), an adapter module (for tree-sitter
languages, a subclass of `treesitter.TreeSitterAdapter` plus a query file in scan/queries/), and a signatures
file in rules/sdk/. See docs/scanner.md.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

# JSON contract language names.
LANGUAGE_NAMES = ("javascript", "typescript", "kotlin", "java", "swift", "objc", "dart", "csharp", "python")

# suffix -> (language, adapter object as "module:attribute")
SUFFIXES: dict[str, tuple[str, str]] = {
    ".js": ("javascript", "taxonomy.scan.adapters.javascript:JAVASCRIPT"),
    ".jsx": ("javascript", "taxonomy.scan.adapters.javascript:JAVASCRIPT"),
    ".mjs": ("javascript", "taxonomy.scan.adapters.javascript:JAVASCRIPT"),
    ".cjs": ("javascript", "taxonomy.scan.adapters.javascript:JAVASCRIPT"),
    ".ts": ("typescript", "taxonomy.scan.adapters.javascript:TYPESCRIPT"),
    ".mts": ("typescript", "taxonomy.scan.adapters.javascript:TYPESCRIPT"),
    ".cts": ("typescript", "taxonomy.scan.adapters.javascript:TYPESCRIPT"),
    ".tsx": ("typescript", "taxonomy.scan.adapters.javascript:TSX"),
    ".py": ("python", "taxonomy.scan.python_ast:PYTHON"),
    ".pyi": ("python", "taxonomy.scan.python_ast:PYTHON"),
    # issue 5a: Android (Kotlin, Java), Unity and .NET (C#)
    ".kt": ("kotlin", "taxonomy.scan.adapters.kotlin:KOTLIN"),
    ".kts": ("kotlin", "taxonomy.scan.adapters.kotlin:KOTLIN"),
    ".java": ("java", "taxonomy.scan.adapters.java:JAVA"),
    ".cs": ("csharp", "taxonomy.scan.adapters.csharp:CSHARP"),
    # iOS and Flutter (issue 5b)
    ".swift": ("swift", "taxonomy.scan.adapters.swift:SWIFT"),
    ".m": ("objc", "taxonomy.scan.adapters.objc:OBJC"),
    ".mm": ("objc", "taxonomy.scan.adapters.objc:OBJC"),
    ".h": ("objc", "taxonomy.scan.adapters.objc:OBJC"),
    ".dart": ("dart", "taxonomy.scan.adapters.dart:DART"),
}

# Languages that can see each other's constants (Kotlin code reads Java constants, and so on).
FAMILIES: dict[str, str] = {
    "javascript": "js",
    "typescript": "js",
    "python": "python",
    "kotlin": "jvm",
    "java": "jvm",
    "swift": "apple",
    "objc": "apple",
    "dart": "dart",
    "csharp": "csharp",
}


@functools.cache
def adapter_for(spec: str) -> Any:
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)
