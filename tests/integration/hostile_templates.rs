//! Hostile templates, tried as an attacker would: partials that call
//! themselves, blocks nested thousands deep, loops that run away in time or
//! in output, a huge template, partial blocks. Each must end in exit 2 with
//! a message that says which limit, where and how to fix it, never in an
//! abort, and must leave no record behind.

use crate::util::{Folder, HEAD, Output};

/// A spec of ten components, enough for nested loops to multiply.
fn spec() -> String {
    let mut s = HEAD.to_owned();
    for i in 0..10 {
        s.push_str(&format!("  - name: c{i}\n    kind: rest-api\n"));
    }
    s
}

/// Runs `adr --template t.hbs` (writing a record) on `template`; checks
/// exit 2 and that the folder holds afterwards exactly what it held before.
fn refused(template: impl AsRef<[u8]>) -> Output {
    let f = Folder::new();
    f.write("statewise.yaml", spec());
    f.write("t.hbs", template);
    f.write(
        "docs/adr/0001-first.md",
        "# 1. First\n\n## Status\n\nAccepted\n",
    );
    let before = f.tree();
    let out = f.run(&["adr", "--template", "t.hbs", "--date", "2026-01-01"]);
    out.fails();
    assert!(
        !out.stderr.contains("overflow") && !out.stderr.contains("panicked"),
        "{}",
        out.context()
    );
    assert_eq!(
        f.tree(),
        before,
        "the run left something:\n{}",
        out.context()
    );
    out
}

#[test]
fn a_partial_that_calls_itself_is_named() {
    let out =
        refused("# {{title}}\n{{#*inline \"loop\"}}again {{> loop}}{{/inline}}\n{{> loop}}\n");
    out.error_at("t.hbs:2:26")
        .stderr_contains("partials call themselves: loop → loop")
        .stderr_contains("use `{{#each}}` to repeat");
    // The template itself, by the name it has as a partial.
    refused("{{title}}\n{{> record}}\n")
        .error_at("t.hbs:2:1")
        .stderr_contains("record → record");
}

#[test]
fn partials_that_call_each_other_name_the_cycle() {
    let out = refused(
        "{{#*inline \"a\"}}{{> b}}{{/inline}}\n{{#*inline \"b\"}}{{> c}}{{/inline}}\n{{#*inline \"c\"}}{{> a}}{{/inline}}\n{{> a}}\n",
    );
    out.stderr_contains("partials call themselves: a → b → c → a");
}

#[test]
fn blocks_nested_thousands_deep_are_refused_before_parsing() {
    let deep = format!(
        "{}x{}",
        "{{#if title}}".repeat(5_000),
        "{{/if}}".repeat(5_000)
    );
    refused(deep)
        .stderr_contains("error: t.hbs:1:")
        .stderr_contains("more than 1024 tags");
    // Within the tag count, the nesting itself is the limit.
    let deep = format!("{}x{}", "{{#if title}}".repeat(100), "{{/if}}".repeat(100));
    refused(deep)
        .stderr_contains("blocks and partials nest more than 64 deep")
        .stderr_contains("flatten the template");
    // Nesting through partials counts too.
    let half = |n| ("{{#if title}}".repeat(n), "{{/if}}".repeat(n));
    let (open, close) = half(40);
    refused(format!(
        "{{{{#*inline \"p\"}}}}{open}x{close}{{{{/inline}}}}\n{open}{{{{> p}}}}{close}\n"
    ))
    .stderr_contains("nest more than 64 deep");
    // And brackets inside a tag, which the parser follows one by one.
    refused(format!(
        "{{{{md {}title{}}}}}",
        "(md ".repeat(5_000),
        ")".repeat(5_000)
    ))
    .stderr_contains("brackets `(`, `[` and `{` nest more than 64 deep");
}

#[test]
fn runaway_output_stops_at_the_cap() {
    let loops = "{{#each @root.components}}".repeat(4);
    let ends = "{{/each}}".repeat(4);
    let out = refused(format!(
        "# {{{{title}}}}\n{loops}{}{ends}\n",
        "{{@root.mermaid}}".repeat(20)
    ));
    out.stderr_contains("template writes more than 16 MiB for one record")
        .stderr_contains("a loop inside a loop");
}

#[test]
fn runaway_loops_run_out_of_steps() {
    // Nothing written, so only the step budget can stop it: 10^12 turns.
    let out = refused(format!(
        "# {{{{title}}}}\n{}{}\n",
        "{{#each @root.components}}".repeat(12),
        "{{/each}}".repeat(12)
    ));
    out.stderr_contains("takes more than 10 million steps")
        .stderr_contains("error: t.hbs:2:");
}

#[test]
fn an_oversized_template_is_refused() {
    refused(format!("# {{{{title}}}}\n{}\n", "text ".repeat(60_000)))
        .stderr_contains("template is 293 KiB; a template may have at most 256 KiB");
}

#[test]
fn too_many_tags_are_refused_at_the_first_one_over() {
    refused("{{title}}\n".repeat(2_000))
        .error_at("t.hbs:1025:1")
        .stderr_contains("more than 1024 tags")
        .stderr_contains("`{{#each}}`");
}

#[test]
fn partial_blocks_are_refused_with_the_alternative() {
    refused("{{#*inline \"p\"}}x{{/inline}}\n{{#> p}}fallback{{/p}}\n")
        .error_at("t.hbs:2:1")
        .stderr_contains("partial blocks")
        .stderr_contains("not supported in custom templates")
        .stderr_contains("{{#*inline \"name\"}}");
    refused("{{> (lookup this \"title\")}}\n").stderr_contains("must be written out");
    refused("{{> nowhere}}\n").stderr_contains("no partial `nowhere`");
}

#[test]
fn log_writes_nothing_and_bounded_templates_still_render() {
    let f = Folder::new();
    f.write("statewise.yaml", spec());
    f.write(
        "t.hbs",
        "# {{title}}\n{{log \"secret\" level=\"error\"}}{{#*inline \"row\"}}- {{name}}\n{{/inline}}{{#each components}}{{> row}}{{/each}}",
    );
    let out = f.run(&[
        "adr",
        "--template",
        "t.hbs",
        "--stdout",
        "--date",
        "2026-01-01",
    ]);
    out.success()
        .stderr_empty()
        .stdout_contains("- c9\n")
        .stdout_lacks("secret");
}
