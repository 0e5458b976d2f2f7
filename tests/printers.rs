//! kubectl's printers on the book's objects: `get` tables (plain, wide, labels, name),
//! `describe`, `-o yaml/json`, compared with golden files in `tests/golden/`.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test --test printers` and review the diff by eye.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kube_workloads::api::{
    ConditionStatus, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, DeploymentCondition, DeploymentConditionType,
    PodCondition, PodConditionType, PodPhase,
};
use kube_workloads::event::{Event, ObjectReference};
use kube_workloads::kubectl::{self, Object};
use kube_workloads::meta::OwnerReference;
use kube_workloads::printers::{
    self, DescribeOptions, EventRecord, TableOptions, get::pod_summary,
};
use kube_workloads::{Deployment, Pod, ReplicaSet, Time};

fn t0() -> Time {
    Time::parse_rfc3339("2024-05-01T12:00:00Z").unwrap()
}

fn now() -> Time {
    t0().add_seconds(600)
}

fn golden(name: &str, actual: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden file {path}; run with UPDATE_GOLDEN=1"));
    assert_eq!(actual, expected, "golden file {name} differs");
}

fn running_status(name: &str, image: &str, started: Time) -> ContainerStatus {
    ContainerStatus {
        name: name.into(),
        state: ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(started),
                ..Default::default()
            }),
            ..Default::default()
        },
        ready: true,
        restart_count: 0,
        image: format!("docker.io/library/{image}"),
        image_id: format!(
            "docker.io/library/{image}@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"
        ),
        container_id: format!("containerd://{:064x}", name.len() * 7919),
        started: Some(true),
        ..Default::default()
    }
}

fn ready_conditions(at: Time) -> Vec<PodCondition> {
    [
        PodConditionType::PodReadyToStartContainers,
        PodConditionType::Initialized,
        PodConditionType::Ready,
        PodConditionType::ContainersReady,
        PodConditionType::PodScheduled,
    ]
    .into_iter()
    .map(|t| PodCondition {
        type_: t,
        status: ConditionStatus::True,
        last_transition_time: Some(at),
        ..Default::default()
    })
    .collect()
}

fn pod_yaml(yaml: &str, created: Time, ip: &str) -> Pod {
    let mut p: Pod = serde_yaml::from_str(yaml).unwrap();
    p.metadata.namespace = "default".into();
    p.metadata.creation_timestamp = Some(created);
    p.metadata.resource_version = "1001".into();
    p.spec.node_name = "minikube".into();
    p.status.phase = PodPhase::Running;
    p.status.host_ip = "192.168.49.2".into();
    p.status.pod_ip = ip.into();
    p.status.start_time = Some(created);
    // What admission and the kubelet add on a real cluster.
    let extras: kube_workloads::value::Mapping = serde_yaml::from_str(&format!(
        r#"
priority: 0
serviceAccountName: default
tolerations:
- {{effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300}}
- {{effect: NoExecute, key: node.kubernetes.io/unreachable, operator: Exists, tolerationSeconds: 300}}
volumes:
- name: kube-api-access-{}
  projected:
    defaultMode: 420
    sources:
    - serviceAccountToken: {{expirationSeconds: 3607, path: token}}
    - configMap: {{name: kube-root-ca.crt, items: [{{key: ca.crt, path: ca.crt}}]}}
    - downwardAPI: {{items: [{{path: namespace, fieldRef: {{apiVersion: v1, fieldPath: metadata.namespace}}}}]}}
"#,
        &p.metadata.uid.replace('-', "")
    ))
    .unwrap();
    p.spec.extra.extend(extras);
    let mount: kube_workloads::value::Value = serde_yaml::from_str(&format!(
        "[{{name: kube-api-access-{}, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}}]",
        p.metadata.uid.replace('-', "")
    ))
    .unwrap();
    for c in &mut p.spec.containers {
        c.extra.insert("volumeMounts".into(), mount.clone());
    }
    p.status.extra.insert(
        "qosClass".into(),
        kube_workloads::value::Value::String("BestEffort".into()),
    );
    p.status.conditions = ready_conditions(created.add_seconds(4));
    p.status.container_statuses = p
        .spec
        .containers
        .iter()
        .map(|c| running_status(&c.name, &c.image, created.add_seconds(3)))
        .collect();
    p
}

/// `sample-pod` and `sample-2pod` from the book, running on minikube.
fn book_pods() -> Vec<Pod> {
    let mut a = pod_yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: sample-pod, uid: pod-1}\nspec:\n  containers:\n  - name: nginx-container\n    image: nginx:1.16\n    ports: [{containerPort: 80, protocol: TCP}]\n",
        t0(),
        "10.244.0.5",
    );
    a.metadata.annotations.insert(
        "kubectl.kubernetes.io/last-applied-configuration".into(),
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}\n".into(),
    );
    let b = pod_yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: sample-2pod, uid: pod-2}\nspec:\n  containers:\n  - {name: nginx-container, image: \"nginx:1.16\"}\n  - {name: redis-container, image: \"redis:3.2\"}\n",
        t0().add_seconds(60),
        "10.244.0.6",
    );
    vec![a, b]
}

fn owner(kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: if kind == "Deployment" || kind == "ReplicaSet" {
            "apps/v1"
        } else {
            "v1"
        }
        .into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..Default::default()
    }
}

const SAMPLE_RS: &str = r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: sample-rs
  namespace: default
  uid: rs-uid
  generation: 1
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

fn rs_event(regarding: &ObjectReference, msg: String) -> Event {
    Event::normal(
        regarding.clone(),
        "replicaset-controller",
        "SuccessfulCreate",
        msg,
    )
}

/// `sample-rs` with its three pods, and the controller's events.
fn book_replica_set() -> (ReplicaSet, Vec<Pod>, Vec<EventRecord>) {
    let mut rs: ReplicaSet = serde_yaml::from_str(SAMPLE_RS).unwrap();
    let created = t0().add_seconds(120);
    rs.metadata.creation_timestamp = Some(created);
    rs.status.replicas = 3;
    rs.status.fully_labeled_replicas = 3;
    rs.status.ready_replicas = 3;
    rs.status.available_replicas = 3;
    rs.status.observed_generation = 1;
    let reference = ObjectReference {
        kind: "ReplicaSet".into(),
        namespace: "default".into(),
        name: "sample-rs".into(),
        uid: "rs-uid".into(),
    };
    let mut pods = Vec::new();
    let mut events = Vec::new();
    for (i, suffix) in ["9f9kr", "b8x2m", "tl6mz"].iter().enumerate() {
        let name = format!("sample-rs-{suffix}");
        let mut p = pod_yaml(
            &format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, uid: rs-pod-{i}, generateName: sample-rs-, labels: {{app: sample-app}}}}\nspec:\n  containers:\n  - {{name: nginx-container, image: \"nginx:1.16\"}}\n"
            ),
            created,
            &format!("10.244.0.{}", 10 + i),
        );
        p.metadata
            .owner_references
            .push(owner("ReplicaSet", "sample-rs", "rs-uid"));
        events.push(EventRecord::new(
            &rs_event(&reference, format!("Created pod: {name}")),
            created,
        ));
        pods.push(p);
    }
    (rs, pods, events)
}

const CAUSE_APPLY: &str = "kubectl apply --filename=sample-deployment.yaml --record=true";
const CAUSE_SET_IMAGE: &str =
    "kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true";

/// `sample-deployment` after `kubectl set image ... nginx=nginx:1.17 --record` completed: two
/// ReplicaSets, three new pods, the controller's events.
fn book_deployment() -> (Deployment, Vec<ReplicaSet>, Vec<Pod>, Vec<EventRecord>) {
    let created = t0().add_seconds(300);
    let updated = t0().add_seconds(400);
    let manifest: Deployment = serde_yaml::from_str(
        r#"
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
"#,
    )
    .unwrap();
    let applied = kubectl::apply(
        &Object::Deployment(manifest),
        None,
        &kubectl::ApplyRequest {
            namespace: "default",
            uid: "deploy-uid",
            resource_version: "2001",
            change_cause: Some(CAUSE_APPLY),
            now: created,
        },
    )
    .unwrap();
    let Object::Deployment(mut d) = applied.object else {
        panic!()
    };
    d.spec.strategy = serde_yaml::from_str(
        "{type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}",
    )
    .unwrap();
    d.spec.revision_history_limit = Some(10);
    d.spec.progress_deadline_seconds = Some(600);
    let old_template = d.spec.template.clone();
    let args = kubectl::SetImage::parse(
        &[
            "deployment",
            "sample-deployment",
            "nginx-container=nginx:1.17",
        ],
        &Default::default(),
    )
    .unwrap();
    let out = args
        .run(&Object::Deployment(d), Some(CAUSE_SET_IMAGE))
        .unwrap();
    let Object::Deployment(mut d) = out.object else {
        panic!()
    };
    d.metadata
        .annotations
        .insert("deployment.kubernetes.io/revision".into(), "2".into());
    d.status.observed_generation = d.metadata.generation;
    d.status.replicas = 3;
    d.status.updated_replicas = 3;
    d.status.ready_replicas = 3;
    d.status.available_replicas = 3;
    d.status.conditions = vec![
        DeploymentCondition {
            type_: DeploymentConditionType::Available,
            status: ConditionStatus::True,
            last_update_time: Some(created.add_seconds(5)),
            last_transition_time: Some(created.add_seconds(5)),
            reason: "MinimumReplicasAvailable".into(),
            message: "Deployment has minimum availability.".into(),
            ..Default::default()
        },
        DeploymentCondition {
            type_: DeploymentConditionType::Progressing,
            status: ConditionStatus::True,
            last_update_time: Some(updated.add_seconds(9)),
            last_transition_time: Some(created),
            reason: "NewReplicaSetAvailable".into(),
            message: "ReplicaSet \"sample-deployment-6b7b4c8d5f\" has successfully progressed."
                .into(),
            ..Default::default()
        },
    ];
    let rs_for = |name: &str,
                  uid: &str,
                  hash: &str,
                  image: &str,
                  rev: &str,
                  cause: &str,
                  replicas: i32,
                  at: Time| {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = name.into();
        rs.metadata.namespace = "default".into();
        rs.metadata.uid = uid.into();
        rs.metadata.generation = if replicas == 0 { 2 } else { 1 };
        rs.metadata.creation_timestamp = Some(at);
        rs.metadata.labels = [("app", "sample-app"), ("pod-template-hash", hash)]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        for (k, v) in [
            ("deployment.kubernetes.io/desired-replicas", "3"),
            ("deployment.kubernetes.io/max-replicas", "4"),
            ("deployment.kubernetes.io/revision", rev),
            ("kubernetes.io/change-cause", cause),
        ] {
            rs.metadata.annotations.insert(k.into(), v.into());
        }
        rs.metadata
            .owner_references
            .push(owner("Deployment", "sample-deployment", "deploy-uid"));
        rs.spec.replicas = Some(replicas);
        rs.spec.selector = Some(kube_workloads::LabelSelector::from_labels([
            ("app", "sample-app"),
            ("pod-template-hash", hash),
        ]));
        let mut t = old_template.clone();
        t.metadata
            .labels
            .insert("pod-template-hash".into(), hash.into());
        t.spec.containers[0].image = image.into();
        rs.spec.template = t;
        rs.status.replicas = replicas;
        rs.status.fully_labeled_replicas = replicas;
        rs.status.ready_replicas = replicas;
        rs.status.available_replicas = replicas;
        rs.status.observed_generation = rs.metadata.generation;
        rs
    };
    let old = rs_for(
        "sample-deployment-7d8b9c6f4d",
        "rs-old",
        "7d8b9c6f4d",
        "nginx:1.16",
        "1",
        CAUSE_APPLY,
        0,
        created,
    );
    let new = rs_for(
        "sample-deployment-6b7b4c8d5f",
        "rs-new",
        "6b7b4c8d5f",
        "nginx:1.17",
        "2",
        CAUSE_SET_IMAGE,
        3,
        updated,
    );
    let mut pods = Vec::new();
    for (i, suffix) in ["2xk9p", "8wq4t", "zr7fm"].iter().enumerate() {
        let name = format!("sample-deployment-6b7b4c8d5f-{suffix}");
        let mut p = pod_yaml(
            &format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, uid: d-pod-{i}, labels: {{app: sample-app, pod-template-hash: 6b7b4c8d5f}}}}\nspec:\n  containers:\n  - {{name: nginx-container, image: \"nginx:1.17\"}}\n"
            ),
            updated.add_seconds(i64::try_from(i).unwrap() * 3),
            &format!("10.244.0.{}", 20 + i),
        );
        p.metadata
            .owner_references
            .push(owner("ReplicaSet", &new.metadata.name, "rs-new"));
        pods.push(p);
    }
    let reference = ObjectReference {
        kind: "Deployment".into(),
        namespace: "default".into(),
        name: "sample-deployment".into(),
        uid: "deploy-uid".into(),
    };
    let ev = |msg: &str, at: Time| {
        EventRecord::new(
            &Event::normal(
                reference.clone(),
                "deployment-controller",
                "ScalingReplicaSet",
                msg.to_owned(),
            ),
            at,
        )
    };
    let events = vec![
        ev(
            "Scaled up replica set sample-deployment-7d8b9c6f4d from 0 to 3",
            created,
        ),
        ev(
            "Scaled up replica set sample-deployment-6b7b4c8d5f from 0 to 1",
            updated,
        ),
        ev(
            "Scaled down replica set sample-deployment-7d8b9c6f4d from 3 to 2",
            updated.add_seconds(3),
        ),
        ev(
            "Scaled up replica set sample-deployment-6b7b4c8d5f from 1 to 2",
            updated.add_seconds(3),
        ),
        ev(
            "Scaled down replica set sample-deployment-7d8b9c6f4d from 2 to 1",
            updated.add_seconds(6),
        ),
        ev(
            "Scaled up replica set sample-deployment-6b7b4c8d5f from 2 to 3",
            updated.add_seconds(6),
        ),
        ev(
            "Scaled down replica set sample-deployment-7d8b9c6f4d from 1 to 0",
            updated.add_seconds(9),
        ),
    ];
    (d, vec![new, old], pods, events)
}

#[test]
fn get_pods_tables() {
    let pods = book_pods();
    golden(
        "get_pods.txt",
        &printers::pods_table(&pods, TableOptions::default(), now()),
    );
    golden(
        "get_pods_wide.txt",
        &printers::pods_table(
            &pods,
            TableOptions {
                wide: true,
                ..Default::default()
            },
            now(),
        ),
    );
    let (_, rs_pods, _) = book_replica_set();
    golden(
        "get_pods_rs_wide_labels.txt",
        &printers::pods_table(
            &rs_pods,
            TableOptions {
                wide: true,
                show_labels: true,
                ..Default::default()
            },
            now(),
        ),
    );
}

#[test]
fn get_replica_sets_and_deployments_tables() {
    let (rs, _, _) = book_replica_set();
    golden(
        "get_rs_wide.txt",
        &printers::replica_sets_table(
            &[rs],
            TableOptions {
                wide: true,
                ..Default::default()
            },
            now(),
        ),
    );
    let (d, rss, _, _) = book_deployment();
    golden(
        "get_rs.txt",
        &printers::replica_sets_table(&rss, TableOptions::default(), now()),
    );
    golden(
        "get_deploy.txt",
        &printers::deployments_table(std::slice::from_ref(&d), TableOptions::default(), now()),
    );
    golden(
        "get_deploy_wide.txt",
        &printers::deployments_table(
            &[d],
            TableOptions {
                wide: true,
                ..Default::default()
            },
            now(),
        ),
    );
}

#[test]
fn describe_outputs() {
    let pods = book_pods();
    golden(
        "describe_pod.txt",
        &printers::describe_pod(&pods[0], &[], DescribeOptions::default(), now()),
    );
    golden(
        "describe_2pod.txt",
        &printers::describe_pod(&pods[1], &[], DescribeOptions::default(), now()),
    );
    let (rs, rs_pods, rs_events) = book_replica_set();
    golden(
        "describe_rs.txt",
        &printers::describe_replica_set(
            &rs,
            &rs_pods,
            &rs_events,
            DescribeOptions::default(),
            now(),
        )
        .unwrap(),
    );
    let (d, rss, _, events) = book_deployment();
    golden(
        "describe_deploy.txt",
        &printers::describe_deployment(&d, &rss, &events, DescribeOptions::default(), now())
            .unwrap(),
    );
}

#[test]
fn rollout_history_outputs() {
    let (d, rss, _, _) = book_deployment();
    let obj = Object::Deployment(d);
    golden(
        "rollout_history.txt",
        &kubectl::history(&obj, &rss, 0).unwrap(),
    );
    golden(
        "rollout_history_rev1.txt",
        &kubectl::history(&obj, &rss, 1).unwrap(),
    );
    assert_eq!(
        kubectl::status(&obj, 0).unwrap().message(),
        "deployment \"sample-deployment\" successfully rolled out\n"
    );
}

#[test]
fn yaml_json_and_name_outputs() {
    let (d, rss, _, _) = book_deployment();
    golden("get_rs_yaml.txt", &printers::list_yaml(&rss).unwrap());
    golden("get_deploy_json.txt", &printers::object_json(&d).unwrap());
    let names: Vec<&str> = rss.iter().map(|r| r.metadata.name.as_str()).collect();
    assert_eq!(
        printers::get::names("replicaset.apps", &names),
        "replicaset.apps/sample-deployment-6b7b4c8d5f\nreplicaset.apps/sample-deployment-7d8b9c6f4d\n"
    );
    assert_eq!(
        printers::pods_table(&[], TableOptions::default(), now()),
        ""
    );
    assert_eq!(
        printers::get::no_resources_found("default"),
        "No resources found in default namespace.\n"
    );
}

fn status_of(p: &Pod) -> (String, String, String) {
    let s = pod_summary(p, now());
    (s.ready, s.status, s.restarts)
}

#[test]
fn pod_status_column() {
    let base = book_pods().remove(0);
    let mut creating = base.clone();
    creating.status.phase = PodPhase::Pending;
    creating.status.container_statuses[0].ready = false;
    creating.status.container_statuses[0].state = ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: "ContainerCreating".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        status_of(&creating),
        ("0/1".into(), "ContainerCreating".into(), "0".into())
    );

    let mut crash = creating.clone();
    crash.status.phase = PodPhase::Running;
    crash.status.container_statuses[0]
        .state
        .waiting
        .as_mut()
        .unwrap()
        .reason = "CrashLoopBackOff".into();
    crash.status.container_statuses[0].restart_count = 4;
    crash.status.container_statuses[0].last_state = ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: 1,
            reason: "Error".into(),
            finished_at: Some(now().add_seconds(-75)),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        status_of(&crash),
        (
            "0/1".into(),
            "CrashLoopBackOff".into(),
            "4 (75s ago)".into()
        )
    );

    let mut done = base.clone();
    done.status.phase = PodPhase::Succeeded;
    done.status.container_statuses[0].ready = false;
    done.status.container_statuses[0].state = ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: 0,
            reason: "Completed".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(status_of(&done).1, "Completed");

    let mut terminating = base.clone();
    terminating.metadata.deletion_timestamp = Some(now());
    assert_eq!(status_of(&terminating).1, "Terminating");

    let mut init = creating.clone();
    init.status.conditions.clear();
    init.spec.init_containers.push(kube_workloads::Container {
        name: "init".into(),
        image: "busybox".into(),
        ..Default::default()
    });
    init.status.init_container_statuses.push(ContainerStatus {
        name: "init".into(),
        state: ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: "PodInitializing".into(),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    });
    assert_eq!(status_of(&init).1, "Init:0/1");
    init.status.init_container_statuses[0].state = ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: 2,
            reason: "Error".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(status_of(&init).1, "Init:Error");

    let mut pending = Pod::default();
    pending.metadata.name = "p".into();
    pending.status.phase = PodPhase::Pending;
    pending.spec.containers.push(kube_workloads::Container {
        name: "c".into(),
        ..Default::default()
    });
    assert_eq!(
        status_of(&pending),
        ("0/1".into(), "Pending".into(), "0".into())
    );
}
