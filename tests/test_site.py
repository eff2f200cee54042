"""`curator build` on the sample wall: the gate decides what any file of site/ may contain."""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from pathlib import Path

import markupsafe
import pytest

from curator import Store, build_date
from curator import policy
from curator.policy import publishable

from conftest import reconsent

HOSTILE = "mastodon-mastodon-example-666"


def site_text(site: Path) -> str:
    """Every file of the site as text (gzip unpacked, binary files as latin-1 so bytes still match)."""
    parts = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def forms(text: str) -> set[str]:
    """The ways a string can appear in an output: raw, HTML-escaped, JSON-escaped."""
    return {text, html.escape(text), str(markupsafe.escape(text)), json.dumps(text)[1:-1],
            json.dumps(text, ensure_ascii=False)[1:-1]}


@pytest.fixture
def built(project: Path, run) -> Path:
    result = run("build")
    assert result.exit_code == 0, result.output
    return project / "site"


def test_wall_shows_exactly_the_publishable_records(project: Path, built: Path) -> None:
    store = Store.open(project / "testimonials")
    expected = {t.id for t in store.records.values() if publishable(t, "web", build_date(), store.suppressed)}
    assert len(expected) == 17
    wall = (built / "wall" / "index.html").read_text("utf-8")
    assert set(re.findall(r'<figure class="curator-card" id="t-([a-z0-9-]+)"', wall)) == expected
    for record_id in expected:
        assert html.escape(store.records[record_id].author.name) in wall


def test_unpublishable_text_appears_in_no_file(project: Path, built: Path) -> None:
    store = Store.open(project / "testimonials")
    everything = site_text(built)
    hidden = [t for t in store.records.values() if not publishable(t, "web", build_date(), store.suppressed)]
    assert len(hidden) == 13
    for record in hidden:
        for needle in (record.text[:40], record.author.name):
            if needle:
                assert not any(form in everything for form in forms(needle)), (record.id, needle)
    published = [t for t in store.records.values() if t not in hidden]
    index = json.loads((built / "search" / "search_index.json").read_text("utf-8"))
    indexed = " ".join(doc["text"] for doc in index["docs"])
    assert "Finally a notes app that syncs offline" in indexed
    assert len(published) == 17


def test_revoke_then_build_removes_text_and_avatar_everywhere(project: Path, run, built: Path) -> None:
    record_id = "mastodon-mastodon-example-113100000001"
    store = Store.open(project / "testimonials")
    record = store.records[record_id]
    text, avatar_bytes = record.text, store.avatar_path(record).read_bytes()
    assert avatar_bytes in [p.read_bytes() for p in built.rglob("*.png")]
    rendered = project / ".cache" / "curator"
    assert list((rendered / "render").glob("*.png"))
    result = run("revoke", record_id, "--reason", "asked by email")
    assert result.exit_code == 0, result.output
    assert not rendered.exists()  # the content-keyed card cache held the post's pixels: gone
    assert run("build").exit_code == 0
    everything_bytes = [p.read_bytes() for p in built.rglob("*") if p.is_file()]
    assert avatar_bytes not in everything_bytes
    assert not any(form in site_text(built) for form in forms(text[:40]))
    store_bytes = b"".join(p.read_bytes() for p in (project / "testimonials").rglob("*") if p.is_file())
    assert text.encode() not in store_bytes and avatar_bytes not in store_bytes
    assert record_id in (project / "testimonials" / "_suppressed.yml").read_text("utf-8")
    # a revoked post is never imported again
    again = project / "again.json"
    again.write_text(json.dumps({"id": record_id, "source": {"platform": "mastodon", "post_id": "113100000001"},
                                 "author": {"name": "Jane"}, "posted_at": "2026-03-14T18:22:05Z", "text": text}), "utf-8")
    readd = run("add", str(again))
    assert readd.exit_code == 1 and "suppressed" in readd.stderr


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_untrusted_text_is_escaped_and_only_http_links(project: Path, run) -> None:
    source = (project / "testimonials" / "x-188000000000000011.yml").read_text("utf-8")
    hostile = (source.replace("x-188000000000000011", HOSTILE.replace("mastodon-mastodon-example", "x"))
               .replace("name: Chris Doyle", f"name: '{XSS} Chris'")
               .replace("handle: '@chrisdoyle_ex'", "handle: '\"><svg onload=alert(2)>'")
               .replace("featured: false", "featured: true")
               .replace("- family", "- family\n- x-tag"))
    hostile = hostile.replace("text: Shared family grocery list", "text: Shared family <b>grocery</b> {{ config }} list")
    (project / "testimonials" / "x-666.yml").write_text(hostile, "utf-8")
    reconsent(project / "testimonials" / "x-666.yml")
    result = run("build")
    assert result.exit_code == 0, result.output
    wall = (project / "site" / "wall" / "index.html").read_text("utf-8")
    assert "<script>alert" not in wall and "<img src=x" not in wall and "<svg onload" not in wall
    assert "<b>grocery</b>" not in wall and "&lt;b&gt;grocery&lt;/b&gt;" in wall
    assert str(markupsafe.escape(XSS)) in wall
    hrefs = re.findall(r'href="([^"]*)"', wall)
    assert all(not h.lower().startswith(("javascript:", "data:", "vbscript:")) for h in hrefs)


def digest(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(project: Path, run, built: Path) -> None:
    first = digest(built)
    assert run("build").exit_code == 0
    assert digest(built) == first


def test_nothing_is_written_into_docs(project: Path, built: Path) -> None:
    assert not (project / "docs" / "wall").exists()


def test_json_feed_oembed_and_json_ld_follow_their_specs(project: Path, built: Path) -> None:
    store = Store.open(project / "testimonials")
    web = {t.id for t in policy.published(store, "web", build_date())}
    embed = {t.id for t in policy.published(store, "embed", build_date())}
    feed = json.loads((built / "testimonials.json").read_text("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"] and feed["items"]
    assert {item["id"].rstrip("/").rsplit("/", 1)[1] for item in feed["items"]} == web
    for item in feed["items"]:  # JSON Feed 1.1: id required; content_html or content_text required
        assert item["id"] and ("content_text" in item or "content_html" in item)
        assert item["date_published"].endswith("Z") and item["authors"][0]["name"]
    oembeds = {p.stem: json.loads(p.read_text("utf-8")) for p in (built / "oembed").glob("*.json")}
    assert set(oembeds) == embed
    walls = {p.stem: json.loads(p.read_text("utf-8")) for p in (built / "oembed" / "wall").glob("*.json")}
    assert set(walls) == {"masonry", "grid", "carousel", "list", "single", "badge"}
    oembeds |= {f"wall/{layout}": data for layout, data in walls.items()}
    for data in oembeds.values():  # oEmbed 1.0: version, type; rich needs html, width, height
        assert data["version"] == "1.0" and data["type"] == "rich"
        assert data["html"].startswith("<iframe") and isinstance(data["width"], int) and data["height"] > 50
        assert {k for k in data if k.startswith("thumbnail_")} in (set(), {"thumbnail_url", "thumbnail_width", "thumbnail_height"})
    discovery = (built / "embed" / "t" / f"{next(iter(embed))}.html").read_text("utf-8")
    assert 'type="application/json+oembed"' in discovery
    wall = (built / "wall" / "index.html").read_text("utf-8")
    (ld_text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', wall, re.S)
    data = json.loads(ld_text)
    assert data["@type"] == "ItemList" and len(data["itemListElement"]) == len(web)
    assert "Review" not in ld_text and "AggregateRating" not in ld_text and "ratingValue" not in ld_text
    assert {item["item"]["@type"] for item in data["itemListElement"]} == {"SocialMediaPosting"}


def test_json_ld_cannot_be_closed_by_a_post(project: Path, run) -> None:
    path = project / "testimonials" / "x-188000000000000013.yml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("text: J'ai plus de notes", "text: </script><script>alert(1)</script> J'ai plus de notes"), "utf-8")
    reconsent(path)
    assert run("build").exit_code == 0
    wall = (project / "site" / "wall" / "index.html").read_text("utf-8")
    (ld_text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', wall, re.S)
    assert "<" not in ld_text and "\\u003c/script\\u003e" in ld_text
    assert any("</script><script>" in item["item"]["text"] for item in json.loads(ld_text)["itemListElement"])


def test_permalink_pages_cards_and_press_kit(project: Path, built: Path) -> None:
    store = Store.open(project / "testimonials")
    record = store.records["mastodon-mastodon-example-113100000001"]
    page = (built / "t" / record.id / "index.html").read_text("utf-8")
    assert f'<meta property="og:image" content="https://curator.example/cards/{record.id}-social.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'href="https://mastodon.example/@jane/113100000001"' in page
    for name in (f"{record.id}.png", f"{record.id}@2x.png", f"{record.id}-dark.png", f"{record.id}-social.png"):
        assert (built / "cards" / name).is_file(), name
    assert len(list((built / "cards").glob("*.png"))) == 5 * 15 + 4 * 2  # 5 variants per web record (4 without social), nothing else
    press = (built / "press" / "index.html").read_text("utf-8")
    assert 'href="brochure.pdf"' in press and (built / "press" / "brochure.pdf").read_bytes().startswith(b"%PDF")
    printable = {t.id for t in policy.published(store, "print", build_date())} & {t.id for t in policy.published(store, "web", build_date())}
    assert {p.name.removesuffix("-print.pdf") for p in (built / "press").glob("*-print.pdf")} == printable
    nav = (built / "index.html").read_text("utf-8")
    assert f"t/{record.id}/" not in nav  # permalink pages stay out of the navigation


def test_the_brochure_is_laid_out_again_only_when_a_page_of_it_changed(project: Path, built: Path, run, monkeypatch) -> None:
    """Laying out every print card at 300 dpi was a second of each build of the sample wall."""
    from curator.render import output

    laid_out = []
    monkeypatch.setattr(output, "brochure_pdf", lambda *args, real=output.brochure_pdf: laid_out.append(1) or real(*args))
    assert run("build").exit_code == 0
    assert laid_out == []  # nothing changed: the brochure of the build before
    pages = (project / "site" / "press" / "brochure.pdf").read_bytes()
    assert run("revoke", "mastodon-mastodon-example-113100000001", "--reason", "asked by email").exit_code == 0
    assert run("build").exit_code == 0
    assert laid_out == [1] and (project / "site" / "press" / "brochure.pdf").read_bytes() != pages


def test_search_indexes_each_testimonial_once_without_its_embed_codes(built: Path) -> None:
    index = json.loads((built / "search" / "search_index.json").read_text("utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert not [loc for loc in locations if loc.startswith("wall/")]  # its cards are indexed on their own pages
    permalink = built / "t" / "mastodon-mastodon-example-113100000001" / "index.html"
    page = permalink.read_text("utf-8")
    assert "Embed this testimonial" in page and "curator:body" not in page
    indexed = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("t/"))
    assert "Finally a notes app that syncs offline" in indexed
    assert "iframe" not in indexed and "curator-testimonial" not in indexed


def test_site_cards_are_links_to_the_card_cache(project: Path, built: Path) -> None:
    card = built / "cards" / "mastodon-mastodon-example-113100000001.png"
    cache = project / ".cache" / "curator" / "render"
    assert card.stat().st_nlink > 1  # no 60 kB copy per card and build
    assert [entry for entry in cache.glob("*.png") if entry.samefile(card)]


def test_a_large_wall_is_split_into_linked_pages(project: Path, run) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      wall_page: wall/index.md\n",
                                                        "      wall_page: wall/index.md\n      wall_page_size: 5\n"), "utf-8")
    assert run("build").exit_code == 0
    site = project / "site"
    pages = [site / "wall" / "index.html"] + [site / "wall" / "page" / str(n) / "index.html" for n in (2, 3, 4)]
    assert not (site / "wall" / "page" / "5").exists()
    shown = [re.findall(r'<figure class="curator-card" id="t-([^"]+)"', page.read_text("utf-8")) for page in pages]
    assert [len(ids) for ids in shown] == [5, 5, 5, 2]
    store = Store.open(project / "testimonials")
    assert sorted(i for ids in shown for i in ids) == sorted(t.id for t in policy.published(store, "web", build_date()))
    second = pages[1].read_text("utf-8")
    assert 'href="../../../wall/" rel="prev"' in second and 'href="../../../wall/page/3/" rel="next"' in second
    assert 'aria-current="page">2</a>' in second
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', second, re.S).group(1))
    assert [item["item"]["url"].rstrip("/").rsplit("/", 1)[-1] for item in ld["itemListElement"]] == shown[1]
    nav = (site / "index.html").read_text("utf-8")
    assert "wall/page/2/" not in nav  # only the first page is in the navigation


def test_rebuild_reads_unchanged_pages_from_the_part_cache(project: Path, run, built: Path, monkeypatch) -> None:
    import jinja2

    # Counted where templates are fetched: patching curator's own functions would change the keys.
    rendered: list[str] = []
    real = jinja2.Environment.get_template
    monkeypatch.setattr(jinja2.Environment, "get_template", lambda env, name, *a, **k: rendered.append(name) or real(env, name, *a, **k))
    record = "mastodon-mastodon-example-113100000001"
    before = (built / "t" / record / "index.html").read_text("utf-8")
    assert run("build").exit_code == 0
    assert "permalink.html" not in rendered and "iframe.html" not in rendered
    assert (built / "t" / record / "index.html").read_text("utf-8") == before

    path = project / "testimonials" / f"{record}.yml"
    path.write_text(path.read_text("utf-8").replace("name: Jane Okafor", "name: Jane O. Okafor"), "utf-8")
    assert run("build").exit_code == 0
    assert rendered.count("permalink.html") == 1 and rendered.count("iframe.html") == 2  # its own, and the wall's
    assert "Jane O. Okafor" in (project / "site" / "t" / record / "index.html").read_text("utf-8")

    override = project / "overrides" / "curator" / "permalink.html"  # a brand's template is part of every key
    override.write_text("<p>brand permalink {{ t.author.name }}</p>\n", "utf-8")
    assert run("build").exit_code == 0
    assert "brand permalink" in (project / "site" / "t" / record / "index.html").read_text("utf-8")
    assert oct((project / "site").stat().st_mode & 0o777) == "0o755"


def test_rebuild_links_finished_pages_until_the_site_around_them_changes(project: Path, run, built: Path) -> None:
    page = built / "t" / "mastodon-mastodon-example-113100000001" / "index.html"
    assert run("build").exit_code == 0
    cache = project / ".cache" / "curator" / "pages"
    assert page.stat().st_ino in {cached.stat().st_ino for cached in cache.glob("*.html")}  # linked, not rendered

    # Anything around the page shapes it too: the site's name, a nav title, the theme's overrides.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: curator", "site_name: Acme praise")
                      .replace("Getting started: getting-started.md", "First steps: getting-started.md"), "utf-8")
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block announce %}Brand news{% endblock %}\n', "utf-8")
    assert run("build").exit_code == 0
    text = page.read_text("utf-8")
    assert "Acme praise" in text and "First steps" in text and "Brand news" in text and "Getting started" not in text


def test_a_build_that_reuses_pages_equals_one_that_renders_them(project: Path, run, built: Path) -> None:
    import shutil

    path = project / "testimonials" / "mastodon-mastodon-example-113100000001.yml"
    path.write_text(path.read_text("utf-8").replace("name: Jane Okafor", "name: Jane O. Okafor"), "utf-8")
    assert run("build").exit_code == 0  # one page rendered between reused ones: search entries keep page order
    reusing = digest(built)
    shutil.rmtree(project / ".cache" / "curator" / "pages")
    assert run("build").exit_code == 0
    assert digest(built) == reusing


def test_cards_drawn_in_a_forked_process_equal_cards_drawn_in_place(project: Path, run, monkeypatch) -> None:
    import shutil
    import threading

    from curator.render import forked

    if threading.active_count() > 1:
        pytest.skip("curator build forks only from a single-threaded process")
    (project / ".cache").unlink()  # the tests' shared card cache: these builds draw every card
    assert run("build").exit_code == 0  # in a forked process, itself with worker processes
    drawn_apart = digest(project / "site")
    shutil.rmtree(project / ".cache")
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert run("build").exit_code == 0
    assert digest(project / "site") == drawn_apart


def test_plain_mkdocs_build_draws_the_cards_through_the_plugin(project: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    card = project / "site" / "cards" / "mastodon-mastodon-example-113100000001-social.png"
    assert card.read_bytes().startswith(b"\x89PNG")


def test_a_card_with_a_missing_glyph_fails_the_build_and_keeps_the_previous_site(project: Path, run) -> None:
    assert run("build").exit_code == 0
    before = {path: path.read_bytes() for path in (project / "site").rglob("*.html")}
    path = project / "testimonials" / "mastodon-mastodon-example-113100000001.yml"
    path.write_text(path.read_text("utf-8").replace("text: '", "text: '\U0010FFFD ", 1), "utf-8")
    reconsent(path)
    result = run("build")
    assert result.exit_code == 1
    assert "\nerror: no available font has glyphs for these characters: '\\U0010fffd' (U+10FFFD) in 1 card(s), " \
        "not published: mastodon-mastodon-example-113100000001; " in result.output
    assert "\nerror: `curator doctor` checks every published record" in result.output
    assert "U+10FFFD" in result.output and "Traceback" not in result.output
    assert {path: path.read_bytes() for path in (project / "site").rglob("*.html")} == before


def test_pages_are_rendered_when_another_plugin_can_change_them(project: Path, run) -> None:
    (project / "hooks.py").write_text("def on_page_content(html, page, config, files):\n"
                                      "    return html + '<p>hooked</p>'\n", "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - hooks.py\n", "utf-8")
    for _ in range(2):
        assert run("build").exit_code == 0
    page = project / "site" / "t" / "mastodon-mastodon-example-113100000001" / "index.html"
    assert "<p>hooked</p>" in page.read_text("utf-8") and page.stat().st_nlink == 1


def test_image_snippet_uses_every_card_variant(built: Path) -> None:
    page = html.unescape((built / "t" / "mastodon-mastodon-example-113100000001" / "index.html").read_text("utf-8"))
    card = "https://curator.example/cards/mastodon-mastodon-example-113100000001"
    assert f'media="(prefers-color-scheme: dark)" srcset="{card}-dark.png 1x, {card}@2x-dark.png 2x"' in page
    assert f'srcset="{card}.png 1x, {card}@2x.png 2x"' in page
    for variant in ("", "@2x", "-dark", "@2x-dark", "-social"):  # every published file is used somewhere
        assert (built / "cards" / f"mastodon-mastodon-example-113100000001{variant}.png").is_file()


def test_a_disabled_plugin_builds_the_docs_alone(project: Path, run, monkeypatch) -> None:
    import shutil

    from curator import render

    monkeypatch.setattr(render, "EarlyCards", None)  # no card is drawn, not even early
    shutil.rmtree(project / "docs")  # the guide links to the wall, which a disabled plugin does not make
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n", "utf-8")
    (project / "mkdocs.yml").write_text("site_name: Docs\ntheme: {name: material, font: false}\n"
                                        "plugins: [search, {curator: {brand: Acme, enabled: false}}]\n", "utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (project / "site" / "index.html").is_file() and not (project / "site" / "wall").exists()


def test_a_damaged_page_cache_means_pages_are_rendered(tmp_path: Path) -> None:
    from curator.web.pagecache import PageCache

    folder = tmp_path / "pages"
    folder.mkdir()
    for damaged in ("[1, 2]", "{not json", '{"k": []}'):
        (folder / "index.json").write_text(damaged, "utf-8")
        (folder / "k.html").write_text("<p>old</p>", "utf-8")
        assert PageCache(folder, "site").find("k") is None


def test_every_public_page_has_share_tags_and_permalinks_one_h1(project: Path, built: Path) -> None:
    for page in sorted(built.rglob("index.html")):
        text = page.read_text("utf-8")
        assert '<meta property="og:site_name" content="curator">' in text, page
        assert text.count('property="og:title"') == 1 and 'name="twitter:card"' in text, page
        image = 'property="og:image"' in text
        assert not image or 'property="og:image:alt" content="' in text, page
    home = (built / "index.html").read_text("utf-8")
    assert '<meta property="og:image" content="https://curator.example/assets/acme-share.png">' in home
    for page in sorted((built / "t").glob("*/index.html")):
        text = page.read_text("utf-8")
        assert text.count("<h1") == 1 and '"@type":"SocialMediaPosting"' in text, page
        # What a phone paints first is the HTML card: its avatar and first picture load at once; the
        # card image is shown with its embed code, below the fold, and waits.
        card = text[text.index('<figure class="curator-card"'):text.index("</figure>")]
        folded = card[card.index("<details"):] if "<details" in card else ""
        images = re.findall(r"<img [^>]*>", card[:len(card) - len(folded)])
        assert not images or 'loading="lazy"' not in images[0], page
        assert all('loading="lazy"' in image for image in re.findall(r"<img [^>]*>", folded)), page
        card_image = re.search(r'<img class="curator-card-image"[^>]*>', text)
        assert card_image is not None and 'loading="lazy"' in card_image.group(0), page
        assert text.index('<h2 id="embed"') < card_image.start(), page


def test_wall_header_filters_and_layout_come_from_config(project: Path, run) -> None:
    config = project / "mkdocs.yml"
    (project / "docs" / "assets" / "fonts").mkdir(parents=True)
    (project / "docs" / "assets" / "fonts" / "brand.woff2").write_bytes(b"wOF2")
    config.write_text(config.read_text("utf-8").replace("        layout: masonry ", "        layout: grid ").replace(
        "        theme: auto ", "        disclosure: Chosen by Acme <staff>.\n"
        "        fonts: [{family: Brand Sans, src: assets/fonts/brand.woff2}]\n        theme: auto "), "utf-8")
    assert run("build").exit_code == 0
    site = project / "site"
    wall = (site / "wall" / "index.html").read_text("utf-8")
    assert 'class="curator-wall" data-layout="grid"' in wall
    assert "Chosen by Acme &lt;staff&gt;." in wall and 'src="../assets/acme-logo.svg" alt="Acme"' in wall
    bar = wall[wall.index('<div class="curator-filters"'):wall.index('<div class="curator-wall"')]
    assert bar.count(">All<") == 1 and bar.count('class="curator-filters__row"') == 2 and "hidden" not in bar
    assert "<noscript><style>.curator-filters { display: none; }</style></noscript>" in wall
    assert not re.search(r'data-filter="kind"', wall)
    css = (site / "embed" / "embed.css").read_text("utf-8")
    assert '@font-face { font-family: "Brand Sans"; src: url("../assets/fonts/brand.woff2")' in css
    assert '--curator-font: "Brand Sans", ' in css
    assert "{site}assets/fonts/brand.woff2" in (site / "embed" / "curator.js").read_text("utf-8")


def test_the_wall_links_how_we_select_and_permalinks_say_when_permission_was_given(project: Path, built: Path) -> None:
    wall = (built / "wall" / "index.html").read_text("utf-8")
    assert '<a href="../how-we-select/">How we select testimonials</a>' in wall
    page = (built / "how-we-select" / "index.html").read_text("utf-8")
    assert "How we select testimonials" in page and "<strong>a selection</strong>" in page
    assert "<code>#YesAcme</code>" in page and "<code>#NoAcme</code>" in page and "Ratings are never shown" in page
    store = Store.open(project / "testimonials")
    shown = next(t for t in store.records.values() if publishable(t, "web", build_date(), store.suppressed))
    permalink = (built / "t" / shown.id / "index.html").read_text("utf-8")
    assert f'given on <time datetime="{shown.permission.granted_at}">{shown.permission.granted_at[:10]}</time>' in permalink
    assert f'href="{html.escape(shown.source.url)}"' in permalink


def test_the_selection_page_takes_its_wording_and_contact_from_config(project: Path, run) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    block = "      web:\n"
    assert block in text
    config.write_text(text.replace(block, block + "        contact: privacy@acme.example\n", 1), "utf-8")
    assert run("build").exit_code == 0
    page = (project / "site" / "how-we-select" / "index.html").read_text("utf-8")
    assert "write to privacy@acme.example" in page
    config.write_text(text.replace(block, block + "        selection: Our own words about choosing posts.\n", 1), "utf-8")
    assert run("build").exit_code == 0
    page = (project / "site" / "how-we-select" / "index.html").read_text("utf-8")
    assert "Our own words about choosing posts." in page and "a selection" not in page


def test_the_web_component_stays_within_8_kb_gzipped_with_every_layout_and_whole_post_part(built: Path) -> None:
    script = (built / "embed" / "curator.js").read_bytes()
    assert len(gzip.compress(script, 9)) <= 8 * 1024
    for part in (b"masonry", b"carousel", b"badge", b"curatorMasonry", b"curatorCarousel"):
        assert part in script, part  # minified, not cut
