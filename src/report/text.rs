//! The readable summary for a terminal.

use std::io::Write;

use super::Report;
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
    for c in &report.duplicate_clusters {
        writeln!(out, "\ncluster {}: {} documents, representative {}", c.id, c.members.len(), c.representative)?;
        for m in c.members.iter().skip(1) {
            match report.pair(&c.representative, m) {
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
    let overlaps: Vec<_> = report.pairs.iter().filter(|p| p.relation == Relation::Overlap).collect();
    if !overlaps.is_empty() {
        writeln!(out, "\noverlapping pairs (shared text, not copies):")?;
        for p in overlaps {
            writeln!(
                out,
                "  {} ~ {}  jaccard {:.3}  containment {:.3} / {:.3}",
                p.a, p.b, p.jaccard, p.containment_a, p.containment_b
            )?;
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
