"""The store: canonical round-trips, atomic saves, and every problem in every file at once."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from curator.errors import InvalidData
from curator.identity import record_id
from curator.store import Store

RECORD = "mastodon-mastodon-example-113100000001"


def test_load_then_save_changes_no_byte(project: Path) -> None:
    store = Store.open(project / "testimonials")
    before = {p.name: p.read_bytes() for p in (project / "testimonials").glob("*.yml")}
    for record in list(store.records.values()):
        assert store.save(record) is False
    assert before == {p.name: p.read_bytes() for p in (project / "testimonials").glob("*.yml")}


def test_edited_field_survives_and_rest_is_untouched(project: Path) -> None:
    path = project / "testimonials" / f"{RECORD}.yml"
    original = path.read_text("utf-8")
    store = Store.open(project / "testimonials")
    store.records[RECORD].tags.append("edited")
    assert store.save(store.records[RECORD]) is True
    reloaded = Store.open(project / "testimonials").records[RECORD]
    assert reloaded.tags[-1] == "edited"
    changed = [line for line in path.read_text("utf-8").splitlines() if line not in original.splitlines()]
    assert changed == ["- edited"]


def test_hand_formatting_is_kept_when_nothing_changed(project: Path) -> None:
    path = project / "testimonials" / f"{RECORD}.yml"
    hand_written = path.read_text("utf-8").replace("featured: true", "featured:   true   # pinned by Jane")
    path.write_text(hand_written, "utf-8")
    store = Store.open(project / "testimonials")
    assert store.save(store.records[RECORD]) is False
    assert path.read_text("utf-8") == hand_written


def test_save_leaves_no_temp_files(project: Path) -> None:
    store = Store.open(project / "testimonials")
    store.records[RECORD].featured = False
    store.save(store.records[RECORD])
    assert not [p for p in (project / "testimonials").iterdir() if p.name.endswith(".tmp")]


def test_ids_are_stable_and_slug_safe() -> None:
    assert record_id("mastodon", "109876543210", "mastodon.social") == "mastodon-mastodon-social-109876543210"
    assert record_id("bluesky", "3kXyZ_ab") == record_id("bluesky", "3kXyZ_ab")
    assert re.fullmatch(r"[a-z0-9-]+", record_id("x", "Some Weird/ID#1"))


def _break(project: Path, name: str, old: str, new: str) -> None:
    path = project / "testimonials" / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(project: Path, name: str, needle: str) -> int:
    lines = (project / "testimonials" / name).read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.fixture
def broken_store(project: Path) -> Path:
    """One store with every kind of mistake, each in its own file."""
    _break(project, "bluesky-3lacme0002xyz.yml", "lang: en\n", "lang: en\n  broken: [unclosed\n")
    _break(project, "bluesky-3lacme0005xyz.yml", "featured: false", "featured: sometimes")
    _break(project, "bluesky-3lacme0008xyz.yml", "featured: false", "featured: false\nfeatrued: true")
    _break(project, "bluesky-3lacme0012xyz.yml", "posted_at: '2026-09-15T11:11:00Z'", "posted_at: '2026-13-45T11:11:00Z'")
    _break(project, "bluesky-3lacme0015xyz.yml", "avatar: avatars/", "avatar: avatars/missing-")
    _break(project, "x-188000000000000003.yml", "  evidence_url: https://x.com/molindqvist/status/189100000000000003\n", "")
    dup = (project / "testimonials" / "x-188000000000000006.yml").read_text("utf-8")
    (project / "testimonials" / "x-copy.yml").write_text(dup, "utf-8")
    return project


def test_every_problem_in_every_file_is_reported_with_its_line(broken_store: Path) -> None:
    with pytest.raises(InvalidData) as caught:
        Store.open(broken_store / "testimonials")
    messages: dict[tuple, list[str]] = {}
    for problem in caught.value.problems:
        messages.setdefault((Path(problem.path).name, problem.field), []).append(problem.message)
    problems = {(Path(p.path).name, p.field): p for p in caught.value.problems}
    expected = {
        ("bluesky-3lacme0002xyz.yml", ""): "not valid YAML",
        ("bluesky-3lacme0005xyz.yml", "featured"): "not of type",
        ("bluesky-3lacme0008xyz.yml", "featrued"): "unknown field",
        ("bluesky-3lacme0012xyz.yml", "posted_at"): "not a valid date-time",
        ("bluesky-3lacme0015xyz.yml", "author.avatar"): "not found",
        ("x-188000000000000003.yml", "permission.evidence_url"): "required when permission is granted",
        ("x-copy.yml", "id"): "duplicate id",
    }
    for key, words in expected.items():
        assert any(words in message for message in messages.get(key, [])), (key, messages)
    assert problems[("bluesky-3lacme0005xyz.yml", "featured")].line == _line_of(broken_store, "bluesky-3lacme0005xyz.yml", "featured:")
    assert problems[("bluesky-3lacme0008xyz.yml", "featrued")].line == _line_of(broken_store, "bluesky-3lacme0008xyz.yml", "featrued")
    assert problems[("bluesky-3lacme0012xyz.yml", "posted_at")].line == _line_of(broken_store, "bluesky-3lacme0012xyz.yml", "posted_at")
    yaml_error_line = problems[("bluesky-3lacme0002xyz.yml", "")].line
    assert yaml_error_line in range(_line_of(broken_store, "bluesky-3lacme0002xyz.yml", "lang: en"),
                                    _line_of(broken_store, "bluesky-3lacme0002xyz.yml", "broken:") + 1)


def test_check_lists_all_problems_and_exits_1(broken_store: Path, run) -> None:
    result = run("check")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if re.match(r"\S+\.yml:\d+: ", line)]
    assert {line.split(":")[0].split("/")[-1] for line in lines} == {
        "bluesky-3lacme0002xyz.yml", "bluesky-3lacme0005xyz.yml", "bluesky-3lacme0008xyz.yml",
        "bluesky-3lacme0012xyz.yml", "bluesky-3lacme0015xyz.yml", "x-188000000000000003.yml", "x-copy.yml"}
    assert "Traceback" not in result.output
    as_json = run("check", "--json")
    assert as_json.exit_code == 1
    assert {Path(p["path"]).name for p in json.loads(as_json.stdout)} >= {"x-copy.yml", "bluesky-3lacme0012xyz.yml"}


def test_bad_date_for_expiry_and_a_revoked_record_without_time(project: Path) -> None:
    _break(project, "x-188000000000000011.yml", "expires: '2028-06-30'", "expires: 30/06/2028")
    _break(project, "mastodon-mastodon-example-113100000019.yml", "revoked_at: '2026-10-02T08:00:00Z'", "revoked_at: null")
    with pytest.raises(InvalidData) as caught:
        Store.open(project / "testimonials")
    fields = {p.field for p in caught.value.problems}
    assert {"permission.expires", "permission.revoked_at"} <= fields


def test_failed_build_leaves_the_previous_site_untouched(project: Path, run) -> None:
    assert run("build").exit_code == 0
    snapshot = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    _break(project, "x-188000000000000011.yml", "featured: false", "featured: nope")
    result = run("build")
    assert result.exit_code == 1
    assert "x-188000000000000011.yml" in result.stderr
    assert snapshot == {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]


def test_failed_mkdocs_build_also_keeps_the_old_site(project: Path, run) -> None:
    assert run("build").exit_code == 0
    before = (project / "site" / "index.html").read_bytes()
    (project / "docs" / "index.md").write_text("[broken](no-such-page.md)\n", "utf-8")
    result = run("build")
    assert result.exit_code == 1 and "previous site was left untouched" in result.stderr
    assert (project / "site" / "index.html").read_bytes() == before


def test_editors_get_the_schema_beside_the_records(project: Path, tmp_path: Path) -> None:
    from curator import schema
    from curator.scaffold import scaffold

    assert (project / "testimonials" / "_schema.json").read_text("utf-8") == schema.text("testimonial")
    scaffold(tmp_path / "new", "Bolt")
    assert (tmp_path / "new" / "testimonials" / "_schema.json").read_text("utf-8") == schema.text("testimonial")
    first_lines = {p.read_text("utf-8").splitlines()[0] for p in (project / "testimonials").glob("[!_]*.yml")}
    assert first_lines == {"# yaml-language-server: $schema=_schema.json"}


def test_validated_files_are_not_parsed_again_but_edits_are(project: Path, monkeypatch) -> None:
    from curator import schema, store as store_module

    cache = project / ".cache" / "curator" / "store.json"
    first = Store.open(project / "testimonials", cache)
    assert cache.is_file()
    validated: list[str] = []
    real = schema.problems
    monkeypatch.setattr(store_module.schema, "problems", lambda *a, **k: validated.append(a[2]) or real(*a, **k))
    second = Store.open(project / "testimonials", cache)
    assert validated == [] and second.records == first.records  # every file known: no YAML, no schema

    path = project / "testimonials" / f"{RECORD}.yml"
    path.write_text(path.read_text("utf-8").replace("featured: true", "featured: nope"), "utf-8")
    with pytest.raises(InvalidData) as err:
        Store.open(project / "testimonials", cache)
    assert [p.field for p in err.value.problems] == ["featured"] and len(validated) == 1

    cache.write_text("{damaged", "utf-8")  # a broken cache is only a slower load
    path.write_text(path.read_text("utf-8").replace("featured: nope", "featured: false"), "utf-8")
    assert Store.open(project / "testimonials", cache).records[RECORD].featured is False
    assert json.loads(cache.read_text("utf-8"))["tag"] == store_module.ValidatedFiles.current_tag()
    avatar = project / "testimonials" / Store.open(project / "testimonials").records[RECORD].author.avatar
    avatar.unlink()  # checks beyond the file's bytes run on every load, cached or not
    with pytest.raises(InvalidData) as err:
        Store.open(project / "testimonials", cache)
    assert [p.field for p in err.value.problems] == ["author.avatar"]
