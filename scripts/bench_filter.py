#!/usr/bin/env python3
"""Benchmark of `dupmap filter` and its index (not a test: it prints figures).

Generates news-sized articles from the benchmark sources (scripts/bench_sources.py
writes bench-data/sources.jsonl): each article is 12-30 sentences drawn from the whole
pool of source sentences, with one word in ten replaced, and a time two seconds after
the previous one. Then:

1. base:    --base documents (default 1,000,000) streamed through `dupmap filter
            --index` to build the index (the build rate is printed too);
2. stats:   `dupmap index stats`: memory per document and load time;
3. stream:  --stream further documents (default 100,000), a third of them light edits of
            earlier documents, filtered against that index: documents per second, CPU
            seconds, peak RSS; load time is measured apart and subtracted;
4. latency: --latency documents sent one at a time to `dupmap filter --line-buffered
            --annotate` (every document answered)
            against the same index; p50/p99 of the time from writing a line to reading
            its answer (driver overhead included);
5. window:  with --window-gb G, a G-gigabyte stream through `--time-field --window`
            with RSS sampled every second, to show memory staying flat.

Usage:
  python3 scripts/bench_filter.py [--base N] [--stream N] [--latency N]
      [--estimate | --exact] [--window-gb G] [--dupmap target/release/dupmap]
Data goes to bench-data/filter/ (gitignored). Run on an otherwise idle machine.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
OUT = DATA / "filter"
T0 = 1_700_000_000


def sentences():
    pool = []
    with open(DATA / "sources.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            body = rec.get("body")
            if not body:
                continue
            for s in re.split(r"(?<=[.!?])\s+", body):
                if 6 <= len(s.split()) <= 60:
                    pool.append(s)
    return pool


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.pool = sentences()
        self.vocab = sorted({w for s in self.pool[:5000] for w in s.split()})

    def article(self):
        rng = self.rng
        out = []
        for s in rng.sample(self.pool, rng.randint(12, 30)):
            words = s.split()
            for k in range(len(words)):
                if rng.random() < 0.1:
                    words[k] = rng.choice(self.vocab)
            out.append(" ".join(words))
        return " ".join(out)

    def edit(self, text):
        rng = self.rng
        words = text.split()
        n = len(words)
        # Drop a stretch, change a few words, add a headline.
        start = rng.randrange(n)
        del words[start:start + rng.randint(0, n // 10)]
        for _ in range(rng.randint(1, 5)):
            if words:
                words[rng.randrange(len(words))] = rng.choice(self.vocab)
        return "UPDATE: " + " ".join(words)


def write_feed(path, n, gen, start, copies_from=None, copy_share=0.0, keep=None):
    """Writes n articles; returns the texts kept for copying (a sample)."""
    kept = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            k = start + i
            if copies_from and gen.rng.random() < copy_share:
                text = gen.edit(gen.rng.choice(copies_from))
            else:
                text = gen.article()
            if keep and gen.rng.random() < keep:
                kept.append(text)
            f.write(json.dumps({"id": f"n{k}", "published_at": T0 + 2 * k, "text": text}) + "\n")
    return kept


def timed(cmd, stdin=None, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v; returns (wall s, cpu s, peak RSS MB, stderr)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    err = p.stderr
    def field(name):
        m = re.search(rf"{name}: ([\d.:]+)", err)
        return m.group(1) if m else "0"
    cpu = float(field("User time \\(seconds\\)")) + float(field("System time \\(seconds\\)"))
    rss = int(field("Maximum resident set size \\(kbytes\\)")) / 1024
    return wall, cpu, rss, err


def stats(dupmap, idx):
    out = subprocess.run([dupmap, "index", "stats", str(idx)], capture_output=True, text=True, check=True).stdout
    docs = int(re.search(r"documents:\s+(\d+)", out).group(1))
    mem = int(re.search(r"memory:\s+(\d+) bytes", out).group(1))
    load = float(re.search(r"loaded in ([\d.]+) s", out).group(1))
    size = int(re.search(r"file:\s+(\d+) bytes", out).group(1))
    return docs, mem, load, size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=int, default=1_000_000)
    ap.add_argument("--stream", type=int, default=100_000)
    ap.add_argument("--latency", type=int, default=2000)
    ap.add_argument("--exact", action="store_true", help="exact verification (default: --estimate)")
    ap.add_argument("--window-gb", type=float, default=0.0)
    ap.add_argument("--dupmap", default=str(ROOT / "target/release/dupmap"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    dupmap = args.dupmap
    mode = [] if args.exact else ["--estimate"]
    tag = "exact" if args.exact else "estimate"
    OUT.mkdir(parents=True, exist_ok=True)
    gen = Generator(args.seed)

    base = OUT / f"base-{args.base}.jsonl"
    stream = OUT / f"stream-{args.base}-{args.stream}.jsonl"
    if not base.exists() or not stream.exists():
        t = time.perf_counter()
        kept = write_feed(base, args.base, gen, 0, keep=0.02)
        write_feed(stream, args.stream, gen, args.base, copies_from=kept, copy_share=1 / 3)
        print(f"generated {args.base} + {args.stream} articles in {time.perf_counter() - t:.0f} s")
    mb = base.stat().st_size / 1e6
    print(f"base: {args.base} documents, {mb:.0f} MB ({mb * 1e6 / args.base:.0f} bytes each); stream: {args.stream}")

    idx = OUT / f"base-{args.base}-{tag}.idx"
    if not idx.exists():
        wall, cpu, rss, _ = timed([dupmap, "filter", str(base), "--index", str(idx), "-q"] + mode)
        print(f"build ({tag}): {args.base / wall:,.0f} docs/s while growing, {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {rss:,.0f} MB")
    docs, mem, load, size = stats(dupmap, idx)
    print(f"index ({tag}): {docs:,} documents, memory {mem / 1e6:,.0f} MB = {mem / docs:,.0f} bytes per document, "
          f"file {size / 1e6:,.0f} MB, load {load:.2f} s")

    work = OUT / "work.idx"
    subprocess.run(["cp", str(idx), str(work)], check=True)
    admitted = OUT / "admitted.jsonl"
    with open(admitted, "w") as out:
        wall, cpu, rss, err = timed([dupmap, "filter", str(stream), "--index", str(work)] + mode, stdout=out)
    held = re.search(r"(\d+) held back", err)
    net = wall - 2 * load  # the index is loaded at start and saved at the end
    print(f"stream ({tag}): {args.stream:,} documents against {docs:,}: {args.stream / wall:,.0f} docs/s overall, "
          f"{args.stream / max(net, 1e-9):,.0f} docs/s without load and save; {wall:.1f} s wall, {cpu:.1f} s CPU, "
          f"peak RSS {rss:,.0f} MB; held back {held.group(1) if held else '?'}")

    if args.latency:
        subprocess.run(["cp", str(idx), str(work)], check=True)
        p = subprocess.Popen([dupmap, "filter", "--line-buffered", "--annotate", "--index", str(work), "-q"] + mode,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        lines = []
        with open(stream, encoding="utf-8") as f:
            for _ in range(args.latency):
                lines.append(f.readline())
        # Warm-up: the first answer waits for the index to load.
        p.stdin.write(lines[0])
        p.stdin.flush()
        p.stdout.readline()
        lat = []
        for line in lines[1:]:
            t = time.perf_counter()
            p.stdin.write(line)
            p.stdin.flush()
            p.stdout.readline()
            lat.append((time.perf_counter() - t) * 1000)
        p.stdin.close()
        p.wait()
        lat.sort()
        q = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))]
        print(f"latency (--line-buffered, {tag}, {len(lat)} documents): p50 {q(0.5):.2f} ms, p90 {q(0.9):.2f} ms, "
              f"p99 {q(0.99):.2f} ms, max {lat[-1]:.2f} ms")

    if args.window_gb > 0:
        n = int(args.window_gb * 1e9 / (mb * 1e6 / args.base))
        feed = OUT / f"window-{n}.jsonl"
        if not feed.exists():
            write_feed(feed, n, Generator(args.seed + 1), 0)
        window_docs = 50_000
        cmd = [dupmap, "filter", str(feed), "--time-field", "published_at", "--window", f"{2 * window_docs}s", "-q"] + mode
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        samples = []
        t = time.perf_counter()
        while p.poll() is None:
            try:
                status = Path(f"/proc/{p.pid}/status").read_text()
                samples.append((time.perf_counter() - t, int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024))
            except (OSError, AttributeError):
                pass
            time.sleep(1)
        wall = time.perf_counter() - t
        gb = feed.stat().st_size / 1e9
        print(f"window: {n:,} documents ({gb:.2f} GB) with a window of {window_docs:,} documents' time, {wall:.0f} s "
              f"({gb * 1000 / wall:.0f} MB/s)")
        for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
            s = samples[min(len(samples) - 1, int(frac * (len(samples) - 1)))]
            print(f"  RSS at {s[0]:5.0f} s ({frac:>4.0%} of the run): {s[1]:,.0f} MB")


if __name__ == "__main__":
    main()
