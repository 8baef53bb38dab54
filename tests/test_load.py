"""The loader and builder: every rule-file error names file:line:col, and the positive side
(imports, text lexicons, defaults, digest, rule lines).

Rule files are small and written into tmp_path with the ``write_rules`` fixture; a file
loaded on its own has its directory as the rule tree (imports and lexicon files stay in it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ruleie
from ruleie import RuleError, RuleErrors


# -- helpers ------------------------------------------------------------------------------


def load_errors(*paths: Path | str) -> list[RuleError]:
    """The RuleErrors that loading must raise, as a list (also checks the type)."""
    with pytest.raises(RuleErrors) as info:
        ruleie.load(*(str(p) for p in paths))
    errors = info.value.errors
    assert errors, "RuleErrors raised with no errors in it"
    assert all(isinstance(e, RuleError) for e in errors)
    return errors


def only_error(*paths: Path | str) -> RuleError:
    errors = load_errors(*paths)
    assert len(errors) == 1, "expected exactly one error, got:\n" + "\n".join(str(e) for e in errors)
    return errors[0]


def assert_at(error: RuleError, path: Path | str, line: int, col: int) -> None:
    """The error's location, both as fields and as the rendered ``file:line:col:`` head."""
    assert error.location is not None, f"error has no location: {error}"
    assert (error.location.file, error.location.line, error.location.col) == (str(path), line, col), str(error)
    assert str(error).startswith(f"{path}:{line}:{col}: "), str(error)


def caret_excerpt(source_line: str, col: int) -> str:
    """What errors.py renders under the head: the line, then a caret under column ``col``."""
    return f"    {source_line}\n    {' ' * (col - 1)}^"


def col_of(line: str, needle: str) -> int:
    return line.index(needle) + 1


# -- YAML-level errors --------------------------------------------------------------------


def test_yaml_syntax_error_mapping_value(write_rules):
    path = write_rules("rules:\n  - id: a\n    label: NUM\n    pattern: foo: bar\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 4, 17)
    assert "mapping values are not allowed" in error.message
    assert caret_excerpt("    pattern: foo: bar", 17) in str(error)


def test_yaml_syntax_error_tab_indentation(write_rules):
    path = write_rules("rules:\n  - id: a\n\tlabel: NUM\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 3, 1)
    assert "'\\t'" in error.message


def test_unclosed_group_in_pattern_points_at_line_4(write_rules):
    path = write_rules("rules:\n  - id: a\n    label: NUM\n    pattern: ( unclosed\n", "bad.yml")
    error = only_error(path)
    rendered = str(error)
    assert "bad.yml:4:" in rendered
    # the end of the pattern, where ')' was expected
    assert_at(error, path, 4, 24)
    assert "unclosed group" in error.message and "')'" in error.message
    assert rendered.splitlines()[1:] == ["        pattern: ( unclosed", " " * 27 + "^"]


def test_unknown_key_suggests_the_close_one(write_rules):
    path = write_rules("rules:\n  - id: a\n    label: NUM\n    patern: foo\n", "bad.yml")
    error = only_error(path)  # reported once: not also as "'pattern' is required"
    assert_at(error, path, 4, 5)
    assert "unknown key 'patern'" in error.message
    assert "did you mean 'pattern'?" in error.message


def test_unknown_top_level_key_suggests(write_rules):
    path = write_rules("lexicon:\n  q: [about]\nrules: []\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 1, 1)
    assert "unknown key 'lexicon'" in error.message and "did you mean 'lexicons'?" in error.message


def test_wrong_type_priority(write_rules):
    path = write_rules("rules:\n  - id: a\n    label: NUM\n    pattern: foo\n    priority: high\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 5, 15)  # at the value
    assert "priority" in error.message
    assert "expected integer" in error.message and "'high'" in error.message


@pytest.mark.parametrize(
    "text, section, expected",
    [
        ("rules: foo\n", "rules", "array"),
        ("rules: {id: a, label: NUM, pattern: foo}\n", "rules", "array"),
        ("lexicons: [a, b]\n", "lexicons", "object"),
        ("defaults: NUM\nrules:\n  - id: a\n    pattern: foo\n", "defaults", "object"),
        ("imports: other.yml\n", "imports", "array"),
        ("imports: [3]\n", "imports", "string"),
    ],
    ids=["rules-string", "rules-mapping", "lexicons-list", "defaults-string", "imports-string", "imports-int"],
)
def test_wrong_type_of_a_section_is_a_rule_error(write_rules, text, section, expected):
    """A section of the wrong type is a located RuleError, not a crash (TypeError/AttributeError)."""
    path = write_rules(text, "bad.yml")
    errors = load_errors(path)  # pytest.raises(RuleErrors): any other exception fails here
    first = errors[0]
    assert first.location is not None and first.location.line == 1, str(first)
    assert str(first).startswith(f"{path}:1:")
    assert section in first.message and f"expected {expected}" in first.message, first.message


def test_missing_pattern(write_rules):
    path = write_rules("rules:\n  - id: a\n    label: NUM\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 2, 5)  # the rule's mapping, on its "- id:" line
    assert "'pattern' is required" in error.message


def test_missing_label_without_defaults(write_rules):
    path = write_rules("rules:\n  - id: first\n    pattern: foo\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 2, 5)
    assert "rule 'first' has no label" in error.message


@pytest.mark.parametrize(
    "line",
    [
        "rules: !!python/object:os.system\n  x: 1\n",
        "description: !!python/object/apply:os.system [echo pwned]\n",
        "description: !!python/name:os.system\n",
    ],
    ids=["object", "object-apply", "name"],
)
def test_yaml_tags_that_build_objects_are_refused(write_rules, line):
    path = write_rules(line, "bad.yml")
    error = only_error(path)
    col = col_of(line.splitlines()[0], "!!")
    assert_at(error, path, 1, col)
    assert "YAML tags that build objects are not allowed" in error.message
    assert "python/" in error.message


def test_yaml_aliases_are_refused(write_rules):
    text = "description: &d A description\nrules:\n  - id: a\n    label: NUM\n    pattern: foo\n    description: *d\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 6, 18)
    assert "aliases" in error.message and "not allowed" in error.message


def test_yaml_merge_key_with_alias_is_refused(write_rules):
    text = "description: &base x\nrules:\n  - <<: *base\n    id: a\n    label: NUM\n    pattern: foo\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 3, 9)
    assert "aliases" in error.message


def test_duplicate_mapping_keys(write_rules):
    text = "rules:\n  - id: a\n    label: NUM\n    pattern: foo\n    label: ORG\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 5, 5)  # the second 'label'
    assert "duplicate key 'label'" in error.message


def test_duplicate_top_level_keys(write_rules):
    path = write_rules("rules: []\ndescription: x\nrules: []\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 3, 1)
    assert "duplicate key 'rules'" in error.message


def test_duplicate_rule_ids(write_rules):
    text = (
        "rules:\n"
        "  - id: dup\n    label: NUM\n    pattern: foo\n"
        "  - id: dup\n    label: NUM\n    pattern: bar\n"
    )
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 5, 5)  # the second one
    assert "duplicate rule id 'dup'" in error.message
    assert f"first at {path}:2" in error.message


def test_duplicate_rule_ids_across_files(write_rules, tmp_path):
    write_rules("rules:\n  - id: same\n    label: NUM\n    pattern: foo\n", "a.yml")
    b = write_rules("\nrules:\n  - id: same\n    label: NUM\n    pattern: bar\n", "b.yml")
    error = only_error(tmp_path)
    assert_at(error, f"{tmp_path}/b.yml", 3, 5)
    assert f"first at {tmp_path}/a.yml:2" in error.message
    assert b.exists()


# -- references: lexicons, macros, labels --------------------------------------------------


def test_unknown_lexicon_suggests(write_rules):
    text = "lexicons:\n  qualifiers: [more than, about]\nrules:\n  - id: a\n    label: NUM\n    pattern: $qualifier /\\d+/\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 6, 14)
    assert "unknown lexicon '$qualifier'" in error.message
    assert "did you mean '$qualifiers'?" in error.message


def test_unknown_macro(write_rules):
    text = "macros:\n  num: /\\d+/\nrules:\n  - id: a\n    label: NUM\n    pattern: about @nope\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 6, 20)
    assert "unknown macro '@nope'" in error.message
    assert caret_excerpt("    pattern: about @nope", 20) in str(error)


def test_macro_cycle(write_rules):
    text = "macros:\n  a: x @b\n  b: y @a\nrules:\n  - id: r\n    label: NUM\n    pattern: z @a\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 3, 8)  # the reference that closes the cycle, inside macro b
    assert "cycle" in error.message and "@a -> @b -> @a" in error.message


def test_self_referencing_macro(write_rules):
    text = "macros:\n  m: x @m?\nrules:\n  - id: r\n    label: NUM\n    pattern: z @m\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 2, 8)
    assert "@m -> @m" in error.message


def test_unknown_label(write_rules):
    text = "rules:\n  - id: a\n    label: DEAL\n    stage: 2\n    pattern: deal with <ORG>\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 5, 24)
    assert "unknown label <ORG>" in error.message


def test_label_of_the_same_stage_is_not_visible(write_rules):
    text = (
        "rules:\n"
        "  - id: org\n    label: ORG\n    pattern: acme\n"
        "  - id: deal\n    label: DEAL\n    pattern: deal with <ORG>\n"
    )
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 7, 24)
    assert "unknown label <ORG>" in error.message
    assert "earlier stages" in error.message


def test_label_of_an_earlier_stage_works_and_a_later_one_does_not(write_rules):
    text = (
        "rules:\n"
        "  - id: org\n    label: ORG\n    pattern: acme\n"
        "  - id: deal\n    label: DEAL\n    stage: 2\n    pattern: deal with <ORG>\n"
        "  - id: meta\n    label: META\n    stage: 2\n    pattern: <DEAL>\n"
    )
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 12, 14)
    assert "unknown label <DEAL>" in error.message
    assert "<ORG>" in error.message  # what the earlier stages do offer


def test_earlier_stage_label_extracts(write_rules):
    text = (
        "rules:\n"
        "  - id: org\n    label: ORG\n    pattern: acme\n"
        "  - id: deal\n    label: DEAL\n    stage: 2\n    pattern: deal with party:<ORG>\n"
    )
    ex = ruleie.load(str(write_rules(text)))
    records = [(e.label, e.text, e.start, e.end) for e in ex.extract("A deal with Acme.")]
    assert records == [("DEAL", "deal with Acme", 2, 16), ("ORG", "Acme", 12, 16)]


# -- imports -------------------------------------------------------------------------------


def test_imports_are_relative_to_the_importing_file(write_rules, tmp_path):
    main = write_rules(
        "imports: [sub/a.yml]\nrules:\n  - id: q\n    label: NUM\n    pattern: $quals /\\d+/\n", "main.yml"
    )
    write_rules("imports: [b.yml]\nmacros:\n  unused: foo\n", "sub/a.yml")
    write_rules("lexicons:\n  quals: [about]\n", "sub/b.yml")  # b.yml next to sub/a.yml
    write_rules("lexicons:\n  quals: [roughly]\n", "b.yml")  # a decoy beside main.yml
    ex = ruleie.load(str(main))
    assert [e.text for e in ex.extract("about 5 and roughly 6")] == ["about 5"]
    assert {f.real.resolve() for f in ex.ruleset.tree.files} == {
        main.resolve(), (tmp_path / "sub/a.yml").resolve(), (tmp_path / "sub/b.yml").resolve()
    }


def test_import_leaving_the_rule_tree_is_refused(write_rules, tmp_path):
    write_rules("lexicons:\n  quals: [about]\n", "outside.yml")
    path = write_rules("imports: [../outside.yml]\nrules: []\n", "tree/main.yml")
    error = only_error(path)
    assert_at(error, path, 1, 11)
    assert "'../outside.yml'" in error.message and "leaves the rule tree" in error.message


def test_import_of_a_missing_file(write_rules):
    path = write_rules("rules: []\nimports:\n  - nothing.yml\n", "main.yml")
    error = only_error(path)
    assert_at(error, path, 3, 5)
    assert "'nothing.yml'" in error.message and "no such file" in error.message


def test_cyclic_imports(write_rules, tmp_path):
    a = write_rules("imports: [b.yml]\nrules:\n  - id: a\n    label: NUM\n    pattern: foo\n", "a.yml")
    write_rules("# b\nimports: [a.yml]\nrules:\n  - id: b\n    label: NUM\n    pattern: bar\n", "b.yml")
    error = only_error(a)
    assert_at(error, f"{tmp_path}/b.yml", 2, 11)
    assert "'a.yml'" in error.message and "cycle" in error.message


def test_lexicon_is_visible_only_through_imports(write_rules, tmp_path):
    write_rules("lexicons:\n  quals: [more than]\n", "lex.yml")
    write_rules("imports: [lex.yml]\nrules:\n  - id: a\n    label: NUM\n    pattern: $quals /\\d+/\n", "a.yml")
    write_rules("rules:\n  - id: b\n    label: NUM\n    pattern: $quals /\\d+/\n", "b.yml")
    error = only_error(tmp_path)  # a.yml, which imports lex.yml, is fine
    assert_at(error, f"{tmp_path}/b.yml", 4, 14)
    assert error.message.startswith("unknown lexicon '$quals'")


def test_imports_are_transitive(write_rules, tmp_path):
    write_rules("lexicons:\n  quals: [at least]\n", "base.yml")
    write_rules("imports: [base.yml]\nmacros:\n  n: /\\d+/\n", "mid.yml")
    top = write_rules("imports: [mid.yml]\nrules:\n  - id: t\n    label: NUM\n    pattern: $quals @n\n", "top.yml")
    ex = ruleie.load(str(top))
    assert [(e.text, e.start, e.end) for e in ex.extract("at least 40 came")] == [("at least 40", 0, 11)]


def test_lexicon_defined_twice_in_one_scope(write_rules, tmp_path):
    write_rules("lexicons:\n  quals: [more than]\n", "lib/a.yml")
    write_rules("# second\nlexicons:\n  quals: [about]\n", "lib/b.yml")
    write_rules("imports: [lib/a.yml, lib/b.yml]\nrules:\n  - {id: q, label: Q, pattern: $quals}\n", "c.yml")
    error = only_error(tmp_path)
    assert_at(error, f"{tmp_path}/lib/b.yml", 3, 3)
    assert "lexicon 'quals' is already defined in" in error.message
    assert "lib/a.yml" in error.message and "visible from" in error.message


def test_macro_defined_twice_in_one_scope(write_rules, tmp_path):
    write_rules("macros:\n  n: /\\d+/\n", "lib/a.yml")
    write_rules("macros:\n  n: /\\d+/\n", "lib/b.yml")
    write_rules("imports: [lib/a.yml, lib/b.yml]\nrules:\n  - {id: q, label: Q, pattern: '@n'}\n", "c.yml")
    error = only_error(tmp_path)
    assert_at(error, f"{tmp_path}/lib/b.yml", 2, 3)
    assert "macro 'n' is already defined" in error.message


def test_independent_files_may_reuse_names(write_rules, tmp_path):
    write_rules("lexicons:\n  quals: [more than]\nrules:\n  - {id: a, label: A, pattern: $quals}\n", "a.yml")
    write_rules("lexicons:\n  quals: [about]\nrules:\n  - {id: b, label: B, pattern: $quals}\n", "b.yml")
    extractor = ruleie.load(tmp_path)
    found = {(e.label, e.text) for e in extractor.extract("more than about")}
    assert found == {("A", "more than"), ("B", "about")}


# -- text lexicons ------------------------------------------------------------------------


def test_text_lexicon_file(write_rules, tmp_path):
    (tmp_path / "orgs.txt").write_text(
        "# organizations\nUnited Nations = UN | U.N.\n\nWorld Bank   # a comment\n", encoding="utf-8"
    )
    path = write_rules(
        "lexicons:\n  orgs: {file: orgs.txt}\n"
        "rules:\n  - id: org\n    label: ORG\n    pattern: org:$orgs\n"
        "    value: {name: {capture: org, field: name}}\n"
    )
    ex = ruleie.load(str(path))
    got = [(e.text, e.start, e.end, e.value) for e in ex.extract("The UN, the U.N. and the World Bank met United Nations staff.")]
    assert got == [
        ("UN", 4, 6, {"name": "United Nations"}),
        ("U.N.", 12, 16, {"name": "United Nations"}),
        ("World Bank", 25, 35, {"name": "World Bank"}),
        ("United Nations", 40, 54, {"name": "United Nations"}),
    ]
    assert ex.extract("organizations") == []  # the comment line is not an entry


def test_text_lexicon_outside_the_tree_is_refused(write_rules, tmp_path):
    (tmp_path / "outside.txt").write_text("Acme\n", encoding="utf-8")
    text = "lexicons:\n  orgs:\n    file: ../outside.txt\nrules:\n  - id: o\n    label: ORG\n    pattern: $orgs\n"
    path = write_rules(text, "tree/rules.yml")
    errors = load_errors(path)
    assert_at(errors[0], path, 3, 11)
    assert "'../outside.txt'" in errors[0].message and "outside the rule tree" in errors[0].message
    # anything else reported comes after, in line order (the rule that uses the lexicon)
    assert [e.location.line for e in errors] == sorted(e.location.line for e in errors)


# -- defaults ------------------------------------------------------------------------------


def test_defaults_are_merged_into_rules(write_rules):
    text = (
        "defaults:\n  label: NUM\n  priority: 5\n  stage: 2\n"
        "rules:\n"
        "  - id: plain\n    pattern: /\\d+/\n"
        "  - id: own\n    label: WORD\n    priority: -1\n    pattern: acme\n"
    )
    ex = ruleie.load(str(write_rules(text)))
    got = {r.id: (r.label, r.priority, r.stage) for r in ex.rules}
    assert got == {"plain": ("NUM", 5, 2), "own": ("WORD", -1, 2)}
    assert [(e.label, e.text) for e in ex.extract("Acme 12")] == [("WORD", "Acme"), ("NUM", "12")]


def test_defaults_apply_only_to_their_own_file(write_rules, tmp_path):
    write_rules("defaults:\n  label: NUM\nrules:\n  - id: a\n    pattern: foo\n", "a.yml")
    write_rules("rules:\n  - id: b\n    pattern: bar\n", "b.yml")
    error = only_error(tmp_path)
    assert_at(error, f"{tmp_path}/b.yml", 2, 5)
    assert "rule 'b' has no label" in error.message


def test_misspelt_defaults_key(write_rules):
    path = write_rules("defaults:\n  lable: NUM\nrules:\n  - id: a\n    pattern: foo\n", "bad.yml")
    errors = load_errors(path)
    assert_at(errors[0], path, 2, 3)
    assert "unknown key 'lable'" in errors[0].message and "did you mean 'label'?" in errors[0].message


# -- several errors, positions inside multi-line patterns ----------------------------------


def test_several_errors_reported_together_sorted_by_line(write_rules):
    text = (
        "rules:\n"
        "  - id: c\n    label: NUM\n    patern: x\n"            # 4: unknown key (schema)
        "  - id: a\n    label: NUM\n    pattern: foo @nope\n"   # 7: unknown macro (builder)
        "  - id: b\n    label: NUM\n    pattern: ( x\n"         # 10: unclosed group (grammar)
        "  - id: d\n    label: NUM\n    priority: high\n    pattern: x\n"  # 13: wrong type
    )
    path = write_rules(text, "bad.yml")
    with pytest.raises(RuleErrors) as info:
        ruleie.load(str(path))
    errors = info.value.errors
    assert [(e.location.line, e.location.col) for e in errors] == [(4, 5), (7, 18), (10, 17), (13, 15)]
    assert "unknown key 'patern'" in errors[0].message
    assert "unknown macro '@nope'" in errors[1].message
    assert "unclosed group" in errors[2].message
    assert "expected integer" in errors[3].message
    rendered = str(info.value)
    heads = [line for line in rendered.splitlines() if line.startswith(str(path))]
    assert [h.split(": ", 1)[0] for h in heads] == [f"{path}:4:5", f"{path}:7:18", f"{path}:10:17", f"{path}:13:15"]


def test_error_inside_a_folded_pattern(write_rules):
    text = (
        "rules:\n"
        "  - id: a\n"
        "    label: NUM\n"
        "    pattern: >\n"
        "      more than\n"
        "      about @nope\n"
        "      /\\d+/\n"
    )
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 6, 13)
    assert "unknown macro '@nope'" in error.message
    assert caret_excerpt("      about @nope", 13) in str(error)


def test_bad_regex_on_a_more_indented_folded_line(write_rules):
    text = "rules:\n  - id: a\n    label: NUM\n    pattern: >\n      foo\n        bar /[/\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 6, 13)
    assert "bad regex /[/" in error.message


def test_error_inside_a_literal_block_pattern(write_rules):
    text = "rules:\n  - id: a\n    label: NUM\n    pattern: |\n      foo\n      bar @nope\n"
    path = write_rules(text, "bad.yml")
    assert_at(only_error(path), path, 6, 11)


def test_error_inside_a_plain_multi_line_pattern(write_rules):
    text = "rules:\n  - id: a\n    label: NUM\n    pattern: foo\n      bar\n      baz @nope\n"
    path = write_rules(text, "bad.yml")
    assert_at(only_error(path), path, 6, 11)


def test_unclosed_group_at_the_end_of_a_folded_pattern(write_rules):
    """An error at the end of a folded pattern belongs on its last line, not past the file's end."""
    text = "rules:\n  - id: a\n    label: NUM\n    pattern: >\n      foo bar\n      baz\n      qux ( zap\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert "unclosed group" in error.message
    assert error.location.line == 7, str(error)
    assert 1 <= error.location.col <= len("      qux ( zap") + 1
    assert str(error).startswith(f"{path}:7:")
    assert "      qux ( zap" in str(error) and str(error).rstrip().endswith("^")


def test_unclosed_group_at_the_end_of_a_folded_macro(write_rules):
    """The macro occupies lines 2-4; the error must not point at the next key (line 5)."""
    text = "macros:\n  m: >\n    foo\n    ( bar\nrules:\n  - id: a\n    label: NUM\n    pattern: x @m\n"
    path = write_rules(text, "bad.yml")
    errors = load_errors(path)
    unclosed = [e for e in errors if "unclosed group" in e.message]
    assert len(unclosed) == 1
    assert unclosed[0].location.line == 4, str(unclosed[0])
    assert "    ( bar" in str(unclosed[0])


def test_error_in_double_quoted_pattern_with_escapes(write_rules):
    line = '    pattern: "\\"per cent\\" of @nope"'
    path = write_rules("rules:\n  - id: a\n    label: NUM\n" + line + "\n", "bad.yml")
    error = only_error(path)
    assert "unknown macro '@nope'" in error.message
    assert_at(error, path, 4, col_of(line, "@nope"))


def test_error_in_single_quoted_pattern_with_doubled_quote(write_rules):
    line = "    pattern: 'it''s a @nope'"
    path = write_rules("rules:\n  - id: a\n    label: NUM\n" + line + "\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 4, col_of(line, "@nope"))


def test_error_in_a_macro_points_into_the_macro(write_rules):
    text = "macros:\n  m: $nolex\nrules:\n  - id: a\n    label: NUM\n    pattern: x @m\n"
    path = write_rules(text, "bad.yml")
    error = only_error(path)
    assert_at(error, path, 2, 6)
    assert "unknown lexicon '$nolex'" in error.message


def test_crlf_rule_file_positions(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_bytes(b"rules:\r\n  - id: a\r\n    label: NUM\r\n    pattern: foo @nope\r\n")
    error = only_error(path)
    assert_at(error, path, 4, 18)
    assert "\r" not in str(error)


# -- encodings, empty files -----------------------------------------------------------------


def test_non_utf8_rule_file(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_bytes(b"rules:\n  - id: a\n    label: NUM\n    pattern: caf\xe9\n")
    error = only_error(path)
    assert error.location is not None
    assert (error.location.file, error.location.line) == (str(path), 4)
    assert str(error).startswith(f"{path}:4:")
    assert "UTF-8" in error.message


def test_utf8_bom_rule_file_loads_and_keeps_columns(tmp_path):
    path = tmp_path / "bom.yml"
    path.write_bytes("\ufeffrules:\n  - id: a\n    label: NUM\n    pattern: foo @nope\n".encode())
    assert_at(only_error(path), path, 4, 18)


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n"], ids=["empty", "blank", "comment", "doc-start"])
def test_empty_file_loads_with_zero_rules(write_rules, content):
    ex = ruleie.load(str(write_rules(content, "empty.yml")))
    assert ex.rules == []
    assert ex.extract("More than 250 people were killed.") == []


def test_top_level_must_be_a_mapping(write_rules):
    path = write_rules("- id: a\n  label: NUM\n", "bad.yml")
    error = only_error(path)
    assert_at(error, path, 1, 1)
    assert "must be a mapping" in error.message


def test_missing_rule_path():
    with pytest.raises(RuleErrors) as info:
        ruleie.load("/nonexistent/ruleie/rules.yml")
    assert "/nonexistent/ruleie/rules.yml" in str(info.value)
    assert "no such rule file or directory" in str(info.value)


# -- the positive side: digest, rule lines, bundled --------------------------------------


RULES = "rules:\n  - id: n\n    label: NUM\n    pattern: /\\d+/\n"


def test_digest_is_the_same_for_the_same_content_at_different_paths(write_rules):
    a = ruleie.load(str(write_rules(RULES, "one/rules.yml")))
    b = ruleie.load(str(write_rules(RULES, "two/deeper/other-name.yml")))
    assert a.ruleset.digest == b.ruleset.digest
    assert a.ruleset.digest.startswith("sha256:") and len(a.ruleset.digest) == len("sha256:") + 64
    assert a.extract("5")[0].ruleset == a.ruleset.digest


def test_digest_changes_when_content_changes(write_rules):
    path = write_rules(RULES)
    before = ruleie.load(str(path)).ruleset.digest
    path.write_text(RULES.replace(r"/\d+/", r"/\d{2}/"), encoding="utf-8")
    after = ruleie.load(str(path)).ruleset.digest
    assert before != after
    path.write_text(RULES + "# a comment\n", encoding="utf-8")
    assert ruleie.load(str(path)).ruleset.digest not in (before, after)


def test_digest_changes_when_an_imported_file_changes(write_rules):
    write_rules("lexicons:\n  q: [about]\n", "lex.yml")
    main = write_rules("imports: [lex.yml]\nrules:\n  - id: n\n    label: NUM\n    pattern: $q /\\d+/\n", "main.yml")
    before = ruleie.load(str(main)).ruleset.digest
    write_rules("lexicons:\n  q: [roughly]\n", "lex.yml")
    assert ruleie.load(str(main)).ruleset.digest != before


def test_digest_changes_when_a_text_lexicon_file_changes(write_rules, tmp_path):
    """The text lexicon is part of the rules: other entries, other rules, other digest."""
    (tmp_path / "orgs.txt").write_text("Acme\n", encoding="utf-8")
    path = write_rules("lexicons:\n  orgs: {file: orgs.txt}\nrules:\n  - id: o\n    label: ORG\n    pattern: $orgs\n")
    first = ruleie.load(str(path))
    (tmp_path / "orgs.txt").write_text("Zenith\n", encoding="utf-8")
    second = ruleie.load(str(path))
    text = "Acme and Zenith"
    assert [e.text for e in first.extract(text)] != [e.text for e in second.extract(text)]
    assert first.ruleset.digest != second.ruleset.digest


def test_rule_line_is_the_line_of_its_id_entry(write_rules):
    text = (
        "# numbers\n"               # 1
        "ruleset: t\n"              # 2
        "rules:\n"                  # 3
        "\n"                        # 4
        "  # the first rule\n"      # 5
        "  - id: first\n"           # 6
        "    label: NUM\n"          # 7
        "    pattern: /\\d+/\n"     # 8
        "  - id: second\n"          # 9
        "    label: WORD\n"         # 10
        "    pattern: >\n"          # 11
        "      acme\n"              # 12
        "\n"                        # 13
        "  - id: third\n"           # 14
        "    label: WORD\n"         # 15
        "    pattern: zenith\n"     # 16
    )
    path = write_rules(text)
    ex = ruleie.load(str(path))
    assert {r.id: r.line for r in ex.rules} == {"first": 6, "second": 9, "third": 14}
    assert {r.id: r.file for r in ex.rules} == {"first": str(path), "second": str(path), "third": str(path)}
    lines = path.read_text(encoding="utf-8").splitlines()
    for rule in ex.rules:
        assert lines[rule.line - 1].strip() == f"- id: {rule.id}"
    record = ex.extract("Acme 7")[1]
    assert (record.rule_id, record.rule_file, record.rule_line) == ("first", str(path), 6)
    assert record.to_dict()["rule"] == {"id": "first", "file": str(path), "line": 6}


def test_directory_of_rules_uses_display_paths(write_rules, tmp_path):
    write_rules(RULES, "pack/a.yml")
    write_rules("not: rules\n", "pack/notes.txt")
    ex = ruleie.load(str(tmp_path / "pack"))
    assert [r.file for r in ex.rules] == [f"{tmp_path}/pack/a.yml"]


def test_bundled_rules_find_more_than_250(bundled):
    records = [e for e in bundled.extract("More than 250 people were killed.") if e.label == "NUMBER"]
    assert ("More than 250", 0, 13) in [(e.text, e.start, e.end) for e in records]
    assert all(e.rule_file.startswith("rules/") for e in records)
