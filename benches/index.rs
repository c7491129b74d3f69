//! Criterion benchmarks of the dedup index behind `dupmap filter`: LSH insert and query
//! (band tables plus verification), and a whole filter batch, on seeded synthetic text.
//!
//! `cargo bench --bench index`; `cargo bench --bench index -- --test` runs each once.
//! For figures at a million documents see `scripts/bench_filter.py`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use dupmap::filter::{Filter, FilterOptions, Incoming};
use dupmap::index::{Index, IndexParams, Probe};
use dupmap::{ScanConfig, Verification};

/// Seeded article-like text: `words` words from a 20,000-word vocabulary.
fn text(seed: u64, words: usize) -> String {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = String::with_capacity(words * 7);
    for i in 0..words {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out.push_str(&format!("w{}", s % 20_000));
        out.push_str(if i % 20 == 19 { ". " } else { " " });
    }
    out
}

fn params(verification: Verification) -> IndexParams {
    IndexParams::from_config(&ScanConfig::builder().verification(verification).build().expect("valid"))
}

/// Signed probes for `n` articles of 500 words.
fn probes(index: &Index, n: usize, seed: u64) -> Vec<Probe> {
    let mut sk = index.sketcher();
    (0..n)
        .map(|i| {
            let mut p = index.prepare(&mut sk, &text(seed + i as u64, 500));
            index.sign(&mut p);
            p
        })
        .collect()
}

fn filled(verification: Verification, n: usize) -> (Index, Vec<Probe>) {
    let mut index = Index::new(params(verification)).expect("valid");
    let ps = probes(&index, n, 1);
    for (i, p) in ps.iter().enumerate() {
        index.insert(&format!("d{i}"), i as i64, p.clone());
    }
    (index, ps)
}

fn insert(c: &mut Criterion) {
    let mut g = c.benchmark_group("index_insert");
    g.sample_size(10);
    for verification in [Verification::Estimate, Verification::Exact] {
        let (base, _) = filled(verification, 20_000);
        let batch = probes(&base, 1000, 1_000_000);
        g.throughput(Throughput::Elements(batch.len() as u64));
        g.bench_function(BenchmarkId::new(format!("{verification:?}").to_lowercase(), "1000_into_20000"), |b| {
            b.iter_batched(
                || base.clone(),
                |mut index| {
                    for (i, p) in batch.iter().enumerate() {
                        index.insert(&format!("n{i}"), 0, p.clone());
                    }
                    index
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn query(c: &mut Criterion) {
    let mut g = c.benchmark_group("index_query");
    for verification in [Verification::Estimate, Verification::Exact] {
        let (index, indexed) = filled(verification, 20_000);
        // Half new articles, half copies of indexed ones.
        let mut queries = probes(&index, 500, 2_000_000);
        queries.extend(indexed.iter().step_by(40).take(500).cloned());
        let mut scratch = Vec::new();
        g.throughput(Throughput::Elements(queries.len() as u64));
        g.bench_function(BenchmarkId::new(format!("{verification:?}").to_lowercase(), "against_20000"), |b| {
            b.iter(|| {
                let mut found = 0usize;
                for q in &queries {
                    found += index.query(black_box(q), 0, &mut scratch).len();
                }
                found
            })
        });
    }
    g.finish();
}

fn filter_batch(c: &mut Criterion) {
    let mut g = c.benchmark_group("filter_batch");
    g.sample_size(10);
    let docs: Vec<Incoming> = (0..1000)
        .map(|i| Incoming { id: format!("d{i}"), time: None, text: text(5_000_000 + (i % 700) as u64, 500) })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    let (base, _) = filled(Verification::Estimate, 20_000);
    g.bench_function("estimate_1000_docs_against_20000", |b| {
        b.iter_batched(
            || Filter::new(base.clone(), FilterOptions::default()),
            |mut f| f.process(black_box(&docs)),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, insert, query, filter_batch);
criterion_main!(benches);
