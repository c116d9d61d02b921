"""Benchmark `taxonomy diff` on a large generated taxonomy (run by hand: python bench/diff_bench.py [EVENTS]).

Writes two versions (EVENTS events with 8 properties each, EVENTS/2 attributes) to a temp folder, changes ~10% of
them (removals, additions, type and enum changes, renames that look alike), and times load, compare and the whole
command. Not run by the test suite: speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

from taxonomy.diff.changes import compare
from taxonomy.loader import load


def taxonomy(events: int, seed: int, changed: bool) -> dict[str, object]:
    rng = random.Random(seed)
    out_events: dict[str, object] = {}
    for i in range(events):
        name = f"event_{i:05d}"
        props = {
            f"prop_{j}": {"type": rng.choice(["string", "integer", "float", "boolean"]), "description": f"p{j}"}
            for j in range(8)
        }
        if changed and i % 10 == 0:
            continue  # removed
        if changed and i % 10 == 1:
            name = f"event_{i:05d}_v2"  # removed + added look-alike: a suggested rename
        if changed and i % 10 == 2:
            props["prop_0"] = {"type": "time"}
        out_events[name] = {"description": f"Event {i}", "owner": "team", "properties": props}
    attributes = {
        f"attr_{i:05d}": {"type": "string", "enum": ["a", "b", "c"] if not (changed and i % 7 == 0) else ["a", "b"]}
        for i in range(events // 2)
    }
    return {"version": 1, "events": out_events, "attributes": attributes}


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        old_path, new_path = Path(folder) / "old.yaml", Path(folder) / "new.yaml"
        old_path.write_text(yaml.safe_dump(taxonomy(events, 1, False)), encoding="utf-8")
        new_path.write_text(yaml.safe_dump(taxonomy(events, 1, True)), encoding="utf-8")
        start = time.perf_counter()
        old, new = load(old_path).taxonomy, load(new_path).taxonomy
        loaded = time.perf_counter()
        changes = compare(old, new)
        compared = time.perf_counter()
        print(f"{events} events, {events // 2} attributes: {len(changes)} changes")
        print(f"  load both: {loaded - start:.2f}s  compare: {compared - loaded:.3f}s")


if __name__ == "__main__":
    main()
