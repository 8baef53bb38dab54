"""The benchmark's steps, in order; each prints its figures as soon as it has them and
adds them to one results dict (``--json`` writes it)."""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import corpus, peers, rulegen
from .runner import load_average, run_cli_concurrently, run_command, run_task

MB = 1_000_000
TARGETS = {"lexicon": 1.5, "rules": 3.0, "memory": 1.2, "linear": 1.25}
STARTUP_TARGETS = {"load": 1.5, "extract": 2.0}  # seconds, fresh process (issue 15)
STARTUP_RUNS = 3


@dataclass
class Options:
    size_mb: float = 20.0
    seed: int = 7
    curve_mb: float = 1.0
    lexicon_sizes: list[int] = field(default_factory=lambda: [1_000, 10_000, 100_000])
    rule_counts: list[int] = field(default_factory=lambda: [10, 100, 1_000])
    doc_sizes: list[int] = field(default_factory=lambda: [16_000, 64_000, 256_000, 1_000_000])
    mem_sizes_mb: list[float] = field(default_factory=lambda: [5.0, 50.0])
    mem_input: str = "jsonl"
    jobs: int = 2
    peer_mb: float = 0.5
    realnews: Path | None = None
    skip: set[str] = field(default_factory=set)


PEERS = (("spacy_small", "spaCy small model, NER only"), ("spacy", "spaCy blank + EntityRuler"),
         ("recognizers", "Recognizers-Text (5 models)"))


def _rate(result: dict) -> float:
    return result["bytes"] / MB / result["cpu_s"]


def say(text: str = "") -> None:
    print(text, flush=True)


def _verdict(ratio: float, target: float) -> str:
    return f"target <= {target:g}x: {'PASS' if ratio <= target else 'MISS'}"


class Suite:
    def __init__(self, options: Options, workdir: Path):
        self.o = options
        self.work = workdir
        self.results: dict = {"options": {**options.__dict__, "skip": sorted(options.skip)}}

    def run(self) -> dict:
        self.header()
        self.make_corpus()
        if "startup" not in self.o.skip:
            self.startup()
        serial = "throughput" not in self.o.skip  # the other figures compare with it
        if serial:
            self.throughput()
        if serial and "digits" not in self.o.skip:
            self.digits()
        if serial and "spacy" not in self.o.skip:
            self.spacy()
        if serial and "parallel" not in self.o.skip and self.o.jobs > 1:
            self.parallel()
        if "peers" not in self.o.skip:
            self.peers()
        say("\nGrowth curves (CPU time of the extracting process; compile time apart)")
        if serial:
            self.linear()
        if "docsize" not in self.o.skip:
            self.document_size()
        if "lexicon" not in self.o.skip:
            self.lexicon()
        if "rules" not in self.o.skip:
            self.rules()
        if "memory" not in self.o.skip:
            self.memory()
        return self.results

    # -- setup ------------------------------------------------------------------------------

    def header(self) -> None:
        import os

        import regex

        import ruleie

        info = {"ruleie": ruleie.__version__, "python": platform.python_version(), "regex": regex.__version__,
                "cpus": os.cpu_count(), "machine": platform.machine(), "load_average_start": load_average()}
        self.results["environment"] = info
        say(f"ruleie benchmark: ruleie {info['ruleie']}, Python {info['python']}, regex {info['regex']}, "
            f"{info['cpus']} CPUs, load average {info['load_average_start']:.2f} at start")

    def make_corpus(self) -> None:
        start = time.perf_counter()
        self.corpus = self.work / "corpus.jsonl"
        docs, size = corpus.write_jsonl(self.corpus, corpus.generate(int(self.o.size_mb * MB), self.o.seed))
        self.results["corpus"] = {"docs": docs, "bytes": size, "seed": self.o.seed}
        say(f"corpus: {size / MB:.1f} MB of text, {docs:,} documents (seed {self.o.seed}, "
            f"generated in {time.perf_counter() - start:.1f} s) in {self.corpus}")

    # -- start-up ---------------------------------------------------------------------------

    def startup(self) -> None:
        """A fresh process loading the bundled packs, and one running `ruleie extract` on one
        short document: what every authoring command and every small job waits for. One run
        first fills the build cache (its time is shown apart: a new machine's first start)."""
        say("\nStart-up: fresh processes, bundled packs, the build cache filled by a first run")
        short = self.work / "short.txt"
        short.write_text("Acme Corp said on Monday it would buy 40 percent of Zenith Ltd for $3.5 million.\n", encoding="utf-8")
        commands = {"load": ["-c", "import ruleie; ruleie.load()"], "extract": ["-m", "ruleie", "extract", str(short)]}
        first = run_command(commands["load"])
        say(f"  first load (fills the cache, if it was empty) {first.cpu_s:.2f} s CPU, {first.wall_s:.2f} s wall")
        results = {"first_load": first.__dict__}
        for name, command in commands.items():
            runs = sorted((run_command(command) for _ in range(STARTUP_RUNS)), key=lambda u: u.cpu_s)
            middle = runs[len(runs) // 2]
            results[name] = {"cpu_s": middle.cpu_s, "wall_s": middle.wall_s, "runs": [u.__dict__ for u in runs]}
            target = STARTUP_TARGETS[name]
            verdict = "PASS" if middle.cpu_s <= target else "MISS"
            label = "import + load the packs" if name == "load" else "`ruleie extract` one doc"
            say(f"  {label:26s} {middle.cpu_s:.2f} s CPU, {middle.wall_s:.2f} s wall "
                f"(median of {STARTUP_RUNS}; target <= {target:g} s: {verdict})")
        self.results["startup"] = results

    # -- throughput -------------------------------------------------------------------------

    def throughput(self) -> None:
        say("\nThroughput: all bundled packs, extract + JSONL serialization, one process")
        r = run_task("ruleie", corpus=str(self.corpus), rules=[])
        self.serial = r
        mb = r["bytes"] / MB
        self.results["ruleie"] = r
        say(f"  compile (ruleie.load)       {r['compile_s']:.1f} s CPU (excluded below)")
        say(f"  ruleie                      {mb / r['elapsed_s']:.3f} MB/s wall, {mb / r['cpu_s']:.3f} MB/s CPU, "
            f"{r['docs'] / r['elapsed_s']:.1f} docs/s; {r['extractions']:,} extractions, {r['errors']} error records")
        say(f"  peak RSS                    {r['usage']['peak_rss_mb']:.0f} MB (after compiling: {r['rss_loaded_kb'] / 1024:.0f} MB)")
        if r.get("rss_kb"):
            steps = r["rss_kb"][:: max(1, len(r["rss_kb"]) // 8)]
            say("      peak RSS after " + ", ".join(f"{size / MB:.1f} MB: {kb / 1024:.0f}" for size, kb in steps) + " MB")

    def digits(self) -> None:
        r = run_task("digits", corpus=str(self.corpus))
        self.results["digits"] = r
        ratio = self.serial["cpu_s"] / r["cpu_s"]
        self.results["digits"]["ruleie_time_ratio"] = ratio
        say(f"  bare regex \\d+ scan         {r['bytes'] / MB / r['cpu_s']:.1f} MB/s CPU: ruleie takes {ratio:,.0f}x its time")

    def spacy(self) -> None:
        try:
            import spacy  # noqa: F401
        except ImportError:
            say("  spaCy                       skipped: not installed (pip install 'ruleie[bench]')")
            return
        r = run_task("spacy", corpus=str(self.corpus))
        ratio = self.serial["cpu_s"] / r["cpu_s"]
        r["ruleie_time_ratio"] = ratio
        self.results["spacy"] = r
        say(f"  spaCy blank+EntityRuler     {r['bytes'] / MB / r['elapsed_s']:.2f} MB/s wall, "
            f"{r['bytes'] / MB / r['cpu_s']:.2f} MB/s CPU, {r['docs'] / r['elapsed_s']:.0f} docs/s "
            f"({r['patterns']:,} patterns, built in {r['build_s']:.1f} s CPU): ruleie takes {ratio:.1f}x its time; "
            f"peak RSS {r['usage']['peak_rss_mb']:.0f} MB")
        self._records_floor(r["cpu_s"])

    def _records_floor(self, spacy_cpu: float) -> None:
        """What writing the records costs by itself, against the time 5x spaCy's speed allows."""
        budget, write = spacy_cpu / 5, self.serial["write_cpu_s"]
        out_mb = self.serial["output_bytes"] / MB
        self.results["records_floor"] = {"write_cpu_s": write, "budget_cpu_s": budget, "share_of_budget": write / budget}
        say(f"  records alone               to_dict + JSON of the {self.serial['extractions']:,} records ({out_mb:.1f} MB of JSONL, "
            f"{out_mb / (self.serial['bytes'] / MB):.1f}x the text): {write:.2f} s CPU, {write / budget:.0%} of the "
            f"{budget:.2f} s that 5x spaCy's speed allows for everything")

    def parallel(self) -> None:
        r = run_task("parallel", corpus=str(self.corpus), jobs=self.o.jobs)
        self.results["parallel"] = r
        same = r["output_sha256"] == self.serial["output_sha256"]
        serial = self.serial["elapsed_s"]
        steady = r["wall_s"] - r["first_result_s"]
        say(f"  extract_parallel jobs={r['jobs']}      wall {r['wall_s']:.1f} s vs serial {serial:.1f} s: "
            f"{serial / r['wall_s']:.2f}x; after the first result ({r['first_result_s']:.1f} s of worker start-up) "
            f"{serial / steady:.2f}x; output identical to serial: {'yes' if same else 'NO'}; "
            f"peak RSS (parent + workers, largest) {r['usage']['peak_rss_mb']:.0f} MB")
        r.update(speedup=serial / r["wall_s"], speedup_after_start=serial / steady, identical=same)

    # -- peers ------------------------------------------------------------------------------

    def peers(self) -> None:
        """ruleie against what users would run instead, each on the same texts: a slice of
        the generated corpus and, where it is given, the real-news set."""
        texts = {"generated": self._curve_corpus("peer_corpus.jsonl", mb=self.o.peer_mb)}
        if self.o.realnews and self.o.realnews.is_file():
            texts["real news"] = self.o.realnews
        self.results["peers"] = {}
        for name, path in texts.items():
            say(f"\nPeers on the {name} text ({path.name}), CPU time, JSONL rows for every system")
            own = run_task("ruleie", corpus=str(path), rules=[], time_matching=True)
            rows = {"ruleie": own}
            rest_cpu = own["cpu_s"] - own["matching_cpu_s"]
            say(f"  ruleie, all bundled packs     {_rate(own):.3f} MB/s CPU, {own['extractions']:,} extractions; "
                f"matching {own['matching_cpu_s'] / own['cpu_s']:.0%} of the CPU, the rest alone "
                f"{own['bytes'] / MB / rest_cpu:.3f} MB/s")
            for task, title in PEERS:
                if why := peers.missing(task):
                    say(f"  {title:<29} skipped: {why}")
                    continue
                r = run_task(task, corpus=str(path))
                r["ruleie_speed_ratio"] = r["cpu_s"] / own["cpu_s"]
                rows[task] = r
                r["rest_speed_ratio"] = r["cpu_s"] / rest_cpu
                found = r.get("entities", r.get("extractions", 0))
                say(f"  {title:<29} {_rate(r):.3f} MB/s CPU, {found:,} entities: ruleie is "
                    f"{r['ruleie_speed_ratio']:.2f}x its speed (with matching free: {r['rest_speed_ratio']:.2f}x)")
            self.results["peers"][name] = rows

    # -- curves -----------------------------------------------------------------------------

    def linear(self) -> None:
        marks = self.serial["checkpoints"]
        first_bytes, _, first_cpu = marks[0]
        last_bytes, _, last_cpu = marks[-1]
        rates = [cpu / size * MB for size, _, cpu in marks]
        ratio = (last_cpu / last_bytes) / (first_cpu / first_bytes)
        self.results["linear"] = {"s_per_mb": rates, "ratio": ratio}
        say(f"  (i) text size: CPU s per MB after {', '.join(f'{s / MB:.1f}' for s, _, _ in marks)} MB: "
            f"{', '.join(f'{x:.1f}' for x in rates)}; whole corpus vs first part {ratio:.2f}x "
            f"({_verdict(ratio, TARGETS['linear'])}, linear)")

    def document_size(self) -> None:
        r = run_task("single_doc", corpus=str(self.corpus), sizes=self.o.doc_sizes, rules=[])
        rows = r["sizes"]
        ratio = rows[-1]["cpu_s_per_mchar"] / rows[0]["cpu_s_per_mchar"]
        self.results["document_size"] = {**r, "ratio": ratio}
        sizes = ", ".join(f"{x['chars'] // 1000:,}K" for x in rows)
        costs = ", ".join(f"{x['cpu_s_per_mchar']:.1f}" for x in rows)
        say(f"      one document of {sizes} chars: CPU s per M chars {costs}; largest vs smallest {ratio:.2f}x "
            f"({_verdict(ratio, TARGETS['linear'])})")

    def _curve_corpus(self, name: str, names: list[str] | None = None, mb: float | None = None) -> Path:
        path = self.work / name
        records = corpus.read_jsonl(self.corpus, int((mb or self.o.curve_mb) * MB))
        corpus.write_jsonl(path, rulegen.inject_names(records, names) if names else records)
        return path

    def _curve(self, name: str, key: str, text: Path, counts: list[int], tree) -> tuple[list[dict], float, int]:
        """Extract ``text`` with the rule tree ``tree(count)`` builds, for each count; kept
        in the results as ``name``. The rows (``key``: the count), the last-to-first CPU
        ratio, and the bytes of text."""
        rows = []
        for n in counts:
            r = run_task("ruleie", corpus=str(text), rules=[str(tree(n))], count_anchors=True)
            rows.append({key: n, "peak_rss_mb": r["usage"]["peak_rss_mb"],
                         **{k: r[k] for k in ("compile_s", "elapsed_s", "cpu_s", "extractions", "anchor_hits", "rule_tries")}})
        ratio = rows[-1]["cpu_s"] / rows[0]["cpu_s"]
        self.results[name] = {"rows": rows, "ratio": ratio, "text_bytes": r["bytes"]}
        return rows, ratio, r["bytes"]

    def lexicon(self) -> None:
        sizes = self.o.lexicon_sizes
        text = self._curve_corpus("lexicon_corpus.jsonl", rulegen.names(min(1_000, min(sizes))))
        rows, ratio, size = self._curve("lexicon", "entries", text, sizes, lambda n: rulegen.lexicon_tree(self.work / f"lexicon_{n}", n))
        say(f"  (ii) lexicon rule, {size / MB:.1f} MB of text:")
        for row in rows:
            say(f"      {row['entries']:>7,} entries: compile {row['compile_s']:6.1f} s CPU, extract {row['cpu_s']:.2f} s CPU, "
                f"{row['anchor_hits']:,} anchor hits, {row['extractions']:,} extractions, peak RSS {row['peak_rss_mb']:.0f} MB")
        say(f"      {sizes[-1]:,} vs {sizes[0]:,} entries: {ratio:.2f}x ({_verdict(ratio, TARGETS['lexicon'])})")

    def rules(self) -> None:
        counts = self.o.rule_counts
        text = self._curve_corpus("rules_corpus.jsonl")
        rows, ratio, size = self._curve("rules", "rules", text, counts, lambda n: rulegen.rules_tree(self.work / f"rules_{n}", n))
        say(f"  (iii) keyword-anchored rules, {size / MB:.1f} MB of text:")
        for row in rows:
            say(f"      {row['rules']:>7,} rules: compile {row['compile_s']:6.1f} s CPU, extract {row['cpu_s']:.2f} s CPU, "
                f"{row['anchor_hits']:,} anchor hits, {row['rule_tries']:,} rule tries, {row['extractions']:,} extractions")
        say(f"      {counts[-1]:,} vs {counts[0]:,} rules: {ratio:.2f}x ({_verdict(ratio, TARGETS['rules'])})")

    def memory(self) -> None:
        inputs = []
        for size in self.o.mem_sizes_mb:
            records = corpus.generate(int(size * MB), self.o.seed)
            if self.o.mem_input == "dir":
                path = self.work / f"mem_{size:g}MB"
                corpus.write_directory(path, records)
            else:
                path = self.work / f"mem_{size:g}MB.jsonl"
                corpus.write_jsonl(path, records)
            inputs.append(path)
        say(f"  (iv) memory: `ruleie extract` on {self.o.mem_input} inputs of "
            f"{', '.join(f'{s:g}' for s in self.o.mem_sizes_mb)} MB, run side by side ...")
        usages = run_cli_concurrently(inputs)
        ratio = usages[-1].peak_rss_mb / usages[0].peak_rss_mb
        self.results["memory"] = {"input": self.o.mem_input, "runs": [{"mb": s, **u.__dict__} for s, u in zip(self.o.mem_sizes_mb, usages)], "ratio": ratio}
        for size, usage in zip(self.o.mem_sizes_mb, usages):
            say(f"      {size:g} MB: peak RSS {usage.peak_rss_mb:.0f} MB, {usage.wall_s:.0f} s wall, {usage.cpu_s:.0f} s CPU")
        say(f"      {self.o.mem_sizes_mb[-1]:g} MB vs {self.o.mem_sizes_mb[0]:g} MB: {ratio:.3f}x ({_verdict(ratio, TARGETS['memory'])})")
