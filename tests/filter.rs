//! `dupmap filter` and `dupmap index`: decisions equal to a scan's, unchanged admitted
//! lines, rejects, line buffering, persistence, signals, and crash safety of the index.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};

use common::*;
use serde_json::Value;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("dupmap")
}

/// Stories with copies of every kind, in an interleaved order, as JSONL records.
fn feed(seed: u64, stories: usize) -> Vec<(String, String)> {
    let mut w = Words::new(seed);
    let bodies: Vec<Vec<String>> = (0..stories).map(|_| (0..8).map(|_| w.sentence(14)).collect()).collect();
    let mut docs = Vec::new();
    for (i, s) in bodies.iter().enumerate() {
        docs.push((format!("s{i}"), s.join(" ")));
        match i % 5 {
            0 => docs.push((format!("s{i}-wrapped"), format!("{} {} {}", w.sentence(8), s.join(" "), w.sentence(8)))),
            1 => docs.push((format!("s{i}-part"), s[..3].join(" "))),
            2 => {
                // Reworded: every fourth word replaced.
                let words: Vec<String> = s
                    .join(" ")
                    .split(' ')
                    .enumerate()
                    .map(|(k, x)| if k % 4 == 3 { w.next_word() } else { x.to_string() })
                    .collect();
                docs.push((format!("s{i}-reworded"), words.join(" ")));
            }
            3 => docs.push((format!("s{i}-shout"), s.join(" ").to_uppercase())),
            _ => {}
        }
        // Half a story glued to another one's start: copies of two admitted documents.
        if i >= 2 && i % 7 == 0 {
            let prev = &bodies[i - 2];
            docs.push((format!("s{i}-mix"), format!("{} {}", prev[..5].join(" "), s[..5].join(" "))));
        }
    }
    // Interleave: later copies arrive before some originals of other stories.
    let mut out = Vec::with_capacity(docs.len());
    let (even, odd): (Vec<_>, Vec<_>) = docs.into_iter().enumerate().partition(|(k, _)| k % 2 == 0);
    for (a, b) in
        even.into_iter().zip(odd.into_iter().chain(std::iter::repeat_with(|| (0, (String::new(), String::new())))))
    {
        out.push(a.1);
        if !b.1 .0.is_empty() {
            out.push(b.1);
        }
    }
    out
}

/// `id -> duplicate_of` from `dupmap scan --format jsonl`.
fn scan_decisions(feed: &Path, extra: &[&str]) -> BTreeMap<String, Option<String>> {
    let out = dupmap()
        .args(["scan", feed.to_str().unwrap(), "--no-passages", "--boilerplate-docs", "0", "--format", "jsonl"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["duplicate_of"].as_str().map(String::from))
        })
        .collect()
}

/// `id -> duplicate_of` from `dupmap filter --annotate`.
fn filter_decisions(stdout: &[u8]) -> BTreeMap<String, Option<String>> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["dupmap"]["duplicate_of"].as_str().map(String::from))
        })
        .collect()
}

#[test]
fn decisions_equal_the_scan_for_any_batch_size_and_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let docs = feed(5, 60);
    write_jsonl(&path, &docs);
    for extra in [&[][..], &["--estimate"][..]] {
        let expected = scan_decisions(&path, extra);
        assert_eq!(expected.len(), docs.len());
        let held = expected.values().filter(|v| v.is_some()).count();
        assert!(held >= 40, "the feed has many copies ({held})");
        for (batch, threads) in [("1", "1"), ("7", "2"), ("1000", "3")] {
            let out = dupmap()
                .args(["filter", path.to_str().unwrap(), "--annotate", "--batch-size", batch, "--threads", threads])
                .args(extra)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(filter_decisions(&out.stdout), expected, "batch {batch}, threads {threads}, {extra:?}");
        }
    }
}

#[test]
fn admitted_lines_pass_unchanged_and_bad_lines_go_to_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Hamas leader Ismail Haniyeh met Iran's Supreme Leader Ali Khamenei in Tehran on Tuesday, a day after the UN Security Council demanded a ceasefire.";
    let lines = [
        format!(r#"{{"id": "a", "text": {text:?}, "extra": {{"k": [1, 2]}}}}"#),
        "{\"id\": \"broken\", \"text\": ".to_string(),
        format!(r#"{{"text": {:?}, "id": "b"}}"#, format!("BREAKING: {text} Read more.")),
        r#"{"id": "n", "text": 5}"#.to_string(),
        r#"{"id": "c", "text": "Markets rallied on Tuesday as oil prices fell sharply."}"#.to_string(),
        "{}".to_string(),
    ];
    let input = dir.path().join("in.jsonl");
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend_from_slice(b"\n\xff\xfe not utf-8\n");
    std::fs::write(&input, &bytes).unwrap();
    let (dups, rejects) = (dir.path().join("dups.jsonl"), dir.path().join("rejects.txt"));
    let out = dupmap()
        .args(["filter", input.to_str().unwrap(), "--dups", dups.to_str().unwrap()])
        .args(["--rejects", rejects.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "bad lines make exit code 1");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{}\n{}\n", lines[0], lines[4]));
    let held: Value = serde_json::from_str(std::fs::read_to_string(&dups).unwrap().trim()).unwrap();
    assert_eq!(held["id"], "b");
    assert_eq!(held["dupmap"]["status"], "duplicate");
    assert_eq!(held["dupmap"]["duplicate_of"], "a");
    assert_eq!(held["dupmap"]["relation"], "contains");
    assert!(held["dupmap"]["jaccard"].as_f64().unwrap() > 0.8);
    let rejected = std::fs::read(&rejects).unwrap();
    let mut expect = format!("{}\n{}\n{}\n", lines[1], lines[3], lines[5]).into_bytes();
    expect.extend_from_slice(b"\xff\xfe not utf-8\n");
    assert_eq!(rejected, expect, "malformed lines are kept verbatim");
    let err = String::from_utf8(out.stderr).unwrap();
    for (line, reason) in [(2, "invalid JSON"), (4, "not a string"), (6, "missing text field"), (7, "invalid UTF-8")] {
        let at = format!("in.jsonl:{line}: ");
        assert!(err.lines().any(|l| l.contains(&at) && l.contains(reason)), "line {line}: {err}");
    }
}

/// A running `dupmap filter` with piped stdin and stdout.
struct Live {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Live {
    fn start(args: &[&str]) -> Live {
        let mut child = StdCommand::new(bin())
            .arg("filter")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Live { child, lines }
    }

    fn send(&mut self, id: &str, text: &str) {
        let line = serde_json::json!({"id": id, "text": text}).to_string();
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    fn answer(&mut self) -> Value {
        serde_json::from_str(&self.lines.next().expect("an answer").unwrap()).unwrap()
    }
}

#[test]
fn line_buffered_answers_each_line_before_the_next_arrives() {
    let mut w = Words::new(3);
    let story = (0..6).map(|_| w.sentence(12)).collect::<Vec<_>>().join(" ");
    let mut live = Live::start(&["--line-buffered", "--annotate"]);
    // Each answer is read before the next line is written: a filter that waited for
    // more input would block this test.
    live.send("first", &story);
    assert_eq!(live.answer()["dupmap"]["status"], "admitted");
    live.send("again", &story);
    let a = live.answer();
    assert_eq!(a["dupmap"]["duplicate_of"], "first");
    live.send("other", &w.sentence(30));
    assert_eq!(live.answer()["dupmap"]["status"], "admitted");
    drop(live.child.stdin.take());
    assert!(live.child.wait().unwrap().success());
}

#[test]
fn an_index_carries_decisions_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let docs = feed(9, 40);
    let (first, second) = docs.split_at(docs.len() / 2);
    let (all, a, b) = (dir.path().join("all.jsonl"), dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write_jsonl(&all, &docs);
    write_jsonl(&a, first);
    write_jsonl(&b, second);
    let once = dupmap().args(["filter", all.to_str().unwrap(), "--annotate"]).output().unwrap();
    let idx = dir.path().join("feed.idx");
    let run = |input: &Path| {
        let out = dupmap()
            .args(["filter", input.to_str().unwrap(), "--annotate", "--index", idx.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let mut twice = run(&a);
    assert!(idx.exists());
    twice.extend(run(&b));
    assert_eq!(filter_decisions(&twice), filter_decisions(&once.stdout));
    assert!(filter_decisions(&once.stdout).values().filter(|v| v.is_some()).count() > 10);

    // Other signature parameters are refused with a clear message.
    let out = dupmap()
        .args(["filter", b.to_str().unwrap(), "--index", idx.to_str().unwrap(), "--num-perm", "64"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("num_perm 128, not 64"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn index_subcommands_create_query_remove_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(21);
    let stories: Vec<String> = (0..30).map(|_| (0..6).map(|_| w.sentence(12)).collect::<Vec<_>>().join(" ")).collect();
    let corpus: Vec<(String, String)> =
        stories.iter().enumerate().map(|(i, s)| (format!("doc{i}"), s.clone())).collect();
    let (c, q) = (dir.path().join("corpus.jsonl"), dir.path().join("batch.jsonl"));
    write_jsonl(&c, &corpus);
    let batch = vec![
        ("new-1".to_string(), format!("{} {}", stories[4], w.sentence(30))),
        ("new-2".to_string(), w.sentence(40)),
        ("new-3".to_string(), stories[17][..stories[17].len() / 2].to_string()),
    ];
    write_jsonl(&q, &batch);
    let idx = dir.path().join("corpus.idx");
    let idx_s = idx.to_str().unwrap();
    dupmap().args(["index", "create", idx_s, c.to_str().unwrap(), "--estimate"]).assert().success();
    let again = dupmap().args(["index", "create", idx_s, c.to_str().unwrap()]).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "create refuses to overwrite");

    let stats = String::from_utf8(dupmap().args(["index", "stats", idx_s]).output().unwrap().stdout).unwrap();
    assert!(stats.contains("documents:      30"), "{stats}");
    assert!(stats.contains("verification:   estimate"), "{stats}");
    assert!(stats.contains("64 bands x 2 rows"), "{stats}");

    let query = |idx_s: &str| -> Vec<Value> {
        let out = dupmap().args(["index", "query", idx_s, q.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let answers = query(idx_s);
    assert_eq!(answers[0]["duplicate_of"], "doc4");
    assert_eq!(answers[0]["matches"][0]["relation"], "contains");
    assert_eq!(answers[1]["status"], "new");
    assert_eq!(answers[2]["duplicate_of"], "doc17");
    assert_eq!(answers[2]["matches"][0]["relation"], "contained_by");
    // Query adds nothing.
    assert!(String::from_utf8(dupmap().args(["index", "stats", idx_s]).output().unwrap().stdout)
        .unwrap()
        .contains("documents:      30"));

    let out = dupmap().args(["index", "remove", idx_s, "doc4", "no-such-id"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an unknown id is reported");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"no-such-id\" is not in the index"));
    let answers = query(idx_s);
    assert_eq!(answers[0]["status"], "new");
    assert_eq!(answers[2]["duplicate_of"], "doc17");

    dupmap().args(["index", "add", idx_s, q.to_str().unwrap()]).assert().success();
    // Adding to or removing from a missing index is an error naming it, and leaves
    // nothing beside it.
    let missing = dir.path().join("missing.idx");
    for args in
        [vec!["add", missing.to_str().unwrap(), q.to_str().unwrap()], vec!["remove", missing.to_str().unwrap(), "doc4"]]
    {
        let out = dupmap().arg("index").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("missing.idx: no such file"), "{err}");
        assert!(!dir.path().join("missing.idx.lock").exists(), "{args:?} left a lock file");
        assert!(!missing.exists());
    }
    assert!(String::from_utf8(dupmap().args(["index", "stats", idx_s]).output().unwrap().stdout)
        .unwrap()
        .contains("documents:      32"));

    // A damaged file is an error naming it, not a panic.
    let mut bytes = std::fs::read(&idx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xFF;
    std::fs::write(&idx, &bytes).unwrap();
    let out = dupmap().args(["index", "stats", idx_s]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("corpus.idx") && err.contains("damaged"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn window_forgets_old_documents_by_their_time() {
    let mut w = Words::new(4);
    let story = (0..6).map(|_| w.sentence(12)).collect::<Vec<_>>().join(" ");
    let other = (0..6).map(|_| w.sentence(12)).collect::<Vec<_>>().join(" ");
    let lines = [
        serde_json::json!({"id": "a", "text": story, "published_at": "2024-03-01T08:00:00Z"}),
        serde_json::json!({"id": "b", "text": other, "published_at": "2024-03-04T07:00:00+01:00"}),
        serde_json::json!({"id": "a-copy", "text": story, "published_at": 1_709_600_000}),
        serde_json::json!({"id": "b-copy", "text": other, "published_at": "1709600000"}),
        serde_json::json!({"id": "no-time", "text": other}),
    ];
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let out = dupmap()
        .args(["filter", "--annotate", "--time-field", "published_at", "--window", "72h"])
        .write_stdin(input)
        .output()
        .unwrap();
    let d = filter_decisions(&out.stdout);
    // a (Mar 1, 08:00) is more than 72 h before b (Mar 4, 06:00 UTC): forgotten.
    assert_eq!(d["a-copy"], None);
    assert_eq!(d["b-copy"], Some("b".to_string()));
    assert!(!d.contains_key("no-time"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:5: missing time field \"published_at\""));
}

fn pid_signal(child: &Child, signal: &str) {
    let status = StdCommand::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[test]
fn sigterm_saves_the_index_before_exiting() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("live.idx");
    let mut w = Words::new(8);
    let mut live = Live::start(&["--line-buffered", "--index", idx.to_str().unwrap()]);
    for i in 0..5 {
        live.send(&format!("d{i}"), &w.sentence(30));
        live.answer();
    }
    assert!(!idx.exists(), "no checkpoint was asked for");
    // Child::wait closes stdin first: keep it open, so that the exit is the signal's doing.
    let stdin = live.child.stdin.take();
    pid_signal(&live.child, "-TERM");
    let status = live.child.wait().unwrap();
    drop(stdin);
    let mut err = String::new();
    std::io::Read::read_to_string(live.child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(128 + 15), "{err}");
    let stats =
        String::from_utf8(dupmap().args(["index", "stats", idx.to_str().unwrap()]).output().unwrap().stdout).unwrap();
    assert!(stats.contains("documents:      5"), "{stats}");
}

#[test]
fn a_second_writer_is_refused_while_a_filter_holds_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("shared.idx");
    let idx_s = idx.to_str().unwrap().to_string();
    let mut w = Words::new(21);
    let mut live = Live::start(&["--line-buffered", "--index", &idx_s]);
    live.send("kept", &w.sentence(30));
    live.answer();
    let more = dir.path().join("more.jsonl");
    write_jsonl(&more, &[("other".to_string(), w.sentence(30))]);
    // While the filter runs, other writers are refused, with an error naming the index.
    for args in [
        vec!["index", "add", &idx_s, more.to_str().unwrap()],
        vec!["index", "remove", &idx_s, "kept"],
        vec!["filter", "--index", &idx_s, more.to_str().unwrap()],
    ] {
        let out = dupmap().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("another dupmap process") && err.contains("shared.idx"), "{args:?}: {err}");
    }
    // The filter's own work is intact: it saves at the end, then the others may write.
    drop(live.child.stdin.take());
    assert!(live.child.wait().unwrap().success());
    dupmap().args(["index", "add", &idx_s, more.to_str().unwrap()]).assert().success();
    let stats = String::from_utf8(dupmap().args(["index", "stats", &idx_s]).output().unwrap().stdout).unwrap();
    assert!(stats.contains("documents:      2"), "{stats}");
}

#[test]
fn kill_9_at_any_moment_leaves_a_loadable_index() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("crash.idx");
    let idx_s = idx.to_str().unwrap().to_string();
    // A few thousand documents, so that each save takes a while.
    let mut w = Words::new(77);
    let base: Vec<(String, String)> = (0..3000).map(|i| (format!("base{i}"), w.sentence(60))).collect();
    let base_path = dir.path().join("base.jsonl");
    write_jsonl(&base_path, &base);
    dupmap().args(["index", "create", &idx_s, base_path.to_str().unwrap()]).assert().success();
    let mut known = 3000;
    // Kill after a growing number of answers: the kill lands at different points of the
    // saves that follow every document.
    for (round, answers) in [1usize, 2, 3, 5, 8, 13].into_iter().enumerate() {
        let mut live = Live::start(&["--line-buffered", "--index", &idx_s, "--checkpoint-every", "1"]);
        for i in 0..answers {
            live.send(&format!("r{round}-{i}"), &w.sentence(60));
            live.answer();
        }
        live.send(&format!("r{round}-last"), &w.sentence(60));
        pid_signal(&live.child, "-KILL");
        live.child.wait().unwrap();
        let out = dupmap().args(["index", "stats", &idx_s]).output().unwrap();
        assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        let stats = String::from_utf8(out.stdout).unwrap();
        let docs: usize = stats
            .lines()
            .find_map(|l| l.strip_prefix("documents:"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        // A checkpoint follows every decision (after its answer is written): the kill
        // finds the last answered document's save done or not, and the next one's too.
        assert!((known + answers - 1..=known + answers + 1).contains(&docs), "round {round}: {docs} documents");
        known = docs;
    }
}

#[test]
fn a_closed_stdout_ends_quietly_after_saving_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let mut w = Words::new(12);
    let docs: Vec<(String, String)> = (0..5000).map(|i| (format!("d{i}"), w.sentence(20))).collect();
    write_jsonl(&path, &docs);
    let idx = dir.path().join("pipe.idx");
    let script = format!(
        "'{}' filter '{}' --index '{}' | head -n 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
        bin().display(),
        path.display(),
        idx.display()
    );
    let out = StdCommand::new("bash").args(["-c", &script]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0", "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Broken pipe"));
    assert!(dupmap().args(["index", "stats", idx.to_str().unwrap()]).output().unwrap().status.success());
}

#[test]
fn an_index_created_from_a_corpus_leaves_its_boilerplate_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(31);
    let footer = (0..4).map(|_| w.sentence(14)).collect::<Vec<_>>().join("\n");
    // Short stories under a site footer longer than each of them.
    let corpus: Vec<(String, String)> =
        (0..30).map(|i| (format!("site-{i}"), format!("{}\n{footer}", w.sentence(25)))).collect();
    let c = dir.path().join("site.jsonl");
    write_jsonl(&c, &corpus);
    let batch = dir.path().join("new.jsonl");
    write_jsonl(&batch, &[("fresh".to_string(), format!("{}\n{footer}", w.sentence(25)))]);
    let status = |idx: &Path| -> Value {
        let out = dupmap().args(["index", "query", idx.to_str().unwrap(), batch.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let with = dir.path().join("with.idx");
    dupmap().args(["index", "create", with.to_str().unwrap(), c.to_str().unwrap()]).assert().success();
    let stats =
        String::from_utf8(dupmap().args(["index", "stats", with.to_str().unwrap()]).output().unwrap().stdout).unwrap();
    assert!(stats.contains("boilerplate:    4 segments (in 20 or more documents"), "{stats}");
    assert_eq!(status(&with)["status"], "new", "a new story under the same footer is not a copy");

    let without = dir.path().join("without.idx");
    dupmap()
        .args(["index", "create", without.to_str().unwrap(), c.to_str().unwrap(), "--boilerplate-docs", "0"])
        .assert()
        .success();
    assert_eq!(status(&without)["status"], "duplicate", "without boilerplate the footer makes it a copy");

    // The filter compares with the index's boilerplate too, and keeps it across saves.
    let out = dupmap()
        .args(["filter", batch.to_str().unwrap(), "--annotate", "--index", with.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(filter_decisions(&out.stdout)["fresh"], None);
    let stats =
        String::from_utf8(dupmap().args(["index", "stats", with.to_str().unwrap()]).output().unwrap().stdout).unwrap();
    assert!(stats.contains("documents:      31") && stats.contains("4 segments"), "{stats}");
}
