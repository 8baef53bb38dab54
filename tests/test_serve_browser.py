"""The playground in a real browser: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver (never a downloaded browser or driver). The test types a rule, sees its
highlight appear, clicks it and reads the explanation, asks why a rule did not fire on a
selected stretch, breaks the YAML and sees the error at its line, fixes it and saves, and
sees a runaway pattern stopped by the timeout while the page goes on working.

A second test takes the screenshot in docs/authoring.md (the walk-through's pack on top of the
bundled packs): ``RULEIE_UPDATE_SCREENSHOTS=1 python -m pytest tests/test_serve_browser.py``
writes it to docs/playground.png (otherwise it goes to a temporary directory, so that a test
run leaves the checkout as it was).

Skipped, saying why, when chromium, chromedriver or the test extra is missing (a failure in
CI, where .ci/run installs them: apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason='the serve extra is not installed (pip install ".[test]")')
pytest.importorskip("selenium", reason='selenium is not installed (pip install ".[test]")')

import uvicorn  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from ruleie.serve.app import create_app  # noqa: E402
from ruleie.serve.workspace import Workspace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = """\
ruleset: shipping
rules:
  - id: ship.tanker
    label: SHIP
    pattern: (oil)? (tanker | tankers)
    examples:
      - text: "Two oil tankers left port."
        expect: [{text: oil tankers}]
"""
TEXT = ("Iran's Revolutionary Guards seized a British oil tanker in the Strait of Hormuz on Friday, "
        "and a frigate shadowed two more tankers into the Gulf.\n")
NEW_RULE = "  - {id: ship.frigate, label: SHIP, pattern: frigate | frigates}"


def _binaries() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or next((p for p in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver") if os.path.exists(p)), None)
    if not browser:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium)")
    if not driver:
        pytest.skip("no chromedriver (Debian: apt-get install -y chromium-driver)")
    return browser, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(workspace: Workspace):
    """The app over ``workspace`` on a free loopback port, in a thread; yields its address."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def playground(tmp_path, monkeypatch):
    """``ruleie serve --rules shipping --text gulf.txt --timeout 0.1``, run from tmp_path."""
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "shipping"
    rules.mkdir()
    (rules / "shipping.yml").write_text(RULES, encoding="utf-8")
    (tmp_path / "gulf.txt").write_text(TEXT, encoding="utf-8")
    with serving(Workspace("shipping", ["gulf.txt"], timeout=0.1)) as url:
        yield url, rules


@pytest.fixture
def browser(tmp_path, monkeypatch):
    binary, driver_path = _binaries()
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium must not look for a browser or driver to download
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=1400,860", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def wait(driver, condition, message, seconds=60):
    """Poll ``condition``; elements redrawn under it meanwhile (stale) just mean: poll again."""
    return WebDriverWait(driver, seconds, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: condition(d), message)


def settle(driver) -> None:
    """Wait until the page has nothing in flight (no request, no debounced update to come)."""
    wait(driver, lambda d: d.execute_script("return window.ruleiePlayground.idle()"), "the page did not settle")


def marks(driver) -> list[str]:
    """The texts of the highlights, read in one go (they are redrawn as a whole)."""
    return driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('#view mark'), function (m) { return m.textContent; })")


def type_in_editor(driver, *keys) -> None:
    field = driver.find_element(By.CSS_SELECTOR, "#editor .CodeMirror textarea")
    field.send_keys(*keys)


def editor_value(driver) -> str:
    return driver.execute_script("return window.ruleiePlayground.editor.getValue()")


def test_the_playground_in_a_browser(playground, browser, tmp_path):
    url, rules = playground
    browser.get(url)
    # the first highlights, and the examples run
    wait(browser, lambda d: marks(d) == ["oil tanker", "tankers"], "no first highlights")
    wait(browser, lambda d: d.find_element(By.ID, "examples-summary").text == "examples: 1 passed, 0 failed", "no examples summary")
    assert browser.find_element(By.ID, "rules-status").text.startswith("ok: 1 rules")

    # type a rule: its highlight appears
    browser.find_element(By.CSS_SELECTOR, "#editor .CodeMirror").click()
    type_in_editor(browser, Keys.CONTROL, Keys.END)
    type_in_editor(browser, NEW_RULE)
    wait(browser, lambda d: "frigate" in marks(d), "the new rule's highlight did not appear")
    settle(browser)
    assert browser.find_element(By.ID, "dirty").text == "edited, not saved"
    legend = browser.find_element(By.ID, "legend").text
    assert "SHIP" in legend and "3" in legend

    # click it: the explanation
    next(m for m in browser.find_elements(By.CSS_SELECTOR, "#view mark") if m.text == "frigate").click()
    wait(browser, lambda d: "ship.frigate" in d.find_element(By.ID, "details").text, "no explanation")
    details = browser.find_element(By.ID, "details").text
    assert "shipping/shipping.yml:9" in details and "frigate" in details and "value" in details
    assert browser.find_elements(By.CSS_SELECTOR, "#view mark.sel")

    # select a stretch, pick a rule: why it did not fire there
    browser.execute_script("""
        var view = document.getElementById('view'), text = view.textContent, at = text.indexOf('Strait of Hormuz');
        var walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT), node, seen = 0, range = document.createRange();
        while ((node = walker.nextNode())) {
          var n = node.data.length;
          if (seen <= at && at < seen + n) range.setStart(node, at - seen);
          if (seen < at + 16 && at + 16 <= seen + n) { range.setEnd(node, at + 16 - seen); break; }
          seen += n;
        }
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    """)
    wait(browser, lambda d: d.find_element(By.ID, "whynot-bar").is_displayed(), "no why-not bar for a selection")
    assert browser.find_element(By.ID, "whynot-stretch").text == "Strait of Hormuz"
    browser.execute_script("document.getElementById('whynot-rule').value = 'ship.tanker'")
    browser.find_element(By.ID, "whynot-go").click()
    wait(browser, lambda d: "matches nowhere" in d.find_element(By.ID, "details").text, "no why-not answer")

    # break the YAML: the error at its line, in the list and in the editor's gutter
    typed = editor_value(browser)
    type_in_editor(browser, Keys.ENTER, "- id: ship.bad: x")
    wait(browser, lambda d: any(li.text.startswith("shipping/shipping.yml:10:") for li in d.find_elements(By.CSS_SELECTOR, "#problems li.error")),
         "no error at line 10")
    assert browser.execute_script("return !!window.ruleiePlayground.editor.lineInfo(9).gutterMarkers") is True
    assert browser.find_element(By.CSS_SELECTOR, "#problems li.error").text.endswith("mapping values are not allowed here")
    assert "error" in browser.find_element(By.ID, "rules-status").text

    # fix it and save: the file on disk is what was typed
    type_in_editor(browser, *[Keys.BACKSPACE] * (len(editor_value(browser)) - len(typed)))
    assert editor_value(browser) == typed
    wait(browser, lambda d: d.find_element(By.ID, "rules-status").text.startswith("ok: 2 rules"), "the fixed rules did not compile")
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: d.find_element(By.ID, "message").text == "saved shipping.yml", "not saved")
    assert (rules / "shipping.yml").read_text("utf-8") == RULES + NEW_RULE
    assert browser.find_element(By.ID, "dirty").text == ""

    # a runaway pattern: the page shows the timeout, and the next request is served
    type_in_editor(browser, Keys.ENTER, "- {id: ship.runaway, label: RUNAWAY, pattern: /(a+)+b/}")
    wait(browser, lambda d: d.find_element(By.ID, "rules-status").text.startswith("ok: 3 rules"), "the runaway rule did not compile")
    browser.execute_script("var t = document.getElementById('text'); t.value = 'a'.repeat(8000); t.dispatchEvent(new Event('input'));")
    wait(browser, lambda d: "time limit" in d.find_element(By.ID, "timeout").text, "no timeout shown")
    assert "ship.runaway" in browser.find_element(By.ID, "timeout").text
    browser.execute_script("var t = document.getElementById('text'); t.value = 'A frigate and a tanker.'; t.dispatchEvent(new Event('input'));")
    wait(browser, lambda d: marks(d) == ["frigate", "tanker"], "no highlights after the timeout")
    assert not browser.find_element(By.ID, "timeout").is_displayed()

    # completion from the rule-file schema: the keys a rule may have
    type_in_editor(browser, Keys.ENTER, "- id: ship.more", Keys.ENTER, "  pat")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys(" ").key_up(Keys.CONTROL).perform()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li"), "no completion list")
    assert [li.text.split(" ")[0] for li in browser.find_elements(By.CSS_SELECTOR, ".CodeMirror-hints li")] == ["pattern"]
    type_in_editor(browser, Keys.ENTER)
    assert editor_value(browser).endswith("  - id: ship.more\n    pattern: ")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


# The walk-through's pack (docs/authoring.md), on top of the bundled packs.
WALK_THROUGH = """\
ruleset: shipping
lexicons:
  vessels:
    - {name: tanker, aliases: [tankers, oil tanker, oil tankers], kind: cargo}
    - {name: bulk carrier, aliases: [bulk carriers], kind: cargo}
    - {name: frigate, aliases: [frigates], kind: navy}
  seize_verbs: [seized, boarded, detained, impounded]

macros:
  count: /\\d+/ | a | an | one | two | three | four | five | several

rules:
  - id: shipping.vessels
    label: VESSEL
    pattern: n:@count _kind:$vessels
    value: {count: {capture: n}, kind: {capture: _kind, field: kind}}
    examples:
      - text: "Three tankers and a frigate left port."
        expect:
          - {text: "Three tankers", value: {kind: cargo}}
          - {text: "a frigate", value: {kind: navy}}

  - id: shipping.seizure
    label: SEIZURE
    pattern: by:<ORG> _verb:$seize_verbs vessel:<VESSEL>
    stage: 2
    examples:
      - text: "The Revolutionary Guards seized two oil tankers in the Gulf."
        expect: [{text: "Revolutionary Guards seized two oil tankers", args: {by: Revolutionary Guards, vessel: two oil tankers}}]
"""
NEWS = ("The Revolutionary Guards seized two oil tankers in the Strait of Hormuz on Friday, Iran's state media said.\n\n"
        "Britain's Royal Navy said a frigate had shadowed three tankers through the strait in July, "
        "and the United Nations called for the ships to be released.\n")


def test_screenshot_for_the_docs(browser, tmp_path, monkeypatch):
    """``ruleie serve --rules shipping --with bundled --text news.txt``, the SEIZURE clicked."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shipping").mkdir()
    (tmp_path / "shipping" / "shipping.yml").write_text(WALK_THROUGH, encoding="utf-8")
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    with serving(Workspace("shipping", ["news.txt"], also=["bundled"])) as url:
        browser.get(url)
        wait(browser, lambda d: "Revolutionary Guards seized two oil tankers" in marks(d), "no SEIZURE highlight", seconds=180)
        settle(browser)
        assert browser.find_element(By.ID, "examples-summary").text.endswith("passed, 0 failed")
        legend = browser.find_element(By.ID, "legend").text
        assert all(label in legend for label in ("NUMBER", "ORG", "DATE", "SEIZURE", "VESSEL"))
        seizure = next(m for m in browser.find_elements(By.CSS_SELECTOR, "#view mark") if m.text.startswith("Revolutionary Guards seized"))
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", seizure)
        wait(browser, lambda d: "shipping.seizure" in d.find_element(By.ID, "details").text, "no explanation")
        details = browser.find_element(By.ID, "details").text
        assert "shipping/shipping.yml:23" in details and "by = \u201cRevolutionary Guards\u201d" in details
        browser.execute_script("window.ruleiePlayground.editor.setCursor({line: 24, ch: 14}); window.ruleiePlayground.editor.focus()")
        shot = tmp_path / "playground.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 20_000
        if os.environ.get("RULEIE_UPDATE_SCREENSHOTS"):
            shutil.copyfile(shot, ROOT / "docs" / "playground.png")
