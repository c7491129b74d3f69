//! Words by Unicode word boundaries (UAX #29), on normalised text, with original spans.
//!
//! Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar)
//! have no usable word boundaries, so each of their characters becomes a token of its
//! own: word k-gram shingles over them are character k-grams.
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
        let norm = &self.normalized;
        let s = norm.as_str();
        let mut segment = 0u32;
        let mut prev_end = 0usize;
        let mut push = |tokens: &mut Vec<Token>, start: usize, word: &str| {
            if !tokens.is_empty() && gap_ends_segment(&s[prev_end..start]) {
                segment += 1;
            }
            let end = start + word.len();
            tokens.push(Token {
                hash: xxh3_64(word.as_bytes()),
                span: norm.original_span(start, end),
                norm: Span::new(start as u32, end as u32),
                segment,
            });
            prev_end = end;
        };
        for (start, word) in s.unicode_word_indices() {
            let first = word.chars().next().unwrap_or(' ');
            if is_unspaced_script(first) || word.chars().any(is_unspaced_script) {
                for (i, c) in word.char_indices() {
                    push(&mut self.tokens, start + i, &word[i..i + c.len_utf8()]);
                }
            } else {
                push(&mut self.tokens, start, word);
            }
        }
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

    proptest! {
        #[test]
        fn token_spans_slice_the_original(s in "\\PC{0,60}") {
            let mut t = Tokenizer::new();
            let toks = t.tokenize(&s).to_vec();
            // Starts and ends never go backwards. Two tokens may share one original
            // unit when normalisation expands it (NFKC turns one fraction character
            // into "1/4"), so consecutive spans may touch the same bytes.
            let mut last = Span::default();
            for tok in toks {
                prop_assert!(s.is_char_boundary(tok.span.start as usize));
                prop_assert!(s.is_char_boundary(tok.span.end as usize));
                prop_assert!(tok.span.start >= last.start && tok.span.end >= last.end);
                prop_assert!(!s[tok.span.range()].trim().is_empty());
                last = tok.span;
            }
        }
    }
}
