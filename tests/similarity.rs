//! `dupmap similarity` end to end: one line per good input line, in order; bad lines
//! reported with their line numbers; kinds and scores that make sense.

mod common;

use std::io::BufRead;

use common::*;
use serde_json::{json, Value};

const REWORDED_A: &str = "Police arrested three men on Sunday after a robbery at a jewellery shop in the city centre.";
const REWORDED_B: &str =
    "Three men were arrested by police on Sunday following a robbery at a city-centre jewellery shop.";
const UNRELATED_A: &str = "The orchestra will tour six countries in Asia next autumn, its director announced.";
const UNRELATED_B: &str = "Farmers say the late frost destroyed nearly half of this year's apple harvest.";
const VERBATIM_A: &str = "The council voted 7-2 to approve the new cycling lanes.";
const VERBATIM_B: &str = "THE COUNCIL VOTED 7\u{2013}2 TO APPROVE THE NEW CYCLING LANES!";

fn lines(stdout: &[u8]) -> Vec<Value> {
    stdout.lines().map(|l| serde_json::from_str(&l.unwrap()).expect("each line is JSON")).collect()
}

fn pairs_file(dir: &std::path::Path, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join("pairs.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn one_line_per_pair_in_order_and_bad_lines_reported() {
    let dir = tempfile::tempdir().unwrap();
    let input = [
        json!({"id": "reworded", "a": REWORDED_A, "b": REWORDED_B}).to_string(),
        "{\"id\": \"broken\", \"a\": ".to_string(),
        json!({"id": 7, "a": UNRELATED_A, "b": UNRELATED_B}).to_string(),
        json!({"id": "no-b", "a": UNRELATED_A}).to_string(),
        String::new(),
        json!({"id": "number-a", "a": 3, "b": UNRELATED_B}).to_string(),
        json!({"a": VERBATIM_A, "b": VERBATIM_B}).to_string(),
    ];
    let path = pairs_file(dir.path(), &input);
    let out = dupmap().args(["similarity", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "bad lines give exit code 1");

    let got = lines(&out.stdout);
    let ids: Vec<&Value> = got.iter().map(|l| &l["id"]).collect();
    let file = path.display().to_string();
    assert_eq!(ids, [&json!("reworded"), &json!(7), &json!(format!("{file}:7"))]);
    for line in &got {
        assert_eq!(line.as_object().unwrap().len(), 3, "id, score, kind only: {line}");
        let score = line["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
    }

    let stderr = String::from_utf8_lossy(&out.stderr);
    let reported: Vec<&str> = stderr.lines().collect();
    assert_eq!(reported.len(), 3, "{stderr}");
    assert!(reported[0].starts_with(&format!("dupmap: {file}:2: invalid JSON")), "{stderr}");
    assert!(reported[1].starts_with(&format!("dupmap: {file}:4: missing text field \"b\"")), "{stderr}");
    assert!(reported[2].starts_with(&format!("dupmap: {file}:6: field \"a\" is a number, not a string")), "{stderr}");
}

#[test]
fn paraphrase_outscores_unrelated_and_kinds_follow() {
    let input = [
        json!({"id": "p", "a": REWORDED_A, "b": REWORDED_B}),
        json!({"id": "u", "a": UNRELATED_A, "b": UNRELATED_B}),
        json!({"id": "v", "a": VERBATIM_A, "b": VERBATIM_B}),
        json!({"id": "n", "a": "The bank raised its main interest rate by half a point on Thursday.",
               "b": "The bank raised its main interest rate by a half point on Thursday."}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    let out = dupmap().args(["similarity", "-"]).write_stdin(input).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let got = lines(&out.stdout);
    let kind = |i: usize| got[i]["kind"].as_str().unwrap().to_string();
    let score = |i: usize| got[i]["score"].as_f64().unwrap();
    assert!(score(0) > score(1) + 0.3, "paraphrase {} vs unrelated {}", score(0), score(1));
    assert_eq!(kind(0), "reworded");
    assert_eq!(kind(1), "different");
    assert_eq!(kind(2), "verbatim");
    assert_eq!(kind(3), "near_verbatim");
}

#[test]
fn features_flag_adds_thirteen_numbers_and_stdin_is_the_default() {
    let input = json!({"id": "p", "a": REWORDED_A, "b": REWORDED_B}).to_string();
    let out = dupmap().args(["similarity", "--features"]).write_stdin(input).output().unwrap();
    assert!(out.status.success());
    let got = lines(&out.stdout);
    let features = got[0]["features"].as_array().unwrap();
    assert_eq!(features.len(), 13);
    assert!(features.iter().all(|f| f.as_f64().is_some_and(f64::is_finite)));
}

#[test]
fn bad_stdin_lines_name_stdin() {
    let out = dupmap().args(["similarity"]).write_stdin("[1]\n").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("dupmap: <stdin>:1: expected a JSON object"), "{stderr}");
}

#[test]
fn missing_input_file_fails_with_2() {
    let out = dupmap().args(["similarity", "/nonexistent/pairs.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/pairs.jsonl"));
}
