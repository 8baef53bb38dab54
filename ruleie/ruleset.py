"""Build a RuleSet from loaded rule files: lexicons, macros, compiled rules, stages.

Each rule file sees its own lexicons and macros and those of the files it imports
(transitively); names are unique across the whole tree. All errors are collected and
raised together, so ``ruleie check`` reports every problem in one run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import regex

from . import normalize, pattern_cache
from .compile import Anchors, CaptureInfo, Compiler, Cue, Macro, prefilter_source, to_regex
from .errors import RuleError, RuleErrors
from .lexicon import CASE_MODES, Entry, Lexicon, MentionLexicon, fold
from .limits import DEFAULT_LIMITS, Limits
from .load import PosDict, RuleFile, RuleTree, load_tree, rule_roots
from .syntax import Node, from_data, to_data
from .text import NOT_INSIDE_WORD


@dataclass
class Rule:
    """A compiled rule: what the hot path needs, plus where it came from."""

    id: str
    label: str
    stage: int
    priority: int
    suppresses: tuple[str, ...]
    value: dict[str, Any]
    file: str
    line: int
    pattern: str
    ast: Node
    regex: Any
    captures: dict[str, CaptureInfo]
    anchors: Anchors
    examples: list
    source: RuleFile
    spec: PosDict
    mention_lexicon: MentionLexicon | None = None  # the rule matches a per-document lexicon
    mention_context: Any = None  # its MentionContext: look-arounds and the lexicons its forms may not be in
    used: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())  # ids of lexicons, macros used
    required: tuple[frozenset[Cue], ...] = ()  # a match contains a cue of each set
    bounded: bool = False  # a match attempt cannot backtrack catastrophically (no timeout needed)
    scope: Any = field(default=None, repr=False, compare=False)  # what compiled it: for explain and lint

    def compiler(self) -> Compiler:
        """A compiler in this rule's scope, to compile parts of its pattern (explain)."""
        lexicons, macros, labels, cross = self.scope
        return Compiler(lexicons, macros, labels, lambda pos: self.source.value_location(self.spec, "pattern", pos), cross)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @cached_property
    def cross_sentences(self) -> bool:
        return bool(self.scope and self.scope[3])


@dataclass
class Stage:
    """The rules of one stage, and the index that finds where each can start: one pass of a
    keyword trie, one pass per distinct other start regex, and the starts of earlier
    mentions; each hit names only the rules that can start there."""

    number: int
    rules: list[Rule]
    keyword_rules: dict[str, tuple[int, ...]]
    keyword_scan: Any
    opaque_scans: tuple[tuple[Any, tuple[int, ...]], ...] = ()  # (compiled start regex, rule indices)
    mention_rules: dict[str, tuple[int, ...]] = field(default_factory=dict)  # label -> rule indices
    document_rules: tuple[int, ...] = ()  # rules over lexicons built per document
    required_sets: tuple[frozenset[Cue], ...] = ()  # distinct required cue sets of the rules
    required_index: dict[str, tuple[int, ...]] = field(default_factory=dict)  # token cue -> indices into required_sets
    required_substrings: dict[str, tuple[int, ...]] = field(default_factory=dict)  # substring cue -> indices
    prefilters: tuple[Any, ...] = ()  # per rule: a regex its match must start with (None: no check)

    def __post_init__(self) -> None:
        position = {words: i for i, words in enumerate(self.required_sets)}
        # for each rule, the numbers of the required sets it needs
        self.rule_needs = tuple(tuple(position[words] for words in rule.required) for rule in self.rules)
        if len(self.prefilters) != len(self.rules):
            self.prefilters = (None,) * len(self.rules)


@dataclass
class RuleSet:
    digest: str
    rules: list[Rule]
    stages: list[Stage]
    labels: dict[str, int]
    tree: RuleTree = field(repr=False)
    definitions: list[tuple[str, RuleFile, str, Any]] = field(default_factory=list, repr=False)  # (kind, file, name, object)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def build(targets: list[str | Path] | None = None, limits: Limits = DEFAULT_LIMITS) -> RuleSet:
    """Load and compile rules (the bundled packs when ``targets`` is empty), through the
    cache of what earlier builds of the same folders produced (pattern_cache.py)."""
    with pattern_cache.session(rule_roots(targets)) as cache:
        tree = load_tree(targets, limits)
        try:
            return build_tree(tree)
        finally:
            cache.digest = tree.digest  # known once the text lexicons are read


def build_tree(tree: RuleTree) -> RuleSet:
    builder = _Builder(tree)
    ruleset = builder.build()
    errors = {(str(e), _error_order(e)): e for e in tree.errors + builder.errors}  # a macro's error once
    if errors:
        raise RuleErrors(sorted(errors.values(), key=_error_order))
    return ruleset


def _error_order(error: RuleError) -> tuple:
    where = error.location
    return (where.file, where.line, where.col) if where else ("", 0, 0)


class _Builder:
    def __init__(self, tree: RuleTree):
        self.tree = tree
        self.errors: list[RuleError] = []
        self.defined: dict[tuple[str, str], dict] = {}  # (kind, file) -> name -> Lexicon | Macro

    def build(self) -> RuleSet:
        for rule_file in self.tree.files:
            self._define(rule_file)
        specs = [
            (f, spec) for f in self.tree.files if not f.is_bad("rules") or isinstance(f.data.get("rules"), list)
            for index, spec in enumerate(f.data.get("rules", []) if isinstance(f.data.get("rules", []), list) else [])
            if not f.is_bad("rules", index) and () not in f.bad_paths
        ]
        merged = [(f, spec, _with_defaults(f, spec)) for f, spec in specs]
        labels = {label: i for i, label in enumerate(sorted({m.get("label") for _, _, m in merged if m.get("label")}))}
        rules = []
        seen_ids: dict[str, Rule] = {}
        for rule_file, spec, fields in merged:
            rule = self._rule(rule_file, spec, fields, merged, labels)
            if rule is None:
                continue
            if rule.id in seen_ids:
                first = seen_ids[rule.id]
                self.errors.append(RuleError(f"duplicate rule id {rule.id!r} (first at {first.where})", rule_file.key_location(spec, "id")))
                continue
            seen_ids[rule.id] = rule
            rules.append(rule)
        stages = [_stage(n, [r for r in rules if r.stage == n]) for n in sorted({r.stage for r in rules})]
        definitions = [
            (kind, f, name, obj) for f in self.tree.files for kind in ("lexicon", "macro")
            for name, obj in self.defined.get((kind, f.path), {}).items()
        ]
        return RuleSet(self.tree.digest, rules, stages, labels, self.tree, definitions)

    # -- lexicons and macros ------------------------------------------------------------

    def _define(self, rule_file: RuleFile) -> None:
        for kind in ("lexicon", "macro"):
            section = rule_file.data.get(kind + "s", {})
            table = self.defined.setdefault((kind, rule_file.path), {})
            if () in rule_file.bad_paths or not isinstance(section, dict):
                continue
            for name in section:
                if rule_file.is_bad(kind + "s", name):
                    continue
                try:
                    table[name] = self._lexicon(rule_file, section, name) if kind == "lexicon" else self._macro(rule_file, section, name)
                except RuleError as exc:
                    self.errors.append(exc)
                    if kind == "lexicon":  # stands in, so its uses are not also "unknown"
                        table[name] = Lexicon(name, [])

    def _lexicon(self, rule_file: RuleFile, section: PosDict, name: str) -> Lexicon:
        spec = section[name]
        if isinstance(spec, dict) and "from_mentions" in spec:
            return MentionLexicon(name, spec["from_mentions"], tuple(spec.get("not_in", ())))
        if isinstance(spec, list):
            return Lexicon(name, [_entry(e) for e in spec])
        entries = [_entry(e) for e in spec.get("entries", [])]
        if "file" in spec:
            entries += _entries_from_file(rule_file, spec, self.tree)
        case = spec.get("case", "smart")
        assert case in CASE_MODES
        return Lexicon(name, entries, case)

    def _macro(self, rule_file: RuleFile, section: PosDict, name: str) -> Macro:
        text = section[name]
        where = lambda pos, f=rule_file, s=section, n=name: f.value_location(s, n, pos)  # noqa: E731
        return Macro(name, _parse(text, where, self.tree.limits), where)

    # -- rules ----------------------------------------------------------------------------

    def _rule(self, rule_file: RuleFile, spec: PosDict, fields: dict, merged, labels) -> Rule | None:
        if not fields.get("label"):
            self.errors.append(RuleError(f"rule {spec['id']!r} has no label (set label: or defaults: label:)", rule_file.location(spec.mark)))
            return None
        stage = fields.get("stage", 1)
        earlier = {m["label"]: labels[m["label"]] for _, _, m in merged if m.get("label") and m.get("stage", 1) < stage}
        where = lambda pos: rule_file.value_location(spec, "pattern", pos)  # noqa: E731
        try:
            ast = _parse(spec["pattern"], where, self.tree.limits)
            compiler = Compiler(
                self._visible(rule_file, "lexicon"),
                self._visible(rule_file, "macro"),
                earlier,
                where,
                cross_sentences=fields.get("cross_sentences", False),
            )
            mention_lexicon = compiler.mention_lexicon(ast)
            mention_context = compiler.mention_context(ast) if mention_lexicon is not None else None
            if mention_lexicon is not None:
                compiled, anchors = None, Anchors()
            else:
                compiled, anchors = to_regex(compiler.compile(ast)), compiler.anchors(ast)
            value = fields.get("value", {})
            _check_value(rule_file, spec, value, compiler.captures)
            for label in fields.get("suppresses", []):
                if label not in labels:
                    raise RuleError(f"suppresses unknown label {label!r}", rule_file.key_location(spec, "suppresses"))
        except RuleError as exc:
            self.errors.append(exc)
            return None
        except regex.error as exc:
            self.errors.append(RuleError(f"pattern compiles to a regex the engine refuses: {exc}", where(0)))
            return None
        scope = (compiler.lexicons, compiler.macros, earlier, fields.get("cross_sentences", False))
        return Rule(
            id=spec["id"], label=fields["label"], stage=stage, priority=fields.get("priority", 0),
            suppresses=tuple(fields.get("suppresses", [])), value=dict(value), file=rule_file.path,
            line=spec.mark[0], pattern=spec["pattern"], ast=ast, regex=compiled, captures=compiler.captures,
            anchors=anchors, examples=list(spec.get("examples", [])), source=rule_file, spec=spec,
            mention_lexicon=mention_lexicon, mention_context=mention_context, used=(frozenset(compiler.used_lexicons), frozenset(compiler.used_macros)),
            required=tuple(dict.fromkeys(compiler.required(ast))) if compiled is not None else (),
            bounded=compiled is not None and compiler.bounded(ast),
            scope=scope,
        )

    def _visible(self, rule_file: RuleFile, kind: str) -> dict:
        """What a file sees: its own definitions and its imports' (transitively). A name
        defined in two places that one file sees is an error: which one is meant?"""
        visible: dict = {}
        where: dict[str, RuleFile] = {}
        queue, seen = [rule_file], set()
        while queue:
            current = queue.pop(0)
            if current.path in seen:
                continue
            seen.add(current.path)
            for name, value in self.defined.get((kind, current.path), {}).items():
                if name in visible:
                    first = where[name]
                    clash = RuleError(
                        f"{kind} {name!r} is already defined in {first.path} (both are visible from {rule_file.path})",
                        current.key_location(current.data[kind + "s"], name),
                    )
                    if str(clash) not in {str(e) for e in self.errors}:
                        self.errors.append(clash)
                    continue
                visible[name], where[name] = value, current
            queue.extend(current.imports)
        return visible


def _parse(text: str, where, limits: Limits) -> Node:
    from . import grammar  # pyparsing builds its grammar only for a pattern the cache does not hold

    try:
        data = pattern_cache.remember("parse", f"{limits!r}\n{text}", lambda: to_data(grammar.parse(text, limits)))
    except grammar.PatternSyntaxError as exc:
        raise RuleError(exc.message, where(exc.pos)) from None
    return from_data(data)


def _with_defaults(rule_file: RuleFile, spec: PosDict) -> dict:
    defaults = rule_file.data.get("defaults", {})
    return {**(defaults if isinstance(defaults, dict) and not rule_file.is_bad("defaults") else {}), **spec}


def _entry(item: Any) -> Entry:
    if isinstance(item, str):
        return Entry(item)
    attrs = tuple(sorted((k, v) for k, v in item.items() if k not in ("name", "aliases")))
    return Entry(item["name"], tuple(item.get("aliases", ())), attrs)


def _entries_from_file(rule_file: RuleFile, spec: PosDict, tree: RuleTree) -> list[Entry]:
    """A text lexicon: one entry a line, ``name`` or ``name = alias | alias``; ``#`` comments."""
    target = (rule_file.real.parent / spec["file"]).resolve()
    where = rule_file.value_location(spec, "file")
    if not any(target.is_relative_to(root) for root in tree.roots):
        raise RuleError(f"lexicon file {spec['file']!r} is outside the rule tree", where)
    try:
        raw = target.read_bytes()
        lines = raw.decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read lexicon file {spec['file']!r}: {exc}", where) from None
    if len(raw) > tree.limits.rule_file_bytes:
        raise RuleError(f"lexicon file {spec['file']!r}: {len(raw)} bytes, over the limit of {tree.limits.rule_file_bytes}", where)
    tree.data_digests.add(hashlib.sha256(raw).hexdigest())
    entries = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, aliases = line.partition("=")
            entries.append(Entry(name.strip(), tuple(a.strip() for a in aliases.split("|") if a.strip())))
    return entries


def _check_value(rule_file: RuleFile, spec: PosDict, value: dict, captures: dict[str, CaptureInfo]) -> None:
    if "fn" in value and value["fn"] not in normalize.NORMALIZERS:
        known = ", ".join(sorted(normalize.NORMALIZERS))
        raise RuleError(f"unknown value fn {value['fn']!r} (known: {known})", rule_file.key_location(spec, "value"))
    for key, field_spec in value.items():
        if isinstance(field_spec, dict) and field_spec["capture"] not in captures:
            raise RuleError(f"value field {key!r} uses capture {field_spec['capture']!r}, which the pattern does not have", rule_file.key_location(spec, "value"))


def _stage(number: int, rules: list[Rule]) -> Stage:
    keyword_rules: dict[str, list[int]] = {}  # keys case-folded, as the keyword scan reports them
    opaque: dict[str, list[int]] = {}
    mention_rules: dict[str, list[int]] = {}
    document_rules = []
    for index, rule in enumerate(rules):
        if rule.mention_lexicon is not None:
            document_rules.append(index)
            continue
        for keyword in rule.anchors.keywords:
            keyword_rules.setdefault(same_length_casefold(keyword), []).append(index)
        for start in rule.anchors.opaque:
            opaque.setdefault(start, []).append(index)
        for label in rule.anchors.mentions:
            mention_rules.setdefault(label, []).append(index)
    required_sets = tuple(dict.fromkeys(req for rule in rules for req in rule.required))
    required_index: dict[str, list[int]] = {}
    required_substrings: dict[str, list[int]] = {}
    for set_index, cues in enumerate(required_sets):
        for cue in sorted(cues):
            if cue.token:
                required_index.setdefault(same_length_casefold(cue.text), []).append(set_index)
                keyword_rules.setdefault(same_length_casefold(cue.text), [])
            else:
                required_substrings.setdefault(same_length_casefold(cue.text), []).append(set_index)
    _inherit_prefix_rules(keyword_rules)
    _inherit_prefix_rules(required_index)
    keyword_scan = _keyword_scan(sorted(keyword_rules))
    opaque_scans = tuple((to_regex(NOT_INSIDE_WORD + f"(?:{start})"), tuple(indices)) for start, indices in sorted(opaque.items()))
    return Stage(
        number, rules, {k: tuple(sorted(set(v))) for k, v in keyword_rules.items()}, keyword_scan,
        opaque_scans, {k: tuple(v) for k, v in sorted(mention_rules.items())}, tuple(document_rules),
        required_sets, {k: tuple(sorted(set(v))) for k, v in required_index.items()},
        {k: tuple(sorted(set(v))) for k, v in sorted(required_substrings.items())},
        tuple(_prefilter(rule) for rule in rules),
    )


def _prefilter(rule: Rule):
    """The compiled prefilter of a rule (``compile.prefilter_source``), for rules that need no
    timeout only: the prefilter of one could backtrack as badly as the rule."""
    if rule.regex is None or not rule.bounded or rule.scope is None:
        return None
    source = prefilter_source(rule.compiler(), rule.ast, rule.regex.pattern)
    return to_regex(source) if source is not None else None


@dataclass(frozen=True)
class KeywordScan:
    """Finds every keyword that stands as a token. Words go through one pass of the
    standard library's ``re`` over a case-folded copy of the text (a trie between word
    boundaries: several times faster than a case-insensitive ``regex`` pass); keywords that
    begin or end with punctuation ("$", "u.s.") get a small guarded ``regex`` pass."""

    words: Any  # re pattern over the case-folded text
    others: Any  # regex pattern over the text, or None
    inner: dict  # keyword -> [(offset, keyword)] for keywords inside it after punctuation

    def finditer(self, shadow: str, folded: str):
        """(start, keyword) for every keyword at a token start, in no particular order.
        ``folded``: ``same_length_casefold(shadow)``."""
        if self.words is not None:
            for m in self.words.finditer(folded):
                word = _fold_word(m.group())  # typographic apostrophes and hyphens as in the keys
                yield m.start(), word
                for offset, inner in self.inner.get(word, ()):
                    yield m.start() + offset, inner
        if self.others is not None:
            for m in self.others.finditer(shadow, overlapped=True):
                yield m.start(), same_length_casefold(fold(m.group()))


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def same_length_casefold(text: str) -> str:
    folded = text.casefold()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(c.casefold()) != 1 else c.casefold() for c in text)  # "ß", "İ": kept as they are


def _keyword_scan(keywords: list[str]) -> KeywordScan | None:
    if not keywords:
        return None
    wordlike = [k for k in keywords if regex.match(r"\w(?:.*\w)?\Z", k)]
    wordlike_set = set(wordlike)
    others = [k for k in keywords if k not in wordlike_set]
    words = None
    if wordlike:
        trie = Lexicon("keywords", [Entry(k) for k in wordlike], "insensitive").source[len("(?i:") : -1]
        words = re.compile(r"\b(?:" + trie + r")\b")  # the text is case-folded: no (?i) needed
    other_scan = None
    if others:
        trie = Lexicon("keywords", [Entry(k) for k in others], "insensitive").source
        other_scan = to_regex(NOT_INSIDE_WORD + trie + NOT_INSIDE_WORD)
    known = set(keywords)
    inner = {}
    for k in wordlike:
        parts = [(m.end(), k[m.end():]) for m in regex.finditer(r"[^\w]+", k) if k[m.end():] in known]
        if parts:
            inner[k] = parts
    return KeywordScan(words, other_scan, inner)


def _inherit_prefix_rules(keyword_rules: dict[str, list[int]]) -> None:
    """The keyword scan reports the longest keyword at a position ("u.s." over "u"), so a
    keyword also triggers the rules of every shorter keyword that ends at a token edge in it."""
    for keyword in list(keyword_rules):
        for cut in range(1, len(keyword)):
            prefix = keyword[:cut]
            if prefix in keyword_rules and not (keyword[cut].isalnum() and prefix[-1].isalnum()):
                keyword_rules[keyword] = keyword_rules[keyword] + keyword_rules[prefix]


__all__ = ["Rule", "RuleSet", "Stage", "build", "build_tree"]
