"""examples/shop's Android (Kotlin, Java) and Unity (C#) sources: `taxonomy check` reports each deliberate mistake,
and nothing else, in those files."""

from __future__ import annotations

import json

from conftest import EXAMPLES, run_cli

ANDROID_KT = "android/app/src/main/java/com/shop/analytics/ShopAnalytics.kt"
ANDROID_JAVA = "android/app/src/main/java/com/shop/checkout/CheckoutTracker.java"
UNITY = "unity/Assets/Scripts/ShopAnalytics.cs"


def test_android_and_unity_mistakes_are_caught() -> None:
    result = run_cli("check", "--format", "json", "--no-cache", cwd=EXAMPLES / "shop")
    assert result.code == 1, result.err
    found = {
        (f["file"], f["code"], f["line"])
        for f in json.loads(result.out)["findings"]
        if f["file"] in (ANDROID_KT, ANDROID_JAVA, UNITY)
    }
    assert found == {
        (ANDROID_KT, "COD009", 34),  # quantity sent as a string
        (ANDROID_KT, "COD001", 42),  # Cart_Item_Removed: a case variant
        (ANDROID_KT, "COD005", 47),  # checkout_begun is deprecated
        (ANDROID_KT, "COD003", 52),  # premium_weekly is not a product
        (ANDROID_JAVA, "COD007", 23),  # prce
        (ANDROID_JAVA, "COD010", 30),  # vip_tier platinum
        (UNITY, "COD003", 32),  # gift_cards
        (UNITY, "COD009", 40),  # lifetime_orders as a string
        (UNITY, "COD011", 42),  # email as a custom attribute
    }


def test_scan_reports_kotlin_java_and_csharp_sites() -> None:
    result = run_cli("scan", "android", "unity", "--format", "json", "--no-cache", cwd=EXAMPLES / "shop")
    assert result.code == 0, result.err
    sites = json.loads(result.out)["call_sites"]
    assert {s["language"] for s in sites} == {"kotlin", "java", "csharp"}
    purchase = next(s for s in sites if s["kind"] == "purchase" and s["name"] == "premium_monthly")
    assert purchase["properties"] == ["coupon_code"] and purchase["file"] == ANDROID_KT
    theme = next(s for s in sites if s["name"] == "app_theme")
    assert (theme["kind"], theme["op"], theme["expr"]) == ("attribute", "set", None)
