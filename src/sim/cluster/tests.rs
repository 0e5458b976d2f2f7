//! Scenario tests of the simulated cluster.

use super::*;
use crate::api::{Container, DeploymentStrategyType, IntOrString, RollingUpdateDeployment};
use crate::meta::LabelSelector;
use crate::sim::ImageProfile;

fn deployment(name: &str, replicas: i32, image: &str) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = name.into();
    d.metadata.namespace = "default".into();
    d.spec.replicas = Some(replicas);
    d.spec.selector = Some(LabelSelector::from_labels([("app", name)]));
    d.spec
        .template
        .metadata
        .labels
        .insert("app".into(), name.into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: image.into(),
        ..Default::default()
    });
    d.spec.template.spec.termination_grace_period_seconds = Some(30);
    d.spec.strategy.type_ = DeploymentStrategyType::RollingUpdate;
    d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::String("25%".into())),
        max_unavailable: Some(IntOrString::String("25%".into())),
        ..Default::default()
    });
    d.spec.revision_history_limit = Some(10);
    d.spec.progress_deadline_seconds = Some(600);
    d
}

fn settle(c: &mut Cluster) {
    c.settle(Duration::from_secs(3600)).unwrap();
}

#[test]
fn a_deployment_comes_up_and_rolls_out() {
    let mut c = Cluster::new(Config::default());
    let key = c
        .create_deployment(deployment("web", 3, "nginx:1.16"))
        .unwrap();
    settle(&mut c);
    assert_eq!(c.pods().count(), 3);
    assert!(c.pods().all(crate::pods::is_ready));
    let d = c.deployment(&key).unwrap();
    assert_eq!(d.status.available_replicas, 3);
    // Nodes round-robin.
    let nodes: BTreeSet<_> = c.pods().map(|p| p.spec.node_name.clone()).collect();
    assert_eq!(nodes.len(), 3);

    let mut d = d.clone();
    d.spec.template.spec.containers[0].image = "nginx:1.17".into();
    c.update_deployment(d).unwrap();
    settle(&mut c);
    let sizes: Vec<i32> = c.replica_sets().map(ReplicaSet::replicas).collect();
    assert_eq!(sizes.iter().sum::<i32>(), 3);
    assert_eq!(c.replica_sets().count(), 2);
    assert!(c.pods().all(|p| p.spec.containers[0].image == "nginx:1.17"));
    for s in &c.timeline().samples {
        let pods: i32 = s.replica_sets.iter().map(|r| r.spec).sum();
        assert!(pods <= 4, "surge bound: {s:?}");
    }
    assert!(
        c.events()
            .iter()
            .any(|e| e.event.message.contains("from 0 to 1"))
    );
}

#[test]
fn runs_are_deterministic() {
    let run = || {
        let mut c = Cluster::new(Config::default());
        c.create_deployment(deployment("web", 5, "nginx:1.16"))
            .unwrap();
        settle(&mut c);
        let names: Vec<String> = c.pods().map(|p| p.metadata.name.clone()).collect();
        (names, c.events().len(), c.timeline().samples.len())
    };
    assert_eq!(run(), run());
}

#[test]
fn a_replica_set_heals_a_deleted_pod() {
    let mut c = Cluster::new(Config::default());
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "sample-rs".into();
    rs.spec.replicas = Some(3);
    rs.spec.selector = Some(LabelSelector::from_labels([("app", "sample-app")]));
    rs.spec.template = deployment("sample-app", 1, "nginx:1.16").spec.template;
    c.create_replica_set(rs).unwrap();
    settle(&mut c);
    let victim = Key::of(&c.pods().next().unwrap().metadata);
    c.delete(Kind::Pod, &victim, Cascade::Background).unwrap();
    c.run_until_idle().unwrap();
    assert_eq!(
        c.pods().count(),
        4,
        "a replacement while the old pod terminates"
    );
    settle(&mut c);
    assert_eq!(c.pods().count(), 3);
    assert!(c.pod(&victim).is_none());
}

#[test]
fn deleting_a_deployment_collects_its_replica_sets_and_pods_unless_orphaned() {
    let mut c = Cluster::new(Config::default());
    let key = c
        .create_deployment(deployment("web", 2, "nginx:1.16"))
        .unwrap();
    settle(&mut c);
    c.delete(Kind::Deployment, &key, Cascade::Background)
        .unwrap();
    settle(&mut c);
    assert_eq!(c.replica_sets().count(), 0);
    assert_eq!(c.pods().count(), 0);

    let key = c
        .create_deployment(deployment("web", 2, "nginx:1.16"))
        .unwrap();
    settle(&mut c);
    c.delete(Kind::Deployment, &key, Cascade::Orphan).unwrap();
    settle(&mut c);
    assert_eq!(c.replica_sets().count(), 1);
    assert!(
        c.replica_sets()
            .all(|r| r.metadata.owner_references.is_empty())
    );
    assert_eq!(c.pods().count(), 2);
}

#[test]
fn a_quota_stops_slow_start_and_reports_replica_failure() {
    let mut config = Config::default();
    config.faults.pod_quota = Some(2);
    let mut c = Cluster::new(config);
    let key = c
        .create_deployment(deployment("web", 5, "nginx:1.16"))
        .unwrap();
    let _ = c.settle(Duration::from_secs(60));
    assert_eq!(c.pods().count(), 2);
    let d = c.deployment(&key).unwrap();
    let failure = d
        .status
        .conditions
        .iter()
        .find(|c| c.type_.as_str() == "ReplicaFailure")
        .unwrap();
    assert_eq!(failure.reason, "FailedCreate");
    assert!(
        failure.message.contains("exceeded quota"),
        "{}",
        failure.message
    );
}

#[test]
fn never_ready_images_stall_the_rollout_until_the_deadline() {
    let mut config = Config::default();
    config.images.insert(
        "nginx:broken".into(),
        ImageProfile {
            never_ready: true,
            ..ImageProfile::default()
        },
    );
    let mut c = Cluster::new(config);
    let key = c
        .create_deployment(deployment("web", 3, "nginx:1.16"))
        .unwrap();
    settle(&mut c);
    let mut d = c.deployment(&key).unwrap().clone();
    d.spec.template.spec.containers[0].image = "nginx:broken".into();
    d.spec.progress_deadline_seconds = Some(60);
    c.update_deployment(d).unwrap();
    c.advance(Duration::from_secs(120)).unwrap();
    let d = c.deployment(&key).unwrap();
    let p = d
        .status
        .conditions
        .iter()
        .find(|c| c.type_.as_str() == "Progressing")
        .unwrap();
    assert_eq!(p.reason, "ProgressDeadlineExceeded");
    assert_eq!(d.status.available_replicas, 3, "old pods keep serving");
}

#[test]
fn lost_nodes_are_replaced_after_eviction() {
    let mut c = Cluster::new(Config::default());
    c.create_deployment(deployment("web", 3, "nginx:1.16"))
        .unwrap();
    settle(&mut c);
    c.lose_node("node-1");
    c.advance(Duration::from_secs(10)).unwrap();
    assert_eq!(c.pods().filter(|p| crate::pods::is_ready(p)).count(), 2);
    settle(&mut c);
    assert_eq!(c.pods().filter(|p| crate::pods::is_ready(p)).count(), 3);
    assert!(c.pods().all(|p| p.spec.node_name != "node-1"));
}

#[test]
fn lagging_observations_do_not_double_create() {
    let mut config = Config::default();
    config.faults.lagging_observations = true;
    let mut c = Cluster::new(config);
    c.create_deployment(deployment("web", 4, "nginx:1.16"))
        .unwrap();
    settle(&mut c);
    assert_eq!(c.pods().count(), 4);
    let creates = c
        .events()
        .iter()
        .filter(|e| e.event.reason == "SuccessfulCreate")
        .count();
    assert_eq!(creates, 4);
}

#[test]
fn crash_loops_restart_with_backoff() {
    let mut config = Config::default();
    config.images.insert(
        "crasher".into(),
        ImageProfile {
            crash_after: Some(Duration::from_secs(5)),
            ..ImageProfile::default()
        },
    );
    let mut c = Cluster::new(config);
    c.create_deployment(deployment("web", 1, "crasher"))
        .unwrap();
    c.advance(Duration::from_secs(60)).unwrap();
    let pod = c.pods().next().unwrap();
    assert!(pod.status.container_statuses[0].restart_count >= 2);
}

#[test]
fn recreate_waits_for_old_pods_then_creates_the_new_replica_set_at_once() {
    let mut c = Cluster::new(Config::default());
    let mut d = deployment("web", 3, "nginx:1.16");
    d.spec.strategy.type_ = DeploymentStrategyType::Recreate;
    d.spec.strategy.rolling_update = None;
    let key = c.create_deployment(d).unwrap();
    settle(&mut c);
    let start = c.now();
    let mut d = c.deployment(&key).unwrap().clone();
    d.spec.template.spec.containers[0].image = "nginx:1.17".into();
    c.update_deployment(d).unwrap();
    let done = c.settle(Duration::from_secs(3600)).unwrap();
    assert!(
        done.seconds_since(start) <= 10,
        "upstream wakes Recreate Deployments on pod deletion: took {}s",
        done.seconds_since(start)
    );
    let new = c
        .replica_sets()
        .find(|r| r.spec.template.spec.containers[0].image == "nginx:1.17")
        .unwrap();
    assert_eq!(new.replicas(), 3);
    assert!(
        c.events().iter().any(|e| e.event.message
            == format!("Scaled up replica set {} from 0 to 3", new.metadata.name))
    );
}
