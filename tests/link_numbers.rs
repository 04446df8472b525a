//! Old links keep their numbers: a shared link must give the same result, bit
//! for bit, in every later version (the link's `v=1` promises it; a change of
//! the numbers needs a new version). Each link below, one per path model,
//! instrument and strategy family, is pinned by a fingerprint of every path's
//! outcome (the P&L, trades and costs of its own strategy, as bits) and, for
//! people, its mean P&L.
//!
//! These pins say nothing about the numbers being *right* (the other tests
//! check them against closed forms, published tables and independent
//! replays); they catch a change that keeps every distribution but moves the
//! numbers: another draw order, another generator or table, a reordered sum.
//! Were a pin to move on purpose, the link format's version must change with
//! it (README, *The scenario link format*). Run natively and, compiled to
//! wasm32, in headless Chromium (`scripts/test.sh`): the same pins in both.

use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::plan::Plan;
use hedge_explorer::Scenario;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// FNV-1a (64 bits) over every path's P&L, trades and costs, in path order.
fn fingerprint(link: &str) -> (f64, u64) {
    let plan = Plan::new(&Scenario::parse(link).expect(link));
    let outcomes = Engine::for_plan(&plan).run(plan.paths, 64).by_hedger;
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut feed = |word: u64| {
        for byte in word.to_le_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    let own = &outcomes[0];
    for o in own {
        feed(o.pnl.to_bits());
        feed(u64::from(o.trades));
        feed(o.costs.to_bits());
    }
    let mean = own.iter().map(|o| o.pnl).sum::<f64>() / own.len() as f64;
    (mean, hash)
}

/// `(link, mean P&L, fingerprint)`, as this version gives them.
const PINS: [(&str, f64, u64); 11] = [
    (
        "v=1&paths=200&steps=21",
        -23.004725428421892,
        0x685f0b92e445810d,
    ),
    (
        "v=1&paths=200&steps=21&rule=band&band=0.03&to=edge&jumps=2",
        -144.45302273005228,
        0xeb3dc8f946b43a5f,
    ),
    (
        "v=1&paths=200&steps=21&rule=ww&model=heston",
        -13.870184584663726,
        0x71fc27ff948b8bdd,
    ),
    (
        "v=1&paths=200&steps=21&model=heston&jumps=1&price=heston",
        -14.330383077651081,
        0x3364affb39892209,
    ),
    (
        "v=1&paths=200&steps=21&greeks=delta-gamma&with=c105@0.5",
        -46.95592012779883,
        0xfc621f59eb8674f4,
    ),
    (
        "v=1&paths=200&steps=21&legs=100c95_-200c100_100c105&rule=every&every=3",
        -16.957613791872863,
        0xaa0929c883f24a93,
    ),
    (
        "v=1&paths=200&steps=21&insure=cppi&mult=5",
        64.07659623312986,
        0x1eabb5bc49d30c4a,
    ),
    (
        "v=1&paths=200&steps=21&insure=put",
        108.15410829733278,
        0xb1c12962cb4182c5,
    ),
    (
        "v=1&hist=sp500&from=1987-10-09&until=1988-06-01&roll=5",
        304.92844642462387,
        0x585a914a61e42e06,
    ),
    (
        "v=1&paths=200&steps=21&model=bootstrap&hist=djia",
        3.202707846310393,
        0xa3ddf573290c8036,
    ),
    // Jump counts at the largest rate a link allows (250 × 30 = 7,500 in one
    // step), walked from the mode (paths/poisson.rs).
    (
        "v=1&paths=100&steps=1&t=30&jumps=250&jmean=-0.001&jsd=0.01",
        -2275.558246509419,
        0xa9ba69a79d3fa09d,
    ),
];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_family_of_link_keeps_its_numbers() {
    let mut moved = Vec::new();
    for (link, mean, hash) in PINS {
        let now = fingerprint(link);
        if now != (mean, hash) {
            moved.push(format!("(\"{link}\", {:?}, {:#018x}),", now.0, now.1));
        }
    }
    assert!(
        moved.is_empty(),
        "these links give other numbers than they did (now):\n{}",
        moved.join("\n")
    );
}
