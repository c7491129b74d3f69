//! Criterion benchmarks of the passage stage on seeded synthetic news-like documents (no
//! downloads): aligning prepared document pairs, the corpus-wide candidate pass alone, and
//! the whole stage (candidates, word rarity, preparation, alignment, clustering) over a
//! small corpus with copied, edited and reworded passages. Throughput is in bytes of the
//! documents' text.
//!
//! `cargo bench --bench passages`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dupmap::boilerplate::Boilerplate;
use dupmap::config::DEFAULT_PASSAGE_THRESHOLD;
use dupmap::input::Document;
use dupmap::passage::candidates::candidate_pairs;
use dupmap::passage::{align, find_passages, DocUnits};
use dupmap::similarity::{Idf, SentenceMatcher, SentencePreparer};
use dupmap::text::Tokenizer;

mod common;

use common::Rng;

const COMMON: &[&str] =
    &["the", "of", "and", "to", "a", "in", "said", "on", "for", "is", "was", "with", "that", "by", "at", "from"];
const CONTENT: &[&str] = &[
    "minister",
    "government",
    "security",
    "council",
    "resolution",
    "ceasefire",
    "talks",
    "officials",
    "war",
    "support",
    "leader",
    "visit",
    "foreign",
    "international",
    "statement",
    "agency",
    "people",
    "region",
    "attack",
    "forces",
    "bridge",
    "budget",
    "election",
    "court",
    "ruling",
    "protest",
    "border",
    "trade",
    "energy",
    "prices",
];
const NAMES: &[&str] = &["Tehran", "Brussels", "Gaza", "Kyiv", "Ankara", "Geneva", "Reuters", "Monday", "Tuesday"];

/// One sentence of 10 to 25 words, with rare words (`w123`) and names.
fn sentence(rng: &mut Rng) -> String {
    let n = 10 + rng.below(16);
    let mut words: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let r = rng.below(100);
        let w = if r < 45 {
            COMMON[rng.below(COMMON.len())].to_string()
        } else if r < 80 {
            CONTENT[rng.below(CONTENT.len())].to_string()
        } else if r < 90 {
            NAMES[rng.below(NAMES.len())].to_string()
        } else {
            format!("w{}", rng.below(20_000))
        };
        words.push(if i == 0 { capitalise(&w) } else { w });
    }
    words.join(" ") + "."
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A sentence with about one word in six replaced or dropped: an edited copy.
fn edit(rng: &mut Rng, s: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for w in s.trim_end_matches('.').split(' ') {
        match rng.below(12) {
            0 => {}
            1 => out.push(CONTENT[rng.below(CONTENT.len())].to_string()),
            _ => out.push(w.to_string()),
        }
    }
    out.join(" ") + "."
}

/// `docs` documents of about `sentences` sentences: stories, and copies of them that
/// keep some sentences verbatim, edit others and add their own.
fn corpus(seed: u64, docs: usize, sentences: usize) -> Vec<Document> {
    let mut rng = Rng(seed | 1);
    let mut stories: Vec<Vec<String>> = Vec::new();
    let mut out = Vec::with_capacity(docs);
    for d in 0..docs {
        let body: Vec<String> = if stories.is_empty() || rng.below(3) == 0 {
            let story: Vec<String> = (0..sentences).map(|_| sentence(&mut rng)).collect();
            stories.push(story.clone());
            story
        } else {
            let source = stories[rng.below(stories.len())].clone();
            source
                .iter()
                .map(|s| match rng.below(4) {
                    0 => s.clone(),
                    1 => edit(&mut rng, s),
                    2 => sentence(&mut rng),
                    _ => format!("{} \u{201C}{}\u{201D} he said.", sentence(&mut rng).trim_end_matches('.'), s),
                })
                .collect()
        };
        let text = body.chunks(4).map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n");
        out.push(Document { id: format!("d{d}"), source: format!("bench:{d}"), text: text.into() });
    }
    out
}

fn align_pairs(c: &mut Criterion) {
    let docs = corpus(7, 40, 30);
    let (mut prep, mut tok) = (SentencePreparer::new(), Tokenizer::new());
    let units: Vec<DocUnits> =
        docs.iter().map(|d| DocUnits::new(&d.text, &mut prep, &mut tok, &Boilerplate::none())).collect();
    let matcher = SentenceMatcher::new(Idf::from_sentences(units.iter().flat_map(|u| u.prepared_units())));
    let pairs: Vec<(usize, usize)> = (0..docs.len()).flat_map(|a| (a + 1..docs.len()).map(move |b| (a, b))).collect();
    let bytes: usize = pairs.iter().map(|&(a, b)| docs[a].text.len() + docs[b].text.len()).sum();
    let mut g = c.benchmark_group("passage_alignment");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("align_prepared_pairs", |b| {
        b.iter(|| {
            let n: usize = pairs.iter().map(|&(x, y)| align(&units[x], &units[y], false, &matcher).len()).sum();
            assert!(n > 0);
            black_box(n)
        })
    });
    g.finish();
}

fn whole_stage(c: &mut Criterion) {
    let docs = corpus(11, 400, 24);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group("passage_stage");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("find_passages_400_docs", |b| {
        b.iter(|| {
            let map =
                find_passages(black_box(&docs), &[], &Boilerplate::none(), 20, DEFAULT_PASSAGE_THRESHOLD, None, None);
            assert!(!map.pairs.is_empty());
            black_box(map.pairs.len())
        })
    });
    g.finish();
}

fn candidates(c: &mut Criterion) {
    let docs = corpus(13, 2000, 24);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group("passage_candidates");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("candidate_pairs_2000_docs", |b| {
        b.iter(|| {
            let pairs = candidate_pairs(black_box(&docs), &Boilerplate::none(), 20);
            assert!(!pairs.is_empty());
            black_box(pairs.len())
        })
    });
    g.finish();
}

criterion_group!(benches, align_pairs, candidates, whole_stage);
criterion_main!(benches);
