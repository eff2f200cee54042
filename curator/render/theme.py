"""The card's look as data: colour themes, geometry (sizes, paddings, type) and size presets.

This is the one declarative layout of a card. The PNG renderer (``card.py``) reads it, and the
site generates the HTML card's stylesheet from it (``web/outputs.py``, ``embed.css.jinja``),
so the image and the HTML card cannot drift apart: change a value here, never in either.

Every length here is in CSS px at 1× and multiplied by the render scale; colours are
``#RRGGBB``. ``light``, ``dim`` (#15202B) and ``dark`` (lights-out) follow the embedded-post
palettes people know; ``brand`` starts from light and takes what config's ``cards.brand`` sets.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ..config import Brand
from ..errors import UsageError


@dataclass(frozen=True)
class Theme:
    name: str
    background: str  # the card
    canvas: str  # around the card (social/square/story/print; bleed)
    text: str
    secondary: str
    border: str
    link: str
    badge: str
    highlight: str
    radius: float = 12
    font: str | None = None  # a font file tried before the bundled ones
    warning: str = "#B45309"  # the content warning's mark (amber, readable on the background)

    def colours(self) -> dict[str, str]:
        return {"text": self.text, "secondary": self.secondary, "link": self.link, "highlight": self.highlight}

    @property
    def poll_leader(self) -> str:
        """The leading poll option's bar: the link colour, light enough for text over it."""
        return tint(self.link, self.background, 0.3)

    @property
    def poll_bar(self) -> str:
        return self.border


def tint(colour: str, under: str, opacity: float) -> str:
    """``colour`` at ``opacity`` over ``under``, as one opaque ``#RRGGBB``."""
    mixed = (round(int(colour[i : i + 2], 16) * opacity + int(under[i : i + 2], 16) * (1 - opacity)) for i in (1, 3, 5))
    return "#" + "".join(f"{channel:02X}" for channel in mixed)


THEMES = {
    "light": Theme("light", "#FFFFFF", "#F7F9F9", "#0F1419", "#536471", "#CFD9DE", "#006FD6", "#1D9BF0", "#FFF1A8"),
    "dim": Theme(
        "dim", "#15202B", "#10171E", "#F7F9F9", "#8B98A5", "#425364", "#6BC9FB", "#1D9BF0", "#4A4420", warning="#F5A524"
    ),
    "dark": Theme(
        "dark",
        "#000000",
        "#16181C",
        "#E7E9EA",
        "#71767B",
        "#2F3336",
        "#1D9BF0",
        "#1D9BF0",
        "#4A4420",
        warning="#F5A524",
    ),
}
THEME_NAMES = (*THEMES, "brand")


NO_BRAND = Brand()


def theme(name: str, brand: Brand = NO_BRAND) -> Theme:
    """A theme by name; ``brand`` is light with config's ``cards.brand`` values over it."""
    if name == "brand":
        values = {f.name: getattr(brand, f.name) for f in fields(brand) if getattr(brand, f.name) is not None}
        accent = values.pop("accent", None)
        if accent:
            values.setdefault("link", accent)
            values.setdefault("badge", accent)
        return replace(THEMES["light"], name="brand", **values)
    if name not in THEMES:
        raise UsageError(f"unknown theme {name!r}; themes are {', '.join(THEME_NAMES)}")
    return THEMES[name]


def theme_key(value: Theme) -> dict:
    return {f.name: getattr(value, f.name) for f in fields(value)}


@dataclass(frozen=True)
class TextSize:
    """A font size and its line height."""

    size: float
    line_height: float


@dataclass(frozen=True)
class Metrics:
    """Card geometry in CSS px at 1× (react-tweet's embed values)."""

    pad_x: float = 16
    pad_y: float = 12
    avatar: float = 48
    gap: float = 8  # avatar to name, name to platform mark
    section: float = 12  # header to text; half of it between the blocks below
    badge: float = 18.75
    badge_gap: float = 2  # name to verified badge
    mark: float = 23.75
    border: float = 1
    name: TextSize = TextSize(15, 20)  # name (bold) and handle
    body: TextSize = TextSize(20, 24)
    meta: TextSize = TextSize(15, 20)  # disclosure and date line
    counts: TextSize = TextSize(14, 16)  # the like/repost/reply row (bold)
    # What a whole post shows besides its text (issue 21), between the text and the date line.
    warning_icon: float = 16  # the content warning's triangle, before its text (meta type, bold)
    media_gap: float = 2  # between the cells of a 2–4 image grid
    media_radius: float = 12  # the grid's and the boxes' rounded corners
    media_aspect: tuple[float, float] = (0.75, 1.78)  # one image: width/height clamped to 3:4 … 16:9
    grid_aspect: float = 16 / 9  # two to four images: the whole grid
    play: float = 56  # a video's play mark (circle diameter)
    tag: TextSize = TextSize(12, 16)  # the "GIF" tag (bold)
    tag_pad: float = 4  # around the tag's text, and its distance from the cell's corner
    poll_bar: float = 32  # one poll option's row: the bar behind its percentage and title
    poll_gap: float = 6  # between two options
    poll_radius: float = 6
    poll_pad: float = 10  # percentage and title inside the bar
    box_pad: float = 12  # inside the quoted post's and the link card's border
    box_text: TextSize = TextSize(15, 20)  # the quoted post's text, the link card's title and description
    link_aspect: float = 1.91  # a link card's image (Open Graph's 1.91:1)


EMBED_METRICS = Metrics()
# Posters read from further away: a looser body line (1.4) like the target social card.
POSTER_METRICS = replace(EMBED_METRICS, body=TextSize(20, 28))


@dataclass(frozen=True)
class Size:
    """A size preset. ``canvas`` None: the image is the card and its height fits the text."""

    name: str
    channel: str
    card_width: float  # CSS px at 1× for fit-height sizes; device px for fixed canvases
    canvas: tuple[int, int] | None = None
    scale: float = 1
    min_scale: float = 1
    metrics: Metrics = EMBED_METRICS


SIZES = {
    "embed": Size("embed", "web", 550),
    "social": Size("social", "social", 1000, (1200, 675), scale=2, min_scale=1.1, metrics=POSTER_METRICS),
    "square": Size("square", "social", 920, (1080, 1080), scale=2.4, min_scale=1.2, metrics=POSTER_METRICS),
    "story": Size("story", "social", 920, (1080, 1920), scale=3, min_scale=1.4, metrics=POSTER_METRICS),
    "print": Size("print", "print", 550, metrics=POSTER_METRICS),
}
