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
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::files::{io_reason, utf8_reason};
use super::{CorpusBuilder, Document, InputOptions, Text};
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
    record_id_and_text(value, options).map(|(id, body)| (id.unwrap_or_else(|| line_source.to_string()), body))
}

/// [`record_fields`], with `None` for an id that is the line's source.
fn record_id_and_text(value: &Value, options: &InputOptions) -> Result<(Option<String>, String), String> {
    let body = match field(value, &options.text_field) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(format!("field {:?} is {}, not a string; skipped", options.text_field, type_name(other)))
        }
        None => return Err(format!("missing text field {:?}; skipped", options.text_field)),
    };
    let id = match field(value, &options.id_field) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        None | Some(Value::Null) => None,
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

/// A record's id (`None`: the line's source is its id) and where its text is in the
/// string it was read into, or why the record is unusable.
type LocatedRecord = Result<(Option<String>, Range<usize>), String>;

/// A record's id (`None`: the line's source), its text and the hash of its id (0 for
/// `None`), or why it is unusable.
pub(super) type ParsedRecord = Result<(Option<String>, Text, u64), String>;

/// Bytes of input read at a time by [`read_jsonl`], whose lines are parsed in parallel.
const BLOCK_BYTES: usize = 4 << 20;

/// Reads JSONL records from `reader` into `builder`. `source` names the input in ids
/// and errors (`source:line`).
///
/// The input is read in blocks of whole lines; the lines of a block are parsed in
/// parallel and their documents and problems passed to `builder` in input order, so
/// the result is that of reading line by line with [`for_each_line`] and
/// [`parse_record`].
pub fn read_jsonl(reader: impl BufRead, source: &str, options: &InputOptions, builder: &mut CorpusBuilder<'_>) {
    read_jsonl_in(reader, source, options, builder, BLOCK_BYTES, GROUP_BYTES);
}

/// [`read_jsonl`] in blocks of `block_bytes` and groups of `group_bytes`.
fn read_jsonl_in(
    reader: impl BufRead,
    source: &str,
    options: &InputOptions,
    builder: &mut CorpusBuilder<'_>,
    block_bytes: usize,
    group_bytes: usize,
) {
    use rayon::prelude::*;
    let mut errors = Vec::new();
    // Ids are hashed for the builder's repeated-id check as they are parsed.
    let ids = builder.id_hasher();
    for_each_block(
        reader,
        source,
        block_bytes,
        |block, lines| -> Vec<Vec<(u64, ParsedRecord)>> {
            // Groups of lines, read in parallel, each into a shared string of its own.
            let mut groups = Vec::new();
            let mut rest = lines;
            while !rest.is_empty() {
                let first = rest[0].0;
                let n = rest.iter().position(|&(_, end, _)| end - first >= group_bytes).map_or(rest.len(), |i| i + 1);
                let (group, after) = rest.split_at(n);
                groups.push(group);
                rest = after;
            }
            groups.par_iter().map(|group| read_group(block, group, options, &ids)).collect()
        },
        |parsed| {
            for (number, record) in parsed.into_iter().flatten() {
                push_record(builder, source, number, record);
            }
        },
        |e| errors.push(e),
    );
    for e in errors {
        builder.error(e);
    }
}

/// Bytes of input lines read into one [`Text`] string by [`read_jsonl`]: a block is
/// read in groups of lines of about this size, in parallel.
const GROUP_BYTES: usize = 1 << 20;

/// The records of `lines` of `block` with their line numbers, their texts decoded into
/// one shared string (one allocation for the group's texts rather than one per text;
/// see [`Text`]), their ids hashed with `ids`.
pub(super) fn read_group(
    block: &[u8],
    lines: &[(usize, usize, u64)],
    options: &InputOptions,
    ids: &ahash::RandomState,
) -> Vec<(u64, ParsedRecord)> {
    // A text is never longer than its line.
    let mut texts = String::with_capacity(lines.iter().map(|&(start, end, _)| end - start).sum());
    let located: Vec<LocatedRecord> =
        (0..lines.len()).map(|i| parse_record_into(line_of(block, lines, i), options, &mut texts)).collect();
    texts.shrink_to_fit();
    let texts = Arc::new(texts);
    located
        .into_iter()
        .zip(lines)
        .map(|(record, &(_, _, number))| {
            let record = record.map(|(id, range)| {
                let hash = id.as_deref().map_or(0, |id| ids.hash_one(id));
                (id, Text::shared(texts.clone(), range), hash)
            });
            (number, record)
        })
        .collect()
}

/// Passes a record of line `number` of `source` read by [`read_group`] to `builder`.
pub(super) fn push_record(builder: &mut CorpusBuilder<'_>, source: &str, number: u64, record: ParsedRecord) {
    let line_source = format!("{source}:{number}");
    match record {
        Ok((Some(id), text, hash)) => builder.push_hashed(Document { id, source: line_source, text }, hash),
        Ok((None, text, _)) => builder.push(Document { id: line_source.clone(), source: line_source, text }),
        Err(reason) => builder.error(InputError::new(line_source, reason)),
    }
}

/// Line `i` of `lines` of `block`, trimmed of surrounding white space.
fn line_of<'b>(block: &'b [u8], lines: &[(usize, usize, u64)], i: usize) -> &'b [u8] {
    let (start, end, _) = lines[i];
    block[start..end].trim_ascii()
}

/// The lines of `reader` as [`for_each_raw_line`] gives them, a block at a time: each call
/// of `on_block(block, lines)` passes about `block_bytes` of input and its non-blank
/// lines as `(start, end, line number)`, `block[start..end]` being the line without its
/// line ending (and the byte-order mark of line 1). A read error is passed to `on_error`
/// (after the lines read before it) and ends the reading.
fn for_each_block<T: Send>(
    mut reader: impl BufRead,
    source: &str,
    block_bytes: usize,
    parse: impl Fn(&[u8], &[(usize, usize, u64)]) -> T + Sync,
    mut consume: impl FnMut(T),
    mut on_error: impl FnMut(InputError),
) {
    let block_bytes = block_bytes.max(1);
    let mut buf = BlockBuf::default();
    let mut spare = BlockBuf::default();
    let mut lines: Vec<(usize, usize, u64)> = Vec::new();
    let mut next_lines: Vec<(usize, usize, u64)> = Vec::new();
    let mut number = 0u64;
    // The parsed records of the block before, handed on while the next is parsed.
    let mut pending: Option<T> = None;
    let mut block = next_block(&mut reader, &mut buf, block_bytes, &mut number, &mut lines);
    loop {
        // The block's lines are parsed (in the thread pool) while this thread hands on
        // the records of the block before, and reads and cuts into lines the next
        // block after the rest of this one.
        spare.set(&buf.filled()[block.whole..]);
        let read_on = !block.at_end && block.failed.is_none();
        let mut parsed = None;
        let mut next = None;
        rayon::in_place_scope(|scope| {
            if !lines.is_empty() {
                let (text, lines, parse, parsed) = (&buf.filled()[..block.whole], &lines, &parse, &mut parsed);
                scope.spawn(move |_| *parsed = Some(parse(text, lines)));
            }
            if let Some(before) = pending.take() {
                consume(before);
            }
            if read_on {
                next = Some(next_block(&mut reader, &mut spare, block_bytes, &mut number, &mut next_lines));
            }
        });
        pending = parsed;
        let Some(following) = next else {
            // The end, or a read error: after the lines read before it.
            if let Some(last) = pending.take() {
                consume(last);
            }
            if let Some(e) = block.failed {
                on_error(InputError::new(format!("{source}:{}", number + 1), io_reason(&e)));
            }
            return;
        };
        std::mem::swap(&mut buf, &mut spare);
        std::mem::swap(&mut lines, &mut next_lines);
        block = following;
    }
}

/// A buffer of input, read into directly: its first `len` bytes are the input read,
/// the rest of `bytes` (initialised once, when the buffer grows) is room to read into.
#[derive(Default)]
pub(super) struct BlockBuf {
    bytes: Vec<u8>,
    len: usize,
}

impl BlockBuf {
    /// The input read.
    pub(super) fn filled(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Holds nothing (its room stays).
    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// Reads up to `want` bytes with `read(room)` (which reads into `room` and says how
    /// many bytes it read) after those read; the bytes read stay, even on an error.
    pub(super) fn read_into(
        &mut self,
        want: usize,
        read: impl FnOnce(&mut [u8]) -> (usize, Option<std::io::Error>),
    ) -> Option<std::io::Error> {
        let (n, failed) = read(&mut self.room(want)[..want]);
        self.len += n;
        failed
    }

    /// Holds `start` and nothing else.
    fn set(&mut self, start: &[u8]) {
        self.len = 0;
        self.room(start.len())[..start.len()].copy_from_slice(start);
        self.len = start.len();
    }

    /// Room for `at_least` more bytes after those read.
    fn room(&mut self, at_least: usize) -> &mut [u8] {
        let want = self.len + at_least;
        if self.bytes.len() < want {
            self.bytes.resize(want, 0);
        }
        &mut self.bytes[self.len..]
    }
}

/// A block of input in a buffer: its whole lines end at `whole` (the rest is the start
/// of a line), and whether the input ended or failed after it.
struct Block {
    whole: usize,
    at_end: bool,
    failed: Option<std::io::Error>,
}

/// Reads onto `buf` (which may hold the start of a line) about `block_bytes` more, or to
/// the end of a line longer than that, and puts the non-blank lines of its whole lines
/// in `lines`, numbered on from `number` (see [`for_each_block`]).
fn next_block(
    reader: &mut impl BufRead,
    buf: &mut BlockBuf,
    block_bytes: usize,
    number: &mut u64,
    lines: &mut Vec<(usize, usize, u64)>,
) -> Block {
    let mut target = block_bytes;
    let (at_end, failed, whole) = loop {
        let (at_end, failed) = fill_block(reader, buf, target);
        let buf = buf.filled();
        // Whole lines only, but for the last line of the input.
        let whole = if at_end { buf.len() } else { memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1) };
        if whole == 0 && !at_end && failed.is_none() {
            // A line longer than the block: read on.
            target = buf.len() * 2;
            continue;
        }
        break (at_end, failed, whole);
    };
    lines.clear();
    let newlines = cut_lines(&buf.filled()[..whole], 0, whole, *number, *number == 0, lines);
    *number += newlines + u64::from(whole > 0 && buf.filled()[whole - 1] != b'\n');
    Block { whole, at_end, failed }
}

/// Cuts `buf` into lines from `start` (the start of a line), the last one the line
/// that starts before `limit` (each ending after its `\n`, or at the end of `buf`), and
/// puts the non-blank ones in `lines` as [`for_each_block`] does, numbered on from
/// `number` (the first line is `number + 1`). When `input_start`, the first line is
/// the input's first, and a byte-order mark is not part of it. Returns how many of the
/// lines end with a `\n`.
pub(super) fn cut_lines(
    buf: &[u8],
    mut start: usize,
    limit: usize,
    mut number: u64,
    input_start: bool,
    lines: &mut Vec<(usize, usize, u64)>,
) -> u64 {
    let mut newlines = 0;
    let mut bom = input_start;
    while start < limit {
        let end = match memchr::memchr(b'\n', &buf[start..]) {
            Some(i) => {
                newlines += 1;
                start + i + 1
            }
            None => buf.len(),
        };
        number += 1;
        let mut content = &buf[start..end];
        content = content.strip_suffix(b"\n").unwrap_or(content);
        content = content.strip_suffix(b"\r").unwrap_or(content);
        let mut first = start;
        if bom && content.starts_with("\u{FEFF}".as_bytes()) {
            content = &content[3..];
            first += 3;
        }
        bom = false;
        if !content.trim_ascii().is_empty() {
            lines.push((first, first + content.len(), number));
        }
        start = end;
    }
    newlines
}

/// Reads from `reader` onto `buf` until it holds `target` bytes or the input ends (then
/// the first value is true) or fails (the error). The bytes are read straight into
/// `buf` (a buffered reader passes a read of more than it buffers on to its source).
fn fill_block(reader: &mut impl BufRead, buf: &mut BlockBuf, target: usize) -> (bool, Option<std::io::Error>) {
    while buf.len < target {
        let want = target - buf.len;
        match reader.read(&mut buf.room(want)[..want]) {
            Ok(0) => return (true, None),
            Ok(n) => buf.len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (false, Some(e)),
        }
    }
    (false, None)
}

/// [`parse_record`], appending the text to `texts`: the id, and where in `texts` the
/// text is (nothing is appended for a record that is unusable). No JSON value of the
/// whole record is built when the record is well formed and has its fields at the top
/// level: only the text and id fields are kept, every other value is skipped unread.
/// Anything else (a syntax error, a value that is not an object, a missing field, a
/// text that is not a string, a dotted path) goes through [`parse_record`], so the
/// result and messages are the same.
fn parse_record_into(line: &[u8], options: &InputOptions, texts: &mut String) -> LocatedRecord {
    let at = texts.len();
    let take = |texts: &mut String, body: &str| {
        texts.push_str(body);
        at..texts.len()
    };
    if let Ok(text) = std::str::from_utf8(line) {
        if options.text_field != options.id_field {
            if let Some(id) = parse_flat_record(text, &options.text_field, &options.id_field, texts) {
                match id {
                    Some(id) => return Ok((Some(id), at..texts.len())),
                    None if !options.id_field.contains('.') => return Ok((None, at..texts.len())),
                    None => {}
                }
            }
            texts.truncate(at);
            let seed = TwoFields { text: &options.text_field, id: &options.id_field };
            let mut de = serde_json::Deserializer::from_str(text);
            if let Ok((Some(Value::String(body)), id)) = serde::de::DeserializeSeed::deserialize(seed, &mut de) {
                if de.end().is_ok() {
                    let id = match id {
                        Some(Value::String(s)) => Some(Some(s)),
                        Some(Value::Number(n)) => Some(Some(n.to_string())),
                        None if options.id_field.contains('.') => None,
                        None | Some(Value::Null) => Some(None),
                        Some(_) => None,
                    };
                    if let Some(id) = id {
                        return Ok((id, take(texts, &body)));
                    }
                }
            }
        }
    }
    parse_object(line).and_then(|value| record_id_and_text(&value, options)).map(|(id, body)| (id, take(texts, &body)))
}

/// The id and text of the commonest kind of record, in one pass and without serde: an
/// object whose members all have string values without `\\u` escapes (and keys without
/// escapes). Appends the last value of `text_field` to `texts` and returns the last of
/// `id_field`, if any; `None` for anything else, with whatever was appended to `texts`
/// left there (then [`parse_record_into`] asks serde, which gives the same values for
/// these records, or says what is wrong with the others).
fn parse_flat_record(line: &str, text_field: &str, id_field: &str, texts: &mut String) -> Option<Option<String>> {
    let b = line.as_bytes();
    let ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    };
    let mut i = 0;
    ws(&mut i);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    ws(&mut i);
    let (mut id, mut text) = (None, false);
    let at = texts.len();
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            // A key: a string without escapes.
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let key_start = i + 1;
            let key_end = key_start + next_special(&b[key_start..])?;
            if b[key_end] != b'"' {
                return None;
            }
            let key = &line[key_start..key_end];
            i = key_end + 1;
            ws(&mut i);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i += 1;
            ws(&mut i);
            if b.get(i) != Some(&b'"') {
                return None;
            }
            i = if key == text_field {
                // The last value counts.
                texts.truncate(at);
                text = true;
                json_string(line, i + 1, Some(texts))?
            } else if key == id_field {
                let mut value = String::new();
                let end = json_string(line, i + 1, Some(&mut value))?;
                id = Some(value);
                end
            } else {
                json_string(line, i + 1, None)?
            };
            ws(&mut i);
            match b.get(i) {
                Some(b',') => {
                    i += 1;
                    ws(&mut i);
                }
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    ws(&mut i);
    (i == b.len() && text).then_some(id)
}

/// [`parse_record_into`] a string of its own.
#[cfg(test)]
fn parse_record_fast(line: &[u8], line_source: &str, options: &InputOptions) -> Result<(String, String), String> {
    let mut text = String::new();
    parse_record_into(line, options, &mut text).map(|(id, _)| (id.unwrap_or_else(|| line_source.to_string()), text))
}

/// Reads the JSON string whose contents start at `start` of `line`, appending them
/// decoded to `out` if one is given; the position after its closing quote, or `None`
/// for a `\\u` escape (left to serde) or anything that is not valid JSON.
fn json_string(line: &str, start: usize, mut out: Option<&mut String>) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = start;
    let mut copied = start;
    loop {
        i += next_special(&b[i..])?;
        match b[i] {
            b'"' => {
                if let Some(out) = out {
                    out.push_str(&line[copied..i]);
                }
                return Some(i + 1);
            }
            b'\\' => {
                let c = match *b.get(i + 1)? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    _ => return None,
                };
                if let Some(out) = out.as_deref_mut() {
                    out.push_str(&line[copied..i]);
                    out.push(c);
                }
                i += 2;
                copied = i;
            }
            // A control character, which JSON strings may not hold.
            _ => return None,
        }
    }
}

/// The position in `b` of the first `"`, `\\` or control character (below 0x20); `None`
/// when there is none. Sixteen bytes at a time (SSE2), eight on other targets.
#[inline]
fn next_special(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; each load reads 16 bytes within `b`.
        unsafe {
            let (quote, backslash, control) =
                (_mm_set1_epi8(b'"' as i8), _mm_set1_epi8(b'\\' as i8), _mm_set1_epi8(0x1F));
            while i + 16 <= b.len() {
                let v = _mm_loadu_si128(b.as_ptr().add(i) as *const __m128i);
                // Below 0x20: the unsigned minimum with 0x1F is the byte itself.
                let below = _mm_cmpeq_epi8(_mm_min_epu8(v, control), v);
                let hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), below);
                let bits = _mm_movemask_epi8(hit) as u32;
                if bits != 0 {
                    return Some(i + bits.trailing_zeros() as usize);
                }
                i += 16;
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        while i + 8 <= b.len() {
            let x = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            // Bytes below 0x20 (high bit clear, and below after subtracting), `"`, `\\`.
            let hit = (x.wrapping_sub(0x20 * ONES) & !x & HIGH)
                | zero_byte(x ^ (b'"' as u64 * ONES))
                | zero_byte(x ^ (b'\\' as u64 * ONES));
            if hit != 0 {
                return Some(i + (hit.trailing_zeros() / 8) as usize);
            }
            i += 8;
        }
    }
    b[i..].iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\').map(|k| i + k)
}

/// Reads a JSON object keeping only the values of two top-level keys (the last of each
/// when a key is repeated, as [`Value`] does).
struct TwoFields<'a> {
    text: &'a str,
    id: &'a str,
}

impl<'de> serde::de::DeserializeSeed<'de> for TwoFields<'_> {
    type Value = (Option<Value>, Option<Value>);

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TwoFields<'_> {
    type Value = (Option<Value>, Option<Value>);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut text, mut id) = (None, None);
        let names = [self.text, self.id];
        while let Some(key) = map.next_key_seed(KeyOf(names))? {
            match key {
                Some(0) => text = Some(map.next_value::<Value>()?),
                Some(_) => id = Some(map.next_value::<Value>()?),
                None => map.next_value_seed(Checked)?,
            }
        }
        Ok((text, id))
    }
}

/// A map key: the index of the name it equals among two, if any (without allocating).
struct KeyOf<'a>([&'a str; 2]);

impl<'de> serde::de::DeserializeSeed<'de> for KeyOf<'_> {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyOf<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|&name| name == v))
    }
}

/// A value that is read and checked as [`Value`] would be (numbers in range, valid
/// escapes), then dropped. (`IgnoredAny` skips values without those checks.)
struct Checked;

impl<'de> serde::de::DeserializeSeed<'de> for Checked {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Checked)
    }
}

impl<'de> serde::de::Visitor<'de> for Checked {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Checked)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Checked)?.is_some() {
            map.next_value_seed(Checked)?;
        }
        Ok(())
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

    /// Reads its bytes, then fails.
    struct Failing<'a>(&'a [u8]);

    impl std::io::Read for Failing<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("disk on fire"));
            }
            let n = out.len().min(self.0.len()).min(5);
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_comes_after_the_lines_read_before_it() {
        let input = b"{\"id\": \"a\", \"text\": \"x\"}\n\n{\"id\": \"b\", \"text\": \"y\"}\n{\"id\": \"c\"";
        for block in [1, 7, 40, 1 << 20] {
            let mut seen = Vec::new();
            let mut builder = CorpusBuilder::new(|e| seen.push(e.source.clone()));
            let mut got = Vec::new();
            for_each_block(
                std::io::BufReader::with_capacity(8, Failing(input)),
                "s",
                block,
                |buf, lines| lines.iter().map(|&(s, e, n)| (buf[s..e].to_vec(), n)).collect::<Vec<_>>(),
                |lines| got.extend(lines),
                |e| builder.error(e),
            );
            let numbers: Vec<u64> = got.iter().map(|l| l.1).collect();
            assert_eq!(numbers, [1, 3], "blocks of {block}");
            drop(builder);
            assert_eq!(seen, ["s:4"], "blocks of {block}");
        }
    }

    #[test]
    fn blocks_give_the_lines_of_for_each_raw_line() {
        let input: &[u8] = b"\xEF\xBB\xBF{\"a\": 1}\r\n\n   \n{\"b\": 2}\nxx\r\n\xEF\xBB\xBFnot bom\n a very long line of many bytes indeed \n\t\nlast";
        for input in [input, &input[3..], b"", b"\n", b"one\n", b"\xEF\xBB\xBF"] {
            let mut want = Vec::new();
            for_each_raw_line(input, "s", |line, at| want.push((line.to_vec(), at)), |_| panic!());
            for block in [1, 2, 3, 7, 16, 1 << 20] {
                let mut got = Vec::new();
                for_each_block(
                    input,
                    "s",
                    block,
                    |buf, lines| {
                        lines.iter().map(|&(s, e, n)| (buf[s..e].to_vec(), format!("s:{n}"))).collect::<Vec<_>>()
                    },
                    |lines| got.extend(lines),
                    |_| panic!(),
                );
                assert_eq!(got, want, "blocks of {block}");
            }
        }
    }

    /// Lines of every kind: well formed, escaped, for serde, broken.
    const RECORDS: [&str; 23] = [
        r#"{"id": "a", "text": "hello"}"#,
        r#"{"text": "t", "id": 12.5, "x": [1, {"y": null}]}"#,
        r#"{"id": "a", "text": "one", "text": "two"}"#,
        r#"{"id": "a", "text": "one", "text": 3}"#,
        r#"{"text": "t", "x": 1e400}"#,
        r#"{"text": "t", "x": "\ud800"}"#,
        r#"{"text": "t", "x": [1e400]}"#,
        r#"{"text": "t", "id": null}"#,
        r#"{"text": "t", "id": true}"#,
        r#"{"te\u0078t": "escaped key", "id": "k"}"#,
        r#"{"text": "t"} trailing"#,
        r#"{"text": "t",}"#,
        r#"[1, 2]"#,
        r#""text""#,
        r#"{"meta": {"id": "m"}, "body": {"text": "nested"}, "meta.id": "flat"}"#,
        r#"{"id": 1}"#,
        r#"  { "id" : "a\"b\\c\/d\b\f\n\r\t" ,"text":"x\u00e9y"}  "#,
        r#"{"id": "a", "text": "tab	inside"}"#,
        r#"{"id": "a", "text": "bad \q escape"}"#,
        r#"{"id": "a", "text": "unterminated}"#,
        r#"{"id": "a" "text": "no comma"}"#,
        r#"{}"#,
        r#"{"text": "only text"}"#,
    ];

    #[test]
    fn fast_records_equal_records_from_values() {
        let lines = RECORDS;
        let options = [
            InputOptions::default(),
            InputOptions { id_field: "meta.id".into(), text_field: "body.text".into() },
            InputOptions { id_field: "text".into(), text_field: "text".into() },
        ];
        for opts in &options {
            for line in lines {
                assert_eq!(
                    parse_record_fast(line.as_bytes(), "f:1", opts),
                    parse_record(line.as_bytes(), "f:1", opts),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn blocks_and_groups_read_as_lines_read_one_by_one() {
        // Records of every kind, each id unique but for one repeat, with blank lines.
        let mut input = String::new();
        for (i, line) in RECORDS.iter().cycle().take(3 * RECORDS.len()).enumerate() {
            input += &line.replace("\"a\"", &format!("\"a{}\"", i % 40));
            input += if i % 5 == 0 { "\n\n" } else { "\n" };
        }
        for options in
            [InputOptions::default(), InputOptions { id_field: "meta.id".into(), text_field: "body.text".into() }]
        {
            let mut want = CorpusBuilder::new(|_| {});
            for_each_line(
                input.as_bytes(),
                "f",
                |line, at| match parse_record(line, &at, &options) {
                    Ok((id, text)) => want.push(Document { id, source: at, text: text.into() }),
                    Err(reason) => want.error(InputError::new(at, reason)),
                },
                |_| panic!(),
            );
            let want = want.finish();
            assert!(!want.documents.is_empty() && !want.errors.is_empty());
            for (block, group) in [(1, 1), (7, 1), (64, 30), (300, 1 << 20), (1 << 20, 200), (1 << 20, 1 << 20)] {
                let mut got = CorpusBuilder::new(|_| {});
                read_jsonl_in(input.as_bytes(), "f", &options, &mut got, block, group);
                let got = got.finish();
                assert_eq!(got.documents, want.documents, "blocks of {block}, groups of {group}");
                assert_eq!(got.errors, want.errors, "blocks of {block}, groups of {group}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn special_bytes_are_the_first_quote_backslash_or_control(
            b in proptest::collection::vec(proptest::strategy::Strategy::prop_map(proptest::prelude::any::<u8>(), |x| if x % 50 == 0 { x % 40 } else { x | 0x40 }), 0..80)
        ) {
            let want = b.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\');
            proptest::prop_assert_eq!(next_special(&b), want);
        }
    }

    #[test]
    fn special_bytes_are_found_eight_at_a_time() {
        for s in
            ["", "abc", "abcdefgh\"", "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}x\\", "abcdefghijklmnop\u{1f}", "\u{7f}\u{80}!#"]
        {
            let want = s.bytes().position(|c| c < 0x20 || c == b'"' || c == b'\\');
            assert_eq!(next_special(s.as_bytes()), want, "{s:?}");
        }
    }

    proptest::proptest! {
        /// Records of string members (escapes, repeated and other keys, white space,
        /// broken syntax) read the same without serde as with it.
        #[test]
        fn flat_records_read_as_serde_reads_them(
            members in proptest::collection::vec((
                "(id|text|x|te\\\\u0078t|meta\\.id)",
                "([a-z \u{e9}\u{2019}/]|\\\\[\"\\\\/bfnrtu]|\\\\u00e9|\\\\ud800|\u{1}|\"){0,12}",
                "[ \t]{0,2}",
            ), 0..5),
            tail in "(|}|,| x|\\})",
        ) {
            let body: Vec<String> = members.iter().map(|(k, v, w)| format!("\"{k}\"{w}:{w}\"{v}\"")).collect();
            let line = format!("{{{}}}{tail}", body.join(", "));
            for opts in [
                InputOptions::default(),
                InputOptions { id_field: "meta.id".into(), text_field: "x".into() },
            ] {
                proptest::prop_assert_eq!(
                    parse_record_fast(line.as_bytes(), "f:1", &opts),
                    parse_record(line.as_bytes(), "f:1", &opts),
                    "{}", line
                );
            }
        }
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
