//! The command line: clap arguments, the commands, the terminal.

pub mod args;
pub mod commands;
pub mod questionnaire;
pub mod terminal;

pub(crate) use self::args::*;
