//! Renderings of a [`Report`](crate::core::report::Report): one file per format, each a
//! pure function from the report to text.

pub mod check_markdown;
pub mod diff;
pub mod explain;
pub mod findings;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod table;

/// How standard output looks: colour or not, and the width to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Colour the verdicts.
    pub color: bool,
    /// Columns the tables may use.
    pub width: u16,
}

impl Style {
    /// No colour, 120 columns: what tests and pipes get.
    pub const PLAIN: Style = Style {
        color: false,
        width: 120,
    };
}
