//! `import --merge SPEC`: the deployment read again into a spec the team
//! has been editing. Works on the spec's text, so its comments, order and
//! hand-written values stay as they are: a value `import` wrote (its
//! comment starts `from `) is refreshed, a value without that comment is
//! the team's and kept; new workloads are appended, and components the
//! files no longer have are reported, never removed.

use crate::core::error::{Error, Result};
use crate::core::import::infer::{Component, Inference};
use crate::core::import::render::{self, Managed};
use crate::core::locate::{cited_source, component_lines};
use crate::core::spec::kinds::Kinds;
use crate::core::spec::model::Spec;

/// The merged spec and what changed.
pub(crate) struct Merged {
    pub(crate) text: String,
    pub(crate) notes: Vec<String>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// True when a line was written by `import`: its comment cites a source
/// as `from FILE:LINE`, or is the note on imported dependencies. A comment
/// of the team's own (`# from our design review`) is no citation.
fn imported(line: &str) -> bool {
    line.split_once(" # from ")
        .is_some_and(|(_, comment)| comment.starts_with("the deployment files"))
        || cited_source(line).is_some()
}

/// Folds `inference` into the spec `existing` (read from `file`).
pub(crate) fn merge(existing: &str, file: &str, inference: &Inference) -> Result<Merged> {
    Spec::from_yaml(existing, file)?;
    let mut lines: Vec<String> = existing.lines().map(str::to_owned).collect();
    let found = component_lines(existing);
    let section = lines
        .iter()
        .position(|l| l.starts_with("components:"))
        .unwrap_or(0);
    let section_end = lines
        .iter()
        .enumerate()
        .skip(section + 1)
        .find(|(_, l)| {
            let t = l.trim_start();
            indent_of(l) == 0 && !t.is_empty() && !t.starts_with('#') && !t.starts_with('-')
        })
        .map_or(lines.len(), |(i, _)| i);
    let mut gone = Vec::new();
    let mut matched = vec![false; inference.components.len()];
    // Blocks are edited from the last, so earlier line numbers stay right.
    for (i, (name, line, _)) in found.iter().enumerate().rev() {
        let start = line - 1;
        let end = found.get(i + 1).map_or(section_end, |(_, l, _)| l - 1);
        let target = inference
            .components
            .iter()
            .position(|c| &c.name == name)
            .or_else(|| {
                inference
                    .components
                    .iter()
                    .position(|c| c.name.to_lowercase() == name.to_lowercase())
            });
        let Some(t) = target else {
            gone.push(format!(
                "`{name}` is in `{file}` but not in the deployment files; kept (remove it if it is gone)"
            ));
            continue;
        };
        matched[t] = true;
        let mut content_end = end;
        while content_end > start + 1 && lines[content_end - 1].trim().is_empty() {
            content_end -= 1;
        }
        let first = &lines[start];
        let rest = first.trim_start().trim_start_matches('-').trim_start();
        if rest.starts_with('{') {
            gone.push(format!(
                "`{name}` is written in flow style (`- {{...}}`); its imported values were not refreshed"
            ));
            continue;
        }
        let key_indent = if rest.is_empty() {
            lines
                .get(start + 1)
                .map_or(indent_of(first) + 2, |l| indent_of(l))
        } else {
            first.len() - rest.len()
        };
        let block = refresh(
            &lines[start..content_end],
            key_indent,
            &inference.components[t],
        );
        lines.splice(start..content_end, block);
    }
    let added: Vec<&Component> = inference
        .components
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(c, _)| c)
        .collect();
    gone.reverse();
    let mut notes = gone;
    let mut text = lines.join("\n");
    text.push('\n');
    if !added.is_empty() {
        let insert_at: usize = {
            // After the last component, before the next top-level key.
            let kept: Vec<&str> = text.lines().collect();
            let end = kept
                .iter()
                .enumerate()
                .skip(section + 1)
                .find(|(_, l)| {
                    let t = l.trim_start();
                    indent_of(l) == 0 && !t.is_empty() && !t.starts_with('#') && !t.starts_with('-')
                })
                .map_or(kept.len(), |(i, _)| i);
            kept[..end].iter().map(|l| l.len() + 1).sum()
        };
        let mut block = String::new();
        for c in &added {
            block.push('\n');
            block.push_str(&render::component(c, Kinds::builtin()));
            notes.push(format!("added `{}` (from {})", c.name, c.at));
        }
        let (head, tail) = text.split_at(insert_at.min(text.len()));
        let head = head.trim_end_matches('\n');
        let tail = tail.to_owned();
        text = format!(
            "{head}\n{block}{}{tail}",
            if tail.is_empty() { "" } else { "\n" }
        );
    }
    Spec::from_yaml(&text, file).map_err(|e| {
        Error::Usage(format!(
            "merging into `{file}` would make it invalid ({e}); import with `-o` to another file and merge by hand"
        ))
    })?;
    Ok(Merged { text, notes })
}

/// One component's lines with the imported values refreshed.
fn refresh(block: &[String], key_indent: usize, c: &Component) -> Vec<String> {
    let mut out: Vec<String> = block.to_vec();
    let pad = " ".repeat(key_indent);
    let lines_of = |field: Managed| -> Vec<String> {
        render::field_lines(c, field)
            .lines()
            .map(|l| format!("{pad}{}", l.trim_start_matches(' ')))
            .collect()
    };
    let at_key = |l: &str, i: usize, key: &str| {
        let body = if i == 0 {
            l.trim_start().trim_start_matches('-').trim_start()
        } else if indent_of(l) == key_indent {
            l.trim_start()
        } else {
            return false;
        };
        body.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
    };
    for field in Managed::ALL {
        let new = lines_of(field);
        let Some(key) = field.key() else {
            // The `# deployed:` lines are import's own: always replaced.
            let first = out
                .iter()
                .position(|l| l.trim_start().starts_with("# deployed: "));
            out.retain(|l| !l.trim_start().starts_with("# deployed: "));
            let at = first.unwrap_or_else(|| 2.min(out.len()));
            out.splice(at..at, new);
            continue;
        };
        match out.iter().enumerate().position(|(i, l)| at_key(l, i, key)) {
            Some(0) => {} // a key on the item's first line is the team's layout
            Some(j) if imported(&out[j]) => {
                let mut stop = j + 1;
                while stop < out.len()
                    && out[stop].trim_start().starts_with("#   ")
                    && out[stop].contains(": from ")
                {
                    stop += 1;
                }
                out.splice(j..stop, new);
            }
            Some(_) => {} // written by the team: kept
            None => {
                let has_value = new.iter().any(|l| !l.trim_start().starts_with('#'));
                if !has_value {
                    continue;
                }
                let question = format!("# {key}: ?");
                let at = out
                    .iter()
                    .position(|l| l.trim_start().starts_with(&question));
                out.retain(|l| !l.trim_start().starts_with(&question));
                let at = at.unwrap_or(out.len());
                out.splice(at..at, new);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::imported;

    #[test]
    fn only_a_cited_source_marks_an_imported_line() {
        assert!(imported(
            "    kind: cache   # from k8s/a.yaml:12: image `redis`"
        ));
        assert!(imported("    kind: cache   # from <stdin>:3"));
        assert!(imported(
            "    depends_on: [a]   # from the deployment files, as below"
        ));
        assert!(!imported("    kind: rest-api   # from our design review"));
        assert!(!imported("    kind: rest-api   # from: 12"));
        assert!(!imported("    kind: rest-api"));
    }
}
