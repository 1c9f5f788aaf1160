"""Bad input at the command line (issue 10): local files bounded like downloads, file
errors in one line, OPML nested without end, bytes that are not UTF-8 in arguments."""

from __future__ import annotations

import gzip
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.config.paths import Paths
from kabar.core.feeds.opml import MAX_DEPTH, read_opml
from kabar.core.feeds.pagefile import read_page_file
from kabar.core.logs import setup_logging

PAGE = (
    b"<html><head><title>Harbour</title></head><body><article>"
    + b"<p>The ferry runs every forty minutes from December, the harbour office said.</p>" * 5
    + b"</article></body></html>"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and "Logging error" not in err
    return err


def gzip_bomb(path: Path, inflated_mib: int) -> None:
    """A multi-member gzip file of zeros: about 1 KB on disk per MiB it inflates to."""
    member = gzip.compress(b"\0" * (16 << 20), 9)
    with path.open("wb") as handle:
        handle.write(gzip.compress(b"<html><body><p>", 9))
        for _ in range(inflated_mib // 16):
            handle.write(member)


def test_a_gzip_bomb_stops_at_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "page.html.gz"
    gzip_bomb(bomb, 1024)  # 1 GiB
    assert bomb.stat().st_size < 2_000_000
    code, out, err = run(capsys, "read", str(bomb))
    assert code == 2 and out == ""
    assert "decompresses to over 10 MB" in one_line(err)
    assert "network.max_feed_bytes" in err


def test_a_large_file_is_refused_reading_only_up_to_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.write(b"<html><body>")
        handle.truncate(50_000_000)  # a sparse 50 MB file
    code, _, err = run(capsys, "read", str(big))
    assert code == 2 and "too large: over 10 MB" in one_line(err)


def test_the_file_cap_follows_the_config(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    assert read_page_file(page, len(PAGE)) == PAGE
    with pytest.raises(Exception, match="too large"):
        read_page_file(page, len(PAGE) - 1)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(PAGE))
    assert read_page_file(packed, len(PAGE)) == PAGE
    with pytest.raises(Exception, match="decompresses to over"):
        read_page_file(packed, len(PAGE) - 1)


def test_a_gzip_page_still_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(PAGE))
    code, out, _ = run(capsys, "read", str(packed), "--format", "markdown")
    assert code == 0 and "ferry runs every forty minutes" in out


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.mkdir(), p)[1], "is a folder, not an HTML file"),
        (lambda p: (p.write_text("root:x:0:0:root:/root:/bin/sh\n"), p)[1], "plain text"),
        (lambda p: (p.write_bytes(b"%PDF-1.4\n%\xe2\xe3"), p)[1], "a PDF document"),
        (lambda p: (p.write_bytes(b""), p)[1], "an empty file"),
        (lambda p: (p.write_bytes(b"<html><body><nav>x</nav></body></html>"), p)[1], "no article"),
        (lambda p: (p.write_bytes(b"not gzip"), p.rename(p.with_suffix(".gz")))[1], "gzip"),
    ],
    ids=["missing", "folder", "text", "pdf", "empty", "no-article", "bad-gzip"],
)
def test_every_file_error_is_one_line_saying_what(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, expected: str
) -> None:
    path = make(tmp_path / "thing")  # type: ignore[operator]
    code, _, err = run(capsys, "read", str(path))
    assert code == 2 and expected in one_line(err) and "thing" in err
    assert "the document" not in err and "the page" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_says_permission_denied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    page.chmod(0)
    code, _, err = run(capsys, "read", str(page))
    assert code == 2 and "permission denied" in one_line(err)


# non-UTF-8 bytes in arguments


def test_a_file_name_that_is_not_utf8_reads_or_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/x\xff.html")
    code, _, err = run(capsys, "read", name)
    assert code == 2 and "no such file" in one_line(err) and "x\\xff.html" in err
    Path(name).write_bytes(PAGE)
    code, out, err = run(capsys, "read", name, "--format", "markdown")
    assert code == 0 and "ferry" in out and err == ""


@pytest.mark.parametrize(
    "args",
    [
        ["add", "http://h/\udcff"],
        ["add", "--no-fetch", "http://h/\udcff"],
        ["read", "http://h/\udcff"],
        ["save", "http://h/\udcff"],
        ["refresh", "http://h/\udcff"],
        ["add", "--folder", "f\udcff", "--no-fetch", "http://h/"],
        ["search", "\udcff"],
    ],
)
def test_a_url_or_name_that_is_not_utf8_gets_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and "not UTF-8" in one_line(err) and "\\xff" in err


def test_real_argv_bytes_through_the_real_command(tmp_path: Path) -> None:
    env = {**os.environ, "KABAR_HOME": str(tmp_path / "home"), "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "kabar", "add", b"http://h/\xff"],
        capture_output=True,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr == b"kabar: the URL http://h/\\xff has bytes that are not UTF-8 text\n"
    log = (tmp_path / "home" / "cache" / "kabar.log").read_text()
    assert "http://h/\\xff" in log


def test_the_log_takes_a_message_with_a_non_utf8_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = setup_logging(Paths.under(tmp_path / "home"))
    logger = logging.getLogger("kabar")
    logger.warning("cannot read %s", "x\udcff.html")
    for handler in [h for h in logger.handlers if getattr(h, "baseFilename", "") == str(path)]:
        handler.close()
        logger.removeHandler(handler)
    assert "Logging error" not in capsys.readouterr().err
    assert "x\\udcff.html" in path.read_text()


# OPML


def nested_opml(depth: int) -> bytes:
    inner = '<outline text="deep" xmlUrl="https://deep.example/feed"/>'
    opened = "".join(f'<outline text="f{n}">' for n in range(depth))
    return (
        '<opml version="2.0"><body>'
        '<outline text="top" xmlUrl="https://top.example/feed"/>'
        f"{opened}{inner}{'</outline>' * depth}</body></opml>"
    ).encode()


def test_opml_nested_5000_levels_imports_what_it_can_and_says_why_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.opml"
    path.write_bytes(nested_opml(5000))
    code, out, err = run(capsys, "import", str(path))
    assert code == 0
    assert "Imported 1 new feed " in out
    assert f"nested deeper than {MAX_DEPTH} levels" in err
    code, out, _ = run(capsys, "feeds", "--json")
    assert "https://top.example/feed" in out and "deep.example" not in out


def test_opml_within_the_depth_limit_keeps_its_folders() -> None:
    result = read_opml(nested_opml(MAX_DEPTH))
    assert [f.url for f in result.feeds] == [
        "https://top.example/feed",
        "https://deep.example/feed",
    ]
    assert result.feeds[1].folder.count("/") == MAX_DEPTH - 1
    assert result.skipped == []


def test_import_reads_an_opml_file_bounded_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kabar-home" / "config").mkdir(parents=True)
    (tmp_path / "kabar-home" / "config" / "config.toml").write_text(
        "[network]\nmax_feed_bytes = 1000\n"
    )
    big = tmp_path / "big.opml"
    big.write_bytes(nested_opml(2) + b" " * 1000)
    code, _, err = run(capsys, "import", str(big))
    assert code == 2 and "too large: over 1,000 bytes" in one_line(err)
    code, _, err = run(capsys, "import", str(tmp_path))
    assert code == 2 and "is a folder, not an OPML file" in one_line(err)


def test_import_reports_skipped_outlines_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.opml"
    path.write_text(
        '<opml version="2.0"><body>'
        '<outline text="Good" xmlUrl="https://good.example/feed"/>'
        '<outline text="Again" xmlUrl="https://good.example/feed"/>'
        '<outline text="Script" xmlUrl="javascript:alert(1)"/>'
        '<outline text="Local" xmlUrl="file:///etc/passwd"/>'
        '<outline text="Dashes" xmlUrl="-x"/>'
        '<outline text="Bell" xmlUrl="http://h/a&#9;b"/>'
        '<outline text="Port" xmlUrl="http://h:99999/"/>'
        '<outline text="Hostless" xmlUrl="http:///feed"/>'
        '<outline text="A page" type="link" url="https://page.example/"/>'
        '<outline text="Empty folder"/>'
        "</body></opml>"
    )
    code, out, err = run(capsys, "import", str(path))
    assert code == 0 and "Imported 1 new feed " in out
    lines = err.splitlines()
    assert lines[0] == "Skipped 8 outlines:"
    reasons = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert reasons == {  # the reasons of core.urls.feed_url, the check every URL passes
        "Again": "listed twice",
        "Script": "only http and https feeds are supported, not javascript: javascript:alert(1)",
        "Local": "only http and https feeds are supported, not file: file:///etc/passwd",
        "Dashes": "not a web address (it needs http:// or https://): -x",
        "Bell": "URL contains spaces, control characters or invalid bytes: http://h/a\\x09b",
        "Port": "invalid port in URL (it must be 1 to 65535): http://h:99999/",
        "Hostless": "URL has no host: http:///feed",
        "A page": "no feed URL (xmlUrl)",
    }
