"""``python -m bench``: ruleie's throughput, its growth curves and its memory, on a generated
news corpus. ``python -m bench --help`` lists the options; docs/performance.md explains
the figures."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from .runner import BenchError
from .suite import Options, Suite

_REALNEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "realnews" / "docs.jsonl"
STEPS = ("startup", "throughput", "digits", "spacy", "parallel", "peers", "docsize", "lexicon", "rules", "memory")


def _numbers(kind):
    return lambda text: [kind(x) for x in text.split(",") if x]


def parse(argv: list[str]) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="ruleie's throughput against a bare regex scan and spaCy, its growth curves (text size, "
                    "lexicon size, rule count) and its memory, on a generated news corpus.",
    )
    parser.add_argument("--size", type=float, help="corpus size in MB of text (default 20; 2 with --small)")
    parser.add_argument("--small", action="store_true",
                        help="a quick run: 2 MB corpus, 0.25 MB curve texts, memory at 1 and 10 MB")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--curve-mb", type=float, help="text for the lexicon and rule curves, MB (default 1; 0.25 with --small)")
    parser.add_argument("--lexicon-sizes", type=_numbers(int), default=[1_000, 10_000, 100_000],
                        help="entries of the generated lexicon (default 1000,10000,100000)")
    parser.add_argument("--rule-counts", type=_numbers(int), default=[10, 100, 1_000],
                        help="rules in the generated rule file (default 10,100,1000)")
    parser.add_argument("--doc-sizes", type=_numbers(int), help="characters of the one-document curve (default 16000,64000,256000,1000000)")
    parser.add_argument("--mem-sizes", type=_numbers(float), help="MB fed to `ruleie extract` (default 5,50; 1,10 with --small)")
    parser.add_argument("--mem-input", choices=("jsonl", "dir"), default="jsonl",
                        help="feed the CLI one JSONL file or a directory of .txt files")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the extract_parallel figure (0 or 1: skip)")
    parser.add_argument("--peer-mb", type=float, help="MB of the generated corpus the peers read (default 0.5; 0.1 with --small)")
    parser.add_argument("--realnews", type=Path, default=_REALNEWS,
                        help="a JSONL file of real news (id, text) the peers also read (default: shared/realnews beside the checkout)")
    parser.add_argument("--skip", type=lambda t: set(t.split(",")) - {""}, default=set(),
                        help=f"comma-separated steps to leave out: {', '.join(STEPS)} "
                             "(without throughput, the digits, spacy, parallel and text-size figures are left out too)")
    parser.add_argument("--workdir", type=Path, help="keep the generated corpora and rules here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    unknown = args.skip - set(STEPS)
    if unknown:
        parser.error(f"unknown step(s) for --skip: {', '.join(sorted(unknown))}")
    small = args.small
    options = Options(
        size_mb=_given(args.size, 2.0 if small else 20.0), seed=args.seed,
        curve_mb=_given(args.curve_mb, 0.25 if small else 1.0),
        lexicon_sizes=args.lexicon_sizes, rule_counts=args.rule_counts,
        doc_sizes=_given(args.doc_sizes, [16_000, 64_000, 256_000] if small else [16_000, 64_000, 256_000, 1_000_000]),
        mem_sizes_mb=_given(args.mem_sizes, [1.0, 10.0] if small else [5.0, 50.0]),
        mem_input=args.mem_input, jobs=args.jobs, skip=args.skip,
        peer_mb=_given(args.peer_mb, 0.1 if small else 0.5), realnews=args.realnews,
    )
    return options, args


def _given(value, default):
    return default if value is None else value


def main(argv: list[str] | None = None) -> int:
    options, args = parse(sys.argv[1:] if argv is None else argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ruleie-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = Suite(options, workdir).run()
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
