//! JSONL / NDJSON records: one JSON object per line.
//!
//! - The text is the string at `text_field`; the id is the string or number at
//!   `id_field`, or `SOURCE:LINE` when the record has none (or it is `null`).
//! - Field names are dotted paths into nested objects (`meta.id`); a key that itself
//!   contains the dots is tried first.
//! - Blank lines are skipped. Each bad line (invalid UTF-8, invalid JSON, not an object,
//!   missing or non-string text, an id that is not a string or number) is reported with
//!   its line number and skipped; reading goes on with the next line.

use std::io::BufRead;

use serde_json::Value;

use super::files::{io_reason, utf8_reason};
use super::{CorpusBuilder, Document, InputOptions};
use crate::error::InputError;

/// Looks up a dotted field path in a JSON object.
pub fn field<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(v) = value.get(path) {
        return Some(v);
    }
    let mut cur = value;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    Some(cur)
}

/// What a JSON value is, for error messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A record's id and text, or why the record is unusable.
pub fn parse_record(line: &[u8], line_source: &str, options: &InputOptions) -> Result<(String, String), String> {
    let value = parse_object(line)?;
    record_fields(&value, line_source, options)
}

/// A line as a JSON object, or why it is not one.
pub fn parse_object(line: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(line).map_err(utf8_reason)?;
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}; skipped"))?;
    if !value.is_object() {
        return Err(format!("expected a JSON object, found {}; skipped", type_name(&value)));
    }
    Ok(value)
}

/// The id and text of a parsed record (see the module documentation).
pub fn record_fields(value: &Value, line_source: &str, options: &InputOptions) -> Result<(String, String), String> {
    let body = match field(value, &options.text_field) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(format!("field {:?} is {}, not a string; skipped", options.text_field, type_name(other)))
        }
        None => return Err(format!("missing text field {:?}; skipped", options.text_field)),
    };
    let id = match field(value, &options.id_field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => line_source.to_string(),
        Some(other) => {
            return Err(format!(
                "id field {:?} is {}, not a string or number; skipped",
                options.id_field,
                type_name(other)
            ))
        }
    };
    Ok((id, body))
}

/// Calls `on_line(line, "source:number")` for each non-blank line of `reader`, trimmed
/// of surrounding white space (and of a byte-order mark on line 1). A read error is
/// passed to `on_error` and ends the reading.
pub fn for_each_line(
    reader: impl BufRead,
    source: &str,
    mut on_line: impl FnMut(&[u8], String),
    on_error: impl FnMut(InputError),
) {
    for_each_raw_line(reader, source, |line, at| on_line(line.trim_ascii(), at), on_error)
}

/// Like [`for_each_line`], but each line is passed as it is, without its line ending
/// (`\n` or `\r\n`) and the byte-order mark of line 1; lines of white space only are
/// skipped.
pub fn for_each_raw_line(
    mut reader: impl BufRead,
    source: &str,
    mut on_line: impl FnMut(&[u8], String),
    mut on_error: impl FnMut(InputError),
) {
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                on_error(InputError::new(format!("{source}:{}", number + 1), io_reason(&e)));
                break;
            }
        }
        number += 1;
        let mut content = line.strip_suffix(b"\n").unwrap_or(&line);
        content = content.strip_suffix(b"\r").unwrap_or(content);
        if number == 1 {
            content = content.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(content);
        }
        if !content.trim_ascii().is_empty() {
            on_line(content, format!("{source}:{number}"));
        }
    }
}

/// Reads JSONL records from `reader` into `builder`. `source` names the input in ids
/// and errors (`source:line`).
pub fn read_jsonl(reader: impl BufRead, source: &str, options: &InputOptions, builder: &mut CorpusBuilder<'_>) {
    let mut errors = Vec::new();
    for_each_line(
        reader,
        source,
        |line, line_source| match parse_record(line, &line_source, options) {
            Ok((id, text)) => builder.push(Document { id, source: line_source, text }),
            Err(reason) => builder.error(InputError::new(line_source, reason)),
        },
        |e| errors.push(e),
    );
    for e in errors {
        builder.error(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, options: &InputOptions) -> crate::input::Corpus {
        let mut b = CorpusBuilder::new(|_| {});
        read_jsonl(input.as_bytes(), "feed.jsonl", options, &mut b);
        b.finish()
    }

    #[test]
    fn reads_ids_texts_and_reports_bad_lines() {
        let input = "{\"id\": \"a\", \"text\": \"hello\"}\n\n{\"text\": \"no id\"}\nnot json\n{\"id\": 7, \"text\": 3}\n[1]\n{\"id\": 9, \"text\": \"num id\"}\n{\"id\": \"a\", \"text\": \"again\"}\n";
        let c = read(input, &InputOptions::default());
        let ids: Vec<&str> = c.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "feed.jsonl:3", "9"]);
        let sources: Vec<&str> = c.errors.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(sources, ["feed.jsonl:4", "feed.jsonl:5", "feed.jsonl:6", "feed.jsonl:8"]);
        assert!(c.errors[0].reason.starts_with("invalid JSON"));
        assert!(c.errors[1].reason.contains("is a number, not a string"));
        assert!(c.errors[3].reason.contains("duplicate id \"a\" (first seen at feed.jsonl:1)"));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let c = read("\u{FEFF}{\"id\": \"a\", \"text\": \"t\"}\n", &InputOptions::default());
        assert_eq!(c.documents.len(), 1);
        assert!(c.errors.is_empty());
    }

    #[test]
    fn dotted_fields() {
        let opts = InputOptions { id_field: "meta.id".into(), text_field: "body.text".into() };
        let c = read("{\"meta\": {\"id\": \"x\"}, \"body\": {\"text\": \"t\"}}\n", &opts);
        assert_eq!(c.documents[0].id, "x");
        assert_eq!(c.documents[0].text, "t");
    }

    #[test]
    fn invalid_utf8_line_is_reported() {
        let mut b = CorpusBuilder::new(|_| {});
        read_jsonl(&b"{\"text\": \"ok\"}\n{\"text\": \"\xff\"}\n"[..], "f", &InputOptions::default(), &mut b);
        let c = b.finish();
        assert_eq!(c.documents.len(), 1);
        assert_eq!(c.errors[0].source, "f:2");
        assert!(c.errors[0].reason.contains("invalid UTF-8"));
    }
}
