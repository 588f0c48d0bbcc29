//! Existing decision records in a folder, ours or not (adr-tools and other
//! Nygard records, MADR with or without front matter): their numbers,
//! titles, statuses and dates, and marking one superseded in place.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// What `adr list` shows of a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordInfo {
    /// The number in the file name.
    pub number: u32,
    /// The title, without adr-tools' `N. ` prefix.
    pub title: String,
    /// The first word of the status, lowercase (`accepted`, `superseded`).
    pub status: Option<String>,
    /// `YYYY-MM-DD`, when the record has one.
    pub date: Option<String>,
    /// The file name.
    pub file: String,
}

/// The number of a record file name `NNNN-slug.md`.
pub fn number_of(file_name: &str) -> Option<u32> {
    let stem = file_name.strip_suffix(".md")?;
    let (digits, rest) = stem.split_at(stem.find(|c: char| !c.is_ascii_digit())?);
    if digits.is_empty() || !rest.starts_with('-') || rest.len() < 2 {
        return None;
    }
    digits.parse().ok()
}

/// Record files in `dir` as (number, path), by number then name. Files that
/// are not `NNNN-*.md` (a README, a template) are left out.
pub fn scan(dir: &Path) -> std::io::Result<Vec<(u32, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(n) = number_of(name) {
            if entry.file_type()?.is_file() {
                out.push((n, entry.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The front matter of a record (the lines between a leading `---` and the
/// next `---`), if it has one.
pub fn front_matter(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let end = rest.match_indices("\n---").map(|(i, _)| i).find(|i| {
        rest[i + 4..].starts_with('\n') || rest[i + 4..].starts_with("\r\n") || rest.len() == i + 4
    })?;
    Some(&rest[..=end])
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        serde_yaml::from_str::<String>(v).unwrap_or_else(|_| v[1..v.len() - 1].to_owned())
    } else {
        v.to_owned()
    }
}

fn key_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let line = line.trim_start();
    let line = line
        .strip_prefix("* ")
        .or_else(|| line.strip_prefix("- "))
        .unwrap_or(line);
    let (k, v) = line.split_once(':')?;
    k.trim()
        .trim_matches('*')
        .trim()
        .eq_ignore_ascii_case(key)
        .then_some(v)
}

fn first_word(status: &str) -> Option<String> {
    let word: String = status
        .trim()
        .trim_start_matches(['*', '_', '['])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    (!word.is_empty()).then(|| word.to_lowercase())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Reads a record's title, status and date from its text.
pub fn parse(number: u32, file: &str, text: &str) -> RecordInfo {
    let fm = front_matter(text);
    let body = match fm {
        Some(f) => text.get(4 + f.len() + 4..).unwrap_or_default(),
        None => text,
    };
    let mut status = None;
    let mut date = None;
    if let Some(f) = fm {
        for line in f.lines() {
            if let Some(v) = line.strip_prefix("status:") {
                status = first_word(&unquote(v));
            } else if let Some(v) = line.strip_prefix("date:") {
                date = Some(unquote(v));
            }
        }
    }
    let lines: Vec<&str> = body.lines().collect();
    let title = lines
        .iter()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| strip_number_prefix(t.trim()).to_owned())
        .unwrap_or_default();
    if status.is_none() {
        status = status_section(&lines).and_then(|s| first_word(lines[s.0]));
    }
    for line in &lines {
        if status.is_none() {
            if let Some(v) = key_value(line, "status") {
                status = first_word(v);
            }
        }
        if date.is_none() {
            if let Some(v) = key_value(line, "date") {
                date = Some(v.trim().to_owned());
            }
        }
    }
    RecordInfo {
        number,
        title,
        status,
        date: date.filter(|d| is_date(d)),
        file: file.to_owned(),
    }
}

fn strip_number_prefix(title: &str) -> &str {
    let digits = title.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = title[digits..].strip_prefix(". ") {
            return rest;
        }
    }
    title
}

/// The `## Status` section's body as (first non-blank line index, end line
/// index exclusive) in `lines`.
fn status_section(lines: &[&str]) -> Option<(usize, usize)> {
    let heading = lines
        .iter()
        .position(|l| l.trim().eq_ignore_ascii_case("## status"))?;
    let end = lines[heading + 1..]
        .iter()
        .position(|l| l.starts_with('#'))
        .map_or(lines.len(), |p| heading + 1 + p);
    let first = (heading + 1..end).find(|i| !lines[*i].trim().is_empty())?;
    Some((first, end))
}

/// The text of a record marked superseded by `by` (a Markdown link), or
/// `None` when no status can be found. Only the status changes; every other
/// byte stays as it was.
pub fn mark_superseded(text: &str, link_md: &str) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // Front matter `status:` line.
    if let Some(fm) = front_matter(text) {
        let fm_start = text.len() - text[4..].len();
        let mut offset = fm_start;
        for line in fm.split_inclusive('\n') {
            if line.starts_with("status:") {
                let end = offset + line.trim_end_matches(['\r', '\n']).len();
                let value = crate::spec_yaml::scalar(&format!("superseded by {link_md}"));
                return Some(format!(
                    "{}status: {value}{}",
                    &text[..offset],
                    &text[end..]
                ));
            }
            offset += line.len();
        }
    }
    // A `## Status` section: its first paragraph becomes the new status.
    let mut offsets = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        offsets.push(pos);
        pos += line.len();
    }
    offsets.push(pos);
    let lines: Vec<&str> = text.lines().collect();
    if let Some((first, end)) = status_section(&lines) {
        // Only the first paragraph is the status; later ones (adr-tools'
        // "Supersedes [...]" links) stay.
        let start = offsets[first];
        let mut last = first;
        while last < end && !lines[last].trim().is_empty() {
            last += 1;
        }
        let stop = offsets[last];
        let tail = if stop >= text.len() && !text.ends_with('\n') {
            ""
        } else {
            nl
        };
        return Some(format!(
            "{}Superseded by {link_md}{tail}{}",
            &text[..start],
            &text[stop..]
        ));
    }
    // A `Status: x` or `* Status: x` line (MADR 2 and hand-written records).
    for (i, line) in lines.iter().enumerate() {
        if let Some(v) = key_value(line, "status") {
            let start = offsets[i] + (line.len() - v.len());
            let end = offsets[i] + line.len();
            return Some(format!(
                "{} superseded by {link_md}{}",
                &text[..start],
                &text[end..]
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADR_TOOLS: &str = "# 2. Use Postgres\n\nDate: 2024-03-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n";

    #[test]
    fn numbers_come_from_file_names() {
        assert_eq!(number_of("0007-use-postgres.md"), Some(7));
        assert_eq!(number_of("12-x.md"), Some(12));
        assert_eq!(number_of("README.md"), None);
        assert_eq!(number_of("0007.md"), None);
        assert_eq!(number_of("0007-x.txt"), None);
        assert_eq!(number_of("template.md"), None);
    }

    #[test]
    fn reads_adr_tools_records() {
        let r = parse(2, "0002-use-postgres.md", ADR_TOOLS);
        assert_eq!(r.title, "Use Postgres");
        assert_eq!(r.status.as_deref(), Some("accepted"));
        assert_eq!(r.date.as_deref(), Some("2024-03-01"));
    }

    #[test]
    fn reads_madr_front_matter_and_old_madr() {
        let r = parse(
            1,
            "f",
            "---\nstatus: \"superseded by [ADR-0002](0002-x.md)\"\ndate: 2025-01-02\n---\n\n# Pick a queue\n",
        );
        assert_eq!(
            (r.title.as_str(), r.status.as_deref(), r.date.as_deref()),
            ("Pick a queue", Some("superseded"), Some("2025-01-02"))
        );
        let r = parse(
            3,
            "f",
            "# Use Kafka\n\n* Status: proposed\n* Date: 2020-05-06\n",
        );
        assert_eq!(
            (r.status.as_deref(), r.date.as_deref()),
            (Some("proposed"), Some("2020-05-06"))
        );
    }

    #[test]
    fn supersedes_adr_tools_record_byte_for_byte() {
        let out =
            mark_superseded(ADR_TOOLS, "[3. Use CockroachDB](0003-use-cockroachdb.md)").unwrap();
        assert_eq!(
            out,
            ADR_TOOLS.replace(
                "Accepted\n",
                "Superseded by [3. Use CockroachDB](0003-use-cockroachdb.md)\n"
            )
        );
    }

    #[test]
    fn keeps_the_links_of_a_status_section() {
        let text =
            "# 3. B\n\n## Status\n\nAccepted\n\nSupersedes [2. A](0002-a.md)\n\n## Context\n";
        let out = mark_superseded(text, "[4. C](0004-c.md)").unwrap();
        assert_eq!(
            out,
            text.replace("Accepted", "Superseded by [4. C](0004-c.md)")
        );
    }

    #[test]
    fn supersedes_front_matter_status_only() {
        let text = "---\nstatus: accepted\ndate: 2025-01-02\n---\n\n# T\n\n## Status\n\nkept\n";
        let out = mark_superseded(text, "[ADR-0004](0004-x.md)").unwrap();
        assert_eq!(
            out,
            text.replace(
                "status: accepted",
                "status: \"superseded by [ADR-0004](0004-x.md)\""
            )
        );
    }

    #[test]
    fn supersedes_status_lines_and_keeps_crlf() {
        let text = "# T\r\n\r\n* Status: accepted\r\n\r\nbody\r\n";
        let out = mark_superseded(text, "[x](y)").unwrap();
        assert_eq!(
            out,
            "# T\r\n\r\n* Status: superseded by [x](y)\r\n\r\nbody\r\n"
        );
        assert_eq!(mark_superseded("# no status here\n", "[x](y)"), None);
    }
}
