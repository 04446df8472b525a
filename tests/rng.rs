//! The path generator as a `rand_core` generator: its xoshiro256++ streams against
//! the published reference outputs and against `rand_xoshiro`'s
//! `Xoshiro256PlusPlus` (an independent implementation) from the same state, its
//! seeding against `rand_xoshiro`'s, and the per-path seeding against SplitMix64
//! from `rand_xoshiro`. (Two streams in lanes against each alone: `tests/simd.rs`.)

use hedge_explorer::paths::rng::PathRng;
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The state words as a `rand_core` seed (little-endian bytes).
fn seed_of(words: [u64; 4]) -> [u8; 32] {
    let mut seed = [0; 32];
    for (chunk, word) in seed.chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    seed
}

/// The first outputs from state (1, 2, 3, 4) of the reference C implementation
/// (xoshiro.di.unimi.it/xoshiro256plusplus.c), as published with `rand_xoshiro`.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_stream_is_the_published_xoshiro256_plus_plus() {
    let mut rng = PathRng::from_seed(seed_of([1, 2, 3, 4]));
    let expected: [u64; 10] = [
        41943041,
        58720359,
        3588806011781223,
        3591011842654386,
        9228616714210784205,
        9973669472204895162,
        14011001112246962877,
        12406186145184390807,
        15849039046786891736,
        10450023813501588000,
    ];
    for e in expected {
        assert_eq!(rng.next_u64(), e);
    }
}

/// `next_u64`, `next_u32` and `fill_bytes` (whole and partial words) of `a` and `b`
/// agree over a long stretch.
fn assert_same_streams(a: &mut impl Rng, b: &mut impl Rng, what: &str) {
    for i in 0..2_000 {
        assert_eq!(a.next_u64(), b.next_u64(), "{what}: next_u64 {i}");
    }
    for i in 0..500 {
        assert_eq!(a.next_u32(), b.next_u32(), "{what}: next_u32 {i}");
    }
    for len in [0, 1, 7, 8, 9, 31, 64] {
        let (mut x, mut y) = (vec![0u8; len], vec![0u8; len]);
        a.fill_bytes(&mut x);
        b.fill_bytes(&mut y);
        assert_eq!(x, y, "{what}: fill_bytes {len}");
    }
    assert_eq!(a.next_u64(), b.next_u64(), "{what}: after fill_bytes");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_streams_are_rand_xoshiros_from_the_same_seed() {
    let seeds = [
        seed_of([1, 2, 3, 4]),
        seed_of([u64::MAX, 0, 0x0123_4567_89AB_CDEF, 1 << 63]),
        [0; 32], // not a valid xoshiro state: both replace it the same way
        core::array::from_fn(|i| (i * 37 + 11) as u8),
    ];
    for seed in seeds {
        let what = format!("from_seed {seed:?}");
        assert_same_streams(
            &mut PathRng::from_seed(seed),
            &mut Xoshiro256PlusPlus::from_seed(seed),
            &what,
        );
    }
    for state in [0, 1, 42, u64::MAX] {
        assert_same_streams(
            &mut PathRng::seed_from_u64(state),
            &mut Xoshiro256PlusPlus::seed_from_u64(state),
            &format!("seed_from_u64 {state}"),
        );
    }
}

/// The per-path seeding: `seed_from_u64(seed ^ SplitMix64(index))`, with
/// `SplitMix64(index)` the first output of SplitMix64 started at `index`.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn each_path_stream_is_xoshiro_seeded_from_seed_and_index() {
    for (seed, index) in [(1, 0), (1, 1), (42, 9_999), (u64::MAX, 123_456_789)] {
        let mixed = SplitMix64::seed_from_u64(index).next_u64();
        assert_same_streams(
            &mut PathRng::for_path(seed, index),
            &mut Xoshiro256PlusPlus::seed_from_u64(seed ^ mixed),
            &format!("path ({seed}, {index})"),
        );
    }
}
