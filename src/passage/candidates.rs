//! Corpus-wide passage candidates: document pairs that may share a passage.
//!
//! Two kinds of evidence, both computed from one pass over each document's words:
//!
//! - **Verbatim**: winnowed word 5-gram fingerprints (window [`WINNOW_WINDOW`]), so every
//!   shared run of `5 + 6 - 1 = 10` or more words yields a shared fingerprint; a pair needs
//!   [`MIN_SHARED_FINGERPRINTS`] of them.
//! - **Reworded**: for each sentence with at least [`MIN_KEY_WORDS`] content words (stop
//!   words and numbers dropped, each word cut to its first [`PREFIX_CHARS`] characters, a
//!   cheap stem), [`KEY_BANDS`] MinHash keys of two values each. Two renderings of one
//!   statement share most names and rare words, so they share a key with good
//!   probability (a key of two values collides with probability J², so six keys find a
//!   pair of sentences of content-word Jaccard 0.5 with probability 0.82).
//!
//! Fingerprints and keys found in more than `max_docs` documents are not evidence: they
//! are boilerplate, stock phrases or words every story uses.

use rayon::prelude::*;

use super::fingerprint::{shared_fingerprint_pairs, winnow};
use crate::input::Document;
use crate::minhash::MinHasher;
use crate::similarity::lexicon::is_stop_word;
use crate::text::shingle::finish;
use crate::text::{for_each_shingle, DocId, Shingling, Tokenizer};

/// Winnowing window (in 5-gram hashes).
pub const WINNOW_WINDOW: usize = 6;
/// Shared fingerprints that make a verbatim candidate.
pub const MIN_SHARED_FINGERPRINTS: usize = 2;
/// Fewest content words of a sentence that gets keys.
pub const MIN_KEY_WORDS: usize = 5;
/// Characters kept of each content word for keys.
pub const PREFIX_CHARS: usize = 5;
/// Keys per sentence.
pub const KEY_BANDS: usize = 6;

const FINGERPRINT_SHINGLES: Shingling = Shingling { kind: crate::text::ShingleKind::Words, size: 5 };

/// Candidate pairs `(a, b)`, `a <= b`, sorted and distinct.
pub fn candidate_pairs(documents: &[Document], max_docs: usize) -> Vec<(DocId, DocId)> {
    let key_hasher = MinHasher::new(2 * KEY_BANDS, 0x005E_ED0F_5E47);
    let evidence: Vec<(Vec<u64>, Vec<u64>)> = documents
        .par_iter()
        .map_init(Tokenizer::new, |tok, doc| document_evidence(&doc.text, tok, &key_hasher))
        .collect();
    let (fingerprints, keys): (Vec<Vec<u64>>, Vec<Vec<u64>>) = evidence.into_iter().unzip();
    let mut pairs = shared_fingerprint_pairs(&fingerprints, max_docs, MIN_SHARED_FINGERPRINTS);
    drop(fingerprints);
    pairs.extend(shared_fingerprint_pairs(&keys, max_docs, 1));
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// A document's fingerprints and sentence keys.
fn document_evidence(text: &str, tok: &mut Tokenizer, key_hasher: &MinHasher) -> (Vec<u64>, Vec<u64>) {
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
    let mut words: Vec<u64> = Vec::new();
    for segment in tok.tokens().chunk_by(|a, b| a.segment == b.segment) {
        words.clear();
        for t in segment {
            let w = &norm[t.norm.range()];
            if is_stop_word(w) || w.chars().any(|c| c.is_numeric()) {
                continue;
            }
            let cut = w.char_indices().nth(PREFIX_CHARS).map_or(w.len(), |(i, _)| i);
            words.push(xxhash_rust::xxh3::xxh3_64(&w.as_bytes()[..cut]));
        }
        words.sort_unstable();
        words.dedup();
        if words.len() < MIN_KEY_WORDS {
            continue;
        }
        let sig = key_hasher.signature(words.iter().copied());
        for band in 0..KEY_BANDS {
            let (x, y) = (sig[2 * band] as u64, sig[2 * band + 1] as u64);
            keys.push(finish((band as u64) << 58 ^ x << 29 ^ y ^ 0xA5A5));
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
