//! The readable summary for a terminal.

use std::io::Write;

use super::Report;
use crate::passage::Side;
use crate::verify::Relation;

/// Writes counts, then each duplicate cluster with its members' figures against the
/// representative, then the overlapping pairs.
pub fn write_text(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(
        out,
        "{} documents, {} input error{}; {} duplicate cluster{} holding {} copies; pairs: {} duplicate, {} contains, {} overlap",
        s.documents,
        s.errors,
        plural(s.errors),
        s.duplicate_clusters,
        plural(s.duplicate_clusters),
        s.duplicates,
        s.pairs.duplicate,
        s.pairs.contains,
        s.pairs.overlap,
    )?;
    let pairs = report.pair_index();
    for c in &report.duplicate_clusters {
        writeln!(out, "\ncluster {}: {} documents, representative {}", c.id, c.members.len(), c.representative)?;
        for m in c.members.iter().skip(1) {
            match pairs.get(&c.representative, m) {
                Some(p) => {
                    let (relation, c_rep, c_m) = if p.a == c.representative {
                        (p.relation.reversed(), p.containment_a, p.containment_b)
                    } else {
                        (p.relation, p.containment_b, p.containment_a)
                    };
                    writeln!(
                        out,
                        "  {m}  {}  jaccard {:.3}  containment {:.3} (of it in the representative) / {:.3}",
                        relation.as_str(),
                        p.jaccard,
                        c_m,
                        c_rep
                    )?;
                }
                None => writeln!(out, "  {m}")?,
            }
        }
    }
    let shared: Vec<_> =
        report.pairs.iter().filter(|p| matches!(p.relation, Relation::Overlap | Relation::SelfRepeat)).collect();
    if !shared.is_empty() {
        writeln!(out, "\npairs sharing passages (not copies):")?;
        for p in shared {
            if p.relation == Relation::SelfRepeat {
                write!(out, "  {} repeats itself", p.a)?;
            } else {
                write!(
                    out,
                    "  {} ~ {}  jaccard {:.3}  containment {:.3} / {:.3}",
                    p.a, p.b, p.jaccard, p.containment_a, p.containment_b
                )?;
            }
            if let (Some(passages), Some(ca), Some(cb)) = (&p.passages, p.coverage_a, p.coverage_b) {
                write!(out, "  {} passage{}, coverage {ca:.2} / {cb:.2}", passages.len(), plural(passages.len()))?;
                match p.derived {
                    Some(Side::A) => write!(out, ", {} looks derived", p.a)?,
                    Some(Side::B) => write!(out, ", {} looks derived", p.b)?,
                    None => {}
                }
            }
            writeln!(out)?;
        }
    }
    if let Some(clusters) = &report.passage_clusters {
        if !clusters.is_empty() {
            writeln!(out, "\npassage clusters:")?;
            for c in clusters {
                let places: Vec<String> =
                    c.passages.iter().map(|o| format!("{} {}..{}", o.doc, o.start, o.end)).collect();
                writeln!(out, "  {} ({}): {}", c.id, c.kind.as_str(), places.join(", "))?;
            }
        }
    }
    if !report.errors.is_empty() {
        writeln!(out, "\ninput errors:")?;
        for e in &report.errors {
            writeln!(out, "  {e}")?;
        }
    }
    out.flush()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
