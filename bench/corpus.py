"""A deterministic news-like corpus: same seed and size, same documents, byte for byte.

Each document is a short wire report: a headline, a dateline ("GENEVA, 14 March 2024 —"),
then paragraphs mixing numbers, money, percents, dates, organizations from the bundled
gazetteer, made-up companies and armed groups (with later short mentions and acronyms),
agreements between parties, quotes and plain prose with no mention at all.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Iterator

from . import vocab as v


class _Doc:
    """What one document is about: the names its sentences keep coming back to."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        gaz = v.gazetteer()
        self.orgs = [rng.choice(gaz) for _ in range(4)]
        self.companies = [company_name(rng) for _ in range(2)]
        self.group = f"{rng.choice(v.PLACE_WORDS)} {rng.choice(v.PLACE_WORDS)} {rng.choice(v.ARMED_HEADS)}"
        self.country = rng.choice(v.places()["countries"])
        self.nationality = rng.choice(v.places()["nationalities"][:150])
        self.date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        self.introduced: set[str] = set()

    def org(self) -> str:
        name, _, aliases = self.rng.choice(self.orgs)
        return self.rng.choice((name, name, *aliases[:2]))

    def company(self) -> str:
        """The full name the first time, a short form ("Harwick Mining") after."""
        name = self.rng.choice(self.companies)
        if name in self.introduced:
            return " ".join(name.split()[:2]) if self.rng.random() < 0.6 else name
        self.introduced.add(name)
        return name

    def armed_group(self) -> str:
        acronym = "".join(w[0] for w in self.group.split())
        if self.group in self.introduced:
            return self.rng.choice((acronym, "the " + self.group))
        self.introduced.add(self.group)
        return f"the {self.group} ({acronym})"

    def party(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return self.org()
        if r < 0.6:
            return self.company()
        if r < 0.8:
            return f"the {self.nationality} {self.rng.choice(v.PARTY_NOUNS)}"
        return self.rng.choice(v.places()["countries"])


def company_name(rng: random.Random) -> str:
    words = [rng.choice(v.SURNAMES)]
    if rng.random() < 0.3:
        words.append(rng.choice(v.PLACE_WORDS))
    words.append(rng.choice(v.COMPANY_HEADS))
    if rng.random() < 0.7:
        words.append(rng.choice(v.SUFFIXES))
    return " ".join(words)


# -- quantities and dates ----------------------------------------------------------------


def cardinal(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return str(rng.randint(2, 999))
    if r < 0.55:
        return f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"
    if r < 0.75:
        return f"{rng.randint(1, 9)}.{rng.randint(1, 9)} {rng.choice(v.SCALES)}"
    if r < 0.9:
        return rng.choice(v.NUMBER_WORDS)
    return f"{rng.choice(v.NUMBER_WORDS[:8])} hundred"


def money(rng: random.Random) -> str:
    amount = f"{rng.randint(1, 999)}" if rng.random() < 0.5 else f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
    r = rng.random()
    if r < 0.45:
        return f"{rng.choice(v.CURRENCY_SYMBOLS)}{amount} {rng.choice(v.SCALES)}"
    if r < 0.6:
        return f"{rng.choice(v.CURRENCY_SYMBOLS[:3])}{amount}{rng.choice(('bn', 'm'))}"
    if r < 0.8:
        return f"{amount} {rng.choice(v.SCALES)} {rng.choice(v.CURRENCY_NAMES)}"
    if r < 0.9:
        return f"{rng.choice(v.CURRENCY_CODES)} {amount} {rng.choice(v.SCALES)}"
    return f"${rng.randint(1, 99)}.{rng.randint(10, 99)}"


def percent(rng: random.Random) -> str:
    value = rng.choice((str(rng.randint(1, 60)), f"{rng.randint(0, 12)}.{rng.randint(1, 9)}"))
    return value + rng.choice(("%", " percent", " per cent", "%"))


def qualified(rng: random.Random, text: str) -> str:
    return f"{rng.choice(v.QUALIFIERS)} {text}" if rng.random() < 0.4 else text


def date_phrase(rng: random.Random, doc: _Doc) -> str:
    day = doc.date - dt.timedelta(days=rng.randrange(400))
    r = rng.random()
    if r < 0.25:
        return f"on {day.day} {v.MONTHS[day.month - 1]} {day.year}"
    if r < 0.4:
        return f"on {v.MONTHS[day.month - 1]} {day.day}, {day.year}"
    if r < 0.6:
        return f"on {rng.choice(v.WEEKDAYS)}"
    if r < 0.7:
        return rng.choice(("last week", "yesterday", "last month", "earlier this year", "next week"))
    if r < 0.8:
        return f"in the {rng.choice(('first', 'second', 'third', 'fourth'))} quarter"
    if r < 0.9:
        return f"in {day.year}"
    return f"in {rng.choice(('early', 'late', 'mid-'))}{'' if r > 0.95 else ' '}{v.MONTHS[day.month - 1]}".replace("- ", "-")


# -- sentences --------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _casualties(rng, d):
    return (f"{_cap(qualified(rng, cardinal(rng)))} {rng.choice(v.COUNTED)} were "
            f"{rng.choice(('killed', 'displaced', 'evacuated', 'detained', 'released', 'wounded'))} "
            f"{date_phrase(rng, d)}, according to {d.org()}.")


def _earnings(rng, d):
    return (f"{d.company()} said its {rng.choice(v.METRICS)} rose {percent(rng)} to {money(rng)} "
            f"{date_phrase(rng, d)}, ahead of forecasts.")


def _market(rng, d):
    return (f"Shares of {d.company()} {rng.choice(('rose', 'fell', 'jumped', 'slipped'))} {percent(rng)} to "
            f"{money(rng)} after {d.org()} {v.past(rng.choice(v.NEWS_VERBS))} the plan.")


def _agreement(rng, d):
    trig = rng.choice(v.TRIGGERS)
    mod = rng.choice(v.TRIGGER_MODIFIERS) + " " if rng.random() < 0.5 else ""
    a = "an" if (mod or trig)[0] in "aeiou" else "a"
    r = rng.random()
    if r < 0.35:
        return (f"{_cap(d.party())} and {d.party()} signed {a} {mod}{trig} in "
                f"{rng.choice(v.places()['capitals'])} {date_phrase(rng, d)}.")
    if r < 0.6:
        return (f"{a.capitalize()} {mod}{trig} between {d.party()} and {d.party()} "
                f"{rng.choice(('collapsed', 'was extended', 'held', 'stalled'))} {date_phrase(rng, d)}.")
    if r < 0.8:
        target, buyer = d.rng.sample(d.companies, 2)
        d.introduced.update((target, buyer))
        return (f"{target} said it had agreed to be acquired by {buyer} for "
                f"{money(rng)}, or ${rng.randint(5, 90)}.{rng.randint(10, 99)} a share.")
    return (f"{_cap(d.party())} agreed a {money(rng)} {trig} with {d.party()} "
            f"over {rng.choice(v.METRICS)} {date_phrase(rng, d)}.")


def _conflict(rng, d):
    return (f"Fighters of {d.armed_group()} {v.past(rng.choice(('attack', 'shell', 'seize', 'raid', 'block')))} "
            f"{qualified(rng, cardinal(rng))} positions near the border {date_phrase(rng, d)}, "
            f"{d.org()} said.")


def _quote(rng, d):
    who = f"{rng.choice(v.FIRST_NAMES)} {rng.choice(v.SURNAMES)}"
    said = rng.choice(("“We will not accept this,”", "“The talks are at a critical stage,”",
                       "“This is a fair outcome for everyone,”", "“We kept our side of the agreement,”"))
    return f"{said} {who}, a spokesperson for {d.org()}, told reporters {date_phrase(rng, d)}."


def _statement(rng, d):
    verb = v.past(rng.choice(v.NEWS_VERBS))
    return (f"{d.org()} {verb} the {rng.choice(('proposal', 'decision', 'request', 'report', 'measures'))} "
            f"{date_phrase(rng, d)}, citing {qualified(rng, cardinal(rng))} {rng.choice(v.COUNTED)}.")


def _economy(rng, d):
    return (f"{d.country}'s {rng.choice(v.METRICS)} {rng.choice(('grew', 'fell', 'rose', 'shrank'))} "
            f"{percent(rng)} {date_phrase(rng, d)}, while {rng.choice(v.METRICS)} reached "
            f"{qualified(rng, cardinal(rng))} {rng.choice(v.UNITS)}.")


def _prose(rng, d):
    return rng.choice((
        "The region has long been a source of tension between neighbouring states.",
        "Officials declined to comment on the details, saying discussions were continuing.",
        "Analysts said the move was widely expected and would have little immediate effect.",
        "Residents described long queues at fuel stations and shortages of basic goods.",
        "The announcement came after weeks of speculation in local media.",
        "Critics say the measures do not go far enough to address the underlying problems.",
        "It was not immediately clear how the decision would be enforced on the ground.",
        "Aid groups have warned that access to the area remains extremely limited.",
        f"The {d.nationality} authorities did not respond to a request for comment.",
        "Negotiators are expected to meet again once both sides have consulted their members.",
        "The decision is likely to be challenged in court, according to people familiar with the matter.",
        "Opposition lawmakers called for an independent inquiry into how the contracts were awarded.",
        "Local officials said roads into the district had been closed as a precaution.",
        "The statement gave no further details and did not say when the measures would take effect.",
        "Several diplomats described the mood at the meeting as tense but constructive.",
        "Investors have been watching closely for signs that demand is beginning to recover.",
        "Humanitarian workers said they had been unable to reach several communities in the hills.",
        "The company did not say how many of its employees would be affected by the changes.",
        "Witnesses said the streets were largely empty by nightfall as people stayed indoors.",
        "The ministry said it was studying the proposal and would respond in due course.",
    ))


_SENTENCES = ((_casualties, 3), (_earnings, 2), (_market, 2), (_agreement, 3), (_conflict, 2),
              (_quote, 2), (_statement, 3), (_economy, 2), (_prose, 10))
_KINDS = [f for f, weight in _SENTENCES for _ in range(weight)]


def document(rng: random.Random, number: int) -> dict:
    """One report as a JSONL record: id, date (ISO) and text."""
    d = _Doc(rng)
    city = rng.choice(v.places()["capitals"]).upper()
    headline = rng.choice(_KINDS)(rng, d).rstrip(".")
    date_text = f"{d.date.day} {v.MONTHS[d.date.month - 1]} {d.date.year}"
    paragraphs = [f"{city}, {date_text} — " + rng.choice(_KINDS)(rng, d)]
    for _ in range(rng.randint(6, 16)):
        paragraphs.append(" ".join(rng.choice(_KINDS)(rng, d) for _ in range(rng.randint(1, 4))))
    text = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return {"id": f"bench-{number:06d}", "date": d.date.isoformat(), "text": text}


def generate(size_bytes: int, seed: int = 7) -> Iterator[dict]:
    """Documents until their texts add up to at least ``size_bytes`` of UTF-8."""
    rng = random.Random(seed)
    total = number = 0
    while total < size_bytes:
        record = document(rng, number)
        total += len(record["text"].encode("utf-8"))
        number += 1
        yield record


def write_jsonl(path: Path, records) -> tuple[int, int]:
    """Write records one a line; (documents, text bytes)."""
    docs = size = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            docs += 1
            size += len(record["text"].encode("utf-8"))
    return docs, size


def write_directory(path: Path, records) -> tuple[int, int]:
    """Write one .txt file per document, 1,000 to a subfolder; (documents, text bytes)."""
    docs = size = 0
    for record in records:
        folder = path / f"{docs // 1000:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
        docs += 1
        size += len(record["text"].encode("utf-8"))
    return docs, size


def read_jsonl(path: Path, limit_bytes: int | None = None) -> Iterator[dict]:
    """Records of a corpus file, lazily; stop once ``limit_bytes`` of text were read."""
    total = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if limit_bytes is not None and total >= limit_bytes:
                return
            record = json.loads(line)
            total += len(record["text"].encode("utf-8"))
            yield record
