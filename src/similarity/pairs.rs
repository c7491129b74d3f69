//! Reading sentence pairs: one JSON object per line, `{"id": ..., "a": TEXT, "b": TEXT}`.
//!
//! - `a` and `b` must be strings. `id` is kept as it is when it is a string or a number
//!   (it appears unchanged in the output), and is `SOURCE:LINE` when missing or `null`.
//! - Blank lines are skipped, and so is a byte-order mark at the start of the input.
//!   Each bad line (invalid UTF-8, invalid JSON, not an object, a missing or non-string
//!   text, an id that is not a string or number) becomes an [`InputError`] at
//!   `SOURCE:LINE`; reading goes on with the next line.

use std::io::BufRead;

use serde_json::Value;

use crate::error::InputError;
use crate::input::files::utf8_reason;
use crate::input::jsonl::{for_each_line, type_name};

/// One pair of texts to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct TextPair {
    /// The id, as given (a string or a number), or `SOURCE:LINE`.
    pub id: Value,
    /// Where it came from: `SOURCE:LINE`.
    pub source: String,
    /// The first text.
    pub a: String,
    /// The second text.
    pub b: String,
}

/// Pairs in input order, and the problems met while reading them.
#[derive(Clone, Debug, Default)]
pub struct PairInput {
    /// The good lines, in input order.
    pub pairs: Vec<TextPair>,
    /// The bad lines, in input order.
    pub errors: Vec<InputError>,
}

/// Reads pairs from `reader`; `source` names the input in ids and errors. Each error is
/// passed to `on_error` as soon as it is found, and kept.
pub fn read_pairs(reader: impl BufRead, source: &str, mut on_error: impl FnMut(&InputError)) -> PairInput {
    let mut input = PairInput::default();
    let mut errors = Vec::new();
    for_each_line(
        reader,
        source,
        |line, line_source| match parse_pair(line, &line_source) {
            Ok(pair) => input.pairs.push(pair),
            Err(reason) => {
                let e = InputError::new(line_source, reason);
                on_error(&e);
                input.errors.push(e);
            }
        },
        |e| errors.push(e),
    );
    for e in errors {
        on_error(&e);
        input.errors.push(e);
    }
    input
}

/// One line as a pair, or why it is unusable.
fn parse_pair(line: &[u8], line_source: &str) -> Result<TextPair, String> {
    let text = std::str::from_utf8(line).map_err(utf8_reason)?;
    let mut value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}; skipped"))?;
    let Some(object) = value.as_object_mut() else {
        return Err(format!("expected a JSON object, found {}; skipped", type_name(&value)));
    };
    let mut text_field = |name: &str| match object.remove(name) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!("field {name:?} is {}, not a string; skipped", type_name(&other))),
        None => Err(format!("missing text field {name:?}; skipped")),
    };
    let (a, b) = (text_field("a")?, text_field("b")?);
    let id = match object.remove("id") {
        Some(id @ (Value::String(_) | Value::Number(_))) => id,
        None | Some(Value::Null) => Value::String(line_source.to_string()),
        Some(other) => {
            return Err(format!("id field \"id\" is {}, not a string or number; skipped", type_name(&other)))
        }
    };
    Ok(TextPair { id, source: line_source.to_string(), a, b })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_and_reports_bad_lines() {
        let input = concat!(
            "{\"id\": \"p1\", \"a\": \"one\", \"b\": \"two\"}\n",
            "\n",
            "{\"a\": \"no id\", \"b\": \"x\"}\n",
            "not json\n",
            "{\"id\": 4, \"a\": \"only a\"}\n",
            "{\"id\": 5, \"a\": \"x\", \"b\": 7}\n",
            "[1, 2]\n",
            "{\"id\": [1], \"a\": \"x\", \"b\": \"y\"}\n",
            "{\"id\": 9, \"a\": \"num\", \"b\": \"id\"}",
        );
        let mut seen = 0;
        let got = read_pairs(input.as_bytes(), "pairs.jsonl", |_| seen += 1);
        let ids: Vec<&Value> = got.pairs.iter().map(|p| &p.id).collect();
        assert_eq!(ids, [&Value::from("p1"), &Value::from("pairs.jsonl:3"), &Value::from(9)]);
        let sources: Vec<&str> = got.errors.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(sources, ["pairs.jsonl:4", "pairs.jsonl:5", "pairs.jsonl:6", "pairs.jsonl:7", "pairs.jsonl:8"]);
        assert_eq!(seen, 5);
        assert!(got.errors[0].reason.starts_with("invalid JSON"));
        assert!(got.errors[1].reason.contains("missing text field \"b\""));
        assert!(got.errors[2].reason.contains("\"b\" is a number, not a string"));
        assert!(got.errors[3].reason.contains("expected a JSON object"));
        assert!(got.errors[4].reason.contains("not a string or number"));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let got = read_pairs("\u{FEFF}{\"a\": \"x\", \"b\": \"y\"}\n".as_bytes(), "f", |_| {});
        assert_eq!(got.pairs.len(), 1);
        assert!(got.errors.is_empty());
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let got = read_pairs(&b"{\"a\": \"caf\xe9\", \"b\": \"x\"}\n"[..], "f", |_| {});
        assert!(got.pairs.is_empty());
        assert!(got.errors[0].reason.contains("invalid UTF-8"));
    }
}
