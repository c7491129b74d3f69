//! Byte ranges in original documents, and document ids.

use serde::{Deserialize, Serialize};

/// A document's position in the corpus (input order), as a compact index.
///
/// Input order is meaningful: the first document seen of a duplicate cluster is its
/// representative, so `DocId` order is "first seen" order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DocId(pub u32);

impl DocId {
    /// The index as a `usize`, for slicing the corpus.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A half-open byte range `[start, end)` into a document's **original** text.
///
/// Every span that leaves the library is a range of the original bytes, on UTF-8
/// character boundaries, so `&text[span.range()]` is always valid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte (inclusive).
    pub start: u32,
    /// One past the last byte (exclusive).
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    pub fn new(start: u32, end: u32) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span as a `usize` range for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}
