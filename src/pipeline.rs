//! The document scan: composes the stages, and the one place that decides threads.
//!
//! ```text
//! documents ─► boilerplate counts ─► sketches ─► LSH candidates ─► verified pairs ─► clusters
//!              (segment DF, ‖ docs)  (‖ docs)    (‖ bands)         (‖ pairs)          (sequential)
//!
//! (before clustering)
//!           ─► passages (optional; see [`crate::passage`]): candidates from the whole corpus
//!              and the verified pairs, aligned in parallel, clustered; a pair whose passages
//!              cover [`COPY_COVERAGE`] of one side becomes a copy (a reworded copy)
//! ```
//!
//! Every parallel stage returns results in input order and the candidate list is sorted,
//! so the result is the same for any thread count.

use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::boilerplate::Boilerplate;
use crate::cluster::{star_clusters, Cluster};
use crate::config::{ScanConfig, Verification};
use crate::error::{Error, Result};
use crate::input::Document;
use crate::lsh::candidate_pairs;
use crate::minhash::{estimate_jaccard, MinHasher};
use crate::passage::candidates::CandidateReader;
use crate::passage::{find_passages, PairPassages, PassageMap};
use crate::sketch::{DocSketch, Sketcher};
use crate::text::DocId;
use crate::verify::{classify, estimated_scores, exact_scores, Relation, Scores};

/// Receives progress of a long scan (for a progress bar); all methods default to nothing.
pub trait Progress: Sync {
    /// A stage begins, with `total` units of work (0 when unknown).
    fn stage(&self, _name: &'static str, _total: u64) {}
    /// `n` more units of the current stage are done.
    fn advance(&self, _n: u64) {}
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// A verified pair with its relation, `a` before `b` in input order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// The earlier document.
    pub a: DocId,
    /// The later document.
    pub b: DocId,
    /// How they relate.
    pub relation: Relation,
    /// Jaccard and containment figures.
    pub scores: Scores,
}

/// Counts and timings of a scan (timings vary from run to run; counts do not).
#[derive(Clone, Debug, Default)]
pub struct ScanStats {
    /// Candidate pairs from LSH.
    pub candidates: usize,
    /// Segments found to be boilerplate.
    pub boilerplate_segments: usize,
    /// Documents compared without their boilerplate.
    pub content_only_documents: usize,
    /// Documents without any shingle.
    pub empty_documents: usize,
    /// Document pairs aligned by the passage stage.
    pub passage_candidates: usize,
    /// Wall-clock seconds per stage, in order.
    pub seconds: Vec<(&'static str, f64)>,
}

/// What a scan finds.
#[derive(Clone, Debug)]
pub struct ScanResult {
    /// Verified pairs worth reporting, sorted by `(a, b)`.
    pub pairs: Vec<Pair>,
    /// Duplicate clusters (two or more documents), by representative.
    pub clusters: Vec<Cluster>,
    /// Shared passages, when the configuration asks for them.
    pub passages: Option<PassageMap>,
    /// Counts and timings.
    pub stats: ScanStats,
}

/// Scans `documents` for near-duplicates.
pub fn scan(documents: &[Document], config: &ScanConfig, progress: &dyn Progress) -> Result<ScanResult> {
    if documents.len() >= u32::MAX as usize {
        return Err(Error::Config(format!("{} documents is more than one scan can hold", documents.len())));
    }
    match config.threads {
        None => Ok(scan_in_pool(documents, config, progress)),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Config(format!("cannot start {n} threads: {e}")))?;
            Ok(pool.install(|| scan_in_pool(documents, config, progress)))
        }
    }
}

fn scan_in_pool(documents: &[Document], config: &ScanConfig, progress: &dyn Progress) -> ScanResult {
    let mut stats = ScanStats::default();
    let mut clock = Instant::now();
    let mut lap = |stats: &mut ScanStats, name: &'static str| {
        stats.seconds.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };

    let hasher = MinHasher::with_scheme(config.num_perm, config.seed, config.minhash);
    let max_docs = if config.boilerplate_min_docs >= 2 { config.boilerplate_min_docs as usize } else { usize::MAX };
    // The passage stage's candidate pass reads the words as the documents are sketched.
    let reader = config.passages.then(|| CandidateReader::new(documents, max_docs));
    let (sketches, boilerplate) =
        sketch_documents(documents, config, &hasher, reader.as_ref(), progress, &mut |name| lap(&mut stats, name));
    stats.boilerplate_segments = boilerplate.len();
    stats.content_only_documents = sketches.iter().filter(|s| s.content_only).count();
    stats.empty_documents = sketches.iter().filter(|s| s.signature.is_none()).count();

    progress.stage("candidates", config.bands as u64);
    let signatures: Vec<Option<&[u32]>> = sketches.iter().map(|s| s.signature.as_deref()).collect();
    let candidates = candidate_pairs(&signatures, config.bands, config.rows);
    drop(signatures);
    stats.candidates = candidates.len();
    lap(&mut stats, "candidates");

    progress.stage("verifying", candidates.len() as u64);
    let mut sketches = Some(sketches);
    if config.verification == Verification::Exact {
        // Exact verification works from the text: the signatures are no longer needed.
        sketches = None;
    }
    let scores: Vec<Scores> = match config.verification {
        Verification::Estimate => candidates
            .par_iter()
            .map(|&(a, b)| {
                let sketches = sketches.as_deref().expect("sketches kept for estimates");
                let (sa, sb) = (&sketches[a.index()], &sketches[b.index()]);
                let j =
                    estimate_jaccard(sa.signature.as_deref().unwrap_or(&[]), sb.signature.as_deref().unwrap_or(&[]));
                estimated_scores(j, sa.set_size as usize, sb.set_size as usize)
            })
            .collect(),
        Verification::Exact => exact_pair_scores(documents, config, &boilerplate, &candidates, progress),
    };
    let mut pairs: Vec<Pair> = candidates
        .iter()
        .zip(&scores)
        .filter_map(|(&(a, b), s)| classify(s, &config.relation).map(|relation| Pair { a, b, relation, scores: *s }))
        .collect();
    lap(&mut stats, "verifying");

    let passages = if config.passages {
        progress.stage("passages", 0);
        let known: Vec<(DocId, DocId)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        // Pairs found only through passages get their document-level figures too: from
        // the passage stage, which has their words at hand, or (for character
        // shingles) by exact verification here.
        let figures = Some(config.shingling);
        let map = find_passages(documents, &known, &boilerplate, max_docs, config.passage_threshold, reader, figures);
        let new: Vec<&PairPassages> = map.pairs.iter().filter(|p| known.binary_search(&(p.a, p.b)).is_err()).collect();
        let (selves, others): (Vec<_>, Vec<_>) = new.into_iter().partition(|p| p.a == p.b);
        let unscored: Vec<(DocId, DocId)> = others.iter().filter(|p| p.scores.is_none()).map(|p| (p.a, p.b)).collect();
        let mut scored = exact_pair_scores(documents, config, &boilerplate, &unscored, &NoProgress).into_iter();
        pairs.extend(others.iter().map(|p| Pair {
            a: p.a,
            b: p.b,
            relation: Relation::Overlap,
            scores: p.scores.unwrap_or_else(|| scored.next().expect("a figure for each unscored pair")),
        }));
        let whole = Scores { jaccard: 1.0, containment_a: 1.0, containment_b: 1.0 };
        pairs.extend(selves.into_iter().map(|p| Pair {
            a: p.a,
            b: p.b,
            relation: Relation::SelfRepeat,
            scores: whole,
        }));
        pairs.sort_by_key(|p| (p.a, p.b));
        // A reworded copy shares few shingles but is covered by passages end to end.
        for pair in pairs.iter_mut().filter(|p| p.relation == Relation::Overlap) {
            if let Ok(i) = map.pairs.binary_search_by_key(&(pair.a, pair.b), |x| (x.a, x.b)) {
                let found = &map.pairs[i];
                if let Some(relation) = copy_by_coverage(found.coverage_a, found.coverage_b, config) {
                    pair.relation = relation;
                }
            }
        }
        stats.passage_candidates = map.candidates;
        lap(&mut stats, "passages");
        Some(map)
    } else {
        None
    };

    progress.stage("clustering", 0);
    let clusters = star_clusters(documents.len(), pairs.iter().filter(|p| p.relation.is_copy()).map(|p| (p.a, p.b)));
    lap(&mut stats, "clustering");
    ScanResult { pairs, clusters, passages, stats }
}

/// Sketches every document, and finds the boilerplate, with one tokenising pass over
/// the corpus: each document's sketch and its segment hashes are taken together; once
/// the segment counts give the boilerplate, the documents whose sketch was taken with
/// other boilerplate marks are sketched again.
/// The same sketches as [`Sketcher::sketch`] with the final boilerplate, for each document
/// (without set sizes, 0, when verification is exact: it does not read them).
///
/// `reader`, when given, reads each document's words once, from its first sketch.
///
/// The pass goes through the corpus in [`SKETCH_CHUNKS`] chunks (more for a corpus of
/// more than 16 × [`MAX_SKETCH_CHUNK_DOCS`] documents), counting segments as it goes:
/// each chunk is sketched with the provisional boilerplate of the chunks before it
/// (the segments already found in a share of [`ScanConfig::boilerplate_min_docs`]
/// documents as large as the share of the corpus read), which is most often what the
/// final boilerplate marks in its documents, so few are sketched twice.
fn sketch_documents(
    documents: &[Document],
    config: &ScanConfig,
    hasher: &MinHasher,
    reader: Option<&CandidateReader>,
    progress: &dyn Progress,
    lap: &mut dyn FnMut(&'static str),
) -> (Vec<DocSketch>, Boilerplate) {
    let chunk_docs = documents.len().div_ceil(SKETCH_CHUNKS).clamp(MIN_SKETCH_CHUNK_DOCS, MAX_SKETCH_CHUNK_DOCS);
    sketch_documents_in_chunks(documents, config, hasher, reader, progress, lap, chunk_docs)
}

/// Chunks of the corpus [`sketch_documents`] sketches in turn.
const SKETCH_CHUNKS: usize = 16;
/// Fewest documents in a chunk of [`sketch_documents`].
const MIN_SKETCH_CHUNK_DOCS: usize = 2048;
/// Most documents in a chunk of [`sketch_documents`]. A chunk is sketched with the
/// boilerplate found before it, so the documents of a source whose boilerplate has not
/// been seen yet are sketched again, up to a chunk of them: without a cap that would grow
/// with the corpus (of a million documents ordered source by source, `scripts/
/// make_bench_variants.py --blocks`, 22 % were sketched twice in 16 chunks of 62,500,
/// 14 % in chunks of 8,192; 6 % of the 100,000 documents they were made from).
const MAX_SKETCH_CHUNK_DOCS: usize = 8192;

fn sketch_documents_in_chunks(
    documents: &[Document],
    config: &ScanConfig,
    hasher: &MinHasher,
    reader: Option<&CandidateReader>,
    progress: &dyn Progress,
    lap: &mut dyn FnMut(&'static str),
    chunk_docs: usize,
) -> (Vec<DocSketch>, Boilerplate) {
    let n = documents.len() as u64;
    let none = Boilerplate::none();
    // Set sizes serve estimated verification only.
    let set_sizes = config.verification == Verification::Estimate;
    progress.stage("sketching", n);
    if config.boilerplate_min_docs < 2 {
        let sketches = documents
            .par_iter()
            .enumerate()
            .map_init(
                || Sketcher::new(config.shingling, &none).with_set_sizes(set_sizes),
                |sketcher, (d, doc)| {
                    progress.advance(1);
                    match reader {
                        Some(r) => sketcher.sketch_reading(&doc.text, hasher, None, &mut r.document(d, &doc.text)),
                        None => sketcher.sketch(&doc.text, hasher),
                    }
                },
            )
            .collect();
        lap("sketching");
        return (sketches, none);
    }
    let chunk_docs = chunk_docs.max(1);
    let mut sketches: Vec<DocSketch> = Vec::with_capacity(documents.len());
    // The documents' segment hashes, a chunk at a time.
    let mut chunks: Vec<Segments> = Vec::new();
    // The boilerplate each chunk was sketched with.
    let mut provisional: Vec<Boilerplate> = Vec::new();
    let mut counter = ProvisionalCounts::new(documents.len());
    for (c, chunk) in documents.chunks(chunk_docs).enumerate() {
        let marks = Boilerplate::from_segments(counter.common.iter().copied());
        // Each thread sketches runs of consecutive documents (a fold over the chunk
        // keeps them in order), its run's segments one after another.
        let runs: Vec<(Vec<DocSketch>, Segments)> = chunk
            .par_iter()
            .enumerate()
            .fold(
                || {
                    (
                        Sketcher::new(config.shingling, &marks).with_set_sizes(set_sizes),
                        Vec::new(),
                        Vec::new(),
                        Segments::default(),
                    )
                },
                |(mut sketcher, mut segs, mut run, mut run_segments), (i, doc)| {
                    progress.advance(1);
                    let sketch = match reader {
                        Some(r) => {
                            let mut doc_reader = r.document(c * chunk_docs + i, &doc.text);
                            sketcher.sketch_reading(&doc.text, hasher, Some(&mut segs), &mut doc_reader)
                        }
                        None => sketcher.sketch_with_segments(&doc.text, hasher, &mut segs),
                    };
                    counter.count(&segs);
                    run.push(sketch);
                    run_segments.push(&segs);
                    (sketcher, segs, run, run_segments)
                },
            )
            .map(|(_, _, run, run_segments)| (run, run_segments))
            .collect();
        provisional.push(marks);
        let mut run_segments = Vec::with_capacity(runs.len());
        for (mut run, segments) in runs {
            sketches.append(&mut run);
            run_segments.push(segments);
        }
        chunks.push(Segments::join(run_segments));
        let share = sketches.len() as f64 / documents.len() as f64;
        let chunk_segments: Vec<&[u64]> = chunks.last().expect("just pushed").iter().collect();
        counter.update(&chunk_segments, config.boilerplate_min_docs, share);
    }
    drop(counter);
    let segments: Vec<&[u64]> = chunks.iter().flat_map(Segments::iter).collect();
    lap("sketching");

    progress.stage("boilerplate", n);
    let boilerplate = Boilerplate::from_documents(&segments, config.boilerplate_min_docs);
    // The documents to sketch again are few and bunched (most in the first chunk):
    // found first, then shared out among the threads.
    let again: Vec<usize> = (0..documents.len())
        .into_par_iter()
        .filter(|&i| !boilerplate.marks_alike(&provisional[i / chunk_docs], segments[i]))
        .collect();
    let fresh: Vec<DocSketch> = again
        .par_iter()
        .map_init(
            || Sketcher::new(config.shingling, &boilerplate).with_set_sizes(set_sizes),
            |sketcher, &i| sketcher.sketch(&documents[i].text, hasher),
        )
        .collect();
    for (&i, sketch) in again.iter().zip(fresh) {
        sketches[i] = sketch;
    }
    progress.advance(n);
    lap("boilerplate");
    (sketches, boilerplate)
}

/// Documents' segment hashes, one document after another (document `i`'s end at
/// `ends[i]`).
#[derive(Default)]
struct Segments {
    hashes: Vec<u64>,
    ends: Vec<usize>,
}

impl Segments {
    /// Adds a document's.
    fn push(&mut self, segments: &[u64]) {
        self.hashes.extend_from_slice(segments);
        self.ends.push(self.hashes.len());
    }

    /// `parts` one after another, their hashes copied into one vector by all the threads.
    /// (Kept as they are, parts grown a document at a time would leave the memory they
    /// grew out of unused till the end: 20 MB more at the peak for 100,000 documents.)
    fn join(parts: Vec<Segments>) -> Segments {
        let mut joined = Segments {
            hashes: vec![0; parts.iter().map(|p| p.hashes.len()).sum()],
            ends: Vec::with_capacity(parts.iter().map(|p| p.ends.len()).sum()),
        };
        let mut offset = 0;
        for part in &parts {
            joined.ends.extend(part.ends.iter().map(|end| end + offset));
            offset += part.hashes.len();
        }
        let mut places: Vec<&mut [u64]> = Vec::with_capacity(parts.len());
        let mut rest = joined.hashes.as_mut_slice();
        for part in &parts {
            let (place, after) = std::mem::take(&mut rest).split_at_mut(part.hashes.len());
            places.push(place);
            rest = after;
        }
        places.into_par_iter().zip(parts).for_each(|(place, part)| place.copy_from_slice(&part.hashes));
        joined
    }

    /// Each document's segment hashes.
    fn iter(&self) -> impl Iterator<Item = &[u64]> {
        self.ends.iter().scan(0, |start, &end| Some(&self.hashes[std::mem::replace(start, end)..end]))
    }
}

/// Segment counts while the corpus is read, for the provisional boilerplate of
/// [`sketch_documents`]: approximate (two small counters a segment, the smaller read;
/// collisions only add), which is enough for a guess that is checked afterwards. The
/// counters are atomic, so that the documents count their segments as they are
/// sketched, in parallel.
struct ProvisionalCounts {
    counters: Vec<AtomicU16>,
    /// Segments found common so far.
    common: ahash::AHashSet<u64>,
}

/// Counters stop near here (a guess needs no more).
const COUNT_CAP: u16 = 60_000;

impl ProvisionalCounts {
    fn new(documents: usize) -> ProvisionalCounts {
        // 16 counters a document, up to 32M (64 MB, from 2M documents): with a cap of
        // 4M, collisions made more segments look common at a million documents (30 %
        // of the documents above sketched twice, against 22 %).
        let size = (documents * 16).next_power_of_two().clamp(1 << 12, 1 << 25);
        ProvisionalCounts { counters: (0..size).map(|_| AtomicU16::new(0)).collect(), common: Default::default() }
    }

    #[inline]
    fn slots(&self, h: u64) -> (usize, usize) {
        let mask = self.counters.len() - 1;
        (h as usize & mask, (h >> 32) as usize & mask)
    }

    /// Counts one document's segments.
    fn count(&self, segments: &[u64]) {
        for &h in segments {
            let (i, j) = self.slots(h);
            for c in [&self.counters[i], &self.counters[j]] {
                if c.load(Ordering::Relaxed) < COUNT_CAP {
                    c.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    fn estimate(&self, h: u64) -> u16 {
        let (i, j) = self.slots(h);
        self.counters[i].load(Ordering::Relaxed).min(self.counters[j].load(Ordering::Relaxed))
    }

    /// Updates the common segments once `documents` (a chunk) are counted and `share`
    /// of the corpus is read: common are the segments found in at least 3 documents,
    /// and in at least the share of `min_docs` that the corpus read so far is of the
    /// whole. The threshold rises as the reading goes on, so segments are taken out
    /// again as well as put in.
    fn update(&mut self, documents: &[&[u64]], min_docs: u32, share: f64) {
        let threshold = (min_docs as f64 * share).ceil().clamp(3.0, COUNT_CAP as f64) as u16;
        let mut common = std::mem::take(&mut self.common);
        common.retain(|&h| self.estimate(h) >= threshold);
        let found: Vec<u64> = documents
            .par_iter()
            .with_min_len(256)
            .flat_map_iter(|segs| segs.iter().copied().filter(|&h| self.estimate(h) >= threshold))
            .collect();
        common.extend(found);
        self.common = common;
    }

    /// Counts the segments of some more documents, then updates the common segments.
    #[cfg(test)]
    fn add(&mut self, documents: &[&[u64]], min_docs: u32, share: f64) {
        for segs in documents {
            self.count(segs);
        }
        self.update(documents, min_docs, share);
    }
}

/// Passages covering at least this share of one document make the pair a copy.
pub const COPY_COVERAGE: f64 = 0.8;

/// The copy relation passages show (the same rule as for containment, on coverage), if any.
fn copy_by_coverage(coverage_a: f64, coverage_b: f64, config: &ScanConfig) -> Option<Relation> {
    let (low, high) = (coverage_a.min(coverage_b), coverage_a.max(coverage_b));
    if high < COPY_COVERAGE {
        None
    } else if low >= config.relation.duplicate_ratio * high {
        Some(Relation::Duplicate)
    } else if coverage_b >= coverage_a {
        Some(Relation::Contains)
    } else {
        Some(Relation::ContainedBy)
    }
}

/// Documents whose shingle sets exact verification holds at once (about 4.5 KB each for
/// news articles), so that its memory does not grow with the corpus.
const VERIFY_BATCH_DOCS: usize = 4096;

/// Exact figures for each candidate, in the candidates' order.
///
/// The candidates are grouped by connected component (documents linked by candidate
/// pairs), and components are verified in batches of at most [`VERIFY_BATCH_DOCS`]
/// documents: the shingle sets of a batch's documents are built once each, in parallel,
/// its pairs intersected, and the sets dropped. Each document is tokenised once, unless
/// its component alone has more documents than a batch holds; then the component's pairs
/// are cut into batches in order, and a document may be tokenised in more than one.
fn exact_pair_scores(
    documents: &[Document],
    config: &ScanConfig,
    boilerplate: &Boilerplate,
    candidates: &[(DocId, DocId)],
    progress: &dyn Progress,
) -> Vec<Scores> {
    exact_pair_scores_in_batches(documents, config, boilerplate, candidates, progress, VERIFY_BATCH_DOCS)
}

fn exact_pair_scores_in_batches(
    documents: &[Document],
    config: &ScanConfig,
    boilerplate: &Boilerplate,
    candidates: &[(DocId, DocId)],
    progress: &dyn Progress,
    batch_docs: usize,
) -> Vec<Scores> {
    let batch_docs = batch_docs.max(2);
    let mut scores = vec![Scores::default(); candidates.len()];
    for batch in verification_batches(documents.len(), candidates, batch_docs) {
        let mut docs: Vec<u32> =
            batch.iter().flat_map(|&i| [candidates[i as usize].0 .0, candidates[i as usize].1 .0]).collect();
        docs.sort_unstable();
        docs.dedup();
        let sets: Vec<Vec<u64>> = docs
            .par_iter()
            .map_init(
                || Sketcher::new(config.shingling, boilerplate),
                |sketcher, &d| sketcher.shingle_set(&documents[d as usize].text).0.to_vec(),
            )
            .collect();
        let slot = |d: DocId| docs.binary_search(&d.0).expect("document of the batch");
        let batch_scores: Vec<Scores> = batch
            .par_iter()
            .map(|&i| {
                progress.advance(1);
                let (a, b) = candidates[i as usize];
                exact_scores(&sets[slot(a)], &sets[slot(b)])
            })
            .collect();
        for (&i, s) in batch.iter().zip(batch_scores) {
            scores[i as usize] = s;
        }
    }
    scores
}

/// The candidates' indices cut into batches of at most `batch_docs` documents each, whole
/// connected components together where they fit (see [`exact_pair_scores`]).
fn verification_batches(n_docs: usize, candidates: &[(DocId, DocId)], batch_docs: usize) -> Vec<Vec<u32>> {
    // Union-find over the documents; the root of a component is its smallest document.
    let mut parent: Vec<u32> = (0..n_docs as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }
    for &(a, b) in candidates {
        let (ra, rb) = (find(&mut parent, a.0), find(&mut parent, b.0));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            parent[hi as usize] = lo;
        }
    }
    // Candidate indices by component (components in order of their root), then in order.
    let mut order: Vec<(u32, u32)> =
        candidates.iter().enumerate().map(|(i, &(a, _))| (find(&mut parent, a.0), i as u32)).collect();
    drop(parent);
    order.sort_unstable();

    let mut batches = Vec::new();
    let mut batch: Vec<u32> = Vec::new();
    let mut batch_size = 0;
    let mut members: ahash::AHashSet<u32> = Default::default();
    for component in order.chunk_by(|x, y| x.0 == y.0) {
        members.clear();
        members.extend(component.iter().flat_map(|&(_, i)| [candidates[i as usize].0 .0, candidates[i as usize].1 .0]));
        if members.len() <= batch_docs {
            if batch_size + members.len() > batch_docs {
                batches.push(std::mem::take(&mut batch));
                batch_size = 0;
            }
            batch.extend(component.iter().map(|&(_, i)| i));
            batch_size += members.len();
            continue;
        }
        // A component larger than a batch: its pairs in order, cut where the documents
        // would exceed a batch.
        if !batch.is_empty() {
            batches.push(std::mem::take(&mut batch));
            batch_size = 0;
        }
        members.clear();
        for &(_, i) in component {
            let (a, b) = candidates[i as usize];
            let new = usize::from(!members.contains(&a.0)) + usize::from(!members.contains(&b.0));
            if members.len() + new > batch_docs {
                batches.push(std::mem::take(&mut batch));
                members.clear();
            }
            members.insert(a.0);
            members.insert(b.0);
            batch.push(i);
        }
        batches.push(std::mem::take(&mut batch));
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_verification_gives_the_same_scores_in_the_same_order() {
        let documents: Vec<Document> = (0..40)
            .map(|i| {
                let words: Vec<String> =
                    (0..30 + i % 7).map(|w| format!("w{}", (w * (i % 5 + 1) + i / 9) % 23)).collect();
                Document { id: i.to_string(), source: i.to_string(), text: words.join(" ").into() }
            })
            .collect();
        // One large component (a chain), small ones, repeats of documents across pairs.
        let mut candidates: Vec<(DocId, DocId)> = (0..20).map(|i| (DocId(i), DocId(i + 1))).collect();
        candidates.extend((22..38).step_by(2).map(|i| (DocId(i), DocId(i + 1))));
        candidates.extend([(DocId(0), DocId(39)), (DocId(5), DocId(30)), (DocId(24), DocId(26))]);
        candidates.sort_unstable();
        let config = ScanConfig::builder().build().unwrap();
        let bp = Boilerplate::none();
        let mut sketcher = Sketcher::new(config.shingling, &bp);
        let want: Vec<Scores> = candidates
            .iter()
            .map(|&(a, b)| {
                let sa = sketcher.shingle_set(&documents[a.index()].text).0.to_vec();
                exact_scores(&sa, sketcher.shingle_set(&documents[b.index()].text).0)
            })
            .collect();
        for batch_docs in [2, 3, 5, 8, 1000] {
            let batches = verification_batches(documents.len(), &candidates, batch_docs);
            let mut all: Vec<u32> = batches.iter().flatten().copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..candidates.len() as u32).collect::<Vec<_>>());
            for batch in &batches {
                let mut docs: Vec<u32> =
                    batch.iter().flat_map(|&i| [candidates[i as usize].0 .0, candidates[i as usize].1 .0]).collect();
                docs.sort_unstable();
                docs.dedup();
                assert!(docs.len() <= batch_docs, "{} documents in a batch of {batch_docs}", docs.len());
            }
            let got = exact_pair_scores_in_batches(&documents, &config, &bp, &candidates, &NoProgress, batch_docs);
            assert_eq!(got, want, "batches of {batch_docs}");
        }
    }

    #[test]
    fn one_pass_sketches_equal_sketches_with_the_final_boilerplate() {
        let footer = "Leave a Reply. Your email address will not be published. Required fields are marked.";
        let early = "Subscribe to our early morning newsletter today";
        let documents: Vec<Document> = (0..24)
            .map(|i| {
                let body =
                    format!("Story number {i} about {} with many words in it today.", ["rain", "war", "trade"][i % 3]);
                let mut text = match i % 4 {
                    0 => body,
                    1 => format!("{body}\n{footer}"),
                    2 => footer.to_string(),
                    _ => format!("Caf\u{e9} \u{201C}{body}\u{201D}\n{footer}"),
                };
                // A line common among the first documents only: provisional boilerplate
                // that the final count does not confirm.
                if matches!(i, 0 | 1 | 2 | 4 | 10) {
                    text = format!("{early}\n{text}");
                }
                Document { id: i.to_string(), source: i.to_string(), text: text.into() }
            })
            .collect();
        for (min_docs, verification) in
            [0, 3, 8, 30].into_iter().flat_map(|m| [(m, Verification::Exact), (m, Verification::Estimate)])
        {
            let config =
                ScanConfig::builder().boilerplate_min_docs(min_docs).verification(verification).build().unwrap();
            let hasher = MinHasher::with_scheme(config.num_perm, config.seed, config.minhash);
            let (want, want_boilerplate) =
                sketch_documents(&documents, &config, &hasher, None, &NoProgress, &mut |_| {});
            assert_eq!(want_boilerplate.is_empty(), min_docs == 0 || min_docs == 30);
            assert_eq!(want.iter().all(|s| s.set_size == 0), verification == Verification::Exact);
            let mut sketcher = Sketcher::new(config.shingling, &want_boilerplate)
                .with_set_sizes(verification == Verification::Estimate);
            for (doc, sketch) in documents.iter().zip(&want) {
                assert_eq!(sketch, &sketcher.sketch(&doc.text, &hasher), "{}", doc.text);
            }
            assert_eq!(want.iter().any(|s| s.content_only), min_docs == 3 || min_docs == 8);
            let want_pairs = crate::passage::candidates::candidate_pairs(&documents, &want_boilerplate, usize::MAX);
            assert!(!want_pairs.is_empty());
            for chunk_docs in [1, 2, 3, 5, 7, 1000] {
                let (got, boilerplate) = sketch_documents_in_chunks(
                    &documents,
                    &config,
                    &hasher,
                    None,
                    &NoProgress,
                    &mut |_| {},
                    chunk_docs,
                );
                assert_eq!(boilerplate.segments(), want_boilerplate.segments());
                assert_eq!(got, want, "min_docs {min_docs}, chunks of {chunk_docs}");
                // The same, while the passage candidate pass reads the words: each
                // document once.
                let reader = CandidateReader::new(&documents, usize::MAX);
                let (got, _) = sketch_documents_in_chunks(
                    &documents,
                    &config,
                    &hasher,
                    Some(&reader),
                    &NoProgress,
                    &mut |_| {},
                    chunk_docs,
                );
                assert_eq!(got, want, "min_docs {min_docs}, chunks of {chunk_docs}, read");
                assert_eq!(reader.pairs(&documents, &want_boilerplate, &[]), want_pairs);
            }
        }
    }

    #[test]
    fn provisional_counts_follow_the_share_read() {
        let (a, b, c) = (finish_of(1), finish_of(2), finish_of(3));
        let mut counts = ProvisionalCounts::new(100);
        // A tenth read: common from 3 documents (a), not from 2 (b).
        counts.add(&[&[a, b], &[a, b], &[a], &[c]], 20, 0.1);
        assert!(counts.common.contains(&a) && !counts.common.contains(&b) && !counts.common.contains(&c));
        // All read: 20 documents needed; a has 3, and is taken out again.
        let one: &[u64] = &[c];
        counts.add(&[one; 19], 20, 1.0);
        assert!(!counts.common.contains(&a) && counts.common.contains(&c));
    }

    fn finish_of(x: u64) -> u64 {
        crate::text::shingle::finish(x)
    }
}
