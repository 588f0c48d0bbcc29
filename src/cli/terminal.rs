//! The terminal: whether standard output gets colour and how wide it is,
//! and the questionnaire's dialoguer prompts on standard error, with Esc
//! and Ctrl-C as a clean cancel and the cursor restored on the way out.
//! Prompts, choices and notes may hold text from a spec: shown escaped.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, Select};

use crate::adapters::output::Style;
use crate::cli::questionnaire::{Answer, Check, Prompter, Stop};
use crate::core::escape::line;

/// The terminal style for standard output. Colour as anstream decides it:
/// on a terminal that supports it, never with `NO_COLOR` or `CLICOLOR=0`,
/// always with `CLICOLOR_FORCE`. The table fits `COLUMNS` (40 or more),
/// else the terminal, else 120 columns.
pub(crate) fn stdout_style() -> Style {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| *c >= 40);
    Style {
        color: colored(&std::io::stdout()),
        width: columns
            .or_else(|| width_of(std::io::stdout()))
            .unwrap_or(120),
    }
}

/// Whether to colour what goes to `stream`; the questionnaire asks it of
/// standard error.
pub(crate) fn colored(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// The width of the terminal on standard error, or 100 (also when it is
/// narrower than 40 columns).
pub(crate) fn stderr_width() -> u16 {
    width_of(std::io::stderr())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// Columns of the terminal `stream` is, if it is one and reports a size: a
/// pseudo-terminal nobody sized says 0×0, which is no width at all.
fn width_of(stream: impl TerminalHandle) -> Option<u16> {
    terminal_size::terminal_size_of(stream)
        .map(|(w, _)| w.0)
        .filter(|w| *w > 0)
}

#[cfg(unix)]
trait TerminalHandle: std::os::fd::AsFd {}
#[cfg(unix)]
impl<T: std::os::fd::AsFd> TerminalHandle for T {}
#[cfg(windows)]
trait TerminalHandle: std::os::windows::io::AsHandle {}
#[cfg(windows)]
impl<T: std::os::windows::io::AsHandle> TerminalHandle for T {}

/// A [`Prompter`] on the terminal.
pub struct Terminal {
    term: Term,
    theme: Box<dyn Theme>,
}

impl Terminal {
    /// Prompts on standard error; plain prompts when `color` is false.
    pub fn new(color: bool) -> Self {
        let theme: Box<dyn Theme> = if color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Terminal {
            term: Term::stderr(),
            theme,
        }
    }
}

/// Restores the cursor that dialoguer hides while a selection is shown.
pub fn restore_cursor() {
    let _ = Term::stderr().show_cursor();
}

fn stop(e: dialoguer::Error) -> Stop {
    let dialoguer::Error::IO(io) = e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        Stop::Cancelled
    } else {
        Stop::Failed(io.to_string())
    }
}

impl Prompter for Terminal {
    fn text(&mut self, prompt: &str, default: &str, check: Check) -> Answer<String> {
        // A default from a spec (`ask --from`) is shown escaped; Enter
        // keeps the spec's own text.
        let shown_default = line(default);
        let mut input = Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(line(prompt))
            .allow_empty(true)
            .validate_with(|t: &String| check(t));
        if !default.is_empty() {
            input = input.default(shown_default.clone().into_owned());
        }
        let text = input.interact_text_on(&self.term).map_err(stop)?;
        Ok(if text.is_empty() || text == shown_default {
            default.to_owned()
        } else {
            text
        })
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
        let picked = Select::with_theme(self.theme.as_ref())
            .with_prompt(line(prompt))
            .items(items.iter().map(|i| line(i)))
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(stop);
        restore_cursor();
        picked?.ok_or(Stop::Cancelled)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        let answer = Confirm::with_theme(self.theme.as_ref())
            .with_prompt(line(prompt))
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(stop);
        restore_cursor();
        answer?.ok_or(Stop::Cancelled)
    }

    fn note(&mut self, text: &str) {
        let _ = self.term.write_line(text);
    }
}

/// Whether `--verbose` was given: commands then say on standard error which
/// files they chose and why.
static VERBOSE: AtomicBool = AtomicBool::new(false);

/// Records `--verbose` for the run.
pub(crate) fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

/// Prints `line` on standard error when `--verbose` was given.
pub(crate) fn note(line: &str) {
    if VERBOSE.load(Ordering::Relaxed) {
        let text = crate::core::escape::lines(&format!("statewise: {line}\n"));
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}
