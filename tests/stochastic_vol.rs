//! Heston (and Bates) paths through the engine: the link keys, the hedging vol
//! that follows √v0, the GBM limit, the wider P&L as the variance moves, the
//! variance path in the ledger, chunking invariance and the P&L identity.

use hedge_explorer::engine::montecarlo::{Engine, RunSummary};
use hedge_explorer::paths::model::PathModel;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::ScenarioSummary;
use hedge_explorer::scenario::PathModelKind;
use hedge_explorer::Scenario;

fn plan(query: &str) -> Plan {
    Plan::new(&Scenario::parse(query).expect("a valid link"))
}

#[test]
fn heston_keys_round_trip_and_set_the_hedging_vol() {
    let s = Scenario::parse("v=1&model=heston&v0=0.09&kappa=1.5&theta=0.05&xi=0.8&rho=-0.9")
        .expect("valid");
    assert_eq!(s.model, PathModelKind::Heston);
    assert_eq!(Scenario::parse(&s.to_query()), Ok(s.clone()));
    // The hedger prices at the initial vol unless hvol says otherwise.
    assert_eq!(s.hedging_vol(), 0.3);
    assert!(s.superseded_keys().contains(&"vol"));
    let with_hvol = Scenario::parse("v=1&model=heston&v0=0.09&hvol=0.25").expect("valid");
    assert_eq!(with_hvol.hedging_vol(), 0.25);
    assert!(matches!(
        plan(&s.to_query()).path_model,
        PathModel::Heston(_)
    ));
    for (query, field) in [
        ("v=1&model=heston&rho=-1.5", "rho"),
        ("v=1&model=heston&xi=-0.1", "xi"),
        ("v=1&model=heston&v0=nan", "v0"),
        ("v=1&model=sabr", "model"),
    ] {
        assert_eq!(
            Scenario::parse(query).expect_err(query).field,
            field,
            "{query}"
        );
    }
}

/// Mean and SD of P&L of `query`'s own strategy.
fn pnl(query: &str) -> (f64, f64, f64) {
    let p = plan(query);
    let s = ScenarioSummary::run(&p);
    (s.run.pnl.mean, s.run.pnl.sd, p.paths as f64)
}

#[test]
fn without_vol_of_variance_heston_hedging_is_gbm_hedging() {
    // ξ = 0 and v0 = θ = σ²: the variance stays at σ², so the P&L has GBM's
    // distribution (different random numbers: agreement within errors).
    let common = "v=1&paths=8000&steps=40&cost=0.001&vol=0.25&hvol=0.25";
    let (m_gbm, sd_gbm, n) = pnl(common);
    let (m_h, sd_h, _) = pnl(&format!(
        "{common}&model=heston&v0=0.0625&theta=0.0625&xi=0&kappa=3"
    ));
    let se = (sd_gbm * sd_gbm / n + sd_h * sd_h / n).sqrt();
    assert!(
        (m_gbm - m_h).abs() < 4.0 * se,
        "means {m_gbm} vs {m_h} (SE {se})"
    );
    let sd_se = sd_gbm / (2.0 * n).sqrt();
    assert!(
        (sd_gbm - sd_h).abs() < 5.0 * sd_se * 2f64.sqrt(),
        "SDs {sd_gbm} vs {sd_h}"
    );
}

#[test]
fn moving_variance_widens_the_hedged_pnl() {
    // The same average variance, but the more the variance moves, the wider the
    // Black–Scholes-hedged P&L: vega risk that rebalancing cannot remove.
    let common = "v=1&paths=4000&steps=63&cost=0&model=heston&v0=0.04&theta=0.04&kappa=2&rho=-0.7";
    let sds: Vec<f64> = [0.0, 0.5, 1.0]
        .iter()
        .map(|xi| pnl(&format!("{common}&xi={xi}")).1)
        .collect();
    assert!(sds[0] < sds[1] && sds[1] < sds[2], "SD by ξ: {sds:?}");
    assert!(
        sds[2] > 2.0 * sds[0],
        "ξ = 1 at least doubles the SD: {sds:?}"
    );
}

#[test]
fn the_ledger_holds_the_variance_path_and_the_pnl_identity() {
    let p = plan(
        "v=1&paths=20&steps=30&model=heston&xi=1.5&kappa=0.5&theta=0.04&v0=0.04&jumps=3&cost=0.002",
    );
    let engine = Engine::for_plan(&p);
    let (spots, rows, outcome) = engine.ledger(0, 3);
    assert_eq!(rows.len(), spots.len());
    assert_eq!(rows[0].variance, 0.04);
    assert!(
        rows.iter().all(|r| r.variance >= 0.0),
        "variance never negative"
    );
    assert!(
        rows.windows(2).any(|w| w[0].variance != w[1].variance),
        "it moves"
    );
    // The final cumulative P&L is the outcome (in money at T, discounted).
    let last = rows.last().expect("rows");
    let discount = libm::exp(-p.model.rate * p.grid.horizon);
    assert!((last.pnl * discount - outcome.pnl).abs() < 1e-9 * spots[0] * 100.0);
    // GBM ledgers show the constant variance.
    let gbm = Engine::for_plan(&plan("v=1&paths=3&vol=0.3"));
    assert!(gbm
        .ledger(0, 1)
        .1
        .iter()
        .all(|r| (r.variance - 0.09).abs() < 1e-15));
}

#[test]
fn heston_runs_do_not_depend_on_chunking() {
    let p = plan("v=1&paths=70&steps=12&model=heston&xi=0.9&rule=band&band=0.03");
    let engine = Engine::for_plan(&p);
    let whole = engine.run(70, 70);
    for chunk in [1, 7, 16, 33] {
        let run = engine.run(70, chunk);
        let bits = |o: &[hedge_explorer::hedging::hedger::PathOutcome]| -> Vec<u64> {
            o.iter().map(|x| x.pnl.to_bits()).collect()
        };
        assert_eq!(
            bits(&run.by_hedger[0]),
            bits(&whole.by_hedger[0]),
            "chunk {chunk}"
        );
    }
    let summary = RunSummary::of(&whole.by_hedger[0]);
    assert!(summary.pnl.sd.is_finite() && summary.pnl.sd > 0.0);
}

/// The smile's vol at `strike` (one of its points).
fn vol_at(points: &[hedge_explorer::results::smile::SmilePoint], strike: f64) -> f64 {
    points
        .iter()
        .find(|p| (p.strike - strike).abs() < 1e-9)
        .map(|p| p.vol)
        .expect("strike")
}

/// The out-of-the-money option at `strike`: a put below the forward, a call above.
fn out_of_the_money(
    strike: f64,
    forward: f64,
) -> hedge_explorer::pricing::black_scholes::OptionKind {
    use hedge_explorer::pricing::black_scholes::OptionKind;
    if strike < forward {
        OptionKind::Put
    } else {
        OptionKind::Call
    }
}

#[test]
fn the_smile_is_flat_without_stochastic_vol_and_slopes_with_rho() {
    use hedge_explorer::pricing::black_scholes;
    use hedge_explorer::pricing::heston::{heston_price, Market};
    use hedge_explorer::results::smile::smile;

    let gbm = smile(&plan("v=1&vol=0.27"));
    assert_eq!(gbm.len(), 33);
    assert!(gbm.iter().all(|p| p.vol == 0.27));
    // ξ = 0 and v0 = θ: Black–Scholes at √v0 (to the Heston pricer's accuracy).
    let flat = smile(&plan("v=1&model=heston&v0=0.09&theta=0.09&xi=0"));
    assert!(flat.iter().all(|p| (p.vol - 0.3).abs() < 1e-6), "{flat:?}");
    // ρ < 0: the leverage effect, a skew down; ρ > 0 up.
    let down = smile(&plan("v=1&model=heston&xi=0.6&rho=-0.7"));
    assert!(
        vol_at(&down, 80.0) > vol_at(&down, 100.0) && vol_at(&down, 100.0) > vol_at(&down, 110.0)
    );
    let up = smile(&plan("v=1&model=heston&xi=0.6&rho=0.7"));
    assert!(vol_at(&up, 80.0) < vol_at(&up, 100.0) && vol_at(&up, 100.0) < vol_at(&up, 120.0));
    // Every point reprices the model: Black–Scholes at the implied vol is the
    // Heston price of the out-of-the-money option.
    let p = plan("v=1&model=heston&xi=0.6&rho=-0.7");
    let hedge_explorer::paths::model::PathModel::Heston(m) = &p.path_model else {
        panic!("Heston");
    };
    for point in &down {
        let kind = out_of_the_money(point.strike, 100.0 * libm::exp(0.02 * 0.25));
        let market = Market {
            spot: 100.0,
            strike: point.strike,
            tau: 0.25,
            rate: 0.02,
            dividend: 0.0,
        };
        let model = heston_price(kind, &market, &m.params, &m.jumps);
        let black = black_scholes::price(kind, &market.with_vol(point.vol));
        assert!(
            (model - black).abs() < 1e-7,
            "K = {}: {model} vs {black}",
            point.strike
        );
    }
}

/// Merton's smile: every point reprices the out-of-the-money option at
/// Merton's (1976) series, a Poisson mixture of Black–Scholes prices with the
/// jumps' variance and drift folded in — written out here, independently of
/// the engine's Bates pricer. Downward jumps skew the smile down; it is not
/// flat, as it is under GBM.
#[test]
fn mertons_smile_reprices_mertons_series() {
    use hedge_explorer::pricing::black_scholes::{self, Inputs, OptionKind};
    use hedge_explorer::results::smile::smile;
    let (spot, tau, rate, vol) = (100.0, 0.25, 0.02, 0.2);
    let (lambda, jmean, jsd): (f64, f64, f64) = (1.0, -0.1, 0.1);
    let points = smile(&plan(&format!(
        "v=1&jumps={lambda}&jmean={jmean}&jsd={jsd}"
    )));
    assert_eq!(points.len(), 33);
    let k = libm::exp(jmean + 0.5 * jsd * jsd) - 1.0;
    let merton = |kind: OptionKind, strike: f64| {
        let intensity = lambda * (1.0 + k) * tau;
        let mut weight = libm::exp(-intensity);
        let mut total = 0.0;
        for n in 0..60 {
            let n_f = f64::from(n);
            let inputs = Inputs {
                spot,
                strike,
                tau,
                rate: rate - lambda * k + n_f * libm::log1p(k) / tau,
                dividend: 0.0,
                vol: libm::sqrt(vol * vol + n_f * jsd * jsd / tau),
            };
            // Hull's form: Poisson weights at λ(1 + k), each price at r_n
            // (the jumps' carry e^{(r_n − r)τ} folded into the weights).
            total += weight * black_scholes::price(kind, &inputs);
            weight *= intensity / (n_f + 1.0);
        }
        total
    };
    let forward = spot * libm::exp(rate * tau);
    for point in &points {
        let kind = out_of_the_money(point.strike, forward);
        let market = Inputs {
            spot,
            strike: point.strike,
            tau,
            rate,
            dividend: 0.0,
            vol: point.vol,
        };
        let (series, black) = (
            merton(kind, point.strike),
            black_scholes::price(kind, &market),
        );
        assert!(
            (series - black).abs() < 1e-12,
            "K = {}: Merton {series} vs Black–Scholes at {} {black}",
            point.strike,
            point.vol
        );
    }
    assert!(
        vol_at(&points, 80.0) > vol_at(&points, 100.0)
            && vol_at(&points, 100.0) > vol_at(&points, 120.0),
        "{points:?}"
    );
}

#[test]
fn under_heston_a_vega_hedge_with_a_second_option_beats_shares_alone() {
    // The variance moves (ξ = 1), so a Black–Scholes delta hedge carries vega
    // risk no rebalancing removes; a longer-dated call in `with` takes it out.
    // Same paths, same dates, no costs: only what is neutralised differs.
    let p = plan(
        "v=1&model=heston&xi=1&rho=-0.7&paths=2000&greeks=delta-vega&with=c100@0.5&ocost=0&cost=0",
    );
    let comparison = hedge_explorer::results::analysis::compare(&p);
    let sd = |name: &str| {
        comparison
            .rows
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, run)| run.pnl.sd)
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    let (delta_only, delta_vega) = (sd("every 1, delta"), sd("every 1, delta-vega"));
    assert!(
        delta_vega < 0.85 * delta_only,
        "delta-vega SD {delta_vega} vs delta only {delta_only}"
    );
}
