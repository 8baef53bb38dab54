"""`ruleie extract --jobs N` gives the same bytes as a serial run."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT


def test_jobs_2_output_is_byte_identical_to_serial():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ruleie", "extract", str(ROOT / "corpus")]
    serial = subprocess.run(command, capture_output=True, env=env, check=True).stdout
    parallel = subprocess.run([*command, "--jobs", "2"], capture_output=True, env=env, check=True).stdout
    assert serial.count(b"\n") > 1000
    assert parallel == serial
