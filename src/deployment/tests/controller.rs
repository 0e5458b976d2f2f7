//! `syncDeployment` end to end: upstream's deployment_controller_test.go cases and scenario
//! tests named after documented behaviours.

use super::*;
use crate::api::DeploymentCondition;
use crate::controller::Requeue;
use crate::event::EventType;
use crate::hash::POD_TEMPLATE_HASH_LABEL;
use util::reason;

/// A Deployment that `reconcile` accepts, with upstream's defaults spelled out.
fn valid(name: &str, replicas: i32, surge: i32, unavailable: i32) -> Deployment {
    let mut d = deployment(name, replicas, surge, unavailable);
    d.metadata.generation = 1;
    d.spec.revision_history_limit = Some(10);
    d.spec.progress_deadline_seconds = Some(600);
    d
}

fn settled(d: Deployment) -> Store {
    let mut s = Store::new(d, vec![]);
    s.converge();
    s
}

fn set_image(s: &mut Store, image: &str) {
    s.d.spec.template.spec.containers[0].image = image.into();
    s.d.metadata.generation += 1;
}

fn progressing(d: &Deployment) -> &DeploymentCondition {
    d.condition(&DeploymentConditionType::Progressing).unwrap()
}

fn names_in(plan: &Plan) -> Vec<String> {
    plan.actions
        .iter()
        .filter_map(|a| match a {
            Action::AdoptReplicaSet(r)
            | Action::ReleaseReplicaSet(r)
            | Action::DeleteReplicaSet(r) => Some(r.name.clone()),
            Action::CreateReplicaSet(r) | Action::UpdateReplicaSet(r) => {
                Some(r.metadata.name.clone())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn sync_deployment_creates_replica_set() {
    // TestSyncDeploymentCreatesReplicaSet: create RS, UpdateStatus (revision), UpdateStatus
    // (rollout status). maxUnavailable 1 instead of upstream's 0 (see the module docs).
    let d = deployment("foo", 1, 0, 1);
    let plan = reconcile(&d, &Observed::new(&[] as &[ReplicaSet]), now()).unwrap();
    assert_eq!(verbs(&plan), ["create", "status", "status"]);
    let created = plan.created_replica_set().unwrap();
    assert_eq!(created.spec.replicas, Some(1));
    let Action::UpdateDeploymentStatus(first) = &plan.actions[1] else {
        unreachable!()
    };
    assert_eq!(first.annotations[util::REVISION_ANNOTATION], "1");
    // No progress deadline (upstream's helper sets none): no NewReplicaSetCreated condition.
    assert!(first.status.conditions.is_empty());
    let last = plan.status().unwrap();
    assert_eq!(last.status.unavailable_replicas, 1);
    assert_eq!(plan.requeue, None);

    // With a progress deadline the first status write carries NewReplicaSetCreated.
    let mut d = d;
    d.spec.progress_deadline_seconds = Some(600);
    let plan = reconcile(&d, &Observed::new(&[] as &[ReplicaSet]), now()).unwrap();
    let Action::UpdateDeploymentStatus(first) = &plan.actions[1] else {
        unreachable!()
    };
    assert_eq!(
        progressing_of(&first.status).reason,
        reason::NEW_REPLICA_SET_CREATED
    );
}

fn progressing_of(s: &DeploymentStatus) -> &DeploymentCondition {
    util::get_condition(s, &DeploymentConditionType::Progressing).unwrap()
}

#[test]
fn sync_deployment_dont_do_anything_during_deletion() {
    // TestSyncDeploymentDontDoAnythingDuringDeletion: only one UpdateStatus.
    let mut d = deployment("foo", 1, 0, 1);
    d.metadata.deletion_timestamp = Some(now());
    let plan = reconcile(&d, &Observed::new(&[] as &[ReplicaSet]), now()).unwrap();
    assert_eq!(verbs(&plan), ["status"]);
}

#[test]
fn deleted_deployments_still_sync_revisions_but_never_adopt_or_release() {
    let mut d = valid("foo", 2, 1, 0);
    d.metadata.deletion_timestamp = Some(now());
    let new = owned_rs(&d, "foo-new", 2);
    let mut orphan = rs("orphan", 1, None);
    orphan.metadata.labels = labels(&[("foo", "bar")]);
    let mut strayed = owned_rs(&d, "strayed", 1);
    strayed.metadata.labels = labels(&[("foo", "baz")]);
    let rss = [new, orphan, strayed];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(verbs(&plan), ["update", "status"]);
    assert_eq!(
        plan.updated_replica_sets()[0].metadata.annotations[util::REVISION_ANNOTATION],
        "1"
    );
}

#[test]
fn dont_sync_deployments_with_empty_pod_selector() {
    // TestDontSyncDeploymentsWithEmptyPodSelector: no action when generation ==
    // observedGeneration (both 0 here), a SelectingAll warning.
    let mut d = deployment("foo", 1, 0, 1);
    d.spec.selector = Some(LabelSelector::default());
    let rss = [owned_rs(&d, "foo-1", 1)];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(plan.is_noop(), "{:?}", plan.actions);
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].type_, EventType::Warning);
    assert_eq!(plan.events[0].reason, "SelectingAll");
    assert_eq!(
        plan.events[0].message,
        "This deployment is selecting all pods. A non-empty selector is required."
    );
    // With a newer generation, observedGeneration is written and nothing else.
    d.metadata.generation = 2;
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(verbs(&plan), ["status"]);
    assert_eq!(plan.status().unwrap().status.observed_generation, 2);
}

#[test]
fn reentrant_rollback() {
    // TestReentrantRollback: revision "2", rollbackTo 0; rs1 (revision 1, another template) and
    // rs2 (revision 2, the current template) → exactly one action, the Deployment update.
    let mut d = deployment("foo", 1, 0, 1);
    d.metadata.annotations = labels(&[
        (util::REVISION_ANNOTATION, "2"),
        (util::DEPRECATED_ROLLBACK_TO, "0"),
    ]);
    let mut rs1 = owned_rs(&d, "deploymentrs-old", 0);
    rs1.metadata.annotations = labels(&[(util::REVISION_ANNOTATION, "1")]);
    rs1.spec.template.spec.termination_grace_period_seconds = Some(1);
    rs1.spec
        .selector
        .as_mut()
        .unwrap()
        .match_labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), "hash".into());
    let mut rs2 = owned_rs(&d, "deploymentrs-new", 1);
    rs2.metadata.annotations = labels(&[(util::REVISION_ANNOTATION, "2")]);
    rs2.spec
        .selector
        .as_mut()
        .unwrap()
        .match_labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), "hash".into());
    let rss = [rs1, rs2];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(verbs(&plan), ["update-deployment"]);
    let Action::UpdateDeployment(updated) = &plan.actions[0] else {
        unreachable!()
    };
    assert_eq!(
        updated.spec.template.spec.termination_grace_period_seconds,
        Some(1)
    );
    assert!(
        !updated
            .metadata
            .annotations
            .contains_key(util::DEPRECATED_ROLLBACK_TO)
    );
    assert_eq!(
        messages(&plan),
        ["Rolled back deployment \"foo\" to revision 1"]
    );
}

#[test]
fn rollback_to_a_missing_revision_or_the_same_template_only_clears_the_annotation() {
    let mut d = deployment("foo", 1, 0, 1);
    d.metadata.annotations = labels(&[
        (util::REVISION_ANNOTATION, "1"),
        (util::DEPRECATED_ROLLBACK_TO, "7"),
    ]);
    let mut current = owned_rs(&d, "foo-1", 1);
    current.metadata.annotations = labels(&[(util::REVISION_ANNOTATION, "1")]);
    let rss = [current];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(verbs(&plan), ["update-deployment"]);
    assert_eq!(plan.events[0].reason, "DeploymentRollbackRevisionNotFound");
    assert_eq!(
        plan.events[0].message,
        "Unable to find the revision to rollback to."
    );

    // rollbackTo 0 with a single revision: no last revision.
    d.metadata
        .annotations
        .insert(util::DEPRECATED_ROLLBACK_TO.into(), "0".into());
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(verbs(&plan), ["update-deployment"]);
    assert_eq!(plan.events[0].message, "Unable to find last revision.");

    // rollbackTo the current revision: the template is unchanged.
    d.metadata
        .annotations
        .insert(util::DEPRECATED_ROLLBACK_TO.into(), "1".into());
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(verbs(&plan), ["update-deployment"]);
    assert_eq!(plan.events[0].reason, "DeploymentRollbackTemplateUnchanged");
    assert_eq!(
        plan.events[0].message,
        "The rollback revision contains the same template as current deployment \"foo\""
    );

    // An unparseable annotation is ignored as if absent.
    d.metadata
        .annotations
        .insert(util::DEPRECATED_ROLLBACK_TO.into(), "seven".into());
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(!verbs(&plan).contains(&"update-deployment"));
}

#[test]
fn worked_rolling_example_ten_replicas_surge_three_unavailable_two() {
    // Reference §4.8: 10 replicas, maxSurge 3, maxUnavailable 2, template changed.
    let mut s = settled(valid("foo", 10, 3, 2));
    let old = s.new_rs().metadata.name.clone();
    assert_eq!(s.by_name(&old).replicas(), 10);
    set_image(&mut s, "foo/v2");

    // Sync 1: create the new ReplicaSet at 3 (13 − 10), then old 10 → 8 in the same pass.
    let plan = s.reconcile();
    assert_eq!(verbs(&plan), ["create", "status", "update", "status"]);
    let new = plan.created_replica_set().unwrap().metadata.name.clone();
    assert_eq!(plan.created_replica_set().unwrap().spec.replicas, Some(3));
    assert_eq!(updated_sizes(&plan.actions), [(old.clone(), 8)]);
    assert_eq!(
        messages(&plan),
        [
            format!("Scaled up replica set {new} from 0 to 3"),
            format!("Scaled down replica set {old} from 10 to 8"),
        ]
    );
    let st = &plan.status().unwrap().status;
    assert_eq!(st.observed_generation, 2);
    assert_eq!(
        (st.replicas, st.updated_replicas, st.available_replicas),
        (10, 0, 10)
    );
    // Upstream's status sees the ReplicaSets as listed (old still at spec 10) plus the new one
    // as created: 13 − 10 available.
    assert_eq!(st.unavailable_replicas, 3);
    assert_eq!(progressing_of(st).reason, reason::NEW_REPLICA_SET_CREATED);
    s.apply(&plan);
    // The ReplicaSet controller: old down to 8, three new pods not ready yet.
    s.rss.iter_mut().for_each(|r| {
        if r.metadata.name == old {
            r.status.replicas = 8;
            r.status.ready_replicas = 8;
            r.status.available_replicas = 8;
        } else {
            r.status.replicas = 3;
        }
    });

    // Sync 2: new 3 → 5 (total 11 < 13), and return.
    let plan = s.reconcile();
    assert_eq!(verbs(&plan), ["update", "status"]);
    assert_eq!(updated_sizes(&plan.actions), [(new.clone(), 5)]);
    assert_eq!(
        messages(&plan),
        [format!("Scaled up replica set {new} from 3 to 5")]
    );
    let st = &plan.status().unwrap().status;
    assert_eq!((st.replicas, st.updated_replicas), (11, 3));
    assert_eq!(
        st.unavailable_replicas, 3,
        "listed specs 8 + 3 − 8 available"
    );
    assert_eq!(progressing_of(st).reason, reason::REPLICA_SET_UPDATED);
    s.apply(&plan);
    s.rss.iter_mut().for_each(|r| {
        if r.metadata.name == new {
            r.status.replicas = 5;
        }
    });

    // Sync 3: the new pods crash-loop: maxScaledDown = 13 − 8 − 5 = 0, nothing is scaled.
    let plan = s.reconcile();
    assert!(
        updated_sizes(&plan.actions).is_empty(),
        "{:?}",
        plan.actions
    );
    s.apply(&plan);

    // An old pod becomes unavailable too: still no scale-down of the old ReplicaSet.
    s.rss.iter_mut().for_each(|r| {
        if r.metadata.name == old {
            r.status.available_replicas = 7;
        }
    });
    let plan = s.reconcile();
    assert!(
        updated_sizes(&plan.actions).is_empty(),
        "{:?}",
        plan.actions
    );
    s.apply(&plan);

    // New pods become available: old scaled down by what availability allows.
    s.rss.iter_mut().for_each(|r| {
        if r.metadata.name == new {
            r.status.ready_replicas = 5;
            r.status.available_replicas = 5;
        } else {
            r.status.available_replicas = 8;
        }
    });
    let plan = s.reconcile();
    // available 13, minAvailable 8 → 5 old replicas may go: 8 → 3.
    assert_eq!(updated_sizes(&plan.actions), [(old.clone(), 3)]);
    s.apply(&plan);
    s.settle_replica_sets();
    s.converge();
    assert_eq!(s.by_name(&old).replicas(), 0);
    assert_eq!(s.by_name(&new).replicas(), 10);
    assert_eq!(progressing(&s.d).reason, reason::NEW_REPLICA_SET_AVAILABLE);
    assert_eq!(
        progressing(&s.d).message,
        format!("ReplicaSet \"{new}\" has successfully progressed.")
    );
}

#[test]
fn one_replica_with_default_fenceposts_surges_then_removes_the_old_pod() {
    // 25%/25% of 1: surge 1, unavailable 0 → new 0 → 1, then old 1 → 0 once available.
    let mut d = valid("foo", 1, 0, 0);
    d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::String("25%".into())),
        max_unavailable: Some(IntOrString::String("25%".into())),
        ..Default::default()
    });
    let mut s = settled(d);
    let old = s.new_rs().metadata.name.clone();
    set_image(&mut s, "foo/v2");
    let plan = s.reconcile();
    assert_eq!(plan.created_replica_set().unwrap().spec.replicas, Some(1));
    assert!(updated_sizes(&plan.actions).is_empty());
    s.apply(&plan);
    let plan = s.reconcile();
    assert!(
        updated_sizes(&plan.actions).is_empty(),
        "new pod not available yet"
    );
    s.apply(&plan);
    s.settle_replica_sets();
    let plan = s.reconcile();
    assert_eq!(updated_sizes(&plan.actions), [(old, 0)]);
}

#[test]
fn a_scaling_event_blocks_the_rollout_in_the_same_pass() {
    let mut s = settled(valid("foo", 3, 1, 0));
    let only = s.new_rs().metadata.name.clone();
    s.d.spec.replicas = Some(5);
    set_image(&mut s, "foo/v2");
    let plan = s.reconcile();
    assert!(plan.created_replica_set().is_none());
    assert_eq!(updated_sizes(&plan.actions), [(only.clone(), 5)]);
    s.apply(&plan);
    s.settle_replica_sets();
    let plan = s.reconcile();
    assert!(
        plan.created_replica_set().is_some(),
        "the rollout starts next"
    );
}

#[test]
fn paused_deployments_scale_but_never_roll_out() {
    let mut s = settled(valid("foo", 3, 1, 0));
    let first = s.new_rs().metadata.name.clone();
    // kubectl rollout pause, then set image: conditions only, no new ReplicaSet.
    s.d.spec.paused = true;
    set_image(&mut s, "foo/v2");
    let plan = s.reconcile();
    assert!(plan.created_replica_set().is_none());
    assert_eq!(verbs(&plan), ["status", "status"]);
    let Action::UpdateDeploymentStatus(first_write) = &plan.actions[0] else {
        unreachable!()
    };
    let c = progressing_of(&first_write.status);
    assert_eq!(
        (&c.status, c.reason.as_str(), c.message.as_str()),
        (
            &ConditionStatus::Unknown,
            reason::DEPLOYMENT_PAUSED,
            "Deployment is paused"
        )
    );
    assert_eq!(c.last_update_time, Some(s.now));
    s.apply(&plan);
    assert!(s.reconcile().is_noop(), "paused and settled");

    // Scaling while paused: the only active ReplicaSet gets the whole size.
    s.now = s.now.add_seconds(10);
    s.d.spec.replicas = Some(5);
    s.d.metadata.generation += 1;
    let plan = s.reconcile();
    assert!(plan.created_replica_set().is_none());
    assert_eq!(updated_sizes(&plan.actions), [(first.clone(), 5)]);
    assert_eq!(
        messages(&plan),
        [format!("Scaled up replica set {first} from 3 to 5")]
    );
    s.apply(&plan);
    s.settle_replica_sets();
    s.converge();
    assert_eq!(s.rss.len(), 1);

    // kubectl rollout resume: DeploymentResumed (transition time kept), then the rollout.
    s.now = s.now.add_seconds(10);
    s.d.spec.paused = false;
    s.d.metadata.generation += 1;
    let paused_at = progressing(&s.d).last_transition_time;
    let plan = s.reconcile();
    let Action::UpdateDeploymentStatus(first_write) = &plan.actions[0] else {
        panic!("{:?}", plan.actions)
    };
    let c = progressing_of(&first_write.status);
    assert_eq!(c.reason, reason::DEPLOYMENT_RESUMED);
    assert_eq!(c.message, "Deployment is resumed");
    assert_eq!(c.status, ConditionStatus::Unknown);
    assert_eq!(c.last_transition_time, paused_at);
    assert_eq!(c.last_update_time, Some(s.now));
    assert!(plan.created_replica_set().is_some());
}

#[test]
fn paused_deployments_prune_history() {
    let mut d = valid("foo", 1, 1, 0);
    d.spec.paused = true;
    d.spec.revision_history_limit = Some(1);
    let mut olds = Vec::new();
    for (i, image) in ["a", "b", "c"].into_iter().enumerate() {
        let mut r = owned_rs(&d, &format!("foo-{image}"), 0);
        r.spec.template.spec.containers[0].image = image.into();
        r.metadata.creation_timestamp = Some(now().add_seconds(i64::try_from(i).unwrap()));
        r.metadata.annotations = labels(&[(util::REVISION_ANNOTATION, &(i + 1).to_string())]);
        olds.push(r);
    }
    let mut current = owned_rs(&d, "foo-cur", 1);
    current.metadata.annotations = labels(&[(util::REVISION_ANNOTATION, "4")]);
    current.metadata.creation_timestamp = Some(now().add_seconds(10));
    olds.push(current);
    let plan = reconcile(&d, &Observed::new(&olds), now()).unwrap();
    let deleted: Vec<String> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::DeleteReplicaSet(r) => Some(r.name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(deleted, ["foo-a", "foo-b"]);
}

#[test]
fn paused_conditions_need_a_progress_deadline_and_keep_a_timeout() {
    let mut d = valid("foo", 1, 1, 0);
    d.spec.paused = true;
    d.spec.progress_deadline_seconds = None;
    let rss = [owned_rs(&d, "foo-1", 1)];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(plan.actions.iter().all(|a| match a {
        Action::UpdateDeploymentStatus(s) =>
            util::get_condition(&s.status, &DeploymentConditionType::Progressing).is_none(),
        _ => true,
    }));
    d.spec.progress_deadline_seconds = Some(600);
    d.status.conditions.push(util::new_condition(
        DeploymentConditionType::Progressing,
        ConditionStatus::False,
        reason::PROGRESS_DEADLINE_EXCEEDED,
        "x".into(),
        older_ts(),
    ));
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    let st = &plan.status().unwrap().status;
    assert_eq!(
        progressing_of(st).reason,
        reason::PROGRESS_DEADLINE_EXCEEDED
    );
}

#[test]
fn hash_collision_bumps_collision_count_and_uses_another_name() {
    let d = valid("foo", 2, 1, 0);
    let first = reconcile(&d, &Observed::new(&[] as &[ReplicaSet]), now()).unwrap();
    let name = first.created_replica_set().unwrap().metadata.name.clone();

    // Someone else's ReplicaSet already has that name, with another template.
    let mut clash = rs(&name, 1, Some(older_ts()));
    clash.metadata.owner_references.push(OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: "other".into(),
        uid: "uid-other".into(),
        controller: Some(true),
        ..Default::default()
    });
    clash.metadata.labels = labels(&[("foo", "bar")]);
    clash.spec.template.metadata.labels = labels(&[("foo", "bar")]);
    let mut s = Store::new(d, vec![clash]);
    let plan = s.reconcile();
    assert_eq!(verbs(&plan), ["status"], "no create, only the count");
    assert_eq!(plan.status().unwrap().status.collision_count, Some(1));
    assert_eq!(plan.requeue, Some(Requeue::Backoff));
    assert!(plan.events.is_empty());
    s.apply(&plan);

    // The next reconcile hashes with collisionCount 1: another name.
    let plan = s.reconcile();
    let created = plan.created_replica_set().unwrap();
    assert_ne!(created.metadata.name, name);
    assert!(created.metadata.name.starts_with("foo-"));
    s.apply(&plan);
    s.settle_replica_sets();
    s.converge();
    assert_eq!(s.d.status.collision_count, Some(1), "never decreases");
    // The other owner's ReplicaSet was never touched.
    assert_eq!(s.by_name(&name).replicas(), 1);
    assert_eq!(
        s.by_name(&name).metadata.owner_references[0].uid,
        "uid-other"
    );
}

#[test]
fn an_existing_replica_set_with_our_name_and_template_is_ours() {
    // AlreadyExists for our own ReplicaSet (the cache lagged): used as the new one, no
    // creation event, no NewReplicaSetCreated, no collision.
    let d = valid("foo", 2, 1, 0);
    let first = reconcile(&d, &Observed::new(&[] as &[ReplicaSet]), now()).unwrap();
    let mut ours = first.created_replica_set().unwrap().clone();
    ours.metadata.uid = "uid-ours".into();
    // Its labels lost the selector's key, so it is not among the claimed ReplicaSets.
    ours.metadata.labels.shift_remove("foo");
    let rss = [ours];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(plan.created_replica_set().is_none());
    assert!(plan.status().unwrap().status.collision_count.is_none());
    assert!(
        plan.events
            .iter()
            .all(|e| !e.message.starts_with("Scaled up replica set"))
    );
}

#[test]
fn orphans_matching_the_selector_are_adopted() {
    let d = valid("foo", 2, 1, 0);
    // An orphan with the current template: adopted and used as the new ReplicaSet.
    let mut orphan = owned_rs(&d, "hand-made", 2);
    orphan.metadata.owner_references.clear();
    orphan.metadata.creation_timestamp = Some(older_ts());
    let rss = [orphan.clone()];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(
        plan.actions[0],
        Action::AdoptReplicaSet(ReplicaSetRef::of(&orphan))
    );
    assert!(plan.created_replica_set().is_none());
    assert_eq!(plan.controller_ref, controller_ref(&d));

    // An orphan with an old template: adopted as an old ReplicaSet and rolled over.
    let mut old = orphan.clone();
    old.spec.template.spec.containers[0].image = "foo/old".into();
    let mut s = Store::new(d.clone(), vec![old]);
    let plan = s.reconcile();
    assert_eq!(verbs(&plan)[0], "adopt");
    assert!(plan.created_replica_set().is_some());
    s.apply(&plan);
    s.settle_replica_sets();
    s.converge();
    assert_eq!(s.by_name("hand-made").replicas(), 0);
    assert_eq!(
        s.by_name("hand-made")
            .metadata
            .controller_ref()
            .unwrap()
            .uid,
        d.metadata.uid
    );

    // Orphans being deleted, or not matching, are left alone.
    let mut deleting = orphan.clone();
    deleting.metadata.deletion_timestamp = Some(now());
    let mut unmatched = orphan.clone();
    unmatched.metadata.name = "unmatched".into();
    unmatched.metadata.labels = labels(&[("foo", "baz")]);
    let rss = [deleting, unmatched];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(!verbs(&plan).contains(&"adopt"));
    assert!(
        names_in(&plan)
            .iter()
            .all(|n| n != "hand-made" && n != "unmatched")
    );
}

#[test]
fn owned_replica_sets_that_stop_matching_are_released() {
    let d = valid("foo", 2, 1, 0);
    let mut strayed = owned_rs(&d, "strayed", 1);
    strayed.metadata.labels = labels(&[("foo", "other")]);
    let current = owned_rs(&d, "current", 2);
    let rss = [strayed.clone(), current];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert_eq!(
        plan.actions[0],
        Action::ReleaseReplicaSet(ReplicaSetRef::of(&strayed))
    );
    assert_eq!(
        names_in(&plan).iter().filter(|n| *n == "strayed").count(),
        1
    );
    // It no longer counts towards the Deployment's status.
    assert_eq!(plan.status().unwrap().status.replicas, 0);
}

#[test]
fn overlapping_deployments_only_touch_what_they_control() {
    // Two Deployments whose selectors both match each other's ReplicaSets.
    let mut a = valid("a", 2, 1, 0);
    a.spec.selector = Some(LabelSelector::from_labels([("app", "x")]));
    a.spec.template.metadata.labels = labels(&[("app", "x"), ("which", "a")]);
    let mut b = valid("b", 3, 1, 0);
    b.spec.selector = Some(LabelSelector::from_labels([("app", "x")]));
    b.spec.template.metadata.labels = labels(&[("app", "x"), ("which", "b")]);
    let rs_a = owned_rs(&a, "a-1", 1);
    let rs_b = owned_rs(&b, "b-1", 1);
    let rss = [rs_a, rs_b];
    for (d, mine, theirs) in [(&a, "a-1", "b-1"), (&b, "b-1", "a-1")] {
        let plan = reconcile(d, &Observed::new(&rss), now()).unwrap();
        let touched = names_in(&plan);
        assert!(touched.iter().all(|n| n != theirs), "{touched:?}");
        assert_eq!(
            updated_sizes(&plan.actions),
            [(mine.to_owned(), d.replicas())]
        );
        assert_eq!(plan.status().unwrap().status.replicas, 0);
    }
}

#[test]
fn replica_sets_of_other_controllers_are_never_touched() {
    let d = valid("foo", 2, 1, 0);
    let mut foreign = owned_rs(&d, "foreign", 5);
    foreign.metadata.owner_references = vec![OwnerReference {
        api_version: "example.com/v1".into(),
        kind: "Rollout".into(),
        name: "r".into(),
        uid: "uid-rollout".into(),
        controller: Some(true),
        ..Default::default()
    }];
    // Even with our template, a status of 5 and an old revision, it is not ours.
    foreign.metadata.annotations = labels(&[(util::REVISION_ANNOTATION, "9")]);
    foreign.status.replicas = 5;
    let mut s = Store::new(d, vec![foreign]);
    s.converge();
    assert_eq!(s.rss.len(), 2);
    assert_eq!(s.by_name("foreign").replicas(), 5);
    assert_eq!(
        s.by_name("foreign").metadata.annotations[util::REVISION_ANNOTATION],
        "9"
    );
    assert_eq!(s.d.status.replicas, 2, "its pods are not ours");
    assert_eq!(s.d.metadata.annotations[util::REVISION_ANNOTATION], "1");
}

#[test]
fn replica_sets_of_other_namespaces_are_ignored() {
    let d = valid("foo", 2, 1, 0);
    let mut elsewhere = owned_rs(&d, "elsewhere", 2);
    elsewhere.metadata.namespace = "other".into();
    let rss = [elsewhere];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(plan.created_replica_set().is_some());
    assert!(names_in(&plan).iter().all(|n| n != "elsewhere"));
}

#[test]
fn invalid_deployments_are_typed_errors() {
    let base = valid("foo", 2, 1, 0);
    let rss = [owned_rs(&base, "foo-1", 2)];
    let check = |d: &Deployment| reconcile(d, &Observed::new(&rss), now());

    let mut d = base.clone();
    d.spec.template.metadata.labels = labels(&[("foo", "baz")]);
    assert_eq!(check(&d), Err(ReconcileError::SelectorDoesNotMatchTemplate));
    assert_eq!(
        ReconcileError::SelectorDoesNotMatchTemplate.to_string(),
        "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`"
    );

    let mut d = base.clone();
    d.spec.replicas = Some(-1);
    assert_eq!(
        check(&d),
        Err(ReconcileError::NegativeReplicas { replicas: -1 })
    );
    assert_eq!(
        check(&d).unwrap_err().to_string(),
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );

    let mut d = base.clone();
    d.spec.selector = None;
    assert_eq!(check(&d), Err(ReconcileError::MissingSelector));

    let with = |surge: IntOrString, unavailable: IntOrString| {
        let mut d = base.clone();
        d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
            max_surge: Some(surge),
            max_unavailable: Some(unavailable),
            ..Default::default()
        });
        check(&d)
    };
    let s = |v: &str| IntOrString::String(v.into());
    assert!(matches!(
        with(s("oops"), s("25%")),
        Err(ReconcileError::InvalidStrategy(
            util::IntOrStringError::NotAPercentage { .. }
        ))
    ));
    assert!(matches!(
        with(s("25%"), s("x%")),
        Err(ReconcileError::InvalidStrategy(
            util::IntOrStringError::InvalidPercent { .. }
        ))
    ));
    for (surge, unavailable) in [
        (IntOrString::Int(0), IntOrString::Int(0)),
        (s("0%"), s("0%")),
        (IntOrString::Int(0), s("0%")),
    ] {
        let got = with(surge.clone(), unavailable.clone());
        assert!(
            matches!(got, Err(ReconcileError::ZeroSurgeAndUnavailable { .. })),
            "{surge:?}/{unavailable:?}: {got:?}"
        );
    }
    assert_eq!(
        with(IntOrString::Int(0), IntOrString::Int(0))
            .unwrap_err()
            .to_string(),
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"
    );
    // Values that resolve to 0 but are not 0 are valid (the fencepost makes unavailable 1).
    assert!(with(IntOrString::Int(0), s("10%")).is_ok());

    let mut d = base.clone();
    d.spec.strategy.type_ = DeploymentStrategyType::parse("BlueGreen");
    assert_eq!(
        check(&d),
        Err(ReconcileError::UnknownStrategy {
            strategy: "BlueGreen".into()
        })
    );

    let mut d = base.clone();
    d.spec.selector = Some(LabelSelector {
        match_expressions: vec![crate::meta::LabelSelectorRequirement {
            key: "foo".into(),
            operator: crate::meta::LabelSelectorOperator::parse("Near"),
            values: vec!["bar".into()],
            ..Default::default()
        }],
        ..Default::default()
    });
    assert!(matches!(check(&d), Err(ReconcileError::InvalidSelector(_))));
}

#[test]
fn a_settled_deployment_plans_nothing() {
    let s = settled(valid("foo", 4, 1, 1));
    let plan = s.reconcile();
    assert!(plan.is_noop(), "{:?}", plan.actions);
    assert!(plan.events.is_empty());
    assert_eq!(plan.requeue, None);
    assert_eq!(progressing(&s.d).reason, reason::NEW_REPLICA_SET_AVAILABLE);
    let available = s.d.condition(&DeploymentConditionType::Available).unwrap();
    assert_eq!(available.reason, reason::MINIMUM_REPLICAS_AVAILABLE);
}

#[test]
fn history_is_pruned_after_a_complete_rollout() {
    let mut d = valid("foo", 2, 1, 0);
    d.spec.revision_history_limit = Some(2);
    let mut s = settled(d);
    for image in ["v2", "v3", "v4", "v5"] {
        s.now = s.now.add_seconds(60);
        set_image(&mut s, image);
        s.converge();
    }
    // The current ReplicaSet plus at most 2 old ones.
    assert_eq!(s.rss.len(), 3);
    let mut revisions: Vec<String> = s
        .rss
        .iter()
        .map(|r| r.metadata.annotations[util::REVISION_ANNOTATION].clone())
        .collect();
    revisions.sort();
    assert_eq!(revisions, ["3", "4", "5"]);
}

#[test]
fn undo_by_template_reuses_the_old_replica_set_with_a_new_revision() {
    let mut s = settled(valid("foo", 2, 1, 0));
    let first = s.new_rs().metadata.name.clone();
    set_image(&mut s, "foo/v2");
    s.converge();
    // kubectl rollout undo writes the old template back.
    set_image(&mut s, "foo/bar");
    let plan = s.reconcile();
    assert!(plan.created_replica_set().is_none());
    s.apply(&plan);
    s.settle_replica_sets();
    s.converge();
    let r = s.by_name(&first);
    assert_eq!(r.replicas(), 2);
    assert_eq!(r.metadata.annotations[util::REVISION_ANNOTATION], "3");
    assert_eq!(
        r.metadata.annotations[util::REVISION_HISTORY_ANNOTATION],
        "1"
    );
    assert_eq!(s.d.metadata.annotations[util::REVISION_ANNOTATION], "3");
    assert_eq!(s.rss.len(), 2);
}

#[test]
fn scaling_mid_rollout_to_the_only_active_sets_size_stalls_the_rollout_as_upstream() {
    // Upstream v1.32 quirk, kept for fidelity (kubernetes/kubernetes PR #138036, still open):
    // 4 replicas, maxSurge 0%, maxUnavailable 1, new template. The new ReplicaSet is created at
    // 0 and the old one goes 4 → 3. Scaling the Deployment to 3 now leaves the old ReplicaSet
    // the only active one, already at 3: `scale` returns before refreshing its desired-replicas
    // annotation (4), so every later sync is a scaling event and the rollout never resumes.
    let mut d = valid("foo", 4, 0, 1);
    d.spec.strategy.rolling_update.as_mut().unwrap().max_surge =
        Some(IntOrString::String("0%".into()));
    let mut s = settled(d);
    let old = s.new_rs().metadata.name.clone();
    set_image(&mut s, "foo/v2");
    let plan = s.reconcile();
    assert_eq!(plan.created_replica_set().unwrap().spec.replicas, Some(0));
    assert_eq!(updated_sizes(&plan.actions), [(old.clone(), 3)]);
    s.apply(&plan);
    s.settle_replica_sets();
    s.d.spec.replicas = Some(3);
    s.d.metadata.generation += 1;
    for _ in 0..5 {
        let plan = s.reconcile();
        assert!(
            updated_sizes(&plan.actions).is_empty(),
            "{:?}",
            plan.actions
        );
        s.apply(&plan);
        s.settle_replica_sets();
    }
    assert!(s.reconcile().is_noop());
    assert_eq!(s.by_name(&old).replicas(), 3);
    assert_eq!(
        s.by_name(&old).metadata.annotations[util::DESIRED_REPLICAS_ANNOTATION],
        "4"
    );
    assert_eq!(s.new_rs().replicas(), 0);
    assert_eq!(s.d.status.updated_replicas, 0);
}

#[test]
fn deletion_is_handled_before_paused() {
    // A paused Deployment being deleted gets syncStatusOnly: no DeploymentPaused condition.
    let mut d = valid("foo", 2, 1, 0);
    d.spec.paused = true;
    d.metadata.deletion_timestamp = Some(now());
    let rss = [owned_rs(&d, "foo-1", 2)];
    let plan = reconcile(&d, &Observed::new(&rss), now()).unwrap();
    assert!(plan.actions.iter().all(|a| match a {
        Action::UpdateDeploymentStatus(s) =>
            util::get_condition(&s.status, &DeploymentConditionType::Progressing).is_none(),
        _ => true,
    }));
}
