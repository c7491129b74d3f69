#!/usr/bin/env python3
"""Alternated scans with several dupmap builds: medians of wall, CPU, peak RSS and steps.

    python3 scripts/ab_scan.py BUILD [BUILD ...] [--runs N] [--threads T]
                               [--corpus FILE] [--extra "SCAN OPTIONS"]

Each round runs every build once, in the order given, on the same corpus with the same
options (`dupmap scan CORPUS -o REPORT -q --timings --threads T`, RAYON_NUM_THREADS=T,
timed by /usr/bin/time), so that a slow stretch of a shared or virtual machine falls on
all builds alike; after N rounds it prints, for each build, the median of each figure:
wall and CPU seconds (user + system), system seconds, peak RSS, and every stage and step
`--timings` prints. Builds whose reports should be the same can be compared with `cmp`
on the reports it leaves (REPORT-<i>.json, one per build, from the last round).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("builds", nargs="+", help="dupmap binaries to compare")
    ap.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    ap.add_argument("--threads", type=int, default=2, help="threads (default 2)")
    ap.add_argument("--corpus", default="bench-data/b100k/corpus.jsonl")
    ap.add_argument("--extra", default="", help="more scan options, e.g. '--no-passages'")
    ap.add_argument("--out", default=tempfile.gettempdir(), help="folder for the reports")
    args = ap.parse_args()
    if not os.path.exists(args.corpus):
        print(f"ab_scan: no corpus at {args.corpus} (see scripts/make_bench.py)", file=sys.stderr)
        return 2

    figures: list[dict[str, list[float]]] = [{} for _ in args.builds]
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
    for _ in range(args.runs):
        for i, build in enumerate(args.builds):
            report = os.path.join(args.out, f"ab_scan-{i}.json")
            cmd = ["/usr/bin/time", "-f", "TIME %e %U %S %M", build, "scan", args.corpus, "-o", report, "-q",
                   "--timings", "--threads", str(args.threads), *args.extra.split()]
            run = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if run.returncode != 0:
                print(f"ab_scan: {build} failed:\n{run.stderr}", file=sys.stderr)
                return 1
            got = figures[i]
            for line in run.stderr.splitlines():
                m = re.match(r"TIME (\S+) (\S+) (\S+) (\S+)", line)
                if m:
                    wall, user, system, rss_kb = map(float, m.groups())
                    for key, value in (("wall s", wall), ("cpu s", user + system), ("system s", system),
                                       ("peak rss MB", rss_kb / 1024)):
                        got.setdefault(key, []).append(value)
                m = re.match(r"dupmap:\s+(·?\s*\S.*?)\s+([\d.]+) s$", line)
                if m:
                    got.setdefault(m.group(1).strip(), []).append(float(m.group(2)))

    names = [os.path.basename(b) for b in args.builds]
    width = max(14, *(len(n) + 2 for n in names))
    keys = list(figures[0])
    print(f"{args.runs} alternated runs, {args.threads} thread(s), {args.corpus} {args.extra}".rstrip())
    print(f"{'median':<16}" + "".join(f"{n:>{width}}" for n in names))
    for key in keys:
        cells = []
        for got in figures:
            values = got.get(key)
            cells.append(f"{statistics.median(values):>{width}.3f}" if values else f"{'-':>{width}}")
        print(f"{key:<16}" + "".join(cells))
    for name, got in zip(names, figures):
        print(f"wall s of {name}: " + " ".join(f"{w:.2f}" for w in got.get("wall s", [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
