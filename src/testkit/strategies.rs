//! Proptest strategies for workload objects and user-action sequences.

use std::time::Duration;

use proptest::prelude::*;

use super::scenario::{Scenario, UserAction};
use crate::api::{
    ConditionStatus, Container, Deployment, DeploymentStrategy, DeploymentStrategyType,
    IntOrString, Pod, PodCondition, PodConditionType, PodPhase, ReplicaSet,
    RollingUpdateDeployment,
};
use crate::meta::{LabelSelector, OwnerReference};
use crate::sim::Config;
use crate::time::Time;

/// The images scenarios switch between (all start and become ready normally).
pub const IMAGES: [&str; 3] = ["app:1", "app:2", "app:3"];

/// An `IntOrString` as users write `maxSurge` / `maxUnavailable`.
pub fn int_or_percent() -> impl Strategy<Value = IntOrString> {
    prop_oneof![
        (0i32..=3).prop_map(IntOrString::Int),
        prop::sample::select(vec!["0%", "10%", "25%", "50%", "100%"]).prop_map(IntOrString::from),
    ]
}

fn is_zero(v: &IntOrString) -> bool {
    matches!(v, IntOrString::Int(0)) || matches!(v, IntOrString::String(s) if s == "0%")
}

/// A valid, fully defaulted Deployment `web` in `default` (RollingUpdate with random
/// fenceposts, or Recreate), 0–6 replicas.
pub fn deployment() -> impl Strategy<Value = Deployment> {
    (
        0i32..=6,
        any::<bool>(),
        int_or_percent(),
        int_or_percent(),
        0i32..=2,
        prop::option::of(0i32..=3),
        prop::option::of(30i32..=600),
    )
        .prop_map(
            |(replicas, recreate, surge, unavailable, mrs, history, deadline)| {
                let unavailable = if is_zero(&surge) && is_zero(&unavailable) {
                    IntOrString::Int(1)
                } else {
                    unavailable
                };
                let mut d = Deployment::default();
                d.metadata.name = "web".into();
                d.metadata.namespace = "default".into();
                d.spec.replicas = Some(replicas);
                d.spec.selector = Some(LabelSelector::from_labels([("app", "web")]));
                d.spec
                    .template
                    .metadata
                    .labels
                    .insert("app".into(), "web".into());
                d.spec.template.spec.containers.push(Container {
                    name: "app".into(),
                    image: IMAGES[0].into(),
                    ..Container::default()
                });
                d.spec.template.spec.termination_grace_period_seconds = Some(30);
                d.spec.strategy = if recreate {
                    DeploymentStrategy {
                        type_: DeploymentStrategyType::Recreate,
                        ..DeploymentStrategy::default()
                    }
                } else {
                    DeploymentStrategy {
                        type_: DeploymentStrategyType::RollingUpdate,
                        rolling_update: Some(RollingUpdateDeployment {
                            max_surge: Some(surge),
                            max_unavailable: Some(unavailable),
                            ..RollingUpdateDeployment::default()
                        }),
                        ..DeploymentStrategy::default()
                    }
                };
                d.spec.min_ready_seconds = mrs;
                d.spec.revision_history_limit = Some(history.unwrap_or(10));
                d.spec.progress_deadline_seconds = Some(deadline.unwrap_or(600).max(mrs + 1));
                d
            },
        )
}

/// One user action (faults included).
pub fn user_action() -> impl Strategy<Value = UserAction> {
    prop_oneof![
        3 => (0i32..=8).prop_map(UserAction::Scale),
        3 => prop::sample::select(IMAGES.to_vec()).prop_map(|i| UserAction::SetImage(i.to_owned())),
        1 => Just(UserAction::Pause),
        1 => Just(UserAction::Resume),
        2 => Just(UserAction::Rollback),
        2 => (0usize..10).prop_map(UserAction::DeletePod),
        1 => (0usize..3).prop_map(UserAction::LoseNode),
        4 => (1u64..=40).prop_map(|s| UserAction::Advance(Duration::from_secs(s))),
        1 => prop::option::of(0usize..=6).prop_map(UserAction::Quota),
        1 => (0usize..=2).prop_map(UserAction::FailDeletes),
        1 => (0usize..=3).prop_map(UserAction::CrashController),
    ]
}

/// A scenario: a Deployment and up to `max_actions` actions on a 3-node cluster.
pub fn scenario(max_actions: usize) -> impl Strategy<Value = Scenario> {
    (
        deployment(),
        prop::collection::vec(user_action(), 0..=max_actions),
        any::<u64>(),
    )
        .prop_map(|(deployment, actions, seed)| Scenario {
            config: Config {
                seed,
                ..Config::default()
            },
            deployment,
            actions,
        })
}

/// A ReplicaSet `rs` in `default` selecting `app=web`, owned by Deployment `web` or standalone.
pub fn replica_set() -> impl Strategy<Value = ReplicaSet> {
    (0i32..=8, 0i32..=3, any::<bool>()).prop_map(|(replicas, mrs, owned)| {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = "rs".into();
        rs.metadata.namespace = "default".into();
        rs.metadata.uid = "uid-rs".into();
        rs.metadata.generation = 1;
        if owned {
            rs.metadata.owner_references.push(OwnerReference {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                name: "web".into(),
                uid: "uid-web".into(),
                controller: Some(true),
                block_owner_deletion: Some(true),
                ..OwnerReference::default()
            });
        }
        rs.spec.replicas = Some(replicas);
        rs.spec.min_ready_seconds = mrs;
        rs.spec.selector = Some(LabelSelector::from_labels([("app", "web")]));
        rs.spec
            .template
            .metadata
            .labels
            .insert("app".into(), "web".into());
        rs.spec.template.spec.containers.push(Container {
            name: "app".into(),
            image: IMAGES[0].into(),
            ..Container::default()
        });
        rs
    })
}

/// A pod in `default` (sometimes elsewhere) labelled `app=web` (sometimes not), owned by `rs`,
/// orphaned or owned by someone else, in a random phase with random readiness, node, restarts,
/// deletion cost and deletion state; named `pod-<n>` with uid `uid-pod-<n>`.
pub fn pod(n: usize, now: Time) -> impl Strategy<Value = Pod> {
    (
        0u8..10,
        0u8..10,
        prop::sample::select(vec![
            "Pending",
            "Running",
            "Running",
            "Succeeded",
            "Failed",
            "Unknown",
        ]),
        any::<bool>(),
        prop::option::of(0i64..100_000),
        prop::option::of(0u8..3),
        0i32..5,
        prop::option::of(-3i32..3),
        0u8..20,
    )
        .prop_map(
            move |(owner, labels, phase, ready, ready_ago, node, restarts, cost, misc)| {
                let mut p = Pod::default();
                p.metadata.name = format!("pod-{n}");
                p.metadata.uid = format!("uid-pod-{n}");
                p.metadata.namespace = if misc == 0 {
                    "other".into()
                } else {
                    "default".into()
                };
                if labels > 0 {
                    p.metadata.labels.insert("app".into(), "web".into());
                } else {
                    p.metadata.labels.insert("app".into(), "api".into());
                }
                let owner_uid = match owner {
                    0..=5 => Some("uid-rs"),
                    6 => Some("uid-someone-else"),
                    _ => None,
                };
                if let Some(uid) = owner_uid {
                    p.metadata.owner_references.push(OwnerReference {
                        api_version: "apps/v1".into(),
                        kind: "ReplicaSet".into(),
                        name: "rs".into(),
                        uid: uid.into(),
                        controller: Some(true),
                        ..OwnerReference::default()
                    });
                }
                if misc == 1 {
                    p.metadata.deletion_timestamp = Some(now);
                }
                p.metadata.creation_timestamp = Some(now.add_seconds(-i64::from(misc) * 1000));
                p.status.phase = PodPhase::parse(phase);
                if let Some(node) = node {
                    p.spec.node_name = format!("node-{node}");
                }
                if ready {
                    p.status.conditions.push(PodCondition {
                        type_: PodConditionType::Ready,
                        status: ConditionStatus::True,
                        last_transition_time: ready_ago.map(|s| now.add_seconds(-s)),
                        ..PodCondition::default()
                    });
                }
                if restarts > 0 {
                    p.status
                        .container_statuses
                        .push(crate::api::ContainerStatus {
                            name: "app".into(),
                            restart_count: restarts,
                            ..crate::api::ContainerStatus::default()
                        });
                }
                if let Some(c) = cost {
                    p.metadata
                        .annotations
                        .insert(crate::pods::POD_DELETION_COST.into(), c.to_string());
                }
                p
            },
        )
}

/// Up to `max` pods from [`pod`], with distinct names.
pub fn pods(max: usize, now: Time) -> impl Strategy<Value = Vec<Pod>> {
    (0..=max).prop_flat_map(move |len| (0..len).map(|n| pod(n, now)).collect::<Vec<_>>())
}
