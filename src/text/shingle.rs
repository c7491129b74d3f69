//! k-shingles of a document's tokens, as 64-bit hashes with their original spans.
//!
//! - `words:K` (the default, K = 5): each run of K consecutive tokens.
//! - `chars:K`: each run of K consecutive characters of the words (white space and
//!   punctuation dropped; the first character of each word is marked, so "ab cd" and
//!   "abc d" differ).
//!
//! A document with fewer than K units yields a single shingle of all of them, so short
//! documents still match. Hashes are deterministic (fixed keys; words hashed by
//! [`word_hash`](super::word_hash)), never per-process.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::span::Span;
use super::token::Token;

/// What a shingle is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShingleKind {
    /// Consecutive words.
    Words,
    /// Consecutive characters of words.
    Chars,
}

/// Shingle kind and size, written `words:5` or `chars:7`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shingling {
    /// Words or characters.
    pub kind: ShingleKind,
    /// Units per shingle (1 to 32).
    pub size: usize,
}

/// Largest shingle size accepted.
pub const MAX_SHINGLE_SIZE: usize = 32;

impl Default for Shingling {
    fn default() -> Shingling {
        Shingling { kind: ShingleKind::Words, size: 5 }
    }
}

impl fmt::Display for Shingling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ShingleKind::Words => "words",
            ShingleKind::Chars => "chars",
        };
        write!(f, "{kind}:{}", self.size)
    }
}

impl FromStr for Shingling {
    type Err = String;

    fn from_str(s: &str) -> Result<Shingling, String> {
        let (kind, size) =
            s.split_once(':').ok_or_else(|| format!("shingles {s:?}: expected KIND:SIZE, e.g. words:5 or chars:7"))?;
        let kind = match kind {
            "words" | "word" => ShingleKind::Words,
            "chars" | "char" => ShingleKind::Chars,
            _ => return Err(format!("shingles {s:?}: kind must be words or chars")),
        };
        let size: usize = size.parse().map_err(|_| format!("shingles {s:?}: size must be a whole number"))?;
        if !(1..=MAX_SHINGLE_SIZE).contains(&size) {
            return Err(format!("shingles {s:?}: size must be 1 to {MAX_SHINGLE_SIZE}"));
        }
        Ok(Shingling { kind, size })
    }
}

/// One shingle: its hash, its original bytes and the tokens it spans (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shingle {
    /// Deterministic 64-bit hash of the normalised units.
    pub hash: u64,
    /// The shingle's bytes in the original text.
    pub span: Span,
    /// Index of the first token it touches.
    pub first_token: u32,
    /// Index of the last token it touches.
    pub last_token: u32,
}

/// Calls `f` for each shingle of `tokens`, in document order.
///
/// `normalized` is the normalised text the tokens index into and `original_span`
/// maps a normalised byte range to original bytes (both from the
/// [`Tokenizer`](super::token::Tokenizer)); only `chars:K` shingles use them.
pub fn for_each_shingle(
    shingling: Shingling,
    tokens: &[Token],
    normalized: &str,
    original_span: impl Fn(usize, usize) -> Span,
    mut f: impl FnMut(Shingle),
) {
    let k = shingling.size;
    match shingling.kind {
        ShingleKind::Words => {
            if tokens.is_empty() {
                return;
            }
            let k = k.min(tokens.len());
            for i in 0..=tokens.len() - k {
                let window = &tokens[i..i + k];
                let mut h = 0u64;
                for t in window {
                    h = combine(h, t.hash);
                }
                f(Shingle {
                    hash: finish(h),
                    span: Span::new(window[0].span.start, window[k - 1].span.end),
                    first_token: i as u32,
                    last_token: (i + k - 1) as u32,
                });
            }
        }
        ShingleKind::Chars => {
            // (unit hash, normalised start, normalised end, token index)
            let mut units: Vec<(u64, u32, u32, u32)> = Vec::new();
            for (ti, t) in tokens.iter().enumerate() {
                let word = &normalized[t.norm.range()];
                for (ci, c) in word.char_indices() {
                    let start = t.norm.start + ci as u32;
                    let marker = if ci == 0 { 1u64 << 32 } else { 0 };
                    units.push((c as u64 | marker, start, start + c.len_utf8() as u32, ti as u32));
                }
            }
            if units.is_empty() {
                return;
            }
            let k = k.min(units.len());
            for i in 0..=units.len() - k {
                let window = &units[i..i + k];
                let mut h = 0u64;
                for u in window {
                    h = combine(h, u.0.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                }
                let first = original_span(window[0].1 as usize, window[0].2 as usize);
                let last = original_span(window[k - 1].1 as usize, window[k - 1].2 as usize);
                f(Shingle {
                    hash: finish(h),
                    span: first.cover(last),
                    first_token: window[0].3,
                    last_token: window[k - 1].3,
                });
            }
        }
    }
}

/// Calls `f(i, hash)` for each `words:k` shingle of the words with hashes `words`, `i`
/// being the index of its first word: the same hashes, in the same order, as
/// [`for_each_shingle`] gives for `words:k` over tokens with these hashes.
#[inline]
pub fn for_each_word_shingle_hash(k: usize, words: &[u64], mut f: impl FnMut(usize, u64)) {
    if words.is_empty() {
        return;
    }
    // Unrolled for the common sizes: the windows' hashes are independent, and the
    // processor overlaps them when the loop has no inner loop of unknown length.
    match k.min(words.len()) {
        1 => word_shingle_hashes::<1>(words, f),
        2 => word_shingle_hashes::<2>(words, f),
        3 => word_shingle_hashes::<3>(words, f),
        4 => word_shingle_hashes::<4>(words, f),
        5 => word_shingle_hashes::<5>(words, f),
        6 => word_shingle_hashes::<6>(words, f),
        k => {
            for (i, window) in words.windows(k).enumerate() {
                f(i, finish(window.iter().fold(0, |h, &w| combine(h, w))));
            }
        }
    }
}

/// Appends to `out` the hashes [`for_each_word_shingle_hash`] gives for `words:k` over
/// `words`, in order: eight shingles at a time with AVX-512 (F and DQ, for the 64-bit
/// multiplications) where the processor has it and `k` (or the one shingle of fewer
/// words) is 4 or 5, the document scan's and the passage fingerprints' sizes.
pub fn word_shingle_hashes_into(k: usize, words: &[u64], out: &mut Vec<u64>) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512dq") {
        match k.min(words.len()) {
            // SAFETY: the processor has AVX-512F and DQ.
            4 => return unsafe { word_shingle_hashes_avx512::<4>(words, out) },
            5 => return unsafe { word_shingle_hashes_avx512::<5>(words, out) },
            _ => {}
        }
    }
    for_each_word_shingle_hash(k, words, |_, h| out.push(h));
}

/// [`word_shingle_hashes_into`] for `words:K` over at least `K` words, eight shingles at
/// a time, one a lane: the lanes' hashes are independent, as in the scalar loop.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn word_shingle_hashes_avx512<const K: usize>(words: &[u64], out: &mut Vec<u64>) {
    use std::arch::x86_64::*;
    debug_assert!(words.len() >= K);
    let n = words.len() + 1 - K;
    out.reserve(n);
    let (start, dst) = (out.len(), out.as_mut_ptr());
    let wide = |c: u64| _mm512_set1_epi64(c as i64);
    let mut i = 0;
    while i + 8 <= n {
        let mut h = _mm512_setzero_si512();
        for j in 0..K {
            let x = _mm512_loadu_si512(words.as_ptr().add(i + j).cast());
            h = _mm512_mullo_epi64(_mm512_xor_si512(_mm512_rol_epi64::<27>(h), x), wide(COMBINE_MUL));
        }
        h = _mm512_xor_si512(h, _mm512_srli_epi64::<33>(h));
        h = _mm512_mullo_epi64(h, wide(FINISH_MUL_1));
        h = _mm512_xor_si512(h, _mm512_srli_epi64::<33>(h));
        h = _mm512_mullo_epi64(h, wide(FINISH_MUL_2));
        h = _mm512_xor_si512(h, _mm512_srli_epi64::<33>(h));
        _mm512_storeu_si512(dst.add(start + i).cast(), h);
        i += 8;
    }
    out.set_len(start + i);
    word_shingle_hashes::<K>(&words[i..], |_, h| out.push(h));
}

#[inline(always)]
fn word_shingle_hashes<const K: usize>(words: &[u64], mut f: impl FnMut(usize, u64)) {
    for (i, window) in words.windows(K).enumerate() {
        let window: &[u64; K] = window.try_into().expect("K words");
        let mut h = 0u64;
        for &w in window {
            h = combine(h, w);
        }
        f(i, finish(h));
    }
}

/// The multiplier of [`combine`], and those of [`finish`].
const COMBINE_MUL: u64 = 0x9FB2_1C65_1E98_DF25;
const FINISH_MUL_1: u64 = 0xFF51_AFD7_ED55_8CCD;
const FINISH_MUL_2: u64 = 0xC4CE_B9FE_1A85_EC53;

#[inline]
fn combine(h: u64, x: u64) -> u64 {
    (h.rotate_left(27) ^ x).wrapping_mul(COMBINE_MUL)
}

/// The 64-bit finaliser of MurmurHash3: full avalanche of the combined value.
#[inline]
pub(crate) fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(FINISH_MUL_1);
    h ^= h >> 33;
    h = h.wrapping_mul(FINISH_MUL_2);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::token::Tokenizer;

    fn shingles(text: &str, shingling: Shingling) -> Vec<(u64, String)> {
        let mut t = Tokenizer::new();
        t.tokenize(text);
        let mut out = Vec::new();
        for_each_shingle(
            shingling,
            t.tokens(),
            t.normalized(),
            |a, b| t.original_span(a, b),
            |s| out.push((s.hash, text[s.span.range()].to_string())),
        );
        out
    }

    #[test]
    fn word_shingles_span_their_words() {
        let s = shingles("The cat, sat on the mat", "words:3".parse().unwrap());
        let texts: Vec<&str> = s.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(texts, ["The cat, sat", "cat, sat on", "sat on the", "on the mat"]);
    }

    #[test]
    fn same_words_same_hash_regardless_of_case_and_punctuation() {
        let a = shingles("The cat sat", "words:3".parse().unwrap());
        let b = shingles("the CAT -- sat!", "words:3".parse().unwrap());
        assert_eq!(a[0].0, b[0].0);
        let c = shingles("the sat cat", "words:3".parse().unwrap());
        assert_ne!(a[0].0, c[0].0, "order matters");
    }

    #[test]
    fn short_documents_give_one_shingle() {
        let s = shingles("Read more", Shingling::default());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].1, "Read more");
        assert!(shingles("  ...  ", Shingling::default()).is_empty());
    }

    #[test]
    fn char_shingles_respect_word_starts() {
        let c3: Shingling = "chars:3".parse().unwrap();
        let a = shingles("ab cd", c3);
        let b = shingles("abc d", c3);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].1, "ab c");
        assert_ne!(a[0].0, b[0].0);
    }

    #[test]
    fn parses_and_prints() {
        let s: Shingling = "chars:7".parse().unwrap();
        assert_eq!(s.to_string(), "chars:7");
        assert!("words:0".parse::<Shingling>().is_err());
        assert!("lines:3".parse::<Shingling>().is_err());
        assert!("words".parse::<Shingling>().is_err());
    }

    #[test]
    fn word_shingle_hashes_into_gives_each_shingles_hash() {
        let words: Vec<u64> = (0..70u64).map(|i| finish(i).rotate_left(i as u32) ^ (i % 5)).collect();
        for k in 1..8 {
            for n in 0..words.len() {
                let mut want = vec![7];
                for_each_word_shingle_hash(k, &words[..n], |_, h| want.push(h));
                let mut got = vec![7];
                word_shingle_hashes_into(k, &words[..n], &mut got);
                assert_eq!(got, want, "k = {k}, {n} words");
            }
        }
    }
}
