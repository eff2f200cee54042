"""Posts entered by hand (``curator add FILE``): a testimonial received by email, a form, in person.

No source reads them and no reply can be sent: ask by email or DM and record the answer with
``curator grant ID --evidence URL --method email``. A record of a platform no module provides is
shown as one of these.
"""

from __future__ import annotations

from . import Mark, Platform

# The HTML card's mark: a speech bubble drawn for curator (the project's licence).
MARK_PATH = "M4 2h16a4 4 0 0 1 4 4v9a4 4 0 0 1-4 4h-7l-6 5v-5H4a4 4 0 0 1-4-4V6a4 4 0 0 1 4-4zm3 6v2h10V8zm0 4v2h7v-2z"

PLATFORM = Platform(name="manual", label="Direct", mark=Mark("#536471", "+", path=MARK_PATH))
