//! Sorting values keyed by well-mixed hashes faster than comparison sorting.
//!
//! Shingle hashes, band keys and stem hashes are uniform over 64 bits, so one counting
//! pass on a key's top bits spreads the values evenly over buckets that are already in
//! order; only the few values within each bucket are left to sort.

/// Sorts `v` into the order `sort_unstable` gives it, for values ordered first by the
/// well-mixed 64-bit hash `key` returns (a `u64` hash itself, or a `(hash, …)` tuple):
/// a counting pass on the keys' top bits puts the values into buckets of about
/// `per_bucket` each, in bucket order, then each bucket is sorted on its own. `scratch`
/// is reused space. Repeated keys, or keys crowded into few buckets, give the same
/// order, only more slowly.
pub fn sort_by_hash<T: Ord + Copy>(v: &mut Vec<T>, key: impl Fn(&T) -> u64, per_bucket: usize, scratch: &mut Vec<T>) {
    if v.len() < 64 {
        v.sort_unstable();
        return;
    }
    for (start, end) in scatter_into(v, key, per_bucket, scratch) {
        scratch[start..end].sort_unstable();
    }
    // Every value before a bucket is smaller than the bucket's values, so one insertion
    // sort over the whole moves each value within its own bucket only (at most
    // SMALL_BUCKET - 1 places, none in a crowded bucket, already sorted): no loop over
    // the buckets, most of them empty or holding one value when there are about as many
    // buckets as values.
    insertion_sort_by(scratch, |a, b| a > b);
    std::mem::swap(v, scratch);
}

/// Sorts `v` by the well-mixed 64-bit hash `key` returns, and values of equal keys in
/// the order they came in (a stable sort by `key`), as [`sort_by_hash`] does.
pub fn stable_sort_by_hash<T: Copy>(v: &mut Vec<T>, key: impl Fn(&T) -> u64, per_bucket: usize, scratch: &mut Vec<T>) {
    if v.len() < 64 {
        v.sort_by_key(&key);
        return;
    }
    for (start, end) in scatter_into(v, &key, per_bucket, scratch) {
        scratch[start..end].sort_by_key(&key);
    }
    // As in [`sort_by_hash`]; the counting pass and the insertion sort keep equal keys in
    // their order.
    insertion_sort_by(scratch, |a, b| key(a) > key(b));
    std::mem::swap(v, scratch);
}

/// The counting pass of [`sort_by_hash`] from `v` (64 values or more) into `out`: the
/// values in buckets by `key`'s top bits, in bucket order, each bucket's values in the
/// order they came. Gives the places of the buckets holding more than `SMALL_BUCKET`
/// values (few with well-mixed keys, unless keys repeat), which the caller sorts.
fn scatter_into<T: Copy>(v: &[T], key: impl Fn(&T) -> u64, per_bucket: usize, out: &mut Vec<T>) -> Vec<(usize, usize)> {
    let n = v.len();
    let first = *v.first().expect("values to sort");
    let bits = ((n / per_bucket.max(1)).max(1).ilog2() + 1).min(16);
    let shift = 64 - bits;
    let bucket = |x: &T| (key(x) >> shift) as usize;
    // ends[b] holds bucket b's first place once the counts are summed, and moves on as
    // the bucket fills: after the scatter, bucket b is ends[b - 1]..ends[b] (from 0).
    let mut ends = vec![0u32; (1 << bits) + 1];
    for x in v {
        ends[bucket(x) + 1] += 1;
    }
    let mut crowded: Vec<(usize, usize)> = Vec::new();
    for b in 1..ends.len() {
        if ends[b] as usize > SMALL_BUCKET {
            crowded.push((ends[b - 1] as usize, (ends[b - 1] + ends[b]) as usize));
        }
        ends[b] += ends[b - 1];
    }
    out.clear();
    out.resize(n, first);
    for x in v {
        let b = bucket(x);
        out[ends[b] as usize] = *x;
        ends[b] += 1;
    }
    crowded
}

/// Buckets up to this size are sorted by insertion (most hold zero to three values);
/// larger ones by the standard library's sorts.
const SMALL_BUCKET: usize = 8;

/// Sorts `v` by insertion, `greater(a, b)` telling when `a` goes after `b` (stable).
#[inline]
fn insertion_sort_by<T: Copy>(v: &mut [T], greater: impl Fn(&T, &T) -> bool) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && greater(&v[j - 1], &x) {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The same order as `sort_unstable`, whether the buckets are all small (one
        /// insertion sort over the whole) or some are crowded (repeated or close keys).
        #[test]
        fn sorts_as_sort_unstable(
            keys in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..600),
            crowd in 0u32..64,
            per_bucket in 1usize..40,
        ) {
            // `crowd` high bits cleared: the keys fall into fewer buckets.
            let v: Vec<(u64, u32)> =
                keys.iter().enumerate().map(|(i, &k)| (k >> crowd, (i % 7) as u32)).collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            let mut got = v.clone();
            sort_by_hash(&mut got, |x| x.0, per_bucket, &mut Vec::new());
            proptest::prop_assert_eq!(&got, &expected);
            let mut plain: Vec<u64> = keys.clone();
            sort_by_hash(&mut plain, |&h| h, per_bucket, &mut vec![1, 2, 3]);
            let mut sorted = keys;
            sorted.sort_unstable();
            proptest::prop_assert_eq!(plain, sorted);
        }

        /// [`stable_sort_by_hash`] gives the order of the standard library's stable sort by
        /// the key, values of one key in the order they came.
        #[test]
        fn stable_sort_keeps_equal_keys_in_order(
            keys in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..600),
            crowd in 0u32..64,
            per_bucket in 1usize..40,
        ) {
            // Few distinct keys when `crowd` is large; the second field tells values of
            // one key apart.
            let v: Vec<(u64, u32)> = keys.iter().enumerate().map(|(i, &k)| (k >> crowd, i as u32)).collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = v;
            stable_sort_by_hash(&mut got, |x| x.0, per_bucket, &mut Vec::new());
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
