"""The playground's rules and texts: what the page may read, compile and write.

The page names rule files by their path relative to the rule directory and texts by their
number; nothing else can be read. Only rule files (``.yml``/``.yaml``) inside the rule
directory can be written, atomically, and only when one was given with ``--rules`` (the
bundled packs are read-only here). A path that resolves outside the directory, through
``..`` or a symbolic link, is refused.

The engine loads rules from files, so the rules are compiled from a scratch copy of the rule
directory (with an edited buffer in place of its file), which leaves out symbolic links that
lead outside; the copy's paths are written back as the rule directory's in everything
returned. Compiled rule sets are kept by content, so the
requests that follow an edit (check, highlights, examples) compile once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RuleErrors, RuleieError
from ..extractor import Extractor, load
from ..inputs import Document, ReadOptions, read_documents
from ..limits import DEFAULT_LIMITS, Limits
from ..lint import lint
from ..load import BUNDLED, RULE_FILE_SUFFIXES, bundled_rules_dir
from ..scan import DEFAULT_TIMEOUT

MAX_TREE_FILES = 2_000  # files under the rule directory (it is copied for every edit)
MAX_TREE_BYTES = 64 * 1024 * 1024
MAX_TEXTS = 1_000  # documents read from --text
MAX_TEXT_CHARS = 500_000  # one text, given or sent
_CACHED = 6  # compiled rule sets kept
_SKIP = ("__pycache__", ".git", ".hg", ".venv")


class Refused(ValueError):
    """A request the workspace will not carry out (a path outside the rules, a read-only pack)."""


@dataclass
class Compiled:
    """The rules as edited: an extractor, or the errors that stopped one; and the warnings."""

    extractor: Extractor | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    scratch: str | None = None  # the scratch copy's path, shown as ``display``
    display: str = "rules"  # the rule directory as the page names it

    def public(self, data: Any) -> Any:
        """``data`` with the scratch copy's paths written as the rule directory's."""
        return data if self.scratch is None else _replace(data, self.scratch, self.display)


class Workspace:
    """The rule directory (or the bundled packs, read-only) and the texts given."""

    def __init__(self, rules: str | None = None, texts: list[str] | tuple[str, ...] = (), also: list[str] | tuple[str, ...] = (),
                 timeout: float = DEFAULT_TIMEOUT, limits: Limits = DEFAULT_LIMITS):
        self.bundled = rules is None or (rules == BUNDLED and not Path(rules).exists())
        if self.bundled:
            self.root, self.display, self.writable, self.also = bundled_rules_dir().resolve(), "rules", False, []
        else:
            assert rules is not None
            if not Path(rules).is_dir():
                raise Refused(f"--rules {rules}: not a directory")
            self.root, self.display, self.writable, self.also = Path(rules).resolve(), str(Path(rules)), True, list(also)
        self.timeout, self.limits = timeout, limits
        self.files = self._rule_files()
        self.texts = _read_texts(list(texts))
        self._cache: OrderedDict[tuple, Compiled] = OrderedDict()
        self._lock = threading.Lock()
        self.ready = threading.Event()  # the rules as on disk are compiled

    # -- files ------------------------------------------------------------------------------

    def _rule_files(self) -> list[str]:
        files, size = [], 0
        for path in sorted(self.root.rglob("*")):
            if any(part in _SKIP for part in path.relative_to(self.root).parts) or not path.is_file() or not self._within(path):
                continue
            size += path.stat().st_size
            if len(files) >= MAX_TREE_FILES or size > MAX_TREE_BYTES:
                raise Refused(f"{self.display}: more than {MAX_TREE_FILES} files or {MAX_TREE_BYTES} bytes; "
                              "give the directory of the rules being written")
            if path.suffix in RULE_FILE_SUFFIXES:
                files.append(path.relative_to(self.root).as_posix())
        return files

    def _within(self, path: Path) -> bool:
        """Does ``path`` (through any symbolic links) stay inside the rule directory?"""
        return path.resolve().is_relative_to(self.root)

    def _copy_ignore(self, directory: str, names: list[str]) -> set[str]:
        """What the scratch copy leaves out: tool folders, and links that lead out of the rules."""
        return {n for n in names if n in _SKIP or not self._within(Path(directory) / n)}

    def inside(self, relative: str, must_exist: bool = True) -> Path:
        """The rule file at ``relative`` (to the rule directory); refused if it is not a rule
        file inside the directory."""
        if not isinstance(relative, str) or not relative or "\0" in relative or Path(relative).is_absolute():
            raise Refused(f"{relative!r} is not a path inside the rule directory")
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or target == self.root:
            raise Refused(f"{relative!r} is outside the rule directory")
        if target.suffix not in RULE_FILE_SUFFIXES:
            raise Refused(f"{relative!r} is not a rule file (.yml or .yaml)")
        if must_exist and not target.is_file():
            raise Refused(f"{relative!r}: no such rule file")
        return target

    def read(self, relative: str) -> str:
        return self.inside(relative).read_text("utf-8-sig")

    def save(self, relative: str, source: str) -> str:
        """Write ``source`` to the rule file atomically: a sibling temporary file, then a rename."""
        if not self.writable:
            raise Refused("the bundled packs are read-only here; start with --rules DIR to edit a pack of your own")
        target = self.inside(relative, must_exist=False)
        if not target.parent.is_dir():
            raise Refused(f"{relative!r}: no such directory")
        self._check_size(source)
        fd, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(source)
                handle.flush()
                os.fsync(handle.fileno())
            if target.exists():
                os.chmod(scratch, stat.S_IMODE(target.stat().st_mode))
            os.replace(scratch, target)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
        self.files = self._rule_files()
        return target.relative_to(self.root).as_posix()

    def _check_size(self, source: str) -> None:
        if len(source.encode("utf-8", "surrogatepass")) > self.limits.rule_file_bytes:
            raise Refused(f"the rule file is over the limit of {self.limits.rule_file_bytes} bytes")

    # -- compiling ------------------------------------------------------------------------

    def compile(self, relative: str | None = None, source: str | None = None) -> Compiled:
        """The rules with ``source`` in place of the file at ``relative`` (as on disk when
        ``source`` is None or the same as the file)."""
        edited = None
        if relative is not None and source is not None:
            target = self.inside(relative, must_exist=False)
            self._check_size(source)
            if not (target.is_file() and target.read_text("utf-8-sig") == source):
                edited = (target.relative_to(self.root).as_posix(), source)
        key = ("edited", edited[0], hashlib.sha256(edited[1].encode("utf-8", "surrogatepass")).hexdigest()) if edited else ("disk", self._stamp())
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            compiled = self._build(edited)
            self._cache[key] = compiled
            while len(self._cache) > _CACHED:
                self._cache.popitem(last=False)
        if not edited:
            self.ready.set()
        return compiled

    def _stamp(self) -> tuple:
        """What the rule files on disk are now: a change to any of them means a new load."""
        found = []
        for relative in self.files:
            try:
                info = (self.root / relative).stat()
                found.append((relative, info.st_mtime_ns, info.st_size))
            except OSError:
                found.append((relative, 0, -1))
        return tuple(found)

    def _build(self, edited: tuple[str, str] | None) -> Compiled:
        """Compile the bundled packs as they are, or a scratch copy of the rule directory
        (with the edited file, if any): the copy holds nothing from outside the directory."""
        if self.bundled and edited is None:
            return self._load([], None)
        with tempfile.TemporaryDirectory(prefix="ruleie-serve-") as scratch_dir:
            copy = Path(scratch_dir) / "rules"
            shutil.copytree(self.root, copy, ignore=self._copy_ignore, symlinks=False)
            if edited is not None:
                target = copy / edited[0]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(edited[1], encoding="utf-8")
            return self._load([*self.also, str(copy)], str(copy))

    def _load(self, targets: list[str], scratch: str | None) -> Compiled:
        compiled = Compiled(None, scratch=scratch, display=self.display)
        try:
            compiled.extractor = load(*targets, timeout=self.timeout, limits=self.limits)
        except RuleErrors as exc:
            compiled.errors = [self._problem(compiled, error.location, error.message, str(error)) for error in exc.errors]
            return compiled
        except RuleieError as exc:
            compiled.errors = [self._problem(compiled, None, str(exc), str(exc))]
            return compiled
        compiled.warnings = [self._problem(compiled, w.location, w.message, str(w)) for w in lint(compiled.extractor)]
        return compiled

    def _problem(self, compiled: Compiled, location, message: str, full: str) -> dict[str, Any]:
        """An error or warning as the page shows it: at ``path`` (relative to the rule
        directory, None for a file outside it), ``line`` and ``col``."""
        shown = compiled.public(location.file) if location else None
        return {
            "file": shown, "path": self.relative(shown), "line": location.line if location else None,
            "col": location.col if location else None, "message": compiled.public(message), "text": compiled.public(full),
        }

    def relative(self, shown: str | None) -> str | None:
        """The rule-directory path of a file as the engine names it (``rules/numbers.yml``)."""
        prefix = self.display.rstrip("/") + "/"
        if shown and shown.startswith(prefix) and shown[len(prefix):] in self.files:
            return shown[len(prefix):]
        return None


def _replace(data: Any, old: str, new: str) -> Any:
    if isinstance(data, str):
        return data.replace(old, new)
    if isinstance(data, dict):
        return {key: _replace(value, old, new) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_replace(value, old, new) for value in data]
    return data


def _read_texts(paths: list[str]) -> list[Document]:
    """The documents given with --text (each cut to the size the page accepts)."""
    documents = []
    if not paths:
        return documents
    for document in read_documents(paths, ReadOptions(errors="replace", max_bytes=4 * MAX_TEXT_CHARS)):
        if len(documents) >= MAX_TEXTS:
            break
        if document.text is not None and len(document.text) > MAX_TEXT_CHARS:
            document = Document(document.id, document.text[:MAX_TEXT_CHARS], document.date)
        documents.append(document)
    return documents
