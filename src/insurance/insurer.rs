//! The insured portfolio on one price path: the cash account and the trades of
//! each kind (see [`super`] for the formulas), the outcome at the horizon and an
//! optional ledger of every date.
//!
//! ```text
//! t_0:             qty shares, no cash
//! over (t_{i−1}, t_i]:  cash += cash·(e^{rΔt} − 1) + h·S_i·(e^{qΔt} − 1),  Δt = t_i − t_{i−1} (each step its own)
//! each date t_i < T where the kind trades to h':  x = h' − h,  cash −= x·S_i + cost(x, S_i)
//! horizon:         V_T = h·S_T + cash_T + puts·max(K − S_T, 0)
//! ```
//!
//! Costs are reported in money at the horizon (each cost compounded at `r` to
//! `T`, step by step like the cash), the unit of `V_T`: a strategy that makes
//! the same trades with and without costs ends exactly that much lower.
//!
//! **Tested by** `tests/insurance.rs`: costs conserved (same trades with and
//! without costs: the difference is the costs at the horizon), the ledger's
//! cash replayed from its trades, dividends and interest on a grid of real
//! dates, and every check of [`super`].

use crate::hedging::ledger::NoLedger;
use crate::hedging::rules::Context;
use crate::instruments::book::{Book, OptionLeg, PricingModel};
use crate::insurance::cppi::{cppi_exposure, cppi_gamma};
use crate::insurance::put::{size_put, PutBudget, PutPosition};
use crate::insurance::synthetic::{puts_value, synthetic_gamma, synthetic_shares};
use crate::insurance::{InsuranceError, InsuranceKind, InsuranceSetup};
use crate::paths::PathBuffer;
use crate::pricing::black_scholes::{Greeks, OptionKind};

/// What one path's insured portfolio came to.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct InsuranceOutcome {
    /// Value at the horizon `V_T`, in money at `T`.
    pub terminal: f64,
    /// Share trades (dates where shares changed hands).
    pub trades: u32,
    /// Option trades (1 for bought puts, else 0).
    pub option_trades: u32,
    /// Every cost paid, each compounded at `r` to the horizon (money at `T`).
    pub costs: f64,
    /// The part of `costs` paid on option trades.
    pub option_costs: f64,
}

/// One date of an insured portfolio's ledger: the state after that date's trade.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct InsuranceRow {
    /// Grid index `i`.
    pub step: usize,
    /// Time `t_i` in years.
    pub time: f64,
    /// The calendar date, for recorded prices with dates (filled in by the
    /// engine's ledger; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<crate::history::date::Date>,
    /// Spot `S_i`.
    pub spot: f64,
    /// Shares held after the trade.
    pub shares: f64,
    /// Puts held (bought puts only).
    pub puts: f64,
    /// Shares traded at this date (+ bought, − sold).
    pub trade: f64,
    /// Cost paid at this date (share and option trades).
    pub cost: f64,
    /// Cash after the trade.
    pub cash: f64,
    /// Value: shares·S + cash + the puts at the hedging vol (their payoff at
    /// the horizon, where it is `V_T`).
    pub value: f64,
    /// The floor's present value `F·e^{−r(T−t_i)}`.
    pub floor: f64,
}

/// Receives the ledger rows of a path. `DETAILED = false` tells the loop to skip
/// the ledger work (Monte Carlo runs).
pub trait InsuranceRecorder {
    /// Whether rows are wanted.
    const DETAILED: bool;
    /// Receives one row.
    fn record(&mut self, row: InsuranceRow);
}

impl InsuranceRecorder for NoLedger {
    const DETAILED: bool = false;
    #[inline]
    fn record(&mut self, _row: InsuranceRow) {}
}

impl InsuranceRecorder for Vec<InsuranceRow> {
    const DETAILED: bool = true;
    fn record(&mut self, row: InsuranceRow) {
        self.push(row);
    }
}

/// An insured portfolio ready to run on paths: the setup, its put position and
/// the constants of its dates, computed once.
#[derive(Clone, Debug)]
pub struct Insurer {
    setup: InsuranceSetup,
    /// The put position (bought or replicated); `None` for the other kinds.
    position: Option<PutPosition>,
    /// Per step `i → i + 1`: `e^{rΔt_i} − 1`.
    interest_growth: Vec<f64>,
    /// Per step: `e^{qΔt_i} − 1`.
    dividend_growth: Vec<f64>,
    /// Per date: `e^{−r(T − t_i)}`.
    to_horizon: Vec<f64>,
    /// Shares per unit of band: `n` (synthetic put) or `qty` (CPPI).
    band_scale: f64,
}

impl Insurer {
    /// Prepare `setup` for running on paths: sizes the put position for the put
    /// kinds; fails on an invalid setup or an unaffordable floor.
    pub fn new(setup: InsuranceSetup) -> Result<Insurer, InsuranceError> {
        setup.validate()?;
        let position = match setup.kind {
            InsuranceKind::BoughtPut => Some(size_put(&setup, PutBudget::Traded)?),
            InsuranceKind::SyntheticPut => Some(size_put(&setup, PutBudget::Model)?),
            InsuranceKind::Unprotected | InsuranceKind::Cppi => None,
        };
        Ok(Insurer::with_position(setup, position))
    }

    /// `setup` left unprotected, unchecked: holds the shares whatever the
    /// setup's kind says (for a setup that [`Insurer::new`] refuses, where a
    /// run must go on; a link never makes one).
    pub fn unprotected(setup: InsuranceSetup) -> Insurer {
        Insurer::with_position(
            InsuranceSetup {
                kind: InsuranceKind::Unprotected,
                ..setup
            },
            None,
        )
    }

    fn with_position(setup: InsuranceSetup, position: Option<PutPosition>) -> Insurer {
        let grid = &setup.grid;
        let step_growth = |yearly: f64| -> Vec<f64> {
            (0..grid.steps)
                .map(|i| libm::expm1(yearly * grid.step_length(i)))
                .collect()
        };
        let interest_growth = step_growth(setup.rate);
        let dividend_growth = step_growth(setup.dividend);
        let to_horizon = (0..=grid.steps)
            .map(|i| libm::exp(-setup.rate * grid.time_left(i)))
            .collect();
        Insurer {
            interest_growth,
            dividend_growth,
            to_horizon,
            band_scale: position.map_or(setup.quantity, |p| p.count),
            position,
            setup,
        }
    }

    /// Value and Greeks of the protected portfolio at `t_0` after its first
    /// trade, at the hedging vol: `n` shares and `n` puts (the bought or
    /// replicated put), `E_0/S_0` shares with CPPI's gamma, or the `qty` shares.
    pub fn opening_greeks(&self) -> Greeks {
        let setup = &self.setup;
        let (spot, tau) = (setup.spot, setup.grid.horizon);
        match (&self.position, setup.kind) {
            (Some(position), _) => {
                let puts = Book {
                    legs: vec![OptionLeg {
                        kind: OptionKind::Put,
                        strike: position.strike,
                        quantity: position.count,
                        beyond_horizon: 0.0,
                    }],
                };
                let model = PricingModel {
                    rate: setup.rate,
                    dividend: setup.dividend,
                    vol: setup.hedging_vol,
                };
                let g = if position.strike > 0.0 {
                    puts.greeks(&model, spot, tau)
                } else {
                    Greeks::default()
                };
                Greeks {
                    price: g.price + position.count * spot,
                    delta: g.delta + position.count,
                    ..g
                }
            }
            (None, InsuranceKind::Cppi) => {
                let value = setup.initial_value();
                let floor_pv = self.to_horizon[0] * setup.floor_value();
                let exposure = cppi_exposure(value, floor_pv, setup.multiplier, setup.cap);
                Greeks {
                    price: value,
                    delta: exposure / spot,
                    gamma: cppi_gamma(value, floor_pv, setup.multiplier, setup.cap, spot),
                    ..Greeks::default()
                }
            }
            (None, _) => Greeks {
                price: setup.initial_value(),
                delta: setup.quantity,
                ..Greeks::default()
            },
        }
    }

    /// The setup this insurer runs.
    pub fn setup(&self) -> &InsuranceSetup {
        &self.setup
    }

    /// The put position of the put kinds (bought or replicated), `None` otherwise.
    pub fn put_position(&self) -> Option<&PutPosition> {
        self.position.as_ref()
    }

    /// The floor `F` in money at the horizon.
    pub fn floor(&self) -> f64 {
        self.setup.floor_value()
    }

    /// The outcome on `path` (which has `steps + 1` points on the setup's grid).
    pub fn run(&self, path: &PathBuffer) -> InsuranceOutcome {
        self.run_recorded(path, &mut NoLedger)
    }

    /// The outcome on `path`, sending one [`InsuranceRow`] per date to `recorder`.
    pub fn run_recorded<R: InsuranceRecorder>(
        &self,
        path: &PathBuffer,
        recorder: &mut R,
    ) -> InsuranceOutcome {
        let setup = &self.setup;
        let grid = &setup.grid;
        let steps = grid.steps;
        let floor = setup.floor_value();
        let mut held = setup.quantity;
        let mut cash = 0.0;
        let mut puts = 0.0;
        let mut out = InsuranceOutcome::default();
        // CPPI: once the cushion is gone the strategy stays in cash.
        let mut cushion_gone = false;
        for (i, &spot) in path.spot[..=steps].iter().enumerate() {
            if i > 0 {
                let interest = self.interest_growth[i - 1];
                cash += cash * interest + held * spot * self.dividend_growth[i - 1];
                out.costs += out.costs * interest;
                out.option_costs += out.option_costs * interest;
            }
            let floor_pv = floor * self.to_horizon[i];
            let mut trade = 0.0;
            let mut cost = 0.0;
            if i < steps {
                let new_holding = match setup.kind {
                    InsuranceKind::Unprotected => None,
                    InsuranceKind::BoughtPut => (i == 0).then(|| {
                        let position = self.position.unwrap_or_default();
                        if position.strike > 0.0 {
                            puts = position.count;
                            cash -= position.count * position.premium + position.option_cost;
                            cost += position.option_cost;
                            out.option_costs += position.option_cost;
                            out.option_trades += 1;
                        }
                        position.count
                    }),
                    InsuranceKind::SyntheticPut | InsuranceKind::Cppi => setup
                        .rule
                        .looks_at(i)
                        .then(|| self.rebalance(i, spot, held, cash, floor_pv, &mut cushion_gone)),
                };
                if let Some(new_holding) = new_holding {
                    trade = new_holding - held;
                    let share_cost = setup.costs.cost(trade, spot);
                    cash -= trade * spot + share_cost;
                    held += trade;
                    cost += share_cost;
                    if trade != 0.0 {
                        out.trades += 1;
                    }
                }
                out.costs += cost;
            }
            if R::DETAILED {
                let puts_held = match (&self.position, puts > 0.0) {
                    (Some(position), true) => puts_value(position, setup, spot, grid.time_left(i)),
                    _ => 0.0,
                };
                recorder.record(InsuranceRow {
                    step: i,
                    time: grid.time(i),
                    date: None,
                    spot,
                    shares: held,
                    puts,
                    trade,
                    cost,
                    cash,
                    value: held * spot + cash + puts_held,
                    floor: floor_pv,
                });
            }
        }
        let last = path.spot[steps];
        let strike = self.position.map_or(0.0, |p| p.strike);
        out.terminal = held * last + cash + puts * (strike - last).max(0.0);
        out
    }

    /// The new holding of a dynamic kind (synthetic put, CPPI) at date `i` where
    /// its rule looks, holding `held` shares and `cash`; `floor_pv` is the
    /// floor's present value at the date.
    fn rebalance(
        &self,
        i: usize,
        spot: f64,
        held: f64,
        cash: f64,
        floor_pv: f64,
        cushion_gone: &mut bool,
    ) -> f64 {
        let setup = &self.setup;
        let tau = setup.grid.time_left(i);
        let needs_gamma = setup.rule.needs_gamma();
        let (target, gamma) = match self.position {
            Some(position) => (
                synthetic_shares(&position, setup, spot, tau),
                if needs_gamma {
                    synthetic_gamma(&position, setup, spot, tau)
                } else {
                    0.0
                },
            ),
            None => {
                let value = held * spot + cash;
                *cushion_gone = *cushion_gone || value - floor_pv <= 0.0;
                if *cushion_gone {
                    // Not a rebalance but the end of the strategy: every share
                    // is sold, whatever band the rule allows.
                    return 0.0;
                }
                let (m, cap) = (setup.multiplier, setup.cap);
                let gamma = if needs_gamma {
                    cppi_gamma(value, floor_pv, m, cap, spot)
                } else {
                    0.0
                };
                (cppi_exposure(value, floor_pv, m, cap) / spot, gamma)
            }
        };
        setup.rule.decide(
            held,
            &Context {
                step: i,
                spot,
                target,
                gamma,
                gross_quantity: self.band_scale,
                discount: self.to_horizon[i],
                proportional_cost: setup.costs.proportional,
            },
        )
    }
}
