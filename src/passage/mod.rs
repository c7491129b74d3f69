//! Shared passages: what two documents share, verbatim, edited or reworded, with byte
//! offsets on both sides, and the clusters of passages that recur across documents.
pub mod fingerprint;
