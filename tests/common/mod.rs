//! Helpers shared by the CLI tests: a temp dir, the binary, and corpus builders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `dupmap` binary.
pub fn dupmap() -> Command {
    Command::cargo_bin("dupmap").expect("binary built")
}

/// The bundled seed articles.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds")
}

/// A deterministic pseudo-random word stream (xorshift), for unique filler text.
pub struct Words(u64);

impl Words {
    pub fn new(seed: u64) -> Words {
        Words(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_word(&mut self) -> String {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        const SYL: [&str; 16] =
            ["ka", "lo", "mi", "ten", "ra", "vos", "un", "pe", "dar", "ix", "so", "bel", "gu", "an", "tor", "e"];
        let n = 1 + (self.0 % 3) as usize;
        (0..n).map(|i| SYL[((self.0 >> (8 * i + 4)) % 16) as usize]).collect()
    }

    /// A paragraph of `n` words ending with a full stop.
    pub fn sentence(&mut self, n: usize) -> String {
        let words: Vec<String> = (0..n).map(|_| self.next_word()).collect();
        format!("{}.", words.join(" "))
    }
}

/// Writes a JSONL file of `(id, text)` records.
pub fn write_jsonl(path: &Path, docs: &[(String, String)]) {
    let mut out = String::new();
    for (id, text) in docs {
        out.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// Runs `dupmap scan ARGS --format json` and parses the report.
pub fn scan_json(args: &[&str]) -> serde_json::Value {
    let out = dupmap().arg("scan").args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.code().unwrap() <= 1, "dupmap failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON report")
}

/// The members of each duplicate cluster of a report.
pub fn clusters(report: &serde_json::Value) -> Vec<Vec<String>> {
    report["duplicate_clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect())
        .collect()
}
