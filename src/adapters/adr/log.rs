//! The record folder read as one log: every record with its status and
//! the links it states, the index (`adr toc`) and the picture of how
//! records supersede and link each other (`adr graph`).

use std::path::{Path, PathBuf};

use crate::adapters::adr::records::{self, LinkRef, RecordInfo};
use crate::adapters::adr::text;
use crate::adapters::files;
use crate::core::escape;

/// One record of the log.
#[derive(Clone, Debug)]
pub struct Record {
    /// Number, title, status, date, file name.
    pub info: RecordInfo,
    /// Its path.
    pub path: PathBuf,
    /// The links it states.
    pub links: Vec<LinkRef>,
    /// The line of its status, from 1.
    pub status_line: Option<usize>,
    /// Why it could not be read as a record, when it could not.
    pub unreadable: Option<String>,
}

/// Every record in `dir`, by number then name. A record name that cannot
/// be read (a dangling link, bytes that are no text) is kept, with the
/// reason, so the log's checks can report it.
pub fn load(dir: &Path) -> std::io::Result<Vec<Record>> {
    let mut out = Vec::new();
    for entry in records::scan_names(dir)? {
        let file = entry
            .path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_owned();
        let empty = RecordInfo {
            number: entry.number,
            title: String::new(),
            status: None,
            date: None,
            file: file.clone(),
        };
        if !entry.readable {
            out.push(Record {
                info: empty,
                path: entry.path,
                links: Vec::new(),
                status_line: None,
                unreadable: Some("a symbolic link to nothing that can be read".into()),
            });
            continue;
        }
        let text = match files::read_limited(&entry.path) {
            Ok(bytes) => text::decode(&bytes),
            Err(e) => {
                out.push(Record {
                    info: empty,
                    path: entry.path,
                    links: Vec::new(),
                    status_line: None,
                    unreadable: Some(format!("it cannot be read ({e})")),
                });
                continue;
            }
        };
        let Some(text) = text else {
            out.push(Record {
                info: empty,
                path: entry.path,
                links: Vec::new(),
                status_line: None,
                unreadable: Some("it is not text (UTF-8, or UTF-16 with a byte-order mark)".into()),
            });
            continue;
        };
        let info = records::parse(entry.number, &file, &text);
        let unreadable = info
            .title
            .is_empty()
            .then(|| "it has no `# title` heading".to_owned());
        out.push(Record {
            links: records::links(&text),
            status_line: records::status_line(&text),
            info,
            path: entry.path,
            unreadable,
        });
    }
    Ok(out)
}

/// The log as `check` weighs its health; files are named as `dir/file`.
pub fn health(records: &[Record], dir: &Path) -> Vec<crate::core::log_health::LogRecord> {
    records
        .iter()
        .map(|r| crate::core::log_health::LogRecord {
            number: r.info.number,
            file: dir.join(&r.info.file).display().to_string(),
            status: r.info.status.clone(),
            status_line: r.status_line,
            links: r
                .links
                .iter()
                .map(|l| (l.relation.clone(), l.target, l.line))
                .collect(),
            unreadable: r.unreadable.clone(),
        })
        .collect()
}

/// The index of the log: a Markdown list of every record, by number, with
/// its status and date. The same records give the same bytes.
/// `prefix` leads from the index's folder to the records' (empty when the
/// index is in the record folder).
pub fn toc(records: &[Record], prefix: &str) -> String {
    let mut out = String::from("# Architecture Decision Records\n\n");
    if records.is_empty() {
        out.push_str("No records yet.\n");
        return out;
    }
    for r in records {
        let i = &r.info;
        let title = if i.title.is_empty() {
            i.file.clone()
        } else {
            i.title.clone()
        };
        let mut details = vec![i.status.clone().unwrap_or_else(|| "no status".into())];
        details.extend(i.date.clone());
        out.push_str(&format!(
            "* [ADR-{:04}]({}): {} ({})\n",
            i.number,
            escape::uri_path(&format!("{prefix}{}", i.file)),
            escape::markdown_inline(&title),
            details.join(", ")
        ));
    }
    out
}

/// A Mermaid flowchart of the log: one node per record (number, title,
/// status; styled by status), one arrow per link, labelled with its
/// relation. A link both records state (`supersedes` and `superseded by`)
/// is one arrow, from the newer record. Links to records that are not in
/// the folder are left out (`check` reports them).
pub fn graph(records: &[Record]) -> String {
    let mut out = String::from("flowchart BT\n");
    let known = |n: u32| records.iter().any(|r| r.info.number == n);
    for r in records {
        let i = &r.info;
        let status = i.status.as_deref().unwrap_or("unknown");
        out.push_str(&format!(
            "  adr{}[\"{}. {}<br/>{}\"]\n",
            i.number,
            i.number,
            escape::mermaid_label(&i.title),
            escape::mermaid_label(status)
        ));
    }
    let mut edges: Vec<(u32, String, u32)> = Vec::new();
    for r in records {
        for l in &r.links {
            if !known(l.target) || l.target == r.info.number {
                continue;
            }
            let (from, relation, to) = match records::reverse_relation(&l.relation) {
                // "x by" links are drawn from the other side.
                Some(rev) if l.relation.ends_with(" by") => (l.target, rev, r.info.number),
                _ => (r.info.number, l.relation.clone(), l.target),
            };
            if !edges.contains(&(from, relation.clone(), to)) {
                edges.push((from, relation, to));
            }
        }
    }
    edges.sort();
    for (from, relation, to) in &edges {
        out.push_str(&format!(
            "  adr{from} -->|{}| adr{to}\n",
            escape::mermaid_label(relation)
        ));
    }
    let styles = [
        ("proposed", "fill:#fff8c5,stroke:#9a6700"),
        ("accepted", "fill:#dafbe1,stroke:#1a7f37"),
        ("rejected", "fill:#ffebe9,stroke:#cf222e"),
        ("deprecated", "fill:#eaeef2,stroke:#57606a"),
        (
            "superseded",
            "fill:#eaeef2,stroke:#57606a,stroke-dasharray:4 3",
        ),
    ];
    for (status, style) in styles {
        let members: Vec<String> = records
            .iter()
            .filter(|r| r.info.status.as_deref() == Some(status))
            .map(|r| format!("adr{}", r.info.number))
            .collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!("  classDef {status} {style}\n"));
        out.push_str(&format!("  class {} {status}\n", members.join(",")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(number: u32, title: &str, status: &str, links: &[(&str, u32)]) -> Record {
        Record {
            info: RecordInfo {
                number,
                title: title.into(),
                status: Some(status.into()),
                date: Some("2026-11-28".into()),
                file: format!("{number:04}-x.md"),
            },
            path: PathBuf::from(format!("{number:04}-x.md")),
            links: links
                .iter()
                .map(|(rel, target)| LinkRef {
                    relation: (*rel).into(),
                    target: *target,
                    file: format!("{target:04}-x.md"),
                    line: 1,
                })
                .collect(),
            status_line: Some(5),
            unreadable: None,
        }
    }

    #[test]
    fn the_graph_draws_each_link_once_from_the_newer_record() {
        let log = [
            record(1, "Use Postgres", "superseded", &[("superseded by", 2)]),
            record(2, "Use \"Cockroach\"", "accepted", &[("supersedes", 1)]),
            record(3, "Shard", "proposed", &[("amends", 2), ("relates to", 9)]),
        ];
        assert_eq!(
            graph(&log),
            "flowchart BT\n  adr1[\"1. Use Postgres<br/>superseded\"]\n  \
             adr2[\"2. Use #quot;Cockroach#quot;<br/>accepted\"]\n  adr3[\"3. Shard<br/>proposed\"]\n  \
             adr2 -->|supersedes| adr1\n  adr3 -->|amends| adr2\n  \
             classDef proposed fill:#fff8c5,stroke:#9a6700\n  class adr3 proposed\n  \
             classDef accepted fill:#dafbe1,stroke:#1a7f37\n  class adr2 accepted\n  \
             classDef superseded fill:#eaeef2,stroke:#57606a,stroke-dasharray:4 3\n  class adr1 superseded\n"
        );
    }

    #[test]
    fn the_index_lists_every_record_in_order() {
        let log = [
            record(1, "Use *Postgres*", "accepted", &[]),
            record(2, "Shard", "proposed", &[]),
        ];
        assert_eq!(
            toc(&log, ""),
            "# Architecture Decision Records\n\n\
             * [ADR-0001](0001-x.md): Use \\*Postgres\\* (accepted, 2026-11-28)\n\
             * [ADR-0002](0002-x.md): Shard (proposed, 2026-11-28)\n"
        );
        assert_eq!(
            toc(&[], ""),
            "# Architecture Decision Records\n\nNo records yet.\n"
        );
    }
}
