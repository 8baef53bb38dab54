"""The playground's web app (Starlette): one page, its static files, and a JSON API.

Safety, in one place:

* every POST carries the page's token (``X-Ruleie-Token``, random per process, written into
  the page) or is refused with 403: another site's page cannot drive the API, and since the
  header is not one a form can send, the browser asks first and gets no CORS answer;
* the Host header must name this server (loopback names, or the ``--host`` given), so a
  DNS-rebinding page cannot read the token either;
* request bodies over ``max_body`` bytes are refused with 413 before they are read whole;
  texts over ``MAX_TEXT_CHARS`` too;
* paths are checked by the workspace (403 for one outside the rule directory);
* the engine's regex timeout stops a runaway pattern: the answer says so, and the work runs
  in the thread pool, so the server goes on serving meanwhile.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from importlib import resources
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..load import schema
from ..report import _STYLE as REPORT_STYLE
from . import answers
from .workspace import MAX_TEXT_CHARS, Refused, Workspace

MAX_BODY = 4 * 1024 * 1024  # bytes of one request
TOKEN_HEADER = "x-ruleie-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
PACKAGE = resources.files("ruleie.serve")
STATIC = PACKAGE / "static"
_PAGE_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Problem(Exception):
    """An answer other than 200: its status and message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def report_css() -> str:
    """The HTML report's own rules for highlights and label chips: the playground draws
    mentions exactly as the report does."""
    keep = ("pre.text", "mark", ".chip")
    return "\n".join(line for line in REPORT_STYLE.splitlines() if line.startswith(keep)) + "\n"


def create_app(workspace: Workspace, token: str | None = None, hosts: tuple[str, ...] = LOOPBACK_NAMES,
               max_body: int = MAX_BODY) -> Starlette:
    """The app over ``workspace``; ``token`` is made at random when not given (tests give
    one); ``hosts`` are the Host names it answers to ("*" for any)."""
    token = token or secrets.token_urlsafe(32)
    page = (PACKAGE / "page.html").read_text("utf-8").replace("__TOKEN__", token).replace("__VERSION__", __version__)
    css = report_css()

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=_PAGE_HEADERS)

    async def report_style(request: Request) -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "no-store"})

    def guarded(handler: Callable[[Request], Awaitable[Any]]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                if request.method == "POST" and not secrets.compare_digest(request.headers.get(TOKEN_HEADER, ""), token):
                    raise Problem(403, "missing or wrong token: only the playground's own page may send this request")
                return JSONResponse(await handler(request))
            except Problem as exc:
                return JSONResponse({"error": exc.message}, status_code=exc.status)
            except Refused as exc:
                return JSONResponse({"error": str(exc)}, status_code=403)
            except answers.BadRequest as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return endpoint

    async def body(request: Request) -> dict[str, Any]:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_body:
            raise Problem(413, f"request body over the limit of {max_body} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise Problem(413, f"request body over the limit of {max_body} bytes")
            chunks.append(chunk)
        try:
            data = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            raise Problem(400, "the request body is not JSON") from None
        if not isinstance(data, dict):
            raise Problem(400, "the request body must be a JSON object")
        return data

    async def rules_of(request: Request) -> tuple[dict[str, Any], Any]:
        data = await body(request)
        path, source = data.get("path"), data.get("source")
        if path is not None and not isinstance(path, str) or source is not None and not isinstance(source, str):
            raise Problem(400, "path and source must be strings")
        compiled = await run_in_threadpool(workspace.compile, path, source)
        return data, compiled

    # -- reading ---------------------------------------------------------------------------

    async def state(request: Request) -> dict[str, Any]:
        return {
            "version": __version__, "rules": workspace.display, "files": workspace.files, "writable": workspace.writable,
            "ready": workspace.ready.is_set(), "schema": schema(), "max_text_chars": MAX_TEXT_CHARS,
            "texts": [{"index": i, "id": d.id, "chars": len(d.text or ""), "error": d.error} for i, d in enumerate(workspace.texts)],
        }

    async def read_file(request: Request) -> dict[str, Any]:
        path = request.query_params.get("path", "")
        return {"path": path, "source": await run_in_threadpool(workspace.read, path)}

    async def read_text(request: Request) -> dict[str, Any]:
        index = request.query_params.get("index", "")
        if not index.isdigit() or int(index) >= len(workspace.texts):
            raise Problem(404, f"no text number {index!r}")
        document = workspace.texts[int(index)]
        if document.error is not None:
            raise Problem(422, f"{document.id}: {document.error}")
        return {"index": int(index), "id": document.id, "text": document.text, "date": document.date}

    # -- computing -------------------------------------------------------------------------

    async def check(request: Request) -> dict[str, Any]:
        _, compiled = await rules_of(request)
        rules = []
        if compiled.extractor is not None:
            rules = [{"id": r.id, "label": r.label, "path": workspace.relative(compiled.public(r.file)), "line": r.line}
                     for r in compiled.extractor.rules]
        return {"ok": compiled.extractor is not None, "errors": compiled.errors, "warnings": compiled.warnings, "rules": rules}

    async def extract(request: Request) -> dict[str, Any]:
        data, compiled = await rules_of(request)
        text, date = _text(data), _date(data)
        return await run_in_threadpool(answers.highlights, compiled, text, date)

    async def explain(request: Request) -> dict[str, Any]:
        data, compiled = await rules_of(request)
        text, date, start, end, rule = _text(data), _date(data), _int(data, "start"), _int(data, "end"), _str(data, "rule")
        return await run_in_threadpool(answers.explain_mention, workspace, compiled, text, date, start, end, rule)

    async def why_not(request: Request) -> dict[str, Any]:
        data, compiled = await rules_of(request)
        text, date, start, end, rule = _text(data), _date(data), _int(data, "start"), _int(data, "end"), _str(data, "rule")
        return await run_in_threadpool(answers.why_not_here, workspace, compiled, text, date, start, end, rule)

    async def examples(request: Request) -> dict[str, Any]:
        _, compiled = await rules_of(request)
        return await run_in_threadpool(answers.examples, workspace, compiled)

    async def save(request: Request) -> dict[str, Any]:
        data = await body(request)
        saved = await run_in_threadpool(workspace.save, _str(data, "path"), _str(data, "source"))
        return {"saved": saved, "files": workspace.files}

    routes = [
        Route("/", index),
        Route("/report.css", report_style),
        Route("/api/state", guarded(state)),
        Route("/api/file", guarded(read_file)),
        Route("/api/text", guarded(read_text)),
        Route("/api/check", guarded(check), methods=["POST"]),
        Route("/api/extract", guarded(extract), methods=["POST"]),
        Route("/api/explain", guarded(explain), methods=["POST"]),
        Route("/api/whynot", guarded(why_not), methods=["POST"]),
        Route("/api/examples", guarded(examples), methods=["POST"]),
        Route("/api/save", guarded(save), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))])


def _text(data: dict[str, Any]) -> str:
    text = data.get("text", "")
    if not isinstance(text, str):
        raise Problem(400, "text must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise Problem(413, f"the text is over the limit of {MAX_TEXT_CHARS} characters")
    return text


def _date(data: dict[str, Any]) -> dt.date | None:
    value = data.get("doc_date") or None
    try:
        return dt.date.fromisoformat(value) if value is not None else None
    except (TypeError, ValueError):
        raise Problem(400, f"doc_date {value!r} is not a date like 2018-07-31") from None


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Problem(400, f"{key} must be an integer")
    return value


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise Problem(400, f"{key} must be a string")
    return value
