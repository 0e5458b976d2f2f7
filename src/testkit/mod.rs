//! A kit for property-testing rollouts (feature `proptest`): strategies for Deployments,
//! ReplicaSets, pods and sequences of user actions, a scenario runner over the simulated
//! [`Cluster`](crate::sim::Cluster), and a checker of upstream's rollout invariants.
//!
//! The invariants, checked after every step of a run:
//! - **surge bound**: a rollout sync never raises Σ spec.replicas above replicas + maxSurge;
//! - **availability budget**: a rollout sync never scales old ReplicaSets so that fewer than
//!   `replicas − maxUnavailable` pods stay available (counting as upstream does);
//! - **one ReplicaSet per template**, each with a consistent `pod-template-hash`;
//! - **revisions and collisionCount never decrease**; **old ReplicaSets only shrink** during a
//!   rollout; **Recreate never runs old and new pods together**: a Recreate rollout never
//!   scales the new ReplicaSet up while a pod of an old one is running (paused Deployments and
//!   scaling events are exempt: upstream's `scale` does not wait, see reference §6);
//! - **controllers delete only pods they own**;
//! - **the progress deadline is reported if and only if it was exceeded**;
//! - once settled: **history ≤ revisionHistoryLimit** and **liveness** (with faults cleared,
//!   every rollout completes in bounded time and then nothing more is written).
//!
//! Scaling events and paused Deployments are exempt from the per-sync bounds, as upstream
//! documents (proportional scaling is not bound by maxUnavailable).
//!
//! ```
//! use kube_workloads::testkit::{run, strategies, Scenario, UserAction};
//! use kube_workloads::sim::Config;
//! use proptest::prelude::*;
//!
//! proptest!(ProptestConfig::with_cases(4), |(d in strategies::deployment())| {
//!     let scenario = Scenario {
//!         config: Config::default(),
//!         deployment: d,
//!         actions: vec![UserAction::SetImage("app:2".into()), UserAction::Scale(4)],
//!     };
//!     let outcome = run(&scenario, std::time::Duration::from_secs(3600));
//!     prop_assert!(outcome.is_ok(), "{:?}", outcome.err());
//! });
//! ```

mod invariants;
mod scenario;
pub mod strategies;

pub use invariants::{Checker, Violation};
pub use scenario::{Outcome, Scenario, UserAction, apply, run, summary};
