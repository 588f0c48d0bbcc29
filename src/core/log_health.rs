//! The health of the decision log as a whole, for `check`: two records
//! with one number, links and supersedes that point at records the folder
//! does not hold, a superseded record that names no successor, and a file
//! named like a record that cannot be read as one. Pure: the command reads
//! the folder and hands the records in.

use std::collections::BTreeMap;

use crate::core::check::{Finding, Kind, Severity};

/// A record of the log, as `check` needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogRecord {
    /// Its number.
    pub number: u32,
    /// Its path, as findings name it.
    pub file: String,
    /// The first word of its status, lowercase.
    pub status: Option<String>,
    /// The line its status is on, from 1.
    pub status_line: Option<usize>,
    /// The links it states: (relation, number linked to, line).
    pub links: Vec<(String, u32, usize)>,
    /// Why it cannot be read as a record, when it cannot.
    pub unreadable: Option<String>,
}

/// The findings about the log in `dir` (as shown in messages), by file.
pub fn findings(records: &[LogRecord], dir: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |severity, kind, r: &LogRecord, message: String, line| Finding {
        severity,
        kind,
        component: None,
        message,
        file: r.file.clone(),
        line,
        record: Some(r.number),
        workload: None,
    };
    let mut by_number: BTreeMap<u32, Vec<&LogRecord>> = BTreeMap::new();
    for r in records {
        by_number.entry(r.number).or_default().push(r);
    }
    for r in records {
        if let Some(why) = &r.unreadable {
            out.push(finding(
                Severity::Warning,
                Kind::UnreadableAdr,
                r,
                format!("`{}` is named like a record but cannot be read as one: {why}; fix it, or rename it so it does not start with a number", r.file),
                None,
            ));
        }
        let same = &by_number[&r.number];
        if let Some(first) = same.first().filter(|f| f.file != r.file) {
            out.push(finding(
                Severity::Error,
                Kind::DuplicateAdrNumber,
                r,
                format!(
                    "record number {} is taken twice: `{}` and `{}`; renumber one of them (and the links to it)",
                    r.number, first.file, r.file
                ),
                Some(1),
            ));
        }
        for (relation, target, line) in &r.links {
            if !by_number.contains_key(target) {
                out.push(finding(
                    Severity::Error,
                    Kind::AdrLinkToMissing,
                    r,
                    format!(
                        "`{relation}` points at record {target}, which is not in `{dir}`; fix the link or restore the record"
                    ),
                    Some(*line),
                ));
            }
        }
        if r.status.as_deref() == Some("superseded") {
            let named = r.links.iter().any(|(rel, t, _)| {
                rel == "superseded by" && by_number.contains_key(t) && *t != r.number
            });
            let named_by_other = records.iter().any(|o| {
                o.number != r.number
                    && o.links
                        .iter()
                        .any(|(rel, t, _)| rel == "supersedes" && *t == r.number)
            });
            let broken = r
                .links
                .iter()
                .any(|(rel, t, _)| rel == "superseded by" && !by_number.contains_key(t));
            if !named && !named_by_other && !broken {
                out.push(finding(
                    Severity::Warning,
                    Kind::SupersededWithoutSuccessor,
                    r,
                    format!(
                        "record {} is superseded, but no record says by which; link its successor N with `statewise adr link N Supersedes {}`",
                        r.number, r.number
                    ),
                    r.status_line,
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(number: u32, file: &str, status: &str, links: &[(&str, u32, usize)]) -> LogRecord {
        LogRecord {
            number,
            file: file.into(),
            status: Some(status.into()),
            status_line: Some(5),
            links: links
                .iter()
                .map(|(r, t, l)| ((*r).to_owned(), *t, *l))
                .collect(),
            unreadable: None,
        }
    }

    fn ids(f: &[Finding]) -> Vec<(&str, &str, Option<usize>)> {
        f.iter()
            .map(|f| (f.kind.id(), f.file.as_str(), f.line))
            .collect()
    }

    #[test]
    fn a_healthy_log_has_no_findings() {
        let log = [
            rec(1, "a/0001-a.md", "superseded", &[("superseded by", 2, 7)]),
            rec(2, "a/0002-b.md", "accepted", &[("supersedes", 1, 7)]),
        ];
        assert!(findings(&log, "a").is_empty());
        // The successor may say it alone.
        let log = [
            rec(1, "a/0001-a.md", "superseded", &[]),
            rec(2, "a/0002-b.md", "accepted", &[("supersedes", 1, 7)]),
        ];
        assert!(findings(&log, "a").is_empty());
    }

    #[test]
    fn every_problem_is_found_at_its_line() {
        let mut unreadable = rec(4, "a/0004-d.md", "accepted", &[]);
        unreadable.unreadable = Some("it is not text".into());
        let log = [
            rec(1, "a/0001-a.md", "superseded", &[]),
            rec(2, "a/0002-b.md", "accepted", &[("amends", 9, 8)]),
            rec(2, "a/0002-c.md", "superseded", &[("superseded by", 7, 6)]),
            unreadable,
        ];
        assert_eq!(
            ids(&findings(&log, "a")),
            [
                ("superseded-without-successor", "a/0001-a.md", Some(5)),
                ("adr-link-to-missing", "a/0002-b.md", Some(8)),
                ("duplicate-adr-number", "a/0002-c.md", Some(1)),
                ("adr-link-to-missing", "a/0002-c.md", Some(6)),
                ("unreadable-adr", "a/0004-d.md", None),
            ]
        );
        let f = findings(&log, "a");
        assert_eq!(
            f[2].message,
            "record number 2 is taken twice: `a/0002-b.md` and `a/0002-c.md`; renumber one of them (and the links to it)"
        );
        assert_eq!(f[1].severity, Severity::Error);
        assert_eq!(f[4].severity, Severity::Warning);
    }
}
