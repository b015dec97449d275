"""Built-in phrase lists: claims by kind, calls to action, inclusive-language entries and profanity.

The lists are deliberately short and precise (low false positives): each entry is a phrase that is a claim
(or a problem) in nearly every marketing context. Brands extend them in their policy (``terms:`` of a claim
kind, ``inclusive.add``, ``inclusive.profanity.add``) and remove entries (``allow:``, ``remove:``).
"""

from __future__ import annotations

__all__ = [
    "CLAIM_EXCEPTIONS",
    "CLAIM_IDIOMS",
    "CLAIM_PATTERNS",
    "CLAIM_TERMS",
    "CTA_PHRASES",
    "INCLUSIVE",
    "INCLUSIVE_IDIOMS",
    "NEGATION",
    "PROFANITY",
]

#: Whole-word phrases per claim kind (matched on the normalised text, case-insensitive).
CLAIM_TERMS: dict[str, tuple[str, ...]] = {
    "superlative": (
        "best", "world's best", "best-in-class", "best in class", "number one", "no. 1",
        "market leader", "market-leading", "industry-leading", "industry leading", "unbeatable", "unrivalled",
        "unrivaled", "unmatched", "unparalleled", "never fails", "never fail", "always works",
        "the ultimate", "strongest", "lightest", "warmest", "toughest", "fastest", "most durable", "most advanced",
        "revolutionary", "nothing beats",
    ),
    "guarantee": (
        "guaranteed", "guarantee", "guarantees", "risk-free", "risk free", "no risk", "zero risk",
        "100% safe", "100% waterproof", "100% effective", "100% satisfaction", "foolproof", "fail-safe",
        "money-back", "money back", "lifetime warranty", "can't go wrong", "cannot fail",
    ),
    "health": (
        "cures", "cure", "cured", "heals", "clinically proven", "clinically tested", "doctor recommended",
        "doctor-recommended", "prevents disease", "prevents illness", "boosts immunity",
        "boosts your immune system", "detox", "detoxify", "anti-inflammatory", "relieves pain", "pain relief",
        "weight loss", "lose weight", "burns fat", "fda approved", "medically proven", "therapeutic",
        "heal", "boost immunity", "boost your immune system", "relieve pain", "prevent disease",
        "prevent illness", "burn fat", "doctors recommend", "recommended by doctors", "dentists recommend",
        "recommended by dentists", "dermatologist recommended", "dermatologist-recommended",
    ),
    "financial": (
        "get rich", "get rich quick", "guaranteed returns", "guaranteed return", "guaranteed income",
        "risk-free investment", "double your money", "passive income", "financial freedom", "make money fast",
        "earn money fast", "no credit check", "instant approval", "pays for itself", "can't lose",
    ),
    "environmental": (
        "eco-friendly", "eco friendly", "environmentally friendly", "planet-friendly", "planet friendly",
        "go green", "greener choice", "carbon neutral", "carbon-neutral", "net zero", "net-zero", "climate neutral", "climate positive",
        "carbon negative", "zero emissions", "zero-emission", "sustainable", "sustainably made", "biodegradable",
        "compostable", "non-toxic", "all-natural", "100% natural", "recyclable", "plastic-free", "plastic free",
        "zero waste", "zero-waste", "good for the planet", "kind to the planet",
    ),
    "pricing": (
        "free", "for free", "free shipping", "free delivery", "lowest price", "lowest prices", "best price",
        "cheapest", "half price", "half-price", "clearance", "sale price", "price match", "bogo",
        "buy one get one", "buy one, get one", "limited time offer", "limited-time offer", "today only",
        "discount", "discounted", "only today", "one day only",
    ),
}  # fmt: skip

#: Everyday phrases that contain a claim word but claim nothing ("Best wishes", "free time").
CLAIM_IDIOMS: dict[str, tuple[str, ...]] = {
    "superlative": (
        "best wishes", "best regards", "all the best", "best of luck", "best before", "best-before",
        "do our best", "do your best", "try our best", "doing our best", "at best", "best way to",
        "best to", "how best", "perfect fit for you", "ultimate frisbee",
        # "best" as an everyday adverb or in set phrases, not a comparison with rivals
        "as best", "best time", "best times", "best day", "best days", "best number", "best numbers",
        "best contact", "best way", "best ways", "best place to reach", "best bet", "best friend", "best friends",
        "best man", "best practice", "best practices", "best part", "personal best", "best suited",
        "best for you", "best you can", "best we can", "best i can", "best they can", "best of luck with",
        "what works best", "works best", "suits you best", "know best", "knows best", "best described",
    ),
    "guarantee": ("no guarantee", "not guaranteed", "cannot guarantee", "can't guarantee", "money back if"),
    "health": ("cure time", "treats you", "treat yourself", "heal up"),
    "financial": (),
    "environmental": ("green light", "greenery", "natural light", "sustainable pace"),
    "pricing": (
        "free time", "feel free", "free to", "free of charge for you to", "free from", "hands-free", "hands free",
        "free-standing", "freestanding", "free-draining", "free flow", "for free?",
        # a plan or tier called "Free" names a product, it offers nothing
        "free plan", "free plans", "free tier", "free tiers", "free account", "free accounts", "free edition",
        "free version", "free user", "free users", "free member", "free members",
    ),
}  # fmt: skip

# what a health claim says a product prevents or fights
_DISEASE = (
    r"(?:covid(?:-19)?|coronavirus|cancer|diabetes|dementia|alzheimer'?s|heart disease|strokes?|flu|influenza|"
    r"colds|common cold|infections?|viruses|virus|diseases?|illness(?:es)?|arthritis|depression)"
)

#: Regular expressions per claim kind over the folded text (they catch numbers and symbols), each with a
#: substring that must occur for the expression to be tried at all (a cheap guard).
CLAIM_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "superlative": (("#", r"(?<![\w#])#\s?1\b"), ("1", r"\bno\.?\s?1\b(?!\d)")),
    "guarantee": (
        # "100%" promises an outcome only when it qualifies one; "100% arabica" or "100% recycled" states
        # what something is made of, which is a composition, not a guarantee
        (
            "100",
            r"(?<![\d.])100\s?%(?=\s*(?:-\s*)?(?:guarantee[ds]?|satisf\w*|safe(?:ty)?|secure|effective|reliable|"
            r"success(?:ful)?|certain|sure|accurate|proof|protected|protection|results?|risk[- ]free|"
            r"money[- ]back|refund\w*|happy|happiness|hassle[- ]free|pain[- ]free|works?|working|"
            r"waterproof|leak[- ]?proof|uptime)\b)",
        ),
    ),
    "health": (
        # "treats" of a condition is a health claim; "treats every order with care", "dog treats" are not
        (
            "treat",
            r"\b(?:treats?|treating|treated)\s+(?:your\s+|the\s+|all\s+|mild\s+|chronic\s+|severe\s+)?"
            r"(?:acne|eczema|psoriasis|dandruff|pain|aches?|inflammation|infections?|arthritis|anxiety|"
            r"depression|insomnia|headaches?|migraines?|colds?|flu|symptoms|diseases?|illness(?:es)?|"
            r"conditions?|wounds?|burns|rash(?:es)?|allerg(?:y|ies)|dry skin|hair loss|cancer|diabetes|"
            r"acid reflux|heartburn|constipation|fungus|fungal|warts|rosacea|scars?|blisters?|sunburn|"
            r"joint pain|back pain|muscle pain|sore \w+|stress)\b",
        ),
        # preventing or fighting a disease: "prevents COVID-19", "protects against cancer" (one pattern per
        # verb, each behind its own cheap guard)
        *(
            (verb, rf"\b{form}\s+(?:the\s+|a\s+)?{_DISEASE}\b")
            for verb, form in (
                ("prevent", r"prevent(?:s|ing)?"),
                ("protect", r"protect(?:s|ing)?\s+(?:you\s+)?against"),
                ("fight", r"fight(?:s|ing)?"),
                ("revers", r"revers(?:es|e|ing)"),
                ("beat", r"beat(?:s|ing)?"),
            )
        ),
        # a weight-loss promise with a number: "lose 10 kg in a week", "drop 2 stone"
        *(
            (verb, rf"\b{form}\s+(?:up\s+to\s+)?\d+(?:\.\d+)?\s?(?:kg|kilos?|lbs?|pounds|stone)\b")
            for verb, form in (
                ("los", r"los(?:e|ing)"),
                ("drop", r"drop(?:s|ping)?"),
                ("shed", r"shed(?:s|ding)?"),
            )
        ),
    ),
    "financial": (
        ("%", r"\b\d{2,3}\s?%\s+(?:returns?|roi|yield|interest)\b"),
        # earnings claims: "earn $5,000 a week", "make £200 per day from home"
        *(
            (
                verb,
                rf"\b{form}\s+(?:up\s+to\s+|over\s+)?[£$€]\s?\d[\d,.]*\s?k?\s*"
                r"(?:a|an|per|every|/)\s*(?:hour|day|week|month|year)\b",
            )
            for verb, form in (("earn", r"earn(?:s|ing)?"), ("mak", r"mak(?:e|es|ing)"))
        ),
    ),
    "environmental": (),
    "pricing": (
        ("%", r"\b\d{1,2}\s?%\s?off\b"),
        ("up to", r"\bup to\s+\d{1,2}\s?%"),
        ("now", r"\bwas\s+[£$€]\s?\d[\d.,]*\s*[,;/–-]?\s*now\s+[£$€]?\s?\d[\d.,]*"),
        ("save", r"\bsave\s+[£$€]\s?\d[\d.,]*"),
    ),
}

#: Patterns over the folded text inside which a phrase of that kind is not a claim (for example "free" of a
#: person's time: "are you free tonight?", "I'm free after 5"). Only phrases with "free" in them are tested
#: against them (see brandrail.content.claims).
CLAIM_EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "pricing": (
        r"\b(?:are|am|is|was|were|be|r|'re|’re|'m|’m)\s+(?:you|i|we|they|he|she|u|ya)\s+"
        r"(?:still\s+|not\s+|also\s+|both\s+|all\s+)?free\b",
        r"\b(?:you|i|we|they|he|she|u)\s*(?:are|am|is|was|were|'re|’re|'m|’m|will be|'ll be|’ll be|"
        r"won't be|aren't|isn't)\s+(?:still\s+|not\s+|also\s+|both\s+|all\s+)?free\b"
        r"(?!\s+(?:shipping|delivery|returns?|gifts?|trials?|samples?|upgrades?))",
        r"\b(?:when|whenever|if|once)\s+(?:you're|you’re|you are|i'm|i’m|i am)\s+free\b",
        r"\b(?:you|u)\s+free\s+(?:tonight|today|tomorrow|later|now|this (?:evening|afternoon|morning|weekend)|"
        r"on (?:mon|tue|wed|thu|fri|sat|sun)\w*|at \d|for (?:a )?(?:chat|call|lunch|dinner|coffee|drink))\b",
    ),
}

#: Words that negate a claim verb standing at most a few words after them ("we can't guarantee",
#: "we are not able to guarantee", "there is no way we can guarantee"): the sentence denies the claim.
NEGATION: tuple[str, ...] = (
    "not", "never", "cannot", "can't", "can’t", "won't", "won’t", "don't", "don’t", "doesn't", "doesn’t",
    "didn't", "didn’t", "isn't", "isn’t", "aren't", "aren’t", "wasn't", "wasn’t", "weren't", "weren’t",
    "couldn't", "couldn’t", "wouldn't", "wouldn’t", "shouldn't", "shouldn’t", "unable", "nor", "no way",
    "no longer", "neither", "hardly",
)  # fmt: skip

#: Calls to action counted by BR408 (whole phrases, case-insensitive).
CTA_PHRASES: tuple[str, ...] = (
    "shop now", "buy now", "order now", "book now", "sign up", "subscribe now", "learn more", "find out more",
    "discover more", "get started", "download now", "claim your", "call now", "call us", "click here", "tap here",
    "register now", "join now", "reserve now", "get yours", "grab yours", "see more", "start now", "try it free",
    "add to cart", "add to basket", "visit us", "apply now", "donate now", "explore the range", "shop the",
)  # fmt: skip

#: (term, alternatives, category, note) — a curated list of terms with widely used inclusive alternatives.
INCLUSIVE: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("whitelist", ("allowlist",), "race", "colour-coded good/bad metaphor"),
    ("blacklist", ("blocklist", "denylist"), "race", "colour-coded good/bad metaphor"),
    ("grandfathered", ("legacy", "exempt"), "race", "origin in voting restrictions"),
    ("grandfathered in", ("exempt",), "race", "origin in voting restrictions"),
    ("spirit animal", ("favourite", "kindred spirit"), "culture", "appropriates Indigenous belief"),
    ("tribe", ("community", "team", "crew"), "culture", "appropriates Indigenous identity"),
    ("powwow", ("meeting", "huddle"), "culture", "appropriates Indigenous ceremony"),
    ("low man on the totem pole", ("most junior",), "culture", "appropriates Indigenous culture"),
    ("guys", ("everyone", "folks", "all"), "gender", "gendered greeting for mixed groups"),
    ("hey guys", ("hi everyone", "hey all"), "gender", "gendered greeting for mixed groups"),
    ("manpower", ("staff", "workforce", "people"), "gender", "gendered"),
    ("man-made", ("synthetic", "artificial"), "gender", "gendered"),
    ("manmade", ("synthetic", "artificial"), "gender", "gendered"),
    ("mankind", ("humankind", "people"), "gender", "gendered"),
    ("chairman", ("chair", "chairperson"), "gender", "gendered"),
    ("salesman", ("salesperson",), "gender", "gendered"),
    ("fireman", ("firefighter",), "gender", "gendered"),
    ("policeman", ("police officer",), "gender", "gendered"),
    ("cameraman", ("camera operator",), "gender", "gendered"),
    ("sportsmanship", ("fair play",), "gender", "gendered"),
    ("crazy", ("wild", "amazing", "unexpected"), "disability", "stigmatises mental illness"),
    ("insane", ("incredible", "extraordinary"), "disability", "stigmatises mental illness"),
    ("lunatic", ("reckless",), "disability", "stigmatises mental illness"),
    ("psycho", ("erratic",), "disability", "stigmatises mental illness"),
    ("lame", ("dull", "disappointing"), "disability", "ableist"),
    ("crippled", ("hampered", "slowed"), "disability", "ableist"),
    ("crippling", ("severe",), "disability", "ableist"),
    ("dumb", ("silly", "pointless"), "disability", "ableist"),
    ("retarded", ("slow", "delayed"), "disability", "ableist slur"),
    ("tone deaf", ("out of touch",), "disability", "ableist"),
    ("tone-deaf", ("out of touch",), "disability", "ableist"),
    ("blind spot", ("gap", "oversight"), "disability", "ableist metaphor"),
    ("falls on deaf ears", ("is ignored",), "disability", "ableist metaphor"),
    ("the disabled", ("disabled people",), "disability", "othering: people, not a category"),
    ("disabled", ("turned off", "deactivated"), "disability", "of people say 'disabled people'; of features 'turned off'"),
    ("handicapped", ("disabled people", "accessible"), "disability", "dated"),
    ("wheelchair-bound", ("wheelchair user",), "disability", "defines a person by a device"),
    ("confined to a wheelchair", ("uses a wheelchair",), "disability", "defines a person by a device"),
    ("suffers from", ("has", "lives with"), "disability", "frames a condition as suffering"),
    ("ocd", ("meticulous", "particular"), "disability", "trivialises a condition"),
    ("the elderly", ("older people", "older adults"), "age", "othering"),
    ("senior moment", ("lapse",), "age", "ageist"),
    ("old-timer", ("veteran", "long-standing member"), "age", "ageist"),
    ("illegal alien", ("undocumented person",), "origin", "dehumanising"),
    ("illegals", ("undocumented people",), "origin", "dehumanising"),
    ("third world", ("lower-income countries",), "origin", "dated, hierarchical"),
    ("exotic", ("distinctive", "unusual"), "origin", "othering when used of people or cultures"),
    ("gypped", ("cheated", "ripped off"), "origin", "ethnic slur"),
    ("gyp", ("cheat", "rip-off"), "origin", "ethnic slur"),
    ("long time no see", ("it's been a while",), "origin", "mocks non-native English"),
    ("man hours", ("person-hours", "work hours"), "gender", "gendered"),
    ("man-hours", ("person-hours", "work hours"), "gender", "gendered"),
    ("ladies and gentlemen", ("everyone", "friends"), "gender", "binary"),
    ("mother of all", ("biggest",), "gender", "gendered"),
    ("sherpa", ("guide", "expert"), "culture", "an ethnic group, not a job title"),
    ("savage", ("fierce", "brutal"), "culture", "colonial slur"),
    ("uncivilised", ("remote", "wild"), "culture", "colonial framing"),
)  # fmt: skip

_THING_NOUNS = (
    "button", "buttons", "toggle", "toggles", "setting", "settings", "account", "accounts", "feature", "features",
    "option", "options", "field", "fields", "link", "links", "mode", "state", "notification", "notifications",
    "cookies", "javascript", "card", "cards", "access", "payment", "payments", "plugin", "plugins", "extension",
    "extensions", "item", "items", "menu", "checkbox", "control", "controls", "service", "services", "alerts",
    "login", "user", "users", "profile", "profiles", "device", "devices", "app", "apps", "integration",
)  # fmt: skip

#: Uses of a listed term that are not about people: per term, phrases in which it is left alone ("the
#: disabled toggle", "notifications are disabled" describe a setting).
INCLUSIVE_IDIOMS: dict[str, tuple[str, ...]] = {
    "disabled": (
        *(f"disabled {n}" for n in _THING_NOUNS),
        *(
            f"{v} disabled"
            for v in (
                "is",
                "are",
                "was",
                "were",
                "be",
                "been",
                "being",
                "gets",
                "get",
                "got",
                "remains",
                "remain",
                "stays",
                "stay",
                "temporarily",
                "automatically",
                "currently",
                "now",
                "you",
                "we",
                "they",
                "i",
                "have",
                "has",
                "had",
                "it's",
                "it’s",
                "is now",
                "are now",
                "stays",
                "auto",
            )
        ),
        *(f"{n} disabled" for n in _THING_NOUNS),
        "disabled by default",
        "disabled until",
        "disabled for security",
    ),
    "the disabled": tuple(f"the disabled {n}" for n in _THING_NOUNS),
}

#: (word, sureness): how surely a word is profanity in marketing copy (1.0 always; lower is ambiguous).
PROFANITY: tuple[tuple[str, float], ...] = (
    ("fuck", 1.0), ("fucking", 1.0), ("fucked", 1.0), ("motherfucker", 1.0), ("shit", 1.0), ("shitty", 1.0),
    ("bullshit", 1.0), ("cunt", 1.0), ("asshole", 1.0), ("arsehole", 1.0), ("bitch", 0.9), ("bastard", 0.9),
    ("dickhead", 1.0), ("wanker", 1.0), ("twat", 1.0), ("piss", 0.8), ("pissed", 0.7), ("crap", 0.6),
    ("crappy", 0.6), ("damn", 0.5), ("dammit", 0.6), ("goddamn", 0.8), ("hell", 0.3), ("bloody", 0.4),
    ("arse", 0.7), ("ass", 0.6), ("bollocks", 0.8), ("bugger", 0.6), ("prick", 0.6), ("dick", 0.5),
    ("screw you", 0.8), ("sucks", 0.4), ("wtf", 0.9), ("stfu", 1.0), ("omfg", 0.9), ("jerk", 0.4),
)  # fmt: skip
