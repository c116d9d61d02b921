"""`taxonomy docs`: the catalogue model, its HTML and Markdown, and the optional code / Braze inputs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import EXAMPLES, run_cli, write

from taxonomy.docs import build_catalogue
from taxonomy.docs.html import render_html
from taxonomy.docs.markdown import render_markdown
from taxonomy.errors import TaxonomyError
from taxonomy.loader import load

SMALL = """\
version: 1
workspace: demo
events:
  checkout_begun:
    description: Old name.
    owner: checkout
    status: deprecated
    renamed_to: checkout_started
    reason: Renamed (SHOP-412).
  checkout_started:
    description: User opened the checkout <fast>.
    owner: checkout
    platforms: [web, ios]
    properties:
      cart_value: {type: float, minimum: 0, description: Total | in EUR.}
      address:
        type: object
        properties:
          city: {type: string, required: true}
attributes:
  favorite_categories: {type: array, items: string, max_items: 25, owner: catalogue}
purchases:
  products:
    gift_card: {description: A gift card.}
"""


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "taxonomy.yaml", SMALL)
    return load(tmp_path / "taxonomy.yaml").taxonomy


class _Tags(HTMLParser):
    """Collects start tags and checks that every opened element is closed (void elements aside)."""

    VOID = frozenset({"meta", "input", "br", "col", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def test_catalogue_rows(small: object) -> None:
    catalogue = build_catalogue(small)  # type: ignore[arg-type]
    assert catalogue.title == "demo data catalogue"
    assert [(e.kind, e.name) for e in catalogue.entries] == [
        ("event", "checkout_begun"),
        ("event", "checkout_started"),
        ("attribute", "favorite_categories"),
        ("product", "gift_card"),
    ]
    started = catalogue.entries[1]
    assert [(f.path, f.type, f.required, f.constraints) for f in started.fields] == [
        ("cart_value", "float", False, ("≥ 0",)),
        ("address", "object", False, ()),
        ("address.city", "string", True, ()),
    ]
    attribute = catalogue.entries[2]
    assert (attribute.type, attribute.constraints) == ("array of string", ("at most 25 items",))
    assert catalogue.owners == ("catalogue", "checkout")
    assert catalogue.platforms == ("ios", "web")
    assert catalogue.statuses == ("active", "deprecated")
    assert started.usage is None and started.braze is None


def test_html_is_self_contained_and_escaped(small: object) -> None:
    page = render_html(build_catalogue(small))  # type: ignore[arg-type]
    parser = _Tags()
    parser.feed(page)
    assert parser.stack == [], "unclosed elements"
    # nothing is fetched from anywhere: no external scripts, styles, images or fonts
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    assert "User opened the checkout &lt;fast&gt;." in page
    articles = {attrs["id"]: attrs for tag, attrs in parser.tags if tag == "article"}
    assert articles["event-checkout_started"]["data-platform"] == "web ios"
    assert articles["event-checkout_begun"]["class"] == "entry deprecated"
    assert 'Use <a href="#event-checkout_started"><code>checkout_started</code></a> instead.' in page
    assert {attrs["id"] for tag, attrs in parser.tags if tag == "select"} == {
        "filter-kind",
        "filter-status",
        "filter-owner",
        "filter-platform",
    }
    assert "sent from code" not in page and "Braze" not in page


def test_template_markers_in_the_taxonomy_are_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "taxonomy.yaml", "version: 1\nevents:\n  a_done: {description: '{{SECTIONS}} <b>'}\n")
    page = render_html(build_catalogue(load(tmp_path / "taxonomy.yaml").taxonomy))
    assert '<p class="desc">{{SECTIONS}} &lt;b&gt;</p>' in page
    assert page.count('<article class="entry') == 1


def test_markdown(small: object) -> None:
    text = render_markdown(build_catalogue(small))  # type: ignore[arg-type]
    assert "### ~~`checkout_begun`~~\n\n> **Deprecated.** Use `checkout_started` instead. Renamed (SHOP-412).\n" in text
    assert "| `cart_value` | `float` (≥ 0) |  | Total \\| in EUR. |" in text
    assert "| `address.city` | `string` | yes |  |" in text
    assert "- type: `array of string` (at most 25 items)" in text
    assert "sent from" not in text and "Braze" not in text


def test_code_usage_and_braze_state_are_rendered_when_given(small: object) -> None:
    usage = {("event", "checkout_started"): [("web/src/cart.ts", 42), ("ios/Cart.swift", 7)]}
    braze = {("event", "checkout_started"): "seen", ("attribute", "favorite_categories"): "type_mismatch"}
    catalogue = build_catalogue(small, usage=usage, braze=braze)  # type: ignore[arg-type]
    by_name = {e.name: e for e in catalogue.entries}
    assert by_name["checkout_started"].usage == (("ios/Cart.swift", 7), ("web/src/cart.ts", 42))
    assert by_name["checkout_begun"].usage == ()
    assert by_name["gift_card"].braze == "missing"  # not in the export
    page = render_html(catalogue)
    assert "<li><code>ios/Cart.swift:7</code></li><li><code>web/src/cart.ts:42</code></li>" in page
    assert "sent from code: <strong>nowhere found</strong>" in page
    assert '<span class="badge type_mismatch">type differs in Braze</span>' in page
    assert 'id="filter-braze"' in page and 'data-braze="seen"' in page
    text = render_markdown(catalogue)
    assert "- sent from: `ios/Cart.swift:7`, `web/src/cart.ts:42`" in text
    assert "- Braze: seen in Braze" in text
    assert "- Braze: not in Braze" in text


def test_an_unknown_braze_state_is_refused(small: object) -> None:
    with pytest.raises(TaxonomyError, match="unknown Braze state 'gone' for event `x`"):
        build_catalogue(small, braze={("event", "x"): "gone"})  # type: ignore[arg-type]


def test_docs_command_writes_both_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli("docs", "-o", str(out), cwd=EXAMPLES / "shop")
    assert result.code == 0, result.err
    assert result.err.endswith("(38 entries)\n")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>shop-production data catalogue</title>" in page
    assert 'id="attribute-onboarding_step"' in page  # from the included file
    markdown = (out / "catalogue.md").read_text(encoding="utf-8")
    assert markdown.startswith("# shop-production data catalogue\n\nShop web, iOS, Android and Flutter apps")


def test_docs_settings(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", SMALL)
    write(tmp_path / ".taxonomy.toml", '[docs]\noutput = "public/catalogue"\ntitle = "Shop data"\n')
    assert run_cli("docs", cwd=tmp_path).code == 0
    assert "<h1>Shop data</h1>" in (tmp_path / "public" / "catalogue" / "index.html").read_text(encoding="utf-8")
    write(tmp_path / ".taxonomy.toml", '[docs]\noutptu = "x"\n')
    result = run_cli("docs", cwd=tmp_path)
    assert result.code == 2
    assert "unknown setting `docs.outptu` (did you mean `output`?)" in result.err


def test_docs_notes_schema_problems_but_still_writes(tmp_path: Path) -> None:
    write(tmp_path / "taxonomy.yaml", "version: 1\nattributes:\n  tier: {type: strnig}\n")
    result = run_cli("docs", "-o", "out", cwd=tmp_path)
    assert result.code == 0
    assert "note: the taxonomy has 1 schema problem; `taxonomy lint` lists them" in result.err
    assert (tmp_path / "out" / "index.html").is_file()


def test_docs_with_code_and_export_on_the_example(tmp_path: Path) -> None:
    shop = EXAMPLES / "shop"
    out = tmp_path / "site"
    result = run_cli("docs", "--code", ".", "--export", "braze-export.json", "-o", str(out), cwd=shop)
    assert result.code == 0, result.err
    markdown = (out / "catalogue.md").read_text(encoding="utf-8")
    section = markdown[markdown.index("cart_item_added") :]
    section = section[: section.index("\n#")] if "\n#" in section else section
    assert "`web/src/cart.ts:8`" in section  # where the code sends it
    assert "seen in Braze" in section
    lifetime = markdown[markdown.index("lifetime_orders") :][:800]
    assert "type differs in Braze" in lifetime  # Braze holds it as a string
    theme = markdown[markdown.index("app_theme") :][:800]
    assert "blocklisted in Braze" in theme
    assert "web/src/cart.ts:8" in (out / "index.html").read_text(encoding="utf-8")
