"""Shared fixtures: a copy of the sample wall in a temp folder, and the CLI through click's runner."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from curator.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PARTS = ("mkdocs.yml", "docs", "overrides", "testimonials")


@pytest.fixture(scope="session")
def card_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One card cache for the whole run: it is keyed by content, so sharing it is safe and
    spares every test build from re-rendering the sample cards."""
    return tmp_path_factory.mktemp("card-cache")


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run the commands as a person would: `ask --send` refuses to run under CI."""
    monkeypatch.delenv("CI", raising=False)


def copy_sample(target: Path, card_cache: Path) -> None:
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    (target / ".cache").symlink_to(card_cache, target_is_directory=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, card_cache: Path) -> Path:
    """The bundled sample wall, copied so tests may change it; the build date is fixed."""
    copy_sample(tmp_path, card_cache)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")  # 2026-11-23
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(project: Path):
    """Invoke the CLI on the project copy: ``run("list", "--json")``."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["-f", str(project / "mkdocs.yml"), *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def mock():
    """Fake Mastodon, Bluesky and X APIs on 127.0.0.1 (tests/sources_mock.py), with avatars."""
    from sources_mock import MockPlatforms, Reply, png_bytes, serve

    state = MockPlatforms()
    server = serve(state)
    state.files["/avatars/alice.png"] = Reply(200, png_bytes(), {"Content-Type": "image/png"})
    state.files["/avatars/alice_400x400.png"] = Reply(200, png_bytes(colour="#7A4CC2"), {"Content-Type": "image/png"})
    yield state
    server.shutdown()
    server.server_close()


def reconsent(path: Path) -> None:
    """Make the record file at ``path`` say its author consented to the text it holds now.

    Tests hand-edit texts to inject hostile content; without this the publish gate rightly hides
    an edited post, and there would be nothing published to check the escaping of."""
    from curator import yamlio
    from curator.identity import content_version

    text = path.read_text("utf-8")
    data, problems = yamlio.parse(text, str(path))
    assert not problems, problems
    from curator.model import Testimonial

    version = content_version(Testimonial.from_dict(data))
    path.write_text(re.sub(r"(?m)^(  version: ).*$", lambda m: m.group(1) + version, text, count=1), "utf-8")
