"""The pure name functions: examples, and the properties the checks rely on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taxonomy.naming import STYLES, detect_styles, matches_style, squash, to_style, warehouse_name, words

# Names as people write them: letters, digits and the usual separators, plus anything at all.
name_like = st.text(alphabet="abcXYZ019_- .$", max_size=24)
any_text = st.text(max_size=24)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AddToCart", ["add", "to", "cart"]),
        ("add_to_cart", ["add", "to", "cart"]),
        ("Add To Cart", ["add", "to", "cart"]),
        ("add-to-cart", ["add", "to", "cart"]),
        ("HTTPServer", ["http", "server"]),
        ("userID", ["user", "id"]),
        ("level2Completed", ["level2", "completed"]),
        ("ecommerce.product_viewed", ["ecommerce", "product", "viewed"]),
        ("", []),
    ],
)
def test_words(name: str, expected: list[str]) -> None:
    assert words(name) == expected


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("snake_case", "product_viewed"),
        ("camelCase", "productViewed"),
        ("PascalCase", "ProductViewed"),
        ("kebab-case", "product-viewed"),
        ("Title Case", "Product Viewed"),
        ("lower case", "product viewed"),
        ("SCREAMING_SNAKE_CASE", "PRODUCT_VIEWED"),
    ],
)
def test_to_style_and_back(style: str, expected: str) -> None:
    assert to_style("Product viewed", style) == expected
    assert matches_style(expected, style)
    assert style in detect_styles(expected)


def test_regex_style() -> None:
    assert matches_style("web_signup", "regex:^(web|ios)_[a-z]+$")
    assert not matches_style("android_signup", "regex:^(web|ios)_[a-z]+$")
    assert not matches_style("x", "regex:(")  # an invalid pattern matches nothing
    assert to_style("Web Signup", "regex:.*") == "Web Signup"


def test_warehouse_name_collapses_spellings() -> None:
    assert {warehouse_name(n) for n in ("Signed Up", "signed_up", "signedUp", "signed-up", "signed.up")} == {
        "signed_up"
    }
    assert squash("Signed-Up") == squash("signedup") == "signedup"


@given(st.one_of(name_like, any_text))
def test_warehouse_name_is_idempotent(name: str) -> None:
    once = warehouse_name(name)
    assert warehouse_name(once) == once


@given(st.one_of(name_like, any_text))
def test_squash_is_idempotent(name: str) -> None:
    assert squash(squash(name)) == squash(name)


@given(st.one_of(name_like, any_text), st.sampled_from(STYLES))
def test_formatter_is_idempotent(name: str, style: str) -> None:
    once = to_style(name, style)
    assert to_style(once, style) == once


@given(st.one_of(name_like, any_text), st.sampled_from(STYLES))
def test_accepted_name_is_unchanged_by_its_formatter(name: str, style: str) -> None:
    if matches_style(name, style):
        assert to_style(name, style) == name


@given(
    st.lists(st.text(alphabet="abcdefxyz0123", min_size=2, max_size=6), min_size=1, max_size=5), st.sampled_from(STYLES)
)
def test_formatted_name_is_accepted_when_it_starts_with_a_letter(parts: list[str], style: str) -> None:
    name = " ".join(parts)
    formatted = to_style(name, style)
    if formatted[:1].isalpha() and all(p[:1].isalpha() for p in words(name)):
        assert matches_style(formatted, style), (name, formatted)
