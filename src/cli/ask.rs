//! `statewise ask`: the questionnaire on the terminal, then the spec file,
//! then, if wanted, the decision record.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::adr::{AdrRequest, write};
use crate::cli::inputs::{load_rules, load_spec};
use crate::cli::outcome::Output;
use crate::cli::questionnaire::{self, Stop};
use crate::cli::terminal::{self, Terminal};
use crate::core::error::{Error, Result};
use crate::core::escape;
use crate::core::report::analyze;
use crate::core::spec::kinds::Kinds;

/// `statewise ask`: the questionnaire on the terminal, then the spec file,
/// then, if wanted, the decision record. `record` carries the ADR options
/// and the rule flags (its `spec` is set once the spec is written).
pub(crate) fn run(out: &Path, from: Option<&str>, record: &AdrRequest) -> Result<Output> {
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
    let color = terminal::colored(&std::io::stderr());
    let mut term = Terminal::new(color);
    let cancelled = || {
        announce_cancel();
        Ok(Output {
            text: String::new(),
            stream: None,
            code: 130,
        })
    };
    let failed = |m: String| Error::Io(format!("the terminal failed: {m}"));

    let style = Style {
        color,
        width: terminal::stderr_width(),
    };
    let summary = |spec: &crate::core::spec::model::Spec| {
        let report = analyze(spec, &rules, kinds);
        format!("\n{}\n", output::table::render(&report, style).trim_end())
    };
    let taken = |p: &Path| p.exists();
    let finish = questionnaire::Finish {
        out: out.to_path_buf(),
        taken: &taken,
        summary: &summary,
    };
    let gathered = match questionnaire::run(&mut term, start, kinds, &rules, Some(&finish)) {
        Ok(g) => g,
        Err(Stop::Cancelled | Stop::Back) => return cancelled(),
        Err(Stop::Failed(m)) => return Err(failed(m)),
    };
    let path = gathered.path.unwrap_or_else(|| out.to_path_buf());
    let text = crate::core::spec::yaml::to_commented_yaml_noting(
        &gathered.spec,
        kinds,
        true,
        &gathered.unknown,
    );
    let shown = path.display().to_string();
    if path.exists() {
        files::replace_file(&path, text.as_bytes())?;
    } else {
        files::write_new(&path, text.as_bytes()).map_err(|e| Error::io("write", &shown, &e))?;
    }
    SPEC_WRITTEN.store(true, SeqCst);
    let spec_arg = escape::shell(&shown);
    let mut result = format!("wrote the spec `{shown}`\n");
    if gathered.record {
        let written = write(&AdrRequest {
            spec: &shown,
            ..*record
        })?;
        for line in written.text.lines() {
            result.push_str(&format!("wrote the decision record `{line}`\n"));
        }
        result.push_str(&format!(
            "next: `statewise check {spec_arg}` checks the decisions against the advice and this record\n"
        ));
    } else {
        result.push_str("no decision record written\n");
        result.push_str(&format!(
            "next: `statewise adr {spec_arg}` writes the record; `statewise check {spec_arg}` checks the decisions against the advice\n"
        ));
    }
    Output::text(&escape::lines(&result))
}

/// Restores the cursor and says that nothing was written, once: the Ctrl-C
/// handler and the prompt that saw the key may both get here.
fn announce_cancel() {
    if !ANNOUNCED.swap(true, SeqCst) {
        terminal::restore_cursor();
        if SPEC_WRITTEN.load(SeqCst) {
            eprintln!("\ncancelled; the spec is saved, no decision record written");
        } else {
            eprintln!("\ncancelled; nothing written");
        }
    }
}

static ANNOUNCED: AtomicBool = AtomicBool::new(false);
static SPEC_WRITTEN: AtomicBool = AtomicBool::new(false);
