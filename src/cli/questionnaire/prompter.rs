//! What the questionnaire asks through: a [`Prompter`] (text, choice,
//! confirmation, a note), and a scripted one that plays back answers, for
//! tests and tools that drive the questionnaire without a terminal.

/// Why the questionnaire stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The person pressed Esc or Ctrl-C.
    Cancelled,
    /// The terminal failed.
    Failed(String),
}

/// What a prompt returns.
pub type Answer<T> = Result<T, Stop>;

/// A check of typed text: `Err` holds the message shown under the prompt.
pub type Check<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// The questions a questionnaire can ask.
pub trait Prompter {
    /// Free text; `default` is returned for an empty answer.
    fn text(&mut self, prompt: &str, default: &str, check: Check) -> Answer<String>;
    /// One of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool>;
    /// Shows a line of feedback.
    fn note(&mut self, text: &str);
}

/// A prompter that plays back scripted answers, for tests and for tools
/// that drive the questionnaire without a terminal.
#[derive(Debug, Default)]
pub struct Scripted {
    answers: std::collections::VecDeque<Scripted1>,
    /// Every prompt asked, in order.
    pub asked: Vec<String>,
    /// Every note shown, in order.
    pub notes: Vec<String>,
}

/// One scripted answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Scripted1 {
    /// Typed text (empty: take the default).
    Text(String),
    /// The item whose text starts with this.
    Pick(String),
    /// The default item.
    Default,
    /// Yes or no.
    Yes(bool),
    /// Esc.
    Cancel,
}

impl Scripted {
    /// A prompter that gives `answers` in order.
    pub fn new(answers: impl IntoIterator<Item = Scripted1>) -> Self {
        Scripted {
            answers: answers.into_iter().collect(),
            ..Scripted::default()
        }
    }

    fn next(&mut self, prompt: &str) -> Answer<Scripted1> {
        self.asked.push(prompt.to_owned());
        match self.answers.pop_front() {
            Some(Scripted1::Cancel) => Err(Stop::Cancelled),
            Some(a) => Ok(a),
            None => Err(Stop::Failed(format!(
                "script ran out of answers at `{prompt}`"
            ))),
        }
    }
}

impl Prompter for Scripted {
    fn text(&mut self, prompt: &str, default: &str, check: Check) -> Answer<String> {
        let answer = match self.next(prompt)? {
            Scripted1::Text(t) if t.is_empty() => default.to_owned(),
            Scripted1::Text(t) => t,
            Scripted1::Default => default.to_owned(),
            other => {
                return Err(Stop::Failed(format!(
                    "`{prompt}` wants text, got {other:?}"
                )));
            }
        };
        check(&answer).map_err(|e| Stop::Failed(format!("`{prompt}` refused `{answer}`: {e}")))?;
        Ok(answer)
    }

    fn select(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
        match self.next(prompt)? {
            Scripted1::Default => Ok(default),
            Scripted1::Pick(start) => {
                items
                    .iter()
                    .position(|i| i.starts_with(&start))
                    .ok_or_else(|| {
                        Stop::Failed(format!("`{prompt}` has no item `{start}`: {items:?}"))
                    })
            }
            other => Err(Stop::Failed(format!(
                "`{prompt}` wants a pick, got {other:?}"
            ))),
        }
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        match self.next(prompt)? {
            Scripted1::Yes(b) => Ok(b),
            Scripted1::Default => Ok(default),
            other => Err(Stop::Failed(format!(
                "`{prompt}` wants yes or no, got {other:?}"
            ))),
        }
    }

    fn note(&mut self, text: &str) {
        self.notes.push(text.to_owned());
    }
}
