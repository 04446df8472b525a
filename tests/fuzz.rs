//! Fuzzing the readers of untrusted text: the link parser (every page address,
//! CLI argument and preset goes through it) and the CSV reader (the prices a
//! reader drops on the page), with the `px` link codec between them.
//!
//! One run generates `FUZZ_INPUTS` inputs (1,000,000 unless the environment
//! says otherwise) from a fixed seed (`FUZZ_SEED`, to explore further): random
//! bytes; links built from the table of keys with every key's values, special
//! spellings (`NaN`, `inf`, `1e309`, `-0`, full-width digits, escapes,
//! control characters, 100 KB of digits) and up to four edits each (values
//! replaced, text cut out or inserted, pairs repeated, swapped or
//! percent-encoded, unknown keys); and CSV texts built from valid files with
//! the same kinds of edits. For every input:
//!
//! - nothing panics;
//! - every rejection names its field — a key of the table, `v`, or the unknown
//!   key quoted — in a short message (a CSV error names a line of the text);
//! - the strict parser reports the lenient parser's first problem, or accepts
//!   exactly what the lenient one kept;
//! - what is kept is a valid scenario that round-trips through its canonical
//!   link, which is stable, and fits the work cap (`MAX_PATH_STEPS`);
//! - an accepted CSV gives a valid series whose `px` link decodes back to it.
//!
//! The count and the time are printed (`cargo test --test fuzz -- --nocapture`)
//! and quoted in the README. A failing input is printed with its seed and
//! chunk and index (each chunk of 10,000 has its own generator, so the inputs
//! are the same on any number of threads).
#![allow(clippy::disallowed_methods)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use hedge_explorer::history::link::{decode_link, encode_link};
use hedge_explorer::history::source::{paths_of, HistoryPaths};
use hedge_explorer::history::user_csv::parse_prices;
use hedge_explorer::paths::PathSource;
use hedge_explorer::scenario::{Allowed, PathModelKind, Scenario, FIELDS, MAX_PATH_STEPS};
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Spellings a number, a word or a date field must survive.
const SPECIALS: &[&str] = &[
    "NaN",
    "nan",
    "-NaN",
    "inf",
    "-inf",
    "+inf",
    "Infinity",
    "-Infinity",
    "infinity",
    "1e308",
    "1e309",
    "-1e308",
    "1e-308",
    "5e-324",
    "1e-400",
    "-0",
    "0",
    "-1",
    "0x10",
    "1_000",
    "1,5",
    " 1",
    "1 ",
    "１",
    "٣",
    "1e",
    "e5",
    ".",
    ".5",
    "5.",
    "+",
    "-",
    "--1",
    "1e+400",
    "%00",
    "%FF",
    "%2B1",
    "%20",
    "%",
    "%%",
    "%zz",
    "\u{202e}",
    "🙂",
    "\0",
    "\u{feff}1",
    "&",
    "=",
    "?",
    "#",
    "",
    "2020-02-30",
    "0000-01-01",
    "9999-12-31",
    "1987-10-19",
    "1987-10-16",
    "2008-09-12",
    "20200101",
    "2020-1-1",
    "100c100",
    "-1e308c1",
    "1c1@1e308",
    "c",
    "_",
    "100c100_",
    "1p0",
    "0c100",
    "CALL",
    "Put",
    "LONG",
    "every",
    "band",
    "ww",
    "heston",
    "bootstrap",
    "sp500",
    "djia",
    "none",
    "cppi",
    "synthetic",
    "put",
    "heston-mv",
    "delta-gamma-vega",
    "true",
    "18446744073709551616",
    "4294967296",
    "99999999999",
    "0.000000000000000000001",
];

/// Valid links to start from: the presets' kinds of scenario, books, hedge
/// options, history, insurance, Heston pricing.
const SEEDS: &[&str] = &[
    "v=1",
    "v=1&k=98.4&t=0.07936507936507936&vol=0.3&side=long&qty=10000&steps=40&fee=50&cost=0",
    "v=1&type=put&k=95&steps=126&t=0.5&cost=0.0005&jumps=2&jmean=-0.15&jsd=0.05",
    "v=1&side=long&vol=0.3&hvol=0.2&cost=0.0005&rule=band&band=0.05&to=edge",
    "v=1&rule=ww&aversion=1&settle=physical&paths=500",
    "v=1&legs=-100c100_-100p100",
    "v=1&legs=-100c100_100c100@0.5&hvol=0.2&vol=0.25",
    "v=1&rule=every&every=5&greeks=delta-gamma&with=c105@0.5&cost=0.0005&ocost=0.005",
    "v=1&model=heston&v0=0.04&theta=0.04&kappa=1.5&xi=0.6&rho=-0.7",
    "v=1&model=heston&price=heston-mv&cost=0",
    "v=1&insure=cppi&mult=5",
    "v=1&insure=synthetic&hist=sp500&from=1987-10-09",
    "v=1&every=5&hist=sp500&roll=63",
    "v=1&model=bootstrap&hist=sp500",
    "v=1&k=95&type=put&hist=djia&from=2020-02-14",
];

/// Valid CSV texts to start from: with and without header and dates.
const CSVS: &[&str] = &[
    "date,close\n2020-01-02,100\n2020-01-03,101.5\n2020-01-06,99.25\n2020-01-07,100\n",
    "Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,100.5,10\n2020-01-03,1,2,0.5,98,12\n2020-01-06,1,2,0.5,97.125,9\n",
    "100\n101\n102.5\n99\n",
    "close\n5\n6\n7\n",
    "\u{feff}date,close\r\n2001-09-10,1092.54\r\n2001-09-17,1038.77\r\n",
];

/// A small deterministic generator over xoshiro256++.
struct Gen(Xoshiro256PlusPlus);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
    fn bytes(&mut self, most: usize) -> Vec<u8> {
        let len = self.below(most + 1);
        (0..len).map(|_| self.0.next_u64() as u8).collect()
    }
    /// Text for a field: one of its own allowed values or a special spelling.
    fn value(&mut self, allowed: &Allowed) -> String {
        if self.chance(3) {
            return self.pick(SPECIALS).to_string();
        }
        match allowed {
            Allowed::Number { min, max, .. } => match self.below(5) {
                0 => min.to_string(),
                1 => max.to_string(),
                2 => format!("{:e}", max * 1.0000001),
                _ => {
                    let u = (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    (min + u * (max - min)).to_string()
                }
            },
            Allowed::Integer { min, max } => match self.below(4) {
                0 => min.to_string(),
                1 => max.to_string(),
                2 => max.saturating_add(1).to_string(),
                _ => (min + self.0.next_u64() % (max - min).saturating_add(1).max(1)).to_string(),
            },
            Allowed::Choice(choices) => choices[self.below(choices.len())].word.to_string(),
            Allowed::Legs { quantities } => {
                let q = if *quantities { "-100" } else { "" };
                format!("{q}c{}@{}", 50 + self.below(100), self.below(3))
            }
            Allowed::Date => format!(
                "{:04}-{:02}-{:02}",
                1940 + self.below(90),
                1 + self.below(12),
                1 + self.below(31)
            ),
            Allowed::Prices => String::new(),
        }
    }
    /// Some characters percent-encoded, as a browser or a mailer might.
    fn percent_encode(&mut self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if self.chance(3) {
                    let mut buf = [0u8; 4];
                    c.encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect()
                } else {
                    c.to_string()
                }
            })
            .collect()
    }
    /// A char boundary of `text` at random.
    fn boundary(&mut self, text: &str) -> usize {
        let mut at = self.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
    /// One random edit of a text.
    fn edit(&mut self, text: &mut String, link: bool) {
        match self.below(9) {
            0 => {
                let (a, b) = (self.boundary(text), self.boundary(text));
                text.replace_range(a.min(b)..a.max(b), "");
            }
            1 => {
                let at = self.boundary(text);
                let insert = if self.chance(2) {
                    self.pick(SPECIALS).to_string()
                } else {
                    String::from_utf8_lossy(&self.bytes(8)).into_owned()
                };
                text.insert_str(at, &insert);
            }
            2 => {
                let at = self.boundary(text);
                text.truncate(at);
            }
            3 if link => {
                // A value replaced.
                let mut pairs: Vec<String> = text.split('&').map(str::to_string).collect();
                let i = self.below(pairs.len());
                let key = pairs[i].split('=').next().unwrap_or_default().to_string();
                let value = match FIELDS.iter().find(|f| f.key == key) {
                    Some(spec) => self.value(&spec.allowed),
                    None => self.pick(SPECIALS).to_string(),
                };
                pairs[i] = format!("{key}={value}");
                *text = pairs.join("&");
            }
            4 if link => {
                // A key of the table added (maybe again), with any value.
                let spec = &FIELDS[self.below(FIELDS.len())];
                let value = self.value(&spec.allowed);
                text.push_str(&format!("&{}={value}", spec.key));
            }
            5 if link => {
                // A pair repeated, or two swapped.
                let mut pairs: Vec<String> = text.split('&').map(str::to_string).collect();
                let (i, j) = (self.below(pairs.len()), self.below(pairs.len()));
                if self.chance(2) {
                    let copy = pairs[i].clone();
                    pairs.push(copy);
                } else {
                    pairs.swap(i, j);
                }
                *text = pairs.join("&");
            }
            6 if link => {
                let encoded = self.percent_encode(text);
                *text = encoded;
            }
            7 if link => {
                let key = String::from_utf8_lossy(&self.bytes(6)).into_owned();
                text.push_str(&format!("&{key}=1"));
            }
            6 | 7 => {
                // CSV: a line repeated, or a line's price replaced.
                let lines: Vec<&str> = text.lines().collect();
                if lines.is_empty() {
                    return;
                }
                let i = self.below(lines.len());
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                if self.chance(2) {
                    out.insert(i, lines[i].to_string());
                } else {
                    let mut cells: Vec<String> = out[i].split(',').map(str::to_string).collect();
                    let c = self.below(cells.len());
                    cells[c] = self.pick(SPECIALS).to_string();
                    out[i] = cells.join(",");
                }
                *text = out.join(if self.chance(4) { "\r\n" } else { "\n" });
            }
            _ => {
                // One byte changed to any ASCII character.
                let at = self.boundary(text);
                if at < text.len() {
                    let c = char::from(32 + self.below(95) as u8);
                    let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
                    text.replace_range(at..end, &c.to_string());
                }
            }
        }
    }
}

/// The work one run of `scenario` asks for, in path-steps: what the cap bounds.
fn work(scenario: &Scenario) -> u64 {
    match paths_of(scenario).expect("a kept scenario's history is readable") {
        None => scenario.paths.saturating_mul(scenario.steps),
        Some(HistoryPaths::Replay(replay)) => (0..replay.windows() as u64)
            .map(|i| replay.grid(i).steps as u64)
            .sum(),
        Some(HistoryPaths::Bootstrap(boot, _)) => {
            scenario.paths.saturating_mul(boot.grid().steps as u64)
        }
    }
}

/// Every check on one link; `Err` says what broke.
fn check_link(query: &str) -> Result<(), String> {
    let keys: Vec<&str> = FIELDS.iter().map(|f| f.key).chain(["v"]).collect();
    let (scenario, errors) = Scenario::parse_lenient(query);
    for e in &errors {
        if e.message.starts_with("unknown key") {
            if !(e.field.starts_with('"') && e.field.ends_with('"') && e.field.len() < 300) {
                return Err(format!("an unknown key is not quoted short: {e}"));
            }
        } else if !keys.contains(&e.field.as_str()) {
            return Err(format!("the error names no field of the table: {e}"));
        } else if e.message.is_empty() || e.message.len() >= 300 {
            return Err(format!("message empty or {} long: {e}", e.message.len()));
        }
    }
    match Scenario::parse(query) {
        Ok(strict) if !errors.is_empty() || strict != scenario => {
            return Err("the strict parser accepted what the lenient one did not keep".into())
        }
        Err(first) if errors.first() != Some(&first) => {
            return Err(format!(
                "the strict parser's error {first} is not the first of {errors:?}"
            ))
        }
        _ => {}
    }
    scenario
        .validate()
        .map_err(|e| format!("the scenario kept is not valid: {e}"))?;
    let canonical = scenario.to_query();
    match Scenario::parse(&canonical) {
        Ok(again) if again == scenario && again.to_query() == canonical => {}
        other => return Err(format!("{canonical} does not round-trip: {other:?}")),
    }
    let cap = if scenario.uses_history() || scenario.model == PathModelKind::Bootstrap {
        work(&scenario)
    } else {
        scenario.paths.saturating_mul(scenario.steps)
    };
    if cap > MAX_PATH_STEPS {
        return Err(format!(
            "{canonical} asks for {cap} path-steps, over the cap"
        ));
    }
    Ok(())
}

/// Every check on one CSV text; `Err` says what broke.
fn check_csv(text: &str) -> Result<Option<String>, String> {
    match parse_prices(text) {
        Err(e) => {
            let lines = text.split('\n').count() as u64 + 1;
            if e.line == 0 || e.line > lines || e.message.is_empty() {
                return Err(format!("the error names no line of the text: {e}"));
            }
            Ok(None)
        }
        Ok(series) => {
            if series.len() < 2 || series.units.contains(&0) {
                return Err(format!(
                    "a series accepted with a zero or too few prices: {series:?}"
                ));
            }
            if let Some(dates) = &series.dates {
                if dates.windows(2).any(|w| w[0] >= w[1]) || dates.len() != series.len() {
                    return Err("dates accepted out of order".into());
                }
            }
            // Series too long for a link have a local form instead.
            match encode_link(&series) {
                Ok(link) => match decode_link(&link) {
                    Ok(back) if back == series => Ok(Some(link)),
                    other => Err(format!("px link {link} decodes to {other:?}")),
                },
                Err(_) => Ok(None),
            }
        }
    }
}

/// Inputs per chunk: each chunk has its own generator, seeded by the run's
/// seed and the chunk's number, so the inputs are the same on any number of
/// threads and a failure names the chunk to replay.
const CHUNK: u64 = 10_000;

/// What one chunk met: links and CSVs, and how many of each were accepted.
#[derive(Default)]
struct Counts {
    links: u64,
    accepted_links: u64,
    csvs: u64,
    accepted_csvs: u64,
}

/// Generate and check `count` inputs of chunk `chunk`; panics on the first
/// input that breaks a rule, naming the seed, chunk and index.
fn run_chunk(seed: u64, chunk: u64, count: u64) -> Counts {
    let mut gen = Gen(Xoshiro256PlusPlus::seed_from_u64(
        seed ^ chunk.wrapping_mul(0x9E37_79B9_7F4A_7C15),
    ));
    let mut counts = Counts::default();
    // Links of accepted CSVs, fed back into links as `px` values.
    let mut px_links: Vec<String> = Vec::new();
    for index in 0..count {
        let (text, is_link) = match gen.below(100) {
            0..=9 => (String::from_utf8_lossy(&gen.bytes(120)).into_owned(), true),
            10..=69 => {
                let mut link = gen.pick(SEEDS).to_string();
                if !px_links.is_empty() && gen.chance(20) {
                    link.push_str(&format!("&px={}", px_links[gen.below(px_links.len())]));
                }
                if gen.chance(1000) {
                    // A 100 KB value.
                    let spec = &FIELDS[gen.below(FIELDS.len())];
                    link.push_str(&format!("&{}={}", spec.key, "9".repeat(100_000)));
                }
                for _ in 0..1 + gen.below(4) {
                    gen.edit(&mut link, true);
                }
                (link, true)
            }
            _ => {
                let mut csv = gen.pick(CSVS).to_string();
                for _ in 0..gen.below(4) {
                    gen.edit(&mut csv, false);
                }
                (csv, false)
            }
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if is_link {
                check_link(&text).map(|()| None)
            } else {
                check_csv(&text)
            }
        }));
        let shown: String = text.chars().take(400).collect();
        let at = format!("FUZZ_SEED={seed}, chunk {chunk}, input {index}");
        match outcome {
            Err(_) => panic!("{at} panicked: {shown:?}"),
            Ok(Err(why)) => panic!("{at}: {shown:?}: {why}"),
            Ok(Ok(px)) if is_link => {
                counts.links += 1;
                counts.accepted_links += u64::from(Scenario::parse(&text).is_ok());
                debug_assert!(px.is_none());
            }
            Ok(Ok(px)) => {
                counts.csvs += 1;
                if let Some(px) = px {
                    counts.accepted_csvs += 1;
                    if px_links.len() < 64 {
                        px_links.push(px);
                    }
                }
            }
        }
    }
    counts
}

#[test]
fn a_million_hostile_links_and_csvs() {
    let inputs: u64 = std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2026);
    let start = Instant::now();
    let chunks = inputs.div_ceil(CHUNK);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let next = std::sync::atomic::AtomicU64::new(0);
    let total = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(chunks))
            .map(|_| {
                scope.spawn(|| {
                    let mut sum = Counts::default();
                    loop {
                        let chunk = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if chunk >= chunks {
                            return sum;
                        }
                        let count = CHUNK.min(inputs - chunk * CHUNK);
                        let c = run_chunk(seed, chunk, count);
                        sum.links += c.links;
                        sum.accepted_links += c.accepted_links;
                        sum.csvs += c.csvs;
                        sum.accepted_csvs += c.accepted_csvs;
                    }
                })
            })
            .collect();
        let mut total = Counts::default();
        for worker in workers {
            let c = worker
                .join()
                .expect("a fuzz thread failed (its message is above)");
            total.links += c.links;
            total.accepted_links += c.accepted_links;
            total.csvs += c.csvs;
            total.accepted_csvs += c.accepted_csvs;
        }
        total
    });
    let Counts {
        links,
        accepted_links,
        csvs,
        accepted_csvs,
    } = total;
    assert_eq!(links + csvs, inputs);
    // The generator reaches both sides of each reader.
    if inputs >= 10_000 {
        assert!(
            accepted_links > links / 100 && accepted_links < links,
            "{accepted_links} of {links} links accepted"
        );
        assert!(
            accepted_csvs > csvs / 100 && accepted_csvs < csvs,
            "{accepted_csvs} of {csvs} CSVs accepted"
        );
    }
    println!(
        "fuzz: {inputs} inputs ({links} links, {accepted_links} accepted; {csvs} CSVs, {accepted_csvs} accepted) in {:.1} s on {threads} threads, seed {seed}",
        start.elapsed().as_secs_f64()
    );
}
