//! Table tests for every validation rule, messages checked word for word against upstream
//! (Kubernetes v1.32: pkg/apis/core/validation, pkg/apis/apps/validation, apimachinery).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kube_workloads::api::{
    ContainerRestartPolicy, DeploymentStrategy, DeploymentStrategyType, Protocol, RestartPolicy,
    RollingUpdateDeployment,
};
use kube_workloads::defaults::{
    default_deployment, default_pod, default_replica_set, default_replication_controller,
};
use kube_workloads::meta::{LabelSelectorOperator, LabelSelectorRequirement};
use kube_workloads::validation::{
    FieldPath, ObjectKind, Validation, resolve_namespace, validate_deployment,
    validate_label_selector, validate_labels, validate_pod, validate_replica_set,
    validate_replication_controller,
};
use kube_workloads::value::Value;
use kube_workloads::{
    Container, ContainerPort, Deployment, IntOrString, LabelSelector, Labels, OwnerReference, Pod,
    ReplicaSet, ReplicationController,
};

// ---------------------------------------------------------------------------------------------
// Upstream message texts

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const QUALIFIED_MSG: &str = "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

// ---------------------------------------------------------------------------------------------
// The book's manifests (seed/kubernetes-guide-notes.md), as the API server stores them.

const SAMPLE_POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
    name: sample-pod
spec:
    containers:
    - name: nginx-container
      image: nginx:1.16
"#;

// The notes spell this one `apiversion` / `kind: pod`; kubectl would reject those spellings
// before anything is sent, so the object is built with the real field names.
const SAMPLE_2POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
    name: sample-2pod
spec:
    containers:
    - name: nginx-container
      image: nginx:1.16
    - name: redis-container
      image: redis:3.2
"#;

const SAMPLE_RS: &str = r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
    name: sample-rs
spec:
    replicas: 3
    selector:
        matchLabels:
            app: sample-app
    template:
        metadata:
            labels:
                app: sample-app
        spec:
            containers:
            - name: nginx-container
              image: nginx:1.16
"#;

const SAMPLE_DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
    name: sample-deployment
spec:
    replicas: 3
    selector:
        matchLabels:
            app: sample-app
    template:
        metadata:
            labels:
                app: sample-app
        spec:
            containers:
            - name: nginx-container
              image: nginx:1.16
"#;

fn pod(yaml: &str) -> Pod {
    let mut p: Pod = serde_yaml::from_str(yaml).unwrap();
    resolve_namespace(&mut p.metadata, "default").unwrap();
    default_pod(&mut p);
    p
}

fn rs() -> ReplicaSet {
    let mut r: ReplicaSet = serde_yaml::from_str(SAMPLE_RS).unwrap();
    resolve_namespace(&mut r.metadata, "default").unwrap();
    default_replica_set(&mut r);
    r
}

fn deploy() -> Deployment {
    let mut d: Deployment = serde_yaml::from_str(SAMPLE_DEPLOYMENT).unwrap();
    resolve_namespace(&mut d.metadata, "default").unwrap();
    default_deployment(&mut d);
    d
}

fn rc() -> ReplicationController {
    let yaml = r#"
apiVersion: v1
kind: ReplicationController
metadata: {name: sample-rc, namespace: default}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: sample-app}}
    spec:
      containers:
      - {name: nginx-container, image: "nginx:1.16"}
"#;
    let mut r: ReplicationController = serde_yaml::from_str(yaml).unwrap();
    default_replication_controller(&mut r);
    r
}

fn errors(v: &Validation) -> Vec<String> {
    v.errors.iter().map(ToString::to_string).collect()
}

fn warnings(v: &Validation) -> Vec<String> {
    v.warnings.iter().map(ToString::to_string).collect()
}

fn container(name: &str) -> Container {
    Container {
        name: name.into(),
        image: "nginx:1.16".into(),
        ..Default::default()
    }
}

fn port(container_port: i32) -> ContainerPort {
    ContainerPort {
        container_port,
        protocol: Protocol::Tcp,
        ..Default::default()
    }
}

/// Runs `edit` on the defaulted sample ReplicaSet and returns the errors.
fn rs_errors(edit: impl FnOnce(&mut ReplicaSet)) -> Vec<String> {
    let mut r = rs();
    edit(&mut r);
    errors(&validate_replica_set(&r))
}

fn deploy_errors(edit: impl FnOnce(&mut Deployment)) -> Vec<String> {
    let mut d = deploy();
    edit(&mut d);
    errors(&validate_deployment(&d))
}

fn rc_errors(edit: impl FnOnce(&mut ReplicationController)) -> Vec<String> {
    let mut r = rc();
    edit(&mut r);
    errors(&validate_replication_controller(&r))
}

// ---------------------------------------------------------------------------------------------
// The book

#[test]
fn the_books_manifests_validate_cleanly_after_defaulting() {
    for yaml in [SAMPLE_POD, SAMPLE_2POD] {
        let v = validate_pod(&pod(yaml));
        assert_eq!(errors(&v), Vec::<String>::new());
        assert_eq!(warnings(&v), Vec::<String>::new());
    }
    let v = validate_replica_set(&rs());
    assert_eq!((errors(&v), warnings(&v)), (vec![], vec![]));
    let v = validate_deployment(&deploy());
    assert_eq!((errors(&v), warnings(&v)), (vec![], vec![]));
    let v = validate_replication_controller(&rc());
    assert_eq!((errors(&v), warnings(&v)), (vec![], vec![]));
}

#[test]
fn an_undefaulted_pod_is_reported_as_the_api_server_would() {
    let mut p: Pod = serde_yaml::from_str(SAMPLE_POD).unwrap();
    p.spec.containers[0].ports.push(ContainerPort {
        container_port: 80,
        ..Default::default()
    });
    assert_eq!(
        errors(&validate_pod(&p)),
        [
            "metadata.namespace: Required value",
            "spec.containers[0].terminationMessagePolicy: Required value",
            "spec.containers[0].ports[0].protocol: Required value",
            "spec.containers[0].imagePullPolicy: Required value",
            "spec.restartPolicy: Required value",
            "spec.dnsPolicy: Required value",
        ]
    );
}

#[test]
fn two_containers_of_one_pod_cannot_both_bind_container_port_80() {
    // The book: containers of a Pod share one network namespace, so only one of them can bind
    // 80/TCP. The API server accepts the Pod but warns.
    let mut p = pod(SAMPLE_2POD);
    p.spec.containers[0].ports.push(port(80));
    p.spec.containers[1].ports.push(port(80));
    let v = validate_pod(&p);
    assert!(v.is_valid(), "{:?}", errors(&v));
    assert_eq!(
        warnings(&v),
        ["spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"]
    );
    assert_eq!(
        v.warnings[0].kubectl_line(),
        "Warning: spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
    );
    // In a template the path is under spec.template.
    let mut r = rs();
    r.spec.template.spec.containers.push(container("sidecar"));
    r.spec.template.spec.containers[0].ports.push(port(80));
    r.spec.template.spec.containers[1].ports.push(port(80));
    default_replica_set(&mut r);
    assert_eq!(
        warnings(&validate_replica_set(&r)),
        [
            "spec.template.spec.containers[1].ports[0]: duplicate port definition with spec.template.spec.containers[0].ports[0]"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Object metadata

/// An edit of the sample ReplicaSet.
type Edit = Box<dyn Fn(&mut ReplicaSet)>;

#[test]
fn object_metadata_rules() {
    let long = "a".repeat(254);
    let cases: Vec<(Edit, Vec<String>)> = vec![
        (
            Box::new(|r| r.metadata.name.clear()),
            vec!["metadata.name: Required value: name or generateName is required".into()],
        ),
        (
            Box::new(|r| {
                r.metadata.name.clear();
                r.metadata.generate_name = "sample-rs-".into();
            }),
            vec![],
        ),
        (
            Box::new(|r| r.metadata.name = "Sample_RS".into()),
            vec![format!(
                "metadata.name: Invalid value: \"Sample_RS\": {SUBDOMAIN_MSG}"
            )],
        ),
        (
            Box::new(move |r| r.metadata.name = long.clone()),
            vec![format!(
                "metadata.name: Invalid value: \"{}\": must be no more than 253 characters",
                "a".repeat(254)
            )],
        ),
        (
            Box::new(|r| r.metadata.generate_name = "Sample-".into()),
            vec![format!(
                "metadata.generateName: Invalid value: \"Sample-\": {SUBDOMAIN_MSG}"
            )],
        ),
        (
            Box::new(|r| r.metadata.namespace.clear()),
            vec!["metadata.namespace: Required value".into()],
        ),
        (
            Box::new(|r| r.metadata.namespace = "team.a".into()),
            vec!["metadata.namespace: Invalid value: \"team.a\": must not contain dots".into()],
        ),
        (
            Box::new(|r| r.metadata.namespace = "Team".into()),
            vec![format!(
                "metadata.namespace: Invalid value: \"Team\": {LABEL_MSG}"
            )],
        ),
        (
            Box::new(|r| r.metadata.generation = -1),
            vec![
                "metadata.generation: Invalid value: -1: must be greater than or equal to 0".into(),
            ],
        ),
        (
            Box::new(|r| {
                r.metadata
                    .labels
                    .insert("cantendwithadash-".into(), "ok".into());
            }),
            vec![format!(
                "metadata.labels: Invalid value: \"cantendwithadash-\": {NAME_PART_MSG}"
            )],
        ),
        (
            Box::new(|r| {
                r.metadata.labels.insert("k".into(), "bad,value".into());
            }),
            vec![format!(
                "metadata.labels: Invalid value: \"bad,value\": {VALUE_MSG}"
            )],
        ),
        (
            // Annotation keys are qualified names after lower-casing.
            Box::new(|r| {
                r.metadata
                    .annotations
                    .insert("Example.com/Foo".into(), "x".into());
            }),
            vec![],
        ),
        (
            Box::new(|r| {
                r.metadata
                    .annotations
                    .insert("only/one/slash".into(), "x".into());
            }),
            vec![format!(
                "metadata.annotations: Invalid value: \"only/one/slash\": {QUALIFIED_MSG}"
            )],
        ),
        (
            Box::new(|r| {
                r.metadata
                    .annotations
                    .insert("big".into(), "x".repeat(256 * 1024));
            }),
            vec!["metadata.annotations: Too long: may not be more than 262144 bytes".into()],
        ),
        (
            Box::new(|r| {
                r.metadata
                    .annotations
                    .insert("big".into(), "x".repeat(256 * 1024 - 3));
            }),
            vec![],
        ),
    ];
    for (i, (edit, want)) in cases.into_iter().enumerate() {
        assert_eq!(rs_errors(|r| edit(r)), want, "case {i}");
    }
}

fn owner(kind: &str, name: &str, controller: Option<bool>) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        controller,
        ..Default::default()
    }
}

#[test]
fn owner_reference_rules() {
    let errs = rs_errors(|r| {
        r.metadata.owner_references = vec![OwnerReference {
            api_version: "apps/".into(),
            ..Default::default()
        }];
    });
    assert_eq!(
        errs,
        [
            "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
            "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
            "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
            "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty",
        ]
    );
    let errs = rs_errors(|r| {
        r.metadata.owner_references = vec![
            owner("Deployment", "a", Some(true)),
            owner("Deployment", "b", None),
            owner("Deployment", "c", Some(true)),
        ];
    });
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("metadata.ownerReferences: Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:\"apps/v1\", Kind:\"Deployment\", Name:\"a\", UID:\"uid-a\", Controller:(*bool)(0xc000000000), BlockOwnerDeletion:(*bool)(nil)}, "),
        "{}",
        errs[0]
    );
    assert!(errs[0].ends_with(
        ": Only one reference can have Controller set to true. Found \"true\" in references for Deployment/a and Deployment/c"
    ));
    let errs = rs_errors(|r| {
        r.metadata.owner_references = vec![OwnerReference {
            api_version: "v1".into(),
            kind: "Event".into(),
            name: "e".into(),
            uid: "u".into(),
            ..Default::default()
        }];
    });
    assert_eq!(errs.len(), 1);
    assert!(errs[0].ends_with(": /v1, Kind=Event is disallowed from being an owner"));
}

#[test]
fn finalizer_rules() {
    assert_eq!(
        rs_errors(|r| r.metadata.finalizers = vec!["foo".into(), "example.com/foo".into()]),
        [
            "metadata.finalizers[0]: Invalid value: \"foo\": name is neither a standard finalizer name nor is it fully qualified"
        ]
    );
    assert_eq!(
        rs_errors(|r| r.metadata.finalizers = vec!["orphan".into(), "foregroundDeletion".into()]),
        [
            "metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set"
        ]
    );
    // The apimachinery check (no index) and the core check (with index) both run.
    assert_eq!(
        rs_errors(|r| r.metadata.finalizers = vec!["a/b/c".into()]),
        [
            format!("metadata.finalizers: Invalid value: \"a/b/c\": {QUALIFIED_MSG}"),
            format!("metadata.finalizers[0]: Invalid value: \"a/b/c\": {QUALIFIED_MSG}"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Labels and selectors (§6.6, §6.7)

#[test]
fn validate_labels_upstream_table() {
    let path = FieldPath::parse("metadata.labels");
    let ok: [(&str, &str); 2] = [("UpperCaseAreOK123", "bar"), ("goodvalue", "123_-.BaR")];
    for (k, v) in ok {
        let labels: Labels = [(k.to_owned(), v.to_owned())].into_iter().collect();
        assert!(validate_labels(&labels, &path).is_empty(), "{k}={v}");
    }
    let long_key = "a".repeat(254);
    let bad_keys = [
        ("nospecialchars^=@", NAME_PART_MSG.to_owned()),
        ("cantendwithadash-", NAME_PART_MSG.to_owned()),
        ("only/one/slash", QUALIFIED_MSG.to_owned()),
        (
            long_key.as_str(),
            "name part must be no more than 63 characters".to_owned(),
        ),
    ];
    for (k, msg) in bad_keys {
        let labels: Labels = [(k.to_owned(), "bar".to_owned())].into_iter().collect();
        let errs: Vec<String> = validate_labels(&labels, &path)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            errs.contains(&format!("metadata.labels: Invalid value: \"{k}\": {msg}")),
            "{k}: {errs:?}"
        );
    }
    for v in [
        "a".repeat(64),
        "some\\bad\\value".into(),
        "bad,value".into(),
        "?#$notsogood".into(),
    ] {
        let labels: Labels = [("key".to_owned(), v.clone())].into_iter().collect();
        let errs = validate_labels(&labels, &path);
        assert_eq!(errs.len(), 1, "{v}");
        let want = if v.len() > 63 {
            "must be no more than 63 characters"
        } else {
            VALUE_MSG
        };
        assert_eq!(errs[0].detail, want);
    }
}

fn req(key: &str, op: LabelSelectorOperator, values: &[&str]) -> LabelSelectorRequirement {
    LabelSelectorRequirement {
        key: key.into(),
        operator: op,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        ..Default::default()
    }
}

#[test]
fn label_selector_api_validation() {
    let path = FieldPath::parse("spec.selector");
    let sel = LabelSelector {
        match_labels: [
            ("bad key!".to_owned(), "ok".to_owned()),
            ("ok".to_owned(), "bad value!".to_owned()),
        ]
        .into_iter()
        .collect(),
        match_expressions: vec![
            req("a", LabelSelectorOperator::In, &[]),
            req("b", LabelSelectorOperator::Exists, &["x"]),
            req("c", LabelSelectorOperator::Other("Foo".into()), &[]),
            req("-d", LabelSelectorOperator::NotIn, &["x"]),
            req("e", LabelSelectorOperator::NotIn, &["ok", "a b"]),
        ],
        ..Default::default()
    };
    let errs: Vec<String> = validate_label_selector(&sel, &path)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        [
            format!("spec.selector.matchLabels: Invalid value: \"bad key!\": {NAME_PART_MSG}"),
            format!("spec.selector.matchLabels: Invalid value: \"bad value!\": {VALUE_MSG}"),
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'".into(),
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'".into(),
            "spec.selector.matchExpressions[2].operator: Invalid value: \"Foo\": not a valid selector operator".into(),
            format!("spec.selector.matchExpressions[3].key: Invalid value: \"-d\": {NAME_PART_MSG}"),
            format!("spec.selector.matchExpressions[4].values[1]: Invalid value: \"a b\": {VALUE_MSG}"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet spec (§7.3)

#[test]
fn replica_set_spec_rules_in_order() {
    assert_eq!(
        rs_errors(|r| {
            r.spec.replicas = Some(-1);
            r.spec.min_ready_seconds = -1;
        }),
        [
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
        ]
    );
}

#[test]
fn a_nil_selector_is_required_and_does_not_match_the_template() {
    assert_eq!(
        rs_errors(|r| r.spec.selector = None),
        [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"sample-app\"}: `selector` does not match template `labels`",
        ]
    );
}

#[test]
fn an_empty_selector_is_invalid_for_deployment_even_in_a_replica_set() {
    assert_eq!(
        rs_errors(|r| r.spec.selector = Some(LabelSelector::default())),
        [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        ]
    );
}

#[test]
fn an_unconvertible_selector_skips_template_validation() {
    assert_eq!(
        rs_errors(|r| {
            r.spec.selector = Some(LabelSelector {
                match_expressions: vec![req(
                    "app",
                    LabelSelectorOperator::Other("Foo".into()),
                    &[],
                )],
                ..Default::default()
            });
            r.spec.template.spec.containers.clear();
        }),
        [
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Foo\": not a valid selector operator",
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"Foo\", Values:[]string(nil)}}}: invalid label selector",
        ]
    );
}

#[test]
fn replica_set_template_rules() {
    assert_eq!(
        rs_errors(|r| {
            r.spec.selector = Some(LabelSelector::from_labels([("app", "other")]));
        }),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"sample-app\"}: `selector` does not match template `labels`"
        ]
    );
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.restart_policy = RestartPolicy::OnFailure),
        [
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
        ]
    );
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.active_deadline_seconds = Some(10)),
        [
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"
        ]
    );
    // Template labels are validated at spec.template.labels (not …metadata.labels).
    assert_eq!(
        rs_errors(|r| {
            r.spec
                .template
                .metadata
                .labels
                .insert("x".into(), "-bad".into());
        }),
        [format!(
            "spec.template.labels: Invalid value: \"-bad\": {VALUE_MSG}"
        )]
    );
    assert_eq!(
        rs_errors(|r| {
            r.spec.template.metadata.annotations.insert(
                "controller.kubernetes.io/pod-deletion-cost".into(),
                "010".into(),
            );
        }),
        [
            "spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"010\": must be a 32bit integer"
        ]
    );
    assert_eq!(
        rs_errors(|r| {
            r.spec
                .template
                .metadata
                .annotations
                .insert("kubernetes.io/config.mirror".into(), "x".into());
        }),
        [
            "spec.template.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set"
        ]
    );
    assert_eq!(
        rs_errors(|r| {
            r.spec.template.spec.extra.insert(
                "ephemeralContainers".into(),
                Value::Sequence(vec![Value::Mapping(Default::default())]),
            );
        }),
        [
            "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"
        ]
    );
    // An empty restart policy is both Required (pod spec) and Unsupported (ReplicaSet).
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.restart_policy = RestartPolicy::default()),
        [
            "spec.template.spec.restartPolicy: Required value",
            "spec.template.spec.restartPolicy: Unsupported value: \"\": supported values: \"Always\"",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Pod spec (§7.6)

#[test]
fn container_rules() {
    let c = "spec.template.spec.containers";
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.containers.clear()),
        [format!("{c}: Required value")]
    );
    assert_eq!(
        rs_errors(|r| {
            let t = &mut r.spec.template.spec.containers[0];
            t.name.clear();
            t.image.clear();
        }),
        [
            format!("{c}[0].name: Required value"),
            format!("{c}[0].image: Required value")
        ]
    );
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.containers[0].name = "Web".into()),
        [format!("{c}[0].name: Invalid value: \"Web\": {LABEL_MSG}")]
    );
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.containers[0].name = "web.1".into()),
        [format!(
            "{c}[0].name: Invalid value: \"web.1\": must not contain dots"
        )]
    );
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            spec.containers = vec![container("web"), container("web")];
            default_pod_template_spec(spec);
        }),
        [format!("{c}[1].name: Duplicate value: \"web\"")]
    );
    // Collisions with init containers are reported by the init container.
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            spec.containers = vec![container("web")];
            spec.init_containers = vec![container("web"), container("init"), container("init")];
            default_pod_template_spec(spec);
        }),
        [
            "spec.template.spec.initContainers[0].name: Duplicate value: \"web\"",
            "spec.template.spec.initContainers[2].name: Duplicate value: \"init\"",
        ]
    );
    assert_eq!(
        rs_errors(|r| r.spec.template.spec.containers[0].restart_policy =
            Some(ContainerRestartPolicy::Always)),
        [format!(
            "{c}[0].restartPolicy: Forbidden: may not be set for non-init containers"
        )]
    );
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            let mut init = container("init");
            init.restart_policy = Some(ContainerRestartPolicy::Other("Never".into()));
            init.extra
                .insert("livenessProbe".into(), Value::Mapping(Default::default()));
            spec.init_containers = vec![init];
            default_pod_template_spec(spec);
        }),
        [
            "spec.template.spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "spec.template.spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
        ]
    );
    // A sidecar (restartPolicy: Always) may have probes.
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            let mut init = container("sidecar");
            init.restart_policy = Some(ContainerRestartPolicy::Always);
            init.extra
                .insert("readinessProbe".into(), Value::Mapping(Default::default()));
            spec.init_containers = vec![init];
            default_pod_template_spec(spec);
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        rs_errors(|r| {
            let x = &mut r.spec.template.spec.containers[0].extra;
            x.insert("imagePullPolicy".into(), Value::from("Sometimes"));
            x.insert("terminationMessagePolicy".into(), Value::from("Log"));
        }),
        [
            format!(
                "{c}[0].terminationMessagePolicy: Unsupported value: \"Log\": supported values: \"File\", \"FallbackToLogsOnError\""
            ),
            format!(
                "{c}[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
            ),
        ]
    );
}

fn default_pod_template_spec(spec: &mut kube_workloads::PodSpec) {
    kube_workloads::defaults::default_pod_spec(spec);
}

#[test]
fn container_port_rules() {
    let p = "spec.template.spec.containers[0].ports";
    let set =
        |ports: Vec<ContainerPort>| rs_errors(|r| r.spec.template.spec.containers[0].ports = ports);
    assert_eq!(
        set(vec![ContainerPort {
            protocol: Protocol::Tcp,
            ..Default::default()
        }]),
        [format!("{p}[0].containerPort: Required value")]
    );
    assert_eq!(
        set(vec![port(70000)]),
        [format!(
            "{p}[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
        )]
    );
    assert_eq!(
        set(vec![port(-1)]),
        [format!(
            "{p}[0].containerPort: Invalid value: -1: must be between 1 and 65535, inclusive"
        )]
    );
    assert_eq!(
        set(vec![ContainerPort {
            host_port: 70000,
            ..port(80)
        }]),
        [format!(
            "{p}[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
        )]
    );
    assert_eq!(
        set(vec![ContainerPort {
            protocol: Protocol::default(),
            ..port(80)
        }]),
        [format!("{p}[0].protocol: Required value")]
    );
    assert_eq!(
        set(vec![ContainerPort {
            protocol: Protocol::Other("HTTP".into()),
            ..port(80)
        }]),
        [format!(
            "{p}[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""
        )]
    );
    assert_eq!(
        set(vec![
            ContainerPort {
                name: "http".into(),
                ..port(80)
            },
            ContainerPort {
                name: "http".into(),
                ..port(81)
            },
        ]),
        [format!("{p}[1].name: Duplicate value: \"http\"")]
    );
    // A duplicate containerPort without hostPort is allowed (a warning only).
    assert_eq!(set(vec![port(80), port(80)]), Vec::<String>::new());
    // Port names: each failed rule is its own error.
    assert_eq!(
        set(vec![ContainerPort {
            name: "-Web--".into(),
            ..port(80)
        }]),
        [
            format!(
                "{p}[0].name: Invalid value: \"-Web--\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
            ),
            format!("{p}[0].name: Invalid value: \"-Web--\": must not contain consecutive hyphens"),
            format!("{p}[0].name: Invalid value: \"-Web--\": must not begin or end with a hyphen"),
        ]
    );
}

#[test]
fn port_name_and_number_upstream_data() {
    for name in [
        "telnet",
        "re-mail-ck",
        "pop3",
        "a",
        "a-1",
        "1-a",
        "a-1-b-2-c",
        "1-a-2-b-3",
    ] {
        let errs = rs_errors(|r| {
            r.spec.template.spec.containers[0].ports = vec![ContainerPort {
                name: name.into(),
                ..port(80)
            }];
        });
        assert!(errs.is_empty(), "{name}: {errs:?}");
    }
    let sixteen = "a".repeat(16);
    for name in [
        "longerthan15characters",
        sixteen.as_str(),
        "12345",
        "1-2-3-4",
        "-begin",
        "end-",
        "two--hyphens",
        "whois++",
    ] {
        let errs = rs_errors(|r| {
            r.spec.template.spec.containers[0].ports = vec![ContainerPort {
                name: name.into(),
                ..port(80)
            }];
        });
        assert!(!errs.is_empty(), "{name}");
        assert!(errs.iter().all(|e| {
            e.starts_with("spec.template.spec.containers[0].ports[0].name: Invalid value: ")
        }));
    }
    for n in [1, 2, 1000, 16384, 32768, 65535] {
        assert!(rs_errors(|r| r.spec.template.spec.containers[0].ports = vec![port(n)]).is_empty());
    }
    for n in [-1, 65536, 100_000] {
        assert_eq!(
            rs_errors(|r| r.spec.template.spec.containers[0].ports = vec![port(n)]).len(),
            1,
            "{n}"
        );
    }
}

#[test]
fn dns_label_upstream_data_for_container_names() {
    let long_ok = "a".repeat(63);
    for name in "a ab abc a1 a-1 a--1--2--b 0 01 012 1a 1-a 1--a--b--2"
        .split(' ')
        .chain([long_ok.as_str()])
    {
        assert!(
            rs_errors(|r| r.spec.template.spec.containers[0].name = name.into()).is_empty(),
            "{name}"
        );
    }
    let long_bad = "a".repeat(64);
    for name in [
        "A",
        "ABC",
        "aBc",
        "A1",
        "A-1",
        "1-A",
        "-",
        "a-",
        "-a",
        "1-",
        "-1",
        "_",
        "a_",
        "_a",
        "a_b",
        "1_",
        "_1",
        "1_2",
        ".",
        "a.",
        ".a",
        "a.b",
        "1.",
        ".1",
        "1.2",
        " ",
        "a ",
        " a",
        "a b",
        "1 ",
        " 1",
        "1 2",
        long_bad.as_str(),
    ] {
        assert!(
            !rs_errors(|r| r.spec.template.spec.containers[0].name = name.into()).is_empty(),
            "{name:?}"
        );
    }
}

#[test]
fn dns_subdomain_upstream_data_for_object_names() {
    let ok_long = "a".repeat(253);
    for name in [
        "a",
        "a.b.c.d.e",
        "1.2.3.4.5",
        "aaa",
        "a--1--2--b.c",
        ok_long.as_str(),
    ] {
        assert!(
            rs_errors(|r| r.metadata.name = name.into()).is_empty(),
            "{name}"
        );
    }
    let bad_long = "a".repeat(254);
    for name in [
        "a..b",
        "A.a",
        "a@b",
        "a,b",
        "a;b",
        "a:b",
        "a%b",
        "a?b",
        "a$b",
        bad_long.as_str(),
    ] {
        assert!(
            !rs_errors(|r| r.metadata.name = name.into()).is_empty(),
            "{name}"
        );
    }
}

#[test]
fn host_port_conflicts() {
    let hp = |host_port: i32, container_port: i32| ContainerPort {
        host_port,
        ..port(container_port)
    };
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            spec.containers = vec![container("a"), container("b")];
            spec.containers[0].ports = vec![hp(8080, 80)];
            spec.containers[1].ports = vec![hp(8080, 81)];
            default_pod_template_spec(spec);
        }),
        ["spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""]
    );
    // Different protocol or host IP: no conflict.
    assert!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            spec.containers = vec![container("a"), container("b")];
            spec.containers[0].ports = vec![hp(8080, 80)];
            spec.containers[1].ports = vec![ContainerPort {
                protocol: Protocol::Udp,
                ..hp(8080, 80)
            }];
            default_pod_template_spec(spec);
        })
        .is_empty()
    );
    // Init containers are checked one at a time, and upstream reports index 0 whatever the
    // container's index.
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            let mut a = container("init-a");
            a.ports = vec![hp(9000, 90)];
            let mut b = container("init-b");
            b.ports = vec![hp(9090, 90), hp(9090, 91)];
            spec.init_containers = vec![a, b];
            spec.containers[0].ports = vec![hp(9000, 90)];
            default_pod_template_spec(spec);
        }),
        ["spec.template.spec.initContainers[0].ports[1].hostPort: Duplicate value: \"TCP//9090\""]
    );
    // With hostNetwork a template's hostPort must be unset or equal to containerPort.
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            spec.extra.insert("hostNetwork".into(), Value::Bool(true));
            spec.containers[0].ports = vec![port(80), hp(8080, 81)];
        }),
        [
            "spec.template.spec.containers[0].ports[1].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
        ]
    );
}

#[test]
fn pod_spec_policy_and_name_rules() {
    let s = "spec.template.spec";
    assert_eq!(
        rs_errors(|r| {
            let spec = &mut r.spec.template.spec;
            spec.extra.insert("dnsPolicy".into(), Value::from("Google"));
            spec.node_selector.insert("disk".into(), "fast ssd".into());
            spec.node_name = "Node_1".into();
            spec.extra.insert("hostname".into(), Value::from("web.1"));
            spec.extra
                .insert("serviceAccountName".into(), Value::from("Default"));
        }),
        [
            format!(
                "{s}.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""
            ),
            format!("{s}.nodeSelector: Invalid value: \"fast ssd\": {VALUE_MSG}"),
            format!("{s}.serviceAccountName: Invalid value: \"Default\": {SUBDOMAIN_MSG}"),
            format!("{s}.nodeName: Invalid value: \"Node_1\": {SUBDOMAIN_MSG}"),
            format!("{s}.hostname: Invalid value: \"web.1\": must not contain dots"),
        ]
    );
    assert_eq!(
        rs_errors(|r| {
            r.spec
                .template
                .spec
                .extra
                .insert("dnsPolicy".into(), Value::from("None"));
        }),
        [format!(
            "{s}.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"
        )]
    );
    assert_eq!(
        rs_errors(|r| {
            let x = &mut r.spec.template.spec.extra;
            x.insert("dnsPolicy".into(), Value::from("None"));
            x.insert(
                "dnsConfig".into(),
                serde_yaml::from_str("{searches: [a.b]}").unwrap(),
            );
        }),
        [format!(
            "{s}.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"
        )]
    );
    assert_eq!(
        rs_errors(
            |r| r.spec.template.spec.restart_policy = RestartPolicy::Other("Sometimes".into())
        ),
        [
            format!(
                "{s}.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""
            ),
            format!(
                "{s}.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\""
            ),
        ]
    );
}

#[test]
fn pod_only_rules() {
    let mut p = pod(SAMPLE_POD);
    p.spec.containers[0].image = " nginx:1.16".into();
    p.spec.active_deadline_seconds = Some(0);
    assert_eq!(
        errors(&validate_pod(&p)),
        [
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
            "spec.containers[0].image: Invalid value: \" nginx:1.16\": must not have leading or trailing whitespace",
        ]
    );
    // A Pod with hostNetwork must use hostPort == containerPort (defaulting sets it).
    let mut p = pod(SAMPLE_POD);
    p.spec.extra.insert("hostNetwork".into(), Value::Bool(true));
    p.spec.containers[0].ports = vec![ContainerPort {
        host_port: 8080,
        ..port(80)
    }];
    assert_eq!(
        errors(&validate_pod(&p)),
        [
            "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
        ]
    );
    let mut p = pod(SAMPLE_POD);
    p.spec.extra.insert(
        "ephemeralContainers".into(),
        Value::Sequence(vec![Value::Mapping(Default::default())]),
    );
    assert_eq!(
        errors(&validate_pod(&p)),
        ["spec.ephemeralContainers: Forbidden: cannot be set on create"]
    );
    let mut p = pod(SAMPLE_POD);
    p.metadata.annotations.insert(
        "controller.kubernetes.io/pod-deletion-cost".into(),
        "+5".into(),
    );
    assert_eq!(
        errors(&validate_pod(&p)),
        [
            "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+5\": must be a 32bit integer"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Deployment spec (§7.4, §11.1)

fn rolling(max_unavailable: IntOrString, max_surge: IntOrString) -> DeploymentStrategy {
    DeploymentStrategy {
        type_: DeploymentStrategyType::RollingUpdate,
        rolling_update: Some(RollingUpdateDeployment {
            max_unavailable: Some(max_unavailable),
            max_surge: Some(max_surge),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn deployment_strategy_rules() {
    let ru = "spec.strategy.rollingUpdate";
    let cases: Vec<(DeploymentStrategy, Vec<String>)> = vec![
        (rolling("25%".into(), "25%".into()), vec![]),
        (rolling(0.into(), 1.into()), vec![]),
        (rolling("0%".into(), "200%".into()), vec![]),
        (
            rolling(0.into(), 0.into()),
            vec![format!("{ru}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}: may not be 0 when `maxSurge` is 0")],
        ),
        (
            rolling("0%".into(), 0.into()),
            vec![format!("{ru}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"0%\"}}: may not be 0 when `maxSurge` is 0")],
        ),
        (
            rolling(1.into(), (-1).into()),
            vec![format!("{ru}.maxSurge: Invalid value: -1: must be greater than or equal to 0")],
        ),
        (
            rolling("abc".into(), 1.into()),
            vec![format!("{ru}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"abc\"}}: {PERCENT_MSG}")],
        ),
        (
            // "abc" counts as 0 and so does an unparsable surge: both errors, then the 0/0 rule.
            rolling("abc".into(), "x%".into()),
            vec![
                format!("{ru}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"abc\"}}: {PERCENT_MSG}"),
                format!("{ru}.maxSurge: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"x%\"}}: {PERCENT_MSG}"),
                format!("{ru}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"abc\"}}: may not be 0 when `maxSurge` is 0"),
            ],
        ),
        (
            rolling("101%".into(), 0.into()),
            vec![format!("{ru}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"101%\"}}: must not be greater than 100%")],
        ),
        (
            DeploymentStrategy {
                type_: DeploymentStrategyType::Recreate,
                rolling_update: Some(RollingUpdateDeployment::default()),
                ..Default::default()
            },
            vec![format!("{ru}: Forbidden: may not be specified when strategy `type` is 'Recreate'")],
        ),
        (
            DeploymentStrategy {
                type_: DeploymentStrategyType::Recreate,
                ..Default::default()
            },
            vec![],
        ),
        (
            DeploymentStrategy {
                type_: DeploymentStrategyType::RollingUpdate,
                ..Default::default()
            },
            vec![format!("{ru}: Required value: this should be defaulted and never be nil")],
        ),
        (
            DeploymentStrategy {
                type_: DeploymentStrategyType::Other("BlueGreen".into()),
                ..Default::default()
            },
            vec!["spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"".into()],
        ),
    ];
    for (strategy, want) in cases {
        let got = deploy_errors(|d| d.spec.strategy = strategy.clone());
        assert_eq!(got, want, "{strategy:?}");
    }
}

#[test]
fn deployment_spec_rules_in_order() {
    assert_eq!(
        deploy_errors(|d| {
            d.spec.replicas = Some(-1);
            d.spec.selector = None;
            d.spec.strategy = rolling(0.into(), 0.into());
            d.spec.min_ready_seconds = -1;
            d.spec.revision_history_limit = Some(-1);
            d.spec.progress_deadline_seconds = Some(-2);
        }),
        [
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"sample-app\"}: `selector` does not match template `labels`",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0",
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
            "spec.progressDeadlineSeconds: Invalid value: -2: must be greater than or equal to 0",
            "spec.progressDeadlineSeconds: Invalid value: -2: must be greater than minReadySeconds",
        ]
    );
    assert_eq!(
        deploy_errors(|d| d.spec.revision_history_limit = Some(0)),
        Vec::<String>::new()
    );
    assert_eq!(
        deploy_errors(|d| {
            d.spec.min_ready_seconds = 600;
        }),
        ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]
    );
    assert_eq!(
        deploy_errors(|d| d.spec.selector = Some(LabelSelector::default())),
        [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        ]
    );
    assert_eq!(
        deploy_errors(|d| d.spec.template.spec.active_deadline_seconds = Some(5)),
        [
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"
        ]
    );
    assert_eq!(
        deploy_errors(|d| {
            d.metadata
                .annotations
                .insert("deprecated.deployment.rollback.to".into(), "-1".into());
        }),
        ["spec.rollback.version: Invalid value: -1: must be greater than or equal to 0"]
    );
}

// ---------------------------------------------------------------------------------------------
// ReplicationController spec (§7.5)

#[test]
fn replication_controller_rules_in_order() {
    assert_eq!(
        rc_errors(|r| {
            r.spec.min_ready_seconds = -1;
            r.spec.selector.clear();
            r.spec.replicas = Some(-1);
            r.spec.template = None;
        }),
        [
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.selector: Required value",
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.template: Required value",
        ]
    );
    assert_eq!(
        rc_errors(|r| {
            r.spec.selector = [("app".to_owned(), "other".to_owned())]
                .into_iter()
                .collect();
        }),
        [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"sample-app\"}: `selector` does not match template `labels`"
        ]
    );
    assert_eq!(
        rc_errors(|r| {
            let t = r.spec.template.as_mut().unwrap();
            t.spec.active_deadline_seconds = Some(1);
            t.spec.restart_policy = RestartPolicy::Never;
        }),
        [
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported",
        ]
    );
    // A template without labels gives the defaulter nothing to copy: the selector stays empty.
    let mut r = rc();
    r.spec.selector.clear();
    r.spec.template.as_mut().unwrap().metadata.labels.clear();
    default_replication_controller(&mut r);
    assert_eq!(
        errors(&validate_replication_controller(&r)),
        ["spec.selector: Required value"]
    );
}

// ---------------------------------------------------------------------------------------------
// Warnings (§7.7, §7.2)

#[test]
fn port_warnings() {
    let mut p = pod(SAMPLE_2POD);
    p.spec.init_containers = vec![container("init")];
    p.spec.init_containers[0].ports = vec![port(80)];
    p.spec.containers[0].ports = vec![
        ContainerPort {
            host_port: 8080,
            ..port(80)
        },
        ContainerPort {
            host_ip: "10.0.0.1".into(),
            ..port(81)
        },
    ];
    p.spec.containers[1].ports = vec![
        ContainerPort {
            host_port: 8080,
            host_ip: "10.0.0.1".into(),
            ..port(80)
        },
        ContainerPort {
            name: "udp".into(),
            protocol: Protocol::Udp,
            ..port(80)
        },
    ];
    default_pod(&mut p);
    let v = validate_pod(&p);
    assert_eq!(errors(&v), Vec::<String>::new());
    assert_eq!(
        warnings(&v),
        [
            "spec.containers[0].ports[0]: overlapping port definition with spec.initContainers[0].ports[0]",
            "spec.containers[0].ports[1]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:81 Protocol:TCP HostIP:10.0.0.1}",
            "spec.containers[1].ports[0]: overlapping port definition with spec.initContainers[0].ports[0]",
            "spec.containers[1].ports[0]: dangerously ambiguous port definition with spec.containers[0].ports[0]",
        ]
    );
}

#[test]
fn name_warnings() {
    let mut r = rs();
    r.metadata.name = "sample.rs".into();
    assert_eq!(
        warnings(&validate_replica_set(&r)),
        [
            "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"
        ]
    );
    let mut d = deploy();
    d.metadata.name = "a".repeat(64);
    assert_eq!(
        warnings(&validate_deployment(&d)),
        [
            "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must be no more than 63 characters]"
        ]
    );
    let mut p = pod(SAMPLE_POD);
    p.metadata.name = "web.v1".into();
    assert_eq!(
        warnings(&validate_pod(&p)),
        [
            "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"
        ]
    );
}

#[test]
fn other_template_warnings() {
    let mut r = rs();
    let t = &mut r.spec.template;
    t.spec
        .node_selector
        .insert("beta.kubernetes.io/os".into(), "linux".into());
    t.spec.termination_grace_period_seconds = Some(-1);
    t.metadata.annotations.insert(
        "scheduler.alpha.kubernetes.io/critical-pod".into(),
        String::new(),
    );
    let env: Value = serde_yaml::from_str(
        "[{name: A, value: '1'}, {name: A, value: '2'}, {name: B}, {name: B, value: '$(B)x'}]",
    )
    .unwrap();
    t.spec.containers[0].extra.insert("env".into(), env);
    let secrets: Value = serde_yaml::from_str("[{name: s}, {name: s}, {name: ''}]").unwrap();
    t.spec.extra.insert("imagePullSecrets".into(), secrets);
    let volumes: Value = serde_yaml::from_str("[{name: v, gitRepo: {repository: r}}]").unwrap();
    t.spec.extra.insert("volumes".into(), volumes);
    let tsc: Value = serde_yaml::from_str("[{topologyKey: failure-domain.beta.kubernetes.io/zone, maxSkew: 1, whenUnsatisfiable: DoNotSchedule}]").unwrap();
    t.spec.extra.insert("topologySpreadConstraints".into(), tsc);
    let affinity: Value = serde_yaml::from_str(
        "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: x}]}}",
    )
    .unwrap();
    t.spec.extra.insert("affinity".into(), affinity);
    let v = validate_replica_set(&r);
    assert_eq!(
        warnings(&v),
        [
            "spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \"kubernetes.io/os\" instead",
            "spec.template.spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead",
            "spec.template.spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod",
            "spec.template.metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the \"priorityClassName\" field instead",
            "spec.template.spec.volumes[0].gitRepo: deprecated in v1.11",
            "spec.template.spec.imagePullSecrets[1].name: duplicate name \"s\"",
            "spec.template.spec.imagePullSecrets[2].name: invalid empty name \"\"",
            "spec.template.spec.containers[0].env[1]: hides previous definition of \"A\", which may be dropped when using apply",
            "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1",
            "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: a null labelSelector results in matching no pod",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The rejected-object error

#[test]
fn invalid_error_prints_like_the_api_server_and_kubectl() {
    let mut d = deploy();
    d.metadata.name = "zero".into();
    d.spec.strategy = rolling(0.into(), 0.into());
    let err = validate_deployment(&d)
        .into_result(ObjectKind::Deployment, "zero")
        .unwrap_err();
    let one = "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0";
    assert_eq!(
        err.to_string(),
        format!("Deployment.apps \"zero\" is invalid: {one}")
    );
    assert_eq!(
        err.kubectl_message(),
        format!("The Deployment \"zero\" is invalid: {one}\n")
    );
    let causes = err.causes();
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0].reason, "FieldValueInvalid");
    assert_eq!(
        causes[0].field,
        "spec.strategy.rollingUpdate.maxUnavailable"
    );

    d.spec.replicas = Some(-1);
    let err = validate_deployment(&d)
        .into_result(ObjectKind::Deployment, "zero")
        .unwrap_err();
    let first = "spec.replicas: Invalid value: -1: must be greater than or equal to 0";
    assert_eq!(
        err.to_string(),
        format!("Deployment.apps \"zero\" is invalid: [{first}, {one}]")
    );
    assert_eq!(
        err.kubectl_message(),
        format!("The Deployment \"zero\" is invalid: \n* {first}\n* {one}\n")
    );

    // Exact duplicates are printed once; a list that dedups to one error prints alone.
    let mut dup = err.clone();
    dup.errors = vec![dup.errors[0].clone(), dup.errors[0].clone()];
    assert_eq!(
        dup.to_string(),
        format!("Deployment.apps \"zero\" is invalid: {first}")
    );
    assert_eq!(
        dup.kubectl_message(),
        format!("The Deployment \"zero\" is invalid: {first}\n")
    );
    assert_eq!(dup.causes().len(), 2);

    let mut r = rs();
    r.spec.replicas = Some(-1);
    let err = validate_replica_set(&r)
        .into_result(ObjectKind::ReplicaSet, "sample-rs")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("ReplicaSet.apps \"sample-rs\" is invalid: {first}")
    );
    let mut c = rc();
    c.spec.replicas = Some(-1);
    let err = validate_replication_controller(&c)
        .into_result(ObjectKind::ReplicationController, "sample-rc")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("ReplicationController \"sample-rc\" is invalid: {first}")
    );
    let mut p = pod(SAMPLE_POD);
    p.spec.containers.clear();
    let err = validate_pod(&p)
        .into_result(ObjectKind::Pod, "sample-pod")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Pod \"sample-pod\" is invalid: spec.containers: Required value"
    );
    assert_eq!(
        err.kubectl_message(),
        "The Pod \"sample-pod\" is invalid: spec.containers: Required value\n"
    );
    assert!(
        validate_pod(&pod(SAMPLE_POD))
            .into_result(ObjectKind::Pod, "sample-pod")
            .is_ok()
    );
}

#[test]
fn namespace_resolution_follows_the_request() {
    let mut p: Pod = serde_yaml::from_str(SAMPLE_POD).unwrap();
    resolve_namespace(&mut p.metadata, "team-a").unwrap();
    assert_eq!(p.metadata.namespace, "team-a");
    assert!(resolve_namespace(&mut p.metadata, "team-a").is_ok());
    let err = resolve_namespace(&mut p.metadata, "default").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the namespace of the provided object does not match the namespace sent on the request"
    );
}

// ---------------------------------------------------------------------------------------------
// Updates and the generation rule

use kube_workloads::validation::{
    prepare_deployment_for_create, prepare_deployment_for_status_update,
    prepare_deployment_for_update, prepare_replica_set_for_create,
    prepare_replica_set_for_status_update, prepare_replica_set_for_update,
    prepare_replication_controller_for_create, prepare_replication_controller_for_update,
    validate_deployment_status_update, validate_deployment_update,
    validate_replica_set_status_update, validate_replica_set_update,
    validate_replication_controller_status_update, validate_replication_controller_update,
};

fn created_rs() -> ReplicaSet {
    let mut r = rs();
    r.status.replicas = 7;
    r.metadata.generation = 42;
    prepare_replica_set_for_create(&mut r);
    r
}

#[test]
fn create_sets_generation_one_and_clears_status() {
    let r = created_rs();
    assert_eq!(r.metadata.generation, 1);
    assert_eq!(r.status, Default::default());
    let mut d = deploy();
    d.status.collision_count = Some(3);
    prepare_deployment_for_create(&mut d);
    assert_eq!((d.metadata.generation, d.status.collision_count), (1, None));
    let mut c = rc();
    prepare_replication_controller_for_create(&mut c);
    assert_eq!(c.metadata.generation, 1);
}

#[test]
fn generation_bumps_only_when_the_spec_changes() {
    let old = created_rs();
    // Scaling is a spec change.
    let mut new = old.clone();
    new.spec.replicas = Some(5);
    prepare_replica_set_for_update(&mut new, &old);
    assert_eq!(new.metadata.generation, 2);
    // Labels, annotations and status do not bump; the request cannot set status or generation.
    let mut new = old.clone();
    new.metadata.labels.insert("tier".into(), "web".into());
    new.metadata.annotations.insert("note".into(), "x".into());
    new.status.replicas = 9;
    new.metadata.generation = 99;
    prepare_replica_set_for_update(&mut new, &old);
    assert_eq!(new.metadata.generation, 1);
    assert_eq!(new.status, old.status);
    // Semantic equality: writing the same labels in another order is no change.
    let mut base = old.clone();
    base.spec
        .template
        .metadata
        .labels
        .insert("z".into(), "1".into());
    let mut reordered = base.clone();
    reordered.spec.template.metadata.labels = base
        .spec
        .template
        .metadata
        .labels
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    prepare_replica_set_for_update(&mut reordered, &base);
    assert_eq!(reordered.metadata.generation, base.metadata.generation);
    // Semantic equality: an empty list or string is the same as an absent one; `{}` is not.
    let mut empty = old.clone();
    let c = &mut empty.spec.template.spec.containers[0].extra;
    c.insert("env".into(), Value::Sequence(vec![]));
    c.insert("workingDir".into(), Value::from(""));
    prepare_replica_set_for_update(&mut empty, &old);
    assert_eq!(empty.metadata.generation, old.metadata.generation);
    let mut object = old.clone();
    object.spec.template.spec.containers[0]
        .extra
        .insert("resources".into(), Value::Mapping(Default::default()));
    prepare_replica_set_for_update(&mut object, &old);
    assert_eq!(object.metadata.generation, old.metadata.generation + 1);
    // Status writes never bump and cannot change the spec.
    let mut status = old.clone();
    status.spec.replicas = Some(10);
    status.status.replicas = 3;
    prepare_replica_set_for_status_update(&mut status, &old);
    assert_eq!(status.spec, old.spec);
    assert_eq!(status.metadata.generation, 1);
    assert_eq!(status.status.replicas, 3);
}

#[test]
fn deployment_annotations_bump_the_generation() {
    let mut old = deploy();
    prepare_deployment_for_create(&mut old);
    let mut new = old.clone();
    new.metadata
        .annotations
        .insert("kubernetes.io/change-cause".into(), "x".into());
    prepare_deployment_for_update(&mut new, &old);
    assert_eq!(new.metadata.generation, 2);
    let mut new = old.clone();
    new.metadata.labels.insert("tier".into(), "web".into());
    prepare_deployment_for_update(&mut new, &old);
    assert_eq!(new.metadata.generation, 1);
    // The status subresource keeps spec and labels but lets annotations through, no bump.
    let mut status = old.clone();
    status.metadata.labels.insert("tier".into(), "web".into());
    status
        .metadata
        .annotations
        .insert("deployment.kubernetes.io/revision".into(), "1".into());
    status.spec.paused = true;
    prepare_deployment_for_status_update(&mut status, &old);
    assert_eq!(status.metadata.labels, old.metadata.labels);
    assert!(!status.spec.paused);
    assert_eq!(
        status
            .metadata
            .annotations
            .get("deployment.kubernetes.io/revision")
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(status.metadata.generation, 1);
}

#[test]
fn the_selector_is_immutable_in_apps_v1() {
    let old = created_rs();
    let mut new = old.clone();
    new.spec.selector = Some(LabelSelector::from_labels([("app", "nginx-2")]));
    new.spec
        .template
        .metadata
        .labels
        .insert("app".into(), "nginx-2".into());
    prepare_replica_set_for_update(&mut new, &old);
    let v = validate_replica_set_update(&old, &new);
    assert_eq!(
        errors(&v),
        [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"nginx-2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        ]
    );
    let mut old = deploy();
    prepare_deployment_for_create(&mut old);
    let mut new = old.clone();
    new.spec.selector = None;
    prepare_deployment_for_update(&mut new, &old);
    let v = validate_deployment_update(&old, &new);
    assert_eq!(
        errors(&v),
        [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"sample-app\"}: `selector` does not match template `labels`",
            "spec.selector: Invalid value: null: field is immutable",
        ]
    );
    // A ReplicationController's selector is mutable.
    let mut old = rc();
    prepare_replication_controller_for_create(&mut old);
    let mut new = old.clone();
    new.spec.selector = [
        ("app".to_owned(), "sample-app".to_owned()),
        ("v".to_owned(), "2".to_owned()),
    ]
    .into_iter()
    .collect();
    new.spec.template.as_mut().unwrap().metadata.labels = new.spec.selector.clone();
    prepare_replication_controller_for_update(&mut new, &old);
    assert_eq!(new.metadata.generation, 2);
    assert!(validate_replication_controller_update(&old, &new).is_valid());
}

#[test]
fn update_validation_keeps_upstreams_list_and_prints_each_error_once() {
    let old = created_rs();
    let mut new = old.clone();
    new.spec.replicas = Some(-1);
    new.metadata.labels.insert("x".into(), "-bad".into());
    prepare_replica_set_for_update(&mut new, &old);
    let v = validate_replica_set_update(&old, &new);
    let label = format!("metadata.labels: Invalid value: \"-bad\": {VALUE_MSG}");
    let replicas = "spec.replicas: Invalid value: -1: must be greater than or equal to 0";
    // Common fields (create + update metadata), the create validation, the update validation.
    assert_eq!(
        errors(&v),
        [
            label.clone(),
            label.clone(),
            label.clone(),
            replicas.into(),
            label.clone(),
            replicas.into()
        ]
    );
    let err = v
        .into_result(ObjectKind::ReplicaSet, "sample-rs")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("ReplicaSet.apps \"sample-rs\" is invalid: [{label}, {replicas}]")
    );
    assert_eq!(
        err.kubectl_message(),
        format!("The ReplicaSet \"sample-rs\" is invalid: \n* {label}\n* {replicas}\n")
    );
}

#[test]
fn updates_keep_system_metadata() {
    let mut old = created_rs();
    old.metadata.uid = "u1".into();
    old.metadata.creation_timestamp =
        kube_workloads::Time::parse_rfc3339("2024-05-01T00:00:00Z").ok();
    let mut new = old.clone();
    new.metadata.uid.clear();
    new.metadata.creation_timestamp = None;
    prepare_replica_set_for_update(&mut new, &old);
    assert_eq!(new.metadata.uid, "u1");
    assert_eq!(
        new.metadata.creation_timestamp,
        old.metadata.creation_timestamp
    );
    assert!(validate_replica_set_update(&old, &new).is_valid());
}

#[test]
fn metadata_update_rules() {
    let old = created_rs();
    let mut new = old.clone();
    new.metadata.name = "other".into();
    new.metadata.uid = "u2".into();
    new.metadata.deletion_grace_period_seconds = Some(30);
    prepare_replica_set_for_update(&mut new, &old);
    let errs = errors(&validate_replica_set_update(&old, &new));
    for want in [
        "metadata.name: Invalid value: \"other\": field is immutable",
        "metadata.uid: Invalid value: \"u2\": field is immutable",
        "metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable",
    ] {
        assert!(errs.contains(&want.to_owned()), "{want}: {errs:?}");
    }
    let mut deleting = old.clone();
    deleting.metadata.deletion_timestamp =
        kube_workloads::Time::parse_rfc3339("2024-05-01T00:00:00Z").ok();
    deleting.metadata.finalizers = vec!["example.com/a".into()];
    let mut new = deleting.clone();
    new.metadata.finalizers.push("example.com/b".into());
    let errs = errors(&validate_replica_set_update(&deleting, &new));
    assert!(errs.contains(&"metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/b\"}".to_owned()), "{errs:?}");
}

#[test]
fn template_warnings_on_update_only_when_the_generation_moves() {
    let mut old = deploy();
    prepare_deployment_for_create(&mut old);
    old.spec.template.spec.containers[0].ports = vec![port(80), port(80)];
    let mut same = old.clone();
    prepare_deployment_for_update(&mut same, &old);
    assert!(validate_deployment_update(&old, &same).warnings.is_empty());
    let mut new = old.clone();
    new.spec.replicas = Some(4);
    prepare_deployment_for_update(&mut new, &old);
    assert_eq!(
        warnings(&validate_deployment_update(&old, &new)),
        [
            "spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]"
        ]
    );
}

#[test]
fn status_updates() {
    let mut old = deploy();
    prepare_deployment_for_create(&mut old);
    old.status.collision_count = Some(2);
    let mut new = old.clone();
    new.status.collision_count = Some(1);
    prepare_deployment_for_status_update(&mut new, &old);
    assert_eq!(
        errors(&validate_deployment_status_update(&old, &new)),
        ["status.collisionCount: Invalid value: 1: cannot be decremented"]
    );
    new.status.collision_count = None;
    assert_eq!(
        errors(&validate_deployment_status_update(&old, &new)),
        ["status.collisionCount: Invalid value: 0: cannot be decremented"]
    );
    new.status.collision_count = Some(3);
    new.status.replicas = 2;
    new.status.updated_replicas = 3;
    new.status.ready_replicas = 1;
    new.status.available_replicas = 2;
    new.status.unavailable_replicas = -1;
    assert_eq!(
        errors(&validate_deployment_status_update(&old, &new)),
        [
            "status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0",
            "status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas",
        ]
    );
    let old = created_rs();
    let mut new = old.clone();
    new.status.replicas = 1;
    new.status.fully_labeled_replicas = 2;
    new.status.ready_replicas = 2;
    new.status.available_replicas = 3;
    new.status.observed_generation = -1;
    prepare_replica_set_for_status_update(&mut new, &old);
    assert_eq!(
        errors(&validate_replica_set_status_update(&old, &new)),
        [
            "status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
            "status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas",
            "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas",
        ]
    );
    let old = rc();
    let mut new = old.clone();
    new.status.replicas = -1;
    assert_eq!(
        errors(&validate_replication_controller_status_update(&old, &new)),
        [
            "status.replicas: Invalid value: -1: must be greater than or equal to 0",
            "status.fullyLabeledReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 0: cannot be greater than status.replicas",
        ]
    );
}
