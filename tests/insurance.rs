//! Portfolio insurance against independent references: the synthetic put
//! converges to the bought put (Black–Scholes replication), CPPI to its
//! continuous-time closed form and, in discrete time, to its exact recursion;
//! jumps break the dynamic floors but not the bought put's; the put's sizing
//! against a separate solve with a separate Black–Scholes; costs conserved.

mod common;

use hedge_explorer::hedging::costs::CostModel;
use hedge_explorer::hedging::rules::{BandTarget, RebalanceRule};
use hedge_explorer::insurance::cppi::cppi_gamma;
use hedge_explorer::insurance::synthetic::{puts_value, synthetic_gamma};
use hedge_explorer::insurance::{
    is_breach, size_put, summarize, InsuranceError, InsuranceKind, InsuranceOutcome, InsuranceRow,
    InsuranceSetup, Insurer, PutBudget,
};
use hedge_explorer::paths::{JumpDiffusion, Jumps, PathBuffer, PathSource, TimeGrid};

const QUANTITY: f64 = 100.0;
const SPOT: f64 = 100.0;
/// Every kind of share cost at once, for the tests with costs.
const COSTS: CostModel = CostModel {
    fee: 5.0,
    proportional: 0.002,
    impact: 0.001,
};

fn setup(kind: InsuranceKind, steps: usize) -> InsuranceSetup {
    InsuranceSetup {
        kind,
        quantity: QUANTITY,
        spot: SPOT,
        floor: 0.9,
        multiplier: 4.0,
        cap: 1.0,
        rate: 0.03,
        dividend: 0.02,
        hedging_vol: 0.2,
        costs: CostModel::FREE,
        option_cost: 0.0,
        rule: RebalanceRule::Every { interval: 1 },
        grid: TimeGrid::even(1.0, steps),
    }
}

fn insurer(setup: InsuranceSetup) -> Insurer {
    match Insurer::new(setup.clone()) {
        Ok(insurer) => insurer,
        Err(e) => panic!("test setup {setup:?} is invalid: {e}"),
    }
}

/// GBM (no jumps) paths with realised vol = the setup's hedging vol and a drift
/// away from the rate (replication does not depend on it).
fn gbm(s: &InsuranceSetup, seed: u64) -> JumpDiffusion {
    JumpDiffusion {
        spot: s.spot,
        drift: 0.08,
        dividend: s.dividend,
        vol: s.hedging_vol,
        jumps: Jumps::NONE,
        grid: s.grid.clone(),
        seed,
    }
}

fn paths(source: &impl PathSource, count: u64) -> Vec<PathBuffer> {
    (0..count)
        .map(|i| {
            let mut path = PathBuffer::new(source.grid().steps);
            source.fill(i, &mut path);
            path
        })
        .collect()
}

fn run_all(insurer: &Insurer, paths: &[PathBuffer]) -> Vec<InsuranceOutcome> {
    paths.iter().map(|p| insurer.run(p)).collect()
}

fn rms(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0.0), |(s, n), v| (s + v * v, n + 1.0));
    libm::sqrt(sum / count)
}

/// N(x) from `erfc`, independent of the crate's pricing.
fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
}

fn normal_pdf(x: f64) -> f64 {
    libm::exp(-0.5 * x * x) / libm::sqrt(2.0 * core::f64::consts::PI)
}

/// Black–Scholes `d1 = (ln(S/K) + (r − q + σ²/2)τ)/(σ√τ)` (Hull), for this
/// file's put formulas.
fn d1(s: f64, k: f64, tau: f64, r: f64, q: f64, vol: f64) -> f64 {
    (libm::log(s / k) + (r - q + 0.5 * vol * vol) * tau) / (vol * libm::sqrt(tau))
}

/// Black–Scholes put (Hull), written out here as an independent reference.
fn put_price(s: f64, k: f64, tau: f64, r: f64, q: f64, vol: f64) -> f64 {
    let d1 = d1(s, k, tau, r, q, vol);
    let d2 = d1 - vol * libm::sqrt(tau);
    k * libm::exp(-r * tau) * normal_cdf(-d2) - s * libm::exp(-q * tau) * normal_cdf(-d1)
}

/// Vega of one put (per 1.00 of vol), for Derman–Kamal.
fn put_vega(s: f64, k: f64, tau: f64, r: f64, q: f64, vol: f64) -> f64 {
    let d1 = d1(s, k, tau, r, q, vol);
    s * libm::exp(-q * tau) * normal_pdf(d1) * libm::sqrt(tau)
}

/// (a) Black–Scholes replication: with the paths' vol equal to the hedging vol,
/// no jumps and no costs, the synthetic put's horizon value tends path by path
/// to the bought put's as rebalancing gets finer. The reference size of the
/// gap is Derman–Kamal's hedging error of `n` puts over `N` rebalances,
/// `√(π/4)·n·vega·σ/√N` (in money at t = 0; ×e^{rT} at the horizon): the RMS
/// gap must stay within 1.5 times it, shrink about 4-fold from 250 to 4,000
/// steps (√16), and the floor must hold to within 4 such errors on every path.
#[test]
fn synthetic_put_converges_to_the_bought_put_without_jumps() {
    // Without dividends the bought put ends exactly on its floor when exercised,
    // so the floor check is tight; with them, dividends are part of the replication.
    for dividend in [0.0, 0.02] {
        let mut gaps = Vec::new();
        for steps in [250, 4_000] {
            let synthetic = InsuranceSetup {
                dividend,
                ..setup(InsuranceKind::SyntheticPut, steps)
            };
            let bought = InsuranceSetup {
                kind: InsuranceKind::BoughtPut,
                ..synthetic.clone()
            };
            let (synthetic, bought) = (insurer(synthetic), insurer(bought));
            let s = synthetic.setup().clone();
            let position = *synthetic
                .put_position()
                .expect("a synthetic put has a position");
            assert_eq!(
                Some(&position),
                bought.put_position(),
                "no costs: same n and K"
            );
            let sample = paths(&gbm(&s, 11), 200);
            let horizon_money = libm::exp(s.rate * s.grid.horizon);
            let vega = put_vega(
                s.spot,
                position.strike,
                1.0,
                s.rate,
                s.dividend,
                s.hedging_vol,
            );
            let derman_kamal =
                libm::sqrt(core::f64::consts::PI / 4.0) * position.count * vega * s.hedging_vol
                    / libm::sqrt(steps as f64)
                    * horizon_money;
            let mut gap_sq = Vec::new();
            let mut lowest = f64::INFINITY;
            for path in &sample {
                let (syn, put) = (synthetic.run(path), bought.run(path));
                let floor = synthetic.floor();
                assert!(
                    put.terminal >= floor * (1.0 - 1e-12),
                    "bought put below its floor"
                );
                assert!(
                syn.terminal >= floor - 4.0 * derman_kamal,
                "{steps} steps: synthetic {} below the floor {floor} by more than 4 × {derman_kamal}",
                syn.terminal
            );
                gap_sq.push(syn.terminal - put.terminal);
                lowest = lowest.min(syn.terminal - floor);
            }
            let gap = rms(gap_sq.into_iter());
            println!(
            "q = {dividend}, {steps} steps: RMS(synthetic − bought) = {gap:.3} on V0 = {}, Derman–Kamal {derman_kamal:.3}, \
             lowest synthetic − floor {lowest:.3}",
            s.quantity * s.spot
        );
            assert!(
                gap < 1.5 * derman_kamal,
                "{steps} steps: RMS gap {gap} vs Derman–Kamal {derman_kamal}"
            );
            gaps.push(gap);
        }
        let ratio = gaps[0] / gaps[1];
        assert!(
            (2.5..6.5).contains(&ratio),
            "the gap shrinks like 1/√N: 250 → 4,000 steps should divide it by ≈ 4, got {ratio}"
        );
    }
}

/// The synthetic put's holdings against this file's own delta,
/// `n·(1 − e^{−qτ}N(−d1))`: exactly on it every step under `every 1`, and
/// within `band·n` of it after every date under a band rule (band in shares per
/// put replicated).
#[test]
fn synthetic_put_holds_n_times_one_plus_the_put_delta() {
    let steps = 50;
    let band = 0.05;
    for rule in [
        RebalanceRule::Every { interval: 1 },
        RebalanceRule::Band {
            half_width: band,
            to: BandTarget::Edge,
        },
    ] {
        let s = InsuranceSetup {
            rule,
            ..setup(InsuranceKind::SyntheticPut, steps)
        };
        let synthetic = insurer(s.clone());
        let position = *synthetic.put_position().expect("a position");
        for path in paths(&gbm(&s, 17), 20) {
            let mut rows = Vec::new();
            synthetic.run_recorded(&path, &mut rows);
            for row in &rows[..steps] {
                let tau = 1.0 - row.time;
                let d1 = d1(
                    row.spot,
                    position.strike,
                    tau,
                    s.rate,
                    s.dividend,
                    s.hedging_vol,
                );
                let target =
                    position.count * (1.0 - libm::exp(-s.dividend * tau) * normal_cdf(-d1));
                let allowed = match rule {
                    RebalanceRule::Every { .. } => 1e-9 * position.count,
                    _ => band * position.count * (1.0 + 1e-12),
                };
                assert!(
                    (row.shares - target).abs() <= allowed,
                    "{rule:?} step {}: {} vs {target}",
                    row.step,
                    row.shares
                );
            }
        }
    }
}

/// (b) CPPI in continuous time. With `h` shares, cash `B = V − hS`, dividends
/// `q` on the shares and `r` on cash: `dV = h(dS + qS dt) + r(V − hS) dt`.
/// The floor's present value `F_t = F e^{−r(T−t)}` has `dF_t = r F_t dt`, so
/// with the exposure `hS = mC` (uncapped: cap ≥ m, as `C ≤ V`) the cushion
/// `C = V − F_t` follows
///
/// ```text
/// dC = mC (dS/S + q dt) + r(V − mC − F_t) dt = C [m dS/S + (mq + r(1 − m)) dt].
/// ```
///
/// With `dS/S = (μ − q) dt + σ dW`, Itô gives
/// `d ln C = [mμ + r(1 − m) − m²σ²/2] dt + mσ dW`, and eliminating
/// `σW_t = ln(S_t/S_0) − (μ − q − σ²/2) t`:
///
/// ```text
/// C_t = C_0 (S_t/S_0)^m exp([r − m(r − q) − m(m − 1)σ²/2] t),   V_t = F_t + C_t.
/// ```
///
/// (μ drops out: the closed form is a function of the path's end.) Discrete
/// rebalancing makes `ln C` err per step by `m(m − 1)(x² − σ²Δt)/2`, `x` the
/// log return: over `N` steps an RMS of `m(m − 1)σ²T/√(2N)`; the test checks
/// the RMS log error against 1.5 times that and its 4-fold fall from 250 to
/// 4,000 steps.
#[test]
fn cppi_converges_to_its_continuous_time_closed_form() {
    let mut errors = Vec::new();
    for steps in [250, 4_000] {
        let s = InsuranceSetup {
            cap: 10.0,
            ..setup(InsuranceKind::Cppi, steps)
        };
        let cppi = insurer(s.clone());
        let (m, r, q, vol, t) = (s.multiplier, s.rate, s.dividend, s.hedging_vol, 1.0);
        let floor = s.floor * s.quantity * s.spot;
        let cushion_0 = s.quantity * s.spot - floor * libm::exp(-r * t);
        let growth = libm::exp((r - m * (r - q) - 0.5 * m * (m - 1.0) * vol * vol) * t);
        let log_errors: Vec<f64> = paths(&gbm(&s, 5), 200)
            .iter()
            .map(|path| {
                let end = path.spot[steps] / s.spot;
                let closed_form = cushion_0 * libm::pow(end, m) * growth;
                let cushion = cppi.run(path).terminal - floor;
                assert!(
                    cushion > 0.0,
                    "no step of a 20 % vol path falls by 1/m = 25 %"
                );
                libm::log(cushion / closed_form)
            })
            .collect();
        let error = rms(log_errors.into_iter());
        let predicted = m * (m - 1.0) * vol * vol * t / libm::sqrt(2.0 * steps as f64);
        println!("{steps} steps: RMS ln(C_T / closed form) = {error:.5}, predicted {predicted:.5}");
        assert!(
            error < 1.5 * predicted,
            "{steps} steps: {error} vs {predicted}"
        );
        errors.push(error);
    }
    let ratio = errors[0] / errors[1];
    assert!(
        (2.5..6.5).contains(&ratio),
        "error ratio {ratio}, expected ≈ 4"
    );
}

/// A small deterministic generator for constructed paths (xorshift64*).
struct Xorshift(u64);

impl Xorshift {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A CPPI setup on a constructed path: `r = q = 0`, no costs, every step, cap
/// at `m` (so it never binds: `C ≤ V`).
fn discrete_cppi(steps: usize) -> Insurer {
    insurer(InsuranceSetup {
        rate: 0.0,
        dividend: 0.0,
        floor: 0.8,
        cap: 4.0,
        ..setup(InsuranceKind::Cppi, steps)
    })
}

/// A breach is a horizon value below the floor by more than a billionth of
/// the floor: on a floor of 1,000 the line is 1,000 − 10⁻⁶, itself no breach.
#[test]
fn a_breach_is_below_the_floor_by_more_than_a_billionth_of_it() {
    let floor = 1_000.0;
    let line = floor - 1e-9 * floor;
    assert!(!is_breach(floor, floor), "on the floor");
    assert!(!is_breach(line, floor), "on the tolerance's line");
    assert!(!is_breach(floor - 5e-7, floor), "half a tolerance below");
    assert!(is_breach(floor - 2e-6, floor), "two tolerances below");
    assert!(is_breach(0.0, floor) && !is_breach(2.0 * floor, floor));
}

/// (c) In discrete time, with `r = q = 0` and no costs, a step of return `R`
/// takes the cushion to `C·(1 + m(R − 1))`: below 0 exactly when the drop
/// `1 − R` exceeds `1/m`, after which the strategy holds cash below the floor.
/// On 2,000 constructed paths the floor breaks exactly when one step's drop
/// exceeds 1/m, and unbroken paths end at `F + C_0·Π(1 + m(R_i − 1))`.
#[test]
fn cppi_breaks_its_floor_exactly_when_one_step_drops_more_than_one_over_m() {
    let steps = 20;
    let cppi = discrete_cppi(steps);
    let m = cppi.setup().multiplier;
    let floor = cppi.floor();
    let cushion_0 = QUANTITY * SPOT - floor;
    // Two hand-made paths either side of the threshold.
    for (drop, breaks) in [(0.249, false), (0.251, true)] {
        let mut spots = vec![SPOT; steps + 1];
        for spot in &mut spots[5..] {
            *spot = SPOT * (1.0 - drop);
        }
        let outcome = cppi.run(&PathBuffer::from_spots(&spots));
        assert_eq!(outcome.terminal < floor, breaks, "a single drop of {drop}");
        assert_eq!(is_breach(outcome.terminal, floor), breaks);
    }
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    let (mut broken, mut whole) = (0, 0);
    for _ in 0..2_000 {
        let mut spots = vec![SPOT];
        let mut product = 1.0;
        let mut big_drop = false;
        for _ in 0..steps {
            // Returns from −32 % to +15 %, mostly small: 1 in 8 steps a big move.
            let u = rng.uniform();
            let step_return = if rng.uniform() < 0.125 {
                -0.32 + 0.47 * u
            } else {
                -0.04 + 0.08 * u
            };
            let ratio = 1.0 + step_return;
            if (step_return + 1.0 / m).abs() < 1e-9 {
                continue; // no ties at the threshold
            }
            big_drop |= 1.0 - ratio > 1.0 / m;
            product *= 1.0 + m * (ratio - 1.0);
            spots.push(spots.last().unwrap_or(&SPOT) * ratio);
        }
        spots.resize(steps + 1, *spots.last().unwrap_or(&SPOT));
        let terminal = cppi.run(&PathBuffer::from_spots(&spots)).terminal;
        assert_eq!(terminal < floor, big_drop, "path {spots:?}");
        if big_drop {
            broken += 1;
        } else {
            whole += 1;
            let expected = floor + cushion_0 * product;
            assert!(
                (terminal - expected).abs() <= 1e-9 * expected,
                "{terminal} vs the recursion's {expected}"
            );
        }
    }
    println!("constructed paths: {broken} broke the floor, {whole} kept it");
    assert!(broken > 100 && whole > 100, "both cases are exercised");
}

/// Once its cushion is gone CPPI sells every share and stays in cash for good,
/// even under band rules that would leave some shares, and even when the price
/// recovers.
#[test]
fn cppi_goes_to_cash_for_good_once_its_cushion_is_gone() {
    let steps = 20;
    let gap = 5;
    let mut spots = vec![SPOT; steps + 1];
    for (i, spot) in spots.iter_mut().enumerate().skip(gap) {
        // −30 % at the gap (beyond 1/m = 25 %), then a recovery to +20 %.
        *spot = if i < 10 { 70.0 } else { 120.0 };
    }
    let path = PathBuffer::from_spots(&spots);
    let rules = [
        RebalanceRule::Every { interval: 1 },
        RebalanceRule::Band {
            half_width: 0.05,
            to: BandTarget::Edge,
        },
        RebalanceRule::Band {
            half_width: 0.05,
            to: BandTarget::Target,
        },
        RebalanceRule::WhalleyWilmott { risk_aversion: 1.0 },
    ];
    for rule in rules {
        let cppi = insurer(InsuranceSetup {
            rate: 0.0,
            dividend: 0.0,
            floor: 0.8,
            cap: 4.0,
            rule,
            costs: CostModel {
                fee: 0.0,
                proportional: 0.001,
                impact: 0.0,
            },
            ..setup(InsuranceKind::Cppi, steps)
        });
        let mut rows = Vec::new();
        let outcome = cppi.run_recorded(&path, &mut rows);
        assert!(
            rows[..gap].iter().all(|row| row.shares > 0.0),
            "{rule:?}: invested before the gap"
        );
        assert!(
            rows[gap..].iter().all(|row| row.shares == 0.0),
            "{rule:?}: {rows:?}"
        );
        assert!(rows[gap + 1..].iter().all(|row| row.trade == 0.0));
        assert!(
            outcome.terminal < cppi.floor(),
            "{rule:?}: the gap broke the floor"
        );
    }
}

/// (d) Merton jumps of about −30 % (more than 1/m = 25 % in one step) break the
/// floor of CPPI and of the synthetic put (whose delta cannot follow a gap) on
/// some paths, never the bought put's, whose costs are paid out of `V_0`.
#[test]
fn with_jumps_dynamic_strategies_breach_and_the_bought_put_never_does() {
    let steps = 250;
    let base = setup(InsuranceKind::Unprotected, steps);
    let source = JumpDiffusion {
        jumps: Jumps {
            intensity: 0.5,
            mean: -0.35,
            sd: 0.05,
        },
        ..gbm(&base, 21)
    };
    let sample = paths(&source, 400);
    let outcomes = |s: InsuranceSetup| run_all(&insurer(s), &sample);
    let unprotected = outcomes(base.clone());
    let floor = base.floor * QUANTITY * SPOT;
    let summary = |kind, s: InsuranceSetup| {
        summarize(
            floor,
            &outcomes(InsuranceSetup { kind, ..s.clone() }),
            &unprotected,
        )
        .expect("same paths, not empty")
    };
    let costly = InsuranceSetup {
        costs: COSTS,
        option_cost: 0.02,
        ..base.clone()
    };
    for s in [base.clone(), costly] {
        let put = summary(InsuranceKind::BoughtPut, s);
        assert_eq!(put.breach, 0.0, "{put:?}");
        assert_eq!(put.shortfall, None);
        // (Its upside is not below 1 here: puts priced at the diffusion's vol are
        // cheap against jumps of −30 %, so no assertion on it.)
        println!("bought put with jumps: {put:?}");
    }
    for kind in [InsuranceKind::SyntheticPut, InsuranceKind::Cppi] {
        let dynamic = summary(kind, base.clone());
        println!("{kind:?} with jumps: {dynamic:?}");
        assert!(dynamic.breach > 0.0, "{kind:?}: {dynamic:?}");
        let shortfall = dynamic.shortfall.expect("a breach has a shortfall");
        assert!(shortfall > 0.0 && shortfall < floor);
    }
}

/// (e) The put's sizing: `n·K = F`, the spend is `V_0`, and `K` agrees with a
/// separate solve — bisection on `K` (not `n`) with this file's Black–Scholes
/// and the cost formula written out — with and without costs.
#[test]
fn put_sizing_spends_the_portfolio_and_secures_the_floor() {
    let plain = setup(InsuranceKind::BoughtPut, 50);
    let costly = InsuranceSetup {
        costs: COSTS,
        option_cost: 0.02,
        ..plain.clone()
    };
    let high_floor = InsuranceSetup {
        floor: 1.0,
        ..costly.clone()
    };
    for (s, budget) in [
        (plain.clone(), PutBudget::Traded),
        (costly.clone(), PutBudget::Traded),
        (costly, PutBudget::Model),
        (high_floor, PutBudget::Traded),
    ] {
        let position = size_put(&s, budget).expect("affordable");
        let (v0, floor) = (s.quantity * s.spot, s.floor * s.quantity * s.spot);
        let (oc, fee, c, impact) = match budget {
            PutBudget::Traded => (
                s.option_cost,
                s.costs.fee,
                s.costs.proportional,
                s.costs.impact,
            ),
            PutBudget::Model => (0.0, 0.0, 0.0, 0.0),
        };
        let put = |k: f64| put_price(s.spot, k, 1.0, s.rate, s.dividend, s.hedging_vol);
        let spend = |k: f64| {
            let n = floor / k;
            let sold = s.quantity - n;
            let share_cost = if sold != 0.0 {
                fee + c * sold * s.spot + impact * sold * s.spot * sold / 1_000.0
            } else {
                0.0
            };
            n * s.spot + n * put(k) * (1.0 + oc) + fee + share_cost
        };
        let strike = common::bisect(|k| spend(k) - v0, floor / s.quantity, 100.0 * s.spot);
        println!(
            "{budget:?}, floor {}: n = {}, K = {}, independent K = {strike}",
            s.floor, position.count, position.strike
        );
        assert!((position.count * position.strike - floor).abs() <= 1e-12 * floor);
        assert!(
            (spend(position.strike) - v0).abs() <= 1e-9 * v0,
            "spend = V0"
        );
        assert!(position.cash >= 0.0 && position.cash <= 1e-9 * v0);
        assert!(
            (position.strike - strike).abs() <= 1e-9 * strike,
            "{} vs {strike}",
            position.strike
        );
        assert!((position.premium - put(position.strike)).abs() <= 1e-9 * s.spot);
    }
    // With r = 0 and no costs a floor of V_0 costs all of V_0 (n·K = F ≤ n·(S_0 + P(K)))
    // with no puts left to buy: unaffordable.
    let at_par = InsuranceSetup {
        floor: 1.0,
        rate: 0.0,
        ..plain.clone()
    };
    assert!(matches!(
        size_put(&at_par, PutBudget::Traded),
        Err(InsuranceError::FloorUnaffordable { .. })
    ));
    assert!(Insurer::new(at_par.clone()).is_err());
    assert!(Insurer::new(InsuranceSetup {
        kind: InsuranceKind::Cppi,
        ..at_par.clone()
    })
    .is_ok());
}

/// (e′) The edges of the put's sizing. With no floor nothing is insured: every
/// share is kept and nothing bought. The least a floor `F` can cost is
/// `(1 + c_o)·F·e^{−rT} + fee + cost(sell all qty)` (puts of strike → ∞, every
/// share sold), written out here: a floor fraction just below the one where
/// that equals `V_0` is affordable, just above it is refused with that least cost.
#[test]
fn put_sizing_at_no_floor_and_at_the_least_cost_a_floor_can_have() {
    let plain = setup(InsuranceKind::BoughtPut, 50);
    let none = size_put(
        &InsuranceSetup {
            floor: 0.0,
            ..plain.clone()
        },
        PutBudget::Traded,
    )
    .expect("no floor is always affordable");
    assert_eq!(none.count, QUANTITY, "every share kept");
    assert_eq!((none.strike, none.premium, none.cash), (0.0, 0.0, 0.0));
    assert_eq!((none.option_cost, none.share_cost), (0.0, 0.0));

    let costly = InsuranceSetup {
        costs: COSTS,
        option_cost: 0.02,
        // A horizon other than 1, so that `r·T` is not `r/T`.
        grid: TimeGrid::even(0.5, 50),
        ..plain
    };
    let v0 = QUANTITY * SPOT;
    let sell_all = costly.costs.fee
        + costly.costs.proportional * QUANTITY * SPOT
        + costly.costs.impact * QUANTITY * SPOT * QUANTITY / 1_000.0;
    let discount = libm::exp(-costly.rate * 0.5);
    let least = |floor_fraction: f64| {
        (1.0 + costly.option_cost) * floor_fraction * v0 * discount + costly.costs.fee + sell_all
    };
    let edge = (v0 - costly.costs.fee - sell_all) / ((1.0 + costly.option_cost) * v0 * discount);
    let below = InsuranceSetup {
        floor: edge * (1.0 - 1e-6),
        ..costly.clone()
    };
    let position = size_put(&below, PutBudget::Traded).expect("just below the edge");
    assert!((position.count * position.strike - below.floor * v0).abs() <= 1e-9 * v0);
    assert!(position.cash >= 0.0 && position.cash <= 1e-9 * v0);
    let above = InsuranceSetup {
        floor: edge * (1.0 + 1e-6),
        ..costly
    };
    match size_put(&above, PutBudget::Traded) {
        Err(InsuranceError::FloorUnaffordable {
            floor,
            least_cost,
            initial_value,
        }) => {
            assert_eq!(initial_value, v0);
            assert!((floor - above.floor * v0).abs() <= 1e-12 * v0);
            let expected = least(above.floor);
            assert!(
                (least_cost - expected).abs() <= 1e-12 * expected,
                "least cost {least_cost} vs {expected}"
            );
        }
        other => panic!("just above the edge: {other:?}"),
    }
}

/// CPPI's gamma (for Whalley–Wilmott's band) is the curvature of the
/// continuous-time insured value in each regime, by a second difference of the
/// value written out: where the multiplier rules the cushion grows as `S^m`,
/// `V(S′) = F_pv + C·(S′/S)^m`; where the cap binds, `V(S′) = V·(S′/S)^cap`;
/// with no cushion the portfolio is cash, `V(S′) = V`.
#[test]
fn cppi_gamma_is_the_curvature_of_the_insured_value() {
    let spot = 80.0;
    let second_difference = |value: &dyn Fn(f64) -> f64| {
        let h = 0.01;
        (value(spot + h) - 2.0 * value(spot) + value(spot - h)) / (h * h)
    };
    // (value, floor's present value, m, cap): the multiplier rules (m·C = 40
    // below cap·V = 100, and m·C = 180 below cap·V = 200, where the cap's test
    // is a product, not a sum), then the cap binds (m·C = 160 above cap·V = 100
    // or 150: all in shares, V ∝ S, no curvature, and 1.5 times V in shares).
    for (value, floor_pv, m, cap) in [
        (100.0, 90.0, 4.0, 1.0),
        (100.0, 55.0, 4.0, 2.0),
        (100.0, 60.0, 4.0, 1.0),
        (100.0, 60.0, 4.0, 1.5),
    ] {
        let cushion: f64 = value - floor_pv;
        let continuous = |s: f64| {
            if m * cushion <= cap * value {
                floor_pv + cushion * libm::pow(s / spot, m)
            } else {
                value * libm::pow(s / spot, cap)
            }
        };
        let expected = second_difference(&continuous);
        let gamma = cppi_gamma(value, floor_pv, m, cap, spot);
        assert!(
            (gamma - expected).abs() < 1e-5 * expected.abs().max(1e-3),
            "V {value}, F {floor_pv}, m {m}, cap {cap}: {gamma} vs {expected}"
        );
    }
    assert_eq!(
        cppi_gamma(100.0, 100.0, 4.0, 1.0, spot),
        0.0,
        "no cushion: cash"
    );
    assert_eq!(cppi_gamma(100.0, 120.0, 4.0, 1.0, spot), 0.0);
}

/// The synthetic put's gamma (for Whalley–Wilmott's band) and the bought
/// puts' value (the ledger's put column) against this file's Black–Scholes put:
/// `n·∂²P/∂S²` by a second difference and `n·P`; both 0 without a floor.
#[test]
fn synthetic_gamma_and_puts_value_are_the_puts() {
    let s = InsuranceSetup {
        grid: TimeGrid::even(0.5, 50),
        ..setup(InsuranceKind::SyntheticPut, 50)
    };
    let position = size_put(&s, PutBudget::Model).expect("affordable");
    assert!(position.strike > 0.0 && position.count > 0.0);
    let put = |spot: f64, tau: f64| {
        put_price(
            spot,
            position.strike,
            tau,
            s.rate,
            s.dividend,
            s.hedging_vol,
        )
    };
    for (spot, tau) in [(100.0, 0.5), (90.0, 0.25), (110.0, 0.05)] {
        let h = 0.01;
        let curvature = (put(spot + h, tau) - 2.0 * put(spot, tau) + put(spot - h, tau)) / (h * h);
        let gamma = synthetic_gamma(&position, &s, spot, tau);
        assert!(
            (gamma - position.count * curvature).abs() < 1e-5 * position.count,
            "S {spot}, τ {tau}: gamma {gamma} vs {}",
            position.count * curvature
        );
        let value = puts_value(&position, &s, spot, tau);
        assert!(
            (value - position.count * put(spot, tau)).abs() < 1e-9 * position.count * spot,
            "S {spot}, τ {tau}: value {value}"
        );
    }
    let none = size_put(
        &InsuranceSetup {
            floor: 0.0,
            ..s.clone()
        },
        PutBudget::Model,
    )
    .expect("no floor");
    assert_eq!(synthetic_gamma(&none, &s, 100.0, 0.5), 0.0);
    assert_eq!(puts_value(&none, &s, 100.0, 0.5), 0.0);
}

/// (f) Costs are conserved: the synthetic put's trades depend only on the spot
/// and the shares held, never on its cash, so with costs it makes the same
/// trades as without, and ends lower by exactly the costs compounded to the
/// horizon. The same holds for a static CPPI (one initial trade). The costs
/// compounded to the horizon are also rebuilt from the ledger's rows.
#[test]
fn costs_lower_the_horizon_value_by_exactly_the_costs_paid() {
    let steps = 100;
    let free = setup(InsuranceKind::SyntheticPut, steps);
    let costs = CostModel {
        fee: 2.0,
        proportional: 0.003,
        impact: 0.002,
    };
    let sample = paths(
        &JumpDiffusion {
            jumps: Jumps {
                intensity: 2.0,
                mean: -0.1,
                sd: 0.1,
            },
            ..gbm(&free, 3)
        },
        100,
    );
    let band = RebalanceRule::Band {
        half_width: 0.05,
        to: BandTarget::Edge,
    };
    let cases = [
        (
            InsuranceKind::SyntheticPut,
            RebalanceRule::Every { interval: 1 },
        ),
        (
            InsuranceKind::SyntheticPut,
            RebalanceRule::Every { interval: 7 },
        ),
        (InsuranceKind::SyntheticPut, band),
        (InsuranceKind::Cppi, RebalanceRule::Static),
    ];
    for (kind, rule) in cases {
        let free = InsuranceSetup {
            kind,
            rule,
            ..free.clone()
        };
        let charged = InsuranceSetup {
            costs,
            ..free.clone()
        };
        let (without, with) = (insurer(free.clone()), insurer(charged));
        for path in &sample {
            let (a, b) = (without.run(path), with.run(path));
            assert_eq!(a.trades, b.trades, "{kind:?} {rule:?}: same trades");
            assert!(b.costs > 0.0);
            let gap = a.terminal - b.terminal;
            assert!(
                (gap - b.costs).abs() <= 1e-12 * a.terminal,
                "{kind:?} {rule:?}: {gap} vs costs {}",
                b.costs
            );
            // The ledger: each date's cost compounded at r to the horizon.
            let mut rows: Vec<InsuranceRow> = Vec::new();
            let recorded = with.run_recorded(path, &mut rows);
            assert_eq!(recorded, b, "recording changes nothing");
            let rebuilt: f64 = rows
                .iter()
                .map(|row| row.cost * libm::exp(free.rate * (1.0 - row.time)))
                .sum();
            assert!((rebuilt - b.costs).abs() <= 1e-9 * b.costs);
            let last = rows.last().expect("rows");
            assert_eq!(last.value, b.terminal);
        }
    }
}

/// The ledger's cash replayed from nothing but its spots, trades and costs,
/// and the holdings each kind keeps: the rule `none` holds the shares, like the
/// unprotected portfolio, and with no dividends that is `qty·S_T`.
#[test]
fn ledger_replays_and_rule_none_is_the_unprotected_portfolio() {
    let steps = 60;
    let s = InsuranceSetup {
        costs: CostModel {
            fee: 1.0,
            proportional: 0.001,
            impact: 0.0,
        },
        ..setup(InsuranceKind::Cppi, steps)
    };
    let sample = paths(&gbm(&s, 9), 20);
    let dt = 1.0 / steps as f64;
    for kind in [
        InsuranceKind::Cppi,
        InsuranceKind::SyntheticPut,
        InsuranceKind::BoughtPut,
    ] {
        let insured = insurer(InsuranceSetup { kind, ..s.clone() });
        for path in &sample {
            let mut rows = Vec::new();
            let outcome = insured.run_recorded(path, &mut rows);
            let (mut cash, mut held) = (0.0, QUANTITY);
            for row in &rows {
                if row.step > 0 {
                    cash *= libm::exp(s.rate * dt);
                    cash += held * row.spot * libm::expm1(s.dividend * dt);
                }
                cash -= row.trade * row.spot + row.cost;
                if row.step == 0 && row.puts > 0.0 {
                    let position = insured.put_position().expect("bought puts");
                    cash -= row.puts * position.premium;
                }
                held += row.trade;
                assert!((held - row.shares).abs() <= 1e-9 * QUANTITY);
                assert!(
                    (cash - row.cash).abs() <= 1e-9 * QUANTITY * SPOT,
                    "{kind:?} row {}",
                    row.step
                );
            }
            let end = path.spot[steps];
            let strike = insured.put_position().map_or(0.0, |p| p.strike);
            let puts = rows.last().map_or(0.0, |row| row.puts);
            let terminal = held * end + cash + puts * (strike - end).max(0.0);
            assert!((terminal - outcome.terminal).abs() <= 1e-9 * QUANTITY * SPOT);
        }
    }
    let no_dividends = InsuranceSetup {
        dividend: 0.0,
        rule: RebalanceRule::None,
        ..s.clone()
    };
    for kind in [
        InsuranceKind::Unprotected,
        InsuranceKind::SyntheticPut,
        InsuranceKind::Cppi,
    ] {
        let held = insurer(InsuranceSetup {
            kind,
            ..no_dividends.clone()
        });
        for path in &sample {
            let outcome = held.run(path);
            assert_eq!(outcome.terminal, QUANTITY * path.spot[steps], "{kind:?}");
            assert_eq!((outcome.trades, outcome.costs), (0, 0.0));
        }
    }
}

/// The summary's measures counted by hand on constructed outcomes.
#[test]
fn summary_counts_breaches_shortfall_and_upside() {
    let outcome = |terminal: f64| InsuranceOutcome {
        terminal,
        trades: 3,
        costs: 1.5,
        ..InsuranceOutcome::default()
    };
    let insured: Vec<_> = [95.0, 88.0, 90.0, 84.0].map(outcome).to_vec();
    let unprotected: Vec<_> = [120.0, 70.0, 100.0, 60.0].map(outcome).to_vec();
    let summary = summarize(90.0, &insured, &unprotected).expect("four paths");
    assert_eq!(summary.breach, 0.5, "88 and 84 are below 90; 90 is not");
    assert_eq!(summary.shortfall, Some((2.0 + 6.0) / 2.0));
    assert_eq!(summary.upside, Some(357.0 / 350.0));
    assert_eq!((summary.mean_costs, summary.mean_trades), (1.5, 3.0));
    let safe = summarize(80.0, &insured, &unprotected).expect("four paths");
    assert_eq!((safe.breach, safe.shortfall), (0.0, None));
    // An unprotected portfolio that ends with nothing leaves no ratio to give
    // (found by tests/extremes.rs: jumps took the price to 1e−150 and the
    // ratio to infinity).
    let wiped: Vec<_> = [0.0, 0.0, 0.0, 0.0].map(outcome).to_vec();
    assert_eq!(
        summarize(90.0, &insured, &wiped).map(|s| s.upside),
        Some(None)
    );
    // Nor to one that ends below nothing (a dividend yield of −50 % paid for
    // 30 years at 100 %, say): a negative ratio would say nothing.
    let owing: Vec<_> = [10.0, -30.0, 0.0, -20.0].map(outcome).to_vec();
    assert_eq!(
        summarize(90.0, &insured, &owing).map(|s| s.upside),
        Some(None)
    );
    assert!(summarize(90.0, &[], &[]).is_none());
    assert!(summarize(90.0, &insured, &unprotected[..3]).is_none());
    for kind in InsuranceKind::ALL {
        assert_eq!(InsuranceKind::from_key(kind.key()), Some(kind));
        let json = serde_json::to_string(&kind).expect("a kind serializes");
        assert_eq!(json, format!("\"{}\"", kind.key()), "serialized as its key");
    }
}

/// On a grid of real dates (a weekend is three nights) each step compounds over
/// its own length: the unprotected shares' dividends, `qty·S_{i+1}·(e^{qΔt_i} − 1)`
/// at `t_{i+1}`, each grown by `e^{r(T − t_{i+1})}`, summed here from the dates
/// themselves; a CPPI with multiplier 0 is all cash from `t_0` and ends at
/// `V_0·e^{rT}`.
#[test]
fn dated_grids_compound_each_step_over_its_own_length() {
    let days = [
        0.0, 1.0, 2.0, 3.0, 4.0, 7.0, 8.0, 9.0, 10.0, 11.0, 14.0, 15.0,
    ];
    let times: Vec<f64> = days.iter().map(|d| d / 365.0).collect();
    let grid = TimeGrid::dated(times.clone());
    let horizon = grid.horizon;
    let (rate, dividend) = (0.05, 0.03);
    let s = InsuranceSetup {
        rate,
        dividend,
        grid,
        ..setup(InsuranceKind::Unprotected, 1)
    };
    let spots: Vec<f64> = (0..days.len())
        .map(|i| SPOT + 10.0 * (i % 4) as f64)
        .collect();
    let path = PathBuffer::from_spots(&spots);
    let last = days.len() - 1;
    let dividends: f64 = (0..last)
        .map(|i| {
            QUANTITY
                * spots[i + 1]
                * libm::expm1(dividend * (times[i + 1] - times[i]))
                * libm::exp(rate * (horizon - times[i + 1]))
        })
        .sum();
    let expected = QUANTITY * spots[last] + dividends;
    let unprotected = insurer(s.clone()).run(&path).terminal;
    assert!(
        (unprotected - expected).abs() <= 1e-12 * expected,
        "{unprotected} vs {expected}"
    );
    let cash_only = InsuranceSetup {
        kind: InsuranceKind::Cppi,
        multiplier: 0.0,
        ..s
    };
    let v0 = QUANTITY * SPOT;
    let terminal = insurer(cash_only).run(&path).terminal;
    let growth = libm::exp(rate * horizon);
    assert!(
        (terminal - v0 * growth).abs() <= 1e-12 * v0,
        "{terminal} vs {}",
        v0 * growth
    );
}

/// The Black–Scholes put's delta and gamma, written out (Hull).
fn put_delta_gamma(s: f64, k: f64, tau: f64, r: f64, q: f64, vol: f64) -> (f64, f64) {
    let d1 = d1(s, k, tau, r, q, vol);
    let carry = libm::exp(-q * tau);
    (
        carry * (normal_cdf(d1) - 1.0),
        carry * normal_pdf(d1) / (s * vol * libm::sqrt(tau)),
    )
}

/// The opening value and Greeks each kind reports: `n` shares and `n` puts
/// (bought or replicated) against this file's Black–Scholes put; CPPI its
/// value with the delta of its exposure `min(m·C, cap·V)/S` and the gamma
/// `m(m − 1)·C/S²`; the unprotected portfolio its shares; puts of strike 0
/// (no floor) nothing but the shares.
#[test]
fn opening_greeks_are_the_shares_and_the_puts() {
    let s = setup(InsuranceKind::BoughtPut, 50);
    let (tau, r, q, vol) = (1.0, s.rate, s.dividend, s.hedging_vol);
    let close = |a: f64, b: f64, scale: f64, what: &str| {
        assert!((a - b).abs() <= 1e-9 * scale, "{what}: {a} vs {b}");
    };
    for kind in [InsuranceKind::BoughtPut, InsuranceKind::SyntheticPut] {
        let insured = insurer(InsuranceSetup { kind, ..s.clone() });
        let position = *insured.put_position().expect("puts");
        let (n, k) = (position.count, position.strike);
        assert!(n > 0.0 && n < QUANTITY && k > 0.0, "{position:?}");
        let put = put_price(SPOT, k, tau, r, q, vol);
        let (delta, gamma) = put_delta_gamma(SPOT, k, tau, r, q, vol);
        let g = insured.opening_greeks();
        close(g.price, n * SPOT + n * put, QUANTITY * SPOT, "price");
        close(g.delta, n * (1.0 + delta), QUANTITY, "delta");
        close(g.gamma, n * gamma, QUANTITY * gamma, "gamma");
    }
    let cppi = insurer(InsuranceSetup {
        kind: InsuranceKind::Cppi,
        ..s.clone()
    });
    let value = QUANTITY * SPOT;
    let cushion = value - 0.9 * value * libm::exp(-r * tau);
    let exposure = (4.0 * cushion).min(value);
    assert!(exposure < value, "the multiplier rules: {exposure}");
    let g = cppi.opening_greeks();
    close(g.price, value, value, "CPPI value");
    close(g.delta, exposure / SPOT, QUANTITY, "CPPI delta");
    close(
        g.gamma,
        4.0 * 3.0 * cushion / (SPOT * SPOT),
        1.0,
        "CPPI gamma",
    );
    let unprotected = insurer(InsuranceSetup {
        kind: InsuranceKind::Unprotected,
        ..s.clone()
    })
    .opening_greeks();
    assert_eq!(
        (unprotected.price, unprotected.delta, unprotected.gamma),
        (value, QUANTITY, 0.0)
    );
    let no_floor = insurer(InsuranceSetup {
        floor: 0.0,
        ..s.clone()
    });
    let g = no_floor.opening_greeks();
    let n = no_floor.put_position().expect("a position").count;
    assert_eq!(
        (g.price, g.delta, g.gamma, g.vega, g.theta, g.rho),
        (n * SPOT, n, 0.0, 0.0, 0.0, 0.0)
    );
}

/// The bought put's one option trade: counted once, and its cost and the
/// share sale's (from the sizing) compounded at r to the horizon; with no
/// floor, no puts and no option trade.
#[test]
fn the_bought_put_counts_its_option_trade_and_compounds_its_costs() {
    let s = InsuranceSetup {
        costs: COSTS,
        option_cost: 0.01,
        ..setup(InsuranceKind::BoughtPut, 40)
    };
    let growth = libm::exp(s.rate * 1.0);
    let bought = insurer(s.clone());
    let position = *bought.put_position().expect("puts");
    assert!(
        position.option_cost > 0.0 && position.share_cost > 0.0,
        "{position:?}"
    );
    for path in &paths(&gbm(&s, 5), 5) {
        let outcome = bought.run(path);
        assert_eq!(outcome.option_trades, 1);
        let option_costs = position.option_cost * growth;
        assert!((outcome.option_costs - option_costs).abs() <= 1e-12 * option_costs);
        let costs = (position.option_cost + position.share_cost) * growth;
        assert!(
            (outcome.costs - costs).abs() <= 1e-12 * costs,
            "{} vs {costs}",
            outcome.costs
        );
    }
    let no_floor = insurer(InsuranceSetup { floor: 0.0, ..s });
    let outcome = no_floor.run(&paths(&gbm(&setup(InsuranceKind::BoughtPut, 40), 5), 1)[0]);
    assert_eq!((outcome.option_trades, outcome.option_costs), (0, 0.0));
}

/// The ledger's trades: none at the horizon (the portfolio is only valued
/// there), and the outcome counts exactly the dates whose shares changed — a
/// band leaves some dates untraded. Each row's value is its shares, its cash
/// and its puts at this file's Black–Scholes price (the payoff at the horizon).
#[test]
fn ledger_rows_trade_before_the_horizon_and_value_the_puts() {
    let steps = 40;
    let band = RebalanceRule::Band {
        half_width: 0.05,
        to: BandTarget::Target,
    };
    for kind in [
        InsuranceKind::SyntheticPut,
        InsuranceKind::Cppi,
        InsuranceKind::BoughtPut,
    ] {
        let s = InsuranceSetup {
            costs: COSTS,
            rule: band,
            ..setup(kind, steps)
        };
        let insured = insurer(s.clone());
        let (mut traded, mut dates) = (0, 0);
        for path in &paths(&gbm(&s, 13), 10) {
            let mut rows = Vec::new();
            let outcome = insured.run_recorded(path, &mut rows);
            let last = &rows[steps];
            assert_eq!(
                (last.trade, last.cost),
                (0.0, 0.0),
                "{kind:?}: no trade at the horizon"
            );
            let changed = rows.iter().filter(|row| row.trade != 0.0).count();
            assert_eq!(outcome.trades as usize, changed, "{kind:?}");
            traded += changed;
            dates += steps;
            for row in &rows[..steps] {
                let puts = match insured.put_position() {
                    Some(p) if row.puts > 0.0 => {
                        let tau = 1.0 - row.time;
                        row.puts
                            * put_price(row.spot, p.strike, tau, s.rate, s.dividend, s.hedging_vol)
                    }
                    _ => 0.0,
                };
                let value = row.shares * row.spot + row.cash + puts;
                assert!(
                    (row.value - value).abs() <= 1e-9 * QUANTITY * SPOT,
                    "{kind:?} step {}: {} vs {value}",
                    row.step,
                    row.value
                );
            }
            assert_eq!(last.value, outcome.terminal);
        }
        if kind != InsuranceKind::BoughtPut {
            assert!(
                traded > 0 && traded < dates,
                "{kind:?}: {traded} of {dates}"
            );
        }
    }
}

/// A setup left unprotected holds its shares whatever kind it names: the
/// unprotected portfolio's outcome, date by date.
#[test]
fn an_insurer_left_unprotected_is_the_unprotected_portfolio() {
    let s = setup(InsuranceKind::BoughtPut, 30);
    let unprotected = insurer(InsuranceSetup {
        kind: InsuranceKind::Unprotected,
        ..s.clone()
    });
    for kind in [
        InsuranceKind::BoughtPut,
        InsuranceKind::SyntheticPut,
        InsuranceKind::Cppi,
    ] {
        let left = Insurer::unprotected(InsuranceSetup { kind, ..s.clone() });
        for path in &paths(&gbm(&s, 21), 3) {
            assert_eq!(left.run(path), unprotected.run(path), "{kind:?}");
        }
    }
}

/// Every input of a setup checked, each at the edge of what is allowed: 0 where
/// "≥ 0" is asked (accepted) and just below (refused with that input's
/// message), "> 0" refused at 0, and anything not finite refused.
#[test]
fn a_setup_is_refused_naming_the_input_out_of_range() {
    let good = setup(InsuranceKind::Cppi, 10);
    assert_eq!(good.validate(), Ok(()));
    type Edit = fn(&mut InsuranceSetup, f64);
    let at_least_zero: [(Edit, &str); 8] = [
        (|s, x| s.floor = x, "floor must be ≥ 0"),
        (|s, x| s.multiplier = x, "multiplier must be ≥ 0"),
        (|s, x| s.cap = x, "cap must be ≥ 0"),
        (|s, x| s.hedging_vol = x, "hedging vol must be ≥ 0"),
        (|s, x| s.option_cost = x, "option cost must be ≥ 0"),
        (|s, x| s.costs.fee = x, "fee must be ≥ 0"),
        (|s, x| s.costs.proportional = x, "cost must be ≥ 0"),
        (|s, x| s.costs.impact = x, "impact must be ≥ 0"),
    ];
    for (edit, why) in at_least_zero {
        let mut zero = good.clone();
        edit(&mut zero, 0.0);
        assert_eq!(zero.validate(), Ok(()), "{why} at 0");
        let mut below = good.clone();
        edit(&mut below, -1e-12);
        assert_eq!(below.validate(), Err(InsuranceError::Invalid(why)));
    }
    let positive: [(Edit, &str); 3] = [
        (|s, x| s.quantity = x, "quantity must be > 0"),
        (|s, x| s.spot = x, "spot must be > 0"),
        (
            |s, x| s.grid = TimeGrid::even(x, 10),
            "the grid needs a horizon > 0 and at least one step",
        ),
    ];
    for (edit, why) in positive {
        let mut zero = good.clone();
        edit(&mut zero, 0.0);
        assert_eq!(zero.validate(), Err(InsuranceError::Invalid(why)));
        let mut tiny = good.clone();
        edit(&mut tiny, 1e-9);
        assert_eq!(tiny.validate(), Ok(()), "{why}: 1e-9 is allowed");
    }
    let no_steps = InsuranceSetup {
        grid: TimeGrid::even(1.0, 0),
        ..good.clone()
    };
    assert_eq!(
        no_steps.validate(),
        Err(InsuranceError::Invalid(
            "the grid needs a horizon > 0 and at least one step"
        ))
    );
    let not_finite: [Edit; 9] = [
        |s, x| s.quantity = x,
        |s, x| s.spot = x,
        |s, x| s.floor = x,
        |s, x| s.multiplier = x,
        |s, x| s.cap = x,
        |s, x| s.rate = x,
        |s, x| s.dividend = x,
        |s, x| s.hedging_vol = x,
        |s, x| s.option_cost = x,
    ];
    for edit in not_finite {
        for x in [f64::INFINITY, f64::NAN] {
            let mut bad = good.clone();
            edit(&mut bad, x);
            assert!(bad.validate().is_err(), "{x} accepted: {bad:?}");
        }
    }
    let mut endless = good.clone();
    endless.grid = TimeGrid::even(f64::INFINITY, 10);
    assert_eq!(
        endless.validate(),
        Err(InsuranceError::Invalid("inputs must be finite"))
    );
    // What the reader is told.
    assert_eq!(
        InsuranceError::Invalid("cap must be ≥ 0").to_string(),
        "cap must be ≥ 0"
    );
    let unaffordable = InsuranceError::FloorUnaffordable {
        floor: 12_000.0,
        least_cost: 11_234.567,
        initial_value: 10_000.0,
    };
    assert_eq!(
        unaffordable.to_string(),
        "a floor of 12000.00 at the horizon costs at least 11234.57 today, \
         more than the portfolio's 10000.00"
    );
}
