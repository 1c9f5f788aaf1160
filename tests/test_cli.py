"""The command line, run in-process through `main()` on a temporary KABAR_HOME."""

from __future__ import annotations

import json
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
    code, out, _ = run(capsys, "refresh", "-v")
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
    code, out, err = run(capsys, "refresh", "-v")
    assert code == 0
    assert "1 failed" in out
    assert "HTTP 404" in err


def test_refresh_only_named_feeds(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    run(capsys, "add", feeds.url("/json"), "--no-fetch")
    code, out, _ = run(capsys, "refresh", feeds.url("/json"), "--jobs", "2", "-v")
    assert code == 0 and out.startswith("1 feeds: 1 ok")
    assert feeds.hits("/rss") == []
    code, _, err = run(capsys, "refresh", "https://unknown.example/feed")
    assert code == 2 and "not subscribed" in err


def test_quiet_refresh_prints_nothing(
    capsys: pytest.CaptureFixture[str], feeds: LoopbackServer
) -> None:
    run(capsys, "add", feeds.url("/rss"), "--no-fetch")
    assert run(capsys, "refresh", "--quiet") == (0, "", "")
    assert run(capsys, "refresh") == (0, "", "")  # not a terminal: quiet, as cron wants


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
