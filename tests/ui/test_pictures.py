"""Pictures in the article pane: one per figure, above its caption, in order; off, toggled,
offline; and a marker that always says something (issue 14)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot

from kabar.core.article.document import Article, Figure, Paragraph, Span
from kabar.core.config.profile import Profile
from kabar.core.store import Store
from kabar.ui.app import KabarApp
from kabar.ui.widgets.article_pictures import START_DELAY
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.picture import PictureView
from tests.loopback import LoopbackServer, Reply
from tests.ui.conftest import main_screen, seeded_app
from tests.ui.data import Seeded

CAPTIONS = ["The first picture's caption.", "The second picture's caption."]


@pytest.fixture(autouse=True)
def half_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABAR_IMAGE_PROTOCOL", "halfcell")


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def pictures_article(base: str) -> Article:
    return Article(
        title="Pictures of the harbour",
        blocks=[
            Paragraph([Span("The text comes first, the pictures fill in.")]),
            Figure(src=f"{base}/one.png", caption=[Span(CAPTIONS[0])], credit="Photo: A"),
            Paragraph([Span("Between the pictures.")]),
            Figure(src=f"{base}/two.png", caption=[Span(CAPTIONS[1])]),
            Figure(src=f"{base}/three.png", alt="A grey quay at low tide"),
            Paragraph([Span("The end.")]),
        ],
    )


def serve_pictures(server: LoopbackServer) -> None:
    for name, colour in (("one", (200, 30, 30)), ("two", (30, 200, 30)), ("three", (30, 30, 200))):
        body = png(320, 160, colour)
        server.route(f"/{name}.png", Reply(body=body, headers={"Content-Type": "image/png"}))


def store_article(store: Store, seeded: Seeded, article: Article) -> int:
    store.store_article(seeded.captioned, article.url or "http://127.0.0.1:9/a", article.dumps())
    return seeded.captioned


def app_with(profile: Profile, mode: str) -> KabarApp:
    profile.config.general.images = mode
    return seeded_app(profile)


async def open_entry(pilot: Pilot[Any], entry_id: int) -> ArticleView:
    await pilot.pause()
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    screen.headlines.move_cursor(screen.headlines.position(entry_id) or 0)
    await pilot.press("enter")
    await settle(pilot)
    return screen.article


async def settle(pilot: Pilot[Any]) -> None:
    """Wait past the pictures' start delay, then for the loader and the placing."""
    await pilot.pause(START_DELAY * 3)
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def pictures(view: ArticleView) -> list[int]:
    """The figures whose picture is drawn, in order."""
    return view.pictures.drawn


def widgets(view: ArticleView) -> list[PictureView]:
    return sorted(view.query(PictureView), key=lambda w: w.styles.offset.y.value)


def line_of(view: ArticleView, text: str) -> int:
    return next(i for i, line in enumerate(view.shown_lines()) if text in line)


async def test_a_picture_per_figure_above_its_caption_in_order(
    profile: Profile, store: Store, seeded: Seeded, server: LoopbackServer
) -> None:
    serve_pictures(server)
    entry = store_article(store, seeded, pictures_article(server.base))
    app = app_with(profile, "on")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == [1, 2, 3]
        lines = view.shown_lines()
        slots = [view.pictures.slot(n) for n in (1, 2, 3)]
        assert all(slot is not None for slot in slots)
        tops = [slot[0] for slot in slots if slot]
        for top, count in (slot for slot in slots if slot):
            drawn = lines[top : top + count]
            assert count >= 2 and all(line.strip() and set(line.strip()) <= {"▀"} for line in drawn)
            assert all(len(line.rstrip()) <= view.text_width for line in drawn)
        for index, caption in enumerate(CAPTIONS):
            top, count = slots[index] or (0, 0)
            assert top + count == line_of(view, caption)  # the caption right under it
        assert tops[0] < tops[1] < tops[2]
        assert line_of(view, "Between the pictures.") < tops[1]
        assert "▣" not in "".join(lines)
        assert widgets(view) == []  # half-blocks are the pane's own lines


async def test_graphics_protocols_lay_a_picture_widget_over_each_figure(
    profile: Profile,
    store: Store,
    seeded: Seeded,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KABAR_IMAGE_PROTOCOL", "sixel")
    monkeypatch.setattr("kabar.render.pictures._detected", None)
    serve_pictures(server)
    entry = store_article(store, seeded, pictures_article(server.base))
    app = app_with(profile, "auto")  # a graphics terminal: "auto" fetches them
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        shown = widgets(view)
        assert [p.number for p in shown] == [1, 2, 3]
        tops = [int(p.styles.offset.y.value) for p in shown]
        for index, caption in enumerate(CAPTIONS):
            assert tops[index] + shown[index].picture.rows == line_of(view, caption)
        assert tops[0] < tops[1] < tops[2]
        assert all(p.picture.columns <= view.text_width for p in shown)
        await pilot.press("home")
        await pilot.pause()
        assert shown[0].region.height == shown[0].picture.rows
        await pilot.press("i")
        await settle(pilot)
        assert widgets(view) == []
    monkeypatch.setattr("kabar.render.pictures._detected", None)


async def test_images_off_keeps_the_markers(
    profile: Profile, store: Store, seeded: Seeded, server: LoopbackServer
) -> None:
    serve_pictures(server)
    entry = store_article(store, seeded, pictures_article(server.base))
    app = app_with(profile, "off")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == []
        text = "\n".join(view.shown_lines())
        assert "▣ Image 1" in text and "▣ Image 2" in text
        assert "▣ Image 3  A grey quay at low tide" in text
        assert line_of(view, "▣ Image 1") + 1 == line_of(view, CAPTIONS[0])
        assert server.hits("/one.png") == []  # off fetches nothing


async def test_the_toggle_hides_and_shows_the_pictures(
    profile: Profile, store: Store, seeded: Seeded, server: LoopbackServer
) -> None:
    serve_pictures(server)
    entry = store_article(store, seeded, pictures_article(server.base))
    app = app_with(profile, "on")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == [1, 2, 3]
        await pilot.press("i")
        await settle(pilot)
        assert pictures(view) == []
        assert "▣ Image 2" in "\n".join(view.shown_lines())
        await pilot.press("i")
        await settle(pilot)
        assert pictures(view) == [1, 2, 3]


async def test_off_then_toggle_fetches_the_pictures(
    profile: Profile, store: Store, seeded: Seeded, server: LoopbackServer
) -> None:
    serve_pictures(server)
    entry = store_article(store, seeded, pictures_article(server.base))
    app = app_with(profile, "off")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        await pilot.press("i")
        await settle(pilot)
        assert pictures(view) == [1, 2, 3]


async def test_offline_an_unstored_picture_shows_its_marker_and_alt_text(
    profile: Profile, store: Store, seeded: Seeded
) -> None:
    entry = store_article(store, seeded, pictures_article("http://127.0.0.1:9"))
    app = app_with(profile, "on")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == []
        lines = view.shown_lines()
        start = line_of(view, "▣ Image 3")
        third = " ".join(line.strip() for line in lines[start : start + 3])
        assert "A grey quay at low tide" in third and "image not downloaded" in third
        assert line_of(view, "▣ Image 1") + 1 == line_of(view, CAPTIONS[0])


async def test_auto_on_half_blocks_shows_stored_pictures_only(
    profile: Profile, store: Store, seeded: Seeded, server: LoopbackServer
) -> None:
    from kabar.core.library.imagecache import ImageCache

    serve_pictures(server)
    article = pictures_article(server.base)
    entry = store_article(store, seeded, article)
    cache = ImageCache.in_cache_dir(profile.paths.cache_dir)
    cache.put(article.figures()[1].src, png(100, 100, (250, 250, 0)))
    app = app_with(profile, "auto")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == [2]
        assert server.requests == []  # half-blocks and "auto": nothing downloaded
        assert "▣ Image 1" in "\n".join(view.shown_lines())


async def test_a_broken_picture_shows_its_marker_and_a_short_note(
    profile: Profile, store: Store, seeded: Seeded, server: LoopbackServer
) -> None:
    serve_pictures(server)
    server.route("/two.png", Reply(body=b"<html>", headers={"Content-Type": "image/png"}))
    entry = store_article(store, seeded, pictures_article(server.base))
    app = app_with(profile, "on")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == [1, 3]
        line = view.shown_lines()[line_of(view, "▣ Image 2")]
        assert "(not an image)" in line


async def test_a_saved_articles_image_file_is_drawn_with_no_network(
    profile: Profile, store: Store, seeded: Seeded
) -> None:
    import hashlib

    article = pictures_article("http://127.0.0.1:9")  # nothing listens there
    entry = store_article(store, seeded, article)
    data = png(200, 100, (0, 90, 160))
    digest = hashlib.sha256(data).hexdigest()
    relpath = f"{digest[:2]}/{digest}.png"
    (store.images_dir / relpath).parent.mkdir(parents=True, exist_ok=True)
    (store.images_dir / relpath).write_bytes(data)
    store.add_image(entry, article.figures()[0].src, digest, relpath, "image/png", len(data))
    app = app_with(profile, "auto")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await open_entry(pilot, entry)
        assert pictures(view) == [1]
        assert "▣ Image 2" in "\n".join(view.shown_lines())


def test_a_marker_never_stands_alone() -> None:
    """Issue 14: offline, feed text showed a bare "▣ Image 1" with nothing under it."""
    from rich.console import Console

    from kabar.render.article import render_article

    article = Article(
        title="T",
        blocks=[
            Figure(src="https://example.org/a.png"),
            Figure(src="https://example.org/b.png", alt="Boats at the quay"),
            Figure(src="https://example.org/c.png", caption=[Span("A caption.")]),
        ],
    )
    buffer = io.StringIO()
    Console(width=80, file=buffer, color_system=None).print(render_article(article))
    text = buffer.getvalue()
    assert "▣ Image 1  (image not downloaded)" in text
    assert "▣ Image 2  Boats at the quay" in text
    assert "▣ Image 3\n  A caption." in text
