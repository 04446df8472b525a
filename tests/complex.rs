//! The complex arithmetic of the Heston pricer against identities and known
//! values: products and quotients written out, `(a/b)·b = a` on both sides of
//! Smith's branch, `|z|² = hypot²`, `e^{iπ} = −1`, `√z·√z = z` with `Re √z ≥ 0`
//! in every quadrant and on the axes, `e^{z·ln(1+z)/z} = 1 + z`, and the
//! small-`z` forms against their series.

// Independent references may use the platform's math: only the engine must be
// bit-identical across targets.
#![allow(clippy::disallowed_methods)]

use hedge_explorer::pricing::complex::Complex;

fn c(re: f64, im: f64) -> Complex {
    Complex::new(re, im)
}

/// `|a − b| ≤ tolerance·max(|b|, 1e-300)`, with a message.
fn assert_close(a: Complex, b: Complex, tolerance: f64, what: &str) {
    let error = a.sub(b).norm_sqr().sqrt();
    let size = b.norm_sqr().sqrt().max(1e-300);
    assert!(
        error <= tolerance * size,
        "{what}: {a:?} vs {b:?} (relative error {:e})",
        error / size
    );
}

/// Points in every quadrant, on both axes, near 0 and far from it.
fn points() -> Vec<Complex> {
    let parts = [-1e3, -3.5, -1.0, -1e-9, 0.0, 1e-9, 0.5, 2.0, 1e3];
    let mut all = Vec::new();
    for &re in &parts {
        for &im in &parts {
            all.push(c(re, im));
        }
    }
    all
}

#[test]
fn arithmetic_matches_known_values() {
    let (a, b) = (c(1.0, 2.0), c(3.0, 4.0));
    assert_eq!(a.add(b), c(4.0, 6.0));
    assert_eq!(a.sub(b), c(-2.0, -2.0));
    assert_eq!(a.mul(b), c(-5.0, 10.0));
    assert_eq!(c(0.0, 1.0).mul(c(0.0, 1.0)), c(-1.0, 0.0));
    assert_eq!(a.scale(-2.0), c(-2.0, -4.0));
    assert_eq!(Complex::real(2.5), c(2.5, 0.0));
    assert_eq!(b.norm_sqr(), 25.0);
    assert_eq!(c(-3.0, 0.0).norm_sqr(), 9.0);
    assert_eq!(c(0.0, -4.0).norm_sqr(), 16.0);
    // (1 + 2i)/(3 + 4i) = (11 + 2i)/25; (3 + 4i)/(1 + 2i) = (11 − 2i)/5: one
    // divisor with |re| < |im| and one with |re| ≥ |im| (Smith's two branches).
    assert_close(a.div(b), c(11.0 / 25.0, 2.0 / 25.0), 1e-16, "(1+2i)/(3+4i)");
    assert_close(b.div(a), c(11.0 / 5.0, -2.0 / 5.0), 1e-16, "(3+4i)/(1+2i)");
    assert_close(
        a.div(c(4.0, 3.0)),
        c(10.0 / 25.0, 5.0 / 25.0),
        1e-16,
        "(1+2i)/(4+3i)",
    );
}

#[test]
fn norms_and_quotients_keep_their_identities() {
    for a in points() {
        let hypot = a.re.hypot(a.im);
        let norm = a.norm_sqr();
        assert!(
            (norm - hypot * hypot).abs() <= 4e-16 * norm,
            "|{a:?}|² = {norm}, hypot² {}",
            hypot * hypot
        );
        for b in points() {
            if b.norm_sqr() == 0.0 {
                continue;
            }
            let q = a.div(b);
            // |a/b| = |a|/|b|, and (a/b)·b = a to rounding of the larger parts.
            let scale = a.norm_sqr().sqrt().max(1e-300);
            let error = q.mul(b).sub(a).norm_sqr().sqrt();
            assert!(error <= 1e-15 * scale, "({a:?}/{b:?})·b: error {error:e}");
        }
    }
}

#[test]
fn exponentials_keep_their_identities() {
    assert_close(
        c(0.0, std::f64::consts::PI).exp(),
        c(-1.0, 0.0),
        1e-15,
        "e^{iπ}",
    );
    for z in points().into_iter().filter(|z| z.re.abs() < 100.0) {
        let e = z.exp();
        let expected = c(z.re.exp() * z.im.cos(), z.re.exp() * z.im.sin());
        assert_close(e, expected, 1e-15, "e^z");
        // e^z − 1 far from 0 is e^z less 1; near 0 its series, to the last bits.
        if z.norm_sqr() > 1.0 {
            assert_close(z.expm1(), e.sub(Complex::real(1.0)), 2e-15, "e^z − 1");
        }
    }
    for z in [c(1e-9, 2e-9), c(-3e-8, 1e-8), c(0.0, 1e-6), c(1e-5, -1e-5)] {
        let z2 = z.mul(z);
        let series = z
            .add(z2.scale(0.5))
            .add(z2.mul(z).scale(1.0 / 6.0))
            .add(z2.mul(z2).scale(1.0 / 24.0));
        assert_close(z.expm1(), series, 4e-16, "e^z − 1 near 0");
    }
}

#[test]
fn square_roots_are_principal_in_every_quadrant() {
    assert_eq!(c(0.0, 0.0).sqrt(), c(0.0, 0.0));
    assert_close(c(3.0, 4.0).sqrt(), c(2.0, 1.0), 1e-16, "√(3+4i)");
    assert_close(c(-3.0, 4.0).sqrt(), c(1.0, 2.0), 1e-16, "√(−3+4i)");
    assert_close(c(-3.0, -4.0).sqrt(), c(1.0, -2.0), 1e-16, "√(−3−4i)");
    assert_close(c(3.0, -4.0).sqrt(), c(2.0, -1.0), 1e-16, "√(3−4i)");
    assert_close(c(-4.0, 0.0).sqrt(), c(0.0, 2.0), 1e-16, "√−4");
    assert_close(c(0.0, 2.0).sqrt(), c(1.0, 1.0), 1e-16, "√2i");
    for z in points() {
        let root = z.sqrt();
        assert!(root.re >= 0.0, "Re √{z:?} = {}", root.re);
        assert_close(root.mul(root), z, 4e-16, "√z·√z");
    }
}

#[test]
fn log1p_over_z_keeps_its_identities() {
    assert_eq!(c(0.0, 0.0).log1p_over(), c(1.0, 0.0));
    // ln(1 + iy) = ½ ln(1 + y²) + i·atan y, divided by iy.
    for y in [1e-9, 0.5, -2.0, 1e3_f64] {
        let log = c(0.5 * (y * y).ln_1p(), y.atan());
        assert_close(
            c(0.0, y).log1p_over(),
            log.div(c(0.0, y)),
            1e-15,
            "ln(1+iy)/(iy)",
        );
    }
    for z in points() {
        if z.norm_sqr() == 0.0 || (z.re == -1.0 && z.im == 0.0) {
            continue;
        }
        let log = z.log1p_over().mul(z);
        assert!(log.im.abs() <= std::f64::consts::PI, "{z:?}: {log:?}");
        let one_plus = Complex::real(1.0).add(z);
        assert_close(log.exp(), one_plus, 1e-14, "e^{ln(1+z)}");
    }
    // Near 0: 1 − z/2 + z²/3 − z³/4 + z⁴/5.
    for z in [c(1e-9, 2e-9), c(-3e-8, 1e-8), c(0.0, 1e-6), c(1e-5, -1e-5)] {
        let series = Complex::real(1.0)
            .sub(z.scale(0.5))
            .add(z.mul(z).scale(1.0 / 3.0))
            .sub(z.mul(z).mul(z).scale(0.25))
            .add(z.mul(z).mul(z).mul(z).scale(0.2));
        assert_close(z.log1p_over(), series, 4e-16, "ln(1+z)/z near 0");
    }
}
