//! A small fluent runner for the real binary, in the style of casey/just's
//! `tests/test.rs`: a [`Test`] is one command, run in a temporary
//! [`Folder`] (a fresh one from `Test::new()`, or a shared one from
//! `Folder::test()` / `Folder::run()` when several commands work on the same
//! files) with a clean environment (`NO_COLOR=1`, `COLUMNS=120`, nothing
//! inherited but `PATH`); every run gives an [`Output`], which carries all
//! the assertions.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The statewise binary cargo built for these tests.
pub fn bin() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("statewise")
}

/// The repository root (where `Cargo.toml`, `examples/` and `rules/` are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled example specs, sorted by file name: (file name, text).
pub fn examples() -> Vec<(String, String)> {
    yaml_files(&repo().join("examples"))
}

/// Every `*.yaml` / `*.yml` file in `dir`, sorted by file name: (file name,
/// text). Panics when there is none.
pub fn yaml_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&p).expect("spec is UTF-8");
            (name, text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no YAML files in {}", dir.display());
    files
}

/// The file name without its extension, for snapshot names.
pub fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// A spec header with one system, ready for `components:` items.
pub const HEAD: &str = "version: 1\nsystem:\n  name: S\ncomponents:\n";

// ---------------------------------------------------------------------------
// The working directory.

/// A temporary working directory: the commands of a test run in it, one
/// after the other or at once, and it lives as long as the folder or any
/// [`Test`] or [`Output`] of it does.
#[derive(Clone)]
pub struct Folder {
    dir: Arc<TempDir>,
}

impl Default for Folder {
    fn default() -> Self {
        Folder::new()
    }
}

impl Folder {
    /// A fresh, empty temporary directory.
    pub fn new() -> Self {
        Folder {
            dir: Arc::new(
                tempfile::Builder::new()
                    .prefix("statewise-test")
                    .tempdir()
                    .expect("tempdir"),
            ),
        }
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` inside the directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes `contents` to `rel`, creating parent directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let full = self.path(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::fs::write(&full, contents).expect("write file");
        self
    }

    /// The text of the file `rel`.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Whether `rel` exists.
    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// The names in a folder, hidden ones included, sorted.
    pub fn names(&self, rel: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(rel))
            .unwrap_or_else(|e| panic!("read dir {rel}: {e}"))
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// Every file and folder under the directory with its text (folders
    /// end in `/` and have none): compare two to show nothing was written.
    pub fn tree(&self) -> BTreeMap<String, String> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
            for entry in std::fs::read_dir(dir).expect("read dir") {
                let path = entry.expect("dir entry").path();
                let rel = path
                    .strip_prefix(root)
                    .expect("inside the folder")
                    .to_string_lossy()
                    .into_owned();
                if path.is_dir() {
                    out.insert(format!("{rel}/"), String::new());
                    walk(root, &path, out);
                } else {
                    out.insert(
                        rel,
                        String::from_utf8_lossy(&std::fs::read(&path).expect("read file"))
                            .into_owned(),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.root(), self.root(), &mut out);
        out
    }

    /// A run of `statewise` in this directory, to be given arguments,
    /// input and environment.
    pub fn test(&self) -> Test {
        Test {
            folder: self.clone(),
            program: bin().to_path_buf(),
            args: Vec::new(),
            stdin: Vec::new(),
            env: Vec::new(),
            env_removed: Vec::new(),
            timeout: Duration::from_secs(60),
            cwd: None,
        }
    }

    /// Runs `statewise ARGS` in this directory: `self.test().args(args).run()`.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.test().args(args.iter().map(AsRef::as_ref)).run()
    }
}

// ---------------------------------------------------------------------------
// One command.

/// One command to run, in a [`Folder`].
#[must_use]
pub struct Test {
    folder: Folder,
    program: PathBuf,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    env: Vec<(OsString, OsString)>,
    env_removed: Vec<OsString>,
    timeout: Duration,
    cwd: Option<String>,
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    /// A run of `statewise` in a fresh temporary directory.
    pub fn new() -> Self {
        Folder::new().test()
    }

    /// A run of `sh -c SCRIPT` instead, in a fresh temporary directory, with
    /// `$STATEWISE` naming the binary.
    pub fn shell(script: &str) -> Self {
        let mut t = Test::new();
        t.program = PathBuf::from("sh");
        t.args = vec!["-c".into(), script.into()];
        t.env("STATEWISE", bin().to_str().expect("binary path is UTF-8"))
    }

    /// Writes `contents` to `path` (relative to the directory), creating
    /// parent directories.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        self.folder.write(path, contents);
        self
    }

    /// Creates an empty directory.
    pub fn dir(self, path: &str) -> Self {
        std::fs::create_dir_all(self.folder.path(path)).expect("create dir");
        self
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Adds arguments.
    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Feeds `text` on standard input (otherwise stdin is empty).
    pub fn stdin(mut self, text: impl AsRef<[u8]>) -> Self {
        self.stdin = text.as_ref().to_vec();
        self
    }

    /// Sets an environment variable (on top of the clean environment).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Leaves a variable of the clean environment (`NO_COLOR`, `COLUMNS`)
    /// unset.
    pub fn env_remove(mut self, key: &str) -> Self {
        self.env_removed.push(key.into());
        self
    }

    /// Runs the command in `rel`, a folder below the directory (created
    /// when missing), instead of the directory itself.
    pub fn cwd(mut self, rel: &str) -> Self {
        std::fs::create_dir_all(self.folder.path(rel)).expect("create the working folder");
        self.cwd = Some(rel.to_owned());
        self
    }

    /// Fails the test if the command runs longer than this (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The command line, for messages: `statewise adr spec.yaml`.
    fn command_line(&self) -> String {
        let program = self.program.file_name().unwrap_or(self.program.as_os_str());
        std::iter::once(program)
            .chain(self.args.iter().map(OsString::as_os_str))
            .map(|a| {
                let a = a.to_string_lossy();
                let plain = !a.is_empty()
                    && a.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c));
                if plain {
                    a.into_owned()
                } else {
                    format!("{a:?}")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Starts the command without waiting for it, so that several can run
    /// at once; [`Running::wait`] finishes it.
    pub fn spawn(self) -> Running {
        let command = self.command_line();
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .current_dir(match &self.cwd {
                Some(rel) => self.folder.path(rel),
                None => self.folder.root().to_path_buf(),
            })
            .env_clear()
            .env("NO_COLOR", "1")
            .env("COLUMNS", "120")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for k in &self.env_removed {
            cmd.env_remove(k);
        }
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn `{command}`: {e}"));
        let mut stdin = child.stdin.take().expect("stdin");
        let input = self.stdin;
        // A command may exit without reading its input: ignore a broken pipe.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out_reader = drain(child.stdout.take().expect("stdout"));
        let err_reader = drain(child.stderr.take().expect("stderr"));
        Running {
            command,
            child,
            started,
            timeout: self.timeout,
            writer,
            out_reader,
            err_reader,
            folder: self.folder,
        }
    }

    /// Runs the command to completion.
    pub fn run(self) -> Output {
        self.spawn().wait()
    }
}

/// Reads a pipe to its end on a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        pipe.read_to_end(&mut buf).expect("read output");
        buf
    })
}

/// A command started by [`Test::spawn`].
#[must_use]
pub struct Running {
    command: String,
    child: Child,
    started: Instant,
    timeout: Duration,
    writer: JoinHandle<()>,
    out_reader: JoinHandle<Vec<u8>>,
    err_reader: JoinHandle<Vec<u8>>,
    folder: Folder,
}

impl Running {
    /// Waits for the command to finish.
    pub fn wait(mut self) -> Output {
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if self.started.elapsed() > self.timeout {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("`{}` ran longer than {:?}", self.command, self.timeout);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let elapsed = self.started.elapsed();
        self.writer.join().expect("stdin writer");
        let stdout_bytes = self.out_reader.join().expect("stdout reader");
        let stderr_bytes = self.err_reader.join().expect("stderr reader");
        Output {
            command: self.command,
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
            stdout_bytes,
            stderr: String::from_utf8_lossy(&stderr_bytes).into_owned(),
            elapsed,
            folder: self.folder,
        }
    }
}

// ---------------------------------------------------------------------------
// What it did.

/// What a finished command printed, with the assertions the tests make.
pub struct Output {
    /// The command line, for messages.
    pub command: String,
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard output as bytes.
    pub stdout_bytes: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
    /// Wall-clock time the command took.
    pub elapsed: Duration,
    /// The working directory, kept alive for inspection.
    pub folder: Folder,
}

impl Output {
    /// The command and everything it printed, for failure messages.
    pub fn context(&self) -> String {
        format!(
            "\n--- command: {}\n--- exit code: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    /// Asserts the exit code.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code{}",
            self.context()
        );
        self
    }

    /// Asserts exit code 0 and an empty standard error.
    #[track_caller]
    pub fn success(&self) -> &Self {
        self.code(0).stderr_empty()
    }

    /// Asserts that standard output contains `s`.
    #[track_caller]
    pub fn stdout_contains(&self, s: &str) -> &Self {
        assert!(
            self.stdout.contains(s),
            "stdout lacks {s:?}{}",
            self.context()
        );
        self
    }

    /// Asserts that standard output does not contain `s`.
    #[track_caller]
    pub fn stdout_lacks(&self, s: &str) -> &Self {
        assert!(
            !self.stdout.contains(s),
            "stdout has {s:?}{}",
            self.context()
        );
        self
    }

    /// Asserts that standard error contains `s`.
    #[track_caller]
    pub fn stderr_contains(&self, s: &str) -> &Self {
        assert!(
            self.stderr.contains(s),
            "stderr lacks {s:?}{}",
            self.context()
        );
        self
    }

    /// Asserts that standard output is empty.
    #[track_caller]
    pub fn stdout_empty(&self) -> &Self {
        assert!(
            self.stdout_bytes.is_empty(),
            "stdout is not empty{}",
            self.context()
        );
        self
    }

    /// Asserts that standard error is empty.
    #[track_caller]
    pub fn stderr_empty(&self) -> &Self {
        assert!(
            self.stderr.is_empty(),
            "stderr is not empty{}",
            self.context()
        );
        self
    }

    /// Asserts the shape of a failure: exit code 2, nothing on standard
    /// output, and a message on standard error starting with `error: `.
    #[track_caller]
    pub fn fails(&self) -> &Self {
        self.code(2).stdout_empty();
        assert!(
            self.stderr.starts_with("error: "),
            "stderr does not start with `error: `{}",
            self.context()
        );
        self
    }

    /// Asserts that the first line of standard error names `place`
    /// (`file:line:column`) right after `error: `.
    #[track_caller]
    pub fn error_at(&self, place: &str) -> &Self {
        let first = self.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("error: {place}: ")),
            "first line of stderr does not start with `error: {place}: `{}",
            self.context()
        );
        self
    }

    /// Standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}{}", self.context()))
    }
}

/// Validates `file` in `folder` as `kind` (sarif, junit, gitlab, json).
#[track_caller]
pub fn validate_report(folder: &Folder, who: &str, kind: &str, file: &str) {
    let Some(python) = std::env::var_os("STATEWISE_PYTHON").filter(|v| !v.is_empty()) else {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "CI is set but STATEWISE_PYTHON is not: reports must be validated in CI; run `bash .ci/run`"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {who}: {kind} report not validated: STATEWISE_PYTHON is not set; `bash .ci/run` sets it"
        );
        return;
    };
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/schemas/validate.py"))
        .arg(kind)
        .arg(folder.path(file))
        .output()
        .expect("run the validator");
    assert!(
        out.status.success(),
        "{file} is not a valid {kind} report:\n{}{}\n--- the report:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        folder.read(file)
    );
}
