//! The terminal: whether standard output gets colour and how wide it is,
//! and the questionnaire's dialoguer prompts on standard error, with Esc
//! and Ctrl-C as a clean cancel and the cursor restored on the way out.

use std::io::IsTerminal;

use comfy_table::Table;
use dialoguer::console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, Select};

use crate::adapters::output::Style;
use crate::cli::questionnaire::{Answer, Check, Prompter, Stop};

/// The terminal style for standard output: colour only on a terminal and
/// never with `NO_COLOR`; the table fits the terminal, or `COLUMNS`, or 120.
pub(crate) fn stdout_style() -> Style {
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|c| *c >= 40);
    Style {
        color: tty && !no_color,
        width: columns
            .or_else(|| {
                if tty {
                    comfy_table::Table::new().width()
                } else {
                    None
                }
            })
            .unwrap_or(120),
    }
}

/// The width of the terminal on standard error, or 100.
pub(crate) fn stderr_width() -> u16 {
    let mut t = Table::new();
    t.use_stderr();
    t.width().filter(|w| *w >= 40).unwrap_or(100)
}

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
        let mut input = Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(true)
            .validate_with(|t: &String| check(t));
        if !default.is_empty() {
            input = input.default(default.to_owned());
        }
        let text = input.interact_text_on(&self.term).map_err(stop)?;
        Ok(if text.is_empty() {
            default.to_owned()
        } else {
            text
        })
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
        let picked = Select::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(stop);
        restore_cursor();
        picked?.ok_or(Stop::Cancelled)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        let answer = Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
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
