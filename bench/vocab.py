"""Word lists for the generated corpus and the generated rules.

Organizations, countries, capitals and nationalities come from the bundled rule packs, so
the corpus mentions what the rules know; the rest is written here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

SURNAMES = """Harwick Pelham Nordvik Caldera Thornbury Kestrel Halvard Ardent Verdane Lumen Brightwater
Ashcombe Marlow Redfern Castellan Oakridge Westbrook Granby Holloway Penrose Falkner Trevian Sundberg
Aldous Merrow Quillan Rosmund Stanmore Vance Whitlock Yardley Corvin Delacroix Elstow Fenwick Garland
Hartwell Ingram Jessop Kingsley Lockhart Mabry Norcott Orwin Prescott Ravensworth Sutcliffe Tamsin
Ulverston Voss Wyndham Ashby Bellamy Carrow Dunmore Everly Fairbanks Glenholm Hadley Ivers Jarrow
Kirkland Lindqvist Morrell Nygaard Osterberg Pryce Quarrie Rowntree Selwyn Tregarth Upton Varga""".split()

FIRST_NAMES = """Maria Ahmed Olena Tesfaye Hirut Daniel Fatima Jonas Aisha Pedro Mei Samuel Ingrid Kofi
Leila Tomasz Ana Rahul Yuki Omar Grace Viktor Nadia Carlos Amina Stefan Priya Hassan Elena Joseph""".split()

PLACE_WORDS = """Ridge Valley North South Atlantic Pacific Coastal Northern Southern Eastern Western Central
Highland Lakeside River Harbor Summit Meridian Crescent Cedar Granite Silver Golden Blue Red Iron""".split()

COMPANY_HEADS = """Holdings Group Capital Partners Industries Mining Shipping Energy Pipelines Aerospace Motors
Logistics Systems Technologies Resources Metals Foods Insurance Investments Airlines Rail Steel
Chemicals Pharmaceuticals Construction Telecom Media Securities""".split()

SUFFIXES = ["Inc.", "Ltd", "PLC", "AG", "SA", "AB", "Corp.", "LLC", "N.V.", "GmbH", "plc", "Co."]

ARMED_HEADS = ["Liberation Front", "Brigades", "Movement", "Resistance", "Forces", "Militia"]

MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

COUNTED = """people civilians soldiers fighters refugees workers families children students patients
villages trucks homes jobs voters members troops prisoners detainees hostages passengers""".split()

UNITS = ["tonnes", "barrels", "kilometres", "hectares", "megawatts", "barrels per day", "cubic metres"]

METRICS = """revenue profit sales exports imports output production spending investment debt prices
wages inflation demand shipments""".split()

CURRENCY_SYMBOLS = ["$", "€", "£", "US$", "¥"]
CURRENCY_NAMES = ["dollars", "euros", "pounds", "Swedish crowns", "Norwegian crowns", "Swiss francs", "yen", "rupees"]
CURRENCY_CODES = ["USD", "EUR", "GBP", "SEK", "NOK", "CHF"]
SCALES = ["million", "billion"]
QUALIFIERS = ["more than", "about", "nearly", "at least", "up to", "some", "around", "fewer than", "over", "almost"]

NUMBER_WORDS = """two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
fifty sixty seventy eighty ninety""".split()

TRIGGERS = ["deal", "agreement", "accord", "treaty", "pact", "ceasefire", "truce", "memorandum of understanding",
            "contract", "settlement", "merger", "takeover", "talks", "prisoner exchange"]
TRIGGER_MODIFIERS = ["peace", "trade", "security", "wage", "supply", "investment", "defence", "water", "gas",
                     "energy", "cooperation", "framework", "interim", "bilateral", "humanitarian", "grain"]
PARTY_NOUNS = ["government", "rebels", "opposition", "authorities", "unions", "employers", "military", "militants"]

# Verbs a news corpus reports with; the generated rules (bench/rulegen.py) are keyed on
# inflections of these and more.
NEWS_VERBS = """announce approve reject accuse deny confirm warn urge launch suspend resume postpone
criticise condemn welcome demand propose extend cancel review investigate arrest release detain
sentence charge fine appoint dismiss resign elect vote ban block seize raid attack shell bomb evacuate
deploy withdraw negotiate mediate sign ratify breach violate restore expand reduce raise cut lower
boost freeze lift impose""".split()

# More verbs, for generated rules keyed on words the corpus rarely or never uses.
RULE_VERBS = NEWS_VERBS + """abandon abduct absorb accelerate acquire adjourn adopt advise allege amend
annex appeal assess audit authorise blockade brief broker capture certify chair cite clash collapse
commission compensate concede convene convict correct curb decline decree default defeat delay deport
designate devalue disarm disband disclose dispatch dispute dissolve divest downgrade draft ease endorse
enforce escalate evict exempt expel export extradite file finance forecast forge fund guarantee halt hike
host import indict inspect insure intercept invest issue jail kidnap lease legislate levy license list
loan lobby merge mobilise monitor nationalise nominate oust outlaw overhaul overturn pardon patrol pledge
privatise probe prosecute protest provoke quarantine rally ration rebuild recall reclaim recruit refinance
reform regulate reinstate relocate renegotiate repatriate repeal replace rescind rescue restructure
retaliate revoke sanction scrap settle shelve slash smuggle spend stabilise strike subsidise summon
supply surrender tax terminate topple transfer uphold veto waive acquit adapt allocate assemble
bargain benchmark borrow calculate campaign collaborate collect command compete complain comply
consult contest contract cooperate counter cover damage debate declare defend deliver deploy destroy
detect discharge distribute donate double drill earn embargo employ endanger equip estimate exclude
execute exploit extract fail flood govern halve harvest hire honour inspect install insulate interview
invade isolate join judge kill lend limit manufacture march measure mine modernise mourn offer open
order organise own pay picket plant plead poll predict prepare present preserve produce promise
protect publish purchase question rank reach rebuff recover refuse register reject renew rent repair
report request require research reserve resist respond retire return reveal reward rule save screen
search secure select sell serve shelter ship shut sponsor steer store study submit support suspect
target test threaten trade train travel treat trigger unveil urge visit welcome withhold""".split()

RULE_NOUNS = """ceasefire truce embargo tariff sanction referendum inquiry verdict indictment ruling
subsidy bailout merger takeover acquisition dividend buyback bond loan deficit surplus strike walkout
protest blockade airstrike offensive ambush kidnapping ransom evacuation airlift convoy checkpoint
outbreak vaccine quarantine drought flood earthquake wildfire harvest shortage pipeline refinery
reactor warhead missile drone treaty accord summit election ballot coalition cabinet reshuffle""".split()


def inflections(verb: str) -> list[str]:
    """base, -s, -ed and -ing forms of a regular English verb (good enough for keywords)."""
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return [verb, verb + "es", verb + "ed", verb + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


def past(verb: str) -> str:
    irregular = {"cut": "cut", "lift": "lifted", "seize": "seized", "shell": "shelled", "sentence": "sentenced",
                 "ban": "banned", "lower": "lowered", "freeze": "froze", "bomb": "bombed", "strike": "struck",
                 "spend": "spent", "raise": "raised", "sign": "signed", "veto": "vetoed"}
    return irregular.get(verb) or inflections(verb)[2]


def rules_dir() -> Path:
    from ruleie.load import bundled_rules_dir

    return bundled_rules_dir()


@lru_cache(maxsize=None)
def gazetteer() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, type, aliases) of every organization in the bundled gazetteer."""
    data = yaml.safe_load((rules_dir() / "lexicons" / "organizations.yml").read_text(encoding="utf-8"))
    entries = data["lexicons"]["organizations"]["entries"]
    return tuple((e["name"], e.get("type", "other"), tuple(e.get("aliases", ()))) for e in entries)


def surface_forms() -> list[str]:
    """Every surface form of the gazetteer (names and aliases), in file order."""
    return [form for name, _, aliases in gazetteer() for form in (name, *aliases)]


@lru_cache(maxsize=None)
def places() -> dict[str, tuple[str, ...]]:
    """countries, capitals and nationalities from the bundled places lexicon."""
    data = yaml.safe_load((rules_dir() / "lexicons" / "places.yml").read_text(encoding="utf-8"))
    return {name: tuple(spec["entries"]) for name, spec in data["lexicons"].items()}
