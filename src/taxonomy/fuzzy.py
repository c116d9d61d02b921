""" "Did you mean": the closest known names to a misspelt one (rapidfuzz does the scoring)."""

from __future__ import annotations

from collections.abc import Iterable


def suggest(word: str, candidates: Iterable[str], *, cutoff: float = 70.0, limit: int = 1) -> list[str]:
    """The best candidates scoring at least `cutoff` (0-100), best first; case-insensitive."""
    from rapidfuzz import fuzz, process, utils

    pool = [c for c in candidates if c != word]
    if not pool or not word:
        return []
    found = process.extract(
        word, pool, scorer=fuzz.ratio, processor=utils.default_process, limit=limit, score_cutoff=cutoff
    )
    return [choice for choice, _score, _index in found]


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 70.0) -> str:
    """` (did you mean `x`?)` or an empty string: ready to append to a message."""
    best = suggest(word, candidates, cutoff=cutoff)
    return f" (did you mean `{best[0]}`?)" if best else ""
