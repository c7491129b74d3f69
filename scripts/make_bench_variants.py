#!/usr/bin/env python3
"""Builds a bigger benchmark corpus from a smaller one, streaming, in constant memory.

Variant v (0 .. N-1) of every record has each ASCII letter of its text shifted by v
places in the alphabet (a Caesar shift; variant 0 is the original) and "-vV" appended
to its id. Words of different variants differ, so variants share no shingles, while each
variant keeps the original's near-duplicate structure, boilerplate and document sizes:
the result is N independent copies of the workload, for measuring how the cost grows.

    python3 scripts/make_bench_variants.py IN.jsonl N > OUT.jsonl
"""
import json
import string
import sys


def shift_table(v):
    lo, up = string.ascii_lowercase, string.ascii_uppercase
    return str.maketrans(lo + up, lo[v:] + lo[:v] + up[v:] + up[:v])


def main():
    src, n = sys.argv[1], int(sys.argv[2])
    out = sys.stdout
    for v in range(n):
        table = shift_table(v % 26)
        with open(src, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                rec["id"] = f"{rec['id']}-v{v}"
                rec["text"] = rec["text"].translate(table)
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
