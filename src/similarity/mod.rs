//! Reworded sentences: is one sentence a paraphrase of another?
//!
//! Shingle overlap (the rest of the crate) finds copies; a sentence rewritten by an
//! editor ("officials said on Tuesday" → "Tuesday, officials said") shares few shingles
//! with its source but almost all its words. This module scores a pair of sentences with
//! a small logistic model over 13 lexical features ([`features`]): IDF-weighted word
//! containment, stem 3-grams, word edit distance, fuzzy word matches, numbers, negation
//! and proper nouns that only one side has.
//!
//! ## How the types fit
//!
//! 1. [`PreparedSentence`]: words, stems, sets and character 3-grams, computed once per
//!    sentence (a [`SentencePreparer`] reuses buffers and keeps the sentence's
//!    [`Span`](crate::Span) in its document).
//! 2. [`Idf`]: document frequencies of stems over all the sentences being compared (each
//!    sentence one document).
//! 3. [`SentenceMatcher`]: the IDF table plus a [`Model`]; [`SentenceMatcher::score`] of a
//!    pair allocates nothing for sentences under 128 words (each thread keeps the
//!    buffers of its last pair), so an aligner can compare every sentence of one
//!    document with every sentence of another.
//!
//! [`compare_texts`] does all three for a batch of text pairs, in parallel; [`read_pairs`]
//! reads such pairs from JSONL (the input of `dupmap similarity`).
//!
//! ## Example
//!
//! ```
//! use dupmap::similarity::{Idf, MatchKind, PreparedSentence, SentenceMatcher};
//!
//! let a = PreparedSentence::new("The minister said on Tuesday that the bridge would reopen in May.");
//! let b = PreparedSentence::new("The bridge will reopen in May, the minister said on Tuesday.");
//! let c = PreparedSentence::new("Heavy rain flooded several villages in the north overnight.");
//! let matcher = SentenceMatcher::new(Idf::from_sentences([&a, &b, &c]));
//! assert!(matcher.score(&a, &b) > matcher.score(&a, &c));
//! assert_eq!(matcher.compare(&a, &b).kind, MatchKind::Reworded);
//! assert_eq!(matcher.compare(&a, &c).kind, MatchKind::Different);
//! ```

pub mod features;
pub mod idf;
pub mod lexicon;
pub mod model;
pub mod pairs;
pub mod sentence;

use rayon::prelude::*;
use serde::Serialize;

pub use features::{FEATURE_NAMES, NUM_FEATURES};
pub use idf::Idf;
pub use model::Model;
pub use pairs::{read_pairs, PairInput, TextPair};
pub use sentence::{PreparedSentence, SentencePreparer};

/// Largest stem edit-distance ratio (feature `wed`) of a [`MatchKind::NearVerbatim`] pair.
pub const NEAR_VERBATIM_MAX_EDIT_RATIO: f64 = 0.2;

/// How two sentences relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same normalised words in the same order (case, quotes, dashes, spacing and
    /// punctuation aside). Two sentences without words are verbatim too.
    Verbatim,
    /// A paraphrase whose stem sequences differ by at most
    /// [`NEAR_VERBATIM_MAX_EDIT_RATIO`] edits per word: a copy with light edits.
    NearVerbatim,
    /// A paraphrase by the model, with more rewording.
    Reworded,
    /// Not a paraphrase.
    Different,
}

impl MatchKind {
    /// The name used in output (`near_verbatim`).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Verbatim => "verbatim",
            MatchKind::NearVerbatim => "near_verbatim",
            MatchKind::Reworded => "reworded",
            MatchKind::Different => "different",
        }
    }

    /// True for every kind but [`MatchKind::Different`].
    pub fn is_match(self) -> bool {
        self != MatchKind::Different
    }
}

/// The result of comparing two sentences.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    /// The model's score, in (0, 1).
    pub score: f64,
    /// How the sentences relate.
    pub kind: MatchKind,
    /// The features the score came from, in the order of [`FEATURE_NAMES`].
    pub features: [f64; NUM_FEATURES],
}

/// Scores sentence pairs: an IDF table and a model.
#[derive(Clone, Debug)]
pub struct SentenceMatcher {
    idf: Idf,
    model: Model,
}

impl SentenceMatcher {
    /// A matcher with the shipped model ([`Model::SHIPPED`]).
    pub fn new(idf: Idf) -> SentenceMatcher {
        SentenceMatcher::with_model(idf, Model::SHIPPED)
    }

    /// A matcher with another model (a refit, say).
    pub fn with_model(mut idf: Idf, model: Model) -> SentenceMatcher {
        idf.precompute();
        SentenceMatcher { idf, model }
    }

    /// The IDF table.
    pub fn idf(&self) -> &Idf {
        &self.idf
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The 13 features of a pair, in the order of [`FEATURE_NAMES`]; symmetric in `a`
    /// and `b`.
    pub fn features(&self, a: &PreparedSentence, b: &PreparedSentence) -> [f64; NUM_FEATURES] {
        features::pair_features(a, b, &self.idf)
    }

    /// The model's score of a pair, in (0, 1); higher is more likely a paraphrase.
    pub fn score(&self, a: &PreparedSentence, b: &PreparedSentence) -> f64 {
        self.model.score(&self.features(a, b))
    }

    /// Like [`SentenceMatcher::compare`], but `None` as soon as bounds of the features
    /// show that the pair scores below the model's threshold and that its `soft_max`
    /// feature (IDF-weighted soft containment) stays below `min_soft`: most unrelated
    /// pairs are ruled out without the costly features
    /// ([`features::bounded_features`]). Never `None` for a pair that `compare` finds a
    /// match or whose `soft_max` reaches `min_soft`; otherwise the same result.
    pub fn compare_unless_ruled_out(
        &self,
        a: &PreparedSentence,
        b: &PreparedSentence,
        min_soft: f64,
    ) -> Option<Comparison> {
        if a.same_words(b) {
            return Some(self.compare(a, b));
        }
        let rule_out = |lo: &[f64; NUM_FEATURES], hi: &[f64; NUM_FEATURES]| {
            hi[features::SOFT_MAX] < min_soft && !self.is_paraphrase(self.model.max_score(lo, hi))
        };
        let features = features::bounded_features(a, b, &self.idf, rule_out)?;
        Some(self.comparison(a, b, features))
    }

    /// True when `score` says paraphrase (at or above the model's threshold).
    pub fn is_paraphrase(&self, score: f64) -> bool {
        self.model.is_paraphrase(score)
    }

    /// Score, kind and features of a pair.
    pub fn compare(&self, a: &PreparedSentence, b: &PreparedSentence) -> Comparison {
        self.comparison(a, b, self.features(a, b))
    }

    fn comparison(&self, a: &PreparedSentence, b: &PreparedSentence, features: [f64; NUM_FEATURES]) -> Comparison {
        let score = self.model.score(&features);
        let kind = if a.same_words(b) {
            MatchKind::Verbatim
        } else if !self.is_paraphrase(score) {
            MatchKind::Different
        } else if features[features::EDIT_RATIO] <= NEAR_VERBATIM_MAX_EDIT_RATIO {
            MatchKind::NearVerbatim
        } else {
            MatchKind::Reworded
        };
        Comparison { score, kind, features }
    }
}

/// Compares each pair of texts with the shipped model, the IDF table built from every
/// text of `pairs`. Runs in parallel; the results are in input order and do not depend
/// on the number of threads.
pub fn compare_texts<S: AsRef<str> + Sync>(pairs: &[(S, S)]) -> Vec<Comparison> {
    let prepared: Vec<(PreparedSentence, PreparedSentence)> = pairs
        .par_iter()
        .map_init(SentencePreparer::new, |p, (a, b)| (p.prepare(a.as_ref()), p.prepare(b.as_ref())))
        .collect();
    let matcher = SentenceMatcher::new(Idf::from_sentences(prepared.iter().flat_map(|(a, b)| [a, b])));
    prepared.par_iter().map(|(a, b)| matcher.compare(a, b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let pairs = [
            ("The talks ended on Friday.", "THE TALKS ENDED ON FRIDAY!"),
            (
                "The central bank raised its main interest rate by half a point on Thursday.",
                "The central bank raised its main interest rate by a half point on Thursday.",
            ),
            (
                "Police arrested three men after the robbery at a jewellery shop in the city centre.",
                "Three men were arrested by police following a robbery at a city-centre jewellery shop.",
            ),
            ("The talks ended on Friday.", "Storms closed schools across the region this week."),
        ];
        let kinds: Vec<MatchKind> = compare_texts(&pairs).iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [MatchKind::Verbatim, MatchKind::NearVerbatim, MatchKind::Reworded, MatchKind::Different]);
    }

    #[test]
    fn truncated_quote_scores_higher_than_an_unrelated_sentence() {
        let full =
            "\u{201C}We will not accept any deal that leaves our workers worse off,\u{201D} the union leader said.";
        let truncated = "\u{201C}We will not accept any deal that leaves our workers worse off.\u{201D}";
        let unrelated = "The museum will reopen its west wing to visitors next spring.";
        let s = [full, truncated, unrelated].map(PreparedSentence::new);
        let m = SentenceMatcher::new(Idf::from_sentences(&s));
        assert!(m.score(&s[0], &s[1]) > m.score(&s[0], &s[2]) + 0.3);
        assert!(m.compare(&s[0], &s[1]).kind.is_match());
        assert_eq!(m.compare(&s[0], &s[2]).kind, MatchKind::Different);
    }

    #[test]
    fn score_is_symmetric_and_matches_the_model() {
        let s = ["Shares fell 3 percent in early trading.", "Shares dropped 3 percent in early trade."]
            .map(PreparedSentence::new);
        let m = SentenceMatcher::new(Idf::from_sentences(&s));
        let (ab, ba) = (m.score(&s[0], &s[1]), m.score(&s[1], &s[0]));
        assert!((ab - ba).abs() < 1e-12);
        assert_eq!(ab, m.model().score(&m.features(&s[0], &s[1])));
    }
}
