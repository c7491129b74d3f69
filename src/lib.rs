//! # dupmap
//!
//! Finds near-duplicate and reworded text across many documents and maps what overlaps
//! with what: news-feed deduplication, spotting syndicated copy, and filtering a stream
//! of documents before it reaches an index or a training corpus.
//!
//! ## How the pieces fit
//!
//! 1. [`input`] reads files, directories, JSONL and gzip into a [`Corpus`] of
//!    [`Document`]s, reporting bad records as [`InputError`]s and going on.
//! 2. [`text`] normalises (NFKC, case, quotes, dashes, spaces) with a map back to the
//!    original bytes, splits words by Unicode rules and forms shingles with their
//!    original [`Span`]s.
//! 3. [`boilerplate`] finds segments shared by many documents, which then do not count
//!    as evidence of copying.
//! 4. [`minhash`] signs each document's shingle set; [`lsh`] bands the signatures into
//!    candidate pairs in sub-linear time.
//! 5. [`verify`] computes exact Jaccard and containment of each candidate and its
//!    [`Relation`]; [`cluster`] forms duplicate clusters without chaining.
//! 6. [`pipeline::scan`] composes all of it in parallel; [`report`] turns the result
//!    into the versioned JSON report, JSONL lines or a readable summary.
//! 7. [`filter::Filter`] is the streaming form: documents come in batches and are
//!    admitted or held back against an [`index::Index`] of what was admitted, which can
//!    be saved to a checksummed file and bounded by time or size.
//!
//! ## Example
//!
//! ```
//! use dupmap::{scan, Document, NoProgress, ScanConfig};
//!
//! let story = "Hamas leader Ismail Haniyeh met Iran's Supreme Leader Ali Khamenei in \
//!              Tehran on Tuesday, a day after the UN Security Council demanded a ceasefire.";
//! let docs = vec![
//!     Document { id: "wire".into(), source: "wire.txt".into(), text: story.into() },
//!     Document { id: "copy".into(), source: "copy.txt".into(),
//!                text: format!("BREAKING: {story} Read more.").into() },
//!     Document { id: "other".into(), source: "other.txt".into(),
//!                text: "Markets rallied on Tuesday as oil prices fell sharply.".into() },
//! ];
//! let result = scan(&docs, &ScanConfig::default(), &NoProgress).unwrap();
//! assert_eq!(result.clusters.len(), 1);
//! assert_eq!(result.clusters[0].members.len(), 2); // wire and copy
//! ```

#![deny(missing_docs)]

pub mod boilerplate;
pub mod cluster;
pub mod config;
pub mod error;
pub mod filter;
pub mod hashsort;
pub mod index;
pub mod input;
pub mod lsh;
pub mod minhash;
pub mod passage;
pub mod pipeline;
mod prefetch;
pub mod report;
pub mod similarity;
pub mod sketch;
pub mod text;
pub mod verify;

pub use config::{ScanConfig, ScanConfigBuilder, Verification};
pub use error::{Error, InputError, Result};
pub use input::{Corpus, Document, InputOptions, Text};
pub use pipeline::{scan, NoProgress, Pair, Progress, ScanResult};
pub use text::{DocId, Span};
pub use verify::{Relation, Scores};
