//! Words by Unicode word boundaries (UAX #29), on normalised text, with original spans.
//!
//! Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar)
//! have no usable word boundaries, so each of their characters becomes a token of its
//! own: word k-gram shingles over them are character k-grams.
//!
//! White space followed by combining marks, which UAX #29 keeps together as one word
//! when a mark is alphabetic (`" \u{E31}"`), is not a token.
//!
//! Tokens are grouped into *segments*: a new segment starts after a line break or after
//! sentence-ending punctuation. Segments are the unit of boilerplate detection.

use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64;

use super::normalize::{normalize_into, normalize_text_into, Normalized};
use super::span::Span;
use super::two_byte::{self, CodeSet};

/// The hash of a normalised word: [`Token::hash`], and every table keyed by words.
///
/// A word of at most 16 bytes (all but 2 in 10,000 of the bench corpus's English words;
/// fewer of Cyrillic or Greek words, whose letters take two bytes each) is two 64-bit
/// words, its first eight bytes (zero past its end) and, from nine bytes on, its last
/// eight, mixed by two 64×64→128-bit multiplications folded to 64 bits (as wyhash
/// mixes): a fixed sequence of instructions whatever the length, where xxh3 branches
/// four ways by length, a branch the processor cannot guess from word to word (7.3
/// against 3.1 ns a word, the bench corpus's words in a loop). A longer word is hashed
/// by xxh3. Neither key equals eight bytes of a word (each holds a control
/// byte, which normalised text has none of), so no multiplication is by zero.
pub fn word_hash(word: &[u8]) -> u64 {
    let len = word.len();
    if len == 0 || len > 16 {
        return xxh3_64(word);
    }
    let mut head = [0u8; 8];
    head[..len.min(8)].copy_from_slice(&word[..len.min(8)]);
    let tail = if len > 8 { u64::from_le_bytes(word[len - 8..].try_into().expect("8 bytes")) } else { 0 };
    short_word_hash(u64::from_le_bytes(head), tail, len)
}

/// [`word_hash`] of `bytes[start..end]`, loading eight bytes at a time from `bytes`
/// around the word where they are there.
#[inline(always)]
fn word_hash_in(bytes: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    if len > 0 && len <= 16 && start + 8 <= bytes.len() && end >= 8 {
        let first = u64::from_le_bytes(bytes[start..start + 8].try_into().expect("8 bytes"));
        let last = u64::from_le_bytes(bytes[end - 8..end].try_into().expect("8 bytes"));
        let head = first & (u64::MAX >> (64 - 8 * len.min(8)));
        let tail = if len > 8 { last } else { 0 };
        short_word_hash(head, tail, len)
    } else {
        word_hash(&bytes[start..end])
    }
}

#[inline(always)]
fn short_word_hash(head: u64, tail: u64, len: usize) -> u64 {
    const HEAD_KEY: u64 = 0xa076_1d64_78bd_6403;
    const TAIL_KEY: u64 = 0xe703_7ed1_a0b4_28db;
    const OUT_KEY: u64 = 0x8ebc_6af0_9c88_c6e3;
    fold_mul(fold_mul(head ^ HEAD_KEY, tail ^ TAIL_KEY) ^ len as u64, OUT_KEY)
}

/// The 128-bit product's two halves, xor-ed.
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// One word of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// [`word_hash`] of the normalised word.
    pub hash: u64,
    /// The word's bytes in the original text.
    pub span: Span,
    /// The word's bytes in the normalised text.
    pub norm: Span,
    /// Index of the segment (line or sentence) the word belongs to.
    pub segment: u32,
}

/// Reusable buffers for turning a document into tokens.
#[derive(Debug, Default)]
pub struct Tokenizer {
    normalized: Normalized,
    tokens: Vec<Token>,
    /// Word hashes and segment numbers of the last [`Tokenizer::word_hashes`] or
    /// [`Tokenizer::word_places`]...
    hashes: Vec<u64>,
    segments: Vec<u32>,
    /// ...and the words' places in the normalised text (`word_places` only).
    places: Vec<(u32, u32)>,
    /// Bit masks of the normalised text's bytes, for the word scanner.
    masks: ByteMasks,
}

impl Tokenizer {
    /// A tokenizer with empty buffers.
    pub fn new() -> Tokenizer {
        Tokenizer::default()
    }

    /// Normalises and tokenises `text`; the result stays valid until the next call.
    pub fn tokenize(&mut self, text: &str) -> &[Token] {
        normalize_into(text, &mut self.normalized);
        self.tokens.clear();
        self.masks.compute(self.normalized.as_str());
        words(&self.normalized, &self.masks, &mut TokenSink(&mut self.tokens));
        &self.tokens
    }

    /// The words of `text` as [`Tokenizer::tokenize`] finds them, but only their hashes
    /// and segment numbers (`hashes[i]` and `segments[i]` are `tokenize(text)[i].hash`
    /// and `.segment`): no spans, so no map back to the original bytes is built.
    /// For the document scan, which needs nothing else. Valid until the next call;
    /// [`Tokenizer::tokens`] and [`Tokenizer::normalized`] are not updated.
    pub fn word_hashes(&mut self, text: &str) -> (&[u64], &[u32]) {
        normalize_text_into(text, &mut self.normalized);
        self.hashes.clear();
        self.segments.clear();
        self.masks.compute(self.normalized.as_str());
        words(&self.normalized, &self.masks, &mut HashSink { hashes: &mut self.hashes, segments: &mut self.segments });
        (&self.hashes, &self.segments)
    }

    /// The words of `text` as [`Tokenizer::tokenize`] finds them (see [`Word`]: its
    /// normalised text, hash and segment number), all found before any is read: a pass
    /// over them can ask for the memory of words ahead ([`WordPlaces::hashes`]). Like
    /// [`Tokenizer::word_hashes`], no map back to the original bytes is built, and
    /// [`Tokenizer::tokens`] is not updated. For passes that look at each word's text
    /// but need no spans.
    pub fn word_places(&mut self, text: &str) -> WordPlaces<'_> {
        normalize_text_into(text, &mut self.normalized);
        self.hashes.clear();
        self.segments.clear();
        self.places.clear();
        self.masks.compute(self.normalized.as_str());
        let mut sink = PlaceSink { hashes: &mut self.hashes, segments: &mut self.segments, places: &mut self.places };
        words(&self.normalized, &self.masks, &mut sink);
        WordPlaces {
            norm: self.normalized.as_str(),
            hashes: &self.hashes,
            segments: &self.segments,
            places: &self.places,
        }
    }

    /// The tokens as UAX #29 gives them on the whole normalised text (no ASCII
    /// stretches taken apart): what [`Tokenizer::tokenize`] must equal. For tests.
    #[doc(hidden)]
    pub fn tokenize_whole(&mut self, text: &str) -> &[Token] {
        normalize_into(text, &mut self.normalized);
        self.tokens.clear();
        self.masks.compute(self.normalized.as_str());
        let mut sink = TokenSink(&mut self.tokens);
        let mut words = Words::new(&self.normalized, &self.masks, &mut sink);
        words.unicode(0, self.normalized.as_str().len());
        &self.tokens
    }

    /// The normalised text of the last document tokenised.
    pub fn normalized(&self) -> &str {
        self.normalized.as_str()
    }

    /// Maps a range of the last normalised text to the original text.
    pub fn original_span(&self, norm_start: usize, norm_end: usize) -> Span {
        self.normalized.original_span(norm_start, norm_end)
    }

    /// The tokens of the last document tokenised.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }
}

/// Appends the words of normalised text to `tokens`.
///
/// Word boundaries are those of UAX #29 as `unicode-segmentation` finds them. Stretches
/// of ASCII, and of the letters UAX #29 treats as ASCII letters ([`alphabet_letters`]),
/// take a fast path: they are split in one pass over the bytes, with the rules UAX #29
/// has for ASCII (below). Text is cut into stretches only between an ASCII
/// white-space byte and an ASCII byte that is not white space or a letter of the fast
/// path ([`is_cut`]), where UAX #29 always has a boundary and no rule looks across it,
/// so the words are the same as over the whole text (the tests compare both, token for
/// token).
fn words(norm: &Normalized, masks: &ByteMasks, sink: &mut impl Sink) {
    let bytes = norm.as_str().as_bytes();
    let len = bytes.len();
    let mut words = Words::new(norm, masks, sink);
    let mut pos = 0;
    while pos < len {
        let k = next_bit(masks.complex(), pos, len, false);
        if k >= len {
            words.ascii(pos, len);
            break;
        }
        // The stretch around the non-ASCII byte at k starts after the last cut before it
        // and ends at the first cut after it.
        let start = (pos..k).rev().find(|&p| p > pos && is_cut(bytes, &masks.letter, p)).unwrap_or(pos);
        let end = (k + 1..len).find(|&p| is_cut(bytes, &masks.letter, p)).unwrap_or(len);
        words.ascii(pos, start);
        words.unicode(start, end);
        pos = end;
    }
}

/// The letters of the alphabets whose characters take two bytes in UTF-8 (U+00C0 to
/// U+07FF: Latin-1 to Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, N'Ko) that
/// UAX #29 splits words around as it does around ASCII letters (ALetter or
/// Hebrew_Letter, not a mark), the fast path
/// takes text in those alphabets too, but for a Hebrew letter before a quotation mark
/// ([`HEBREW_CODES`]). A test checks each one in the texts where the rules for letters
/// apply.
fn alphabet_letters() -> &'static CodeSet {
    static LETTERS: std::sync::OnceLock<CodeSet> = std::sync::OnceLock::new();
    LETTERS.get_or_init(|| {
        CodeSet::of(|c| {
            ALPHABET_LETTERS.contains(&(c as usize))
                && c.is_alphabetic()
                && !unicode_normalization::char::is_combining_mark(c)
        })
    })
}

/// Whether `c` is one of [`alphabet_letters`]' letters.
#[cfg(test)]
fn is_alphabet_letter(c: char) -> bool {
    let u = c as usize;
    ALPHABET_LETTERS.contains(&u) && alphabet_letters().contains(u)
}

/// Where [`alphabet_letters`]' letters are: every two-byte character from U+00C0.
const ALPHABET_LETTERS: std::ops::RangeInclusive<usize> = 0xC0..=0x7FF;

/// The Hebrew block. Its letters are Hebrew_Letter in UAX #29, which splits words
/// around them as around ASCII letters but where a quotation mark follows one: `'` then
/// always joins the letter (WB7a), `"` joins two Hebrew letters (WB7b, WB7c). Such a
/// letter is left to the general path.
const HEBREW_CODES: std::ops::RangeInclusive<usize> = 0x590..=0x5FF;

/// Whether `unicode-segmentation` counts `c` as a letter or digit: a segment holding one
/// is a word of `unicode_word_indices`. Asked of the crate itself (a text of `c` alone
/// has a word) once for each character of the Basic Multilingual Plane, in blocks of
/// 64 as they are met.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    static BLOCKS: [std::sync::OnceLock<u64>; 0x10000 / 64] = [const { std::sync::OnceLock::new() }; 0x10000 / 64];
    let asked = |c: char| c.encode_utf8(&mut [0; 4]).unicode_words().next().is_some();
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let u = c as usize;
    let Some(block) = BLOCKS.get(u / 64) else { return asked(c) };
    let bits = block.get_or_init(|| {
        (0..64).filter(|k| char::from_u32((u / 64 * 64 + k) as u32).is_some_and(asked)).fold(0, |m, k| m | 1 << k)
    });
    bits >> (u % 64) & 1 == 1
}

/// A stretch of normalised text may be cut at `p`: after ASCII white space, and before
/// either an ASCII byte that is not white space or a letter the fast path takes
/// (`letter`: the letters' bits of [`ByteMasks`]). White space joins white space (WB3,
/// WB3d) and a combining mark after it joins it (WB4); no rule joins a letter or an
/// ASCII character to the white space before it. In text of other alphabets most words
/// follow a space.
#[inline]
fn is_cut(bytes: &[u8], letter: &[u64], p: usize) -> bool {
    let ws = |b: u8| matches!(b, b' ' | b'\n' | b'\t' | b'\r' | 0x0B | 0x0C);
    let b = bytes[p];
    let starts_a_letter = || b >= 0xC0 && letter[p >> 6] >> (p & 63) & 1 == 1;
    ws(bytes[p - 1]) && (if b < 0x80 { !ws(b) } else { starts_a_letter() })
}

/// Where [`Words`] puts the words it finds.
trait Sink {
    /// Takes the word at `start..end` of the normalised text, with its hash and segment.
    fn push(&mut self, norm: &Normalized, start: usize, end: usize, hash: u64, segment: u32);
}

/// Whole tokens, with their spans.
struct TokenSink<'t>(&'t mut Vec<Token>);

impl Sink for TokenSink<'_> {
    #[inline]
    fn push(&mut self, norm: &Normalized, start: usize, end: usize, hash: u64, segment: u32) {
        self.0.push(Token {
            hash,
            span: norm.original_span(start, end),
            norm: Span::new(start as u32, end as u32),
            segment,
        });
    }
}

/// Hashes and segment numbers only.
struct HashSink<'t> {
    hashes: &'t mut Vec<u64>,
    segments: &'t mut Vec<u32>,
}

impl Sink for HashSink<'_> {
    #[inline]
    fn push(&mut self, _: &Normalized, _: usize, _: usize, hash: u64, segment: u32) {
        self.hashes.push(hash);
        self.segments.push(segment);
    }
}

/// One word, as [`WordPlaces::word`] gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word<'a> {
    /// The normalised word: `&normalized()[t.norm.range()]` of token `t` of
    /// [`Tokenizer::tokenize`].
    pub text: &'a str,
    /// The word's first eight bytes, little-endian, zero past its end (a word has no
    /// zero byte): short words compared and tested a word at a time.
    pub head: u64,
    /// The token's hash.
    pub hash: u64,
    /// The token's segment number.
    pub segment: u32,
}

impl<'a> Word<'a> {
    /// The word at `start..end` of the normalised text `norm`, with its hash and segment.
    #[inline(always)]
    pub(crate) fn new(norm: &'a str, start: usize, end: usize, hash: u64, segment: u32) -> Word<'a> {
        let bytes = norm.as_bytes();
        let head = match bytes.get(start..start + 8) {
            Some(b) => u64::from_le_bytes(b.try_into().expect("8 bytes")),
            None => {
                let mut b = [0u8; 8];
                b[..bytes.len() - start].copy_from_slice(&bytes[start..]);
                u64::from_le_bytes(b)
            }
        };
        let len = end - start;
        let head = if len >= 8 { head } else { head & ((1u64 << (8 * len)) - 1) };
        Word { text: &norm[start..end], head, hash, segment }
    }
}

/// The words of a text, as [`Tokenizer::word_places`] finds them.
#[derive(Clone, Copy, Debug)]
pub struct WordPlaces<'t> {
    norm: &'t str,
    hashes: &'t [u64],
    segments: &'t [u32],
    places: &'t [(u32, u32)],
}

impl<'t> WordPlaces<'t> {
    /// Number of words.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// True when the text has no words.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The words' hashes, in order.
    pub fn hashes(&self) -> &'t [u64] {
        self.hashes
    }

    /// The words' segment numbers, in order.
    pub fn segments(&self) -> &'t [u32] {
        self.segments
    }

    /// Word `i`.
    #[inline(always)]
    pub fn word(&self, i: usize) -> Word<'t> {
        let (start, end) = self.places[i];
        Word::new(self.norm, start as usize, end as usize, self.hashes[i], self.segments[i])
    }
}

/// Hashes, segment numbers and places in the normalised text.
struct PlaceSink<'t> {
    hashes: &'t mut Vec<u64>,
    segments: &'t mut Vec<u32>,
    places: &'t mut Vec<(u32, u32)>,
}

impl Sink for PlaceSink<'_> {
    #[inline]
    fn push(&mut self, _: &Normalized, start: usize, end: usize, hash: u64, segment: u32) {
        self.hashes.push(hash);
        self.segments.push(segment);
        self.places.push((start as u32, end as u32));
    }
}

/// Word finder over one normalised text, keeping segment numbers across stretches.
struct Words<'a, S: Sink> {
    norm: &'a Normalized,
    /// [`ByteMasks`] of the normalised text.
    masks: &'a ByteMasks,
    sink: &'a mut S,
    any: bool,
    segment: u32,
    prev_end: usize,
}

impl<'a, S: Sink> Words<'a, S> {
    fn new(norm: &'a Normalized, masks: &'a ByteMasks, sink: &'a mut S) -> Words<'a, S> {
        Words { norm, masks, sink, any: false, segment: 0, prev_end: 0 }
    }

    #[inline(always)]
    fn push(&mut self, start: usize, end: usize) {
        let s = self.norm.as_str();
        if self.any && self.masks.gap_ends_segment(s.as_bytes(), self.prev_end, start) {
            self.segment += 1;
        }
        self.any = true;
        self.sink.push(self.norm, start, end, word_hash_in(s.as_bytes(), start, end), self.segment);
        self.prev_end = end;
    }

    /// Words of `start..end` by UAX #29 (the general path).
    fn unicode(&mut self, start: usize, end: usize) {
        let s = &self.norm.as_str()[start..end];
        // `unicode_word_indices`, with its test of a letter or digit in each segment
        // looked up (the standard library's tables are searched a character at a time:
        // an eighth of a scan of Devanagari text).
        for (i, word) in s.split_word_bound_indices().filter(|(_, w)| w.chars().any(is_alphanumeric)) {
            let first = word.chars().next().unwrap_or(' ');
            if first.is_whitespace() {
                // White space with combining marks glued to it (WB4: " \u{E31}", or
                // NFKC's " \u{64C}" for an isolated Arabic diacritic): a word to UAX #29
                // when a mark is alphabetic, but no word to a reader.
                continue;
            }
            if is_unspaced_script(first) || word.chars().any(is_unspaced_script) {
                for (j, c) in word.char_indices() {
                    self.push(start + i + j, start + i + j + c.len_utf8());
                }
            } else {
                self.push(start + i, start + i + word.len());
            }
        }
    }

    /// Words of the ASCII stretch `start..end` (its letters may be those of
    /// [`alphabet_letters`]), from the word bits of [`ByteMasks`].
    ///
    /// A word is a run of letters, digits and `_`, joined across one `.` `'` `:` between
    /// two letters (WB6/7) or one `.` `'` `,` `;` between two digits (WB11/12); a run
    /// without a letter or digit (`___`) is not a word.
    fn ascii(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        let bytes = self.norm.as_str().as_bytes();
        let masks = self.masks;
        // Runs of word bits, 64 bytes at a time: a run starts where a bit is set after a
        // clear one and ends (exclusive) where a bit is clear after a set one; a run may
        // go on into the next 64 bytes. The words of bits cover `end` itself (the bits
        // have one word more than the bytes fill), where a run reaching `end` ends.
        let mut open: Option<usize> = None;
        let mut carry = 0u64;
        for w in start >> 6..=end >> 6 {
            let mut m = masks.word[w];
            if w == start >> 6 {
                m &= !0u64 << (start & 63);
            }
            if w == end >> 6 {
                m &= (1u64 << (end & 63)) - 1;
            }
            let before = (m << 1) | carry;
            carry = m >> 63;
            let (mut starts, mut ends) = (m & !before, !m & before);
            loop {
                if open.is_none() {
                    if starts == 0 {
                        break;
                    }
                    open = Some((w << 6) + starts.trailing_zeros() as usize);
                    starts &= starts - 1;
                }
                if ends == 0 {
                    break;
                }
                let word_end = (w << 6) + ends.trailing_zeros() as usize;
                ends &= ends - 1;
                let word_start = open.take().expect("a run is open");
                if bytes[word_start] != b'_' || bytes[word_start..word_end].iter().any(|&b| b != b'_') {
                    self.push(word_start, word_end);
                }
            }
        }
        debug_assert!(open.is_none(), "a run goes past the stretch");
    }
}

/// Bit masks over the bytes of a normalised text, 64 bytes a word (bit `i % 64` of word
/// `i / 64` for byte `i`), with one more word than the bytes fill.
#[derive(Debug, Default)]
struct ByteMasks {
    /// Bytes of ASCII words: letters (with those of [`alphabet_letters`]), digits, `_`, and
    /// the infix characters that join two letters or two digits (see
    /// [`ByteMasks::join_infixes`]).
    word: Vec<u64>,
    /// `\n`, `.`, `!` and `?`: bytes that end a segment when found between two words.
    seg: Vec<u64>,
    /// Bytes of non-ASCII characters.
    high: Vec<u64>,
    /// Bytes of non-ASCII characters but the letters taken as ASCII letters are
    /// ([`alphabet_letters`]): where [`words`] takes the general path. Filled only
    /// when `letters`; [`ByteMasks::complex`] reads it.
    complex: Vec<u64>,
    letters: bool,
    /// Letters, digits, and the bytes that join two letters (`.` `'` `:`) or two
    /// digits (`.` `'` `,` `;`): what [`ByteMasks::join_infixes`] reads.
    letter: Vec<u64>,
    digit: Vec<u64>,
    joins_letters: Vec<u64>,
    joins_digits: Vec<u64>,
}

impl ByteMasks {
    fn compute(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let n = bytes.len() / 64 + 1;
        for v in [
            &mut self.word,
            &mut self.seg,
            &mut self.high,
            &mut self.letter,
            &mut self.digit,
            &mut self.joins_letters,
            &mut self.joins_digits,
        ] {
            v.clear();
            v.reserve(n);
        }
        let full = &bytes[..bytes.len() / 64 * 64];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512bw") {
            // SAFETY: the processor has AVX-512F and AVX-512BW.
            unsafe { self.push_chunks_avx512(full) };
        } else {
            self.push_chunks(full);
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.push_chunks(full);
        // The last word: the rest, padded with zero bytes (in no class).
        let rest = &bytes[full.len()..];
        let mut tail = [0u8; 64];
        tail[..rest.len()].copy_from_slice(rest);
        self.push(masks64(&tail));
        self.mark_letters(text);
        self.join_infixes();
    }

    /// Marks the bytes of each non-ASCII letter [`alphabet_letters`] knows as those of
    /// an ASCII letter are (letter, word), and keeps the other non-ASCII bytes in
    /// `complex` (left empty, and `high` read instead, when there is no such letter).
    fn mark_letters(&mut self, text: &str) {
        self.letters = false;
        let bytes = text.as_bytes();
        let letters = alphabet_letters();
        // A word of bits at a time: the letters starting in it are marked together (the
        // second byte of one starting at its last byte, in the next word).
        let mut carried = 0u64;
        for w in 0..self.high.len() {
            let mut marked = std::mem::take(&mut carried);
            let mut high = self.high[w];
            while high != 0 {
                let bit = high.trailing_zeros() as usize;
                high &= high - 1;
                let pos = 64 * w + bit;
                // The letters are U+00C0 to U+07FF: two bytes, led by 0xC3 to 0xDF (a
                // second byte, 0x80 to 0xBF, leads nothing).
                let lead = bytes[pos];
                if !(0xC3..=0xDF).contains(&lead) {
                    continue;
                }
                let u = two_byte::code(lead, bytes[pos + 1]);
                if !letters.contains(u)
                    || (HEBREW_CODES.contains(&u) && matches!(bytes.get(pos + 2), Some(b'\'' | b'"')))
                {
                    continue;
                }
                marked |= 1 << bit;
                if bit == 63 {
                    carried = 1;
                } else {
                    marked |= 1 << (bit + 1);
                }
            }
            if marked != 0 {
                if !self.letters {
                    self.letters = true;
                    self.complex.clear();
                    self.complex.extend_from_slice(&self.high);
                }
                self.letter[w] |= marked;
                self.word[w] |= marked;
                self.complex[w] &= !marked;
            }
        }
    }

    /// The bytes of non-ASCII characters other than the letters taken as ASCII ones.
    #[inline]
    fn complex(&self) -> &[u64] {
        if self.letters {
            &self.complex
        } else {
            &self.high
        }
    }

    /// Pushes the masks of each 64 bytes of `full` (whole chunks of 64).
    fn push_chunks(&mut self, full: &[u8]) {
        for chunk in full.chunks_exact(64) {
            self.push(masks64(chunk.try_into().expect("64 bytes")));
        }
    }

    /// [`ByteMasks::push_chunks`] with 64 bytes a vector.
    ///
    /// # Safety
    /// The processor must have AVX-512F and AVX-512BW.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw")]
    unsafe fn push_chunks_avx512(&mut self, full: &[u8]) {
        for chunk in full.chunks_exact(64) {
            // SAFETY: the caller's promise.
            self.push(unsafe { masks64_avx512(chunk.try_into().expect("64 bytes")) });
        }
    }

    #[inline]
    fn push(&mut self, m: Masks64) {
        self.word.push(m.core);
        self.seg.push(m.seg);
        self.high.push(m.high);
        self.letter.push(m.letter);
        self.digit.push(m.digit);
        self.joins_letters.push(m.joins_letters);
        self.joins_digits.push(m.joins_digits);
    }

    /// Adds to the word bits each byte that joins its neighbours into one word (WB6/7,
    /// WB11/12 of [`Words::ascii`]): a `.` `'` `:` between two letters, a `.` `'` `,`
    /// `;` between two digits. Sixty-four bytes at a time: a byte's neighbours at the
    /// edges are in the words of bits around it; the text's first byte has none
    /// before it, and the zero bytes after its last are neither letters nor digits.
    fn join_infixes(&mut self) {
        let n = self.word.len();
        let mut before = (0u64, 0u64);
        for w in 0..n {
            let (l, d) = (self.letter[w], self.digit[w]);
            let (l_next, d_next) = if w + 1 < n { (self.letter[w + 1], self.digit[w + 1]) } else { (0, 0) };
            let letters_around = ((l << 1) | before.0) & ((l >> 1) | (l_next << 63));
            let digits_around = ((d << 1) | before.1) & ((d >> 1) | (d_next << 63));
            self.word[w] |= (self.joins_letters[w] & letters_around) | (self.joins_digits[w] & digits_around);
            before = (l >> 63, d >> 63);
        }
    }

    /// Whether the gap `from..to` between two words ends a segment.
    #[inline(always)]
    fn gap_ends_segment(&self, bytes: &[u8], from: usize, to: usize) -> bool {
        if from >= to {
            return false;
        }
        let (first, last) = (from >> 6, (to - 1) >> 6);
        if first == last {
            // The common case: a short gap within one word of bits.
            let m = (!0u64 << (from & 63)) & (!0u64 >> (63 - ((to - 1) & 63)));
            return self.seg[first] & m != 0 || (self.high[first] & m != 0 && gap_ends_segment(&bytes[from..to]));
        }
        any_bit(&self.seg, from, to) || (any_bit(&self.high, from, to) && gap_ends_segment(&bytes[from..to]))
    }
}

/// The classes of 64 bytes, a bit each (see [`ByteMasks`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Masks64 {
    /// ASCII letters (either case), digits and `_`.
    core: u64,
    /// ASCII letters (either case).
    letter: u64,
    /// ASCII digits.
    digit: u64,
    /// `.` `'` `:`, which join two letters.
    joins_letters: u64,
    /// `.` `'` `,` `;`, which join two digits.
    joins_digits: u64,
    /// `\n` `.` `!` `?`.
    seg: u64,
    /// Bytes from 0x80.
    high: u64,
}

/// The [`Masks64`] of 64 bytes.
#[inline]
fn masks64(chunk: &[u8; 64]) -> Masks64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86_64; the loads read 4 × 16 bytes of `chunk`.
        unsafe { masks64_sse2(chunk) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        masks64_scalar(chunk)
    }
}

/// [`masks64`] a byte at a time (other targets; and what the tests compare with).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks64_scalar(chunk: &[u8; 64]) -> Masks64 {
    let mut m = Masks64::default();
    for (j, &b) in chunk.iter().enumerate() {
        let bit = 1u64 << j;
        if b.is_ascii_alphanumeric() || b == b'_' {
            m.core |= bit;
        }
        if b.is_ascii_alphabetic() {
            m.letter |= bit;
        }
        if b.is_ascii_digit() {
            m.digit |= bit;
        }
        if matches!(b, b'.' | b'\'' | b':') {
            m.joins_letters |= bit;
        }
        if matches!(b, b'.' | b'\'' | b',' | b';') {
            m.joins_digits |= bit;
        }
        if matches!(b, b'\n' | b'.' | b'!' | b'?') {
            m.seg |= bit;
        }
        if b >= 0x80 {
            m.high |= bit;
        }
    }
    m
}

#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn masks64_sse2(chunk: &[u8; 64]) -> Masks64 {
    use std::arch::x86_64::*;
    // `lo <= b < lo + n` as a signed comparison after moving `lo` to -128.
    #[inline(always)]
    unsafe fn in_range(v: __m128i, lo: u8, n: u8) -> __m128i {
        let t = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(t, _mm_set1_epi8(0x80u8.wrapping_add(n) as i8))
    }
    #[inline(always)]
    unsafe fn eq(v: __m128i, b: u8) -> __m128i {
        _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8))
    }
    #[inline(always)]
    unsafe fn bits(v: __m128i) -> u64 {
        u64::from(_mm_movemask_epi8(v) as u16)
    }
    let mut m = Masks64::default();
    for q in 0..4 {
        let v = _mm_loadu_si128(chunk.as_ptr().add(q * 16) as *const __m128i);
        let digit = in_range(v, b'0', 10);
        let letter = in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
        let core = _mm_or_si128(_mm_or_si128(digit, letter), eq(v, b'_'));
        let dot = eq(v, b'.');
        let dot_or_quote = _mm_or_si128(dot, eq(v, b'\''));
        let joins_letters = _mm_or_si128(dot_or_quote, eq(v, b':'));
        let joins_digits = _mm_or_si128(dot_or_quote, _mm_or_si128(eq(v, b','), eq(v, b';')));
        let seg = _mm_or_si128(_mm_or_si128(dot, eq(v, b'\n')), _mm_or_si128(eq(v, b'!'), eq(v, b'?')));
        let shift = q * 16;
        m.core |= bits(core) << shift;
        m.letter |= bits(letter) << shift;
        m.digit |= bits(digit) << shift;
        m.joins_letters |= bits(joins_letters) << shift;
        m.joins_digits |= bits(joins_digits) << shift;
        m.seg |= bits(seg) << shift;
        m.high |= bits(v) << shift;
    }
    m
}

/// [`masks64`] with one 64-byte vector: each class's bits come straight out of a
/// comparison.
///
/// # Safety
/// The processor must have AVX-512F and AVX-512BW.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
unsafe fn masks64_avx512(chunk: &[u8; 64]) -> Masks64 {
    use std::arch::x86_64::*;
    // SAFETY: the load reads the 64 bytes of `chunk`, unaligned.
    let v = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) };
    macro_rules! eq {
        ($b:expr) => {
            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8($b as i8))
        };
    }
    // `lo <= b < lo + n` as an unsigned comparison of `b - lo` with `n`.
    macro_rules! in_range {
        ($x:expr, $lo:expr, $n:expr) => {
            _mm512_cmplt_epu8_mask(_mm512_sub_epi8($x, _mm512_set1_epi8($lo as i8)), _mm512_set1_epi8($n as i8))
        };
    }
    let digit = in_range!(v, b'0', 10);
    let letter = in_range!(_mm512_or_si512(v, _mm512_set1_epi8(0x20)), b'a', 26);
    let dot = eq!(b'.');
    let dot_or_quote = dot | eq!(b'\'');
    Masks64 {
        core: digit | letter | eq!(b'_'),
        letter,
        digit,
        joins_letters: dot_or_quote | eq!(b':'),
        joins_digits: dot_or_quote | eq!(b',') | eq!(b';'),
        seg: dot | eq!(b'\n') | eq!(b'!') | eq!(b'?'),
        high: _mm512_movepi8_mask(v),
    }
}

/// The first position at or after `from` whose bit in `bits` is set (`clear`: not set),
/// or `end` or more when there is none before `end`.
#[inline]
fn next_bit(bits: &[u64], from: usize, end: usize, clear: bool) -> usize {
    let flip = if clear { !0 } else { 0 };
    let mut w = from >> 6;
    let mut m = (bits[w] ^ flip) & (!0u64 << (from & 63));
    loop {
        if m != 0 {
            return (w << 6) + m.trailing_zeros() as usize;
        }
        w += 1;
        if w << 6 >= end {
            return end;
        }
        m = bits[w] ^ flip;
    }
}

/// Whether any bit of `from..to` (non-empty) is set in `bits`.
#[inline]
fn any_bit(bits: &[u64], from: usize, to: usize) -> bool {
    let (first, last) = (from >> 6, (to - 1) >> 6);
    let head = !0u64 << (from & 63);
    let tail = !0u64 >> (63 - ((to - 1) & 63));
    if first == last {
        return bits[first] & head & tail != 0;
    }
    bits[first] & head != 0 || bits[first + 1..last].iter().any(|&w| w != 0) || bits[last] & tail != 0
}

/// Whether the text between two words (whole characters) ends a segment.
#[inline]
fn gap_ends_segment(gap: &[u8]) -> bool {
    let mut non_ascii = false;
    for &b in gap {
        if matches!(b, b'\n' | b'.' | b'!' | b'?') {
            return true;
        }
        non_ascii |= b >= 0x80;
    }
    // U+3002, U+FF01, U+FF1F (ideographic full stop, full-width ! and ?).
    non_ascii && gap.windows(3).any(|w| matches!(w, [0xE3, 0x80, 0x82] | [0xEF, 0xBC, 0x81] | [0xEF, 0xBC, 0x9F]))
}

/// Scripts whose words are not separated by spaces.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF     // Thai, Lao
        | 0x1000..=0x109F   // Myanmar
        | 0x1780..=0x17FF   // Khmer
        | 0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0x20000..=0x3FFFF // CJK extensions B and later
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<String> {
        let mut t = Tokenizer::new();
        t.tokenize(text).iter().map(|tok| text[tok.span.range()].to_string()).collect()
    }

    #[test]
    fn words_keep_apostrophes_and_numbers() {
        assert_eq!(words("Iran\u{2019}s 1,200 people; U.S. aid."), ["Iran\u{2019}s", "1,200", "people", "U.S", "aid"]);
    }

    #[test]
    fn unspaced_scripts_become_characters() {
        assert_eq!(words("東京は晴れ"), ["東", "京", "は", "晴", "れ"]);
    }

    #[test]
    fn white_space_with_marks_is_no_word() {
        assert!(words(" \u{E31}").is_empty());
        assert!(words("\u{FE72}").is_empty(), "NFKC: space and dammatan");
        assert_eq!(words("\u{E01}\u{E32} \u{E31}\u{E34} x"), ["\u{E01}", "\u{E32}", "x"]);
    }

    #[test]
    fn non_english_words() {
        assert_eq!(words("Москва — столица"), ["Москва", "столица"]);
        assert_eq!(words("Ἀθῆναι café"), ["Ἀθῆναι", "café"]);
    }

    #[test]
    fn segments_break_at_lines_and_sentences() {
        let mut t = Tokenizer::new();
        let segs: Vec<u32> = t.tokenize("One two. Three\nfour five").iter().map(|tok| tok.segment).collect();
        assert_eq!(segs, [0, 0, 1, 2, 2]);
    }

    #[test]
    fn equal_words_hash_equal_across_forms() {
        let mut t = Tokenizer::new();
        let a: Vec<u64> = t.tokenize("IRAN\u{2019}S").iter().map(|x| x.hash).collect();
        let b: Vec<u64> = t.tokenize("iran's").iter().map(|x| x.hash).collect();
        assert_eq!(a, b);
    }

    /// Tokens from [`Tokenizer::tokenize`] and from UAX #29 over the whole text. UAX #29
    /// runs on text made non-ASCII by a trailing " \u{A9}" (a symbol, never part of a word)
    /// so that `unicode-segmentation` takes its general path, not its ASCII one.
    fn both_paths(text: &str) -> (Vec<Token>, Vec<Token>) {
        let mut t = Tokenizer::new();
        let fast = t.tokenize(text).to_vec();
        let general = t.tokenize_whole(&format!("{text} \u{A9}")).to_vec();
        (fast, general)
    }

    #[test]
    fn letters_and_digits_are_looked_up_as_unicode_segmentation_counts_them() {
        let mut letters = 0;
        for c in (0..0x20000).filter_map(char::from_u32) {
            let want = c.encode_utf8(&mut [0; 4]).unicode_words().next().is_some();
            assert_eq!(is_alphanumeric(c), want, "{c:?}");
            letters += usize::from(want);
        }
        assert!(letters > 70_000, "{letters}");
    }

    #[test]
    fn letters_across_words_of_bits_leave_nothing_to_the_general_path() {
        // A letter whose first byte ends a 64-byte word of bits has its second byte
        // marked in the next word: text of fast-path letters, shifted across a word
        // boundary, has no byte left for the general path.
        for pad in 0..64 {
            let text = format!("{}{}", "a".repeat(pad), "\u{628}\u{62A}\u{5D0} \u{436}\u{E9}".repeat(12));
            let mut masks = ByteMasks::default();
            masks.compute(&text);
            assert!(masks.complex().iter().all(|&w| w == 0), "{pad}");
        }
    }

    #[test]
    fn alphabet_letters_split_as_unicode_segmentation_splits_them() {
        // Each letter the fast path takes as an ASCII letter, in texts where the rules
        // for letters (WB5 to WB13b) apply, against UAX #29 over the whole text.
        let contexts = [
            "{c}",
            "a{c}b",
            "{c}.{c}",
            "{c}'{c}",
            "{c}:{c}",
            "1{c}2",
            "{c}1",
            "1.{c}",
            "{c}.1",
            "{c},{c}",
            "{c};{c}",
            "_{c}_",
            "x {c} y",
            "{c}{c}{c}",
            "{c}\u{301}x",
            "{c}\"{c}",
            "{c}\u{2019}{c}",
            "a.{c}",
            "{c}.a",
            "{c}\u{b7}{c}",
            "{c}_1",
            "{c} \u{4E00}",
            "{c}\u{5D0}",
            "\u{5D0}'{c}",
            "{c}\u{30A2}",
            "{c}\u{200D}{c}",
            "{c}\u{AD}{c}",
            "{c}\u{60C}{c}",
            "{c}\u{200C}{c}",
            "{c}\u{661}",
            "\u{661}{c}",
            "{c}\u{64E}{c}",
            "{c}\u{61C}{c}",
            "{c}' x",
            "x{c}\"",
            "{c}\"a",
            "a\"{c}",
        ];
        let mut t = Tokenizer::new();
        let mut checked = 0;
        for c in (0xC0..0x800).filter_map(char::from_u32).filter(|&c| is_alphabet_letter(c)) {
            checked += 1;
            for context in contexts {
                let text = context.replace("{c}", &c.to_string());
                let fast = t.tokenize(&text).to_vec();
                let whole = t.tokenize_whole(&text).to_vec();
                assert_eq!(fast, whole, "{c:?} in {text:?}");
            }
        }
        // Latin-1 to Cyrillic had 1,006; Armenian, Hebrew, Arabic, Syriac, Thaana and
        // N'Ko add their letters.
        assert!(checked > 1300, "{checked}");
    }

    #[test]
    fn ascii_path_edge_cases_agree_with_general_path() {
        for text in [
            "e.g. U.S. 3.14 1,000,000 1;2 a:b a::b ab. .ab 1.a a.1 a'b 1'2 __ _a a_ a_.b 1_,2",
            "http://x.y/z?q=1&r=2 \"4321,\" 70th 3.- end...\r\nnext!  line\n\nwhy? yes",
            "Asia \u{2022} 5 min read\nCaf\u{e9} na\u{ef}ve, \u{a9} 2024. Men\u{b7}tion a\u{b7}b",
            "",
            " ",
            "_",
            "a",
            ".",
            "a.",
            "'a'",
            "x.'y",
            "1..2",
            "1,,2",
            "a''b",
        ] {
            let (fast, general) = both_paths(text);
            assert_eq!(fast, general, "{text:?}");
        }
    }

    /// Spans are on character boundaries, never go backwards, and no token is white
    /// space, or white space with the marks attached to it.
    fn check_token_spans(s: &str) -> Result<(), TestCaseError> {
        let mut t = Tokenizer::new();
        let toks = t.tokenize(s).to_vec();
        // Starts and ends never go backwards. Two tokens may share one original
        // unit when normalisation expands it (NFKC turns one fraction character
        // into "1/4"), so consecutive spans may touch the same bytes.
        let mut last = Span::default();
        for tok in toks {
            prop_assert!(s.is_char_boundary(tok.span.start as usize));
            prop_assert!(s.is_char_boundary(tok.span.end as usize));
            prop_assert!(tok.span.start >= last.start && tok.span.end >= last.end);
            prop_assert!(!s[tok.span.range()].trim().is_empty());
            let word = &t.normalized()[tok.norm.range()];
            prop_assert!(!word.starts_with(char::is_whitespace), "token {:?}", word);
            last = tok.span;
        }
        Ok(())
    }

    /// [`Tokenizer::word_hashes`] against the hashes and segments of [`Tokenizer::tokenize`].
    fn check_word_hashes(s: &str) -> Result<(), TestCaseError> {
        let mut t = Tokenizer::new();
        let tokens = t.tokenize(s).to_vec();
        let (hashes, segments) = t.word_hashes(s);
        prop_assert_eq!(hashes, tokens.iter().map(|x| x.hash).collect::<Vec<_>>());
        prop_assert_eq!(segments, tokens.iter().map(|x| x.segment).collect::<Vec<_>>());
        Ok(())
    }

    /// [`Tokenizer::word_places`] against the words, hashes and segments of
    /// [`Tokenizer::tokenize`].
    fn check_word_places(s: &str) -> Result<(), TestCaseError> {
        let mut t = Tokenizer::new();
        let tokens: Vec<(String, u64, u64, u32)> = t
            .tokenize(s)
            .to_vec()
            .iter()
            .map(|x| {
                let word = &t.normalized()[x.norm.range()];
                let mut head = [0u8; 8];
                let n = word.len().min(8);
                head[..n].copy_from_slice(&word.as_bytes()[..n]);
                (word.to_string(), u64::from_le_bytes(head), x.hash, x.segment)
            })
            .collect();
        let words = t.word_places(s);
        let got: Vec<_> =
            (0..words.len()).map(|i| words.word(i)).map(|w| (w.text.to_string(), w.head, w.hash, w.segment)).collect();
        prop_assert_eq!(got, tokens);
        Ok(())
    }

    #[test]
    fn word_hashes_edge_cases() {
        let long = "Word ".repeat(40) + "x.y 1,2 a'b. Next?\nLine!";
        for text in [
            "",
            " ",
            "a",
            "Iran\u{2019}s 1,200 people; U.S. aid.",
            "e.g. U.S. 3.14 1,000,000 1;2 a:b a::b ab. .ab 1.a a.1 a'b 1'2 __ _a a_ a_.b 1_,2",
            "\u{2026} caf\u{e9} \u{2026}\u{2026}. Tr\u{e8}s \u{3002}\u{5927}\u{5B66}\u{FF01} x",
            "東京は晴れ。明日も",
            long.as_str(),
        ] {
            check_word_hashes(text).unwrap();
            check_word_places(text).unwrap();
        }
    }

    #[test]
    fn word_hashes_differ_for_different_words_of_every_length() {
        // Every word of up to 3 letters of a 27-letter alphabet, and each padded to 8,
        // 9, 15, 16 and 17 bytes with its letters at the start or the end: words that
        // differ in one byte, in their length only, or at either 8-byte load.
        let letters: Vec<u8> = (b'a'..=b'z').chain([b'_']).collect();
        let mut stems: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..3 {
            let longer: Vec<Vec<u8>> =
                stems.iter().flat_map(|s| letters.iter().map(move |&c| [s.as_slice(), &[c]].concat())).collect();
            stems.extend(longer);
        }
        stems.sort();
        stems.dedup();
        let mut words: Vec<Vec<u8>> = Vec::new();
        for stem in stems.iter().filter(|s| !s.is_empty()) {
            words.push(stem.clone());
            for len in [8, 9, 15, 16, 17] {
                let pad = vec![b'x'; len - stem.len()];
                words.push([stem.as_slice(), &pad].concat());
                words.push([pad.as_slice(), stem].concat());
            }
        }
        words.sort();
        words.dedup();
        let mut hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
        // Every bit of the hash is set about half the time (the tables keyed by word
        // read low bits, the stop-word table high ones).
        for bit in 0..64 {
            let ones = hashes.iter().filter(|&&h| h >> bit & 1 == 1).count() as f64 / hashes.len() as f64;
            assert!((ones - 0.5).abs() < 0.01, "bit {bit}: {ones}");
        }
    }

    proptest! {
        /// The tokenizer's in-place hash is `word_hash` of the word, wherever the word
        /// lies in its text (at the start, at the end, with fewer than eight bytes on
        /// either side) and whatever its length (either side of 8 and 16 bytes).
        #[test]
        fn word_hash_in_place_equals_word_hash(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
            cut in any::<(usize, usize)>(),
        ) {
            let (a, b) = (cut.0 % (bytes.len() + 1), cut.1 % (bytes.len() + 1));
            let (start, end) = (a.min(b), a.max(b));
            prop_assert_eq!(word_hash_in(&bytes, start, end), word_hash(&bytes[start..end]));
        }

        /// The word bits of a text, infixes joined 64 bytes at a time, against the
        /// rule applied a byte at a time, with infixes at the edges of 64-byte words.
        #[test]
        fn infixes_join_as_byte_by_byte(s in "[a-c0-2.,;:' _\n]{0,200}") {
            let bytes = s.as_bytes();
            let mut masks = ByteMasks::default();
            masks.compute(&s);
            let is_infix = |b: u8, prev: u8, next: u8| match b {
                b'.' | b'\'' => {
                    (prev.is_ascii_digit() && next.is_ascii_digit())
                        || (prev.is_ascii_alphabetic() && next.is_ascii_alphabetic())
                }
                b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
                b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
                _ => false,
            };
            for (i, &b) in bytes.iter().enumerate() {
                let joined = i > 0 && i + 1 < bytes.len() && is_infix(b, bytes[i - 1], bytes[i + 1]);
                let want = b.is_ascii_alphanumeric() || b == b'_' || joined;
                prop_assert_eq!(masks.word[i / 64] >> (i % 64) & 1 == 1, want, "byte {} of {:?}", i, s);
            }
        }

        #[test]
        fn masks_agree_with_the_scalar_masks(bytes in proptest::collection::vec(any::<u8>(), 64)) {
            let chunk: &[u8; 64] = bytes.as_slice().try_into().unwrap();
            prop_assert_eq!(masks64(chunk), masks64_scalar(chunk));
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512bw") {
                // SAFETY: the processor has AVX-512F and AVX-512BW.
                prop_assert_eq!(unsafe { masks64_avx512(chunk) }, masks64_scalar(chunk));
            }
        }

        /// Long words and long gaps, so that words and gaps cross 64-byte words of bits.
        #[test]
        fn ascii_runs_across_mask_words_agree_with_general_path(
            parts in proptest::collection::vec(("[a-c0-1_]{0,70}", "[ .,'\n]{1,70}"), 0..8)
        ) {
            let s: String = parts.iter().map(|(w, g)| format!("{w}{g}")).collect();
            let (fast, general) = both_paths(&s);
            prop_assert_eq!(fast, general);
        }

        #[test]
        fn word_hashes_agree_with_tokens_on_ascii(s in "[a-cA-C0-2_.,;:'`\"!? \t\r\n\x0b\x0c\x7f-]{0,200}") {
            check_word_hashes(&s)?;
        }

        #[test]
        fn word_hashes_agree_with_tokens_on_latin_text(
            s in "[a-cA-C0-2_.,;:' \n\u{2019}\u{201C}\u{2014}\u{2026}\u{00A0}\u{00AD}\u{FF21}\u{e9}\u{b7}\u{301}\u{4E00}\u{3002}\u{FF01}]{0,150}"
        ) {
            check_word_hashes(&s)?;
        }

        #[test]
        fn word_hashes_agree_with_tokens(s in "\\PC{0,100}") {
            check_word_hashes(&s)?;
        }

        #[test]
        fn word_places_agree_with_tokens_on_ascii(s in "[a-cA-C0-2_.,;:'`\"!? \t\r\n\x0b\x0c\x7f-]{0,200}") {
            check_word_places(&s)?;
        }

        #[test]
        fn word_places_agree_with_tokens_on_latin_text(
            s in "[a-cA-C0-2_.,;:' \n\u{2019}\u{201C}\u{2014}\u{2026}\u{00A0}\u{00AD}\u{FF21}\u{e9}\u{b7}\u{301}\u{4E00}\u{3002}\u{FF01}\u{2163}\u{FB01}\u{DF}]{0,150}"
        ) {
            check_word_places(&s)?;
        }

        #[test]
        fn word_places_agree_with_tokens(s in "\\PC{0,100}") {
            check_word_places(&s)?;
        }

        #[test]
        fn ascii_path_agrees_with_general_path(s in "[a-cA-C0-2_.,;:'\"!? \t\r\n\x0b\x0c`~-]{0,80}") {
            let (fast, general) = both_paths(&s);
            prop_assert_eq!(fast, general);
        }

        #[test]
        fn stretches_agree_with_whole_text_on_latin_text(
            s in "[a-cA-C0-2_.,;:' \n\u{2019}\u{201C}\u{2014}\u{2026}\u{00A0}\u{00AD}\u{FF21}\u{e9}\u{b7}\u{2022}\u{a9}\u{301}\u{200D}\u{1F1E6}\u{5D0}\u{30A2}\u{4E00}\u{3002}]{0,60}"
        ) {
            let mut t = Tokenizer::new();
            let fast = t.tokenize(&s).to_vec();
            let whole = t.tokenize_whole(&s).to_vec();
            prop_assert_eq!(fast, whole);
        }

        /// Letters of the fast path's alphabets among ASCII, long enough to cross
        /// 64-byte words of bits inside a character.
        #[test]
        fn stretches_agree_with_whole_text_on_other_alphabets(
            s in "[a-c0-2_.,;:' \n\u{e9}\u{df}\u{119}\u{142}\u{3b1}\u{3c2}\u{436}\u{44f}\u{4e9}\u{301}\u{5D0}\u{2019}\u{628}\u{6CC}\u{64E}\u{60C}\u{661}\u{200C}\u{561}\u{5E9}\u{5DC}\u{5BC}\u{5F3}\"]{0,120}"
        ) {
            let mut t = Tokenizer::new();
            let fast = t.tokenize(&s).to_vec();
            let whole = t.tokenize_whole(&s).to_vec();
            let want: Vec<u64> = fast.iter().map(|tok| tok.hash).collect();
            prop_assert_eq!(fast, whole);
            prop_assert_eq!(t.word_hashes(&s).0.to_vec(), want);
        }

        #[test]
        fn stretches_agree_with_whole_text(s in "\\PC{0,60}") {
            let mut t = Tokenizer::new();
            let fast = t.tokenize(&s).to_vec();
            let whole = t.tokenize_whole(&s).to_vec();
            prop_assert_eq!(fast, whole);
        }

        #[test]
        fn token_spans_slice_the_original(s in "\\PC{0,60}") {
            check_token_spans(&s)?;
        }

        /// White space followed by combining marks (which UAX #29 glues to it, WB4).
        #[test]
        fn token_spans_slice_the_original_near_marks(
            s in "[ \t\na\u{E01}\u{E31}\u{E34}-\u{E3A}\u{E47}-\u{E4E}\u{64C}\u{301}\u{FE72}]{0,24}"
        ) {
            check_token_spans(&s)?;
        }
    }
}
