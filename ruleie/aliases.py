"""Short forms of names found earlier in a document, for lexicons built from mentions.

After "Harbor Freight Lines Inc." a report says "Harbor Freight"; after "Northern Valley
Liberation Front (NVLF)" it says "NVLF". A lexicon declared ``from_mentions: ORG`` holds,
for each ORG mention of the earlier stages, the forms below, each pointing back at that
mention's value, so a later short mention gets the full canonical name.

* the mention as written, and without a corporate suffix ("Harbor Freight Lines");
* an acronym in parentheses right after it ("(NVLF)");
* for companies, the leading words of the name ("Harbor Freight", "Caldera"), and the same
  after a generic first word ("Lumen" of "Groupe Lumen SA");
* for other organizations, the head word that ends the name, capitalised as the name writes
  it ("the Commission" after "European Commission", "the Authority").
"""

from __future__ import annotations

from typing import Any

import regex

from .lexicon import Entry, Lexicon

_SUFFIX = regex.compile(
    r"(?:,?\s+(?:Inc\.?|Corp\.?|Corporation|Co\.|Company|Ltd\.?|Limited|LLC|L\.P\.|LP|PLC|plc|Plc|AB|AG|GmbH|"
    r"S\.?A\.?|SAS|N\.?V\.?|B\.?V\.?|SpA|S\.p\.A\.|ASA|A/S|Oyj|Bhd|SE|Holdings|Group|Public Company Limited))+$"
)
_ACRONYM_AFTER = regex.compile(r"\s*\(\s*(\p{Lu}[\p{Lu}\p{Ll}&.\-]{0,9})\s*\)")
# Heads that, capitalised and alone, go on naming the institution the name ended with.
_HEADS_ALONE = frozenset(
    """Commission Council Parliament Assembly Authority Agency Ministry Court Committee Board Bureau
    Department Tribunal Congress Senate Fund Organisation Organization Alliance Front Party Union
    Federation Association Institute Foundation""".split()
)
_GENERIC_LEADS = frozenset("Groupe Grupo Banco Banca Compagnie Société Societe Industrias The".split())
# Capitalised words too common to stand alone for a company ("Northern", "United").
_TOO_COMMON = frozenset(
    """The A An New National United International Global General First Great North South East West
    Northern Southern Eastern Western Central American British European Asian African Royal State Federal
    Public Private Capital Group Bank Energy Mining Shipping Pacific Atlantic Coastal Internet Web Online
    Digital Mobile Home Data""".split()
)


def short_forms(document: str, start: int, end: int, value: dict[str, Any]) -> set[str]:
    """The forms by which the mention at [start, end) may be named again."""
    text = " ".join(document[start:end].split())
    forms = {text}
    base = _SUFFIX.sub("", text).strip()
    if base and base != text:
        forms.add(base)
    acronym = _ACRONYM_AFTER.match(document, end)
    if acronym and sum(c.isupper() for c in acronym.group(1)) >= 2:
        forms.add(acronym.group(1))
    words = base.split()
    if value.get("type") != "company" and len(words) > 1 and words[-1] in _HEADS_ALONE:
        forms.add(words[-1])
    if value.get("type") == "company":
        if len(words) > 1 and words[0] in _GENERIC_LEADS:
            words = words[1:]
            forms.add(" ".join(words))
        for n in range(1, len(words)):
            forms.add(" ".join(words[:n]))
    return {f for f in forms if f and f[0].isupper() and f not in _TOO_COMMON and len(f) > 1}


def mention_lexicon(name: str, document: str, mentions: list[tuple[int, int, dict[str, Any]]]) -> Lexicon:
    """A case-sensitive lexicon of the short forms of these mentions. Where several mentions
    give the same form, the fullest name wins: the one that is the form itself, else the
    longest that begins with it ("Caldera Mining PLC" over a headline's "Caldera Mining"),
    else the first."""
    entries: dict[str, tuple[tuple[int, int], Entry]] = {}
    for order, (start, end, value) in enumerate(mentions):
        attrs = tuple(sorted((k, v) for k, v in value.items() if k != "name" and isinstance(v, (str, int, float))))
        full = str(value.get("name", ""))
        for form in sorted(short_forms(document, start, end, value)):
            rank = (2, 0) if full == form else (1, len(full)) if full.startswith(form) else (0, 0)
            if form not in entries or rank > entries[form][0]:
                entries[form] = (rank, Entry(full or form, (form,), attrs))
    return Lexicon(name, [entry for _, entry in entries.values()], "sensitive")
