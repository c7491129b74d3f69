//! Winnowed word k-gram fingerprints: corpus-wide candidates for shared passages.
//!
//! Winnowing (Schleimer, Wilkerson and Aiken, 2003) keeps, from every window of `w`
//! consecutive k-gram hashes, the smallest. Two documents that share a verbatim run of at
//! least `w + k - 1` words therefore share at least one fingerprint, whatever else they
//! contain, and a document keeps only about `2 / (w + 1)` of its k-grams.
//!
//! A fingerprint found in many documents is boilerplate or a stock phrase, not evidence
//! of copying: fingerprints in more than `max_docs` documents are ignored. Two documents
//! become a passage candidate when they share at least `min_shared` fingerprints; a
//! document whose own fingerprints repeat becomes a candidate with itself.

use rayon::prelude::*;

use crate::hashsort::stable_sort_by_hash;
use crate::text::DocId;

/// Appends the winnowed fingerprints of `hashes` (k-gram hashes in document order) with
/// window `w`: `(hash, position)`, positions increasing.
pub fn winnow(hashes: &[u64], w: usize, out: &mut Vec<(u64, u32)>) {
    out.clear();
    if hashes.is_empty() {
        return;
    }
    if hashes.len() <= w {
        let (pos, &h) = hashes.iter().enumerate().rev().min_by_key(|(_, &h)| h).expect("non-empty");
        out.push((h, pos as u32));
        return;
    }
    let mut last: Option<usize> = None;
    for start in 0..=hashes.len() - w {
        // Rightmost minimum of the window.
        let mut best = start;
        for i in start + 1..start + w {
            if hashes[i] <= hashes[best] {
                best = i;
            }
        }
        if last != Some(best) {
            out.push((hashes[best], best as u32));
            last = Some(best);
        }
    }
}

/// Calls `f(hash, position)` for each fingerprint [`winnow`] appends for `hashes` with
/// window `w`, in the same order.
///
/// With AVX-512, eight windows at a time (on the 100k-document benchmark, the candidate
/// pass's winnowing in 0.06 s at one thread against 0.16 s, by `perf` samples).
/// Otherwise without a branch on the hashes (which go either way at random): the
/// windows are cut by blocks of `w` hashes, a window being the end of one block and the
/// start of the next, so that its rightmost minimum is the later of the rightmost
/// minima of a block's suffix and of the next block's prefix (van Herk, Gil and
/// Werman); each window's position is written and kept when it differs from the window
/// before's. Three selects a hash, where keeping the minimum from window to window and
/// searching again when it falls out mispredicted about one branch in five.
pub fn winnow_each(hashes: &[u64], w: usize, mut f: impl FnMut(u64, u32)) {
    let n = hashes.len();
    if n == 0 {
        return;
    }
    let w = w.max(1);
    if n <= w {
        let best = rightmost_min(hashes);
        f(hashes[best], best as u32);
        return;
    }
    // (Fresh buffers if `f` itself winnows.)
    WINNOW.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buffers) => winnow_picked(hashes, w, &mut buffers, f),
        Err(_) => winnow_picked(hashes, w, &mut Default::default(), f),
    });
}

/// The place of the last of the smallest of `window`'s hashes (not empty).
#[inline]
fn rightmost_min(window: &[u64]) -> usize {
    (1..window.len()).fold(0, |best, i| if window[i] <= window[best] { i } else { best })
}

/// [`winnow_each`] of more than `w` hashes, with `buffers`: eight windows at a time with
/// AVX-512 where the processor has it and `w` is at most [`MAX_VECTOR_WINDOW`], else
/// [`winnow_blocks`].
fn winnow_picked(hashes: &[u64], w: usize, buffers: &mut (Vec<u32>, Vec<u32>), mut f: impl FnMut(u64, u32)) {
    #[cfg(target_arch = "x86_64")]
    if w <= MAX_VECTOR_WINDOW && std::arch::is_x86_feature_detected!("avx512f") {
        let picked = &mut buffers.1;
        // SAFETY: the processor has AVX-512F.
        unsafe { winnow_avx512(hashes, w, picked) };
        for &p in picked.iter() {
            f(hashes[p as usize], p);
        }
        return;
    }
    winnow_blocks(hashes, w, buffers, f);
}

/// Widest window [`winnow_avx512`] takes.
const MAX_VECTOR_WINDOW: usize = 16;

/// The positions [`winnow_each`] gives for more than `w` hashes (`w` at most
/// [`MAX_VECTOR_WINDOW`]), into `picked`: the windows starting at eight places at once,
/// one lane each. Each lane's minimum is taken over the window's `w` hashes, then its
/// rightmost place holding it (the last offset whose hash equals it); a window's pick is
/// kept when it differs from the window before's (the lanes shifted by one, the last
/// lane of the eight before coming in first), packed together and written as 32 bits.
/// The windows past the last eight are taken one at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn winnow_avx512(hashes: &[u64], w: usize, picked: &mut Vec<u32>) {
    use std::arch::x86_64::*;
    let n = hashes.len();
    debug_assert!(n > w && (1..=MAX_VECTOR_WINDOW).contains(&w));
    let windows = n + 1 - w;
    picked.clear();
    // Room for eight written past the last kept.
    picked.reserve(windows + 8);
    let out = picked.as_mut_ptr();
    let mut kept = 0usize;
    // The picks of the eight windows before (none at first): the last one's is the
    // previous pick of the next eight's first.
    let mut previous = _mm512_set1_epi64(-1);
    let mut last = u64::MAX;
    let at = |i: usize| _mm512_loadu_si512(hashes.as_ptr().add(i).cast());
    let lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    let mut i = 0;
    // Eight windows from `i`: the last ends at `i + 7 + w - 1`, within the hashes.
    while i + 7 + w <= n {
        let mut low = at(i);
        for k in 1..w {
            low = _mm512_min_epu64(low, at(i + k));
        }
        let mut offset = _mm512_setzero_si512();
        for k in 1..w {
            let equal = _mm512_cmpeq_epu64_mask(at(i + k), low);
            offset = _mm512_mask_mov_epi64(offset, equal, _mm512_set1_epi64(k as i64));
        }
        let best = _mm512_add_epi64(offset, _mm512_add_epi64(lanes, _mm512_set1_epi64(i as i64)));
        // Each window's previous pick: lane 0 gets the last of the eight before, lane j
        // the pick of lane j - 1.
        let before = _mm512_alignr_epi64::<7>(best, previous);
        let new = _mm512_cmpneq_epu64_mask(best, before);
        let packed = _mm512_cvtepi64_epi32(_mm512_maskz_compress_epi64(new, best));
        _mm256_storeu_si256(out.add(kept).cast(), packed);
        kept += new.count_ones() as usize;
        previous = best;
        i += 8;
    }
    picked.set_len(kept);
    if i > 0 {
        let mut picks = [0u64; 8];
        _mm512_storeu_si512(picks.as_mut_ptr().cast(), previous);
        last = picks[7];
    }
    // The windows left, one at a time (the rightmost minimum of each).
    for start in i..windows {
        let best = start + rightmost_min(&hashes[start..start + w]);
        if best as u64 != last {
            picked.push(best as u32);
            last = best as u64;
        }
    }
}

/// [`winnow_each`] of more than `w` hashes, with `buffers` for the suffix minima and the
/// positions kept.
fn winnow_blocks(hashes: &[u64], w: usize, buffers: &mut (Vec<u32>, Vec<u32>), mut f: impl FnMut(u64, u32)) {
    let n = hashes.len();
    let (suffix, picked) = buffers;
    // The rightmost minimum of each block's suffix from each place on.
    suffix.clear();
    suffix.resize(n, 0);
    for start in (0..n).step_by(w) {
        let end = (start + w).min(n);
        let (mut best, mut low) = (end - 1, hashes[end - 1]);
        suffix[best] = best as u32;
        for j in (start..end - 1).rev() {
            let h = hashes[j];
            let take = h < low;
            best = if take { j } else { best };
            low = if take { h } else { low };
            suffix[j] = best as u32;
        }
    }
    // The rightmost minimum of each block's prefix, place by place, and each
    // window's, ending at place `i`.
    picked.clear();
    picked.resize(n - w + 1, 0);
    let (mut kept, mut last) = (0, u32::MAX);
    let (mut prefix, mut low) = (0, u64::MAX);
    let mut in_block = 0;
    for (i, &h) in hashes.iter().enumerate() {
        let take = in_block == 0 || h <= low;
        prefix = if take { i } else { prefix };
        low = if take { h } else { low };
        in_block = if in_block + 1 == w { 0 } else { in_block + 1 };
        if i + 1 >= w {
            let s = suffix[i + 1 - w] as usize;
            let best = if low <= hashes[s] { prefix } else { s } as u32;
            picked[kept] = best;
            kept += usize::from(best != last);
            last = best;
        }
    }
    for &p in &picked[..kept] {
        f(hashes[p as usize], p);
    }
}

thread_local! {
    /// [`winnow_each`]'s buffers: the suffix minima and the positions kept.
    static WINNOW: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = std::cell::RefCell::default();
}

/// A fingerprint of a document in a [`Partitioned`]'s partition, 16 bytes: `(key,
/// payload)`. The key holds the hash's bits below the partition's, as many as the
/// document numbers leave, then the document's number, then in the lowest bit whether
/// the k-gram's words lie in more than one segment (line or sentence): keys sort by
/// hash, then document. The payload is the [`run_signature`] of the runs around a
/// fingerprint, or what the caller compares pairs by ([`Evidence::Alike`]), a
/// sentence's number for a sentence key.
///
/// The k-gram's place in the document is not kept: only pairs whose shared runs all
/// straddle segments need it ([`SharedPairs::unsure`]), and the few documents of those
/// are read again ([`fingerprint_key`]). With the place and the whole hash an entry
/// took 24 bytes: at 100,000 documents, 57 MB more at the peak, and 0.06 s more of a
/// 2-thread scan's wall time, most of it in sketching, where the entries are written.
///
/// Two fingerprints whose hashes differ only in the bits left out are taken for one:
/// the partition's bits and the key's keep 55 of the 64 at 100,000 documents, 56 at a
/// million. That can add a candidate pair (or, should the hash then be in too many
/// documents, take one away), never a passage: the alignment compares the texts.
pub type Entry = (u64, u64);

/// Where an [`Entry`]'s key keeps the document's number: above the flag, in as few
/// bits as the documents' count needs, the hash's bits above it.
#[derive(Clone, Copy, Debug)]
struct EntryLayout {
    /// Bits of a document's number.
    doc_bits: u32,
}

impl EntryLayout {
    /// For documents numbered below `docs`.
    fn for_docs(docs: usize) -> EntryLayout {
        EntryLayout { doc_bits: (usize::BITS - docs.saturating_sub(1).leading_zeros()).max(1) }
    }

    /// The key of document `d`'s fingerprint whose hash without its partition's bits
    /// (shifted out) is `hash`.
    #[inline]
    fn key(self, hash: u64, d: u32, straddles: bool) -> u64 {
        debug_assert!(u64::from(d) >> self.doc_bits == 0, "document {d} numbered beyond the count");
        self.hash(hash) << (self.doc_bits + 1) | u64::from(d) << 1 | u64::from(straddles)
    }

    /// The bits a key keeps of `hash` (a hash without its partition's bits).
    #[inline]
    fn hash(self, hash: u64) -> u64 {
        hash >> (self.doc_bits + 1)
    }

    /// The hash bits of entry `e`'s key.
    #[inline]
    fn hash_of(self, e: &Entry) -> u64 {
        self.hash(e.0)
    }

    /// The document of entry `e`.
    #[inline]
    fn doc_of(self, e: &Entry) -> u32 {
        ((e.0 >> 1) & ((1 << self.doc_bits) - 1)) as u32
    }
}

/// The key [`SharedPairs::unsure`] lists for fingerprint `hash` of documents numbered
/// below `docs`, its entries split into `2^bits` partitions ([`Partitioned::new`]): the
/// hash bits its [`Entry`] keeps (fewer than 63). Two fingerprints of one document with
/// the same key are taken for one.
pub fn fingerprint_key(hash: u64, bits: u32, docs: usize) -> u64 {
    EntryLayout::for_docs(docs).hash(hash << bits.clamp(1, 16))
}

/// Shingles in a run of [`RUN_WORDS`] words.
const RUN_SHINGLES: usize = 4;

// A run's hash takes 16 bits of each of its shingles' ([`run_signature`]).
const _: () = assert!(RUN_SHINGLES == 4);

/// Words of a run [`run_signature`] describes: a run of k-word shingles, `k + 3` words
/// (8 for the word 5-grams of passage fingerprints).
pub const RUN_WORDS: usize = 8;

/// The runs of [`RUN_SHINGLES`] shingles holding shingle `pos` of `shingles` (the
/// shingles of a document, in order), 16 bits a run: bits `16k..16k + 16` hold a hash
/// of the run starting at shingle `pos + k - 3`, never 0, or 0 where the document has
/// no such run. Two documents sharing shingle `pos_a = pos_b` share a run of
/// `RUN_SHINGLES` shingles holding it when a field `k` of theirs is equal and not 0
/// ([`share_a_run`]), up to 16-bit hash collisions (a run is then seen that is not).
///
/// A run's hash xors a different 16 bits of each of its shingles' hashes, which are
/// well mixed already (finished): as evenly spread as a hash of the four, and a few
/// shifts instead of one multiplication after another.
#[inline]
pub fn run_signature(shingles: &[u64], pos: usize) -> u64 {
    let field = |run: &[u64]| ((run[0] ^ run[1] << 16 ^ run[2] << 32 ^ run[3] << 48) >> 48) | 1;
    if pos >= RUN_SHINGLES - 1 && pos + RUN_SHINGLES <= shingles.len() {
        // Inside the document (most fingerprints): every run is there.
        let around = &shingles[pos + 1 - RUN_SHINGLES..pos + RUN_SHINGLES];
        return (0..RUN_SHINGLES).fold(0, |signature, k| signature | field(&around[k..]) << (16 * k));
    }
    let mut signature = 0u64;
    for k in 0..RUN_SHINGLES {
        let Some(start) = (pos + k).checked_sub(RUN_SHINGLES - 1) else { continue };
        let Some(run) = shingles.get(start..start + RUN_SHINGLES) else { continue };
        signature |= field(run) << (16 * k);
    }
    signature
}

/// True when two [`run_signature`]s show a run both documents have.
#[inline]
pub fn share_a_run(x: u64, y: u64) -> bool {
    (0..RUN_SHINGLES).any(|k| {
        let (a, b) = ((x >> (16 * k)) & 0xFFFF, (y >> (16 * k)) & 0xFFFF);
        a != 0 && a == b
    })
}

/// Entries split by the hash's top bits into partitions, so that all entries of one hash
/// are in one partition: [`shared_pairs_of_parts`] groups each partition on its own, in
/// the cache.
///
/// A partition's entries are kept in blocks of 1,024 (`BLOCK_ENTRIES`), never moved once
/// written: a vector grown an entry at a time would copy its entries into fresh memory
/// at every doubling (about 7 % of a whole scan of 100k documents on one thread, most
/// of it the kernel handing out and clearing the new pages), and leave a quarter of its
/// room unused on average. The blocks are the pieces [`shared_pairs_of_parts`] sorts
/// together.
#[derive(Debug)]
pub struct Partitioned {
    shift: u32,
    layout: EntryLayout,
    /// The block each partition is filling, side by side: a push reads the one
    /// vector header of its partition, in an array small enough to stay in the cache.
    filling: Vec<Vec<Entry>>,
    /// The full blocks of each partition.
    full: Vec<Vec<Vec<Entry>>>,
}

impl Partitioned {
    /// Empty, with `2^bits` partitions (`bits` from 1 to 16), for documents numbered
    /// below `docs`.
    pub fn new(bits: u32, docs: usize) -> Partitioned {
        let bits = bits.clamp(1, 16);
        Partitioned {
            shift: 64 - bits,
            layout: EntryLayout::for_docs(docs),
            filling: vec![Vec::new(); 1 << bits],
            full: vec![Vec::new(); 1 << bits],
        }
    }

    /// Partition bits for about `expected` entries in all, some thousands a partition.
    pub fn bits_for(expected: usize) -> u32 {
        (expected / PARTITION_ENTRIES).max(1).ilog2().clamp(1, 16)
    }

    /// Adds document `d`'s fingerprint `hash`, straddling segments or not, with
    /// `payload` (see [`Entry`]). A document's fingerprints are pushed in the order of
    /// their places, as [`SharedPairs::unsure`] lists them.
    #[inline]
    pub fn push(&mut self, hash: u64, d: u32, straddles: bool, payload: u64) {
        let p = (hash >> self.shift) as usize;
        let block = &mut self.filling[p];
        if block.len() == block.capacity() {
            self.next_block(p);
        }
        let key = self.layout.key(hash << (64 - self.shift), d, straddles);
        self.filling[p].push((key, payload));
    }

    /// Puts partition `p`'s filling block (full, or never allocated) with the full ones
    /// and starts a new one.
    #[cold]
    fn next_block(&mut self, p: usize) {
        let block = std::mem::replace(&mut self.filling[p], Vec::with_capacity(BLOCK_ENTRIES));
        if !block.is_empty() {
            self.full[p].push(block);
        }
    }

    /// The entries: for each partition, its blocks (pieces for [`shared_pairs_of_parts`]).
    pub fn into_parts(self) -> Vec<Vec<Vec<Entry>>> {
        let Partitioned { filling, mut full, .. } = self;
        for (blocks, block) in full.iter_mut().zip(filling) {
            if !block.is_empty() {
                blocks.push(block);
            }
        }
        full
    }
}

/// Entries a block of a [`Partitioned`] holds (16 KB): a few dozen blocks a partition.
const BLOCK_ENTRIES: usize = 1024;

/// Entries a partition is meant to hold: its sort stays in the cache.
const PARTITION_ENTRIES: usize = 16 * 1024;

/// [`shared_fingerprint_pairs`] from entries instead of fingerprint lists: `parts[p]`
/// holds pieces whose entries together are those of partition `p` of some
/// [`Partitioned`] for `docs` documents (the pieces of several, one for each worker, a
/// document's in one worker's), in any order; a hash repeated in a document is a
/// fingerprint the document repeats. The same pairs, sorted, except that with
/// `short_phrases` false two different documents must share a run of [`RUN_WORDS`]
/// words around one of their shared fingerprints (see [`SharedPairs`]).
pub fn shared_pairs_of_parts(
    parts: Vec<Vec<Vec<Entry>>>,
    docs: usize,
    max_docs: usize,
    min_shared: usize,
    short_phrases: bool,
) -> SharedPairs {
    let evidence = if short_phrases { Evidence::Alike(|_, _| true) } else { Evidence::Runs };
    shared_pairs_where(parts, docs, max_docs, min_shared, evidence, |_, _| false)
}

/// The document pairs of [`shared_pairs_of_parts`] and [`shared_pairs_where`].
///
/// With [`Evidence::Runs`], two different documents whose shared fingerprints lie
/// in no run of [`RUN_WORDS`] words both have ([`share_a_run`], or a fingerprint either
/// repeats) share no verbatim passage, only phrases shorter than one: they are not a
/// pair. Those whose shared runs are all around fingerprints straddling segments in
/// either document are `unsure`: a run across lines that are each boilerplate (a site's
/// list of other stories' headlines, say: each line is common, the order of two less
/// so) is no passage either, and only the caller knows the boilerplate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedPairs {
    /// The pairs, sorted.
    pub pairs: Vec<(DocId, DocId)>,
    /// The unsure pairs, sorted.
    pub unsure: Vec<UnsurePair>,
}

/// A pair of [`SharedPairs::unsure`]: `(a, b, keys)`, the [`fingerprint_key`]s of the
/// fingerprints in runs both documents have that they share, in increasing order. Each
/// is at the first place in each document where the document's fingerprints have that
/// key (the place an [`Entry`] does not keep).
pub type UnsurePair = (DocId, DocId, Vec<u64>);

/// What makes two different documents sharing a hash a pair, in [`shared_pairs_where`].
#[derive(Clone, Copy, Debug)]
pub enum Evidence<A> {
    /// Entries of fingerprints, whose payloads are [`run_signature`]s: a shared run
    /// around a shared fingerprint (see [`SharedPairs`]).
    Runs,
    /// `alike(payload in a, payload in b)` for one of the hashes they share, at its
    /// first entry in each (payloads below 2^32).
    Alike(A),
}

/// [`shared_pairs_of_parts`], except that two different documents `a < b` are a pair
/// only on the `evidence` given (a document that repeats a hash is a pair with itself
/// as before), and that the pairs `left_out(a, b)` picks are not listed at all: pairs
/// the caller has already (most of the pairs that share fingerprints are
/// near-duplicates the document scan found, each sharing many). The documents are
/// numbered below `docs`, the count the entries' [`Partitioned`] was made for.
pub fn shared_pairs_where<A: Fn(u32, u32) -> bool + Sync>(
    parts: Vec<Vec<Vec<Entry>>>,
    docs: usize,
    max_docs: usize,
    min_shared: usize,
    evidence: Evidence<A>,
    left_out: impl Fn(u32, u32) -> bool + Sync,
) -> SharedPairs {
    // Each partition's pairs come out split by their first document's top bits
    // (`PAIR_BUCKETS` ranges), so that the ranges are counted in parallel.
    // (The largest document number's bits, from the count given: a pass over the
    // entries to find it read them all once more, 0.04 s at 100k documents.)
    let largest = u32::try_from(docs.saturating_sub(1)).expect("document numbers fit 32 bits");
    let a_shift = (32 - largest.leading_zeros()).saturating_sub(PAIR_BUCKET_BITS);
    let runs = matches!(evidence, Evidence::Runs);
    let layout = EntryLayout::for_docs(docs);
    let found: Vec<(Vec<Vec<Shared>>, Vec<u32>)> = parts
        .into_par_iter()
        .map(|pieces| {
            // Most hashes are in one entry only, and no pair comes of them: those are left
            // out before the sort (most of them), not after.
            let mut v = maybe_repeated(&pieces);
            drop(pieces);
            // By hash, then document, a document's entries of one hash in the order of
            // their places (as pushed), the flag left out of the order.
            stable_sort_by_hash(&mut v, |e| e.0 & !1, 4, &mut Vec::new());
            let (mut pairs, mut repeats) = (vec![Vec::new(); 1 << PAIR_BUCKET_BITS], Vec::new());
            group_sorted(&v, layout, max_docs, a_shift, runs, &mut pairs, &mut repeats, &left_out);
            (pairs, repeats)
        })
        .collect();
    let mut buckets: Vec<Vec<Vec<Shared>>> = vec![Vec::new(); 1 << PAIR_BUCKET_BITS];
    let mut repeats: Vec<u32> = Vec::new();
    for (p, r) in found {
        for (b, pairs) in p.into_iter().enumerate() {
            buckets[b].push(pairs);
        }
        repeats.extend_from_slice(&r);
    }
    // Each pair, unsure ones with their fingerprints' keys.
    let found: Vec<Result<(DocId, DocId), UnsurePair>> = buckets
        .into_par_iter()
        .flat_map_iter(|pieces| {
            let mut pairs: Vec<Shared> = Vec::with_capacity(pieces.iter().map(Vec::len).sum());
            for p in pieces {
                pairs.extend_from_slice(&p);
            }
            radix_sort_pairs(&mut pairs);
            pairs
                .chunk_by(|x, y| x.0 == y.0)
                .filter(|run| run.len() >= min_shared)
                .filter_map(|run| {
                    let pair = (DocId((run[0].0 >> 32) as u32), DocId(run[0].0 as u32));
                    let Evidence::Alike(alike) = &evidence else {
                        let in_runs = run.iter().filter(|s| s.1 & IN_RUN != 0);
                        if in_runs.clone().any(|s| s.1 & STRADDLING == 0) {
                            return Some(Ok(pair));
                        }
                        let unsure: Vec<u64> = in_runs.map(|s| s.1 & SHARED_KEY).collect();
                        return (!unsure.is_empty()).then_some(Err((pair.0, pair.1, unsure)));
                    };
                    run.iter().any(|s| alike((s.1 >> 32) as u32, s.1 as u32)).then_some(Ok(pair))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out = SharedPairs::default();
    for pair in found {
        match pair {
            Ok(pair) => out.pairs.push(pair),
            Err(unsure) => out.unsure.push(unsure),
        }
    }
    repeats.sort_unstable();
    out.pairs.extend(
        repeats.chunk_by(|x, y| x == y).filter(|run| run.len() >= min_shared).map(|run| (DocId(run[0]), DocId(run[0]))),
    );
    out.pairs.sort_unstable();
    out.unsure.sort_unstable();
    out
}

/// The entries of `pieces` whose hash may be another entry's too, in order: all those
/// whose hash is, and at most about one in eight of the others. Some bits of each hash
/// pick one bit of a table of eight to sixteen bits an entry; the entries kept are
/// those whose bit was picked twice or more. (A key's top 32 bits are its hash's bits
/// below the partition's, well mixed, whatever the count of documents: the lowest bits
/// a key keeps of a hash are zeros when the documents are few and the partitions many.)
fn maybe_repeated(pieces: &[Vec<Entry>]) -> Vec<Entry> {
    let n: usize = pieces.iter().map(Vec::len).sum();
    let bits = (8 * n).max(64).next_power_of_two();
    let mask = bits - 1;
    let (mut seen, mut twice) = (vec![0u64; bits / 64], vec![0u64; bits / 64]);
    // Piece by piece, slice by slice: a flattened iterator costs more than the work.
    for piece in pieces {
        for e in piece {
            let b = (e.0 >> 32) as usize & mask;
            let (w, m) = (b >> 6, 1u64 << (b & 63));
            twice[w] |= seen[w] & m;
            seen[w] |= m;
        }
    }
    let picked = |e: &Entry| {
        let b = (e.0 >> 32) as usize & mask;
        twice[b >> 6] >> (b & 63) & 1 != 0
    };
    let kept: usize = pieces.iter().map(|piece| piece.iter().filter(|e| picked(e)).count()).sum();
    // Kept or not goes either way: without a branch on it (room for one written past).
    let mut out = Vec::with_capacity(kept + 1);
    for piece in pieces {
        for e in piece {
            push_if(&mut out, picked(e), *e);
        }
    }
    out
}

/// Pushes `x` onto `v` when `keep`, without a branch on `keep`.
#[inline(always)]
pub(crate) fn push_if<T: Copy>(v: &mut Vec<T>, keep: bool, x: T) {
    v.reserve(1);
    let len = v.len();
    // SAFETY: `reserve(1)` leaves room for one more value at `len`; the length grows
    // over it only when `keep`.
    unsafe {
        v.as_mut_ptr().add(len).write(x);
        v.set_len(len + usize::from(keep));
    }
}

/// A hash two documents share: `(a << 32 | b, what tells the pair)`. For fingerprints
/// ([`Evidence::Runs`]), its [`fingerprint_key`] (in [`SHARED_KEY`]), with [`IN_RUN`]
/// set when it lies in a run of [`RUN_WORDS`] words both have, and [`STRADDLING`] when
/// it straddles segments in either document; otherwise the payloads of its first
/// entries, `payload in a << 32 | payload in b`.
type Shared = (u64, u64);

/// Top bit of [`Shared`]'s second field.
const IN_RUN: u64 = 1 << 63;

/// Bit 62 of [`Shared`]'s second field.
const STRADDLING: u64 = 1 << 62;

/// The bits of a [`Shared`] fingerprint's key (a [`fingerprint_key`] has at most 62).
const SHARED_KEY: u64 = (1 << 62) - 1;

/// Ranges of first documents the pairs are counted in: `2^PAIR_BUCKET_BITS`.
const PAIR_BUCKET_BITS: u32 = 6;

/// Sorts shared fingerprints by their document pair `a << 32 | b` (stable): least
/// significant digit first, over the bits the documents' numbers use (34 for 100,000
/// documents), 11 at a time.
fn radix_sort_pairs(v: &mut Vec<Shared>) {
    if v.len() < 1 << 12 {
        v.sort_by_key(|x| x.0);
        return;
    }
    let top = v.iter().fold(0u64, |m, x| m | x.0);
    let b_bits = 32 - (top as u32).leading_zeros();
    let a_bits = 64 - (top >> 32).leading_zeros();
    // The pair packed without the gap between its halves: `a << b_bits | b`.
    let pack = |x: u64| (x >> 32) << b_bits | (x & 0xFFFF_FFFF);
    let bits = a_bits + b_bits;
    const DIGIT: u32 = 11;
    let mut scratch = vec![(0u64, 0u64); v.len()];
    let mut shift = 0;
    while shift < bits {
        let mut counts = vec![0usize; 1 << DIGIT];
        let digit = |x: &Shared| (pack(x.0) >> shift) as usize & ((1 << DIGIT) - 1);
        for x in v.iter() {
            counts[digit(x)] += 1;
        }
        let mut sum = 0;
        for c in &mut counts {
            (*c, sum) = (sum, sum + *c);
        }
        for &x in v.iter() {
            let d = digit(&x);
            scratch[counts[d]] = x;
            counts[d] += 1;
        }
        std::mem::swap(v, &mut scratch);
        shift += DIGIT;
    }
}

/// Over entries sorted by hash and document, a document's entries of a hash in the
/// order of their places: appends the [`Shared`] hash to `pairs[a >> a_shift]` for each
/// pair of documents `a < b` sharing a hash found in 2 to `max_docs` documents (at its
/// first entry in each; in a run when either document repeats it) but those
/// `left_out(a, b)` picks, and a document to `repeats` once for each time an entry of it
/// repeats. `runs`: the entries are fingerprints ([`Evidence::Runs`]), not payloads
/// compared by [`Evidence::Alike`].
#[allow(clippy::too_many_arguments)]
fn group_sorted(
    v: &[Entry],
    layout: EntryLayout,
    max_docs: usize,
    a_shift: u32,
    runs: bool,
    pairs: &mut [Vec<Shared>],
    repeats: &mut Vec<u32>,
    left_out: &impl Fn(u32, u32) -> bool,
) {
    // (document, straddles, payload, repeated): a fingerprint a document repeats counts
    // as in a shared run (its first place alone tells nothing of the others).
    let mut docs: Vec<(u32, bool, u64, bool)> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let h = layout.hash_of(&v[i]);
        if i + 1 == v.len() || layout.hash_of(&v[i + 1]) != h {
            // Most hashes are in one document only.
            i += 1;
            continue;
        }
        docs.clear();
        let mut j = i;
        while j < v.len() && layout.hash_of(&v[j]) == h {
            let (d, straddles, payload) = (layout.doc_of(&v[j]), v[j].0 & 1 != 0, v[j].1);
            match docs.last_mut() {
                Some(last) if last.0 == d => {
                    repeats.push(d);
                    last.3 = true;
                }
                _ => docs.push((d, straddles, payload, false)),
            }
            j += 1;
        }
        if docs.len() >= 2 && docs.len() <= max_docs {
            for (x, &(a, sa, ra, repeated_a)) in docs.iter().enumerate() {
                let others = docs[x + 1..].iter().filter(|&&(b, ..)| !left_out(a, b));
                pairs[(a >> a_shift) as usize].extend(others.map(|&(b, sb, rb, repeated_b)| {
                    let tells = if runs {
                        let in_run = if repeated_a || repeated_b || share_a_run(ra, rb) { IN_RUN } else { 0 };
                        let straddling = if sa || sb { STRADDLING } else { 0 };
                        in_run | straddling | h
                    } else {
                        ra << 32 | (rb & 0xFFFF_FFFF)
                    };
                    (u64::from(a) << 32 | u64::from(b), tells)
                }));
            }
        }
        i = j;
    }
}

/// Document pairs sharing at least `min_shared` fingerprints that are each in at most
/// `max_docs` documents, as `(a, b)` with `a <= b` (`a == b` for a document repeating
/// itself), sorted. `fingerprints[d]` lists document `d`'s fingerprint hashes (any order,
/// repeats meaning the text repeats).
pub fn shared_fingerprint_pairs(fingerprints: &[Vec<u64>], max_docs: usize, min_shared: usize) -> Vec<(DocId, DocId)> {
    let mut self_pairs: Vec<(DocId, DocId)> = Vec::new();
    let mut keyed: Vec<(u64, u32)> = fingerprints
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, fps)| {
            let mut v = fps.clone();
            v.sort_unstable();
            let before = v.len();
            v.dedup();
            let repeats = before - v.len();
            let d = d as u32;
            v.into_iter()
                .map(move |h| (h, d))
                .chain(std::iter::once((u64::MAX, if repeats >= min_shared { d } else { u32::MAX })))
        })
        .collect();
    keyed.retain(|&(h, d)| {
        if h == u64::MAX {
            if d != u32::MAX {
                self_pairs.push((DocId(d), DocId(d)));
            }
            false
        } else {
            true
        }
    });
    keyed.par_sort_unstable();
    let groups: Vec<&[(u64, u32)]> =
        keyed.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() >= 2 && g.len() <= max_docs).collect();
    let mut pairs: Vec<(u32, u32)> = groups
        .par_iter()
        .flat_map_iter(|g| {
            let mut out = Vec::with_capacity(g.len() * (g.len() - 1) / 2);
            for i in 0..g.len() {
                for j in i + 1..g.len() {
                    out.push((g[i].1, g[j].1));
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    let mut out: Vec<(DocId, DocId)> = pairs
        .chunk_by(|x, y| x == y)
        .filter(|run| run.len() >= min_shared)
        .map(|run| (DocId(run[0].0), DocId(run[0].1)))
        .collect();
    out.extend(self_pairs);
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use ahash::AHashMap;

    /// Of 19,000 hashes found once and 1,000 found twice, [`maybe_repeated`] keeps the
    /// 2,000 entries of the repeated ones and few of the others (about one in twelve with
    /// a table of 262,144 bits for 21,000 entries), whatever the entries' layout: one
    /// document or a million, one partition bit or sixteen.
    #[test]
    fn maybe_repeated_leaves_out_most_unique_hashes() {
        let mix = crate::text::shingle::finish;
        for (docs, bits) in [(1, 1), (2, 16), (1_000_000, 1), (1_000_000, 16)] {
            let layout = EntryLayout::for_docs(docs);
            // The hash as a partition gives it, its partition's bits shifted out.
            let key = |i: u64| layout.key(mix(i) << bits, 0, false);
            let entries: Vec<Entry> = (1..=20_000u64).chain(1..=1_000).map(|i| (key(i), 0)).collect();
            let kept = maybe_repeated(&[entries[..7_000].to_vec(), entries[7_000..].to_vec()]);
            let twice: ahash::AHashSet<u64> = (1..=1_000).map(key).collect();
            let repeated = kept.iter().filter(|e| twice.contains(&e.0)).count();
            assert_eq!(repeated, 2_000, "{docs} documents, {bits} bits");
            let unique_kept = kept.len() - repeated;
            assert!(
                unique_kept < 19_000 / 5,
                "{unique_kept} of 19,000 unique hashes kept ({docs} documents, {bits} bits)"
            );
        }
    }

    #[test]
    fn winnowing_guarantees_shared_runs_are_seen() {
        // Two "documents" sharing a run of 12 hashes at different offsets.
        let mix = crate::text::shingle::finish;
        let shared: Vec<u64> = (0..12u64).map(mix).collect();
        let a: Vec<u64> = (1000..1030u64).map(mix).chain(shared.iter().copied()).chain((2000..2010).map(mix)).collect();
        let b: Vec<u64> = (5000..5003u64).map(mix).chain(shared.iter().copied()).collect();
        let (mut fa, mut fb) = (Vec::new(), Vec::new());
        winnow(&a, 8, &mut fa);
        winnow(&b, 8, &mut fb);
        assert!(fa.iter().any(|x| fb.iter().any(|y| x.0 == y.0)));
        assert!(fa.len() < a.len() / 2);
        assert!(fa.windows(2).all(|p| p[0].1 < p[1].1));
    }

    proptest! {
        /// [`maybe_repeated`] keeps every entry whose hash another entry has, in the
        /// pieces' order.
        #[test]
        fn maybe_repeated_keeps_every_repeated_hash(
            hashes in proptest::collection::vec(0u64..400, 0..600),
            cut in 0usize..600,
        ) {
            // Well-mixed hashes from few values (many repeats), each entry of its own
            // document; the payloads tell them apart.
            let layout = EntryLayout::for_docs(600);
            let entries: Vec<Entry> = hashes
                .iter()
                .enumerate()
                .map(|(i, &h)| (layout.key(crate::text::shingle::finish(h), i as u32, false), i as u64))
                .collect();
            let cut = cut.min(entries.len());
            let pieces = vec![entries[..cut].to_vec(), Vec::new(), entries[cut..].to_vec()];
            let kept = maybe_repeated(&pieces);
            let mut count: AHashMap<u64, usize> = AHashMap::new();
            for e in &entries {
                *count.entry(layout.hash_of(e)).or_default() += 1;
            }
            let repeated: Vec<Entry> = entries.iter().copied().filter(|e| count[&layout.hash_of(e)] > 1).collect();
            prop_assert!(kept.windows(2).all(|w| w[0].1 < w[1].1));
            prop_assert_eq!(kept.iter().copied().filter(|e| count[&layout.hash_of(e)] > 1).collect::<Vec<_>>(), repeated);
        }

        /// [`winnow_each`] (eight windows at a time where the processor allows) and
        /// [`winnow_blocks`] against [`winnow`], on hashes of the whole range or from a
        /// few of the largest values (ties that a signed comparison would get wrong), and
        /// windows wider than the vector path takes.
        #[test]
        fn both_ways_of_winnowing_agree_with_winnow(
            hashes in proptest::collection::vec(any::<u64>(), 0..200),
            few in any::<bool>(),
            w in 1usize..20,
        ) {
            let hashes: Vec<u64> = hashes.iter().map(|&h| if few { u64::MAX - h % 3 } else { h }).collect();
            let mut want = Vec::new();
            winnow(&hashes, w, &mut want);
            let mut got = Vec::new();
            winnow_each(&hashes, w, |h, pos| got.push((h, pos)));
            prop_assert_eq!(&got, &want);
            if hashes.len() > w {
                let mut blocks = Vec::new();
                winnow_blocks(&hashes, w, &mut Default::default(), |h, pos| blocks.push((h, pos)));
                prop_assert_eq!(&blocks, &want);
            }
        }

        /// [`winnow_each`] against [`winnow`], on hashes from a few values (many ties).
        #[test]
        fn winnow_each_agrees_with_winnow(hashes in proptest::collection::vec(0u64..6, 0..80), w in 1usize..9) {
            let mut want = Vec::new();
            winnow(&hashes, w, &mut want);
            let mut got = Vec::new();
            winnow_each(&hashes, w, |h, pos| got.push((h, pos)));
            prop_assert_eq!(&got, &want);
            // A caller winnowing again for each fingerprint gets the same.
            let mut inner = Vec::new();
            winnow_each(&hashes, w, |_, _| {
                inner.clear();
                winnow_each(&hashes, w, |h, pos| inner.push((h, pos)));
            });
            if !hashes.is_empty() {
                prop_assert_eq!(&inner, &want);
            }
        }

        /// [`shared_pairs_of_parts`] against [`shared_fingerprint_pairs`], the entries
        /// split between two workers' partitions.
        #[test]
        fn partitioned_pairs_agree_with_fingerprint_lists(
            fps in proptest::collection::vec(proptest::collection::vec(0u64..12, 0..10), 0..12),
            max_docs in 1usize..6,
            min_shared in 1usize..4,
            bits in 1u32..4,
        ) {
            // Spread the small values over the top bits too.
            let fps: Vec<Vec<u64>> = fps.iter().map(|f| f.iter().map(|&h| crate::text::shingle::finish(h)).collect()).collect();
            let want = shared_fingerprint_pairs(&fps, max_docs, min_shared);
            let mut workers = [Partitioned::new(bits, fps.len()), Partitioned::new(bits, fps.len())];
            for (d, f) in fps.iter().enumerate() {
                for &h in f {
                    workers[(d + h as usize) % 2].push(h, d as u32, false, 0);
                }
            }
            let [a, b] = workers;
            let parts: Vec<Vec<Vec<Entry>>> =
                a.into_parts().into_iter().zip(b.into_parts()).map(|(x, y)| y.into_iter().chain(x).collect()).collect();
            prop_assert_eq!(shared_pairs_of_parts(parts, fps.len(), max_docs, min_shared, true), SharedPairs { pairs: want, unsure: Vec::new() });
        }
    }

    #[test]
    fn radix_sort_of_pairs_sorts() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for (n, docs) in [(5000, 100_000u64), (20_000, 3), (70_000, 1 << 31)] {
            let mut v: Vec<Shared> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let (a, b) = ((x >> 32) % docs, (x & 0xFFFF_FFFF) % docs);
                    (a.min(b) << 32 | a.max(b), i as u64)
                })
                .collect();
            // Stable: among equal pairs, the order they came in.
            let mut want = v.clone();
            want.sort_by_key(|x| x.0);
            radix_sort_pairs(&mut v);
            assert_eq!(v, want);
        }
    }

    #[test]
    fn run_signatures_see_shared_runs_of_eight_words_only() {
        let mix = crate::text::shingle::finish;
        // Word hashes: a run of `len` shared words at different offsets in two documents.
        let doc = |own: u64, before: usize, len: usize| -> Vec<u64> {
            let words: Vec<u64> = (0..before as u64)
                .map(|i| mix(own + i))
                .chain((0..len as u64).map(|i| mix(9000 + i)))
                .chain((0..6).map(|i| mix(own + 500 + i)))
                .collect();
            let mut shingles = Vec::new();
            crate::text::shingle::for_each_word_shingle_hash(5, &words, |_, h| shingles.push(h));
            shingles
        };
        for (len, shared) in [(6, false), (7, false), (8, true), (11, true)] {
            let (a, b) = (doc(100, 3, len), doc(200, 9, len));
            // Every shingle of the run (shingle 0 of the run at 3 in a, 9 in b).
            for k in 0..=len - 5 {
                let (sa, sb) = (run_signature(&a, 3 + k), run_signature(&b, 9 + k));
                assert_eq!(share_a_run(sa, sb), shared, "run of {len} words, shingle {k}");
            }
        }
        assert!(!share_a_run(0, 0));
    }

    #[test]
    fn run_signatures_hold_each_run_at_its_place() {
        let shingles: Vec<u64> = (0..12u64).map(|i| crate::text::shingle::finish(i + 1)).collect();
        // The run of four shingles from `start`: 16 bits of each, a different 16 of each.
        let run = |s: &[u64], start: usize| {
            let bits = |x: u64, from: u32| (x >> from) & 0xFFFF;
            (bits(s[start], 48) ^ bits(s[start + 1], 32) ^ bits(s[start + 2], 16) ^ bits(s[start + 3], 0)) | 1
        };
        for n in 1..=shingles.len() {
            let s = &shingles[..n];
            for pos in 0..n {
                let mut want = 0u64;
                for k in 0..4 {
                    if pos + k >= 3 && pos + k < n {
                        want |= run(s, pos + k - 3) << (16 * k);
                    }
                }
                assert_eq!(run_signature(s, pos), want, "shingle {pos} of {n}");
            }
        }
    }

    #[test]
    fn pairs_must_share_a_run_around_a_fingerprint() {
        // Entries (hash, document, position, straddles, runs); runs 0: in no shared run,
        // 0x7 in one both documents have.
        let pairs = |entries: Vec<(u64, u32, u32, bool, u64)>, short_phrases: bool| {
            let mut parts = Partitioned::new(1, 2);
            for (h, d, _pos, straddles, runs) in entries {
                parts.push(crate::text::shingle::finish(h), d, straddles, runs);
            }
            shared_pairs_of_parts(parts.into_parts(), 2, 10, 2, short_phrases)
        };
        let pair = SharedPairs { pairs: vec![(DocId(0), DocId(1))], unsure: Vec::new() };
        let none = SharedPairs::default();
        // Two fingerprints one place apart: one short phrase.
        let phrase = vec![(1, 0, 10, false, 0), (2, 0, 11, false, 0), (1, 1, 40, false, 0), (2, 1, 41, false, 0)];
        assert_eq!(pairs(phrase.clone(), false), none);
        assert_eq!(pairs(phrase, true), pair);
        // Two phrases, on two diagonals, neither in a run both have.
        assert_eq!(
            pairs(vec![(1, 0, 10, false, 0), (2, 0, 30, false, 0), (1, 1, 40, false, 0), (2, 1, 50, false, 0)], false),
            none
        );
        // A run both have around one of them.
        let run = vec![(1, 0, 10, false, 0x7), (2, 0, 11, false, 0), (1, 1, 40, false, 0x7), (2, 1, 41, false, 0)];
        assert_eq!(pairs(run, false), pair);
        // A fingerprint one of them repeats.
        assert_eq!(
            pairs(
                vec![
                    (1, 0, 10, false, 0),
                    (2, 0, 11, false, 0),
                    (1, 1, 40, false, 0),
                    (2, 1, 41, false, 0),
                    (2, 1, 90, false, 0)
                ],
                false
            ),
            pair
        );
        // The run around a fingerprint straddling segments in either document: unsure,
        // with its key (the other fingerprint, in no run, is not listed).
        let key = fingerprint_key(crate::text::shingle::finish(1), 1, 2);
        for (in_a, in_b) in [(true, false), (false, true), (true, true)] {
            let run = vec![(1, 0, 10, in_a, 0x7), (2, 0, 11, false, 0), (1, 1, 40, in_b, 0x7), (2, 1, 41, false, 0)];
            let unsure = SharedPairs { pairs: Vec::new(), unsure: vec![(DocId(0), DocId(1), vec![key])] };
            assert_eq!(pairs(run, false), unsure, "straddling in a {in_a}, in b {in_b}");
        }
        // A fingerprint a document repeats (so in a run) is taken at its first place in
        // each document: unsure when it straddles segments there, whatever the others.
        let repeated = |first: bool, then: bool| {
            vec![
                (1, 0, 10, first, 0),
                (1, 0, 20, then, 0),
                (2, 0, 30, false, 0),
                (1, 1, 40, false, 0),
                (2, 1, 50, false, 0),
            ]
        };
        let unsure = SharedPairs { pairs: Vec::new(), unsure: vec![(DocId(0), DocId(1), vec![key])] };
        assert_eq!(pairs(repeated(true, false), false), unsure);
        assert_eq!(pairs(repeated(false, true), false), pair);
        // Beside a run around one that does not straddle, a pair.
        let both = vec![(1, 0, 10, true, 0x7), (2, 0, 30, false, 0x7), (1, 1, 40, true, 0x7), (2, 1, 60, false, 0x7)];
        assert_eq!(pairs(both, false), pair);
    }

    #[test]
    fn frequent_fingerprints_are_ignored_and_repeats_pair_a_document_with_itself() {
        let common = 1u64;
        let fps = vec![vec![common, 10, 11, 12], vec![common, 10, 11], vec![common, 20], vec![common, 30, 31, 30, 31]];
        let pairs = shared_fingerprint_pairs(&fps, 3, 2);
        assert_eq!(pairs, vec![(DocId(0), DocId(1)), (DocId(3), DocId(3))]);
    }
}
