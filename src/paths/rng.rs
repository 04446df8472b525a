//! Seeded random numbers with one independent stream per path.
//!
//! Path `i` of a run with seed `s` draws from its own `xoshiro256++` generator
//! (Blackman & Vigna, 2019) whose state is four outputs of `SplitMix64` started at a
//! mix of `(s, i)`. Because a path's numbers depend only on `(s, i)`, a run can be
//! split into chunks, threads, Web Workers or SIMD lanes in any way and still give
//! the same numbers for every path. Nothing here reads a clock or a global
//! generator.
//!
//! Normal draws use the ziggurat method (Marsaglia & Tsang 2000, in the form of
//! Doornik 2005) with 256 layers: one 64-bit output gives both the layer (its low
//! 8 bits) and a signed uniform (its high 51 bits); 99 % of draws are accepted at
//! once for the price of a multiply and a compare, the rest use the wedge test or
//! Marsaglia's tail algorithm. The sampling is exact (not an approximation of N⁻¹),
//! and the tables are built from `libm`, so the draws are the same on every
//! platform. A path's draws depend only on its own stream, so rejection never
//! couples paths.
//!
//! [`PathRng`] implements `rand_core`'s `SeedableRng` and `TryRng` (hence `Rng`,
//! formerly `RngCore`), so it can drive any `rand`-based code; its streams are
//! `rand_xoshiro`'s `Xoshiro256PlusPlus` from the same state.
//!
//! **Tested by** `tests/paths.rs`: moments, tail frequencies and the empirical CDF
//! of the normals, the conditional mean beyond the ziggurat's edge, streams of
//! different paths are different and reproducible, chunk independence;
//! `tests/rng.rs`: the streams against `rand_xoshiro`'s `Xoshiro256PlusPlus`
//! (itself checked against the reference C implementation)
//! and the published xoshiro256++ outputs; `tests/simd.rs`: two and four streams in
//! lanes against each alone; `tests/link_numbers.rs`: a link of each model keeps
//! its numbers bit for bit (the ziggurat's draws included).

use rand_core::{utils, Infallible, SeedableRng, TryRng};

use crate::engine::lanes::{each, Bits, Mask, Real};

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
    /// The stream of path `path_index` in a run seeded with `seed`: the state
    /// [`SeedableRng::seed_from_u64`] makes from `seed ^ SplitMix64(path_index)`.
    pub fn for_path(seed: u64, path_index: u64) -> Self {
        // Mix the path index through SplitMix64 first so neighbouring (seed, index)
        // pairs start far apart.
        let mut index_state = path_index;
        PathRng::seed_from_u64(seed ^ splitmix64(&mut index_state))
    }

    /// The generator with state words `words`; xoshiro's state must not be all
    /// zero, so that one is replaced, as `rand_xoshiro` does, by the state of
    /// `seed_from_u64(0)`. (Four consecutive SplitMix64 outputs are never all
    /// zero, so no stream of [`PathRng::for_path`] meets the replacement.)
    fn from_words(words: [u64; 4]) -> PathRng {
        if words == [0; 4] {
            return PathRng::seed_from_u64(0);
        }
        PathRng { state: words }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        xoshiro256_plus_plus(&mut self.state)
    }

    /// A uniform draw in the open interval (0, 1): 53 random bits centred in their
    /// cell, so neither 0 nor 1 can occur.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as i64 as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal draw (ziggurat).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        self.normal_with(ziggurat())
    }

    /// A standard normal draw with already fetched ziggurat tables (the hot loop
    /// fetches them once per path). The accepted-at-once case (99 %) is inlined;
    /// the rest is a cold, out-of-line function.
    #[inline(always)]
    pub fn normal_with(&mut self, z: &Ziggurat) -> f64 {
        let (bits, u, x) = self.ziggurat_candidate(z);
        if z.inside(bits, u) {
            return x; // inside the layer's rectangle
        }
        self.normal_rejected(z, layer_index(bits), u, x)
    }

    /// One ziggurat candidate: the random word (whose low bits are the layer, see
    /// [`layer_index`]), the signed uniform ([`signed_uniform`]) and the
    /// candidate `u·x[layer]`.
    #[inline(always)]
    fn ziggurat_candidate(&mut self, z: &Ziggurat) -> (u64, f64, f64) {
        let bits = self.next_u64();
        let u = signed_uniform(bits);
        (bits, u, z.candidate(bits, u))
    }

    /// The rest of a ziggurat draw whose first candidate fell outside its layer's
    /// rectangle: the base layer's tail, the wedge test, and new candidates until
    /// one is accepted.
    #[cold]
    #[inline(never)]
    fn normal_rejected(&mut self, z: &Ziggurat, layer: usize, u: f64, x: f64) -> f64 {
        let (mut layer, mut u, mut x) = (layer, u, x);
        loop {
            if layer == 0 {
                return self.normal_tail(u < 0.0);
            }
            // The wedge between the rectangle and the density.
            let f0 = libm::exp(-0.5 * (z.x[layer] * z.x[layer] - x * x));
            let f1 = libm::exp(-0.5 * (z.x[layer + 1] * z.x[layer + 1] - x * x));
            if f1 + self.uniform() * (f0 - f1) < 1.0 {
                return x;
            }
            let bits;
            (bits, u, x) = self.ziggurat_candidate(z);
            layer = layer_index(bits);
            if z.inside(bits, u) {
                return x;
            }
        }
    }

    /// A draw from the normal tail beyond `ZIGGURAT_R` (Marsaglia 1964).
    #[cold]
    fn normal_tail(&mut self, negative: bool) -> f64 {
        loop {
            let x = -libm::log(self.uniform()) / ZIGGURAT_R;
            let y = -libm::log(self.uniform());
            if y + y >= x * x {
                let value = ZIGGURAT_R + x;
                return if negative { -value } else { value };
            }
        }
    }
}

/// `rand_core`'s seeding, the same as `rand_xoshiro`'s `Xoshiro256PlusPlus`: the
/// seed is the four state words in little-endian bytes, and `seed_from_u64` takes
/// four SplitMix64 outputs.
impl SeedableRng for PathRng {
    type Seed = [u8; 32];

    fn from_seed(seed: [u8; 32]) -> PathRng {
        PathRng::from_words(utils::read_words(&seed))
    }

    fn seed_from_u64(state: u64) -> PathRng {
        let mut state = state;
        PathRng::from_words(core::array::from_fn(|_| splitmix64(&mut state)))
    }
}

/// `rand_core`'s generator interface (`TryRng` with no error, which gives `Rng`
/// and, in `rand_core` 0.10, the deprecated alias `RngCore`), with the word
/// conventions of `rand_xoshiro`: `next_u32` is the high half of `next_u64`,
/// bytes come from `next_u64` in little-endian order.
impl TryRng for PathRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_u64() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        utils::fill_bytes_via_next_word(dst, || self.try_next_u64())
    }
}

/// One step of `xoshiro256++` (Blackman & Vigna 2019) on the state words `s`,
/// returning the output: written once for a scalar stream (`u64`, [`PathRng`])
/// and for streams side by side (two or four lanes, [`PathRngLanes`]).
#[inline(always)]
fn xoshiro256_plus_plus<B: Bits>(s: &mut [B; 4]) -> B {
    let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
    let t = s[1].shift_left(17);
    s[2] = s[2] ^ s[0];
    s[3] = s[3] ^ s[1];
    s[1] = s[1] ^ s[2];
    s[0] = s[0] ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = s[3].rotate_left(45);
    result
}

/// The ziggurat layer of a candidate: the low 8 bits of its random word (taken
/// on each lane's own word, where the tables are read, so that the compiler
/// sees the index in bounds).
#[inline(always)]
fn layer_index(bits: u64) -> usize {
    // (Truncated to `usize` first, 32 bits in wasm32: only the low 8 matter.)
    bits as usize & (ZIGGURAT_LAYERS - 1)
}

/// The signed uniform of a ziggurat candidate from its 64 random bits: the high 51
/// bits `m` give `u = −1 + (2m + 1)·2⁻⁵¹`, the centre of one of 2⁵¹ equal cells of
/// (−1, 1) — symmetric, never ±1 and never 0.
///
/// Built from bits — `2 + (2m + 1)·2⁻⁵¹` is the float with exponent 1 and
/// mantissa `2m + 1`, the top 51 bits with the lowest mantissa bit set — and one
/// exact subtraction, rather than an integer-to-float conversion, which two-lane
/// vectors lack.
#[inline(always)]
fn signed_uniform<R: Real>(bits: R::Bits) -> R {
    R::from_bits(bits.shift_right(12) | R::Bits::splat(TWO_ODD_BITS)) - R::splat(3.0)
}

/// The bits of 2.0 (exponent 1) with the lowest mantissa bit set.
const TWO_ODD_BITS: u64 = 0x4000_0000_0000_0001;

/// Path streams side by side (structure of arrays), one a lane of `R` (two for
/// [`F64x2`](crate::engine::simd::F64x2), four for [`F64x4`](crate::engine::simd4::F64x4)), for the lane
/// kernel: lane `l` draws exactly the numbers its own [`PathRng`] would.
#[derive(Clone, Debug)]
pub struct PathRngLanes<R: Real> {
    /// State word `w` of every lane.
    state: [R::Bits; 4],
}

impl<R: Real> PathRngLanes<R> {
    /// The streams `stream(0)`, `stream(1)`, … side by side, one a lane.
    pub fn new(mut stream: impl FnMut(usize) -> PathRng) -> PathRngLanes<R> {
        let mut lanes = PathRngLanes {
            state: [R::Bits::splat(0); 4],
        };
        for l in 0..R::WIDTH {
            lanes.set_lane(l, &stream(l));
        }
        lanes
    }

    fn lane(&self, l: usize) -> PathRng {
        PathRng {
            state: core::array::from_fn(|w| self.state[w].lane(l)),
        }
    }

    fn set_lane(&mut self, l: usize, rng: &PathRng) {
        for (word, value) in self.state.iter_mut().zip(rng.state) {
            *word = word.with_lane(l, value);
        }
    }

    /// The next 64 random bits of each lane ([`PathRng::next_u64`] on each).
    #[inline(always)]
    pub fn next_u64(&mut self) -> R::Bits {
        xoshiro256_plus_plus(&mut self.state)
    }

    /// A standard normal draw in each lane of `V` vectors
    /// ([`PathRng::normal_with`] on every lane): the candidates with vector
    /// operations, each stage over all vectors before the next, then the rare
    /// rejections lane by lane in a cold function.
    #[inline(always)]
    pub fn normals<const V: usize>(rngs: &mut [PathRngLanes<R>; V], z: &Ziggurat) -> [R; V] {
        let bits: [R::Bits; V] = each(
            #[inline(always)]
            |v| rngs[v].next_u64(),
        );
        let u: [R; V] = each(
            #[inline(always)]
            |v| signed_uniform(bits[v]),
        );
        let mut x: [R; V] = each(
            #[inline(always)]
            |v| z.candidate(bits[v], u[v]),
        );
        let inside: [R::Mask; V] = each(
            #[inline(always)]
            |v| z.inside(bits[v], u[v]),
        );
        // One test for the whole group.
        if !inside.iter().fold(inside[0], |all, &m| all & m).all() {
            for v in 0..V {
                if !inside[v].all() {
                    x[v] = rngs[v].rejected(z, bits[v], u[v], x[v], inside[v]);
                }
            }
        }
        x
    }

    #[cold]
    #[inline(never)]
    fn rejected(&mut self, z: &Ziggurat, bits: R::Bits, u: R, x: R, inside: R::Mask) -> R {
        let mut x = x;
        for l in 0..R::WIDTH {
            if !inside.lane(l) {
                let mut rng = self.lane(l);
                let layer = layer_index(bits.lane(l));
                x = x.with_lane(l, rng.normal_rejected(z, layer, u.lane(l), x.lane(l)));
                self.set_lane(l, &rng);
            }
        }
        x
    }
}

/// Number of ziggurat layers.
const ZIGGURAT_LAYERS: usize = 256;
/// Start of the tail for 256 layers.
const ZIGGURAT_R: f64 = 3.654_152_885_361_009;
/// Area of each layer for 256 layers.
const ZIGGURAT_V: f64 = 0.004_928_673_233_992_336;

/// Ziggurat tables: layer edges `x[i]` and `x[i+1]/x[i]`.
#[derive(Debug)]
pub struct Ziggurat {
    x: [f64; ZIGGURAT_LAYERS + 1],
    ratio: [f64; ZIGGURAT_LAYERS],
}

impl Ziggurat {
    /// The candidate `u·x[layer]` of a draw from its random word `bits`.
    #[inline(always)]
    fn candidate<R: Real>(&self, bits: R::Bits, u: R) -> R {
        let [edge] = R::gather(bits, |b| {
            core::array::from_ref(&self.x[b & (ZIGGURAT_LAYERS - 1)])
        });
        u * edge
    }

    /// Whether the candidate falls inside its layer's rectangle, `|u| < x[layer +
    /// 1]/x[layer]` (accepted at once).
    #[inline(always)]
    fn inside<R: Real>(&self, bits: R::Bits, u: R) -> R::Mask {
        let [ratio] = R::gather(bits, |b| {
            core::array::from_ref(&self.ratio[b & (ZIGGURAT_LAYERS - 1)])
        });
        u.abs().lt(ratio)
    }
}

/// The shared ziggurat tables (built once from `libm`).
pub fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; ZIGGURAT_LAYERS + 1];
        let mut f = libm::exp(-0.5 * ZIGGURAT_R * ZIGGURAT_R);
        x[0] = ZIGGURAT_V / f; // the base layer, whose "rectangle" includes the tail
        x[1] = ZIGGURAT_R;
        for i in 2..ZIGGURAT_LAYERS {
            x[i] = libm::sqrt(-2.0 * libm::log(ZIGGURAT_V / x[i - 1] + f));
            f = libm::exp(-0.5 * x[i] * x[i]);
        }
        x[ZIGGURAT_LAYERS] = 0.0;
        let mut ratio = [0.0; ZIGGURAT_LAYERS];
        for i in 0..ZIGGURAT_LAYERS {
            ratio[i] = x[i + 1] / x[i];
        }
        Ziggurat { x, ratio }
    })
}
