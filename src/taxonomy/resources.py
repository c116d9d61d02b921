"""The schema/ and rules/ folders: inside the wheel when installed, at the top of the checkout otherwise."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from taxonomy.errors import TaxonomyError

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def data_root() -> Path:
    """The folder that holds `schema/` and `rules/`."""
    packaged = _PACKAGE / "_data"
    if (packaged / "schema").is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent  # src/taxonomy -> checkout root (editable installs)
    if (checkout / "schema").is_dir() and (checkout / "rules").is_dir():
        return checkout
    raise TaxonomyError(
        "the packaged schema/ and rules/ folders are missing",
        hint="reinstall the package: pip install --force-reinstall event-taxonomy",
    )


def schema_path(name: str = "taxonomy.schema.json") -> Path:
    return data_root() / "schema" / name


@functools.cache
def load_schema(name: str = "taxonomy.schema.json") -> dict[str, Any]:
    with schema_path(name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def rules_dir() -> Path:
    return data_root() / "rules"


@functools.cache
def load_rule_pack(relative: str) -> Any:
    """A YAML file under rules/, e.g. `braze.yaml` or `warehouses/snowflake.yaml` (parsed once per process)."""
    import yaml  # here, not at the top: a warm `taxonomy scan` reads no rule pack at all

    path = rules_dir() / relative
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise TaxonomyError(f"rule pack not found: rules/{relative}") from None
