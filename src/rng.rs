//! Seeded random numbers with one independent stream per path.
//!
//! Path `i` of a run with seed `s` draws from its own `xoshiro256++` generator
//! (Blackman & Vigna, 2019) whose state is four outputs of `SplitMix64` started at a
//! mix of `(s, i)`. Because a path's numbers depend only on `(s, i)`, a run can be
//! split into chunks, threads, Web Workers or SIMD lanes in any way and still give
//! the same numbers for every path. Nothing here reads a clock or a global
//! generator.
//!
//! Normal draws use the inverse CDF ([`crate::normal::inverse_cdf`]) of one uniform,
//! so every draw consumes exactly one 64-bit output — no rejection loop, so the
//! stream layout is fixed and lanes stay in lock-step.
//!
//! **Tested by** `tests/paths.rs`: moments of the uniforms and normals, streams of
//! different paths are different and reproducible, chunk independence.

use crate::normal;

/// SplitMix64 (Steele, Lea & Flood 2014): used only to expand seeds.
#[inline]
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of one path: `xoshiro256++`.
#[derive(Clone, Debug)]
pub struct PathRng {
    state: [u64; 4],
}

impl PathRng {
    /// The stream of path `path_index` in a run seeded with `seed`.
    pub fn for_path(seed: u64, path_index: u64) -> Self {
        // Mix the path index through SplitMix64 first so neighbouring (seed, index)
        // pairs start far apart.
        let mut index_state = path_index;
        let mut state = seed ^ splitmix64(&mut index_state);
        let words = [
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
        ];
        // xoshiro's state must not be all zero; SplitMix64 outputs never are all
        // zero in four consecutive draws, but keep the guarantee explicit.
        let state = if words == [0; 4] { [1, 2, 3, 4] } else { words };
        PathRng { state }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform draw in the open interval (0, 1): 53 random bits centred in their
    /// cell, so neither 0 nor 1 can occur.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal draw.
    #[inline]
    pub fn normal(&mut self) -> f64 {
        normal::inverse_cdf(self.uniform())
    }
}
