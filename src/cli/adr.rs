//! `statewise adr`: the next decision record for a spec (written new, or
//! printed), the records of a folder, and the built-in templates exported.

use std::path::Path;

use crate::adapters::adr::{self, content, records, render, text};
use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::args::RuleArgs;
use crate::cli::inputs::{load_rules, load_spec, record_dir};
use crate::cli::outcome::Output;
use crate::core::digest;
use crate::core::error::{Error, Result};
use crate::core::escape;
use crate::core::report::analyze;
use crate::core::spec::kinds::Kinds;

/// What `statewise adr` was asked to do.
pub(crate) struct AdrRequest<'a> {
    pub spec: &'a str,
    pub dir: Option<&'a Path>,
    pub title: Option<&'a str>,
    pub status: &'a str,
    pub date: Option<&'a str>,
    pub template: &'a str,
    pub supersedes: Option<u32>,
    pub stdout: bool,
    pub rules: &'a RuleArgs,
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
    let (template_name, template_text) = load_template(req.template)?;
    let template = render::Template {
        name: &template_name,
        text: &template_text,
    };
    let compiled = render::compile(&template)?;
    let spec = load_spec(req.spec)?;
    let rules = load_rules(req.rules)?;
    let kinds = Kinds::builtin();
    let report = analyze(&spec, &rules, kinds);
    let dir = record_dir(req.dir)?.path;
    let superseded = match req.supersedes {
        Some(n) => Some(find_record(&dir, n)?),
        None => None,
    };
    let title = req.title.map_or_else(
        || format!("State management for {}", spec.system.name),
        str::to_owned,
    );
    // Computed once: a run that retries with the next number reuses them.
    let spec_digest = digest::spec(&spec);
    let rules_digest = digest::rules(&rules, kinds);
    let meta = |number: u32| content::RecordMeta {
        number,
        title: title.clone(),
        status: req.status.to_owned(),
        date: date.clone(),
        supersedes: superseded.as_ref().map(|(info, _, _)| content::Link {
            number: info.number,
            title: info.title.clone(),
            file: info.file.clone(),
        }),
        spec_digest: spec_digest.clone(),
        rules_digest: rules_digest.clone(),
    };
    let render_with =
        |number: u32| compiled.render(&content::record_data(&report, meta(number), &rules, kinds));
    if req.stdout {
        return Output::text(&render_with(adr::next_number(&dir)?)?);
    }
    let path = adr::write_record(&dir, &adr::slug(&title), render_with)?;
    let mut out = format!("{}\n", path.display());
    if let Some((_, old_file, old_text)) = superseded {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let number = records::number_of(file).unwrap_or_default();
        let link = if records::front_matter(&old_text).is_some() {
            format!("[ADR-{number:04}]({file})")
        } else {
            format!("[{number}. {}]({file})", output::markdown::inline(&title))
        };
        let updated = records::mark_superseded(&old_text, &link).unwrap_or(old_text);
        old_file.replace(updated.as_bytes())?;
        out.push_str(&format!("{}\n", old_file.path().display()));
    }
    Output::text(&out)
}

/// Record `number` in `dir`: its summary, path and text; an error when it is
/// missing or has no status to change.
fn find_record(dir: &Path, number: u32) -> Result<(records::RecordInfo, files::Rewrite, String)> {
    let shown = dir.display().to_string();
    let list = records::scan(dir).map_err(|e| Error::io("read the record folder", &shown, &e))?;
    let Some((_, path)) = list.into_iter().find(|(n, _)| *n == number) else {
        return Err(Error::Usage(format!(
            "no record {number} in `{shown}` to supersede; `statewise adr list` shows the records"
        )));
    };
    let name = path.display().to_string();
    // Read whole or refused, before anything is written: the rewrite below
    // puts back every byte it did not edit.
    let mut whole = files::read_for_rewrite(&path, records::MAX_RECORD_BYTES)?;
    let text = String::from_utf8(whole.take_bytes())
        .map_err(|_| Error::Usage(format!("`{name}` is not UTF-8; statewise will not edit it")))?;
    if records::mark_superseded(&text, "[x](y)").is_none() {
        return Err(Error::Usage(format!(
            "`{name}` has no status to mark superseded (no `status:` front matter, `## Status` section or `Status:` line)"
        )));
    }
    let file = path
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default()
        .to_owned();
    Ok((records::parse(number, &file, &text), whole, text))
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
