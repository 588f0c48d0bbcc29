//! The terminal: whether standard output gets colour and how wide it is,
//! and the questionnaire's dialoguer prompts on standard error, with Esc
//! and Ctrl-C as a clean cancel and the cursor restored on the way out.
//! Prompts, choices and notes may hold text from a spec: shown escaped.

use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, Select};

use crate::adapters::output::Style;
use crate::cli::args::ColorWhen;
use crate::cli::questionnaire::{Answer, Check, Prompter, Stop};
use crate::core::escape::line;

/// The terminal style for standard output. Colour as [`colored`] decides
/// it; the table fits `COLUMNS` (40 or more), else the terminal, else 120
/// columns.
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

/// The `--color` flag of this run, set once before the command runs.
static COLOR_FLAG: std::sync::OnceLock<ColorWhen> = std::sync::OnceLock::new();

/// Records the `--color` flag for [`colored`].
pub(crate) fn set_color_flag(when: ColorWhen) {
    let _ = COLOR_FLAG.set(when);
}

/// Whether to colour, in this order: `--color always|never`; then
/// `NO_COLOR` (set and not empty: never); then `CLICOLOR_FORCE` (set, not
/// empty and not `0`: always); then `CLICOLOR=0` (never); then colour when
/// the stream is a terminal whose `TERM` is not `dumb`.
pub(crate) fn color_choice(
    flag: ColorWhen,
    env: impl Fn(&str) -> Option<String>,
    terminal: bool,
) -> bool {
    let set = |k: &str| env(k).filter(|v| !v.is_empty());
    match flag {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR").is_some() => false,
        ColorWhen::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorWhen::Auto if env("CLICOLOR").as_deref() == Some("0") => false,
        ColorWhen::Auto => terminal && env("TERM").as_deref() != Some("dumb"),
    }
}

/// Whether to colour what goes to `stream`; the questionnaire asks it of
/// standard error.
pub(crate) fn colored(stream: &impl std::io::IsTerminal) -> bool {
    let flag = COLOR_FLAG.get().copied().unwrap_or(ColorWhen::Auto);
    color_choice(
        flag,
        |k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned()),
        stream.is_terminal(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(flag: ColorWhen, vars: &[(&str, &str)], terminal: bool) -> bool {
        color_choice(
            flag,
            |k| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            },
            terminal,
        )
    }

    #[test]
    fn the_flag_then_no_color_then_clicolor_force_then_clicolor_then_the_terminal() {
        use ColorWhen::{Always, Auto, Never};
        assert!(choice(Always, &[("NO_COLOR", "1")], false));
        assert!(!choice(Never, &[("CLICOLOR_FORCE", "1")], true));
        assert!(!choice(
            Auto,
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
            true
        ));
        assert!(choice(
            Auto,
            &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
            false
        ));
        assert!(!choice(Auto, &[("CLICOLOR_FORCE", "0")], false));
        assert!(choice(
            Auto,
            &[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")],
            false
        ));
        assert!(!choice(Auto, &[("CLICOLOR", "0")], true));
        assert!(choice(Auto, &[("CLICOLOR", "1")], true));
        assert!(!choice(Auto, &[], false));
        assert!(!choice(Auto, &[("TERM", "dumb")], true));
        assert!(choice(Auto, &[], true));
    }
}
