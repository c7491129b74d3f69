//! Inverse document frequency of stems, over a collection of sentences.

use std::collections::HashMap;

use crate::text::word_hash;

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
    df: HashMap<u64, u32, ahash::RandomState>,
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
        for &stem in stems {
            *self.df.entry(stem).or_insert(0) += 1;
        }
    }

    /// Adds the counts of another table (for counting in parallel).
    pub fn merge(mut self, other: Idf) -> Idf {
        let (mut big, small) =
            if self.df.len() >= other.df.len() { (self, other) } else { (other, std::mem::take(&mut self)) };
        big.documents += small.documents;
        big.stamp = 0;
        big.df.reserve(small.df.len());
        for (stem, n) in small.df {
            *big.df.entry(stem).or_insert(0) += n;
        }
        big
    }

    /// Number of sentences counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The weight of a stem (as [`PreparedSentence::stems`] gives it).
    pub fn weight_of_stem(&self, stem: &str) -> f64 {
        self.weight(word_hash(stem.as_bytes()))
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
        self.weight_for_df(self.df.get(&stem).copied().unwrap_or(0))
    }

    /// Computes the weights of the document frequencies below [`Idf::TABLE`] once, and
    /// of every stem counted, for the sentences counted so far: later look-ups read a
    /// table (the same values, no logarithm). Counting more sentences makes the tables
    /// unused until this runs again.
    pub fn precompute(&mut self) {
        self.table_documents = u64::MAX;
        self.table = (0..Idf::TABLE).map(|df| self.weight_for_df(df)).collect();
        self.weights = self.df.iter().map(|(&stem, &df)| (stem, self.weight_for_df(df))).collect();
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
        /// Tables counted apart and merged count as one table counting everything.
        #[test]
        fn merged_counts_are_the_counts_of_all(
            sentences in proptest::collection::vec(proptest::collection::btree_set(0u64..3000, 0..40), 0..120),
            split in 0usize..120,
        ) {
            let stem = |x: u64| x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut map: HashMap<u64, u32> = HashMap::new();
            let (mut a, mut b) = (Idf::new(), Idf::new());
            for (i, set) in sentences.iter().enumerate() {
                let stems: Vec<u64> = set.iter().map(|&x| stem(x)).collect();
                for &h in &stems {
                    *map.entry(h).or_insert(0) += 1;
                }
                if i < split { a.add_stems(&stems) } else { b.add_stems(&stems) }
            }
            let merged = a.merge(b);
            proptest::prop_assert_eq!(merged.documents(), sentences.len() as u64);
            let counted: HashMap<u64, u32> = merged.df.iter().map(|(&h, &n)| (h, n)).collect();
            proptest::prop_assert_eq!(counted, map);
        }
    }
}
