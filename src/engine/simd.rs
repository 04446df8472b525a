//! Two-lane vectors for the Monte Carlo lane kernel.
//!
//! [`F64x2`] and [`U64x2`] hold two lanes and offer element-wise operations, all
//! `#[inline(always)]`, in one of two implementations with the same interface:
//!
//! - in wasm built with `simd128` (the page's build), one `v128` and the
//!   WebAssembly SIMD operations of `core::arch::wasm32` (safe functions there);
//! - everywhere else, a plain `[f64; 2]` / `[u64; 2]`, which LLVM's SLP vectoriser
//!   turns into SSE2 instructions where it judges them cheaper than scalar ones.
//!
//! No `unsafe` either way. Every operation is an IEEE basic operation (or a bit
//! operation) on each lane, so a lane gets exactly the bits the scalar code of the
//! same formula gets, in every implementation.
//!
//! Why two lanes: WebAssembly SIMD is 128 bits wide, two `f64`, and so is SSE2, the
//! x86-64 baseline the native build targets. The kernel runs several pairs side by
//! side for instruction-level parallelism.
//!
//! **Tested by** `tests/simd.rs`, natively and in headless Chromium (so both
//! implementations): every operation against its scalar definition on ordinary and
//! special values (±0, ±∞, NaN, subnormals).

use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Sub};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

/// Two `f64` lanes.
#[derive(Clone, Copy, Debug)]
pub struct F64x2(Repr<f64>);

/// Two `u64` lanes (random bits, float bit patterns, counters).
#[derive(Clone, Copy, Debug)]
pub struct U64x2(Repr<u64>);

/// The result of a lane-wise comparison: all ones in a lane where it holds.
#[derive(Clone, Copy, Debug)]
pub struct Mask2(Repr<u64>);

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
type Repr<T> = (v128, core::marker::PhantomData<T>);
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
type Repr<T> = [T; 2];

/// Defines the operations of both implementations from a pair of bodies: `vector`
/// over `v128` values, `array` over `[T; 2]` values.
macro_rules! two_ways {
    (
        $(#[$meta:meta])*
        $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty
        { vector: $vector:expr, array: $array:expr }
    ) => {
        $(#[$meta])*
        #[inline(always)]
        $vis fn $name($($arg: $ty),*) -> $ret {
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            {
                $vector
            }
            #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
            {
                $array
            }
        }
    };
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
macro_rules! wrap {
    ($ty:ident, $v:expr) => {
        $ty(($v, core::marker::PhantomData))
    };
}

impl F64x2 {
    two_ways! {
        /// The lanes `[a, b]`.
        pub fn new(a: f64, b: f64) -> F64x2 { vector: wrap!(F64x2, f64x2(a, b)), array: F64x2([a, b]) }
    }
    two_ways! {
        /// Both lanes `x`.
        pub fn splat(x: f64) -> F64x2 { vector: wrap!(F64x2, f64x2_splat(x)), array: F64x2([x, x]) }
    }
    two_ways! {
        /// The lanes as an array.
        pub fn to_array(self: F64x2) -> [f64; 2] {
            vector: [f64x2_extract_lane::<0>(self.0 .0), f64x2_extract_lane::<1>(self.0 .0)],
            array: self.0
        }
    }

    /// Lane `l` (0 or 1).
    #[inline(always)]
    pub fn lane(self, l: usize) -> f64 {
        self.to_array()[l & 1]
    }

    /// This vector with lane `l` (0 or 1) set to `x`.
    #[inline(always)]
    pub fn with_lane(self, l: usize, x: f64) -> F64x2 {
        let mut lanes = self.to_array();
        lanes[l & 1] = x;
        F64x2::new(lanes[0], lanes[1])
    }

    two_ways! {
        /// `|x|` lane-wise.
        pub fn abs(self: F64x2) -> F64x2 {
            vector: wrap!(F64x2, f64x2_abs(self.0 .0)),
            array: F64x2(self.0.map(f64::abs))
        }
    }
    two_ways! {
        /// Lane-wise `x < y`.
        pub fn lt(self: F64x2, y: F64x2) -> Mask2 {
            vector: wrap!(Mask2, f64x2_lt(self.0 .0, y.0 .0)),
            array: Mask2::from_bools([self.0[0] < y.0[0], self.0[1] < y.0[1]])
        }
    }
    two_ways! {
        /// Lane-wise `x ≤ y`.
        pub fn le(self: F64x2, y: F64x2) -> Mask2 {
            vector: wrap!(Mask2, f64x2_le(self.0 .0, y.0 .0)),
            array: Mask2::from_bools([self.0[0] <= y.0[0], self.0[1] <= y.0[1]])
        }
    }
    two_ways! {
        /// Lane-wise `x ≥ y`.
        pub fn ge(self: F64x2, y: F64x2) -> Mask2 {
            vector: wrap!(Mask2, f64x2_ge(self.0 .0, y.0 .0)),
            array: Mask2::from_bools([self.0[0] >= y.0[0], self.0[1] >= y.0[1]])
        }
    }
    two_ways! {
        /// Lane-wise `x > y`.
        pub fn gt(self: F64x2, y: F64x2) -> Mask2 {
            vector: wrap!(Mask2, f64x2_gt(self.0 .0, y.0 .0)),
            array: Mask2::from_bools([self.0[0] > y.0[0], self.0[1] > y.0[1]])
        }
    }
    two_ways! {
        /// Lane-wise `x ≠ y` (true where either is NaN, as for `f64`).
        pub fn ne(self: F64x2, y: F64x2) -> Mask2 {
            vector: wrap!(Mask2, f64x2_ne(self.0 .0, y.0 .0)),
            array: Mask2::from_bools([self.0[0] != y.0[0], self.0[1] != y.0[1]])
        }
    }
    two_ways! {
        /// The raw bits of each lane.
        pub fn to_bits(self: F64x2) -> U64x2 {
            vector: wrap!(U64x2, self.0 .0),
            array: U64x2(self.0.map(f64::to_bits))
        }
    }
    two_ways! {
        /// The lanes whose bits are `bits`.
        pub fn from_bits(bits: U64x2) -> F64x2 {
            vector: wrap!(F64x2, bits.0 .0),
            array: F64x2(bits.0.map(f64::from_bits))
        }
    }
    two_ways! {
        /// Lane-wise `if x < floor { floor } else { x }`: the larger of the two,
        /// and `x` itself where either is NaN (WebAssembly's `pmax`, x86's `maxpd`
        /// with the operands this way round).
        pub fn max_or_self(self: F64x2, floor: F64x2) -> F64x2 {
            vector: wrap!(F64x2, f64x2_pmax(self.0 .0, floor.0 .0)),
            array: F64x2([
                if self.0[0] < floor.0[0] { floor.0[0] } else { self.0[0] },
                if self.0[1] < floor.0[1] { floor.0[1] } else { self.0[1] },
            ])
        }
    }
    two_ways! {
        /// `|self|` with the sign of `sign`, lane-wise.
        pub fn copysign(self: F64x2, sign: F64x2) -> F64x2 {
            vector: wrap!(F64x2, v128_bitselect(sign.0 .0, self.0 .0, u64x2_splat(1 << 63))),
            array: F64x2([self.0[0].copysign(sign.0[0]), self.0[1].copysign(sign.0[1])])
        }
    }
}

impl Mask2 {
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    #[inline(always)]
    fn from_bools(lanes: [bool; 2]) -> Mask2 {
        Mask2(lanes.map(|set| if set { u64::MAX } else { 0 }))
    }

    two_ways! {
        /// Whether every lane is set.
        pub fn all(self: Mask2) -> bool {
            vector: i64x2_all_true(self.0 .0),
            array: (self.0[0] & self.0[1]) != 0
        }
    }

    /// Whether lane `l` (0 or 1) is set.
    #[inline(always)]
    pub fn lane(self, l: usize) -> bool {
        self.to_bits().lane(l) != 0
    }

    two_ways! {
        /// Lane-wise `if mask { yes } else { no }`.
        pub fn select(self: Mask2, yes: F64x2, no: F64x2) -> F64x2 {
            vector: wrap!(F64x2, v128_bitselect(yes.0 .0, no.0 .0, self.0 .0)),
            array: F64x2([
                if self.0[0] != 0 { yes.0[0] } else { no.0[0] },
                if self.0[1] != 0 { yes.0[1] } else { no.0[1] },
            ])
        }
    }
    two_ways! {
        /// All ones (`u64::MAX`, −1 as a signed integer) in the set lanes, 0
        /// elsewhere: `count − mask.to_bits()` adds one in the set lanes.
        pub fn to_bits(self: Mask2) -> U64x2 {
            vector: wrap!(U64x2, self.0 .0),
            array: U64x2(self.0)
        }
    }
}

impl U64x2 {
    two_ways! {
        /// The lanes `[a, b]`.
        pub fn new(a: u64, b: u64) -> U64x2 { vector: wrap!(U64x2, u64x2(a, b)), array: U64x2([a, b]) }
    }
    two_ways! {
        /// Both lanes `x`.
        pub fn splat(x: u64) -> U64x2 { vector: wrap!(U64x2, u64x2_splat(x)), array: U64x2([x, x]) }
    }
    two_ways! {
        /// The lanes as an array.
        pub fn to_array(self: U64x2) -> [u64; 2] {
            vector: [u64x2_extract_lane::<0>(self.0 .0), u64x2_extract_lane::<1>(self.0 .0)],
            array: self.0
        }
    }

    /// Lane `l` (0 or 1).
    #[inline(always)]
    pub fn lane(self, l: usize) -> u64 {
        self.to_array()[l & 1]
    }

    /// This vector with lane `l` (0 or 1) set to `x`.
    #[inline(always)]
    pub fn with_lane(self, l: usize, x: u64) -> U64x2 {
        let mut lanes = self.to_array();
        lanes[l & 1] = x;
        U64x2::new(lanes[0], lanes[1])
    }

    two_ways! {
        /// Lane-wise `x << n` (`n < 64`).
        pub fn shift_left(self: U64x2, n: u32) -> U64x2 {
            vector: wrap!(U64x2, i64x2_shl(self.0 .0, n)),
            array: U64x2(self.0.map(|x| x << n))
        }
    }
    two_ways! {
        /// Lane-wise logical `x >> n` (`n < 64`).
        pub fn shift_right(self: U64x2, n: u32) -> U64x2 {
            vector: wrap!(U64x2, u64x2_shr(self.0 .0, n)),
            array: U64x2(self.0.map(|x| x >> n))
        }
    }
    two_ways! {
        /// Lane-wise rotation left by `n` (`0 < n < 64`).
        pub fn rotate_left(self: U64x2, n: u32) -> U64x2 {
            vector: wrap!(U64x2, v128_or(i64x2_shl(self.0 .0, n), u64x2_shr(self.0 .0, 64 - n))),
            array: U64x2(self.0.map(|x| x.rotate_left(n)))
        }
    }
}

macro_rules! lane_wise {
    ($ty:ident, $trait:ident, $method:ident, $vector:ident, |$a:ident, $b:ident| $body:expr) => {
        impl $trait for $ty {
            type Output = $ty;
            two_ways! {
                fn $method(self: $ty, other: $ty) -> $ty {
                    vector: wrap!($ty, $vector(self.0 .0, other.0 .0)),
                    array: {
                        let op = |$a, $b| $body;
                        $ty([op(self.0[0], other.0[0]), op(self.0[1], other.0[1])])
                    }
                }
            }
        }
    };
}

lane_wise!(F64x2, Add, add, f64x2_add, |a, b| a + b);
lane_wise!(F64x2, Sub, sub, f64x2_sub, |a, b| a - b);
lane_wise!(F64x2, Mul, mul, f64x2_mul, |a, b| a * b);
lane_wise!(F64x2, Div, div, f64x2_div, |a, b| a / b);
lane_wise!(U64x2, Add, add, i64x2_add, |a, b| u64::wrapping_add(a, b));
lane_wise!(U64x2, Sub, sub, i64x2_sub, |a, b| u64::wrapping_sub(a, b));
lane_wise!(U64x2, BitAnd, bitand, v128_and, |a, b| a & b);
lane_wise!(U64x2, BitOr, bitor, v128_or, |a, b| a | b);
lane_wise!(U64x2, BitXor, bitxor, v128_xor, |a, b| a ^ b);

impl BitAnd for Mask2 {
    type Output = Mask2;
    /// Set where both are set.
    #[inline(always)]
    fn bitand(self, other: Mask2) -> Mask2 {
        Mask2::from_u64_bits(self.to_bits() & other.to_bits())
    }
}

impl Mask2 {
    #[inline(always)]
    fn from_u64_bits(bits: U64x2) -> Mask2 {
        Mask2(bits.0)
    }
}

impl Neg for F64x2 {
    type Output = F64x2;
    two_ways! {
        fn neg(self: F64x2) -> F64x2 {
            vector: wrap!(F64x2, f64x2_neg(self.0 .0)),
            array: F64x2(self.0.map(|x| -x))
        }
    }
}

impl Default for F64x2 {
    /// Both lanes +0.
    fn default() -> F64x2 {
        F64x2::splat(0.0)
    }
}

impl Default for U64x2 {
    /// Both lanes 0.
    fn default() -> U64x2 {
        U64x2::splat(0)
    }
}
