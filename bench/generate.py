"""Generate a mixed-language app tree with a known truth, for bench/run.py.

    python bench/generate.py OUT --files 20000 [--seed 7] [--call-rate 0.05]

Writes OUT/tree/ (JS, TS, TSX, Python, Kotlin, Java, Swift, Objective-C, Dart, C# files of 1-12 KB: filler code,
about `call-rate` of the files with SDK call sites, constants files, a declared wrapper, dynamic names, and decoys:
comments, strings, look-alike identifiers, other receivers, test mocks) and OUT/truth.json: every real call site
(file, line, language, kind, op, name; name null when dynamic). OUT/tree/.taxonomy.toml declares the wrapper.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

Site = dict[str, object]

LANGS = {  # extension -> (language, line comment, folder)
    ".js": ("javascript", "//", "web/src"),
    ".ts": ("typescript", "//", "web/src"),
    ".tsx": ("typescript", "//", "web/components"),
    ".py": ("python", "#", "backend/shop"),
    ".kt": ("kotlin", "//", "android/app/src/main/java/com/shop"),
    ".java": ("java", "//", "android/app/src/main/java/com/shop/legacy"),
    ".swift": ("swift", "//", "ios/Shop"),
    ".m": ("objc", "//", "ios/ShopLegacy"),
    ".dart": ("dart", "//", "flutter/lib"),
    ".cs": ("csharp", "//", "unity/Assets/Scripts"),
}
WEIGHTS = {
    ".js": 14,
    ".ts": 20,
    ".tsx": 10,
    ".py": 14,
    ".kt": 12,
    ".java": 8,
    ".swift": 10,
    ".m": 4,
    ".dart": 5,
    ".cs": 3,
}
EVENTS = [f"event_{i}" for i in range(300)]
ATTRS = [f"attr_{i}" for i in range(120)]
PRODUCTS = [f"product_{i}" for i in range(40)]


def filler(rng: random.Random, ext: str, size: int) -> list[str]:
    """Plausible code without SDK calls (identifiers, loops, strings), about `size` bytes."""
    out: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        name = f"helper{n}_{rng.randrange(10_000)}"
        if ext in (".js", ".ts", ".tsx"):
            block = [
                f"export function {name}(items, limit) {{",
                "  let total = 0;",
                "  for (const item of items) {",
                "    if (item.price > limit) { total += item.price * 2; }",
                f'    console.log("processing {name}", item.id);',
                "  }",
                "  return total;",
                "}",
                "",
            ]
        elif ext == ".py":
            block = [
                f"def {name}(items, limit):",
                "    total = 0",
                "    for item in items:",
                "        if item.price > limit:",
                "            total += item.price * 2",
                f'        log.debug("processing {name} %s", item.id)',
                "    return total",
                "",
                "",
            ]
        elif ext == ".kt":
            block = [
                f"fun {name}(items: List<Item>, limit: Double): Double {{",
                "    var total = 0.0",
                "    for (item in items) {",
                "        if (item.price > limit) total += item.price * 2",
                f'        Log.d("shop", "processing {name} ${{item.id}}")',
                "    }",
                "    return total",
                "}",
                "",
            ]
        elif ext == ".java":
            block = [
                f"  static double {name}(List<Item> items, double limit) {{",
                "    double total = 0;",
                "    for (Item item : items) {",
                "      if (item.price > limit) total += item.price * 2;",
                f'      Log.d("shop", "processing {name}");',
                "    }",
                "    return total;",
                "  }",
                "",
            ]
        elif ext == ".swift":
            block = [
                f"func {name}(_ items: [Item], limit: Double) -> Double {{",
                "    var total = 0.0",
                "    for item in items where item.price > limit {",
                "        total += item.price * 2",
                f'        print("processing {name} \\(item.id)")',
                "    }",
                "    return total",
                "}",
                "",
            ]
        elif ext == ".m":
            block = [
                f"static double {name}(NSArray<Item *> *items, double limit) {{",
                "    double total = 0;",
                "    for (Item *item in items) {",
                "        if (item.price > limit) total += item.price * 2;",
                f'        NSLog(@"processing {name} %@", item.identifier);',
                "    }",
                "    return total;",
                "}",
                "",
            ]
        elif ext == ".dart":
            block = [
                f"double {name}(List<Item> items, double limit) {{",
                "  var total = 0.0;",
                "  for (final item in items) {",
                "    if (item.price > limit) total += item.price * 2;",
                f"    debugPrint('processing {name} ${{item.id}}');",
                "  }",
                "  return total;",
                "}",
                "",
            ]
        else:
            block = [
                f"  public static double {name}(List<Item> items, double limit) {{",
                "    double total = 0;",
                "    foreach (var item in items) {",
                "      if (item.Price > limit) total += item.Price * 2;",
                f'      Debug.Log("processing {name}");',
                "    }",
                "    return total;",
                "  }",
                "",
            ]
        out.extend(block)
        total += sum(len(line) + 1 for line in block)
    return out


class File:
    def __init__(self, rel: str, ext: str) -> None:
        self.rel = rel
        self.ext = ext
        self.language, self.comment, _ = LANGS[ext]
        self.lines: list[str] = []
        self.sites: list[Site] = []

    def add(self, line: str, kind: str | None = None, op: str | None = None, name: str | None = None) -> None:
        self.lines.append(line)
        if kind is not None:
            self.sites.append({"file": self.rel, "line": len(self.lines), "language": self.language,
                               "kind": kind, "op": op, "name": name})  # fmt: skip


def js_calls(f: File, rng: random.Random, count: int) -> None:
    for _ in range(count):
        pick = rng.randrange(9)
        e, a, p = rng.choice(EVENTS), rng.choice(ATTRS), rng.choice(PRODUCTS)
        if pick == 0:
            f.add(f'  braze.logCustomEvent("{e}", {{ item_id: id, count: 2 }});', "event", "log", e)
        elif pick == 1:
            idx = EVENTS.index(e)
            f.add(f"  braze.logCustomEvent(Ev.E_{idx});", "event", "log", e)
        elif pick == 2:
            f.add(f'  braze.getUser()?.setCustomUserAttribute("{a}", 3);', "attribute", "set", a)
        elif pick == 3:
            f.add(f'  braze.logPurchase("{p}", 9.99, "EUR", 1);', "purchase", "log", p)
        elif pick == 4:
            f.add(f'  Tracking.send("{e}", {{ source: "bench" }});', "event", "log", e)
        elif pick == 5:
            f.add("  braze.logCustomEvent(`screen_${name}`);", "event", "log", None)
        elif pick == 6:
            f.add('  braze.getUser()?.setEmail("user@example.com");', "standard_attribute", "set", "email")
        elif pick == 7:
            f.add(f'  Braze.logCustomEvent("{e}");', "event", "log", e)  # React Native
        else:
            f.add(f'  braze.getUser()?.incrementCustomUserAttribute("{a}", 1);', "attribute", "increment", a)


def py_calls(f: File, rng: random.Random, count: int) -> None:
    for _ in range(count):
        e, a = rng.choice(EVENTS), rng.choice(ATTRS)
        if rng.random() < 0.5:
            f.add("    payload = {")
            f.add(f'        "events": [{{"external_id": uid, "name": "{e}", "time": now}}],', None)
            # the event entry object starts on the line above, after `"events": [`
            f.sites.append({"file": f.rel, "line": len(f.lines), "language": f.language, "kind": "event",
                            "op": "log", "name": e})  # fmt: skip
            f.add(f'        "attributes": [{{"external_id": uid, "{a}": 1}}],')
            f.sites.append({"file": f.rel, "line": len(f.lines), "language": f.language, "kind": "attribute",
                            "op": "set", "name": a})  # fmt: skip
            f.add("    }")
        else:
            idx = EVENTS.index(e)
            f.add("    body = {")
            f.add(f'        "events": [{{"external_id": uid, "name": EVENT_{idx}, "time": now}}],')
            f.sites.append({"file": f.rel, "line": len(f.lines), "language": f.language, "kind": "event",
                            "op": "log", "name": e})  # fmt: skip
            f.add("    }")


def mobile_calls(f: File, rng: random.Random, count: int) -> None:
    for _ in range(count):
        e, a = rng.choice(EVENTS), rng.choice(ATTRS)
        if f.ext == ".kt":
            f.add(f'    Braze.getInstance(context).logCustomEvent("{e}")', "event", "log", e)
            f.add(
                f'    Braze.getInstance(context).currentUser?.setCustomUserAttribute("{a}", 3)', "attribute", "set", a
            )
        elif f.ext == ".java":
            f.add(f'    Braze.getInstance(context).logCustomEvent("{e}");', "event", "log", e)
        elif f.ext == ".swift":
            f.add(f'    AppDelegate.braze?.logCustomEvent(name: "{e}")', "event", "log", e)
            f.add(f'    AppDelegate.braze?.user.setCustomAttribute(key: "{a}", value: 3)', "attribute", "set", a)
        elif f.ext == ".m":
            f.add(f'    [AppDelegate.braze logCustomEvent:@"{e}"];', "event", "log", e)
        elif f.ext == ".dart":
            f.add(f'    braze.logCustomEvent("{e}");', "event", "log", e)
        else:
            f.add(f'    AppboyBinding.LogCustomEvent("{e}");', "event", "log", e)


def decoys(f: File, rng: random.Random) -> None:
    c = f.comment
    f.add(f'    {c} braze.logCustomEvent("commented_out") is how we used to do it')
    if f.ext == ".py":
        f.add("    doc = \"braze.logCustomEvent('in_a_string')\"")
        f.add('    logger.logCustomEvent("not_braze")')
    elif f.ext in (".js", ".ts", ".tsx"):
        f.add("const doc = \"braze.logCustomEvent('in_a_string')\";")
        f.add('logger.logCustomEvent("not_braze");')
        f.add('verify(mock).logCustomEvent("mocked");')
        f.add('brazen.logCustomEvent("look_alike");')
    else:
        doc = '@"braze.logCustomEvent(in_a_string)"' if f.ext == ".m" else '"braze.logCustomEvent(in_a_string)"'
        f.add(f"    {c} doc: {doc}")
        mock = '    verify(mock).logCustomEvent("mocked")' + (";" if f.ext == ".java" else "")
        f.add(mock if f.ext in (".kt", ".java") else f"    {c} logCustomEventually")
    del rng


def header(f: File) -> None:
    if f.ext in (".js", ".ts", ".tsx"):
        f.add('import * as braze from "@braze/web-sdk";')
        f.add('import Braze from "@braze/react-native-sdk";')
        f.add('import { Ev } from "../../analytics/constants";')
        f.add('import { Tracking } from "../../analytics/tracking";')
    elif f.ext == ".py":
        f.add("from shop.constants import " + ", ".join(f"EVENT_{i}" for i in range(len(EVENTS))))
    elif f.ext == ".dart":
        f.add("import 'package:braze_plugin/braze_plugin.dart';")
        f.add("final braze = BrazePlugin();")
    f.add("")


def open_function(f: File) -> None:
    if f.ext in (".js", ".ts", ".tsx"):
        f.add("export function track(id, name) {")
    elif f.ext == ".py":
        f.add("def send(uid, now):")
    elif f.ext == ".swift":
        f.add("func track() {")
    elif f.ext == ".kt":
        f.add("fun track(context: Context) {")
    else:
        f.add("void track() {")


def close_function(f: File) -> None:
    f.add("    return None" if f.ext == ".py" else "}")


def generate(out: Path, files: int, seed: int, call_rate: float) -> dict[str, object]:
    rng = random.Random(seed)
    tree = out / "tree"
    tree.mkdir(parents=True, exist_ok=True)
    truth: list[Site] = []
    exts = list(WEIGHTS)
    weights = [WEIGHTS[e] for e in exts]
    (tree / "web" / "analytics").mkdir(parents=True, exist_ok=True)
    consts = ["export const Ev = {"] + [f'  E_{i}: "{e}",' for i, e in enumerate(EVENTS)] + ["} as const;", ""]
    (tree / "web" / "analytics" / "constants.ts").write_text("\n".join(consts))
    (tree / "backend" / "shop").mkdir(parents=True, exist_ok=True)
    (tree / "backend" / "shop" / "constants.py").write_text(
        "\n".join(f'EVENT_{i} = "{e}"' for i, e in enumerate(EVENTS)) + "\n"
    )
    (tree / ".taxonomy.toml").write_text(
        '[[scan.wrappers]]\nreceiver = "Tracking"\nmethod = "send"\nkind = "event"\nname = 0\nproperties = 1\n'
        'languages = ["javascript", "typescript"]\n'
    )
    (tree / ".gitignore").write_text("dist/\n")
    total_bytes = 0
    for index in range(files):
        ext = rng.choices(exts, weights)[0]
        _language, _comment, folder = LANGS[ext]
        rel = f"{folder}/m{index // 200}/file_{index}{ext}"
        f = File(rel, ext)
        size = rng.randrange(1_000, 12_000)
        roll = rng.random()
        header(f)
        for line in filler(rng, ext, size // 2):
            f.add(line)
        if roll < call_rate * 2:
            open_function(f)
            if roll < call_rate:
                if ext in (".js", ".ts", ".tsx"):
                    js_calls(f, rng, rng.randrange(1, 6))
                elif ext == ".py":
                    py_calls(f, rng, rng.randrange(1, 4))
                else:
                    mobile_calls(f, rng, rng.randrange(1, 4))
            decoys(f, rng)
            close_function(f)
        for line in filler(rng, ext, size // 2):
            f.add(line)
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(f.lines) + "\n"
        path.write_text(text)
        total_bytes += len(text)
        truth.extend(f.sites)
    document = {"files": files, "bytes": total_bytes, "seed": seed, "call_sites": truth}
    (out / "truth.json").write_text(json.dumps(document))
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--call-rate", type=float, default=0.05)
    args = parser.parse_args()
    doc = generate(args.out, args.files, args.seed, args.call_rate)
    print(f"{args.files} files, {doc['bytes'] / 1e6:.1f} MB, {len(doc['call_sites'])} call sites -> {args.out}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
