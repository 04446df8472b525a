//! The two-lane vectors of `hedge_explorer::engine::simd`, the formulas written once over
//! `hedge_explorer::engine::lanes::Real` and the lane kernel built on them, natively
//! (`cargo test --test simd`: the array implementation) and in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown --test simd`: the WebAssembly SIMD
//! implementation). Every vector operation must give, lane by lane, the bits of the
//! scalar operation; each generic formula at `F64x2` the bits of the same formula
//! at `f64`; the lane kernel the bits of hedging each path alone.

use hedge_explorer::engine::lanes::{Bits, Mask, Real};
use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::engine::simd::{F64x2, U64x2};
use hedge_explorer::engine::simd4::F64x4;
use hedge_explorer::engine::width::LaneWidth;
use hedge_explorer::hedging::costs::CostModel;
use hedge_explorer::hedging::hedger::NoLedger;
use hedge_explorer::hedging::rules::{band_decision, BandTarget, RebalanceRule};
use hedge_explorer::paths::rng::{ziggurat, PathRng, PathRngLanes};
use hedge_explorer::paths::{PathBuffer, PathSource};
use hedge_explorer::plan::Plan;
use hedge_explorer::pricing::fastmath::Exp;
use hedge_explorer::pricing::normal;
use hedge_explorer::Scenario;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SPECIAL: [f64; 12] = [
    0.0,
    -0.0,
    1.0,
    -2.5,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    f64::MIN_POSITIVE,
    5e-324,
    1e308,
    -3.0e-200,
    0.1,
];

/// Same bits, or both NaN (NaN payloads are not specified by IEEE arithmetic).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn assert_lanes(vector: F64x2, scalar: [f64; 2], what: &str) {
    let lanes = vector.to_array();
    assert!(
        same(lanes[0], scalar[0]) && same(lanes[1], scalar[1]),
        "{what}: {lanes:?} vs {scalar:?}"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn float_operations_are_the_scalar_ones_lane_by_lane() {
    for &a in &SPECIAL {
        for &b in &SPECIAL {
            let x = F64x2::new(a, b);
            let y = F64x2::new(b, a);
            assert_lanes(x + y, [a + b, b + a], "add");
            assert_lanes(x - y, [a - b, b - a], "sub");
            assert_lanes(x * y, [a * b, b * a], "mul");
            assert_lanes(x / y, [a / b, b / a], "div");
            assert_lanes(-x, [-a, -b], "neg");
            assert_lanes(x.abs(), [a.abs(), b.abs()], "abs");
            assert_lanes(x.copysign(y), [a.copysign(b), b.copysign(a)], "copysign");
            let max_or_self = |x: f64, floor: f64| if x < floor { floor } else { x };
            assert_lanes(
                x.max_or_self(y),
                [max_or_self(a, b), max_or_self(b, a)],
                "max_or_self",
            );
            assert_lanes(F64x2::from_bits(x.to_bits()), [a, b], "bits round trip");
            assert_eq!(x.to_bits().to_array(), [a.to_bits(), b.to_bits()]);
            assert_eq!(
                [x.lane(0), x.lane(1)].map(f64::to_bits),
                [a, b].map(f64::to_bits)
            );
            assert_lanes(x.with_lane(1, 7.0), [a, 7.0], "with_lane");
            for (mask, expect, what) in [
                (x.lt(y), [a < b, b < a], "lt"),
                (x.le(y), [a <= b, b <= a], "le"),
                (x.ge(y), [a >= b, b >= a], "ge"),
                (x.gt(y), [a > b, b > a], "gt"),
                (x.ne(y), [a != b, b != a], "ne"),
            ] {
                assert_eq!([mask.lane(0), mask.lane(1)], expect, "{what} {a} {b}");
                assert_eq!(mask.all(), expect[0] && expect[1], "{what}.all");
                let ones = expect.map(|set| if set { u64::MAX } else { 0 });
                assert_eq!(mask.to_bits().to_array(), ones, "{what} bits");
                let both = mask & x.ne(y);
                let expect_both = [expect[0] && a != b, expect[1] && b != a];
                assert_eq!([both.lane(0), both.lane(1)], expect_both, "{what} & ne");
                let chosen = mask.select(x, y);
                let pick = |set: bool, yes: f64, no: f64| if set { yes } else { no };
                assert_lanes(
                    chosen,
                    [pick(expect[0], a, b), pick(expect[1], b, a)],
                    "select",
                );
            }
        }
    }
    assert_eq!(
        F64x2::splat(-0.0).to_bits().to_array(),
        [(-0.0f64).to_bits(); 2]
    );
    assert_eq!(F64x2::default().to_bits().to_array(), [0, 0]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn integer_operations_are_the_scalar_ones_lane_by_lane() {
    let values = [
        0u64,
        1,
        u64::MAX,
        0x8000_0000_0000_0000,
        0x0123_4567_89AB_CDEF,
    ];
    for &a in &values {
        for &b in &values {
            let x = U64x2::new(a, b);
            let y = U64x2::new(b, a);
            assert_eq!((x + y).to_array(), [a.wrapping_add(b), b.wrapping_add(a)]);
            assert_eq!((x - y).to_array(), [a.wrapping_sub(b), b.wrapping_sub(a)]);
            assert_eq!((x & y).to_array(), [a & b, b & a]);
            assert_eq!((x | y).to_array(), [a | b, b | a]);
            assert_eq!((x ^ y).to_array(), [a ^ b, b ^ a]);
            assert_eq!([x.lane(0), x.lane(1)], [a, b]);
            assert_eq!(x.with_lane(0, 9).to_array(), [9, b]);
            for n in [1, 12, 17, 23, 45, 46, 63] {
                assert_eq!(x.shift_left(n).to_array(), [a << n, b << n]);
                assert_eq!(x.shift_right(n).to_array(), [a >> n, b >> n]);
                assert_eq!(
                    x.rotate_left(n).to_array(),
                    [a.rotate_left(n), b.rotate_left(n)]
                );
            }
        }
    }
    assert_eq!(U64x2::splat(7).to_array(), [7, 7]);
    assert_eq!(U64x2::default().to_array(), [0, 0]);
}

/// The integer lanes of `R` (`u64` for `f64`) against `u64`'s own operations,
/// lane by lane: from_lanes and lane, with_lane replacing one lane only, and
/// the wrapping and shifting operations.
fn bits_lane_operations<R: Real>() {
    let word = |l: usize| 0x0123_4567_89AB_CDEF_u64.rotate_left(8 * l as u32 + 4);
    let x = R::Bits::from_lanes(word);
    let last = R::WIDTH - 1;
    let replaced = x.with_lane(last, 9);
    let all_ones = R::Bits::splat(u64::MAX);
    for l in 0..R::WIDTH {
        assert_eq!(x.lane(l), word(l), "lane {l} of {}", R::WIDTH);
        assert_eq!(replaced.lane(l), if l == last { 9 } else { word(l) });
        assert_eq!(
            x.wrapping_add(all_ones).lane(l),
            word(l).wrapping_add(u64::MAX)
        );
        assert_eq!(
            x.wrapping_sub(all_ones).lane(l),
            word(l).wrapping_sub(u64::MAX)
        );
        assert_eq!(x.shift_left(17).lane(l), word(l) << 17);
        assert_eq!(x.shift_right(45).lane(l), word(l) >> 45);
        assert_eq!(x.rotate_left(23).lane(l), word(l).rotate_left(23));
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn integer_lanes_are_u64s_lane_by_lane_at_every_width() {
    bits_lane_operations::<f64>();
    bits_lane_operations::<F64x2>();
    bits_lane_operations::<F64x4>();
}

/// The operations of [`Real`], [`Mask`] and [`Bits`] used by the formulas, as one
/// generic function: at `F64x2` it must give, lane by lane, what it gives at `f64`.
fn real_operations<R: Real>(x: R, y: R) -> [R; 17] {
    let bits = x.to_bits();
    const TABLE: [[f64; 1]; 8] = [[0.0], [0.5], [1.0], [1.5], [-2.0], [2.5], [3.0], [-0.0]];
    let [gathered] = R::gather(bits & R::Bits::splat(7), |i| &TABLE[i]);
    let count = R::from_bits(x.ne(y).count(R::Bits::splat(41)));
    [
        x + y,
        x - y,
        x * y,
        x / y,
        -x,
        x.abs(),
        x.copysign(y),
        x.max_or_self(y),
        x.lt(y).select(x, y),
        x.le(y).select(x, y),
        x.gt(y).select(x, y),
        (x.ne(y) & x.le(y)).select(x, y),
        R::from_bits(
            bits.wrapping_add(bits.shift_left(3))
                .wrapping_sub(R::Bits::splat(9)),
        ),
        R::from_bits((bits.shift_right(11) | bits.rotate_left(45)) ^ R::Bits::splat(5)),
        gathered,
        count,
        R::splat(0.25) * x,
    ]
}

/// Lane by lane: `vector` (the formula at `R` on lanes `[a, b, a, b, …]`, or
/// `[a, b, b, a]` at four lanes so that every neighbour differs) against
/// `scalar` (the formula at `f64` on each lane's input).
fn assert_formula<R: Real, const K: usize>(
    what: &str,
    a: f64,
    b: f64,
    vector: impl Fn(R) -> [R; K],
    scalar: impl Fn(f64) -> [f64; K],
) {
    let input = |l: usize| if l == 0 || l == 3 { a } else { b };
    let lanes = vector(R::from_lanes(input));
    for l in 0..R::WIDTH {
        let expect = scalar(input(l));
        for k in 0..K {
            assert!(
                same(lanes[k].lane(l), expect[k]),
                "{what}[{k}] lane {l} of {} at {a}, {b}: {:?} vs {}",
                R::WIDTH,
                lanes[k],
                expect[k]
            );
        }
    }
}

/// `vector`'s lanes against `scalar` applied to `inputs`' lanes.
fn assert_lane_wise<R: Real>(what: &str, inputs: R, vector: R, scalar: impl Fn(f64) -> f64) {
    for l in 0..R::WIDTH {
        let expect = scalar(inputs.lane(l));
        assert!(
            same(vector.lane(l), expect),
            "{what} lane {l} of {}: {:?} vs {expect} at {:?}",
            R::WIDTH,
            vector,
            inputs
        );
    }
}

/// [`real_operations`] at `R` against `f64`, on every combination of special
/// values.
fn real_trait_formulas<R: Real>() {
    for &a in &SPECIAL {
        for &b in &SPECIAL {
            for &y in &SPECIAL {
                assert_formula(
                    "operations",
                    a,
                    b,
                    |x: R| real_operations(x, R::splat(y)),
                    |x| real_operations(x, y),
                );
            }
        }
    }
    assert!(Real::lt(R::splat(1.0), R::splat(2.0)).all());
    // Lane l of from_lanes(f) is f(l); with_lane replaces one lane only.
    let mixed = R::from_lanes(|l| l as f64);
    let last = R::WIDTH - 1;
    let replaced = mixed.with_lane(last, 7.0);
    for l in 0..R::WIDTH {
        assert_eq!(mixed.lane(l), l as f64);
        assert_eq!(replaced.lane(l), if l == last { 7.0 } else { l as f64 });
    }
    assert_eq!(mixed.lt(R::splat(1.0)).all(), R::WIDTH == 1);
    for l in 0..R::WIDTH {
        assert_eq!(mixed.lt(R::splat(1.0)).lane(l), l == 0, "lane {l}");
        assert!(!mixed.lt(R::splat(0.0)).lane(l), "lane {l}");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_real_trait_gives_the_scalar_bits_lane_by_lane() {
    // f64 is the one-lane case the scalar loop instantiates the formulas at.
    real_trait_formulas::<f64>();
    real_trait_formulas::<F64x2>();
    real_trait_formulas::<F64x4>();
    assert!(Mask::all(true) && !Mask::all(false));
}

/// Values for the formulas: special ones, and a grid over where log-spots,
/// `d1`, shares and costs live.
fn formula_inputs() -> Vec<f64> {
    let mut values = SPECIAL.to_vec();
    values.extend([700.0, -700.0, 700.5, -745.2, 9.1, -9.1, 0.5 / 1024.0]);
    values.extend((0..=400).map(|i| -10.0 + 0.05 * i as f64 + 1e-3 * (i % 7) as f64));
    // Magnitudes from 1 to 1e14, both signs.
    let mut magnitude = 1.0;
    for i in 0..=60 {
        values.push(if i % 2 == 0 { magnitude } else { -magnitude });
        magnitude *= 1.7;
    }
    values
}

/// Neighbouring inputs paired into lanes (so the two lanes differ).
fn input_pairs() -> impl Iterator<Item = (f64, f64)> {
    let values = formula_inputs();
    let shifted: Vec<f64> = values
        .iter()
        .cycle()
        .skip(5)
        .take(values.len())
        .copied()
        .collect();
    values.into_iter().zip(shifted)
}

/// `exp` at `R` against `f64`: the in-range formula, and the lane driver with
/// its range test against the scalar `exp`.
fn exp_formulas<R: Real>() {
    let exp = Exp::new();
    for (a, b) in input_pairs() {
        assert_formula(
            "exp_in_range",
            a,
            b,
            |x: R| [exp.exp_in_range(x)],
            |x| [exp.exp_in_range(x)],
        );
        let inputs = [a, b, -a, 0.5, 3.0, b];
        let vectors: [R; 3] = core::array::from_fn(|v| R::from_lanes(|l| inputs[(v + l) % 6]));
        let lanes = exp.exp_lanes(&vectors);
        for (vector, x) in lanes.into_iter().zip(vectors) {
            assert_lane_wise("exp_lanes", x, vector, |x| exp.exp(x));
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn exp_at_f64_and_at_lanes_give_the_same_bits() {
    exp_formulas::<F64x2>();
    exp_formulas::<F64x4>();
}

/// The table `N` at `R` against `f64`, at every node and the middle of every
/// interval of the table, both signs.
fn normal_cdf_formulas<R: Real>() {
    let table = normal::cdf_table();
    let nodes = (0..=2 * 9 * 1024).map(|i| -9.0 + i as f64 / 2048.0);
    let inputs: Vec<f64> = formula_inputs()
        .into_iter()
        .chain(nodes.clone())
        .chain(nodes.map(|x| -x))
        .collect();
    let per_call = 3 * R::WIDTH;
    for group in inputs.chunks(per_call) {
        let x: [R; 3] =
            core::array::from_fn(|v| R::from_lanes(|l| group[(v * R::WIDTH + l) % group.len()]));
        let lanes = table.cdf_lanes(&x);
        for (vector, x) in lanes.into_iter().zip(x) {
            assert_lane_wise("cdf_lanes", x, vector, |x| table.cdf(x));
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn normal_cdf_at_f64_and_at_lanes_give_the_same_bits() {
    normal_cdf_formulas::<F64x2>();
    normal_cdf_formulas::<F64x4>();
}

/// Costs of every kind and the band's decision at `R` against `f64`.
fn cost_and_band_formulas<R: Real>() {
    let models = [
        CostModel::FREE,
        CostModel {
            fee: 0.0,
            proportional: 0.001,
            impact: 0.0,
        },
        CostModel {
            fee: 1.5,
            proportional: 0.002,
            impact: 0.0,
        },
        CostModel {
            fee: 0.0,
            proportional: 0.0005,
            impact: 0.0003,
        },
        CostModel {
            fee: 2.0,
            proportional: 0.001,
            impact: 0.01,
        },
    ];
    for (a, b) in input_pairs() {
        for &spot in &[49.0, 0.5, 1e6, 0.0] {
            for model in &models {
                let notional = |shares: R| shares.abs() * R::splat(spot);
                assert_formula(
                    "cost",
                    a,
                    b,
                    |x: R| [model.cost_of(x, notional(x))],
                    |x| [model.cost(x, spot)],
                );
            }
        }
        for &target in &[0.0, -52_160.5, 3.25, f64::NAN] {
            for &width in &[0.0, 0.04, 4000.0] {
                for to in [BandTarget::Target, BandTarget::Edge] {
                    assert_formula(
                        "band",
                        a,
                        b,
                        |held: R| [band_decision(held, R::splat(target), R::splat(width), to)],
                        |held| [band_decision(held, target, width, to)],
                    );
                }
            }
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn costs_and_bands_at_f64_and_at_lanes_give_the_same_bits() {
    cost_and_band_formulas::<F64x2>();
    cost_and_band_formulas::<F64x4>();
}

/// Streams in lanes of `R` against each stream alone: the raw words, and normals
/// of two vectors' worth of streams, enough draws for rejections, the wedge and
/// the tail to occur in some lane.
fn streams_in_lanes<R: Real>() {
    let zig = ziggurat();
    for (seed, first) in [(1u64, 0u64), (42, 1_000), (u64::MAX, 7)] {
        let scalar = |l: usize| PathRng::for_path(seed, first + l as u64);
        let mut lanes = PathRngLanes::<R>::new(scalar);
        let mut alone: Vec<PathRng> = (0..R::WIDTH).map(scalar).collect();
        for _ in 0..1000 {
            let words = lanes.next_u64();
            for (l, rng) in alone.iter_mut().enumerate() {
                assert_eq!(words.lane(l), rng.next_u64());
            }
        }
        let width = R::WIDTH;
        let mut vectors: [PathRngLanes<R>; 2] =
            core::array::from_fn(|v| PathRngLanes::new(|l| scalar(width * (v + 1) + l)));
        let mut alone: Vec<PathRng> = (width..3 * width).map(scalar).collect();
        for _ in 0..20_000 {
            let z = PathRngLanes::normals(&mut vectors, zig);
            for (p, rng) in alone.iter_mut().enumerate() {
                assert_eq!(
                    z[p / width].lane(p % width).to_bits(),
                    rng.normal_with(zig).to_bits()
                );
            }
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn streams_in_lanes_draw_the_scalar_streams_numbers() {
    streams_in_lanes::<F64x2>();
    streams_in_lanes::<F64x4>();
}

/// The lane kernel (plain GBM; books of one leg and of several, some outliving
/// the horizon) against hedging each path alone,
/// over every rule it covers, costs of every kind, both settlements, rejections of
/// the ziggurat (hundreds of paths) and a remainder that is not a whole group.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_lane_kernel_gives_the_bits_of_path_by_path_hedging() {
    let queries = [
        "v=1&paths=101&steps=30&cost=0.002&fee=1&impact=0.0003&q=0.03&r=0.04",
        "v=1&paths=37&steps=25&type=put&side=long&rule=band&band=0.04&to=edge&settle=physical",
        "v=1&paths=29&steps=40&rule=band&band=0.1&hvol=0.3&vol=0.15",
        "v=1&paths=19&steps=20&rule=every&every=3&vol=0&hvol=0.2",
        "v=1&paths=17&steps=1&rule=static",
        "v=1&paths=9&steps=10&hvol=0&cost=0.001",
        "v=1&paths=300&steps=50&vol=1.5&cost=0.001&r=0&k=80",
        // Books of several legs (the kernel's sum over legs), with dividends.
        "v=1&paths=45&steps=24&q=0.05&r=0.03&legs=-100c105_50p95_30c90&cost=0.001",
        "v=1&paths=23&steps=30&legs=100c100_-100c110@0.5&rule=band&band=0.05&hvol=0.25",
        // Every leg outlives the horizon: no leg expires at the last date.
        "v=1&paths=21&steps=15&t=0.25&legs=100c100@0.5_-50p95@0.75&cost=0.001",
        // Hedges with options (the kernel's option hedge): each set of Greeks,
        // one to three hedge options, band and every-k rules, option costs and
        // fees, dividends, puts; more hedge options than Greeks (the
        // minimum-norm choice).
        "v=1&paths=41&steps=20&greeks=delta-gamma&with=c105@0.5&cost=0.001&fee=1&ocost=0.02",
        "v=1&paths=35&steps=24&q=0.04&legs=-100c90_100c95_100c105_-100c110&greeks=delta-vega&with=p95@0.75",
        "v=1&paths=33&steps=30&greeks=delta-gamma-vega&with=c100@0.5_p90@0.75&rule=band&band=0.05",
        "v=1&paths=19&steps=25&greeks=delta-gamma&with=c100@0.5_c110@0.5_p95@1&rule=every&every=4&ocost=0",
        // The book's own option as the hedge: bought at date 0, after which the
        // band is never left.
        "v=1&paths=27&steps=40&t=0.5&greeks=delta-gamma&with=c100&rule=band&band=0.02&to=edge",
        // A book that outlives the horizon and a hedge option that expires at
        // it, at a hedging vol so small that the option alone is degenerate on
        // the last dates (the kernel runs those dates path by path).
        "v=1&paths=17&steps=10&t=0.25&vol=0&mu=0&r=0&hvol=4e-12&legs=-100c100@0.5&greeks=delta-gamma&with=c100",
        // A flat path at the strike and a hedging vol so small that the last
        // dates are degenerate for the book (run path by path in the kernel,
        // where its gamma is 0): the options are sold there, once.
        "v=1&paths=17&steps=10&vol=0&mu=0&hvol=4e-12&r=0&greeks=delta-gamma&with=c100@2",
        "v=1&paths=23&steps=12&greeks=delta-gamma-vega&with=c100@0.5_c120@1&settle=physical&vol=0.6",
    ];
    // The widths name their vectors' lanes.
    assert_eq!(
        LaneWidth::ALL.map(LaneWidth::lanes),
        [f64::WIDTH, F64x2::WIDTH, F64x4::WIDTH]
    );
    for query in queries {
        let s = match Scenario::parse(query) {
            Ok(s) => s,
            Err(e) => panic!("{query}: {e}"),
        };
        let rules = [
            RebalanceRule::None,
            RebalanceRule::Static,
            Plan::new(&s).rule,
        ];
        let engine = Engine::new(&Plan::new(&s), &rules);
        // One runner per rule, each an option hedger the lanes can run.
        assert_eq!(engine.runners().len(), rules.len(), "{query}");
        assert_eq!(engine.hedgers().len(), rules.len(), "{query}");
        assert!(engine.hedgers().iter().all(|h| h.lanes_supported()));
        let mut buffer = PathBuffer::new(s.steps as usize);
        for width in LaneWidth::ALL {
            let fast = engine.run_chunk_at(0..s.paths, width);
            for index in 0..s.paths {
                engine.paths().fill(index, &mut buffer);
                for (h, hedger) in engine.hedgers().iter().enumerate() {
                    let alone = hedger.run(&buffer, &mut NoLedger);
                    assert_eq!(
                        fast[h][index as usize], alone,
                        "{query}: path {index}, hedger {h}, {width:?}"
                    );
                }
            }
        }
        // And a run split into chunks, at the width this processor picks.
        let chunked = engine.run(s.paths, 7).by_hedger;
        assert_eq!(
            chunked,
            engine.run_chunk_at(0..s.paths, LaneWidth::One),
            "{query}"
        );
    }
}
