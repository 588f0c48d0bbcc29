//! `statewise init`: the commented starter spec, written new or printed.

use std::path::Path;

use crate::adapters::files;
use crate::cli::outcome::Output;
use crate::core::error::{Error, Result};
use crate::core::spec::yaml::starter;

pub(crate) fn run(file: &Path) -> Result<Output> {
    if file == Path::new("-") {
        return Output::ok(starter());
    }
    let shown = file.display().to_string();
    files::write_new(file, starter().as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Io(format!(
                "`{shown}` already exists; statewise never overwrites it (remove it or name another file)"
            ))
        } else {
            Error::io("write", &shown, &e)
        }
    })?;
    Output::text(&format!(
        "wrote `{shown}`; edit it, then run `statewise analyze {}`\n",
        crate::core::escape::shell(&shown)
    ))
}
