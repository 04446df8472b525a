//! The words of the choice keys (`type`, `side`, `rule`, `to`, `greeks`, `settle`, `model`, `price`, `hist`) and how
//! the page's menus label them. The engine's enums know nothing of links; their
//! words live here, with the link format.
//!
//! **Tested by** `tests/fields.rs` (every word reads back to its variant) and
//! `tests/scenario.rs` (case-insensitive parsing, messages listing the words).

use super::spec::link_words;
use super::{PathModelKind, RuleKind, SeriesKind, Side};
use crate::hedging::greeks::GreekTargets;
use crate::hedging::hedger::Settlement;
use crate::hedging::heston_pricer::HedgePricing;
use crate::hedging::rules::BandTarget;
use crate::insurance::InsuranceKind;
use crate::pricing::black_scholes::OptionKind;

link_words!(OptionKind {
    Call = "call": "call",
    Put = "put": "put",
});

link_words!(Side {
    Long = "long": "long (bought: premium paid)",
    Short = "short": "short (written: premium received)",
});

link_words!(RuleKind {
    None = "none": "none — never hedge",
    Static = "static": "static — hedge once at the start",
    Every = "every": "every k steps",
    Band = "band": "delta band",
    WhalleyWilmott = "ww": "Whalley–Wilmott band",
});

link_words!(BandTarget {
    Target = "target": "the target (delta-neutral)",
    Edge = "edge": "the band's edge",
});

link_words!(Settlement {
    Cash = "cash": "cash",
    Physical = "physical": "physical (shares delivered)",
});

link_words!(GreekTargets {
    Delta = "delta": "delta (shares only)",
    DeltaGamma = "delta-gamma": "delta and gamma",
    DeltaVega = "delta-vega": "delta and vega",
    DeltaGammaVega = "delta-gamma-vega": "delta, gamma and vega",
});

link_words!(PathModelKind {
    Gbm = "gbm": "GBM (constant volatility)",
    Heston = "heston": "Heston (stochastic volatility)",
    Bootstrap = "bootstrap": "bootstrap of the price history",
});

link_words!(HedgePricing {
    BlackScholes = "bs": "Black–Scholes at the hedging vol",
    Heston = "heston": "Heston delta at the path's variance",
    HestonMinimumVariance = "heston-mv": "Heston minimum-variance delta",
});

link_words!(InsuranceKind {
    Unprotected = "none": "no: hedge the options",
    BoughtPut = "put": "buy puts (static)",
    SyntheticPut = "synthetic": "synthetic put (dynamic)",
    Cppi = "cppi": "CPPI (dynamic)",
});

link_words!(SeriesKind {
    None = "none": "none (simulated paths)",
    Sp500 = "sp500": "S&P 500, 1950–2018",
    Djia = "djia": "Dow Jones, 1885–2023",
});
