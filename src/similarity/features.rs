//! The 13 features of a sentence pair, in the order of [`FEATURE_NAMES`].
//!
//! Conventions: the containment of a set in another is 1 when the set is empty; a
//! *fuzzy match* between two words is the Dice coefficient of their character 3-gram sets
//! (of `#word#`, in code points) at or above 0.5; a word *matches* the other sentence
//! when its stem is among the other's stems or it fuzzy-matches any of its words. IDF
//! weights come from an [`Idf`] table. Pairwise features take the min or max over the two
//! directions, so every feature is symmetric in the two sentences.
//!
//! | # | name | what |
//! |---|---|---|
//! | 1 | `acont_min_idf` | IDF-weighted containment of one stem set in the other (all words); min |
//! | 2 | `tricmax` | shared stem 3-grams / the sentence's stem 3-grams (at least 1); max |
//! | 3 | `wed` | Levenshtein distance of the stem sequences / the longer length, in words |
//! | 4 | `neg_asym` | 1 when exactly one sentence has a negation |
//! | 5 | `num_miss_max` | numbers of one sentence missing from the other; max |
//! | 6 | `unrun_max` | longest run of words that do not match the other sentence; max |
//! | 7 | `unm_prop_max` | proper nouns whose stem neither is among the other's stems nor fuzzy-matches any of its words; max |
//! | 8 | `soft_max` | IDF-weighted soft containment of the distinct content stems: 1 if among the other's, else the best Dice against its content words; max |
//! | 9 | `lendiff` | difference in length, in words |
//! | 10 | `cont_max` | unweighted containment of the content-stem sets; max |
//! | 11 | `prop_only` | proper nouns in only one of the sentences |
//! | 12 | `log_unm_hapax` | `ln(1 + (uA + uB) / hapax weight)`, u: summed IDF of the content stems whose soft similarity (8) is below 0.5 |
//! | 13 | `unm_c_max` | number of such unmatched content stems; max |

use super::idf::Idf;
use super::sentence::{gram_signature, PreparedSentence, Word};

/// Number of features.
pub const NUM_FEATURES: usize = 13;

/// The features' names, in order.
pub const FEATURE_NAMES: [&str; NUM_FEATURES] = [
    "acont_min_idf",
    "tricmax",
    "wed",
    "neg_asym",
    "num_miss_max",
    "unrun_max",
    "unm_prop_max",
    "soft_max",
    "lendiff",
    "cont_max",
    "prop_only",
    "log_unm_hapax",
    "unm_c_max",
];

/// Index of the stem edit-distance ratio (`wed`) in the feature vector.
pub const EDIT_RATIO: usize = 2;

/// Index of the larger IDF-weighted soft containment of content words (`soft_max`).
pub const SOFT_MAX: usize = 7;

/// Dice coefficient at or above which two words fuzzy-match.
const FUZZY: f64 = 0.5;

/// The features of a pair (see the module docs).
pub fn pair_features(a: &PreparedSentence, b: &PreparedSentence, idf: &Idf) -> [f64; NUM_FEATURES] {
    bounded_features(a, b, idf, |_, _| false).expect("nothing is ruled out")
}

/// The features of a pair, computed in stages from the cheapest, unless `rule_out`
/// says no vector within the bounds known so far is of interest: first
/// [`feature_bounds`]; then with `wed` exact; then with the soft containment of `a` in
/// `b` exact too; then with `soft_max`, `log_unm_hapax` and `unm_c_max` exact; then all
/// exact (equal to [`pair_features`]). `rule_out(lo, hi)` gets the bounds of each
/// feature.
pub fn bounded_features(
    a: &PreparedSentence,
    b: &PreparedSentence,
    idf: &Idf,
    rule_out: impl Fn(&[f64; NUM_FEATURES], &[f64; NUM_FEATURES]) -> bool,
) -> Option<[f64; NUM_FEATURES]> {
    with_scratch(|seen| staged_features(a, b, idf, rule_out, seen))
}

/// [`bounded_features`] with what the bounds learn of the pair kept in `seen`.
fn staged_features(
    a: &PreparedSentence,
    b: &PreparedSentence,
    idf: &Idf,
    rule_out: impl Fn(&[f64; NUM_FEATURES], &[f64; NUM_FEATURES]) -> bool,
    seen: &mut Scratch,
) -> Option<[f64; NUM_FEATURES]> {
    let Bounds { mut lo, mut hi, soft_b, run_lo, .. } = bounds(a, b, idf, seen);
    if rule_out(&lo, &hi) {
        return None;
    }
    // The costly features one at a time, the cheapest first, each narrowing the bounds.
    let (la, lb) = (a.len(), b.len());
    let wed = ratio(stem_edit_distance(a, b, &mut seen.eq), la, lb);
    lo[EDIT_RATIO] = wed;
    hi[EDIT_RATIO] = wed;
    if rule_out(&lo, &hi) {
        return None;
    }
    // One direction of the soft containment exact, the other still bounded (sums in the
    // same order, so rounding keeps the bounds).
    let hapax = idf.hapax_weight();
    let sa = soft_match(a, b, idf, &seen.a, &mut seen.table);
    lo[SOFT_MAX] = sa.score.max(soft_b.score.0);
    hi[SOFT_MAX] = sa.score.max(soft_b.score.1);
    lo[11] = ((sa.unmatched_weight + soft_b.unmatched_weight.0) / hapax).ln_1p();
    hi[11] = ((sa.unmatched_weight + soft_b.unmatched_weight.1) / hapax).ln_1p();
    lo[12] = sa.unmatched.max(soft_b.unmatched.0) as f64;
    hi[12] = sa.unmatched.max(soft_b.unmatched.1) as f64;
    if rule_out(&lo, &hi) {
        return None;
    }
    let sb = soft_match(b, a, idf, &seen.b, &mut seen.table);
    let log_unm_hapax = ((sa.unmatched_weight + sb.unmatched_weight) / hapax).ln_1p();
    for (k, x) in [(SOFT_MAX, sa.score.max(sb.score)), (11, log_unm_hapax), (12, sa.unmatched.max(sb.unmatched) as f64)]
    {
        lo[k] = x;
        hi[k] = x;
    }
    if rule_out(&lo, &hi) {
        return None;
    }
    // The longer run of either side: runs no longer than one known already are skipped.
    let run = longest_unmatched_run(a, b, &seen.a, run_lo);
    lo[5] = longest_unmatched_run(b, a, &seen.b, run) as f64;
    lo[6] = unmatched_propers(a, b).max(unmatched_propers(b, a)) as f64;
    Some(lo)
}

/// What [`bounds`] learns of one side of a pair (`a` against `b`), kept for the exact
/// features.
#[derive(Debug, Default)]
struct Side {
    /// For each stem of `a.stem_set`: whether `b` has it.
    stem_in: Vec<bool>,
    /// For each content stem of `a` (`content_set`, the stems of `content_first` in
    /// order): whether among `b`'s content stems.
    content_in: Vec<bool>,
    /// For each word of `a`: [`STEM_MATCH`], [`NO_FUZZY`] or [`MAYBE_FUZZY`].
    words: Vec<u8>,
    /// For each content stem of `a` that `b` lacks: the 3-grams of its first word that
    /// test present in `b`'s content filter.
    hits: Vec<u32>,
}

/// A word whose stem the other sentence has.
const STEM_MATCH: u8 = 0;
/// A word whose stem the other sentence lacks and that surely fuzzy-matches none of its
/// words.
const NO_FUZZY: u8 = 1;
/// A word whose stem the other sentence lacks and that may fuzzy-match one of its words.
const MAYBE_FUZZY: u8 = 2;

/// Both sides of a pair: buffers reused from pair to pair.
#[derive(Debug, Default)]
struct Scratch {
    a: Side,
    b: Side,
    table: GramTable,
    eq: EqMasks,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Runs `f` with this thread's scratch (a fresh one if it is in use: `rule_out` may
/// compare pairs too).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Bounds of each feature of a pair, `(lo, hi)`, computed without comparing any two
/// words' character 3-grams: each word's 3-grams are tested against a Bloom filter of the
/// other sentence's ([`GramBloom`](super::sentence::GramBloom)), which bounds how many
/// it can share with any of its words. The cheap features are exact (`lo == hi`); the
/// fuzzy ones (`unrun_max`, `unm_prop_max`, `soft_max`, `log_unm_hapax`, `unm_c_max`) get
/// an interval holding the exact value, and `wed` a lower bound (at least the difference
/// in length, and at least the words of either side whose stem the other lacks).
pub fn feature_bounds(
    a: &PreparedSentence,
    b: &PreparedSentence,
    idf: &Idf,
) -> ([f64; NUM_FEATURES], [f64; NUM_FEATURES]) {
    let Bounds { lo, hi, .. } = with_scratch(|seen| bounds(a, b, idf, seen));
    (lo, hi)
}

/// The result of [`bounds`].
struct Bounds {
    lo: [f64; NUM_FEATURES],
    hi: [f64; NUM_FEATURES],
    /// The bounds of [`soft_match`] of `b` in `a`.
    soft_b: SoftBounds,
    /// A lower bound of both sides' [`longest_unmatched_run`].
    run_lo: usize,
}

/// [`feature_bounds`], the bounds of [`soft_match`] of `b` in `a`, and what the exact
/// features can reuse, in `seen`.
fn bounds(a: &PreparedSentence, b: &PreparedSentence, idf: &Idf, seen: &mut Scratch) -> Bounds {
    let (la, lb) = (a.len(), b.len());
    let Scratch { a: side_a, b: side_b, .. } = seen;
    mark_shared(&a.stem_set, &b.stem_set, &mut side_a.stem_in, &mut side_b.stem_in);
    let acont_min_idf = idf_containment(a, &side_a.stem_in, idf).min(idf_containment(b, &side_b.stem_in, idf));
    let shared = intersection_len(&a.stem_trigrams, &b.stem_trigrams) as f64;
    let tricmax = (shared / a.stem_trigrams.len().max(1) as f64).max(shared / b.stem_trigrams.len().max(1) as f64);
    let (ra, rb) = (RunBounds::of(a, b, side_a), RunBounds::of(b, a, side_b));
    let wed_lo = la.abs_diff(lb).max(ra.missing).max(rb.missing) as f64 / la.max(lb).max(1) as f64;
    let wed_hi = 1.0f64.max(wed_lo);
    let neg_asym = f64::from(u8::from((a.negations > 0) != (b.negations > 0)));
    let shared = intersection_len(&a.numbers, &b.numbers);
    let num_miss_max = (a.numbers.len() - shared).max(b.numbers.len() - shared) as f64;
    let (pa, pb) = (proper_bounds(a, b), proper_bounds(b, a));
    let shared = mark_shared(&a.content_set, &b.content_set, &mut side_a.content_in, &mut side_b.content_in);
    let (sa, sb) = (soft_bounds(a, b, idf, side_a), soft_bounds(b, a, idf, side_b));
    let lendiff = la.abs_diff(lb) as f64;
    let cont_max = containment(shared, a.content_set.len()).max(containment(shared, b.content_set.len()));
    let shared = intersection_len_by(&a.propers, &b.propers, |p| p.stem);
    let prop_only = (a.propers.len() + b.propers.len() - 2 * shared) as f64;
    let hapax = idf.hapax_weight();
    let lo = [
        acont_min_idf,
        tricmax,
        wed_lo,
        neg_asym,
        num_miss_max,
        ra.run_lo.max(rb.run_lo) as f64,
        pa.0.max(pb.0) as f64,
        sa.score.0.max(sb.score.0),
        lendiff,
        cont_max,
        prop_only,
        ((sa.unmatched_weight.0 + sb.unmatched_weight.0) / hapax).ln_1p(),
        sa.unmatched.0.max(sb.unmatched.0) as f64,
    ];
    let hi = [
        acont_min_idf,
        tricmax,
        wed_hi,
        neg_asym,
        num_miss_max,
        ra.run_hi.max(rb.run_hi) as f64,
        pa.1.max(pb.1) as f64,
        sa.score.1.max(sb.score.1),
        lendiff,
        cont_max,
        prop_only,
        ((sa.unmatched_weight.1 + sb.unmatched_weight.1) / hapax).ln_1p(),
        sa.unmatched.1.max(sb.unmatched.1) as f64,
    ];
    Bounds { lo, hi, soft_b: sb, run_lo: ra.run_lo.max(rb.run_lo) }
}

/// Asks for the sentence's own fields (where its arrays are), ahead of
/// [`prefetch_for_judging`].
pub(crate) fn prefetch_fields(s: &PreparedSentence) {
    crate::prefetch::slice(std::slice::from_ref(s));
}

/// Asks for the memory that judging `s` reads ([`bounds`] and the exact features), all
/// at once: the arrays of a sentence judged are seldom in cache, and the merges would
/// otherwise wait on one line at a time.
pub(crate) fn prefetch_for_judging(s: &PreparedSentence, idf: &Idf) {
    crate::prefetch::slice(&s.stem_set);
    crate::prefetch::slice(&s.content_set);
    crate::prefetch::slice(&s.stem_trigrams);
    crate::prefetch::slice(&s.stem_pos);
    crate::prefetch::slice(&s.content_first);
    crate::prefetch::slice(&s.numbers);
    crate::prefetch::slice(&s.propers);
    crate::prefetch::slice(&s.words);
    crate::prefetch::slice(&s.grams);
    crate::prefetch::slice(&s.word_sigs);
    crate::prefetch::slice(&s.content_words);
    if let Some((stems, content)) = s.weights(idf) {
        crate::prefetch::slice(stems);
        crate::prefetch::slice(content);
    }
}

/// Marks the elements of two sorted, distinct slices that the other holds, in `in_a`
/// and `in_b` (one flag per element); returns how many they share.
fn mark_shared(a: &[u64], b: &[u64], in_a: &mut Vec<bool>, in_b: &mut Vec<bool>) -> usize {
    in_a.clear();
    in_a.resize(a.len(), false);
    in_b.clear();
    in_b.resize(b.len(), false);
    // As in `intersection_len_by`; a flag written false may be set later, never the
    // other way (both sides advance on a match).
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        in_a[i] = x == y;
        in_b[j] = x == y;
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// True when `grams` (a word's) cannot fuzzy-match any word whose 3-grams the filter
/// holds: a match needs `4·shared >= |X| + |Y|` with `|Y| >= shared`, so `3·shared >= |X|`.
#[inline]
fn surely_no_fuzzy_match(grams: &[u64], bloom: &super::sentence::GramBloom) -> bool {
    3 * bloom.hits(grams) < grams.len()
}

/// Bounds of [`longest_unmatched_run`] of `a` against `b`, and the words of `a` whose
/// stem `b` lacks.
struct RunBounds {
    run_lo: usize,
    run_hi: usize,
    missing: usize,
}

impl RunBounds {
    /// The bounds, given `side.stem_in`; sets `side.words`.
    fn of(a: &PreparedSentence, b: &PreparedSentence, side: &mut Side) -> RunBounds {
        let (mut run_lo, mut run_hi, mut lo, mut hi, mut missing) = (0, 0, 0, 0, 0);
        side.words.clear();
        for (i, &pos) in a.stem_pos.iter().enumerate() {
            if side.stem_in[pos as usize] {
                side.words.push(STEM_MATCH);
                lo = 0;
                hi = 0;
                continue;
            }
            missing += 1;
            hi += 1;
            run_hi = run_hi.max(hi);
            if surely_no_fuzzy_match(a.word_grams(i), &b.word_bloom) {
                side.words.push(NO_FUZZY);
                lo += 1;
                run_lo = run_lo.max(lo);
            } else {
                side.words.push(MAYBE_FUZZY);
                lo = 0;
            }
        }
        RunBounds { run_lo, run_hi, missing }
    }
}

/// Bounds of [`unmatched_propers`] of `a` against `b`.
fn proper_bounds(a: &PreparedSentence, b: &PreparedSentence) -> (usize, usize) {
    let (mut lo, mut hi) = (0, 0);
    for p in &a.propers {
        if b.stem_set.binary_search(&p.stem).is_err() {
            hi += 1;
            if surely_no_fuzzy_match(a.proper_grams(p), &b.word_bloom) {
                lo += 1;
            }
        }
    }
    (lo, hi)
}

/// Bounds of [`soft_match`] of `a` in `b`, each as `(lo, hi)`.
struct SoftBounds {
    score: (f64, f64),
    unmatched_weight: (f64, f64),
    unmatched: (usize, usize),
}

/// A stem `b` lacks has similarity at least 0 and at most the best Dice any word could
/// have with `i` shared 3-grams, `2i / (|X| + i)`, where `i` is the word's 3-grams that
/// test present in `b`'s content filter. Sums are taken in the order of [`soft_match`],
/// term by term no smaller (or no larger), so rounding keeps the bounds.
///
/// Reads `side.content_in`; keeps each such word's 3-grams that test present in
/// `side.hits`.
fn soft_bounds(a: &PreparedSentence, b: &PreparedSentence, idf: &Idf, side: &mut Side) -> SoftBounds {
    let (mut total, mut lo, mut hi) = (0.0, 0.0, 0.0);
    let (mut w_lo, mut w_hi, mut n_lo, mut n_hi) = (0.0, 0.0, 0, 0);
    let weights = a.weights(idf).map(|w| w.1);
    side.hits.clear();
    side.hits.resize(a.content_first.len(), 0);
    for (k, &(stem, word)) in a.content_first.iter().enumerate() {
        let w = weights.map_or_else(|| idf.weight(stem), |w| w[k]);
        total += w;
        if side.content_in[k] {
            lo += w;
            hi += w;
            continue;
        }
        let grams = a.word_grams(word as usize);
        let i = b.content_bloom.hits(grams);
        side.hits[k] = i as u32;
        let sim_hi = if b.content_words.is_empty() { 0.0 } else { 2.0 * i as f64 / (grams.len() + i) as f64 };
        hi += w * sim_hi.min(1.0);
        w_hi += w;
        n_hi += 1;
        if sim_hi < FUZZY {
            w_lo += w;
            n_lo += 1;
        }
    }
    let score = if total > 0.0 { (lo / total, hi / total) } else { (1.0, 1.0) };
    SoftBounds { score, unmatched_weight: (w_lo, w_hi), unmatched: (n_lo, n_hi) }
}

/// Size of the intersection of two sorted, distinct slices.
#[inline]
fn intersection_len(a: &[u64], b: &[u64]) -> usize {
    intersection_len_by(a, b, |&x| x)
}

#[inline]
fn intersection_len_by<T>(a: &[T], b: &[T], key: impl Fn(&T) -> u64) -> usize {
    // Without branches on the comparison (it goes either way unpredictably): each step
    // advances the side with the smaller key, both on a match.
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (key(&a[i]), key(&b[j]));
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// |A ∩ B| / |A| from the two sizes, 1 when A is empty.
fn containment(shared: usize, a: usize) -> f64 {
    if a == 0 {
        1.0
    } else {
        shared as f64 / a as f64
    }
}

/// Σ idf(A ∩ B) / Σ idf(A), 1 when A is empty; A is the stem set of `s`, `stem_in` says
/// which of its stems are in B.
fn idf_containment(s: &PreparedSentence, stem_in: &[bool], idf: &Idf) -> f64 {
    let (mut total, mut shared) = (0.0, 0.0);
    let a = &s.stem_set;
    let weights = s.weights(idf).map(|w| w.0);
    for (k, &x) in a.iter().enumerate() {
        let w = weights.map_or_else(|| idf.weight(x), |w| w[k]);
        total += w;
        if stem_in[k] {
            shared += w;
        }
    }
    if a.is_empty() {
        1.0
    } else {
        shared / total
    }
}

/// A word's 3-grams with their [`gram_signature`], for comparing them with many words.
#[derive(Clone, Copy)]
struct Grams<'a> {
    grams: &'a [u64],
    sig: u64,
    /// How many of `grams` share a bit of `sig` with another.
    collisions: usize,
}

impl<'a> Grams<'a> {
    fn new(grams: &'a [u64], sig: u64) -> Grams<'a> {
        Grams { grams, sig, collisions: grams.len() - sig.count_ones() as usize }
    }

    /// At most how many 3-grams these share with a word whose signature is `sig` and
    /// that has `len` of them (each of ours in the other's filter is on one of the bits
    /// we share, or collides with another of ours).
    #[inline]
    fn shared_bound(&self, sig: u64, len: usize) -> usize {
        ((self.sig & sig).count_ones() as usize + self.collisions).min(len).min(self.grams.len())
    }

    /// The Dice coefficient with word `j` of `b` at or above 0.5, in integers, skipping
    /// the merge when the sizes and signatures alone rule it out.
    #[inline]
    fn fuzzy_match(&self, b: &PreparedSentence, j: usize) -> bool {
        let other = b.word_grams(j);
        let total = self.grams.len() + other.len();
        4 * self.shared_bound(b.word_sigs[j], other.len()) >= total && 4 * intersection_len(self.grams, other) >= total
    }

    /// True when these fuzzy-match any word of `b`.
    fn fuzzy_matches_any(&self, b: &PreparedSentence) -> bool {
        (0..b.len()).any(|j| self.fuzzy_match(b, j))
    }
}

/// One word's 3-grams in a direct-mapped table, to count what it shares with many words
/// by probing instead of merging: exact when no two of its 3-grams take the same slot.
#[derive(Debug)]
struct GramTable {
    /// A 3-gram, or [`GramTable::FREE`] (no 3-gram has its top bit set).
    slots: Box<[u64; GramTable::SLOTS]>,
}

impl Default for GramTable {
    fn default() -> GramTable {
        GramTable { slots: Box::new([GramTable::FREE; GramTable::SLOTS]) }
    }
}

impl GramTable {
    const SLOTS: usize = 1024;
    const FREE: u64 = u64::MAX;

    #[inline]
    fn slot(gram: u64) -> usize {
        (gram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize
    }

    /// Puts `grams` (sorted, distinct) in the empty table; if two take one slot, leaves
    /// the table empty and returns false.
    fn fill(&mut self, grams: &[u64]) -> bool {
        for (k, &g) in grams.iter().enumerate() {
            let slot = &mut self.slots[GramTable::slot(g)];
            if *slot != GramTable::FREE {
                self.clear(&grams[..k]);
                return false;
            }
            *slot = g;
        }
        true
    }

    /// Empties the table filled with `grams`.
    fn clear(&mut self, grams: &[u64]) {
        for &g in grams {
            self.slots[GramTable::slot(g)] = GramTable::FREE;
        }
    }

    /// How many of `grams` (distinct) the table holds.
    #[inline]
    fn count(&self, grams: &[u64]) -> usize {
        grams.iter().map(|&g| usize::from(self.slots[GramTable::slot(g)] == g)).sum()
    }
}

/// Levenshtein distance (unit costs) between the stem sequences. Without the common
/// prefix and suffix, when the shorter side has at most 64 words, bit-parallel
/// ([`bit_parallel_distance`]); otherwise [`plain_edit_distance`]. `eq` is scratch.
fn stem_edit_distance(a: &PreparedSentence, b: &PreparedSentence, eq: &mut EqMasks) -> usize {
    let (prefix, ta, tb) = between_common_ends(&a.words, &b.words, |w| w.stem);
    let (m, n) = (ta.len(), tb.len());
    // `short` gets a bit per word; the distance is symmetric.
    let ((short, m), (long, n)) = if m <= n { ((a, m), (b, n)) } else { ((b, n), (a, m)) };
    if m == 0 {
        return n;
    }
    if m > 64 {
        let stem = |w: &Word| w.stem;
        return plain_edit_distance(&short.words[prefix..prefix + m], &long.words[prefix..prefix + n], stem);
    }
    // For each stem of `short`, the words that have it; then the same masks by the
    // stems of `long` (0 for a stem `short` lacks).
    let EqMasks { by_short, by_long } = eq;
    by_short.clear();
    by_short.resize(short.stem_set.len(), 0);
    for (i, &pos) in short.stem_pos[prefix..prefix + m].iter().enumerate() {
        by_short[pos as usize] |= 1 << i;
    }
    by_long.clear();
    by_long.resize(long.stem_set.len(), 0);
    let (ss, ls) = (&short.stem_set, &long.stem_set);
    let (mut i, mut k) = (0, 0);
    while i < ss.len() && k < ls.len() {
        let (x, y) = (ss[i], ls[k]);
        by_long[k] |= by_short[i] & 0u64.wrapping_sub(u64::from(x == y));
        i += usize::from(x <= y);
        k += usize::from(y <= x);
    }
    bit_parallel_distance(m, long.stem_pos[prefix..prefix + n].iter().map(|&pos| by_long[pos as usize]))
}

/// Levenshtein distance (unit costs) between two stem sequences, as
/// [`stem_edit_distance`] gives it for sentences with these stems: for callers that have
/// the stems alone (the passage stage's light units).
pub(crate) fn stems_edit_distance(a: &[u64], b: &[u64]) -> usize {
    let (_, ta, tb) = between_common_ends(a, b, |&s| s);
    let (short, long) = if ta.len() <= tb.len() { (ta, tb) } else { (tb, ta) };
    if short.is_empty() {
        return long.len();
    }
    if short.len() > 64 {
        return plain_edit_distance(short, long, |&s| s);
    }
    // Each word of `long` with the words of `short` that have its stem: a few dozen
    // comparisons a word (what is left between a near copy's common prefix and suffix).
    let column = |y: &u64| short.iter().enumerate().fold(0u64, |eq, (i, x)| eq | (u64::from(x == y) << i));
    bit_parallel_distance(short.len(), long.iter().map(column))
}

/// What two sequences, compared by `stem`, have between their common prefix and suffix
/// (which cost no edit): the prefix's length and the two middles.
fn between_common_ends<'s, T>(a: &'s [T], b: &'s [T], stem: impl Fn(&T) -> u64) -> (usize, &'s [T], &'s [T]) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| stem(x) == stem(y)).count();
    let (ta, tb) = (&a[prefix..], &b[prefix..]);
    let suffix = ta.iter().rev().zip(tb.iter().rev()).take_while(|(x, y)| stem(x) == stem(y)).count();
    (prefix, &ta[..ta.len() - suffix], &tb[..tb.len() - suffix])
}

/// The edit distance between a sequence of `m` words (1 to 64) and another, given for
/// each word of the other, in order, the mask of the first sequence's words equal to it
/// (bit `i` for word `i`): bit-parallel (Myers/Hyyrö), a column of the table in two
/// 64-bit words, one step per word of the other sequence.
fn bit_parallel_distance(m: usize, columns: impl Iterator<Item = u64>) -> usize {
    debug_assert!((1..=64).contains(&m));
    // Vertical deltas of the current column (+1 in `pv`, -1 in `mv`), and its last cell.
    let (mut pv, mut mv, mut score) = (!0u64, 0u64, m);
    let last = 1u64 << (m - 1);
    for eq in columns {
        let xv = eq | mv;
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let ph = mv | !(xh | pv);
        let mh = pv & xh;
        score += usize::from(ph & last != 0);
        score -= usize::from(mh & last != 0);
        // The first row grows by one a column.
        let ph = (ph << 1) | 1;
        let mh = mh << 1;
        pv = mh | !(xv | ph);
        mv = ph & xv;
    }
    score
}

/// The stem edit-distance ratio of a pair (feature `wed`): the edit distance between
/// their stem sequences over the longer one's length.
pub(crate) fn edit_ratio(a: &PreparedSentence, b: &PreparedSentence) -> f64 {
    with_scratch(|seen| ratio(stem_edit_distance(a, b, &mut seen.eq), a.len(), b.len()))
}

/// The stem edit-distance ratio of two stem sequences, as [`edit_ratio`] gives it for
/// sentences with these stems.
pub(crate) fn stems_edit_ratio(a: &[u64], b: &[u64]) -> f64 {
    ratio(stems_edit_distance(a, b), a.len(), b.len())
}

/// `distance` edits over the longer of two lengths (0 for two empty sequences).
fn ratio(distance: usize, la: usize, lb: usize) -> f64 {
    distance as f64 / la.max(lb).max(1) as f64
}

/// Scratch of [`stem_edit_distance`].
#[derive(Debug, Default)]
struct EqMasks {
    by_short: Vec<u64>,
    by_long: Vec<u64>,
}

/// Levenshtein distance (unit costs) between two sequences compared by `stem`, one row
/// of the table at a time.
fn plain_edit_distance<T>(a: &[T], b: &[T], stem: impl Fn(&T) -> u64) -> usize {
    const STACK: usize = 128;
    let mut stack = [0u32; STACK];
    let mut heap = Vec::new();
    let row: &mut [u32] = if b.len() < STACK {
        &mut stack[..=b.len()]
    } else {
        heap.resize(b.len() + 1, 0);
        &mut heap
    };
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j as u32;
    }
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i as u32 + 1;
        let x = stem(x);
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + u32::from(x != stem(y)));
            diag = up;
        }
    }
    row[b.len()] as usize
}

/// The longest run of consecutive words of `a` that do not match `b` (a word *matches*
/// when `b` has its stem or it fuzzy-matches any word of `b`), or `floor` if that is
/// longer: stretches of words whose stem `b` lacks no longer than the longest run found
/// so far (at first `floor`) are skipped. Reads `side.words`.
fn longest_unmatched_run(a: &PreparedSentence, b: &PreparedSentence, side: &Side, floor: usize) -> usize {
    let words = &side.words;
    let mut longest = floor;
    let mut i = 0;
    while i < words.len() {
        if words[i] == STEM_MATCH {
            i += 1;
            continue;
        }
        let start = i;
        while i < words.len() && words[i] != STEM_MATCH {
            i += 1;
        }
        if i - start <= longest {
            continue;
        }
        let mut run = 0;
        for (k, &state) in words.iter().enumerate().take(i).skip(start) {
            if state == MAYBE_FUZZY && Grams::new(a.word_grams(k), a.word_sigs[k]).fuzzy_matches_any(b) {
                run = 0;
            } else {
                run += 1;
                longest = longest.max(run);
            }
        }
    }
    longest
}

/// Proper nouns of `a` whose stem is not among `b`'s stems and whose stem's 3-grams
/// fuzzy-match none of `b`'s words. (The stem, not the word, is compared with `b`'s
/// words: this is how the model was fitted.)
fn unmatched_propers(a: &PreparedSentence, b: &PreparedSentence) -> usize {
    a.propers
        .iter()
        .filter(|p| {
            b.stem_set.binary_search(&p.stem).is_err() && {
                let grams = a.proper_grams(p);
                surely_no_fuzzy_match(grams, &b.word_bloom)
                    || !Grams::new(grams, gram_signature(grams)).fuzzy_matches_any(b)
            }
        })
        .count()
}

/// The best Dice of `grams` against `b`'s content words (0 without any), given `hits`,
/// the grams that test present in `b`'s content filter. Words that cannot beat the best
/// so far by their sizes and signatures alone are skipped, and the search stops at the most any word
/// could reach given `hits`: the result is the plain maximum, found faster. Dice values
/// are compared as exact fractions, and the best is divided out once. Shared 3-grams are
/// counted through `table` (empty before and after) when `grams` fit it.
fn best_dice(grams: Grams, hits: usize, b: &PreparedSentence, table: &mut GramTable) -> f64 {
    let (x, i) = (grams.grams.len(), hits);
    if i == 0 {
        return 0.0;
    }
    // The best so far is num / den; the cap is 2i / (x + i).
    let (mut num, mut den) = (0, 1);
    // Whether `grams` are in the table: not yet (filled at the first word compared), yes,
    // or no (two take one slot: merged instead).
    let mut in_table = None;
    for &j in &b.content_words {
        let other = b.word_grams(j as usize);
        let y = other.len();
        if 2 * grams.shared_bound(b.word_sigs[j as usize], y) * den <= num * (x + y) {
            continue;
        }
        let probe = *in_table.get_or_insert_with(|| table.fill(grams.grams));
        let shared = 2 * if probe { table.count(other) } else { intersection_len(grams.grams, other) };
        if shared * den > num * (x + y) {
            (num, den) = (shared, x + y);
            if num * (x + i) >= 2 * i * den {
                break;
            }
        }
    }
    if in_table == Some(true) {
        table.clear(grams.grams);
    }
    num as f64 / den as f64
}

/// Soft containment of `a`'s content stems in `b`.
struct Soft {
    /// Σ idf · sim / Σ idf (1 without content words).
    score: f64,
    /// Σ idf of the stems with sim below 0.5.
    unmatched_weight: f64,
    /// Number of those stems.
    unmatched: usize,
}

/// For each distinct content stem of `a` (its first word as surface form): sim = 1 when
/// the stem is among `b`'s content stems, else the best Dice against `b`'s content words.
/// Reads `side.content_in` and `side.hits`; `table` is empty before and after.
fn soft_match(a: &PreparedSentence, b: &PreparedSentence, idf: &Idf, side: &Side, table: &mut GramTable) -> Soft {
    let (mut total, mut soft, mut unmatched_weight, mut unmatched) = (0.0, 0.0, 0.0, 0);
    let weights = a.weights(idf).map(|w| w.1);
    for (k, &(stem, word)) in a.content_first.iter().enumerate() {
        let w = weights.map_or_else(|| idf.weight(stem), |w| w[k]);
        total += w;
        let word = word as usize;
        let sim = if side.content_in[k] {
            1.0
        } else {
            best_dice(Grams::new(a.word_grams(word), a.word_sigs[word]), side.hits[k] as usize, b, table)
        };
        soft += w * sim;
        if sim < FUZZY {
            unmatched_weight += w;
            unmatched += 1;
        }
    }
    Soft { score: if total > 0.0 { soft / total } else { 1.0 }, unmatched_weight, unmatched }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(a: &str, b: &str) -> [f64; NUM_FEATURES] {
        let (a, b) = (PreparedSentence::new(a), PreparedSentence::new(b));
        pair_features(&a, &b, &Idf::from_sentences([&a, &b]))
    }

    fn feature(a: &str, b: &str, name: &str) -> f64 {
        let i = FEATURE_NAMES.iter().position(|&n| n == name).unwrap();
        let ab = feats(a, b)[i];
        assert!((ab - feats(b, a)[i]).abs() < 1e-12, "{name} is not symmetric");
        ab
    }

    const A: &str = "The minister said the new bridge would open in May.";
    const B: &str = "The new bridge will open in May, the minister said.";

    #[test]
    fn identical_sentences() {
        let f = feats(A, A);
        assert_eq!(f[0], 1.0); // acont_min_idf
        assert_eq!(f[1], 1.0); // tricmax
        assert_eq!(f[2], 0.0); // wed
        assert_eq!(f[5], 0.0); // unrun_max
        assert_eq!(f[7], 1.0); // soft_max
        assert_eq!(f[9], 1.0); // cont_max
        assert_eq!(f[11], 0.0); // log_unm_hapax
        assert_eq!(f[12], 0.0); // unm_c_max
    }

    #[test]
    fn idf_containment_weighs_rare_words() {
        // One extra common word vs one extra rare word: the rare one costs more.
        let (a, b, c) = (
            PreparedSentence::new("the bridge opened"),
            PreparedSentence::new("the bridge opened the"),
            PreparedSentence::new("the bridge opened yesterday"),
        );
        let extra = ["the river", "the road", "the town"].map(PreparedSentence::new);
        let idf = Idf::from_sentences(extra.iter().chain([&a, &b, &c]));
        // "the" is in b twice: sets, so b's stem set equals a's.
        assert_eq!(pair_features(&a, &b, &idf)[0], 1.0);
        let rare = pair_features(&a, &c, &idf)[0];
        let w = |s: &str| idf.weight_of_stem(s);
        let expect = (w("the") + w("bridg") + w("open")) / (w("the") + w("bridg") + w("open") + w("yesterday"));
        assert!((rare - expect).abs() < 1e-12, "{rare} vs {expect}");
    }

    #[test]
    fn stem_trigrams_and_short_sentences() {
        assert_eq!(feature("one two", "one two", "tricmax"), 0.0);
        // a: 2 trigrams, b: 1, shared 1 -> max(1/2, 1/1).
        assert_eq!(feature("red fox runs home", "red fox runs", "tricmax"), 1.0);
    }

    #[test]
    fn edit_ratio_over_stems() {
        // "runs" and "running" share the stem "run": no edit.
        assert_eq!(feature("the dog runs", "the dog running", "wed"), 0.0);
        assert!((feature("a b c d", "a x c", "wed") - 2.0 / 4.0).abs() < 1e-12);
        assert_eq!(feature("", "", "wed"), 0.0);
    }

    #[test]
    fn negation_asymmetry() {
        assert_eq!(feature("The deal was approved.", "The deal wasn't approved.", "neg_asym"), 1.0);
        assert_eq!(feature("The deal was not approved.", "The deal wasn't approved.", "neg_asym"), 0.0);
        assert_eq!(feature("It rained without pause.", "It rained all day.", "neg_asym"), 1.0);
    }

    #[test]
    fn numbers_mismatch() {
        assert_eq!(feature("Sales rose 5,000 units in 2003.", "Sales rose 5000 units in 2003.", "num_miss_max"), 0.0);
        assert_eq!(feature("Sales rose 12 percent in 2003.", "Sales rose 15 percent in 2004.", "num_miss_max"), 2.0);
        assert_eq!(feature("Sales rose 12 percent.", "Sales rose 12 percent in 2004 and 2005.", "num_miss_max"), 2.0);
    }

    #[test]
    fn unmatched_runs_allow_fuzzy_matches() {
        // "organisation" vs "organization" fuzzy-match; the run is "at dawn today".
        let got = feature("The organisation met at dawn today.", "The organization met.", "unrun_max");
        assert_eq!(got, 3.0);
    }

    #[test]
    fn unmatched_proper_nouns() {
        // "Gaza" missing from b; "Israeli" fuzzy-matches "Israel".
        let a = "Talks between Israeli officials and Gaza leaders resumed.";
        let b = "Talks between Israel and leaders resumed.";
        assert_eq!(feature(a, b, "unm_prop_max"), 1.0);
        // prop_only counts exact stems only.
        let pa: Vec<String> = PreparedSentence::new(a).proper_nouns().map(str::to_string).collect();
        let pb: Vec<String> = PreparedSentence::new(b).proper_nouns().map(str::to_string).collect();
        let only = pa.iter().filter(|p| !pb.contains(p)).count() + pb.iter().filter(|p| !pa.contains(p)).count();
        assert_eq!(feature(a, b, "prop_only"), only as f64);
    }

    #[test]
    fn glued_words_match_their_parts() {
        let f = feats("Fighting in PalestineGaza continued.", "Fighting in Palestine Gaza continued.");
        assert_eq!(f[2], 0.0);
        assert_eq!(f[10], 0.0);
    }

    #[test]
    fn soft_containment_and_unmatched_content() {
        let f = feats("The minister opened the bridge.", "The minister opened the tunnel.");
        assert!(f[7] < 1.0 && f[7] > 0.5, "{}", f[7]);
        assert_eq!(f[12], 1.0); // bridge vs tunnel: one unmatched stem each side
        assert!(f[11] > 0.0);
        // A fuzzy surface match gives partial credit and is not unmatched.
        let g = feats("The organisation voted.", "The organization voted.");
        assert!(g[7] < 1.0 && g[7] > 0.8, "{}", g[7]);
        assert_eq!(g[12], 0.0);
    }

    #[test]
    fn lengths_and_content_containment() {
        assert_eq!(feature("one two three", "one two three four five", "lendiff"), 2.0);
        // Content {bridg, open} in {bridg, open, may}: max containment 1.
        assert_eq!(feature("the bridge opens", "the bridge opens in May", "cont_max"), 1.0);
        // Only stop words: empty content sets contain each other.
        assert_eq!(feature("it is", "was it", "cont_max"), 1.0);
    }

    #[test]
    fn reordered_paraphrase_features() {
        let f = feats(A, B);
        assert!(f[0] > 0.8, "{f:?}");
        assert!(f[2] > 0.5, "reordering costs edits: {f:?}");
        assert_eq!(f[4], 0.0);
    }

    #[test]
    fn bounds_hold_the_exact_features_on_every_seed_sentence_pair() {
        let seeds = [
            include_str!("../../fixtures/seeds/000_fc334fc79f7154fc.txt"),
            include_str!("../../fixtures/seeds/001_a850138979b97670.txt"),
            include_str!("../../fixtures/seeds/002_5d18fd4474e21294.txt"),
            include_str!("../../fixtures/seeds/003_1fa5bd459ff21ffa.txt"),
            include_str!("../../fixtures/seeds/004_408b81a06b3b0292.txt"),
        ];
        let mut prep = super::super::SentencePreparer::new();
        let sents: Vec<PreparedSentence> = seeds
            .iter()
            .flat_map(|t| crate::text::sentence::sentences(t).into_iter().map(|s| (*t, s)))
            .map(|(t, s)| prep.prepare_span(t, s))
            .chain([A, B, "Talks between Israeli officials and Gaza leaders resumed."].map(PreparedSentence::new))
            .collect();
        let idf = Idf::from_sentences(&sents);
        let model = super::super::Model { threshold: 0.4, ..super::super::Model::SHIPPED };
        let (mut pairs, mut ruled_out) = (0, 0);
        for (i, a) in sents.iter().enumerate() {
            for b in &sents[i..] {
                let exact = pair_features(a, b, &idf);
                // Every stage's bounds hold the exact features, in either order.
                let stages = std::cell::Cell::new(0);
                for (x, y) in [(a, b), (b, a)] {
                    bounded_features(x, y, &idf, |lo, hi| {
                        stages.set(stages.get() + 1);
                        assert!((0..NUM_FEATURES).all(|k| lo[k] <= exact[k] && exact[k] <= hi[k]), "{lo:?} {hi:?}");
                        false
                    });
                }
                assert_eq!(stages.get(), 8);
                let (lo, hi) = feature_bounds(a, b, &idf);
                for k in 0..NUM_FEATURES {
                    assert!(
                        lo[k] <= exact[k] && exact[k] <= hi[k],
                        "{}: {} not in [{}, {}]",
                        FEATURE_NAMES[k],
                        exact[k],
                        lo[k],
                        hi[k]
                    );
                }
                let bound = model.max_score(&lo, &hi);
                assert!(model.score(&exact) <= bound);
                pairs += 1;
                ruled_out += usize::from(!model.is_paraphrase(bound));
            }
        }
        // The bounds are worth having: most pairs of unrelated sentences are ruled out.
        assert!(ruled_out * 2 > pairs, "{ruled_out} of {pairs}");
    }

    /// The fuzzy features the plain way: every word against every word, no bounds.
    fn plain_fuzzy_features(a: &PreparedSentence, b: &PreparedSentence, idf: &Idf) -> [f64; 4] {
        let dice = |x: &[u64], y: &[u64]| 2.0 * intersection_len(x, y) as f64 / (x.len() + y.len()) as f64;
        let soft = |a: &PreparedSentence, b: &PreparedSentence| {
            let (mut total, mut soft, mut weight, mut n) = (0.0, 0.0, 0.0, 0);
            for &(stem, word) in &a.content_first {
                let w = idf.weight(stem);
                total += w;
                let sim = if b.content_set.contains(&stem) {
                    1.0
                } else {
                    let grams = a.word_grams(word as usize);
                    b.content_words.iter().map(|&j| dice(grams, b.word_grams(j as usize))).fold(0.0, f64::max)
                };
                soft += w * sim;
                if sim < FUZZY {
                    weight += w;
                    n += 1;
                }
            }
            (if total > 0.0 { soft / total } else { 1.0 }, weight, n)
        };
        let run = |a: &PreparedSentence, b: &PreparedSentence| {
            let (mut longest, mut run) = (0, 0);
            for i in 0..a.len() {
                let grams = a.word_grams(i);
                if b.stem_set.contains(&a.words[i].stem) || (0..b.len()).any(|j| dice(grams, b.word_grams(j)) >= FUZZY)
                {
                    run = 0;
                } else {
                    run += 1;
                    longest = longest.max(run);
                }
            }
            longest
        };
        let ((sa, wa, na), (sb, wb, nb)) = (soft(a, b), soft(b, a));
        let hapax = idf.hapax_weight();
        [run(a, b).max(run(b, a)) as f64, sa.max(sb), ((wa + wb) / hapax).ln_1p(), na.max(nb) as f64]
    }

    #[test]
    fn fast_paths_give_the_plain_fuzzy_features() {
        let text = [
            include_str!("../../fixtures/seeds/000_fc334fc79f7154fc.txt"),
            include_str!("../../fixtures/seeds/002_5d18fd4474e21294.txt"),
        ]
        .join(" ");
        let mut prep = super::super::SentencePreparer::new();
        let mut sents: Vec<PreparedSentence> =
            crate::text::sentence::sentences(&text).into_iter().map(|s| prep.prepare_span(&text, s)).collect();
        // Lightly edited copies: long unmatched runs, fuzzy matches and exact stems mixed.
        let edited: Vec<String> = sents
            .iter()
            .map(|s| s.words().enumerate().map(|(i, w)| if i % 4 == 1 { format!("{w}s") } else { w.to_string() }))
            .map(|w| w.collect::<Vec<_>>().join(" "))
            .collect();
        sents.extend(edited.iter().map(|t| PreparedSentence::new(t)));
        let idf = Idf::from_sentences(&sents);
        for a in &sents {
            for b in &sents {
                let f = pair_features(a, b, &idf);
                let plain = plain_fuzzy_features(a, b, &idf);
                assert_eq!(
                    [f[5], f[SOFT_MAX], f[11], f[12]],
                    plain,
                    "{:?} / {:?}",
                    a.words().collect::<Vec<_>>(),
                    b.words().collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn weighed_sentences_give_the_same_features_and_only_with_their_table() {
        let (a, b) = (PreparedSentence::new(A), PreparedSentence::new(B));
        let mut idf = Idf::from_sentences([&a, &b]);
        idf.precompute();
        let mut other = Idf::from_sentences([&a]);
        other.precompute();
        let (mut wa, mut wb) = (a.clone(), b.clone());
        wa.weigh(&idf);
        wb.weigh(&idf);
        assert!(wa.weights(&idf).is_some() && wa.weights(&other).is_none());
        assert_eq!(pair_features(&wa, &wb, &idf), pair_features(&a, &b, &idf));
        assert_eq!(pair_features(&wa, &wb, &other), pair_features(&a, &b, &other));
        assert_ne!(pair_features(&a, &b, &idf), pair_features(&a, &b, &other));
        // Counting more sentences retires the table's weights.
        idf.add(&a);
        assert!(wa.weights(&idf).is_none());
    }

    /// The stems of a sentence's words, in order.
    fn stems(s: &PreparedSentence) -> Vec<u64> {
        s.words.iter().map(|w| w.stem).collect()
    }

    /// A sentence of words drawn from a few (two of them with one stem).
    fn sentence_of(words: &[usize]) -> PreparedSentence {
        const VOCAB: [&str; 7] = ["bridge", "river", "council", "vote", "open", "opened", "town"];
        PreparedSentence::new(&words.iter().map(|&w| VOCAB[w]).collect::<Vec<_>>().join(" "))
    }

    proptest::proptest! {
        #[test]
        fn bit_parallel_edit_distance_is_the_plain_one(
            a in proptest::collection::vec(0..7usize, 0..150),
            b in proptest::collection::vec(0..7usize, 0..150),
            cut in 0..80usize,
        ) {
            // Also a near copy: a long common prefix and suffix around an edit.
            let mut c = a.clone();
            if !c.is_empty() {
                let at = cut % c.len();
                c[at] = (c[at] + 1) % 7;
                c.insert(at, 3);
            }
            let (a, b, c) = (sentence_of(&a), sentence_of(&b), sentence_of(&c));
            let mut eq = EqMasks::default();
            for (x, y) in [(&a, &b), (&b, &a), (&a, &c), (&c, &a), (&a, &a)] {
                let plain = plain_edit_distance(&x.words, &y.words, |w| w.stem);
                proptest::prop_assert_eq!(stem_edit_distance(x, y, &mut eq), plain);
                proptest::prop_assert_eq!(stems_edit_distance(&stems(x), &stems(y)), plain);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn gram_table_counts_what_a_merge_counts(
            x in proptest::collection::btree_set(0..1u64 << 63, 0..60),
            ys in proptest::collection::vec(proptest::collection::btree_set(0..1u64 << 63, 0..20), 1..5),
        ) {
            let x: Vec<u64> = x.into_iter().collect();
            let mut table = GramTable::default();
            let filled = table.fill(&x);
            for y in ys {
                // Some of x's grams among y's.
                let y: Vec<u64> = y.into_iter().chain(x.iter().step_by(3).copied()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                if filled {
                    proptest::prop_assert_eq!(table.count(&y), intersection_len(&x, &y));
                }
            }
            if filled {
                table.clear(&x);
            }
            proptest::prop_assert!(table.slots.iter().all(|&s| s == GramTable::FREE));
        }
    }

    #[test]
    fn bit_parallel_edit_distance_at_64_words() {
        let mut eq = EqMasks::default();
        for m in [63, 64, 65] {
            for n in [1, 63, 64, 65, 130] {
                let a: Vec<usize> = (0..m).map(|i| i * 7 % 5).collect();
                let b: Vec<usize> = (0..n).map(|i| (i * 3 + 1) % 6).collect();
                let (a, b) = (sentence_of(&a), sentence_of(&b));
                let plain = plain_edit_distance(&a.words, &b.words, |w| w.stem);
                assert_eq!(stem_edit_distance(&a, &b, &mut eq), plain, "{m} {n}");
                assert_eq!(stem_edit_distance(&b, &a, &mut eq), plain, "{m} {n}");
                assert_eq!(stems_edit_distance(&stems(&a), &stems(&b)), plain, "{m} {n}");
                assert_eq!(stems_edit_distance(&stems(&b), &stems(&a)), plain, "{m} {n}");
            }
        }
    }

    #[test]
    fn levenshtein_on_long_sentences_uses_the_heap_path() {
        let long_a: String = (0..200).map(|i| format!("w{} ", i % 50)).collect();
        let long_b: String = (0..199).map(|i| format!("w{} ", i % 50)).collect();
        assert!((feature(&long_a, &long_b, "wed") - 1.0 / 200.0).abs() < 1e-12);
    }
}
