//! `statewise ask`: the questionnaire on the terminal, then the spec file,
//! then, if wanted, the decision record.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

use crate::adapters::files;
use crate::adapters::output::{self, Style};
use crate::cli::adr::{AdrRequest, write};
use crate::cli::inputs::load_rules;
use crate::cli::outcome::Output;
use crate::cli::questionnaire::{self, Gathered, Prompter, Stop};
use crate::cli::terminal::{self, Terminal};
use crate::core::error::{Error, Result};
use crate::core::escape;
use crate::core::report::analyze;
use crate::core::spec::edit;
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;

/// `statewise ask`: the questionnaire on the terminal, then the spec file,
/// then, if wanted, the decision record. `record` carries the ADR options
/// and the rule flags (its `spec` is set once the spec is written).
pub(crate) fn run(out: Option<&Path>, from: Option<&str>, record: &AdrRequest) -> Result<Output> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::Usage(
            "`statewise ask` needs a terminal to ask its questions; in CI or a script, write the spec (`statewise init` gives a commented start) and run `statewise analyze SPEC`".into(),
        ));
    }
    let rules = load_rules(record.rules)?;
    crate::cli::adr::check_options(record)?;
    // The spec to start from, and its text: an edit keeps what it does not change.
    let start = match from {
        Some(arg) => {
            let (name, bytes) = files::read_spec(arg)?;
            let spec = Spec::from_bytes(&bytes, &name)?;
            Some((spec, String::from_utf8_lossy(&bytes).into_owned()))
        }
        None => None,
    };
    let out = out.map_or_else(
        || PathBuf::from(from.filter(|f| *f != "-").unwrap_or("statewise.yaml")),
        Path::to_path_buf,
    );
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
    let summary = |g: &Gathered| {
        let report = analyze(&g.spec, &rules, kinds);
        let mut text = format!("\n{}\n", output::table::render(&report, style).trim_end());
        if let (Some((old, old_text)), Some(from)) = (&start, from) {
            let new_text = spec_text(g, Some((old, old_text)), kinds);
            let diff = edit::line_diff(old_text, &new_text);
            if diff.is_empty() {
                text.push_str(&format!("\nNo change to `{from}`.\n"));
            } else {
                text.push_str(&format!("\nChanges to `{from}`:\n{}", escape::lines(&diff)));
            }
        }
        text
    };
    let taken = |p: &Path| p.exists().then(|| p.is_file());
    let finish = questionnaire::Finish {
        out: out.to_path_buf(),
        taken: &taken,
        summary: &summary,
    };
    term.note(
        "A few questions per component; nothing is written before the last answer. Shift-Tab goes back, Esc quits.",
    );
    let first = start.as_ref().map(|(spec, _)| spec.clone());
    let gathered = match questionnaire::run(&mut term, first, kinds, &rules, Some(&finish)) {
        Ok(g) => g,
        Err(Stop::Cancelled | Stop::Back) => return cancelled(),
        Err(Stop::Failed(m)) => return Err(failed(m)),
    };
    let path = gathered.path.clone().unwrap_or_else(|| out.clone());
    let previous = start.as_ref().map(|(spec, text)| (spec, text.as_str()));
    let text = spec_text(&gathered, previous, kinds);
    if previous.is_some() && edit_of(&gathered, previous, kinds).is_none() {
        eprintln!(
            "note: `{}` is written whole: its layout (a component written as `{{...}}`, say) is beyond a line-by-line edit, so its comments are not kept",
            escape::line(from.unwrap_or_default())
        );
    }
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
    Output::text(&result)
}

/// The edit of the spec the questionnaire started from, when its layout
/// allows one.
fn edit_of(g: &Gathered, previous: Option<(&Spec, &str)>, kinds: &Kinds) -> Option<String> {
    let (old, old_text) = previous?;
    edit::edit(
        old_text,
        &edit::Change {
            old,
            new: &g.spec,
            origin: &g.origin,
            unknown: &g.unknown,
        },
        kinds,
    )
}

/// The text to write: an edit of the spec started from, else the spec
/// written whole, commented as `init` writes it.
fn spec_text(g: &Gathered, previous: Option<(&Spec, &str)>, kinds: &Kinds) -> String {
    edit_of(g, previous, kinds).unwrap_or_else(|| {
        crate::core::spec::yaml::to_commented_yaml_noting(&g.spec, kinds, true, &g.unknown)
    })
}

/// Restores the cursor and says that nothing was written, once: the Ctrl-C
/// handler and the prompt that saw the key may both get here.
///
/// A lock, not a flag: the second caller waits until the first has
/// printed, so the process cannot exit (from the other thread) between the
/// two and lose the line.
fn announce_cancel() {
    let mut announced = ANNOUNCED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !*announced {
        *announced = true;
        terminal::restore_cursor();
        if SPEC_WRITTEN.load(SeqCst) {
            eprintln!("\ncancelled; the spec is saved, no decision record written");
        } else {
            eprintln!("\ncancelled; nothing written");
        }
    }
}

static ANNOUNCED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
static SPEC_WRITTEN: AtomicBool = AtomicBool::new(false);
