"""taxonomy: an event-taxonomy registry and data-schema linter for Braze."""

__version__ = "0.1.0"
