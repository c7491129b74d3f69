//! Aligning two documents: which of their sentences (and quotations) say the same thing,
//! chained into passages, plus verbatim runs inside otherwise different sentences.
//!
//! 1. **Units.** Each document is cut into sentences, and quotations of five or more words
//!    inside them ([`crate::text::sentence`]); each unit is prepared once for the
//!    [`SentenceMatcher`].
//! 2. **Candidate unit pairs** share at least two content stems and two fifths
//!    ([`MIN_SHARED_FIFTHS`]) of the smaller unit's content stems (an inverted index over
//!    the second document); each unit is judged against at most
//!    [`MAX_CANDIDATES_PER_UNIT`] units, those sharing the most, so two long documents
//!    cost time in proportion to their length.
//! 3. **Judging.** Each candidate gets a kind and a score: `verbatim` (same words,
//!    score 1), `near_verbatim` (at most one edit in five words, stems compared; scored by
//!    the share of words kept), or else what the matcher says: `reworded` (a paraphrase,
//!    the matcher's score). A unit whose content words are at least 90 % (IDF-weighted, fuzzy
//!    matched) inside the other, with six or more content words, is matched as well: a
//!    truncated quote is mostly contained in the full one, which a symmetric paraphrase
//!    judgement misses.
//! 4. **Selection.** Matches are taken best first (verbatim, then near-verbatim, then
//!    reworded; higher score first); a match whose unit overlaps one already taken on
//!    either side is dropped, so every byte is explained once.
//! 5. **Chaining.** Matches of consecutive sentences on both sides (at most
//!    [`MAX_CHAIN_GAP`] unmatched sentence between them) merge into one passage.
//!    Reordered paragraphs simply give several passages: nothing requires the passages to
//!    appear in the same order in both documents.
//! 6. **Rewrites.** A rewrite of a whole article keeps its order while its sentences
//!    drift too far for the matcher ("a fresh stage of conflict" for "a new phase of
//!    war"). When two documents share at least one match but matches hold less than
//!    [`REWRITE_SKIP_SHARE`] of the shorter one's sentences, the heaviest chain of
//!    sentence pairs in the same order on both sides is sought among the matches
//!    (weight 1) and the pairs of free sentences that are each other's most similar
//!    (IDF-weighted Dice of their content stems, `2·w(shared) / (w(a) + w(b))`) with a
//!    similarity of at least [`REWRITE_MIN_SIMILARITY`]. When that chain holds
//!    [`REWRITE_MIN_SHARE`] of the shorter document's sentences (and at least
//!    [`REWRITE_MIN_PAIRS`] pairs), its loose pairs become `reworded` matches too: the
//!    order and the match vouch for them, which one pair alone could not. Two stories
//!    of one event that share a quote rarely pass: their other sentences share names,
//!    not a sentence-by-sentence order.
//! 7. **Verbatim runs.** Runs of at least [`MIN_RUN_WORDS`] identical words that no match
//!    covers (a quote carried inside a differently worded sentence) become `verbatim`
//!    passages of exactly the run.
//!
//! Aligning a document with itself finds its repeated passages: only units of different
//! sentences are compared, and a run may not overlap itself.
//!
//! Boilerplate is not evidence: a unit or run most of whose words lie in boilerplate
//! segments ([`crate::boilerplate`]) is left out, as are units of fewer than
//! [`MIN_UNIT_WORDS`] words; an edited or reworded match needs [`MIN_REWORDED_WORDS`]
//! words and [`MIN_REWORDED_CONTENT`] content words on each side (short lines such as
//! "Topics: Europe, Health" are too alike by construction).

use std::ops::Range;

use ahash::AHashMap;

use crate::boilerplate::Boilerplate;
use crate::hashsort::sort_by_hash;
use crate::similarity::features::{edit_ratio, stems_edit_ratio};
use crate::similarity::{
    Idf, MatchKind, PreparedSentence, SentenceMatcher, SentencePreparer, NEAR_VERBATIM_MAX_EDIT_RATIO,
};
use crate::text::sentence::{quotations, sentences};
use crate::text::{Span, Token, Tokenizer};

use super::{Passage, PassageKind};

/// Shortest run of identical words reported as a verbatim passage of its own.
pub const MIN_RUN_WORDS: usize = 8;
/// Fewest words of a quotation that becomes a unit of its own.
pub const MIN_QUOTE_WORDS: usize = 5;
/// Share of a unit's (weighted) content words found in the other that matches it.
pub const CONTAINED_SHARE: f64 = 0.9;
/// Fewest content words of a unit matched by containment.
pub const CONTAINED_MIN_WORDS: usize = 6;
/// Sentences that may be skipped between two chained matches (a sentence rewritten too
/// freely to match, between two that match, is part of the passage).
pub const MAX_CHAIN_GAP: u32 = 1;
/// Fewest words of a unit that is compared at all.
pub const MIN_UNIT_WORDS: usize = 6;
/// Fewest words of each unit of a `near_verbatim` or `reworded` match.
pub const MIN_REWORDED_WORDS: usize = 8;
/// Fewest content words of each unit of a `near_verbatim` or `reworded` match.
pub const MIN_REWORDED_CONTENT: usize = 4;
/// A stem in more units than this of the other document is no evidence of a match (it
/// keeps the comparison of two very long documents linear).
pub const MAX_UNITS_PER_STEM: usize = 24;
/// A candidate unit pair shares at least this many fifths of the smaller unit's distinct
/// content stems. On the 100k-document benchmark, unit pairs sharing less than two fifths
/// were 49 % of those judged and 5 % of the matches (with a quarter, the bar before, 3 %
/// of them matched); dropping them took out more wrong passage bytes than right ones
/// (precision 0.975 -> 0.980, recall 0.985 either way). Of the 2,410 true paraphrases
/// the matcher accepts in the MSR Paraphrase Corpus's train split, 2 share less.
pub const MIN_SHARED_FIFTHS: usize = 2;
/// Units of the other document judged per unit: those sharing the most content stems.
pub const MAX_CANDIDATES_PER_UNIT: usize = 8;
/// A word run found at more places than this in the other document is not followed.
pub const MAX_RUN_PLACES: usize = 16;
/// Least similarity (IDF-weighted Dice of content stems) of a sentence pair in a
/// rewrite chain.
pub const REWRITE_MIN_SIMILARITY: f64 = 0.2;
/// A rewrite chain must hold at least this share of the shorter document's sentences...
pub const REWRITE_MIN_SHARE: f64 = 0.5;
/// ...and at least this many sentence pairs, matches included.
pub const REWRITE_MIN_PAIRS: usize = 4;
/// No rewrite chain is sought when matches already hold this share of the shorter
/// document's sentences: the matcher has spoken for the pair.
pub const REWRITE_SKIP_SHARE: f64 = 0.3;

/// A sentence or quotation of a document: where it is, and where its words and content
/// stems are in its [`DocUnits`].
#[derive(Clone, Copy, Debug)]
pub struct Unit {
    /// Its bytes in the original document.
    span: Span,
    /// Index of the sentence it is or lies in.
    pub sentence: u32,
    /// [`PreparedSentence::content_key`] of the unit.
    key: u128,
    /// Its words' hashes: a range of `DocUnits::unit_words`.
    words: (u32, u32),
    /// Its sorted, distinct content stems: a range of `DocUnits::unit_content`.
    content: (u32, u32),
}

impl Unit {
    /// The unit's bytes in the original document.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The unit's [`PreparedSentence::content_key`]: units with the same key compare the
    /// same with any other.
    pub fn content_key(&self) -> u128 {
        self.key
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        (self.words.1 - self.words.0) as usize
    }

    /// True when the unit has no words (never, for units of a [`DocUnits`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A document cut into units, with its words for verbatim runs.
///
/// The units' words and content stems lie in two arrays for the whole document (a
/// document's units cost no allocation each); units prepared in full for the
/// [`SentenceMatcher`] are kept only by [`DocUnits::new`].
#[derive(Clone, Debug, Default)]
pub struct DocUnits {
    /// Each sentence (in order) followed by its quotations.
    pub units: Vec<Unit>,
    /// Every word: normalised hash, original span, and whether it lies in boilerplate.
    pub words: Vec<(u64, Span, bool)>,
    /// Bytes in sentences (the denominator of coverage).
    pub text_bytes: u64,
    /// The units' word hashes: one unit after another ([`DocUnits::new`]), or every word
    /// of the document, glued words split, which light units are ranges of.
    unit_words: Vec<u64>,
    /// The stems of the words of `unit_words`, in the same places.
    unit_stems: Vec<u64>,
    /// The units' sorted, distinct content stems, one unit after another.
    unit_content: Vec<u64>,
    /// The units prepared in full ([`DocUnits::new`]); empty for light units.
    prepared: Vec<PreparedSentence>,
    /// The candidate index: the distinct content stems of the units, in increasing order...
    stems: Vec<u64>,
    /// ...where each one's units start in `stem_units` (and, last, where they end)...
    stem_starts: Vec<u32>,
    /// ...and the units of each stem, in order.
    stem_units: Vec<u32>,
    /// The hash of the MIN_RUN_WORDS words from each word on, sorted (for verbatim
    /// runs)...
    run_hashes: Vec<u64>,
    /// ...and the word each starts at (in order among equal hashes).
    run_starts: Vec<u32>,
}

impl DocUnits {
    /// Cuts and prepares `text` in full; units mostly made of `boilerplate` are left out.
    pub fn new(
        text: &str,
        preparer: &mut SentencePreparer,
        tokenizer: &mut Tokenizer,
        boilerplate: &Boilerplate,
    ) -> DocUnits {
        DocUnits::from_cut(cut_units(text, preparer, tokenizer, boilerplate, Depth::Full))
    }

    /// The units [`DocUnits::new`] would give `text`, with their words and content stems
    /// only: enough to find the candidate unit pairs of two documents
    /// ([`unit_candidates`]), the verbatim matches and runs, and rewrite chains. The units
    /// to be judged are prepared in full apart (with the same
    /// [`content_key`](Unit::content_key)).
    pub fn new_light(
        text: &str,
        preparer: &mut SentencePreparer,
        tokenizer: &mut Tokenizer,
        boilerplate: &Boilerplate,
    ) -> DocUnits {
        DocUnits::from_cut(cut_units(text, preparer, tokenizer, boilerplate, Depth::Content))
    }

    /// The units of a cut, with their content stems sorted and distinct (a cut may give
    /// each unit's in any order, with repeats) and the stem index built from them.
    fn from_cut(cut: Cut) -> DocUnits {
        let Cut { mut units, prepared, unit_words, unit_stems, mut unit_content, words, text_bytes } = cut;
        FROM_CUT.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            let FromCutScratch { index, sort_scratch, .. } = scratch;
            index.clear();
            for (u, unit) in units.iter().enumerate() {
                let content = &unit_content[unit.content.0 as usize..unit.content.1 as usize];
                index.extend(content.iter().map(|&h| (h, u as u32)));
            }
            sort_by_hash(index, |x| x.0, 1, sort_scratch);
            index.dedup();
            // Each unit's stems, in increasing order: the index read in order, each stem
            // put with its unit (a counting sort by unit).
            for unit in &mut units {
                unit.content = (0, 0);
            }
            for &(_, u) in index.iter() {
                units[u as usize].content.1 += 1;
            }
            let mut at = 0;
            for unit in &mut units {
                let n = unit.content.1;
                unit.content = (at, at);
                at += n;
            }
            unit_content.clear();
            unit_content.resize(index.len(), 0);
            for &(h, u) in index.iter() {
                let end = &mut units[u as usize].content.1;
                unit_content[*end as usize] = h;
                *end += 1;
            }
            let mut stems = Vec::with_capacity(index.len());
            let mut stem_starts = Vec::with_capacity(index.len() + 1);
            for (i, &(h, _)) in index.iter().enumerate() {
                if stems.last() != Some(&h) {
                    stems.push(h);
                    stem_starts.push(i as u32);
                }
            }
            stem_starts.push(index.len() as u32);
            let stem_units = index.iter().map(|x| x.1).collect();
            let (run_hashes, run_starts) = sorted_runs(&words, RUN_PACKED_WORDS, scratch);
            DocUnits {
                units,
                words,
                text_bytes,
                unit_words,
                unit_stems,
                unit_content,
                prepared,
                stems,
                stem_starts,
                stem_units,
                run_hashes,
                run_starts,
            }
        })
    }

    /// The units with content stem `stem`, in order.
    #[cfg(test)]
    fn units_with(&self, stem: u64) -> &[u32] {
        match self.stems.binary_search(&stem) {
            Ok(k) => self.stem_group(k),
            Err(_) => &[],
        }
    }

    /// The units of the `k`-th distinct content stem.
    #[inline]
    fn stem_group(&self, k: usize) -> &[u32] {
        &self.stem_units[self.stem_starts[k] as usize..self.stem_starts[k + 1] as usize]
    }

    /// Counts the units in `idf`, each by its words' distinct stems, as [`Idf::add`]
    /// counts a sentence (light units suffice). `scratch` is reused.
    pub fn count_stems(&self, idf: &mut Idf, scratch: &mut Vec<u64>) {
        for u in 0..self.units.len() as u32 {
            scratch.clear();
            scratch.extend_from_slice(self.stems(u));
            scratch.sort_unstable();
            scratch.dedup();
            idf.add_stems(scratch);
        }
    }

    /// The sorted, distinct content stems of unit `u`.
    pub fn content_set(&self, u: u32) -> &[u64] {
        let (s, e) = self.units[u as usize].content;
        &self.unit_content[s as usize..e as usize]
    }

    /// Unit `u` prepared in full.
    ///
    /// # Panics
    /// When the units are light ([`DocUnits::new_light`]).
    pub fn prepared(&self, u: u32) -> &PreparedSentence {
        &self.prepared[u as usize]
    }

    /// The units prepared in full, in order (none for light units).
    pub fn prepared_units(&self) -> &[PreparedSentence] {
        &self.prepared
    }

    /// True when unit `u` has the same words as unit `v` of `other`
    /// ([`PreparedSentence::same_words`]).
    fn same_words(&self, u: u32, other: &DocUnits, v: u32) -> bool {
        let (x, y) = (self.units[u as usize].words, other.units[v as usize].words);
        self.unit_words[x.0 as usize..x.1 as usize] == other.unit_words[y.0 as usize..y.1 as usize]
    }

    /// The stems of unit `u`'s words, in order.
    fn stems(&self, u: u32) -> &[u64] {
        let (s, e) = self.units[u as usize].words;
        &self.unit_stems[s as usize..e as usize]
    }

    /// True when unit `u` is long enough for an edited or reworded match
    /// ([`MIN_REWORDED_WORDS`] words, [`MIN_REWORDED_CONTENT`] content stems), as
    /// [`judge`] asks of the unit prepared in full.
    fn rewordable(&self, u: u32) -> bool {
        rewordable_size(self.units[u as usize].len(), self.content_set(u).len())
    }

    /// The places where the MIN_RUN_WORDS words whose [`run_hash`] is `hash` start, in
    /// order (runs are told apart by the hash's top bits, [`RUN_HASH_MASK`]).
    fn run_places(&self, hash: u64) -> &[u32] {
        &self.run_starts[same_hash(&self.run_hashes, hash & RUN_HASH_MASK)]
    }
}

/// Where the values of `v` (sorted) equal to `h` are. They are mostly few: their end is
/// found by a scan, not by a binary search of the rest.
fn same_hash(v: &[u64], h: u64) -> Range<usize> {
    let start = v.partition_point(|&x| x < h);
    let mut end = start;
    while end < v.len() && v[end] == h {
        end += 1;
    }
    start..end
}

/// The buffers of [`DocUnits::from_cut`]: `(content stem, unit)` pairs (or, for a
/// document of more than [`RUN_PACKED_WORDS`] words, `(run hash, start)` pairs) and the
/// scratch of their sort, and the runs packed into one number each and the scratch of
/// theirs.
#[derive(Default)]
struct FromCutScratch {
    index: Vec<(u64, u32)>,
    sort_scratch: Vec<(u64, u32)>,
    keys: Vec<u64>,
    key_scratch: Vec<u64>,
}

thread_local! {
    /// [`DocUnits::from_cut`]'s buffers, kept by each thread (light preparation 1.84 ->
    /// 1.79 s at 1 thread, medians of five alternated runs at 100k, against fresh
    /// vectors).
    static FROM_CUT: std::cell::RefCell<FromCutScratch> = std::cell::RefCell::default();
}

/// Bits of a run's start packed below its hash for sorting ([`sorted_runs`]).
const RUN_START_BITS: u32 = 24;

/// The bits of a [`run_hash`] runs are told apart by: all but the low
/// [`RUN_START_BITS`]. Among the 600 runs of a news article, two different ones share
/// their top 40 bits with a chance of about 1 in 6 million, and a shared hash only
/// makes [`verbatim_runs`] compare the words themselves.
const RUN_HASH_MASK: u64 = !((1 << RUN_START_BITS) - 1);

/// Documents of up to this many words have their runs sorted packed ([`sorted_runs`]).
const RUN_PACKED_WORDS: usize = 1 << RUN_START_BITS;

/// The runs of [`MIN_RUN_WORDS`] words of `words`, sorted: their hashes (masked by
/// [`RUN_HASH_MASK`]) and, in the same order, where each starts (in order among equal
/// hashes). Up to `packed_words` words, each run is sorted as one number, its start
/// below its hash (half the bytes of a pair, in a sort that moves them twice); beyond,
/// as `(hash, start)` pairs.
fn sorted_runs(words: &[(u64, Span, bool)], packed_words: usize, scratch: &mut FromCutScratch) -> (Vec<u64>, Vec<u32>) {
    let FromCutScratch { index: pairs, sort_scratch: pair_scratch, keys, key_scratch } = scratch;
    if words.len() <= packed_words.min(RUN_PACKED_WORDS) {
        keys.clear();
        keys.reserve((words.len() + 1).saturating_sub(MIN_RUN_WORDS));
        for_each_run_hash(words, |h, j| keys.push(h & RUN_HASH_MASK | u64::from(j)));
        sort_by_hash(keys, |&k| k, 1, key_scratch);
        return (
            keys.iter().map(|&k| k & RUN_HASH_MASK).collect(),
            keys.iter().map(|&k| (k & !RUN_HASH_MASK) as u32).collect(),
        );
    }
    pairs.clear();
    for_each_run_hash(words, |h, j| pairs.push((h & RUN_HASH_MASK, j)));
    sort_by_hash(pairs, |x| x.0, 1, pair_scratch);
    (pairs.iter().map(|x| x.0).collect(), pairs.iter().map(|x| x.1).collect())
}

/// How far [`cut_units`] prepares units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Depth {
    /// Words and content stems ([`DocUnits::new_light`]).
    Content,
    /// In full, kept.
    Full,
}

/// What [`cut_units`] gives.
struct Cut {
    units: Vec<Unit>,
    /// The units prepared (for Depth::Full).
    prepared: Vec<PreparedSentence>,
    unit_words: Vec<u64>,
    unit_stems: Vec<u64>,
    unit_content: Vec<u64>,
    words: Vec<(u64, Span, bool)>,
    text_bytes: u64,
}

impl Cut {
    /// Adds a unit kept: its span, sentence, content key, words' hashes and stems, and
    /// sorted, distinct content stems.
    fn push(&mut self, span: Span, sentence: u32, key: u128, words: impl Iterator<Item = (u64, u64)>, content: &[u64]) {
        let start = self.unit_words.len() as u32;
        for (hash, stem) in words {
            self.unit_words.push(hash);
            self.unit_stems.push(stem);
        }
        let words = (start, self.unit_words.len() as u32);
        let content_start = self.unit_content.len() as u32;
        self.unit_content.extend_from_slice(content);
        let content = (content_start, self.unit_content.len() as u32);
        self.units.push(Unit { span, sentence, key, words, content });
    }
}

/// The units of `text` (prepared to `depth`), its words, and its bytes in sentences.
fn cut_units(
    text: &str,
    preparer: &mut SentencePreparer,
    tokenizer: &mut Tokenizer,
    boilerplate: &Boilerplate,
    depth: Depth,
) -> Cut {
    tokenizer.tokenize(text);
    let tokens = tokenizer.tokens();
    let mut marks = Vec::new();
    boilerplate.mark_tokens(tokens, &mut marks);
    let mut cut = Cut {
        units: Vec::new(),
        prepared: Vec::new(),
        unit_words: Vec::with_capacity(tokens.len()),
        unit_stems: Vec::with_capacity(tokens.len()),
        unit_content: Vec::with_capacity(tokens.len()),
        words: Vec::new(),
        text_bytes: 0,
    };
    cut.text_bytes = match depth {
        Depth::Content => {
            // The units' words are ranges of the document's.
            let words = preparer.prepare_words(text, tokenizer);
            let bytes = unit_spans(text, tokens, &marks, |sentence, span, unit_tokens| {
                let unit_words = words.words_of(unit_tokens);
                if unit_words.len() >= MIN_UNIT_WORDS {
                    let content_start = cut.unit_content.len() as u32;
                    // In word order, with repeats: `from_cut` sorts them.
                    words.push_content_words(unit_words.clone(), &mut cut.unit_content);
                    cut.units.push(Unit {
                        span,
                        sentence,
                        key: words.content_key(unit_words.clone()),
                        words: (unit_words.start as u32, unit_words.end as u32),
                        content: (content_start, cut.unit_content.len() as u32),
                    });
                }
            });
            cut.unit_words = std::mem::take(&mut words.hashes);
            cut.unit_stems = std::mem::take(&mut words.stems);
            bytes
        }
        Depth::Full => unit_spans(text, tokens, &marks, |sentence, span, _| {
            let p = preparer.prepare_tokens(text, span, tokenizer, true);
            if p.len() >= MIN_UNIT_WORDS {
                cut.push(span, sentence, p.content_key(), p.words.iter().map(|w| (w.hash, w.stem)), &p.content_set);
                cut.prepared.push(p);
            }
        }),
    };
    cut.words = tokens.iter().zip(&marks).map(|(t, &m)| (t.hash, t.span, m)).collect();
    cut
}

/// Calls `unit` with the sentence index, the span and the tokens (a range of `tokens`, as
/// [`token_range`](crate::similarity::sentence::token_range) finds it) of each unit of `text` (sentences in order, each followed by
/// its quotations of [`MIN_QUOTE_WORDS`] or more words) but those most of whose tokens
/// are in boilerplate (`marks`); returns the bytes in sentences.
fn unit_spans(text: &str, tokens: &[Token], marks: &[bool], mut unit: impl FnMut(u32, Span, Range<usize>)) -> u64 {
    let mut visit = |sentence: usize, span: Span, inside: Range<usize>| {
        // The tokens that start inside the span: those inside, and any running over its
        // end.
        let mut starting = inside.end;
        while starting < tokens.len() && tokens[starting].span.start < span.end {
            starting += 1;
        }
        let marked = &marks[inside.start..starting];
        if marked.is_empty() || 2 * marked.iter().filter(|&&m| m).count() < marked.len() {
            unit(sentence as u32, span, inside);
        }
    };
    let spans = sentences(text);
    // Where the tokens of the next sentence may start: a sentence's tokens end before
    // the next one's start, and a quotation's lie among its sentence's.
    let mut next = 0;
    for (i, &s) in spans.iter().enumerate() {
        let inside = unit_tokens(tokens, s, next);
        next = inside.end;
        let from = inside.start;
        visit(i, s, inside);
        for q in quotations(text, s, MIN_QUOTE_WORDS) {
            visit(i, q, unit_tokens(tokens, q, from));
        }
    }
    spans.iter().map(|s| s.len() as u64).sum()
}

/// The tokens inside `span`, as
/// [`token_range`](crate::similarity::sentence::token_range) finds them, found by a scan from token
/// `from` (no later than the first token starting at or after `span`'s start).
#[inline]
fn unit_tokens(tokens: &[Token], span: Span, from: usize) -> Range<usize> {
    let mut start = from;
    while start < tokens.len() && tokens[start].span.start < span.start {
        start += 1;
    }
    let mut end = start;
    while end < tokens.len() && tokens[end].span.end <= span.end {
        end += 1;
    }
    start..end
}

/// One unit of each side judged the same.
#[derive(Clone, Copy, Debug)]
pub struct UnitMatch {
    a: Span,
    b: Span,
    sentence_a: u32,
    sentence_b: u32,
    kind: PassageKind,
    score: f64,
    /// Found by a rewrite chain (step 6), not by the matcher.
    loose: bool,
}

impl UnitMatch {
    /// Unit `ua` of one side matched with unit `ub` of the other, by the matcher or a
    /// rule (not by a rewrite chain).
    fn of(ua: &Unit, ub: &Unit, kind: PassageKind, score: f64) -> UnitMatch {
        UnitMatch {
            a: ua.span(),
            b: ub.span(),
            sentence_a: ua.sentence,
            sentence_b: ub.sentence,
            kind,
            score,
            loose: false,
        }
    }
}

/// The passages `a` and `b` share (`same` when they are one document), sorted by their
/// start in `a`.
pub fn align(a: &DocUnits, b: &DocUnits, same: bool, matcher: &SentenceMatcher) -> Vec<Passage> {
    align_candidates(a, b, same, matcher, unit_candidates(a, b, same))
}

/// [`align`] given the pair's [`unit_candidates`]: the units of `others` must be
/// prepared in full; all others may be light ([`DocUnits::new_light`]).
pub fn align_candidates(
    a: &DocUnits,
    b: &DocUnits,
    same: bool,
    matcher: &SentenceMatcher,
    candidates: UnitCandidates,
) -> Vec<Passage> {
    let plan = plan(a, b, same, candidates);
    finish(a, b, matcher.idf(), plan, |ua, ub| judge(a.prepared(ua), b.prepared(ub), matcher))
}

/// A pair's alignment up to judging: the verbatim matches selected, and the candidate
/// unit pairs still to be judged (see [`plan`]).
#[derive(Debug)]
pub struct Plan {
    selection: Selection,
    /// Unit pairs to judge: indices into `a.units` and `b.units`.
    pub to_judge: Vec<(u32, u32)>,
}

/// The first half of [`align_candidates`], for light units: verbatim matches are
/// selected, then lightly edited ones (neither needs the matcher: see [`judge`] and
/// [`edited`]), and the candidates whose unit one of them already took on either side
/// are dropped (they would be dropped whatever their judgement).
/// What is left, [`Plan::to_judge`], is judged by [`finish`]'s caller.
pub fn plan(a: &DocUnits, b: &DocUnits, same: bool, candidates: UnitCandidates) -> Plan {
    // Best first: kind, then score, then position (for a stable order). Verbatim matches
    // come first in that order and need no judging, so they are selected first; lightly
    // edited ones come next, and are told from the units' stems ([`edited`]).
    let UnitCandidates { mut verbatim, others } = candidates;
    verbatim.sort_by(match_order);
    // Room for every match offered, so that the vectors are not grown a match at a time.
    let mut selection = Selection::with_capacity(same, verbatim.len());
    for m in verbatim {
        selection.offer(m);
    }
    let mut edits: Vec<UnitMatch> = Vec::new();
    let mut rest: Vec<(u32, u32)> = Vec::with_capacity(others.len());
    for (ia, ib) in others {
        let (ua, ub) = (&a.units[ia as usize], &b.units[ib as usize]);
        if selection.blocked(ua.span(), ub.span()) {
            continue;
        }
        match edited(a, ia, b, ib) {
            Some((kind, score)) => edits.push(UnitMatch::of(ua, ub, kind, score)),
            None => rest.push((ia, ib)),
        }
    }
    edits.sort_by(match_order);
    selection.reserve(edits.len());
    for m in edits {
        selection.offer(m);
    }
    // What a match already taken blocks would be dropped once judged.
    rest.retain(|&(ia, ib)| !selection.blocked(a.units[ia as usize].span(), b.units[ib as usize].span()));
    Plan { selection, to_judge: rest }
}

/// The second half of [`align_candidates`]: `judgement(ua, ub)` gives [`judge`] of each
/// unit pair of [`Plan::to_judge`] (light units suffice here); `idf` is the matcher's.
pub fn finish(
    a: &DocUnits,
    b: &DocUnits,
    idf: &Idf,
    plan: Plan,
    mut judgement: impl FnMut(u32, u32) -> Option<(PassageKind, f64)>,
) -> Vec<Passage> {
    let Plan { mut selection, to_judge } = plan;
    let same = selection.same;
    let mut judged: Vec<UnitMatch> = to_judge
        .into_iter()
        .filter_map(|(ia, ib)| {
            let (ua, ub) = (&a.units[ia as usize], &b.units[ib as usize]);
            judgement(ia, ib).map(|(kind, score)| UnitMatch::of(ua, ub, kind, score))
        })
        .collect();
    judged.sort_by(match_order);
    selection.reserve(judged.len());
    for m in judged {
        selection.offer(m);
    }
    if !same && !selection.chosen.is_empty() {
        for m in rewrite_matches(a, b, &selection, idf) {
            selection.offer(m);
        }
    }
    let mut passages = chain(selection.chosen);
    let covered_a = SpanSet::union_of(passages.iter().map(|p| p.a));
    let covered_b = SpanSet::union_of(passages.iter().map(|p| p.b));
    passages.extend(uncovered_runs(a, b, same, &covered_a, &covered_b));
    passages.sort_by_key(|p| (p.a, p.b));
    passages
}

/// The [`verbatim_runs`] that overlap neither `covered_a` in `a` nor `covered_b` in `b`
/// (unions of unit spans, each holding a word).
///
/// A run overlaps no covered span exactly when none of its words does (a covered span
/// inside the run holds a word of it), so when either side has no [`MIN_RUN_WORDS`]
/// consecutive words clear of its covered spans, which is the rule for near-duplicates
/// matched sentence by sentence, no run can be kept and none is sought.
fn uncovered_runs(a: &DocUnits, b: &DocUnits, same: bool, covered_a: &SpanSet, covered_b: &SpanSet) -> Vec<Passage> {
    if !has_clear_stretch(&a.words, covered_a) || !has_clear_stretch(&b.words, covered_b) {
        return Vec::new();
    }
    let mut runs = verbatim_runs(a, b, same);
    runs.retain(|run| !covered_a.overlaps(run.a) && !covered_b.overlaps(run.b));
    runs
}

/// True when [`MIN_RUN_WORDS`] consecutive `words` overlap no span of `covered`.
fn has_clear_stretch(words: &[(u64, Span, bool)], covered: &SpanSet) -> bool {
    let spans = &covered.0;
    // The first covered span ending after the current word's start (words and spans
    // are both in order and disjoint).
    let mut s = 0;
    let mut clear = 0;
    for &(_, w, _) in words {
        while s < spans.len() && spans[s].1 <= w.start {
            s += 1;
        }
        if s < spans.len() && spans[s].0 < w.end {
            clear = 0;
        } else {
            clear += 1;
            if clear >= MIN_RUN_WORDS {
                return true;
            }
        }
    }
    false
}

/// Best first: kind, then score, then position (for a stable order).
fn match_order(x: &UnitMatch, y: &UnitMatch) -> std::cmp::Ordering {
    x.kind.cmp(&y.kind).then(y.score.total_cmp(&x.score)).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b))
}

/// Greedy selection of unit matches, best first: a match whose unit overlaps one already
/// taken on either side is dropped, so every byte is explained once.
#[derive(Debug, Default)]
struct Selection {
    same: bool,
    taken_a: SpanSet,
    taken_b: SpanSet,
    chosen: Vec<UnitMatch>,
}

impl Selection {
    /// An empty selection, with room for `matches`.
    fn with_capacity(same: bool, matches: usize) -> Selection {
        let mut selection = Selection { same, ..Selection::default() };
        selection.reserve(matches);
        selection
    }

    /// Room for `matches` more.
    fn reserve(&mut self, matches: usize) {
        self.taken_a.0.reserve(matches);
        self.taken_b.0.reserve(matches);
        self.chosen.reserve(matches);
    }

    /// True when a match of these units would be dropped.
    fn blocked(&self, a: Span, b: Span) -> bool {
        self.taken_a.overlaps(a)
            || self.taken_b.overlaps(b)
            || (self.same && (self.taken_b.overlaps(a) || self.taken_a.overlaps(b) || overlaps(a, b)))
    }

    /// Takes `m` unless it is blocked.
    fn offer(&mut self, m: UnitMatch) {
        if self.blocked(m.a, m.b) {
            return;
        }
        self.taken_a.insert(m.a);
        self.taken_b.insert(m.b);
        self.chosen.push(m);
    }
}

fn overlaps(x: Span, y: Span) -> bool {
    x.start < y.end && y.start < x.end
}

/// Disjoint spans, for overlap queries in logarithmic time: `(start, end)` sorted by
/// start (a pair's matches are few; a vector costs no allocation per entry).
#[derive(Debug, Default)]
struct SpanSet(Vec<(u32, u32)>);

impl SpanSet {
    /// The union of possibly overlapping spans.
    fn union_of(spans: impl Iterator<Item = Span>) -> SpanSet {
        let mut v: Vec<Span> = spans.collect();
        v.sort_unstable();
        let mut set = SpanSet::default();
        let mut cur: Option<Span> = None;
        for s in v {
            match cur {
                Some(c) if s.start < c.end => cur = Some(c.cover(s)),
                _ => {
                    if let Some(c) = cur {
                        set.insert(c);
                    }
                    cur = Some(s);
                }
            }
        }
        if let Some(c) = cur {
            set.insert(c);
        }
        set
    }

    /// Adds a span that overlaps none already in the set.
    fn insert(&mut self, s: Span) {
        match self.0.binary_search_by_key(&s.start, |x| x.0) {
            Ok(i) => self.0[i].1 = s.end,
            Err(i) => self.0.insert(i, (s.start, s.end)),
        }
    }

    /// True when `s` overlaps a span of the set.
    fn overlaps(&self, s: Span) -> bool {
        // Spans are disjoint, so only the last one starting before `s` ends can overlap.
        let before = self.0.partition_point(|x| x.0 < s.end);
        before > 0 && self.0[before - 1].1 > s.start
    }
}

/// The candidate unit pairs of two documents (step 2 of the module docs).
#[derive(Clone, Debug, Default)]
pub struct UnitCandidates {
    /// Matches of units with the same words: no judging needed.
    verbatim: Vec<UnitMatch>,
    /// Pairs still to be judged: indices into `a.units` and `b.units`.
    pub others: Vec<(u32, u32)>,
}

/// The candidate unit pairs: verbatim matches (the same words), and the other pairs
/// (indices into `a.units` and `b.units`) still to be judged. Light units suffice.
pub fn unit_candidates(a: &DocUnits, b: &DocUnits, same: bool) -> UnitCandidates {
    unit_candidates_within(a, b, same, MATRIX_CELLS)
}

/// Unit pairs of two documents counted in a matrix when there are at most this many
/// (256 KB of counts).
const MATRIX_CELLS: usize = 65_536;

/// [`unit_candidates`], the shared stems counted in a matrix of unit pairs when there
/// are at most `max_cells` of them.
fn unit_candidates_within(a: &DocUnits, b: &DocUnits, same: bool, max_cells: usize) -> UnitCandidates {
    // Room for a match of each unit of the smaller side, which near-duplicates have.
    let mut out = UnitCandidates { verbatim: Vec::with_capacity(a.units.len().min(b.units.len())), others: Vec::new() };
    TALLY.with(|tally| {
        let Tally { incidences, starts, by_a, counts, candidates, matrix, touched } = &mut *tally.borrow_mut();
        let (na, nb) = (a.units.len(), b.units.len());
        if na * nb <= max_cells {
            // The stems each pair of units shares, counted where the pair's cell is, and
            // the cells touched marked in a bit set of each row: each unit of `a` reads its
            // candidates (unit of b, shared stems) off the marked cells of its row, in
            // order, and sets them back to zero (the matrix is all zero between pairs).
            let words = nb.div_ceil(64);
            if matrix.len() < na * nb {
                matrix.resize(na * nb, 0);
            }
            touched.clear();
            touched.resize(na * words, 0);
            for_each_incidence(a, b, |_, ua, ub| {
                let (ua, ub) = (ua as usize, ub as usize);
                matrix[ua * nb + ub] += 1;
                touched[ua * words + ub / 64] |= 1 << (ub % 64);
            });
            for ia in 0..na {
                candidates.clear();
                for (w, &bits) in touched[ia * words..(ia + 1) * words].iter().enumerate() {
                    let mut bits = bits;
                    while bits != 0 {
                        let ub = 64 * w + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        candidates.push((ub as u32, std::mem::take(&mut matrix[ia * nb + ub])));
                    }
                }
                if !candidates.is_empty() {
                    judge_candidates(a, b, same, ia, candidates, &mut out);
                }
            }
            return;
        }
        // Else the incidences (unit of a, unit of b), one per shared stem, are put in
        // order of a's units (a counting sort), and each unit of `a` with any gets its
        // candidates counted in a tally of b's units, which is left at zero for the next.
        incidences.clear();
        for_each_incidence(a, b, |_, ua, ub| incidences.push((ua, ub)));
        group_by_unit(incidences, na, starts, by_a);
        counts.resize(nb, 0);
        for ia in 0..na {
            let group = &by_a[starts[ia] as usize..starts[ia + 1] as usize];
            if group.is_empty() {
                continue;
            }
            for &ub in group {
                counts[ub as usize] += 1;
            }
            candidates.clear();
            for &ub in group {
                let n = std::mem::take(&mut counts[ub as usize]);
                if n > 0 {
                    candidates.push((ub, n));
                }
            }
            judge_candidates(a, b, same, ia, candidates, &mut out);
        }
    });
    out
}

/// The buffers of [`unit_candidates`], kept by each thread.
#[derive(Default)]
struct Tally {
    /// (unit of a, unit of b) for each shared content stem.
    incidences: Vec<(u32, u32)>,
    /// Where each unit of a's incidences start in `by_a` ([`group_by_unit`]).
    starts: Vec<u32>,
    /// The units of b of the incidences, in order of a's units.
    by_a: Vec<u32>,
    /// Shared stems per unit of b, all zero between units of a.
    counts: Vec<u32>,
    /// One unit of a's candidates.
    candidates: Vec<(u32, u32)>,
    /// Shared stems per unit pair, row by row (unit of a), when counted in a matrix; all
    /// zero between pairs.
    matrix: Vec<u32>,
    /// The matrix's cells a pair has touched: a bit set of each row.
    touched: Vec<u64>,
}

thread_local! {
    static TALLY: std::cell::RefCell<Tally> = std::cell::RefCell::default();
}

/// Every (content stem, unit of a, unit of b) where both units have the stem (stems in
/// more than MAX_UNITS_PER_STEM units of `b` aside), in increasing order of stems, then
/// of a's units, then of b's: a merge of the two documents' distinct stems.
#[inline]
fn for_each_incidence(a: &DocUnits, b: &DocUnits, mut f: impl FnMut(u64, u32, u32)) {
    let (sa, sb) = (&a.stems, &b.stems);
    let (mut x, mut y) = (0, 0);
    while x < sa.len() && y < sb.len() {
        let (hx, hy) = (sa[x], sb[y]);
        if hx == hy {
            let with = b.stem_group(y);
            if with.len() <= MAX_UNITS_PER_STEM {
                for &ua in a.stem_group(x) {
                    for &ub in with {
                        f(hx, ua, ub);
                    }
                }
            }
        }
        // Both sides advance on a match; no branch on which is smaller (it goes either
        // way unpredictably).
        x += usize::from(hx <= hy);
        y += usize::from(hy <= hx);
    }
}

/// `items` (`(unit, value)`, units below `units`) grouped by unit, each unit's values
/// in the order they came (a counting sort): unit `u`'s are `out[starts[u]..starts[u +
/// 1]]`. `starts` and `out` are reused.
fn group_by_unit<T: Copy + Default>(items: &[(u32, T)], units: usize, starts: &mut Vec<u32>, out: &mut Vec<T>) {
    // Counted two places on, summed, `starts[u + 1]` is unit u's start; it moves on as
    // the unit fills, and ends as its end, which is unit u + 1's start.
    starts.clear();
    starts.resize(units + 2, 0);
    for &(u, _) in items {
        starts[u as usize + 2] += 1;
    }
    for i in 2..units + 2 {
        starts[i] += starts[i - 1];
    }
    out.clear();
    out.resize(items.len(), T::default());
    for &(u, x) in items {
        let at = &mut starts[u as usize + 1];
        out[*at as usize] = x;
        *at += 1;
    }
    starts.truncate(units + 1);
}

/// The candidate unit pairs of unit `ia` of `a`, given `candidates` (units of `b` in
/// increasing order, with the content stems they share with it), into `out`.
fn judge_candidates(
    a: &DocUnits,
    b: &DocUnits,
    same: bool,
    ia: usize,
    candidates: &mut Vec<(u32, u32)>,
    out: &mut UnitCandidates,
) {
    let ua = &a.units[ia];
    // Most shared stems first, then document order; judge the best few (the keys are
    // distinct: the few are picked out first, then sorted).
    let key = |&(u, n): &(u32, u32)| (std::cmp::Reverse(n), u);
    if candidates.len() > MAX_CANDIDATES_PER_UNIT {
        candidates.select_nth_unstable_by_key(MAX_CANDIDATES_PER_UNIT - 1, key);
        candidates.truncate(MAX_CANDIDATES_PER_UNIT);
    }
    candidates.sort_unstable_by_key(key);
    for &(ib, n) in candidates.iter() {
        let ub = &b.units[ib as usize];
        if same && (ub.sentence <= ua.sentence) {
            continue;
        }
        let smaller = a.content_set(ia as u32).len().min(b.content_set(ib).len());
        if n < 2 || 5 * (n as usize) < MIN_SHARED_FIFTHS * smaller {
            continue;
        }
        if a.same_words(ia as u32, b, ib) {
            out.verbatim.push(UnitMatch::of(ua, ub, PassageKind::Verbatim, 1.0));
        } else if a.rewordable(ia as u32) && b.rewordable(ib) {
            // Others can only match edited or reworded: [`judge`] passes over units too
            // short for that, and they are not prepared for it.
            out.others.push((ia as u32, ib));
        }
    }
}

/// True when a unit of `words` words and `content` distinct content stems is long enough
/// for an edited or reworded match ([`MIN_REWORDED_WORDS`], [`MIN_REWORDED_CONTENT`]).
fn rewordable_size(words: usize, content: usize) -> bool {
    words >= MIN_REWORDED_WORDS && content >= MIN_REWORDED_CONTENT
}

/// The kind and score of two units, if they say the same thing: `verbatim` (score 1)
/// for the same words; `near_verbatim` for units long enough for an edited match whose
/// stem sequences differ by at most one edit in five words
/// ([`NEAR_VERBATIM_MAX_EDIT_RATIO`]), scored by the share of words kept (one minus the
/// edit ratio); otherwise what the matcher says, `reworded` with its score (or by
/// containment, see the module docs).
///
/// A lightly edited pair is a copy however the matcher would score it: the passage map
/// tells where text was reused, and a copy whose one changed word is a number or a
/// negation is still a copy. Such pairs are told from the units' stems alone
/// ([`edited`]), without preparing them for the matcher.
pub fn judge(a: &PreparedSentence, b: &PreparedSentence, matcher: &SentenceMatcher) -> Option<(PassageKind, f64)> {
    if a.same_words(b) {
        return Some((PassageKind::Verbatim, 1.0));
    }
    if !rewordable_size(a.len(), a.content_set.len()) || !rewordable_size(b.len(), b.content_set.len()) {
        return None;
    }
    if let Some(edited) = lightly_edited(edit_ratio(a, b)) {
        return Some(edited);
    }
    let smaller = a.content_set.len().min(b.content_set.len());
    let min_soft = if smaller >= CONTAINED_MIN_WORDS { CONTAINED_SHARE } else { f64::INFINITY };
    let c = matcher.compare_unless_ruled_out(a, b, min_soft)?;
    match c.kind {
        MatchKind::Verbatim => Some((PassageKind::Verbatim, 1.0)),
        // (Not reached: the edit ratio of a near-verbatim pair was told above.)
        MatchKind::NearVerbatim => Some((PassageKind::NearVerbatim, c.score)),
        MatchKind::Reworded => Some((PassageKind::Reworded, c.score)),
        MatchKind::Different => {
            let contained = c.features[crate::similarity::features::SOFT_MAX];
            let smaller = a.content_set.len().min(b.content_set.len());
            (contained >= CONTAINED_SHARE && smaller >= CONTAINED_MIN_WORDS)
                .then_some((PassageKind::Reworded, contained))
        }
    }
}

/// [`judge`] of unit `ia` of `a` and unit `ib` of `b` (light units suffice) when the two
/// are a lightly edited pair; `None` when they are not, or not long enough for an edited
/// match (then [`judge`] asks the matcher, or passes over them).
pub fn edited(a: &DocUnits, ia: u32, b: &DocUnits, ib: u32) -> Option<(PassageKind, f64)> {
    if !a.rewordable(ia) || !b.rewordable(ib) || a.same_words(ia, b, ib) {
        return None;
    }
    // Most pairs are told apart before the edit distance is: each edit changes the
    // length by at most one, and takes away at most one distinct content stem of either
    // side from the other's.
    let (la, lb) = (a.units[ia as usize].len(), b.units[ib as usize].len());
    let most = (NEAR_VERBATIM_MAX_EDIT_RATIO * la.max(lb) as f64) as usize;
    let (ca, cb) = (a.content_set(ia), b.content_set(ib));
    if la.abs_diff(lb) > most || ca.len().max(cb.len()) - crate::verify::sorted_intersection_len(ca, cb) > most {
        return None;
    }
    lightly_edited(stems_edit_ratio(a.stems(ia), b.stems(ib)))
}

/// The judgement of a pair whose stem edit-distance ratio is `ratio`, when that makes it
/// a lightly edited copy.
fn lightly_edited(ratio: f64) -> Option<(PassageKind, f64)> {
    (ratio <= NEAR_VERBATIM_MAX_EDIT_RATIO).then_some((PassageKind::NearVerbatim, 1.0 - ratio))
}

/// [`judge`] of each pair, in order; what the next pairs' judgements read is asked for
/// ahead.
pub fn judge_each(
    pairs: &[(&PreparedSentence, &PreparedSentence)],
    matcher: &SentenceMatcher,
) -> Vec<Option<(PassageKind, f64)>> {
    use crate::similarity::features::{prefetch_fields, prefetch_for_judging};
    pairs
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            if let Some(&(x, y)) = pairs.get(k + 2) {
                prefetch_fields(x);
                prefetch_fields(y);
            }
            if let Some(&(x, y)) = pairs.get(k + 1) {
                prefetch_for_judging(x, matcher.idf());
                prefetch_for_judging(y, matcher.idf());
            }
            judge(a, b, matcher)
        })
        .collect()
}

/// The loose sentence pairs of a whole-article rewrite (step 6 of the module docs), given
/// the matches selected so far.
fn rewrite_matches(a: &DocUnits, b: &DocUnits, selection: &Selection, idf: &Idf) -> Vec<UnitMatch> {
    // Units come in sentence order.
    let sentences = |d: &DocUnits| d.units.chunk_by(|x, y| x.sentence == y.sentence).count();
    let shorter = sentences(a).min(sentences(b));
    let need = REWRITE_MIN_PAIRS.max((REWRITE_MIN_SHARE * shorter as f64).ceil() as usize);
    // Only for pairs the matcher links weakly: where it links much, it has spoken.
    let mut covered: Vec<u32> = selection.chosen.iter().map(|m| m.sentence_a).collect();
    covered.sort_unstable();
    covered.dedup();
    if covered.len() as f64 >= REWRITE_SKIP_SHARE * shorter as f64 {
        return Vec::new();
    }
    // Chain items: (sentence in a, sentence in b, weight, loose pair or None for a match).
    let mut items: Vec<ChainItem> = selection.chosen.iter().map(|m| (m.sentence_a, m.sentence_b, 1.0, None)).collect();
    // Each unit's content weight, computed when first needed: most units share no stem
    // with a free unit of the other side.
    let unit_weight = |d: &DocUnits, u: usize, memo: &mut [Option<f64>]| -> f64 {
        *memo[u].get_or_insert_with(|| d.content_set(u as u32).iter().map(|&h| idf.weight(h)).sum())
    };
    let (mut wa, mut wb) = (vec![None; a.units.len()], vec![None; b.units.len()]);
    let free_a: Vec<bool> = a.units.iter().map(|u| !selection.taken_a.overlaps(u.span())).collect();
    for (ia, ib, w) in shared_weights(a, b, &free_a, idf) {
        let (ia, ib) = (ia as usize, ib as usize);
        let (ua, ub) = (&a.units[ia], &b.units[ib]);
        let sim = 2.0 * w / (unit_weight(a, ia, &mut wa) + unit_weight(b, ib, &mut wb));
        if sim >= REWRITE_MIN_SIMILARITY && !selection.taken_b.overlaps(ub.span()) {
            items.push((ua.sentence, ub.sentence, sim, Some((ia as u32, ib as u32))));
        }
    }
    // Only pairs each of whose sentences is the other's most similar free sentence.
    {
        let mut best_a: AHashMap<u32, f64> = AHashMap::new();
        let mut best_b: AHashMap<u32, f64> = AHashMap::new();
        for &(_, _, sim, pair) in &items {
            if let Some((ia, ib)) = pair {
                let x = best_a.entry(ia).or_insert(0.0);
                *x = x.max(sim);
                let y = best_b.entry(ib).or_insert(0.0);
                *y = y.max(sim);
            }
        }
        items.retain(|&(_, _, sim, pair)| pair.is_none_or(|(ia, ib)| sim >= best_a[&ia] && sim >= best_b[&ib]));
    }
    let loose_sentences = {
        let mut v: Vec<u32> = items.iter().map(|x| x.0).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    if loose_sentences < need {
        return Vec::new();
    }
    let chain = heaviest_monotone_chain(&mut items);
    if chain.len() < need {
        return Vec::new();
    }
    chain
        .into_iter()
        .filter_map(|k| items[k].3.map(|pair| (pair, items[k].2)))
        .map(|((ia, ib), sim)| {
            let (ua, ub) = (&a.units[ia as usize], &b.units[ib as usize]);
            UnitMatch { loose: true, ..UnitMatch::of(ua, ub, PassageKind::Reworded, sim) }
        })
        .collect()
}

/// The weight of the content stems each pair of units shares (stems in more than
/// MAX_UNITS_PER_STEM units of `b` aside), for the units of `a` that are `free`, by
/// unit of a then unit of b. Each pair's weights are summed in increasing order of
/// stems, the order they come in from the merge: the incidences are put in order of a's
/// units by a counting sort (which keeps their order), and each unit of a sums its
/// pairs' weights in a tally of b's units.
fn shared_weights(a: &DocUnits, b: &DocUnits, free: &[bool], idf: &Idf) -> Vec<(u32, u32, f64)> {
    let mut shared: Vec<(u32, (u32, f64))> = Vec::new();
    let mut last: Option<(u64, f64)> = None;
    for_each_incidence(a, b, |stem, ia, ib| {
        if free[ia as usize] {
            let w = match last {
                Some((s, w)) if s == stem => w,
                _ => idf.weight(stem),
            };
            last = Some((stem, w));
            shared.push((ia, (ib, w)));
        }
    });
    let mut out: Vec<(u32, u32, f64)> = Vec::new();
    if shared.is_empty() {
        return out;
    }
    let (mut starts, mut by_a) = (Vec::new(), Vec::new());
    group_by_unit(&shared, a.units.len(), &mut starts, &mut by_a);
    // The sums of the current unit of a, by unit of b (0 and unseen between units).
    let mut sums = vec![0.0f64; b.units.len()];
    let mut seen = vec![false; b.units.len()];
    let mut touched: Vec<u32> = Vec::new();
    for ia in 0..a.units.len() {
        let group = &by_a[starts[ia] as usize..starts[ia + 1] as usize];
        if group.is_empty() {
            continue;
        }
        touched.clear();
        for &(ib, w) in group {
            if !std::mem::replace(&mut seen[ib as usize], true) {
                touched.push(ib);
            }
            sums[ib as usize] += w;
        }
        touched.sort_unstable();
        for &ib in &touched {
            seen[ib as usize] = false;
            out.push((ia as u32, ib, std::mem::take(&mut sums[ib as usize])));
        }
    }
    out
}

/// A sentence pair of a rewrite chain: sentence in a, sentence in b, weight, and the
/// units of a loose pair (`None` for a match).
type ChainItem = (u32, u32, f64, Option<(u32, u32)>);

/// Indices of the items of greatest total weight that increase strictly in both of
/// their first two fields, in order. Sorts `items` (by the first two fields, then
/// weight, for a deterministic result).
fn heaviest_monotone_chain(items: &mut [ChainItem]) -> Vec<usize> {
    items.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)).then(y.2.total_cmp(&x.2)).then(x.3.cmp(&y.3)));
    let n = items.len();
    let mut best = vec![0.0f64; n];
    let mut prev = vec![usize::MAX; n];
    for k in 0..n {
        best[k] = items[k].2;
        for p in 0..k {
            if items[p].0 < items[k].0 && items[p].1 < items[k].1 && best[p] + items[k].2 > best[k] {
                best[k] = best[p] + items[k].2;
                prev[k] = p;
            }
        }
    }
    let Some(mut k) = (0..n).reduce(|x, y| if best[y] > best[x] { y } else { x }) else {
        return Vec::new();
    };
    let mut chain = vec![k];
    while prev[k] != usize::MAX {
        k = prev[k];
        chain.push(k);
    }
    chain.reverse();
    chain
}

/// Merges matches of consecutive sentences on both sides into passages (matches of a
/// rewrite chain only with each other and without gaps, so a passage the matcher found
/// keeps its extent).
fn chain(mut matches: Vec<UnitMatch>) -> Vec<Passage> {
    matches.sort_by_key(|m| (m.a, m.b));
    let mut out: Vec<(Passage, UnitMatch, f64)> = Vec::new();
    for m in matches {
        let weight = m.a.len() as f64;
        if let Some((p, last, w)) = out.last_mut() {
            // Rewrite-chain matches chain only when adjacent: a sentence between two loose
            // pairs has nothing to vouch for it.
            let gap = if m.loose { 0 } else { MAX_CHAIN_GAP };
            let next = |x: u32, last: u32| x > last && x <= last + 1 + gap;
            if next(m.sentence_a, last.sentence_a) && next(m.sentence_b, last.sentence_b) && m.loose == last.loose {
                p.a = p.a.cover(m.a);
                p.b = p.b.cover(m.b);
                p.kind = p.kind.max(m.kind);
                p.score = (p.score * *w + m.score * weight) / (*w + weight);
                *w += weight;
                *last = m;
                continue;
            }
        }
        out.push((Passage { a: m.a, b: m.b, kind: m.kind, score: m.score }, m, weight));
    }
    out.into_iter().map(|(p, _, _)| p).collect()
}

/// The hash of a run of words.
fn run_hash(words: &[(u64, Span, bool)]) -> u64 {
    words.iter().fold(0u64, |h, x| h.rotate_left(21) ^ x.0)
}

/// Calls `f` with the [`run_hash`] of each run of [`MIN_RUN_WORDS`] words of `words` and
/// where it starts, in order. Each hash is the words' hashes rotated by 21 bits for each
/// word after them and combined by xor, so the next run's comes from the last one's:
/// rotate it, take the first word out and put the new one in.
#[inline]
fn for_each_run_hash(words: &[(u64, Span, bool)], mut f: impl FnMut(u64, u32)) {
    let k = MIN_RUN_WORDS;
    if words.len() < k {
        return;
    }
    let mut h = run_hash(&words[..k]);
    f(h, 0);
    // The first word of a run, rotated k times by the time it leaves.
    let out = (21 * k as u32) % 64;
    for j in 1..=words.len() - k {
        h = h.rotate_left(21) ^ words[j - 1].0.rotate_left(out) ^ words[j + k - 1].0;
        f(h, j as u32);
    }
}

/// Sets `found[at[x]]` for every `x` whose hash `a[x]` is in `b` (`a` and `b` sorted,
/// with repeats): eight hashes of `a` against eight of `b` at a time with AVX-512F
/// (chosen at run time), one at a time without.
fn mark_shared(a: &[u64], at: &[u32], b: &[u64], found: &mut [bool]) {
    #[cfg(target_arch = "x86_64")]
    if a.len() >= 8 && b.len() >= 8 && std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the processor has AVX-512F.
        return unsafe { mark_shared_avx512(a, at, b, found) };
    }
    mark_shared_scalar(a, at, b, found);
}

/// [`mark_shared`] a hash at a time, without branches on the comparison: `a` advances
/// unless its hash is past b's, `b` only when it is behind (a's next hash may be the
/// same).
fn mark_shared_scalar(a: &[u64], at: &[u32], b: &[u64], found: &mut [bool]) {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        let (hx, hy) = (a[x], b[y]);
        found[at[x] as usize] |= hx == hy;
        x += usize::from(hx <= hy);
        y += usize::from(hx > hy);
    }
}

/// [`mark_shared`] eight against eight, as [`crate::verify`]'s intersection: each hash
/// of a's block is compared with b's block and its seven rotations at once. The block
/// of `a` moves on when its last hash is at most b's last, the block of `b` only when
/// its last is smaller (a's next block may start with the same hash): a hash of `a`
/// then meets each block of `b` that can hold it. The rest goes a hash at a time, from
/// where the blocks stopped (what lies before them on either side was compared).
///
/// # Safety
/// The processor must have AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn mark_shared_avx512(a: &[u64], at: &[u32], b: &[u64], found: &mut [bool]) {
    use crate::verify::block_matches;
    let (mut x, mut y) = (0, 0);
    while x + 8 <= a.len() && y + 8 <= b.len() {
        let mut m = block_matches(a[x..x + 8].try_into().expect("8 values"), b[y..y + 8].try_into().expect("8 values"));
        while m != 0 {
            found[at[x + m.trailing_zeros() as usize] as usize] = true;
            m &= m - 1;
        }
        let (last_a, last_b) = (a[x + 7], b[y + 7]);
        x += 8 * usize::from(last_a <= last_b);
        y += 8 * usize::from(last_b < last_a);
    }
    mark_shared_scalar(&a[x..], &at[x..], &b[y..], found);
}

/// Maximal runs of at least [`MIN_RUN_WORDS`] identical words.
fn verbatim_runs(a: &DocUnits, b: &DocUnits, same: bool) -> Vec<Passage> {
    let k = MIN_RUN_WORDS;
    if a.words.len() < k || b.words.len() < k {
        return Vec::new();
    }
    // The places in `a` whose run is found in `b` at all (a merge of the sorted runs,
    // instead of a search in `b` for every word of `a`).
    let mut found = vec![false; a.words.len() + 1 - k];
    mark_shared(&a.run_hashes, &a.run_starts, &b.run_hashes, &mut found);
    let mut out = Vec::new();
    let mut i = 0;
    while i + k <= a.words.len() {
        let mut best: Option<(usize, usize)> = None; // (j, length)
        let places = if found[i] { b.run_places(run_hash(&a.words[i..i + k])) } else { &[] };
        if !places.is_empty() && places.len() <= MAX_RUN_PLACES {
            for &j in places {
                let j = j as usize;
                if same && j <= i {
                    continue;
                }
                let mut n = 0;
                while i + n < a.words.len() && j + n < b.words.len() && a.words[i + n].0 == b.words[j + n].0 {
                    if same && i + n >= j {
                        break;
                    }
                    n += 1;
                }
                if n >= k && best.is_none_or(|(_, bn)| n > bn) {
                    best = Some((j, n));
                }
            }
        }
        match best {
            Some((_, n)) if 2 * a.words[i..i + n].iter().filter(|w| w.2).count() >= n => i += n,
            Some((j, n)) => {
                out.push(Passage {
                    a: a.words[i].1.cover(a.words[i + n - 1].1),
                    b: b.words[j].1.cover(b.words[j + n - 1].1),
                    kind: PassageKind::Verbatim,
                    score: 1.0,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::Idf;

    #[test]
    fn rolling_run_hashes_are_the_run_hashes() {
        for n in [0, 1, MIN_RUN_WORDS - 1, MIN_RUN_WORDS, MIN_RUN_WORDS + 1, 40, 700] {
            let words: Vec<(u64, Span, bool)> =
                (0..n as u64).map(|i| (xxhash_rust::xxh3::xxh3_64(&i.to_le_bytes()), Span::new(0, 0), false)).collect();
            let want: Vec<(u64, u32)> = (0..(n + 1).saturating_sub(MIN_RUN_WORDS))
                .map(|j| (run_hash(&words[j..j + MIN_RUN_WORDS]), j as u32))
                .collect();
            let mut got = Vec::new();
            for_each_run_hash(&words, |h, j| got.push((h, j)));
            assert_eq!(got, want);
            // Sorted, packed or in pairs: by masked hash, then start.
            let mut sorted: Vec<(u64, u32)> = want.iter().map(|&(h, j)| (h & RUN_HASH_MASK, j)).collect();
            sorted.sort_unstable();
            for packed_words in [0, n, RUN_PACKED_WORDS] {
                let mut scratch = FromCutScratch { index: vec![(7, 7)], keys: vec![7], ..FromCutScratch::default() };
                let (hashes, starts) = sorted_runs(&words, packed_words, &mut scratch);
                assert_eq!(
                    hashes.into_iter().zip(starts).collect::<Vec<_>>(),
                    sorted,
                    "{n} words, packed up to {packed_words}"
                );
            }
        }
    }

    type UnitTokens = Vec<(Span, Range<usize>)>;

    /// The units of `text` with their tokens, found as [`unit_spans`] finds them and by
    /// [`token_range`](crate::similarity::sentence::token_range).
    fn unit_tokens_both_ways(text: &str, marks: &[bool]) -> (UnitTokens, UnitTokens) {
        let mut tokenizer = Tokenizer::new();
        let tokens = tokenizer.tokenize(text).to_vec();
        let marks: Vec<bool> = (0..tokens.len()).map(|i| marks.get(i).copied().unwrap_or(false)).collect();
        let mut got = Vec::new();
        unit_spans(text, &tokens, &marks, |_, span, range| got.push((span, range)));
        let mut want = Vec::new();
        for s in sentences(text) {
            for span in std::iter::once(s).chain(quotations(text, s, MIN_QUOTE_WORDS)) {
                let from = tokens.partition_point(|t| t.span.start < span.start);
                let to = tokens.partition_point(|t| t.span.start < span.end);
                let inside = &marks[from..to];
                if inside.is_empty() || 2 * inside.iter().filter(|&&m| m).count() < inside.len() {
                    want.push((span, crate::similarity::sentence::token_range(&tokens, span)));
                }
            }
        }
        (got, want)
    }

    #[test]
    fn unit_tokens_are_found_as_by_searching() {
        let text = "Mr. Smith said \u{201C}we will not leave this town again,\u{201D} and left. \
                    \u{BC} of the U.S. said \"one two three four five six\" too!\n\u{3371} \
                    \u{FB01}\u{FB01}. Last one here, without an end";
        let (got, want) = unit_tokens_both_ways(text, &[]);
        assert!(got.len() >= 5);
        assert_eq!(got, want);
        let marks: Vec<bool> = (0..80).map(|i| i % 3 != 0 && i < 40).collect();
        let (got, want) = unit_tokens_both_ways(text, &marks);
        assert_eq!(got, want);
    }

    proptest::proptest! {
        #[test]
        fn unit_tokens_are_found_as_by_searching_anywhere(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "word", "Name", "U.S.", "\u{BC}", "\u{3371}", "\u{FB01}", "don't", "1.5", " ", " ", ". ",
                    "! ", "\n", "\"", "\u{201C}", "\u{201D}", "(", ")", "\u{2014}",
                ]),
                0..80,
            ),
            marks in proptest::collection::vec(proptest::bool::ANY, 0..80),
        ) {
            let text = parts.concat();
            let (got, want) = unit_tokens_both_ways(&text, &marks);
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Two documents made of `sentences`, light: the first of each pick's sentences
    /// make `a`, the second `b` (`b` is `a` when `same`).
    fn light_pair(sentences: &[&str], picks: &[(usize, usize)], same: bool) -> (DocUnits, DocUnits) {
        let a: String = picks.iter().map(|p| sentences[p.0]).collect::<Vec<_>>().join(" ");
        let b: String = picks.iter().map(|p| sentences[p.1]).collect::<Vec<_>>().join(" ");
        let light =
            |t: &str| DocUnits::new_light(t, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none());
        let da = light(&a);
        let db = if same { da.clone() } else { light(&b) };
        (da, db)
    }

    proptest::proptest! {
        #[test]
        fn candidates_count_the_stems_each_unit_pair_shares(
            picks in proptest::collection::vec((0..7usize, 0..7usize), 1..14),
            same in proptest::bool::ANY,
        ) {
            // Stems shared by many units ("council") and units repeated verbatim.
            let sentences = [
                "The council voted on Monday to close the old bridge for good.",
                "The council said repairs would cost four million euros.",
                "Short one here.",
                "Nobody on the council objected to the plan at the meeting that night.",
                "The council met again on Tuesday and the council voted again.",
                "The mayor said the council voted on Monday to close the old bridge.",
                "Council members and council staff left the council hall.",
            ];
            let (da, db) = light_pair(&sentences, &picks, same);
            // Unit pair by unit pair: the content stems both have, but those in more than
            // MAX_UNITS_PER_STEM units of b.
            let mut want = UnitCandidates::default();
            for ia in 0..da.units.len() {
                let mut candidates: Vec<(u32, u32)> = (0..db.units.len() as u32)
                    .map(|ib| {
                        let shared = da
                            .content_set(ia as u32)
                            .iter()
                            .filter(|s| db.content_set(ib).contains(s) && db.units_with(**s).len() <= MAX_UNITS_PER_STEM)
                            .count();
                        (ib, shared as u32)
                    })
                    .filter(|c| c.1 > 0)
                    .collect();
                judge_candidates(&da, &db, same, ia, &mut candidates, &mut want);
            }
            // Counted from the incidences, and in a matrix.
            for max_cells in [0, usize::MAX] {
                let got = unit_candidates_within(&da, &db, same, max_cells);
                proptest::prop_assert_eq!(&got.others, &want.others);
                let spans = |c: &UnitCandidates| c.verbatim.iter().map(|m| (m.a, m.b)).collect::<Vec<_>>();
                proptest::prop_assert_eq!(spans(&got), spans(&want));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_are_sought_only_where_one_could_be_kept(
            picks in proptest::collection::vec((0..6usize, 0..6usize), 1..12),
            cover_a in proptest::collection::vec(proptest::bool::ANY, 0..40),
            cover_b in proptest::collection::vec(proptest::bool::ANY, 0..40),
            same in proptest::bool::ANY,
        ) {
            let sentences = [
                "The council voted on Monday to close the old bridge for good.",
                "Repairs would cost four million euros and take two years.",
                "Short one here.",
                "Nobody objected to the plan at the meeting in the town hall that night.",
                "Weather was mild.",
                "The mayor said the council voted on Monday to close the old bridge.",
            ];
            let (da, db) = light_pair(&sentences, &picks, same);
            let covered = |d: &DocUnits, pick: &[bool]| {
                SpanSet::union_of(d.units.iter().zip(pick).filter(|x| *x.1).map(|x| x.0.span()))
            };
            let (ca, cb) = (covered(&da, &cover_a), covered(&db, &cover_b));
            let mut want = verbatim_runs(&da, &db, same);
            want.retain(|run| !ca.overlaps(run.a) && !cb.overlaps(run.b));
            proptest::prop_assert_eq!(uncovered_runs(&da, &db, same, &ca, &cb), want);
        }
    }

    #[test]
    fn light_units_count_stems_as_their_units_prepared_in_full() {
        // Repeated words in a sentence, a quotation, glued and short units.
        let text = "The council voted and the council voted again on Monday in Tehran. \
                    \"We will close the old bridge for good,\" the mayor told the council. \
                    Too short. PalestineGaza clashes went on in the old town for days, officials said.";
        let (mut prep, mut tok) = (SentencePreparer::new(), Tokenizer::new());
        let light = DocUnits::new_light(text, &mut prep, &mut tok, &Boilerplate::none());
        let full = DocUnits::new(text, &mut prep, &mut tok, &Boilerplate::none());
        assert!(light.units.len() >= 3);
        let mut got = Idf::new();
        light.count_stems(&mut got, &mut Vec::new());
        let want = Idf::from_sentences(full.prepared_units());
        assert_eq!(got.documents(), want.documents());
        let stems: Vec<u64> = full.prepared_units().iter().flat_map(|p| p.stem_set.iter().copied()).collect();
        for stem in stems {
            assert_eq!(got.weight(stem), want.weight(stem), "stem {stem:x}");
        }
    }

    #[test]
    fn shared_weights_are_summed_as_unit_by_unit() {
        let a = "The council voted on Monday to close the old bridge in Tehran. Repairs will cost 4 million euros. \
                 Nobody objected to the plan of the council. The bridge was built in 1890 by the council.";
        let b = "On Monday the council voted to shut the old bridge. The repairs of the bridge cost euros. \
                 The plan of the council was approved on Monday in Tehran.";
        let light =
            |t: &str| DocUnits::new_light(t, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none());
        let (da, db) = (light(a), light(b));
        let m = matcher(&[&units(a), &units(b)]);
        let free: Vec<bool> = (0..da.units.len()).map(|u| u != 1).collect();
        // Unit by unit of a, a search of b's index for each of its stems.
        let mut want: Vec<(u32, u32, f64)> = Vec::new();
        for ia in (0..da.units.len() as u32).filter(|&u| free[u as usize]) {
            let mut shared: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
            for &stem in da.content_set(ia) {
                let with = db.units_with(stem);
                if with.len() <= MAX_UNITS_PER_STEM {
                    for &ib in with {
                        *shared.entry(ib).or_insert(0.0) += m.idf().weight(stem);
                    }
                }
            }
            want.extend(shared.into_iter().map(|(ib, w)| (ia, ib, w)));
        }
        assert!(want.len() >= 4, "{want:?}");
        assert_eq!(shared_weights(&da, &db, &free, m.idf()), want);
    }

    #[test]
    fn candidate_unit_pairs_share_two_fifths_of_the_smaller_units_stems() {
        let text = |s: &[&str]| s.join(" ");
        let light =
            |t: &str| DocUnits::new_light(t, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none());
        let a = light(&text(&["Harbour officials approved generous fishing quotas for northern trawlers on Friday."]));
        let b = light(&text(&[
            // Shares harbour, officials, fishing: 3 of 8 stems (3/8 < 2/5).
            "Harbour officials blamed the fishing lobby for delays, critics argued angrily yesterday.",
            // Shares harbour, officials, fishing, quotas: 4 of 9 (4/9 >= 2/5).
            "Harbour officials cut fishing quotas again after storms battered southern coasts last week.",
        ]));
        assert_eq!(a.units.len(), 1);
        assert_eq!(b.units.len(), 2);
        let shared = |ib: u32| a.content_set(0).iter().filter(|s| b.content_set(ib).contains(s)).count();
        let smaller = |ib: u32| a.content_set(0).len().min(b.content_set(ib).len());
        // The two sentences sit on either side of the bar, above the old one (a quarter).
        assert!(5 * shared(0) < MIN_SHARED_FIFTHS * smaller(0) && 4 * shared(0) >= smaller(0));
        assert!(5 * shared(1) >= MIN_SHARED_FIFTHS * smaller(1));
        assert_eq!(unit_candidates(&a, &b, false).others, vec![(0, 1)]);
    }

    #[test]
    fn light_units_tell_which_units_judging_would_pass_over() {
        let text = "Short one here, six words. A sentence with eight words but few content. \
                    The council voted on Monday to close the old bridge for good. \
                    He said \"we will close the old bridge on Monday\" to the press. It is what it was and is.";
        let light =
            DocUnits::new_light(text, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none());
        let full = units(text);
        assert_eq!(light.units.len(), full.units.len());
        let rewordable: Vec<bool> = (0..light.units.len() as u32).map(|u| light.rewordable(u)).collect();
        let want: Vec<bool> = full
            .prepared_units()
            .iter()
            .map(|p| p.len() >= MIN_REWORDED_WORDS && p.content_set.len() >= MIN_REWORDED_CONTENT)
            .collect();
        assert_eq!(rewordable, want);
        assert!(rewordable.contains(&true) && rewordable.contains(&false), "{rewordable:?}");
    }

    #[test]
    fn same_hash_gives_every_entry_with_the_hash() {
        let v: Vec<u64> = vec![1, 3, 3, 3, 5, 9, 9];
        for h in 0..11 {
            let want: Vec<usize> = (0..v.len()).filter(|&i| v[i] == h).collect();
            let got: Vec<usize> = same_hash(&v, h).collect();
            assert_eq!(got, want, "hash {h}");
            assert!(same_hash(&v, h).start == v.partition_point(|&x| x < h));
        }
        assert!(same_hash(&[], 3).is_empty());
    }

    proptest::proptest! {
        /// The eight-wide merge marks what the scalar one does, with hashes repeated on
        /// either side and blocks that end on equal hashes.
        #[test]
        fn shared_runs_are_marked_as_one_at_a_time(
            a in proptest::collection::vec(0u64..40, 0..120),
            b in proptest::collection::vec(0u64..40, 0..120),
        ) {
            let (mut a, mut b) = (a, b);
            a.sort_unstable();
            b.sort_unstable();
            // Places in `a`, in no particular order, as a document's runs have them.
            let at: Vec<u32> = (0..a.len() as u32).rev().collect();
            let want: Vec<bool> = {
                let mut f = vec![false; a.len()];
                for (x, h) in a.iter().enumerate() {
                    f[at[x] as usize] = b.binary_search(h).is_ok();
                }
                f
            };
            let mut scalar = vec![false; a.len()];
            mark_shared_scalar(&a, &at, &b, &mut scalar);
            proptest::prop_assert_eq!(&scalar, &want);
            let mut any = vec![false; a.len()];
            mark_shared(&a, &at, &b, &mut any);
            proptest::prop_assert_eq!(&any, &want);
        }
    }

    fn units(text: &str) -> DocUnits {
        DocUnits::new(text, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none())
    }

    fn matcher(docs: &[&DocUnits]) -> SentenceMatcher {
        SentenceMatcher::new(Idf::from_sentences(docs.iter().flat_map(|d| d.prepared_units())))
    }

    #[test]
    fn reordered_and_reworded_sentences_align_with_exact_spans() {
        let a = "The council voted on Monday to close the old bridge. Repairs will cost 4 million euros. \
                 Nobody objected to the plan.";
        let b = "Weather was mild across the region. Repairs will cost 4 million euros. \
                 On Monday the council voted to shut the old bridge.";
        let (da, db) = (units(a), units(b));
        let m = matcher(&[&da, &db]);
        let p = align(&da, &db, false, &m);
        let got: Vec<(&str, &str, PassageKind)> =
            p.iter().map(|p| (&a[p.a.range()], &b[p.b.range()], p.kind)).collect();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0].0, "The council voted on Monday to close the old bridge.");
        assert_eq!(got[0].1, "On Monday the council voted to shut the old bridge.");
        assert_ne!(got[0].2, PassageKind::Verbatim);
        assert_eq!(
            got[1],
            ("Repairs will cost 4 million euros.", "Repairs will cost 4 million euros.", PassageKind::Verbatim)
        );
    }

    #[test]
    fn consecutive_matches_chain_into_one_passage() {
        let body = "First the mayor spoke about the budget at length. Then the treasurer answered every question from the press. \
                    Finally the session closed after two hours of debate.";
        let a = format!("A headline nobody else has written here. {body}");
        let b = format!("{body} An unrelated closing sentence about weather follows.");
        let (da, db) = (units(&a), units(&b));
        let p = align(&da, &db, false, &matcher(&[&da, &db]));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(&a[p[0].a.range()], body);
        assert_eq!(&b[p[0].b.range()], body);
        assert_eq!(p[0].kind, PassageKind::Verbatim);
    }

    #[test]
    fn verbatim_run_inside_different_sentences() {
        let a = "Critics said the plan would leave thousands of families without heat this winter, and left.";
        let b = "In a statement the union warned that it would leave thousands of families without heat this winter.";
        let (da, db) = (units(a), units(b));
        let p = align(&da, &db, false, &matcher(&[&da, &db]));
        assert!(
            p.iter().any(|p| &a[p.a.range()] == "would leave thousands of families without heat this winter"
                && &b[p.b.range()] == "would leave thousands of families without heat this winter"),
            "{p:?}"
        );
    }

    #[test]
    fn the_heaviest_chain_increases_on_both_sides() {
        // (a, b, weight): the two heavy crossing pairs cannot both be taken.
        let mut items: Vec<ChainItem> = vec![
            (0, 0, 1.0, None),
            (1, 3, 0.5, Some((1, 3))),
            (2, 1, 0.4, Some((2, 1))),
            (3, 2, 0.4, Some((3, 2))),
            (4, 4, 0.3, Some((4, 4))),
            (4, 5, 0.2, Some((4, 5))),
        ];
        let chain: Vec<(u32, u32)> =
            heaviest_monotone_chain(&mut items).iter().map(|&k| (items[k].0, items[k].1)).collect();
        assert_eq!(chain, [(0, 0), (2, 1), (3, 2), (4, 4)]);
        assert!(heaviest_monotone_chain(&mut []).is_empty());
    }

    #[test]
    fn judgements_depend_on_content_keys_and_are_symmetric() {
        let a = "Weather was mild across the whole region today. The council voted on Monday to close the old bridge in Tehran.";
        let b = "The council voted on Monday to close the old bridge in Tehran. Nothing else.";
        let c = "On Monday the council voted to shut the old bridge in Tehran, officials said.";
        let d = "The council voted on Monday to close the old bridge in tehran.";
        let light =
            |t: &str| DocUnits::new_light(t, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none());
        let (la, lb, ld) = (light(a), light(b), light(d));
        let key = |u: &DocUnits, i: usize| u.units[i].content_key();
        // One sentence in two documents: one key, light or full, at any offset.
        assert_eq!(key(&la, 1), key(&lb, 0));
        assert_eq!(key(&la, 1), units(a).units[1].content_key());
        assert_eq!(key(&la, 1), units(a).prepared(1).content_key());
        let span = la.units[1].span();
        assert_eq!(SentencePreparer::new().prepare_span(a, span).content_key(), key(&la, 1));
        // Capitals make proper nouns: another key.
        assert_ne!(key(&ld, 0), key(&lb, 0));
        let (fa, fc, fd) = (units(a), units(c), units(d));
        let m = matcher(&[&fa, &fc, &fd]);
        for (x, y) in
            [(fa.prepared(1), fc.prepared(0)), (fc.prepared(0), fd.prepared(0)), (fa.prepared(0), fc.prepared(0))]
        {
            assert_eq!(judge(x, y, &m), judge(y, x, &m));
        }
        assert!(judge(fa.prepared(1), fc.prepared(0), &m).is_some());
    }

    proptest::proptest! {
        /// Light units tell a lightly edited pair, and its score, as [`judge`] does with
        /// the units prepared in full: stems, not words, are compared (`voted` for
        /// `votes` is no edit), and a pair beyond one edit in five is left to the matcher.
        #[test]
        fn light_units_tell_edited_pairs_as_judging_does(
            words in proptest::collection::vec(0..16usize, 8..20),
            edits in proptest::collection::vec((0..3u8, 0..64usize, 0..16usize), 0..6),
        ) {
            const VOCAB: [&str; 16] = [
                "council", "voted", "votes", "vote", "bridge", "bridges", "Tehran", "old", "close",
                "closing", "the", "on", "not", "5", "50", "Monday",
            ];
            let mut edited_words = words.clone();
            for &(op, at, w) in &edits {
                let at = at % (edited_words.len() + 1);
                match op {
                    0 if at < edited_words.len() => edited_words[at] = w,
                    1 => edited_words.insert(at, w),
                    _ if at < edited_words.len() && edited_words.len() > 8 => {
                        edited_words.remove(at);
                    }
                    _ => {}
                }
            }
            let sentence = |ws: &[usize]| ws.iter().map(|&w| VOCAB[w]).collect::<Vec<_>>().join(" ") + ".";
            let (a, b) = (sentence(&words), sentence(&edited_words));
            let light =
                |t: &str| DocUnits::new_light(t, &mut SentencePreparer::new(), &mut Tokenizer::new(), &Boilerplate::none());
            let (la, lb, fa, fb) = (light(&a), light(&b), units(&a), units(&b));
            let m = matcher(&[&fa, &fb]);
            for ia in 0..la.units.len() as u32 {
                for ib in 0..lb.units.len() as u32 {
                    let full = judge(fa.prepared(ia), fb.prepared(ib), &m);
                    let got = edited(&la, ia, &lb, ib);
                    match full {
                        Some((PassageKind::NearVerbatim, _)) => proptest::prop_assert_eq!(got, full),
                        _ => proptest::prop_assert_eq!(got, None, "{:?}", full),
                    }
                    let ratio = edit_ratio(fa.prepared(ia), fb.prepared(ib));
                    proptest::prop_assert_eq!(ratio, stems_edit_ratio(la.stems(ia), lb.stems(ib)));
                }
            }
        }
    }

    proptest::proptest! {
        /// Lightly edited matches selected in [`plan`], before judging, give the passages
        /// that judging every candidate the verbatim matches leave gives: they come
        /// first among the judged matches anyway, and the candidates they block would
        /// be dropped once judged. Sentences repeat and have near copies, so that
        /// matches compete for units.
        #[test]
        fn edits_selected_before_judging_give_the_passages_of_judging_all(
            picks in proptest::collection::vec((0..8usize, 0..8usize), 1..12),
            same in proptest::bool::ANY,
        ) {
            const SENTENCES: [&str; 8] = [
                "The council voted on Monday to close the old bridge over the river for good.",
                "The council voted on Friday to close the old bridge over the river for good.",
                "The council voted on Friday to close the new bridge over the river for now.",
                "Repairs to the old bridge would cost four million euros, the mayor said.",
                "Repairs to the old bridge would cost five million euros, the mayor told reporters.",
                "On Monday the council decided to shut the ancient bridge across the river forever.",
                "Nobody in the hall objected to the plan when it was put to the vote.",
                "Nobody in the hall objected to the plans when they were put to a vote.",
            ];
            let a: String = picks.iter().map(|p| SENTENCES[p.0]).collect::<Vec<_>>().join(" ");
            let b: String = picks.iter().map(|p| SENTENCES[p.1]).collect::<Vec<_>>().join(" ");
            let (fa, fb) = (units(&a), units(&b));
            let fb = if same { fa.clone() } else { fb };
            let m = matcher(&[&fa, &fb]);
            let got = align(&fa, &fb, same, &m);
            // The reference: verbatim matches selected, every other candidate judged.
            let UnitCandidates { mut verbatim, others } = unit_candidates(&fa, &fb, same);
            verbatim.sort_by(match_order);
            let mut selection = Selection::with_capacity(same, verbatim.len());
            for v in verbatim {
                selection.offer(v);
            }
            let to_judge = others
                .into_iter()
                .filter(|&(x, y)| !selection.blocked(fa.units[x as usize].span(), fb.units[y as usize].span()))
                .collect();
            let want = finish(&fa, &fb, m.idf(), Plan { selection, to_judge }, |x, y| {
                judge(fa.prepared(x), fb.prepared(y), &m)
            });
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_copy_with_one_word_changed_is_near_verbatim_whatever_the_word() {
        let a = "The council said on Monday that 5 people died when the old bridge fell into the river.";
        let changed = [
            "The council said on Monday that 50 people died when the old bridge fell into the river.",
            "The council said on Monday that no people died when the old bridge fell into the river.",
            "The council said on Friday that 5 people died when the old bridge fell into the river.",
        ];
        for b in changed {
            let (fa, fb) = (units(a), units(b));
            let m = matcher(&[&fa, &fb]);
            // 1 edit in 17 words: 16 of 17 kept.
            assert_eq!(
                judge(fa.prepared(0), fb.prepared(0), &m),
                Some((PassageKind::NearVerbatim, 1.0 - 1.0 / 17.0)),
                "{b}"
            );
        }
        // Five edits (four words changed, one added) in 18 words are more than one in
        // five: the matcher judges.
        let b = "The mayor said on Friday that 50 people were hurt when the old bridge fell into the river.";
        let (fa, fb) = (units(a), units(b));
        let j = judge(fa.prepared(0), fb.prepared(0), &matcher(&[&fa, &fb]));
        assert!(!matches!(j, Some((PassageKind::NearVerbatim, _))), "{j:?}");
    }

    #[test]
    fn judging_in_runs_gives_each_pair_its_judgement() {
        let a = "The council voted on Monday to close the old bridge in Tehran. Repairs will cost 4 million euros.";
        let b = "On Monday the council voted to shut the old bridge in Tehran, officials said. Nothing else.";
        let (fa, fb) = (units(a), units(b));
        let m = matcher(&[&fa, &fb]);
        let all: Vec<&PreparedSentence> = fa.prepared_units().iter().chain(fb.prepared_units()).collect();
        let pairs: Vec<(&PreparedSentence, &PreparedSentence)> =
            all.iter().flat_map(|&x| all.iter().map(move |&y| (x, y))).collect();
        let each: Vec<_> = pairs.iter().map(|&(x, y)| judge(x, y, &m)).collect();
        assert_eq!(judge_each(&pairs, &m), each);
        assert!(each.iter().any(|j| matches!(j, Some((PassageKind::Reworded | PassageKind::NearVerbatim, _)))));
    }

    #[test]
    fn sorting_by_hash_sorts() {
        for n in [0usize, 5, 63, 64, 100, 1000, 5000] {
            let mut v: Vec<(u64, u32)> =
                (0..n as u32).map(|i| (crate::text::shingle::finish(u64::from(i % 97)) >> (i % 3), i)).collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_by_hash(&mut v, |x| x.0, 1, &mut Vec::new());
            assert_eq!(v, want);
        }
    }

    #[test]
    fn repeats_inside_one_document() {
        let text = "The photo shows the minister at a press conference in Tehran on Tuesday.\n\
                    Something else entirely is said here about markets.\n\
                    The photo shows the minister at a press conference in Tehran on Tuesday.";
        let d = units(text);
        let p = align(&d, &d, true, &matcher(&[&d]));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].a.end <= p[0].b.start);
        assert_eq!(&text[p[0].a.range()], &text[p[0].b.range()]);
    }
}
