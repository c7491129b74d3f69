//! Reading a corpus: files, directories, JSONL, gzip, stdin.
//!
//! - A directory is walked recursively in sorted order; hidden files and directories
//!   (names starting with `.`) are skipped. A file given directly is always read.
//! - `*.jsonl`, `*.ndjson` (optionally `.gz`) and `-` (stdin) are JSONL: one JSON object
//!   per line, see [`jsonl`]. Every other file is one plain-text document (`.gz` files are
//!   decompressed first).
//! - A JSONL file that is a regular file is read in pieces by all of rayon's threads at
//!   once (positioned reads); stdin, pipes and gzip are read as streams, in blocks. Both
//!   give the same documents and errors.
//! - A plain-text document's id is its path relative to the argument it was found under,
//!   with `/` separators; a file given directly is known by its file name.
//!
//! Bad input never stops the reading: each problem becomes an [`InputError`] and is
//! passed to the caller's `on_error` as soon as it is found (so a CLI can print it at
//! once) and kept in [`Corpus::errors`].

mod file_pieces;
pub mod files;
pub mod jsonl;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// One document of the corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The id shown in every output, unchanged from the input.
    pub id: String,
    /// Where it came from: a path, or `path:line` for a JSONL record.
    pub source: String,
    /// The original text. Every span dupmap reports is a byte range of it.
    pub text: Text,
}

/// A document's text, read as a `str` (through `Deref`).
///
/// A text is a range of a shared, immutable string: JSONL input decodes the texts of a
/// group of records (about 1 MiB of input) into one string, so that reading allocates
/// once per group rather than once per document (on two cores, growing the allocator's
/// heaps a page per document text made the parsing threads wait on each other in the
/// kernel). A text made from a `String` or `&str` has a string of its own. The string
/// is freed when the last text sharing it is dropped, so a record skipped for a
/// repeated id keeps its text's bytes in memory as long as the other texts of its group.
#[derive(Clone, Default)]
pub struct Text {
    shared: Arc<String>,
    start: usize,
    end: usize,
}

impl Text {
    /// The text `shared[range]`. Panics (a bug) when the range is out of bounds or not
    /// on character boundaries.
    pub fn shared(shared: Arc<String>, range: std::ops::Range<usize>) -> Text {
        assert!(shared.get(range.clone()).is_some(), "text range {range:?} out of bounds or off char boundaries");
        Text { shared, start: range.start, end: range.end }
    }

    /// The text as a `str`.
    pub fn as_str(&self) -> &str {
        &self.shared[self.start..self.end]
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        let end = text.len();
        Text { shared: Arc::new(text), start: 0, end }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(text.to_string())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        String::deserialize(deserializer).map(Text::from)
    }
}

/// Documents in input order, and the problems met while reading them.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Documents, in input order (the order decides cluster representatives).
    pub documents: Vec<Document>,
    /// Problems with input records, in the order they were found.
    pub errors: Vec<InputError>,
}

/// How JSONL records are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputOptions {
    /// Field holding the id (dotted path for nested fields). Default `id`.
    pub id_field: String,
    /// Field holding the text (dotted path for nested fields). Default `text`.
    pub text_field: String,
}

impl Default for InputOptions {
    fn default() -> InputOptions {
        InputOptions { id_field: "id".into(), text_field: "text".into() }
    }
}

/// Largest document accepted, in bytes: offsets are 32-bit.
pub const MAX_DOCUMENT_BYTES: usize = u32::MAX as usize;

/// Collects documents, refusing repeated ids and reporting problems as they come.
pub struct CorpusBuilder<'a> {
    corpus: Corpus,
    /// The documents' ids' hashes (by `ids`) and indices: the ids themselves are read
    /// from the documents, not copied, and only when two hashes agree; the table grows
    /// from the hashes kept.
    seen: hashbrown::HashTable<(u64, usize)>,
    ids: ahash::RandomState,
    on_error: Box<dyn FnMut(&InputError) + 'a>,
}

impl<'a> CorpusBuilder<'a> {
    /// A builder that calls `on_error` for each problem as it is found.
    pub fn new(on_error: impl FnMut(&InputError) + 'a) -> CorpusBuilder<'a> {
        CorpusBuilder {
            corpus: Corpus::default(),
            seen: hashbrown::HashTable::new(),
            ids: ahash::RandomState::new(),
            on_error: Box::new(on_error),
        }
    }

    /// Records a problem.
    pub fn error(&mut self, err: InputError) {
        (self.on_error)(&err);
        self.corpus.errors.push(err);
    }

    /// Adds a document, unless its id was seen before (then it is reported and skipped).
    /// An empty document is kept (it matches nothing) and reported.
    pub fn push(&mut self, doc: Document) {
        let hash = self.ids.hash_one(doc.id.as_str());
        self.push_hashed(doc, hash);
    }

    /// The hasher of ids for [`CorpusBuilder::push_hashed`].
    pub(crate) fn id_hasher(&self) -> ahash::RandomState {
        self.ids.clone()
    }

    /// [`CorpusBuilder::push`], given the hash of the document's id by
    /// [`CorpusBuilder::id_hasher`].
    pub(crate) fn push_hashed(&mut self, doc: Document, hash: u64) {
        debug_assert_eq!(hash, self.ids.hash_one(doc.id.as_str()));
        let documents = &self.corpus.documents;
        if let Some(&(_, first)) = self.seen.find(hash, |&(h, i)| h == hash && documents[i].id == doc.id) {
            let first_source = documents[first].source.clone();
            self.error(InputError::new(
                doc.source,
                format!("duplicate id {:?} (first seen at {first_source}); record skipped", doc.id),
            ));
            return;
        }
        if doc.text.len() > MAX_DOCUMENT_BYTES {
            self.error(InputError::new(
                doc.source,
                format!("document is {} bytes, more than the limit of {MAX_DOCUMENT_BYTES}; skipped", doc.text.len()),
            ));
            return;
        }
        if doc.text.trim().is_empty() {
            self.error(InputError::new(doc.source.clone(), "empty document; kept, it matches nothing"));
        }
        self.seen.insert_unique(hash, (hash, self.corpus.documents.len()), |&(h, _)| h);
        self.corpus.documents.push(doc);
    }

    /// The corpus read so far.
    pub fn finish(self) -> Corpus {
        self.corpus
    }
}

pub use files::read_inputs;
