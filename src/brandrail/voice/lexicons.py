"""Word lists behind the tone profile (English). Each list is documented in docs/voice.md."""

from __future__ import annotations

__all__ = [
    "ADJECTIVES",
    "ADJ_SUFFIXES",
    "ADVERBS",
    "ARTICLES",
    "AUXILIARIES",
    "COLD_PATTERNS",
    "EXCITEMENT_WORDS",
    "INTERJECTIONS",
    "IRREGULAR_PARTICIPLES",
    "JARGON",
    "NOUN_SUFFIXES",
    "PERSON",
    "PREPOSITIONS",
    "PRONOUNS",
    "URGENCY_NEGATIONS",
    "URGENCY_PATTERNS",
    "VERBS",
    "WARMTH_PATTERNS",
]


def _w(text: str) -> frozenset[str]:
    return frozenset(text.split())


ARTICLES = frozenset({"a", "an", "the"})

PREPOSITIONS = _w(
    """about above across after against along amid among around as at before behind below beneath beside
    besides between beyond by concerning despite down during except for from in including inside
    into like near of off on onto out outside over past per regarding since than through throughout
    till to toward towards under underneath unlike until unto up upon versus via with within without
    pursuant notwithstanding whereby thereof herein hereby therein"""
)

PERSON: dict[str, frozenset[str]] = {
    "we": _w("we us our ours ourselves we're we've we'll we'd let's"),
    "you": _w("you your yours yourself yourselves you're you've you'll you'd y'all ya"),
    "i": _w("i me my mine myself i'm i've i'll i'd"),
    "they": _w(
        """they them their theirs themselves they're they've they'll they'd he him his himself she her hers
        herself he's she's he'll she'll"""
    ),
}

PRONOUNS = frozenset().union(*PERSON.values()) | _w(
    """it its itself it's this that these those who whom whose which what anyone anything everyone
    everything someone something somebody nobody nothing none one everybody anybody"""
)

INTERJECTIONS = _w(
    """oh ooh wow hey hi hiya hello yay oops ah aha hmm whoa yikes ha haha lol omg woohoo woo yep yeah yup
    nope ok okay cheers phew ugh eek psst gonna wanna gotta kinda sorta cool awesome stoked legit
    vibes comfy deets fab yum brr shh aww"""
)

AUXILIARIES = _w(
    """be am is are was were been being have has had having do does did done can could will would shall
    should may might must get gets got ain't isn't aren't wasn't weren't don't doesn't didn't can't
    couldn't won't wouldn't shouldn't haven't hasn't hadn't mustn't"""
)

VERBS = _w(
    """go goes going went gone come comes came make makes made take takes took taken see sees saw seen know
    knows knew known think thinks thought want wants need needs love loves help helps find finds
    found give gives gave given tell tells told try tries tried keep keeps kept let lets put puts
    call calls feel feels felt look looks use uses work works head heads pack packs walk walks stay
    stays check checks book books enjoy enjoys explore hope hopes wish wishes plan plans join joins
    say says said ask asks grab grabs pick picks bring brings brought buy buys bought shop order
    orders hurry act miss wait start starts get stop read reply write learn remember forget mean
    means seem seems leave leaves left live lives run runs show shows turn turns open opens close
    closes send sends sent arrive arrives arrived receive receives received pay pays paid offer
    offers provide provides require requires ensure ensures confirm confirms inform informs advise
    advises review reviews contact contacts apply applies invite invites note notes wear wears wore
    pop pops love"""
)

ADVERBS = _w(
    """very really just so too quite rather also now then here there always never often sometimes soon
    already still even only again ever yet maybe perhaps almost certainly simply not n't well back
    away together anyway pretty super totally absolutely definitely literally honestly seriously"""
)

ADJECTIVES = _w(
    """new good great best better old warm dry wet big small little long short high low full free early
    late right sure happy ready kind nice lovely fine cold hot cosy cozy quick fast slow easy hard
    simple clear own other same last next first whole open fresh light heavy bright dark wild quiet
    calm proper fair important available additional relevant current previous appropriate further
    personal financial"""
)

NOUN_SUFFIXES = (
    "tion",
    "sion",
    "ment",
    "ness",
    "ity",
    "ance",
    "ence",
    "ship",
    "ism",
    "hood",
    "ure",
    "age",
    "ery",
)
ADJ_SUFFIXES = ("ous", "ful", "able", "ible", "ive", "al", "ic", "less", "ary", "ish")

IRREGULAR_PARTICIPLES = _w(
    """been born borne beaten become begun bent bound bitten blown broken brought built bought caught
    chosen come cut dealt done drawn driven eaten fallen fed felt fought found flown forgotten
    forgiven frozen given gone grown hung had heard hidden held hurt kept known laid led left lent
    let lost made meant met paid put quit read ridden run said seen sought sold sent set shaken shot
    shown shut sung sunk sat slept spoken spent spun stood stolen stuck struck sworn swept swum
    taken taught torn told thought thrown understood woken worn won written"""
)

#: Warmth and empathy: thanks, apology, understanding, care, welcome, shared enjoyment. (pattern, weight)
WARMTH_PATTERNS: tuple[tuple[str, float], ...] = (
    (r"thank(?:s| you)?", 1.0),
    (r"grateful|appreciate[sd]?", 1.0),
    (r"sorry|apologi[sz]e[sd]?|apologies", 1.0),
    (r"(?:we |i )?understand|we hear you|must (?:be|have been) (?:frustrating|annoying|disappointing)", 1.0),
    (r"frustrating|disappointing", 0.5),
    (r"glad|delighted|pleased|happy to|thrilled to", 1.0),
    (r"welcome|care|caring|look after|looking after|here for you|here to help|happy to help", 1.0),
    (r"hope|hoping|enjoy(?:ing|ed)?|love|loved|lovely|good luck|congratulations|grand", 0.8),
    (r"together|friends?|neighbours?|community|family", 0.7),
    (
        r"cos[yi]|warm|kind|gentle|free|ask us|give us a call|we'?ll sort|sort it out|on us|take care|no rush|no pressure|no worries|don't worry|feel free|"
        r"just ask|let us know|give us a shout|drop us a line|get in touch",
        0.8,
    ),
    (r"cheers|see you|happy trails|have fun|have a (?:great|good|lovely)", 0.7),
)

#: Coldness: legalistic, impersonal or blaming phrasing; lowers warmth. (pattern, weight)
COLD_PATTERNS: tuple[tuple[str, float], ...] = (
    (r"hereby|pursuant|aforementioned|herein|thereof|in accordance with|at our (?:sole )?discretion", 1.0),
    (r"please be advised|kindly note|be advised|it has been determined|we regret to inform", 1.0),
    (
        r"failure to|will not be (?:processed|accepted|refunded)|not (?:be )?eligible|invalidate[sd]?|rejected|"
        r"subject to|must not|is required|are required|non-refundable|penalt(?:y|ies)|restocking fee",
        1.0,
    ),
    (r"the customer|customers are|valued customer|dear customer", 1.0),
)

#: Urgency and pressure: deadlines, countdowns, scarcity, commands to act now. (pattern, weight)
URGENCY_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"act (?:now|fast|quickly|today)|hurry(?: up)?|rush|"
        r"don'?t (?:wait|delay|hesitate)|do not (?:wait|delay)|why (?:are you )?wait(?:ing)?",
        1.0,
    ),
    (r"(?:last|final) (?:chance|call|hours?|days?|few|opportunity|warning|reminder)|now or never", 1.0),
    (r"once it'?s gone|before it'?s too late|too late|or regret it|you'?ll regret", 1.0),
    (
        r"ends? (?:tonight|today|soon|at midnight|midnight|tomorrow|in \d+ \w+)|expir(?:es|ing|y)|deadline",
        1.0,
    ),
    (
        r"today only|tonight only|this weekend only|limited[- ]time|"
        r"limited (?:offer|stock|edition|availability)",
        1.0,
    ),
    (
        r"while (?:stocks?|supplies) lasts?|selling (?:out )?fast|going fast|almost gone|nearly gone|"
        r"before (?:it'?s|they'?re) gone|sell(?:ing)? out|nearly sold out|filling up fast|must go",
        1.0,
    ),
    (r"(?:only|just) \d+(?: [\w-]+){0,4} (?:left|remaining)|\d+ (?:left|remaining) in stock|low stock", 1.0),
    (
        r"\d+ (?:hours?|hrs?|minutes?|mins?|days?) (?:left|to go|remaining)|countdown|clock is ticking|"
        r"time is running out|running out|time'?s (?:almost )?up|in \d+ seconds",
        1.0,
    ),
    (r"don'?t miss(?: out)?|do not miss|miss(?:ing)? out|never again|won'?t last|immediately|asap", 1.0),
    (
        r"everyone'?s (?:buying|talking)|everyone is (?:buying|talking)|thousands (?:of \w+ )?have already|"
        r"(?:don'?t be|be) left behind|don'?t sleep on|lock in|prices? (?:go|goes|going) up|be the first",
        1.0,
    ),
    (
        r"urgent(?:ly)?(?! matters)|right now|"
        r"(?:buy|order|shop|book|claim|grab|sign up|subscribe|switch|apply) (?:now|today)",
        0.7,
    ),
    (r"now|today|tomorrow", 0.3),
)

#: Words that cancel an urgency phrase right after them ("no rush", "no need to hurry").
URGENCY_NEGATIONS = r"(?:\bno|\bnot|\bnever|\bno need to|\bdon'?t need to|\bwithout)\s+(?:\w+\s+)?$"

#: Excitement words: intensifiers and hype (exclamations, capitals and emoji are counted separately).
EXCITEMENT_WORDS = _w(
    """amazing incredible incredibly awesome epic insane unbelievable massive huge stunning fantastic
    sensational unreal spectacular extraordinary ultimate totally super absolutely thrilled
    thrilling excited exciting wow omg woohoo yay brilliant mega wild crazy unmissable mind-blowing
    jaw-dropping game-changing phenomenal ridiculous ridiculously whopping blockbuster"""
)

#: Corporate and marketing jargon (lower case; multi-word entries are matched as phrases).
JARGON = _w(
    """leverage leveraged leveraging synergy synergies synergistic utilize utilise utilizes utilises
    utilizing utilising utilization utilisation solution solutions best-in-class world-class
    cutting-edge paradigm stakeholder stakeholders bandwidth holistic holistically optimize optimise
    optimized optimised optimizing optimising optimization optimisation robust seamless seamlessly
    scalable ecosystem value-add value-added actionable deliverables deliverable empower empowers
    empowering empowerment streamline streamlined streamlining facilitate facilitates facilitating
    incentivize incentivise ideate ideation omnichannel granular impactful learnings next-generation
    next-gen game-changer game-changing disruptive disruption innovative innovation end-to-end
    turnkey proactive proactively mission-critical state-of-the-art revolutionary frictionless
    curated best-of-breed data-driven future-proof hyper-personalised hyper-personalized onboarding
    touchpoint touchpoints"""
) | frozenset(
    {
        "circle back",
        "touch base",
        "going forward",
        "core competency",
        "core competencies",
        "low-hanging fruit",
        "move the needle",
        "deep dive",
        "thought leadership",
        "value proposition",
        "at the end of the day",
        "best practice",
        "best practices",
        "win-win",
    }
)
