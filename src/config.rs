//! Scan configuration: one setter per knob, defaults in their docs, validated by `build()`.
//!
//! Every parameter that shapes the output is written into the report's `params`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lsh::params::{choose_bands, DEFAULT_FN_WEIGHT, DEFAULT_FP_WEIGHT};
use crate::minhash::MinHashScheme;
use crate::text::Shingling;
use crate::verify::RelationThresholds;

/// How candidate pairs are verified.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Exact Jaccard and containment of the shingle sets (default).
    #[default]
    Exact,
    /// Estimates from the MinHash signatures and set sizes: faster, approximate.
    Estimate,
}

/// A validated scan configuration. Build one with [`ScanConfig::builder`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScanConfig {
    /// Shingle kind and size.
    pub shingling: Shingling,
    /// Number of MinHash functions.
    pub num_perm: usize,
    /// Seed of the MinHash functions.
    pub seed: u64,
    /// How signatures are computed.
    pub minhash: MinHashScheme,
    /// Jaccard similarity the LSH banding is tuned for (candidate generation).
    pub threshold: f64,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Thresholds deciding each pair's relation.
    pub relation: RelationThresholds,
    /// A segment in this many documents is boilerplate; 0 turns detection off.
    pub boilerplate_min_docs: u32,
    /// Exact or estimated verification.
    pub verification: Verification,
    /// Find shared passages (the overlap map) after the document scan.
    pub passages: bool,
    /// Matcher score at or above which two sentences are a rewording of each other.
    pub passage_threshold: f64,
    /// Worker threads; `None` uses all cores. Output never depends on it.
    #[serde(skip)]
    pub threads: Option<usize>,
}

impl Default for ScanConfig {
    fn default() -> ScanConfig {
        ScanConfig::builder().build().expect("defaults are valid")
    }
}

impl ScanConfig {
    /// A builder holding the defaults.
    pub fn builder() -> ScanConfigBuilder {
        ScanConfigBuilder::default()
    }
}

/// Builds a [`ScanConfig`]; every setter documents its default.
#[derive(Clone, Debug, Default)]
pub struct ScanConfigBuilder {
    shingling: Option<Shingling>,
    num_perm: Option<usize>,
    seed: Option<u64>,
    minhash: Option<MinHashScheme>,
    threshold: Option<f64>,
    bands: Option<usize>,
    rows: Option<usize>,
    duplicate_ratio: Option<f64>,
    containment_threshold: Option<f64>,
    overlap_threshold: Option<f64>,
    boilerplate_min_docs: Option<u32>,
    verification: Option<Verification>,
    passages: Option<bool>,
    passage_threshold: Option<f64>,
    threads: Option<usize>,
}

/// Default shingling: word 4-grams (see the README for the measurement behind it).
pub const DEFAULT_SHINGLING: Shingling = Shingling { kind: crate::text::ShingleKind::Words, size: 4 };
/// Default number of MinHash functions.
pub const DEFAULT_NUM_PERM: usize = 128;
/// Default LSH threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.25;
/// Default containment that makes a pair a copy.
pub const DEFAULT_CONTAINMENT_THRESHOLD: f64 = 0.45;
/// Default ratio of the smaller to the larger containment of a `duplicate`.
pub const DEFAULT_DUPLICATE_RATIO: f64 = 0.9;
/// Default reporting threshold for `overlap` pairs.
pub const DEFAULT_OVERLAP_THRESHOLD: f64 = 0.2;
/// Default matcher score of a reworded sentence pair in passages. The model's own
/// threshold (0.52) maximises accuracy on sentence pairs labelled as paraphrases by
/// people, a stricter notion than "the same statement reworded": at 0.4 the seed
/// articles' three renderings of one quote meet, and on the labelled benchmark passage
/// precision falls only from 0.968 to 0.957 (recall 0.989 either way); at 0.3 unrelated
/// sentences of same-event articles start to match.
pub const DEFAULT_PASSAGE_THRESHOLD: f64 = 0.4;
/// Default number of documents that makes a segment boilerplate.
pub const DEFAULT_BOILERPLATE_MIN_DOCS: u32 = 20;

impl ScanConfigBuilder {
    /// Shingle kind and size. Default `words:4`.
    pub fn shingling(mut self, s: Shingling) -> Self {
        self.shingling = Some(s);
        self
    }
    /// Number of MinHash functions, 8 to 1024. Default 128.
    pub fn num_perm(mut self, n: usize) -> Self {
        self.num_perm = Some(n);
        self
    }
    /// Seed of the MinHash functions. Default 0.
    pub fn seed(mut self, s: u64) -> Self {
        self.seed = Some(s);
        self
    }
    /// MinHash scheme: classic32 (`num_perm` hash functions computed on 32 bits, the
    /// default), classic (on 64 bits) or one-permutation hashing with optimal
    /// densification.
    pub fn minhash(mut self, scheme: MinHashScheme) -> Self {
        self.minhash = Some(scheme);
        self
    }
    /// Jaccard threshold the LSH banding is chosen for, in (0, 1). Default 0.25: low, so
    /// that truncated and reworded copies and embedded articles become candidates;
    /// verification decides.
    pub fn threshold(mut self, t: f64) -> Self {
        self.threshold = Some(t);
        self
    }
    /// LSH bands and rows, overriding the choice from the threshold. `bands * rows`
    /// must not exceed `num_perm`.
    pub fn bands(mut self, bands: usize, rows: usize) -> Self {
        self.bands = Some(bands);
        self.rows = Some(rows);
        self
    }
    /// A copy is `duplicate` when its smaller containment is at least this share of the
    /// larger (otherwise `contains`/`contained_by`). Default 0.9.
    pub fn duplicate_ratio(mut self, r: f64) -> Self {
        self.duplicate_ratio = Some(r);
        self
    }
    /// Containment (the larger of a pair's two) at or above which a pair is a copy.
    /// Default 0.45.
    pub fn containment_threshold(mut self, t: f64) -> Self {
        self.containment_threshold = Some(t);
        self
    }
    /// Smallest similarity for which an `overlap` pair is reported. Default 0.2.
    pub fn overlap_threshold(mut self, t: f64) -> Self {
        self.overlap_threshold = Some(t);
        self
    }
    /// Number of documents a segment must appear in to count as boilerplate; 0 turns
    /// boilerplate detection off. Default 20.
    pub fn boilerplate_min_docs(mut self, n: u32) -> Self {
        self.boilerplate_min_docs = Some(n);
        self
    }
    /// Exact (default) or estimated verification.
    pub fn verification(mut self, v: Verification) -> Self {
        self.verification = Some(v);
        self
    }
    /// Find the passages documents share (on by default; off gives the document-level
    /// scan alone).
    pub fn passages(mut self, on: bool) -> Self {
        self.passages = Some(on);
        self
    }
    /// Matcher score (0 to 1) at or above which two sentences are a rewording of each
    /// other. Default [`DEFAULT_PASSAGE_THRESHOLD`].
    pub fn passage_threshold(mut self, t: f64) -> Self {
        self.passage_threshold = Some(t);
        self
    }
    /// Worker threads. Default: all cores.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n);
        self
    }

    /// Validates and builds the configuration.
    pub fn build(self) -> Result<ScanConfig> {
        let bad = |m: String| Err(Error::Config(m));
        let shingling = self.shingling.unwrap_or(DEFAULT_SHINGLING);
        let num_perm = self.num_perm.unwrap_or(DEFAULT_NUM_PERM);
        if !(8..=1024).contains(&num_perm) {
            return bad(format!("num_perm must be 8 to 1024, not {num_perm}"));
        }
        let threshold = self.threshold.unwrap_or(DEFAULT_THRESHOLD);
        let unit = |name: &str, v: f64| -> Result<f64> {
            if v > 0.0 && v <= 1.0 {
                Ok(v)
            } else {
                Err(Error::Config(format!("{name} must be in (0, 1], not {v}")))
            }
        };
        unit("threshold", threshold)?;
        let (bands, rows) = match (self.bands, self.rows) {
            (Some(b), Some(r)) => {
                if b == 0 || r == 0 || b * r > num_perm {
                    return bad(format!(
                        "bands x rows = {b} x {r} must be at least 1 and at most num_perm ({num_perm})"
                    ));
                }
                (b, r)
            }
            _ => choose_bands(threshold, num_perm, DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT),
        };
        let relation = RelationThresholds {
            duplicate_ratio: unit("duplicate ratio", self.duplicate_ratio.unwrap_or(DEFAULT_DUPLICATE_RATIO))?,
            containment: unit(
                "containment threshold",
                self.containment_threshold.unwrap_or(DEFAULT_CONTAINMENT_THRESHOLD),
            )?,
            overlap: unit("overlap threshold", self.overlap_threshold.unwrap_or(DEFAULT_OVERLAP_THRESHOLD))?,
        };
        let boilerplate_min_docs = self.boilerplate_min_docs.unwrap_or(DEFAULT_BOILERPLATE_MIN_DOCS);
        if boilerplate_min_docs == 1 {
            return bad("boilerplate documents must be 0 (off) or at least 2".into());
        }
        if let Some(0) = self.threads {
            return bad("threads must be at least 1".into());
        }
        Ok(ScanConfig {
            shingling,
            num_perm,
            seed: self.seed.unwrap_or(0),
            minhash: self.minhash.unwrap_or_default(),
            threshold,
            bands,
            rows,
            relation,
            boilerplate_min_docs,
            verification: self.verification.unwrap_or_default(),
            passages: self.passages.unwrap_or(true),
            passage_threshold: unit("passage threshold", self.passage_threshold.unwrap_or(DEFAULT_PASSAGE_THRESHOLD))?,
            threads: self.threads,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        let c = ScanConfig::default();
        assert_eq!(c.num_perm, 128);
        assert!(c.bands * c.rows <= 128);
        assert!(ScanConfig::builder().num_perm(4).build().is_err());
        assert!(ScanConfig::builder().threshold(0.0).build().is_err());
        assert!(ScanConfig::builder().bands(20, 7).build().is_err());
        assert_eq!(ScanConfig::builder().bands(16, 8).build().unwrap().bands, 16);
        assert!(ScanConfig::builder().threads(0).build().is_err());
    }
}
