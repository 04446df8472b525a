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
//! sweep's values and its own point, the opening Greeks against Black–Scholes,
//! an insured plan's opening value, delta, protection cost and floor against
//! its put position solved in the test, which comparison rows compare as
//! distributions, the own row, the frontier's strategies;
//! `tests/insurance_link.rs`, `tests/greeks_hedge.rs` and
//! `tests/heston_hedge.rs`, the setups and comparison names of insured,
//! option-hedged and Heston-priced runs; `tests/run_plan.rs`, the parts'
//! rules; and, through it, every result test.

pub mod assembly;
pub mod runs;

use crate::hedging::costs::CostModel;
use crate::hedging::greeks::GreekTargets;
use crate::hedging::hedger::{HedgeSetup, Settlement};
use crate::hedging::heston_pricer::{HedgePricing, HestonBookPricer, HestonModel};
use crate::hedging::rules::RebalanceRule;
use crate::history::source::HistoryPaths;
use crate::instruments::book::{Book, OptionLeg, PricingModel};
use crate::insurance::{InsuranceKind, InsuranceSetup, Insurer};
use crate::paths::heston::HestonPaths;
use crate::paths::model::PathModel;
use crate::paths::{JumpDiffusion, Jumps, PathSource, TimeGrid};
use crate::pricing::black_scholes::Greeks;
use crate::pricing::heston::HestonParams;
use crate::scenario::{LinkWord, PathModelKind, RuleKind, Scenario};

/// Everything the engine and the results need from one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The scenario's canonical link (results quote it).
    pub query: String,
    /// Monte Carlo paths.
    pub paths: u64,
    /// The path generator (GBM or Heston, with Merton jumps when `jumps` > 0).
    pub path_model: PathModel,
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
    /// Which Greeks the hedge neutralises ([`GreekTargets::Delta`] unless the
    /// scenario has hedge options for more).
    pub greeks: GreekTargets,
    /// The options the hedger may trade besides shares (quantity 1 each).
    pub hedge_options: Vec<OptionLeg>,
    /// Cost of a hedge-option trade, as a fraction of the value traded.
    pub option_cost: f64,
    /// A short label of that rule, e.g. `every 5` or `band 0.05 (target)`.
    pub rule_label: String,
    /// The frontier's sweep of the rule's parameter.
    pub sweep: Sweep,
    /// Value and Greeks of the whole position at t = 0 at the hedging vol
    /// (signed: a short book has a negative value).
    pub opening: Greeks,
    /// Portfolio insurance in place of the option book (`insure`), if any.
    pub insurance: Option<InsuranceTerms>,
    /// The model the scenario's hedger prices with (`price`).
    pub pricing: HedgePricing,
    /// The paths' Heston (Bates) model when they have one: what a hedger with
    /// [`HedgePricing::Heston`] prices with.
    pub heston: Option<HestonModel>,
}

/// What a plan insures instead of hedging options: `qty` shares at the spot,
/// protected by one of the [`InsuranceKind`]s (all of which a comparison runs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InsuranceTerms {
    /// The scenario's own protection (never [`InsuranceKind::Unprotected`]).
    pub kind: InsuranceKind,
    /// Shares in the portfolio.
    pub quantity: f64,
    /// The floor as a fraction of the starting value.
    pub floor: f64,
    /// CPPI's multiplier.
    pub multiplier: f64,
    /// CPPI's cap on exposure, as a fraction of value.
    pub cap: f64,
    /// What the protection costs at `t_0`: the puts' value `n·P(K)` for the
    /// bought and the synthetic put, 0 for CPPI.
    pub protection_cost: f64,
}

/// One way to hedge the plan's book: a rule (when) and the Greeks it
/// neutralises (what). A comparison's rows and a frontier's points are
/// strategies run on the same paths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strategy {
    /// When the hedge trades.
    pub rule: RebalanceRule,
    /// What it neutralises.
    pub greeks: GreekTargets,
    /// How the portfolio is protected, in a plan that insures one (`None`:
    /// the option book is hedged).
    pub insurance: Option<InsuranceKind>,
    /// The model the hedger prices with.
    pub pricing: HedgePricing,
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
        let (path_model, history_vol) = path_model(scenario);
        // The first path's clock (a replay's windows each have their own; the
        // engine prepares a hedger per window).
        let grid = path_model.grid();
        let book = Book {
            legs: scenario
                .book_legs()
                .iter()
                .map(|leg| OptionLeg {
                    kind: leg.kind,
                    strike: leg.strike,
                    quantity: leg.quantity.unwrap_or(0.0),
                    beyond_horizon: leg.expiry.map_or(0.0, |e| e - scenario.expiry),
                })
                .collect(),
        };
        let model = PricingModel {
            rate: scenario.rate,
            dividend: scenario.dividend,
            // Recorded prices' default vol comes with their paths (computed
            // once, here); otherwise the scenario's.
            vol: history_vol.unwrap_or_else(|| scenario.hedging_vol()),
        };
        let heston = match &path_model {
            PathModel::Heston(paths) => Some(HestonModel {
                params: paths.params,
                jumps: paths.jumps,
            }),
            _ => None,
        };
        // A link's rules allow Heston pricing only on Heston paths.
        let pricing = match heston {
            Some(_) => scenario.pricing,
            None => HedgePricing::BlackScholes,
        };
        let opening = match heston.and_then(|m| pricing.heston_hedge(m)) {
            Some(hedge) => HestonBookPricer::new(&book, &model, &grid, hedge)
                .opening(scenario.spot, grid.horizon),
            None => book.greeks(&model, scenario.spot, grid.horizon),
        };
        let hedge_options: Vec<OptionLeg> = scenario
            .hedge_options
            .legs()
            .iter()
            .map(|option| OptionLeg {
                kind: option.kind,
                strike: option.strike,
                quantity: 1.0,
                beyond_horizon: option.expiry.map_or(0.0, |e| e - scenario.expiry),
            })
            .collect();
        // Greeks beyond delta need hedge options (the link's rules make sure
        // there are enough; a plan without them hedges delta).
        let greeks = if hedge_options.is_empty() {
            GreekTargets::Delta
        } else {
            scenario.greeks
        };
        let mut plan = Plan {
            query: scenario.to_query(),
            paths: path_model.fixed_paths().unwrap_or(scenario.paths),
            path_model,
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
            greeks,
            hedge_options: if greeks == GreekTargets::Delta {
                Vec::new()
            } else {
                hedge_options
            },
            option_cost: scenario.option_cost,
            rule_label: rule_label(scenario),
            sweep: Sweep::new(scenario),
            opening,
            insurance: (scenario.insure != InsuranceKind::Unprotected).then_some(InsuranceTerms {
                kind: scenario.insure,
                quantity: scenario.quantity,
                floor: scenario.floor,
                multiplier: scenario.multiplier,
                cap: scenario.cap,
                protection_cost: 0.0,
            }),
            pricing,
            heston,
        };
        plan.open_insurance();
        plan
    }

    /// An insured portfolio's opening value and Greeks and the cost of its
    /// protection, from the insurer of its own kind on the first path's clock.
    fn open_insurance(&mut self) {
        let Some(terms) = self.insurance else {
            return;
        };
        let Some(setup) =
            self.insurance_setup(terms.kind, self.rule, self.grid.clone(), self.model.vol)
        else {
            return;
        };
        let insurer = Insurer::new(setup.clone()).unwrap_or_else(|_| Insurer::unprotected(setup));
        self.opening = insurer.opening_greeks();
        let protection_cost = insurer.put_position().map_or(0.0, |p| p.count * p.premium);
        self.insurance = Some(InsuranceTerms {
            protection_cost,
            ..terms
        });
    }

    /// The insurance setup of `kind` with `rule` on path clock `grid` at
    /// hedging vol `vol` (a replay's window has its own clock and vol), or
    /// `None` when the plan hedges options.
    pub fn insurance_setup(
        &self,
        kind: InsuranceKind,
        rule: RebalanceRule,
        grid: TimeGrid,
        vol: f64,
    ) -> Option<InsuranceSetup> {
        let terms = self.insurance?;
        Some(InsuranceSetup {
            kind,
            quantity: terms.quantity,
            spot: self.path_model.spot(),
            floor: terms.floor,
            multiplier: terms.multiplier,
            cap: terms.cap,
            rate: self.model.rate,
            dividend: self.model.dividend,
            hedging_vol: vol,
            costs: self.costs,
            option_cost: self.option_cost,
            rule,
            grid,
        })
    }

    /// The hedge setup for `rule` (the plan's own rule or another one, for
    /// comparisons on the same paths).
    pub fn hedge_setup(&self, rule: RebalanceRule) -> HedgeSetup {
        self.strategy_setup(Strategy {
            rule,
            greeks: self.greeks,
            insurance: None,
            pricing: self.pricing,
        })
    }

    /// The hedge setup of `strategy` on the plan's book, paths and costs.
    pub fn strategy_setup(&self, strategy: Strategy) -> HedgeSetup {
        let with_options = strategy.greeks != GreekTargets::Delta;
        HedgeSetup {
            book: self.book.clone(),
            model: self.model,
            rule: strategy.rule,
            costs: self.costs,
            settlement: self.settlement,
            grid: self.grid.clone(),
            greeks: strategy.greeks,
            hedge_options: if with_options {
                self.hedge_options.clone()
            } else {
                Vec::new()
            },
            option_cost: self.option_cost,
            heston: self.heston.and_then(|m| strategy.pricing.heston_hedge(m)),
        }
    }

    /// The plan's own strategy: its rule and Greeks.
    pub fn own_strategy(&self) -> Strategy {
        Strategy {
            rule: self.rule,
            greeks: self.greeks,
            insurance: self.insurance.map(|terms| terms.kind),
            pricing: self.pricing,
        }
    }

    /// The strategy of `kind` insuring the portfolio with the plan's rule.
    fn insuring(&self, kind: InsuranceKind) -> Strategy {
        Strategy {
            rule: self.rule,
            greeks: GreekTargets::Delta,
            insurance: Some(kind),
            pricing: HedgePricing::BlackScholes,
        }
    }

    /// For an insured portfolio, its floor as an outcome: `F − V₀ =
    /// (floor − 1)·qty·S₀`, money at the horizon (what an insured run's P&L is
    /// measured against); `None` when the plan hedges options.
    pub fn floor_outcome(&self) -> Option<f64> {
        self.insurance.map(|terms| {
            let start = terms.quantity * self.path_model.spot();
            terms.floor * start - start
        })
    }

    /// The unprotected portfolio, beside which an insured one is summarised
    /// (`None` when the plan hedges options).
    pub fn unprotected(&self) -> Option<Strategy> {
        self.insurance
            .map(|_| self.insuring(InsuranceKind::Unprotected))
    }

    /// The strategies of a comparison, in its row order: no hedge, static, the
    /// plan's rule with shares alone ("delta only", only when the plan hedges
    /// more Greeks), and the plan's own strategy, always last.
    pub fn comparison(&self) -> Vec<Strategy> {
        if self.insurance.is_some() {
            // Insurance: every protection, the unprotected portfolio first.
            return InsuranceKind::ALL
                .into_iter()
                .map(|kind| self.insuring(kind))
                .collect();
        }
        let with = |rule, greeks| Strategy {
            rule,
            greeks,
            insurance: None,
            pricing: self.pricing,
        };
        let mut rows = vec![
            with(RebalanceRule::None, GreekTargets::Delta),
            with(RebalanceRule::Static, self.greeks),
        ];
        if self.greeks != GreekTargets::Delta {
            rows.push(with(self.rule, GreekTargets::Delta));
        }
        if self.compares_pricing() {
            // Heston paths: the same rule with the other hedgers' models, so
            // the deltas meet on the same paths.
            for pricing in HedgePricing::ALL {
                if pricing != self.pricing {
                    rows.push(Strategy {
                        pricing,
                        ..self.own_strategy()
                    });
                }
            }
        }
        rows.push(self.own_strategy());
        rows
    }

    /// The names of [`Plan::comparison`]'s rows: `none`, `static`, the rule's
    /// label, and with hedge options the Greeks each row neutralises.
    pub fn comparison_names(&self) -> Vec<String> {
        let label = |strategy: &Strategy| {
            if let Some(kind) = strategy.insurance {
                return match kind {
                    InsuranceKind::Unprotected | InsuranceKind::BoughtPut => {
                        kind.word().to_string()
                    }
                    _ => format!("{}, {}", kind.word(), self.rule_label),
                };
            }
            let rule = match strategy.rule {
                RebalanceRule::None => "none".to_string(),
                RebalanceRule::Static => "static".to_string(),
                _ => self.rule_label.clone(),
            };
            let rule = match (self.greeks, strategy.rule) {
                (GreekTargets::Delta, _) | (_, RebalanceRule::None) => rule,
                _ => format!("{rule}, {}", strategy.greeks.word()),
            };
            if self.compares_pricing() && strategy.rule != RebalanceRule::None {
                format!("{rule}, {}", strategy.pricing.short_name())
            } else {
                rule
            }
        };
        self.comparison().iter().map(label).collect()
    }

    /// Whether the comparison sets the hedgers' models side by side: when the
    /// scenario's hedger prices with the paths' Heston model (which implies a
    /// share hedge of an option book). A Black–Scholes hedger of Heston paths
    /// is compared as before, without building the model's delta tables.
    pub fn compares_pricing(&self) -> bool {
        self.heston.is_some() && self.pricing != HedgePricing::BlackScholes
    }

    /// The rows of [`Plan::comparison`] that compare best as distributions
    /// of their outcomes on the same paths (rather than as bars of their
    /// spread): every protection of an insured portfolio, beside the floor;
    /// on Heston paths the hedges with the scenario's rule, one per model
    /// the hedger prices with. `None` for other plans.
    pub fn outcome_rows(&self) -> Option<Vec<usize>> {
        let rows = self.comparison();
        if self.insurance.is_some() {
            return Some((0..rows.len()).collect());
        }
        if !self.compares_pricing() {
            return None;
        }
        let own = self.own_strategy();
        Some(
            rows.iter()
                .enumerate()
                .filter(|(_, s)| s.rule == own.rule && s.greeks == own.greeks)
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The row of the plan's own strategy in [`Plan::comparison`] (the last;
    /// an insured portfolio's own protection among the four, which are in
    /// [`InsuranceKind::ALL`]'s order).
    pub fn own_row(&self) -> usize {
        match self.insurance {
            Some(terms) => terms.kind.index(),
            None => self.comparison().len() - 1,
        }
    }

    /// The frontier's strategies: the sweep's rules with the plan's Greeks.
    pub fn sweep_strategies(&self) -> Vec<Strategy> {
        self.sweep
            .rules
            .iter()
            .map(|&rule| Strategy {
                rule,
                ..self.own_strategy()
            })
            .collect()
    }

    /// Black–Scholes value of the whole position at t = 0, at the hedging vol
    /// (positive).
    pub fn premium(&self) -> f64 {
        match self.insurance {
            Some(terms) => terms.protection_cost,
            None => self.opening.price.abs(),
        }
    }

    /// The book's strikes, in leg order (the path chart marks them).
    pub fn strikes(&self) -> Vec<f64> {
        self.book.legs.iter().map(|leg| leg.strike).collect()
    }

    /// Whether the book is short options on balance (net signed quantity below 0).
    pub fn is_short(&self) -> bool {
        self.book.legs.iter().map(|leg| leg.quantity).sum::<f64>() < 0.0
    }
}

/// The scenario's paths: recorded prices, or GBM or Heston with its jumps;
/// and for recorded prices the hedging vol of the first path
/// ([`Scenario::hedging_vol`], without building the paths again).
fn path_model(scenario: &Scenario) -> (PathModel, Option<f64>) {
    // A parsed scenario's history keys are valid (the link's rules build the
    // same paths and refuse the link on an error).
    if let Ok(Some(history)) = crate::history::source::paths_of(scenario) {
        let vol = history.hedging_vol(0);
        let model = match history {
            HistoryPaths::Replay(replay) => PathModel::Replay(replay),
            HistoryPaths::Bootstrap(paths, _) => PathModel::Bootstrap(paths),
        };
        return (model, Some(vol));
    }
    let grid = TimeGrid::even(scenario.expiry, scenario.steps as usize);
    let jumps = if scenario.jumps > 0.0 {
        Jumps {
            intensity: scenario.jumps,
            mean: scenario.jump_mean,
            sd: scenario.jump_sd,
        }
    } else {
        Jumps::NONE
    };
    let model = match scenario.model {
        PathModelKind::Gbm | PathModelKind::Bootstrap => PathModel::Diffusion(JumpDiffusion {
            spot: scenario.spot,
            drift: scenario.drift,
            dividend: scenario.dividend,
            vol: scenario.vol,
            jumps,
            grid,
            seed: scenario.seed,
        }),
        PathModelKind::Heston => PathModel::Heston(HestonPaths {
            spot: scenario.spot,
            drift: scenario.drift,
            dividend: scenario.dividend,
            params: HestonParams {
                v0: scenario.v0,
                kappa: scenario.kappa,
                theta: scenario.theta,
                xi: scenario.xi,
                rho: scenario.rho,
            },
            jumps,
            grid,
            seed: scenario.seed,
        }),
    };
    (model, None)
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
