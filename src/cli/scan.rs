//! `dupmap scan`: arguments, and the run.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use dupmap::report::{html::write_html, json::write_json, jsonl::write_jsonl, text::write_text, Report};
use dupmap::text::Shingling;
use dupmap::{scan, InputOptions, ScanConfig, Verification};

use super::progress::Bar;
use super::{open_output, report_input_error, stdout_is_terminal};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable summary (default on a terminal).
    Text,
    /// One JSON report, schema dupmap.report/1 (default otherwise).
    Json,
    /// One line per input document: id, cluster, representative, duplicate_of.
    Jsonl,
    /// One self-contained HTML page: the documents with their shared passages highlighted.
    Html,
}

/// MinHash schemes on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MinHashArg {
    /// num-perm independent hash functions of the 64-bit shingle hashes.
    Classic,
    /// num-perm independent hash functions of the shingle hashes folded to 32 bits (faster).
    Classic32,
    /// One-permutation hashing with optimal densification.
    OnePermutation,
}

/// Arguments of `dupmap scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files, directories (walked recursively) or - for JSONL on stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Output format [default: text on a terminal, json otherwise]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the output here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// JSONL field holding the id (dotted path for nested fields).
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,

    /// JSONL field holding the text (dotted path for nested fields).
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// Shingles: words:K or chars:K.
    #[arg(long, default_value = "words:4", value_name = "KIND:K")]
    pub shingles: Shingling,

    /// Number of MinHash functions.
    #[arg(long, default_value_t = dupmap::config::DEFAULT_NUM_PERM)]
    pub num_perm: usize,

    /// MinHash seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// MinHash scheme: classic32 (num-perm hash functions computed on 32 bits), classic
    /// (on 64 bits, the earlier default) or one-permutation (one hash per shingle,
    /// densified).
    #[arg(long, value_enum, default_value_t = MinHashArg::Classic32)]
    pub minhash: MinHashArg,

    /// Jaccard similarity the LSH banding is tuned for (candidate generation).
    #[arg(long, default_value_t = dupmap::config::DEFAULT_THRESHOLD)]
    pub threshold: f64,

    /// LSH bands (with --rows), overriding the choice from --threshold.
    #[arg(long, requires = "rows")]
    pub bands: Option<usize>,

    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands")]
    pub rows: Option<usize>,

    /// Containment (share of one document's shingles found in the other) that makes a pair a copy.
    #[arg(long, default_value_t = dupmap::config::DEFAULT_CONTAINMENT_THRESHOLD)]
    pub containment_threshold: f64,

    /// A copy is a duplicate when its smaller containment is at least this share of the larger.
    #[arg(long, default_value_t = dupmap::config::DEFAULT_DUPLICATE_RATIO)]
    pub duplicate_ratio: f64,

    /// Smallest similarity for which an overlapping pair is reported.
    #[arg(long, default_value_t = dupmap::config::DEFAULT_OVERLAP_THRESHOLD)]
    pub overlap_threshold: f64,

    /// A line or sentence found in this many documents is boilerplate (0: off).
    #[arg(long, default_value_t = dupmap::config::DEFAULT_BOILERPLATE_MIN_DOCS, value_name = "N")]
    pub boilerplate_docs: u32,

    /// Estimate similarities from signatures instead of verifying exactly (faster).
    #[arg(long)]
    pub estimate: bool,

    /// Skip the passage overlap map: the document-level scan alone.
    #[arg(long)]
    pub no_passages: bool,

    /// Matcher score at or above which two sentences count as reworded copies.
    #[arg(long, default_value_t = dupmap::config::DEFAULT_PASSAGE_THRESHOLD, value_name = "SCORE")]
    pub passage_threshold: f64,

    /// Worker threads [default: all cores]. Output is the same for any number.
    #[arg(long)]
    pub threads: Option<usize>,

    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,

    /// Print the time of each stage on stderr.
    #[arg(long)]
    pub timings: bool,
}

impl ScanArgs {
    /// The library configuration these arguments describe.
    pub fn config(&self) -> dupmap::Result<ScanConfig> {
        let mut b = ScanConfig::builder()
            .shingling(self.shingles)
            .num_perm(self.num_perm)
            .seed(self.seed)
            .minhash(self.minhash.scheme())
            .threshold(self.threshold)
            .duplicate_ratio(self.duplicate_ratio)
            .containment_threshold(self.containment_threshold)
            .overlap_threshold(self.overlap_threshold)
            .boilerplate_min_docs(self.boilerplate_docs)
            .passages(!self.no_passages)
            .passage_threshold(self.passage_threshold)
            .verification(if self.estimate { Verification::Estimate } else { Verification::Exact });
        if let (Some(bands), Some(rows)) = (self.bands, self.rows) {
            b = b.bands(bands, rows);
        }
        if let Some(t) = self.threads {
            b = b.threads(t);
        }
        b.build()
    }
}

/// Runs `dupmap scan`.
pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let config = args.config()?;
    // Reading (parallel JSONL parsing), the scan and the report all run in rayon's
    // global pool, of `--threads` threads. (A second pool for the scan would leave the
    // first one's threads spinning for work while the scan's threads start, on the
    // same cores.)
    let mut scan_config = config.clone();
    if let Some(n) = config.threads {
        if rayon::ThreadPoolBuilder::new().num_threads(n).build_global().is_ok() {
            scan_config.threads = None;
        }
    }
    let format =
        args.format.unwrap_or(if stdout_is_terminal(args.output.as_deref()) { Format::Text } else { Format::Json });
    let options = InputOptions { id_field: args.id_field.clone(), text_field: args.text_field.clone() };

    let bar = Bar::new(args.quiet);
    bar.message("reading");
    let started = std::time::Instant::now();
    let corpus = dupmap::input::read_inputs(&args.inputs, &options, report_input_error);
    let reading = started.elapsed().as_secs_f64();
    let result = scan(&corpus.documents, &scan_config, &bar)?;
    bar.finish();
    if args.timings {
        eprintln!("dupmap: {:>12} {reading:8.3} s", "reading");
        for (stage, secs) in &result.stats.seconds {
            eprintln!("dupmap: {stage:>12} {secs:8.3} s");
            if *stage == "passages" {
                for (step, secs) in result.passages.iter().flat_map(|m| &m.seconds) {
                    eprintln!("dupmap: {:>12} {secs:8.3} s", format!("· {step}"));
                }
            }
        }
        eprintln!(
            "dupmap: {} candidate pairs, {} boilerplate segments, {} passage candidates",
            result.stats.candidates, result.stats.boilerplate_segments, result.stats.passage_candidates
        );
    }

    let report = Report::new(&corpus.documents, &corpus.errors, &config, &result);
    let out = open_output(args.output.as_deref())?;
    let written = match format {
        Format::Text => write_text(&report, out),
        Format::Json => write_json(&report, out),
        Format::Jsonl => write_jsonl(&report, out),
        Format::Html => write_html(&report, &corpus.documents, out),
    };
    written.context("writing the report")?;
    if !args.quiet && format != Format::Text && std::io::stderr().is_terminal() {
        let s = &report.summary;
        eprintln!(
            "dupmap: {} documents, {} duplicate clusters, {} copies, {} errors",
            s.documents, s.duplicate_clusters, s.duplicates, s.errors
        );
    }
    let code = if corpus.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    // The process ends with this command, and its memory goes back to the system with
    // it: the corpus, the result and the report are not freed piece by piece first
    // (about 0.08 s of one thread for 100,000 documents, after all the work is done).
    std::mem::forget(report);
    std::mem::forget(result);
    std::mem::forget(corpus);
    Ok(code)
}
