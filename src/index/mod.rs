//! A persistent, bounded dedup index: the documents a stream has admitted, searchable
//! for near-duplicates with the same normalisation, signatures, banding and verification
//! as [`crate::scan`].
//!
//! ```text
//! text ─► shingle set ─► set hash ──► same set already indexed? (exact-duplicate fast path)
//!                      └► signature ─► band tables ─► candidates ─► verified (exact or estimated)
//! ```
//!
//! Each indexed document is a *slot*, numbered in insertion order. A slot keeps the
//! document's id, time, shingle-set size and hash, its MinHash signature and, with exact
//! verification, its shingle set. Removing a document (by id, or by eviction) marks its
//! slot dead; the index compacts itself when a quarter of its slots are dead.
//!
//! Memory per document (num_perm 128, 64 bands): signature 512 bytes, band tables about
//! 320, the rest about 60 plus the id: under 1 KB when candidates are verified from
//! signatures ([`Verification::Estimate`]). Exact verification also keeps the shingle
//! set, 8 bytes per distinct shingle (about 4–5 KB for a news article).
//!
//! An index created from a corpus may carry that corpus's boilerplate segments
//! ([`Index::with_boilerplate`]); documents are then compared without them.
//!
//! See [`file`] for the file format.

pub mod bands;
pub mod file;

use hashbrown::HashTable;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64_with_seed, Xxh3};

use crate::boilerplate::Boilerplate;
use crate::config::{ScanConfig, Verification};
use crate::error::{Error, Result};
use crate::minhash::{estimate_jaccard, MinHashScheme, MinHasher, Signature};
use crate::sketch::Sketcher;
use crate::text::{Shingling, NORMALIZATION_VERSION};
use crate::verify::{classify, estimated_scores, exact_scores, Relation, RelationThresholds, Scores};

use bands::BandTables;

/// Everything that decides what an index finds: a saved index is only used with these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexParams {
    /// Normalisation version of the dupmap that built the index.
    pub normalization: u32,
    /// Shingles.
    pub shingling: Shingling,
    /// MinHash functions.
    pub num_perm: usize,
    /// MinHash seed.
    pub seed: u64,
    /// MinHash scheme.
    pub minhash: MinHashScheme,
    /// LSH bands.
    pub bands: usize,
    /// Rows per band.
    pub rows: usize,
    /// Exact (shingle sets kept) or estimated from signatures.
    pub verification: Verification,
    /// Relation thresholds (these may be changed when an index is loaded).
    pub relation: RelationThresholds,
    /// The document frequency at which segments were taken as boilerplate when the
    /// index was created from a corpus (0: none; see [`Index::with_boilerplate`]).
    #[serde(default)]
    pub boilerplate_min_docs: u32,
}

impl IndexParams {
    /// The parameters of a scan configuration.
    pub fn from_config(config: &ScanConfig) -> IndexParams {
        IndexParams {
            normalization: NORMALIZATION_VERSION,
            shingling: config.shingling,
            num_perm: config.num_perm,
            seed: config.seed,
            minhash: config.minhash,
            bands: config.bands,
            rows: config.rows,
            verification: config.verification,
            relation: config.relation,
            boilerplate_min_docs: 0,
        }
    }

    /// Checks that an index built with `self` can serve `wanted`; names the first
    /// parameter that differs. Relation thresholds may differ (they only change how
    /// figures are read).
    pub fn check_compatible(&self, wanted: &IndexParams) -> std::result::Result<(), String> {
        let differ = |name: &str, have: String, want: String| {
            Err(format!(
                "the index was built with {name} {have}, not {want}; use the same options or build a new index"
            ))
        };
        if self.normalization != wanted.normalization {
            return Err(format!(
                "the index was built by a dupmap with normalisation version {}; this one normalises text as \
                 version {}: build a new index",
                self.normalization, wanted.normalization
            ));
        }
        if self.shingling != wanted.shingling {
            return differ("shingles", self.shingling.to_string(), wanted.shingling.to_string());
        }
        if self.num_perm != wanted.num_perm {
            return differ("num_perm", self.num_perm.to_string(), wanted.num_perm.to_string());
        }
        if self.seed != wanted.seed {
            return differ("seed", self.seed.to_string(), wanted.seed.to_string());
        }
        if self.minhash != wanted.minhash {
            return differ("minhash", format!("{:?}", self.minhash), format!("{:?}", wanted.minhash));
        }
        if (self.bands, self.rows) != (wanted.bands, wanted.rows) {
            return differ(
                "bands x rows",
                format!("{} x {}", self.bands, self.rows),
                format!("{} x {}", wanted.bands, wanted.rows),
            );
        }
        if self.verification != wanted.verification {
            return differ(
                "verification",
                format!("{:?}", self.verification).to_lowercase(),
                format!("{:?}", wanted.verification).to_lowercase(),
            );
        }
        Ok(())
    }
}

/// A document prepared for the index: its shingle set, set hash and (once computed) signature.
#[derive(Clone, Debug, Default)]
pub struct Probe {
    /// The sorted shingle set (kept only when the index verifies exactly).
    pub set: Vec<u64>,
    /// Number of distinct shingles.
    pub set_size: u32,
    /// Hash of the whole set (0 for an empty set): equal sets, equal hashes.
    pub set_hash: u64,
    /// MinHash signature, `None` until [`Index::sign`] (and for an empty set).
    pub signature: Option<Signature>,
}

impl Probe {
    /// True for a document without shingles: it matches nothing.
    pub fn is_empty(&self) -> bool {
        self.set_size == 0
    }
}

/// An indexed document that a probe matches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    /// The indexed document's slot.
    pub slot: u32,
    /// The relation with the indexed document as `a` and the probe as `b`.
    pub relation: Relation,
    /// Figures, same orientation.
    pub scores: Scores,
}

/// The index. See the module documentation.
#[derive(Clone, Debug)]
pub struct Index {
    params: IndexParams,
    hasher: MinHasher,
    id_bytes: Vec<u8>,
    id_ends: Vec<u64>,
    times: Vec<i64>,
    set_sizes: Vec<u32>,
    set_hashes: Vec<u64>,
    alive: Vec<bool>,
    signatures: Vec<u32>,
    set_data: Vec<u64>,
    set_ends: Vec<u64>,
    bands: BandTables,
    by_id: HashTable<u32>,
    by_set: HashTable<u32>,
    live: usize,
    added: u64,
    boilerplate: Boilerplate,
}

/// Where item `slot` lies in an arena whose items end at `ends` (ids, shingle sets).
fn arena_range(ends: &[u64], slot: u32) -> std::ops::Range<usize> {
    let s = slot as usize;
    let start = if s == 0 { 0 } else { ends[s - 1] as usize };
    start..ends[s] as usize
}

/// Seed of the id hash (any fixed value; ids are hashed only in memory).
const ID_SEED: u64 = 0x6475_706d_6170_6964;

impl Index {
    /// An empty index.
    pub fn new(params: IndexParams) -> Result<Index> {
        if params.bands == 0 || params.rows == 0 || params.bands * params.rows > params.num_perm {
            return Err(Error::Config(format!(
                "bands x rows = {} x {} does not fit num_perm {}",
                params.bands, params.rows, params.num_perm
            )));
        }
        Ok(Index {
            hasher: MinHasher::with_scheme(params.num_perm, params.seed, params.minhash),
            bands: BandTables::new(params.bands, params.rows, params.num_perm),
            params,
            id_bytes: Vec::new(),
            id_ends: Vec::new(),
            times: Vec::new(),
            set_sizes: Vec::new(),
            set_hashes: Vec::new(),
            alive: Vec::new(),
            signatures: Vec::new(),
            set_data: Vec::new(),
            set_ends: Vec::new(),
            by_id: HashTable::new(),
            by_set: HashTable::new(),
            live: 0,
            added: 0,
            boilerplate: Boilerplate::none(),
        })
    }

    /// Gives an empty index a fixed set of boilerplate segments, learnt from a corpus
    /// with [`Boilerplate::learn`] at `min_docs`: every document is then compared
    /// without them, as [`crate::scan`] compares the documents of that corpus.
    pub fn with_boilerplate(mut self, boilerplate: Boilerplate, min_docs: u32) -> Index {
        assert!(self.slots() == 0, "boilerplate is fixed before the first document");
        self.boilerplate = boilerplate;
        self.params.boilerplate_min_docs = min_docs;
        self
    }

    /// The boilerplate segments documents are compared without (often none).
    pub fn boilerplate(&self) -> &Boilerplate {
        &self.boilerplate
    }

    /// The parameters.
    pub fn params(&self) -> &IndexParams {
        &self.params
    }

    /// Uses other relation thresholds from now on (they do not change what is stored).
    pub fn set_relation(&mut self, relation: RelationThresholds) {
        self.params.relation = relation;
    }

    /// Number of documents indexed (live slots).
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Documents added over the index's life (removed ones included).
    pub fn added(&self) -> u64 {
        self.added
    }

    /// Number of slots, dead ones included: slots are numbered `0..slots()`.
    pub fn slots(&self) -> usize {
        self.alive.len()
    }

    /// True when `slot` holds a document.
    pub fn is_alive(&self, slot: u32) -> bool {
        self.alive.get(slot as usize).copied().unwrap_or(false)
    }

    /// The id of the document in `slot`.
    pub fn id(&self, slot: u32) -> &str {
        std::str::from_utf8(&self.id_bytes[arena_range(&self.id_ends, slot)]).expect("ids are stored from &str")
    }

    /// The time given when the document in `slot` was added.
    pub fn time(&self, slot: u32) -> i64 {
        self.times[slot as usize]
    }

    fn signature_of(&self, slot: u32) -> &[u32] {
        let np = self.params.num_perm;
        &self.signatures[slot as usize * np..(slot as usize + 1) * np]
    }

    fn set_of(&self, slot: u32) -> &[u64] {
        &self.set_data[arena_range(&self.set_ends, slot)]
    }

    fn id_hash(id: &str) -> u64 {
        xxh3_64_with_seed(id.as_bytes(), ID_SEED)
    }

    /// The live slot holding `id`, if any.
    pub fn find_id(&self, id: &str) -> Option<u32> {
        self.by_id.find(Index::id_hash(id), |&s| self.id(s) == id).copied()
    }

    /// The earliest live slot whose shingle set equals the probe's (the fast path for
    /// exact duplicates), if any.
    pub fn find_same_set(&self, probe: &Probe) -> Option<u32> {
        if probe.is_empty() {
            return None;
        }
        self.by_set.find(probe.set_hash, |&s| self.set_hashes[s as usize] == probe.set_hash).copied()
    }

    /// A sketcher for [`prepare`](Self::prepare) (one per thread), with the index's
    /// shingling and boilerplate.
    pub fn sketcher(&self) -> Sketcher<'_> {
        Sketcher::new(self.params.shingling, &self.boilerplate)
    }

    /// Prepares a document: its shingle set and set hash (no signature yet).
    pub fn prepare(&self, sketcher: &mut Sketcher<'_>, text: &str) -> Probe {
        let (set, _) = sketcher.shingle_set(text);
        let set_hash = if set.is_empty() {
            0
        } else {
            let mut h = Xxh3::new();
            for v in set {
                h.update(&v.to_le_bytes());
            }
            h.digest() | 1
        };
        Probe { set: set.to_vec(), set_size: set.len() as u32, set_hash, signature: None }
    }

    /// Computes the probe's signature if it has none yet.
    pub fn sign(&self, probe: &mut Probe) {
        if probe.signature.is_none() && !probe.is_empty() {
            probe.signature = Some(self.hasher.signature(probe.set.iter().copied()));
        }
    }

    /// The figures of the document in `slot` (as `a`) against the probe (as `b`).
    pub fn scores(&self, slot: u32, probe: &Probe) -> Scores {
        match self.params.verification {
            Verification::Exact => exact_scores(self.set_of(slot), &probe.set),
            Verification::Estimate => {
                let sig = probe.signature.as_deref().unwrap_or(&[]);
                let j = if sig.is_empty() { 0.0 } else { estimate_jaccard(self.signature_of(slot), sig) };
                estimated_scores(j, self.set_sizes[slot as usize] as usize, probe.set_size as usize)
            }
        }
    }

    /// Every live slot at or after `min_slot` the (signed) probe matches with some
    /// relation, in slot order. `scratch` is a reusable buffer.
    pub fn query(&self, probe: &Probe, min_slot: u32, scratch: &mut Vec<u32>) -> Vec<Match> {
        let Some(sig) = probe.signature.as_deref() else { return Vec::new() };
        self.bands.candidates(sig, &self.signatures, min_slot, scratch);
        scratch
            .iter()
            .filter(|&&s| self.alive[s as usize] && self.set_sizes[s as usize] > 0)
            .filter_map(|&slot| {
                let scores = self.scores(slot, probe);
                classify(&scores, &self.params.relation).map(|relation| Match { slot, relation, scores })
            })
            .collect()
    }

    /// Adds a document; returns its slot. The probe is signed if it was not. The id
    /// must not be indexed already (see [`find_id`](Self::find_id)).
    pub fn insert(&mut self, id: &str, time: i64, mut probe: Probe) -> u32 {
        debug_assert!(self.find_id(id).is_none(), "id {id:?} indexed twice");
        self.sign(&mut probe);
        let slot = self.alive.len() as u32;
        self.id_bytes.extend_from_slice(id.as_bytes());
        self.id_ends.push(self.id_bytes.len() as u64);
        self.times.push(time);
        self.set_sizes.push(probe.set_size);
        self.set_hashes.push(probe.set_hash);
        self.alive.push(true);
        match &probe.signature {
            Some(sig) => self.signatures.extend_from_slice(sig),
            None => self.signatures.extend(std::iter::repeat_n(u32::MAX, self.params.num_perm)),
        }
        if self.params.verification == Verification::Exact {
            self.set_data.extend_from_slice(&probe.set);
            self.set_ends.push(self.set_data.len() as u64);
        }
        self.index_slot(slot);
        let sizes = &self.set_sizes;
        self.bands.push(&self.signatures, &|s| sizes[s as usize] > 0);
        self.live += 1;
        self.added += 1;
        slot
    }

    /// Enters a live slot into the id and set-hash tables.
    fn index_slot(&mut self, slot: u32) {
        let Index { by_id, by_set, id_bytes, id_ends, set_hashes, .. } = self;
        let id_of = |s: u32| &id_bytes[arena_range(id_ends, s)];
        by_id.insert_unique(xxh3_64_with_seed(id_of(slot), ID_SEED), slot, |&s| xxh3_64_with_seed(id_of(s), ID_SEED));
        let h = set_hashes[slot as usize];
        if h != 0 && by_set.find(h, |&s| set_hashes[s as usize] == h).is_none() {
            by_set.insert_unique(h, slot, |&s| set_hashes[s as usize]);
        }
    }

    /// Removes the document in `slot` (no-op when already removed).
    pub fn remove_slot(&mut self, slot: u32) {
        if !self.is_alive(slot) {
            return;
        }
        self.alive[slot as usize] = false;
        self.live -= 1;
        let h = Index::id_hash(self.id(slot));
        if let Ok(entry) = self.by_id.find_entry(h, |&s| s == slot) {
            entry.remove();
        }
        let sh = self.set_hashes[slot as usize];
        if let Ok(entry) = self.by_set.find_entry(sh, |&s| s == slot) {
            // Later documents with the same set (possible only in an index built with
            // `index add`) are still found through the band tables.
            entry.remove();
        }
    }

    /// Removes the document with this id; false when it is not indexed.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.find_id(id) {
            Some(slot) => {
                self.remove_slot(slot);
                true
            }
            None => false,
        }
    }

    /// True when enough slots are dead that [`compact`](Self::compact) is worth it.
    pub fn should_compact(&self) -> bool {
        let dead = self.alive.len() - self.live;
        dead >= 1024 && dead * 4 >= self.alive.len()
    }

    /// Drops dead slots, renumbering the live ones in order; returns the map from old
    /// slot to new (`u32::MAX` for dropped ones).
    pub fn compact(&mut self) -> Vec<u32> {
        let mut map = vec![u32::MAX; self.alive.len()];
        let mut fresh = Index::new(self.params.clone()).expect("parameters were valid");
        fresh.reserve(self.live);
        if self.params.verification == Verification::Exact {
            let live = (0..self.alive.len() as u32).filter(|&s| self.alive[s as usize]);
            fresh.set_data.reserve_exact(live.map(|s| self.set_sizes[s as usize] as usize).sum());
            fresh.set_ends.reserve_exact(self.live);
        }
        for slot in 0..self.alive.len() as u32 {
            if self.alive[slot as usize] {
                map[slot as usize] = fresh.push_raw(self, slot);
            }
        }
        fresh.finish_load();
        fresh.added = self.added;
        fresh.boilerplate = std::mem::take(&mut self.boilerplate);
        *self = fresh;
        map
    }

    fn reserve(&mut self, n: usize) {
        self.id_ends.reserve_exact(n);
        self.times.reserve_exact(n);
        self.set_sizes.reserve_exact(n);
        self.set_hashes.reserve_exact(n);
        self.alive.reserve_exact(n);
        self.signatures.reserve_exact(n * self.params.num_perm);
    }

    /// Copies a slot of another index with the same parameters (band tables are built
    /// afterwards by [`finish_load`](Self::finish_load)).
    fn push_raw(&mut self, from: &Index, slot: u32) -> u32 {
        let new = self.alive.len() as u32;
        self.id_bytes.extend_from_slice(from.id(slot).as_bytes());
        self.id_ends.push(self.id_bytes.len() as u64);
        self.times.push(from.times[slot as usize]);
        self.set_sizes.push(from.set_sizes[slot as usize]);
        self.set_hashes.push(from.set_hashes[slot as usize]);
        self.alive.push(true);
        self.signatures.extend_from_slice(from.signature_of(slot));
        if self.params.verification == Verification::Exact {
            self.set_data.extend_from_slice(from.set_of(slot));
            self.set_ends.push(self.set_data.len() as u64);
        }
        self.live += 1;
        new
    }

    /// Builds the id, set and band tables over all slots (after loading or compacting).
    fn finish_load(&mut self) {
        for slot in 0..self.alive.len() as u32 {
            self.index_slot(slot);
        }
        let sizes = &self.set_sizes;
        self.bands.rebuild_all(self.alive.len(), &self.signatures, &|s| sizes[s as usize] > 0);
    }

    /// Bytes of memory the index holds (capacities of its tables, ids included).
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        self.id_bytes.capacity()
            + self.id_ends.capacity() * size_of::<u64>()
            + self.times.capacity() * size_of::<i64>()
            + self.set_sizes.capacity() * size_of::<u32>()
            + self.set_hashes.capacity() * size_of::<u64>()
            + self.alive.capacity()
            + self.signatures.capacity() * size_of::<u32>()
            + self.set_data.capacity() * size_of::<u64>()
            + self.set_ends.capacity() * size_of::<u64>()
            + self.bands.memory_bytes()
            + (self.by_id.capacity() + self.by_set.capacity()) * (size_of::<u32>() + 1)
    }
}

/// Seeded test text: `words` words `w0`..`w{vocab}` (xorshift), for the unit tests.
#[cfg(test)]
pub(crate) fn synthetic_text(seed: u64, words: usize, vocab: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..words)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{}", x % vocab)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(verification: Verification) -> Index {
        let config = ScanConfig::builder().verification(verification).build().unwrap();
        Index::new(IndexParams::from_config(&config)).unwrap()
    }

    fn text(seed: u64, words: usize) -> String {
        synthetic_text(seed, words, 5000)
    }

    /// Indexes `texts` as `d0`, `d1`, ... (prepared first: a sketcher borrows the index).
    fn fill(idx: &mut Index, texts: &[String]) {
        let mut sk = idx.sketcher();
        let probes: Vec<Probe> = texts.iter().map(|t| idx.prepare(&mut sk, t)).collect();
        drop(sk);
        for (i, p) in probes.into_iter().enumerate() {
            idx.insert(&format!("d{i}"), i as i64, p);
        }
    }

    #[test]
    fn finds_copies_by_id_set_and_band_and_forgets_removed_ones() {
        for verification in [Verification::Exact, Verification::Estimate] {
            let mut idx = index(verification);
            let texts: Vec<String> = (0..300).map(|i| text(i, 120)).collect();
            fill(&mut idx, &texts);
            let mut sk = idx.sketcher();
            assert_eq!(idx.len(), 300);
            assert_eq!(idx.find_id("d17"), Some(17));
            assert_eq!(idx.id(17), "d17");
            // An exact copy: fast path.
            let same = idx.prepare(&mut sk, &texts[42].to_uppercase());
            assert_eq!(idx.find_same_set(&same), Some(42));
            // A truncated copy: found through the bands, relation contains.
            let mut part = idx.prepare(&mut sk, &texts[200][..texts[200].len() / 2]);
            assert_eq!(idx.find_same_set(&part), None);
            idx.sign(&mut part);
            let mut scratch = Vec::new();
            let m = idx.query(&part, 0, &mut scratch);
            let copies: Vec<u32> = m.iter().filter(|m| m.relation.is_copy()).map(|m| m.slot).collect();
            assert_eq!(copies, [200], "{verification:?}");
            assert_eq!(m[0].relation, Relation::Contains);
            // Removed: no longer found, by any path.
            assert!(idx.remove("d200"));
            assert!(!idx.remove("d200"));
            assert!(idx.query(&part, 0, &mut scratch).is_empty());
            assert!(idx.find_id("d200").is_none());
            idx.remove_slot(42);
            assert_eq!(idx.find_same_set(&same), None);
            assert_eq!(idx.len(), 298);
        }
    }

    #[test]
    fn compaction_keeps_order_and_matches() {
        let mut idx = index(Verification::Exact);
        let texts: Vec<String> = (0..3000).map(|i| text(i, 60)).collect();
        fill(&mut idx, &texts);
        for i in 0..1500 {
            idx.remove_slot(i);
        }
        assert!(idx.should_compact());
        let map = idx.compact();
        assert_eq!(map[1500], 0);
        assert_eq!(map[10], u32::MAX);
        assert_eq!(idx.slots(), 1500);
        assert_eq!(idx.id(0), "d1500");
        let mut p = idx.prepare(&mut idx.sketcher(), &texts[2999]);
        idx.sign(&mut p);
        let mut scratch = Vec::new();
        let m = idx.query(&p, 0, &mut scratch);
        assert_eq!(m.iter().map(|m| idx.id(m.slot)).collect::<Vec<_>>(), ["d2999"]);
        assert_eq!(idx.find_same_set(&p), Some(1499));
    }

    #[test]
    fn incompatible_parameters_are_named() {
        let a = IndexParams::from_config(&ScanConfig::default());
        let b = IndexParams::from_config(&ScanConfig::builder().num_perm(64).build().unwrap());
        let err = a.check_compatible(&b).unwrap_err();
        assert!(err.contains("num_perm 128, not 64"), "{err}");
        let c = IndexParams::from_config(&ScanConfig::builder().containment_threshold(0.9).build().unwrap());
        assert!(a.check_compatible(&c).is_ok());
    }
}
