//! A path's ledger: one [`LedgerRow`] per date (the state after the date's
//! trades and the attribution of the P&L since the previous row), the
//! [`Recorder`]s the hedge loop sends rows to, and the hedge options' part of a
//! row. The loop that fills them is in [`super::hedger`]; the columns are the
//! ledger's CSV and JSON ([`crate::results::report::ledger_csv`]).
//!
//! **Tested by** `tests/hedge.rs` (the attribution adds up; the P&L identity
//! replayed from the rows), `tests/greeks_hedge.rs` (hedge options in the rows)
//! and `tests/report.rs` (the columns, in order).

use crate::hedging::greeks::MAX_HEDGE_OPTIONS;
use crate::hedging::option_hedge::{OptionHedge, OptionHoldings};
use crate::history::date::Date;
use crate::pricing::black_scholes::Greeks;

/// One row of a path's ledger: the state at grid point `step` after that date's
/// trade, and the attribution of the P&L made since the previous row. Its field
/// names are the ledger's columns in CSV and JSON ([`crate::results::report::ledger_csv`]).
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct LedgerRow {
    /// Grid index `i`.
    pub step: usize,
    /// Time `t_i` in years.
    pub time: f64,
    /// The calendar date of the row, for recorded prices with dates (absent
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Spot `S_i`.
    pub spot: f64,
    /// The paths' variance at `t_i` (the square of the constant vol under GBM;
    /// Heston's variance path), filled in by the engine's ledger (0 when the
    /// hedge is run on a bare price path).
    pub variance: f64,
    /// Delta-neutral holding `h* = −Σ nΔ` (shares).
    pub target: f64,
    /// Shares held after this date's trade.
    pub held: f64,
    /// Shares traded at this date (+ bought, − sold).
    pub trade: f64,
    /// Cost paid for this date's trade.
    pub cost: f64,
    /// Cash after the trade.
    pub cash: f64,
    /// Value of the book Σ n·V (payoff at expiry, then settled into cash).
    pub book_value: f64,
    /// At the horizon, the value at which legs that live on were marked to the
    /// model and put into cash (Σ n·V at their time left); 0 on other rows.
    pub marked: f64,
    /// Value of the hedge options held, Σ w·V (settled into cash at the horizon).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options_value: Option<f64>,
    /// Cumulative mark-to-market P&L in money at `t_i`: cash + shares + book
    /// (+ hedge options).
    pub pnl: f64,
    /// Delta of the whole position after this date's trades (book, hedge
    /// options and shares; 0 once settled): what the hedge leaves unhedged.
    pub position_delta: f64,
    /// Gamma of the whole position (shares have none: only hedge options
    /// change it).
    pub position_gamma: f64,
    /// Vega of the whole position, per 1.00 of vol.
    pub position_vega: f64,
    /// Step P&L from gamma, ½Γ δS².
    pub gamma_pnl: f64,
    /// Step P&L from time decay, Θ δt.
    pub theta_pnl: f64,
    /// Step P&L from the unhedged delta, (h + Δ) δS.
    pub hedge_pnl: f64,
    /// Step interest and dividends.
    pub financing_pnl: f64,
    /// Minus this date's cost.
    pub cost_pnl: f64,
    /// Step P&L of the hedge options held over the step, Σ w·δV (absent
    /// without hedge options, as are the columns below).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options_pnl: Option<f64>,
    /// What the other parts leave unexplained.
    pub residual_pnl: f64,
    /// Options of the first hedge option held after this date's trade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option1_held: Option<f64>,
    /// Options of the first hedge option traded at this date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option1_trade: Option<f64>,
    /// Cost of that trade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option1_cost: Option<f64>,
    /// As `option1_held`, for the second hedge option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option2_held: Option<f64>,
    /// As `option1_trade`, for the second hedge option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option2_trade: Option<f64>,
    /// As `option1_cost`, for the second hedge option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option2_cost: Option<f64>,
    /// As `option1_held`, for the third hedge option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option3_held: Option<f64>,
    /// As `option1_trade`, for the third hedge option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option3_trade: Option<f64>,
    /// As `option1_cost`, for the third hedge option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option3_cost: Option<f64>,
}

/// The hedge options in one ledger row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OptionsInLedger {
    /// Each hedge option's value at the date (its horizon value at the horizon).
    pub(crate) values: [f64; MAX_HEDGE_OPTIONS],
    /// Σ w·V after the date's trades (0 at the horizon: settled into cash).
    pub(crate) held_value: f64,
    /// Σ w·δV over the step, with the holdings over the step.
    pub(crate) pnl: f64,
    /// Σ w·(Δ, Γ, ν) of the options held (0 at the horizon).
    pub(crate) greeks: Greeks,
}

impl OptionsInLedger {
    /// The options of row `i` at `spot`: `over_step` held since the previous
    /// row, whose values were `previous`; `holdings` after this date's trades.
    pub(crate) fn at(
        hedge: &OptionHedge,
        i: usize,
        spot: f64,
        holdings: &OptionHoldings,
        over_step: &[f64; MAX_HEDGE_OPTIONS],
        previous: &[f64; MAX_HEDGE_OPTIONS],
    ) -> OptionsInLedger {
        let units = hedge.unit_values(i, spot);
        let values = units.map(|unit| unit.price);
        let mut greeks = Greeks::default();
        let mut held_value = 0.0;
        // At the horizon the options are settled into cash: nothing is held.
        if i < hedge.steps() {
            for (w, unit) in holdings.held.iter().zip(&units) {
                held_value += w * unit.price;
                greeks.delta += w * unit.delta;
                greeks.gamma += w * unit.gamma;
                greeks.vega += w * unit.vega;
            }
        }
        let pnl = if i == 0 {
            0.0
        } else {
            over_step
                .iter()
                .zip(values.iter().zip(previous))
                .map(|(w, (now, before))| w * (now - before))
                .sum()
        };
        OptionsInLedger {
            values,
            held_value,
            pnl,
            greeks,
        }
    }
}

impl LedgerRow {
    /// Fill the hedge-option columns from `holdings` after a date's trades
    /// (`values`: each option's value at the date; `pnl`: their step P&L).
    pub(crate) fn set_options(&mut self, holdings: &OptionHoldings, values_held: f64, pnl: f64) {
        let n = holdings.count;
        let column = |j: usize, x: f64| (j < n).then_some(x);
        self.options_pnl = Some(pnl);
        self.options_value = Some(values_held);
        self.option1_held = column(0, holdings.held[0]);
        self.option1_trade = column(0, holdings.traded[0]);
        self.option1_cost = column(0, holdings.cost[0]);
        self.option2_held = column(1, holdings.held[1]);
        self.option2_trade = column(1, holdings.traded[1]);
        self.option2_cost = column(1, holdings.cost[1]);
        self.option3_held = column(2, holdings.held[2]);
        self.option3_trade = column(2, holdings.traded[2]);
        self.option3_cost = column(2, holdings.cost[2]);
    }
}

/// Receives the ledger rows of a path. `DETAILED = false` tells the loop to skip the
/// ledger work altogether (Monte Carlo runs).
pub trait Recorder {
    /// Whether rows are wanted.
    const DETAILED: bool;
    /// Receives one row.
    fn record(&mut self, row: LedgerRow);
}

/// A recorder that keeps nothing: the loop computes only the final outcome.
pub struct NoLedger;

impl Recorder for NoLedger {
    const DETAILED: bool = false;
    #[inline]
    fn record(&mut self, _row: LedgerRow) {}
}

impl Recorder for Vec<LedgerRow> {
    const DETAILED: bool = true;
    fn record(&mut self, row: LedgerRow) {
        self.push(row);
    }
}
