//! The fast `exp` against `libm::exp` (itself within 1 ulp of e^x).

use hedge_explorer::pricing::fastmath;

fn ulps(a: f64, b: f64) -> u64 {
    (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
}

#[test]
fn fast_exp_is_within_two_ulp_of_libm_everywhere() {
    let mut worst = (0, 0.0);
    let n = 4_000_000;
    for i in 0..=n {
        let x = -745.0 + 1455.0 * i as f64 / n as f64;
        let e = ulps(fastmath::exp(x), libm::exp(x));
        if e > worst.0 {
            worst = (e, x);
        }
    }
    // Fine grid where log-spots live.
    for i in 0..=1_000_000 {
        let x = -5.0 + 20.0 * i as f64 / 1e6;
        let e = ulps(fastmath::exp(x), libm::exp(x));
        if e > worst.0 {
            worst = (e, x);
        }
    }
    assert!(worst.0 <= 2, "{} ulp at x = {}", worst.0, worst.1);
}

#[test]
fn fast_exp_edges() {
    assert_eq!(fastmath::exp(0.0), 1.0);
    assert_eq!(fastmath::exp(f64::NEG_INFINITY), 0.0);
    assert_eq!(fastmath::exp(f64::INFINITY), f64::INFINITY);
    assert!(fastmath::exp(f64::NAN).is_nan());
    assert_eq!(fastmath::exp(800.0), f64::INFINITY);
    assert_eq!(fastmath::exp(-800.0), 0.0);
    assert!(
        (fastmath::exp(1.0) - core::f64::consts::E).abs()
            <= 2.0 * f64::EPSILON * core::f64::consts::E
    );
}
