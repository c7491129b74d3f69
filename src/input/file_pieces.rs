//! A JSONL file read in pieces, in parallel.
//!
//! A regular file's size is known and any part of it can be read at any time
//! (positioned reads), so the pool's threads each read and parse pieces of it, taken in
//! file order, while the calling thread passes the records on in file order. Nothing
//! waits for a single reader, and the copying out of the page cache is shared among
//! the threads; streams (stdin, gzip) are read in blocks instead ([`super::jsonl`]).
//!
//! The result is that of [`super::jsonl::read_jsonl`] on the same bytes: a piece owns
//! the lines that start in its byte range, reading on past its end to finish its last
//! one, and line numbers are counted from the `\n`s of the pieces before it.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use super::files::io_reason;
use super::jsonl::{cut_lines, push_record, read_group, BlockBuf, ParsedRecord};
use super::{CorpusBuilder, InputOptions};
use crate::error::InputError;

/// Bytes of the file in a piece (a piece's texts share one string; see
/// [`super::Text`]).
pub const PIECE_BYTES: usize = 1 << 20;

/// What one piece gave.
struct Piece {
    /// Its records, numbered from the piece's start: a record's line is the number of
    /// lines before the piece plus this.
    records: Vec<(u64, ParsedRecord)>,
    /// `\n`s in the piece's byte range: the lines the next pieces come after.
    newlines: u64,
    /// A read error, after the records before it.
    failed: Option<std::io::Error>,
}

/// Reads the JSONL records of `file` (a regular file of `size` bytes) into `builder`,
/// as [`super::jsonl::read_jsonl`] would. `source` names the file in ids and errors.
pub fn read_jsonl_file(file: &File, size: u64, source: &str, options: &InputOptions, builder: &mut CorpusBuilder<'_>) {
    read_in_pieces(file, size, source, options, builder, PIECE_BYTES);
}

/// [`read_jsonl_file`] in pieces of `piece_bytes`.
fn read_in_pieces(
    file: &File,
    size: u64,
    source: &str,
    options: &InputOptions,
    builder: &mut CorpusBuilder<'_>,
    piece_bytes: usize,
) {
    let piece_bytes = piece_bytes.max(1) as u64;
    let pieces = size.div_ceil(piece_bytes) as usize;
    let ids = builder.id_hasher();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let read = |k: usize, buf: &mut BlockBuf| {
        let start = k as u64 * piece_bytes;
        read_piece(file, size, start, (start + piece_bytes).min(size), buf, options, &ids)
    };
    let (tx, rx) = mpsc::channel::<(usize, Piece)>();
    // A caller that is itself one of the pool's threads reads pieces too: it may be
    // the only one.
    let in_pool = rayon::current_thread_index().is_some();
    let readers = rayon::current_num_threads().saturating_sub(usize::from(in_pool)).min(pieces);
    rayon::in_place_scope(|scope| {
        for _ in 0..readers {
            let (tx, next, stop, read) = (tx.clone(), &next, &stop, &read);
            scope.spawn(move |_| {
                let mut buf = BlockBuf::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= pieces || stop.load(Ordering::Relaxed) || tx.send((k, read(k, &mut buf))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Pieces come in about the order they were taken; each is passed on once
        // those before it are.
        let mut waiting: Vec<Option<Piece>> = (0..pieces).map(|_| None).collect();
        let mut done = 0;
        let mut lines_before = 0u64;
        let mut buf = BlockBuf::default();
        while done < pieces {
            let (k, piece) = match rx.try_recv() {
                Ok(got) => got,
                Err(_) if in_pool && next.load(Ordering::Relaxed) < pieces => {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= pieces {
                        continue;
                    }
                    (k, read(k, &mut buf))
                }
                Err(_) => match rx.recv() {
                    Ok(got) => got,
                    Err(_) => break,
                },
            };
            waiting[k] = Some(piece);
            while let Some(piece) = waiting.get_mut(done).and_then(Option::take) {
                for (number, record) in piece.records {
                    push_record(builder, source, lines_before + number, record);
                }
                lines_before += piece.newlines;
                done += 1;
                if let Some(e) = piece.failed {
                    // A read error ends the reading, as for a stream.
                    stop.store(true, Ordering::Relaxed);
                    builder.error(InputError::new(format!("{source}:{}", lines_before + 1), io_reason(&e)));
                    done = pieces;
                    break;
                }
            }
        }
        // Stop the readers (after an error); what they send now is not wanted.
        stop.store(true, Ordering::Relaxed);
        drop(rx);
    });
}

/// Reads and parses the piece of `file` from `start` to `end`: the lines that start
/// in it (the first line of the file starts at 0; any other starts after a `\n`),
/// reading on to the end of the last, but not beyond `size`.
fn read_piece(
    file: &File,
    size: u64,
    start: u64,
    end: u64,
    buf: &mut BlockBuf,
    options: &InputOptions,
    ids: &ahash::RandomState,
) -> Piece {
    // From the byte before the piece, which says whether a line starts at `start`.
    let from = start.saturating_sub(1);
    buf.clear();
    let mut failed = read_at_most(file, from, end - from, buf);
    let own = (start - from) as usize;
    let own_end = buf.filled().len();
    let bytes = buf.filled();
    let first = if start == 0 || bytes.get(own - 1) == Some(&b'\n') {
        own
    } else {
        memchr::memchr(b'\n', &bytes[own.min(own_end)..own_end]).map_or(own_end, |i| own + i + 1)
    };
    // The `\n` before the first line is the piece's, if the piece goes on after it.
    let starts_inside = first > own;
    let mut newlines = u64::from(starts_inside && first <= own_end && bytes[first - 1] == b'\n');
    let mut lines = Vec::new();
    if first < own_end {
        // The piece's last line starts after its last `\n` and ends at the first `\n`
        // from there on, beyond the piece (read on for it, up to the end of the file).
        let last_start = memchr::memrchr(b'\n', &buf.filled()[first..own_end]).map_or(first, |i| first + i + 1);
        let crosses = last_start < own_end;
        while crosses && failed.is_none() && memchr::memchr(b'\n', &buf.filled()[own_end..]).is_none() {
            let (read, at) = (buf.filled().len(), from + buf.filled().len() as u64);
            if at >= size {
                break;
            }
            failed = read_at_most(file, at, (read as u64).max(1 << 16).min(size - at), buf);
            if buf.filled().len() == read {
                break;
            }
        }
        let buf = buf.filled();
        // Lines numbered from the piece's start: after the one it starts inside, if so.
        let cut = cut_lines(buf, first, own_end, u64::from(starts_inside), start == 0, &mut lines);
        // Of the `\n`s ending the piece's lines, the last may lie beyond the piece.
        newlines += cut - u64::from(crosses && memchr::memchr(b'\n', &buf[own_end..]).is_some());
        if failed.is_some() {
            // The lines are whole only up to the last `\n` read.
            let whole = memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1);
            lines.retain(|&(_, line_end, _)| line_end < whole);
        }
    }
    Piece { records: read_group(buf.filled(), &lines, options, ids), newlines, failed }
}

/// Appends up to `len` bytes of `file` from `at` to `buf`: fewer at the end of the
/// file; the bytes read before an error stay.
fn read_at_most(file: &File, at: u64, len: u64, buf: &mut BlockBuf) -> Option<std::io::Error> {
    buf.read_into(len as usize, |room| {
        let mut got = 0;
        while got < room.len() {
            match file.read_at(&mut room[got..], at + got as u64) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return (got, Some(e)),
            }
        }
        (got, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::jsonl::read_jsonl;
    use crate::input::Corpus;
    use std::io::Write;

    fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        f.write_all(bytes).expect("write");
        let file = File::open(f.path()).expect("open");
        (f, file)
    }

    fn streamed(bytes: &[u8], options: &InputOptions) -> Corpus {
        let mut b = CorpusBuilder::new(|_| {});
        read_jsonl(bytes, "f", options, &mut b);
        b.finish()
    }

    fn in_pieces(file: &File, size: u64, options: &InputOptions, piece: usize) -> Corpus {
        let mut b = CorpusBuilder::new(|_| {});
        read_in_pieces(file, size, "f", options, &mut b, piece);
        b.finish()
    }

    /// Lines of every kind: records with and without ids, repeated ids, blank and
    /// white-space lines, CRLF endings, a byte-order mark (only the first line's is
    /// one), bad JSON, invalid UTF-8, long lines, a last line without `\n`.
    fn input() -> Vec<u8> {
        let mut v = b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"first\"}\r\n\n".to_vec();
        for i in 0..40 {
            let line = match i % 8 {
                0 => format!("{{\"id\": \"d{i}\", \"text\": \"{}\"}}\n", "word ".repeat(i * 3)),
                1 => format!("{{\"text\": \"no id {i}\"}}\r\n"),
                2 => "   \n\t\n".to_string(),
                3 => format!("{{\"id\": \"d{}\", \"text\": \"repeat\"}}\n", i - 3),
                4 => "not json\n".to_string(),
                5 => "\u{FEFF}{\"id\": \"bom\", \"text\": \"x\"}\n".to_string(),
                6 => format!("{{\"id\": {i}, \"text\": \"esc\\n\\\"q\\\" \\u00e9\"}}\n"),
                _ => format!("{{\"id\": \"l{i}\", \"text\": \"{}\"}}\n", "long ".repeat(200)),
            };
            v.extend_from_slice(line.as_bytes());
        }
        v.extend_from_slice(b"{\"id\": \"bad\", \"text\": \"\xff\"}\n{\"id\": \"end\", \"text\": \"no newline\"}");
        v
    }

    #[test]
    fn pieces_read_as_a_stream_reads() {
        let bytes = input();
        for options in [InputOptions::default(), InputOptions { id_field: "text".into(), text_field: "text".into() }] {
            let want = streamed(&bytes, &options);
            assert!(want.documents.len() > 10 && want.errors.len() > 10);
            let (_keep, file) = file_of(&bytes);
            for piece in [1, 2, 3, 5, 16, 37, 100, 1000, 1 << 20] {
                let got = in_pieces(&file, bytes.len() as u64, &options, piece);
                assert_eq!(got.documents, want.documents, "pieces of {piece}");
                assert_eq!(got.errors, want.errors, "pieces of {piece}");
            }
        }
    }

    proptest::proptest! {
        /// Any mix of short lines, blank or not, ends of lines and pieces: the same
        /// records, numbered the same, as a stream.
        #[test]
        fn any_lines_in_any_pieces_read_as_a_stream(
            lines in proptest::collection::vec(("[a-c]{0,3}", "(\n|\r\n|\n\n| \n)"), 0..12),
            last_newline: bool,
            piece in 1usize..24,
        ) {
            let mut bytes = Vec::new();
            for (i, (id, end)) in lines.iter().enumerate() {
                if id.is_empty() {
                    bytes.extend_from_slice(b"x");
                } else {
                    bytes.extend_from_slice(format!("{{\"id\":\"{id}\",\"text\":\"t{i}\"}}").as_bytes());
                }
                bytes.extend_from_slice(end.as_bytes());
            }
            if !last_newline && bytes.last() == Some(&b'\n') {
                bytes.pop();
            }
            let want = streamed(&bytes, &InputOptions::default());
            let (_keep, file) = file_of(&bytes);
            let got = in_pieces(&file, bytes.len() as u64, &InputOptions::default(), piece);
            proptest::prop_assert_eq!(got.documents, want.documents);
            proptest::prop_assert_eq!(got.errors, want.errors);
        }
    }

    #[test]
    fn a_caller_in_a_one_thread_pool_reads_the_pieces_itself() {
        let bytes = input();
        let want = streamed(&bytes, &InputOptions::default());
        let (_keep, file) = file_of(&bytes);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let got = pool.install(|| in_pieces(&file, bytes.len() as u64, &InputOptions::default(), 7));
        assert_eq!(got.documents, want.documents);
        assert_eq!(got.errors, want.errors);
    }

    #[test]
    fn a_read_error_is_reported_once_and_ends_the_reading() {
        // A directory opens, but cannot be read.
        let dir = tempfile::tempdir().expect("temp dir");
        let file = File::open(dir.path()).expect("open");
        for piece in [7, 1 << 20] {
            let got = in_pieces(&file, 100, &InputOptions::default(), piece);
            assert!(got.documents.is_empty());
            let sources: Vec<&str> = got.errors.iter().map(|e| e.source.as_str()).collect();
            assert_eq!(sources, ["f:1"], "pieces of {piece}");
        }
    }

    #[test]
    fn a_file_shorter_than_its_size_reads_what_is_there() {
        // The file shrank after its size was taken: what is there is read, no more.
        let bytes = b"{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"text\": \"y\"}\n";
        let (_keep, file) = file_of(bytes);
        for piece in [1, 5, 1 << 20] {
            let got = in_pieces(&file, bytes.len() as u64 + 100, &InputOptions::default(), piece);
            let ids: Vec<&str> = got.documents.iter().map(|d| d.id.as_str()).collect();
            assert_eq!(ids, ["a", "b"], "pieces of {piece}");
            assert!(got.errors.is_empty());
        }
    }
}
