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

/// Whether a record file is named by its date, as log4brains names them
/// (`20200506-use-kafka.md`): eight digits that read as a calendar date
/// from 1970 on. Such a name holds no place in the numbering.
pub fn date_named(file_name: &str) -> bool {
    let digits: String = file_name.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() != 8 || !file_name[8..].starts_with('-') {
        return false;
    }
    let part = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (part(0..4), part(4..6), part(6..8));
    (1970..=2999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// Largest record statewise reads whole to edit in place (`--supersedes`):
/// a Markdown record is far smaller; a larger one is refused, never cut.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// A name in a record folder that looks like a record (`NNNN-slug.md`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// The number in the name.
    pub number: u32,
    /// The path in the folder.
    pub path: PathBuf,
    /// Whether it can be read as a record: a regular file, or a symbolic
    /// link to one.
    pub readable: bool,
}

/// Every file and symbolic link in `dir` named like a record, by number
/// then name. Each one holds its number: a new record never takes the
/// number of a link that cannot be read as a record (dangling, looping, to
/// a device), since a link named like a record was one, or stands for one
/// (a link into a folder not checked out). A folder, FIFO or socket named
/// like a record is not one and holds nothing, as before.
pub fn scan_names(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(number) = number_of(name) else {
            continue;
        };
        let kind = entry.file_type()?;
        if !kind.is_file() && !kind.is_symlink() {
            continue;
        }
        // A link is followed to see what it points to; never opened here,
        // so a link to a FIFO or a device cannot block or flood a read.
        let readable = kind.is_file() || std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file());
        out.push(Entry {
            number,
            path: entry.path(),
            readable,
        });
    }
    out.sort();
    Ok(out)
}

/// Record files in `dir` as (number, path), by number then name: regular
/// files and symbolic links to regular files. Names that are not
/// `NNNN-*.md` (a README, a template) are left out, and so are record names
/// that cannot be read (see [`scan_names`], which numbering uses).
pub fn scan(dir: &Path) -> std::io::Result<Vec<(u32, PathBuf)>> {
    Ok(scan_names(dir)?
        .into_iter()
        .filter(|e| e.readable)
        .map(|e| (e.number, e.path))
        .collect())
}

/// The front matter of a record (the lines between a leading `---` and the
/// next `---`), if it has one.
pub fn front_matter(text: &str) -> Option<&str> {
    front_matter_span(text).map(|(start, end, _)| &text[start..end])
}

/// Where the front matter is: (start of its first line, end of its last
/// line including the newline, end of the closing `---` line).
fn front_matter_span(text: &str) -> Option<(usize, usize, usize)> {
    let start = if text.starts_with("---\n") {
        4
    } else if text.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let rest = &text[start..];
    let end = rest.match_indices("\n---").map(|(i, _)| i).find(|i| {
        let after = &rest[i + 4..];
        after.starts_with('\n') || after.starts_with("\r\n") || after.is_empty()
    })?;
    let close = rest[end + 4..]
        .find('\n')
        .map_or(text.len(), |n| start + end + 4 + n + 1);
    Some((start, start + end + 1, close))
}

/// Text as a reader sees it: Markdown backslash escapes and the HTML
/// entities statewise writes are undone.
fn plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let quoted = v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')));
    if !quoted {
        return v.to_owned();
    }
    // `"a" [[[…] "` is no scalar: deep nesting never reaches the parser.
    let shallow =
        crate::core::locate::too_deep(v, crate::core::spec::parse::MAX_FLOW_DEPTH).is_none();
    match shallow.then(|| serde_yaml::from_str::<String>(v)) {
        Some(Ok(s)) => s,
        _ => v[1..v.len() - 1].to_owned(),
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
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let fm = front_matter(text);
    let body = match front_matter_span(text) {
        Some((_, _, close)) => &text[close..],
        None => text,
    };
    let mut status = None;
    let mut date = None;
    if let Some(f) = fm {
        // The first `status:` line, the one `mark_superseded` edits.
        let mut status_seen = false;
        for line in f.lines() {
            if let Some(v) = line.strip_prefix("status:") {
                if !status_seen {
                    status = first_word(&unquote(v));
                    status_seen = true;
                }
            } else if let Some(v) = line.strip_prefix("date:") {
                date = Some(unquote(v));
            }
        }
    }
    let lines: Vec<&str> = body.lines().collect();
    let title = lines
        .iter()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| plain(strip_number_prefix(t.trim())))
        .unwrap_or_default();
    if status.is_none() {
        status = status_section(&lines).and_then(|s| first_word(lines[s.0]));
    }
    for line in &lines {
        if status.is_none()
            && let Some(v) = key_value(line, "status")
        {
            status = first_word(v);
        }
        if date.is_none()
            && let Some(v) = key_value(line, "date")
        {
            date = Some(v.trim().to_owned());
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
    if digits > 0
        && let Some(rest) = title[digits..].strip_prefix(". ")
    {
        return rest;
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

/// The text of a record marked superseded by `link_md` (a Markdown link),
/// or `None` when no status can be found. Only the status changes; every
/// other byte stays as it was. A record already superseded keeps the links
/// it has and gains this one: `superseded by [A](a), [B](b)` in a status
/// value, one `Superseded by` paragraph per link in a `## Status` section,
/// as adr-tools writes its links. The status is looked for where
/// [`parse`] reads it: the front matter's `status:`, else in the body (after
/// the front matter) a `## Status` section, else a `Status:` line.
fn mark_superseded_primary(text: &str, link_md: &str) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let span = front_matter_span(text);
    // Front matter `status:` line.
    if let Some((line_start, value_end)) = front_matter_status(text, span) {
        let old = unquote(&text[line_start + "status:".len()..value_end]);
        let value = crate::core::spec::yaml::scalar(&superseded_value(&old, link_md, "superseded"));
        return Some(format!(
            "{}status: {value}{}",
            &text[..line_start],
            &text[value_end..]
        ));
    }
    let body_start = span.map_or(0, |(_, _, close)| close);
    let (head, body) = text.split_at(body_start);
    let edited = mark_body(body, link_md, nl)?;
    Some(format!("{head}{edited}"))
}

/// The `status:` line of the front matter `span` (as
/// `front_matter_span` gives it): where the line starts and where its value
/// ends (before the line's end).
fn front_matter_status(text: &str, span: Option<(usize, usize, usize)>) -> Option<(usize, usize)> {
    let (start, end, _) = span?;
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        if line.starts_with("status:") {
            return Some((offset, offset + line.trim_end_matches(['\r', '\n']).len()));
        }
        offset += line.len();
    }
    None
}

/// [`mark_superseded`] on the body of a record (the text after its front
/// matter): a `## Status` section, else a `Status:` line.
fn mark_body(text: &str, link_md: &str, nl: &str) -> Option<String> {
    let mut offsets = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        offsets.push(pos);
        pos += line.len();
    }
    offsets.push(pos);
    let lines: Vec<&str> = text.lines().collect();
    // A `## Status` section: its first paragraph is the status.
    if let Some((first, end)) = status_section(&lines) {
        let paragraph_end = |from: usize| {
            (from..end)
                .find(|i| lines[*i].trim().is_empty())
                .unwrap_or(end)
        };
        let mut last = paragraph_end(first);
        if first_word(lines[first]).as_deref() != Some("superseded") {
            // Later paragraphs (adr-tools' "Supersedes [...]" links) stay.
            let start = offsets[first];
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
        // Already superseded: a paragraph for this link after the
        // `Superseded by` ones, unless one already names it.
        let mut paragraphs = vec![(first, last)];
        while let Some(next) = (last..end).find(|i| !lines[*i].trim().is_empty()) {
            if !starts_with_ignoring_case(lines[next].trim_start(), "superseded by") {
                break;
            }
            last = paragraph_end(next);
            paragraphs.push((next, last));
        }
        if paragraphs
            .iter()
            .any(|(from, to)| lines[*from..*to].iter().any(|l| l.contains(link_md)))
        {
            return Some(text.to_owned());
        }
        let at = offsets[last];
        let (before, after) = text.split_at(at);
        let added = if at >= text.len() && !text.ends_with('\n') {
            format!("{nl}{nl}Superseded by {link_md}")
        } else {
            format!("{nl}Superseded by {link_md}{nl}")
        };
        return Some(format!("{before}{added}{after}"));
    }
    // A `Status: x` or `* Status: x` line (MADR 2 and hand-written records).
    for (i, line) in lines.iter().enumerate() {
        if let Some(v) = key_value(line, "status") {
            let start = offsets[i] + (line.len() - v.len());
            let end = offsets[i] + line.len();
            return Some(format!(
                "{} {}{}",
                &text[..start],
                superseded_value(v, link_md, "superseded"),
                &text[end..]
            ));
        }
    }
    None
}

/// A status value marked superseded by `link_md`: `{word} by LINK`, or,
/// when `old` already says superseded, `old` with the link added, so no
/// earlier link is lost (`superseded by [A](a), [B](b)`); `old` as it is
/// when it already holds the link.
fn superseded_value(old: &str, link_md: &str, word: &str) -> String {
    let old = old.trim();
    if first_word(old).as_deref() != Some("superseded") {
        return format!("{word} by {link_md}");
    }
    if old.contains(link_md) {
        old.to_owned()
    } else if starts_with_ignoring_case(old, "superseded by ") {
        format!("{old}, {link_md}")
    } else {
        format!("{old}; {word} by {link_md}")
    }
}

/// Whether `text` starts with `prefix` (ASCII), ignoring case.
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// [`mark_superseded_primary`], and the same in a log4brains header list
/// (`* Status: …` under the title) when the record has one elsewhere too,
/// so the two never disagree.
pub fn mark_superseded(text: &str, link_md: &str) -> Option<String> {
    let out = mark_superseded_primary(text, link_md)?;
    Some(edit_header_status(&out, |old| {
        superseded_value(old, link_md, "superseded")
    }))
}

/// [`set_status_primary`], and the same in a log4brains header list
/// (`* Status: …` under the title) when the record has one elsewhere too.
pub fn set_status(text: &str, status: &str) -> Option<String> {
    let out = set_status_primary(text, status)?;
    Some(edit_header_status(&out, |_| status.to_owned()))
}

/// The value span of the `Status:` item of the list under the title (the
/// "header" log4brains reads), as byte offsets in `text`.
fn header_status(text: &str) -> Option<(usize, usize)> {
    let body_start = front_matter_span(text).map_or(0, |(_, _, close)| close);
    let body = &text[body_start..];
    let (offsets, lines) = line_offsets(body);
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("## ") {
            return None;
        }
        let item = line.starts_with("* ") || line.starts_with("- ");
        if let Some(v) = key_value(line, "status").filter(|_| item) {
            let start = body_start + offsets[i] + (line.len() - v.len());
            return Some((start, body_start + offsets[i] + line.len()));
        }
    }
    None
}

/// `text` with the header `Status:` value replaced by `value(old)`, when
/// there is such a header and it says something else.
fn edit_header_status(text: &str, value: impl Fn(&str) -> String) -> String {
    let Some((start, end)) = header_status(text) else {
        return text.to_owned();
    };
    let old = text[start..end].trim_end_matches('\r');
    let new = value(old.trim());
    if old.trim() == new {
        return text.to_owned();
    }
    let end = start + old.len();
    format!("{} {new}{}", &text[..start], &text[end..])
}

/// `text` (a rendered record) with the header list log4brains reads
/// (`* Status:` and `* Date:` items) under its title, for a record written
/// into a log4brains log.
pub fn with_header_list(text: &str, status: &str, date: &str) -> String {
    let body_start = front_matter_span(text).map_or(0, |(_, _, close)| close);
    let (offsets, lines) = line_offsets(&text[body_start..]);
    let Some(i) = lines.iter().position(|l| l.starts_with("# ")) else {
        return text.to_owned();
    };
    let at = body_start + offsets[i + 1];
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    format!(
        "{}{nl}* Status: {status}{nl}* Date: {date}{nl}{}",
        &text[..at],
        &text[at..]
    )
}

/// The statuses `adr status` sets, in the order a record moves through.
pub const STATUSES: [&str; 5] = [
    "proposed",
    "accepted",
    "rejected",
    "deprecated",
    "superseded",
];

/// `text` with its status set to `status` (a word of [`STATUSES`]), where
/// [`parse`] reads it: the front matter's `status:` (lowercase), else the
/// first paragraph of a `## Status` section (capitalised, as adr-tools
/// writes it; later paragraphs such as links stay), else a `Status:` line.
/// Every other byte stays. `None` when the record has no status.
fn set_status_primary(text: &str, status: &str) -> Option<String> {
    let text_nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let span = front_matter_span(text);
    if let Some((line_start, value_end)) = front_matter_status(text, span) {
        return Some(format!(
            "{}status: {status}{}",
            &text[..line_start],
            &text[value_end..]
        ));
    }
    let body_start = span.map_or(0, |(_, _, close)| close);
    let (head, body) = text.split_at(body_start);
    let (offsets, lines) = line_offsets(body);
    if let Some((first, end)) = status_section(&lines) {
        let stop = (first..end)
            .find(|i| lines[*i].trim().is_empty())
            .unwrap_or(end);
        let tail = if offsets[stop] >= body.len() && !body.ends_with('\n') {
            ""
        } else {
            text_nl
        };
        return Some(format!(
            "{head}{}{}{tail}{}",
            &body[..offsets[first]],
            capitalized(status),
            &body[offsets[stop]..]
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        if let Some(v) = key_value(line, "status") {
            let start = offsets[i] + (line.len() - v.len());
            let end = offsets[i] + line.len();
            return Some(format!("{head}{} {status}{}", &body[..start], &body[end..]));
        }
    }
    None
}

/// The line, from 1, where [`parse`] reads the status, if the record has one.
pub fn status_line(text: &str) -> Option<usize> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let span = front_matter_span(text);
    if let Some((_, end, _)) = span
        && let Some(i) = text[..end].lines().position(|l| l.starts_with("status:"))
    {
        return Some(i + 1);
    }
    let body_start = span.map_or(0, |(_, _, close)| close);
    let skip = text[..body_start].lines().count();
    let lines: Vec<&str> = text[body_start..].lines().collect();
    if let Some((first, _)) = status_section(&lines) {
        return Some(skip + first + 1);
    }
    lines
        .iter()
        .position(|l| key_value(l, "status").is_some())
        .map(|i| skip + i + 1)
}

/// The start of every line of `text` (and its end), and its lines.
fn line_offsets(text: &str) -> (Vec<usize>, Vec<&str>) {
    let mut offsets = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        offsets.push(pos);
        pos += line.len();
    }
    offsets.push(pos);
    (offsets, text.lines().collect())
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// `text` with the paragraph `link_line` (`Amends [2. Use Postgres](0002-use-postgres.md)`)
/// added where the record's links are: at the end of a `## Status`
/// section (as adr-tools links records), else at the top of a
/// `## More Information` section (MADR's place for links to other
/// decisions), else in such a section added at the end. Every other byte
/// stays; a record that already holds the line is returned as it is.
pub fn add_link(text: &str, link_line: &str) -> String {
    if text.lines().any(|l| l.trim() == link_line) {
        return text.to_owned();
    }
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let body_start = front_matter_span(text).map_or(0, |(_, _, close)| close);
    let (head, body) = text.split_at(body_start);
    let (offsets, lines) = line_offsets(body);
    let insert = |at: usize, added: &str| format!("{head}{}{added}{}", &body[..at], &body[at..]);
    if let Some((first, end)) = status_section(&lines) {
        let last = (first..end)
            .rev()
            .find(|i| !lines[*i].trim().is_empty())
            .unwrap_or(first);
        let at = offsets[last + 1];
        if at >= body.len() && !body.ends_with('\n') {
            return insert(at, &format!("{nl}{nl}{link_line}"));
        }
        return insert(at, &format!("{nl}{link_line}{nl}"));
    }
    if let Some(h) = lines
        .iter()
        .position(|l| l.trim().eq_ignore_ascii_case("## more information"))
    {
        let blank_after = lines.get(h + 1).is_some_and(|l| l.trim().is_empty());
        if blank_after && h + 2 < lines.len() {
            return insert(offsets[h + 2], &format!("{link_line}{nl}{nl}"));
        }
    }
    let mut out = text.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(nl);
    }
    out.push_str(&format!("{nl}## More Information{nl}{nl}{link_line}{nl}"));
    out
}

/// A link from one record to another, as a record states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    /// The relation, lowercase: `supersedes`, `superseded by`, `amends`, ….
    pub relation: String,
    /// The number of the record linked to (from its file name).
    pub target: u32,
    /// The file linked to, as written.
    pub file: String,
    /// The line of the record that states it, from 1.
    pub line: usize,
}

/// Every link to another record that `text` states: a line (or a status
/// value) `RELATION [text](NNNN-slug.md)`, as adr-tools, adrs and statewise
/// write them (`Superseded by [3. Use X](0003-use-x.md)`,
/// `status: "superseded by [ADR-0007](0007-x.md)"`, `Supersedes
/// [ADR-0002](0002-x.md): Title.`). Several links after one relation
/// (`superseded by [A](a), [B](b)`) are one link each.
pub fn links(text: &str) -> Vec<LinkRef> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let line = match trimmed.strip_prefix("status:") {
            Some(v) => unquote(v),
            None => trimmed
                .strip_prefix("* ")
                .or_else(|| trimmed.strip_prefix("- "))
                .unwrap_or(trimmed)
                .to_owned(),
        };
        let Some(open) = line.find('[') else { continue };
        let relation = line[..open].trim().trim_end_matches(':').trim();
        let plain_words = !relation.is_empty()
            && relation.len() <= 40
            && relation
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-');
        if !plain_words {
            continue;
        }
        let relation = relation.to_ascii_lowercase();
        let mut rest = &line[open..];
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(close) = after.find(')') else { break };
            let file = &after[..close];
            let name = file.rsplit('/').next().unwrap_or(file);
            if let Some(target) = number_of(name) {
                out.push(LinkRef {
                    relation: relation.clone(),
                    target,
                    file: file.to_owned(),
                    line: i + 1,
                });
            }
            rest = &after[close..];
        }
    }
    out
}

/// The relation seen from the other record: `amends` ↔ `amended by`, …;
/// `None` for a relation statewise does not know.
pub fn reverse_relation(relation: &str) -> Option<String> {
    const PAIRS: [(&str, &str); 5] = [
        ("supersedes", "superseded by"),
        ("amends", "amended by"),
        ("clarifies", "clarified by"),
        ("extends", "extended by"),
        ("depends on", "is depended on by"),
    ];
    let r = relation.trim().to_ascii_lowercase();
    if r == "relates to" {
        return Some(r);
    }
    PAIRS.iter().find_map(|(a, b)| {
        if r == *a {
            Some((*b).to_owned())
        } else if r == *b {
            Some((*a).to_owned())
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADR_TOOLS: &str = "# 2. Use Postgres\n\nDate: 2024-03-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe need a database.\n";

    #[test]
    fn reads_statewise_meta_from_front_matter_and_nygard_comment() {
        let fm = "---\nstatus: accepted\nstatewise-system: \"A|B\"\nstatewise-spec-digest: sha256:1\nstatewise-verdicts:\n  b: stateful\n  a: stateless\n---\n# T\n";
        let m = meta(fm).unwrap();
        assert_eq!(m.system, "A|B");
        assert_eq!(
            m.verdicts.0,
            vec![
                ("b".into(), "stateful".into()),
                ("a".into(), "stateless".into())
            ]
        );
        let ny = "# 1. T\n\n## Status\n\nAccepted\n\n<!-- statewise\nstatewise-system: S\nstatewise-spec-digest: sha256:2\nstatewise-verdicts:\n  x: hybrid\n-->\n";
        assert_eq!(meta(ny).unwrap().spec_digest, "sha256:2");
        assert_eq!(meta(ADR_TOOLS), None);
    }

    #[test]
    fn status_changes_in_place_wherever_it_is_kept() {
        let out = set_status(ADR_TOOLS, "deprecated").unwrap();
        assert_eq!(out, ADR_TOOLS.replace("Accepted\n", "Deprecated\n"));
        let fm = "---\r\nnumber: 1\r\nstatus: proposed\r\n---\r\n\r\n# T\r\n";
        assert_eq!(
            set_status(fm, "accepted").unwrap(),
            fm.replace("status: proposed", "status: accepted")
        );
        let line = "# Use Kafka\n\n* Status: proposed\n* Date: 2020-05-06\n";
        assert_eq!(
            set_status(line, "rejected").unwrap(),
            line.replace("proposed", "rejected")
        );
        // The links after the status paragraph stay; the same status is
        // the same bytes; no status is `None`.
        let linked = "# 3. B\n\n## Status\n\nAccepted\n\nSupersedes [2. A](0002-a.md)\n";
        assert_eq!(
            set_status(linked, "deprecated").unwrap(),
            linked.replace("Accepted", "Deprecated")
        );
        assert_eq!(set_status(linked, "accepted").unwrap(), linked);
        assert_eq!(set_status("# T\n\nbody\n", "accepted"), None);
        let last = "# T\n\n## Status\n\nProposed";
        assert_eq!(
            set_status(last, "accepted").unwrap(),
            "# T\n\n## Status\n\nAccepted"
        );
    }

    #[test]
    fn links_go_where_each_kind_of_record_keeps_them() {
        let out = add_link(ADR_TOOLS, "Amends [1. A](0001-a.md)");
        assert_eq!(
            out,
            ADR_TOOLS.replace(
                "Accepted\n\n## Context",
                "Accepted\n\nAmends [1. A](0001-a.md)\n\n## Context"
            )
        );
        // Twice is once.
        assert_eq!(add_link(&out, "Amends [1. A](0001-a.md)"), out);
        let madr = "---\nstatus: accepted\n---\n\n# T\n\n## More Information\n\nSupersedes [ADR-0001](0001-a.md): A.\n";
        assert_eq!(
            add_link(madr, "Amends [ADR-0002](0002-b.md)"),
            madr.replace(
                "## More Information\n\n",
                "## More Information\n\nAmends [ADR-0002](0002-b.md)\n\n"
            )
        );
        let bare = "---\r\nstatus: accepted\r\n---\r\n# T\r\n\r\nText";
        assert_eq!(
            add_link(bare, "Amends [ADR-0002](0002-b.md)"),
            format!("{bare}\r\n\r\n## More Information\r\n\r\nAmends [ADR-0002](0002-b.md)\r\n")
        );
    }

    #[test]
    fn links_are_read_from_every_tool_s_forms() {
        let text = "---\nstatus: \"superseded by [ADR-0007](0007-x.md), [ADR-0008](0008-y.md)\"\n---\n\
                    # 2. T\n\n## Status\n\nSuperseded by [3. Use X](0003-use-x.md)\n\n\
                    Amends [1. A](0001-a.md)\n\n* Relates to [ADR-0009](sub/0009-z.md): Z.\n\n\
                    See [the wiki](https://example.com) and [README](README.md)\n\n```\nAmends [1](0001-a.md)\n```\n";
        let got: Vec<(String, u32, usize)> = links(text)
            .into_iter()
            .map(|l| (l.relation, l.target, l.line))
            .collect();
        assert_eq!(
            got,
            [
                ("superseded by".to_owned(), 7, 2),
                ("superseded by".to_owned(), 8, 2),
                ("superseded by".to_owned(), 3, 8),
                ("amends".to_owned(), 1, 10),
                ("relates to".to_owned(), 9, 12),
            ]
        );
        assert_eq!(reverse_relation("Amends").as_deref(), Some("amended by"));
        assert_eq!(
            reverse_relation("superseded by").as_deref(),
            Some("supersedes")
        );
        assert_eq!(
            reverse_relation("relates to").as_deref(),
            Some("relates to")
        );
        assert_eq!(reverse_relation("haunts"), None);
    }

    #[test]
    fn reads_log4brains_header_lists() {
        let text = "# Use Kafka\n\n- Status: superseded by [20200601-use-pulsar](20200601-use-pulsar.md)\n- Date: 2020-05-06\n- Deciders: A, B\n\n## Context and Problem Statement\n";
        let r = parse(20_200_506, "20200506-use-kafka.md", text);
        assert_eq!(
            (r.title.as_str(), r.status.as_deref(), r.date.as_deref()),
            ("Use Kafka", Some("superseded"), Some("2020-05-06"))
        );
        assert_eq!(status_line(text), Some(3));
        assert_eq!(
            set_status(text, "deprecated").unwrap(),
            text.replace(
                "- Status: superseded by [20200601-use-pulsar](20200601-use-pulsar.md)",
                "- Status: deprecated"
            )
        );
    }

    #[test]
    fn the_status_line_is_where_the_status_is_read() {
        assert_eq!(status_line(ADR_TOOLS), Some(7));
        assert_eq!(
            status_line("---\nnumber: 1\nstatus: accepted\n---\n# T\n"),
            Some(3)
        );
        assert_eq!(
            status_line("---\nx: 1\n---\n# T\n\n* Status: proposed\n"),
            Some(6)
        );
        assert_eq!(status_line("# T\n"), None);
    }

    #[test]
    fn a_byte_order_mark_hides_no_title() {
        let r = parse(
            1,
            "f",
            "\u{FEFF}---\nstatus: accepted\n---\n\n# Pick a queue\n",
        );
        assert_eq!(
            (r.title.as_str(), r.status.as_deref()),
            ("Pick a queue", Some("accepted"))
        );
        let r = parse(
            2,
            "f",
            "\u{FEFF}# 2. Use X\r\n\r\n## Status\r\n\r\nAccepted\r\n",
        );
        assert_eq!(
            (r.title.as_str(), r.status.as_deref()),
            ("Use X", Some("accepted"))
        );
    }

    #[test]
    fn a_header_list_is_kept_in_step_with_the_status() {
        let fm = "---\nnumber: 1\nstatus: proposed\n---\n\n# T\n\n## Context\n";
        let with = with_header_list(fm, "proposed", "2026-11-28");
        assert_eq!(
            with,
            "---\nnumber: 1\nstatus: proposed\n---\n\n# T\n\n* Status: proposed\n* Date: 2026-11-28\n\n## Context\n"
        );
        assert_eq!(
            set_status(&with, "accepted").unwrap(),
            with.replace("proposed", "accepted")
        );
        let superseded = mark_superseded(&with, "[ADR-0002](0002-x.md)").unwrap();
        assert!(superseded.contains("status: \"superseded by [ADR-0002](0002-x.md)\"\n"));
        assert!(superseded.contains("\n* Status: superseded by [ADR-0002](0002-x.md)\n"));
        // A list further down is not the header.
        let later = "# T\n\n## Status\n\nAccepted\n\n## Notes\n\n* Status: kept\n";
        assert_eq!(
            set_status(later, "deprecated").unwrap(),
            later.replace("Accepted", "Deprecated")
        );
    }

    #[test]
    fn log4brains_names_are_dates() {
        assert!(date_named("20200506-use-kafka.md"));
        assert!(!date_named("0001-use-kafka.md"));
        assert!(!date_named("12345678-x.md"));
        assert!(!date_named("20201301-x.md"));
        assert!(!date_named("20200506.md"));
        assert!(!date_named("202005061-x.md"));
    }

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
    fn supersedes_crlf_front_matter_in_place() {
        let text = "---\r\nstatus: accepted\r\ndate: 2024-03-01\r\n---\r\n\r\n# Pick a queue\r\n";
        let out = mark_superseded(text, "[ADR-0002](0002-next.md)").unwrap();
        assert_eq!(
            out,
            text.replace(
                "status: accepted",
                "status: \"superseded by [ADR-0002](0002-next.md)\""
            )
        );
        let r = parse(1, "f", &out);
        assert_eq!(
            (r.title.as_str(), r.status.as_deref(), r.date.as_deref()),
            ("Pick a queue", Some("superseded"), Some("2024-03-01"))
        );
    }

    #[test]
    fn titles_lose_their_markdown_escapes() {
        let r = parse(1, "f", "# 1. Use snake\\_case &lt;names&gt;\n");
        assert_eq!(r.title, "Use snake_case <names>");
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

    /// Marks `text` superseded by `[ADR-0002](2.md)`, then by
    /// `[ADR-0003](3.md)`: both links must stay.
    fn twice(text: &str) -> (String, String) {
        let once = mark_superseded(text, "[ADR-0002](2.md)").unwrap();
        let again = mark_superseded(&once, "[ADR-0003](3.md)").unwrap();
        assert_eq!(parse(1, "f", &again).status.as_deref(), Some("superseded"));
        (once, again)
    }

    #[test]
    fn superseding_twice_keeps_both_links_in_front_matter() {
        let text = "---\nstatus: accepted\ndate: 2025-01-02\n---\n\n# T\n";
        let (_, again) = twice(text);
        assert_eq!(
            again,
            text.replace(
                "status: accepted",
                "status: \"superseded by [ADR-0002](2.md), [ADR-0003](3.md)\""
            )
        );
        // A status written by hand, plain or quoted, keeps its words too.
        let plain = "---\nstatus: Superseded by ADR-0002\n---\n# T\n";
        assert_eq!(
            mark_superseded(plain, "[ADR-0003](3.md)").unwrap(),
            "---\nstatus: \"Superseded by ADR-0002, [ADR-0003](3.md)\"\n---\n# T\n"
        );
        let other = "---\nstatus: 'superseded (see wiki)'\n---\n# T\n";
        assert_eq!(
            mark_superseded(other, "[ADR-0003](3.md)").unwrap(),
            "---\nstatus: \"superseded (see wiki); superseded by [ADR-0003](3.md)\"\n---\n# T\n"
        );
    }

    #[test]
    fn superseding_twice_keeps_both_links_in_a_status_section() {
        let (once, again) = twice(ADR_TOOLS);
        assert_eq!(
            again,
            once.replace(
                "Superseded by [ADR-0002](2.md)\n",
                "Superseded by [ADR-0002](2.md)\n\nSuperseded by [ADR-0003](3.md)\n"
            )
        );
        // A third goes after the second, above the other links.
        let text =
            "# 3. B\n\n## Status\n\nAccepted\n\nSupersedes [2. A](0002-a.md)\n\n## Context\n";
        let (_, again) = twice(text);
        let third = mark_superseded(&again, "[4](4.md)").unwrap();
        assert_eq!(
            third,
            "# 3. B\n\n## Status\n\nSuperseded by [ADR-0002](2.md)\n\nSuperseded by [ADR-0003](3.md)\n\n\
             Superseded by [4](4.md)\n\nSupersedes [2. A](0002-a.md)\n\n## Context\n"
        );
        // The same link twice is one link; CRLF and a missing last newline stay.
        assert_eq!(mark_superseded(&third, "[4](4.md)").unwrap(), third);
        let crlf = "# T\r\n\r\n## Status\r\n\r\nSuperseded by [a](a.md)";
        assert_eq!(
            mark_superseded(crlf, "[b](b.md)").unwrap(),
            "# T\r\n\r\n## Status\r\n\r\nSuperseded by [a](a.md)\r\n\r\nSuperseded by [b](b.md)"
        );
    }

    #[test]
    fn superseding_twice_keeps_both_links_on_a_status_line() {
        let text = "# Use Kafka\n\n* Status: proposed\n* Date: 2020-05-06\n";
        let (_, again) = twice(text);
        assert_eq!(
            again,
            text.replace(
                "* Status: proposed",
                "* Status: superseded by [ADR-0002](2.md), [ADR-0003](3.md)"
            )
        );
    }

    #[test]
    fn the_status_is_edited_where_it_is_read() {
        // Front matter without `status:`: a `## Status` line inside it is
        // YAML, not the section `parse` reads.
        let text = "---\nnote: |\n  ## Status\n\n  kept\n---\n# T\n\nStatus: accepted\n";
        let out = mark_superseded(text, "[x](y)").unwrap();
        assert_eq!(
            out,
            text.replace("Status: accepted", "Status: superseded by [x](y)")
        );
        assert_eq!(parse(1, "f", &out).status.as_deref(), Some("superseded"));
        // Of two `status:` lines (not valid YAML), the first is read and
        // edited.
        let text = "---\nstatus: accepted\nstatus: proposed\n---\n# T\n";
        assert_eq!(parse(1, "f", text).status.as_deref(), Some("accepted"));
        let out = mark_superseded(text, "[x](y)").unwrap();
        assert_eq!(parse(1, "f", &out).status.as_deref(), Some("superseded"));
    }

    #[test]
    fn deep_front_matter_is_no_metadata_and_returns_at_once() {
        let deep = "[".repeat(100_000);
        let text = format!(
            "---\nstatus: accepted\nstatewise-system: S\nstatewise-spec-digest: sha256:1\nx: {deep}\n---\n# T\n"
        );
        assert_eq!(meta(&text), None);
        assert_eq!(parse(1, "f", &text).status.as_deref(), Some("accepted"));
        let nygard = format!(
            "# 1. T\n\n## Status\n\nAccepted\n\n<!-- statewise\nstatewise-system: S\nstatewise-spec-digest: sha256:1\nx: {deep}\n-->\n"
        );
        assert_eq!(meta(&nygard), None);
        // Quoted values with deep brackets after them are read as text.
        let status = format!("---\nstatus: \"proposed\" {deep} \"\n---\n# T\n");
        assert_eq!(parse(1, "f", &status).status.as_deref(), Some("proposed"));
        // A shallow block still reads; a huge one does not.
        let ok = "---\nstatewise-system: S\nstatewise-spec-digest: d\nx: [[[1]]]\n---\n";
        assert_eq!(meta(ok).unwrap().system, "S");
        let huge = format!(
            "---\nstatewise-system: S\nstatewise-spec-digest: d\nx: \"{}\"\n---\n",
            "a".repeat(MAX_META_BYTES)
        );
        assert_eq!(meta(&huge), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_to_records_are_records_and_any_link_holds_its_number() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("0001-a.md"), "# A\n").unwrap();
        std::fs::write(dir.join("elsewhere.md"), "# B\n").unwrap();
        std::os::unix::fs::symlink("elsewhere.md", dir.join("0002-b.md")).unwrap();
        std::os::unix::fs::symlink("missing.md", dir.join("0003-gone.md")).unwrap();
        std::os::unix::fs::symlink("0004-loop.md", dir.join("0004-loop.md")).unwrap();
        std::fs::create_dir(dir.join("0005-folder.md")).unwrap();
        let numbers =
            |list: Vec<(u32, PathBuf)>| list.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(numbers(scan(dir).unwrap()), [1, 2]);
        let names: Vec<(u32, bool)> = scan_names(dir)
            .unwrap()
            .into_iter()
            .map(|e| (e.number, e.readable))
            .collect();
        // The folder is not a record and holds no number.
        assert_eq!(names, [(1, true), (2, true), (3, false), (4, false)]);
    }
}

/// What statewise wrote into a record about its inputs: the system, the
/// spec digest and the verdict per component. Read from the front matter,
/// or from the `<!-- statewise ... -->` block of a Nygard record.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Meta {
    /// The system's name.
    #[serde(rename = "statewise-system")]
    pub system: String,
    /// Digest of the parsed spec.
    #[serde(rename = "statewise-spec-digest")]
    pub spec_digest: String,
    /// Digest of the rules (and kinds) the advice came from; empty in
    /// records that do not say.
    #[serde(rename = "statewise-rules-digest", default)]
    pub rules_digest: String,
    /// Verdict per component, in record order.
    #[serde(rename = "statewise-verdicts", default)]
    pub verdicts: Pairs,
    /// Decided verdict per component (the decision, else the advice).
    #[serde(rename = "statewise-decisions", default)]
    pub decisions: Pairs,
    /// The stated values that fed each verdict; empty in records that do
    /// not keep them.
    #[serde(rename = "statewise-facts", default)]
    pub facts: Facts,
}

/// `name: {field: value, ...}` per component, values as the spec writes
/// them (`200`, `[memory, external-store]`), in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts(pub Vec<(String, Vec<(String, String)>)>);

/// A YAML value as the spec would write it: a scalar as is, a list as
/// `[a, b]`.
fn as_written(v: &serde_yaml::Value) -> Option<String> {
    use serde_yaml::Value as Y;
    Some(match v {
        Y::String(s) => s.clone(),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n
            .as_f64()
            .map(crate::core::text::yaml_number)
            .unwrap_or_else(|| n.to_string()),
        Y::Sequence(items) => {
            let items: Option<Vec<String>> = items.iter().map(as_written).collect();
            format!("[{}]", items?.join(", "))
        }
        _ => return None,
    })
}

impl<'de> serde::Deserialize<'de> for Facts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Option::<serde_yaml::Mapping>::deserialize(d)?.unwrap_or_default();
        let mut out = Vec::new();
        for (name, values) in map {
            let Some(name) = name.as_str() else { continue };
            let Some(values) = values.as_mapping() else {
                continue;
            };
            let pairs = values
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), as_written(v)?)))
                .collect();
            out.push((name.to_owned(), pairs));
        }
        Ok(Facts(out))
    }
}

/// `name: verdict` pairs in document order, read from a YAML mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pairs(pub Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of component names to verdicts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(Pairs(out))
            }
            fn visit_unit<E>(self) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// Largest metadata block (front matter or `<!-- statewise` comment) read
/// as YAML: a few lines per component; larger ones are not read.
pub const MAX_META_BYTES: usize = 4 * 1024 * 1024;

/// The statewise metadata of a record, if it has any. A block that is not
/// valid YAML, larger than [`MAX_META_BYTES`] or nested deeper than the
/// spec's own limit ([`MAX_FLOW_DEPTH`](crate::core::spec::parse::MAX_FLOW_DEPTH),
/// checked before parsing, which would take time growing with the square
/// of the depth) counts as no metadata: `check` then does not take the
/// record for one of its own, as with any record it cannot read.
pub fn meta(text: &str) -> Option<Meta> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let block = match front_matter(text) {
        Some(fm) if fm.contains("statewise-spec-digest:") => fm,
        _ => {
            let start = text
                .find("<!-- statewise\n")
                .or_else(|| text.find("<!-- statewise\r\n"))?;
            let body = &text[start + "<!-- statewise".len()..];
            &body[..body.find("-->")?]
        }
    };
    if block.len() > MAX_META_BYTES
        || crate::core::locate::too_deep(block, crate::core::spec::parse::MAX_FLOW_DEPTH).is_some()
    {
        return None;
    }
    serde_yaml::from_str::<Meta>(block).ok()
}
