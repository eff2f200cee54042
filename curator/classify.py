"""Sort a mention into one of the eight kinds, conservatively.

A sentiment score alone cannot tell praise from sarcasm ("Great, another outage. Thanks a lot
🙄" scores +0.79) or a question from a compliment, so the kind comes from rules over lexicons
of *cues* (words, phrases and emoji that signal a kind), checked in order from the most
harmful kind to the least:

1. **yikes**: abuse, insults, profanity aimed at people, threats.
2. **crisis**: an alarm cue (fraud, breach, lawyer, boycott, safety ...), or a call to go
   public (share, everyone, press ...) on top of an angry post.
3. **complaint**: a product or service failure, a negative emoji, or a sarcasm marker.
4. **humor**: laughter cues (lol, haha, 😂 ...).
5. **skeptic**: doubt, hedging, hype talk, scare quotes, or a "but" whose second half is not
   positive.
6. **question**: a question mark or an interrogative opening.
7. **praise / happy**: positive evidence (VADER compound ≥ 0.5 for English; a positive cue
   in other languages, where VADER's English lexicon does not apply) and no cue above.
   Praise also needs an over-the-top cue (superlative, "life-changing", 🤩 ...).
8. Anything left is lukewarm or unclear: **complaint** when the score is negative, else
   **skeptic**. Unsure never becomes praise or happy: a complaint on the wall is the worst
   failure this product can have, a missed compliment costs little.

The sentiment reported is VADER's compound score (``vaderSentiment`` ships its lexicon, nothing
downloads), with a handful of emoji re-described the way social media uses them.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .model import KINDS, WALL_KINDS

POSITIVE_THRESHOLD = 0.5  # VADER's README calls >= 0.05 positive; we want clearly positive
PRAISE_THRESHOLD = 0.6
NEGATIVE_THRESHOLD = -0.05
ANGRY_THRESHOLD = -0.5  # how negative a post must be for a "share this" cue to make it a crisis

# VADER replaces each emoji by its Unicode description and scores the words: 🔥 becomes "fire"
# (negative) and 👍 "thumbs up" (neutral), the opposite of how they are used in posts.
EMOJI_MEANINGS = {
    "🔥": "excellent", "💯": "perfect", "👍": "good", "👏": "bravo", "🙌": "great", "✨": "lovely",
    "👎": "bad", "😡": "angry", "😠": "angry", "🤬": "furious", "🖕": "fuck you", "🙄": "annoyed",
    "🤔": "doubt", "🤨": "doubt", "😞": "sad", "💩": "crap",
}


def _words(*patterns: str) -> re.Pattern:
    """Case-insensitive regex of word/phrase cues, each bounded by non-letters."""
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)


def _chars(symbols: str) -> re.Pattern:
    return re.compile("[" + re.escape(symbols) + "]")


# Abuse: insults for people, profanity aimed at someone, threats (en, es, fr, de, pt).
ABUSE = _words(
    r"idiot(s|a|as|en)?", r"vollidiot\w*", r"morons?", r"imbeciles?", r"brainless", r"stupid", r"dumb(est)?",
    r"clowns?", r"losers?", r"jerks?", r"scum", r"piece of (trash|garbage|shit)", r"garbage people",
    r"creeps?", r"pathetic", r"worthless", r"crooks?", r"cr[ée]tins?", r"connards?", r"pendejos?", r"arschl[öo]ch\w*",
    r"f[u*]ck(ing)?( you| off)?", r"f\*+( you)?", r"screw you", r"stfu", r"shut (the hell |the fuck )?up",
    r"go (die|to hell)", r"die in a fire", r"eat dirt", r"so do you",
    r"what'?s coming to (them|you)", r"i('ll| will) find (you|the|who)", r"watch your back",
)
ABUSE_EMOJI = _chars("🖕🤬🤡")

# Crisis: words that mean legal, safety, security or reputational alarm on their own ...
ALARM = _words(
    r"boycott\w*", r"boicot\w*", r"lawyers?", r"lawsuit", r"sue", r"suing", r"class action", r"fraud\w*",
    r"scam\w*", r"estafa", r"arnaque", r"betrug", r"breach(ed)?", r"leak(ed|s)?", r"hacked", r"stole(n)?",
    r"stealing", r"recall\w*", r"regulators?", r"ftc", r"bbb", r"journalists?", r"safety", r"dangerous",
    r"endanger\w*", r"caught fire", r"greenwash\w*", r"scandal\w*", r"skandal", r"disgrace\w*", r"shameful",
    r"discriminat\w*", r"exposed", r"at risk", r"security (hole|flaw)", r"vulnerabilit\w*",
    r"donn[ée]es personnelles", r"#cancel\w+",
)
# ... and calls to make it public, which are a crisis only on an angry post.
AMPLIFY = _words(
    r"everyone", r"everybody", r"spread the word", r"share", r"sharing", r"rt", r"warn(ing)? (to|others|everyone|all)", r"be warned", r"press",
    r"media", r"going public", r"all of us", r"thread", r"viral", r"partagez", r"compartan", r"avisar",
    r"teilen",
)
AMPLIFY_EMOJI = _chars("🧵🚨")

# Complaint: failures of the product or the service (en, es, fr, de, pt).
COMPLAINT = _words(
    r"broken", r"crash(es|ing|ed)?", r"bugs?", r"buggy", r"refunds?", r"charged", r"overcharg\w*", r"outages?",
    r"not working", r"(does|did|do)( not|n'?t) work", r"never works?", r"won'?t (load|work|open|refund)",
    r"stopped working", r"(can'?t|cannot|can not) (log ?in|find|access|open)", r"late", r"damaged", r"still waiting", r"waiting (for|since) (my|our)",
    r"on hold", r"lost (all )?(my|our)", r"delet(ed|ing) (my|our)", r"wiped", r"wrong", r"useless",
    r"disappoint\w*", r"worst", r"slow", r"expensive", r"removed", r"cancell?ed my", r"unreadable",
    r"no (reply|response|answer)", r"nobody (answers|replies)", r"closed my ticket", r"annoying", r"frustrat\w*",
    r"terrible", r"awful", r"horrible", r"logs me out", r"do better", r"bring back", r"not happy",
    r"unacceptable", r"sucks?", r"cancell?(ing|ed)?", r"unsubscrib\w*", r"ads", r"spam\w*",
    r"(hours|days|weeks|ages|forever) (to|for) (load|reply|respond|answer|arrive|ship|get)", r"no funciona", r"desastre", r"reembolso", r"ne marche", r"marche plus",
    r"nul", r"en panne", r"funktioniert nicht", r"nicht mehr", r"[äa]rgerlich", r"kaputt", r"n[ãa]o funciona",
)
NEGATIVE_EMOJI = _chars("😡😠👎😞😤😒😩😫💔💩")

# Sarcasm: markers that flip a positive-sounding sentence ("Just perfect. /s").
SARCASM = _words(
    r"/s", r"yeah,? right", r"thanks a lot", r"just perfect", r"oh (great|wonderful|perfect|good)",
    r"great,? another", r"love how", r"just to (see|get|wait|be|find|watch)", r"super helpful\.", r"thanks for nothing", r"as if",
)
SARCASM_EMOJI = _chars("🙄🙃")

# Humor: laughter in several languages (jaja = es, mdr = fr, kkkk = pt).
LAUGHTER = _words(r"lol\w*", r"lmf?ao", r"rofl", r"(ha){2,}h?", r"(he){2,}", r"(ja){2,}", r"mdr", r"k{4,}",
                  r"made me laugh", r"plot twist")
LAUGHTER_EMOJI = _chars("😂🤣😆😹")

# Skeptic: doubt, hedging, hype talk.
DOUBT = _words(
    r"not (convinced|sure|impressed)", r"unconvinced", r"pas convaincue?", r"too \w+ to be (true|real)",
    r"we'?ll see", r"no s[ée] si", r"meh", r"believe (it|\w+ \w+ \w+) when", r"overrated", r"hyp(e|ed|ing)",
    r"really\?", r"doubt\w*", r"s[ck]eptic\w*", r"skeptisch", r"jury'?s (still )?out", r"hmm+",
    r"don'?t (really )?(get|understand|see) (why|what|the point)", r"what the fuss", r"cherry-?picked",
    r"real reviews", r"mixed feelings", r"idk", r"probably just", r"vale la pena", r"worth (it|the \w+)\??",
    r"claims?", r"so did", r"wondering if", r"i guess", r"kinda", r"sort of", r"marketing",
)
DOUBT_EMOJI = _chars("🤔🤨😐😑🤷")
SCARE_QUOTES = re.compile(r"[\"“][^\"”]{2,40}[\"”]")
CONTRAST = re.compile(r"(?<!\w)(but|however|though|pero|mais|aber)(?!\w)", re.IGNORECASE)

QUESTION_OPENER = _words(
    r"^(how|what|when|where|why|who|which|does|do|did|is|are|can|could|will|would|should|any|anyone|anybody"
    r"|quick question)(?=[\s:,])(?! (a|an|confirm)\b)",
)
QUESTION_MARK = re.compile(r"[?¿]")

# Praise: the over-the-top cues.
SUPERLATIVE = _words(
    r"best", r"amazing", r"incredible", r"awesome", r"fantastic", r"phenomenal", r"outstanding", r"brilliant",
    r"legendary", r"perfect(ly)?", r"flawless", r"genius", r"masterpiece", r"obsessed", r"life-?changing",
    r"game ?changer", r"wow", r"10/10", r"heroe?s?", r"superb", r"exceptional", r"stunning", r"gorgeous",
    r"wonderful", r"love", r"in love", r"ever", r"you rock", r"nailed it", r"bravo", r"hands down",
    r"chef'?s kiss", r"made my (whole )?(day|week|year)", r"(five|5|11) stars", r"thank you thank you",
    r"incre[íi]ble", r"incr[íi]vel", r"el mejor", r"la mejor", r"o melhor", r"g[ée]nial", r"meilleure?",
    r"fantastisch", r"beste", r"gro[ßs]artig", r"[üu]berhaupt", r"perfecto", r"parfait", r"perfeito",
)
SUPERLATIVE_EMOJI = _chars("🤩😍💯🥰🙌✨👏😘💖⭐🏆❤🔥")
# Positive idioms VADER reads as negative because of the negation inside them.
POSITIVE_IDIOM = _words(
    r"can'?t recommend \S+( \S+)? enough", r"can'?t say enough good", r"couldn'?t be happier",
    r"can'?t believe how good", r"not a single (complaint|problem|issue)", r"no (complaints|problems)",
    r"can'?t wait", r"never (disappoints|fails to impress|lets (me|us) down)", r"can'?t go wrong",
)
# Positive cues for languages VADER does not read (es, fr, de, pt); English relies on VADER.
FOREIGN_POSITIVE = _words(
    r"me encanta", r"me gusta", r"genial", r"excelente", r"funciona bien", r"gracias", r"incre[íi]ble",
    r"j'adore", r"contente?", r"[çc]a marche bien", r"merci", r"super", r"zufrieden", r"l[äa]uft gut", r"toll",
    r"danke", r"adoro", r"[óo]timo", r"obrigad[oa]", r"g[ée]nial", r"fantastisch", r"incr[íi]vel",
    r"el mejor", r"o melhor", r"meilleure?", r"beste",
)
FOREIGN_NEGATION = _words(r"no", r"pas", r"nicht", r"kein\w*", r"n[ãa]o", r"ni", r"ne")
POSITIVE_EMOJI = _chars("🙂😊😀😃😄😁👍🙏🥰😍🤩💯🙌✨👏❤💖⭐🔥")


@dataclass(frozen=True)
class Classification:
    kind: str  # one of curator.model.KINDS
    sentiment: float  # VADER compound score in [-1, 1]
    reason: str = ""  # which rule decided, for reviewers

    @property
    def wall_candidate(self) -> bool:
        return self.kind in WALL_KINDS


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.emojis = {**analyzer.emojis, **EMOJI_MEANINGS}
    return analyzer


def sentiment(text: str) -> float:
    """VADER compound score, rounded so stored values are stable across platforms."""
    return round(_analyzer().polarity_scores(text)["compound"], 4)


def _is_english(lang: str | None) -> bool:
    """Unknown language counts as English: VADER is the only scorer we have."""
    return not lang or lang.lower().split("-")[0] in ("en", "und")


def _found(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


def _first(text: str, *patterns: re.Pattern) -> str | None:
    for pattern in patterns:
        hit = _found(pattern, text)
        if hit:
            return hit
    return None


def _weak_ending(text: str) -> str | None:
    """'Looks nice but demos don't ship': a contrast whose second half is not positive."""
    parts = CONTRAST.split(text)
    if len(parts) < 3:
        return None
    tail = parts[-1]
    return None if sentiment(tail) >= POSITIVE_THRESHOLD or _found(POSITIVE_IDIOM, tail) else CONTRAST.findall(text)[-1]


def _is_question(text: str) -> str | None:
    return _found(QUESTION_MARK, text) or _found(QUESTION_OPENER, text.strip())


def classify(text: str, lang: str | None = None) -> Classification:
    """Kind + VADER compound for one post; see the module docstring for the rules."""
    score = sentiment(text)

    def result(kind: str, why: str) -> Classification:
        return Classification(kind, score, why)

    if hit := _first(text, ABUSE, ABUSE_EMOJI):
        return result("yikes", f"abuse cue {hit!r}")
    text = POSITIVE_IDIOM.sub(" ", text) if (idiom := _found(POSITIVE_IDIOM, text)) else text  # "never disappoints"
    complaint = _first(text, COMPLAINT, NEGATIVE_EMOJI)
    sarcasm = _first(text, SARCASM, SARCASM_EMOJI)
    if hit := _found(ALARM, text):
        return result("crisis", f"alarm cue {hit!r}")
    amplify = _first(text, AMPLIFY, AMPLIFY_EMOJI)
    if amplify and (complaint or sarcasm or score <= ANGRY_THRESHOLD):
        return result("crisis", f"angry post with a call to go public {amplify!r}")
    if complaint or sarcasm:
        return result("complaint", f"complaint cue {complaint!r}" if complaint else f"sarcasm marker {sarcasm!r}")
    if (hit := _first(text, LAUGHTER, LAUGHTER_EMOJI)) and score > ANGRY_THRESHOLD:
        return result("humor", f"laughter cue {hit!r}")
    if hit := (_first(text, DOUBT, DOUBT_EMOJI, SCARE_QUOTES) or _weak_ending(text)):
        return result("skeptic", f"doubt cue {hit!r}")
    if hit := _is_question(text):
        return result("question", f"question cue {hit!r}")
    positive = f"positive idiom {idiom!r}" if idiom else _positive_evidence(text, lang, score)
    if positive:
        over_the_top = _first(text, SUPERLATIVE, SUPERLATIVE_EMOJI)
        if over_the_top and (score >= PRAISE_THRESHOLD or not positive.startswith("VADER")):
            return result("praise", f"{positive} and over-the-top cue {over_the_top!r}")
        return result("happy", positive)
    if score <= NEGATIVE_THRESHOLD:
        return result("complaint", f"negative score {score} without other cues")
    return result("skeptic", "not clearly positive; unsure is never praise or happy")


def _positive_evidence(text: str, lang: str | None, score: float) -> str | None:
    """Why the post is clearly positive, or None. Non-English text needs a positive cue."""
    if _is_english(lang) and score >= POSITIVE_THRESHOLD:
        return f"VADER {score}"
    if _is_english(lang) and not re.search(r"\w", text):
        # Emoji-only post: every symbol a positive emoji (VADER scores 🙂 but not all of them).
        symbols = [ch for ch in text if not ch.isspace() and ch not in "\ufe0f\u200d"]
        if len(symbols) >= 1 and all(POSITIVE_EMOJI.match(ch) for ch in symbols) and score > 0:
            return f"positive emoji only {''.join(symbols)!r}"
    if not _is_english(lang) and not _found(FOREIGN_NEGATION, text):
        if hit := _first(text, FOREIGN_POSITIVE):
            return f"positive cue {hit!r} ({lang})"
    return None


# --- measuring the rules on a labelled set -----------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    lang: str | None
    text: str


@dataclass
class KindScore:
    kind: str
    support: int = 0  # posts labelled with this kind
    predicted: int = 0  # posts the rules put in this kind
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.support if self.support else None


@dataclass
class Evaluation:
    kinds: dict[str, KindScore]
    wall_precision: float | None  # precision of praise ∪ happy: how often a "yes" is a true yes
    errors: list[tuple[Sample, Classification]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(score.support for score in self.kinds.values())

    @property
    def accuracy(self) -> float:
        return sum(score.correct for score in self.kinds.values()) / self.total if self.total else 0.0


def load_samples(path: Path | str) -> list[Sample]:
    """A labelled set: TSV with a header ``kind, lang, text``; ``#`` lines are comments."""
    lines = [line for line in Path(path).read_text("utf-8").splitlines() if line and not line.startswith("#")]
    samples = []
    for number, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
        if row.get("kind") not in KINDS or not row.get("text"):
            raise ValueError(f"{path}: row {number}: needs a kind ({', '.join(KINDS)}) and a text")
        samples.append(Sample(row["kind"], None if row.get("lang") in (None, "", "-") else row["lang"], row["text"]))
    return samples


def evaluate(samples: Iterable[Sample], positive: tuple[str, ...] = ("praise", "happy")) -> Evaluation:
    kinds = {kind: KindScore(kind) for kind in KINDS}
    errors = []
    said_positive = true_positive = 0
    for sample in samples:
        got = classify(sample.text, sample.lang)
        kinds[sample.kind].support += 1
        kinds[got.kind].predicted += 1
        if got.kind == sample.kind:
            kinds[got.kind].correct += 1
        else:
            errors.append((sample, got))
        if got.kind in positive:
            said_positive += 1
            true_positive += sample.kind in positive
    return Evaluation(kinds, true_positive / said_positive if said_positive else None, errors)


def report_markdown(evaluation: Evaluation) -> str:
    """The per-kind table published in docs/classification.md."""
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    rows = ["| kind | posts | predicted | correct | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for score in evaluation.kinds.values():
        rows.append(f"| {score.kind} | {score.support} | {score.predicted} | {score.correct} | "
                    f"{pct(score.precision)} | {pct(score.recall)} |")
    rows.append("")
    rows.append(f"Precision of praise ∪ happy (wall candidates a human sees first): "
                f"**{pct(evaluation.wall_precision)}**; overall accuracy {evaluation.accuracy:.2f} "
                f"on {evaluation.total} posts.")
    return "\n".join(rows) + "\n"
