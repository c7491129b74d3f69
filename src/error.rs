//! Errors: fatal ones ([`Error`]) and problems with single input records ([`InputError`]).
//!
//! A bad record (invalid UTF-8, malformed JSON, a missing field, a repeated id) is not
//! fatal: it becomes an [`InputError`] naming the input (`file`, `file:line`), is
//! reported, counted, and the run goes on. [`Error`] is for what stops a run: an
//! invalid configuration or an output that cannot be written.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A problem with one input record, file or path; the run goes on without it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// Where: `path`, or `path:line` for a line of a JSONL file (`<stdin>:line` for stdin).
    pub source: String,
    /// What is wrong, for a person.
    pub reason: String,
}

impl InputError {
    /// An error at `source` (a path, or `path:line`).
    pub fn new(source: impl Into<String>, reason: impl Into<String>) -> InputError {
        InputError { source: source.into(), reason: reason.into() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

/// What stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An option or combination of options is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Reading or writing a path failed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An index file cannot be used: missing, damaged, or built with other parameters.
    #[error("index {}: {reason}", path.display())]
    Index {
        /// The index file.
        path: PathBuf,
        /// What is wrong, for a person.
        reason: String,
    },
    /// Writing output failed (a closed pipe shows up here as `BrokenPipe`).
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
