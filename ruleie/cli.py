"""The ``ruleie`` command line.

Exit status: 0 success; 1 some documents failed (or tests failed, or --strict warnings);
2 the rules or the command line are wrong (nothing is written).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sys
from contextlib import nullcontext
from typing import Any, Iterable, Iterator

import click

from . import __version__
from .emit import PartialOutput, StreamOutput, jsonl_line, tsv_header, tsv_line
from .errors import RuleErrors, RuleieError
from .events import event_records
from .extractor import Extraction, Extractor, load
from .inputs import MAX_DOC_BYTES, Document, ReadOptions, expand, read_documents
from .limits import DEFAULT_LIMITS, Limits
from .parallel import PARALLEL_FROM_BYTES, extract_parallel, usable_cores
from .run import extract_document
from .scan import DEFAULT_TIMEOUT

EXIT_DOCS_FAILED = 1
EXIT_RULES = 2


def _fail_rules(exc: RuleieError) -> None:
    errors = exc.errors if isinstance(exc, RuleErrors) else [exc]
    for error in errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in the rules; nothing was extracted.", err=True)
    sys.exit(EXIT_RULES)


def load_or_exit(rules: tuple[str, ...], timeout: float = DEFAULT_TIMEOUT, labels=None) -> Extractor:
    """The rules, under the limits given before the command name; on a bad rule set, its
    errors and exit status 2."""
    try:
        return load(*rules, timeout=timeout, labels=labels, limits=_limits())
    except RuleieError as exc:
        _fail_rules(exc)
        raise  # unreachable: _fail_rules exits


def _limits() -> Limits:
    """The limits given to the ``ruleie`` group (the defaults when called from Python)."""
    context = click.get_current_context(silent=True)
    return (context.find_object(Limits) if context else None) or DEFAULT_LIMITS


def _parse_date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2018-07-31") from None


def progress(items, label: str, length: int | None = None):
    """A progress bar on a terminal; nothing when standard error is piped."""
    if sys.stderr.isatty():
        return click.progressbar(items, length=length, label=label, file=sys.stderr)
    return nullcontext(items)


rules_option = click.option(
    "--rules", "rules", multiple=True, metavar="FILE_OR_DIR",
    help="Rule file or directory (repeatable); 'bundled' names the packs that ship with ruleie. Default: bundled.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ruleie")
@click.option("--max-rule-file-bytes", type=click.IntRange(min=1), default=DEFAULT_LIMITS.rule_file_bytes, show_default=True,
              help="Largest rule or lexicon file read.")
@click.option("--max-pattern-chars", type=click.IntRange(min=1), default=DEFAULT_LIMITS.pattern_chars, show_default=True,
              help="Longest pattern or macro, as written.")
@click.option("--max-nesting", type=click.IntRange(min=1), default=DEFAULT_LIMITS.nesting, show_default=True,
              help="Deepest nesting of groups in a pattern.")
@click.option("--max-repeat", type=click.IntRange(min=1), default=DEFAULT_LIMITS.repeat, show_default=True,
              help="Largest bound of a {m,n} repetition.")
@click.pass_context
def main(ctx: click.Context, max_rule_file_bytes: int, max_pattern_chars: int, max_nesting: int, max_repeat: int) -> None:
    """Rule-based information extraction with exact provenance.

    The --max-* options (given before the command) limit what rule files may hold."""
    ctx.obj = Limits(max_rule_file_bytes, max_pattern_chars, max_nesting, max_repeat)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@rules_option
@click.option("--labels", help="Comma-separated labels to output, e.g. NUMBER,ORG.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv", "csv", "html", "brat", "labelstudio"]), default="jsonl",
              show_default=True,
              help="html: one self-contained page (documents with their mentions highlighted). csv: one row per "
                   "extraction, value flattened. brat: a <stem>.ann and <stem>.txt per document into the -o directory. "
                   "labelstudio: Label Studio tasks with pre-annotations (JSON). See docs/integrations.md.")
@click.option("-o", "--output", type=click.Path(), help="Write here (atomically) instead of stdout; a directory for --format brat.")
@click.option("--doc-date", callback=_parse_date, help="Date to resolve relative dates against (YYYY-MM-DD).")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write document error records here instead of stderr.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text files.")
@click.option("--decode-errors", type=click.Choice(["strict", "replace"]), default="strict", show_default=True,
              help="replace: undecodable bytes become U+FFFD (offsets are into the decoded text).")
@click.option("--max-doc-bytes", type=click.IntRange(min=1), default=MAX_DOC_BYTES, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.001), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds a rule may spend matching at one place before it is reported.")
@click.option("--resume", is_flag=True, help="Continue a killed run of the same command (needs -o).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (jsonl, tsv, csv); the output is the same as with one. "
                   f"Default: every core when the input holds over {PARALLEL_FROM_BYTES // 1_000_000} MB "
                   "(where workers pay for their start-up), else 1.")
@click.option("--events", is_flag=True,
              help="jsonl: one record per agreement event (its mentions grouped, parties merged) instead of one per "
                   "mention. See docs/output.md.")
def extract(paths, rules, labels, fmt, output, doc_date, errors_path, encoding, decode_errors, max_doc_bytes, timeout, resume, jobs,
            events) -> None:
    """Extract mentions from PATHS (.txt files, directories, .jsonl, or - for stdin)."""
    _check_resume(resume, output, fmt)
    if events and fmt != "jsonl":
        raise click.UsageError("--events writes JSON records: use it with --format jsonl")
    from .integrations.formats import check_output, open_brat

    check_output(fmt, output)
    label_set = [label.strip() for label in labels.split(",")] if labels else None
    extractor = load_or_exit(rules, timeout, label_set)
    options = ReadOptions(encoding, decode_errors, max_doc_bytes)
    files = list(expand(list(paths)))
    length = None if any(f.endswith(".jsonl") for f in files) else len(files)
    out = open_brat(output) if fmt == "brat" else PartialOutput(output, resume) if output and output != "-" else StreamOutput(sys.stdout)
    documents = itertools.islice(read_documents(list(paths), options), out.skip, None)  # lazily: memory stays flat
    error_sink = open(errors_path, "a" if out.skip else "w", encoding="utf-8") if errors_path else sys.stderr
    tally = _Tally(error_sink)
    try:
        with progress(documents, "extracting", length and length - out.skip) as bar:
            if fmt == "html":
                out.write(_html_page(extractor, bar, doc_date, tally, f"ruleie extract {' '.join(paths)}"))
            elif fmt in ("brat", "labelstudio"):  # these need each document's text
                _write_annotations(fmt, out, extractor, bar, doc_date, tally)
            else:
                jobs = jobs or auto_jobs(files)
                results = _run(extractor, bar, doc_date) if jobs == 1 else extract_parallel(extractor, bar, jobs, doc_date)
                _write_records("events" if events else fmt, out, results, tally)
        out.commit()
    except BaseException:
        if not isinstance(out, PartialOutput) or not resume_possible(sys.exc_info()[1]):
            out.abandon()
        raise
    finally:
        if errors_path:
            error_sink.close()
    if tally.failures:
        click.echo(f"{tally.failures} of {tally.total} documents failed; see the error records.", err=True)
        sys.exit(EXIT_DOCS_FAILED)


def auto_jobs(files: list[str]) -> int:
    """Every core for an input over PARALLEL_FROM_BYTES, else one process: below that the
    workers' start-up costs more than they save. Standard input counts as small."""
    size = sum(os.path.getsize(f) for f in files if f != "-" and os.path.isfile(f))
    return usable_cores() if size > PARALLEL_FROM_BYTES else 1


def _check_resume(resume: bool, output: str | None, fmt: str) -> None:
    if resume and not output:
        raise click.UsageError("--resume continues the output file of a killed run: give it with -o FILE")
    if resume and fmt == "html":
        raise click.UsageError("--resume does not apply to --format html: the page is written whole at the end")
    if resume and fmt in ("brat", "labelstudio"):
        raise click.UsageError(f"--resume does not apply to --format {fmt}: the output is put in place whole at the end; run again")


class _Tally:
    """Counts the documents and writes the error record of each one that failed."""

    def __init__(self, error_sink):
        self.error_sink = error_sink
        self.total = self.failures = 0

    def succeeded(self, result: list[Extraction] | dict[str, Any]) -> bool:
        self.total += 1
        if isinstance(result, dict):
            self.failures += 1
            self.error_sink.write(jsonl_line(result))
            return False
        return True


def _write_records(fmt: str, out, results: Iterable[list[Extraction] | dict[str, Any]], tally: _Tally) -> None:
    """JSONL, TSV or CSV: one line per extraction (or, for "events", per agreement event),
    written as each document is done."""
    from .integrations.formats import csv_header, csv_line

    if fmt in ("tsv", "csv") and not out.skip:
        out.write(tsv_header() if fmt == "tsv" else csv_header())
    line = tsv_line if fmt == "tsv" else csv_line if fmt == "csv" else lambda extraction: jsonl_line(extraction.to_dict())
    for result in results:
        if not tally.succeeded(result):
            pass
        elif fmt == "events":
            for event in event_records(result, result[0].doc if result else "-"):
                out.write(jsonl_line(event))
        else:
            for extraction in result:
                out.write(line(extraction))
        out.document_done()


def _write_annotations(fmt: str, out, extractor: Extractor, documents: Iterable[Document], doc_date, tally: _Tally) -> None:
    """brat or Label Studio: these need each document's text beside its extractions."""
    from .integrations.formats import annotation_writer

    writer = annotation_writer(fmt, out, extractor.ruleset.digest)
    for document in documents:
        result = extract_document(extractor, document, doc_date)
        if tally.succeeded(result):
            writer.document(document.id, document.text, result)
        out.document_done()
    writer.close()


def resume_possible(exc: BaseException | None) -> bool:
    """Interrupted (Ctrl-C) runs keep their partial output for --resume; failed runs do not."""
    return isinstance(exc, KeyboardInterrupt)


def _html_page(extractor: Extractor, documents: Iterable[Document], doc_date, tally: _Tally, title: str) -> str:
    """The HTML report of the documents (the error records of those that failed go to the
    error sink too, as with the other formats). The page is written whole, so it cannot be
    resumed."""
    from .report import render_html

    def results() -> Iterator[tuple[str, str | None, list[Extraction] | dict[str, Any]]]:
        for document in documents:
            result = extract_document(extractor, document, doc_date)
            tally.succeeded(result)
            yield document.id, document.text, result

    return render_html(results(), title=title)


def _run(extractor: Extractor, documents: Iterable[Document], doc_date) -> Iterator[list[Extraction] | dict[str, Any]]:
    for document in documents:
        yield extract_document(extractor, document, doc_date)


@main.command()
@click.argument("rules", nargs=-1)
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are warnings.")
def check(rules, strict) -> None:
    """Load and compile RULES (default: the bundled packs); report every error and warning."""
    from .lint import lint

    extractor = load_or_exit(rules)
    warnings = lint(extractor)
    for warning in warnings:
        click.echo(str(warning), err=True)
    count = len(extractor.rules)
    click.echo(
        f"ok: {count} rule{'s' if count != 1 else ''} in {len(extractor.ruleset.tree.files)} files, "
        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, ruleset {extractor.ruleset.digest[:19]}"
    )
    if strict and warnings:
        sys.exit(1)


@main.command("test")
@click.argument("rules", nargs=-1)
@click.option("--rule", "rule_ids", multiple=True, metavar="ID", help="Only this rule's examples (repeatable).")
@click.option("--watch", is_flag=True, help="Run check and test again whenever a rule file changes (Ctrl-C stops).")
def test_command(rules, rule_ids, watch) -> None:
    """Run the examples embedded in RULES (default: the bundled packs)."""
    if watch:
        from .watch import watch as watch_rules

        watch_rules(rules, lambda: _check_and_test(rules, rule_ids))
        return
    failed = _check_and_test(rules, rule_ids)
    if failed is None:
        sys.exit(EXIT_RULES)
    if failed:
        sys.exit(1)


def _check_and_test(rules, rule_ids) -> int | None:
    """Load the rules and run their examples; the number of failures, None if they do not load."""
    from .examples import run_examples

    try:
        extractor = load(*rules, limits=_limits())
    except RuleieError as exc:
        for error in exc.errors if isinstance(exc, RuleErrors) else [exc]:
            click.echo(str(error), err=True)
        return None
    results = run_examples(extractor, set(rule_ids) or None)
    failed = [r for r in results if not r.ok]
    for result in failed:
        click.echo(result.report())
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return len(failed)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory) -> None:
    """Create a new rule pack in DIRECTORY, ready for `ruleie test DIRECTORY`."""
    from .scaffold import scaffold

    try:
        created = scaffold(directory)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"next: ruleie test {directory}")


@main.command()
@click.argument("source")
@rules_option
@click.option("--rule", "rule_id", metavar="ID", help="Explain this rule; say where it got furthest if it did not fire.")
@click.option("--label", help="Only extractions and candidates of this label.")
@click.option("--doc-date", callback=_parse_date, help="Date to resolve relative dates against (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def explain(source, rules, rule_id, label, doc_date, as_json) -> None:
    """Explain the extractions from SOURCE (a text, or a path to a file)."""
    from pathlib import Path

    from .explain import explain as run_explain
    from .explain import format_explanation

    extractor = load_or_exit(rules)
    if rule_id is not None and rule_id not in {r.id for r in extractor.rules}:
        raise click.BadParameter(f"no rule {rule_id!r} in the rules", param_hint="--rule")
    path = Path(source)
    text = path.read_text("utf-8-sig") if len(source) < 4096 and "\n" not in source and path.is_file() else source
    report = run_explain(extractor, text, doc_date, rule_id, label)
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_explanation(report))


@main.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True),
              help="Gold annotations: a directory of JSONL files (one per document stem) and/or brat .ann files, "
                   "a Label Studio JSON export (.json), a JSONL file of records, or one .ann file.")
@rules_option
@click.option("--labels", help="Comma-separated labels to score (others are left out of both sides).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--show", "show_errors", type=click.IntRange(min=0), default=30, show_default=True, help="How many errors to list.")
def eval_command(paths, gold_dir, rules, labels, as_json, show_errors) -> None:
    """Score extraction from PATHS against gold annotations."""
    from .evaluate import evaluate, format_report, load_gold

    label_set = [label.strip() for label in labels.split(",")] if labels else None
    extractor = load_or_exit(rules, labels=label_set)
    with progress(read_documents(list(paths)), "evaluating") as documents:
        gold = load_gold(gold_dir)
        if label_set:
            gold = {stem: [r for r in records if r["label"] in label_set] for stem, records in gold.items()}
        report = evaluate(extractor, documents, gold).to_dict()
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_report(report, show_errors))


@main.command("diff")
@click.argument("paths", nargs=-1, required=True)
@click.option("--old", "old_rules", multiple=True, required=True, metavar="RULES", help="The rules before the change (repeatable).")
@click.option("--new", "new_rules", multiple=True, required=True, metavar="RULES", help="The rules after the change (repeatable).")
@click.option("--json", "as_json", is_flag=True)
def diff_command(paths, old_rules, new_rules, as_json) -> None:
    """Extractions added, removed and changed by a rule change, over PATHS."""
    from .diff import diff, format_diff

    old, new = load_or_exit(old_rules), load_or_exit(new_rules)
    with progress(read_documents(list(paths)), "comparing") as documents:
        report = diff(old, new, documents)
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_diff(report))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@rules_option
@click.option("--json", "as_json", is_flag=True)
def coverage(paths, rules, as_json) -> None:
    """How often each rule fires over PATHS; lists the rules that never do."""
    from .diff import coverage as run_coverage
    from .diff import format_coverage

    extractor = load_or_exit(rules)
    with progress(read_documents(list(paths)), "running") as documents:
        report = run_coverage(extractor, documents)
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_coverage(report))


@main.command()
@click.option("--rules", "rules", metavar="DIR", help="The rule directory to edit (saves go here). Default: the bundled packs, read-only.")
@click.option("--with", "also", multiple=True, metavar="RULES", help="Rules loaded beside DIR, not edited (repeatable), e.g. bundled.")
@click.option("--text", "texts", multiple=True, metavar="FILE_OR_DIR", help="Documents to pick from in the page (repeatable).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback is warned about.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.001), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds a rule may spend matching at one place before it is reported.")
def serve(rules, also, texts, host, port, timeout) -> None:
    """A rule playground in the browser (needs: pip install "ruleie[serve]")."""
    from .serve import command

    command(rules, texts, also, host, port, timeout, _limits())


@main.command()
def schema() -> None:
    """Print the JSON Schema of rule files (for editors and CI)."""
    from .load import schema as rule_schema

    click.echo(json.dumps(rule_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
