"""Card renderer: tweet-style testimonial cards as PNG, PDF and CMYK TIFF, every script and emoji.

Public API (the site build calls these; keep the signatures):

``render_site_cards(records, config, store_root, cache_dir, social=()) -> SiteCards``
    Renders the web cards of every given record into the cache; their names in the site:

    - ``<id>.png``          embed, 550 px wide, 1×, light (or config ``cards.theme``)
    - ``<id>@2x.png``       the same at 2× (1100 px)
    - ``<id>-dark.png``     embed 1× in the dark theme
    - ``<id>@2x-dark.png``  embed 2× in the dark theme
    - ``<id>-social.png``   1200×675 for ``og:image``, only for the ids in ``social`` (the
      records the gate lets through on the ``social`` channel); omitted, with a warning, if
      the text cannot fit even at the smallest text size

    ``SiteCards.written`` is ``{record id: [(name, cache entry), in that order]}``: the site
    links the entries under those names. Bytes are deterministic and cached under ``cache_dir``
    (content-hash key: see ``batch``), so a rebuild re-renders only changed cards. The caller
    has already applied the publish gate; this function does not decide publishing.
    ``SiteCards.warnings`` has a line per card left out (a text too long for the social
    canvas), for the caller to log: it may run in another process. A card with a character no
    available font draws is never published: CuratorError names each such record, its
    characters and the font to install, and the build stops.

``alt_text(record) -> str``
    The card's alt text: author, handle, platform, date and the full post text.

``EarlyCards(records, config, store_root, cache_dir, social=())``
    ``render_site_cards`` started in a forked process (``forked``); ``curator build`` starts it
    before MkDocs loads, and its ``render_site_cards`` takes the result for the same call.

Modules: ``text`` (layout: fallback, breaking, bidi), ``fonts``, ``emoji``, ``theme`` (tokens
and sizes), ``card`` (declarative layers + painter), ``output`` (PNG/PDF/TIFF/brochure),
``batch`` (cache, threads, worker processes), ``forked``. Rendering never touches the network.

This module imports only light ones: Pillow, HarfBuzz and FreeType load when a card is drawn,
so a build whose cards are drawn in the forked process never loads them itself (0.2 s), and
neither do commands that draw none.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, platforms
from ..model import MEDIA_NAMES, Author, Media, Testimonial, parse_timestamp
from . import polls
from .forked import Forked
from .theme import SIZES

if TYPE_CHECKING:
    from .batch import Options, Outcome, ProgressBar, Settings
    from .card import Rendered

log = logging.getLogger("curator.render")

__all__ = [
    "render_site_cards",
    "SiteCards",
    "EarlyCards",
    "render_press_kit",
    "alt_text",
    "render_records",
    "SITE_VARIANTS",
]

# (file suffix, size, theme or None for the configured one, scale)
SITE_VARIANTS = (
    ("", "embed", None, 1),
    ("@2x", "embed", None, 2),
    ("-dark", "embed", "dark", 1),
    ("@2x-dark", "embed", "dark", 2),
    ("-social", "social", None, 1),
)


@dataclass
class SiteCards:
    written: dict[str, list[tuple[str, Path]]]  # record id → [(name in the site, cache entry)]
    warnings: list[str]
    drawn: int = 0  # cards drawn by this build
    cached: int = 0  # cards taken from the cache


def render_site_cards(
    records: Iterable[Testimonial],
    config,
    store_root: Path,
    cache_dir: Path,
    social: Iterable[str] = (),
    progress: ProgressBar | None = None,
) -> SiteCards:
    """Every web card of ``records`` and the social poster of the ``social`` ids, drawn or taken
    from the cache; ``progress`` steps through the cards to draw."""
    from .batch import Job, Options, Settings, refuse_missing_glyphs, run
    from .card import card_data

    settings = Settings.from_config(config)
    social = set(social)
    jobs, names = [], []
    for record in sorted(records, key=lambda r: r.id):
        data = card_data(record, Path(store_root), settings.cards.metrics, settings.cards.timezone)
        for suffix, size, theme_name, scale in SITE_VARIANTS:
            if size == "social" and record.id not in social:
                continue  # a poster made for sharing on social media: only with that grant
            options = Options(size=size, theme=theme_name or settings.cards.theme, scale=scale)
            jobs.append(Job(data, options, None))
            names.append(f"{record.id}{suffix}.png")
    outcomes = run(jobs, settings, Path(cache_dir), progress=progress)
    refuse_missing_glyphs(outcomes)
    cached = sum(1 for outcome in outcomes if outcome.cached)
    cards = SiteCards({}, [], drawn=len(outcomes) - cached, cached=cached)
    for name, outcome in zip(names, outcomes, strict=True):
        cards.written.setdefault(outcome.job.card.id, [])
        if outcome.error or outcome.file is None:
            cards.warnings.append(outcome.error or f"{name}: not drawn")
        else:
            cards.written[outcome.job.card.id].append((name, outcome.file))
    return cards


class EarlyCards:
    """``render_site_cards`` started before anyone asks, in a forked process (``forked.Forked``):
    ``curator build`` starts it before MkDocs loads, and the plugin's later call for the same
    records and config takes its result. A call for anything else renders as usual."""

    def __init__(
        self,
        records: list[Testimonial],
        config,
        store_root: Path,
        cache_dir: Path,
        social: Iterable[str] = (),
        progress: ProgressBar | None = None,
    ) -> None:
        """``progress``: a bar the forked process draws (on the terminal both processes share)."""
        self.asked = self._request(records, config, store_root, cache_dir, social)
        self.forked = Forked(render_site_cards, records, config, store_root, cache_dir, sorted(social), progress)

    @staticmethod
    def _request(records, config, store_root, cache_dir, social) -> tuple:
        return [record.id for record in records], config, Path(store_root), Path(cache_dir), sorted(social)

    def render_site_cards(
        self, records: list[Testimonial], config, store_root: Path, cache_dir: Path, social: Iterable[str] = ()
    ) -> SiteCards:
        if self._request(records, config, store_root, cache_dir, social) == self.asked:
            return self.forked.result()
        return render_site_cards(records, config, store_root, cache_dir, social)

    def __enter__(self) -> EarlyCards:
        return self

    def __exit__(self, *exc_info) -> None:
        self.forked.__exit__(*exc_info)


def alt_text(record: Testimonial) -> str:
    """Author, handle, platform, date and the whole post as the card shows it: its content
    warning, full text (links as written), each image's description, the poll's options with
    their percentages, the link card's title and the quoted post."""
    moment = parse_timestamp(record.posted_at)
    platform = platforms.shown(record.source.platform).label
    who = _who(record.author)
    parts = [f"Post by {who} on {platform}, {moment.strftime('%B')} {moment.day}, {moment.year}:"]
    if record.warning:
        parts.append(f"Content warning: {record.warning}.")
    if record.text.strip():
        parts.append(f"“{record.text}”")
    parts += [_described(media) for media in record.media]
    if record.poll:
        votes = [option.votes for option in record.poll.options]
        percent = polls.shares(votes)
        options = [
            option.title + (f" {percent[index]}%" if percent else "")
            for index, option in enumerate(record.poll.options)
        ]
        parts.append(f"Poll: {'; '.join(options)} ({polls.summary(votes, record.poll.closed)}).")
    if record.link and not record.media:  # the card shows a link's card only in a post without media
        parts.append(f"Link: {record.link.title or record.link.url}.")
    if record.quote:
        quoted = f" “{record.quote.text}”" if record.quote.text.strip() else ""
        parts.append(f"Quoting {_who(record.quote.author)}:{quoted}")
        parts += [_described(media) for media in record.quote.media]
    if record.disclosure:
        parts.append(f"Disclosure: {record.disclosure}.")
    return " ".join(parts)


def _who(author: Author) -> str:
    return author.name + (f" ({author.handle})" if author.handle else "")


def _described(media: Media) -> str:
    return f"{MEDIA_NAMES.get(media.type, 'Image')}: {media.alt or 'no description'}."


def channel_for(size: str, brochure: bool = False) -> str:
    """The publish-gate channel of an output: print for print/brochure, social for posters, web for embeds."""
    return "print" if brochure else SIZES[size].channel


def render_records(
    records: list[Testimonial],
    settings: Settings,
    store_root: Path,
    out_dir: Path,
    options: Options,
    cache_dir: Path | None,
    workers: int | None = None,
    progress: ProgressBar | None = None,
) -> list[Outcome]:
    """The CLI's batch: one image per record, named ``<id>-<size>-<theme>[@Nx].<format>``."""
    from .batch import Job, run
    from .card import card_data

    scale = "" if options.scale == 1 or options.size != "embed" else f"@{options.scale:g}x"
    jobs = [
        Job(
            card_data(record, store_root, settings.cards.metrics, settings.cards.timezone),
            options,
            out_dir / f"{record.id}-{options.size}-{options.theme}{scale}.{options.fmt}",
        )
        for record in records
    ]
    return run(jobs, settings, cache_dir, workers, progress)


# The site's press kit: one print size for every card (designers re-render others with the CLI).
@dataclass(frozen=True)
class PressKit:
    width_mm: float = 100.0
    bleed_mm: float = 3.0
    dpi: int = 300


PRESS_KIT = PressKit()


def render_press_kit(
    records: Iterable[Testimonial], config, store_root: Path, out_dir: Path, cache_dir: Path, paper: str = "a4"
) -> dict[str, list[Path]]:
    """Print files for the press kit page: ``<id>-print.pdf`` and ``<id>-print.png`` (100 mm
    wide + 3 mm bleed, 300 dpi, cached like every card) and ``brochure.pdf`` with crop marks.

    Returns ``{record id: [pdf, png]}`` plus ``{"brochure": [path]}`` when any card was made.
    The caller has applied the publish gate for the ``print`` channel.
    """
    from . import output
    from .batch import Job, Options, Settings, refuse_missing_glyphs, run
    from .card import card_data

    settings = Settings.from_config(config)
    jobs = []
    for record in sorted(records, key=lambda r: r.id):
        data = card_data(record, Path(store_root), settings.cards.metrics, settings.cards.timezone)
        for fmt in ("pdf", "png"):
            options = Options(
                size="print",
                theme=settings.cards.theme,
                fmt=fmt,
                width_mm=PRESS_KIT.width_mm,
                bleed_mm=PRESS_KIT.bleed_mm,
                dpi=PRESS_KIT.dpi,
            )
            jobs.append(Job(data, options, Path(out_dir) / f"{record.id}-print.{fmt}"))
    written: dict[str, list[Path]] = {}
    pngs: list[Path] = []
    outcomes = run(jobs, settings, Path(cache_dir))
    refuse_missing_glyphs(outcomes)
    for outcome in outcomes:
        if outcome.error:
            log.warning("%s", outcome.error)
            continue
        out = Path(out_dir) / f"{outcome.job.card.id}-print.{outcome.job.options.fmt}"  # the job's own out
        written.setdefault(outcome.job.card.id, []).append(out)
        if outcome.job.options.fmt == "png":
            pngs.append(out)
    if pngs:
        brochure, sheet = Path(out_dir) / "brochure.pdf", output.Sheet(paper, PRESS_KIT.dpi)
        made_of, key = brochure.with_suffix(".key"), _brochure_key(pngs, sheet)
        # Laying out every print card at 300 dpi took a second of each build of the sample wall
        # (and grows with the wall): made again only when a page or the layout changed.
        if not (brochure.is_file() and made_of.is_file() and made_of.read_text("utf-8") == key):
            output.write_atomic(brochure, output.brochure_pdf(_print_sheets(pngs), sheet))
            output.write_atomic(made_of, key)
        written["brochure"] = [brochure]
    return written


def _brochure_key(pngs: list[Path], sheet) -> str:
    """What a brochure is made of: its pages' files by content, in order, the sheet, and the
    code that lays it out."""
    from ..store import file_digest
    from . import output

    digest = hashlib.sha256(f"{__version__}\n{sheet!r}\n".encode() + Path(output.__file__).read_bytes())
    for path in pngs:
        digest.update(f"{path.name}\0{file_digest(path)}\n".encode())
    return digest.hexdigest()


def _print_sheets(paths: list[Path]) -> Iterator[Rendered]:
    """The press kit's print PNGs, read one at a time (10,000 print cards would be 20+ GB of pixels)."""
    from PIL import Image

    from .card import Rendered

    for path in paths:
        with Image.open(path) as image:
            image.load()
            yield Rendered(image, PRESS_KIT.dpi, (PRESS_KIT.width_mm, PRESS_KIT.bleed_mm))
