"""`taxonomy diff`: two versions of the taxonomy -> classified changes -> findings.

gitsource resolves each side (file, REV:path, ref), changes compares two models, review applies accepted changes
and code usage.
"""
