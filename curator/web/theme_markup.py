"""What curator changes in the theme's (Material's) finished HTML. No MkDocs here.

The changes are made on the finished page rather than by overriding Material's templates:
overriding ``base.html`` for an attribute or a script tag would freeze a copy of a file that
changes with every Material release.
"""

from __future__ import annotations

import re

# Material 9's markup that the Nu HTML Checker rejects, in base.html and nav-item.html:
# autocomplete on its checkbox toggles, and an empty tabindex on section labels. Both attributes
# do nothing there.
_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input [^>]*type="checkbox"[^>]*?) autocomplete="off"')


def valid_html(output: str) -> str:
    """``output`` without the theme's markup that the HTML standard does not allow."""
    output = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", output).replace(' tabindex=""', "")
    if 'id="__toc"' not in output:  # a page out of the nav has a contents title but no toggle for it
        output = output.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    return output


# A highlighted code block as Python-Markdown and Pygments write it. Material's script makes each
# focusable (a keyboard scrolls a long line sideways); served so, it is before that script runs.
_CODE_BLOCK = re.compile(r"<pre>(<span></span>)?<code>")


def focusable_code(output: str) -> str:
    """Code blocks with ``tabindex="0"``, as Material's script would make them."""
    return _CODE_BLOCK.sub(lambda found: f'<pre>{found.group(1) or ""}<code tabindex="0">', output)


# Material's script, where its base.html puts it: the first of the scripts at the end of the body.
_THEME_SCRIPT = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
AFTER_LOAD_ID = "curator-after-load"


def scripts_after_load(output: str, keep: str) -> str:
    """Material's script and every script after it but ``keep`` (a script's path in the site:
    curator's own, which lays the wall out before it is painted) are put in an inert
    ``<template id="curator-after-load">`` that curator's script runs, in order, once the page
    has loaded and been painted.

    Why: Material's script (114 kB) fetches the whole search index (hundreds of kB: every page
    of the site) as soon as it runs, and on a phone both compete with the page's first paint.
    Until then search and the palette toggle wait; nothing on the page moves (the theme shows
    its search button once its script runs). The scripts after Material's keep
    their order because a brand's may use Material's (``document$``)."""
    theme = _THEME_SCRIPT.search(output)
    end = output.rfind("</body>")
    if theme is None or end < theme.start():
        return output
    tail = output[theme.start() : end]
    later = [tag for tag in _SCRIPT.findall(tail) if f'{keep}"' not in tag]
    kept = _SCRIPT.sub(lambda tag: tag.group() if tag.group() not in later else "", tail).strip()
    held = f'<template id="{AFTER_LOAD_ID}">{"".join(later)}</template>'
    return output[: theme.start()] + held + kept + output[end:]
