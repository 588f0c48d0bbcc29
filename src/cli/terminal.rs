//! The terminal: whether standard output gets colour and how wide it is,
//! and the questionnaire's prompts on standard error. Every prompt (text,
//! choice, several choices, yes/no) reads keys itself, so each one knows
//! the same keys: Esc or Ctrl-C cancels cleanly with the cursor restored,
//! Shift-Tab goes back to the previous question, and a choice list filters
//! as you type. (dialoguer's prompts ignore Esc in text and know no back
//! key.) Prompts, choices and notes may hold text from a spec: shown escaped.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use dialoguer::console::{Key, Term, measure_text_width, style, truncate_str};

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

/// The keys every prompt shows in its hint line.
pub(crate) const KEYS: &str = "Shift-Tab: back, Esc: quit";

/// A [`Prompter`] on the terminal.
pub struct Terminal {
    term: Term,
    color: bool,
    /// Screen rows the prompt being edited takes now.
    drawn: usize,
}

impl Terminal {
    /// Prompts on standard error; plain prompts when `color` is false.
    pub fn new(color: bool) -> Self {
        Terminal {
            term: Term::stderr(),
            color,
            drawn: 0,
        }
    }

    fn width(&self) -> usize {
        self.term
            .size_checked()
            .map(|(_, w)| usize::from(w))
            .filter(|w| *w > 0)
            .unwrap_or(80)
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            style(text).dim().to_string()
        } else {
            text.to_owned()
        }
    }

    fn red(&self, text: &str) -> String {
        if self.color {
            style(text).red().to_string()
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            style(text).bold().to_string()
        } else {
            text.to_owned()
        }
    }

    /// Erases what the prompt drew last.
    fn erase(&mut self) -> std::io::Result<()> {
        if self.drawn > 0 {
            self.term.write_str("\r")?;
            if self.drawn > 1 {
                self.term.move_cursor_up(self.drawn - 1)?;
            }
            self.term.clear_to_end_of_screen()?;
        }
        self.drawn = 0;
        Ok(())
    }

    /// Draws `lines` in place of what the prompt drew last, and puts the
    /// cursor `back` columns left of the end.
    fn draw(&mut self, lines: &[String], back: usize) -> std::io::Result<()> {
        self.erase()?;
        let width = self.width();
        self.term.write_str(&lines.join("\n"))?;
        self.drawn = lines
            .iter()
            .map(|l| measure_text_width(l).div_ceil(width).max(1))
            .sum();
        if back > 0 {
            self.term.move_cursor_left(back)?;
        }
        self.term.flush()
    }

    /// Replaces the prompt with its one-line record: `prompt: answer`.
    fn done(&mut self, prompt: &str, answer: &str) -> std::io::Result<()> {
        self.erase()?;
        self.term
            .write_line(&format!("{}: {}", self.bold(prompt), line(answer)))
    }

    /// Leaves the prompt on `stop`: erased, cursor shown.
    /// Draws `lines` and reads one key. Esc and Ctrl-C cancel, Shift-Tab
    /// goes back, and a terminal that fails stops: each leaves the screen
    /// clean. Every other key is the caller's.
    fn key_after(&mut self, lines: &[String], back: usize) -> Answer<Key> {
        match self.draw(lines, back).and_then(|()| self.term.read_key()) {
            Err(e) => self.leave(failed(&e)),
            Ok(Key::Escape | Key::CtrlC) => self.leave(Stop::Cancelled),
            Ok(Key::BackTab) => self.leave(Stop::Back),
            Ok(key) => Ok(key),
        }
    }

    fn leave<T>(&mut self, stop: Stop) -> Answer<T> {
        let _ = self.erase();
        restore_cursor();
        Err(stop)
    }
}

/// Restores the cursor that a choice list hides while it is shown.
pub fn restore_cursor() {
    let _ = Term::stderr().show_cursor();
}

fn failed(e: &std::io::Error) -> Stop {
    if e.kind() == std::io::ErrorKind::Interrupted {
        Stop::Cancelled
    } else {
        Stop::Failed(e.to_string())
    }
}

/// The items that match `filter` (case-insensitive), best first: those
/// that start with it, then those that contain it, then those whose first
/// word holds its letters in order; each group in the items' own order. An empty
/// filter matches every item.
pub(crate) fn filter_items(items: &[String], filter: &str) -> Vec<usize> {
    let filter = filter.trim().to_lowercase();
    if filter.is_empty() {
        return (0..items.len()).collect();
    }
    let mut scored: Vec<(u8, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let item = item.to_lowercase();
            let score = if item.starts_with(&filter) {
                0
            } else if item.contains(&filter) {
                1
            } else {
                // Letters in order, within the item's first word (a
                // kind's name, not its summary).
                let mut letters = item.split_whitespace().next().unwrap_or_default().chars();
                if filter.chars().all(|f| letters.any(|c| c == f)) {
                    2
                } else {
                    return None;
                }
            };
            Some((score, i))
        })
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, i)| i).collect()
}

/// Rows of a choice list shown at once.
const WINDOW: usize = 12;

impl Prompter for Terminal {
    fn text(&mut self, prompt: &str, default: &str, check: Check) -> Answer<String> {
        let prompt = line(prompt).into_owned();
        let mut chars: Vec<char> = Vec::new();
        let mut pos = 0usize;
        let mut error: Option<String> = None;
        loop {
            let shown_default = if default.is_empty() {
                String::new()
            } else {
                self.dim(&format!(" [{}]", line(default)))
            };
            let hint = match &error {
                Some(e) => self.red(&format!("  {}", line(e))),
                None => self.dim(&format!("  {KEYS}")),
            };
            let typed: String = chars.iter().collect();
            let lines = [
                hint,
                format!("{}{shown_default}: {}", self.bold(&prompt), line(&typed)),
            ];
            let back = measure_text_width(&chars[pos..].iter().collect::<String>());
            let key = self.key_after(&lines, back)?;
            match key {
                Key::Enter => {
                    let text = if chars.is_empty() {
                        default.to_owned()
                    } else {
                        chars.iter().collect()
                    };
                    match check(&text) {
                        Ok(()) => {
                            if let Err(e) = self.done(&prompt, &text) {
                                return self.leave(failed(&e));
                            }
                            return Ok(text);
                        }
                        Err(e) => error = Some(e),
                    }
                }
                Key::Char(c) if !c.is_control() => {
                    chars.insert(pos, c);
                    pos += 1;
                    error = None;
                }
                Key::Backspace if pos > 0 => {
                    pos -= 1;
                    chars.remove(pos);
                    error = None;
                }
                Key::Del if pos < chars.len() => {
                    chars.remove(pos);
                    error = None;
                }
                Key::ArrowLeft if pos > 0 => pos -= 1,
                Key::ArrowRight if pos < chars.len() => pos += 1,
                Key::Home => pos = 0,
                Key::End => pos = chars.len(),
                _ => {}
            }
        }
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
        let prompt = line(prompt).into_owned();
        let items: Vec<String> = items.iter().map(|i| line(i).into_owned()).collect();
        let mut filter = String::new();
        let mut current = default.min(items.len().saturating_sub(1));
        // Typing moves the cursor to the best match.
        let mut refocus = false;
        let _ = self.term.hide_cursor();
        loop {
            let matches = filter_items(&items, &filter);
            let at = if refocus {
                refocus = false;
                0
            } else {
                matches.iter().position(|i| *i == current).unwrap_or(0)
            };
            if let Some(first) = matches.get(at) {
                current = *first;
            }
            let width = self.width().saturating_sub(3).max(10);
            let start = at
                .saturating_sub(WINDOW / 2)
                .min(matches.len().saturating_sub(WINDOW));
            let mut lines = vec![if filter.is_empty() {
                self.bold(&prompt)
            } else {
                format!("{}: {}", self.bold(&prompt), line(&filter))
            }];
            for (row, i) in matches.iter().enumerate().skip(start).take(WINDOW) {
                let item = truncate_str(&items[*i], width, "…");
                lines.push(if row == at {
                    self.bold(&format!("> {item}"))
                } else {
                    format!("  {item}")
                });
            }
            if matches.is_empty() {
                lines.push(self.red(&format!("  nothing matches `{}`", line(&filter))));
            }
            let more = if matches.len() > WINDOW {
                format!("{} of {}, ", at + 1, matches.len())
            } else {
                String::new()
            };
            lines.push(self.dim(&format!("  {more}type to filter, Enter: pick, {KEYS}")));
            let key = self.key_after(&lines, 0)?;
            match key {
                Key::Enter if !matches.is_empty() => {
                    let picked = items[current].split("  ").next().unwrap_or_default();
                    let shown = picked.trim_end().to_owned();
                    let done = self.done(&prompt, &shown);
                    restore_cursor();
                    return done.map(|()| current).map_err(|e| failed(&e));
                }
                Key::ArrowUp if !matches.is_empty() => {
                    current = matches[(at + matches.len() - 1) % matches.len()];
                }
                Key::ArrowDown | Key::Tab if !matches.is_empty() => {
                    current = matches[(at + 1) % matches.len()];
                }
                Key::Char(c) if !c.is_control() => {
                    filter.push(c);
                    refocus = true;
                }
                Key::Backspace => {
                    filter.pop();
                    refocus = true;
                }
                _ => {}
            }
        }
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[bool],
    ) -> Answer<Vec<usize>> {
        let prompt = line(prompt).into_owned();
        let items: Vec<String> = items.iter().map(|i| line(i).into_owned()).collect();
        let mut marked: Vec<bool> = (0..items.len())
            .map(|i| chosen.get(i).copied().unwrap_or(false))
            .collect();
        let mut at = 0usize;
        let _ = self.term.hide_cursor();
        loop {
            let start = at
                .saturating_sub(WINDOW / 2)
                .min(items.len().saturating_sub(WINDOW));
            let mut lines = vec![self.bold(&prompt)];
            for (i, item) in items.iter().enumerate().skip(start).take(WINDOW) {
                let mark = if marked[i] { "[x]" } else { "[ ]" };
                let row = format!("{} {mark} {item}", if i == at { ">" } else { " " });
                lines.push(if i == at { self.bold(&row) } else { row });
            }
            lines.push(self.dim(&format!("  Space: mark, Enter: done, {KEYS}")));
            let key = self.key_after(&lines, 0)?;
            match key {
                Key::Enter => {
                    let picked: Vec<usize> = (0..items.len()).filter(|i| marked[*i]).collect();
                    let names: Vec<&str> = picked.iter().map(|i| items[*i].as_str()).collect();
                    let shown = if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    };
                    let done = self.done(&prompt, &shown);
                    restore_cursor();
                    return done.map(|()| picked).map_err(|e| failed(&e));
                }
                Key::Char(' ') if !items.is_empty() => marked[at] = !marked[at],
                Key::ArrowUp if !items.is_empty() => at = (at + items.len() - 1) % items.len(),
                Key::ArrowDown | Key::Tab if !items.is_empty() => at = (at + 1) % items.len(),
                _ => {}
            }
        }
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        let prompt = line(prompt).into_owned();
        let choices = if default { "[Y/n]" } else { "[y/N]" };
        loop {
            let lines = [
                self.dim(&format!(
                    "  y or n, Enter: {}, {KEYS}",
                    if default { "yes" } else { "no" }
                )),
                format!("{} {}: ", self.bold(&prompt), self.dim(choices)),
            ];
            let key = self.key_after(&lines, 0)?;
            let answer = match key {
                Key::Enter => default,
                Key::Char('y' | 'Y') => true,
                Key::Char('n' | 'N') => false,
                _ => continue,
            };
            return self
                .done(&prompt, if answer { "yes" } else { "no" })
                .map(|()| answer)
                .map_err(|e| failed(&e));
        }
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

    #[test]
    fn a_filter_ranks_prefix_then_substring_then_letters_in_order() {
        let items: Vec<String> = ["rest-api", "graphql-api", "cache", "search-index", "other"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(filter_items(&items, ""), [0, 1, 2, 3, 4]);
        assert_eq!(filter_items(&items, "ap"), [0, 1]);
        assert_eq!(filter_items(&items, "c"), [2, 3]);
        assert_eq!(filter_items(&items, "ind"), [3]);
        assert_eq!(filter_items(&items, "SX"), [3]);
        assert_eq!(filter_items(&items, "rapi"), [0, 1]);
        assert_eq!(filter_items(&items, "g"), [1]);
        assert_eq!(filter_items(&items, "zz"), Vec::<usize>::new());
    }
}
