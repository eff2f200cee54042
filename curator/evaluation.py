"""Measure the classifier on a labelled TSV file (``curator classify --evaluate FILE``).

Two formats, told apart by the header row:

- **kinds** (``kind, lang, text``): posts labelled with one of the eight kinds, such as the
  project's invented set ``tests/data/labelled_posts.tsv``. Reported per kind.
- **ratings** (``label, confidence, [brand or airline,] text``): real posts rated ``positive``,
  ``neutral`` or ``negative`` by people, with their agreement as ``confidence`` (the format of
  public sets of customer-care tweets: see docs/classification.md). Reported as what matters for a wall: of
  the posts called praise, happy or humor (*candidates*), how many are positive (precision) and
  negative (a complaint on the wall), and how many clearly positive posts are found (recall).

Bad rows are reported all at once, each as ``file:line: message`` (exit 1 in the CLI).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from . import classify
from .errors import InvalidData, Problem
from .model import KINDS, UNRATED, WALL_KINDS

RATINGS = ("positive", "neutral", "negative")
CLEAR = 0.99  # confidence at or above which a rating counts as clear (nearly all raters agreed)
PLAIN_VADER = 0.5  # the baseline: a candidate is any post VADER alone scores at least this


# --- reading a labelled file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    lang: str | None
    text: str


@dataclass(frozen=True)
class RatedPost:
    label: str  # positive | neutral | negative
    confidence: float  # share of raters who agreed, 0-1
    brand: str  # the brand's name, whom the post is about ("" when the file has no such column)
    text: str


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a TSV file; blank and ``#`` lines are skipped."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidData([Problem(str(path), 0, "", f"not UTF-8 text (byte {err.start})")]) from None
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    if not lines:
        raise InvalidData([Problem(str(path), 0, "", "empty file: expected a header row")])
    (_, header), body = lines[0], lines[1:]
    columns = [name.strip().lower() for name in header.split("\t")]
    # The text is the last column and may itself hold a tab: split only as often as there are columns.
    return columns, [(number, line.split("\t", len(columns) - 1)) for number, line in body]


def load(path: Path | str) -> tuple[str, list[Sample] | list[RatedPost]]:
    """("kinds", samples) or ("ratings", rated posts), by the file's header."""
    columns, rows = _rows(Path(path))
    if columns[:1] == ["kind"]:
        return "kinds", _parse(path, columns, rows, ("kind", "lang", "text"), _sample)
    if columns[:1] == ["label"]:
        return "ratings", _parse(path, columns, rows, ("label", "confidence", "text"), _rated_post)
    raise InvalidData(
        [
            Problem(
                str(path),
                1,
                "",
                "unknown header: expected 'kind, lang, text' or 'label, confidence, [brand,] text' (tab-separated)",
            )
        ]
    )


def load_samples(path: Path | str) -> list[Sample]:
    """A file of the kinds format (``kind, lang, text``); ``-`` for an unknown language."""
    return _expect(path, "kinds")


def load_rated(path: Path | str) -> list[RatedPost]:
    """A file of the ratings format (``label, confidence, [brand or airline,] text``)."""
    return _expect(path, "ratings")


def _expect(path: Path | str, wanted: str) -> list:
    found, items = load(path)
    if found != wanted:
        raise InvalidData([Problem(str(path), 1, "", f"expected a file of {wanted}, found {found}")])
    return items


def _parse(path, columns: list[str], rows, required: tuple[str, ...], make: Callable[[dict], object]) -> list:
    if missing := [name for name in required if name not in columns]:
        raise InvalidData([Problem(str(path), 1, "", f"header lacks column(s): {', '.join(missing)}")])
    items, problems = [], []
    for number, cells in rows:
        if len(cells) != len(columns):
            problems.append(
                Problem(str(path), number, "", f"expected {len(columns)} tab-separated cells, got {len(cells)}")
            )
            continue
        try:
            items.append(make(dict(zip(columns, cells, strict=True))))
        except ValueError as err:
            problems.append(Problem(str(path), number, "", str(err)))
    if problems:
        raise InvalidData(problems)
    return items


def _sample(row: dict) -> Sample:
    if row["kind"] not in KINDS or not row["text"].strip():
        raise ValueError(f"needs a kind ({', '.join(KINDS)}) and a text")
    return Sample(row["kind"], None if row["lang"] in ("", "-") else row["lang"], row["text"])


def _rated_post(row: dict) -> RatedPost:
    if row["label"] not in RATINGS:
        raise ValueError(f"label {row['label']!r} is not one of {', '.join(RATINGS)}")
    try:
        confidence = float(row["confidence"])
    except ValueError:
        raise ValueError(f"confidence {row['confidence']!r} is not a number") from None
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"confidence {confidence} is not between 0 and 1")
    if not row["text"].strip():
        raise ValueError("empty text")
    # Posts exported from X keep its HTML escapes (&amp; &lt; &gt;); curator's sources decode them.
    return RatedPost(row["label"], confidence, row.get("brand", row.get("airline", "")), html.unescape(row["text"]))


# --- the kinds format: precision and recall per kind ----------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class KindScore:
    kind: str
    support: int = 0  # posts labelled with this kind
    predicted: int = 0  # posts the rules put in this kind
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return _share(self.correct, self.predicted)

    @property
    def recall(self) -> float | None:
        return _share(self.correct, self.support)


@dataclass
class Evaluation:
    kinds: dict[str, KindScore]
    wall_precision: float | None  # precision of praise ∪ happy: how often a "yes" is a true yes
    errors: list[tuple[Sample, classify.Classification]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(score.support for score in self.kinds.values())

    @property
    def accuracy(self) -> float:
        return sum(score.correct for score in self.kinds.values()) / self.total if self.total else 0.0


def evaluate(samples: Iterable[Sample], positive: tuple[str, ...] = ("praise", "happy")) -> Evaluation:
    kinds = {kind: KindScore(kind) for kind in KINDS}
    errors = []
    said_positive = true_positive = 0
    for sample in samples:
        got = classify.classify(sample.text, sample.lang)
        kinds[sample.kind].support += 1
        if got.kind in kinds:
            kinds[got.kind].predicted += 1
        if got.kind == sample.kind:
            kinds[got.kind].correct += 1
        else:
            errors.append((sample, got))
        if got.kind in positive:
            said_positive += 1
            true_positive += sample.kind in positive
    return Evaluation(kinds, _share(true_positive, said_positive), errors)


def _figure(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def report_markdown(evaluation: Evaluation) -> str:
    """The per-kind table published in docs/classification.md."""
    rows = ["| kind | posts | predicted | correct | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for score in evaluation.kinds.values():
        rows.append(
            f"| {score.kind} | {score.support} | {score.predicted} | {score.correct} | "
            f"{_figure(score.precision)} | {_figure(score.recall)} |"
        )
    unrated = sum(got.kind == UNRATED for _, got in evaluation.errors)
    if unrated:
        rows.append(f"| {UNRATED} | | {unrated} | | | |")
    rows.append("")
    rows.append(
        f"Precision of praise ∪ happy (wall candidates a human sees first): "
        f"**{_figure(evaluation.wall_precision)}**; overall accuracy {evaluation.accuracy:.2f} "
        f"on {evaluation.total} posts."
    )
    return "\n".join(rows) + "\n"


# --- the ratings format: what would reach the list of wall candidates -----------------------------


@dataclass(frozen=True)
class CandidateScore:
    name: str  # what was measured: "curator, all brands", "curator, Delta", "plain VADER ≥ 0.5, ..."
    posts: int
    candidates: int  # posts called praise, happy or humor
    positive: int  # candidates rated positive
    negative: int  # candidates rated negative: complaints that would reach the wall's inbox list
    clear: int  # posts rated positive with confidence ≥ CLEAR
    clear_found: int  # of those, how many are candidates

    @property
    def precision(self) -> float | None:
        return _share(self.positive, self.candidates)

    @property
    def negatives(self) -> float | None:
        return _share(self.negative, self.candidates)

    @property
    def recall(self) -> float | None:
        return _share(self.clear_found, self.clear)


def score_candidates(name: str, posts: list[RatedPost], is_candidate: Callable[[RatedPost], bool]) -> CandidateScore:
    chosen = [is_candidate(post) for post in posts]
    clear = [post.label == "positive" and post.confidence >= CLEAR for post in posts]
    return CandidateScore(
        name,
        len(posts),
        sum(chosen),
        positive=sum(c and post.label == "positive" for c, post in zip(chosen, posts, strict=True)),
        negative=sum(c and post.label == "negative" for c, post in zip(chosen, posts, strict=True)),
        clear=sum(clear),
        clear_found=sum(c and k for c, k in zip(chosen, clear, strict=True)),
    )


def is_wall_candidate(post: RatedPost) -> bool:
    return classify.classify(post.text, brand=post.brand).kind in WALL_KINDS


@lru_cache(maxsize=1)
def _plain_vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def is_plain_vader_candidate(post: RatedPost) -> bool:
    """The baseline the rules must beat: VADER's compound score alone, on the text as posted."""
    return _plain_vader().polarity_scores(post.text)["compound"] >= PLAIN_VADER


def measure_candidates(posts: list[RatedPost]) -> list[CandidateScore]:
    """curator on all posts and per brand, then plain VADER on all posts, for comparison."""
    brands = sorted({post.brand for post in posts if post.brand})
    scores = [score_candidates("curator, all posts", posts, is_wall_candidate)]
    scores += [
        score_candidates(f"curator, {brand}", [p for p in posts if p.brand == brand], is_wall_candidate)
        for brand in brands
    ]
    scores.append(score_candidates(f"plain VADER ≥ {PLAIN_VADER}, all posts", posts, is_plain_vader_candidate))
    return scores


def candidates_markdown(scores: list[CandidateScore]) -> str:
    rows = [
        "| measured | posts | candidates | precision | negatives | recall of clear positives |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for score in scores:
        negatives = "n/a" if score.negatives is None else f"{score.negatives:.1%}"
        rows.append(
            f"| {score.name} | {score.posts} | {score.candidates} | {_figure(score.precision, 3)} | "
            f"{negatives} | {_figure(score.recall, 3)} ({score.clear_found}/{score.clear}) |"
        )
    rows.append("")
    rows.append(
        "A candidate is a post called praise, happy or humor. Precision: share of candidates rated "
        "positive; negatives: share rated negative; recall: share of the posts rated positive with "
        f"confidence ≥ {CLEAR} that are candidates."
    )
    return "\n".join(rows) + "\n"


def report(path: Path | str) -> str:
    """The Markdown report for a labelled file of either format."""
    found, items = load(path)
    if found == "ratings":
        return candidates_markdown(measure_candidates(cast(list[RatedPost], items)))
    return report_markdown(evaluate(cast(list[Sample], items)))
