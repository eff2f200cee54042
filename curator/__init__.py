"""curator: consented testimonials from social media, as a wall, image cards and embeds.

Small public API over the store:

    >>> import curator
    >>> store = curator.Store.open("testimonials")
    >>> [t.id for t in store.published("web", curator.build_date())]
"""
from .config import Config, load_config
from .errors import CuratorError, InvalidData, Problem
from .model import Testimonial
from .policy import build_date, publishable, why_not
from .store import Store

__version__ = "0.1.0"
__all__ = [
    "Config", "CuratorError", "InvalidData", "Problem", "Store", "Testimonial",
    "build_date", "load_config", "publishable", "why_not",
]
