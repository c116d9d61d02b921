"""The SDK call-site scanner: files -> call sites (`taxonomy scan`, and the library behind `check`, `drift --code`...).

    from taxonomy.scan import scan_paths
    result = scan_paths(["src"], config)      # -> ScanResult(call_sites, skipped, ...)

See docs/scanner.md for the signatures format, the adapter contract and the JSON output.
"""

from __future__ import annotations

from taxonomy.scan.project import scan_paths
from taxonomy.scan.results import CallSite, ScanResult, Skipped

__all__ = ["CallSite", "ScanResult", "Skipped", "scan_paths"]
