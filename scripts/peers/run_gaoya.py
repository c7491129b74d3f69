"""gaoya: MinHashStringIndex(hash_size=32, jaccard_threshold=0.5, num_bands=32,
band_size=4 -> 128 hashes), its native whitespace word analyzer with ngram_range=(5, 5)
on the text already lowercased and split into \\w+ words joined by spaces (so the
shingles equal the other peers'). par_bulk_insert_docs + par_bulk_query per batch.
Note: gaoya's query returns only candidates whose signature-estimated Jaccard is >=
jaccard_threshold (its documented behaviour), so it is filtered, unlike the others."""
from __future__ import annotations

from gaoya.minhash import MinHashStringIndex

import common as c


def main():
    a = c.args(__doc__)
    idx = MinHashStringIndex(hash_size=32, jaccard_threshold=c.THRESHOLD, num_bands=32, band_size=4,
                             analyzer="word", lowercase=False, ngram_range=(c.K, c.K), id_container="vec")
    print(f"  {idx}", flush=True)
    ids: list[str] = []
    out = c.PairWriter(a.out)
    for batch in c.batches(a.corpus, a.batch):
        start = len(ids)
        keep = [(i, " ".join(ws)) for i, ws in batch if ws]
        ids.extend(i for i, _ in keep)
        docs = [t for _, t in keep]
        keys = list(range(start, start + len(docs)))
        idx.par_bulk_insert_docs(keys, docs)
        out.write_candidates(ids, start, idx.par_bulk_query(docs))
        out.progress(len(ids))
    out.close()


if __name__ == "__main__":
    main()
