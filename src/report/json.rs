//! The JSON report writer (the format is [`Report`]).

use std::io::Write;

use super::Report;

/// Writes the report as pretty-printed JSON followed by a newline.
pub fn write_json(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}
