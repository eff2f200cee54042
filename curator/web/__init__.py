"""The site layer. ``plugin.py`` is the only module that imports MkDocs; the rest is plain Python
that turns published records into HTML and data, so it can move to another generator."""
