//! The JSONL writer: one line per input document, `{"id", "cluster", "representative",
//! "duplicate_of"}` ([`Assignment`](super::Assignment)), in input order, easy to join
//! back onto a dataset.

use std::io::Write;

use super::Report;

/// Writes one line per document.
pub fn write_jsonl(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    for a in report.assignments() {
        serde_json::to_writer(&mut out, &a)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
