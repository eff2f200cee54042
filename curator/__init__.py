"""curator: consented testimonials from social media, as a wall, image cards and embeds.

A small public API over one rich object, the wall (what the ``curator`` command does, with the
same effects):

    >>> import curator
    >>> wall = curator.Wall.open("mkdocs.yml")
    >>> [row.record.id for row in wall.listing(status="published")]
    >>> wall.revoke("x-188000000000000013", reason="asked by email")
    >>> wall.build()

and, below it, the store and the publish gate:

    >>> store = curator.Store.open("testimonials")
    >>> [t.id for t in curator.published(store, "web", curator.build_date())]

Every failure a user can fix is a ``curator.CuratorError`` (``InvalidData`` carries every
``Problem`` found).
"""

from .config import Config, load_config
from .errors import CuratorError, InvalidData, Problem
from .model import Testimonial
from .policy import build_date, publishable, published, why_not
from .store import Store
from .wall import Wall

__version__ = "0.1.0"
__all__ = [
    "Config",
    "CuratorError",
    "InvalidData",
    "Problem",
    "Store",
    "Testimonial",
    "Wall",
    "build_date",
    "load_config",
    "publishable",
    "published",
    "why_not",
]
