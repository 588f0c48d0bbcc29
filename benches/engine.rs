//! Criterion benchmarks of the pipeline on generated specs of 100, 1,000 and
//! 10,000 components: parse, evaluate (per component), and render (table,
//! JSON, MADR); and `analyze` against `explain` (the tipping-point search) on
//! generated rule sets of 1,000 to 16,000 rules. Run with `cargo bench`; the
//! compare script (`benches/compare.py`) times whole processes against peers.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use statewise::adr::content::{RecordMeta, record_data};
use statewise::adr::render::{MADR, Template, render};
use statewise::facts::{Facts, Surroundings};
use statewise::output::Style;
use statewise::{Kinds, RuleSet, Spec, analyze, engine, explain};

/// A spec of `n` components cycling through kinds and criteria, the same
/// generator the compare script uses (see `benches/gen_spec.py`).
fn spec_text(n: usize) -> String {
    const KINDS: [&str; 8] = [
        "rest-api",
        "chat",
        "database",
        "cart",
        "serverless-function",
        "game-server",
        "worker",
        "other",
    ];
    const TRAFFIC: [&str; 3] = ["steady", "unpredictable", "predictable-peaks"];
    let mut s = String::from("version: 1\nsystem:\n  name: Bench\ncomponents:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - name: c{i}\n    kind: {}\n    traffic: {}\n    latency_ms: {}\n    context_rebuild_ms: {}\n    concurrent_clients: {}\n    state_kb_per_client: {}\n    memory_budget_mb: {}\n",
            KINDS[i % KINDS.len()],
            TRAFFIC[i % TRAFFIC.len()],
            5 + (i * 37) % 500,
            (i * 13) % 100,
            1 + (i * 7919) % 100_000,
            1 + (i * 31) % 256,
            100 + (i * 977) % 100_000,
        ));
    }
    s
}

/// A rule file of `n` rules, each with its own bound: the generator of
/// `benches/gen_rules.py`, in Rust.
fn rules_text(n: usize) -> String {
    const NUMBERS: [&str; 10] = [
        "latency_ms",
        "context_rebuild_ms",
        "concurrent_clients",
        "state_kb_per_client",
        "memory_budget_mb",
        "availability",
        "state_memory_mb",
        "memory_headroom",
        "rebuild_share",
        "bandwidth_kbps",
    ];
    const OPS: [&str; 4] = ["gt", "gte", "lt", "lte"];
    const WORDS: [&str; 4] = [
        "realtime: bidirectional",
        "traffic: unpredictable",
        "session: per-user",
        "shared_state: true",
    ];
    let bound = |f: &str, i: usize| -> String {
        match f {
            "availability" => format!("{}", 90.0 + (i * 7919 % 9999) as f64 / 1000.0),
            "memory_headroom" | "rebuild_share" => format!("{}", (i * 7919 % 4000) as f64 / 1000.0),
            _ => format!("{}", 1 + i * 7919 % 100_000),
        }
    };
    let test = |i: usize| {
        let f = NUMBERS[i % NUMBERS.len()];
        format!(
            "{f}: {{{}: {}}}",
            OPS[i / NUMBERS.len() % OPS.len()],
            bound(f, i)
        )
    };
    let mut s = String::new();
    for i in 0..n {
        let word = WORDS[i % WORDS.len()];
        let when = match i % 5 {
            0 => format!("{{any: [{{{}}}, {{{word}}}]}}", test(i)),
            1 => format!("{{not: {{{}}}}}", test(i)),
            2 => format!("{{{}, {word}}}", test(i)),
            _ => format!("{{{}}}", test(i)),
        };
        s.push_str(&format!(
            "- id: gen-{i}\n  title: Generated {i}\n  when: {when}\n  favors: {}\n  weight: {}\n  because: Generated.\n",
            if i % 2 == 1 { "stateful" } else { "stateless" },
            1 + i % 10
        ));
    }
    s
}

/// `analyze` of a 6-component spec against `explain` of its busiest
/// component, on generated rule sets: the tipping-point search must stay a
/// small multiple of one analysis as rules grow.
fn bench_rules(c: &mut Criterion) {
    let kinds = Kinds::builtin();
    let spec = Spec::from_yaml(
        include_str!("../examples/chat-platform.yaml"),
        "chat-platform.yaml",
    )
    .expect("the example is valid");
    let gateway = spec
        .components
        .iter()
        .find(|c| c.name.as_str() == "chat-gateway")
        .expect("the example has a gateway");
    for n in [1_000usize, 4_000, 16_000] {
        let rules = RuleSet::builtin()
            .extended(&[statewise::rule_set::Source {
                name: "gen.yaml".into(),
                bytes: rules_text(n).into_bytes(),
                builtin: false,
            }])
            .expect("generated rules are valid");
        let mut g = c.benchmark_group("rules");
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("analyze", n), |b| {
            b.iter(|| black_box(analyze(black_box(&spec), &rules, kinds)));
        });
        g.bench_function(BenchmarkId::new("explain", n), |b| {
            b.iter(|| {
                black_box(explain::explain(
                    black_box(gateway),
                    &Surroundings::default(),
                    &rules,
                    kinds,
                ))
            });
        });
        g.finish();
    }
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::builtin();
    let kinds = Kinds::builtin();
    for n in [100usize, 1_000, 10_000] {
        let text = spec_text(n);
        let spec = Spec::from_yaml(&text, "bench.yaml").expect("generated spec is valid");
        let facts: Vec<Facts> = spec
            .components
            .iter()
            .map(|c| Facts::of(c, kinds))
            .collect();

        let mut g = c.benchmark_group("parse");
        g.throughput(Throughput::Elements(n as u64));
        g.sample_size(if n >= 10_000 { 10 } else { 30 });
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| {
            b.iter(|| Spec::from_yaml(black_box(t), "bench.yaml"));
        });
        g.finish();

        let mut g = c.benchmark_group("evaluate");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &facts, |b, f| {
            b.iter(|| {
                for fact in f {
                    black_box(engine::evaluate(black_box(fact), &rules));
                }
            });
        });
        g.finish();

        let mut g = c.benchmark_group("analyze");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &spec, |b, s| {
            b.iter(|| black_box(analyze(black_box(s), &rules, kinds)));
        });
        g.finish();

        let report = analyze(&spec, &rules, kinds);
        let mut g = c.benchmark_group("render");
        g.throughput(Throughput::Elements(n as u64));
        g.sample_size(if n >= 10_000 { 10 } else { 30 });
        g.bench_function(BenchmarkId::new("table", n), |b| {
            b.iter(|| statewise::output::table::render(black_box(&report), Style::PLAIN));
        });
        g.bench_function(BenchmarkId::new("json", n), |b| {
            b.iter(|| statewise::output::json::render(black_box(&report)));
        });
        g.bench_function(BenchmarkId::new("madr", n), |b| {
            let template = Template {
                name: "madr",
                text: MADR,
            };
            b.iter(|| {
                let meta = RecordMeta {
                    number: 1,
                    title: "Bench".into(),
                    status: "proposed".into(),
                    date: "2026-11-28".into(),
                    supersedes: None,
                    spec_digest: "sha256:0".into(),
                    rules_digest: "sha256:0".into(),
                };
                render(
                    &template,
                    &record_data(black_box(&report), meta, &rules, kinds),
                )
            });
        });
        g.finish();
    }
}

criterion_group!(benches, bench, bench_rules);
criterion_main!(benches);
