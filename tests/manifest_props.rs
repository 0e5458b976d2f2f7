//! Property tests for manifests: encode -> decode round trips of arbitrary objects (unmodelled
//! fields included), and decoding arbitrary bytes or near-YAML text never panics.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::cast_possible_truncation)]

mod support;

use kube_workloads::api::{
    ConditionStatus, ContainerState, ContainerStateRunning, ContainerStatus, DeploymentCondition,
    DeploymentConditionType, DeploymentStrategy, DeploymentStrategyType, PodCondition,
    PodConditionType, PodPhase, Protocol, ReplicaSetSpec, RestartPolicy, RollingUpdateDeployment,
};
use kube_workloads::manifest::{self, DecodeOptions, FieldValidation, Format, Object};
use kube_workloads::meta::LabelSelector;
use kube_workloads::validation::FieldPath;
use kube_workloads::value::Mapping;
use kube_workloads::{
    Container, ContainerPort, Deployment, IntOrString, ObjectMeta, OwnerReference, Pod, PodSpec,
    PodTemplateSpec, ReplicaSet, Time, Value,
};
use proptest::collection::vec as pvec;
use proptest::option;
use proptest::prelude::*;

/// Strings that stress the YAML writer: words YAML 1.1 reads as other types, indicators,
/// whitespace, line breaks, control and non-ASCII characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9-]{0,12}",
        2 => prop::sample::select(vec![
            "yes", "No", "on", "OFF", "y", "n", "~", "null", "true", "0644", "0x1F", "1_000",
            "1e3", ".5", "1:20", "2024-05-01", "2024-05-01T10:00:00Z", "<<", "=", "", " x", "x ",
            "a: b", "a #b", "- x", "? x", "#x", "&a", "*a", "!x", "|", ">", "'q'", "\"q\"",
            "%x", "@x", "`x", "---", "...", "-", ":", "[a]", "{a}", "a,b", "x\ny", "x\ny\n",
            "x\n\n", "\n", "\tx", "é✓", "a\u{0}b", "\u{85}", "\u{2028}", "\u{feff}x", ".inf",
            "NaN", "0", "-1", "+1", "0o17", "0b11",
        ])
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[a-zA-Z][a-zA-Z0-9./-]{0,10}", 1 => text()]
}

/// Arbitrary JSON values, as unmodelled fields hold them. Floats are never integral: YAML, as
/// kubectl reads it, turns `3.0` into the integer 3.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(Value::UInt),
        (-1e12f64..1e12)
            .prop_filter("not integral", |f| f.fract() != 0.0)
            .prop_map(Value::Float),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            pvec(inner.clone(), 0..4).prop_map(Value::Sequence),
            pvec((key(), inner), 0..4)
                .prop_map(|kv| Value::Mapping(kv.into_iter().collect::<Mapping>())),
        ]
    })
}

/// Unmodelled fields for a type: some with names the API defines, some with any name.
fn extra(
    known: &'static [&'static str],
    modelled: &'static [&'static str],
) -> impl Strategy<Value = Mapping> {
    let name = prop_oneof![
        prop::sample::select(known.to_vec()).prop_map(str::to_owned),
        key(),
    ];
    pvec((name, value()), 0..3).prop_map(move |kv| {
        kv.into_iter()
            .filter(|(k, _)| !modelled.contains(&k.as_str()) && k != "apiVersion" && k != "kind")
            .collect()
    })
}

fn labels() -> impl Strategy<Value = indexmap::IndexMap<String, String>> {
    pvec((key(), text()), 0..3).prop_map(|kv| kv.into_iter().collect())
}

fn time() -> impl Strategy<Value = Time> {
    (Time::MIN.unix()..=Time::MAX.unix()).prop_map(Time::from_unix)
}

fn meta() -> impl Strategy<Value = ObjectMeta> {
    (
        (text(), text(), text(), any::<i64>(), option::of(time())),
        (labels(), labels(), pvec(owner(), 0..2), pvec(text(), 0..2)),
        extra(
            &["selfLink", "managedFields"],
            &ObjectMeta::API_FIELDS[..13],
        ),
    )
        .prop_map(
            |(
                (name, generate_name, namespace, generation, created),
                (l, a, owners, fin),
                extra,
            )| {
                ObjectMeta {
                    name,
                    generate_name,
                    namespace,
                    generation,
                    creation_timestamp: created,
                    labels: l,
                    annotations: a,
                    owner_references: owners,
                    finalizers: fin,
                    extra,
                    ..ObjectMeta::default()
                }
            },
        )
}

fn owner() -> impl Strategy<Value = OwnerReference> {
    (text(), text(), text(), text(), option::of(any::<bool>())).prop_map(|(v, k, n, u, c)| {
        OwnerReference {
            api_version: v,
            kind: k,
            name: n,
            uid: u,
            controller: c,
            ..OwnerReference::default()
        }
    })
}

fn container() -> impl Strategy<Value = Container> {
    (
        text(),
        text(),
        pvec(
            (
                any::<i32>(),
                any::<i32>(),
                text().prop_map(|s| Protocol::parse(&s)),
            ),
            0..3,
        ),
        extra(
            &["env", "resources", "imagePullPolicy", "args"],
            &["name", "image", "ports", "restartPolicy"],
        ),
    )
        .prop_map(|(name, image, ports, extra)| Container {
            name,
            image,
            ports: ports
                .into_iter()
                .map(|(c, h, protocol)| ContainerPort {
                    container_port: c,
                    host_port: h,
                    protocol,
                    ..ContainerPort::default()
                })
                .collect(),
            extra,
            ..Container::default()
        })
}

fn pod_spec() -> impl Strategy<Value = PodSpec> {
    (
        pvec(container(), 0..3),
        text().prop_map(|s| RestartPolicy::parse(&s)),
        option::of(any::<i64>()),
        labels(),
        text(),
        extra(
            &["volumes", "tolerations", "dnsPolicy"],
            &PodSpec::API_FIELDS[..7],
        ),
    )
        .prop_map(
            |(containers, restart_policy, grace, node_selector, node_name, extra)| PodSpec {
                containers,
                restart_policy,
                termination_grace_period_seconds: grace,
                node_selector,
                node_name,
                extra,
                ..PodSpec::default()
            },
        )
}

fn template() -> impl Strategy<Value = PodTemplateSpec> {
    (meta(), pod_spec()).prop_map(|(metadata, spec)| PodTemplateSpec {
        metadata,
        spec,
        ..PodTemplateSpec::default()
    })
}

fn selector() -> impl Strategy<Value = Option<LabelSelector>> {
    option::of(labels().prop_map(LabelSelector::from_labels))
}

fn pod() -> impl Strategy<Value = Pod> {
    (
        meta(),
        pod_spec(),
        text().prop_map(|s| PodPhase::parse(&s)),
        pvec((text(), text(), option::of(time())), 0..3),
        option::of(time()),
        extra(&["qosClass", "podIPs"], &[]),
        extra(&["status"], &["metadata", "spec", "status"]),
    )
        .prop_map(
            |(metadata, spec, phase, conditions, started, status_extra, extra)| {
                let mut pod = Pod {
                    metadata,
                    spec,
                    extra,
                    ..Pod::default()
                };
                pod.status.phase = phase;
                pod.status.start_time = started;
                pod.status.extra = status_extra
                    .into_iter()
                    .filter(|(k, _)| {
                        !kube_workloads::api::PodStatus::API_FIELDS[..9].contains(&k.as_str())
                    })
                    .collect();
                pod.status.conditions = conditions
                    .into_iter()
                    .map(|(t, s, at)| PodCondition {
                        type_: PodConditionType::parse(&t),
                        status: ConditionStatus::parse(&s),
                        last_transition_time: at,
                        ..PodCondition::default()
                    })
                    .collect();
                pod.status.container_statuses = pod
                    .spec
                    .containers
                    .iter()
                    .map(|c| ContainerStatus {
                        name: c.name.clone(),
                        ready: true,
                        state: ContainerState {
                            running: Some(ContainerStateRunning {
                                started_at: started,
                                ..ContainerStateRunning::default()
                            }),
                            ..ContainerState::default()
                        },
                        ..ContainerStatus::default()
                    })
                    .collect();
                pod
            },
        )
}

fn replica_set() -> impl Strategy<Value = ReplicaSet> {
    (
        meta(),
        option::of(any::<i32>()),
        any::<i32>(),
        selector(),
        template(),
    )
        .prop_map(
            |(metadata, replicas, min_ready_seconds, selector, template)| ReplicaSet {
                metadata,
                spec: ReplicaSetSpec {
                    replicas,
                    min_ready_seconds,
                    selector,
                    template,
                    ..ReplicaSetSpec::default()
                },
                ..ReplicaSet::default()
            },
        )
}

fn int_or_string() -> impl Strategy<Value = IntOrString> {
    prop_oneof![
        any::<i32>().prop_map(IntOrString::Int),
        text().prop_map(IntOrString::String)
    ]
}

fn deployment() -> impl Strategy<Value = Deployment> {
    (
        meta(),
        (
            option::of(any::<i32>()),
            selector(),
            template(),
            any::<bool>(),
        ),
        (
            text().prop_map(|s| DeploymentStrategyType::parse(&s)),
            option::of((option::of(int_or_string()), option::of(int_or_string()))),
        ),
        pvec((text(), text(), text(), option::of(time())), 0..3),
        option::of(any::<i32>()),
    )
        .prop_map(
            |(
                metadata,
                (replicas, selector, template, paused),
                (type_, ru),
                conditions,
                collisions,
            )| {
                let mut d = Deployment {
                    metadata,
                    ..Deployment::default()
                };
                d.spec.replicas = replicas;
                d.spec.selector = selector;
                d.spec.template = template;
                d.spec.paused = paused;
                d.spec.strategy = DeploymentStrategy {
                    type_,
                    rolling_update: ru.map(|(u, s)| RollingUpdateDeployment {
                        max_unavailable: u,
                        max_surge: s,
                        ..RollingUpdateDeployment::default()
                    }),
                    ..DeploymentStrategy::default()
                };
                d.status.collision_count = collisions;
                d.status.conditions = conditions
                    .into_iter()
                    .map(|(t, s, reason, at)| DeploymentCondition {
                        type_: DeploymentConditionType::parse(&t),
                        status: ConditionStatus::parse(&s),
                        reason,
                        last_update_time: at,
                        ..DeploymentCondition::default()
                    })
                    .collect();
                d
            },
        )
}

fn object() -> impl Strategy<Value = Object> {
    prop_oneof![
        pod().prop_map(Object::Pod),
        replica_set().prop_map(Object::ReplicaSet),
        deployment().prop_map(Object::Deployment),
        (text(), value()).prop_map(|(name, spec)| {
            let mut m = Mapping::new();
            m.insert("apiVersion".into(), Value::from("example.com/v1"));
            m.insert("kind".into(), Value::from("Widget"));
            let mut meta = Mapping::new();
            meta.insert("name".into(), Value::from(name));
            m.insert("metadata".into(), Value::Mapping(meta));
            m.insert("spec".into(), spec);
            Object::Other(manifest::OtherObject::from_value(Value::Mapping(m)))
        }),
    ]
}

const IGNORE: DecodeOptions = DecodeOptions {
    field_validation: FieldValidation::Ignore,
};

/// `n` cases, or `PROPTEST_CASES` when set (for longer runs).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: support::case_count(n),
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn objects_round_trip_through_yaml_and_json(obj in object()) {
        for format in [Format::Yaml, Format::Json] {
            let text = obj.encode(format).unwrap();
            let docs = manifest::decode_with(&text, &IGNORE)
                .unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
            prop_assert_eq!(docs.len(), 1);
            prop_assert_eq!(&docs[0].object, &obj, "{:?}\n{}", format, text);
        }
    }

    #[test]
    fn streams_of_objects_round_trip(objs in pvec(object(), 1..4)) {
        let yaml = manifest::encode_yaml(&objs).unwrap();
        let back: Vec<Object> = manifest::decode_with(&yaml, &IGNORE).unwrap().into_iter().map(|d| d.object).collect();
        prop_assert_eq!(&back, &objs);
        let json = manifest::encode_json(&objs).unwrap();
        let back: Vec<Object> = manifest::decode_with(&json, &IGNORE).unwrap().into_iter().map(|d| d.object).collect();
        prop_assert_eq!(&back, &objs);
    }

    #[test]
    fn values_round_trip_through_the_yaml_writer(v in value()) {
        let mut m = Mapping::new();
        m.insert("v".into(), v);
        let v = Value::Mapping(m);
        let yaml = manifest::value_to_yaml(&v);
        let back = manifest::decode_values(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        prop_assert_eq!(&back, &vec![v], "{}", yaml);
    }
}

/// What YAML makes of a JSON value: floats with no fraction become integers.
fn integral_floats_as_ints(v: &Value) -> Value {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Value::Int(*f as i64),
        Value::Sequence(s) => Value::Sequence(s.iter().map(integral_floats_as_ints).collect()),
        Value::Mapping(m) => Value::Mapping(
            m.iter()
                .map(|(k, v)| (k.clone(), integral_floats_as_ints(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Fragments of YAML and JSON, shuffled into text that is often almost valid.
fn near_yaml() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "apiVersion: v1\n",
        "apiVersion: apps/v1\n",
        "kind: Pod\n",
        "kind: Deployment\n",
        "kind: List\n",
        "items:\n",
        "metadata:\n",
        "  name: x\n",
        "spec:\n",
        "  replicas: 3\n",
        "  replicas: \"3\"\n",
        "---\n",
        "--- x\n",
        "- ",
        "  - ",
        ": ",
        ":",
        "{",
        "}",
        "[",
        "]",
        ", ",
        "&a ",
        "*a",
        "<<: *a\n",
        "!!str ",
        "!!int ",
        "'",
        "\"",
        "# c\n",
        "|\n",
        ">-\n",
        "\t",
        "  ",
        "    ",
        "\n",
        "x",
        "yes",
        "0644",
        "1e3",
        ".inf",
        "~",
        "é",
        "\u{feff}",
        "\\",
        "\r\n",
        "? ",
        "%YAML 1.2\n",
        "...\n",
        "{\"a\": 1}",
        "[1, 2]",
        "null",
        "12345678901234567890",
    ]);
    pvec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in pvec(any::<u8>(), 0..512)) {
        for v in [FieldValidation::Strict, FieldValidation::Warn, FieldValidation::Ignore] {
            let _ = manifest::decode_with(&bytes, &DecodeOptions { field_validation: v });
        }
        let _ = manifest::decode_values(&bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = manifest::locate(text, 0, &FieldPath::parse("spec.template.spec.containers[0].name"));
        }
    }

    #[test]
    fn near_yaml_never_panics_and_what_decodes_round_trips(text in near_yaml()) {
        let _ = manifest::decode(&text);
        let _ = manifest::locate(&text, 1, &FieldPath::parse("metadata.name"));
        if let Ok(docs) = manifest::decode_with(&text, &IGNORE) {
            let objects: Vec<Object> = docs.into_iter().map(|d| d.object).collect();
            let yaml = manifest::encode_yaml(&objects).unwrap();
            let back: Vec<Object> = manifest::decode_with(&yaml, &IGNORE)
                .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
                .into_iter()
                .map(|d| d.object)
                .collect();
            prop_assert_eq!(&back, &objects, "{}", yaml);
        }
        if let Ok(values) = manifest::decode_values(&text) {
            for v in values {
                let yaml = manifest::value_to_yaml(&v);
                let json = manifest::value_to_json(&v);
                // Through YAML, as kubectl reads it, a float with no fraction is an integer.
                prop_assert_eq!(&manifest::decode_values(&yaml).unwrap_or_default(), &vec![integral_floats_as_ints(&v)], "{}", yaml);
                if matches!(v, Value::Mapping(_) | Value::Sequence(_)) {
                    prop_assert_eq!(&manifest::decode_values(&json).unwrap(), &vec![v], "{}", json);
                }
            }
        }
    }

    #[test]
    fn arbitrary_json_never_panics(v in value(), cut in any::<prop::sample::Index>()) {
        let json = manifest::value_to_json(&v);
        let cut = cut.index(json.len() + 1);
        let prefix: String = json.char_indices().take_while(|(i, _)| *i < cut).map(|(_, c)| c).collect();
        let _ = manifest::decode(&prefix);
        let _ = manifest::decode_values(&prefix);
        let _ = manifest::locate(&prefix, 0, &FieldPath::parse("a.b[0]"));
    }
}
