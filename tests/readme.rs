//! The README documents the whole link format: every key, its default and its
//! allowed range, exactly as the parser enforces them.

use hedge_explorer::scenario::{Allowed, Value, FIELDS};
use hedge_explorer::Scenario;

#[test]
fn readme_link_table_matches_the_parser() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let defaults = Scenario::default();
    for spec in FIELDS {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", spec.key)))
            .unwrap_or_else(|| panic!("README has no row for `{}`", spec.key));
        let default = match defaults.get(spec.key) {
            Value::Unset => "vol".to_string(),
            v => v.to_string(),
        };
        assert!(
            row.contains(&format!("`{default}`")),
            "row of `{}` shows default {default}: {row}",
            spec.key
        );
        let range = match spec.allowed {
            Allowed::Number {
                min,
                max,
                min_exclusive,
            } => {
                format!("{}{min} … {max}", if min_exclusive { ">" } else { "" })
            }
            Allowed::Integer { min, max } => format!("{min} … {max}"),
            Allowed::Choice(words) => words.join(" \\| "),
        };
        assert!(
            row.contains(&range),
            "row of `{}` shows range {range}: {row}",
            spec.key
        );
    }
}
