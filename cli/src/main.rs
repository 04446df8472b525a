//! `hedge-explorer`: the command-line shell of the engine.
//!
//! ```text
//! hedge-explorer summary  '<query>'                      Monte Carlo summary (JSON)
//! hedge-explorer path     '<query>' [--index i] [--csv]  one path's ledger (CSV; JSON summary line without --csv)
//! hedge-explorer compare  '<query>' [--csv]              no hedge vs static vs the rule
//! hedge-explorer frontier '<query>' [--csv]              cost vs risk over the rule's parameter
//! hedge-explorer render   '<query>' --chart <name> -o out.svg|out.png [--index i] [--width w --height h]
//! hedge-explorer charts                                  list chart names
//! hedge-explorer keys                                    list the link keys: defaults, ranges, meaning
//! ```
//!
//! Every command with a query also takes `--prices FILE`: the reader's own
//! prices (a CSV) replayed as the path, carried into the scenario's link as `px`.
//!
//! `hedge-explorer --help` and `hedge-explorer <command> --help` tell the rest;
//! the arguments are parsed by clap.
//!
//! A bad query exits with status 2, the field's message on stderr and nothing on
//! stdout. Usage errors also exit 2 (clap's, and an `--index` past the last
//! path); I/O errors exit 1. `--help` and `--version` print to stdout and exit 0.
//!
//! The Monte Carlo runs on every core (the core's `parallel` feature; set
//! `RAYON_NUM_THREADS` to use fewer); the output is the same bytes on any number
//! of threads.

use std::fmt::Display;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use hedge_explorer::engine::montecarlo::Engine;
use hedge_explorer::history::user_csv::parse_prices;
use hedge_explorer::plan::Plan;
use hedge_explorer::results::analysis::{self, ScenarioSummary};
use hedge_explorer::results::report;
use hedge_explorer::scenario::{Prices, Value, FIELDS};
use hedge_explorer::Scenario;

mod render;

/// Delta-hedging Monte Carlo from a scenario link: summaries, path ledgers,
/// comparisons, cost-vs-risk frontiers and charts.
///
/// Every command but `charts` takes the scenario as a link query such as
/// 'v=1&vol=0.3&rule=band&band=0.1': the part after '?' of the page's address.
/// The same query gives the same bytes here and in the page.
#[derive(Parser)]
#[command(name = "hedge-explorer", version, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// The scenario every command but `charts` runs. (Plain comments on these
// flattened argument groups: a doc comment would become the command's about.)
#[derive(Args)]
struct Query {
    /// The scenario, as a link query such as 'v=1&vol=0.3&rule=band&band=0.1'
    /// (the part after '?' of the page's address; the README lists the keys;
    /// omitted keys take their defaults).
    #[arg(value_name = "QUERY")]
    query: String,
    /// Replay your own prices: a CSV with a `close` column (and optionally a
    /// `date` column) or one price per line. They go into the scenario's link
    /// as `px` (at most 2,000 prices), so the printed scenario reproduces them.
    #[arg(long, value_name = "FILE")]
    prices: Option<PathBuf>,
}

// Which path of the scenario (`path`, `render`).
#[derive(Args)]
struct PathIndex {
    /// Which path, from 0 to the scenario's paths − 1.
    #[arg(long, value_name = "I", default_value_t = 0)]
    index: u64,
}

// CSV instead of JSON (`path`, `compare`, `frontier`).
#[derive(Args)]
struct CsvFlag {
    /// Print CSV (a header line, then one line per row) instead of JSON.
    #[arg(long)]
    csv: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the scenario's Monte Carlo and print its summary as JSON.
    ///
    /// Prints one line: P&L statistics (mean, SD, quantiles, VaR and ES at 95 %),
    /// hedge performance, mean trades and costs, the position's Greeks, the
    /// Derman–Kamal and Leland benchmarks where they apply, and the P&L histogram.
    Summary {
        #[command(flatten)]
        query: Query,
    },
    /// Print one path's outcome as JSON, or its whole ledger as CSV.
    ///
    /// The ledger has a row per date: spot, target and held shares, trade, cost,
    /// cash, book value, cumulative P&L and its attribution (gamma, theta, hedge,
    /// financing, costs, residual), money not discounted; a date column for
    /// recorded prices. An insured portfolio's ledger (insure=…) has shares,
    /// puts, trade, cost, cash, value and the floor's present value instead.
    Path {
        #[command(flatten)]
        query: Query,
        #[command(flatten)]
        index: PathIndex,
        #[command(flatten)]
        csv: CsvFlag,
    },
    /// Compare no hedge, a static hedge and the scenario's rule on the same paths.
    Compare {
        #[command(flatten)]
        query: Query,
        #[command(flatten)]
        csv: CsvFlag,
    },
    /// Sweep the scenario's rule over its parameter: mean costs vs SD of P&L.
    ///
    /// The band for `rule=band`, the risk aversion for `rule=ww`, else the
    /// rebalancing interval, all on the same paths.
    Frontier {
        #[command(flatten)]
        query: Query,
        #[command(flatten)]
        csv: CsvFlag,
    },
    /// Draw one chart of the scenario to an SVG or PNG file.
    Render {
        #[command(flatten)]
        query: Query,
        /// Which chart (`hedge-explorer charts` lists them).
        #[arg(long, value_name = "NAME", value_parser = chart_names())]
        chart: String,
        /// The file to write; its extension, .svg or .png, picks the format.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        index: PathIndex,
        /// Width in pixels.
        #[arg(long, value_name = "W", default_value_t = 900)]
        width: u32,
        /// Height in pixels.
        #[arg(long, value_name = "H", default_value_t = 540)]
        height: u32,
    },
    /// List the charts `render --chart` draws, and what each shows.
    Charts,
    /// List the keys of a scenario link: default, allowed values and meaning.
    ///
    /// The same table the parser checks links against and the page builds its
    /// controls from; keys left out of a link take their defaults.
    Keys,
}

/// `--chart`'s values, with what each chart shows for `render --help`.
fn chart_names() -> PossibleValuesParser {
    PossibleValuesParser::new(
        render::CHARTS
            .iter()
            .map(|(name, what)| PossibleValue::new(*name).help(*what)),
    )
}

/// Why a command printed nothing, and its exit status.
enum Failure {
    /// A usage error, written and given its status (2) by clap.
    Usage(Box<clap::Error>),
    /// Anything else: the message for stderr and the exit status.
    Other { status: u8, message: String },
}

/// A usage error found after parsing, reported the way clap reports its own
/// (with the subcommand's usage line).
fn usage_error(subcommand: &str, message: impl Display) -> Failure {
    let mut cli = Cli::command();
    cli.build();
    let error = match cli.find_subcommand_mut(subcommand) {
        Some(command) => command.error(ErrorKind::ValueValidation, message),
        None => cli.error(ErrorKind::ValueValidation, message),
    };
    Failure::Usage(Box::new(error))
}

/// The plan of the scenario a query gives: the one place the CLI reads a link.
fn plan_from(query: &Query) -> Result<Plan, Failure> {
    let invalid = |message: String| Failure::Other { status: 2, message };
    let mut scenario =
        Scenario::parse(&query.query).map_err(|e| invalid(format!("invalid scenario: {e}")))?;
    if let Some(file) = &query.prices {
        let shown = file.display();
        let text = std::fs::read_to_string(file).map_err(|e| Failure::Other {
            status: 1,
            message: format!("--prices {shown}: {e}"),
        })?;
        let series = parse_prices(&text).map_err(|e| invalid(format!("--prices {shown}: {e}")))?;
        let value = Prices::new(series)
            .map_err(|e| invalid(format!("--prices {shown}: {e}")))?
            .to_string();
        if !scenario.prices.is_empty() {
            return Err(invalid(format!(
                "--prices {shown}: the query already has px; give the prices once"
            )));
        }
        scenario
            .set("px", &value)
            .map_err(|e| invalid(format!("invalid scenario with --prices {shown}: {e}")))?;
    }
    Ok(Plan::new(&scenario))
}

/// The plan, with `index` checked against its paths.
fn plan_and_path(subcommand: &str, query: &Query, index: &PathIndex) -> Result<Plan, Failure> {
    let plan = plan_from(query)?;
    if index.index >= plan.paths {
        return Err(usage_error(
            subcommand,
            format!(
                "--index {} is out of range; the scenario has paths 0 to {}",
                index.index,
                plan.paths - 1
            ),
        ));
    }
    Ok(plan)
}

/// Run a parsed command; its stdout on success.
fn run(command: Command) -> Result<String, Failure> {
    let output = match command {
        Command::Summary { query } => {
            report::summary_json(&ScenarioSummary::run(&plan_from(&query)?)) + "\n"
        }
        Command::Path { query, index, csv } => {
            let plan = plan_and_path("path", &query, &index)?;
            let engine = Engine::for_plan(&plan);
            let (_, rows, outcome) = engine.ledger(0, index.index);
            if csv.csv && plan.insurance.is_some() {
                report::insurance_ledger_csv(&engine.insurance_ledger(0, index.index))
            } else if csv.csv {
                report::ledger_csv(&rows)
            } else {
                report::path_json(&plan, index.index, &outcome) + "\n"
            }
        }
        Command::Compare { query, csv } => {
            let comparison = analysis::compare(&plan_from(&query)?);
            if csv.csv {
                report::comparison_csv(&comparison)
            } else {
                report::comparison_json(&comparison) + "\n"
            }
        }
        Command::Frontier { query, csv } => {
            let frontier = analysis::frontier(&plan_from(&query)?);
            if csv.csv {
                report::frontier_csv(&frontier)
            } else {
                report::frontier_json(&frontier) + "\n"
            }
        }
        Command::Render {
            query,
            chart,
            output,
            index,
            width,
            height,
        } => {
            let plan = plan_and_path("render", &query, &index)?;
            render::render(&plan, &chart, index.index, &output, (width, height)).map_err(|e| {
                Failure::Other {
                    status: e.status,
                    message: e.message,
                }
            })?;
            String::new()
        }
        Command::Charts => render::CHARTS
            .iter()
            .map(|(name, what)| format!("{name:<12} {what}\n"))
            .collect(),
        Command::Keys => FIELDS
            .iter()
            .map(|spec| {
                // A default the link format writes as nothing (an empty book)
                // reads "empty", one with no value at all "unset".
                let default = match spec.default_value() {
                    Value::Unset => "unset".to_string(),
                    value => Some(value.to_string())
                        .filter(|text| !text.is_empty())
                        .unwrap_or_else(|| "empty".to_string()),
                };
                format!(
                    "{:<9} default {default:<6} {}; {}\n",
                    spec.key, spec.allowed, spec.description
                )
            })
            .collect(),
    };
    Ok(output)
}

fn main() -> ExitCode {
    let outcome = Cli::try_parse()
        .map_err(|e| Failure::Usage(Box::new(e)))
        .and_then(|cli| run(cli.command));
    match outcome {
        Ok(text) => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cannot write the output: {e}");
                ExitCode::from(1)
            }
        },
        // clap prints help and --version to stdout (status 0), errors to stderr (2).
        Err(Failure::Usage(error)) => {
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
        Err(Failure::Other { status, message }) => {
            eprintln!("{message}");
            ExitCode::from(status)
        }
    }
}
