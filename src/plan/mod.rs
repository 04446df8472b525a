//! A scenario turned into the engine's parts, once: the second stage of
//! `scenario → plan → paths → hedge loop → outcomes → summaries → report/charts`.
//!
//! A [`Plan`] holds what every later stage needs and nothing that refers back to
//! the link: the path model, the book and the hedger's pricing model, the costs,
//! the settlement and time grid, the scenario's own rebalancing rule and the
//! sweep of its parameter for the frontier, and the position's value and Greeks
//! at the start. Results are computed from a plan (and outcomes) alone, so a new
//! model or instrument is added here, in one place, and flows forward.
//!
//! **Tested by** `tests/plan.rs`: the parts equal the scenario's fields, the
//! sweep's values and its own point, the opening Greeks against Black–Scholes;
//! and, through it, every result test.

pub mod assembly;
pub mod runs;

use crate::hedging::costs::CostModel;
use crate::hedging::hedger::{HedgeSetup, Settlement};
use crate::hedging::rules::RebalanceRule;
use crate::instruments::book::{Book, OptionLeg, PricingModel};
use crate::paths::{JumpDiffusion, Jumps, TimeGrid};
use crate::pricing::black_scholes::Greeks;
use crate::scenario::{LinkWord, RuleKind, Scenario};

/// Everything the engine and the results need from one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The scenario's canonical link (results quote it).
    pub query: String,
    /// Monte Carlo paths.
    pub paths: u64,
    /// The path generator (GBM, with Merton jumps when `jumps` > 0).
    pub path_model: JumpDiffusion,
    /// The options held, with signed quantities.
    pub book: Book,
    /// The hedger's pricing model (hedging vol, rate, dividend yield).
    pub model: PricingModel,
    /// Trading costs.
    pub costs: CostModel,
    /// Settlement at expiry.
    pub settlement: Settlement,
    /// The dates of the hedge (the paths' grid).
    pub grid: TimeGrid,
    /// The scenario's own rebalancing rule.
    pub rule: RebalanceRule,
    /// A short label of that rule, e.g. `every 5` or `band 0.05 (target)`.
    pub rule_label: String,
    /// The frontier's sweep of the rule's parameter.
    pub sweep: Sweep,
    /// Value and Greeks of the whole position at t = 0 at the hedging vol
    /// (signed: a short book has a negative value).
    pub opening: Greeks,
}

/// The rule's parameter swept for the cost-vs-risk frontier.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// Which link key is swept: `band`, `every` or `aversion` (`none` and
    /// `static` sweep the interval of `every`: they are its two extremes).
    pub parameter: &'static str,
    /// Its values, increasing, without repeats.
    pub values: Vec<f64>,
    /// The rule at each value.
    pub rules: Vec<RebalanceRule>,
    /// The index of the scenario's own setting among `values` (`None` for
    /// `rule=none`, which is not on the sweep).
    pub current: Option<usize>,
}

impl Plan {
    /// The plan of `scenario`.
    pub fn new(scenario: &Scenario) -> Plan {
        let grid = TimeGrid {
            horizon: scenario.expiry,
            steps: scenario.steps as usize,
        };
        let book = Book::single(OptionLeg {
            kind: scenario.kind,
            strike: scenario.strike,
            quantity: scenario.signed_quantity(),
        });
        let model = PricingModel {
            rate: scenario.rate,
            dividend: scenario.dividend,
            vol: scenario.hedging_vol(),
        };
        let opening = book.greeks(&model, scenario.spot, scenario.expiry);
        Plan {
            query: scenario.to_query(),
            paths: scenario.paths,
            path_model: JumpDiffusion {
                spot: scenario.spot,
                drift: scenario.drift,
                dividend: scenario.dividend,
                vol: scenario.vol,
                jumps: if scenario.jumps > 0.0 {
                    Jumps {
                        intensity: scenario.jumps,
                        mean: scenario.jump_mean,
                        sd: scenario.jump_sd,
                    }
                } else {
                    Jumps::NONE
                },
                grid,
                seed: scenario.seed,
            },
            book,
            model,
            costs: CostModel {
                fee: scenario.fee,
                proportional: scenario.cost,
                impact: scenario.impact,
            },
            settlement: scenario.settlement,
            grid,
            rule: own_rule(scenario),
            rule_label: rule_label(scenario),
            sweep: Sweep::new(scenario),
            opening,
        }
    }

    /// The hedge setup for `rule` (the plan's own rule or another one, for
    /// comparisons on the same paths).
    pub fn hedge_setup(&self, rule: RebalanceRule) -> HedgeSetup {
        HedgeSetup {
            book: self.book.clone(),
            model: self.model,
            rule,
            costs: self.costs,
            settlement: self.settlement,
            grid: self.grid,
        }
    }

    /// The rules of a comparison, in its row order: no hedge, static, the
    /// plan's own.
    pub fn comparison_rules(&self) -> [RebalanceRule; 3] {
        [RebalanceRule::None, RebalanceRule::Static, self.rule]
    }

    /// Black–Scholes value of the whole position at t = 0, at the hedging vol
    /// (positive).
    pub fn premium(&self) -> f64 {
        self.opening.price.abs()
    }

    /// Whether the book is short options on balance (net signed quantity below 0).
    pub fn is_short(&self) -> bool {
        self.book.legs.iter().map(|leg| leg.quantity).sum::<f64>() < 0.0
    }
}

/// The scenario's rule with its parameters.
fn own_rule(scenario: &Scenario) -> RebalanceRule {
    match scenario.rule {
        RuleKind::None => RebalanceRule::None,
        RuleKind::Static => RebalanceRule::Static,
        RuleKind::Every => RebalanceRule::Every {
            interval: scenario.every as usize,
        },
        RuleKind::Band => RebalanceRule::Band {
            half_width: scenario.band,
            to: scenario.band_target,
        },
        RuleKind::WhalleyWilmott => RebalanceRule::WhalleyWilmott {
            risk_aversion: scenario.aversion,
        },
    }
}

/// A short label of the scenario's rule, e.g. `every 5` or `band 0.05 (target)`.
fn rule_label(scenario: &Scenario) -> String {
    match scenario.rule {
        RuleKind::None => "none".into(),
        RuleKind::Static => "static".into(),
        RuleKind::Every => format!("every {}", scenario.every),
        RuleKind::Band => format!("band {} ({})", scenario.band, scenario.band_target.word()),
        RuleKind::WhalleyWilmott => format!("ww γ={}", scenario.aversion),
    }
}

impl Sweep {
    /// The values swept for the scenario's rule, and its own point among them.
    fn new(scenario: &Scenario) -> Sweep {
        let mut values: Vec<f64>;
        let parameter;
        match scenario.rule {
            RuleKind::Band => {
                parameter = "band";
                values = vec![0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5];
                values.push(scenario.band);
            }
            RuleKind::WhalleyWilmott => {
                parameter = "aversion";
                values = (-4..=4)
                    .map(|e| libm::pow(10.0, f64::from(e) / 2.0))
                    .collect();
                values.push(scenario.aversion);
            }
            _ => {
                parameter = "every";
                let steps = scenario.steps;
                let mut k = 1u64;
                values = Vec::new();
                while k <= steps {
                    values.push(k as f64);
                    k = (k * 3).div_ceil(2).max(k + 1);
                }
                values.push(steps as f64);
                if scenario.rule == RuleKind::Every {
                    values.push(scenario.every.min(steps) as f64);
                }
            }
        }
        values.sort_by(f64::total_cmp);
        values.dedup();
        let rules = values
            .iter()
            .map(|&v| match parameter {
                "band" => RebalanceRule::Band {
                    half_width: v,
                    to: scenario.band_target,
                },
                "aversion" => RebalanceRule::WhalleyWilmott { risk_aversion: v },
                _ => RebalanceRule::Every {
                    interval: v as usize,
                },
            })
            .collect();
        let own = match scenario.rule {
            RuleKind::Band => scenario.band,
            RuleKind::WhalleyWilmott => scenario.aversion,
            RuleKind::Every => scenario.every.min(scenario.steps) as f64,
            RuleKind::Static => scenario.steps as f64,
            RuleKind::None => f64::NAN,
        };
        Sweep {
            parameter,
            current: values.iter().position(|&v| v == own),
            values,
            rules,
        }
    }
}
