//! Shared passages: what two documents share, verbatim, edited or reworded, with byte
//! offsets on both sides, and the clusters of passages that recur across documents.
//!
//! ```text
//! documents ─► candidate pairs ─────────────► align each pair ─► pair passages ─► passage clusters
//!              (document-level pairs,          (align.rs)         coverage,         (cluster.rs)
//!               shared fingerprints,                              direction
//!               shared sentence keys)
//! ```
//!
//! Candidates come from the whole corpus, not only from near-duplicate pairs
//! ([`candidates`]): winnowed word 5-gram fingerprints see every verbatim run of ten or
//! more words, and MinHash keys of each sentence's content stems let reworded sentences
//! meet; both ignore what recurs in many documents. Passage work (the costly part) is done
//! on candidate pairs only.

pub mod align;
pub mod candidates;
pub mod cluster;
pub mod fingerprint;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::boilerplate::Boilerplate;
use crate::input::Document;
use crate::similarity::{Idf, Model, SentenceMatcher, SentencePreparer};
use crate::text::{DocId, Span, Tokenizer};

pub use align::{align, align_candidates, unit_candidates, DocUnits, UnitCandidates};
pub use cluster::{passage_clusters, PassageCluster};

/// How closely a passage's two sides agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassageKind {
    /// The same words (case, quotes, dashes, spacing and punctuation aside).
    Verbatim,
    /// Lightly edited: at most one word in five changed.
    NearVerbatim,
    /// Reworded: the same statement in other words.
    Reworded,
}

impl PassageKind {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Verbatim => "verbatim",
            PassageKind::NearVerbatim => "near_verbatim",
            PassageKind::Reworded => "reworded",
        }
    }
}

/// A passage shared by two documents: byte ranges of each original text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Passage {
    /// Bytes in the first document.
    pub a: Span,
    /// Bytes in the second document.
    pub b: Span,
    /// How closely they agree.
    pub kind: PassageKind,
    /// The matcher's score (1 for verbatim), length-weighted over chained sentences.
    pub score: f64,
}

/// The passages of one document pair.
#[derive(Clone, Debug, PartialEq)]
pub struct PairPassages {
    /// The first document (`a <= b`; equal for a document repeating itself).
    pub a: DocId,
    /// The second document.
    pub b: DocId,
    /// Passages, by start in `a`.
    pub passages: Vec<Passage>,
    /// Share of a's sentence bytes covered by passages.
    pub coverage_a: f64,
    /// Share of b's sentence bytes covered by passages.
    pub coverage_b: f64,
    /// Which side looks derived from the other, when the evidence says so.
    pub derived: Option<Side>,
}

/// One side of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The pair's `a`.
    A,
    /// The pair's `b`.
    B,
}

/// A side is called derived when passages cover at least this share of it...
pub const DERIVED_MIN_COVERAGE: f64 = 0.5;
/// ...and at least this many times the other side's share.
pub const DERIVED_RATIO: f64 = 1.5;

/// Everything the passage stage finds.
#[derive(Clone, Debug, Default)]
pub struct PassageMap {
    /// Pairs with at least one passage, sorted by `(a, b)`.
    pub pairs: Vec<PairPassages>,
    /// Passages recurring across documents (or within one), grouped.
    pub clusters: Vec<PassageCluster>,
    /// Candidate pairs aligned.
    pub candidates: usize,
}

/// Finds the passages of `documents`, aligning `extra_pairs` (the document-level pairs)
/// and the corpus-wide candidates. `max_docs`: a fingerprint or sentence key in more
/// documents than this is not evidence; text in `boilerplate` segments is not aligned;
/// two sentences are a rewording when the matcher's score reaches `threshold`.
pub fn find_passages(
    documents: &[Document],
    extra_pairs: &[(DocId, DocId)],
    boilerplate: &Boilerplate,
    max_docs: usize,
    threshold: f64,
) -> PassageMap {
    let mut pairs = candidates::candidate_pairs(documents, max_docs);
    pairs.extend_from_slice(extra_pairs);
    pairs.sort_unstable();
    pairs.dedup();

    let mut involved: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a.0, b.0]).collect();
    involved.sort_unstable();
    involved.dedup();
    // One preparer per thread for the whole stage: each remembers the words it has
    // stemmed, which saves most of the stemming.
    let preparers = Preparers::new();
    // Word rarity over the sentences of the documents involved, one document at a time;
    // beyond IDF_SAMPLE_DOCS documents, over an even sample of them (every k-th).
    let step = involved.len().div_ceil(IDF_SAMPLE_DOCS).max(1);
    let idf = involved
        .par_iter()
        .step_by(step)
        .fold(Idf::new, |mut idf, &d| {
            preparers.with(|prep, tok| {
                for unit in DocUnits::stems_only(&documents[d as usize].text, prep, tok, boilerplate) {
                    idf.add(&unit.prepared);
                }
            });
            idf
        })
        .reduce(Idf::new, Idf::merge);
    let matcher = SentenceMatcher::with_model(idf, Model { threshold, ..Model::SHIPPED });

    // Align in chunks of connected pairs, so that only a chunk's documents are prepared
    // at once: memory stays bounded by the chunk, and a document is prepared once when
    // its pairs fall in one chunk (the usual case: pairs link the copies of one story).
    let mut aligned: Vec<PairPassages> = Vec::with_capacity(pairs.len() / 4);
    for chunk in chunks_of_connected_pairs(&pairs, MAX_CHUNK_DOCS) {
        let mut docs: Vec<u32> = chunk.iter().flat_map(|&(a, b)| [a.0, b.0]).collect();
        docs.sort_unstable();
        docs.dedup();
        // Units are first prepared light (words and stem sets): enough to find each pair's
        // candidate unit pairs. Then only the units some pair must judge are prepared in
        // full (most are never judged: they have no partner, or a verbatim one).
        let mut units: Vec<DocUnits> = docs
            .par_iter()
            .map(|&d| {
                preparers.with(|prep, tok| DocUnits::new_light(&documents[d as usize].text, prep, tok, boilerplate))
            })
            .collect();
        let slot = |d: DocId| docs.binary_search(&d.0).expect("document of the chunk");
        let candidates: Vec<UnitCandidates> =
            chunk.par_iter().map(|&(a, b)| unit_candidates(&units[slot(a)], &units[slot(b)], a == b)).collect();
        let mut judged: Vec<(u32, u32)> = chunk
            .iter()
            .zip(&candidates)
            .flat_map(|(&(a, b), c)| {
                let (sa, sb) = (slot(a) as u32, slot(b) as u32);
                c.others.iter().flat_map(move |&(ua, ub)| [(sa, ua), (sb, ub)])
            })
            .collect();
        judged.par_sort_unstable();
        judged.dedup();
        let mut which: Vec<Vec<u32>> = vec![Vec::new(); docs.len()];
        for &(slot, unit) in &judged {
            which[slot as usize].push(unit);
        }
        drop(judged);
        units.par_iter_mut().zip(&docs).zip(&which).for_each(|((u, &d), which)| {
            preparers.with(|prep, tok| u.complete(&documents[d as usize].text, which, prep, tok))
        });
        drop(which);
        let units = units;
        aligned.par_extend(chunk.par_iter().zip(candidates).filter_map(|(&(a, b), candidates)| {
            let (ua, ub) = (&units[slot(a)], &units[slot(b)]);
            let passages = align_candidates(ua, ub, a == b, &matcher, candidates);
            if passages.is_empty() {
                return None;
            }
            let coverage_a = coverage(passages.iter().map(|p| p.a), ua.text_bytes);
            let coverage_b = coverage(passages.iter().map(|p| p.b), ub.text_bytes);
            let derived = if a == b {
                None
            } else if coverage_a >= DERIVED_MIN_COVERAGE && coverage_a >= DERIVED_RATIO * coverage_b {
                Some(Side::A)
            } else if coverage_b >= DERIVED_MIN_COVERAGE && coverage_b >= DERIVED_RATIO * coverage_a {
                Some(Side::B)
            } else {
                None
            };
            Some(PairPassages { a, b, passages, coverage_a, coverage_b, derived })
        }));
    }
    aligned.sort_by_key(|p| (p.a, p.b));
    let clusters = passage_clusters(&aligned);
    PassageMap { candidates: pairs.len(), pairs: aligned, clusters }
}

/// A sentence preparer and a tokenizer for each thread of the pool.
struct Preparers(Vec<std::sync::Mutex<(SentencePreparer, Tokenizer)>>);

impl Preparers {
    fn new() -> Preparers {
        Preparers(
            (0..rayon::current_num_threads().max(1))
                .map(|_| std::sync::Mutex::new((SentencePreparer::new(), Tokenizer::new())))
                .collect(),
        )
    }

    /// Runs `f` with the current thread's preparer and tokenizer.
    fn with<T>(&self, f: impl FnOnce(&mut SentencePreparer, &mut Tokenizer) -> T) -> T {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        let mut guard = self.0[slot].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (prep, tok) = &mut *guard;
        f(prep, tok)
    }
}

/// Most documents whose sentences are counted for word rarity; beyond that an even
/// sample of this many is counted (rarity is a ratio; the sample keeps it).
pub const IDF_SAMPLE_DOCS: usize = 20_000;

/// Most documents prepared at once by the passage stage.
pub const MAX_CHUNK_DOCS: usize = 4096;

/// Splits pairs into chunks touching at most `max_docs` documents each, taking the pairs
/// component by component (union-find over the pairs), so that a document's pairs
/// usually fall in one chunk and it is prepared once.
fn chunks_of_connected_pairs(pairs: &[(DocId, DocId)], max_docs: usize) -> Vec<Vec<(DocId, DocId)>> {
    let mut parent: ahash::AHashMap<u32, u32> = ahash::AHashMap::new();
    fn find(parent: &mut ahash::AHashMap<u32, u32>, x: u32) -> u32 {
        let mut root = x;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        let mut cur = x;
        while cur != root {
            let next = parent[&cur];
            parent.insert(cur, root);
            cur = next;
        }
        root
    }
    for &(a, b) in pairs {
        parent.entry(a.0).or_insert(a.0);
        parent.entry(b.0).or_insert(b.0);
        let (ra, rb) = (find(&mut parent, a.0), find(&mut parent, b.0));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    // Pairs grouped by component, components in order of their smallest document.
    let mut keyed: Vec<(u32, DocId, DocId)> = pairs.iter().map(|&(a, b)| (find(&mut parent, a.0), a, b)).collect();
    keyed.sort_unstable();
    let mut chunks: Vec<Vec<(DocId, DocId)>> = Vec::new();
    let mut chunk: Vec<(DocId, DocId)> = Vec::new();
    let mut chunk_docs: ahash::AHashSet<u32> = ahash::AHashSet::new();
    for &(_, a, b) in &keyed {
        let new = [a.0, b.0].iter().filter(|d| !chunk_docs.contains(d)).count();
        if !chunk.is_empty() && chunk_docs.len() + new > max_docs {
            chunks.push(std::mem::take(&mut chunk));
            chunk_docs.clear();
        }
        chunk.push((a, b));
        chunk_docs.insert(a.0);
        chunk_docs.insert(b.0);
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}

/// Share of `total` bytes covered by the union of `spans`.
pub fn coverage(spans: impl Iterator<Item = Span>, total: u64) -> f64 {
    let mut v: Vec<Span> = spans.collect();
    v.sort_unstable();
    let mut covered = 0u64;
    let mut end = 0u32;
    for s in v {
        let start = s.start.max(end);
        if s.end > start {
            covered += (s.end - start) as u64;
        }
        end = end.max(s.end);
    }
    if total == 0 {
        0.0
    } else {
        (covered as f64 / total as f64).min(1.0)
    }
}
