//! Upstream's `TestDeploymentController_cleanupDeployment` and `…cleanupDeploymentOrder`.

use super::*;

/// Upstream's `newRSWithStatus(name, specReplicas, statusReplicas, selector)`.
fn rs_with_status(name: &str, spec: i32, status: i32) -> ReplicaSet {
    let mut r = rs(name, spec, None);
    r.status.replicas = status;
    r
}

fn deleted(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::DeleteReplicaSet(r) => Some(r.name.clone()),
            _ => None,
        })
        .collect()
}

fn run_cleanup(limit: i32, old: &[ReplicaSet]) -> Vec<String> {
    let mut d = deployment("foo", 1, 0, 0);
    d.spec.revision_history_limit = Some(limit);
    let mut c = ctx(&d, old, now());
    let all: Vec<usize> = (0..old.len()).collect();
    assert!(c.cleanup_deployment(&all).is_ok());
    deleted(&c.actions)
}

#[test]
fn cleanup_deployment() {
    // TestDeploymentController_cleanupDeployment. Upstream's cases are unnamed ("scenario N").
    let mut already_deleted = rs_with_status("foo-1", 0, 0);
    already_deleted.metadata.deletion_timestamp = Some(now());
    let cases: Vec<(Vec<ReplicaSet>, i32, usize)> = vec![
        (
            vec![
                rs_with_status("foo-1", 0, 0),
                rs_with_status("foo-2", 0, 0),
                rs_with_status("foo-3", 0, 0),
            ],
            1,
            2,
        ),
        (
            // Only delete the replica set with Spec.Replicas = Status.Replicas = 0.
            vec![
                rs_with_status("foo-1", 0, 0),
                rs_with_status("foo-2", 0, 1),
                rs_with_status("foo-3", 1, 0),
                rs_with_status("foo-4", 1, 1),
            ],
            0,
            1,
        ),
        (
            vec![rs_with_status("foo-1", 0, 0), rs_with_status("foo-2", 0, 0)],
            0,
            2,
        ),
        (
            vec![rs_with_status("foo-1", 1, 1), rs_with_status("foo-2", 1, 1)],
            0,
            0,
        ),
        (vec![already_deleted], 0, 0),
        (
            // with unlimited revisionHistoryLimit
            vec![
                rs_with_status("foo-1", 0, 0),
                rs_with_status("foo-2", 0, 0),
                rs_with_status("foo-3", 0, 0),
            ],
            i32::MAX,
            0,
        ),
    ];
    for (i, (old, limit, want)) in cases.into_iter().enumerate() {
        assert_eq!(run_cleanup(limit, &old).len(), want, "scenario {i}");
    }
}

#[test]
fn cleanup_deployment_order() {
    // TestDeploymentController_cleanupDeploymentOrder: creation order foo-1 < foo-2 < foo-3 <
    // foo-4 (a minute apart), status.replicas = spec.replicas. Upstream's cases are unnamed;
    // their comments name them here.
    let mk = |n: i64, replicas: i32, rev: &str| {
        let mut r = rs(
            &format!("foo-{n}"),
            replicas,
            Some(now().add_seconds(60 * n)),
        );
        r.status.replicas = replicas;
        if !rev.is_empty() {
            r.metadata
                .annotations
                .insert(util::REVISION_ANNOTATION.into(), rev.into());
        }
        r
    };
    let cases: Vec<(&str, Vec<ReplicaSet>, i32, Vec<&str>)> = vec![
        (
            "revision order: rs1 < rs2, delete rs1",
            vec![mk(1, 0, "1"), mk(2, 0, "2")],
            1,
            vec!["foo-1"],
        ),
        (
            "revision order: rs2 < rs1, delete rs2",
            vec![mk(1, 0, "2"), mk(2, 0, "1")],
            1,
            vec!["foo-2"],
        ),
        (
            "rs1 has revision but rs2 doesn't have revision, delete rs2",
            vec![mk(1, 0, "1"), mk(2, 0, "")],
            1,
            vec!["foo-2"],
        ),
        (
            "rs1 doesn't have revision while rs2 has revision, delete rs1",
            vec![mk(1, 0, ""), mk(2, 0, "2")],
            1,
            vec!["foo-1"],
        ),
        (
            "revision order: rs1 < rs2 < r3, but rs1 has replicas, delete rs2",
            vec![mk(1, 1, "1"), mk(2, 0, "2"), mk(3, 0, "3")],
            1,
            vec!["foo-2"],
        ),
        (
            "revision order: rs1 < rs2 < r3, both rs1 && rs2 have replicas, don't delete",
            vec![mk(1, 1, "1"), mk(2, 1, "2"), mk(3, 0, "3")],
            1,
            vec![],
        ),
        (
            "revision order: rs2 < rs4 < rs1 < rs3, delete rs2 && rs4",
            vec![mk(1, 0, "3"), mk(2, 0, "1"), mk(3, 0, "4"), mk(4, 0, "2")],
            2,
            vec!["foo-2", "foo-4"],
        ),
    ];
    for (name, old, limit, want) in cases {
        let mut got = run_cleanup(limit, &old);
        got.sort();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn cleanup_skips_unobserved_generations() {
    let mut r = rs_with_status("foo-1", 0, 0);
    r.metadata.generation = 3;
    r.status.observed_generation = 2;
    assert!(run_cleanup(0, &[r.clone()]).is_empty());
    r.status.observed_generation = 3;
    assert_eq!(run_cleanup(0, &[r]), ["foo-1"]);
}

#[test]
fn cleanup_without_a_limit_keeps_everything() {
    let mut d = deployment("foo", 1, 0, 0);
    d.spec.revision_history_limit = None;
    let old = [rs_with_status("foo-1", 0, 0)];
    let mut c = ctx(&d, &old, now());
    assert!(c.cleanup_deployment(&[0]).is_ok());
    assert!(c.actions.is_empty());
}

#[test]
fn cleanup_with_garbage_revisions_does_not_panic() {
    // Upstream's ReplicaSetsByRevision is not a total order with unparseable revisions.
    let old: Vec<ReplicaSet> = (0..40)
        .map(|i: i64| {
            let mut r = rs(&format!("foo-{i:02}"), 0, Some(now().add_seconds(-i)));
            let rev = if i % 4 == 0 {
                format!("r{i}")
            } else {
                i.to_string()
            };
            r.metadata
                .annotations
                .insert(util::REVISION_ANNOTATION.into(), rev);
            r
        })
        .collect();
    assert_eq!(run_cleanup(5, &old).len(), 35);
}

#[test]
fn paused_cleanup_does_not_see_this_syncs_scale_down() {
    // sync() scales, then prunes history with the ReplicaSets as listed: an old ReplicaSet this
    // very sync scaled to 0 still has replicas in upstream's eyes and is kept.
    let mut d = deployment("foo", 0, 1, 0);
    d.metadata.generation = 1;
    d.spec.paused = true;
    d.spec.revision_history_limit = Some(0);
    let mut old = owned_rs(&d, "foo-old", 1);
    old.spec.template.spec.containers[0].image = "foo/old".into();
    old.metadata.creation_timestamp = Some(older_ts());
    let mut new = owned_rs(&d, "foo-new", 0);
    new.metadata.creation_timestamp = Some(new_ts());
    let rss = [old, new];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(updated_sizes(&plan.actions).contains(&("foo-old".to_owned(), 0)));
    assert!(deleted(&plan.actions).is_empty(), "{:?}", plan.actions);
    // Next time (scaled down for real) it goes.
    let mut rss = rss;
    rss[0].spec.replicas = Some(0);
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(deleted(&plan.actions), ["foo-old"]);
}
