#!/usr/bin/env python3
"""Evaluate `dupmap similarity` on the MSR Paraphrase Corpus, and refit its model.

    python3 scripts/eval_paraphrase.py [TSV] [--dupmap BIN] [--folds 10] [--seed 0] [--fit]

TSV is the corpus's tab-separated file (default: ../shared/paraphrase/msr_paraphrase_train.txt
relative to the repository). The pairs are written as JSONL to a temporary directory only
(never elsewhere: the corpus must not be copied into the project), scored by
`dupmap similarity --features` (`cargo run --release` unless --dupmap names a binary),
and the script prints:

- ROC AUC and accuracy of the shipped model's score and kinds (threshold as shipped),
  on all pairs and per cross-validation fold. The shipped coefficients were fitted on
  this corpus, so these figures are in-sample;
- stratified k-fold cross-validation (seeded) of a logistic regression refitted on
  dupmap's 13 features (z-scored on the training folds, L2 with C = 1, Newton's method,
  threshold maximising training accuracy): mean +- std of test AUC and accuracy;
- the same cross-validation for a word-set Jaccard baseline (NFKC, casefolded \\w+ words,
  threshold maximising training accuracy).

--fit refits on all pairs and prints raw coefficients, intercept and the threshold that
maximises accuracy, as Rust to paste into src/similarity/model.rs.

Python 3 standard library only.
"""

import argparse
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TSV = os.path.join(REPO, "..", "shared", "paraphrase", "msr_paraphrase_train.txt")
FEATURE_NAMES = [
    "acont_min_idf", "tricmax", "wed", "neg_asym", "num_miss_max", "unrun_max", "unm_prop_max",
    "soft_max", "lendiff", "cont_max", "prop_only", "log_unm_hapax", "unm_c_max",
]


def read_tsv(path):
    """(label, sentence 1, sentence 2) for each line after the header."""
    rows = []
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    for line in lines[1:]:
        if not line.strip():
            continue
        parts = line.split("\t")
        rows.append((int(parts[0]), parts[3], parts[4]))
    return rows


def run_dupmap(rows, dupmap):
    """Scores every pair with `dupmap similarity --features`; returns one record per row."""
    with tempfile.TemporaryDirectory(prefix="dupmap-eval-") as tmp:
        pairs = os.path.join(tmp, "pairs.jsonl")
        scores = os.path.join(tmp, "scores.jsonl")
        with open(pairs, "w", encoding="utf-8") as f:
            for i, (_, a, b) in enumerate(rows):
                f.write(json.dumps({"id": i, "a": a, "b": b}) + "\n")
        if dupmap:
            cmd = [dupmap]
        else:
            cmd = ["cargo", "run", "--release", "--quiet", "--"]
        cmd += ["similarity", "--features", pairs, "-o", scores]
        done = subprocess.run(cmd, cwd=REPO)
        if done.returncode not in (0, 1):
            sys.exit(f"eval_paraphrase: {' '.join(cmd)} failed with exit code {done.returncode}")
        with open(scores, encoding="utf-8") as f:
            out = [json.loads(line) for line in f]
    by_id = {r["id"]: r for r in out}
    missing = [i for i in range(len(rows)) if i not in by_id]
    if missing:
        sys.exit(f"eval_paraphrase: dupmap gave no line for {len(missing)} pairs (first: {missing[0]})")
    return [by_id[i] for i in range(len(rows))]


# --- metrics -------------------------------------------------------------------------

def auc(scores, labels):
    """ROC AUC (Mann-Whitney, ties counted half)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(labels)
    neg = len(labels) - pos
    rank_sum = sum(r for r, y in zip(ranks, labels) if y)
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def accuracy(predicted, labels):
    return sum(int(p) == y for p, y in zip(predicted, labels)) / len(labels)


def best_threshold(scores, labels):
    """The threshold t maximising the accuracy of `score >= t` (midway between scores)."""
    pairs = sorted(zip(scores, labels), reverse=True)
    correct = best = len(labels) - sum(labels)  # everything negative
    threshold = pairs[0][0] + 1.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            correct += 1 if pairs[j][1] else -1
            j += 1
        if correct > best:
            best = correct
            below = pairs[j][0] if j < len(pairs) else pairs[i][0] - 1.0
            threshold = (pairs[i][0] + below) / 2
        i = j
    return threshold


# --- logistic regression ---------------------------------------------------------------

def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def solve(a, b):
    """Solves a x = b (Gaussian elimination with partial pivoting); a is symmetric positive definite."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                row, pivot = m[r], m[c]
                for k in range(c, n + 1):
                    row[k] -= f * pivot[k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


class Scaler:
    """z-scores features with the training mean and (population) standard deviation."""

    def __init__(self, xs):
        n = len(xs)
        d = len(xs[0])
        self.mean = [sum(x[j] for x in xs) / n for j in range(d)]
        self.std = []
        for j in range(d):
            var = sum((x[j] - self.mean[j]) ** 2 for x in xs) / n
            self.std.append(math.sqrt(var) if var > 0 else 1.0)

    def __call__(self, x):
        return [1.0] + [(v - m) / s for v, m, s in zip(x, self.mean, self.std)]


def fit_logistic(xs, ys, l2=1.0, iterations=50):
    """Newton's method on the L2-penalised log-loss (intercept not penalised), z-scored
    inputs. Returns (weights on z-scores with the intercept first, scaler)."""
    scale = Scaler(xs)
    zs = [scale(x) for x in xs]
    d = len(zs[0])
    w = [0.0] * d
    for _ in range(iterations):
        grad = [l2 * w[j] if j else 0.0 for j in range(d)]
        hess = [[(l2 if (j == k and j) else 0.0) for k in range(d)] for j in range(d)]
        for z, y in zip(zs, ys):
            p = sigmoid(sum(a * b for a, b in zip(w, z)))
            r = p - y
            q = p * (1.0 - p)
            for j in range(d):
                zj = z[j]
                grad[j] += r * zj
                qz = q * zj
                row = hess[j]
                for k in range(j + 1):
                    row[k] += qz * z[k]
        for j in range(d):
            for k in range(j + 1, d):
                hess[j][k] = hess[k][j]
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return w, scale


def predict(w, scale, x):
    return sigmoid(sum(a * b for a, b in zip(w, scale(x))))


def raw_coefficients(w, scale):
    """(intercept, coefficients) on raw features."""
    coefs = [wj / s for wj, s in zip(w[1:], scale.std)]
    intercept = w[0] - sum(c * m for c, m in zip(coefs, scale.mean))
    return intercept, coefs


# --- baseline --------------------------------------------------------------------------

WORD = re.compile(r"\w+")


def word_jaccard(a, b):
    sa = set(WORD.findall(unicodedata.normalize("NFKC", a).casefold()))
    sb = set(WORD.findall(unicodedata.normalize("NFKC", b).casefold()))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


# --- evaluation ------------------------------------------------------------------------

def stratified_folds(labels, k, seed):
    rng = random.Random(seed)
    folds = [[] for _ in range(k)]
    for cls in (0, 1):
        idx = [i for i, y in enumerate(labels) if y == cls]
        rng.shuffle(idx)
        for n, i in enumerate(idx):
            folds[n % k].append(i)
    return [sorted(f) for f in folds]


def mean_std(values):
    return f"{statistics.mean(values):.4f} +- {statistics.pstdev(values):.4f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tsv", nargs="?", default=DEFAULT_TSV, help="MSR Paraphrase Corpus TSV")
    ap.add_argument("--dupmap", help="dupmap binary (default: cargo run --release)")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fit", action="store_true", help="refit on all pairs and print Rust coefficients")
    args = ap.parse_args()

    if not os.path.isfile(args.tsv):
        sys.exit(f"eval_paraphrase: {args.tsv}: no such file (give the corpus TSV as the first argument)")
    rows = read_tsv(args.tsv)
    labels = [r[0] for r in rows]
    started = time.time()
    records = run_dupmap(rows, args.dupmap)
    elapsed = time.time() - started
    feats = [r["features"] for r in records]
    scores = [r["score"] for r in records]
    shipped = [r["kind"] != "different" for r in records]
    jacc = [word_jaccard(a, b) for _, a, b in rows]
    print(f"{len(rows)} pairs, {sum(labels)} paraphrases; dupmap similarity took {elapsed:.1f} s")
    print(f"majority class accuracy {max(sum(labels), len(labels) - sum(labels)) / len(labels):.4f}")
    print()
    print("shipped model, all pairs (in-sample: fitted on this corpus)")
    print(f"  AUC {auc(scores, labels):.4f}  accuracy {accuracy(shipped, labels):.4f}")

    if args.fit:
        w, scale = fit_logistic(feats, labels)
        probs = [predict(w, scale, x) for x in feats]
        threshold = best_threshold(probs, labels)
        intercept, coefs = raw_coefficients(w, scale)
        print()
        print("refit on all pairs (in-sample)")
        print(f"  AUC {auc(probs, labels):.4f}  accuracy {accuracy([p >= threshold for p in probs], labels):.4f}")
        print()
        print("    pub const SHIPPED: Model = Model {")
        print(f"        intercept: {intercept:.6},")
        print("        coefficients: [")
        for c, name in zip(coefs, FEATURE_NAMES):
            print(f"            {c:.6}, // {name}")
        print("        ],")
        print(f"        threshold: {threshold:.6},")
        print("    };")
        return

    folds = stratified_folds(labels, args.folds, args.seed)
    cv = {"shipped": ([], []), "refit": ([], []), "jaccard": ([], [])}
    for test in folds:
        in_test = set(test)
        train = [i for i in range(len(rows)) if i not in in_test]
        ytr = [labels[i] for i in train]
        yte = [labels[i] for i in test]

        cv["shipped"][0].append(auc([scores[i] for i in test], yte))
        cv["shipped"][1].append(accuracy([shipped[i] for i in test], yte))

        w, scale = fit_logistic([feats[i] for i in train], ytr)
        ptr = [predict(w, scale, feats[i]) for i in train]
        t = best_threshold(ptr, ytr)
        pte = [predict(w, scale, feats[i]) for i in test]
        cv["refit"][0].append(auc(pte, yte))
        cv["refit"][1].append(accuracy([p >= t for p in pte], yte))

        t = best_threshold([jacc[i] for i in train], ytr)
        cv["jaccard"][0].append(auc([jacc[i] for i in test], yte))
        cv["jaccard"][1].append(accuracy([jacc[i] >= t for i in test], yte))

    print()
    print(f"{args.folds}-fold stratified cross-validation (seed {args.seed}), test folds: mean +- std")
    labels_cv = {
        "shipped": "shipped model (threshold as shipped)",
        "refit": "logistic regression refit on dupmap's 13 features",
        "jaccard": "baseline: word-set Jaccard",
    }
    for key, label in labels_cv.items():
        a, c = cv[key]
        print(f"  {label:52s} AUC {mean_std(a)}  accuracy {mean_std(c)}")


if __name__ == "__main__":
    main()
