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
///
/// Occurrences and links are grouped by document and by node with counting passes,
/// each group then sorted on its own (a few values each): one sort of all of them
/// took most of the time (about 0.03 of 0.05 s for 195,000 passages).
pub fn passage_clusters(pairs: &[PairPassages]) -> Vec<PassageCluster> {
    // Each passage's two occurrences, grouped by document: passage `i`'s side `a` is
    // occurrence `2i`, its side `b` `2i + 1`; document d's are `occurrences[by_doc[d]..
    // by_doc[d + 1]]`, sorted by span (then occurrence).
    let docs = pairs.iter().map(|p| p.a.max(p.b).index() + 1).max().unwrap_or(0);
    let mut by_doc = vec![0usize; docs + 1];
    for p in pairs {
        by_doc[p.a.index() + 1] += p.passages.len();
        by_doc[p.b.index() + 1] += p.passages.len();
    }
    prefix_sums(&mut by_doc);
    let mut kinds: Vec<PassageKind> = Vec::with_capacity(by_doc[docs] / 2);
    let mut occurrences = vec![(Span::default(), 0u32); by_doc[docs]];
    let mut fill = by_doc.clone();
    for p in pairs {
        for s in &p.passages {
            let at = 2 * kinds.len() as u32;
            for (doc, span, at) in [(p.a, s.a, at), (p.b, s.b, at + 1)] {
                occurrences[fill[doc.index()]] = (span, at);
                fill[doc.index()] += 1;
            }
            kinds.push(s.kind);
        }
    }
    drop(fill);
    // Occurrences in one document that overlap by half of the shorter are one node
    // (spans joined), taken in order; each occurrence's node.
    let mut nodes: Vec<(DocId, Span)> = Vec::new();
    let mut node_of = vec![0u32; occurrences.len()];
    for d in 0..docs {
        let of_doc = &mut occurrences[by_doc[d]..by_doc[d + 1]];
        of_doc.sort_unstable();
        let doc = DocId(d as u32);
        let mut last_span = None;
        for &(span, at) in of_doc.iter() {
            // (The same occurrence again is in the node it went to: the last one.)
            if last_span != Some(span) {
                last_span = Some(span);
                let merge = nodes.last().is_some_and(|last| {
                    let overlap = span.end.min(last.1.end).saturating_sub(span.start.max(last.1.start));
                    last.0 == doc && overlap > 0 && 2 * overlap >= span.len().min(last.1.len())
                });
                match nodes.last_mut() {
                    Some(last) if merge => last.1 = last.1.cover(span),
                    _ => nodes.push((doc, span)),
                }
            }
            node_of[at as usize] = (nodes.len() - 1) as u32;
        }
    }
    drop(occurrences);
    // The links between nodes, both ways, grouped by node (node x's are
    // `links[starts[x]..starts[x + 1]]`), one to each other node, of the tightest kind.
    let mut starts = vec![0usize; nodes.len() + 1];
    let ends = |i: usize| (node_of[2 * i] as usize, node_of[2 * i + 1] as usize);
    for i in 0..kinds.len() {
        let (x, y) = ends(i);
        if x != y {
            starts[x + 1] += 1;
            starts[y + 1] += 1;
        }
    }
    prefix_sums(&mut starts);
    let mut links = vec![(0u32, PassageKind::Verbatim); starts[nodes.len()]];
    let mut fill = starts.clone();
    for (i, &kind) in kinds.iter().enumerate() {
        let (x, y) = ends(i);
        if x != y {
            links[fill[x]] = (y as u32, kind);
            fill[x] += 1;
            links[fill[y]] = (x as u32, kind);
            fill[y] += 1;
        }
    }
    // Each node's links sorted, the first of each other node kept, moved down in place.
    let mut kept = 0;
    for x in 0..nodes.len() {
        let (from, to) = (starts[x], starts[x + 1]);
        links[from..to].sort_unstable();
        starts[x] = kept;
        for i in from..to {
            if i == from || links[i].0 != links[i - 1].0 {
                links[kept] = links[i];
                kept += 1;
            }
        }
    }
    starts[nodes.len()] = kept;
    stars(&nodes, |x| &links[starts[x]..starts[x + 1]])
}

/// The clusters of `nodes` whose links (other node, kind; one to each other node,
/// sorted) node x's are `links_of(x)`: the node linked to the most others (ties: the
/// earlier) becomes a centre and takes every node linked to it not yet taken; repeat.
/// Ordered by their first occurrence.
fn stars<'l>(nodes: &[(DocId, Span)], links_of: impl Fn(usize) -> &'l [(u32, PassageKind)]) -> Vec<PassageCluster> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_unstable_by_key(|&n| (std::cmp::Reverse(links_of(n).len()), n));
    let mut taken = vec![false; nodes.len()];
    let mut clusters = Vec::new();
    for centre in order {
        if taken[centre] || links_of(centre).is_empty() {
            continue;
        }
        let members: Vec<&(u32, PassageKind)> = links_of(centre).iter().filter(|(m, _)| !taken[*m as usize]).collect();
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
    clusters.sort_unstable_by_key(|c| c.occurrences[0]);
    clusters
}

/// Turns counts at `v[i + 1]` into starts at `v[i]`: each value the sum of those before.
fn prefix_sums(v: &mut [usize]) {
    for i in 1..v.len() {
        v[i] += v[i - 1];
    }
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
            scores: None,
        }
    }

    /// The clusters as they were found with one sort of all occurrences, a map of them
    /// and a list of links for each node: what [`passage_clusters`] must equal.
    fn reference_clusters(pairs: &[PairPassages]) -> Vec<PassageCluster> {
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
        // (The stars chosen as before: what differs is how nodes and links are found.)
        stars(&nodes, |x| &links[x])
    }

    proptest::proptest! {
        /// [`passage_clusters`] against [`reference_clusters`], on passages between few
        /// documents with spans that overlap, repeat, nest or are empty (a pair of a
        /// document with itself too).
        #[test]
        fn clusters_agree_with_the_reference(
            pairs in proptest::collection::vec(
                (0u32..6, 0u32..6, proptest::collection::vec((0u32..40, 0u32..20, 0u32..40, 0u32..20, 0u8..3), 0..4)),
                0..12,
            )
        ) {
            let kinds = [PassageKind::Verbatim, PassageKind::NearVerbatim, PassageKind::Reworded];
            let pairs: Vec<PairPassages> = pairs
                .iter()
                .map(|(a, b, ps)| {
                    let ps: Vec<_> = ps.iter().map(|&(x, lx, y, ly, k)| (x, x + lx, y, y + ly, kinds[k as usize])).collect();
                    pair(*a.min(b), *a.max(b), &ps)
                })
                .collect();
            proptest::prop_assert_eq!(passage_clusters(&pairs), reference_clusters(&pairs));
        }
    }

    /// One occurrence in two passages is one node, whatever its length: the passages
    /// make one cluster.
    #[test]
    fn an_occurrence_shared_by_two_passages_is_one_node() {
        for (start, end) in [(5, 25), (5, 5)] {
            let pairs = vec![
                pair(0, 1, &[(start, end, 10, 20, PassageKind::Verbatim)]),
                pair(0, 2, &[(start, end, 30, 40, PassageKind::Verbatim)]),
            ];
            let c = passage_clusters(&pairs);
            assert_eq!(c.len(), 1, "{c:?}");
            assert_eq!(c[0].occurrences.len(), 3, "{c:?}");
            assert_eq!(c, reference_clusters(&pairs));
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
