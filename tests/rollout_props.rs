//! Rollout invariants under random user actions and faults, on the simulator (issue 7's
//! property-test kit used on our own controllers). Case counts are modest by default; set
//! `PROPTEST_CASES` for deeper runs.

#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use kube_workloads::sim::{Cluster, Config, Faults};
use kube_workloads::testkit::{Scenario, UserAction, run, strategies, summary};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::FileFailurePersistence;

const LIVENESS: Duration = Duration::from_secs(6 * 3600);

proptest! {
    #![proptest_config(ProptestConfig {
        cases: support::case_count(48),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/rollout_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// Every invariant holds at every step, and every scenario ends complete and idle.
    #[test]
    fn invariants_hold_under_random_actions(s in strategies::scenario(12)) {
        let outcome = run(&s, LIVENESS);
        prop_assert!(outcome.is_ok(), "{}", outcome.err().map(|e| e.to_string()).unwrap_or_default());
    }

    /// Sieve's pattern: a controller that dies after any prefix of a plan converges to the
    /// same state as one that does not.
    #[test]
    fn any_plan_prefix_converges_to_the_same_state(
        d in strategies::deployment(),
        image in prop::sample::select(strategies::IMAGES[1..].to_vec()),
        crash_after in 0usize..4,
    ) {
        let base = Scenario {
            config: Config::default(),
            deployment: d,
            actions: vec![UserAction::SetImage(image.to_owned())],
        };
        let mut crashed = base.clone();
        crashed.actions.insert(0, UserAction::CrashController(crash_after));
        let a = run(&base, LIVENESS).unwrap();
        let b = run(&crashed, LIVENESS).unwrap();
        prop_assert_eq!(summary(&a.cluster, &a.deployment), summary(&b.cluster, &b.deployment));
    }

    /// Sieve's pattern: controllers that observe pods late (skipping intermediate states)
    /// reach the same end state.
    #[test]
    fn lagging_observations_reach_the_same_end_state(
        d in strategies::deployment(),
        image in prop::sample::select(strategies::IMAGES[1..].to_vec()),
        scale in 0i32..=6,
    ) {
        let actions = vec![UserAction::SetImage(image.to_owned()), UserAction::Scale(scale)];
        let base = Scenario { config: Config::default(), deployment: d, actions };
        let mut lagging = base.clone();
        lagging.config.faults = Faults { lagging_observations: true, ..Faults::default() };
        let a = run(&base, LIVENESS).unwrap();
        let b = run(&lagging, LIVENESS).unwrap();
        prop_assert_eq!(summary(&a.cluster, &a.deployment), summary(&b.cluster, &b.deployment));
    }
}

#[test]
fn a_settled_cluster_is_idle() {
    let mut c = Cluster::new(Config::default());
    let d = strategies::deployment();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let d = d.new_tree(&mut runner).unwrap().current();
    c.create_deployment(d).unwrap();
    c.settle(LIVENESS).unwrap();
    let _ = c.take_activity();
    let events = c.events().len();
    c.run_until_idle().unwrap();
    assert!(c.take_activity().deployment_syncs.is_empty());
    assert_eq!(c.events().len(), events);
}

#[test]
fn a_scenario_really_rolls_out() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut d = strategies::deployment()
        .new_tree(&mut runner)
        .unwrap()
        .current();
    d.spec.replicas = Some(4);
    let s = Scenario {
        config: Config::default(),
        deployment: d,
        actions: vec![
            UserAction::SetImage("app:2".into()),
            UserAction::Advance(Duration::from_secs(3)),
            UserAction::DeletePod(1),
            UserAction::Rollback,
        ],
    };
    let outcome = run(&s, LIVENESS).unwrap();
    let text = summary(&outcome.cluster, &outcome.deployment);
    assert!(
        text.contains("replicas=4 updated=4 ready=4 available=4"),
        "{text}"
    );
    assert!(
        text.contains("revision=Some(\"3\")"),
        "rolled back to a re-used ReplicaSet: {text}"
    );
    assert!(
        outcome
            .cluster
            .events()
            .iter()
            .any(|e| e.event.reason == "ScalingReplicaSet")
    );
}

/// Found by `invariants_hold_under_random_actions`: pausing a Recreate rollout while old pods
/// terminate lets upstream's `scale` size the new ReplicaSet up at once (a paused Deployment is
/// only scaled, never rolled out), so old and new pods overlap. That is upstream behaviour, not
/// a rollout-path violation.
#[test]
fn pausing_a_recreate_rollback_is_not_a_rollout_violation() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut d = strategies::deployment()
        .new_tree(&mut runner)
        .unwrap()
        .current();
    d.spec.replicas = Some(1);
    d.spec.strategy = kube_workloads::api::DeploymentStrategy {
        type_: kube_workloads::api::DeploymentStrategyType::Recreate,
        ..Default::default()
    };
    let s = Scenario {
        config: Config {
            seed: 0,
            ..Config::default()
        },
        deployment: d,
        actions: vec![
            UserAction::SetImage("app:2".into()),
            UserAction::Advance(Duration::from_secs(1)),
            UserAction::Rollback,
            UserAction::Pause,
        ],
    };
    run(&s, LIVENESS).unwrap();
}
