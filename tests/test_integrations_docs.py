"""Every Python block of docs/integrations.md runs (from a copy of the repository's corpus),
and the pre-commit configuration it shows uses the hooks this repository offers."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml

import ruleie

from .conftest import reusing

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "integrations.md").read_text("utf-8")
PYTHON = re.findall(r"```python\n(.*?)```", DOC, re.S)
YAML = re.findall(r"```yaml\n(.*?)```", DOC, re.S)


def test_the_page_has_examples():
    assert len(PYTHON) >= 4
    assert {"spacy", "brat", "labelstudio", "to_frame"} <= {w for block in PYTHON for w in re.findall(r"\w+", block)}


@pytest.mark.parametrize("block", PYTHON, ids=[f"python{i}" for i in range(len(PYTHON))])
def test_python_block_runs(block, bundled, tmp_path, monkeypatch):
    if "spacy" in block:
        pytest.importorskip("spacy")
    if "to_frame" in block:
        pytest.importorskip("pandas")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)

    load = reusing(bundled, ruleie.load)
    monkeypatch.setattr(ruleie, "load", load)
    if "spacy" in block:
        import ruleie.integrations.spacy as component

        monkeypatch.setattr(component, "load", load)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, "docs/integrations.md", "exec"), {"__name__": "docs_integrations"})
    assert printed.getvalue()


def test_pre_commit_config_uses_the_offered_hooks():
    offered = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    (config,) = [yaml.safe_load(block) for block in YAML]
    (repo,) = config["repos"]
    assert [hook["id"] for hook in repo["hooks"]] == list(offered)
    assert all(hook["args"] == ["rules/"] for hook in repo["hooks"])
