#!/usr/bin/env python3
"""How the document scan's cost grows with the corpus: 10k, 100k and 1M documents.

    python3 scripts/bench_scaling.py [--bin target/release/dupmap] [--threads 1]
                                     [--runs 3] [--sizes 10k,100k,1m] [--blocks]

Scans each corpus `--runs` times with `scripts/perf-scan.sh` (`dupmap scan --no-passages`,
timed by /usr/bin/time) and prints, for each size, the median CPU seconds, wall seconds,
peak RSS, memory per document beyond the input file's size (which the texts it holds
come close to), MB per CPU-second, and the growth of the CPU time against the size
before (10.0x is linear for sizes ten times apart).

Corpora: bench-data/b10k and bench-data/b100k from scripts/make_bench.py (built here if
missing, with scripts/bench_sources.py for their sources), and the 1M corpus made of ten
variants of each 100k document by scripts/make_bench_variants.py (bench-data/b1m, or
bench-data/b1m-blocks with --blocks: variant after variant rather than interleaved).
The 1M corpus is 3.5 GB and its scan needs about 4.5 GB of memory: a benchmark for a
machine like the project's, not for CI.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd: list[str], **kw) -> None:
    print("[bench_scaling] " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def corpus(size: str, blocks: bool) -> str:
    """The corpus file for a size, built if missing."""
    if size in ("10k", "100k"):
        out = os.path.join(ROOT, "bench-data", f"b{size}")
        path = os.path.join(out, "corpus.jsonl")
        if not os.path.exists(path):
            if not os.path.exists(os.path.join(ROOT, "bench-data", "sources.jsonl")):
                run([sys.executable, "scripts/bench_sources.py"])
            docs = "10000" if size == "10k" else "100000"
            run([sys.executable, "scripts/make_bench.py", "--docs", docs, "--seed", "1", "--out", out])
        return path
    if size == "1m":
        base = corpus("100k", False)
        out = os.path.join(ROOT, "bench-data", "b1m-blocks" if blocks else "b1m")
        path = os.path.join(out, "corpus.jsonl")
        if not os.path.exists(path):
            os.makedirs(out, exist_ok=True)
            cmd = [sys.executable, "scripts/make_bench_variants.py", base, "10"] + (["--blocks"] if blocks else [])
            with open(path + ".part", "w", encoding="utf-8") as f:
                run(cmd, stdout=f)
            os.replace(path + ".part", path)
        return path
    raise SystemExit(f"bench_scaling: unknown size {size!r} (10k, 100k or 1m)")


def scan(binary: str, path: str, threads: int) -> dict[str, float]:
    report = os.path.join(ROOT, "bench-data", "scaling-report.json")
    out = subprocess.run(
        ["scripts/perf-scan.sh", binary, path, str(threads), report],
        check=True, cwd=ROOT, capture_output=True, text=True,
    ).stdout
    figures = dict(re.findall(r"(\w+)=([\d.]+)", out))
    if "cpu_s" not in figures:
        raise SystemExit(f"bench_scaling: no figures from perf-scan.sh for {path}:\n{out}")
    return {k: float(v) for k, v in figures.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "dupmap"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="10k,100k,1m")
    ap.add_argument("--blocks", action="store_true", help="the 1M corpus variant after variant")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"bench_scaling: no dupmap at {args.bin} (cargo build --release)", file=sys.stderr)
        return 2

    rows = []
    for size in args.sizes.split(","):
        path = corpus(size.strip().lower(), args.blocks)
        runs = [scan(args.bin, path, args.threads) for _ in range(args.runs)]
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        docs = sum(1 for _ in open(path, "rb"))
        rows.append((size, docs, median, sorted(r["cpu_s"] for r in runs)))

    print(f"\n{args.threads} thread(s), median of {args.runs} runs, {args.bin}\n")
    print("| documents | MB | CPU s (runs) | wall s | peak RSS MiB | KB a document beyond the input | MB per CPU-s | CPU growth |")
    print("|---|---|---|---|---|---|---|---|")
    before = None
    for size, docs, m, cpus in rows:
        beyond = (m["peak_rss_mb"] * 1024 * 1024 - m["corpus_mb"] * 1e6) / docs / 1000
        growth = f"{m['cpu_s'] / before[2]['cpu_s']:.1f}x for {docs / before[1]:.0f}x" if before else "-"
        runs = ", ".join(f"{c:.2f}" for c in cpus)
        print(
            f"| {docs:,} | {m['corpus_mb']:.0f} | {m['cpu_s']:.2f} ({runs}) | {m['wall_s']:.2f} | "
            f"{m['peak_rss_mb']:.0f} | {beyond:.2f} | {m['corpus_mb'] / m['cpu_s']:.1f} | {growth} |"
        )
        before = (size, docs, m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
