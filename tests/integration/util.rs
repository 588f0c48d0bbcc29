//! A small fluent runner for the real binary, in the style of casey/just's
//! `tests/test.rs`: each test gets a fresh temporary directory as its
//! working directory, files written into it, and a clean environment
//! (`NO_COLOR=1`, `COLUMNS=120`, nothing inherited but `PATH`).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
    let dir = repo().join("examples");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("examples/ is readable")
        .map(|e| e.expect("examples/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&p).expect("example is UTF-8");
            (name, text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    files
}

/// The file name without its extension, for snapshot names.
pub fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// A spec header with one system, ready for `components:` items.
pub const HEAD: &str = "version: 1\nsystem:\n  name: S\ncomponents:\n";

/// One command to run.
#[must_use]
pub struct Test {
    dir: TempDir,
    program: PathBuf,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(OsString, OsString)>,
    env_removed: Vec<OsString>,
    timeout: Duration,
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    /// A run of `statewise` in a fresh temporary directory.
    pub fn new() -> Self {
        Test {
            dir: tempfile::Builder::new()
                .prefix("statewise-test")
                .tempdir()
                .expect("tempdir"),
            program: bin().to_path_buf(),
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
            env_removed: Vec::new(),
            timeout: Duration::from_secs(60),
        }
    }

    /// A run of `sh -c SCRIPT` instead, with `$STATEWISE` naming the binary.
    pub fn shell(script: &str) -> Self {
        let mut t = Test::new();
        t.program = PathBuf::from("sh");
        t.args = vec!["-c".into(), script.into()];
        t.env("STATEWISE", bin().to_str().expect("binary path is UTF-8"))
    }

    /// Writes `contents` to `path` (relative to the directory), creating
    /// parent directories.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::fs::write(&full, contents).expect("write test file");
        self
    }

    /// Creates an empty directory.
    pub fn dir(self, path: &str) -> Self {
        std::fs::create_dir_all(self.dir.path().join(path)).expect("create dir");
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
        self.stdin = Some(text.as_ref().to_vec());
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

    /// Fails the test if the command runs longer than this (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs the command to completion.
    pub fn run(self) -> Output {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .current_dir(self.dir.path())
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
            .unwrap_or_else(|e| panic!("spawn {}: {e}", self.program.display()));
        let mut stdin = child.stdin.take().expect("stdin");
        let input = self.stdin.clone().unwrap_or_default();
        // A command may exit without reading its input: ignore a broken pipe.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let mut out_pipe = child.stdout.take().expect("stdout");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let out_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            out_pipe.read_to_end(&mut buf).expect("read stdout");
            buf
        });
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            err_pipe.read_to_end(&mut buf).expect("read stderr");
            buf
        });
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`{} {:?}` ran longer than {:?}",
                    self.program.display(),
                    self.args,
                    self.timeout
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let elapsed = started.elapsed();
        writer.join().expect("stdin writer");
        let stdout_bytes = out_reader.join().expect("stdout reader");
        let stderr_bytes = err_reader.join().expect("stderr reader");
        Output {
            stdout: String::from_utf8_lossy(&stdout_bytes).into_owned(),
            stderr: String::from_utf8_lossy(&stderr_bytes).into_owned(),
            stdout_bytes,
            code: status.code(),
            elapsed,
            dir: self.dir,
        }
    }
}

/// What a finished command left behind.
pub struct Output {
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard output as bytes.
    pub stdout_bytes: Vec<u8>,
    /// Standard error, lossily decoded.
    pub stderr: String,
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Wall-clock time the command took.
    pub elapsed: Duration,
    /// The working directory, kept alive for inspection.
    pub dir: TempDir,
}

impl Output {
    pub fn context(&self) -> String {
        format!(
            "\n--- exit code: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.stdout, self.stderr
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

    /// The contents of a file in the working directory.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path))
            .unwrap_or_else(|e| panic!("read {path}: {e}"))
    }
}

// ---------------------------------------------------------------------------
// A working directory that lives across several runs.

/// A temporary working directory in which several commands run one after
/// the other (the `Test` runner gives every run a fresh directory), with the
/// same clean environment as `Test`.
pub struct Folder {
    pub dir: tempfile::TempDir,
}

/// What one run in a folder printed.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stdout_bytes: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn context(&self) -> String {
        format!(
            "\n--- exit code: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// The exit code, and nothing on standard error.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code{}",
            self.context()
        );
        assert!(self.stderr.is_empty(), "stderr not empty{}", self.context());
        self
    }

    #[track_caller]
    pub fn has(&self, s: &str) -> &Self {
        assert!(
            self.stdout.contains(s),
            "stdout lacks {s:?}{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, s: &str) -> &Self {
        assert!(
            !self.stdout.contains(s),
            "stdout has {s:?}{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}{}", self.context()))
    }

    /// Exit 0 and nothing on standard error.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, Some(0), "expected success{}", self.context());
        assert!(self.stderr.is_empty(), "stderr not empty{}", self.context());
        self
    }

    #[track_caller]
    pub fn stderr_contains(&self, s: &str) -> &Self {
        assert!(
            self.stderr.contains(s),
            "stderr lacks {s:?}{}",
            self.context()
        );
        self
    }

    /// Exit 2, nothing on standard output, `error: ` on standard error.
    #[track_caller]
    pub fn fails(&self) -> &Self {
        assert_eq!(self.code, Some(2), "expected exit 2{}", self.context());
        assert!(self.stdout.is_empty(), "stdout not empty{}", self.context());
        assert!(
            self.stderr.starts_with("error: "),
            "stderr lacks `error: `{}",
            self.context()
        );
        self
    }
}

impl Folder {
    pub fn new() -> Self {
        Folder {
            dir: tempfile::Builder::new()
                .prefix("statewise")
                .tempdir()
                .expect("tempdir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let full = self.path(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::fs::write(&full, contents).expect("write file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

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

    /// Every file and folder under the folder with its text (folders end
    /// in `/` and have none): compare two to show nothing was written.
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
        walk(self.dir.path(), self.dir.path(), &mut out);
        out
    }

    /// `statewise ARGS` in the folder, not yet started.
    pub fn command<S: AsRef<str>>(&self, args: &[S]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.args(args.iter().map(AsRef::as_ref))
            .current_dir(self.dir.path())
            .env_clear()
            .env("NO_COLOR", "1")
            .env("COLUMNS", "120")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd
    }

    pub fn run<S: AsRef<str>>(&self, args: &[S]) -> Run {
        self.run_with(args, None)
    }

    /// Like [`Folder::run`], with `stdin` written to standard input.
    pub fn run_with<S: AsRef<str>>(&self, args: &[S], stdin: Option<&str>) -> Run {
        let mut cmd = self.command(args);
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().expect("run statewise");
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes()).expect("write stdin");
        }
        let out = child.wait_with_output().expect("wait for statewise");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stdout_bytes: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}
