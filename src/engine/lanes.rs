//! One interface for a scalar and a vector of two or four lanes, so that each
//! hot formula is written once.
//!
//! [`Real`] is what the engine's hot formulas need from a floating-point value —
//! IEEE arithmetic, comparisons giving a [`Mask`], selection, bit casts, table
//! gathers, splat — and [`Bits`] the same for its raw 64-bit words (the random
//! generator, float bit patterns). Both are implemented by the scalars (`f64`,
//! `u64`, with `bool` as the mask), by the two-lane vectors of
//! [`crate::engine::simd`] ([`F64x2`], [`U64x2`], [`Mask2`]) and by the
//! four-lane ones of [`crate::engine::simd4`]. A formula written once, generic
//! over `R: Real`, is instantiated at `f64` for path-by-path runs and at `F64x2`
//! (the page, and natively without AVX2) or `F64x4` (natively with AVX2) for the
//! Monte Carlo lane kernel. Every operation is an IEEE basic operation (or a bit
//! operation) on each lane, so the instantiations give, lane by lane, the same
//! bits — which `tests/simd.rs` checks on ordinary and special values.
//!
//! Everything is `#[inline(always)]`: a generic formula compiles to the code its
//! hand-written versions had, with no call.
//!
//! **Instruction order.** The formulas are the same on every target; only the
//! *order* in which the lane kernel runs them over its `V` vectors of lanes differs
//! from the scalar path, and it is chosen in the lane drivers, not here: the
//! table lookup of `N(x)` (`CdfTable::cdf_lanes`) and the ziggurat candidates
//! (`rng::PathRngLanes::normals`) run each stage over all vectors before the next
//! (independent chains interleave — in V8 the wasm order is close to the machine
//! order), and each pair's `N` polynomial follows its own gathers (V8 spills the
//! gathered coefficients when every pair gathers first). The same formula pieces
//! are called either way, so the order never changes a bit. Natively the
//! out-of-order core and LLVM's scheduler make the order irrelevant.
//!
//! **Tested by** `tests/simd.rs` (natively and in headless Chromium, so both
//! vector implementations): each formula at `f64` against the same formula at
//! `F64x2` and at `F64x4`, lane by lane, on ordinary and special values, and the trait's
//! operations against their scalar definitions.

use core::ops::{Add, BitAnd, BitOr, BitXor, Div, Mul, Neg, Sub};

use crate::engine::simd::{F64x2, Mask2, U64x2};

/// `[f(0), f(1), …, f(V − 1)]` (`V ≥ 1`), always inlined: the lane kernel's
/// stages over its `V` vectors. Unlike `core::array::from_fn`, which LLVM may
/// leave as a call, this and a closure marked `#[inline(always)]` put the stage
/// inside the function that runs it — so in the four-lane kernel's AVX2
/// function the stage is compiled for AVX2 too, not called at the baseline.
#[inline(always)]
pub fn each<T: Copy, const V: usize>(mut f: impl FnMut(usize) -> T) -> [T; V] {
    let mut out = [f(0); V];
    for (v, slot) in out.iter_mut().enumerate().skip(1) {
        *slot = f(v);
    }
    out
}

/// A floating-point value of one, two or four lanes: `f64`, [`F64x2`] or
/// [`F64x4`](crate::engine::simd4::F64x4).
pub trait Real:
    Copy
    + 'static
    + core::fmt::Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The raw bits of each lane: `u64` or [`U64x2`].
    type Bits: Bits<Mask = Self::Mask>;
    /// The number of lanes: 1, 2 or 4.
    const WIDTH: usize;
    /// The result of a comparison: `bool` or [`Mask2`].
    type Mask: Mask<Real = Self, Bits = Self::Bits>;

    /// `x` in every lane.
    fn splat(x: f64) -> Self;
    /// Lane `l` of each in turn: `lane(l)` for `l < WIDTH`.
    fn from_lanes(lane: impl FnMut(usize) -> f64) -> Self;
    /// Lane `l` (`l < WIDTH`; taken modulo `WIDTH`).
    fn lane(self, l: usize) -> f64;
    /// This value with lane `l` (`l < WIDTH`; modulo `WIDTH`) set to `x`.
    fn with_lane(self, l: usize, x: f64) -> Self;
    /// `|x|` lane-wise.
    fn abs(self) -> Self;
    /// `|self|` with the sign of `sign`, lane-wise.
    fn copysign(self, sign: Self) -> Self;
    /// Lane-wise `if self < floor { floor } else { self }` (`self` where either
    /// is NaN).
    fn max_or_self(self, floor: Self) -> Self;
    /// Lane-wise `self < y`.
    fn lt(self, y: Self) -> Self::Mask;
    /// Lane-wise `self ≤ y`.
    fn le(self, y: Self) -> Self::Mask;
    /// Lane-wise `self > y`.
    fn gt(self, y: Self) -> Self::Mask;
    /// Lane-wise `self ≠ y` (set where either is NaN).
    fn ne(self, y: Self) -> Self::Mask;
    /// The raw bits of each lane.
    fn to_bits(self) -> Self::Bits;
    /// The lanes whose bits are `bits`.
    fn from_bits(bits: Self::Bits) -> Self;
    /// A table gather: per lane, the `K` values of the row `row(index)` (the
    /// caller keeps the index in bounds, for instance by masking it). `[Self; K]`
    /// holds value `k` of every lane's row in element `k`. The row is borrowed,
    /// not copied, so that each value is loaded straight from the table.
    fn gather<'t, const K: usize>(
        index: Self::Bits,
        row: impl Fn(usize) -> &'t [f64; K],
    ) -> [Self; K];
}

/// The raw 64-bit words of one, two or four lanes: `u64`, [`U64x2`] or wider. Arithmetic wraps
/// modulo 2⁶⁴.
pub trait Bits:
    Copy + core::fmt::Debug + BitAnd<Output = Self> + BitOr<Output = Self> + BitXor<Output = Self>
{
    /// The result of a comparison of the matching floats.
    type Mask;

    /// `x` in every lane.
    fn splat(x: u64) -> Self;
    /// Lane `l` of each in turn: `lane(l)` for `l` below the width.
    fn from_lanes(lane: impl FnMut(usize) -> u64) -> Self;
    /// Lane `l` (taken modulo the width).
    fn lane(self, l: usize) -> u64;
    /// This value with lane `l` (modulo the width) set to `x`.
    fn with_lane(self, l: usize, x: u64) -> Self;
    /// Lane-wise `self + y` modulo 2⁶⁴.
    fn wrapping_add(self, y: Self) -> Self;
    /// Lane-wise `self − y` modulo 2⁶⁴.
    fn wrapping_sub(self, y: Self) -> Self;
    /// Lane-wise `self << n` (`n < 64`).
    fn shift_left(self, n: u32) -> Self;
    /// Lane-wise logical `self >> n` (`n < 64`).
    fn shift_right(self, n: u32) -> Self;
    /// Lane-wise rotation left by `n` (`0 < n < 64`).
    fn rotate_left(self, n: u32) -> Self;
}

/// The result of a lane-wise comparison: `bool` or [`Mask2`].
pub trait Mask: Copy + BitAnd<Output = Self> {
    /// The floats it selects between.
    type Real;
    /// The matching raw words (counters).
    type Bits;

    /// Lane-wise `if self { yes } else { no }`.
    fn select(self, yes: Self::Real, no: Self::Real) -> Self::Real;
    /// Whether every lane is set.
    fn all(self) -> bool;
    /// Whether lane `l` (modulo the width) is set.
    fn lane(self, l: usize) -> bool;
    /// `counter + 1` in the set lanes, `counter` elsewhere (modulo 2⁶⁴).
    fn count(self, counter: Self::Bits) -> Self::Bits;
}

impl Real for f64 {
    type Bits = u64;
    type Mask = bool;
    const WIDTH: usize = 1;

    #[inline(always)]
    fn splat(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn from_lanes(mut lane: impl FnMut(usize) -> f64) -> f64 {
        lane(0)
    }
    #[inline(always)]
    fn lane(self, _: usize) -> f64 {
        self
    }
    #[inline(always)]
    fn with_lane(self, _: usize, x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: f64) -> f64 {
        f64::copysign(self, sign)
    }
    #[inline(always)]
    fn max_or_self(self, floor: f64) -> f64 {
        if self < floor {
            floor
        } else {
            self
        }
    }
    #[inline(always)]
    fn lt(self, y: f64) -> bool {
        self < y
    }
    #[inline(always)]
    fn le(self, y: f64) -> bool {
        self <= y
    }
    #[inline(always)]
    fn gt(self, y: f64) -> bool {
        self > y
    }
    #[inline(always)]
    fn ne(self, y: f64) -> bool {
        self != y
    }
    #[inline(always)]
    fn to_bits(self) -> u64 {
        f64::to_bits(self)
    }
    #[inline(always)]
    fn from_bits(bits: u64) -> f64 {
        f64::from_bits(bits)
    }
    #[inline(always)]
    fn gather<'t, const K: usize>(index: u64, row: impl Fn(usize) -> &'t [f64; K]) -> [f64; K] {
        *row(index as usize)
    }
}

impl Bits for u64 {
    type Mask = bool;

    #[inline(always)]
    fn splat(x: u64) -> u64 {
        x
    }
    #[inline(always)]
    fn from_lanes(mut lane: impl FnMut(usize) -> u64) -> u64 {
        lane(0)
    }
    #[inline(always)]
    fn lane(self, _: usize) -> u64 {
        self
    }
    #[inline(always)]
    fn with_lane(self, _: usize, x: u64) -> u64 {
        x
    }
    #[inline(always)]
    fn wrapping_add(self, y: u64) -> u64 {
        u64::wrapping_add(self, y)
    }
    #[inline(always)]
    fn wrapping_sub(self, y: u64) -> u64 {
        u64::wrapping_sub(self, y)
    }
    #[inline(always)]
    fn shift_left(self, n: u32) -> u64 {
        self << n
    }
    #[inline(always)]
    fn shift_right(self, n: u32) -> u64 {
        self >> n
    }
    #[inline(always)]
    fn rotate_left(self, n: u32) -> u64 {
        u64::rotate_left(self, n)
    }
}

impl Mask for bool {
    type Real = f64;
    type Bits = u64;

    #[inline(always)]
    fn select(self, yes: f64, no: f64) -> f64 {
        if self {
            yes
        } else {
            no
        }
    }
    #[inline(always)]
    fn all(self) -> bool {
        self
    }
    #[inline(always)]
    fn lane(self, _: usize) -> bool {
        self
    }
    #[inline(always)]
    fn count(self, counter: u64) -> u64 {
        counter.wrapping_add(u64::from(self))
    }
}

impl Real for F64x2 {
    type Bits = U64x2;
    type Mask = Mask2;
    const WIDTH: usize = 2;

    #[inline(always)]
    fn splat(x: f64) -> F64x2 {
        F64x2::splat(x)
    }
    #[inline(always)]
    fn from_lanes(mut lane: impl FnMut(usize) -> f64) -> F64x2 {
        let first = lane(0);
        F64x2::new(first, lane(1))
    }
    #[inline(always)]
    fn lane(self, l: usize) -> f64 {
        F64x2::lane(self, l)
    }
    #[inline(always)]
    fn with_lane(self, l: usize, x: f64) -> F64x2 {
        F64x2::with_lane(self, l, x)
    }
    #[inline(always)]
    fn abs(self) -> F64x2 {
        F64x2::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: F64x2) -> F64x2 {
        F64x2::copysign(self, sign)
    }
    #[inline(always)]
    fn max_or_self(self, floor: F64x2) -> F64x2 {
        F64x2::max_or_self(self, floor)
    }
    #[inline(always)]
    fn lt(self, y: F64x2) -> Mask2 {
        F64x2::lt(self, y)
    }
    #[inline(always)]
    fn le(self, y: F64x2) -> Mask2 {
        F64x2::le(self, y)
    }
    #[inline(always)]
    fn gt(self, y: F64x2) -> Mask2 {
        F64x2::gt(self, y)
    }
    #[inline(always)]
    fn ne(self, y: F64x2) -> Mask2 {
        F64x2::ne(self, y)
    }
    #[inline(always)]
    fn to_bits(self) -> U64x2 {
        F64x2::to_bits(self)
    }
    #[inline(always)]
    fn from_bits(bits: U64x2) -> F64x2 {
        F64x2::from_bits(bits)
    }
    #[inline(always)]
    fn gather<'t, const K: usize>(index: U64x2, row: impl Fn(usize) -> &'t [f64; K]) -> [F64x2; K] {
        let [i0, i1] = index.to_array();
        let (row0, row1) = (row(i0 as usize), row(i1 as usize));
        core::array::from_fn(|k| F64x2::new(row0[k], row1[k]))
    }
}

impl Bits for U64x2 {
    type Mask = Mask2;

    #[inline(always)]
    fn splat(x: u64) -> U64x2 {
        U64x2::splat(x)
    }
    #[inline(always)]
    fn from_lanes(mut lane: impl FnMut(usize) -> u64) -> U64x2 {
        let first = lane(0);
        U64x2::new(first, lane(1))
    }
    #[inline(always)]
    fn lane(self, l: usize) -> u64 {
        U64x2::lane(self, l)
    }
    #[inline(always)]
    fn with_lane(self, l: usize, x: u64) -> U64x2 {
        U64x2::with_lane(self, l, x)
    }
    #[inline(always)]
    fn wrapping_add(self, y: U64x2) -> U64x2 {
        self + y
    }
    #[inline(always)]
    fn wrapping_sub(self, y: U64x2) -> U64x2 {
        self - y
    }
    #[inline(always)]
    fn shift_left(self, n: u32) -> U64x2 {
        U64x2::shift_left(self, n)
    }
    #[inline(always)]
    fn shift_right(self, n: u32) -> U64x2 {
        U64x2::shift_right(self, n)
    }
    #[inline(always)]
    fn rotate_left(self, n: u32) -> U64x2 {
        U64x2::rotate_left(self, n)
    }
}

impl Mask for Mask2 {
    type Real = F64x2;
    type Bits = U64x2;

    #[inline(always)]
    fn select(self, yes: F64x2, no: F64x2) -> F64x2 {
        Mask2::select(self, yes, no)
    }
    #[inline(always)]
    fn all(self) -> bool {
        Mask2::all(self)
    }
    #[inline(always)]
    fn lane(self, l: usize) -> bool {
        Mask2::lane(self, l)
    }
    #[inline(always)]
    fn count(self, counter: U64x2) -> U64x2 {
        // A set lane is all ones, −1 as a signed integer.
        counter - self.to_bits()
    }
}
