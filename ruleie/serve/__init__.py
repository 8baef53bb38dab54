"""``ruleie serve``: a rule playground in the browser (``pip install "ruleie[serve]"``).

One page: a YAML editor on a rule file with the errors of ``check`` at their line and column
and completion from the rule-file schema; a text with its highlights (the HTML report's
colours and legend) updated as either changes; a click on a highlight explains it; a stretch
of text and a rule say why the rule did not fire there; the embedded examples run live; save
writes the rule file back. Modules: ``workspace`` (files, compiling, saving), ``answers``
(what the engine says), ``app`` (the Starlette app and its safety checks).
"""

from __future__ import annotations

import ipaddress
import sys
import threading
import time

from ..limits import DEFAULT_LIMITS, Limits
from ..scan import DEFAULT_TIMEOUT

__all__ = ["command", "serve"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(rules: str | None = None, texts: tuple[str, ...] = (), also: tuple[str, ...] = (), host: str = "127.0.0.1",
          port: int = 8000, timeout: float = DEFAULT_TIMEOUT, limits: Limits = DEFAULT_LIMITS, log=print) -> None:
    """Serve the playground until interrupted. The rules as on disk compile in the
    background while the server starts, so the page is there at once."""
    import uvicorn

    from .app import LOOPBACK_NAMES, create_app
    from .workspace import Workspace

    started = time.perf_counter()
    workspace = Workspace(rules, list(texts), list(also), timeout, limits)

    def compile_rules() -> None:
        compiled = workspace.compile()
        state = f"{len(compiled.extractor.rules)} rules" if compiled.extractor else f"{len(compiled.errors)} errors in the rules"
        log(f"rules compiled in {time.perf_counter() - started:.1f}s: {state}")

    threading.Thread(target=compile_rules, name="ruleie-compile", daemon=True).start()
    hosts = LOOPBACK_NAMES
    if not is_loopback(host):
        log(f"warning: serving on {host}, not only this machine: anyone who can reach it can read and (with --rules) "
            "write the rule files through the page", file=sys.stderr)
        hosts = ("*",)
    app = create_app(workspace, hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    log(f"ruleie playground on http://{shown}:{port}/ (rules: {workspace.display}{'' if workspace.writable else ', read-only'}; Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def command(rules: str | None, texts: tuple[str, ...], also: tuple[str, ...], host: str, port: int, timeout: float,
            limits: Limits) -> None:
    """``ruleie serve``: say so when the extra is missing; a bad --rules is a usage error."""
    from importlib.util import find_spec

    import click

    if find_spec("starlette") is None or find_spec("uvicorn") is None:  # pragma: no cover - the extra is not installed
        raise click.ClickException('ruleie serve needs the serve extra: pip install "ruleie[serve]"')
    from .workspace import Refused

    try:
        serve(rules, texts, also, host, port, timeout, limits, log=lambda message, file=None: click.echo(message, err=file is not None))
    except Refused as exc:
        raise click.UsageError(str(exc)) from None
