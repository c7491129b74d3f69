//! `dupmap index create|add|query|remove|stats`, and the options shared with `dupmap filter`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;
use serde_json::json;

use dupmap::boilerplate::Boilerplate;
use dupmap::filter::SameId;
use dupmap::index::file::IndexLock;
use dupmap::index::{Index, IndexParams, Probe};
use dupmap::report::round4;
use dupmap::text::Shingling;
use dupmap::{Document, InputOptions, ScanConfig, Verification};

use super::scan::MinHashArg;
use super::{open_output, report_input_error};

/// Options that shape an index. Left out, they take the index's values (or the
/// defaults for a new index); given, they must agree with an existing index, except
/// the relation thresholds, which only change how figures are read.
#[derive(Debug, Args)]
pub struct IndexOptions {
    /// Shingles: words:K or chars:K [default: words:4]
    #[arg(long, value_name = "KIND:K")]
    pub shingles: Option<Shingling>,
    /// Number of MinHash functions [default: 128]
    #[arg(long)]
    pub num_perm: Option<usize>,
    /// MinHash seed [default: 0]
    #[arg(long)]
    pub seed: Option<u64>,
    /// MinHash scheme [default: classic32]
    #[arg(long, value_enum)]
    pub minhash: Option<MinHashArg>,
    /// Jaccard similarity the LSH banding is tuned for [default: 0.25]
    #[arg(long)]
    pub threshold: Option<f64>,
    /// LSH bands (with --rows), overriding the choice from --threshold.
    #[arg(long, requires = "rows")]
    pub bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands")]
    pub rows: Option<usize>,
    /// Containment that makes a pair a copy [default: 0.45]
    #[arg(long)]
    pub containment_threshold: Option<f64>,
    /// A copy is a duplicate when its smaller containment is at least this share of the larger [default: 0.9]
    #[arg(long)]
    pub duplicate_ratio: Option<f64>,
    /// Smallest similarity for which an overlap is reported by `index query` [default: 0.2]
    #[arg(long)]
    pub overlap_threshold: Option<f64>,
    /// Verify candidates from signatures (the index keeps no shingle sets: under 1 KB per document).
    #[arg(long)]
    pub estimate: bool,
}

impl IndexOptions {
    /// The parameters for a new index.
    pub fn params(&self) -> anyhow::Result<IndexParams> {
        self.params_over(None)
    }

    /// The parameters: from the options and defaults for a new index; for an existing
    /// one, its own, after checking that the options given agree with them.
    fn params_over(&self, existing: Option<&IndexParams>) -> anyhow::Result<IndexParams> {
        let mut b = ScanConfig::builder().passages(false);
        if let Some(s) = self.shingles {
            b = b.shingling(s);
        }
        if let Some(n) = self.num_perm {
            b = b.num_perm(n);
        }
        if let Some(s) = self.seed {
            b = b.seed(s);
        }
        if let Some(m) = self.minhash {
            b = b.minhash(m.scheme());
        }
        if let Some(t) = self.threshold {
            b = b.threshold(t);
        }
        if let (Some(bands), Some(rows)) = (self.bands, self.rows) {
            b = b.bands(bands, rows);
        }
        if let Some(t) = self.containment_threshold {
            b = b.containment_threshold(t);
        }
        if let Some(r) = self.duplicate_ratio {
            b = b.duplicate_ratio(r);
        }
        if let Some(t) = self.overlap_threshold {
            b = b.overlap_threshold(t);
        }
        if self.estimate {
            b = b.verification(Verification::Estimate);
        }
        let given = IndexParams::from_config(&b.build()?);
        let Some(have) = existing else { return Ok(given) };
        // Options left out take the index's values.
        let mut wanted = have.clone();
        wanted.normalization = given.normalization;
        if self.shingles.is_some() {
            wanted.shingling = given.shingling;
        }
        if self.num_perm.is_some() {
            wanted.num_perm = given.num_perm;
        }
        if self.seed.is_some() {
            wanted.seed = given.seed;
        }
        if self.minhash.is_some() {
            wanted.minhash = given.minhash;
        }
        if self.threshold.is_some() || self.bands.is_some() {
            (wanted.bands, wanted.rows) = (given.bands, given.rows);
        }
        if self.estimate {
            wanted.verification = given.verification;
        }
        if self.containment_threshold.is_some() {
            wanted.relation.containment = given.relation.containment;
        }
        if self.duplicate_ratio.is_some() {
            wanted.relation.duplicate_ratio = given.relation.duplicate_ratio;
        }
        if self.overlap_threshold.is_some() {
            wanted.relation.overlap = given.relation.overlap;
        }
        Ok(wanted)
    }

    /// Loads the index at `path` and checks the options against it.
    pub fn load(&self, path: &Path) -> anyhow::Result<Index> {
        let mut index = Index::load(path)?;
        let wanted = self.params_over(Some(index.params()))?;
        if let Err(reason) = index.params().check_compatible(&wanted) {
            bail!("index {}: {reason}", path.display());
        }
        index.set_relation(wanted.relation);
        Ok(index)
    }

    /// Loads the index at `path` if the file exists, or starts an empty one.
    pub fn load_or_new(&self, path: Option<&Path>) -> anyhow::Result<Index> {
        match path {
            Some(p) if p.exists() => self.load(p),
            _ => Ok(Index::new(self.params()?)?),
        }
    }
}

impl MinHashArg {
    /// The library's scheme.
    pub fn scheme(self) -> dupmap::minhash::MinHashScheme {
        match self {
            MinHashArg::Classic => dupmap::minhash::MinHashScheme::Classic,
            MinHashArg::Classic32 => dupmap::minhash::MinHashScheme::Classic32,
            MinHashArg::OnePermutation => dupmap::minhash::MinHashScheme::OnePermutation,
        }
    }
}

/// `--on-same-id` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SameIdArg {
    /// Remove the indexed version; judge the new one like any document.
    Replace,
    /// Keep the indexed version; the new one is held back as a copy of it.
    Keep,
    /// Report the new one as an input problem (written to --rejects).
    Report,
}

impl SameIdArg {
    /// The library's policy.
    pub fn policy(self) -> SameId {
        match self {
            SameIdArg::Replace => SameId::Replace,
            SameIdArg::Keep => SameId::Keep,
            SameIdArg::Report => SameId::Report,
        }
    }
}

/// Arguments of `dupmap index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(subcommand)]
    command: IndexCommand,
}

#[derive(Debug, Subcommand)]
enum IndexCommand {
    /// Build a new index from documents (every document is added).
    Create(CreateArgs),
    /// Add documents to an index.
    Add(AddArgs),
    /// Check documents against an index without adding them: which indexed document each matches, and how.
    Query(QueryArgs),
    /// Remove documents by id.
    Remove(RemoveArgs),
    /// Size, parameters and memory of an index.
    Stats(StatsArgs),
}

/// Documents in (files, directories, JSONL, `-`), as for `dupmap scan`.
#[derive(Debug, Args)]
struct DocArgs {
    /// Files, directories or - for JSONL on stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// JSONL field holding the id.
    #[arg(long, default_value = "id", value_name = "FIELD")]
    id_field: String,
    /// JSONL field holding the text.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    text_field: String,
    /// JSONL field holding the document's time (RFC 3339 or Unix seconds).
    #[arg(long, value_name = "FIELD")]
    time_field: Option<String>,
}

#[derive(Debug, Args)]
struct AddArgs {
    /// The index file.
    index: PathBuf,
    #[command(flatten)]
    docs: DocArgs,
    /// A document whose id is already indexed.
    #[arg(long, value_enum, default_value_t = SameIdArg::Replace)]
    on_same_id: SameIdArg,
    #[command(flatten)]
    options: IndexOptions,
}

#[derive(Debug, Args)]
struct CreateArgs {
    #[command(flatten)]
    add: AddArgs,
    /// A line or sentence found in this many of the documents is boilerplate, left out
    /// of every comparison made with this index (0: off).
    #[arg(long, default_value_t = dupmap::config::DEFAULT_BOILERPLATE_MIN_DOCS, value_name = "N")]
    boilerplate_docs: u32,
}

#[derive(Debug, Args)]
struct QueryArgs {
    /// The index file.
    index: PathBuf,
    #[command(flatten)]
    docs: DocArgs,
    /// Write the answers here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    options: IndexOptions,
}

#[derive(Debug, Args)]
struct RemoveArgs {
    /// The index file.
    index: PathBuf,
    /// Ids to remove.
    ids: Vec<String>,
    /// Also remove the ids listed in this file, one per line (- for stdin).
    #[arg(long, value_name = "FILE")]
    ids_from: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct StatsArgs {
    /// The index file.
    index: PathBuf,
}

/// Runs `dupmap index ...`.
pub fn run(args: IndexArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        IndexCommand::Create(a) => add(a.add, Some(a.boilerplate_docs)),
        IndexCommand::Add(a) => add(a, None),
        IndexCommand::Query(a) => query(a),
        IndexCommand::Remove(a) => remove(a),
        IndexCommand::Stats(a) => stats(a),
    }
}

/// Reads documents and their times; problems are reported and counted.
fn read_docs(docs: &DocArgs) -> anyhow::Result<(Vec<(Document, i64)>, usize)> {
    let options = InputOptions { id_field: docs.id_field.clone(), text_field: docs.text_field.clone() };
    if let Some(field) = &docs.time_field {
        if let Some(other) = docs.inputs.iter().find(|i| *i != "-" && !dupmap::input::files::is_jsonl_name(i)) {
            bail!("--time-field needs JSONL inputs (.jsonl, .ndjson or -), not {other}");
        }
        return Ok(super::filter::read_records(&docs.inputs, options, field));
    }
    let mut errors = 0usize;
    let corpus = dupmap::input::read_inputs(&docs.inputs, &options, |e| {
        report_input_error(e);
        errors += 1;
    });
    Ok((corpus.documents.into_iter().map(|d| (d, 0)).collect(), errors))
}

/// An error naming `path` when neither an index nor its lock file is there: taking the
/// lock would leave a lock file beside nothing. (When the lock file is there, taking it
/// tells whether another process is writing the index, perhaps before its first save.)
fn must_exist(path: &Path) -> anyhow::Result<()> {
    if !path.exists() && !dupmap::index::file::lock_path(path).exists() {
        bail!("index {}: no such file (create it with `dupmap index create`)", path.display());
    }
    Ok(())
}

fn prepare_all(index: &Index, docs: &[(Document, i64)]) -> Vec<Probe> {
    docs.par_iter()
        .map_init(
            || index.sketcher(),
            |sk, (d, _)| {
                let mut p = index.prepare(sk, &d.text);
                index.sign(&mut p);
                p
            },
        )
        .collect()
}

/// `index add`, or `index create` when `create` holds the boilerplate document frequency.
fn add(a: AddArgs, create: Option<u32>) -> anyhow::Result<ExitCode> {
    if create.is_none() {
        must_exist(&a.index)?;
    }
    let _lock = IndexLock::acquire(&a.index)?;
    if create.is_some() && a.index.exists() {
        bail!("{} already exists (use `dupmap index add` to add to it)", a.index.display());
    }
    let (docs, mut errors) = read_docs(&a.docs)?;
    let mut index = match create {
        Some(min_docs) => {
            anyhow::ensure!(min_docs != 1, "--boilerplate-docs must be 0 (off) or at least 2");
            let boilerplate = Boilerplate::learn(docs.par_iter().map(|(d, _)| d.text.as_str()), min_docs);
            Index::new(a.options.params()?)?.with_boilerplate(boilerplate, min_docs)
        }
        None => a.options.load(&a.index)?,
    };
    let probes = prepare_all(&index, &docs);
    let (mut added, mut replaced) = (0usize, 0usize);
    for ((doc, time), probe) in docs.iter().zip(probes) {
        if let Some(old) = index.find_id(&doc.id) {
            match a.on_same_id {
                SameIdArg::Replace => {
                    index.remove_slot(old);
                    replaced += 1;
                }
                SameIdArg::Keep => continue,
                SameIdArg::Report => {
                    report_input_error(&dupmap::InputError::new(
                        doc.source.clone(),
                        format!("id {:?} is already indexed; skipped", doc.id),
                    ));
                    errors += 1;
                    continue;
                }
            }
        }
        index.insert(&doc.id, *time, probe);
        added += 1;
    }
    if index.should_compact() {
        index.compact();
    }
    index.save(&a.index)?;
    eprintln!(
        "dupmap: {} documents added ({replaced} replacing earlier versions); the index holds {}",
        added,
        index.len()
    );
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn query(a: QueryArgs) -> anyhow::Result<ExitCode> {
    let index = a.options.load(&a.index)?;
    let (docs, errors) = read_docs(&a.docs)?;
    let probes = prepare_all(&index, &docs);
    let answers: Vec<serde_json::Value> = docs
        .par_iter()
        .zip(probes)
        .map_init(Vec::new, |scratch, ((doc, _), probe)| {
            let matches = index.query(&probe, 0, scratch);
            let first_copy =
                index.find_same_set(&probe).or_else(|| matches.iter().find(|m| m.relation.is_copy()).map(|m| m.slot));
            let list: Vec<serde_json::Value> = matches
                .iter()
                .map(|m| {
                    json!({
                        "id": index.id(m.slot),
                        "relation": m.relation.reversed().as_str(),
                        "jaccard": round4(m.scores.jaccard),
                        "containment": round4(m.scores.containment_b),
                    })
                })
                .collect();
            json!({
                "id": doc.id,
                "status": if first_copy.is_some() { "duplicate" } else { "new" },
                "duplicate_of": first_copy.map(|s| index.id(s)),
                "matches": list,
            })
        })
        .collect();
    let mut out = open_output(a.output.as_deref())?;
    for answer in answers {
        serde_json::to_writer(&mut out, &answer)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn remove(a: RemoveArgs) -> anyhow::Result<ExitCode> {
    must_exist(&a.index)?;
    let _lock = IndexLock::acquire(&a.index)?;
    let mut index = Index::load(&a.index)?;
    let mut ids = a.ids.clone();
    if let Some(path) = &a.ids_from {
        let text = if path == Path::new("-") {
            std::io::read_to_string(std::io::stdin().lock()).context("reading ids from stdin")?
        } else {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
        };
        ids.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from));
    }
    if ids.is_empty() {
        bail!("no ids to remove (give ids or --ids-from FILE)");
    }
    let mut missing = 0usize;
    for id in &ids {
        if !index.remove(id) {
            eprintln!("dupmap: {id:?} is not in the index");
            missing += 1;
        }
    }
    if index.should_compact() {
        index.compact();
    }
    index.save(&a.index)?;
    eprintln!("dupmap: {} removed; the index holds {}", ids.len() - missing, index.len());
    Ok(if missing > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn stats(a: StatsArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let index = Index::load(&a.index)?;
    let load = started.elapsed().as_secs_f64();
    let file = std::fs::metadata(&a.index).map(|m| m.len()).unwrap_or(0);
    let p = index.params();
    let mem = index.memory_bytes();
    let per_doc = if index.is_empty() { 0 } else { mem / index.len() };
    let mut out = std::io::stdout().lock();
    writeln!(out, "index:          {}", a.index.display())?;
    writeln!(out, "documents:      {} (added over its life: {})", index.len(), index.added())?;
    writeln!(out, "file:           {} bytes, loaded in {load:.3} s", file)?;
    writeln!(out, "memory:         {mem} bytes ({per_doc} per document)")?;
    writeln!(out, "normalisation:  version {}", p.normalization)?;
    writeln!(out, "shingles:       {}", p.shingling)?;
    writeln!(out, "minhash:        {} functions, seed {}, {:?}", p.num_perm, p.seed, p.minhash)?;
    writeln!(out, "lsh:            {} bands x {} rows", p.bands, p.rows)?;
    writeln!(out, "verification:   {}", format!("{:?}", p.verification).to_lowercase())?;
    if p.boilerplate_min_docs == 0 {
        writeln!(out, "boilerplate:    none")?;
    } else {
        writeln!(
            out,
            "boilerplate:    {} segments (in {} or more documents of the corpus the index was created from)",
            index.boilerplate().len(),
            p.boilerplate_min_docs
        )?;
    }
    writeln!(
        out,
        "relations:      copy at containment {}, duplicate ratio {}, overlap {}",
        p.relation.containment, p.relation.duplicate_ratio, p.relation.overlap
    )?;
    Ok(ExitCode::SUCCESS)
}
