"""Built-in phrase lists: claims by kind, calls to action, inclusive-language entries and profanity.

The lists are deliberately short and precise (low false positives): each entry is a phrase that is a claim
(or a problem) in nearly every marketing context. Brands extend them in their policy (``terms:`` of a claim
kind, ``inclusive.add``, ``inclusive.profanity.add``) and remove entries (``allow:``, ``remove:``).
"""

from __future__ import annotations

import re

__all__ = [
    "CLAIM_BACKING",
    "CLAIM_EXCEPTIONS",
    "CLAIM_IDIOMS",
    "CLAIM_PATTERNS",
    "CLAIM_TERMS",
    "CTA_PHRASES",
    "INCLUSIVE",
    "INCLUSIVE_FORMS",
    "INCLUSIVE_IDIOMS",
    "INCLUSIVE_INFLECTED",
    "NEGATION",
    "PROFANITY",
    "PROFANITY_FORMS",
]

#: Whole-word phrases per claim kind (matched on the normalised text, case-insensitive).
CLAIM_TERMS: dict[str, tuple[str, ...]] = {
    "superlative": (
        "best", "world's best", "best-in-class", "best in class", "number one", "no. 1",
        "market leader", "market-leading", "industry-leading", "industry leading", "unbeatable", "unrivalled",
        "unrivaled", "unmatched", "unparalleled", "never fails", "never fail", "always works",
        "the ultimate", "strongest", "lightest", "warmest", "toughest", "fastest", "most durable", "most advanced",
        "revolutionary", "nothing beats", "second to none",
        # absolutes of security or durability: nothing can get through or break it
        "unhackable", "uncrackable", "unbreachable", "indestructible", "unbreakable",
        # a sales superlative: "our bestselling cleanser" (substantiate it like any other)
        "bestselling", "best-selling", "bestseller", "bestsellers", "best-seller", "best-sellers",
    ),
    "guarantee": (
        "guaranteed", "guarantee", "guarantees", "risk-free", "risk free", "no risk", "zero risk",
        "100% safe", "100% waterproof", "100% effective", "100% satisfaction", "foolproof", "fail-safe",
        "money-back", "money back", "lifetime warranty", "can't go wrong", "cannot fail",
        # proof against any failure in other words: "bulletproof backups", "ironclad protection"
        "bulletproof", "bullet-proof", "ironclad", "iron-clad",
        # "cast-iron" of a promise (not of a pan or a radiator)
        "cast-iron promise", "cast iron promise", "cast-iron guarantee", "cast iron guarantee", "cast-iron pledge",
        "cast iron pledge", "cast-iron assurance", "cast-iron promises",
    ),
    "health": (
        "cures", "cure", "cured", "heals", "clinically proven", "clinically tested", "doctor recommended",
        "doctor-recommended", "prevents disease", "prevents illness", "boosts immunity",
        "boosts your immune system", "detox", "detoxify", "anti-inflammatory", "relieves pain", "pain relief",
        "weight loss", "lose weight", "burns fat", "fda approved", "medically proven", "therapeutic",
        "heal", "boost immunity", "boost your immune system", "relieve pain", "prevent disease",
        "prevent illness", "burn fat", "doctors recommend", "recommended by doctors", "dentists recommend",
        "recommended by dentists", "dermatologist recommended", "dermatologist-recommended",
        "scientifically proven", "clinically shown", "detoxes", "detoxing", "detoxifies", "detoxifying",
        "boosts metabolism", "boost metabolism", "boosts your metabolism", "boost your metabolism",
        "boosts brain power", "boost brain power", "boosts brain function", "boost brain function",
        "supports immunity", "support immunity",
        # immunity in the wording of authorised claims is still a health claim (it needs its authorisation)
        "normal function of the immune system", "normal immune function", "immune support", "immune health",
        "fat burning", "fat-burning", "fat burner", "fat burners", "boosts energy", "boost energy",
        "boosts your energy", "boost your energy", "energy boost", "boosts energy levels", "boost energy levels",
        "doctor-formulated", "doctor formulated", "doctor-approved", "doctor approved", "doctor-developed",
        "pharmacist-recommended", "pharmacist recommended", "nutritionist-approved", "nutritionist approved",
        "gp-recommended", "gp recommended", "nutritionists recommend", "pharmacists recommend",
        "dermatologists recommend", "gps recommend", "vets recommend", "physios recommend",
    ),
    "financial": (
        "get rich", "get rich quick", "guaranteed returns", "guaranteed return", "guaranteed income",
        "risk-free investment", "double your money", "passive income", "financial freedom", "make money fast",
        "earn money fast", "no credit check", "instant approval", "pays for itself", "can't lose",
        "pay for itself", "pay for themselves", "pays for themselves", "pre-approved", "preapproved",
        "guaranteed approval", "guaranteed acceptance", "be debt-free", "become debt-free", "debt-free in",
        # a life changed by money: investment and income hype
        "financially free", "financial independence", "generational wealth", "never worry about money again",
        "become a millionaire", "make you a millionaire", "make you rich", "makes you rich", "retire early",
        "retire rich", "life-changing gains", "life-changing money", "quit your job", "quit your day job",
        "quit your 9-to-5", "fire your boss",
        # money that comes in without work: "make money while you sleep", "earn while you sleep"
        "make money while", "makes money while", "making money while", "earn while you sleep",
        "earn money while", "earns money while", "money while you sleep",
    ),
    "environmental": (
        "eco-friendly", "eco friendly", "environmentally friendly", "planet-friendly", "planet friendly",
        "go green", "greener choice", "carbon neutral", "carbon-neutral", "net zero", "net-zero", "climate neutral", "climate positive",
        "carbon negative", "zero emissions", "zero-emission", "sustainable", "sustainably made", "biodegradable",
        "compostable", "non-toxic", "all-natural", "100% natural", "recyclable", "plastic-free", "plastic free",
        "zero waste", "zero-waste", "good for the planet", "kind to the planet",
        "green energy", "green electricity", "green power", "green gas", "clean energy", "clean power",
        "greenest", "zero footprint", "zero carbon", "zero-carbon", "low carbon", "low-carbon",
        "100% renewable", "good for the environment", "better for the planet", "better for the environment",
        "kinder to the planet", "kind to the environment", "gentle on the environment", "planet positive",
        "planet-positive", "nature positive", "nature-positive", "carbon friendly", "carbon-friendly",
        "environmentally safe", "eco-conscious",
        # the adverb of "sustainable" is a claim wherever it stands ("sustainably sourced", "sustainably grown")
        "sustainably", "sustainably sourced", "green by nature", "truly green", "genuinely green", "100% green",
        # a greener world as the product's effect: "greener heating for a greener planet"
        "greener planet", "greener world", "greener future", "greener tomorrow",
        # free of fossil fuel or of emissions, said of heating, driving or power that uses grid electricity
        "fossil-free", "fossil free", "emission-free", "emissions-free",
        # saving the planet as the product's effect: "help save the planet", "help protect the planet"
        "save the planet", "saves the planet", "saving the planet", "protect the planet", "protects the planet",
        "protecting the planet", "heal the planet", "heals the planet",
    ),
    "pricing": (
        "free", "for free", "free shipping", "free delivery", "lowest price", "lowest prices", "best price",
        "cheapest", "half price", "half-price", "clearance", "sale price", "price match", "bogo",
        "buy one get one", "buy one, get one", "limited time offer", "limited-time offer", "today only",
        "discount", "discounted", "only today", "one day only", "best value",
        "no deposit", "zero deposit", "no booking fee", "no booking fees", "no fees", "zero fees", "no setup fee",
        "no set-up fee", "no commission", "zero commission", "commission-free", "fee-free",
        "double points", "triple points",
        # free in other words: "brushes on the house"
        "on the house",
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
        "number one priority", "no. 1 priority", "top priority", "best-kept secret", "best kept secret",
        # asking for a route or a way is no comparison with rivals: "Fastest route to the station?"
        "fastest route to", "quickest route to", "shortest route to", "fastest way to", "quickest way to",
        "shortest way to", "fastest route through", "quickest route through", "shortest route through",
        "fastest route across", "quickest route across", "shortest route across", "fastest route out",
        "quickest way through", "fastest way through",
        # a person at their own best: "feel your best", "be your best self", "look their best"
        "your best", "their best", "his best", "her best", "my best", "your very best", "their very best",
        # "number one" of a thing that is not the product: a rule, a reason, a cause, a question
        "number one rule", "number one reason", "number one cause", "number one question", "number one tip",
        "number one mistake", "number one concern", "number one complaint", "number one fan", "number one goal",
        "number one risk", "number one threat", "number one killer", "number one thing", "no. 1 rule",
        "no. 1 reason", "no. 1 cause", "no. 1 tip", "no. 1 mistake", "no. 1 question", "no. 1 fan",
        # the first of a list of tips, rules or steps is an ordinal: "Tip number one: patch-test"
        "tip number one", "rule number one", "step number one", "reason number one", "lesson number one",
        "question number one",
    ),
    "guarantee": (
        "no guarantee", "no guarantees", "not guaranteed", "cannot guarantee", "can't guarantee", "money back if",
        # a denied guarantee: "no guaranteed returns", "no guaranteed outcome"
        "no guaranteed",
        # the protective gear itself is no assurance: "bulletproof vests", "a bulletproof glass screen"
        "bulletproof vest", "bulletproof vests", "bulletproof glass", "bulletproof jacket", "bulletproof jackets",
        "bulletproof coffee",
        # renewable electricity's certificates (an EU scheme's name), no promise: "backed by guarantees of origin"
        "guarantees of origin", "guarantee of origin", "guarantees-of-origin", "guarantee-of-origin",
    ),
    "health": ("cure time", "treats you", "treat yourself", "heal up"),
    "financial": ("no guaranteed returns", "no guaranteed return", "no guaranteed income", "no guaranteed profits"),
    "environmental": ("green light", "greenery", "natural light", "sustainable pace"),
    "pricing": (
        "free time", "feel free", "free to", "free of charge for you to", "hands-free", "hands free",
        "free-standing", "freestanding", "free-draining", "free flow", "for free?",
        # a plan or tier called "Free" names a product, it offers nothing
        "free plan", "free plans", "free tier", "free tiers", "free account", "free accounts", "free edition",
        "free version", "free user", "free users", "free member", "free members",
        # "free" of a thing's nature, or as a verb: no offer
        "free radical", "free radicals", "free up", "frees up", "freeing up", "break free", "breaks free",
        "set free", "set you free", "free will", "free speech", "free spirit", "free spirits", "free kick",
        "free kicks", "free fall", "free rein", "free agent", "free range", "free verse",
        # "free" of a dock, bay or rack that is unoccupied: "where the free docks are", "two bays are free" (not
        # seats, spots or parking spaces, which are as often offered at no charge)
        "free dock", "free docks", "free bay", "free bays", "free rack", "free racks", "free space", "free spaces",
        "docks are free", "bays are free", "racks are free",
        # free of money worries is a financial promise (BR204), not an offer
        "financially free",
        # a discount that is a job's benefit offers the reader nothing
        "staff discount", "staff discounts", "employee discount", "employee discounts", "colleague discount",
        "colleague discounts",
    ),
}  # fmt: skip

# what a health claim says a product prevents or fights
_DISEASE = (
    r"(?:covid(?:-19)?|coronavirus|cancer|(?:type\s?[12]\s+)?diabetes|dementia|alzheimer'?s|heart disease|"
    r"heart attacks?|strokes?|flu|influenza|colds|common cold|infections?|viruses|virus|diseases?|"
    r"bronchitis|pneumonia|(?:chest|respiratory|airway)\s+infections?|"
    r"illness(?:es)?|arthritis|depression|osteoporosis|asthma|hypertension|high blood pressure|obesity|"
    r"hair loss|tooth decay|cavities|gum disease|acne|eczema|psoriasis|migraines?|insomnia|ulcers?|"
    # a disease or failure of an organ ("kidney disease", "liver failure"), stones ("urinary stones")
    r"(?:kidney|renal|liver|hepatic|heart|cardiac|lung|bladder|urinary|skin|joint|bone|eye|ear|dental|"
    r"periodontal|thyroid|bowel|intestinal)\s+(?:diseases?|failure|infections?|stones|crystals|problems)|"
    r"(?:kidney|bladder|urinary|struvite)\s+stones|parasites|fleas|ticks|worms|"
    # sleep disorders: "sleep apnoea", "restless legs syndrome", "narcolepsy"
    r"sleep\s+apn(?:o|)ea|restless\s+legs?(?:\s+syndrome)?|narcolepsy|sleep\s+disorders?)"
)

# a condition word followed by one of these is about something else ("the pain of moving", "anxiety about money")
_NOT_OF = r"(?!\s+(?:of|on|about|around|over|when|points?)\b)"

# what a health claim says a product relieves, soothes or clears: a disease or a condition ("relieves
# anxiety", "soothes eczema", "clears acne"); never followed by "of"/"on" ("eases the pain of moving house")
_CONDITION = (
    rf"(?:(?:{_DISEASE}|pain|aches?|inflammation|anxiety|headaches?|symptoms|rash(?:es)?|allerg(?:y|ies)|"
    r"dry skin|dandruff|heartburn|acid reflux|hay fever|coughs?|constipation|bloating|indigestion|joint pain|back pain|"
    r"muscle pain|sore throats?|sore muscles|cold sores|itching|itchy skin|rosacea|warts|fungal infections?|"
    r"stress(?![\w-])|fatigue|tiredness|brain fog|tired muscles|muscle soreness|cramps|nausea|hangovers?|"
    r"period pain|sleeplessness|sleep problems|burnout|burn-out|wheez(?:e|es|ing)|breathlessness|adhd|"
    r"panic attacks?|swelling|swollen\s+(?:ankles|legs|feet|knees|joints))"
    rf"{_NOT_OF}"
    # joints described by their ailment, whatever follows: "arthritic joints in the morning", "swollen, painful
    # joints"
    r"|(?:(?:arthritic|stiff|aching|achy|swollen|painful|sore|creaky)(?:,?\s+|\s+and\s+)){1,3}joints\b)"
)
_HEALTH_OBJECT = (
    r"(?:your\s+(?:[a-z]+['’]s\s+)?|their\s+|the\s+|a\s+|an\s+|all\s+|mild\s+|chronic\s+|severe\s+|"
    r"the\s+(?:symptoms|signs)\s+of\s+)?"
    # what the condition comes from: "damp-related coughs", "pollen-induced asthma"
    r"(?:[a-z]+-(?:related|induced|triggered|borne)\s+)?"
    # the part of the body or the illness it sits in: "joint inflammation", "your dog's arthritis pain"
    r"(?:(?:joint|muscle|skin|gut|stomach|knee|hip|neck|shoulder|nerve|arthritis|arthritic|period|sinus|airway|"
    r"childhood|seasonal)\s+)?"
)

# a brain or body function a product says it raises ("sharpens concentration", "boosts testosterone"); never
# followed by "of"/"on" ("the concentration of the serum", "focus on your customers")
_FUNCTION = (
    r"(?:focus|concentration|memory|mental\s+(?:clarity|focus|performance|energy|sharpness|stamina|agility)|"
    r"alertness|cognition|cognitive\s+(?:function|performance|health|abilit(?:y|ies))|"
    r"brain\s+(?:power|function|health|performance)|brainpower|reaction\s+times?|iq|mood|stamina|"
    r"endurance|libido|testosterone|immune\s+(?:response|system|function|defen[cs]es?)|immunity|"
    r"natural\s+defen[cs]es|"
    r"energy\s+levels|metabolism)"
    rf"{_NOT_OF}"
)

# "-est" words that are not superlatives of quality ("the latest news", "the nearest store", "the forest")
_NOT_SUPERLATIVE_EST = (
    r"(?:latest|earliest|nearest|closest|soonest|interest|forest|west|midwest|rest|test|request|harvest|contest|"
    r"guest|chest|nest|quest|honest|modest|everest|pest|vest|crest|zest|protest|digest|manifest|conquest|"
    r"unrest|behest|bequest|northwest|southwest|arrest|suggest|invest|tallest|deepest)"
)
_NOT_SUPERLATIVE_MOST = r"(?:of|recent|common|likely|important|frequently|often|part|popular\s+questions)"
NOT_SUPERLATIVE_EST = _NOT_SUPERLATIVE_EST
NOT_SUPERLATIVE_MOST = _NOT_SUPERLATIVE_MOST
# whom an outcome is promised to: "you", "your child", "your sales team", "every client"
_CUSTOMER = (
    r"(?:you|your\s+[a-z-]+(?:\s+[a-z-]+)?|every\s+[a-z-]+|everyone|anyone|them|him|her|"
    r"(?:our|my)\s+(?:clients?|students?|members?|customers?|graduates?|athletes?|players?|runners?))"
)
# the superlative of that outcome ("the fastest runner", "a top-10 finisher", "one of the best players"); not
# "the best version of yourself", "the best you can be", "the first"
_OUTCOME_SUPERLATIVE = (
    r"(?:best(?!\s+(?:version|you\b|self|of\s+luck|friends?))|top(?:[\s-]\d+)?[\s-][a-z-]+|number\s+one|"
    rf"most\s+(?!{_NOT_SUPERLATIVE_MOST}\b)[a-z-]+|(?!{_NOT_SUPERLATIVE_EST}\b)[a-z]+est)\b"
)

#: Regular expressions per claim kind over the folded text (they catch numbers and symbols), each with a
#: substring that must occur for the expression to be tried at all (a cheap guard).
CLAIM_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "superlative": (
        ("#", r"(?<![\w#])#\s?1\b"),
        ("1", r"\bno\.?\s?1\b(?!\d)"),
        # a comparison with every rival: "faster than any other", "better than anyone else"
        (
            "than",
            r"\bthan\s+(?:(?:with|in|at|on|from|for|using|through)\s+)?(?:(?:[\w'’-]+\s+){0,2}?[\w'’-]+\s*,\s*){0,4}(?:(?:[\w'’-]+\s+){0,2}?[\w'’-]+,?\s+(?:or|and|nor)\s+)?"
            r"(?:any(?:one|body|thing)?\s+(?:other|else)|every(?:one|body|thing)?\s+(?:other|else)"
            r"|(?:all|any)\s+of\s+them|all\s+the\s+(?:others|rest)"
            r"|all\s+(?:the\s+)?(?:other\s+)?(?:competitors|rivals|brands))\b",
        ),
        # a denied comparison claims the top: "you can't beat our prices", "you won't find a better deal"
        *(
            (
                verb,
                r"\b(?:can't|can’t|cannot|won't|won’t|couldn't|couldn’t|never|nobody|no one|no-one)\s+"
                rf"(?:\w+\s+)?{verb}s?\b",
            )
            for verb in ("beat", "rival", "outdo")
        ),
        (
            "find",
            r"\byou(?:['’]ll)?\s+(?:won't|won’t|will\s+not|will\s+never|never|can't|can’t|cannot)\s+find\s+"
            r"(?:a\s+|an\s+|any\s+)?"
            r"(?:better|cheaper|lower|faster|more\s+[a-z-]+)\b",
        ),
        # a comparative found nowhere else: "you won't find a quieter boiler anywhere"
        (
            "find",
            r"\byou(?:['’]ll)?\s+(?:won't|won’t|will\s+not|will\s+never|never|can't|can’t|cannot)\s+find\s+"
            r"(?:a|an|any)\s+[a-z]+er\s+(?:[a-z-]+\s+){0,3}?(?:anywhere|elsewhere|"
            # ... or for the money: "you won't find a comfier mattress for the money / at this price / for less"
            r"for\s+(?:the\s+money|less|the\s+price|that\s+price|this\s+price)|"
            r"at\s+(?:this|that|the|a\s+better|a\s+lower)\s+price)\b",
        ),
        # nobody does it better than the brand: "Nobody coaches runners better than we do", "No one in Devon
        # services boilers more thoroughly than we do", "No other engineer offers a longer parts cover than
        # ours"
        *(
            (
                guard,
                rf"\b{form}\s+(?:[a-z'’-]+\s+){{1,7}}?(?:better|faster|cheaper|more\s+[a-z-]+|[a-z]+er)\s+"
                r"(?:[a-z-]+\s+){0,2}?than\s+(?:we|us|our|ours)\b",
            )
            for guard, form in (
                ("nobody", "nobody"),
                ("no one", r"no\s+one"),
                ("no-one", "no-one"),
                ("no other", r"no\s+other\s+[a-z-]+"),
            )
        ),
        # an absolute record: "Not one of our members has ever lost a claim", "not a single boiler we fitted
        # has ever failed"
        ("not", r"\bnot\s+(?:one|a\s+single)\s+(?:[\w'’,-]+\s+){0,6}?(?:has|have|had)\s+ever\b"),
        # a promise that a trouble never comes back, opening its sentence: "Never come home to a cold
        # radiator again", "Never queue for a charger again"
        # ("never mind" is no promise, and "never worry about money again" reassures: a feeling, not a result)
        (
            "never",
            r"(?:^|(?<=[.!?]\s)|(?<=\n))never\s+(?!(?:mind|worry|stress|fret|panic|think)\b)"
            r"(?:[a-z'’-]+\s+){1,9}?again\b",
        ),
        # a superlative with a market or all-time scope: "Europe's quietest rooms", "the most reliable network
        # in Britain", "the greenest trainer ever"
        *(
            (
                place,
                rf"\b{place}['’]s\s+(?:very\s+)?(?:most\s+[a-z-]+|[a-z]+est|favou?rite|first|leading|top|biggest)\b",
            )
            for place in (
                "world",
                "europe",
                "britain",
                "uk",
                "america",
                "country",
                "nation",
                "town",
                "city",
                "industry",
                "market",
                "planet",
                "internet",
                "scotland",
                "england",
                "ireland",
                "wales",
                "london",
                "region",
            )
        ),
        # (one pattern, so "the" is looked at once for the four scopes)
        (
            "the",
            rf"\bthe\s+(?:very\s+)?(?:most\s+(?!{_NOT_SUPERLATIVE_MOST}\b)[a-z-]+|"
            rf"(?!{_NOT_SUPERLATIVE_EST}\b)[a-z]+est)\b"
            # a hyphenated compound: "the coolest-sleeping mattress you'll ever own", "the warmest-rated duvet in
            # Britain"
            r"(?:-[a-z]+)?"
            # superlatives in a row share the scope: "the richest, deepest navy you'll ever…", "the smoothest and
            # most even coat…"
            r"(?:(?:\s*,\s*|\s+and\s+)(?:most\s+[a-z-]+|[a-z]+est)\b){0,3}(?:"
            + "|".join(
                (
                    r"(?:\s+[\w'’-]+){0,4}?\s+(?:in|on)\s+(?:the\s+)?(?:world|market|planet|uk|country|industry|"
                    r"town|city|britain|europe|america|business|high street)\b",
                    r"(?:\s+[a-z-]+)?\s+ever\b",
                    # "the most complete course out there", "the cleverest drills you can download anywhere",
                    # "the most thorough course in existence"
                    r"(?:\s+[\w'’-]+){0,5}?\s+(?:out\s+there|anywhere|in\s+existence|on\s+earth)\b",
                    # "the most comprehensive maths course ever made", "the highest pass rate of any law school"
                    r"(?:\s+[\w'’-]+){0,4}?\s+ever\s+(?:made|built|created|designed|produced|sold|written|released|"
                    r"invented|launched|offered|published)\b",
                    r"(?:\s+[\w'’-]+){0,4}?\s+of\s+any\b",
                    # a market segment's: "the safest car in its class", "the healthiest kibble in its category"
                    r"(?:\s+[\w'’-]+){0,3}?\s+(?:in|of)\s+(?:its|their|the|his|her)\s+(?:class|category|segment|"
                    r"price\s+(?:range|bracket|band)|weight\s+class)\b",
                    # "the most addictive puzzle game of 2025", "the best album of the year", "of all time"
                    r"(?:\s+[\w'’-]+){0,4}?\s+of\s+(?:the\s+(?:year|decade|century)|all\s+time|(?:19|20)\d\d|"
                    r"(?:your|their|his|her|my)\s+(?:life|lives|career))\b",
                    r"(?:\s+[\w'’-]+){0,3}?\s+(?:you|i|we|they|any(?:one|body)|every(?:one|body)|some(?:one|body)"
                    r"|(?:your|their|my|our|a|an|any|every)\s+(?:[\w'’-]+\s+)?[\w'’-]+)(?:['’]ll|\s+will|['’]ve|\s+have|\s+has|\s+had|['’]d|\s+would|\s+could|\s+can)?"
                    r"\s+ever\b",
                    # "the freshest dinner a terrier could wish for", "the most complete food a cat could ask for"
                    r"(?:\s+[\w'’-]+){0,3}?\s+(?:you|they|(?:your|their|my|our|a|an|any|every)\s+(?:[\w'’-]+\s+)?"
                    r"[\w'’-]+)\s+(?:could|can|would|might)\s+(?:ever\s+)?(?:ask|wish|hope|dream|want|need)"
                    r"\s+(?:for|of)\b",
                    # "the safest helmet money can buy"
                    r"(?:\s+[\w'’-]+){0,3}?\s+money\s+can\s+buy\b",
                    # "the most efficient solar you can put on a British roof", "the toughest oil you can buy"
                    r"(?:\s+[\w'’-]+){0,3}?\s+(?:you|anyone)\s+can\s+(?:buy|get|find|fit|install|put\s+on)\b",
                )
            )
            + ")",
        ),
        # a superlative of the outcome promised to the customer: "makes you one of the best players", "turns
        # beginners into the strongest lifters", "become the fastest runner in your club", "your dog will be
        # the happiest on the block"
        *(
            (
                verb,
                rf"\b{form}\s+{whom}\s+(?:one\s+of\s+)?(?:a|an|the)\s+(?:very\s+)?{_OUTCOME_SUPERLATIVE}",
            )
            for verb, form, whom in (
                ("mak", r"mak(?:e|es|ing)", _CUSTOMER),
                ("made", r"made", _CUSTOMER),
                ("turn", r"turn(?:s|ing|ed)?", r"(?:[a-z-]+\s+){1,3}?into"),
                ("transform", r"transform(?:s|ing|ed)?", r"(?:[a-z-]+\s+){1,3}?into"),
            )
        ),
        ("becom", rf"\bbecom(?:e|es|ing)\s+(?:one\s+of\s+)?the\s+(?:very\s+)?{_OUTCOME_SUPERLATIVE}"),
        (
            "you",
            r"\byou(?:r\s+[a-z-]+(?:\s+[a-z-]+)?)?(?:['’]ll|\s+will)\s+(?:be|feel|look|finish)\s+(?:one\s+of\s+)?"
            rf"the\s+(?:very\s+)?{_OUTCOME_SUPERLATIVE}",
        ),
        # an absolute record: "we've never had a single unhappy customer"
        (
            "never",
            r"\bnever\s+(?:had|received|seen|lost)\s+(?:a\s+single|one\s+single|a\s+(?:single\s+)?"
            r"(?:unhappy|dissatisfied|disappointed|bad|negative|failed))\s+[a-z-]+",
        ),
        *(
            (
                word,
                rf"\b{word}\s+(?:a|one)\s+single\s+(?:complaint|recall|return|failure|breakdown|outage|accident|"
                r"injury|defect|leak|refund|bad\s+review|unhappy\s+[a-z-]+)s?\b",
            )
            for word in ("never", "not")
        ),
        (
            "never",
            r"\bnever\s+(?:a|one)\s+(?:recall|complaint|failure|breakdown|outage|accident|defect|leak)s?\b",
        ),
        # the one thing ever needed: "the only varnish you'll ever need", "the only primer your window frames will
        # ever need"
        (
            "only",
            r"\bthe\s+only\s+(?:[\w'’-]+\s+){1,3}?(?:you|they|we|(?:your|their|our)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+)"
            r"(?:['’]ll|\s+will|\s+would)?\s+ever\s+(?:need|want|buy|use)\b",
        ),
        # a popularity claim, like a sales superlative: "our most popular finish", "the most popular stain we sell"
        # (not "our most popular questions", "the most popular posts")
        (
            "popular",
            r"\b(?:our|the)\s+(?:very\s+)?most\s+popular\s+(?!(?:questions?|posts?|articles?|pages?|searches|"
            r"topics?|guides?|blogs?|stories|faqs?|videos?|tips|reads?|recipes?|threads?|links?|"
            # how customers choose to pay or buy, not the product ranked: "for batteries it's our most popular option"
            r"options?|choices?|ways?|methods?)\b)[a-z-]+",
        ),
        # no rival does it better: "No masonry paint lasts longer than Weatherstone", "No exterior paint shrugs off
        # rain better than ours" (a comparison with every rival; not "no more than", "no later than")
        (
            "than",
            r"\bno\s+(?:other\s+)?(?:[a-z-]+\s+){0,2}?[a-z-]+\s+(?!(?:is|was|has|does|costs)\b)[a-z]+s\s+"
            r"(?:[a-z]+\s+){0,3}?(?:longer|better|faster|harder|tougher|stronger|brighter|cleaner|quieter|greener|"
            r"safer|smoother|richer|truer|more\s+(?!than\b)[a-z-]+)\s+than\s+"
            r"(?!(?:before|ever|usual|expected|needed|necessary|it|they|you|last|in|at|on)\b)",
        ),
        # an absolute of reliability: the product never fails at its job ("never drops a call", "never goes
        # down", "never lets you down"); not "never lose hope" or "never lose sight of"
        (
            "never",
            r"\bnever\s+(?:ever\s+)?(?:drops?|dropped|goes\s+down|go\s+down|breaks?\s+down|lags?|crash(?:es)?|"
            r"freezes?|buffers?|stalls?|leaks?|fades?|rusts?|runs?\s+out|lets?\s+(?:you|us)\s+down|"
            r"miss(?:es)?\s+a\s+beat|loses?|smells?|stinks?|wears?\s+out|tangles?|clogs?|jams?|sags?|cracks?|"
            r"peels?|shrinks?|tarnish(?:es)?|wobbles?|splits?|snags?|frays?|rips?|tears?|pills?|bobbles?|"
            r"unravels?|squeaks?|creaks?|"
            # "never gets a colour wrong", "never gets it wrong"
            r"gets?\s+(?:it|(?:a|an|any|your|the)\s+(?:[a-z-]+\s+)?[a-z-]+)\s+wrong)\b(?!\s+(?:hope|sight|heart|touch|faith|track\s+of\s+time|your\s+way))",
        ),
        # a failure the customer will never have again: "Never miss a deadline again"
        ("never", r"\bnever\s+miss\s+(?:a|an|another|any)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+\s+again\b"),
        # nothing can defeat it: "impossible to hack", "can't be cracked", "won't be beaten"
        (
            "impossible",
            r"\bimpossible\s+to\s+(?:hack|crack|break|breach|beat|pick|tear|intercept|damage|lose|fault)\b",
        ),
        *(
            (
                opener,
                rf"\b{opener}\s+be\s+(?:hacked|cracked|broken|breached|beaten|bettered|intercepted|compromised|"
                r"topped|bested|outdone)\b",
            )
            for opener in ("can't", "can’t", "cannot", "won't", "won’t", "never")
        ),
        # zero of a failure: "zero downtime", "zero breaches", "zero dropped calls"
        (
            "zero",
            r"\bzero\s+(?:downtime|lag|latency|breach(?:es)?|outages?|dropped\s+calls|data\s+loss|defects|"
            r"failures|crashes|buffering|bugs|leaks)\b",
        ),
        # a place's or a group's superlative: "Kendal's finest", "Cornwall's best café", "Wales' favourite"
        # (from the apostrophe; brandrail.content.claims widens the span to the word before it and drops
        # pronouns: "it's best", "that's the fastest")
        *(
            (
                mark,
                rf"(?<=[\w]){mark}s?\s+(?:very\s+)?(?:best(?![\s-]+(?:friends?|wishes|regards|before|bet|man|part|"
                rf"practices?|interests?))|finest|greatest|favou?rite|leading|number\s+one|no\.?\s?1\b|"
                rf"most\s+(?!{_NOT_SUPERLATIVE_MOST}\b)[a-z-]+|(?!{_NOT_SUPERLATIVE_EST}\b|newest\b)[a-z]+est)\b",
            )
            for mark in ("'", "’")
        ),
    ),
    "guarantee": (
        # "100%" promises an outcome only when it qualifies one; "100% arabica" or "100% recycled" states
        # what something is made of, which is a composition, not a guarantee
        (
            "100",
            r"(?<![\d.])100\s?%(?=\s*(?:-\s*)?(?:guarantee[ds]?|satisf\w*|safe(?:ty)?|secure|effective|reliable|"
            r"success(?:ful)?|certain|sure|accurate|(?:[a-z]+-?)?proof|protected|protection|results?|risk[- ]free|"
            r"money[- ]back|refund\w*|happy|happiness|hassle[- ]free|pain[- ]free|works?|working|"
            r"waterproof|leak[- ]?proof|uptime|"
            # an outcome of learning or training: "100% exam-ready", "100% prepared", "100% speaking confidence"
            r"(?:[a-z]+[- ])?(?:ready|prepared|confident|confidence|fluent|fluency))\b)",
        ),
        # a promise backed by a forfeit: "in 60 minutes or we pay your taxi home", "top marks or we'll tutor
        # you free", "by 9am or your next box is on us" (not "or we'll call you", "or we can send an invoice")
        (
            "or ",
            r"\bor\s+(?:we['’]ll|we\s+will|we)\s+(?:pay|refund|cover|tutor|replace|give\s+you\s+(?:it|them|your|a\s+full)|"
            r"waive|credit|reimburse|compensate)\b",
        ),
        (
            "or ",
            r"\bor\s+(?:(?:your|the)\s+(?:next\s+)?(?:[a-z'’-]+\s+){0,5}?[a-z-]+|it|they)\s+(?:is|are|['’]s)\s+"
            r"(?:on\s+us|free|on\s+the\s+house)\b",
        ),
        # money back in other words: "Not happy? Money returned, no questions asked" (not "money returned to your
        # card within 5 days": how a refund is paid)
        (
            "money",
            r"\b(?:your\s+)?money\s+(?:returned|refunded)\b"
            r"(?!\s+(?:to|within|in|by|via|once|when|after|on|through)\b)",
        ),
        # proof against anything, absolutely: "completely tamper-proof", "totally theft-proof"
        (
            "proof",
            r"\b(?:completely|totally|fully|entirely|absolutely|utterly)\s+[a-z]+-proof\b",
        ),
        # stopping all of something is an absolute assurance: "blocks 100% of malware", "catches 100% of bots"
        *(
            (verb, rf"\b{verb}(?:s|es|ed)?\s+100\s?%\s+of\b")
            for verb in (
                "stop",
                "block",
                "catch",
                "detect",
                "remove",
                "kill",
                "prevent",
                "filter",
                "eliminate",
            )
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
            (verb, rf"\b{form}\s+(?:the\s+|a\s+)?(?:[a-z]+\s+)?{_DISEASE}\b")
            for verb, form in (
                ("protect", r"protect(?:s|ing)?\s+(?:[a-z'’]+\s+){0,2}?against"),
                ("shield", r"shield(?:s|ing)?\s+(?:[a-z'’]+\s+){0,3}?(?:from|against)"),
                ("fight", r"fight(?:s|ing)?"),
                ("revers", r"revers(?:es|e|ing)"),
                ("beat", r"beat(?:s|ing)?"),
            )
        ),
        # relieving pain or stiffness: "relieves lower back pain", "eases wrist pain", "reduces knee pain",
        # "eliminates joint stiffness" (not "takes the pain out of", "eases the pain of parking"); one pattern
        # per verb, each from its own literal start
        *(
            (
                stem,
                rf"\b{stem}(?:es|e|s|ed|ing)?\s+(?:your\s+|the\s+|all\s+)?(?:[a-z'’]+\s+){{0,3}}?"
                r"(?:pain|aches?|stiffness|soreness|cramps?)\b(?!\s+(?:of|points?)\b)",
            )
            for stem in ("reliev", "eas", "reduc", "eliminat", "sooth", "alleviat")
        ),
        # stopping what sets a condition off: "stops pollen triggering your hay fever", "prevents the mould that
        # causes allergies", "keeps dust mites from setting off eczema" (not "dust can trigger asthma": a fact)
        *(
            (
                guard,
                r"\b(?:stop|stops|stopping|prevent|prevents|preventing|keep|keeps|keeping)\s+"
                rf"(?:[\w'’-]+\s+){{0,4}}?(?:from\s+)?{form}\s+{_HEALTH_OBJECT}{_CONDITION}",
            )
            for guard, form in (
                ("trigger", r"trigger(?:s|ing)?"),
                ("set", r"set(?:s|ting)?\s+off"),
                ("caus", r"(?:that\s+|which\s+)?caus(?:es|e|ing)"),
                ("bring", r"bring(?:s|ing)?\s+on"),
            )
        ),
        # a condition no longer set off: "so damp no longer triggers your asthma", "mould no longer sets off your hay
        # fever" (not "dust can trigger asthma": a fact)
        *(
            (
                guard,
                rf"\b(?:no\s+longer|won['’]t|will\s+not|will\s+never|never\s+again)\s+{form}\s+{_HEALTH_OBJECT}{_CONDITION}",
            )
            for guard, form in (
                ("trigger", r"trigger(?:s|ing)?"),
                ("set", r"set(?:s|ting)?\s+off"),
                ("caus", r"caus(?:es|e|ing)"),
                ("bring", r"bring(?:s|ing)?\s+on"),
            )
        ),
        # preventing a condition: "prevents allergies", "prevents bloating"
        ("prevent", rf"\bprevent(?:s|ing)?\s+{_HEALTH_OBJECT}{_CONDITION}"),
        # raising a brain or body function: "sharpens concentration", "boosts testosterone", "raises your IQ"
        *(
            (
                verb,
                rf"\b{form}\s+(?:your\s+|their\s+|his\s+|her\s+|a\s+)?(?:[a-z-]+(?:['’]s?)?\s+)?{_FUNCTION}",
            )
            for verb, form in (
                ("sharpen", r"sharpen(?:s|ing)?"),
                ("boost", r"boost(?:s|ing)?"),
                ("improv", r"improv(?:es|e|ing)"),
                ("enhanc", r"enhanc(?:es|e|ing)"),
                ("increas", r"increas(?:es|e|ing)"),
                ("rais", r"rais(?:es|e|ing)"),
                ("heighten", r"heighten(?:s|ing)?"),
                ("doubl", r"doubl(?:es|e|ing)"),
                ("supercharg", r"supercharg(?:es|e|ing)"),
                ("maximi", r"maximi[sz](?:es|e|ing)"),
                ("restor", r"restor(?:es|e|ing)"),
                ("support", r"support(?:s|ing)?"),
                ("strengthen", r"strengthen(?:s|ing)?"),
                ("fortif", r"fortif(?:ies|y|ying)"),
            )
        ),
        # ... or promising it sharper: "guaranteed sharper focus", "a clearer mind"
        *(
            (
                word,
                rf"\b{word}\s+(?:focus|concentration|memory|mind|thinking|mental\s+clarity|alertness|cognition|"
                r"cognitive\s+[a-z]+|brain\s+(?:power|function))\b",
            )
            for word in ("sharper", "clearer", "heightened", "enhanced", "improved")
        ),
        # unlocking the brain: "unlock 100% of your brain's potential", "unleash your mind's full power"
        *(
            (
                verb,
                rf"\b{form}\s+(?:(?:\d+\s?%|all)\s+of\s+)?(?:your\s+|the\s+)?(?:brain|mind)['’]?s?\s+"
                r"(?:full\s+|true\s+|hidden\s+)?(?:potential|power|capacity)\b",
            )
            for verb, form in (
                ("unlock", r"unlock(?:s|ing)?"),
                ("unleash", r"unleash(?:es|ing)?"),
                ("maximi", r"maximi[sz](?:es|e|ing)"),
                ("supercharg", r"supercharg(?:es|e|ing)"),
                ("boost", r"boost(?:s|ing)?"),
            )
        ),
        # relieving, soothing, clearing or healing a condition: "relieves anxiety", "clears acne"
        *(
            (verb, rf"\b{form}\s+(?:{_HEALTH_OBJECT}{_CONDITION}|(?:the\s+)?symptoms\s+of\s+[a-z]+)\b")
            for verb, form in (
                ("reliev", r"reliev(?:es|e|ing)"),
                ("alleviat", r"alleviat(?:es|e|ing)"),
                ("sooth", r"sooth(?:es|e|ing)"),
                ("eas", r"eas(?:es|e|ing)"),
                ("clear", r"clear(?:s|ing)?"),
                ("heal", r"heal(?:s|ing)?"),
                ("cur", r"cur(?:es|e|ing)"),
                ("combat", r"combat(?:s|ing)?"),
                ("eliminat", r"eliminat(?:es|e|ing)"),
                ("calm", r"calm(?:s|ing)?"),
                ("banish", r"banish(?:es|ing)?"),
                ("tackl", r"tackl(?:es|e|ing)"),
                ("fight", r"fight(?:s|ing)?"),
                ("stop", r"stop(?:s|ping)?"),
                ("goodbye", r"goodbye\s+to"),
                ("rid", r"rid\s+(?:yourself\s+)?of"),
                ("lift", r"lift(?:s|ing)?"),
                ("melt", r"melt(?:s|ing)?(?:\s+away)?"),
            )
        ),
        # a body function improved: "supports restful sleep", "aids digestion", "improves circulation"
        *(
            (
                verb,
                rf"\b{form}\s+(?:your\s+|the\s+|a\s+)?(?:healthy\s+|normal\s+|restful\s+|deeper\s+|better\s+|"
                r"deep\s+|natural\s+)?(?:sleep|digestion|immunity|metabolism|circulation|gut\s+health|"
                r"joint\s+health|heart\s+health|bone\s+health|brain\s+(?:health|function)|hormone\s+balance|"
                r"libido|fertility|blood\s+sugar(?:\s+levels?)?)\b",
            )
            for verb, form in (
                ("improv", r"improv(?:es|e|ing)"),
                ("support", r"support(?:s|ing)?"),
                ("promot", r"promot(?:es|e|ing)"),
                ("aid", r"aid(?:s|ing)?"),
                ("enhanc", r"enhanc(?:es|e|ing)"),
                ("regulat", r"regulat(?:es|e|ing)"),
                ("balanc", r"balanc(?:es|e|ing)"),
            )
        ),
        ("help", r"\bhelps?\s+you\s+(?:to\s+)?(?:sleep|fall\s+asleep|lose\s+weight)\b"),
        # deeper or faster sleep promised as an outcome: "guaranteed deeper sleep", "sleep more deeply", "fall
        # asleep faster" (a body function improved)
        # (one pattern per opening word, so each is found from its literal start)
        *((word, rf"\b{word}\s+sleep\b") for word in ("deeper", "sounder")),
        *((word, rf"\bmore\s+{word}\s+sleep\b") for word in ("restful", "restorative")),
        ("sleep", r"\bsleep\s+(?:more\s+)?(?:deeply|deeper|more\s+soundly|sounder)\b"),
        ("asleep", r"\bfall(?:s|ing)?\s+asleep\s+(?:faster|quicker|sooner|more\s+quickly)\b"),
        # waking or sleeping without pain: "wake up pain-free", "sleep ache-free", "pain-free mornings" (not
        # "pain-free delivery", "pain-free returns")
        *(
            (word, rf"\b{verb}\s+(?:(?:and\s+)?[a-z]+\s+)?{word}[- ]free\b")
            for word in ("pain", "ache")
            for verb in (
                r"wake(?:s|ing)?\s+up",
                r"sleep(?:s|ing)?",
                r"get(?:s|ting)?\s+up",
                r"feel(?:s|ing)?",
                r"liv(?:e|es|ing)",
                r"walk(?:s|ing)?",
                r"mov(?:e|es|ing)",
                r"stay(?:s|ing)?",
                r"sit(?:s|ting)?",
                r"stand(?:s|ing)?",
                r"be",
                r"run(?:s|ning)?",
                r"work(?:s|ing)?",
            )
        ),
        *(
            (
                word,
                rf"\b{word}[- ]free\s+(?:mornings?|nights?|sleep|days?|life|living|backs?|joints?|knees?|hips?|"
                r"shoulders?|necks?|movement)\b",
            )
            for word in ("pain", "ache")
        ),
        # detecting or diagnosing a condition: "detects the first signs of restless legs syndrome", "spots the
        # early signs of insomnia", "diagnoses sleep apnoea"
        *(
            (
                verb,
                rf"\b{form}\s+(?:for\s+)?(?:(?:the|any)\s+)?(?:(?:first|early|earliest|warning|tell-tale|"
                r"subtle)\s+)*(?:signs?|symptoms?|indications?)\s+of\s+(?:possible\s+)?"
                rf"{_HEALTH_OBJECT}{_CONDITION}",
            )
            for verb, form in (
                ("detect", r"detect(?:s|ed|ing)?"),
                ("spot", r"spot(?:s|ted|ting)?"),
                ("flag", r"flag(?:s|ged|ging)?"),
                ("identif", r"identif(?:y|ies|ied|ying)"),
                ("pick", r"pick(?:s|ed|ing)?\s+up"),
                ("catch", r"catch(?:es|ing)?"),
                ("screen", r"screen(?:s|ed|ing)?"),
                ("diagnos", r"diagnos(?:es|e|ed|ing)"),
            )
        ),
        *(
            (verb, rf"\b{form}\s+(?:possible\s+)?{_HEALTH_OBJECT}{_CONDITION}")
            for verb, form in (
                ("detect", r"detect(?:s|ed|ing)?"),
                ("diagnos", r"diagnos(?:es|e|ed|ing)"),
                ("screen", r"screen(?:s|ed|ing)?\s+for"),
            )
        ),
        # burning fat: "burn belly fat", "melts stubborn fat"
        ("burn", r"\bburn(?:s|ing)?\s+(?:[a-z]+\s+){0,2}fat\b"),
        ("melt", r"\bmelt(?:s|ing)?\s+(?:away\s+)?(?:[a-z]+\s+){0,2}fat\b"),
        # an endorsement by health professionals: "recommended by 9 out of 10 nutritionists"
        (
            "recommended",
            r"\brecommended\s+by\s+(?:\d+\s+(?:out\s+of|in)\s+\d+\s+|\d+\s?%\s+of\s+|most\s+|leading\s+|"
            r"many\s+|top\s+)?(?:uk\s+|us\s+)?"
            # a specialty: "paediatric physiotherapists", "practice nurses", "specialist nurses"
            r"(?:(?:respiratory|paediatric|pediatric|specialist|community|practice|school|district|asthma|"
            r"allergy|cardiac|senior|consultant|hospital|family)\s+)?(?:doctors|gps|dentists|nutritionists|dietitians|dieticians|"
            r"pharmacists|physios|physiotherapists|dermatologists|paediatricians|pediatricians|midwives|nurses|"
            r"vets|surgeons|chiropractors|osteopaths|neurologists|psychologists|psychiatrists|(?:speech\s+)?therapists|"
            r"audiologists|optometrists|opticians|physicians|clinicians|cardiologists|(?:health(?:care)?|medical)\s+"
            r"(?:professionals|experts))\b",
        ),
        # the same endorsement with the professionals as subject: "the app paediatricians recommend", "neurologists
        # trust it"
        *(
            (
                who,
                rf"\b{who}s\s+(?:all\s+|now\s+)?(?:recommend|trust|endorse|prescribe|swear\s+by)\b",
            )
            for who in (
                "neurologist",
                "paediatrician",
                "pediatrician",
                "psychologist",
                "psychiatrist",
                "therapist",
                "audiologist",
                "physician",
                "clinician",
                "cardiologist",
                "midwive",
                "nurse",
                "optometrist",
            )
        ),
        # a condition waved goodbye: "Kiss your insomnia goodbye", "Bye-bye, panic attacks", "Say goodbye to
        # stage fright and social anxiety" (a condition among up to two other words)
        (
            "goodbye",
            rf"\bkiss\s+(?:{_HEALTH_OBJECT}){_CONDITION}\s+goodbye\b",
        ),
        *(
            (
                guard,
                rf"\b(?:bye[- ]bye|goodbye|farewell)\s*,?\s+(?:to\s+)?(?:[a-z-]+\s+(?:and\s+)?){{0,3}}?"
                rf"(?:{_HEALTH_OBJECT}){_CONDITION}\b",
            )
            for guard in ("bye", "farewell")
        ),
        # a condition helped: "helps with ADHD", "can help with insomnia and burnout"
        (
            "help",
            rf"\bhelp(?:s|ed|ing)?\s+(?:with|against|(?:to\s+)?(?:ease|beat|overcome))\s+{_HEALTH_OBJECT}{_CONDITION}\b",
        ),
        *(
            (
                who,
                rf"\b{who}s?-(?:formulated|approved|recommended|developed|designed|endorsed|created|backed)\b",
            )
            for who in (
                "doctor",
                "vet",
                "veterinary",
                "veterinarian",
                "nutritionist",
                "dietitian",
                "dietician",
                "dentist",
                "pharmacist",
                "dermatologist",
                "gp",
                "physio",
                "paediatrician",
                "pediatrician",
            )
        ),
        # lowering a risk factor or the risk of a disease: "lowers cholesterol", "reduces the risk of stroke"
        *(
            (
                verb,
                rf"\b{form}\s+(?:your\s+)?(?:cholesterol|blood pressure|blood sugar|blood glucose|"
                rf"(?:the\s+)?risk\s+of\s+(?:a\s+|an\s+)?{_DISEASE}|cortisol|{_HEALTH_OBJECT}{_CONDITION})\b{_NOT_OF}",
            )
            for verb, form in (
                ("lower", r"lower(?:s|ing)?"),
                ("reduc", r"reduc(?:es|e|ing)"),
                ("cut", r"cut(?:s|ting)?"),
            )
        ),
        # killing germs: "kills 99.9% of viruses"
        *(
            (
                verb,
                rf"\b{form}\s+(?:up\s+to\s+)?(?:\d+(?:\.\d+)?\s?%\s+of\s+(?:the\s+|all\s+)?(?:known\s+)?)?"
                r"(?:(?:harmful|bad|plaque|odou?r-causing|mouth|gut|oral|airborne|household|surface|indoor)\s+)?"
                r"(?:viruses|bacteria|germs|microbes|pathogens|covid(?:-19)?|coronavirus|fleas|ticks|worms|parasites)\b",
            )
            for verb, form in (
                ("kill", r"kill(?:s|ing)?"),
                ("destroy", r"destroy(?:s|ing)?"),
                ("wip", r"wip(?:es|e|ing)\s+out"),
                ("eliminat", r"eliminat(?:es|e|ing)"),
                ("eradicat", r"eradicat(?:es|e|ing)"),
                ("neutrali", r"neutrali[sz](?:es|e|ing)"),
            )
        ),
        # a weight-loss promise with a number: "lose 10 kg in a week", "drop 2 stone"
        *(
            (verb, rf"\b{form}\s+(?:up\s+to\s+)?\d+(?:\.\d+)?\s?(?:kg|kilos?|lbs?|pounds|stone)\b")
            for verb, form in (
                ("los", r"los(?:e|ing)"),
                ("drop", r"drop(?:s|ping)?"),
                ("shed", r"shed(?:s|ding)?"),
                ("melt", r"melt(?:s|ing)?\s+(?:away|off)"),
            )
        ),
    ),
    "financial": (
        ("%", r"\b\d{2,3}\s?%\s+(?:returns?|roi|yield|interest)\b"),
        # a rate of return with a figure: "8% returns", "a 7% annual yield", "returns of up to 12%"
        (
            "%",
            r"\b\d{1,3}(?:\.\d+)?\s?%\s+(?:annual\s+|yearly\s+|monthly\s+|guaranteed\s+|fixed\s+|average\s+)?"
            r"(?:returns|return(?=\s+on\b)|roi|yields?|profits?)\b(?!\s+(?:rates?|polic(?:y|ies)|window|labels?))",
        ),
        *(
            (
                word,
                rf"\b{word}\s+of\s+(?:up\s+to\s+|over\s+|more\s+than\s+|at\s+least\s+)?\d{{1,3}}(?:\.\d+)?\s?%",
            )
            for word in ("returns", "return", "yields", "yield", "profits")
        ),
        # earnings claims: "earn $5,000 a week", "make £200 per day from home"
        *(
            (
                verb,
                rf"\b{form}\s+(?:up\s+to\s+|over\s+)?(?:an?\s+)?(?:extra\s+|additional\s+)?[£$€]\s?\d[\d,.]*\s?k?\s*"
                r"(?:a|an|per|every|/)\s*(?:hour|day|week|month|year)\b",
            )
            for verb, form in (("earn", r"earn(?:s|ing)?"), ("mak", r"mak(?:e|es|ing)"))
        ),
        # multiplying a business's money: "double your profits", "triple your margins", "double your revenue"
        *(
            (
                verb,
                rf"\b{verb}(?:s|d|ing)?\s+(?:your|their|its)\s+(?:[a-z-]+\s+)?(?:profits?|revenues?|margins?|"
                r"income|earnings|turnover|sales|takings|money)\b",
            )
            for verb in ("double", "triple", "treble", "quadruple")
        ),
        # money per period promised: "could earn you £20k a year in saved fuel", "save your business £8,000 a
        # year"
        *(
            (
                verb,
                rf"\b{verb}(?:s)?\s+(?:you|your\s+(?:[a-z-]+\s+)?[a-z-]+)\s+"
                r"(?:up\s+to\s+|over\s+)?[£$€]\s?\d[\d,.]*\s?k?\s*(?:a|an|per|every|/)\s*(?:day|week|month|year)\b",
            )
            for verb in ("earn", "save", "make")
        ),
        # a bill or running cost cut by a figure, with no basis ("cut your bills by £900 a year", "slash your
        # heating costs by 45%", "take £300 a year off your gas bills", "savings of up to 40% on your
        # energy bill", "save £500 a year on your heating"): money promised on the reader's outgoings
        *(
            (
                verb,
                rf"\b{form}\s+(?:your\s+|the\s+)?(?:[a-z-]+\s+){{0,2}}?(?:bills?|costs?|spend(?:ing)?)\s+by\s+"
                r"(?:up\s+to\s+|over\s+|as\s+much\s+as\s+|more\s+than\s+)?(?:[£$€]\s?\d|\d{1,3}(?:\.\d+)?\s?%)",
            )
            for verb, form in (
                ("cut", r"cut(?:s|ting)?"),
                ("slash", r"slash(?:es|ing)?"),
                ("reduc", r"reduc(?:es|e|ing)"),
                ("lower", r"lower(?:s|ing)?"),
                ("halv", r"halv(?:es|e|ing)"),
                ("trim", r"trim(?:s|ming)?"),
                ("shrink", r"shrink(?:s|ing)?"),
            )
        ),
        *(
            (
                verb,
                rf"\b{form}\s+(?:up\s+to\s+|over\s+)?[£$€]\s?\d[\d,.]*\s?k?\s*"
                r"(?:(?:a|an|per|every|/)\s*(?:week|month|quarter|year)\s+)?off\s+(?:your\s+|the\s+)?"
                r"(?:[a-z-]+\s+){0,2}?(?:bills?|costs?)\b",
            )
            for verb, form in (
                ("knock", r"knock(?:s|ing)?"),
                ("tak", r"tak(?:es|e|ing)"),
                ("cut", r"cut(?:s|ting)?"),
                ("shav", r"shav(?:es|e|ing)"),
                ("slash", r"slash(?:es|ing)?"),
            )
        ),
        *(
            (
                word.split("\\", 1)[0],
                rf"\b{word}\s+(?:up\s+to\s+|over\s+|more\s+than\s+)?(?:[£$€]\s?\d[\d,.]*\s?k?|\d{{1,3}}(?:\.\d+)?\s?%)"
                r"\s+(?:(?:a|an|per|every)\s+(?:month|quarter|year)\s+)?(?:on|off)\s+(?:your\s+|the\s+)?"
                r"(?:[a-z-]+\s+){0,2}?(?:bills?|energy|electricity|heating|fuel|gas|running\s+costs)\b",
            )
            for word in ("save", "saves", "saving", r"savings\s+of", r"saving\s+of")
        ),
        # an investment that pays for itself in a stated time: "payback within 6 years", "pays for
        # itself in just three years"
        *(
            (
                guard,
                rf"\b{form}\s+(?:in|within|after)\s+(?:as\s+little\s+as\s+|under\s+|less\s+than\s+|just\s+|only\s+)?"
                r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:years?|months?)\b",
            )
            for guard, form in (
                ("payback", r"payback(?:\s+(?:period|time))?"),
                ("pay", r"pay(?:s|ing)?\s+(?:for\s+)?(?:it|itself|themselves)(?:\s+back|\s+off)?"),
            )
        ),
        # a rise in the value of the reader's home: "add 5% to the value of your house", "raises your
        # home's value"
        (
            "add",
            r"\badd(?:s|ing)?\s+(?:up\s+to\s+|over\s+|as\s+much\s+as\s+)?(?:[£$€]\s?\d[\d,.]*\s?k?|\d{1,2}\s?%)\s+"
            r"to\s+(?:the\s+)?(?:value|price|worth)\s+of\s+(?:your\s+|a\s+|the\s+)?(?:home|house|property|flat)\b",
        ),
        *(
            (
                verb,
                rf"\b{verb}(?:s|es|ed|ing)?\s+(?:your\s+|the\s+)?(?:home|house|property|flat)(?:['’]s)?\s+"
                r"(?:value|price|worth)\b",
            )
            for verb in ("boost", "increas", "rais", "lift", "add")
        ),
        # credit promised whatever the reader's record: "loans with no credit checks", "guaranteed loan
        # approval", "approval guaranteed", "everyone is approved"
        ("credit", r"\b(?:no|zero|without(?:\s+any)?)\s+credit\s+checks?\b"),
        ("approv", r"\bguaranteed\s+(?:[a-z]+\s+)?approval\b|\bapproval\s+(?:is\s+)?guaranteed\b"),
        ("everyone", r"\beveryone(?:['’]s|\s+is|\s+gets)\s+(?:accepted|approved)\b"),
        # multiplying money: "turn £100 into £10,000"
        ("turn", r"\bturn(?:s|ing)?\s+[£$€]?\s?\d[\d,.]*\s?k?\s+into\s+[£$€]?\s?\d"),
        # ... with what the sum buys between: "Turn €50 of lessons into a €50,000 career", "turn a €9.99
        # subscription into a €20,000 pay rise"
        (
            "turn",
            r"\bturn(?:s|ing)?\s+(?:a\s+|an\s+|your\s+)?[£$€]\s?\d[\d,.]*\s?k?\s+(?:[a-z-]+\s+){1,3}?into\s+"
            r"(?:a\s+|an\s+)?[£$€]\s?\d",
        ),
        # a salary by its size: "a six-figure salary", "five-figure income"
        (
            "figure",
            r"\b(?:five|six|seven)[\s-]figure\s+(?:salary|salaries|income|earnings|pay|career|job)\b",
        ),
        # a salary promised: "land a £60k job", "secure a $90,000 role"
        *(
            (
                verb,
                rf"\b{verb}\s+(?:a|an|your)\s+[£$€]\s?\d[\d,.]*\s?k?\+?(?:\s+|-)(?:a[\s-]year\s+|per[\s-]year\s+)?"
                r"(?:[a-z-]+\s+){0,2}?(?:job|salary|role|career|position)\b",
            )
            for verb in ("land", "bag", "secure", "get", "walk into")
        ),
        # multiplying an investment: "10x your portfolio", "1000x potential", "worth 50 times more"
        (
            "x",
            r"\b\d{1,5}\s?x\s+(?:your\s+|their\s+|the\s+)?(?:money|portfolio|investments?|savings|income|returns?|"
            r"gains?|profits?|wealth|capital|stack|bag|potential|upside|opportunit(?:y|ies)|coins?|tokens?|gems?)\b",
        ),
        (
            "worth",
            r"\bworth\s+(?:\d+|ten|twenty|fifty|a\s+hundred|a\s+thousand)\s+times\s+(?:more|over|as\s+much)\b",
        ),
        ("times", r"\b\d{1,5}\s+times\s+your\s+(?:money|investment|stake|savings)\b"),
        # investment hype: "to the moon", "about to explode", "the next Bitcoin", "millionaires by Christmas"
        ("moon", r"\bto\s+the\s+moon\b(?!\s+and\s+back)"),
        *(
            (word, rf"\b{word}\s+to\s+(?:explode|skyrocket|moon|pump|rocket|\d+x)\b")
            for word in ("about", "set", "poised", "ready", "going")
        ),
        (
            "next",
            r"\bthe\s+next\s+(?:bitcoin|ethereum|solana|dogecoin|shiba|nvidia|tesla|amazon|big\s+(?:coin|token)|"
            r"\d+x)\b",
        ),
        ("millionaire", r"\bmillionaires?\s+(?:by|before|in|within|overnight)\b"),
        ("quit", r"\bquit\s+(?:their|his|her|my)\s+(?:day\s+)?(?:jobs?|9-to-5s?|nine-to-fives?)\b"),
        # a staking or wallet yield: "earn 12% APY", "earn 9% a year on your stake" (not a savings account's
        # regulated "4.5% AER", which states the rate as the rules require)
        ("%", r"\b\d{1,3}(?:\.\d+)?\s?%\s+apy\b"),
        (
            "earn",
            r"\bearn(?:s|ing)?\s+(?:up\s+to\s+|over\s+|at\s+least\s+)?\d{1,3}(?:\.\d+)?\s?%"
            r"(?!\s*(?:cash\s?back|back|discount|off|aer|of\s+(?:the|your|each|every))\b)",
        ),
        # the money spent earned back: "students earn back their fees in their first month"
        (
            "earn",
            r"\bearn(?:s|ing)?\s+back\s+(?:their|your|the|its|his|her)\s+(?:[a-z-]+\s+)?(?:fees?|investment|costs?|"
            r"money|outlay|deposit|tuition)\b",
        ),
        # a profit promised: "guaranteed daily profits", "guaranteed monthly income"
        (
            "guaranteed",
            r"(?<!\bno\s)\bguaranteed\s+(?:[a-z-]+\s+)?(?:profits?|returns?|income|earnings|payouts?|dividends?)\b",
        ),
        # a yield on crypto: "18% APY staking rewards"
        (
            "%",
            r"\b\d{1,3}(?:\.\d+)?\s?%\s+(?:apy\s+|apr\s+)?(?:staking|farming|mining|crypto)\s+"
            r"(?:rewards?|yields?|returns?|income)\b",
        ),
    ),
    "environmental": (
        # a smaller impact, unquantified: "made with a lower environmental impact", "less impact on the planet"
        *(
            (
                word,
                # (not a figure's: "a 20% lower carbon footprint than the 2023 range")
                rf"(?<![%\d])(?<![%\d]\s)\b{word}\s+(?:(?:environmental|ecological|eco|carbon|climate|planetary)\s+"
                r"(?:impact|footprint|"
                r"toll)|(?:impact|harm|damage)\s+(?:on|to)\s+(?:the\s+)?(?:planet|environment|earth|climate|nature))\b",
            )
            for word in ("lower", "smaller", "reduced", "less", "minimal", "lighter", "low")
        ),
        # "lower carbon" of a product, unquantified: "lower-carbon colour", "lower carbon, same toughness" (not
        # "30% lower carbon")
        ("lower", r"(?<![%\d])(?<![%\d]\s)\blower[\s-]carbon\b"),
        # a footprint cut, unquantified: "cut your family's carbon footprint", "reduces carbon emissions"
        *(
            (
                verb,
                rf"(?<![%\d])(?<![%\d]\s)\b{form}\s+(?:your\s+|the\s+|our\s+|a\s+)?(?:[a-z]+['’]s?\s+)?"
                r"(?:(?:carbon|environmental|ecological|climate)\s+(?:footprint|impact)|(?:carbon\s+)?emissions)\b"
                r"(?!\s+by\s+\d)",
            )
            for verb, form in (
                ("shrink", r"shrink(?:s|ing)?"),
                ("cut", r"cut(?:s|ting)?"),
                ("reduc", r"reduc(?:es|e|ing)"),
                ("lower", r"lower(?:s|ing)?"),
                ("slash", r"slash(?:es|ing)?"),
                ("halv", r"halv(?:es|e|ing)"),
            )
        ),
    ),
    "pricing": (
        ("%", r"\b\d{1,2}\s?%\s?off\b"),
        # "up to 40%" of a saving, not of a return, a rate or a performance figure ("up to 30% faster")
        (
            "up to",
            r"(?<!\bby\s)\bup to\s+\d{1,2}\s?%(?!\s*(?:a\s+(?:year|month)|p\.?a\.?|apr|aer|returns?|interest|yields?|growth|"
            r"per\s+(?:year|annum|month)|of\b|more\b|less\b|faster\b|longer\b|better\b|fewer\b))",
        ),
        ("now", r"\bwas\s+[£$€]\s?\d[\d.,]*\s*[,;/–-]?\s*now\s+[£$€]?\s?\d[\d.,]*"),
        # a price beside the earlier one: "€19.99, was €34.99", "now €49, was €62", "originally €40, today €29"
        *(
            (
                mark,
                rf"{re.escape(mark)}\s?\d[\d.,]*\s*(?:[,;/(–-]\s*)?(?:was|previously|originally|rrp)\s+[£$€]\s?\d",
            )
            for mark in ("£", "$", "€")
        ),
        *(
            (
                word,
                rf"\b{word}\s+[£$€]\s?\d[\d.,]*\s*[,;/–-]?\s*(?:now|today|only|just)\s+[£$€]?\s?\d",
            )
            for word in ("originally", "previously")
        ),
        *(
            (noun, rf"\b{noun}\s+(?:[a-z-]+\s+){{0,2}}?by\s+up\s+to\s+\d{{1,2}}\s?%")
            for noun in ("prices", "price", "fees", "costs", "bills", "rates", "fares", "premiums")
        ),
        ("save", r"\bsave\s+(?:up\s+to\s+|over\s+|more\s+than\s+)?(?:[£$€]\s?\d[\d.,]*|\d{1,2}\s?%)"),
        # a time-limited offer: "this week only", "48 hours only"
        # (one pattern per opening word, each tried only where its word stands)
        (
            "for",
            r"\bfor\s+(?:(?:one|a|this)\s+(?:week|weekend|month|morning|afternoon|evening|day)|"
            r"(?:\d{1,2}|two|three)\s+(?:hours|days))\s+only\b",
        ),
        *(
            (word, rf"\b{word}\s+(?:week|weekend|month|morning|afternoon|evening|day)\s+only\b")
            for word in ("this", "next", "one")
        ),
        ("tonight", r"\btonight\s+only\b"),
        ("only", r"\b\d{1,2}\s+(?:hours|days)\s+only\b"),
        *((word, rf"\b{word}\s+(?:hours|days)\s+only\b") for word in ("two", "three")),
        # an offer's end date: "sale ends Sunday", "offer ends at midnight"
        *(
            (word, rf"\b{word}s?\s+ends?\b")
            for word in ("offer", "sale", "deal", "discount", "promotion", "promo")
        ),
        # ... said with "ending"/"closing" and a day or a date: "our trade counter offers, ending Sunday night",
        # "our interest-free finance, ending 31 January"
        *(
            (
                word,
                rf"\b{word}s?\s*,?\s+(?:ending|closing)\s+(?:on\s+|at\s+|this\s+|next\s+|in\s+)?"
                r"(?:mon|tues|wednes|thurs|fri|satur|sun|to|tomor|mid|\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
                r"dec|soon|week|month)\w*(?:\s+(?:night|morning|evening|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                r"[a-z]*)?",
            )
            for word in ("offer", "sale", "deal", "discount", "promotion", "promo", "finance", "credit")
        ),
        # instalments at no interest are a price (like "0% APR"): "3 interest-free instalments", "interest-free for
        # 12 months" (not "interest-free credit is not available", read as the trigger of a credit notice)
        (
            "interest",
            r"\binterest[\s-]free\s+(?:monthly\s+)?(?:instal(?:l)?ments?|payments?|repayments?)\b"
            r"|\binterest[\s-]free\s+for\s+(?:\d+|[a-z]+)\s+(?:months?|years?)\b",
        ),
        # a price of nothing: "costs €0", "pay $0 for your first lesson", "for just £0"
        *(
            (
                mark,
                rf"\b(?:costs?|pay|paying|for|just|only|is|at)\s+{re.escape(mark)}\s?0(?:[.,]00)?(?![.,]?\d)",
            )
            for mark in ("£", "$", "€")
        ),
        # nothing to pay, as a figure: "£0 delivery", "$0 booking fee"
        *(
            (
                mark,
                rf"{re.escape(mark)}\s?0(?:\.00)?\s+(?:delivery|shipping|postage|p&p|deposit|(?:[a-z-]+\s+)?fees?|"
                r"upfront|up-front)\b",
            )
            for mark in ("£", "$", "€")
        ),
        # a price superlative: "unbeatable prices", "the lowest mortgage rates", "best deals"
        *(
            (
                word,
                rf"\b{word}\s+(?:[a-z-]+\s+)?(?:prices?|deals?|rates?|fares?|tariffs?|bargains?|value)\b",
            )
            for word in ("unbeatable", "unbeaten", "lowest", "cheapest", "best", "keenest")
        ),
        # ... or said as nobody beating them: "you can't beat our prices", "nobody undercuts our mattress prices",
        # "our prices can't be beaten" (not "you can't beat a lie-in")
        *(
            (
                verb,
                r"\b(?:can't|can’t|cannot|won't|won’t|couldn't|couldn’t|nobody|no\s+one|no-one)\s+(?:\w+\s+)?"
                rf"{verb}\s+(?:our|these|those|their|its|the)\s+(?:[a-z-]+\s+){{0,2}}?(?:prices?|deals?|rates?|"
                r"fares?|tariffs?|offers?)\b",
            )
            for verb in ("beat", "beats", "undercut", "undercuts", "match", "matches")
        ),
        (
            "beaten",
            r"\b(?:prices?|deals?|rates?|offers?)\s+(?:can't|can’t|cannot|won't|won’t|will\s+not)\s+be\s+"
            r"(?:beaten|bettered|matched|undercut|topped)\b",
        ),
        # ... of fees and bills too: "the lowest trading fees", "unbeatable premiums"
        *(
            (word, rf"\b{word}\s+(?:[a-z-]+\s+)?(?:fees|charges|costs|premiums|bills|commissions?)\b")
            for word in ("unbeatable", "lowest", "cheapest", "keenest", "smallest")
        ),
        # a price comparison: "cheaper than …", "pay less than …", "half the price of …", "twice as much as ours"
        ("cheaper", r"\bcheaper\s+than\b"),
        *(
            (verb, rf"\b{verb}\s+less\s+than\b")
            for verb in ("pay", "pays", "paying", "cost", "costs", "costing", "charge", "charges", "charging")
        ),
        *(
            (word, rf"\b{word}\s+(?:prices?|fees|bills|rates|premiums)\s+than\b")
            for word in ("lower", "smaller", "better")
        ),
        ("half the", r"\bhalf\s+the\s+(?:price|cost)\s+of\b"),
        # money off in other words: "pay £50 less", "pay 20% less"; a fee waived: "pay no joining fee"
        ("pay", r"\bpay\s+(?:[£$€]\s?\d[\d,.]*\s?k?|\d{1,2}\s?%)\s+less\b"),
        (
            "pay no",
            r"\bpay\s+no\s+(?:[a-z-]+\s+)?(?:fees?|charges?|commission|interest|deposit|delivery|postage|shipping)\b",
        ),
        ("fraction", r"\bfraction\s+of\s+the\s+(?:price|cost)\b"),
        ("twice", r"\btwice\s+as\s+(?:much|expensive)\b"),
        # money off and interest-free credit: "get £2,000 off", "0% APR"
        *((mark, rf"{re.escape(mark)}\s?\d[\d,.]*\s?k?\s+off\b") for mark in ("£", "$", "€")),
        ("0%", r"(?<![\d.])0%\s*(?:apr|finance|interest|deposit)\b"),
        # fees waived: "no booking fees", "zero fees", "never pay booking fees again"
        *(("fees", rf"\b{word}\s+(?:[a-z-]+\s+)?fees\b") for word in ("no", "zero")),
        # "no delivery charges", "zero delivery cost", "no postage costs"
        *(
            (
                word,
                rf"\b{word}\s+(?:delivery|shipping|postage|p&p|courier|carriage)\s+(?:charges?|costs?|fees?|fee)\b",
            )
            for word in ("no", "zero")
        ),
        (
            "never pay",
            r"\bnever\s+pay\s+(?:(?:a|any|for)\s+)?(?:[a-z-]+\s+)?(?:fees?|charges?|commission|interest|"
            r"delivery|postage|shipping)\b",
        ),
        (
            "never",
            r"\bnever\s+pay\s+(?:full\s+price|more\s+than|over\s+the\s+odds)\b",
        ),
        # a price claim about fees: "no hidden fees"
        ("hidden", r"\bno\s+hidden\s+(?:fees|charges|costs|extras)\b"),
    ),
}

#: Patterns over the folded text that back a claim of that kind standing in the same sentence, where the reader
#: sees them: an environmental claim with its standard or certification named ("certified compostable to EN
#: 13432", "carbon neutral, certified to PAS 2060 by the Carbon Trust", "FSC-certified") is a specific claim,
#: not a generic one; so is recyclability with its usual qualification ("where facilities exist"). A bare
#: "certified" or a certifier that is the brand itself ("certified by us") backs nothing.
CLAIM_BACKING: dict[str, tuple[str, ...]] = {
    "environmental": (
        # a standard by its number: EN 13432, PAS 2060, ISO 14021, OECD 301B, ASTM D6400, BS 8001
        *(
            rf"\b{body}\s?[a-z]?\s?\d{{3,5}}(?:[-:]\d+)?[a-z]?\b"
            for body in ("en", "iso", "pas", "astm", "oecd", "bs", "din", "nf")
        ),
        # a named scheme
        r"\b(?:fsc|pefc|grs|gots|rcs|oeko-tex|eu ecolabel|cradle to cradle|tüv|tuv|energy star|soil association|"
        r"rainforest alliance|fairtrade|carbon trust|ok compost|bpi|blue angel|nordic swan|bluesign|msc|asc|"
        r"rspo|better cotton|global recycled standard|sbti|science based targets|"
        # renewable electricity by its certificates: "REGO-backed", "backed by REGO certificates", "guarantees of
        # origin"
        r"regos?|guarantees?\s+of\s+origin)\b",
        # certified or verified by someone named (not the brand itself)
        r"\b(?:certified|verified|audited|accredited)\s+(?:[a-z-]+\s+){0,3}?(?:to|by|under|against)\s+"
        r"(?!(?:us|ourselves|our|itself|we|the\s+brand)\b)(?:the\s+)?[a-z]",
        r"\bwhere\s+facilities\s+exist\b",
        r"\bcheck\s+(?:locally|with\s+your\s+(?:local\s+)?council)\b",
    ),
}

#: who is given something "for free" when it is no offer to the reader: a charity, a rescue, a shelter
_BENEFICIARY = (
    r"rescues?|shelters?|sanctuar(?:y|ies)|charit(?:y|ies)|food\s+banks?|foodbanks?|hospices?|hospitals?|"
    r"refuges?|soup\s+kitchens?|orphanages?|care\s+homes?|nursing\s+homes?|homeless|refugees|volunteers|"
    r"schools?|pounds?|rehoming\s+cent(?:re|er)s?"
)
#: Patterns over the folded text inside which a phrase of that kind is not a claim (for example "free" of a
#: person's time: "are you free tonight?", "I'm free after 5"). Only phrases with "free" in them are tested
#: against them (see brandrail.content.claims).
CLAIM_EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "pricing": (
        # "free" given to a charity or its animals, not to the reader: "Cork Canine Rescue, who we feed for free",
        # "we give meals to the shelter for free" (no "you", "get", "claim" between)
        rf"\b(?:{_BENEFICIARY})\b(?:(?!\b(?:you|your|get|gets|claim|buy|order|shop)\b)[^.!?\n]){{0,40}}?"
        r"\bfor\s+free\b",
        rf"\bfor\s+free\s+(?:to|for|at)\s+(?:the\s+|our\s+|local\s+|a\s+)*(?:[\w'’-]+\s+){{0,3}}?(?:{_BENEFICIARY})\b",
        r"\b(?:are|am|is|was|were|be|r|'re|’re|'m|’m)\s+(?:you|i|we|they|he|she|u|ya)\s+"
        r"(?:still\s+|not\s+|also\s+|both\s+|all\s+)?free\b",
        r"\b(?:you|i|we|they|he|she|u)\s*(?:are|am|is|was|were|'re|’re|'m|’m|will be|'ll be|’ll be|"
        r"won't be|aren't|isn't)\s+(?:still\s+|not\s+|also\s+|both\s+|all\s+)?free\b"
        r"(?!\s+(?:shipping|delivery|returns?|gifts?|trials?|samples?|upgrades?))",
        r"\b(?:when|whenever|if|once)\s+(?:you're|you’re|you are|i'm|i’m|i am)\s+free\b",
        # "free of fragrance", "free from added sugar": without something, no offer; "free of charge", "free from
        # Monday", "free from our kitchen to your door" still offer something
        r"\bfree\s+(?:of|from)\s+(?!(?:charge|charges|cost|costs|payment|fees?|today|tomorrow|tonight|now|next|this|"
        r"our|us|me|the\s+(?:\d|first|start)|\d|mon|tues|wednes|thurs|fri|satur|sun)"
        r"(?:day)?\b)(?:[\w'’-]+\s+){0,2}?[\w'’-]+",
        # a free stretch of the reader's time: "Got a free afternoon?", "Free morning on Saturday?"
        r"\b(?:got|have|has|had|having|any|spare|spend|spending|your|my)\s+(?:a\s+)?free\s+"
        r"(?:morning|afternoon|evening|night|weekend|day|hour|moment|minute)s?\b",
        r"\bfree\s+(?:morning|afternoon|evening|night|weekend|day|hour|moment)s?(?:\s+(?:on|this|next|at)\s+[\w'’]+)?"
        r"\s*\?",
        # a seat, place or slot that is unoccupied, counted or asked about: "Two seats are free in Thursday's
        # class", "Three places are still free on the tour", "Is the 7pm slot free?"; a person free then
        r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|some|no|only\s+\w+)\s+"
        r"(?:seats?|places?|spots?|slots?|spaces?|tables?|rooms?|desks?)\s+(?:are|is)\s+(?:still\s+|now\s+)?free\b",
        r"\b(?:is|are)\s+(?:the|that|this|your|my|any)\s+(?:[\w'’-]+\s+){0,2}?(?:slots?|seats?|places?|rooms?|"
        r"tables?|spots?|dates?|times?)\s+(?:still\s+)?free\b",
        r"\b(?:is|are|am)\s+free\s+then\b",
        r"\b(?:you|u)\s+free\s+(?:tonight|today|tomorrow|later|now|this (?:evening|afternoon|morning|weekend)|"
        r"on (?:mon|tue|wed|thu|fri|sat|sun)\w*|at \d|for (?:a )?(?:chat|call|lunch|dinner|coffee|drink))\b",
    ),
    # a superlative of a game's adversary or challenge is no claim about the product: "unbeatable bosses", "the
    # toughest boss in the game", "the hardest level yet"
    "superlative": (
        r"\b(?:the\s+)?(?:very\s+)?(?:unbeatable|unbeaten|toughest|hardest|strongest|deadliest|fiercest|trickiest|fastest|biggest|"
        r"most\s+(?:difficult|dangerous|fearsome|challenging|powerful))\s+(?:[a-z-]+\s+)?(?:boss(?:es)?|"
        r"enem(?:y|ies)|villains?|monsters?|opponents?|levels?|dungeons?|raids?|puzzles?|quests?|stages?|worlds?)\b"
        r"(?:\s+(?:in|of|on)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?)?",
        # a group's "number one" piece of advice is no ranking of the product: "our team's number one tip"
        r"\b[\w-]+['’]s?\s+(?:very\s+)?(?:number\s+one|no\.?\s?1|top|biggest)\s+(?:tips?|rules?|reasons?|causes?|"
        r"questions?|mistakes?|concerns?|complaints?|fans?|goals?|risks?|threats?|priorit(?:y|ies)|advice)\b",
        # making the most of something: "make the best of a small airing cupboard", "get the best of both"
        r"\b(?:gets?|getting|make|makes|making)\s+the\s+(?:very\s+)?best\s+of\b",
        # advice that depends: "The best size depends on how many bathrooms you have", "the best option will
        # depend on"
        r"\bthe\s+(?:very\s+)?best\s+[a-z-]+\s+(?:depends|will\s+depend|varies|differs)\s+(?:on|from)\b",
        # nothing beating an idiom's adversary or an everyday pleasure is no comparison with rivals: "if you
        # can't beat the heat", "if you can't beat them, join them", "nothing beats a lie-in on a Sunday" (not
        # "you can't beat our prices", "nothing beats a Hybrid")
        r"\b(?:can't|can’t|cannot|won't|won’t|couldn't|couldn’t|nothing|never)\s+(?:\w+\s+)?beats?\s+(?:"
        r"the\s+(?:heat|clock|crowds?|rush|queues?|traffic|system|odds|weather|winter\s+blues)|them\b"
        r"|(?:a|an)\s+(?:good\s+|proper\s+|long\s+|lazy\s+|hot\s+|nice\s+|quick\s+|sunday\s+)?"
        r"(?:lie-in|cuppa|cup\s+of\s+[a-z]+|nap|snooze|day\s+off|walk|holiday|roast|bath|hug|brew))",
    ),
    # an hourly wage stated of a role is a job's pay, no income claim: "Warehouse staff earn €13.80 an hour"
    "financial": (
        r"\b(?:staff|employees|workers|drivers|packers|pickers|couriers|cleaners|nurses|carers|apprentices|trainees|"
        r"interns|operatives|assistants|technicians|engineers|chefs|cooks|baristas|waiters|waitresses|servers|"
        r"cashiers|associates|colleagues|members|crew|recruits|starters|hires|roles|positions|jobs|shifts|"
        r"decorators|painters|plasterers|labourers|electricians|plumbers|joiners|carpenters|fitters|installers|"
        r"builders|tradespeople|mechanics|welders|porters|guards|stewards|receptionists|teachers|tutors|"
        r"coaches|ushers|pickers|loaders|lifeguards)\s+"
        # where the role sits: "Tutors on our team earn €24 an hour"
        r"(?:(?:on|in|at|with)\s+(?:our|the)\s+(?:[a-z-]+\s+)?[a-z-]+\s+)?"
        r"(?:(?:can|will|currently|now|all)\s+)?earn\s+(?:from\s+|at\s+least\s+)?[£$€]\s?\d[\d,.]*\s*"
        r"(?:a|an|per|/)\s*hour\b",
    ),
    # "plastic-free" of a named part is a specific, checkable statement: "a plastic-free lid", "plastic-free seal"
    "environmental": (
        r"\bplastic[- ]free\s+(?:[a-z-]+\s+)?(?:lids?|caps?|windows?|seals?|spouts?|trays?|labels?|sleeves?|"
        r"wrappers?|tapes?|straws?|liners?|inserts?|fillings?|tea\s*bags?|closures?|stickers?|ties?|bands?|"
        r"cutlery|stirrers?)\b",
        # a nation's or a government's target is no claim about the product: "Scotland's statutory target is
        # net zero by 2045", "the government's goal of net zero" ("our target is net zero" still is)
        r"\b(?:legal|national|statutory|legally\s+binding|government['’]?s?|country['’]s|uk['’]s|eu['’]s)\s+"
        r"(?:[a-z-]+\s+)?(?:target|goal|commitment)\s+(?:is|of|to\s+(?:reach|hit|achieve))\s+net[\s-]zero\b",
        # ... said by a nation's plan or law: "Ireland's Climate Action Plan targets net zero by 2050", "the EU's
        # Green Deal aims for climate neutrality"
        r"\b(?:ireland|uk|britain|eu|europe|scotland|wales|england|france|germany|spain|italy|the\s+government|"
        r"government|country|nation|state)['’]?s?\s+(?:[a-z-]+\s+){0,3}?(?:plan|strategy|law|act|deal|policy|"
        r"programme|program)\s+(?:targets?|aims?\s+(?:for|at)|commits?\s+to|requires?|sets?\s+out)\s+"
        r"(?:net[\s-]zero|climate\s+neutrality|carbon\s+neutrality)\b",
        # the hours of the grid with the least carbon, from a forecast: "which hours are greenest on the grid",
        # "charges in the cleanest periods"
        r"\b(?:hours?|times?|periods?|slots?)\s+(?:are|is|were|was)\s+(?:the\s+)?(?:greenest|cleanest)\b",
        r"\b(?:greenest|cleanest)\s+(?:hours?|times?\s+of\s+day|periods?|slots?)\b",
    ),
}

#: Words that negate a claim verb standing at most a few words after them ("we can't guarantee",
#: "we are not able to guarantee", "there is no way we can guarantee"): the sentence denies the claim.
NEGATION: tuple[str, ...] = (
    "not", "never", "cannot", "can't", "can’t", "won't", "won’t", "don't", "don’t", "doesn't", "doesn’t",
    "didn't", "didn’t", "isn't", "isn’t", "aren't", "aren’t", "wasn't", "wasn’t", "weren't", "weren’t",
    "couldn't", "couldn’t", "wouldn't", "wouldn’t", "shouldn't", "shouldn’t", "unable", "nor", "no way",
    "no longer", "neither", "hardly", "nobody can", "nobody could", "no one can", "no one could", "no-one can",
    "no-one could", "no such thing as",
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
    ("master/slave", ("primary/replica", "leader/follower"), "race", "slavery metaphor"),
    ("master-slave", ("primary-replica", "leader-follower"), "race", "slavery metaphor"),
    ("master and slave", ("primary and replica",), "race", "slavery metaphor"),
    ("slave", ("replica", "secondary"), "race", "slavery metaphor"),
    ("grandfathered", ("legacy", "exempt"), "race", "origin in voting restrictions"),
    ("grandfathered in", ("exempt",), "race", "origin in voting restrictions"),
    ("spirit animal", ("favourite", "kindred spirit"), "culture", "appropriates Indigenous belief"),
    ("tribe", ("community", "team", "crew"), "culture", "appropriates Indigenous identity"),
    ("powwow", ("meeting", "huddle"), "culture", "appropriates Indigenous ceremony"),
    ("low man on the totem pole", ("most junior",), "culture", "appropriates Indigenous culture"),
    ("guys", ("everyone", "folks", "all"), "gender", "gendered greeting for mixed groups"),
    ("hey guys", ("hi everyone", "hey all"), "gender", "gendered greeting for mixed groups"),
    ("manpower", ("staff", "workforce", "people"), "gender", "gendered"),
    ("manned", ("staffed",), "gender", "gendered"),
    ("unmanned", ("uncrewed", "unstaffed"), "gender", "gendered"),
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
    ("sanity check", ("quick check", "confidence check"), "disability", "stigmatises mental illness"),
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
    # gendered job titles beside "chairman" and "salesman"
    ("spokesman", ("spokesperson",), "gender", "gendered"),
    ("businessman", ("businessperson", "business owner"), "gender", "gendered"),
    ("repairman", ("repair technician",), "gender", "gendered"),
    ("deliveryman", ("courier", "delivery driver"), "gender", "gendered"),
    ("postman", ("postal worker",), "gender", "gendered"),
    ("weatherman", ("forecaster",), "gender", "gendered"),
    ("stewardess", ("flight attendant",), "gender", "gendered"),
    ("air hostess", ("flight attendant",), "gender", "gendered"),
    ("layman", ("layperson",), "gender", "gendered"),
    # of people, food and cultures; a trade name of an object ("Oriental rug") is left alone (INCLUSIVE_IDIOMS)
    ("oriental", ("Asian", "East Asian"), "origin", "dated, exoticising: name the region or country"),
    # German, French and Spanish: the dated or ableist words their disability and age style guides retire
    # (the words alone where they have no other sense; phrases where they do: "behindert" also means
    # "hindered", "retrasado" "delayed", "fou" a jester in chess)
    ("für Behinderte", ("für Menschen mit Behinderung",), "disability", "othering: people, not a category"),
    ("die Behinderten", ("Menschen mit Behinderung",), "disability", "othering: people, not a category"),
    ("den Behinderten", ("Menschen mit Behinderung",), "disability", "othering: people, not a category"),
    ("echt behindert", ("echt daneben",), "disability", "ableist insult"),
    ("voll behindert", ("völlig daneben",), "disability", "ableist insult"),
    ("total behindert", ("total daneben",), "disability", "ableist insult"),
    ("taubstumm", ("gehörlos",), "disability", "dated"),
    ("an den Rollstuhl gefesselt", ("nutzt einen Rollstuhl",), "disability", "defines a person by a device"),
    ("handicapé mental", ("personne ayant un handicap intellectuel",), "disability", "dated"),
    ("handicapés mentaux", ("personnes ayant un handicap intellectuel",), "disability", "dated"),
    ("les handicapés", ("les personnes handicapées",), "disability", "othering: people, not a category"),
    ("aux handicapés", ("aux personnes handicapées",), "disability", "othering: people, not a category"),
    ("des handicapés", ("des personnes handicapées",), "disability", "othering: people, not a category"),
    ("sourd-muet", ("sourd",), "disability", "dated"),
    ("sourds-muets", ("sourds",), "disability", "dated"),
    ("débile", ("absurde", "ridicule"), "disability", "ableist"),
    ("truc de fou", ("truc incroyable",), "disability", "stigmatises mental illness"),
    ("minusválido", ("persona con discapacidad",), "disability", "dated"),
    ("minusválidos", ("personas con discapacidad",), "disability", "dated"),
    ("minusválida", ("persona con discapacidad",), "disability", "dated"),
    ("minusválidas", ("personas con discapacidad",), "disability", "dated"),
    ("subnormal", ("persona con discapacidad intelectual",), "disability", "ableist slur"),
    ("sordomudo", ("persona sorda",), "disability", "dated"),
    ("sordomudos", ("personas sordas",), "disability", "dated"),
    ("de locos", ("increíble",), "disability", "stigmatises mental illness"),
    # gendered greetings of a mixed group (as "Hey guys"): a greeting word, then the group; the words alone are
    # left alone ("les gars de l'atelier", "los chicos del colegio", "die Jungs vom Verein")
    *(
        (f"{hello}{comma} {group}", alternatives, "gender", "gendered greeting for mixed groups")
        for hellos, group, alternatives in (
            (("salut", "coucou", "bonjour", "hello", "hey", "yo", "merci"), "les gars",
             ("salut tout le monde", "bonjour à tous et à toutes")),
            (("hola", "buenas", "hey", "ey", "gracias", "buenos días", "buenas tardes"), "chicos",
             ("hola a todos", "hola, gente")),
            (("hallo", "hey", "hi", "servus", "moin", "danke"), "jungs", ("hallo zusammen", "hallo alle")),
        )
        for hello in hellos
        for comma in ("", ",")
    ),
    ("una locura", ("increíble", "una maravilla"), "disability", "stigmatises mental illness"),
    ("los ancianos", ("las personas mayores",), "age", "othering"),
)  # fmt: skip

#: Other forms of a built-in term, each with the alternatives that fit that form: derived adverbs, plurals and
#: comparatives that keep the term's meaning ("insanely good", "salesmen", "crazier"). Listed by hand rather
#: than generated, so no form is a word of its own ("lamely"? "dumbed"?).
INCLUSIVE_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "insane": {"insanely": ("incredibly", "extremely")},
    "crazy": {"crazier": ("wilder",), "craziest": ("wildest",), "crazily": ("wildly",)},
    "lame": {"lamer": ("duller",), "lamest": ("dullest",)},
    "dumb": {"dumber": ("sillier",), "dumbest": ("silliest",)},
    "lunatic": {"lunatics": ("reckless people",)},
    "psycho": {"psychos": ("erratic people",)},
    "tribe": {"tribes": ("communities", "teams")},
    "chairman": {"chairmen": ("chairs", "chairpersons")},
    "salesman": {"salesmen": ("salespeople",)},
    "fireman": {"firemen": ("firefighters",)},
    "policeman": {"policemen": ("police officers",)},
    "cameraman": {"cameramen": ("camera operators",)},
    "spokesman": {"spokesmen": ("spokespeople",)},
    "businessman": {"businessmen": ("businesspeople",)},
    "repairman": {"repairmen": ("repair technicians",)},
    "deliveryman": {"deliverymen": ("couriers", "delivery drivers")},
    "postman": {"postmen": ("postal workers",)},
    "weatherman": {"weathermen": ("forecasters",)},
    "stewardess": {"stewardesses": ("flight attendants",)},
    "air hostess": {"air hostesses": ("flight attendants",)},
    "layman": {"laymen": ("laypeople",), "layman's": ("plain",)},
    "old-timer": {"old-timers": ("veterans",)},
    "senior moment": {"senior moments": ("lapses",)},
    "oriental": {"orientals": ("Asian people",)},
}

_THING_NOUNS = (
    "button", "buttons", "toggle", "toggles", "setting", "settings", "account", "accounts", "feature", "features",
    "option", "options", "field", "fields", "link", "links", "mode", "state", "notification", "notifications",
    "cookies", "javascript", "card", "cards", "access", "payment", "payments", "plugin", "plugins", "extension",
    "extensions", "item", "items", "menu", "checkbox", "control", "controls", "service", "services", "alerts",
    "login", "user", "users", "profile", "profiles", "device", "devices", "app", "apps", "integration",
)  # fmt: skip

#: Built-in terms matched with their regular inflections too ("blacklisted", "whitelisting", "slaves").
INCLUSIVE_INFLECTED: frozenset[str] = frozenset({"whitelist", "blacklist", "slave", "sanity check"})

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
    # the trade or proper name of an object, a breed or a plant, and names of institutions: "Oriental rug",
    # "Mandarin Oriental", "Oriental Shorthair" (a cat), "oriental poppy"; spices, food and people are flagged
    "oriental": (
        "oriental rug",
        "oriental rugs",
        "oriental carpet",
        "oriental carpets",
        "mandarin oriental",
        "oriental shorthair",
        "oriental shorthairs",
        "oriental longhair",
        "oriental poppy",
        "oriental poppies",
        "oriental studies",
        "school of oriental",
        "oriental institute",
    ),
    # the adjective before a noun ("die behinderten Kinder") is not the noun for a category of people
    **{
        term: tuple(
            f"{term} {noun}" for noun in ("menschen", "kinder", "personen", "frauen", "manner", "gaste")
        )
        for term in ("die behinderten", "den behinderten", "fur behinderte")
    },
    # a fabric named after its look, not the people: "sherpa fleece", "sherpa-lined"
    "sherpa": tuple(
        f"sherpa {n}"
        for n in (
            "fleece",
            "fleeces",
            "lining",
            "lined",
            "jacket",
            "jackets",
            "collar",
            "blanket",
            "blankets",
            "throw",
            "throws",
            "hoodie",
            "hoodies",
            "fabric",
            "trim",
            "slippers",
            "boots",
            "coat",
            "coats",
            "vest",
        )
    ),
}

#: (word, sureness): how surely a word is profanity in marketing copy (1.0 always; lower is ambiguous).
PROFANITY: tuple[tuple[str, float], ...] = (
    ("fuck", 1.0), ("fucking", 1.0), ("fucked", 1.0), ("motherfucker", 1.0), ("shit", 1.0), ("shitty", 1.0),
    ("bullshit", 1.0), ("cunt", 1.0), ("asshole", 1.0), ("arsehole", 1.0), ("bitch", 0.9), ("bastard", 0.9),
    ("dickhead", 1.0), ("wanker", 1.0), ("twat", 1.0), ("piss", 0.8), ("pissed", 0.7), ("crap", 0.6),
    ("crappy", 0.6), ("damn", 0.5), ("dammit", 0.6), ("goddamn", 0.8), ("hell", 0.3), ("bloody", 0.4),
    ("arse", 0.7), ("ass", 0.6), ("bollocks", 0.8), ("bugger", 0.6), ("prick", 0.6), ("dick", 0.5),
    ("screw you", 0.8), ("sucks", 0.4), ("wtf", 0.9), ("stfu", 1.0), ("omfg", 0.9), ("jerk", 0.4),
    ("fuckwit", 1.0), ("shite", 0.9), ("shithead", 1.0),
    # German (ß folds to "ss": "Scheiße" is "scheisse"); not "Mist" (English "mist") nor "Pute" (a turkey)
    ("scheisse", 1.0), ("scheiss", 1.0), ("scheissegal", 0.8), ("arschloch", 1.0), ("arsch", 0.8),
    ("wichser", 1.0), ("fotze", 1.0), ("hurensohn", 1.0), ("ficken", 1.0), ("fick", 1.0), ("gefickt", 1.0),
    ("schlampe", 1.0), ("kacke", 0.7), ("verdammt", 0.5),
    # French; not "con" (English, Spanish "con"), "cul" ("cul-de-sac") nor "pute" alone (German "Pute")
    ("putain", 1.0), ("merde", 0.9), ("merdique", 0.9), ("connard", 1.0), ("connasse", 1.0), ("salope", 1.0),
    ("encule", 1.0), ("enculer", 1.0), ("fils de pute", 1.0), ("nique ta mere", 1.0), ("ta gueule", 0.8),
    ("foutre", 0.8), ("chier", 0.8), ("bordel", 0.5),
    # Spanish; not "coño" (it folds to "cono", a cone), "polla" (a hen; a lottery) nor "concha" (a shell)
    ("puta", 1.0), ("puto", 0.8), ("hijo de puta", 1.0), ("mierda", 1.0), ("joder", 1.0), ("jodido", 0.9),
    ("jodida", 0.9), ("cabron", 0.9), ("gilipollas", 1.0), ("pendejo", 1.0), ("pendeja", 1.0),
    ("chingada", 1.0), ("chingar", 1.0), ("carajo", 0.8),
)  # fmt: skip

#: The German words of :data:`PROFANITY`: they are also found at the start of a German compound
#: ("Scheißwetter", "arschkalt"; see :mod:`brandrail.content.compounds`).
GERMAN_PROFANITY = frozenset(
    {
        "scheisse", "scheiss", "scheissegal", "arschloch", "arsch", "wichser", "fotze", "hurensohn", "ficken",
        "fick", "gefickt", "schlampe", "kacke", "verdammt",
    }
)  # fmt: skip

#: Words and names that start with a German profane word but are no compound of it (folded): places.
GERMAN_PROFANITY_NAMES = frozenset({"fickmuhle", "fickmuhlen"})

#: German words that end with the letters of a profane or banned word but are another word (folded): a
#: compound that ends with one of them ends with it, not with the shorter word ("Gewaltmarsch", "Rotbarsch",
#: "Eilmärsche" end with "Marsch" and "Barsch", not "Arsch"). See :mod:`brandrail.content.compounds`.
GERMAN_TAIL_LOOKALIKES = frozenset({"marsch", "barsch", "harsch", "parsch", "karsch"})

#: German profane words not read at a compound's end: participles and phrases that end no compound.
GERMAN_PROFANITY_NO_TAIL = frozenset({"verdammt", "gefickt", "scheissegal"})

#: Other forms of a built-in profane word, at its sureness (plurals, -ing, -er and -ed forms that stay
#: profane: "wankers", "fuckers", "bitches"). Listed by hand, not generated, so that no form is an innocent
#: word ("asses", "pricked", "craps" are left out). ``inclusive.profanity.remove`` of the word removes them.
PROFANITY_FORMS: dict[str, tuple[str, ...]] = {
    "fuck": ("fucks", "fucker", "fuckers", "fuckin", "fuckwits"),
    "motherfucker": ("motherfuckers", "motherfucking"),
    "shit": ("shits", "shitting", "shitted", "shitter", "shitters", "shitheads"),
    "bullshit": ("bullshitting", "bullshitter"),
    "cunt": ("cunts",),
    "asshole": ("assholes",),
    "arsehole": ("arseholes",),
    "bitch": ("bitches", "bitching", "bitchy"),
    "bastard": ("bastards",),
    "dickhead": ("dickheads",),
    "wanker": ("wankers", "wank", "wanking", "wanked"),
    "twat": ("twats",),
    "piss": ("pissing", "pisses"),
    "crap": ("crapping", "crapper"),
    "goddamn": ("goddamned", "goddamnit"),
    "arse": ("arses", "arsed"),
    "bugger": ("buggers", "buggered"),
    "wichser": ("wichsers",),
    "arschloch": ("arschlocher",),
    "connard": ("connards",),
    "salope": ("salopes",),
    "encule": ("encules",),
    "puta": ("putas",),
    "puto": ("putos",),
    "cabron": ("cabrones",),
    "pendejo": ("pendejos",),
}
