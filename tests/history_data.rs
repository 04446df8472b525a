//! The bundled series (`data/*.bin`, written by `scripts/history_data.py`)
//! against their source CSVs: excerpts committed here always, the whole files
//! through their FNV-1a digests (computed by the generator over the source
//! bytes), and the source files themselves when this machine has them.

use hedge_explorer::history::bundled::Bundled;
use hedge_explorer::history::codec;
use hedge_explorer::history::date::Date;
use hedge_explorer::history::series::PriceSeries;

/// FNV-1a 64 of the source CSVs' bytes, as `scripts/history_data.py` prints
/// them (also in data/README.md), with their row counts and first and last
/// rows (data/README.md, from the source's README).
const SOURCES: [(Bundled, &str, u64, usize, &str, &str); 2] = [
    (
        Bundled::Sp500,
        "sp500-daily-1950-2018.csv",
        0x7465_2b09_a560_908c,
        17_346,
        "1950-01-03",
        "2018-12-07",
    ),
    (
        Bundled::Djia,
        "djia-daily-1885-2023.csv",
        0xe12c_2205_2555_4691,
        37_931,
        "1885-02-16",
        "2023-11-21",
    ),
];

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |digest, &b| {
        (digest ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn fnv1a64_matches_its_published_test_vectors() {
    // From the FNV reference (draft-eastlake-fnv): "" and "a".
    assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn each_bundled_series_prints_back_to_its_source_csv_byte_for_byte() {
    for (bundled, _, digest, rows, first, last) in SOURCES {
        let series = bundled.series().unwrap();
        let dates = series.dates.as_ref().unwrap();
        assert_eq!(series.len(), rows, "{}", bundled.name());
        assert_eq!(series.decimals, 2);
        assert_eq!(dates[0].to_string(), first);
        assert_eq!(dates[rows - 1].to_string(), last);
        assert_eq!(
            fnv1a64(series.to_csv().as_bytes()),
            digest,
            "{}",
            bundled.name()
        );
    }
}

#[test]
fn each_bundled_series_equals_its_source_file_when_present() {
    for (bundled, file, ..) in SOURCES {
        let path = format!("/work/shared/data/{file}");
        let Ok(source) = std::fs::read_to_string(&path) else {
            eprintln!("{path} not on this machine: checked by digest only");
            continue;
        };
        let series = bundled.series().unwrap();
        for (row, (ours, theirs)) in series.to_csv().lines().zip(source.lines()).enumerate() {
            assert_eq!(ours, theirs, "{file} line {}", row + 1);
        }
        assert_eq!(series.to_csv(), source);
    }
}

/// The excerpt's rows as (date, close text).
fn excerpt(name: &str) -> Vec<(Date, String)> {
    let path = format!(
        "{}/tests/data/{name}-excerpt.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("date,close"));
    lines
        .map(|line| {
            let (date, close) = line.split_once(',').unwrap();
            (Date::parse(date).unwrap(), close.to_string())
        })
        .collect()
}

#[test]
fn the_committed_excerpts_match_the_bundled_rows() {
    for bundled in Bundled::ALL {
        let series = bundled.series().unwrap();
        let dates = series.dates.as_ref().unwrap();
        let rows = excerpt(bundled.name());
        assert!(rows.len() >= 15);
        for (date, close) in rows {
            let i = dates.binary_search(&date).unwrap();
            assert_eq!(series.price_text(i), close, "{} {date}", bundled.name());
            let parsed: f64 = close.parse().unwrap();
            assert_eq!(series.price(i), parsed);
        }
        // The excerpts start and end with each file's first and last rows.
        let excerpt_rows = excerpt(bundled.name());
        assert_eq!(excerpt_rows[0].0, dates[0]);
        assert_eq!(excerpt_rows.last().unwrap().0, *dates.last().unwrap());
    }
}

#[test]
fn the_1914_closure_and_the_1987_crash_are_where_the_history_books_put_them() {
    let djia = Bundled::Djia.series().unwrap();
    let dates = djia.dates.as_ref().unwrap();
    let july = dates
        .binary_search(&Date::parse("1914-07-30").unwrap())
        .unwrap();
    // The exchange closed for the war from 31 July to 12 December 1914.
    assert_eq!(dates[july + 1].to_string(), "1914-12-12");
    let sp = Bundled::Sp500.series().unwrap();
    let dates = sp.dates.as_ref().unwrap();
    let monday = dates
        .binary_search(&Date::parse("1987-10-19").unwrap())
        .unwrap();
    assert_eq!(dates[monday - 1].to_string(), "1987-10-16");
    let fall = sp.price(monday) / sp.price(monday - 1) - 1.0;
    assert!((fall + 0.2047).abs() < 0.0005, "{fall}"); // −20.47 %
}

#[test]
fn the_rust_encoder_writes_the_generators_bytes() {
    for bundled in Bundled::ALL {
        let series: PriceSeries = bundled.series().unwrap();
        assert_eq!(
            codec::encode(&series),
            bundled.bytes(),
            "{}",
            bundled.name()
        );
    }
}

#[test]
fn the_readers_csv_parser_reads_each_bundled_csv_back_to_the_series() {
    for bundled in Bundled::ALL {
        let series = bundled.series().unwrap();
        let parsed = hedge_explorer::history::user_csv::parse_prices(&series.to_csv()).unwrap();
        assert_eq!(parsed, series, "{}", bundled.name());
    }
}
