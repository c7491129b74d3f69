//! The report: versioned serde types that are the output contract.
//!
//! Schema `dupmap.report/1` (the README documents every field):
//!
//! ```text
//! {
//!   "schema": "dupmap.report/1",
//!   "params": { every option that shapes the output },
//!   "summary": { counts },
//!   "documents": [ {"id", "source", "bytes"} ],            input order
//!   "duplicate_clusters": [ {"id", "representative", "members"} ],
//!   "pairs": [ {"a", "b", "relation", "jaccard", "containment_a", "containment_b",
//!               "coverage_a", "coverage_b", "derived",
//!               "passages": [ {"a_start", "a_end", "b_start", "b_end", "kind", "score"} ]} ],
//!   "passage_clusters": [ {"id", "kind", "passages": [ {"doc", "start", "end"} ]} ],
//!   "errors": [ {"source", "reason"} ]
//! }
//! ```
//!
//! The passage fields (`coverage_*`, `derived`, `passages`, `passage_clusters`) are
//! present when passages were searched (the default; not with `--no-passages`).
//! ```text
//! ```
//!
//! Names only ever get added within a schema version; a change of meaning bumps it.
//! Floats are rounded to 4 decimals so that reports diff cleanly.

pub mod html;
pub mod json;
pub mod jsonl;
pub mod text;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{ScanConfig, Verification};
use crate::error::InputError;
use crate::input::Document;
use crate::passage::{PassageKind, Side};
use crate::pipeline::ScanResult;
use crate::text::NORMALIZATION_VERSION;
use crate::verify::Relation;

/// The schema name and version written into every report.
pub const SCHEMA: &str = "dupmap.report/1";

/// A whole scan report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Every parameter that shapes the output.
    pub params: Params,
    /// Counts.
    pub summary: Summary,
    /// Every document read, in input order.
    pub documents: Vec<DocumentEntry>,
    /// Clusters of two or more copies of one story.
    pub duplicate_clusters: Vec<ClusterEntry>,
    /// Verified pairs, `a` before `b` in input order, sorted.
    pub pairs: Vec<PairEntry>,
    /// Passages recurring across documents, when passages were searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage_clusters: Option<Vec<PassageClusterEntry>>,
    /// Input problems, in the order they were found.
    pub errors: Vec<InputError>,
}

/// Parameters that shape the output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// MinHash seed.
    pub seed: u64,
    /// Number of MinHash functions (or bins).
    pub num_perm: usize,
    /// `classic32`, `classic` or `one_permutation`.
    pub minhash: crate::minhash::MinHashScheme,
    /// Shingling, e.g. `words:5`.
    pub shingles: String,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Jaccard threshold the banding was chosen for.
    pub threshold: f64,
    /// Containment that makes a pair a copy.
    pub containment_threshold: f64,
    /// Smaller-to-larger containment ratio of a `duplicate` copy.
    pub duplicate_ratio: f64,
    /// Reporting threshold of `overlap`.
    pub overlap_threshold: f64,
    /// Documents a segment must be in to be boilerplate (0: off).
    pub boilerplate_min_docs: u32,
    /// `exact` or `estimate`.
    pub verification: Verification,
    /// Version of the text normalisation.
    pub normalization: u32,
    /// Matcher score of a reworded sentence pair (present with passage search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage_threshold: Option<f64>,
}

/// Counts of the report's contents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Documents read.
    pub documents: usize,
    /// Input problems reported.
    pub errors: usize,
    /// Duplicate clusters.
    pub duplicate_clusters: usize,
    /// Documents in duplicate clusters that are not their representative.
    pub duplicates: usize,
    /// Pairs by relation.
    pub pairs: RelationCounts,
    /// Shared passages found (0 without passage search).
    pub passages: usize,
    /// Passage clusters (0 without passage search).
    pub passage_clusters: usize,
}

/// Pairs counted by relation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationCounts {
    /// `duplicate` pairs.
    pub duplicate: usize,
    /// `contains` and `contained_by` pairs.
    pub contains: usize,
    /// `overlap` pairs.
    pub overlap: usize,
    /// Documents repeating passages of their own (`self` pairs).
    #[serde(rename = "self")]
    pub self_repeat: usize,
}

/// One input document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    /// Its id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// Length of its text in bytes.
    pub bytes: usize,
}

/// A duplicate cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterEntry {
    /// Cluster number, 0.. in order of representative.
    pub id: usize,
    /// The first seen document.
    pub representative: String,
    /// All members in input order, the representative first.
    pub members: Vec<String>,
}

/// A verified pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairEntry {
    /// The earlier document's id.
    pub a: String,
    /// The later document's id.
    pub b: String,
    /// How a relates to b.
    pub relation: Relation,
    /// Jaccard of the shingle sets.
    pub jaccard: f64,
    /// Share of a's shingles found in b.
    pub containment_a: f64,
    /// Share of b's shingles found in a.
    pub containment_b: f64,
    /// Share of a's text covered by shared passages (with passage search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_a: Option<f64>,
    /// Share of b's text covered by shared passages (with passage search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_b: Option<f64>,
    /// `"a"` or `"b"`: the side that looks derived from the other (most of its text is
    /// shared, much less of the other's); absent when the evidence does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Side>,
    /// Shared passages, by start in a (with passage search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passages: Option<Vec<PassageEntry>>,
}

/// A passage shared by a pair: byte offsets into each original text, end exclusive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassageEntry {
    /// Start in a.
    pub a_start: u32,
    /// End in a (exclusive).
    pub a_end: u32,
    /// Start in b.
    pub b_start: u32,
    /// End in b (exclusive).
    pub b_end: u32,
    /// `verbatim`, `near_verbatim` or `reworded`.
    pub kind: PassageKind,
    /// 1 for verbatim, the share of words kept for near-verbatim, the matcher's score for
    /// reworded (length-weighted over a passage's sentences).
    pub score: f64,
}

/// A passage recurring in several places.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassageClusterEntry {
    /// Cluster number, 0.. in order of first occurrence.
    pub id: usize,
    /// The loosest kind of link in the cluster.
    pub kind: PassageKind,
    /// Occurrences, by document (input order) then start.
    pub passages: Vec<Occurrence>,
}

/// One occurrence of a clustered passage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Document id.
    pub doc: String,
    /// Start byte in the document's original text.
    pub start: u32,
    /// End byte (exclusive).
    pub end: u32,
}

/// Where one document stands: the JSONL output's line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The document's id.
    pub id: String,
    /// Its duplicate cluster, or `null` when it has no copies.
    pub cluster: Option<usize>,
    /// Its cluster's representative (itself when it has no copies).
    pub representative: String,
    /// The representative it copies, or `null` for a representative or a lone document.
    pub duplicate_of: Option<String>,
}

/// Rounds to 4 decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Report {
    /// Builds the report of a scan of `documents` (the document and pair entries in
    /// parallel, in order).
    pub fn new(documents: &[Document], errors: &[InputError], config: &ScanConfig, result: &ScanResult) -> Report {
        let id = |d: crate::text::DocId| documents[d.index()].id.clone();
        let mut summary = Summary {
            documents: documents.len(),
            errors: errors.len(),
            duplicate_clusters: result.clusters.len(),
            duplicates: result.clusters.iter().map(|c| c.members.len() - 1).sum(),
            pairs: RelationCounts::default(),
            passages: result.passages.as_ref().map_or(0, |m| m.pairs.iter().map(|p| p.passages.len()).sum()),
            passage_clusters: result.passages.as_ref().map_or(0, |m| m.clusters.len()),
        };
        for p in &result.pairs {
            match p.relation {
                Relation::Duplicate => summary.pairs.duplicate += 1,
                Relation::Contains | Relation::ContainedBy => summary.pairs.contains += 1,
                Relation::Overlap => summary.pairs.overlap += 1,
                Relation::SelfRepeat => summary.pairs.self_repeat += 1,
            }
        }
        Report {
            schema: SCHEMA.to_string(),
            params: Params {
                seed: config.seed,
                num_perm: config.num_perm,
                minhash: config.minhash,
                shingles: config.shingling.to_string(),
                bands: config.bands,
                rows: config.rows,
                threshold: config.threshold,
                duplicate_ratio: config.relation.duplicate_ratio,
                containment_threshold: config.relation.containment,
                overlap_threshold: config.relation.overlap,
                boilerplate_min_docs: config.boilerplate_min_docs,
                verification: config.verification,
                normalization: NORMALIZATION_VERSION,
                passage_threshold: config.passages.then_some(config.passage_threshold),
            },
            summary,
            documents: documents
                .par_iter()
                .with_min_len(1024)
                .map(|d| DocumentEntry { id: d.id.clone(), source: d.source.clone(), bytes: d.text.len() })
                .collect(),
            duplicate_clusters: result
                .clusters
                .iter()
                .enumerate()
                .map(|(i, c)| ClusterEntry {
                    id: i,
                    representative: id(c.representative),
                    members: c.members.iter().map(|&m| id(m)).collect(),
                })
                .collect(),
            pairs: result
                .pairs
                .par_iter()
                .with_min_len(1024)
                .map(|p| {
                    let found = result
                        .passages
                        .as_ref()
                        .map(|m| m.pairs.binary_search_by_key(&(p.a, p.b), |x| (x.a, x.b)).ok().map(|i| &m.pairs[i]));
                    let mut entry = PairEntry {
                        a: id(p.a),
                        b: id(p.b),
                        relation: p.relation,
                        jaccard: round4(p.scores.jaccard),
                        containment_a: round4(p.scores.containment_a),
                        containment_b: round4(p.scores.containment_b),
                        coverage_a: None,
                        coverage_b: None,
                        derived: None,
                        passages: None,
                    };
                    if let Some(found) = found {
                        entry.coverage_a = Some(found.map_or(0.0, |f| round4(f.coverage_a)));
                        entry.coverage_b = Some(found.map_or(0.0, |f| round4(f.coverage_b)));
                        entry.derived = found.and_then(|f| f.derived);
                        entry.passages = Some(found.map_or_else(Vec::new, |f| {
                            f.passages
                                .iter()
                                .map(|s| PassageEntry {
                                    a_start: s.a.start,
                                    a_end: s.a.end,
                                    b_start: s.b.start,
                                    b_end: s.b.end,
                                    kind: s.kind,
                                    score: round4(s.score),
                                })
                                .collect()
                        }));
                    }
                    entry
                })
                .collect(),
            passage_clusters: result.passages.as_ref().map(|m| {
                m.clusters
                    .iter()
                    .enumerate()
                    .map(|(i, c)| PassageClusterEntry {
                        id: i,
                        kind: c.kind,
                        passages: c
                            .occurrences
                            .iter()
                            .map(|&(d, s)| Occurrence { doc: id(d), start: s.start, end: s.end })
                            .collect(),
                    })
                    .collect()
            }),
            errors: errors.to_vec(),
        }
    }

    /// One [`Assignment`] per document, in input order.
    pub fn assignments(&self) -> Vec<Assignment> {
        let index: ahash::AHashMap<&str, usize> =
            self.documents.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
        let mut out: Vec<Assignment> = self
            .documents
            .iter()
            .map(|d| Assignment { id: d.id.clone(), cluster: None, representative: d.id.clone(), duplicate_of: None })
            .collect();
        for c in &self.duplicate_clusters {
            for m in &c.members {
                let a = &mut out[index[m.as_str()]];
                a.cluster = Some(c.id);
                a.representative = c.representative.clone();
                if *m != c.representative {
                    a.duplicate_of = Some(c.representative.clone());
                }
            }
        }
        out
    }

    /// An index of the reported pairs by their two ids, in either order: look pairs up
    /// with [`PairIndex::get`].
    pub fn pair_index(&self) -> PairIndex<'_> {
        PairIndex(self.pairs.iter().map(|p| ((p.a.as_str(), p.b.as_str()), p)).collect())
    }
}

/// The reported pairs by their ids (see [`Report::pair_index`]).
pub struct PairIndex<'r>(ahash::AHashMap<(&'r str, &'r str), &'r PairEntry>);

impl<'r> PairIndex<'r> {
    /// The pair of two documents, in either order, if it was reported.
    pub fn get(&self, x: &str, y: &str) -> Option<&'r PairEntry> {
        self.0.get(&(x, y)).or_else(|| self.0.get(&(y, x))).copied()
    }
}
