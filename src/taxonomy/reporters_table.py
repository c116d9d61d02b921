"""The names of the report formats (what `--format` accepts), apart from the reporters: the command line needs
only these at start-up (see reporters/__init__.py)."""

from __future__ import annotations

REPORTERS: dict[str, str] = {
    "text": "taxonomy.reporters.text:render",
    "json": "taxonomy.reporters.json:render",
    "sarif": "taxonomy.reporters.sarif:render",
    "github": "taxonomy.reporters.github:render",
    "gitlab": "taxonomy.reporters.gitlab:render",
    "junit": "taxonomy.reporters.junit:render",
    "markdown": "taxonomy.reporters.markdown:render",
}
