#!/usr/bin/env python3
"""What the passage map adds to the document scan: alternated whole and `--no-passages` scans.

    python3 scripts/passage_ratio.py BUILD [BUILD ...] [--runs N] [--threads T]
                                     [--corpus FILE]

Each round runs, for every build in the order given, the whole scan and then the
document-level scan (`--no-passages`) on the same corpus (`dupmap scan CORPUS -o REPORT
-q --threads T`, RAYON_NUM_THREADS=T, timed by /usr/bin/time). After N rounds it prints,
for each build, the medians of wall and CPU seconds (user + system) and peak RSS of both
scans, and what the passages add, `(whole - document) / document`, two ways: from the
medians, and as the median of each round's own ratio (a whole scan and the document scan
run just after it, which a machine whose speed drifts during the rounds reads better).
Issue 5's target is that the passages add at most 2 times the document scan's time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile


def timed(build: str, corpus: str, threads: int, extra: list[str], out: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS in MB of one scan."""
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    cmd = ["/usr/bin/time", "-f", "TIME %e %U %S %M", build, "scan", corpus, "-o", out, "-q",
           "--threads", str(threads), *extra]
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit(f"passage_ratio: {build} failed:\n{run.stderr}")
    for line in run.stderr.splitlines():
        if line.startswith("TIME "):
            wall, user, system, rss_kb = map(float, line.split()[1:])
            return wall, user + system, rss_kb / 1024
    sys.exit(f"passage_ratio: no timing from /usr/bin/time for {build}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("builds", nargs="+", help="dupmap binaries to compare")
    ap.add_argument("--runs", type=int, default=7, help="rounds (default 7)")
    ap.add_argument("--threads", type=int, default=1, help="threads (default 1)")
    ap.add_argument("--corpus", default="bench-data/b100k/corpus.jsonl")
    args = ap.parse_args()
    if not os.path.exists(args.corpus):
        print(f"passage_ratio: no corpus at {args.corpus} (see scripts/make_bench.py)", file=sys.stderr)
        return 2
    out = os.path.join(tempfile.gettempdir(), "passage_ratio.json")
    # figures[build][mode] = [(wall, cpu, rss), ...], one a round
    figures = {b: {"whole": [], "doc": []} for b in args.builds}
    for r in range(args.runs):
        for build in args.builds:
            figures[build]["whole"].append(timed(build, args.corpus, args.threads, [], out))
            figures[build]["doc"].append(timed(build, args.corpus, args.threads, ["--no-passages"], out))
        print(f"round {r + 1} of {args.runs} done", file=sys.stderr)
    median = statistics.median
    print(f"{args.runs} alternated rounds, {args.threads} thread(s), {args.corpus}")
    for build in args.builds:
        whole, doc = figures[build]["whole"], figures[build]["doc"]
        print(build)
        for k, name in ((0, "wall s"), (1, "CPU s")):
            w, d = median(x[k] for x in whole), median(x[k] for x in doc)
            paired = median((x[k] - y[k]) / y[k] for x, y in zip(whole, doc))
            print(f"  {name:6}  whole {w:6.2f}  document {d:6.2f}  passages add {(w - d) / d:.2f}x"
                  f" (paired by round {paired:.2f}x)"
                  f"   whole: {' '.join(f'{x[k]:.2f}' for x in whole)}   document: {' '.join(f'{y[k]:.2f}' for y in doc)}")
        print(f"  peak RSS  whole {median(x[2] for x in whole):.0f} MB  document {median(y[2] for y in doc):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
