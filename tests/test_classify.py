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
from curator.evaluation import evaluate, load_rated, load_samples, measure_candidates, report_markdown
from curator.model import KINDS, UNRATED, WALL_KINDS

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


# --- messages to a brand (sentences written for these tests, in the style of real mentions) ------

@pytest.mark.parametrize("text, kind", [
    ("@bolt thank you so much, the new saddle is perfect!", "praise"),
    ("@bolt thanks a ton for the quick fix!", "happy"),
    ("@bolt thank you.", "happy"),  # a bare thank-you is a happy customer
    ("@bolt thanks. Will do.", "skeptic"),  # closing a support exchange is courtesy, not a testimonial
    ("@bolt thanks for the reply, I emailed support about the order", "skeptic"),  # calm: courtesy
    ("@bolt please help, my order never arrived", "question"),  # VADER alone: +0.69
    ("@bolt hoping you can refund the second charge", "complaint"),
    ("@bolt would be great if the app remembered my size", "question"),
    ("@bolt great bikes, but the shop staff was rude to my son", "skeptic"),
    ("@bolt nice frame, shame about the brakes", "complaint"),
    ("@bolt I don't think the new app is as good as the old one!", "skeptic"),
    ("@bolt lol another week without my bike", "skeptic"),  # laughter at the brand is no joke
    ("@bolt stuck at the store for 2 hours, thanks!", "complaint"),
    ("@bolt waited 40 min on the chat, great service :(", "complaint"),
    ("@bolt staff was less than helpful today!", "skeptic"),
    ("@bolt checkout is down again!", "complaint"),
    ("@bolt please thank Sam at the Leeds store for us, fantastic fitting!", "praise"),
])
def test_rules_on_messages_to_a_brand(text, kind):
    assert classify.classify(text, "en").kind == kind


# Business, not a testimonial (issue 19): patterns found in the tuned brands' wrong candidates, in
# sentences written for these tests. Each was a wall candidate before its rule.
@pytest.mark.parametrize("text, kind", [
    ("@bolt save me a red one for Saturday!", "question"),  # a request in the imperative
    ("@bolt great news! Now get me on the waiting list :)", "question"),
    ("@bolt hey, can you follow us back so we can send the details :)", "question"),
    ("@bolt I DMed you :)", "skeptic"),  # a support step whose only warmth is a smiley
    ("@bolt order #4821 from 3/14. Thx", "skeptic"),  # details handed over with a calm thank-you
    ("@bolt case 2093117, thanks.", "skeptic"),
    ("@bolt opens its best store yet in Leeds! https://bolt.example/news", "skeptic"),  # a headline
    ("@bolt thank you for losing my order", "complaint"),  # thanks for a failure
    ("@bolt thanks for the update that changes nothing...", "complaint"),  # a thank-you trailing off
    ("@bolt lmao", "skeptic"),  # laughter alone is not positive: VADER scored it +0.6
    ("@bolt 😂😂", "skeptic"),
    ("“@bolt: Happy to help, have a wonderful ride! ^JS” ok", "skeptic"),  # the brand's words, quoted
    ("RT @bolt: Our best bike ever is here, and we love it!", "skeptic"),
    ("@bolt my fav new Super Bowl ad is a bike ad", "happy"),  # still happy for its own words
    ("Saw the bike ad in the Super Bowl break", "skeptic"),  # "super" in a name is no praise
    ("Switched our team to @acme last week 🚀 onboarding took 10 minutes.", "happy"),  # a quick start
])
def test_business_is_not_a_testimonial(text, kind):
    assert classify.classify(text, "en").kind == kind


def test_a_quoted_reply_keeps_the_authors_own_words():
    quoted = "Thank you so much! “@bolt: @ann We found your parcel, sorry for the wait. ^JS”"
    assert classify.classify(quoted, "en").kind == "happy"  # the brand's "sorry for the wait" is not a complaint
    assert classify.sentiment("“@bolt: @ann Have a wonderful day! ^JS”") == 0.0


def test_handles_links_and_the_brand_name_are_not_words():
    assert classify.sentiment("@united @bestbuy") == 0.0  # VADER alone scores "@united" +0.42
    assert classify.classify("https://t.co/LoLuWfCi11 @lolcats").kind not in WALL_KINDS
    order = "my happy socks order arrived today."
    assert classify.classify(order).kind == "happy"  # without the brand, its name reads as joy
    assert classify.classify(order, brand="Happy Socks").kind == "skeptic"
    assert classify.sentiment(order, brand="happy socks") == 0.0
    # Capitalised mid-sentence, it reads as a name without being told: a name never makes praise.
    assert classify.classify("My Happy Socks order arrived today.").kind == "skeptic"


@pytest.mark.parametrize("text, lang", [
    ("素晴らしい自転車です", "ja"),  # a language without cues, whatever it says
    ("素晴らしい自転車です", None),  # an unknown language in a script the rules cannot read
    ("Отличный велосипед, спасибо", None),
    ("Chegou ontem", "pt"),  # a language with cues, but no cue matched
])
def test_a_post_the_rules_cannot_read_is_unrated_never_negative(text, lang):
    result = classify.classify(text, lang)
    assert result.kind == UNRATED and "a person decides" in result.reason


# --- the ratings format of real customer posts --------------------------------------------------

RATINGS = """label\tconfidence\tbrand\ttext
positive\t1\tBolt\t@bolt thank you so much, the new saddle is perfect!
positive\t0.6\tBolt\t@bolt thanks. Will do.
negative\t1\tBolt\t@bolt great bikes, but the shop staff was rude &amp; slow
neutral\t0.7\tKite\t@kite does the kite come in blue?
positive\t1\tKite\t@kite best kite ever, my kids love it!
negative\t0.9\tKite\t@kite 3 weeks &amp; still waiting. Great service, thanks!
"""


def test_ratings_are_scored_as_wall_candidates_per_brand_beside_plain_vader(tmp_path):
    labelled = tmp_path / "rated.tsv"
    labelled.write_text(RATINGS, "utf-8")
    posts = load_rated(labelled)
    assert posts[2].text.endswith("rude & slow"), "X's HTML escapes are decoded"
    scores = {score.name: score for score in measure_candidates(posts)}
    assert list(scores) == ["curator, all posts", "curator, Bolt", "curator, Kite", "plain VADER ≥ 0.5, all posts"]
    everyone = scores["curator, all posts"]
    assert (everyone.candidates, everyone.positive, everyone.negative, everyone.clear, everyone.clear_found) == (2, 2, 0, 2, 2)
    assert scores["plain VADER ≥ 0.5, all posts"].negative == 1  # "Great service, thanks!" after 3 weeks


def test_unrated_posts_get_a_row_of_their_own(tmp_path):
    labelled = tmp_path / "kinds.tsv"
    labelled.write_text("\ufeffkind\tlang\ttext\npraise\tja\t最高の自転車です\nquestion\ten\tDoes it fold?\n", "utf-8")
    table = report_markdown(evaluate(load_samples(labelled)))
    assert "| unrated | | 1 | | | |" in table and "| question | 1 | 1 | 1 | 1.00 | 1.00 |" in table


def test_cli_evaluate_reads_the_ratings_format(tmp_path):
    labelled = tmp_path / "rated.tsv"
    labelled.write_text(RATINGS.replace("\tbrand\t", "\tairline\t"), "utf-8")
    result = CliRunner().invoke(cli, ["classify", "--evaluate", str(labelled)])
    assert result.exit_code == 0, result.output
    assert "| curator, Bolt | 3 | 1 | 1.000 | 0.0% | 1.000 (1/1) |" in result.output


@pytest.mark.parametrize("content, line, message", [
    ("label\tconfidence\ttext\nglowing\t1\tnice\n", 2, "label 'glowing' is not one of positive, neutral, negative"),
    ("label\tconfidence\ttext\npositive\thigh\tnice\n", 2, "confidence 'high' is not a number"),
    ("label\tconfidence\ttext\n# a comment\npositive\t1.5\tnice\n", 3, "confidence 1.5 is not between 0 and 1"),
    ("label\tconfidence\ttext\npositive\t1\n", 2, "expected 3 tab-separated cells, got 2"),
    ("label\ttext\npositive\tnice\n", 1, "header lacks column(s): confidence"),
    ("sentiment\ttext\n", 1, "unknown header: expected 'kind, lang, text' or 'label, confidence, [brand,] text' (tab-separated)"),
])
def test_cli_evaluate_reports_a_bad_file_as_file_line_message(tmp_path, content, line, message):
    bad = tmp_path / "bad.tsv"
    bad.write_text(content, "utf-8")
    result = CliRunner().invoke(cli, ["classify", "--evaluate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{bad}:{line}: {message}"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content, message", [(b"", "empty file: expected a header row"),
                                              (b"label\tconfidence\ttext\n\xff\n", "not UTF-8 text (byte 22)")])
def test_cli_evaluate_reports_an_unreadable_file_by_name(tmp_path, content, message):
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(content)
    result = CliRunner().invoke(cli, ["classify", "--evaluate", str(bad)])
    assert result.exit_code == 1 and result.output.splitlines()[0] == f"{bad}: {message}"
