"""The playground's API on its own (Starlette's TestClient): every answer, and every refusal
(a path outside the rules, an oversized body or text, a missing token, a foreign Host, a
runaway pattern stopped by the regex timeout while the server goes on serving)."""

from __future__ import annotations

import os
import time
import warnings

import pytest

pytest.importorskip("starlette", reason='the serve extra is not installed (pip install ".[test]")')
pytest.importorskip("httpx", reason='httpx (for TestClient) is not installed (pip install ".[test]")')

with warnings.catch_warnings():  # newer Starlette prefers httpx2 to httpx; either works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from ruleie.report import render_html  # noqa: E402
from ruleie.serve.app import create_app, report_css  # noqa: E402
from ruleie.serve.workspace import MAX_TEXT_CHARS, Workspace  # noqa: E402

TOKEN = "test-token"
RULES = """\
ruleset: demo
rules:
  - id: demo.tanker
    label: SHIP
    pattern: tanker | tankers
    examples:
      - text: "Two tankers left port."
        expect: [{text: tankers}]
  - id: demo.oil_tanker
    label: SHIP
    pattern: oil tanker
    examples:
      - text: "An oil tanker sank."
        expect: [{text: oil tanker}]
  - id: demo.seized
    label: SEIZURE
    pattern: ship:<SHIP> was seized
    stage: 2
    examples:
      - text: "A tanker was seized."
        expect: [{text: tanker was seized, args: {ship: tanker}}]
      - text: "A tanker was sold."
        expect: [{text: tanker was sold}]
  - id: demo.sold_off
    label: SALE
    pattern: tanker was sold off
    examples:
      - text: "The tanker was sold off."
        expect: [{text: tanker was sold off}]
"""
TEXT = "An oil tanker was seized on Monday. A tanker was sold."


@pytest.fixture
def rules_dir(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "demo.yml").write_text(RULES, encoding="utf-8")
    (tmp_path / "secret.yml").write_text("secret: [do not show\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text(TEXT + "\n", encoding="utf-8")
    return rules


@pytest.fixture
def workspace(rules_dir):
    return Workspace(str(rules_dir), [str(rules_dir.parent / "doc.txt")], timeout=0.1)


@pytest.fixture
def client(workspace):
    with TestClient(create_app(workspace, token=TOKEN), base_url="http://127.0.0.1:8000") as c:
        yield c


def post(client, url, body, token=TOKEN, **kwargs):
    headers = {"X-Ruleie-Token": token} if token is not None else {}
    return client.post(url, json=body, headers=headers, **kwargs)


def test_page_carries_its_token_and_a_content_security_policy(client):
    page = client.get("/")
    assert page.status_code == 200
    assert f'<meta name="ruleie-token" content="{TOKEN}">' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # nothing fetched from elsewhere
    for asset in ("/static/playground.js", "/static/playground.css", "/static/vendor/codemirror/codemirror.js",
                  "/static/vendor/codemirror/yaml.js", "/static/vendor/codemirror/LICENSE", "/report.css"):
        assert client.get(asset).status_code == 200, asset


def test_highlights_use_the_html_reports_markup_and_colours(client):
    css = client.get("/report.css").text
    assert css == report_css() and "mark{" in css and ".chip{" in css
    answer = post(client, "/api/extract", {"text": TEXT}).json()
    assert [(r["label"], r["text"], r["rule"]["id"]) for r in answer["records"]] == [
        ("SEIZURE", "oil tanker was seized", "demo.seized"), ("SHIP", "oil tanker", "demo.oil_tanker"), ("SHIP", "tanker", "demo.tanker")]
    assert '<mark class="l' in answer["html"] and ">oil tanker</mark>" in answer["html"]
    legend = {entry["label"]: entry for entry in answer["legend"]}
    assert legend["SHIP"]["count"] == 2 and legend["SEIZURE"]["count"] == 1
    # the report gives the same colours (the playground colours every label of the rules up front,
    # so colours stay put while text is typed; the report colours the labels it shows)
    every = TEXT + " The tanker was sold off."
    answer = post(client, "/api/extract", {"text": every}).json()
    assert {entry["label"] for entry in answer["legend"] if entry["count"]} == {"SALE", "SEIZURE", "SHIP"}
    report = render_html([("d", every, answer["records"])])
    for entry in answer["legend"]:
        assert f"--c:{entry['colour']};--bg:{entry['bg']};--bs:{entry['bs']}" in report, entry


def test_edited_rules_compile_without_being_saved(client, rules_dir):
    edited = RULES.replace("pattern: tanker | tankers", "pattern: frigate")
    answer = post(client, "/api/extract", {"path": "demo.yml", "source": edited, "text": "A frigate and a tanker."}).json()
    assert [r["text"] for r in answer["records"]] == ["frigate"]
    assert answer["records"][0]["rule"]["file"] == f"{rules_dir}/demo.yml"  # the rule directory's path, not the scratch copy's
    assert "ruleie-serve-" not in str(answer)
    assert (rules_dir / "demo.yml").read_text("utf-8") == RULES


def test_check_gives_each_error_at_its_line_and_column(client, rules_dir):
    broken = RULES.replace("    label: SHIP\n    pattern: tanker | tankers", "    label: SHIP\n    pattern: tanker | (tankers")
    answer = post(client, "/api/check", {"path": "demo.yml", "source": broken}).json()
    assert answer["ok"] is False
    [error] = answer["errors"]
    assert (error["path"], error["line"]) == ("demo.yml", 5) and error["col"] > 14
    assert error["file"] == f"{rules_dir}/demo.yml" and "ruleie-serve-" not in error["text"]
    yaml_broken = RULES.replace("    label: SHIP\n", "    label: SHIP: x\n", 1)
    [error] = post(client, "/api/check", {"path": "demo.yml", "source": yaml_broken}).json()["errors"]
    assert (error["path"], error["line"], error["col"]) == ("demo.yml", 4, 16)
    ok = post(client, "/api/check", {"path": "demo.yml", "source": RULES}).json()
    assert ok["ok"] and [r["id"] for r in ok["rules"]] == ["demo.tanker", "demo.oil_tanker", "demo.seized", "demo.sold_off"]
    assert ok["rules"][0] == {"id": "demo.tanker", "label": "SHIP", "path": "demo.yml", "line": 3}


def test_explain_a_highlight_what_it_beat_and_where_its_rule_is(client, rules_dir):
    answer = post(client, "/api/explain", {"text": TEXT, "start": 3, "end": 13, "rule": "demo.oil_tanker"}).json()
    assert answer["rule"] == "demo.oil_tanker" and answer["where"] == f"{rules_dir}/demo.yml:9"
    assert (answer["path"], answer["line"]) == ("demo.yml", 9)
    assert answer["text"] == "oil tanker" and "value" in answer and answer["items"]
    [beaten] = answer["beat"]
    assert beaten["rule"] == "demo.tanker" and beaten["text"] == "tanker" and "by length" in beaten["reason"]
    seizure = post(client, "/api/explain", {"text": TEXT, "start": 3, "end": 24, "rule": "demo.seized"}).json()
    assert seizure["captures"]["ship"][0]["text"] == "oil tanker"
    missing = post(client, "/api/explain", {"text": TEXT, "start": 0, "end": 2, "rule": "demo.seized"})
    assert missing.status_code == 400


def test_why_not_on_a_selected_stretch(client):
    start = TEXT.index("A tanker was sold")
    answer = post(client, "/api/whynot", {"text": TEXT, "start": start, "end": len(TEXT), "rule": "demo.sold_off"}).json()
    assert answer["failed_item"] == "off" and answer["where"].endswith("demo.yml:24")
    assert answer["furthest"]["text"] == "tanker was sold" and answer["furthest"]["start"] == start + 2
    assert "failed at '.'" in answer["message"]
    fired = post(client, "/api/whynot", {"text": TEXT, "start": 0, "end": 30, "rule": "demo.seized"}).json()
    assert fired["fired"][0]["text"] == "oil tanker was seized"
    lost = post(client, "/api/whynot", {"text": TEXT, "start": 3, "end": 13, "rule": "demo.tanker"}).json()
    assert "by length" in lost["message"]
    assert post(client, "/api/whynot", {"text": TEXT, "start": 5, "end": 2, "rule": "demo.seized"}).status_code == 400
    assert post(client, "/api/whynot", {"text": TEXT, "start": 0, "end": 5, "rule": "no.such"}).status_code == 400


def test_examples_run_live_with_each_failure_located(client):
    answer = post(client, "/api/examples", {"path": "demo.yml", "source": RULES}).json()
    assert (answer["passed"], answer["failed"]) == (4, 1)
    [failure] = answer["failures"]
    assert failure["name"] == "demo.seized[1]" and (failure["path"], failure["line"]) == ("demo.yml", 22)
    assert failure["text"] == "A tanker was sold." and failure["problems"]


def test_texts_given_are_read_by_number_only(client, rules_dir):
    state = client.get("/api/state").json()
    assert state["files"] == ["demo.yml"] and state["writable"] is True
    assert [t["id"] for t in state["texts"]] == [str(rules_dir.parent / "doc.txt")]
    assert client.get("/api/text?index=0").json()["text"] == TEXT + "\n"
    assert client.get("/api/text?index=1").status_code == 404
    assert client.get("/api/text?index=../doc.txt").status_code == 404


def test_save_writes_the_rule_file_atomically(client, rules_dir):
    edited = RULES.replace("tanker | tankers", "tanker | tankers | frigate")
    answer = post(client, "/api/save", {"path": "demo.yml", "source": edited})
    assert answer.status_code == 200 and answer.json()["saved"] == "demo.yml"
    assert (rules_dir / "demo.yml").read_text("utf-8") == edited
    assert sorted(os.listdir(rules_dir)) == ["demo.yml"]  # no temporary file left behind
    # a new rule file inside the directory
    assert post(client, "/api/save", {"path": "more.yml", "source": "rules: []\n"}).status_code == 200
    assert client.get("/api/state").json()["files"] == ["demo.yml", "more.yml"]
    # the highlights follow the saved file
    records = post(client, "/api/extract", {"text": "A frigate."}).json()["records"]
    assert [r["text"] for r in records] == ["frigate"]


@pytest.mark.parametrize("path", ["../secret.yml", "../../etc/passwd.yml", "/etc/passwd", "sub/../../secret.yml",
                                  "demo.yml/../../secret.yml", "notes.txt", "", "link.yml"])
def test_save_and_read_refuse_paths_outside_the_rules(client, rules_dir, path):
    (rules_dir / "link.yml").symlink_to(rules_dir.parent / "secret.yml")
    before = (rules_dir.parent / "secret.yml").read_text("utf-8")
    answer = post(client, "/api/save", {"path": path, "source": "ruleset: pwned\n"})
    assert answer.status_code == 403, answer.text
    assert (rules_dir.parent / "secret.yml").read_text("utf-8") == before
    assert client.get("/api/file", params={"path": path}).status_code == 403
    assert post(client, "/api/check", {"path": path, "source": "ruleset: x\n"}).status_code == 403
    # the link is not one of the rule files, and the rules compile without what it leads to
    assert "link.yml" not in client.get("/api/state").json()["files"]
    answer = post(client, "/api/check", {})
    assert answer.json()["ok"] and "do not show" not in answer.text


def test_the_bundled_packs_are_read_only():
    with TestClient(create_app(Workspace(), token=TOKEN), base_url="http://127.0.0.1") as c:
        answer = post(c, "/api/save", {"path": "numbers.yml", "source": "ruleset: x\n"})
        assert answer.status_code == 403 and "read-only" in answer.json()["error"]
        assert "numbers.yml" in c.get("/api/state").json()["files"]


def test_a_request_without_the_token_is_refused(client, rules_dir):
    for token in (None, "", "wrong"):
        for url in ("/api/save", "/api/extract", "/api/check", "/api/examples", "/api/explain", "/api/whynot"):
            answer = post(client, url, {"path": "demo.yml", "source": "ruleset: pwned\n", "text": "x"}, token=token)
            assert answer.status_code == 403 and "token" in answer.json()["error"], (url, token)
    assert (rules_dir / "demo.yml").read_text("utf-8") == RULES


def test_oversized_bodies_and_texts_are_refused(workspace):
    with TestClient(create_app(workspace, token=TOKEN, max_body=50_000), base_url="http://127.0.0.1") as c:
        answer = post(c, "/api/extract", {"text": "tanker " * 10_000})
        assert answer.status_code == 413 and "limit" in answer.json()["error"]
        answer = post(c, "/api/save", {"path": "demo.yml", "source": "#" * 60_000})
        assert answer.status_code == 413
    with TestClient(create_app(workspace, token=TOKEN), base_url="http://127.0.0.1") as c:
        answer = post(c, "/api/extract", {"text": "a" * (MAX_TEXT_CHARS + 1)})
        assert answer.status_code == 413 and "characters" in answer.json()["error"]
        # a body that says it is small and is not: cut off at the limit as it streams
        big = b'{"text": "' + b"a" * (5 * 1024 * 1024) + b'"}'
        answer = c.post("/api/extract", content=iter([big[i:i + 65536] for i in range(0, len(big), 65536)]),
                        headers={"X-Ruleie-Token": TOKEN, "Content-Type": "application/json"})
        assert answer.status_code == 413


def test_only_this_servers_host_names_are_answered(workspace):
    with TestClient(create_app(workspace, token=TOKEN), base_url="http://rebound.example") as c:
        assert c.get("/").status_code == 400
    with TestClient(create_app(workspace, token=TOKEN), base_url="http://localhost:8000") as c:
        assert c.get("/").status_code == 200


def test_a_runaway_pattern_is_stopped_and_the_server_goes_on(client):
    catastrophic = RULES + "  - id: demo.runaway\n    label: RUNAWAY\n    pattern: /(a+)+b/\n"
    started = time.perf_counter()
    answer = post(client, "/api/extract", {"path": "demo.yml", "source": catastrophic, "text": "a" * 8000})
    assert answer.status_code == 200
    assert answer.json()["rule"] == "demo.runaway" and "time limit" in answer.json()["timeout"]
    assert time.perf_counter() - started < 60
    # the next request is served, with the same rules
    records = post(client, "/api/extract", {"path": "demo.yml", "source": catastrophic, "text": TEXT}).json()["records"]
    assert [r["text"] for r in records] == ["oil tanker was seized", "oil tanker", "tanker"]
    assert client.get("/api/state").status_code == 200


def test_bad_requests_say_what_is_wrong(client):
    assert post(client, "/api/extract", {"text": 5}).status_code == 400
    assert post(client, "/api/extract", {"text": "x", "doc_date": "yesterday"}).status_code == 400
    assert post(client, "/api/explain", {"text": "x", "start": "0", "end": 1, "rule": "demo.tanker"}).status_code == 400
    answer = client.post("/api/check", content=b"not json", headers={"X-Ruleie-Token": TOKEN})
    assert answer.status_code == 400
    broken = post(client, "/api/extract", {"path": "demo.yml", "source": "rules: [", "text": "x"})
    assert broken.status_code == 400 and "do not compile" in broken.json()["error"]


def test_cli_serve_binds_loopback_and_warns_about_other_hosts(monkeypatch, rules_dir):
    import uvicorn
    from click.testing import CliRunner

    from ruleie.cli import main

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    result = CliRunner().invoke(main, ["serve", "--rules", str(rules_dir), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls[-1][1]["host"] == "127.0.0.1" and calls[-1][1]["port"] == 8123
    assert "http://127.0.0.1:8123/" in result.output and "warning" not in result.output
    result = CliRunner().invoke(main, ["serve", "--rules", str(rules_dir), "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "warning: serving on 0.0.0.0" in result.output
    result = CliRunner().invoke(main, ["serve", "--rules", str(rules_dir / "nowhere")])
    assert result.exit_code == 2 and "not a directory" in result.output


def test_a_pack_on_top_of_the_bundled_rules(rules_dir):
    """``--with bundled``: the bundled rules load beside the pack, read-only; the pack's rules
    see their mentions."""
    on_org = RULES + "  - id: demo.org_ship\n    label: OWNED\n    stage: 2\n    pattern: owner:<ORG> ship:<SHIP>\n"
    workspace = Workspace(str(rules_dir), also=["bundled"])
    with TestClient(create_app(workspace, token=TOKEN), base_url="http://127.0.0.1") as c:
        answer = post(c, "/api/extract", {"path": "demo.yml", "source": on_org, "text": "A United Nations tanker was seized."}).json()
        by_rule = {r["rule"]["id"]: r for r in answer["records"]}
        assert by_rule["demo.org_ship"]["text"] == "United Nations tanker"
        org = next(r for r in answer["records"] if r["label"] == "ORG")
        assert org["rule"]["file"].startswith("rules/")
        explained = post(c, "/api/explain", {"path": "demo.yml", "source": on_org, "text": "A United Nations tanker was seized.",
                                             "start": org["start"], "end": org["end"], "rule": org["rule"]["id"]}).json()
        assert explained["path"] is None and explained["where"].startswith("rules/")  # not a file of the pack
        assert "orgs.yml" not in c.get("/api/state").json()["files"]


def test_an_empty_rule_directory_gets_its_first_file(tmp_path):
    (tmp_path / "new").mkdir()
    with TestClient(create_app(Workspace(str(tmp_path / "new")), token=TOKEN), base_url="http://127.0.0.1") as c:
        assert c.get("/api/state").json()["files"] == []
        answer = post(c, "/api/check", {"path": "rules.yml", "source": ""}).json()
        assert answer["ok"] and answer["rules"] == []
        source = "rules:\n  - {id: x, label: X, pattern: tanker}\n"
        assert [r["text"] for r in post(c, "/api/extract", {"path": "rules.yml", "source": source, "text": "a tanker"}).json()["records"]] == ["tanker"]
        assert post(c, "/api/save", {"path": "rules.yml", "source": source}).json()["files"] == ["rules.yml"]
    assert (tmp_path / "new" / "rules.yml").read_text("utf-8") == source
