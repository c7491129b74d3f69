//! Sentences (UAX #29 sentence boundaries) and the quotations inside them, as spans of
//! the original text.
//!
//! Passages are aligned a sentence at a time, and extended to whole sentences; a quotation
//! of five or more words inside a sentence is also a unit of its own, because the same
//! quote is often carried inside differently worded sentences.

use unicode_segmentation::UnicodeSegmentation;

use super::span::Span;

/// The sentences of `text`, trimmed of surrounding white space, without those that have
/// no letter or digit.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (start, s) in text.split_sentence_bound_indices() {
        let trimmed_start = s.len() - s.trim_start().len();
        let body = s.trim();
        if body.chars().any(char::is_alphanumeric) {
            let a = (start + trimmed_start) as u32;
            out.push(Span::new(a, a + body.len() as u32));
        }
    }
    out
}

/// Quotations inside `span` of `text`: text between an opening and a closing double
/// quote (straight or curly) of at least `min_words` words, quote marks excluded.
pub fn quotations(text: &str, span: Span, min_words: usize) -> Vec<Span> {
    let s = &text[span.range()];
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match c {
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => open = Some(i + c.len_utf8()),
            '\u{201D}' | '\u{00BB}' => {
                if let Some(o) = open.take() {
                    push_quote(s, o, i, span.start, min_words, &mut out);
                }
            }
            '"' => match open.take() {
                Some(o) => push_quote(s, o, i, span.start, min_words, &mut out),
                None => open = Some(i + 1),
            },
            _ => {}
        }
    }
    out
}

fn push_quote(s: &str, start: usize, end: usize, base: u32, min_words: usize, out: &mut Vec<Span>) {
    let inner = &s[start..end];
    let lead = inner.len() - inner.trim_start().len();
    let body = inner.trim();
    if body.unicode_words().count() >= min_words {
        let a = base + (start + lead) as u32;
        out.push(Span::new(a, a + body.len() as u32));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_and_lines() {
        let text =
            "First one. Second one!\nA headline\n\n  Third: \u{201C}quoted words are here now,\u{201D} he said.  ";
        let s: Vec<&str> = sentences(text).iter().map(|sp| &text[sp.range()]).collect();
        assert_eq!(
            s,
            ["First one.", "Second one!", "A headline", "Third: \u{201C}quoted words are here now,\u{201D} he said."]
        );
        let last = sentences(text)[3];
        let q: Vec<&str> = quotations(text, last, 5).iter().map(|sp| &text[sp.range()]).collect();
        assert_eq!(q, ["quoted words are here now,"]);
        assert!(quotations(text, last, 6).is_empty());
    }

    #[test]
    fn straight_quotes() {
        let text = "He said \"one two three four five\" and \"six\".";
        let q: Vec<&str> =
            quotations(text, Span::new(0, text.len() as u32), 5).iter().map(|sp| &text[sp.range()]).collect();
        assert_eq!(q, ["one two three four five"]);
    }
}
