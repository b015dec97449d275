"""Word lists behind the tone profile (English). Each list is documented in docs/voice.md."""

from __future__ import annotations

__all__ = [
    "ACRONYMS",
    "ADJECTIVES",
    "ADJ_SUFFIXES",
    "ADVERBS",
    "ARTICLES",
    "AUXILIARIES",
    "CASUAL_LOWER_ONLY",
    "CASUAL_WORDS",
    "COLD_PATTERNS",
    "EXCITEMENT_WORDS",
    "FORMAL_PATTERNS",
    "HUMOUR_PATTERNS",
    "INTERJECTIONS",
    "IRREGULAR_PARTICIPLES",
    "JARGON",
    "LAUGHTER_EMOJI",
    "LAUGHTER_WORDS",
    "NOUN_SUFFIXES",
    "PERSON",
    "PREPOSITIONS",
    "PRONOUNS",
    "URGENCY_NEGATIONS",
    "URGENCY_PATTERNS",
    "URGENCY_TIME_WORDS",
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

#: Warmth and empathy (pattern, weight). Empathy for the reader's situation weighs most; thanks, offers of
#: help and personal care next; plain courtesy least.
WARMTH_PATTERNS: tuple[tuple[str, float], ...] = (
    # empathy: naming the reader's feelings or situation, apologising, condolences
    (
        r"(?:i'?m|we'?re|i am|we are) (?:so |very |really |truly |terribly )?sorry|sorry (?:to hear|for your|about)|"
        r"(?:please accept )?(?:our|my) (?:sincere |deepest )?(?:apologies|condolences)|condolences|"
        r"sorry for (?:the|your) loss|we apologi[sz]e|i apologi[sz]e",
        1.4,
    ),
    (
        r"(?:i|we) (?:completely |totally |fully )?understand(?: how| that| why)?|we hear you|"
        r"(?:that|it) (?:sounds|must (?:be|have been)|is) (?:really |so |very )?"
        r"(?:stressful|awful|frustrating|worrying|upsetting|annoying|disappointing|hard|difficult|frightening|"
        r"no fun|horrible|rotten)|you(?:'re| are) not alone|you did the right thing|"
        r"(?:please )?(?:tak(?:e|ing) care of|look(?:ing)? after) yourself|take care|glad you'?re (?:ok|okay|safe|alright)|"
        r"(?:thinking of|thoughts are with) you|however small|in your own time|when you(?:'re| are| feel) ready|"
        r"at a time that suits you|whenever (?:suits|you like|you'?d like)|no rush|no pressure|no need to worry|"
        r"don'?t worry|nobody wants",
        1.2,
    ),
    (r"sorry|apologi[sz]e[sd]?|apologies|unfortunately|i know", 0.6),
    # gratitude and personal help
    (r"thank(?:s|[- ]you)(?: so much| very much)?|grateful|we appreciate|appreciated|much appreciated", 0.8),
    (
        r"happy to help|glad to help|here (?:for you|to help)|(?:just )?let (?:us|me) know|just ask|ask us|"
        r"get in touch|give us a (?:call|shout)|drop us a line|feel free|i'?ll (?:keep an eye|call|update|stay|"
        r"email|make sure|personally)|i'?ll be|(?:i|we)'?ve (?:sent|refunded|booked|moved|added|ordered|"
        r"waived|blocked|cancelled|restored|reset|changed|updated|paused|passed|found|put|fixed|popped|"
        r"reconnected|sorted)|we'?ll (?:sort|help|refund|replace|send|look after)|on us|free of charge|"
        r"(?:with|by) you|for you",
        0.7,
    ),
    (
        r"welcome|glad|delighted|pleased|lovely|hope|hoping|enjoy(?:ing|ed)?|congratulations|well done|"
        r"happy birthday|good luck|proud|cheers|see you|have a (?:great|good|lovely|restful)|love|loved|"
        r"care|caring|kind|gentle|together|community|friends?|neighbours?|family|treat yourself|"
        r"a real person|in plain english|well done|you deserve|you'?ve earned",
        0.5,
    ),
    (r"please|kindly", 0.15),
)

#: Coldness: dismissive, blaming, legalistic or impersonal phrasing; lowers warmth. (pattern, weight)
COLD_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"not (?:really )?our (?:problem|fault|responsibility)|(?:this|that) is user error|user error|"
        r"working as (?:designed|intended)|not a bug|nothing (?:further|more) (?:we can do|can be done)|"
        r"(?:as|like) (?:previously|already) (?:stated|explained|mentioned|advised)|as stated in|"
        r"per my (?:last|previous)|(?:please )?(?:read|refer to|see) (?:the|our) (?:terms|documentation|"
        r"tariff|faq|policy)|before contacting (?:us|support)|no further (?:correspondence|response|action will)|"
        r"will not be (?:entered into|investigating|refunded|accepted|processed)|we will not be|"
        r"claim (?:denied|rejected)|(?:request|complaint|application) (?:has been|was) (?:rejected|declined|"
        r"closed)|can'?t help with that|cannot help|not liable|is responsible for|are responsible for|"
        r"you should have|you were told|outside our control",
        1.2,
    ),
    (
        r"hereby|pursuant|aforementioned|herein|thereof|in accordance with|at our (?:sole )?discretion|"
        r"please be advised|kindly note|be advised|it has been determined|we regret to inform|"
        r"failure to|failed to|not (?:be )?eligible|invalidate[sd]?|rejected|refused|denied|non-refundable|"
        r"penalt(?:y|ies)|must not|you are required|patients are|customers are|the customer|dear customer|"
        r"valued customer|dear patient|dear sir|cost the service|try again (?:next week|later)|"
        r"(?:is|are) responsible for",
        0.7,
    ),
)

#: Urgency and pressure (pattern, weight). Graded: a calm deadline counts a little, a countdown, scarcity,
#: "only N left", "valid N hours", "don't miss", threats of loss and money lures count fully, stacked cues
#: add up. A single time word counts for almost nothing, and an exclamation mark only amplifies real cues.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?"
_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?|{_DAY}|the \d{{1,2}}(?:st|nd|rd|th)|\d{{1,2}}/\d{{1,2}})"
#: A point in time that can serve as a limit: a date, a clock time, midnight, the end of a period, a day
#: ahead ("tomorrow", "this Friday", "next week").
_LIMIT = (
    rf"(?:{_DATE}|\d{{1,2}}(?:[:.]\d\d)? ?(?:am|pm)|\d{{1,2}}[:.]\d\d|midnight|noon|midday|"
    rf"(?:the )?end of (?:the |this |next )?(?:day|week|month|year|term|quarter|{_MONTH})|"
    rf"tomorrow|tonight|today|(?:this|next|coming) (?:week|weekend|month|{_DAY})|the weekend)"
)

URGENCY_PATTERNS: tuple[tuple[str, float], ...] = (
    # security codes and links that expire: information, not pressure (listed first so they win the match)
    (
        r"(?:code|link|password|passcode|pin|otp|token)\b[^!?\n]{0,30}?(?:expires?|is valid|valid|works) "
        r"(?:in|for|after|until) \d+ \w+",
        0.05,
    ),
    # commands to act now
    (
        r"act (?:now|fast|quickly|today)|hurry(?: up)?|rush|don'?t (?:wait|delay|hesitate to (?:buy|order|book|"
        r"apply|call))|do not (?:wait|delay)|why wait|what are you waiting for|go go go|"
        r"(?:buy|order|shop|book|claim|grab|get|sign up|subscribe|switch|apply|upgrade|call|text|txt|reply|"
        r"tap|click|join|register|enrol|start|open|lock|secure|check out|respond|send|collect|redeem|"
        r"download|visit|move|give|donate|confirm|verify|pay|file|approve|act)(?: (?:it|one|yours|them|your \w+|up|in|now))? "
        r"(?:now|today|immediately|asap|right away|straight away|(?:before|b4) (?:it'?s|they'?re) gone|before \w+ ends?)",
        1.0,
    ),
    # last chance, fear of missing out, threats of loss
    (
        r"(?:last|final) (?:chance|call|hours?|days?|few|opportunity|warning|reminder|notice|days)|"
        r"(?:last|final) (?:\d+|two|three|few) (?:hours?|hrs?|days?|minutes?|mins?)|"
        r"don'?t let (?:another|your|anyone|them|it)|(?:we'?d )?hate (?:for )?you to miss|"
        r"(?:don'?t|do not|won'?t) (?:expect to )?(?:run|repeat|offer) (?:it|this|them) again|"
        r"now or never|once (?:it'?s|they'?re) gone|before (?:it'?s|they'?re) (?:too late|gone)|too late|"
        r"or regret it|you'?ll regret|don'?t (?:miss|lose|let \w+ (?:slip|pass))|do not miss|miss(?:ing)? out|"
        r"(?:or|and|will) lose (?:it|out|your|the)|(?:don'?t|do not) be (?:left behind|the one)|"
        r"left behind|never again|won'?t (?:last|come back|be repeated)|will not be repeated|"
        r"(?:don'?t|do not) sleep on|(?:don'?t|do not) ignore|at risk|could be at risk|blink and|"
        r"use it or lose it|(?<!a )while you (?:still )?can|(?:will be|will b|gets?) (?:locked|suspended|closed|cancell?ed|"
        r"deactivated|blocked|cut off) (?:in|within|unless|if)|unless you (?:verify|act|respond|reply|call|confirm)",
        1.2,
    ),
    # deadlines stated as pressure
    (
        r"ends? (?:tonight|today|soon|at midnight|midnight|tomorrow|in \d+|this (?:week|weekend)|sunday|"
        r"monday|friday)|(?:closes|closing|expires|expiring|finishes|stops) (?:tonight|today|at midnight|soon|in \d+)|"
        r"(?:offer|sale|deal|discount|price|rate|bonus|promotion|promo|code|voucher)s? (?:ends?|expires?|"
        r"closes?|finish(?:es)?)(?: (?:tonight|today|at midnight|midnight|tomorrow|soon|this \w+|in \d+ \w+))?|expir(?:es|ing)(?! (?:on|at))|until midnight|by midnight|at midnight|"
        r"tonight only|today only|this weekend only|(?:\d+|24|48|72|one|two|three) ?(?:hours?|hrs?|days?|weeks?) only|only (?:for )?"
        r"(?:\d+ ?|one |two |three )(?:hours?|hrs?|days?)|for (?:\d+ ?|one |two )(?:hours?|hrs?|days?) only|"
        r"valid (?:for )?(?:\d+ ?|one |two |three )(?:hours?|hrs?|days?|mins?|minutes?)|valid (?:until|till) "
        r"(?:tonight|today|midnight|tomorrow)|limited[- ]time|limited (?:offer|stock|edition|availability|"
        r"places|spaces|slots)|for a limited|deadline|(?:for |in )?the next (?:\d+|two|few) (?:hours?|hrs?|minutes?|mins?)|"
        r"(?:rates?|offers?|deals?|sales?|prices?) ending|ending (?:soon|tonight|today)",
        1.0,
    ),
    # countdowns
    (
        r"\d+ (?:hours?|hrs?|minutes?|mins?|days?|seconds?) (?:left|to go|remaining)|(?:only|just) \d+ "
        r"(?:hours?|hrs?|minutes?|mins?|days?)(?: left| to go)?|ends in \d+|in \d+ (?:minutes|mins|seconds)|"
        r"countdown|clock is ticking|time is running out|running out|time'?s (?:almost )?up|hours to go|"
        r"(?:one|two|three|a few) (?:hours?|days?) left|days? left|hours? left",
        1.2,
    ),
    # scarcity
    (
        r"(?:only|just) (?:\d+|a few|a handful of)(?: [\w'-]+){0,4} (?:left|remaining|remains?|available)|"
        r"(?:nearly|almost) (?:empty|full|gone)|"
        r"\d+ (?:left|remaining) in stock|low stock|while (?:stocks?|supplies|sizes) lasts?|selling (?:out )?fast|"
        r"going fast|flying off|almost gone|nearly gone|sell(?:ing)? out|(?:nearly|almost) sold out|"
        r"filling up(?: fast| quickly)?|must go|(?:last|few) (?:spaces|places|slots|seats|remaining)|"
        r"slots? (?:left|run out)|spaces (?:are )?limited|appointments are limited|before (?:slots|spaces|"
        r"places|stocks?) run out|before (?:prices|rates) (?:rise|go up)|selling quickly|few left",
        1.2,
    ),
    # social proof and money pressure
    (
        r"everyone'?s (?:buying|switching|talking)|everyone is (?:buying|switching)|(?:thousands|millions|\d[\d,]*) "
        r"(?:of [\w ]+ )?(?:have )?already|prices? (?:go|goes|going|rise|rises|will rise) up|prices? (?:rise|"
        r"increase) (?:on|at|tomorrow)|lock in|secure your (?:discount|rate|place|price)|be the first|"
        r"(?:you(?:'ve| have)|u have) (?:won|been (?:selected|chosen))|cash (?:prize|award|"
        r"reward)|(?:claim|redeem) (?:your|a|the|now|yours)|to claim|guaranteed (?:£|\$|cash|prize|\d)|"
        r"(?:£|\$|€)\d[\d,]*(?: \w+){0,2} (?:cash|prize|award|reward|bonus)|free (?:entry|gift|tickets?|"
        r"ringtones?|msg|text)|urgent(?:ly)?(?! (?:matters|help|care|cases?|enquir\w+|quer\w+|appointments?|treatment|issues?|advice|needs))",
        0.9,
    ),
    # calls to act on a short code or a premium number (commercial pushes)
    (
        r"(?:call|ring|dial)(?: [\w-]+){0,2} (?:on )?0?9\d{6,}|(?:text|txt|send|reply|rply)(?: [\w\"'-]+){1,4} "
        r"(?:to|2) \d{4,}|(?:text|txt|reply) (?:now|yes|win|claim)|call (?:now|us now|today)|reply (?:now|asap)|"
        r"(?:chat|date|play|watch|listen|try|enter|win)(?: it| one)? now",
        0.7,
    ),
    # a sales offer with a call to act: a push, not yet pressure
    (
        r"free|half price|\d+ ?% off|discount|special offer|new offer|exclusive|double (?:mins|minutes|texts?|"
        r"txts?|points|data)|gift (?:voucher|card)s?|vouchers?|\bwin\b|cash",
        0.3,
    ),
    # money lures (prize mail): a push, but weaker than a deadline
    (
        r"(?:you|u)(?:'ve| have| are)? (?:won|win|a winner)|(?:to|and|could|chance to|u can|you can) win|"
        r"win (?:a|an|\d|£|\$|€)|prizes? (?:draw|worth|of)|(?:claim|collect) (?:your|a|the) (?:prize|reward)|"
        r"jackpot|\d+ (?:prize|award)",
        0.6,
    ),
    # a request to act soon, stated calmly; a date given as a limit
    (
        r"(?:please )?(?:book|order|apply|pay|respond|choose|update|sign|reply|renew|switch|upload|register) "
        rf"(?:early|soon|by|before|within)|(?:by|before|until|till|b4|ends?|closes|expires|resets) (?:on )?{_DATE}|"
        # a limit stated by its verb in any form, or by "no later than": a deadline, calmly
        rf"(?:expir(?:e|es|ing)|clos(?:e|es|ing)|end(?:s|ing)?|finish(?:es|ing)?|lapses?|resets?|"
        rf"renew(?:s|ing)?) (?:on |by )?{_LIMIT}|(?:no|not) later than|(?:before|by) {_LIMIT}|"
        r"(?:action|response|payment|reply|signature) (?:is )?(?:required|needed)|"
        r"(?:by|before) \d{1,2}(?:[:.]\d\d)? ?(?:am|pm)|within (?:the next )?(?:\d+|a few|few) (?:working )?(?:hours|days)|"
        r"at your earliest (?:opportunity|convenience)|strongly (?:encourage|recommend|advise)|until the end of|"
        r"(?:\d+|24|48|72) ?(?:hours?|hrs?) (?:of|to)|"
        r"to avoid (?:a |any |further |late )?\w+|is due|are due|due (?:in \d+ \w+|on|by|today|tomorrow|this \w+|next \w+)|overdue|don'?t forget|"
        r"remember to|reminder|time (?:is )?limited",
        0.45,
    ),
)

#: Time words: they add to real pressure cues (0.12 each) but are never pressure on their own.
URGENCY_TIME_WORDS: tuple[tuple[str, float], ...] = (
    (r"now|today|tonight|tomorrow|quick(?:ly)?|fast|soon|this week|right away|immediately", 0.12),
)

#: Words that cancel an urgency phrase right after them ("no rush", "no need to hurry").
URGENCY_NEGATIONS = (
    r"(?:\bno|\bnot|\bnever|\bno need to|\bdon'?t need to|\bwithout|\bthere'?s no|\bnothing)\s+"
    r"(?:\w+\s+){0,3}$"
)

#: Register markers of formal, official or legal copy (pattern, weight): raise formality.
FORMAL_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"pursuant to|hereby|herein|hereafter|thereof|therein|whereby|aforementioned|notwithstanding|"
        r"please be advised|be advised|kindly note|we regret to inform|it has been determined|"
        r"in accordance with|with effect from|further to|at your earliest convenience|reserves? the right|"
        r"yours (?:sincerely|faithfully)|dear (?:sir|madam|customer|patient|administrator|client|member)|"
        r"sole discretion|in respect of|prior to|in the event (?:of|that)|shall",
        1.2,
    ),
    (
        r"please (?:find|accept|retain|note|contact|ensure|allow|refer)|please do not hesitate|"
        r"should you (?:have|require|wish|remain|need)|we (?:would|should) (?:welcome|be pleased|like to)|"
        r"i (?:would|should) welcome|we (?:enclose|confirm that)|this is to (?:inform|confirm|notify)|"
        r"(?:is|are) (?:required|obliged|requested) to|(?:is|are) subject to|subject to|regarding|"
        r"accordingly|furthermore|moreover|therefore|thus|hence|in order to|with regard to|"
        r"(?:dear|to) (?:mr|mrs|ms|miss|dr|prof)\b|our records (?:indicate|show)|applicable|"
        r"(?:will|shall) be (?:processed|applied|deemed|considered|recorded|entered)|"
        r"(?:is|are) (?:unable|not permitted)|any questions (?:you|your) \w+ may have|commence[ds]?|"
        r"endeavou?r|facilitate|in due course|henceforth|whilst|provided that|on request",
        0.6,
    ),
)

#: Casual register: slang, text-speak and chatty interjections (lower formality, raise playfulness a little).
CASUAL_WORDS = _w(
    """lol lmao lmfao rofl omg omfg tbh btw idk imo ngl fyi pls plz thx ty u ur r b4 2day 2moro gr8 gonna
    wanna gotta kinda sorta dunno ya yep yup nope yeah yo hey heya heyy heyyy hiya oi oof ooh aww woohoo yay
    wow whoa haha hahaha hehe psst ok okay cool awesome stoked legit vibes comfy deets fab yum brr shh eek
    ugh phew oops whoops cheers mate folks guys peeps bestie fam lit epic"""
)

#: Text-speak that is also an ordinary capitalised word or initial ("R Adeyemi", "U-turn"): casual only in lower case.
CASUAL_LOWER_ONLY = _w("u r ur ya ty ok")

#: Acronyms that are written in capitals in plain copy (not shouting).
ACRONYMS = _w(
    """isa vat csv pdf utc gmt bst cet sms faq pin atm ceo cfo cto api sso saml gdpr nhs gp mot usd gbp eur
    uk usa eu ai hr id tv ps eta iban swift bic apr aer cqc dpa sla kpi roi crm erp saas sql url it
    plc ltd llc inc ncb nb mri ct ae ok rsvp diy asap am pm"""
)

#: Laughter, written or as an emoji: humour (``HUMOUR_PATTERNS``), not excitement. "LOL" in capitals is a
#: laugh, not a shouted word, and a crying-with-laughter face is not hype, so neither counts as a capital
#: word or an emoji for excitement (each still counts as humour, and "lol" as casual).
LAUGHTER_WORDS = _w("lol lmao lmfao rofl haha hahaha hahahaha hehe jk")
LAUGHTER_EMOJI = frozenset(
    "\U0001f602\U0001f923\U0001f606\U0001f605\U0001f61c\U0001f61d\U0001f609\U0001f643\U0001f92a\U0001f61b"
)

#: Humour and playfulness (pattern, weight): laughter, playful emoji, jokey framings, teasing asides,
#: things given human feelings, mock headlines, self-mockery. Irony and puns are mostly out of reach.
HUMOUR_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"lol|lmao|lmfao|rofl|ha|haha(?:ha)*|hehe|jk|just kidding|kidding|pun intended|no pun intended|"
        r"[\U0001f602\U0001f923\U0001f606\U0001f605\U0001f61c\U0001f61d\U0001f609\U0001f60e\U0001f643"
        r"\U0001f607\U0001f648\U0001f92a\U0001f61b\U0001f60f]",
        1.2,
    ),
    (
        r"plot twist|spoiler(?: alert)?|fun fact|hot take|cold take|breaking|spotted|confession|"
        r"(?:mission|task) (?:accomplished|complete)|legendary|bold move|classic|oof|whoops|oops|psst|"
        r"ta-?da|we promise|(?:we|i) checked\. twice|(?:honestly|seriously|literally|officially|basically|"
        r"apparently|allegedly)|the worst|"
        r"in the history of|never, in|third time lucky|to be fair|well, \w+|"
        r"minus the|but make it|we'?d call it|not a pony|try not to|(?:it'?s|they'?re) not (?:a|an) \w+, but|"
        r"(?:mildly|slightly|suspiciously|dangerously|worryingly) (?:concerning|smug|enthusiastic|good|keen)|"
        r"questionable|(?:an? )?(?:alarming|worrying|concerning|unreasonable) amount of|we counted|"
        r"ate the evidence|ka-?ching|(?:it|they|he|she) (?:waved|winked|blushed|sulked|sighed|shrugged)|"
        r"(?:had|having) a long (?:week|day)|(?:same|new) \w+, same \w+",
        0.8,
    ),
    (
        # things given human feelings, wants or speech
        r"(?:your|our|the|this|my|a|local) [a-z]+(?: [a-z]+)? (?:called|calls|says|said|asked|wants|is "
        r"(?:jealous|proud|blushing|lonely|tired|getting lonely|smug|confident)|are (?:jealous|proud|tired|"
        r"lonely)|refuses|voted|abstained|retired|has been promoted|deserves|would like a word|has feelings|"
        r"is filing|are filing|misses you|hates (?:everyone|you|mondays))|filing for early retirement|"
        r"(?:very )?(?:smug|cheeky|sassy|grumpy|well[- ]behaved) \w+|"
        r"(?:strength|size|patience) of a (?:small )?\w+|like a \w+ (?:holiday|party|hug) in a \w+|"
        r"best impression of|doing (?:its|their) best|have been working out|group photo|"
        r"[a-z]+ called\. (?:it|they|he|she) (?:asked|wants?|said|would)",
        1.0,
    ),
    (r"\([^()]{3,80}[.!?]\)|\?!|!\?", 0.6),
)

#: Excitement words: intensifiers and hype (exclamations, capitals and emoji are counted separately).
EXCITEMENT_WORDS = _w(
    """amazing incredible incredibly awesome epic insane unbelievable massive huge stunning fantastic
    sensational unreal spectacular extraordinary ultimate totally super absolutely thrilled
    thrilling excited exciting wow omg woohoo yay brilliant mega wild crazy unmissable mind-blowing
    jaw-dropping game-changing phenomenal ridiculous ridiculously whopping blockbuster biggest madness
    bonanza blowout sizzling smashing mega-sale megasale woo-hoo hooray ecstatic"""
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

#: Sentiment: VADER's valences (−4 to 4) changed for service and marketing copy, where "interest" is a rate,
#: "please" is courtesy, "urgent" and "limited" are pressure (not joy), and problems VADER does not know
#: ("declined", "overdue", "outage") are bad news.
SENTIMENT_VALENCE: dict[str, float] = {
    "interest": 0.0,
    "interests": 0.0,
    "credit": 0.0,
    "ready": 0.6,
    "please": 0.2,
    "kindly": 0.2,
    "free": 1.0,
    "urgent": -0.6,
    "alert": 0.0,
    "important": 0.0,
    "limited": 0.0,
    "care": 1.2,
    "help": 1.0,
    "well": 0.3,
    "declined": -1.8,
    "decline": -1.2,
    "overdue": -1.6,
    "locked": -1.2,
    "outage": -2.0,
    "late": -1.0,
    "unable": -1.3,
    "cannot": -0.8,
    "diagnosis": -0.8,
    "passing": -0.6,
    "condolences": -0.6,
    "fee": -0.6,
    "fees": -0.6,
    "non-refundable": -1.2,
    "refund": 0.6,
    "refunded": 1.0,
    "replacement": 0.6,
    "waived": 1.2,
    "fixed": 1.0,
    "resolved": 1.2,
    "sorted": 1.0,
    "apologise": -0.4,
    "apologize": -0.4,
    "apologies": -0.4,
    "inconvenience": -1.2,
    "delay": -1.0,
    "delays": -1.0,
    "exceeds": -0.8,
    "dissatisfied": -1.8,
    "complaint": -1.2,
    "suspend": -1.6,
    "removed": -0.8,
    "misuse": -1.5,
    "overdraft": -0.4,
    "debt": -1.2,
    "abusive": -2.0,
    "frozen": -0.6,
    "leaky": -1.2,
    "flat": -0.6,
    "deprecated": -0.6,
}

#: Emoji read as a smile or a frown before VADER sees the text (its own emoji descriptions misread many:
#: 🔥 becomes "fire"); other emoji are left out of the sentiment.
POSITIVE_EMOJI = frozenset(
    "😀😃😄😁😊🙂😍🥰😘😎🤩🥳🎉🎊✨💪🙌👍👏❤💖💕💛💚💙💜🧡😂🤣😆😅😉😇🌞☀🌈⭐🌟🏆🎂🎁🍾🥂💯🙏😋🤗"
)
NEGATIVE_EMOJI = frozenset("😢😭😞😔😟😠😡🤬💔👎😱😩😫😤😓😰😥🙁☹😬⚠")

SENTIMENT_VALENCE.update(
    {
        # marketing hyperbole and fear-of-missing-out words are pressure or hype, not sadness or anger
        "madness": 0.0,
        "crazy": 0.0,
        "mad": 0.0,
        "insane": 0.0,
        "killer": 0.0,
        "wild": 0.0,
        "miss": -0.2,
        "lose": -0.6,
        "risk": -0.6,
    }
)

#: Good news for the reader (pattern, weight): offers, arrivals, thanks, approvals, fixes, celebrations.
GOOD_NEWS_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"good news|great news|congratulations|well done|happy birthday|welcome|thank(?:s| you)|"
        r"(?:is|are) (?:here|back|live|out now)|now (?:live|available|open)|on (?:its|their) way|\d+ ?% off|"
        r"half price|(?:\d+|two|three)-for-|sale|deal|discount|offer|bonus|free|gift|treat|saved|earned|"
        r"approved|refunded|fixed|resolved|squashed|increased|has arrived|arrived|landed|new|launch(?:es|ed)?|"
        r"celebrat\w*|proud|enjoy|love|lovely|delighted|glad|happy|pleased|all set|ready|done",
        1.0,
    ),
)

#: Bad news for the reader (pattern, weight): failures, refusals, damage, loss, illness, charges, delays.
BAD_NEWS_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"passed away|passing|died|death|bereave\w*|loss|diagnos\w*|allergic|pain|frightening|scam|fraud\w*|"
        r"stolen|nicked|outage|emergency",
        1.4,
    ),
    (
        r"failed|failure|declined|rejected|refused|denied|not (?:able|possible|covered|eligible|acceptable|"
        r"available|accepted|refundable)|non-refundable|unable|can(?:'|no)t|won'?t be|will not|no longer|"
        r"problem|issue|broken|damaged|leak\w*|late|delay\w*|missed|overdue|suspended|locked|lost|error|bug|"
        r"flat|cracked|wrong|complaint|penalt\w*|debt|closed|out of stock|sorry|unfortunately|exceeds|"
        r"removed|cancell?ed|frozen|worse|worst|stressful|frustrat\w*|annoy\w*|disappoint\w*|awful|mess|"
        r"explod\w*|misuse|abusive|warning|at risk",
        1.0,
    ),
)

#: A customer who is angry, frustrated or complaining (in the customer's message, for replies in context).
UPSET_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"furious|livid|angry|annoyed|fuming|outraged|disgusted|appalled|appalling|unacceptable|ridiculous|"
        r"disgraceful|shocking|pathetic|useless|terrible|horrible|awful|worst|rubbish|joke|a disgrace|"
        r"fed up|sick (?:of|and tired)|had enough|last straw|frustrat\w*|disappoint\w*|upset|stress(?:ed|ful)|"
        r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|(?:still|yet) (?:waiting|not|no|haven'?t|hasn'?t)|"
        r"never (?:arrived|came|turned up|received|got)|(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not) "
        r"(?:arrived|come|turned up|been (?:fixed|sorted|refunded|resolved))|no one (?:has )?(?:replied|answered|"
        r"called)|nobody (?:has )?(?:replied|answered|called)|(?:want|demand) (?:a|my) refund|complain\w*|"
        r"cancel my|close my account|wtf|what the hell|how dare|are you kidding|seriously\?",
        1.0,
    ),
    (
        # service failures told as such: nobody came or answered, a promise broken, charged wrongly, kept
        # waiting, the same fault again, passed around
        r"(?:nobody|no one|no-one)(?: (?:has|have|is|was|ever|even|seems to|bothered to|actually))* (?:replied|"
        r"answered|answers|answering|called|calls|calling|rang|phoned|got back|gets back|came|turned up|showed up|"
        r"responded|responds|responding|listens|listened|listening|helped|helps|cares|bothered|contacted|knows?)|"
        r"(?:didn'?t|did not|never|doesn'?t|does not|won'?t|wouldn'?t) (?:show|show up|turn up|call back|ring back|"
        r"get back to (?:me|us)|bother|listen)|"
        r"(?:charged|billed) (?:me |us )?(?:twice|two times|double)|double[- ](?:charged|billed)|"
        r"overcharg\w*|(?:bill|statement|invoice|charge) (?:is|was) wrong|"
        r"(?:delayed|cancelled|canceled|broken|wrong|late|down|failed|missing|crashed|stopped working) (?:yet )?"
        r"again|"
        r"(?:taking|took|takes) (?:so long|this long|ages|forever)|(?:been )?on hold for|kept (?:me |us )?"
        r"waiting|(?:was|were|got|been|keep getting) cut off|(?:passed|pushed|bounced) (?:from|around|between|back and forth)|"
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many) (?:days|weeks|months|hours) (?:now|"
        r"and (?:still|nothing|counting))|it'?s been (?:a|an|over a|more than a|\d+|two|three|four|several) "
        r"(?:week|weeks|month|months|day|days|hour|hours)|"
        r"where (?:is|are) (?:it|my (?:order|parcel|package|refund|delivery|money|engineer|replacement|items?))|"
        r"what on earth|explain (?:that|this|yourselves)|"
        r"(?:speak|talk) to (?:a|your|the|someone) (?:manager|supervisor|senior|human|real person|in charge)|"
        r"formal complaint|escalat(?:e|ed|ing|ion)|ombudsman|trading standards|small claims|chargeback|solicitor|"
        r"legal action|report you|"
        r"not (?:happy|impressed|good enough|acceptable|okay|ok|satisfied|what i (?:paid|asked) for)|unhappy|"
        r"dissatisfied|let down|losing (?:my )?patience|lost (?:all )?patience|out of pocket|"
        r"ruined|spoil(?:ed|t)|(?:arrived|came|turned up|delivered) (?:smashed|broken|damaged|crushed|"
        r"leaking|soaked|wet|open|opened|cold|wrong)|"
        r"gone downhill|going downhill|(?:considering|thinking (?:of|about)) (?:leaving|switching|cancelling|"
        r"canceling|moving)|take my (?:business|custom|money) elsewhere|never (?:again|use you again|order(?:ing)? "
        r"again|buy(?:ing)? again)|thanks for nothing|cheers for nothing|(?:more|your|no more) excuses|"
        r"incompeten\w*|shambles|farce|nightmare|hopeless|clueless|dreadful|inexcusable|unbelievable|"
        r"beyond (?:a )?joke|so-called|how hard can it be|do you (?:even|actually) (?:read|care|listen)|"
        r"(?:is|are) (?:it|this|you) a bot",
        1.0,
    ),
)

#: A customer reporting a loss: a death, an illness, fraud or theft, money, data or something precious lost.
LOSS_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        r"passed away|has died|had died|died|death|funeral|bereave\w*|lost (?:my|our) (?:mum|mom|mother|dad|"
        r"father|husband|wife|partner|son|daughter|child|baby|brother|sister|friend|grandm\w+|grandf\w+|dog|cat|"
        r"pet|job|home|house)|miscarriage|diagnos\w*|cancer|terminal|hospital|intensive care|seriously ill|"
        r"accident|emergency|scam(?:med)?|fraud\w*|stolen|robbed|burgled|hacked|identity theft|"
        r"lost (?:all )?(?:my|our|the) (?:money|savings|data|work|files|photos|deposit|card|wallet|purse|phone)|"
        r"(?:money|savings|data|work|files|photos) (?:is|are|has been|have been) (?:gone|lost|deleted|wiped)|"
        r"allergic reaction|in pain|injur\w*",
        1.0,
    ),
    (
        # payments, access or belongings the customer did not authorise or no longer has
        r"(?:someone|somebody|a stranger|(?:some|a) (?:fraudster|scammer|criminal)) (?:has |had )?(?:used|taken|took|"
        r"accessed|got into|spent|withdrew|withdrawn|emptied|stole|opened|changed)|"
        r"(?:payments?|transactions?|purchases?|charges?|withdrawals?) (?:that )?(?:i|we) (?:didn'?t|did not|never) "
        r"(?:make|made|authori[sz]e|recogni[sz]e)|(?:didn'?t|did not|never) (?:make|authori[sz]e|recogni[sz]e) "
        r"(?:this|these|that|those|the|a) (?:payments?|transactions?|purchases?|charges?)|unauthori[sz]ed|"
        r"victim of|(?:money|savings|balance|funds|photos|files|data|work|messages|contacts|documents)(?: \w+){0,4} "
        r"(?:has |have |had )?(?:gone|disappeared|vanished|been wiped|been deleted|been taken|been emptied)|"
        r"(?:lost|losing) (?:all |everything|(?:\w+ )?(?:years?|months?) of )|"
        r"put to sleep|(?:my|our) (?:mum|mom|mother|dad|father|husband|wife|partner|son|daughter|child|baby|"
        r"brother|sister|friend|gran|grandma|grandad|grandmother|grandfather|nan|aunt|uncle|dog|cat|pet) passed|bereavement|(?:serious|terminal|long-term|chronic) (?:illness|"
        r"condition)",
        1.0,
    ),
)
