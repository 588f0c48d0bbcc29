//! The adapters: what turns the core's values into files and text, and
//! reads the user's files.

pub mod adr;
pub mod config;
pub mod deploy_files;
pub mod files;
pub mod output;
pub mod rule_files;
