"""The command line, run in-process through `main()` on a temporary KABAR_HOME."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from kabar import __version__
from kabar.cli.main import build_parser, main
from tests.conftest import fixture_bytes
from tests.loopback import LoopbackServer, Reply

COMMANDS = [
    "tui",
    "add",
    "remove",
    "feeds",
    "refresh",
    "entries",
    "mark",
    "save",
    "export-articles",
    "vacuum",
    "check",
    "recover",
    "search",
    "read",
    "import",
    "export",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"kabar {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert f"usage: kabar {command}" in capsys.readouterr().out


def test_parser_knows_every_command() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)  # type: ignore[arg-type]


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert [c for c in COMMANDS if f"kabar {c}" not in readme and c != "tui"] == []


@pytest.fixture
def feeds(server: LoopbackServer) -> LoopbackServer:
    server.route("/rss", Reply(200, fixture_bytes("basic/rss20.xml")))
    server.route("/json", Reply(200, fixture_bytes("basic/jsonfeed11.json")))
    return server


def test_add_refresh_feeds_entries(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    code, out, _ = run(capsys, "add", feeds.url("/rss"))
    assert code == 0 and "Added" in out and "Harbour Wire: 2 entries" in out
    run(capsys, "add", feeds.url("/json"), "--no-fetch")
    code, out, _ = run(capsys, "refresh")
    assert code == 0
    assert out.startswith("2 feeds: 2 ok, 0 not modified, 0 failed; 2 new entries in")
    code, out, _ = run(capsys, "feeds")
    assert "Harbour Wire" in out and "Kabar Nusantara" in out
    code, out, _ = run(capsys, "entries", "--json", "--feed", feeds.url("/json"))
    rows = json.loads(out)
    assert [r["title"] for r in rows] == ["Pasar apung kembali ramai", "Hanya teks"]
    assert set(rows[0]) == {"id", "feed", "title", "link", "author", "published", "read", "saved"}
    assert rows[0]["published"] == "2026-11-04T23:00:00Z"
    assert rows[0]["feed"] == feeds.url("/json")
    code, out, _ = run(capsys, "entries", "--unread", "--limit", "1")
    assert code == 0 and len(out.strip().splitlines()) == 1


def test_refresh_reports_failures_and_still_exits_zero(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/nothing-here"), "--no-fetch")
    code, out, err = run(capsys, "refresh")
    assert code == 0
    assert "1 failed" in out
    assert "HTTP 404" in err


def test_refresh_only_named_feeds(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/json"), "--no-fetch")
    code, out, _ = run(capsys, "refresh", feeds.url("/json"), "--jobs", "2")
    assert code == 0 and out.startswith("1 feed: 1 ok")
    assert feeds.hits("/rss") == []
    code, _, err = run(capsys, "refresh", "https://unknown.example/feed")
    assert code == 2 and "not subscribed" in err


def test_quiet_refresh_prints_nothing(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    assert run(capsys, "refresh", "--quiet") == (0, "", "")


def test_refresh_without_a_terminal_prints_its_summary_line(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    """The README's promise holds for cron and pipes too; -v adds a line per feed."""
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    code, out, err = run(capsys, "refresh")
    assert (code, err) == (0, "")
    assert out.startswith("1 feed: 1 ok, 0 not modified, 0 failed; 2 new entries in")
    assert out.count("\n") == 1
    code, out, _ = run(capsys, "refresh", "--verbose")
    assert out.splitlines()[0] == "  Harbour Wire: 0 new entries"
    assert out.splitlines()[1].startswith("1 feed: 1 ok, 0 not modified")


def test_per_feed_settings_from_the_config(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer, kabar_home: Path
) -> None:
    config = kabar_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[feeds."{feeds.url("/rss")}"]\ntitle = "My harbour"\nfolder = "Local"\ntags = ["sea"]\n',
        encoding="utf-8",
    )
    run(capsys, "add", feeds.url("/rss"))
    run(capsys, "refresh")
    _, out, _ = run(capsys, "feeds", "--json")
    (feed,) = json.loads(out)
    assert (feed["title"], feed["folder"]) == ("My harbour", "Local")
    _, out, _ = run(capsys, "entries", "--json")
    assert len(json.loads(out)) == 2
    config.write_text("", encoding="utf-8")
    _, out, _ = run(capsys, "feeds", "--json")
    assert json.loads(out)[0]["title"] == "Harbour Wire"  # the config no longer renames it


def test_a_folder_removed_from_the_config_is_removed(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer, kabar_home: Path
) -> None:
    """Like a title, a folder the config gave reverts when the config no longer says it,
    back to the folder the feed had before; a folder the reader chose is left alone."""
    config = kabar_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/json"), "--no-fetch", "--folder", "Mine")
    config.write_text(
        f'[feeds."{feeds.url("/rss")}"]\nfolder = "Local"\n'
        f'[feeds."{feeds.url("/json")}"]\nfolder = "World"\n',
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "feeds", "--json")
    assert {f["url"]: f["folder"] for f in json.loads(out)} == {
        feeds.url("/rss"): "Local",
        feeds.url("/json"): "World",
    }
    config.write_text("", encoding="utf-8")
    _, out, _ = run(capsys, "feeds", "--json")
    assert {f["url"]: f["folder"] for f in json.loads(out)} == {
        feeds.url("/rss"): "",
        feeds.url("/json"): "Mine",
    }


def test_import_export_remove(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, feeds: LoopbackServer
) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        f"""<opml version="2.0"><body><outline text="News">
        <outline type="rss" text="Harbour" xmlUrl="{feeds.url("/rss")}"/></outline>
        <outline type="rss" text="Nusantara" xmlUrl="{feeds.url("/json")}"/></body></opml>""",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(opml))
    assert code == 0 and "Imported 2 new feeds" in out
    code, out, _ = run(capsys, "import", str(opml))
    assert "Imported 0 new feeds (2 already subscribed)" in out
    code, out, _ = run(capsys, "export")
    assert f'xmlUrl="{feeds.url("/rss")}"' in out and '<outline text="News" title="News">' in out
    target = tmp_path / "out.opml"
    run(capsys, "export", str(target))
    assert target.read_text(encoding="utf-8").count("xmlUrl=") == 2
    code, out, _ = run(capsys, "remove", feeds.url("/rss"), "--yes")
    assert code == 0 and "Removed" in out
    code, out, _ = run(capsys, "feeds", "--json")
    assert [f["url"] for f in json.loads(out)] == [feeds.url("/json")]


def test_bad_input_gives_one_line_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "missing.opml"))
    assert code == 2 and err.startswith("kabar: cannot read") and err.count("\n") == 1
    code, _, err = run(capsys, "remove", "https://never.example/", "--yes")
    assert code == 2 and "no feed with URL" in err


def test_bad_config_is_one_line(capsys: pytest.CaptureFixture[str], kabar_home: Path) -> None:
    (kabar_home / "config").mkdir(parents=True)
    (kabar_home / "config" / "config.toml").write_text(
        "[network]\ntimeout = 'x'\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "feeds")
    assert code == 2
    assert err.count("\n") == 1 and "'network.timeout' must be a number" in err


def test_add_a_site_lists_its_feeds_or_adds_all(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    feeds.route(
        "/site",
        Reply(
            200,
            b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss">'
            b'<link rel="alternate" type="application/feed+json" href="/json"></head></html>',
        ),
    )
    code, out, _ = run(capsys, "add", feeds.url("/site"))
    assert code == 1
    assert "Several feeds found" in out and feeds.url("/rss") in out and feeds.url("/json") in out
    code, out, _ = run(capsys, "feeds")
    assert out.startswith("No feeds yet.")
    code, out, _ = run(capsys, "add", feeds.url("/site"), "--all", "--folder", "News")
    assert code == 0 and out.count("Added") == 2
    code, out, _ = run(capsys, "feeds", "--json")
    assert {(f["url"], f["folder"]) for f in json.loads(out)} == {
        (feeds.url("/rss"), "News"),
        (feeds.url("/json"), "News"),
    }


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_a_description(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    page = capsys.readouterr().out
    _usage, _, rest = page.partition("\n\n")
    description = rest.split("\n\n", 1)[0]
    assert description and not description.startswith(("positional", "options")), page


def test_feeds_labels_its_columns_and_marks_failing_feeds(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/gone"), "--no-fetch")
    run(capsys, "refresh")
    code, out, _ = run(capsys, "feeds")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "UNREAD\tTOTAL\tSTATUS\tTITLE\tURL"
    rows = {line.split("\t")[4]: line.split("\t") for line in lines[1:]}
    assert rows[feeds.url("/rss")][:4] == ["2", "2", "ok", "Harbour Wire"]
    assert rows[feeds.url("/gone")][2] == "failing"


def test_feeds_on_a_terminal_has_a_header_and_a_failure_mark(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/gone"), "--no-fetch")
    run(capsys, "refresh")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    _code, out, _ = run(capsys, "feeds")
    lines = out.splitlines()
    assert lines[0].split() == ["unread", "total", "feed"]
    assert next(line for line in lines if "Harbour Wire" in line).split()[:2] == ["2", "2"]
    assert "⚠ failing" in next(line for line in lines if feeds.url("/gone") in line)
    assert lines[-1].startswith("⚠ 1 feed failed to fetch last time")


def test_file_errors_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, feeds: LoopbackServer
) -> None:
    missing = tmp_path / "nonexistent" / "x.opml"
    code, out, err = run(capsys, "export", str(missing))
    assert (code, out) == (2, "")
    assert err == f"kabar: cannot write {missing}: No such file or directory\n"
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "export-articles", str(blocker / "out"))
    assert code == 2 and err.startswith(f"kabar: cannot write to {blocker / 'out'}: ")
    assert err.count("\n") == 1 and "unexpected" not in err
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    code, _, err = run(capsys, "read", str(passwd))
    assert code == 2 and err == f"kabar: {passwd} is not an HTML page: plain text\n"


def test_messages_count_in_the_singular(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, feeds: LoopbackServer
) -> None:
    opml = tmp_path / "one.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline type="rss" text="H" xmlUrl="{feeds.url("/rss")}"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "import", str(opml))
    assert out.startswith("Imported 1 new feed (0 already subscribed).")
    _, out, _ = run(capsys, "refresh")
    assert out.startswith("1 feed: 1 ok")
    _, out, _ = run(capsys, "entries", "--json")
    entry_id = json.loads(out)[0]["id"]
    from kabar.core.config.profile import load_profile

    with load_profile().open_store() as store:
        store.set_saved([entry_id], True)
    _, out, _ = run(capsys, "remove", feeds.url("/rss"), "--yes")
    assert out == f"Removed {feeds.url('/rss')} (1 saved entry kept; they stay under Saved)\n"


def test_the_readme_usage_block_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    usage = readme.split("## Usage", 1)[1].split("```", 2)[1]
    assert "kabar tui" in usage
    for command in COMMANDS:
        with pytest.raises(SystemExit):
            main([command, "--help"])
        page = capsys.readouterr().out
        listed = page.split("options:", 1)[1]
        options = {word.strip("[],") for word in listed.split() if word.startswith("--")}
        options -= {"--help"}
        block = usage.split(f"kabar {command} ", 1)[1].split("\nkabar ", 1)[0]
        assert [o for o in sorted(options) if o not in block] == [], command
    assert "`published` is `null`" in " ".join(readme.split())


def test_refresh_progress_on_a_terminal_counts_to_the_feed_count(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    """On a terminal the bar starts at 0/2, not 0/?: the number of feeds is known."""
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/json"), "--no-fetch")
    controller, terminal = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kabar.cli.main", "refresh"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
    )
    os.close(terminal)
    shown = b""
    try:
        while True:
            ready = select.select([controller], [], [], 60)[0]
            if not ready:
                break
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if process.poll() is None:
            process.kill()
        assert process.wait(60) == 0
        os.close(controller)
    text = shown.decode(errors="replace")
    assert "Refreshing" in text and "/2" in text
    assert "/?" not in text
    assert "2 feeds: 2 ok" in text


def test_add_with_a_folder_moves_a_feed_already_subscribed(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    code, out, _ = run(capsys, "add", feeds.url("/rss"), "--no-fetch", "--folder", "World")
    assert code == 0 and f"Moved {feeds.url('/rss')} to World" in out
    code, out, _ = run(capsys, "feeds", "--json")
    assert [row["folder"] for row in json.loads(out)] == ["World"]
    code, out, _ = run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    assert "Already subscribed" in out


def test_the_piped_feed_list_does_without_rich(tmp_path: Path) -> None:
    """`kabar feeds` in a script or a status bar writes plain lines: no Rich to import."""
    env = {**os.environ, "KABAR_HOME": str(tmp_path / "home")}
    listing = (
        "import sys\n"
        "from kabar.cli.main import main\n"
        "code = main(['feeds'])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'textual'}),"
        " file=sys.stderr)\n"
    )
    run = [sys.executable, "-c", listing]
    empty = subprocess.run(run, env=env, capture_output=True, text=True)
    assert empty.stdout.startswith("No feeds yet.") and empty.stderr == "0 []\n"
    add = [sys.executable, "-m", "kabar", "add", "https://example.org/feed", "--no-fetch"]
    subprocess.run(add, env=env, capture_output=True, check=True)
    one = subprocess.run(run, env=env, capture_output=True, text=True)
    assert one.stdout.splitlines()[1].endswith("\thttps://example.org/feed")
    assert one.stderr == "0 []\n"
