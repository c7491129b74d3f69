//! The pre-ingest filter: a stream of documents goes in, the first copy of each story is
//! admitted, later copies of admitted documents are held back.
//!
//! A [`Filter`] owns an [`Index`] of the documents it admitted. Documents come in
//! batches, in input order:
//!
//! ```text
//! batch ─► prepare, sign and query the index as it was before the batch (‖ documents)
//!       ─► decide in input order (sequential): same id? evictions, earliest live match,
//!          matches among the batch's earlier admissions, else admit and index
//! ```
//!
//! **Decisions equal those of [`crate::scan`]** with the same configuration on the same
//! documents in the same order, without passages and without boilerplate detection
//! (`--no-passages --boilerplate-docs 0`; a stream has no corpus to count segments in,
//! but an index created from a corpus carries that corpus's boilerplate, see
//! [`Index::with_boilerplate`], and the filter compares documents without it): a document is held back exactly when it is a
//! copy (`duplicate`, `contains`, `contained_by`) of a document admitted before it, and
//! `duplicate_of` is the earliest such document, the representative its duplicate
//! cluster would have. This holds for any batch size and thread count, because the
//! first phase only reads the index and every decision is taken in order.
//! Two documented differences: a scan does not expand LSH buckets of more than
//! [`crate::lsh::MAX_BUCKET_PAIRWISE`] documents in full, while the filter's buckets only
//! hold admitted documents and are always searched in full; and eviction
//! ([`FilterOptions::window`], [`FilterOptions::max_docs`]) forgets documents a scan
//! would remember.
//!
//! Documents whose shingle set equals that of an indexed document take a fast path (a
//! hash lookup: no signature, no band search). A document without shingles is admitted
//! and matches nothing, as in a scan.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::index::{Index, Match, Probe};
use crate::verify::Relation;

/// What to do with a document whose id is already indexed (an updated article).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SameId {
    /// The indexed version is removed; the new one is judged like any document (and
    /// admitted unless it copies another admitted document).
    #[default]
    Replace,
    /// The indexed version stays; the new one is held back as a copy of it.
    Keep,
    /// The new one is reported as an input problem and passed on nowhere.
    Report,
}

/// How the filter bounds its index and treats repeated ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterOptions {
    /// Evict documents whose time is more than this many seconds before the latest
    /// time seen (documents need a time).
    pub window: Option<i64>,
    /// Keep at most this many documents; the earliest added are evicted first.
    pub max_docs: Option<usize>,
    /// Repeated ids.
    pub on_same_id: SameId,
}

/// One incoming document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Incoming {
    /// Its id.
    pub id: String,
    /// Its time in Unix seconds, when known (required by [`FilterOptions::window`]).
    pub time: Option<i64>,
    /// Its text.
    pub text: String,
}

/// Why a document was held back.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    /// Id of the admitted document it copies.
    pub of: String,
    /// How this document relates to that one: `duplicate`, `contained_by` (this one
    /// is inside the admitted one: a truncated copy) or `contains` (this one wraps it).
    pub relation: Relation,
    /// Jaccard similarity of the two shingle sets (estimated with `--estimate`).
    pub jaccard: f64,
    /// Share of this document's shingles found in the admitted one.
    pub containment: f64,
    /// True when it took the exact-duplicate fast path (same shingle set).
    pub exact: bool,
}

/// The filter's decision on one document.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Passed on, and indexed.
    Admitted,
    /// Held back: a copy of an admitted document.
    Duplicate(Held),
    /// Held back under [`SameId::Keep`]: the id is already indexed.
    SameId {
        /// The repeated id.
        of: String,
    },
    /// Refused under [`SameId::Report`]: the id is already indexed.
    RepeatedId,
}

/// The streaming filter. See the module documentation.
pub struct Filter {
    index: Index,
    options: FilterOptions,
    latest: i64,
    by_time: BinaryHeap<Reverse<(i64, u32)>>,
    oldest: u32,
    evicted: u64,
}

struct Phase1 {
    probe: Probe,
    fast: Option<u32>,
    matches: Vec<Match>,
}

impl Filter {
    /// A filter admitting into `index` (empty, or loaded from a file).
    pub fn new(index: Index, options: FilterOptions) -> Filter {
        let mut filter = Filter { index, options, latest: i64::MIN, by_time: BinaryHeap::new(), oldest: 0, evicted: 0 };
        filter.rebuild_time_order();
        filter
    }

    fn rebuild_time_order(&mut self) {
        self.by_time.clear();
        self.oldest = 0;
        if self.options.window.is_some() {
            let idx = &self.index;
            let live = (0..idx.slots() as u32).filter(|&s| idx.is_alive(s));
            self.by_time = live.clone().map(|s| Reverse((idx.time(s), s))).collect();
            self.latest = self.latest.max(live.map(|s| idx.time(s)).max().unwrap_or(i64::MIN));
        }
    }

    /// The index of admitted documents.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Gives the index back.
    pub fn into_index(self) -> Index {
        self.index
    }

    /// Documents evicted so far (window and size cap).
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// Decides on a batch of documents, in order; one decision per document.
    pub fn process(&mut self, batch: &[Incoming]) -> Vec<Decision> {
        if self.index.should_compact() {
            self.index.compact();
            self.rebuild_time_order();
        }
        let batch_start = self.index.slots() as u32;
        let index = &self.index;
        let first: Vec<Phase1> = batch
            .par_iter()
            .map_init(
                || (index.sketcher(), Vec::new()),
                |(sketcher, scratch), doc| {
                    let mut probe = index.prepare(sketcher, &doc.text);
                    let fast = index.find_same_set(&probe);
                    let mut matches = Vec::new();
                    if fast.is_none() {
                        index.sign(&mut probe);
                        matches = index.query(&probe, 0, scratch);
                        matches.retain(|m| m.relation.is_copy());
                    }
                    Phase1 { probe, fast, matches }
                },
            )
            .collect();
        let mut scratch = Vec::new();
        batch.iter().zip(first).map(|(doc, found)| self.decide(doc, found, batch_start, &mut scratch)).collect()
    }

    fn decide(&mut self, doc: &Incoming, found: Phase1, batch_start: u32, scratch: &mut Vec<u32>) -> Decision {
        if let Some(old) = self.index.find_id(&doc.id) {
            match self.options.on_same_id {
                SameId::Replace => self.index.remove_slot(old),
                SameId::Keep => return Decision::SameId { of: doc.id.clone() },
                SameId::Report => return Decision::RepeatedId,
            }
        }
        if let (Some(window), Some(time)) = (self.options.window, doc.time) {
            self.latest = self.latest.max(time);
            let cutoff = self.latest.saturating_sub(window);
            while let Some(&Reverse((t, slot))) = self.by_time.peek() {
                if t >= cutoff {
                    break;
                }
                self.by_time.pop();
                if self.index.is_alive(slot) {
                    self.index.remove_slot(slot);
                    self.evicted += 1;
                }
            }
        }
        let Phase1 { mut probe, fast, matches } = found;
        let index = &self.index;
        let exact = |slot: u32| Held {
            of: index.id(slot).to_string(),
            relation: Relation::Duplicate,
            jaccard: 1.0,
            containment: 1.0,
            exact: true,
        };
        let held = |m: &Match| Held {
            of: index.id(m.slot).to_string(),
            relation: m.relation.reversed(),
            jaccard: m.scores.jaccard,
            containment: m.scores.containment_b,
            exact: false,
        };
        let first_copy = |probe: &Probe, min_slot: u32, scratch: &mut Vec<u32>| {
            index.query(probe, min_slot, scratch).into_iter().find(|m| m.relation.is_copy())
        };
        let decision = if let Some(slot) = fast.filter(|&s| index.is_alive(s)) {
            Some(exact(slot))
        } else if let Some(m) = matches.iter().find(|m| index.is_alive(m.slot)) {
            Some(held(m))
        } else {
            // The fast path's document was evicted since: search the index in full.
            let min_slot = if fast.is_some() { 0 } else { batch_start };
            if let Some(slot) = index.find_same_set(&probe) {
                Some(exact(slot))
            } else {
                index.sign(&mut probe);
                first_copy(&probe, min_slot, scratch).map(|m| held(&m))
            }
        };
        if let Some(h) = decision {
            return Decision::Duplicate(h);
        }
        let slot = self.index.insert(&doc.id, doc.time.unwrap_or(0), probe);
        if self.options.window.is_some() {
            self.by_time.push(Reverse((doc.time.unwrap_or(i64::MIN), slot)));
        }
        if let Some(max) = self.options.max_docs {
            while self.index.len() > max {
                if self.index.is_alive(self.oldest) {
                    self.index.remove_slot(self.oldest);
                    self.evicted += 1;
                }
                self.oldest += 1;
            }
        }
        Decision::Admitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScanConfig;
    use crate::index::IndexParams;

    fn words(seed: u64, n: usize) -> String {
        crate::index::synthetic_text(seed, n, 3000)
    }

    fn doc(id: &str, time: i64, text: &str) -> Incoming {
        Incoming { id: id.into(), time: Some(time), text: text.into() }
    }

    fn filter(options: FilterOptions) -> Filter {
        Filter::new(Index::new(IndexParams::from_config(&ScanConfig::default())).unwrap(), options)
    }

    fn held_of(d: &Decision) -> Option<&str> {
        match d {
            Decision::Duplicate(h) => Some(&h.of),
            _ => None,
        }
    }

    #[test]
    fn first_copy_wins_within_and_across_batches() {
        let a = words(1, 200);
        let b = words(2, 200);
        let docs = [
            doc("a", 0, &a),
            doc("a-copy", 1, &a.to_uppercase()),
            doc("b", 2, &b),
            doc("a-part", 3, &a[..a.len() / 2]),
            doc("b-more", 4, &format!("{b} {}", words(3, 30))),
        ];
        for batch in [1, 2, 5] {
            let mut f = filter(FilterOptions::default());
            let got: Vec<Decision> = docs.chunks(batch).flat_map(|c| f.process(c)).collect();
            let of: Vec<Option<&str>> = got.iter().map(held_of).collect();
            assert_eq!(of, [None, Some("a"), None, Some("a"), Some("b")], "batch size {batch}");
            let Decision::Duplicate(h) = &got[1] else { unreachable!() };
            assert!(h.exact);
            let Decision::Duplicate(h) = &got[3] else { unreachable!() };
            assert_eq!(h.relation, Relation::ContainedBy);
            assert!(h.containment > 0.95 && h.jaccard < 0.6);
            let Decision::Duplicate(h) = &got[4] else { unreachable!() };
            assert_eq!(h.relation, Relation::Contains);
            assert_eq!(f.index().len(), 2);
        }
    }

    #[test]
    fn window_and_size_cap_evict_the_oldest() {
        let texts: Vec<String> = (0..6).map(|i| words(10 + i, 150)).collect();
        let mut f = filter(FilterOptions { window: Some(100), ..Default::default() });
        f.process(&[doc("old", 0, &texts[0]), doc("new", 150, &texts[1])]);
        // "old" is more than 100 s before the latest time seen: evicted, its copy admitted.
        let d = f.process(&[doc("old-copy", 151, &texts[0]), doc("new-copy", 152, &texts[1])]);
        assert_eq!(d[0], Decision::Admitted);
        assert_eq!(held_of(&d[1]), Some("new"));
        assert_eq!(f.evicted(), 1);

        let mut f = filter(FilterOptions { max_docs: Some(2), ..Default::default() });
        let d = f.process(&[
            doc("t0", 0, &texts[0]),
            doc("t1", 0, &texts[1]),
            doc("t2", 0, &texts[2]),
            doc("t0-again", 0, &texts[0]),
            doc("t2-again", 0, &texts[2]),
        ]);
        assert_eq!(d[3], Decision::Admitted, "t0 was evicted by the cap");
        assert_eq!(held_of(&d[4]), Some("t2"));
        assert_eq!(f.index().len(), 2);
    }

    #[test]
    fn repeated_ids_follow_the_policy() {
        let (a, b) = (words(20, 120), words(21, 120));
        for (policy, expect) in [
            (SameId::Replace, Decision::Admitted),
            (SameId::Keep, Decision::SameId { of: "x".into() }),
            (SameId::Report, Decision::RepeatedId),
        ] {
            let mut f = filter(FilterOptions { on_same_id: policy, ..Default::default() });
            let d = f.process(&[doc("x", 0, &a), doc("x", 1, &b)]);
            assert_eq!(d[1], expect, "{policy:?}");
            // Under replace, the old version is gone: its text is admitted again.
            let d = f.process(&[doc("y", 2, &a)]);
            assert_eq!(d[0] == Decision::Admitted, policy == SameId::Replace, "{policy:?}");
        }
    }
}
