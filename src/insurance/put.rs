//! Sizing the put position: how many shares `n` and puts of which strike `K`
//! make a portfolio worth `V_0` whose value at the horizon is at least the
//! floor `F`.
//!
//! ```text
//! n·K = F,    n·S_0 + n·P(K)·(1 + c_o) + fee + cost(n − qty, S_0) = V_0
//! ```
//!
//! with `P` the Black–Scholes put at the hedging vol over the whole horizon.
//! Bought puts ([`PutBudget::Traded`]) pay the option cost `c_o` (a fraction of
//! the option value), the option trade's fixed fee and the cost of selling the
//! `qty − n` shares that pay for them (the [`CostModel`] of share trades); the
//! synthetic put ([`PutBudget::Model`]) sizes at the model value with none of
//! these, as its costs come later, one rebalance at a time.
//!
//! Substituting `K = F/n`, the spend `g(n) = n·S_0 + (1 + c_o)·P(n·S_0, F) + …`
//! (Black–Scholes is homogeneous of degree one in spot and strike) is convex in
//! `n` — the put is convex in its spot, the share cost is linear plus a convex
//! impact — tends to `(1 + c_o)·F·e^{−rT} + fee + cost(−qty, S_0)` as `n → 0`
//! and exceeds `V_0` at `n = qty` (the puts cost something). So `g(n) = V_0` has
//! one root when the first limit is below `V_0`, found by bisection to the last
//! bit; the answer keeps `g(n) ≤ V_0`, so the cash left is never negative.
//!
//! **Tested by** `tests/insurance.rs`: `n·K = F` and the spend equals `V_0` to
//! 1e-9, with and without costs; `K` against an independent solve.

use crate::hedging::costs::CostModel;
use crate::insurance::{InsuranceError, InsuranceSetup};
use crate::pricing::black_scholes::{self, Inputs, OptionKind};

/// Which costs the put position pays at `t_0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PutBudget {
    /// Bought puts: the option cost, the option trade's fee and the cost of the
    /// shares sold to pay for them.
    Traded,
    /// The model value alone, no costs (the position a synthetic put replicates).
    Model,
}

/// The put position that insures the portfolio.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize)]
pub struct PutPosition {
    /// `n`: shares kept, and puts held when `strike > 0`.
    pub count: f64,
    /// `K = F/n` (0 when the floor is 0: then no puts are needed).
    pub strike: f64,
    /// The Black–Scholes value of one put at `t_0`, at the hedging vol.
    pub premium: f64,
    /// Paid on the option trade: `c_o·n·P(K) + fee` (0 under [`PutBudget::Model`]
    /// or without puts).
    pub option_cost: f64,
    /// Paid on the sale of the `qty − n` shares (0 under [`PutBudget::Model`]).
    pub share_cost: f64,
    /// Cash left at `t_0`: `V_0` minus the spend, ≥ 0 and within rounding of 0.
    pub cash: f64,
}

/// At most this many halvings: from `[0, qty]` to adjacent doubles takes about
/// 60 below 1 and at most ~1,100 for tiny `n`; the loop stops as soon as the
/// interval cannot shrink.
const MAX_BISECTIONS: usize = 2_000;

/// The put position of `setup` under `budget`, or why there is none (the floor
/// costs more than the portfolio is worth; an invalid setup).
pub fn size_put(setup: &InsuranceSetup, budget: PutBudget) -> Result<PutPosition, InsuranceError> {
    setup.validate()?;
    let initial_value = setup.initial_value();
    let floor = setup.floor_value();
    let quantity = setup.quantity;
    let spot = setup.spot;
    if floor == 0.0 {
        // Nothing to insure: keep every share and buy nothing.
        return Ok(PutPosition {
            count: quantity,
            ..PutPosition::default()
        });
    }
    let (option_fraction, option_fee, share_costs) = match budget {
        PutBudget::Traded => (setup.option_cost, setup.costs.fee, setup.costs),
        PutBudget::Model => (0.0, 0.0, CostModel::FREE),
    };
    let tau = setup.grid.horizon;
    let put_value = |strike: f64| {
        black_scholes::price(
            OptionKind::Put,
            &Inputs {
                spot,
                strike,
                tau,
                rate: setup.rate,
                dividend: setup.dividend,
                vol: setup.hedging_vol,
            },
        )
    };
    let position = |count: f64| {
        let strike = floor / count;
        let premium = put_value(strike);
        let option_cost = option_fraction * count * premium + option_fee;
        let share_cost = share_costs.cost(count - quantity, spot);
        let spend = count * spot + count * premium + option_cost + share_cost;
        PutPosition {
            count,
            strike,
            premium,
            option_cost,
            share_cost,
            cash: initial_value - spend,
        }
    };
    // As n → 0 the puts (strike F/n → ∞) are worth n·P → F·e^{−rT}.
    let least_cost = (1.0 + option_fraction) * floor * libm::exp(-setup.rate * tau)
        + option_fee
        // Selling every share (a trade's cost does not depend on its side).
        + share_costs.cost(quantity, spot);
    if least_cost >= initial_value {
        return Err(InsuranceError::FloorUnaffordable {
            floor,
            least_cost,
            initial_value,
        });
    }
    // Invariant: the spend at `low` is ≤ V_0 (or `low` = 0, the limit above),
    // at `high` it is > V_0 (or `high` = qty).
    let (mut low, mut high) = (0.0_f64, quantity);
    for _ in 0..MAX_BISECTIONS {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            break;
        }
        if position(middle).cash >= 0.0 {
            low = middle;
        } else {
            high = middle;
        }
    }
    if low <= 0.0 {
        // Only reachable when V_0 exceeds the least cost by less than rounding.
        return Err(InsuranceError::FloorUnaffordable {
            floor,
            least_cost,
            initial_value,
        });
    }
    Ok(position(low))
}
