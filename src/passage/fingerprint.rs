//! Winnowed word k-gram fingerprints: corpus-wide candidates for shared passages.
//!
//! Winnowing (Schleimer, Wilkerson and Aiken, 2003) keeps, from every window of `w`
//! consecutive k-gram hashes, the smallest. Two documents that share a verbatim run of at
//! least `w + k - 1` words therefore share at least one fingerprint, whatever else they
//! contain, and a document keeps only about `2 / (w + 1)` of its k-grams.
//!
//! A fingerprint found in many documents is boilerplate or a stock phrase, not evidence
//! of copying: fingerprints in more than `max_docs` documents are ignored. Two documents
//! become a passage candidate when they share at least `min_shared` fingerprints; a
//! document whose own fingerprints repeat becomes a candidate with itself.

use rayon::prelude::*;

use crate::text::DocId;

/// Appends the winnowed fingerprints of `hashes` (k-gram hashes in document order) with
/// window `w`: `(hash, position)`, positions increasing.
pub fn winnow(hashes: &[u64], w: usize, out: &mut Vec<(u64, u32)>) {
    out.clear();
    if hashes.is_empty() {
        return;
    }
    if hashes.len() <= w {
        let (pos, &h) = hashes.iter().enumerate().rev().min_by_key(|(_, &h)| h).expect("non-empty");
        out.push((h, pos as u32));
        return;
    }
    let mut last: Option<usize> = None;
    for start in 0..=hashes.len() - w {
        // Rightmost minimum of the window.
        let mut best = start;
        for i in start + 1..start + w {
            if hashes[i] <= hashes[best] {
                best = i;
            }
        }
        if last != Some(best) {
            out.push((hashes[best], best as u32));
            last = Some(best);
        }
    }
}

/// Document pairs sharing at least `min_shared` fingerprints that are each in at most
/// `max_docs` documents, as `(a, b)` with `a <= b` (`a == b` for a document repeating
/// itself), sorted. `fingerprints[d]` lists document `d`'s fingerprint hashes (any order,
/// repeats meaning the text repeats).
pub fn shared_fingerprint_pairs(fingerprints: &[Vec<u64>], max_docs: usize, min_shared: usize) -> Vec<(DocId, DocId)> {
    let mut self_pairs: Vec<(DocId, DocId)> = Vec::new();
    let mut keyed: Vec<(u64, u32)> = fingerprints
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, fps)| {
            let mut v = fps.clone();
            v.sort_unstable();
            let before = v.len();
            v.dedup();
            let repeats = before - v.len();
            let d = d as u32;
            v.into_iter()
                .map(move |h| (h, d))
                .chain(std::iter::once((u64::MAX, if repeats >= min_shared { d } else { u32::MAX })))
        })
        .collect();
    keyed.retain(|&(h, d)| {
        if h == u64::MAX {
            if d != u32::MAX {
                self_pairs.push((DocId(d), DocId(d)));
            }
            false
        } else {
            true
        }
    });
    keyed.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> =
        keyed.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() >= 2 && g.len() <= max_docs).collect();
    let mut pairs: Vec<(u32, u32)> = groups
        .par_iter()
        .flat_map_iter(|g| {
            let mut out = Vec::with_capacity(g.len() * (g.len() - 1) / 2);
            for i in 0..g.len() {
                for j in i + 1..g.len() {
                    out.push((g[i].1, g[j].1));
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    let mut out: Vec<(DocId, DocId)> = pairs
        .chunk_by(|x, y| x == y)
        .filter(|run| run.len() >= min_shared)
        .map(|run| (DocId(run[0].0), DocId(run[0].1)))
        .collect();
    out.extend(self_pairs);
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winnowing_guarantees_shared_runs_are_seen() {
        // Two "documents" sharing a run of 12 hashes at different offsets.
        let mix = crate::text::shingle::finish;
        let shared: Vec<u64> = (0..12u64).map(mix).collect();
        let a: Vec<u64> = (1000..1030u64).map(mix).chain(shared.iter().copied()).chain((2000..2010).map(mix)).collect();
        let b: Vec<u64> = (5000..5003u64).map(mix).chain(shared.iter().copied()).collect();
        let (mut fa, mut fb) = (Vec::new(), Vec::new());
        winnow(&a, 8, &mut fa);
        winnow(&b, 8, &mut fb);
        assert!(fa.iter().any(|x| fb.iter().any(|y| x.0 == y.0)));
        assert!(fa.len() < a.len() / 2);
        assert!(fa.windows(2).all(|p| p[0].1 < p[1].1));
    }

    #[test]
    fn frequent_fingerprints_are_ignored_and_repeats_pair_a_document_with_itself() {
        let common = 1u64;
        let fps = vec![vec![common, 10, 11, 12], vec![common, 10, 11], vec![common, 20], vec![common, 30, 31, 30, 31]];
        let pairs = shared_fingerprint_pairs(&fps, 3, 2);
        assert_eq!(pairs, vec![(DocId(0), DocId(1)), (DocId(3), DocId(3))]);
    }
}
