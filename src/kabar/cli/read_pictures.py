"""`kabar read` on a terminal: the article's pictures, drawn as the reader draws them.

Only on a terminal and with the default format: a pipe, a file or `--format text` keep the
`▣ Image N` markers, which read well as plain text. The pictures come from the image cache
or the network (with the fetcher's limits), are decoded and scaled to the text's width,
and any that cannot be drawn keep their marker with a short note.
"""

from __future__ import annotations

from rich.console import Console, RenderableType

from kabar.core.article.document import Article
from kabar.core.library import BrokenImage, PictureSource, decode_picture
from kabar.core.textsafety import safe_link
from kabar.render.pictures import detect, picture_renderable

MIN_ROWS = 6


def terminal_pictures(
    article: Article, source: PictureSource, console: Console
) -> tuple[dict[int, RenderableType], dict[int, str]]:
    """The drawn pictures and the notes for those that could not be, by figure number."""
    figures: dict[str, list[int]] = {}
    for number, figure in enumerate(article.figures(), 1):
        if url := safe_link(figure.src):
            figures.setdefault(url, []).append(number)
    pictures: dict[int, RenderableType] = {}
    notes: dict[int, str] = {}
    if not figures:
        return pictures, notes
    terminal = detect()
    fit = terminal.fit(console.width, max(MIN_ROWS, console.height - 2))

    def take(url: str, result: bytes | BrokenImage) -> None:
        for number in figures[url]:
            if isinstance(result, BrokenImage):
                notes[number] = str(result)
                continue
            try:
                picture = decode_picture(result, fit)
            except BrokenImage as exc:
                notes[number] = str(exc)
            else:
                pictures[number] = picture_renderable(picture, terminal.protocol)

    missing = []
    saved = source.saved_files(None, figures)
    for url in figures:
        data = source.stored(url, saved.get(url))
        if data is None:
            missing.append(url)
        else:
            take(url, data)
    source.fetch(missing, take)
    return pictures, notes
