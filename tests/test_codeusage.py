"""Call sites from the scanner -> what drift and init need (kind -> name -> places; event property types)."""

from __future__ import annotations

from dataclasses import dataclass

from taxonomy.codeusage import from_call_sites
from taxonomy.findings import Span


@dataclass(frozen=True)
class Site:  # the fields of taxonomy.scan's CallSite that codeusage reads
    file: str
    line: int
    column: int
    kind: str
    name: str | None
    properties: tuple[str, ...] = ()
    property_types: tuple[tuple[str, str], ...] = ()


def test_call_sites_become_usage_and_property_types() -> None:
    sites = [
        Site("web/app.ts", 3, 7, "event", "signed_up", ("plan",), (("plan", "string"),)),
        Site("ios/App.swift", 9, 5, "event", "signed_up", ("plan", "step"), ()),
        Site("web/app.ts", 5, 1, "event", None),  # dynamic name
        Site("web/app.ts", 6, 1, "attribute", "vip_tier"),
        Site("web/app.ts", 7, 1, "purchase", "premium"),
        Site("web/app.ts", 8, 1, "identify", "x"),
        Site("web/app.ts", 9, 1, "standard_attribute", "email"),
    ]
    scan = from_call_sites(sites, root="app")
    assert scan.usage == {
        "event": {"signed_up": (Span("app/web/app.ts", 3, 7), Span("app/ios/App.swift", 9, 5))},
        "attribute": {"vip_tier": (Span("app/web/app.ts", 6, 1),)},
        "product": {"premium": (Span("app/web/app.ts", 7, 1),)},
    }
    assert scan.properties == {"signed_up": {"plan": "string", "step": None}}
    assert scan.files == ("app/web/app.ts", "app/ios/App.swift")
    assert from_call_sites(sites, root=".").usage["attribute"]["vip_tier"][0].file == "web/app.ts"
