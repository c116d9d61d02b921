"""The `[scan]` table of the settings file, validated (unknown keys are errors with a did-you-mean)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from taxonomy.config import Config
from taxonomy.errors import TaxonomyError

if TYPE_CHECKING:
    from taxonomy.scan.signatures import Signature

KEYS = {"include", "exclude", "packs", "wrappers", "max-file-size", "cache", "jobs", "languages"}
DEFAULT_MAX_SIZE = 2_000_000
MAX_SIZE_CEILING = 16_000_000  # 10 MB of JS took 800 MB; 100 MB crashed tree-sitter under a 1.5 GB limit
WRAPPER_KEYS = {"receiver", "method", "kind", "op", "languages", "args", "name", "properties", "value", "product",
                "currency", "price", "quantity", "standard", "expand"}  # fmt: skip
_ROLES = ("name", "properties", "value", "product", "currency", "price", "quantity")


@dataclass(frozen=True)
class ScanSettings:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    wrappers: tuple[Signature, ...] = ()
    max_size: int = DEFAULT_MAX_SIZE
    cache: bool = True
    jobs: int = 0  # 0: decide from the tree size and the cores
    languages: tuple[str, ...] = ()  # empty: all


def _where(config: Config, key: str) -> str:
    return f"{config.source or 'settings'}: [scan] {key}"


def _strings(config: Config, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(f"{_where(config, key)} must be a list of strings")
    return tuple(value)


def parse_size(value: Any, where: str) -> int:
    size: int | None = None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        size = value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", value)
        if match:
            factor = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}[match.group(2).lower()]
            size = int(float(match.group(1)) * factor)
    if size is not None and size > MAX_SIZE_CEILING:
        raise TaxonomyError(
            f"{where} may be at most {MAX_SIZE_CEILING // 1_000_000}MB; got {value!r}",
            hint="a syntax tree takes about 80 times the file's size in memory: generated files are not worth it",
        )
    if size is not None:
        return size
    raise TaxonomyError(f'{where} must be a size in bytes (e.g. 2000000 or "2MB"); got {value!r}')


def load_settings(config: Config) -> ScanSettings:
    table = config.section("scan")
    for key in table:
        if key not in KEYS:
            from taxonomy.fuzzy import did_you_mean

            raise TaxonomyError(f"{_where(config, key)}: unknown setting{did_you_mean(key, KEYS)}")
    packs = _strings(config, table, "packs")
    if packs:
        from taxonomy.scan.signatures import available_packs  # here: most settings name no pack

        known_packs = available_packs()
        for pack in packs:
            if pack not in known_packs:
                from taxonomy.fuzzy import did_you_mean

                raise TaxonomyError(f"{_where(config, 'packs')}: no pack {pack!r}{did_you_mean(pack, known_packs)}")
    wrappers_raw = table.get("wrappers", [])
    if not isinstance(wrappers_raw, list):
        raise TaxonomyError(f"{_where(config, 'wrappers')} must be an array of tables ([[scan.wrappers]])")
    wrappers = tuple(_wrapper(config, index, raw) for index, raw in enumerate(wrappers_raw))
    jobs = table.get("jobs", 0)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise TaxonomyError(f"{_where(config, 'jobs')} must be a whole number (0: automatic)")
    cache = table.get("cache", True)
    if not isinstance(cache, bool):
        raise TaxonomyError(f"{_where(config, 'cache')} must be true or false")
    return ScanSettings(
        include=_strings(config, table, "include"),
        exclude=_strings(config, table, "exclude"),
        packs=packs,
        wrappers=wrappers,
        max_size=parse_size(table["max-file-size"], _where(config, "max-file-size"))
        if "max-file-size" in table
        else DEFAULT_MAX_SIZE,
        cache=cache,
        jobs=jobs,
        languages=_strings(config, table, "languages"),
    )


def _wrapper(config: Config, index: int, raw: Any) -> Signature:
    """`[[scan.wrappers]]`: receiver, method, kind, op and the argument roles, written flat for convenience."""
    from taxonomy.scan.languages import LANGUAGE_NAMES
    from taxonomy.scan.signatures import parse_call

    where = _where(config, f"wrappers[{index}]")
    if not isinstance(raw, Mapping):
        raise TaxonomyError(f"{where} must be a table")
    for key in raw:
        if key not in WRAPPER_KEYS:
            from taxonomy.fuzzy import did_you_mean

            raise TaxonomyError(f"{where}: unknown key `{key}`{did_you_mean(key, WRAPPER_KEYS)}")
    call = {k: v for k, v in raw.items() if k not in _ROLES}
    args = dict(raw.get("args", {}))
    args.update({role: raw[role] for role in _ROLES if role in raw})
    call["args"] = args
    receiver = raw.get("receiver")
    if receiver is None:
        call["bare"] = True
    method = raw.get("method", "")
    shown = f"{receiver}.{method}" if receiver else str(method)
    return parse_call(call, where=where, sdk="braze", languages=LANGUAGE_NAMES, groups={}, via=shown)
