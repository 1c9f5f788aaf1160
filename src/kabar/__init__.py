"""Kabar: a terminal news reader that shows the full article, captions and all."""

__version__ = "0.1.0"
