"""Checks: one module per family. Checks read the model and yield findings; they never print."""
