"""``ruleie test --watch``: run check and test again whenever a rule file changes.

Polls file modification times (twice a second): no extra dependency, and it works the same
on every platform and file system.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from .load import RULE_FILE_SUFFIXES, bundled_rules_dir

POLL_SECONDS = 0.5


def snapshot(targets: tuple[str, ...]) -> dict[Path, float]:
    """Modification times of the rule files (and their lexicon files) under the targets."""
    roots = [Path(t) for t in targets] or [bundled_rules_dir()]
    seen = {}
    for root in roots:
        files = [root] if root.is_file() else root.rglob("*")
        for path in files:
            if path.is_file() and (path.suffix in RULE_FILE_SUFFIXES or path.suffix == ".txt"):
                seen[path] = path.stat().st_mtime
    return seen


def watch(targets: tuple[str, ...], run: Callable[[], object], max_runs: int | None = None) -> None:
    """Call ``run`` now and after every change, until interrupted (or ``max_runs``)."""
    runs = 0
    last = None
    try:
        while max_runs is None or runs < max_runs:
            current = snapshot(targets)
            if current != last:
                last = current
                runs += 1
                print(f"\n--- {time.strftime('%H:%M:%S')} running check and test", flush=True)
                run()
            else:
                time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        pass
