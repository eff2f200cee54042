"""Platforms are modules listed by a registry: a new one is one module plus one registry line,
and the rest of curator (schemas, pull, add, cards, pages) follows from the registry."""
from __future__ import annotations

import json
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from curator import platforms, schema
from curator.cli import cli
from curator.errors import CuratorError, SourceError
from curator.platforms.http import Http, HttpSettings
from curator.store import Store

from sources_mock import MockPlatforms, Reply, forum_post


@pytest.fixture
def forum(monkeypatch: pytest.MonkeyPatch):
    """tests/forum_platform.py registered with one line, as a platform of curator's own would be."""
    monkeypatch.setattr(platforms, "MODULES", (*platforms.MODULES, "forum_platform"))
    platforms.reload()
    yield platforms.get("forum")
    monkeypatch.undo()
    platforms.reload()


def wall(root: Path, sources: list[dict]) -> Path:
    assert CliRunner().invoke(cli, ["init", str(root), "--brand", "Acme"]).exit_code == 0
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text("utf-8"))
    block = next(item["curator"] for item in config["plugins"] if isinstance(item, dict) and "curator" in item)
    block["sources"] = sources
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return config_file


def test_a_new_platform_is_pulled_added_rendered_and_built(tmp_path: Path, mock: MockPlatforms, forum,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")
    mock.forum = [forum_post(2), forum_post(1)]
    config = wall(tmp_path / "wall", [{"name": "board", "type": "forum", "site": mock.base, "queries": ["acme"],
                                       "timeout": 1.0, "retries": 1, "backoff": 0}])

    def run(*args: str):
        result = CliRunner().invoke(cli, ["-f", str(config), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    run("pull")
    store = Store.open(tmp_path / "wall" / "testimonials")
    pulled = sorted(store.records.values(), key=lambda r: r.id)
    assert [r.source.platform for r in pulled] == ["forum", "forum"] and pulled[0].author.avatar
    mock.forum.insert(0, forum_post(3, "Three years with @acme and their support still answers within the hour."))
    added = json.loads(run("add", f"{mock.base}/p/703", "--json").output)
    assert added[0]["result"] == "new"
    record_id = pulled[0].id
    run("approve", record_id)
    run("grant", record_id, "--evidence", f"{mock.base}/p/799")
    out = tmp_path / "cards"
    run("render", record_id, "--out", str(out))
    assert list(out.glob(f"{record_id}*.png"))
    run("build")
    page = (tmp_path / "wall" / "site" / "t" / record_id / "index.html").read_text("utf-8")
    assert "Forum" in page and "espresso machine" in page
    run("pull")  # the re-check asks the forum whether the published post is still there
    assert mock.requests_to(f"/posts/{pulled[0].source.post_id}.json")


def test_a_package_adds_a_platform_with_an_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    point = EntryPoint(name="forum", value="forum_platform", group=platforms.ENTRY_POINT_GROUP)
    monkeypatch.setattr(platforms, "entry_points", lambda group: [point] if group == point.group else [])
    platforms.reload()
    try:
        assert platforms.get("forum").label == "Forum" and "forum" in platforms.source_types()
    finally:
        monkeypatch.undo()
        platforms.reload()
    assert "forum" not in platforms.names()


def test_the_schemas_follow_the_registry(forum) -> None:
    record = schema.load("testimonial")["properties"]["source"]["properties"]["platform"]["enum"]
    config = schema.load("config")
    assert record == list(platforms.names()) and "forum" in record
    assert "forum" in config["$defs"]["source"]["properties"]["type"]["enum"]
    replying = {p.name for p in platforms.all_platforms() if p.replies}
    assert set(config["properties"]["handles"]["properties"]) == replying


def test_the_record_schema_beside_the_records_names_the_registered_platforms(forum, tmp_path: Path) -> None:
    """Editors validate against the copy ``curator init`` writes: it knows the new platform."""
    assert CliRunner().invoke(cli, ["init", str(tmp_path), "--brand", "Acme"]).exit_code == 0
    copy = json.loads((tmp_path / "testimonials" / "_schema.json").read_text("utf-8"))
    assert copy["properties"]["source"]["properties"]["platform"]["enum"] == list(platforms.names())
    assert "forum" in platforms.names()


def test_every_platform_is_shown_with_a_label_and_a_mark() -> None:
    for platform in platforms.all_platforms():
        assert platform.label and platform.mark.letter and platform.mark.colour.startswith("#")
        assert platform.reply_limit > 0
    assert platforms.shown("gone-platform") is platforms.get("manual")


def test_a_token_read_from_its_old_name_still_works_with_a_note(capsys: pytest.CaptureFixture) -> None:
    token = platforms.Token("CURATOR_FORUM_TOKEN", old="FORUM_TOKEN", purpose="a forum API key")
    assert token.value({"CURATOR_FORUM_TOKEN": "new", "FORUM_TOKEN": "old"}) == "new"
    assert token.value({"FORUM_TOKEN": "old"}) == "old"
    assert "FORUM_TOKEN is the old name of CURATOR_FORUM_TOKEN" in capsys.readouterr().err
    with pytest.raises(CuratorError, match="set the environment variable CURATOR_FORUM_TOKEN"):
        token.require({})


def test_the_client_sends_a_write_again_only_when_the_server_did_nothing(mock: MockPlatforms) -> None:
    """A POST refused with 503 (or 429) was not done: sent again. After a 500 the post may exist: not."""
    mock.forum = [forum_post(1)]
    with Http("forum", HttpSettings(retries=2, backoff=0), pause=lambda seconds: None) as http:
        mock.fault("/posts/", Reply(503, {"error": "busy"}))
        status, _, _ = http.send_json("POST", f"{mock.base}/posts/701.json")
        assert status == 200 and len([m for m, _, _ in mock.log if m == "POST"]) == 2
        mock.fault("/posts/", Reply(500, {"error": "oops"}))
        with pytest.raises(SourceError, match="answered HTTP 500"):
            http.send_json("POST", f"{mock.base}/posts/701.json")
        assert len([m for m, _, _ in mock.log if m == "POST"]) == 3
