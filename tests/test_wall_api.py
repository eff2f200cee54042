"""The Python API (issue 20, item 3): a Wall method has the command's effects, lock and purges included."""
from __future__ import annotations

from pathlib import Path

import pytest

import curator

RECORD = "x-188000000000000013"


def everything_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_a_revocation_through_the_api_leaves_nothing_in_the_caches(project, run):
    (project / ".cache").unlink()  # the tests' shared card cache: this project gets its own
    assert run("build").exit_code == 0
    wall = curator.Wall.open(project / "mkdocs.yml")
    text = wall.store.records[RECORD].text
    assert text.encode() in everything_under(project / ".cache")  # the page parts hold it
    wall.revoke(RECORD, reason="asked by email")
    assert text.encode() not in everything_under(project / ".cache")
    assert not list((project / ".cache").rglob(f"*{RECORD}*"))


def test_the_lock_is_re_entrant_within_a_wall_and_build_refuses_to_nest(project):
    wall = curator.Wall.open(project / "mkdocs.yml")
    inbox = [row.record.id for row in wall.listing(status="inbox")]
    with wall.writing("a script"):
        wall.reject(inbox[:1], by="^JD")
        with pytest.raises(curator.CuratorError, match="outside"):
            wall.build()
    assert curator.Wall.open(project / "mkdocs.yml").store.records[inbox[0]].review.status == "rejected"


def test_listing_is_what_list_prints(project, run):
    import json

    wall = curator.Wall.open(project / "mkdocs.yml")
    assert [row.to_json() for row in wall.listing()] == json.loads(run("list", "--json").stdout)
