//! MinHash signatures: `num_perm` seeded hash functions, the minimum of each over a set.
//!
//! Each hash function is a multiply-shift map of the (already well-mixed) 64-bit shingle
//! hash, `h_i(x) = (a_i * x + b_i) >> 32` with odd `a_i`, which is 2-universal and keeps 32
//! bits per value. The `(a_i, b_i)` come from SplitMix64 seeded with the user's seed, so a
//! signature depends only on the set, `num_perm` and the seed: not on the machine, the
//! thread count or the process.
//!
//! Two signatures agree at a position with probability equal to the sets' Jaccard
//! similarity, so the share of agreeing positions estimates it.

/// Computes signatures for one (`num_perm`, `seed`) choice.
#[derive(Clone, Debug)]
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
    seed: u64,
}

/// A MinHash signature: `num_perm` minima. An empty set has every value at `u32::MAX`.
pub type Signature = Vec<u32>;

impl MinHasher {
    /// `num_perm` hash functions derived from `seed`.
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        let mut state = seed;
        let mut a = Vec::with_capacity(num_perm);
        let mut b = Vec::with_capacity(num_perm);
        for _ in 0..num_perm {
            a.push(splitmix64(&mut state) | 1);
            b.push(splitmix64(&mut state));
        }
        MinHasher { a, b, seed }
    }

    /// Number of hash functions (signature length).
    pub fn num_perm(&self) -> usize {
        self.a.len()
    }

    /// The seed the functions were derived from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A fresh signature of an empty set.
    pub fn empty(&self) -> Signature {
        vec![u32::MAX; self.num_perm()]
    }

    /// Folds one shingle hash into `sig`. This is the hot loop of the document scan.
    #[inline]
    pub fn update(&self, sig: &mut [u32], hash: u64) {
        debug_assert_eq!(sig.len(), self.a.len());
        for ((s, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
            let v = (a.wrapping_mul(hash).wrapping_add(b) >> 32) as u32;
            *s = (*s).min(v);
        }
    }

    /// The signature of a set of shingle hashes (duplicates do not matter).
    pub fn signature(&self, hashes: impl IntoIterator<Item = u64>) -> Signature {
        let mut sig = self.empty();
        for h in hashes {
            self.update(&mut sig, h);
        }
        sig
    }
}

/// Share of positions where two signatures agree: an unbiased estimate of Jaccard.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    if a.is_empty() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// True when the signature is that of the empty set.
pub fn is_empty_signature(sig: &[u32]) -> bool {
    sig.iter().all(|&v| v == u32::MAX)
}

/// SplitMix64: the seed expander used for every derived constant.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::shingle::finish;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(finish).collect()
    }

    #[test]
    fn same_set_same_signature_and_seed_matters() {
        let m = MinHasher::new(64, 7);
        assert_eq!(m.signature(set(0..100)), m.signature(set(0..100).into_iter().rev()));
        assert_ne!(m.signature(set(0..100)), MinHasher::new(64, 8).signature(set(0..100)));
    }

    #[test]
    fn estimates_are_unbiased_with_small_variance() {
        // Sets with Jaccard exactly 1/3 (100 shared of 300 distinct).
        let a = set(0..200);
        let b = set(100..300);
        let mut estimates = Vec::new();
        for seed in 0..200 {
            let m = MinHasher::new(128, seed);
            estimates.push(estimate_jaccard(&m.signature(a.clone()), &m.signature(b.clone())));
        }
        let mean = estimates.iter().sum::<f64>() / estimates.len() as f64;
        let var = estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / estimates.len() as f64;
        // Binomial variance J(1-J)/k = 0.00174; allow 1.5x.
        assert!((mean - 1.0 / 3.0).abs() < 0.01, "mean {mean}");
        assert!(var < 1.5 * (1.0 / 3.0) * (2.0 / 3.0) / 128.0, "variance {var}");
    }

    #[test]
    fn empty_set_signature() {
        let m = MinHasher::new(16, 1);
        assert!(is_empty_signature(&m.signature(std::iter::empty())));
        assert!(!is_empty_signature(&m.signature([1u64])));
    }
}
