//! Criterion benchmarks of the pipeline on generated specs of 100, 1,000 and
//! 10,000 components: parse, evaluate (per component), and render (table,
//! JSON, MADR). Run with `cargo bench`; the compare script
//! (`benches/compare.py`) times whole processes against peers.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use statewise::adr::content::{RecordMeta, record_data};
use statewise::adr::render::{MADR, Template, render};
use statewise::facts::Facts;
use statewise::output::Style;
use statewise::{Kinds, RuleSet, Spec, analyze, engine};

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

criterion_group!(benches, bench);
criterion_main!(benches);
