//! The passage overlap map on the bundled seed articles: five outlets on one event,
//! sharing a quote in three wordings, with repeats inside documents and site boilerplate.

mod common;

use common::*;
use serde_json::Value;

const Q000: &str = "000_fc334fc79f7154fc.txt";
const Q001: &str = "001_a850138979b97670.txt";
const Q003: &str = "003_1fa5bd459ff21ffa.txt";
const Q004: &str = "004_408b81a06b3b0292.txt";

fn seeds_report() -> Value {
    scan_json(&[seeds_dir().to_str().unwrap()])
}

fn text(id: &str) -> Vec<u8> {
    std::fs::read(seeds_dir().join(id)).unwrap()
}

fn slice(id: &str, start: &Value, end: &Value) -> String {
    let t = text(id);
    String::from_utf8(t[start.as_u64().unwrap() as usize..end.as_u64().unwrap() as usize].to_vec())
        .expect("spans lie on UTF-8 boundaries")
}

fn self_pair<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == id && p["b"] == id)
        .unwrap_or_else(|| panic!("no self pair for {id}"))
}

#[test]
fn every_span_slices_the_original_text() {
    let report = seeds_report();
    let mut seen = 0;
    for p in report["pairs"].as_array().unwrap() {
        for s in p["passages"].as_array().unwrap() {
            let a = slice(p["a"].as_str().unwrap(), &s["a_start"], &s["a_end"]);
            let b = slice(p["b"].as_str().unwrap(), &s["b_start"], &s["b_end"]);
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_eq!(a.trim(), a, "passages start and end on text, not space");
            if s["kind"] == "verbatim" {
                let words = |x: &str| {
                    x.split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                };
                assert_eq!(words(&a), words(&b), "verbatim passage differs: {a:?} vs {b:?}");
            }
            seen += 1;
        }
    }
    for c in report["passage_clusters"].as_array().unwrap() {
        for o in c["passages"].as_array().unwrap() {
            slice(o["doc"].as_str().unwrap(), &o["start"], &o["end"]);
        }
    }
    assert!(seen >= 5);
}

#[test]
fn three_renderings_of_the_khamenei_quote_are_one_cluster() {
    let report = seeds_report();
    let clusters = report["passage_clusters"].as_array().unwrap();
    let quote = clusters
        .iter()
        .find(|c| c["passages"].as_array().unwrap().iter().any(|o| o["doc"] == Q001))
        .expect("a cluster with 001's quote");
    let docs: Vec<&str> = quote["passages"].as_array().unwrap().iter().map(|o| o["doc"].as_str().unwrap()).collect();
    assert_eq!(docs, [Q000, Q001, Q004], "{quote:#}");
    assert_eq!(quote["kind"], "reworded");
    for o in quote["passages"].as_array().unwrap() {
        let t = slice(o["doc"].as_str().unwrap(), &o["start"], &o["end"]);
        assert!(t.contains("Islamic Republic of Iran"), "{t:?}");
        assert!(t.len() < 400, "the occurrence is the quote, not its paragraph: {t:?}");
    }
}

#[test]
fn a_sentence_repeated_inside_003_is_found() {
    let report = seeds_report();
    let pair = self_pair(&report, Q003);
    assert_eq!(pair["relation"], "self");
    let found = pair["passages"].as_array().unwrap().iter().any(|s| {
        let a = slice(Q003, &s["a_start"], &s["a_end"]);
        let b = slice(Q003, &s["b_start"], &s["b_end"]);
        let needle = "The head of the Palestinian resistance expressed that the truth about US positions";
        a.contains(needle) && b.contains(needle) && s["a_end"].as_u64() <= s["b_start"].as_u64()
    });
    assert!(found, "{pair:#}");
}

#[test]
fn the_repeated_photo_captions_of_004_are_found() {
    let report = seeds_report();
    let pair = self_pair(&report, Q004);
    let captions: Vec<(String, String)> = pair["passages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "verbatim")
        .map(|s| (slice(Q004, &s["a_start"], &s["a_end"]), slice(Q004, &s["b_start"], &s["b_end"])))
        .filter(|(a, _)| a.contains("2024"))
        .collect();
    assert_eq!(captions.len(), 3, "{captions:#?}");
    for (a, b) in &captions {
        assert_eq!(a, b);
    }
}

#[test]
fn the_comment_form_of_001_is_linked_to_nothing() {
    let report = seeds_report();
    let t = text(Q001);
    let form_start = t.windows(14).position(|w| w == b"Leave a Reply\n").expect("001 has its comment form") as u64;
    for p in report["pairs"].as_array().unwrap() {
        for s in p["passages"].as_array().unwrap() {
            for (side, start, end) in [("a", "a_start", "a_end"), ("b", "b_start", "b_end")] {
                if p[side] == Q001 {
                    assert!(
                        s[end].as_u64().unwrap() <= form_start,
                        "passage reaches into the comment form: {s} {}",
                        s[start]
                    );
                }
            }
        }
    }
}

#[test]
fn no_passages_flag_gives_the_document_level_scan() {
    let report = scan_json(&[seeds_dir().to_str().unwrap(), "--no-passages"]);
    assert!(report.get("passage_clusters").is_none());
    assert!(report["pairs"].as_array().unwrap().iter().all(|p| p.get("passages").is_none()));
}

/// The passage of the 000–004 pair whose side in 000 holds `in_000`, as (000's text,
/// 004's text).
fn rewrite_link(pair: &Value, in_000: &str) -> Option<(String, String)> {
    pair["passages"].as_array().unwrap().iter().find_map(|s| {
        let a = slice(Q000, &s["a_start"], &s["a_end"]);
        a.contains(in_000).then(|| (a, slice(Q004, &s["b_start"], &s["b_end"])))
    })
}

#[test]
fn the_main_statements_of_000_are_linked_to_their_source_sentences_in_004() {
    // 000 rewrites 004 in its own words, in 004's order: the matcher alone links only the
    // Khamenei quote; the others hang on the order of the rewrite.
    let report = seeds_report();
    let pair = report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == Q000 && p["b"] == Q004)
        .expect("000 and 004 are a pair");
    let statements = [
        // The meeting.
        (
            "During a prominent visit to Tehran, Hamas leader Ismail Haniyeh met with Iran\u{2019}s Supreme Leader, Ali Khamenei",
            "Hamas leader Ismail Haniyeh during his visit to Tehran met with Iran's Supreme Leader Ali Khamenei",
        ),
        // The quote.
        (
            "The Islamic Republic of Iran firmly stands behind the Palestinian cause",
            "The Islamic Republic of Iran will not hesitate in supporting the cause of Palestine",
        ),
        // The Security Council resolution.
        (
            "prompted by a United Nations Security Council resolution calling for an immediate halt to hostilities",
            "the UN Security Council resolution demanding an immediate ceasefire",
        ),
        // The second visit since the war began.
        ("Haniyeh\u{2019}s visit signifies his second trip to Iran following the conflict with Israel", "This is Haniyeh's second visit to Iran since Hamas invaded Israel"),
        // The press conference: a new phase of the war, the "Al-Aqsa Storm".
        (
            "Haniyeh highlighted Hamas\u{2019}s progression into a fresh stage of conflict with Israel",
            "with the Al-Aqsa Storm being the turning point,\u{201D} he said during his joint press conference with Foreign Minister Hossein Amir-Abdollahian",
        ),
    ];
    for (in_000, in_004) in statements {
        let (a, b) = rewrite_link(pair, in_000).unwrap_or_else(|| panic!("{in_000:?} is not linked: {pair:#}"));
        assert!(b.contains(in_004), "{in_000:?} is linked to {b:?}, not to {in_004:?}");
        // Sentence-sized links, not a paragraph swallowing the article.
        assert!(a.len() < 600 && b.len() < 600, "{a:?} / {b:?}");
    }
    // 000's commentary has no counterpart in 004 and stays unlinked.
    assert!(rewrite_link(pair, "This language showcases Hamas\u{2019}s commitment").is_none(), "{pair:#}");
    assert_eq!(pair["derived"], "a", "000 is the rewrite: {pair:#}");
    // The rewrite is 000's alone: the other outlets' stories are not linked to 000 by it.
    for p in report["pairs"].as_array().unwrap() {
        if p["a"] == Q000 && p["b"] != Q004 {
            for s in p["passages"].as_array().unwrap() {
                assert!(slice(Q000, &s["a_start"], &s["a_end"]).contains("Islamic Republic of Iran"), "{p:#}");
            }
        }
    }
}
