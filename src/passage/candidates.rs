//! Corpus-wide passage candidates: document pairs that may share a passage.
//!
//! Two kinds of evidence:
//!
//! - **Verbatim**: winnowed word 5-gram fingerprints (window [`WINNOW_WINDOW`]), so every
//!   shared run of `5 + 6 - 1 = 10` or more words yields a shared fingerprint; a pair needs
//!   [`MIN_SHARED_FINGERPRINTS`] of them, and one of them inside 8 words both documents
//!   have (or repeated in either): otherwise the pair shares no verbatim run a passage is
//!   made of ([`MIN_RUN_WORDS`](super::align::MIN_RUN_WORDS)), only phrases shorter than
//!   one, and is not a candidate. Stock phrases ("two Samsung sub divisions in") made a
//!   quarter of all candidates when the rule was one phrase; two or more of them made
//!   4,400 of the 34,000 candidates on the 100k-document benchmark, about 3,800 of which
//!   the alignment gave no passage. A sentence or quotation of six or seven words that
//!   two documents share and nothing else is the one passage this leaves out. Runs
//!   across lines that are each boilerplate, such as the headlines of other stories a
//!   site lists under its own, one after another, are no evidence either (a 5-gram
//!   straddling two common lines is in few documents even when the lines are in many):
//!   when a pair's shared runs all lie around fingerprints straddling lines or
//!   sentences, its documents are read again for their boilerplate, and it is a
//!   candidate only when one of those fingerprints is not all boilerplate in either
//!   document (on the benchmark, 8,100 pairs left out, 6 of which had a passage).
//! - **Reworded**: two renderings of one statement keep its names and rare words while
//!   the common words around them change. A first pass counts in how many documents each
//!   content word occurs (stop words and numbers dropped, each word cut to its first
//!   [`PREFIX_CHARS`] characters, a cheap stem). Each sentence's [`RAREST_WORDS`] rarest
//!   content words found in at least two documents give one key per pair of them; two
//!   sentences sharing two of their three rarest words share a key. Two documents that
//!   share a key are a candidate when the two sentences (the first of each with the key)
//!   also share two fifths of the smaller one's content words, as two units must to be
//!   compared at all ([`MIN_SHARED_FIFTHS`](super::align::MIN_SHARED_FIFTHS)): two
//!   stories on one topic share names and rare words, not the rest of a statement. On
//!   the 100k-document benchmark this leaves out about 13,000 of the 18,000 pairs found
//!   by keys alone; those the alignment had given a passage, read (the 14 scored
//!   highest, 8 at random), were sentences of unrelated texts sharing a name or a
//!   phrase, not one statement in two wordings.
//!
//! Fingerprints and keys found in more than `max_docs` documents are not evidence: they
//! are boilerplate, stock phrases or words every story uses.

use std::sync::{Mutex, MutexGuard};

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;

use super::fingerprint::{
    fingerprint_key, push_if, run_signature, shared_pairs_where, winnow_each, Entry, Evidence, Partitioned, UnsurePair,
    RUN_WORDS,
};
use crate::boilerplate::Boilerplate;
use crate::input::Document;
use crate::similarity::lexicon::{is_stop_word, is_stop_word_hashed};
use crate::sketch::WordReader;
use crate::text::shingle::{finish, word_shingle_hashes_into};
use crate::text::token::{Word, WordPlaces};
use crate::text::{word_hash, DocId, Tokenizer};

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

/// Words a fingerprint shingle has.
const FINGERPRINT_WORDS: usize = 5;

// A run signature's runs are those of the shortest verbatim passage.
const _: () = assert!(RUN_WORDS == super::align::MIN_RUN_WORDS && RUN_WORDS == FINGERPRINT_WORDS + 3);

/// Candidate pairs `(a, b)`, `a <= b`, sorted and distinct, of `documents` whose
/// boilerplate is `boilerplate`.
///
/// One pass over the documents, on as many workers as the thread pool has threads
/// ([`CandidateReader`]): the words of each document without spans
/// ([`Tokenizer::word_places`]), then [`CandidateReader::pairs`].
pub fn candidate_pairs(documents: &[Document], boilerplate: &Boilerplate, max_docs: usize) -> Vec<(DocId, DocId)> {
    read_documents(documents, max_docs).pairs(documents, boilerplate, &[])
}

/// A [`CandidateReader`] that has read `documents`.
fn read_documents(documents: &[Document], max_docs: usize) -> CandidateReader {
    let reader = CandidateReader::new(documents, max_docs);
    documents.par_iter().enumerate().with_min_len(8).for_each_init(Tokenizer::new, |tok, (d, doc)| {
        let mut doc_reader = reader.document(d, &doc.text);
        let words = tok.word_places(&doc.text);
        doc_reader.words(&words);
        doc_reader.end(words.hashes(), words.segments(), None);
    });
    reader
}

/// The candidate pass's state while the corpus is read, a document at a time in any
/// order, each exactly once, from its words ([`WordReader`]): by [`candidate_pairs`],
/// or by the document scan's sketching pass ([`Sketcher::sketch_reading`]), which finds
/// the same words (so that they are found once).
///
/// Each worker (one a thread of the pool) has its own state: the documents' word
/// 5-gram hashes winnowed straight into fingerprint entries split by hash
/// ([`Partitioned`]), and each content word counted once a document in the worker's
/// table. A sentence with enough distinct content words keeps those the worker has not
/// yet seen in more than `max_docs` documents (the others can never be among its
/// rarest): few are kept.
///
/// [`Sketcher::sketch_reading`]: crate::sketch::Sketcher::sketch_reading
pub struct CandidateReader {
    bits: u32,
    /// The documents' count (their numbers are below it).
    docs: usize,
    max_docs: usize,
    workers: Vec<Mutex<Worker>>,
}

impl CandidateReader {
    /// A reader for `documents` (which it does not read), `max_docs` as for
    /// [`candidate_pairs`]; its workers are as many as the current thread pool's threads.
    pub fn new(documents: &[Document], max_docs: usize) -> CandidateReader {
        let n_workers = rayon::current_num_threads().max(1);
        let bytes: usize = documents.iter().map(|d| d.text.len()).sum();
        // About one fingerprint for every 22 bytes of news text.
        let bits = Partitioned::bits_for(bytes / 22);
        let docs = documents.len();
        let workers = (0..n_workers).map(|_| Mutex::new(Worker::new(bits, docs, max_docs))).collect();
        CandidateReader { bits, docs, max_docs, workers }
    }

    /// Starts reading document `d`, whose text is `text`, with the current thread's
    /// worker: give the returned reader the document's words, then end it.
    pub fn document(&self, d: usize, text: &str) -> DocReader<'_> {
        let w = rayon::current_thread_index().unwrap_or(0) % self.workers.len();
        let mut worker = self.workers[w].lock().expect("no worker panicked");
        worker.begin(d as u32, text.len());
        DocReader(worker)
    }

    /// The candidate pairs of the documents read (`documents`, whose boilerplate is
    /// `boilerplate`), as [`candidate_pairs`] gives them, less those of `known` (pairs
    /// the caller aligns anyway; any order): the workers' counts are summed, the kept
    /// sentences get their keys, and the entries of each partition are grouped into
    /// pairs, partitions in parallel.
    pub fn pairs(
        self,
        documents: &[Document],
        boilerplate: &Boilerplate,
        known: &[(DocId, DocId)],
    ) -> Vec<(DocId, DocId)> {
        let CandidateReader { bits, docs, max_docs, workers } = self;
        let mut workers: Vec<Worker> =
            workers.into_iter().map(|w| w.into_inner().expect("no worker panicked")).collect();

        // Document frequencies: the workers' counts summed, then each worker's kept
        // words' frequencies looked up.
        let mut total: AHashMap<u64, u32> = AHashMap::new();
        for w in &workers {
            // (Id 0 stands for every word that is not content.)
            for (&hash, counts) in w.table.hashes.iter().zip(&w.table.counts).skip(1) {
                *total.entry(hash).or_insert(0) += counts.df;
            }
        }
        let firsts: Vec<u32> =
            workers.iter().scan(0u32, |n, w| Some(std::mem::replace(n, *n + w.kept_sentences.len() as u32))).collect();
        let keys: Vec<(u64, u32, u32)> = workers
            .par_iter_mut()
            .zip(firsts.par_iter().copied())
            .flat_map_iter(|(w, first)| {
                let df: Vec<u32> = w.table.hashes.iter().map(|h| total.get(h).copied().unwrap_or(0)).collect();
                w.sentence_keys(&df, max_docs, first)
            })
            .collect();
        drop(total);
        // The kept sentences' content words, numbered as the keys number them.
        let mut content = KeptContent::default();
        for (w, &first) in workers.iter_mut().zip(&firsts) {
            content.append(first, std::mem::take(&mut w.kept_content), std::mem::take(&mut w.kept_content_ends));
        }

        let mut fingerprint_parts: Vec<Vec<Vec<Entry>>> = vec![Vec::new(); 1 << bits];
        for w in workers {
            for (p, blocks) in w.fingerprints.into_parts().into_iter().enumerate() {
                fingerprint_parts[p].extend(blocks);
            }
        }
        let known: AHashSet<u64> =
            known.iter().map(|&(a, b)| u64::from(a.0.min(b.0)) << 32 | u64::from(a.0.max(b.0))).collect();
        let left_out = |a: u32, b: u32| !known.is_empty() && known.contains(&(u64::from(a) << 32 | u64::from(b)));
        let runs = Evidence::<fn(u32, u32) -> bool>::Runs;
        let shared = shared_pairs_where(fingerprint_parts, docs, max_docs, MIN_SHARED_FINGERPRINTS, runs, left_out);
        let mut pairs = shared.pairs;
        let key_of = |h| fingerprint_key(h, bits, docs);
        pairs.extend(outside_boilerplate(&shared.unsure, key_of, documents, boilerplate));
        let mut key_parts = Partitioned::new(Partitioned::bits_for(keys.len()), docs);
        for &(k, d, sentence) in &keys {
            key_parts.push(k, d, false, u64::from(sentence));
        }
        drop(keys);
        // Two documents sharing a key are a pair when the sentences that have it are alike
        // (a document repeating a key is a pair with itself, as before).
        let alike = Evidence::Alike(|x, y| content.alike(x, y));
        pairs.extend(shared_pairs_where(key_parts.into_parts(), docs, max_docs, 1, alike, left_out).pairs);
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}

/// A document being read by a [`CandidateReader`]'s worker (locked meanwhile).
pub struct DocReader<'r>(MutexGuard<'r, Worker>);

impl WordReader for DocReader<'_> {
    #[inline(always)]
    fn word(&mut self, word: &Word<'_>) {
        self.0.word(word);
    }

    #[inline(always)]
    fn ahead(&self, hashes: &[u64], next: usize) {
        self.0.ahead(hashes, next);
    }

    fn words(&mut self, words: &WordPlaces<'_>) {
        self.0.words(words);
    }

    fn end(&mut self, hashes: &[u64], segments: &[u32], five_grams: Option<&[u64]>) {
        self.0.end(hashes, segments, five_grams);
    }
}

/// One worker's state.
struct Worker {
    max_docs: usize,
    /// Its documents' fingerprint entries.
    fingerprints: Partitioned,
    /// Its documents' content words, with their counts.
    table: StemTable,
    /// Each word seen, by its hash: its content word's id in `table`, or not content.
    words: WordTable,
    shingles: Vec<u64>,
    /// The current document's content words' ids and segments ([`Worker::words`]).
    ids: Vec<(u32, u32)>,
    /// The distinct content words of the current sentence (table ids), and, read word
    /// by word ([`Worker::word`]), id 0 once when it has a word that is not content.
    sentence: Vec<u32>,
    /// The current document, and its current segment (`u32::MAX` before its first word).
    doc: u32,
    segment: u32,
    /// Documents seen, and sentences: the stamps of [`Stem`].
    doc_stamp: u32,
    seg_stamp: u32,
    /// The kept words of kept sentences (table ids), one sentence after another, and
    /// each sentence's document and number of kept words...
    kept: Vec<u32>,
    kept_sentences: Vec<(u32, u32)>,
    /// ...and each kept sentence's distinct content words (their stems' hashes, sorted),
    /// one sentence after another, and where each sentence ends.
    kept_content: Vec<u64>,
    kept_content_ends: Vec<u32>,
}

impl Worker {
    fn new(bits: u32, docs: usize, max_docs: usize) -> Worker {
        Worker {
            max_docs,
            fingerprints: Partitioned::new(bits, docs),
            table: StemTable::new(),
            words: WordTable::default(),
            shingles: Vec::new(),
            ids: Vec::new(),
            sentence: Vec::new(),
            doc: 0,
            segment: u32::MAX,
            doc_stamp: 0,
            seg_stamp: 0,
            kept: Vec::new(),
            kept_sentences: Vec::new(),
            kept_content: Vec::new(),
            kept_content_ends: Vec::new(),
        }
    }

    /// Starts document `d`, of `len` bytes.
    fn begin(&mut self, d: u32, len: usize) {
        // Stamps start again before they could run out (a document has at most one
        // sentence a word, and a word at least a byte and a separator).
        if self.doc_stamp == u32::MAX || u64::from(self.seg_stamp) + len as u64 / 2 + 2 >= u64::from(u32::MAX) {
            self.table.clear_stamps();
            (self.doc_stamp, self.seg_stamp) = (0, 0);
        }
        self.doc_stamp += 1;
        self.sentence.clear();
        self.doc = d;
        self.segment = u32::MAX;
        // A new stamp for each sentence: `seg_stamp` grows by at most one a word.
        self.seg_stamp += 1;
    }

    /// The current document's next word.
    #[inline(always)]
    fn word(&mut self, word: &Word<'_>) {
        let Worker { words, table, .. } = self;
        let id = words.id(word.hash, || table.content_id(word));
        self.count(id, word.segment);
    }

    /// All the current document's words, `words`, in two passes: each word's id, from
    /// the table of words seen, kept with its segment when it is a content word, then
    /// each content word counted. (Word by word, the counts of a word some words on
    /// were asked for ahead, which took a second look-up of that word in the table.)
    ///
    /// The words that are not content words (about half) are left out of the counting:
    /// no key takes them, and a sentence ends at the next content word's segment as at
    /// their own. [`Worker::word`] counts them, under id 0, to stay free of a branch.
    fn words(&mut self, words: &WordPlaces<'_>) {
        let (hashes, segments) = (words.hashes(), words.segments());
        let mut ids = std::mem::take(&mut self.ids);
        ids.clear();
        ids.reserve(hashes.len());
        let Worker { words: seen, table, .. } = self;
        for (i, (&hash, &segment)) in hashes.iter().zip(segments).enumerate() {
            if let Some(&h) = hashes.get(i + IDS_AHEAD) {
                seen.prefetch(h);
            }
            let id = seen.id(hash, || table.content_id(&words.word(i)));
            push_if(&mut ids, id != NOT_CONTENT, (id, segment));
        }
        for (i, &(id, segment)) in ids.iter().enumerate() {
            if let Some(&(ahead, _)) = ids.get(i + COUNTED_AHEAD) {
                crate::prefetch::line(self.table.counts.as_ptr().wrapping_add(ahead as usize));
            }
            self.count(id, segment);
        }
        self.ids = ids;
    }

    /// Counts content word `id` (or [`NOT_CONTENT`]), the next word of the current
    /// document, in segment `seg`.
    #[inline(always)]
    fn count(&mut self, id: u32, seg: u32) {
        if seg != self.segment {
            if self.segment != u32::MAX {
                self.finish_sentence();
                self.seg_stamp += 1;
            }
            self.segment = seg;
        }
        let Worker { table, sentence, .. } = self;
        // Without a branch on whether the word is content (it goes either way about
        // half the time): the others count under id 0, which no key takes.
        let e = &mut table.counts[id as usize];
        // Counted once a document (about half the words were seen before in it).
        e.df += u32::from(e.doc != self.doc_stamp);
        e.doc = self.doc_stamp;
        let fresh = e.seg != self.seg_stamp;
        e.seg = self.seg_stamp;
        push_if(sentence, fresh, id);
    }

    /// Asks for the memory that words further on than word `next` of the current
    /// document (of hashes `hashes`) will read: the table slot of the word
    /// [`SLOT_AHEAD`] words on, and the counts of the one [`COUNTS_AHEAD`] words on,
    /// whose slot was asked for before. Both lie in tables too large for the cache (the
    /// words a worker has seen, their ids' counts), one miss after another otherwise:
    /// half of the candidate pass's time in the document scan's sketching.
    #[inline(always)]
    fn ahead(&self, hashes: &[u64], next: usize) {
        if let Some(&h) = hashes.get(next + SLOT_AHEAD) {
            self.words.prefetch(h);
        }
        if let Some(id) = hashes.get(next + COUNTS_AHEAD).and_then(|&h| self.words.peek(h)) {
            crate::prefetch::line(self.table.counts.as_ptr().wrapping_add(id as usize));
        }
    }

    /// Ends the current document, whose word hashes are `hashes`, their segment numbers
    /// `segments`, and word 5-gram hashes `five_grams` when given (computed from `hashes`
    /// otherwise).
    fn end(&mut self, hashes: &[u64], segments: &[u32], five_grams: Option<&[u64]>) {
        self.finish_sentence();
        self.seg_stamp += 1;
        let shingles = match five_grams {
            Some(s) => s,
            None => {
                self.shingles.clear();
                word_shingle_hashes_into(FINGERPRINT_WORDS, hashes, &mut self.shingles);
                &self.shingles
            }
        };
        let (fingerprints, d) = (&mut self.fingerprints, self.doc);
        winnow_each(shingles, WINNOW_WINDOW, |h, pos| {
            let p = pos as usize;
            // Segment numbers do not decrease: a 5-gram (or the one shingle of a shorter
            // document) straddles segments when its first and last words' differ.
            let straddles = segments[p] != segments[(p + FINGERPRINT_WORDS).min(segments.len()) - 1];
            fingerprints.push(h, d, straddles, run_signature(shingles, p));
        });
    }

    /// Ends a sentence of the current document: with at least [`MIN_KEY_WORDS`]
    /// distinct content words, those not yet seen in more than `max_docs` documents
    /// are kept when two or more are (a key needs two).
    fn finish_sentence(&mut self) {
        let Worker {
            sentence,
            table,
            kept,
            kept_sentences,
            kept_content,
            kept_content_ends,
            max_docs,
            doc,
            seg_stamp,
            ..
        } = self;
        // Id 0 (the words that are not content) is in the sentence when one was.
        let others = usize::from(table.counts[NOT_CONTENT as usize].seg == *seg_stamp);
        if sentence.len() - others >= MIN_KEY_WORDS {
            let start = kept.len();
            // Without a branch on each word (rare or not goes either way).
            for &id in sentence.iter() {
                let rare = (id != NOT_CONTENT) & (table.counts[id as usize].df as usize <= *max_docs);
                push_if(kept, rare, id);
            }
            if kept.len() - start >= 2 {
                kept_sentences.push((*doc, (kept.len() - start) as u32));
                let from = kept_content.len();
                kept_content
                    .extend(sentence.iter().filter(|&&id| id != NOT_CONTENT).map(|&id| table.hashes[id as usize]));
                // Distinct ids, so distinct stems (an id is a content key).
                kept_content[from..].sort_unstable();
                kept_content_ends.push(kept_content.len() as u32);
            } else {
                kept.truncate(start);
            }
        }
        sentence.clear();
    }

    /// The sentence keys of the kept sentences, as `(key, document, sentence)`: a key for
    /// each pair of a sentence's [`RAREST_WORDS`] rarest words found in 2 to `max_docs`
    /// documents (by count, then hash); `df[id]` is the corpus's count of table word `id`,
    /// and the worker's first kept sentence is numbered `first`.
    fn sentence_keys(&self, df: &[u32], max_docs: usize, first: u32) -> Vec<(u64, u32, u32)> {
        let mut keys = Vec::new();
        let mut words: Vec<(u32, u64)> = Vec::new();
        let mut start = 0;
        for (&(d, n), sentence) in self.kept_sentences.iter().zip(first..) {
            let end = start + n as usize;
            words.clear();
            words.extend(
                self.kept[start..end]
                    .iter()
                    .map(|&id| (df[id as usize], self.table.hashes[id as usize]))
                    .filter(|&(n, _)| n >= 2 && n as usize <= max_docs),
            );
            start = end;
            words.sort_unstable();
            let rare = &words[..words.len().min(RAREST_WORDS)];
            for i in 0..rare.len() {
                for j in i + 1..rare.len() {
                    let (x, y) = (rare[i].1.min(rare[j].1), rare[i].1.max(rare[j].1));
                    keys.push((finish(x.rotate_left(17) ^ y), d, sentence));
                }
            }
        }
        keys
    }
}

/// The unsure pairs of [`shared_pairs_where`] (see [`SharedPairs`]) that are pairs:
/// those with a shared fingerprint whose five words are not all boilerplate in either
/// document. A run across lines of boilerplate shares no passage (the
/// [alignment](super::align) keeps no run mostly of boilerplate words). `key_of`: a
/// fingerprint's key as the pairs list it ([`fingerprint_key`]).
///
/// Their documents are read again for their boilerplate marks and their fingerprints'
/// places: on the 100k-document benchmark, about 8,100 pairs sharing runs of other
/// stories' headlines, which a site lists under its articles, are left out this way.
///
/// [`SharedPairs`]: super::fingerprint::SharedPairs
fn outside_boilerplate(
    unsure: &[UnsurePair],
    key_of: impl Fn(u64) -> u64 + Sync,
    documents: &[Document],
    boilerplate: &Boilerplate,
) -> Vec<(DocId, DocId)> {
    if boilerplate.is_empty() {
        return unsure.iter().map(|u| (u.0, u.1)).collect();
    }
    // The fingerprints asked about in each document, by key.
    let mut asked: Vec<(u32, u64)> =
        unsure.iter().flat_map(|(a, b, keys)| keys.iter().flat_map(|&k| [(a.0, k), (b.0, k)])).collect();
    asked.sort_unstable();
    asked.dedup();
    // For each, whether the words of its 5-gram (of the one shingle of a shorter
    // document), at the first place the document has its key, are not all boilerplate,
    // as the document scan marked them.
    let clear: Vec<bool> = asked
        .par_chunk_by(|x, y| x.0 == y.0)
        .map_init(ReadAgain::default, |again, asked| {
            let (hashes, segments) = again.tokenizer.word_hashes(&documents[asked[0].0 as usize].text);
            boilerplate.mark_words(hashes, segments, &mut again.marks);
            again.shingles.clear();
            word_shingle_hashes_into(FINGERPRINT_WORDS, hashes, &mut again.shingles);
            let firsts = &mut again.firsts;
            firsts.clear();
            winnow_each(&again.shingles, WINNOW_WINDOW, |h, pos| firsts.push((key_of(h), pos)));
            // Stable: a key's first place first.
            firsts.sort_by_key(|x| x.0);
            let marks = &again.marks;
            asked
                .iter()
                .map(|&(_, key)| {
                    let at = firsts.partition_point(|x| x.0 < key);
                    let place = firsts.get(at).filter(|x| x.0 == key).map(|x| x.1 as usize);
                    debug_assert!(place.is_some(), "a shared fingerprint is its document's");
                    // (Were one not found, its pair would be kept, and aligned.)
                    place.is_none_or(|at| {
                        !marks.get(at..(at + FINGERPRINT_WORDS).min(marks.len())).is_some_and(|m| m.iter().all(|&x| x))
                    })
                })
                .collect::<Vec<bool>>()
        })
        .flatten_iter()
        .collect();
    let is_clear = |d: DocId, key: u64| clear[asked.binary_search(&(d.0, key)).expect("asked")];
    unsure
        .iter()
        .filter(|(a, b, keys)| keys.iter().any(|&k| is_clear(*a, k) && is_clear(*b, k)))
        .map(|u| (u.0, u.1))
        .collect()
}

/// A worker's buffers for reading documents again in [`outside_boilerplate`].
#[derive(Default)]
struct ReadAgain {
    tokenizer: Tokenizer,
    marks: Vec<bool>,
    shingles: Vec<u64>,
    firsts: Vec<(u64, u32)>,
}

/// The content words of the kept sentences, numbered in order (all workers' together).
///
/// Each worker's sentences are kept as the worker left them, not copied into one list:
/// at a million documents that copy was over a second of serial work, most of it the
/// kernel handing out fresh pages.
#[derive(Debug, Default)]
struct KeptContent {
    /// For each worker in turn: the number of its first sentence, its sentences' stems'
    /// hashes (sorted within each sentence, one sentence after another), and where each
    /// of its sentences ends in them.
    workers: Vec<(u32, Vec<u64>, Vec<u32>)>,
}

impl KeptContent {
    /// Appends a worker's sentences, numbered from `first` (the number the keys give its
    /// first sentence; after the sentences of the workers appended before): `stems`, and
    /// where each sentence ends in them.
    fn append(&mut self, first: u32, stems: Vec<u64>, ends: Vec<u32>) {
        self.workers.push((first, stems, ends));
    }

    /// Sentence `s`'s content words.
    fn of(&self, s: u32) -> &[u64] {
        // The last worker whose first sentence is at most `s`.
        let w = self.workers.partition_point(|x| x.0 <= s) - 1;
        let (first, stems, ends) = &self.workers[w];
        let s = (s - first) as usize;
        let start = if s == 0 { 0 } else { ends[s - 1] as usize };
        &stems[start..ends[s] as usize]
    }

    /// True when sentences `x` and `y` share at least two fifths of the smaller one's
    /// content words, as two units must to be compared at all
    /// ([`MIN_SHARED_FIFTHS`](super::align::MIN_SHARED_FIFTHS)): two sentences sharing
    /// two rare words and little else are two stories of one topic, not one statement
    /// in two wordings.
    fn alike(&self, x: u32, y: u32) -> bool {
        let (a, b) = (self.of(x), self.of(y));
        let shared = crate::verify::sorted_intersection_len(a, b);
        5 * shared >= super::align::MIN_SHARED_FIFTHS * a.len().min(b.len())
    }
}

/// Words ahead of the one read whose table slot is asked for ([`Worker::ahead`])...
const SLOT_AHEAD: usize = 16;
/// ...and whose counts are.
const COUNTS_AHEAD: usize = 8;

/// Words ahead of the one looked up whose table slot [`Worker::words`] asks for, and
/// ahead of the one counted whose counts it asks for: its passes take a few
/// nanoseconds a word, a miss of the cache about a hundred. (100k documents, 1 thread,
/// five alternated runs: 32 and 16 against 16 and 8, sketching 1.922 -> 1.876 s; 64 and
/// 16, 1.890 s.)
const IDS_AHEAD: usize = 32;
const COUNTED_AHEAD: usize = 16;

/// A content word's counts in a worker's table.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    /// The last document and sentence it was seen in (stamps).
    doc: u32,
    seg: u32,
    /// Documents it is in.
    df: u32,
}

/// Content words by key ([`content_key`]), in open addressing over the top bits of the
/// key times an odd constant (keys of ASCII words are their bytes), each with an id
/// (in the order the words came), its counts and its stem's hash by id.
#[derive(Debug, Default)]
struct StemTable {
    /// `(key, id)`, `id` [`u32::MAX`] for an empty slot.
    slots: Vec<(u64, u32)>,
    /// 64 less the slots' bits.
    shift: u32,
    /// The counts of each id.
    counts: Vec<Counts>,
    /// The stem hash of each id.
    hashes: Vec<u64>,
}

impl StemTable {
    /// Empty but for id 0 ([`NOT_CONTENT`]), which no key has.
    fn new() -> StemTable {
        StemTable { counts: vec![Counts::default()], hashes: vec![0], ..StemTable::default() }
    }

    /// The id of content word `word`'s key ([`content_key`]), added with its stem's
    /// hash if new; `None` when it is no content word.
    #[inline(always)]
    fn content_id(&mut self, word: &Word<'_>) -> Option<u32> {
        content_key(word).map(|key| self.id(key, || stem_hash(key, word)))
    }

    /// The id of `key`, added with stem hash `hash()` if new.
    fn id(&mut self, key: u64, hash: impl FnOnce() -> u64) -> u32 {
        if self.hashes.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let (k, id) = self.slots[i];
            if id == u32::MAX {
                let id = self.hashes.len() as u32;
                self.slots[i] = (key, id);
                self.hashes.push(hash());
                self.counts.push(Counts::default());
                return id;
            }
            if k == key {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![(0, u32::MAX); size]);
        self.shift = 64 - size.ilog2();
        let mask = size - 1;
        for (key, id) in old.into_iter().filter(|e| e.1 != u32::MAX) {
            let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
            while self.slots[i].1 != u32::MAX {
                i = (i + 1) & mask;
            }
            self.slots[i] = (key, id);
        }
    }

    fn clear_stamps(&mut self) {
        for e in &mut self.counts {
            (e.doc, e.seg) = (0, 0);
        }
    }
}

/// A [`WordTable`] value: the word is not a content word.
const NOT_CONTENT: u32 = 0;

/// A [`WordTable`] value: an empty slot.
const EMPTY_WORD: u32 = u32::MAX;

/// What a worker knows of each word it has seen, by the word's hash (which the
/// tokenizer gives every word): the [`StemTable`] id of its content word, or
/// [`NOT_CONTENT`]. A word seen again (most words) is one look-up, without testing its
/// bytes again: the hash is taken as the word's identity, as in the rest of the crate
/// (two of a million distinct words share a hash with a chance of about 3·10⁻⁸).
#[derive(Debug, Default)]
struct WordTable {
    /// `(hash, value)`, by the hash's low bits, with linear probing; at most half full.
    slots: Vec<(u64, u32)>,
    len: usize,
}

impl WordTable {
    /// The value of the word hashing to `hash`; a new word's is `content()`'s id, or
    /// [`NOT_CONTENT`] for `None`.
    #[inline(always)]
    fn id(&mut self, hash: u64, content: impl FnOnce() -> Option<u32>) -> u32 {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        match self.find(hash) {
            Ok(v) => v,
            Err(i) => {
                let v = content().unwrap_or(NOT_CONTENT);
                self.slots[i] = (hash, v);
                self.len += 1;
                v
            }
        }
    }

    /// Asks for the slot where the look-up of `hash` starts.
    #[inline(always)]
    fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            crate::prefetch::line(&self.slots[hash as usize & (self.slots.len() - 1)]);
        }
    }

    /// The value of the word hashing to `hash`, if it has been seen.
    #[inline(always)]
    fn peek(&self, hash: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.find(hash).ok()
    }

    /// The value of the word hashing to `hash`, or the empty slot where it would go (the
    /// table has slots, one at least empty).
    #[inline(always)]
    fn find(&self, hash: u64) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (h, v) = self.slots[i];
            if v == EMPTY_WORD {
                return Err(i);
            }
            if h == hash {
                return Ok(v);
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(4096);
        let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY_WORD); size]);
        let mask = size - 1;
        for (h, v) in old.into_iter().filter(|e| e.1 != EMPTY_WORD) {
            let mut i = h as usize & mask;
            while self.slots[i].1 != EMPTY_WORD {
                i = (i + 1) & mask;
            }
            self.slots[i] = (h, v);
        }
    }
}

/// The top bit of a non-ASCII word's key.
const NOT_ASCII: u64 = 1 << 63;

/// A content word's key: its cheap stem, for an ASCII word (most) its bytes as a
/// little-endian number (below `2^40`, a word having no zero byte); for another, its
/// stem's hash with the top bit set (two such stems share a key only when their hashes
/// share their low 63 bits). [`stem_hash`] gives the stem's hash. Asked once for each
/// distinct word a worker sees ([`WordTable`]).
fn content_key(w: &Word<'_>) -> Option<u64> {
    let bytes = w.text.as_bytes();
    if bytes.is_ascii() {
        if bytes.iter().any(u8::is_ascii_digit) || is_stop_word_hashed(w.text, w.hash) {
            return None;
        }
        return Some(w.head & (u64::MAX >> (64 - 8 * bytes.len().min(PREFIX_CHARS))));
    }
    if is_stop_word(w.text) || w.text.chars().any(|c| c.is_numeric()) {
        return None;
    }
    Some(non_ascii_stem_hash(w.text) | NOT_ASCII)
}

/// The hash of the cheap stem of content word `w`, whose key is `key` ([`content_key`]).
#[inline]
fn stem_hash(key: u64, w: &Word<'_>) -> u64 {
    if key & NOT_ASCII != 0 {
        non_ascii_stem_hash(w.text)
    } else if w.text.len() <= PREFIX_CHARS {
        // A word no longer than its prefix has the token's hash already.
        w.hash
    } else {
        word_hash(&key.to_le_bytes()[..PREFIX_CHARS])
    }
}

/// The hash of the first [`PREFIX_CHARS`] characters of `text`.
fn non_ascii_stem_hash(text: &str) -> u64 {
    let cut = text.char_indices().nth(PREFIX_CHARS).map_or(text.len(), |(i, _)| i);
    word_hash(&text.as_bytes()[..cut])
}

/// The hash of a word's cheap stem, if it is a content word.
#[cfg(test)]
fn content_word(w: &Word<'_>) -> Option<u64> {
    content_key(w).map(|key| stem_hash(key, w))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::passage::fingerprint::{shared_fingerprint_pairs, winnow};
    use crate::similarity::lexicon::STOP_WORDS;
    use crate::text::{for_each_shingle, Shingling, Token};

    /// A sentence is found in its worker's list by its number, workers without kept
    /// sentences among them.
    #[test]
    fn kept_content_numbers_sentences_across_workers() {
        let mut content = KeptContent::default();
        content.append(0, Vec::new(), Vec::new());
        content.append(0, vec![1, 2, 3, 4, 5], vec![2, 5]);
        content.append(2, Vec::new(), Vec::new());
        content.append(2, vec![6, 4, 8], vec![1, 3]);
        let want: [&[u64]; 4] = [&[1, 2], &[3, 4, 5], &[6], &[4, 8]];
        for (s, want) in want.iter().enumerate() {
            assert_eq!(content.of(s as u32), *want, "sentence {s}");
        }
        // One shared word of the smaller sentence's two is two fifths; none is not.
        assert!(content.alike(1, 3));
        assert!(!content.alike(0, 2));
    }

    fn doc(id: &str, text: &str) -> Document {
        Document { id: id.into(), source: id.into(), text: text.into() }
    }

    /// The stem hash of a token, as the token pass computed it.
    fn reference_content_word(norm: &str, t: &Token) -> Option<u64> {
        let w = &norm[t.norm.range()];
        let bytes = w.as_bytes();
        if bytes.is_ascii() {
            if bytes.iter().any(u8::is_ascii_digit) || is_stop_word_hashed(w, t.hash) {
                return None;
            }
            return Some(if bytes.len() <= PREFIX_CHARS { t.hash } else { word_hash(&bytes[..PREFIX_CHARS]) });
        }
        if is_stop_word(w) || w.chars().any(|c| c.is_numeric()) {
            return None;
        }
        let cut = w.char_indices().nth(PREFIX_CHARS).map_or(w.len(), |(i, _)| i);
        Some(word_hash(&bytes[..cut]))
    }

    /// The candidate pass as it was before [`Worker`]: tokens with spans, fingerprint
    /// lists and sentence words a document, a hash map of counts. What
    /// [`candidate_pairs`] must equal.
    fn reference_pairs(documents: &[Document], boilerplate: &Boilerplate, max_docs: usize) -> Vec<(DocId, DocId)> {
        struct DocWords {
            fingerprints: Vec<u64>,
            placed: Vec<(u64, u32)>,
            hashes: Vec<u64>,
            segments: Vec<u32>,
            marks: Vec<bool>,
            words: Vec<u64>,
            ends: Vec<u32>,
        }
        let mut tok = Tokenizer::new();
        let mut df: AHashMap<u64, u32> = AHashMap::new();
        let mut found = Vec::new();
        for d in documents {
            tok.tokenize(&d.text);
            let mut hashes = Vec::new();
            let shingling = Shingling { kind: crate::text::ShingleKind::Words, size: 5 };
            for_each_shingle(
                shingling,
                tok.tokens(),
                tok.normalized(),
                |x, y| tok.original_span(x, y),
                |s| hashes.push(s.hash),
            );
            let mut placed = Vec::new();
            winnow(&hashes, WINNOW_WINDOW, &mut placed);
            let fingerprints = placed.iter().map(|&(h, _)| h).collect();
            let word_hashes: Vec<u64> = tok.tokens().iter().map(|t| t.hash).collect();
            let segments: Vec<u32> = tok.tokens().iter().map(|t| t.segment).collect();
            let mut marks = Vec::new();
            boilerplate.mark_tokens(tok.tokens(), &mut marks);
            let norm = tok.normalized();
            let mut distinct = Vec::new();
            let (mut words, mut ends) = (Vec::new(), Vec::new());
            for segment in tok.tokens().chunk_by(|a, b| a.segment == b.segment) {
                let start = words.len();
                words.extend(segment.iter().filter_map(|t| reference_content_word(norm, t)));
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
            for w in distinct {
                *df.entry(w).or_insert(0) += 1;
            }
            found.push(DocWords { fingerprints, placed, hashes: word_hashes, segments, marks, words, ends });
        }
        let mut fingerprints = Vec::new();
        let mut keys = Vec::new();
        // For each document, each key with the content words of the sentence that has it
        // (first sentences first).
        let mut key_sentences: Vec<Vec<(u64, &[u64])>> = Vec::new();
        for data in &found {
            let mut k = Vec::new();
            let mut ks = Vec::new();
            let mut words: Vec<(u32, u64)> = Vec::new();
            let mut start = 0;
            for &end in &data.ends {
                let start_of_sentence = start;
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
                let sentence = &data.words[start_of_sentence..end as usize];
                for i in 0..rare.len() {
                    for j in i + 1..rare.len() {
                        let (x, y) = (rare[i].min(rare[j]), rare[i].max(rare[j]));
                        k.push(finish(x.rotate_left(17) ^ y));
                        ks.push((finish(x.rotate_left(17) ^ y), sentence));
                    }
                }
            }
            fingerprints.push(data.fingerprints.clone());
            keys.push(k);
            key_sentences.push(ks);
        }
        // Two documents are a pair only when a shared fingerprint (at its first place in
        // each) lies inside 8 words both have, or either repeats it; one whose five words
        // straddle segments in either document counts unless they are all boilerplate in
        // either.
        let docs_with = |h: u64| fingerprints.iter().filter(|f: &&Vec<u64>| f.contains(&h)).count();
        let share_a_run = |a: &DocWords, b: &DocWords| {
            let first = |d: &DocWords, h: u64| d.placed.iter().find(|x| x.0 == h).map(|x| x.1 as usize);
            let count = |d: &DocWords, h: u64| d.placed.iter().filter(|x| x.0 == h).count();
            let mut shared: Vec<u64> = a
                .fingerprints
                .iter()
                .copied()
                .filter(|h| b.fingerprints.contains(h) && docs_with(*h) <= max_docs)
                .collect();
            shared.sort_unstable();
            shared.dedup();
            let end = |d: &DocWords, p: usize| (p + 5).min(d.segments.len());
            let straddles = |d: &DocWords, p: usize| d.segments[p] != d.segments[end(d, p) - 1];
            let all_boilerplate = |d: &DocWords, p: usize| d.marks[p..end(d, p)].iter().all(|&m| m);
            shared.into_iter().any(|h| {
                let (pa, pb) = (first(a, h).unwrap(), first(b, h).unwrap());
                let in_run = (0..4).any(|j| {
                    pa >= j
                        && pb >= j
                        && a.hashes.get(pa - j..pa - j + 8).is_some_and(|x| b.hashes.get(pb - j..pb - j + 8) == Some(x))
                });
                (count(a, h) > 1 || count(b, h) > 1 || in_run)
                    && (!(straddles(a, pa) || straddles(b, pb)) || !(all_boilerplate(a, pa) || all_boilerplate(b, pb)))
            })
        };
        let mut pairs = shared_fingerprint_pairs(&fingerprints, max_docs, MIN_SHARED_FINGERPRINTS);
        pairs.retain(|&(a, b)| a == b || share_a_run(&found[a.index()], &found[b.index()]));
        // Two documents sharing a key are a pair when the first sentence of each with
        // that key share two fifths of the smaller one's content words.
        let first_with = |d: DocId, key: u64| key_sentences[d.index()].iter().find(|x| x.0 == key).map(|x| x.1);
        let alike = |a: &[u64], b: &[u64]| {
            let shared = a.iter().filter(|w| b.contains(w)).count();
            5 * shared >= crate::passage::align::MIN_SHARED_FIFTHS * a.len().min(b.len())
        };
        let docs_with_key = |key: u64| keys.iter().filter(|k: &&Vec<u64>| k.contains(&key)).count();
        pairs.extend(shared_fingerprint_pairs(&keys, max_docs, 1).into_iter().filter(|&(a, b)| {
            a == b
                || keys[a.index()].iter().any(|&key| {
                    docs_with_key(key) <= max_docs
                        && first_with(b, key).is_some_and(|sb| alike(first_with(a, key).expect("a's key"), sb))
                })
        }));
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// A sentence and its rewording (0, 1), and a sentence and its verbatim copy (2, 3).
    fn reworded_and_verbatim() -> Vec<Document> {
        vec![
            doc("a", "Officials in Brussels approved the controversial fishing quota after lengthy overnight negotiations."),
            doc("b", "After lengthy overnight negotiations, the controversial fishing quota was approved by officials in Brussels."),
            doc("c", "The museum reopened its sculpture garden to visitors following extensive renovation work."),
            doc("d", "Visitors flocked. The museum reopened its sculpture garden to visitors following extensive renovation work."),
        ]
    }

    #[test]
    fn verbatim_and_reworded_sentences_become_candidates() {
        let docs = reworded_and_verbatim();
        let none = Boilerplate::none();
        let pairs = candidate_pairs(&docs, &none, 10);
        assert!(pairs.contains(&(DocId(0), DocId(1))), "{pairs:?}");
        assert!(pairs.contains(&(DocId(2), DocId(3))), "{pairs:?}");
        assert!(!pairs.contains(&(DocId(0), DocId(2))));
        assert_eq!(pairs, reference_pairs(&docs, &none, 10));
    }

    #[test]
    fn known_pairs_are_left_out() {
        let docs = reworded_and_verbatim();
        let none = Boilerplate::none();
        let all = candidate_pairs(&docs, &none, 10);
        assert_eq!(all, vec![(DocId(0), DocId(1)), (DocId(2), DocId(3))]);
        // A reworded pair (found by keys), a verbatim one (by fingerprints), and a pair
        // given the other way round.
        for known in [(DocId(0), DocId(1)), (DocId(2), DocId(3)), (DocId(3), DocId(2))] {
            let want: Vec<_> = all.iter().copied().filter(|&(a, b)| (a, b) != known && (b, a) != known).collect();
            assert_eq!(read_documents(&docs, 10).pairs(&docs, &none, &[known]), want, "{known:?} known");
        }
    }

    #[test]
    fn runs_across_lines_of_boilerplate_make_no_candidate() {
        // Headlines a site lists under its stories, each common, in one order under two
        // stories only (too short to hold a 5-gram: every fingerprint across them
        // straddles lines).
        let headlines = [
            "Police appeal issued",
            "Ten photos",
            "Storm warning tonight",
            "Markets rally",
            "Budget vote",
            "Final whistle",
        ];
        let list = |order: &mut dyn Iterator<Item = &&str>| order.map(|h| format!("{h}\n")).collect::<String>();
        let (listed, reversed) = (list(&mut headlines.iter()), list(&mut headlines.iter().rev()));
        let docs = [
            doc("a", &format!("The harbour authority approved a new ferry timetable for winter.\n{listed}")),
            doc("b", &format!("Farmers in the valley reported an early harvest of apples this year.\n{listed}")),
            doc("c", &format!("A new library opened its doors in the old post office building.\n{reversed}")),
            doc("d", &format!("Volunteers planted three hundred trees along the river path.\n{reversed}")),
        ];
        let boilerplate = boilerplate_in(&docs, 3);
        assert_eq!(boilerplate.len(), headlines.len());
        let with = candidate_pairs(&docs, &boilerplate, 10);
        assert!(!with.contains(&(DocId(0), DocId(1))), "{with:?}");
        assert_eq!(with, reference_pairs(&docs, &boilerplate, 10));
        let without = candidate_pairs(&docs, &Boilerplate::none(), 10);
        assert!(without.contains(&(DocId(0), DocId(1))), "{without:?}");
        assert_eq!(without, reference_pairs(&docs, &Boilerplate::none(), 10));
    }

    /// An unsure pair's fingerprint is read at its first place in each document, the
    /// place whose straddling the pass kept, as [`reference_pairs`] reads it: a
    /// document that has two lines of boilerplate first and the same words later
    /// inside lines of its own shares no passage through them.
    #[test]
    fn unsure_fingerprints_are_read_at_their_first_place() {
        let (l1, l2) = ("alpha beta gamma delta epsilon zeta eta", "theta iota kappa lambda mu nu xi");
        let mut docs: Vec<Document> =
            (0..3).map(|i| doc(&format!("s{i}"), &format!("story {i}\n{l1}\n{l2}\nend {i}\n"))).collect();
        let own = |x: &str, y: &str| format!("{x} {l1}\n{l2} {y}\n");
        docs.push(doc("boilerplate first", &format!("{l1}\n{l2}\n{}", own("omicron pi", "rho sigma"))));
        docs.push(doc("own lines only", &own("tau upsilon", "phi chi")));
        docs.push(doc("own lines too", &own("psi omega", "one two")));
        let boilerplate = boilerplate_in(&docs, 3);
        assert_eq!(boilerplate.len(), 2);
        let key_of = |h| fingerprint_key(h, 4, docs.len());
        // The fingerprints of a document: (key, place, five words all boilerplate).
        let picks = |d: &Document| {
            let mut tok = Tokenizer::new();
            let (hashes, segments) = tok.word_hashes(&d.text);
            let mut marks = Vec::new();
            boilerplate.mark_words(hashes, segments, &mut marks);
            let mut shingles = Vec::new();
            word_shingle_hashes_into(FINGERPRINT_WORDS, hashes, &mut shingles);
            let mut out = Vec::new();
            winnow_each(&shingles, WINNOW_WINDOW, |h, p| {
                out.push((key_of(h), p, marks[p as usize..p as usize + FINGERPRINT_WORDS].iter().all(|&m| m)))
            });
            out
        };
        let (first, other) = (picks(&docs[3]), picks(&docs[4]));
        // A fingerprint the first document has in its boilerplate and again outside it,
        // which the other has too.
        let key = first
            .iter()
            .find(|x| {
                x.2 && first.iter().any(|y| y.0 == x.0 && y.1 > x.1 && !y.2) && other.iter().any(|y| y.0 == x.0 && !y.2)
            })
            .expect("a fingerprint in boilerplate first, then outside it")
            .0;
        let unsure = [(DocId(3), DocId(4), vec![key]), (DocId(4), DocId(5), vec![key])];
        assert_eq!(outside_boilerplate(&unsure, key_of, &docs, &boilerplate), vec![(DocId(4), DocId(5))]);
    }

    #[test]
    fn sentences_sharing_rare_words_and_little_else_make_no_candidate() {
        let storms = "The glacier expedition mapped crevasses near the remote observatory during winter storms.";
        // The three rare words again (three keys), in another statement.
        let cafe =
            "Tourists visited the remote observatory and its glacier cafe despite souvenir prices rising sharply.";
        // The same statement in other words.
        let reworded = "During winter storms, the expedition mapped glacier crevasses close to the remote observatory.";
        let pairs = candidate_pairs(&[doc("a", storms), doc("b", cafe)], &Boilerplate::none(), 10);
        assert_eq!(pairs, vec![]);
        let docs = [doc("a", storms), doc("b", cafe), doc("c", reworded)];
        let pairs = candidate_pairs(&docs, &Boilerplate::none(), 10);
        assert_eq!(pairs, vec![(DocId(0), DocId(2))]);
        assert_eq!(pairs, reference_pairs(&docs, &Boilerplate::none(), 10));
    }

    /// [`content_word`] of each word of `text`, from [`Tokenizer::word_places`].
    fn content_words(text: &str) -> Vec<Option<u64>> {
        let mut tok = Tokenizer::new();
        let words = tok.word_places(text);
        (0..words.len()).map(|i| content_word(&words.word(i))).collect()
    }

    /// What [`content_word`] must give: the stem's hash, as the token pass had it.
    fn reference_content_words(text: &str) -> Vec<Option<u64>> {
        let mut tok = Tokenizer::new();
        tok.tokenize(text);
        tok.tokens().iter().map(|t| reference_content_word(tok.normalized(), t)).collect()
    }

    #[test]
    fn content_words_are_stems_of_five_characters() {
        let text = "The 3rd caf\u{e9}s of Brussels, naïvely: ceasefire 1,200 w12 Über über";
        let h = |s: &str| Some(word_hash(s.as_bytes()));
        let want =
            [None, None, h("caf\u{e9}s"), None, h("bruss"), h("naïve"), h("cease"), None, None, h("über"), h("über")];
        assert_eq!(content_words(text), want);
        assert_eq!(reference_content_words(text), want);
    }

    #[test]
    fn stop_words_and_digits_by_word() {
        let mut text: String = STOP_WORDS.join(" ");
        text +=
            " yourselvesx themselve 0 9 a0 /9 :0 abcdefgh9 abcdefghi9 x\u{663} \u{663} ab\u{e9}cdefgh1 9abcdefghijk";
        let got = content_words(&text);
        assert_eq!(got, reference_content_words(&text));
        assert!(got[..STOP_WORDS.len()].iter().all(Option::is_none));
    }

    #[test]
    fn stem_and_word_tables_keep_their_ids_as_they_grow() {
        let mut table = StemTable::new();
        let mut words = WordTable::default();
        let key = |i: u64| i.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 24 | 1;
        let hash = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555;
        let mut ids = Vec::new();
        assert_eq!(words.peek(hash(0)), None);
        for i in 0..5000u64 {
            let id = table.id(key(i), || i + 1);
            assert_eq!(id as u64, i + 1);
            assert_eq!(table.hashes[id as usize], i + 1);
            // Two words a stem, and every third word not content.
            for w in [2 * i, 2 * i + 1] {
                let want = if w % 3 == 0 { NOT_CONTENT } else { id };
                assert_eq!(words.id(hash(w), || (w % 3 != 0).then_some(id)), want);
            }
            ids.push(id);
        }
        assert_eq!(table.id(key(3), || 0), 4);
        assert_eq!(table.hashes.len(), 5001);
        assert_eq!(table.counts.len(), 5001);
        // Seen again after all the growing: the same values, `content` not asked.
        for i in 0..5000u64 {
            for w in [2 * i, 2 * i + 1] {
                let want = if w % 3 == 0 { NOT_CONTENT } else { ids[i as usize] };
                assert_eq!(words.id(hash(w), || panic!("word {w} forgotten")), want);
                // What the look-ahead reads: the same value, without adding.
                assert_eq!(words.peek(hash(w)), Some(want));
            }
            assert_eq!(table.id(key(i), || panic!("stem {i} forgotten")), ids[i as usize]);
        }
        assert_eq!(words.peek(hash(10_000)), None);
        assert_eq!(words.len, 10_000);
    }

    /// Words for the generated corpora: few enough that sentences repeat and words
    /// reach any count, with stop words, numbers, non-ASCII words and stems shared by
    /// longer words.
    const WORDS: &[&str] = &[
        "the",
        "of",
        "and",
        "said",
        "minister",
        "ministry",
        "ceasefire",
        "talks",
        "Brussels",
        "Kyiv",
        "quota",
        "fishing",
        "museum",
        "garden",
        "w12",
        "1,200",
        "3rd",
        "caf\u{e9}s",
        "Über",
        "über",
        "naïvely",
        "Москва",
        "東京",
        "budget",
        "budgets",
        "court",
        "ruling",
        "x",
        "yz",
        "don't",
        "U.S.",
    ];

    /// The segments found in two documents or more of `documents`.
    fn boilerplate_of(documents: &[Document]) -> Boilerplate {
        boilerplate_in(documents, 2)
    }

    /// The segments found in `min_docs` documents or more of `documents`.
    fn boilerplate_in(documents: &[Document], min_docs: u32) -> Boilerplate {
        let mut tok = Tokenizer::new();
        let segments: Vec<Vec<u64>> = documents
            .iter()
            .map(|d| {
                tok.tokenize(&d.text);
                let mut out = Vec::new();
                crate::boilerplate::segment_hashes(tok.tokens(), &mut out);
                out
            })
            .collect();
        Boilerplate::from_documents(&segments, min_docs)
    }

    /// Documents from word indexes (`None`: a sentence end), each copying a stretch of
    /// an earlier one now and then.
    fn corpus(docs: &[(Vec<Option<u8>>, u8, u8)]) -> Vec<Document> {
        let mut out: Vec<Document> = Vec::new();
        for (i, (words, from, len)) in docs.iter().enumerate() {
            let mut text = String::new();
            for w in words {
                match w {
                    Some(w) => {
                        text.push_str(WORDS[*w as usize % WORDS.len()]);
                        text.push(' ');
                    }
                    None => text.push_str(". "),
                }
            }
            if !out.is_empty() && len % 2 == 0 {
                let source = &out[*from as usize % out.len()].text;
                let cut: String = source.chars().take(*len as usize * 3).collect();
                text.push_str(&cut);
            }
            out.push(doc(&i.to_string(), &text));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The candidate pass against the token-based pass it replaced, for several
        /// `max_docs` and on one and on three threads.
        #[test]
        fn candidates_agree_with_the_token_pass(
            docs in proptest::collection::vec(
                (proptest::collection::vec(proptest::option::weighted(0.85, 0u8..40), 0..60), any::<u8>(), any::<u8>()),
                0..24,
            )
        ) {
            let documents = corpus(&docs);
            // Half the corpora with the sentences of two documents or more as boilerplate.
            let boilerplate = if docs.len() % 2 == 1 { boilerplate_of(&documents) } else { Boilerplate::none() };
            for max_docs in [2, 3, 20, usize::MAX] {
                let want = reference_pairs(&documents, &boilerplate, max_docs);
                for threads in [1, 3] {
                    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                    let got = pool.install(|| candidate_pairs(&documents, &boilerplate, max_docs));
                    prop_assert_eq!(&got, &want, "max_docs {} threads {}", max_docs, threads);
                }
                // Read by the document scan's sketcher, whatever its shingles.
                let shingling = ["words:5", "words:3", "chars:4"][docs.len() % 3].parse().unwrap();
                let none = crate::boilerplate::Boilerplate::none();
                let mut sketcher = crate::sketch::Sketcher::new(shingling, &none);
                let hasher = crate::minhash::MinHasher::with_scheme(8, 1, crate::minhash::MinHashScheme::Classic);
                let reader = CandidateReader::new(&documents, max_docs);
                for (d, doc) in documents.iter().enumerate() {
                    sketcher.sketch_reading(&doc.text, &hasher, None, &mut reader.document(d, &doc.text));
                }
                prop_assert_eq!(
                    &reader.pairs(&documents, &boilerplate, &[]),
                    &want,
                    "max_docs {} read by the sketcher ({})",
                    max_docs,
                    shingling
                );
            }
        }
    }
}
