//! What the questionnaire asks through: a [`Prompter`] (text, choice,
//! confirmation, a note), and a scripted one that plays back answers, for
//! tests and tools that drive the questionnaire without a terminal.

/// Why the questionnaire stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The person pressed Esc or Ctrl-C.
    Cancelled,
    /// The person pressed the back key (Shift-Tab): ask the previous
    /// question again, with its answer kept.
    Back,
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
    /// Any number of `items`, those marked in `chosen` picked at first;
    /// returns the indexes picked, in order.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[bool],
    ) -> Answer<Vec<usize>>;
    /// Shows a line of feedback.
    fn note(&mut self, text: &str);
}

/// A prompter that plays back scripted answers, for tests and for tools
/// that drive the questionnaire without a terminal.
#[derive(Debug, Default)]
pub struct Scripted {
    answers: std::collections::VecDeque<Scripted1>,
    /// With [`Scripted::keyed`]: answers for the prompts that contain each
    /// key, each used once, in order; every other prompt takes its default.
    keyed: Option<Vec<(String, Scripted1)>>,
    /// Presses Esc at the prompt with this index (0: the first).
    esc_at: Option<usize>,
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
    /// Several items, each the item whose text starts with one of these.
    Picks(Vec<String>),
    /// Esc.
    Cancel,
    /// The back key.
    Back,
}

impl Scripted {
    /// A prompter that gives `answers` in order.
    pub fn new(answers: impl IntoIterator<Item = Scripted1>) -> Self {
        Scripted {
            answers: answers.into_iter().collect(),
            ..Scripted::default()
        }
    }

    /// A prompter that answers each prompt containing a key with that
    /// key's answer (each used once, first match first), and takes the
    /// default everywhere else: a script that does not break when a
    /// question is added or skipped.
    pub fn keyed<K: Into<String>>(answers: impl IntoIterator<Item = (K, Scripted1)>) -> Self {
        Scripted {
            keyed: Some(answers.into_iter().map(|(k, a)| (k.into(), a)).collect()),
            ..Scripted::default()
        }
    }

    /// Presses Esc at the `n`th prompt (0: the first), whatever the script.
    #[must_use]
    pub fn esc_at(self, n: usize) -> Self {
        Scripted {
            esc_at: Some(n),
            ..self
        }
    }

    fn next(&mut self, prompt: &str) -> Answer<Scripted1> {
        self.asked.push(prompt.to_owned());
        if self.esc_at == Some(self.asked.len() - 1) {
            return Err(Stop::Cancelled);
        }
        if let Some(keyed) = &mut self.keyed {
            if self.asked.len() > 10_000 {
                return Err(Stop::Failed(format!("the script loops at `{prompt}`")));
            }
            let found = keyed.iter().position(|(k, _)| prompt.contains(k.as_str()));
            return match found.map(|i| keyed.remove(i).1) {
                Some(Scripted1::Cancel) => Err(Stop::Cancelled),
                Some(Scripted1::Back) => Err(Stop::Back),
                Some(a) => Ok(a),
                None => Ok(Scripted1::Default),
            };
        }
        match self.answers.pop_front() {
            Some(Scripted1::Cancel) => Err(Stop::Cancelled),
            Some(Scripted1::Back) => Err(Stop::Back),
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

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        chosen: &[bool],
    ) -> Answer<Vec<usize>> {
        match self.next(prompt)? {
            Scripted1::Default => Ok((0..items.len())
                .filter(|i| chosen.get(*i).copied().unwrap_or(false))
                .collect()),
            Scripted1::Picks(starts) => {
                let mut picked: Vec<usize> = Vec::new();
                for start in starts {
                    let i = items
                        .iter()
                        .position(|i| i.starts_with(&start))
                        .ok_or_else(|| {
                            Stop::Failed(format!("`{prompt}` has no item `{start}`: {items:?}"))
                        })?;
                    picked.push(i);
                }
                picked.sort_unstable();
                picked.dedup();
                Ok(picked)
            }
            other => Err(Stop::Failed(format!(
                "`{prompt}` wants picks, got {other:?}"
            ))),
        }
    }

    fn note(&mut self, text: &str) {
        self.notes.push(text.to_owned());
    }
}
