//! Defaulting as the API server applies it (core/v1 and apps/v1 `SetDefaults_*` and the
//! generated declarative defaults for Kubernetes v1.32).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kube_workloads::api::{DeploymentStrategyType, Protocol, RestartPolicy};
use kube_workloads::defaults::{
    default_deployment, default_pod, default_pod_template, default_replica_set,
    default_replication_controller, image_pull_policy,
};
use kube_workloads::value::Value;
use kube_workloads::{
    Deployment, IntOrString, Pod, PodTemplateSpec, ReplicaSet, ReplicationController,
};

fn yaml<T: serde::de::DeserializeOwned>(s: &str) -> T {
    serde_yaml::from_str(s).unwrap()
}

fn v(s: &str) -> Value {
    serde_yaml::from_str(s).unwrap()
}

const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: sample-deployment
spec:
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

#[test]
fn deployment_defaults() {
    let mut d: Deployment = yaml(DEPLOYMENT);
    default_deployment(&mut d);
    assert_eq!(d.spec.replicas, Some(1));
    assert_eq!(d.spec.strategy.type_, DeploymentStrategyType::RollingUpdate);
    let ru = d.spec.strategy.rolling_update.as_ref().unwrap();
    assert_eq!(ru.max_unavailable, Some(IntOrString::String("25%".into())));
    assert_eq!(ru.max_surge, Some(IntOrString::String("25%".into())));
    assert_eq!(d.spec.revision_history_limit, Some(10));
    assert_eq!(d.spec.progress_deadline_seconds, Some(600));
    assert_eq!(d.spec.template.spec.restart_policy, RestartPolicy::Always);
    // The selector has no default in apps/v1.
    let mut d: Deployment = yaml(DEPLOYMENT);
    d.spec.selector = None;
    default_deployment(&mut d);
    assert_eq!(d.spec.selector, None);
}

#[test]
fn deployment_defaults_keep_what_the_user_set() {
    let mut d: Deployment = yaml(DEPLOYMENT);
    d.spec.replicas = Some(0);
    d.spec.revision_history_limit = Some(0);
    d.spec.progress_deadline_seconds = Some(30);
    d.spec.strategy = yaml("rollingUpdate: {maxSurge: 1}");
    default_deployment(&mut d);
    assert_eq!(d.spec.replicas, Some(0));
    assert_eq!(d.spec.revision_history_limit, Some(0));
    assert_eq!(d.spec.progress_deadline_seconds, Some(30));
    let ru = d.spec.strategy.rolling_update.as_ref().unwrap();
    assert_eq!(ru.max_surge, Some(IntOrString::Int(1)));
    assert_eq!(ru.max_unavailable, Some(IntOrString::String("25%".into())));
}

#[test]
fn recreate_gets_no_rolling_update() {
    let mut d: Deployment = yaml(DEPLOYMENT);
    d.spec.strategy = yaml("type: Recreate");
    default_deployment(&mut d);
    assert_eq!(d.spec.strategy.type_, DeploymentStrategyType::Recreate);
    assert_eq!(d.spec.strategy.rolling_update, None);
}

#[test]
fn replica_set_defaults() {
    let mut rs: ReplicaSet = yaml(
        "spec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: busybox}]}}}",
    );
    default_replica_set(&mut rs);
    assert_eq!(rs.spec.replicas, Some(1));
    // apps/v1 never derives the selector or the labels from the template.
    assert_eq!(rs.spec.selector, None);
    assert!(rs.metadata.labels.is_empty());
    let c = &rs.spec.template.spec.containers[0];
    assert_eq!(c.extra.get("imagePullPolicy"), Some(&Value::from("Always")));
}

#[test]
fn replication_controller_takes_selector_and_labels_from_the_template() {
    let src = "spec: {template: {metadata: {labels: {app: web, tier: fe}}, spec: {containers: [{name: c, image: nginx}]}}}";
    let mut rc: ReplicationController = yaml(src);
    default_replication_controller(&mut rc);
    let want: Vec<(&str, &str)> = vec![("app", "web"), ("tier", "fe")];
    let got: Vec<(&str, &str)> = rc
        .spec
        .selector
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(rc.metadata.labels, rc.spec.selector);
    assert_eq!(rc.spec.replicas, Some(1));
    assert_eq!(
        rc.spec.template.as_ref().unwrap().spec.restart_policy,
        RestartPolicy::Always
    );
    // What the user set is kept.
    let mut rc: ReplicationController = yaml(src);
    rc.spec.selector.insert("app".into(), "web".into());
    rc.metadata.labels.insert("owner".into(), "me".into());
    rc.spec.replicas = Some(0);
    default_replication_controller(&mut rc);
    assert_eq!(rc.spec.selector.len(), 1);
    assert_eq!(rc.metadata.labels.len(), 1);
    assert_eq!(rc.spec.replicas, Some(0));
    // No template: only replicas.
    let mut rc: ReplicationController = yaml("spec: {}");
    default_replication_controller(&mut rc);
    assert!(rc.spec.selector.is_empty() && rc.spec.template.is_none());
    assert_eq!(rc.spec.replicas, Some(1));
}

#[test]
fn pod_spec_and_container_defaults_look_like_the_stored_object() {
    let mut t: PodTemplateSpec = yaml(
        r#"
metadata: {labels: {app: web}}
spec:
  containers:
  - name: web
    image: nginx:1.16
    ports: [{containerPort: 80}]
"#,
    );
    default_pod_template(&mut t);
    let out = serde_yaml::to_string(&t).unwrap();
    let want = r#"metadata:
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.16
    ports:
    - containerPort: 80
      protocol: TCP
    imagePullPolicy: IfNotPresent
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  restartPolicy: Always
  terminationGracePeriodSeconds: 30
  dnsPolicy: ClusterFirst
  securityContext: {}
  schedulerName: default-scheduler
"#;
    assert_eq!(out, want);
    assert_eq!(t.spec.containers[0].ports[0].protocol, Protocol::Tcp);
}

#[test]
fn explicit_values_are_not_overwritten() {
    let mut t: PodTemplateSpec = yaml(
        r#"
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 0
  dnsPolicy: Default
  schedulerName: mine
  securityContext: {runAsUser: 1000}
  containers:
  - name: web
    image: nginx
    imagePullPolicy: Never
    terminationMessagePolicy: FallbackToLogsOnError
    terminationMessagePath: /tmp/log
    ports: [{containerPort: 53, protocol: UDP}]
"#,
    );
    let before = t.clone();
    default_pod_template(&mut t);
    assert_eq!(t, before);
}

#[test]
fn image_pull_policy_rule() {
    let sha = "0123456789abcdef".repeat(4);
    for (image, want) in [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.16", "IfNotPresent"),
        ("redis:3.2", "IfNotPresent"),
        ("quay.io/org/app", "Always"),
        ("quay.io:443/org/app:v1", "IfNotPresent"),
        (&format!("nginx@sha256:{sha}"), "IfNotPresent"),
        (&format!("nginx:latest@sha256:{sha}"), "Always"),
        ("UPPER", "IfNotPresent"),
        ("", "IfNotPresent"),
    ] {
        assert_eq!(image_pull_policy(image), want, "{image:?}");
    }
    let mut t: PodTemplateSpec = yaml(
        "spec: {initContainers: [{name: i, image: busybox}], containers: [{name: c, image: 'nginx:latest'}, {name: d, image: 'nginx:1'}]}",
    );
    default_pod_template(&mut t);
    let policy = |c: &kube_workloads::Container| c.extra.get("imagePullPolicy").cloned();
    assert_eq!(
        policy(&t.spec.init_containers[0]),
        Some(Value::from("Always"))
    );
    assert_eq!(policy(&t.spec.containers[0]), Some(Value::from("Always")));
    assert_eq!(
        policy(&t.spec.containers[1]),
        Some(Value::from("IfNotPresent"))
    );
}

#[test]
fn probe_lifecycle_and_env_defaults() {
    let mut t: PodTemplateSpec = yaml(
        r#"
spec:
  containers:
  - name: web
    image: nginx
    livenessProbe: {httpGet: {port: 80}}
    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5}
    startupProbe: {exec: {command: [true]}, failureThreshold: 30}
    lifecycle: {preStop: {httpGet: {port: 8080, path: /quit}}, postStart: {exec: {command: [x]}}}
    env:
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: PLAIN, value: x}
"#,
    );
    default_pod_template(&mut t);
    let c = &t.spec.containers[0];
    assert_eq!(
        c.extra.get("livenessProbe"),
        Some(&v(
            "{httpGet: {port: 80, path: /, scheme: HTTP}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3}"
        ))
    );
    assert_eq!(
        c.extra.get("readinessProbe"),
        Some(&v(
            "{tcpSocket: {port: 80}, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3}"
        ))
    );
    assert_eq!(
        c.extra.get("startupProbe"),
        Some(&v(
            "{exec: {command: [true]}, failureThreshold: 30, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1}"
        ))
    );
    assert_eq!(
        c.extra.get("lifecycle"),
        Some(&v(
            "{preStop: {httpGet: {port: 8080, path: /quit, scheme: HTTP}}, postStart: {exec: {command: [x]}}}"
        ))
    );
    assert_eq!(
        c.extra.get("env"),
        Some(&v(
            "[{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName, apiVersion: v1}}}, {name: PLAIN, value: x}]"
        ))
    );
}

#[test]
fn volume_defaults() {
    let mut t: PodTemplateSpec = yaml(
        r#"
spec:
  containers: [{name: c, image: nginx}]
  volumes:
  - name: scratch
  - {name: cache, emptyDir: {}}
  - {name: host, hostPath: {path: /var/log}}
  - {name: s, secret: {secretName: s}}
  - {name: cm, configMap: {name: cm, defaultMode: 256}}
  - {name: dapi, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
  - name: proj
    projected:
      sources:
      - serviceAccountToken: {path: token}
      - downwardAPI: {items: [{path: n, fieldRef: {fieldPath: metadata.name}}]}
  - name: eph
    ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce]}}}
"#,
    );
    default_pod_template(&mut t);
    let want = v(r#"
- {name: scratch, emptyDir: {}}
- {name: cache, emptyDir: {}}
- {name: host, hostPath: {path: /var/log, type: ""}}
- {name: s, secret: {secretName: s, defaultMode: 420}}
- {name: cm, configMap: {name: cm, defaultMode: 256}}
- {name: dapi, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels, apiVersion: v1}}], defaultMode: 420}}
- name: proj
  projected:
    sources:
    - serviceAccountToken: {path: token, expirationSeconds: 3600}
    - downwardAPI: {items: [{path: n, fieldRef: {fieldPath: metadata.name, apiVersion: v1}}]}
    defaultMode: 420
- name: eph
  ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem}}}
"#);
    assert_eq!(t.spec.extra.get("volumes"), Some(&want));
}

#[test]
fn pod_only_defaults() {
    let src = r#"
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: true
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 80}, {containerPort: 81, hostPort: 81}]
    resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 100m}}
"#;
    let mut p: Pod = yaml(src);
    default_pod(&mut p);
    assert_eq!(
        p.spec.extra.get("enableServiceLinks"),
        Some(&Value::Bool(true))
    );
    let c = &p.spec.containers[0];
    assert_eq!(c.ports[0].host_port, 80);
    assert_eq!(c.ports[1].host_port, 81);
    assert_eq!(
        c.extra.get("resources"),
        Some(&v(
            "{limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 100m, memory: 128Mi}}"
        ))
    );
    // Templates get none of these.
    let mut t: PodTemplateSpec = yaml(
        "spec: {hostNetwork: true, containers: [{name: c, image: nginx, ports: [{containerPort: 80}], resources: {limits: {cpu: '1'}}}]}",
    );
    default_pod_template(&mut t);
    assert!(!t.spec.extra.contains_key("enableServiceLinks"));
    assert_eq!(t.spec.containers[0].ports[0].host_port, 0);
    assert_eq!(
        t.spec.containers[0].extra.get("resources"),
        Some(&v("{limits: {cpu: '1'}}"))
    );
}

#[test]
fn defaulting_is_idempotent_and_survives_a_round_trip() {
    let mut d: Deployment = yaml(DEPLOYMENT);
    default_deployment(&mut d);
    let once = d.clone();
    default_deployment(&mut d);
    assert_eq!(d, once);
    let text = serde_yaml::to_string(&d).unwrap();
    let mut back: Deployment = serde_yaml::from_str(&text).unwrap();
    assert_eq!(back, once);
    default_deployment(&mut back);
    assert_eq!(back, once);

    let mut p: Pod = yaml(
        "metadata: {name: p}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: '1'}}}], volumes: [{name: v}]}",
    );
    default_pod(&mut p);
    let once = p.clone();
    default_pod(&mut p);
    assert_eq!(p, once);

    let mut rc: ReplicationController = yaml(
        "spec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: nginx}]}}}",
    );
    default_replication_controller(&mut rc);
    let once = rc.clone();
    default_replication_controller(&mut rc);
    assert_eq!(rc, once);

    let mut rs: ReplicaSet =
        yaml("spec: {template: {spec: {containers: [{name: c, image: nginx}]}}}");
    default_replica_set(&mut rs);
    let once = rs.clone();
    default_replica_set(&mut rs);
    assert_eq!(rs, once);
}

#[test]
fn zero_values_count_as_unset() {
    // `imagePullPolicy: ""` and `null` are Go's zero value and get defaulted; so does a 0 probe
    // period.
    let mut t: PodTemplateSpec = yaml(
        "spec: {dnsPolicy: '', containers: [{name: c, image: nginx, imagePullPolicy: null, readinessProbe: {periodSeconds: 0}}]}",
    );
    default_pod_template(&mut t);
    assert_eq!(
        t.spec.extra.get("dnsPolicy"),
        Some(&Value::from("ClusterFirst"))
    );
    let c = &t.spec.containers[0];
    assert_eq!(c.extra.get("imagePullPolicy"), Some(&Value::from("Always")));
    assert_eq!(
        c.extra
            .get("readinessProbe")
            .and_then(|p| p.get("periodSeconds")),
        Some(&Value::Int(10))
    );
}
