"""Compiled patterns kept between runs, so that start-up is not spent parsing them again.

The ``regex`` module parses a pattern in Python and hands the parsed program to its C engine.
The bundled packs' patterns run to 90,000 characters, and parsing them was 80% of loading
the packs. This cache keeps, for one rule set, the programs its patterns compiled to, and
gives them straight to the engine next time.

* A cache file belongs to one rule set (its digest) and to the exact versions of ``regex``,
  its engine and Python; it holds a checksum of its contents. A file that is stale, corrupt
  or unreadable is ignored (and replaced), never used. Only plain data is stored
  (``marshal``, no pickle: no code runs from a cache file).
* Where no cache can be written (a read-only home, ``RULEIE_CACHE_DIR=off``), patterns are
  compiled as before; a rule set loads the same either way.
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
_VERSION = f"ruleie-pattern-cache-1 regex {regex.__version__} engine {_regex_main._regex.MAGIC} python {sys.version}"
_lock = threading.RLock()
_session: dict[str, Any] | None = None  # source -> engine arguments, while a rule set compiles


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off."""
    setting = os.environ.get("RULEIE_CACHE_DIR")
    if setting is not None:
        return None if setting.lower() in ("", "off", "0", "no") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ruleie"


@contextmanager
def session(digest: str) -> Iterator[None]:
    """Compile one rule set's patterns through the cache of that rule set (``digest``)."""
    global _session
    directory = cache_dir()
    path = directory / f"{hashlib.sha256((_VERSION + digest).encode()).hexdigest()[:32]}.patterns" if directory else None
    with _lock:
        stored = _read(path) if path else {}
        _session = {"stored": stored, "used": {}}
        try:
            yield
            used = _session["used"]
        finally:
            _session = None
        if path and used and used.keys() != stored.keys():
            _write(path, used)


def compile_pattern(source: str, prepare: Callable[[str], str] = str) -> regex.Pattern:
    """``regex.compile(prepare(source))``, from the cache when the current rule set has it
    there (``prepare`` is then not called either)."""
    if _session is None:
        return regex.compile(prepare(source))
    arguments = _session["stored"].get(source)
    if arguments is not None:
        try:
            compiled = _regex_main._regex.compile(*arguments)
        except Exception:  # noqa: BLE001 - a program this engine refuses: compile afresh
            compiled = None
        if compiled is not None:
            _session["used"][source] = arguments
            return compiled
    compiled, arguments = _compile_recording(prepare(source))
    if arguments is not None:
        _session["used"][source] = arguments
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


def _read(path: Path) -> dict[str, tuple]:
    """The entries of a cache file, or nothing if it is missing, stale or corrupt."""
    try:
        data = path.read_bytes()
        checksum, body = data[:32], data[32:]
        if hashlib.sha256(body).digest() != checksum:
            return {}
        version, entries = marshal.loads(body)
        if version != _VERSION or not isinstance(entries, dict):
            return {}
        return {source: tuple(arguments) for source, arguments in entries.items()}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def _write(path: Path, entries: dict[str, tuple]) -> None:
    """Write atomically (a reader sees the old file or the new one), then prune old files."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = marshal.dumps((_VERSION, {source: list(arguments) for source, arguments in sorted(entries.items())}))
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(hashlib.sha256(body).digest() + body)
        os.replace(temporary, path)
        _prune(path.parent)
    except OSError:
        pass  # no cache this time: the rule set is compiled and correct all the same


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("*.patterns"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        old.unlink(missing_ok=True)
