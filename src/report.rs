//! Machine-readable output: JSON and CSV, written by hand so that the CLI and the
//! page's JS API produce *the same bytes* for the same scenario.
//!
//! Numbers are printed with Rust's shortest round-trip formatting (`{:?}` of `f64`,
//! which reads back to the same bits); a non-finite number prints as `null`.
//!
//! The `summary` JSON has these members, in this order:
//! `scenario` (canonical link), `premium`, `paths`,
//! `pnl` {`mean`, `sd`, `p5`, `p50`, `p95`, `var95`, `es95`, `min`, `max`},
//! `performance`, `trades` {`mean`}, `costs` {`mean`},
//! `greeks` {`value`, `delta`, `gamma`, `vega`, `theta`, `rho`} (of the position),
//! `derman_kamal_sd`, `leland_vol` (or `null`),
//! `histogram` {`start`, `width`, `counts`}.
//!
//! **Tested by** `tests/report.rs`: the JSON parses (with a small independent
//! reader) and its numbers read back to the same bits; CSV shapes.

use core::fmt::Write as _;

use crate::analysis::{Comparison, Frontier, ScenarioSummary};
use crate::hedge::LedgerRow;
use crate::montecarlo::RunSummary;

/// A number as JSON: shortest round-trip decimal, `null` when not finite.
pub fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "null".to_string()
    }
}

/// A string as JSON (quotes, backslashes and control characters escaped).
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn pnl_object(run: &RunSummary) -> String {
    let s = &run.pnl;
    format!(
        "{{\"mean\":{},\"sd\":{},\"p5\":{},\"p50\":{},\"p95\":{},\"var95\":{},\"es95\":{},\"min\":{},\"max\":{}}}",
        json_number(s.mean),
        json_number(s.sd),
        json_number(s.p5),
        json_number(s.p50),
        json_number(s.p95),
        json_number(s.var95),
        json_number(s.es95),
        json_number(s.min),
        json_number(s.max)
    )
}

fn optional(x: Option<f64>) -> String {
    x.map_or_else(|| "null".to_string(), json_number)
}

/// The `summary` JSON (one line, no trailing newline).
pub fn summary_json(summary: &ScenarioSummary) -> String {
    let g = &summary.greeks;
    let h = &summary.run.histogram;
    let counts: Vec<String> = h.counts.iter().map(u32::to_string).collect();
    format!(
        "{{\"scenario\":{},\"premium\":{},\"paths\":{},\"pnl\":{},\"performance\":{},\"trades\":{{\"mean\":{}}},\"costs\":{{\"mean\":{}}},\"greeks\":{{\"value\":{},\"delta\":{},\"gamma\":{},\"vega\":{},\"theta\":{},\"rho\":{}}},\"derman_kamal_sd\":{},\"leland_vol\":{},\"histogram\":{{\"start\":{},\"width\":{},\"counts\":[{}]}}}}",
        json_string(&summary.scenario),
        json_number(summary.premium),
        summary.paths,
        pnl_object(&summary.run),
        json_number(summary.performance),
        json_number(summary.run.mean_trades),
        json_number(summary.run.mean_costs),
        json_number(g.price),
        json_number(g.delta),
        json_number(g.gamma),
        json_number(g.vega),
        json_number(g.theta),
        json_number(g.rho),
        optional(summary.derman_kamal_sd),
        optional(summary.leland_vol),
        json_number(h.start),
        json_number(h.width),
        counts.join(",")
    )
}

/// The `compare` JSON: `{"scenario", "premium", "strategies": [{"rule", "pnl",
/// "performance", "trades", "costs"}, …]}`.
pub fn comparison_json(comparison: &Comparison) -> String {
    let rows: Vec<String> = comparison
        .rows
        .iter()
        .map(|(name, run)| {
            format!(
                "{{\"rule\":{},\"pnl\":{},\"performance\":{},\"trades\":{{\"mean\":{}}},\"costs\":{{\"mean\":{}}}}}",
                json_string(name),
                pnl_object(run),
                json_number(crate::analysis::performance(run.pnl.sd, comparison.premium)),
                json_number(run.mean_trades),
                json_number(run.mean_costs)
            )
        })
        .collect();
    format!(
        "{{\"scenario\":{},\"premium\":{},\"strategies\":[{}]}}",
        json_string(&comparison.scenario),
        json_number(comparison.premium),
        rows.join(",")
    )
}

/// The `compare` table as CSV.
pub fn comparison_csv(comparison: &Comparison) -> String {
    let mut out =
        String::from("rule,mean,sd,p5,p50,p95,var95,es95,performance,mean_trades,mean_costs\n");
    for (name, run) in &comparison.rows {
        let s = &run.pnl;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            name.replace(',', " "),
            s.mean,
            s.sd,
            s.p5,
            s.p50,
            s.p95,
            s.var95,
            s.es95,
            crate::analysis::performance(s.sd, comparison.premium),
            run.mean_trades,
            run.mean_costs
        );
    }
    out
}

/// The `frontier` JSON: `{"scenario", "parameter", "current", "points": [{"value",
/// "mean_costs", "sd_pnl", "mean_pnl", "mean_trades"}, …]}`.
pub fn frontier_json(frontier: &Frontier) -> String {
    let points: Vec<String> = frontier
        .points
        .iter()
        .map(|p| {
            format!(
                "{{\"value\":{},\"mean_costs\":{},\"sd_pnl\":{},\"mean_pnl\":{},\"mean_trades\":{}}}",
                json_number(p.value),
                json_number(p.mean_costs),
                json_number(p.sd_pnl),
                json_number(p.mean_pnl),
                json_number(p.mean_trades)
            )
        })
        .collect();
    format!(
        "{{\"scenario\":{},\"parameter\":{},\"current\":{},\"points\":[{}]}}",
        json_string(&frontier.scenario),
        json_string(frontier.parameter),
        frontier
            .current
            .map_or_else(|| "null".into(), |c| c.to_string()),
        points.join(",")
    )
}

/// The frontier as CSV.
pub fn frontier_csv(frontier: &Frontier) -> String {
    let mut out = format!(
        "{},mean_costs,sd_pnl,mean_pnl,mean_trades,current\n",
        frontier.parameter
    );
    for (i, p) in frontier.points.iter().enumerate() {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            p.value,
            p.mean_costs,
            p.sd_pnl,
            p.mean_pnl,
            p.mean_trades,
            u8::from(frontier.current == Some(i))
        );
    }
    out
}

/// The columns of [`ledger_csv`].
pub const LEDGER_COLUMNS: &str = "step,time,spot,target,held,trade,cost,cash,book_value,pnl,gamma_pnl,theta_pnl,hedge_pnl,financing_pnl,cost_pnl,residual_pnl";

/// One path's ledger as CSV (money values not discounted).
pub fn ledger_csv(rows: &[LedgerRow]) -> String {
    let mut out = String::from(LEDGER_COLUMNS);
    out.push('\n');
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.step,
            r.time,
            r.spot,
            r.target,
            r.held,
            r.trade,
            r.cost,
            r.cash,
            r.book_value,
            r.pnl,
            r.gamma_pnl,
            r.theta_pnl,
            r.hedge_pnl,
            r.financing_pnl,
            r.cost_pnl,
            r.residual_pnl
        );
    }
    out
}
