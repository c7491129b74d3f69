//! Inverse document frequency of stems, over a collection of sentences.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use super::sentence::PreparedSentence;

/// Document frequencies of stems: every sentence is one document, and a stem counts once
/// per sentence however often it occurs there.
///
/// The weight of a stem is `ln((N + 1) / (df + 1)) + 1` for `N` sentences of which `df`
/// contain it; a stem never seen gets the largest weight, `ln(N + 1) + 1`. Build the table
/// from every sentence that will be compared (both documents, for an aligner), so that
/// words common in the material weigh little. An empty table gives every stem weight 1.
#[derive(Clone, Debug, Default)]
pub struct Idf {
    documents: u64,
    df: StemCounts,
    /// Weights of the smallest document frequencies, for `documents` sentences as
    /// counted when [`Idf::precompute`] ran (a logarithm saved per look-up).
    table: Vec<f64>,
    table_documents: u64,
    /// Weights of every stem counted, as counted when [`Idf::precompute`] ran (one
    /// look-up for a weight instead of a document frequency and then a weight).
    weights: HashMap<u64, f64, ahash::RandomState>,
    /// Set by [`Idf::precompute`], unique to these weights (0: none): sentences weighed
    /// with them ([`PreparedSentence::weigh`]) keep it, to be read only by this table.
    stamp: u64,
}

impl Idf {
    /// An empty table (every weight 1).
    pub fn new() -> Idf {
        Idf::default()
    }

    /// The table of these sentences.
    pub fn from_sentences<'a>(sentences: impl IntoIterator<Item = &'a PreparedSentence>) -> Idf {
        let mut idf = Idf::new();
        for s in sentences {
            idf.add(s);
        }
        idf
    }

    /// Counts one more sentence.
    pub fn add(&mut self, sentence: &PreparedSentence) {
        self.add_stems(&sentence.stem_set);
    }

    /// Counts one more sentence, given its distinct stems' hashes.
    pub(crate) fn add_stems(&mut self, stems: &[u64]) {
        self.stamp = 0;
        self.documents += 1;
        self.df.add_each(stems);
    }

    /// Adds the counts of another table (for counting in parallel).
    pub fn merge(mut self, other: Idf) -> Idf {
        let (mut big, small) =
            if self.df.len() >= other.df.len() { (self, other) } else { (other, std::mem::take(&mut self)) };
        big.documents += small.documents;
        big.stamp = 0;
        big.df.reserve(small.df.len());
        for (stem, n) in small.df.iter() {
            big.df.add(stem, n);
        }
        big
    }

    /// Number of sentences counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The weight of a stem (as [`PreparedSentence::stems`] gives it).
    pub fn weight_of_stem(&self, stem: &str) -> f64 {
        self.weight(xxh3_64(stem.as_bytes()))
    }

    /// The weight of a stem found in exactly one sentence, `ln((N + 1) / 2) + 1`: the
    /// largest weight of any stem of the counted sentences.
    pub fn hapax_weight(&self) -> f64 {
        self.weight_for_df(1)
    }

    /// The weight of a stem hash.
    #[inline]
    pub(crate) fn weight(&self, stem: u64) -> f64 {
        if self.stamp != 0 && self.table_documents == self.documents {
            return self.weights.get(&stem).copied().unwrap_or(self.table[0]);
        }
        self.weight_for_df(self.df.get(stem))
    }

    /// Computes the weights of the document frequencies below [`Idf::TABLE`] once, and
    /// of every stem counted, for the sentences counted so far: later look-ups read a
    /// table (the same values, no logarithm). Counting more sentences makes the tables
    /// unused until this runs again.
    pub fn precompute(&mut self) {
        self.table_documents = u64::MAX;
        self.table = (0..Idf::TABLE).map(|df| self.weight_for_df(df)).collect();
        self.weights = self.df.iter().map(|(stem, df)| (stem, self.weight_for_df(df))).collect();
        self.table_documents = self.documents;
        static STAMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.stamp = STAMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// What identifies the weights [`Idf::precompute`] fixed (0 before it runs, or once
    /// more sentences are counted).
    #[inline]
    pub(crate) fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Document frequencies whose weights [`Idf::precompute`] tabulates.
    const TABLE: u32 = 1024;

    #[inline]
    fn weight_for_df(&self, df: u32) -> f64 {
        if let Some(&w) = self.table.get(df as usize) {
            if self.table_documents == self.documents {
                return w;
            }
        }
        ((self.documents + 1) as f64 / (f64::from(df) + 1.0)).ln() + 1.0
    }
}

/// Counts keyed by stem hash: an open-addressed table whose slot is read from the
/// hash's top bits (stem hashes are well mixed), probed linearly, at most half full.
/// A slot is free while its count is 0.
#[derive(Clone, Debug, Default)]
struct StemCounts {
    slots: Vec<(u64, u32)>,
    len: usize,
    /// 64 minus log2 of the number of slots (unused while there are none).
    shift: u32,
}

impl StemCounts {
    const MIN_SLOTS: usize = 1024;

    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn home(&self, stem: u64) -> usize {
        (stem >> self.shift) as usize
    }

    /// The count of `stem` (0: never counted).
    #[inline]
    fn get(&self, stem: u64) -> u32 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(stem);
        loop {
            let (key, n) = self.slots[i];
            if n == 0 || key == stem {
                return n;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `n` (at least 1) to the count of `stem`.
    #[inline]
    fn add(&mut self, stem: u64, n: u32) {
        self.reserve(1);
        self.add_reserved(stem, n);
    }

    /// Adds 1 to the count of each of `stems`, prefetching their slots first.
    fn add_each(&mut self, stems: &[u64]) {
        self.reserve(stems.len());
        #[cfg(target_arch = "x86_64")]
        for &stem in stems {
            crate::prefetch::line(self.slots.as_ptr().wrapping_add(self.home(stem)));
        }
        for &stem in stems {
            self.add_reserved(stem, 1);
        }
    }

    /// Makes room for `more` new stems (keeping the table at most half full).
    fn reserve(&mut self, more: usize) {
        if (self.len + more) * 2 <= self.slots.len() {
            return;
        }
        let size = ((self.len + more) * 2).next_power_of_two().max(StemCounts::MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        self.shift = 64 - size.ilog2();
        self.len = 0;
        for (stem, n) in old {
            if n != 0 {
                self.add_reserved(stem, n);
            }
        }
    }

    #[inline]
    fn add_reserved(&mut self, stem: u64, n: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(stem);
        loop {
            let slot = &mut self.slots[i];
            if slot.1 == 0 {
                *slot = (stem, n);
                self.len += 1;
                return;
            }
            if slot.0 == stem {
                slot.1 += n;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Every stem counted, with its count (in no particular order).
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.slots.iter().copied().filter(|&(_, n)| n != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_document_frequency() {
        let sents: Vec<PreparedSentence> =
            ["the cat sat", "the dog ran", "the cat ran the race"].iter().map(|s| PreparedSentence::new(s)).collect();
        let idf = Idf::from_sentences(&sents);
        assert_eq!(idf.documents(), 3);
        // "the": df 3 (counted once in the third sentence) -> ln(4/4) + 1.
        assert!((idf.weight_of_stem("the") - 1.0).abs() < 1e-12);
        assert!((idf.weight_of_stem("cat") - ((4.0f64 / 3.0).ln() + 1.0)).abs() < 1e-12);
        assert!((idf.weight_of_stem("dog") - idf.hapax_weight()).abs() < 1e-12);
        assert!((idf.weight_of_stem("zebra") - (4.0f64.ln() + 1.0)).abs() < 1e-12);
        assert!((Idf::new().weight_of_stem("anything") - 1.0).abs() < 1e-12);
        // The table gives the same values; counting more makes it unused.
        let mut tabled = idf.clone();
        tabled.precompute();
        for stem in ["the", "cat", "dog", "zebra"] {
            assert_eq!(tabled.weight_of_stem(stem), idf.weight_of_stem(stem));
        }
        // A stem in more sentences than the table holds: the same weight either way.
        let many: Vec<PreparedSentence> = (0..1100).map(|i| PreparedSentence::new(&format!("the w{i}"))).collect();
        let mut common = Idf::from_sentences(&many);
        let plain = common.clone();
        common.precompute();
        assert!(!common.weights.is_empty());
        assert_eq!(common.weight_of_stem("the"), plain.weight_of_stem("the"));
        assert_eq!(common.weight_of_stem("w7"), plain.weight_of_stem("w7"));
        tabled.add(&sents[0]);
        assert!((tabled.weight_of_stem("zebra") - (5.0f64.ln() + 1.0)).abs() < 1e-12);
    }

    proptest::proptest! {
        /// The stem table counts as a plain map does, across growth, merging and
        /// stems crowded into neighbouring slots.
        #[test]
        fn stem_counts_match_a_map(
            sentences in proptest::collection::vec(proptest::collection::btree_set(0u64..3000, 0..40), 0..120),
            split in 0usize..120,
            crowd in 0u32..64,
        ) {
            // Spread the small numbers over the hash range, or (`crowd` large) keep them
            // in the lowest slots where they collide.
            let stem = |x: u64| x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> crowd;
            let mut map: HashMap<u64, u32> = HashMap::new();
            let (mut a, mut b) = (Idf::new(), Idf::new());
            for (i, set) in sentences.iter().enumerate() {
                let mut stems: Vec<u64> = set.iter().map(|&x| stem(x)).collect();
                stems.sort_unstable();
                stems.dedup();
                for &h in &stems {
                    *map.entry(h).or_insert(0) += 1;
                }
                if i < split { a.add_stems(&stems) } else { b.add_stems(&stems) }
            }
            let merged = a.merge(b);
            proptest::prop_assert_eq!(merged.documents(), sentences.len() as u64);
            proptest::prop_assert_eq!(merged.df.len(), map.len());
            for (&h, &n) in &map {
                proptest::prop_assert_eq!(merged.df.get(h), n);
            }
            let mut listed: Vec<(u64, u32)> = merged.df.iter().collect();
            listed.sort_unstable();
            let mut expected: Vec<(u64, u32)> = map.iter().map(|(&h, &n)| (h, n)).collect();
            expected.sort_unstable();
            proptest::prop_assert_eq!(listed, expected);
            if !map.contains_key(&stem(5000)) {
                proptest::prop_assert_eq!(merged.df.get(stem(5000)), 0);
            }
        }
    }
}
