//! Kubernetes' workload controllers as pure, synchronous, deterministic functions.
//!
//! (The crate tutorial is written once the controllers land; see README.md.)

pub mod api;
pub mod controller;
pub mod defaults;
pub mod deployment;
pub mod event;
pub mod hash;
pub mod kubectl;
pub mod manifest;
pub mod manual;
pub mod meta;
pub mod pods;
pub mod printers;
pub mod replica_set;
pub mod replication_controller;
pub mod selector;
pub mod sim;
#[cfg(feature = "proptest")]
pub mod testkit;
pub mod time;
pub mod validation;
pub mod value;

pub use api::{
    Container, ContainerPort, Deployment, IntOrString, Pod, PodSpec, PodTemplateSpec, ReplicaSet,
    ReplicationController,
};
pub use meta::{LabelSelector, Labels, ObjectMeta, OwnerReference};
pub use time::Time;
pub use value::Value;
