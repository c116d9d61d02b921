"""How much a finding matters (apart from the finding records: the settings need this at start-up, not those)."""

from __future__ import annotations

import enum


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` means "at or above"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None
