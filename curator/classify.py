"""Sort a mention into one of the eight kinds, conservatively.

A sentiment score alone cannot tell praise from sarcasm ("Great, another outage. Thanks a lot
🙄" scores +0.79) or a question from a compliment, so the kind comes from rules over lexicons
of *cues* (words, phrases and emoji that signal a kind), checked in order from the most
harmful kind to the least. Handles and links are never cues, nor scored.

0. **unrated** (not a kind): a language the rules have no cues for; a person decides.
1. **yikes**: abuse, insults, profanity aimed at people, threats.
2. **crisis**: an alarm cue (fraud, breach, lawyer, boycott, safety ...), or a call to go
   public (share, everyone, press ...) on top of an angry post.
3. **complaint**: a product or service failure, a negative emoji, or a sarcasm marker (also
   thanks for a failure, and a thank-you that trails off).
4. **humor**: laughter cues (lol, haha, 😂 ...), except in a message to a brand (step 7).
5. **skeptic**: doubt, hedging, hype talk, scare quotes, or a "but" whose second half is not
   positive.
6. **question**: a question mark, an interrogative opening, or a request or wish ("please",
   "hoping you can", "get me on ...", "can you ..."); a "will do" closing a support exchange is
   skeptic.
7. **praise / happy**: positive evidence (VADER compound ≥ 0.45 or thanks for English; a
   positive cue in other languages, where VADER's English lexicon does not apply) and no cue
   above. Mixed (a negative word or a negation) is skeptic. Praise also needs an over-the-top
   cue (superlative, "life-changing", 🤩 ...). A message to a brand (it opens with a handle) is
   customer care: laughter in it is humor only here, and it must show some feeling, or be a
   bare "thank you", to be happy ("thanks for the update, I emailed you" is courtesy: skeptic).
   Business is skeptic: a news headline with its link, a support step or reference number whose
   only warmth is a smiley or a calm thanks.
8. Anything left is lukewarm or unclear: **unrated** if not English, **complaint** when the
   score is negative, else **skeptic**. Unsure never becomes praise or happy: a complaint on
   the wall is the worst failure this product can have, a missed compliment costs little.

The sentiment reported is VADER's compound score (``vaderSentiment`` ships its lexicon, nothing
downloads) of the author's words: without quoted posts, handles, links and the positive words of
names, with a handful of emoji re-described the way social media uses them, conversation words
("please", "sure") and laughter neutral, and a few missing words added. Measured on real
customer posts in docs/classification.md (``curator.evaluation``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .model import UNRATED

# English is read by VADER and the cues below, the others by their cues only ("und": undetermined).
READABLE_LANGUAGES = ("en", "und", "es", "fr", "de", "pt")
POSITIVE_THRESHOLD = 0.45  # VADER's README calls >= 0.05 positive; we want clearly positive
PRAISE_THRESHOLD = 0.6
NEGATIVE_THRESHOLD = -0.05
ANGRY_THRESHOLD = -0.5  # how negative a post must be for a "share this" cue to make it a crisis

# VADER replaces each emoji by its Unicode description and scores the words: 🔥 becomes "fire"
# (negative) and 👍 "thumbs up" (neutral), the opposite of how they are used in posts.
EMOJI_MEANINGS = {
    "🔥": "excellent",
    "💯": "perfect",
    "👍": "good",
    "👏": "bravo",
    "🙌": "great",
    "✨": "lovely",
    "👎": "bad",
    "😡": "angry",
    "😠": "angry",
    "🤬": "furious",
    "🖕": "fuck you",
    "🙄": "annoyed",
    "🤔": "doubt",
    "🤨": "doubt",
    "😞": "sad",
    "💩": "crap",
    # laughter is no praise: people laugh at a brand as often as with it (see _analyzer)
    "😂": "",
    "🤣": "",
    "😆": "",
    "😹": "",
}


def _words(*patterns: str) -> re.Pattern:
    """Case-insensitive regex of word/phrase cues, each bounded by non-letters."""
    return re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)


def _chars(symbols: str) -> re.Pattern:
    return re.compile("[" + re.escape(symbols) + "]")


# Abuse: insults for people, profanity aimed at someone, threats (en, es, fr, de, pt).
ABUSE = _words(
    r"idiot(s|a|as|en)?",
    r"vollidiot\w*",
    r"morons?",
    r"imbeciles?",
    r"brainless",
    r"stupid",
    r"dumb(est)?",
    r"clowns?",
    r"losers?",
    r"jerks?",
    r"scum",
    r"piece of (trash|garbage|shit)",
    r"garbage people",
    r"creeps?",
    r"pathetic",
    r"worthless",
    r"crooks?",
    r"cr[ée]tins?",
    r"connards?",
    r"pendejos?",
    r"arschl[öo]ch\w*",
    r"f[u*]ck(ing)?( you| off)?",
    r"f\*+( you)?",
    r"screw you",
    r"stfu",
    r"shut (the hell |the fuck )?up",
    r"go (die|to hell)",
    r"die in a fire",
    r"eat dirt",
    r"so do you",
    r"what'?s coming to (them|you)",
    r"i('ll| will) find (you|the|who)",
    r"watch your back",
)
ABUSE_EMOJI = _chars("🖕🤬🤡")

# Crisis: words that mean legal, safety, security or reputational alarm on their own ...
ALARM = _words(
    r"boycott\w*",
    r"boicot\w*",
    r"lawyers?",
    r"lawsuit",
    r"sue",
    r"suing",
    r"class action",
    r"fraud\w*",
    r"scam\w*",
    r"estafa",
    r"arnaque",
    r"betrug",
    r"breach(ed)?",
    r"leak(ed|s)?",
    r"hacked",
    r"stole(n)?",
    r"stealing",
    r"recall\w*",
    r"regulators?",
    r"ftc",
    r"bbb",
    r"journalists?",
    r"safety",
    r"dangerous",
    r"endanger\w*",
    r"caught fire",
    r"greenwash\w*",
    r"scandal\w*",
    r"skandal",
    r"disgrace\w*",
    r"shameful",
    r"discriminat\w*",
    r"exposed",
    r"at risk",
    r"security (hole|flaw)",
    r"vulnerabilit\w*",
    r"donn[ée]es personnelles",
    r"#cancel\w+",
)
# ... and calls to make it public, which are a crisis only on an angry post.
AMPLIFY = _words(
    r"everyone",
    r"everybody",
    r"spread the word",
    r"share",
    r"sharing",
    r"rt",
    r"warn(ing)? (to|others|everyone|all)",
    r"be warned",
    r"press",
    r"media",
    r"going public",
    r"all of us",
    r"thread",
    r"viral",
    r"partagez",
    r"compartan",
    r"avisar",
    r"teilen",
)
AMPLIFY_EMOJI = _chars("🧵🚨")

# Complaint: failures of the product or the service (en, es, fr, de, pt).
COMPLAINT = _words(
    r"broken",
    r"crash(es|ing|ed)?",
    r"bugs?",
    r"buggy",
    r"refunds?",
    r"charged",
    r"overcharg\w*",
    r"outages?",
    r"not working",
    r"(does|did|do)( not|n'?t) work",
    r"never works?",
    r"won'?t (load|work|open|refund)",
    r"stopped working",
    r"(can'?t|cannot|can not) (log ?in|find|access|open)",
    r"late",
    r"damaged",
    r"still waiting",
    r"waiting (for|since) (my|our)",
    r"on hold",
    r"lost (all )?(my|our)",
    r"delet(ed|ing) (my|our)",
    r"wiped",
    r"wrong",
    r"useless",
    r"disappoint\w*",
    r"worst",
    r"slow",
    r"expensive",
    r"removed",
    r"cancell?ed my",
    r"unreadable",
    r"no (reply|response|answer)",
    r"nobody (answers|replies)",
    r"closed my ticket",
    r"annoying",
    r"frustrat\w*",
    r"terrible",
    r"awful",
    r"horrible",
    r"logs me out",
    r"do better",
    r"bring back",
    r"not happy",
    r"unacceptable",
    r"sucks?",
    r"cancell?(ing|ed)?",
    r"unsubscrib\w*",
    r"ads",
    r"spam\w*",
    r"(hours|days|weeks|ages|forever) (to|for) (load|reply|respond|answer|arrive|ship|get)",
    r"no funciona",
    r"desastre",
    r"reembolso",
    r"ne marche",
    r"marche plus",
    r"nul",
    r"en panne",
    r"funktioniert nicht",
    r"nicht mehr",
    r"[äa]rgerlich",
    r"kaputt",
    r"n[ãa]o funciona",
    # service failures as customers name them to a brand
    r"delay(s|ed)?",
    r"stranded",
    r"stuck",
    r"hung up on",
    r"hangs? up on",
    r"(is|was|are|were|went) down",
    r"#\w*(fail|suck|worst|hate|never|bad|delay)\w*",
    r"#not\w+",
    r"ripped off",
    r"overbook\w*",
    r"(have|has|had|left|kept|keep(ing)?) (me|us) (sleeping|waiting|sitting|standing)",
    r"wait(ed|ing)? (for )?(over |almost |nearly )?(\d+|an?|two|three) ?(min\w*|hours?|hrs?|days?)",
)
NEGATIVE_EMOJI = _chars("😡😠👎😞😤😒😩😫💔💩")
SAD_EMOTICON = re.compile(r"(?<![/:])[:;=]'?-?[(\[/](?![\w/])|(?<!\w)D-?[:;](?!\w)")

# Sarcasm: markers that flip a positive-sounding sentence ("Just perfect. /s").
SARCASM = _words(
    r"/s",
    r"yeah,? right",
    r"thanks a lot",
    r"just perfect",
    r"oh (great|wonderful|perfect|good)",
    r"great,? another",
    r"love how",
    r"just to (see|get|wait|be|find|watch)",
    r"super helpful\.",
    r"thanks for nothing",
    r"as if",
    # thanks for a failure ("thanks for losing my order", "thank you for reminding me how easy the
    # competition is"): nobody thanks a brand for that and means it
    r"(thanks?|thx)( (you|u))?( so much)? for (leaving|losing|forgetting|ignoring|breaking|cancell?ing|delaying"
    r"|stranding|wasting|ruining|overcharging|bumping|making (me|us) (wait|miss|sit|sleep|pay|stand)|reminding me)",
    # a thank-you that trails off ("thanks for the update that changes nothing...")
    r"(thanks?|thank you|thx)(\W*| [^.!?]*)\.\.\.$",
)
SARCASM_EMOJI = _chars("🙄🙃")

# Humor: laughter in several languages (jaja = es, mdr = fr, kkkk = pt).
LAUGHTER = _words(
    r"lol\w*",
    r"lmf?ao",
    r"rofl",
    r"(ha){2,}h?",
    r"(he){2,}",
    r"(ja){2,}",
    r"mdr",
    r"k{4,}",
    r"made me laugh",
    r"plot twist",
)
LAUGHTER_EMOJI = _chars("😂🤣😆😹")

# Skeptic: doubt, hedging, hype talk.
DOUBT = _words(
    r"not (convinced|sure|impressed)",
    r"unconvinced",
    r"pas convaincue?",
    r"too \w+ to be (true|real)",
    r"we'?ll see",
    r"no s[ée] si",
    r"meh",
    r"believe (it|\w+ \w+ \w+) when",
    r"overrated",
    r"hyp(e|ed|ing)",
    r"really\?",
    r"doubt\w*",
    r"s[ck]eptic\w*",
    r"skeptisch",
    r"jury'?s (still )?out",
    r"hmm+",
    r"don'?t (really )?(get|understand|see) (why|what|the point)",
    r"what the fuss",
    r"cherry-?picked",
    r"real reviews",
    r"mixed feelings",
    r"idk",
    r"probably just",
    r"vale la pena",
    r"worth (it|the \w+)\??",
    r"claims? (to|that|it)",
    r"so did",
    r"wonder(ing)? if",
    r"maybe",
    r"i guess",
    r"kinda",
    r"sort of",
    r"marketing",
)
DOUBT_EMOJI = _chars("🤔🤨😐😑🤷")
SCARE_QUOTES = re.compile(r"[\"“][^\"”]{2,40}[\"”]")
CONTRAST = re.compile(r"(?<!\w)(but|however|though|pero|mais|aber)(?!\w)", re.IGNORECASE)

QUESTION_OPENER = _words(
    r"^(how|what|when|where|why|who|which|does|do|did|is|are|can|could|will|would|should|any|anyone|anybody"
    r"|quick question)(?=[\s:,])(?! (a|an|confirm|do)\b)",
)
# After the handles a reply starts with, only a wh-word opens a question: "@brand is the best" is
# a statement about the handle.
WH_OPENER = _words(r"^(how|what|when|where|why|who|which|anyone|anybody)(?=[\s:,])(?! (a|an)\b)")
QUESTION_MARK = re.compile(r"[?¿]")
# Requests and wishes: the writer still wants something from the brand ("please help", "hoping
# you can compensate", "would be great if ..."). VADER scores "please", "help" and "hope" positive.
# "Please thank Robin" and "please pass it on" forward praise: not requests.
REQUEST = _words(
    r"(please|pl[sz])(?! (thank|pass (it |this |that )?(on|along)|give (special |my )?thanks|tell|recogni[sz]e|share))",
    r"need(s|ed)?",
    r"hop(e|ing|efully)",
    r"if only",
    r"would (really |so )?(be|like|love|appreciate)",
    r"if you'?d",
    r"if (you|they) (can|could)",
    r"fingers crossed",
    r"want(ed)? (to|a|my|our)",
    r"should(n'?t)?",
    r"any (update|news|word|info)\w*",
    r"por favor",
    r"s'il vous pla[îi]t",
    r"bitte",
)
# Requests in the imperative, where a clause begins ("save me a seat!", "get me on the next flight",
# "check out our project"), and asking the brand to act ("can you follow us"): the writer wants
# something, whatever the smiley. "They let us know" or "the crew worked hard to get me home" is no
# request: the verb must open a clause.
IMPERATIVE = re.compile(
    r"(?:^|[.!?;:,\-]\s*|(?<!\w)(?:and|so|just|now|pls|please) )"
    r"(?P<ask>(give|get|send|save|show|bring|grant|find) (me|us|\w+ some|some)|make sure|take a (lesson|page|note)"
    r"|check (out|this)|come (by|see|visit|join)|follow (me|us)|let (me|us) know|looking for (any|some) help)(?!\w)"
    r"|(?<!\w)(?P<you>(can|could|would|will) (you|u|y'?all|ya))(?!\w)",
    re.IGNORECASE,
)

# Praise: the over-the-top cues.
SUPERLATIVE = _words(
    r"best",
    r"amazing",
    r"incredible",
    r"awesome",
    r"fantastic",
    r"phenomenal",
    r"outstanding",
    r"brilliant",
    r"legendary",
    r"perfect(ly)?",
    r"flawless",
    r"genius",
    r"masterpiece",
    r"obsessed",
    r"life-?changing",
    r"game ?changer",
    r"wow",
    r"10/10",
    r"heroe?s?",
    r"superb",
    r"exceptional",
    r"stunning",
    r"gorgeous",
    r"wonderful",
    r"love",
    r"in love",
    r"ever",
    r"you rock",
    r"nailed it",
    r"bravo",
    r"hands down",
    r"chef'?s kiss",
    r"made my (whole )?(day|week|year)",
    r"(five|5|11) stars",
    r"thank you thank you",
    r"incre[íi]ble",
    r"incr[íi]vel",
    r"el mejor",
    r"la mejor",
    r"o melhor",
    r"g[ée]nial",
    r"meilleure?",
    r"fantastisch",
    r"beste",
    r"gro[ßs]artig",
    r"[üu]berhaupt",
    r"perfecto",
    r"parfait",
    r"perfeito",
)
SUPERLATIVE_EMOJI = _chars("🤩😍💯🥰🙌✨👏😘💖⭐🏆❤🔥")
# Positive idioms VADER reads as negative because of the negation inside them.
POSITIVE_IDIOM = _words(
    r"can'?t recommend (\S+ ){0,2}enough",
    r"can'?t say enough good",
    r"couldn'?t be happier",
    r"can'?t believe how good",
    r"not a single (complaint|problem|issue)",
    r"no (complaints|problems)",
    r"(can['’]?t|cannot) wait",
    r"never (disappoints|fails to impress|lets (me|us) down)",
    r"can'?t go wrong",
    r"no (worries|problem)",
    r"never going back",
    r"nothing (else )?(even )?comes close",
    r"\w+ stars? (is|are) not enough",
    r"not bad at all",
    # a quick start, reported plainly ("onboarding took 10 minutes"): VADER sees no feeling in it
    r"(set ?up|onboarding|migration|install(ation)?|switch(ing)?( over)?|sign ?up|import) took "
    r"(only |just |about |under |less than )?(\d+|a few|a couple( of)?|one|two|three|four|five|ten) "
    r"(seconds?|secs?|minutes?|mins?)",
)
# Gratitude is how most happy customers talk to a brand ("Thanks for the quick response!"), and
# VADER scores a plain "thanks so much" just under 0.5.
GRATITUDE = _words(r"thanks?", r"thx", r"kudos", r"props", r"shout ?out", r"grateful", r"appreciated?")
GRATITUDE_PHRASE = _words(
    r"(thanks?|thx)( (you|u))?( (so|very) much| a lot| again| kindly)?", r"appreciate (it|that|the \w+)"
)
# Positive cues for languages VADER does not read (es, fr, de, pt); English relies on VADER.
FOREIGN_POSITIVE = _words(
    r"me encanta",
    r"me gusta",
    r"genial",
    r"excelente",
    r"funciona bien",
    r"gracias",
    r"incre[íi]ble",
    r"j'adore",
    r"contente?",
    r"[çc]a marche bien",
    r"merci",
    r"super",
    r"zufrieden",
    r"l[äa]uft gut",
    r"toll",
    r"danke",
    r"adoro",
    r"[óo]timo",
    r"obrigad[oa]",
    r"g[ée]nial",
    r"fantastisch",
    r"incr[íi]vel",
    r"el mejor",
    r"o melhor",
    r"meilleure?",
    r"beste",
)
# Negation in a positive-sounding post ("I don't think they're as great as they used to be",
# "never flying with them again"): VADER only flips the next words, so such a post is mixed.
NEGATION = _words(
    r"not",
    r"no",
    r"less than",
    r"nothing",
    r"nobody",
    r"no ?one",
    r"none",
    r"\w+n['’]t",
    r"cannot",
    r"(do|does|did|is|are|was|were|can|could|would|should|wo|have|has|had|ai)nt",
    r"instead",
    r"anymore",
)
# Replies that close a support exchange: thanked, but about the exchange, not the brand.
ACKNOWLEDGEMENT = _words(r"will do", r"good to know", r"i'?ll (send|dm|do|try|check|call)", r"noted")
# A step of a support exchange ("I DMed you :)", "followed you"): positive only if it thanks or
# praises, not for its smiley.
SUPPORT_STEP = _words(r"dm'?(e?d|s|ing)?", r"direct message\w*", r"messaged", r"emailed", r"followed( (you|back))?")
# Details handed over to the brand with a calm thank-you: an order, booking or case number or a
# date ("order #4821 from 3/14. Thx", "case 2093117, thanks").
REFERENCE = re.compile(r"#\s?\d|\d{4,}|(?<!\d)\d{1,2}/\d{1,2}(?!\d)")
# A news share: a headline about the brand in the third person, with its link ("@brand adds a
# free plan https://...", "@brand goes to court over ..."): its words are news, not the writer's feeling.
HEADLINE = _words(
    r"^(adds|launches|announces|unveils|expands|introduces|opens|offers|debuts|plans|says|reports|cuts|raises"
    r"|hires|names|files|goes|is (adding|launching|opening|offering|expanding))"
)
LINK = re.compile(r"https?://", re.IGNORECASE)
# A post that opens with a handle is a message to that account (usually the brand): customer care,
# where laughter is mostly at the brand and politeness wraps most complaints.
ADDRESSED = re.compile(r"^\W{0,2}@[\w.@-]+")
# Customers who are happy with a brand say so with feeling: an exclamation, a smiley, an
# intensifier, a warm word or a superlative. A calm "thank you for the update, I emailed you"
# is courtesy in a conversation, as often about a problem as not.
ENTHUSIASM = re.compile(
    r"!|[:;]-?[)D]|<3|(?<!\w)(so|very|really|super|much|truly|extremely|incredibly|such|great|good|love\w*"
    r"|nice|favou?rite|fav|best|awesome)(?!\w)",
    re.IGNORECASE,
)
FOREIGN_NEGATION = _words(r"no", r"pas", r"nicht", r"kein\w*", r"n[ãa]o", r"ni", r"ne")
POSITIVE_EMOJI = _chars("🙂😊😀😃😄😁👍🙏🥰😍🤩💯🙌✨👏❤💖⭐🔥")


# Words VADER scores positive that, in a message to a brand, are conversation or a request:
# "yes", "sure", "ok", "please help", "hope you can", "free", "well", "pretty sure", "ready".
CONVERSATIONAL_WORDS = (
    "yes",
    "yeah",
    "yep",
    "sure",
    "ok",
    "okay",
    "please",
    "help",
    "hope",
    "hopefully",
    "free",
    "want",
    "well",
    "ready",
    "pretty",
)

# Common words VADER's lexicon lacks (it scores "phenomenal crew, bravo!" 0.0), valued like their
# neighbours in it ("amazing" 2.8, "thanks" 1.9, "awful" -2.0, "inconvenience" -1.5).
MISSING_WORDS = {
    "phenomenal": 3.0,
    "outstanding": 3.0,
    "refreshing": 2.0,
    "bravo": 2.5,
    "kudos": 2.0,
    "thnx": 1.9,
    "thx": 1.9,
    "wretched": -2.5,
    "nightmare": -2.5,
    "unhelpful": -1.8,
    "subpar": -1.5,
    "substandard": -1.5,
    "mediocre": -1.5,
    "bummed": -1.5,
    "inconvenienced": -1.5,
    "impossible": -1.0,
}


@dataclass(frozen=True)
class Classification:
    kind: str  # one of curator.model.KINDS, or UNRATED when the rules cannot read the post
    sentiment: float  # VADER compound score in [-1, 1]
    reason: str = ""  # which rule decided, for reviewers


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.emojis = {**analyzer.emojis, **EMOJI_MEANINGS}
    for word in CONVERSATIONAL_WORDS:
        analyzer.lexicon.pop(word, None)
    # VADER scores "lol" +1.8 and "lmao" +2.9, so "@brand lmao" alone looked clearly positive; in a
    # brand's mentions laughter is as often at it as with it. The laughter cues decide humor instead.
    for word in [w for w in analyzer.lexicon if LAUGHTER.fullmatch(w)]:
        del analyzer.lexicon[word]
    analyzer.lexicon.update(MISSING_WORDS)
    return analyzer


# A handle or a link names something; it says nothing about it. VADER scores "@united" +0.42
# (the word "united"), which put a brand's every mention halfway to "clearly positive".
HANDLES_AND_LINKS = re.compile(r"(?<!\w)@[\w.@-]+|https?://\S+", re.IGNORECASE)
# A quoted post ("RT @brand: ..." to the end, or “@brand: ...” in quotes) is someone else's words,
# often the brand's own reply ("Happy to help! ^JH"): only the author's own words are read.
QUOTED_POST = re.compile(r"(?<!\w)RT @[\w.-]+:.*|[“\"]@[\w.-]+:[^”\"]*[”\"]?", re.DOTALL)
# A run of capitalised words after a lower-case one is a name ("at Love Park", "an ad in the Super
# Bowl", "my Happy Socks order"): VADER reads "love", "super" and "happy" in it as praise.
NAME = re.compile(r"(?<=[a-z] )[A-Z][a-z'-]*[a-z](?: [A-Z][\w'-]*)+")
# VADER reads emoji a character at a time: the variation selector of "❤️" hid the heart.
EMOJI_PRESENTATION = "\ufe0f"


def _words_only(text: str, brand: str | None = None) -> str:
    """The author's words: without quoted posts, handles, links, the brand's own name (a brand
    called United, Joy or Happy Socks is named, not praised, in each of its mentions) and the
    positive words of other names."""
    text = HANDLES_AND_LINKS.sub(" ", QUOTED_POST.sub(" ", text)).replace(EMOJI_PRESENTATION, "")
    if brand and brand.split():
        text = re.sub(
            r"(?<!\w)" + r"\s+".join(map(re.escape, brand.split())) + r"(?!\w)", " ", text, flags=re.IGNORECASE
        )
    text = NAME.sub(_unscored_name, re.sub(r"\s+", " ", text))
    return re.sub(r"\s+", " ", text).strip()


def _unscored_name(match: re.Match) -> str:
    """A name without the words VADER would score positive in it: a name never makes a post praise."""
    lexicon = _analyzer().lexicon
    return " ".join(word for word in match.group(0).split() if lexicon.get(word.lower(), 0) <= 0)


def _compound(words: str) -> float:
    """VADER's compound score, rounded so stored values are stable across platforms."""
    return round(_analyzer().polarity_scores(words)["compound"], 4)


def sentiment(text: str, brand: str | None = None) -> float:
    """VADER compound score of the words: not handles, links or the brand's name."""
    return _compound(_words_only(text, brand))


def _unreadable(words: str, lang: str | None) -> str | None:
    """Why the rules cannot judge a post at all, or None: a language with no cues, or (language
    unknown) a script other than Latin."""
    code = (lang or "").lower().split("-")[0]
    if code and code not in READABLE_LANGUAGES:
        return f"no cues for language {lang!r}: a person decides"
    letters = [ch for ch in words if ch.isalpha()]
    latin = sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    if not code and latin < len(letters) / 2:
        return "language unknown and not in Latin script: a person decides"
    return None


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
    return None if _compound(tail) >= POSITIVE_THRESHOLD or _found(POSITIVE_IDIOM, tail) else CONTRAST.findall(text)[-1]


def _is_question(text: str, words: str) -> str | None:
    """A question or a request, in the words (a "?" in a link is none); a wh-word also opens one
    after the handles a reply starts with."""
    return (
        _found(QUESTION_MARK, words)
        or _found(QUESTION_OPENER, text.strip())
        or _found(WH_OPENER, words.lstrip(" .,:;-"))
        or _found(REQUEST, words)
        or _imperative(words)
    )


def _imperative(words: str) -> str | None:
    match = IMPERATIVE.search(words.lstrip(" .,:;-"))
    return (match.group("ask") or match.group("you")) if match else None


def classify(text: str, lang: str | None = None, brand: str | None = None) -> Classification:
    """Kind + VADER compound for one post about ``brand`` (its name is no cue); see the module
    docstring for the rules."""
    words = _words_only(text, brand)  # a handle or a link is no cue: "@bestbuy", "t.co/LoLuWfCi11"
    score = _compound(words)
    kind, reason = _decide(text, words, lang, score)
    return Classification(kind, score, reason)


Decision = tuple[str, str]  # kind, and the reason a reviewer is shown


def _decide(text: str, words: str, lang: str | None, score: float) -> Decision:
    if unreadable := _unreadable(words, lang):
        return UNRATED, unreadable
    if hit := _first(words, ABUSE, ABUSE_EMOJI):
        return "yikes", f"abuse cue {hit!r}"
    idiom = _found(POSITIVE_IDIOM, words)
    words = POSITIVE_IDIOM.sub(" ", words)  # "never disappoints": its negation is no complaint
    addressed = _addressee(text)
    return (
        _alarm_or_failure(words, score)
        or _doubt_or_question(text, words, addressed, score)
        or _positive(text, words, lang, score, idiom, addressed)
        or _leftover(lang, score)
    )


def _addressee(text: str) -> str | None:
    """Whom a message in a conversation is to: the handle it opens with, or the post it quotes
    (a reply to a brand's post, quoted, is customer care like any other)."""
    if quoted := QUOTED_POST.search(text):
        return _found(HANDLES_AND_LINKS, quoted.group(0))
    return _found(ADDRESSED, text)


def _alarm_or_failure(words: str, score: float) -> Decision | None:
    complaint = _first(words, COMPLAINT, NEGATIVE_EMOJI, SAD_EMOTICON)
    sarcasm = _first(words, SARCASM, SARCASM_EMOJI)
    if hit := _found(ALARM, words):
        return "crisis", f"alarm cue {hit!r}"
    amplify = _first(words, AMPLIFY, AMPLIFY_EMOJI)
    if amplify and (complaint or sarcasm or score <= ANGRY_THRESHOLD):
        return "crisis", f"angry post with a call to go public {amplify!r}"
    if complaint or sarcasm:
        return "complaint", f"complaint cue {complaint!r}" if complaint else f"sarcasm marker {sarcasm!r}"
    return None


def _doubt_or_question(text: str, words: str, addressed: str | None, score: float) -> Decision | None:
    laughter = _first(words, LAUGHTER, LAUGHTER_EMOJI)
    if laughter and not addressed and score > ANGRY_THRESHOLD:
        return "humor", f"laughter cue {laughter!r}"
    if hit := (_first(words, DOUBT, DOUBT_EMOJI, SCARE_QUOTES) or _weak_ending(words)):
        return "skeptic", f"doubt cue {hit!r}"
    if hit := _is_question(text, words):
        return "question", f"question cue {hit!r}"
    if addressed and (hit := _found(ACKNOWLEDGEMENT, words)):
        return "skeptic", f"an acknowledgement in a conversation with {addressed!r}: {hit!r}"
    return None


def _positive(
    text: str, words: str, lang: str | None, score: float, idiom: str | None, addressed: str | None
) -> Decision | None:
    """praise, happy or humor for a clearly positive post; skeptic when it is mixed, calm or
    business (news, a support step, details handed over)."""
    positive = f"positive idiom {idiom!r}" if idiom else _positive_evidence(words, lang, score)
    if not positive:
        return None
    if held_back := (_is_english(lang) and _mixed(words)) or _business(text, words, addressed):
        return "skeptic", f"{positive} but {held_back}"
    if laughter := _first(words, LAUGHTER, LAUGHTER_EMOJI):  # only a message to a brand gets here
        return "humor", f"{positive} and laughter cue {laughter!r} in a message to {addressed!r}"
    over_the_top = _first(words, SUPERLATIVE, SUPERLATIVE_EMOJI)
    if over_the_top and (score >= PRAISE_THRESHOLD or not positive.startswith("VADER")):
        return "praise", f"{positive} and over-the-top cue {over_the_top!r}"
    if addressed and not (_first(words, ENTHUSIASM, POSITIVE_EMOJI, SUPERLATIVE) or _bare_thanks(words)):
        return "skeptic", f"{positive} but calm, in a message to {addressed!r}: courtesy, not a testimonial"
    return "happy", positive


def _business(text: str, words: str, addressed: str | None) -> str | None:
    """Why a positive-sounding post is business rather than a customer's feeling, or None."""
    if LINK.search(text) and (headline := _found(HEADLINE, words.lstrip(" .,:;-"))):
        return f"a news headline {headline!r} with a link: not a testimonial"
    if _positive_words(words):
        return None
    if addressed and (step := _found(SUPPORT_STEP, words)) and not _found(GRATITUDE, words):
        return f"a support step {step!r} whose only warmth is a smiley or an exclamation: not a testimonial"
    calm = not _first(words, ENTHUSIASM, POSITIVE_EMOJI, SUPERLATIVE)
    if calm and (reference := _found(REFERENCE, words)):
        return f"details handed over with a calm thank-you {reference!r}: not a testimonial"
    return None


def _positive_words(words: str) -> list[str]:
    """The words VADER reads as positive, other than a thank-you."""
    lexicon = _analyzer().lexicon
    tokens = re.findall(r"[^\W\d_][\w']*", words.lower())
    return [w for w in tokens if lexicon.get(w, 0) > 0 and not GRATITUDE.fullmatch(w)]


def _bare_thanks(words: str) -> bool:
    """ "Thank you." or "ok, thanks": a happy customer saying only that, not courtesy around a
    message about something else."""
    rest = GRATITUDE_PHRASE.sub(" ", words)
    return rest != words and len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3


def _leftover(lang: str | None, score: float) -> Decision:
    if not _is_english(lang):
        return UNRATED, f"no cue matched and VADER cannot read {lang!r}: a person decides"
    if score <= NEGATIVE_THRESHOLD:
        return "complaint", f"negative score {score} without other cues"
    return "skeptic", "not clearly positive; unsure is never praise or happy"


def _mixed(text: str) -> str | None:
    """Why praise is mixed, if it is: the words VADER reads as negative, or a negation."""
    analyzer = _analyzer()
    found = [w for w in re.findall(r"[\w']+", text.lower()) if analyzer.lexicon.get(w, 0) < 0]
    if negation := " ".join(found) or _found(NEGATION, text):
        return f"also negative words {negation!r}"
    return None


def _positive_evidence(text: str, lang: str | None, score: float) -> str | None:
    """Why the post is clearly positive, or None. Non-English text needs a positive cue."""
    if _is_english(lang) and score >= POSITIVE_THRESHOLD:
        return f"VADER {score}"
    if _is_english(lang) and score > 0 and (thanks := _found(GRATITUDE, text)):
        return f"gratitude {thanks!r}"
    if _is_english(lang) and not re.search(r"\w", text):
        # Emoji-only post: every symbol a positive emoji (VADER scores 🙂 but not all of them).
        symbols = [ch for ch in text if not ch.isspace() and ch not in "\ufe0f\u200d"]
        if len(symbols) >= 1 and all(POSITIVE_EMOJI.match(ch) for ch in symbols) and score > 0:
            return f"positive emoji only {''.join(symbols)!r}"
    if not _is_english(lang) and not _found(FOREIGN_NEGATION, text) and (hit := _first(text, FOREIGN_POSITIVE)):
        return f"positive cue {hit!r} ({lang})"
    return None
