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
#: A period of the calendar: "the month", "this term", "the tax year", "June".
_PERIOD = (
    rf"(?:the |this |next |each |every )?(?:(?:financial |tax |school |academic )?year|day|week|month|term|quarter|"
    rf"semester|season|school holidays|{_MONTH})"
)
#: A point in time that can serve as a limit: a date, a clock time, midnight, the end of a period, a day
#: ahead ("tomorrow", "this Friday", "next week").
_LIMIT = (
    rf"(?:{_DATE}|\d{{1,2}}(?:[:.]\d\d)? ?(?:am|pm)|\d{{1,2}}[:.]\d\d|midnight|noon|midday|"
    rf"(?:the )?(?:end|(?:last|final) day) of {_PERIOD}|"
    rf"tomorrow|tonight|today|(?:this|next|coming) (?:week|weekend|month|{_DAY})|the weekend)"
)

URGENCY_PATTERNS: tuple[tuple[str, float], ...] = (
    # security codes and links that expire: information, not pressure (listed first so they win the match)
    (
        r"(?:code|link|password|passcode|pin|otp|token|statement|document|invoice|receipt|letter)s?\b[^!?\n]{0,30}?"
        r"(?:expires?|is valid|valid|works|(?:is |are )?(?:active|available|ready|visible)(?: to (?:view|see|"
        r"download|use))?) (?:in|for|after|until) (?:the next )?\d+ \w+",
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
        # "the last day of the quarter" names a date (a limit only after "by" or "before": below)
        rf"(?:last|final) (?:chance|call|hours?|days?(?! of {_PERIOD}\b)|few|opportunity|warning|reminder|notice)|"
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
        r"closes?|finish(?:es)?)(?: (?:tonight|today|at midnight|midnight|tomorrow|soon|this \w+|in \d+ \w+))?|"
        # bare "expires" pushes, but "expires next month" or "on 3 May" is a calm limit (weight 0.45, below)
        rf"expir(?:es|ing)(?! (?:on|at|by)\b)(?! {_LIMIT})|until midnight|by midnight|at midnight|"
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
    (
        # German, French and Spanish: the plainest signs only (anger, a complaint, a repeat, a refund
        # demanded), in the phrase lists so that both tiers read them (the embedding model reads English only)
        r"unverschämt|frechheit|katastroph\w*|inakzeptabel|unzumutbar|verärgert|wütend|enttäuscht|beschwerde|"
        r"reklamation|(?:zum|das) (?:zweiten?|dritten?|vierten?|fünften?) mal|schon wieder|(?:immer|noch) (?:noch|immer) (?:nicht|kein\w*)|"
        r"(?:will|möchte) (?:mein|das) geld zurück|"
        r"inadmissible|inacceptable|scandaleu(?:x|se)|honteu(?:x|se)|furieu(?:x|se)|en colère|énervée?|déçue?|"
        r"déception|plainte|réclamation|(?:la )?(?:deuxième|troisième|quatrième|cinquième) fois|encore une fois|"
        r"toujours (?:pas|rien|aucun\w*)|(?:je veux|je demande|j'exige) (?:un |mon |le )?rembours\w*|"
        r"remboursez-moi|jamais (?:reçu|arrivée?)|"
        r"inaceptable|vergonzos[oa]|indignante|furios[oa]|enfadad[oa]|enojad[oa]|hart[oa]|decepcionad[oa]|queja|"
        r"reclamación|(?:segunda|tercera|cuarta|quinta) vez|otra vez|todavía no|aún no|sigo esperando|"
        r"(?:quiero|exijo) (?:un |mi |el )?reembolso|devuélvanme|nunca llegó",
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
    (
        # German, French and Spanish: a death, an illness, fraud, theft, a lost job (both tiers)
        r"verstorben|gestorben|todesfall|beerdigung|trauerfall|krebs|krankenhaus|betrug|betrogen|gestohlen|"
        r"geklaut|gehackt|unfall|arbeitslos|"
        r"décédée?|décès|est morte?|obsèques|enterrement|deuil|hôpital|arnaque|arnaquée?|volée?|on m'a volé|"
        r"cambriol\w*|piratée?|licenciée?|perdu mon (?:emploi|travail)|"
        r"falleci(?:ó|do|da)|murió|muerte|entierro|luto|cáncer|estafa|estafad[oa]|robad[oa]|me robaron|"
        r"hackead[oa]|accidente|despedid[oa]|perdí mi (?:trabajo|empleo)",
        1.0,
    ),
)

# -- the core tier's reading of a complaint or a loss told in plain words -----------------------------------
# Used by brandrail.voice.context in the core tier (no embedding): each cue weighs 0.3–1.0 and a customer turn
# whose cues add up to COMPLAINT_THRESHOLD is in the state, so one weak sign ("again", "why is…", "broken")
# is not enough but two are ("the replacement is broken again"). The cue words are the evidence.
#: The sum of cue weights in one customer turn at which the core reader marks the state.
COMPLAINT_THRESHOLD = 1.0
_APOS = "['’]?"
_N = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple|countless)"
_UNIT = r"(?:days?|weeks?|months?|hours?|hrs|minutes|mins|years?|fortnight)"
_FAMILY = (
    r"(?:mum|mom|mother|dad|father|husband|wife|partner|son|daughter|child|baby|brother|sister|friend|nan|gran|"
    r"granny|grandma|grandad|grandpa|grandmother|grandfather|aunt|auntie|uncle|cousin|dog|cat|pet|horse|in-law)s?"
)
_BELONGINGS = (
    r"(?:wallet|purse|bag|handbag|rucksack|backpack|phone|car|bike|bicycle|card|cards|laptop|keys|passport|van|"
    r"tools|jewel(?:le)?ry|ring|watch|luggage|suitcase)"
)

#: Attitude: the customer says how they feel or judges the service (counted wherever it stands, except
#: right after a negation). (pattern, weight)
COMPLAINT_ATTITUDE: tuple[tuple[str, float], ...] = (
    (
        rf"end of (?:my|our) tether|at (?:my|our) wits{_APOS} end|enough is enough|i give up|"
        rf"(?:i{_APOS}m|i am|we{_APOS}re|we are) (?:so |just )?done with|"
        r"driving (?:me|us) (?:mad|crazy|insane|nuts|up the wall|round the bend|round the twist)|"
        rf"(?:so|really|absolutely|sick and|getting) tired of|(?:this|that) is how you treat|is this how you treat|"
        rf"how you treat (?:your )?(?:customers|people)|(?:am i|are we|i{_APOS}m|i am|we{_APOS}re) supposed to just|"
        r"(?:the|this is the|this will be the) last time (?:i|we) (?:order|use|buy|shop|book|fly|stay|deal)|"
        rf"won{_APOS}t be (?:recommending|using you|ordering|back|coming back|renewing|shopping)|"
        rf"(?:wouldn{_APOS}t|would not|won{_APOS}t|will not|can{_APOS}t|cannot) recommend|"
        r"rude|unhelpful|dismissive|condescending|patronising|patronizing|hung up on|"
        r"misleading|sneaky|rip[- ]?off|ripped (?:me |us )?off|waste of (?:time|money|space)|"
        r"not fit for purpose|not as (?:described|advertised|pictured|shown)|(?:round|around) in circles|"
        r"no excuse|(?:absolutely|completely|totally|utterly) (?:useless|ridiculous|unacceptable|hopeless)|"
        r"(?:poor|bad|lousy|awful) (?:service|quality|show|communication|customer service|experience)|"
        r"(?:really|very|so|incredibly|extremely) (?:poor|bad|slow)|"
        rf"not rocket science|how many more times|what{_APOS}s the point|"
        r"(?:you|they|he|she|your \w+) lied|lied to|(?:which|what) part of|"
        r"i (?:want|demand|expect|deserve) (?:compensation|my money back|an? (?:explanation|apology|answer)|"
        r"answers|better|this (?:sorted|fixed|resolved))|(?:give|send|pay) (?:me|us) (?:my|our) money back|"
        r"compensat(?:e|ion) (?:me|us|for)|"
        r"(?:keep|keeps|kept) (?:promising|saying|telling|happening|crashing|freezing|breaking|failing|"
        r"cancelling|canceling|charging|ignoring|losing|fobbing|passing)|"
        r"for nothing|"
        r"nowhere to be (?:found|seen)|no sign of|"
        rf"(?:haven{_APOS}t|have not|hasn{_APOS}t|has not|never) heard (?:a thing|anything|back|a word)|"
        r"heard nothing|not (?:a|one|a single) (?:word|peep|thing|call|reply|email)|refus(?:e|es|ed|ing) to",
        1.0,
    ),
    (
        # a failure told as a count, a recurrence or a broken promise
        r"(?:second|third|fourth|fifth|sixth|another) (?:call|email|e-mail|letter|message|attempt|chat|visit|"
        r"engineer|replacement|delivery|missed|cancelled|failed|wrong|delay|excuse)|"
        r"(?:called|emailed|rung|rang|phoned|asked|chased|written|wrote|explained|told you|tried|contacted|"
        rf"messaged|complained|been (?:in|there)|visited|sent (?:it|them)) (?:you |them |your \w+ )?(?:twice|{_N} times)|"
        r"nothing like|not even (?:a|an|one)|every (?:single )?time (?:i|we)|over and over|time after time|without (?:any )?(?:warning|notice|explanation|reading|checking|"
        r"looking|asking|telling (?:me|us)|(?:my|our) (?:permission|consent|agreement))|"
        r"(?:nobody|no one|no-one) (?:told|informed|warned|notified|let (?:me|us) know)|"
        r"(?:a|two|three|\d+|several) (?:days?|weeks?|months?) (?:late|later|overdue)|"
        r"(?:wait|waited|waiting|stayed) in all day|took (?:a|the) day off|"
        r"that was (?:last \w+|over|more than|nearly|almost|\w+ (?:days|weeks|months) ago)|"
        rf"{_N} (?:weeks|months) ago|over (?:a|an) (?:week|month|fortnight|year) ago|it{_APOS}s been \d+|"
        r"(?:broke|split|ripped|snapped|cracked|failed|stopped|died|faded|shrank|tore|fell apart) (?:\w+ ){0,2}after "
        r"(?:one|a|two|three|just|only|\d+)|(?:quality|service) (?:has )?(?:really )?(?:gone down|dropped|declined|"
        r"got worse|gone downhill)",
        0.6,
    ),
    (
        # softer signs that need a second one: "again", a "why" question, a sarcastic opener, a demand to stop
        r"again|(?:stop|quit) (?:calling|emailing|texting|sending|ringing|charging|contacting)|"
        r"(?:you|they|he|she|your \w+) (?:told|promised|assured|said|guaranteed)|"
        r"(?:i|we) (?:was|were) (?:told|promised|assured|guaranteed)|(?:was|were) (?:supposed|meant) to|"
        rf"why (?:is|are|does|do|did|has|have|was|were|am|on earth|should|would|can{_APOS}t|won{_APOS}t|"
        rf"isn{_APOS}t|doesn{_APOS}t|hasn{_APOS}t|haven{_APOS}t|didn{_APOS}t|wasn{_APOS}t)|"
        r"(?:can|could) (?:someone|somebody|anyone|you) (?:please )?(?:explain|tell me why)|please explain|"
        r"loyal customer|(?:a )?customer (?:for|of) (?:\d+|over|more than|many|\w+) years|for once|"
        rf"(?:i{_APOS}m|i am|i{_APOS}ll be|i will be|i{_APOS}ve) cancell?(?:ing|ed)|just cancel|cancel everything|"
        rf"great value|amazing service|great service|brilliant service|thanks a lot|seriously|really\?|"
        rf"(?:great|brilliant|fantastic|wonderful|lovely|perfect|marvellous|superb|amazing|wow),? so|"
        rf"oh (?:great|brilliant|wonderful|perfect|joy)|twice|{_N} times|nothing but|automated (?:replies|responses|"
        r"emails|messages)|(?:ordered|asked for|paid for|booked|bought) (?:\w+ ){0,6}(?:and|but) (?:you|they|it|i|we)|"
        r"when (?:i|we) (?:had )?(?:already |clearly |specifically )?(?:sent|paid|told|asked|gave|provided|submitted|"
        r"returned|cancell?ed)|(?:and|but) (?:it|they|nothing|no one|nobody)(?:['’]s| is| has| was| have| are)? "
        r"(?:not|never|still)|(?:take|takes|taking|took) (?:over |more than |nearly |almost )?(?:a|an|"
        rf"{_N}) (?:days?|weeks?|months?|hours?)",
        0.5,
    ),
    (
        r"(?:waited|waiting|wait|queue|queued|on hold) (?:for )?(?:over |more than |nearly |almost )?"
        rf"(?:an? |{_N} )(?:hours?|hrs|minutes|mins|days|weeks)|(?:in|on) (?:this|the) (?:queue|chat queue)|"
        rf"wrong (?:item|size|colou?r|order|flavou?r|one|address|amount|name|product|part|model|parcel|bill|"
        rf"price|date|time)|(?:sent|gave|delivered|charged|billed|given) (?:me |us )?(?:the )?wrong|"
        rf"broken|faulty|defective|damaged|torn|ripped|cracked|smashed|leaking|dented|stained|mouldy|moldy|"
        rf"doesn{_APOS}t work|does not work|not working|isn{_APOS}t working|won{_APOS}t (?:work|turn on|start|"
        rf"charge|load|connect|open)|stopped working|fell apart|falling apart|crash(?:es|ed|ing)|soaked|soggy|"
        rf"crushed|squashed|shattered|melted|rotten|"
        rf"(?:logs|logged|kicks|kicked|throws|threw) (?:me|us) out|drops? (?:out|every)",
        0.5,
    ),
    (r"wieder|warum|encore|pourquoi|de nuevo|por qué", 0.5),
)

#: A loss reported in plain words, added to LOSS_PATTERNS in the core tier. (pattern, weight)
LOSS_REPORT_PATTERNS: tuple[tuple[str, float], ...] = (
    (
        # illness and injury
        r"stroke(?! of)|heart attack|chemo\w*|radiotherapy|dementia|alzheimer\w*|parkinson\w*|depression|"
        r"(?:signed|signing) off (?:work|sick)|sick leave|off sick|"
        r"(?:fell|become|became|been|is|am|very|seriously|terminally|critically|gravely) ill|illness|"
        r"(?:had|having|have|after|recovering from|need|needs|needed|major|emergency|heart|brain|back) (?:\w+ )?"
        r"(?:surgery|operation)|"
        r"broken? (?:my|his|her|their|our) (?:leg|arm|wrist|ankle|hip|back|neck|foot|hand|collarbone|ribs?|jaw)|"
        r"(?:hit|knocked (?:down|over)) by a (?:car|bus|van|lorry|truck|bike)|car crash|in a crash|"
        r"mental health|(?:nervous|mental) breakdown|"
        # a death
        rf"(?:my|our|his|her) late \w+(?:['’]s)?|passed on|passing of|(?:my|our) (?:\w+[- ]){{0,2}}{_FAMILY} "
        rf"(?:has |had |just |sadly |recently |suddenly )*(?:passed|died)|"
        rf"lost (?:my|our|his|her) (?:\w+[- ]){{0,2}}{_FAMILY}|(?:was|were|been|got) killed|"
        r"(?:had|have|having|get|got) (?:him|her|them|it|\w+) put (?:down|to sleep)|(?:was|were|be|been) put down|"
        r"(?:is|was) dying|widow\w*|"
        r"deceased|next of kin|death certificate|probate|executor|"
        # fraud and theft
        r"cloned|tricked|conned|swindled|duped|impersonat\w*|(?:fell|fallen) for (?:a|an|the|some)|"
        r"gave (?:them|him|her|someone|a stranger|the caller|the scammer|a fake \w+) (?:all )?(?:my|our) "
        r"(?:details|pin|password|card|bank|login|account|code)|"
        rf"(?:broken|broke) into|break-in|burglar\w*|mugged|pickpocket\w*|"
        rf"{_BELONGINGS} (?:was |were |has been |have been |got )(?:taken|nicked|pinched|swiped|snatched)|"
        rf"(?:nicked|pinched|snatched|swiped) (?:my|our)|"
        rf"(?:payments?|transactions?|purchases?|charges?|withdrawals?|debits?)(?: \w+){{0,5}} (?:that )?(?:i|we) "
        rf"(?:didn{_APOS}t|did not|never|don{_APOS}t|do not) (?:make|made|authori[sz]e|recogni[sz]e|buy|order)|"
        # home, job, data
        r"(?:flooded|flooding|burnt down|burned down|storm damage)|fire (?:at|in|destroyed|gutted)|destroyed|"
        r"everything (?:\w+ ){0,2}(?:is |was |has been )?(?:ruined|destroyed|gone|lost)|"
        r"redundan\w*|laid off|lost (?:my|his|her|their|our) (?:job|jobs|income|business)|unemployed|"
        r"out of work|furlough\w*|divorc\w*|separated from|"
        r"lost (?:all )?(?:\w+ ){0,2}(?:messages|photos|pictures|files|contacts|data|work|documents|emails|videos)|"
        r"(?:photos|pictures|files|messages|contacts|data|documents|videos)(?: \w+){0,4} (?:are|is|were|was|have|has) "
        r"(?:all )?(?:gone|lost|wiped|deleted|erased|disappeared)",
        1.0,
    ),
    (
        r"struggling to (?:pay|cope|make ends meet|afford)|hardship|wiped|phishing|"
        r"(?:fake|bogus|spoof(?:ed)?) (?:text|email|e-mail|call|caller|website|site|message|link|seller|invoice)",
        0.6,
    ),
)
