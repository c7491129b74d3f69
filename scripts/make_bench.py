#!/usr/bin/env python3
"""Generate a labelled near-duplicate benchmark corpus for dupmap.

Usage (from the repository root; Python 3.11+, standard library only):

    python3 scripts/make_bench.py --docs 2000   --seed 1 --out bench-data/b2k
    python3 scripts/make_bench.py --docs 100000 --seed 1 --out bench-data/b100k
    python3 scripts/make_bench.py --docs 2000 --seed 1 --out bench-data/b2k --check

Cost on the 2-core dev machine: --docs 2000 ~10 s (7 MB); --docs 100000
~4 min (~347 MB corpus.jsonl, ~30 MB truth.json, ~6 GB peak memory, most
of it the Markov filler generator and its set of seen 8-word runs).

The source articles are fetched and cleaned by scripts/bench_sources.py
(cached under bench-data/, which is git-ignored). Output is deterministic for
a given (--docs, --seed) and source pool.

Outputs
-------
DIR/corpus.jsonl  one document per line:
    {"id": "d000123", "text": "...", "published_at": "2024-03-05T09:12:00Z"}
  The text is a headline line followed by paragraphs, separated by "\\n"
  (boilerplate lines may come before the headline and after the body).

DIR/truth.json:
    {"schema": "dupmap.bench-truth/1", "seed": S, "docs": N,
     "stats": {...},
     "families": [
        {"id": 0, "original": "d000017", "source": "news"|"lee"|"synthetic",
         "variants": [{"doc": "d004410", "kinds": ["syndicated", "boilerplate"]},
                      {"doc": "d000999", "kinds": ["reworded"], "touched": 0.24}]}],
     "pairs": [
        {"a": "d000017", "b": "d004410", "label": "duplicate", "kinds": ["syndicated"],
         "passages": [{"a_start": 0, "a_end": 812, "b_start": 95, "b_end": 907,
                       "kind": "verbatim"}]}]}

  families  every original that has at least one variant. Variant kinds:
            syndicated, boilerplate, truncated, dropped, reordered, copyedit,
            reworded (whole-article copies; a variant may combine two of them),
            embedded, digest (partial copies). A digest document is listed in
            every family whose lead it quotes, so partial variants may appear in
            several families; whole-article variants appear in exactly one.
            "touched" = fraction of tokens (copyedit) or content words
            (reworded) that were changed.
  pairs     every pair of documents that share generated text, unordered
            (a = the family original when there is one):
            label "duplicate": both documents are whole-article members of the
                   same family (original-variant, kinds = the variant's kinds;
                   variant-variant, kinds = ["sibling"] and "via": [kinds_a,
                   kinds_b]);
            label "partial": embedded and digest overlaps (kinds = the partial
                   document's kinds);
            label "negative": the documents only share one inserted sentence
                   (kinds = ["same_event"]): a hard negative, not a duplicate.
            Pairs not listed share no generated text (filler documents and
            unrelated articles); boilerplate templates are shared by many
            documents and never make a pair.
  passages  BYTE offsets into the UTF-8 text of each document, end exclusive.
            kind "verbatim": a[a_start:a_end] == b[b_start:b_end] exactly;
            "edited": the same source text after copy-editing on one or both
            sides; "reworded": the same source text spun on one or both sides.
            Edited/reworded spans cover the whole rewritten paragraph(s); where
            only part of a rewritten paragraph is shared the span is cut
            proportionally (approximate). Adjacent paragraphs are merged into
            one passage when the text between them is only a line break on
            both sides.

Fillers: documents outside families are unrelated source articles plus
synthetic "filler" articles from a word-level Markov chain (order 2, backing
off to order 1 where the order-2 context is too predictable) trained on the
source pool; each generated sentence is rejected and redrawn if it shares a
run of 8 words with any source article. The generator reports how often a
sampled filler shares a verbatim run of >= 8 words with any other document
(boilerplate lines excluded).

Self-check (always run; --check adds a larger 8-word-run measurement):
passage offsets lie on UTF-8 boundaries inside the documents, verbatim
passages slice identical bytes, every variant has a labelled pair with its
original.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_sources  # noqa: E402
import bench_words as W  # noqa: E402

SCHEMA = "dupmap.bench-truth/1"
FAMILY_SHARE = 0.30          # documents in families (originals + variants)
DIGEST_SHARE = 0.004         # digest documents per document
SAME_EVENT_SHARE = 0.01      # same_event hard negatives per document
UNRELATED_REAL_SHARE = 0.35  # at most this share of docs are unrelated real articles
REAL_ORIGINAL_SHARE = 0.55   # at most this share of real sources become family originals
BOILERPLATE_ON_FILLER = 0.2  # fillers/unrelated articles that carry feed boilerplate
BOILERPLATE_ON_ORIGINAL = 0.1
FILLER_LONGER = 0.4          # fillers: chance to take the longer of two source structures
VARIANTS_PER_FAMILY = (range(1, 13), (30, 24, 14, 9, 7, 5, 3, 2, 2, 1.5, 1.5, 1))
SINGLE_KINDS = {"syndicated": 14, "boilerplate": 14, "truncated": 11, "dropped": 9,
                "reordered": 7, "copyedit": 12, "reworded": 12, "embedded": 7}
COMBOS = {("syndicated", "boilerplate"): 3, ("truncated", "copyedit"): 2,
          ("dropped", "copyedit"): 2, ("reordered", "syndicated"): 1,
          ("reworded", "boilerplate"): 2, ("truncated", "syndicated"): 2,
          ("copyedit", "boilerplate"): 2}
WHOLE_KINDS = ["syndicated", "boilerplate", "truncated", "dropped", "reordered", "copyedit",
               "reworded"]
PARTIAL_KINDS = ["embedded", "digest"]
KIND_ORDER = WHOLE_KINDS + PARTIAL_KINDS
EPOCH = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
SPAN = 366 * 86400
RUN = 8  # verbatim run length (words) that fillers must not share

BP = "bp"  # provenance marker of boilerplate pieces (not a shared-text source)


def blen(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8"))


def ts_str(t: int) -> str:
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_words(t: int) -> str:
    d = datetime.fromtimestamp(t, tz=timezone.utc)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


# ============================================================== articles


class Art:
    """A source article (real or synthetic). Unit 0 = title, unit i = paragraph i-1."""
    __slots__ = ("sid", "origin", "title", "paras")

    def __init__(self, sid, origin, title, paras):
        self.sid, self.origin, self.title, self.paras = sid, origin, title, paras

    def lines(self):
        """Document lines; a line is a list of (text, prov) pieces.

        prov = (sid, unit, byte_start, byte_end, mode, flag) with mode
        'v' verbatim / 'e' edited / 'r' reworded and flag '' or 'se'
        (a same_event insertion); prov None = new text; prov BP = boilerplate.
        """
        out = [[(self.title, (self.sid, 0, 0, blen(self.title), "v", ""))]]
        for i, p in enumerate(self.paras):
            out.append([(p, (self.sid, i + 1, 0, blen(p), "v", ""))])
        return out


# ============================================================== Markov fillers

_TOK_RE = re.compile(r"\w+")


def run_tokens(text: str) -> list[str]:
    """Tokens for the verbatim-run measurement: lower-case \\w+ runs."""
    return _TOK_RE.findall(text.lower())


def grams(toks: list[str]):
    return zip(*(toks[i:] for i in range(RUN)))


class Markov:
    """Word-level Markov chain (order 2, backing off to order 1) for filler text.

    Every generated sentence is checked, together with the 7 tokens before
    it, against the 8-word runs of all source articles and of all text
    generated so far; a sentence that would repeat such a run is redrawn.
    """
    BOS = "\x02"
    EOS = "\x03"

    def __init__(self, arts: list[Art]):
        s2 = defaultdict(list)
        s1 = defaultdict(list)
        heads = defaultdict(list)
        self.structures = []
        seen: set[int] = set()
        B, E = self.BOS, self.EOS
        for a in arts:
            struct = []
            for p in a.paras:
                sents = bench_sources.split_sentences(p)
                struct.append(len(sents))
                for s in sents:
                    toks = s.split()
                    if not 3 <= len(toks) <= 70:
                        continue
                    seq = [B, B, *toks, E]
                    for i in range(2, len(seq)):
                        s2[(seq[i - 2], seq[i - 1])].append(seq[i])
                        s1[seq[i - 1]].append(seq[i])
            self.structures.append(struct)
            seen.update(map(hash, grams(run_tokens(a.title + "\n" + "\n".join(a.paras)))))
            ht = [B, *a.title.split(), E]
            for i in range(1, len(ht)):
                heads[ht[i - 1]].append(ht[i])
        # order-2 contexts that are too predictable back off to order 1
        self.s2 = {}
        for k, lst in s2.items():
            if len(lst) >= 3:
                top = Counter(lst).most_common(1)[0][1]
                if top <= 0.6 * len(lst) and len(set(lst)) >= 3:
                    self.s2[k] = lst
        self.s1 = dict(s1)
        self.heads = dict(heads)
        self.seen = seen
        self.rejected = 0
        self.sentences = 0
        self.accepted_with_run = 0
        self.longer = 0.0  # chance of drawing a second paragraph structure and keeping the longer

    def _fresh(self, tail: list[str], text: str, after: list[str] = ()) -> list[str] | None:
        """Return the new run tokens if text adds no already-seen 8-word run.

        tail: tokens just before text; after: tokens just after it (already
        registered), so runs across both seams are checked.
        """
        nt = run_tokens(text)
        seq = tail + nt + list(after)
        seen = self.seen
        hs = [hash(g) for g in grams(seq)]
        if any(h in seen for h in hs):
            return None
        if len(set(hs)) != len(hs):
            return None
        seen.update(hs)
        return (tail + nt)[-(RUN - 1):]

    def _commit(self, tail: list[str], text: str) -> list[str]:
        seq = tail + run_tokens(text)
        self.seen.update(map(hash, grams(seq)))
        return seq[-(RUN - 1):]

    def _raw_sentence(self, rng: random.Random) -> str:
        s2get, s1, E, B = self.s2.get, self.s1, self.EOS, self.BOS
        rnd = rng.random
        while True:
            out = []
            push = out.append
            w1 = w2 = B
            n = 0
            while n < 55:
                lst = s2get((w1, w2)) or s1[w2]
                nxt = lst[int(rnd() * len(lst))]
                if nxt is E:
                    break
                push(nxt)
                w1 = w2
                w2 = nxt
                n += 1
            if n >= 4:
                break
        s = " ".join(out)
        if s[-1] not in ".!?\"'\u201d":
            s += "."
        return s[:1].upper() + s[1:]

    def sentence(self, rng: random.Random, tail: list[str]) -> tuple[str, list[str]]:
        for _attempt in range(10):
            s = self._raw_sentence(rng)
            self.sentences += 1
            nt = self._fresh(tail, s)
            if nt is not None:
                return s, nt
            self.rejected += 1
        self.accepted_with_run += 1
        return s, self._commit(tail, s)

    def headline(self, rng: random.Random) -> str:
        out = []
        for _ in range(10):
            out = []
            w = self.BOS
            while len(out) < 14:
                lst = self.heads.get(w)
                if not lst:
                    break
                w = lst[int(rng.random() * len(lst))]
                if w == self.EOS:
                    break
                out.append(w)
            if 4 <= len(out) <= 14:
                break
        return " ".join(out) or "News update"

    def article(self, rng: random.Random, sid: str, min_paras: int = 1) -> Art:
        ns = len(self.structures)
        while True:
            struct = self.structures[int(rng.random() * ns)]
            if rng.random() < self.longer:
                other = self.structures[int(rng.random() * ns)]
                if sum(other) > sum(struct):
                    struct = other
            if len(struct) >= min_paras:
                break
        own_title = rng.random() < 0.6
        title = ""
        tail: list[str] = []
        if own_title:
            for _ in range(10):
                title = self.headline(rng)
                t = self._fresh([], title)
                if t is not None:
                    tail = t
                    break
            else:
                tail = self._commit([], title)
        paras = []
        for k in struct:
            sents = []
            for _ in range(max(1, k)):
                s, tail = self.sentence(rng, tail)
                sents.append(s)
            paras.append(" ".join(sents))
        if not own_title:
            # a headline cut from the first sentence, or a generated one; either
            # way the runs across the headline/first-paragraph seam must be new
            first = run_tokens(paras[0])[:RUN - 1]
            words = bench_sources.headline_from(paras[0]).split()[:RUN - 1]
            while len(words) > 4 and words[-1].lower() in W.STOPWORDS:
                words.pop()
            title = " ".join(words)
            for attempt in range(10):
                if attempt:
                    title = self.headline(rng)
                if self._fresh([], title, first) is not None:
                    break
            else:
                self._commit([], title + " " + " ".join(first))
        return Art(sid, "synthetic", title, paras)


# ============================================================== text edits

_WORD_RE = re.compile(r"[A-Za-z]+(?:['\u2019][a-z]+)?")


def _match_case(src: str, repl: str) -> str:
    if src[:1].isupper():
        return repl[:1].upper() + repl[1:]
    return repl


def _at_sentence_start(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \"'\u201c\u2018(":
        j -= 1
    return j < 0 or text[j] in ".!?:\u2014"


def spin_words(text: str, rng: random.Random, rate: float) -> tuple[str, int, int]:
    """Synonym substitution for ~rate of content words. Returns (text, touched, content)."""
    words = list(_WORD_RE.finditer(text))
    content = []
    eligible = []
    for m in words:
        w = m.group()
        lw = w.lower()
        if lw in W.STOPWORDS or len(w) < 3:
            continue
        content.append(m)
        if lw in W.SYNONYMS and (w.islower() or (w[1:].islower() and _at_sentence_start(text, m.start()))):
            eligible.append(m)
    if not content or not eligible:
        return text, 0, len(content)
    p = min(1.0, rate * len(content) / len(eligible))
    out = []
    pos = 0
    touched = 0
    for m in eligible:
        if rng.random() >= p:
            continue
        repl = _match_case(m.group(), rng.choice(W.SYNONYMS[m.group().lower()]))
        out.append(text[pos:m.start()])
        out.append(repl)
        pos = m.end()
        touched += 1
    out.append(text[pos:])
    return "".join(out), touched, len(content)


_SAID_RE = re.compile(
    r"^(?P<subj>(?:[A-Z][\w.'\u2019-]*\s){0,3}[A-Z][\w.'\u2019-]*|(?:The|A|An) [a-z][\w\s-]{2,40}?)"
    r" (?P<verb>said|says|added|told reporters|warned|argued) (?:that )?(?P<rest>[^\"\u201c\u201d]{20,})"
    r"(?P<end>[.!?])$")
_QUOTE_RE = re.compile(r'^"(?P<q>[^"]{15,}?)[,.]?" (?P<subj>[A-Z][^"]{2,40}?) (?P<verb>said|says|added)\.$')
_ACCORDING_RE = re.compile(r"^According to (?P<who>[^,]{3,60}), (?P<rest>[^\"]{20,})(?P<end>[.!?])$")


def reorder_clause(s: str) -> str | None:
    m = _SAID_RE.match(s)
    if m:
        rest = m.group("rest").rstrip(",")
        return f"{rest[:1].upper()}{rest[1:]}, {m.group('subj')} {m.group('verb')}{m.group('end')}"
    m = _QUOTE_RE.match(s)
    if m:
        return f'{m.group("subj")} {m.group("verb")}: "{m.group("q")}."'
    m = _ACCORDING_RE.match(s)
    if m:
        rest = m.group("rest")
        return f"{rest[:1].upper()}{rest[1:]}, according to {m.group('who')}{m.group('end')}"
    return None


def reword(text: str, rng: random.Random, rate: float) -> tuple[str, int, int]:
    sents = bench_sources.split_sentences(text)
    out = []
    extra = 0
    for s in sents:
        if rng.random() < 0.6:
            r = reorder_clause(s)
            if r is not None:
                s = r
                extra += 1
        out.append(s)
    if len(out) >= 3 and rng.random() < 0.15:
        i = rng.randrange(1, len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    new, touched, content = spin_words(" ".join(out), rng, rate)
    return new, touched + extra, content


# --- copy-editing operations: each returns (new_text, touched_tokens) or None


def _ce_number(t, rng):
    ms = list(re.finditer(r"\b\d{1,3}(?:,\d{3})+\b", t))
    if ms:
        m = rng.choice(ms)
        return t[:m.start()] + m.group().replace(",", "") + t[m.end():], 1
    ms = [m for m in re.finditer(r"\b\d{4,7}\b", t) if not (1900 <= int(m.group()) <= 2099)]
    if ms:
        m = rng.choice(ms)
        return t[:m.start()] + f"{int(m.group()):,}" + t[m.end():], 1
    return None


def _ce_percent(t, rng):
    for a, b in ((" percent", " per cent"), (" per cent", " percent"), ("%", " percent")):
        i = t.find(a)
        if i >= 0:
            return t[:i] + b + t[i + len(a):], 1
    return None


def _ce_quotes(t, rng):
    if '"' in t:
        n = t.count('"')
        out = []
        opened = False
        for ch in t:
            if ch == '"':
                out.append("\u201d" if opened else "\u201c")
                opened = not opened
            else:
                out.append(ch)
        return "".join(out), max(1, n // 2)
    if "\u201c" in t or "\u201d" in t:
        return t.replace("\u201c", '"').replace("\u201d", '"'), 1
    ms = list(re.finditer(r"(?<=\w)'(?=\w)", t))
    if ms:
        m = rng.choice(ms)
        return t[:m.start()] + "\u2019" + t[m.end():], 1
    return None


def _ce_spelling(t, rng):
    cands = []
    for m in _WORD_RE.finditer(t):
        lw = m.group().lower()
        if lw in W.US_TO_UK:
            cands.append((m, W.US_TO_UK[lw]))
        elif lw in W.UK_TO_US:
            cands.append((m, W.UK_TO_US[lw]))
    if not cands:
        return None
    m, r = rng.choice(cands)
    return t[:m.start()] + _match_case(m.group(), r) + t[m.end():], 1


def _ce_word(t, rng):
    cands = [m for m in _WORD_RE.finditer(t) if m.group() in W.SYNONYMS]
    if not cands:
        return None
    m = rng.choice(cands)
    return t[:m.start()] + rng.choice(W.SYNONYMS[m.group()]) + t[m.end():], 1


def _ce_split(t, rng):
    ms = [m for m in re.finditer(r"(, and |, but |; )(?=[a-z])", t)]
    if not ms:
        return None
    m = rng.choice(ms)
    after = t[m.end():]
    conj = m.group().strip(" ,;")
    lead = conj.capitalize() + " " if conj in ("and", "but") and rng.random() < 0.5 else ""
    if lead:
        return t[:m.start()] + ". " + lead + after, 2
    return t[:m.start()] + ". " + after[:1].upper() + after[1:], 2


def _ce_join(t, rng):
    ms = [m for m in re.finditer(r"\. (The|He|She|It|They|This|That|There|But|And|We) ", t)]
    if not ms:
        return None
    m = rng.choice(ms)
    w = m.group(1)
    if w in ("But", "And"):
        return t[:m.start()] + ", " + w.lower() + " " + t[m.end():], 2
    return t[:m.start()] + rng.choice(("; ", ", and ")) + w.lower() + " " + t[m.end():], 2


def _ce_punct(t, rng):
    ops = []
    for a, b in ((" Mr. ", " Mr "), (" Mrs. ", " Mrs "), (" Dr. ", " Dr "), ("U.S.", "US"),
                 (" Mr ", " Mr. "), ("U.K.", "UK"), (", and ", " and "), (" - ", " \u2014 "),
                 (" \u2014 ", " - "), ("...", "\u2026"), (" -- ", " \u2013 "), (": ", " - ")):
        if a in t:
            ops.append((a, b))
    if not ops:
        return None
    a, b = rng.choice(ops)
    i = t.find(a)
    return t[:i] + b + t[i + len(a):], 1


_CE_OPS = [(_ce_number, 3), (_ce_percent, 1), (_ce_quotes, 2), (_ce_spelling, 3), (_ce_word, 4),
           (_ce_split, 2), (_ce_join, 2), (_ce_punct, 3)]


# ============================================================== transformations
# A "view" is (head_lines, body_lines); head_lines hold the headline (and a
# byline) and body_lines the paragraphs. Lines are lists of (text, prov).


def view_of(art: Art):
    ls = art.lines()
    return [ls[0]], ls[1:]


def _cut_piece(piece, nbytes_text):
    """Cut a verbatim piece to its first characters (string prefix)."""
    text, prov = piece
    sid, u, s0, s1, mode, flag = prov
    return (nbytes_text, (sid, u, s0, s0 + blen(nbytes_text), mode, flag))


def tr_truncate(view, rng):
    head, body = view
    n = len(body)
    k = max(1, min(n - 1, round(n * rng.uniform(0.4, 0.8))))
    body = [list(l) for l in body[:k]]
    last = body[-1]
    if rng.random() < 0.4 and last and last[-1][1] and last[-1][1][4] == "v":
        text = last[-1][0]
        spaces = [m.start() for m in re.finditer(" ", text)]
        if len(spaces) > 6:
            lo, hi = int(len(spaces) * 0.3), int(len(spaces) * 0.8)
            cut = spaces[rng.randrange(lo, max(lo + 1, hi))]
            last[-1] = _cut_piece(last[-1], text[:cut])
    r = rng.random()
    if r < 0.3:
        last.append((rng.choice(W.TRUNC_MARKERS_INLINE), None))
    elif r < 0.6:
        body.append([(rng.choice(W.TRUNC_MARKERS_LINE), None)])
    return head, body


def tr_drop(view, rng):
    head, body = view
    n = len(body)
    m = rng.randint(1, min(3, n - 3))
    idx = set(rng.sample(range(1, n), m))
    return head, [l for i, l in enumerate(body) if i not in idx]


def tr_reorder(view, rng):
    head, body = view
    body = list(body)
    n = len(body)
    if n >= 5 and rng.random() < 0.4:
        rest = body[1:]
        while True:
            rng.shuffle(rest)
            if rest != body[1:]:
                break
        return head, [body[0]] + rest
    swaps = rng.randint(1, 2 if n >= 4 else 1)
    for _ in range(swaps):
        i = rng.randrange(0, n - 1)
        body[i], body[i + 1] = body[i + 1], body[i]
    if body == list(view[1]):
        body[0], body[1] = body[1], body[0]
    return head, body


def _map_text_pieces(lines, fn, mode):
    """Apply fn(text) -> new text to every provenance piece of lines."""
    out = []
    for line in lines:
        nl = []
        for text, prov in line:
            if prov and prov is not BP:
                new = fn(text)
                if new != text:
                    sid, u, s0, s1, m, flag = prov
                    m2 = "r" if (mode == "r" or m == "r") else "e"
                    prov = (sid, u, s0, s1, m2, flag)
                    text = new
            nl.append((text, prov))
        out.append(nl)
    return out


def tr_copyedit(view, rng):
    head, body = view
    lines = [list(l) for l in head + body]
    slots = [(i, j) for i, l in enumerate(lines) for j, (t, p) in enumerate(l) if p and p is not BP]
    total = sum(len(lines[i][j][0].split()) for i, j in slots)
    rate = rng.uniform(0.02, 0.05)
    budget = max(1, round(total * rate))
    touched = 0
    tries = 0
    ops, weights = zip(*_CE_OPS)
    while touched < budget and tries < budget * 8 + 20:
        tries += 1
        i, j = rng.choice(slots)
        text, prov = lines[i][j]
        op = rng.choices(ops, weights)[0]
        r = op(text, rng)
        if r is None or r[0] == text:
            continue
        new, t = r
        sid, u, s0, s1, m, flag = prov
        lines[i][j] = (new, (sid, u, s0, s1, "r" if m == "r" else "e", flag))
        touched += t
    nh = len(head)
    return (lines[:nh], lines[nh:]), touched / max(1, total)


def tr_reword(view, rng):
    head, body = view
    rate = rng.uniform(0.15, 0.35)
    stats = [0, 0]

    def fn(text):
        new, t, c = reword(text, rng, rate)
        stats[0] += t
        stats[1] += c
        return new
    body = _map_text_pieces(body, fn, "r")
    if rng.random() < 0.7:
        head = _map_text_pieces(head, lambda t: spin_words(t, rng, 0.5)[0], "r")
    return (head, body), stats[0] / max(1, stats[1])


def new_headline(title_line: list, rng: random.Random, ctx: dict) -> list:
    """A syndication headline line derived from the original title line."""
    title = "".join(p[0] for p in title_line)
    r = rng.random()
    if r < 0.35:
        return [(rng.choice(W.HEADLINE_PREFIXES), None)] + title_line
    if r < 0.6:
        return title_line + [(rng.choice(W.HEADLINE_SUFFIXES).format(**ctx), None)]
    if r < 0.8:
        t = spin_words(title, rng, 0.6)[0]
        return [(t if t != title else "Report: " + title, None)]
    return [(title.upper() if rng.random() < 0.5 else title.title(), None)]


def tr_syndicate(view, rng, t, ctx):
    head, body = view
    head = [list(l) for l in head]
    body = [list(l) for l in body]
    ops = set()
    while not ops:
        if rng.random() < 0.6:
            ops.add("headline")
        if rng.random() < 0.55:
            ops.add("dateline")
        if rng.random() < 0.45:
            ops.add("byline")
    if "headline" in ops:
        head[0] = new_headline(head[0], rng, ctx)
    if "dateline" in ops:
        d = datetime.fromtimestamp(t, tz=timezone.utc)
        city, ag = rng.choice(W.DATELINE_CITIES), rng.choice(W.AGENCIES)
        fmt = rng.choice(["{c} ({a}) - ", "{c} ({a}) \u2014 ", "{c}, {m} {d} ({a}) - ", "{c} \u2014 "])
        dl = fmt.format(c=city, a=ag, m=d.strftime("%b"), d=d.day)
        if body:
            body[0] = [(dl, None)] + body[0]
    if "byline" in ops:
        b = rng.choice(W.BYLINES).format(date=date_words(t), agency=rng.choice(W.AGENCIES))
        head.append([(b, None)])
    return head, body


def boilerplate_lines(rng, t, templates, k):
    d = datetime.fromtimestamp(t, tz=timezone.utc)
    out = []
    for tpl in rng.sample(templates, k):
        hs = rng.sample(W.FAKE_HEADLINES, 3)
        secs = rng.sample(W.SECTIONS, 2)
        ctx = {"section": secs[0], "section2": secs[1], "site": rng.choice(W.SITES),
               "m": rng.randint(2, 9), "n": rng.randint(0, 240), "date": date_words(t),
               "year": d.year, "h1": hs[0], "h2": hs[1], "h3": hs[2]}
        for line in tpl:
            out.append([(line.format(**ctx), BP)])
    return out


def wrap_boilerplate(lines, rng, t, heavy=True):
    nh = rng.choice((0, 1, 1, 2)) if heavy else rng.choice((0, 1))
    nf = rng.choice((1, 2, 2, 3)) if heavy else rng.choice((1, 1, 2))
    header = boilerplate_lines(rng, t, W.HEADERS, nh)
    footer = boilerplate_lines(rng, t, W.FOOTERS, nf)
    if header and rng.random() < 0.3 and len(lines) > 1:
        return lines[:1] + header + lines[1:] + footer
    return header + lines + footer


# ============================================================== documents


class Doc:
    __slots__ = ("lines", "ts", "role", "fam", "pfams", "kinds", "extra", "id", "data",
                 "spans", "bp")

    def __init__(self, lines, ts, role, fam=None, kinds=(), extra=None, pfams=()):
        self.lines = lines
        self.ts = ts
        self.role = role        # original/variant/partial/filler/unrelated/se_target
        self.fam = fam          # family index for whole-article members
        self.pfams = tuple(pfams)  # families of a partial document
        self.kinds = list(kinds)
        self.extra = extra or {}
        self.id = None
        self.data = None
        self.spans = None
        self.bp = None


def render(doc: Doc) -> None:
    parts = []
    spans = []
    bp = []
    pos = 0
    for li, line in enumerate(doc.lines):
        if li:
            parts.append("\n")
            pos += 1
        for text, prov in line:
            n = blen(text)
            if prov is BP:
                bp.append((pos, pos + n))
            elif prov:
                spans.append((pos, pos + n, prov))
            parts.append(text)
            pos += n
    doc.data = "".join(parts).encode("utf-8")
    assert len(doc.data) == pos
    doc.spans = spans
    doc.bp = bp
    doc.lines = None


def _side(pos, end, prov, lo, hi):
    s0, s1, mode = prov[2], prov[3], prov[4]
    if mode == "v":
        return pos + lo - s0, pos + hi - s0
    if lo == s0 and hi == s1:
        return pos, end
    ln = end - pos
    sp = max(1, s1 - s0)
    return pos + round((lo - s0) * ln / sp), pos + round((hi - s0) * ln / sp)


def _snap(data: bytes, off: int) -> int:
    while 0 < off < len(data) and (data[off] & 0xC0) == 0x80:
        off += 1
    return off


_KIND_NAME = {"v": "verbatim", "e": "edited", "r": "reworded"}


def passages_between(da: Doc, db: Doc) -> list[dict]:
    by_unit = defaultdict(list)
    for pos, end, prov in db.spans:
        by_unit[(prov[0], prov[1])].append((pos, end, prov))
    raw = []
    for apos, aend, ap in da.spans:
        for bpos, bend, bpv in by_unit.get((ap[0], ap[1]), ()):
            lo, hi = max(ap[2], bpv[2]), min(ap[3], bpv[3])
            if lo >= hi:
                continue
            a0, a1 = _side(apos, aend, ap, lo, hi)
            b0, b1 = _side(bpos, bend, bpv, lo, hi)
            a0, a1 = _snap(da.data, a0), _snap(da.data, a1)
            b0, b1 = _snap(db.data, b0), _snap(db.data, b1)
            if a1 <= a0 or b1 <= b0:
                continue
            modes = {ap[4], bpv[4]}
            kind = "r" if "r" in modes else ("e" if "e" in modes else "v")
            if kind == "v" and ap[4] == "v" and bpv[4] == "v" and a1 - a0 != b1 - b0:
                raise AssertionError("verbatim length mismatch")
            flag = "se" if "se" in (ap[5], bpv[5]) else ""
            raw.append([a0, a1, b0, b1, kind, flag])
    raw.sort()
    merged = []
    for p in raw:
        if merged:
            q = merged[-1]
            if (q[4] == p[4] and q[5] == p[5] and p[0] >= q[1] and p[2] >= q[3]):
                ga = da.data[q[1]:p[0]]
                gb = db.data[q[3]:p[2]]
                if not ga.strip() and not gb.strip() and (p[4] != "v" or ga == gb):
                    q[1], q[3] = p[1], p[3]
                    continue
        merged.append(p)
    return [{"a_start": p[0], "a_end": p[1], "b_start": p[2], "b_end": p[3],
             "kind": _KIND_NAME[p[4]], "_flag": p[5]} for p in merged]


# ============================================================== generator


def pick_kinds(rng: random.Random, art: Art) -> tuple:
    n = len(art.paras)
    names = list(SINGLE_KINDS) + list(COMBOS)
    weights = list(SINGLE_KINDS.values()) + list(COMBOS.values())
    while True:
        k = rng.choices(names, weights)[0]
        kinds = (k,) if isinstance(k, str) else k
        if "truncated" in kinds and n < 2:
            continue
        if "dropped" in kinds and n < 4:
            continue
        if "reordered" in kinds and n < 3:
            continue
        return kinds


def build_variant(art: Art, kinds, rng, t, ctx):
    view = view_of(art)
    extra = {}
    for k in ("truncated", "dropped", "reordered"):
        if k in kinds:
            view = {"truncated": tr_truncate, "dropped": tr_drop, "reordered": tr_reorder}[k](view, rng)
    if "copyedit" in kinds:
        view, rate = tr_copyedit(view, rng)
        extra["touched"] = round(rate, 3)
    if "reworded" in kinds:
        view, rate = tr_reword(view, rng)
        extra["touched"] = round(rate, 3)
    if "syndicated" in kinds:
        view = tr_syndicate(view, rng, t, ctx)
    lines = view[0] + view[1]
    if "boilerplate" in kinds:
        lines = wrap_boilerplate(lines, rng, t, heavy=True)
    return lines, extra


def build_embedded(art: Art, host: Art, rng):
    x_head, x_body = view_of(art)
    if len(x_body) >= 4 and rng.random() < 0.3:
        x_body = x_body[:-1]
    h_head, h_body = view_of(host)
    r = rng.random()
    if r < 0.35:
        before, after = h_body, []
    elif r < 0.6:
        before, after = [], h_body
    else:
        cut = rng.randint(1, max(1, len(h_body) - 1))
        before, after = h_body[:cut], h_body[cut:]
    mid = x_body
    if rng.random() < 0.5:
        mid = [x_head[0]] + x_body
    elif rng.random() < 0.5:
        mid = [[(rng.choice(["Background:", "Earlier report:", "Related coverage:",
                             "Previously:", "From the archive:"]), None)]] + x_body
    return h_head + before + mid + after


def build_digest(arts: list[Art], rng, t):
    d = datetime.fromtimestamp(t, tz=timezone.utc)
    title = rng.choice(W.DIGEST_TITLES).format(weekday=d.strftime("%A"), date=date_words(t))
    lines = [[(title, None)]]
    for a in arts:
        al = a.lines()
        if rng.random() < 0.7:
            if rng.random() < 0.5:
                lines.append([("\u2022 ", None)] + al[0])
            else:
                lines.append(al[0])
        lines.append(al[1])
        if len(al) > 2 and rng.random() < 0.25:
            lines.append(al[2])
        if rng.random() < 0.3:
            lines.append([(rng.choice(["Read more", "Full story", "More on this story"]), None)])
    return lines


def insert_sentence(host: Art, src: Art, rng):
    """same_event: put one sentence of `src` into a paragraph of `host`."""
    cands = []
    for pi, p in enumerate(src.paras):
        off = 0
        for s in bench_sources.split_sentences(p):
            i = p.find(s, off)
            if i < 0:
                continue
            off = i + len(s)
            words = s.split()
            if 8 <= len(words) <= 45:
                # prefer quotes and sentences with a few named entities
                caps = sum(1 for w in words[1:] if w[:1].isupper())
                cands.append(('"' in s or "\u201c" in s or caps >= 2, pi, i, s))
    if not cands:
        return None
    strong = [c for c in cands if c[0]]
    _, pi, ci, s = rng.choice(strong if strong and rng.random() < 0.85 else cands)
    p = src.paras[pi]
    s0 = blen(p[:ci])
    piece = (s, (src.sid, pi + 1, s0, s0 + blen(s), "v", "se"))
    lines = host.lines()
    li = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
    (text, prov), = lines[li]
    r = rng.random()
    if r < 0.3 or li == 0:
        lines.insert(max(1, li + 1), [piece])
        return lines
    # split the host paragraph at a sentence boundary
    bounds = [m.end() for m in re.finditer(r"[.!?][\"'\u201d\u2019]? ", text)]
    if bounds and r < 0.8:
        b = rng.choice(bounds)
        left, right = text[:b - 1], text[b:]
        lb = blen(left)
        sid, u, s0h, s1h, m, f = prov
        lines[li] = [(left, (sid, u, s0h, s0h + lb, m, f)), (" ", None), piece, (" ", None),
                     (right, (sid, u, s0h + lb + 1, s1h, m, f))]
    else:
        lines[li] = [(text, prov), (" ", None), piece]
    return lines


class Generator:
    def __init__(self, n_docs, seed, data_dir, log=print):
        self.N = n_docs
        self.seed = seed
        self.log = log
        t0 = time.time()
        raw = bench_sources.load_sources(data_dir)
        self.real = [Art(a["sid"], a["origin"], a["title"], a["paras"]) for a in raw]
        self.real.sort(key=lambda a: a.sid)
        self.markov = Markov(self.real)
        self.syn_count = 0
        self.timings = {"sources+markov": time.time() - t0}

    def rng(self, *tag):
        return random.Random(f"{self.seed}:" + ":".join(map(str, tag)))

    def synthetic(self, rng, min_paras=1):
        self.syn_count += 1
        return self.markov.article(rng, f"syn:{self.syn_count}", min_paras)

    def run(self):
        N = self.N
        rng = self.rng("plan")
        t0 = time.time()
        docs: list[Doc] = []
        families = []  # dict(orig=Doc, source=str, variants=[(Doc, kinds, extra)])

        # ---- plan family sizes
        target = round(FAMILY_SHARE * N)
        n_digest = max(1, round(DIGEST_SHARE * N)) if target >= 8 else 0
        n_se = max(1, round(SAME_EVENT_SHARE * N))
        sizes = []
        used = n_digest
        while used < target:
            v = rng.choices(*VARIANTS_PER_FAMILY)[0]
            v = min(v, target - used - 1)
            if v < 1:
                break
            sizes.append(v)
            used += 1 + v
        n_fam_docs = used

        # ---- assign sources
        real = list(self.real)
        rng.shuffle(real)
        R = len(real)
        good = [a for a in real if 3 <= len(a.paras) and 120 <= sum(len(p.split()) for p in a.paras) <= 2500]
        good_ids = {a.sid for a in good}
        n_real_orig = min(len(sizes), int(REAL_ORIGINAL_SHARE * R), len(good))
        originals = good[:n_real_orig]
        taken = {a.sid for a in originals}
        pool = [a for a in real if a.sid not in taken]  # remaining real articles

        def take_real(limit):
            out = []
            while pool and len(out) < limit:
                out.append(pool.pop())
            return out

        fam_rng = self.rng("families")
        for fi, v in enumerate(sizes):
            art = originals[fi] if fi < n_real_orig else self.synthetic(self.rng("synorig", fi), 3)
            kinds_list = [pick_kinds(fam_rng, art) for _ in range(v)]
            families.append({"art": art, "kinds": kinds_list, "variants": [],
                             "source": art.origin})
        n_embedded = sum(1 for f in families for k in f["kinds"] if "embedded" in k)
        hosts = take_real(min(n_embedded, int(0.1 * R)))
        se_targets = take_real(min(n_se, int(0.1 * R)))
        n_unrel = max(0, min(len(pool), round(UNRELATED_REAL_SHARE * N), N - n_fam_docs - n_se))
        unrelated = take_real(n_unrel)
        n_fill = N - n_fam_docs - n_se - len(unrelated)
        assert n_fill >= 0, (N, n_fam_docs, n_se, len(unrelated))
        self.timings["plan"] = time.time() - t0

        # ---- families
        t1 = time.time()
        hi = 0
        for fi, f in enumerate(families):
            r = self.rng("fam", fi)
            art = f["art"]
            t_orig = EPOCH + r.randrange(SPAN)
            lines = art.lines()
            if r.random() < BOILERPLATE_ON_ORIGINAL:
                lines = wrap_boilerplate(lines, r, t_orig, heavy=False)
            od = Doc(lines, t_orig, "original", fam=fi)
            f["orig"] = od
            docs.append(od)
            for vi, kinds in enumerate(f["kinds"]):
                if r.random() < 0.88:
                    tv = t_orig + int(r.expovariate(1 / 30000)) + 60
                else:
                    tv = t_orig - int(r.expovariate(1 / 20000)) - 60
                ctx = {"site": r.choice(W.SITES), "section": r.choice(W.SECTIONS)}
                if kinds == ("embedded",):
                    if hi < len(hosts):
                        host = hosts[hi]
                    else:
                        host = self.synthetic(self.rng("host", fi, vi), 2)
                    hi += 1
                    vd = Doc(build_embedded(art, host, r), tv, "partial", kinds=kinds, pfams=(fi,))
                    f["variants"].append(vd)
                else:
                    lines, extra = build_variant(art, kinds, r, tv, ctx)
                    vd = Doc(lines, tv, "variant", fam=fi, kinds=kinds, extra=extra)
                    f["variants"].append(vd)
                docs.append(vd)
        # ---- digests
        dr = self.rng("digests")
        for di in range(n_digest):
            k = min(len(families), dr.randint(3, 6))
            fis = sorted(dr.sample(range(len(families)), k))
            t = max(families[fi]["orig"].ts for fi in fis) + dr.randrange(600, 86400)
            lines = build_digest([families[fi]["art"] for fi in fis], dr, t)
            if dr.random() < 0.3:
                lines = wrap_boilerplate(lines, dr, t, heavy=False)
            dd = Doc(lines, t, "partial", kinds=("digest",), pfams=fis)
            for fi in fis:
                families[fi]["variants"].append(dd)
            docs.append(dd)
        self.timings["families"] = time.time() - t1

        # ---- same_event hard negatives and unrelated real articles
        t2 = time.time()
        ser = self.rng("same_event")
        real_in_corpus = [f["art"] for f in families if f["art"].origin != "synthetic"] + unrelated
        n_se_done = 0
        for si in range(n_se):
            host = se_targets[si] if si < len(se_targets) else self.synthetic(self.rng("se", si), 2)
            lines = None
            for _ in range(10):
                src = real_in_corpus[ser.randrange(len(real_in_corpus))] if real_in_corpus else None
                if src is None:
                    break
                lines = insert_sentence(host, src, ser)
                if lines:
                    break
            if not lines:
                lines = host.lines()
            else:
                n_se_done += 1
            t = EPOCH + ser.randrange(SPAN)
            if ser.random() < BOILERPLATE_ON_FILLER:
                lines = wrap_boilerplate(lines, ser, t, heavy=False)
            docs.append(Doc(lines, t, "se_target"))
        ur = self.rng("unrelated")
        for a in unrelated:
            t = EPOCH + ur.randrange(SPAN)
            lines = a.lines()
            if ur.random() < BOILERPLATE_ON_FILLER:
                lines = wrap_boilerplate(lines, ur, t, heavy=False)
            docs.append(Doc(lines, t, "unrelated"))
        # ---- fillers (a little longer than the sources, like the family documents)
        self.markov.longer = FILLER_LONGER
        for i in range(n_fill):
            fr = self.rng("filler", i)
            a = self.markov.article(fr, f"fill:{i}")
            t = EPOCH + fr.randrange(SPAN)
            lines = [[(a.title, None)]] + [[(p, None)] for p in a.paras]
            if fr.random() < BOILERPLATE_ON_FILLER:
                lines = wrap_boilerplate(lines, fr, t, heavy=fr.random() < 0.5)
            docs.append(Doc(lines, t, "filler"))
        self.timings["fillers+negatives"] = time.time() - t2
        assert len(docs) == N, (len(docs), N)

        # ---- shuffle, ids, render
        t3 = time.time()
        order = list(range(N))
        self.rng("order").shuffle(order)
        width = max(6, len(str(N - 1)))
        shuffled = [docs[i] for i in order]
        for k, d in enumerate(shuffled):
            d.id = f"d{k:0{width}d}"
            render(d)
        self.docs = shuffled
        self.families = families
        self.n_se_done = n_se_done
        self.n_fill = n_fill
        self.n_unrelated = len(unrelated)
        self.timings["render"] = time.time() - t3

    # ------------------------------------------------------------ truth
    def truth(self):
        t0 = time.time()
        docs = self.docs
        by_sid = defaultdict(list)
        for k, d in enumerate(docs):
            last = None
            for _, _, prov in d.spans:
                if prov[0] != last:
                    by_sid[prov[0]].append(k)
                    last = prov[0]
        seen = set()
        pairs = []
        orig_of = {}
        for fi, f in enumerate(self.families):
            orig_of[fi] = f["orig"]
        for sid in sorted(by_sid):
            ks = sorted(set(by_sid[sid]))
            for x in range(len(ks)):
                for y in range(x + 1, len(ks)):
                    key = (ks[x], ks[y])
                    if key in seen:
                        continue
                    seen.add(key)
                    pairs.append(self._pair(docs[ks[x]], docs[ks[y]]))
        pairs = [p for p in pairs if p is not None]
        pairs.sort(key=lambda p: (p["a"], p["b"]))
        fams = []
        for fi, f in enumerate(self.families):
            vs = []
            for vd in f["variants"]:
                e = {"doc": vd.id, "kinds": list(vd.kinds)}
                e.update(vd.extra)
                vs.append(e)
            fams.append({"id": fi, "original": f["orig"].id, "source": f["source"], "variants": vs})
        self.timings["truth"] = time.time() - t0
        return fams, pairs

    def _pair(self, d1: Doc, d2: Doc):
        # orientation: a = original if there is one, else the lower id
        if d2.role == "original" and d1.role != "original":
            d1, d2 = d2, d1
        elif not (d1.role == "original") and d2.id < d1.id:
            d1, d2 = d2, d1
        ps = passages_between(d1, d2)
        if not ps:
            return None
        flags = {p.pop("_flag") for p in ps}
        if flags == {"se"}:
            label, kinds = "negative", ["same_event"]
        elif "se" in flags:
            raise AssertionError(f"mixed same_event pair {d1.id} {d2.id}")
        elif d1.fam is not None and d1.fam == d2.fam:
            label = "duplicate"
            if d1.role == "original":
                kinds = list(d2.kinds)
            else:
                kinds = ["sibling"]
        else:
            label = "partial"
            kinds = sorted({k for d in (d1, d2) if d.role == "partial" for k in d.kinds},
                           key=KIND_ORDER.index)
            if not kinds:
                raise AssertionError(f"unexpected shared text {d1.id} {d2.id}")
        out = {"a": d1.id, "b": d2.id, "label": label, "kinds": kinds}
        if kinds == ["sibling"]:
            out["via"] = [list(d1.kinds), list(d2.kinds)]
        out["passages"] = ps
        return out

    # ------------------------------------------------------------ checks
    def check(self, pairs, fams):
        by_id = {d.id: d for d in self.docs}
        n_pass = 0
        for p in pairs:
            a, b = by_id[p["a"]].data, by_id[p["b"]].data
            if not p["passages"]:
                raise AssertionError(f"pair without passages {p['a']} {p['b']}")
            for q in p["passages"]:
                n_pass += 1
                for data, s, e in ((a, q["a_start"], q["a_end"]), (b, q["b_start"], q["b_end"])):
                    if not (0 <= s < e <= len(data)):
                        raise AssertionError(f"bad range {p['a']} {p['b']} {q}")
                    for off in (s, e):
                        if off < len(data) and (data[off] & 0xC0) == 0x80:
                            raise AssertionError(f"offset not on a UTF-8 boundary {p['a']} {p['b']} {q}")
                    data[s:e].decode("utf-8")
                if q["kind"] == "verbatim" and a[q["a_start"]:q["a_end"]] != b[q["b_start"]:q["b_end"]]:
                    raise AssertionError(f"verbatim passage differs {p['a']} {p['b']} {q}")
        pair_keys = {(p["a"], p["b"]) for p in pairs} | {(p["b"], p["a"]) for p in pairs}
        for f in fams:
            for v in f["variants"]:
                if (f["original"], v["doc"]) not in pair_keys:
                    raise AssertionError(f"variant {v['doc']} has no pair with {f['original']}")
        return n_pass

    def filler_runs(self, probes: int, others: int | None):
        """Share of sampled fillers whose body shares an 8-word run with another doc."""
        rng = self.rng("measure")
        fill_idx = [k for k, d in enumerate(self.docs) if d.role == "filler"]
        if not fill_idx:
            return None
        probe = rng.sample(fill_idx, min(probes, len(fill_idx)))
        probe_set = set(probe)
        index = {}
        for k in probe:
            for h in self._grams(self.docs[k]):
                index.setdefault(h, set()).add(k)
        hit = set()
        hit_kind = Counter()
        nonfill = [k for k, d in enumerate(self.docs) if d.role != "filler"]
        others_f = [k for k in fill_idx if k not in probe_set]
        if others is not None and len(others_f) > others:
            others_f = rng.sample(others_f, others)
        scanned = 0
        for group, kl in (("non-filler", nonfill), ("filler", others_f + probe)):
            for k in kl:
                scanned += 1
                for h in self._grams(self.docs[k]):
                    ks = index.get(h)
                    if ks:
                        for pk in ks:
                            if pk != k and pk not in hit:
                                hit.add(pk)
                                hit_kind[group] += 1
        return {"probes": len(probe), "non_filler_docs": len(nonfill),
                "other_fillers_scanned": len(others_f), "fillers_total": len(fill_idx),
                "probes_sharing_run": len(hit), "by_other_doc_type": dict(hit_kind)}

    @staticmethod
    def _grams(d: Doc):
        data = d.data
        if d.bp:
            chunks = []
            pos = 0
            for s, e in d.bp:
                chunks.append(data[pos:s])
                pos = e
            chunks.append(data[pos:])
            data = b"\n".join(chunks)
        return set(map(hash, grams(run_tokens(data.decode("utf-8")))))


def main():
    ap = argparse.ArgumentParser(description="Generate the dupmap near-duplicate benchmark.")
    ap.add_argument("--docs", type=int, required=True, help="number of documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--data", default=bench_sources.DEFAULT_DATA,
                    help="cache/source directory (default: bench-data/)")
    ap.add_argument("--check", action="store_true",
                    help="larger 8-word-run measurement of fillers (slower)")
    args = ap.parse_args()
    if args.docs < 50:
        sys.exit("--docs must be at least 50")
    t_start = time.time()
    g = Generator(args.docs, args.seed, args.data)
    g.run()
    fams, pairs = g.truth()
    n_pass = g.check(pairs, fams)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    cpath = os.path.join(args.out, "corpus.jsonl")
    size = 0
    with open(cpath, "w", encoding="utf-8") as f:
        for d in g.docs:
            line = json.dumps({"id": d.id, "text": d.data.decode("utf-8"),
                               "published_at": ts_str(d.ts)}, ensure_ascii=False) + "\n"
            f.write(line)
            size += d.data.__len__()
    per_kind = Counter()
    combos = 0
    for f in g.families:
        for vd in f["variants"]:
            if vd.kinds == ("digest",) or vd.kinds == ["digest"]:
                continue
            for k in vd.kinds:
                per_kind[k] += 1
            combos += len(vd.kinds) > 1
    n_digest = sum(1 for d in g.docs if "digest" in d.kinds)
    per_kind["digest"] = n_digest
    fam_docs = len({d.id for f in g.families for d in [f["orig"], *f["variants"]]})
    labels = Counter(p["label"] for p in pairs)
    stats = {
        "docs": len(g.docs), "text_bytes": size, "families": len(fams),
        "family_docs": fam_docs, "fillers": g.n_fill, "unrelated_real": g.n_unrelated,
        "same_event_docs": g.n_se_done, "synthetic_originals":
            sum(1 for f in g.families if f["source"] == "synthetic"),
        "variants_per_kind": {k: per_kind[k] for k in KIND_ORDER}, "combined_variants": combos,
        "pairs": dict(labels), "passages": n_pass,
        "markov_sentences": g.markov.sentences, "markov_rejected": g.markov.rejected,
        "markov_accepted_with_run": g.markov.accepted_with_run,
    }
    measure = g.filler_runs(3000 if args.check else 500, None if args.check else 5000)
    stats["filler_run8"] = measure
    with open(os.path.join(args.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump({"schema": SCHEMA, "seed": args.seed, "docs": len(g.docs), "stats": stats,
                   "families": fams, "pairs": pairs}, f, ensure_ascii=False, separators=(",", ":"))
    g.timings["write+measure"] = time.time() - t0
    secs = time.time() - t_start
    corpus_mb = os.path.getsize(cpath) / 1e6
    print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in g.timings.items()), file=sys.stderr)
    print(f"pairs: {dict(labels)}, passages {n_pass} (self-check ok)", file=sys.stderr)
    if measure:
        extra = ""
        if measure["other_fillers_scanned"] < measure["fillers_total"] - measure["probes"]:
            extra = " (filler-filler part from a sample of fillers)"
        print(f"filler 8-word runs: {measure['probes_sharing_run']}/{measure['probes']} sampled "
              f"fillers share a verbatim run of >= {RUN} words with another document "
              f"{measure['by_other_doc_type']}{extra}; markov sentences redrawn "
              f"{g.markov.rejected}/{g.markov.sentences}", file=sys.stderr)
    kinds_s = " ".join(f"{k}={per_kind[k]}" for k in KIND_ORDER)
    print(f"docs={len(g.docs)} MB={corpus_mb:.1f} (text {size / 1e6:.1f}) families={len(fams)} "
          f"family_docs={fam_docs} ({100 * fam_docs / len(g.docs):.1f}%) variants: {kinds_s} "
          f"combined={combos} seconds={secs:.1f}")


if __name__ == "__main__":
    main()
