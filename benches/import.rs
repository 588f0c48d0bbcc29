//! Criterion benchmark of `statewise import` on folders of 500 to 2,000
//! generated Kubernetes documents (Deployments and the Services in front of
//! them, each naming two others in its environment), against the floor:
//! serde_yaml parsing the same documents into `serde_yaml::Value`. The bar
//! (docs/performance.md): linear in the documents, within 2x of the floor.
//! Run with `cargo bench --bench import`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use statewise::import::{ImportRules, Options, Source, import};

/// `docs` documents in files of two (a Deployment and its Service), the
/// shape `kubectl get -o yaml` or `helm template` splits give.
fn estate(docs: usize) -> Vec<Source> {
    let n = docs / 2;
    (0..n)
        .map(|i| Source {
            name: format!("k8s/svc{i:05}.yaml"),
            text: format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc{i}\n  labels: {{app: svc{i}}}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: svc{i}}}\n  template:\n    metadata:\n      labels: {{app: svc{i}}}\n    spec:\n      containers:\n        - name: main\n          image: ghcr.io/acme/svc{i}:1.0\n          ports:\n            - {{name: http, containerPort: 8080}}\n          env:\n            - name: NEXT_ADDR\n              value: \"svc{}:8080\"\n            - name: DATABASE_URL\n              value: \"postgres://app:secret@svc{}:5432/app\"\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\nspec:\n  selector: {{app: svc{i}}}\n  ports:\n    - {{name: http, port: 80, targetPort: 8080}}\n",
                (i + 1) % n,
                (i * 7) % n
            ),
            in_folder: true,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let rules = ImportRules::builtin().expect("the built-in table parses");
    let options = Options {
        system_name: "Bench".into(),
        ..Options::default()
    };
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    for docs in [500, 1_000, 2_000] {
        let sources = estate(docs);
        g.throughput(Throughput::Elements(docs as u64));
        g.bench_with_input(
            BenchmarkId::new("serde_yaml floor", docs),
            &sources,
            |b, s| {
                b.iter(|| {
                    for source in s {
                        for doc in serde_yaml::Deserializer::from_str(&source.text) {
                            black_box(serde_yaml::Value::deserialize(doc).ok());
                        }
                    }
                });
            },
        );
        g.bench_with_input(BenchmarkId::new("import", docs), &sources, |b, s| {
            b.iter(|| black_box(import(s, &rules, &options).expect("imports")));
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
