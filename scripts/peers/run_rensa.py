"""rensa: RMinHash.from_token_sets (bulk, 128 perms) + RMinHashLSH(0.5, 128, 32 bands);
num_bands must divide num_perm, so 32 x 4 (S-curve midpoint ~0.42; 16 x 8 would be
~0.71). insert_many + query_all per batch. Candidates only."""
from __future__ import annotations

from rensa import RMinHash, RMinHashLSH

import common as c

BANDS = 32
SEED = 42


def main():
    a = c.args(__doc__)
    lsh = RMinHashLSH(c.THRESHOLD, c.NUM_PERM, BANDS)
    ids: list[str] = []
    out = c.PairWriter(a.out)
    for batch in c.batches(a.corpus, a.batch):
        start = len(ids)
        keep = [(i, c.shingles(ws)) for i, ws in batch]
        keep = [(i, sh) for i, sh in keep if sh]
        mhs = RMinHash.from_token_sets([sh for _, sh in keep], c.NUM_PERM, SEED)
        ids.extend(i for i, _ in keep)
        lsh.insert_many(mhs, start)
        out.write_candidates(ids, start, lsh.query_all(mhs))
        out.progress(len(ids))
    out.close()


if __name__ == "__main__":
    main()
