"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from taxonomy.errors import TaxonomyError


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write `data` to `path` through a temp file in the same folder, fsync, then rename over it.

    Keeps the permissions of an existing file. On any failure the temp file is removed and the old file
    is left as it was.
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise TaxonomyError(f"cannot write {target}: {exc.strerror}") from None
    try:
        fd, tmp = _temporary(folder, target.name)
    except OSError as exc:
        raise TaxonomyError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise TaxonomyError(f"cannot write {target}: {exc.strerror}") from None
        raise
    sync_folder(folder)


_TEMPORARY_FLAGS = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOINHERIT", 0)
)  # fmt: skip


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new file `.NAME.RANDOM.tmp` in `folder`, readable by its owner only: `tempfile.mkstemp` without importing
    tempfile, shutil and random (about 6 ms of start-up for a command that writes one file)."""
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(path, _TEMPORARY_FLAGS, 0o600), path
        except FileExistsError:
            continue  # (a name already taken: another one)
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make a rename inside `folder` durable (where the platform lets a folder be opened and synced)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
