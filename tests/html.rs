//! `dupmap scan --format html`: the self-contained page, its offsets, its escaping, and
//! (when Chromium is installed) that it renders and its script runs.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs `dupmap scan ARGS --format html` and returns the page.
fn scan_html(args: &[&str]) -> String {
    let out = dupmap().arg("scan").args(args).args(["--format", "html"]).output().unwrap();
    assert!(out.status.code().unwrap() <= 1, "dupmap failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 page")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The value of attribute `name` in the tag text `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The inner HTML of document `d`'s text block.
fn text_block(page: &str, d: usize) -> &str {
    let open = format!("<div class=\"text\" id=\"t{d}\">");
    let start = page.find(&open).unwrap_or_else(|| panic!("no text block for document {d}")) + open.len();
    &page[start..start + page[start..].find("</div>").unwrap()]
}

/// The highlighted pieces of a text block: (data-b, data-e, text).
fn pieces(block: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(i) = rest.find("<mark ") {
        let tag_end = i + rest[i..].find('>').unwrap();
        let tag = &rest[i..tag_end];
        let close = tag_end + rest[tag_end..].find("</mark>").unwrap();
        let b = attr(tag, "data-b").unwrap().parse().unwrap();
        let e = attr(tag, "data-e").unwrap().parse().unwrap();
        out.push((b, e, unescape(&rest[tag_end + 1..close])));
        rest = &rest[close..];
    }
    out
}

/// A text block with its markup removed: the document's text as a reader sees it.
fn plain_text(block: &str) -> String {
    let mut out = String::new();
    let mut rest = block;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = i + rest[i..].find('>').unwrap();
        // A cluster tag's number is not document text.
        if rest[i..].starts_with("<sup") {
            rest = &rest[end + rest[end..].find("</sup>").unwrap() + "</sup>".len()..];
        } else {
            rest = &rest[end + 1..];
        }
    }
    out.push_str(rest);
    unescape(&out)
}

/// The JSON data embedded for the script.
fn script_data(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"dupmap-data\">";
    let start = page.find(open).expect("data script") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("valid JSON data")
}

#[test]
fn seeds_page_shows_documents_and_passages_at_their_offsets() {
    let seeds = seeds_dir();
    let seeds = seeds.to_str().unwrap();
    let report = scan_json(&[seeds]);
    let page = scan_html(&[seeds]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));

    let docs = report["documents"].as_array().unwrap();
    for d in docs {
        assert!(page.contains(d["id"].as_str().unwrap()), "{} missing", d["id"]);
    }
    // Self-contained: nothing is fetched.
    for needle in ["http://", "https://", " src=", "url(", "@import", "<link", "//fonts"] {
        assert!(!page.contains(needle), "page references {needle:?}");
    }
    assert!(page.contains("<mark class=\"p "), "no passage highlight");
    assert!(page.contains("type=\"checkbox\" class=\"kind\" value=\"reworded\""));

    let texts: Vec<String> = docs
        .iter()
        .map(|d| std::fs::read_to_string(Path::new(seeds).join(d["id"].as_str().unwrap())).unwrap())
        .collect();
    let index = |id: &str| docs.iter().position(|d| d["id"] == id).unwrap();

    // Every shown document's full text is on the page, unchanged.
    for (d, text) in texts.iter().enumerate() {
        if page.contains(&format!("id=\"t{d}\"")) {
            assert_eq!(&plain_text(text_block(&page, d)), text, "text of document {d}");
        }
    }
    // Every passage side is highlighted, and its pieces spell the slice of the original.
    let mut checked = 0;
    for pair in report["pairs"].as_array().unwrap() {
        for p in pair["passages"].as_array().unwrap() {
            for (side, s, e) in [("a", "a_start", "a_end"), ("b", "b_start", "b_end")] {
                let d = index(pair[side].as_str().unwrap());
                let (s, e) = (p[s].as_u64().unwrap() as usize, p[e].as_u64().unwrap() as usize);
                let shown: String = pieces(text_block(&page, d))
                    .into_iter()
                    .filter(|&(b, x, _)| b >= s && x <= e)
                    .map(|(_, _, t)| t)
                    .collect();
                assert_eq!(shown, texts[d][s..e], "passage {s}..{e} of document {d}");
                assert!(page.contains(&format!("id=\"s{d}-{s}\"")), "no anchor at {s} in document {d}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "the seeds share passages");
    // Passage clusters get palette colours.
    let clusters = report["passage_clusters"].as_array().unwrap();
    assert!(!clusters.is_empty());
    assert!(page.contains("class=\"p c0 "));

    let data = script_data(&page);
    assert_eq!(data["docs"].as_array().unwrap().len(), docs.len());
    assert_eq!(data["clusters"].as_array().unwrap().len(), clusters.len());
}

#[test]
fn document_text_and_ids_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Words::new(7);
    let body: Vec<String> = (0..6).map(|_| w.sentence(16)).collect();
    let hostile = format!(
        "{}\n<script>alert(1)</script> and a stray </script> tag, \"quotes\" & 'apostrophes'.\n{}",
        body[..3].join("\n"),
        body[3..].join("\n")
    );
    let docs = vec![
        ("<b id=\"x\">evil</b>".to_string(), hostile.clone()),
        ("copy".to_string(), hostile),
        ("other".to_string(), (0..6).map(|_| w.sentence(16)).collect::<Vec<_>>().join("\n")),
    ];
    let feed = dir.path().join("feed.jsonl");
    write_jsonl(&feed, &docs);
    let page = scan_html(&[feed.to_str().unwrap()]);

    assert!(!page.contains("<script>alert(1)"), "raw script from a document");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("stray &lt;/script&gt; tag, &quot;quotes&quot; &amp; &#39;apostrophes&#39;."));
    assert!(!page.contains("<b id=\"x\">"), "raw id");
    assert!(page.contains("&lt;b id=&quot;x&quot;&gt;evil&lt;/b&gt;"));
    // Only the page's own two scripts close.
    assert_eq!(page.matches("</script>").count(), 2);
    assert_eq!(page.matches("<script").count(), 2);
    // The embedded data still holds the ids as they are.
    let data = script_data(&page);
    assert_eq!(data["docs"][0], "<b id=\"x\">evil</b>");
    // The copy shares passages with the original, so both texts are highlighted.
    assert!(text_block(&page, 0).contains("<mark class=\"p "));
    assert_eq!(plain_text(text_block(&page, 1)), docs[1].1);
}

fn chromium() -> Option<&'static str> {
    let path = "/usr/bin/chromium";
    if Path::new(path).exists() {
        Some(path)
    } else {
        println!("skipped: {path} not found (.ci/run installs it)");
        None
    }
}

/// Runs headless Chromium with `args` and a fresh profile; returns stdout.
fn run_chromium(chromium: &str, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_renders_the_seeds_page_and_runs_its_script() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("seeds.html");
    dupmap()
        .args(["scan", seeds_dir().to_str().unwrap(), "--format", "html", "-o", html.to_str().unwrap()])
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    let url = format!("file://{}", html.display());

    let shot = dir.path().join("shot.png");
    run_chromium(
        chromium,
        &dir.path().join("profile-shot"),
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,2000".into(), url.clone()],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 10 * 1024, "screenshot of {} bytes looks blank", png.len());

    // The script marks the page once it has wired everything up.
    assert!(!page.contains("data-dupmap-ready"));
    let dom = run_chromium(chromium, &dir.path().join("profile-dom"), &["--dump-dom".into(), url.clone()]);
    let ready = dom.find("data-dupmap-ready=\"").expect("the script ran to its end");
    let n: usize = dom[ready + 19..].split('"').next().unwrap().parse().unwrap();
    assert_eq!(n, page.matches("<mark class=\"p ").count(), "pieces wired up");

    // A fragment naming a highlighted piece selects it: the panel opens with its
    // occurrences side by side.
    let first = &page[page.find("<mark class=\"p ").unwrap()..];
    let id = attr(&first[..first.find('>').unwrap()], "id").unwrap();
    let dom = run_chromium(chromium, &dir.path().join("profile-sel"), &["--dump-dom".into(), format!("{url}#{id}")]);
    let panel = &dom[dom.find("<aside id=\"panel\"").expect("panel")..];
    let panel_tag = &panel[..panel.find('>').unwrap()];
    assert!(!panel_tag.contains("hidden"), "panel still hidden: {panel_tag}");
    assert!(panel.contains("class=\"card this\""));
    assert!(panel.matches("class=\"card\"").count() >= 1, "no other occurrence shown");
    assert!(dom.contains("class=\"p ") && dom.contains(" sel"), "selection not marked");
}
