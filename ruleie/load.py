"""Load rule files: safe YAML that keeps every node's position, schema checks, imports.

The loader builds plain dicts and lists (PosDict, PosList) that remember where each key and
item stood, so every later error and every provenance record can name ``file:line:col``.
Only YAML's plain data types load: tags that build objects, and aliases, are refused.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml

from . import pattern_cache
from .errors import Location, RuleError, RuleErrors, location_at
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    import jsonschema

RULE_FILE_SUFFIXES = (".yml", ".yaml")


class PosDict(dict):
    """A mapping that knows where it, its keys and its values stand in the file."""

    mark: tuple[int, int] = (1, 1)
    key_marks: dict
    value_nodes: dict


class PosList(list):
    mark: tuple[int, int] = (1, 1)
    item_nodes: list


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="YAML aliases (*name) are not allowed in rule files", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> PosDict:
    loader.flatten_mapping(node)
    out = PosDict()
    out.mark, out.key_marks, out.value_nodes = _mark(node), {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.MarkedYAMLError(problem="mapping keys must be plain scalars", problem_mark=key_node.start_mark)
        if key in out:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_marks[key], out.value_nodes[key] = _mark(key_node), value_node
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> PosList:
    out = PosList(loader.construct_object(child, deep=True) for child in node.value)
    out.mark, out.item_nodes = _mark(node), list(node.value)
    return out


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser, where PyYAML has it: ten times faster on a big lexicon file. It
    cannot refuse aliases as it reads, so it only reads files whose events hold no alias; a
    file with one, or with an error, goes to _Loader, whose refusals and messages say where."""


def _configure(loader: type) -> None:
    # YAML 1.1 reads yes/no/on/off as booleans, a trap in word lists ("on", "no"); like
    # YAML 1.2, only true/false are booleans here. Dates stay strings (2018-07-31), as in JSON.
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for first in "tTfF":
        loader.yaml_implicit_resolvers.setdefault(first, []).insert(
            0, ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
        )
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


_configure(_Loader)
_configure(_FastLoader)

_SCHEMA = json.loads(resources.files("ruleie").joinpath("rulefile.schema.json").read_text("utf-8"))


@cache
def _validator():
    import jsonschema  # on the first check: a rule set built from the cache checks nothing

    return jsonschema.Draft202012Validator(_SCHEMA)


def schema() -> dict:
    """The JSON Schema of a rule file."""
    return _SCHEMA


@dataclass
class RuleFile:
    """One loaded rule file: its display path, bytes, text and data."""

    path: str  # as shown in errors and provenance
    real: Path
    source: str
    data: PosDict
    digest: str
    imports: list["RuleFile"] = field(default_factory=list)
    bad_paths: set[tuple] = field(default_factory=set)  # data paths that failed the schema

    def is_bad(self, *path: object) -> bool:
        """Did the schema reject this part of the file (or something inside it)?"""
        return any(bad[: len(path)] == path for bad in self.bad_paths)

    def location(self, mark: tuple[int, int]) -> Location:
        return location_at(self.path, self.source, *mark)

    def key_location(self, mapping: PosDict, key: str) -> Location:
        return self.location(mapping.key_marks.get(key, mapping.mark))

    def value_location(self, mapping: PosDict, key: str, offset: int = 0) -> Location:
        """Where character ``offset`` of the string value under ``key`` stands in the file."""
        node = mapping.value_nodes.get(key)
        if node is None:
            return self.key_location(mapping, key)
        return self.location(_scalar_mark(self.source, node, str(mapping[key]), offset))


def _scalar_mark(source: str, node: yaml.Node, value: str, offset: int) -> tuple[int, int]:
    """Map an offset in a scalar's value back to the file, through quotes, escapes and folding."""
    if not isinstance(node, yaml.ScalarNode):
        return _mark(node)
    raw = source[node.start_mark.index : node.end_mark.index]
    i = 1 if node.style in ("'", '"') else (raw.find("\n") + 1 if node.style in ("|", ">") else 0)
    offset = min(offset, len(value.rstrip()))  # an error at the very end points at the last character
    v = 0
    while v < offset and i < len(raw):
        if node.style == '"' and raw[i] == "\\":  # an escape: two or more raw characters, one value character
            i, v = i + (2 if raw[i + 1 : i + 2] not in ("x", "u", "U") else {"x": 4, "u": 6, "U": 10}[raw[i + 1]]), v + 1
        elif node.style == "'" and raw[i : i + 2] == "''":
            i, v = i + 2, v + 1
        elif raw[i] == value[v]:
            i, v = i + 1, v + 1
        elif raw[i] in " \t\r\n":
            i += 1
        elif value[v] in " \n":
            v += 1
        else:
            i, v = i + 1, v + 1
    while i < len(raw) and raw[i] in " \t\r\n" and (v >= len(value) or value[v] not in " \t"):
        i += 1
    i = min(i, len(raw.rstrip()))
    index = node.start_mark.index + i
    line = source.count("\n", 0, index) + 1
    return line, index - (source.rfind("\n", 0, index) + 1) + 1


@dataclass
class RuleTree:
    """Everything loaded for one extractor: files in load order, and the root imports stay in."""

    files: list[RuleFile]
    roots: list[Path]
    errors: list[RuleError] = field(default_factory=list)  # reported by ruleset.build_tree
    limits: Limits = DEFAULT_LIMITS
    data_digests: set[str] = field(default_factory=set)  # text lexicon files the rules read

    @property
    def digest(self) -> str:
        """sha256 of the rules' content (sorted file digests): paths and times do not count."""
        joined = "\n".join(sorted({f.digest for f in self.files} | self.data_digests))
        return "sha256:" + hashlib.sha256(joined.encode()).hexdigest()


def bundled_rules_dir() -> Path:
    """The rule packs that ship with ruleie (inside the wheel, or beside a source checkout)."""
    packaged = Path(__file__).parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"


BUNDLED = "bundled"  # a rule target naming the packs that ship with ruleie


def rule_paths(targets: list[str | Path]) -> list[tuple[Path, Path, str]]:
    """(file, root, display path) for each rule file named, directories read one level deep;
    ``bundled`` (when no such file exists) names the packs that ship with ruleie."""
    found = []
    for target in targets:
        path = Path(target)
        if str(target) == BUNDLED and not path.exists():
            bundled = bundled_rules_dir()
            found.extend((p, bundled, f"rules/{p.name}") for p in sorted(bundled.iterdir()) if p.suffix in RULE_FILE_SUFFIXES)
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix in RULE_FILE_SUFFIXES and child.is_file():
                    found.append((child, path, _display(path, child, target)))
        elif path.is_file():
            found.append((path, path.parent, str(target)))
        else:
            raise RuleErrors([RuleError(f"{target}: no such rule file or directory")])
    return found


def _display(root: Path, child: Path, target: str | Path) -> str:
    return str(Path(target) / child.relative_to(root)).replace("\\", "/")


def load_tree(targets: list[str | Path] | None = None, limits: Limits = DEFAULT_LIMITS) -> RuleTree:
    """Load rule files and everything they import; raise RuleErrors listing every problem."""
    entries = rule_paths(list(targets) if targets else [BUNDLED])
    loader = _TreeLoader(limits)
    for real, root, display in entries:
        loader.load(real, root, display, chain=())
    return RuleTree(loader.order, _roots(entries), loader.errors, limits)


def rule_roots(targets: list[str | Path] | None = None) -> list[Path]:
    """The folders the rule files named by ``targets`` (and their imports) stay in."""
    return _roots(rule_paths(list(targets) if targets else [BUNDLED]))


def _roots(entries: list[tuple[Path, Path, str]]) -> list[Path]:
    return sorted({root.resolve() for _, root, _ in entries})


class _TreeLoader:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.by_real: dict[Path, RuleFile] = {}
        self.order: list[RuleFile] = []
        self.errors: list[RuleError] = []

    def load(self, real: Path, root: Path, display: str, chain: tuple[Path, ...]) -> RuleFile | None:
        resolved = real.resolve()
        if resolved in self.by_real:
            return self.by_real[resolved]
        try:
            rule_file = read_rule_file(real, display, self.limits.rule_file_bytes)
        except RuleError as exc:
            self.errors.append(exc)
            return None
        if not pattern_cache.recall("valid", rule_file.digest):  # a file checked before, with no error
            errors = check_schema(rule_file)
            self.errors.extend(errors)
            if not errors:
                pattern_cache.remember("valid", rule_file.digest, lambda: True)
        self.by_real[resolved] = rule_file
        imports = rule_file.data.get("imports", []) if not rule_file.is_bad("imports") else []
        for index, name in enumerate(imports):
            imported = self._import(rule_file, index, name, root, (*chain, resolved))
            if imported is not None:
                rule_file.imports.append(imported)
        self.order.append(rule_file)
        return rule_file

    def _import(self, importer: RuleFile, index: int, name: str, root: Path, chain) -> RuleFile | None:
        imports = importer.data["imports"]
        where = importer.location(_mark(imports.item_nodes[index]))
        target = (importer.real.parent / name).resolve()
        if not target.is_relative_to(root.resolve()):
            self.errors.append(RuleError(f"import {name!r} leaves the rule tree {root}", where))
            return None
        if target in chain:
            self.errors.append(RuleError(f"import {name!r} makes a cycle of imports", where))
            return None
        if not target.is_file():
            self.errors.append(RuleError(f"import {name!r}: no such file", where))
            return None
        display = str(Path(importer.path).parent / name).replace("\\", "/")
        return self.load(target, root, display, chain)


def read_rule_file(real: Path, display: str, max_bytes: int = DEFAULT_LIMITS.rule_file_bytes) -> RuleFile:
    """Read and parse one rule file (no imports, no schema check)."""
    try:
        raw = real.read_bytes()
    except OSError as exc:
        raise RuleError(f"{display}: cannot read: {exc.strerror}") from None
    if len(raw) > max_bytes:
        raise RuleError(f"{display}: {len(raw)} bytes, over the limit of {max_bytes}")
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RuleError("rule files must be UTF-8", Location(display, line, 1)) from None
    data = parse_yaml(source, display)
    return RuleFile(display, real, source, data, hashlib.sha256(raw).hexdigest())


def _read_yaml(source: str) -> Any:
    try:
        if not any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(source, Loader=_FastLoader)):
            return yaml.load(source, Loader=_FastLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError:
        pass  # read again below, for _Loader's message
    return yaml.load(source, Loader=_Loader)  # noqa: S506 - a SafeLoader


def parse_yaml(source: str, display: str) -> PosDict:
    try:
        data = _read_yaml(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "YAML syntax error"
        if "could not determine a constructor" in message:
            message = "YAML tags that build objects are not allowed: " + message.split("for the tag", 1)[-1].strip()
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RuleError(message, location_at(display, source, line, col)) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"YAML error: {exc}", Location(display, 1, 1)) from None
    if data is None:
        data = PosDict()
        data.key_marks, data.value_nodes = {}, {}
    if not isinstance(data, PosDict):
        raise RuleError("a rule file must be a mapping (ruleset, lexicons, macros, rules)", location_at(display, source, 1, 1))
    return data


def check_schema(rule_file: RuleFile) -> list[RuleError]:
    """Validate against the JSON Schema; mark the failing parts of the file as bad.

    A misspelt key is reported once, as "unknown key ... (did you mean ...?)", not also
    as the required key that is then missing."""
    found: dict[tuple, RuleError] = {}
    suggested: set[tuple] = set()
    for error in _validator().iter_errors(rule_file.data):
        path = tuple(error.absolute_path)
        rule_file.bad_paths.add(path)
        message = _schema_error(rule_file, error)
        if message.message.startswith("unknown key") and "did you mean '" in message.message:
            suggested.add((*path, message.message.split("did you mean '")[1].split("'")[0]))
        found[(*path, message.message)] = message
    return [e for key, e in found.items() if not _is_missing(e, key[:-1], suggested)]


def _is_missing(error: RuleError, path: tuple, suggested: set[tuple]) -> bool:
    if not error.message.endswith("is required"):
        return False
    key = error.message.split("'")[1]
    return (*path, key) in suggested


def _schema_error(rule_file: RuleFile, error: jsonschema.ValidationError) -> RuleError:
    error = _deepest(error)
    parent, key = _walk(rule_file.data, list(error.absolute_path))
    path = ".".join(str(p) for p in error.absolute_path) or "top level"
    if error.validator == "additionalProperties" and isinstance(error.instance, PosDict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed), key=str)[0]
        close = difflib.get_close_matches(str(extra), allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(allowed)})"
        return RuleError(f"unknown key {extra!r} in {path}{hint}", rule_file.key_location(error.instance, extra))
    where = _location_of(rule_file, parent, key)
    return RuleError(f"{path}: {_plain(error)}", where)


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf failures, the sub-error that got furthest is the helpful one."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    return error


def _walk(data: Any, path: list) -> tuple[Any, Any]:
    parent, key = None, None
    node = data
    for step in path:
        parent, key = node, step
        node = node[step]
    return parent, key


def _location_of(rule_file: RuleFile, parent: Any, key: Any) -> Location:
    if isinstance(parent, PosDict):
        return rule_file.value_location(parent, key)
    if isinstance(parent, PosList):
        return rule_file.location(_mark(parent.item_nodes[key]))
    return rule_file.location(rule_file.data.mark)


def _plain(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"[:200]
    if error.validator == "pattern":
        return f"{error.instance!r} does not have the right form ({error.validator_value})"
    return error.message[:200]
