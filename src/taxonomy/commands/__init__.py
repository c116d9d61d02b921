"""Commands: plain functions that take options and return the exit code. The click layer only calls them.

What the findings commands share is in shared.py (not here: `taxonomy scan` starts faster without it).
"""
