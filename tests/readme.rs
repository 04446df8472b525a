//! The README documents the whole link format: its table of keys is exactly the
//! table the parser uses (`scenario::FIELDS`), row for row.

use hedge_explorer::scenario::{Allowed, Value, FIELDS};

/// The README row of every field, as [`FIELDS`] says it should read.
fn expected_rows() -> Vec<String> {
    FIELDS
        .iter()
        .map(|spec| {
            let default = match spec.default_value() {
                Value::Unset => "unset".to_string(),
                Value::Legs(legs) if legs.is_empty() => "empty".to_string(),
                Value::Prices(prices) if prices.is_empty() => "empty".to_string(),
                v => format!("`{v}`"),
            };
            let range = match spec.allowed {
                Allowed::Number {
                    min,
                    max,
                    min_exclusive,
                } => format!("{}{min} … {max}", if min_exclusive { ">" } else { "" }),
                Allowed::Integer { min, max } => format!("{min} … {max}"),
                Allowed::Choice(_) => spec.allowed.words().collect::<Vec<_>>().join(" \\| "),
                Allowed::Legs { .. } => "see *Books and hedge options*".to_string(),
                Allowed::Date => "YYYY-MM-DD".to_string(),
                Allowed::Prices => "see *Back-tests on price history*".to_string(),
            };
            format!(
                "| `{}` | {} | {} | {default} | {range} |",
                spec.key, spec.description, spec.unit
            )
        })
        .collect()
}

#[test]
fn readme_link_table_is_the_parsers_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| key |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .collect();
    let expected = expected_rows();
    assert!(
        rows == expected,
        "the README's link table differs from scenario::FIELDS; it should read:\n{}",
        expected.join("\n")
    );
}
