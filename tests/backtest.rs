//! Back-tests on recorded prices through the link, the plan and the engine:
//! Hull's weekly hedging table replayed from its printed prices, a window of a
//! roll against the same window alone, the calendar clock over weekends, the
//! reader's CSV through `px=` and back, bootstrapped paths, and every history
//! key's errors naming the key.

#![allow(clippy::disallowed_methods)]

use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::history::bundled::Bundled;
use hedge_explorer::history::user_csv::parse_prices;
use hedge_explorer::paths::PathSource;
use hedge_explorer::plan::Plan;
use hedge_explorer::scenario::{field_spec, Allowed, Prices};
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).unwrap_or_else(|e| panic!("{query}: {e}")))
}

/// The `px=` value of a CSV's prices.
fn px(csv: &str) -> String {
    Prices::new(parse_prices(csv).expect("a valid CSV"))
        .expect("fits a link")
        .to_string()
}

/// Hull, *Options, Futures, and Other Derivatives* (Table 19.2 in the 9th
/// edition, 17.2/18.2 in earlier ones): a short position in 100,000 calls,
/// S₀ = 49, K = 50, r = 5 %, σ = 20 %, 20 weeks, hedged weekly. Each week's
/// stock price and delta as printed (delta to three decimals).
const HULL_WEEKS: [(f64, f64); 21] = [
    (49.00, 0.522),
    (48.12, 0.458),
    (47.37, 0.400),
    (50.25, 0.596),
    (51.75, 0.693),
    (53.12, 0.774),
    (53.00, 0.771),
    (51.87, 0.706),
    (51.38, 0.674),
    (53.00, 0.787),
    (49.88, 0.550),
    (48.50, 0.413),
    (49.88, 0.542),
    (50.37, 0.591),
    (52.13, 0.768),
    (51.88, 0.759),
    (52.87, 0.865),
    (54.87, 0.978),
    (54.62, 0.990),
    (55.87, 1.000),
    (57.25, 1.000),
];

#[test]
fn hulls_weekly_hedging_table_is_reproduced_from_its_printed_prices() {
    let csv: String = HULL_WEEKS
        .iter()
        .map(|(s, _)| format!("{s:.2}\n"))
        .collect();
    let t: f64 = 20.0 / 52.0;
    let query = format!(
        "v=1&s=49&k=50&t={t}&r=0.05&hvol=0.2&qty=100000&cost=0&px={}",
        px(&csv)
    );
    let plan = plan(&query);
    assert_eq!(plan.paths, 1);
    assert_eq!(plan.grid.steps, 20);
    let (spots, rows, outcome) = Engine::for_plan(&plan).ledger(0, 0);
    // The path is the printed prices (the first is s = 49 already).
    for (spot, (printed, _)) in spots.iter().zip(HULL_WEEKS) {
        assert!((spot - printed).abs() < 1e-12, "{spot} vs {printed}");
    }
    // Shares held each week: 100,000 × delta, within the rounding of the
    // printed delta (±0.0005 × 100,000 = 50 shares).
    for (row, (_, delta)) in rows.iter().zip(HULL_WEEKS).take(20) {
        assert!(
            (row.held - delta * 100_000.0).abs() <= 50.0 + 1e-6,
            "week {}: {} shares vs {}",
            row.step,
            row.held,
            delta * 100_000.0
        );
    }
    // Hull's cost of hedging, $263,300 at expiry: the cumulative cost of the
    // shares with interest less the $5,000,000 received at exercise. Ours is
    // the premium grown to expiry less the P&L there. Holding exact instead
    // of printed deltas moves each week's gain by at most 50 shares × the
    // week's move, and Hull compounds weekly at r/52 where we compound
    // continuously (under 0.01 % of a week's interest): the bound below.
    let horizon_growth = (0.05 * t).exp();
    let premium = -plan.opening.price; // received
    let our_cost = premium * horizon_growth - outcome.pnl * horizon_growth;
    let rounding: f64 = HULL_WEEKS
        .windows(2)
        .map(|w| 50.0 * (w[1].0 - w[0].0).abs())
        .sum();
    let tolerance = rounding + 50.0 + 0.001 * 263_300.0;
    eprintln!(
        "cost of hedging {our_cost:.1} vs 263,300 (tolerance {tolerance:.1}); premium {premium:.1}"
    );
    assert!(
        (our_cost - 263_300.0).abs() <= tolerance,
        "cost of hedging {our_cost:.0} vs Hull's 263,300 (± {tolerance:.0})"
    );
    // And the premium is Hull's $240,000 (2.40 per option) to his rounding.
    assert!((premium - 240_000.0).abs() < 500.0, "{premium}");
}

#[test]
fn a_window_of_a_roll_is_that_window_run_alone() {
    // Each strategy on its window's own clock and with its window's hedging
    // vol (by default the realised vol before the window): the short call
    // hedged weekly with costs, a synthetic put rebalanced weekly, and CPPI.
    for strategy in ["cost=0.002", "insure=synthetic", "insure=cppi&mult=4"] {
        let rolled = plan(&format!(
            "v=1&hist=sp500&from=1987-01-02&until=1988-06-30&roll=21&every=5&{strategy}"
        ));
        assert!(rolled.paths > 10, "{}", rolled.paths);
        let replay = rolled.path_model.replay().expect("a replay");
        let all = Engine::for_plan(&rolled).run(rolled.paths, 7);
        for index in [0u64, 3, rolled.paths - 1] {
            let first = replay.dates(index).expect("dated")[0];
            let alone = plan(&format!("v=1&hist=sp500&from={first}&every=5&{strategy}"));
            assert_eq!(alone.paths, 1);
            let one = Engine::for_plan(&alone).run(1, 1);
            assert_eq!(
                one.by_hedger[0][0].pnl.to_bits(),
                all.by_hedger[0][index as usize].pnl.to_bits(),
                "{strategy}: window {index} from {first}"
            );
        }
    }
}

#[test]
fn steps_last_their_calendar_days_and_the_option_expires_at_the_last_close() {
    // From Friday 1987-10-16, t = 0.25: 91 days allowed, the last close on or
    // before 1988-01-15 (a Friday).
    let p = plan("v=1&hist=sp500&from=1987-10-16");
    let replay = p.path_model.replay().expect("a replay");
    let dates = replay.dates(0).expect("dated");
    assert_eq!(dates[0].to_string(), "1987-10-16");
    assert_eq!(dates[dates.len() - 1].to_string(), "1988-01-15");
    let grid = p.path_model.grid();
    assert_eq!(grid.steps, dates.len() - 1);
    // Friday 16th → Monday 19th is three nights; Monday → Tuesday one.
    // (Differences of times in years: exact to an ulp of the time.)
    assert!((grid.step_length(0) - 3.0 / 365.0).abs() < 1e-16);
    assert!((grid.step_length(1) - 1.0 / 365.0).abs() < 1e-16);
    assert_eq!(grid.horizon, 91.0 / 365.0);
    assert_eq!(grid.time_left(grid.steps), 0.0);
    // The first close is the spot; Black Monday's close is 20.47 % lower.
    let mut path = hedge_explorer::paths::PathBuffer::new(grid.steps);
    p.path_model.fill(0, &mut path);
    assert_eq!(path.spot[0], 100.0);
    assert!((path.spot[1] / path.spot[0] - 224.84 / 282.70).abs() < 1e-12);
    // The hedging vol is the realised vol of the 63 days before the window.
    let vol = p.model.vol;
    assert!(vol > 0.1 && vol < 0.3, "{vol}");
}

#[test]
fn each_window_of_a_roll_has_its_own_dates_clock_and_realised_variance() {
    // A window every 21 trading days through 1987, each the trading days
    // within t = 0.25 (91 calendar days) of its first: how many depends on the
    // weekends and holidays it spans, so the windows differ in length.
    let p = plan("v=1&hist=sp500&from=1987-01-02&until=1987-12-31&roll=21");
    assert_eq!(p.path_model.spot(), 100.0);
    let replay = p.path_model.replay().expect("a replay");
    let all_dates = replay.series().dates.as_deref().expect("dated");
    let first = all_dates
        .iter()
        .position(|d| d.to_string() == "1987-01-02")
        .expect("a trading day");
    let windows = replay.window_dates();
    assert_eq!(windows.len() as u64, p.paths);
    let until = all_dates
        .iter()
        .rposition(|d| d.to_string().as_str() <= "1987-12-31")
        .expect("a trading day");
    assert_eq!(windows.len(), (until - first) / 21 + 1, "{windows:?}");
    let engine = Engine::for_plan(&p);
    let mut lengths = std::collections::BTreeSet::new();
    for (i, &(from, to)) in windows.iter().enumerate() {
        let start = first + 21 * i;
        let end = all_dates
            .iter()
            .rposition(|d| d.0 <= from.0 + 91)
            .expect("a last day");
        assert_eq!((from, to), (all_dates[start], all_dates[end]), "window {i}");
        let steps = end - start;
        lengths.insert(steps);
        assert_eq!(p.path_model.grid_of(i as u64).steps, steps, "window {i}");
        let (spots, rows, _) = engine.ledger(0, i as u64);
        assert_eq!(
            (spots.len(), rows.len()),
            (steps + 1, steps + 1),
            "window {i}"
        );
        assert_eq!(spots[0], 100.0);
        // The ledger's variance column: Σ ln(S_{k+1}/S_k)² per calendar year.
        let squares: f64 = spots.windows(2).map(|w| (w[1] / w[0]).ln().powi(2)).sum();
        let variance = squares / (f64::from(to.0 - from.0) / 365.0);
        for row in &rows {
            assert!(
                (row.variance - variance).abs() < 1e-12 * variance,
                "window {i}: {} vs {variance}",
                row.variance
            );
        }
    }
    assert!(lengths.len() > 1, "{lengths:?}");
}

#[test]
fn a_csv_becomes_a_link_that_reopens_to_the_same_numbers() {
    let csv = "date,close\n2020-02-14,3380.16\n2020-02-18,3370.29\n2020-02-19,3386.15\n\
               2020-02-20,3373.23\n2020-02-21,3337.75\n2020-02-24,3225.89\n2020-02-25,3128.21\n\
               2020-02-26,3116.39\n2020-02-27,2978.76\n2020-02-28,2954.22\n2020-03-02,3090.23\n";
    let query = format!("v=1&k=95&px={}", px(csv));
    let scenario = Scenario::parse(&query).expect("valid");
    let printed = scenario.to_query();
    assert_eq!(printed, query, "canonical");
    let again = Scenario::parse(&printed).expect("valid");
    assert_eq!(again, scenario);
    let a = Engine::for_plan(&Plan::new(&scenario)).run(1, 1);
    let b = Engine::for_plan(&Plan::new(&again)).run(1, 1);
    assert_eq!(a, b);
    // Dated prices keep their own span: 17 calendar days.
    assert_eq!(Plan::new(&scenario).grid.horizon, 17.0 / 365.0);
    assert!(scenario.superseded_keys().contains(&"t"));
    // Without dates the points are spread evenly over t.
    let undated = plan(&format!("v=1&t=0.5&px={}", px("100\n101\n99\n102\n")));
    assert_eq!(undated.grid.steps, 3);
    assert_eq!(undated.grid.step_length(1), 0.5 / 3.0);
}

#[test]
fn bootstrapped_paths_follow_the_scenarios_drift_one_step_a_trading_day() {
    let p = plan(
        "v=1&hist=sp500&model=bootstrap&from=1990-01-02&until=2000-12-29&t=1&mu=0.05&q=0.03&paths=4000",
    );
    let grid = p.path_model.grid();
    // About 252 trading days a year in the source.
    assert!((250..=254).contains(&grid.steps), "{}", grid.steps);
    let mut path = hedge_explorer::paths::PathBuffer::new(grid.steps);
    let (mut sum, mut squares) = (0.0, 0.0);
    let n = 4000;
    for i in 0..n {
        p.path_model.fill(i, &mut path);
        let x = (path.spot[grid.steps] / path.spot[0]).ln();
        sum += x;
        squares += x * x;
    }
    let mean = sum / n as f64;
    let sd = (squares / n as f64 - mean * mean).sqrt();
    // The expected log return is μ − q − σ²/2 with σ the source's vol per
    // year (the hedging vol's default).
    let sigma = p.model.vol;
    let expected = 0.05 - 0.03 - 0.5 * sigma * sigma;
    assert!(
        (mean - expected).abs() < 4.0 * sd / (n as f64).sqrt(),
        "mean {mean} vs {expected} (sd {sd})"
    );
    // The source's variance per year and steps a year, written out from the
    // closes: n returns over the calendar years they span.
    let series = Bundled::Sp500.series().expect("bundled");
    let dates = series.dates.as_deref().expect("dated");
    let start = dates.partition_point(|d| d.to_string().as_str() < "1990-01-02");
    let end = dates.partition_point(|d| d.to_string().as_str() <= "2000-12-29") - 1;
    let returns: Vec<f64> = (start..end)
        .map(|i| (series.units[i + 1] as f64 / series.units[i] as f64).ln())
        .collect();
    let count = returns.len() as f64;
    let per_year = count / (f64::from(dates[end].days_since(dates[start])) / 365.0);
    let mean_return = returns.iter().sum::<f64>() / count;
    let variance = returns
        .iter()
        .map(|r| (r - mean_return).powi(2))
        .sum::<f64>()
        / (count - 1.0);
    let vol = (variance * per_year).sqrt();
    assert!(
        (p.model.vol - vol).abs() < 1e-12 * vol,
        "{} vs {vol}",
        p.model.vol
    );
    assert_eq!(grid.steps, per_year.round() as usize);
    // Deterministic per seed.
    let again = plan(
        "v=1&hist=sp500&model=bootstrap&from=1990-01-02&until=2000-12-29&t=1&mu=0.05&q=0.03&paths=4000",
    );
    let mut other = hedge_explorer::paths::PathBuffer::new(grid.steps);
    again.path_model.fill(17, &mut other);
    p.path_model.fill(17, &mut path);
    assert_eq!(path, other);
}

#[test]
fn history_keys_round_trip_through_the_canonical_link() {
    for query in [
        "v=1&hist=sp500&from=1987-10-16",
        "v=1&hist=djia&from=2020-02-14&t=0.1",
        "v=1&hist=sp500&from=1960-01-04&until=2017-12-01&roll=63&every=5",
        "v=1&model=bootstrap&hist=sp500&block=20&paths=500",
        "v=1&hist=sp500&model=bootstrap&from=1950-01-03&until=2018-12-07&paths=100",
    ] {
        let s = Scenario::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
        let printed = s.to_query();
        assert_eq!(Scenario::parse(&printed), Ok(s), "{query} → {printed}");
    }
}

#[test]
fn bad_history_keys_name_the_key_and_what_is_allowed() {
    let cases = [
        (
            "v=1&hist=sp500&from=1940-01-01",
            "from",
            "outside the series",
        ),
        ("v=1&hist=sp500&from=2018-11-01", "t", "runs past"),
        (
            "v=1&hist=sp500&from=1950-01-03",
            "from",
            "trading days before",
        ),
        ("v=1&hist=sp500&from=1987-13-01", "from", "not a date"),
        ("v=1&hist=nasdaq", "hist", "sp500"),
        (
            "v=1&hist=sp500&roll=21&until=2019-01-01",
            "until",
            "outside",
        ),
        ("v=1&roll=21", "roll", "hist"),
        ("v=1&model=bootstrap", "model", "hist"),
        ("v=1&hist=sp500&model=heston", "model", "bootstrap"),
        ("v=1&hist=sp500&block=0.5", "block", "from 1 to 1000"),
        ("v=1&px=!!", "px", ""),
        ("v=1&hist=djia&t=30&roll=1", "roll", "steps"),
    ];
    for (query, field, words) in cases {
        let e = Scenario::parse(query).expect_err(query);
        assert_eq!(e.field, field, "{query}: {e}");
        assert!(e.message.contains(words), "{query}: {e}");
        // The lenient parse keeps a runnable scenario.
        let (s, errors) = Scenario::parse_lenient(query);
        assert!(!errors.is_empty());
        assert!(s.validate().is_ok(), "{query}");
    }
    let with_both = format!("v=1&hist=sp500&px={}", px("1\n2\n"));
    assert_eq!(Scenario::parse(&with_both).expect_err("both").field, "px");
    let heston_px = format!("v=1&model=heston&px={}", px("1\n2\n"));
    let e = Scenario::parse(&heston_px).expect_err("heston simulates");
    assert_eq!(e.field, "model");
    assert!(e.message.contains("px replays your prices"), "{e}");
}

#[test]
fn a_roll_never_has_more_windows_than_a_run_has_paths() {
    // At most a window a trading day: each bundled series has fewer days
    // than the most paths a link allows, so rolls need no limit of their own.
    let Some(Allowed::Integer {
        max: most_paths, ..
    }) = field_spec("paths").map(|f| f.allowed)
    else {
        panic!("paths is an integer field");
    };
    for bundled in [Bundled::Sp500, Bundled::Djia] {
        let days = bundled.series().expect("bundled").len() as u64;
        assert!(days < most_paths, "{}: {days} days", bundled.name());
    }
}
