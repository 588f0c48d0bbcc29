//! The deployment as evidence (`system.deploy`, `--deploy`, `deployed_as`):
//! each of `check`'s nine drift findings fires where the manifests
//! contradict the decided verdict, at the manifest's file and line, and
//! stays silent once the manifest or the spec is put right; the decided
//! verdict wins over the advice; the locations in every report format;
//! waivers in a component and in `system.waivers`; how deployment files
//! are found (globs relative to the spec's folder, `--deploy`, errors at
//! their place); the deployment facts in `analyze` and `explain`, and a
//! custom rule that tests them.
//!
//! The manifests are in `tests/deploy/`, in the shapes public projects
//! keep: a multi-document Kubernetes file (`k8s/shop.yaml`) and a Compose
//! file (`compose.yaml`).

use serde_json::Value;

use crate::util::{Folder, validate_report};

/// The shop's Kubernetes manifests: each workload departs from the spec
/// below in one way.
pub const SHOP: &str = include_str!("../deploy/k8s/shop.yaml");

/// The chat's Compose file.
const CHAT: &str = include_str!("../deploy/compose.yaml");

/// The shop's spec: every component but `billing` has a workload of its
/// name, and `payments` and `node-exporter` have no component. Between
/// them, every kind of drift fires once:
///
/// - `web` (stateless): a sticky-cookie Ingress;
/// - `api` (stateless): `replicas: 1`;
/// - `uploads` (stateless): a PersistentVolumeClaim;
/// - `search` (stateless): a StatefulSet;
/// - `game` (stateful): an emptyDir and nothing that recovers it;
/// - `rooms` (stateful): an HPA that scales down and nothing hands over;
/// - `ledger` (stateful, 99.95%): one replica;
/// - `billing`: no workload; `payments`, `node-exporter`: no component.
pub const SHOP_SPEC: &str = "\
version: 1
system:
  name: Shop
  deploy: [k8s/*.yaml]
components:
  - name: web
    kind: web-frontend
    decision: stateless
  - name: api
    kind: rest-api
    decision: stateless
  - name: uploads
    kind: rest-api
    decision: stateless
  - name: search
    kind: rest-api
    decision: stateless
  - name: game
    kind: game-server
    decision: stateful
  - name: rooms
    kind: game-server
    decision: stateful
  - name: ledger
    kind: database
    decision: stateful
    recovery: [replicas]
    availability: 99.95
  - name: billing
    kind: rest-api
    decision: stateless
";

/// The chat's spec for `compose.yaml`: `proxy` is advised, not decided.
const CHAT_SPEC: &str = "\
version: 1
system:
  name: Chat
  deploy: [compose.yaml]
components:
  - name: proxy
    kind: web-frontend
  - name: web
    kind: rest-api
    decision: stateless
  - name: presence
    kind: presence
    decision: stateful
  - name: db
    kind: database
    decision: stateless
    decision_reason: a managed Postgres in production; this one is for development
  - name: worker
    kind: worker
";

/// A folder with the shop's `spec` as `spec.yaml` and `manifest` as
/// `k8s/shop.yaml`.
pub fn shop(spec: &str, manifest: &str) -> Folder {
    let f = Folder::new();
    f.write("spec.yaml", spec);
    f.write("k8s/shop.yaml", manifest);
    f
}

/// A folder with the chat's `spec` as `spec.yaml` and `compose` as
/// `compose.yaml`.
fn chat(spec: &str, compose: &str) -> Folder {
    let f = Folder::new();
    f.write("spec.yaml", spec);
    f.write("compose.yaml", compose);
    f
}

/// `text` with `from` replaced by `to`, which must be there exactly once.
#[track_caller]
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} is not there once");
    text.replacen(from, to, 1)
}

/// The 1-based line of the first line containing `needle` at or after the
/// first line containing `anchor`.
#[track_caller]
fn line_after(text: &str, anchor: &str, needle: &str) -> u64 {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.contains(anchor))
        .unwrap_or_else(|| panic!("no line with {anchor:?}"));
    let at = lines[start..]
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} after {anchor:?}"));
    (start + at + 1) as u64
}

/// The 1-based line of the first line containing `needle`.
#[track_caller]
fn line_of(text: &str, needle: &str) -> u64 {
    line_after(text, needle, needle)
}

/// `statewise check spec.yaml ARGS --format json`, which must exit 0 or 1
/// with nothing on standard error; the document.
#[track_caller]
fn check_json(f: &Folder, args: &[&str]) -> Value {
    let mut all = vec!["check", "spec.yaml"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = f.run(&all);
    assert!(
        run.code == Some(0) || run.code == Some(1),
        "{}",
        run.context()
    );
    assert!(run.stderr.is_empty(), "{}", run.context());
    run.json()
}

/// The findings of `rule` that name `who` as their component or workload.
fn of<'a>(doc: &'a Value, rule: &str, who: &str) -> Vec<&'a Value> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule && (f["component"] == who || f["workload"] == who))
        .collect()
}

/// The rule ids of the findings, in order.
fn rules(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect()
}

/// What one drift finding must say.
struct Want<'a> {
    rule: &'a str,
    severity: &'a str,
    component: Option<&'a str>,
    workload: Option<&'a str>,
    file: &'a str,
    line: u64,
}

/// Asserts that `doc` has exactly one finding of `want.rule` for its
/// component (or workload), with the severity, names, file and line wanted;
/// returns it.
#[track_caller]
fn fires(doc: &Value, want: &Want) -> Value {
    let who = want
        .component
        .or(want.workload)
        .expect("a component or workload");
    let found = of(doc, want.rule, who);
    assert_eq!(found.len(), 1, "one `{}` for `{who}` in {doc:#}", want.rule);
    let f = found[0].clone();
    assert_eq!(f["severity"], want.severity, "{f:#}");
    assert_eq!(f["component"].as_str(), want.component, "{f:#}");
    assert_eq!(f["workload"].as_str(), want.workload, "{f:#}");
    assert_eq!(f["file"], want.file, "{f:#}");
    assert_eq!(f["line"], want.line, "{f:#}");
    f
}

/// Asserts that `doc` has no finding of `rule` for `who`, and exactly one
/// finding fewer than `before`, which had it: the edit fixed just that one.
#[track_caller]
fn silent(doc: &Value, rule: &str, who: &str, before: &Value) {
    assert_eq!(
        of(before, rule, who).len(),
        1,
        "`{rule}` for `{who}` before"
    );
    assert!(
        of(doc, rule, who).is_empty(),
        "`{rule}` for `{who}`: {doc:#}"
    );
    let (was, now) = (rules(before), rules(doc));
    assert_eq!(
        now.len() + 1,
        was.len(),
        "only the one finding goes: before {was:?}, now {now:?}"
    );
}

/// The shop as it is: every kind of drift.
fn shop_doc() -> Value {
    check_json(&shop(SHOP_SPEC, SHOP), &[])
}

// ---------------------------------------------------------------------------
// 1. Every kind of drift, both ways.

#[test]
fn the_shop_has_every_kind_of_drift_once_per_component_in_order() {
    let doc = shop_doc();
    assert_eq!(
        rules(&doc),
        [
            "no-adr",
            "stateless-with-sticky-sessions",
            "stateless-single-replica",
            "stateless-with-persistent-volume",
            "stateless-on-statefulset",
            "stateful-on-ephemeral-storage",
            "stateful-autoscaled-without-handover",
            "stateful-single-replica-at-high-availability",
            "component-without-workload",
            "workload-without-component",
            "workload-without-component",
        ]
    );
    assert_eq!(doc["summary"]["errors"], 2);
    assert_eq!(doc["summary"]["warnings"], 8);
    assert_eq!(doc["passed"], false);
}

#[test]
fn stateless_on_a_statefulset_fires_at_its_name() {
    let doc = shop_doc();
    let f = fires(
        &doc,
        &Want {
            rule: "stateless-on-statefulset",
            severity: "warning",
            component: Some("search"),
            workload: Some("search"),
            file: "k8s/shop.yaml",
            line: line_of(SHOP, "  name: search"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("decided stateless but runs as StatefulSet `search`"),
        "{f}"
    );
}

#[test]
fn stateless_on_a_deployment_is_no_drift() {
    let fixed = edit(
        SHOP,
        "kind: StatefulSet\nmetadata:\n  name: search\nspec:\n  serviceName: search\n",
        "kind: Deployment\nmetadata:\n  name: search\nspec:\n",
    );
    let doc = check_json(&shop(SHOP_SPEC, &fixed), &[]);
    silent(&doc, "stateless-on-statefulset", "search", &shop_doc());
}

#[test]
fn stateless_with_a_persistent_volume_claim_fires_at_the_volume() {
    fires(
        &shop_doc(),
        &Want {
            rule: "stateless-with-persistent-volume",
            severity: "warning",
            component: Some("uploads"),
            workload: Some("uploads"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "mountPath: /srv/files", "- name: files"),
        },
    );
}

#[test]
fn stateless_with_scratch_space_or_a_read_only_bind_mount_is_no_drift() {
    let fixed = edit(
        SHOP,
        "persistentVolumeClaim:\n            claimName: uploads-files",
        "emptyDir: {}",
    );
    let doc = check_json(&shop(SHOP_SPEC, &fixed), &[]);
    silent(
        &doc,
        "stateless-with-persistent-volume",
        "uploads",
        &shop_doc(),
    );
    // Compose: the worker's configuration bind mount is no state.
    let doc = check_json(&chat(CHAT_SPEC, CHAT), &[]);
    assert!(of(&doc, "stateless-with-persistent-volume", "worker").is_empty());
    assert!(of(&doc, "stateless-single-replica", "worker").is_empty());
}

#[test]
fn stateless_with_a_compose_named_volume_fires_at_the_volume() {
    let doc = check_json(&chat(CHAT_SPEC, CHAT), &[]);
    let f = fires(
        &doc,
        &Want {
            rule: "stateless-with-persistent-volume",
            severity: "warning",
            component: Some("db"),
            workload: Some("db"),
            file: "compose.yaml",
            line: line_after(CHAT, "image: postgres:16", "- db-data:"),
        },
    );
    // A decision with a reason is still compared with the deployment.
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("mounts volume `db-data`"),
        "{f}"
    );
}

#[test]
fn stateless_with_sticky_sessions_fires_at_the_affinity() {
    let f = fires(
        &shop_doc(),
        &Want {
            rule: "stateless-with-sticky-sessions",
            severity: "warning",
            component: Some("web"),
            workload: Some("web"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "kind: Ingress", "affinity: cookie"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("pins requests per client"),
        "{f}"
    );
    // Consistent hashing pins per key.
    let hashed = edit(
        SHOP,
        "nginx.ingress.kubernetes.io/affinity: cookie",
        "nginx.ingress.kubernetes.io/upstream-hash-by: \"$arg_room\"",
    );
    let doc = check_json(&shop(SHOP_SPEC, &hashed), &[]);
    let f = fires(
        &doc,
        &Want {
            rule: "stateless-with-sticky-sessions",
            severity: "warning",
            component: Some("web"),
            workload: Some("web"),
            file: "k8s/shop.yaml",
            line: line_after(&hashed, "kind: Ingress", "upstream-hash-by"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("pins requests per key"),
        "{f}"
    );
}

#[test]
fn stateless_with_service_client_ip_affinity_fires_at_the_service() {
    let sticky = edit(
        SHOP,
        "spec:\n  selector:\n    app.kubernetes.io/name: web\n  ports:",
        "spec:\n  selector:\n    app.kubernetes.io/name: web\n  sessionAffinity: ClientIP\n  ports:",
    );
    let sticky = edit(
        &sticky,
        "    nginx.ingress.kubernetes.io/affinity: cookie\n",
        "",
    );
    let doc = check_json(&shop(SHOP_SPEC, &sticky), &[]);
    fires(
        &doc,
        &Want {
            rule: "stateless-with-sticky-sessions",
            severity: "warning",
            component: Some("web"),
            workload: Some("web"),
            file: "k8s/shop.yaml",
            line: line_after(&sticky, "kind: Service", "sessionAffinity: ClientIP"),
        },
    );
}

#[test]
fn stateless_with_traefik_sticky_cookie_labels_fires_at_the_label() {
    let doc = check_json(&chat(CHAT_SPEC, CHAT), &[]);
    fires(
        &doc,
        &Want {
            rule: "stateless-with-sticky-sessions",
            severity: "warning",
            component: Some("web"),
            workload: Some("web"),
            file: "compose.yaml",
            line: line_after(CHAT, "  web:", "loadbalancer.sticky.cookie=true"),
        },
    );
}

#[test]
fn stateless_without_affinity_is_no_drift() {
    let fixed = edit(
        SHOP,
        "    nginx.ingress.kubernetes.io/affinity: cookie\n    nginx.ingress.kubernetes.io/session-cookie-name: shop-route\n",
        "    nginx.ingress.kubernetes.io/proxy-body-size: 8m\n",
    );
    let doc = check_json(&shop(SHOP_SPEC, &fixed), &[]);
    silent(&doc, "stateless-with-sticky-sessions", "web", &shop_doc());
    let unstuck = CHAT
        .lines()
        .filter(|l| !l.contains("sticky"))
        .collect::<Vec<_>>()
        .join("\n");
    let before = check_json(&chat(CHAT_SPEC, CHAT), &[]);
    let doc = check_json(&chat(CHAT_SPEC, &unstuck), &[]);
    silent(&doc, "stateless-with-sticky-sessions", "web", &before);
}

#[test]
fn stateless_single_replica_fires_at_replicas_1() {
    fires(
        &shop_doc(),
        &Want {
            rule: "stateless-single-replica",
            severity: "warning",
            component: Some("api"),
            workload: Some("api"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "  name: api", "replicas: 1"),
        },
    );
}

#[test]
fn stateless_single_replica_fires_at_the_object_when_replicas_are_unstated() {
    let unstated = edit(
        SHOP,
        "  name: api\nspec:\n  replicas: 1\n",
        "  name: api\nspec:\n",
    );
    let doc = check_json(&shop(SHOP_SPEC, &unstated), &[]);
    let f = fires(
        &doc,
        &Want {
            rule: "stateless-single-replica",
            severity: "warning",
            component: Some("api"),
            workload: Some("api"),
            file: "k8s/shop.yaml",
            line: line_of(&unstated, "  name: api"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("no `replicas` stated and no autoscaler"),
        "{f}"
    );
    // Compose: a service with no `deploy.replicas`, at the service's line,
    // and advised rather than decided.
    let doc = check_json(&chat(CHAT_SPEC, CHAT), &[]);
    let f = fires(
        &doc,
        &Want {
            rule: "stateless-single-replica",
            severity: "warning",
            component: Some("proxy"),
            workload: Some("proxy"),
            file: "compose.yaml",
            line: line_after(CHAT, "services:", "  proxy:"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("advised stateless but Compose service `proxy` runs one instance"),
        "{f}"
    );
}

#[test]
fn stateless_with_three_replicas_or_an_autoscaler_is_no_drift() {
    let three = edit(
        SHOP,
        "  name: api\nspec:\n  replicas: 1\n",
        "  name: api\nspec:\n  replicas: 3\n",
    );
    let doc = check_json(&shop(SHOP_SPEC, &three), &[]);
    silent(&doc, "stateless-single-replica", "api", &shop_doc());
    // `web` states no replicas, but a KEDA ScaledObject scales it.
    assert!(of(&doc, "stateless-single-replica", "web").is_empty());
    let scaled = format!(
        "{SHOP}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: api\n  minReplicas: 2\n  maxReplicas: 6\n"
    );
    let doc = check_json(&shop(SHOP_SPEC, &scaled), &[]);
    silent(&doc, "stateless-single-replica", "api", &shop_doc());
}

#[test]
fn stateful_on_an_empty_dir_is_an_error_at_the_volume() {
    let f = fires(
        &shop_doc(),
        &Want {
            rule: "stateful-on-ephemeral-storage",
            severity: "error",
            component: Some("game"),
            workload: Some("game"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "mountPath: /var/lib/game", "- name: rooms"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("runs on emptyDir `rooms`, which is lost with the instance"),
        "{f}"
    );
}

#[test]
fn stateful_with_no_volume_at_all_is_an_error_at_the_service() {
    let doc = check_json(&chat(CHAT_SPEC, CHAT), &[]);
    let f = fires(
        &doc,
        &Want {
            rule: "stateful-on-ephemeral-storage",
            severity: "error",
            component: Some("presence"),
            workload: Some("presence"),
            file: "compose.yaml",
            line: line_after(CHAT, "services:", "  presence:"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .contains("runs with no volume at all")
            && f["message"]
                .as_str()
                .expect("message")
                .contains("mount a named volume"),
        "{f}"
    );
}

#[test]
fn stateful_that_recovers_or_keeps_a_claim_is_no_ephemeral_drift() {
    let before = shop_doc();
    for recovery in ["[checkpoint]", "[replicas]", "disposable"] {
        let spec = edit(
            SHOP_SPEC,
            "  - name: game\n    kind: game-server\n    decision: stateful\n",
            &format!(
                "  - name: game\n    kind: game-server\n    decision: stateful\n    recovery: {recovery}\n"
            ),
        );
        let doc = check_json(&shop(&spec, SHOP), &[]);
        silent(&doc, "stateful-on-ephemeral-storage", "game", &before);
    }
    // State kept outside the instance is not lost with it; state kept in
    // memory as well still is.
    let outside = |location: &str| {
        edit(
            SHOP_SPEC,
            "  - name: game\n    kind: game-server\n    decision: stateful\n",
            &format!(
                "  - name: game\n    kind: game-server\n    decision: stateful\n    state_location: {location}\n"
            ),
        )
    };
    let doc = check_json(&shop(&outside("[external-store]"), SHOP), &[]);
    silent(&doc, "stateful-on-ephemeral-storage", "game", &before);
    let doc = check_json(&shop(&outside("[memory, external-store]"), SHOP), &[]);
    assert_eq!(
        of(&doc, "stateful-on-ephemeral-storage", "game").len(),
        1,
        "{doc:#}"
    );
    // A claim instead of the emptyDir.
    let claimed = edit(
        SHOP,
        "        - name: rooms\n          emptyDir: {}",
        "        - name: rooms\n          persistentVolumeClaim:\n            claimName: game-rooms",
    );
    let doc = check_json(&shop(SHOP_SPEC, &claimed), &[]);
    silent(&doc, "stateful-on-ephemeral-storage", "game", &before);
}

#[test]
fn stateful_autoscaled_without_handover_fires_at_the_autoscaler() {
    fires(
        &shop_doc(),
        &Want {
            rule: "stateful-autoscaled-without-handover",
            severity: "warning",
            component: Some("rooms"),
            workload: Some("rooms"),
            file: "k8s/shop.yaml",
            // The autoscaler object: the line of its name.
            line: line_after(SHOP, "kind: HorizontalPodAutoscaler", "  name: rooms"),
        },
    );
}

#[test]
fn stateful_autoscaled_with_scale_down_disabled_or_a_handover_is_no_drift() {
    let before = shop_doc();
    let disabled = edit(
        SHOP,
        "  minReplicas: 2\n  maxReplicas: 8\n",
        "  minReplicas: 2\n  maxReplicas: 8\n  behavior:\n    scaleDown:\n      selectPolicy: Disabled\n",
    );
    let doc = check_json(&shop(SHOP_SPEC, &disabled), &[]);
    silent(
        &doc,
        "stateful-autoscaled-without-handover",
        "rooms",
        &before,
    );
    let spec = edit(
        SHOP_SPEC,
        "  - name: rooms\n    kind: game-server\n    decision: stateful\n",
        "  - name: rooms\n    kind: game-server\n    decision: stateful\n    recovery: [replicas]\n",
    );
    let doc = check_json(&shop(&spec, SHOP), &[]);
    silent(
        &doc,
        "stateful-autoscaled-without-handover",
        "rooms",
        &before,
    );
}

#[test]
fn stateful_single_replica_at_high_availability_is_an_error_at_replicas_1() {
    let f = fires(
        &shop_doc(),
        &Want {
            rule: "stateful-single-replica-at-high-availability",
            severity: "error",
            component: Some("ledger"),
            workload: Some("ledger"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "  name: ledger", "replicas: 1"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("decided stateful with a 99.95% availability target"),
        "{f}"
    );
    // The callers' target counts too.
    let spec = edit(SHOP_SPEC, "    availability: 99.95\n", "")
        + "  - name: payments\n    kind: rest-api\n    availability: 99.99\n    depends_on: [ledger]\n";
    let doc = check_json(&shop(&spec, SHOP), &[]);
    let f = fires(
        &doc,
        &Want {
            rule: "stateful-single-replica-at-high-availability",
            severity: "error",
            component: Some("ledger"),
            workload: Some("ledger"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "  name: ledger", "replicas: 1"),
        },
    );
    assert!(
        f["message"].as_str().expect("message").contains("99.99%"),
        "{f}"
    );
}

#[test]
fn stateful_single_replica_below_99_9_or_with_replicas_is_no_drift() {
    let before = shop_doc();
    let spec = edit(SHOP_SPEC, "availability: 99.95", "availability: 99.5");
    let doc = check_json(&shop(&spec, SHOP), &[]);
    silent(
        &doc,
        "stateful-single-replica-at-high-availability",
        "ledger",
        &before,
    );
    let three = edit(
        SHOP,
        "  serviceName: ledger\n  replicas: 1\n",
        "  serviceName: ledger\n  replicas: 3\n",
    );
    let doc = check_json(&shop(SHOP_SPEC, &three), &[]);
    silent(
        &doc,
        "stateful-single-replica-at-high-availability",
        "ledger",
        &before,
    );
}

#[test]
fn a_component_without_a_workload_is_a_warning_at_its_spec_line() {
    let f = fires(
        &shop_doc(),
        &Want {
            rule: "component-without-workload",
            severity: "warning",
            component: Some("billing"),
            workload: None,
            file: "spec.yaml",
            line: line_after(SHOP_SPEC, "components:", "- name: billing"),
        },
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("no workload `billing` in the deployment files (`k8s/shop.yaml`)"),
        "{f}"
    );
}

#[test]
fn deployed_as_names_the_workload_by_name_or_namespace_and_name() {
    let before = shop_doc();
    for name in ["payments", "shop/payments"] {
        let spec = edit(
            SHOP_SPEC,
            "  - name: billing\n",
            &format!("  - name: billing\n    deployed_as: {name}\n"),
        );
        let doc = check_json(&shop(&spec, SHOP), &[]);
        assert!(of(&doc, "component-without-workload", "billing").is_empty());
        // `payments` now has its component.
        assert!(of(&doc, "workload-without-component", "payments").is_empty());
        assert_eq!(
            rules(&doc).len() + 2,
            rules(&before).len(),
            "{name}: {doc:#}"
        );
    }
    // A `deployed_as` that names nothing is a component without a workload,
    // and the message names what it looked for.
    let spec = edit(
        SHOP_SPEC,
        "  - name: billing\n",
        "  - name: billing\n    deployed_as: shop/invoices\n",
    );
    let doc = check_json(&shop(&spec, SHOP), &[]);
    let f = of(&doc, "component-without-workload", "billing");
    assert_eq!(f.len(), 1, "{doc:#}");
    assert!(
        f[0]["message"]
            .as_str()
            .expect("message")
            .starts_with("no workload `shop/invoices`"),
        "{}",
        f[0]
    );
}

#[test]
fn a_workload_without_a_component_is_a_warning_at_the_object() {
    let doc = shop_doc();
    let f = fires(
        &doc,
        &Want {
            rule: "workload-without-component",
            severity: "warning",
            component: None,
            workload: Some("payments"),
            file: "k8s/shop.yaml",
            line: line_of(SHOP, "  name: payments"),
        },
    );
    assert!(f["component"].is_null(), "{f}");
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("Deployment `payments` runs but no component of the spec stands for it"),
        "{f}"
    );
    fires(
        &doc,
        &Want {
            rule: "workload-without-component",
            severity: "warning",
            component: None,
            workload: Some("node-exporter"),
            file: "k8s/shop.yaml",
            line: line_after(SHOP, "kind: DaemonSet", "  name: node-exporter"),
        },
    );
}

#[test]
fn a_component_for_the_workload_ends_workload_without_component() {
    let spec = format!("{SHOP_SPEC}  - name: payments\n    kind: rest-api\n");
    let doc = check_json(&shop(&spec, SHOP), &[]);
    silent(&doc, "workload-without-component", "payments", &shop_doc());
    // The new component runs two replicas of a Deployment: nothing else.
    assert!(
        doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["component"] != "payments"),
        "{doc:#}"
    );
}

#[test]
fn the_decided_verdict_wins_over_the_advice() {
    // `ledger` is a database: advised stateful. Decided stateless (with a
    // reason), its StatefulSet, claim and single replica are stateless drift,
    // and no stateful drift is reported.
    let spec = edit(
        SHOP_SPEC,
        "    kind: database\n    decision: stateful\n",
        "    kind: database\n    decision: stateless\n    decision_reason: a read-through cache of the bank's ledger\n",
    );
    let doc = check_json(&shop(&spec, SHOP), &[]);
    let ledger: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["component"] == "ledger")
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(
        ledger,
        [
            "accepted-departure",
            "stateless-on-statefulset",
            "stateless-with-persistent-volume",
            "stateless-single-replica"
        ],
        "{doc:#}"
    );
    let want = |rule, line| Want {
        rule,
        severity: "warning",
        component: Some("ledger"),
        workload: Some("ledger"),
        file: "k8s/shop.yaml",
        line,
    };
    fires(
        &doc,
        &want("stateless-on-statefulset", line_of(SHOP, "  name: ledger")),
    );
    fires(
        &doc,
        &want(
            "stateless-with-persistent-volume",
            line_after(SHOP, "mountPath: /var/lib/postgresql/data", "name: pgdata"),
        ),
    );
    let f = fires(
        &doc,
        &want(
            "stateless-single-replica",
            line_after(SHOP, "  name: ledger", "replicas: 1"),
        ),
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("decided stateless"),
        "{f}"
    );
    // Without a decision, the advice (stateful) is what the deployment is
    // compared with, and the message says so; against the advice alone the
    // drift is a warning, not an error.
    let spec = edit(
        SHOP_SPEC,
        "    kind: database\n    decision: stateful\n",
        "    kind: database\n",
    );
    let doc = check_json(&shop(&spec, SHOP), &[]);
    let f = fires(
        &doc,
        &want(
            "stateful-single-replica-at-high-availability",
            line_after(SHOP, "  name: ledger", "replicas: 1"),
        ),
    );
    assert!(
        f["message"]
            .as_str()
            .expect("message")
            .starts_with("advised stateful"),
        "{f}"
    );
}

// ---------------------------------------------------------------------------
// 2. The manifest's place in every format.

#[test]
fn every_format_points_at_the_manifest_file_and_line() {
    let f = shop(SHOP_SPEC, SHOP);
    let line = line_after(SHOP, "mountPath: /var/lib/game", "- name: rooms");
    let rule = "stateful-on-ephemeral-storage";
    let run = f.run(&[
        "check",
        "spec.yaml",
        "--format",
        "json=out/check.json",
        "--format",
        "github=out/github.txt",
        "--format",
        "sarif=out/check.sarif",
        "--format",
        "junit=out/junit.xml",
        "--format",
        "gitlab=out/gl-code-quality.json",
        "--format",
        "markdown=out/summary.md",
    ]);
    run.code(1).stderr_empty();
    let json: Value = serde_json::from_str(&f.read("out/check.json")).expect("JSON");
    let finding = of(&json, rule, "game")[0].clone();
    let message = finding["message"].as_str().expect("message");
    // Text: `error: FILE:LINE: `component`: message`.
    run.stdout_contains(&format!(
        "\nerror: k8s/shop.yaml:{line}: `game`: {message}\n"
    ));
    // GitHub: an annotation on the manifest's line.
    let github = f.read("out/github.txt");
    assert!(
        github.lines().any(|l| l.starts_with(&format!(
            "::error file=k8s/shop.yaml,line={line},title=statewise {rule}%3A game::"
        ))),
        "{github}"
    );
    // SARIF: the manifest as the artifact, the line as the region.
    let sarif: Value = serde_json::from_str(&f.read("out/check.sarif")).expect("SARIF is JSON");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == rule)
        .expect("the finding in SARIF")
        .clone();
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"], "k8s/shop.yaml",
        "{result:#}"
    );
    assert_eq!(loc["region"]["startLine"], line, "{result:#}");
    // JUnit: a failure of the component's test case, naming the place.
    let junit = f.read("out/junit.xml");
    let case = junit
        .split("<testcase ")
        .find(|c| c.starts_with("name=\"game\""))
        .unwrap_or_else(|| panic!("no test case for `game`:\n{junit}"));
    assert!(
        case.contains(&format!("<failure type=\"{rule}\""))
            && case.contains(&format!("error: k8s/shop.yaml:{line}: `game`: [{rule}]")),
        "{case}"
    );
    // A workload no component stands for is a case of the deployment,
    // apart from the decision record's checks.
    let orphan = junit
        .split("<testcase ")
        .find(|c| c.starts_with("name=\"payments\" classname=\"statewise.deployment\""))
        .unwrap_or_else(|| panic!("no deployment test case for `payments`:\n{junit}"));
    assert!(
        orphan.contains("classname=\"statewise.deployment\"")
            && orphan.contains("[workload-without-component] Deployment `payments`"),
        "{orphan}"
    );
    // GitLab Code Quality: the manifest's path and line.
    let gitlab: Value = serde_json::from_str(&f.read("out/gl-code-quality.json")).expect("JSON");
    let issue = gitlab
        .as_array()
        .expect("issues")
        .iter()
        .find(|i| i["check_name"] == rule)
        .expect("the finding in the GitLab report")
        .clone();
    assert_eq!(issue["location"]["path"], "k8s/shop.yaml", "{issue:#}");
    assert_eq!(issue["location"]["lines"]["begin"], line, "{issue:#}");
    assert_eq!(issue["severity"], "major", "{issue:#}");
    // Markdown: a row whose place is the manifest's.
    let markdown = f.read("out/summary.md");
    assert!(
        markdown.contains(&format!(
            "| error (fails) | `{rule}` | game | k8s/shop.yaml:{line} | "
        )),
        "{markdown}"
    );
    // A finding with no component: no component in any format, the place
    // still the manifest's.
    let exporter = line_after(SHOP, "kind: DaemonSet", "  name: node-exporter");
    run.stdout_contains(&format!(
        "\nwarning: k8s/shop.yaml:{exporter}: DaemonSet `node-exporter` runs"
    ));
    assert!(
        github.contains(&format!(
            "::warning file=k8s/shop.yaml,line={exporter},title=statewise workload-without-component::"
        )),
        "{github}"
    );
    assert!(
        markdown.contains(&format!(
            "| warning | `workload-without-component` |  | k8s/shop.yaml:{exporter} | "
        )),
        "{markdown}"
    );
    for (kind, file) in [
        ("sarif", "out/check.sarif"),
        ("junit", "out/junit.xml"),
        ("gitlab", "out/gl-code-quality.json"),
        ("json", "out/check.json"),
    ] {
        validate_report(&f, "deploy", kind, file);
    }
}

// ---------------------------------------------------------------------------
// 3. Waivers.

#[test]
fn a_component_waiver_sets_a_drift_finding_aside_and_the_gate_passes() {
    // Without `ledger`'s error, `game`'s is the only one: waived, check passes.
    let spec = edit(SHOP_SPEC, "availability: 99.95", "availability: 99.5");
    let spec = edit(
        &spec,
        "  - name: game\n    kind: game-server\n    decision: stateful\n",
        "  - name: game\n    kind: game-server\n    decision: stateful\n    waivers:\n      - rule: stateful-on-ephemeral-storage\n        reason: rooms are rebuilt from the lobby after a restart\n",
    );
    let f = shop(&spec, SHOP);
    let run = f.run(&["check", "spec.yaml"]);
    run.success()
        .stdout_lacks("stateful-on-ephemeral-storage")
        .stdout_lacks("`game`")
        .stdout_contains("check passed: 0 errors, 8 warnings, 1 note, 1 waived\n");
    let doc = check_json(&f, &[]);
    assert_eq!(doc["summary"]["waived"], 1);
    let waived = &doc["suppressed"][0];
    assert_eq!(waived["rule"], "stateful-on-ephemeral-storage");
    assert_eq!(waived["component"], "game");
    assert_eq!(waived["workload"], "game");
    assert_eq!(waived["file"], "k8s/shop.yaml");
    assert_eq!(
        waived["suppressed"]["reason"],
        "rooms are rebuilt from the lobby after a restart"
    );
    assert_eq!(doc["unused_waivers"], serde_json::json!([]));
    // `--no-waivers`: the error counts again.
    f.run(&["check", "spec.yaml", "--no-waivers"])
        .code(1)
        .stdout_contains(&format!(
            "error: k8s/shop.yaml:{}: `game`:",
            line_after(SHOP, "mountPath: /var/lib/game", "- name: rooms")
        ));
}

/// `SHOP_SPEC` with `system.waivers`.
fn with_system_waivers(waivers: &str) -> String {
    edit(
        SHOP_SPEC,
        "  name: Shop\n",
        &format!("  name: Shop\n  waivers:\n{waivers}"),
    )
}

#[test]
fn a_system_waiver_with_a_workload_sets_aside_only_that_workload() {
    let spec = with_system_waivers(
        "    - rule: workload-without-component\n      reason: the platform team runs the node exporter\n      workload: node-exporter\n",
    );
    let doc = check_json(&shop(&spec, SHOP), &[]);
    assert!(of(&doc, "workload-without-component", "node-exporter").is_empty());
    assert_eq!(of(&doc, "workload-without-component", "payments").len(), 1);
    assert_eq!(doc["summary"]["waived"], 1);
    let waived = doc["suppressed"].as_array().expect("suppressed");
    assert_eq!(waived.len(), 1, "{doc:#}");
    assert_eq!(waived[0]["workload"], "node-exporter");
    assert_eq!(
        waived[0]["suppressed"]["reason"],
        "the platform team runs the node exporter"
    );
    assert_eq!(doc["unused_waivers"], serde_json::json!([]));
}

#[test]
fn a_system_waiver_without_a_workload_sets_aside_every_workload_without_a_component() {
    let spec = with_system_waivers(
        "    - rule: workload-without-component\n      reason: only the shop's own services are specified\n",
    );
    let f = shop(&spec, SHOP);
    let doc = check_json(&f, &[]);
    assert!(of(&doc, "workload-without-component", "node-exporter").is_empty());
    assert!(of(&doc, "workload-without-component", "payments").is_empty());
    assert_eq!(doc["summary"]["waived"], 2);
    // It sets aside no component's finding.
    assert_eq!(of(&doc, "component-without-workload", "billing").len(), 1);
    let doc = check_json(&f, &["--no-waivers"]);
    assert_eq!(doc["summary"]["waived"], 0);
    assert_eq!(
        rules(&doc)
            .iter()
            .filter(|r| *r == "workload-without-component")
            .count(),
        2
    );
}

#[test]
fn an_unused_system_waiver_is_reported() {
    let spec = with_system_waivers(
        "    - rule: workload-without-component\n      reason: retired last quarter\n      workload: legacy-cron\n",
    );
    let f = shop(&spec, SHOP);
    let run = f.run(&["check", "spec.yaml"]);
    run.code(1).stdout_contains(
        "system, workload `legacy-cron`: the waiver of `workload-without-component` sets no finding aside; remove it, or correct the rule id or the workload\n",
    );
    let doc = check_json(&f, &[]);
    assert_eq!(doc["summary"]["waived"], 0);
    let unused = doc["unused_waivers"].as_array().expect("unused_waivers");
    assert_eq!(unused.len(), 1, "{doc:#}");
    assert_eq!(unused[0]["rule"], "workload-without-component");
    assert_eq!(unused[0]["component"], Value::Null, "a system waiver");
    assert_eq!(unused[0]["workload"], "legacy-cron");
    // Both workloads are still reported.
    assert_eq!(
        rules(&doc)
            .iter()
            .filter(|r| *r == "workload-without-component")
            .count(),
        2
    );
}

// ---------------------------------------------------------------------------
// 4. Finding the deployment files.

#[test]
fn a_deploy_glob_is_relative_to_the_spec_folder_from_any_working_folder() {
    let f = Folder::new();
    f.write("sys/spec.yaml", SHOP_SPEC);
    f.write("sys/k8s/shop.yaml", SHOP);
    let line = line_of(SHOP, "  name: search");
    // From the folder above the spec's.
    let run = f.run(&["check", "sys/spec.yaml"]);
    run.code(1).stdout_contains(&format!(
        "warning: sys/k8s/shop.yaml:{line}: `search`: decided stateless but runs as StatefulSet"
    ));
    // From a folder beside it.
    let run = f
        .test()
        .cwd("elsewhere")
        .args(["check", "../sys/spec.yaml", "--format", "json"])
        .run();
    run.code(1).stderr_empty();
    let doc = run.json();
    let found = of(&doc, "stateless-on-statefulset", "search");
    assert_eq!(found.len(), 1, "{doc:#}");
    assert_eq!(found[0]["file"], "../sys/k8s/shop.yaml");
    assert_eq!(found[0]["line"], line);
    // Every manifest file the glob matches is read: a second file's
    // workload is matched too.
    f.write(
        "sys/k8s/billing.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: billing}\n  template:\n    metadata:\n      labels: {app: billing}\n    spec:\n      containers:\n        - name: billing\n          image: ghcr.io/acme/billing:1.0.0\n",
    );
    let doc = f
        .test()
        .cwd("sys")
        .args(["check", "spec.yaml", "--format", "json"])
        .run()
        .json();
    assert!(
        of(&doc, "component-without-workload", "billing").is_empty(),
        "{doc:#}"
    );
}

#[test]
fn deploy_on_the_command_line_replaces_the_spec_s_files() {
    let f = Folder::new();
    f.write("sys/spec.yaml", SHOP_SPEC);
    f.write("sys/k8s/shop.yaml", SHOP);
    f.write("compose.yaml", CHAT);
    // Relative to the working folder, not the spec's; the spec's glob is
    // not read.
    let run = f.run(&[
        "check",
        "sys/spec.yaml",
        "--deploy",
        "compose.yaml",
        "--format",
        "json",
    ]);
    // Only warnings: of the shop, only `web` has a Compose service.
    run.code(0).stderr_empty();
    let doc = run.json();
    for finding in doc["findings"].as_array().expect("findings") {
        let file = finding["file"].as_str().expect("file");
        assert!(
            file == "sys/spec.yaml" || file == "compose.yaml",
            "{finding}"
        );
    }
    let sticky = of(&doc, "stateless-with-sticky-sessions", "web");
    assert_eq!(sticky[0]["file"], "compose.yaml");
    // The shop's components have no Compose service but `web`.
    assert_eq!(of(&doc, "component-without-workload", "search").len(), 1);
    // Repeatable: both files.
    let run = f.run(&[
        "check",
        "sys/spec.yaml",
        "--deploy",
        "compose.yaml",
        "--deploy",
        "sys/k8s",
        "--format",
        "json",
    ]);
    let doc = run.json();
    assert_eq!(of(&doc, "stateless-on-statefulset", "search").len(), 1);
    // Both files have a `web`: the component is compared with the first
    // read, and the other is a workload of its own with no component.
    let sticky = of(&doc, "stateless-with-sticky-sessions", "web");
    assert_eq!(sticky.len(), 1, "{doc:#}");
    assert_eq!(sticky[0]["file"], "compose.yaml");
    let other = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["rule"] == "workload-without-component"
                && f["file"] == "sys/k8s/shop.yaml"
                && f["line"] == line_of(SHOP, "  name: web")
        })
        .unwrap_or_else(|| panic!("the Kubernetes `web` has no component: {doc:#}"));
    assert!(
        other["message"]
            .as_str()
            .expect("message")
            .starts_with("Deployment `web` runs"),
        "{other}"
    );
}

#[test]
fn a_deploy_entry_that_matches_nothing_is_exit_2_at_its_place_in_the_spec() {
    let f = Folder::new();
    f.write(
        "sys/spec.yaml",
        edit(SHOP_SPEC, "deploy: [k8s/*.yaml]", "deploy: [k8s/*.yml]"),
    );
    f.write("sys/k8s/shop.yaml", SHOP);
    f.run(&["check", "sys/spec.yaml"])
        .fails()
        .error_at("sys/spec.yaml:4:12")
        .stderr_contains("`k8s/*.yml` matches no file (looked for `sys/k8s/*.yml`)");
    // A plain path, in block style.
    f.write(
        "sys/spec.yaml",
        edit(
            SHOP_SPEC,
            "  deploy: [k8s/*.yaml]\n",
            "  deploy:\n    - k8s/shop.yaml\n    - helm/rendered.yaml\n",
        ),
    );
    f.run(&["check", "sys/spec.yaml"])
        .fails()
        .error_at("sys/spec.yaml:6:7")
        .stderr_contains("helm/rendered.yaml");
    // `analyze` and `explain` read the same files and fail the same way.
    f.run(&["analyze", "sys/spec.yaml"])
        .fails()
        .error_at("sys/spec.yaml:6:7");
    f.run(&["explain", "sys/spec.yaml", "web"])
        .fails()
        .error_at("sys/spec.yaml:6:7");
    // `--deploy` replaces the entry, so the spec's missing file is no error.
    f.run(&["check", "sys/spec.yaml", "--deploy", "sys/k8s/shop.yaml"])
        .code(1)
        .stderr_empty();
}

#[test]
fn a_manifest_that_is_not_yaml_is_exit_2_at_its_place() {
    let f = shop(SHOP_SPEC, SHOP);
    f.write(
        "k8s/broken.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\n    labels: oops\nspec:\n  replicas: 2\n",
    );
    f.run(&["check", "spec.yaml"])
        .fails()
        .error_at("k8s/broken.yaml:5:11")
        .stderr_contains("not valid YAML");
    f.run(&[
        "check",
        "spec.yaml",
        "--deploy",
        "k8s/broken.yaml",
        "-f",
        "json",
    ])
    .fails()
    .error_at("k8s/broken.yaml:5:11");
}

// ---------------------------------------------------------------------------
// 5. The deployment in `analyze` and `explain`, and rules that test it.

/// The facts of component `name` in `analyze --format json`.
fn facts_of<'a>(doc: &'a Value, name: &str) -> &'a serde_json::Map<String, Value> {
    doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no component `{name}`"))["facts"]
        .as_object()
        .expect("facts")
}

#[test]
fn analyze_json_has_the_deployment_facts_with_their_origin() {
    let f = shop(SHOP_SPEC, SHOP);
    let run = f.run(&["analyze", "spec.yaml", "--format", "json"]);
    run.success();
    let doc = run.json();
    let deployed = |name: &str| -> Vec<(String, Value)> {
        facts_of(&doc, name)
            .iter()
            .filter(|(k, _)| k.starts_with("deployed_"))
            .map(|(k, v)| {
                assert_eq!(v["origin"], "deployment", "{name}: {k}");
                (k.clone(), v["value"].clone())
            })
            .collect()
    };
    let pairs = |p: &[(&str, Value)]| -> Vec<(String, Value)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    };
    // Autoscaled by KEDA: no fixed replica count; a sticky Ingress.
    assert_eq!(
        deployed("web"),
        pairs(&[
            ("deployed_affinity", "per-client".into()),
            ("deployed_autoscaled", true.into()),
            ("deployed_persistent_storage", false.into()),
            ("deployed_workload", "deployment".into()),
        ])
    );
    assert_eq!(
        deployed("api"),
        pairs(&[
            ("deployed_affinity", "none".into()),
            ("deployed_autoscaled", false.into()),
            ("deployed_persistent_storage", false.into()),
            ("deployed_replicas", 1.into()),
            ("deployed_workload", "deployment".into()),
        ])
    );
    assert_eq!(
        deployed("uploads")[2],
        ("deployed_persistent_storage".to_owned(), true.into())
    );
    assert_eq!(
        deployed("search").last().cloned(),
        Some(("deployed_workload".to_owned(), "statefulset".into()))
    );
    assert_eq!(
        deployed("rooms"),
        pairs(&[
            ("deployed_affinity", "none".into()),
            ("deployed_autoscaled", true.into()),
            ("deployed_persistent_storage", true.into()),
            ("deployed_workload", "statefulset".into()),
        ])
    );
    // Consistent hashing is per key.
    let hashed = edit(
        SHOP,
        "nginx.ingress.kubernetes.io/affinity: cookie",
        "nginx.ingress.kubernetes.io/upstream-hash-by: \"$arg_room\"",
    );
    let doc = shop(SHOP_SPEC, &hashed)
        .run(&["analyze", "spec.yaml", "--format", "json"])
        .json();
    assert_eq!(
        facts_of(&doc, "web")["deployed_affinity"]["value"],
        "per-key"
    );
    // No workload, no deployment facts.
    let doc = f.run(&["analyze", "spec.yaml", "--format", "json"]).json();
    assert!(
        facts_of(&doc, "billing")
            .keys()
            .all(|k| !k.starts_with("deployed_")),
        "{doc:#}"
    );
    // A Compose service.
    let doc = chat(CHAT_SPEC, CHAT)
        .run(&["analyze", "spec.yaml", "--format", "json"])
        .json();
    let web = facts_of(&doc, "web");
    assert_eq!(web["deployed_workload"]["value"], "compose-service");
    assert_eq!(web["deployed_replicas"]["value"], 3);
    assert_eq!(web["deployed_affinity"]["value"], "per-client");
    assert_eq!(
        facts_of(&doc, "db")["deployed_persistent_storage"]["value"],
        true
    );
    // Without deployment files, no deployment facts at all.
    let bare = Folder::new();
    bare.write("spec.yaml", edit(SHOP_SPEC, "  deploy: [k8s/*.yaml]\n", ""));
    let run = bare.run(&["analyze", "spec.yaml", "--format", "json"]);
    run.success();
    assert!(!run.stdout.contains("deployed_"), "{}", run.stdout);
    bare.run(&["analyze", "spec.yaml"])
        .success()
        .stdout_lacks("How it is deployed");
}

#[test]
fn analyze_table_shows_how_each_component_is_deployed_with_file_and_line() {
    let f = shop(SHOP_SPEC, SHOP);
    let run = f.run(&["analyze", "spec.yaml"]);
    run.success()
        .stdout_contains("\nHow it is deployed (the deployment files):\n");
    let section = run
        .stdout
        .split("How it is deployed (the deployment files):\n")
        .nth(1)
        .expect("the section");
    let line = |name: &str| {
        section
            .lines()
            .find(|l| l.starts_with(&format!("  {name}: ")))
            .unwrap_or_else(|| panic!("no line for `{name}` in\n{section}"))
            .to_owned()
    };
    assert_eq!(
        line("game"),
        format!(
            "  game: runs as Deployment `game` (k8s/shop.yaml:{}); 2 replicas (k8s/shop.yaml:{}); no persistent storage; scratch space emptyDir `rooms` (k8s/shop.yaml:{})",
            line_of(SHOP, "  name: game"),
            line_after(SHOP, "  name: game", "replicas: 2"),
            line_after(SHOP, "mountPath: /var/lib/game", "- name: rooms"),
        )
    );
    let rooms = line("rooms");
    assert!(
        rooms.contains(&format!(
            "autoscaled by a HorizontalPodAutoscaler, 2 to 8 replicas (k8s/shop.yaml:{})",
            line_after(SHOP, "kind: HorizontalPodAutoscaler", "  name: rooms")
        )),
        "{rooms}"
    );
    let web = line("web");
    assert!(
        web.contains(&format!(
            "session affinity per-client: annotation `nginx.ingress.kubernetes.io/affinity: cookie` (k8s/shop.yaml:{})",
            line_of(SHOP, "affinity: cookie")
        )),
        "{web}"
    );
    // `billing` has no workload, and says so.
    assert!(
        section.contains("  billing: no workload `billing` in the deployment files\n"),
        "{section}"
    );
}

#[test]
fn explain_shows_the_deployment_in_text_and_json() {
    let f = shop(SHOP_SPEC, SHOP);
    let run = f.run(&["explain", "spec.yaml", "ledger"]);
    run.success();
    let section = run
        .stdout
        .split("How it is deployed (the deployment files):\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no deployment section{}", run.context()));
    let replicas = line_after(SHOP, "  name: ledger", "replicas: 1");
    let claim = line_after(SHOP, "mountPath: /var/lib/postgresql/data", "name: pgdata");
    let want = [
        format!(
            "  runs as StatefulSet `ledger` (k8s/shop.yaml:{})",
            line_of(SHOP, "  name: ledger")
        ),
        format!("  1 replica (k8s/shop.yaml:{replicas})"),
        format!("  persistent storage: volumeClaimTemplate `pgdata` (k8s/shop.yaml:{claim})"),
    ];
    assert_eq!(section.lines().take(3).collect::<Vec<_>>(), want);
    // The facts, with their origin.
    let facts = run
        .stdout
        .split("How it is deployed")
        .next()
        .expect("facts");
    assert!(
        facts
            .lines()
            .any(|l| l.trim_start().starts_with("deployed_workload")
                && l.contains("statefulset")
                && l.trim_end().ends_with("deployment")),
        "{}",
        run.stdout
    );
    let run = f.run(&["explain", "spec.yaml", "ledger", "--format", "json"]);
    run.success();
    let doc = run.json();
    assert_eq!(
        doc["deployment"],
        serde_json::json!(want.map(|l| l[2..].to_owned()))
    );
    assert_eq!(doc["facts"]["deployed_workload"]["value"], "statefulset");
    assert_eq!(doc["facts"]["deployed_workload"]["origin"], "deployment");
    // A component with no workload says so, and has no deployment facts.
    let doc = f
        .run(&["explain", "spec.yaml", "billing", "--format", "json"])
        .json();
    assert_eq!(
        doc["deployment"],
        serde_json::json!(["no workload `billing` in the deployment files"])
    );
    assert!(doc["facts"].get("deployed_workload").is_none(), "{doc:#}");
}

/// A team's rule on the deployment facts.
const STATEFULSET_RULE: &str = "\
- id: runs-as-statefulset
  title: It already runs as a StatefulSet
  when:
    deployed_workload: statefulset
  favors: stateful
  weight: 2
  because: >-
    A StatefulSet gives each instance a fixed identity and its own disk.
";

#[test]
fn a_custom_rule_on_the_deployment_fires_only_where_it_is_deployed_that_way() {
    let f = shop(SHOP_SPEC, SHOP);
    f.write("extra.yaml", STATEFULSET_RULE);
    f.run(&["rules", "lint", "extra.yaml"]).success();
    let fired = |doc: &Value| -> Vec<String> {
        doc["components"]
            .as_array()
            .expect("components")
            .iter()
            .filter(|c| {
                c["rules"]
                    .as_array()
                    .expect("rules")
                    .iter()
                    .any(|r| r["id"] == "runs-as-statefulset")
            })
            .map(|c| c["name"].as_str().expect("name").to_owned())
            .collect()
    };
    let run = f.run(&[
        "analyze",
        "spec.yaml",
        "--rules",
        "extra.yaml",
        "--format",
        "json",
    ]);
    run.success();
    assert_eq!(fired(&run.json()), ["search", "rooms", "ledger"]);
    // `search` as a Deployment: the rule no longer fires for it.
    let moved = edit(
        SHOP,
        "kind: StatefulSet\nmetadata:\n  name: search\nspec:\n  serviceName: search\n",
        "kind: Deployment\nmetadata:\n  name: search\nspec:\n",
    );
    f.write("k8s/shop.yaml", &moved);
    let doc = f
        .run(&[
            "analyze",
            "spec.yaml",
            "--rules",
            "extra.yaml",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(fired(&doc), ["rooms", "ledger"]);
    // Deployed from Compose, nothing is a StatefulSet.
    f.write("compose.yaml", CHAT);
    let doc = f
        .run(&[
            "analyze",
            "spec.yaml",
            "--rules",
            "extra.yaml",
            "--deploy",
            "compose.yaml",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(fired(&doc), Vec::<String>::new());
    // `explain` shows it among the rules that fired, with the fact it saw.
    f.write("k8s/shop.yaml", SHOP);
    f.run(&["explain", "spec.yaml", "search", "--rules", "extra.yaml"])
        .success()
        .stdout_contains("runs-as-statefulset: It already runs as a StatefulSet")
        .stdout_contains(
            "deployed_workload = statefulset (saw deployed_workload = statefulset): holds",
        );
}
