"""What building a rule set produced, kept between runs, so that start-up does not redo it.

Building the bundled packs means validating every rule file against the schema, parsing
every pattern with pyparsing, turning every lexicon into a trie, and having the ``regex``
module parse the resulting patterns (90,000 characters) before its C engine runs them. All
of it depends only on the text it starts from, so each result is kept under that text:

* ``regex``: a pattern's source -> the program ``regex`` compiled it to (handed straight to
  the engine next time);
* ``parse``: a rule's pattern text (and the limits it was parsed under) -> its AST, as plain
  data (``syntax.to_data``);
* ``lexicon``: a lexicon's entries and case -> its trie regex;
* ``valid``: the sha256 of a rule file that passed the schema check with no error.

Because entries are keyed by content, editing one rule reuses everything else: only what
changed is built again.

* A cache file belongs to one rule set (its digest) loaded from one set of folders, and to
  the exact versions of ``regex``, its engine, Python and the ruleie modules that build rules;
  it holds a checksum of its contents. A file that is stale, corrupt or unreadable is ignored
  (and replaced), never used. A rule set with no file of its own starts from the newest file
  of the same folders. Only plain data is stored (``marshal``, no pickle: no code runs from
  a cache file).
* Where no cache can be written (a read-only home, ``RULEIE_CACHE_DIR=off``), everything is
  built as before; a rule set loads the same either way.
* Files go to ``$RULEIE_CACHE_DIR``, else ``$XDG_CACHE_HOME/ruleie``, else ``~/.cache/ruleie``;
  the newest few are kept.
"""

from __future__ import annotations

import enum
import hashlib
import marshal
import os
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import regex
from regex import _main as _regex_main  # its ``_regex.compile`` receives the parsed program

KEEP_FILES = 16
KINDS = ("regex", "parse", "lexicon", "valid")
# The modules whose code decides what an entry holds: a change to any of them is a new cache.
_BUILDERS = ("compile.py", "grammar.py", "lexicon.py", "limits.py", "load.py", "pattern_cache.py",
             "rulefile.schema.json", "ruleset.py", "syntax.py", "text.py")


def _code_digest() -> str | None:
    """The digest of the building code, or None when its sources are not installed (then no
    cache can be known to match the code, and none is used)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _BUILDERS:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            return None
    return digest.hexdigest()


_CODE = _code_digest()
_VERSION = (f"ruleie-build-cache-2 regex {regex.__version__} engine {_regex_main._regex.MAGIC} "
            f"python {sys.version} code {_CODE}")
_lock = threading.RLock()
_session: "_Session | None" = None  # while a rule set is built (under _lock)


class _Session:
    """The entries read for one build, and those it used or made (what its file will hold)."""

    def __init__(self, stored: dict[str, dict]):
        self.stored = stored
        self.used: dict[str, dict] = {kind: {} for kind in KINDS}
        self.digest: str | None = None  # the rule set's, once its files are read
        self.thread = threading.get_ident()  # other threads (a server extracting) do not take part

    def recall(self, kind: str, key: str) -> Any:
        value = self.stored.get(kind, {}).get(key)
        if value is not None:
            self.used[kind][key] = value
        return value

    def keep(self, kind: str, key: str, value: Any) -> None:
        self.used[kind][key] = value


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off."""
    if _CODE is None:
        return None
    setting = os.environ.get("RULEIE_CACHE_DIR")
    if setting is not None:
        return None if setting.lower() in ("", "off", "0", "no") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ruleie"


def _key(text: str) -> str:
    return hashlib.sha256((_VERSION + text).encode()).hexdigest()


@contextmanager
def session(roots: list[Path]) -> Iterator[_Session]:
    """Build one rule set, loaded from these folders, through the cache; the caller sets
    the session's ``digest`` once the rule files are read (no digest: nothing is written)."""
    global _session
    directory = cache_dir()
    prefix = _key("\n".join(str(root) for root in roots))[:16]
    with _lock:
        seed = _newest(directory.glob(f"{prefix}-*.patterns")) if directory else None
        stored = _read(seed) if seed else {}
        current = _session = _Session(stored)
        try:
            yield current
        finally:
            _session = None
        if directory and current.digest:
            path = directory / f"{prefix}-{_key(current.digest)[:32]}.patterns"
            if path != seed or _keys(current.used) != _keys(stored):
                _write(path, current.used)


def _current() -> _Session | None:
    """The session of the build this thread is running, if any."""
    current = _session
    return current if current is not None and current.thread == threading.get_ident() else None


def building() -> bool:
    """Is this thread building a rule set through the cache?"""
    return _current() is not None


def recall(kind: str, key: str) -> Any:
    """What the cache holds for ``key``, or None (also when no build is under way)."""
    current = _current()
    return current.recall(kind, key) if current is not None else None


def remember(kind: str, key: str, make: Callable[[], Any]) -> Any:
    """The cached value of ``key``, or ``make()``, kept for next time."""
    current = _current()
    if current is None:
        return make()
    value = current.recall(kind, key)
    if value is None:
        value = make()
        current.keep(kind, key, value)
    return value


def compile_pattern(source: str, prepare: Callable[[str], str] = str) -> regex.Pattern:
    """``regex.compile(prepare(source))``, from the cache when it has the program there
    (``prepare`` is then not called either)."""
    current = _current()
    if current is None:
        return regex.compile(prepare(source))
    arguments = current.recall("regex", source)
    if arguments is not None:
        try:
            return _regex_main._regex.compile(*arguments)
        except Exception:  # noqa: BLE001 - a program this engine refuses: compile afresh
            pass
    compiled, arguments = _compile_recording(prepare(source))
    if arguments is not None:
        current.keep("regex", source, arguments)
    return compiled


def _compile_recording(source: str) -> tuple[regex.Pattern, tuple | None]:
    """Compile ``source`` and catch the arguments the engine was given for it."""
    engine = _regex_main._regex
    caught: list[tuple] = []

    class Recorder:
        def __getattr__(self, name):
            return getattr(engine, name)

        def compile(self, *arguments):
            if arguments and arguments[0] == source:  # flags come as IntFlags: kept as plain ints
                caught.append(tuple(int(a) if isinstance(a, enum.Flag) else a for a in arguments))
            return engine.compile(*arguments)

    _regex_main._regex = Recorder()
    try:
        compiled = regex.compile(source, cache_pattern=False)
    finally:
        _regex_main._regex = engine
    arguments = caught[-1] if len(caught) == 1 and _storable(caught[-1]) else None
    return compiled, arguments


def _storable(arguments: tuple) -> bool:
    try:
        return marshal.loads(marshal.dumps(arguments)) == arguments
    except ValueError:
        return False


def _keys(entries: dict[str, dict]) -> dict[str, set]:
    return {kind: set(entries.get(kind, {})) for kind in KINDS}


def _newest(paths) -> Path | None:
    dated = []
    for path in paths:
        try:
            dated.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue
    return max(dated)[2] if dated else None


def _read(path: Path) -> dict[str, dict]:
    """The entries of a cache file, by kind, or nothing if it is missing, stale or corrupt."""
    try:
        data = path.read_bytes()
        checksum, body = data[:32], data[32:]
        if hashlib.sha256(body).digest() != checksum:
            return {}
        version, entries = marshal.loads(body)
        if version != _VERSION or not isinstance(entries, dict) or set(entries) - set(KINDS):
            return {}
        if not all(isinstance(table, dict) for table in entries.values()):
            return {}
        regexes = entries.get("regex", {})
        return {**entries, "regex": {source: tuple(arguments) for source, arguments in regexes.items()}}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _write(path: Path, entries: dict[str, dict]) -> None:
    """Write atomically (a reader sees the old file or the new one), then prune old files."""
    plain = {kind: dict(sorted(table.items())) for kind, table in entries.items() if table}
    plain["regex"] = {source: list(arguments) for source, arguments in plain.get("regex", {}).items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = marshal.dumps((_VERSION, plain))
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
        _prune(path.parent)
    except OSError:
        pass  # no cache this time: the rule set is built and correct all the same


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("*.patterns"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)
