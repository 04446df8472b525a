//! The hedger that knows the model (`price=heston`): an option book priced and
//! hedged with Heston's (Bates's) own value and delta at each path's spot *and
//! variance*, instead of Black–Scholes at one hedging vol.
//!
//! Under stochastic volatility a Black–Scholes delta at a fixed vol leaves the
//! hedge exposed to the variance's moves (and to the spot–variance correlation
//! ρ, which shifts the true delta). The Heston delta
//! `Δ = ∂V/∂S (S, v, τ)` — the model's own, from
//! [`crate::pricing::heston::heston_delta`] — removes the part of that risk that
//! shares can remove; what is left is the vega risk only an option hedges.
//!
//! **Where the numbers come from.**
//! - The premium and the book's Greeks at `t = 0` are exact: [`heston_price`]
//!   and [`heston_delta`]; gamma, vega and theta by central differences of
//!   them (vega per 1.00 of `√v`, the Heston counterpart of Black–Scholes'
//!   vega per 1.00 of σ).
//! - After `t = 0`, the hedge targets and a ledger's values and Greeks come
//!   from one [`HestonTable`] per leg (delta error ≤ 1e−6, see its module),
//!   built the first time a path needs it and shared by every strategy and run
//!   of the same book and model (a small memo keyed by the table's inputs):
//!   building one costs more than running thousands of paths, and a path's
//!   ledger then hedges to the bit as the same path in a Monte Carlo run.
//!
//! **Where the table has no row** — a variance near zero days before expiry
//! with Feller's condition far off (the option is then nearly its payoff and
//! the exact integrals need thousands of terms), or a spot beyond four times
//! or a quarter of the strike — the hedge target is Black–Scholes at the
//! model's expected average vol over the remaining life (see
//! `untabulated_delta`), and a ledger's values and Greeks there are
//! Black–Scholes' at that vol.
//!
//! **Which delta.** The variance moves with the price (correlation ρ), so a
//! share hedge that holds `−∂V/∂S` still carries the part of the variance's move
//! that comes with the price's. The hedge that leaves the least variance of
//! P&L over the next instant is
//!
//! ```text
//! Δ_MV = ∂V/∂S + Cov(dv, dS)/Var(dS) · ∂V/∂v = ∂V/∂S + (ρξ/S)·∂V/∂v
//! ```
//!
//! (`d⟨S, v⟩ = ρξvS dt`, `d⟨S⟩ = vS² dt`; Bakshi, Cao & Chen, *Empirical
//! Performance of Alternative Option Pricing Models*, J. Finance 52 (1997);
//! Alexander & Nogueira, *Model-free hedge ratios and scale-invariant
//! models*, J. Banking & Finance 31 (2007)). With ρ < 0 it is smaller than
//! `∂V/∂S` for a call. `price=heston` hedges with `∂V/∂S`, `price=heston-mv`
//! with `Δ_MV`; `∂V/∂v` is a central difference of the value in `√v`.
//!
//! Every leg must expire at the horizon (the link's rules refuse later
//! expiries with `price=heston`), and shares alone hedge (`greeks=delta`).
//!
//! **Tested by** `tests/heston_hedge.rs`: the premium and Greeks against the
//! pricing module and finite differences, the P&L identity under Heston
//! pricing, the table's targets against the exact delta along paths, a
//! path's ledger against the same path in a Monte Carlo run, and the
//! Heston delta hedging Heston paths with a smaller P&L spread than the
//! Black–Scholes delta on the same paths; the book's Greeks at and before
//! expiry as the documented differences of the pricing module, the opening's
//! kept for its spot only, the comparison's names of each delta, and outside
//! the table both deltas and the ledger's Greeks at the documented average
//! vol (theta too), written out; inside it the ledger's Greeks against the
//! exact ones and theta as the change of value to the next date; legs with no
//! delta leaving a target of −0; with no variance left, the minimum-variance
//! hedge at σ̄ = 0 (the forward's delta, no 0/0 variance term).

use std::sync::{Arc, Mutex, OnceLock};

use crate::instruments::book::{Book, OptionLeg, PricingModel};
use crate::paths::{Jumps, TimeGrid};
use crate::pricing::black_scholes::{self, Greeks, Inputs, OptionKind};
use crate::pricing::heston::{
    decay_integral, expected_total_variance, heston_delta, heston_price, HestonParams, Market,
};
use crate::pricing::heston_delta::{HestonTable, HestonTableSpec};

/// The model a hedger prices and hedges with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HedgePricing {
    /// Black–Scholes at the hedging vol (the classic delta hedge).
    BlackScholes,
    /// The paths' own Heston (Bates) model at each path's variance, hedged
    /// with its delta `∂V/∂S`.
    Heston,
    /// The same model and value, hedged with the minimum-variance delta
    /// `∂V/∂S + (ρξ/S)·∂V/∂v`.
    HestonMinimumVariance,
}

impl HedgePricing {
    /// Every pricing, in a comparison's order.
    pub const ALL: [HedgePricing; 3] = [
        HedgePricing::BlackScholes,
        HedgePricing::Heston,
        HedgePricing::HestonMinimumVariance,
    ];

    /// The hedge's short name, as a comparison's rows say it (`BS delta`).
    pub fn short_name(self) -> &'static str {
        match self {
            HedgePricing::BlackScholes => "BS delta",
            HedgePricing::Heston => "Heston delta",
            HedgePricing::HestonMinimumVariance => "Heston min-variance delta",
        }
    }

    /// The Heston hedge of this pricing on paths of `model` (`None` for
    /// Black–Scholes).
    pub fn heston_hedge(self, model: HestonModel) -> Option<HestonHedge> {
        match self {
            HedgePricing::BlackScholes => None,
            HedgePricing::Heston => Some(HestonHedge {
                model,
                minimum_variance: false,
            }),
            HedgePricing::HestonMinimumVariance => Some(HestonHedge {
                model,
                minimum_variance: true,
            }),
        }
    }
}

/// A hedger's Heston pricing: the model and which delta it hedges with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HestonHedge {
    /// The paths' model.
    pub model: HestonModel,
    /// Hedge with the minimum-variance delta (see the module docs) rather than
    /// `∂V/∂S`.
    pub minimum_variance: bool,
}

/// The Heston (Bates) model a hedger with [`HedgePricing::Heston`] prices
/// with: the paths' own parameters (its `v0` is the variance at `t = 0`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HestonModel {
    /// The variance process.
    pub params: HestonParams,
    /// The price's jumps ([`Jumps::NONE`] for Heston).
    pub jumps: Jumps,
}

/// A book's Heston values and deltas on a hedge's dates.
#[derive(Debug)]
pub struct HestonBookPricer {
    legs: Vec<OptionLeg>,
    rate: f64,
    dividend: f64,
    model: HestonModel,
    /// `ρξ` when hedging with the minimum-variance delta, else 0.
    variance_hedge: f64,
    /// Time to expiry at each date `0 … steps`.
    taus: Vec<f64>,
    /// One table per leg, built on first use.
    tables: OnceLock<Vec<Arc<HestonTable>>>,
    /// The book's Greeks at `t = 0` and the spot they were computed at (every
    /// simulated path opens at the same spot: computed once, not per path).
    opening: OnceLock<(f64, Greeks)>,
}

/// Relative step of the central differences in spot (gamma).
const SPOT_STEP: f64 = 1e-3;
/// Step in `√v` of the central difference for vega.
const VOL_STEP: f64 = 1e-3;
/// Step in time to expiry (years) of the central difference for theta.
const TIME_STEP: f64 = 1e-4;

impl HestonBookPricer {
    /// The pricer of `book` at `market`'s rate and dividend yield on `grid`'s
    /// dates, under `model`. Cheap: tables are built on first use.
    pub fn new(
        book: &Book,
        market: &PricingModel,
        grid: &TimeGrid,
        hedge: HestonHedge,
    ) -> HestonBookPricer {
        let model = hedge.model;
        HestonBookPricer {
            legs: book.legs.clone(),
            rate: market.rate,
            dividend: market.dividend,
            model,
            variance_hedge: if hedge.minimum_variance {
                model.params.rho * model.params.xi
            } else {
                0.0
            },
            taus: (0..=grid.steps).map(|i| grid.time_left(i)).collect(),
            tables: OnceLock::new(),
            opening: OnceLock::new(),
        }
    }

    /// The book's exact value and Greeks at `t = 0` (`tau` to expiry) at
    /// `spot` and the initial variance.
    pub fn opening(&self, spot: f64, tau: f64) -> Greeks {
        let compute = || self.exact_greeks(spot, self.model.params.v0, tau);
        match self.opening.get_or_init(|| (spot, compute())) {
            (at, greeks) if at.to_bits() == spot.to_bits() => *greeks,
            _ => compute(),
        }
    }

    /// One leg's exact value (`delta = false`) or delta at `spot`, variance
    /// `variance`, `tau` years to expiry.
    fn exact(&self, leg: &OptionLeg, spot: f64, variance: f64, tau: f64, delta: bool) -> f64 {
        let market = Market {
            spot,
            strike: leg.strike,
            tau,
            rate: self.rate,
            dividend: self.dividend,
        };
        let params = HestonParams {
            v0: variance.max(0.0),
            ..self.model.params
        };
        if delta {
            heston_delta(leg.kind, &market, &params, &self.model.jumps)
        } else {
            heston_price(leg.kind, &market, &params, &self.model.jumps)
        }
    }

    /// The whole book's exact value and Greeks at `spot`, variance `variance`,
    /// `tau` years to expiry (signed by the legs' quantities); at `τ ≤ 0` the
    /// payoff and its delta.
    pub fn exact_greeks(&self, spot: f64, variance: f64, tau: f64) -> Greeks {
        let mut total = Greeks::default();
        for leg in &self.legs {
            let n = leg.quantity;
            if tau <= 0.0 {
                total.price += n * leg.kind.payoff(spot, leg.strike);
                total.delta += n * leg.kind.payoff_delta(spot, leg.strike);
                continue;
            }
            let value = |s: f64, v: f64, t: f64| self.exact(leg, s, v, t, false);
            let delta = |s: f64| self.exact(leg, s, variance, tau, true);
            let h = SPOT_STEP * spot;
            let (up, down) = vol_steps(variance);
            let dt = TIME_STEP.min(0.5 * tau);
            total.price += n * value(spot, variance, tau);
            total.delta += n * delta(spot);
            total.gamma += n * (delta(spot + h) - delta(spot - h)) / (2.0 * h);
            total.vega +=
                n * (value(spot, up * up, tau) - value(spot, down * down, tau)) / (up - down);
            // Calendar time runs against time to expiry.
            total.theta += n * (value(spot, variance, tau - dt) - value(spot, variance, tau + dt))
                / (2.0 * dt);
        }
        total
    }

    /// The hedge target (minus the book's hedge delta) at date `i`, spot
    /// `spot = e^{log_spot}`, variance `variance`, from the tables (built on
    /// first call).
    pub fn target(&self, i: usize, spot: f64, log_spot: f64, variance: f64) -> f64 {
        let tau = self.taus[i];
        self.tables()
            .iter()
            .zip(&self.legs)
            .fold(-0.0, |sum, (table, leg)| {
                if !table.is_tabulated(i, log_spot, variance) {
                    return sum - leg.quantity * self.untabulated_delta(leg, spot, variance, tau);
                }
                let mut delta = table.delta(i, log_spot, variance);
                if self.variance_hedge != 0.0 {
                    let slope = variance_slope(|v| table.price(i, log_spot, v), variance);
                    delta += self.variance_hedge / spot * slope;
                }
                sum - leg.quantity * delta
            })
    }

    /// The book's value and Greeks at date `i < steps` of a path (a ledger
    /// row), from the tables: value and delta interpolated, gamma a central
    /// difference of the delta in spot, vega of the value in `√v`, and theta
    /// the change of value to the next date at the same spot and variance.
    pub fn greeks_at(&self, i: usize, spot: f64, log_spot: f64, variance: f64) -> Greeks {
        let (up, down) = (libm::log1p(SPOT_STEP), libm::log1p(-SPOT_STEP));
        let (vol_up, vol_down) = vol_steps(variance);
        let tau = self.taus[i];
        let mut total = Greeks::default();
        for (table, leg) in self.tables().iter().zip(&self.legs) {
            let n = leg.quantity;
            if !table.is_tabulated(i, log_spot, variance) {
                let approximate = self.average_vol_greeks(leg, spot, variance, tau).0;
                total.price += n * approximate.price;
                total.delta += n * approximate.delta;
                total.gamma += n * approximate.gamma;
                total.vega += n * approximate.vega;
                total.theta += n * approximate.theta;
                continue;
            }
            let price = table.price(i, log_spot, variance);
            total.price += n * price;
            total.delta += n * table.delta(i, log_spot, variance);
            total.gamma += n
                * (table.delta(i, log_spot + up, variance)
                    - table.delta(i, log_spot + down, variance))
                / (2.0 * SPOT_STEP * spot);
            total.vega += n
                * (table.price(i, log_spot, vol_up * vol_up)
                    - table.price(i, log_spot, vol_down * vol_down))
                / (vol_up - vol_down);
            // Theta to the next date (none after the last).
            if let Some(&next_tau) = self.taus.get(i + 1) {
                total.theta +=
                    n * (table.price(i + 1, log_spot, variance) - price) / (tau - next_tau);
            }
        }
        total
    }

    /// The hedge delta where the table has no row: Black–Scholes at the
    /// model's expected average vol over the option's remaining life from
    /// variance `variance`, `σ̄² = (θ(τ − b) + b·v + λτ(m² + s²))/τ`
    /// (`b = (1 − e^{−κτ})/κ`), with, for the minimum-variance delta, `∂V/∂v =
    /// vega(σ̄)·b/(2σ̄τ)` (σ̄'s own response to `v`). Where this happens — a
    /// variance near zero days before expiry with Feller's condition far off,
    /// or a spot beyond four times or a quarter of the strike — the exact
    /// integrals need thousands of terms and the option is nearly its payoff,
    /// so a hedger's approximation is used rather than a slow formula (see
    /// the module docs).
    fn untabulated_delta(&self, leg: &OptionLeg, spot: f64, variance: f64, tau: f64) -> f64 {
        let (greeks, vol, b) = self.average_vol_greeks(leg, spot, variance, tau);
        let mut delta = greeks.delta;
        if self.variance_hedge != 0.0 && vol > 0.0 {
            delta += self.variance_hedge / spot * greeks.vega * b / (2.0 * vol * tau);
        }
        delta
    }

    /// One option's Black–Scholes value and Greeks at the model's expected
    /// average vol σ̄ from variance `variance` over `tau` (see
    /// `untabulated_delta`), with σ̄ and `b`.
    fn average_vol_greeks(
        &self,
        leg: &OptionLeg,
        spot: f64,
        variance: f64,
        tau: f64,
    ) -> (Greeks, f64, f64) {
        let params = HestonParams {
            v0: variance.max(0.0),
            ..self.model.params
        };
        let total = expected_total_variance(&params, &self.model.jumps, tau);
        let vol = libm::sqrt(total / tau);
        // ∂(σ̄²τ)/∂v = b: how the average vol answers the variance.
        let b = decay_integral(params.kappa, tau);
        let greeks = black_scholes::greeks(
            leg.kind,
            &Inputs {
                spot,
                strike: leg.strike,
                tau,
                rate: self.rate,
                dividend: self.dividend,
                vol,
            },
        );
        (greeks, vol, b)
    }

    /// The book's gamma at date `i` as the hedger sees it, from the tables: a
    /// central difference in spot of minus the hedge target (the book's delta
    /// the hedger offsets), for Whalley–Wilmott's band.
    pub fn table_gamma(&self, i: usize, spot: f64, log_spot: f64, variance: f64) -> f64 {
        // ln(S(1 ± h)) = ln S + ln(1 ± h).
        let (up, down) = (1.0 + SPOT_STEP, 1.0 - SPOT_STEP);
        let delta_at =
            |factor: f64| -self.target(i, spot * factor, log_spot + libm::log(factor), variance);
        (delta_at(up) - delta_at(down)) / (2.0 * SPOT_STEP * spot)
    }

    fn tables(&self) -> &[Arc<HestonTable>] {
        self.tables.get_or_init(|| {
            let horizon = self.taus.first().copied().unwrap_or(0.0);
            let spec = HestonTableSpec::for_model(&self.model.params, horizon);
            self.legs
                .iter()
                .map(|leg| {
                    shared_table(TableKey {
                        kind: leg.kind,
                        strike: leg.strike,
                        rate: self.rate,
                        dividend: self.dividend,
                        model: self.model,
                        taus: self.taus.clone(),
                        spec,
                    })
                })
                .collect()
        })
    }
}

/// `√v ± k`, one-sided where `√v < k` (the variance cannot go below 0).
fn vol_steps(variance: f64) -> (f64, f64) {
    let w = libm::sqrt(variance.max(0.0));
    (w + VOL_STEP, (w - VOL_STEP).max(0.0))
}

/// `∂V/∂v` of a value `value(v)` at `variance`: the central difference in
/// `√v`, `(V(w₊²) − V(w₋²))/(w₊² − w₋²)`.
fn variance_slope(value: impl Fn(f64) -> f64, variance: f64) -> f64 {
    let (up, down) = vol_steps(variance);
    let (high, low) = (up * up, down * down);
    (value(high) - value(low)) / (high - low)
}

/// Everything a [`HestonTable`] is built from.
#[derive(Clone, Debug, PartialEq)]
struct TableKey {
    kind: OptionKind,
    strike: f64,
    rate: f64,
    dividend: f64,
    model: HestonModel,
    taus: Vec<f64>,
    spec: HestonTableSpec,
}

/// How many tables the memo keeps (a book's legs, and the scenario before the
/// last slider move).
const MEMO_SIZE: usize = 8;

/// The table of `key`, from the memo or built now. The memo only saves time: a
/// table is a pure function of its key, so which run built it changes nothing.
fn shared_table(key: TableKey) -> Arc<HestonTable> {
    static MEMO: Mutex<Vec<(TableKey, Arc<HestonTable>)>> = Mutex::new(Vec::new());
    let lock = || MEMO.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, table)) = lock().iter().find(|(k, _)| *k == key) {
        return Arc::clone(table);
    }
    // Built outside the lock: another thread may build the same table at the
    // same time, and either copy is the same.
    let HestonModel { params, jumps } = key.model;
    let table = Arc::new(HestonTable::new(
        key.kind,
        key.strike,
        key.rate,
        key.dividend,
        &params,
        &jumps,
        &key.taus,
        key.spec,
    ));
    let mut memo = lock();
    if memo.len() >= MEMO_SIZE {
        memo.remove(0);
    }
    memo.push((key, Arc::clone(&table)));
    table
}
