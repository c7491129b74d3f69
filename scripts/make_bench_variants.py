#!/usr/bin/env python3
"""Builds a bigger benchmark corpus from a smaller one, streaming, in constant memory.

Variant v (0 .. N-1) of every record has each ASCII letter of its text shifted by v
places in the alphabet (a Caesar shift; variant 0 is the original) and "-vV" appended
to its id. Words of different variants differ, so variants share no shingles, while each
variant keeps the original's near-duplicate structure, boilerplate and document sizes:
the result is N independent copies of the workload, for measuring how the cost grows.

By default the variants are interleaved (the N variants of the first record, then of
the second, ...), so that any stretch of the output looks like the whole, as a corpus
drawn from the generator at the larger size would. `--blocks` writes all of variant 0,
then all of variant 1, ...: a corpus whose sources change as it goes (the ordering a
time-ordered feed can have), which is harder on the scan's provisional boilerplate.

    python3 scripts/make_bench_variants.py IN.jsonl N [--blocks] > OUT.jsonl
"""
import argparse
import json
import string
import sys


def shift_table(v):
    lo, up = string.ascii_lowercase, string.ascii_uppercase
    return str.maketrans(lo + up, lo[v:] + lo[:v] + up[v:] + up[:v])


def variant(rec, v, table):
    out = dict(rec)
    out["id"] = f"{rec['id']}-v{v}"
    out["text"] = rec["text"].translate(table)
    return json.dumps(out, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("n", type=int)
    ap.add_argument("--blocks", action="store_true", help="all of each variant in turn")
    args = ap.parse_args()
    tables = [shift_table(v % 26) for v in range(args.n)]
    out = sys.stdout
    if args.blocks:
        for v, table in enumerate(tables):
            with open(args.src, encoding="utf-8") as f:
                for line in f:
                    out.write(variant(json.loads(line), v, table))
    else:
        with open(args.src, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                for v, table in enumerate(tables):
                    out.write(variant(rec, v, table))


if __name__ == "__main__":
    main()
