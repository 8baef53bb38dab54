"""Run measurements in child processes and read their peak memory from ``wait4``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class BenchError(RuntimeError):
    pass


def code_root() -> Path:
    """The folder holding the ``ruleie`` package this benchmark measures."""
    import ruleie

    return Path(ruleie.__file__).resolve().parent.parent


def child_env() -> dict[str, str]:
    """Children import the same ruleie (and this bench) as the parent."""
    roots = [str(code_root()), str(Path(__file__).resolve().parent.parent)]
    existing = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(roots + ([existing] if existing else [])))}


@dataclass
class Usage:
    wall_s: float
    cpu_s: float  # user + system, the process and the children it waited for
    peak_rss_mb: float
    exit_code: int


def _reap(process: subprocess.Popen, started: float) -> Usage:
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Usage(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def run_task(name: str, **args) -> dict:
    """Run ``bench.tasks.NAME`` in a fresh interpreter; its result plus its usage."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.tasks", name, json.dumps(args)],
        stdout=subprocess.PIPE, env=child_env(), cwd=str(code_root()),
    )
    output = process.stdout.read()
    process.stdout.close()
    usage = _reap(process, started)
    if usage.exit_code != 0:
        raise BenchError(f"task {name!r} failed with exit code {usage.exit_code}")
    result = json.loads(output.decode("utf-8").strip().splitlines()[-1])
    result["usage"] = usage.__dict__
    return result


def run_cli_concurrently(inputs: list[Path], extra: list[str] | None = None) -> list[Usage]:
    """``python -m ruleie extract INPUT`` for each input at once (output to /dev/null);
    their usages, in the same order. Error records are counted, not shown."""
    runs = []
    for path in inputs:
        errors = tempfile.TemporaryFile()
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "ruleie", "extract", *(extra or []), str(path)],
            stdout=subprocess.DEVNULL, stderr=errors, env=child_env(), cwd=str(code_root()),
        )
        runs.append((process, started, errors))
    usages = []
    for process, started, errors in runs:
        usage = _reap(process, started)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
        errors.close()
        if usage.exit_code not in (0, 1):
            raise BenchError(f"ruleie extract {process.args[-1]} failed (exit {usage.exit_code}):\n{stderr[-2000:]}")
        usages.append(usage)
    return usages


def run_command(arguments: list[str]) -> Usage:
    """Run a command in a fresh interpreter of this Python (output discarded); its usage."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, *arguments], stdout=subprocess.DEVNULL, env=child_env(), cwd=str(code_root()))
    usage = _reap(process, started)
    if usage.exit_code != 0:
        raise BenchError(f"{' '.join(arguments)} failed with exit code {usage.exit_code}")
    return usage


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")
