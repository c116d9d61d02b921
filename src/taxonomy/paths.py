"""How paths are shown (relative to the working folder when inside it, forward slashes), and safe reads."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def display_path(path: str | os.PathLike[str], cwd: Path | None = None) -> str:
    target = Path(path)
    base = cwd or Path.cwd()
    try:
        absolute = target if target.is_absolute() else base / target
        return Path(os.path.relpath(absolute, base)).as_posix() if _inside(absolute, base) else absolute.as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


def _inside(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """A regular file's bytes; a FIFO or a device raises OSError instead of blocking or never ending.

    A file larger than `limit` bytes raises OSError too, before anything is read.

    Opened non-blocking so that a named pipe (which blocks until a writer comes) is refused at once.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe or a device?)", str(path))
        size = os.fstat(handle.fileno()).st_size
        if limit is not None and size > limit:
            raise OSError(errno.EFBIG, f"too large ({size:,} bytes; the limit is {limit:,})", str(path))
        return handle.read()
