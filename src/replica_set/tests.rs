//! Scenario and table tests for the ReplicaSet controller, named after upstream behaviours.

use super::*;
use crate::api::{
    ConditionStatus, PodCondition, PodConditionType, PodPhase, ReplicationController,
};
use crate::meta::{LabelSelector, Labels};

fn now() -> Time {
    Time::from_unix(1_700_000_000)
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn replica_set(name: &str, replicas: i32) -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = name.into();
    rs.metadata.namespace = "default".into();
    rs.metadata.uid = format!("uid-{name}");
    rs.metadata.generation = 1;
    rs.spec.replicas = Some(replicas);
    rs.spec.selector = Some(LabelSelector::from_labels([("app", "sample-app")]));
    rs.spec.template.metadata.labels = labels(&[("app", "sample-app")]);
    rs.spec
        .template
        .spec
        .containers
        .push(crate::api::Container {
            name: "nginx-container".into(),
            image: "nginx:1.16".into(),
            ..Default::default()
        });
    rs
}

/// A running, ready pod owned by `rs` (or an orphan when `rs` is `None`).
fn pod(name: &str, rs: Option<&ReplicaSet>) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = name.into();
    p.metadata.namespace = "default".into();
    p.metadata.uid = format!("uid-{name}");
    p.metadata.labels = labels(&[("app", "sample-app")]);
    if let Some(rs) = rs {
        p.metadata.owner_references.push(OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: rs.metadata.name.clone(),
            uid: rs.metadata.uid.clone(),
            controller: Some(true),
            block_owner_deletion: Some(true),
            ..Default::default()
        });
    }
    p.spec.node_name = "node-1".into();
    p.status.phase = PodPhase::Running;
    p.status.conditions.push(PodCondition {
        type_: PodConditionType::Ready,
        status: ConditionStatus::True,
        last_transition_time: Some(now().add_seconds(-3600)),
        ..Default::default()
    });
    p
}

fn pending(mut p: Pod) -> Pod {
    p.status.phase = PodPhase::Pending;
    p.status.conditions.clear();
    p
}

fn plan(rs: &ReplicaSet, pods: &[Pod]) -> Plan {
    reconcile(rs, &Observed::new(pods), now()).unwrap()
}

/// Carries a plan out against a vector of pods, naming created pods `<prefix><n>`.
fn apply(plan: &Plan, pods: &mut Vec<Pod>, next: &mut usize) -> Completion {
    let mut report = Report::default();
    for a in &plan.adopt {
        let p = pods.iter_mut().find(|p| p.metadata.uid == a.uid).unwrap();
        p.metadata
            .owner_references
            .push(plan.controller_ref.clone());
    }
    for r in &plan.release {
        let p = pods.iter_mut().find(|p| p.metadata.uid == r.uid).unwrap();
        p.metadata
            .owner_references
            .retain(|o| o.uid != plan.controller_ref.uid);
    }
    if let Some(c) = &plan.create {
        for _ in 0..c.count {
            let mut p = c.pod.clone();
            p.metadata.name = format!("{}{next}", c.pod.metadata.generate_name);
            p.metadata.uid = format!("uid-created-{next}");
            *next += 1;
            report.created.push(p.metadata.name.clone());
            pods.push(p);
        }
    }
    for d in &plan.delete {
        pods.retain(|p| p.metadata.uid != d.uid);
        report.deleted.push(d.clone());
    }
    plan.complete(&report)
}

// The book: "kubectl apply -f sample-rs.yaml" with replicas 3 creates three pods.
#[test]
fn book_replica_set_creates_three_pods_from_nothing() {
    let rs = replica_set("sample-rs", 3);
    let p = plan(&rs, &[]);
    let c = p.create.as_ref().unwrap();
    assert_eq!(c.count, 3);
    assert_eq!(c.batches().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(c.pod.metadata.generate_name, "sample-rs-");
    assert_eq!(c.pod.metadata.namespace, "default");
    assert_eq!(c.pod.metadata.labels, labels(&[("app", "sample-app")]));
    assert_eq!(
        c.pod.metadata.owner_references,
        vec![p.controller_ref.clone()]
    );
    assert_eq!(p.controller_ref.kind, "ReplicaSet");
    assert_eq!(p.controller_ref.api_version, "apps/v1");
    assert_eq!(p.controller_ref.block_owner_deletion, Some(true));
    assert_eq!(c.pod.spec, rs.spec.template.spec);
    assert!(p.delete.is_empty() && p.adopt.is_empty());
    let status = p.status.as_ref().unwrap();
    assert_eq!((status.replicas, status.observed_generation), (0, 1));
}

// The book: "kubectl delete pod sample-rs-9f9kr" is healed by exactly one creation.
#[test]
fn book_deleted_pod_is_replaced_by_exactly_one() {
    let rs = replica_set("sample-rs", 3);
    let mut pods = Vec::new();
    let mut next = 0;
    let done = apply(&plan(&rs, &pods), &mut pods, &mut next);
    assert_eq!(pods.len(), 3);
    assert_eq!(done.events.len(), 3);
    assert_eq!(done.events[0].reason, "SuccessfulCreate");
    assert_eq!(done.events[0].message, "Created pod: sample-rs-0");
    assert_eq!(done.events[0].source, "replicaset-controller");
    pods.remove(1);
    let p = plan(&rs, &pods);
    assert_eq!(p.create.as_ref().map(|c| c.count), Some(1));
    assert!(p.delete.is_empty());
}

// The book's scale 3 → 1: the two pods upstream ranks first are deleted.
#[test]
fn scale_down_deletes_the_pods_upstream_ranks_first() {
    let mut rs = replica_set("sample-rs", 1);
    let a = pod("sample-rs-aaaaa", Some(&rs));
    let b = pending(pod("sample-rs-bbbbb", Some(&rs)));
    let mut c = pod("sample-rs-ccccc", Some(&rs));
    c.spec.node_name.clear();
    c.status.phase = PodPhase::Pending;
    c.status.conditions.clear();
    let p = plan(&rs, &[a.clone(), b.clone(), c.clone()]);
    let names: Vec<_> = p.delete.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["sample-rs-ccccc", "sample-rs-bbbbb"],
        "unscheduled, then pending"
    );
    let done = p.complete(&Report {
        deleted: p.delete.clone(),
        ..Report::default()
    });
    assert_eq!(done.events[0].message, "Deleted pod: sample-rs-ccccc");
    assert_eq!(done.events[0].reason, "SuccessfulDelete");
    rs.metadata.deletion_timestamp = Some(now());
    assert!(
        plan(&rs, &[a, b, c]).delete.is_empty(),
        "a deleting ReplicaSet never deletes pods"
    );
}

#[test]
fn steady_state_is_a_noop() {
    let mut rs = replica_set("web", 2);
    let pods = vec![pod("web-a", Some(&rs)), pod("web-b", Some(&rs))];
    let p = plan(&rs, &pods);
    let status = p.status.clone().unwrap();
    assert_eq!(
        (
            status.replicas,
            status.fully_labeled_replicas,
            status.ready_replicas,
            status.available_replicas
        ),
        (2, 2, 2, 2)
    );
    rs.status = status;
    let p = plan(&rs, &pods);
    assert!(p.is_noop(), "{p:?}");
    assert_eq!(p.requeue, None);
}

#[test]
fn claims_adopt_orphans_and_release_mismatches() {
    let rs = replica_set("web", 2);
    let orphan = pod("web-orphan", None);
    let mut stray = pod("web-stray", Some(&rs));
    stray.metadata.labels = labels(&[("app", "other")]);
    let mut other_owner = pod("web-other", None);
    other_owner.metadata.owner_references.push(OwnerReference {
        uid: "someone-else".into(),
        controller: Some(true),
        ..Default::default()
    });
    let mut terminating_orphan = pod("web-terminating", None);
    terminating_orphan.metadata.deletion_timestamp = Some(now());
    let mut elsewhere = pod("web-elsewhere", None);
    elsewhere.metadata.namespace = "other".into();
    let p = plan(
        &rs,
        &[orphan, stray, other_owner, terminating_orphan, elsewhere],
    );
    assert_eq!(
        p.adopt.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["web-orphan"]
    );
    assert_eq!(
        p.release
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["web-stray"]
    );
    assert_eq!(
        p.create.as_ref().map(|c| c.count),
        Some(1),
        "the adopted pod counts"
    );

    let mut deleting = rs.clone();
    deleting.metadata.deletion_timestamp = Some(now());
    let mut stray = pod("web-stray", Some(&rs));
    stray.metadata.labels = labels(&[("app", "other")]);
    let p = plan(&deleting, &[pod("web-orphan", None), stray]);
    assert!(p.adopt.is_empty() && p.release.is_empty() && p.create.is_none());
}

#[test]
fn terminating_and_terminal_pods_do_not_count() {
    let rs = replica_set("web", 2);
    let mut gone = pod("web-a", Some(&rs));
    gone.metadata.deletion_timestamp = Some(now());
    let mut failed = pod("web-b", Some(&rs));
    failed.status.phase = PodPhase::Failed;
    let unscheduled = pending(pod("web-c", Some(&rs)));
    let p = plan(&rs, &[gone, failed, unscheduled]);
    assert_eq!(
        p.create.as_ref().map(|c| c.count),
        Some(1),
        "pending pods count, others do not"
    );
    assert_eq!(p.status.unwrap().replicas, 1);
}

#[test]
fn bursts_are_capped_at_500() {
    let rs = replica_set("web", 1000);
    let p = plan(&rs, &[]);
    assert_eq!(p.create.as_ref().unwrap().count, 500);
    let small = replica_set("web", 0);
    let pods: Vec<Pod> = (0..700)
        .map(|i| pod(&format!("web-{i:04}"), Some(&small)))
        .collect();
    assert_eq!(plan(&small, &pods).delete.len(), 500);
}

// Upstream TestSlowStartBatch: 10 creations; the store fails once its call counter exceeds
// callLimit; a caller stops after the first batch with a failure.
#[test]
fn slow_start_batches_table() {
    for (call_limit, successes, calls) in [(0usize, 0usize, 1usize), (10, 10, 10), (5, 5, 7)] {
        let (mut ok, mut made) = (0, 0);
        for batch in crate::controller::slow_start_batches(10) {
            let mut failed = false;
            for _ in 0..batch {
                made += 1;
                if made > call_limit {
                    failed = true;
                } else {
                    ok += 1;
                }
            }
            if failed {
                break;
            }
        }
        assert_eq!((ok, made), (successes, calls), "callLimit {call_limit}");
    }
}

// Upstream TestSyncReplicaSetCreateFailures: replicas 100, a quota of 10 → exactly 10 pods and
// at most 1+2+4+8 = 15 create calls, and the ReplicaFailure condition.
#[test]
fn create_failures_stop_slow_start_and_set_replica_failure() {
    let rs = replica_set("web", 100);
    let p = plan(&rs, &[]);
    let c = p.create.as_ref().unwrap();
    let mut report = Report::default();
    let mut calls = 0;
    for batch in c.batches() {
        let mut failed = false;
        for _ in 0..batch {
            calls += 1;
            if report.created.len() < 10 {
                report.created.push(format!("web-{calls}"));
            } else {
                failed = true;
                report
                    .failed_creates
                    .push("pods \"web-\" is forbidden: exceeded quota: q".into());
            }
        }
        if failed {
            break;
        }
    }
    assert_eq!(report.created.len(), 10);
    assert_eq!(calls, 15);
    let done = p.complete(&report);
    let cond = &done.status.as_ref().unwrap().conditions[0];
    assert_eq!(cond.type_, "ReplicaFailure");
    assert_eq!(cond.reason, "FailedCreate");
    assert_eq!(
        cond.message,
        "pods \"web-\" is forbidden: exceeded quota: q"
    );
    assert_eq!(done.requeue, Some(Requeue::Backoff));
    assert_eq!(
        done.events
            .iter()
            .filter(|e| e.reason == "FailedCreate")
            .count(),
        5
    );
    assert_eq!(
        done.events.last().unwrap().message,
        "Error creating: pods \"web-\" is forbidden: exceeded quota: q"
    );

    // Sticky while failures continue, removed by the first error-free sync.
    let mut rs2 = rs.clone();
    rs2.status = done.status.clone().unwrap();
    let p2 = plan(&rs2, &[]);
    let again = p2.complete(&Report {
        failed_creates: vec!["another error".into()],
        ..Report::default()
    });
    let kept = again
        .status
        .map(|s| s.conditions)
        .unwrap_or(rs2.status.conditions.clone());
    assert_eq!(kept, rs2.status.conditions);
    let ok = p2.complete(&Report::default());
    assert!(ok.status.unwrap().conditions.is_empty());
}

#[test]
fn delete_failures_are_wrapped_as_upstream() {
    let rs = replica_set("web", 0);
    let pods = vec![pod("web-a", Some(&rs))];
    let p = plan(&rs, &pods);
    let done = p.complete(&Report {
        failed_deletes: vec![(p.delete[0].clone(), "etcd timeout".into())],
        ..Report::default()
    });
    let cond = &done.status.unwrap().conditions[0];
    assert_eq!(
        (cond.reason.as_str(), cond.message.as_str()),
        ("FailedDelete", "unable to delete pods: etcd timeout")
    );
    assert_eq!(done.events[0].message, "Error deleting: etcd timeout");
}

// Upstream TestSyncReplicaSetDormancy: unsatisfied expectations still claim and write status
// but neither create nor delete.
#[test]
fn unsatisfied_expectations_only_claim_and_write_status() {
    let rs = replica_set("web", 3);
    let pods = vec![pod("web-orphan", None)];
    let p = reconcile(
        &rs,
        &Observed::new(&pods).with_expectations_satisfied(false),
        now(),
    )
    .unwrap();
    assert!(p.create.is_none());
    assert_eq!(p.adopt.len(), 1);
    assert_eq!(p.status.unwrap().replicas, 1);
}

type StatusCase<'a> = (
    &'a str,
    ReplicaSet,
    Vec<(bool, &'a Labels)>,
    (i32, i32, i32, i32),
);

// Upstream TestCalculateStatus.
#[test]
fn status_table() {
    let full = labels(&[("name", "foo"), ("type", "production")]);
    let partial = labels(&[("name", "foo")]);
    let mk = |replicas: i32, mrs: i32, selector: &Labels| {
        let mut rs = replica_set("rs", replicas);
        rs.spec.selector = Some(LabelSelector::from_labels(selector.clone()));
        rs.spec.template.metadata.labels = full.clone();
        rs.spec.min_ready_seconds = mrs;
        rs
    };
    let running = |rs: &ReplicaSet, name: &str, l: &Labels| {
        let mut p = pod(name, Some(rs));
        p.metadata.labels = l.clone();
        p.status.conditions[0].last_transition_time = None;
        p
    };
    let cases: Vec<StatusCase> = vec![
        (
            "1 fully labelled pod",
            mk(2, 0, &full),
            vec![(true, &full)],
            (1, 1, 1, 1),
        ),
        (
            "1 not fully labelled",
            mk(1, 0, &partial),
            vec![(true, &partial)],
            (1, 0, 1, 1),
        ),
        (
            "2 fully labelled",
            mk(2, 0, &full),
            vec![(true, &full), (true, &full)],
            (2, 2, 2, 2),
        ),
        (
            "2 not fully labelled",
            mk(2, 0, &partial),
            vec![(true, &partial), (true, &partial)],
            (2, 0, 2, 2),
        ),
        (
            "mixed",
            mk(2, 0, &partial),
            vec![(true, &partial), (true, &full)],
            (2, 1, 2, 2),
        ),
        (
            "1 non-ready",
            mk(2, 0, &full),
            vec![(false, &full)],
            (1, 1, 0, 0),
        ),
        (
            "ready, not available",
            mk(1, 3600, &full),
            vec![(true, &full)],
            (1, 1, 1, 0),
        ),
    ];
    for (name, rs, pods, want) in cases {
        let pods: Vec<Pod> = pods
            .iter()
            .enumerate()
            .map(|(i, (ready, l))| {
                let p = running(&rs, &format!("p{i}"), l);
                if *ready { p } else { pending(p) }
            })
            .collect();
        let s = reconcile(
            &rs,
            &Observed::new(&pods).with_expectations_satisfied(false),
            now(),
        )
        .unwrap()
        .status
        .unwrap();
        assert_eq!(
            (
                s.replicas,
                s.fully_labeled_replicas,
                s.ready_replicas,
                s.available_replicas
            ),
            want,
            "{name}"
        );
    }
}

#[test]
fn requeues_when_a_ready_pod_becomes_available() {
    let mut rs = replica_set("web", 1);
    rs.spec.min_ready_seconds = 30;
    let mut p = pod("web-a", Some(&rs));
    p.status.conditions[0].last_transition_time = Some(now().add_seconds(-10));
    let plan = plan(&rs, &[p]);
    // Ready 10 s ago, available once 30 s have strictly passed: 21 s from now. Upstream's
    // end-of-sync rule (ready == replicas, available != replicas) asks for 30 s; the earlier wins.
    assert_eq!(
        plan.requeue,
        Some(Requeue::After(std::time::Duration::from_secs(21)))
    );
}

#[test]
fn invalid_replica_sets_are_refused_without_actions() {
    let mut rs = replica_set("web", -1);
    assert_eq!(
        plan_err(&rs),
        ReconcileError::NegativeReplicas { replicas: -1 }
    );
    rs.spec.replicas = Some(1);
    rs.spec.template.metadata.labels = labels(&[("app", "other")]);
    assert_eq!(plan_err(&rs), ReconcileError::SelectorDoesNotMatchTemplate);
    rs.spec.selector = None;
    assert_eq!(plan_err(&rs), ReconcileError::SelectorDoesNotMatchTemplate);
    rs.spec.selector = Some(LabelSelector::from_labels([("bad key!", "x")]));
    assert!(matches!(plan_err(&rs), ReconcileError::InvalidSelector(_)));
}

fn plan_err(rs: &ReplicaSet) -> ReconcileError {
    reconcile(rs, &Observed::new(&[] as &[Pod]), now()).unwrap_err()
}

#[test]
fn long_names_lose_the_generate_name_dash() {
    let mut rs = replica_set(&"a".repeat(253), 1);
    rs.metadata.name = "a".repeat(253);
    assert_eq!(
        plan(&rs, &[]).create.unwrap().pod.metadata.generate_name,
        "a".repeat(253)
    );
}

#[test]
fn replication_controllers_run_the_same_decisions() {
    let mut rc = ReplicationController::default();
    rc.metadata.name = "frontend".into();
    rc.metadata.namespace = "default".into();
    rc.metadata.uid = "uid-rc".into();
    rc.spec.replicas = Some(2);
    rc.spec.selector = labels(&[("app", "sample-app")]);
    let mut template = replica_set("x", 1).spec.template;
    template.metadata.labels = labels(&[("app", "sample-app"), ("tier", "web")]);
    rc.spec.template = Some(template);
    let p = crate::replication_controller::reconcile(&rc, &Observed::new(&[] as &[Pod]), now())
        .unwrap();
    assert_eq!(p.controller_ref.api_version, "v1");
    assert_eq!(p.controller_ref.kind, "ReplicationController");
    let c = p.create.as_ref().unwrap();
    assert_eq!(c.count, 2);
    assert_eq!(
        c.created_event("frontend-x").source,
        "replication-controller"
    );
    rc.spec.selector.clear();
    assert_eq!(
        crate::replication_controller::reconcile(&rc, &Observed::new(&[] as &[Pod]), now())
            .unwrap_err(),
        ReconcileError::MissingSelector
    );
}

#[test]
fn colocation_uses_sibling_replica_sets_of_the_same_owner() {
    let owner = OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: "d".into(),
        uid: "uid-d".into(),
        controller: Some(true),
        ..Default::default()
    };
    let mut rs = replica_set("d-1", 1);
    rs.metadata.owner_references.push(owner.clone());
    rs.spec.selector = Some(LabelSelector::from_labels([
        ("app", "sample-app"),
        ("v", "1"),
    ]));
    rs.spec.template.metadata.labels = labels(&[("app", "sample-app"), ("v", "1")]);
    let mut sibling = replica_set("d-2", 1);
    sibling.metadata.owner_references.push(owner);
    sibling.spec.selector = Some(LabelSelector::from_labels([
        ("app", "sample-app"),
        ("v", "2"),
    ]));
    let mine = |name: &str, node: &str| {
        let mut p = pod(name, Some(&rs));
        p.metadata.labels = labels(&[("app", "sample-app"), ("v", "1")]);
        p.spec.node_name = node.into();
        p
    };
    let theirs = |name: &str, node: &str| {
        let mut p = pod(name, Some(&sibling));
        p.metadata.labels = labels(&[("app", "sample-app"), ("v", "2")]);
        p.spec.node_name = node.into();
        p
    };
    let pods = vec![
        mine("a", "node-1"),
        mine("b", "node-2"),
        theirs("c", "node-2"),
    ];
    let rss = vec![rs.clone(), sibling];
    let p = reconcile(&rs, &Observed::new(&pods).with_replica_sets(&rss), now()).unwrap();
    assert_eq!(
        p.delete.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["b"],
        "node-2 is more crowded"
    );
}
