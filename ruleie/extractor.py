"""The extraction pipeline for one document, stage by stage, and the Extraction record.

text -> base shadow -> for each stage: scan -> resolve -> normalize -> suppress
     -> Extractions (sorted by start, -end, label, rule id) -> agreement events (events.py)

``trace`` keeps every candidate and the reason each dropped one lost; ``extract`` is
``trace`` minus the bookkeeping, and is what the CLI and library use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .aliases import mention_lexicon
from .events import LABEL as EVENT_LABEL
from .events import Events, event_records
from .lexicon import Lexicon, MentionLexicon
from .limits import DEFAULT_LIMITS, Limits
from .normalize import MatchView, Span, make_value
from .normalize.dates import find_dateline
from .resolve import Dropped, resolve, suppress
from .ruleset import Rule, RuleSet, Stage, build
from .scan import DEFAULT_TIMEOUT, Candidate, scan
from .text import base_shadow, overwrite_mentions

RECORD_KEYS = ("doc", "label", "start", "end", "text", "value", "args", "rule", "ruleset")


@dataclass(frozen=True)
class Extraction:
    """One extracted mention with its value and provenance."""

    doc: str
    label: str
    start: int
    end: int
    text: str
    value: dict[str, Any]
    args: dict[str, Any]
    rule_id: str
    rule_file: str
    rule_line: int
    ruleset: str

    def to_dict(self) -> dict[str, Any]:
        """The contract record (docs/output.md), keys in contract order."""
        return {
            "doc": self.doc, "label": self.label, "start": self.start, "end": self.end,
            "text": self.text, "value": self.value, "args": self.args,
            "rule": {"id": self.rule_id, "file": self.rule_file, "line": self.rule_line},
            "ruleset": self.ruleset,
        }


@dataclass
class StageTrace:
    number: int
    candidates: list[Candidate]
    dropped: list[Dropped]


@dataclass
class Trace:
    """Everything that happened to one document, for ``explain``."""

    text: str
    doc_date: dt.date | None
    stages: list[StageTrace] = field(default_factory=list)
    mentions: list[Candidate] = field(default_factory=list)
    values: dict[int, dict[str, Any]] = field(default_factory=dict)  # id(candidate) -> value
    views: dict[int, MatchView] = field(default_factory=dict)
    lexicons: dict[str, Lexicon] = field(default_factory=dict)  # built from this document's mentions
    shadow: str = ""  # the stage-1 shadow: sentence and line breaks marked


class Extractor:
    """Compiled rules, ready to run on any number of documents.

    Pickles as the rule paths it was loaded from (and their content hash), so worker
    processes rebuild it once instead of shipping compiled state.
    """

    def __init__(self, ruleset: RuleSet, timeout: float = DEFAULT_TIMEOUT, labels: Iterable[str] | None = None):
        self.ruleset = ruleset
        self.timeout = timeout
        self.labels = frozenset(labels) if labels else None
        self._targets: list[str] | None = None
        self._annotator: Events | None = None

    def __reduce__(self):
        return (_rebuild, (self._targets, self.ruleset.digest, self.timeout, self.labels, self.ruleset.tree.limits))

    @property
    def rules(self) -> list[Rule]:
        return self.ruleset.rules

    def extract(self, text: str, doc_id: str | None = None, doc_date: dt.date | str | None = None,
                internal: bool = False) -> list[Extraction]:
        """Extractions of one document, in contract order. Mentions of an internal label
        ("_NAME": a rule that only suppresses others) are left out unless ``internal``."""
        doc = doc_id if doc_id is not None else "-"
        trace = self.trace(text, doc_date, doc)
        out = [self._extraction(doc, candidate, trace) for candidate in trace.mentions
               if internal or not candidate.rule.label.startswith("_")]
        out.sort(key=lambda e: (e.start, -e.end, e.label, e.rule_id))
        out = self._events().annotate(out, text, trace.shadow)
        return [e for e in out if self.labels is None or e.label in self.labels or e.label.startswith("_")]

    def events(self, text: str, doc_id: str | None = None, doc_date: dt.date | str | None = None) -> list[dict[str, Any]]:
        """One record per agreement event of the document (docs/output.md, "Events"): its
        type, latest status, parties with all their spans, date, terms, and its mentions."""
        doc = doc_id if doc_id is not None else "-"
        return event_records(self.extract(text, doc, doc_date), doc)

    def _events(self) -> Events:
        if self._annotator is None:
            rules = [r for r in self.ruleset.rules if r.label == EVENT_LABEL and r.scope is not None]
            self._annotator = Events(rules[0].scope[0] if rules else {})
        return self._annotator

    def extract_many(self, documents: Iterable[Any]) -> Iterator[Extraction]:
        """Stream the extractions of many documents: each a text, an (id, text) pair, or a
        mapping with ``text`` and optional ``id`` and ``date``."""
        for number, document in enumerate(documents):
            doc_id, text, date = _unpack(document, number)
            yield from self.extract(text, doc_id, date)

    def trace(self, text: str, doc_date: dt.date | str | None = None, doc_id: str = "-") -> Trace:
        """Run every stage, keeping candidates, drop reasons and values."""
        date = _as_date(doc_date) if doc_date is not None else find_dateline(text)
        trace = Trace(text, date)
        base = trace.shadow = base_shadow(text)
        mentions: list[Candidate] = []
        for stage in self.ruleset.stages:
            shadow = base if not mentions else overwrite_mentions(base, self._marked(mentions))
            by_span = {(m.start, m.end): m for m in mentions}
            dropped: list[Dropped] = []
            self._build_lexicons(stage, trace, mentions)
            starts: dict[str, list[int]] = {}
            for m in mentions:
                starts.setdefault(m.rule.label, []).append(m.start)
            found = scan(stage, shadow, doc_id, self.timeout, trace.lexicons, starts)
            candidates = self._normalize(found, trace, by_span, dropped)
            mentions = self._settle(candidates, mentions, shadow, trace, by_span, dropped)
            trace.stages.append(StageTrace(stage.number, candidates, dropped))
        trace.mentions = mentions
        return trace

    def _marked(self, mentions: list[Candidate]) -> list[tuple[int, int, int]]:
        """The spans later stages see as mentions; an internal label's text stays as written
        (its mentions only rule out others: "Boeing 787" is still two words to later rules)."""
        labels = self.ruleset.labels
        return [(m.start, m.end, labels[m.rule.label]) for m in mentions if not m.rule.label.startswith("_")]

    def _build_lexicons(self, stage: Stage, trace: Trace, mentions: list[Candidate]) -> None:
        for index in stage.document_rules:
            wanted = stage.rules[index].mention_lexicon
            found = [(m.start, m.end, trace.values[id(m)]) for m in mentions if m.rule.label == wanted.label]
            trace.lexicons[wanted.name] = mention_lexicon(wanted.name, trace.text, found)

    def _settle(self, candidates: list[Candidate], mentions: list[Candidate], shadow: str, trace: Trace,
                by_span: dict, dropped: list[Dropped]) -> list[Candidate]:
        """The mentions after this stage: overlaps resolved within each label, then mentions
        suppressed across labels. A candidate that lost only to one that is then suppressed
        stands after all: in "Sept. 30 to $747.8 million" the range "30 to $747.8 million"
        beats "$747.8 million" and is then suppressed by the DATE "Sept. 30"."""
        pool, removed = candidates, []
        for _ in range(4):
            lost: list[Dropped] = []
            kept = self._resolve(pool, shadow, trace, by_span, lost)
            settled, suppressed = suppress(kept, mentions + kept)
            gone = {id(drop.candidate) for drop in suppressed}
            if not any(id(drop.by) in gone for drop in lost):
                break
            ours = {id(c) for c in pool}
            removed += [drop for drop in suppressed if id(drop.candidate) in ours]
            pool = [c for c in pool if id(c) not in gone]
        dropped.extend(lost + removed + suppressed)
        return settled

    def _resolve(self, candidates: list[Candidate], shadow: str, trace: Trace, by_span: dict, dropped: list[Dropped]) -> list[Candidate]:
        """Resolve overlaps; a candidate that loses to one starting inside it is tried again,
        cut short before the winner ("Coastal Fishermen's Union" out of an over-long
        "Coastal Fishermen's Union and the National Union of Mineworkers")."""
        tried: set[tuple[str, int, int]] = set()
        for _ in range(4):
            kept, lost = resolve(candidates)
            retries = []
            for drop in lost:
                loser, winner = drop.candidate, drop.by
                key = (loser.rule.id, loser.start, winner.start)
                if winner.start <= loser.start or key in tried:
                    continue
                tried.add(key)
                m = loser.rule.regex.match(shadow, loser.start, winner.start, timeout=self.timeout)
                if m and m.end() > m.start():
                    retries.append(Candidate(m.start(), m.end(), loser.rule, m))
            if not retries:
                dropped.extend(lost)
                return kept
            candidates = candidates + self._normalize(retries, trace, by_span, dropped)
        dropped.extend(lost)
        return kept

    def _normalize(self, candidates: list[Candidate], trace: Trace, by_span: dict, dropped: list[Dropped]) -> list[Candidate]:
        """Compute each candidate's value; drop those whose normalizer rejects them."""
        valid = []
        for candidate in candidates:
            view = self._view(candidate, trace, by_span)
            value = make_value(candidate.rule.value, view)
            trace.views[id(candidate)] = view
            if value is None:
                dropped.append(Dropped(candidate, f"value fn {candidate.rule.value.get('fn')!r} rejected the text", candidate))
                continue
            trace.values[id(candidate)] = value
            valid.append(candidate)
        return valid

    def _view(self, candidate: Candidate, trace: Trace, by_span: dict) -> MatchView:
        text, m = trace.text, candidate.match
        captures: dict[str, list[Span]] = {}
        for name, info in candidate.rule.captures.items():
            spans = m.spans(info.group) if info.is_list else [m.span(info.group)]
            for start, end in spans:
                if start < 0 or start == end:
                    continue
                captured = text[start:end]
                data, label = None, None
                if info.lexicon is not None:
                    lexicon = trace.lexicons.get(info.lexicon.name) if isinstance(info.lexicon, MentionLexicon) else info.lexicon
                    entry = lexicon.lookup(captured) if lexicon else None
                    data = entry.data() if entry else None
                elif (start, end) in by_span:
                    mention = by_span[(start, end)]
                    data, label = trace.values.get(id(mention)), mention.rule.label
                captures.setdefault(name, []).append(Span(start, end, captured, data, label))
        return MatchView(text[candidate.start : candidate.end], candidate.start, candidate.end, text, captures, trace.doc_date)

    def _extraction(self, doc: str, candidate: Candidate, trace: Trace) -> Extraction:
        rule = candidate.rule
        view = trace.views[id(candidate)]
        return Extraction(
            doc, rule.label, candidate.start, candidate.end, view.text, trace.values[id(candidate)],
            _args(rule, view), rule.id, rule.file, rule.line, self.ruleset.digest,
        )


def _args(rule: Rule, view: MatchView) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for name, info in rule.captures.items():
        if name.startswith("_") or name not in view.captures:
            continue
        items = [_arg(span) for span in view.captures[name]]
        args[name] = items if info.is_list else items[-1]
    return args


def _arg(span: Span) -> dict[str, Any]:
    arg: dict[str, Any] = {"start": span.start, "end": span.end, "text": span.text}
    if span.label is not None:
        arg["label"], arg["value"] = span.label, span.data
    return arg


def _unpack(document: Any, number: int) -> tuple[str, str, Any]:
    if isinstance(document, str):
        return str(number), document, None
    if isinstance(document, tuple):
        return str(document[0]), document[1], None
    return str(document.get("id", number)), document["text"], document.get("date")


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def load(*paths: str | Path, timeout: float = DEFAULT_TIMEOUT, labels: Iterable[str] | None = None,
         limits: Limits = DEFAULT_LIMITS) -> Extractor:
    """Load rules (the bundled packs when no paths are given) into an Extractor; ``limits``
    bounds what the rule files may hold (see ``ruleie.limits``)."""
    targets = [str(p) for p in paths]
    extractor = Extractor(build(targets or None, limits), timeout=timeout, labels=labels)
    extractor._targets = targets
    return extractor


_CACHE: dict[tuple, Extractor] = {}


def _rebuild(targets: list[str] | None, digest: str, timeout: float, labels, limits: Limits = DEFAULT_LIMITS) -> Extractor:
    """Unpickle: load the same rules again, once per process, and check they did not change."""
    key = (tuple(targets or ()), digest, timeout, labels, limits)
    if key not in _CACHE:
        extractor = load(*(targets or ()), timeout=timeout, labels=labels, limits=limits)
        if extractor.ruleset.digest != digest:
            raise RuntimeError(f"rules changed since the extractor was pickled ({digest} -> {extractor.ruleset.digest})")
        _CACHE[key] = extractor
    return _CACHE[key]
