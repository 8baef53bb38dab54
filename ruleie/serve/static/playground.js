/* The ruleie playground page. Talks to the JSON API of ruleie/serve/app.py; every POST
   carries the page's token. Text from the server goes into the page through textContent,
   except the highlights, which the server renders with the HTML report's escaping. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="ruleie-token"]').getAttribute("content");
  var $ = function (id) { return document.getElementById(id); };
  var SAMPLE = "More than 250 people were killed when Acme Corp. and the United Nations signed " +
    "an agreement on 3 March 2020 in Geneva.";
  var st = {
    path: null, saved: "", writable: false, schema: null, files: [], rules: [],
    text: "", records: [], colours: {}, classes: {}, off: {}, selected: null, stretch: null, ruleErrors: false
  };

  // -- talking to the server --
  var inFlight = 0, pendingTimers = 0;
  function api(method, url, body) {
    inFlight++;
    var done = function () { inFlight--; };
    var options = {method: method, headers: {"X-Ruleie-Token": token}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {error: "HTTP " + response.status}; }).then(function (data) {
        if (!response.ok) { var e = new Error(data.error || ("HTTP " + response.status)); e.status = response.status; throw e; }
        return data;
      });
    }).then(function (data) { done(); return data; }, function (e) { done(); throw e; });
  }
  function rulesBody(extra) {
    var body = {path: st.path, source: editor.getValue()};
    Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
    return body;
  }
  function textBody(extra) {
    var body = rulesBody(extra);
    body.text = st.text;
    body.doc_date = $("doc-date").value || null;
    return body;
  }
  // Run fn at most once at a time; a call while it runs runs it again once it is done.
  function serial(fn) {
    var running = false, again = false;
    function run() {
      if (running) { again = true; return; }
      running = true; again = false;
      Promise.resolve().then(fn).catch(function (e) { say(e.message, true); }).then(function () {
        running = false;
        if (again) run();
      });
    }
    return run;
  }
  function debounce(fn, ms) {
    var timer = null;
    return function () {
      if (timer === null) pendingTimers++;
      clearTimeout(timer);
      timer = setTimeout(function () { timer = null; pendingTimers--; fn(); }, ms);
    };
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function say(message, bad) {
    var m = $("message");
    m.textContent = message || "";
    m.className = bad ? "status bad" : "muted";
  }
  function json(value) { return JSON.stringify(value, null, 2); }
  function codePoints(s) { var n = 0; for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); if (c < 0xD800 || c > 0xDBFF || i + 1 >= s.length) n++; else { n++; i++; } } return n; }
  function cpSlice(s, start, end) { return Array.from(s).slice(start, end).join(""); }

  // -- the editor --
  var editor = CodeMirror($("editor"), {
    mode: "yaml", lineNumbers: true, indentUnit: 2, tabSize: 2, indentWithTabs: false,
    gutters: ["problem-gutter", "CodeMirror-linenumbers"],
    extraKeys: {
      "Ctrl-Space": "autocomplete",
      "Tab": function (cm) { cm.replaceSelection("  "); },
      "Ctrl-S": function () { save(); }, "Cmd-S": function () { save(); }
    },
    hintOptions: {hint: schemaHint, completeSingle: false}
  });
  var problemMarks = [];
  editor.on("changes", function () { markDirty(); rulesChanged(); });
  editor.on("cursorActivity", function () { showKeyHint(); });

  function markDirty() {
    var dirty = editor.getValue() !== st.saved;
    $("dirty").textContent = dirty ? "edited, not saved" : "";
    document.body.classList.toggle("dirty", dirty);
  }
  function jumpTo(line, col) {
    var l = Math.max(0, (line || 1) - 1);
    editor.setCursor({line: l, ch: Math.max(0, (col || 1) - 1)});
    editor.scrollIntoView({line: l, ch: 0}, 80);
    editor.addLineClass(l, "background", "line-jump");
    setTimeout(function () { editor.removeLineClass(l, "background", "line-jump"); }, 1500);
    editor.focus();
  }
  // Open a rule file (asking first if the open one has unsaved edits), then go to a line.
  function openAt(path, line) {
    if (!path) return Promise.resolve(false);
    if (path === st.path) { jumpTo(line); return Promise.resolve(true); }
    if (editor.getValue() !== st.saved && !window.confirm("Discard the unsaved edits to " + st.path + "?")) return Promise.resolve(false);
    return loadFile(path).then(function () { jumpTo(line); return true; });
  }
  function loadFile(path) {
    return api("GET", "/api/file?path=" + encodeURIComponent(path)).then(function (data) {
      st.path = data.path;
      st.saved = data.source;
      $("file").value = data.path;
      editor.setValue(data.source);
      editor.clearHistory();
      markDirty();
    });
  }

  // -- errors and warnings at their line and column --
  function showProblems(errors, warnings) {
    problemMarks.forEach(function (m) { m.clear(); });
    problemMarks = [];
    editor.clearGutter("problem-gutter");
    for (var l = 0; l < editor.lineCount(); l++) editor.removeLineClass(l, "background", "line-error");
    var list = $("problems");
    list.textContent = "";
    function add(p, kind) {
      var li = el("li", kind, p.file ? p.file + ":" + p.line + ":" + p.col + ": " + kind + ": " + p.message : p.message);
      li.setAttribute("data-line", p.line || "");
      li.title = p.text || "";
      li.addEventListener("click", function () { openAt(p.path, p.line).then(function () { if (p.path === st.path) jumpTo(p.line, p.col); }); });
      list.appendChild(li);
      if (p.path !== st.path || !p.line) return;
      var line = p.line - 1, ch = Math.max(0, (p.col || 1) - 1), text = editor.getLine(line) || "";
      var endCh = ch; while (endCh < text.length && !/\s/.test(text.charAt(endCh))) endCh++;
      if (endCh === ch) endCh = Math.min(text.length, ch + 1);
      problemMarks.push(editor.markText({line: line, ch: ch}, {line: line, ch: Math.max(endCh, ch + 1)}, {className: "cm-problem-" + kind, title: p.message}));
      var dot = el("span", "gutter-" + kind);
      dot.title = p.message;
      editor.setGutterMarker(line, "problem-gutter", dot);
      if (kind === "error") editor.addLineClass(line, "background", "line-error");
    }
    errors.forEach(function (p) { add(p, "error"); });
    warnings.forEach(function (p) { add(p, "warning"); });
  }

  // -- the rules changed: check, then highlights and examples --
  var refreshRules = serial(function () {
    var status = $("rules-status");
    status.textContent = "compiling…";
    status.className = "status";
    return api("POST", "/api/check", rulesBody()).then(function (data) {
      showProblems(data.errors, data.warnings);
      st.ruleErrors = !data.ok;
      if (!data.ok) {
        status.textContent = data.errors.length + " error" + (data.errors.length === 1 ? "" : "s") + " in the rules";
        status.className = "status bad";
        $("view").classList.add("stale");
        return;
      }
      status.textContent = "ok: " + data.rules.length + " rules, " + data.warnings.length + " warning" + (data.warnings.length === 1 ? "" : "s");
      status.className = "status ok";
      st.rules = data.rules;
      fillRules();
      return Promise.all([highlight(), runExamples()]);
    });
  });
  var rulesChanged = debounce(refreshRules, 350);

  // -- highlights --
  function ensureLabelStyle(entry) {
    var key = entry["class"] + entry.colour;
    if (st.colours[entry["class"]] === key) return;
    st.colours[entry["class"]] = key;
    var sheet = $("playground-css").sheet, n = entry["class"];
    sheet.insertRule(".l" + n + "{--c:" + entry.colour + ";--bg:" + entry.bg + ";--bs:" + entry.bs + "}", sheet.cssRules.length);
    sheet.insertRule("#view.off-l" + n + " mark.l" + n + "{background:none;border-bottom-color:transparent;cursor:text}", sheet.cssRules.length);
  }
  function showLegend(entries) {
    var nav = $("legend");
    nav.textContent = "";
    entries.forEach(function (entry) {
      ensureLabelStyle(entry);
      st.classes[entry.label] = entry["class"];
      var box = el("input");
      box.type = "checkbox";
      box.checked = !st.off[entry.label];
      box.setAttribute("data-l", entry["class"]);
      box.addEventListener("change", function () {
        st.off[entry.label] = !box.checked;
        $("view").classList.toggle("off-l" + entry["class"], !box.checked);
      });
      $("view").classList.toggle("off-l" + entry["class"], !!st.off[entry.label]);
      var label = el("label", "toggle");
      label.appendChild(box);
      label.appendChild(el("span", "chip l" + entry["class"], entry.label));
      label.appendChild(el("span", "muted", String(entry.count)));
      nav.appendChild(label);
    });
    if (entries.length) nav.appendChild(el("span", "muted", "Click a highlight for why; select text to ask why not."));
  }
  var asked = 0, shown = 0;  // highlight requests sent, and the latest one drawn
  function highlight() {
    var text = st.text, number = ++asked;
    return api("POST", "/api/extract", textBody()).then(function (data) {
      if (text !== st.text || number < shown) return;  // typed on meanwhile, or a newer answer is drawn
      shown = number;
      var view = $("view"), box = $("timeout");
      view.classList.remove("stale");
      if (data.timeout) {
        box.hidden = false;
        box.textContent = "Stopped by the regex timeout: " + data.timeout;
        view.textContent = text;
        st.records = [];
        return;
      }
      box.hidden = true;
      st.records = data.records;
      view.innerHTML = data.html;  // rendered by ruleie.report (escaped there)
      if (st.selected) markSelected(st.selected);
      showLegend(data.legend);
      view.setAttribute("data-count", String(data.records.length));
    });
  }
  var refreshText = serial(function () { return st.ruleErrors ? null : highlight(); });
  var textChanged = debounce(refreshText, 300);

  // -- examples --
  function runExamples() {
    return api("POST", "/api/examples", rulesBody()).then(function (data) {
      var summary = $("examples-summary");
      summary.textContent = "examples: " + data.passed + " passed, " + data.failed + " failed";
      summary.className = "status " + (data.failed ? "bad" : "ok");
      var list = $("example-failures");
      list.textContent = "";
      $("examples").hidden = !data.failed;
      data.failures.forEach(function (f) {
        var li = el("li", null, f.name + " (" + f.where + "): " + f.problems.join("; "));
        li.title = "Open the example and put its text in the text pane";
        li.addEventListener("click", function () {
          openAt(f.path, f.line);
          $("doc").value = "";
          setText(f.text);
        });
        list.appendChild(li);
      });
    });
  }
  $("examples-summary").addEventListener("click", function () {
    var box = $("examples");
    if (box.querySelector("li")) box.hidden = !box.hidden;
  });

  // -- the text --
  function setText(text) {
    $("text").value = text;
    st.text = text;
    closeWhyNot();
    refreshText();
  }
  $("text").addEventListener("input", function () { st.text = $("text").value; $("view").classList.add("stale"); closeWhyNot(); textChanged(); });
  $("doc-date").addEventListener("change", refreshText);
  $("doc").addEventListener("change", function () {
    var index = $("doc").value;
    if (index === "") return;
    api("GET", "/api/text?index=" + index).then(function (data) {
      if (data.date) $("doc-date").value = String(data.date).slice(0, 10);
      setText(data.text);
    }).catch(function (e) { say(e.message, true); });
  });

  // -- explain a highlight --
  function marksAt(node) {
    var out = [];
    for (; node && node !== $("view"); node = node.parentNode) if (node.tagName === "MARK") out.push(node);
    return out;
  }
  function row(dl, name, value) {
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function ruleLink(answer) {
    var a = el(answer.path ? "a" : "code", answer.path ? "jump" : null, answer.where);
    if (answer.path) a.addEventListener("click", function () { openAt(answer.path, answer.line); });
    return a;
  }
  function candidateList(title, items) {
    var box = el("div");
    if (!items.length) return box;
    box.appendChild(el("h4", null, title));
    var ul = el("ul");
    items.forEach(function (c) {
      ul.appendChild(el("li", null, c.label + " \u201c" + c.text + "\u201d [" + c.start + "\u2013" + c.end + "] by " + c.rule + " (" + c.where + "): " + c.reason));
    });
    box.appendChild(ul);
    return box;
  }
  function showExplanation(d) {
    var box = $("details");
    box.textContent = "";
    var h = el("h3");
    h.appendChild(el("span", "chip l" + (classOf(d.label)), d.label));
    h.appendChild(document.createTextNode(" "));
    h.appendChild(el("span", "quote", "\u201c" + d.text + "\u201d"));
    box.appendChild(h);
    var dl = el("dl");
    row(dl, "rule", el("code", null, d.rule));
    row(dl, "at", ruleLink(d));
    row(dl, "span", d.start + "\u2013" + d.end);
    row(dl, "value", el("pre", null, json(d.value)));
    row(dl, "built", (d.value_steps || []).join("; ") || "no value spec");
    var items = el("table");
    (d.items || []).forEach(function (item) {
      var tr = el("tr");
      tr.appendChild(el("td", null, item.item));
      tr.appendChild(el("td", "quote", item.context ? "(context)" : item.absent ? "(absent)" : "\u201c" + item.text + "\u201d"));
      items.appendChild(tr);
    });
    row(dl, "items", items);
    var caps = el("ul");
    Object.keys(d.captures || {}).forEach(function (name) {
      d.captures[name].forEach(function (c) {
        caps.appendChild(el("li", null, name + " = \u201c" + c.text + "\u201d" + (c.entry ? " " + JSON.stringify(c.entry) : "")));
      });
    });
    row(dl, "captures", caps.childNodes.length ? caps : el("span", "muted", "none"));
    box.appendChild(dl);
    box.appendChild(candidateList("It beat", d.beat || []));
    box.appendChild(candidateList("Also tried here, and lost", d.others || []));
  }
  function classOf(label) { return label in st.classes ? st.classes[label] : ""; }
  // The selected mention keeps its outline when the highlights are drawn again.
  function markSelected(key) {
    Array.prototype.forEach.call(document.querySelectorAll("#view mark.sel"), function (m) { m.classList.remove("sel"); });
    st.records.forEach(function (r, i) {
      if (r.start !== key.start || r.end !== key.end || r.rule.id !== key.rule) return;
      Array.prototype.forEach.call(document.querySelectorAll('#view mark[data-i="' + i + '"]'), function (m) { m.classList.add("sel"); });
    });
  }
  $("view").addEventListener("click", function (ev) {
    if (String(window.getSelection()).length) return;
    var marks = marksAt(ev.target);
    if (!marks.length) return;
    var i = +marks[0].getAttribute("data-i"), r = st.records[i];
    if (!r) return;
    st.selected = {start: r.start, end: r.end, rule: r.rule.id};
    markSelected(st.selected);
    closeWhyNot();
    api("POST", "/api/explain", textBody({start: r.start, end: r.end, rule: r.rule.id})).then(function (d) {
      if (d.timeout) { $("details").textContent = "Stopped by the regex timeout: " + d.timeout; return; }
      showExplanation(d);
    }).catch(function (e) { say(e.message, true); });
  });

  // -- why not, for a selected stretch --
  function offsetIn(node, offset) {
    var range = document.createRange();
    range.setStart($("view"), 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }
  function fillRules() {
    var select = $("whynot-rule"), keep = select.value;
    select.textContent = "";
    var mine = st.rules.filter(function (r) { return r.path === st.path; });
    var others = st.rules.filter(function (r) { return r.path !== st.path; });
    [[st.path || "rules", mine], ["other files", others]].forEach(function (group) {
      if (!group[1].length) return;
      var g = el("optgroup");
      g.label = group[0];
      group[1].forEach(function (r) { var o = el("option", null, r.id + " (" + r.label + ")"); o.value = r.id; g.appendChild(o); });
      select.appendChild(g);
    });
    if (keep && st.rules.some(function (r) { return r.id === keep; })) select.value = keep;
  }
  function closeWhyNot() { $("whynot-bar").hidden = true; st.stretch = null; }
  document.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return;
    var range = sel.getRangeAt(0), view = $("view");
    if (!view.contains(range.startContainer) || !view.contains(range.endContainer)) return;
    var start = offsetIn(range.startContainer, range.startOffset), end = offsetIn(range.endContainer, range.endOffset);
    if (end <= start) return;
    st.stretch = [start, end];
    $("whynot-stretch").textContent = cpSlice(st.text, start, end);
    $("whynot-bar").hidden = false;
  });
  $("whynot-go").addEventListener("click", function () {
    if (!st.stretch) return;
    var rule = $("whynot-rule").value;
    api("POST", "/api/whynot", textBody({start: st.stretch[0], end: st.stretch[1], rule: rule})).then(function (d) {
      var box = $("details");
      box.textContent = "";
      box.appendChild(el("h3", null, "Why not " + rule + " on \u201c" + cpSlice(st.text, st.stretch[0], st.stretch[1]) + "\u201d"));
      var dl = el("dl");
      if (d.timeout) { row(dl, "timeout", d.timeout); box.appendChild(dl); return; }
      row(dl, "rule", ruleLink(d));
      row(dl, "answer", el("span", "whynot-message", d.message));
      if (d.furthest) row(dl, "got to", "\u201c" + d.furthest.text + "\u201d [" + d.furthest.start + "\u2013" + d.furthest.end + "], " + d.furthest.items_matched + " item(s)");
      if (d.failed_item) row(dl, "failed item", el("code", null, d.failed_item));
      box.appendChild(dl);
    }).catch(function (e) { say(e.message, true); });
  });

  // -- save --
  function save() {
    if (!st.writable) { say("the bundled packs are read-only here: start with --rules DIR to save", true); return; }
    var source = editor.getValue();
    api("POST", "/api/save", {path: st.path, source: source}).then(function (data) {
      st.saved = source;
      markDirty();
      say("saved " + data.saved);
    }).catch(function (e) { say("not saved: " + e.message, true); });
  }
  $("save").addEventListener("click", save);
  $("file").addEventListener("change", function () {
    var path = $("file").value;
    if (editor.getValue() !== st.saved && !window.confirm("Discard the unsaved edits to " + st.path + "?")) { $("file").value = st.path; return; }
    loadFile(path).then(refreshRules);
  });

  // -- hints from the rule-file schema --
  function resolve(node) {
    var guard = 0;
    while (node && node.$ref && guard++ < 20) {
      node = node.$ref.replace(/^#\//, "").split("/").reduce(function (n, k) { return n && n[k]; }, st.schema);
    }
    return node || {};
  }
  function properties(node) {
    node = resolve(node);
    var out = {};
    [node].concat(node.oneOf || [], node.anyOf || [], node.allOf || []).forEach(function (n) {
      n = resolve(n);
      Object.keys(n.properties || {}).forEach(function (k) { out[k] = resolve(n.properties[k]).description || n.properties[k].description || ""; });
    });
    return out;
  }
  function child(node, step) {
    node = resolve(node);
    var options = [node].concat(node.oneOf || [], node.anyOf || []);
    for (var i = 0; i < options.length; i++) {
      var n = resolve(options[i]);
      if (step === "[]" && n.items) return resolve(n.items);
      if (step !== "[]" && n.properties && n.properties[step]) return resolve(n.properties[step]);
      if (step !== "[]" && n.additionalProperties && typeof n.additionalProperties === "object") return resolve(n.additionalProperties);
    }
    return null;
  }
  var KEY_LINE = /^(\s*)(-\s+)?(?:([A-Za-z_][\w-]*)\s*:)?/;
  // The path of keys ("[]" for a list item) from the top of the file to a key at column col of line.
  function pathAt(line, col, dash) {
    var path = dash ? ["[]"] : [];
    for (var l = line - 1; l >= 0 && col > 0; l--) {
      var text = editor.getLine(l);
      if (!text.trim() || /^\s*#/.test(text)) continue;
      var m = KEY_LINE.exec(text), indent = m[1].length, keyCol = indent + (m[2] ? m[2].length : 0);
      if (m[2] && indent < col && keyCol >= col) { path.unshift("[]"); col = indent; continue; }
      if (m[3] && keyCol < col) {
        path.unshift(m[3]);
        col = keyCol;
        if (m[2]) { path.unshift("[]"); col = indent; }
      }
    }
    return path;
  }
  function schemaNode(line, col, dash) {
    var node = st.schema;
    pathAt(line, col, dash).forEach(function (step) { node = node && child(node, step); });
    return node;
  }
  function schemaHint(cm) {
    if (!st.schema) return null;
    var cur = cm.getCursor(), before = cm.getLine(cur.line).slice(0, cur.ch);
    var m = /^(\s*)(-\s+)?([A-Za-z_]*)$/.exec(before);
    if (!m) return null;
    var node = schemaNode(cur.line, m[1].length + (m[2] ? m[2].length : 0), !!m[2]);
    if (!node) return null;
    var props = properties(node), word = m[3];
    var list = Object.keys(props).filter(function (k) { return k.indexOf(word) === 0; }).map(function (k) {
      return {text: k + ": ", displayText: k + (props[k] ? " \u2014 " + props[k] : "")};
    });
    return {list: list, from: {line: cur.line, ch: cur.ch - word.length}, to: cur};
  }
  function showKeyHint() {
    if (!st.schema) return;
    var cur = editor.getCursor(), m = KEY_LINE.exec(editor.getLine(cur.line));
    if (!m[3]) { $("hint").textContent = "Ctrl-Space: keys the rule-file schema allows here."; return; }
    var node = schemaNode(cur.line, m[1].length + (m[2] ? m[2].length : 0), !!m[2]);
    var props = node ? properties(node) : {};
    $("hint").textContent = m[3] in props ? m[3] + ": " + (props[m[3]] || "(see docs/rule-language.md)")
      : node ? "unknown key " + m[3] + " here; allowed: " + Object.keys(props).join(", ") : "";
  }

  // -- start --
  function start() {
    api("GET", "/api/state").then(function (data) {
      st.schema = data.schema;
      st.writable = data.writable;
      st.files = data.files;
      $("save").disabled = !data.writable;
      if (!data.writable) $("save").title = "The bundled packs are read-only here: start with --rules DIR";
      data.files.forEach(function (f) { var o = el("option", null, f); o.value = f; $("file").appendChild(o); });
      data.texts.forEach(function (t) {
        var o = el("option", null, t.id + (t.error ? " (unreadable)" : "")); o.value = String(t.index); o.disabled = !!t.error;
        $("doc").appendChild(o);
      });
      $("text").maxLength = data.max_text_chars;
      var first = data.files[0];
      var readyText = data.texts.length && !data.texts[0].error
        ? api("GET", "/api/text?index=0").then(function (t) { $("doc").value = "0"; if (t.date) $("doc-date").value = String(t.date).slice(0, 10); return t.text; })
        : Promise.resolve(SAMPLE);
      if (!first && data.writable) {  // an empty rule directory: the first save makes rules.yml
        first = null;
        st.path = "rules.yml";
        var o = el("option", null, "rules.yml (new)"); o.value = "rules.yml"; $("file").appendChild(o);
      }
      return Promise.all([first ? loadFile(first) : null, readyText]).then(function (got) {
        $("text").value = got[1];
        st.text = got[1];
        refreshRules();
      });
    }).catch(function (e) { say(e.message, true); });
  }
  // For tests and the curious: the editor, the state, and whether anything is still to come.
  window.ruleiePlayground = {editor: editor, state: st, idle: function () { return inFlight === 0 && pendingTimers === 0; }};
  document.documentElement.setAttribute("data-ready", "1");
  start();
})();
