//! `dupmap compare A B`: both texts with their shared passages marked, the figures, and
//! errors for unreadable input.

mod common;

use common::*;
use predicates::prelude::*;

const SHARED: &str =
    "Officials said the new bridge over the river will open to traffic next spring after three years of work.";

fn two_files(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, String, String) {
    let a = format!("The weather in the valley was calm on Monday morning.\n{SHARED}\nLocal shops reported strong sales of umbrellas and boots.\n");
    let b = format!("Sports results dominated the evening news across the region.\n{SHARED}\nThe mayor declined to comment on the budget.\n");
    let (pa, pb) = (dir.join("a.txt"), dir.join("b.txt"));
    std::fs::write(&pa, &a).unwrap();
    std::fs::write(&pb, &b).unwrap();
    (pa, pb, a, b)
}

#[test]
fn plain_output_marks_the_shared_sentence_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb, a, b) = two_files(dir.path());
    let out = dupmap().args(["compare", pa.to_str().unwrap(), pb.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\x1b'), "colour when stdout is not a terminal");

    // Both texts, in order, each with passage 1 around the shared sentence.
    let marked = format!("[1>{SHARED}<1]");
    assert_eq!(stdout.matches(&marked).count(), 2, "{stdout}");
    let (ia, ib) = (stdout.find("== A: ").unwrap(), stdout.find("== B: ").unwrap());
    assert!(ia < ib);
    let unmarked = stdout.replace("[1>", "").replace("<1]", "");
    assert!(unmarked.contains(&a) && unmarked.contains(&b), "{unmarked}");
    assert!(stdout.contains(pa.to_str().unwrap()) && stdout.contains(pb.to_str().unwrap()));

    // The figures.
    for line in [
        "jaccard ",
        "containment ",
        "of A found in B",
        "of B found in A",
        "relation ",
        "coverage ",
        "of A in shared passages",
        "of B in shared passages",
        "derived ",
        "passages     1",
    ] {
        assert!(stdout.contains(line), "{line:?} missing:\n{stdout}");
    }
    let (sa, sb) = (a.find(SHARED).unwrap(), b.find(SHARED).unwrap());
    let listed = format!("A {}..{}  B {}..{}", sa, sa + SHARED.len(), sb, sb + SHARED.len());
    let line = stdout.lines().find(|l| l.trim_start().starts_with("1  ")).expect("passage line");
    assert!(line.contains("verbatim") && line.contains("score 1.0000") && line.contains(&listed), "{line}");
}

#[test]
fn colour_always_uses_ansi_and_never_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb, _, _) = two_files(dir.path());
    let (pa, pb) = (pa.to_str().unwrap(), pb.to_str().unwrap());
    dupmap()
        .args(["compare", pa, pb, "--color", "always"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[").and(predicate::str::contains("[1>").not()));
    dupmap()
        .args(["compare", pa, pb, "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[").not().and(predicate::str::contains("[1>")));
}

#[test]
fn unrelated_files_have_no_passages() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(3);
    let (pa, pb) = (dir.path().join("x.txt"), dir.path().join("y.txt"));
    std::fs::write(&pa, w.sentence(30)).unwrap();
    std::fs::write(&pb, w.sentence(30)).unwrap();
    dupmap()
        .args(["compare", pa.to_str().unwrap(), pb.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("passages     0").and(predicate::str::contains("relation     none")));
}

#[test]
fn missing_and_invalid_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (pa, _, _, _) = two_files(dir.path());
    let missing = dir.path().join("missing.txt");
    dupmap()
        .args(["compare", pa.to_str().unwrap(), missing.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("dupmap: {}: no such file or directory\n", missing.display()));

    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"caf\xe9 au lait").unwrap();
    dupmap()
        .args(["compare", bad.to_str().unwrap(), pa.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(format!("dupmap: {}: invalid UTF-8 at byte 3\n", bad.display()));
}
