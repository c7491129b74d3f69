//! One criterion benchmark per hot stage of the document scan, on seeded synthetic
//! news-like text (no downloads), with throughput in bytes or elements.
//!
//! `cargo bench --bench stages`; `cargo test --benches` runs each once as a smoke test.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dupmap::boilerplate::Boilerplate;
use dupmap::lsh::candidate_pairs;
use dupmap::minhash::{MinHashScheme, MinHasher};
use dupmap::sketch::Sketcher;
use dupmap::text::{for_each_shingle, Shingling, Tokenizer};
use dupmap::verify::exact_scores;

/// Seeded news-like text: words from a fixed vocabulary with Zipf-ish frequencies.
fn text(seed: u64, words: usize) -> String {
    const VOCAB: &[&str] = &[
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "said",
        "on",
        "for",
        "is",
        "Iran",
        "Hamas",
        "minister",
        "Tehran",
        "government",
        "security",
        "council",
        "resolution",
        "ceasefire",
        "talks",
        "officials",
        "Tuesday",
        "war",
        "support",
        "leader",
        "visit",
        "foreign",
        "Israel",
        "Gaza",
        "international",
        "statement",
        "agency",
        "news",
        "people",
        "region",
        "attack",
        "forces",
        "\u{201C}resistance\u{201D}",
        "1,200",
        "2024",
        "café",
        "naïve",
    ];
    let mut s = seed | 1;
    let mut out = String::with_capacity(words * 7);
    for i in 0..words {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let r = (s % 1000) as usize;
        let idx = if r < 600 { r % 10 } else { r % VOCAB.len() };
        if r.is_multiple_of(7) {
            out.push_str(&format!("w{}", s % 50_000));
        } else {
            out.push_str(VOCAB[idx]);
        }
        out.push(if i % 23 == 22 { '.' } else { ' ' });
        if i % 23 == 22 {
            out.push(' ');
        }
    }
    out
}

fn tokenize(c: &mut Criterion) {
    let doc = text(1, 50_000);
    let mut g = c.benchmark_group("normalize_tokenize");
    g.throughput(Throughput::Bytes(doc.len() as u64));
    let mut t = Tokenizer::new();
    g.bench_function("mixed_unicode", |b| {
        b.iter(|| {
            let n = t.tokenize(black_box(&doc)).len();
            assert!(n > 40_000);
        })
    });
    // The same text with a no-break space after each sentence, as French typography and
    // many web pages have: not NFKC, so normalised around its non-ASCII characters.
    let not_nfkc = doc.replace(". ", ".\u{00A0}");
    g.bench_function("not_nfkc", |b| b.iter(|| assert!(t.tokenize(black_box(&not_nfkc)).len() > 40_000)));
    let ascii = doc.replace(['\u{201C}', '\u{201D}', 'é', 'ï'], "x");
    g.bench_function("ascii", |b| b.iter(|| assert!(t.tokenize(black_box(&ascii)).len() > 40_000)));
    g.bench_function("word_hashes_mixed_unicode", |b| {
        b.iter(|| assert!(t.word_hashes(black_box(&doc)).0.len() > 40_000))
    });
    g.bench_function("word_hashes_ascii", |b| b.iter(|| assert!(t.word_hashes(black_box(&ascii)).0.len() > 40_000)));
    // The same text in Arabic letters (each ASCII letter mapped to one): two bytes a
    // letter, on the fast paths of normalisation and words.
    let arabic: String = doc
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' => {
                char::from_u32(0x628 + (c.to_ascii_lowercase() as u32 - 'a' as u32)).expect("an Arabic letter")
            }
            c => c,
        })
        .collect();
    g.bench_function("arabic", |b| b.iter(|| assert!(t.tokenize(black_box(&arabic)).len() > 40_000)));
    g.bench_function("word_hashes_arabic", |b| b.iter(|| assert!(t.word_hashes(black_box(&arabic)).0.len() > 40_000)));
    g.finish();
}

fn shingles(c: &mut Criterion) {
    let doc = text(2, 50_000);
    let mut t = Tokenizer::new();
    t.tokenize(&doc);
    let mut g = c.benchmark_group("shingle_hashing");
    g.throughput(Throughput::Elements(t.tokens().len() as u64));
    for s in ["words:5", "chars:7"] {
        let shingling: Shingling = s.parse().unwrap();
        g.bench_function(s, |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for_each_shingle(
                    shingling,
                    t.tokens(),
                    t.normalized(),
                    |x, y| t.original_span(x, y),
                    |sh| acc ^= sh.hash,
                );
                assert_ne!(acc, 0);
            })
        });
    }
    g.finish();
}

fn minhash(c: &mut Criterion) {
    let hashes: Vec<u64> = (0..10_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xABCD).collect();
    let mut g = c.benchmark_group("minhash_signature");
    g.throughput(Throughput::Elements(hashes.len() as u64));
    // The 64-bit classic scheme keeps its earlier benchmark names (`minhash_signature/128`).
    for (name, scheme) in [
        (Some("one_permutation"), MinHashScheme::OnePermutation),
        (Some("classic32"), MinHashScheme::Classic32),
        (None, MinHashScheme::Classic),
    ] {
        for num_perm in [64, 128, 256] {
            let m = MinHasher::with_scheme(num_perm, 1, scheme);
            let id = name.map_or(BenchmarkId::from_parameter(num_perm), |n| BenchmarkId::new(n, num_perm));
            g.bench_with_input(id, &m, |b, m| {
                b.iter(|| {
                    let sig = m.signature(hashes.iter().copied());
                    assert!(sig.iter().all(|&v| v < u32::MAX));
                })
            });
        }
    }
    g.finish();
}

fn document_sketch(c: &mut Criterion) {
    let docs: Vec<String> = (0..200).map(|i| text(100 + i, 600)).collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let bp = Boilerplate::none();
    // The default scheme, as the scan sketches.
    let m = MinHasher::with_scheme(128, 1, MinHashScheme::default());
    let mut g = c.benchmark_group("document_sketch");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("words5_perm128", |b| {
        let mut s = Sketcher::new(Shingling::default(), &bp);
        b.iter(|| {
            for d in &docs {
                assert!(s.sketch(d, &m).signature.is_some());
            }
        })
    });
    // The floor the issue measures the scan against, on the same documents: split at
    // ASCII white space and hash every word 5-gram's bytes with xxh3, nothing else (no
    // normalising, no word rules, no signature).
    g.bench_function("floor_xxh3_word5grams", |b| {
        let mut starts: Vec<usize> = Vec::new();
        b.iter(|| {
            let mut acc = 0u64;
            for d in &docs {
                let bytes = black_box(d.as_bytes());
                starts.clear();
                let mut in_word = false;
                for (i, &c) in bytes.iter().enumerate() {
                    let space = c.is_ascii_whitespace();
                    if !space && !in_word {
                        starts.push(i);
                    }
                    in_word = !space;
                }
                starts.push(bytes.len());
                for w in starts.windows(6) {
                    acc = acc.wrapping_add(xxhash_rust::xxh3::xxh3_64(&bytes[w[0]..w[5]]));
                }
            }
            assert_ne!(acc, 0);
        })
    });
    g.finish();
}

fn lsh(c: &mut Criterion) {
    let m = MinHasher::new(128, 1);
    let sigs: Vec<Vec<u32>> = (0..20_000u64)
        .map(|d| m.signature((0..50u64).map(|i| (d / 2 * 1000 + i).wrapping_mul(0x9E37_79B9_7F4A_7C15))))
        .collect();
    let refs: Vec<Option<&[u32]>> = sigs.iter().map(|s| Some(&s[..])).collect();
    let mut g = c.benchmark_group("lsh_candidates");
    g.throughput(Throughput::Elements(sigs.len() as u64));
    g.sample_size(10);
    g.bench_function("42x3_20k_docs", |b| {
        b.iter(|| {
            let pairs = candidate_pairs(black_box(&refs), 42, 3);
            assert!(pairs.len() >= 10_000);
        })
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    // Sorted shingle-hash sets of 600 hashes sharing a given share of their members,
    // as verification meets them (near-duplicates share most, overlaps some).
    let set = |from: u64, n: u64| {
        let mut v: Vec<u64> = (from..from + n).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xABCD).collect();
        v.sort_unstable();
        v
    };
    let mut g = c.benchmark_group("verify_exact");
    g.throughput(Throughput::Elements(1));
    for shared in [570u64, 300, 100] {
        let (a, b) = (set(0, 600), set(600 - shared, 600));
        g.bench_function(format!("600x600_shared_{shared}"), |bch| {
            bch.iter(|| assert!(exact_scores(black_box(&a), black_box(&b)).jaccard > 0.05))
        });
    }
    g.finish();
}

criterion_group!(benches, tokenize, shingles, minhash, document_sketch, lsh, verify);
criterion_main!(benches);
