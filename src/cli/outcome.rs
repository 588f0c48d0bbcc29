//! A finished command: the text or stream to print and the exit code.

use std::io::Write;

use crate::core::error::Result;
use crate::core::escape;

/// Writes a command's result to standard output, piece by piece.
pub(crate) type Stream = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

/// A finished command: what to print and the exit code. Large results
/// come as a stream, so they are never held in memory whole.
pub(crate) struct Output {
    pub text: String,
    pub stream: Option<Stream>,
    pub code: i32,
}

impl Output {
    /// Text for people that may hold names, paths or prose from the
    /// repository: shown safe for a terminal and a CI log.
    pub(crate) fn text(text: &str) -> Result<Output> {
        Output::ok(escape::lines(text))
    }

    /// Text already made safe for where it goes (JSON, a table, roff).
    pub(crate) fn ok(text: String) -> Result<Output> {
        Ok(Output {
            text,
            stream: None,
            code: 0,
        })
    }

    /// Text already made safe for where it goes, with exit code 0.
    pub(crate) fn from_text(text: String) -> Output {
        Output {
            text,
            stream: None,
            code: 0,
        }
    }

    pub(crate) fn stream(
        stream: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + 'static,
    ) -> Result<Output> {
        Ok(Output {
            text: String::new(),
            stream: Some(Box::new(stream)),
            code: 0,
        })
    }
}
