"""The two sides of `taxonomy diff`: a file on disk, `REV:path`, or a git ref (the taxonomy file at that ref).

Everything goes through the real `git` command (no library): `rev-parse` to resolve names, `cat-file` to read a
file at a revision, `ls-tree` to expand include globs there. A revision is read whole from git, never checked out.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from taxonomy.errors import TaxonomyError
from taxonomy.loader import DISK, FileSource
from taxonomy.paths import display_path


def git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run git; a missing git binary is a usage error, not a crash."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise TaxonomyError("git is not installed (or not on PATH)", hint="install git, or pass two files") from None


def _out(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8", "replace").strip()


def _err(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[-1] if text else f"git exited with {result.returncode}"


@dataclass(frozen=True)
class Repo:
    """A git work tree: its top folder (where `REV:path` paths start)."""

    top: Path

    @classmethod
    def find(cls, cwd: Path | None = None) -> Repo:
        here = (cwd or Path.cwd()).resolve()
        result = git(["rev-parse", "--show-toplevel"], here)
        if result.returncode != 0:
            if "not a git repository" not in result.stderr.decode("utf-8", "replace"):
                # e.g. "detected dubious ownership": git's own words say what to do
                raise TaxonomyError(
                    f"git: {_err(result)}",
                    hint="`git rev-parse --show-toplevel` in this folder shows the whole message",
                )
            raise TaxonomyError(
                f"{display_path(here)} is not inside a git repository",
                hint="pass two taxonomy files (taxonomy diff OLD.yaml NEW.yaml)",
            )
        return cls(Path(_out(result)).resolve())

    def commit(self, rev: str) -> str | None:
        """The commit a revision names, or None when it names none."""
        result = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], self.top)
        return _out(result) if result.returncode == 0 else None

    def has_commits(self) -> bool:
        return self.commit("HEAD") is not None

    def upstream(self) -> str | None:
        result = git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], self.top)
        return _out(result) if result.returncode == 0 and _out(result) else None

    def detached(self) -> bool:
        return git(["symbolic-ref", "-q", "HEAD"], self.top).returncode != 0

    def merge_base(self, a: str, b: str) -> str | None:
        result = git(["merge-base", a, b], self.top)
        return _out(result) if result.returncode == 0 else None

    def relative(self, path: Path) -> str:
        """A path as git names it at a revision: relative to the top folder, forward slashes."""
        absolute = path if path.is_absolute() else Path.cwd() / path
        for candidate in (Path(os.path.abspath(absolute)), absolute.resolve()):
            try:
                return PurePosixPath(candidate.relative_to(self.top)).as_posix()
            except ValueError:
                continue
        raise TaxonomyError(f"{display_path(path)} is outside the git repository {display_path(self.top)}")


@dataclass
class GitSource(FileSource):
    """Reads files as they are at one commit. Paths are absolute work-tree paths, mapped into the commit."""

    repo: Repo
    commit: str
    label: str  # the revision as the user wrote it, for messages

    def _name(self, path: Path) -> str | None:
        for candidate in (Path(os.path.abspath(path)), path.resolve()):  # resolve: a symlinked working folder
            try:
                return PurePosixPath(candidate.relative_to(self.repo.top)).as_posix()
            except ValueError:
                continue
        return None

    @functools.cached_property
    def _blobs(self) -> dict[str, str]:
        """path -> object type (blob or tree) for every entry of the commit's tree."""
        result = git(["ls-tree", "-r", "-t", "-z", "--full-tree", self.commit], self.repo.top)
        if result.returncode != 0:
            raise TaxonomyError(f"cannot list the files at {self.label}: {_err(result)}")
        entries: dict[str, str] = {}
        for record in result.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            entries[name.decode("utf-8", "surrogateescape")] = meta.split()[1].decode()
        return entries

    def read_text(self, path: Path, display: str) -> str:
        name = self._name(path)
        kind = self._blobs.get(name) if name is not None else None
        if kind is None:
            raise TaxonomyError(f"does not exist at {self.label}", file=display)
        if kind != "blob":
            raise TaxonomyError(f"is a directory at {self.label}, not a taxonomy file", file=display)
        result = git(["cat-file", "blob", f"{self.commit}:{name}"], self.repo.top)
        if result.returncode != 0:
            raise TaxonomyError(f"cannot read at {self.label}: {_err(result)}", file=display)
        raw = result.stdout
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise TaxonomyError(f"not valid UTF-8 at {self.label}", file=display, line=line) from None
        return text

    def glob(self, pattern: Path) -> list[Path]:
        name = self._name(pattern)
        if name is None:
            return []
        parts = tuple(name.split("/"))
        return sorted(
            self.repo.top / entry
            for entry, kind in self._blobs.items()
            if kind == "blob" and glob_match(parts, tuple(entry.split("/")))
        )

    def is_file(self, path: Path) -> bool:
        name = self._name(path)
        return name is not None and self._blobs.get(name) == "blob"

    def is_dir(self, path: Path) -> bool:
        name = self._name(path)
        return name is not None and self._blobs.get(name) == "tree"


def glob_match(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Path segments against glob segments, `**` matching any number of folders (as glob.glob(recursive=True))."""
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        # `**` spans folders, never hidden ones; last in a pattern it must span at least the file itself.
        spans = range(len(path) + 1) if rest else range(1, len(path) + 1)
        return any(glob_match(rest, path[i:]) and not any(part.startswith(".") for part in path[:i]) for i in spans)
    if not path or (path[0].startswith(".") and not head.startswith(".")):
        return False  # like glob: wildcards do not match hidden names
    return fnmatch.fnmatchcase(path[0], head) and glob_match(rest, path[1:])


@dataclass(frozen=True)
class Side:
    """One side of the comparison: which file, read from where, and how to name it to the user."""

    path: Path
    source: FileSource
    label: str  # "working tree", "HEAD~1", "old.yaml"


def resolve(argument: str | None, default_path: Callable[[], Path], *, repo: Repo | None = None) -> Side:
    """A command-line argument (or None: the working tree file) as a Side.

    `default_path` is called only when needed: for None, and for a bare revision (the taxonomy file at it).
    """
    if argument is None:
        path = default_path()
        return Side(path, DISK, display_path(path))
    if Path(argument).exists():  # a file wins over a revision of the same name, as in most git tools
        return Side(Path(argument), DISK, display_path(argument))
    if repo is None:
        try:
            repo = Repo.find()
        except TaxonomyError:
            raise TaxonomyError(
                "file not found (and this folder is not in a git repository, so it is not a revision either)",
                file=argument,
            ) from None
    rev, sep, rest = argument.partition(":")
    if sep and rev and rest:
        commit = _commit(repo, rev)
        # As in git: `REV:path` is relative to the repository's top folder, `REV:./path` to the current one.
        path = (Path.cwd() / rest) if rest.startswith(("./", "../")) else repo.top / rest
        return Side(Path(os.path.abspath(path)), GitSource(repo, commit, rev), argument)
    if sep and not rest:
        raise TaxonomyError(f"{argument!r}: name the file after the colon (REV:path/to/taxonomy.yaml)")
    commit = _commit(repo, argument)
    path = default_path()
    repo.relative(path)  # the default file must live in this repository
    return Side(Path(os.path.abspath(path)), GitSource(repo, commit, argument), argument)


def _commit(repo: Repo, rev: str) -> str:
    commit = repo.commit(rev)
    if commit is None:
        raise _unknown(rev, repo)
    return commit


def _unknown(rev: str, repo: Repo) -> TaxonomyError:
    if not repo.has_commits():
        return TaxonomyError(
            "the git repository has no commits yet", hint="commit the taxonomy first, or pass two files"
        )
    return TaxonomyError(
        f"{rev!r} is neither a file nor a git revision",
        hint="pass a file, a revision (main, HEAD~1, v1.2.0) or REV:path/to/taxonomy.yaml",
    )


def default_base(repo: Repo) -> tuple[str, str]:
    """With no arguments: the merge base with the upstream branch, else HEAD. Returns (commit, label)."""
    if not repo.has_commits():
        raise TaxonomyError(
            "the git repository has no commits yet, so there is nothing to compare with",
            hint="commit the taxonomy first, or pass two files (taxonomy diff OLD.yaml NEW.yaml)",
        )
    upstream = repo.upstream()
    if upstream is not None:
        base = repo.merge_base("HEAD", upstream)
        if base is not None:
            return base, f"merge base with {upstream} ({base[:7]})"
    if repo.detached():
        # In CI a detached checkout compared with its own HEAD would always look unchanged: say so instead.
        raise TaxonomyError(
            "HEAD is detached and has no upstream branch, so there is no base to compare with",
            hint="name the base: taxonomy diff origin/main (fetch it first in CI)",
        )
    return _out(git(["rev-parse", "HEAD"], repo.top)), "HEAD"
