//! Bad input is normal: each problem is reported with its source, listed in the
//! report, counted, and the run goes on (exit code 1).

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn every_kind_of_bad_record_is_reported_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut w = Words::new(9);
    let good = w.sentence(30);
    let feed = format!(
        "{}\nnot json at all\n{}\n{}\n{}\n\n{}\n{}\n",
        serde_json::json!({"id": "ok1", "text": good}),
        serde_json::json!({"id": "no-text"}),
        serde_json::json!({"id": "num-text", "text": 42}),
        serde_json::json!({"id": "ok1", "text": "repeated id"}),
        serde_json::json!({"id": "empty", "text": "   "}),
        serde_json::json!({"text": good}),
    );
    let mut bytes = feed.into_bytes();
    bytes.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"caf\xe9\"}\n");
    std::fs::write(root.join("feed.jsonl"), bytes).unwrap();
    std::fs::write(root.join("latin1.txt"), b"caf\xe9 au lait").unwrap();
    std::fs::write(root.join("binary.txt"), b"abc\0def").unwrap();

    let out = dupmap()
        .args(["scan", root.to_str().unwrap(), root.join("missing.txt").to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "input problems give exit code 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["source"].as_str().unwrap().to_string(), e["reason"].as_str().unwrap().to_string()))
        .collect();
    let feed_path = root.join("feed.jsonl").display().to_string();
    let expect = [
        (format!("{}", root.join("binary.txt").display()), "binary file"),
        (format!("{feed_path}:2"), "invalid JSON"),
        (format!("{feed_path}:3"), "missing text field \"text\""),
        (format!("{feed_path}:4"), "is a number, not a string"),
        (format!("{feed_path}:5"), "duplicate id \"ok1\""),
        (format!("{feed_path}:7"), "empty document"),
        (format!("{feed_path}:9"), "invalid UTF-8"),
        (format!("{}", root.join("latin1.txt").display()), "invalid UTF-8 at byte 3"),
        (format!("{}", root.join("missing.txt").display()), "no such file"),
    ];
    assert_eq!(errors.len(), expect.len(), "{errors:#?}");
    for ((source, reason), (want_source, want_reason)) in errors.iter().zip(&expect) {
        assert_eq!(source, want_source);
        assert!(reason.contains(want_reason), "{source}: {reason:?} lacks {want_reason:?}");
        assert!(stderr.contains(&format!("dupmap: {source}: {reason}")), "not on stderr: {source}");
    }
    assert_eq!(report["summary"]["errors"], expect.len());
    // Kept: ok1, the empty document, and the record without id (id = FILE:LINE).
    let ids: Vec<&str> = report["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ok1".to_string(), "empty".to_string(), format!("{feed_path}:8")]);
    // The record without an id is a copy of ok1.
    assert_eq!(clusters(&report), vec![vec!["ok1".to_string(), format!("{feed_path}:8")]]);
}

#[test]
fn giant_and_empty_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(5);
    let giant: String = (0..20_000).map(|_| w.sentence(20)).collect::<Vec<_>>().join(" ");
    let docs = vec![
        ("giant".to_string(), giant.clone()),
        ("empty".to_string(), String::new()),
        ("giant-copy".to_string(), format!("Headline.\n{giant}")),
    ];
    let feed = dir.path().join("f.jsonl");
    write_jsonl(&feed, &docs);
    let report = scan_json(&[feed.to_str().unwrap()]);
    assert_eq!(clusters(&report), vec![vec!["giant", "giant-copy"]]);
    assert!(giant.len() > 2_000_000);
}

#[test]
fn nothing_readable_still_reports() {
    dupmap()
        .args(["scan", "/nonexistent/dir", "--format", "text"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 documents, 1 input error"))
        .stderr(predicate::str::contains("/nonexistent/dir: no such file or directory"));
}
