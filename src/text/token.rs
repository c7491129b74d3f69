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

use super::normalize::{normalize_into, Normalized};
use super::span::Span;

/// One word of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// xxh3 of the normalised word.
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
        words(&self.normalized, &mut self.tokens);
        &self.tokens
    }

    /// The tokens as UAX #29 gives them on the whole normalised text (no ASCII
    /// stretches taken apart): what [`Tokenizer::tokenize`] must equal. For tests.
    #[doc(hidden)]
    pub fn tokenize_whole(&mut self, text: &str) -> &[Token] {
        normalize_into(text, &mut self.normalized);
        self.tokens.clear();
        let mut words = Words::new(&self.normalized, &mut self.tokens);
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
/// of ASCII take a fast path: they are split in one pass over the bytes, with the rules
/// UAX #29 has for ASCII (below). Text is cut into stretches only between an ASCII
/// white-space byte and an ASCII byte that is not white space, where UAX #29 always has
/// a boundary and no rule looks across it, so the words are the same as over the whole text (the tests
/// compare both, token for token).
fn words(norm: &Normalized, tokens: &mut Vec<Token>) {
    let bytes = norm.as_str().as_bytes();
    let len = bytes.len();
    let mut words = Words::new(norm, tokens);
    let mut pos = 0;
    while pos < len {
        let Some(k) = bytes[pos..].iter().position(|&b| b >= 0x80).map(|k| pos + k) else {
            words.ascii(pos, len);
            break;
        };
        // The stretch around the non-ASCII byte at k starts after the last cut before it
        // and ends at the first cut after it.
        let start = (pos..k).rev().find(|&p| p > pos && is_cut(bytes, p)).unwrap_or(pos);
        let end = (k + 1..len).find(|&p| is_cut(bytes, p)).unwrap_or(len);
        words.ascii(pos, start);
        words.unicode(start, end);
        pos = end;
    }
}

/// A stretch of normalised text may be cut at `p`: after ASCII white space, before an
/// ASCII byte that is not white space (white space joins white space, WB3 and WB3d, and a
/// combining mark after it joins it, WB4).
#[inline]
fn is_cut(bytes: &[u8], p: usize) -> bool {
    let ws = |b: u8| matches!(b, b' ' | b'\n' | b'\t' | b'\r' | 0x0B | 0x0C);
    bytes[p] < 0x80 && !ws(bytes[p]) && ws(bytes[p - 1])
}

/// Word finder over one normalised text, keeping segment numbers across stretches.
struct Words<'a> {
    norm: &'a Normalized,
    tokens: &'a mut Vec<Token>,
    segment: u32,
    prev_end: usize,
}

impl<'a> Words<'a> {
    fn new(norm: &'a Normalized, tokens: &'a mut Vec<Token>) -> Words<'a> {
        Words { norm, tokens, segment: 0, prev_end: 0 }
    }

    #[inline]
    fn push(&mut self, start: usize, end: usize) {
        let s = self.norm.as_str();
        if !self.tokens.is_empty() && gap_ends_segment(&s[self.prev_end..start]) {
            self.segment += 1;
        }
        self.tokens.push(Token {
            hash: xxh3_64(&s.as_bytes()[start..end]),
            span: self.norm.original_span(start, end),
            norm: Span::new(start as u32, end as u32),
            segment: self.segment,
        });
        self.prev_end = end;
    }

    /// Words of `start..end` by UAX #29 (the general path).
    fn unicode(&mut self, start: usize, end: usize) {
        let s = &self.norm.as_str()[start..end];
        for (i, word) in s.unicode_word_indices() {
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

    /// Words of the ASCII stretch `start..end`, in one pass over the bytes.
    ///
    /// A word is a run of letters, digits and `_`, joined across one `.` `'` `:` between
    /// two letters (WB6/7) or one `.` `'` `,` `;` between two digits (WB11/12); a run
    /// without a letter or digit (`___`) is not a word.
    fn ascii(&mut self, start: usize, end: usize) {
        let bytes = &self.norm.as_str().as_bytes()[..end];
        let mut i = start;
        while i < end {
            if CLASS[bytes[i] as usize] & CORE == 0 {
                i += 1;
                continue;
            }
            let word_start = i;
            let mut alnum = bytes[i] != b'_';
            i += 1;
            while i < end {
                let b = bytes[i];
                if CLASS[b as usize] & CORE != 0 {
                    alnum |= b != b'_';
                    i += 1;
                } else if i + 1 < end && is_infix(b, bytes[i - 1], bytes[i + 1]) {
                    i += 1;
                } else {
                    break;
                }
            }
            if alnum {
                self.push(word_start, i);
            }
        }
    }
}

const CORE: u8 = 1;

/// Byte classes of the ASCII word scanner: letters, digits and `_` are [`CORE`].
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            t[b] = CORE;
        }
        b += 1;
    }
    t
};

/// Whether `b` joins its neighbours `prev` and `next` into one word (see [`ascii_words`]).
#[inline]
fn is_infix(b: u8, prev: u8, next: u8) -> bool {
    match b {
        b'.' | b'\'' => {
            (prev.is_ascii_digit() && next.is_ascii_digit())
                || (prev.is_ascii_alphabetic() && next.is_ascii_alphabetic())
        }
        b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
        b':' => prev.is_ascii_alphabetic() && next.is_ascii_alphabetic(),
        _ => false,
    }
}

#[inline]
fn gap_ends_segment(gap: &str) -> bool {
    gap.bytes().any(|b| matches!(b, b'\n' | b'.' | b'!' | b'?'))
        || (!gap.is_ascii() && gap.chars().any(|c| matches!(c, '\u{3002}' | '\u{FF01}' | '\u{FF1F}')))
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

    proptest! {
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
