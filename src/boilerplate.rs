//! Boilerplate: segments (lines, sentences) that recur across many documents.
//!
//! Site footers, comment forms, newsletter blurbs and "Read more" lines are shared by
//! documents that are otherwise unrelated; they must not make two different stories
//! look alike. A first pass counts, for each segment (see
//! [`Token::segment`](crate::text::Token)), how many documents contain it. A segment of at
//! least two words found in `min_docs` or more documents is *common*.
//!
//! A shingle most of whose words lie in common segments is a boilerplate shingle, and
//! documents are compared on their other (content) shingles, as long as there are at
//! least [`MIN_CONTENT_SHINGLES`] of them or they make at least [`MIN_CONTENT_SHARE`] of
//! the document. A document that is almost all common text keeps all its shingles, so
//! that the copies of one wire story carried by many outlets (whose sentences are all
//! common) under a new headline and dateline still match each other.
//!
//! Lexically, "a short brief above a long site footer" and "a widely carried story
//! under a new headline" look alike: a little unique text beside much common text. The
//! size of the unique part tells them apart: a headline and dateline are a few words,
//! a brief is a few sentences.

use ahash::{AHashMap, AHashSet};

use crate::text::shingle::finish;
use crate::text::Token;

/// With at least this share of content shingles, a document is compared on them alone.
pub const MIN_CONTENT_SHARE: f64 = 0.25;
/// With at least this many content shingles, a document is compared on them alone.
pub const MIN_CONTENT_SHINGLES: usize = 25;

/// Appends the hashes of `tokens`' segments of two or more words, sorted, each once.
pub fn segment_hashes(tokens: &[Token], out: &mut Vec<u64>) {
    out.clear();
    for seg in tokens.chunk_by(|a, b| a.segment == b.segment) {
        if seg.len() >= 2 {
            out.push(segment_hash(seg));
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The hash of one segment's words, in order.
fn segment_hash(seg: &[Token]) -> u64 {
    segment_hash_of(seg.len(), seg.iter().map(|t| t.hash))
}

/// The hash of a segment of `len` words with hashes `words`.
#[inline]
fn segment_hash_of(len: usize, words: impl Iterator<Item = u64>) -> u64 {
    finish(words.fold(len as u64, |h, w| (h.rotate_left(29) ^ w).wrapping_mul(SEGMENT_MULTIPLIER)))
}

const SEGMENT_MULTIPLIER: u64 = 0xA076_1D64_78BD_642F;

/// A document's segments of two or more words, from its words' hashes and segment
/// numbers (as [`Tokenizer::word_hashes`](crate::text::Tokenizer::word_hashes) gives
/// them): for each, its first word's index, its number of words and its hash. Found in
/// one pass, for both [`SegmentRuns::hashes`] and [`Boilerplate::mark_runs`].
#[derive(Clone, Debug, Default)]
pub struct SegmentRuns(Vec<(u32, u32, u64)>);

impl SegmentRuns {
    /// Finds the segments of the words with these hashes and segment numbers.
    pub fn compute(&mut self, hashes: &[u64], segments: &[u32]) {
        self.0.clear();
        let n = segments.len().min(hashes.len());
        let mut start = 0;
        let runs = &mut self.0;
        let mut end_run = |i: usize| {
            if i - start >= 2 {
                runs.push((start as u32, (i - start) as u32, 0));
            }
            start = i;
        };
        for_each_change(&segments[..n], &mut end_run);
        if n > 0 {
            end_run(n);
        }
        // A segment's hash is one chain of multiplications over its words: two segments
        // hashed side by side keep the multiplier busy.
        let runs = &mut self.0;
        let word = |h: u64, w: u64| (h.rotate_left(29) ^ w).wrapping_mul(SEGMENT_MULTIPLIER);
        let mut k = 0;
        while k + 1 < runs.len() {
            let (a, b) = (runs[k], runs[k + 1]);
            let wa = &hashes[a.0 as usize..(a.0 + a.1) as usize];
            let wb = &hashes[b.0 as usize..(b.0 + b.1) as usize];
            let (mut ha, mut hb) = (wa.len() as u64, wb.len() as u64);
            let both = wa.len().min(wb.len());
            for (&x, &y) in wa[..both].iter().zip(&wb[..both]) {
                ha = word(ha, x);
                hb = word(hb, y);
            }
            ha = wa[both..].iter().fold(ha, |h, &x| word(h, x));
            hb = wb[both..].iter().fold(hb, |h, &y| word(h, y));
            runs[k].2 = finish(ha);
            runs[k + 1].2 = finish(hb);
            k += 2;
        }
        if k < runs.len() {
            let a = runs[k];
            runs[k].2 = segment_hash_of(a.1 as usize, hashes[a.0 as usize..(a.0 + a.1) as usize].iter().copied());
        }
    }

    /// [`segment_hashes`] of the document: the segments' hashes, sorted, each once.
    pub fn hashes(&self, out: &mut Vec<u64>) {
        out.clear();
        out.extend(self.0.iter().map(|r| r.2));
        out.sort_unstable();
        out.dedup();
    }
}

/// Calls `f(i)` for each `i` where `segments[i]` differs from `segments[i - 1]`, in
/// order: where each segment after the first starts.
fn for_each_change(segments: &[u32], f: &mut impl FnMut(usize)) {
    #[cfg(target_arch = "x86_64")]
    if segments.len() > 16 && std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the processor has AVX-512F.
        unsafe { changes_avx512(segments, f) };
        return;
    }
    changes_scalar(segments, 1, f);
}

/// [`for_each_change`] from `from` on, a word at a time.
fn changes_scalar(segments: &[u32], from: usize, f: &mut impl FnMut(usize)) {
    for i in from.max(1)..segments.len() {
        if segments[i] != segments[i - 1] {
            f(i);
        }
    }
}

/// [`for_each_change`] sixteen words at a time: the words' segment numbers against
/// their predecessors' in one comparison, a bit for each change. A word at a time,
/// the branch on each word's comparison took most of [`SegmentRuns::compute`].
///
/// # Safety
/// The processor must have AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn changes_avx512(segments: &[u32], f: &mut impl FnMut(usize)) {
    use std::arch::x86_64::*;
    let mut i = 1;
    while i + 16 <= segments.len() {
        // SAFETY: `i - 1 + 16 < i + 16 <= segments.len()`; unaligned loads.
        let (now, before) = unsafe {
            (
                _mm512_loadu_si512(segments.as_ptr().add(i).cast()),
                _mm512_loadu_si512(segments.as_ptr().add(i - 1).cast()),
            )
        };
        let mut changes = _mm512_cmpneq_epu32_mask(now, before);
        while changes != 0 {
            f(i + changes.trailing_zeros() as usize);
            changes &= changes - 1;
        }
        i += 16;
    }
    changes_scalar(segments, i, f);
}

/// [`segment_hashes`] of words given as hashes and segment numbers (see
/// [`Tokenizer::word_hashes`](crate::text::Tokenizer::word_hashes)).
pub fn word_segment_hashes(hashes: &[u64], segments: &[u32], out: &mut Vec<u64>) {
    let mut runs = SegmentRuns::default();
    runs.compute(hashes, segments);
    runs.hashes(out);
}

/// Number of documents containing each segment.
#[derive(Clone, Debug, Default)]
pub struct SegmentCounts(AHashMap<u64, u32>);

impl SegmentCounts {
    /// Counts one document's segments (sorted and unique, from [`segment_hashes`]).
    pub fn add_document(&mut self, segments: &[u64]) {
        for &h in segments {
            *self.0.entry(h).or_insert(0) += 1;
        }
    }

    /// Adds another count (for counting in parallel).
    pub fn merge(mut self, other: SegmentCounts) -> SegmentCounts {
        let (mut big, small) =
            if self.0.len() >= other.0.len() { (self, other) } else { (other, std::mem::take(&mut self)) };
        for (h, n) in small.0 {
            *big.0.entry(h).or_insert(0) += n;
        }
        big
    }

    /// Number of distinct segments counted.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The set of common segments.
#[derive(Clone, Debug, Default)]
pub struct Boilerplate {
    common: AHashSet<u64>,
}

impl Boilerplate {
    /// No segment is common (boilerplate detection off).
    pub fn none() -> Boilerplate {
        Boilerplate::default()
    }

    /// Segments found in at least `min_docs` documents.
    pub fn from_counts(counts: &SegmentCounts, min_docs: u32) -> Boilerplate {
        let common = counts.0.iter().filter(|&(_, &n)| n >= min_docs).map(|(&h, _)| h).collect();
        Boilerplate { common }
    }

    /// Segments found in at least `min_docs` of the documents whose segments (each
    /// document's sorted, unique hashes from [`segment_hashes`]) are given: the same set
    /// as [`Boilerplate::from_counts`] over those documents, in much less memory.
    ///
    /// Most segments occur once, so counting all of them in a hash map costs far more
    /// than the segments themselves. A first pass counts into a small table of saturating
    /// 8-bit counters at two places per segment (a count-min sketch, which never counts
    /// low); only segments whose both counters reach the threshold are then counted
    /// exactly.
    ///
    /// Both passes run in parallel: the documents are cut into one part a thread, each
    /// counted into a table of its own and the tables added (saturating, which gives the
    /// same counters), and the segments that pass are counted exactly by sorting them.
    pub fn from_documents<S: AsRef<[u64]> + Sync>(segments: &[S], min_docs: u32) -> Boilerplate {
        use rayon::prelude::*;
        if min_docs <= 1 {
            let common = segments.iter().flat_map(|s| s.as_ref().iter().copied()).collect();
            return Boilerplate { common };
        }
        let total: usize = segments.iter().map(|s| s.as_ref().len()).sum();
        let size = (total * 2).next_power_of_two().clamp(1 << 12, 1 << 26);
        let mask = size - 1;
        let slots = |h: u64| (h as usize & mask, (h >> 32) as usize & mask);
        let per_part = segments.len().div_ceil(rayon::current_num_threads().max(1)).max(1);
        let mut tables: Vec<Vec<u8>> = segments
            .par_chunks(per_part)
            .map(|part| {
                let mut table = vec![0u8; size];
                for &h in part.iter().flat_map(|s| s.as_ref()) {
                    let (i, j) = slots(h);
                    table[i] = table[i].saturating_add(1);
                    table[j] = table[j].saturating_add(1);
                }
                table
            })
            .collect();
        let mut sketch = tables.pop().unwrap_or_else(|| vec![0u8; size]);
        for table in tables {
            sketch.par_chunks_mut(1 << 16).zip(table.par_chunks(1 << 16)).for_each(|(a, b)| {
                for (x, &y) in a.iter_mut().zip(b) {
                    *x = x.saturating_add(y);
                }
            });
        }
        let threshold = min_docs.min(u8::MAX as u32) as u8;
        let mut passed: Vec<u64> = segments
            .par_iter()
            .flat_map_iter(|s| {
                s.as_ref().iter().copied().filter(|&h| {
                    let (i, j) = slots(h);
                    sketch[i] >= threshold && sketch[j] >= threshold
                })
            })
            .collect();
        passed.par_sort_unstable();
        let common =
            passed.chunk_by(|a, b| a == b).filter(|run| run.len() >= min_docs as usize).map(|run| run[0]).collect();
        Boilerplate { common }
    }

    /// Number of common segments.
    pub fn len(&self) -> usize {
        self.common.len()
    }

    /// True when no segment is common.
    pub fn is_empty(&self) -> bool {
        self.common.is_empty()
    }

    /// True when any of `segments` (hashes from [`segment_hashes`]) is common: then
    /// [`Boilerplate::mark_tokens`] marks some of the document's tokens.
    pub fn contains_any(&self, segments: &[u64]) -> bool {
        !self.common.is_empty() && segments.iter().any(|h| self.common.contains(h))
    }

    /// True when `self` and `other` find the same of `segments` common: then they mark
    /// the same tokens of a document with these segments (hashes from
    /// [`segment_hashes`]), so it has the same sketch under both.
    pub fn marks_alike(&self, other: &Boilerplate, segments: &[u64]) -> bool {
        segments.iter().all(|h| self.common.contains(h) == other.common.contains(h))
    }

    /// [`Boilerplate::mark_tokens`] of words given as hashes and segment numbers (see
    /// [`Tokenizer::word_hashes`](crate::text::Tokenizer::word_hashes)).
    pub fn mark_words(&self, hashes: &[u64], segments: &[u32], marks: &mut Vec<bool>) -> bool {
        let mut runs = SegmentRuns::default();
        runs.compute(hashes, segments);
        self.mark_runs(&runs, hashes.len(), marks)
    }

    /// [`Boilerplate::mark_words`] of a document of `words` words with these segments.
    pub fn mark_runs(&self, runs: &SegmentRuns, words: usize, marks: &mut Vec<bool>) -> bool {
        marks.clear();
        marks.resize(words, false);
        if self.common.is_empty() {
            return false;
        }
        let mut any = false;
        for &(start, len, hash) in &runs.0 {
            if self.common.contains(&hash) {
                marks[start as usize..(start + len) as usize].fill(true);
                any = true;
            }
        }
        any
    }

    /// Marks each token that lies in a common segment.
    /// Returns false (and leaves `marks` all false) when the document has none.
    pub fn mark_tokens(&self, tokens: &[Token], marks: &mut Vec<bool>) -> bool {
        marks.clear();
        marks.resize(tokens.len(), false);
        if self.common.is_empty() {
            return false;
        }
        let mut any = false;
        let mut start = 0;
        for seg in tokens.chunk_by(|a, b| a.segment == b.segment) {
            if seg.len() >= 2 && self.common.contains(&segment_hash(seg)) {
                marks[start..start + seg.len()].fill(true);
                any = true;
            }
            start += seg.len();
        }
        any
    }
}

/// Saving and restoring a set of common segments (the dedup index keeps one).
impl Boilerplate {
    /// The common segments' hashes, sorted.
    pub fn segments(&self) -> Vec<u64> {
        let mut out: Vec<u64> = self.common.iter().copied().collect();
        out.sort_unstable();
        out
    }

    /// The set of these segment hashes (from [`segments`](Self::segments)).
    pub fn from_segments(segments: impl IntoIterator<Item = u64>) -> Boilerplate {
        Boilerplate { common: segments.into_iter().collect() }
    }

    /// Counts the segments of `texts` in parallel and keeps those in `min_docs` or
    /// more of them (0: none).
    pub fn learn<'t>(texts: impl rayon::iter::IndexedParallelIterator<Item = &'t str>, min_docs: u32) -> Boilerplate {
        use rayon::prelude::*;
        if min_docs < 2 {
            return Boilerplate::none();
        }
        let counts = texts
            .fold(
                || (crate::text::Tokenizer::new(), Vec::new(), SegmentCounts::default()),
                |(mut tok, mut segs, mut counts), text| {
                    segment_hashes(tok.tokenize(text), &mut segs);
                    counts.add_document(&segs);
                    (tok, segs, counts)
                },
            )
            .map(|(_, _, counts)| counts)
            .reduce(SegmentCounts::default, SegmentCounts::merge);
        Boilerplate::from_counts(&counts, min_docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Runs of 0 to 40 words (so runs of one word, of two, and across the
        /// sixteen-word blocks), against runs found a word at a time.
        #[test]
        fn segment_runs_are_the_runs_of_equal_segment_numbers(
            lens in proptest::collection::vec(1usize..40, 0..30),
            cut in 0usize..8,
        ) {
            let segments: Vec<u32> =
                lens.iter().enumerate().flat_map(|(s, &len)| std::iter::repeat_n(s as u32, len)).collect();
            let hashes: Vec<u64> = (0..segments.len() as u64).map(|w| w.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
            // Fewer hashes than segment numbers: only the words with both count.
            let hashes = &hashes[..hashes.len().saturating_sub(cut)];
            let n = hashes.len();
            let mut want = Vec::new();
            let mut start = 0;
            for i in 1..=n {
                if i == n || segments[i] != segments[start] {
                    if i - start >= 2 {
                        let hash = segment_hash_of(i - start, hashes[start..i].iter().copied());
                        want.push((start as u32, (i - start) as u32, hash));
                    }
                    start = i;
                }
            }
            let mut runs = SegmentRuns::default();
            runs.compute(hashes, &segments);
            proptest::prop_assert_eq!(runs.0, want);
        }
    }
    use crate::text::Tokenizer;

    fn segs(text: &str) -> Vec<u64> {
        let mut t = Tokenizer::new();
        let mut out = Vec::new();
        segment_hashes(t.tokenize(text), &mut out);
        out
    }

    #[test]
    fn counts_documents_not_occurrences() {
        let mut counts = SegmentCounts::default();
        counts.add_document(&segs("Leave a reply. Leave a reply. Story one here."));
        counts.add_document(&segs("Story two here.\nLEAVE A REPLY"));
        let b = Boilerplate::from_counts(&counts, 2);
        assert_eq!(b.len(), 1);
        let mut t = Tokenizer::new();
        let toks = t.tokenize("Story three. Leave a reply!").to_vec();
        let mut marks = Vec::new();
        assert!(b.mark_tokens(&toks, &mut marks));
        assert_eq!(marks, [false, false, true, true, true]);
    }

    proptest::proptest! {
        /// Segments and marks from word hashes equal those from tokens.
        #[test]
        fn word_segments_and_marks_equal_token_ones(
            text in "(Leave a reply[.!\n] ?|Story [a-c]{1,3} here[.?\n] ?|[a-c]{1,2} ){0,14}",
            common in proptest::collection::vec(0usize..8, 0..4),
        ) {
            let mut t = Tokenizer::new();
            let tokens = t.tokenize(&text).to_vec();
            let (hashes, segments) = t.word_hashes(&text);
            let (hashes, segments) = (hashes.to_vec(), segments.to_vec());
            let (mut want, mut got) = (Vec::new(), Vec::new());
            segment_hashes(&tokens, &mut want);
            word_segment_hashes(&hashes, &segments, &mut got);
            proptest::prop_assert_eq!(&got, &want);
            let mut known = want.clone();
            known.extend([finish(1), finish(2)]);
            let bp = Boilerplate::from_segments(common.iter().filter_map(|&i| known.get(i).copied()));
            let (mut marks_t, mut marks_w) = (Vec::new(), Vec::new());
            let any_t = bp.mark_tokens(&tokens, &mut marks_t);
            let any_w = bp.mark_words(&hashes, &segments, &mut marks_w);
            proptest::prop_assert_eq!(any_t, any_w);
            proptest::prop_assert_eq!(marks_t, marks_w);
        }
    }

    #[test]
    fn counting_from_documents_equals_exact_counts() {
        // Many documents, segments drawn from a small pool (some common, most not), and
        // a small table, so that counters collide.
        let docs: Vec<Vec<u64>> = (0..3000u64)
            .map(|d| {
                let mut s: Vec<u64> =
                    (0..12u64).map(|k| finish((d * 7 + k * k * 131 + d % 5) % (200 + d % 997) + k)).collect();
                s.sort_unstable();
                s.dedup();
                s
            })
            .collect();
        let mut counts = SegmentCounts::default();
        for s in &docs {
            counts.add_document(s);
        }
        for min_docs in [0, 1, 2, 3, 20, 100, 300, 5000] {
            let mut want: Vec<u64> = Boilerplate::from_counts(&counts, min_docs).common.into_iter().collect();
            let mut got: Vec<u64> = Boilerplate::from_documents(&docs, min_docs).common.into_iter().collect();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "min_docs {min_docs}");
        }
    }

    #[test]
    fn parallel_merge_adds_counts() {
        let mut a = SegmentCounts::default();
        let mut b = SegmentCounts::default();
        a.add_document(&segs("one two"));
        b.add_document(&segs("one two"));
        b.add_document(&segs("three four"));
        let merged = a.merge(b);
        assert_eq!(merged.len(), 2);
        assert_eq!(Boilerplate::from_counts(&merged, 2).len(), 1);
    }
}
