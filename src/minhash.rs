//! MinHash signatures: `num_perm` seeded hash functions, the minimum of each over a set.
//!
//! In the classic scheme each hash function is a multiply-shift map of the (already
//! well-mixed) 64-bit shingle hash, `h_i(x) = (a_i * x + b_i) >> 32` with odd `a_i`,
//! which is 2-universal and keeps 32 bits per value. The `(a_i, b_i)` come from
//! SplitMix64 seeded with the user's seed, so a signature depends only on the set,
//! `num_perm`, the scheme and the seed: not on the machine, the thread count or the
//! process.
//!
//! Two signatures agree at a position with probability equal to the sets' Jaccard
//! similarity, so the share of agreeing positions estimates it.
//!
//! [`MinHashScheme::Classic32`], the default, computes its functions in 32 bits: the
//! shingle hash folded to 32 bits (`x = h ^ h >> 32`), then `h_i(x) = (x ^ k_i) * a_i +
//! b_i` modulo 2^32 with odd `a_i`, each a permutation of the 32-bit values. The inputs
//! are already uniform hashes, so any permutation orders a set at random; what the
//! scheme must keep is the functions' independence. Without the key `k_i` every
//! function would be an affine image of every other (`h_j = c * (h_i - b_i) + b_j`);
//! the xor before the multiply breaks that (on the 100k benchmark, seeds 0 to 3 gave
//! 85.0k to 88.7k LSH candidates without it, 85.4k to 87.0k with it, 85.4k to 86.2k
//! with the 64-bit functions). The tests check the variance of Jaccard estimates over
//! many seeds against the binomial `J(1 - J) / num_perm` of independent functions. A
//! vector instruction computes twice as many 32-bit values as 64-bit ones, with a
//! cheaper multiply: a signature takes about half the time (criterion
//! `minhash_signature`, 128 functions), and the benchmark's pairs are the same within
//! the spread between seeds (`docs/performance.md`, round 9).
//!
//! [`MinHashScheme::OnePermutation`] is the faster alternative: one hash per shingle,
//! which picks a bin (of `num_perm`) and a value, each bin keeping its minimum (Li, Owen
//! and Zhang's one-permutation hashing); bins left empty borrow the value of a bin chosen
//! by a seeded random probe sequence (Shrivastava's optimal densification, 2017), which
//! keeps the estimate unbiased. It costs O(shingles + num_perm) instead of
//! O(shingles × num_perm); the tests compare its bias and variance with the classic
//! scheme's.

/// How signatures are computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinHashScheme {
    /// `num_perm` independent hash functions of the 64-bit shingle hashes.
    Classic,
    /// `num_perm` independent hash functions of the shingle hashes folded to 32 bits,
    /// computed in 32 bits: twice as many in a vector instruction as [`Classic`]'s, and
    /// a 32-bit multiply instead of a 64-bit one (the default).
    ///
    /// [`Classic`]: MinHashScheme::Classic
    #[default]
    Classic32,
    /// One-permutation hashing with optimal densification.
    OnePermutation,
}

/// Computes signatures for one (`num_perm`, `seed`, scheme) choice.
#[derive(Clone, Debug)]
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
    /// The 32-bit functions' multipliers (odd), addends and input keys, for
    /// [`MinHashScheme::Classic32`].
    a32: Vec<u32>,
    b32: Vec<u32>,
    k32: Vec<u32>,
    seed: u64,
    scheme: MinHashScheme,
}

/// A MinHash signature: `num_perm` minima. An empty set has every value at `u32::MAX`.
pub type Signature = Vec<u32>;

impl MinHasher {
    /// `num_perm` hash functions derived from `seed`, of the 64-bit
    /// [`MinHashScheme::Classic`] scheme ([`MinHasher::with_scheme`] for another; the
    /// scan's default is [`MinHashScheme::Classic32`]).
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        let mut state = seed;
        let mut a = Vec::with_capacity(num_perm);
        let mut b = Vec::with_capacity(num_perm);
        for _ in 0..num_perm {
            a.push(splitmix64(&mut state) | 1);
            b.push(splitmix64(&mut state));
        }
        // The 32-bit functions take the high halves of a and b, and their keys the low
        // half of b (SplitMix64's output is mixed throughout).
        let a32 = a.iter().map(|&x| (x >> 32) as u32 | 1).collect();
        let b32 = b.iter().map(|&x| (x >> 32) as u32).collect();
        let k32 = b.iter().map(|&x| x as u32).collect();
        MinHasher { a, b, a32, b32, k32, seed, scheme: MinHashScheme::Classic }
    }

    /// `num_perm` bins or functions derived from `seed`, with the given scheme.
    pub fn with_scheme(num_perm: usize, seed: u64, scheme: MinHashScheme) -> MinHasher {
        MinHasher { scheme, ..MinHasher::new(num_perm, seed) }
    }

    /// The scheme in use.
    pub fn scheme(&self) -> MinHashScheme {
        self.scheme
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

    /// Folds one shingle hash into `sig`, a hash at a time (the signature of a slice
    /// takes several at once). For the two classic schemes: one-permutation hashing
    /// fills its empty bins once all hashes are in, so its signatures come from
    /// [`MinHasher::signature`] only (here it is folded as by [`MinHashScheme::Classic`]).
    #[inline]
    pub fn update(&self, sig: &mut [u32], hash: u64) {
        debug_assert_eq!(sig.len(), self.a.len());
        if self.scheme == MinHashScheme::Classic32 {
            let x = fold32(hash);
            for (((s, &a), &b), &k) in sig.iter_mut().zip(&self.a32).zip(&self.b32).zip(&self.k32) {
                *s = (*s).min((x ^ k).wrapping_mul(a).wrapping_add(b));
            }
            return;
        }
        for ((s, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
            let v = (a.wrapping_mul(hash).wrapping_add(b) >> 32) as u32;
            *s = (*s).min(v);
        }
    }

    /// The signature of a set of shingle hashes (duplicates do not matter).
    pub fn signature(&self, hashes: impl IntoIterator<Item = u64>) -> Signature {
        match self.scheme {
            MinHashScheme::Classic | MinHashScheme::Classic32 => {
                let hashes: Vec<u64> = hashes.into_iter().collect();
                self.signature_of_slice(&hashes)
            }
            MinHashScheme::OnePermutation => self.one_permutation(hashes),
        }
    }

    /// The signature of a slice of shingle hashes: the same as [`MinHasher::signature`].
    ///
    /// The classic schemes' loops run over four hashes at a time and all `num_perm`
    /// functions, which the compiler turns into vector code; on x86-64 processors with
    /// AVX-512 or AVX2 a copy compiled for them is chosen at run time. Every version
    /// computes the same values.
    pub fn signature_of_slice(&self, hashes: &[u64]) -> Signature {
        match self.scheme {
            MinHashScheme::OnePermutation => self.one_permutation(hashes.iter().copied()),
            MinHashScheme::Classic => {
                let mut acc = vec![u64::MAX; self.num_perm()];
                classic_dispatch(&self.a, &self.b, hashes, &mut acc);
                acc.into_iter().map(|v| (v >> 32) as u32).collect()
            }
            MinHashScheme::Classic32 => {
                let mut acc = vec![u32::MAX; self.num_perm()];
                classic32_dispatch(&self.a32, &self.b32, &self.k32, hashes, &mut acc);
                acc
            }
        }
    }

    fn one_permutation(&self, hashes: impl IntoIterator<Item = u64>) -> Signature {
        let mut sig = self.empty();
        match self.scheme {
            MinHashScheme::Classic | MinHashScheme::Classic32 => {
                unreachable!("one_permutation is called for that scheme only")
            }
            MinHashScheme::OnePermutation => {
                let k = sig.len() as u64;
                let mut any = false;
                for h in hashes {
                    let x = crate::text::shingle::finish(h ^ self.seed);
                    let bin = (((x >> 32) * k) >> 32) as usize;
                    let v = x as u32;
                    if v < sig[bin] {
                        sig[bin] = v;
                    }
                    any = true;
                }
                if any {
                    self.densify(&mut sig);
                }
            }
        }
        sig
    }

    /// Fills empty bins from non-empty ones along a seeded probe sequence per bin.
    fn densify(&self, sig: &mut [u32]) {
        let filled: Vec<bool> = sig.iter().map(|&v| v != u32::MAX).collect();
        let k = sig.len() as u64;
        for i in 0..sig.len() {
            if filled[i] {
                continue;
            }
            let mut state = self.seed ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
            loop {
                let j = (((splitmix64(&mut state) >> 32) * k) >> 32) as usize;
                if filled[j] {
                    sig[i] = sig[j];
                    break;
                }
            }
        }
    }
}

/// Minimum over `hashes` of `a_i * h + b_i` (64 bits, wrapping) into `acc[i]`, for every
/// function `i`: `acc[i] >> 32` is then the minimum of `(a_i * h + b_i) >> 32`, since a
/// shift keeps order. The shift is taken once, after the loop, instead of once for every
/// hash and function (one vector instruction in six on processors where a 64-bit vector
/// multiply is three).
#[inline(always)]
fn classic_kernel(a: &[u64], b: &[u64], hashes: &[u64], acc: &mut [u64]) {
    let n = acc.len();
    let (a, b) = (&a[..n], &b[..n]);
    let mut quads = hashes.chunks_exact(4);
    for q in &mut quads {
        let (h0, h1, h2, h3) = (q[0], q[1], q[2], q[3]);
        for i in 0..n {
            let (ai, bi) = (a[i], b[i]);
            let v0 = ai.wrapping_mul(h0).wrapping_add(bi);
            let v1 = ai.wrapping_mul(h1).wrapping_add(bi);
            let v2 = ai.wrapping_mul(h2).wrapping_add(bi);
            let v3 = ai.wrapping_mul(h3).wrapping_add(bi);
            acc[i] = acc[i].min(v0.min(v1).min(v2.min(v3)));
        }
    }
    for &h in quads.remainder() {
        for i in 0..n {
            acc[i] = acc[i].min(a[i].wrapping_mul(h).wrapping_add(b[i]));
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn classic_avx512(a: &[u64], b: &[u64], hashes: &[u64], acc: &mut [u64]) {
    classic_kernel(a, b, hashes, acc)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn classic_avx2(a: &[u64], b: &[u64], hashes: &[u64], acc: &mut [u64]) {
    classic_kernel(a, b, hashes, acc)
}

/// Runs [`classic_kernel`] compiled for the best instruction set the processor has.
fn classic_dispatch(a: &[u64], b: &[u64], hashes: &[u64], acc: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512dq") && std::arch::is_x86_feature_detected!("avx512vl") {
            // SAFETY: the processor has the features the function is compiled for.
            return unsafe { classic_avx512(a, b, hashes, acc) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { classic_avx2(a, b, hashes, acc) };
        }
    }
    classic_kernel(a, b, hashes, acc)
}

/// A shingle hash folded to the 32 bits [`MinHashScheme::Classic32`] hashes.
#[inline(always)]
fn fold32(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// Minimum over `hashes` of `(x ^ k_i) * a_i + b_i` (32 bits, wrapping; `x` the hash folded
/// to 32 bits, [`fold32`]) into `acc[i]`, for every function `i`: with `a_i` odd, each
/// function is a permutation of the 32-bit values. Four hashes at a time, as
/// [`classic_kernel`].
#[inline(always)]
fn classic32_kernel(a: &[u32], b: &[u32], k: &[u32], hashes: &[u64], acc: &mut [u32]) {
    let n = acc.len();
    let (a, b, k) = (&a[..n], &b[..n], &k[..n]);
    let mut quads = hashes.chunks_exact(4);
    for q in &mut quads {
        let (h0, h1, h2, h3) = (fold32(q[0]), fold32(q[1]), fold32(q[2]), fold32(q[3]));
        for i in 0..n {
            let (ai, bi, ki) = (a[i], b[i], k[i]);
            let v0 = (h0 ^ ki).wrapping_mul(ai).wrapping_add(bi);
            let v1 = (h1 ^ ki).wrapping_mul(ai).wrapping_add(bi);
            let v2 = (h2 ^ ki).wrapping_mul(ai).wrapping_add(bi);
            let v3 = (h3 ^ ki).wrapping_mul(ai).wrapping_add(bi);
            acc[i] = acc[i].min(v0.min(v1).min(v2.min(v3)));
        }
    }
    for &h in quads.remainder() {
        let x = fold32(h);
        for i in 0..n {
            acc[i] = acc[i].min((x ^ k[i]).wrapping_mul(a[i]).wrapping_add(b[i]));
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn classic32_avx512(a: &[u32], b: &[u32], k: &[u32], hashes: &[u64], acc: &mut [u32]) {
    classic32_kernel(a, b, k, hashes, acc)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn classic32_avx2(a: &[u32], b: &[u32], k: &[u32], hashes: &[u64], acc: &mut [u32]) {
    classic32_kernel(a, b, k, hashes, acc)
}

/// Runs [`classic32_kernel`] compiled for the best instruction set the processor has.
fn classic32_dispatch(a: &[u32], b: &[u32], k: &[u32], hashes: &[u64], acc: &mut [u32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor has the features the function is compiled for.
            return unsafe { classic32_avx512(a, b, k, hashes, acc) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { classic32_avx2(a, b, k, hashes, acc) };
        }
    }
    classic32_kernel(a, b, k, hashes, acc)
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

    fn bias_and_variance(scheme: MinHashScheme, a: &[u64], b: &[u64]) -> (f64, f64) {
        let estimates: Vec<f64> = (0..300)
            .map(|seed| {
                let m = MinHasher::with_scheme(128, seed, scheme);
                estimate_jaccard(&m.signature(a.iter().copied()), &m.signature(b.iter().copied()))
            })
            .collect();
        let mean = estimates.iter().sum::<f64>() / estimates.len() as f64;
        let var = estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / estimates.len() as f64;
        (mean, var)
    }

    /// Pairs of sets and their Jaccard similarity: large sets, small sets (for
    /// one-permutation hashing, most bins empty: densification at work), Jaccard 1/3
    /// and 0.8.
    fn estimate_cases() -> Vec<(Vec<u64>, Vec<u64>, f64)> {
        vec![
            (set(0..2000), set(1000..3000), 1.0 / 3.0),
            (set(0..40), set(20..60), 1.0 / 3.0),
            (set(0..900), set(100..1000), 0.8),
            (set(0..18), set(2..20), 0.8),
        ]
    }

    #[test]
    fn one_permutation_estimates_match_classic_ones() {
        for (a, b, j) in estimate_cases() {
            let (mean_c, var_c) = bias_and_variance(MinHashScheme::Classic, &a, &b);
            let (mean_o, var_o) = bias_and_variance(MinHashScheme::OnePermutation, &a, &b);
            assert!((mean_o - j).abs() < 0.015, "OPH bias: mean {mean_o} for J {j} ({} elements)", a.len());
            assert!((mean_c - j).abs() < 0.015, "classic bias: mean {mean_c} for J {j}");
            assert!(var_o < 1.5 * var_c + 1e-4, "OPH variance {var_o} against classic {var_c} ({} elements)", a.len());
        }
    }

    #[test]
    fn classic32_estimates_are_unbiased_with_the_variance_of_independent_functions() {
        // Correlated functions would show as a variance above the binomial J(1 - J) / 128
        // of independent ones.
        for (a, b, j) in estimate_cases() {
            let (mean, var) = bias_and_variance(MinHashScheme::Classic32, &a, &b);
            let (_, var_c) = bias_and_variance(MinHashScheme::Classic, &a, &b);
            let binomial = j * (1.0 - j) / 128.0;
            assert!((mean - j).abs() < 0.015, "classic32 bias: mean {mean} for J {j} ({} elements)", a.len());
            assert!(
                var < 1.4 * binomial,
                "classic32 variance {var} against binomial {binomial} ({} elements)",
                a.len()
            );
            assert!(var < 1.5 * var_c + 1e-4, "classic32 variance {var} against classic {var_c}");
        }
    }

    /// How often two of the functions of `scheme` pick the same element of a set as
    /// their minimum, over `seeds` seeds and every pair of 128 functions, against the
    /// `1 / |set|` of independent functions: `(count, expected)`.
    fn shared_minima(scheme: MinHashScheme, seeds: u64) -> (usize, f64) {
        let elements = set(0..500);
        let mut count = 0;
        for seed in 0..seeds {
            let m = MinHasher::with_scheme(128, seed, scheme);
            // Each function's value of each element, from one-element signatures.
            let values: Vec<Signature> = elements.iter().map(|&x| m.signature([x])).collect();
            let argmin: Vec<usize> =
                (0..128).map(|i| (0..elements.len()).min_by_key(|&e| values[e][i]).expect("elements")).collect();
            for i in 0..128 {
                count += (i + 1..128).filter(|&j| argmin[j] == argmin[i]).count();
            }
        }
        (count, seeds as f64 * (128.0 * 127.0 / 2.0) / elements.len() as f64)
    }

    #[test]
    fn classic32_functions_pick_their_minima_independently() {
        // Copies or near-copies among the functions (a seed expander repeating itself,
        // keys or multipliers lost on the way to the vector code) would share their
        // minimum far more often than 1 in 500: 8,128 pairs of functions a seed.
        for scheme in [MinHashScheme::Classic, MinHashScheme::Classic32] {
            let (count, expected) = shared_minima(scheme, 40);
            assert!(
                (count as f64) < expected + 5.0 * expected.sqrt(),
                "{scheme:?}: {count} shared minima against {expected:.0} expected"
            );
        }
    }

    #[test]
    fn classic32_functions_change_with_the_seed_and_differ_from_classic() {
        let m = MinHasher::with_scheme(64, 7, MinHashScheme::Classic32);
        let other_seed = MinHasher::with_scheme(64, 8, MinHashScheme::Classic32);
        assert_ne!(m.signature(set(0..100)), other_seed.signature(set(0..100)));
        assert_ne!(m.signature(set(0..100)), MinHasher::new(64, 7).signature(set(0..100)));
    }

    #[test]
    fn one_permutation_is_deterministic_and_handles_empty_sets() {
        let m = MinHasher::with_scheme(64, 3, MinHashScheme::OnePermutation);
        assert_eq!(m.signature(set(0..10)), m.signature(set(0..10).into_iter().rev()));
        assert!(is_empty_signature(&m.signature(std::iter::empty())));
        assert!(m.signature([5u64]).iter().all(|&v| v != u32::MAX), "one element fills every bin");
    }

    #[test]
    fn vector_signature_equals_the_one_hash_at_a_time_loop() {
        for scheme in [MinHashScheme::Classic, MinHashScheme::Classic32] {
            for (num_perm, len) in [(128, 0), (128, 1), (128, 7), (128, 600), (64, 33), (7, 5), (200, 41)] {
                let m = MinHasher::with_scheme(num_perm, 11, scheme);
                let hashes = set(1000..1000 + len);
                let mut expected = m.empty();
                for &h in &hashes {
                    m.update(&mut expected, h);
                }
                let what = format!("{scheme:?}, {num_perm} functions, {len} hashes");
                assert_eq!(m.signature_of_slice(&hashes), expected, "{what}");
                // The kernel compiled without target features gives the same values.
                let portable: Vec<u32> = if scheme == MinHashScheme::Classic {
                    let mut acc = vec![u64::MAX; num_perm];
                    classic_kernel(&m.a, &m.b, &hashes, &mut acc);
                    acc.iter().map(|&v| (v >> 32) as u32).collect()
                } else {
                    let mut acc = vec![u32::MAX; num_perm];
                    classic32_kernel(&m.a32, &m.b32, &m.k32, &hashes, &mut acc);
                    acc
                };
                assert_eq!(portable, expected, "{what}");
                assert_eq!(is_empty_signature(&expected), len == 0, "{what}");
            }
        }
    }

    #[test]
    fn empty_set_signature() {
        let m = MinHasher::new(16, 1);
        assert!(is_empty_signature(&m.signature(std::iter::empty())));
        assert!(!is_empty_signature(&m.signature([1u64])));
    }
}
