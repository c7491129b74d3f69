//! The index's LSH band tables: which indexed documents share a band with a query.
//!
//! The same banding as the document scan ([`crate::lsh`]): two signatures are candidates
//! when all `rows` values of some band agree. The tables hold slot numbers only; the
//! band values themselves are read from the signatures the index keeps anyway, so a
//! document costs about 5 bytes per band here, not the 12 or more of a hash map entry.
//!
//! Three tiers, oldest first:
//! - **base**: slots `[0, base_len)` in one compressed table per band (CSR layout):
//!   `2^bits` buckets chosen by the band key's top bits, about four slots per bucket,
//!   each bucket's slots in order. Rebuilt from the signatures when the tiers above
//!   grow past a quarter of it, so that rebuilding costs O(1) per document amortised.
//! - **recent**: slots `[base_len, recent_end)`, per band a sorted vector of
//!   `key32 << 32 | slot`, merged with each flushed batch of pending slots.
//! - **pending**: the last up to [`PENDING`] slots, compared one by one.
//!
//! Slots are never reused; removed slots stay in the tables until the index compacts
//! (the index skips them), which renumbers slots and rebuilds everything.

use rayon::prelude::*;

use crate::lsh::band_key;

/// Slots compared one by one before they are merged into the sorted tier.
pub const PENDING: usize = 256;
/// The sorted tier is folded into the base once it holds this many slots and a quarter
/// of the base.
const RECENT_MIN: usize = 4096;

/// Band tables over signatures stored elsewhere (a flat array, `num_perm` per slot).
#[derive(Clone, Debug)]
pub struct BandTables {
    bands: usize,
    rows: usize,
    num_perm: usize,
    bits: u32,
    base_len: u32,
    base_offsets: Vec<Vec<u32>>,
    base_slots: Vec<Vec<u32>>,
    recent_end: u32,
    recent: Vec<Vec<u64>>,
    len: u32,
}

impl BandTables {
    /// Empty tables for signatures of `num_perm` values cut into `bands` × `rows`.
    pub fn new(bands: usize, rows: usize, num_perm: usize) -> BandTables {
        assert!(bands * rows <= num_perm && rows > 0, "banding checked by the configuration");
        BandTables {
            bands,
            rows,
            num_perm,
            bits: 0,
            base_len: 0,
            base_offsets: vec![vec![0, 0]; bands],
            base_slots: vec![Vec::new(); bands],
            recent_end: 0,
            recent: vec![Vec::new(); bands],
            len: 0,
        }
    }

    /// Number of slots in the tables.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True when no slot was added.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn band<'s>(&self, sig: &'s [u32], band: usize) -> &'s [u32] {
        &sig[band * self.rows..(band + 1) * self.rows]
    }

    fn slot_sig<'s>(&self, signatures: &'s [u32], slot: u32) -> &'s [u32] {
        let start = slot as usize * self.num_perm;
        &signatures[start..start + self.num_perm]
    }

    fn bucket(&self, key: u64) -> usize {
        if self.bits == 0 {
            0
        } else {
            (key >> (64 - self.bits)) as usize
        }
    }

    /// Adds the next slot (its number is [`len`](Self::len)); `signatures` must already
    /// hold its signature. `has_sig(slot)` tells which slots have one (documents without
    /// shingles have none and are never candidates).
    pub fn push(&mut self, signatures: &[u32], has_sig: &(dyn Fn(u32) -> bool + Sync)) {
        self.len += 1;
        if (self.len - self.recent_end) as usize >= PENDING {
            self.flush_pending(signatures, has_sig);
            let recent = (self.recent_end - self.base_len) as usize;
            if recent >= RECENT_MIN.max(self.base_len as usize / 4) {
                self.rebuild(signatures, has_sig);
            }
        }
    }

    /// Rebuilds every tier as one base over all slots (after a compaction, or on load).
    pub fn rebuild_all(&mut self, len: usize, signatures: &[u32], has_sig: &(dyn Fn(u32) -> bool + Sync)) {
        self.len = len as u32;
        self.rebuild(signatures, has_sig);
    }

    fn flush_pending(&mut self, signatures: &[u32], has_sig: &(dyn Fn(u32) -> bool + Sync)) {
        let (from, to) = (self.recent_end, self.len);
        let rows = self.rows;
        let num_perm = self.num_perm;
        self.recent.par_iter_mut().enumerate().for_each(|(band, table)| {
            let mut new: Vec<u64> = (from..to)
                .filter(|&s| has_sig(s))
                .map(|s| {
                    let sig = &signatures[s as usize * num_perm..(s as usize + 1) * num_perm];
                    (band_key(sig, band, rows) >> 32) << 32 | s as u64
                })
                .collect();
            new.sort_unstable();
            let mut merged = Vec::with_capacity(table.len() + new.len());
            let (mut i, mut j) = (0, 0);
            while i < table.len() && j < new.len() {
                if table[i] <= new[j] {
                    merged.push(table[i]);
                    i += 1;
                } else {
                    merged.push(new[j]);
                    j += 1;
                }
            }
            merged.extend_from_slice(&table[i..]);
            merged.extend_from_slice(&new[j..]);
            *table = merged;
        });
        self.recent_end = to;
    }

    fn rebuild(&mut self, signatures: &[u32], has_sig: &(dyn Fn(u32) -> bool + Sync)) {
        let n = self.len;
        let target = (n as usize / 4).max(1);
        self.bits = usize::BITS - (target - 1).leading_zeros();
        let buckets = 1usize << self.bits;
        let (rows, num_perm, bits) = (self.rows, self.num_perm, self.bits);
        let tables: Vec<(Vec<u32>, Vec<u32>)> = (0..self.bands)
            .into_par_iter()
            .map(|band| {
                let bucket_of = |s: u32| {
                    let sig = &signatures[s as usize * num_perm..(s as usize + 1) * num_perm];
                    let key = band_key(sig, band, rows);
                    if bits == 0 {
                        0
                    } else {
                        (key >> (64 - bits)) as usize
                    }
                };
                let keyed: Vec<(u32, u32)> = (0..n).filter(|&s| has_sig(s)).map(|s| (bucket_of(s) as u32, s)).collect();
                let mut offsets = vec![0u32; buckets + 1];
                for &(b, _) in &keyed {
                    offsets[b as usize + 1] += 1;
                }
                for i in 0..buckets {
                    offsets[i + 1] += offsets[i];
                }
                let mut fill = offsets.clone();
                let mut slots = vec![0u32; keyed.len()];
                for &(b, s) in &keyed {
                    slots[fill[b as usize] as usize] = s;
                    fill[b as usize] += 1;
                }
                (offsets, slots)
            })
            .collect();
        (self.base_offsets, self.base_slots) = tables.into_iter().unzip();
        self.base_len = n;
        self.recent_end = n;
        for table in &mut self.recent {
            *table = Vec::new();
        }
    }

    /// Appends to `out` every slot at or after `min_slot` sharing a band with `sig`,
    /// sorted, each once. Removed slots are included (the caller skips them).
    pub fn candidates(&self, sig: &[u32], signatures: &[u32], min_slot: u32, out: &mut Vec<u32>) {
        out.clear();
        for band in 0..self.bands {
            let values = self.band(sig, band);
            let same = |s: u32| self.band(self.slot_sig(signatures, s), band) == values;
            let key = band_key(sig, band, self.rows);
            if self.base_len > min_slot {
                let b = self.bucket(key);
                let (lo, hi) = (self.base_offsets[band][b] as usize, self.base_offsets[band][b + 1] as usize);
                out.extend(self.base_slots[band][lo..hi].iter().copied().filter(|&s| s >= min_slot && same(s)));
            }
            if self.recent_end > min_slot.max(self.base_len) {
                let table = &self.recent[band];
                let key32 = key >> 32;
                let start = table.partition_point(|&e| (e >> 32) < key32);
                out.extend(
                    table[start..]
                        .iter()
                        .take_while(|&&e| e >> 32 == key32)
                        .map(|&e| e as u32)
                        .filter(|&s| s >= min_slot && same(s)),
                );
            }
        }
        for s in self.recent_end.max(min_slot)..self.len {
            let other = self.slot_sig(signatures, s);
            if (0..self.bands).any(|band| self.band(other, band) == self.band(sig, band)) {
                out.push(s);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Bytes held by the tables.
    pub fn memory_bytes(&self) -> usize {
        let v32 = |v: &Vec<Vec<u32>>| v.iter().map(|x| x.capacity() * 4 + 24).sum::<usize>();
        v32(&self.base_offsets)
            + v32(&self.base_slots)
            + self.recent.iter().map(|x| x.capacity() * 8 + 24).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::{estimate_jaccard, MinHasher};
    use crate::text::shingle::finish;

    /// Brute force: slots sharing a whole band with `sig`.
    fn brute(sig: &[u32], sigs: &[u32], n: u32, bands: usize, rows: usize, np: usize, min: u32) -> Vec<u32> {
        (min..n)
            .filter(|&s| {
                let o = &sigs[s as usize * np..(s as usize + 1) * np];
                (0..bands).any(|b| o[b * rows..(b + 1) * rows] == sig[b * rows..(b + 1) * rows])
            })
            .collect()
    }

    #[test]
    fn every_tier_finds_exactly_the_band_matches() {
        let (np, bands, rows) = (32, 16, 2);
        let m = MinHasher::new(np, 3);
        let mut sigs: Vec<u32> = Vec::new();
        let mut t = BandTables::new(bands, rows, np);
        let all = |_: u32| true;
        // Groups of overlapping sets so that there are matches at every age.
        let n = 6000u32;
        let mut queries = Vec::new();
        for i in 0..n {
            let group = (i % 97) as u64;
            let shift = (i / 97) as u64 % 7;
            let sig = m.signature((group * 1000 + shift..group * 1000 + 40 + shift).map(finish));
            sigs.extend_from_slice(&sig);
            t.push(&sigs, &all);
            if i % 1500 == 1499 || i == n - 1 {
                queries.push((i + 1, sig));
            }
        }
        assert!(t.base_len > 0 && t.recent_end > t.base_len && t.len > t.recent_end, "all three tiers in use");
        let mut out = Vec::new();
        for (len, q) in &queries {
            for min in [0, 100, t.base_len, t.recent_end, *len - 3] {
                t.candidates(q, &sigs, min, &mut out);
                let expect = brute(q, &sigs, t.len, bands, rows, np, min);
                assert_eq!(out, expect, "min slot {min}");
                assert!(!expect.is_empty() || min > 5000);
            }
        }
        // Dissimilar query: no candidate sharing no band.
        let other = m.signature((900_000..900_040u64).map(finish));
        t.candidates(&other, &sigs, 0, &mut out);
        assert!(out.iter().all(|&s| estimate_jaccard(&other, &sigs[s as usize * np..(s as usize + 1) * np]) > 0.0));
    }

    #[test]
    fn slots_without_signature_are_never_candidates() {
        let np = 8;
        let m = MinHasher::new(np, 1);
        let sig = m.signature((0..10u64).map(finish));
        let mut sigs = Vec::new();
        let mut t = BandTables::new(4, 2, np);
        let odd_only = |s: u32| s % 2 == 1;
        for _ in 0..600 {
            sigs.extend_from_slice(&sig);
            t.push(&sigs, &odd_only);
        }
        let mut out = Vec::new();
        t.candidates(&sig, &sigs, 0, &mut out);
        // Pending slots are compared one by one whatever has_sig says; the caller never
        // pushes a signature for an empty document, so only tiers built from has_sig matter.
        assert!(out.iter().filter(|&&s| s < t.recent_end).all(|&s| s % 2 == 1));
    }
}
