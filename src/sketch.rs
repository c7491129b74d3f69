//! Per-document analysis: tokens, boilerplate mask, shingle set, MinHash signature.
//!
//! A [`Sketcher`] owns the reusable buffers of one worker thread; the pipeline gives each
//! rayon worker its own.

use crate::boilerplate::{segment_hashes, Boilerplate, MIN_CONTENT_SHARE, MIN_CONTENT_SHINGLES};
use crate::minhash::{MinHasher, Signature};
use crate::text::{for_each_shingle, Shingling, Tokenizer};

/// What the document scan keeps of each document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocSketch {
    /// MinHash of the shingle set; `None` for a document without shingles.
    pub signature: Option<Signature>,
    /// Number of distinct shingles in the compared set.
    pub set_size: u32,
    /// True when boilerplate shingles were left out of the compared set.
    pub content_only: bool,
}

/// Reusable buffers for sketching documents on one thread.
pub struct Sketcher<'a> {
    shingling: Shingling,
    boilerplate: &'a Boilerplate,
    tokenizer: Tokenizer,
    marks: Vec<bool>,
    set: Vec<u64>,
    content: Vec<u64>,
    table: Vec<u64>,
}

impl<'a> Sketcher<'a> {
    /// A sketcher for one shingling and boilerplate set.
    pub fn new(shingling: Shingling, boilerplate: &'a Boilerplate) -> Sketcher<'a> {
        Sketcher {
            shingling,
            boilerplate,
            tokenizer: Tokenizer::new(),
            marks: Vec::new(),
            set: Vec::new(),
            content: Vec::new(),
            table: Vec::new(),
        }
    }

    /// The set of shingle hashes a document is compared on, sorted, each once, and
    /// whether boilerplate was left out of it (see [`crate::boilerplate`]).
    pub fn shingle_set(&mut self, text: &str) -> (&[u64], bool) {
        self.tokenizer.tokenize(text);
        self.current_set(true)
    }

    /// The document's sketch, and the hashes of its segments (as
    /// [`segment_hashes`](crate::boilerplate::segment_hashes) gives them) in `segments`,
    /// from one tokenising pass: the document scan counts segments and sketches at once.
    pub fn sketch_with_segments(&mut self, text: &str, hasher: &MinHasher, segments: &mut Vec<u64>) -> DocSketch {
        segment_hashes(self.tokenizer.tokenize(text), segments);
        let (set, content_only) = self.current_set(false);
        sketch_of(set, content_only, hasher)
    }

    /// The compared set of the document last tokenised (see [`Sketcher::shingle_set`]),
    /// sorted or in no particular order (enough for a signature and a size).
    fn current_set(&mut self, sorted: bool) -> (&[u64], bool) {
        let tokens = self.tokenizer.tokens();
        let has_boilerplate = self.boilerplate.mark_tokens(tokens, &mut self.marks);
        self.set.clear();
        self.content.clear();
        let tok = &self.tokenizer;
        let marks = &self.marks;
        let (set, content) = (&mut self.set, &mut self.content);
        for_each_shingle(
            self.shingling,
            tok.tokens(),
            tok.normalized(),
            |a, b| tok.original_span(a, b),
            |s| {
                set.push(s.hash);
                if has_boilerplate {
                    let words = (s.last_token - s.first_token + 1) as usize;
                    let common = marks[s.first_token as usize..=s.last_token as usize].iter().filter(|&&m| m).count();
                    if common * 2 <= words {
                        content.push(s.hash);
                    }
                }
            },
        );
        let all = self.set.len();
        let content = self.content.len();
        let use_content = has_boilerplate
            && content > 0
            && (content >= MIN_CONTENT_SHINGLES || content as f64 >= MIN_CONTENT_SHARE * all as f64);
        let chosen = if use_content { &mut self.content } else { &mut self.set };
        if sorted {
            chosen.sort_unstable();
            chosen.dedup();
        } else {
            dedup_unordered(chosen, &mut self.table);
        }
        (chosen, use_content)
    }

    /// The document's sketch: signature and set size.
    pub fn sketch(&mut self, text: &str, hasher: &MinHasher) -> DocSketch {
        self.tokenizer.tokenize(text);
        let (set, content_only) = self.current_set(false);
        sketch_of(set, content_only, hasher)
    }
}

/// Removes repeated values from `v`, keeping first occurrences in order, with an
/// open-addressing table (`table` is scratch space): cheaper than sorting when only the
/// distinct values matter. Shingle hashes are well mixed, so their low bits index it.
fn dedup_unordered(v: &mut Vec<u64>, table: &mut Vec<u64>) {
    if v.len() < 32 {
        v.sort_unstable();
        v.dedup();
        return;
    }
    let size = (v.len() * 2).next_power_of_two();
    table.clear();
    table.resize(size, 0);
    let mask = size - 1;
    let mut zero_seen = false;
    let mut kept = 0;
    for r in 0..v.len() {
        let h = v[r];
        if h == 0 {
            // 0 marks a free slot, so it is tracked apart.
            if !zero_seen {
                zero_seen = true;
                v[kept] = h;
                kept += 1;
            }
            continue;
        }
        let mut i = h as usize & mask;
        loop {
            let t = table[i];
            if t == 0 {
                table[i] = h;
                v[kept] = h;
                kept += 1;
                break;
            }
            if t == h {
                break;
            }
            i = (i + 1) & mask;
        }
    }
    v.truncate(kept);
}

fn sketch_of(set: &[u64], content_only: bool, hasher: &MinHasher) -> DocSketch {
    let signature = if set.is_empty() { None } else { Some(hasher.signature_of_slice(set)) };
    DocSketch { signature, set_size: set.len() as u32, content_only }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::SegmentCounts;

    #[test]
    fn unordered_dedup_keeps_each_value_once() {
        let mut table = Vec::new();
        for n in [0usize, 5, 31, 32, 100, 1000] {
            let mut v: Vec<u64> = (0..n as u64).map(|i| crate::text::shingle::finish(i % 37) & 0xFFFF).collect();
            v.extend([0, 0, 7]);
            let mut expected = v.clone();
            expected.sort_unstable();
            expected.dedup();
            dedup_unordered(&mut v, &mut table);
            v.sort_unstable();
            assert_eq!(v, expected);
        }
    }

    #[test]
    fn boilerplate_is_left_out_when_content_remains() {
        let footer = "Leave a Reply. Your email address will not be published. Required fields are marked.";
        let docs: Vec<String> = (0..5)
            .map(|i| format!("Story number {i} about something else entirely with many words in it today.\n{footer}"))
            .collect();
        let mut counts = SegmentCounts::default();
        let mut t = Tokenizer::new();
        let mut segs = Vec::new();
        for d in &docs {
            segment_hashes(t.tokenize(d), &mut segs);
            counts.add_document(&segs);
        }
        let bp = Boilerplate::from_counts(&counts, 3);
        let mut s = Sketcher::new(Shingling::default(), &bp);
        let (set0, content_only) = s.shingle_set(&docs[0]);
        let set0 = set0.to_vec();
        assert!(content_only);
        let none = Boilerplate::none();
        let mut plain = Sketcher::new(Shingling::default(), &none);
        let footer_set = plain.shingle_set(footer).0.to_vec();
        let all0 = plain.shingle_set(&docs[0]).0.to_vec();
        assert!(footer_set.iter().all(|h| all0.binary_search(h).is_ok()));
        assert!(
            footer_set.iter().all(|h| set0.binary_search(h).is_err()),
            "no shingle of the footer alone is compared"
        );
        assert!(set0.len() < all0.len());

        // A document that is only the footer keeps it (nothing else to compare).
        let (set, content_only) = s.shingle_set(footer);
        assert!(!content_only);
        assert!(!set.is_empty());
    }
}
