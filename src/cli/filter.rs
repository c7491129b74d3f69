//! `dupmap filter`: JSONL in, admitted documents out, near-duplicates held back.
//!
//! Three threads: a reader (lines from the inputs, in order), a signal watcher (SIGINT,
//! SIGTERM) and the main thread, which parses, decides in batches and writes. Both
//! others send events into one channel, so a signal is handled between batches: the
//! lines already read are decided and written, the index is saved, and the process
//! exits with 128 + the signal number.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};

use anyhow::Context;
use clap::Args;
use serde_json::Value;

use dupmap::filter::{Decision, Filter, FilterOptions, Incoming};
use dupmap::index::file::IndexLock;
use dupmap::index::Index;
use dupmap::input::files::{io_reason, open_lines};
use dupmap::input::jsonl::{field, for_each_raw_line, parse_object, record_fields, type_name};
use dupmap::report::round4;
use dupmap::{Document, InputError, InputOptions};

use super::index::{IndexOptions, SameIdArg};
use super::report_input_error;

/// Arguments of `dupmap filter`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// JSONL files (.gz too), or - for stdin [default: -]
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Index file: loaded at start if it exists, saved at the end, at checkpoints and on SIGINT/SIGTERM.
    #[arg(long, value_name = "PATH")]
    pub index: Option<PathBuf>,

    /// Also save the index after every N documents.
    #[arg(long, value_name = "N", requires = "index")]
    pub checkpoint_every: Option<u64>,

    /// Write held-back documents here: the original object plus a "dupmap" object.
    #[arg(long, value_name = "FILE")]
    pub dups: Option<PathBuf>,

    /// Write malformed lines here, verbatim.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Write every document to stdout with a "dupmap" object: {"status": "admitted"} or the duplicate's details.
    #[arg(long)]
    pub annotate: bool,

    /// Write each decision before reading the next line (for interactive pipelines).
    #[arg(long)]
    pub line_buffered: bool,

    /// JSONL field holding the document's time: RFC 3339 or Unix seconds.
    #[arg(long, value_name = "FIELD")]
    pub time_field: Option<String>,

    /// Forget documents older than this before the latest time seen (72h, 3d, 90m, or seconds).
    #[arg(long, value_name = "DURATION", value_parser = parse_window, requires = "time_field")]
    pub window: Option<i64>,

    /// Keep at most N documents in the index; the earliest added are forgotten first.
    #[arg(long, value_name = "N")]
    pub max_docs: Option<usize>,

    /// A document whose id is already indexed (an updated article).
    #[arg(long, value_enum, default_value_t = SameIdArg::Replace)]
    pub on_same_id: SameIdArg,

    /// Documents decided together (in parallel, with the same result as one by one).
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub batch_size: usize,

    /// JSONL field holding the id (dotted path for nested fields).
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,

    /// JSONL field holding the text (dotted path for nested fields).
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// Worker threads [default: all cores]. Decisions are the same for any number.
    #[arg(long)]
    pub threads: Option<usize>,

    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub options: IndexOptions,
}

/// `--window` values: a number of seconds, or a duration such as `72h`, `3d`, `1h30m`.
fn parse_window(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return if secs > 0 { Ok(secs) } else { Err("the window must be positive".into()) };
    }
    let span: jiff::Span = s.parse().map_err(|e| format!("not a duration ({e}); try 72h, 3d or 90m"))?;
    let secs = span
        .total((jiff::Unit::Second, jiff::SpanRelativeTo::days_are_24_hours()))
        .map_err(|e| format!("not a duration: {e}"))?;
    if secs >= 1.0 {
        Ok(secs as i64)
    } else {
        Err("the window must be at least one second".into())
    }
}

/// A document's time: Unix seconds (a number, or a string of digits) or RFC 3339.
pub fn parse_time(v: &Value, field_name: &str) -> Result<i64, String> {
    let bad = |detail: String| format!("time field {field_name:?} {detail}; skipped");
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15).map(|f| f.floor() as i64))
            .ok_or_else(|| bad(format!("is {n}, out of range"))),
        Value::String(s) => {
            if let Ok(secs) = s.trim().parse::<i64>() {
                return Ok(secs);
            }
            s.trim()
                .parse::<jiff::Timestamp>()
                .map(|t| t.as_second())
                .map_err(|e| bad(format!("is {s:?}, not RFC 3339 or Unix seconds ({e})")))
        }
        other => Err(bad(format!("is {}, not a time", type_name(other)))),
    }
}

/// One parsed line.
struct Record {
    raw: Vec<u8>,
    source: String,
    /// Kept only when the object already has a "dupmap" field (to replace it).
    value: Option<Value>,
    empty_object: bool,
    doc: Incoming,
}

struct LineParser {
    input: InputOptions,
    time_field: Option<String>,
}

impl LineParser {
    fn parse(&self, raw: &[u8], source: String) -> Result<Record, (String, String)> {
        let fail = |source: String, reason: String| (source, reason);
        let value = match parse_object(raw) {
            Ok(v) => v,
            Err(reason) => return Err(fail(source, reason)),
        };
        let (id, text) = match record_fields(&value, &source, &self.input) {
            Ok(x) => x,
            Err(reason) => return Err(fail(source, reason)),
        };
        let time = match &self.time_field {
            None => None,
            Some(f) => match field(&value, f) {
                Some(v) => match parse_time(v, f) {
                    Ok(t) => Some(t),
                    Err(reason) => return Err(fail(source, reason)),
                },
                None => return Err(fail(source, format!("missing time field {f:?}; skipped"))),
            },
        };
        let empty_object = value.as_object().is_some_and(|o| o.is_empty());
        let has_dupmap = value.get("dupmap").is_some();
        Ok(Record {
            raw: raw.to_vec(),
            source,
            value: has_dupmap.then_some(value),
            empty_object,
            doc: Incoming { id, time, text },
        })
    }
}

/// Calls `on_line(line, source)` for every line of the inputs in order (`-` is stdin;
/// `.gz` files are decompressed); a file that cannot be opened or read goes to `on_error`.
fn each_input_line(inputs: &[String], mut on_line: impl FnMut(&[u8], String), mut on_error: impl FnMut(InputError)) {
    for input in inputs {
        if input == "-" {
            for_each_raw_line(io::stdin().lock(), "<stdin>", &mut on_line, &mut on_error);
            continue;
        }
        match open_lines(Path::new(input)) {
            Ok(reader) => for_each_raw_line(reader, input, &mut on_line, &mut on_error),
            Err(e) => on_error(InputError::new(input.clone(), io_reason(&e))),
        }
    }
}

/// Reads JSONL records with their times (for `dupmap index create/add --time-field`);
/// problems are reported on stderr and counted.
pub fn read_records(inputs: &[String], input: InputOptions, time_field: &str) -> (Vec<(Document, i64)>, usize) {
    let parser = LineParser { input, time_field: Some(time_field.to_string()) };
    let mut docs = Vec::new();
    let errors = std::cell::Cell::new(0usize);
    let count = |e: InputError| {
        report_input_error(&e);
        errors.set(errors.get() + 1);
    };
    each_input_line(
        inputs,
        |raw, source| match parser.parse(raw, source) {
            Ok(rec) => docs.push((
                Document { id: rec.doc.id, source: rec.source, text: rec.doc.text.into() },
                rec.doc.time.unwrap_or(0),
            )),
            Err((source, reason)) => count(InputError::new(source, reason)),
        },
        count,
    );
    (docs, errors.get())
}

enum Event {
    Line(Vec<u8>, String),
    ReadError(InputError),
    Signal(i32),
    End,
}

fn spawn_reader(inputs: Vec<String>, tx: SyncSender<Event>, ack: Option<Receiver<()>>) {
    std::thread::spawn(move || {
        each_input_line(
            &inputs,
            |line, source| {
                if tx.send(Event::Line(line.to_vec(), source)).is_ok() {
                    if let Some(ack) = &ack {
                        let _ = ack.recv();
                    }
                }
            },
            |e| {
                let _ = tx.send(Event::ReadError(e));
            },
        );
        let _ = tx.send(Event::End);
    });
}

fn spawn_signal_watcher(tx: SyncSender<Event>) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).context("watching for signals")?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = tx.send(Event::Signal(sig));
        }
    });
    Ok(())
}

struct Outputs {
    stdout: BufWriter<io::Stdout>,
    dups: Option<BufWriter<File>>,
    rejects: Option<BufWriter<File>>,
    annotate: bool,
    line_buffered: bool,
}

fn create(path: &Option<PathBuf>) -> anyhow::Result<Option<BufWriter<File>>> {
    path.as_ref()
        .map(|p| File::create(p).map(BufWriter::new).with_context(|| format!("cannot create {}", p.display())))
        .transpose()
}

impl Outputs {
    fn flush(&mut self) -> io::Result<()> {
        self.stdout.flush()?;
        if let Some(d) = &mut self.dups {
            d.flush()?;
        }
        if let Some(r) = &mut self.rejects {
            r.flush()?;
        }
        Ok(())
    }
}

/// The record's line with a "dupmap" object added (the original bytes otherwise kept).
fn annotated(rec: &Record, dupmap: &Verdict<'_>) -> Vec<u8> {
    if let Some(value) = &rec.value {
        let mut v = value.clone();
        v["dupmap"] = serde_json::to_value(dupmap).expect("a verdict serialises");
        return serde_json::to_vec(&v).expect("a JSON value serialises");
    }
    let end = rec.raw.iter().rposition(|&b| b == b'}').expect("a parsed object ends with }");
    // What follows the closing brace is white space; it stays after it.
    let tail = &rec.raw[end + 1..];
    let head = rec.raw[..end].trim_ascii_end();
    let mut out = Vec::with_capacity(rec.raw.len() + 128);
    out.extend_from_slice(head);
    if !rec.empty_object {
        out.push(b',');
    }
    out.extend_from_slice(b"\"dupmap\":");
    out.extend_from_slice(&serde_json::to_vec(dupmap).expect("a JSON value serialises"));
    out.push(b'}');
    out.extend_from_slice(tail);
    out
}

/// The "dupmap" object added to a record (fields in this order, absent ones left out).
#[derive(serde::Serialize)]
struct Verdict<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jaccard: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    containment: Option<f64>,
}

fn verdict(decision: &Decision) -> Verdict<'_> {
    match decision {
        Decision::Admitted => {
            Verdict { status: "admitted", duplicate_of: None, relation: None, jaccard: None, containment: None }
        }
        Decision::Duplicate(h) => Verdict {
            status: "duplicate",
            duplicate_of: Some(&h.of),
            relation: Some(h.relation.as_str()),
            jaccard: Some(round4(h.jaccard)),
            containment: Some(round4(h.containment)),
        },
        Decision::SameId { of } => Verdict {
            status: "duplicate",
            duplicate_of: Some(of),
            relation: Some("same_id"),
            jaccard: None,
            containment: None,
        },
        Decision::RepeatedId => {
            Verdict { status: "rejected", duplicate_of: None, relation: None, jaccard: None, containment: None }
        }
    }
}

#[derive(Default)]
struct Counts {
    read: u64,
    admitted: u64,
    held: u64,
    rejected: u64,
    since_checkpoint: u64,
}

struct Run {
    filter: Filter,
    index_path: Option<PathBuf>,
    out: Outputs,
    counts: Counts,
    checkpoint_every: Option<u64>,
}

impl Run {
    fn reject(&mut self, source: &str, raw: &[u8], reason: &str) -> io::Result<()> {
        report_input_error(&InputError::new(source, reason));
        self.counts.rejected += 1;
        if let Some(r) = &mut self.out.rejects {
            r.write_all(raw)?;
            r.write_all(b"\n")?;
        }
        Ok(())
    }

    fn decide(&mut self, batch: &mut Vec<Record>) -> anyhow::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let docs: Vec<Incoming> = batch.iter_mut().map(|r| std::mem::take(&mut r.doc)).collect();
        let decisions = self.filter.process(&docs);
        for ((rec, doc), decision) in batch.iter().zip(&docs).zip(&decisions) {
            self.counts.read += 1;
            self.counts.since_checkpoint += 1;
            let out = &mut self.out;
            match decision {
                Decision::RepeatedId => {
                    let reason = format!("id {:?} is already indexed (--on-same-id report); skipped", doc.id);
                    self.reject(&rec.source, &rec.raw, &reason)?;
                    continue;
                }
                Decision::Admitted => {
                    self.counts.admitted += 1;
                    if out.annotate {
                        out.stdout.write_all(&annotated(rec, &verdict(decision)))?;
                    } else {
                        out.stdout.write_all(&rec.raw)?;
                    }
                    out.stdout.write_all(b"\n")?;
                }
                Decision::Duplicate(_) | Decision::SameId { .. } => {
                    self.counts.held += 1;
                    let line = annotated(rec, &verdict(decision));
                    if out.annotate {
                        out.stdout.write_all(&line)?;
                        out.stdout.write_all(b"\n")?;
                    }
                    if let Some(d) = &mut out.dups {
                        d.write_all(&line)?;
                        d.write_all(b"\n")?;
                    }
                }
            }
        }
        batch.clear();
        if self.out.line_buffered {
            self.out.flush()?;
        }
        if let Some(n) = self.checkpoint_every {
            if self.counts.since_checkpoint >= n {
                self.out.flush()?;
                self.save()?;
            }
        }
        Ok(())
    }

    fn save(&mut self) -> anyhow::Result<()> {
        self.counts.since_checkpoint = 0;
        if let Some(path) = &self.index_path {
            self.filter.index().save(path)?;
        }
        Ok(())
    }
}

/// Runs `dupmap filter`.
pub fn run(args: FilterArgs) -> anyhow::Result<ExitCode> {
    if let Some(n) = args.threads {
        anyhow::ensure!(n > 0, "--threads must be at least 1");
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
    anyhow::ensure!(args.batch_size > 0, "--batch-size must be at least 1");
    anyhow::ensure!(args.checkpoint_every != Some(0), "--checkpoint-every must be at least 1");
    anyhow::ensure!(args.max_docs != Some(0), "--max-docs must be at least 1");
    // Held until the process ends, after the last save.
    let _lock = args.index.as_deref().map(IndexLock::acquire).transpose()?;
    let index: Index = args.options.load_or_new(args.index.as_deref())?;
    let filter = Filter::new(
        index,
        FilterOptions { window: args.window, max_docs: args.max_docs, on_same_id: args.on_same_id.policy() },
    );
    let inputs = if args.inputs.is_empty() { vec!["-".to_string()] } else { args.inputs.clone() };
    let parser = LineParser {
        input: InputOptions { id_field: args.id_field.clone(), text_field: args.text_field.clone() },
        time_field: args.time_field.clone(),
    };
    let out = Outputs {
        stdout: BufWriter::with_capacity(1 << 16, io::stdout()),
        dups: create(&args.dups)?,
        rejects: create(&args.rejects)?,
        annotate: args.annotate,
        line_buffered: args.line_buffered,
    };
    let mut run = Run {
        filter,
        index_path: args.index.clone(),
        out,
        counts: Counts::default(),
        checkpoint_every: args.checkpoint_every,
    };

    let (tx, rx) = mpsc::sync_channel::<Event>(args.batch_size.max(64));
    let (ack_tx, ack_rx) = mpsc::channel::<()>();
    spawn_signal_watcher(tx.clone())?;
    spawn_reader(inputs, tx, args.line_buffered.then_some(ack_rx));

    let result = event_loop(&mut run, &rx, &parser, args.batch_size, args.line_buffered.then_some(&ack_tx));
    let signal = match result {
        Ok(signal) => signal,
        Err(err) if super::is_broken_pipe(&err) => None,
        Err(err) => {
            // Keep what was admitted so far, then report.
            let _ = run.save();
            return Err(err);
        }
    };
    let _ = run.out.flush();
    run.save()?;
    if !args.quiet {
        let c = &run.counts;
        eprintln!(
            "dupmap: {} documents: {} admitted, {} held back, {} rejected; the index holds {} ({} evicted)",
            c.read + c.rejected,
            c.admitted,
            c.held,
            c.rejected,
            run.filter.index().len(),
            run.filter.evicted()
        );
    }
    if let Some(sig) = signal {
        std::process::exit(128 + sig);
    }
    Ok(if run.counts.rejected > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Reads events until the input ends (`None`) or a signal arrives (`Some(signal)`).
fn event_loop(
    run: &mut Run,
    rx: &Receiver<Event>,
    parser: &LineParser,
    batch_size: usize,
    ack: Option<&mpsc::Sender<()>>,
) -> anyhow::Result<Option<i32>> {
    let mut batch: Vec<Record> = Vec::with_capacity(batch_size);
    loop {
        // Decide what is waiting as soon as the reader has nothing more at hand.
        let event = match rx.try_recv() {
            Ok(e) => e,
            Err(TryRecvError::Empty) => {
                run.decide(&mut batch)?;
                run.out.flush()?;
                match rx.recv() {
                    Ok(e) => e,
                    Err(_) => Event::End,
                }
            }
            Err(TryRecvError::Disconnected) => Event::End,
        };
        match event {
            Event::Line(raw, source) => {
                match parser.parse(&raw, source) {
                    Ok(rec) => batch.push(rec),
                    Err((source, reason)) => run.reject(&source, &raw, &reason)?,
                }
                if ack.is_some() || batch.len() >= batch_size {
                    run.decide(&mut batch)?;
                }
                if let Some(ack) = ack {
                    run.out.flush()?;
                    let _ = ack.send(());
                }
            }
            Event::ReadError(e) => {
                report_input_error(&e);
                run.counts.rejected += 1;
            }
            Event::Signal(sig) => {
                run.decide(&mut batch)?;
                return Ok(Some(sig));
            }
            Event::End => {
                run.decide(&mut batch)?;
                return Ok(None);
            }
        }
    }
}
