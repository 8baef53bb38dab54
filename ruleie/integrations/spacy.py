"""The ``ruleie`` spaCy pipeline component (extra ``spacy``).

>>> import spacy
>>> import ruleie.integrations.spacy  # registers the factory (an installed ruleie also does it by entry point)
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("ruleie")
>>> doc = nlp("More than 250 people were killed.")
>>> [(span.text, span.label_, span._.ruleie["value"]["value"]) for span in doc.spans["ruleie"]]
[('More than 250', 'NUMBER', 250)]

Config (``nlp.add_pipe("ruleie", config={...})``):

``rules``          rule files or directories (a list), or null for the bundled packs
``labels``         labels to keep (a list), or null for all
``spans_key``      the span group written, ``doc.spans[spans_key]`` (default ``ruleie``)
``write_ents``     also set ``doc.ents`` (default false)
``alignment_mode`` how a record whose offsets are not token boundaries is placed:
                   ``strict`` (it is not), ``contract`` (the tokens inside it) or
                   ``expand`` (the tokens it touches; the default)

The extractor runs on ``doc.text``. Every record becomes a span in the group, in record
order (start, longest first, label, rule id), labelled with its label, its ``id_`` the rule
id (with ``#2``, ``#3``... when two records land on the same span with the same label and
rule). ``span._.ruleie`` is the record (the contract dict of docs/output.md, ``doc`` ``-``):
value, args and provenance, with the record's own offsets, which differ from the span's
when alignment moved them. A record that cannot be placed at all (``strict``, or
``contract`` with no whole token inside) is not lost: it is in ``doc._.ruleie_misaligned``,
the list of such records (``None`` until the component has run on the doc).

With ``write_ents``, the spans are written to ``doc.ents`` too. Entities cannot overlap, so
they are chosen in record order: a span is kept unless it shares a token with one already
kept. Entities already on the doc (from an earlier ``ner``) stay where they do not overlap
one of ruleie's. Spans not chosen stay in the span group.
"""

from typing import Any, Dict, List, Optional, Tuple

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
except ImportError as exc:  # pragma: no cover - exercised only without spaCy
    raise ImportError("ruleie's spaCy component needs spaCy: pip install 'ruleie[spacy]'") from exc

from ..extractor import Extractor, load

ALIGNMENT_MODES = ("strict", "contract", "expand")
DEFAULT_CONFIG = {"rules": None, "labels": None, "spans_key": "ruleie", "write_ents": False, "alignment_mode": "expand"}


def _key(start: int, end: int, label: str, span_id: str) -> Tuple[str, int, int, str, str]:
    return ("ruleie", start, end, label, span_id)


def _record_of(span: Span) -> Optional[Dict[str, Any]]:
    """``span._.ruleie``: the record placed at this span (None for spans ruleie did not make)."""
    return span.doc.user_data.get(_key(span.start_char, span.end_char, span.label_, span.id_))


# A getter, not a stored value: spaCy keys stored span values by character offsets alone,
# so two records on one span would share one value. The record is kept in doc.user_data
# under the span's offsets, label and id (which spans keep in span groups and doc.ents).
if not Span.has_extension("ruleie"):
    Span.set_extension("ruleie", getter=_record_of)
if not Doc.has_extension("ruleie_misaligned"):
    Doc.set_extension("ruleie_misaligned", default=None)


class RuleieComponent:
    """Runs a ruleie Extractor on each doc; see the module documentation."""

    def __init__(self, nlp: Language, name: str, extractor: Extractor, spans_key: str = "ruleie",
                 write_ents: bool = False, alignment_mode: str = "expand"):
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"alignment_mode must be one of {', '.join(ALIGNMENT_MODES)}, not {alignment_mode!r}")
        self.name = name
        self.extractor = extractor
        self.spans_key = spans_key
        self.write_ents = write_ents
        self.alignment_mode = alignment_mode

    def __call__(self, doc: Doc) -> Doc:
        records = [e.to_dict() for e in self.extractor.extract(doc.text)]
        for key in [k for k in doc.user_data if isinstance(k, tuple) and len(k) == 5 and k[0] == "ruleie"]:
            del doc.user_data[key]  # of an earlier run on this doc
        placed: List[Span] = []
        misaligned: List[Dict[str, Any]] = []
        for record in records:
            span = self._place(doc, record)
            if span is None:
                misaligned.append(record)
            else:
                placed.append(span)
        doc.spans[self.spans_key] = placed
        doc._.ruleie_misaligned = misaligned
        if self.write_ents:
            doc.ents = _entities(doc, placed)
        return doc

    def _place(self, doc: Doc, record: Dict[str, Any]) -> Optional[Span]:
        start, end, label = record["start"], record["end"], record["label"]
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None and self.alignment_mode != "strict":
            span = doc.char_span(start, end, label=label, alignment_mode=self.alignment_mode)
        if span is None or len(span) == 0:
            return None
        base, number = record["rule"]["id"], 1
        span_id = base
        while _key(span.start_char, span.end_char, label, span_id) in doc.user_data:
            number += 1
            span_id = f"{base}#{number}"
        span = Span(doc, span.start, span.end, label=label, span_id=span_id)
        doc.user_data[_key(span.start_char, span.end_char, label, span_id)] = record
        return span


def _entities(doc: Doc, spans: List[Span]) -> List[Span]:
    """ruleie's spans in record order, each unless it overlaps one kept before; then the
    doc's own entities that overlap none of them."""
    taken = [False] * len(doc)
    chosen = []
    for span in spans:
        if not any(taken[span.start : span.end]):
            taken[span.start : span.end] = [True] * len(span)
            chosen.append(span)
    chosen += [ent for ent in doc.ents if not any(taken[ent.start : ent.end])]
    return sorted(chosen, key=lambda span: span.start)


@Language.factory("ruleie", default_config=DEFAULT_CONFIG)
def make_ruleie(nlp: Language, name: str, rules: Optional[List[str]], labels: Optional[List[str]],
                spans_key: str, write_ents: bool, alignment_mode: str) -> RuleieComponent:
    """The ``ruleie`` factory (also found through the ``spacy_factories`` entry point)."""
    extractor = load(*(rules or ()), labels=labels or None)
    return RuleieComponent(nlp, name, extractor, spans_key, write_ents, alignment_mode)
