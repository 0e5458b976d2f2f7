//! The pod-template hash: golden values, upstream's `TestEqualIgnoreHash` table, the
//! normalisation rules, and properties.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use kube_workloads::api::{Container, ContainerPort, PodTemplateSpec, Protocol};
use kube_workloads::hash::{
    POD_TEMPLATE_HASH_LABEL, equal_ignore_hash, pod_template_hash, pod_template_sum32, safe_encode,
};
use kube_workloads::value::{Mapping, Value};
use proptest::prelude::*;

fn yaml(text: &str) -> PodTemplateSpec {
    serde_yaml::from_str(text).unwrap()
}

/// The book's Deployment template (`sample-deployment`, nginx:1.16).
const BOOK: &str = "
metadata:
  labels:
    app: sample-app
spec:
  containers:
  - name: nginx-container
    image: nginx:1.16
";

/// The same template with `kubectl set image ... nginx-container=nginx:1.17`.
const BOOK_117: &str = "
metadata:
  labels:
    app: sample-app
spec:
  containers:
  - name: nginx-container
    image: nginx:1.17
";

/// A template with unmodelled fields, as the API server stores it after defaulting.
const DEFAULTED: &str = "
metadata:
  labels:
    app: web
    tier: frontend
  annotations:
    team: payments
spec:
  containers:
  - name: web
    image: registry.example/web:2.3.1
    imagePullPolicy: IfNotPresent
    ports:
    - containerPort: 8080
      name: http
      protocol: TCP
    env:
    - name: MODE
      value: production
    resources:
      limits:
        cpu: 500m
        memory: 256Mi
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  dnsPolicy: ClusterFirst
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  terminationGracePeriodSeconds: 30
";

/// `DEFAULTED` with every mapping written in another key order.
const DEFAULTED_REORDERED: &str = "
spec:
  terminationGracePeriodSeconds: 30
  securityContext: {}
  schedulerName: default-scheduler
  restartPolicy: Always
  dnsPolicy: ClusterFirst
  containers:
  - terminationMessagePolicy: File
    terminationMessagePath: /dev/termination-log
    resources:
      limits:
        memory: 256Mi
        cpu: 500m
    env:
    - value: production
      name: MODE
    ports:
    - protocol: TCP
      name: http
      containerPort: 8080
    imagePullPolicy: IfNotPresent
    image: registry.example/web:2.3.1
    name: web
metadata:
  annotations:
    team: payments
  labels:
    tier: frontend
    app: web
";

fn is_safe_hash(h: &str) -> bool {
    !h.is_empty() && h.len() <= 10 && h.bytes().all(|c| b"456789bcdf".contains(&c))
}

#[test]
fn golden_values() {
    // Cross-checked against an independent implementation of the encoding in the module docs.
    // The 1.17 hash has 9 characters: the decimal sum is not padded.
    #[rustfmt::skip]
    let cases: [(&str, PodTemplateSpec, [&str; 3]); 4] = [
        ("empty", PodTemplateSpec::default(), ["7f77c679b8", "5d5874d584", "77d4fc49c7"]),
        ("book nginx:1.16", yaml(BOOK), ["859dd667cf", "85dd4b8775", "6b65845dfd"]),
        ("book nginx:1.17", yaml(BOOK_117), ["6dd8bb8fb", "7cfc86fd68", "54bf568fb5"]),
        ("defaulted", yaml(DEFAULTED), ["57784ddc7d", "7ff648549d", "56b7c7b5f9"]),
    ];
    for (name, t, want) in cases {
        let got = [
            pod_template_hash(&t, None),
            pod_template_hash(&t, Some(0)),
            pod_template_hash(&t, Some(1)),
        ];
        assert_eq!(got, want, "{name}");
        for h in &got {
            assert!(is_safe_hash(h), "{name}: {h}");
        }
        let sum = pod_template_sum32(&t, None);
        assert_eq!(got[0], safe_encode(&sum.to_string()), "{name}");
    }
}

#[test]
fn collision_count_changes_the_hash() {
    let t = yaml(BOOK);
    let hashes: Vec<String> = [None, Some(0), Some(1), Some(2), Some(-1), Some(i32::MAX)]
        .into_iter()
        .map(|c| pod_template_hash(&t, c))
        .collect();
    for (i, a) in hashes.iter().enumerate() {
        for b in &hashes[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn hash_ignores_key_order() {
    let (a, b) = (yaml(DEFAULTED), yaml(DEFAULTED_REORDERED));
    assert_eq!(pod_template_hash(&a, None), pod_template_hash(&b, None));
    assert_eq!(
        pod_template_hash(&a, Some(3)),
        pod_template_hash(&b, Some(3))
    );
    assert!(equal_ignore_hash(&a, &b));
}

#[test]
fn hash_includes_unmodelled_fields() {
    let base = yaml(DEFAULTED);
    let changed = yaml(&DEFAULTED.replace("memory: 256Mi", "memory: 512Mi"));
    assert_ne!(
        pod_template_hash(&base, None),
        pod_template_hash(&changed, None)
    );
    assert!(!equal_ignore_hash(&base, &changed));
}

/// Upstream's `TestEqualIgnoreHash`: templates built from (name, nodeName, annotations, labels),
/// checked in both argument orders, inputs not mutated.
#[test]
fn equal_ignore_hash_table() {
    fn t(
        name: &str,
        node: &str,
        annotations: &[(&str, &str)],
        labels: &[(&str, &str)],
    ) -> PodTemplateSpec {
        let mut t = PodTemplateSpec::default();
        t.metadata.name = name.into();
        t.spec.node_name = node.into();
        for (k, v) in annotations {
            t.metadata.annotations.insert((*k).into(), (*v).into());
        }
        for (k, v) in labels {
            t.metadata.labels.insert((*k).into(), (*v).into());
        }
        t
    }
    const H: &str = POD_TEMPLATE_HASH_LABEL;
    #[rustfmt::skip]
    let cases = [
        ("same spec, same labels",
            t("foo", "foo-node", &[], &[(H, "value-1"), ("something", "else")]),
            t("foo", "foo-node", &[], &[(H, "value-1"), ("something", "else")]), true),
        ("same spec, only hash label value differs",
            t("foo", "foo-node", &[], &[(H, "value-1"), ("something", "else")]),
            t("foo", "foo-node", &[], &[(H, "value-2"), ("something", "else")]), true),
        ("same spec, the former has no hash label",
            t("foo", "foo-node", &[], &[("something", "else")]),
            t("foo", "foo-node", &[], &[(H, "value-2"), ("something", "else")]), true),
        ("same spec, different label, former has no hash label, same label count",
            t("foo", "foo-node", &[], &[("something", "else")]),
            t("foo", "foo-node", &[], &[(H, "value-2")]), false),
        ("same spec, different label, latter has no hash label, same label count",
            t("foo", "foo-node", &[], &[(H, "value-1")]),
            t("foo", "foo-node", &[], &[("something", "else")]), false),
        ("same spec, different label, same hash label value",
            t("foo", "foo-node", &[], &[(H, "value-1")]),
            t("foo", "foo-node", &[], &[(H, "value-1"), ("something", "else")]), false),
        ("different spec (annotations), same labels",
            t("foo", "foo-node", &[("former", "value")], &[(H, "value-1"), ("something", "else")]),
            t("foo", "foo-node", &[("latter", "value")], &[(H, "value-1"), ("something", "else")]), false),
        ("different spec (name), different hash label",
            t("foo-1", "foo-node", &[], &[(H, "value-1"), ("something", "else")]),
            t("foo-2", "foo-node", &[], &[(H, "value-2"), ("something", "else")]), false),
        ("different spec (name and node), former has no hash label",
            t("foo-1", "foo-node-1", &[], &[("something", "else")]),
            t("foo-2", "foo-node-2", &[], &[(H, "value-2"), ("something", "else")]), false),
        ("different spec (node), different labels",
            t("foo", "foo-node-1", &[], &[("something", "else")]),
            t("foo", "foo-node-2", &[], &[("nothing", "else")]), false),
    ];
    for (name, former, latter, want) in cases {
        let (f0, l0) = (former.clone(), latter.clone());
        assert_eq!(equal_ignore_hash(&former, &latter), want, "{name}");
        assert_eq!(
            equal_ignore_hash(&latter, &former),
            want,
            "{name} (reversed)"
        );
        assert_eq!(former, f0, "{name}: former mutated");
        assert_eq!(latter, l0, "{name}: latter mutated");
    }
}

#[test]
fn absent_values_in_unmodelled_fields_are_dropped() {
    let base = yaml(BOOK);
    for extra in [
        "    env: []\n",
        "    env: null\n",
        "    resources: {}\n",
        "    resources:\n      limits: {}\n      requests: null\n",
        "    securityContext:\n      capabilities:\n        add: []\n",
    ] {
        let t = yaml(&format!("{BOOK}{extra}"));
        assert!(equal_ignore_hash(&base, &t), "{extra}");
        assert_eq!(
            pod_template_hash(&base, None),
            pod_template_hash(&t, None),
            "{extra}"
        );
    }
}

/// Documented difference: zero scalars in unmodelled fields are compared as written; list
/// elements are never dropped.
#[test]
fn zero_scalars_in_unmodelled_fields_are_compared_as_written() {
    let base = yaml(BOOK);
    for extra in [
        "    stdin: false\n",
        "    workingDir: \"\"\n",
        "    args: [\"\"]\n",
        "    args: [null]\n",
        "    args: [{}]\n",
    ] {
        let t = yaml(&format!("{BOOK}{extra}"));
        assert!(!equal_ignore_hash(&base, &t), "{extra}");
        assert_ne!(
            pod_template_hash(&base, None),
            pod_template_hash(&t, None),
            "{extra}"
        );
    }
    // List elements keep their kind: null, {} and [] differ from each other.
    let null = yaml(&format!("{BOOK}    args: [null]\n"));
    let map = yaml(&format!("{BOOK}    args: [{{}}]\n"));
    let list = yaml(&format!("{BOOK}    args: [[]]\n"));
    assert!(!equal_ignore_hash(&null, &map));
    assert!(!equal_ignore_hash(&map, &list));
    assert!(!equal_ignore_hash(&null, &list));
}

#[test]
fn enums_compare_by_spelling_and_options_by_presence() {
    let mut a = yaml(BOOK);
    a.spec.containers[0].ports.push(ContainerPort {
        container_port: 80,
        protocol: Protocol::Tcp,
        ..Default::default()
    });
    let mut b = a.clone();
    b.spec.containers[0].ports[0].protocol = Protocol::Other("TCP".into());
    assert!(equal_ignore_hash(&a, &b));
    assert_eq!(pod_template_hash(&a, None), pod_template_hash(&b, None));
    b.spec.termination_grace_period_seconds = Some(0);
    assert!(!equal_ignore_hash(&a, &b), "None differs from Some(0)");
    assert_ne!(pod_template_hash(&a, None), pod_template_hash(&b, None));
}

#[test]
fn floats_fold_the_sign_of_zero() {
    let mut a = PodTemplateSpec::default();
    a.spec.extra.insert("x".into(), Value::Float(0.0));
    let mut b = PodTemplateSpec::default();
    b.spec.extra.insert("x".into(), Value::Float(-0.0));
    assert!(equal_ignore_hash(&a, &b));
    assert_eq!(pod_template_hash(&a, None), pod_template_hash(&b, None));
}

// ---------------------------------------------------------------------------------------------
// Properties

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..300).prop_map(Value::Int),
        "[a-c]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Sequence),
            prop::collection::vec(("[a-e]{1,2}", inner), 0..4)
                .prop_map(|kv| Value::Mapping(kv.into_iter().collect())),
        ]
    })
}

fn arb_mapping() -> impl Strategy<Value = Mapping> {
    prop::collection::vec(("[a-f]{1,3}", arb_value()), 0..4).prop_map(|kv| kv.into_iter().collect())
}

fn arb_labels() -> impl Strategy<Value = indexmap::IndexMap<String, String>> {
    prop::collection::vec(("[a-f]{1,3}", "[a-z0-9]{0,3}"), 0..5)
        .prop_map(|kv| kv.into_iter().collect())
}

fn arb_container() -> impl Strategy<Value = Container> {
    (
        "[a-z]{1,4}",
        "[a-z]{0,4}(:[0-9])?",
        prop::collection::vec(
            (1..100i32, prop::sample::select(vec!["TCP", "UDP", ""])),
            0..3,
        ),
        arb_mapping(),
    )
        .prop_map(|(name, image, ports, extra)| Container {
            name,
            image,
            ports: ports
                .into_iter()
                .map(|(p, proto)| ContainerPort {
                    container_port: p,
                    protocol: Protocol::parse(proto),
                    ..Default::default()
                })
                .collect(),
            extra,
            ..Default::default()
        })
}

fn arb_template() -> impl Strategy<Value = PodTemplateSpec> {
    (
        "[a-z]{0,4}",
        arb_labels(),
        arb_labels(),
        prop::collection::vec(arb_container(), 1..3),
        arb_mapping(),
        arb_mapping(),
        prop::option::of(0..60i64),
    )
        .prop_map(
            |(name, labels, annotations, containers, spec_extra, meta_extra, grace)| {
                let mut t = PodTemplateSpec::default();
                t.metadata.name = name;
                t.metadata.labels = labels;
                t.metadata.annotations = annotations;
                t.metadata.extra = meta_extra;
                t.spec.containers = containers;
                t.spec.extra = spec_extra;
                t.spec.termination_grace_period_seconds = grace;
                t
            },
        )
}

fn reverse_value(v: &Value) -> Value {
    match v {
        Value::Mapping(m) => Value::Mapping(reverse_mapping(m)),
        Value::Sequence(s) => Value::Sequence(s.iter().map(reverse_value).collect()),
        other => other.clone(),
    }
}

fn reverse_mapping(m: &Mapping) -> Mapping {
    m.iter()
        .rev()
        .map(|(k, v)| (k.clone(), reverse_value(v)))
        .collect()
}

fn reverse_labels(m: &indexmap::IndexMap<String, String>) -> indexmap::IndexMap<String, String> {
    m.iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The same template with every map's insertion order reversed.
fn reordered(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut r = t.clone();
    r.metadata.labels = reverse_labels(&t.metadata.labels);
    r.metadata.annotations = reverse_labels(&t.metadata.annotations);
    r.metadata.extra = reverse_mapping(&t.metadata.extra);
    r.spec.extra = reverse_mapping(&t.spec.extra);
    r.spec.node_selector = reverse_labels(&t.spec.node_selector);
    for c in &mut r.spec.containers {
        c.extra = reverse_mapping(&c.extra);
    }
    r
}

/// Changes one field of the template (index chosen by the test), always to a different value.
fn mutate(t: &mut PodTemplateSpec, which: usize) {
    let bump = |s: &mut String| s.push('!');
    match which % 14 {
        0 => bump(&mut t.metadata.name),
        1 => {
            t.metadata.labels.insert("zz".into(), "new".into());
        }
        2 => match t
            .metadata
            .labels
            .iter_mut()
            .find(|(k, _)| k.as_str() != POD_TEMPLATE_HASH_LABEL)
        {
            Some((_, v)) => bump(v),
            None => {
                t.metadata.labels.insert("k".into(), String::new());
            }
        },
        3 => {
            t.metadata.annotations.insert("zz".into(), String::new());
        }
        4 => bump(&mut t.spec.containers[0].image),
        5 => bump(&mut t.spec.containers[0].name),
        6 => t.spec.containers[0].ports.push(ContainerPort {
            container_port: 1,
            ..Default::default()
        }),
        7 => {
            t.spec.containers[0]
                .extra
                .insert("zzNew".into(), Value::Bool(false));
        }
        8 => {
            t.spec.extra.insert("zzNew".into(), Value::Int(0));
        }
        9 => {
            t.metadata
                .extra
                .insert("zzNew".into(), Value::String(String::new()));
        }
        10 => {
            // Change a nested unmodelled value.
            t.spec.extra.insert(
                "zzNested".into(),
                Value::Mapping(
                    [("a".to_owned(), Value::Sequence(vec![Value::Null]))]
                        .into_iter()
                        .collect(),
                ),
            );
        }
        11 => {
            t.spec.termination_grace_period_seconds =
                Some(t.spec.termination_grace_period_seconds.map_or(0, |g| g + 1));
        }
        12 => {
            t.spec.node_selector.insert("disk".into(), "ssd".into());
        }
        _ => t.spec.containers.push(Container {
            name: "extra".into(),
            ..Default::default()
        }),
    }
}

proptest! {
    #![proptest_config(support::cases(256))]

    /// Map insertion order never matters.
    #[test]
    fn hash_ignores_insertion_order(t in arb_template(), cc in prop::option::of(0..5i32)) {
        let r = reordered(&t);
        prop_assert_eq!(pod_template_hash(&t, cc), pod_template_hash(&r, cc));
        prop_assert!(equal_ignore_hash(&t, &r));
        prop_assert!(equal_ignore_hash(&r, &t));
    }

    /// Changing any field (unmodelled ones included) changes the hash and the equality.
    #[test]
    fn hash_changes_with_any_field(t in arb_template(), which in 0usize..14, cc in prop::option::of(0..5i32)) {
        let mut m = t.clone();
        mutate(&mut m, which);
        prop_assert!(!equal_ignore_hash(&t, &m));
        prop_assert!(!equal_ignore_hash(&m, &t));
        prop_assert_ne!(pod_template_hash(&t, cc), pod_template_hash(&m, cc));
    }

    /// Semantically equal templates hash equally: adding absent values anywhere changes nothing.
    #[test]
    fn absent_values_change_nothing(t in arb_template(), key in "[a-f]{1,3}") {
        let mut m = t.clone();
        for extra in [&mut m.spec.extra, &mut m.metadata.extra, &mut m.spec.containers[0].extra] {
            if !extra.contains_key(&key) {
                extra.insert(key.clone(), Value::Mapping(
                    [("x".to_owned(), Value::Null), ("y".to_owned(), Value::Sequence(vec![]))]
                        .into_iter().collect(),
                ));
            }
        }
        prop_assert!(equal_ignore_hash(&t, &m));
        prop_assert_eq!(pod_template_hash(&t, None), pod_template_hash(&m, None));
    }

    /// `equal_ignore_hash` ignores the hash label and nothing else.
    #[test]
    fn equality_ignores_only_the_hash_label(
        t in arb_template(),
        h1 in prop::option::of("[0-9]{1,3}"),
        h2 in prop::option::of("[0-9]{1,3}"),
        which in 0usize..14,
    ) {
        let (mut a, mut b) = (t.clone(), t.clone());
        if let Some(h) = h1 {
            a.metadata.labels.insert(POD_TEMPLATE_HASH_LABEL.into(), h);
        }
        if let Some(h) = h2 {
            b.metadata.labels.insert(POD_TEMPLATE_HASH_LABEL.into(), h);
        }
        prop_assert!(equal_ignore_hash(&a, &b));
        prop_assert!(equal_ignore_hash(&b, &a));
        mutate(&mut b, which);
        prop_assert!(!equal_ignore_hash(&a, &b));
        prop_assert!(!equal_ignore_hash(&b, &a));
    }
}
