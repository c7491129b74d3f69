//! `dupmap similarity`: sentence pairs in, one score line per pair out.
//!
//! Input: JSONL, one pair per line, `{"id": ..., "a": TEXT, "b": TEXT}` (see
//! [`dupmap::similarity::pairs`]). The IDF table is built from every `a` and `b` text of
//! the input, so the same pair may score a little differently in another batch.
//!
//! Output: one line per good input line, in input order:
//!
//! ```json
//! {"id":"p1","score":0.7421,"kind":"reworded"}
//! ```
//!
//! `kind` is `verbatim` (same normalised words), `near_verbatim` (a paraphrase with a stem
//! edit-distance ratio of at most 0.2), `reworded` (a paraphrase) or `different`; `score`
//! is rounded to 4 decimals. `--features` adds `"features": [13 numbers]` in the order of
//! [`dupmap::similarity::FEATURE_NAMES`], rounded to 6 decimals, for refitting the model.
//! Bad lines are reported on stderr (`dupmap: FILE:LINE: reason`), get no output line, and
//! make the exit code 1.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use dupmap::similarity::{compare_texts, read_pairs, MatchKind, PairInput, NUM_FEATURES};

use super::{open_output, report_input_error};

/// Arguments of `dupmap similarity`.
#[derive(Debug, Args)]
#[command(after_help = "Output: one line per good input line, in input order: \
{\"id\": ..., \"score\": 0.7421, \"kind\": KIND}. KIND is verbatim (same words), near_verbatim \
(a paraphrase with few word edits), reworded (a paraphrase) or different. The IDF weights come \
from all the texts of the input. Bad lines are reported on stderr and give exit code 1.")]
pub struct SimilarityArgs {
    /// JSONL file of pairs {"id": ..., "a": TEXT, "b": TEXT}, or - for stdin.
    #[arg(default_value = "-", value_name = "FILE")]
    pub input: String,

    /// Add the 13 feature values to each line (for refitting the model).
    #[arg(long)]
    pub features: bool,

    /// Write the output here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One output line.
#[derive(Serialize)]
struct ScoreLine<'a> {
    id: &'a serde_json::Value,
    score: f64,
    kind: MatchKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    features: Option<[f64; NUM_FEATURES]>,
}

/// Runs `dupmap similarity`.
pub fn run(args: SimilarityArgs) -> anyhow::Result<ExitCode> {
    let input: PairInput = if args.input == "-" {
        read_pairs(io::stdin().lock(), "<stdin>", report_input_error)
    } else {
        let file = File::open(&args.input).with_context(|| format!("cannot open {}", args.input))?;
        read_pairs(BufReader::new(file), &args.input, report_input_error)
    };
    let texts: Vec<(&str, &str)> = input.pairs.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
    let comparisons = compare_texts(&texts);

    let mut out = open_output(args.output.as_deref())?;
    let mut line = Vec::with_capacity(256);
    for (pair, c) in input.pairs.iter().zip(&comparisons) {
        line.clear();
        let record = ScoreLine {
            id: &pair.id,
            score: round(c.score, 1e4),
            kind: c.kind,
            features: args.features.then(|| c.features.map(|x| round(x, 1e6))),
        };
        serde_json::to_writer(&mut line, &record).context("encoding a line")?;
        line.push(b'\n');
        out.write_all(&line).context("writing the scores")?;
    }
    out.flush().context("writing the scores")?;
    Ok(if input.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn round(x: f64, scale: f64) -> f64 {
    (x * scale).round() / scale
}
