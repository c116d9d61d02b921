"""The scan cache: what changes invalidate, corrupt files, the remembered result; and the fast paths that must give
exactly what the slow ones give (.gitignore matching, pretty JSON)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pathspec
import pytest
from conftest import write

from taxonomy.commands.scan import json_text, pretty_json
from taxonomy.config import Config
from taxonomy.scan import discover, scan_paths
from taxonomy.scan.cache import ScanCache, _unpack
from taxonomy.scan.discover import Rules, walk
from taxonomy.scan.languages import SUFFIXES
from taxonomy.scan.records import CallSite, ScanResult, Skipped


@pytest.fixture(autouse=True, params=["one core", "two cores"])
def stat_helper(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test twice: a re-scan stats the files here only (a small tree), and with a helper process too."""
    monkeypatch.setattr(discover, "_core_free", lambda: True)  # an idle machine (the helper's rule)
    # (other tests may leave a server's idle threads behind: the helper only stats and writes, safe to fork here)
    monkeypatch.setattr(discover, "_single_threaded", lambda: True)
    if request.param == "two cores":
        monkeypatch.setattr(discover, "HELPER_MIN_FILES", 0)
    return str(request.param)


def names(path: Path, **kwargs: object) -> list[tuple[str, str | None]]:
    result = scan_paths([path], Config(root=path), **kwargs)  # type: ignore[arg-type]
    return [(s.file, s.name) for s in result.call_sites]


def call(name: str) -> str:
    return f'braze.logCustomEvent("{name}");\n'


def cache_file(root: Path) -> Path:
    (found,) = (root / ".taxonomy-cache").glob("scan-*.json")
    return found


def edit(path: Path, text: str) -> None:
    """New content and a new modification time (a second later: coarse file systems still see it)."""
    info = path.stat()
    path.write_text(text)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_changed_added_and_removed_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / "a" / "one.js", call("one"))
    write(tmp_path / "a" / "two.js", call("two"))
    write(tmp_path / "b" / "three.js", call("three"))
    first = names(tmp_path)
    assert first == [("a/one.js", "one"), ("a/two.js", "two"), ("b/three.js", "three")]
    assert names(tmp_path) == first  # unchanged: the remembered result
    edit(tmp_path / "a" / "two.js", call("deux"))
    write(tmp_path / "a" / "four.js", call("four"))
    write(tmp_path / "c" / "five.js", call("five"))
    (tmp_path / "b" / "three.js").unlink()
    (tmp_path / "b").rmdir()
    expected = [("a/four.js", "four"), ("a/one.js", "one"), ("a/two.js", "deux"), ("c/five.js", "five")]
    assert names(tmp_path) == expected
    assert names(tmp_path) == expected
    (tmp_path / "c" / "five.js").unlink()  # the last file of a folder
    assert names(tmp_path) == expected[:3]
    assert names(tmp_path, use_cache=False) == expected[:3]


def test_a_file_that_loses_its_call_sites(tmp_path: Path) -> None:
    path = write(tmp_path / "a.js", call("x"))
    assert names(tmp_path) == [("a.js", "x")]
    edit(path, "// nothing here\n")
    assert names(tmp_path) == []
    other_root = scan_paths([tmp_path], Config(root=tmp_path), root=tmp_path.parent)  # no remembered result
    assert other_root.call_sites == ()
    edit(path, call("y"))
    assert names(tmp_path) == [("a.js", "y")]


def test_scans_of_a_folder_and_of_its_subfolder_share_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "sub" / "a.js", call("old"))
    write(tmp_path / "b.js", call("b"))
    config = Config(root=tmp_path)
    whole = [(s.file, s.name) for s in scan_paths([tmp_path], config).call_sites]
    assert whole == [("b.js", "b"), ("sub/a.js", "old")]
    assert [s.name for s in scan_paths([tmp_path / "sub"], config).call_sites] == ["old"]
    edit(path, call("new"))
    assert [s.name for s in scan_paths([tmp_path / "sub"], config).call_sites] == ["new"]
    # The subfolder's record is up to date now; the whole folder's remembered result is not: it must not be used.
    assert [(s.file, s.name) for s in scan_paths([tmp_path], config).call_sites] == [("b.js", "b"), ("sub/a.js", "new")]


def test_a_file_named_on_the_command_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.js", call("old"))
    config = Config(root=tmp_path)
    assert [s.name for s in scan_paths([path], config).call_sites] == ["old"]
    assert [s.name for s in scan_paths([path], config).call_sites] == ["old"]
    edit(path, call("new"))
    assert [s.name for s in scan_paths([path], config).call_sites] == ["new"]


def test_gitignore_changes_are_seen(tmp_path: Path) -> None:
    write(tmp_path / "gen" / "a.js", call("gen"))
    write(tmp_path / "b.js", call("b"))
    assert [n for _f, n in names(tmp_path)] == ["b", "gen"]
    write(tmp_path / ".gitignore", "gen/\n")
    assert [n for _f, n in names(tmp_path)] == ["b"]
    write(tmp_path / ".gitignore", "*.js\n!gen/a.js\n")
    assert [n for _f, n in names(tmp_path)] == ["gen"]
    (tmp_path / ".gitignore").unlink()
    assert [n for _f, n in names(tmp_path)] == ["b", "gen"]


def test_workers_and_the_cache_agree(tmp_path: Path) -> None:
    for index in range(500):
        write(tmp_path / f"m{index % 9}" / f"f{index}.ts", call(f"e{index}") if index % 5 == 0 else "// x\n")
    cold = scan_paths([tmp_path], Config(root=tmp_path), jobs=2)
    edit(tmp_path / "m0" / "f0.ts", call("changed"))
    warm = scan_paths([tmp_path], Config(root=tmp_path), jobs=2)
    assert len(cold.call_sites) == len(warm.call_sites) == 100
    assert {s.name for s in warm.call_sites} - {s.name for s in cold.call_sites} == {"changed"}
    assert scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1).call_sites == warm.call_sites


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"\x00\xff garbage",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1],
        lambda data: data.replace(b'"folders"', b'"folderz"', 1),
        lambda data: data.split(b"\n", 1)[0] + b"\n" + b"x" * (len(data.split(b"\n", 1)[1])),
        lambda data: json.dumps({"key": 1}).encode() + b"\n",
        lambda data: b'{"key": "k", "sizes": [-5, 2]}\n{}',
        lambda data: data.split(b"\n", 1)[0] + b"\n",
    ],
)
def test_a_corrupt_cache_is_ignored(tmp_path: Path, damage: object) -> None:
    write(tmp_path / "a" / "one.js", call("one"))
    write(tmp_path / "a" / "two.ts", "const E = 'two';\nbraze.logCustomEvent(E);\n")
    expected = names(tmp_path)
    path = cache_file(tmp_path)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert names(tmp_path) == expected
    assert names(tmp_path) == expected


def _damage_outcomes(path: Path, outcomes: bytes) -> None:
    """Keep the header and the index; results that do not parse; these outcome lines."""
    header, rest = path.read_bytes().split(b"\n", 1)
    sizes = json.loads(header)["sizes"]
    path.write_bytes(header + b"\n" + rest[: sizes[0]] + b"{" + b" " * (sizes[1] - 1) + outcomes)


@pytest.mark.parametrize("outcomes", [b"", b"garbage\n\n", b'"x"\t{}\n', b'"' + b"x" * 50 + b"\n\n"])
def test_unreadable_outcomes_are_scanned_again(tmp_path: Path, outcomes: bytes) -> None:
    """The index says the files are unchanged, but what they held cannot be read: scan them again."""
    write(tmp_path / "a.js", call("one"))
    write(tmp_path / "b" / "c.js", call("two"))
    expected = names(tmp_path)
    _damage_outcomes(cache_file(tmp_path), outcomes)
    assert names(tmp_path) == expected
    assert names(tmp_path) == expected
    edit(tmp_path / "a.js", call("uno"))  # now one file changed: the other one's outcome must still be right
    _damage_outcomes(cache_file(tmp_path), outcomes)
    assert names(tmp_path) == [("a.js", "uno"), ("b/c.js", "two")]
    assert names(tmp_path) == [("a.js", "uno"), ("b/c.js", "two")]


def test_gitignore_rules_match_like_pathspec() -> None:
    rng = random.Random(5)
    atoms = ["*", "**", "?", "a", "dist", "*.js", "x.js", "[ab]", "[!a]", "\\#", ".", "d"]
    paths = ["a", "b", "dist", "x.js", "y.gen.ts", "ab", "#", ".js", "d", "a b", "é", "x\ny.js"]
    for _ in range(500):
        lines = []
        for _ in range(rng.randint(1, 4)):
            parts = [rng.choice(atoms) for _ in range(rng.randint(1, 3))]
            line = "/".join(parts) if rng.random() < 0.5 else "".join(parts)
            lines.append(("!" if rng.random() < 0.2 else "") + line + ("/" if rng.random() < 0.2 else ""))
        spec, rules = pathspec.GitIgnoreSpec.from_lines(lines), Rules(lines, {})
        for _ in range(5):
            here = "".join(rng.choice(paths) + "/" for _ in range(rng.randint(0, 2)))
            batch = [rng.choice(paths) + ("/" if rng.random() < 0.3 else "") for _ in range(rng.randint(1, 4))]
            exact = [spec.match_file(here + name) for name in batch]
            assert [rules.matches(here + name) for name in batch] == exact, (lines, here, batch)
            assert rules.flags(here, batch) or not any(exact), (lines, here, batch)


@pytest.mark.parametrize(("name", "imported"), [("app.ts", False), ("app.gen.ts", True)])
def test_pathspec_is_loaded_only_for_names_a_gitignore_may_match(tmp_path: Path, name: str, imported: bool) -> None:
    """Its import costs a cold scan ~25 ms: the plain text every ignored path holds (`dist`, `.gen.ts`) comes first."""
    write(tmp_path / ".gitignore", "dist/\n*.gen.ts\n")
    write(tmp_path / "src" / name, call("e"))
    code = (
        "import sys\nfrom pathlib import Path\nfrom taxonomy.config import Config\n"
        "from taxonomy.scan import scan_paths\n"
        f"r = scan_paths([Path({str(tmp_path)!r})], Config(root=Path({str(tmp_path)!r})), use_cache=False)\n"
        "print(len(r.call_sites), 'pathspec' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == (["0", "True"] if imported else ["1", "False"])


def test_pretty_json_is_json_dumps() -> None:
    samples: list[object] = [{}, [], {"a": []}, {"a": {}}, {"x": [[], [{}], {"y": ("t",)}]}, "\ud800",
                             [1, 2.5, True, None, float("nan"), -0.0, 10**30, "é\u2028\x00\"\\"],
                             {1: 4, None: 3, False: 5, 2.5: 1}]  # fmt: skip
    for sample in samples:
        assert pretty_json(sample) == json.dumps(sample, indent=2, ensure_ascii=False)
    site = CallSite("é\n.js", 1, 2, "javascript", "braze", "event", "log", None, 'a"b', ("p", "q\u2028"), "v")
    others = [  # other files, kinds, names; and fields of types the fast way does not know (a damaged cache)
        CallSite("b.py", 3, 4, "python", "braze", "attribute", "set", "n", None, value=1),
        CallSite("b.py", 5, 6, "python", "segment", "event", "log", 7, 8.5, via=True),  # type: ignore[arg-type]
        CallSite("c.kt", 7, 8, ["kotlin"], "braze", "event", "log", "x", None),  # type: ignore[arg-type]
        CallSite("c.kt", 9, 1, "kotlin", "braze", "event", "log", "x", None),
        CallSite(None, True, 2, "kotlin", "braze", "event", "log", "x", None),  # type: ignore[arg-type]
    ]
    results = (ScanResult("r", (), ()), ScanResult("r", (site, site), (Skipped("a", "b"),)),
               ScanResult("r", (site, *others, site), ()))  # fmt: skip
    for result in results:
        assert json_text(result) == json.dumps(result.to_json(), indent=2, ensure_ascii=False)


def test_a_named_file_that_loses_its_call_sites(tmp_path: Path) -> None:
    path = write(tmp_path / "a.js", call("x"))
    config = Config(root=tmp_path)
    assert [s.name for s in scan_paths([path], config).call_sites] == ["x"]
    edit(path, "// nothing\n")
    assert [s.name for s in scan_paths([path], config).call_sites] == []
    assert [s.name for s in scan_paths([path], config).call_sites] == []
    # another scan of the same file (another root): no remembered result, so what the cache holds for the file
    assert [s.name for s in scan_paths([path], config, root=tmp_path).call_sites] == []
    edit(path, call("y"))
    assert [s.name for s in scan_paths([path], config).call_sites] == ["y"]


def test_constants_of_other_files_with_workers(tmp_path: Path) -> None:
    """The constants pass runs in the workers when there are some: same names as in one process."""
    write(tmp_path / "src" / "events.ts", 'export const Ev = { SIGNED_UP: "signed_up" };\n')
    write(tmp_path / "app" / "Events.kt", 'object Events { const val VIEWED = "viewed" }\n')
    for index in range(450):
        write(tmp_path / "src" / f"p{index}.ts", "// filler\n")
    write(tmp_path / "src" / "use.ts", 'import { Ev } from "./events";\nbraze.logCustomEvent(Ev.SIGNED_UP);\n')
    write(tmp_path / "app" / "Use.kt", "fun f() { Braze.getInstance(ctx).logCustomEvent(Events.VIEWED) }\n")
    two = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=2)
    one = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1)
    assert [(s.file, s.name) for s in two.call_sites] == [("app/Use.kt", "viewed"), ("src/use.ts", "signed_up")]
    assert two.call_sites == one.call_sites


def test_only_the_imports_a_constant_is_found_through_are_remembered(tmp_path: Path) -> None:
    """A file's imports are kept (in memory, in the cache) only for the constants its call sites use."""
    write(tmp_path / "shop" / "events.py", 'SIGNED_UP = "signed_up"\nUNUSED_NAME = "unused"\n')
    write(tmp_path / "shop" / "other.py", 'ALSO_UNUSED = "x"\n')
    body = '{"events": [{"external_id": "u", "name": SIGNED_UP}]}'
    write(
        tmp_path / "app.py",
        f"from shop.events import SIGNED_UP, UNUSED_NAME\nfrom shop.other import ALSO_UNUSED\n\nB = {body}\n",
    )
    assert names(tmp_path) == [("app.py", "signed_up")]
    outcomes = cache_file(tmp_path).read_text().split(json.dumps(str(tmp_path)) + "\t", 1)[1].split("\n", 1)[0]
    assert json.loads(outcomes)["app.py"]["i"] == {"SIGNED_UP": "shop.events"}
    edit(tmp_path / "shop" / "events.py", 'SIGNED_UP = "signed_up_v2"\n')  # the re-scan reads the cached imports
    assert names(tmp_path) == [("app.py", "signed_up_v2")]


def _walked(root: Path, **kwargs: object) -> list[tuple[str, list[str], list[int], set[int]]]:
    skipped: list[tuple[str, str]] = []
    folders = walk([root], root, skipped, project=root, suffixes=list(SUFFIXES), stat=True, **kwargs)  # type: ignore[arg-type]
    return [(f.rel_prefix, f.names, list(f.stats), set(f.failed)) for f in folders]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_scan_remembers_the_files_as_the_walk_would(tmp_path: Path, jobs: int) -> None:
    """A cold scan takes each file's stat as it reads it (the walk does not stat): the cache's index must be the one
    a walk that stats would make (a file that cannot be opened is not remembered), and a re-scan reads nothing."""
    _tree_with_a_dangling_link(tmp_path)
    for index in range(450):
        write(tmp_path / f"d{index % 5}" / f"g{index}.ts", call(f"e{index}") if index % 50 == 0 else "// x\n")
    cold = scan_paths([tmp_path], Config(root=tmp_path), jobs=jobs)
    with cache_file(tmp_path).open("rb") as handle:
        index = json.loads(handle.read(json.loads(handle.readline())["sizes"][0]))["folders"]
    remembered = {folder: _unpack(*record) for folder, record in index.items()}
    walked = {
        str(tmp_path / rel): {name: (stats[2 * i], stats[2 * i + 1]) for i, name in enumerate(names) if i not in failed}
        for rel, names, stats, failed in _walked(tmp_path)
    }
    assert remembered == {folder.rstrip(os.sep): files for folder, files in walked.items()}
    assert "gone.ts" not in remembered[str(tmp_path / "d3")]
    sneaky = tmp_path / "d0" / "g0.ts"  # new bytes, same size and time: a re-scan that read it would see them
    info = sneaky.stat()
    sneaky.write_text(call("x0"))
    os.utime(sneaky, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert scan_paths([tmp_path], Config(root=tmp_path), jobs=jobs) == cold
    assert "e0" in {site.name for site in cold.call_sites}


def test_a_cold_scan_of_folders_and_named_files_remembers_both(tmp_path: Path) -> None:
    for index in range(30):
        write(tmp_path / "a" / f"f{index}.ts", call(f"a{index}"))
        write(tmp_path / "b" / f"f{index}.ts", call(f"b{index}"))
    paths = [tmp_path / "a", tmp_path / "b" / "f1.ts", tmp_path / "b"]
    cold = scan_paths(paths, Config(root=tmp_path), root=tmp_path)
    with cache_file(tmp_path).open("rb") as handle:
        index = json.loads(handle.read(json.loads(handle.readline())["sizes"][0]))
    assert {folder: len(_unpack(*record)) for folder, record in index["folders"].items()} == {
        str(tmp_path / "a"): 30,
        str(tmp_path / "b"): 30,
    }
    assert list(index["named"]) == [str(tmp_path / "b" / "f1.ts")]
    assert scan_paths(paths, Config(root=tmp_path), root=tmp_path) == cold


def _known(root: Path) -> dict[str, str]:
    """What the cache would say of the last scan."""
    skipped: list[tuple[str, str]] = []
    return {
        f.prefix.rstrip(os.sep): discover.SEPARATOR.join(f.names) for f in walk([root], root, skipped, project=root)
    }


def _tree_with_a_dangling_link(root: Path) -> None:
    for index in range(40):
        write(root / f"d{index % 7}" / f"f{index}.ts", "x" * index)
    (root / "d3" / "gone.ts").symlink_to(root / "missing.ts")  # listed, but its stat fails


def test_the_helper_process_stats_like_this_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree_with_a_dangling_link(tmp_path)
    monkeypatch.setattr(discover, "HELPER_MIN_FILES", 0)
    calls: list[int] = []
    alone = _walked(tmp_path)
    assert ("d3/", ["f10.ts", "f17.ts", "f24.ts", "f3.ts", "f31.ts", "f38.ts", "gone.ts"]) in [f[:2] for f in alone]
    assert [f[3] for f in alone if f[0] == "d3/"] == [{6}]
    known = _known(tmp_path)
    assert _walked(tmp_path, known=known, idle=lambda: calls.append(1)) == alone
    assert calls == ([1] if discover.helper_possible() else [])
    # Folders changed since: new files, files gone, a new folder, a folder gone
    write(tmp_path / "d1" / "new.ts", "new")
    (tmp_path / "d2" / "f2.ts").unlink()
    write(tmp_path / "new" / "a.ts", "a")
    for path in (tmp_path / "d5").iterdir():
        path.unlink()
    (tmp_path / "d5").rmdir()
    assert _walked(tmp_path, known=known) == _walked(tmp_path)
    monkeypatch.setattr(discover, "_core_free", lambda: False)  # every core busy: all here
    assert _walked(tmp_path, known=known, idle=lambda: calls.append(2)) == _walked(tmp_path)
    monkeypatch.setattr(discover, "_core_free", lambda: True)
    monkeypatch.setattr(discover, "HELPER_MIN_FILES", 10_000)  # a small tree: all here, `idle` never called
    assert _walked(tmp_path, known=known, idle=lambda: calls.append(3)) == _walked(tmp_path)
    assert calls == ([1] if discover.helper_possible() else [])


@pytest.mark.parametrize("failure", ["no fork", "helper dies", "helper sends too little"])
def test_a_failed_helper_leaves_the_work_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    if not discover.helper_possible():
        pytest.skip("no fork or one core: never a helper")
    _tree_with_a_dangling_link(tmp_path)
    alone = _walked(tmp_path)
    known = _known(tmp_path)
    monkeypatch.setattr(discover, "HELPER_MIN_FILES", 0)
    monkeypatch.setattr(discover, "HELPER_SHARE", 1.0)
    if failure == "no fork":

        def no_fork() -> int:
            raise OSError("no more processes")

        monkeypatch.setattr(os, "fork", no_fork)
    else:
        real = discover._stats

        def stats(prefix: str, names: list[str]) -> object:
            if os.getpid() != parent:  # in the helper
                if failure == "helper dies":
                    raise RuntimeError("boom")
                return real(prefix, names[:-1]) if prefix.endswith(f"{os.sep}d6{os.sep}") else real(prefix, names)
            return real(prefix, names)

        parent = os.getpid()
        monkeypatch.setattr(discover, "_stats", stats)
    assert _walked(tmp_path, known=known) == alone


def test_a_file_changed_after_the_result_was_decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last result is decoded while the helper still works, before any folder is checked: a change still counts."""
    monkeypatch.setattr(discover, "HELPER_MIN_FILES", 0)
    write(tmp_path / "a" / "one.js", call("one"))
    write(tmp_path / "z" / "two.js", call("two"))
    assert names(tmp_path) == [("a/one.js", "one"), ("z/two.js", "two")]
    prefetched: list[bool] = []
    real = ScanCache.prefetch

    def prefetch(self: ScanCache) -> None:
        prefetched.append(self.unchanged)
        real(self)

    monkeypatch.setattr(ScanCache, "prefetch", prefetch)
    forks = discover.helper_possible()
    assert names(tmp_path) == [("a/one.js", "one"), ("z/two.js", "two")]
    assert prefetched == ([True, True] if forks else [True])  # (recall asks too)
    for folder, name in (("a", "one.js"), ("z", "two.js")):
        prefetched.clear()
        edit(tmp_path / folder / name, call(f"new {folder}"))
        expected = [("a/one.js", "new a"), ("z/two.js", "new z" if folder == "z" else "two")]
        assert names(tmp_path) == expected
        assert prefetched == ([True] if forks else [])
        assert names(tmp_path) == expected


def test_an_empty_tree_is_remembered(tmp_path: Path) -> None:
    assert names(tmp_path) == []
    before = cache_file(tmp_path).stat().st_mtime_ns
    os.utime(cache_file(tmp_path), ns=(before - 10**9, before - 10**9))
    assert names(tmp_path) == []
    assert cache_file(tmp_path).stat().st_mtime_ns == before - 10**9  # read, not written again


def test_the_remembered_result_round_trips() -> None:
    from taxonomy.scan.cache import Remembered
    from taxonomy.scan.records import Suppressed

    plain = CallSite("a.ts", 1, 2, "typescript", "braze", "event", "log", "x", None)
    sites = [
        plain,
        CallSite(
            "a.ts", 3, 4, "typescript", "braze", "event", "log", None, "f()", ("k",), "W.send", (("k", "string"),)
        ),
        CallSite("b.py", 5, 6, "python", "braze", "attribute", "set", "age", None, value_type="integer", value=0),
        CallSite("b.py", 7, 8, "python", "braze", "attribute", "set", "on", None, value=False),
        CallSite("c.kt", 9, 1, "kotlin", "braze", "event", "log", None, "A.B", properties_known=False),
        CallSite("c.kt", 9, 9, "kotlin", "braze", "event", "log", None, "A.B + x", pending=("r:A.B", "s:x")),
    ]
    remembered = Remembered(sites, [Skipped("d.js", "binary")], [Suppressed("a.ts", 1, 3, ("COD001",))], 3, 4, ["x"])
    raw = remembered.to_raw()
    assert [len(row) for row in raw[0]] == [9, 16, 16, 16, 16, 16]  # the defaults are left out
    again = Remembered.from_raw(json.loads(json.dumps(raw)))
    assert again.sites == sites
    assert (again.skipped, again.suppressions) == (remembered.skipped, remembered.suppressions)
    assert (again.parsed, again.files, again.languages) == (3, 4, ["x"])


def test_a_free_core_is_told_by_the_tasks_ready_to_run() -> None:
    assert discover.ready_tasks(b"0.52 0.58 0.59 1/189 4321\n") == 1
    assert discover.ready_tasks(b"3.10 2.00 1.50 12/301 99") == 12
    with pytest.raises((ValueError, IndexError)):  # (read as "no free core known": `_core_free` falls back)
        discover.ready_tasks(b"garbage")
