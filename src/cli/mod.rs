//! The command line: clap arguments become library configurations; nothing here touches
//! a shingle.
//!
//! Exit codes (all subcommands):
//! - 0: success, every input read;
//! - 1: success, but some input records were reported and skipped (or kept empty);
//! - 2: failure: invalid arguments, or the output could not be written.
//!
//! A closed output pipe (`dupmap scan ... | head`) ends the process quietly with 0.

pub mod compare;
pub mod filter;
pub mod index;
pub mod progress;
pub mod scan;
pub mod similarity;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Find near-duplicate and reworded text across many documents.
#[derive(Debug, Parser)]
#[command(name = "dupmap", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan a corpus for near-duplicate documents and cluster them.
    Scan(scan::ScanArgs),
    /// Score pairs of sentences as reworded copies of each other (JSONL in, JSONL out).
    Similarity(similarity::SimilarityArgs),
    /// Compare two files: both texts with their shared passages marked, then the figures.
    Compare(compare::CompareArgs),
    /// Pass a stream of JSONL documents on, holding back near-duplicates of what was already admitted.
    Filter(filter::FilterArgs),
    /// Build, query and maintain a persistent dedup index (the one `dupmap filter --index` uses).
    Index(index::IndexArgs),
}

/// Parses the arguments and runs; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Similarity(args) => similarity::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Filter(args) => filter::run(args),
        Command::Index(args) => index::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dupmap: {err:#}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<dupmap::Error>()
                .is_some_and(|e| matches!(e, dupmap::Error::Output(io) if io.kind() == io::ErrorKind::BrokenPipe))
    })
}

/// Opens `-o FILE`, or stdout.
pub(crate) fn open_output(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    use anyhow::Context;
    Ok(match path {
        Some(p) if p != Path::new("-") => {
            Box::new(BufWriter::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?))
        }
        _ => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// True when stdout is a terminal and no output file was named.
pub(crate) fn stdout_is_terminal(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p == Path::new("-")) && io::stdout().is_terminal()
}

/// Prints one input problem on stderr.
pub(crate) fn report_input_error(err: &dupmap::InputError) {
    let _ = writeln!(io::stderr().lock(), "dupmap: {err}");
}
