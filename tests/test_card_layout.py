"""One card layout (curator/render/theme.py) for the image and the HTML card: the stylesheets are
generated from it and state no size or colour of their own."""
from __future__ import annotations

import re

import pytest

from curator.render.theme import EMBED_METRICS, SIZES, THEMES
from curator.web import markup
from curator.web.outputs import ASSETS, stylesheet

TOKENS = {"--curator-bg": "background", "--curator-fg": "text", "--curator-muted": "secondary",
          "--curator-border": "border", "--curator-link": "link"}


def rules(css: str) -> dict[str, dict[str, str]]:
    """selector → {property: value} of a flat stylesheet (an @media block's rules are prefixed with it)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media\s*([^{]+)\{((?:[^{}]*\{[^}]*\})*)\s*\}",
                 lambda m: re.sub(r"([^{}]+)\{", lambda r: f"@media {m.group(1).strip()} {r.group(1).strip()} {{", m.group(2)), css)
    found = {}
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        declarations = (part.split(":", 1) for part in body.split(";") if ":" in part)
        found[" ".join(selector.split())] = {name.strip(): value.strip() for name, value in declarations}
    return found


def px(value: float) -> str:
    return f"{value:g}px"


def test_the_html_card_takes_its_geometry_from_the_layout() -> None:
    css, m = rules(stylesheet("embed.css")), EMBED_METRICS
    card = css["figure.curator-card"]
    assert card["max-width"] == px(SIZES["embed"].card_width)
    assert card["padding"] == f"{px(m.pad_y)} {px(m.pad_x)}"
    assert card["border"].startswith(px(m.border))
    assert (card["font-size"], card["line-height"]) == (px(m.name.size), px(m.name.line_height))
    body = css[".curator-card blockquote.curator-card__text"]
    assert body["margin"] == f"{px(m.section)} 0 0"
    assert (body["font-size"], body["line-height"]) == (px(m.body.size), px(m.body.line_height))
    header = css[".curator-card figcaption.curator-card__meta"]
    assert (header["gap"], header["font-size"]) == (px(m.gap), px(m.meta.size))
    avatar = css[".curator-card img.curator-card__avatar"]
    assert avatar["width"] == avatar["height"] == px(m.avatar) == f"{markup.AVATAR_SIZE}px"
    below = css[".curator-card p.curator-card__disclosure, .curator-card p.curator-card__date"]
    assert (below["margin"], below["font-size"], below["line-height"]) == \
           (f"{px(m.section / 2)} 0 0", px(m.meta.size), px(m.meta.line_height))
    badge = css[".curator-card svg.curator-card__verified"]
    assert (badge["width"], badge["fill"]) == (px(m.badge), THEMES["light"].badge.lower())
    assert css[".curator-card svg.curator-card__mark"]["width"] == px(m.mark)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_the_html_card_has_each_themes_colours(name: str) -> None:
    css = rules(stylesheet("embed.css"))
    selectors = [".curator-card"] if name == "light" else [f'[data-curator-theme="{name}"] .curator-card']
    if name == "dark":  # a visitor's dark system setting picks the dark theme
        selectors.append('@media (prefers-color-scheme: dark) [data-curator-theme="auto"] .curator-card')
    theme = THEMES[name]
    for selector in selectors:
        assert {token: css[selector][token] for token in TOKENS} == \
               {token: getattr(theme, field).lower() for token, field in TOKENS.items()}, selector
    assert css[".curator-card"]["--curator-radius"] == px(THEMES["light"].radius)


def test_the_templates_state_no_size_or_colour_of_the_card() -> None:
    for name in ("embed.css", "curator.css"):
        template = (ASSETS / f"{name}.jinja").read_text("utf-8")
        assert not re.findall(r"#[0-9A-Fa-f]{6}\b", template), name
    # Placeholders become a bare word, Jinja statements and comments go: what is left is the template's own CSS.
    template = re.sub(r"\{\{.*?\}\}", "layout", (ASSETS / "embed.css.jinja").read_text("utf-8"))
    template = re.sub(r"\{%.*?%\}|\{#.*?#\}", "", template, flags=re.S)
    stated = {selector: body for selector, body in rules(template).items() if "frame-body" not in selector}
    assert "figure.curator-card" in stated  # the iframe page's own margins aside, no rule states a length
    assert [selector for selector, body in stated.items() if re.search(r"\b[1-9][\d.]*px", " ".join(body.values()))] == []


def test_the_material_wall_and_embeds_share_the_layouts_width_and_radius() -> None:
    css = rules(stylesheet("curator.css"))
    assert rules(stylesheet("embed.css"))['.curator-wall[data-layout="list"], .curator-wall[data-layout="single"]']["max-width"] \
        == px(SIZES["embed"].card_width) == f"{markup.CARD_WIDTH}px"
    assert css[".md-typeset .curator-card-image"]["border-radius"] == px(THEMES["light"].radius)
