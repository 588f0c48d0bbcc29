//! `statewise adr`: the next decision record for a spec (written new, or
//! printed), the records of a folder, and the built-in templates exported.

use std::path::Path;

use crate::adapters::adr::{self, content, records, render, text};
use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::args::RuleArgs;
use crate::cli::config::Settings;
use crate::cli::inputs::{load_deployment, load_rules, record_dir};
use crate::cli::outcome::Output;
use crate::cli::terminal::note;
use crate::core::digest;
use crate::core::error::{Error, Result};
use crate::core::escape;
use crate::core::report::analyze_deployed;
use crate::core::spec::kinds::Kinds;

/// What `statewise adr` was asked to do.
pub(crate) struct AdrRequest<'a> {
    pub spec: &'a str,
    pub dir: Option<&'a Path>,
    pub title: Option<&'a str>,
    pub status: &'a str,
    pub date: Option<&'a str>,
    /// `--template`, when given.
    pub template: Option<&'a str>,
    pub supersedes: Option<u32>,
    pub stdout: bool,
    /// A new record even when the latest one is still proposed.
    pub new: bool,
    pub rules: &'a RuleArgs,
}

/// Checks the record options (title, date, template) without writing
/// anything, so `ask` can refuse bad ones before its first question rather
/// than after the last.
pub(crate) fn check_options(req: &AdrRequest) -> Result<()> {
    if req.title.is_some_and(|t| t.trim().is_empty()) {
        return Err(Error::Usage(
            "`--title` is empty; give the record a title, or leave `--title` out for \"State management for SYSTEM\"".into(),
        ));
    }
    if let Some(d) = req.date {
        adr::check_date(d)?;
    }
    let template = Settings::load()?.template(req.template).value;
    let (name, text) = load_template(&template)?;
    render::compile(&render::Template {
        name: &name,
        text: &text,
    })
    .map(|_| ())
}

/// The template to write with: the one chosen (flag, environment, file),
/// else Nygard in a log another tool keeps that reads only records whose
/// first line is the title (adr-tools' `.adr-dir`, log4brains), else MADR.
fn default_for_the_log(
    chosen: crate::cli::config::Setting<String>,
    found: &crate::adapters::adr::discover::RecordDir,
) -> String {
    let tool_log = found
        .marker
        .is_some_and(|m| m == ".adr-dir" || m.starts_with(".log4brains"));
    if tool_log && matches!(chosen.source, crate::cli::config::Source::Default(_)) {
        crate::cli::terminal::note(&format!(
            "template nygard: the log is kept with `{}`, whose tool reads the title from the first line",
            found.marker.unwrap_or_default()
        ));
        "nygard".to_owned()
    } else {
        chosen.value
    }
}

/// The template `--template` names: `madr`, `nygard` or a file.
fn load_template(arg: &str) -> Result<(String, String)> {
    match arg {
        "madr" => Ok(("madr".into(), render::MADR.into())),
        "nygard" => Ok(("nygard".into(), render::NYGARD.into())),
        path => {
            let bytes = files::read_limited(Path::new(path)).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::Usage(format!(
                        "no template `{path}`; use `madr`, `nygard` or the path of a `.hbs` file (`statewise adr --export-templates DIR` writes the built-in ones)"
                    ))
                } else {
                    Error::io("read", path, &e)
                }
            })?;
            let text =
                crate::core::spec::parse::check_text(path, &bytes).map_err(Error::Template)?;
            Ok((path.to_owned(), text.to_owned()))
        }
    }
}

pub(crate) fn write(req: &AdrRequest) -> Result<Output> {
    if req.title.is_some_and(|t| t.trim().is_empty()) {
        return Err(Error::Usage(
            "`--title` is empty; give the record a title, or leave `--title` out for \"State management for SYSTEM\"".into(),
        ));
    }
    let date = match req.date {
        Some(d) => {
            adr::check_date(d)?;
            d.to_owned()
        }
        None => adr::today(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?,
    };
    let found = record_dir(req.dir)?;
    let template = default_for_the_log(Settings::load()?.template(req.template), &found);
    let (template_name, template_text) = load_template(&template)?;
    let template = render::Template {
        name: &template_name,
        text: &template_text,
    };
    let compiled = render::compile(&template)?;
    let (spec_file, spec_bytes) = crate::adapters::files::read_spec(req.spec)?;
    let spec = crate::core::spec::model::Spec::from_bytes(&spec_bytes, &spec_file)?;
    // The advice the record states is the one `analyze` and `check` give:
    // with the deployment's facts, which custom rules may weigh.
    let deployment = load_deployment(
        &spec_file,
        &String::from_utf8_lossy(&spec_bytes),
        &spec,
        &[],
    )?;
    let rules = load_rules(req.rules)?;
    let kinds = Kinds::builtin();
    let report = analyze_deployed(&spec, &rules, kinds, deployment.as_ref());
    // log4brains reads the status and date from a list under the title.
    let log4brains = found.marker.is_some_and(|m| m.starts_with(".log4brains"));
    let dir = found.path;
    // The latest record for the system decides: a proposal is rewritten in
    // place, an accepted record is superseded, never rewritten.
    let latest = if req.new || req.stdout || req.supersedes.is_some() {
        None
    } else {
        latest_for(&dir, spec.system.name.as_str())?
    };
    let spec_digest = digest::spec(&spec);
    let rules_digest = digest::rules(&rules, kinds);
    let (supersedes, rewrite) = match latest {
        Some(r) if r.info.status.as_deref() == Some("proposed") => (None, Some(r)),
        Some(r) if r.info.status.as_deref() == Some("accepted") => {
            // Accepted from this very spec and these rules: already recorded.
            let same = records::meta(&r.text)
                .is_some_and(|m| m.spec_digest == spec_digest && m.rules_digest == rules_digest);
            if same {
                note(&format!(
                    "record {} was accepted for this spec and these rules; nothing to write (`--new` writes another)",
                    r.info.number
                ));
                return Output::text(&format!("{}\n", r.whole.path().display()));
            }
            (Some(r.info.number), None)
        }
        _ => (req.supersedes, None),
    };
    let superseded = match supersedes {
        Some(n) => Some(find_record(&dir, n)?),
        None => None,
    };
    let title = req.title.map_or_else(
        || format!("State management for {}", spec.system.name),
        str::to_owned,
    );
    // A rewritten proposal keeps the record it superseded.
    let kept_link = match &rewrite {
        Some(r) => kept_supersedes(&dir, r)?,
        None => None,
    };
    // Computed once: a run that retries with the next number reuses them.
    let meta = |number: u32| content::RecordMeta {
        number,
        title: title.clone(),
        status: req.status.to_owned(),
        date: date.clone(),
        supersedes: superseded
            .as_ref()
            .map(|(info, _, _)| content::Link {
                number: info.number,
                title: info.title.clone(),
                file: info.file.clone(),
            })
            .or_else(|| kept_link.clone()),
        spec_digest: spec_digest.clone(),
        rules_digest: rules_digest.clone(),
    };
    let render_with = |number: u32| {
        let text = compiled.render(&content::record_data(&report, meta(number), &rules, kinds))?;
        Ok(if log4brains {
            records::with_header_list(&text, req.status, &date)
        } else {
            text
        })
    };
    if req.stdout {
        return Output::text(&render_with(adr::next_number(&dir)?)?);
    }
    if let Some(r) = rewrite {
        let fresh = render_with(r.info.number)?;
        let bytes = text::encode(&fresh, r.encoding);
        if bytes != text::encode(&r.text, r.encoding) {
            r.whole.replace(&bytes)?;
        }
        return Output::text(&format!("{}\n", r.whole.path().display()));
    }
    let path = adr::write_record(&dir, &adr::slug(&title), render_with)?;
    let mut out = format!("{}\n", path.display());
    if let Some((_, old_file, old_text)) = superseded {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let number = records::number_of(file).unwrap_or_default();
        let link = if records::front_matter(&old_text.text).is_some() {
            format!("[ADR-{number:04}]({file})")
        } else {
            format!("[{number}. {}]({file})", output::markdown::inline(&title))
        };
        let updated = records::mark_superseded(&old_text.text, &link).unwrap_or(old_text.text);
        old_file.replace(&text::encode(&updated, old_text.encoding))?;
        out.push_str(&format!("{}\n", old_file.path().display()));
    }
    Output::text(&out)
}

/// A record opened to be edited in place: what it says, its bytes read
/// whole, its text and how that text was encoded.
struct Opened {
    info: records::RecordInfo,
    whole: files::Rewrite,
    text: String,
    encoding: text::Encoding,
}

/// The text of a record and its encoding, kept to write it back alike.
struct Decoded {
    text: String,
    encoding: text::Encoding,
}

/// Opens `path` (record `number`) to edit it in place: read whole or
/// refused before anything is written, and decoded (UTF-8 with or without
/// a byte-order mark, UTF-16); the rewrite puts back every byte it did not
/// edit, in the same encoding.
fn open_path(number: u32, path: &Path) -> Result<Opened> {
    let name = path.display().to_string();
    let mut whole = files::read_for_rewrite(path, records::MAX_RECORD_BYTES)?;
    let (text, encoding) = text::decode_with(&whole.take_bytes()).ok_or_else(|| {
        Error::Usage(format!(
            "`{name}` is not text (UTF-8, or UTF-16 with a byte-order mark); statewise will not edit it"
        ))
    })?;
    let file = path
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default()
        .to_owned();
    Ok(Opened {
        info: records::parse(number, &file, &text),
        whole,
        text,
        encoding,
    })
}

/// Opens record `number` in `dir` (see [`open_path`]); `doing` says what
/// for, in the message when there is no such record.
fn open_record(dir: &Path, number: u32, doing: &str) -> Result<Opened> {
    let shown = dir.display().to_string();
    let list = records::scan(dir).map_err(|e| Error::io("read the record folder", &shown, &e))?;
    let mut found = list.into_iter().filter(|(n, _)| *n == number);
    let Some((_, path)) = found.next() else {
        return Err(Error::Usage(format!(
            "no record {number} in `{shown}` to {doing}; `statewise adr list` shows the records"
        )));
    };
    if let Some((_, other)) = found.next() {
        return Err(Error::Usage(format!(
            "two records hold number {number} in `{shown}` (`{}` and `{}`); renumber one, then run again",
            path.display(),
            other.display()
        )));
    }
    open_path(number, &path)
}

/// The latest record in `dir` statewise made for `system` and not
/// superseded, opened to be rewritten.
fn latest_for(dir: &Path, system: &str) -> Result<Option<Opened>> {
    let Some(recorded) = adr::latest_record(dir, system)? else {
        return Ok(None);
    };
    open_path(recorded.number, &dir.join(&recorded.file)).map(Some)
}

/// The record a proposal being rewritten supersedes, so the rewrite keeps
/// saying so.
fn kept_supersedes(dir: &Path, proposal: &Opened) -> Result<Option<content::Link>> {
    let Some(link) = records::links(&proposal.text)
        .into_iter()
        .find(|l| l.relation == "supersedes")
    else {
        return Ok(None);
    };
    let shown = dir.display().to_string();
    let list = records::scan(dir).map_err(|e| Error::io("read the record folder", &shown, &e))?;
    let Some((_, path)) = list.into_iter().find(|(n, _)| *n == link.target) else {
        return Ok(None);
    };
    let bytes = files::read_limited(&path)
        .map_err(|e| Error::io("read", &path.display().to_string(), &e))?;
    let file = path
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default()
        .to_owned();
    let info = records::parse(link.target, &file, &text::decode_lossy(&bytes));
    Ok(Some(content::Link {
        number: info.number,
        title: info.title,
        file,
    }))
}

/// Record `number` in `dir` to supersede: its summary, the file to
/// rewrite and its text; an error when it is missing or has no status to
/// change.
fn find_record(dir: &Path, number: u32) -> Result<(records::RecordInfo, files::Rewrite, Decoded)> {
    let opened = open_record(dir, number, "supersede")?;
    if records::mark_superseded(&opened.text, "[x](y)").is_none() {
        return Err(Error::Usage(format!(
            "`{}` has no status to mark superseded (no `status:` front matter, `## Status` section or `Status:` line)",
            opened.whole.path().display()
        )));
    }
    Ok((
        opened.info,
        opened.whole,
        Decoded {
            text: opened.text,
            encoding: opened.encoding,
        },
    ))
}

pub(crate) fn list(dir: Option<&Path>, json: bool, style: Style) -> Result<Output> {
    let found = record_dir(dir)?;
    let dir = found.path;
    let shown = dir.display().to_string();
    let list = records::scan(&dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "no record folder at `{shown}`; `statewise adr` creates it, or pass `--dir`"
            ))
        } else {
            Error::io("read the record folder", &shown, &e)
        }
    })?;
    let mut infos = Vec::with_capacity(list.len());
    for (n, path) in list {
        let name = path.display().to_string();
        let bytes = files::read_limited(&path).map_err(|e| Error::io("read", &name, &e))?;
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        infos.push(records::parse(n, file, &text::decode_lossy(&bytes)));
    }
    if json {
        let mut text = escape::json_pretty(&infos);
        text.push('\n');
        return Output::ok(text);
    }
    let head = escape::lines(&format!("Records in `{shown}`: {}\n", found.reason));
    Output::ok(head + &output::table::records(&infos, style))
}

pub(crate) fn export_templates(dir: &Path) -> Result<Output> {
    let shown = dir.display().to_string();
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", &shown, &e))?;
    let mut out = String::new();
    for (name, _) in render::BUILTIN {
        let path = dir.join(name);
        if path.exists() {
            return Err(Error::Io(format!(
                "`{}` already exists; statewise never overwrites it",
                path.display()
            )));
        }
    }
    for (name, text) in render::BUILTIN {
        let path = dir.join(name);
        files::write_new(&path, text.as_bytes())
            .map_err(|e| Error::io("write", &path.display().to_string(), &e))?;
        out.push_str(&format!("{}\n", path.display()));
    }
    Output::text(&out)
}

/// `adr status N STATUS`: the status changed in place.
pub(crate) fn status(dir: Option<&Path>, number: u32, status: &str) -> Result<Output> {
    let dir = record_dir(dir)?.path;
    let r = open_record(&dir, number, "change")?;
    let Some(updated) = records::set_status(&r.text, status) else {
        return Err(Error::Usage(format!(
            "`{}` has no status to change (no `status:` front matter, `## Status` section or `Status:` line); add one by hand",
            r.whole.path().display()
        )));
    };
    if updated != r.text {
        r.whole.replace(&text::encode(&updated, r.encoding))?;
    }
    Output::text(&format!("{}\n", r.whole.path().display()))
}

/// `adr link N RELATION M`: `RELATION [M](file)` in N, and the reverse
/// relation back to N in M.
pub(crate) fn link(
    dir: Option<&Path>,
    number: u32,
    relation: &str,
    target: u32,
    reverse: Option<&str>,
) -> Result<Output> {
    let relation = relation.trim();
    let words_only = |r: &str| {
        !r.is_empty()
            && r.len() <= 40
            && r.chars()
                .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-')
    };
    if !words_only(relation) {
        return Err(Error::Usage(format!(
            "`{relation}` is not a relation; use words such as `Amends`, `Clarifies`, `Extends` or `Relates to`"
        )));
    }
    if number == target {
        return Err(Error::Usage(format!(
            "record {number} cannot link to itself; give two different numbers"
        )));
    }
    let reverse = match reverse.map(str::trim) {
        Some(r) if words_only(r) => r.to_owned(),
        Some(r) => {
            return Err(Error::Usage(format!(
                "`--reverse {r}` is not a relation; use words such as `Amended by`"
            )));
        }
        None => records::reverse_relation(relation)
            .map(|r| capitalized_words(&r))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "statewise does not know the reverse of `{relation}`; give it with `--reverse`, e.g. `--reverse \"Is {relation} by\"`"
                ))
            })?,
    };
    let dir = record_dir(dir)?.path;
    let from = open_record(&dir, number, "link")?;
    let to = open_record(&dir, target, "link to")?;
    let line = |relation: &str, other: &Opened, this: &Opened| {
        if records::front_matter(&this.text).is_some() {
            format!(
                "{relation} [ADR-{:04}]({})",
                other.info.number, other.info.file
            )
        } else {
            format!(
                "{relation} [{}. {}]({})",
                other.info.number,
                output::markdown::inline(&other.info.title),
                other.info.file
            )
        }
    };
    let from_text = records::add_link(&from.text, &line(relation, &to, &from));
    let to_text = records::add_link(&to.text, &line(&reverse, &from, &to));
    // Both checked before either is written.
    if from_text != from.text {
        from.whole
            .replace(&text::encode(&from_text, from.encoding))?;
    }
    if to_text != to.text {
        to.whole.replace(&text::encode(&to_text, to.encoding))?;
    }
    Output::text(&format!(
        "{}\n{}\n",
        from.whole.path().display(),
        to.whole.path().display()
    ))
}

/// `amended by` → `Amended by`.
fn capitalized_words(relation: &str) -> String {
    let mut chars = relation.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The records of the log in `dir`, for the index and the graph.
fn load_log(dir: &Path) -> Result<Vec<adr::log::Record>> {
    let shown = dir.display().to_string();
    adr::log::load(dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "no record folder at `{shown}`; `statewise adr` creates it, or pass `--dir`"
            ))
        } else {
            Error::io("read the record folder", &shown, &e)
        }
    })
}

/// `adr toc [--check] [--output FILE]`: the index, written when it changed,
/// or checked.
pub(crate) fn toc(dir: Option<&Path>, output: Option<&Path>, check: bool) -> Result<Output> {
    let dir = record_dir(dir)?.path;
    let log = load_log(&dir)?;
    let index = output.map_or_else(|| dir.join("README.md"), Path::to_path_buf);
    let named_like_a_record = index
        .file_name()
        .and_then(|f| f.to_str())
        .and_then(records::number_of)
        .is_some();
    if named_like_a_record {
        return Err(Error::Usage(format!(
            "`{}` is named like a record (`NNNN-title.md`), so the index would be read as one; give `--output` another name, e.g. `README.md`",
            index.display()
        )));
    }
    let prefix = link_prefix(&dir, &index);
    let fresh = adr::log::toc(&log, &prefix);
    let shown = index.display().to_string();
    let current = match files::read_limited(&index) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("read", &shown, &e)),
    };
    let up_to_date = current.as_deref() == Some(fresh.as_bytes());
    if check {
        if up_to_date {
            return Output::text(&format!("`{shown}` is up to date\n"));
        }
        let why = if current.is_none() {
            "missing"
        } else {
            "stale"
        };
        let mut out = Output::text(&format!(
            "`{shown}` is {why}; run `statewise adr toc` to write it\n"
        ))?;
        out.code = 1;
        return Ok(out);
    }
    if !up_to_date {
        files::replace_file(&index, fresh.as_bytes())?;
    }
    Output::text(&format!("{shown}\n"))
}

/// How the index at `index` reaches the records in `dir`: nothing when it
/// is in the folder, else the folder's path from the index's folder.
fn link_prefix(dir: &Path, index: &Path) -> String {
    let base = index.parent().unwrap_or(Path::new(""));
    let abs = |p: &Path| {
        std::path::absolute(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
    };
    let (Ok(dir), Ok(base)) = (abs(dir), abs(base)) else {
        return String::new();
    };
    let (d, b) = (normal(&dir), normal(&base));
    let common = d.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = std::path::PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &d[common..] {
        rel.push(c);
    }
    if rel.as_os_str().is_empty() {
        String::new()
    } else {
        format!("{}/", rel.display())
    }
}

/// The components of `p` without `.`.
fn normal(p: &Path) -> Vec<std::path::Component<'_>> {
    p.components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

/// `adr graph`: the Mermaid flowchart of the log.
pub(crate) fn graph(dir: Option<&Path>) -> Result<Output> {
    let dir = record_dir(dir)?.path;
    let log = load_log(&dir)?;
    Output::text(&adr::log::graph(&log))
}
