"""The pictures of the article in the pane: found, fetched and decoded off the UI thread.

The article's text is laid out first, with a marker line per figure. A thread worker then
takes each image from what Kabar keeps (a saved article's files, the image cache) or, when
allowed, from the network, decodes and scales it to the pane's measure (and, for
half-blocks, makes its lines), and hands the result to the UI thread, which swaps the
marker line for the picture's lines, or for blank rows under a `PictureView` (Kitty
graphics, Sixel). Only scaled pictures are kept, so a long photo essay does not grow the
reader's memory much (40 large photos: about 55 MB more, see the README).

`general.images`: "on" fetches what is not stored; "auto" does so only when the terminal
draws more than half-blocks, and otherwise shows the stored pictures and a marker for the
rest; "off" keeps the markers. The toggle key hides them, and shows them again (fetching
the missing ones, since the reader asked).
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING

from textual.strip import Strip
from textual.worker import get_current_worker

from kabar.core.article.document import Article
from kabar.core.library import BrokenImage, Fit, Picture, PictureSource, decode_picture
from kabar.core.textsafety import safe_link
from kabar.render.article import figure_marker
from kabar.render.pictures import Terminal, detect
from kabar.ui.widgets.picture import PictureView, discard, half_block_lines

if TYPE_CHECKING:
    from kabar.ui.widgets.article_view import ArticleView

MIN_ROWS = 6  # a picture is never squeezed below this many rows to fit a short pane
START_DELAY = 0.05  # seconds: the article's text is painted before any picture is decoded


class ArticlePictures:
    """Per-figure state for the article pane: slots in its lines, pictures, notes."""

    def __init__(self, view: ArticleView) -> None:
        self.view = view
        self.placed: dict[int, PictureView] = {}
        self._slots: dict[int, tuple[int, int]] = {}  # figure number -> (first line, lines)
        self._ready: dict[int, Picture] = {}
        self._lines: dict[int, list[Strip]] = {}  # half-block pictures, drawn as lines
        self._notes: dict[int, str] = {}
        self._generation = 0
        self._article: Article | None = None
        self._entry_id: int | None = None
        self._columns = 0
        self._shown: bool | None = None  # None: as the config says
        self._asked = False  # the reader pressed the toggle: fetch what is missing
        self._graphics = False  # drawn with widgets (Kitty, Sixel), not as half-block lines
        self._pending: tuple[int, partial[None]] | None = None

    # -- settings ------------------------------------------------------------------------
    def _mode(self) -> str:
        profile = getattr(self.view.app, "profile", None)
        return str(profile.config.general.images) if profile is not None else "off"

    @property
    def shown(self) -> bool:
        return self._shown if self._shown is not None else self._mode() != "off"

    def _source(self) -> tuple[PictureSource, Terminal, bool] | None:
        library = getattr(self.view.app, "library", None)
        if library is None or not self.shown:
            return None
        terminal = detect()
        download = self._asked or library.config.general.images == "on" or terminal.graphics
        return library.picture_source(), terminal, download

    # -- the pane asks ---------------------------------------------------------------------
    @property
    def drawn(self) -> list[int]:
        """The figures whose picture is on screen, in order (as lines or as widgets)."""
        return sorted(self._ready) if self.shown else []

    def slot(self, number: int) -> tuple[int, int] | None:
        """Where a figure's picture (or marker) is in the pane's lines: (first, count)."""
        return self._slots.get(number)

    def lines_for(self, number: int) -> list[Strip] | None:
        """A ready picture's lines: its half-blocks, or blank rows under its widget."""
        picture = self._ready.get(number)
        if picture is None or not self.shown:
            return None
        return self._lines.get(number) or [Strip.blank(0)] * picture.rows

    def note_for(self, number: int) -> str:
        return self._notes.get(number, "") if self.shown else ""

    def forget_slots(self) -> None:
        self._slots.clear()

    def slot_rendered(self, number: int, start: int, lines: int) -> None:
        self._slots[number] = (start, lines)
        if self.shown and number in self._ready and number not in self._lines:
            self._place(number, start)

    def width_changed(self) -> None:
        """Pictures are scaled to the measure: a new width means scaling them again."""
        if self._article is not None and self.view.text_width != self._columns:
            self.load(self._article, self._entry_id)
            self.view.redraw()

    def toggle(self) -> None:
        self._shown = not self.shown
        self._asked = self._shown
        self.view.notify("Pictures shown." if self._shown else "Pictures hidden.", timeout=2)
        self.load(self._article, self._entry_id)
        self.view.redraw()

    # -- loading ---------------------------------------------------------------------------
    def load(self, article: Article | None, entry_id: int | None) -> None:
        """Forget the previous article's pictures and start on this one's."""
        self._generation += 1
        self._pending = None
        if self.placed:
            self.view.remove_children(list(self.placed.values()))
        self.placed.clear()
        if self._lines:
            discard((self._ready, self._lines))
            self._ready, self._lines = {}, {}
        self._ready.clear()
        self._notes.clear()
        self._article, self._entry_id = article, entry_id
        self._columns = self.view.text_width
        settings = self._source() if article is not None else None
        if article is None or settings is None or self._columns <= 0:
            return
        figures = [
            (number, url)
            for number, figure in enumerate(article.figures(), 1)
            if (url := safe_link(figure.src))
        ]
        if not figures:
            return
        source, terminal, download = settings
        self._graphics = terminal.graphics
        rows = max(MIN_ROWS, self.view.size.height - 2)
        fit = terminal.fit(self._columns, rows)
        work = partial(self._work, self._generation, entry_id, figures, source, fit, download)
        # After the text is on screen: the pictures must not delay its first frame. The pane
        # calls `painted` when it draws its lines; the worker starts a moment after that.
        self._pending = (self._generation, work)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def painted(self) -> None:
        """The pane is drawing its lines: start the pending loader just after this frame."""
        if self._pending is not None:
            generation, work = self._pending
            self._pending = None
            self.view.set_timer(START_DELAY, lambda: self._start_worker(generation, work))

    def _start_worker(self, generation: int, work: partial[None]) -> None:
        if generation == self._generation:
            self.view.run_worker(
                work, thread=True, group="pictures", exclusive=True, exit_on_error=False
            )

    def _work(
        self,
        generation: int,
        entry_id: int | None,
        figures: list[tuple[int, str]],
        source: PictureSource,
        fit: Fit,
        download: bool,
    ) -> None:
        """In a thread: stored pictures first, in order, then the downloads as they come."""
        worker = get_current_worker()
        missing: dict[str, list[int]] = {}
        try:
            saved = source.saved_files(entry_id, [url for _, url in figures])
        finally:
            source.thread_done()  # this thread's connection: the reads are done
        for number, url in figures:
            if worker.is_cancelled:
                return
            data = source.stored(url, saved.get(url))
            if data is None:
                missing.setdefault(url, []).append(number)
            else:
                self._deliver(generation, [number], _decode(data, fit))
        if not missing:
            return
        if not download:
            return  # "auto" on half-blocks: the markers stay as they are, by choice

        def arrived(url: str, result: bytes | BrokenImage) -> None:
            if not worker.is_cancelled:
                outcome = result if isinstance(result, BrokenImage) else _decode(result, fit)
                self._deliver(generation, missing[url], outcome)

        source.fetch(missing, arrived)

    def _deliver(self, generation: int, numbers: list[int], outcome: Picture | BrokenImage) -> None:
        lines = None
        if isinstance(outcome, Picture) and not self._graphics:
            lines = half_block_lines(outcome)  # here, in the worker: not on the UI thread
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.view.app.call_from_thread(self._arrived, generation, numbers, outcome, lines)

    def _arrived(
        self,
        generation: int,
        numbers: list[int],
        outcome: Picture | BrokenImage,
        drawn: list[Strip] | None,
    ) -> None:
        if generation != self._generation or self._article is None:
            return  # another article, width or setting since
        figures = self._article.figures()
        for number in numbers:
            if isinstance(outcome, BrokenImage):
                self._notes[number] = str(outcome)
            else:
                self._ready[number] = outcome
                if drawn is not None:
                    self._lines[number] = drawn
            slot = self._slots.get(number)
            if slot is None:
                continue  # not laid out yet: it will be drawn ready when it is
            start, old = slot
            if isinstance(outcome, BrokenImage):
                marker = figure_marker(figures[number - 1], number, str(outcome))
                lines = self.view.render_strips(marker)
            else:
                lines = self.lines_for(number) or []
            self._shift(start, len(lines) - old)
            self._slots[number] = (start, len(lines))
            self.view.splice(start, old, lines)
            if not isinstance(outcome, BrokenImage) and drawn is None:
                self._place(number, start)

    def _shift(self, start: int, delta: int) -> None:
        """Slots (and pictures) below a slot that grew or shrank move with it."""
        if not delta:
            return
        for number, (first, lines) in list(self._slots.items()):
            if first > start:
                self._slots[number] = (first + delta, lines)
                if number in self.placed:
                    self.placed[number].styles.offset = (0, first + delta)

    def _place(self, number: int, start: int) -> None:
        widget = self.placed.get(number)
        if widget is None:
            widget = PictureView(number, self._ready[number], detect())
            self.placed[number] = widget
            widget.styles.offset = (0, start)
            self.view.mount(widget)
        else:
            widget.styles.offset = (0, start)


def _decode(data: bytes, fit: Fit) -> Picture | BrokenImage:
    try:
        return decode_picture(data, fit)
    except BrokenImage as exc:
        return exc
