//! The two-lane vectors of `hedge_explorer::simd` and the lane kernel built on them,
//! natively (`cargo test --test simd`: the array implementation) and in headless
//! Chromium (`cargo test --target wasm32-unknown-unknown --test simd`: the
//! WebAssembly SIMD implementation). Every vector operation must give, lane by lane,
//! the bits of the scalar operation; the lane kernel must give the bits of hedging
//! each path alone.

use hedge_explorer::hedge::NoLedger;
use hedge_explorer::montecarlo::Engine;
use hedge_explorer::paths::{PathBuffer, PathSource};
use hedge_explorer::rules::RebalanceRule;
use hedge_explorer::simd::{F64x2, U64x2};
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

/// The lane kernel (plain GBM, one-leg books) against hedging each path alone,
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
    ];
    for query in queries {
        let s = match Scenario::parse(query) {
            Ok(s) => s,
            Err(e) => panic!("{query}: {e}"),
        };
        let rules = [
            RebalanceRule::None,
            RebalanceRule::Static,
            s.rebalance_rule(),
        ];
        let engine = Engine::new(&s, &rules);
        assert!(engine.hedgers().iter().all(|h| h.lanes_supported()));
        let fast = engine.run(s.paths, 1000);
        let mut buffer = PathBuffer::new(s.steps as usize);
        for index in 0..s.paths {
            engine.paths().fill(index, &mut buffer);
            for (h, hedger) in engine.hedgers().iter().enumerate() {
                let alone = hedger.run(&buffer, &mut NoLedger);
                assert_eq!(
                    fast.by_hedger[h][index as usize], alone,
                    "{query}: path {index}, hedger {h}"
                );
            }
        }
    }
}
