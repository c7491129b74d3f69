//! Per-document analysis: tokens, boilerplate mask, shingle set, MinHash signature.
//!
//! A [`Sketcher`] owns the reusable buffers of one worker thread; the pipeline gives each
//! rayon worker its own.

use crate::boilerplate::{segment_hashes, Boilerplate, SegmentRuns, MIN_CONTENT_SHARE, MIN_CONTENT_SHINGLES};
use crate::hashsort::sort_by_hash;
use crate::minhash::{MinHasher, Signature};
use crate::text::shingle::word_shingle_hashes_into;
use crate::text::token::{Word, WordPlaces};
use crate::text::{for_each_shingle, ShingleKind, Shingling, Tokenizer};

/// Another pass that reads the words of the documents a [`Sketcher`] sketches, as the
/// sketcher finds them ([`Sketcher::sketch_reading`]), so that a corpus's words are
/// found once: the passage stage's candidate pass.
pub trait WordReader {
    /// The document's next word (as [`WordPlaces::word`] gives it).
    fn word(&mut self, word: &Word<'_>);
    /// Word `next` of the document's words, whose hashes are `hashes`, is read next: the
    /// reader may ask for the memory that words further on will need (the words of a
    /// document are all found before the first is read).
    #[inline(always)]
    fn ahead(&self, _hashes: &[u64], _next: usize) {}
    /// All the document's words, `words`, in order: [`WordReader::ahead`] and
    /// [`WordReader::word`] for each, unless the reader reads them otherwise.
    fn words(&mut self, words: &WordPlaces<'_>) {
        let hashes = words.hashes();
        for i in 0..words.len() {
            self.ahead(hashes, i);
            self.word(&words.word(i));
        }
    }
    /// The document's words are all read: `hashes` are their hashes, `segments` their
    /// segment numbers ([`Token::segment`](crate::text::Token)), and `five_grams` the
    /// hashes of their `words:5` shingles when the sketcher computed them (when its
    /// shingling is `words:5`).
    fn end(&mut self, hashes: &[u64], segments: &[u32], five_grams: Option<&[u64]>);
}

/// The word shingles (`size` words each) of a document whose words' hashes are `hashes`
/// and boilerplate marks `marks`: all of them into `set`, and, when it `has_boilerplate`,
/// those at most half of whose words are boilerplate into `content` (both empty).
fn word_shingles_into(
    size: usize,
    hashes: &[u64],
    marks: &[bool],
    has_boilerplate: bool,
    set: &mut Vec<u64>,
    content: &mut Vec<u64>,
) {
    word_shingle_hashes_into(size, hashes, set);
    if has_boilerplate {
        let words = size.min(hashes.len());
        content.extend(set.iter().enumerate().filter_map(|(i, &h)| {
            let common = marks[i..i + words].iter().filter(|&&m| m).count();
            (common * 2 <= words).then_some(h)
        }));
    }
}

/// Whether a document is compared on its content shingles, not all `all` of them: when
/// it has boilerplate and its `content` shingles are enough (see [`crate::boilerplate`]).
fn compares_content(has_boilerplate: bool, all: usize, content: usize) -> bool {
    has_boilerplate
        && content > 0
        && (content >= MIN_CONTENT_SHINGLES || content as f64 >= MIN_CONTENT_SHARE * all as f64)
}

/// The reader of a sketcher that has none.
struct NoReader;

impl WordReader for NoReader {
    #[inline(always)]
    fn word(&mut self, _: &Word<'_>) {}
    #[inline(always)]
    fn end(&mut self, _: &[u64], _: &[u32], _: Option<&[u64]>) {}
}

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
    runs: SegmentRuns,
    set: Vec<u64>,
    content: Vec<u64>,
    table: Vec<u64>,
    set_sizes: bool,
    /// The word hashes of the document, when a [`WordReader`] reads it and the
    /// shingles are of characters, or when it is given by its words
    /// ([`Sketcher::shingle_set_of_words`]).
    hashes: Vec<u64>,
    /// ...and their segment numbers.
    segment_numbers: Vec<u32>,
}

/// How [`Sketcher::chosen_set`] leaves the compared set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SetForm {
    /// Sorted, each hash once.
    Sorted,
    /// Each hash once, in no particular order.
    Distinct,
    /// As the shingles came, repeats and all (enough for a signature: a minimum does not
    /// change with repeats).
    Repeats,
}

impl<'a> Sketcher<'a> {
    /// A sketcher for one shingling and boilerplate set.
    pub fn new(shingling: Shingling, boilerplate: &'a Boilerplate) -> Sketcher<'a> {
        Sketcher {
            shingling,
            boilerplate,
            tokenizer: Tokenizer::new(),
            marks: Vec::new(),
            runs: SegmentRuns::default(),
            set: Vec::new(),
            content: Vec::new(),
            table: Vec::new(),
            set_sizes: true,
            hashes: Vec::new(),
            segment_numbers: Vec::new(),
        }
    }

    /// Whether sketches carry their set size, [`DocSketch::set_size`] (the default), or
    /// 0 there: counting the distinct shingles takes a pass through a hash table, and
    /// the signature is the same without it. For callers that never read set sizes
    /// (the document scan with exact verification).
    pub fn with_set_sizes(mut self, set_sizes: bool) -> Sketcher<'a> {
        self.set_sizes = set_sizes;
        self
    }

    /// The set of shingle hashes a document is compared on, sorted, each once, and
    /// whether boilerplate was left out of it (see [`crate::boilerplate`]).
    pub fn shingle_set(&mut self, text: &str) -> (&[u64], bool) {
        let has_boilerplate = self.shingles(text, None, None::<&mut NoReader>);
        self.chosen_set(has_boilerplate, SetForm::Sorted)
    }

    /// [`Sketcher::shingle_set`] of a document given by its words instead of its text:
    /// each word's hash and whether it lies in boilerplate, in order, as
    /// [`Tokenizer::tokenize`] and [`Boilerplate::mark_tokens`] give them (the
    /// sketcher's own boilerplate is not read). `None` when the shingles are of
    /// characters, which need the text.
    pub fn shingle_set_of_words(&mut self, words: impl Iterator<Item = (u64, bool)>) -> Option<(&[u64], bool)> {
        if self.shingling.kind != ShingleKind::Words {
            return None;
        }
        let Sketcher { shingling, marks, set, content, hashes, .. } = self;
        hashes.clear();
        marks.clear();
        set.clear();
        content.clear();
        for (hash, mark) in words {
            hashes.push(hash);
            marks.push(mark);
        }
        let has_boilerplate = marks.contains(&true);
        word_shingles_into(shingling.size, hashes, marks, has_boilerplate, set, content);
        Some(self.chosen_set(has_boilerplate, SetForm::Sorted))
    }

    /// The document's sketch, and the hashes of its segments (as
    /// [`segment_hashes`](crate::boilerplate::segment_hashes) gives them) in `segments`,
    /// from one tokenising pass: the document scan counts segments and sketches at once.
    pub fn sketch_with_segments(&mut self, text: &str, hasher: &MinHasher, segments: &mut Vec<u64>) -> DocSketch {
        let has_boilerplate = self.shingles(text, Some(segments), None::<&mut NoReader>);
        self.sketch_of_chosen(has_boilerplate, hasher)
    }

    /// The document's sketch, and its segment hashes in `segments` when given (as
    /// [`Sketcher::sketch_with_segments`] gives them), while `reader` reads its words
    /// from the same tokenising pass.
    pub fn sketch_reading(
        &mut self,
        text: &str,
        hasher: &MinHasher,
        segments: Option<&mut Vec<u64>>,
        reader: &mut impl WordReader,
    ) -> DocSketch {
        let has_boilerplate = self.shingles(text, segments, Some(reader));
        self.sketch_of_chosen(has_boilerplate, hasher)
    }

    /// Tokenises `text` and puts the hashes of all its shingles in `self.set` and, when
    /// it has boilerplate (the return value), those of its content shingles in
    /// `self.content` (a shingle is content when at most half its words are
    /// boilerplate); puts the hashes of its segments in `segments` when asked; gives
    /// `reader` the words when there is one.
    ///
    /// Word shingles need only the words' hashes and segments, which
    /// [`Tokenizer::word_hashes`] finds without spans ([`Tokenizer::word_places`] for
    /// a reader); character shingles take the tokens with their spans.
    fn shingles<R: WordReader>(
        &mut self,
        text: &str,
        segments: Option<&mut Vec<u64>>,
        mut reader: Option<&mut R>,
    ) -> bool {
        let Sketcher { shingling, boilerplate, tokenizer, marks, set, content, runs, hashes, segment_numbers, .. } =
            self;
        set.clear();
        content.clear();
        if shingling.kind == ShingleKind::Words {
            let (hashes, segs): (&[u64], &[u32]) = match reader.as_deref_mut() {
                None => tokenizer.word_hashes(text),
                Some(reader) => {
                    let words = tokenizer.word_places(text);
                    reader.words(&words);
                    (words.hashes(), words.segments())
                }
            };
            runs.compute(hashes, segs);
            if let Some(out) = segments {
                runs.hashes(out);
            }
            let has_boilerplate = boilerplate.mark_runs(runs, hashes.len(), marks);
            word_shingles_into(shingling.size, hashes, marks, has_boilerplate, set, content);
            if let Some(reader) = reader {
                reader.end(hashes, segs, (shingling.size == 5).then_some(&set[..]));
            }
            return has_boilerplate;
        }
        tokenizer.tokenize(text);
        let tok = &*tokenizer;
        let tokens = tok.tokens();
        if let Some(reader) = reader {
            let norm = tok.normalized();
            hashes.clear();
            hashes.extend(tokens.iter().map(|t| t.hash));
            segment_numbers.clear();
            segment_numbers.extend(tokens.iter().map(|t| t.segment));
            for (i, t) in tokens.iter().enumerate() {
                reader.ahead(hashes, i);
                reader.word(&Word::new(norm, t.norm.start as usize, t.norm.end as usize, t.hash, t.segment));
            }
            reader.end(hashes, segment_numbers, None);
        }
        if let Some(out) = segments {
            segment_hashes(tokens, out);
        }
        let has_boilerplate = boilerplate.mark_tokens(tokens, marks);
        for_each_shingle(
            *shingling,
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
        has_boilerplate
    }

    /// The compared set of the document last given to [`Sketcher::shingles`] (see
    /// [`Sketcher::shingle_set`]), sorted or in no particular order (enough for a
    /// signature and a size).
    fn chosen_set(&mut self, has_boilerplate: bool, form: SetForm) -> (&[u64], bool) {
        let use_content = compares_content(has_boilerplate, self.set.len(), self.content.len());
        let chosen = if use_content { &mut self.content } else { &mut self.set };
        match form {
            SetForm::Sorted => {
                sort_by_hash(chosen, |&h| h, 1, &mut self.table);
                chosen.dedup();
            }
            SetForm::Distinct => dedup_unordered(chosen, &mut self.table),
            SetForm::Repeats => {}
        }
        (chosen, use_content)
    }

    /// The sketch of the compared set of the document last given to
    /// [`Sketcher::shingles`].
    fn sketch_of_chosen(&mut self, has_boilerplate: bool, hasher: &MinHasher) -> DocSketch {
        let set_sizes = self.set_sizes;
        let form = if set_sizes { SetForm::Distinct } else { SetForm::Repeats };
        let (set, content_only) = self.chosen_set(has_boilerplate, form);
        let signature = if set.is_empty() { None } else { Some(hasher.signature_of_slice(set)) };
        DocSketch { signature, set_size: if set_sizes { set.len() as u32 } else { 0 }, content_only }
    }

    /// The document's sketch: signature and set size.
    pub fn sketch(&mut self, text: &str, hasher: &MinHasher) -> DocSketch {
        let has_boilerplate = self.shingles(text, None, None::<&mut NoReader>);
        self.sketch_of_chosen(has_boilerplate, hasher)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::SegmentCounts;

    /// The compared set as the token path builds it: [`for_each_shingle`] over the tokens,
    /// boilerplate marked on the tokens.
    fn set_from_tokens(text: &str, shingling: Shingling, bp: &Boilerplate) -> (Vec<u64>, bool) {
        let mut t = Tokenizer::new();
        t.tokenize(text);
        let mut marks = Vec::new();
        let has_boilerplate = bp.mark_tokens(t.tokens(), &mut marks);
        let (mut all, mut content) = (Vec::new(), Vec::new());
        for_each_shingle(
            shingling,
            t.tokens(),
            t.normalized(),
            |a, b| t.original_span(a, b),
            |s| {
                all.push(s.hash);
                let words = (s.last_token - s.first_token + 1) as usize;
                let common = marks[s.first_token as usize..=s.last_token as usize].iter().filter(|&&m| m).count();
                if has_boilerplate && common * 2 <= words {
                    content.push(s.hash);
                }
            },
        );
        let use_content = has_boilerplate
            && !content.is_empty()
            && (content.len() >= MIN_CONTENT_SHINGLES || content.len() as f64 >= MIN_CONTENT_SHARE * all.len() as f64);
        let mut chosen = if use_content { content } else { all };
        chosen.sort_unstable();
        chosen.dedup();
        (chosen, use_content)
    }

    proptest::proptest! {
        /// Word shingles from word hashes (the sketcher's path) equal those from tokens.
        #[test]
        fn word_shingle_sets_equal_token_shingle_sets(
            text in "(Leave a Reply[.\n] |Story [a-d]{1,3} here[.?\n] |[a-dA-D\u{e9}]{1,2}[ ,]){0,40}",
            size in 1usize..7,
            common in 0usize..3,
        ) {
            let footer = ["Leave a Reply.", "Story ab here.", "nothing common here"][common];
            let mut segs = Vec::new();
            let mut t = Tokenizer::new();
            segment_hashes(t.tokenize(footer), &mut segs);
            let bp = Boilerplate::from_segments(segs.iter().copied());
            let shingling = Shingling { kind: crate::text::ShingleKind::Words, size };
            let mut sketcher = Sketcher::new(shingling, &bp);
            let (set, content_only) = sketcher.shingle_set(&text);
            let got = (set.to_vec(), content_only);
            proptest::prop_assert_eq!(&got, &set_from_tokens(&text, shingling, &bp));
            // From the words and their marks alone (the sketcher's own boilerplate not
            // read): the same set.
            let tokens = t.tokenize(&text).to_vec();
            let mut marks = Vec::new();
            bp.mark_tokens(&tokens, &mut marks);
            let none = Boilerplate::none();
            let mut from_words = Sketcher::new(shingling, &none);
            let words = tokens.iter().zip(&marks).map(|(t, &m)| (t.hash, m));
            let (set, content_only) = from_words.shingle_set_of_words(words).expect("word shingles");
            proptest::prop_assert_eq!((set.to_vec(), content_only), got);
            let mut with_segments = Vec::new();
            let hasher = MinHasher::with_scheme(16, 1, crate::minhash::MinHashScheme::Classic);
            let a = sketcher.sketch_with_segments(&text, &hasher, &mut with_segments);
            let mut want_segments = Vec::new();
            segment_hashes(t.tokenize(&text), &mut want_segments);
            proptest::prop_assert_eq!(with_segments, want_segments);
            let b = sketcher.sketch(&text, &hasher);
            proptest::prop_assert_eq!(&a, &b);
            // Without set sizes: the same signature and choice, size 0.
            let mut unsized_sketcher = Sketcher::new(shingling, &bp).with_set_sizes(false);
            let c = unsized_sketcher.sketch(&text, &hasher);
            proptest::prop_assert_eq!(&c, &DocSketch { set_size: 0, ..b.clone() });
            let one_perm = MinHasher::with_scheme(16, 1, crate::minhash::MinHashScheme::OnePermutation);
            let (d, e) = (sketcher.sketch(&text, &one_perm), unsized_sketcher.sketch(&text, &one_perm));
            proptest::prop_assert_eq!(e, DocSketch { set_size: 0, ..d });
        }
    }

    proptest::proptest! {
        #[test]
        fn hashes_sort_as_sort_unstable_does(
            mut v in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..3000),
            repeats in 0usize..50,
            low in proptest::prelude::any::<bool>(),
        ) {
            // Repeated values, and values crowded into few buckets (small numbers).
            let again: Vec<u64> = v.iter().take(repeats).copied().collect();
            v.extend(again);
            if low {
                v.iter_mut().for_each(|x| *x >>= 50);
            }
            let mut want = v.clone();
            want.sort_unstable();
            let mut scratch = vec![7; 5];
            sort_by_hash(&mut v, |&h| h, 1, &mut scratch);
            proptest::prop_assert_eq!(v, want);
        }
    }

    #[test]
    fn character_shingles_are_not_made_from_words() {
        let none = Boilerplate::none();
        let mut sketcher = Sketcher::new(Shingling { kind: ShingleKind::Chars, size: 5 }, &none);
        assert!(sketcher.shingle_set_of_words([(1, false), (2, false)].into_iter()).is_none());
    }

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
