"""The link `y` copies: one a browser could not open just now, while the reader is still
on the entry it was offered on; else the entry's own link."""

from __future__ import annotations


class LinkOffer:
    def __init__(self) -> None:
        self.entry_id: int | None = None
        self.link = ""

    def offer(self, entry_id: int | None, link: str) -> None:
        self.entry_id, self.link = entry_id, link

    def clear(self) -> None:
        self.offer(None, "")

    def take(self, entry_id: int | None, own_link: str) -> str:
        """The link to copy for this entry (the offer is used up either way)."""
        link = self.link if self.link and self.entry_id == entry_id else own_link
        self.clear()
        return link
