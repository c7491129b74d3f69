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
use ahash::AHashMap;

use crate::similarity::{Idf, Model, PreparedSentence, SentenceMatcher, SentencePreparer};
use crate::sketch::Sketcher;
use crate::text::{DocId, ShingleKind, Shingling, Span, Tokenizer};
use crate::verify::{exact_scores, Scores};
use std::sync::OnceLock;

pub use align::{align, align_candidates, unit_candidates, DocUnits, Plan, UnitCandidates};
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
    /// 1 for verbatim sentences, the share of words kept for near-verbatim ones (one
    /// minus the stem edit ratio), the matcher's score for reworded ones;
    /// length-weighted over chained sentences.
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
    /// The pair's document-level figures, when [`find_passages`] was asked for them
    /// (`figures`) and the pair is not one of its `extra_pairs`.
    pub scores: Option<Scores>,
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
    /// Wall-clock seconds per step of the stage, in order (they vary from run to run).
    pub seconds: Vec<(&'static str, f64)>,
}

/// Wall-clock time per step, summed over the chunks a step runs in.
struct Steps {
    clock: std::time::Instant,
    seconds: Vec<(&'static str, f64)>,
}

impl Steps {
    fn new() -> Steps {
        Steps { clock: std::time::Instant::now(), seconds: Vec::new() }
    }

    /// Ends the step `name` (its time since the last step ended).
    fn lap(&mut self, name: &'static str) {
        let secs = self.clock.elapsed().as_secs_f64();
        self.clock = std::time::Instant::now();
        match self.seconds.iter_mut().find(|s| s.0 == name) {
            Some(s) => s.1 += secs,
            None => self.seconds.push((name, secs)),
        }
    }
}

/// Finds the passages of `documents`, aligning `extra_pairs` (the document-level pairs)
/// and the corpus-wide candidates. `max_docs`: a fingerprint or sentence key in more
/// documents than this is not evidence; text in `boilerplate` segments is not aligned;
/// two sentences are a rewording when the matcher's score reaches `threshold`.
/// `read`: the candidate pass's reader when it has read every document already (with
/// the same `max_docs`), as the document scan's sketching does.
///
/// `figures`: the shingling of the document-level figures. When it is of words, each
/// pair with passages that is not one of `extra_pairs` (nor a document with itself)
/// gets the figures exact verification would give it with that shingling and
/// `boilerplate` ([`PairPassages::scores`]), from its documents' words as the stage
/// has them: no document is read again for them. With character shingles (which need
/// the text), or `None`, no pair gets figures.
#[allow(clippy::too_many_arguments)]
pub fn find_passages(
    documents: &[Document],
    extra_pairs: &[(DocId, DocId)],
    boilerplate: &Boilerplate,
    max_docs: usize,
    threshold: f64,
    read: Option<candidates::CandidateReader>,
    figures: Option<Shingling>,
) -> PassageMap {
    let mut steps = Steps::new();
    let figures = figures.filter(|s| s.kind == ShingleKind::Words);
    // The pairs that get no figures, in order.
    let mut given: Vec<(DocId, DocId)> = Vec::new();
    if figures.is_some() {
        given = extra_pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
        given.par_sort_unstable();
        given.dedup();
    }
    let mut pairs = match read {
        Some(reader) => reader.pairs(documents, boilerplate, extra_pairs),
        None => candidates::candidate_pairs(documents, boilerplate, max_docs),
    };
    pairs.extend_from_slice(extra_pairs);
    pairs.par_sort_unstable();
    pairs.dedup();
    steps.lap("candidates");

    let mut involved: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a.0, b.0]).collect();
    involved.par_sort_unstable();
    involved.dedup();
    // One preparer per thread for the whole stage: each remembers the words it has
    // stemmed, which saves most of the stemming.
    let preparers = Preparers::new(|| (SentencePreparer::new(), Tokenizer::new()));
    let prepare_light = |d: usize| {
        preparers.with(|(prep, tok)| DocUnits::new_light(&documents[involved[d] as usize].text, prep, tok, boilerplate))
    };
    // Word rarity over the units of the documents involved; beyond IDF_SAMPLE_DOCS
    // documents, over an even sample of them (every k-th). The sample's documents are
    // prepared light for it, and kept for their pairs (below).
    let step = involved.len().div_ceil(IDF_SAMPLE_DOCS).max(1);
    let sample: Vec<usize> = (0..involved.len()).step_by(step).collect();
    let sampled: Vec<DocUnits> = sample.par_iter().map(|&d| prepare_light(d)).collect();
    steps.lap("rarity prep");
    let idf = sampled
        .par_iter()
        .fold(
            || (Idf::new(), Vec::new()),
            |(mut idf, mut scratch), units| {
                units.count_stems(&mut idf, &mut scratch);
                (idf, scratch)
            },
        )
        .map(|(idf, _)| idf)
        .reduce(Idf::new, Idf::merge);
    let matcher = SentenceMatcher::with_model(idf, Model { threshold, ..Model::SHIPPED });
    steps.lap("rarity");

    // Align in chunks of pairs taken in an order that keeps a document's pairs close
    // together (breadth first over the pairs; see [`pair_order`]), so that a document
    // is prepared once, kept while pairs still need it and dropped after its last one:
    // memory stays bounded by the documents "open" at once (at most MAX_OPEN_DOCS).
    let (order, slot_of) = pair_order(&pairs, &involved);
    let mut last_use = vec![0usize; involved.len()];
    for (k, &p) in order.iter().enumerate() {
        let (a, b) = pairs[p];
        last_use[slot_of(a)] = k;
        last_use[slot_of(b)] = k;
    }
    let mut cache: Vec<Option<DocUnits>> = (0..involved.len()).map(|_| None).collect();
    let mut open: Vec<usize> = Vec::new();
    for (d, units) in sample.into_iter().zip(sampled) {
        cache[d] = Some(units);
        open.push(d);
    }
    let mut pending = vec![false; involved.len()];
    // For figures: each open document's compared shingle set, made when a pair first
    // needs it (few documents are in pairs that get figures), with a sketcher a thread.
    let mut sets: Vec<OnceLock<Vec<u64>>> = Vec::new();
    if figures.is_some() {
        sets.resize_with(involved.len(), OnceLock::new);
    }
    let sketchers = figures.map(|shingling| PerThread::new(|| Sketcher::new(shingling, boilerplate)));
    let mut judgements: AHashMap<JudgeKey, Option<(PassageKind, f64)>> = AHashMap::new();
    let mut full = FullUnits::default();
    let mut aligned: Vec<PairPassages> = Vec::with_capacity(pairs.len() / 4);
    let mut next = 0;
    while next < order.len() {
        // The chunk: pairs in order until MAX_CHUNK_DOCS documents are new to it.
        let mut new_docs: Vec<usize> = Vec::new();
        let mut chunk: Vec<(DocId, DocId)> = Vec::new();
        while next < order.len() && chunk.len() < MAX_CHUNK_PAIRS {
            let (a, b) = pairs[order[next]];
            let (sa, sb) = (slot_of(a), slot_of(b));
            let is_new = |d: usize, pending: &[bool]| cache[d].is_none() && !pending[d];
            let fresh = usize::from(is_new(sa, &pending)) + usize::from(sa != sb && is_new(sb, &pending));
            if !chunk.is_empty() && new_docs.len() + fresh > MAX_CHUNK_DOCS {
                break;
            }
            for d in [sa, sb] {
                if is_new(d, &pending) {
                    pending[d] = true;
                    new_docs.push(d);
                }
            }
            chunk.push((a, b));
            next += 1;
        }
        for &d in &new_docs {
            pending[d] = false;
        }
        steps.lap("order");
        // Units are prepared light (word hashes and content stems): enough to find each pair's
        // candidate unit pairs, its verbatim matches, and the unit pairs to judge.
        let prepared: Vec<DocUnits> = new_docs.par_iter().map(|&d| prepare_light(d)).collect();
        for (&d, units) in new_docs.iter().zip(prepared) {
            cache[d] = Some(units);
            open.push(d);
        }
        steps.lap("light prep");
        let units = |d: DocId| cache[slot_of(d)].as_ref().expect("document of the chunk");
        let plans: Vec<Plan> = chunk
            .par_iter()
            .map(|&(a, b)| {
                let (ua, ub) = (units(a), units(b));
                align::plan(ua, ub, a == b, unit_candidates(ua, ub, a == b))
            })
            .collect();
        steps.lap("plan");
        // A judgement depends only on the two units' content keys: the stories a corpus
        // carries in many copies give the same unit pairs again and again. Each pair of
        // contents not judged before is judged once, by the units of one pair that has it,
        // prepared in full for the occasion.
        if judgements.len() > MAX_JUDGEMENTS {
            judgements.clear();
        }
        let mut missing: Vec<(JudgeKey, UnitRef, UnitRef)> = chunk
            .par_iter()
            .zip(&plans)
            .flat_map_iter(|(&(a, b), plan)| {
                let (da, db) = (units(a), units(b));
                let (sa, sb) = (slot_of(a), slot_of(b));
                let judgements = &judgements;
                plan.to_judge.iter().filter_map(move |&(ua, ub)| {
                    let key = judge_key(&da.units[ua as usize], &db.units[ub as usize]);
                    (!judgements.contains_key(&key)).then_some((key, (sa, ua), (sb, ub)))
                })
            })
            .collect();
        missing.par_sort_unstable_by_key(|m| m.0);
        missing.dedup_by_key(|m| m.0);
        steps.lap("to judge");
        full.prepare(&missing, &cache, |d| &documents[involved[d] as usize].text, &preparers, matcher.idf());
        steps.lap("full prep");
        // Judged in the order of the units' slots (document order), not of their keys: a
        // unit's judgements then come together and find it in the cache. In runs of
        // pairs, each run asking for its next pairs' memory ahead. (The judgements go
        // into a map only looked up, so the order changes no result.)
        let mut by_slot: Vec<(u32, u32, JudgeKey)> = missing
            .par_iter()
            .map(|&(key, _, _)| {
                let (x, y) = (full.slot(key.0), full.slot(key.1));
                (x.min(y), x.max(y), key)
            })
            .collect();
        by_slot.par_sort_unstable();
        let found: Vec<(JudgeKey, Option<(PassageKind, f64)>)> = by_slot
            .par_chunks(64)
            .flat_map_iter(|c| {
                let pairs: Vec<_> = c.iter().map(|&(x, y, _)| (full.at(x), full.at(y))).collect();
                c.iter().map(|m| m.2).zip(align::judge_each(&pairs, &matcher))
            })
            .collect();
        steps.lap("judging");
        judgements.extend(found);
        let cache_ref = &cache;
        let units = |d: DocId| cache_ref[slot_of(d)].as_ref().expect("document of the chunk");
        let judgements_ref = &judgements;
        let set_of = |d: DocId, units: &DocUnits, sketchers: &PerThread<Sketcher>| -> &[u64] {
            sets[slot_of(d)].get_or_init(|| {
                let words = units.words.iter().map(|w| (w.0, w.2));
                sketchers.with(|s| s.shingle_set_of_words(words).expect("word shingles").0.to_vec())
            })
        };
        aligned.par_extend(chunk.par_iter().zip(plans).filter_map(|(&(a, b), plan)| {
            let (ua, ub) = (units(a), units(b));
            let passages = align::finish(ua, ub, matcher.idf(), plan, |x, y| {
                judgements_ref[&judge_key(&ua.units[x as usize], &ub.units[y as usize])]
            });
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
            let scores = sketchers
                .as_ref()
                .filter(|_| a != b && given.binary_search(&(a, b)).is_err())
                .map(|sketchers| exact_scores(set_of(a, ua, sketchers), set_of(b, ub, sketchers)));
            Some(PairPassages { a, b, passages, coverage_a, coverage_b, derived, scores })
        }));
        steps.lap("finishing");
        // Documents whose last pair is done are dropped; beyond MAX_OPEN_DOCS, those
        // needed last are dropped too (prepared again when their pairs come).
        let mut dropped: Vec<DocUnits> = Vec::new();
        open.retain(|&d| {
            let keep = last_use[d] >= next;
            if !keep {
                dropped.extend(cache[d].take());
                // (And its compared set, if made.)
                sets.get_mut(d).and_then(OnceLock::take);
            }
            keep
        });
        if open.len() > MAX_OPEN_DOCS {
            open.sort_unstable_by_key(|&d| (last_use[d], d));
            for d in open.drain(MAX_OPEN_DOCS..) {
                dropped.extend(cache[d].take());
                sets.get_mut(d).and_then(OnceLock::take);
            }
        }
        dropped.into_par_iter().for_each(drop);
        steps.lap("freeing");
    }
    aligned.sort_by_key(|p| (p.a, p.b));
    let clusters = passage_clusters(&aligned);
    steps.lap("clusters");
    PassageMap { candidates: pairs.len(), pairs: aligned, clusters, seconds: steps.seconds }
}

/// The content keys of two units ([`PreparedSentence::content_key`]), smaller first:
/// judging is symmetric, so this is all a judgement depends on.
type JudgeKey = (u128, u128);

/// A unit of an open document: its index in `involved`, and its index in its units.
type UnitRef = (usize, u32);

fn judge_key(a: &align::Unit, b: &align::Unit) -> JudgeKey {
    let (x, y) = (a.content_key(), b.content_key());
    (x.min(y), x.max(y))
}

/// Judgements remembered at most (about 60 bytes each); beyond, they are forgotten.
pub const MAX_JUDGEMENTS: usize = 4_000_000;

/// The units a chunk's judgements need, prepared in full: one per content key. Their
/// buffers are kept from chunk to chunk, so that preparing them allocates little.
#[derive(Default)]
struct FullUnits {
    /// Prepared units (beyond those of the current chunk: spares from earlier chunks).
    slots: Vec<PreparedSentence>,
    /// `(content key, index in slots)`, sorted by key.
    by_key: Vec<(u128, u32)>,
}

impl FullUnits {
    /// Prepares the units of `missing` in full, with their stems weighed by `idf` (the
    /// matcher's).
    ///
    /// Each unit is tokenised on its own (its sentence or quotation alone); in the rare
    /// case where that gives other words than the document's tokens did (a word running
    /// over the unit's edge, say), its whole document is tokenised as for the light
    /// preparation.
    fn prepare<'t>(
        &mut self,
        missing: &[(JudgeKey, UnitRef, UnitRef)],
        cache: &[Option<DocUnits>],
        text: impl Fn(usize) -> &'t str + Sync,
        preparers: &Preparers,
        idf: &Idf,
    ) {
        let units = |d: usize| cache[d].as_ref().expect("document of the chunk");
        let mut needed: Vec<(u128, UnitRef)> = missing
            .iter()
            .flat_map(|&(_, x, y)| [x, y])
            .map(|(d, u)| (units(d).units[u as usize].content_key(), (d, u)))
            .collect();
        needed.par_sort_unstable();
        needed.dedup_by_key(|x| x.0);
        // In document order, for locality.
        needed.par_sort_unstable_by_key(|x| x.1);
        if self.slots.len() < needed.len() {
            self.slots.resize_with(needed.len(), PreparedSentence::default);
        }
        needed.par_iter().zip(self.slots.par_iter_mut()).for_each(|(&(key, (d, u)), slot)| {
            let text = text(d);
            let span = units(d).units[u as usize].span();
            preparers.with(|(prep, tok)| {
                prep.prepare_span_into(text, span, slot);
                if slot.content_key() != key {
                    tok.tokenize(text);
                    prep.prepare_tokens_into(text, span, tok, true, slot);
                }
            });
            slot.weigh(idf);
        });
        self.by_key.clear();
        self.by_key.extend(needed.iter().enumerate().map(|(i, &(key, _))| (key, i as u32)));
        self.by_key.par_sort_unstable();
    }

    /// The slot of the unit prepared with content key `key`.
    ///
    /// # Panics
    /// When no unit of the last [`FullUnits::prepare`] has that key.
    fn slot(&self, key: u128) -> u32 {
        let i = self.by_key.binary_search_by_key(&key, |x| x.0).expect("prepared in full");
        self.by_key[i].1
    }

    /// The unit prepared in slot `slot` (of [`FullUnits::slot`]).
    fn at(&self, slot: u32) -> &PreparedSentence {
        &self.slots[slot as usize]
    }
}

/// A value for each thread of the pool (its buffers, say).
struct PerThread<T>(Vec<std::sync::Mutex<T>>);

impl<T> PerThread<T> {
    fn new(make: impl Fn() -> T) -> PerThread<T> {
        PerThread((0..rayon::current_num_threads().max(1)).map(|_| std::sync::Mutex::new(make())).collect())
    }

    /// Runs `f` with the current thread's value.
    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        let mut guard = self.0[slot].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

/// A sentence preparer and a tokenizer for each thread of the pool.
type Preparers = PerThread<(SentencePreparer, Tokenizer)>;

/// Most documents whose sentences are counted for word rarity; beyond that every k-th
/// document is, the smallest k that keeps to this many (rarity is a ratio; the sample
/// keeps it). On the 100k-document benchmark (38.5k documents in passage pairs, every
/// 8th counted), limits of 5,000, 10,000 and 20,000 documents found the same passages'
/// bytes (recall 0.985) with precision 0.975, 0.974 and 0.973; counting took 0.18, 0.34
/// and 0.65 s at 1 thread. Later (33.7k documents in passage pairs), 2,500 against
/// 5,000: the same passages' bytes (recall 0.985, precision 0.982 against 0.981),
/// 17,318 overlap pairs against 17,388, and 0.05 s less at 1 thread (before the
/// sample's units were kept for their pairs; since, 0.03 s and 42 MB less: a larger
/// sample costs mostly the memory of its units, held until their pairs come). On the
/// 10k benchmark, whole-article passage bytes' recall 0.987 against 0.988.
pub const IDF_SAMPLE_DOCS: usize = 2_500;

/// Most documents prepared for one chunk of pairs.
pub const MAX_CHUNK_DOCS: usize = 4096;

/// Most pairs aligned in one chunk.
pub const MAX_CHUNK_PAIRS: usize = 16_384;

/// Most prepared documents kept for later chunks.
pub const MAX_OPEN_DOCS: usize = 8192;

/// The order in which to align `pairs` (indices into `pairs`), and a function giving a
/// document's index in `involved` (the sorted documents of the pairs).
///
/// Documents are numbered breadth first over the pairs (each connected group from its
/// smallest document, neighbours in increasing order), and pairs are taken by the later
/// of their two documents' numbers, then the earlier: a document's pairs then come
/// close together, between its first and last neighbours' numbers.
fn pair_order(pairs: &[(DocId, DocId)], involved: &[u32]) -> (Vec<usize>, impl Fn(DocId) -> usize) {
    // Each document's index, by its number (a table, not a search: asked for every
    // pair several times over).
    let mut slots = vec![u32::MAX; involved.last().map_or(0, |&d| d as usize + 1)];
    for (i, &d) in involved.iter().enumerate() {
        slots[d as usize] = i as u32;
    }
    let slot_of = move |d: DocId| {
        let slot = slots[d.index()];
        debug_assert!(slot != u32::MAX, "document {} of no pair", d.0);
        slot as usize
    };
    let n = involved.len();
    // Neighbours of each document (compressed rows).
    let mut degree = vec![0u32; n + 1];
    let mut ends: Vec<(u32, u32)> = Vec::with_capacity(2 * pairs.len());
    for &(a, b) in pairs {
        if a != b {
            let (sa, sb) = (slot_of(a) as u32, slot_of(b) as u32);
            ends.push((sa, sb));
            ends.push((sb, sa));
        }
    }
    ends.par_sort_unstable();
    for &(x, _) in &ends {
        degree[x as usize + 1] += 1;
    }
    for i in 0..n {
        degree[i + 1] += degree[i];
    }
    let neighbours = |x: usize| ends[degree[x] as usize..degree[x + 1] as usize].iter().map(|e| e.1 as usize);
    let mut number = vec![usize::MAX; n];
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut next = 0;
    for start in 0..n {
        if number[start] != usize::MAX {
            continue;
        }
        number[start] = next;
        next += 1;
        queue.push_back(start);
        while let Some(x) = queue.pop_front() {
            for y in neighbours(x) {
                if number[y] == usize::MAX {
                    number[y] = next;
                    next += 1;
                    queue.push_back(y);
                }
            }
        }
    }
    let mut keyed: Vec<(usize, usize, usize)> = pairs
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let (na, nb) = (number[slot_of(a)], number[slot_of(b)]);
            (na.max(nb), na.min(nb), k)
        })
        .collect();
    keyed.par_sort_unstable();
    (keyed.into_iter().map(|x| x.2).collect(), slot_of)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_get_the_figures_exact_verification_gives_them_unless_given() {
        let shared = "The minister told reporters on Tuesday that the new bridge across the river would open \
                      next spring after years of delays and rising costs.";
        let other = "Officials in the northern province said heavy rain had flooded dozens of homes and \
                     closed the main road to the coast for a second day.";
        let footer = "Read more stories like this one on our website today.";
        let texts = [
            format!("{shared} Local traders welcomed the news warmly. {other}\n{footer}"),
            format!("Markets were calm. {shared} {other} Nothing else happened that week.\n{footer}"),
            format!("{other} A spokesman declined to comment further on the matter. {other}"),
            format!("{shared} Critics said the project had cost far too much money already."),
        ];
        let documents: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document { id: format!("d{i}"), source: format!("d{i}"), text: t.as_str().into() })
            .collect();
        let mut segments = Vec::new();
        crate::boilerplate::segment_hashes(Tokenizer::new().tokenize(footer), &mut segments);
        let boilerplate = Boilerplate::from_segments(segments);
        let given = [(DocId(3), DocId(0))];
        let words = Shingling { kind: ShingleKind::Words, size: 3 };
        let map = find_passages(&documents, &given, &boilerplate, 20, 0.5, None, Some(words));
        let found: Vec<(u32, u32)> = map.pairs.iter().map(|p| (p.a.0, p.b.0)).collect();
        for pair in [(0, 1), (0, 3), (1, 3), (2, 2)] {
            assert!(found.contains(&pair), "{pair:?} in {found:?}");
        }
        let mut sketcher = crate::sketch::Sketcher::new(words, &boilerplate);
        let mut set = |d: DocId| sketcher.shingle_set(&documents[d.index()].text).0.to_vec();
        for p in &map.pairs {
            if p.a == p.b || (p.a, p.b) == (DocId(0), DocId(3)) {
                assert_eq!(p.scores, None, "{:?}", (p.a, p.b));
            } else {
                let want = exact_scores(&set(p.a), &set(p.b));
                assert_eq!(p.scores, Some(want), "{:?}", (p.a, p.b));
            }
        }
        // None asked for, or of character shingles: none given.
        let chars = Shingling { kind: ShingleKind::Chars, size: 5 };
        for figures in [None, Some(chars)] {
            let map = find_passages(&documents, &given, &boilerplate, 20, 0.5, None, figures);
            assert_eq!(map.pairs.len(), found.len());
            assert!(map.pairs.iter().all(|p| p.scores.is_none()));
        }
    }

    #[test]
    fn pair_order_takes_every_pair_once_and_keeps_neighbours_close() {
        // A chain 0-1-2-...-9 given out of order, a self pair, and a separate pair.
        let mut pairs: Vec<(DocId, DocId)> = (0..9u32).rev().map(|i| (DocId(i), DocId(i + 1))).collect();
        pairs.push((DocId(4), DocId(4)));
        pairs.push((DocId(20), DocId(30)));
        pairs.sort_unstable();
        let mut involved: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a.0, b.0]).collect();
        involved.sort_unstable();
        involved.dedup();
        let (order, slot_of) = pair_order(&pairs, &involved);
        let mut seen = order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..pairs.len()).collect::<Vec<_>>());
        assert_eq!(slot_of(DocId(20)), 10);
        // Along the chain, pairs come in chain order.
        let chain: Vec<u32> =
            order.iter().map(|&k| pairs[k]).filter(|p| p.0 != p.1 && p.1 .0 < 10).map(|p| p.0 .0).collect();
        assert_eq!(chain, (0..9).collect::<Vec<_>>());
    }
}
