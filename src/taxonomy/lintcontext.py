"""What a lint check is given: the model, the settings, and the loaded documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taxonomy.model import Taxonomy

if TYPE_CHECKING:
    from taxonomy.config import Config


@dataclass(frozen=True)
class LintContext:
    taxonomy: Taxonomy
    config: Config
    # display path -> the parsed document (YMap), for checks that need raw positions
    documents: dict[str, Any] = field(default_factory=dict)
    # The project's user rules (taxonomy.userrules.RuleSet), loaded once by `lint`; None: load on demand.
    user_rules: Any = None
