//! `statewise import`: a commented spec from the files a team already
//! keeps — Compose files, Kubernetes manifests and Backstage catalogs. Pure: the files come in
//! as text, the spec goes out as text; the CLI reads and writes.

mod backstage;
mod compose;
pub mod deploy;
mod infer;
mod kubernetes;
mod merge;
mod model;
mod read;
mod render;
pub mod rules;
mod tree;

use crate::core::error::{Error, Result};
use crate::core::spec::model::Spec;
use crate::core::spec::yaml::flow_scalar;

pub use self::deploy::{Deployment, deployment};
pub use self::read::{Format, Source};
use self::read::{Read, read_estate};
pub use self::rules::ImportRules;

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Read every file as this format instead of detecting it.
    pub format: Option<Format>,
    /// Make components of sidecars and one-shot jobs too.
    pub keep_helpers: bool,
    /// The system's name when the files give none (Compose `name:` wins).
    pub system_name: String,
    /// A spec to fold the import into, instead of writing a new one.
    pub merge: Option<MergeInto>,
    /// The paths imported, each as named and as the written spec names it
    /// (relative to its folder): its `system.deploy`, for those that hold
    /// Compose files or Kubernetes manifests.
    pub deploy: Vec<(String, String)>,
}

/// The spec `--merge` folds the import into.
#[derive(Clone, Debug)]
pub struct MergeInto {
    /// The file as the user named it.
    pub file: String,
    /// Its text.
    pub text: String,
}

/// The imported spec and what the user should know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The commented spec, ready to write.
    pub text: String,
    /// Notes for standard error: helpers left out, files skipped.
    pub notes: Vec<String>,
}

/// Reads `sources` and writes the spec they describe.
pub fn import(sources: &[Source], rules: &ImportRules, options: &Options) -> Result<Imported> {
    let Read {
        estate,
        mut notes,
        files: read_from,
        formats,
    } = read_estate(sources, options.format)?;
    // A catalog says what exists, not how it runs: no deployment evidence.
    let deploy: Vec<String> = options
        .deploy
        .iter()
        .filter(|(named, _)| {
            formats.iter().any(|(file, format)| {
                *format != Format::Backstage
                    && std::path::Path::new(file).starts_with(std::path::Path::new(named))
            })
        })
        .map(|(_, written)| written.clone())
        .collect();
    let inference = infer::infer(&estate, rules, options.keep_helpers);
    if inference.components.is_empty() {
        return Err(Error::Usage(format!(
            "found no services or workloads in {}; nothing to import",
            if read_from.is_empty() {
                "the files given".to_owned()
            } else {
                read_from
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )));
    }
    for s in &inference.skipped {
        notes.push(format!(
            "not a component: `{}` ({}) at {}; `--keep-helpers` keeps it",
            s.name, s.reason, s.at
        ));
    }
    let name = estate
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| options.system_name.clone());
    if let Some(into) = &options.merge {
        let merged = merge::merge(&into.text, &into.file, &inference)?;
        notes.extend(merged.notes);
        let text = match with_deploy(&merged.text, &deploy) {
            Some(text) => {
                notes.push(format!(
                    "added `system.deploy: [{}]`: analyze, explain and check read those files as evidence",
                    deploy.join(", ")
                ));
                text
            }
            None => merged.text,
        };
        return Ok(Imported { text, notes });
    }
    let read_from: Vec<&str> = read_from.iter().map(String::as_str).collect();
    let text = render::spec(&name, &read_from, &deploy, &inference);
    // What is written must be a spec statewise reads.
    Spec::from_yaml(&text, "the imported spec").map_err(|e| {
        Error::Usage(format!(
            "the imported spec would not be valid ({e}); rename the workloads it names or import fewer files"
        ))
    })?;
    Ok(Imported { text, notes })
}

/// `text` with a `deploy:` line under the system's `name:`, when the spec
/// names no deployment files yet and its system is a block mapping; `None`
/// when it already names some, or there is nothing to add.
fn with_deploy(text: &str, deploy: &[String]) -> Option<String> {
    if deploy.is_empty() {
        return None;
    }
    let parsed = Spec::from_yaml(text, "the merged spec").ok()?;
    if !parsed.system.deploy.is_empty() {
        return None;
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let system = lines.iter().position(|l| l.trim_end() == "system:")?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut added = false;
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        if !added && i > system && l.starts_with("  name:") {
            if !l.ends_with('\n') {
                out.push('\n');
            }
            let paths: Vec<String> = deploy.iter().map(|p| flow_scalar(p)).collect();
            out.push_str(&format!("  deploy: [{}]\n", paths.join(", ")));
            added = true;
        } else if i > system && !l.starts_with(' ') && !l.trim().is_empty() && !l.starts_with('#') {
            // Left the system's mapping without meeting its name.
            if !added {
                return None;
            }
        }
    }
    // What is written must still be a spec that names those files.
    let again = Spec::from_yaml(&out, "the merged spec").ok()?;
    (added && !again.system.deploy.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&str, &str)], keep_helpers: bool) -> Result<Imported> {
        let sources: Vec<Source> = files
            .iter()
            .map(|(name, text)| Source {
                name: (*name).to_owned(),
                text: (*text).to_owned(),
                in_folder: false,
            })
            .collect();
        let options = Options {
            keep_helpers,
            system_name: "S".into(),
            ..Options::default()
        };
        import(&sources, &ImportRules::builtin()?, &options)
    }

    fn component<'a>(text: &'a str, name: &str) -> &'a str {
        let start = text
            .find(&format!("  - name: {name} "))
            .unwrap_or_else(|| panic!("no {name} in\n{text}"));
        let rest = &text[start + 4..];
        rest.find("\n  - ").map_or(rest, |end| &rest[..end])
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: NAME\n  namespace: NS\nspec:\n  template:\n    metadata:\n      labels: {app: NAME}\n    spec:\n      containers:\n        - name: main\n          image: IMAGE\n";

    fn deployment(name: &str, ns: &str, image: &str) -> String {
        DEPLOYMENT
            .replace("NAME", name)
            .replace("NS", ns)
            .replace("IMAGE", image)
    }

    fn service(name: &str, ns: &str, extra: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector: {{app: {name}}}\n{extra}"
        )
    }

    #[test]
    fn a_consistent_hash_on_a_key_is_per_key_and_on_the_client_per_client() {
        let ingress = |hash: &str| {
            format!(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  namespace: a\n  annotations:\n    nginx.ingress.kubernetes.io/upstream-hash-by: \"{hash}\"\nspec:\n  defaultBackend:\n    service: {{name: rooms}}\n"
            )
        };
        for (hash, affinity) in [("$arg_room", "per-key"), ("$remote_addr", "per-client")] {
            let text = format!(
                "{}---\n{}---\n{}",
                deployment("rooms", "a", "acme/rooms"),
                service("rooms", "a", ""),
                ingress(hash)
            );
            let out = run(&[("k.yaml", &text)], false).unwrap().text;
            let rooms = component(&out, "rooms");
            assert!(
                rooms.contains(&format!("affinity: {affinity}")),
                "{hash}: {rooms}"
            );
            assert!(rooms.contains("k.yaml:29: consistent hashing"), "{rooms}");
        }
    }

    #[test]
    fn an_istio_consistent_hash_sets_affinity() {
        let rule = |on: &str| {
            format!(
                "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: rooms\n  namespace: a\nspec:\n  host: rooms.a.svc.cluster.local\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        {on}\n"
            )
        };
        for (on, affinity) in [
            ("httpHeaderName: x-room", "per-key"),
            ("useSourceIp: true", "per-client"),
        ] {
            let text = format!(
                "{}---\n{}---\n{}",
                deployment("rooms", "a", "acme/rooms"),
                service("rooms", "a", ""),
                rule(on)
            );
            let out = run(&[("k.yaml", &text)], false).unwrap().text;
            let rooms = component(&out, "rooms");
            assert!(
                rooms.contains(&format!("affinity: {affinity}")),
                "{on}: {rooms}"
            );
            assert!(rooms.contains("DestinationRule `rooms`"), "{rooms}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn any_text_is_imported_or_refused_without_a_panic(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "services:", "\n", "  ", "- ", "a", ": ", "image: redis", "kind: Service",
                    "apiVersion: v1", "---", "[", "]", "{", "}", "&x ", "*x", "<<: ", "depends_on:",
                    "volumes:", "selector:", "spec:", "metadata:", "name: b", "\"", "#", ",",
                ]),
                0..60,
            )
        ) {
            let text = parts.concat();
            let _ = run(&[("f.yaml", &text)], false);
            let _ = run(&[("f.yaml", &text)], true);
        }
    }

    #[test]
    fn config_maps_the_environment_comes_from_name_services() {
        let api = deployment("api", "", "acme/api").replace(
            "          image: acme/api\n",
            "          image: acme/api\n          envFrom:\n            - configMapRef: {name: api-env}\n",
        );
        let text = format!(
            "{api}---\n{}---\n{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-env\ndata:\n  DB_URL: postgres://db:5432/app\n  MODE: db\n",
            deployment("db", "", "postgres:16"),
            service("db", "", "")
        );
        let out = run(&[("k.yaml", &text)], false).unwrap().text;
        let api = component(&out, "api");
        assert!(api.contains("depends_on: [db]"), "{api}");
        assert!(api.contains("#   db: from k.yaml:44: `db`"), "{api}");
    }

    #[test]
    fn storage_decides_where_state_lives() {
        let claim = deployment("db", "", "postgres:16").replace(
            "          image: postgres:16\n",
            "          image: postgres:16\n      volumes:\n        - name: data\n          persistentVolumeClaim: {claimName: db-data}\n",
        );
        let scratch = deployment("api", "", "acme/api").replace(
            "          image: acme/api\n",
            "          image: acme/api\n      volumes:\n        - name: tmp\n          emptyDir: {}\n",
        );
        let text = format!("{claim}---\n{scratch}");
        let out = run(&[("k.yaml", &text)], false).unwrap().text;
        assert!(
            component(&out, "db").contains(
                "state_location: local-disk         # from k.yaml:15: PersistentVolumeClaim `db-data`"
            ),
            "{out}"
        );
        assert!(!component(&out, "api").contains("state_location"), "{out}");
    }

    #[test]
    fn lists_native_sidecars_and_namespaces() {
        let web = deployment("web", "prod", "acme/web").replace(
            "    spec:\n      containers:",
            "    spec:\n      initContainers:\n        - name: proxy\n          image: envoyproxy/envoy\n          restartPolicy: Always\n        - name: wait\n          image: busybox\n      containers:",
        );
        let list = format!(
            "apiVersion: v1\nkind: List\nitems:\n{}",
            [web.clone(), deployment("web", "staging", "acme/web")]
                .iter()
                .map(|d| {
                    let mut lines = d.lines();
                    let first = lines.next().unwrap_or_default();
                    let rest: Vec<String> = lines.map(|l| format!("    {l}\n")).collect();
                    format!("  - {first}\n{}", rest.concat())
                })
                .collect::<String>()
        );
        let out = run(&[("k.yaml", &list)], false).unwrap();
        assert!(out.text.contains("  - name: web "), "{}", out.text);
        assert!(out.text.contains("  - name: web.staging "), "{}", out.text);
        assert!(!out.text.contains("name: web-wait"), "{}", out.text);
        assert!(
            out.notes
                .iter()
                .any(|n| n.contains("`web-proxy` (a sidecar of `web`)")),
            "{:?}",
            out.notes
        );
        let kept = run(&[("k.yaml", &list)], true).unwrap().text;
        assert!(
            component(&kept, "web-proxy").contains("kind: gateway"),
            "{kept}"
        );
    }

    #[test]
    fn compose_sidecars_links_and_traefik_stickiness() {
        let text = "services:\n  app:\n    image: acme/app\n    labels:\n      - traefik.http.services.app.loadbalancer.sticky.cookie=true\n    links: [\"db:database\"]\n  shell:\n    image: busybox\n    network_mode: \"service:app\"\n  db:\n    image: mariadb:11\n    volumes:\n      - ./data:/var/lib/mysql\n";
        let out = run(&[("c.yaml", text)], false).unwrap();
        let app = component(&out.text, "app");
        assert!(app.contains("affinity: per-client"), "{app}");
        assert!(app.contains("depends_on: [db]"), "{app}");
        assert!(
            component(&out.text, "db").contains("state_location: local-disk"),
            "{}",
            out.text
        );
        assert!(
            out.notes
                .iter()
                .any(|n| n.contains("`shell` (a sidecar of `app`)"))
        );
    }

    #[test]
    fn argo_rollouts_are_workloads_and_load_balancer_stickiness_is_per_client() {
        let rollout =
            deployment("web", "", "acme/web").replace("kind: Deployment", "kind: Rollout");
        for (key, value, sticky) in [
            (
                "alb.ingress.kubernetes.io/target-group-attributes",
                "stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60",
                true,
            ),
            (
                "alb.ingress.kubernetes.io/target-group-attributes",
                "stickiness.enabled=false",
                false,
            ),
            ("haproxy.org/cookie-persistence", "srv", true),
            ("ingress.kubernetes.io/affinity", "cookie", true),
        ] {
            let ingress = format!(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    {key}: \"{value}\"\nspec:\n  defaultBackend:\n    service: {{name: web}}\n"
            );
            let text = format!("{rollout}---\n{}---\n{ingress}", service("web", "", ""));
            let out = run(&[("k.yaml", &text)], false).unwrap().text;
            let web = component(&out, "web");
            assert!(web.contains("Rollout, image acme/web"), "{web}");
            assert_eq!(web.contains("affinity: per-client"), sticky, "{key}: {web}");
        }
    }

    #[test]
    fn a_merge_names_the_deployment_files_once() {
        let old =
            "version: 1\nsystem:\n  name: S   # ours\n  informed: []\ncomponents:\n  - name: a\n";
        let files = vec!["k8s/".to_owned()];
        let text = with_deploy(old, &files).unwrap();
        assert_eq!(
            text,
            "version: 1\nsystem:\n  name: S   # ours\n  deploy: [k8s/]\n  informed: []\ncomponents:\n  - name: a\n"
        );
        assert_eq!(with_deploy(&text, &files), None, "already named");
        assert_eq!(with_deploy(old, &[]), None);
        let flow = "version: 1\nsystem: {name: S}\ncomponents:\n  - name: a\n";
        assert_eq!(
            with_deploy(flow, &files),
            None,
            "a flow mapping is left alone"
        );
    }

    #[test]
    fn a_compose_override_file_folds_into_the_service_it_overrides() {
        let base = "services:\n  web:\n    image: acme/web:1\n    depends_on: [db]\n  db:\n    image: postgres:16\n";
        let over = "services:\n  web:\n    deploy: {replicas: 3}\n  db:\n    volumes: [pgdata:/var/lib/postgresql/data]\nvolumes:\n  pgdata:\n";
        let out = run(
            &[("compose.yaml", base), ("compose.override.yaml", over)],
            false,
        )
        .unwrap();
        assert!(!out.text.contains("web-2"), "{}", out.text);
        let web = component(&out.text, "web");
        assert!(
            web.contains("3 replicas (from compose.override.yaml:3)"),
            "{web}"
        );
        assert!(web.contains("depends_on: [db]"), "{web}");
        let db = component(&out.text, "db");
        assert!(
            db.contains("state_location: local-disk         # from compose.override.yaml:5"),
            "{db}"
        );
    }

    #[test]
    fn nothing_to_import_is_an_error() {
        let err = run(&[("k.yaml", "apiVersion: v1\nkind: ConfigMap\n")], false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("found no services or workloads"), "{err}");
    }
}
