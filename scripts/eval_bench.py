#!/usr/bin/env python3
"""Score dupmap (or any tool's) output against a make_bench.py ground truth.

Usage (Python 3.11+, standard library only):

    python3 scripts/eval_bench.py --truth DIR/truth.json --report out.json [--json]
    python3 scripts/eval_bench.py --truth DIR/truth.json --pairs pairs.jsonl [--json]

Inputs
  --report  a dupmap report: {"schema": "dupmap.report/1", "pairs": [{"a", "b",
            "relation": "duplicate"|"contains"|"contained_by"|"overlap", "jaccard",
            "containment_a", "containment_b", "passages": [{"a_start", "a_end",
            "b_start", "b_end", "kind", "score"}] (optional)}],
            "duplicate_clusters": [{"id", "representative", "members": [...]}]}
  --pairs   JSON lines {"a": id, "b": id} from any other tool; every line counts
            as a predicted duplicate (an optional "relation" and "passages" are
            honoured the same way as in a report).

Figures (pairs are unordered)
  precision   predicted duplicate pairs (relation duplicate/contains/
              contained_by) whose truth label is duplicate or partial, over
              all predicted duplicate pairs; a pair the truth does not list, or
              lists as a same_event "negative", is a false positive.
  recall      truth "duplicate" pairs found as predicted duplicate pairs,
              overall and per variant kind (a combined variant counts under
              each of its kinds and under "combined"; original-variant pairs
              together under "vs_original", variant-variant pairs under
              "sibling"); embedded and digest ("partial") pairs are
              reported separately, both as duplicate-relation recall and as
              any-relation recall (overlap included).
  overlap     precision of predicted "overlap" pairs (truth-listed = correct).
  passages    only when predicted pairs carry passages; PAN-plagdet-style
              character-level (UTF-8 byte) scores on both documents of each
              pair: recall = bytes of truth passages (duplicate and partial
              pairs) covered by predicted passages of the same pair, per truth
              passage kind; precision = bytes of predicted passages covered by
              any truth passage of the same pair (per kind: predicted passages
              attributed to the truth kind they overlap most); granularity =
              mean number of predicted passages touching a detected truth
              passage; plagdet = F1 / log2(1 + granularity). The same
              byte figures are also given by case of pair: whole-article copies,
              embedded articles, digest leads (precision there counts only
              predicted passages of labelled pairs of that case).
  clusters    predicted duplicate clusters whose members have no family in
              common (a digest or embedded document belongs to each family it
              quotes; a document outside families is its own family), and
              families whose whole-article members are split over several
              clusters (members in no cluster are ignored).

Pairs of a document with itself (relation "self") are ignored.
--json prints all figures as one JSON object instead of the text summary.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict

DUP_RELATIONS = {"duplicate", "contains", "contained_by"}
KIND_ORDER = ["vs_original", "syndicated", "boilerplate", "truncated", "dropped", "reordered", "copyedit",
              "reworded", "combined", "sibling"]
PASSAGE_KINDS = ["verbatim", "edited", "reworded"]


def key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def ratio(n: int, d: int):
    return round(n / d, 4) if d else None


def load_predictions(args):
    """Return {key: {"relation": str, "passages": list|None, "a": id}} and clusters."""
    pred = {}
    clusters = []
    if args.report:
        with open(args.report, encoding="utf-8") as f:
            rep = json.load(f)
        items = rep.get("pairs") or []
        clusters = rep.get("duplicate_clusters") or []
    else:
        items = []
        with open(args.pairs, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    items.append(json.loads(line))
    for p in items:
        a, b = str(p["a"]), str(p["b"])
        if a == b:
            continue
        rel = p.get("relation", "duplicate")
        k = key(a, b)
        prev = pred.get(k)
        entry = {"relation": rel, "a": a, "passages": p.get("passages")}
        # if a pair is listed twice keep the duplicate-type relation
        if prev is None or (rel in DUP_RELATIONS and prev["relation"] not in DUP_RELATIONS):
            pred[k] = entry
    return pred, clusters


# ------------------------------------------------------------------ intervals


def union(iv):
    iv = sorted((s, e) for s, e in iv if e > s)
    out = []
    for s, e in iv:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e])
    return out


def overlap_len(s, e, merged):
    n = 0
    for ms, me in merged:
        if me <= s:
            continue
        if ms >= e:
            break
        n += min(e, me) - max(s, ms)
    return n


def passage_scores(truth_pairs, pred):
    has_any = any(v["passages"] for v in pred.values())
    if not has_any:
        return None
    rec_tot = Counter()
    rec_cov = Counter()
    case_rec_tot = Counter()
    case_rec_cov = Counter()
    case_prec_tot = Counter()
    case_prec_cov = Counter()

    def case_of(tp):
        kinds = tp.get("kinds") or []
        for c in ("embedded", "digest"):
            if c in kinds:
                return c
        return "whole_article" if tp["label"] == "duplicate" else "other"

    prec_tot = Counter()
    prec_cov = Counter()
    all_pred_bytes = 0
    all_pred_cov = 0
    gran_sum = 0
    gran_n = 0
    truth_by_key = {key(p["a"], p["b"]): p for p in truth_pairs}
    # recall side: every duplicate/partial truth passage
    for k, tp in truth_by_key.items():
        if tp["label"] == "negative":
            continue
        pp = pred.get(k)
        pps = (pp or {}).get("passages") or []
        flip = bool(pp) and pp["a"] != tp["a"]
        pa = union([(q["b_start"], q["b_end"]) if flip else (q["a_start"], q["a_end"]) for q in pps])
        pb = union([(q["a_start"], q["a_end"]) if flip else (q["b_start"], q["b_end"]) for q in pps])
        for q in tp["passages"]:
            kind = q["kind"]
            for s, e, merged, side in ((q["a_start"], q["a_end"], pa, "a"),
                                       (q["b_start"], q["b_end"], pb, "b")):
                rec_tot[kind] += e - s
                c = overlap_len(s, e, merged)
                rec_cov[kind] += c
                case_rec_tot[case_of(tp)] += e - s
                case_rec_cov[case_of(tp)] += c
                if c and side == "a":
                    # granularity on the a side: predicted passages touching it
                    n = 0
                    for r in pps:
                        rs, re_ = (r["b_start"], r["b_end"]) if flip else (r["a_start"], r["a_end"])
                        if re_ > s and rs < e:
                            n += 1
                    gran_sum += n
                    gran_n += 1
    # precision side: every predicted passage
    for k, pp in pred.items():
        pps = pp["passages"] or []
        if not pps:
            continue
        tp = truth_by_key.get(k)
        flip = tp is not None and pp["a"] != tp["a"]
        tps = tp["passages"] if tp else []
        for side in ("a", "b"):
            tside = {"a": "b", "b": "a"}[side] if flip else side
            by_kind = {kd: union([(q[f"{tside}_start"], q[f"{tside}_end"]) for q in tps
                                  if q["kind"] == kd]) for kd in PASSAGE_KINDS}
            for iv in union([(q[f"{side}_start"], q[f"{side}_end"]) for q in pps]):
                s, e = iv
                cov = {kd: overlap_len(s, e, m) for kd, m in by_kind.items()}
                tot = sum(cov.values())
                all_pred_bytes += e - s
                all_pred_cov += min(tot, e - s)
                if tp:
                    case_prec_tot[case_of(tp)] += e - s
                    case_prec_cov[case_of(tp)] += min(tot, e - s)
                if tot:
                    best = max(cov, key=cov.get)
                    prec_tot[best] += e - s
                    prec_cov[best] += min(tot, e - s)
    out = {}
    for kd in PASSAGE_KINDS:
        out[kd] = {"recall": ratio(rec_cov[kd], rec_tot[kd]),
                   "precision": ratio(prec_cov[kd], prec_tot[kd]),
                   "truth_bytes": rec_tot[kd]}
    out["by_case"] = {c: {"recall": ratio(case_rec_cov[c], case_rec_tot[c]),
                          "precision": ratio(case_prec_cov[c], case_prec_tot[c])}
                      for c in ("whole_article", "embedded", "digest") if case_rec_tot[c]}
    R = ratio(sum(rec_cov.values()), sum(rec_tot.values())) or 0.0
    P = ratio(all_pred_cov, all_pred_bytes) or 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    gran = gran_sum / gran_n if gran_n else 1.0
    out["all"] = {"recall": round(R, 4), "precision": round(P, 4), "f1": round(F, 4),
                  "granularity": round(gran, 4),
                  "plagdet": round(F / math.log2(1 + gran), 4) if gran_n else 0.0}
    return out


# ------------------------------------------------------------------ main scoring


def evaluate(truth, pred, clusters):
    tpairs = truth["pairs"]
    tmap = {key(p["a"], p["b"]): p for p in tpairs}
    labels = Counter(p["label"] for p in tpairs)
    pred_dup = {k for k, v in pred.items() if v["relation"] in DUP_RELATIONS}
    pred_ovl = {k for k, v in pred.items() if v["relation"] not in DUP_RELATIONS}

    correct = sum(1 for k in pred_dup if k in tmap and tmap[k]["label"] != "negative")
    fp_neg = sum(1 for k in pred_dup if k in tmap and tmap[k]["label"] == "negative")
    fp_none = sum(1 for k in pred_dup if k not in tmap)

    rec_tot = Counter()
    rec_hit = Counter()
    part_tot = Counter()
    part_dup = Counter()
    part_any = Counter()
    for k, p in tmap.items():
        if p["label"] == "duplicate":
            buckets = list(p["kinds"])
            if len(buckets) > 1:
                buckets.append("combined")
            if buckets != ["sibling"]:
                buckets.append("vs_original")
            hit = k in pred_dup
            rec_tot["all"] += 1
            rec_hit["all"] += hit
            for b in buckets:
                rec_tot[b] += 1
                rec_hit[b] += hit
        elif p["label"] == "partial":
            for b in p["kinds"]:
                part_tot[b] += 1
                part_dup[b] += k in pred_dup
                part_any[b] += k in pred
    neg_tot = labels["negative"]
    neg_dup = sum(1 for k, p in tmap.items() if p["label"] == "negative" and k in pred_dup)

    res = {
        "truth": {"docs": truth.get("docs"), "families": len(truth["families"]),
                  "pairs": dict(labels)},
        "predicted_duplicate_pairs": len(pred_dup),
        "precision": ratio(correct, len(pred_dup)),
        "false_positives": {"unlabelled": fp_none, "same_event": fp_neg},
        "recall_duplicate": ratio(rec_hit["all"], rec_tot["all"]),
        "recall_by_kind": {b: {"recall": ratio(rec_hit[b], rec_tot[b]), "n": rec_tot[b]}
                           for b in KIND_ORDER if rec_tot[b]},
        "recall_partial": {b: {"recall": ratio(part_dup[b], part_tot[b]),
                               "recall_any_relation": ratio(part_any[b], part_tot[b]),
                               "n": part_tot[b]} for b in ("embedded", "digest")
                           if part_tot[b]},
        "same_event_negatives_flagged": {"n": neg_tot, "as_duplicate": neg_dup},
        "overlap_pairs": {"predicted": len(pred_ovl),
                          "precision": ratio(sum(1 for k in pred_ovl if k in tmap
                                                 and tmap[k]["label"] != "negative"),
                                             len(pred_ovl))},
    }
    res["passages"] = passage_scores(tpairs, pred)

    # clusters
    fams_of = defaultdict(set)
    whole_of = {}
    for f in truth["families"]:
        fams_of[f["original"]].add(f["id"])
        whole_of[f["original"]] = f["id"]
        for v in f["variants"]:
            fams_of[v["doc"]].add(f["id"])
            if not set(v["kinds"]) & {"embedded", "digest"}:
                whole_of[v["doc"]] = f["id"]
    mixed = 0
    mixed_docs = 0
    fam_clusters = defaultdict(set)
    for c in clusters:
        members = [str(m) for m in c.get("members", [])]
        sets = [fams_of.get(m) or {"doc:" + m} for m in members]
        common = set.intersection(*sets) if sets else set()
        if len(members) > 1 and not common:
            mixed += 1
            mixed_docs += len(members)
        for m in members:
            if m in whole_of:
                fam_clusters[whole_of[m]].add(str(c.get("id")))
    res["clusters"] = {"predicted": len(clusters), "mixing_families": mixed,
                       "docs_in_mixing": mixed_docs,
                       "families_split": sum(1 for s in fam_clusters.values() if len(s) > 1)}
    return res


def fmt(x):
    return "-" if x is None else f"{x:.3f}"


def print_text(r):
    t = r["truth"]
    print(f"truth: {t['docs']} docs, {t['families']} families, pairs "
          + " / ".join(f"{v} {k}" for k, v in sorted(t["pairs"].items())))
    fp = r["false_positives"]
    print(f"pairs: {r['predicted_duplicate_pairs']} predicted duplicates, precision "
          f"{fmt(r['precision'])} (false positives: {fp['unlabelled']} unlabelled, "
          f"{fp['same_event']} same_event)")
    kinds = " ".join(f"{b} {fmt(v['recall'])}({v['n']})" for b, v in r["recall_by_kind"].items())
    print(f"recall duplicate {fmt(r['recall_duplicate'])}: {kinds}")
    if r["recall_partial"]:
        print("recall partial (dup-relation/any): " + "  ".join(
            f"{b} {fmt(v['recall'])}/{fmt(v['recall_any_relation'])}({v['n']})"
            for b, v in r["recall_partial"].items())
            + f"; overlap pairs {r['overlap_pairs']['predicted']} precision "
              f"{fmt(r['overlap_pairs']['precision'])}")
    ps = r["passages"]
    if ps:
        per = " | ".join(f"{k} P {fmt(ps[k]['precision'])} R {fmt(ps[k]['recall'])}"
                         for k in PASSAGE_KINDS if ps[k]["truth_bytes"])
        a = ps["all"]
        print(f"passages (bytes): {per} | all P {fmt(a['precision'])} R {fmt(a['recall'])} "
              f"F1 {fmt(a['f1'])} gran {a['granularity']:.2f} plagdet {fmt(a['plagdet'])}")
        cases = " | ".join(f"{c} P {fmt(v['precision'])} R {fmt(v['recall'])}" for c, v in ps["by_case"].items())
        print(f"passages by case (bytes, labelled pairs): {cases}")
    else:
        print("passages: none predicted")
    c = r["clusters"]
    print(f"clusters: {c['predicted']} predicted, {c['mixing_families']} mix families "
          f"({c['docs_in_mixing']} docs), {c['families_split']} families split")


def main():
    ap = argparse.ArgumentParser(description="Score predictions against a bench truth.json.")
    ap.add_argument("--truth", required=True)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--report", help="dupmap JSON report")
    g.add_argument("--pairs", help="JSON lines {\"a\": id, \"b\": id}")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    with open(args.truth, encoding="utf-8") as f:
        truth = json.load(f)
    if truth.get("schema") != "dupmap.bench-truth/1":
        sys.exit(f"unexpected truth schema {truth.get('schema')!r}")
    pred, clusters = load_predictions(args)
    res = evaluate(truth, pred, clusters)
    if args.json:
        print(json.dumps(res, separators=(",", ":")))
    else:
        print_text(res)


if __name__ == "__main__":
    main()
