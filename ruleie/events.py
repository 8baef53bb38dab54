"""Agreements as document-level events: parties from the whole sentence, references
resolved, mentions grouped.

Runs after the stages, on one document's extractions. For every AGREEMENT mention:

* **parties**: besides the parties its rule captured, the named parties of its sentence: ORG
  mentions (not news media, not a source "according to"), countries where the sentence
  names no organization, and descriptions ("the two firms", "US automaker", "the Romanian
  government") that no name of the sentence stands for. News puts the sides of a deal
  anywhere in the sentence ("Chrysler filed for bankruptcy, however a deal with Fiat went
  through").
* **references**: a subject pronoun ("it", "they") is reported as the party it stands for:
  the nearest party before it in the sentence, else the first of the previous sentence (its
  subject). The pronoun's own span goes to ``args.party_refs``. A description is reported as
  written unless a name of the same sentence stands before it (apposition).
* **mediators** ("brokered by Egypt and Qatar", "with the help of the UN", "Norway-mediated")
  go to ``args.mediators``, never to parties.
* **events**: ``value.event`` ("e1", "e2", ... in order of first mention). A mention that
  refers back ("the deal", "The purchase", "under the accord") joins the nearest earlier
  event of its type family whose parties its own do not contradict; a mention sharing two
  named parties with an earlier event of its family joins it too.

The lexicons it needs (``countries``, ``party_heads``) are read from the scope of the rule
set's AGREEMENT rules, so a rule pack can extend them; without them that part is skipped.
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import Any, Iterable

import regex

from .text import BOUNDARY, sentence_breaks

LABEL = "AGREEMENT"
_BOUNDARY = regex.compile(BOUNDARY)
_MEDIA = {"media"}
# What stands before a mediator ("brokered by", "with the help of") and after one ("-brokered").
_MEDIATOR_BEFORE = regex.compile(
    r"(?:brokered|mediated|facilitated|hosted|overseen|sponsored|guaranteed|arranged)\s+by|mediation\s+(?:led\s+)?by|"
    r"mediation\s+of|with\s+the\s+(?:help|mediation|assistance)\s+of|under\s+the\s+auspices\s+of|mediators?|"
    r"(?:talks|negotiations)\s+(?:hosted|held)\s+(?:by|in)",
    regex.IGNORECASE,
)
_MEDIATOR_AFTER = regex.compile(
    r"[-‐–](?:brokered|mediated|sponsored|led)\b|\s*,?\s+(?:which|who)?\s*(?:has\s+|have\s+|had\s+)?(?:brokered|mediated|mediates|hosted|facilitated)\b",
    regex.IGNORECASE,
)
_LIST_GAP = regex.compile(r"(?:[\s,]|\band\b|\bthe\b|\bboth\b)*", regex.IGNORECASE)
_SOURCE_BEFORE = regex.compile(r"(?:according\s+to|told|reported\s+by|said)\s+(?:the\s+)?$", regex.IGNORECASE)
_COUNTRY_CONTEXT_BEFORE = regex.compile(
    r"\b(?:in|at|to|from|across|throughout|into|of|near|inside|outside|within|around|between\s+the\s+US\s+and)\s+(?:the\s+)?$",
    regex.IGNORECASE,
)
_PRONOUN = regex.compile(
    r"\b(?:it|they)\b(?=\s+(?:\w+ly\s+)?(?:has|had|have|will|would|is|was|were|are|could|can|may|might|should|must|"
    r"plans?|agreed|signed|reached|announced|said|wants?|hopes?|expects?|\w+ed)\b)",
    regex.IGNORECASE,
)
_NAME_WORD = r"\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=\p{L}))*"
_SUBJECT = regex.compile(
    rf"[\"“‘']?(?:The\s+)?({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|&))*)(?:\s*,[^,]{{1,60}},)?\s+(?:\w+ly\s+)?"
    r"(?:agreed|agrees|will|would|has|had|have|plans|planned|signed|signs|reached|voted|to|filed|bought|buys|sold|sells|"
    r"acquired|acquires|took|announced|announces|merged|won|struck|entered|made|offered)\b"
)
_SPEAKER = regex.compile(
    rf"[\"“‘']?((?:[Tt]he\s+)?(?:{_NAME_WORD}\s+){{0,3}}(?:{_NAME_WORD}|\p{{Ll}}+))\s+(?:said|says|announced|confirmed|stated|added)\b"
)
_NOT_SUBJECTS = frozenset(
    """In On At But And After Before When While Meanwhile However According Under Over Last This That These
    Those It They He She We I A An Mr Mrs Ms Dr President Prime Minister Chief Secretary Sources Officials
    Analysts Shares Talks Negotiations Both Neither Each All Some Many Most Several If Although Though
    Because Since Unless Whether Once Until As Even Yet So Then Now Today Also Still Instead Despite""".split()
)
_APPOSED_LIST = regex.compile(rf"\s*,\s*(?P<a>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s+and\s+(?P<b>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*,")
_HEAD_TYPES = [
    ({"company", "companie", "firm", "carrier", "airline", "automaker", "carmaker", "maker", "bank", "retailer", "operator",
      "buyer", "seller", "bidder", "insurer", "lender", "producer", "supplier", "manufacturer", "group"}, {"company", "other"}),
    ({"government", "ministry", "authority", "administration", "agency", "council"}, {"government", "international"}),
    ({"union"}, {"union", "other"}),
]
_ALIAS_GAP = regex.compile(r"(?:\s+\p{Lu}[\p{L}.]*)?\s*\(\s*")
_NAME_AFTER = regex.compile(r"\s\p{Lu}")
_OF_BEFORE = regex.compile(r"\bof\s$")
_APPOSITION = regex.compile(r"\s*,\s*|\s+(?:is|was|are|were|became|remains)\s+")
_LISTED = regex.compile(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?|[-‐–]")
_AND = regex.compile(r"\s*(?:,|and|,\s*and)\s*")
_MODIFIER_AFTER = regex.compile(r"[-‐–]\w|\s+\p{Ll}+(?:s|er|ers)\b(?!\s+(?:and|to|with|signed|agreed|have|has))")
_CITY_BEFORE = regex.compile(r"\p{Lu}\p{L}+,\s*$")
_ANAPHORIC = regex.compile(r"(?:the|both)\b", regex.IGNORECASE)
_PLURAL = regex.compile(r"\b(?:both|two|three)\b|s$", regex.IGNORECASE)
_REFERRING = regex.compile(
    r"(?:the|this|that|these|those|such|its|their|under\s+the)\s+(?:same\s+|proposed\s+|new\s+|planned\s+|"
    r"[\p{L}-]+\s+)?$",
    regex.IGNORECASE,
)
# Type families: a later "the deal" may refer to an earlier acquisition, not to a truce.
_FAMILIES = {
    "deal": "deal", "agreement": "deal", "contract": "deal", "acquisition": "deal", "merger": "deal",
    "settlement": "deal", "memorandum": "deal", "exchange": "deal",
    "accord": "accord", "treaty": "accord", "pact": "accord",
    "ceasefire": "truce", "truce": "truce",
    "negotiation": "negotiation",
}
# The "the deal" of one family can name an event of another: an accord is also "the deal".
_GENERIC = {"deal", "agreement", "accord"}


@dataclasses.dataclass
class _Name:
    start: int
    end: int
    text: str
    label: str | None = None
    value: Any = None
    key: str = ""  # what identifies the party across mentions (canonical name)
    kind: str = "name"  # org, country, subject (a name no pack knows), description

    def arg(self) -> dict[str, Any]:
        arg: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.label is not None:
            arg["label"], arg["value"] = self.label, self.value
        return arg


class Events:
    """The document-level pass, built once per rule set (its regexes from the pack's lexicons)."""

    def __init__(self, lexicons: dict[str, Any]):
        self.countries = _compile(lexicons.get("countries"))
        heads = lexicons.get("party_heads")
        self.descriptions = None
        if heads is not None:
            nouns = lexicons.get("party_nouns")
            heads_source = heads.source + (f"|{nouns.source}" if nouns is not None else "")
            country = f"(?:{lexicons['countries'].source})" if "countries" in lexicons else "(?!)"
            self.descriptions = regex.compile(
                rf"\b(?:(?:the|both|its|their|several|two|three|four|five|six|seven|eight|nine|ten|\d+|all|these|those)\s+"
                rf"(?:two\s+|three\s+|four\s+|five\s+|six\s+|\d+\s+)?"
                rf"(?:[\p{{L}}.&-]+\s+){{0,2}}|{country}\s+(?:[\p{{Ll}}-]+\s+)?)(?:{heads_source})\b",
                regex.IGNORECASE,
            )

    def annotate(self, records: list, text: str, shadow: str | None = None) -> list:
        """The records with AGREEMENT parties completed, references and mediators noted, and
        ``value.event`` set; other records unchanged. Order is kept. ``shadow`` (the stage-1
        shadow of ``text``, whose sentence breaks are already marked) saves finding them again."""
        agreements = [r for r in records if r.label == LABEL]
        if not agreements:
            return records
        bounds = _capped(_split(shadow) if shadow is not None and len(shadow) == len(text) else sentences(text))
        ends = [end for _, end in bounds]
        orgs = [r for r in records if r.label == "ORG"]  # in document order
        org_starts = [r.start for r in orgs]
        done: dict[int, Any] = {}
        cache: dict[int, tuple] = {}
        for record in agreements:
            index = _sentence_of(ends, record.start)
            if index not in cache:  # the ORGs of this sentence and the one before it
                near = orgs[bisect.bisect_left(org_starts, bounds[max(0, index - 1)][0]) : bisect.bisect_right(org_starts, bounds[index][1])]
                cache[index] = self._sentence_parties(text, bounds, index, near)
            done[id(record)] = _with_parties(record, *cache[index])
        out = [done.get(id(r), r) for r in records]
        return _group(out, text)

    # -- parties of one sentence -----------------------------------------------------------

    def _sentence_parties(self, text: str, bounds: list[tuple[int, int]], index: int, orgs: list) -> tuple:
        """(parties, mediators, refs) of sentence ``index``: refs pair a pronoun's span with
        the party it stands for."""
        start, end = bounds[index]
        names = self._names(text, start, end, orgs)
        mediators = _mediators(text, start, end, names)
        parties = [n for n in names if n not in mediators]
        if any(n.label for n in parties):  # countries then count only listed with a named side ("Israel and Hamas")
            parties = [n for n in parties if n.kind != "country" or _listed_with_org(text, n, parties)]
        parties += self._descriptions(text, start, end, names)
        parties.sort(key=lambda n: n.start)
        refs: list[tuple[_Name, _Name, bool]] = []  # (word in the text, party it stands for, is it added)
        for m in _PRONOUN.finditer(text, start, end):
            word = _Name(m.start(), m.end(), m.group(), kind="pronoun")
            before = [p for p in parties if p.end <= m.start()] or _speaker(text, start, m.start())
            antecedents = before[-1:] or self._previous(text, bounds, index, orgs, plural=word.text.lower() == "they")
            refs.extend((word, party, True) for party in antecedents)
        for word in [p for p in parties if p.kind == "description" and _ANAPHORIC.match(p.text)]:
            plural = _PLURAL.search(word.text) is not None
            before = [p for p in parties if p.end <= word.start and p.kind not in ("description", "country") and _compatible_party(word, p)]
            if before and not plural:  # "Halden bought Corvex, and the company said": Halden
                parties.remove(word)
                refs.append((word, before[-1], True))
            else:  # kept as written (no name for it in the sentence), its referent noted
                refs.extend((word, party, False) for party in self._previous(text, bounds, index, orgs, plural))
        return parties, mediators, refs

    def _previous(self, text: str, bounds: list[tuple[int, int]], index: int, orgs: list, plural: bool) -> list[_Name]:
        """What a reference back stands for in the previous sentence: its first party (the
        subject), or for "they"/"both sides" the parties listed with it."""
        if index == 0:
            return []
        start, end = bounds[index - 1]
        earlier = self._names(text, start, end, orgs) + self._descriptions(text, start, end, [])
        earlier = sorted(earlier, key=lambda n: n.start)
        mediators = _mediators(text, start, end, earlier)
        earlier = [n for n in earlier if n not in mediators]
        if plural:
            listed = _coordinated(text, earlier)
            return listed if len(listed) > 1 else earlier[:2]
        return earlier[:1]

    def _names(self, text: str, start: int, end: int, orgs: list) -> list[_Name]:
        """ORG mentions and countries of the sentence, and its subject when it is a name the
        ORG pack does not know ("Pellman agreed to ..."). Mediators are among them."""
        names: list[_Name] = []
        for org in orgs:
            if not (start <= org.start and org.end <= end) or org.value.get("type") in _MEDIA:
                continue
            if names and _ALIAS_GAP.fullmatch(text[names[-1].end : org.start]):
                continue  # "Penske Automotive Group (PAG)": the alias is the name before it
            if not _SOURCE_BEFORE.search(text[max(start, org.start - 30) : org.start]):
                names.append(_Name(org.start, org.end, org.text, "ORG", org.value, org.value.get("name") or org.text))
        if self.countries is not None:
            for m in self.countries.finditer(text, start, end):
                if (_free_country(text, start, m) or _MEDIATOR_AFTER.match(text, m.end())) and not any(n.start < m.end() and m.start() < n.end for n in names):
                    names.append(_Name(m.start(), m.end(), m.group(), key=m.group(), kind="country"))
        subject = _subject(text, start, end)
        if subject is not None and not any(n.start < subject.end and subject.start < n.end for n in names):
            names.append(subject)
        return sorted(names, key=lambda n: n.start)

    def _descriptions(self, text: str, start: int, end: int, names: list[_Name]) -> list[_Name]:
        """Descriptions no name stands for: not right before a name ("the auto company
        Chrysler"), not after one in apposition ("Ford, the U.S. car maker"), not "of" one."""
        if self.descriptions is None:
            return []
        found = []
        for m in self.descriptions.finditer(text, start, end):
            if any(n.start < m.end() and m.start() < n.end for n in names):
                continue
            after = text[m.end() : m.end() + 2]
            before = text[max(start, m.start() - 4) : m.start()]
            if _NAME_AFTER.match(after) or _OF_BEFORE.search(before):
                continue
            if any(_APPOSITION.fullmatch(text[n.end : m.start()]) for n in names):
                continue  # apposition or predicate: the name stands for it
            listed = _APPOSED_LIST.match(text, m.end())
            if listed:  # "Two regional carriers, Skyline Air and Norden Jet,": the names
                found.extend(_Name(*listed.span(g), listed.group(g), key=listed.group(g)) for g in ("a", "b"))
                continue
            found.append(_Name(m.start(), m.end(), m.group(), key=m.group().lower(), kind="description"))
        return found


def _subject(text: str, start: int, end: int) -> _Name | None:
    """The sentence's subject when it is a capitalised name followed by a verb: "Halden
    announced", "Kmart to buy", "Vantora will merge". A speaker ("X said") is not taken."""
    m = _SUBJECT.match(text, start, end)
    if m is None or m.group(1).split()[0] in _NOT_SUBJECTS:
        return None
    return _Name(m.start(1), m.end(1), m.group(1), key=m.group(1), kind="subject")


def _speaker(text: str, start: int, end: int) -> list[_Name]:
    """A subject that says what "it" did: "The orchestra said it had signed", "Northgate
    Foods said on Monday it had agreed"."""
    m = _SPEAKER.match(text, start, end)
    return [_Name(m.start(1), m.end(1), m.group(1), key=m.group(1).lower())] if m else []


def _compatible_party(word: _Name, name: _Name) -> bool:
    """Can this description stand for that name? "the company" not for a ministry."""
    head = word.text.lower().split()[-1].rstrip("s")
    wanted = next((types for heads, types in _HEAD_TYPES if head in heads), None)
    kind = (name.value or {}).get("type") if isinstance(name.value, dict) else None
    return wanted is None or kind is None or kind in wanted


def _listed_with_org(text: str, name: _Name, names: list[_Name]) -> bool:
    return any(o.label and (_LISTED.fullmatch(text[o.end : name.start])
                            or _LISTED.fullmatch(text[name.end : o.start]))
               for o in names)


def _coordinated(text: str, names: list[_Name]) -> list[_Name]:
    """The first name and those listed with it ("Brazil and South Korea"): what "they" stands for."""
    out = names[:1]
    for name in names[1:]:
        if not _AND.fullmatch(text[out[-1].end : name.start]):
            break
        out.append(name)
    return out


def _compile(lexicon: Any):
    return regex.compile(rf"(?<!\w)(?:{lexicon.source})(?!\w)") if lexicon is not None else None


def _free_country(text: str, sentence_start: int, m) -> bool:
    """A country named as a side, not as a place ("in China"), an owner ("Russia's
    VSMPO") or a modifier ("US automaker")."""
    follows = text[m.end() : m.end() + 12]
    if _MODIFIER_AFTER.match(follows):
        return False
    before = text[max(sentence_start, m.start() - 30) : m.start()]
    return not (_COUNTRY_CONTEXT_BEFORE.search(before) or _CITY_BEFORE.search(before))  # "in Astana, Kazakhstan"


def _mediators(text: str, sentence_start: int, sentence_end: int, names: list[_Name]) -> list[_Name]:
    """The names of a sentence that stand as mediators ("brokered by Egypt and Qatar")."""
    cue_ends = [sentence_start + m.end() for m in _MEDIATOR_BEFORE.finditer(text[sentence_start:sentence_end])]
    return [n for n in names if _is_mediator(text, n, names, cue_ends)]


def _is_mediator(text: str, name: _Name, names: list[_Name], cue_ends: list[int]) -> bool:
    if _MEDIATOR_AFTER.match(text, name.end):
        return True
    at = bisect.bisect_right(cue_ends, name.start)
    if at == 0:
        return False
    cue_end = cue_ends[at - 1]  # the last cue before the name
    gap = text[cue_end : name.start]
    for other in sorted(names, key=lambda n: -n.start):  # names of the same list ("Egypt and Qatar")
        if cue_end <= other.start and other.end <= name.start:
            gap = gap[: other.start - cue_end] + gap[other.end - cue_end :]
    return _LIST_GAP.fullmatch(gap) is not None


def _with_parties(record, parties: list[_Name], mediators: list[_Name], refs: list) -> Any:
    """The record with the sentence's parties added to those its rule captured; a party
    named twice in the sentence is given once, by the mention nearest the agreement."""
    args = dict(record.args)
    own = list(args.get("parties") or [])
    own = own if isinstance(own, list) else [own]
    mediator_spans = [(n.start, n.end) for n in mediators]
    own = [a for a in own if not any(s < a["end"] and a["start"] < e for s, e in mediator_spans)]
    candidates = [(a, _key(a), True) for a in own] + [(p.arg(), p.key, False) for p in parties]
    candidates += [(party.arg(), party.key, False) for _, party, added in refs if added]
    chosen: dict[str, tuple[dict, bool]] = {}
    for number, arg in enumerate(own):  # what the rule captured stays, even a name given twice
        chosen[f"\0{number}"] = (arg, True)
    captured_keys = {_key(a) for a in own}
    candidates = [c for c in candidates[len(own):] if c[1] not in captured_keys]
    for arg, key, captured in candidates:
        if any(s < arg["end"] and arg["start"] < e for s, e in mediator_spans):
            continue
        if any(o["start"] < arg["end"] and arg["start"] < o["end"] for o, _ in chosen.values()):
            continue
        kept = chosen.get(key)
        if kept is None or (not kept[1] and _distance(record, arg) < _distance(record, kept[0])):
            chosen[key] = (arg, captured)
    party_refs = [{"start": w.start, "end": w.end, "text": w.text, "refers_to": p.arg()} for w, p, _ in refs]
    if chosen:
        args["parties"] = sorted((a for a, _ in chosen.values()), key=lambda a: (a["start"], a["end"]))
    if party_refs:
        args["party_refs"] = party_refs
    if mediators:
        args["mediators"] = [n.arg() for n in mediators]
    return dataclasses.replace(record, args=args)


def _key(arg: dict[str, Any]) -> str:
    value = arg.get("value") if isinstance(arg.get("value"), dict) else None
    return (value or {}).get("name") or arg["text"].lower() if value else arg["text"].lower()


def _distance(record, arg: dict[str, Any]) -> int:
    return max(record.start - arg["end"], arg["start"] - record.end, 0)


# -- events -------------------------------------------------------------------------------


def _named_keys(record) -> set[str]:
    return {a["value"].get("name") or a["text"] for a in record.args.get("parties") or [] if isinstance(a.get("value"), dict)}


def _refers_back(record, text: str) -> bool:
    return bool(_REFERRING.search(text[max(0, record.start - 24) : record.start])) and not record.args.get("terms")


def _compatible(kind: str | None, event_kind: str | None) -> bool:
    if kind in _GENERIC or event_kind is None or kind is None:
        return True
    return _FAMILIES.get(kind, kind) == _FAMILIES.get(event_kind, event_kind)


RECENT_EVENTS = 50


def _group(records: list, text: str) -> list:
    """Set ``value.event`` on every AGREEMENT record (records are in document order)."""
    events: list[dict[str, Any]] = []  # {"id", "type", "named"}
    assigned: dict[int, str] = {}
    for record in records:
        if record.label != LABEL:
            continue
        kind, named = record.value.get("type"), _named_keys(record)
        chosen = None
        for event in reversed(events[-RECENT_EVENTS:]):  # a reference back is to a recent event
            if not _compatible(kind, event["type"]):
                continue
            shared = named & event["named"]
            contradicted = named and event["named"] and not shared
            if (len(shared) >= 2) or (not contradicted and _refers_back(record, text) and (shared or not named or not event["named"])):
                chosen = event
                break
        if chosen is None:
            chosen = {"id": f"e{len(events) + 1}", "type": kind, "named": set()}
            events.append(chosen)
        chosen["named"] |= named
        if chosen["type"] in _GENERIC or chosen["type"] is None:
            chosen["type"] = kind or chosen["type"]  # "the deal" after "the takeover" stays a takeover
        assigned[id(record)] = chosen["id"]
    return [dataclasses.replace(r, value={**r.value, "event": assigned[id(r)]}) if id(r) in assigned else r for r in records]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: line breaks and sentence ends split."""
    cuts = sorted({*sentence_breaks(text), *(m.start() for m in regex.finditer(r"[\n\r\u2028\u2029]", text))})
    spans, start = [], 0
    for cut in cuts:
        if cut > start:
            spans.append((start, cut))
        start = cut + 1
    if start <= len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _split(shadow: str) -> list[tuple[int, int]]:
    """Sentences of a shadow: the runs between BOUNDARY characters."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(shadow):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.start() + 1
    spans.append((start, len(shadow)))
    return spans


def _sentence_of(ends: list[int], offset: int) -> int:
    return max(0, min(bisect.bisect_right(ends, offset), len(ends) - 1))


# Work on a sentence grows faster than its length; a "sentence" longer than this (a document
# without stops) is read in pieces, so the pass stays linear in the text.
MAX_SENTENCE = 2_000


def _capped(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(at, min(at + MAX_SENTENCE, end)) for start, end in bounds for at in range(start, max(end, start + 1), MAX_SENTENCE)]


EVENT_KEYS = ("doc", "event", "type", "status", "parties", "date", "terms", "mentions", "ruleset")


def event_records(records: Iterable, doc: str) -> list[dict[str, Any]]:
    """One record per agreement event, from annotated extractions in document order:
    ``type`` the most specific of its mentions' (an acquisition over "the deal"),
    ``status`` the latest stated, ``parties`` the union (one entry per party, with the spans
    of every mention of it), ``date`` the first stated, ``terms`` every distinct one, and
    ``mentions`` the provenance of each mention."""
    events: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.label != LABEL or "event" not in r.value:
            continue
        event = events.setdefault(r.value["event"], {
            "doc": doc, "event": r.value["event"], "type": None, "status": None, "parties": [],
            "date": None, "terms": [], "mentions": [], "ruleset": r.ruleset,
        })
        kind = r.value.get("type")
        if kind and (event["type"] is None or event["type"] in _GENERIC):
            event["type"] = kind
        if r.value.get("status"):
            event["status"] = r.value["status"]
        refs = r.args.get("party_refs") or []
        for arg in r.args.get("parties") or []:
            if not any((ref["start"], ref["end"]) == (arg["start"], arg["end"]) for ref in refs):
                _add_party(event["parties"], arg)  # a description that refers back is merged into its referent
        for ref in refs:
            _add_party(event["parties"], ref["refers_to"], ref)
        if event["date"] is None and isinstance(r.args.get("date"), dict):
            event["date"] = r.args["date"]
        terms = r.args.get("terms")
        if isinstance(terms, dict) and terms["text"] not in [t["text"] for t in event["terms"]]:
            event["terms"].append({"start": terms["start"], "end": terms["end"], "text": terms["text"]})
        event["mentions"].append({"start": r.start, "end": r.end, "text": r.text, "status": r.value.get("status"),
                                  "rule": {"id": r.rule_id, "file": r.rule_file, "line": r.rule_line}})
    out = [{k: e[k] for k in EVENT_KEYS} for e in sorted(events.values(), key=lambda e: int(e["event"][1:]))]
    for event in out:
        event["parties"] = [{k: v for k, v in p.items() if k != "key"} for p in event["parties"]]
    return out


def _add_party(parties: list[dict[str, Any]], arg: dict[str, Any], ref: dict[str, Any] | None = None) -> None:
    """Merge a party into the event's list, by canonical name (an ORG) or folded text."""
    value = arg.get("value") if isinstance(arg.get("value"), dict) else None
    name = (value or {}).get("name") or arg["text"]
    key = name if value else arg["text"].lower()
    span = {"start": arg["start"], "end": arg["end"], "text": arg["text"]}
    for party in parties:
        if party["key"] == key:
            break
    else:
        party = {"key": key, "name": name, "label": arg.get("label"), "spans": [], "refs": []}
        parties.append(party)
    if span not in party["spans"]:
        party["spans"].append(span)
    if ref is not None:
        party["refs"].append({"start": ref["start"], "end": ref["end"], "text": ref["text"]})
