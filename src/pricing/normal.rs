//! The standard normal distribution: density n(x), cumulative N(x) and its inverse.
//!
//! - `N(x)` ([`cdf`]): the hedge loop evaluates it at every path-step, so it is a
//!   table: cubic Hermite interpolation of `N` on a grid of step h = 1/1024 over
//!   [−9, 0], using the exact values `N` and `N′ = n` at the nodes (from
//!   [`cdf_erfc`]), stored as the four coefficients of each interval's polynomial
//!   (9,216 rows of 32 bytes, 295 KB); `N(x) = 1 − N(−x)` above 0 and `N = 0` below
//!   −9 (`N(−9) ≈ 1.1e−19`). The interpolation error is at most
//!   `max|N⁽⁴⁾|·h⁴/384 = 0.551·h⁴/384 ≈ 1.3e−15`; with rounding the tests measure a
//!   maximum absolute error of 1.4e−15 over the whole line (the requirement is
//!   1e−14). A finer cubic rather than a coarser quintic (1/64 would do) because the
//!   lane kernel gathers each coefficient separately: four gathers and three
//!   Horner steps instead of six and five, which pays more than the larger table
//!   costs in cache misses (measured on hull-mc).
//! - [`cdf_erfc`]: `½·erfc(−x/√2)`, with `erfc` from `libm` (no cancellation in
//!   either tail, unlike `½(1 + erf)`): full *relative* accuracy in the lower tail,
//!   used to build the table and as its reference.
//! - `n(x) = e^{−x²/2}/√(2π)`.
//! - `N⁻¹(p)`: Wichura's algorithm AS 241 (`PPND16`, Applied Statistics 37, 1988),
//!   relative accuracy about 1e−16 (the engine draws its normals with the ziggurat of
//!   [`crate::paths::rng`]; this serves references and inverse-transform sampling).
//!
//! All three use only IEEE basic operations and `libm`, so they return the same bits
//! natively and in wasm32.
//!
//! **Tested by** `tests/pricing.rs`: N within 1.5e−15, n within 1e−16 and n with
//! the fast `exp` within 1.2e−16 of a 50-digit mpmath table; the table N against
//! `erfc` on a dense grid and around every node; N against published values and
//! the symmetry N(x) + N(−x) = 1; n against a finite difference of N; N⁻¹ against
//! N (round trip) on a dense grid and in the tails. `tests/simd.rs`: the table N
//! at `f64` and at two- and four-lane vectors give the same bits.

use crate::engine::lanes::{each, Bits, Mask, Real};
use crate::pricing::fastmath::Exp;

/// 1/√(2π).
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

/// Standard normal density n(x) = e^{−x²/2}/√(2π).
#[inline]
pub fn pdf(x: f64) -> f64 {
    let [density] = pdf_from(|[y]: &[f64; 1]| [libm::exp(*y)], &[x]);
    density
}

/// n(x) with the engine's fast `exp` (within a few ulp of [`pdf`]): the hedge
/// loop's per-date Greeks.
#[inline]
pub fn pdf_with(exp: &Exp, x: f64) -> f64 {
    let [density] = pdf_lanes(exp, &[x]);
    density
}

/// [`pdf_with`] on `V` vectors of lanes (the same bits lane by lane): the
/// option hedge's Greeks in the lane kernel.
#[inline(always)]
pub fn pdf_lanes<R: Real, const V: usize>(exp: &Exp, x: &[R; V]) -> [R; V] {
    pdf_from(
        #[inline(always)]
        |y| exp.exp_lanes(y),
        x,
    )
}

/// n(x) = e^{−x²/2}/√(2π) with a given `exp` of `V` vectors: the formula once.
#[inline(always)]
fn pdf_from<R: Real, const V: usize>(exp: impl Fn(&[R; V]) -> [R; V], x: &[R; V]) -> [R; V] {
    let exponent: [R; V] = each(
        #[inline(always)]
        |v| R::splat(-0.5) * x[v] * x[v],
    );
    let e = exp(&exponent);
    each(
        #[inline(always)]
        |v| R::splat(INV_SQRT_2PI) * e[v],
    )
}

/// Standard normal cumulative distribution `N(x) = ½·erfc(−x/√2)` computed with
/// `libm`'s `erfc`: accurate to about one ulp, also relatively in the lower tail.
#[inline]
pub fn cdf_erfc(x: f64) -> f64 {
    0.5 * libm::erfc(-x * core::f64::consts::FRAC_1_SQRT_2)
}

/// Grid points per unit of `x` in the table of `N`.
const NODES_PER_UNIT: f64 = 1024.0;
/// The table covers `[−TABLE_END, 0]`.
const TABLE_END: f64 = 9.0;
/// Number of intervals covering `[−TABLE_END, 0]`.
const INTERVALS: usize = (TABLE_END * NODES_PER_UNIT) as usize;
/// Rows of the table: row 0 is all zeros (`N = 0` below −9), rows `1 … INTERVALS`
/// the intervals, the rest zeros up to a power of two, so that masking the index
/// keeps it in bounds without a comparison.
const ROWS: usize = 16384;
/// `u = −|x|·1024 + ROW_OFFSET` maps `[−9, 0]` onto `[1, 9217]`: row `⌊u⌋`.
const ROW_OFFSET: f64 = TABLE_END * NODES_PER_UNIT + 1.0;
/// 1.5·2⁵²: adding it rounds a float below 2⁵¹ to the nearest integer.
const ROUNDER: f64 = 6_755_399_441_055_744.0;
/// The sign bit of an `f64`.
const SIGN_BIT: u64 = 1 << 63;

/// The interpolation table of `N` on `[−9, 0]` (see the module docs).
#[derive(Debug)]
pub struct CdfTable {
    /// Per row `r ≥ 1`, the interval `[x_r, x_r + h]` with `x_r = −9 + (r − 1)h`:
    /// coefficients `c0 … c3` of `N(x_r + t·h) = Σ c_k t^k`, `t ∈ [0, 1]` (32
    /// bytes, half a cache line). Row 0 and the rows past the last interval are
    /// zero.
    rows: Box<[Row; ROWS]>,
}

/// One row of the table: the four coefficients.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(32))]
struct Row([f64; 4]);

impl CdfTable {
    fn build() -> CdfTable {
        let h = 1.0 / NODES_PER_UNIT;
        // Value and first derivative (scaled by h) at each node.
        let nodes: Vec<(f64, f64)> = (0..=INTERVALS)
            .map(|i| {
                let x = -TABLE_END + i as f64 * h;
                (cdf_erfc(x), pdf(x) * h)
            })
            .collect();
        // Built on the heap: the 512 KB array would not fit a wasm stack.
        let mut rows: Box<[Row; ROWS]> =
            match vec![Row([0.0; 4]); ROWS].into_boxed_slice().try_into() {
                Ok(rows) => rows,
                Err(_) => unreachable!("a vector of ROWS rows has ROWS rows"),
            };
        for (row, ends) in rows[1..=INTERVALS].iter_mut().zip(nodes.windows(2)) {
            let [(f0, d0), (f1, d1)] = [ends[0], ends[1]];
            row.0 = [
                f0,
                d0,
                3.0 * (f1 - f0) - 2.0 * d0 - d1,
                2.0 * (f0 - f1) + d0 + d1,
            ];
        }
        CdfTable { rows }
    }

    /// `N(x)` by table interpolation (maximum absolute error 1.4e−15).
    ///
    /// Branch-free and without a float-to-integer conversion (slow in wasm), so
    /// that the lane kernel's [`CdfTable::cdf_lanes`] runs the same formula (the
    /// stages below, generic over [`Real`]) in vectors: the row comes from
    /// rounding `u − ½` to an integer with the constant 1.5·2⁵², read from the
    /// float's low bits.
    #[inline]
    pub fn cdf(&self, x: f64) -> f64 {
        let at = CdfTable::position(x);
        let shifted = CdfTable::rounded(at);
        let t = CdfTable::fraction(at, shifted);
        let row = CdfTable::row(shifted);
        self.interpolate(x, row, t)
    }

    /// [`CdfTable::cdf`] on `V` vectors of lanes: the same stages at
    /// [`F64x2`](crate::engine::simd::F64x2) (or four lanes), so the same bits. The rows are found stage by
    /// stage over all vectors (independent chains interleave); each vector's
    /// polynomial then follows its own gathers, which keeps the gathered
    /// coefficients in registers (V8 spills them when all pairs gather first:
    /// measured slower on hull-mc).
    #[inline(always)]
    pub fn cdf_lanes<R: Real, const V: usize>(&self, x: &[R; V]) -> [R; V] {
        let at: [R; V] = each(
            #[inline(always)]
            |v| CdfTable::position(x[v]),
        );
        let shifted: [R; V] = each(
            #[inline(always)]
            |v| CdfTable::rounded(at[v]),
        );
        let t: [R; V] = each(
            #[inline(always)]
            |v| CdfTable::fraction(at[v], shifted[v]),
        );
        let rows: [_; V] = each(
            #[inline(always)]
            |v| CdfTable::row(shifted[v]),
        );
        each(
            #[inline(always)]
            |v| self.interpolate(x[v], rows[v], t[v]),
        )
    }

    /// Stage 1 of `N(x)`: the position `u = −|x|·1024 + ROW_OFFSET` in the table
    /// (only the lower half is stored: N(x) = 1 − N(−x)), at least 0 — below the
    /// table (x < −9.0156, N < 1e−19) row 0, which is zero.
    #[inline(always)]
    fn position<R: Real>(x: R) -> R {
        // −|x| is x with the sign bit set.
        let lower = R::from_bits(x.to_bits() | R::Bits::splat(SIGN_BIT));
        let u = lower * R::splat(NODES_PER_UNIT) + R::splat(ROW_OFFSET);
        u.max_or_self(R::splat(0.0))
    }

    /// Stage 2: `at − ½ + 1.5·2⁵²`, whose low bits hold the integer nearest
    /// `at − ½`: ⌊at⌋, or at − 1 when at is whole (then t = 1 at the end of the
    /// row before, where both rows agree).
    #[inline(always)]
    fn rounded<R: Real>(at: R) -> R {
        (at - R::splat(0.5)) + R::splat(ROUNDER)
    }

    /// Stage 3: the position within the row, `t ∈ [0, 1]`.
    #[inline(always)]
    fn fraction<R: Real>(at: R, rounded: R) -> R {
        at - (rounded - R::splat(ROUNDER))
    }

    /// Stage 4: the row, masked into the table (so no bounds test).
    #[inline(always)]
    fn row<R: Real>(rounded: R) -> R::Bits {
        rounded
            .to_bits()
            .wrapping_sub(R::Bits::splat(ROUNDER.to_bits()))
            & R::Bits::splat(ROWS as u64 - 1)
    }

    /// Stage 5: the row's cubic at `t`, and `1 − N(−x)` above 0.
    #[inline(always)]
    fn interpolate<R: Real>(&self, x: R, row: R::Bits, t: R) -> R {
        let [c0, c1, c2, c3] = R::gather(row, |r| &self.rows[r & (ROWS - 1)].0);
        let polynomial = c0 + t * (c1 + t * (c2 + t * c3));
        x.gt(R::splat(0.0))
            .select(R::splat(1.0) - polynomial, polynomial)
    }
}

/// The shared table of `N`, built on first use (1.7 µs per interval, 576
/// intervals; deterministic: built from `libm` only).
pub fn cdf_table() -> &'static CdfTable {
    static TABLE: std::sync::OnceLock<CdfTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(CdfTable::build)
}

/// Standard normal cumulative distribution `N(x) = P(Z ≤ x)`, from the table
/// (what the whole engine uses, so that every part agrees to the bit).
#[inline]
pub fn cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    cdf_table().cdf(x)
}

/// Inverse of the standard normal CDF (the quantile function): returns `x` with
/// `N(x) = p`, for `0 < p < 1`. Returns −∞ / +∞ at `p = 0` / `p = 1` and NaN outside
/// `[0, 1]`.
///
/// Wichura, M. J. (1988), *Algorithm AS 241: The Percentage Points of the Normal
/// Distribution*, Applied Statistics 37(3), 477–484.
#[allow(clippy::excessive_precision)] // the published coefficients, digit for digit
pub fn inverse_cdf(p: f64) -> f64 {
    // NaN is in no range, so this returns NaN for it too.
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = ((((((2_509.080_928_730_122_7 * r + 33_430.575_583_588_128) * r
            + 67_265.770_927_008_7)
            * r
            + 45_921.953_931_549_87)
            * r
            + 13_731.693_765_509_461)
            * r
            + 1_971.590_950_306_551_3)
            * r
            + 133.141_667_891_784_38)
            * r
            + 3.387_132_872_796_366_5;
        let den = ((((((5_226.495_278_852_545 * r + 28_729.085_735_721_943) * r
            + 39_307.895_800_092_71)
            * r
            + 21_213.794_301_586_597)
            * r
            + 5_394.196_021_424_751)
            * r
            + 687.187_007_492_057_9)
            * r
            + 42.313_330_701_600_91)
            * r
            + 1.0;
        return q * num / den;
    }
    // The smaller tail (p below ½, 1 − p above); q's sign gives x's below.
    let tail = p.min(1.0 - p);
    let mut r = libm::sqrt(-libm::log(tail));
    let x = if r <= 5.0 {
        r -= 1.6;
        let num = ((((((7.745_450_142_783_414e-4 * r + 2.272_384_498_926_918_4e-2) * r
            + 0.241_780_725_177_450_6)
            * r
            + 1.270_458_252_452_368_4)
            * r
            + 3.647_848_324_763_204_5)
            * r
            + 5.769_497_221_460_691)
            * r
            + 4.630_337_846_156_546)
            * r
            + 1.423_437_110_749_683_5;
        let den = ((((((1.050_750_071_644_416_9e-9 * r + 5.475_938_084_995_345e-4) * r
            + 1.519_866_656_361_645_7e-2)
            * r
            + 0.148_103_976_427_480_08)
            * r
            + 0.689_767_334_985_1)
            * r
            + 1.676_384_830_183_803_8)
            * r
            + 2.053_191_626_637_759)
            * r
            + 1.0;
        num / den
    } else {
        r -= 5.0;
        let num = ((((((2.010_334_399_292_288_1e-7 * r + 2.711_555_568_743_487_6e-5) * r
            + 1.242_660_947_388_078_4e-3)
            * r
            + 2.653_218_952_657_612_4e-2)
            * r
            + 0.296_560_571_828_504_9)
            * r
            + 1.784_826_539_917_291_3)
            * r
            + 5.463_784_911_164_114)
            * r
            + 6.657_904_643_501_103;
        let den = ((((((2.044_263_103_389_939_7e-15 * r + 1.421_511_758_316_446e-7) * r
            + 1.846_318_317_510_054_8e-5)
            * r
            + 7.868_691_311_456_133e-4)
            * r
            + 1.487_536_129_085_061_5e-2)
            * r
            + 0.136_929_880_922_735_8)
            * r
            + 0.599_832_206_555_888)
            * r
            + 1.0;
        num / den
    };
    // x > 0 is the upper tail's quantile; below ½ (q < 0, never 0 here) its negative.
    libm::copysign(x, q)
}
