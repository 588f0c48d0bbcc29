//! The imported spec as commented YAML, in the style `init` writes: each
//! inferred value with its source, and what the files cannot say left out
//! with a question.

use crate::core::import::infer::{Component, Inference, Inferred};
use crate::core::spec::kinds::Kinds;
use crate::core::spec::yaml::{flow_scalar, scalar};

/// `indent key: value  # comment`, comments aligned at column 40 as `init`
/// aligns them.
fn line(out: &mut String, indent: &str, key_value: &str, comment: &str) {
    out.push_str(indent);
    out.push_str(key_value);
    if !comment.is_empty() {
        let width = 38usize.saturating_sub(indent.chars().count()).max(1);
        let used = key_value.chars().count();
        out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
        out.push_str(" # ");
        out.push_str(comment);
    }
    out.push('\n');
}

fn source<T>(v: &Inferred<T>) -> String {
    if v.why.is_empty() {
        format!("from {}", v.at)
    } else {
        format!("from {}: {}", v.at, v.why)
    }
}

/// The criteria no deployment file states, each with its question; a
/// criterion the component's kind implies is not asked.
const QUESTIONS: [(&str, &str); 3] = [
    (
        "traffic",
        "how does its load behave? steady | predictable-peaks | unpredictable",
    ),
    ("latency_ms", "what p99 latency must it meet, in ms?"),
    (
        "session",
        "does it need a client's context across requests? none | per-user | per-connection",
    ),
];

/// The spec text for the system `name`, imported from `files`.
pub(crate) fn spec(name: &str, files: &[&str], deploy: &[String], inference: &Inference) -> String {
    let mut out = String::new();
    out.push_str("# statewise spec imported by `statewise import` from:\n");
    for f in files {
        out.push_str(&format!("#   {}\n", one_line(f)));
    }
    out.push_str(
        "# Each value read from those files names its source; what they cannot say is\n\
         # left as a commented question (`?`). Answer what you know, then run\n\
         # `statewise analyze`.\n",
    );
    if !inference.skipped.is_empty() {
        out.push_str("# Not made components (`statewise import --keep-helpers` keeps them):\n");
        for s in &inference.skipped {
            out.push_str(&format!(
                "#   {}: {} (from {})\n",
                one_line(&s.name),
                one_line(&s.reason),
                s.at
            ));
        }
    }
    line(&mut out, "", "version: 1", "spec format version; always 1");
    out.push_str("\nsystem:\n");
    line(
        &mut out,
        "  ",
        &format!("name: {}", scalar(name)),
        "required; rename it as you like",
    );
    if !deploy.is_empty() {
        let paths: Vec<String> = deploy.iter().map(|p| flow_scalar(p)).collect();
        line(
            &mut out,
            "  ",
            &format!("deploy: [{}]", paths.join(", ")),
            "analyze, explain and check read these as evidence",
        );
    }
    out.push_str("\ncomponents:\n");
    let kinds = Kinds::builtin();
    for (i, c) in inference.components.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&component(c, kinds));
    }
    out
}

/// The fields `import` writes and `--merge` refreshes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Managed {
    Deployed,
    Kind,
    DependsOn,
    StateLocation,
    Affinity,
}

impl Managed {
    pub(crate) const ALL: [Managed; 5] = [
        Managed::Deployed,
        Managed::Kind,
        Managed::DependsOn,
        Managed::StateLocation,
        Managed::Affinity,
    ];

    /// The spec key, for the fields that have one.
    pub(crate) fn key(self) -> Option<&'static str> {
        match self {
            Managed::Deployed => None,
            Managed::Kind => Some("kind"),
            Managed::DependsOn => Some("depends_on"),
            Managed::StateLocation => Some("state_location"),
            Managed::Affinity => Some("affinity"),
        }
    }
}

/// The lines `import` writes for `field` of `c`, at the component's key
/// indentation (`    `); empty when the files say nothing (a missing kind
/// is a commented question).
pub(crate) fn field_lines(c: &Component, field: Managed) -> String {
    let mut out = String::new();
    let indent = "    ";
    match field {
        Managed::Deployed => {
            for fact in &c.deployment {
                out.push_str(&format!("{indent}# deployed: {}\n", one_line(fact)));
            }
        }
        Managed::Kind => match &c.kind {
            Some(k) => line(&mut out, indent, &format!("kind: {}", k.value), &source(k)),
            None => line(
                &mut out,
                "    # ",
                "kind: ?",
                "what is it? rest-api, grpc-api, worker, ... (`statewise schema` lists all)",
            ),
        },
        Managed::DependsOn => {
            if !c.depends_on.is_empty() {
                let names: Vec<String> =
                    c.depends_on.iter().map(|d| flow_scalar(&d.value)).collect();
                line(
                    &mut out,
                    indent,
                    &format!("depends_on: [{}]", names.join(", ")),
                    "from the deployment files, as below",
                );
                for d in &c.depends_on {
                    out.push_str(&format!(
                        "{indent}#   {}: {}\n",
                        one_line(&d.value),
                        one_line(&source(d))
                    ));
                }
            }
        }
        Managed::StateLocation => {
            if let Some(s) = &c.state_location {
                line(
                    &mut out,
                    indent,
                    &format!("state_location: {}", s.value),
                    &one_line(&source(s)),
                );
            }
        }
        Managed::Affinity => {
            if let Some(a) = &c.affinity {
                line(
                    &mut out,
                    indent,
                    &format!("affinity: {}", a.value),
                    &one_line(&source(a)),
                );
            }
        }
    }
    out
}

/// One component's item, as `import` writes it.
pub(crate) fn component(c: &Component, kinds: &Kinds) -> String {
    let mut out = String::new();
    line(
        &mut out,
        "  - ",
        &format!("name: {}", scalar(&c.name)),
        &format!("from {}", c.at),
    );
    let indent = "    ";
    line(
        &mut out,
        indent,
        &format!("description: {}", scalar(&c.description)),
        "",
    );
    for field in Managed::ALL {
        out.push_str(&field_lines(c, field));
    }
    let defaults = c.kind.as_ref().map(|k| kinds.defaults(k.value));
    for (field, question) in QUESTIONS {
        let implied = defaults.is_some_and(|d| match field {
            "traffic" => d.traffic.is_some(),
            "session" => d.session.is_some(),
            _ => d.latency_ms.is_some(),
        });
        if !implied {
            line(&mut out, "    # ", &format!("{field}: ?"), question);
        }
    }
    out
}

/// A text for a comment: one line, nothing a terminal would act on.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
