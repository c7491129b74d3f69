#!/usr/bin/env python3
"""Grid over `dupmap scan` options on a labelled benchmark; one line of figures per setting.

Usage:
    python3 scripts/tune_scan.py --bench bench-data/b2k [--bin target/release/dupmap] \
        --grid "--shingles words:3,words:5" --grid "--duplicate-threshold 0.5,0.7"

Each --grid names one option and its comma-separated values; every combination is run.
Prints precision, recall over all labelled duplicate pairs, recall against the original,
per-kind recall and the embedded-article recall, from scripts/eval_bench.py.
"""
import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "dupmap"))
    ap.add_argument("--grid", action="append", default=[])
    ap.add_argument("--extra", default="", help="options added to every run")
    args = ap.parse_args()
    axes = []
    for g in args.grid:
        opt, values = g.split(" ", 1)
        axes.append([(opt, v) for v in values.split(",")])
    kinds = ["syndicated", "boilerplate", "truncated", "dropped", "reordered", "copyedit", "reworded", "combined", "sibling"]
    print("setting | prec | rec | vs_orig | " + " ".join(k[:5] for k in kinds) + " | embed")
    with tempfile.TemporaryDirectory() as tmp:
        for combo in itertools.product(*axes) if axes else [()]:
            cmd = [args.bin, "scan", os.path.join(args.bench, "corpus.jsonl"), "--format", "json", "-q",
                   "-o", os.path.join(tmp, "r.json")] + args.extra.split()
            for opt, v in combo:
                cmd += [opt, v]
            subprocess.run(cmd, check=True)
            out = subprocess.run([sys.executable, os.path.join(HERE, "eval_bench.py"), "--truth",
                                  os.path.join(args.bench, "truth.json"), "--report", os.path.join(tmp, "r.json"),
                                  "--json"], check=True, capture_output=True, text=True).stdout
            m = json.loads(out)
            rk = m["recall_by_kind"]
            emb = m.get("recall_partial", {}).get("embedded", {})
            emb_r = emb.get("recall", 0)
            label = " ".join(f"{o} {v}" for o, v in combo) or "defaults"
            print(f"{label} | {m['precision']:.3f} | {m['recall_duplicate']:.3f} | {rk['vs_original']['recall']:.3f} | "
                  + " ".join(f"{rk.get(k, {}).get('recall', 0):.2f}" for k in kinds) + f" | {emb_r}", flush=True)


if __name__ == "__main__":
    main()
