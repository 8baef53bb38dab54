"""The bundled ORG pack on shapes of third-party news (issue 12).

* property: a later mention (rule org.later_mention) is never a country, capital, city,
  region, nationality or first name of the bundled lexicons, even where an earlier
  organization's name began with one ("Lisbon Air Inc." ... "Lisbon");
* made-up sentences of the shapes real news uses, each with the ORGs it must and must not give.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ruleie.lexicon import Lexicon
from ruleie.normalize import MatchView, Span
from ruleie.normalize.orgs import org_initials_value

NOT_SHORT_FORMS = ("countries", "capitals", "cities", "regions", "nationalities", "first_names")
HEADS = ["Air Inc.", "Holdings Ltd", "Motors Corp.", "Capital Partners LLC", "Airlines", "Mining PLC", "Group"]
FILLER = ["said on Tuesday that", "will meet", "rose 3%, and", "was founded in 1990 in", "welcomed the deal with"]


def bundled_lexicon(extractor, name: str) -> Lexicon:
    return next(obj for kind, _, found, obj in extractor.ruleset.definitions if kind == "lexicon" and found == name)


@pytest.fixture(scope="module")
def excluded(bundled) -> list[Lexicon]:
    return [bundled_lexicon(bundled, name) for name in NOT_SHORT_FORMS]


@settings(max_examples=max(20, settings().max_examples // 3), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_later_mention_is_never_a_place_nationality_or_person(bundled, excluded, data):
    lexicon = data.draw(st.sampled_from(excluded), label="lexicon")
    word = data.draw(st.sampled_from(sorted({s for e in lexicon.entries for s in e.surfaces})), label="word")
    name = f"{word} {data.draw(st.sampled_from(['Vantor', 'Halden', '']))} {data.draw(st.sampled_from(HEADS))}"
    name = " ".join(name.split())
    text = f"{name} {data.draw(st.sampled_from(FILLER))} {word}. Later {word} {data.draw(st.sampled_from(FILLER))} {word}."
    for record in bundled.extract(text):
        if record.rule_id == "org.later_mention":
            assert not any(lex.lookup(record.text) for lex in excluded), (record.text, text)


CASES = [
    # one-word names with a cue
    ("Shares of Vantora rose 4% after its rival Heskin cut prices.", ["Vantora", "Heskin"]),
    ("Vantora's chief executive said a Heskin spokesman had called.", ["Vantora", "Heskin"]),
    ("The deal was signed with the carmaker Brelland and Russian manufacturer Sokol.", ["Brelland", "Sokol"]),
    # government bodies
    ("The Senate passed the bill and the House will vote; Congress adjourns Friday.", ["Senate", "House", "Congress"]),
    ("The Treasury and the Fed acted, and the Supreme Court declined the case.", ["Treasury", "Fed", "Supreme Court"]),
    ("The Government Accountability Office (GAO) upheld the protest. The GAO said so.",
     ["Government Accountability Office", "GAO", "GAO"]),
    # boundaries
    ("Merrill Lynch & Co. and Denver-based Halden Capital Management Inc. agreed.",
     ["Merrill Lynch & Co.", "Halden Capital Management Inc."]),
    ("Apple Corps sued Apple Computer in the High Court.", ["Apple Corps", "Apple Computer", "High Court"]),
    # brand and product uses, indices, people
    ("Airbus A320 jets and Boeing 787 Dreamliners; the NASDAQ index fell.", []),
    ("Henry Ford bought an apple; Gerald Ford met Mr Dell.", []),
    ("Lisbon Air Inc. flies from Lisbon. Lisbon is sunny; Lisbon Air said so.", ["Lisbon Air Inc.", "Lisbon Air"]),
    ("Obama spokesman Jay Carney met a Vantora spokesman and Smith's vice president.", ["Vantora"]),
    ("Wigan Athletic beat Manchester United, and the Lakers won; FC Halden drew.",
     ["Wigan Athletic", "Manchester United", "Lakers", "FC Halden"]),
    ("The Kremlin said Kremlin-owned Sovgaz and the Senate Judiciary Committee agreed.",
     ["Kremlin", "Sovgaz", "Senate Judiciary Committee"]),
    # lists, names given, names an acronym of its initials follows
    ("Unlisted retailers Vestra, Halvik and Corvane, and a new firm called Orvane, bid.",
     ["Vestra", "Halvik", "Corvane", "Orvane"]),
    ("The Halden Market Economics (HME) said the HME expects gains.", ["Halden Market Economics", "HME", "HME"]),
    ("Gross Domestic Product (GDP) grew, and Bovine Spongiform Encephalopathy (BSE) spread.", []),
    # an institution's head word alone, capitalised, after its full name; not a company's
    ("The Halden Harbour Authority fined Vestra Bank. The Authority said the Bank paid; the authority agreed.",
     ["Halden Harbour Authority", "Vestra Bank", "Authority"]),
]


@pytest.mark.parametrize("text,names", CASES, ids=[c[0][:40] for c in CASES])
def test_shapes_of_news(bundled, text, names):
    assert [r.text for r in bundled.extract(text) if r.label == "ORG"] == names


def test_no_date_or_number_inside_a_known_name(bundled):
    records = bundled.extract("The Sunday Times said Schalke 04 lost on Sunday.")
    assert [(r.label, r.text) for r in records] == [("ORG", "The Sunday Times"), ("ORG", "Schalke 04"), ("DATE", "Sunday")]


def initials_value(name: str, acronym: str) -> dict | None:
    """org_initials on "NAME (ACRONYM)", the name matched and the acronym captured as _abbr."""
    text = f"{name} ({acronym})"
    abbr = Span(len(name) + 2, len(text) - 1, acronym)
    return org_initials_value(MatchView(name, 0, len(name), text, captures={"_abbr": [abbr]}))


@pytest.mark.parametrize("name,acronym,kept", [
    ("Movement of Socialist Democrats", "MDS", True),    # initials in another order
    ("United Marxist-Leninist", "UML", True),             # a hyphen joins two words
    ("Halden Secondary Market", "HSM", True),
    ("Halden Secondary Market", "SHM", False),           # must begin with the first initial
    ("Anna Berg", "NATO", False),                        # letters the name does not have
    ("Vestra Halden North Sea Trading", "VH", False),     # too few letters for the words
])
def test_org_initials_keeps_a_name_only_where_the_acronym_fits(name, acronym, kept):
    assert (initials_value(name, acronym) == {"name": name, "type": "other"}) is kept


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8).map(str.capitalize)


@settings(max_examples=max(30, settings().max_examples // 2))
@given(words=st.lists(WORDS, min_size=2, max_size=5), order=st.randoms(use_true_random=False))
def test_org_initials_takes_its_initials_in_any_order_after_the_first(words, order):
    name = " of ".join(words[:1] + [" ".join(words[1:])])
    initials = [w[0] for w in words]
    rest = initials[1:]
    order.shuffle(rest)
    good = "".join([initials[0]] + rest)
    stray = next(c for c in "QXZJKV" if c not in initials)
    for acronym, kept in ((good, True), (good[:-1] + stray, False), (stray + good[1:], False)):
        assert (initials_value(name, acronym) is not None) is kept, (name, acronym)
