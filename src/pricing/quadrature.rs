//! Numerical integration over the half line `[0, ∞)`: globally adaptive
//! Gauss–Kronrod (7-point Gauss, 15-point Kronrod) after the change of variable
//! `u = L·x/(1 − x)`, which maps `[0, 1)` onto `[0, ∞)`.
//!
//! ```text
//! ∫₀^∞ f(u) du = ∫₀¹ f(L·x/(1 − x)) · L/(1 − x)² dx
//! ```
//!
//! The scale `L` should be about where `f` starts to decay (the characteristic
//! function integrals of [`crate::pricing::heston`] use `1/√(total variance)`), so
//! that the mapped integrand is spread over `[0, 1)` rather than squeezed into one
//! end. The nodes are interior, so `x = 1` (`u = ∞`) is never evaluated.
//!
//! The interval with the largest error estimate `|K15 − G7|` is bisected until the
//! estimates add up to less than the tolerance or the budget of intervals is spent
//! (then the result says so). `|K15 − G7|` is the error of the 7-point rule: the
//! 15-point value returned is usually far more accurate than the estimate. Only
//! IEEE arithmetic and a fixed order of operations: the same bits everywhere.
//!
//! Nodes and weights: QUADPACK's `qk15` (Piessens, de Doncker-Kapenga, Überhuber
//! and Kahaner, *QUADPACK*, Springer 1983).
//!
//! **Tested by** `tests/heston.rs`: integrals with closed forms (exponential,
//! Lorentzian, Gaussian cosine transform), a divergent one stopping where an
//! interval can no longer be halved, and through every Heston price.

/// The Kronrod nodes in `(0, 1)`, largest first (the odd ones, 1st, 3rd, …, are
/// Kronrod's; the even ones are the 7-point Gauss nodes); the centre 0 is apart.
#[allow(clippy::excessive_precision)] // QUADPACK's digits, as published
const KRONROD_NODES: [f64; 7] = [
    0.991_455_371_120_812_639_206_854_697_526_329,
    0.949_107_912_342_758_524_526_189_684_047_851,
    0.864_864_423_359_769_072_789_712_788_640_926,
    0.741_531_185_599_394_439_863_864_773_280_788,
    0.586_087_235_467_691_130_294_144_845_693_013,
    0.405_845_151_377_397_166_906_606_412_076_961,
    0.207_784_955_007_898_467_600_689_403_773_245,
];

/// Kronrod weights of the nodes above, then of the centre.
#[allow(clippy::excessive_precision)]
const KRONROD_WEIGHTS: [f64; 8] = [
    0.022_935_322_010_529_224_963_732_008_058_970,
    0.063_092_092_629_978_553_290_700_663_189_204,
    0.104_790_010_322_250_183_839_876_322_541_518,
    0.140_653_259_715_525_918_745_189_590_510_238,
    0.169_004_726_639_267_902_826_583_426_598_550,
    0.190_350_578_064_785_409_913_256_402_421_014,
    0.204_432_940_075_298_892_414_161_999_234_649,
    0.209_482_141_084_727_828_012_999_174_891_714,
];

/// Gauss weights of the Gauss nodes (`KRONROD_NODES[1]`, `[3]`, `[5]`), then of
/// the centre.
#[allow(clippy::excessive_precision)]
const GAUSS_WEIGHTS: [f64; 4] = [
    0.129_484_966_168_869_693_270_611_432_679_082,
    0.279_705_391_489_276_667_901_467_771_423_780,
    0.381_830_050_505_118_944_950_369_775_488_975,
    0.417_959_183_673_469_387_755_102_040_816_327,
];

/// The result of an adaptive integration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Integral {
    /// The integral (sum of the 15-point values over the final intervals).
    pub value: f64,
    /// The sum of the intervals' error estimates `|K15 − G7|` (a pessimistic
    /// bound when the integrand is smooth).
    pub error: f64,
    /// Whether `error` reached the tolerance within the budget of intervals.
    pub converged: bool,
}

/// The result of integrating several functions over one shared partition.
#[derive(Clone, Debug, PartialEq)]
pub struct Integrals {
    /// The integrals, one per component.
    pub values: Vec<f64>,
    /// The largest component's sum of error estimates `|K15 − G7|`.
    pub error: f64,
    /// Whether `error` reached the tolerance within the budget of intervals.
    pub converged: bool,
}

/// One interval of `x ∈ [0, 1)` with its 15-point values and error estimates.
#[derive(Clone, Debug)]
struct Piece {
    lower: f64,
    upper: f64,
    values: Vec<f64>,
    errors: Vec<f64>,
    /// The largest of `errors`.
    worst: f64,
}

/// The 15-point Kronrod values and `|K15 − G7|` of the components of `g` over
/// `[lower, upper]`; `g(x, out)` writes the components at `x` into `out`.
fn kronrod<F: FnMut(f64, &mut [f64])>(g: &mut F, dim: usize, lower: f64, upper: f64) -> Piece {
    let centre = 0.5 * (lower + upper);
    let half = 0.5 * (upper - lower);
    let mut left = vec![0.0; dim];
    let mut right = vec![0.0; dim];
    g(centre, &mut left);
    let mut kronrod: Vec<f64> = left.iter().map(|f| KRONROD_WEIGHTS[7] * f).collect();
    let mut gauss: Vec<f64> = left.iter().map(|f| GAUSS_WEIGHTS[3] * f).collect();
    for (j, &node) in KRONROD_NODES.iter().enumerate() {
        g(centre - half * node, &mut left);
        g(centre + half * node, &mut right);
        for c in 0..dim {
            let pair = left[c] + right[c];
            kronrod[c] += KRONROD_WEIGHTS[j] * pair;
            if j % 2 == 1 {
                gauss[c] += GAUSS_WEIGHTS[j / 2] * pair;
            }
        }
    }
    let errors: Vec<f64> = kronrod
        .iter()
        .zip(&gauss)
        .map(|(k, g)| ((k - g) * half).abs())
        .collect();
    Piece {
        lower,
        upper,
        worst: errors.iter().fold(0.0, |m: f64, &e| m.max(e)),
        errors,
        values: kronrod.iter().map(|k| k * half).collect(),
    }
}

/// `∫₀^∞ f(u) du` by adaptive Gauss–Kronrod after `u = scale·x/(1 − x)` (see the
/// module docs), bisecting until the error estimates sum to at most `tolerance`
/// or `max_intervals` intervals are in use. `scale > 0`. A non-finite value of
/// `f` makes the result non-finite (it is not hidden).
pub fn integrate_half_line<F: FnMut(f64) -> f64>(
    mut f: F,
    scale: f64,
    tolerance: f64,
    max_intervals: usize,
) -> Integral {
    let many = integrate_half_line_many(
        |u, out: &mut [f64]| out[0] = f(u),
        1,
        scale,
        tolerance,
        max_intervals,
    );
    Integral {
        value: many.values[0],
        error: many.error,
        converged: many.converged,
    }
}

/// [`integrate_half_line`] for `dim` functions at once on one partition:
/// `f(u, out)` writes the `dim` integrands at `u` into `out` (so that work
/// shared between them, such as a characteristic function, is done once per
/// node). The interval bisected next is the one with the largest error estimate
/// of any component; the tolerance applies to every component's sum.
pub fn integrate_half_line_many<F: FnMut(f64, &mut [f64])>(
    mut f: F,
    dim: usize,
    scale: f64,
    tolerance: f64,
    max_intervals: usize,
) -> Integrals {
    let mut mapped = |x: f64, out: &mut [f64]| {
        let rest = 1.0 - x;
        f(scale * x / rest, out);
        let jacobian = scale / (rest * rest);
        for value in out.iter_mut() {
            *value *= jacobian;
        }
    };
    // A few equal pieces to start with, so that a narrow feature is not missed by
    // one 15-point rule that happens to straddle it.
    const START: usize = 4;
    let mut pieces: Vec<Piece> = (0..START)
        .map(|i| {
            let lower = i as f64 / START as f64;
            let upper = (i + 1) as f64 / START as f64;
            kronrod(&mut mapped, dim, lower, upper)
        })
        .collect();
    let finish = |pieces: &[Piece], error: f64, converged: bool| Integrals {
        values: (0..dim)
            .map(|c| pieces.iter().map(|p| p.values[c]).sum())
            .collect(),
        error,
        converged,
    };
    // Per component, the sum of the pieces' error estimates.
    let mut sums: Vec<f64> = (0..dim)
        .map(|c| pieces.iter().map(|p| p.errors[c]).sum())
        .collect();
    loop {
        let error = sums.iter().fold(0.0, |m: f64, &e| m.max(e));
        if error <= tolerance || pieces.len() >= max_intervals || !error.is_finite() {
            return finish(&pieces, error, error <= tolerance);
        }
        // The piece with the largest error (the first of equals: deterministic).
        let worst = (0..pieces.len()).fold(0, |best, i| {
            if pieces[i].worst > pieces[best].worst {
                i
            } else {
                best
            }
        });
        let (lower, upper) = (pieces[worst].lower, pieces[worst].upper);
        let middle = 0.5 * (lower + upper);
        if middle <= lower || middle >= upper {
            // The interval cannot be split further in f64: accept what we have.
            return finish(&pieces, error, false);
        }
        let left = kronrod(&mut mapped, dim, lower, middle);
        let right = kronrod(&mut mapped, dim, middle, upper);
        for (c, sum) in sums.iter_mut().enumerate() {
            *sum += left.errors[c] + right.errors[c] - pieces[worst].errors[c];
        }
        pieces[worst] = left;
        pieces.push(right);
    }
}
