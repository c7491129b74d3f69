//! `dupmap compare A B`: two plain-text files, their shared passages marked in both, then
//! the figures a scan would report for the pair.
//!
//! The passages come from the same alignment as `dupmap scan` ([`find_passages`] on just
//! these two documents, no boilerplate), the figures from the same exact shingle-set
//! comparison with the default [`ScanConfig`]. Passage `n` is marked on both sides: in
//! colour (one colour per passage, cycling) on a terminal, or as `[n>` ... `<n]` otherwise.
//! Control characters of the texts (other than newline, tab and carriage return) are
//! shown as `\u{FFFD}` so that a document cannot drive the terminal.

use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, ValueEnum};

use dupmap::boilerplate::Boilerplate;
use dupmap::passage::{find_passages, PairPassages, Side};
use dupmap::sketch::Sketcher;
use dupmap::verify::{classify, exact_scores};
use dupmap::{DocId, Document, Relation, ScanConfig};

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Always use ANSI colours.
    Always,
    /// Never: mark passages with `[n>` ... `<n]`.
    Never,
    /// Colours when stdout is a terminal and NO_COLOR is not set.
    Auto,
}

/// Arguments of `dupmap compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first file (plain UTF-8 text).
    #[arg(value_name = "A")]
    pub a: PathBuf,

    /// The second file (plain UTF-8 text).
    #[arg(value_name = "B")]
    pub b: PathBuf,

    /// Colour the passages: always, never, or auto (on a terminal).
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Background colours of passages (SGR parameters), cycling; black or white text for
/// contrast.
const COLOURS: [&str; 6] = ["30;43", "30;46", "30;42", "30;45", "97;44", "97;41"];
const RESET: &str = "\x1b[0m";

/// Runs `dupmap compare`.
pub fn run(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let docs = [read_document(&args.a)?, read_document(&args.b)?];
    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };

    let config = ScanConfig::default();
    let none = Boilerplate::none();
    let mut sketcher = Sketcher::new(config.shingling, &none);
    let set_a = sketcher.shingle_set(&docs[0].text).0.to_vec();
    let set_b = sketcher.shingle_set(&docs[1].text).0.to_vec();
    let scores = exact_scores(&set_a, &set_b);
    let relation = classify(&scores, &config.relation);
    let map = find_passages(&docs, &[(DocId(0), DocId(1))], &none, usize::MAX, config.passage_threshold, None, None);
    let pair = map.pairs.into_iter().find(|p| p.a == DocId(0) && p.b == DocId(1));

    let mut out = BufWriter::new(io::stdout().lock());
    let (a, b) = (&docs[0], &docs[1]);
    let passages = pair.as_ref().map_or(&[][..], |p| &p.passages[..]);
    let spans_a: Vec<(usize, u32, u32)> =
        passages.iter().enumerate().map(|(i, p)| (i + 1, p.a.start, p.a.end)).collect();
    let spans_b: Vec<(usize, u32, u32)> =
        passages.iter().enumerate().map(|(i, p)| (i + 1, p.b.start, p.b.end)).collect();
    for (label, doc, spans) in [("A", a, &spans_a), ("B", b, &spans_b)] {
        heading(&mut out, &format!("{label}: {} ({} bytes)", doc.id, doc.text.len()), colour)?;
        write_marked(&mut out, &doc.text, spans, colour)?;
        if !doc.text.ends_with('\n') {
            writeln!(out)?;
        }
        writeln!(out)?;
    }

    heading(&mut out, "figures", colour)?;
    writeln!(out, "jaccard      {:.4}", scores.jaccard)?;
    writeln!(out, "containment  {:.4}  of A found in B", scores.containment_a)?;
    writeln!(out, "             {:.4}  of B found in A", scores.containment_b)?;
    match relation {
        Some(r) => writeln!(out, "relation     {}  ({})", r.as_str(), describe(r))?,
        None => writeln!(out, "relation     none  (below the overlap threshold {})", config.relation.overlap)?,
    }
    write_passage_figures(&mut out, pair.as_ref(), a, colour)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_passage_figures(
    out: &mut impl Write,
    pair: Option<&PairPassages>,
    a: &Document,
    colour: bool,
) -> io::Result<()> {
    let Some(pair) = pair else {
        writeln!(out, "coverage     0.0000  of A in shared passages")?;
        writeln!(out, "             0.0000  of B in shared passages")?;
        writeln!(out, "derived      neither (no shared passage)")?;
        return writeln!(out, "passages     0");
    };
    writeln!(out, "coverage     {:.4}  of A in shared passages", pair.coverage_a)?;
    writeln!(out, "             {:.4}  of B in shared passages", pair.coverage_b)?;
    match pair.derived {
        Some(Side::A) => writeln!(out, "derived      A looks derived from B")?,
        Some(Side::B) => writeln!(out, "derived      B looks derived from A")?,
        None => writeln!(out, "derived      neither (the evidence does not say)")?,
    }
    writeln!(out, "passages     {}", pair.passages.len())?;
    for (i, p) in pair.passages.iter().enumerate() {
        let n = i + 1;
        let label = format!("{n:>3}");
        if colour {
            write!(out, "{}{label}{RESET}", sgr(n, true))?;
        } else {
            write!(out, "{label}")?;
        }
        let quote = a.text.get(p.a.range()).map(|t| snippet(t, 60)).unwrap_or_default();
        writeln!(
            out,
            "  {:<13} score {:.4}  A {}..{}  B {}..{}  \"{quote}\"",
            p.kind.as_str(),
            p.score,
            p.a.start,
            p.a.end,
            p.b.start,
            p.b.end
        )?;
    }
    Ok(())
}

/// Reads one plain-text file; an unreadable or non-UTF-8 file is an error naming it.
fn read_document(path: &Path) -> anyhow::Result<Document> {
    let name = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| {
        let reason = match e.kind() {
            io::ErrorKind::NotFound => "no such file or directory".to_string(),
            io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        anyhow!("{name}: {reason}")
    })?;
    if bytes.contains(&0) {
        return Err(anyhow!("{name}: binary file (contains NUL bytes)"));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow!("{name}: invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))?;
    Ok(Document { id: name.clone(), source: name, text: text.into() })
}

/// How A relates to B, in words.
fn describe(r: Relation) -> &'static str {
    match r {
        Relation::Duplicate => "A and B are copies of each other",
        Relation::Contains => "A contains most of B",
        Relation::ContainedBy => "most of A is in B",
        Relation::Overlap | Relation::SelfRepeat => "A and B share text, neither is a copy",
    }
}

/// The SGR sequence of passage `n` (1-based); `bold` for its label.
fn sgr(n: usize, bold: bool) -> String {
    let c = COLOURS[(n - 1) % COLOURS.len()];
    if bold {
        format!("\x1b[1;{c}m")
    } else {
        format!("\x1b[{c}m")
    }
}

fn heading(out: &mut impl Write, title: &str, colour: bool) -> io::Result<()> {
    let title = sanitize(title);
    if colour {
        writeln!(out, "\x1b[1m== {title} =={RESET}")
    } else {
        writeln!(out, "== {title} ==")
    }
}

/// Terminal-safe text: control characters other than `\n`, `\t`, `\r` become U+FFFD.
fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars().map(|c| if c.is_control() && !matches!(c, '\n' | '\t' | '\r') { '\u{FFFD}' } else { c }).collect()
}

/// The first `max` characters of `s` on one line.
fn snippet(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = sanitize(&flat).chars().take(max).collect();
    if out.len() < flat.len() {
        out.push('…');
    }
    out
}

/// Writes `text` with each span `(n, start, end)` marked: `[n>` ... `<n]`, or in
/// passage `n`'s colour (the innermost open passage wins). Spans outside the text or off
/// character boundaries are left out.
fn write_marked(out: &mut impl Write, text: &str, spans: &[(usize, u32, u32)], colour: bool) -> io::Result<()> {
    let spans: Vec<(usize, usize, usize)> = spans
        .iter()
        .map(|&(n, s, e)| (n, s as usize, e as usize))
        .filter(|&(_, s, e)| s < e && text.get(s..e).is_some())
        .collect();
    let mut bounds: Vec<usize> = vec![0, text.len()];
    for &(_, s, e) in &spans {
        bounds.extend([s, e]);
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    for w in bounds.windows(2) {
        let (b, e) = (w[0], w[1]);
        // Close what ends here, innermost first; then open what starts here.
        while let Some(pos) = open.iter().rposition(|x| x.2 <= b) {
            let (n, _, _) = open.remove(pos);
            if !colour {
                write!(out, "<{n}]")?;
            }
        }
        let mut starting: Vec<&(usize, usize, usize)> = spans.iter().filter(|x| x.1 == b).collect();
        starting.sort_by_key(|x| (std::cmp::Reverse(x.2), x.0));
        for &&x in &starting {
            open.push(x);
            if colour {
                write!(out, "{}[{}]{RESET}", sgr(x.0, true), x.0)?;
            } else {
                write!(out, "[{}>", x.0)?;
            }
        }
        let piece = sanitize(text.get(b..e).unwrap_or(""));
        match open.last() {
            Some(&(n, _, _)) if colour => {
                let on = sgr(n, false);
                let piece = piece.replace('\n', &format!("{RESET}\n{on}"));
                write!(out, "{on}{piece}{RESET}")?;
            }
            _ => out.write_all(piece.as_bytes())?,
        }
    }
    // Close what ends at the end of the text.
    while let Some((n, _, _)) = open.pop() {
        if !colour {
            write!(out, "<{n}]")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, spans: &[(usize, u32, u32)], colour: bool) -> String {
        let mut out = Vec::new();
        write_marked(&mut out, text, spans, colour).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_markers_nest_and_skip_bad_spans() {
        assert_eq!(marked("one two three", &[(1, 4, 7)], false), "one [1>two<1] three");
        assert_eq!(marked("one two three", &[(1, 0, 13), (2, 4, 7)], false), "[1>one [2>two<2] three<1]");
        // Off a character boundary, past the end, empty: left out.
        assert_eq!(marked("héllo", &[(1, 0, 2), (2, 3, 99), (3, 1, 1)], false), "héllo");
    }

    #[test]
    fn colour_resets_at_line_ends_and_controls_are_replaced() {
        let s = marked("a\nb\x1b[2Jc", &[(1, 0, 3)], true);
        assert!(s.contains(&format!("a{RESET}\n")), "{s:?}");
        assert!(!s.contains("\x1b[2J"));
        assert!(s.contains('\u{FFFD}'));
    }
}
