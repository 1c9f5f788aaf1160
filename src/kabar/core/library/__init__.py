"""The service layer: `Library` and the source seam (see `library` and `sources`)."""

from kabar.core.library.library import Library
from kabar.core.library.outcomes import ExportItem, Refreshed, SyncStanding
from kabar.core.library.sources import GReaderSync, HttpFeeds, Source, SourceReport, sources_for
from kabar.core.library.subscribing import Subscribed

__all__ = [
    "ExportItem",
    "GReaderSync",
    "HttpFeeds",
    "Library",
    "Refreshed",
    "Source",
    "SourceReport",
    "Subscribed",
    "SyncStanding",
    "sources_for",
]
