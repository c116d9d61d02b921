"""Time the export readers on a generated workspace (run by hand: python bench/bench_export.py [N])."""

from __future__ import annotations

import csv
import io
import json
import sys
import time

from taxonomy.export import parse_export
from taxonomy.export.snapshot import render


def main(n: int) -> None:
    attributes = [
        {
            "name": f"attribute_{i}",
            "description": None,
            "data_type": "String (Automatically Detected)",
            "array_length": None,
            "status": "Active",
            "tag_names": ["a"],
        }
        for i in range(n)
    ]
    events = [{"name": f"event_{i}", "description": "d", "status": "Active", "tag_names": []} for i in range(n)]
    snapshot = render(
        workspace="w",
        instance=None,
        fetched_at="2026-01-01T00:00:00Z",
        attributes=attributes,
        events=events,
        products=[f"p{i}" for i in range(n)],
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Attribute Name", "Data Type", "Status", "Tags"])
    writer.writerows([(a["name"], a["data_type"], a["status"], "a") for a in attributes])
    rest = json.dumps({"message": "success", "attributes": attributes}, indent=2)
    for label, text, name in (
        ("snapshot", snapshot, "s.json"),
        ("rest", rest, "r.json"),
        ("csv", buffer.getvalue(), "attributes.csv"),
    ):
        started = time.perf_counter()
        export = parse_export(text, name)
        elapsed = time.perf_counter() - started
        print(f"{label:9} {len(text) / 1e6:7.2f} MB  {export.size:7d} items  {elapsed:6.2f}s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
