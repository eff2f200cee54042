"""Posts entered by hand (``curator add FILE``): a testimonial received by email, a form, in person.

No source reads them and no reply can be sent: ask by email or DM and record the answer with
``curator grant ID --evidence URL --method email``. A record of a platform no module provides is
shown as one of these.
"""

from __future__ import annotations

from . import Mark, Platform

PLATFORM = Platform(name="manual", label="Direct", mark=Mark("#536471", "+"))
