//! Criterion benchmark of the engine on the *hull-mc* workload: Hull's ch. 19
//! example (S=49, K=50, r=5%, σ=20%, T=20 weeks, μ=13%, short 100,000 calls),
//! rebalanced every step, cost 0.001, 10,000 paths × 252 steps.
//!
//! Also: `lane-width` (hull-mc at each lane width), `books` (a 4-leg book,
//! hedged with shares and delta-gamma with options) and `models` (GBM, Merton,
//! Heston and Bates paths under the Black–Scholes hedger).
//!
//! Run with `cargo bench --bench engine`. Criterion reports the time per run and
//! the throughput in path-steps per second (elements/s).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hedge_explorer::engine::montecarlo::{Engine, RunSummary};
use hedge_explorer::engine::width::LaneWidth;
use hedge_explorer::plan::Plan;
use hedge_explorer::Scenario;

/// The hull-mc workload as a link.
pub const HULL_MC: &str = "v=1&s=49&k=50&t=0.38461538461538464&r=0.05&mu=0.13&vol=0.2&qty=100000&side=short&type=call&steps=252&rule=every&every=1&cost=0.001&paths=10000&seed=1";

fn hull_mc(c: &mut Criterion) {
    let scenario = match Scenario::parse(HULL_MC) {
        Ok(s) => s,
        Err(e) => panic!("hull-mc link: {e}"),
    };
    let engine = Engine::for_plan(&Plan::new(&scenario));
    let mut group = c.benchmark_group("hull-mc");
    group.sample_size(10);
    group.throughput(Throughput::Elements(scenario.paths * scenario.steps));
    group.bench_function("10000 paths x 252 steps", |b| {
        b.iter(|| {
            let outcomes = engine.run(scenario.paths, 256);
            RunSummary::of(&outcomes.by_hedger[0])
        })
    });
    group.finish();
    // The same run at each lane width, in one chunk on one thread (the same
    // outcomes at every width; four lanes use AVX2 where the processor has it).
    let mut group = c.benchmark_group("lane-width");
    group.sample_size(10);
    group.throughput(Throughput::Elements(scenario.paths * scenario.steps));
    for width in LaneWidth::ALL {
        let name = format!("{} lane(s), hull-mc", width.lanes());
        group.bench_function(name, |b| {
            b.iter(|| RunSummary::of(&engine.run_chunk_at(0..scenario.paths, width)[0]))
        });
    }
    group.finish();
}

/// The book workloads (keep equal to `BOOKS` in bench/workload.mjs): the
/// default short call, a 4-leg book, and that book delta-gamma hedged with a
/// half-year call; 10,000 paths × 252 steps, the scenario's own strategy.
const BOOKS: [(&str, &str); 3] = [
    ("one leg", "v=1&paths=10000&steps=252"),
    (
        "4 legs, delta",
        "v=1&paths=10000&steps=252&legs=-100c90_100c95_100c105_-100c110",
    ),
    (
        "4 legs, delta-gamma",
        "v=1&paths=10000&steps=252&legs=-100c90_100c95_100c105_-100c110&greeks=delta-gamma&with=c100@0.5",
    ),
];

fn books(c: &mut Criterion) {
    summaries_of_links(c, "books", &BOOKS);
}

/// One benchmark group named `group`: for each `(name, link)`, the summary of
/// the link's own strategy over all its paths, on one thread.
fn summaries_of_links(c: &mut Criterion, group: &str, links: &[(&str, &str)]) {
    let mut group = c.benchmark_group(group);
    group.sample_size(10);
    for &(name, query) in links {
        let scenario = match Scenario::parse(query) {
            Ok(s) => s,
            Err(e) => panic!("{name}: {e}"),
        };
        let engine = Engine::for_plan(&Plan::new(&scenario));
        group.throughput(Throughput::Elements(scenario.paths * scenario.steps));
        group.bench_function(name, |b| {
            b.iter(|| RunSummary::of(&engine.run(scenario.paths, 256).by_hedger[0]))
        });
    }
    group.finish();
}

/// The path models (keep equal to `MODELS` in bench/report.mjs): the default
/// short call hedged with the Black–Scholes delta every day on GBM, Merton,
/// Heston and Bates paths, 10,000 paths × 252 steps (the Heston issue's
/// target: Heston within 2× the GBM time).
const MODELS: [(&str, &str); 4] = [
    ("gbm", "v=1&paths=10000&steps=252"),
    ("merton", "v=1&paths=10000&steps=252&jumps=1"),
    ("heston", "v=1&paths=10000&steps=252&model=heston"),
    ("bates", "v=1&paths=10000&steps=252&model=heston&jumps=1"),
];

fn models(c: &mut Criterion) {
    summaries_of_links(c, "models", &MODELS);
}

criterion_group!(benches, hull_mc, books, models);
criterion_main!(benches, parts);

/// The parts of a path-step, to see where the time goes.
fn components(c: &mut Criterion) {
    use hedge_explorer::paths::rng::PathRng;
    use hedge_explorer::pricing::fastmath::Exp;
    use hedge_explorer::pricing::normal;
    let n = 10_000u64;
    let mut group = c.benchmark_group("components");
    group.sample_size(20);
    group.throughput(Throughput::Elements(n));
    group.bench_function("normal draw", |b| {
        let mut rng = PathRng::for_path(1, 2);
        b.iter(|| (0..n).map(|_| rng.normal()).sum::<f64>())
    });
    group.bench_function("uniform draw", |b| {
        let mut rng = PathRng::for_path(1, 2);
        b.iter(|| (0..n).map(|_| rng.uniform()).sum::<f64>())
    });
    let exp = Exp::new();
    group.bench_function("fast exp", |b| {
        b.iter(|| (0..n).map(|i| exp.exp(i as f64 * 1e-4)).sum::<f64>())
    });
    group.bench_function("libm exp", |b| {
        b.iter(|| (0..n).map(|i| libm::exp(i as f64 * 1e-4)).sum::<f64>())
    });
    let table = normal::cdf_table();
    group.bench_function("table N", |b| {
        b.iter(|| {
            (0..n)
                .map(|i| table.cdf(i as f64 * 7e-4 - 3.5))
                .sum::<f64>()
        })
    });
    group.finish();
}

criterion_group!(parts, components);
