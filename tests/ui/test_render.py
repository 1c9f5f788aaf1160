"""The article renderer: long unbroken words and CJK fold at the measure, nothing is cut,
captions and links keep their own styles, and feed text is never read as markup."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from kabar.core.article.document import Article, Code, Figure, Heading, Paragraph, Span
from kabar.render.article import RenderOptions, article_links, render_article
from tests.ui.data import captioned_article


def plain(article: Article, width: int) -> list[str]:
    buffer = io.StringIO()
    console = Console(width=width, file=buffer, color_system=None)
    console.print(render_article(article, RenderOptions(feed_title="Feed")))
    return buffer.getvalue().splitlines()


def test_long_words_and_cjk_fold_within_the_width() -> None:
    word = "x" * 130
    article = Article(
        title="T" * 70,
        blocks=[
            Heading(2, [Span("H" * 90)]),
            Paragraph([Span(word)]),
            Paragraph([Span("東京都の天気は晴れです。" * 8)]),
            Code("print('" + "y" * 100 + "')"),
            Figure(caption=[Span("c" * 80)], credit="Photo: " + "p" * 60),
            Paragraph([Span("see", link="https://example.org/" + "z" * 90)]),
        ],
    )
    lines = plain(article, 40)
    assert all(cell_len(line) <= 40 for line in lines)
    text = "".join(line.strip() for line in lines)
    for whole in (word, "T" * 70, "H" * 90, "y" * 100, "c" * 80, "z" * 90):
        assert whole in text  # folded across lines, never cut with an ellipsis
    assert "…" not in text
    assert "東京都の天気は晴れです。" * 2 in text


def test_captions_links_and_markup() -> None:
    article = captioned_article()
    article.blocks.append(Paragraph([Span("[bold red]not markup[/]")]))
    lines = plain(article, 80)
    text = "\n".join(lines)
    assert "▣ Image 1" in text and "The morning ferry leaves the north pier in the fog." in text
    assert "▣ Image 2  A map of the two routes" in text
    assert "the operator's site[1]" in text and "[2] https://harbour.example.org/office" in text
    assert "[bold red]not markup[/]" in text
    assert article_links(article) == [
        "https://ferries.example.org/winter",
        "https://harbour.example.org/office",
    ]
    console = Console(width=80, file=io.StringIO())
    segments = list(console.render(render_article(article)))
    caption = next(seg for seg in segments if "north pier" in seg.text)
    body = next(seg for seg in segments if "From December" in seg.text)
    assert caption.style is not None and caption.style.italic  # visibly a caption
    assert body.style is None or not body.style.italic
    link = next(seg for seg in segments if seg.text == "harbour office")
    assert link.style is not None and link.style.link == "https://harbour.example.org/office"


def test_meta_line_breaks_between_items() -> None:
    article = Article(
        title="T",
        author="Mara Quill",
        published="2025-03-01T10:00:00Z",
        blocks=[Paragraph([Span("One short paragraph.")])],
    )
    for width in range(30, 80):
        lines = plain(article, width)
        end = next(i for i, line in enumerate(lines) if i and not line.strip())
        meta = [line.rstrip() for line in lines[1:end]]
        assert not any(line.startswith("·") for line in meta), (width, meta)
        items = " · ".join(meta).split(" · ")
        assert items[-1] == "1 min read", (width, meta)
        assert "Mara Quill" in items and "Feed" in items


def test_links_list_folds_urls_under_their_number() -> None:
    url = "https://example.org/" + "/".join(f"part{n}" for n in range(30)) + "?q=1"
    article = Article(title="T", blocks=[Paragraph([Span("see "), Span("here", link=url)])])
    lines = plain(article, 50)
    start = next(i for i, line in enumerate(lines) if line.startswith("[1]"))
    assert lines[start].startswith("[1] https://example.org/")  # on the number's line
    folded = [line.rstrip() for line in lines[start:] if line.strip()]
    assert all(cell_len(line) <= 50 for line in folded)
    assert all(line.startswith("    ") for line in folded[1:])  # under the URL, not the number
    assert (
        "".join(line.strip()[3 if n == 0 else 0 :] for n, line in enumerate(folded)).strip() == url
    )
