//! Passage clusters: the same passage recurring across documents (or within one).
//!
//! Every aligned passage links two *occurrences* (a document and a span). Occurrences in
//! one document that overlap by at least half of the shorter are one occurrence (their
//! spans joined), so the quote that document A shares with B and with C is one node.
//! Clusters are then formed like duplicate clusters, as stars so they cannot chain: the
//! occurrence linked to the most others (ties: earlier document, earlier start) becomes a
//! centre, and takes every occurrence linked to it that is not yet taken; repeat. Every
//! member is aligned with its cluster's centre.
//!
//! A cluster's kind is the loosest kind among the links to its centre (`reworded` when
//! any member is a rewording).

use super::{PairPassages, PassageKind};
use crate::text::{DocId, Span};

/// A passage and its occurrences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassageCluster {
    /// The loosest kind of link in the cluster.
    pub kind: PassageKind,
    /// Occurrences, sorted by document then start; the centre is among them.
    pub occurrences: Vec<(DocId, Span)>,
}

/// Groups the passages of `pairs` into clusters of two or more occurrences, ordered by
/// their first occurrence.
pub fn passage_clusters(pairs: &[PairPassages]) -> Vec<PassageCluster> {
    // Occurrences, merged per document.
    let mut raw: Vec<(DocId, Span)> = Vec::new();
    for p in pairs {
        for s in &p.passages {
            raw.push((p.a, s.a));
            raw.push((p.b, s.b));
        }
    }
    raw.sort_unstable();
    raw.dedup();
    let mut nodes: Vec<(DocId, Span)> = Vec::new();
    let mut node_of_raw: ahash::AHashMap<(DocId, Span), usize> = ahash::AHashMap::with_capacity(raw.len());
    for (doc, span) in raw {
        let merge = nodes.last().is_some_and(|last| {
            let overlap = span.end.min(last.1.end).saturating_sub(span.start.max(last.1.start));
            last.0 == doc && overlap > 0 && 2 * overlap >= span.len().min(last.1.len())
        });
        if merge {
            let last = nodes.last_mut().expect("checked");
            last.1 = last.1.cover(span);
        } else {
            nodes.push((doc, span));
        }
        node_of_raw.insert((doc, span), nodes.len() - 1);
    }
    let node_of = |doc: DocId, span: Span| -> usize { node_of_raw[&(doc, span)] };
    let mut links: Vec<Vec<(u32, PassageKind)>> = vec![Vec::new(); nodes.len()];
    for p in pairs {
        for s in &p.passages {
            let (x, y) = (node_of(p.a, s.a), node_of(p.b, s.b));
            if x != y {
                links[x].push((y as u32, s.kind));
                links[y].push((x as u32, s.kind));
            }
        }
    }
    for l in &mut links {
        l.sort_unstable();
        l.dedup_by_key(|x| x.0);
    }
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by_key(|&n| (std::cmp::Reverse(links[n].len()), n));
    let mut taken = vec![false; nodes.len()];
    let mut clusters = Vec::new();
    for centre in order {
        if taken[centre] || links[centre].is_empty() {
            continue;
        }
        let members: Vec<&(u32, PassageKind)> = links[centre].iter().filter(|(m, _)| !taken[*m as usize]).collect();
        if members.is_empty() {
            continue;
        }
        taken[centre] = true;
        let mut kind = PassageKind::Verbatim;
        let mut occurrences = vec![nodes[centre]];
        for &&(m, k) in &members {
            taken[m as usize] = true;
            kind = kind.max(k);
            occurrences.push(nodes[m as usize]);
        }
        occurrences.sort_unstable();
        clusters.push(PassageCluster { kind, occurrences });
    }
    clusters.sort_by_key(|c| c.occurrences[0]);
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::Passage;

    fn pair(a: u32, b: u32, passages: &[(u32, u32, u32, u32, PassageKind)]) -> PairPassages {
        PairPassages {
            a: DocId(a),
            b: DocId(b),
            passages: passages
                .iter()
                .map(|&(a0, a1, b0, b1, kind)| Passage { a: Span::new(a0, a1), b: Span::new(b0, b1), kind, score: 1.0 })
                .collect(),
            coverage_a: 0.0,
            coverage_b: 0.0,
            derived: None,
        }
    }

    #[test]
    fn one_quote_in_three_documents_is_one_cluster() {
        use PassageKind::*;
        let pairs = vec![
            pair(0, 1, &[(10, 50, 100, 140, Reworded)]),
            pair(0, 2, &[(12, 50, 300, 330, Verbatim), (500, 600, 700, 800, Verbatim)]),
            pair(1, 2, &[(100, 139, 301, 330, Reworded)]),
        ];
        let c = passage_clusters(&pairs);
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(
            c[0].occurrences,
            vec![(DocId(0), Span::new(10, 50)), (DocId(1), Span::new(100, 140)), (DocId(2), Span::new(300, 330))]
        );
        assert_eq!(c[0].kind, Reworded);
        assert_eq!(c[1].occurrences.len(), 2);
        assert_eq!(c[1].kind, Verbatim);
    }
}
