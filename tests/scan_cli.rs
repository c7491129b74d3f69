//! `dupmap scan` end to end: inputs, formats, ids, exit codes, pipes.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::*;
use predicates::prelude::*;

#[test]
fn seeds_scan_in_every_format() {
    let report = scan_json(&[seeds_dir().to_str().unwrap()]);
    assert_eq!(report["schema"], "dupmap.report/1");
    let docs = report["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    assert_eq!(docs[0]["id"], "000_fc334fc79f7154fc.txt");
    assert_eq!(docs[0]["bytes"], 2091);
    for key in
        ["seed", "num_perm", "shingles", "bands", "rows", "threshold", "duplicate_ratio", "containment_threshold"]
    {
        assert!(report["params"].get(key).is_some(), "params.{key} missing");
    }
    // Five different articles on one event: none is a copy of another.
    assert!(clusters(&report).is_empty());

    dupmap()
        .args(["scan", seeds_dir().to_str().unwrap(), "--format", "text"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("5 documents, 0 input errors"));

    let out = dupmap().args(["scan", seeds_dir().to_str().unwrap(), "--format", "jsonl"]).output().unwrap();
    let lines: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(&l.unwrap()).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[2]["id"], "002_5d18fd4474e21294.txt");
    assert_eq!(lines[2]["representative"], "002_5d18fd4474e21294.txt");
    assert!(lines[2]["duplicate_of"].is_null());
}

#[test]
fn copies_cluster_and_jsonl_joins_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(1);
    let story: Vec<String> = (0..8).map(|_| w.sentence(18)).collect();
    let other: Vec<String> = (0..8).map(|_| w.sentence(18)).collect();
    let docs = vec![
        ("wire".to_string(), story.join("\n")),
        ("unrelated".to_string(), other.join("\n")),
        ("syndicated".to_string(), format!("A new headline here\n{}", story.join("\n"))),
        ("truncated".to_string(), story[..5].join("\n")),
    ];
    let feed = dir.path().join("feed.jsonl");
    write_jsonl(&feed, &docs);
    let report = scan_json(&[feed.to_str().unwrap()]);
    assert_eq!(clusters(&report), vec![vec!["wire", "syndicated", "truncated"]]);
    let rel = |a: &str, b: &str| {
        report["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["a"] == a && p["b"] == b)
            .map(|p| p["relation"].as_str().unwrap().to_string())
    };
    assert_eq!(rel("wire", "syndicated").as_deref(), Some("duplicate"));
    assert_eq!(rel("wire", "truncated").as_deref(), Some("contains"));
    assert_eq!(rel("wire", "unrelated"), None);

    let out = dupmap().args(["scan", feed.to_str().unwrap(), "--format", "jsonl"]).output().unwrap();
    let lines: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(&l.unwrap()).unwrap()).collect();
    assert_eq!(lines[3]["duplicate_of"], "wire");
    assert_eq!(lines[3]["cluster"], 0);
    assert!(lines[1]["cluster"].is_null());
}

#[test]
fn directories_walk_sorted_skip_hidden_and_read_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/nested")).unwrap();
    std::fs::create_dir_all(root.join(".hidden")).unwrap();
    let mut w = Words::new(2);
    let text = w.sentence(40);
    std::fs::write(root.join("b/nested/z.txt"), &text).unwrap();
    std::fs::write(root.join("a.txt"), w.sentence(40)).unwrap();
    std::fs::write(root.join(".secret.txt"), &text).unwrap();
    std::fs::write(root.join(".hidden/x.txt"), &text).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(format!("{}\n", serde_json::json!({"id": "g1", "text": text})).as_bytes()).unwrap();
    std::fs::write(root.join("c.jsonl.gz"), gz.finish().unwrap()).unwrap();

    let report = scan_json(&[root.to_str().unwrap()]);
    let ids: Vec<&str> = report["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a.txt", "b/nested/z.txt", "g1"]);
    assert_eq!(clusters(&report), vec![vec!["b/nested/z.txt", "g1"]]);

    // A file named directly is known by its file name.
    let report = scan_json(&[root.join("b/nested/z.txt").to_str().unwrap()]);
    assert_eq!(report["documents"][0]["id"], "z.txt");
}

#[test]
fn jsonl_on_stdin_with_nested_fields() {
    let mut w = Words::new(3);
    let text = w.sentence(30);
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"meta": {"uid": 17}, "body": {"t": text}}),
        serde_json::json!({"meta": {"uid": "x"}, "body": {"t": text}}),
    );
    let out = dupmap()
        .args(["scan", "-", "--id-field", "meta.uid", "--text-field", "body.t", "--format", "json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(clusters(&report), vec![vec!["17", "x"]]);
    assert_eq!(report["documents"][0]["source"], "<stdin>:1");
}

#[test]
fn output_file_and_invalid_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    dupmap().args(["scan", seeds_dir().to_str().unwrap(), "-o", out.to_str().unwrap()]).assert().success();
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["summary"]["documents"], 5);

    dupmap()
        .args(["scan", "x", "--threshold", "1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("threshold must be in (0, 1]"));
    dupmap()
        .args(["scan", "x", "--shingles", "lines:3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kind must be words or chars"));
    dupmap()
        .args(["scan", "x", "--bands", "100", "--rows", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bands x rows"));
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(4);
    let docs: Vec<(String, String)> = (0..4000).map(|i| (format!("doc-{i:05}"), w.sentence(12))).collect();
    let feed = dir.path().join("feed.jsonl");
    write_jsonl(&feed, &docs);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dupmap"))
        .args(["scan", feed.to_str().unwrap(), "--format", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is dropped here: the pipe is closed with most output unwritten.
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("doc-00000"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_report_written_over_a_longer_file_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let want = dupmap().args(["scan", seeds_dir().to_str().unwrap()]).output().unwrap().stdout;
    std::fs::write(&out, vec![b'x'; want.len() * 3]).unwrap();
    for _ in 0..2 {
        dupmap().args(["scan", seeds_dir().to_str().unwrap(), "-o", out.to_str().unwrap()]).assert().success();
        assert!(std::fs::read(&out).unwrap() == want);
    }
}
