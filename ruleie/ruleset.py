"""Build a RuleSet from loaded rule files: lexicons, macros, compiled rules, stages.

Each rule file sees its own lexicons and macros and those of the files it imports
(transitively); names are unique across the whole tree. All errors are collected and
raised together, so ``ruleie check`` reports every problem in one run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from . import grammar, normalize
from .compile import Anchors, CaptureInfo, Compiler, Macro
from .errors import RuleError, RuleErrors
from .lexicon import CASE_MODES, Entry, Lexicon, MentionLexicon
from .load import PosDict, RuleFile, RuleTree, load_tree
from .syntax import Node
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
    used: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())  # ids of lexicons, macros used
    scope: Any = field(default=None, repr=False, compare=False)  # what compiled it: for explain and lint

    def compiler(self) -> Compiler:
        """A compiler in this rule's scope, to compile parts of its pattern (explain)."""
        lexicons, macros, labels, cross = self.scope
        return Compiler(lexicons, macros, labels, lambda pos: self.source.value_location(self.spec, "pattern", pos), cross)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Stage:
    """The rules of one stage, and the index that finds where each can start."""

    number: int
    rules: list[Rule]
    keyword_rules: dict[str, tuple[int, ...]]
    keyword_scan: Any
    opaque_rules: tuple[int, ...]
    opaque_scan: Any
    document_rules: tuple[int, ...] = ()  # rules over lexicons built per document


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


def build(targets: list[str | Path] | None = None) -> RuleSet:
    """Load and compile rules (the bundled packs when ``targets`` is empty)."""
    return build_tree(load_tree(targets))


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

    def _lexicon(self, rule_file: RuleFile, section: PosDict, name: str) -> Lexicon:
        spec = section[name]
        if isinstance(spec, dict) and "from_mentions" in spec:
            return MentionLexicon(name, spec["from_mentions"])
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
        return Macro(name, _parse(text, where), where)

    # -- rules ----------------------------------------------------------------------------

    def _rule(self, rule_file: RuleFile, spec: PosDict, fields: dict, merged, labels) -> Rule | None:
        if not fields.get("label"):
            self.errors.append(RuleError(f"rule {spec['id']!r} has no label (set label: or defaults: label:)", rule_file.location(spec.mark)))
            return None
        stage = fields.get("stage", 1)
        earlier = {m["label"]: labels[m["label"]] for _, _, m in merged if m.get("label") and m.get("stage", 1) < stage}
        where = lambda pos: rule_file.value_location(spec, "pattern", pos)  # noqa: E731
        try:
            ast = _parse(spec["pattern"], where)
            compiler = Compiler(
                self._visible(rule_file, "lexicon"),
                self._visible(rule_file, "macro"),
                earlier,
                where,
                cross_sentences=fields.get("cross_sentences", False),
            )
            mention_lexicon = compiler.mention_lexicon(ast)
            if mention_lexicon is not None:
                compiled, anchors = None, Anchors()
            else:
                compiled, anchors = regex.compile(compiler.compile(ast)), compiler.anchors(ast)
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
            mention_lexicon=mention_lexicon, used=(frozenset(compiler.used_lexicons), frozenset(compiler.used_macros)),
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


def _parse(text: str, where) -> Node:
    try:
        return grammar.parse(text)
    except grammar.PatternSyntaxError as exc:
        raise RuleError(exc.message, where(exc.pos)) from None


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
    keyword_rules: dict[str, list[int]] = {}
    opaque_rules, opaque, document_rules = [], set(), []
    for index, rule in enumerate(rules):
        if rule.mention_lexicon is not None:
            document_rules.append(index)
            continue
        for keyword in rule.anchors.keywords:
            keyword_rules.setdefault(keyword, []).append(index)
        if rule.anchors.opaque:
            opaque_rules.append(index)
            opaque |= rule.anchors.opaque
    _inherit_prefix_rules(keyword_rules)
    keyword_scan = None
    if keyword_rules:
        trie = Lexicon("keywords", [Entry(k) for k in sorted(keyword_rules)], "insensitive").source
        keyword_scan = regex.compile(NOT_INSIDE_WORD + trie + NOT_INSIDE_WORD)
    opaque_scan = regex.compile(NOT_INSIDE_WORD + "(?:" + "|".join(sorted(opaque)) + ")") if opaque else None
    return Stage(
        number, rules, {k: tuple(sorted(set(v))) for k, v in keyword_rules.items()},
        keyword_scan, tuple(opaque_rules), opaque_scan, tuple(document_rules),
    )


def _inherit_prefix_rules(keyword_rules: dict[str, list[int]]) -> None:
    """The keyword scan reports the longest keyword at a position ("u.s." over "u"), so a
    keyword also triggers the rules of every shorter keyword that ends at a token edge in it."""
    for keyword in list(keyword_rules):
        for cut in range(1, len(keyword)):
            prefix = keyword[:cut]
            if prefix in keyword_rules and not (keyword[cut].isalnum() and prefix[-1].isalnum()):
                keyword_rules[keyword] = keyword_rules[keyword] + keyword_rules[prefix]


__all__ = ["Rule", "RuleSet", "Stage", "build", "build_tree", "fold"]
