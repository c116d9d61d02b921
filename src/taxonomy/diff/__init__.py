"""`taxonomy diff`: two versions of the taxonomy -> classified changes -> findings and reports.

gitsource   each side: a file, REV:path or a revision, read through git (loader.FileSource)
changes     the change catalogue (KINDS: id, category, reason) and compare(old, new)
review      accepted_changes from the new file, and downgrades from code usage (--code)
outcome     one DIF finding per change under the user's policy, and the exit code
render      diff's own text / json / markdown (other formats are the shared reporters)
"""
