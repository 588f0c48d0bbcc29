//! The core: the input model and the engine. Values in, values out: no
//! file, terminal, clock or environment access, and no clap.

pub mod assumptions;
pub mod check;
pub mod diff;
pub mod digest;
pub mod drift;
pub mod engine;
pub mod error;
pub mod escape;
pub mod explain;
pub mod facts;
pub mod gate;
pub mod graph;
pub mod import;
pub mod locate;
pub mod log_health;
pub mod plan;
pub mod report;
pub mod rules;
pub mod spec;
pub mod text;
pub mod words;
