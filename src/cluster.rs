//! Duplicate clusters from verified pairs, without chaining.
//!
//! The transitive closure of similarity edges chains: A~B and B~C put A and C together
//! even when they share nothing but a template, and on large corpora such chains grow
//! into clusters of thousands of unrelated documents. dupmap's clusters are *stars*:
//!
//! 1. Documents are taken in input order. A document not yet in a cluster becomes the
//!    **representative** of a new cluster: the representative is the first seen copy.
//! 2. Every later document not yet in a cluster that has a verified copy relation
//!    (`duplicate`, `contains`, `contained_by`) with that representative joins it.
//!
//! So every member is verified similar to its representative, a document belongs to the
//! cluster of the earliest representative it copies, and the result equals what a
//! streaming filter decides when it admits the first copy of each story and holds back
//! later copies of what it admitted.

use crate::text::DocId;

/// A duplicate cluster: a representative and the documents that copy it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The first seen document of the cluster.
    pub representative: DocId,
    /// All members in input order, the representative first.
    pub members: Vec<DocId>,
}

/// Clusters of two or more documents, ordered by representative, from copy edges
/// `(a, b)` (any order, repeats allowed) among `num_docs` documents.
pub fn star_clusters(num_docs: usize, copy_edges: impl IntoIterator<Item = (DocId, DocId)>) -> Vec<Cluster> {
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); num_docs];
    for (a, b) in copy_edges {
        if a != b {
            neighbours[a.index()].push(b.0);
            neighbours[b.index()].push(a.0);
        }
    }
    let mut assigned = vec![false; num_docs];
    let mut clusters = Vec::new();
    for rep in 0..num_docs {
        if assigned[rep] {
            continue;
        }
        assigned[rep] = true;
        let mut members: Vec<u32> = neighbours[rep].iter().copied().filter(|&m| !assigned[m as usize]).collect();
        if members.is_empty() {
            continue;
        }
        members.sort_unstable();
        members.dedup();
        for &m in &members {
            assigned[m as usize] = true;
        }
        let mut all = vec![DocId(rep as u32)];
        all.extend(members.into_iter().map(DocId));
        clusters.push(Cluster { representative: DocId(rep as u32), members: all });
    }
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(i: u32) -> DocId {
        DocId(i)
    }

    #[test]
    fn chains_do_not_merge() {
        // 0~1, 1~2, 2~3: a chain. 0 takes 1; 2 is not similar to 0 so starts its own.
        let c = star_clusters(4, [(d(0), d(1)), (d(1), d(2)), (d(2), d(3))]);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].members, [d(0), d(1)]);
        assert_eq!(c[1].members, [d(2), d(3)]);
    }

    #[test]
    fn earliest_representative_wins() {
        let c = star_clusters(5, [(d(3), d(4)), (d(1), d(4)), (d(1), d(3))]);
        assert_eq!(c, vec![Cluster { representative: d(1), members: vec![d(1), d(3), d(4)] }]);
    }

    #[test]
    fn singletons_are_not_clusters() {
        assert!(star_clusters(3, []).is_empty());
    }
}
