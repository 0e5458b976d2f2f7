//! Upstream's `recreate_test.go`, and the Recreate rollout end to end.

use super::*;
use crate::api::PodPhase;

#[test]
fn scale_down_old_replica_sets() {
    // TestScaleDownOldReplicaSets: one old ReplicaSet of 3, d 3 → scaled to 0 (rolloutRecreate's
    // first step; upstream calls scaleDownOldReplicaSetsForRecreate directly).
    let d = recreate_deployment("foo", 3);
    let mut old = owned_rs(&d, "foo-0", 3);
    old.spec.template.spec.containers[0].image = "foo/old".into();
    let rss = [old];
    let mut c = ctx(&d, &rss, now());
    assert!(c.rollout_recreate().is_ok());
    assert_eq!(updated_sizes(&c.actions), [("foo-0".to_owned(), 0)]);
    assert_eq!(
        c.events[0].message,
        "Scaled down replica set foo-0 from 3 to 0"
    );
    assert!(
        c.actions
            .iter()
            .all(|a| !matches!(a, Action::CreateReplicaSet(_)))
    );
}

/// Upstream's podMap as `oldPodsRunning` reads it: UIDs whose pod list has a pod in a phase
/// other than Failed/Succeeded.
fn live(pod_map: &[(&str, &[PodPhase])]) -> Vec<String> {
    pod_map
        .iter()
        .filter(|(_, phases)| {
            phases
                .iter()
                .any(|p| !matches!(p, PodPhase::Succeeded | PodPhase::Failed))
        })
        .map(|(uid, _)| (*uid).to_owned())
        .collect()
}

#[test]
fn old_pods_running() {
    // TestOldPodsRunning. A phase-less pod is Go's zero value "".
    let none = PodPhase::Other(String::new());
    let rs_status_replicas = |spec: i32, status: i32| {
        let mut r = rs("rs-1", spec, None);
        r.status.replicas = status;
        r
    };
    let with_uid = |uid: &str| {
        let mut r = rs(&format!("foo-{uid}"), 0, None);
        r.metadata.uid = uid.into();
        r
    };
    let cases: Vec<(&str, Vec<ReplicaSet>, Vec<String>, bool)> = vec![
        ("no old RSs", vec![], vec![], false),
        (
            "old RSs with running pods",
            vec![with_uid("some-uid"), with_uid("other-uid")],
            live(&[
                ("some-uid", &[none.clone(), none.clone()]),
                ("other-uid", &[none.clone(), none.clone()]),
            ]),
            true,
        ),
        (
            "old RSs without pods but with non-zero status replicas",
            vec![rs_status_replicas(0, 1)],
            vec![],
            true,
        ),
        (
            "old RSs without pods or non-zero status replicas",
            vec![rs_status_replicas(0, 0)],
            vec![],
            false,
        ),
        (
            "old RSs with zero status replicas but pods in terminal state are present",
            vec![rs_status_replicas(0, 0)],
            live(&[("uid-1", &[PodPhase::Failed, PodPhase::Succeeded])]),
            false,
        ),
        (
            "old RSs with zero status replicas but pod in unknown phase present",
            vec![rs_status_replicas(0, 0)],
            live(&[("uid-1", &[PodPhase::Unknown])]),
            true,
        ),
        (
            "old RSs with zero status replicas with pending pod present",
            vec![rs_status_replicas(0, 0)],
            live(&[("uid-1", &[PodPhase::Pending])]),
            true,
        ),
        (
            "old RSs with zero status replicas with running pod present",
            vec![rs_status_replicas(0, 0)],
            live(&[("uid-1", &[PodPhase::Running])]),
            true,
        ),
        (
            "old RSs with zero status replicas but pods in terminal state and pending are present",
            vec![rs_status_replicas(0, 0)],
            live(&[
                ("uid-1", &[PodPhase::Failed, PodPhase::Succeeded]),
                ("uid-2", &[]),
                ("uid-3", &[PodPhase::Pending]),
            ]),
            true,
        ),
    ];
    let d = recreate_deployment("foo", 1);
    for (name, old_rss, live_uids, want) in cases {
        let mut c = ctx(&d, &old_rss, now());
        c.rs_with_live_pods = live_uids;
        let old: Vec<usize> = (0..old_rss.len()).collect();
        assert_eq!(c.old_pods_running(None, &old), want, "{name}");
    }
}

fn pod(name: &str, owner: Option<&ReplicaSet>, phase: PodPhase) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = name.into();
    p.metadata.namespace = "default".into();
    p.metadata.uid = format!("uid-{name}");
    p.metadata.labels = labels(&[("foo", "bar")]);
    if let Some(rs) = owner {
        p.metadata.owner_references.push(OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: rs.metadata.name.clone(),
            uid: rs.metadata.uid.clone(),
            controller: Some(true),
            ..Default::default()
        });
    }
    p.status.phase = phase;
    p
}

#[test]
fn pod_map_groups_pods_by_owned_replica_set_and_ignores_the_new_one() {
    // getPodMapForDeployment: only pods matching the selector whose controller is one of the
    // Deployment's ReplicaSets; terminal pods do not count as running.
    let d = recreate_deployment("foo", 2);
    let mut old = owned_rs(&d, "foo-old", 0);
    old.spec.template.spec.containers[0].image = "foo/old".into();
    old.metadata.creation_timestamp = Some(old_ts());
    let mut new = owned_rs(&d, "foo-new", 2);
    new.metadata.creation_timestamp = Some(new_ts());
    let stranger = rs("stranger", 1, None);
    let rss = [old.clone(), new.clone(), stranger.clone()];
    assert_eq!(rss.len(), 3);
    let mut other_ns = pod("elsewhere", Some(&old), PodPhase::Running);
    other_ns.metadata.namespace = "other".into();
    let mut unlabelled = pod("unlabelled", Some(&old), PodPhase::Running);
    unlabelled.metadata.labels.clear();
    let cases: [(&str, Vec<Pod>, bool); 7] = [
        ("no pods", vec![], false),
        (
            "a running pod of the new ReplicaSet is not an old pod",
            vec![pod("n", Some(&new), PodPhase::Running)],
            false,
        ),
        (
            "a pending pod of an old ReplicaSet blocks",
            vec![pod("o", Some(&old), PodPhase::Pending)],
            true,
        ),
        (
            "terminal pods of an old ReplicaSet do not block",
            vec![
                pod("o1", Some(&old), PodPhase::Succeeded),
                pod("o2", Some(&old), PodPhase::Failed),
            ],
            false,
        ),
        (
            "pods of a ReplicaSet the Deployment does not own are ignored",
            vec![
                pod("s", Some(&stranger), PodPhase::Running),
                pod("orphan", None, PodPhase::Running),
            ],
            false,
        ),
        (
            "pods in another namespace or not matching the selector are ignored",
            vec![other_ns, unlabelled],
            false,
        ),
        (
            "a terminating pod that is still running blocks",
            vec![{
                let mut p = pod("t", Some(&old), PodPhase::Running);
                p.metadata.deletion_timestamp = Some(now());
                p
            }],
            true,
        ),
    ];
    let selector = crate::selector::Selector::compile(d.spec.selector.as_ref()).unwrap();
    for (name, pods, want) in cases {
        let mut c = ctx(&d, &rss[..2], now());
        let observed = Observed::new(&rss).with_pods(&pods);
        c.rs_with_live_pods = live_pod_owners(&c, &d, &selector, &observed);
        let (o, n) = (ix(&c, "foo-old"), ix(&c, "foo-new"));
        assert_eq!(c.old_pods_running(Some(n), &[o]), want, "{name}");
    }
}

fn recreate_store() -> Store {
    let mut d = recreate_deployment("foo", 3);
    d.spec.revision_history_limit = Some(10);
    d.spec.progress_deadline_seconds = Some(600);
    let mut s = Store::new(d, vec![]);
    s.converge();
    s
}

#[test]
fn recreate_scales_old_to_zero_waits_for_pods_then_creates_new_at_full_size() {
    let mut s = recreate_store();
    let first = s.new_rs().metadata.name.clone();
    assert_eq!(s.by_name(&first).replicas(), 3);
    s.d.spec.template.spec.containers[0].image = "foo/baz".into();
    s.d.metadata.generation += 1;

    // Sync 1: old scaled to 0, no new ReplicaSet yet.
    let plan = s.reconcile();
    assert!(plan.created_replica_set().is_none());
    assert_eq!(updated_sizes(&plan.actions), [(first.clone(), 0)]);
    s.apply(&plan);

    // The old ReplicaSet still reports 3 pods: wait.
    let old_pods: Vec<Pod> = (0..3)
        .map(|i| pod(&format!("p{i}"), Some(s.by_name(&first)), PodPhase::Running))
        .collect();
    let plan = reconcile(&s.d, &Observed::new(&s.rss).with_pods(&old_pods), s.now).unwrap();
    assert!(plan.created_replica_set().is_none());
    assert!(updated_sizes(&plan.actions).is_empty());
    s.apply(&plan);

    // Status caught up (0 replicas) but a pod is still Running: wait.
    s.settle_replica_sets();
    let plan = reconcile(
        &s.d,
        &Observed::new(&s.rss).with_pods(&old_pods[..1]),
        s.now,
    )
    .unwrap();
    assert!(plan.created_replica_set().is_none());
    s.apply(&plan);

    // Pods gone: the new ReplicaSet is created at the full size in one step.
    let terminal: Vec<Pod> = old_pods
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.status.phase = PodPhase::Succeeded;
            p
        })
        .collect();
    let plan = reconcile(&s.d, &Observed::new(&s.rss).with_pods(&terminal), s.now).unwrap();
    let created = plan.created_replica_set().unwrap();
    assert_eq!(created.spec.replicas, Some(3));
    assert_eq!(
        plan.events[0].message,
        format!(
            "Scaled up replica set {} from 0 to 3",
            created.metadata.name
        )
    );
    s.apply(&plan);
    s.settle_replica_sets();
    s.converge();
    assert_eq!(s.d.status.updated_replicas, 3);
    let progressing =
        s.d.condition(&DeploymentConditionType::Progressing)
            .unwrap();
    assert_eq!(progressing.reason, util::reason::NEW_REPLICA_SET_AVAILABLE);
}

#[test]
fn recreate_available_condition_needs_every_replica() {
    // MaxUnavailable is 0 for Recreate: Available=True only with all replicas available.
    let d = recreate_deployment("foo", 3);
    let mut r = owned_rs(&d, "foo-1", 3);
    r.status.replicas = 3;
    r.status.available_replicas = 2;
    let rss = [r];
    let c = ctx(&d, &rss, now());
    let status = c.calculate_status(&[0], Some(0));
    let available = util::get_condition(&status, &DeploymentConditionType::Available).unwrap();
    assert_eq!(available.status, ConditionStatus::False);
    assert_eq!(available.reason, util::reason::MINIMUM_REPLICAS_UNAVAILABLE);
}
