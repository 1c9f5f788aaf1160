"""Pictures for reading: the image cache, safe decoding of broken images, the image source."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kabar.core.article.picturedata import BrokenImage, Fit, PictureSource, decode_picture
from kabar.core.config.profile import Profile
from kabar.core.config.settings import Config
from kabar.core.library.imagecache import ImageCache
from kabar.core.store import Store
from tests.loopback import LoopbackServer, Reply

FIT = Fit(columns=40, rows=30)


def png(width: int = 64, height: int = 40, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width: int = 640, height: int = 480) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (32, 20), index) for index in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A PNG header declaring a huge size, with a tiny (invalid) body: a bomb's signature."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))


# -- the cache ---------------------------------------------------------------------------------
def test_cache_keeps_a_picture_by_address(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images", max_bytes=10_000)
    data = png()
    cache.put("http://a.test/1.png", data)
    assert cache.get("http://a.test/1.png") == data
    assert cache.get("http://a.test/other.png") is None


def test_cache_stores_identical_pictures_once(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images", max_bytes=100_000)
    data = png()
    first = cache.put("http://a.test/logo.png", data)
    second = cache.put("http://b.test/same-logo.png", data)
    assert first == second
    assert cache.total_bytes() == len(data)
    assert cache.get("http://b.test/same-logo.png") == data


def test_cache_stays_under_its_cap_evicting_the_least_recently_used(tmp_path: Path) -> None:
    pictures = [png(64 + i, 40, (i * 20, 0, 0)) for i in range(4)]
    urls = [f"http://a.test/{i}.png" for i in range(4)]
    size = max(len(p) for p in pictures)
    cache = ImageCache(tmp_path / "images", max_bytes=size * 3)
    blobs = []
    for stamp, (url, data) in enumerate(zip(urls[:3], pictures[:3], strict=True)):
        digest = cache.put(url, data)
        blob = tmp_path / "images" / "blobs" / digest[:2] / digest
        os.utime(blob, (1000 + stamp, 1000 + stamp))  # used in order: 0 oldest, then 1, 2
        blobs.append(blob)
    assert cache.get(urls[0]) is not None  # reading 0 makes it the most recently used
    cache.put(urls[3], pictures[3])
    assert cache.total_bytes() <= size * 3
    assert blobs[0].exists() and blobs[2].exists()
    assert not blobs[1].exists()  # the least recently used went
    assert cache.get(urls[1]) is None  # evicted: a miss, not an error
    assert cache.get(urls[3]) == pictures[3]


def test_cache_refuses_a_picture_larger_than_the_cap(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images", max_bytes=100)
    cache.put("http://a.test/big.png", png())
    assert cache.get("http://a.test/big.png") is None
    assert cache.total_bytes() == 0


def test_cache_forgets_a_damaged_file(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images", max_bytes=100_000)
    digest = cache.put("http://a.test/1.png", png())
    blob = tmp_path / "images" / "blobs" / digest[:2] / digest
    blob.write_bytes(b"garbage")
    assert cache.get("http://a.test/1.png") is None
    assert not blob.exists()


# -- decoding ----------------------------------------------------------------------------------
def test_a_picture_is_scaled_to_the_measure_keeping_its_aspect() -> None:
    picture = decode_picture(png(640, 320), FIT)
    assert picture.columns == 40
    # 40 cells of 10 px = 400 px wide, so 200 px tall = 10 cells of 20 px
    assert picture.rows == 10
    assert picture.image.size == (40, 20)  # half-blocks: two pixel rows per cell
    assert picture.image.mode == "RGB"


def test_a_tall_picture_is_kept_within_the_rows() -> None:
    picture = decode_picture(png(100, 1000), Fit(columns=40, rows=12))
    assert picture.rows == 12
    assert picture.columns < 40


def test_graphics_protocols_get_pixels_not_half_blocks() -> None:
    fit = Fit(columns=40, rows=30, cell_width=8, cell_height=16, half_blocks=False)
    picture = decode_picture(jpeg(), fit)
    assert picture.image.size == (picture.columns * 8, picture.rows * 16)


def test_an_animated_gif_shows_its_first_frame() -> None:
    picture = decode_picture(animated_gif(), FIT)
    assert picture.columns == 40 and picture.image.mode == "RGB"


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"", "empty image"),
        (b"<html><body>Not found</body></html>", "not an image"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        (jpeg()[: len(jpeg()) // 2], "truncated"),
        (png()[:60], "image"),
        (huge_png(100_000, 100_000), "too large"),
        (huge_png(0, 10), "image"),
    ],
    ids=["empty", "wrong-type", "svg", "truncated-jpeg", "truncated-png", "huge", "no-size"],
)
def test_a_broken_image_gives_a_short_note_not_a_traceback(data: bytes, note: str) -> None:
    with pytest.raises(BrokenImage) as caught:
        decode_picture(data, FIT)
    message = str(caught.value)
    assert note in message
    assert "\n" not in message and len(message) < 60


# -- the source: stored first, then the network with the fetcher's limits -----------------------
def test_source_fetches_into_the_cache_and_checks_the_type(
    tmp_path: Path, server: LoopbackServer
) -> None:
    data = png()
    server.route("/ok.png", Reply(body=data, headers={"Content-Type": "image/png"}))
    server.route("/page", Reply(body=b"<html>oops</html>", headers={"Content-Type": "text/html"}))
    server.route("/empty", Reply(body=b"", headers={"Content-Type": "image/png"}))
    server.route("/big", Reply(body=b"x" * 5000, headers={"Content-Type": "image/png"}))
    config = Config()
    config.network.max_image_bytes = 4000
    cache = ImageCache(tmp_path / "images")
    source = PictureSource(None, cache, config)
    results: dict[str, bytes | BrokenImage] = {}
    urls = [server.url(p) for p in ("/ok.png", "/page", "/empty", "/big", "/missing")]
    source.fetch(urls, lambda url, result: results.__setitem__(url, result))
    assert results[urls[0]] == data
    assert source.stored(urls[0]) == data  # kept: the next opening needs no network
    notes = {url: str(results[url]) for url in urls[1:]}
    assert "not an image (text/html)" in notes[urls[1]]
    assert "empty" in notes[urls[2]]
    assert "size limit" in notes[urls[3]]
    assert "HTTP 404" in notes[urls[4]]


def test_source_offline_says_not_downloaded(tmp_path: Path) -> None:
    source = PictureSource(None, ImageCache(tmp_path / "images"), Config())
    results: dict[str, bytes | BrokenImage] = {}
    source.fetch(["http://127.0.0.1:9/x.png"], lambda u, r: results.__setitem__(u, r))
    assert str(results["http://127.0.0.1:9/x.png"]) == "image not downloaded"


# -- `kabar read`: pictures on a terminal, markers in a pipe or with --format text -------------
def _page(tmp_path: Path, server: LoopbackServer) -> Path:
    server.route("/p.png", Reply(body=png(320, 160), headers={"Content-Type": "image/png"}))
    page = tmp_path / "page.html"
    paragraph = "<p>" + "A long enough paragraph of article text for the extractor. " * 8 + "</p>"
    page.write_text(
        f"<html><head><title>Pictures</title></head><body><article><h1>Pictures</h1>"
        f"{paragraph}<figure><img src='{server.url('/p.png')}' alt='A red block'>"
        f"<figcaption>A red block, as a test picture.</figcaption></figure>{paragraph}"
        "</article></body></html>",
        encoding="utf-8",
    )
    return page


@pytest.mark.usefixtures("kabar_home")
@pytest.mark.parametrize(
    ("terminal", "extra", "drawn"),
    [(True, [], True), (True, ["--format", "text"], False), (False, [], False)],
    ids=["terminal", "format-text", "pipe"],
)
def test_kabar_read_draws_pictures_only_on_a_terminal(
    tmp_path: Path,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    terminal: bool,
    extra: list[str],
    drawn: bool,
) -> None:
    from kabar.cli.main import main

    monkeypatch.setenv("KABAR_IMAGE_PROTOCOL", "halfcell")
    monkeypatch.delenv("NO_COLOR", raising=False)
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    page = _page(tmp_path, server)
    assert main(["read", str(page), "--width", "60", *extra]) == 0
    out = capsys.readouterr().out
    assert "A red block, as a test picture." in out
    assert ("▀" in out) is drawn
    assert ("▣ Image 1" in out) is not drawn
    assert bool(server.hits("/p.png")) is drawn


def test_saving_takes_pictures_the_reader_already_fetched(
    profile: Profile, store: Store, server: LoopbackServer
) -> None:
    from kabar.core.article.document import Article, Figure
    from kabar.core.library import Library
    from tests.ui.data import seed

    seeded = seed(store)
    data = png()
    src = server.url("/photo.png")
    server.route("/photo.png", Reply(body=data, headers={"Content-Type": "image/png"}))
    article = Article(title="A", blocks=[Figure(src=src)])
    ImageCache.in_cache_dir(profile.paths.cache_dir).put(src, data)
    store.store_article(seeded.captioned, src, article.dumps())  # its full text, fetched
    with Library(profile.paths, profile.config) as library:
        result = library.save(seeded.captioned)
    assert result.images == 1 and result.warnings == []
    assert server.hits("/photo.png") == []  # taken from the cache, not fetched again
    assert store.article_images(seeded.captioned)[src].read_bytes() == data


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\0\0\0\0WEBP"]),
    body=st.binary(max_size=400),
)
def test_any_damaged_file_gives_a_note_never_a_traceback(prefix: bytes, body: bytes) -> None:
    try:
        picture = decode_picture(prefix + body, FIT)
    except BrokenImage as exc:
        assert str(exc)
    else:
        assert picture.image.mode == "RGB"


class _Tty:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("environ", "asked"),
    [
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"}, True),
        ({"TERM": "foot"}, True),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, True),
        ({"TERM": "xterm-256color", "XTERM_VERSION": "XTerm(390)"}, True),
        ({"TERM": "xterm-256color"}, False),  # unknown: half-blocks, no wait at start
        ({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux"}, False),
        ({"TERM": "linux"}, False),
    ],
)
def test_only_terminals_known_to_draw_pictures_are_asked(
    environ: dict[str, str], asked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking a silent terminal costs up to 0.2 s of start-up: it is done only where the
    environment names a terminal with the Kitty protocol or Sixel."""
    from kabar.render import pictures

    monkeypatch.setattr("sys.__stdout__", _Tty())
    assert pictures._may_have_graphics(environ) is asked
