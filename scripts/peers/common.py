"""Shared helpers for the peer runners (scripts/bench-peers).

Every peer gets the same input: the corpus JSONL, each document lowercased and split
into words like re.findall(r"\\w+", text.lower()), shingled into word 5-grams joined
with single spaces. Documents are processed in batches so that the shingle lists of
the whole corpus are never held at once; each batch is inserted into the peer's LSH
index and then queried, keeping candidates with a smaller key, so every candidate pair
(i, j) is reported exactly once (when the later of the two is queried).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time

WORD = re.compile(r"\w+")
K = 5
NUM_PERM = 128
THRESHOLD = 0.5
BATCH = 5000


def args(desc: str):
    ap = argparse.ArgumentParser(description=desc)
    ap.add_argument("corpus")
    ap.add_argument("out", help="pairs JSONL")
    ap.add_argument("--batch", type=int, default=BATCH)
    return ap.parse_args()


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def shingles(ws: list[str]) -> list[str]:
    if len(ws) < K:
        return [" ".join(ws)] if ws else []
    return [" ".join(ws[i:i + K]) for i in range(len(ws) - K + 1)]


def batches(path: str, size: int):
    """Yield lists of (doc_id, words) read from the corpus JSONL."""
    batch = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            batch.append((str(d["id"]), words(d.get("text") or "")))
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


class PairWriter:
    def __init__(self, path: str):
        self.f = open(path, "w", encoding="utf-8")
        self.n = 0
        self.t0 = time.time()

    def write(self, a: str, b: str):
        self.f.write(json.dumps({"a": a, "b": b}) + "\n")
        self.n += 1

    def write_candidates(self, ids: list[str], start: int, candidates):
        """Writes the pairs of a queried batch: `candidates[k]` are the keys found for
        document `start + k`; each pair is written once, by its later document."""
        for k, cands in enumerate(candidates):
            me = start + k
            for other in cands:
                if other < me:
                    self.write(ids[other], ids[me])

    def progress(self, docs: int):
        print(f"  {docs} docs, {self.n} pairs, {time.time() - self.t0:.0f} s", file=sys.stderr, flush=True)

    def close(self):
        self.f.close()
