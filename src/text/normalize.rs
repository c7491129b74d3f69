//! Normalisation for matching, with a map back to original byte offsets.
//!
//! The original text is never changed: matching runs on a normalised copy, and every
//! range of that copy maps back to a [`Span`] of the original bytes.
//!
//! What normalisation does (version [`NORMALIZATION_VERSION`]):
//! - Unicode NFKC (compatibility forms: full-width letters, ligatures, superscripts);
//! - Unicode full case folding (`ß` → `ss`, final `ς` → `σ`, `İ` → `i̇`), via the `caseless` crate;
//! - one form for quotes (`'` and `"`), dashes (`-`) and white space (`' '`, and `'\n'`
//!   for line and paragraph separators), other control characters become `' '`;
//! - invisible characters (soft hyphen, zero-width space and joiners, BOM) are removed.
//!
//! ASCII text takes a fast path: one output byte per input byte and no map is stored.
//! Text that is already NFKC (almost all text) is mapped a character at a time; other
//! text is normalised a grapheme cluster at a time around its non-ASCII characters, so
//! composition never crosses a unit.

use caseless::Caseless;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

use super::span::Span;
use super::two_byte::{self, CodeSet};

/// Bumped whenever normalisation output or the words' hashes change; stored in reports
/// and indexes. Version 3: words hashed by [`word_hash`](crate::text::word_hash) rather
/// than xxh3.
pub const NORMALIZATION_VERSION: u32 = 3;

/// Normalised text plus the map from its bytes to the original bytes.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    text: String,
    /// For each normalised byte, the original range of the unit it came from.
    /// Empty when the map is the identity (ASCII fast path).
    starts: Vec<u32>,
    ends: Vec<u32>,
    identity: bool,
}

impl Normalized {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps the normalised byte range `[start, end)` (non-empty, on char boundaries of
    /// the normalised text) to the original text's bytes.
    pub fn original_span(&self, start: usize, end: usize) -> Span {
        debug_assert!(start < end && end <= self.text.len());
        if self.identity {
            Span::new(start as u32, end as u32)
        } else {
            Span::new(self.starts[start], self.ends[end - 1])
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.identity = false;
    }
}

/// Normalises `text` (see the module docs).
pub fn normalize(text: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(text, &mut out);
    out
}

/// Normalises `text` into `out`, reusing its buffers.
pub fn normalize_into(text: &str, out: &mut Normalized) {
    normalize_with(text, out, true);
}

/// Normalises `text` into `out` without the map back to the original bytes: the same
/// text as [`normalize_into`], but [`Normalized::original_span`] must not be called on it.
pub(crate) fn normalize_text_into(text: &str, out: &mut Normalized) {
    normalize_with(text, out, false);
}

fn normalize_with(text: &str, out: &mut Normalized, map: bool) {
    out.clear();
    // Built as bytes (runs of ASCII are folded 64 bytes at a time where the processor
    // can), so that it is UTF-8 by construction.
    let mut buf = std::mem::take(&mut out.text).into_bytes();
    buf.reserve(text.len());
    let bytes = text.as_bytes();
    // The ASCII run the text starts with, folded; all of an ASCII text.
    let ascii = fold_ascii_run(bytes, &mut buf);
    if ascii == bytes.len() {
        // Every ASCII byte maps to exactly one ASCII byte.
        out.identity = true;
    } else if is_nfkc_quick_yes(&text[ascii..]) {
        // (An ASCII run resets what the check carries, so the rest is checked alone.)
        if map {
            out.starts.reserve(text.len());
            out.ends.reserve(text.len());
            out.starts.extend(0..ascii as u32);
            out.ends.extend(1..ascii as u32 + 1);
        }
        let mut unit = String::with_capacity(8);
        let mut i = ascii;
        while i < bytes.len() {
            if bytes[i] < 0x80 {
                let end = i + fold_ascii_run(&bytes[i..], &mut buf);
                if map {
                    out.starts.extend(i as u32..end as u32);
                    out.ends.extend(i as u32 + 1..end as u32 + 1);
                }
                i = end;
            } else if let end @ 1.. = same_run_end(bytes, i) {
                // Two-byte characters that are their own normalised form, copied as
                // they are (each maps to its own two bytes).
                buf.extend_from_slice(&bytes[i..end]);
                if map {
                    for k in (i as u32..end as u32).step_by(2) {
                        out.starts.extend([k, k]);
                        out.ends.extend([k + 2, k + 2]);
                    }
                }
                i = end;
            } else {
                let (u, len) = char_at(bytes, i);
                // [`fold_char`], without copying the table's form (6 % of a scan of
                // Cyrillic text).
                let form = match folded_code(u) {
                    Some(f) => f.as_str(),
                    None => {
                        unit.clear();
                        fold_char_computed(char::from_u32(u).expect("a char starts here"), &mut unit);
                        &unit
                    }
                };
                if map {
                    push_unit(&mut buf, out, form, i as u32, (i + len) as u32);
                } else {
                    buf.extend_from_slice(form.as_bytes());
                }
                i += len;
            }
        }
    } else {
        buf.clear();
        normalize_regions(text, &mut buf, map.then_some(&mut *out));
    }
    debug_assert!(std::str::from_utf8(&buf).is_ok());
    // SAFETY: `buf` holds only ASCII bytes (`fold_ascii` maps ASCII to ASCII) and the
    // UTF-8 bytes of whole `String`s, one after another: it is UTF-8.
    out.text = unsafe { String::from_utf8_unchecked(buf) };
}

/// Appends to `buf` the [`fold_ascii`] of the ASCII bytes `bytes` starts with, up to the
/// first byte from 0x80 (or the end); returns how many it folded. 64 bytes at a time
/// with AVX-512BW (chosen at run time), eight at a time without.
#[inline]
fn fold_ascii_run(bytes: &[u8], buf: &mut Vec<u8>) -> usize {
    #[cfg(target_arch = "x86_64")]
    if bytes.len() >= 64 && std::arch::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the processor has AVX-512BW (which implies AVX-512F).
        return unsafe { fold_ascii_run_avx512(bytes, buf) };
    }
    let end = ascii_run_end(bytes, 0);
    buf.extend(bytes[..end].iter().map(|&b| fold_ascii(b)));
    end
}

/// [`fold_ascii_run`] with AVX-512BW: each 64 bytes are folded at once, with masks for
/// the bytes to lower-case and the control bytes to replace, and stored up to the first
/// byte from 0x80.
///
/// # Safety
/// The processor must have AVX-512F and AVX-512BW.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn fold_ascii_run_avx512(bytes: &[u8], buf: &mut Vec<u8>) -> usize {
    use std::arch::x86_64::*;
    buf.reserve(bytes.len());
    let start = buf.len();
    let out = buf.spare_capacity_mut().as_mut_ptr().cast::<u8>();
    let splat = |b: u8| _mm512_set1_epi8(b as i8);
    let mut i = 0;
    let mut stopped = false;
    while i + 64 <= bytes.len() {
        // SAFETY: `i + 64 <= bytes.len()`; unaligned loads are allowed.
        let v = unsafe { _mm512_loadu_si512(bytes.as_ptr().add(i).cast()) };
        let high = _mm512_movepi8_mask(v);
        let upper = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, splat(b'A')), splat(26));
        let mut x = _mm512_mask_add_epi8(v, upper, v, splat(32));
        let control = _mm512_cmplt_epu8_mask(v, splat(0x20)) | _mm512_cmpeq_epi8_mask(v, splat(0x7F));
        if control != 0 {
            // Line feed, vertical tab, form feed and carriage return (0x0A to 0x0D)
            // become `\n`, other control bytes a space.
            let line = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, splat(0x0A)), splat(4));
            x = _mm512_mask_mov_epi8(x, control & !line, splat(b' '));
            x = _mm512_mask_mov_epi8(x, line, splat(b'\n'));
        }
        x = _mm512_mask_mov_epi8(x, _mm512_cmpeq_epi8_mask(v, splat(b'`')), splat(b'\''));
        // The bytes before the first high one (all 64 when there is none).
        let keep = if high == 0 { u64::MAX } else { (1u64 << high.trailing_zeros()) - 1 };
        // SAFETY: `out` has room for `bytes.len()` bytes from `start`, and `i + 64` is
        // at most that; only the bytes of `keep` are written.
        unsafe { _mm512_mask_storeu_epi8(out.add(i).cast(), keep, x) };
        if high != 0 {
            i += high.trailing_zeros() as usize;
            stopped = true;
            break;
        }
        i += 64;
    }
    if !stopped {
        while i < bytes.len() && bytes[i] < 0x80 {
            // SAFETY: `i < bytes.len()`, the room reserved.
            unsafe { out.add(i).write(fold_ascii(bytes[i])) };
            i += 1;
        }
    }
    // SAFETY: the `i` bytes after `start` were written above.
    unsafe { buf.set_len(start + i) };
    i
}

/// The normalised text of `text` (not already NFKC) appended to `buf`, and with `map`
/// its map: the same as normalising it a grapheme cluster at a time (each cluster's
/// bytes mapped to the whole cluster), but only the regions around non-ASCII
/// characters go through grapheme segmentation and NFKC.
///
/// A region starts and ends between two ASCII characters, where the whole text has a
/// grapheme boundary that no segmentation rule looks across (no ASCII character is
/// extended pictographic, a regional indicator, a prepend, an extender or a joiner),
/// so the region's clusters are the whole text's; outside the regions every ASCII
/// character is a cluster of its own, which NFKC leaves as it is, but for CR LF, one
/// cluster (mapped as one; a region is widened so as not to cut one).
///
/// With the map too (before, text not NFKC was mapped a cluster at a time throughout:
/// tokenising text with a no-break space after each sentence ran at 18 MiB/s against
/// 222 without them; now at 149, `cargo bench --bench stages -- normalize_tokenize`).
fn normalize_regions(text: &str, buf: &mut Vec<u8>, mut map: Option<&mut Normalized>) {
    let bytes = text.as_bytes();
    let mut unit = String::with_capacity(8);
    let mut i = 0;
    while i < bytes.len() {
        let k = ascii_run_end(bytes, i);
        // The ASCII character before the first non-ASCII one may take marks after it
        // (and an LF before it its CR).
        let mut start = if k > i && k < bytes.len() { k - 1 } else { k };
        if start > i && start < bytes.len() && bytes[start] == b'\n' && bytes[start - 1] == b'\r' {
            start -= 1;
        }
        push_ascii(bytes, i, start, buf, map.as_deref_mut());
        if start == bytes.len() {
            break;
        }
        let mut end = k + 1;
        while end < bytes.len() && !(bytes[end - 1] < 0x80 && bytes[end] < 0x80) {
            end += 1;
        }
        if end < bytes.len() && bytes[end - 1] == b'\r' && bytes[end] == b'\n' {
            end += 1;
        }
        for (g_start, g) in text[start..end].grapheme_indices(true) {
            unit.clear();
            for c in g.nfkc() {
                fold_char(c, &mut unit);
            }
            match map.as_deref_mut() {
                Some(out) => {
                    let at = (start + g_start) as u32;
                    push_unit(buf, out, &unit, at, at + g.len() as u32);
                }
                None => buf.extend_from_slice(unit.as_bytes()),
            }
        }
        i = end;
    }
}

/// Appends the ASCII bytes `bytes[from..to]` folded to `buf` and, with `map`, their map:
/// each byte to itself, but CR LF to both.
fn push_ascii(bytes: &[u8], from: usize, to: usize, buf: &mut Vec<u8>, map: Option<&mut Normalized>) {
    let run = &bytes[from..to];
    let folded = fold_ascii_run(run, buf);
    debug_assert_eq!(folded, run.len());
    if let Some(out) = map {
        let at = out.starts.len();
        out.starts.extend(from as u32..to as u32);
        out.ends.extend(from as u32 + 1..to as u32 + 1);
        let mut j = 0;
        while let Some(cr) = memchr::memchr(b'\r', &run[j..]) {
            let cr = j + cr;
            if run.get(cr + 1) == Some(&b'\n') {
                out.ends[at + cr] += 1;
                out.starts[at + cr + 1] -= 1;
            }
            j = cr + 1;
        }
    }
}

/// `is_nfkc_quick(text.chars()) == IsNormalized::Yes`, looking only at the runs of
/// non-ASCII characters: the check passes over an ASCII character after resetting all it
/// carries (the last combining class, to 0), so each run starts afresh.
fn is_nfkc_quick_yes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        let start = ascii_run_end(bytes, i);
        if start == bytes.len() {
            return true;
        }
        let end = bytes[start..].iter().position(|&b| b < 0x80).map_or(bytes.len(), |k| start + k);
        // A run of plain characters passes; any other, the check decides.
        let mut k = start;
        let plain = loop {
            if k == end {
                break true;
            }
            if let run_end @ 1.. = same_run_end(&bytes[..end], k) {
                k = run_end;
                continue;
            }
            let (u, len) = char_at(bytes, k);
            if !folded_code(u).is_some_and(|f| f.plain) {
                break false;
            }
            k += len;
        };
        if !plain && is_nfkc_quick(text[start..end].chars()) != IsNormalized::Yes {
            return false;
        }
        i = end;
    }
}

/// The end of the run of ASCII bytes starting at `from`: the position of the first
/// byte from 0x80 at or after `from`, or the length. Eight bytes at a time.
#[inline]
pub(crate) fn ascii_run_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i + 8 <= bytes.len() {
        let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let high = w & 0x8080_8080_8080_8080;
        if high != 0 {
            return i + (high.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] < 0x80 {
        i += 1;
    }
    i
}

/// Appends `folded` to `buf` as the normalised form of original range `[start, end)`.
#[inline]
fn push_unit(buf: &mut Vec<u8>, out: &mut Normalized, folded: &str, start: u32, end: u32) {
    buf.extend_from_slice(folded.as_bytes());
    out.starts.extend(std::iter::repeat_n(start, folded.len()));
    out.ends.extend(std::iter::repeat_n(end, folded.len()));
}

/// The end of the run of two-byte characters from byte `i` of `bytes` (UTF-8, a
/// character starting at `i`) that are their own normalised form ([`same_codes`]), or 0
/// when the character at `i` is not one.
#[inline]
fn same_run_end(bytes: &[u8], i: usize) -> usize {
    let same = same_codes();
    let mut j = i;
    while let [lead @ 0xC2..=0xDF, next, ..] = bytes[j..] {
        if !same.contains(two_byte::code(lead, next)) {
            break;
        }
        j += 2;
    }
    if j == i {
        0
    } else {
        j
    }
}

/// The characters below U+0800 that are their own folded form and that NFKC's quick
/// check passes over as over ASCII ([`Folded`]'s `plain`): most letters of the
/// alphabets from Latin-1 to N'Ko, all of Arabic and Hebrew. Computed once.
fn same_codes() -> &'static CodeSet {
    static SAME: std::sync::OnceLock<CodeSet> = std::sync::OnceLock::new();
    SAME.get_or_init(|| {
        CodeSet::of(|c| {
            let f = folded(c).expect("in the Basic Multilingual Plane");
            !c.is_ascii() && f.plain && f.as_str().chars().eq([c])
        })
    })
}

/// The code point of the character that starts at byte `i` of `bytes`, which is UTF-8
/// and not ASCII there, and its length in bytes: decoded without the checks
/// `str::chars` makes (the text is a `str`).
#[inline(always)]
fn char_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let b = |k: usize| u32::from(bytes[i + k]);
    let lead = b(0);
    if lead < 0xE0 {
        (two_byte::code(bytes[i], bytes[i + 1]) as u32, 2)
    } else if lead < 0xF0 {
        ((lead & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F), 3)
    } else {
        ((lead & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F), 4)
    }
}

/// ASCII folding: lower case, one form for line breaks, `` ` `` as `'`, other control
/// characters as space. Written with selects rather than a `match` so that loops over
/// bytes become vector code.
#[inline]
fn fold_ascii(b: u8) -> u8 {
    let mut x = if b.is_ascii_uppercase() { b + 32 } else { b };
    if b < 0x20 || b == 0x7F {
        x = if matches!(b, b'\n' | b'\r' | 0x0B | 0x0C) { b'\n' } else { b' ' };
    }
    if b == b'`' {
        x = b'\'';
    }
    x
}

/// Appends the folded, lower-cased form of one (NFKC) character.
#[inline]
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(fold_ascii(c as u8) as char);
        return;
    }
    match folded(c) {
        Some(f) => out.push_str(f.as_str()),
        None => fold_char_computed(c, out),
    }
}

/// What [`fold_char`] gives a character of the Basic Multilingual Plane, and whether
/// NFKC's quick check passes over it as over an ASCII character (quick-check value Yes,
/// canonical combining class 0): looked up instead of computed (case folding searches
/// a table a character, and text in Cyrillic or Greek is all such characters).
#[derive(Clone, Copy)]
struct Folded {
    /// The form's bytes (full case folding gives at most three characters)...
    bytes: [u8; 12],
    /// ...of which `len` are used.
    len: u8,
    plain: bool,
}

impl Folded {
    /// The form.
    #[inline]
    fn as_str(&self) -> &str {
        // SAFETY: the bytes used are those of a whole `String` ([`fold_block`]).
        unsafe { std::str::from_utf8_unchecked(&self.bytes[..self.len as usize]) }
    }
}

/// Characters of a block of [`FOLDED`].
const FOLD_BLOCK: usize = 128;

/// The [`Folded`] of each character of the Basic Multilingual Plane, a block of
/// [`FOLD_BLOCK`] computed when one of its characters is first met.
static FOLDED: [std::sync::OnceLock<Box<[Folded; FOLD_BLOCK]>>; 0x10000 / FOLD_BLOCK] =
    [const { std::sync::OnceLock::new() }; 0x10000 / FOLD_BLOCK];

/// The [`Folded`] of `c`, when in the Basic Multilingual Plane.
#[inline]
fn folded(c: char) -> Option<&'static Folded> {
    folded_code(c as u32)
}

/// [`folded`] of the character whose code point is `u`.
#[inline]
fn folded_code(u: u32) -> Option<&'static Folded> {
    let u = u as usize;
    let block = FOLDED.get(u / FOLD_BLOCK)?.get_or_init(|| fold_block(u / FOLD_BLOCK));
    Some(&block[u % FOLD_BLOCK])
}

/// The [`Folded`] of the characters of block `b` (surrogates, which are none, as empty).
fn fold_block(b: usize) -> Box<[Folded; FOLD_BLOCK]> {
    let mut out = Box::new([Folded { bytes: [0; 12], len: 0, plain: false }; FOLD_BLOCK]);
    let mut s = String::new();
    for (k, f) in out.iter_mut().enumerate() {
        let Some(c) = char::from_u32((b * FOLD_BLOCK + k) as u32) else { continue };
        s.clear();
        fold_char_computed(c, &mut s);
        f.bytes.get_mut(..s.len()).expect("at most three characters, 12 bytes").copy_from_slice(s.as_bytes());
        f.len = s.len() as u8;
        f.plain = is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
            && unicode_normalization::char::canonical_combining_class(c) == 0;
    }
    out
}

/// [`fold_char`] of a character, computed.
fn fold_char_computed(c: char, out: &mut String) {
    match c {
        c if c.is_ascii() => out.push(fold_ascii(c as u8) as char),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '\u{02BC}' | '\u{2039}'
        | '\u{203A}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => out.push('-'),
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        '\u{0085}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
        c if c.is_whitespace() || c.is_control() => out.push(' '),
        c => out.extend(std::iter::once(c).default_case_fold()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_case_quotes_dashes_and_space() {
        let n = normalize("Iran\u{2019}s \u{201C}Al\u{2014}Aqsa\u{201D}\u{00A0}Storm");
        assert_eq!(n.as_str(), "iran's \"al-aqsa\" storm");
    }

    #[test]
    fn nfkc_compatibility_forms() {
        assert_eq!(normalize("\u{FB01}ne \u{FF21}\u{FF22}").as_str(), "fine ab");
        // e + combining acute composes to é.
        assert_eq!(normalize("Cafe\u{301}").as_str(), "caf\u{e9}");
    }

    #[test]
    fn spans_map_back_to_original_units() {
        let text = "\u{FB01}ne Caf\u{e9}";
        let n = normalize(text);
        // "fi" both come from the ligature.
        assert_eq!(&text[n.original_span(0, 1).range()], "\u{FB01}");
        assert_eq!(&text[n.original_span(0, 4).range()], "\u{FB01}ne");
        let cafe = n.as_str().find("caf").unwrap();
        assert_eq!(&text[n.original_span(cafe, n.as_str().len()).range()], "Caf\u{e9}");
    }

    #[test]
    fn full_case_folding() {
        assert_eq!(normalize("STRASSE Stra\u{df}e").as_str(), "strasse strasse");
        assert_eq!(normalize("\u{39f}\u{394}\u{3a5}\u{3a3}\u{3a3}\u{395}\u{3a5}\u{3a3} \u{3bf}\u{3b4}\u{3c5}\u{3c3}\u{3c3}\u{3b5}\u{3c5}\u{3c2}").as_str(),
            "\u{3bf}\u{3b4}\u{3c5}\u{3c3}\u{3c3}\u{3b5}\u{3c5}\u{3c3} \u{3bf}\u{3b4}\u{3c5}\u{3c3}\u{3c3}\u{3b5}\u{3c5}\u{3c3}");
    }

    #[test]
    fn ascii_folding_table() {
        for b in 0..=0x7Fu8 {
            let expected = match b {
                b'A'..=b'Z' => b + 32,
                b'\n' | b'\r' | 0x0B | 0x0C => b'\n',
                b'`' => b'\'',
                0..=0x1F | 0x7F => b' ',
                _ => b,
            };
            assert_eq!(fold_ascii(b), expected, "byte {b:#x}");
        }
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(normalize("co\u{00AD}op\u{200B}").as_str(), "coop");
    }

    #[test]
    fn folded_characters_are_looked_up_as_computed() {
        // Every character of the Basic Multilingual Plane, through the blocks kept.
        let (mut got, mut want) = (String::new(), String::new());
        for c in (0..0x10000).filter_map(char::from_u32) {
            got.clear();
            want.clear();
            fold_char(c, &mut got);
            fold_char_computed(c, &mut want);
            assert_eq!(got, want, "{c:?}");
            let plain = is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
                && unicode_normalization::char::canonical_combining_class(c) == 0;
            assert_eq!(folded(c).map(|f| f.plain), Some(plain), "{c:?}");
        }
        assert!(folded('\u{1F600}').is_none());
    }

    proptest! {
        #[test]
        fn text_only_normalization_equals_mapped(
            s in "[a-cA-C .\u{e9}\u{2019}\u{2026}\u{301}\u{fb01}\u{4E00}]{0,40}|\\PC{0,40}|[a-c \r\n\u{2026}\u{301}\u{600}\u{1F1E6}\u{1F1E7}\u{200D}\u{1F469}\u{1100}\u{1161}\u{11A8}\u{AC00}\u{E33}\u{FE0F}\u{2460}]{0,40}"
        ) {
            let mapped = normalize(&s);
            let mut text_only = Normalized::default();
            normalize_text_into(&s, &mut text_only);
            prop_assert_eq!(mapped.as_str(), text_only.as_str());
        }

        #[test]
        fn text_not_nfkc_maps_as_a_grapheme_cluster_at_a_time(
            s in "[a-cA-C \r\n.\u{e9}\u{a0}\u{2026}\u{301}\u{fb01}\u{4E00}]{0,40}|\\PC{0,40}|[a-c \r\n\u{a0}\u{2026}\u{301}\u{600}\u{1F1E6}\u{1F1E7}\u{200D}\u{1F469}\u{1100}\u{1161}\u{11A8}\u{AC00}\u{E33}\u{FE0F}\u{2460}]{0,40}|[ -~\r\n]{0,80}\u{a0}[ -~\r\n]{0,80}"
        ) {
            // Normalised a cluster at a time: each cluster's bytes map to the cluster.
            let (mut text, mut map, mut unit) = (String::new(), Vec::new(), String::new());
            for (i, g) in s.grapheme_indices(true) {
                unit.clear();
                for c in g.nfkc() {
                    fold_char(c, &mut unit);
                }
                text.push_str(&unit);
                map.extend(std::iter::repeat_n(Span::new(i as u32, (i + g.len()) as u32), unit.len()));
            }
            let mut got = Normalized::default();
            let mut buf = Vec::new();
            normalize_regions(&s, &mut buf, Some(&mut got));
            got.text = String::from_utf8(buf).expect("UTF-8");
            prop_assert_eq!(got.as_str(), text.as_str());
            for (k, &want) in map.iter().enumerate() {
                prop_assert_eq!(got.original_span(k, k + 1), want);
            }
            if !is_nfkc_quick_yes(&s) {
                let n = normalize(&s);
                prop_assert_eq!(n.as_str(), text.as_str());
                for (k, &want) in map.iter().enumerate() {
                    prop_assert_eq!(n.original_span(k, k + 1), want);
                }
            }
        }

        #[test]
        fn nfkc_check_by_runs_equals_whole_check(s in "[a-c \u{e9}\u{301}\u{327}\u{2026}\u{fb01}\u{AC00}\u{1100}\u{1161}]{0,24}|\\PC{0,24}") {
            prop_assert_eq!(is_nfkc_quick_yes(&s), is_nfkc_quick(s.chars()) == IsNormalized::Yes);
        }

        #[test]
        fn ascii_run_end_finds_the_first_high_byte(s in "[a-c ]{0,20}[\u{e9}\u{2026}]?[a-c]{0,20}", from in 0usize..40) {
            let bytes = s.as_bytes();
            let from = from.min(bytes.len());
            let want = bytes[from..].iter().position(|&b| b >= 0x80).map_or(bytes.len(), |k| from + k);
            prop_assert_eq!(ascii_run_end(bytes, from), want);
        }

        #[test]
        fn long_ascii_runs_fold_and_map_as_char_by_char(
            s in "[ -~\n\t]{0,150}[\u{e9}\u{2019}\u{4E00}A]?[ -~]{0,100}[\u{e9}\u{2019}]?[ -~]{0,70}",
        ) {
            // Runs of 64 bytes and more before, between and after non-ASCII characters
            // (each its own grapheme cluster, already NFKC).
            let got = normalize(&s);
            let (mut text, mut map) = (String::new(), Vec::new());
            for (i, c) in s.char_indices() {
                let before = text.len();
                fold_char(c, &mut text);
                map.extend(std::iter::repeat_n(Span::new(i as u32, (i + c.len_utf8()) as u32), text.len() - before));
            }
            prop_assert_eq!(got.as_str(), text.as_str());
            for (k, &want) in map.iter().enumerate() {
                prop_assert_eq!(got.original_span(k, k + 1), want);
            }
        }

        #[test]
        fn folding_runs_agrees_with_folding_bytes(
            bytes in proptest::collection::vec(0u8..0x80, 0..300),
            high in proptest::option::of((0usize..300, 0x80u8..=0xFF)),
            from in 0usize..8,
        ) {
            // A run of ASCII bytes, maybe cut by a high byte, seen from a few offsets.
            let mut bytes = bytes;
            if let Some((at, b)) = high {
                let at = at.min(bytes.len());
                bytes.insert(at, b);
            }
            let from = from.min(bytes.len());
            let want_len = ascii_run_end(&bytes, from) - from;
            let want: Vec<u8> = b"prefix".iter().copied().chain(bytes[from..from + want_len].iter().map(|&b| fold_ascii(b))).collect();
            let mut got = b"prefix".to_vec();
            prop_assert_eq!(fold_ascii_run(&bytes[from..], &mut got), want_len);
            prop_assert_eq!(got, want);
        }

        #[test]
        fn ascii_fast_path_agrees_with_char_path(s in "[ -~\t\n\r]{0,64}") {
            let fast = normalize(&s);
            let mut slow = String::new();
            for c in s.chars() { fold_char(c, &mut slow); }
            prop_assert_eq!(fast.as_str(), slow.as_str());
        }

        #[test]
        fn every_normalized_range_maps_to_original_char_boundaries(s in "\\PC{0,40}") {
            let n = normalize(&s);
            let t = n.as_str();
            let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for w in bounds.windows(2) {
                for &end in &bounds[bounds.iter().position(|&b| b == w[1]).unwrap()..] {
                    let span = n.original_span(w[0], end);
                    prop_assert!(span.end as usize <= s.len());
                    prop_assert!(s.is_char_boundary(span.start as usize));
                    prop_assert!(s.is_char_boundary(span.end as usize));
                    prop_assert!(span.start < span.end);
                }
            }
        }

        #[test]
        fn ascii_runs_agree_with_one_char_at_a_time(s in "[a-cA-C0-2 .,`\t\r\n\x7f\u{e9}\u{2019}\u{2014}\u{b7}\u{ad}\u{df}\u{130}\u{fb01}]{0,64}") {
            let n = normalize(&s);
            let mut text = String::new();
            let (mut starts, mut ends) = (Vec::new(), Vec::new());
            if is_nfkc_quick(s.chars()) == IsNormalized::Yes && !s.is_ascii() {
                for (i, c) in s.char_indices() {
                    let before = text.len();
                    fold_char(c, &mut text);
                    for _ in before..text.len() {
                        starts.push(i as u32);
                        ends.push((i + c.len_utf8()) as u32);
                    }
                }
                prop_assert_eq!(n.as_str(), text.as_str());
                prop_assert_eq!(&n.starts, &starts);
                prop_assert_eq!(&n.ends, &ends);
            }
        }

        #[test]
        fn normalization_is_idempotent_on_ascii(s in "[ -~]{0,64}") {
            let once = normalize(&s);
            let twice = normalize(once.as_str());
            prop_assert_eq!(once.as_str(), twice.as_str());
        }
    }
}
