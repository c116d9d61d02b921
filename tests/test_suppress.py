"""taxonomy.suppress on its own: entity and region matching, unknown and unused selectors."""

from __future__ import annotations

from taxonomy import suppress
from taxonomy.findings import Entity, Finding, Severity, Span
from taxonomy.suppress import Region, Suppression


def _finding(code: str, line: int, entity: Entity | None) -> Finding:
    return Finding(code, "m", Severity.ERROR, Span("t.yaml", line, 3), entity)


EVENT = Entity("event", "AddToCart")


def test_entity_suppression_covers_that_entity_only() -> None:
    mine, other = _finding("NAM001", 4, EVENT), _finding("NAM001", 9, Entity("event", "other"))
    record = Suppression(("NAM001",), (Span("t.yaml", 5, 20),), entity=EVENT)
    kept, about = suppress.apply([mine, other], [record])
    assert kept == [other]
    assert about == []


def test_region_suppression_covers_findings_inside_it() -> None:
    inside, outside = _finding("NAM001", 6, EVENT), _finding("NAM001", 9, EVENT)
    record = Suppression(("naming.case-style",), (None,), entity=EVENT, region=Region("t.yaml", 5, 7, 7, 40))
    kept, about = suppress.apply([inside, outside], [record])
    assert kept == [outside]
    assert about == []


def test_prefix_selector_and_unused_and_unknown() -> None:
    found = _finding("BRZ002", 4, EVENT)
    record = Suppression(
        ("BRZ", "NAM001", "NAM01"), (Span("t.yaml", 5, 1), Span("t.yaml", 5, 6), Span("t.yaml", 5, 14)), entity=EVENT
    )
    kept, about = suppress.apply([found], [record])
    assert kept == []
    assert [(f.code, f.span.column if f.span else 0) for f in about] == [("SUP001", 6), ("SUP002", 14)]
    assert "did you mean `NAM001`?" in about[1].message


def test_unused_is_not_reported_when_the_rule_did_not_run() -> None:
    record = Suppression(("NAM001",), (None,), entity=EVENT)
    _kept, about = suppress.apply([], [record], ran=lambda selector: False)
    assert about == []


def test_custom_matcher_for_user_rule_ids() -> None:
    found = Finding("USR001", "m", Severity.WARNING, Span("t.yaml", 4, 3), EVENT, None, (("rule", "event-owner"),))
    record = Suppression(("event-owner",), (None,), entity=EVENT)
    kept, about = suppress.apply(
        [found],
        [record],
        matches=lambda sel, f: dict(f.data).get("rule") == sel,
        known=lambda sel: sel == "event-owner",
    )
    assert kept == [] and about == []
