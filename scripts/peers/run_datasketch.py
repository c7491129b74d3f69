"""datasketch: MinHash.bulk (update_batch per document, 128 perms) + MinHashLSH(threshold=0.5),
which picks its own banding for 128 perms (25 bands x 5 rows). Candidates only."""
from __future__ import annotations

from datasketch import MinHash, MinHashLSH

import common as c


def main():
    a = c.args(__doc__)
    lsh = MinHashLSH(threshold=c.THRESHOLD, num_perm=c.NUM_PERM)
    print(f"  datasketch LSH bands x rows = {lsh.b} x {lsh.r}", flush=True)
    ids: list[str] = []
    out = c.PairWriter(a.out)
    for batch in c.batches(a.corpus, a.batch):
        start = len(ids)
        keep = [(i, c.shingles(ws)) for i, ws in batch]
        keep = [(i, sh) for i, sh in keep if sh]
        mhs = MinHash.bulk([[s.encode("utf-8") for s in sh] for _, sh in keep], num_perm=c.NUM_PERM)
        ids.extend(i for i, _ in keep)
        with lsh.insertion_session() as sess:
            for k, m in enumerate(mhs):
                sess.insert(start + k, m, check_duplication=False)
        out.write_candidates(ids, start, (lsh.query(m) for m in mhs))
        out.progress(len(ids))
    out.close()


if __name__ == "__main__":
    main()
