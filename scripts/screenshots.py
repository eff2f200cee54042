"""Take the user guide's screenshots from the built demo site (run `curator build` first).

    python scripts/screenshots.py

Serves site/ on 127.0.0.1, opens it in Debian's Chromium through Playwright and writes PNGs to
docs/assets/screenshots/. The host-page shots embed the web component and the iframe on a
plain page served from a second local port, as another site would. The wall's HTML cards show
emoji in the system's emoji font, as a visitor's browser does: install one first (Debian:
`apt-get install fonts-noto-color-emoji`), or the shots show empty boxes.
"""
from __future__ import annotations

import functools
import http.server
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "assets" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
RECORD = "mastodon-mastodon-example-113100000001"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def host_page(site: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bolt Bikes</title></head>
<body style="font: 16px Georgia, serif; max-width: 1100px; margin: 2rem auto; background: #faf7f2">
<h1>What riders say</h1>
<script src="{site}embed/curator.js" async></script>
<curator-wall layout="badge" limit="5" theme="light"></curator-wall>
<curator-wall layout="carousel" limit="6" theme="light"></curator-wall>
<h2>Grid, dark</h2>
<curator-wall layout="grid" limit="3" theme="dark"></curator-wall>
<h2>One testimonial in an iframe</h2>
<iframe class="curator-frame" src="{site}embed/t/{RECORD}.html" title="Testimonial" width="550" height="50"></iframe>
<script src="{site}embed/resize.js" async></script>
</body></html>"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    site_server, site = serve(ROOT / "site")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "index.html").write_text(host_page(site), "utf-8")
        host_server, host = serve(Path(folder))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(site + "wall/")
            page.wait_for_function("document.documentElement.classList.contains('js')")  # the theme's script ran
            page.screenshot(path=OUT / "wall-light.png")
            page.click("form[data-md-component=palette] label:visible")
            page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
            page.screenshot(path=OUT / "wall-dark.png")
            page.click("form[data-md-component=palette] label:visible")
            page.goto(site + f"t/{RECORD}/", wait_until="networkidle")  # the card image is lazy
            page.screenshot(path=OUT / "permalink.png", full_page=True)
            page.goto(site + "embed/")
            page.wait_for_selector('curator-wall[layout="badge"] >> .curator-card', state="attached")
            page.screenshot(path=OUT / "embed-layouts.png")
            page.set_viewport_size({"width": 1100, "height": 1000})
            page.goto(host)
            page.wait_for_selector("curator-wall >> .curator-card")
            page.wait_for_function("document.querySelector('iframe').height > 100")  # resized by resize.js
            page.screenshot(path=OUT / "host-page.png", full_page=True)
            browser.close()
        host_server.shutdown()
    site_server.shutdown()
    for path in sorted(OUT.glob("*.png")):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
