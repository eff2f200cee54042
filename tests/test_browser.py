"""The built site in Debian's Chromium (driven by Playwright): what people and host pages see.

Skipped where /usr/bin/chromium is missing; `.ci/run` installs it.
"""
from __future__ import annotations

import functools
import http.server
import io
import json
import threading
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

import pytest
from PIL import Image, ImageChops, ImageStat

from curator import Store, build_date
from curator.policy import publishable

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

# Every field a post controls gets a payload; any of them firing or injecting an element fails.
XSS = {
    "name": '"><img src=x onerror=alert(1) data-xss>',
    "handle": "'><svg onload=alert(2) data-xss>",
    "text": ('Love it </script><script>alert(3)</script> <b data-xss>bold</b> {{7*7}} '
             '<iframe src=javascript:alert(4) data-xss></iframe> ]]><!-- "\'` \u2028 end'),
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A plain static server on 127.0.0.1 that sends no CORS headers (like many static hosts)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def wall(tmp_path_factory: pytest.TempPathFactory, card_cache: Path):
    """The sample wall plus a hostile record, built with site_url pointing at a local server."""
    from click.testing import CliRunner

    from curator.cli import cli
    from conftest import copy_sample, reconsent

    root = tmp_path_factory.mktemp("wall")
    copy_sample(root, card_cache)
    site_dir = root / "site"
    site_dir.mkdir()
    server, base = serve(site_dir)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_url: https://curator.example/", f"site_url: {base}"), "utf-8")
    source = (root / "testimonials" / "x-188000000000000011.yml").read_text("utf-8")
    hostile = (source.replace("x-188000000000000011", "x-666")
               .replace("name: Chris Doyle", "name: " + json.dumps(XSS["name"]))
               .replace("handle: '@chrisdoyle_ex'", "handle: " + json.dumps(XSS["handle"]))
               .replace("text: Shared family grocery list in @acme_example is a game changer 👨‍👩‍👧‍👦🛒",
                        "text: " + json.dumps(XSS["text"]))
               .replace("entities:\n- type: mention\n  start: 30\n  end: 43\n  url: https://x.com/acme_example\n", "entities: []\n"))
    (root / "testimonials" / "x-666.yml").write_text(hostile, "utf-8")
    reconsent(root / "testimonials" / "x-666.yml")
    result = CliRunner().invoke(cli, ["-f", str(config), "build"], env={"SOURCE_DATE_EPOCH": "1795392000"})
    assert result.exit_code == 0, result.output
    yield root, base
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page that records every request and every dialog (an XSS would open one)."""
    context = browser.new_context()
    page = context.new_page()
    page.requests, page.dialogs, page.failures = [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("response", lambda response: page.failures.append(response.url) if response.status >= 400 else None)
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def published_ids(root: Path, channel: str) -> set[str]:
    store = Store.open(root / "testimonials")
    return {t.id for t in store.records.values() if publishable(t, channel, build_date(), store.suppressed)}


def assert_local_only(page) -> None:
    hosts = {urlparse(url).hostname for url in page.requests if not url.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1"}, hosts
    assert page.failures == [], page.failures  # no broken image, script or stylesheet


def theme_ready(page) -> None:
    """Wait until the theme's script, which curator's pages load once they have loaded, has run."""
    page.wait_for_function("document.documentElement.classList.contains('js') && !document.getElementById('curator-after-load')")


PERMALINK = "t/mastodon-mastodon-example-113100000001/"
AFTER_LOAD = """() => {
  const loaded = performance.getEntriesByType("navigation")[0].loadEventStart;
  return performance.getEntriesByType("resource")
    .filter(entry => /bundle\\.[0-9a-f]+\\.min\\.js|search_index\\.json/.test(entry.name))
    .map(entry => [entry.name.split("/").pop(), entry.startTime >= loaded]);
}"""


@pytest.mark.parametrize("path", ["wall/", PERMALINK, ""])
def test_the_theme_and_its_search_index_load_after_the_page_and_search_works(wall, page, path: str) -> None:
    """The theme's 114 kB script and the whole site's search index are fetched once the page has
    loaded (on a phone they delayed the wall's first paint by a second), and search still works."""
    _, base = wall
    page.goto(base + path)
    theme_ready(page)
    page.locator("input.md-search__input").press_sequentially("offline")  # Material searches on keyup
    page.wait_for_selector(".md-search-result__item")
    fetched = page.evaluate(AFTER_LOAD)
    assert sorted(name.split(".")[0] for name, _ in fetched) == ["bundle", "search_index"]
    assert all(after for _, after in fetched), fetched
    assert page.eval_on_selector_all("script[src]", "s => s.map(x => x.getAttribute('src').split('/').pop())")[-1].startswith("bundle.")
    assert_local_only(page)


# The page's layout shifts so far (those right after input excluded, as Lighthouse counts them).
LAYOUT_SHIFT = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => list.getEntries().forEach(entry => { if (!entry.hadRecentInput) total += entry.value; }))
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 300);
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_nothing_moves_while_the_page_and_the_theme_load(wall, browser, width: int) -> None:
    """Cumulative layout shift on the wall and testimonials' pages, once the theme's script
    (which runs after the first paint) has run: at most 0.02, the issue's Lighthouse threshold."""
    _, base = wall
    page = browser.new_page(viewport={"width": width, "height": 800})
    for path in ("wall/", PERMALINK, WHOLE_PAGES[1]):
        page.goto(base + path)
        theme_ready(page)
        page.wait_for_load_state("networkidle")
        shifted = page.evaluate(LAYOUT_SHIFT)
        assert shifted <= 0.02, (path, shifted)
    page.close()


def test_the_wall_reads_well_before_the_theme_has_loaded(wall, browser) -> None:
    """While the theme's script has not run (a slow phone), the wall and a testimonial's page are
    whole and pass axe: curator's script has laid out and wired the wall without it."""
    from axe_playwright_python.sync_playwright import Axe

    root, base = wall
    page = browser.new_page()
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    for path in ("wall/", PERMALINK):
        page.goto(base + path)
        assert page.get_attribute("html", "class") == "no-js"
        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == [], path
    page.goto(base + "wall/")
    page.click('button[data-filter="platform"][data-value="bluesky"]')
    assert set(page.eval_on_selector_all(".curator-card:not([hidden])", "cards => cards.map(c => c.dataset.platform)")) == {"bluesky"}
    page.close()


def test_wall_shows_exactly_the_publishable_records_and_filters_work(wall, page) -> None:
    root, base = wall
    page.goto(base + "wall/")
    ids = page.eval_on_selector_all(".curator-wall .curator-card", "cards => cards.map(c => c.id.slice(2))")
    assert set(ids) == published_ids(root, "web") and len(ids) == 18
    assert page.is_visible(".curator-filters")
    page.click('button[data-filter="platform"][data-value="bluesky"]')
    visible = page.eval_on_selector_all(".curator-card:not([hidden])", "cards => cards.map(c => c.dataset.platform)")
    assert visible and set(visible) == {"bluesky"}
    page.click('button[data-filter="tag"][data-value="sync"]')
    both = page.eval_on_selector_all(".curator-card:not([hidden])", "cards => cards.map(c => [c.dataset.platform, c.dataset.tag])")
    assert both and all(platform == "bluesky" and "sync" in tags.split() for platform, tags in both)
    assert page.locator('.curator-filters button[aria-pressed="true"]').count() == 2
    page.click('button[data-filter="tag"][data-value="sync"]')  # pressed again: let go
    assert set(page.eval_on_selector_all(".curator-card:not([hidden])", "cards => cards.map(c => c.dataset.platform)")) == {"bluesky"}
    page.click('button[data-filter=""]')  # the single "All" clears both rows
    assert page.locator(".curator-card:not([hidden])").count() == 18
    assert page.eval_on_selector_all('.curator-filters button[aria-pressed="true"]', "b => b.map(x => x.textContent)") == ["All"]
    assert page.locator('.curator-filters button:text-is("All")').count() == 1
    assert page.locator(".curator-filters__row").count() == 2
    assert_local_only(page)


READING_ORDER = """wall => Array.from(wall.querySelectorAll(".curator-card:not([hidden])")).map(card => {
  const box = card.getBoundingClientRect();
  return [card.id, Math.round(box.top), Math.round(box.left), Math.round(box.bottom)];
})"""


def assert_reads_row_by_row(cards: list, gap: float) -> None:
    """Cards in page order stand row by row (each starts no higher than the one before, left to
    right on a line), and each stands under the card above it in its column, a gap apart."""
    assert len(cards) > 1
    for before, after in zip(cards, cards[1:]):
        assert (after[1], after[2]) > (before[1], before[2]) or after[1] > before[1], (before, after)
    for card in cards:
        above = [other for other in cards if other[2] == card[2] and other[3] <= card[1]]
        if above:
            assert card[1] - max(other[3] for other in above) <= gap + 2, card  # packed, no hole


@pytest.mark.parametrize("width", [1280, 390])
def test_the_wall_reads_in_its_order_row_by_row_and_filters_keep_it(wall, browser, width: int) -> None:
    root, base = wall
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "wall/")
    order = page.eval_on_selector_all(".curator-wall .curator-card", "cards => cards.map(c => c.id)")
    shown = page.eval_on_selector(".curator-wall", READING_ORDER)
    assert [card[0] for card in shown] == order
    columns = len({card[2] for card in shown})
    assert (columns == 1) == (width < 700), shown
    gap = float(page.eval_on_selector(".curator-wall", "wall => parseFloat(getComputedStyle(wall).columnGap)"))
    assert_reads_row_by_row(shown, gap)
    if columns > 1:  # masonry: a column's cards sit under each other, not on a shared row line
        assert len({card[1] for card in shown}) > len(shown) / columns + 1
    page.click('button[data-filter="platform"][data-value="x"]')
    filtered = page.eval_on_selector(".curator-wall", READING_ORDER)
    assert len(filtered) < len(shown) and [card[0] for card in filtered] == [i for i in order if i in {c[0] for c in filtered}]
    assert_reads_row_by_row(filtered, gap)
    page.close()


def test_wall_without_javascript_shows_everything(wall, browser) -> None:
    root, base = wall
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "wall/")
    assert page.locator(".curator-card").count() == 18 and not page.is_visible(".curator-filters")
    assert page.locator(".curator-card:visible").count() == 18  # not waiting for a packing script
    context.close()


def test_a_masonry_wall_is_painted_packed_or_after_three_seconds_without_its_script(wall, browser) -> None:
    """A masonry wall's cards wait unseen for layouts.js (painted in the plain grid first, they
    would jump into place on a slow phone); when the script never comes, they show anyway."""
    _, base = wall
    page = browser.new_page()
    page.route("**/assets/curator/site.js", lambda route: route.abort())
    page.goto(base + "wall/")
    assert page.locator(".curator-card:visible").count() == 0
    page.wait_for_selector(".curator-card >> visible=true", timeout=5000)
    assert page.locator(".curator-card:visible").count() == 18
    page.close()


def test_dark_palette_switch_restyles_cards(wall, page) -> None:
    _, base = wall
    page.goto(base + "wall/")
    theme_ready(page)
    light = page.eval_on_selector(".curator-card", "c => getComputedStyle(c).backgroundColor")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.eval_on_selector(".curator-card", "c => getComputedStyle(c).backgroundColor")
    assert light != dark


def test_no_xss_fires_or_injects_anywhere(wall, page) -> None:
    root, base = wall
    pages = ["wall/", "t/x-666/", "embed/", "embed/t/x-666.html", "embed/wall.html"]
    for path in pages:
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.locator("[data-xss]").count() == 0, path
        if path != "embed/":  # the hostile name is shown, as text
            names = page.eval_on_selector_all(".curator-card__name", "nodes => nodes.map(n => n.textContent)")
            assert XSS["name"] in names, path
    host = root / "site" / "xss-host.html"
    host.write_text(f'<!doctype html><title>t</title><script src="{base}embed/curator.js"></script>'
                    '<curator-testimonial testimonial="x-666"></curator-testimonial>', "utf-8")
    page.goto(base + "xss-host.html")
    page.wait_for_selector("curator-testimonial >> .curator-card")
    assert page.evaluate("document.querySelector('curator-testimonial').shadowRoot.querySelectorAll('[data-xss]').length") == 0
    assert page.locator("curator-testimonial >> .curator-card__name").inner_text() == XSS["name"]
    assert page.dialogs == []
    assert_local_only(page)


# The sample wall's whole posts: a CW and two pictures; a poll and a custom emoji (name and text).
WHOLE_POSTS = ("mastodon-mastodon-example-113100000031", "mastodon-mastodon-example-113100000034")
WHOLE_PAGES = [f"t/{record_id}/" for record_id in WHOLE_POSTS]


def test_whole_posts_on_their_pages_in_iframes_and_in_the_web_component(wall, page) -> None:
    root, base = wall
    loaded = "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)"
    page.goto(base + WHOLE_PAGES[0])
    assert page.get_attribute("details.curator-card__warning", "open") is None  # closed until the reader opens it
    assert not page.is_visible(".curator-card__media")
    page.click("details.curator-card__warning > summary")
    assert page.is_visible(".curator-card__media") and page.is_visible(".curator-card__text")
    page.wait_for_load_state("networkidle")
    assert page.eval_on_selector_all(".curator-card__media img", loaded) == [True, True]
    boxes = page.eval_on_selector_all(".curator-card__media img", "imgs => imgs.map(i => i.getBoundingClientRect().height)")
    grid = page.eval_on_selector(".curator-card__media", "g => g.getBoundingClientRect()")
    assert abs(grid["width"] * 9 / 16 - grid["height"]) < 2 and boxes[0] == boxes[1]  # two side by side, 16:9
    page.goto(base + WHOLE_PAGES[1])
    page.wait_for_load_state("networkidle")
    assert page.eval_on_selector_all(".curator-card img.curator-card__emoji", loaded) == [True, True]
    emoji = page.eval_on_selector(".curator-card__text img.curator-card__emoji", "i => i.getBoundingClientRect().height")
    assert 20 <= emoji <= 26  # text size: 1.2em of the 20px body
    assert page.eval_on_selector_all(".curator-card__poll li", "rows => rows.map(r => r.innerText.replace(/\\s+/g, ' ').trim())") == [
        "45% Offline sync", "30% Shared lists", "17% Handwriting search", "9% Templates"]
    bars = page.eval_on_selector_all(".curator-card__poll li", "rows => rows.map(r => r.getBoundingClientRect().height)")
    assert bars == [32, 32, 32, 32]  # the card image's poll bar
    page.goto(base + f"embed/t/{WHOLE_POSTS[0]}.html")
    assert page.locator("details.curator-card__warning:not([open]) img").count() == 2
    host = root / "site" / "axe-whole.html"
    host.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Whole posts</title></head><body><main><h1>Whole posts</h1>'
                    + "".join(f'<curator-testimonial testimonial="{record_id}"></curator-testimonial>' for record_id in WHOLE_POSTS)
                    + f'<script src="{base}embed/curator.js"></script></main></body></html>', "utf-8")
    page.goto(base + "axe-whole.html")
    page.wait_for_selector("curator-testimonial >> .curator-card__poll")
    shadow = page.locator("curator-testimonial").nth(0)
    assert shadow.locator("details.curator-card__warning:not([open]) > summary").inner_text() == "Desk photos (a mess, then tidy)"
    shadow.locator("summary").click()
    page.wait_for_load_state("networkidle")
    assert shadow.locator(".curator-card__media img").evaluate_all(loaded) == [True, True]
    other = page.locator("curator-testimonial").nth(1)
    assert other.locator("img.curator-card__emoji").count() == 2 and other.locator("meter").count() == 4
    assert other.locator(".curator-card__poll-status").inner_text() == "103 votes · Closed"
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    assert_local_only(page)


def _pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_hostile_host_page_embeds_component_and_iframe(wall, browser, tmp_path: Path) -> None:
    root, base = wall
    record_id = "mastodon-mastodon-example-113100000001"
    embed_ids = published_ids(root, "embed")
    hostile = tmp_path / "host"
    hostile.mkdir()
    csp = (f"default-src 'none'; script-src {base}; img-src {base}; frame-src {base}; style-src 'self'")
    (hostile / "hostile.css").write_text("* { all: unset !important; } html, body { font: 40px serif; color: red; }")
    (hostile / "index.html").write_text(
        f'<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<link rel="stylesheet" href="hostile.css"><title>host</title></head><body>'
        f'<script src="{base}embed/curator.js" async></script>'
        f'<curator-testimonial id="one" testimonial="{record_id}" theme="light"></curator-testimonial>'
        '<curator-wall id="wall" limit="3" theme="dark"></curator-wall>'
        f'<iframe class="curator-frame" id="frame" src="{base}embed/t/{record_id}.html" title="t" width="550" height="50"></iframe>'
        f'<script src="{base}embed/resize.js"></script></body></html>', "utf-8")
    (hostile / "neutral.html").write_text(
        f'<!doctype html><html><head><title>n</title></head><body style="margin:0">'
        f'<script src="{base}embed/curator.js" async></script>'
        f'<curator-testimonial id="one" testimonial="{record_id}" theme="light"></curator-testimonial></body></html>', "utf-8")
    server, host = serve(hostile)
    try:
        context = browser.new_context(viewport={"width": 800, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(host + "neutral.html")
        page.wait_for_selector("#one >> .curator-card")
        reference = page.locator("#one >> .curator-card").screenshot()
        page.goto(host + "index.html")
        page.wait_for_selector("#one >> .curator-card")
        page.wait_for_selector("#wall >> .curator-card")
        assert page.locator("#wall >> .curator-card").count() == 3
        assert {card for card in page.eval_on_selector_all(
            "#wall", "w => [...w[0].shadowRoot.querySelectorAll('figure')].map(f => f.querySelector('time').dateTime)")}
        shot = page.locator("#one >> .curator-card").screenshot()
        a, b = _pixels(reference), _pixels(shot)
        assert abs(a.width - b.width) <= 2 and abs(a.height - b.height) <= 2
        diff = ImageChops.difference(a, b.resize(a.size))
        assert max(ImageStat.Stat(diff).mean) < 8, ImageStat.Stat(diff).mean
        page.wait_for_function("document.getElementById('frame').height > 100")
        frame_height = int(page.get_attribute("#frame", "height"))
        inner = page.frame_locator("#frame").locator("figure").bounding_box()["height"]
        assert abs(frame_height - inner) < 40, (frame_height, inner)
        assert [e for e in errors if "refused" in e.lower()] == []
        assert record_id in embed_ids
        context.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", ["wall/", PERMALINK, "embed/", *WHOLE_PAGES])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_violations(wall, page, path: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, base = wall
    page.add_init_script(f"localStorage.setItem('/.__palette', JSON.stringify({{index: {0 if scheme == 'default' else 1}, color: {{scheme: '{scheme}'}}}}))")
    page.goto(base + path)
    theme_ready(page)
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    results = Axe().run(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], violations


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_violations_on_the_guides_pages(wall, page, scheme: str) -> None:
    """The sample site's other pages (Material's, with the guide's code and prose links), held to
    the wall's bar: the demo brand's stylesheet fixes what Material's colours miss."""
    from axe_playwright_python.sync_playwright import Axe

    root, base = wall
    site = root / "site"
    ours = ("t/", "wall/", "embed/")  # tested above
    paths = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("**/index.html"))
    guide = [path.removeprefix("./") for path in paths if not path.startswith(ours)]
    assert len(guide) > 10
    page.add_init_script(f"localStorage.setItem('/.__palette', JSON.stringify({{index: {0 if scheme == 'default' else 1}, color: {{scheme: '{scheme}'}}}}))")
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    found = {}
    for path in guide:  # before the theme's script has run: it is blocked
        page.goto(base + path)
        violations = Axe().run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:2]) for v in violations]
    assert found == {}


@pytest.mark.parametrize("name", ["light", "dim", "dark"])
def test_the_html_card_is_drawn_with_the_image_cards_layout(wall, page, name: str) -> None:
    """What Chromium computes for an HTML card (iframe page: curator's stylesheet alone) is the
    card layout the PNG renderer reads, in every theme: the two cannot drift apart."""
    from curator.render.theme import EMBED_METRICS as m, THEMES

    _, base = wall
    page.goto(base + "embed/wall.html")
    page.evaluate(f"document.body.setAttribute('data-curator-theme', '{name}')")
    drawn = page.evaluate("""() => {
        const figure = [...document.querySelectorAll('figure.curator-card')].find(f => f.querySelector('img'));
        const style = (selector) => getComputedStyle(selector ? figure.querySelector(selector) : figure);
        const card = style(), body = style('.curator-card__text'), avatar = figure.querySelector('img');
        return {padding: [card.paddingTop, card.paddingLeft], border: card.borderTopWidth,
                radius: card.borderTopLeftRadius, font: [card.fontSize, card.lineHeight],
                body: [body.fontSize, body.lineHeight], gap: style('figcaption').gap,
                avatar: [avatar.getBoundingClientRect().width, avatar.width], text_top: body.marginTop,
                colours: [card.backgroundColor, card.color, card.borderTopColor, style('.curator-card__handle').color]};
    }""")
    theme = THEMES[name]

    def rgb(colour: str) -> str:
        return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))

    assert drawn == {"padding": [f"{m.pad_y:g}px", f"{m.pad_x:g}px"], "border": f"{m.border:g}px",
                     "radius": f"{THEMES['light'].radius:g}px",
                     "font": [f"{m.name.size:g}px", f"{m.name.line_height:g}px"],
                     "body": [f"{m.body.size:g}px", f"{m.body.line_height:g}px"], "gap": f"{m.gap:g}px",
                     "avatar": [m.avatar, m.avatar], "text_top": f"{m.section:g}px",
                     "colours": [rgb(theme.background), rgb(theme.text), rgb(theme.border), rgb(theme.secondary)]}


def test_wall_fits_a_320px_screen(wall, browser) -> None:
    _, base = wall
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(base + "wall/")
    theme_ready(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    widths = page.eval_on_selector_all(".curator-card", "cards => cards.map(c => c.getBoundingClientRect().right)")
    assert widths and max(widths) <= 320
    images = page.eval_on_selector_all(".curator-card img", "imgs => imgs.map(i => [i.getAttribute('width'), i.getAttribute('height'), i.loading])")
    assert images and all(w and h and lazy == "lazy" for w, h, lazy in images)  # no layout shift
    context.close()


LAYOUTS = ["masonry", "grid", "carousel", "list", "single", "badge"]


@pytest.mark.parametrize("path", ["embed/t/mastodon-mastodon-example-113100000001.html",
                                  *(f"embed/t/{record_id}.html" for record_id in WHOLE_POSTS),
                                  *(f"embed/wall.html?layout={layout}&theme=dark" for layout in LAYOUTS)])
def test_axe_finds_no_violations_in_iframe_pages(wall, page, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, base = wall
    page.goto(base + path)
    page.wait_for_load_state("load")
    results = Axe().run(page)
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]] == []
    assert_local_only(page)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_web_component_in_every_layout_passes_axe(wall, page, theme: str) -> None:
    """Every layout of <curator-wall>, on a plain host page (axe reads open shadow roots)."""
    from axe_playwright_python.sync_playwright import Axe

    root, base = wall
    background = "#fff" if theme == "light" else "#000"
    walls = "".join(f'<h2>{layout}</h2><curator-wall layout="{layout}" limit="4" theme="{theme}" autoplay="5">'
                    '</curator-wall>' for layout in LAYOUTS)
    (root / "site" / f"axe-{theme}.html").write_text(
        f'<!doctype html><html lang="en"><head><title>host</title></head><body style="background:{background}">'
        f'<main><h1>Host</h1><script src="{base}embed/curator.js"></script>{walls}</main></body></html>', "utf-8")
    page.goto(base + f"axe-{theme}.html")
    for layout in LAYOUTS:
        page.wait_for_selector(f'curator-wall[layout="{layout}"] >> .curator-card', state="attached")
    carousel = 'curator-wall[layout="carousel"]'
    assert page.locator(f"{carousel} >> section[aria-roledescription=carousel]").count() == 1
    assert page.locator(f"{carousel} >> button").count() == 3  # stop/start, previous, next
    assert page.locator(f'{carousel} >> button[aria-label="Stop rotation"]').count() == 1
    results = Axe().run(page)
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]] == []
    assert_local_only(page)


def test_embed_page_offers_every_layout_with_preview_and_code(wall, page) -> None:
    _, base = wall
    page.goto(base + "embed/")
    for layout in LAYOUTS:
        assert page.locator(f'curator-wall[layout="{layout}"]').count() >= 1, layout
        codes = page.eval_on_selector_all("pre code", "codes => codes.map(c => c.textContent)")
        assert any(f'layout="{layout}"' in code for code in codes), layout
        assert any(f"layout={layout}" in code for code in codes), layout  # the iframe's URL parameter
        assert any(f'data-layout="{layout}"' in code for code in codes), layout  # the static HTML
        oembed = json.loads(urlopen(base + f"oembed/wall/{layout}.json").read())  # noqa: S310 (local server)
        assert f"embed/wall.html?layout={layout}&amp;" in oembed["html"] and oembed["type"] == "rich"
    assert page.locator("button.curator-copy:visible").count() == 4 * len(LAYOUTS)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_static_wall_snippet_works_in_a_host_page_in_every_layout(wall, browser, tmp_path: Path, layout: str) -> None:
    """The static HTML code of each layout, pasted into another site's page: cards drawn by the
    wall's stylesheet, no script, every request to the wall's site."""
    _, base = wall
    page = browser.new_page()
    page.goto(base + "embed/")
    static = page.locator(f'h3:text-is("Static HTML (no JavaScript; the first cards as of this build) ({layout})")')
    code = static.locator("xpath=following-sibling::div[1]//code").text_content()
    page.close()
    (tmp_path / "host.html").write_text(f"<!doctype html><html lang=en><title>Host</title><main>{code}</main></html>", "utf-8")
    server, host = serve(tmp_path)
    try:
        host_page = browser.new_page(java_script_enabled=False)
        host_page.goto(host + "host.html")
        cards = host_page.locator(".curator-wall .curator-card")
        assert cards.count() == {"single": 1, "badge": 5}.get(layout, 6)
        assert host_page.eval_on_selector(".curator-wall", "w => getComputedStyle(w).display") in ("grid", "block", "flex")
        if layout == "badge":
            assert host_page.locator(".curator-wall__more").is_visible()
        else:
            assert cards.first.locator(".curator-card__text").is_visible()
        host_page.close()
    finally:
        server.shutdown()


def _vnu_jar() -> Path | None:
    """The Nu HTML Checker: $VNU_JAR, or `npm install vnu-jar` in the checkout (as .ci/run does)."""
    import os
    import shutil

    found = [Path(p) for p in (os.environ.get("VNU_JAR", ""), "node_modules/vnu-jar/build/dist/vnu.jar") if p]
    jar = next((p for p in found if p.is_file()), None)
    return jar if jar and shutil.which("java") else None


@pytest.mark.skipif(_vnu_jar() is None, reason="needs java and vnu.jar (npm install vnu-jar)")
def test_nu_html_checker_finds_no_error_on_any_page(wall) -> None:
    """Every HTML file the build wrote, Material's pages included (the plugin fixes what the theme
    gets wrong), the iframe pages and the 404 page; the hostile record is among them."""
    import subprocess

    root, _ = wall
    pages = sorted(str(p) for p in (root / "site").rglob("*.html") if not p.name.startswith(("xss-", "axe-")))
    result = subprocess.run(["java", "-jar", str(_vnu_jar()), "--errors-only", "--format", "gnu", *pages],
                            capture_output=True, text=True, timeout=300)
    assert len(pages) > 40
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr[:3000]


def test_a_right_to_left_poll_is_mirrored_on_the_html_card_as_on_the_image(browser, tmp_path: Path) -> None:
    """A Hebrew poll: each percentage right of its option, each bar from the right edge."""
    from curator.web import markup, outputs
    from whole_post_samples import whole_post

    poll = {"options": [{"title": "לרכוב לעבודה", "votes": 30}, {"title": "ללכת ברגל", "votes": 10}], "closed": True}
    latin = {"options": [{"title": "Ride", "votes": 30}, {"title": "Walk", "votes": 10}], "closed": True}
    rows = "ls => ls.map(l => [l.querySelector('.curator-card__percent').getBoundingClientRect().left, " \
           "l.querySelector('.curator-card__option').getBoundingClientRect().left, l.getBoundingClientRect().right, " \
           "getComputedStyle(l).direction])"
    page = browser.new_page()
    for options, rtl in ((poll, True), (latin, False)):
        record = whole_post(tmp_path, media=[], quote=None, emoji=[], poll=options, warning=None,
                            text="קניתי אופניים" if rtl else "New bike", lang="he" if rtl else "en")
        card = markup.render("card.html", None, t=record, avatar=None, files="", tz="UTC", link=None, eager=True, mark="")
        (tmp_path / "poll.html").write_text(f'<!doctype html><meta charset="utf-8"><style>{outputs.stylesheet("embed.css")}</style>'
                                            f'<div class="curator-wall" data-layout="single">{card}</div>', "utf-8")
        page.goto((tmp_path / "poll.html").as_uri())
        for percent, option, _right, direction in page.eval_on_selector_all(".curator-card__poll li", rows):
            assert (percent > option) == rtl and (direction == "rtl") == rtl
    page.close()
