//! Summary statistics on hand-computed samples and against normal closed forms.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::paths::rng::PathRng;
use hedge_explorer::results::stats::{quantile_sorted, sample_sd, summarize, Histogram};

#[test]
fn small_sample_by_hand() {
    let s = summarize(&[3.0, 1.0, 4.0, 1.0, 5.0]);
    assert_eq!(s.count, 5);
    assert_eq!(s.mean, 2.8);
    // Σ(x − 2.8)² = 0.04 + 3.24 + 1.44 + 3.24 + 4.84 = 12.8; /4 = 3.2
    assert!((s.sd - 3.2f64.sqrt()).abs() < 1e-15);
    // numpy.quantile([1,1,3,4,5], [.05,.5,.95]) = [1.0, 3.0, 4.8]
    assert_eq!(s.p5, 1.0);
    assert_eq!(s.p50, 3.0);
    assert!((s.p95 - 4.8).abs() < 1e-15);
    assert_eq!(s.var95, -1.0);
    // ⌈5% of 5⌉ = 1 worst outcome: 1 → ES = −1
    assert_eq!(s.es95, -1.0);
    assert_eq!((s.min, s.max), (1.0, 5.0));
}

#[test]
fn quantiles_follow_numpy_linear_interpolation() {
    let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
    // numpy.quantile(range(1, 11), 0.05) = 1.45; 0.95 → 9.55; 0.5 → 5.5
    assert!((quantile_sorted(&sorted, 0.05) - 1.45).abs() < 1e-12);
    assert!((quantile_sorted(&sorted, 0.95) - 9.55).abs() < 1e-12);
    assert_eq!(quantile_sorted(&sorted, 0.5), 5.5);
    assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
    assert!(quantile_sorted(&[], 0.3).is_nan());
    // The ends are the extremes (p = 1 has no upper neighbour to read).
    assert_eq!(quantile_sorted(&sorted, 0.0), 1.0);
    assert_eq!(quantile_sorted(&sorted, 1.0), 10.0);
}

#[test]
fn sample_sd_by_hand() {
    // Fewer than two values have no spread to estimate.
    assert_eq!(sample_sd(&[]), 0.0);
    assert_eq!(sample_sd(&[4.0]), 0.0);
    // Two values: Σ(x − 2)² = 2, over n − 1 = 1.
    assert_eq!(sample_sd(&[1.0, 3.0]), 2f64.sqrt());
    // Three: mean 3, Σ(x − 3)² = 4 + 0 + 4, over 2.
    assert_eq!(sample_sd(&[1.0, 3.0, 5.0]), 2.0);
}

#[test]
fn expected_shortfall_of_a_known_sample() {
    // P&L −100..=−1 and 0..=99: the worst 5% (10 of 200) are −100..=−91, mean −95.5.
    let sample: Vec<f64> = (-100..100).map(f64::from).collect();
    let s = summarize(&sample);
    assert_eq!(s.es95, 95.5);
    assert!(s.var95 > 0.0 && s.var95 < s.es95);
}

#[test]
fn normal_sample_var_and_es_match_closed_forms() {
    // VaR95 = 1.6449σ, ES95 = σ·n(1.6449)/0.05 = 2.0627σ for N(0, σ²).
    let sigma = 1000.0;
    let mut rng = PathRng::for_path(11, 0);
    let sample: Vec<f64> = (0..400_000).map(|_| sigma * rng.normal()).collect();
    let s = summarize(&sample);
    assert!((s.var95 / sigma - 1.644_853_6).abs() < 0.01, "{}", s.var95);
    assert!((s.es95 / sigma - 2.062_712_9).abs() < 0.015, "{}", s.es95);
    assert!((s.sd / sigma - 1.0).abs() < 0.005);
}

#[test]
fn histogram_counts_every_value_once() {
    let values: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.37 - 50.0).collect();
    let h = Histogram::of(&values, 40);
    assert_eq!(h.counts.len(), 40);
    assert_eq!(h.counts.iter().sum::<u32>(), 1000);
    assert_eq!(h.bin_of(values[0]), 0);
    assert_eq!(h.bin_of(values[999]), 39);
    // Degenerate samples.
    assert_eq!(Histogram::of(&[], 10).counts.iter().sum::<u32>(), 0);
}

#[test]
fn a_sample_of_one_value_gets_one_unit_bin_centred_on_it() {
    // Every P&L equal (no hedge of an option that expires worthless): one bin
    // [4.5, 5.5) holding the finite values only, as the other bins hold.
    let h = Histogram::of(&[5.0, 5.0, f64::NAN, 5.0], 10);
    assert_eq!(h.counts, vec![3]);
    assert_eq!((h.start, h.width), (4.5, 1.0));
    assert_eq!((h.edge(0), h.edge(1)), (4.5, 5.5));
    assert_eq!(h.bin_of(5.0), 0);
    // Two values, two bins: [10, 15) and [15, 20], one each.
    let two = Histogram::of(&[10.0, 20.0], 2);
    assert_eq!(
        (two.start, two.width, two.counts.clone()),
        (10.0, 5.0, vec![1, 1])
    );
    assert_eq!((two.bin_of(12.0), two.bin_of(16.0)), (0, 1));
    // Finite values and a NaN: the NaN is in no bin.
    let spread = Histogram::of(&[0.0, 1.0, f64::NAN], 2);
    assert_eq!(spread.counts.iter().sum::<u32>(), 2);
}

#[test]
fn var_is_the_interpolated_quantile_and_es_the_mean_of_the_worst() {
    // 40 P&Ls: −10, −6, then 0 … 37. Sorted, type 7 puts the 5 % quantile at
    // h = 39 × 0.05 = 1.95: x₍₁₎ + 0.95·(x₍₂₎ − x₍₁₎) = −6 + 0.95·6 = −0.3, so
    // VaR95 = 0.3 — where an order statistic would give 6 (x₍₁₎) or 0 (x₍₂₎).
    // ES95 is the mean loss of the worst ⌈0.05·40⌉ = 2: (10 + 6)/2 = 8.
    let mut sample: Vec<f64> = (0..38).map(f64::from).collect();
    sample.insert(17, -6.0);
    sample.push(-10.0);
    let s = summarize(&sample);
    assert_eq!(s.count, 40);
    assert!((s.p5 - -0.3).abs() < 1e-12, "p5 {}", s.p5);
    assert!((s.var95 - 0.3).abs() < 1e-12, "VaR95 {}", s.var95);
    assert_eq!(s.var95, -s.p5);
    assert_eq!(s.es95, 8.0);
    // Another size: 1 … 30 in reverse order. h = 29 × 0.05 = 1.45 → 2.45, so
    // VaR95 = −2.45 (a gain); ES95 over the worst ⌈1.5⌉ = 2: −(1 + 2)/2 = −1.5.
    let s = summarize(&(1..=30).rev().map(f64::from).collect::<Vec<_>>());
    assert!((s.var95 - -2.45).abs() < 1e-12, "VaR95 {}", s.var95);
    assert_eq!(s.es95, -1.5);
}
