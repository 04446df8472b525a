//! `hedge-explorer`: the command-line shell of the engine.
//!
//! ```text
//! hedge-explorer summary  '<query>'                      Monte Carlo summary (JSON)
//! hedge-explorer path     '<query>' [--index i] [--csv]  one path's ledger (CSV; JSON summary line without --csv)
//! hedge-explorer compare  '<query>' [--csv]              no hedge vs static vs the rule
//! hedge-explorer frontier '<query>' [--csv]              cost vs risk over the rule's parameter
//! hedge-explorer render   '<query>' --chart <name> -o out.svg|out.png [--index i] [--width w --height h]
//! hedge-explorer charts                                  list chart names
//! ```
//!
//! A bad query exits with status 2, the field's message on stderr and nothing on
//! stdout. Usage errors also exit 2; I/O errors exit 1.

use std::path::PathBuf;
use std::process::ExitCode;

use hedge_explorer::analysis::{self, ScenarioSummary};
use hedge_explorer::montecarlo::Engine;
use hedge_explorer::report;
use hedge_explorer::Scenario;

mod render;

const USAGE: &str = "usage:
  hedge-explorer summary  '<query>'
  hedge-explorer path     '<query>' [--index i] [--csv]
  hedge-explorer compare  '<query>' [--csv]
  hedge-explorer frontier '<query>' [--csv]
  hedge-explorer render   '<query>' --chart <name> -o <out.svg|out.png> [--index i] [--width w] [--height h]
  hedge-explorer charts

<query> is a scenario link such as 'v=1&vol=0.3&rule=band&band=0.1' (see the README).";

/// A failure and its exit status.
struct Failure {
    status: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            status: 2,
            message: format!("{}\n\n{USAGE}", message.into()),
        }
    }
}

/// Parsed command-line options after the command and the query.
#[derive(Default)]
struct Options {
    csv: bool,
    index: u64,
    chart: Option<String>,
    output: Option<PathBuf>,
    width: Option<u32>,
    height: Option<u32>,
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> Result<T, Failure> {
    let text = value.ok_or_else(|| Failure::usage(format!("{flag} needs a value")))?;
    text.parse()
        .map_err(|_| Failure::usage(format!("{flag}: {text:?} is not a valid whole number")))
}

fn parse_options(args: &[String]) -> Result<Options, Failure> {
    let mut options = Options::default();
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let value = args.get(i + 1);
        match flag {
            "--csv" => {
                options.csv = true;
                i += 1;
                continue;
            }
            "--index" => options.index = parse_number(flag, value)?,
            "--width" => options.width = Some(parse_number(flag, value)?),
            "--height" => options.height = Some(parse_number(flag, value)?),
            "--chart" => {
                options.chart = Some(
                    value
                        .ok_or_else(|| Failure::usage("--chart needs a name"))?
                        .clone(),
                )
            }
            "-o" | "--output" => {
                options.output = Some(PathBuf::from(
                    value.ok_or_else(|| Failure::usage("-o needs a file name"))?,
                ))
            }
            other => return Err(Failure::usage(format!("unknown option {other:?}"))),
        }
        i += 2;
    }
    Ok(options)
}

fn scenario_from(query: Option<&String>) -> Result<Scenario, Failure> {
    let query = query.ok_or_else(|| Failure::usage("missing the scenario query"))?;
    Scenario::parse(query).map_err(|e| Failure {
        status: 2,
        message: format!("invalid scenario: {e}"),
    })
}

fn run(args: &[String]) -> Result<String, Failure> {
    let command = args.first().map(String::as_str);
    if command == Some("charts") {
        return Ok(render::CHARTS
            .iter()
            .map(|(name, what)| format!("{name:<12} {what}\n"))
            .collect());
    }
    if matches!(command, None | Some("-h") | Some("--help") | Some("help")) {
        return Err(Failure {
            status: if command.is_none() { 2 } else { 0 },
            message: USAGE.to_string(),
        });
    }
    let scenario = scenario_from(args.get(1))?;
    let options = parse_options(args.get(2..).unwrap_or(&[]))?;
    if options.index >= scenario.paths {
        return Err(Failure::usage(format!(
            "--index {} is out of range; the scenario has paths 0 to {}",
            options.index,
            scenario.paths - 1
        )));
    }
    let output = match command.unwrap_or_default() {
        "summary" => report::summary_json(&ScenarioSummary::run(&scenario)) + "\n",
        "path" => {
            let engine = Engine::for_scenario(&scenario);
            let (_, rows, outcome) = engine.ledger(0, options.index);
            if options.csv {
                report::ledger_csv(&rows)
            } else {
                report::path_json(&scenario.to_query(), options.index, &outcome) + "\n"
            }
        }
        "compare" => {
            let comparison = analysis::compare(&scenario);
            if options.csv {
                report::comparison_csv(&comparison)
            } else {
                report::comparison_json(&comparison) + "\n"
            }
        }
        "frontier" => {
            let frontier = analysis::frontier(&scenario);
            if options.csv {
                report::frontier_csv(&frontier)
            } else {
                report::frontier_json(&frontier) + "\n"
            }
        }
        "render" => {
            let chart = options
                .chart
                .as_deref()
                .ok_or_else(|| Failure::usage("render needs --chart <name>"))?;
            let path = options
                .output
                .as_ref()
                .ok_or_else(|| Failure::usage("render needs -o <file.svg|file.png>"))?;
            let size = (options.width.unwrap_or(900), options.height.unwrap_or(540));
            render::render(&scenario, chart, options.index, path, size).map_err(|e| Failure {
                status: e.status,
                message: e.message,
            })?;
            String::new()
        }
        other => return Err(Failure::usage(format!("unknown command {other:?}"))),
    };
    Ok(output)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}
