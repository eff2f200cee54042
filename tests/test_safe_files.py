"""Safe files (issue 17, items 1–7): no record file, avatar, text, folder, config string or
server reply can leak a secret, destroy a folder, inject into logs or poison the store."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image

from curator import untrusted
from curator.store import Store
from curator.sources.pull import summary_markdown, PullReport

from sources_mock import bomb_png, fixture, mastodon_post
from test_sources_pull import ENV, fast, write_config
from test_sources_pull import run as run_cli

RECORD = "x-188000000000000013"


def record_path(project: Path, record_id: str = RECORD) -> Path:
    return project / "testimonials" / f"{record_id}.yml"


def site_text(site: Path) -> str:
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*") if p.is_file())


# --- 1. record files are data, not config --------------------------------------------------------------


def test_env_tag_in_a_record_is_refused_and_the_secret_goes_nowhere(project, run, monkeypatch):
    monkeypatch.setenv("X_BEARER_TOKEN", "secret-token-123")
    path = record_path(project)
    path.write_text(path.read_text("utf-8").replace("name: Camille Martin", "name: !ENV X_BEARER_TOKEN"), "utf-8")
    for command in ("check", "build", "list"):
        result = run(command)
        assert result.exit_code == 1, command
        assert f"{RECORD}.yml:10: author.name: the tag !ENV is not allowed" in result.stderr, result.stderr
        assert "secret-token-123" not in result.output
    assert not (project / "site").exists()
    assert "secret-token-123" not in path.read_text("utf-8")


@pytest.mark.parametrize("hostile,message", [
    ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n", "anchors and aliases"),
    ("x: !!python/object/apply:os.system ['true']\n", "is not allowed in a data file"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "nested deeper"),
    ("text: '" + "a" * 1_100_000 + "'\n", "larger than"),
])
def test_hostile_yaml_is_refused_with_file_and_line(project, run, tmp_path, hostile, message):
    (project / "testimonials" / "bomb.yml").write_text(hostile, "utf-8")
    result = run("check")
    assert result.exit_code == 1 and "bomb.yml" in result.stderr and message in result.stderr
    (project / "testimonials" / "bomb.yml").unlink()
    post = tmp_path / "post.yml"
    post.write_text(hostile, "utf-8")
    added = run("add", str(post))
    assert added.exit_code == 1 and message in added.stderr


def test_mkdocs_yml_still_reads_env(project, run, monkeypatch):
    monkeypatch.setenv("CURATOR_TEST_BRAND", "Acme Env")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("brand: Acme", "brand: !ENV CURATOR_TEST_BRAND", 1), "utf-8")
    assert run("check").exit_code == 0


# --- 2. avatars --------------------------------------------------------------------------------------


def avatar_of(project: Path) -> Path:
    store = Store.open(project / "testimonials")
    return store.avatar_path(store.records[RECORD])


def test_an_avatar_symlinked_outside_the_store_is_refused(project, run, tmp_path):
    outside = tmp_path / "private.png"
    outside.write_bytes(b"\x89PNG private data")
    avatar = avatar_of(project)
    avatar.unlink()
    avatar.symlink_to(outside)
    result = run("build")
    assert result.exit_code == 1 and "leads outside" in result.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize("content,message", [
    (bomb_png(), "decompression bomb"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "not a PNG, JPEG, WebP or GIF"),
    (b"#!/bin/sh\necho not an image\n", "not a PNG, JPEG, WebP or GIF"),
])
def test_check_refuses_an_avatar_that_is_not_a_real_image(project, run, content, message):
    avatar_of(project).write_bytes(content)
    result = run("check")
    assert result.exit_code == 1 and "author.avatar" in result.stderr and message in result.stderr


def test_a_bmp_avatar_is_not_an_avatar(project, run):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="BMP")
    avatar_of(project).write_bytes(out.getvalue())
    assert run("check").exit_code == 1


# --- 3. text size ------------------------------------------------------------------------------------


def test_a_megabyte_of_text_is_a_clear_check_error(project, run):
    path = record_path(project)
    text = path.read_text("utf-8")
    path.write_text(text.replace("text: J'ai plus de notes", "text: " + "J'ai " * 100_000 + "plus de notes"), "utf-8")
    result = run("check")
    assert result.exit_code == 1 and "more than any platform allows" in result.stderr


# --- 4. build -d -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [".", "testimonials", "docs", ".git", "..", "docs/sub", "elsewhere"])
def test_build_refuses_a_site_dir_it_would_destroy(project, run, target):
    (project / ".git").mkdir()
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "notes.txt").write_text("mine", "utf-8")
    before = sorted(str(p.relative_to(project)) for p in project.rglob("*") if ".cache" not in p.parts)
    result = run("build", "-d", str(project / target))
    assert result.exit_code == 2 and "--site-dir" in result.stderr, result.output
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if ".cache" not in p.parts) == before


def test_build_replaces_a_site_it_built(project, run, tmp_path):
    target = tmp_path / "elsewhere-site"
    assert run("build", "-d", str(target)).exit_code == 0
    assert (target / ".curator-site").exists()
    assert run("build", "-d", str(target)).exit_code == 0


# --- 5, 6. config text escaped; no injection into logs or Markdown ------------------------------------------


def test_untrusted_text_cannot_drive_the_terminal_or_fake_a_log_line() -> None:
    hostile = "boom\n::error file=x::fake\x1b]8;;https://evil.example\x07link\x1b[2J\u202egnp.exe"
    line = untrusted.one_line(hostile)
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line and "\x07" not in line
    assert not line.startswith("::")
    assert untrusted.printable("a\u200db\nc") == "a\u200db\nc"  # ZWJ (emoji, scripts) and newlines stay


def test_a_server_error_reaches_the_ci_log_on_one_line(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    from sources_mock import Reply

    mock.fault("/api/v1/timelines/tag/AcmeLove", Reply(500, "oops\n::error::pwned\x1b[31m"), times=5)
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base,
                                           "hashtags": ["AcmeLove"]})])
    result = run_cli(config, "pull", env=ENV)
    assert result.exit_code == 3
    assert not any(line.startswith("::") for line in result.output.splitlines())
    assert "\x1b" not in result.output


def test_the_pull_request_summary_keeps_each_item_on_its_line() -> None:
    report = PullReport(notes=["row 3: skipped\n## Merged!\n- [x] approve all"], failed={"fedi": "HTTP 500\n@everyone"})
    summary = summary_markdown(report, "2026-11-23")
    assert "\n## Merged" not in summary and "\n- [x]" not in summary and "\\@everyone" in summary


def test_a_newline_in_a_name_cannot_end_the_markdown_quote(project, run):
    path = record_path(project)
    path.write_text(path.read_text("utf-8").replace("name: Camille Martin", 'name: "Camille\\n\\n# Hacked\\r[x](javascript:1)"'), "utf-8")
    assert run("build").exit_code == 0
    page = (project / "site" / "t" / RECORD / "index.html").read_text("utf-8")
    snippet = page[page.index("&gt; — Camille"):].split("\n")[0]  # the Markdown snippet's last line
    assert "\\# Hacked \\[x\\](javascript:1)" in snippet and "(@camille" in snippet


def test_wall_title_is_text_not_html(project, run):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "wall_page: wall/index.md", 'wall_page: wall/index.md\n      wall_title: "</title><script>alert(1)</script>"', 1),
        "utf-8")
    assert run("build").exit_code == 0
    wall = (project / "site" / "wall" / "index.html").read_text("utf-8")
    assert "<script>alert(1)" not in wall and "&lt;script&gt;alert(1)" in wall


# --- 7. one bad post never poisons the store ------------------------------------------------------------------


def media_only_status(mock, number: int) -> dict:
    """A real recorded status (Mastodon's docs), as a video post with no words."""
    status = fixture("mastodon_status_entity_example.json")
    status.update(id=str(114620000000000000 + number), content="", url=f"{mock.base}/@alice/{number}",
                  visibility="public", reblog=None, created_at="2025-06-03T14:00:00.000Z")
    status["media_attachments"] = [{"id": "1", "type": "video", "url": f"{mock.base}/v.mp4", "description": None}]
    status["account"]["avatar"] = status["account"]["avatar_static"] = f"{mock.base}/avatars/alice.png"
    return status


def test_a_media_only_post_is_refused_and_the_store_keeps_working(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, 2), media_only_status(mock, 1)]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base,
                                           "hashtags": ["AcmeLove"]})])
    result = run_cli(config, "pull", env=ENV)
    assert result.exit_code == 0, result.output
    # Its video has no poster frame to copy: not the post its author wrote, so not added (issue 21).
    assert "refused" in result.stderr and "not added" in result.stderr
    store = Store.open(tmp_path / "testimonials")  # still opens: nothing bad was written
    assert len(store.records) == 1
    for command in ("check", "list"):
        assert run_cli(config, command).exit_code == 0


def test_a_pull_where_every_post_is_refused_says_so(tmp_path, mock):
    mock.mastodon = [media_only_status(mock, 1)]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base,
                                           "hashtags": ["AcmeLove"]})])
    assert run_cli(config, "pull", env=ENV).exit_code == 1
    assert os.listdir(tmp_path / "testimonials") == ["_cursors.yml"] or not list((tmp_path / "testimonials").glob("*.yml"))[1:]
    json_report = json.loads(run_cli(config, "pull", "--json", env=ENV).stdout)
    assert "refused" in json_report


def test_build_never_publishes_a_bomb_avatar(project, run):
    avatar_of(project).write_bytes(bomb_png())
    result = run("build")
    assert result.exit_code == 1 and "decompression bomb" in result.output
    assert not (project / "site").exists()


@pytest.mark.parametrize("text,line", [
    ('id: x\ntext: "hello\nlang: en\n', 2),        # an unclosed quote: where it opens, not the end of the file
    ("id: x\ntags: [a, b\nlang: en\n", 2),          # an unclosed bracket
    ("id: x\nauthor:\n  name: a\n   handle: b\n", 4),  # the line that is wrong
])
def test_yaml_errors_point_at_the_line_that_holds_the_mistake(text, line):
    from curator import yamlio

    (problem,) = yamlio.parse(text, "f.yml")[1]
    assert problem.line == line, problem
