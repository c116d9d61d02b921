"""The catalogue in a real browser: headless Chromium loads the page from file://, a user types and filters.

Skipped where /usr/bin/chromium is absent (CI installs Debian's `chromium` package so it runs there).
Set TAXONOMY_SCREENSHOT=path.png to keep a screenshot of the page after the search.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cdp import CHROMIUM, Page, chromium
from helpers import EXAMPLES, run_cli

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
)

VISIBLE = "[...document.querySelectorAll('article.entry')].filter(e => !e.hidden).map(e => e.dataset.name)"


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("catalogue")
    result = run_cli("docs", "-o", str(out), cwd=EXAMPLES / "shop")
    assert result.code == 0, result.err
    return (out / "index.html").as_uri()


@pytest.fixture(scope="module")
def browser() -> object:
    with chromium() as page:
        yield page


def _fresh(page: Page, url: str) -> None:
    page.open("about:blank")
    page.open(url)


def test_typing_in_the_search_box_narrows_the_catalogue(browser: Page, page_url: str) -> None:
    _fresh(browser, page_url)
    assert browser.evaluate("document.getElementById('count').textContent") == "38 of 38 shown"
    browser.evaluate("document.getElementById('search').focus()")
    browser.type("refund")
    assert browser.evaluate("document.getElementById('search').value") == "refund"
    assert browser.evaluate(VISIBLE) == ["order_refunded"]
    assert browser.evaluate("document.getElementById('count').textContent") == "1 of 38 shown"
    # sections without a match disappear; the one that matches says how many it shows
    assert browser.evaluate("[...document.querySelectorAll('section')].filter(s => !s.hidden).map(s => s.id)") == [
        "events"
    ]
    assert browser.evaluate("document.querySelector('#events h2 small').textContent") == "(1 of 20)"
    # the address bar keeps the search, so the view can be shared as a link
    assert browser.evaluate("location.hash") == "#q=refund"
    screenshot = os.environ.get("TAXONOMY_SCREENSHOT")
    if screenshot:
        browser.screenshot(Path(screenshot))


def test_words_match_properties_and_owners(browser: Page, page_url: str) -> None:
    _fresh(browser, page_url)
    browser.evaluate("document.getElementById('search').focus()")
    browser.type("referral growth")
    assert browser.evaluate(VISIBLE) == ["referral_redeemed", "referral_sent", "referral_code", "referrals_sent"]


def test_filters_and_the_empty_message(browser: Page, page_url: str) -> None:
    _fresh(browser, page_url)
    browser.evaluate(
        "const s = document.getElementById('filter-status'); s.value = 'deprecated';"
        "s.dispatchEvent(new Event('change'))"
    )
    assert browser.evaluate(VISIBLE) == ["checkout_begun", "legacy_segment"]
    # a deprecated item says what replaces it, with a link to it
    assert browser.evaluate("document.querySelector('#event-checkout_begun .replaced a').getAttribute('href')") == (
        "#event-checkout_started"
    )
    browser.evaluate(
        "const k = document.getElementById('filter-kind'); k.value = 'attribute';k.dispatchEvent(new Event('change'))"
    )
    assert browser.evaluate(VISIBLE) == ["legacy_segment"]
    browser.evaluate("document.getElementById('search').focus()")
    browser.type("zzz")
    assert browser.evaluate(VISIBLE) == []
    assert browser.evaluate("document.getElementById('empty').hidden") is False


def test_a_link_with_a_search_opens_filtered(browser: Page, page_url: str) -> None:
    _fresh(browser, page_url + "#q=cart&platform=react_native")
    assert browser.evaluate("document.getElementById('search').value") == "cart"
    assert browser.evaluate(VISIBLE) == ["cart_item_added", "cart_item_removed", "checkout_started"]


def test_an_owner_with_a_space_is_one_filter_value(browser: Page, tmp_path: Path) -> None:
    (tmp_path / "taxonomy.yaml").write_text(
        "version: 1\nevents:\n  a_done: {owner: growth team}\n  b_done: {owner: growth}\n", encoding="utf-8"
    )
    assert run_cli("docs", "-o", "out", cwd=tmp_path).code == 0
    _fresh(browser, (tmp_path / "out" / "index.html").as_uri())
    browser.evaluate(
        "const o = document.getElementById('filter-owner'); o.value = 'growth'; o.dispatchEvent(new Event('change'))"
    )
    assert browser.evaluate(VISIBLE) == ["b_done"]
