"""Cues of what brand guidelines commonly forbid, keyed to a brand's own "never" rules (BR502).

A brand's ``voice.never`` rules are mostly of a few recurring kinds: no mockery or sarcasm at people's
expense, no blaming the customer, no fear or guilt to sell, no pressure to spend, no suggestive jokes, no
promises nobody can keep, no fees hidden in small print, no making light of risk. Embeddings judge register
well and these breaches poorly when they are written in the brand's own register ("Pop me open tonight, big
boy." from a playful drink brand reads like its on-brand jokes). Each :data:`FAMILIES` entry says when a
rule is of its kind (words of the rule sentence, or its examples showing the family's cues) and which
surface cues show a message doing it. :func:`active_families` picks the families a brand's rules forbid;
:func:`cue_hits` counts how many of them a message shows. A family the brand does not forbid never counts:
a wink is fine for a brand that allows innuendo.

The word lists were written from general knowledge of these kinds of copy, not from any brand's messages.
Cost: one compiled pattern per family, run once over the text (linear in its length).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["FAMILIES", "VERSION", "Family", "active_families", "cue_hits"]


@dataclass(frozen=True)
class Family:
    """One kind of "never" rule: ``rule`` finds it in a rule's sentence, ``cues`` in a message."""

    name: str
    rule: re.Pattern[str]
    cues: re.Pattern[str]


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


FAMILIES: tuple[Family, ...] = (
    Family(
        "suggestive",
        _p(
            r"\b(?:sex\w*|suggestive|innuendo|flirt\w*|raunch\w*|risqu\w*|smutt?y|lewd|crude|double entendre)"
        ),
        _p(
            r"[😏🍆🍑💦👅🥵😈]|\b(?:sexy|naughty|kinky|steamy|raunchy|horny|frisky|seduc\w+|foreplay|thicc|"
            r"between the sheets|in bed with|get lucky|turn(?:s|ed)? (?:you|me) on|hot and bothered|"
            r"wink,? wink|nudge,? nudge|bad boy|good girl|size matters|all night long|"
            r"come (?:and )?get (?:it|some)|strip(?:s|ped)? (?:off|down)|undress\w*|spank\w*|sugar daddy|"
            r"netflix and chill|that's what she said|ooh,? matron)\b"
        ),
    ),
    Family(
        "mockery",
        _p(
            r"\b(?:mock\w*|ridicul\w*|insult\w*|poke fun|make fun|jokes? at|sarcas\w*|gatekeep\w*|belittl\w*|"
            r"humiliat\w*|pile-on|condescend\w*|talk(?:s|ing)? down|look(?:s|ing)? down|patronis\w*|"
            r"patroniz\w*|snark\w*|at (?:\w+ )?\w+(?:'s|s'|’s)? expense)\b"
        ),
        _p(
            r"[🙄🤡💀]|\b(?:lol|lmao|smh|yeah,? right|good luck with that|newsflash|who knew|skill issue|"
            r"git gud|cry about it|boomers?|noobs?|n00bs?|scrubs|peasants?|clueless|idiots?|dumm(?:y|ies)|"
            r"muppets?|losers?|not rocket science|even a (?:child|toddler|monkey) could|"
            r"bless (?:your|their) (?:heart|cotton socks)|poor (?:you|thing)|for the slow ones|"
            r"some of us have|unlike (?:you|your)|rtfm)\b"
        ),
    ),
    Family(
        "blame",
        _p(
            r"\b(?:blam\w*|lectur\w*|judg\w*|dismiss\w*|brush(?:es)? off|deflect\w*|at fault|fault|"
            r"cold|hurried|not our job|dodge|talk(?:s|ing)? down|condescend\w*)\b"
        ),
        _p(
            # "it isn't your fault" comforts and "your fault report" is a noun: neither is blame
            r"\b(?:your(?<!not your)(?<!n't your)(?<!n’t your)(?<!never your) (?:own )?fault"
            r"(?! (?:report|line|ticket|log|reference))|"
            r"you should(?:'ve| have)|should(?:'ve| have) (?:read|checked|known|"
            r"come|paid|thought|asked|listened)|you (?:didn't|did not|failed to|forgot to|chose to|never) "
            r"(?:read|check|follow|pay|update|listen|ask)|user error|(?:that's|that is|sounds like) "
            r"(?:a )?(?:you|your) (?:problem|issue)|not (?:our|my) (?:problem|fault|job|responsibility|"
            r"concern)|we (?:are|were|aren't|weren't) not (?:responsible|liable)|nothing we can do|"
            r"that's life|deal with it|tough luck|as (?:stated|explained|mentioned) (?:in|on|clearly)|"
            r"as (?:we|i) (?:already )?(?:said|told you|explained)|clearly stated|"
            r"read the (?:manual|instructions|small print|terms|faq)|next time,? (?:try|read|maybe)|"
            r"maybe (?:try|read|don't)|if you had (?:read|checked|paid|listened)|had you (?:read|checked)|"
            r"people like you|some people (?:never|just|can't))\b"
        ),
    ),
    Family(
        "fear",
        _p(r"\b(?:fear\w*|frighten\w*|scar(?:e|es|ing)|shock\w*|panic\w*|threat\w*|worst cases?|alarm\w*)\b"),
        _p(
            r"\b(?:before it'?s too late|too late|don'?t risk|do not risk|risk (?:losing|it all|everything)|"
            r"could (?:lose|cost you|be left)|you(?:'ll| will) (?:regret|lose|be left)|left with nothing|"
            r"imagine (?:losing|if|the worst|not having)|what if|what happens if|unprotected|"
            # a bare "the worst" is mostly sympathy ("the worst possible time") or banter: only the dread counts
            r"nightmare|disaster|devastat\w*|catastroph\w*|don'?t wait until|(?:prepare|brace) (?:yourself )?for "
            r"the worst|expect the worst|the worst (?:could|can|might|will) happen|"
            r"could happen to you|can you afford (?:to|not)|sleep at night|lose everything)\b"
        ),
    ),
    Family(
        "guilt",
        _p(r"\b(?:guilt\w*|shame\w*|ashamed|left out|nag\w*|feel bad)\b"),
        _p(
            r"\b(?:don'?t you care|do you even care|how could you|you owe (?:it|them|her|him)|"
            r"the least you (?:can|could) do|imagine how (?:they|she|he|your \w+) (?:feel|would feel)|"
            r"left out|everyone else (?:has|is|already)|all (?:the other|your) (?:kids|friends|classmates)|"
            r"what kind of (?:parent|person|friend)|shame on|ashamed|selfish|let (?:them|her|him) down|"
            r"guilty|don'?t they deserve)\b"
        ),
    ),
    Family(
        "pressure",
        _p(
            r"\b(?:pressur\w*|push\w*|rush\w*|hurry\w*|countdowns?|deadlines?|scarcity|missing out|fomo|"
            r"nag\w*|spend more|buy more|upsell\w*|loot|gambl\w*|drink more|eat more)\b"
        ),
        _p(
            r"\b(?:hurry|act (?:now|fast)|last chance|don'?t miss(?: out)?|only \d+ (?:left|remaining|spots?|"
            r"places?|seats?)|selling (?:out )?fast|going fast|almost gone|before (?:they'?re|it'?s) gone|"
            r"ends? (?:tonight|today|at midnight|soon)|\d+ (?:hours?|minutes?|mins?) (?:left|only|to go)|"
            r"tick,? tock|limited time|while stocks? last|people are (?:looking|viewing|booking)|"
            r"\d+ (?:people|others) (?:are )?(?:looking|viewing|watching)|go on,? (?:you|treat|have)|"
            r"you know you want|treat yo(?:ur)?self|you deserve (?:it|this|a)|add (?:another|one more)|"
            r"one more (?:round|bowl|drink|pint)|don'?t (?:stop|settle) at|yolo|splash (?:out|the cash)|"
            r"max (?:it|them) out|blow your (?:wages|pay|cash|money)|spend,? spend)\b"
        ),
    ),
    Family(
        "promise",
        _p(r"\b(?:promis\w*|guarant\w*|certain\w*|cures?|perfect\w*|outcomes?)\b"),
        _p(
            # "a two-year guarantee" is a warranty and "you will be charged / get an e-mail" a plain fact:
            # only the promise of an outcome counts
            r"\b(?:guarantee(?<!year guarantee)(?<!years' guarantee)(?<!lifetime guarantee)"
            r"(?<!money-back guarantee)(?<!money back guarantee)[sd]?|100 ?%|"
            r"always works|never fails|zero (?:downtime|risk)|risk-free|no risk|perfect(?:ly)?|cures?|cured|"
            r"definitely|for sure|without fail|sure thing|we promise you'?ll|you will (?:win|be cured|"
            r"be (?:rich|richer|debt-free|pain-free|healthier|thinner)|get (?:rich|richer|results))|no more)\b"
        ),
    ),
    Family(
        "hidden_cost",
        _p(r"\b(?:hid(?:e|den|ing)|small print|jargon|bur(?:y|ied)|blur\w*|play(?:s|ing)? down|vague)\b"),
        _p(
            # "no charges apply", "no admin fee" tell the reader there is no cost: not a hidden one
            r"(?:\b(?=[cft])(?<!\bno )(?<!\bzero )(?:conditions|t&cs|t ?& ?c|terms|fees?|charges?) (?:may )?apply|\bsubject to "
            r"(?:status|availability|conditions|change)|\b(?:plus|excl\.?|excluding) (?:fees|taxes|charges)|"
            r"\b(?=[aps])(?<!\bno )(?<!\bwithout )(?:admin|administration|processing|service|arrangement) (?:fee|charge)s?\b|"
            r"\bnon-refundable\b|\bpursuant\b|\baforementioned\b|\bnotwithstanding\b)"
        ),
    ),
    Family(
        "make_light",
        _p(r"\b(?:make light|light of|play(?:s|ing)? down|downplay\w*|ignore the|jokes? about)\b"),
        _p(
            r"\b(?:no big deal|don'?t (?:worry|stress) about (?:it|the)|who needs|overrated|live a little|"
            r"rules are (?:for|made)|it'?ll be fine|what'?s the worst|you only live once|skip the "
            r"(?:safety|briefing|warning)|ignore the|kicked the bucket|six feet under|pushing up daisies|"
            r"dead funny|to die for)\b"
        ),
    ),
)


#: The first 12 hex digits of the sha256 of every family's name and patterns: recorded in BR502's evidence
#: (``model.never_cues``) so that a score can be traced to the word lists that produced it.
VERSION = hashlib.sha256(
    "\0".join(f"{f.name}\0{f.rule.pattern}\0{f.cues.pattern}" for f in FAMILIES).encode()
).hexdigest()[:12]


def active_families(rules: Sequence[tuple[str, Sequence[str]]]) -> tuple[Family, ...]:
    """The families a brand's "never" rules forbid: ``rules`` is each rule's sentence and examples. A family
    is forbidden when a rule's sentence names its kind, or when at least half of a rule's examples (and at
    least one) show its cues."""
    out = []
    for family in FAMILIES:
        for sentence, examples in rules:
            shown = sum(1 for e in examples if family.cues.search(e))
            if family.rule.search(sentence) or (examples and shown >= max(1, (len(examples) + 1) // 2)):
                out.append(family)
                break
    return tuple(out)


def cue_hits(text: str, families: Sequence[Family]) -> int:
    """How many of ``families`` show at least one cue in ``text``."""
    return sum(1 for family in families if family.cues.search(text))
