//! A deterministic simulated cluster: the reference executor of this crate's plans.
//!
//! A [`Cluster`] holds objects by kind, namespace and name (with uids, resource versions and
//! the generation rule of the API server), a virtual clock, a seeded name generator, garbage
//! collection through owner references, and a pod lifecycle model (scheduled round-robin on
//! nodes, then running, then ready, with configurable delays per image, crash loops, images that
//! never become ready, node loss). Controllers (Deployment, ReplicaSet, ReplicationController)
//! run as an informer-driven control loop would: a write marks the objects that watch it dirty,
//! [`Cluster::run_until_idle`] reconciles until nothing is left to do at the current instant,
//! and [`Cluster::advance`] moves the clock from deadline to deadline (lifecycle steps,
//! requeues). Everything is recorded: events with their times and a [`Timeline`] of
//! ReplicaSet sizes and Deployment conditions.
//!
//! Same inputs, same run: iteration is in key order and names come from a seeded generator.
//!
//! ```
//! use kube_workloads::sim::{Cluster, Config};
//! use kube_workloads::{Deployment, Time};
//!
//! let mut cluster = Cluster::new(Config::default());
//! let d: Deployment = serde_yaml::from_str(r#"
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata: {name: web, namespace: default}
//! spec:
//!   replicas: 3
//!   selector: {matchLabels: {app: web}}
//!   strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
//!   template:
//!     metadata: {labels: {app: web}}
//!     spec: {containers: [{name: nginx, image: "nginx:1.16"}]}
//! "#)?;
//! cluster.create_deployment(d)?;
//! cluster.settle(std::time::Duration::from_secs(60))?;
//! assert_eq!(cluster.pods().count(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cluster;
mod config;
mod lifecycle;
pub mod shell;
mod store;
mod timeline;

pub use cluster::{Applied, Cascade, Cluster, SimError};
pub use config::{Config, Faults, ImageProfile};
pub use shell::{Output, Shell, ShellIo};
pub use store::{Key, Kind};
pub use timeline::{
    Activity, DeploymentSample, DeploymentSync, PodDeletion, Recorded, ReplicaSetSample,
    ReplicaSetState, Sample, Timeline,
};
