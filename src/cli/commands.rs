//! The commands: each resolves its inputs, calls the pure core and returns
//! the text to print. Files are read and written here, nowhere deeper.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

use crate::cli::{Format, ListFormat, Output, RuleArgs};
use crate::error::{Error, Result};
use crate::kinds::Kinds;
use crate::output::{self, Style};
use crate::rule_set::RuleSet;
use crate::spec::Spec;
use crate::suggest::nearest;

/// The rules the flags ask for.
pub(crate) fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    if args.no_default_rules && args.rules.is_empty() {
        return Err(Error::Usage(
            "`--no-default-rules` leaves no rules at all; add `--rules PATH`".into(),
        ));
    }
    RuleSet::load(&args.rules, !args.no_default_rules)
}

/// The spec named on the command line.
pub(crate) fn load_spec(arg: &str) -> Result<Spec> {
    let (name, bytes) = crate::input::read_spec(arg)?;
    Spec::from_bytes(&bytes, &name)
}

pub(crate) fn analyze(
    spec: &str,
    format: Format,
    rules: &RuleArgs,
    style: Style,
) -> Result<Output> {
    let spec = load_spec(spec)?;
    let rules = load_rules(rules)?;
    Output::stream(move |w| {
        let report = crate::analyze(&spec, &rules, Kinds::builtin());
        match format {
            Format::Table => output::table::write(&report, style, w),
            Format::Json => output::json::write(&report, w),
            Format::Markdown => output::markdown::write(&report, w),
        }
    })
}

pub(crate) fn rules_list(args: &RuleArgs, format: ListFormat, style: Style) -> Result<Output> {
    let rules = load_rules(args)?;
    Output::ok(match format {
        ListFormat::Table => output::table::rules(rules.rules(), style),
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .rules()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "favors": r.favors.as_str(),
                        "weight": r.weight,
                        "title": r.title,
                        "when": r.when.to_string(),
                        "because": r.because,
                        "advice": r.advice,
                        "source": r.source,
                        "file": r.file,
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
            text.push('\n');
            text
        }
    })
}

pub(crate) fn rules_show(id: &str, args: &RuleArgs) -> Result<Output> {
    let rules = load_rules(args)?;
    let Some(rule) = rules.get(id) else {
        let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
        let hint = match nearest(id, &ids) {
            Some(n) => format!(", did you mean `{n}`?"),
            None => "; `statewise rules list` shows them all".to_owned(),
        };
        return Err(Error::Usage(format!("no rule `{id}`{hint}")));
    };
    let mut out = format!("{}\n  {}\n\n", rule.id, rule.title);
    out.push_str(&format!(
        "favors:  {}\nweight:  {}\n",
        rule.favors, rule.weight
    ));
    out.push_str(&format!("when:    {}\n", rule.when));
    out.push_str(&format!("file:    {}\n", rule.file));
    if let Some(source) = &rule.source {
        out.push_str(&format!("source:  {source}\n"));
    }
    out.push_str(&format!("\nbecause: {}\n", rule.because));
    if let Some(advice) = &rule.advice {
        out.push_str(&format!("advice:  {advice}\n"));
    }
    if !rule.examples.is_empty() {
        out.push_str("\nexamples:\n");
        for ex in &rule.examples {
            let yaml = serde_json::to_string(&ex.component).unwrap_or_default();
            out.push_str(&format!("  {} <- {yaml}\n", ex.verdict));
        }
    }
    Output::ok(out)
}

pub(crate) fn rules_lint(files: &[PathBuf], builtin: bool) -> Result<Output> {
    let (kinds_files, rule_files): (Vec<&PathBuf>, Vec<&PathBuf>) = files
        .iter()
        .partition(|p| p.is_file() && p.file_name().is_some_and(|n| n == "kinds.yaml"));
    for path in &kinds_files {
        let name = path.display().to_string();
        let bytes = crate::input::read_limited(path).map_err(|e| Error::io("read", &name, &e))?;
        let text = crate::spec::check_text(&name, &bytes).map_err(Error::Rules)?;
        Kinds::from_yaml(text, &name)?;
    }
    let rules = RuleSet::load(&rule_files, builtin)?;
    let user: Vec<_> = rules.rules().iter().filter(|r| !r.builtin).collect();
    let failures = crate::engine::check_examples(&rules, Kinds::builtin());
    if let Some(first) = failures
        .into_iter()
        .find(|f| user.iter().any(|r| r.id == f.rule))
    {
        let mut d = crate::Diagnostic::new(first.file.clone(), first.to_string()).with_help(
            "fix the example's verdict or the rule's condition; `statewise analyze` on the example shows which rules fire",
        );
        // Only on this error path is the file read again, to find the example.
        let bytes = crate::input::read_limited(Path::new(&first.file)).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if let Some((line, col)) = crate::locate::rule_example(&text, &first.rule, first.example) {
            d = d.at(&text, line, col);
        }
        return Err(Error::Rules(Box::new(d)));
    }
    let mut out = String::new();
    if !rule_files.is_empty() {
        let files_word = if rule_files.len() == 1 {
            "path"
        } else {
            "paths"
        };
        out.push_str(&format!(
            "ok: {} rules in {} {files_word}; ids unique, conditions valid, examples hold\n",
            user.len(),
            rule_files.len()
        ));
    }
    for path in kinds_files {
        out.push_str(&format!("ok: `{}` is a valid kinds file\n", path.display()));
    }
    Output::ok(out)
}

pub(crate) fn init(file: &Path) -> Result<Output> {
    if file == Path::new("-") {
        return Output::ok(crate::spec_yaml::starter());
    }
    let shown = file.display().to_string();
    write_new(file, crate::spec_yaml::starter().as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Io(format!(
                "`{shown}` already exists; statewise never overwrites it (remove it or name another file)"
            ))
        } else {
            Error::io("write", &shown, &e)
        }
    })?;
    Output::ok(format!(
        "wrote `{shown}`; edit it, then run `statewise analyze {shown}`\n"
    ))
}

/// Creates `path` (never replacing a file) and writes `bytes`; on a failed
/// write the half-written file is removed.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(())
}

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

fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::io("read", "the current directory", &e))
}

/// The template `--template` names: `madr`, `nygard` or a file.
fn load_template(arg: &str) -> Result<(String, String)> {
    match arg {
        "madr" => Ok(("madr".into(), crate::adr::render::MADR.into())),
        "nygard" => Ok(("nygard".into(), crate::adr::render::NYGARD.into())),
        path => {
            let bytes = crate::input::read_limited(Path::new(path)).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::Usage(format!(
                        "no template `{path}`; use `madr`, `nygard` or the path of a `.hbs` file (`statewise adr --export-templates DIR` writes the built-in ones)"
                    ))
                } else {
                    Error::io("read", path, &e)
                }
            })?;
            let text = crate::spec::check_text(path, &bytes).map_err(Error::Template)?;
            Ok((path.to_owned(), text.to_owned()))
        }
    }
}

pub(crate) fn adr(req: &AdrRequest) -> Result<Output> {
    use crate::adr::{self, content, records, render};
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
    let report = crate::analyze(&spec, &rules, kinds);
    let dir = adr::resolve_dir(req.dir, &current_dir()?)?;
    let superseded = match req.supersedes {
        Some(n) => Some(find_record(&dir, n)?),
        None => None,
    };
    let title = req.title.map_or_else(
        || format!("State management for {}", spec.system.name),
        str::to_owned,
    );
    // Computed once: a run that retries with the next number reuses them.
    let spec_digest = crate::digest::spec(&spec);
    let rules_digest = crate::digest::rules(&rules, kinds);
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
        return Output::ok(render_with(adr::next_number(&dir)?)?);
    }
    let path = adr::write_record(&dir, &adr::slug(&title), render_with)?;
    let mut out = format!("{}\n", path.display());
    if let Some((_, old_path, old_text)) = superseded {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let number = records::number_of(file).unwrap_or_default();
        let link = if records::front_matter(&old_text).is_some() {
            format!("[ADR-{number:04}]({file})")
        } else {
            format!(
                "[{number}. {}]({file})",
                crate::output::markdown::inline(&title)
            )
        };
        let updated = records::mark_superseded(&old_text, &link).unwrap_or(old_text);
        adr::replace_file(&old_path, updated.as_bytes())?;
        out.push_str(&format!("{}\n", old_path.display()));
    }
    Output::ok(out)
}

/// Record `number` in `dir`: its summary, path and text; an error when it is
/// missing or has no status to change.
fn find_record(
    dir: &Path,
    number: u32,
) -> Result<(crate::adr::records::RecordInfo, PathBuf, String)> {
    use crate::adr::records;
    let shown = dir.display().to_string();
    let list = records::scan(dir).map_err(|e| Error::io("read the record folder", &shown, &e))?;
    let Some((_, path)) = list.into_iter().find(|(n, _)| *n == number) else {
        return Err(Error::Usage(format!(
            "no record {number} in `{shown}` to supersede; `statewise adr list` shows the records"
        )));
    };
    let name = path.display().to_string();
    let bytes = crate::input::read_limited(&path).map_err(|e| Error::io("read", &name, &e))?;
    let text = String::from_utf8(bytes)
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
    Ok((records::parse(number, &file, &text), path, text))
}

pub(crate) fn adr_list(dir: Option<&Path>, json: bool, style: Style) -> Result<Output> {
    use crate::adr::{self, records};
    let dir = adr::resolve_dir(dir, &current_dir()?)?;
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
        let bytes = crate::input::read_limited(&path).map_err(|e| Error::io("read", &name, &e))?;
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        infos.push(records::parse(n, file, &String::from_utf8_lossy(&bytes)));
    }
    if json {
        let mut text = serde_json::to_string_pretty(&infos).unwrap_or_default();
        text.push('\n');
        return Output::ok(text);
    }
    Output::ok(output::table::records(&infos, style))
}

pub(crate) fn export_templates(dir: &Path) -> Result<Output> {
    let shown = dir.display().to_string();
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", &shown, &e))?;
    let mut out = String::new();
    for (name, _) in crate::adr::render::BUILTIN {
        let path = dir.join(name);
        if path.exists() {
            return Err(Error::Io(format!(
                "`{}` already exists; statewise never overwrites it",
                path.display()
            )));
        }
    }
    for (name, text) in crate::adr::render::BUILTIN {
        let path = dir.join(name);
        write_new(&path, text.as_bytes())
            .map_err(|e| Error::io("write", &path.display().to_string(), &e))?;
        out.push_str(&format!("{}\n", path.display()));
    }
    Output::ok(out)
}

/// `statewise ask`: the questionnaire on the terminal, then the spec file,
/// then, if wanted, the decision record. `record` carries the ADR options
/// and the rule flags (its `spec` is set once the spec is written).
pub(crate) fn ask(out: &Path, from: Option<&str>, record: &AdrRequest) -> Result<Output> {
    use std::io::IsTerminal;

    use crate::questionnaire::{self, Prompter, Stop};
    use crate::terminal::Terminal;

    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::Usage(
            "`statewise ask` needs a terminal to ask its questions; in CI or a script, write the spec (`statewise init` gives a commented start) and run `statewise analyze SPEC`".into(),
        ));
    }
    let rules = load_rules(record.rules)?;
    let start = from.map(load_spec).transpose()?;
    let kinds = Kinds::builtin();
    // Ctrl-C: nothing has been written yet (the spec is written last, in one
    // step), so leave at once, with the cursor back.
    let _ = ctrlc::set_handler(|| {
        announce_cancel();
        std::process::exit(130);
    });
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut term = Terminal::new(!no_color);
    let cancelled = || {
        announce_cancel();
        Ok(Output {
            text: String::new(),
            stream: None,
            code: 130,
        })
    };
    let failed = |m: String| Error::Io(format!("the terminal failed: {m}"));

    let spec = match questionnaire::run(&mut term, start, kinds, &rules) {
        Ok(spec) => spec,
        Err(Stop::Cancelled) => return cancelled(),
        Err(Stop::Failed(m)) => return Err(failed(m)),
    };
    let report = crate::analyze(&spec, &rules, kinds);
    let style = Style {
        color: !no_color,
        width: crate::output::table::terminal_width(),
    };
    term.note("");
    term.note(output::table::render(&report, style).trim_end());
    term.note("");

    let path = match choose_spec_path(&mut term, out) {
        Ok(p) => p,
        Err(Stop::Cancelled) => return cancelled(),
        Err(Stop::Failed(m)) => return Err(failed(m)),
    };
    let text = crate::spec_yaml::to_commented_yaml(&spec, kinds, true);
    let shown = path.display().to_string();
    if path.exists() {
        crate::adr::replace_file(&path, text.as_bytes())?;
    } else {
        write_new(&path, text.as_bytes()).map_err(|e| Error::io("write", &shown, &e))?;
    }
    SPEC_WRITTEN.store(true, SeqCst);
    let mut result = format!("wrote `{shown}`\n");
    term.note(&format!(
        "Saved the spec to `{shown}`; `statewise analyze {shown}` shows this advice again."
    ));
    match term.confirm("Write a decision record (ADR) for it now?", true) {
        Ok(true) => {
            let written = adr(&AdrRequest {
                spec: &shown,
                ..*record
            })?;
            result.push_str(&written.text);
        }
        Ok(false) => result.push_str(&format!(
            "later: `statewise adr {shown}` writes the decision record\n"
        )),
        Err(Stop::Cancelled) => {
            announce_cancel();
            result.push_str("no decision record written\n");
        }
        Err(Stop::Failed(m)) => return Err(failed(m)),
    }
    Output::ok(result)
}

/// Restores the cursor and says that nothing was written, once: the Ctrl-C
/// handler and the prompt that saw the key may both get here.
fn announce_cancel() {
    if !ANNOUNCED.swap(true, SeqCst) {
        crate::terminal::restore_cursor();
        if SPEC_WRITTEN.load(SeqCst) {
            eprintln!("\ncancelled; the spec is saved, no decision record written");
        } else {
            eprintln!("\ncancelled; nothing written");
        }
    }
}

static ANNOUNCED: AtomicBool = AtomicBool::new(false);
static SPEC_WRITTEN: AtomicBool = AtomicBool::new(false);

/// Where to save the spec: `out`, unless it exists and the person does not
/// want it replaced; then a name they choose.
fn choose_spec_path(
    p: &mut dyn crate::questionnaire::Prompter,
    out: &Path,
) -> crate::questionnaire::Answer<PathBuf> {
    let mut path = out.to_path_buf();
    loop {
        if !path.exists() {
            return Ok(path);
        }
        if path.is_file()
            && p.confirm(&format!("`{}` exists. Replace it?", path.display()), false)?
        {
            return Ok(path);
        }
        let suggestion = (2..)
            .map(|n| path.with_file_name(format!("statewise-{n}.yaml")))
            .find(|c| !c.exists())
            .unwrap_or_else(|| path.clone());
        let name = p.text(
            "Save the spec as",
            &suggestion.display().to_string(),
            &|t| {
                if t.trim().is_empty() {
                    Err("a file name".to_owned())
                } else {
                    Ok(())
                }
            },
        )?;
        path = PathBuf::from(name.trim());
    }
}

/// The latest record in `dir` made for `system` and not superseded.
fn latest_record(dir: &Path, system: &str) -> Result<Option<crate::check::Recorded>> {
    use crate::adr::records;
    let shown = dir.display().to_string();
    let list = match records::scan(dir) {
        Ok(list) => list,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read the record folder", &shown, &e)),
    };
    for (number, path) in list.into_iter().rev() {
        let name = path.display().to_string();
        let bytes = crate::input::read_limited(&path).map_err(|e| Error::io("read", &name, &e))?;
        let text = String::from_utf8_lossy(&bytes);
        let Some(meta) = records::meta(&text) else {
            continue;
        };
        if meta.system != system {
            continue;
        }
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_owned();
        if records::parse(number, &file, &text).status.as_deref() == Some("superseded") {
            continue;
        }
        return Ok(Some(crate::check::Recorded {
            file,
            number,
            spec_digest: meta.spec_digest,
            verdicts: meta.verdicts.0,
        }));
    }
    Ok(None)
}

/// What `statewise check` was asked to do.
pub(crate) struct CheckRequest<'a> {
    pub spec: &'a str,
    pub dir: Option<&'a Path>,
    pub format: CheckFormat,
    pub fail_on: crate::check::Severity,
    pub require_adr: bool,
    pub rules: &'a RuleArgs,
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CheckFormat {
    /// One finding per line, for people
    Text,
    /// One JSON object, versioned
    Json,
    /// GitHub Actions annotations
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
}

pub(crate) fn check(req: &CheckRequest) -> Result<Output> {
    use crate::check;
    let (name, bytes) = crate::input::read_spec(req.spec)?;
    let spec = Spec::from_bytes(&bytes, &name)?;
    let text = String::from_utf8_lossy(&bytes);
    let rules = load_rules(req.rules)?;
    let report = crate::analyze(&spec, &rules, Kinds::builtin());
    let dir = crate::adr::resolve_dir(req.dir, &current_dir()?)?;
    let record = latest_record(&dir, spec.system.name.as_str())?;
    let digest = crate::digest::spec(&spec);
    let findings = check::findings(&check::Inputs {
        report: &report,
        spec_file: &name,
        spec_text: &text,
        spec_digest: &digest,
        record: record.as_ref(),
        dir: &dir.display().to_string(),
        require_adr: req.require_adr,
    });
    let code = check::exit_code(&findings, req.fail_on);
    let passed = code == 0;
    let text = match req.format {
        CheckFormat::Text => output::findings::text(&findings, passed),
        CheckFormat::Json => output::findings::json(&findings, &name, passed),
        CheckFormat::Github => output::findings::github(&findings),
        CheckFormat::Sarif => output::findings::sarif(&findings),
    };
    Ok(Output {
        text,
        stream: None,
        code,
    })
}

pub(crate) fn explain(
    spec_arg: &str,
    component: &str,
    json: bool,
    rules: &RuleArgs,
) -> Result<Output> {
    let (name, bytes) = crate::input::read_spec(spec_arg)?;
    let spec = Spec::from_bytes(&bytes, &name)?;
    let rules = load_rules(rules)?;
    let found = spec
        .components
        .iter()
        .find(|c| c.name.as_str() == component)
        .or_else(|| {
            spec.components
                .iter()
                .find(|c| c.name.as_str().to_lowercase() == component.to_lowercase())
        });
    let Some(c) = found else {
        let names: Vec<&str> = spec.components.iter().map(|c| c.name.as_str()).collect();
        let hint = match nearest(component, &names) {
            Some(n) => format!(", did you mean `{n}`?"),
            None => format!("; the components are: {}", names.join(", ")),
        };
        return Err(Error::Usage(format!(
            "no component `{component}` in `{name}`{hint}"
        )));
    };
    let e = crate::explain::explain(c, &rules, Kinds::builtin());
    Output::ok(if json {
        output::explain::json(&e, c)
    } else {
        output::explain::text(&e, c, &name)
    })
}
