//! Upstream's sync.go pieces: finding the new and old ReplicaSets, getNewReplicaSet (revisions,
//! annotations, creation) and calculateStatus.

use super::*;
use crate::hash::POD_TEMPLATE_HASH_LABEL;
use util::reason;

/// Upstream's `generateDeployment("nginx")`.
fn generate_deployment(image: &str) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = image.into();
    d.metadata.namespace = "default".into();
    d.metadata.uid = format!("uid-{image}");
    d.spec.replicas = Some(1);
    d.spec.selector = Some(LabelSelector::from_labels([("name", image)]));
    d.spec.template.metadata.labels = labels(&[("name", image)]);
    d.spec.template.spec.containers.push(Container {
        name: image.into(),
        image: image.into(),
        ..Default::default()
    });
    d.spec.strategy.type_ = DeploymentStrategyType::RollingUpdate;
    d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::Int(1)),
        max_unavailable: Some(IntOrString::Int(0)),
        ..Default::default()
    });
    d
}

/// Upstream's `generateRS(d)`: owned, the Deployment's template, its labels, 0 replicas.
fn generate_rs(d: &Deployment, name: &str, hash: &str, ts: Option<Time>) -> ReplicaSet {
    let mut r = owned_rs(d, name, 0);
    r.metadata.creation_timestamp = ts;
    // Upstream's generateRS shares one label map between the ReplicaSet and its template.
    r.metadata
        .labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), hash.into());
    r.spec
        .template
        .metadata
        .labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), hash.into());
    r
}

#[test]
fn find_new_replica_set() {
    // TestFindNewReplicaSet
    let d = generate_deployment("nginx");
    let t = now();
    let new_rs = generate_rs(&d, "new", "hash", Some(t.add_seconds(60)));
    let new_rs_dup = generate_rs(&d, "dup", "different-hash", Some(t));
    let mut old_d = generate_deployment("nginx");
    old_d.spec.template.spec.containers[0].name = "nginx-old-1".into();
    let old_rs = generate_rs(&old_d, "old", "old-hash", None);
    let cases: [(&str, Vec<ReplicaSet>, Option<&str>); 4] = [
        (
            "Get new ReplicaSet with the same template as Deployment spec but different pod-template-hash value",
            vec![new_rs.clone(), old_rs.clone()],
            Some("new"),
        ),
        (
            "Get the oldest new ReplicaSet when there are more than one ReplicaSet with the same template",
            vec![new_rs.clone(), old_rs.clone(), new_rs_dup.clone()],
            Some("dup"),
        ),
        ("Get nil new ReplicaSet", vec![old_rs.clone()], None),
        (
            "Get the only ReplicaSet when it is the new one",
            vec![new_rs.clone()],
            Some("new"),
        ),
    ];
    for (name, rss, want) in cases {
        let c = ctx(&d, &rss, now());
        let got = c
            .find_new_replica_set()
            .map(|i| c.rs(i).metadata.name.clone());
        assert_eq!(got.as_deref(), want, "{name}");
    }
}

#[test]
fn find_old_replica_sets() {
    // TestFindOldReplicaSets: (all old sorted by creation, required old = those with replicas).
    let d = generate_deployment("nginx");
    let t = now();
    let mut new_rs = generate_rs(&d, "new", "hash", Some(t.add_seconds(60)));
    new_rs.spec.replicas = Some(1);
    let new_rs_dup = generate_rs(&d, "dup", "different-hash", Some(t));
    let mut old_d = generate_deployment("nginx");
    old_d.spec.template.spec.containers[0].name = "nginx-old-1".into();
    let old_rs = generate_rs(&old_d, "old", "old-hash", Some(t.add_seconds(-60)));
    let cases: [(&str, Vec<ReplicaSet>, Vec<&str>, Vec<&str>); 4] = [
        (
            "Get old ReplicaSets",
            vec![new_rs.clone(), old_rs.clone()],
            vec!["old"],
            vec![],
        ),
        (
            "Get old ReplicaSets with no new ReplicaSet",
            vec![old_rs.clone()],
            vec!["old"],
            vec![],
        ),
        (
            "Get old ReplicaSets with two new ReplicaSets, only the oldest new ReplicaSet is seen as new ReplicaSet",
            vec![old_rs.clone(), new_rs.clone(), new_rs_dup.clone()],
            vec!["old", "new"],
            vec!["new"],
        ),
        (
            "Get empty old ReplicaSets",
            vec![new_rs.clone()],
            vec![],
            vec![],
        ),
    ];
    for (name, rss, want_all, want_required) in cases {
        let mut c = ctx(&d, &rss, now());
        let Ok((_, old)) = c.all_replica_sets_and_sync_revision(false) else {
            panic!("{name}: stopped");
        };
        let all: Vec<&str> = old
            .iter()
            .map(|&i| c.rs(i).metadata.name.as_str())
            .collect();
        let required: Vec<&str> = old
            .iter()
            .filter(|&&i| c.rs(i).replicas() != 0)
            .map(|&i| c.rs(i).metadata.name.as_str())
            .collect();
        assert_eq!(all, want_all, "{name}");
        assert_eq!(required, want_required, "{name}");
    }
}

#[test]
fn existing_new_replica_set_with_stale_annotations_is_updated_and_the_sync_goes_on_next_time() {
    // getNewReplicaSet: an old ReplicaSet that becomes new again gets revision max+1, the old
    // number in revision-history, the Deployment's annotations and minReadySeconds; the
    // Deployment's own revision annotation follows only in the next sync.
    let mut d = deployment("foo", 3, 1, 0);
    d.spec.min_ready_seconds = 5;
    d.metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "2".into());
    d.metadata
        .annotations
        .insert(util::CHANGE_CAUSE_ANNOTATION.into(), "undo".into());
    let mut back = owned_rs(&d, "foo-1", 0);
    back.spec.min_ready_seconds = 0;
    back.metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "1".into());
    back.metadata.creation_timestamp = Some(older_ts());
    let mut current = owned_rs(&d, "foo-2", 3);
    current.spec.template.spec.containers[0].image = "foo/new".into();
    current
        .metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "2".into());
    current.metadata.creation_timestamp = Some(old_ts());
    let rss = [back, current];
    let mut c = ctx(&d, &rss, now());
    let Ok((new, old)) = c.all_replica_sets_and_sync_revision(true) else {
        panic!("stopped");
    };
    assert_eq!(new, Some(ix(&c, "foo-1")));
    assert_eq!(old, [ix(&c, "foo-2")]);
    let [Action::UpdateReplicaSet(updated)] = &c.actions[..] else {
        panic!("{:?}", c.actions);
    };
    let a = &updated.metadata.annotations;
    assert_eq!(a[util::REVISION_ANNOTATION], "3");
    assert_eq!(a[util::REVISION_HISTORY_ANNOTATION], "1");
    assert_eq!(a[util::CHANGE_CAUSE_ANNOTATION], "undo");
    assert_eq!(updated.spec.min_ready_seconds, 5);
    assert_eq!(c.d.metadata.annotations[util::REVISION_ANNOTATION], "2");
}

#[test]
fn existing_new_replica_set_syncs_the_deployment_revision_and_found_condition() {
    let mut d = deployment("foo", 3, 1, 0);
    d.spec.progress_deadline_seconds = Some(600);
    let mut r = owned_rs(&d, "foo-1", 3);
    r.metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "4".into());
    let rss = [r];
    let mut c = ctx(&d, &rss, now());
    assert!(c.all_replica_sets_and_sync_revision(false).is_ok());
    let [Action::UpdateDeploymentStatus(s)] = &c.actions[..] else {
        panic!("{:?}", c.actions);
    };
    assert_eq!(s.annotations[util::REVISION_ANNOTATION], "4");
    let cond = util::get_condition(&s.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(cond.reason, reason::FOUND_NEW_REPLICA_SET);
    assert_eq!(cond.message, "Found new replica set \"foo-1\"");
    assert_eq!(cond.status, ConditionStatus::True);

    // With a Progressing condition already there, only the revision is written.
    let mut d2 = d.clone();
    d2.status.conditions.push(util::new_condition(
        DeploymentConditionType::Progressing,
        ConditionStatus::True,
        reason::REPLICA_SET_UPDATED,
        String::new(),
        older_ts(),
    ));
    let mut c = ctx(&d2, &rss, now());
    assert!(c.all_replica_sets_and_sync_revision(false).is_ok());
    let [Action::UpdateDeploymentStatus(s)] = &c.actions[..] else {
        panic!("{:?}", c.actions);
    };
    let cond = util::get_condition(&s.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(cond.reason, reason::REPLICA_SET_UPDATED);

    // Nothing to sync: no write at all.
    let mut d3 = d2.clone();
    d3.metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "4".into());
    let mut c = ctx(&d3, &rss, now());
    assert!(c.all_replica_sets_and_sync_revision(false).is_ok());
    assert!(c.actions.is_empty());
}

#[test]
fn new_replica_set_is_created_as_upstream_builds_it() {
    let mut d = deployment("foo", 4, 1, 1);
    d.spec.min_ready_seconds = 7;
    d.spec.progress_deadline_seconds = Some(600);
    d.metadata
        .annotations
        .insert(util::CHANGE_CAUSE_ANNOTATION.into(), "create".into());
    d.metadata
        .annotations
        .insert(util::LAST_APPLIED_CONFIG.into(), "{}".into());
    let mut old = owned_rs(&d, "foo-old", 4);
    old.spec.template.spec.containers[0].image = "foo/old".into();
    old.metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "6".into());
    let rss = [old];
    let mut c = ctx(&d, &rss, now());
    let Ok((Some(new), _)) = c.all_replica_sets_and_sync_revision(true) else {
        panic!("no new ReplicaSet");
    };
    let Action::CreateReplicaSet(created) = &c.actions[0] else {
        panic!("{:?}", c.actions);
    };
    let hash = &created.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    assert_eq!(created.metadata.name, format!("foo-{hash}"));
    assert_eq!(created.metadata.namespace, "default");
    assert_eq!(created.metadata.labels[POD_TEMPLATE_HASH_LABEL], *hash);
    assert_eq!(created.metadata.labels["foo"], "bar");
    let sel = created.spec.selector.as_ref().unwrap();
    assert_eq!(sel.match_labels[POD_TEMPLATE_HASH_LABEL], *hash);
    assert_eq!(sel.match_labels["foo"], "bar");
    assert_eq!(created.metadata.owner_references, [controller_ref(&d)]);
    assert_eq!(created.spec.min_ready_seconds, 7);
    // allRSs 4, maxTotal 5 → 1.
    assert_eq!(created.spec.replicas, Some(1));
    let a = &created.metadata.annotations;
    assert_eq!(a[util::REVISION_ANNOTATION], "7");
    assert_eq!(a[util::DESIRED_REPLICAS_ANNOTATION], "4");
    assert_eq!(a[util::MAX_REPLICAS_ANNOTATION], "5");
    assert_eq!(a[util::CHANGE_CAUSE_ANNOTATION], "create");
    assert!(!a.contains_key(util::LAST_APPLIED_CONFIG));
    assert_eq!(c.rs(new).metadata.name, created.metadata.name);
    assert_eq!(
        c.events[0].message,
        format!(
            "Scaled up replica set {} from 0 to 1",
            created.metadata.name
        )
    );
    let Action::UpdateDeploymentStatus(s) = &c.actions[1] else {
        panic!("{:?}", c.actions);
    };
    assert_eq!(s.annotations[util::REVISION_ANNOTATION], "7");
    let cond = util::get_condition(&s.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(cond.reason, reason::NEW_REPLICA_SET_CREATED);
    assert_eq!(
        cond.message,
        format!("Created new replica set \"{}\"", created.metadata.name)
    );
    assert_eq!(c.actions.len(), 2);
}

#[test]
fn a_new_replica_set_created_at_zero_records_no_event() {
    // allRSs already at replicas + maxSurge: created at 0, no ScalingReplicaSet event.
    let d = deployment("foo", 2, 0, 1);
    let mut old = owned_rs(&d, "foo-old", 2);
    old.spec.template.spec.containers[0].image = "foo/old".into();
    let rss = [old];
    let mut c = ctx(&d, &rss, now());
    assert!(c.all_replica_sets_and_sync_revision(true).is_ok());
    let Action::CreateReplicaSet(created) = &c.actions[0] else {
        panic!("{:?}", c.actions);
    };
    assert_eq!(created.spec.replicas, Some(0));
    assert!(c.events.is_empty());
}

#[test]
fn calculate_status_sums_status_but_unavailable_uses_spec() {
    // calculateStatus; also TestGetReplicaCountForReplicaSets' status sums.
    let mut d = deployment("foo", 5, 1, 1);
    d.metadata.generation = 4;
    d.status.collision_count = Some(2);
    let mut a = rs("a", 1, Some(older_ts()));
    a.status.replicas = 2;
    a.status.ready_replicas = 2;
    a.status.available_replicas = 1;
    let mut b = rs("b", 2, Some(old_ts()));
    b.status.replicas = 3;
    b.status.ready_replicas = 3;
    b.status.available_replicas = 3;
    let rss = [a, b];
    let c = ctx(&d, &rss, now());
    let s = c.calculate_status(&[0, 1], Some(1));
    assert_eq!(s.observed_generation, 4);
    assert_eq!(s.replicas, 5);
    assert_eq!(s.updated_replicas, 3);
    assert_eq!(s.ready_replicas, 5);
    assert_eq!(s.available_replicas, 4);
    assert_eq!(s.unavailable_replicas, 0, "max(0, spec 3 − available 4)");
    assert_eq!(s.collision_count, Some(2));
    let available = util::get_condition(&s, &DeploymentConditionType::Available).unwrap();
    assert_eq!(available.status, ConditionStatus::True);
    assert_eq!(available.message, "Deployment has minimum availability.");
    let s = c.calculate_status(&[0], None);
    assert_eq!((s.replicas, s.updated_replicas), (2, 0));
    assert_eq!(s.unavailable_replicas, 0);
    let available = util::get_condition(&s, &DeploymentConditionType::Available).unwrap();
    assert_eq!(available.status, ConditionStatus::False);
    assert_eq!(
        available.message,
        "Deployment does not have minimum availability."
    );
}
