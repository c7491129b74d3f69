//! Text that recurs across many documents must not make different stories duplicates,
//! and a story carried by many outlets must still cluster.

mod common;

use common::*;

#[test]
fn shared_footer_does_not_make_short_stories_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(21);
    let footer = (0..10).map(|_| w.sentence(15)).collect::<Vec<_>>().join("\n");
    let docs: Vec<(String, String)> =
        (0..30).map(|i| (format!("brief{i}"), format!("{}\n{}\n{footer}", w.sentence(18), w.sentence(18)))).collect();
    let feed = dir.path().join("feed.jsonl");
    write_jsonl(&feed, &docs);

    // Without boilerplate detection the footer (150 of 186 words) glues them together...
    let naive = scan_json(&[feed.to_str().unwrap(), "--boilerplate-docs", "0"]);
    assert!(!clusters(&naive).is_empty(), "the test corpus must be able to fool a naive scan");
    // ...with it, nothing is a duplicate.
    let report = scan_json(&[feed.to_str().unwrap()]);
    assert!(clusters(&report).is_empty(), "{:?}", clusters(&report));
}

#[test]
fn widely_syndicated_story_still_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(22);
    let story = (0..10).map(|_| w.sentence(18)).collect::<Vec<_>>().join("\n");
    let footer = (0..3).map(|_| w.sentence(12)).collect::<Vec<_>>().join("\n");
    let mut docs: Vec<(String, String)> =
        (0..20).map(|i| (format!("outlet{i}"), format!("{}\n{story}\n{footer}", w.sentence(8)))).collect();
    // Unrelated stories from the same site, same footer.
    docs.extend((0..20).map(|i| {
        (format!("other{i}"), format!("{}\n{footer}", (0..4).map(|_| w.sentence(18)).collect::<Vec<_>>().join("\n")))
    }));
    let feed = dir.path().join("feed.jsonl");
    write_jsonl(&feed, &docs);
    let report = scan_json(&[feed.to_str().unwrap()]);
    let c = clusters(&report);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].len(), 20);
    assert!(c[0].iter().all(|m| m.starts_with("outlet")));
}
