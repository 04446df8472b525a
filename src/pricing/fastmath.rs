//! Fast, deterministic elementary functions for the engine's hot loop.
//!
//! [`exp`] is the engine's one transcendental per path-step (a spot from its log).
//! `libm::exp` takes over 40 % of a path-step, so this is a table-driven version:
//!
//! ```text
//! x = (256·m + j)·ln2/256 + r,   |r| ≤ ln2/512
//! e^x = (2^m · 2^{j/256}) · p(r),  p(r) = 1 + r + r²/2 + r³/6 + r⁴/24
//! ```
//!
//! with Cody–Waite reduction (`ln2/256` split in a high part exact in products and
//! a low part), a 256-entry table of `2^{j/256}` built from `libm::exp2`, and `m`
//! added to the entry's exponent bits. The truncation error of `p` is below
//! `r⁵/120 < 4e−17` relative; with rounding the result is within 2 ulp of `e^x` (tested against
//! `libm::exp` on a dense grid). Only IEEE basic operations are used, so the result
//! is the same on every platform. Outside `|x| ≤ 700` (and for NaN) it defers to
//! `libm::exp`.
//!
//! **Tested by** `tests/fastmath.rs`; `tests/simd.rs`: the formula at `f64` and at
//! two- and four-lane vectors give the same bits.

use crate::engine::lanes::{each, Bits, Mask, Real};

/// log2 of the table entries per doubling.
const TABLE_BITS: u32 = 8;
/// Table entries per doubling.
const TABLE_SIZE: usize = 1 << TABLE_BITS;
/// ln 2 / 256, high part: few enough bits (32) that `k·LN2_HI_N` is exact for
/// |k| < 2^21 (|x| ≤ 700 gives |k| < 2^18).
const LN2_HI_N: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000) / TABLE_SIZE as f64; // 0.693147180369123816490 / 256
/// ln 2 / 256, low part.
const LN2_LO_N: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76) / TABLE_SIZE as f64; // 1.90821492927058770002e-10 / 256
/// 256 / ln 2.
const INV_LN2_N: f64 = TABLE_SIZE as f64 / core::f64::consts::LN_2;
/// `k << M_SHIFT`, low 52 bits cleared, is `m = ⌊k/256⌋` in the exponent field.
const M_SHIFT: u32 = 52 - TABLE_BITS;
/// The sign and exponent bits of an `f64`.
const EXPONENT_MASK: u64 = 0xFFF0_0000_0000_0000;
/// 1.5·2^52: adding and subtracting it rounds to the nearest integer.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

fn table() -> &'static [f64; TABLE_SIZE] {
    static TABLE: std::sync::OnceLock<[f64; TABLE_SIZE]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0.0; TABLE_SIZE];
        for (j, slot) in t.iter_mut().enumerate() {
            *slot = libm::exp2(j as f64 / TABLE_SIZE as f64);
        }
        t
    })
}

/// A prepared `exp`: holds the table so the hot loop does not look it up.
#[derive(Clone, Copy, Debug)]
pub struct Exp {
    table: &'static [f64; TABLE_SIZE],
}

impl Default for Exp {
    fn default() -> Self {
        Exp::new()
    }
}

impl Exp {
    /// Builds the table on first use.
    pub fn new() -> Exp {
        Exp { table: table() }
    }

    /// `e^x` within 2 ulp.
    #[inline]
    pub fn exp(&self, x: f64) -> f64 {
        if Exp::in_range(x) {
            self.exp_in_range(x)
        } else {
            libm::exp(x)
        }
    }

    /// Whether [`Exp::exp_in_range`] applies to `x` (`|x| ≤ 700`, not NaN).
    #[inline(always)]
    pub fn in_range(x: f64) -> bool {
        x.abs() <= 700.0
    }

    /// `e^x` for `|x| ≤ 700` (garbage outside), lane-wise: branch-free, so that
    /// it runs in two-lane vectors (written once for `f64` and
    /// [`F64x2`](crate::engine::simd::F64x2), see [`crate::engine::lanes`]). [`Exp::exp`] is this
    /// plus the range check.
    #[inline(always)]
    pub fn exp_in_range<R: Real>(&self, x: R) -> R {
        let c = R::splat;
        let shifted = x * c(INV_LN2_N) + c(ROUNDER);
        let kf = shifted - c(ROUNDER);
        let r = (x - kf * c(LN2_HI_N)) - kf * c(LN2_LO_N);
        // The integer k sits in the low bits of `shifted` (|k| < 2^51): read it
        // from there instead of converting kf (two-lane vectors cannot).
        let k = shifted
            .to_bits()
            .wrapping_sub(R::Bits::splat(ROUNDER.to_bits()));
        // 2^{j/256}·2^m: the table entry j = k mod 256 with m = ⌊k/256⌋ added to
        // its exponent (exact: the product stays a normal number for |x| ≤ 700).
        // m moved to the exponent field is (k << 44) with the low 52 bits
        // cleared, modulo 2⁶⁴ — no arithmetic shift, which two-lane integer
        // vectors lack.
        let [entry] = R::gather(k, |k| {
            core::array::from_ref(&self.table[k & (TABLE_SIZE - 1)])
        });
        let scaled = R::from_bits(
            entry
                .to_bits()
                .wrapping_add(k.shift_left(M_SHIFT) & R::Bits::splat(EXPONENT_MASK)),
        );
        let p = c(1.0) + r * (c(1.0) + r * (c(0.5) + r * (c(1.0 / 6.0) + r * c(1.0 / 24.0))));
        scaled * p
    }
}

impl Exp {
    /// [`Exp::exp`] on `V` vectors of lanes: [`Exp::exp_in_range`] on each
    /// vector in turn (each one's formula is long enough for the processor to
    /// overlap the next), with lanes outside `|x| ≤ 700` redone by [`Exp::exp`]
    /// after one test for the whole group.
    #[inline(always)]
    pub fn exp_lanes<R: Real, const V: usize>(&self, x: &[R; V]) -> [R; V] {
        let mut result: [R; V] = each(
            #[inline(always)]
            |v| self.exp_in_range(x[v]),
        );
        let limit = R::splat(700.0);
        // One test for the whole group, on the largest |x|. (A NaN may drop out
        // of the maximum, but the in-range formula gives NaN for NaN too.)
        let largest = x.iter().fold(R::splat(0.0), |m, &x| x.abs().max_or_self(m));
        if !largest.le(limit).all() {
            for (result, &x) in result.iter_mut().zip(x) {
                *result = self.outside(x, *result);
            }
        }
        result
    }

    #[cold]
    #[inline(never)]
    fn outside<R: Real>(&self, x: R, result: R) -> R {
        let mut result = result;
        for l in 0..R::WIDTH {
            if !Exp::in_range(x.lane(l)) {
                result = result.with_lane(l, libm::exp(x.lane(l)));
            }
        }
        result
    }
}

/// `e^x` within 2 ulp (see [`Exp`]).
#[inline]
pub fn exp(x: f64) -> f64 {
    Exp::new().exp(x)
}
