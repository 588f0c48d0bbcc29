//! `statewise kinds`: every kind of component, what it is and the criteria
//! it fills in, most common first: the same list `ask` offers.

use crate::adapters::output::{self, Style};
use crate::cli::args::ListFormat;
use crate::cli::outcome::Output;
use crate::core::error::Result;
use crate::core::escape;
use crate::core::spec::kinds::Kinds;

/// The defaults of every kind as JSON objects, in the list's order.
fn defaults(kinds: &Kinds) -> Vec<(String, String, serde_json::Map<String, serde_json::Value>)> {
    Kinds::common_order()
        .into_iter()
        .map(|k| {
            let map = match serde_json::to_value(kinds.defaults(k)) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            (k.as_str().to_owned(), kinds.summary(k).to_owned(), map)
        })
        .collect()
}

/// `statewise kinds [--format table|json]`.
pub(crate) fn run(format: ListFormat, style: Style) -> Result<Output> {
    let list = defaults(Kinds::builtin());
    Output::ok(match format {
        ListFormat::Table => {
            let rows: Vec<[String; 3]> = list
                .into_iter()
                .map(|(name, summary, map)| {
                    let fills: Vec<String> = map
                        .iter()
                        .map(|(k, v)| match v {
                            serde_json::Value::String(s) => format!("{k}: {s}"),
                            other => format!("{k}: {other}"),
                        })
                        .collect();
                    let fills = if fills.is_empty() {
                        "nothing".to_owned()
                    } else {
                        fills.join(", ")
                    };
                    [name, summary, fills]
                })
                .collect();
            output::table::kinds(&rows, style)
        }
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = list
                .into_iter()
                .map(|(name, summary, map)| {
                    serde_json::json!({
                        "name": name,
                        "summary": summary,
                        "defaults": map,
                    })
                })
                .collect();
            let mut text = escape::json_pretty(&items);
            text.push('\n');
            text
        }
    })
}
