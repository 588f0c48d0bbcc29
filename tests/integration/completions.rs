//! Dynamic completions (issue 18, point 5): `COMPLETE=SHELL statewise`
//! prints the registration script, and the shell's call back completes rule
//! ids, the components of `statewise.yaml` in the current folder, record
//! numbers and templates, in bash, zsh and fish.

use crate::util::{Folder, Output};

const SPEC: &str = "version: 1\nsystem: {name: Shop}\ncomponents:\n  - {name: gateway, kind: chat, description: \"live\\nsocket\"}\n  - {name: api, kind: rest-api}\n  - {name: gallery, kind: media-streaming}\n";

/// The completions `shell` gets for `statewise WORDS...` (the last word is
/// the one being completed), run in `folder`.
fn complete(folder: &Folder, shell: &str, words: &[&str]) -> Vec<String> {
    let mut t = folder
        .test()
        .env("COMPLETE", shell)
        .arg("--")
        .arg("statewise");
    for w in words {
        t = t.arg(*w);
    }
    let index = words.len().to_string();
    t = match shell {
        "bash" => t
            .env("_CLAP_COMPLETE_INDEX", &index)
            .env("_CLAP_COMPLETE_COMP_TYPE", "9")
            .env("_CLAP_COMPLETE_SPACE", "true")
            .env("_CLAP_IFS", "\u{b}"),
        "zsh" => t.env("_CLAP_COMPLETE_INDEX", &index).env("_CLAP_IFS", "\n"),
        _ => t,
    };
    let out: Output = t.run();
    out.success();
    out.stdout
        .split(['\n', '\u{b}'])
        .filter(|l| !l.is_empty())
        .map(|l| l.split(['\t', ':']).next().unwrap_or_default().to_owned())
        .collect()
}

fn project() -> Folder {
    let f = Folder::new();
    f.write("statewise.yaml", SPEC);
    f.run(&["adr", "--date", "2025-03-01"]).success();
    f.run(&[
        "adr",
        "--date",
        "2025-03-02",
        "--title",
        "Second look",
        "--new",
    ])
    .success();
    f.write("my-template.hbs", "{{system.name}}\n");
    f
}

#[test]
fn every_shell_has_a_registration_script() {
    let f = Folder::new();
    for (shell, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_statewise statewise",
        ),
        ("zsh", "#compdef statewise"),
        (
            "fish",
            "complete --keep-order --exclusive --command statewise",
        ),
    ] {
        let out = f.test().env("COMPLETE", shell).run();
        out.success().stdout_contains(marker);
    }
}

#[test]
fn rule_ids_components_records_and_templates_complete_in_every_shell() {
    let f = project();
    for shell in ["bash", "zsh", "fish"] {
        assert_eq!(
            complete(&f, shell, &["rules", "show", "bidirectional"]),
            ["bidirectional-realtime"],
            "{shell}"
        );
        assert_eq!(
            complete(&f, shell, &["explain", "statewise.yaml", "ga"]),
            ["gateway", "gallery"],
            "{shell}"
        );
        assert_eq!(
            complete(&f, shell, &["adr", "--supersedes", ""]),
            ["1", "2"],
            "{shell}"
        );
        assert_eq!(
            complete(&f, shell, &["adr", "--template", ""]),
            ["madr", "nygard", "my-template.hbs"],
            "{shell}"
        );
    }
}

#[test]
fn help_from_the_project_is_one_safe_line() {
    let f = project();
    let out = f
        .test()
        .env("COMPLETE", "fish")
        .args(["--", "statewise", "explain", "statewise.yaml", "gat"])
        .run();
    out.success();
    assert_eq!(out.stdout, "gateway\tlive\n");
    let empty = Folder::new();
    // No spec in the folder: no component, only the flags, and no error.
    let flags = complete(&empty, "fish", &["explain", "statewise.yaml", ""]);
    assert!(flags.iter().all(|c| c.starts_with('-')), "{flags:?}");
}
