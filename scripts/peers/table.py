"""Build the bench-peers table from the per-run files in --work.

For each --row SLUG LABEL: SLUG.status (ok | timeout | failed ... | not installed ...),
SLUG.time (/usr/bin/time -v output) and SLUG.eval.json (scripts/eval_bench.py --json).
Prints one Markdown table (each figure followed by its ratio to the --ref row) and
writes the same figures as JSON to --json-out.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import time


def parse_time(path: str) -> dict:
    out = {}
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return out
    for line in text.splitlines():
        k, _, v = line.strip().rpartition(": ")
        if k.startswith("Elapsed (wall clock) time"):
            secs = 0.0
            for part in v.split(":"):
                secs = secs * 60 + float(part)
            out["wall_s"] = secs
        elif k == "User time (seconds)":
            out["user_s"] = float(v)
        elif k == "System time (seconds)":
            out["sys_s"] = float(v)
        elif k == "Maximum resident set size (kbytes)":
            out["peak_rss_mb"] = int(v) / 1024
    if "user_s" in out:
        out["cpu_s"] = out["user_s"] + out["sys_s"]
    return out


def read(path: str, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return default


def row(work: str, slug: str, label: str, mb: float) -> dict:
    r = {"tool": label, "slug": slug, "status": read(os.path.join(work, slug + ".status"), "not run")}
    t = parse_time(os.path.join(work, slug + ".time"))
    if r["status"] == "ok":
        r.update({k: round(v, 3) for k, v in t.items()})
        r["mb_per_s"] = round(mb / t["wall_s"], 3) if t.get("wall_s") else None
        r["mb_per_cpu_s"] = round(mb / t["cpu_s"], 3) if t.get("cpu_s") else None
        ev = json.loads(read(os.path.join(work, slug + ".eval.json")))
        emb = (ev.get("recall_partial") or {}).get("embedded") or {}
        r.update({
            "pairs": ev["predicted_duplicate_pairs"],
            "overlap_pairs": ev["overlap_pairs"]["predicted"],
            "precision": ev["precision"],
            "recall": ev["recall_duplicate"],
            "recall_reworded": (ev["recall_by_kind"].get("reworded") or {}).get("recall"),
            "recall_embedded": emb.get("recall"),
            "recall_embedded_any_relation": emb.get("recall_any_relation"),
            "false_positives": ev["false_positives"],
        })
    elif t.get("wall_s") is not None:
        r["wall_s"] = round(t["wall_s"], 1)
    return r


COLS = [("MB/s", "mb_per_s", 1), ("MB/CPU-s", "mb_per_cpu_s", 1), ("CPU s", "cpu_s", 1),
        ("peak RSS MB", "peak_rss_mb", 0), ("pairs", "pairs", 0), ("precision", "precision", 3),
        ("recall", "recall", 3), ("reworded R", "recall_reworded", 3),
        ("embedded R", "recall_embedded", 3)]


def cell(v, ref, nd):
    if v is None:
        return "-"
    s = f"{v:,.{nd}f}" if nd else f"{round(v):,}"
    if ref:
        s += f" ({v / ref:.2f}x)"
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--ref", required=True, help="slug of the row ratios are taken against")
    ap.add_argument("--versions", default="[]", help="pip list --format=json of the peers' venv")
    ap.add_argument("--json-out", required=True)
    ap.add_argument("--row", nargs=2, action="append", metavar=("SLUG", "LABEL"), default=[])
    a = ap.parse_args()
    nbytes = os.path.getsize(a.corpus)
    mb = nbytes / 1e6
    docs = sum(1 for _ in open(a.corpus, "rb"))
    rows = [row(a.work, s, l, mb) for s, l in a.row]
    ref = next((r for r in rows if r["slug"] == a.ref and r["status"] == "ok"), {})
    for r in rows:
        r["ratio_to_ref"] = {k: (round(r[k] / ref[k], 3) if r.get(k) is not None and ref.get(k) else None)
                             for _, k, _ in COLS}
    print(f"corpus {a.corpus}: {docs:,} docs, {mb:,.1f} MB; {os.cpu_count()} CPUs; "
          f"ratios (in brackets) to {ref.get('tool', a.ref)}")
    print()
    print("| tool / setting | " + " | ".join(c for c, _, _ in COLS) + " |")
    print("|---|" + "---|" * len(COLS))
    for r in rows:
        if r["status"] != "ok":
            extra = f" after {r['wall_s']:.0f} s" if r["status"] == "timeout" and r.get("wall_s") else ""
            print(f"| {r['tool']} | {r['status']}{extra} |" + " |" * (len(COLS) - 1))
            continue
        print(f"| {r['tool']} | " + " | ".join(cell(r.get(k), ref.get(k), nd) for _, k, nd in COLS) + " |")
    print()
    print("peers report raw LSH candidates (gaoya filters them by estimated Jaccard >= 0.5); dupmap "
          "verifies. embedded R = embedded-article pairs reported as copies.")
    versions = {p["name"]: p["version"] for p in json.loads(a.versions or "[]")
                if p["name"] in ("datasketch", "rensa", "gaoya", "numpy", "scipy")}
    out = {"schema": "dupmap.bench-peers/1", "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "corpus": a.corpus, "docs": docs, "corpus_bytes": nbytes, "cpus": os.cpu_count(),
           "python": platform.python_version(), "peer_versions": versions,
           "reference": a.ref, "rows": rows}
    with open(a.json_out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {a.json_out}")


if __name__ == "__main__":
    main()
