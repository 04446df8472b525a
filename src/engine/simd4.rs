//! Four-lane vectors for the native lane kernel on processors with AVX2.
//!
//! [`F64x4`], [`U64x4`] and [`Mask4`] are plain arrays of four lanes with the
//! element-wise operations of [`Real`], [`Bits`] and [`Mask`], each written once
//! over any lane (`core::array::from_fn`), all `#[inline(always)]`. Compiled
//! inside a function with `#[target_feature(enable = "avx2")]` (the Monte
//! Carlo's four-lane groups, [`crate::engine::montecarlo`], run there when
//! [`crate::engine::width`] detects AVX2), LLVM turns four-lane arithmetic into 256-bit
//! instructions; anywhere else into pairs of SSE2 ones, with the same results.
//!
//! Every operation is the scalar operation (IEEE basic, or a bit operation) on
//! each lane, so a lane gets exactly the bits the scalar code of the same formula
//! gets — as in [`crate::engine::simd`], whose two-lane vectors are the page's
//! (WebAssembly SIMD is 128 bits wide: four lanes are for native builds only).
//!
//! **Tested by** `tests/simd.rs`: every operation against its scalar definition
//! on ordinary and special values, and the lane kernel at four lanes against
//! path-by-path hedging and against two lanes.

use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Sub};

use crate::engine::lanes::{Bits, Mask, Real};

/// Four `f64` lanes.
#[derive(Clone, Copy, Debug)]
pub struct F64x4(pub [f64; 4]);

/// Four `u64` lanes (random bits, float bit patterns, counters).
#[derive(Clone, Copy, Debug)]
pub struct U64x4(pub [u64; 4]);

/// The result of a lane-wise comparison: all ones in a lane where it holds.
#[derive(Clone, Copy, Debug)]
pub struct Mask4(pub [u64; 4]);

/// `f(a[l], b[l])` in each lane `l`.
#[inline(always)]
fn zip<T: Copy, U>(a: [T; 4], b: [T; 4], f: impl Fn(T, T) -> U) -> [U; 4] {
    core::array::from_fn(|l| f(a[l], b[l]))
}

/// A comparison's lanes as a mask.
#[inline(always)]
fn mask(lanes: [bool; 4]) -> Mask4 {
    Mask4(lanes.map(|set| if set { u64::MAX } else { 0 }))
}

/// Implements a binary operator lane-wise from the scalar operation.
macro_rules! lane_wise {
    ($ty:ident, $trait:ident, $method:ident, $op:expr) => {
        impl $trait for $ty {
            type Output = $ty;
            #[inline(always)]
            fn $method(self, other: $ty) -> $ty {
                $ty(zip(self.0, other.0, $op))
            }
        }
    };
}

lane_wise!(F64x4, Add, add, |a, b| a + b);
lane_wise!(F64x4, Sub, sub, |a, b| a - b);
lane_wise!(F64x4, Mul, mul, |a, b| a * b);
lane_wise!(F64x4, Div, div, |a, b| a / b);
lane_wise!(U64x4, BitAnd, bitand, |a, b| a & b);
lane_wise!(U64x4, BitOr, bitor, |a, b| a | b);
lane_wise!(U64x4, BitXor, bitxor, |a, b| a ^ b);
lane_wise!(Mask4, BitAnd, bitand, |a, b| a & b);

impl Neg for F64x4 {
    type Output = F64x4;
    #[inline(always)]
    fn neg(self) -> F64x4 {
        F64x4(self.0.map(|x| -x))
    }
}

impl Real for F64x4 {
    type Bits = U64x4;
    type Mask = Mask4;
    const WIDTH: usize = 4;

    #[inline(always)]
    fn splat(x: f64) -> F64x4 {
        F64x4([x; 4])
    }
    #[inline(always)]
    fn from_lanes(lane: impl FnMut(usize) -> f64) -> F64x4 {
        F64x4(core::array::from_fn(lane))
    }
    #[inline(always)]
    fn lane(self, l: usize) -> f64 {
        self.0[l & 3]
    }
    #[inline(always)]
    fn with_lane(self, l: usize, x: f64) -> F64x4 {
        let mut lanes = self.0;
        lanes[l & 3] = x;
        F64x4(lanes)
    }
    #[inline(always)]
    fn abs(self) -> F64x4 {
        F64x4(self.0.map(f64::abs))
    }
    #[inline(always)]
    fn copysign(self, sign: F64x4) -> F64x4 {
        F64x4(zip(self.0, sign.0, f64::copysign))
    }
    #[inline(always)]
    fn max_or_self(self, floor: F64x4) -> F64x4 {
        F64x4(zip(self.0, floor.0, |x, floor| x.max_or_self(floor)))
    }
    #[inline(always)]
    fn lt(self, y: F64x4) -> Mask4 {
        mask(zip(self.0, y.0, |a, b| a < b))
    }
    #[inline(always)]
    fn le(self, y: F64x4) -> Mask4 {
        mask(zip(self.0, y.0, |a, b| a <= b))
    }
    #[inline(always)]
    fn gt(self, y: F64x4) -> Mask4 {
        mask(zip(self.0, y.0, |a, b| a > b))
    }
    #[inline(always)]
    fn ne(self, y: F64x4) -> Mask4 {
        mask(zip(self.0, y.0, |a, b| a != b))
    }
    #[inline(always)]
    fn to_bits(self) -> U64x4 {
        U64x4(self.0.map(f64::to_bits))
    }
    #[inline(always)]
    fn from_bits(bits: U64x4) -> F64x4 {
        F64x4(bits.0.map(f64::from_bits))
    }
    #[inline(always)]
    fn gather<'t, const K: usize>(index: U64x4, row: impl Fn(usize) -> &'t [f64; K]) -> [F64x4; K] {
        let rows = index.0.map(|i| row(i as usize));
        core::array::from_fn(|k| F64x4(rows.map(|row| row[k])))
    }
}

impl Bits for U64x4 {
    type Mask = Mask4;

    #[inline(always)]
    fn splat(x: u64) -> U64x4 {
        U64x4([x; 4])
    }
    #[inline(always)]
    fn from_lanes(lane: impl FnMut(usize) -> u64) -> U64x4 {
        U64x4(core::array::from_fn(lane))
    }
    #[inline(always)]
    fn lane(self, l: usize) -> u64 {
        self.0[l & 3]
    }
    #[inline(always)]
    fn with_lane(self, l: usize, x: u64) -> U64x4 {
        let mut lanes = self.0;
        lanes[l & 3] = x;
        U64x4(lanes)
    }
    #[inline(always)]
    fn wrapping_add(self, y: U64x4) -> U64x4 {
        U64x4(zip(self.0, y.0, u64::wrapping_add))
    }
    #[inline(always)]
    fn wrapping_sub(self, y: U64x4) -> U64x4 {
        U64x4(zip(self.0, y.0, u64::wrapping_sub))
    }
    #[inline(always)]
    fn shift_left(self, n: u32) -> U64x4 {
        U64x4(self.0.map(|x| x << n))
    }
    #[inline(always)]
    fn shift_right(self, n: u32) -> U64x4 {
        U64x4(self.0.map(|x| x >> n))
    }
    #[inline(always)]
    fn rotate_left(self, n: u32) -> U64x4 {
        U64x4(self.0.map(|x| x.rotate_left(n)))
    }
}

impl Mask for Mask4 {
    type Real = F64x4;
    type Bits = U64x4;

    #[inline(always)]
    fn select(self, yes: F64x4, no: F64x4) -> F64x4 {
        F64x4(core::array::from_fn(|l| {
            if self.0[l] != 0 {
                yes.0[l]
            } else {
                no.0[l]
            }
        }))
    }
    #[inline(always)]
    fn all(self) -> bool {
        self.0.iter().fold(u64::MAX, |all, &lane| all & lane) != 0
    }
    #[inline(always)]
    fn lane(self, l: usize) -> bool {
        self.0[l & 3] != 0
    }
    #[inline(always)]
    fn count(self, counter: U64x4) -> U64x4 {
        // A set lane is all ones, −1 as a signed integer.
        counter.wrapping_sub(U64x4(self.0))
    }
}
