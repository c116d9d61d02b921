"""iOS (Swift, Objective-C) and Flutter (Dart): what the fixtures cannot say on their own (the example project's
deliberate mistakes per platform, the per-language prefilter, constants across Swift and ObjC files, the JSON
contract of a message send)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES, run_cli, write

from taxonomy.config import Config
from taxonomy.scan import scan_paths


def test_example_shop_mobile_mistakes() -> None:
    result = run_cli("check", "--format", "json", "--no-cache", cwd=EXAMPLES / "shop")
    assert result.code == 1, result.err
    found = {(f["file"], f["code"]) for f in json.loads(result.out)["findings"]}
    swift = "ios/Shop/Analytics/ShopAnalytics.swift"
    objc = "ios/Shop/Legacy/SHPLegacyTracker.m"
    dart = "flutter/lib/analytics.dart"
    expected = {
        (swift, "COD001"),  # Checkout_Started: a case variant
        (swift, "COD009"),  # "quantity": "1"
        (objc, "COD007"),  # stars
        (objc, "COD005"),  # checkout_begun via [Appboy sharedInstance]
        (objc, "COD003"),  # premium_weekly
        (dart, "COD007"),  # qty
        (dart, "COD008"),  # quantity missing
        (dart, "COD010"),  # app_theme: sepia
        (dart, "COD005"),  # legacy_segment
        (dart, "COD009"),  # lifetime_orders as a double
    }
    mobile = {item for item in found if item[0] in (swift, objc, dart)}
    assert mobile == expected


def test_objc_message_send_json_contract(tmp_path: Path) -> None:
    write(tmp_path / "A.m", '- (void)f {\n  [AppDelegate.braze logCustomEvent:@"x" properties:@{@"a": @1}];\n}\n')
    result = run_cli("scan", "--format", "json", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result.err
    (site,) = json.loads(result.out)["call_sites"]
    # the position is the first selector part's
    assert site == {"file": "A.m", "line": 2, "column": 22, "language": "objc", "sdk": "braze", "kind": "event",
                    "op": "log", "name": "x", "expr": None, "properties": ["a"], "via": None}  # fmt: skip


def test_constants_across_swift_and_objc_files(tmp_path: Path) -> None:
    write(tmp_path / "Events.swift", 'enum Events: String {\n  case signedUp = "signed_up"\n}\n')
    write(tmp_path / "Keys.m", 'NSString *const kVipTier = @"vip_tier";\n')
    write(tmp_path / "Track.swift", "func t() {\n  AppDelegate.braze?.logCustomEvent(name: Events.signedUp.rawValue)\n"
          "  AppDelegate.braze?.user.setCustomAttribute(key: kVipTier, value: \"gold\")\n}\n")  # fmt: skip
    write(tmp_path / "lib" / "events.dart", "class Ev {\n  static const opened = 'app_opened';\n}\n")
    write(tmp_path / "lib" / "main.dart", "void f(BrazePlugin p) {\n  p.logCustomEvent(Ev.opened);\n}\n")
    result = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False)
    names = {(s.file, s.name) for s in result.call_sites}
    assert names == {("Track.swift", "signed_up"), ("Track.swift", "vip_tier"), ("lib/main.dart", "app_opened")}


def test_property_assignments_do_not_widen_the_prefilter(tmp_path: Path) -> None:
    # `email=` (an ABKUser property assignment) needs `sharedInstance` in the file, not just `email`.
    write(tmp_path / "form.js", "const email = form.email;\n")
    write(tmp_path / "Form.m", "- (void)f {\n  self.form.email = e;\n}\n")
    write(
        tmp_path / "Profile.m", "- (void)f {\n  ABKUser *user = [Appboy sharedInstance].user;\n  user.email = e;\n}\n"
    )
    result = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False)
    assert result.parsed == 1
    assert [(s.file, s.kind, s.name) for s in result.call_sites] == [("Profile.m", "standard_attribute", "email")]


def test_swift_set_is_told_apart_by_its_label(tmp_path: Path) -> None:
    write(tmp_path / "P.swift", "func f(u: String) {\n  AppDelegate.braze?.user.set(email: u)\n"
          "  AppDelegate.braze?.user.set(homeCity: u)\n  AppDelegate.braze?.user.set(nickname: u)\n}\n")  # fmt: skip
    result = scan_paths([tmp_path], Config(root=tmp_path), use_cache=False)
    assert [(s.line, s.name) for s in result.call_sites] == [(2, "email"), (3, "home_city")]


def test_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    # (tree-sitter-dart itself slows down quadratically with nesting depth: 3000 nested classes take 12 s to parse)
    write(tmp_path / "Deep.swift", "enum A { " * 3000 + 'static let x = "y"' + " }" * 3000 + "\n")
    write(tmp_path / "Deep.m", "[" * 3000 + 'braze logCustomEvent:@"x"' + "]" * 3000 + ";\n")
    write(tmp_path / "deep.dart", "class A { " * 300 + "}" * 300 + "\nvoid f() { braze.logCustomEvent('x'); }\n")
    result = run_cli("scan", "--format", "json", "--no-cache", cwd=tmp_path)
    assert result.code == 0, result.err
