//! Sentence preparation: words, stems, sets and character 3-grams, computed once per
//! sentence so that comparing many pairs costs no tokenising, stemming or allocation.
//!
//! Words come from the crate's [`Tokenizer`] (NFKC, lower case, one form of quotes,
//! Unicode word boundaries), with two additions that look at each word's **original**
//! text through its span:
//! - *glued words* are split: between a lower-case and an upper-case ASCII letter
//!   (`PalestineGaza` → `palestine gaza`) and before the last capital of a run followed
//!   by a lower-case letter (`HTMLParser` → `html parser`);
//! - a word is *capitalised* when its first original character is upper case.
//!
//! Then each word gets its Snowball English stem (stop words and numbers included), and
//! the sentence its sets: all stems, content stems (not a stop word, no digit), numbers
//! (words with a digit, commas removed), proper nouns (stems of capitalised words that are
//! not the first word, not stop words and not numbers), stem 3-grams, and the character
//! 3-grams of `#word#` for each word (in code points), for fuzzy matching.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use xxhash_rust::xxh3::xxh3_128;

use super::lexicon::{is_negation, is_stop_word};
use crate::text::{word_hash, Span, Tokenizer};

/// One word of a prepared sentence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    /// Original bytes (in the document the sentence was prepared from).
    pub(crate) span: Span,
    /// Range of the normalised word in `PreparedSentence::text`.
    text: (u32, u32),
    /// Range of the stem in `PreparedSentence::stem_text`.
    stem_text: (u32, u32),
    /// [`word_hash`] of the normalised word.
    pub(crate) hash: u64,
    /// [`word_hash`] of the stem.
    pub(crate) stem: u64,
    /// Range of the word's character 3-grams (sorted, distinct) in `grams`.
    pub(crate) grams: (u32, u32),
}

/// A proper noun of a sentence: its stem, where the stem's character 3-grams are, and the
/// first word it comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Proper {
    pub(crate) stem: u64,
    pub(crate) grams: (u32, u32),
    word: u32,
}

/// A sentence ready to be compared: built once, compared with many others.
///
/// Build one with [`PreparedSentence::new`], or with a [`SentencePreparer`] to reuse
/// buffers across many sentences and to keep the sentence's place in a larger document.
/// Sets are sorted, distinct 64-bit hashes ([`word_hash`] of the stems or numbers);
/// character 3-grams are exact (three code points packed in 63 bits).
#[derive(Clone, Debug, Default)]
pub struct PreparedSentence {
    span: Span,
    /// Normalised words, separated by single spaces.
    text: String,
    /// Stems, separated by single spaces.
    stem_text: String,
    pub(crate) words: Vec<Word>,
    /// Character 3-grams of every word, then of every proper-noun stem.
    pub(crate) grams: Vec<u64>,
    /// All stems.
    pub(crate) stem_set: Vec<u64>,
    /// Stems of content words.
    pub(crate) content_set: Vec<u64>,
    /// Indices of the content words, in order.
    pub(crate) content_words: Vec<u32>,
    /// Each distinct content stem with its first word, sorted by stem.
    pub(crate) content_first: Vec<(u64, u32)>,
    /// Words with a digit, commas removed.
    pub(crate) numbers: Vec<u64>,
    /// Proper nouns, distinct, sorted by stem.
    pub(crate) propers: Vec<Proper>,
    /// Hashes of each three consecutive stems.
    pub(crate) stem_trigrams: Vec<u64>,
    /// Number of negation words.
    pub(crate) negations: u32,
    /// The character 3-grams of every word, as a Bloom filter (for bounds on fuzzy matches).
    pub(crate) word_bloom: GramBloom,
    /// The character 3-grams of the content words, as a Bloom filter.
    pub(crate) content_bloom: GramBloom,
    /// xxh3-128 of each word's hash and whether it is capitalised, in order: what every
    /// comparison of the sentence depends on (see [`PreparedSentence::content_key`]).
    key: u128,
    /// The [`Idf::stamp`](super::Idf) of the weights below (0: not weighed).
    weights_stamp: u64,
    /// IDF weights of `stem_set`, then of `content_first`'s stems, in order, once weighed.
    weights: Vec<f64>,
    /// For each word, the index of its stem in `stem_set`.
    pub(crate) stem_pos: Vec<u32>,
    /// For each word, its character 3-grams as a 64-bit Bloom filter ([`gram_signature`]).
    pub(crate) word_sigs: Vec<u64>,
}

/// A set of character 3-grams as a 1,024-bit Bloom filter with one hash: a gram of the set
/// always tests present, so the grams of a word that test present bound from above how
/// many it shares with any word of the set.
#[derive(Clone, Debug, Default)]
pub(crate) struct GramBloom([u64; 16]);

impl GramBloom {
    #[inline]
    fn bit(gram: u64) -> usize {
        (gram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize
    }

    fn insert_all(&mut self, grams: &[u64]) {
        for &g in grams {
            let b = GramBloom::bit(g);
            self.0[b >> 6] |= 1 << (b & 63);
        }
    }

    /// How many of `grams` may be in the set: at least as many as are.
    #[inline]
    pub(crate) fn hits(&self, grams: &[u64]) -> usize {
        grams
            .iter()
            .filter(|&&g| {
                let b = GramBloom::bit(g);
                self.0[b >> 6] & (1 << (b & 63)) != 0
            })
            .count()
    }
}

impl PreparedSentence {
    /// Prepares `text` as one sentence (spans are relative to `text`).
    ///
    /// To prepare many sentences, a [`SentencePreparer`] reuses its buffers.
    pub fn new(text: &str) -> PreparedSentence {
        SentencePreparer::new().prepare(text)
    }

    /// The sentence's bytes in the original document (`0..text.len()` when it was
    /// prepared from a `&str` of its own).
    pub fn span(&self) -> Span {
        self.span
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the sentence has no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The normalised words (lower case, glued words split), in order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        self.words.iter().map(|w| &self.text[w.text.0 as usize..w.text.1 as usize])
    }

    /// The stem of each word, in order.
    pub fn stems(&self) -> impl Iterator<Item = &str> + '_ {
        self.words.iter().map(|w| &self.stem_text[w.stem_text.0 as usize..w.stem_text.1 as usize])
    }

    /// Each word's bytes in the original document, in order. A split glued word gives
    /// two spans inside the original word.
    pub fn word_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.words.iter().map(|w| w.span)
    }

    /// The distinct proper-noun stems, in no particular order.
    pub fn proper_nouns(&self) -> impl Iterator<Item = &str> + '_ {
        self.propers.iter().map(|p| {
            let w = &self.words[p.word as usize];
            &self.stem_text[w.stem_text.0 as usize..w.stem_text.1 as usize]
        })
    }

    /// Number of negation words (`not`, `never`, `without`, any `...n't`, ...).
    pub fn negations(&self) -> u32 {
        self.negations
    }

    /// A 128-bit hash of what comparisons depend on: the sequence of normalised words
    /// (by their hashes, as [`PreparedSentence::same_words`] compares them) and whether
    /// each is capitalised (which makes proper nouns). Two sentences with one key, light
    /// or full, wherever they are, compare alike with any other sentence; a preparation
    /// in full may stand in for another with its key.
    pub fn content_key(&self) -> u128 {
        self.key
    }

    /// Looks up the IDF weights of the sentence's stems once, for the many comparisons
    /// to come with `idf` (a matcher's table, after [`Idf::precompute`](super::Idf)):
    /// features read them instead of the table, and only with that same table.
    pub(crate) fn weigh(&mut self, idf: &super::Idf) {
        self.weights.clear();
        self.weights.reserve_exact(self.stem_set.len() + self.content_first.len());
        self.weights.extend(self.stem_set.iter().map(|&h| idf.weight(h)));
        self.weights.extend(self.content_first.iter().map(|&(h, _)| idf.weight(h)));
        self.weights_stamp = idf.stamp();
    }

    /// The weights of `stem_set` and of `content_first`, if weighed with `idf`.
    #[inline]
    pub(crate) fn weights(&self, idf: &super::Idf) -> Option<(&[f64], &[f64])> {
        (self.weights_stamp != 0 && self.weights_stamp == idf.stamp())
            .then(|| self.weights.split_at(self.stem_set.len()))
    }

    /// True when both sentences have the same normalised words in the same order.
    pub fn same_words(&self, other: &PreparedSentence) -> bool {
        self.words.len() == other.words.len() && self.words.iter().zip(&other.words).all(|(a, b)| a.hash == b.hash)
    }

    /// The sorted, distinct character 3-grams of word `i`.
    #[inline]
    pub(crate) fn word_grams(&self, i: usize) -> &[u64] {
        let (s, e) = self.words[i].grams;
        &self.grams[s as usize..e as usize]
    }

    /// The sorted, distinct character 3-grams of a proper noun's stem.
    #[inline]
    pub(crate) fn proper_grams(&self, p: &Proper) -> &[u64] {
        &self.grams[p.grams.0 as usize..p.grams.1 as usize]
    }
}

/// The words of a whole document prepared light ([`SentencePreparer::prepare_words`]),
/// once for all its sentences and quotations: the words of a sentence are a range of the
/// document's ([`DocWords::words_of`]), and give what a preparation of the sentence alone
/// would (the same words, stems, content stems and content key) at a fraction of the cost.
#[derive(Clone, Debug, Default)]
pub(crate) struct DocWords {
    /// For each token of the document, the index of its first word (a glued word gives
    /// several); then the number of words.
    starts: Vec<u32>,
    /// Each word's hash, in order ([`Word::hash`]).
    pub(crate) hashes: Vec<u64>,
    /// Each word's stem hash, in order ([`Word::stem`]).
    pub(crate) stems: Vec<u64>,
    /// Whether each word is a content word.
    content: Vec<bool>,
    /// The bytes each word adds to a content key ([`push_key`]).
    key: Vec<u8>,
}

impl DocWords {
    /// Bytes of a content key per word.
    const KEY_BYTES: usize = 9;

    fn clear(&mut self) {
        self.starts.clear();
        self.hashes.clear();
        self.stems.clear();
        self.content.clear();
        self.key.clear();
    }

    /// The words of `tokens`, a range of the document's tokens (those of a sentence, as
    /// [`token_range`] finds them): a range of words.
    #[inline]
    pub(crate) fn words_of(&self, tokens: Range<usize>) -> Range<usize> {
        self.starts[tokens.start] as usize..self.starts[tokens.end] as usize
    }

    /// The [`PreparedSentence::content_key`] of a sentence made of `words`.
    #[inline]
    pub(crate) fn content_key(&self, words: Range<usize>) -> u128 {
        xxh3_128(&self.key[DocWords::KEY_BYTES * words.start..DocWords::KEY_BYTES * words.end])
    }

    /// Appends to `out` the content stems of `words`, in word order with repeats (sorted
    /// and made distinct, they are [`PreparedSentence::content_set`]).
    #[inline]
    pub(crate) fn push_content_words(&self, words: Range<usize>, out: &mut Vec<u64>) {
        let (stems, content) = (&self.stems[words.clone()], &self.content[words]);
        out.extend(stems.iter().zip(content).filter(|x| *x.1).map(|x| *x.0));
    }
}

/// The range of `tokens` (a document's, in order) that lies inside `span`: the tokens a
/// preparation of the sentence at `span` reads.
pub(crate) fn token_range(tokens: &[crate::text::Token], span: Span) -> Range<usize> {
    let from = tokens.partition_point(|t| t.span.start < span.start);
    let to = from + tokens[from..].partition_point(|t| t.span.end <= span.end);
    from..to
}

/// Prepares sentences, reusing its buffers (a tokenizer, a stemmer, scratch space) and
/// remembering what it learnt of each word it has seen (its stem and hashes), so that a
/// word is stemmed once.
pub struct SentencePreparer {
    tokenizer: Tokenizer,
    stemmer: Stemmer,
    cuts: Vec<usize>,
    chars: Vec<u32>,
    scratch: String,
    words: WordCache,
    /// The bytes the content key is hashed from.
    key: Vec<u8>,
    /// The last document's words prepared light.
    doc: DocWords,
}

/// What a preparer knows of a normalised word, all a light preparation reads: one small
/// slot of [`WordCache`]'s table (what only a preparation in full reads is in a
/// [`WordDetail`] apart).
#[derive(Clone, Copy, Debug, Default)]
struct Known {
    /// [`word_hash`] of the word.
    hash: u64,
    /// [`word_hash`] of its stem.
    stem: u64,
    /// One more than the index of the word's [`WordDetail`] (0: an empty slot).
    detail: u32,
    /// [`Known::NUMBER`], [`Known::STOP`], [`Known::NEGATION`].
    flags: u8,
}

impl Known {
    /// The word has a digit.
    const NUMBER: u8 = 1;
    /// A stop word.
    const STOP: u8 = 2;
    /// A negation.
    const NEGATION: u8 = 4;

    #[inline]
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Neither a stop word nor a number.
    #[inline]
    fn is_content(&self) -> bool {
        self.flags & (Known::NUMBER | Known::STOP) == 0
    }
}

/// What a preparation in full reads of a known word besides its [`Known`]: its stem's
/// text, and its character 3-grams once asked for.
#[derive(Clone, Copy, Debug)]
struct WordDetail {
    /// The stem: a range of `WordCache::stems`.
    stem: (u32, u32),
    /// Sorted, distinct character 3-grams of `#word#`, then of `#stem#`: ranges of
    /// `WordCache::grams` (`grams.1 == u32::MAX`: not computed yet).
    grams: (u32, u32),
    stem_grams: (u32, u32),
}

/// Normalised words seen by a preparer, keyed by their [`word_hash`] (which the
/// tokenizer has computed already), at most [`WordCache::CAPACITY`] (then it starts afresh).
///
/// The hash is taken as the word's identity, as everywhere else in the crate (content
/// keys, [`PreparedSentence::same_words`], verbatim runs): two words with one hash (a
/// chance of about 3·10⁻⁸ among a million distinct words) compare as one word anyway,
/// so the cache keeps no text to tell them apart. Its table is an open-addressing array
/// of small [`Known`] slots, so that a look-up reads one cache line or two.
#[derive(Debug)]
struct WordCache {
    /// Slots (a power of two of them, at most half full), by the hash's low bits, with
    /// linear probing.
    slots: Vec<Known>,
    /// Words known: also the number of slots in use.
    details: Vec<WordDetail>,
    /// The stems' text, one after another.
    stems: String,
    /// Character 3-grams of the words that a preparation in full has asked for.
    grams: Vec<u64>,
    /// Words kept at most (then the cache starts afresh).
    capacity: usize,
}

impl Default for WordCache {
    fn default() -> WordCache {
        WordCache::with_capacity(WordCache::CAPACITY)
    }
}

impl WordCache {
    const CAPACITY: usize = 1 << 18;
    /// How many words ahead of the one looked up [`SentencePreparer::prepare_words`]
    /// prefetches the slot of.
    const PREFETCH_AHEAD: usize = 16;
    /// Slots of a new cache's table.
    const FIRST_SLOTS: usize = 1 << 10;

    fn with_capacity(capacity: usize) -> WordCache {
        WordCache { slots: Vec::new(), details: Vec::new(), stems: String::new(), grams: Vec::new(), capacity }
    }

    /// The slot of `word`, whose [`word_hash`] is `hash`; a new word is stemmed and added.
    #[inline]
    fn find(&mut self, stemmer: &Stemmer, word: &str, hash: u64) -> usize {
        if self.slots.is_empty() {
            self.slots = vec![Known::default(); WordCache::FIRST_SLOTS];
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.detail == 0 {
                break;
            }
            if slot.hash == hash {
                return i;
            }
            i = (i + 1) & mask;
        }
        self.add(stemmer, word, hash)
    }

    /// Adds `word` (not known) with its hash; returns its slot.
    #[cold]
    #[inline(never)]
    fn add(&mut self, stemmer: &Stemmer, word: &str, hash: u64) -> usize {
        if self.details.len() >= self.capacity {
            self.slots.fill(Known::default());
            self.details.clear();
            self.stems.clear();
            self.grams.clear();
        }
        if 2 * (self.details.len() + 1) > self.slots.len() {
            self.grow();
        }
        let stem = stemmer.stem(word);
        let start = self.stems.len() as u32;
        self.stems.push_str(&stem);
        let mut flags = 0;
        if word.chars().any(char::is_numeric) {
            flags |= Known::NUMBER;
        }
        if is_stop_word(word) {
            flags |= Known::STOP;
        }
        if is_negation(word) {
            flags |= Known::NEGATION;
        }
        self.details.push(WordDetail {
            stem: (start, self.stems.len() as u32),
            grams: (0, u32::MAX),
            stem_grams: (0, u32::MAX),
        });
        let known = Known { hash, stem: word_hash(stem.as_bytes()), detail: self.details.len() as u32, flags };
        self.place(known)
    }

    /// Puts `known` into the first free slot from its hash's; returns that slot.
    fn place(&mut self, known: Known) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = known.hash as usize & mask;
        while self.slots[i].detail != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = known;
        i
    }

    /// Doubles the table (up to twice the capacity).
    fn grow(&mut self) {
        let slots = 2 * self.slots.len();
        let old = std::mem::replace(&mut self.slots, vec![Known::default(); slots]);
        for known in old.into_iter().filter(|k| k.detail != 0) {
            self.place(known);
        }
    }

    /// Asks the processor to fetch the first slot of each token's word: looking a
    /// sentence's words up one after another waits on a cache miss for each word not
    /// among the most common, but fetching them all at once overlaps the waits.
    #[inline]
    fn prefetch(&self, tokens: &[crate::text::Token]) {
        if !self.slots.is_empty() {
            let mask = self.slots.len() - 1;
            for t in tokens {
                crate::prefetch::line(&self.slots[t.hash as usize & mask]);
            }
        }
    }

    /// Asks the processor to fetch what a preparation in full reads of each known word of
    /// `tokens` besides its slot (its [`WordDetail`], then its character 3-grams): those
    /// lie in arrays too large for the cache, and are read one word after another.
    /// Call it after [`WordCache::prefetch`], whose fetches the slots' reads here overlap.
    fn prefetch_details(&self, tokens: &[crate::text::Token]) {
        #[cfg(target_arch = "x86_64")]
        if !self.slots.is_empty() {
            for t in tokens {
                if let Some(d) = self.peek(t.hash) {
                    crate::prefetch::line(&self.details[d]);
                }
            }
            for t in tokens {
                if let Some(d) = self.peek(t.hash) {
                    let grams = self.details[d].grams;
                    if grams.1 != u32::MAX && grams.0 < grams.1 {
                        crate::prefetch::line(&self.grams[grams.0 as usize]);
                    }
                }
            }
        }
    }

    /// The index in `details` of the word whose hash is `hash`, if known.
    #[inline]
    fn peek(&self, hash: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.detail == 0 {
                return None;
            }
            if slot.hash == hash {
                return Some(slot.detail as usize - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// What slot `i` holds.
    #[inline]
    fn known(&self, i: usize) -> &Known {
        &self.slots[i]
    }

    /// What is known of `word`, whose [`word_hash`] is `hash` (see [`WordCache::find`]).
    #[inline]
    fn lookup(&mut self, stemmer: &Stemmer, word: &str, hash: u64) -> Known {
        let i = self.find(stemmer, word, hash);
        self.slots[i]
    }

    /// The stem, the character 3-grams of the word and those of the stem, of slot `i`
    /// holding `word` (3-grams computed the first time).
    fn detail(&mut self, i: usize, word: &str, chars: &mut Vec<u32>) -> (&str, &[u64], &[u64]) {
        let d = self.slots[i].detail as usize - 1;
        let mut detail = self.details[d];
        if detail.grams.1 == u32::MAX {
            detail.grams = push_grams(word, chars, &mut self.grams);
            let stem = &self.stems[detail.stem.0 as usize..detail.stem.1 as usize];
            detail.stem_grams = push_grams(stem, chars, &mut self.grams);
            self.details[d] = detail;
        }
        let range = |r: (u32, u32)| r.0 as usize..r.1 as usize;
        (&self.stems[range(detail.stem)], &self.grams[range(detail.grams)], &self.grams[range(detail.stem_grams)])
    }
}

impl std::fmt::Debug for SentencePreparer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentencePreparer").finish_non_exhaustive()
    }
}

impl Default for SentencePreparer {
    fn default() -> SentencePreparer {
        SentencePreparer::new()
    }
}

impl SentencePreparer {
    /// A preparer with empty buffers.
    pub fn new() -> SentencePreparer {
        SentencePreparer {
            tokenizer: Tokenizer::new(),
            stemmer: Stemmer::create(Algorithm::English),
            cuts: Vec::new(),
            chars: Vec::new(),
            scratch: String::new(),
            words: WordCache::default(),
            key: Vec::new(),
            doc: DocWords::default(),
        }
    }

    /// Prepares `text` as one sentence; its spans are relative to `text`.
    pub fn prepare(&mut self, text: &str) -> PreparedSentence {
        self.prepare_at(text, 0, true)
    }

    /// Prepares the sentence at `span` of `document`; its spans are byte ranges of
    /// `document`.
    ///
    /// # Panics
    /// When `span` is out of bounds or not on character boundaries of `document`.
    pub fn prepare_span(&mut self, document: &str, span: Span) -> PreparedSentence {
        self.prepare_at(&document[span.range()], span.start, true)
    }

    /// The sentence at `span` of `document` with its words, stems and stem sets only
    /// (all stems, content stems): no character 3-grams, other sets or text (enough for
    /// [`PreparedSentence::len`], [`PreparedSentence::same_words`] and for counting word
    /// rarity with [`Idf::add`](super::Idf::add)), at a fraction of the cost.
    pub fn prepare_stems(&mut self, document: &str, span: Span) -> PreparedSentence {
        self.prepare_at(&document[span.range()], span.start, false)
    }

    /// Prepares the sentence at `span` of `document` from the tokens `tokenizer` found
    /// in the whole of `document` (its last [`Tokenizer::tokenize`]): the words lying
    /// inside `span`, without tokenising it again. `full` false: words and stems only,
    /// as [`SentencePreparer::prepare_stems`].
    pub fn prepare_tokens(
        &mut self,
        document: &str,
        span: Span,
        tokenizer: &Tokenizer,
        full: bool,
    ) -> PreparedSentence {
        let mut out = PreparedSentence::default();
        self.prepare_tokens_into(document, span, tokenizer, full, &mut out);
        out
    }

    /// The words of `document`, as `tokenizer` found them (its last
    /// [`Tokenizer::tokenize`] of `document`), prepared light: each word's hash and stem,
    /// whether it is a content word, and its part of a content key, looked up once for
    /// all the sentences and quotations that hold it. The buffers are the preparer's,
    /// reused from document to document.
    pub(crate) fn prepare_words(&mut self, document: &str, tokenizer: &Tokenizer) -> &mut DocWords {
        let SentencePreparer { tokenizer: _, stemmer, cuts, chars: _, scratch: _, words, key: _, doc } = self;
        doc.clear();
        let tokens = tokenizer.tokens();
        let n = tokens.len() + tokens.len() / 8;
        doc.starts.reserve(tokens.len() + 1);
        doc.stems.reserve(n);
        doc.hashes.reserve(n);
        doc.content.reserve(n);
        doc.key.reserve(DocWords::KEY_BYTES * n);
        words.prefetch(&tokens[..tokens.len().min(WordCache::PREFETCH_AHEAD)]);
        for (i, tok) in tokens.iter().enumerate() {
            if let Some(ahead) = tokens.get(i + WordCache::PREFETCH_AHEAD) {
                words.prefetch(std::slice::from_ref(ahead));
            }
            doc.starts.push(doc.stems.len() as u32);
            for_each_piece(document, tokenizer, std::slice::from_ref(tok), cuts, |orig, _, word, hash| {
                let known = words.lookup(stemmer, word, hash);
                doc.stems.push(known.stem);
                doc.hashes.push(hash);
                doc.content.push(known.is_content());
                push_key(&mut doc.key, hash, is_capitalised(orig));
            });
        }
        doc.starts.push(doc.stems.len() as u32);
        doc
    }

    /// [`SentencePreparer::prepare_span`] into `out`, whose buffers are reused.
    pub(crate) fn prepare_span_into(&mut self, document: &str, span: Span, out: &mut PreparedSentence) {
        self.prepare_at_into(&document[span.range()], span.start, true, out);
    }

    /// [`SentencePreparer::prepare_tokens`] into `out`, whose buffers are reused.
    pub(crate) fn prepare_tokens_into(
        &mut self,
        document: &str,
        span: Span,
        tokenizer: &Tokenizer,
        full: bool,
        out: &mut PreparedSentence,
    ) {
        self.build_into(document, 0, span, tokenizer, tokens_in(tokenizer, span), full, out);
    }

    fn prepare_at(&mut self, text: &str, offset: u32, full: bool) -> PreparedSentence {
        let mut out = PreparedSentence::default();
        self.prepare_at_into(text, offset, full, &mut out);
        out
    }

    fn prepare_at_into(&mut self, text: &str, offset: u32, full: bool, out: &mut PreparedSentence) {
        let mut tokenizer = std::mem::take(&mut self.tokenizer);
        tokenizer.tokenize(text);
        let span = Span::new(offset, offset + text.len() as u32);
        self.build_into(text, offset, span, &tokenizer, tokenizer.tokens(), full, out);
        self.tokenizer = tokenizer;
    }

    /// Prepares into `out` (its buffers reused) the sentence `span` made of `tokens` of
    /// `text` (spans relative to `text`, which starts at byte `offset` of the document);
    /// not `full`, words with their stem set and content set only.
    #[allow(clippy::too_many_arguments)]
    fn build_into(
        &mut self,
        text: &str,
        offset: u32,
        span: Span,
        tokenizer: &Tokenizer,
        tokens: &[crate::text::Token],
        full: bool,
        out: &mut PreparedSentence,
    ) {
        let SentencePreparer { tokenizer: _, stemmer, cuts, chars, scratch, words, key, doc: _ } = self;
        key.clear();
        out.reset(span);
        let n = tokens.len();
        // (`out` is reused, its vectors empty: room too small is taken afresh, not
        // grown, which would copy the old room's bytes.)
        reserve_empty(&mut out.words, n);
        if full {
            let bytes: usize = tokens.iter().map(|t| t.norm.len() as usize + 1).sum();
            for text in [&mut out.text, &mut out.stem_text] {
                if text.capacity() < bytes {
                    *text = String::with_capacity(bytes);
                }
            }
            reserve_empty(&mut out.grams, bytes + 2 * n);
            reserve_empty(&mut out.content_set, n);
            reserve_empty(&mut out.content_words, n);
            reserve_empty(&mut out.content_first, n);
            reserve_empty(&mut out.stem_set, n);
            reserve_empty(&mut out.stem_trigrams, n);
        } else {
            reserve_empty(&mut out.content_set, n);
            reserve_empty(&mut out.stem_set, n);
        }
        words.prefetch(tokens);
        if full {
            words.prefetch_details(tokens);
        }
        let mut pieces = Pieces { out, stemmer, words, chars, scratch, key, offset, full };
        for_each_piece(text, tokenizer, tokens, cuts, |orig, orig_start, word, hash| {
            pieces.push(orig, orig_start, word, hash);
        });
        out.key = xxh3_128(key);
        if full {
            out.finish();
        } else {
            out.stem_set.extend(out.words.iter().map(|w| w.stem));
            sort_dedup(&mut out.stem_set);
            sort_dedup(&mut out.content_set);
        }
    }
}

/// Room for `n` values in `v`, which is empty: `v.reserve(n)`, except that room too
/// small is dropped and taken afresh instead of grown (a growth copies the old room,
/// whatever the length).
#[inline]
fn reserve_empty<T>(v: &mut Vec<T>, n: usize) {
    debug_assert!(v.is_empty());
    if v.capacity() < n {
        *v = Vec::with_capacity(n);
    }
}

/// Calls `f` with each word of `tokens` (of `text`, as `tokenizer` found them), glued
/// words split (see [`glue_cuts`]): its original text, where that starts in `text`, its
/// normalised form and the [`word_hash`] of that.
#[inline]
fn for_each_piece(
    text: &str,
    tokenizer: &Tokenizer,
    tokens: &[crate::text::Token],
    cuts: &mut Vec<usize>,
    mut f: impl FnMut(&str, u32, &str, u64),
) {
    let norm = tokenizer.normalized();
    for tok in tokens {
        let orig = &text[tok.span.range()];
        let word = &norm[tok.norm.range()];
        if !capital_after_first(text.as_bytes(), tok.span.start as usize, orig.len()) {
            f(orig, tok.span.start, word, tok.hash);
            continue;
        }
        glue_cuts(orig.as_bytes(), cuts);
        if cuts.is_empty() {
            f(orig, tok.span.start, word, tok.hash);
            continue;
        }
        // Map each cut in the original word to the first normalised character that
        // comes from at or after it.
        let (norm_start, orig_start) = (tok.norm.start as usize, tok.span.start as usize);
        let (mut piece_norm, mut piece_orig, mut next) = (0usize, 0usize, 0usize);
        for (p, c) in word.char_indices().skip(1) {
            if next == cuts.len() {
                break;
            }
            let o = tokenizer.original_span(norm_start + p, norm_start + p + c.len_utf8()).start as usize - orig_start;
            if o >= cuts[next] {
                let piece = &word[piece_norm..p];
                f(&orig[piece_orig..o], (orig_start + piece_orig) as u32, piece, word_hash(piece.as_bytes()));
                piece_norm = p;
                piece_orig = o;
                while next < cuts.len() && cuts[next] <= o {
                    next += 1;
                }
            }
        }
        let piece = &word[piece_norm..];
        f(&orig[piece_orig..], (orig_start + piece_orig) as u32, piece, word_hash(piece.as_bytes()));
    }
}

/// True when bytes `start + 1..start + len` of `text` hold an ASCII capital letter: only
/// then may [`glue_cuts`] find a cut. Words of up to 16 bytes are tested 8 bytes at a
/// time, without a branch per byte.
#[inline]
fn capital_after_first(text: &[u8], start: usize, len: usize) -> bool {
    if len > 16 || start + 16 > text.len() {
        return text[start..start + len].iter().skip(1).any(u8::is_ascii_uppercase);
    }
    let load = |at: usize| u64::from_le_bytes(text[at..at + 8].try_into().expect("8 bytes"));
    // A byte's high bit: the byte is within the word, and not its first.
    let within = |bytes: usize| if bytes >= 8 { u64::MAX } else { (1u64 << (8 * bytes)) - 1 };
    let high = 0x8080_8080_8080_8080u64;
    let capitals = |x: u64| {
        // (b | 0x80) - c sets a byte's high bit when (b & 0x7F) >= c, without borrowing
        // from the next byte; capitals are 0x41..=0x5A with the high bit clear.
        let at_least_a = (x | high) - 0x4141_4141_4141_4141;
        let past_z = (x | high) - 0x5B5B_5B5B_5B5B_5B5B;
        at_least_a & !past_z & !x & high
    };
    let first = capitals(load(start)) & within(len) & !0xFF;
    let second = capitals(load(start + 8)) & within(len.saturating_sub(8));
    first | second != 0
}

/// Byte offsets inside one original word where a glued word is split: between an ASCII
/// lower-case and upper-case letter (`fooBar`), and between two upper-case letters when a
/// lower-case one follows (`HTMLParser`). ASCII bytes never occur inside a multi-byte
/// UTF-8 character, so every cut is on a character boundary.
fn glue_cuts(word: &[u8], cuts: &mut Vec<usize>) {
    cuts.clear();
    for i in 1..word.len() {
        let (prev, cur) = (word[i - 1], word[i]);
        if cur.is_ascii_uppercase()
            && (prev.is_ascii_lowercase()
                || (prev.is_ascii_uppercase() && word.get(i + 1).is_some_and(u8::is_ascii_lowercase)))
        {
            cuts.push(i);
        }
    }
}

/// Appends words to a sentence under construction.
struct Pieces<'a> {
    out: &'a mut PreparedSentence,
    stemmer: &'a Stemmer,
    words: &'a mut WordCache,
    chars: &'a mut Vec<u32>,
    scratch: &'a mut String,
    /// The bytes of the content key so far.
    key: &'a mut Vec<u8>,
    offset: u32,
    /// False: words, spans and stem hashes only.
    full: bool,
}

impl Pieces<'_> {
    /// Appends one word: `orig` is its original text starting at byte `orig_start` of the
    /// prepared text, `word` its normalised form.
    fn push(&mut self, orig: &str, orig_start: u32, word: &str, hash: u64) {
        let out = &mut *self.out;
        let index = out.words.len() as u32;
        let slot = self.words.find(self.stemmer, word, hash);
        let known = *self.words.known(slot);
        let start = self.offset + orig_start;
        let span = Span::new(start, start + orig.len() as u32);
        let capitalised = is_capitalised(orig);
        push_key(self.key, hash, capitalised);
        if !self.full {
            out.words.push(Word { span, text: (0, 0), stem_text: (0, 0), hash, stem: known.stem, grams: (0, 0) });
            if known.is_content() {
                out.content_set.push(known.stem);
            }
            return;
        }
        let (stem, word_grams, stem_grams) = self.words.detail(slot, word, self.chars);
        let stem_hash = known.stem;
        if known.has(Known::NEGATION) {
            out.negations += 1;
        }

        if !out.text.is_empty() {
            out.text.push(' ');
            out.stem_text.push(' ');
        }
        let text = (out.text.len() as u32, (out.text.len() + word.len()) as u32);
        out.text.push_str(word);
        let stem_text = (out.stem_text.len() as u32, (out.stem_text.len() + stem.len()) as u32);
        out.stem_text.push_str(stem);
        let grams = extend_grams(word_grams, &mut out.grams);
        out.words.push(Word { span, text, stem_text, hash, stem: stem_hash, grams });

        if known.has(Known::NUMBER) {
            self.scratch.clear();
            self.scratch.extend(word.chars().filter(|&c| c != ','));
            out.numbers.push(word_hash(self.scratch.as_bytes()));
        } else if !known.has(Known::STOP) {
            out.content_words.push(index);
            out.content_first.push((stem_hash, index));
            if capitalised && index > 0 {
                let grams = extend_grams(stem_grams, &mut out.grams);
                out.propers.push(Proper { stem: stem_hash, grams, word: index });
            }
        }
    }
}

/// True when the first original character of a word is upper case.
#[inline]
fn is_capitalised(orig: &str) -> bool {
    match orig.as_bytes().first() {
        Some(&b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => orig.chars().next().is_some_and(char::is_uppercase),
    }
}

/// Appends a word to the bytes of a content key (see [`PreparedSentence::content_key`]).
#[inline]
fn push_key(key: &mut Vec<u8>, hash: u64, capitalised: bool) {
    key.extend_from_slice(&hash.to_le_bytes());
    key.push(u8::from(capitalised));
}

/// Appends `known` to `grams`; returns their range.
fn extend_grams(known: &[u64], grams: &mut Vec<u64>) -> (u32, u32) {
    let start = grams.len();
    grams.extend_from_slice(known);
    (start as u32, grams.len() as u32)
}

/// Appends the sorted, distinct character 3-grams of `#word#` to `grams`; returns their
/// range.
fn push_grams(word: &str, chars: &mut Vec<u32>, grams: &mut Vec<u64>) -> (u32, u32) {
    chars.clear();
    chars.push('#' as u32);
    chars.extend(word.chars().map(|c| c as u32));
    chars.push('#' as u32);
    let start = grams.len();
    grams.extend(chars.windows(3).map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2])));
    grams[start..].sort_unstable();
    let mut end = start;
    for i in start..grams.len() {
        if i == start || grams[i] != grams[end - 1] {
            grams[end] = grams[i];
            end += 1;
        }
    }
    grams.truncate(end);
    (start as u32, end as u32)
}

impl PreparedSentence {
    /// Sorts and deduplicates the sets once all words are in.
    /// Empties the sentence (keeping its buffers) to be prepared again as `span`.
    fn reset(&mut self, span: Span) {
        let PreparedSentence {
            span: s,
            text,
            stem_text,
            words,
            grams,
            stem_set,
            content_set,
            content_words,
            content_first,
            numbers,
            propers,
            stem_trigrams,
            negations,
            word_bloom,
            content_bloom,
            key,
            weights_stamp,
            weights,
            stem_pos,
            word_sigs,
        } = self;
        *s = span;
        text.clear();
        stem_text.clear();
        words.clear();
        grams.clear();
        stem_set.clear();
        content_set.clear();
        content_words.clear();
        content_first.clear();
        numbers.clear();
        propers.clear();
        stem_trigrams.clear();
        *negations = 0;
        *word_bloom = GramBloom::default();
        *content_bloom = GramBloom::default();
        *key = 0;
        *weights_stamp = 0;
        weights.clear();
        stem_pos.clear();
        word_sigs.clear();
    }

    fn finish(&mut self) {
        self.stem_set.extend(self.words.iter().map(|w| w.stem));
        sort_dedup(&mut self.stem_set);
        sort_dedup(&mut self.numbers);
        // First occurrence of each stem: sort by (stem, word), keep the first per stem.
        self.content_first.sort_unstable();
        self.content_first.dedup_by_key(|e| e.0);
        // Their stems are the distinct content stems, in order.
        self.content_set.extend(self.content_first.iter().map(|e| e.0));
        self.propers.sort_by_key(|p| (p.stem, p.word));
        self.propers.dedup_by_key(|p| p.stem);
        let mut bytes = [0u8; 24];
        self.stem_trigrams.extend(self.words.windows(3).map(|w| {
            for (i, word) in w.iter().enumerate() {
                bytes[8 * i..8 * i + 8].copy_from_slice(&word.stem.to_le_bytes());
            }
            word_hash(&bytes)
        }));
        sort_dedup(&mut self.stem_trigrams);
        // The content words' indices come in increasing order: read along with the words.
        let mut content_words = self.content_words.iter().peekable();
        for (i, w) in self.words.iter().enumerate() {
            let grams = &self.grams[w.grams.0 as usize..w.grams.1 as usize];
            self.word_bloom.insert_all(grams);
            if content_words.next_if_eq(&&(i as u32)).is_some() {
                self.content_bloom.insert_all(grams);
            }
        }
        let stem_set = &self.stem_set;
        self.stem_pos.extend(self.words.iter().map(|w| stem_set.partition_point(|&s| s < w.stem) as u32));
        let grams = &self.grams;
        self.word_sigs
            .extend(self.words.iter().map(|w| gram_signature(&grams[w.grams.0 as usize..w.grams.1 as usize])));
    }
}

/// A set of character 3-grams as a 64-bit Bloom filter with one hash. Two words share at
/// most `popcount(x & y) + len - popcount(x)` 3-grams, `x` and `len` the signature and
/// the size of the first's.
pub(crate) fn gram_signature(grams: &[u64]) -> u64 {
    grams.iter().fold(0, |sig, &g| sig | 1 << (g.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58))
}

/// The tokens of `tokenizer`'s last document that lie inside `span`.
fn tokens_in(tokenizer: &Tokenizer, span: Span) -> &[crate::text::Token] {
    let tokens = tokenizer.tokens();
    &tokens[token_range(tokens, span)]
}

fn sort_dedup(v: &mut Vec<u64>) {
    sort_dedup_from(v, 0);
}

/// Sorts `v[start..]` and removes repeats from it.
#[inline]
fn sort_dedup_from(v: &mut Vec<u64>, start: usize) {
    let tail = &mut v[start..];
    tail.sort_unstable();
    let mut kept = 0;
    for i in 0..tail.len() {
        if kept == 0 || tail[i] != tail[kept - 1] {
            tail[kept] = tail[i];
            kept += 1;
        }
    }
    v.truncate(start + kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &PreparedSentence) -> Vec<&str> {
        s.words().collect()
    }

    #[test]
    fn glued_words_are_split() {
        let s = PreparedSentence::new("Clashes in PalestineGaza; an HTMLParser and iPhone.");
        assert_eq!(words(&s), ["clashes", "in", "palestine", "gaza", "an", "html", "parser", "and", "i", "phone"]);
        let text = "Clashes in PalestineGaza; an HTMLParser and iPhone.";
        let spans: Vec<&str> = s.word_spans().map(|sp| &text[sp.range()]).collect();
        assert_eq!(spans[2..4], ["Palestine", "Gaza"]);
        assert_eq!(spans[5..7], ["HTML", "Parser"]);
        let mut propers: Vec<&str> = s.proper_nouns().collect();
        propers.sort_unstable();
        assert_eq!(propers, ["gaza", "html", "palestin", "parser", "phone"]);
    }

    #[test]
    fn glue_split_maps_through_normalisation() {
        // The ligature "\u{FB01}" becomes "fi": the cut before "Art" is found in the
        // original and mapped to the normalised word. Only ASCII letters glue, as in the
        // fitted model: "caf\u{e9}Paris" stays one word.
        let text = "Visit \u{FB01}neArt and caf\u{e9}Paris";
        let s = PreparedSentence::new(text);
        assert_eq!(words(&s), ["visit", "fine", "art", "and", "caf\u{e9}paris"]);
        let spans: Vec<&str> = s.word_spans().map(|sp| &text[sp.range()]).collect();
        assert_eq!(spans[1..3], ["\u{FB01}ne", "Art"]);
    }

    #[test]
    fn tokens_numbers_quotes_and_stems() {
        let s = PreparedSentence::new("The U.S. paid 1,000 dollars \u{2014} don\u{2019}t ask, well-known voters!");
        assert_eq!(words(&s), ["the", "u.s", "paid", "1,000", "dollars", "don't", "ask", "well", "known", "voters"]);
        assert_eq!(s.stems().collect::<Vec<_>>()[9], "voter");
        assert_eq!(s.negations(), 1);
        assert_eq!(s.numbers.len(), 1);
        assert_eq!(s.numbers[0], word_hash(b"1000"));
        // Content words: no stop words ("the", "don't"), no numbers.
        assert_eq!(s.content_words.len(), 7);
    }

    #[test]
    fn proper_nouns_skip_the_first_word_stop_words_and_numbers() {
        let s = PreparedSentence::new("Officials in Tehran said The Hague and Tehran met in 2024.");
        let mut propers: Vec<&str> = s.proper_nouns().collect();
        propers.sort_unstable();
        assert_eq!(propers, ["hagu", "tehran"]);
    }

    #[test]
    fn spans_are_in_the_document() {
        let doc = "First sentence. Second \u{201C}one\u{201D} here.";
        let start = doc.find("Second").unwrap();
        let span = Span::new(start as u32, doc.len() as u32);
        let s = SentencePreparer::new().prepare_span(doc, span);
        assert_eq!(s.span(), span);
        let got: Vec<&str> = s.word_spans().map(|sp| &doc[sp.range()]).collect();
        assert_eq!(got, ["Second", "one", "here"]);
    }

    #[test]
    fn character_trigrams_are_distinct_code_points() {
        let s = PreparedSentence::new("aaaa \u{e9}t\u{e9}");
        // #aaaa#: #aa aaa aa# (aaa twice) -> 3 distinct.
        assert_eq!(s.word_grams(0).len(), 3);
        // #été#: 3 trigrams of code points, not bytes.
        assert_eq!(s.word_grams(1).len(), 3);
    }

    #[test]
    fn stem_trigrams_need_three_words() {
        assert!(PreparedSentence::new("two words").stem_trigrams.is_empty());
        assert_eq!(PreparedSentence::new("one two three one two three").stem_trigrams.len(), 3);
    }

    #[test]
    fn the_word_cache_grows_starts_afresh_and_answers_alike() {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut chars = Vec::new();
        let mut cache = WordCache::with_capacity(3000);
        let words: Vec<String> = (0..5000)
            .map(|i| ["running", "the", "don't", "1,000", "Caf\u{e9}"][i % 5].to_lowercase() + &i.to_string())
            .chain(["running", "the", "don't", "never", "1,000", "caf\u{e9}s"].map(String::from))
            .collect();
        for round in 0..2 {
            for word in &words {
                let hash = word_hash(word.as_bytes());
                let slot = cache.find(&stemmer, word, hash);
                let known = *cache.known(slot);
                let stem = stemmer.stem(word);
                assert_eq!((known.hash, known.stem), (hash, word_hash(stem.as_bytes())), "{word}");
                assert_eq!(known.has(Known::NUMBER), word.chars().any(char::is_numeric));
                assert_eq!(known.has(Known::STOP), is_stop_word(word));
                assert_eq!(known.has(Known::NEGATION), is_negation(word));
                if round == 1 {
                    let (mut grams, mut stem_grams) = (Vec::new(), Vec::new());
                    push_grams(word, &mut chars, &mut grams);
                    push_grams(&stem, &mut chars, &mut stem_grams);
                    let (s, g, sg) = cache.detail(slot, word, &mut chars);
                    assert_eq!((s, g, sg), (stem.as_ref(), &grams[..], &stem_grams[..]));
                }
            }
            assert!(cache.details.len() <= 3000 && cache.slots.len() <= 8192);
        }
    }

    /// Checks the light words of `doc` against a preparation in full of each of its
    /// sentences, of their quotations and of the whole text.
    fn check_light_words(doc: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let mut tokenizer = Tokenizer::new();
        tokenizer.tokenize(doc);
        let mut prep = SentencePreparer::new();
        let mut spans = Vec::new();
        for s in crate::text::sentence::sentences(doc) {
            spans.push(s);
            spans.extend(crate::text::sentence::quotations(doc, s, 1));
        }
        spans.push(Span::new(0, doc.len() as u32));
        let full: Vec<PreparedSentence> =
            spans.iter().map(|&span| prep.prepare_tokens(doc, span, &tokenizer, true)).collect();
        let content = prep.prepare_words(doc, &tokenizer).clone();
        for (&span, p) in spans.iter().zip(&full) {
            let words = content.words_of(token_range(tokenizer.tokens(), span));
            proptest::prop_assert_eq!(words.len(), p.len());
            proptest::prop_assert_eq!(
                &content.hashes[words.clone()],
                &p.words.iter().map(|w| w.hash).collect::<Vec<_>>()[..]
            );
            let mut got = vec![7];
            content.push_content_words(words.clone(), &mut got);
            sort_dedup_from(&mut got, 1);
            proptest::prop_assert_eq!(&got[1..], &p.content_set[..]);
            proptest::prop_assert_eq!(content.content_key(words.clone()), p.content_key());
            let mut stems = content.stems[words].to_vec();
            sort_dedup_from(&mut stems, 0);
            proptest::prop_assert_eq!(&stems, &p.stem_set);
        }
        Ok(())
    }

    #[test]
    fn light_words_agree_with_the_full_preparation() {
        check_light_words(
            "Officials in Tehran said The Hague and Tehran met in 2024. An HTMLParser \
             for \u{FB01}neArt; \u{201C}Don\u{2019}t run,\u{201D} she said \u{2014} \
             1,000 voters! PalestineGaza clashes, caf\u{e9}Paris, \u{4E2D}\u{6587} text. \
             \"The U.S. paid\" \u{BC} of it, \u{3371} and \u{FB01}\u{FB01}X.",
        )
        .unwrap();
    }

    proptest::proptest! {
        #[test]
        fn light_words_agree_with_the_full_preparation_anywhere(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "the", "The", "Tehran", "said", "HTMLParser", "iPhone", "fooBar", "don't",
                    "Don\u{2019}t", "1,000", "2024", "caf\u{e9}Paris", "\u{FB01}neArt", "\u{BC}",
                    "\u{3371}", "U.S.", "\u{4E2D}\u{6587}", "run", "running", "never", "well-known",
                    " ", " ", " ", ". ", "! ", ", ", "\"", "\u{201C}", "\u{201D}", "\n", "\u{2014}",
                ]),
                0..60,
            )
        ) {
            check_light_words(&parts.concat())?;
        }
    }

    proptest::proptest! {
        #[test]
        fn capitals_after_the_first_byte_are_found_as_byte_by_byte(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(b"aAzZ@[`{09 \x80\xC1\xDA\xFF".to_vec()),
                    proptest::prelude::any::<u8>(),
                ],
                0..40,
            ),
            start in 0usize..40,
            len in 0usize..30,
        ) {
            let start = start.min(text.len());
            let len = len.min(text.len() - start);
            let want = text[start..start + len].iter().skip(1).any(u8::is_ascii_uppercase);
            proptest::prop_assert_eq!(capital_after_first(&text, start, len), want);
        }
    }

    #[test]
    fn empty_sentence() {
        let s = PreparedSentence::new("  ... ");
        assert!(s.is_empty());
        assert!(s.same_words(&PreparedSentence::new("")));
    }
}
