"""Content misses of the fourth round, each fixed for its general cause: a spaced run that a short fragment
starts or ends ("fl 4 w l 3 s s"); look-alike letters of other scripts in banned and profane words; text a
style sheet adds inside a conditional at-rule; German inflected AI words; an AI-generated label on a part of
the content; postal-address span edges. Every example is written for these tests (none is copied from the
pinned sets in tests/data)."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text

POLICY = content_policy(
    {
        "terms": {"banned": [{"term": "radiant"}, {"term": "miracle"}, {"term": "spotless"}]},
        "claims": {"pricing": {"required": ["t&cs apply"]}},
    }
)


def fired(text: str, kind: str = "text", policy: object = POLICY) -> list[tuple[str, str]]:
    result = check_text(text, policy, kind=kind)  # type: ignore[arg-type]
    return [(f.code, text[f.span.start : f.span.end] if f.span else "") for f in result.findings]


# -- 1. a spaced run that a short fragment starts or ends -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Get a sp 0 t l 3 s s shine.", "sp 0 t l 3 s s"),  # two letters, then spaced leet
        ("A r4 d 1 4 n t glow.", "r4 d 1 4 n t"),  # the fragment holds leet itself
        ("Truly m i r 4 c le cream.", "m i r 4 c le"),  # the fragment ends the run
        ("So sp o t l e s s today.", "sp o t l e s s"),  # letters only
        ("A r.a.d.i.a.nt look.", "r.a.d.i.a.nt"),  # dotted, the fragment at the end
        ("Our RA D I A N T range.", "RA D I A N T"),  # capitals
    ],
)
def test_a_fragment_before_or_after_a_spaced_run_reads_with_it(text: str, where: str) -> None:
    assert ("BR101", where) in fired(text), fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "It is a b c for beginners.",  # a short word before spaced letters: no term there
        "Call at 4 p m today.",
        "We ship to the U S A and the E U.",
        "Grade: sp a r e parts and fl a t rate.",
        "The miracle of spaced letters: m i r a c l e.",  # (the term itself, found once; see below)
    ],
)
def test_short_words_before_spaced_letters_add_no_term(text: str) -> None:
    hits = [w for c, w in fired(text) if c == "BR101"]
    assert hits == [w for w in ("miracle", "m i r a c l e") if w in text], hits


# -- 2. look-alike letters of other scripts --------------------------------------------------------------

LOOKS = content_policy(
    {
        "terms": {
            "banned": [
                {"term": "radiant"},
                {"term": "spotless"},
                {"term": "deluxe"},
                {"term": "lavish"},
                {"term": "jackpot"},
                {"term": "crappy"},
                {"term": "sux"},
            ]
        }
    }
)


def _swap(word: str, latin: str, other: str) -> str:
    """``word`` with its first ``latin`` letter written as ``other``."""
    at = word.index(latin)
    return word[:at] + other + word[at + 1 :]


@pytest.mark.parametrize(
    ("other", "latin", "word"),
    [
        # by shape: the letter it looks like
        ("\u0430", "a", "radiant"), ("\u0435", "e", "deluxe"), ("\u043e", "o", "spotless"),
        ("\u0440", "p", "spotless"), ("\u0441", "c", "jackpot"), ("\u0445", "x", "deluxe"),
        ("\u0456", "i", "lavish"), ("\u0458", "j", "jackpot"), ("\u0455", "s", "spotless"),
        ("\u0501", "d", "radiant"), ("\u03bd", "v", "lavish"), ("\u03bf", "o", "jackpot"),
        ("\u03c1", "p", "jackpot"), ("\u0443", "y", "crappy"), ("\u0423", "Y", "CRAPPY"),
        # by sound (the letter a Cyrillic or Greek keyboard types for it)
        ("\u0443", "u", "deluxe"), ("\u0423", "U", "DELUXE"), ("\u0440", "r", "radiant"),
        ("\u0441", "s", "lavish"), ("\u0445", "h", "lavish"), ("\u03bd", "n", "radiant"),
        ("\u03c1", "r", "radiant"),
    ],
)  # fmt: skip
def test_a_look_alike_in_a_banned_word_is_read_by_shape_or_by_sound(
    other: str, latin: str, word: str
) -> None:
    text = f"Our {_swap(word, latin, other)} range is here."
    assert ("BR101", _swap(word, latin, other)) in fired(text, policy=LOOKS), fired(text, policy=LOOKS)


def test_a_profane_word_with_a_cyrillic_u_is_read() -> None:
    for word in ("b\u0443llshit", "B\u0423LLSHIT", "b\u0443ll5h1t"):
        text = f"That is {word}, frankly."
        assert ("BR602", word) in fired(text), fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "\u042d\u0442\u043e \u0441\u0443\u0445\u043e.",  # Russian "Это сухо": a word in one script is no disguise
        "\u0421\u0443\u0445 \u0438 \u0447\u0438\u0441\u0442.",  # "Сух и чист"
        "A byllshit-free plan and a delyxe pack.",  # Latin y is only y
        "d\u0435l\u0443x",  # a mixed word that no reading makes a term
    ],
)
def test_second_readings_only_make_a_disguised_term(text: str) -> None:
    assert not [w for c, w in fired(text, policy=LOOKS) if c in ("BR101", "BR602")], fired(text, policy=LOOKS)


# -- 3. text a style sheet adds inside a conditional at-rule ---------------------------------------------


def _page(css: str, body: str = '<p>Try our <span class="g"></span> cream.</p>') -> str:
    return f"<html><head><style>{css}</style></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "wrap",
    [
        "@media (prefers-color-scheme: dark) {{ {} }}",
        "@media (prefers-color-scheme:dark){{@supports (color: red){{ {} }}}}",
        "@media screen and (max-width: 480px) {{ {} }}",  # a phone reader sees it
        "@container card (min-width: 20em) {{ {} }}",
        "@layer brand {{ {} }}",
        "@supports not (display: nope) {{ @layer x {{ {} }} }}",
    ],
)
def test_generated_text_inside_a_conditional_at_rule_is_read(wrap: str) -> None:
    css = wrap.format('.g::before { content: "mir" } .g::after { content: "acle" }')
    assert any(c == "BR101" for c, _ in fired(_page(css), kind="html")), fired(_page(css), kind="html")


@pytest.mark.parametrize(
    "css",
    [
        '@media print { .g::before { content: "miracle" } }',  # never on a screen
        '@media (prefers-color-scheme: dark) { .g::before { content: "rich" } }',  # nothing banned
        '@scope (.card) { .g::before { content: "miracle" } }',  # no .card: not read (see docs/content.md)
        '.g::before { content: "shea" } @media (prefers-color-scheme: dark) { .g::before { content: "butter" } }',
        '@media (prefers-color-scheme: dark) { .g::before { content: "miracle"; display: none } }',
    ],
)
def test_generated_text_a_reader_never_sees_is_not_read(css: str) -> None:
    assert not [w for c, w in fired(_page(css), kind="html") if c == "BR101"], fired(_page(css), kind="html")


def test_generated_text_in_the_dark_scheme_is_reported_as_such() -> None:
    css = '.g::before { content: "shea" } @media (prefers-color-scheme: dark) { .g::before { content: "miracle" } }'
    result = check_text(_page(css), POLICY, kind="html")
    hits = [f for f in result.findings if f.code == "BR101"]
    assert hits and hits[0].evidence.get("generated_text") == ["miracle"], [f.evidence for f in hits]


# -- 4. German (and French, Spanish) inflected AI labels; 5. a label said of a part -----------------------

AI = content_policy(
    {
        "disclosures": {"ai_label": {"required": True, "channels": ["social"], "assume_generated": True}},
        "channels": {"social": {"kind": "social"}},
    }
)


def unlabelled(text: str) -> bool:
    return "BR303" in [f.code for f in check_text(text, AI, channel="social").findings]


@pytest.mark.parametrize(
    "post",
    [
        "KI-Assistentin: Ihre Bestellung wird am Montag versandt.",
        "Diese Antwort stammt von unserem KI-Assistenten.",
        "Drei Tipps zur Pflege.\n\nIhre KI-Assistentin",
        "Ein KI-gestützter Beitrag: drei Tipps zur Pflege.",
        "KI-gestützte Antwort: drei Tipps zur Pflege.",
        "KI-generierten Inhalt erkennen Sie hier: drei Tipps.",
        "Réponses générées par l'IA : trois conseils.",
        "Respuestas generadas por IA: tres consejos.",
        "This reply is AI-generated.",
        "Everything below is partly AI-generated: three tips.",
        "Dieser Beitrag ist KI-generiert.",
    ],
)
def test_an_inflected_or_predicative_label_labels_the_message(post: str) -> None:
    assert not unlabelled(post)


@pytest.mark.parametrize(
    "post",
    [
        "Probieren Sie unsere KI-Assistentin in der App aus.",
        "Unsere KI-gestützten Räder sind da.",
        "Wir verkaufen keine KI-generierten Bilder.",
        # a label said of a part (or of another thing) labels that part, not the message
        "Our tasting notes are AI-generated. Your parcel left today.",
        "Our playlists are AI-generated and updated daily.",
        "Unsere Verkostungsnotizen sind KI-generiert. Ihr Paket ist unterwegs.",
        "Browse our AI-generated tasting notes! Your parcel left today.",  # the attributive twin
    ],
)
def test_a_mention_or_a_label_of_another_thing_is_no_label(post: str) -> None:
    assert unlabelled(post)


# -- 6. postal-address span edges; an outline number near a postal address -------------------------------

PII = content_policy({})


def pii(text: str) -> list[tuple[str, str]]:
    return [(c, w) for c, w in fired(text, policy=PII) if c.startswith("PV")]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Ich wohne jetzt in der Lindenallee 7 in Augsburg, bitte ändern.", "Lindenallee 7 in Augsburg"),
        ("Ich wohne in der Lindenallee 7 in 86150 Augsburg.", "Lindenallee 7 in 86150 Augsburg"),
        ("She lives at 31 Birch Road in Harrogate.", "31 Birch Road in Harrogate"),
        ("Please deliver to 31 Birch Road in Harrogate HG1 2AB.", "31 Birch Road in Harrogate HG1 2AB"),
        ("Livrez au 9 rue des Acacias à Nantes.", "9 rue des Acacias à Nantes"),
        # a French floor is a unit wherever it stands in the address
        ("Adresse : 2e étage, 9 rue des Acacias, 44000 Nantes", "2e étage, 9 rue des Acacias, 44000 Nantes"),
        ("Adresse : 9 rue des Acacias, 44000 Nantes, 2e étage.", "9 rue des Acacias, 44000 Nantes, 2e étage"),
    ],
)
def test_the_town_after_in_and_a_floor_are_in_the_address_span(text: str, span: str) -> None:
    assert ("PV114", span) in pii(text), pii(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("My address is 31 Birch Road in March we move.", "31 Birch Road"),  # a month, not a town
        ("Meet me at 31 Birch Road in ten minutes.", "31 Birch Road"),
        ("Ich wohne in der Lindenallee 7 in Kürze nicht mehr.", "Lindenallee 7"),
    ],
)
def test_a_word_after_in_that_is_no_town_stays_out(text: str, span: str) -> None:
    assert ("PV114", span) in pii(text), pii(text)


def test_a_name_before_a_numberless_street_follows_the_name_list() -> None:
    # a given name the person-name recogniser knows is a person, left out of the address (masked as a name);
    # one it does not know (Holly is left out of the list as an everyday word) reads as a house name and is
    # masked with the address: either way the ledger masks it
    assert pii("Ship to Jane Fowler, Church Street, Tetbury GL8 8AA") == []
    assert pii("Ship to Holly Fowler, Church Street, Tetbury GL8 8AA") == [
        ("PV114", "Holly Fowler, Church Street, Tetbury GL8 8AA")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "See 4.3.1.5 for returns; my address is 22 Harbour Street, Newport NP20 1AB.",
        "Clause 2.1.4.3 applies. Adresse : 9 rue des Acacias, 44000 Nantes.",
        "Punkt 1.2.3.4 beachten, meine Adresse ist Lindenallee 7, 86150 Augsburg.",
    ],
)
def test_an_outline_number_near_a_postal_address_is_no_ip(text: str) -> None:
    assert not [w for c, w in pii(text) if c == "PV106"], pii(text)


@pytest.mark.parametrize(
    "text", ["The address is 10.0.0.5 now.", "Adresse: 10.1.2.3", "address 4.3.1.5 blocked"]
)
def test_an_address_word_naming_the_numbers_still_makes_an_ip(text: str) -> None:
    assert [w for c, w in pii(text) if c == "PV106"], pii(text)
