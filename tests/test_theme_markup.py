"""What curator changes in Material's finished pages (curator/web/theme_markup.py)."""
from __future__ import annotations

from curator.web.theme_markup import focusable_code, scripts_after_load, valid_html

TAIL = ('<script id="__config" type="application/json">{"base": ".."}</script>\n'
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>\n'
        '<script src="../js/brand.js" type="module"></script>\n'
        "<script>document$.subscribe(function () {})</script>\n"
        '<script src="../assets/curator/site.js"></script>\n')
PAGE = f"<!doctype html><html><head><title>t</title></head><body><main>wall</main>{TAIL}</body></html>"


def test_the_theme_script_and_every_later_one_but_curators_wait_in_order_in_a_template() -> None:
    page = scripts_after_load(PAGE, keep="assets/curator/site.js")
    body = page[page.index("</main>") + len("</main>"):]
    assert body == ('<script id="__config" type="application/json">{"base": ".."}</script>\n'
                    '<template id="curator-after-load">'
                    '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
                    '<script src="../js/brand.js" type="module"></script>'
                    "<script>document$.subscribe(function () {})</script>"
                    '</template><script src="../assets/curator/site.js"></script></body></html>')


def test_a_page_without_materials_script_is_left_as_it_is() -> None:
    other_theme = PAGE.replace("assets/javascripts/bundle.a5f9d56c.min.js", "js/theme.js")
    assert scripts_after_load(other_theme, keep="assets/curator/site.js") == other_theme


def test_markup_the_html_standard_does_not_allow_is_removed() -> None:
    page = ('<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">'
            '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">'
            '<label class="md-nav__title" for="__toc">')
    assert valid_html(page) == ('<input class="md-toggle" type="checkbox" id="__drawer">'
                                '<label class="md-nav__link" for="__nav_2" id="__nav_2_label">'
                                '<label class="md-nav__title">')


def test_code_blocks_are_focusable_as_served() -> None:
    page = '<pre><span></span><code>pip install</code></pre><pre><code>x</code></pre><pre><code class="language-html" tabindex="0">y</code></pre>'
    assert focusable_code(page) == ('<pre><span></span><code tabindex="0">pip install</code></pre><pre><code tabindex="0">x</code></pre>'
                                    '<pre><code class="language-html" tabindex="0">y</code></pre>')
