//! The questionnaire behind `statewise ask`: the questions, in plain words,
//! that lead a person to a spec, with the verdict shown after each
//! component. The logic talks to a [`Prompter`], so tests drive it with a
//! script and the terminal implementation lives apart in `terminal.rs`.
//!
//! `prompter.rs` holds the trait and a scripted implementation,
//! `questions.rs` the questions, `flow.rs` the order they are asked in.

mod flow;
mod prompter;
mod questions;

pub use self::flow::{Finish, Gathered, run, verdict_line};
pub use self::prompter::{Answer, Check, Prompter, Scripted, Scripted1, Stop};
pub use self::questions::check_number;
