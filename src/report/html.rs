//! The HTML map: one self-contained page (inline CSS and JS, no network, no external
//! fonts) showing what overlaps with what.
//!
//! The page holds:
//! - a header with the summary counts and the parameters;
//! - the duplicate clusters, each member with its relation and figures against the
//!   representative, and the verified pairs;
//! - the passage clusters, one colour each (a palette of [`PALETTE_SIZE`] colours,
//!   cycling), a swatch and the start of the passage's text;
//! - every document that has a shared passage or is in a duplicate cluster, with its full
//!   text and every shared passage highlighted in the colour of its passage cluster (a
//!   neutral grey for passages in no cluster). The underline tells the kind: solid
//!   verbatim, dashed near-verbatim, dotted reworded.
//!
//! Overlapping passages are handled by cutting the text at every passage boundary: each
//! piece (a `<mark class="p">` with its byte range in `data-b`/`data-e` and the passages
//! covering it in `data-m`) takes the colour of the innermost passage that is in a
//! cluster. Clicking a piece opens a panel showing the passage and each of its other
//! occurrences side by side (document, kind, score, bytes, text), with links that scroll to
//! them; a `#s{doc}-{byte}` fragment in the address selects a piece on load. Checkboxes
//! hide the highlights of a kind.
//!
//! Every piece of document text and every id goes through [`escape_html`], the one
//! escaping function, in text and in attributes alike. What the script needs (ids,
//! passages, clusters) is embedded as JSON in a `<script type="application/json">` with
//! `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, so that no document can close
//! the script element. The script reads passage texts back from the highlighted pieces,
//! so no text is embedded twice.
//!
//! Byte offsets slice the original texts. An offset outside its text or off a UTF-8
//! character boundary (which the library never reports) drops the passage from the page,
//! with a note; it never panics.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::Report;
use crate::input::Document;
use crate::passage::{PassageKind, Side};
use crate::verify::Relation;

/// Number of distinct passage-cluster colours; cluster `n` gets colour `n % PALETTE_SIZE`.
pub const PALETTE_SIZE: usize = 12;

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and quoted attribute values. All
/// document text and ids written to the page pass through here.
pub fn escape_html(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + s.len() / 8 + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON for a `<script type="application/json">` element: `<`, `>` and `&` (which JSON
/// only holds inside strings) become `\u` escapes, so `</script>` cannot occur.
fn script_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// One side of a shared passage, placed in a document.
struct Mark {
    doc: usize,
    start: usize,
    end: usize,
    kind: PassageKind,
    score: f64,
    /// The mark on the pair's other side.
    other: usize,
    /// Position in `report.passage_clusters` of the cluster holding this occurrence.
    cluster: Option<usize>,
}

/// A passage cluster, with the occurrences whose offsets are valid.
struct ClusterView {
    id: usize,
    kind: PassageKind,
    occurrences: Vec<(usize, usize, usize)>,
}

/// Everything the page shows, with offsets checked.
struct Page<'a> {
    report: &'a Report,
    /// Position of each document id in `report.documents`.
    position: ahash::AHashMap<&'a str, usize>,
    /// Text of each report document (by position), when it was given.
    texts: Vec<Option<&'a str>>,
    marks: Vec<Mark>,
    clusters: Vec<ClusterView>,
    /// Marks by document.
    by_doc: Vec<Vec<usize>>,
    /// Documents shown in full.
    shown: Vec<bool>,
    /// Documents in duplicate clusters: (cluster id, representative position).
    duplicate_of: Vec<Option<(usize, usize)>>,
    /// Passage sides or cluster occurrences dropped for bad offsets or unknown documents.
    dropped: usize,
}

/// The slice `start..end` of `text`, if it is a valid non-empty range on char boundaries.
fn checked_range(text: &str, start: u32, end: u32) -> Option<(usize, usize)> {
    let (s, e) = (start as usize, end as usize);
    (s < e && text.get(s..e).is_some()).then_some((s, e))
}

impl<'a> Page<'a> {
    fn new(report: &'a Report, documents: &'a [Document]) -> Page<'a> {
        let mut position: ahash::AHashMap<&str, usize> = ahash::AHashMap::with_capacity(report.documents.len());
        for (i, d) in report.documents.iter().enumerate() {
            position.entry(d.id.as_str()).or_insert(i);
        }
        let mut texts: Vec<Option<&str>> = vec![None; report.documents.len()];
        for d in documents {
            if let Some(&i) = position.get(d.id.as_str()) {
                texts[i].get_or_insert(d.text.as_str());
            }
        }
        let place = |id: &str, start: u32, end: u32| -> Option<(usize, usize, usize)> {
            let d = *position.get(id)?;
            let (s, e) = checked_range(texts[d]?, start, end)?;
            Some((d, s, e))
        };
        let mut dropped = 0;

        let mut clusters = Vec::new();
        for c in report.passage_clusters.iter().flatten() {
            let mut occurrences = Vec::with_capacity(c.passages.len());
            for o in &c.passages {
                match place(&o.doc, o.start, o.end) {
                    Some(x) => occurrences.push(x),
                    None => dropped += 1,
                }
            }
            clusters.push(ClusterView { id: c.id, kind: c.kind, occurrences });
        }
        // Occurrences by document, to find the cluster of each passage side.
        let mut occ_by_doc: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); report.documents.len()];
        for (ci, c) in clusters.iter().enumerate() {
            for &(d, s, e) in &c.occurrences {
                occ_by_doc[d].push((s, e, ci));
            }
        }
        let cluster_of = |d: usize, s: usize, e: usize| -> Option<usize> {
            occ_by_doc[d].iter().filter(|o| o.0 <= s && e <= o.1).min_by_key(|o| (o.1 - o.0, o.2)).map(|o| o.2)
        };

        let mut marks = Vec::new();
        for p in &report.pairs {
            for x in p.passages.iter().flatten() {
                let (Some(a), Some(b)) = (place(&p.a, x.a_start, x.a_end), place(&p.b, x.b_start, x.b_end)) else {
                    dropped += 2;
                    continue;
                };
                let n = marks.len();
                for (side, other) in [(a, n + 1), (b, n)] {
                    marks.push(Mark {
                        doc: side.0,
                        start: side.1,
                        end: side.2,
                        kind: x.kind,
                        score: x.score,
                        other,
                        cluster: cluster_of(side.0, side.1, side.2),
                    });
                }
            }
        }
        let mut by_doc = vec![Vec::new(); report.documents.len()];
        for (i, m) in marks.iter().enumerate() {
            by_doc[m.doc].push(i);
        }
        for v in &mut by_doc {
            v.sort_by_key(|&m| (marks[m].start, marks[m].end, m));
        }
        let mut duplicate_of = vec![None; report.documents.len()];
        for c in &report.duplicate_clusters {
            let Some(&rep) = position.get(c.representative.as_str()) else { continue };
            for m in &c.members {
                if let Some(&d) = position.get(m.as_str()) {
                    duplicate_of[d] = Some((c.id, rep));
                }
            }
        }
        let shown = (0..report.documents.len())
            .map(|d| !by_doc[d].is_empty() || !occ_by_doc[d].is_empty() || duplicate_of[d].is_some())
            .collect();
        Page { report, position, texts, marks, clusters, by_doc, shown, duplicate_of, dropped }
    }

    fn id(&self, d: usize) -> &str {
        &self.report.documents[d].id
    }

    /// The colour class of a cluster (by position).
    fn colour(&self, cluster: Option<usize>) -> String {
        match cluster {
            Some(c) => format!("c{}", self.clusters[c].id % PALETTE_SIZE),
            None => "cn".to_string(),
        }
    }

    /// The data the script needs.
    fn script_data(&self) -> serde_json::Value {
        use serde_json::json;
        json!({
            "docs": self.report.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            "marks": self.marks.iter().map(|m| json!({
                "d": m.doc, "s": m.start, "e": m.end, "k": m.kind.as_str(), "sc": m.score,
                "o": m.other, "c": m.cluster,
            })).collect::<Vec<_>>(),
            "clusters": self.clusters.iter().map(|c| json!({
                "id": c.id, "kind": c.kind.as_str(), "colour": c.id % PALETTE_SIZE,
                "occ": c.occurrences,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Writes the report and the documents' texts as one self-contained HTML page.
///
/// `documents` are matched to the report's documents by id; a document whose text is
/// not given is listed without its text.
pub fn write_html(report: &Report, documents: &[Document], mut out: impl Write) -> io::Result<()> {
    let page = Page::new(report, documents);
    let mut html = String::with_capacity(64 * 1024 + documents.iter().map(|d| d.text.len() * 2).sum::<usize>());
    render(&page, &mut html).map_err(|_| io::Error::other("formatting the HTML page"))?;
    out.write_all(html.as_bytes())?;
    out.flush()
}

fn render(page: &Page<'_>, h: &mut String) -> std::fmt::Result {
    let report = page.report;
    let s = &report.summary;
    let shown = page.shown.iter().filter(|&&x| x).count();
    writeln!(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(h, "<meta name=\"generator\" content=\"dupmap {}\">", escape_html(env!("CARGO_PKG_VERSION")))?;
    writeln!(h, "<title>dupmap: {} documents, {} shared passages</title>", s.documents, s.passages)?;
    writeln!(h, "<style>{CSS}</style>\n</head>\n<body>")?;

    // Header: counts and parameters.
    writeln!(
        h,
        "<header class=\"top\">\n<h1>dupmap <span class=\"schema\">{}</span></h1>",
        escape_html(&report.schema)
    )?;
    writeln!(h, "<div class=\"stats\">")?;
    let pairs = format!(
        "pairs: {} duplicate · {} contains · {} overlap · {} self",
        s.pairs.duplicate, s.pairs.contains, s.pairs.overlap, s.pairs.self_repeat
    );
    let total_pairs = s.pairs.duplicate + s.pairs.contains + s.pairs.overlap + s.pairs.self_repeat;
    let stats: [(usize, &str); 7] = [
        (s.documents, "documents"),
        (s.errors, "input errors"),
        (s.duplicate_clusters, "duplicate clusters"),
        (s.duplicates, "copies"),
        (total_pairs, &pairs),
        (s.passages, "shared passages"),
        (s.passage_clusters, "passage clusters"),
    ];
    for (n, label) in stats {
        writeln!(h, "<div class=\"stat\"><b>{n}</b><span>{label}</span></div>")?;
    }
    writeln!(h, "</div>")?;
    writeln!(h, "<details class=\"params\"><summary>parameters</summary><dl>")?;
    if let Ok(serde_json::Value::Object(params)) = serde_json::to_value(&report.params) {
        for (k, v) in params {
            let v = match v {
                serde_json::Value::String(s) => s,
                v => v.to_string(),
            };
            writeln!(h, "<div><dt>{}</dt><dd>{}</dd></div>", escape_html(&k), escape_html(&v))?;
        }
    }
    writeln!(h, "</dl></details>\n</header>")?;

    // Toolbar: legend and kind filter.
    writeln!(h, "<nav class=\"bar\" id=\"bar\">")?;
    writeln!(h, "<span class=\"bar-title\">show</span>")?;
    for (kind, label, class) in
        [("verbatim", "verbatim", "u-v"), ("near_verbatim", "near-verbatim", "u-n"), ("reworded", "reworded", "u-r")]
    {
        writeln!(
            h,
            "<label><input type=\"checkbox\" class=\"kind\" value=\"{kind}\" checked> <span class=\"legend {class}\">{label}</span></label>"
        )?;
    }
    let hint = if report.passage_clusters.is_none() {
        "passages were not searched (--no-passages)"
    } else if page.marks.is_empty() {
        "no shared passages"
    } else {
        "colour: passage cluster (grey: in no cluster) · underline: kind · click a highlight to compare its occurrences"
    };
    writeln!(h, "<span class=\"hint\" id=\"hint\">{hint}</span>")?;
    writeln!(h, "</nav>\n<main>")?;

    if page.dropped > 0 {
        writeln!(
            h,
            "<p class=\"warn\">{} passage occurrences were left out: their offsets do not fall inside their document's text.</p>",
            page.dropped
        )?;
    }
    write_duplicate_clusters(page, h)?;
    write_pairs(page, h)?;
    write_passage_clusters(page, h)?;

    // Documents.
    writeln!(h, "<section class=\"docs\">\n<h2>Documents <small>{shown} of {} shown</small></h2>", s.documents)?;
    if shown < s.documents {
        writeln!(
            h,
            "<p class=\"note\">{} no passage and in no duplicate cluster: not shown.</p>",
            match s.documents - shown {
                1 => "1 document with".to_string(),
                n => format!("{n} documents with"),
            }
        )?;
    }
    writeln!(h, "<ul class=\"toc\">")?;
    for d in (0..report.documents.len()).filter(|&d| page.shown[d]) {
        let n = page.by_doc[d].len();
        writeln!(
            h,
            "<li><a href=\"#doc{d}\">{}</a> <small>{n} passage{}</small></li>",
            escape_html(page.id(d)),
            if n == 1 { "" } else { "s" }
        )?;
    }
    writeln!(h, "</ul>")?;
    for d in (0..report.documents.len()).filter(|&d| page.shown[d]) {
        write_document(page, d, h)?;
    }
    writeln!(h, "</section>")?;

    if !report.errors.is_empty() {
        writeln!(h, "<section class=\"errors\"><h2>Input errors</h2><ul>")?;
        for e in &report.errors {
            writeln!(h, "<li><code>{}</code>: {}</li>", escape_html(&e.source), escape_html(&e.reason))?;
        }
        writeln!(h, "</ul></section>")?;
    }
    writeln!(h, "</main>")?;

    // The comparison panel, filled by the script.
    writeln!(
        h,
        "<aside id=\"panel\" class=\"panel\" hidden><div class=\"panel-head\"><span id=\"panel-title\"></span><button type=\"button\" id=\"panel-close\" title=\"close\">close ✕</button></div><div id=\"cards\" class=\"cards\"></div></aside>"
    )?;
    writeln!(h, "<script type=\"application/json\" id=\"dupmap-data\">{}</script>", script_json(&page.script_data()))?;
    writeln!(h, "<script>{JS}</script>\n</body>\n</html>")
}

fn write_duplicate_clusters(page: &Page<'_>, h: &mut String) -> std::fmt::Result {
    let report = page.report;
    writeln!(
        h,
        "<section class=\"clusters\">\n<h2>Duplicate clusters <small>{}</small></h2>",
        report.duplicate_clusters.len()
    )?;
    if report.duplicate_clusters.is_empty() {
        writeln!(h, "<p class=\"note\">No document is a copy of another.</p>")?;
    }
    let pairs = report.pair_index();
    for c in &report.duplicate_clusters {
        writeln!(
            h,
            "<div class=\"dcluster\"><h3>cluster {} <small>{} documents</small></h3>\n<table><thead><tr><th>document</th><th>relation to the representative</th><th>jaccard</th><th>containment in rep.</th><th>rep. contained</th><th>coverage</th></tr></thead><tbody>",
            c.id,
            c.members.len()
        )?;
        writeln!(
            h,
            "<tr class=\"rep\"><td>{}</td><td>representative</td><td></td><td></td><td></td><td></td></tr>",
            doc_link(page, &c.representative)
        )?;
        for m in c.members.iter().filter(|m| **m != c.representative) {
            write!(h, "<tr><td>{}</td>", doc_link(page, m))?;
            match pairs.get(&c.representative, m) {
                Some(p) => {
                    let rep_is_a = p.a == c.representative;
                    let (relation, c_m, c_rep, cov_m) = if rep_is_a {
                        (p.relation.reversed(), p.containment_b, p.containment_a, p.coverage_b)
                    } else {
                        (p.relation, p.containment_a, p.containment_b, p.coverage_a)
                    };
                    writeln!(
                        h,
                        "<td>{}</td><td>{:.3}</td><td>{c_m:.3}</td><td>{c_rep:.3}</td><td>{}</td></tr>",
                        relation.as_str(),
                        p.jaccard,
                        cov_m.map_or(String::new(), |x| format!("{x:.3}"))
                    )?;
                }
                None => writeln!(h, "<td colspan=\"5\">(through another member)</td></tr>")?,
            }
        }
        writeln!(h, "</tbody></table></div>")?;
    }
    writeln!(h, "</section>")
}

fn write_pairs(page: &Page<'_>, h: &mut String) -> std::fmt::Result {
    let pairs = &page.report.pairs;
    if pairs.is_empty() {
        return Ok(());
    }
    writeln!(
        h,
        "<section class=\"pairs\"><details{}><summary><h2>Pairs <small>{}</small></h2></summary>",
        if pairs.len() <= 50 { " open" } else { "" },
        pairs.len()
    )?;
    writeln!(
        h,
        "<table><thead><tr><th>a</th><th>b</th><th>relation</th><th>jaccard</th><th>containment a / b</th><th>coverage a / b</th><th>derived</th><th>passages</th></tr></thead><tbody>"
    )?;
    for p in pairs {
        let same = p.relation == Relation::SelfRepeat;
        let coverage = match (p.coverage_a, p.coverage_b) {
            (Some(a), Some(b)) => format!("{a:.3} / {b:.3}"),
            _ => String::new(),
        };
        let derived = match p.derived {
            Some(Side::A) => escape_html(&p.a).into_owned(),
            Some(Side::B) => escape_html(&p.b).into_owned(),
            None => String::new(),
        };
        writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{coverage}</td><td>{derived}</td><td>{}</td></tr>",
            doc_link(page, &p.a),
            if same { "(itself)".to_string() } else { doc_link(page, &p.b) },
            p.relation.as_str(),
            if same { String::new() } else { format!("{:.3}", p.jaccard) },
            if same { String::new() } else { format!("{:.3} / {:.3}", p.containment_a, p.containment_b) },
            p.passages.as_ref().map_or(String::new(), |v| v.len().to_string()),
        )?;
    }
    writeln!(h, "</tbody></table></details></section>")
}

fn write_passage_clusters(page: &Page<'_>, h: &mut String) -> std::fmt::Result {
    if page.report.passage_clusters.is_none() {
        return Ok(());
    }
    let n = page.clusters.len();
    writeln!(
        h,
        "<section class=\"pclusters\"><details{}><summary><h2>Passage clusters <small>{n}</small></h2></summary>",
        if n <= 60 { " open" } else { "" }
    )?;
    if n == 0 {
        writeln!(h, "<p class=\"note\">No passage recurs.</p>")?;
    }
    writeln!(h, "<ol class=\"plist\">")?;
    for c in &page.clusters {
        let Some(&(d, s, e)) = c.occurrences.first() else { continue };
        let text = page.texts[d].map_or("", |t| &t[s..e]);
        let snippet: String = text.chars().take(110).collect();
        let more = if snippet.len() < text.len() { "…" } else { "" };
        let mut places: Vec<&str> = c.occurrences.iter().map(|o| page.id(o.0)).collect();
        places.dedup();
        let places: Vec<String> = places.iter().map(|p| escape_html(p).into_owned()).collect();
        writeln!(
            h,
            "<li><a class=\"pc\" href=\"#s{d}-{s}\"><span class=\"sw c{}\">{}</span> <span class=\"pk\">{}</span> <span class=\"pn\">{} occurrences in {}</span><br><q>{}{more}</q></a></li>",
            c.id % PALETTE_SIZE,
            c.id,
            c.kind.as_str(),
            c.occurrences.len(),
            places.join(", "),
            escape_html(&snippet)
        )?;
    }
    writeln!(h, "</ol></details></section>")
}

/// A link to a document's section (or just its id when it is not shown).
fn doc_link(page: &Page<'_>, id: &str) -> String {
    match page.position.get(id) {
        Some(&d) if page.shown[d] => format!("<a href=\"#doc{d}\">{}</a>", escape_html(id)),
        _ => escape_html(id).into_owned(),
    }
}

fn kind_class(kind: PassageKind) -> &'static str {
    match kind {
        PassageKind::Verbatim => "u-v",
        PassageKind::NearVerbatim => "u-n",
        PassageKind::Reworded => "u-r",
    }
}

fn write_document(page: &Page<'_>, d: usize, h: &mut String) -> std::fmt::Result {
    let entry = &page.report.documents[d];
    writeln!(h, "<article class=\"doc\" id=\"doc{d}\">")?;
    write!(
        h,
        "<h3><span class=\"docid\">{}</span> <small>{} · {} bytes · {} passage{}",
        escape_html(&entry.id),
        escape_html(&entry.source),
        entry.bytes,
        page.by_doc[d].len(),
        if page.by_doc[d].len() == 1 { "" } else { "s" }
    )?;
    if let Some((c, rep)) = page.duplicate_of[d] {
        if rep == d {
            write!(h, " · representative of duplicate cluster {c}")?;
        } else {
            write!(h, " · copy of <a href=\"#doc{rep}\">{}</a> (cluster {c})", escape_html(page.id(rep)))?;
        }
    }
    writeln!(h, "</small></h3>")?;
    let Some(text) = page.texts[d] else {
        return writeln!(h, "<p class=\"note\">(text not available)</p></article>");
    };
    write!(h, "<div class=\"text\" id=\"t{d}\">")?;
    if text.is_empty() {
        write!(h, "<span class=\"note\">(empty)</span>")?;
    }
    let marks = &page.marks;
    let ids = &page.by_doc[d];
    let mut bounds: Vec<usize> = Vec::with_capacity(2 * ids.len() + 2);
    bounds.extend([0, text.len()]);
    for &m in ids {
        bounds.extend([marks[m].start, marks[m].end]);
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut active: Vec<usize> = Vec::new();
    let mut next = 0;
    for w in bounds.windows(2) {
        let (b, e) = (w[0], w[1]);
        active.retain(|&m| marks[m].end > b);
        while next < ids.len() && marks[ids[next]].start == b {
            active.push(ids[next]);
            next += 1;
        }
        // Offsets were checked, and every boundary is one of them.
        let Some(piece) = text.get(b..e) else { continue };
        if active.is_empty() {
            h.push_str(&escape_html(piece));
            continue;
        }
        let innermost = |with_cluster: bool| {
            active
                .iter()
                .copied()
                .filter(|&m| !with_cluster || marks[m].cluster.is_some())
                .min_by_key(|&m| (marks[m].end - marks[m].start, marks[m].cluster, m))
        };
        let colour = innermost(true).and_then(|m| marks[m].cluster);
        let kind = innermost(false).map_or(PassageKind::Verbatim, |m| marks[m].kind);
        let mut kinds: Vec<&str> = active.iter().map(|&m| marks[m].kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let kinds = kinds.join(" ");
        // A tag naming the cluster of each passage starting here, unless a passage of
        // that cluster is already open.
        let mut starting: Vec<(usize, &str)> = active
            .iter()
            .filter(|&&m| marks[m].start == b)
            .filter_map(|&m| marks[m].cluster.map(|c| (c, marks[m].kind.as_str())))
            .filter(|&(c, _)| !active.iter().any(|&o| marks[o].start < b && marks[o].cluster == Some(c)))
            .collect();
        starting.sort_unstable();
        starting.dedup_by_key(|x| x.0);
        for (c, k) in starting {
            write!(h, "<sup class=\"tag {}\" data-k=\"{k}\">{}</sup>", page.colour(Some(c)), page.clusters[c].id)?;
        }
        let mut class = format!("p {} {}", page.colour(colour), kind_class(kind));
        if active.iter().any(|&m| marks[m].start == b) {
            class.push_str(" st");
        }
        if active.iter().any(|&m| marks[m].end == e) {
            class.push_str(" en");
        }
        if active.len() > 1 {
            class.push_str(" ov");
        }
        let ms: Vec<String> = active.iter().map(|m| m.to_string()).collect();
        write!(
            h,
            "<mark class=\"{class}\" id=\"s{d}-{b}\" data-b=\"{b}\" data-e=\"{e}\" data-k=\"{kinds}\" data-m=\"{}\">{}</mark>",
            ms.join(" "),
            escape_html(piece)
        )?;
    }
    writeln!(h, "</div>\n</article>")
}

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { scroll-padding-top: 4rem; }
body { margin: 0; color: var(--ink); background: var(--bg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", sans-serif; }
body.panel-open { padding-bottom: 46vh; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
small { color: var(--muted); font-weight: normal; font-size: .8em; }
header.top { padding: 1rem 1.5rem .6rem; background: var(--soft); border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 .6rem; font-size: 1.35rem; }
h1 .schema { font-size: .8rem; font-weight: normal; color: var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; display: inline-block; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
.stats { display: flex; flex-wrap: wrap; gap: .5rem; }
.stat { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .25rem .7rem; min-width: 6rem; }
.stat b { display: block; font-size: 1.2rem; }
.stat span { color: var(--muted); font-size: .8rem; }
details.params { margin-top: .6rem; font-size: .85rem; }
details.params summary { cursor: pointer; color: var(--muted); }
details.params dl { display: flex; flex-wrap: wrap; gap: .25rem 1.2rem; margin: .4rem 0 0; }
details.params dl div { display: flex; gap: .35rem; }
details.params dt { color: var(--muted); }
details.params dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
nav.bar { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1rem;
  padding: .5rem 1.5rem; background: rgba(255,255,255,.96); border-bottom: 1px solid var(--line); font-size: .9rem; }
.bar-title { font-weight: 600; }
.hint { color: var(--muted); font-size: .82rem; }
nav.bar label { cursor: pointer; user-select: none; }
.legend { padding: 0 .3rem; background: #e7ebef; }
main { padding: 0 1.5rem 2rem; max-width: 1180px; }
section > details > summary { cursor: pointer; }
section > details > summary h2 { margin-bottom: .4rem; }
table { border-collapse: collapse; font-size: .88rem; margin: .3rem 0 .8rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .7rem .25rem 0; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .8rem; }
td { font-variant-numeric: tabular-nums; }
tr.rep td:first-child { font-weight: 600; }
.dcluster { margin-bottom: .8rem; }
.note { color: var(--muted); font-size: .9rem; }
.warn { background: #fff4e5; border: 1px solid #f0b35b; padding: .4rem .7rem; border-radius: 4px; }
ol.plist { margin: 0; padding-left: 0; list-style: none; display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: .5rem; }
ol.plist li { border: 1px solid var(--line); border-radius: 6px; padding: .35rem .6rem; font-size: .85rem; }
ol.plist a { color: var(--ink); display: block; }
ol.plist a:hover { text-decoration: none; background: var(--soft); }
ol.plist q { color: var(--muted); font-style: italic; }
.sw { display: inline-block; min-width: 1.7em; text-align: center; border-radius: 3px; font-weight: 600; font-size: .8rem; padding: 0 .25em; }
.pk { font-weight: 600; }
.pn { color: var(--muted); }
ul.toc { columns: 2 22rem; padding-left: 1.2rem; margin: 0 0 1rem; font-size: .9rem; }
article.doc { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1.2rem 1rem; margin: 0 0 1.2rem; max-width: 52rem; }
article.doc h3 { border-bottom: 1px solid var(--line); padding-bottom: .4rem; }
.docid { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1rem; line-height: 1.7; }
mark.p { color: inherit; padding: 1px 0; cursor: pointer; border-bottom: 2px solid rgba(0,0,0,.55); }
mark.p.u-n { border-bottom-style: dashed; }
mark.p.u-r { border-bottom-style: dotted; border-bottom-width: 3px; }
mark.p.st { border-top-left-radius: 3px; border-bottom-left-radius: 3px; padding-left: 2px; }
mark.p.en { border-top-right-radius: 3px; border-bottom-right-radius: 3px; padding-right: 2px; }
mark.p.ov { background-image: linear-gradient(rgba(0,0,0,.09), rgba(0,0,0,.09)); }
mark.p:hover { filter: brightness(.93); }
mark.p.sel { outline: 2px solid #1f2328; }
mark.p.tgt { outline: 2px dashed #1f2328; }
mark.p.flash { animation: flash 1.6s ease-out; }
@keyframes flash { 0%, 40% { box-shadow: 0 0 0 4px #ffb300; } 100% { box-shadow: 0 0 0 0 transparent; } }
.off, mark.p.off { background: none !important; border-bottom: none; cursor: text; filter: none; outline: none; }
sup.tag { font-size: .7rem; font-weight: 700; padding: 0 .25em; border-radius: 3px; margin-right: 2px; user-select: none; border: 1px solid rgba(0,0,0,.35); }
sup.tag.off { display: none; }
.c0  { background: #ffd8a8; } .c1  { background: #a5d8ff; } .c2  { background: #b2f2bb; }
.c3  { background: #fcc2d7; } .c4  { background: #d0bfff; } .c5  { background: #ffec99; }
.c6  { background: #99e9f2; } .c7  { background: #ffc9c9; } .c8  { background: #c0eb75; }
.c9  { background: #eebefa; } .c10 { background: #96f2d7; } .c11 { background: #e6d5b8; }
.cn  { background: #dee2e6; }
.legend.u-v { border-bottom: 2px solid rgba(0,0,0,.55); }
.legend.u-n { border-bottom: 2px dashed rgba(0,0,0,.55); }
.legend.u-r { border-bottom: 3px dotted rgba(0,0,0,.55); }
aside.panel { position: fixed; left: 0; right: 0; bottom: 0; z-index: 10; max-height: 44vh; overflow: auto;
  background: #fbfcfd; border-top: 2px solid var(--ink); box-shadow: 0 -4px 16px rgba(0,0,0,.12); padding: .5rem 1.5rem 1rem; }
aside.panel[hidden] { display: none; }
.panel-head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-bottom: .5rem; font-weight: 600; }
.panel-head button { font: inherit; font-size: .85rem; font-weight: normal; border: 1px solid var(--line); background: var(--bg); border-radius: 4px; padding: .1rem .6rem; cursor: pointer; }
.cards { display: flex; gap: .8rem; overflow-x: auto; align-items: flex-start; }
.card { flex: 1 0 300px; max-width: 560px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
.card.this { border: 2px solid var(--ink); }
.card-head { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; padding: .35rem .6rem; border-bottom: 1px solid var(--line); font-size: .82rem; }
.card-head .who { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; font-size: .85rem; overflow-wrap: anywhere; }
.card-head .meta { color: var(--muted); }
.card-text { padding: .45rem .6rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .92rem; line-height: 1.5; max-height: 30vh; overflow: auto; }
"#;

const JS: &str = r#"
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('dupmap-data').textContent);
  const marks = data.marks, docs = data.docs, clusters = data.clusters;
  const panel = document.getElementById('panel');
  const cards = document.getElementById('cards');
  const title = document.getElementById('panel-title');
  const pieces = document.querySelectorAll('mark.p');
  const kindName = { verbatim: 'verbatim', near_verbatim: 'near-verbatim', reworded: 'reworded' };

  function piecesOf(d, s, e) {
    const t = document.getElementById('t' + d);
    if (!t) return [];
    return Array.from(t.querySelectorAll('mark.p')).filter(function (x) {
      return +x.dataset.b >= s && +x.dataset.e <= e;
    });
  }
  function textOf(d, s, e) {
    return piecesOf(d, s, e).map(function (x) { return x.textContent; }).join('');
  }
  function el(tag, cls, text) {
    const x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined) x.textContent = text;
    return x;
  }
  function goTo(d, s, e) {
    const list = piecesOf(d, s, e);
    if (!list.length) return;
    list[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
    list.forEach(function (x) {
      x.classList.remove('flash');
      void x.offsetWidth;
      x.classList.add('flash');
    });
  }
  function card(occ, meta, colour, isThis) {
    const c = el('div', 'card' + (isThis ? ' this' : ''));
    const head = el('div', 'card-head');
    if (colour !== null && colour !== undefined) head.appendChild(el('span', 'sw c' + colour.colour, String(colour.id)));
    head.appendChild(el('span', 'who', docs[occ[0]]));
    head.appendChild(el('span', 'meta', meta + ' · bytes ' + occ[1] + '–' + occ[2]));
    if (!isThis) {
      const a = el('a', 'go', 'go to ↗');
      a.href = '#s' + occ[0] + '-' + occ[1];
      a.addEventListener('click', function (ev) { ev.preventDefault(); goTo(occ[0], occ[1], occ[2]); });
      head.appendChild(a);
    }
    c.appendChild(head);
    c.appendChild(el('div', 'card-text', textOf(occ[0], occ[1], occ[2])));
    return c;
  }
  function clear() {
    document.querySelectorAll('mark.sel, mark.tgt').forEach(function (x) { x.classList.remove('sel', 'tgt'); });
  }
  function close() {
    clear();
    panel.hidden = true;
    document.body.classList.remove('panel-open');
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  }
  function overlaps(a, b) { return a[0] === b[0] && a[1] < b[2] && b[1] < a[2]; }

  function select(piece) {
    const ids = piece.dataset.m.split(' ').map(Number);
    let m0 = ids[0];
    ids.forEach(function (m) {
      const x = marks[m], y = marks[m0];
      if (x.e - x.s < y.e - y.s) m0 = m;
    });
    const sel = marks[m0];
    const colourOf = function (c) { return c === null ? null : clusters[c]; };
    clear();
    cards.textContent = '';
    const here = [sel.d, sel.s, sel.e];
    piecesOf(sel.d, sel.s, sel.e).forEach(function (x) { x.classList.add('sel'); });
    const shown = [here];
    const cl = colourOf(sel.c);
    title.textContent = 'Passage in ' + docs[sel.d] + (cl ? ' · passage cluster ' + cl.id + ' (' + kindName[cl.kind] + ')' : ' · in no passage cluster');
    cards.appendChild(card(here, 'this occurrence', cl, true));
    ids.forEach(function (m) {
      const o = marks[marks[m].o];
      const occ = [o.d, o.s, o.e];
      if (shown.some(function (x) { return x[0] === occ[0] && x[1] === occ[1] && x[2] === occ[2]; })) return;
      shown.push(occ);
      piecesOf(o.d, o.s, o.e).forEach(function (x) { if (!x.classList.contains('sel')) x.classList.add('tgt'); });
      cards.appendChild(card(occ, kindName[marks[m].k] + ' · score ' + marks[m].sc.toFixed(3), colourOf(o.c), false));
    });
    if (cl) {
      cl.occ.forEach(function (occ) {
        if (shown.some(function (x) { return overlaps(x, occ); })) return;
        shown.push(occ);
        cards.appendChild(card(occ, 'same passage cluster', cl, false));
      });
    }
    panel.hidden = false;
    document.body.classList.add('panel-open');
  }

  pieces.forEach(function (p) {
    p.addEventListener('click', function () {
      if (p.classList.contains('off')) return;
      select(p);
      history.replaceState(null, '', '#' + p.id);
    });
  });
  document.getElementById('panel-close').addEventListener('click', close);
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape' && !panel.hidden) close(); });

  function fromHash() {
    const id = decodeURIComponent(location.hash.slice(1));
    const p = id ? document.getElementById(id) : null;
    if (p && p.matches('mark.p')) {
      select(p);
      p.scrollIntoView({ block: 'center' });
    }
  }
  window.addEventListener('hashchange', fromHash);

  const boxes = document.querySelectorAll('input.kind');
  function filter() {
    const on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    document.querySelectorAll('[data-k]').forEach(function (x) {
      const visible = x.dataset.k.split(' ').some(function (k) { return on[k]; });
      x.classList.toggle('off', !visible);
    });
  }
  boxes.forEach(function (b) { b.addEventListener('change', filter); });
  filter();
  fromHash();

  document.documentElement.dataset.dupmapReady = String(pieces.length);
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape_html("plain text"), "plain text");
        assert!(matches!(escape_html("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_html(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = serde_json::json!({"id": "</script><b>&"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn checked_range_refuses_bad_offsets() {
        let text = "héllo";
        assert_eq!(checked_range(text, 0, 1), Some((0, 1)));
        assert_eq!(checked_range(text, 0, 2), None); // inside 'é'
        assert_eq!(checked_range(text, 3, 99), None);
        assert_eq!(checked_range(text, 2, 2), None);
    }
}
