//! Choosing LSH bands and rows from a similarity threshold.
//!
//! With `b` bands of `r` rows, two documents of Jaccard similarity `s` share at least
//! one band (become a candidate pair) with probability
//!
//! ```text
//! P(s) = 1 - (1 - s^r)^b
//! ```
//!
//! an S-shaped curve rising around `(1/b)^(1/r)`. For a threshold `t`, the false-positive
//! mass is the area under `P` left of `t`, and the false-negative mass the area above `P`
//! right of `t`:
//!
//! ```text
//! FP(b, r) = ∫_0^t P(s) ds        FN(b, r) = ∫_t^1 (1 - P(s)) ds
//! ```
//!
//! [`choose_bands`] picks the `(b, r)` with `b * r <= num_perm` minimising
//! `fp_weight * FP + fn_weight * FN`. Verification removes false positives exactly but
//! nothing brings back a missed pair, so the default weights favour recall
//! (0.2 / 0.8). At `num_perm` 128 and threshold 0.3 that gives 42 bands of 3 rows:
//! `P(0.2) = 0.29`, `P(0.3) = 0.68`, `P(0.4) = 0.94`, `P(0.5) = 0.996`.

/// Default weight of false positives in [`choose_bands`].
pub const DEFAULT_FP_WEIGHT: f64 = 0.2;
/// Default weight of false negatives in [`choose_bands`].
pub const DEFAULT_FN_WEIGHT: f64 = 0.8;

/// Probability that a pair of Jaccard `s` shares a band, with `bands` x `rows`.
pub fn collision_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

fn integrate(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    // Simpson's rule on 200 intervals: smooth integrand, ample precision.
    let n = 200;
    let h = (hi - lo) / n as f64;
    if h <= 0.0 {
        return 0.0;
    }
    let mut sum = f(lo) + f(hi);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(lo + i as f64 * h);
    }
    sum * h / 3.0
}

/// The `(bands, rows)` minimising weighted false-positive and false-negative mass.
pub fn choose_bands(threshold: f64, num_perm: usize, fp_weight: f64, fn_weight: f64) -> (usize, usize) {
    let mut best = (1, num_perm.max(1));
    let mut best_cost = f64::INFINITY;
    for rows in 1..=num_perm {
        let bands = num_perm / rows;
        if bands == 0 {
            break;
        }
        let fp = integrate(|s| collision_probability(s, bands, rows), 0.0, threshold);
        let fnm = integrate(|s| 1.0 - collision_probability(s, bands, rows), threshold, 1.0);
        let cost = fp_weight * fp + fn_weight * fnm;
        if cost < best_cost - 1e-12 {
            best_cost = cost;
            best = (bands, rows);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_threshold_means_more_rows() {
        let (_, r_low) = choose_bands(0.3, 128, DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT);
        let (_, r_high) = choose_bands(0.8, 128, DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT);
        assert!(r_high > r_low, "{r_low} vs {r_high}");
    }

    #[test]
    fn chosen_curve_crosses_near_the_threshold() {
        for &t in &[0.3, 0.5, 0.7, 0.9] {
            let (b, r) = choose_bands(t, 128, 0.5, 0.5);
            assert!(b * r <= 128);
            assert!(collision_probability(t + 0.15, b, r) > 0.8, "t={t} b={b} r={r}");
            assert!(collision_probability((t - 0.25).max(0.0), b, r) < 0.35, "t={t} b={b} r={r}");
        }
    }

    #[test]
    fn documented_defaults() {
        let (b, r) = choose_bands(0.3, 128, DEFAULT_FP_WEIGHT, DEFAULT_FN_WEIGHT);
        let p = |s| collision_probability(s, b, r);
        println!("b={b} r={r} p(.2)={:.3} p(.3)={:.3} p(.4)={:.3} p(.5)={:.3}", p(0.2), p(0.3), p(0.4), p(0.5));
        assert!(p(0.5) > 0.99);
    }
}
