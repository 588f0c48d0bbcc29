//! Reading user files with a size bound, and the spec argument (`-` is
//! standard input).

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
use crate::spec::MAX_INPUT_BYTES;

/// Reads at most one byte more than [`MAX_INPUT_BYTES`], so an oversized
/// file is detected without reading it all.
pub(crate) fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory, not a file",
        ));
    }
    read_all(file)
}

fn read_all(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The spec named on the command line: its display name and bytes.
pub(crate) fn read_spec(arg: &str) -> Result<(String, Vec<u8>)> {
    if arg == "-" {
        let bytes =
            read_all(std::io::stdin().lock()).map_err(|e| Error::io("read", "<stdin>", &e))?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    let path = Path::new(arg);
    match read_limited(path) {
        Ok(bytes) => Ok((arg.to_owned(), bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Io(format!(
            "no spec at `{arg}`; run `statewise init {arg}` to write one, or name another file"
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => Err(Error::Io(format!(
            "`{arg}` is a directory; name a spec file such as `{}`",
            path.join("statewise.yaml").display()
        ))),
        Err(e) => Err(Error::io("read", arg, &e)),
    }
}
