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
use crate::similarity::lexicon::is_stop_word;
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
    // Pass 1: document frequency of content words.
    let df = documents
        .par_iter()
        .fold(
            || (Tokenizer::new(), Vec::new(), AHashMap::<u64, u32>::new()),
            |(mut tok, mut words, mut df), doc| {
                tok.tokenize(&doc.text);
                words.clear();
                words.extend(tok.tokens().iter().filter_map(|t| content_word(tok.normalized(), t)));
                words.sort_unstable();
                words.dedup();
                for &w in &words {
                    *df.entry(w).or_insert(0) += 1;
                }
                (tok, words, df)
            },
        )
        .map(|(_, _, df)| df)
        .reduce(AHashMap::new, |mut a, b| {
            for (w, n) in b {
                *a.entry(w).or_insert(0) += n;
            }
            a
        });
    // Pass 2: fingerprints and sentence keys.
    let evidence: Vec<(Vec<u64>, Vec<u64>)> = documents
        .par_iter()
        .map_init(Tokenizer::new, |tok, doc| document_evidence(&doc.text, tok, &df, max_docs))
        .collect();
    let (fingerprints, keys): (Vec<Vec<u64>>, Vec<Vec<u64>>) = evidence.into_iter().unzip();
    let mut pairs = shared_fingerprint_pairs(&fingerprints, max_docs, MIN_SHARED_FINGERPRINTS);
    drop(fingerprints);
    pairs.extend(shared_fingerprint_pairs(&keys, max_docs, 1));
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// The hash of a token's cheap stem, if it is a content word.
fn content_word(norm: &str, t: &Token) -> Option<u64> {
    let w = &norm[t.norm.range()];
    if is_stop_word(w) || w.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let cut = w.char_indices().nth(PREFIX_CHARS).map_or(w.len(), |(i, _)| i);
    Some(xxhash_rust::xxh3::xxh3_64(&w.as_bytes()[..cut]))
}

/// A document's fingerprints and sentence keys.
fn document_evidence(
    text: &str,
    tok: &mut Tokenizer,
    df: &AHashMap<u64, u32>,
    max_docs: usize,
) -> (Vec<u64>, Vec<u64>) {
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
    let mut keys = Vec::new();
    let mut words: Vec<(u32, u64)> = Vec::new();
    for segment in tok.tokens().chunk_by(|a, b| a.segment == b.segment) {
        words.clear();
        words.extend(
            segment.iter().filter_map(|t| content_word(norm, t)).map(|w| (df.get(&w).copied().unwrap_or(0), w)),
        );
        words.sort_unstable();
        words.dedup();
        if words.len() < MIN_KEY_WORDS {
            continue;
        }
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
    (fingerprints, keys)
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
}
