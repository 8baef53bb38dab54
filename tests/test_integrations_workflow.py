"""git workflows: the pre-commit hooks this repository offers, shell completion, ``--version``
and ``python -m ruleie``."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import ruleie
from ruleie.cli import main

ROOT = Path(__file__).resolve().parent.parent


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}


def test_pre_commit_hooks_manifest():
    found = hooks()
    assert set(found) == {"ruleie-check", "ruleie-test"}
    assert found["ruleie-check"]["entry"] == "ruleie check --strict"
    assert found["ruleie-test"]["entry"] == "ruleie test"
    for hook in found.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False and hook["name"]
        files = re.compile(hook["files"])
        assert all(files.search(p) for p in ("rules/numbers.yml", "my_rules/deals.yaml"))
        assert not any(files.search(p) for p in ("ruleie/cli.py", "README.md", "rules/x.yml.bak"))


def test_pre_commit_validates_the_manifest():
    pytest.importorskip("pre_commit")
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def run_hook(hook_id: str, *args: str):
    """A hook as pre-commit runs it: its entry, then the ``args`` of the user's config."""
    command = shlex.split(hooks()[hook_id]["entry"])
    assert command[0] == "ruleie"
    return CliRunner().invoke(main, [*command[1:], *args])


def test_hooks_pass_on_good_rules_and_fail_on_bad_ones(tmp_path):
    pack = tmp_path / "rules"
    assert CliRunner().invoke(main, ["init", str(pack)]).exit_code == 0
    assert run_hook("ruleie-check", str(pack)).exit_code == 0
    assert run_hook("ruleie-test", str(pack)).exit_code == 0
    (rule_file,) = pack.glob("*.yml")
    text = rule_file.read_text("utf-8")
    rule_file.write_text(text.replace('{text: "Three tankers"', '{text: "Four tankers"'), encoding="utf-8")
    failed = run_hook("ruleie-test", str(pack))
    assert failed.exit_code == 1 and "1 failed" in failed.stdout
    rule_file.write_text(text.replace("pattern: n:@count", "pattern: n:@count (", 1), encoding="utf-8")
    assert run_hook("ruleie-check", str(pack)).exit_code == 2


# -- shell completion ---------------------------------------------------------------------


@pytest.fixture
def ruleie_command(tmp_path) -> Path:
    """A ``ruleie`` executable like the one pip installs (console script: ruleie.cli:main)."""
    if os.name == "nt":
        pytest.skip("POSIX shells only")
    script = tmp_path / "bin" / "ruleie"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom ruleie.cli import main\nsys.exit(main())\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def complete(command: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([str(command)], capture_output=True, text=True, env=environment, timeout=300)


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o nosort -F _ruleie_completion ruleie"),
                                           ("zsh", "compdef _ruleie_completion ruleie"),
                                           ("fish", "complete --no-files --command ruleie")])
def test_completion_script(ruleie_command, shell, marker):
    result = complete(ruleie_command, _RULEIE_COMPLETE=f"{shell}_source")
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert f"_RULEIE_COMPLETE={shell}_complete" in result.stdout


def test_completion_completes_commands_and_formats(ruleie_command):
    commands = complete(ruleie_command, _RULEIE_COMPLETE="bash_complete", COMP_WORDS="ruleie ex", COMP_CWORD="1")
    assert commands.returncode == 0, commands.stderr
    assert commands.stdout.split() == ["plain,explain", "plain,extract"]
    formats = complete(ruleie_command, _RULEIE_COMPLETE="bash_complete", COMP_WORDS="ruleie extract --format ",
                       COMP_CWORD="3")
    assert [line.split(",")[1] for line in formats.stdout.split()] == ["jsonl", "tsv", "csv", "html", "brat", "labelstudio"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_completion_in_bash(ruleie_command):
    script = (
        'eval "$(_RULEIE_COMPLETE=bash_source ruleie)"\n'
        "COMP_WORDS=(ruleie ch); COMP_CWORD=1; _ruleie_completion ruleie\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{ruleie_command.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=environment, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["check"]


# -- --version and python -m ruleie ---------------------------------------------------------


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"ruleie, version {ruleie.__version__}\n"


def test_python_m_ruleie(tmp_path):
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    version = subprocess.run([sys.executable, "-m", "ruleie", "--version"], capture_output=True, text=True,
                             env=environment, cwd=tmp_path, timeout=300)
    assert version.returncode == 0, version.stderr
    assert version.stdout == f"ruleie, version {ruleie.__version__}\n"
    usage = subprocess.run([sys.executable, "-m", "ruleie", "--help"], capture_output=True, text=True,
                           env=environment, cwd=tmp_path, timeout=300)
    assert usage.returncode == 0 and "extract" in usage.stdout and "eval" in usage.stdout
