//! Diagrams that render (issue 13, point 8): the Mermaid diagram of every
//! record statewise writes is rendered by the real renderer, mermaid-cli
//! (`mmdc`) in headless Chromium, and each component must come out as a
//! node whose label reads its name.
//!
//! The diagrams come from both templates of every spec in `examples/` and
//! in `tests/diagrams/` (hostile names full of Mermaid syntax; drop a spec
//! there to have its diagram rendered too).
//!
//! All the diagrams of a test go to one `mmdc` run (a Markdown file with
//! one block per diagram, one SVG out per block), since starting Chromium
//! costs seconds; both templates write the same diagram, which is checked
//! in each record and rendered once.
//!
//! The renderer: `.ci/run` installs Debian's `chromium` and the
//! mermaid-cli pinned in `tests/mermaid/package-lock.json` (with `npm ci`,
//! outside the repository), and always sets `STATEWISE_MMDC` (the `mmdc`
//! script) and `STATEWISE_PUPPETEER_CONFIG` (default
//! `tests/mermaid/puppeteer-config.json`: `/usr/bin/chromium`, no sandbox),
//! so CI never skips. With `STATEWISE_MMDC` set, a missing tool or a
//! diagram that fails fails the test. Without it, the rendering tests print
//! a `SKIPPED` line on standard error and pass, unless `CI` is set, where
//! they fail: run `bash .ci/run` to get the tools.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::util::{Test, examples, repo};

/// The date every record here is written with.
const DATE: &str = "2026-11-28";

/// Both built-in templates carry the diagram.
const TEMPLATES: [&str; 2] = ["madr", "nygard"];

/// How long one `mmdc` run may take, Chromium's start included.
const MMDC_TIMEOUT: Duration = Duration::from_secs(600);

// ---------------------------------------------------------------------------
// The renderer.

/// Where `mmdc` and its Puppeteer configuration are.
struct Renderer {
    mmdc: PathBuf,
    config: PathBuf,
}

/// The renderer named by `STATEWISE_MMDC`, or `None` after printing a skip
/// line when it is unset outside CI. A set variable naming nothing, or an
/// unset one under CI, fails the test.
fn renderer(test: &str) -> Option<Renderer> {
    let Some(mmdc) = std::env::var_os("STATEWISE_MMDC").filter(|v| !v.is_empty()) else {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "CI is set but STATEWISE_MMDC is not: diagrams must be rendered in CI; \
             run `bash .ci/run`, which installs mermaid-cli and Chromium and sets it"
        );
        // Straight to the process's stderr, past the test harness's capture,
        // so the skip shows in a plain `cargo test`.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED diagrams::{test}: STATEWISE_MMDC is not set, so no Mermaid diagram \
             was rendered; `bash .ci/run` installs mermaid-cli and Chromium and runs it"
        );
        return None;
    };
    let mmdc = PathBuf::from(mmdc);
    let config = std::env::var_os("STATEWISE_PUPPETEER_CONFIG")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || repo().join("tests/mermaid/puppeteer-config.json"),
            PathBuf::from,
        );
    assert!(
        mmdc.is_file(),
        "STATEWISE_MMDC={} is not a file: run `bash .ci/run` to install mermaid-cli",
        mmdc.display()
    );
    assert!(
        config.is_file(),
        "the Puppeteer configuration {} is not a file (STATEWISE_PUPPETEER_CONFIG)",
        config.display()
    );
    Some(Renderer { mmdc, config })
}

/// One diagram to render: where it comes from, its Mermaid text, and the
/// names that must each be the label of a node.
#[derive(Clone, Debug)]
struct Diagram {
    source: String,
    text: String,
    names: Vec<String>,
}

impl Renderer {
    /// Renders every diagram: each result is the SVG's text or why there is
    /// none. A text met twice (both templates write the same diagram) is
    /// rendered once.
    fn render(&self, diagrams: &[Diagram]) -> Vec<Result<String, String>> {
        let mut unique: Vec<&Diagram> = Vec::new();
        for d in diagrams {
            if !unique.iter().any(|u| u.text == d.text) {
                unique.push(d);
            }
        }
        let results = self.render_all(&unique);
        diagrams
            .iter()
            .map(|d| {
                let i = unique.iter().position(|u| u.text == d.text);
                results[i.expect("every text is rendered")].clone()
            })
            .collect()
    }

    /// Renders the diagrams in as few `mmdc` runs as it can: one for all,
    /// plus one more after each diagram that fails. `mmdc -j 1` renders the
    /// blocks of a Markdown file in order and stops at the first that fails,
    /// so the first missing SVG is the one that failed, and the run resumes
    /// after it.
    fn render_all(&self, diagrams: &[&Diagram]) -> Vec<Result<String, String>> {
        let mut results = Vec::with_capacity(diagrams.len());
        while results.len() < diagrams.len() {
            let batch = &diagrams[results.len()..];
            let mut md = String::new();
            for d in batch {
                // mmdc ends a block at the first line ending in three of
                // `` ` `` and `:`; such a line would cut the diagram short.
                let cut = d.text.lines().find(|l| {
                    let t = l.trim_end().as_bytes();
                    t.len() >= 3 && t[t.len() - 3..].iter().all(|b| b"`:".contains(b))
                });
                assert!(
                    cut.is_none(),
                    "{}: the line {cut:?} would end its Markdown block early:\n{}",
                    d.source,
                    d.text
                );
                md.push_str(&format!("{}\n\n```mermaid\n{}```\n\n", d.source, d.text));
            }
            let out = Test::shell(r#""$MMDC" -q -j 1 -p "$CONFIG" -i diagrams.md -o out.md"#)
                .env("MMDC", self.mmdc.to_str().expect("mmdc path is UTF-8"))
                .env(
                    "CONFIG",
                    self.config.to_str().expect("config path is UTF-8"),
                )
                .file("diagrams.md", &md)
                .timeout(MMDC_TIMEOUT)
                .run();
            let svg = |n: usize| std::fs::read_to_string(out.folder.path(&format!("out-{n}.svg")));
            let rendered: Vec<String> = (1..=batch.len()).map_while(|n| svg(n).ok()).collect();
            if out.code == Some(0) {
                assert_eq!(
                    rendered.len(),
                    batch.len(),
                    "mmdc succeeded but wrote {} SVGs for {} diagrams{}",
                    rendered.len(),
                    batch.len(),
                    out.context()
                );
                assert!(
                    svg(batch.len() + 1).is_err(),
                    "mmdc found more diagrams than were written{}",
                    out.context()
                );
            } else {
                assert!(
                    rendered.len() < batch.len(),
                    "mmdc failed but wrote every SVG{}",
                    out.context()
                );
            }
            let failed = (out.code != Some(0)).then(|| format!("mmdc failed{}", out.context()));
            results.extend(rendered.into_iter().map(Ok));
            results.extend(failed.map(Err));
        }
        results
    }

    /// Renders and checks every diagram (see [`problems`]).
    fn problems(&self, diagrams: &[Diagram]) -> Vec<String> {
        problems(diagrams, &self.render(diagrams))
    }
}

/// One line of trouble per diagram that failed to render or lacks a node,
/// with its Mermaid text, given what [`Renderer::render`] made of them.
fn problems(diagrams: &[Diagram], results: &[Result<String, String>]) -> Vec<String> {
    diagrams
        .iter()
        .zip(results)
        .filter_map(|(d, r)| {
            let why = match r {
                Ok(svg) => check_nodes(svg, &d.names).err()?,
                Err(e) => e.clone(),
            };
            Some(format!(
                "{}: {why}\n--- mermaid:\n{}",
                d.source,
                d.text.trim_end()
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Reading records and SVGs.

/// The text of every ```` ```mermaid ```` block of a record.
fn mermaid_blocks(record: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in record.lines() {
        match current.as_mut() {
            None if line == "```mermaid" => current = Some(String::new()),
            None => {}
            Some(_) if line == "```" => blocks.extend(current.take()),
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    assert!(
        current.is_none(),
        "a mermaid block is not closed:\n{record}"
    );
    blocks
}

/// The component names of a spec, in order.
fn component_names(spec: &str) -> Vec<String> {
    let v: serde_yaml::Value = serde_yaml::from_str(spec).expect("spec is YAML");
    v["components"]
        .as_sequence()
        .expect("components")
        .iter()
        .map(|c| c["name"].as_str().expect("component name").to_owned())
        .collect()
}

/// The diagrams of the records of `spec` (the file at `path`), one per
/// template, each checked to be the record's only diagram.
fn diagrams_of(path: &Path, label: &str, spec: &str) -> Vec<Diagram> {
    let names = component_names(spec);
    TEMPLATES
        .iter()
        .map(|template| {
            let out = Test::new()
                .arg("adr")
                .arg(path)
                .args(["--template", template, "--stdout", "--date", DATE])
                .run();
            out.success();
            let blocks = mermaid_blocks(&out.stdout);
            assert_eq!(
                blocks.len(),
                1,
                "{label} ({template}): one diagram per record{}",
                out.context()
            );
            Diagram {
                source: format!("{label} ({template})"),
                text: blocks.into_iter().next().expect("one block"),
                names: names.clone(),
            }
        })
        .collect()
}

/// The specs of a folder, sorted: (path, text).
fn specs_in(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("spec is UTF-8");
            (p, text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no specs in {}", dir.display());
    files
}

/// `path` relative to the repository, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Text with XML's and HTML's character references decoded.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                r => r
                    .strip_prefix("#x")
                    .or_else(|| r.strip_prefix("#X"))
                    .map_or_else(
                        || r.strip_prefix('#').and_then(|d| d.parse().ok()),
                        |h| u32::from_str_radix(h, 16).ok(),
                    )
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of an SVG fragment: tags dropped (`<br>` as a newline),
/// character references decoded.
fn text_of(fragment: &str) -> String {
    let mut out = String::new();
    let mut rest = fragment;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        if rest[at..end].starts_with("<br") {
            out.push('\n');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    unescape(&out)
}

/// The label of every node of a rendered flowchart, as it reads: the text
/// of the first `nodeLabel` inside each `<g class="node ...">`.
fn node_labels(svg: &str) -> Vec<String> {
    svg.split(r#"<g class="node "#)
        .skip(1)
        .filter_map(|node| {
            let node = node.split(r#"<g class="node "#).next()?;
            let label = &node[node.find(r#"class="nodeLabel""#)?..];
            let label = &label[label.find('>')? + 1..];
            Some(text_of(&label[..span_end(label)?]))
        })
        .collect()
}

/// Where the `<span>` whose content starts `html` ends: its `</span>`, past
/// the spans inside it (`mermaid_label` puts empty ones in a name).
fn span_end(html: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let close = at + html[at..].find("</span>")?;
        match html[at..close].find("<span") {
            Some(open) => {
                depth += 1;
                at += open + 1;
            }
            None if depth == 0 => return Some(close),
            None => {
                depth -= 1;
                at = close + 1;
            }
        }
    }
}

/// Every name is the first line of the label of a node of its own (the
/// second line names the verdict; Mermaid trims a line's ends, so they are
/// compared trimmed).
fn check_nodes(svg: &str, names: &[String]) -> Result<(), String> {
    let labels = node_labels(svg);
    let mut unused: Vec<&str> = labels
        .iter()
        .map(|l| l.split('\n').next().unwrap_or_default().trim())
        .collect();
    let mut missing = Vec::new();
    for name in names {
        match unused.iter().position(|l| *l == name.trim()) {
            Some(i) => {
                unused.remove(i);
            }
            None => missing.push(name.as_str()),
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "no node reads {missing:?}; the nodes read {labels:?}"
        ))
    }
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn every_diagram_of_every_example_and_test_spec_renders_with_a_node_per_component() {
    let Some(renderer) = renderer("every_diagram") else {
        return;
    };
    let mut diagrams = Vec::new();
    for (file, text) in examples() {
        let path = repo().join("examples").join(&file);
        diagrams.extend(diagrams_of(&path, &format!("examples/{file}"), &text));
    }
    for (path, text) in specs_in(&repo().join("tests/diagrams")) {
        diagrams.extend(diagrams_of(&path, &shown(&path), &text));
    }
    let problems = renderer.problems(&diagrams);
    assert!(
        problems.is_empty(),
        "{} of {} diagrams did not render as written:\n\n{}",
        problems.len(),
        diagrams.len(),
        problems.join("\n\n")
    );
    let sources: BTreeSet<&str> = diagrams.iter().map(|d| d.source.as_str()).collect();
    assert_eq!(sources.len(), diagrams.len(), "a diagram was counted twice");
}

#[test]
fn a_broken_diagram_fails_and_the_ones_around_it_still_render() {
    let Some(renderer) = renderer("a_broken_diagram") else {
        return;
    };
    let diagram = |source: &str, text: &str, names: &[&str]| Diagram {
        source: source.to_owned(),
        text: text.to_owned(),
        names: names.iter().map(|&n| n.to_owned()).collect(),
    };
    let good = "flowchart LR\n    c0[\"a #quot;b#quot; #lt;c#gt;\"]\n    c1[\"d\"]\n";
    let diagrams = [
        diagram("good", good, &["a \"b\" <c>", "d"]),
        diagram("broken", "flowchart LR\n    c0[\"a\"]] --> (((\n", &["a"]),
        diagram(
            "missing node",
            &format!("{good}    c2[\"f\"]\n"),
            &["a \"b\" <c>", "d", "e"],
        ),
    ];
    let results = renderer.render(&diagrams);
    assert_eq!(results.len(), 3);
    let svg = results[0].as_ref().expect("the first diagram renders");
    assert_eq!(check_nodes(svg, &diagrams[0].names), Ok(()));
    let error = results[1].as_ref().expect_err("the broken diagram fails");
    assert!(error.contains("Parse error"), "{error}");
    let svg = results[2].as_ref().expect("the third diagram renders");
    let missing = check_nodes(svg, &diagrams[2].names).expect_err("no node `e`");
    assert!(missing.contains(r#"no node reads ["e"]"#), "{missing}");
    let problems = problems(&diagrams, &results);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("broken: mmdc failed"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].starts_with("missing node: no node"),
        "{}",
        problems[1]
    );
}

#[test]
fn node_labels_are_read_as_the_browser_shows_them() {
    let svg = concat!(
        r#"<g class="cluster-label"><span class="nodeLabel"><p>Stateless</p></span></g>"#,
        r#"<g class="node default" id="my-svg-flowchart-c0-1"><rect/><g class="label">"#,
        r#"<foreignObject><div><span class="nodeLabel"><p>a "b" &lt;c&gt; &amp;#60; &#x1F680;</p>"#,
        r#"</span></div></foreignObject></g></g>"#,
        r#"<g class="node default" id="my-svg-flowchart-c1-2"><g class="label"><span "#,
        r#"class="nodeLabel"><p>one<br />two <i class="fa fa-car"></i></p></span></g></g>"#,
        r#"<g class="node default" id="my-svg-flowchart-c2-3"><g class="label"><span "#,
        r#"class="nodeLabel"><p>a\<span></span>n <span>fa:<span></span>fa-x</span></p>"#,
        r#"</span><span class="nodeLabel">second</span></g></g>"#,
    );
    assert_eq!(
        node_labels(svg),
        ["a \"b\" <c> &#60; 🚀", "one\ntwo ", "a\\n fa:fa-x"]
    );
    let names = |n: &[&str]| n.iter().map(|&s| s.to_owned()).collect::<Vec<_>>();
    assert_eq!(check_nodes(svg, &names(&["a \"b\" <c> &#60; 🚀"])), Ok(()));
    assert!(check_nodes(svg, &names(&["Stateless"])).is_err());
    assert!(check_nodes(svg, &names(&["one two"])).is_err());
    assert_eq!(
        mermaid_blocks("x\n```mermaid\nflowchart LR\n```\ny\n```mermaid\na\nb\n```\n"),
        ["flowchart LR\n", "a\nb\n"]
    );
}

#[test]
fn the_graph_of_a_decision_log_renders_with_a_node_per_record() {
    let Some(renderer) = renderer("the_graph_of_a_decision_log_renders_with_a_node_per_record")
    else {
        return;
    };
    let folder = crate::util::Folder::new();
    let spec = repo().join("examples/chat-platform.yaml");
    let spec = spec.to_str().expect("UTF-8 path");
    let titles = [
        "Use Postgres",
        "Keep \"sessions\" <in> Redis #1 & fa:fa-car",
        "State management",
    ];
    for (i, title) in titles.iter().enumerate() {
        let status = if i == 0 { "accepted" } else { "proposed" };
        folder
            .run(&[
                "adr", spec, "--new", "--date", DATE, "--title", title, "--status", status,
            ])
            .success();
    }
    folder
        .run(&[
            "adr",
            spec,
            "--date",
            DATE,
            "--supersedes",
            "1",
            "--title",
            "Use Cockroach",
        ])
        .success();
    folder.run(&["adr", "link", "3", "Amends", "2"]).success();
    folder.run(&["adr", "status", "2", "rejected"]).success();
    let run = folder.run(&["adr", "graph"]);
    run.success();
    let names: Vec<String> = titles
        .iter()
        .chain(&["Use Cockroach"])
        .enumerate()
        .map(|(i, t)| format!("{}. {t}", i + 1))
        .collect();
    let diagram = Diagram {
        source: "adr graph".into(),
        text: run.stdout.clone(),
        names,
    };
    let problems = renderer.problems(&[diagram]);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
