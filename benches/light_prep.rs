//! Criterion benchmarks of light preparation, the passage stage's per-document step:
//! cutting documents into units with their words and content stems
//! (`DocUnits::new_light`), and counting the light units' stems for word rarity
//! (`DocUnits::count_stems`); and of full preparation, its per-unit step before judging
//! (`SentencePreparer::prepare_span` of every unit). Throughput is in bytes of the
//! documents' text (of the units' for full preparation).
//!
//! The documents are seeded synthetic text over a vocabulary of 60,000 made-up words
//! drawn with a Zipf-like skew (so that the preparer's word cache sees common words and
//! misses on rare ones), or the first 4,000 documents of a JSONL corpus named by
//! `DUPMAP_BENCH_CORPUS` (one JSON object a line with a `"text"` member).
//!
//! `cargo bench --bench light_prep`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dupmap::boilerplate::Boilerplate;
use dupmap::passage::DocUnits;
use dupmap::similarity::{Idf, SentencePreparer};
use dupmap::text::{Span, Tokenizer};

mod common;

use common::Rng;

/// A made-up word for rank `i`: short for common ranks, longer for rare ones.
fn word(i: usize) -> String {
    const SYLLABLES: [&str; 16] =
        ["ka", "to", "re", "mi", "an", "sul", "ver", "o", "li", "dem", "pra", "is", "nu", "e", "gor", "ti"];
    let mut n = i + 1;
    let mut w = String::new();
    while n > 0 {
        w.push_str(SYLLABLES[n % 16]);
        n /= 16;
    }
    w
}

/// Seeded news-like documents: sentences of Zipf-skewed words, some capitalised, numbers,
/// quotations and glued names.
fn synthetic(docs: usize) -> Vec<String> {
    let vocabulary: Vec<String> = (0..60_000).map(word).collect();
    let mut rng = Rng(0x5EED_1234);
    let pick = |rng: &mut Rng| {
        // The smaller of two or three draws skews toward low ranks.
        let (a, b, c) = (rng.below(60_000), rng.below(60_000), rng.below(60_000));
        &vocabulary[if rng.below(2) == 0 { a.min(b) } else { a.min(b).min(c) } % 60_000]
    };
    (0..docs)
        .map(|_| {
            let mut text = String::new();
            for s in 0..12 + rng.below(30) {
                let words = 6 + rng.below(25);
                let quote = rng.below(6) == 0;
                for w in 0..words {
                    if quote && w == 3 {
                        text.push('\u{201C}');
                    }
                    let word = pick(&mut rng);
                    match rng.below(20) {
                        0 => text.push_str(&rng.below(10_000).to_string()),
                        1 | 2 => {
                            let mut c = word.chars();
                            text.extend(c.next().map(|f| f.to_ascii_uppercase()));
                            text.push_str(c.as_str());
                        }
                        3 => {
                            text.push_str(word);
                            text.push_str("Gaza");
                        }
                        _ => text.push_str(word),
                    }
                    if quote && w == words - 2 {
                        text.push('\u{201D}');
                    }
                    text.push(if w + 1 == words { '.' } else { ' ' });
                }
                text.push_str(if s % 5 == 4 { "\n\n" } else { " " });
            }
            text
        })
        .collect()
}

/// The documents named by `DUPMAP_BENCH_CORPUS`, or synthetic ones.
fn documents() -> Vec<String> {
    match std::env::var("DUPMAP_BENCH_CORPUS") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).expect("DUPMAP_BENCH_CORPUS is readable");
            text.lines()
                .take(4000)
                .map(|line| {
                    let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                    v["text"].as_str().expect("a text member").to_owned()
                })
                .collect()
        }
        Err(_) => synthetic(2000),
    }
}

fn light_prep(c: &mut Criterion) {
    let docs = documents();
    let bytes: usize = docs.iter().map(String::len).sum();
    let boilerplate = Boilerplate::none();
    let mut g = c.benchmark_group("light_prep");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("new_light", |b| {
        let (mut prep, mut tok) = (SentencePreparer::new(), Tokenizer::new());
        b.iter(|| {
            let mut units = 0;
            for d in &docs {
                units += DocUnits::new_light(d, &mut prep, &mut tok, &boilerplate).units.len();
            }
            assert!(units > docs.len());
            black_box(units)
        })
    });
    g.bench_function("count_stems", |b| {
        let (mut prep, mut tok) = (SentencePreparer::new(), Tokenizer::new());
        let light: Vec<DocUnits> =
            docs.iter().map(|d| DocUnits::new_light(d, &mut prep, &mut tok, &boilerplate)).collect();
        let mut scratch = Vec::new();
        b.iter(|| {
            let mut idf = Idf::new();
            for units in &light {
                units.count_stems(&mut idf, &mut scratch);
            }
            assert!(idf.documents() > docs.len() as u64);
            black_box(idf.documents())
        })
    });
    g.finish();

    // Full preparation, the passage stage's per-unit step before judging: every unit of
    // the documents prepared for the matcher, its bytes the throughput.
    let mut prep = SentencePreparer::new();
    let mut tok = Tokenizer::new();
    let units: Vec<(usize, Span)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, text)| {
            DocUnits::new_light(text, &mut prep, &mut tok, &boilerplate)
                .units
                .iter()
                .map(|u| (d, u.span()))
                .collect::<Vec<_>>()
        })
        .collect();
    let unit_bytes: u64 = units.iter().map(|(_, s)| u64::from(s.len())).sum();
    let mut g = c.benchmark_group("full_prep");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(unit_bytes));
    g.bench_function("prepare_span", |b| {
        let mut prep = SentencePreparer::new();
        b.iter(|| {
            let mut words = 0;
            for &(d, span) in &units {
                words += prep.prepare_span(&docs[d], span).len();
            }
            assert!(words > units.len());
            black_box(words)
        })
    });
    g.finish();
}

criterion_group!(benches, light_prep);
criterion_main!(benches);
