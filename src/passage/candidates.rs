//! Corpus-wide passage candidates: document pairs that may share a passage.
//!
//! Two kinds of evidence:
//!
//! - **Verbatim**: winnowed word 5-gram fingerprints (window [`WINNOW_WINDOW`]), so every
//!   shared run of `5 + 6 - 1 = 10` or more words yields a shared fingerprint; a pair needs
//!   [`MIN_SHARED_FINGERPRINTS`] of them.
//! - **Reworded**: two renderings of one statement keep its names and rare words while
//!   the common words around them change. A first pass counts in how many documents each
//!   content word occurs (stop words and numbers dropped, each word cut to its first
//!   [`PREFIX_CHARS`] characters, a cheap stem). Each sentence's [`RAREST_WORDS`] rarest
//!   content words found in at least two documents give one key per pair of them; two
//!   sentences sharing two of their three rarest words share a key.
//!
//! Fingerprints and keys found in more than `max_docs` documents are not evidence: they
//! are boilerplate, stock phrases or words every story uses.

use ahash::AHashMap;
use rayon::prelude::*;

use super::fingerprint::{shared_fingerprint_pairs, winnow};
use crate::input::Document;
use crate::similarity::lexicon::{is_stop_word, is_stop_word_hashed};
use crate::text::shingle::finish;
use crate::text::{for_each_shingle, DocId, Shingling, Token, Tokenizer};

/// Winnowing window (in 5-gram hashes).
pub const WINNOW_WINDOW: usize = 6;
/// Shared fingerprints that make a verbatim candidate.
pub const MIN_SHARED_FINGERPRINTS: usize = 2;
/// Fewest content words of a sentence that gets keys.
pub const MIN_KEY_WORDS: usize = 5;
/// Characters kept of each content word for keys.
pub const PREFIX_CHARS: usize = 5;
/// Rarest words of a sentence that form its keys.
pub const RAREST_WORDS: usize = 3;

const FINGERPRINT_SHINGLES: Shingling = Shingling { kind: crate::text::ShingleKind::Words, size: 5 };

/// Candidate pairs `(a, b)`, `a <= b`, sorted and distinct.
pub fn candidate_pairs(documents: &[Document], max_docs: usize) -> Vec<(DocId, DocId)> {
    // One tokenising pass: each document's fingerprints and the distinct content words of
    // its sentences (those with enough of them to get keys), and the document frequency
    // of content words.
    type Local = (Tokenizer, Vec<u64>, AHashMap<u64, u32>, Vec<(usize, DocWords)>);
    let (df, mut found) = documents
        .par_iter()
        .enumerate()
        .fold(
            || -> Local { (Tokenizer::new(), Vec::new(), AHashMap::new(), Vec::new()) },
            |(mut tok, mut words, mut df, mut found), (d, doc)| {
                let data = document_words(&doc.text, &mut tok, &mut words);
                for &w in &words {
                    *df.entry(w).or_insert(0) += 1;
                }
                found.push((d, data));
                (tok, words, df, found)
            },
        )
        .map(|(_, _, df, found)| (df, found))
        .reduce(
            || (AHashMap::new(), Vec::new()),
            |(mut a, mut found_a), (b, found_b)| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, std::mem::take(&mut a)) };
                for (w, n) in small {
                    *big.entry(w).or_insert(0) += n;
                }
                found_a.extend(found_b);
                (big, found_a)
            },
        );
    found.par_sort_unstable_by_key(|x| x.0);
    // Fingerprints and sentence keys.
    let (fingerprints, keys): (Vec<Vec<u64>>, Vec<Vec<u64>>) = found
        .into_par_iter()
        .map(|(_, data)| {
            let keys = sentence_keys(&data, &df, max_docs);
            (data.fingerprints, keys)
        })
        .unzip();
    let mut pairs = shared_fingerprint_pairs(&fingerprints, max_docs, MIN_SHARED_FINGERPRINTS);
    drop(fingerprints);
    pairs.extend(shared_fingerprint_pairs(&keys, max_docs, 1));
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// What the candidate search keeps of a document.
struct DocWords {
    /// Winnowed fingerprints, in document order.
    fingerprints: Vec<u64>,
    /// The sorted, distinct content words of each segment with at least MIN_KEY_WORDS of
    /// them, one segment after another.
    words: Vec<u64>,
    /// Where each such segment's words end in `words`.
    ends: Vec<u32>,
}

/// The hash of a token's cheap stem, if it is a content word.
fn content_word(norm: &str, t: &Token) -> Option<u64> {
    let w = &norm[t.norm.range()];
    let bytes = w.as_bytes();
    if bytes.is_ascii() {
        // The same tests, a byte at a time; a word no longer than its prefix has the
        // token's hash already.
        if bytes.iter().any(u8::is_ascii_digit) || is_stop_word_hashed(w, t.hash) {
            return None;
        }
        return Some(if bytes.len() <= PREFIX_CHARS {
            t.hash
        } else {
            xxhash_rust::xxh3::xxh3_64(&bytes[..PREFIX_CHARS])
        });
    }
    if is_stop_word(w) || w.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let cut = w.char_indices().nth(PREFIX_CHARS).map_or(w.len(), |(i, _)| i);
    Some(xxhash_rust::xxh3::xxh3_64(&bytes[..cut]))
}

/// A document's fingerprints and segment words; `distinct` gets its distinct content
/// words (for document frequencies).
fn document_words(text: &str, tok: &mut Tokenizer, distinct: &mut Vec<u64>) -> DocWords {
    tok.tokenize(text);
    let mut hashes = Vec::new();
    for_each_shingle(
        FINGERPRINT_SHINGLES,
        tok.tokens(),
        tok.normalized(),
        |x, y| tok.original_span(x, y),
        |s| hashes.push(s.hash),
    );
    let mut fps = Vec::new();
    winnow(&hashes, WINNOW_WINDOW, &mut fps);
    let fingerprints = fps.into_iter().map(|(h, _)| h).collect();

    let norm = tok.normalized();
    distinct.clear();
    let (mut words, mut ends) = (Vec::new(), Vec::new());
    for segment in tok.tokens().chunk_by(|a, b| a.segment == b.segment) {
        let start = words.len();
        words.extend(segment.iter().filter_map(|t| content_word(norm, t)));
        distinct.extend_from_slice(&words[start..]);
        words[start..].sort_unstable();
        let mut end = start;
        for i in start..words.len() {
            if i == start || words[i] != words[end - 1] {
                words[end] = words[i];
                end += 1;
            }
        }
        if end - start < MIN_KEY_WORDS {
            end = start;
        }
        words.truncate(end);
        if end > start {
            ends.push(end as u32);
        }
    }
    distinct.sort_unstable();
    distinct.dedup();
    DocWords { fingerprints, words, ends }
}

/// A document's sentence keys: for each segment, a key per pair of its RAREST_WORDS
/// rarest content words found in 2 to `max_docs` documents.
fn sentence_keys(data: &DocWords, df: &AHashMap<u64, u32>, max_docs: usize) -> Vec<u64> {
    let mut keys = Vec::new();
    let mut words: Vec<(u32, u64)> = Vec::new();
    let mut start = 0;
    for &end in &data.ends {
        words.clear();
        words.extend(data.words[start..end as usize].iter().map(|&w| (df.get(&w).copied().unwrap_or(0), w)));
        start = end as usize;
        words.sort_unstable();
        let rare: Vec<u64> = words
            .iter()
            .filter(|&&(n, _)| n >= 2 && n as usize <= max_docs)
            .take(RAREST_WORDS)
            .map(|&(_, w)| w)
            .collect();
        for i in 0..rare.len() {
            for j in i + 1..rare.len() {
                let (x, y) = (rare[i].min(rare[j]), rare[i].max(rare[j]));
                keys.push(finish(x.rotate_left(17) ^ y));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, text: &str) -> Document {
        Document { id: id.into(), source: id.into(), text: text.into() }
    }

    #[test]
    fn verbatim_and_reworded_sentences_become_candidates() {
        let docs = vec![
            doc("a", "Officials in Brussels approved the controversial fishing quota after lengthy overnight negotiations."),
            doc("b", "After lengthy overnight negotiations, the controversial fishing quota was approved by officials in Brussels."),
            doc("c", "The museum reopened its sculpture garden to visitors following extensive renovation work."),
            doc("d", "Visitors flocked. The museum reopened its sculpture garden to visitors following extensive renovation work."),
        ];
        let pairs = candidate_pairs(&docs, 10);
        assert!(pairs.contains(&(DocId(0), DocId(1))), "{pairs:?}");
        assert!(pairs.contains(&(DocId(2), DocId(3))), "{pairs:?}");
        assert!(!pairs.contains(&(DocId(0), DocId(2))));
    }

    #[test]
    fn content_words_are_stems_of_five_characters() {
        let mut tok = Tokenizer::new();
        let text = "The 3rd caf\u{e9}s of Brussels, naïvely: ceasefire 1,200 w12 Über über";
        tok.tokenize(text);
        let got: Vec<Option<u64>> = tok.tokens().iter().map(|t| content_word(tok.normalized(), t)).collect();
        let h = |s: &str| Some(xxhash_rust::xxh3::xxh3_64(s.as_bytes()));
        assert_eq!(
            got,
            [None, None, h("caf\u{e9}s"), None, h("bruss"), h("naïve"), h("cease"), None, None, h("über"), h("über")]
        );
    }
}
