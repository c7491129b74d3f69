//! Files, directories, gzip and stdin.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::{jsonl, Corpus, CorpusBuilder, Document, InputOptions};
use crate::error::InputError;

/// Reads every input (paths, or `-` for JSONL on stdin) into one corpus, in argument
/// order. Problems are passed to `on_error` as they are found and kept in the corpus.
pub fn read_inputs(inputs: &[String], options: &InputOptions, on_error: impl FnMut(&InputError)) -> Corpus {
    let mut builder = CorpusBuilder::new(on_error);
    for input in inputs {
        if input == "-" {
            let stdin = io::stdin();
            jsonl::read_jsonl(stdin.lock(), "<stdin>", options, &mut builder);
            continue;
        }
        let root = Path::new(input);
        match std::fs::metadata(root) {
            Err(e) => builder.error(InputError::new(input.clone(), io_reason(&e))),
            Ok(meta) if meta.is_dir() => read_dir(root, options, &mut builder),
            Ok(_) => {
                let id = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| input.clone());
                read_file(root, id, options, &mut builder);
            }
        }
    }
    builder.finish()
}

fn read_dir(root: &Path, options: &InputOptions, builder: &mut CorpusBuilder<'_>) {
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Err(e) => {
                let source = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string());
                let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                builder.error(InputError::new(source, reason));
            }
            Ok(entry) if entry.file_type().is_file() => {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let id = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                read_file(entry.path(), id, options, builder);
            }
            Ok(_) => {}
        }
    }
}

/// Opens a file for reading line by line, decompressing `.gz` files.
pub fn open_lines(path: &Path) -> io::Result<Box<dyn io::BufRead + Send>> {
    let file = File::open(path)?;
    let gz = path.extension().is_some_and(|e| e == "gz");
    Ok(if gz {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(BufReader::new(file))))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, file))
    })
}

/// True for names read as JSONL: `.jsonl`, `.ndjson`, with or without `.gz`.
pub fn is_jsonl_name(name: &str) -> bool {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

fn read_file(path: &Path, id: String, options: &InputOptions, builder: &mut CorpusBuilder<'_>) {
    let source = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return builder.error(InputError::new(source, io_reason(&e))),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if is_jsonl_name(&name) && !name.ends_with(".gz") {
        // A regular file is read in pieces, in parallel; anything else as a stream.
        if let Some(meta) = file.metadata().ok().filter(|m| m.is_file()) {
            return super::file_pieces::read_jsonl_file(&file, meta.len(), &source, options, builder);
        }
    }
    let reader: Box<dyn Read> =
        if name.ends_with(".gz") { Box::new(MultiGzDecoder::new(BufReader::new(file))) } else { Box::new(file) };
    if is_jsonl_name(&name) {
        jsonl::read_jsonl(BufReader::with_capacity(1 << 16, reader), &source, options, builder);
        return;
    }
    let mut bytes = Vec::new();
    if let Err(e) = BufReader::new(reader).read_to_end(&mut bytes) {
        return builder.error(InputError::new(source, io_reason(&e)));
    }
    if bytes.contains(&0) {
        return builder.error(InputError::new(source, "binary file (contains NUL bytes); skipped"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => builder.push(Document { id, source, text: text.into() }),
        Err(e) => builder.error(InputError::new(source, utf8_reason(e.utf8_error()))),
    }
}

/// A read error, for a person.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

pub(crate) fn utf8_reason(e: std::str::Utf8Error) -> String {
    format!("invalid UTF-8 at byte {}; skipped", e.valid_up_to())
}
