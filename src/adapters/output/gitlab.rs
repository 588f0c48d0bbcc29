//! `check --format gitlab`: a GitLab Code Quality report, the JSON array
//! the merge request widget reads (`artifacts: reports: codequality`). Each
//! open finding is one issue; its `fingerprint` is the finding's, so GitLab
//! tells new findings from old ones across edits that move lines.

use serde_json::json;

use crate::adapters::output::findings::Checked;
use crate::core::check::Severity;
use crate::core::escape;

/// The Code Quality JSON array.
pub fn render(c: &Checked) -> String {
    let issues: Vec<serde_json::Value> = c
        .outcome
        .open()
        .map(|g| {
            let f = &g.finding;
            let description = match &f.component {
                Some(name) => format!("{name}: {}", f.message),
                None => f.message.clone(),
            };
            json!({
                "type": "issue",
                "check_name": f.kind.id(),
                "description": description,
                "categories": ["Bug Risk"],
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Note => "info",
                },
                "fingerprint": g.fingerprint,
                "location": {
                    "path": f.file,
                    "lines": { "begin": f.line.unwrap_or(1) },
                },
            })
        })
        .collect();
    let mut text = escape::json_pretty(&issues);
    text.push('\n');
    text
}
