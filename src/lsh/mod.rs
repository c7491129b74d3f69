//! Locality-sensitive hashing: candidate pairs from banded MinHash signatures.
//!
//! A signature of `bands * rows` values is cut into `bands` bands; two documents are a
//! candidate pair when any band of theirs is identical. [`params`] chooses the banding
//! from a threshold. Band keys are xxh3 of the band's values with the band index as seed,
//! so they are the same on every machine and can be saved.
//!
//! [`candidate_pairs`] works on a whole corpus at once: each band is sorted by key in
//! parallel (one task per band), and each bucket yields its pairs. A bucket of more than
//! [`MAX_BUCKET_PAIRWISE`] documents (one story carried by hundreds of outlets) is not
//! expanded into all its pairs: each member is paired with the bucket's first
//! [`BUCKET_ANCHORS`] documents in input order, which keeps the cost linear and still pairs
//! every member with the earliest document, the cluster representative.

pub mod params;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::hashsort::sort_by_hash;
use crate::text::DocId;

pub use params::{choose_bands, collision_probability};

/// Buckets up to this size yield all their pairs.
pub const MAX_BUCKET_PAIRWISE: usize = 64;
/// In a larger bucket, members are paired with this many earliest documents.
pub const BUCKET_ANCHORS: usize = 8;

/// The key of band `band` of a signature cut into bands of `rows` values.
#[inline]
pub fn band_key(sig: &[u32], band: usize, rows: usize) -> u64 {
    let values = &sig[band * rows..(band + 1) * rows];
    #[cfg(target_endian = "little")]
    {
        // The values' little-endian bytes are their bytes in memory.
        // SAFETY: `values` is 4 * rows initialised bytes, and any byte is a valid u8.
        let bytes = unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<u8>(), 4 * rows) };
        xxh3_64_with_seed(bytes, band as u64)
    }
    #[cfg(not(target_endian = "little"))]
    {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        xxh3_64_with_seed(&bytes, band as u64)
    }
}

/// All candidate pairs `(a, b)` with `a < b`, sorted and without repeats.
///
/// `signatures[i]` is document `i`'s signature, or `None` for a document with nothing
/// to match (no shingles). The result does not depend on the thread count.
///
/// Bands are taken [`BANDS_PER_ROUND`] at a time and the pairs deduplicated after each
/// round: a near-duplicate pair meets in most bands, so collecting every band's pairs
/// before deduplicating would hold each such pair dozens of times.
///
/// A round's pairs are sorted and merged into the result (one thread's work) while the
/// next round's bands are keyed and sorted (the pool's): the same pairs, merged in the
/// same order.
pub fn candidate_pairs(signatures: &[Option<&[u32]>], bands: usize, rows: usize) -> Vec<(DocId, DocId)> {
    // Sorted by spreading the first document's index over the key's high bits (a key
    // that orders as the pairs do), in buckets: linear, where a comparison sort of the
    // round's pairs (about three for each distinct one) took longer.
    let shift = (signatures.len() as u64).leading_zeros().min(63);
    let merged = |pairs: &[(DocId, DocId)], mut found: Vec<(DocId, DocId)>| {
        sort_by_hash(&mut found, |&(a, _)| u64::from(a.0) << shift, 4, &mut Vec::new());
        found.dedup();
        merge_sorted(pairs, &found)
    };
    let mut pairs: Vec<(DocId, DocId)> = Vec::new();
    let mut pending: Option<Vec<(DocId, DocId)>> = None;
    for first in (0..bands).step_by(BANDS_PER_ROUND) {
        let round = first..(first + BANDS_PER_ROUND).min(bands);
        let (found, done) =
            rayon::join(|| band_pairs(signatures, round, rows), || pending.take().map(|found| merged(&pairs, found)));
        if let Some(done) = done {
            pairs = done;
        }
        pending = Some(found);
    }
    if let Some(found) = pending {
        pairs = merged(&pairs, found);
    }
    pairs.shrink_to_fit();
    pairs
}

/// The union of two sorted, duplicate-free lists, sorted and without repeats.
fn merge_sorted<T: Copy + Ord>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Bands whose pairs are collected together by [`candidate_pairs`].
pub const BANDS_PER_ROUND: usize = 8;

/// The pairs of the bands `bands` (with repeats, in no order).
///
/// The band keys of a round are computed a document at a time (its bands of the round
/// lie together in its signature, so each signature is read from memory once a round),
/// then each band's keys are sorted on their own.
fn band_pairs(signatures: &[Option<&[u32]>], bands: std::ops::Range<usize>, rows: usize) -> Vec<(DocId, DocId)> {
    let nb = bands.len();
    if nb == 0 {
        return Vec::new();
    }
    let mut keys = vec![0u64; signatures.len() * nb];
    keys.par_chunks_mut(nb).zip(signatures.par_iter()).with_min_len(1024).for_each(|(k, s)| {
        if let Some(s) = s {
            for (j, band) in bands.clone().enumerate() {
                k[j] = band_key(s, band, rows);
            }
        }
    });
    (0..nb)
        .into_par_iter()
        .flat_map_iter(|j| {
            let present = signatures.iter().enumerate().filter(|(_, s)| s.is_some()).map(|(i, _)| i as u32);
            let mut out = Vec::new();
            equal_key_pairs(present, |d| keys[d as usize * nb + j], &mut out);
            out
        })
        .collect()
}

/// Appends the pairs of `docs` (in increasing order) whose keys are equal, as
/// [`push_bucket_pairs`] gives each bucket's.
///
/// The documents are sorted as one u64 each, the key's high half over the document's
/// index (half the bytes of key and index side by side: the band stage went from 0.34
/// to 0.27 s at 1 thread on the bench corpus); documents whose keys share their high
/// half are then told apart by the whole key, each bucket's documents still in order.
fn equal_key_pairs(docs: impl Iterator<Item = u32>, key: impl Fn(u32) -> u64, out: &mut Vec<(DocId, DocId)>) {
    let mut keyed: Vec<u64> = docs.map(|d| (key(d) >> 32) << 32 | u64::from(d)).collect();
    sort_by_hash(&mut keyed, |&e| e, 32, &mut Vec::new());
    let mut whole: Vec<(u64, u32)> = Vec::new();
    for run in keyed.chunk_by(|x, y| x >> 32 == y >> 32).filter(|run| run.len() >= 2) {
        whole.clear();
        whole.extend(run.iter().map(|&e| (key(e as u32), e as u32)));
        whole.sort_unstable();
        for bucket in whole.chunk_by(|x, y| x.0 == y.0) {
            push_bucket_pairs(bucket, out);
        }
    }
}

fn push_bucket_pairs(bucket: &[(u64, u32)], out: &mut Vec<(DocId, DocId)>) {
    let n = bucket.len();
    if n < 2 {
        return;
    }
    // Members are in input order (sorted by key, then by document index).
    let anchors = if n <= MAX_BUCKET_PAIRWISE { n } else { BUCKET_ANCHORS };
    for i in 0..anchors {
        for j in i + 1..n {
            out.push((DocId(bucket[i].1), DocId(bucket[j].1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;
    use crate::text::shingle::finish;

    #[test]
    fn band_keys_hash_the_little_endian_bytes_of_the_band() {
        let sig: Vec<u32> = (0..128u64).map(|i| finish(i) as u32).collect();
        for rows in [1, 2, 3, 4, 8, 16] {
            for band in 0..128 / rows {
                let bytes: Vec<u8> = sig[band * rows..(band + 1) * rows].iter().flat_map(|v| v.to_le_bytes()).collect();
                assert_eq!(band_key(&sig, band, rows), xxh3_64_with_seed(&bytes, band as u64));
            }
        }
    }

    #[test]
    fn similar_sets_become_candidates_and_dissimilar_do_not() {
        let m = MinHasher::new(128, 42);
        let a = m.signature((0..100u64).map(finish));
        let b = m.signature((5..105u64).map(finish)); // Jaccard 0.905
        let c = m.signature((1000..1100u64).map(finish)); // disjoint
        let sigs = [Some(&a[..]), Some(&b[..]), Some(&c[..]), None];
        let (bands, rows) = choose_bands(0.5, 128, 0.5, 0.5);
        let pairs = candidate_pairs(&sigs, bands, rows);
        assert_eq!(pairs, vec![(DocId(0), DocId(1))]);
    }

    #[test]
    fn equal_keys_pair_up_and_keys_sharing_their_high_half_do_not() {
        let hi = |h: u64, lo: u64| h << 32 | lo;
        // Buckets: {0, 2, 5}, {1, 6} and, with the same high half as those, {4}, {7, 8};
        // a bucket of 70 (more than MAX_BUCKET_PAIRWISE) from document 10 on.
        let mut keys = vec![hi(9, 1), hi(7, 1), hi(9, 1), hi(3, 3), hi(7, 2), hi(9, 1), hi(7, 1), hi(7, 3), hi(7, 3)];
        keys.push(hi(1, 1));
        keys.extend(std::iter::repeat_n(hi(5, 0), 70));
        let mut got = Vec::new();
        equal_key_pairs(0..keys.len() as u32, |d| keys[d as usize], &mut got);
        got.sort_unstable();
        let mut want = Vec::new();
        for a in 0..keys.len() {
            for b in a + 1..keys.len() {
                // In the bucket of 70, only its first BUCKET_ANCHORS documents pair.
                if keys[a] == keys[b] && a < 10 + BUCKET_ANCHORS {
                    want.push((DocId(a as u32), DocId(b as u32)));
                }
            }
        }
        assert_eq!(got, want);
        assert!(got.contains(&(DocId(7), DocId(8))) && !got.contains(&(DocId(1), DocId(4))));
    }

    #[test]
    fn merged_lists_are_the_sorted_union() {
        let a = [1, 3, 5, 7, 9];
        let b = [0, 3, 4, 9, 10, 11];
        assert_eq!(merge_sorted(&a, &b), [0, 1, 3, 4, 5, 7, 9, 10, 11]);
        assert_eq!(merge_sorted(&a, &[]), a);
        assert_eq!(merge_sorted::<i32>(&[], &[]), Vec::<i32>::new());
    }

    #[test]
    fn candidates_equal_all_pairs_of_equal_bands() {
        // Signatures of a few values, so that bands collide often; some documents empty.
        let sigs: Vec<Vec<u32>> =
            (0..300u64).map(|d| (0..24u64).map(|v| (finish(d % 37 + v * (d % 3)) % 3) as u32).collect()).collect();
        let sigs: Vec<Option<&[u32]>> = sigs.iter().enumerate().map(|(d, s)| (d % 11 != 0).then_some(&s[..])).collect();
        for (bands, rows) in [(24, 1), (12, 2), (8, 3), (3, 8), (11, 2)] {
            let mut want = Vec::new();
            for band in 0..bands {
                let mut keyed: Vec<(u64, u32)> = sigs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| s.map(|s| (band_key(s, band, rows), i as u32)))
                    .collect();
                keyed.sort_unstable();
                for bucket in keyed.chunk_by(|x, y| x.0 == y.0) {
                    push_bucket_pairs(bucket, &mut want);
                }
            }
            want.sort_unstable();
            want.dedup();
            assert_eq!(candidate_pairs(&sigs, bands, rows), want, "{bands} bands of {rows}");
        }
    }

    #[test]
    fn keyed_sort_equals_sort_unstable() {
        for n in [0usize, 5, 1023, 1024, 5000, 70_000] {
            // Uniform keys, repeated keys (buckets), and keys sharing their top bits.
            let keyed: Vec<(u64, u32)> = (0..n as u64)
                .map(|i| {
                    let k = match i % 3 {
                        0 => finish(i),
                        1 => finish(i % 97),
                        _ => finish(i) >> 20,
                    };
                    (k, i as u32)
                })
                .collect();
            let mut want = keyed.clone();
            want.sort_unstable();
            let mut got = keyed;
            sort_by_hash(&mut got, |e| e.0, 32, &mut Vec::new());
            assert_eq!(got, want, "{n} entries");
        }
    }

    #[test]
    fn big_buckets_pair_members_with_the_earliest() {
        let m = MinHasher::new(16, 1);
        let s = m.signature((0..10u64).map(finish));
        let sigs: Vec<Option<&[u32]>> = (0..200).map(|_| Some(&s[..])).collect();
        let pairs = candidate_pairs(&sigs, 4, 4);
        assert!(pairs.len() < 200 * BUCKET_ANCHORS);
        for j in 1..200 {
            assert!(pairs.binary_search(&(DocId(0), DocId(j))).is_ok(), "doc {j} not paired with 0");
        }
    }
}
