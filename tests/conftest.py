"""Shared fixtures and the hypothesis profiles.

Profiles: ``ci`` (derandomized, bounded; chosen when CI is set), ``dev`` (the default) and
``thorough`` (long local runs: HYPOTHESIS_PROFILE=thorough python -m pytest).

A test may skip on a developer's machine that lacks something it needs (chromium, the
conformance suites beside the checkout, an optional extra), but never in CI: there ``.ci/run``
provides all of it, so a skip is reported as a failure naming what was missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get("CI"))

# Two labels, rule lines 2 and 5; "acme corp" may cross a line break.
NUM_ORG_RULES = """\
rules:
  - id: num
    label: NUM
    pattern: /\\d+/
  - id: org
    label: ORG
    pattern: acme (corp)?
    cross_sentences: true
"""


def shared_dir(name: str) -> Path:
    """A folder of shared/ (third-party data kept outside the project): beside the checkout
    (as CI lays it out), else this workplace's copy."""
    for candidate in (ROOT.parent / "shared" / name, Path("/work/shared") / name):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / name


def conformance_dir() -> Path:
    """The public conformance suites: $RULEIE_CONFORMANCE, else shared/conformance."""
    if os.environ.get("RULEIE_CONFORMANCE"):
        return Path(os.environ["RULEIE_CONFORMANCE"])
    return shared_dir("conformance")


def conformance_suite(suite: str) -> Path:
    """The file of one Recognizers-Text suite (``number``, ``percent``, ...); the test skips
    when it is not there (a failure in CI, see above)."""
    path = conformance_dir() / f"recognizers_en_{suite}.jsonl"
    if not path.is_file():
        pytest.skip(f"conformance suite {path} not found (set RULEIE_CONFORMANCE)")
    return path


def reusing(bundled, real):
    """A stand-in for ``load`` that gives the session's ``bundled`` extractor when the bundled
    rules are asked for with the default settings (loading them is the slow part of a test),
    and calls ``real`` for anything else."""
    from ruleie.limits import DEFAULT_LIMITS
    from ruleie.scan import DEFAULT_TIMEOUT

    def load(*rules, timeout=DEFAULT_TIMEOUT, labels=None, limits=DEFAULT_LIMITS):
        if not rules and not labels and timeout == DEFAULT_TIMEOUT and limits == DEFAULT_LIMITS:
            return bundled
        return real(*rules, timeout=timeout, labels=labels, limits=limits)

    return load


settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=100, deadline=None, print_blob=True)
settings.register_profile(
    "thorough", max_examples=3000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


def _fail_skips_in_ci(report) -> None:
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    _fail_skips_in_ci((yield).get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    _fail_skips_in_ci((yield).get_result())


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bundled():
    """The extractor over the bundled rule packs, built once per test session."""
    import ruleie

    return ruleie.load()


@pytest.fixture
def write_rules(tmp_path):
    """Write a rule file (or several) into a fresh rule tree and return its path."""

    def write(text: str, name: str = "rules.yml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
