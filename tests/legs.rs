//! Books in the link (`legs`, `with`): the grammar round-trips, every error names
//! its field and position, the single-option keys are the one-leg book, a book's
//! Greeks are its legs' sums and match finite differences, legs living past the
//! horizon are marked to the model, and multi-leg books take the lane kernel
//! with the bits of path-by-path hedging.

use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::hedging::hedger::NoLedger;
use hedge_explorer::instruments::book::{Book, OptionLeg, PricingModel};
use hedge_explorer::paths::{PathBuffer, PathSource};
use hedge_explorer::plan::Plan;
use hedge_explorer::pricing::black_scholes::{self, Inputs, OptionKind};
use hedge_explorer::scenario::{LegList, ScenarioError};
use hedge_explorer::Scenario;

fn parse(query: &str) -> Result<Scenario, ScenarioError> {
    Scenario::parse(query)
}

#[test]
fn the_readmes_books_round_trip() {
    for legs in [
        "-100c100_-100p100",
        "-100c110_-100p90",
        "100c95_-100c105",
        "100c95_-200c100_100c105",
        "100c110_-100p90",
        "-100c100_100c100@0.5",
        "-2.5p97.25@1.5_1c100",
    ] {
        let s = parse(&format!("v=1&legs={legs}")).expect(legs);
        let again = parse(&s.to_query()).expect("canonical");
        assert_eq!(again, s, "{legs}");
        assert!(s.to_query().contains("legs="), "{legs}: {}", s.to_query());
    }
    // Canonical spelling: upper-case kinds, `+` signs and trailing zeros go.
    let s = parse("v=1&legs=%2B100C95.0_-200c100.00").expect("valid");
    assert_eq!(s.to_query(), "v=1&legs=100c95_-200c100");
    let with = parse("v=1&greeks=delta-gamma&with=C105@0.50").expect("valid");
    assert_eq!(with.to_query(), "v=1&greeks=delta-gamma&with=c105@0.5");
}

#[test]
fn a_one_leg_book_is_the_single_option_keys() {
    assert_eq!(
        parse("v=1&legs=-100c100").expect("valid"),
        Scenario::default()
    );
    let put = parse("v=1&legs=50p90").expect("valid");
    assert_eq!(put.to_query(), "v=1&k=90&type=put&side=long&qty=50");
    // With a later expiry it stays a book.
    let later = parse("v=1&legs=50p90@1").expect("valid");
    assert_eq!(later.to_query(), "v=1&legs=50p90@1");
    assert!(later.superseded_keys().contains(&"k"));
    // By default only the history keys that need a series, the insurance
    // keys and the hedger's Heston pricing (GBM paths) do nothing.
    assert_eq!(
        Scenario::default().superseded_keys(),
        ["block", "cap", "floor", "from", "mult", "price", "roll", "until"]
    );
}

#[test]
fn bad_books_name_the_field_and_the_position() {
    let cases = [
        ("v=1&legs=-100x100", "legs", "at character 5"),
        ("v=1&legs=-100c100_100", "legs", "at character 10"),
        ("v=1&legs=1e2c100", "legs", "at character 2"),
        ("v=1&legs=-100c100_0c90", "legs", "quantity 0"),
        (
            "v=1&legs=-100c100__100p90",
            "legs",
            "at character 10: an empty leg",
        ),
        ("v=1&legs=abc100", "legs", "\"a\" is not an option kind"),
        ("v=1&legs=-100c", "legs", "at character 6"),
        ("v=1&legs=-100c-5", "legs", "not a strike"),
        ("v=1&legs=-100c100@", "legs", "at character 10"),
        ("v=1&legs=-100c100@0", "legs", "expiry 0 is out of range"),
        ("v=1&legs=-100c1e2", "legs", "not a strike"),
        (
            "v=1&legs=-100c0",
            "legs",
            "at character 6: strike 0 is out of range",
        ),
        (
            "v=1&legs=-100c1000000.5",
            "legs",
            "strike 1000000.5 is out of range",
        ),
        ("v=1&legs=-100cNaN", "legs", "not a strike"),
        ("v=1&legs=-100c100_100c100@0.1", "legs", "leg 2"),
        ("v=1&legs=-100c100_100p100&k=90", "legs", "with k"),
        ("v=1&type=put&legs=-100c100_100p100", "legs", "with type"),
        (
            "v=1&legs=1c1_1c2_1c3_1c4_1c5_1c6_1c7_1c8_1c9",
            "legs",
            "at character 33: too many legs; at most 8",
        ),
        ("v=1&with=100c105", "with", "take no quantity"),
        (
            "v=1&greeks=delta-gamma",
            "with",
            "needs at least 1 hedge option",
        ),
        (
            "v=1&greeks=delta-gamma-vega&with=c105",
            "with",
            "needs at least 2",
        ),
        (
            "v=1&greeks=delta-vega&with=c105@0.1",
            "with",
            "before the horizon",
        ),
        (
            "v=1&greeks=delta-vega&with=c1_c2_c3_c4",
            "with",
            "at most 3",
        ),
        ("v=1&greeks=gamma", "greeks", "delta-gamma-vega"),
    ];
    for (query, field, says) in cases {
        let error = parse(query).expect_err(query);
        assert_eq!(error.field, field, "{query}: {error}");
        assert!(error.message.contains(says), "{query}: {error}");
        // The page's lenient reading keeps the rest and drops only the bad book.
        let (scenario, errors) = Scenario::parse_lenient(query);
        assert!(!errors.is_empty());
        assert!(scenario.validate().is_ok(), "{query}");
    }
}

#[test]
fn strikes_run_up_to_a_million() {
    for query in ["v=1&legs=-100c1000000", "v=1&legs=-100c0.0001"] {
        assert!(parse(query).is_ok(), "{query}");
    }
}

#[test]
fn legs_and_hedge_options_may_expire_at_the_horizon() {
    // "at t (no @) or later": exactly at t (0.25 by default) is allowed, and
    // a hair before it is not.
    for query in [
        "v=1&legs=-100c100_100c105@0.25",
        "v=1&greeks=delta-gamma&with=c100@0.25",
    ] {
        let s = parse(query).expect(query);
        assert_eq!(parse(&s.to_query()), Ok(s.clone()), "{query}");
        let before = query.replace("@0.25", "@0.2499");
        assert!(parse(&before).is_err(), "{before}");
    }
}

#[test]
fn the_setter_keeps_one_form_of_the_book() {
    let mut s = Scenario::default();
    s.set("legs", "-100c100_-100p100").expect("a straddle");
    assert_eq!(s.legs.legs().len(), 2);
    let error = s.set("k", "105").expect_err("k with legs");
    assert_eq!(error.field, "legs");
    assert_eq!(s.legs.legs().len(), 2, "a rejected value changes nothing");
    s.set("legs", "").expect("back to one option");
    s.set("k", "105").expect("now k is the book");
    assert_eq!(s.strike, 105.0);
}

fn model() -> PricingModel {
    PricingModel {
        rate: 0.03,
        dividend: 0.01,
        vol: 0.25,
    }
}

fn calendar() -> Book {
    let leg = |kind, strike, quantity, beyond_horizon| OptionLeg {
        kind,
        strike,
        quantity,
        beyond_horizon,
    };
    Book {
        legs: vec![
            leg(OptionKind::Call, 100.0, -100.0, 0.0),
            leg(OptionKind::Call, 100.0, 100.0, 0.25),
            leg(OptionKind::Put, 90.0, -50.0, 0.5),
        ],
    }
}

#[test]
fn a_books_greeks_are_its_legs_and_match_finite_differences() {
    let (book, m, spot, tau) = (calendar(), model(), 103.0, 0.2);
    let g = book.greeks(&m, spot, tau);
    // Sums of the legs, each at its own time left.
    let mut price = 0.0;
    for leg in &book.legs {
        let inputs = Inputs {
            spot,
            strike: leg.strike,
            tau: tau + leg.beyond_horizon,
            rate: m.rate,
            dividend: m.dividend,
            vol: m.vol,
        };
        price += leg.quantity * black_scholes::price(leg.kind, &inputs);
    }
    assert!((g.price - price).abs() < 1e-9);
    // Finite differences of the book's value.
    let value = |s: f64, vol: f64, tau: f64| book.greeks(&PricingModel { vol, ..m }, s, tau).price;
    let h = 1e-3;
    let delta = (value(spot + h, m.vol, tau) - value(spot - h, m.vol, tau)) / (2.0 * h);
    let gamma =
        (value(spot + h, m.vol, tau) - 2.0 * g.price + value(spot - h, m.vol, tau)) / (h * h);
    let vega = (value(spot, m.vol + 1e-5, tau) - value(spot, m.vol - 1e-5, tau)) / 2e-5;
    let theta = -(value(spot, m.vol, tau + 1e-5) - value(spot, m.vol, tau - 1e-5)) / 2e-5;
    let at_rate = |rate: f64| book.greeks(&PricingModel { rate, ..m }, spot, tau).price;
    let rho = (at_rate(m.rate + 1e-6) - at_rate(m.rate - 1e-6)) / 2e-6;
    assert!((g.rho - rho).abs() < 1e-3 * 100.0, "{} vs {rho}", g.rho);
    assert!(
        (g.delta - delta).abs() < 1e-6 * 100.0,
        "{} vs {delta}",
        g.delta
    );
    assert!((g.gamma - gamma).abs() < 1e-4, "{} vs {gamma}", g.gamma);
    assert!((g.vega - vega).abs() < 1e-4 * 100.0, "{} vs {vega}", g.vega);
    assert!(
        (g.theta - theta).abs() < 1e-3 * 100.0,
        "{} vs {theta}",
        g.theta
    );
}

#[test]
fn legs_living_past_the_horizon_are_marked_to_the_model() {
    let (book, m, spot) = (calendar(), model(), 97.0);
    let later = |leg: &OptionLeg| {
        leg.quantity
            * black_scholes::price(
                leg.kind,
                &Inputs {
                    spot,
                    strike: leg.strike,
                    tau: leg.beyond_horizon,
                    rate: m.rate,
                    dividend: m.dividend,
                    vol: m.vol,
                },
            )
    };
    let marked = later(&book.legs[1]) + later(&book.legs[2]);
    assert!((book.marked_value(&m, spot) - marked).abs() < 1e-9);
    // The short call expiring at the horizon is out of the money: worth 0.
    assert!((book.horizon_value(&m, spot) - marked).abs() < 1e-9);
    // Only the expiring leg delivers shares.
    assert_eq!(book.payoff_delta(spot), 0.0);
    assert_eq!(book.payoff_delta(101.0), -100.0);
    // The ledger says so on the last row.
    let p = Plan::new(&parse("v=1&legs=-100c100_100c100@0.5&paths=3&steps=10").expect("valid"));
    let (_, rows, _) = Engine::for_plan(&p).ledger(0, 1);
    let last = rows.last().expect("rows");
    assert!(last.marked > 0.0, "{last:?}");
    assert!(rows[..rows.len() - 1].iter().all(|row| row.marked == 0.0));
}

#[test]
fn multi_leg_books_take_the_lane_kernel_with_path_by_path_bits() {
    for legs in [
        "-100c100_-100p100",
        "100c95_-200c100_100c105",
        "-100c100_100c100@0.5",
    ] {
        let p = Plan::new(
            &parse(&format!(
                "v=1&legs={legs}&paths=40&steps=12&rule=band&band=0.02"
            ))
            .expect(legs),
        );
        let engine = Engine::for_plan(&p);
        let hedger = engine.hedgers()[0];
        assert!(hedger.lanes_supported(), "{legs}");
        let chunk = engine.run_chunk(0..40);
        let mut buffer = PathBuffer::new(12);
        for (index, outcome) in chunk[0].iter().enumerate() {
            engine.paths().fill(index as u64, &mut buffer);
            let alone = hedger.run(&buffer, &mut NoLedger);
            assert_eq!(
                outcome.pnl.to_bits(),
                alone.pnl.to_bits(),
                "{legs} path {index}"
            );
            assert_eq!(outcome.trades, alone.trades);
        }
    }
}

#[test]
fn leg_lists_print_what_they_parse() {
    let list = LegList::parse("-1.5c100@2_3p50", true).expect("valid");
    assert_eq!(list.to_string(), "-1.5c100@2_3p50");
    assert_eq!(LegList::parse("", true).expect("empty"), LegList::default());
    let error = LegList::parse("c100_p9x", false).expect_err("bad");
    assert_eq!(error.position, 7, "{error}");
}
