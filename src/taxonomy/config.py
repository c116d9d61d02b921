"""Settings: `.taxonomy.toml` or `[tool.taxonomy]` in pyproject.toml, found from the working folder upwards.

Top-level keys are shared by every command; each capability owns a table of its own (`[scan]`, `[drift]`, ...),
which it validates itself through `Config.section(name)`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from taxonomy.errors import TaxonomyError
from taxonomy.paths import display_path, read_regular
from taxonomy.severity import Severity

CONFIG_NAMES = (".taxonomy.toml", "pyproject.toml")
SHARED_KEYS = {"taxonomy", "select", "ignore", "severity", "fail-on"}
SECTION_KEYS = {"lint", "scan", "check", "drift", "pull", "diff", "docs", "fmt", "baseline"}
FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "never": None}


@dataclass(frozen=True)
class Config:
    root: Path = field(default_factory=Path.cwd)  # the folder of the config file (or the working folder)
    source: str | None = None  # the config file, as shown to the user
    taxonomy: Path | None = None
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # selector -> severity
    fail_on: Severity | None = Severity.WARNING
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        return self.sections.get(name, {})

    def with_cli(
        self,
        *,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        fail_on: str | None = None,
    ) -> Config:
        """Command-line options win: --select replaces, --ignore adds, --fail-on replaces."""
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = _split(select)
        if ignore:
            changes["ignore"] = self.ignore + _split(ignore)
        if fail_on is not None:
            changes["fail_on"] = _fail_on(fail_on, "--fail-on")
        return replace(self, **changes)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _fail_on(value: Any, where: str) -> Severity | None:
    if not isinstance(value, str) or value.lower() not in FAIL_ON:
        raise TaxonomyError(f"{where} must be one of error, warning, info, never; got {value!r}")
    return FAIL_ON[value.lower()]


def find_config(start: Path | None = None) -> Path | None:
    folder = (start or Path.cwd()).resolve()
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_folder / name
            if candidate.is_file() and (name != "pyproject.toml" or b"[tool.taxonomy" in candidate.read_bytes()):
                return candidate
        if (candidate_folder / ".git").exists():
            break  # stop at the repository root
    return None


def load_config(path: str | Path | None = None) -> Config:
    """The explicit file, else the nearest one found, else defaults."""
    found = Path(path) if path else find_config()
    if found is None:
        return Config()
    shown = display_path(found)
    if sys.version_info >= (3, 11):  # imported here: most runs have no settings file
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        data = tomllib.loads(read_regular(found).decode("utf-8"))
    except FileNotFoundError:
        raise TaxonomyError("config file not found", file=shown) from None
    except OSError as exc:
        raise TaxonomyError(f"cannot read config: {exc.strerror}", file=shown) from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"invalid TOML: {exc}", file=shown) from None
    except UnicodeDecodeError as exc:
        raise TaxonomyError(f"not valid UTF-8 (byte {exc.start})", file=shown, hint="save it as UTF-8") from None
    if found.name == "pyproject.toml":
        data = data.get("tool", {}).get("taxonomy", {})
    return _parse(data, found.parent, shown)


def _parse(data: Mapping[str, Any], root: Path, shown: str) -> Config:
    from taxonomy.fuzzy import did_you_mean

    known = SHARED_KEYS | SECTION_KEYS
    for key in data:
        if key not in known:
            raise TaxonomyError(f"unknown setting `{key}`{did_you_mean(key, known)}", file=shown)

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TaxonomyError(f"`{key}` must be a list of codes or names", file=shown)
        return tuple(value)

    severity_table = data.get("severity", {})
    if not isinstance(severity_table, dict):
        raise TaxonomyError('`severity` must be a table of CODE = "error" | "warning" | "info"', file=shown)
    severity: dict[str, Severity] = {}
    for selector, level in severity_table.items():
        try:
            severity[selector] = Severity.parse(str(level))
        except ValueError as exc:
            raise TaxonomyError(f"severity.{selector}: {exc}", file=shown) from None
    sections = {}
    for key in SECTION_KEYS & data.keys():
        if not isinstance(data[key], dict):
            raise TaxonomyError(f"`{key}` must be a table ([{key}])", file=shown)
        sections[key] = data[key]
    taxonomy = data.get("taxonomy")
    if taxonomy is not None and not isinstance(taxonomy, str):
        raise TaxonomyError("`taxonomy` must be a path", file=shown)
    return Config(
        root=root,
        source=shown,
        taxonomy=(root / taxonomy) if taxonomy else None,
        select=strings("select") or ("ALL",),
        ignore=strings("ignore"),
        severity=severity,
        fail_on=_fail_on(data["fail-on"], "fail-on") if "fail-on" in data else Severity.WARNING,
        sections=sections,
    )
