"""Classification: the labelled set, the 0.95 floor for praise ∪ happy, the published table, the CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from curator import classify
from curator.cli import cli
from curator.errors import InvalidData
from curator.evaluation import evaluate, load_samples, report_markdown
from curator.model import KINDS, WALL_KINDS

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "labelled_posts.tsv"


@pytest.fixture(scope="module")
def samples():
    return load_samples(LABELLED)


@pytest.fixture(scope="module")
def evaluation(samples):
    return evaluate(samples)


def test_labelled_set_has_30_posts_per_kind_and_the_hard_cases(samples):
    counts = {kind: sum(s.kind == kind for s in samples) for kind in KINDS}
    assert all(count >= 30 for count in counts.values()), counts
    assert len({s.text for s in samples}) == len(samples), "duplicate posts in the labelled set"
    emoji_only = [s for s in samples if not re.search(r"\w", s.text)]
    all_caps = [s for s in samples if re.search(r"[A-Z]{3}", s.text) and s.text == s.text.upper()]
    foreign = [s for s in samples if s.lang not in (None, "en")]
    assert len(emoji_only) >= 8 and len(all_caps) >= 5 and len(foreign) >= 20


def test_precision_of_praise_and_happy_is_at_least_095(evaluation):
    wrong = [(s.kind, s.text) for s, got in evaluation.errors if got.kind in ("praise", "happy")]
    assert evaluation.wall_precision >= 0.95, wrong


def test_no_negative_post_of_the_set_becomes_a_wall_candidate(evaluation):
    negative = ("complaint", "crisis", "yikes")
    leaked = [(s.kind, got.kind, s.text) for s, got in evaluation.errors if s.kind in negative and got.kind in WALL_KINDS]
    assert not leaked


def test_every_kind_is_found_and_the_overall_accuracy_holds(evaluation):
    for kind, score in evaluation.kinds.items():
        assert score.recall >= 0.5, (kind, score)
    assert evaluation.accuracy >= 0.85


def test_published_table_matches_the_rules(evaluation):
    page = (ROOT / "docs" / "classification.md").read_text("utf-8")
    table = page.split("<!-- table:", 1)[1].split("-->", 1)[1].split("<!-- end table -->", 1)[0]
    assert table.strip() == report_markdown(evaluation).strip(), "run `curator classify --evaluate` and update docs"


@pytest.mark.parametrize("text, lang, kind", [
    ("Great, another outage from acme. Thanks a lot 🙄", "en", "complaint"),  # VADER says +0.79
    ("I can't recommend this team enough, flawless!", "en", "praise"),  # VADER says negative
    ("this is not good at all", "en", "complaint"),
    ("How do I reset my password?", "en", "question"),
    ("Nice demo but I'll wait for the reviews", "en", "skeptic"),
    ("Wunderbar, wirklich", "de", "unrated"),  # no cue in the lexicon: a person decides, never happy
    ("😡😡", None, "complaint"),
    ("🙏🙂", None, "happy"),
    ("lmao my dog loves the box more than the product", "en", "humor"),
    # Written after the rules, as a check on over-fitting; the first three were wall candidates
    # before the "hours to load", "just to see" and "cancelling" cues were added.
    ("Wow, Acme really outdid themselves this time. Three hours to load a page. Impressive.", "en", "complaint"),
    ("So glad I paid for Acme premium just to see more ads", "en", "complaint"),
    ("Best decision ever: cancelling Acme", "en", "complaint"),
    ("Can't wait to cancel Acme", "en", "complaint"),
    ("Acme never disappoints 😍", "en", "praise"),
    ("Acme is the best at wasting my time", "en", "skeptic"),
])
def test_rules_on_new_sentences(text, lang, kind):
    assert classify.classify(text, lang).kind == kind


def test_sentiment_is_in_range_and_kind_is_known():
    for text in ("", "   ", "!!!", "ok", "THE WORST 😡😡😡😡", "BEST EVER 🤩🤩🤩🤩🤩"):
        result = classify.classify(text)
        assert result.kind in KINDS and -1.0 <= result.sentiment <= 1.0


def test_bad_labelled_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("kind\tlang\ttext\nglowing\ten\tnice\n", "utf-8")
    with pytest.raises(InvalidData) as raised:
        load_samples(bad)
    assert [str(problem) for problem in raised.value.problems] == [f"{bad}:2: needs a kind ({', '.join(KINDS)}) and a text"]


def test_cli_text_stdin_and_json():
    runner = CliRunner()
    one = runner.invoke(cli, ["classify", "Does Acme work on Linux?"])
    assert one.exit_code == 0 and one.output.startswith("question\t")
    many = runner.invoke(cli, ["classify", "--json", "-"], input="I love Acme, best tool ever!\n\nAcme is broken again\n")
    rows = [json.loads(line) for line in many.output.splitlines()]
    assert [row["kind"] for row in rows] == ["praise", "complaint"]
    assert all(set(row) >= {"kind", "sentiment"} for row in rows)


def test_cli_evaluate_prints_the_table():
    result = CliRunner().invoke(cli, ["classify", "--evaluate", str(LABELLED)])
    assert result.exit_code == 0 and "| praise | 30 |" in result.output
