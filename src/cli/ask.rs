//! `statewise ask`: the questionnaire on the terminal, then the spec file,
//! then, if wanted, the decision record.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::adr::{AdrRequest, write};
use crate::cli::inputs::{load_rules, load_spec};
use crate::cli::outcome::Output;
use crate::cli::questionnaire::{self, Answer, Prompter, Stop};
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

    let spec = match questionnaire::run(&mut term, start, kinds, &rules) {
        Ok(spec) => spec,
        Err(Stop::Cancelled) => return cancelled(),
        Err(Stop::Failed(m)) => return Err(failed(m)),
    };
    let report = analyze(&spec, &rules, kinds);
    let style = Style {
        color,
        width: terminal::stderr_width(),
    };
    term.note("");
    term.note(output::table::render(&report, style).trim_end());
    term.note("");

    let path = match choose_spec_path(&mut term, out) {
        Ok(p) => p,
        Err(Stop::Cancelled) => return cancelled(),
        Err(Stop::Failed(m)) => return Err(failed(m)),
    };
    let text = crate::core::spec::yaml::to_commented_yaml(&spec, kinds, true);
    let shown = path.display().to_string();
    if path.exists() {
        files::replace_file(&path, text.as_bytes())?;
    } else {
        files::write_new(&path, text.as_bytes()).map_err(|e| Error::io("write", &shown, &e))?;
    }
    SPEC_WRITTEN.store(true, SeqCst);
    let mut result = format!("wrote `{shown}`\n");
    term.note(&escape::line(&format!(
        "Saved the spec to `{shown}`; `statewise analyze {}` shows this advice again.",
        escape::shell(&shown)
    )));
    match term.confirm("Write a decision record (ADR) for it now?", true) {
        Ok(true) => {
            let written = write(&AdrRequest {
                spec: &shown,
                ..*record
            })?;
            result.push_str(&written.text);
        }
        Ok(false) => result.push_str(&format!(
            "later: `statewise adr {}` writes the decision record\n",
            escape::shell(&shown)
        )),
        Err(Stop::Cancelled) => {
            announce_cancel();
            result.push_str("no decision record written\n");
        }
        Err(Stop::Failed(m)) => return Err(failed(m)),
    }
    Output::text(&result)
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

/// Where to save the spec: `out`, unless it exists and the person does not
/// want it replaced; then a name they choose.
fn choose_spec_path(p: &mut dyn Prompter, out: &Path) -> Answer<PathBuf> {
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
