//! The layer guard. `src/` is split into layers, top to bottom `cli` (clap,
//! commands, the terminal), `adapters` (records, formats, files) and `core`
//! (spec, rules, engine: no I/O, no clap), and arrows point down only. Rust
//! lets any module name any other, so without this test the split would
//! erode one convenient import at a time.
//!
//! [`violations`] reads the layer order from the fenced ```` ```layers ````
//! block of `ARCHITECTURE.md` (one `name folder` line a layer, top first)
//! and every `src/**/*.rs` through a small lexer that drops comments,
//! strings and chars (and keeps lifetimes apart from chars). It reports:
//! files outside every layer folder; `crate::` paths from a layer that name a
//! crate-root item instead of going through a layer; imports that point up
//! a layer; import circles between files; `clap`/`dialoguer` outside
//! `src/cli/`; and I/O in `src/core/` outside `#[cfg(test)]` items.
//!
//! A file depends on every `crate::`, `self::` and `super::` path in it (use
//! trees expanded, inline paths too) and, in `use` items, on paths that start
//! at a child module. A path resolves to the last module it walks through
//! from `src/`: a file `x.rs` itself; a folder `x/mod.rs` when an item (or a
//! glob) follows, else every file under `x/`. `mod x;` lines are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The only folder that may name clap or dialoguer, and the one that does no I/O.
const CLI: &str = "src/cli/";
const CORE: &str = "src/core/";
const UI_CRATES: [&str; 4] = ["clap", "clap_complete", "clap_mangen", "dialoguer"];
const IO_MODULES: [&str; 4] = ["fs", "env", "process", "net"];
const IO_NAMES: [&str; 6] = [
    "stdin",
    "stdout",
    "stderr",
    "SystemTime",
    "Instant",
    "OpenOptions",
];
const PRINTS: [&str; 4] = ["println", "eprintln", "print", "eprint"];

/// A token of code: an identifier, `::` or one punctuation character.
#[derive(Clone, Debug)]
struct Tok {
    text: String,
    line: usize,
}

/// Edges between files (paths from `root`): the first line and path text
/// that makes each.
type Edges = BTreeMap<(String, String), (usize, String)>;

/// One line per breach of the layer rules in the tree at `root`.
pub fn violations(root: &Path) -> Vec<String> {
    check(root).0
}

/// The violations, and the edges between files they were found on.
fn check(root: &Path) -> (Vec<String>, Edges) {
    let mut out = Vec::new();
    let layers = layers(root, &mut out);
    let mut files = BTreeMap::new();
    collect(&root.join("src"), "src/", &mut files, &mut out);
    let names: BTreeSet<String> = files.keys().cloned().collect();
    let layer_of = |f: &str| {
        layers
            .iter()
            .position(|(_, dir)| f.starts_with(dir.as_str()))
    };
    let tops: Vec<&str> = layers
        .iter()
        .filter_map(|(_, d)| d.strip_prefix("src/")?.split('/').next())
        .collect();
    let mut edges = Edges::new();
    for (file, text) in &files {
        let toks = lex(text);
        let layer = layer_of(file);
        if layer.is_none() && file != "src/lib.rs" && file != "src/main.rs" {
            out.push(format!("{file} lies outside every layer folder"));
        }
        for (line, path, abs) in deps(&toks, &module_of(file), &names) {
            if layer.is_some() && abs.first().is_some_and(|top| !tops.contains(&top.as_str())) {
                out.push(format!(
                    "{file}:{line}: `{path}` names a crate-root item; import it from its layer"
                ));
                continue;
            }
            for to in resolve(&names, &abs).into_iter().filter(|to| to != file) {
                edges
                    .entry((file.clone(), to))
                    .or_insert_with(|| (line, path.clone()));
            }
        }
        if !file.starts_with(CLI) {
            let ui = toks.iter().filter(|t| UI_CRATES.contains(&t.text.as_str()));
            for (line, name) in ui.map(|t| (t.line, &t.text)).collect::<BTreeSet<_>>() {
                out.push(format!("{file}:{line}: `{name}` belongs in {CLI} only"));
            }
        }
        if file.starts_with(CORE) {
            for (line, what) in io_uses(&toks) {
                out.push(format!(
                    "{file}:{line}: `{what}` is I/O; {CORE} does none outside #[cfg(test)]"
                ));
            }
        }
    }
    for ((from, to), (line, path)) in &edges {
        if let (Some(a), Some(b)) = (layer_of(from), layer_of(to))
            && b < a
        {
            let (up, down) = (&layers[b].0, &layers[a].0);
            out.push(format!(
                "{from}:{line}: `{path}` imports {to} upward ({down} → {up})"
            ));
        }
    }
    out.extend(circles(&edges));
    (out, edges)
}

/// The layers as (name, folder ending in `/`), top first.
fn layers(root: &Path, out: &mut Vec<String>) -> Vec<(String, String)> {
    let text = match fs::read_to_string(root.join("ARCHITECTURE.md")) {
        Ok(text) => text,
        Err(e) => {
            out.push(format!(
                "ARCHITECTURE.md: cannot read it ({e}); its ```layers block gives the layer order"
            ));
            return Vec::new();
        }
    };
    // Lines after the opening ```` ```layers ```` fence, up to the closing one.
    let (mut found, mut inside, mut layers) = (false, false, Vec::new());
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if !inside {
            inside = line
                .strip_prefix("```")
                .and_then(|info| info.split_whitespace().next())
                == Some("layers");
            found |= inside;
            continue;
        }
        if line.starts_with("```") {
            break;
        }
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            [] => {}
            [name, dir] => {
                layers.push((name.to_string(), format!("{}/", dir.trim_end_matches('/'))))
            }
            _ => out.push(format!(
                "ARCHITECTURE.md:{}: a layer line is `name folder`, not `{line}`",
                n + 1
            )),
        }
    }
    if !found {
        out.push("ARCHITECTURE.md has no ```layers block giving the layer order".into());
    } else if layers.is_empty() {
        out.push("ARCHITECTURE.md: the ```layers block names no layer".into());
    }
    layers
}

/// Reads every `.rs` file under `dir` into `files`, keyed by its path from
/// the root (`rel` is `dir`'s, ending in `/`).
fn collect(dir: &Path, rel: &str, files: &mut BTreeMap<String, String>, out: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return out.push(format!("{rel}: cannot list it: {e}")),
    };
    for entry in entries.flatten() {
        let (path, rel) = (
            entry.path(),
            format!("{rel}{}", entry.file_name().to_string_lossy()),
        );
        if path.is_dir() {
            collect(&path, &format!("{rel}/"), files, out);
        } else if rel.ends_with(".rs") {
            match fs::read_to_string(&path) {
                Ok(text) => drop(files.insert(rel, text)),
                Err(e) => out.push(format!("{rel}: cannot read it: {e}")),
            }
        }
    }
}

/// The module a file is: `src/core/spec/mod.rs` and `src/core/spec.rs` are
/// `[core, spec]`; the crate roots are `[]`.
fn module_of(file: &str) -> Vec<String> {
    let path = file.trim_start_matches("src/").trim_end_matches(".rs");
    let mut module: Vec<String> = path.split('/').map(String::from).collect();
    if module.last().is_some_and(|m| m == "mod") || path == "lib" || path == "main" {
        module.pop();
    }
    module
}

fn ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident(s: &str) -> bool {
    s.starts_with(ident_start)
}

/// Splits Rust source into identifiers and punctuation, dropping comments
/// (nested ones too), string, byte, raw and char literals, lifetimes and
/// numbers. Raw identifiers keep their `r#`; `$crate` becomes `crate`.
fn lex(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let word_end = |mut k: usize| {
        while at(k).is_alphanumeric() || at(k) == '_' {
            k += 1;
        }
        k
    };
    let (mut toks, mut i, mut line) = (Vec::new(), 0, 1);
    while i < c.len() {
        let (ch, start) = (c[i], line);
        let mut text = None;
        if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                let pair = (c[i], at(i + 1));
                i += if pair == ('/', '*') || pair == ('*', '/') {
                    2
                } else {
                    1
                };
                match pair {
                    ('/', '*') => depth += 1,
                    ('*', '/') if depth == 1 => break,
                    ('*', '/') => depth -= 1,
                    ('\n', _) => line += 1,
                    _ => {}
                }
            }
        } else if ch == '"' {
            i = skip_quoted(&c, i, &mut line);
        } else if ch == '\'' {
            // `'x'` and `'\n'` are chars; `'a` and `'static` are lifetimes.
            i = if at(i + 1) == '\\' || at(i + 2) == '\'' {
                skip_quoted(&c, i, &mut line)
            } else {
                word_end(i + 1)
            };
        } else if ch.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || (at(i) == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
        } else if ident_start(ch) {
            let end = word_end(i);
            let word: String = c[i..end].iter().collect();
            let hashes = (end..).take_while(|&k| at(k) == '#').count();
            let prefix = matches!(word.as_str(), "b" | "c" | "r" | "br" | "cr");
            i = if prefix && word.ends_with('r') && at(end + hashes) == '"' {
                skip_raw(&c, end, hashes, &mut line)
            } else if prefix && (at(end) == '"' || (word == "b" && at(end) == '\'')) {
                skip_quoted(&c, end, &mut line)
            } else if word == "r" && hashes == 1 && ident_start(at(end + 1)) {
                let raw = word_end(end + 1);
                text = Some(format!("r#{}", c[end + 1..raw].iter().collect::<String>()));
                raw
            } else {
                text = Some(word);
                end
            };
        } else if ch == '$' && ident_start(at(i + 1)) {
            let end = word_end(i + 1);
            let word: String = c[i..end].iter().collect();
            text = Some(if word == "$crate" {
                "crate".into()
            } else {
                word
            });
            i = end;
        } else if ch == ':' && at(i + 1) == ':' {
            (text, i) = (Some("::".into()), i + 2);
        } else {
            line += usize::from(ch == '\n');
            (text, i) = ((!ch.is_whitespace()).then(|| ch.to_string()), i + 1);
        }
        toks.extend(text.map(|text| Tok { text, line: start }));
    }
    toks
}

/// Skips the quoted literal opening at `c[i]`, escapes included.
fn skip_quoted(c: &[char], mut i: usize, line: &mut usize) -> usize {
    let quote = c[i];
    i += 1;
    while i < c.len() && c[i] != quote {
        *line += usize::from(c[i] == '\n');
        i += if c[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

/// Skips a raw string whose `hashes` and quote start at `c[i]`.
fn skip_raw(c: &[char], i: usize, hashes: usize, line: &mut usize) -> usize {
    let mut k = i + hashes + 1;
    while k < c.len() && !(c[k] == '"' && (1..=hashes).all(|h| c.get(k + h) == Some(&'#'))) {
        *line += usize::from(c[k] == '\n');
        k += 1;
    }
    k + hashes + 1
}

/// Expands the use tree at `toks[i]` under `prefix` into `out` as (segments,
/// line), a trailing `self` dropped; returns the index after the tree.
fn use_tree(
    toks: &[Tok],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    let (mut path, mut segment_next) = (prefix.to_vec(), true);
    while let Some(t) = toks.get(i) {
        match t.text.as_str() {
            "::" => {
                if path.is_empty() {
                    path.push("::".into()); // `use ::extern_crate`
                }
                segment_next = true;
            }
            _ if !segment_next => break,
            "{" => {
                i += 1;
                while let Some(t) = toks.get(i) {
                    match t.text.as_str() {
                        "}" => return i + 1,
                        "," => i += 1,
                        _ => match use_tree(toks, i, &path, out) {
                            next if next == i => return i,
                            next => i = next,
                        },
                    }
                }
                return i;
            }
            s if is_ident(s) || s == "*" => {
                path.push(s.into());
                segment_next = false;
            }
            _ => break,
        }
        i += 1;
    }
    if toks.get(i).is_some_and(|t| t.text == "as") {
        i += 2;
    }
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    if !path.is_empty() {
        out.push((path, toks.get(i.saturating_sub(1)).map_or(0, |t| t.line)));
    }
    i
}

/// The paths a file depends on, as (line, text, absolute segments from the
/// crate root); `module` is the file's, `files` every file of the tree.
fn deps(
    toks: &[Tok],
    module: &[String],
    files: &BTreeSet<String>,
) -> Vec<(usize, String, Vec<String>)> {
    let text = |k: usize| toks.get(k).map_or("", |t| t.text.as_str());
    // `here` is the module at `toks[i]`: the file's, then inline `mod x {`
    // blocks, each closing when the brace depth drops back to `opened`'s.
    let (mut here, mut opened, mut depth) = (module.to_vec(), Vec::new(), 0_usize);
    let (mut out, mut i) = (Vec::new(), 0);
    while let Some(t) = toks.get(i) {
        let mut found = Vec::new();
        match t.text.as_str() {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if opened.last() == Some(&depth) {
                    opened.pop();
                    here.pop();
                }
            }
            "mod" if text(i + 2) == "{" => {
                here.push(text(i + 1).to_string());
                opened.push(depth);
            }
            "use" if text(i + 1) != "<" => {
                let mut paths = Vec::new();
                i = use_tree(toks, i + 1, &[], &mut paths) - 1;
                found = paths
                    .into_iter()
                    .filter(|(p, _)| {
                        matches!(p[0].as_str(), "crate" | "self" | "super")
                            || is_module(files, &here, &p[0])
                    })
                    .collect();
            }
            // An inline path, but not the `crate::x` of `pub(in crate::x)`.
            "crate" | "self" | "super"
                if text(i + 1) == "::"
                    && (text(i.wrapping_sub(2)), text(i.wrapping_sub(1))) != ("(", "in") =>
            {
                let mut path = vec![t.text.clone()];
                while text(i + 1) == "::" && is_ident(text(i + 2)) {
                    path.push(text(i + 2).to_string());
                    i += 2;
                }
                found.push((path, t.line));
            }
            _ => {}
        }
        for (path, line) in found {
            if let Some(abs) = absolute(&path, &here) {
                out.push((line, path.join("::"), abs));
            }
        }
        i += 1;
    }
    out
}

/// `path` from the crate root, seen from module `here`; `None` if it leaves
/// the crate or climbs above its root.
fn absolute(path: &[String], here: &[String]) -> Option<Vec<String>> {
    let supers = path.iter().take_while(|s| *s == "super").count();
    let (base, rest) = match path[0].as_str() {
        "crate" => (&[][..], &path[1..]),
        "self" => (here, &path[1..]),
        "super" => (
            here.get(..here.len().checked_sub(supers)?)?,
            &path[supers..],
        ),
        _ => (here, path),
    };
    Some(base.iter().chain(rest).cloned().collect())
}

/// Whether module `parent` has a child module `name` in a file.
fn is_module(files: &BTreeSet<String>, parent: &[String], name: &str) -> bool {
    let dir: String = parent.iter().map(|m| format!("{m}/")).collect();
    files.contains(&format!("src/{dir}{name}.rs"))
        || files.contains(&format!("src/{dir}{name}/mod.rs"))
}

/// The files an absolute path leads to: the file of the last module it
/// walks through; for a folder module, its `mod.rs` if an item follows, else
/// every file under the folder.
fn resolve(files: &BTreeSet<String>, abs: &[String]) -> Vec<String> {
    let (mut dir, mut last, mut used) = (String::from("src/"), None, 0);
    for segment in abs {
        let (file, folder) = (
            format!("{dir}{segment}.rs"),
            format!("{dir}{segment}/mod.rs"),
        );
        match (files.contains(&file), files.contains(&folder)) {
            (true, _) => last = Some((file, false)),
            (_, true) => last = Some((folder, true)),
            _ => break,
        }
        dir = format!("{dir}{segment}/");
        used += 1;
    }
    match last {
        None => Vec::new(),
        Some((_, true)) if used == abs.len() => files
            .iter()
            .filter(|f| f.starts_with(&dir))
            .cloned()
            .collect(),
        Some((file, _)) => vec![file],
    }
}

/// The tokens outside `#[cfg(test)]` items: the attribute, any attributes
/// after it and the item up to its `;` or the brace closing its body.
fn without_test_items(toks: &[Tok]) -> Vec<Tok> {
    const CFG_TEST: [&str; 7] = ["#", "[", "cfg", "(", "test", ")", "]"];
    let (mut kept, mut i) = (Vec::new(), 0);
    while i < toks.len() {
        if !toks[i..]
            .iter()
            .take(7)
            .map(|t| t.text.as_str())
            .eq(CFG_TEST)
        {
            kept.push(toks[i].clone());
            i += 1;
            continue;
        }
        let (mut depth, mut end) = (0, i + 7);
        while let Some(t) = toks.get(end) {
            end += 1;
            match (t.text.as_str(), depth) {
                (")" | "]" | "}", 0) => {
                    end -= 1; // the enclosing block closes: the item had no `;`
                    break;
                }
                ("(" | "[" | "{", _) => depth += 1,
                ("}", 1) | (";", 0) => break,
                (")" | "]" | "}", _) => depth -= 1,
                _ => {}
            }
        }
        i = end;
    }
    kept
}

/// The I/O core may not do, as (line, what), outside `#[cfg(test)]` items.
fn io_uses(toks: &[Tok]) -> BTreeSet<(usize, String)> {
    let toks = without_test_items(toks);
    let text = |k: usize| toks.get(k).map_or("", |t| t.text.as_str());
    let mut hits = BTreeSet::new();
    for (i, t) in toks.iter().enumerate() {
        let s = t.text.as_str();
        if s == "use" {
            let mut paths = Vec::new();
            use_tree(&toks, i + 1, &[], &mut paths);
            for (path, line) in paths {
                if let [std, module, ..] = &path[usize::from(path[0] == "::")..]
                    && std == "std"
                    && IO_MODULES.contains(&module.as_str())
                {
                    hits.insert((line, format!("std::{module}")));
                }
            }
        }
        let hit = match s {
            "std" if text(i + 1) == "::" && IO_MODULES.contains(&text(i + 2)) => {
                format!("std::{}", text(i + 2))
            }
            _ if IO_NAMES.contains(&s) => s.to_string(),
            _ if PRINTS.contains(&s) && text(i + 1) == "!" => format!("{s}!"),
            "File" if text(i + 1) == "::" => "File::".into(),
            _ => continue,
        };
        hits.insert((t.line, hit));
    }
    hits
}

/// One line per import circle: a strongly connected component of more than
/// one file (Tarjan), with the path that makes each edge inside it.
fn circles(edges: &Edges) -> Vec<String> {
    let nodes: Vec<&String> = edges
        .keys()
        .flat_map(|(a, b)| [a, b])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |n: &String| nodes.binary_search(&n).unwrap_or_default();
    let mut adj = vec![Vec::new(); nodes.len()];
    for (a, b) in edges.keys() {
        adj[index(a)].push(index(b));
    }
    let mut tarjan = Tarjan {
        adj: &adj,
        index: vec![None; nodes.len()],
        low: vec![0; nodes.len()],
        stack: Vec::new(),
        on_stack: vec![false; nodes.len()],
        next: 0,
        found: Vec::new(),
    };
    for v in 0..nodes.len() {
        if tarjan.index[v].is_none() {
            tarjan.visit(v);
        }
    }
    let mut out = Vec::new();
    for mut scc in tarjan.found.into_iter().filter(|scc| scc.len() > 1) {
        scc.sort_unstable();
        let inside = |f: &String| scc.contains(&index(f));
        let via: Vec<String> = edges
            .iter()
            .filter(|((a, b), _)| inside(a) && inside(b))
            .map(|((a, b), (line, path))| format!("{a}:{line} → {b} via `{path}`"))
            .collect();
        let files: Vec<&str> = scc.iter().map(|&v| nodes[v].as_str()).collect();
        out.push(format!(
            "import circle between {}: {}",
            files.join(", "),
            via.join("; ")
        ));
    }
    out
}

struct Tarjan<'a> {
    adj: &'a [Vec<usize>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    stack: Vec<usize>,
    on_stack: Vec<bool>,
    next: usize,
    found: Vec<Vec<usize>>,
}

impl Tarjan<'_> {
    fn visit(&mut self, v: usize) {
        (self.index[v], self.low[v]) = (Some(self.next), self.next);
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        let adj = self.adj;
        for &w in &adj[v] {
            match self.index[w] {
                None => {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                }
                Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                Some(_) => {}
            }
        }
        if self.index[v] == Some(self.low[v]) {
            let mut scc = Vec::new();
            while let Some(w) = self.stack.pop() {
                self.on_stack[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            self.found.push(scc);
        }
    }
}

/// The restructured tree in miniature, obeying every rule: files as
/// `--- path` and their lines.
const CLEAN: &str = r#"
--- ARCHITECTURE.md
```layers
cli       src/cli/
adapters  src/adapters/
core      src/core/
```
--- src/lib.rs
mod adapters;
mod cli;
mod core;
pub use crate::core::spec::Spec;
pub fn run() -> i32 { cli::run() }
--- src/main.rs
fn main() { std::process::exit(statewise::run()); }
--- src/cli/mod.rs
use clap::Parser;
use crate::adapters::json;
pub fn run() -> i32 { json::render(); 0 }
--- src/adapters/mod.rs
pub mod json;
--- src/adapters/json.rs
use crate::core::{engine, spec::Spec};
pub fn render() { println!(); }
--- src/core/mod.rs
pub mod engine;
pub mod facts;
pub mod spec;
--- src/core/engine.rs
use super::spec::Spec;
pub fn run(_: &Spec) -> std::io::ErrorKind { std::io::ErrorKind::Other }
--- src/core/facts.rs
pub struct Facts;
--- src/core/spec/mod.rs
pub mod model;
pub mod parse;
pub use model::Spec;
--- src/core/spec/model.rs
pub struct Spec;
--- src/core/spec/parse.rs
use super::model::Spec;
pub fn parse() -> Spec { Spec }
"#;

/// Checks `CLEAN` with the files of `changes` (same form) written over it.
fn check_with(changes: &'static str) -> (Vec<String>, Edges) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let files = |text: &'static str| {
        text.split("\n--- ")
            .skip(1)
            .filter_map(|file| file.split_once('\n'))
    };
    let files: BTreeMap<&str, &str> = files(CLEAN).chain(files(changes)).collect();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a fixture folder");
        fs::write(path, text).expect("a fixture file");
    }
    check(dir.path())
}

/// The edges from `file`, as (target, path text).
fn from<'e>(edges: &'e Edges, file: &str) -> Vec<(&'e str, &'e str)> {
    let from = edges.iter().filter(|((a, _), _)| a == file);
    from.map(|((_, b), (_, path))| (b.as_str(), path.as_str()))
        .collect()
}

#[test]
fn a_clean_tree_has_no_violation() {
    let (violations, edges) = check_with("");
    assert_eq!(violations, Vec::<String>::new());
    assert_eq!(
        from(&edges, "src/cli/mod.rs"),
        [("src/adapters/json.rs", "crate::adapters::json")]
    );
    assert_eq!(
        from(&edges, "src/lib.rs"),
        [("src/core/spec/mod.rs", "crate::core::spec::Spec")]
    );
}

#[test]
fn an_upward_import_is_reported() {
    let (violations, _) = check_with(
        "
--- src/core/facts.rs
pub struct Facts;
fn f() { crate::cli::run(); }
",
    );
    assert_eq!(
        violations,
        ["src/core/facts.rs:2: `crate::cli::run` imports src/cli/mod.rs upward (core → cli)"]
    );
}

#[test]
fn circles_inside_core_are_reported() {
    let (two, _) = check_with(
        "
--- src/core/facts.rs
use crate::core::engine::run;
pub struct Facts;
--- src/core/engine.rs
pub fn run(_: super::facts::Facts) {}
",
    );
    assert_eq!(
        two,
        [
            "import circle between src/core/engine.rs, src/core/facts.rs: \
        src/core/engine.rs:1 → src/core/facts.rs via `super::facts::Facts`; \
        src/core/facts.rs:1 → src/core/engine.rs via `crate::core::engine::run`"
        ]
    );
    let (three, _) = check_with(
        "
--- src/core/spec/model.rs
use super::super::facts;
--- src/core/facts.rs
use crate::core::engine;
",
    );
    assert_eq!(
        three,
        [
            "import circle between src/core/engine.rs, src/core/facts.rs, \
        src/core/spec/mod.rs, src/core/spec/model.rs: \
        src/core/engine.rs:1 → src/core/spec/mod.rs via `super::spec::Spec`; \
        src/core/facts.rs:1 → src/core/engine.rs via `crate::core::engine`; \
        src/core/spec/mod.rs:3 → src/core/spec/model.rs via `model::Spec`; \
        src/core/spec/model.rs:1 → src/core/facts.rs via `super::super::facts`"
        ]
    );
}

#[test]
fn paths_in_comments_strings_and_chars_do_not_count() {
    let (violations, edges) = check_with(
        r###"
--- src/core/engine.rs
// use crate::cli::run;
/* a /* nested */ crate::cli::run() */
/// [`crate::cli::run`] and clap
const A: &str = "crate::cli::run \" crate::cli";
const B: &str = r#"crate::cli "run" "#;
const C: &[u8] = br##"crate::cli"# clap::Parser"##;
const D: [char; 3] = ['\'', '"', '{'];
const E: &[u8] = b"std::fs::read";
fn f<'a>(s: &'a str) -> &'a crate::core::facts::Facts { todo!("{s}") }
"###,
    );
    assert_eq!(violations, Vec::<String>::new());
    assert_eq!(
        from(&edges, "src/core/engine.rs"),
        [("src/core/facts.rs", "crate::core::facts::Facts")]
    );
}

#[test]
fn a_use_group_resolves_to_the_right_files() {
    let (_, edges) = check_with(
        "
--- src/core/engine.rs
use crate::core::{spec::{model::Spec, self}, facts::Facts};
--- src/adapters/json.rs
pub(crate) use crate::core::spec::Spec as S;
",
    );
    let expected = [
        ("src/core/facts.rs", "crate::core::facts::Facts"),
        ("src/core/spec/mod.rs", "crate::core::spec"),
        ("src/core/spec/model.rs", "crate::core::spec::model::Spec"),
        ("src/core/spec/parse.rs", "crate::core::spec"),
    ];
    assert_eq!(from(&edges, "src/core/engine.rs"), expected);
    assert_eq!(
        from(&edges, "src/adapters/json.rs"),
        [("src/core/spec/mod.rs", "crate::core::spec::Spec")]
    );
}

#[test]
fn super_self_and_child_paths_resolve() {
    let (violations, edges) = check_with(
        "
--- src/core/kinds.rs
pub struct Kinds;
--- src/core/spec/model.rs
use super::super::facts::Facts;
fn f() { self::g(); }
#[cfg(test)]
mod tests {
    use super::*;
    use super::super::super::kinds::Kinds;
}
",
    );
    assert_eq!(violations, Vec::<String>::new());
    let expected = [
        ("src/core/facts.rs", "super::super::facts::Facts"),
        ("src/core/kinds.rs", "super::super::super::kinds::Kinds"),
    ];
    assert_eq!(from(&edges, "src/core/spec/model.rs"), expected);
    let expected = [("src/core/spec/model.rs", "model::Spec")];
    assert_eq!(from(&edges, "src/core/spec/mod.rs"), expected);
}

#[test]
fn clap_outside_the_cli_is_reported() {
    let (violations, _) = check_with(
        "
--- src/core/facts.rs
// clap is for the cli
#[derive(clap::ValueEnum)]
pub struct Facts;
",
    );
    assert_eq!(
        violations,
        ["src/core/facts.rs:2: `clap` belongs in src/cli/ only"]
    );
}

#[test]
fn io_in_core_is_reported_outside_cfg_test_items() {
    let (violations, _) = check_with(
        r#"
--- src/core/facts.rs
pub fn f() -> Vec<u8> {
    std::fs::read("x").unwrap_or_default()
}
#[cfg(test)]
mod tests {
    #[test]
    fn t() { std::fs::read("x").ok(); println!("{:?}", std::time::Instant::now()); }
}
pub fn g() -> std::io::Error { std::io::Error::other("no I/O") }
"#,
    );
    assert_eq!(
        violations,
        ["src/core/facts.rs:2: `std::fs` is I/O; src/core/ does none outside #[cfg(test)]"]
    );
    let (violations, _) = check_with(
        "
--- src/core/facts.rs
use std::{env, io::{self, Write}};
fn f() { io::stdout().flush().ok(); }
",
    );
    assert_eq!(
        violations,
        [
            "src/core/facts.rs:1: `std::env` is I/O; src/core/ does none outside #[cfg(test)]",
            "src/core/facts.rs:2: `stdout` is I/O; src/core/ does none outside #[cfg(test)]",
        ]
    );
}

#[test]
fn a_crate_root_path_from_a_layer_is_reported() {
    let (violations, _) = check_with(
        "
--- src/adapters/json.rs
pub fn render(_: crate::Spec) {}
",
    );
    assert_eq!(
        violations,
        ["src/adapters/json.rs:1: `crate::Spec` names a crate-root item; import it from its layer"]
    );
}

#[test]
fn a_missing_or_empty_layers_block_is_reported() {
    let (missing, _) = check_with(
        "
--- ARCHITECTURE.md
```text
cli  src/cli/
```
",
    );
    assert_eq!(
        missing[0],
        "ARCHITECTURE.md has no ```layers block giving the layer order"
    );
    let (empty, _) = check_with("\n--- ARCHITECTURE.md\n```layers\n```\n");
    assert_eq!(
        empty[0],
        "ARCHITECTURE.md: the ```layers block names no layer"
    );
}

#[test]
fn a_file_outside_every_layer_is_reported() {
    let (violations, _) = check_with("\n--- src/util.rs\npub fn f() {}\n");
    assert_eq!(violations, ["src/util.rs lies outside every layer folder"]);
}

/// The real tree. Fails until `src/` is split into its layers.
#[test]
fn the_tree_keeps_its_layers() {
    let violations = violations(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        violations.is_empty(),
        "{} layer violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}
