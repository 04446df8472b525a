//! How many paths the lane kernel hedges per vector: one (path by path), two
//! (SSE2, WebAssembly SIMD) or four (AVX2), chosen at run time.
//!
//! Every width gives the same bits — each lane runs the scalar formulas — so the
//! choice changes only the speed: [`LaneWidth::detected`] picks four lanes where
//! the processor has AVX2 (x86-64, detected once by the standard library) and two
//! elsewhere, including the page (WebAssembly SIMD is 128 bits wide).
//! [`crate::engine::montecarlo::Engine::run_chunk_at`] runs a chunk at a given
//! width, so that tests and benchmarks can compare them.
//!
//! **Tested by** `tests/simd.rs`: the same outcomes at every width, on every
//! scenario the lane kernel covers, with and without AVX2.

/// The lane width of the Monte Carlo lane kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneWidth {
    /// Every path alone, without the lane kernel.
    One,
    /// Two-lane vectors ([`crate::engine::simd::F64x2`]): the page's width and
    /// the x86-64 baseline's (SSE2).
    Two,
    /// Four-lane vectors ([`crate::engine::simd4::F64x4`]), compiled for AVX2
    /// when the processor has it (else as pairs of two-lane instructions).
    Four,
}

impl LaneWidth {
    /// Every width, narrowest first.
    pub const ALL: [LaneWidth; 3] = [LaneWidth::One, LaneWidth::Two, LaneWidth::Four];

    /// The fastest width on this processor: four lanes with AVX2, else two.
    pub fn detected() -> LaneWidth {
        if has_avx2() {
            LaneWidth::Four
        } else {
            LaneWidth::Two
        }
    }

    /// The number of lanes in a vector.
    pub fn lanes(self) -> usize {
        match self {
            LaneWidth::One => 1,
            LaneWidth::Two => 2,
            LaneWidth::Four => 4,
        }
    }
}

/// Whether the processor runs AVX2 instructions (never outside x86-64).
pub fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
