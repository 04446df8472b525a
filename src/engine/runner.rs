//! What the engine runs on each path: a hedger of an option book, or an
//! insured portfolio. One type, so a run, its chunks, its parts and its
//! comparisons need not know which.
//!
//! An insured portfolio's outcome is written as a hedge's
//! ([`PathOutcome`]) with its **P&L the terminal value less the starting value
//! `V_0`, in money at the horizon** (not discounted: the floor is a horizon
//! amount, so breaches read off it directly) and its costs at the horizon too.
//!
//! **Tested by** `tests/insurance.rs` (through the plan and the engine: the
//! four protections on the same paths, the summary's `insurance` member),
//! `tests/insurance_link.rs` (an insured portfolio's P&L through the link),
//! `tests/montecarlo.rs` (a hedger's outcomes; hedgers the lanes cannot run
//! run path by path), `tests/greeks_hedge.rs` (hedges with options) and `tests/backtest.rs` (each window of a roll, hedged
//! or insured, on its own clock and vol, equals that window run alone).

use crate::hedging::hedger::{Hedger, NoLedger, PathOutcome};
use crate::insurance::{InsuranceOutcome, InsuranceSetup, Insurer};
use crate::paths::{PathBuffer, TimeGrid};

/// One strategy of a run, ready for paths.
#[derive(Clone, Debug)]
pub enum Runner {
    /// Hedge the plan's option book.
    Hedge(Hedger),
    /// Insure the plan's portfolio.
    Insure(Insurer),
}

impl Runner {
    /// An insured portfolio of `setup`. A setup the link's rules let through
    /// is always valid (they build the same setups and refuse the link
    /// otherwise); were one not, the portfolio is left unprotected rather than
    /// the run stopped.
    pub fn insure(setup: InsuranceSetup) -> Runner {
        Runner::Insure(Insurer::new(setup.clone()).unwrap_or_else(|_| Insurer::unprotected(setup)))
    }

    /// Run one path.
    pub fn run(&self, path: &PathBuffer) -> PathOutcome {
        match self {
            Runner::Hedge(hedger) => hedger.run(path, &mut NoLedger),
            Runner::Insure(insurer) => outcome_of(insurer, &insurer.run(path)),
        }
    }

    /// The hedger, when the lane kernel can run it.
    pub fn lane_hedger(&self) -> Option<&Hedger> {
        match self {
            Runner::Hedge(hedger) if hedger.lanes_supported() => Some(hedger),
            _ => None,
        }
    }

    /// The same strategy on another clock and hedging vol: a window of
    /// recorded prices.
    pub fn on_window(&self, grid: TimeGrid, vol: f64) -> Runner {
        match self {
            Runner::Hedge(hedger) => Runner::Hedge(hedger.on_window(grid, vol)),
            Runner::Insure(insurer) => Runner::insure(InsuranceSetup {
                grid,
                hedging_vol: vol,
                ..insurer.setup().clone()
            }),
        }
    }
}

/// An insured portfolio's outcome as a [`PathOutcome`] (see the module doc).
pub fn outcome_of(insurer: &Insurer, outcome: &InsuranceOutcome) -> PathOutcome {
    PathOutcome {
        pnl: outcome.terminal - insurer.setup().initial_value(),
        trades: outcome.trades,
        costs: outcome.costs,
        option_trades: outcome.option_trades,
        option_costs: outcome.option_costs,
    }
}
