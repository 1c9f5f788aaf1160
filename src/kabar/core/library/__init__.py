"""The service layer: `Library` and the source seam (see `library` and `sources`).

The faces (cli, ui) import the core through this package and the model only, so it also
names the types of what the Library takes and hands back. They are imported when first
asked for (PEP 562 `__getattr__`), not with the package: the reader's first paint and
`kabar feeds` must not pay for discovery, the refresh engine or the sync client.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from kabar.core.library.library import Library
from kabar.core.library.outcomes import ExportItem, Refreshed, SyncStanding

if TYPE_CHECKING:
    from kabar.core.article.entryarticle import iso_date
    from kabar.core.article.picturedata import (
        BrokenImage,
        Fit,
        Picture,
        PictureSource,
        decode_picture,
    )
    from kabar.core.config.profile import Profile, load_profile
    from kabar.core.feeds.discovery import FeedCandidate
    from kabar.core.feeds.opml import SkippedOutline
    from kabar.core.feeds.refresh import FeedResult, Outcome, RefreshSummary
    from kabar.core.library.headlines import Headlines
    from kabar.core.library.saving import SaveResult
    from kabar.core.library.sources import (
        GReaderSync,
        HttpFeeds,
        Source,
        SourceReport,
        sources_for,
    )
    from kabar.core.library.subscribing import Subscribed
    from kabar.core.store import FeedState, SortKey, ViewQuery
    from kabar.core.sync import SyncSummary

# name -> the module that defines it (imported on first use)
_LAZY = {
    "iso_date": "kabar.core.article.entryarticle",
    "BrokenImage": "kabar.core.article.picturedata",
    "Fit": "kabar.core.article.picturedata",
    "Picture": "kabar.core.article.picturedata",
    "PictureSource": "kabar.core.article.picturedata",
    "decode_picture": "kabar.core.article.picturedata",
    "Profile": "kabar.core.config.profile",
    "load_profile": "kabar.core.config.profile",
    "FeedCandidate": "kabar.core.feeds.discovery",
    "SkippedOutline": "kabar.core.feeds.opml",
    "FeedResult": "kabar.core.feeds.refresh",
    "Outcome": "kabar.core.feeds.refresh",
    "RefreshSummary": "kabar.core.feeds.refresh",
    "Headlines": "kabar.core.library.headlines",
    "SaveResult": "kabar.core.library.saving",
    "GReaderSync": "kabar.core.library.sources",
    "HttpFeeds": "kabar.core.library.sources",
    "Source": "kabar.core.library.sources",
    "SourceReport": "kabar.core.library.sources",
    "sources_for": "kabar.core.library.sources",
    "Subscribed": "kabar.core.library.subscribing",
    "FeedState": "kabar.core.store",
    "SortKey": "kabar.core.store",
    "ViewQuery": "kabar.core.store",
    "SyncSummary": "kabar.core.sync",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


__all__ = [
    "BrokenImage",
    "ExportItem",
    "FeedCandidate",
    "FeedResult",
    "FeedState",
    "Fit",
    "GReaderSync",
    "Headlines",
    "HttpFeeds",
    "Library",
    "Outcome",
    "Picture",
    "PictureSource",
    "Profile",
    "RefreshSummary",
    "Refreshed",
    "SaveResult",
    "SkippedOutline",
    "SortKey",
    "Source",
    "SourceReport",
    "Subscribed",
    "SyncStanding",
    "SyncSummary",
    "ViewQuery",
    "decode_picture",
    "iso_date",
    "load_profile",
    "sources_for",
]
