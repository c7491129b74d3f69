//! Sentences (UAX #29 sentence boundaries) and the quotations inside them, as spans of
//! the original text.
//!
//! Passages are aligned a sentence at a time, and extended to whole sentences; a quotation
//! of five or more words inside a sentence is also a unit of its own, because the same
//! quote is often carried inside differently worded sentences.

use unicode_segmentation::UnicodeSegmentation;

use super::span::Span;
use super::two_byte::{self, CodeSet};

/// The sentences of `text`, trimmed of surrounding white space, without those that have
/// no letter or digit.
pub fn sentences(text: &str) -> Vec<Span> {
    let breaks = sentence_breaks(text);
    // Room for every sentence at once (a vector grown one at a time copies itself).
    let mut out = Vec::with_capacity(breaks.len());
    for w in breaks.windows(2) {
        let s = &text[w[0]..w[1]];
        let trimmed_start = s.len() - s.trim_start().len();
        let body = s.trim();
        if body.chars().any(char::is_alphanumeric) {
            let a = (w[0] + trimmed_start) as u32;
            out.push(Span::new(a, a + body.len() as u32));
        }
    }
    out
}

/// Sentence break property values (UAX #29), as far as [`sentence_category`] knows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cat {
    Any,
    Cr,
    Lf,
    Sep,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Format,
    Extend,
    OLetter,
}

/// The sentence break property of ASCII characters.
const ASCII_CATS: [Cat; 128] = {
    let mut t = [Cat::Any; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = match c {
            b'\t' | 0x0B | 0x0C | b' ' => Cat::Sp,
            b'\n' => Cat::Lf,
            b'\r' => Cat::Cr,
            b'!' | b'?' => Cat::STerm,
            b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Cat::Close,
            b',' | b'-' | b':' | b';' => Cat::SContinue,
            b'.' => Cat::ATerm,
            b'0'..=b'9' => Cat::Numeric,
            b'A'..=b'Z' => Cat::Upper,
            b'a'..=b'z' => Cat::Lower,
            _ => Cat::Any,
        };
        i += 1;
    }
    t
};

/// The sentence break property of `c` (as `unicode-segmentation`'s tables give it) for
/// Latin-1, General Punctuation, and the letters, marks, commas, terminators and digits
/// of U+0100 to U+07FF ([`alphabet_category`]); `None` for other characters.
#[inline]
fn sentence_category(c: char) -> Option<Cat> {
    let u = c as u32;
    if u < 0x80 {
        return Some(ASCII_CATS[u as usize]);
    }
    Some(match u {
        0x85 => Cat::Sep,
        0xA0 => Cat::Sp,
        0xAA | 0xB5 | 0xBA => Cat::Lower,
        0xAB | 0xBB => Cat::Close,
        0xAD => Cat::Format,
        0xC0..=0xD6 | 0xD8..=0xDE => Cat::Upper,
        0xDF..=0xF6 | 0xF8..=0xFF => Cat::Lower,
        0x80..=0xFF => Cat::Any,
        0x2000..=0x200A | 0x202F | 0x205F => Cat::Sp,
        0x200B | 0x200E | 0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F => Cat::Format,
        0x200C | 0x200D => Cat::Extend,
        0x2013 | 0x2014 => Cat::SContinue,
        0x2018..=0x201F | 0x2039 | 0x203A | 0x2045 | 0x2046 => Cat::Close,
        0x2024 => Cat::ATerm,
        0x2028 | 0x2029 => Cat::Sep,
        0x203C | 0x203D | 0x2047..=0x2049 => Cat::STerm,
        0x2000..=0x206F => Cat::Any,
        // Commas, terminators and digits of the alphabets from Armenian to N'Ko.
        0x55D | 0x60C | 0x60D | 0x7F8 => Cat::SContinue,
        0x589 | 0x61F | 0x6D4 => Cat::STerm,
        0x660..=0x669 | 0x6F0..=0x6F9 | 0x7C0..=0x7C9 => Cat::Numeric,
        0x100..=0x7FF => return alphabet_categories()[u as usize - 0x100],
        _ => return None,
    })
}

/// [`alphabet_category`] of U+0100 to U+07FF, in order, computed once.
fn alphabet_categories() -> &'static [Option<Cat>] {
    static CATS: std::sync::OnceLock<Vec<Option<Cat>>> = std::sync::OnceLock::new();
    CATS.get_or_init(|| (0x100..=0x7FF).map(|u| char::from_u32(u).and_then(alphabet_category)).collect())
}

/// The sentence break property of a letter or mark of the alphabets from Latin
/// Extended-A to N'Ko (U+0100 to U+07FF, the characters of two bytes in UTF-8: the
/// letters of Central European, Baltic, Turkish, Vietnamese, Greek, Cyrillic, Armenian,
/// Hebrew, Arabic, Persian, Urdu, Syriac and Thaana text): `None` for their symbols and
/// punctuation, left to `unicode-segmentation`. A mark is Extend; a letter Lower or
/// Upper by its case (titlecase digraphs Upper), other letters OLetter. A test checks
/// every one in the texts where the properties differ. Looked up in
/// [`alphabet_categories`]: computed, a character's property takes several searches of
/// the standard library's tables.
fn alphabet_category(c: char) -> Option<Cat> {
    if matches!(c, '\u{5C8}'..='\u{5CF}') {
        // Hebrew marks newer than `unicode-segmentation`'s tables (code points it does
        // not know yet, as Any).
        None
    } else if unicode_normalization::char::is_combining_mark(c) {
        Some(Cat::Extend)
    } else if c.is_lowercase() {
        Some(Cat::Lower)
    } else if c.is_uppercase() || matches!(c, '\u{1C5}' | '\u{1C8}' | '\u{1CB}' | '\u{1F2}') {
        Some(Cat::Upper)
    } else if c.is_alphabetic() {
        Some(Cat::OLetter)
    } else {
        None
    }
}

/// What the sentence break state machine remembers of the text before a position (runs
/// of `Close` and of `Sp` collapse into one part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Cr,
    Lf,
    Sep,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

/// The last four parts before a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct State([Part; 4]);

impl State {
    fn next(self, cat: Cat) -> State {
        let p = self.0;
        match (p[3], cat) {
            (Part::ClosePlus, Cat::Close) | (Part::SpPlus, Cat::Sp) => self,
            _ => State([
                p[1],
                p[2],
                p[3],
                match cat {
                    Cat::Cr => Part::Cr,
                    Cat::Lf => Part::Lf,
                    Cat::Sep => Part::Sep,
                    Cat::ATerm => Part::ATerm,
                    Cat::Upper | Cat::Lower => Part::UpperLower,
                    Cat::Close => Part::ClosePlus,
                    Cat::Sp => Part::SpPlus,
                    Cat::STerm => Part::STerm,
                    _ => Part::Other,
                },
            ]),
        }
    }

    /// SATerm Close* (SB9).
    fn saterm_close(self) -> bool {
        let idx = if self.0[3] == Part::ClosePlus { 2 } else { 3 };
        matches!(self.0[idx], Part::STerm | Part::ATerm)
    }

    /// The part before `Close* Sp*` at the end.
    fn before_close_sp(self) -> Part {
        let mut idx = if self.0[3] == Part::SpPlus { 2 } else { 3 };
        if self.0[idx] == Part::ClosePlus {
            idx -= 1;
        }
        self.0[idx]
    }

    /// SATerm Close* Sp* ParaSep? (SB11).
    fn sb11(self) -> bool {
        let mut idx = match self.0[3] {
            Part::Sep | Part::Cr | Part::Lf => 2,
            _ => 3,
        };
        if self.0[idx] == Part::SpPlus {
            idx -= 1;
        }
        if self.0[idx] == Part::ClosePlus {
            idx -= 1;
        }
        matches!(self.0[idx], Part::STerm | Part::ATerm)
    }
}

/// SB8: ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower.
/// A character without a category ends the search (its paragraph is then split by
/// `unicode-segmentation`, see [`sentence_breaks`]).
fn sb8(state: State, ahead: &str) -> bool {
    if state.before_close_sp() != Part::ATerm {
        return false;
    }
    for c in ahead.chars() {
        match sentence_category(c) {
            Some(Cat::Lower) => return true,
            Some(Cat::OLetter | Cat::Upper | Cat::Sep | Cat::Cr | Cat::Lf | Cat::STerm | Cat::ATerm) | None => {
                return false
            }
            _ => continue,
        }
    }
    false
}

/// The sentence boundaries of `text` (UAX #29, as `unicode-segmentation` 1.x finds them:
/// the same state machine), from 0 to `text.len()`. A character's category is a table
/// lookup instead of a search; a paragraph with a character the table does not know
/// ([`sentence_category`]) is split by `unicode-segmentation`.
///
/// A paragraph (up to and with a paragraph separator: CR, LF, CR LF, NEL, LS or PS) is
/// split the same alone as in the whole text: a separator is always followed by a break
/// (SB4), and no rule looks back across one (the sequences SB6 to SB11 look back over
/// hold none, and SB5 does not join a character to one), so the state after it is the
/// start of a text's. One foreign name or currency sign in a document used to send the
/// whole document to `unicode-segmentation`, which made its light preparation for
/// passages three times slower.
fn sentence_breaks(text: &str) -> Vec<usize> {
    // About one sentence in 128 bytes of news text.
    let mut breaks = Vec::with_capacity(text.len() / 128 + 2);
    if text.is_empty() {
        return breaks;
    }
    let bytes = text.as_bytes();
    let mut state = State([Part::Sot; 4]);
    let mut pos = 0;
    // Where the current paragraph starts.
    let mut paragraph = 0;
    while pos < bytes.len() {
        if plain(state) && is_plain_byte(bytes[pos]) {
            let end = pos + plain_run_len(&bytes[pos..]);
            state = after_plain_run(state, &bytes[pos..end]);
            pos = end;
            continue;
        }
        if plain(state) && bytes[pos] >= 0xC3 {
            let (end, after) = letter_run(bytes, pos, state);
            if end > pos {
                (state, pos) = (after, end);
                continue;
            }
        }
        let (cat, width) = if bytes[pos] < 0x80 {
            (ASCII_CATS[bytes[pos] as usize], 1)
        } else {
            let c = text[pos..].chars().next().expect("a character starts here");
            match sentence_category(c) {
                Some(cat) => (cat, c.len_utf8()),
                None => {
                    // The paragraph again, by `unicode-segmentation`; the next one from
                    // the start state.
                    let end = paragraph_end(text, pos);
                    breaks.retain(|&b| b < paragraph);
                    breaks.extend(text[paragraph..end].split_sentence_bound_indices().map(|(i, _)| paragraph + i));
                    (state, pos, paragraph) = (State([Part::Sot; 4]), end, end);
                    continue;
                }
            }
        };
        if matches!(cat, Cat::Sep | Cat::Lf) || (cat == Cat::Cr && bytes.get(pos + 1) != Some(&b'\n')) {
            paragraph = pos + width;
        }
        let before = state;
        state = state.next(cat);
        let last = before.0[3];
        // After a letter or another character (the usual case), no rule breaks: SB4 to
        // SB11 all need a terminator, a separator or the start just before.
        if matches!(last, Part::UpperLower | Part::Other) {
            if matches!(cat, Cat::Extend | Cat::Format) {
                state = before;
            }
            pos += width;
            continue;
        }
        let brk = match cat {
            _ if last == Part::Sot => true,
            Cat::Lf if last == Part::Cr => false,
            _ if matches!(last, Part::Sep | Part::Cr | Part::Lf) => true,
            Cat::Extend | Cat::Format => {
                state = before;
                false
            }
            Cat::Numeric if last == Part::ATerm => false,
            Cat::Upper if before.0[2] == Part::UpperLower && last == Part::ATerm => false,
            _ if sb8(before, &text[pos..]) => false,
            Cat::SContinue | Cat::STerm | Cat::ATerm
                if matches!(before.before_close_sp(), Part::STerm | Part::ATerm) =>
            {
                false
            }
            Cat::Close | Cat::Sp | Cat::Sep | Cat::Cr | Cat::Lf if before.saterm_close() => false,
            Cat::Sp | Cat::Sep | Cat::Cr | Cat::Lf if matches!(before.before_close_sp(), Part::STerm | Part::ATerm) => {
                false
            }
            _ => before.sb11(),
        };
        if brk {
            breaks.push(pos);
        }
        pos += width;
    }
    breaks.push(text.len());
    breaks
}

/// The end of the paragraph holding byte `pos` of `text`: just after the next paragraph
/// separator (CR LF as one), or the end of the text.
fn paragraph_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = pos;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => return i + 1,
            b'\r' => return if bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 },
            0xC2 if bytes.get(i + 1) == Some(&0x85) => return i + 2,
            0xE2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(&(0xA8 | 0xA9))) => {
                return i + 3
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A printable ASCII character (space included) that is neither a terminator (`.`, `!`,
/// `?`) nor a `Close` (quotes, brackets): a letter, digit, space, `SContinue` or other
/// character. From a [plain](plain) state none of them breaks, and the state after one
/// is plain again.
#[inline]
fn is_plain_byte(b: u8) -> bool {
    matches!(b, b' '..=b'~')
        && !matches!(b, b'.' | b'!' | b'?' | b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}')
}

/// The number of [plain bytes](is_plain_byte) at the start of `bytes`.
#[inline]
fn plain_run_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    #[cfg(target_arch = "x86_64")]
    while n + 16 <= bytes.len() {
        // SAFETY: SSE2 is part of x86_64; the load reads bytes n..n + 16 of `bytes`.
        let plain = unsafe { plain_bits_sse2(bytes.as_ptr().add(n)) };
        if plain != 0xFFFF {
            return n + plain.trailing_ones() as usize;
        }
        n += 16;
    }
    n + bytes[n..].iter().take_while(|&&b| is_plain_byte(b)).count()
}

/// A bit per [plain byte](is_plain_byte) of the 16 bytes at `p`.
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn plain_bits_sse2(p: *const u8) -> u32 {
    use std::arch::x86_64::*;
    let v = _mm_loadu_si128(p.cast());
    // `lo <= b < lo + n` as a signed comparison after moving `lo` to -128.
    let in_range = |v: __m128i, lo: u8, n: u8| {
        let t = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(t, _mm_set1_epi8(0x80u8.wrapping_add(n) as i8))
    };
    let eq = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
    let printable = in_range(v, b' ', 0x5F);
    // `!` `"`, `'` `(` `)`, `.`, `?`; `[` `{` and `]` `}` differ only in bit 0x20.
    let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    let excluded = _mm_or_si128(
        _mm_or_si128(in_range(v, b'!', 2), in_range(v, b'\'', 3)),
        _mm_or_si128(_mm_or_si128(eq(v, b'.'), eq(v, b'?')), _mm_or_si128(eq(folded, b'{'), eq(folded, b'}'))),
    );
    _mm_movemask_epi8(_mm_andnot_si128(excluded, printable)) as u32
}

/// True after a letter or another character, or after spaces that follow one: no rule
/// breaks before a [plain byte](is_plain_byte) there, and the state after one is plain again.
/// (After a letter or other character, SB12 applies at once; after `Sp` not preceded by
/// a terminator or `Close`, neither SB8 to SB11 nor a separator rule can.)
#[inline]
fn plain(state: State) -> bool {
    let p = state.0;
    matches!(p[3], Part::UpperLower | Part::Other)
        || (p[3] == Part::SpPlus && matches!(p[2], Part::UpperLower | Part::Other))
}

/// The state after `run` ([plain bytes](is_plain_byte), no break inside) from a plain
/// `state`: only the last four parts of the run matter (a run of spaces is one part),
/// so a long run is not stepped through a character at a time.
fn after_plain_run(mut state: State, run: &[u8]) -> State {
    let mut parts = [Part::Other; 4];
    let (mut n, mut i) = (0, run.len());
    while n < 4 && i > 0 {
        if run[i - 1] == b' ' {
            let mut j = i - 1;
            while j > 0 && run[j - 1] == b' ' {
                j -= 1;
            }
            if j == 0 {
                // The spaces may join a run of them before: step through instead.
                break;
            }
            parts[n] = Part::SpPlus;
            i = j;
        } else {
            parts[n] = if run[i - 1].is_ascii_alphabetic() { Part::UpperLower } else { Part::Other };
            i -= 1;
        }
        n += 1;
    }
    if n == 4 {
        return State([parts[3], parts[2], parts[1], parts[0]]);
    }
    for &b in run {
        state = state.next(ASCII_CATS[b as usize]);
    }
    state
}

/// The end of the run of two-byte letters (Lower, Upper or OLetter: U+00C0 to U+07FF)
/// from byte `pos` of `bytes` (UTF-8, a character starting at `pos`), and the state
/// after it from a plain `state`: no rule breaks before a letter there, and the state
/// after one is plain again ([`plain`]). Text in Greek, Cyrillic, Hebrew or Arabic is
/// mostly such runs between spaces.
#[inline]
fn letter_run(bytes: &[u8], pos: usize, mut state: State) -> (usize, State) {
    let (upper_lower, other) = letter_codes();
    let mut j = pos;
    while let [lead @ 0xC3..=0xDF, next, ..] = bytes[j..] {
        let u = two_byte::code(lead, next);
        let part = if upper_lower.contains(u) {
            Part::UpperLower
        } else if other.contains(u) {
            Part::Other
        } else {
            break;
        };
        let p = state.0;
        state = State([p[1], p[2], p[3], part]);
        j += 2;
    }
    (j, state)
}

/// The two-byte characters (below U+0800) [`sentence_category`] calls Lower or Upper,
/// and those it calls OLetter.
fn letter_codes() -> &'static (CodeSet, CodeSet) {
    static CODES: std::sync::OnceLock<(CodeSet, CodeSet)> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let category = |c: char| if c.is_ascii() { None } else { sentence_category(c) };
        (
            CodeSet::of(|c| matches!(category(c), Some(Cat::Lower | Cat::Upper))),
            CodeSet::of(|c| category(c) == Some(Cat::OLetter)),
        )
    })
}

/// Quotations inside `span` of `text`: text between an opening and a closing double
/// quote (straight or curly) of at least `min_words` words, quote marks excluded.
pub fn quotations(text: &str, span: Span, min_words: usize) -> Vec<Span> {
    let s = &text[span.range()];
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    // Every quote mark starts with one of these bytes (U+201C..U+201E with 0xE2, U+00AB
    // and U+00BB with 0xC2), none of which is inside a character.
    for i in memchr::memchr3_iter(b'"', 0xE2, 0xC2, s.as_bytes()) {
        let c = s[i..].chars().next().expect("a character starts here");
        quote_mark(s, i, c, &mut open, span.start, min_words, &mut out);
    }
    out
}

/// Character `c` at byte `i` of `s`, for [`quotations`]: an opening mark opens a quote
/// (`open`: where its text starts), a closing one closes the open quote (pushed to `out`
/// when it has `min_words`), a straight one does either; other characters do nothing.
fn quote_mark(s: &str, i: usize, c: char, open: &mut Option<usize>, base: u32, min_words: usize, out: &mut Vec<Span>) {
    match c {
        '\u{201C}' | '\u{201E}' | '\u{00AB}' => *open = Some(i + c.len_utf8()),
        '\u{201D}' | '\u{00BB}' => {
            if let Some(o) = open.take() {
                push_quote(s, o, i, base, min_words, out);
            }
        }
        '"' => match open.take() {
            Some(o) => push_quote(s, o, i, base, min_words, out),
            None => *open = Some(i + 1),
        },
        _ => {}
    }
}

fn push_quote(s: &str, start: usize, end: usize, base: u32, min_words: usize, out: &mut Vec<Span>) {
    let inner = &s[start..end];
    let lead = inner.len() - inner.trim_start().len();
    let body = inner.trim();
    if min_words == 0 || body.unicode_words().nth(min_words - 1).is_some() {
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

    /// The sentences as `unicode-segmentation` splits them.
    fn reference(text: &str) -> Vec<Span> {
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

    #[test]
    fn breaks_of_tricky_text_match_unicode_segmentation() {
        for text in [
            "",
            " ",
            "Mr. Smith went to Washington. He said \"no.\" then left.  U.S. troops (2.5 km) arrived!",
            "etc. and so on.) \u{201C}Yes!\u{201D} she said.\r\nNext line\u{2029}para\u{85}x",
            "A.B. c. D.e 3.14 ... ?!  ,x ;y \u{2014}z\u{2013}w\u{AD}a.\u{200D}b. \u{2024}C",
            "caf\u{E9}. \u{C9}t\u{E9}. \u{AB}Oui.\u{BB} non",
            "Stra\u{DF}e. \u{17F}x. \u{4E2D}\u{6587}\u{3002}Next. \u{3042}.",
            // Runs of letters, digits and spaces of every length before terminators.
            "Mr   . Smith a    b.  C word   \nx 1 2 3 4 5 6. Y A B C D E F.G  ab 1.  ).  x",
            "U.S   troops. \"Yes   \" no. a. b   . c  ?   D   1 2 .  e",
            "  a  .b 12 . 3a  . A1  B2 .  x",
            // A paragraph with characters the table does not know, between two without.
            "Mr. Smith left. U.S. troops\r\nWa\u{142}\u{119}sa said: \u{201C}No.\u{201D} It cost 5 \u{20AC}. ok\nNext. one",
        ] {
            assert_eq!(sentences(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn alphabet_letters_and_marks_break_as_unicode_segmentation_has_them() {
        // Each character `alphabet_category` gives a property, in texts where each
        // property breaks differently from the others (SB5 to SB11 around it).
        let contexts = [
            "{c}",
            "a. {c}b",
            "a. {c}",
            "a.{c}",
            "A.{c}",
            "A.{c}b",
            "x {c}. Y",
            "x! {c}",
            "x.{c} y",
            "{c}{c}. {c}",
            "x.{c}a",
            "U.S.{c}",
            "x. ({c}",
            "\n{c}\n",
            "x.{c}\u{301}",
            "x. {c}a",
            "x. {c}A",
            "x. {c}1 a",
            "x.) {c} b",
            "x. \u{AD}{c} b",
            "1.{c}",
            "x{c}. a",
            "x {c}? A",
            "x. {c}. a",
            "a{c}.B",
            "a {c}.B c",
            "a{c}{c}{c}{c}{c}. B",
        ];
        let mut checked = 0;
        for c in (0x100..=0x7FF).filter_map(char::from_u32) {
            if sentence_category(c).is_none() {
                continue;
            }
            checked += 1;
            for context in contexts {
                let text = context.replace("{c}", &c.to_string());
                let mut want: Vec<usize> = text.split_sentence_bound_indices().map(|(i, _)| i).collect();
                want.push(text.len());
                assert_eq!(sentence_breaks(&text), want, "{c:?} in {text:?}");
            }
        }
        // U+0100 to U+052F have 1,025; Armenian to N'Ko add theirs.
        assert!(checked > 1500, "{checked}");
    }

    proptest::proptest! {
        #[test]
        fn breaks_match_unicode_segmentation(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    200 => proptest::sample::select(vec![
                        'a', 'b', 'Z', 'Q', '1', '9', ' ', ' ', '.', '.', '!', '?', ',', ';', ':', '-', '"', '\'',
                        '(', ')', '[', '}', '\n', '\r', '\t', '#', '%', '\u{85}', '\u{A0}', '\u{AA}', '\u{AB}',
                        '\u{AD}', '\u{BB}', '\u{C0}', '\u{D7}', '\u{DF}', '\u{F7}', '\u{FF}', '\u{2000}',
                        '\u{200B}', '\u{200C}', '\u{200E}', '\u{2010}', '\u{2013}', '\u{2014}', '\u{2018}',
                        '\u{2019}', '\u{201C}', '\u{201D}', '\u{2024}', '\u{2026}', '\u{2028}', '\u{2029}',
                        '\u{202F}', '\u{2039}', '\u{203C}', '\u{2047}', '\u{205F}', '\u{2060}', '\u{2065}',
                    ]),
                    // Characters the table does not know (their paragraphs are split by
                    // `unicode-segmentation`): letters, a mark, terminators, a sign.
                    8 => proptest::sample::select(vec![
                        '\u{119}', '\u{141}', '\u{301}', '\u{436}', '\u{416}', '\u{4E2D}', '\u{3002}', '\u{3C2}',
                        '\u{391}', '\u{1C5}', '\u{1C0}', '\u{294}', '\u{2B0}', '\u{2C6}', '\u{37E}', '\u{387}',
                        '\u{483}', '\u{482}',
                        '\u{964}', '\u{20AC}', '\u{FF0E}', '\u{FE52}',
                    ]),
                    2 => proptest::char::range('\u{0}', '\u{100}'),
                    2 => proptest::char::range('\u{100}', '\u{800}'),
                    2 => proptest::char::range('\u{2000}', '\u{2070}'),
                    1 => proptest::char::range('\u{0}', '\u{2100}'),
                ],
                0..60,
            )
        ) {
            let text: String = text.into_iter().collect();
            proptest::prop_assert_eq!(sentences(&text), reference(&text));
            let mut want: Vec<usize> = text.split_sentence_bound_indices().map(|(i, _)| i).collect();
            if !text.is_empty() {
                want.push(text.len());
            }
            proptest::prop_assert_eq!(sentence_breaks(&text), want);
        }
    }

    proptest::proptest! {
        /// Long ASCII texts (plain runs longer than 16 bytes, punctuation inside them).
        #[test]
        fn long_ascii_breaks_match_unicode_segmentation(text in "([a-zA-Z0-9 ,;:#%*/=-]{0,40}[ -~\n\r\t]){0,12}") {
            proptest::prop_assert_eq!(sentences(&text), reference(&text));
            let breaks = sentence_breaks(&text);
            let mut want: Vec<usize> = text.split_sentence_bound_indices().map(|(i, _)| i).collect();
            if !text.is_empty() {
                want.push(text.len());
            }
            proptest::prop_assert_eq!(breaks, want);
        }
    }

    /// Quotations found by looking at every character (as [`quotations`] did), to check
    /// that looking only where a quote mark can start misses none.
    fn quotations_by_chars(text: &str, span: Span, min_words: usize) -> Vec<Span> {
        let s = &text[span.range()];
        let mut out = Vec::new();
        let mut open: Option<usize> = None;
        for (i, c) in s.char_indices() {
            quote_mark(s, i, c, &mut open, span.start, min_words, &mut out);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn plain_runs_are_counted_as_a_byte_at_a_time(s in "[ -~]{0,40}[^a-zA-Z0-9 ]?[a-z ,;:#-]{0,20}", from in 0usize..8) {
            let bytes = &s.as_bytes()[from.min(s.len())..];
            proptest::prop_assert_eq!(
                plain_run_len(bytes),
                bytes.iter().take_while(|&&b| is_plain_byte(b)).count()
            );
        }

        #[test]
        fn quotations_are_found_as_by_every_character(
            s in "([a-z ]{0,6}[\"\u{201C}\u{201D}\u{201E}\u{AB}\u{BB}\u{2019}\u{E9}\u{A9}\u{2014}])*",
            min_words in 0usize..4,
        ) {
            let span = Span::new(0, s.len() as u32);
            proptest::prop_assert_eq!(quotations(&s, span, min_words), quotations_by_chars(&s, span, min_words));
        }
    }

    #[test]
    fn straight_quotes() {
        let text = "He said \"one two three four five\" and \"six\".";
        let q: Vec<&str> =
            quotations(text, Span::new(0, text.len() as u32), 5).iter().map(|sp| &text[sp.range()]).collect();
        assert_eq!(q, ["one two three four five"]);
    }
}
